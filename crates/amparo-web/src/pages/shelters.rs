//! Shelter pages: the houses with occupancy and availability, and one house with its beds by
//! room (who is in which bed by alias and case number only), check-in and check-out, the
//! waiting list, the rules and the daily log. Plain forms (POST, then 303); a form with a
//! mistake comes back with what was typed. People are named by case number in forms, never
//! in a URL.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::AppError;
use amparo_app::shelters::{CheckOut, HouseSummary, HouseView, NewBed, NewHouse, NewLogEntry, NewRules};
use amparo_domain::shelters::{
    self, BedId, CheckoutReason, Eligibility, HouseId, HouseKind, RULE_LANGUAGES, StayId, WaitPriority, WaitlistId,
};

use crate::AppState;
use crate::pages::field_error;
use crate::pages::records::{Choice, Fields, caller, choices, date, date_time, fail, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|c| code(*c)).collect()
}

/// A house line of the list.
pub struct HouseLine {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub eligibility: String,
    pub beds: usize,
    pub occupied: usize,
    pub free: usize,
    pub waiting: String,
}

fn house_line(l: Tr, h: &HouseSummary) -> HouseLine {
    HouseLine {
        id: h.id.to_string(),
        name: h.name.clone(),
        kind: label(l, "shelter_kind", &h.kind),
        eligibility: h.eligibility.iter().map(|e| label(l, "shelter_eligibility", e)).collect::<Vec<_>>().join(", "),
        beds: h.beds,
        occupied: h.occupied,
        free: h.free,
        waiting: h.waiting.map(|w| w.to_string()).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "shelters.html")]
struct ListPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    lines: Vec<HouseLine>,
    manage: bool,
    name: String,
    address: String,
    kinds: Vec<Choice>,
    eligibility: Vec<Choice>,
}

/// What the new-house form sends (and shows again after a mistake).
#[derive(Default)]
struct HouseForm {
    name: String,
    kind: String,
    eligibility: Vec<String>,
    address: String,
}

async fn list_page(state: &AppState, v: &Visitor, form: HouseForm, errors: FormErrors) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let houses = match state.app.shelters(&caller(s)).await {
        Ok(h) => h,
        Err(e) => return fail(state, v, &e),
    };
    let manage = amparo_domain::authorize(
        &s.actor,
        amparo_domain::Action::ManageShelters,
        amparo_domain::Resource::Organisation(s.actor.org),
    )
    .is_ok();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let kind = if form.kind.is_empty() { HouseKind::Refuge.code().to_owned() } else { form.kind.clone() };
    let page = ListPage {
        page: v.page(state, l.t("shelters-title")),
        errors,
        lines: houses.iter().map(|h| house_line(l, h)).collect(),
        manage,
        name: form.name,
        address: form.address,
        kinds: choices(l, "shelter_kind", codes(HouseKind::ALL, HouseKind::code), std::slice::from_ref(&kind)),
        eligibility: choices(l, "shelter_eligibility", codes(Eligibility::ALL, Eligibility::code), &form.eligibility),
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn list(State(state): State<AppState>, v: Visitor) -> Response {
    list_page(&state, &v, HouseForm::default(), FormErrors::default()).await
}

pub async fn create(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = HouseForm {
        name: f.get("name").to_owned(),
        kind: f.get("kind").to_owned(),
        eligibility: f.all("eligibility"),
        address: f.get("address").to_owned(),
    };
    let input = NewHouse {
        name: form.name.clone(),
        kind: form.kind.clone(),
        eligibility: form.eligibility.clone(),
        address: Some(form.address.clone()),
    };
    let mut errors = FormErrors::default();
    match state.app.create_house(&caller(s), input).await {
        Ok(id) => see_other(&format!("/shelters/{id}")),
        Err(e) if field_error(&v, &e, &mut errors) => list_page(&state, &v, form, errors).await,
        Err(e) => fail(&state, &v, &e),
    }
}

/// A bed line of the house page.
pub struct BedLine {
    pub id: String,
    pub room: String,
    pub label: String,
    pub occupied: bool,
    pub stay_id: String,
    /// The alias and case number of who is in it.
    pub who: String,
    pub since: String,
    pub rules: String,
}

pub struct WaitLine {
    pub id: String,
    pub who: String,
    pub requested_on: String,
    pub priority: String,
    pub urgent: bool,
    pub notes: String,
}

pub struct RulesBlock {
    pub language: String,
    pub version: i64,
    pub text: String,
}

pub struct LogLine {
    pub on_date: String,
    pub text: String,
}

fn who(alias: &Option<String>, case_number: &Option<String>) -> String {
    match (alias, case_number) {
        (Some(a), Some(n)) => format!("{a} ({n})"),
        (Some(a), None) => a.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => "—".to_owned(),
    }
}

/// What the house page's forms send back after a mistake.
#[derive(Default)]
struct Typed {
    bed_id: String,
    case_number: String,
    wait_case_number: String,
    wait_priority: String,
    wait_notes: String,
    log_date: String,
    log_text: String,
    rules_language: String,
    rules_text: String,
    bed_room: String,
    bed_label: String,
    checkout_reason: String,
}

#[derive(Template)]
#[template(path = "shelter.html")]
struct HousePage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    h: HouseLine,
    address: Option<String>,
    beds: Vec<BedLine>,
    free_beds: Vec<Choice>,
    waitlist: Option<Vec<WaitLine>>,
    rules: Vec<RulesBlock>,
    log: Option<Vec<LogLine>>,
    manage: bool,
    stays: bool,
    keep_log: bool,
    reasons: Vec<Choice>,
    priorities: Vec<Choice>,
    languages: Vec<Choice>,
    t: Typed,
}

