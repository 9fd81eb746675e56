//! `/api/v1/shelters` and `/api/v1/stays`: houses with their beds, occupancy and
//! availability, check-in (409 `bed_occupied` when the bed is taken), check-out with a
//! reason, the waiting list, house rules and the daily log. Same use cases as the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::OpenApi;

use amparo_app::shelters::{
    CheckIn, CheckOut, HouseSummary, NewBed, NewHouse, NewLogEntry, NewRules, NewWaitlistEntry,
};
use amparo_domain::Actor;
use amparo_domain::shelters::{HouseId, StayId, WaitlistId};

use super::{ApiJson, ApiPath, caller, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/shelters", get(list).post(create))
        .route("/shelters/{id}", get(read))
        .route("/shelters/{id}/beds", post(add_bed))
        .route("/shelters/{id}/rules", post(set_rules))
        .route("/shelters/{id}/stays", post(check_in))
        .route("/shelters/{id}/waitlist", post(add_to_waitlist))
        .route("/shelters/{id}/log", post(write_log))
        .route("/stays/{id}", get(read_stay))
        .route("/persons/{id}/stays", get(stays_of_person))
        .route("/stays/{id}/checkout", post(check_out))
        .route("/waitlist/{id}/withdraw", post(withdraw))
}

#[derive(Serialize)]
struct Items {
    items: Vec<HouseSummary>,
}

#[derive(Serialize)]
struct Created {
    id: String,
}

fn created(id: impl ToString) -> Response {
    reply(StatusCode::CREATED, &Created { id: id.to_string() })
}

/// The organisation's houses with beds, occupied and free beds (no one named).
#[utoipa::path(
    operation_id = "list_shelters",
    get,
    path = "/api/v1/shelters",
    tag = "shelters",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::ShelterList),
        (status = 403, description = "The role does not see shelters", body = super::ApiError)
    )
)]
pub(super) async fn list(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.shelters(&caller(actor)).await {
        Ok(items) => reply(StatusCode::OK, &Items { items }),
        Err(e) => errors::json(&e),
    }
}

/// Sets up a house (administrators, supervisors). The address is sealed.
#[utoipa::path(
    operation_id = "create_shelter",
    post,
    path = "/api/v1/shelters",
    tag = "shelters",
    security(("bearer" = [])),
    request_body = schema::NewShelter,
    responses(
        (status = 201, description = "Created", body = schema::Created),
        (status = 403, description = "The role does not manage shelters", body = super::ApiError),
        (status = 422, description = "`shelter_label_required`, `shelter_eligibility_required`, an unknown code, `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<NewHouse>,
) -> Response {
    match state.app.create_house(&caller(actor), input).await {
        Ok(id) => created(id),
        Err(e) => errors::json(&e),
    }
}

/// One house: beds and who is in them (alias and case number, for those who handle stays),
/// the rules in force, and — for roles allowed — the address, waiting list and log.
#[utoipa::path(
    operation_id = "read_shelter",
    get,
    path = "/api/v1/shelters/{id}",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    responses(
        (status = 200, description = "The house", body = schema::Shelter),
        (status = 403, description = "The role does not see shelters", body = super::ApiError),
        (status = 404, description = "No such house (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
) -> Response {
    match state.app.house(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Adds a bed to a room of the house.
#[utoipa::path(
    operation_id = "add_shelter_bed",
    post,
    path = "/api/v1/shelters/{id}/beds",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    request_body = schema::NewBed,
    responses(
        (status = 201, description = "Created", body = schema::Created),
        (status = 403, description = "The role does not manage shelters", body = super::ApiError),
        (status = 404, description = "No such house", body = super::ApiError),
        (status = 422, description = "`shelter_label_required`, `shelter_label_taken`", body = super::ApiError)
    )
)]
pub(super) async fn add_bed(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
    ApiJson(input): ApiJson<NewBed>,
) -> Response {
    match state.app.add_bed(&caller(actor), id, input).await {
        Ok(id) => created(id),
        Err(e) => errors::json(&e),
    }
}

/// Saves a new version of the house rules in one language.
#[utoipa::path(
    operation_id = "set_shelter_rules",
    post,
    path = "/api/v1/shelters/{id}/rules",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    request_body = schema::NewRules,
    responses(
        (status = 201, description = "`{\"version\": n}`", body = schema::RulesVersion),
        (status = 403, description = "The role does not manage shelters", body = super::ApiError),
        (status = 404, description = "No such house", body = super::ApiError),
        (status = 409, description = "`conflict`: someone saved a version at the same time", body = super::ApiError),
        (status = 422, description = "`shelter_text_required`, an unknown language", body = super::ApiError)
    )
)]
pub(super) async fn set_rules(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
    ApiJson(input): ApiJson<NewRules>,
) -> Response {
    match state.app.set_house_rules(&caller(actor), id, input).await {
        Ok(version) => reply(StatusCode::CREATED, &serde_json::json!({ "version": version })),
        Err(e) => errors::json(&e),
    }
}

