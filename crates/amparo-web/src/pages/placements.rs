//! Placements for coordinators: the sites and teams with their needs (how many still open),
//! one site with the people the matcher proposes for each need and why, a Confirm button for
//! each, and the people placed there; and for everyone, their own placements and when in the
//! week they can serve. Plain forms, POST then 303; a form with a mistake comes back with
//! what was typed. Only ids travel in URLs.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::AppError;
use amparo_app::placements::{
    NeedInput, NeedView, PlacementFilter, PlacementInput, PlacementView, SiteInput, SiteView, WeeklyAvailability,
};
use amparo_domain::placements::{NeedId, PlacementId, Reason, SiteId, SiteKind, Slot};
use amparo_domain::records::vocab;
use amparo_domain::staff::{Background, LanguageSkill};
use amparo_domain::{DomainError, UserId};
use amparo_i18n::Arg;

use crate::AppState;
use crate::pages::field_error;
use crate::pages::records::{Choice, Fields, caller, choices, date, fail, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

fn t_args(l: Tr, key: &str, args: &[(&str, Arg)]) -> String {
    amparo_i18n::t_args(l.0, key, args)
}

fn language_name(l: Tr, code: &str) -> String {
    label(l, "language", code)
}

fn slot_label(l: Tr, s: Slot) -> String {
    l.t(&format!("placements-slot-{}", s.code()))
}

fn background_label(l: Tr, b: Background) -> String {
    l.t(&format!("staff-background-{}", b.code()))
}

/// A reason of the matcher in the reader's language: "speaks Spanish C1 (needed B2)".
pub fn reason_text(l: Tr, r: &Reason) -> String {
    let key = format!("placements-reason-{}", r.code());
    let s = |v: String| Arg::Str(v);
    match r {
        Reason::LanguageMeets { language, level, needed } => t_args(
            l,
            &key,
            &[
                ("language", s(language_name(l, language))),
                ("level", s(level.code().into())),
                ("needed", s(needed.code().into())),
            ],
        ),
        Reason::LanguageBelow { language, level, needed } => t_args(
            l,
            &key,
            &[
                ("language", s(language_name(l, language))),
                ("level", s(level.map_or_else(|| "—".to_owned(), |v| v.code().to_owned()))),
                ("needed", s(needed.code().into())),
            ],
        ),
        Reason::ExtraLanguage { language, level } => {
            t_args(l, &key, &[("language", s(language_name(l, language))), ("level", s(level.code().into()))])
        }
        Reason::BackgroundWanted { background } => {
            t_args(l, &key, &[("background", s(background_label(l, *background)))])
        }
        Reason::Available { slots } => {
            let list = slots.iter().map(|x| slot_label(l, *x)).collect::<Vec<_>>().join(", ");
            t_args(l, &key, &[("slots", s(list))])
        }
        Reason::PlacedElsewhere { count } => {
            t_args(l, &key, &[("count", Arg::Num(i64::try_from(*count).unwrap_or(i64::MAX)))])
        }
        Reason::NotClearedUntil { date: d } => t_args(l, &key, &[("date", s(date(l, *d)))]),
        Reason::NotAvailable
        | Reason::AvailabilityUnknown
        | Reason::AlreadyPlacedHere
        | Reason::Cleared
        | Reason::NotCleared => l.t(&key),
    }
}

fn region_label(code: &str) -> String {
    vocab::place_name(code).map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
}

fn regions(selected: &str) -> Vec<Choice> {
    vocab::all_places()
        .into_iter()
        .map(|(code, name)| Choice {
            code: code.to_owned(),
            label: format!("{name} ({code})"),
            selected: code.eq_ignore_ascii_case(selected),
        })
        .collect()
}

fn kinds(l: Tr, selected: &str) -> Vec<Choice> {
    choices(l, "site_kind", SiteKind::ALL.iter().map(|k| k.code()), &[selected.to_owned()])
}

/// A need as a line of the pages.
pub struct NeedLine {
    pub id: String,
    pub languages: String,
    pub backgrounds: String,
    pub slots: String,
    pub people: i64,
    pub confirmed: i64,
    pub proposed: i64,
    pub open: i64,
    pub period: String,
    pub notes: String,
}

fn period_text(l: Tr, from: chrono::NaiveDate, to: Option<chrono::NaiveDate>) -> String {
    match to {
        Some(to) => format!("{} – {}", date(l, from), date(l, to)),
        None => format!("{} –", date(l, from)),
    }
}

fn need_line(l: Tr, n: &NeedView) -> NeedLine {
    NeedLine {
        id: n.id.to_string(),
        languages: n
            .languages
            .iter()
            .map(|x| format!("{} {}", language_name(l, &x.language), x.level.code()))
            .collect::<Vec<_>>()
            .join(", "),
        backgrounds: n.backgrounds.iter().map(|b| background_label(l, *b)).collect::<Vec<_>>().join(", "),
        slots: if n.slots.is_empty() {
            l.t("placements-slots-any")
        } else {
            n.slots.iter().map(|x| slot_label(l, *x)).collect::<Vec<_>>().join(", ")
        },
        people: n.people,
        confirmed: n.confirmed,
        proposed: n.proposed,
        open: n.open,
        period: period_text(l, n.starts_on, n.ends_on),
        notes: n.notes.clone().unwrap_or_default(),
    }
}

/// A placement as a line of the pages.
pub struct PlacementLine {
    pub id: String,
    pub site: String,
    pub kind: String,
    pub user_id: String,
    pub name: String,
    pub period: String,
    pub status_code: String,
    pub status: String,
    pub version: i64,
}

fn placement_line(l: Tr, p: &PlacementView) -> PlacementLine {
    PlacementLine {
        id: p.id.to_string(),
        site: p.site_name.clone(),
        kind: label(l, "site_kind", p.site_kind.code()),
        user_id: p.user.to_string(),
        name: p.name.clone(),
        period: period_text(l, p.starts_on, p.ends_on),
        status_code: p.status.code().to_owned(),
        status: l.t(&format!("placements-status-{}", p.status.code())),
        version: p.version,
    }
}

/// A site as a line of the list.
pub struct SiteLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub programme: String,
    pub region: String,
    pub direct_contact: bool,
    pub needs: usize,
    pub open: i64,
    pub placed: usize,
}

