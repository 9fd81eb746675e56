//! `/api/v1` case work: the entries of a case (needs assessments, goals, services,
//! appointments, milestones, legal relief, notes), its timeline, the tasks due, the caseload
//! dashboard, and appointments as iCalendar. Each handler calls one use case; the use case
//! decides access and audits.

mod schema;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use amparo_app::casework::{
    AppointmentInput, CalendarText, EntryDetail, GoalInput, LegalReliefInput, MilestoneInput, NeedsAssessmentInput,
    NoteInput, Saved, ServiceInput, TaskInput,
};
use amparo_app::{AppError, AppResult};
use amparo_domain::records::{CaseWorkError, EntryKind, ServiceCategory};
use amparo_domain::{Actor, CaseId, DomainError, EntryId, TaskId};

use super::{ApiJson, ApiPath, ApiQuery, caller, invalid_field, object_body, reject, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;
use crate::view::Tr;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/assessments", get(assessments).post(add_assessment))
        .route("/cases/{id}/goals", get(goals).post(add_goal))
        .route("/cases/{id}/services", get(services).post(add_service))
        .route("/cases/{id}/appointments", get(appointments).post(add_appointment))
        .route("/cases/{id}/milestones", get(milestones).post(add_milestone))
        .route("/cases/{id}/legal-relief", get(legal_relief).post(add_legal_relief))
        .route("/cases/{id}/notes", get(notes).post(add_note))
        .route("/cases/{id}/timeline", get(timeline))
        .route("/cases/{id}/tasks", post(create_task))
        .route("/entries/{id}", get(read_entry).patch(update_entry))
        .route("/entries/{id}/reveal", post(reveal))
        .route("/tasks", get(tasks))
        .route("/tasks/{id}/complete", post(complete_task))
        .route("/dashboard", get(dashboard))
        .route("/appointments.ics", get(appointments_ics))
}

fn created(result: AppResult<Saved>) -> Response {
    match result {
        Ok(saved) => reply(StatusCode::CREATED, &saved),
        Err(e) => errors::json(&e),
    }
}