async fn house_page(
    state: &AppState,
    v: &Visitor,
    id: HouseId,
    t: Typed,
    errors: FormErrors,
    status: Option<StatusCode>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let view: HouseView = match state.app.house(&caller(s), id).await {
        Ok(v) => v,
        Err(e) => return fail(state, v, &e),
    };
    let l = v.tr();
    let status = status.unwrap_or(if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY });
    let beds: Vec<BedLine> = view
        .beds
        .iter()
        .map(|b| BedLine {
            id: b.id.to_string(),
            room: b.room.clone(),
            label: b.label.clone(),
            occupied: b.occupied,
            stay_id: b.occupant.as_ref().map(|o| o.stay_id.to_string()).unwrap_or_default(),
            who: b.occupant.as_ref().map(|o| who(&o.alias, &o.case_number)).unwrap_or_default(),
            since: b.occupant.as_ref().map(|o| date_time(l, o.checked_in_at)).unwrap_or_default(),
            rules: b
                .occupant
                .as_ref()
                .and_then(|o| {
                    o.rules_language.as_ref().map(|lang| {
                        format!("{} · v{}", label(l, "language", lang), o.rules_version.unwrap_or_default())
                    })
                })
                .unwrap_or_default(),
        })
        .collect();
    let free_beds = view
        .beds
        .iter()
        .filter(|b| !b.occupied)
        .map(|b| Choice {
            code: b.id.to_string(),
            label: format!("{} · {}", b.room, b.label),
            selected: b.id.to_string() == t.bed_id,
        })
        .collect();
    let priority =
        if t.wait_priority.is_empty() { WaitPriority::Normal.code().to_owned() } else { t.wait_priority.clone() };
    let rules_language = if t.rules_language.is_empty() { l.0.code().to_owned() } else { t.rules_language.clone() };
    let page = HousePage {
        page: v.page(state, view.summary.name.clone()),
        errors,
        h: house_line(l, &view.summary),
        address: view.address.clone(),
        beds,
        free_beds,
        waitlist: view.waitlist.as_ref().map(|w| {
            w.iter()
                .map(|e| WaitLine {
                    id: e.id.to_string(),
                    who: who(&e.alias, &e.case_number),
                    requested_on: date(l, e.requested_on),
                    priority: label(l, "shelter_priority", &e.priority),
                    urgent: e.priority == WaitPriority::Urgent.code(),
                    notes: e.notes.clone().unwrap_or_default(),
                })
                .collect()
        }),
        rules: view
            .rules
            .iter()
            .map(|r| RulesBlock {
                language: label(l, "language", &r.language),
                version: r.version,
                text: r.text.clone(),
            })
            .collect(),
        log: view
            .log
            .as_ref()
            .map(|g| g.iter().map(|e| LogLine { on_date: date(l, e.on_date), text: e.text.clone() }).collect()),
        manage: view.can.manage,
        stays: view.can.stays,
        keep_log: view.can.log,
        reasons: choices(
            l,
            "shelter_checkout",
            codes(CheckoutReason::ALL, CheckoutReason::code),
            std::slice::from_ref(&t.checkout_reason),
        ),
        priorities: choices(
            l,
            "shelter_priority",
            codes(WaitPriority::ALL, WaitPriority::code),
            std::slice::from_ref(&priority),
        ),
        languages: choices(l, "language", RULE_LANGUAGES, std::slice::from_ref(&rules_language)),
        t,
        l,
    };
    v.finish(state, html(status, &page))
}