fn site_line(l: Tr, s: &SiteView) -> SiteLine {
    SiteLine {
        id: s.id.to_string(),
        name: s.name.clone(),
        kind: label(l, "site_kind", s.kind.code()),
        programme: s.programme.clone().unwrap_or_default(),
        region: region_label(&s.region),
        direct_contact: s.direct_contact,
        needs: s.needs.len(),
        open: s.needs.iter().map(|n| n.open).sum(),
        placed: s.placements.len(),
    }
}

/// The new-site form, as typed.
#[derive(Default)]
pub struct SiteForm {
    pub kind: String,
    pub name: String,
    pub programme: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    sites: Vec<SiteLine>,
    form: SiteForm,
    kinds: Vec<Choice>,
    regions: Vec<Choice>,
}

async fn list_page(state: &AppState, v: &Visitor, form: SiteForm, errors: FormErrors) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let sites = match state.app.placement_sites(&caller(s)).await {
        Ok(list) => list.iter().map(|x| site_line(l, x)).collect(),
        Err(e) => return fail(state, v, &e),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        page: v.page(state, l.t("placements-title")),
        errors,
        sites,
        kinds: kinds(l, &form.kind),
        regions: regions(&form.region),
        form,
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn list(State(state): State<AppState>, v: Visitor) -> Response {
    list_page(&state, &v, SiteForm::default(), FormErrors::default()).await
}

pub async fn create_site(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = SiteForm {
        kind: f.get("kind").to_owned(),
        name: f.get("name").to_owned(),
        programme: f.get("programme").to_owned(),
        region: f.get("region").to_owned(),
    };
    let input = SiteInput {
        kind: form.kind.clone(),
        name: form.name.clone(),
        programme: Some(form.programme.clone()),
        region: form.region.clone(),
    };
    let mut errors = FormErrors::default();
    match state.app.create_placement_site(&caller(s), input).await {
        Ok(site) => see_other(&format!("/placements/{}", site.id)),
        Err(e) if field_error(&v, &e, &mut errors) => list_page(&state, &v, form, errors).await,
        Err(e) => fail(&state, &v, &e),
    }
}

/// A proposal as shown: who, from when, why, and what the Confirm form sends.
pub struct ProposalLine {
    pub user: String,
    pub name: String,
    pub role: String,
    pub starts_on: String,
    pub starts_on_code: String,
    pub reasons: Vec<String>,
}

/// One open need and its proposals.
pub struct MatchBlock {
    pub need: NeedLine,
    pub proposals: Vec<ProposalLine>,
}

/// The new-need form, as typed.
#[derive(Default)]
pub struct NeedForm {
    pub languages: String,
    pub backgrounds: Vec<String>,
    pub slots: Vec<String>,
    pub people: String,
    pub starts_on: String,
    pub ends_on: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "placement_site.html")]
struct SitePage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    site: SiteLine,
    needs: Vec<NeedLine>,
    matches: Vec<MatchBlock>,
    placed: Vec<PlacementLine>,
    form: NeedForm,
    backgrounds: Vec<Choice>,
    slots: Vec<Choice>,
}

