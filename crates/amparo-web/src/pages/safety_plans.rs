//! Safety plans and the crisis log on the person's pages: the section on the person page,
//! the plan (any version), the form (a new version per save; what was typed comes back on an
//! error), the version history, the printable page and the PDF in the survivor's language,
//! and the crisis log with its form. Plain forms, no JavaScript.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use amparo_app::safety::{
    CrisisContactInput, CrisisContactView, PlanTexts, PlanToPrint, SafetyPlanInput, SafetyPlanView,
};
use amparo_app::{AppError, Caller};
use amparo_domain::records::safety::PlanField;
use amparo_domain::{Language, PersonId};
use amparo_i18n::Arg;
use amparo_pdf::{Hotline, PlanForPrint, PrintSection};

use crate::AppState;
use crate::pages::person_form::{ScRow, sc_rows};
use crate::pages::records::{Choice, Fields, caller, date_time, fail, field_message, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

type Pairs = Form<Vec<(String, String)>>;

/// The help lines printed on every plan, in this order. Their names and numbers are
/// localisable configuration (`safety-hotline-<code>-name|number` in `safety_plans.ftl`).
const HOTLINES: [&str; 5] = ["emergency", "mx_trata", "us_nhth", "us_nhth_text", "us_hsi"];

/// A printed plan is always an attachment under a neutral name that says nothing about whose
/// it is or what it is for.
const PDF_DISPOSITION: &str = "attachment; filename=\"plan.pdf\"";

fn person_id(id: &str) -> Result<PersonId, AppError> {
    PersonId::from_str(id).map_err(|_| AppError::NotFound)
}

/// A message in a given language (the survivor's, for what is printed).
fn t_in(lang: Language, key: &str, args: &[(&str, Arg)]) -> String {
    amparo_i18n::t_args(lang, key, args)
}

/// The signed-in caller and the person the path names (a malformed id is "not found").
fn reader(state: &AppState, v: &Visitor, id: &str) -> Result<(Caller, PersonId), Response> {
    let s = v.active()?;
    let pid = person_id(id).map_err(|e| fail(state, v, &e))?;
    Ok((caller(s), pid))
}

fn field_label(l: Tr, f: PlanField) -> String {
    l.t(&format!("safety-field-{}", f.code()))
}

// ---------------------------------------------------------------------------------------------
// Printing

/// The help lines in a language.
pub fn hotlines(lang: Language) -> Vec<Hotline> {
    HOTLINES
        .iter()
        .map(|code| Hotline {
            name: t_in(lang, &format!("safety-hotline-{code}-name"), &[]),
            number: t_in(lang, &format!("safety-hotline-{code}-number"), &[]),
        })
        .collect()
}

/// The safe channels as the survivor reads them on paper: which ones, whether a message may
/// be left, when, who may answer. Cover stories and duress words are staff instructions and
/// stay off the paper.
fn contact_lines(lang: Language, rules: &[amparo_app::records::SafeContact]) -> Vec<String> {
    rules
        .iter()
        .filter(|r| r.safe)
        .filter_map(|r| {
            let channel = r.channel?;
            let mut parts = vec![t_in(
                lang,
                if r.voicemail_ok { "safety-print-voicemail-yes" } else { "safety-print-voicemail-no" },
                &[],
            )];
            if let Some(times) = r.safe_times.as_deref().filter(|t| !t.trim().is_empty()) {
                parts.push(t_in(lang, "safety-print-times", &[("times", Arg::Str(times.to_owned()))]));
            }
            if let Some(who) = r.who_may_answer.as_deref().filter(|t| !t.trim().is_empty()) {
                parts.push(t_in(lang, "safety-print-who", &[("who", Arg::Str(who.to_owned()))]));
            }
            Some(format!("{}: {}", t_in(lang, &format!("code-channel-{}", channel.code()), &[]), parts.join("; ")))
        })
        .collect()
}

/// The plan as it is printed, every word in the language the survivor chose. Parts left
/// blank are not printed; the agency's name only when the survivor agreed to it.
pub fn plan_for_print(p: &PlanToPrint) -> PlanForPrint {
    let plan = &p.plan;
    let lang = plan.language;
    let mut sections: Vec<PrintSection> = PlanField::ALL
        .iter()
        .filter_map(|f| {
            plan.texts.get(*f).map(|text| PrintSection {
                heading: t_in(lang, &format!("safety-field-{}", f.code()), &[]),
                body: text.to_owned(),
            })
        })
        .collect();
    let contact = contact_lines(lang, &plan.safe_contact);
    if !contact.is_empty() {
        sections.push(PrintSection { heading: t_in(lang, "safety-print-contact", &[]), body: contact.join("\n") });
    }
    let day = match lang {
        Language::Es => plan.created_at.format("%d/%m/%Y").to_string(),
        Language::En => plan.created_at.format("%Y-%m-%d").to_string(),
    };
    PlanForPrint {
        lang: lang.code().to_owned(),
        title: t_in(lang, "safety-print-title", &[]),
        subtitle: t_in(lang, "safety-print-version", &[("version", Arg::Num(plan.version)), ("date", Arg::Str(day))]),
        agency: p.agency_name.clone().filter(|_| plan.show_agency_name),
        sections,
        hotlines_heading: t_in(lang, "safety-print-hotlines", &[]),
        hotlines: hotlines(lang),
        footer: t_in(lang, "safety-print-footer", &[]),
    }
}

/// Renders the plan as a PDF off the async runtime (Typst is CPU work) and answers it as an
/// attachment under a neutral name, never cached.
pub async fn pdf_response(p: PlanToPrint) -> Result<Response, AppError> {
    let print = plan_for_print(&p);
    let bytes = tokio::task::spawn_blocking(move || amparo_pdf::render_safety_plan(&print))
        .await
        .map_err(|_| AppError::Unavailable("pdf renderer stopped".into()))?
        .map_err(|e| {
            tracing::error!(code = e.code(), "safety plan PDF failed");
            AppError::Integrity(e.code().into())
        })?;
    let len = bytes.len();
    let mut r = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(PDF_DISPOSITION));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// The section on the person page

/// A part of a plan as shown: its label and text (empty: nothing written).
pub struct PlanLine {
    pub code: &'static str,
    pub label: String,
    pub text: String,
}

fn plan_lines(l: Tr, texts: &PlanTexts) -> Vec<PlanLine> {
    PlanField::ALL
        .iter()
        .map(|f| PlanLine {
            code: f.code(),
            label: field_label(l, *f),
            text: texts.get(*f).unwrap_or_default().to_owned(),
        })
        .collect()
}

/// `_safety_plan.html`: shown to those who may read the safety section.
#[derive(Default)]
pub struct SafetySection {
    pub show: bool,
    pub person_id: String,
    pub may_write: bool,
    /// "Version 3, saved … by …"; empty: no plan yet.
    pub current: String,
    pub lines: Vec<PlanLine>,
}

fn saved_line(l: Tr, version: i64, when: chrono::DateTime<chrono::Utc>, who: Option<&str>) -> String {
    let when = date_time(l, when);
    match who {
        Some(who) => amparo_i18n::t_args(
            l.0,
            "safety-current-by",
            &[("version", Arg::Num(version)), ("when", Arg::Str(when)), ("who", Arg::Str(who.to_owned()))],
        ),
        None => amparo_i18n::t_args(l.0, "safety-current", &[("version", Arg::Num(version)), ("when", Arg::Str(when))]),
    }
}

/// The section for the person page (reads, and audits, the current plan).
pub async fn person_section(state: &AppState, l: Tr, c: &Caller, person: PersonId) -> Result<SafetySection, AppError> {
    let can = state.app.safety_can(c, person).await?;
    if !can.read {
        return Ok(SafetySection::default());
    }
    let plan = state.app.safety_plan(c, person).await?;
    Ok(SafetySection {
        show: true,
        person_id: person.to_string(),
        may_write: can.write,
        current: plan
            .as_ref()
            .map(|p| saved_line(l, p.version, p.created_at, p.created_by_name.as_deref()))
            .unwrap_or_default(),
        lines: plan
            .map(|p| plan_lines(l, &p.texts).into_iter().filter(|line| !line.text.is_empty()).collect())
            .unwrap_or_default(),
    })
}

// ---------------------------------------------------------------------------------------------
// A version of the plan

#[derive(Template)]
#[template(path = "safety_plan.html")]
struct PlanPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    notice: Option<String>,
    has_plan: bool,
    may_write: bool,
    heading: String,
    saved: String,
    /// An earlier version (the page links to the current one).
    earlier: bool,
    language: String,
    agency: String,
    lines: Vec<PlanLine>,
    contact: Vec<ScRow>,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Response {
    let (c, pid) = match reader(&state, &v, &id) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let l = v.tr();
    let (plan, can) = match tokio::try_join!(state.app.safety_plan(&c, pid), state.app.safety_can(&c, pid)) {
        Ok(found) => found,
        Err(e) => return fail(&state, &v, &e),
    };
    // Only a fixed word travels in the URL, never a value.
    let notice = match q.done.as_str() {
        "saved" => Some(l.t("safety-notice-saved")),
        _ => None,
    };
    render_plan(&state, &v, pid, plan.as_ref(), can.write, notice)
}

pub async fn show_version(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, version)): Path<(String, String)>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = caller(s);
    let (Ok(pid), Ok(version)) = (person_id(&id), version.parse::<i64>()) else {
        return fail(&state, &v, &AppError::NotFound);
    };
    let (plan, can) =
        match tokio::try_join!(state.app.safety_plan_version(&c, pid, version), state.app.safety_can(&c, pid)) {
            Ok(found) => found,
            Err(e) => return fail(&state, &v, &e),
        };
    render_plan(&state, &v, pid, Some(&plan), can.write, None)
}