fn house_id(raw: &str) -> Result<HouseId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    match house_id(&id) {
        Ok(id) => house_page(&state, &v, id, Typed::default(), FormErrors::default(), None).await,
        Err(e) => fail(&state, &v, &e),
    }
}

/// The common start of a house form: the CSRF token, the session, the house id.
fn begin<'a>(
    state: &AppState,
    v: &'a Visitor,
    f: &Fields,
    raw: &str,
) -> Result<(&'a amparo_app::SessionContext, HouseId), Response> {
    let s = v.signed_in_form(state, f.csrf())?;
    let id = house_id(raw).map_err(|e| fail(state, v, &e))?;
    Ok((s, id))
}

/// After a use case: back to the house, or the page again with the message by its field.
async fn after<T>(
    state: &AppState,
    v: &Visitor,
    id: HouseId,
    r: Result<T, AppError>,
    typed: Typed,
    field_for_refusal: &'static str,
    case_field: Option<&'static str>,
) -> Response {
    let mut errors = FormErrors::default();
    match r {
        Ok(_) => see_other(&format!("/shelters/{id}")),
        Err(AppError::Refused(code)) => {
            errors.push(field_for_refusal, v.tr().t(&format!("error-{code}")));
            house_page(state, v, id, typed, errors, Some(StatusCode::CONFLICT)).await
        }
        Err(AppError::NotFound | AppError::Forbidden(_)) if case_field.is_some() => {
            // A case number not found, or of a case the person may not place: said the same way.
            errors.push(case_field.unwrap_or(field_for_refusal), v.tr().t("shelters-case-not-found"));
            house_page(state, v, id, typed, errors, None).await
        }
        Err(e) if field_error(v, &e, &mut errors) => {
            // The case number has its own field on these forms.
            let errors = FormErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(f, m)| {
                        if f == "number" || f == "person_id" {
                            (case_field.unwrap_or(field_for_refusal).into(), m)
                        } else {
                            (f, m)
                        }
                    })
                    .collect(),
            );
            house_page(state, v, id, typed, errors, None).await
        }
        Err(e) => fail(state, v, &e),
    }
}

pub async fn check_in(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, id) = match begin(&state, &v, &f, &raw) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed =
        Typed { bed_id: f.get("bed_id").to_owned(), case_number: f.get("case_number").to_owned(), ..Typed::default() };
    let r = match f.get("bed_id").parse::<BedId>() {
        Ok(bed) if !typed.case_number.trim().is_empty() => {
            state.app.check_in_by_case_number(&caller(s), id, bed, &typed.case_number).await
        }
        Ok(_) => Err(AppError::invalid("case_number", shelters::ShelterProblem::CaseNumberRequired.into())),
        Err(_) => Err(AppError::invalid("bed_id", amparo_domain::DomainError::UnknownCode)),
    };
    // A taken bed (someone was faster) is said next to the bed choice.
    after(&state, &v, id, r, typed, "bed_id", Some("case_number")).await
}

