//! `/api/v1/signals`: the hotline queue for hotline workers and supervisors. Listing opens
//! each signal (its text is in the answer), so each one listed is audited as read.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::OpenApi;

use amparo_app::signals::{CaseFromSignal, NewSignal, SignalFilter, SignalTriage, SignalView};
use amparo_domain::Actor;
use amparo_domain::signals::SignalId;

use super::{ApiJson, ApiPath, ApiQuery, caller, object_body, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/signals", get(list).post(log))
        .route("/signals/{id}", get(read).patch(triage))
        .route("/signals/{id}/open-case", post(open_case))
}

#[derive(Serialize)]
struct Items {
    items: Vec<SignalView>,
}

/// The queue: most urgent first (`immediate_danger`, `urgent`, `routine`), then the longest
/// waiting; at most 200. Each signal comes with its text, and each is audited as read.
#[utoipa::path(
    operation_id = "list_signals",
    get,
    path = "/api/v1/signals",
    tag = "signals",
    security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "`new`, `triaged` or `closed`"),
        ("urgency" = Option<String>, Query, description = "`immediate_danger`, `urgent` or `routine`"),
        ("channel" = Option<String>, Query, description = "`call`, `text`, `chat`, `web_tip`, `email` or `walk_in`"),
        ("region" = Option<String>, Query, description = "A state (`MX-CHH`, `US-TX`) or country code")
    ),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::SignalList),
        (status = 400, description = "`invalid_query`", body = super::ApiError),
        (status = 403, description = "The role does not work the hotline queue", body = super::ApiError),
        (status = 422, description = "An unknown code in a filter", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(filter): ApiQuery<SignalFilter>,
) -> Response {
    match state.app.signals(&caller(actor), &filter, true).await {
        Ok(items) => reply(StatusCode::OK, &Items { items }),
        Err(e) => errors::json(&e),
    }
}

