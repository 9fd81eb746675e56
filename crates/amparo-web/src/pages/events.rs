//! Outreach and training events for staff: the list of a period (by date, with the number of
//! events and people reached), a new event, and one event (its form for those who record
//! events, its details for the others). Plain forms, POST then 303; a form with a mistake
//! comes back with what was typed. Only dates travel in URLs.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::AppError;
use amparo_app::events::{EventInput, EventPeriod, EventView};
use amparo_domain::events::{self, Audience, EventKind, EventSetting, Material, OutreachEventId};
use amparo_domain::records::vocab;
use amparo_domain::{Action, Resource, authorize};

use crate::AppState;
use crate::pages::field_error;
use crate::pages::records::{Choice, Fields, caller, choices, date, fail, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// One line of the list: codes shown as labels, counts.
pub struct EventLine {
    pub id: String,
    pub held_on: String,
    pub kind: String,
    pub region: String,
    pub setting: String,
    pub audiences: String,
    pub attendance: i64,
    pub languages: String,
}

fn labels(l: Tr, vocab: &str, codes: &[String]) -> String {
    codes.iter().map(|c| label(l, vocab, c)).collect::<Vec<_>>().join(", ")
}

fn region_label(code: &str) -> String {
    vocab::place_name(code).map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
}

fn line(l: Tr, e: &EventView) -> EventLine {
    EventLine {
        id: e.id.to_string(),
        held_on: date(l, e.held_on),
        kind: label(l, "event_kind", &e.kind),
        region: region_label(&e.region),
        setting: label(l, "event_setting", &e.setting),
        audiences: labels(l, "event_audience", &e.audiences),
        attendance: e.attendance_total,
        languages: labels(l, "language", &e.languages),
    }
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|c| code(*c)).collect()
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

fn may_record(v: &Visitor) -> bool {
    v.active().is_ok_and(|s| authorize(&s.actor, Action::RecordEvents, Resource::Organisation(s.actor.org)).is_ok())
}

#[derive(Template)]
#[template(path = "events.html")]
struct ListPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    from: String,
    to: String,
    lines: Vec<EventLine>,
    reached: i64,
    can_record: bool,
}

pub async fn list(State(state): State<AppState>, v: Visitor, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let f = Fields(pairs);
    let period = EventPeriod { from: Some(f.get("from").to_owned()), to: Some(f.get("to").to_owned()) };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let lines: Vec<EventLine> = match state.app.outreach_events(&caller(s), &period).await {
        Ok(list) => list.iter().map(|e| line(l, e)).collect(),
        Err(e) if field_error(&v, &e, &mut errors) => Vec::new(),
        Err(e) => return fail(&state, &v, &e),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        page: v.page(&state, l.t("events-title")),
        errors,
        from: f.get("from").to_owned(),
        to: f.get("to").to_owned(),
        reached: lines.iter().map(|e| e.attendance).sum(),
        lines,
        can_record: may_record(&v),
        l,
    };
    v.finish(&state, html(status, &page))
}

/// What the event form sends (and shows again after a mistake): as typed.
#[derive(Default)]
pub struct EventForm {
    kind: String,
    held_on: String,
    region: String,
    setting: String,
    audiences: Vec<String>,
    attendance_total: String,
    attendance_women: String,
    attendance_men: String,
    attendance_youth: String,
    materials: Vec<String>,
    languages: String,
    notes: String,
}

impl EventForm {
    fn of(f: &Fields) -> Self {
        Self {
            kind: f.get("kind").to_owned(),
            held_on: f.get("held_on").to_owned(),
            region: f.get("region").to_owned(),
            setting: f.get("setting").to_owned(),
            audiences: f.all("audiences"),
            attendance_total: f.get("attendance_total").to_owned(),
            attendance_women: f.get("attendance_women").to_owned(),
            attendance_men: f.get("attendance_men").to_owned(),
            attendance_youth: f.get("attendance_youth").to_owned(),
            materials: f.all("materials"),
            languages: f.get("languages").to_owned(),
            notes: f.get("notes").to_owned(),
        }
    }

    fn from_view(e: &EventView) -> Self {
        let n = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        Self {
            kind: e.kind.clone(),
            held_on: e.held_on.to_string(),
            region: e.region.clone(),
            setting: e.setting.clone(),
            audiences: e.audiences.clone(),
            attendance_total: e.attendance_total.to_string(),
            attendance_women: n(e.attendance_women),
            attendance_men: n(e.attendance_men),
            attendance_youth: n(e.attendance_youth),
            materials: e.materials.clone(),
            languages: e.languages.join(", "),
            notes: e.notes.clone().unwrap_or_default(),
        }
    }

