//! Cases: the caseload, the case page with its coded fields, editing (with reconciling a
//! conflicting save), and break-glass when a case is outside one's reach.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use amparo_app::records::{CaseFields, CaseView};
use amparo_app::{AppError, SessionContext};
use amparo_domain::records::vocab::{ExploitationType, MeansOfControl, RecruitmentMethod, StatusDecidedBy};
use amparo_domain::records::{CaseStatus, ClosureReason, TraffickingStatus};
use amparo_domain::{CaseId, DomainError, UserId};

use amparo_domain::forms::{FormKind, FormLayout};

use crate::AppState;
use crate::pages::form_fields::{FieldInput, custom_facts, custom_input, custom_inputs, custom_shown};
use crate::pages::forms::field_label;
use crate::pages::nav::RecordRights;
use crate::pages::records::{Choice, Fields, caller, choices, date, date_time, fail, field_message, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

type Pairs = Form<Vec<(String, String)>>;

/// Lines per page of the caseload.
const PAGE_SIZE: i64 = 50;

fn case_id(id: &str) -> Result<CaseId, AppError> {
    CaseId::from_str(id).map_err(|_| AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Caseload

struct CaseLine {
    id: String,
    person_id: String,
    number: String,
    alias: String,
    status: String,
    opened_on: String,
    restricted: bool,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    l: Tr,
    page: PageCtx,
    statuses: Vec<Choice>,
    mine: bool,
    lines: Vec<CaseLine>,
    page_no: i64,
    prev: Option<String>,
    next: Option<String>,
    errors: FormErrors,
}

/// The filters are codes, never names, so they may travel in the URL.
#[derive(Deserialize, Default)]
pub struct CaseloadQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    page: Option<i64>,
}

fn caseload_url(status: &str, mine: bool, page: i64) -> String {
    let mut q = Vec::new();
    if !status.is_empty() {
        q.push(format!("status={status}"));
    }
    if mine {
        q.push("mine=1".to_owned());
    }
    q.push(format!("page={page}"));
    format!("/cases?{}", q.join("&"))
}

pub async fn caseload(State(state): State<AppState>, v: Visitor, Query(q): Query<CaseloadQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let mine = !q.mine.is_empty();
    let page_no = q.page.unwrap_or(1).max(1);
    let status = (!q.status.is_empty()).then_some(q.status.as_str());
    let mut errors = FormErrors::default();
    let (items, code) =
        match state.app.caseload(&caller(s), status, mine, PAGE_SIZE + 1, (page_no - 1) * PAGE_SIZE).await {
            Ok(items) => (items, StatusCode::OK),
            Err(e) if field_message(l, &e, &mut errors) => (Vec::new(), StatusCode::UNPROCESSABLE_ENTITY),
            Err(e) => return fail(&state, &v, &e),
        };
    let more = items.len() as i64 > PAGE_SIZE;
    let lines = items
        .into_iter()
        .take(usize::try_from(PAGE_SIZE).unwrap_or(50))
        .map(|c| CaseLine {
            id: c.id.to_string(),
            person_id: c.person_id.to_string(),
            number: c.number,
            alias: c.alias.unwrap_or_default(),
            status: label(l, "case_status", &c.status),
            opened_on: date(l, c.opened_on),
            restricted: c.restricted,
        })
        .collect();
    let statuses = choices(l, "case_status", CaseStatus::ALL.iter().map(|c| c.code()), std::slice::from_ref(&q.status));
    let t = CaseloadPage {
        statuses,
        mine,
        lines,
        page_no,
        prev: (page_no > 1).then(|| caseload_url(&q.status, mine, page_no - 1)),
        next: more.then(|| caseload_url(&q.status, mine, page_no + 1)),
        errors,
        page: v.page(&state, l.t("records-caseload-title")),
        l,
    };
    v.finish(&state, html(code, &t))
}

// ---------------------------------------------------------------------------------------------
// The case page

/// The case form as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct CaseForm {
    status: String,
    closure_reason: String,
    trafficking_status: String,
    status_decided_by: String,
    exploitation_types: Vec<String>,
    means_of_control: Vec<String>,
    recruitment: String,
    countries: String,
    places: String,
    opened_on: String,
    closed_on: String,
    restricted: bool,
    /// Team members kept (user ids).
    team: Vec<String>,
    add_me: bool,
    /// More members, one user id per line.
    assigned_to: String,
    /// The organisation's own fields: code → text typed.
    custom: Vec<(String, String)>,
}

impl CaseForm {
    fn of_view(c: &CaseView) -> Self {
        Self {
            status: c.status.clone(),
            closure_reason: c.closure_reason.clone().unwrap_or_default(),
            trafficking_status: c.trafficking_status.clone().unwrap_or_default(),
            status_decided_by: c.status_decided_by.clone().unwrap_or_default(),
            exploitation_types: c.exploitation_types.clone(),
            means_of_control: c.means_of_control.clone(),
            recruitment: c.recruitment.clone().unwrap_or_default(),
            countries: c.countries.join(", "),
            places: c.places.join(", "),
            opened_on: c.opened_on.to_string(),
            closed_on: c.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            restricted: c.restricted,
            team: c.team.iter().map(ToString::to_string).collect(),
            add_me: false,
            assigned_to: c.assigned_to.map(|u| u.to_string()).unwrap_or_default(),
            custom: custom_shown(&c.custom),
        }
    }

    fn of_fields(f: &Fields) -> Self {
        Self {
            status: f.get("status").to_owned(),
            closure_reason: f.get("closure_reason").to_owned(),
            trafficking_status: f.get("trafficking_status").to_owned(),
            status_decided_by: f.get("status_decided_by").to_owned(),
            exploitation_types: f.all("exploitation_types"),
            means_of_control: f.all("means_of_control"),
            recruitment: f.get("recruitment").to_owned(),
            countries: f.get("countries").to_owned(),
            places: f.get("places").to_owned(),
            opened_on: f.get("opened_on").to_owned(),
            closed_on: f.get("closed_on").to_owned(),
            restricted: f.has("restricted"),
            team: f.all("team"),
            add_me: f.has("add_me"),
            assigned_to: f.get("assigned_to").to_owned(),
            custom: f
                .0
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("custom.").map(|code| (code.to_owned(), v.clone())))
                .collect(),
        }
    }

    /// The fields to send. An empty picker leaves the stored value as it is, and a field the
    /// organisation hid is not sent (it is not on the form, and keeps its stored value).
    fn to_fields(&self, me: UserId, layout: &FormLayout) -> Result<CaseFields, AppError> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let day = |field: &'static str, s: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
            match opt(s) {
                None => Ok(None),
                Some(d) => chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map(Some).map_err(|_| {
                    AppError::invalid(
                        field,
                        DomainError::PersonField(amparo_domain::records::PersonFieldError::BirthDateMalformed),
                    )
                }),
            }
        };
        let list = |s: &str| -> Vec<String> {
            s.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut team: Vec<UserId> = Vec::new();
        for t in self.team.iter().map(String::as_str).filter(|t| !t.is_empty()) {
            let u = UserId::from_str(t).map_err(|_| AppError::invalid("team", DomainError::UnknownCode))?;
            if !team.contains(&u) {
                team.push(u);
            }
        }
        if self.add_me && !team.contains(&me) {
            team.push(me);
        }
        let assigned_to = match opt(&self.assigned_to) {
            None => None,
            Some(a) => {
                Some(UserId::from_str(&a).map_err(|_| AppError::invalid("assigned_to", DomainError::UnknownCode))?)
            }
        };
        let mut out = CaseFields {
            status: opt(&self.status),
            closure_reason: opt(&self.closure_reason),
            trafficking_status: opt(&self.trafficking_status),
            status_decided_by: opt(&self.status_decided_by),
            exploitation_types: Some(self.exploitation_types.clone()),
            means_of_control: Some(self.means_of_control.clone()),
            recruitment: opt(&self.recruitment),
            countries: Some(list(&self.countries)),
            places: Some(list(&self.places)),
            opened_on: day("opened_on", &self.opened_on)?,
            closed_on: day("closed_on", &self.closed_on)?,
            assigned_to,
            restricted: Some(self.restricted),
            team: Some(team),
            custom: layout.custom_fields().any(|c| !c.hidden).then(|| custom_input(&self.custom, layout)),
        };
        for hidden in layout.fields.iter().filter(|f| f.hidden) {
            match hidden.code.as_str() {
                "closure_reason" => out.closure_reason = None,
                "trafficking_status" => out.trafficking_status = None,
                "status_decided_by" => out.status_decided_by = None,
                "exploitation_types" => out.exploitation_types = None,
                "means_of_control" => out.means_of_control = None,
                "recruitment" => out.recruitment = None,
                "countries" => out.countries = None,
                "places" => out.places = None,
                "opened_on" => out.opened_on = None,
                "closed_on" => out.closed_on = None,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The inputs of the case's own fields, in the organisation's order (hidden ones left out).
    fn inputs(&self, l: Tr, layout: &FormLayout, errors: &FormErrors) -> Vec<FieldInput> {
        let one = |vocab: &str, codes: Vec<&'static str>, sel: &str| choices(l, vocab, codes, &[sel.to_owned()]);
        layout
            .visible()
            .filter(|f| !f.is_custom())
            .map(|f| {
                let base = |kind| FieldInput::new(f, l, f.code.clone(), kind, errors);
                match f.code.as_str() {
                    "status" => FieldInput {
                        choices: one("case_status", CaseStatus::ALL.iter().map(|x| x.code()).collect(), &self.status),
                        ..base("select")
                    },
                    "closure_reason" => FieldInput {
                        choices: one(
                            "closure_reason",
                            ClosureReason::ALL.iter().map(|x| x.code()).collect(),
                            &self.closure_reason,
                        ),
                        hint: l.t("records-case-closure_reason-hint"),
                        ..base("select")
                    },
                    "trafficking_status" => FieldInput {
                        choices: one(
                            "trafficking_status",
                            TraffickingStatus::ALL.iter().map(|x| x.code()).collect(),
                            &self.trafficking_status,
                        ),
                        ..base("select")
                    },
                    "status_decided_by" => FieldInput {
                        choices: one(
                            "status_decided_by",
                            StatusDecidedBy::ALL.iter().map(|x| x.code()).collect(),
                            &self.status_decided_by,
                        ),
                        ..base("select")
                    },
                    "recruitment" => FieldInput {
                        choices: one(
                            "recruitment",
                            RecruitmentMethod::ALL.iter().map(|x| x.code()).collect(),
                            &self.recruitment,
                        ),
                        ..base("select")
                    },
                    "exploitation_types" => FieldInput {
                        choices: choices(
                            l,
                            "exploitation_type",
                            ExploitationType::ALL.iter().map(|x| x.code()),
                            &self.exploitation_types,
                        ),
                        ..base("checkboxes")
                    },
                    "means_of_control" => FieldInput {
                        choices: choices(
                            l,
                            "means_of_control",
                            MeansOfControl::ALL.iter().map(|x| x.code()),
                            &self.means_of_control,
                        ),
                        ..base("checkboxes")
                    },
                    "countries" => FieldInput {
                        value: self.countries.clone(),
                        hint: l.t("records-field-citizenship-hint"),
                        ..base("codes")
                    },
                    "places" => FieldInput {
                        value: self.places.clone(),
                        hint: l.t("records-case-places-hint"),
                        ..base("codes")
                    },
                    "opened_on" => FieldInput { value: self.opened_on.clone(), ..base("date") },
                    "closed_on" => FieldInput { value: self.closed_on.clone(), ..base("date") },
                    _ => base("text"),
                }
            })
            .collect()
    }

    /// (label, as shown) per field the organisation shows, for the facts and the reconcile
    /// table.
    fn summary(&self, l: Tr, me: &SessionContext, layout: &FormLayout) -> Vec<(String, String)> {
        let one = |vocab: &str, c: &str| if c.is_empty() { String::new() } else { label(l, vocab, c) };
        let many = |vocab: &str, cs: &[String]| cs.iter().map(|c| label(l, vocab, c)).collect::<Vec<_>>().join(", ");
        let who = |u: &str| person_of(l, me, u);
        let mut out: Vec<(String, String)> = layout
            .visible()
            .filter(|f| !f.is_custom())
            .map(|f| {
                let shown = match f.code.as_str() {
                    "status" => one("case_status", &self.status),
                    "closure_reason" => one("closure_reason", &self.closure_reason),
                    "trafficking_status" => one("trafficking_status", &self.trafficking_status),
                    "status_decided_by" => one("status_decided_by", &self.status_decided_by),
                    "exploitation_types" => many("exploitation_type", &self.exploitation_types),
                    "means_of_control" => many("means_of_control", &self.means_of_control),
                    "recruitment" => one("recruitment", &self.recruitment),
                    "countries" => self.countries.clone(),
                    "places" => self.places.clone(),
                    "opened_on" => self.opened_on.clone(),
                    "closed_on" => self.closed_on.clone(),
                    _ => String::new(),
                };
                (field_label(f, l.0), shown)
            })
            .collect();
        out.push((
            l.t("records-case-restricted"),
            if self.restricted { l.t("records-yes") } else { l.t("records-no") },
        ));
        out.push((l.t("records-case-team"), self.team.iter().map(|u| who(u)).collect::<Vec<_>>().join(", ")));
        out.push((l.t("records-case-assigned_to"), who(&self.assigned_to)));
        let values = self
            .custom
            .iter()
            .map(|(k, v)| (k.clone(), Some(amparo_domain::forms::CustomValue::Text(v.clone()))))
            .collect();
        out.extend(custom_facts(l, layout, &values));
        out
    }
}

/// Staff are shown by id (the app offers no staff directory to non-administrators yet);
/// the reader is shown as themself.
fn person_of(l: Tr, me: &SessionContext, user: &str) -> String {
    if user.is_empty() {
        String::new()
    } else if user == me.actor.user.to_string() {
        l.t1("records-case-you", "email", &me.email)
    } else {
        user.to_owned()
    }
}

struct Member {
    id: String,
    shown: String,
    kept: bool,
}

struct DiffRow {
    label: String,
    typed: String,
    stored: String,
    differs: bool,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Tr,
    page: PageCtx,
    id: String,
    person_id: String,
    number: String,
    version: i64,
    facts: Vec<(String, String)>,
    restricted: bool,
    break_glass_until: Option<String>,
    may_edit: bool,
    form: CaseForm,
    /// The case's own fields, in the organisation's order.
    inputs: Vec<FieldInput>,
    custom: Vec<FieldInput>,
    members: Vec<Member>,
    me_on_team: bool,
    conflict: Option<Vec<DiffRow>>,
    errors: FormErrors,
    notice: Option<String>,
    documents: crate::pages::documents::DocumentsSection,
    casework: crate::pages::casework::CaseWork,
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    #[serde(default)]
    done: String,
}

struct CaseRender {
    form: CaseForm,
    version: i64,
    conflict: Option<Vec<DiffRow>>,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
}

async fn render_case(state: &AppState, v: &Visitor, s: &SessionContext, c: &CaseView, r: CaseRender) -> Response {
    let l = v.tr();
    let caller = amparo_app::Caller::User { actor: s.actor, channel: amparo_app::Channel::Web };
    let colleagues = state.app.colleagues(&caller).await.unwrap_or_default();
    let layout = match state.app.form_layout(&caller, FormKind::Case).await {
        Ok(layout) => layout,
        Err(e) => return fail(state, v, &e),
    };
    let stored = CaseForm::of_view(c);
    let mut facts = stored.summary(l, s, &layout);
    facts.retain(|(_, shown)| !shown.is_empty());
    let may_edit = c.may_edit;
    let f = &r.form;
    // Every colleague who works on records, then anyone on the team as stored or kept by the
    // form who is not among them (a disabled account): ticking adds, unticking removes.
    let mut members: Vec<Member> = colleagues
        .iter()
        .map(|u| {
            let id = u.id.to_string();
            let shown = if u.id == s.actor.user {
                person_of(l, s, &id)
            } else {
                format!("{} — {}", u.name, l.t(&format!("role-{}", u.role.code())))
            };
            Member { kept: f.team.contains(&id), id, shown }
        })
        .collect();
    for u in c.team.iter().map(ToString::to_string).chain(f.team.iter().cloned()) {
        if !members.iter().any(|m| m.id == u) {
            members.push(Member { shown: person_of(l, s, &u), kept: f.team.contains(&u), id: u });
        }
    }
    let me = s.actor.user.to_string();
    let documents = match crate::pages::documents::case_section(state, l, &caller, c.person_id, c.id).await {
        Ok(section) => section,
        Err(e) => return fail(state, v, &e),
    };
    let casework = match crate::pages::casework::case_work(state, l, s, c.id, may_edit).await {
        Ok(section) => section,
        Err(e) => return fail(state, v, &e),
    };
    let t = CasePage {
        id: c.id.to_string(),
        person_id: c.person_id.to_string(),
        number: c.number.clone(),
        version: r.version,
        facts,
        restricted: c.restricted,
        break_glass_until: c.break_glass_until.map(|t| date_time(l, t)),
        may_edit,
        inputs: f.inputs(l, &layout, &r.errors),
        custom: custom_inputs(l, &layout, &f.custom, &r.errors),
        me_on_team: members.iter().any(|m| m.id == me && m.kept),
        members,
        form: r.form,
        conflict: r.conflict,
        errors: r.errors,
        notice: r.notice,
        documents,
        casework,
        page: v.page(state, l.t1("records-case-title", "number", &c.number)),
        l,
    };
    v.finish(state, html(r.status, &t))
}

#[derive(Template)]
#[template(path = "case_forbidden.html")]
struct ForbiddenPage {
    l: Tr,
    page: PageCtx,
    id: String,
    may_break_glass: bool,
    reason: String,
    errors: FormErrors,
}

/// A case outside the reader's reach: say so, and offer break-glass to roles that have it.
fn forbidden(
    state: &AppState,
    v: &Visitor,
    s: &SessionContext,
    id: &str,
    reason: String,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let l = v.tr();
    let t = ForbiddenPage {
        page: v.page(state, l.t("error-forbidden-title")),
        id: id.to_owned(),
        may_break_glass: RecordRights::of(&s.actor).break_glass,
        reason,
        errors,
        l,
    };
    v.finish(state, html(status, &t))
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let result = match case_id(&id) {
        Ok(cid) => state.app.read_case(&caller(s), cid).await,
        Err(e) => Err(e),
    };
    let c = match result {
        Ok(c) => c,
        Err(AppError::Forbidden(_)) => {
            return forbidden(&state, &v, s, &id, String::new(), FormErrors::default(), StatusCode::FORBIDDEN);
        }
        Err(e) => return fail(&state, &v, &e),
    };
    let notice = match q.done.as_str() {
        "opened" => Some(l.t1("records-notice-case-opened", "number", &c.number)),
        "saved" => Some(l.t("notice-saved")),
        "break_glass" => Some(l.t("records-notice-break-glass")),
        "document" => Some(l.t("documents-notice-uploaded")),
        "document_deleted" => Some(l.t("documents-notice-deleted")),
        "entry" => Some(l.t("cw-notice-entry")),
        "task" => Some(l.t("cw-notice-task")),
        _ => None,
    };
    let r = CaseRender {
        form: CaseForm::of_view(&c),
        version: c.version,
        conflict: None,
        errors: FormErrors::default(),
        notice,
        status: StatusCode::OK,
    };
    render_case(&state, &v, s, &c, r).await
}

pub async fn update(State(state): State<AppState>, v: Visitor, Path(id): Path<String>, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(cid) = case_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let form = CaseForm::of_fields(&f);
    let version = f.get("version").trim().parse::<i64>().ok();
    let layout = match state.app.form_layout(&caller(s), FormKind::Case).await {
        Ok(layout) => layout,
        Err(e) => return fail(&state, &v, &e),
    };
    let result = match form.to_fields(s.actor.user, &layout) {
        Ok(fields) => state.app.update_case(&caller(s), cid, version, fields).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other(&format!("/cases/{cid}?done=saved")),
        Err(AppError::Conflict) => {
            let c = match state.app.read_case(&caller(s), cid).await {
                Ok(c) => c,
                Err(e) => return fail(&state, &v, &e),
            };
            let typed = form.summary(l, s, &layout);
            let stored = CaseForm::of_view(&c).summary(l, s, &layout);
            let rows = typed
                .into_iter()
                .zip(stored)
                .map(|((label, typed), (_, stored))| DiffRow { differs: typed != stored, label, typed, stored })
                .collect();
            let r = CaseRender {
                form,
                version: c.version,
                conflict: Some(rows),
                errors: FormErrors::default(),
                notice: None,
                status: StatusCode::CONFLICT,
            };
            render_case(&state, &v, s, &c, r).await
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            if !field_message(l, &e, &mut errors) {
                return fail(&state, &v, &e);
            }
            let c = match state.app.read_case(&caller(s), cid).await {
                Ok(c) => c,
                Err(e) => return fail(&state, &v, &e),
            };
            let r = CaseRender {
                form,
                version: version.unwrap_or(c.version),
                conflict: None,
                errors,
                notice: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            render_case(&state, &v, s, &c, r).await
        }
    }
}

pub async fn break_glass(
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
    let Ok(cid) = case_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let reason = f.get("reason").to_owned();
    let password = SecretString::from(f.get("password").to_owned());
    match state.app.break_glass(&caller(s), cid, &reason, password).await {
        Ok(_) => see_other(&format!("/cases/{cid}?done=break_glass")),
        Err(e) => {
            let mut errors = FormErrors::default();
            if field_message(l, &e, &mut errors) {
                forbidden(&state, &v, s, &id, reason, errors, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}
