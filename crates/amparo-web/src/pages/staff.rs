//! Pages for the people of the organisation: "My wellbeing" (the private ProQOL check-in
//! form, its result with the bands and the attribution, and one's own history), the
//! coordinators' monthly aggregate (nothing under five respondents), and staff profiles
//! (the person's own and, for coordinators, everyone's: start date, trainings and the day
//! access to survivor records opens). Plain forms, POST + 303, no JavaScript.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use amparo_app::AppError;
use amparo_app::staff::wellbeing::{AggregateView, CheckInInput, CheckInView, staff_catalogue};
use amparo_app::staff::{PolicyView, ProfileInput, StaffProfileView, TrainingInput};
use amparo_domain::staff::{Background, LanguageSkill, Period};
use amparo_domain::{Clearance, DomainError, Role, UserId};
use amparo_instruments::Instrument;

use crate::AppState;
use crate::pages::records::{Fields, caller, date, date_time, fail, field_message};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

const PROQOL: &str = "proqol5";

fn proqol() -> Result<&'static Instrument, AppError> {
    staff_catalogue()?.get(PROQOL).ok_or(AppError::Integrity("instruments".into()))
}

// ---------------------------------------------------------------------------------------------
// My wellbeing: the form and one's history

pub struct OptLine {
    pub id: String,
    pub value: u32,
    pub label: String,
    pub checked: bool,
}

pub struct ItemLine {
    pub field: String,
    pub legend: String,
    pub options: Vec<OptLine>,
    pub error: Option<String>,
}

/// A subscale of a result: its name, sum and band in words.
pub struct SubscaleLine {
    pub code: String,
    pub label: String,
    pub score: String,
    pub band: String,
}

pub struct HistoryLine {
    pub id: String,
    pub when: String,
    pub subscales: Vec<SubscaleLine>,
}

#[derive(Template)]
#[template(path = "wellbeing.html")]
struct WellbeingPage {
    l: Tr,
    page: PageCtx,
    title: String,
    time_frame: String,
    instructions: Option<String>,
    notice: String,
    licence: String,
    attribution: String,
    items: Vec<ItemLine>,
    history: Vec<HistoryLine>,
    errors: FormErrors,
}

fn subscale_lines(l: Tr, i: &Instrument, v: &CheckInView) -> Vec<SubscaleLine> {
    i.groups
        .iter()
        .map(|g| {
            let band = v.bands.get(&g.code).map_or_else(String::new, |b| {
                g.bands.iter().find(|x| &x.code == b).map_or(b.clone(), |x| x.label.get(l.0).to_owned())
            });
            SubscaleLine {
                code: g.code.clone(),
                label: g.label.get(l.0).to_owned(),
                score: v.subscales.get(&g.code).map_or_else(String::new, |s| s.to_string()),
                band,
            }
        })
        .collect()
}

fn wellbeing_page(
    state: &AppState,
    v: &Visitor,
    i: &Instrument,
    history: &[CheckInView],
    f: &Fields,
    errors: FormErrors,
) -> WellbeingPage {
    let l = v.tr();
    let items = i
        .items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let n = k + 1;
            let field = format!("item_{n}");
            let chosen = f.get(&field);
            ItemLine {
                legend: format!("{n}. {}", item.text.get(l.0)),
                options: i
                    .options_of(k)
                    .iter()
                    .enumerate()
                    .map(|(j, o)| OptLine {
                        id: if j == 0 { field.clone() } else { format!("{field}-{}", o.value) },
                        value: o.value,
                        label: o.label.get(l.0).to_owned(),
                        checked: chosen == o.value.to_string(),
                    })
                    .collect(),
                error: errors.get(&field).cloned(),
                field,
            }
        })
        .collect();
    WellbeingPage {
        page: v.page(state, l.t("wb-title")),
        title: i.title.get(l.0).to_owned(),
        time_frame: i.time_frame.get(l.0).to_owned(),
        instructions: i.instructions.as_ref().map(|t| t.get(l.0).to_owned()),
        notice: i.notice.get(l.0).to_owned(),
        licence: i.licence.get(l.0).to_owned(),
        attribution: i.attribution.get(l.0).to_owned(),
        items,
        history: history
            .iter()
            .map(|c| HistoryLine {
                id: c.id.to_string(),
                when: date_time(l, c.taken_at),
                subscales: subscale_lines(l, i, c),
            })
            .collect(),
        errors,
        l,
    }
}