    /// The use case's input; counts that are not whole numbers are refused here, with their field.
    fn input(&self, v: &Visitor, errors: &mut FormErrors) -> Option<EventInput> {
        let mut count = |field: &'static str, raw: &str| match events::count(raw) {
            Ok(n) => n,
            Err(p) => {
                field_error(v, &AppError::invalid(field, p.into()), errors);
                None
            }
        };
        let total = count("attendance_total", &self.attendance_total);
        let women = count("attendance_women", &self.attendance_women);
        let men = count("attendance_men", &self.attendance_men);
        let youth = count("attendance_youth", &self.attendance_youth);
        if !errors.is_empty() {
            return None;
        }
        Some(EventInput {
            kind: self.kind.clone(),
            held_on: self.held_on.clone(),
            region: self.region.clone(),
            setting: self.setting.clone(),
            audiences: self.audiences.clone(),
            attendance_total: total,
            attendance_women: women,
            attendance_men: men,
            attendance_youth: youth,
            materials: self.materials.clone(),
            languages: self
                .languages
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            notes: Some(self.notes.clone()),
        })
    }
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct FormPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    heading: String,
    /// Where the form posts: `/events` or `/events/{id}`.
    action: String,
    version: Option<i64>,
    kinds: Vec<Choice>,
    settings: Vec<Choice>,
    audiences: Vec<Choice>,
    materials: Vec<Choice>,
    regions: Vec<Choice>,
    form: EventForm,
    /// The attendance inputs: name, label, value as typed.
    counts: Vec<(&'static str, String, String)>,
    /// For readers who do not record events: the details as labels.
    details: Option<EventLine>,
    material_labels: String,
}

fn counts(l: Tr, f: &EventForm) -> Vec<(&'static str, String, String)> {
    [
        ("attendance_total", "events-attendance-total", &f.attendance_total),
        ("attendance_women", "events-attendance-women", &f.attendance_women),
        ("attendance_men", "events-attendance-men", &f.attendance_men),
        ("attendance_youth", "events-attendance-youth", &f.attendance_youth),
    ]
    .into_iter()
    .map(|(name, key, value)| (name, l.t(key), value.clone()))
    .collect()
}

struct Target {
    heading: &'static str,
    action: String,
    version: Option<i64>,
}

fn form_page(state: &AppState, v: &Visitor, target: Target, form: EventForm, errors: FormErrors) -> Response {
    let l = v.tr();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FormPage {
        page: v.page(state, l.t(target.heading)),
        heading: l.t(target.heading),
        errors,
        action: target.action,
        version: target.version,
        kinds: choices(l, "event_kind", codes(EventKind::ALL, EventKind::code), std::slice::from_ref(&form.kind)),
        settings: choices(
            l,
            "event_setting",
            codes(EventSetting::ALL, EventSetting::code),
            std::slice::from_ref(&form.setting),
        ),
        audiences: choices(l, "event_audience", codes(Audience::ALL, Audience::code), &form.audiences),
        materials: choices(l, "event_material", codes(Material::ALL, Material::code), &form.materials),
        regions: regions(&form.region),
        details: None,
        material_labels: labels(l, "event_material", &form.materials),
        counts: counts(l, &form),
        form,
        l,
    };
    v.finish(state, html(status, &page))
}

fn new_target() -> Target {
    Target { heading: "events-new-title", action: "/events".into(), version: None }
}

pub async fn new_form(State(state): State<AppState>, v: Visitor) -> Response {
    if let Err(r) = v.active() {
        return r;
    }
    if !may_record(&v) {
        return fail(&state, &v, &AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
    }
    form_page(&state, &v, new_target(), EventForm::default(), FormErrors::default())
}

pub async fn create(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = EventForm::of(&fields);
    let mut errors = FormErrors::default();
    let Some(input) = form.input(&v, &mut errors) else {
        return form_page(&state, &v, new_target(), form, errors);
    };
    match state.app.record_outreach_event(&caller(s), input).await {
        Ok(view) => see_other(&format!("/events/{}", view.id)),
        Err(e) if field_error(&v, &e, &mut errors) => form_page(&state, &v, new_target(), form, errors),
        Err(e) => fail(&state, &v, &e),
    }
}

fn event_id(raw: &str) -> Result<OutreachEventId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

fn edit_target(id: OutreachEventId, version: i64) -> Target {
    Target { heading: "events-one-title", action: format!("/events/{id}"), version: Some(version) }
}

pub async fn show(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let view = match event_id(&id) {
        Ok(id) => state.app.outreach_event(&caller(s), id).await,
        Err(e) => Err(e),
    };
    let view = match view {
        Ok(view) => view,
        Err(e) => return fail(&state, &v, &e),
    };
    if may_record(&v) {
        return form_page(
            &state,
            &v,
            edit_target(view.id, view.version),
            EventForm::from_view(&view),
            FormErrors::default(),
        );
    }
    // Readers who do not record events see the details.
    let l = v.tr();
    let form = EventForm::from_view(&view);
    let page = FormPage {
        page: v.page(&state, l.t("events-one-title")),
        heading: l.t("events-one-title"),
        errors: FormErrors::default(),
        action: String::new(),
        version: None,
        kinds: Vec::new(),
        settings: Vec::new(),
        audiences: Vec::new(),
        materials: Vec::new(),
        regions: Vec::new(),
        details: Some(line(l, &view)),
        material_labels: labels(l, "event_material", &view.materials),
        counts: Vec::new(),
        form,
        l,
    };
    v.finish(&state, html(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = match event_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &v, &e),
    };
    let version: Option<i64> = fields.get("version").parse().ok();
    let target = || edit_target(id, version.unwrap_or_default());
    let form = EventForm::of(&fields);
    let mut errors = FormErrors::default();
    let Some(input) = form.input(&v, &mut errors) else {
        return form_page(&state, &v, target(), form, errors);
    };
    match state.app.update_outreach_event(&caller(s), id, version, input).await {
        Ok(view) => see_other(&format!("/events/{}", view.id)),
        Err(e) if field_error(&v, &e, &mut errors) => form_page(&state, &v, target(), form, errors),
        Err(e) => fail(&state, &v, &e),
    }
}