fn site_id(raw: &str) -> Result<SiteId, AppError> {
    SiteId::from_str(raw).map_err(|_| AppError::NotFound)
}

async fn site_page(state: &AppState, v: &Visitor, id: &str, form: NeedForm, errors: FormErrors) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let c = caller(s);
    let id = match site_id(id) {
        Ok(id) => id,
        Err(e) => return fail(state, v, &e),
    };
    let site = match state.app.placement_site(&c, id).await {
        Ok(site) => site,
        Err(e) => return fail(state, v, &e),
    };
    let matches = match state.app.placement_matches(&c, id).await {
        Ok(m) => m,
        Err(e) => return fail(state, v, &e),
    };
    let matches = matches
        .iter()
        .map(|m| MatchBlock {
            need: need_line(l, &m.need),
            proposals: m
                .proposals
                .iter()
                .map(|p| ProposalLine {
                    user: p.user.to_string(),
                    name: p.name.clone(),
                    role: l.t(&format!("role-{}", p.role.code())),
                    starts_on: date(l, p.starts_on),
                    starts_on_code: p.starts_on.to_string(),
                    reasons: p.reasons.iter().map(|r| reason_text(l, r)).collect(),
                })
                .collect(),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SitePage {
        page: v.page(state, site.name.clone()),
        errors,
        needs: site.needs.iter().map(|n| need_line(l, n)).collect(),
        placed: site.placements.iter().map(|p| placement_line(l, p)).collect(),
        site: site_line(l, &site),
        matches,
        backgrounds: Background::ALL
            .iter()
            .map(|b| Choice {
                code: b.code().to_owned(),
                label: background_label(l, *b),
                selected: form.backgrounds.iter().any(|c| c == b.code()),
            })
            .collect(),
        slots: Slot::ALL
            .iter()
            .map(|x| Choice {
                code: x.code().to_owned(),
                label: slot_label(l, *x),
                selected: form.slots.iter().any(|c| c == x.code()),
            })
            .collect(),
        form,
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn show(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    site_page(&state, &v, &id, NeedForm { people: "1".into(), ..NeedForm::default() }, FormErrors::default()).await
}

/// Languages as typed: `es B2, en A2`.
fn parse_languages(raw: &str) -> Result<Vec<LanguageSkill>, DomainError> {
    raw.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut parts = s.split_whitespace();
            let lang = parts.next().unwrap_or_default();
            let level = parts.next().unwrap_or_default().to_ascii_uppercase();
            LanguageSkill::parse(lang, &level)
        })
        .collect()
}

fn codes<T>(
    l: Tr,
    raw: &[String],
    field: &'static str,
    parse: fn(&str) -> Result<T, DomainError>,
    errors: &mut FormErrors,
) -> Vec<T> {
    let mut out = Vec::new();
    for c in raw {
        match parse(c) {
            Ok(x) => out.push(x),
            Err(e) => errors.push(field, l.t(&format!("error-{}", e.code()))),
        }
    }
    out
}

pub async fn add_need(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let form = NeedForm {
        languages: f.get("languages").to_owned(),
        backgrounds: f.all("backgrounds"),
        slots: f.all("slots"),
        people: f.get("people").to_owned(),
        starts_on: f.get("starts_on").to_owned(),
        ends_on: f.get("ends_on").to_owned(),
        notes: f.get("notes").to_owned(),
    };
    let mut errors = FormErrors::default();
    let languages = parse_languages(&form.languages).unwrap_or_else(|e| {
        errors.push("languages", l.t(&format!("error-{}", e.code())));
        vec![]
    });
    let backgrounds = codes(l, &form.backgrounds, "backgrounds", Background::from_code, &mut errors);
    let slots = codes(l, &form.slots, "slots", Slot::from_code, &mut errors);
    let people = form.people.trim().parse::<i64>().unwrap_or(0);
    let sid = match site_id(&id) {
        Ok(sid) => sid,
        Err(e) => return fail(&state, &v, &e),
    };
    if !errors.is_empty() {
        return site_page(&state, &v, &id, form, errors).await;
    }
    let input = NeedInput {
        languages,
        backgrounds,
        slots,
        people,
        starts_on: form.starts_on.clone(),
        ends_on: Some(form.ends_on.clone()),
        notes: Some(form.notes.clone()),
    };
    match state.app.add_placement_need(&caller(s), sid, input).await {
        Ok(_) => see_other(&format!("/placements/{sid}")),
        Err(e) if field_error(&v, &e, &mut errors) => site_page(&state, &v, &id, form, errors).await,
        Err(e) => fail(&state, &v, &e),
    }
}

/// A refusal of a Confirm or End button: the site page with the message at the top.
async fn refused(state: &AppState, v: &Visitor, site: &str, e: &AppError) -> Response {
    let mut errors = FormErrors::default();
    if field_error(v, e, &mut errors) {
        site_page(state, v, site, NeedForm { people: "1".into(), ..NeedForm::default() }, errors).await
    } else {
        fail(state, v, e)
    }
}

/// The Confirm button of a proposal: a confirmed placement at once.
pub async fn confirm_proposal(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let parsed = (site_id(&id), NeedId::from_str(f.get("need")), UserId::from_str(f.get("user")));
    let (Ok(site), Ok(need), Ok(user)) = parsed else { return fail(&state, &v, &AppError::NotFound) };
    let input =
        PlacementInput { site, need: Some(need), user, starts_on: Some(f.get("starts_on").to_owned()), ends_on: None };
    match state.app.confirm_new_placement(&caller(s), input).await {
        Ok(_) => see_other(&format!("/placements/{site}#placed")),
        Err(e) => refused(&state, &v, &id, &e).await,
    }
}

/// Confirm (a proposed placement) or End, with the version read.
pub async fn change(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, placement, what)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = PlacementId::from_str(&placement) else { return fail(&state, &v, &AppError::NotFound) };
    let version = f.get("version").trim().parse::<i64>().ok();
    let c = caller(s);
    let done = match what.as_str() {
        "confirm" => state.app.confirm_placement(&c, pid, version).await,
        "end" => state.app.end_placement(&c, pid, version, Some(f.get("ends_on").to_owned())).await,
        _ => Err(AppError::NotFound),
    };
    match done {
        Ok(p) => see_other(&format!("/placements/{}#placed", p.site)),
        Err(e) => refused(&state, &v, &id, &e).await,
    }
}