fn render_plan(
    state: &AppState,
    v: &Visitor,
    pid: PersonId,
    plan: Option<&SafetyPlanView>,
    may_write: bool,
    notice: Option<String>,
) -> Response {
    let l = v.tr();
    let title = l.t("safety-title");
    let page = v.page(state, title.clone());
    let t = PlanPage {
        person_id: pid.to_string(),
        notice,
        has_plan: plan.is_some(),
        may_write,
        heading: plan.map_or(title, |p| {
            format!("{} · {}", l.t("safety-title"), l.n("safety-version-heading", "version", p.version))
        }),
        saved: plan
            .map(|p| match &p.created_by_name {
                Some(who) => amparo_i18n::t_args(
                    l.0,
                    "safety-saved-by",
                    &[("when", Arg::Str(date_time(l, p.created_at))), ("who", Arg::Str(who.clone()))],
                ),
                None => l.t1("safety-saved-at", "when", &date_time(l, p.created_at)),
            })
            .unwrap_or_default(),
        earlier: plan.is_some_and(|p| !p.latest),
        language: plan.map(|p| label(l, "language", p.language.code())).unwrap_or_default(),
        agency: plan.map(|p| l.t(if p.show_agency_name { "records-yes" } else { "records-no" })).unwrap_or_default(),
        lines: plan.map(|p| plan_lines(l, &p.texts)).unwrap_or_default(),
        contact: plan.filter(|p| !p.safe_contact.is_empty()).map(|p| sc_rows(l, &p.safe_contact)).unwrap_or_default(),
        l,
        page,
    };
    v.finish(state, html(StatusCode::OK, &t))
}

