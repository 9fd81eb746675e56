//! The hotline queue for staff: the list (most urgent first, then the longest waiting), a
//! call or text logged, one signal opened (audited) with its triage, and a case opened from
//! it or linked to one. Filters are codes in the query string; nothing identifying travels
//! in a URL.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::signals::{CaseFromSignal, NewSignal, SignalFilter, SignalTriage, SignalView};
use amparo_domain::records::vocab;
use amparo_domain::signals::{ConcernType, SignalChannel, SignalId, SignalOutcome, SignalStatus, Urgency};

use crate::AppState;
use crate::pages::field_error;
use crate::pages::records::{Choice, Fields, caller, choices, date_time, fail, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// One line of the queue: codes and dates only (opening a signal is a read, audited).
pub struct QueueLine {
    pub id: String,
    pub received: String,
    pub channel: String,
    pub urgency: String,
    pub urgency_code: String,
    pub status: String,
    pub outcome: String,
    pub region: String,
}

fn line(l: Tr, s: &SignalView) -> QueueLine {
    QueueLine {
        id: s.id.to_string(),
        received: date_time(l, s.received_at),
        channel: label(l, "signal_channel", &s.channel),
        urgency: label(l, "signal_urgency", &s.urgency),
        urgency_code: s.urgency.clone(),
        status: label(l, "signal_status", &s.status),
        outcome: s.outcome.as_deref().map(|o| label(l, "signal_outcome", o)).unwrap_or_default(),
        region: s.region.clone().unwrap_or_default(),
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
            selected: code == selected,
        })
        .collect()
}

fn one(v: &Option<String>) -> Vec<String> {
    v.iter().cloned().collect()
}

#[derive(Template)]
#[template(path = "signals.html")]
struct QueuePage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    lines: Vec<QueueLine>,
    statuses: Vec<Choice>,
    urgencies: Vec<Choice>,
    channels: Vec<Choice>,
    regions: Vec<Choice>,
}

pub async fn queue(State(state): State<AppState>, v: Visitor, Query(filter): Query<SignalFilter>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let lines = match state.app.signals(&caller(s), &filter, false).await {
        Ok(list) => list.iter().map(|s| line(l, s)).collect(),
        Err(e) if field_error(&v, &e, &mut errors) => Vec::new(),
        Err(e) => return fail(&state, &v, &e),
    };
    let page = QueuePage {
        page: v.page(&state, l.t("signals-title")),
        errors,
        lines,
        statuses: choices(l, "signal_status", codes(SignalStatus::ALL, SignalStatus::code), &one(&filter.status)),
        urgencies: choices(l, "signal_urgency", codes(Urgency::ALL, Urgency::code), &one(&filter.urgency)),
        channels: choices(l, "signal_channel", codes(SignalChannel::ALL, SignalChannel::code), &one(&filter.channel)),
        regions: regions(filter.region.as_deref().unwrap_or_default()),
        l,
    };
    v.finish(&state, html(StatusCode::OK, &page))
}

/// What the log form sends (and shows again after a mistake).
#[derive(Default)]
pub struct LogForm {
    channel: String,
    urgency: String,
    language: String,
    region: String,
    concerns: Vec<String>,
    text: String,
    notes: String,
}

impl LogForm {
    fn of(f: &Fields) -> Self {
        Self {
            channel: f.get("channel").to_owned(),
            urgency: f.get("urgency").to_owned(),
            language: f.get("language").to_owned(),
            region: f.get("region").to_owned(),
            concerns: f.all("concerns"),
            text: f.get("text").to_owned(),
            notes: f.get("notes").to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "signal_new.html")]
struct LogPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    channels: Vec<Choice>,
    urgencies: Vec<Choice>,
    concerns: Vec<Choice>,
    regions: Vec<Choice>,
    language: String,
    text: String,
    notes: String,
}