#[derive(Template)]
#[template(path = "my_placements.html")]
struct PersonPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    user_id: String,
    own: bool,
    placements: Vec<PlacementLine>,
    slots: Vec<Choice>,
    version: i64,
}

fn whom(s: &amparo_app::SessionContext, id: &str) -> Result<UserId, AppError> {
    if id == "me" { Ok(s.actor.user) } else { UserId::from_str(id).map_err(|_| AppError::NotFound) }
}

async fn person_page(
    state: &AppState,
    v: &Visitor,
    id: &str,
    typed: Option<(Vec<String>, i64)>,
    errors: FormErrors,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let c = caller(s);
    let user = match whom(s, id) {
        Ok(u) => u,
        Err(e) => return fail(state, v, &e),
    };
    let availability = match state.app.weekly_availability(&c, user).await {
        Ok(a) => a,
        Err(e) => return fail(state, v, &e),
    };
    let filter = PlacementFilter { user: Some(user), site: None, include_ended: true };
    let placements = match state.app.list_placements(&c, &filter).await {
        Ok(list) => list.iter().map(|p| placement_line(l, p)).collect(),
        Err(e) => return fail(state, v, &e),
    };
    let (chosen, version) = typed
        .unwrap_or_else(|| (availability.slots.iter().map(|x| x.code().to_owned()).collect(), availability.version));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PersonPage {
        page: v.page(state, l.t("placements-mine-title")),
        errors,
        user_id: if user == s.actor.user { "me".into() } else { user.to_string() },
        own: user == s.actor.user,
        placements,
        slots: Slot::ALL
            .iter()
            .map(|x| Choice {
                code: x.code().to_owned(),
                label: slot_label(l, *x),
                selected: chosen.iter().any(|c| c == x.code()),
            })
            .collect(),
        version,
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn person(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    person_page(&state, &v, &id, None, FormErrors::default()).await
}

pub async fn save_availability(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let user = match whom(s, &id) {
        Ok(u) => u,
        Err(e) => return fail(&state, &v, &e),
    };
    let raw = f.all("slots");
    let version = f.get("version").trim().parse::<i64>().unwrap_or(-1);
    let mut errors = FormErrors::default();
    let slots = codes(l, &raw, "slots", Slot::from_code, &mut errors);
    if !errors.is_empty() {
        return person_page(&state, &v, &id, Some((raw, version)), errors).await;
    }
    match state.app.save_weekly_availability(&caller(s), user, WeeklyAvailability { slots, version }).await {
        Ok(_) => see_other(&format!("/staff/{id}/placements")),
        Err(AppError::Conflict) => {
            errors.push("slots", l.t("placements-availability-conflict"));
            person_page(&state, &v, &id, Some((raw, version)), errors).await
        }
        Err(e) if field_error(&v, &e, &mut errors) => person_page(&state, &v, &id, Some((raw, version)), errors).await,
        Err(e) => fail(&state, &v, &e),
    }
}