// ---------------------------------------------------------------------------------------------
// The form

/// The form as typed.
#[derive(Clone, Default)]
struct PlanForm {
    language: String,
    show_agency_name: bool,
    base_version: i64,
    texts: PlanTexts,
}

impl PlanForm {
    fn from_fields(f: &Fields) -> Self {
        let mut texts = PlanTexts::default();
        for field in PlanField::ALL {
            // Browsers send a textarea's line breaks as CR LF: a transport detail, not the text.
            let typed = f.get(field.code()).replace("\r\n", "\n");
            texts.set(*field, Some(typed).filter(|t| !t.trim().is_empty()));
        }
        Self {
            language: f.get("language").to_owned(),
            show_agency_name: f.get("show_agency_name") == "yes",
            base_version: f.get("base_version").parse().unwrap_or(0),
            texts,
        }
    }

    fn input(&self) -> SafetyPlanInput {
        SafetyPlanInput {
            language: self.language.clone(),
            show_agency_name: self.show_agency_name,
            base_version: Some(self.base_version),
            texts: self.texts.clone(),
        }
    }
}

/// A textarea of the form.
struct PlanInput {
    code: &'static str,
    label: String,
    hint: String,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "safety_plan_form.html")]
struct FormPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    base_version: i64,
    languages: Vec<Choice>,
    show_agency_name: bool,
    inputs: Vec<PlanInput>,
    conflict: bool,
    errors: FormErrors,
}