/// Checks a person into a bed of the house (the person's case team or a supervisor). The
/// rules in force in the person's language are recorded as given.
#[utoipa::path(
    operation_id = "check_in",
    post,
    path = "/api/v1/shelters/{id}/stays",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    request_body = schema::CheckIn,
    responses(
        (status = 201, description = "Checked in", body = schema::Stay),
        (status = 403, description = "The role does not handle stays, or is not on the person's case team", body = super::ApiError),
        (status = 404, description = "No such house or person", body = super::ApiError),
        (status = 409, description = "`bed_occupied`: someone is in that bed; `already_staying`: the person has a bed", body = super::ApiError),
        (status = 422, description = "A bed of another house, a case of someone else, `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn check_in(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
    ApiJson(input): ApiJson<CheckIn>,
) -> Response {
    match state.app.check_in(&caller(actor), id, input).await {
        Ok(stay) => reply(StatusCode::CREATED, &stay),
        Err(e) => errors::json(&e),
    }
}

/// One stay (audited against the person).
#[utoipa::path(
    operation_id = "read_stay",
    get,
    path = "/api/v1/stays/{id}",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The stay's id")),
    responses(
        (status = 200, description = "The stay", body = schema::Stay),
        (status = 403, description = "The role does not handle stays", body = super::ApiError),
        (status = 404, description = "No such stay", body = super::ApiError)
    )
)]
pub(super) async fn read_stay(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<StayId>,
) -> Response {
    match state.app.stay(&caller(actor), id).await {
        Ok(stay) => reply(StatusCode::OK, &stay),
        Err(e) => errors::json(&e),
    }
}

#[derive(Serialize)]
struct StayItems {
    items: Vec<amparo_app::shelters::StayView>,
}

/// A person's stays, the most recent first (the `Stay` section of their record; audited).
#[utoipa::path(
    operation_id = "stays_of_person",
    get,
    path = "/api/v1/persons/{id}/stays",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::StayList),
        (status = 403, description = "The role may not read stays, or is not on the person's case team", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError)
    )
)]
pub(super) async fn stays_of_person(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<amparo_domain::PersonId>,
) -> Response {
    match state.app.stays_of_person(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &StayItems { items }),
        Err(e) => errors::json(&e),
    }
}

/// Ends a stay with a reason.
#[utoipa::path(
    operation_id = "check_out",
    post,
    path = "/api/v1/stays/{id}/checkout",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The stay's id")),
    request_body = schema::CheckOut,
    responses(
        (status = 200, description = "Checked out", body = schema::Stay),
        (status = 403, description = "The role does not handle stays", body = super::ApiError),
        (status = 404, description = "No such stay", body = super::ApiError),
        (status = 409, description = "`stay_closed`: already checked out", body = super::ApiError),
        (status = 422, description = "An unknown reason", body = super::ApiError)
    )
)]
pub(super) async fn check_out(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<StayId>,
    ApiJson(input): ApiJson<CheckOut>,
) -> Response {
    match state.app.check_out(&caller(actor), id, input).await {
        Ok(stay) => reply(StatusCode::OK, &stay),
        Err(e) => errors::json(&e),
    }
}

/// Puts a person on the house's waiting list (the person's case team or a supervisor).
#[utoipa::path(
    operation_id = "add_to_waitlist",
    post,
    path = "/api/v1/shelters/{id}/waitlist",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    request_body = schema::NewWaitlistEntry,
    responses(
        (status = 201, description = "Added", body = schema::Created),
        (status = 403, description = "The role does not handle stays, or is not on the person's case team", body = super::ApiError),
        (status = 404, description = "No such house or person", body = super::ApiError),
        (status = 422, description = "An unknown priority, `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn add_to_waitlist(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
    ApiJson(input): ApiJson<NewWaitlistEntry>,
) -> Response {
    match state.app.add_to_waitlist(&caller(actor), id, input).await {
        Ok(id) => created(id),
        Err(e) => errors::json(&e),
    }
}

/// Takes a person off the waiting list.
#[utoipa::path(
    operation_id = "withdraw_from_waitlist",
    post,
    path = "/api/v1/waitlist/{id}/withdraw",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The waiting-list entry's id")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 403, description = "The role does not handle stays", body = super::ApiError),
        (status = 404, description = "No such entry", body = super::ApiError),
        (status = 409, description = "`conflict`: no longer waiting", body = super::ApiError)
    )
)]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<WaitlistId>,
) -> Response {
    match state.app.withdraw_from_waitlist(&caller(actor), id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => errors::json(&e),
    }
}