fn items<T: Serialize>(result: AppResult<Vec<T>>) -> Response {
    match result {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

// ----- adding entries

/// Records a needs assessment, rated with the survivor (repeat it to see change over time).
#[utoipa::path(
    operation_id = "add_needs_assessment",
    post,
    path = "/api/v1/cases/{id}/assessments",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::NeedsAssessmentInput,
    responses(
        (status = 201, description = "Recorded", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown domain or rating code (`field`: `ratings`), date out of range, or a body of the wrong shape (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn add_assessment(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NeedsAssessmentInput>,
) -> Response {
    created(state.app.add_needs_assessment(&caller(actor), id, input).await)
}

/// Adds a goal to the service plan: the survivor's words, kept as given.
#[utoipa::path(
    operation_id = "add_goal",
    post,
    path = "/api/v1/cases/{id}/goals",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::GoalInput,
    responses(
        (status = 201, description = "Added", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `domain` or `status`, empty `text`, a `responsible` who is not a user of the organisation, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_goal(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<GoalInput>,
) -> Response {
    created(state.app.add_goal(&caller(actor), id, input).await)
}

/// Records a service delivered: one dated encounter (a contact with the person).
#[utoipa::path(
    operation_id = "add_service",
    post,
    path = "/api/v1/cases/{id}/services",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::ServiceInput,
    responses(
        (status = 201, description = "Recorded", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `category`, `minutes` outside 0–1440, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_service(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> Response {
    created(state.app.add_service(&caller(actor), id, input).await)
}

/// Schedules an appointment (and who accompanies the person); a reminder becomes a task.
#[utoipa::path(
    operation_id = "add_appointment",
    post,
    path = "/api/v1/cases/{id}/appointments",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::AppointmentInput,
    responses(
        (status = 201, description = "Scheduled", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `place`, `category` or `status`, a malformed `time`, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_appointment(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<AppointmentInput>,
) -> Response {
    created(state.app.add_appointment(&caller(actor), id, input).await)
}

/// Records a milestone in the person's life.
#[utoipa::path(
    operation_id = "add_milestone",
    post,
    path = "/api/v1/cases/{id}/milestones",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::MilestoneInput,
    responses(
        (status = 201, description = "Recorded", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `kind`, an `own` milestone without `text`, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_milestone(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<MilestoneInput>,
) -> Response {
    created(state.app.add_milestone(&caller(actor), id, input).await)
}

/// Records immigration relief or a legal process; its dates become tasks (a Continued
/// Presence expiry: a `continued_presence_renewal` task 120 days before).
#[utoipa::path(
    operation_id = "add_legal_relief",
    post,
    path = "/api/v1/cases/{id}/legal-relief",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::LegalReliefInput,
    responses(
        (status = 201, description = "Recorded", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the legal section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `kind` or `status`, a date out of range, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_legal_relief(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<LegalReliefInput>,
) -> Response {
    created(state.app.add_legal_relief(&caller(actor), id, input).await)
}

/// Writes a case note (sealed; contact and outreach notes count as contact).
#[utoipa::path(
    operation_id = "add_note",
    post,
    path = "/api/v1/cases/{id}/notes",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::NoteInput,
    responses(
        (status = 201, description = "Written", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the narrative section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `kind` or language code, empty `text`, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn add_note(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NoteInput>,
) -> Response {
    created(state.app.add_note(&caller(actor), id, input).await)
}

// ----- listing entries

/// A case's entries of one kind, oldest first (audited as one read).
async fn entries_of(state: AppState, actor: Actor, case: CaseId, kind: EntryKind) -> Response {
    items(state.app.case_entries(&caller(actor), case, kind).await)
}

/// The case's needs assessments, oldest first.
#[utoipa::path(
    operation_id = "list_needs_assessments",
    get,
    path = "/api/v1/cases/{id}/assessments",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn assessments(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::NeedAssessment).await
}

/// The case's service plan: its goals, oldest first.
#[utoipa::path(
    operation_id = "list_goals",
    get,
    path = "/api/v1/cases/{id}/goals",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn goals(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::Goal).await
}

/// The services delivered on the case, oldest first.
#[utoipa::path(
    operation_id = "list_services",
    get,
    path = "/api/v1/cases/{id}/services",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn services(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::Service).await
}

/// The case's appointments, oldest first.
#[utoipa::path(
    operation_id = "list_appointments",
    get,
    path = "/api/v1/cases/{id}/appointments",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn appointments(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::Appointment).await
}

/// The person's milestones recorded on the case, oldest first.
#[utoipa::path(
    operation_id = "list_milestones",
    get,
    path = "/api/v1/cases/{id}/milestones",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the services section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn milestones(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::Milestone).await
}

/// The case's legal relief, oldest first; restricted numbers only named (see `reveal`).
#[utoipa::path(
    operation_id = "list_legal_relief",
    get,
    path = "/api/v1/cases/{id}/legal-relief",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order, without their restricted numbers", body = schema::Entries),
        (status = 403, description = "The role may not read the legal section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn legal_relief(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::LegalRelief).await
}

/// The case's notes, oldest first.
#[utoipa::path(
    operation_id = "list_notes",
    get,
    path = "/api/v1/cases/{id}/notes",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The entries, in date order", body = schema::Entries),
        (status = 403, description = "The role may not read the narrative section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn notes(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    entries_of(state, actor, id, EntryKind::Note).await
}

// ----- one entry

/// One entry of any kind (audited before it is shown).
#[utoipa::path(
    operation_id = "read_entry",
    get,
    path = "/api/v1/entries/{id}",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The entry's id")),
    responses(
        (status = 200, description = "The entry; text exactly as given, restricted numbers only named", body = schema::EntryView),
        (status = 400, description = "Malformed id", body = super::ApiError),
        (status = 403, description = "The role may not read the entry's section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such entry (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read_entry(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<EntryId>,
) -> Response {
    match state.app.case_entry(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// The stored entry with the members of `changes` put over it (RFC 7396, one level deep:
/// `null` removes a member, so an optional one is cleared and a required one is missing),
/// read as the kind's input, which refuses members the kind does not have.
fn changed<T: Serialize + DeserializeOwned>(
    stored: &T,
    changes: Map<String, Value>,
    version: Option<i64>,
) -> Result<T, Response> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(stored) else {
        return Err(errors::json(&AppError::Integrity("entry".into())));
    };
    for (name, value) in changes {
        if value.is_null() {
            fields.remove(&name);
        } else {
            fields.insert(name, value);
        }
    }
    match version {
        Some(v) => fields.insert("version".into(), v.into()),
        None => fields.remove("version"),
    };
    rest_of(fields)
}

/// Changes an entry if `version` is still the stored one. The body holds `version` and the
/// members to change, of the entry's kind; members left out stay as stored. The entry is read
/// first (its kind and the members left out), so the change is audited after a read.
#[utoipa::path(
    operation_id = "update_entry",
    patch,
    path = "/api/v1/entries/{id}",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The entry's id")),
    request_body = schema::EntryPatch,
    responses(
        (status = 200, description = "Changed (version + 1); derived tasks recomputed", body = schema::SavedEntry),
        (status = 403, description = "The role may not write the entry's section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such entry (or another organisation's)", body = super::ApiError),
        (status = 409, description = "`version` is missing or stale: read the entry again", body = super::ApiError),
        (status = 422, description = "An unknown code (with its `field`), or a member the entry's kind does not have (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn update_entry(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<EntryId>,
    ApiJson(body): ApiJson<Value>,
) -> Response {
    let (version, changes) = match object_body(body).and_then(|mut m| Ok((take_version(&mut m)?, m))) {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    let caller = caller(actor);
    // The kind, and the members left out, come from the entry as stored; the use case then
    // checks `version` against the stored one.
    let stored = match state.app.case_entry(&caller, id).await {
        Ok(view) => view.detail,
        Err(e) => return errors::json(&e),
    };
    let app = &state.app;
    let result = match &stored {
        EntryDetail::NeedAssessment(s) => match changed(s, changes, version) {
            Ok(input) => app.update_needs_assessment(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::Goal(s) => match changed(s, changes, version) {
            Ok(input) => app.update_goal(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::Service(s) => match changed(s, changes, version) {
            Ok(input) => app.update_service(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::Appointment(s) => match changed(s, changes, version) {
            Ok(input) => app.update_appointment(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::Milestone(s) => match changed(s, changes, version) {
            Ok(input) => app.update_milestone(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::LegalRelief(s) => match changed(s, changes, version) {
            Ok(input) => app.update_legal_relief(&caller, id, input).await,
            Err(r) => return r,
        },
        EntryDetail::Note(s) => match changed(s, changes, version) {
            Ok(input) => app.update_note(&caller, id, input).await,
            Err(r) => return r,
        },
    };
    match result {
        Ok(saved) => reply(StatusCode::OK, &saved),
        Err(e) => errors::json(&e),
    }
}

/// The restricted numbers of a legal relief (receipt number, A-number, carpeta number).
/// Always audited (`legal_relief.reveal`).
#[utoipa::path(
    operation_id = "reveal_legal_numbers",
    post,
    path = "/api/v1/entries/{id}/reveal",
    tag = "casework",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The legal relief entry's id")),
    responses(
        (status = 200, description = "The numbers held (those not held are left out)", body = schema::LegalNumbers),
        (status = 403, description = "The role may not read the legal section, or the case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such legal relief entry (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn reveal(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<EntryId>,
) -> Response {
    match state.app.reveal_legal_numbers(&caller(actor), id).await {
        Ok(numbers) => reply(StatusCode::OK, &numbers),
        Err(e) => errors::json(&e),
    }
}

// ----- the timeline

/// Everything on a case in date order: its opening and closing, each entry whose section the
/// reader may read, the screenings and referrals of the case and of the person (taken or made
/// for no case), coded only, for those who may read screenings or refer (others are left out).
/// `kind` filters (repeat it, or separate codes with commas): entry kinds, `case` for the
/// case's own events, `screening`, `referral`.
#[utoipa::path(
    operation_id = "case_timeline",
    get,
    path = "/api/v1/cases/{id}/timeline",
    tag = "casework",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "The case's id"),
        ("kind" = Option<Vec<String>>, Query, description = "`case`, `need_assessment`, `goal`, `service`, `appointment`, `milestone`, `legal_relief`, `note`, `screening`, `referral`; none: everything")
    ),
    responses(
        (status = 200, description = "The timeline, oldest first", body = schema::Timeline),
        (status = 400, description = "A query parameter other than `kind`", body = super::ApiError),
        (status = 403, description = "The case is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Unknown `kind`", body = super::ApiError)
    )
)]
pub(super) async fn timeline(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiQuery(query): ApiQuery<Vec<(String, String)>>,
) -> Response {
    let mut kinds: Vec<String> = Vec::new();
    for (name, value) in query {
        if name != "kind" {
            return reject(StatusCode::BAD_REQUEST, "invalid_query");
        }
        kinds.extend(value.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned));
    }
    items(state.app.timeline(&caller(actor), id, &kinds).await)
}

// ----- tasks

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TasksQuery {
    due_before: NaiveDate,
    #[serde(default)]
    scope: Option<String>,
}

/// Open tasks due before a day that the reader may see, overdue first: for a supervisor the
/// organisation's, for others those of their cases and those assigned to them. `scope=mine`
/// narrows to the reader's own; `scope=team` to the cases the reader is on.
#[utoipa::path(
    operation_id = "list_tasks",
    get,
    path = "/api/v1/tasks",
    tag = "tasks",
    security(("bearer" = [])),
    params(
        ("due_before" = NaiveDate, Query, description = "`YYYY-MM-DD`: tasks due before this day"),
        ("scope" = Option<String>, Query, description = "`all` (default), `mine` or `team`")
    ),
    responses(
        (status = 200, description = "The tasks, overdue first, then by due day (at most 500)", body = schema::Tasks),
        (status = 400, description = "`due_before` missing or not a date", body = super::ApiError),
        (status = 403, description = "The role works on no records", body = super::ApiError),
        (status = 422, description = "Unknown `scope`", body = super::ApiError)
    )
)]
pub(super) async fn tasks(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<TasksQuery>,
) -> Response {
    let caller = caller(actor);
    let result = match q.scope.as_deref() {
        None | Some("all") => state.app.tasks_due(&caller, q.due_before).await,
        Some("mine") => state.app.my_tasks(&caller, q.due_before).await,
        Some("team") => state.app.team_tasks(&caller, q.due_before).await,
        Some(_) => return invalid_field("scope"),
    };
    items(result)
}

/// Adds a manual task to a case (its title sealed).
#[utoipa::path(
    operation_id = "create_task",
    post,
    path = "/api/v1/cases/{id}/tasks",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::TaskInput,
    responses(
        (status = 201, description = "Added", body = schema::TaskView),
        (status = 403, description = "The reader may not change the case", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError),
        (status = 422, description = "Empty or over-long `title`, an `assigned_to` who is not a user of the organisation, or a body of the wrong shape", body = super::ApiError)
    )
)]
pub(super) async fn create_task(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Response {
    match state.app.create_task(&caller(actor), id, input).await {
        Ok(task) => reply(StatusCode::CREATED, &task),
        Err(e) => errors::json(&e),
    }
}

/// Marks a task done, if `version` is still the stored one.
#[utoipa::path(
    operation_id = "complete_task",
    post,
    path = "/api/v1/tasks/{id}/complete",
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The task's id")),
    request_body = schema::TaskCompletion,
    responses(
        (status = 200, description = "Done (version + 1)", body = schema::TaskView),
        (status = 403, description = "The reader may not change the part of the record the task comes from", body = super::ApiError),
        (status = 404, description = "No such task (or another organisation's)", body = super::ApiError),
        (status = 409, description = "`version` is missing or stale", body = super::ApiError),
        (status = 422, description = "A member other than `version`", body = super::ApiError)
    )
)]
pub(super) async fn complete_task(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<TaskId>,
    ApiJson(body): ApiJson<Value>,
) -> Response {
    let version = object_body(body).and_then(|mut m| {
        let version = take_version(&mut m)?;
        if m.is_empty() { Ok(version) } else { Err(reject(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")) }
    });
    let version = match version {
        Ok(Some(v)) => v,
        // Nobody completes what they did not see.
        Ok(None) => return errors::json(&AppError::Conflict),
        Err(r) => return r,
    };
    match state.app.complete_task(&caller(actor), id, version).await {
        Ok(task) => reply(StatusCode::OK, &task),
        Err(e) => errors::json(&e),
    }
}

// ----- the dashboard and the calendar

/// "No contact for N days" when the query does not say.
const DEFAULT_NO_CONTACT_DAYS: u32 = 30;
/// Ten years: longer says nothing more.
const MAX_NO_CONTACT_DAYS: u32 = 3650;
/// The widest calendar export: a year and a day.
const MAX_CALENDAR_DAYS: i64 = 366;

fn out_of_range(field: &'static str) -> Response {
    errors::json(&AppError::invalid(field, DomainError::CaseWork(CaseWorkError::NumberOutOfRange)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DashboardQuery {
    #[serde(default)]
    no_contact_days: Option<u32>,
}

/// The caseload dashboard: a supervisor's organisation, or the reader's own cases.
#[utoipa::path(
    operation_id = "dashboard",
    get,
    path = "/api/v1/dashboard",
    tag = "tasks",
    security(("bearer" = [])),
    params(("no_contact_days" = Option<u32>, Query, description = "Count open cases without contact for this many days: 1–3650, default 30")),
    responses(
        (status = 200, description = "Counts, and the next appointments and deadlines (codes only)", body = schema::Dashboard),
        (status = 400, description = "Malformed query", body = super::ApiError),
        (status = 403, description = "The role has no caseload", body = super::ApiError),
        (status = 422, description = "`no_contact_days` out of range", body = super::ApiError)
    )
)]
pub(super) async fn dashboard(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> Response {
    let days = q.no_contact_days.unwrap_or(DEFAULT_NO_CONTACT_DAYS);
    if !(1..=MAX_NO_CONTACT_DAYS).contains(&days) {
        return out_of_range("no_contact_days");
    }
    match state.app.dashboard(&caller(actor), days).await {
        Ok(d) => reply(StatusCode::OK, &d),
        Err(e) => errors::json(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CalendarQuery {
    from: NaiveDate,
    to: NaiveDate,
}

/// The words of calendar events in the reader's language: a title and the service
/// categories' labels. Never a name, a purpose or a place.
fn calendar_text(l: &Tr) -> CalendarText {
    CalendarText {
        title: format!("Amparo: {}", l.t("code-entry_kind-appointment")),
        categories: ServiceCategory::ALL
            .iter()
            .map(|c| (c.code().to_owned(), l.t(&format!("code-service_category-{}", c.code()))))
            .collect(),
    }
}

/// The appointments the reader may see from `from` to `to` (inclusive) as iCalendar, for a
/// staff calendar: each event says only the case number and the service category.
#[utoipa::path(
    operation_id = "appointments_ical",
    get,
    path = "/api/v1/appointments.ics",
    tag = "tasks",
    security(("bearer" = [])),
    params(
        ("from" = NaiveDate, Query, description = "`YYYY-MM-DD`, first day"),
        ("to" = NaiveDate, Query, description = "`YYYY-MM-DD`, last day: at most 366 days after `from`")
    ),
    responses(
        (status = 200, description = "An iCalendar (RFC 5545) document", content_type = "text/calendar", body = String),
        (status = 400, description = "`from` or `to` missing or not a date", body = super::ApiError),
        (status = 403, description = "The role works on no records", body = super::ApiError),
        (status = 422, description = "`to` before `from`, or more than 366 days after it", body = super::ApiError)
    )
)]
pub(super) async fn appointments_ics(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> Response {
    if !(0..=MAX_CALENDAR_DAYS).contains(&(q.to - q.from).num_days()) {
        return out_of_range("to");
    }
    let language = match state.app.me(&actor).await {
        Ok(user) => user.language,
        Err(e) => return errors::json(&e),
    };
    let text = calendar_text(&Tr::plain(language));
    match state.app.appointments_ical(&caller(actor), q.from, q.to, &text).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"amparo.ics\""),
            ],
            ics,
        )
            .into_response(),
        Err(e) => errors::json(&e),
    }
}

/// The case-work part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(
        add_assessment,
        assessments,
        add_goal,
        goals,
        add_service,
        services,
        add_appointment,
        appointments,
        add_milestone,
        milestones,
        add_legal_relief,
        legal_relief,
        add_note,
        notes,
        read_entry,
        update_entry,
        reveal,
        timeline,
        create_task,
        tasks,
        complete_task,
        dashboard,
        appointments_ics,
    ),
    tags(
        (name = "casework", description = "What the survivor wants, what was done and what changed: entries on a case, sealed, version-checked and audited; the case's timeline."),
        (name = "tasks", description = "What is due: tasks computed from dates and manual ones, the caseload dashboard, and appointments for staff calendars.")
    )
)]
pub(super) struct CaseWorkDoc;