pub async fn check_out(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(stay) = raw.parse::<StayId>() else { return fail(&state, &v, &AppError::NotFound) };
    let house = match state.app.stay(&caller(s), stay).await {
        Ok(st) => st.house_id,
        Err(e) => return fail(&state, &v, &e),
    };
    let typed = Typed { checkout_reason: f.get("reason").to_owned(), ..Typed::default() };
    let r = state.app.check_out(&caller(s), stay, CheckOut { reason: f.get("reason").to_owned() }).await;
    after(&state, &v, house, r, typed, "reason", None).await
}

pub async fn add_to_waitlist(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, id) = match begin(&state, &v, &f, &raw) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = Typed {
        wait_case_number: f.get("wait_case_number").to_owned(),
        wait_priority: f.get("priority").to_owned(),
        wait_notes: f.get("notes").to_owned(),
        ..Typed::default()
    };
    let r = if typed.wait_case_number.trim().is_empty() {
        Err(AppError::invalid("wait_case_number", shelters::ShelterProblem::CaseNumberRequired.into()))
    } else {
        state
            .app
            .add_to_waitlist_by_case_number(
                &caller(s),
                id,
                &typed.wait_case_number,
                &typed.wait_priority,
                &typed.wait_notes,
            )
            .await
            .map_err(|e| match e {
                AppError::Invalid { field: "priority", problem } => AppError::invalid("priority", problem),
                AppError::Invalid { field: "notes", problem } => AppError::invalid("wait_notes", problem),
                other => other,
            })
    };
    after(&state, &v, id, r, typed, "wait_case_number", Some("wait_case_number")).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, house) = match begin(&state, &v, &f, f.get("house_id")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Ok(entry) = raw.parse::<WaitlistId>() else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.withdraw_from_waitlist(&caller(s), entry).await {
        Ok(()) => see_other(&format!("/shelters/{house}")),
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn write_log(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, id) = match begin(&state, &v, &f, &raw) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = Typed { log_date: f.get("on_date").to_owned(), log_text: f.get("text").to_owned(), ..Typed::default() };
    let r = match shelters::optional_day(&typed.log_date) {
        Ok(on_date) => state
            .app
            .write_house_log(&caller(s), id, NewLogEntry { on_date, text: typed.log_text.clone() })
            .await
            .map_err(|e| match e {
                AppError::Invalid { field: "text", problem } => AppError::invalid("log_text", problem),
                other => other,
            }),
        Err(p) => Err(AppError::invalid("on_date", p.into())),
    };
    after(&state, &v, id, r, typed, "log_text", None).await
}

pub async fn set_rules(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, id) = match begin(&state, &v, &f, &raw) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = Typed {
        rules_language: f.get("language").to_owned(),
        rules_text: f.get("text").to_owned(),
        ..Typed::default()
    };
    let input = NewRules { language: typed.rules_language.clone(), text: typed.rules_text.clone() };
    let r = state.app.set_house_rules(&caller(s), id, input).await.map_err(|e| match e {
        AppError::Invalid { field: "text", problem } => AppError::invalid("rules_text", problem),
        AppError::Invalid { field: "language", problem } => AppError::invalid("rules_language", problem),
        other => other,
    });
    after(&state, &v, id, r, typed, "rules_text", None).await
}

pub async fn add_bed(
    State(state): State<AppState>,
    v: Visitor,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (s, id) = match begin(&state, &v, &f, &raw) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let typed = Typed { bed_room: f.get("room").to_owned(), bed_label: f.get("label").to_owned(), ..Typed::default() };
    let input = NewBed { room: typed.bed_room.clone(), label: typed.bed_label.clone() };
    let r = state.app.add_bed(&caller(s), id, input).await.map_err(|e| match e {
        AppError::Invalid { field: "room", problem } => AppError::invalid("bed_room", problem),
        AppError::Invalid { field: "label", problem } => AppError::invalid("bed_label", problem),
        other => other,
    });
    after(&state, &v, id, r, typed, "bed_label", None).await
}