/// Logs a call, text, chat, e-mail or walk-in.
#[utoipa::path(
    operation_id = "log_signal",
    post,
    path = "/api/v1/signals",
    tag = "signals",
    security(("bearer" = [])),
    request_body = schema::NewSignal,
    responses(
        (status = 201, description = "Logged", body = schema::Signal),
        (status = 403, description = "The role does not work the hotline queue", body = super::ApiError),
        (status = 422, description = "`signal_message_required`, `signal_message_too_long`, an unknown code, or a body of the wrong shape (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn log(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<NewSignal>,
) -> Response {
    match state.app.log_signal(&caller(actor), input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// One signal, opened (audited).
#[utoipa::path(
    operation_id = "read_signal",
    get,
    path = "/api/v1/signals/{id}",
    tag = "signals",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The signal's id")),
    responses(
        (status = 200, description = "The signal", body = schema::Signal),
        (status = 403, description = "The role does not work the hotline queue", body = super::ApiError),
        (status = 404, description = "No such signal (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SignalId>,
) -> Response {
    match state.app.signal(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Records a triage (urgency, outcome, notes, codes, or a case to link), with the version read.
#[utoipa::path(
    operation_id = "triage_signal",
    patch,
    path = "/api/v1/signals/{id}",
    tag = "signals",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The signal's id")),
    request_body = schema::Triage,
    responses(
        (status = 200, description = "Saved", body = schema::Signal),
        (status = 403, description = "The role does not work the hotline queue, or may not see the case to link", body = super::ApiError),
        (status = 404, description = "No such signal or case", body = super::ApiError),
        (status = 409, description = "`conflict`: `version` missing or stale", body = super::ApiError),
        (status = 422, description = "`signal_outcome_needs_case`, `signal_outcome_takes_no_case`, `signal_already_resolved`, an unknown code", body = super::ApiError)
    )
)]
pub(super) async fn triage(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SignalId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let mut m = match object_body(body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let version = match take_version(&mut m) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let t: SignalTriage = match rest_of(m) {
        Ok(t) => t,
        Err(r) => return r,
    };
    match state.app.triage_signal(&caller(actor), id, version, t).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Opens a case from the signal through intake (alias, language, the contact the sender
/// offered), and records the outcome `opened_case`.
#[utoipa::path(
    operation_id = "open_case_from_signal",
    post,
    path = "/api/v1/signals/{id}/open-case",
    tag = "signals",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The signal's id")),
    request_body = schema::CaseFromSignal,
    responses(
        (status = 201, description = "The case and the signal", body = schema::SignalCase),
        (status = 403, description = "The role may not open cases or work the queue", body = super::ApiError),
        (status = 404, description = "No such signal", body = super::ApiError),
        (status = 409, description = "`conflict`: `version` missing or stale", body = super::ApiError),
        (status = 422, description = "`name_or_alias_required`, `signal_already_resolved`", body = super::ApiError)
    )
)]
pub(super) async fn open_case(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SignalId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let mut m = match object_body(body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let version = match take_version(&mut m) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input: CaseFromSignal = match rest_of(m) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.app.open_case_from_signal(&caller(actor), id, version, input).await {
        Ok(done) => reply(StatusCode::CREATED, &done),
        Err(e) => errors::json(&e),
    }
}

/// Shapes for the OpenAPI document (the handlers serialise the use cases' own types).
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    #[derive(ToSchema)]
    pub struct SignalList {
        items: Vec<Signal>,
    }

    /// A signal as a hotline worker or supervisor sees it.
    #[derive(ToSchema)]
    pub struct Signal {
        id: Uuid,
        version: i64,
        /// `call`, `text`, `chat`, `web_tip`, `email` or `walk_in`.
        channel: String,
        /// `immediate_danger`, `urgent` or `routine`.
        urgency: String,
        /// `new`, `triaged` or `closed`.
        status: String,
        /// `referred_to_local_responder`, `opened_case`, `linked_to_case` or `information_only`.
        outcome: Option<String>,
        /// ISO 639 code.
        language: Option<String>,
        /// A state (`MX-CHH`, `US-TX`) or country code.
        region: Option<String>,
        /// Type-of-concern codes: `labour_exploitation`, `sexual_exploitation`,
        /// `domestic_servitude`, `forced_criminality`, `minor_at_risk`, `suspicious_job_offer`,
        /// `missing_person`, `needs_services`, `other`.
        concerns: Vec<String>,
        case_id: Option<Uuid>,
        /// What was reported (decrypted for permitted roles).
        text: Option<String>,
        notes: Option<String>,
        /// How the sender of a web tip may be reached, as they offered it.
        contact: Option<Contact>,
        received_at: DateTime<Utc>,
        /// The hotline worker who logged it; null for a web tip.
        received_by: Option<Uuid>,
        triaged_at: Option<DateTime<Utc>>,
    }

    #[derive(ToSchema)]
    pub struct Contact {
        /// `phone`, `sms`, `whatsapp` or `email`.
        channel: Option<String>,
        contact: String,
        safe_times: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct NewSignal {
        /// `call`, `text`, `chat`, `web_tip`, `email` or `walk_in`.
        channel: String,
        /// Default `routine`.
        urgency: Option<String>,
        language: Option<String>,
        region: Option<String>,
        concerns: Option<Vec<String>>,
        /// What the caller said (required, at most 10,000 characters).
        text: String,
        notes: Option<String>,
    }

    /// Members left out stay as they are.
    #[derive(ToSchema)]
    pub struct Triage {
        /// The version read (required).
        version: i64,
        urgency: Option<String>,
        /// `referred_to_local_responder`, `information_only`, or `linked_to_case` with `case_id`.
        outcome: Option<String>,
        language: Option<String>,
        region: Option<String>,
        concerns: Option<Vec<String>>,
        /// Replaces the notes; blank clears them.
        notes: Option<String>,
        case_id: Option<Uuid>,
    }

    #[derive(ToSchema)]
    pub struct CaseFromSignal {
        /// The version read (required).
        version: i64,
        /// The name the person wants to be called.
        alias: String,
        language: Option<String>,
        /// Carry the contact the sender offered into the person's safe-contact preferences.
        use_offered_contact: Option<bool>,
    }

    #[derive(ToSchema)]
    pub struct SignalCase {
        signal: Signal,
        case_id: Uuid,
        case_number: String,
        person_id: Uuid,
    }
}

/// The signals part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(list, log, read, triage, open_case),
    tags((name = "signals", description = "The hotline queue: calls, texts, chats and web tips, triaged by urgency; every read audited."))
)]
pub(super) struct SignalsDoc;
