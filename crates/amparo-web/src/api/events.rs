//! `/api/v1/events`: the organisation's outreach and training events. Every role of the
//! organisation lists and reads them; prevention roles (supervisors, case managers, hotline
//! workers, volunteers) and administrators record and correct them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::OpenApi;

use amparo_app::events::{EventInput, EventPeriod, EventView};
use amparo_domain::Actor;
use amparo_domain::events::OutreachEventId;

use super::{ApiJson, ApiPath, ApiQuery, caller, object_body, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/events", get(list).post(create)).route("/events/{id}", get(read).put(update))
}

#[derive(Serialize)]
struct Items {
    items: Vec<EventView>,
}

/// The events held in a period (both ends included), oldest first, without their notes.
#[utoipa::path(
    operation_id = "list_events",
    get,
    path = "/api/v1/events",
    tag = "events",
    security(("bearer" = [])),
    params(
        ("from" = Option<String>, Query, description = "First day, `YYYY-MM-DD` (absent: no limit)"),
        ("to" = Option<String>, Query, description = "Last day, `YYYY-MM-DD` (absent: no limit)")
    ),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::EventList),
        (status = 400, description = "`invalid_query`", body = super::ApiError),
        (status = 422, description = "`event_date_invalid`, `event_period_reversed`", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(period): ApiQuery<EventPeriod>,
) -> Response {
    match state.app.outreach_events(&caller(actor), &period).await {
        Ok(items) => reply(StatusCode::OK, &Items { items }),
        Err(e) => errors::json(&e),
    }
}

/// Records an event.
#[utoipa::path(
    operation_id = "record_event",
    post,
    path = "/api/v1/events",
    tag = "events",
    security(("bearer" = [])),
    request_body = schema::EventInput,
    responses(
        (status = 201, description = "Recorded", body = schema::Event),
        (status = 403, description = "The role does not record events", body = super::ApiError),
        (status = 422, description = "`event_date_invalid`, `event_region_required`, `event_audience_required`, `event_attendance_invalid`, `event_breakdown_exceeds_total`, `event_notes_too_long`, `event_too_many_codes`, `unknown_code`, or a body of the wrong shape (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<EventInput>,
) -> Response {
    match state.app.record_outreach_event(&caller(actor), input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// One event, with its notes (the read is audited).
#[utoipa::path(
    operation_id = "read_event",
    get,
    path = "/api/v1/events/{id}",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event", body = schema::Event),
        (status = 404, description = "No such event (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<OutreachEventId>,
) -> Response {
    match state.app.outreach_event(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Replaces an event's fields, with the version read.
#[utoipa::path(
    operation_id = "update_event",
    put,
    path = "/api/v1/events/{id}",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The event's id")),
    request_body = schema::EventUpdate,
    responses(
        (status = 200, description = "Saved", body = schema::Event),
        (status = 403, description = "The role does not record events", body = super::ApiError),
        (status = 404, description = "No such event", body = super::ApiError),
        (status = 409, description = "`conflict`: `version` missing or stale", body = super::ApiError),
        (status = 422, description = "As when recording", body = super::ApiError)
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<OutreachEventId>,
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
    let input: EventInput = match rest_of(m) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.app.update_outreach_event(&caller(actor), id, version, input).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Shapes for the OpenAPI document (the handlers serialise the use cases' own types).
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, NaiveDate, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    #[derive(ToSchema)]
    pub struct EventList {
        items: Vec<Event>,
    }

    /// An outreach or training event.
    #[derive(ToSchema)]
    pub struct Event {
        id: Uuid,
        version: i64,
        /// `prevention_talk`, `workshop`, `professional_training`, `community_event` or `other`.
        kind: String,
        held_on: NaiveDate,
        /// A state (`MX-CHH`, `US-TX`) or country code.
        region: String,
        /// `school`, `community_centre`, `church`, `workplace`, `online`, `public_space` or `other`.
        setting: String,
        /// `students`, `parents`, `youth`, `community`, `professionals`, `law_enforcement`,
        /// `health_workers`, `educators`, `employers`, `faith_community`, `other`.
        audiences: Vec<String>,
        attendance_total: i64,
        attendance_women: Option<i64>,
        attendance_men: Option<i64>,
        attendance_youth: Option<i64>,
        /// `flyers`, `presentation`, `video`, `booklet`, `other`.
        materials: Vec<String>,
        /// ISO 639 codes.
        languages: Vec<String>,
        /// Only when one event is read (lists leave it out).
        notes: Option<String>,
        created_by: Uuid,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    #[derive(ToSchema)]
    pub struct EventInput {
        kind: String,
        /// `YYYY-MM-DD`.
        held_on: String,
        region: String,
        setting: String,
        /// At least one.
        audiences: Vec<String>,
        /// Whole numbers, 0 or more; women + men and youth each at most the total.
        attendance_total: i64,
        attendance_women: Option<i64>,
        attendance_men: Option<i64>,
        attendance_youth: Option<i64>,
        materials: Option<Vec<String>>,
        languages: Option<Vec<String>>,
        /// At most 2,000 characters; sealed at rest.
        notes: Option<String>,
    }

    /// Every field as when recording (the event is replaced), with the version read.
    #[derive(ToSchema)]
    pub struct EventUpdate {
        /// The version read (required).
        version: i64,
        kind: String,
        held_on: String,
        region: String,
        setting: String,
        audiences: Vec<String>,
        attendance_total: i64,
        attendance_women: Option<i64>,
        attendance_men: Option<i64>,
        attendance_youth: Option<i64>,
        materials: Option<Vec<String>>,
        languages: Option<Vec<String>>,
        notes: Option<String>,
    }
}

/// The events part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(list, create, read, update),
    tags((name = "events", description = "Outreach and training events: prevention talks, workshops, trainings, community events. Organisation data; codes and counts for the reports."))
)]
pub(super) struct EventsDoc;