/// Writes an entry of the daily house log (shelter staff, supervisors).
#[utoipa::path(
    operation_id = "write_house_log",
    post,
    path = "/api/v1/shelters/{id}/log",
    tag = "shelters",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The house's id")),
    request_body = schema::NewLogEntry,
    responses(
        (status = 201, description = "Written", body = schema::Created),
        (status = 403, description = "The role does not keep the house log", body = super::ApiError),
        (status = 404, description = "No such house", body = super::ApiError),
        (status = 422, description = "`shelter_text_required`, `shelter_text_too_long`", body = super::ApiError)
    )
)]
pub(super) async fn write_log(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<HouseId>,
    ApiJson(input): ApiJson<NewLogEntry>,
) -> Response {
    match state.app.write_house_log(&caller(actor), id, input).await {
        Ok(id) => created(id),
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
    pub struct Created {
        id: Uuid,
    }

    #[derive(ToSchema)]
    pub struct RulesVersion {
        version: i64,
    }

    #[derive(ToSchema)]
    pub struct ShelterList {
        items: Vec<ShelterSummary>,
    }

    /// Occupancy and availability of a house.
    #[derive(ToSchema)]
    pub struct ShelterSummary {
        id: Uuid,
        name: String,
        /// `refuge` or `transitional`.
        kind: String,
        /// `women`, `men`, `families`, `minors`, `non_binary`, `any`.
        eligibility: Vec<String>,
        beds: i64,
        occupied: i64,
        free: i64,
        /// People waiting (null for roles that do not handle stays).
        waiting: Option<i64>,
    }

    #[derive(ToSchema)]
    pub struct Shelter {
        id: Uuid,
        name: String,
        kind: String,
        eligibility: Vec<String>,
        beds: Vec<Bed>,
        occupied: i64,
        free: i64,
        waiting: Option<i64>,
        /// Only for roles allowed to see where the house is.
        address: Option<String>,
        rules: Vec<Rules>,
        /// For those who handle stays.
        waitlist: Option<Vec<WaitlistEntry>>,
        /// For those who handle stays: the newest 60 entries.
        log: Option<Vec<LogEntry>>,
    }

    #[derive(ToSchema)]
    pub struct Bed {
        id: Uuid,
        room: String,
        label: String,
        occupied: bool,
        /// For those who handle stays.
        occupant: Option<Occupant>,
    }

    /// Who is in a bed: an alias and a case number, nothing more of the record.
    #[derive(ToSchema)]
    pub struct Occupant {
        stay_id: Uuid,
        person_id: Uuid,
        case_id: Option<Uuid>,
        alias: Option<String>,
        case_number: Option<String>,
        checked_in_at: DateTime<Utc>,
        rules_language: Option<String>,
        rules_version: Option<i64>,
    }

    #[derive(ToSchema)]
    pub struct Rules {
        language: String,
        version: i64,
        text: String,
        written_at: DateTime<Utc>,
    }

    #[derive(ToSchema)]
    pub struct WaitlistEntry {
        id: Uuid,
        person_id: Uuid,
        alias: Option<String>,
        case_number: Option<String>,
        requested_on: NaiveDate,
        /// `urgent` or `normal`.
        priority: String,
        notes: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct LogEntry {
        id: Uuid,
        on_date: NaiveDate,
        text: String,
        written_by: Option<Uuid>,
        written_at: DateTime<Utc>,
    }

    #[derive(ToSchema)]
    pub struct NewShelter {
        name: String,
        /// `refuge` or `transitional`.
        kind: String,
        /// At least one of `women`, `men`, `families`, `minors`, `non_binary`, `any`.
        eligibility: Vec<String>,
        /// Sealed; shown only to administrators, supervisors and shelter staff.
        address: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct NewBed {
        room: String,
        label: String,
    }

    #[derive(ToSchema)]
    pub struct NewRules {
        /// `es`, `en`, `nah`, `mix`, `zap`, `yua`, `tzo`, `mam` or `quc`.
        language: String,
        text: String,
    }

    #[derive(ToSchema)]
    pub struct CheckIn {
        bed_id: Uuid,
        person_id: Uuid,
        case_id: Option<Uuid>,
    }

    #[derive(ToSchema)]
    pub struct CheckOut {
        /// `moved_on`, `transferred`, `left_without_notice`, `rule_breach` or `other`.
        reason: String,
    }

    #[derive(ToSchema)]
    pub struct Stay {
        id: Uuid,
        house_id: Uuid,
        bed_id: Uuid,
        person_id: Uuid,
        case_id: Option<Uuid>,
        checked_in_at: DateTime<Utc>,
        /// The language of the rules given at check-in, and their version.
        rules_language: Option<String>,
        rules_version: Option<i64>,
        checked_out_at: Option<DateTime<Utc>>,
        checkout_reason: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct StayList {
        items: Vec<Stay>,
    }

    #[derive(ToSchema)]
    pub struct NewWaitlistEntry {
        person_id: Uuid,
        /// Default today.
        requested_on: Option<NaiveDate>,
        /// `urgent` or `normal` (default).
        priority: Option<String>,
        notes: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct NewLogEntry {
        /// Default today.
        on_date: Option<NaiveDate>,
        text: String,
    }
}

/// The shelters part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(list, create, read, add_bed, set_rules, check_in, read_stay, stays_of_person, check_out, add_to_waitlist, withdraw, write_log),
    tags((name = "shelters", description = "Refuges and transitional homes: beds, stays, the waiting list, house rules and the daily log; every read and change of a stay or the log audited."))
)]
pub(super) struct SheltersDoc;