pub async fn wellbeing(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let i = match proqol() {
        Ok(i) => i,
        Err(e) => return fail(&state, &v, &e),
    };
    let history = match state.app.my_checkins(&caller(s)).await {
        Ok(h) => h,
        Err(e) => return fail(&state, &v, &e),
    };
    let t = wellbeing_page(&state, &v, i, &history, &Fields(Vec::new()), FormErrors::default());
    v.finish(&state, html(StatusCode::OK, &t))
}

pub async fn check_in(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let i = match proqol() {
        Ok(i) => i,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let c = caller(s);
    let mut errors = FormErrors::default();
    let mut answers = Vec::with_capacity(i.items.len());
    for n in 1..=i.items.len() {
        let field = format!("item_{n}");
        match f.get(&field).trim().parse::<i64>() {
            Ok(a) => answers.push(a),
            Err(_) => errors.push(field, l.n("wb-item-missing", "number", i64::try_from(n).unwrap_or_default())),
        }
    }
    if errors.is_empty() {
        match state.app.wellbeing_check_in(&c, CheckInInput { instrument: PROQOL.into(), answers }).await {
            Ok(done) => return see_other(&format!("/me/wellbeing/{}", done.id)),
            Err(e) => {
                let e = match e {
                    AppError::InvalidField { field, problem } if field.starts_with("answers.") => {
                        AppError::InvalidField { field: field.replacen("answers.", "item_", 1), problem }
                    }
                    other => other,
                };
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
            }
        }
    }
    let history = state.app.my_checkins(&c).await.unwrap_or_default();
    let t = wellbeing_page(&state, &v, i, &history, &f, errors);
    v.finish(&state, html(StatusCode::UNPROCESSABLE_ENTITY, &t))
}

#[derive(Template)]
#[template(path = "wellbeing_result.html")]
struct ResultPage {
    l: Tr,
    page: PageCtx,
    when: String,
    subscales: Vec<SubscaleLine>,
    licence: String,
    attribution: String,
}

pub async fn result(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let found = match Uuid::from_str(&id) {
        Ok(id) => state.app.my_checkin(&caller(s), id).await,
        Err(_) => Err(AppError::NotFound),
    };
    let (view, i) = match (found, proqol()) {
        (Ok(view), Ok(i)) => (view, i),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let t = ResultPage {
        page: v.page(&state, l.t("wb-result-title")),
        when: date_time(l, view.taken_at),
        subscales: subscale_lines(l, i, &view),
        licence: i.licence.get(l.0).to_owned(),
        attribution: i.attribution.get(l.0).to_owned(),
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

// ---------------------------------------------------------------------------------------------
// The coordinators' aggregate

pub struct MeanLine {
    pub label: String,
    pub mean: String,
    pub band: String,
}

#[derive(Template)]
#[template(path = "wellbeing_aggregate.html")]
struct AggregatePage {
    l: Tr,
    page: PageCtx,
    period: String,
    /// "N people answered"; None below five (then nothing is said).
    respondents: Option<String>,
    means: Vec<MeanLine>,
    periods: Vec<String>,
    attribution: String,
}

#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

pub async fn aggregate(State(state): State<AppState>, v: Visitor, Query(q): Query<PeriodQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let period = match q.period.trim() {
        "" => None,
        p => match Period::parse(p) {
            Ok(p) => Some(p),
            Err(_) => return fail(&state, &v, &AppError::NotFound),
        },
    };
    let (view, i): (AggregateView, _) =
        match (state.app.wellbeing_aggregate(&caller(s), PROQOL, period).await, proqol()) {
            (Ok(view), Ok(i)) => (view, i),
            (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
        };
    let l = v.tr();
    let means = view
        .subscales
        .iter()
        .map(|m| {
            let g = i.groups.iter().find(|g| g.code == m.code);
            MeanLine {
                label: g.map_or(m.code.clone(), |g| g.label.get(l.0).to_owned()),
                mean: format!("{:.1}", m.mean),
                band: g
                    .and_then(|g| m.band.as_ref().and_then(|b| g.bands.iter().find(|x| &x.code == b)))
                    .map_or_else(String::new, |b| b.label.get(l.0).to_owned()),
            }
        })
        .collect();
    let t = AggregatePage {
        page: v.page(&state, l.t("wb-aggregate-title")),
        period: view.period,
        respondents: view.respondents.map(|n| l.n("wb-respondents", "count", i64::try_from(n).unwrap_or_default())),
        means,
        periods: view.periods,
        attribution: i.attribution.get(l.0).to_owned(),
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

// ---------------------------------------------------------------------------------------------
// People: the list (coordinators) and a profile

pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub role: String,
    pub start: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "staff_list.html")]
struct ListPage {
    l: Tr,
    page: PageCtx,
    people: Vec<PersonLine>,
    /// The access policy form (administrators change it; everyone listed is held to it).
    policy_months: String,
    policy_courses: String,
    policy_roles: Vec<CodeChoice>,
    policy_version: i64,
    policy_errors: FormErrors,
}

fn list_page(
    state: &AppState,
    v: &Visitor,
    people: &[StaffProfileView],
    policy: &PolicyView,
    f: Option<&Fields>,
    policy_errors: FormErrors,
) -> ListPage {
    let l = v.tr();
    let roles: Vec<String> =
        f.map_or_else(|| policy.roles.iter().map(|r| r.code().to_owned()).collect(), |f| f.all("roles"));
    ListPage {
        page: v.page(state, l.t("staff-list-title")),
        people: people
            .iter()
            .map(|p| PersonLine {
                id: p.user_id.to_string(),
                name: p.name.clone(),
                role: l.t(&format!("role-{}", p.role.code())),
                start: p.start_date.map_or_else(String::new, |d| date(l, d)),
                status: access_words(l, p),
            })
            .collect(),
        policy_months: f.map_or_else(|| policy.months.to_string(), |f| f.get("months").to_owned()),
        policy_courses: f.map_or_else(|| policy.required_courses.join(", "), |f| f.get("required_courses").to_owned()),
        policy_roles: Role::ALL
            .iter()
            .map(|r| CodeChoice {
                code: r.code().to_owned(),
                label: l.t(&format!("role-{}", r.code())),
                checked: roles.iter().any(|c| c == r.code()),
            })
            .collect(),
        policy_version: policy.version,
        policy_errors,
        l,
    }
}

/// The access status in words: open, or closed until a day / with trainings missing.
pub(crate) fn access_words(l: Tr, p: &StaffProfileView) -> String {
    if !p.access.applies {
        return l.t("staff-access-not-gated");
    }
    if p.access.clearance == Clearance::Cleared {
        return l.t("staff-access-open");
    }
    let mut parts = vec![match p.access.opens_on {
        Some(d) => l.t1("staff-access-opens-on", "date", &date(l, d)),
        None => l.t("staff-access-no-start"),
    }];
    if !p.access.missing_courses.is_empty() {
        parts.push(l.t1("staff-access-missing", "courses", &p.access.missing_courses.join(", ")));
    }
    parts.join(" ")
}

pub async fn list(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = caller(s);
    let (people, policy) = match (state.app.staff_list(&c).await, state.app.access_policy(&c).await) {
        (Ok(p), Ok(policy)) => (p, policy),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    let t = list_page(&state, &v, &people, &policy, None, FormErrors::default());
    v.finish(&state, html(StatusCode::OK, &t))
}

/// Changes the organisation's access policy (administrators; the use case decides).
pub async fn save_policy(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let c = caller(s);
    let mut errors = FormErrors::default();
    let months = f.get("months").trim().parse::<u32>().unwrap_or_else(|_| {
        errors.push("months", l.t("error-staff_policy_months"));
        0
    });
    let mut roles = Vec::new();
    for code in f.all("roles") {
        match Role::from_str(&code) {
            Ok(r) => roles.push(r),
            Err(e) => errors.push("roles", l.t(&format!("error-{}", e.code()))),
        }
    }
    let courses: Vec<String> = f
        .get("required_courses")
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let version = f.get("version").trim().parse::<i64>().unwrap_or(-1);
    if errors.is_empty() {
        match state.app.set_access_policy(&c, PolicyView { months, required_courses: courses, roles, version }).await {
            Ok(_) => return see_other("/staff"),
            Err(AppError::Conflict) => errors.push("months", l.t("error-staff_conflict")),
            Err(e) => {
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
            }
        }
    }
    let (people, policy) = match (state.app.staff_list(&c).await, state.app.access_policy(&c).await) {
        (Ok(p), Ok(policy)) => (p, policy),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    let t = list_page(&state, &v, &people, &policy, Some(&f), errors);
    v.finish(&state, html(StatusCode::UNPROCESSABLE_ENTITY, &t))
}

pub struct TrainingLine {
    pub id: String,
    pub course: String,
    pub completed: String,
    pub expires: String,
    pub valid: bool,
}

pub struct CodeChoice {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "staff_profile.html")]
struct ProfilePage {
    l: Tr,
    page: PageCtx,
    user_id: String,
    name: String,
    coordinator: bool,
    access: String,
    start_date: String,
    languages: String,
    backgrounds: Vec<CodeChoice>,
    availability: String,
    trainings: Vec<TrainingLine>,
    version: i64,
    errors: FormErrors,
    training_errors: FormErrors,
    course: String,
    completed_on: String,
    expires_on: String,
}

/// Languages as typed on the form: `es C2, en B1`.
fn languages_text(list: &[LanguageSkill]) -> String {
    list.iter().map(|s| format!("{} {}", s.language, s.level.code())).collect::<Vec<_>>().join(", ")
}

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

struct ProfileForm<'a> {
    f: Option<&'a Fields>,
    errors: FormErrors,
    training_errors: FormErrors,
}

fn profile_page(state: &AppState, v: &Visitor, me: UserId, p: &StaffProfileView, form: ProfileForm<'_>) -> ProfilePage {
    let l = v.tr();
    let own = p.user_id == me;
    let coordinator = !own && v.session.as_ref().is_some_and(|s| coordinator_role(s.actor.role));
    let pick = |name: &str, stored: String| form.f.map_or(stored, |f| f.get(name).to_owned());
    let chosen: Vec<String> =
        form.f.map_or_else(|| p.backgrounds.iter().map(|b| b.code().to_owned()).collect(), |f| f.all("backgrounds"));
    ProfilePage {
        page: v.page(state, l.t1("staff-profile-title", "name", &p.name)),
        user_id: p.user_id.to_string(),
        name: p.name.clone(),
        coordinator,
        access: access_words(l, p),
        start_date: pick("start_date", p.start_date.map(|d| d.to_string()).unwrap_or_default()),
        languages: pick("languages", languages_text(&p.languages)),
        backgrounds: Background::ALL
            .iter()
            .map(|b| CodeChoice {
                code: b.code().to_owned(),
                label: l.t(&format!("staff-background-{}", b.code())),
                checked: chosen.iter().any(|c| c == b.code()),
            })
            .collect(),
        availability: pick("availability", p.availability.clone()),
        trainings: p
            .trainings
            .iter()
            .map(|t| TrainingLine {
                id: t.id.to_string(),
                course: t.course.clone(),
                completed: date(l, t.completed_on),
                expires: t.expires_on.map_or_else(String::new, |d| date(l, d)),
                valid: t.valid,
            })
            .collect(),
        version: p.version,
        errors: form.errors,
        training_errors: form.training_errors,
        course: form.f.map_or_else(String::new, |f| f.get("course").to_owned()),
        completed_on: form.f.map_or_else(String::new, |f| f.get("completed_on").to_owned()),
        expires_on: form.f.map_or_else(String::new, |f| f.get("expires_on").to_owned()),
        l,
    }
}

fn coordinator_role(role: amparo_domain::Role) -> bool {
    matches!(role, amparo_domain::Role::Administrator | amparo_domain::Role::Supervisor)
}

/// `me` or a user id.
fn whom(s: &amparo_app::SessionContext, id: &str) -> Result<UserId, AppError> {
    if id == "me" { Ok(s.actor.user) } else { UserId::from_str(id).map_err(|_| AppError::NotFound) }
}

pub async fn profile(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let found = match whom(s, &id) {
        Ok(u) => state.app.staff_profile(&caller(s), u).await,
        Err(e) => Err(e),
    };
    let p = match found {
        Ok(p) => p,
        Err(e) => return fail(&state, &v, &e),
    };
    let form = ProfileForm { f: None, errors: FormErrors::default(), training_errors: FormErrors::default() };
    let t = profile_page(&state, &v, s.actor.user, &p, form);
    v.finish(&state, html(StatusCode::OK, &t))
}

fn optional_date(f: &Fields, field: &'static str, l: Tr, errors: &mut FormErrors) -> Option<NaiveDate> {
    match f.get(field).trim() {
        "" => None,
        raw => NaiveDate::from_str(raw).map_err(|_| errors.push(field, l.t("error-staff_invalid_date"))).ok(),
    }
}

pub async fn save_profile(
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
    let user = match whom(s, &id) {
        Ok(u) => u,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let c = caller(s);
    let mut errors = FormErrors::default();
    let languages = parse_languages(f.get("languages")).unwrap_or_else(|e| {
        errors.push("languages", l.t(&format!("error-{}", e.code())));
        vec![]
    });
    let mut backgrounds = Vec::new();
    for code in f.all("backgrounds") {
        match Background::from_code(&code) {
            Ok(b) => backgrounds.push(b),
            Err(e) => errors.push("backgrounds", l.t(&format!("error-{}", e.code()))),
        }
    }
    let start_date = optional_date(&f, "start_date", l, &mut errors);
    let version = f.get("version").trim().parse::<i64>().unwrap_or(-1);
    if errors.is_empty() {
        let input = ProfileInput {
            languages,
            backgrounds,
            availability: f.get("availability").to_owned(),
            start_date,
            version,
        };
        match state.app.save_staff_profile(&c, user, input).await {
            Ok(_) => return see_other(&format!("/staff/{id}")),
            Err(AppError::Conflict) => errors.push("version", l.t("error-staff_conflict")),
            Err(e) => {
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
            }
        }
    }
    let p = match state.app.staff_profile(&c, user).await {
        Ok(p) => p,
        Err(e) => return fail(&state, &v, &e),
    };
    let form = ProfileForm { f: Some(&f), errors, training_errors: FormErrors::default() };
    let t = profile_page(&state, &v, s.actor.user, &p, form);
    v.finish(&state, html(StatusCode::UNPROCESSABLE_ENTITY, &t))
}

pub async fn add_training(
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
    let user = match whom(s, &id) {
        Ok(u) => u,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let c = caller(s);
    let mut errors = FormErrors::default();
    let completed_on = match NaiveDate::from_str(f.get("completed_on").trim()) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push("completed_on", l.t("error-staff_invalid_date"));
            None
        }
    };
    let expires_on = optional_date(&f, "expires_on", l, &mut errors);
    if let (true, Some(completed_on)) = (errors.is_empty(), completed_on) {
        let input = TrainingInput { course: f.get("course").to_owned(), completed_on, expires_on };
        match state.app.record_training(&c, user, input).await {
            Ok(_) => return see_other(&format!("/staff/{id}")),
            Err(e) => {
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
            }
        }
    }
    let p = match state.app.staff_profile(&c, user).await {
        Ok(p) => p,
        Err(e) => return fail(&state, &v, &e),
    };
    let form = ProfileForm { f: Some(&f), errors: FormErrors::default(), training_errors: errors };
    let t = profile_page(&state, &v, s.actor.user, &p, form);
    v.finish(&state, html(StatusCode::UNPROCESSABLE_ENTITY, &t))
}

/// Removes a training recorded by mistake (coordinators; the use case decides).
pub async fn remove_training(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, training)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let target = match (whom(s, &id), Uuid::from_str(&training).map_err(|_| AppError::NotFound)) {
        (Ok(u), Ok(t)) => (u, t),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    match state.app.remove_training(&caller(s), target.0, target.1).await {
        Ok(()) => see_other(&format!("/staff/{id}")),
        Err(e) => fail(&state, &v, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_typed_as_code_and_level() {
        let l = parse_languages("es C2, en b1").unwrap_or_default();
        assert_eq!(languages_text(&l), "es C2, en B1");
        assert!(parse_languages("spanish C2").is_err());
        assert!(parse_languages("es").is_err());
        assert_eq!(amparo_domain::staff::CefrLevel::ALL.len(), 6);
    }
}