fn log_page(state: &AppState, v: &Visitor, form: LogForm, errors: FormErrors) -> Response {
    let l = v.tr();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = LogPage {
        page: v.page(state, l.t("signals-new-title")),
        errors,
        channels: choices(
            l,
            "signal_channel",
            codes(SignalChannel::ALL, SignalChannel::code).into_iter().filter(|c| *c != "web_tip"),
            std::slice::from_ref(&form.channel),
        ),
        urgencies: choices(
            l,
            "signal_urgency",
            codes(Urgency::ALL, Urgency::code),
            std::slice::from_ref(&form.urgency),
        ),
        concerns: choices(l, "signal_concern", codes(ConcernType::ALL, ConcernType::code), &form.concerns),
        regions: regions(&form.region),
        language: form.language,
        text: form.text,
        notes: form.notes,
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn new_form(State(state): State<AppState>, v: Visitor) -> Response {
    if let Err(r) = v.active() {
        return r;
    }
    let form = LogForm { urgency: Urgency::Routine.code().into(), channel: "call".into(), ..LogForm::default() };
    log_page(&state, &v, form, FormErrors::default())
}

pub async fn create(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = LogForm::of(&fields);
    let input = NewSignal {
        channel: form.channel.clone(),
        urgency: Some(form.urgency.clone()),
        language: Some(form.language.clone()),
        region: Some(form.region.clone()),
        concerns: form.concerns.clone(),
        text: form.text.clone(),
        notes: Some(form.notes.clone()),
    };
    let mut errors = FormErrors::default();
    match state.app.log_signal(&caller(s), input).await {
        Ok(view) => see_other(&format!("/signals/{}", view.id)),
        Err(e) if field_error(&v, &e, &mut errors) => log_page(&state, &v, form, errors),
        Err(e) => fail(&state, &v, &e),
    }
}

#[derive(Template)]
#[template(path = "signal.html")]
struct SignalPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    s: SignalView,
    head: QueueLine,
    language: String,
    concern_labels: Vec<String>,
    contact_channel: String,
    urgencies: Vec<Choice>,
    outcomes: Vec<Choice>,
    concerns: Vec<Choice>,
    regions: Vec<Choice>,
    notes: String,
    alias: String,
    case_number: String,
    /// A case was opened from it or linked to it: only notes and codes may still change.
    resolved: bool,
}

/// What the signal page's forms send back when one comes back with a mistake.
#[derive(Default)]
struct Typed {
    notes: Option<String>,
    alias: String,
    case_number: String,
}

async fn signal_page(state: &AppState, v: &Visitor, id: SignalId, typed: Typed, errors: FormErrors) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let view = match state.app.signal(&caller(s), id).await {
        Ok(view) => view,
        Err(e) => return fail(state, v, &e),
    };
    let l = v.tr();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = SignalPage {
        page: v.page(state, l.t("signals-one-title")),
        errors,
        head: line(l, &view),
        language: view.language.as_deref().map(|c| label(l, "language", c)).unwrap_or_default(),
        concern_labels: view.concerns.iter().map(|c| label(l, "signal_concern", c)).collect(),
        contact_channel: view
            .contact
            .as_ref()
            .and_then(|c| c.channel)
            .map(|c| label(l, "channel", c.code()))
            .unwrap_or_default(),
        urgencies: choices(
            l,
            "signal_urgency",
            codes(Urgency::ALL, Urgency::code),
            std::slice::from_ref(&view.urgency),
        ),
        outcomes: choices(
            l,
            "signal_outcome",
            codes(SignalOutcome::ALL, SignalOutcome::code)
                .into_iter()
                .filter(|o| SignalOutcome::from_code(o).is_ok_and(|o| !o.has_case())),
            &one(&view.outcome),
        ),
        concerns: choices(l, "signal_concern", codes(ConcernType::ALL, ConcernType::code), &view.concerns),
        regions: regions(view.region.as_deref().unwrap_or_default()),
        notes: typed.notes.unwrap_or_else(|| view.notes.clone().unwrap_or_default()),
        alias: typed.alias,
        case_number: typed.case_number,
        resolved: view
            .outcome
            .as_deref()
            .and_then(|o| SignalOutcome::from_code(o).ok())
            .is_some_and(SignalOutcome::has_case),
        s: view,
        l,
    };
    v.finish(state, html(status, &page))
}

fn signal_id(raw: &str) -> Result<SignalId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    match signal_id(&id) {
        Ok(id) => signal_page(&state, &v, id, Typed::default(), FormErrors::default()).await,
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn triage(
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
    let id = match signal_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &v, &e),
    };
    let t = SignalTriage {
        urgency: Some(f.get("urgency").to_owned()),
        outcome: Some(f.get("outcome").to_owned()),
        region: Some(f.get("region").to_owned()),
        concerns: Some(f.all("concerns")),
        notes: Some(f.get("notes").to_owned()),
        ..SignalTriage::default()
    };
    let mut errors = FormErrors::default();
    match state.app.triage_signal(&caller(s), id, f.get("version").parse().ok(), t).await {
        Ok(_) => see_other(&format!("/signals/{id}")),
        Err(e) if field_error(&v, &e, &mut errors) => {
            let typed = Typed { notes: Some(f.get("notes").to_owned()), ..Typed::default() };
            signal_page(&state, &v, id, typed, errors).await
        }
        Err(e) => fail(&state, &v, &e),
    }
}

#[derive(Default, Deserialize)]
pub struct OpenCaseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    alias: String,
    #[serde(default)]
    use_offered_contact: Option<String>,
}

pub async fn open_case(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(form): Form<OpenCaseForm>,
) -> Response {
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = match signal_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &v, &e),
    };
    let input = CaseFromSignal {
        alias: form.alias.clone(),
        language: None,
        use_offered_contact: form.use_offered_contact.is_some(),
    };
    let mut errors = FormErrors::default();
    match state.app.open_case_from_signal(&caller(s), id, form.version, input).await {
        Ok(done) => see_other(&format!("/cases/{}", done.case_id)),
        Err(e) if field_error(&v, &e, &mut errors) => {
            signal_page(&state, &v, id, Typed { alias: form.alias, ..Typed::default() }, errors).await
        }
        Err(e) => fail(&state, &v, &e),
    }
}

#[derive(Default, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    case_number: String,
}

pub async fn link(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(form): Form<LinkForm>,
) -> Response {
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let id = match signal_id(&id) {
        Ok(id) => id,
        Err(e) => return fail(&state, &v, &e),
    };
    let mut errors = FormErrors::default();
    let typed = Typed { case_number: form.case_number.clone(), ..Typed::default() };
    match state.app.link_signal_by_number(&caller(s), id, form.version, &form.case_number).await {
        Ok(_) => see_other(&format!("/signals/{id}")),
        Err(AppError::NotFound) => {
            errors.push("case_number", v.tr().t("signals-case-not-found"));
            signal_page(&state, &v, id, typed, errors).await
        }
        Err(e) if field_error(&v, &e, &mut errors) => {
            // The case number's own field on this form.
            let errors = FormErrors(
                errors.0.into_iter().map(|(f, m)| (if f == "number" { "case_number".into() } else { f }, m)).collect(),
            );
            signal_page(&state, &v, id, typed, errors).await
        }
        Err(e) => fail(&state, &v, &e),
    }
}