fn render_form(
    state: &AppState,
    v: &Visitor,
    pid: PersonId,
    form: &PlanForm,
    errors: FormErrors,
    conflict: bool,
) -> Response {
    let l = v.tr();
    let page = v.page(state, l.t("safety-form-title"));
    let languages = ["es", "en"]
        .iter()
        .map(|code| Choice {
            code: (*code).to_owned(),
            label: label(l, "language", code),
            selected: form.language == *code,
        })
        .collect();
    let inputs = PlanField::ALL
        .iter()
        .map(|f| PlanInput {
            code: f.code(),
            label: field_label(l, *f),
            hint: l.t(&format!("safety-hint-{}", f.code())),
            value: form.texts.get(*f).unwrap_or_default().to_owned(),
            error: errors.get(f.code()).cloned(),
        })
        .collect();
    let status = if errors.is_empty() && !conflict {
        StatusCode::OK
    } else if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let t = FormPage {
        l,
        page,
        person_id: pid.to_string(),
        base_version: form.base_version,
        languages,
        show_agency_name: form.show_agency_name,
        inputs,
        conflict,
        errors,
    };
    v.finish(state, html(status, &t))
}

pub async fn edit_form(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let (c, pid) = match reader(&state, &v, &id) {
        Ok(found) => found,
        Err(r) => return r,
    };
    // Writing needs the right to write; the form is not offered to a reader only.
    match state.app.safety_can(&c, pid).await {
        Ok(can) if can.write => {}
        Ok(_) => return fail(&state, &v, &AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        Err(e) => return fail(&state, &v, &e),
    }
    let form = match state.app.safety_plan(&c, pid).await {
        Ok(Some(p)) => PlanForm {
            language: p.language.code().to_owned(),
            show_agency_name: p.show_agency_name,
            base_version: p.version,
            texts: p.texts,
        },
        // A first plan is printed in the staff member's language unless the survivor picks another.
        Ok(None) => PlanForm { language: v.lang.code().to_owned(), ..PlanForm::default() },
        Err(e) => return fail(&state, &v, &e),
    };
    render_form(&state, &v, pid, &form, FormErrors::default(), false)
}

pub async fn save(State(state): State<AppState>, v: Visitor, Path(id): Path<String>, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = caller(s);
    let pid = match person_id(&id) {
        Ok(p) => p,
        Err(e) => return fail(&state, &v, &e),
    };
    let mut form = PlanForm::from_fields(&f);
    match state.app.save_safety_plan(&c, pid, form.input()).await {
        Ok(_) => see_other(&format!("/persons/{pid}/safety-plan?done=saved")),
        Err(AppError::Conflict) => {
            // Keep what was typed; the next save goes on top of the newest version, knowingly.
            match state.app.safety_plan(&c, pid).await {
                Ok(newest) => form.base_version = newest.map_or(0, |p| p.version),
                Err(e) => return fail(&state, &v, &e),
            }
            render_form(&state, &v, pid, &form, FormErrors::default(), true)
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            if field_message(v.tr(), &e, &mut errors) {
                render_form(&state, &v, pid, &form, errors, false)
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// History

struct VersionLine {
    version: i64,
    /// "Open version 3", for screen readers.
    open_label: String,
    language: String,
    saved: String,
    by: String,
}

#[derive(Template)]
#[template(path = "safety_plan_history.html")]
struct HistoryPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    lines: Vec<VersionLine>,
}

pub async fn history(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let (c, pid) = match reader(&state, &v, &id) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let l = v.tr();
    let versions = match state.app.safety_plan_versions(&c, pid).await {
        Ok(list) => list,
        Err(e) => return fail(&state, &v, &e),
    };
    let lines = versions
        .iter()
        .map(|r| VersionLine {
            version: r.version,
            open_label: l.n("safety-history-open", "version", r.version),
            language: label(l, "language", r.language.code()),
            saved: date_time(l, r.created_at),
            by: r.created_by_name.clone().unwrap_or_default(),
        })
        .collect();
    let page = v.page(&state, l.t("safety-history-title"));
    v.finish(&state, html(StatusCode::OK, &HistoryPage { l, page, person_id: pid.to_string(), lines }))
}

// ---------------------------------------------------------------------------------------------
// Printing: a page of its own, in the survivor's language, and the PDF

#[derive(Template)]
#[template(path = "safety_plan_print.html")]
struct PrintPage {
    /// The staff member's language, for the few words that are not printed.
    l: Tr,
    person_id: String,
    print: PlanForPrint,
}

/// The newest plan to print, for the signed-in visitor (audited as a print by the use case).
async fn to_print(state: &AppState, v: &Visitor, id: &str) -> Result<PlanToPrint, Response> {
    let (c, pid) = reader(state, v, id)?;
    state.app.safety_plan_to_print(&c, pid).await.map_err(|e| fail(state, v, &e))
}

pub async fn print_page(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    match to_print(&state, &v, &id).await {
        Ok(p) => {
            let t = PrintPage { l: v.tr(), person_id: p.plan.person_id.to_string(), print: plan_for_print(&p) };
            v.finish(&state, html(StatusCode::OK, &t))
        }
        Err(r) => r,
    }
}

pub async fn pdf(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    match to_print(&state, &v, &id).await {
        Ok(p) => pdf_response(p).await.unwrap_or_else(|e| fail(&state, &v, &e)),
        Err(r) => r,
    }
}

// ---------------------------------------------------------------------------------------------
// The crisis log

struct CrisisLine {
    when: String,
    what: String,
    actions: String,
    referrals: String,
    by: String,
}

/// The crisis form as typed.
#[derive(Clone, Default)]
struct CrisisForm {
    date: String,
    time: String,
    what_happened: String,
    actions_taken: String,
    referrals_made: String,
}

#[derive(Template)]
#[template(path = "crisis_log.html")]
struct CrisisPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    notice: Option<String>,
    lines: Vec<CrisisLine>,
    may_write: bool,
    form: CrisisForm,
    errors: FormErrors,
}

fn crisis_line(l: Tr, c: &CrisisContactView) -> CrisisLine {
    CrisisLine {
        when: date_time(l, c.occurred_at),
        what: c.what_happened.clone(),
        actions: c.actions_taken.clone().unwrap_or_default(),
        referrals: c.referrals_made.clone().unwrap_or_default(),
        by: c.created_by_name.clone().unwrap_or_default(),
    }
}

async fn render_crisis(
    state: &AppState,
    v: &Visitor,
    id: &str,
    form: CrisisForm,
    errors: FormErrors,
    notice: Option<String>,
) -> Response {
    let (c, pid) = match reader(state, v, id) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let l = v.tr();
    let (list, can) = match tokio::try_join!(state.app.crisis_contacts(&c, pid), state.app.safety_can(&c, pid)) {
        Ok(found) => found,
        Err(e) => return fail(state, v, &e),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = v.page(state, l.t("crisis-title"));
    let t = CrisisPage {
        person_id: pid.to_string(),
        notice,
        lines: list.iter().map(|x| crisis_line(l, x)).collect(),
        may_write: can.write,
        form,
        errors,
        l,
        page,
    };
    v.finish(state, html(status, &t))
}

pub async fn crisis_page(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Response {
    let notice = (q.done == "logged").then(|| v.tr().t("safety-notice-crisis"));
    render_crisis(&state, &v, &id, CrisisForm::default(), FormErrors::default(), notice).await
}

/// Reads the crisis form: an empty date and time is "now"; a date without a time is the
/// start of that day.
fn crisis_input(l: Tr, form: &CrisisForm, errors: &mut FormErrors) -> CrisisContactInput {
    let occurred_at = match (form.date.trim(), form.time.trim()) {
        ("", "") => None,
        (d, t) => {
            let day = NaiveDate::parse_from_str(d, "%Y-%m-%d");
            let time = if t.is_empty() {
                Ok(NaiveTime::MIN)
            } else {
                amparo_domain::records::time_of_day(t)
                    .ok()
                    .and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok())
                    .ok_or(())
            };
            if day.is_err() {
                errors.push("occurred_on", l.t("cw-error-date-malformed"));
            }
            if time.is_err() {
                errors.push("occurred_time", l.t("error-time_malformed"));
            }
            match (day, time) {
                (Ok(d), Ok(t)) => Some(d.and_time(t).and_utc()),
                _ => None,
            }
        }
    };
    CrisisContactInput {
        occurred_at,
        what_happened: form.what_happened.clone(),
        actions_taken: Some(form.actions_taken.replace("\r\n", "\n")).filter(|t| !t.trim().is_empty()),
        referrals_made: Some(form.referrals_made.replace("\r\n", "\n")).filter(|t| !t.trim().is_empty()),
    }
}

pub async fn crisis_log(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = caller(s);
    let l = v.tr();
    let form = CrisisForm {
        date: f.get("occurred_on").to_owned(),
        time: f.get("occurred_time").to_owned(),
        what_happened: f.get("what_happened").to_owned(),
        actions_taken: f.get("actions_taken").to_owned(),
        referrals_made: f.get("referrals_made").to_owned(),
    };
    let mut errors = FormErrors::default();
    let input = crisis_input(l, &form, &mut errors);
    if !errors.is_empty() {
        return render_crisis(&state, &v, &id, form, errors, None).await;
    }
    let result = match person_id(&id) {
        Ok(pid) => state.app.log_crisis_contact(&c, pid, input).await.map(|_| pid),
        Err(e) => Err(e),
    };
    match result {
        Ok(pid) => see_other(&format!("/persons/{pid}/crisis-log?done=logged")),
        Err(e) => {
            if !field_message(l, &e, &mut errors) {
                return fail(&state, &v, &e);
            }
            // The form's field for the time is split in two; the summary's limit is its own.
            let errors = FormErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(field, message)| match (field.as_ref(), e.code()) {
                        ("occurred_at", _) => ("occurred_on".into(), message),
                        ("what_happened", "text_too_long") => (field, l.t("crisis-error-too-long")),
                        _ => (field, message),
                    })
                    .collect(),
            );
            render_crisis(&state, &v, &id, form, errors, None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amparo_domain::records::ContactChannel;

    /// Labels are looked up from codes at run time, so no scan of the templates finds them.
    #[test]
    fn every_plan_label_and_help_line_exists_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        for f in PlanField::ALL {
            keys.push(format!("safety-field-{}", f.code()));
            keys.push(format!("safety-hint-{}", f.code()));
        }
        for h in HOTLINES {
            keys.push(format!("safety-hotline-{h}-name"));
            keys.push(format!("safety-hotline-{h}-number"));
        }
        for c in ContactChannel::ALL {
            keys.push(format!("code-channel-{}", c.code()));
        }
        keys.push("code-task_kind-crisis_follow_up".to_owned());
        for lang in Language::ALL {
            let have = amparo_i18n::keys(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !have.contains(*k)).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        }
    }

    #[test]
    fn the_help_lines_are_the_same_numbers_in_both_languages() {
        let es: Vec<String> = hotlines(Language::Es).into_iter().map(|h| h.number).collect();
        let en: Vec<String> = hotlines(Language::En).into_iter().map(|h| h.number).collect();
        assert_eq!(es, en);
        assert!(es.contains(&"800 5533 000".to_owned()) && es.contains(&"1-888-373-7888".to_owned()));
    }
}
