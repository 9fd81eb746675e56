//! `/api/v1/cases`: opening, reading and changing cases, the caseload, and break-glass.
//! Each handler calls one use case; the use case decides access.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;

use amparo_app::records::CaseFields;
use amparo_domain::{Actor, CaseId, PersonId};

use super::{ApiJson, ApiPath, ApiQuery, caller, invalid_field, object_body, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;

/// `{"reason", "password"}`. No `Debug`: the password is never printed, and becomes a
/// `SecretString` before it goes anywhere.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BreakGlassRequest {
    reason: String,
    password: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseloadQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    offset: Option<i64>,
    /// Supervisors: only the cases one is on the team of.
    #[serde(default)]
    mine: Option<bool>,
}

/// Opens a case for a person; whoever opens it is on its team.
#[utoipa::path(
    operation_id = "open_case",
    post,
    path = "/api/v1/cases",
    tag = "cases",
    security(("bearer" = [])),
    request_body = schema::NewCase,
    responses(
        (status = 201, description = "Opened, with its number (`YYYY-NNNNNN`)", body = schema::CaseView),
        (status = 403, description = "The role does not open cases, or the person is outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError),
        (status = 422, description = "Missing `person_id`, or an invalid or unknown field", body = super::ApiError)
    )
)]
pub(super) async fn open(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let parsed = object_body(body).and_then(|mut m| {
        let person = match m.remove("person_id") {
            Some(serde_json::Value::String(s)) => s.parse::<PersonId>().map_err(|_| invalid_field("person_id"))?,
            _ => return Err(invalid_field("person_id")),
        };
        Ok((person, rest_of::<CaseFields>(m)?))
    });
    let (person, fields) = match parsed {
        Ok(parts) => parts,
        Err(r) => return r,
    };
    match state.app.open_case(&caller(actor), person, fields).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// The caseload: a team role's own cases, a supervisor's organisation (restricted cases only
/// to their named team). Alias only, never names.
#[utoipa::path(
    operation_id = "list_cases",
    get,
    path = "/api/v1/cases",
    tag = "cases",
    security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "`Active`, `FollowUp`, `Closed` or `ClosedReferred`"),
        ("limit" = Option<i64>, Query, description = "1–500, default 50"),
        ("offset" = Option<i64>, Query, description = "Default 0"),
        ("mine" = Option<bool>, Query, description = "Only cases the reader is on the team of (default false)")
    ),
    responses(
        (status = 200, description = "The cases", body = schema::Caseload),
        (status = 400, description = "Malformed query", body = super::ApiError),
        (status = 403, description = "The role has no caseload", body = super::ApiError),
        (status = 422, description = "Unknown status", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<CaseloadQuery>,
) -> Response {
    let result = state
        .app
        .caseload(
            &caller(actor),
            q.status.as_deref(),
            q.mine.unwrap_or(false),
            q.limit.unwrap_or(50),
            q.offset.unwrap_or(0),
        )
        .await;
    match result {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// A case (audited). A restricted case answers 403 to anyone not on its team, who may then
/// use break-glass.
#[utoipa::path(
    operation_id = "read_case",
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The case", body = schema::CaseView),
        (status = 400, description = "Malformed id", body = super::ApiError),
        (status = 403, description = "Outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such case (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
) -> Response {
    match state.app.read_case(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Changes the fields given, if `version` is still the stored one. `restricted` and `team`
/// make a case visible to its named team only.
#[utoipa::path(
    operation_id = "update_case",
    patch,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::CasePatch,
    responses(
        (status = 200, description = "The case as now stored (version + 1)", body = schema::CaseView),
        (status = 403, description = "The reader may not change the case", body = super::ApiError),
        (status = 404, description = "No such case", body = super::ApiError),
        (status = 409, description = "`version` is missing or stale", body = super::ApiError),
        (status = 422, description = "Invalid or unknown field (a team of other organisations' users, an empty team)", body = super::ApiError)
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let (version, fields) =
        match object_body(body).and_then(|mut m| Ok((take_version(&mut m)?, rest_of::<CaseFields>(m)?))) {
            Ok(parts) => parts,
            Err(r) => return r,
        };
    match state.app.update_case(&caller(actor), id, version, fields).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Emergency access to a case outside one's reach: a reason, the password again; 60
/// minutes, that case only; audited and shown to supervisors.
#[utoipa::path(
    operation_id = "break_glass",
    post,
    path = "/api/v1/cases/{id}/break-glass",
    tag = "cases",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The case's id")),
    request_body = schema::BreakGlassRequest,
    responses(
        (status = 201, description = "Granted until `expires_at`", body = schema::BreakGlassGrant),
        (status = 403, description = "The role may not break the glass", body = super::ApiError),
        (status = 404, description = "No such case", body = super::ApiError),
        (status = 422, description = "Reason shorter than 10 characters, or wrong password (`wrong_current_password`)", body = super::ApiError),
        (status = 429, description = "Too many wrong passwords", body = super::ApiError)
    )
)]
pub(super) async fn break_glass(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(body): ApiJson<BreakGlassRequest>,
) -> Response {
    let BreakGlassRequest { reason, password } = body;
    match state.app.break_glass(&caller(actor), id, &reason, SecretString::from(password)).await {
        Ok(expires_at) => reply(StatusCode::CREATED, &json!({ "expires_at": expires_at })),
        Err(e) => errors::json(&e),
    }
}

/// The shapes of the OpenAPI document, mirroring the use cases' types (see `persons::schema`).
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, NaiveDate, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    /// A case's fields; on update, a field left out stays as it is. Codes are HTCDS 2.0's.
    /// Unknown members are refused.
    #[derive(ToSchema)]
    pub struct CaseFields {
        /// `Active`, `FollowUp`, `Closed` or `ClosedReferred`.
        status: Option<String>,
        /// Why a case closed, e.g. `goals_met`, `client_chose_to_end`.
        closure_reason: Option<String>,
        /// Trafficking status code (possible, actual, not a victim).
        trafficking_status: Option<String>,
        /// Who decided the trafficking status.
        status_decided_by: Option<String>,
        /// HTCDS `vic_TypeOfExploitation` codes, e.g. `ForcedLabour`.
        exploitation_types: Option<Vec<String>>,
        /// HTCDS means-of-control codes.
        means_of_control: Option<Vec<String>>,
        /// HTCDS recruitment code.
        recruitment: Option<String>,
        /// ISO 3166-1 alpha-2 codes.
        countries: Option<Vec<String>>,
        /// ISO 3166-2 subdivision codes.
        places: Option<Vec<String>>,
        opened_on: Option<NaiveDate>,
        closed_on: Option<NaiveDate>,
        /// The assigned case manager (a user id of the organisation).
        assigned_to: Option<Uuid>,
        /// Visible only to its named team (supervisors included only if named).
        restricted: Option<bool>,
        /// User ids of the organisation.
        team: Option<Vec<Uuid>>,
        /// The organisation's own fields: `custom_…` code → value (`null` clears), checked
        /// against `GET /api/v1/forms/case`. Required ones are asked for on every update.
        #[schema(value_type = Option<Object>)]
        custom: Option<serde_json::Value>,
    }

    /// A new case: the person it is for, and any of the case's fields.
    #[derive(ToSchema)]
    pub struct NewCase {
        person_id: Uuid,
        #[serde(flatten)]
        fields: CaseFields,
    }

    /// A PATCH: the fields to change, and the `version` they were read at.
    #[derive(ToSchema)]
    pub struct CasePatch {
        /// The version read; missing or stale gets 409.
        version: i64,
        #[serde(flatten)]
        fields: CaseFields,
    }

    #[derive(ToSchema)]
    pub struct CaseView {
        id: Uuid,
        person_id: Uuid,
        /// `YYYY-NNNNNN`: identifies nobody.
        number: String,
        version: i64,
        status: String,
        closure_reason: Option<String>,
        trafficking_status: Option<String>,
        status_decided_by: Option<String>,
        exploitation_types: Vec<String>,
        means_of_control: Vec<String>,
        recruitment: Option<String>,
        countries: Vec<String>,
        places: Vec<String>,
        opened_on: NaiveDate,
        closed_on: Option<NaiveDate>,
        assigned_to: Option<Uuid>,
        restricted: bool,
        team: Vec<Uuid>,
        /// The organisation's own fields (hidden ones included): `custom_…` code → value.
        #[schema(value_type = Object)]
        custom: serde_json::Value,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
        /// The reader holds an unexpired break-glass grant until this time.
        break_glass_until: Option<DateTime<Utc>>,
    }

    /// A line of the caseload: coded fields and the alias, never names.
    #[derive(ToSchema)]
    pub struct CaseListItem {
        id: Uuid,
        person_id: Uuid,
        number: String,
        status: String,
        alias: Option<String>,
        opened_on: NaiveDate,
        assigned_to: Option<Uuid>,
        restricted: bool,
    }

    #[derive(ToSchema)]
    pub struct Caseload {
        items: Vec<CaseListItem>,
    }

    #[derive(ToSchema)]
    pub struct BreakGlassRequest {
        /// Why, in at least 10 characters (kept encrypted, audited).
        reason: String,
        /// The user's own password, again.
        password: String,
    }

    #[derive(ToSchema)]
    pub struct BreakGlassGrant {
        expires_at: DateTime<Utc>,
    }
}
