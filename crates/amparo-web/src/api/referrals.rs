//! `/api/v1` partner network: the partner directory, referrals (consent-gated) and their
//! answers, and this installation's identity. The use cases decide access and audit.

#![allow(dead_code)] // the schema structs exist for the OpenAPI document only

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::json;
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use amparo_app::referrals::{AcceptInput, PartnerInput, PartnerQuery, ReferralInput};
use amparo_domain::Actor;
use amparo_domain::referrals::{ReferralDirection, ReferralId};

use super::{ApiJson, ApiPath, ApiQuery, caller, reject, reply};

/// An optional JSON body: empty means the defaults.
fn optional<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|_| reject(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"))
}
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/identity", get(identity))
        .route("/partners", get(list_partners).post(create_partner))
        .route("/referrals", get(list_referrals).post(create_referral))
        .route("/referrals/{id}", get(read_referral))
        .route("/referrals/{id}/send", post(send))
        .route("/referrals/{id}/accept", post(accept))
        .route("/referrals/{id}/decline", post(decline))
        .route("/referrals/{id}/withdraw", post(withdraw))
        .route("/referrals/{id}/complete", post(complete))
}

/// A directory entry to add. Exactly one of `public_key` and `organisation_id`.
#[derive(ToSchema)]
struct PartnerBody {
    name: String,
    /// ISO 3166-1 alpha-2 (`US`, `MX`, `GT`, …).
    country: String,
    /// ISO 3166-2 subdivision of `country` (`MX-CHH`, `US-TX`).
    region: Option<String>,
    /// Case-work service category codes (`housing`, `legal_aid`, `healthcare`, …); unknown → 422.
    services: Vec<String>,
    /// ISO 639 codes.
    languages: Vec<String>,
    /// `women`, `men`, `families`, `minors`, `lgbtq`, `indigenous`, `migrants`,
    /// `labor_trafficking`, `sex_trafficking`.
    populations: Option<Vec<String>>,
    /// How to reach them for referrals.
    contact: Option<String>,
    /// Another installation's identity line (`amparo identity show`): referrals travel as packets.
    public_key: Option<String>,
    /// Another organisation on this installation: referrals land in its inbox.
    organisation_id: Option<Uuid>,
    notes: Option<String>,
}

/// A directory entry.
#[derive(ToSchema)]
struct PartnerSchema {
    id: Uuid,
    name: String,
    country: String,
    region: Option<String>,
    services: Vec<String>,
    languages: Vec<String>,
    populations: Vec<String>,
    contact: String,
    public_key: Option<String>,
    /// 20 hex digits of SHA-256 over `public_key`, to compare by phone.
    fingerprint: Option<String>,
    organisation_id: Option<Uuid>,
    notes: String,
}

/// A referral to make. Refused with 409 `consent_required` unless a valid (unexpired,
/// unrevoked) consent of the person names this partner and lists every field.
#[derive(ToSchema)]
struct ReferralBody {
    person_id: Uuid,
    case_id: Option<Uuid>,
    partner_id: Uuid,
    /// Consent field codes: `alias`, `given_name`, `family_name`, `birth_date`, `gender`,
    /// `citizenship`, `languages`, `phone`, `email`, `address`, `safe_contact`, `narrative`,
    /// `case_summary`, `screening`, `legal`.
    fields: Vec<String>,
    /// Why (the sender's own note; it does not travel to the partner).
    reason: String,
    /// `routine` (default), `urgent`, `emergency`.
    urgency: Option<String>,
    /// Keep as a draft (send later with `/send`); default false: sent at once.
    draft: Option<bool>,
}

/// A referral. `shared` (field code → values copied when it was sent) and `reason` only for
/// readers who may see them.
#[derive(ToSchema)]
struct ReferralSchema {
    id: Uuid,
    /// `outgoing` or `incoming`.
    direction: String,
    /// `draft`, `sent`, `accepted`, `declined`, `completed`, `withdrawn`.
    status: String,
    urgency: String,
    partner_id: Option<Uuid>,
    from_organisation_id: Option<Uuid>,
    person_id: Option<Uuid>,
    case_id: Option<Uuid>,
    fields: Vec<String>,
    #[schema(value_type = Option<Object>)]
    shared: Option<serde_json::Value>,
    reason: Option<String>,
    status_note: Option<String>,
    expires_on: Option<chrono::NaiveDate>,
    created_at: chrono::DateTime<chrono::Utc>,
    sent_at: Option<chrono::DateTime<chrono::Utc>>,
    accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    declined_at: Option<chrono::DateTime<chrono::Utc>>,
    completed_at: Option<chrono::DateTime<chrono::Utc>>,
    withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
    version: i64,
}

#[derive(ToSchema)]
struct ReferralList {
    items: Vec<ReferralSchema>,
}

#[derive(ToSchema)]
struct Created {
    id: Uuid,
}

#[derive(ToSchema)]
struct ReasonBody {
    reason: Option<String>,
}

#[derive(ToSchema)]
struct AcceptBody {
    /// Link to this case here; left out: a new person (from the shared fields) and case.
    case_id: Option<Uuid>,
}

#[derive(ToSchema)]
struct IdentitySchema {
    /// `amparo-id1:<Ed25519 key, base64url>:<age recipient>`.
    public_key: String,
    fingerprint: String,
}

#[derive(Deserialize)]
pub(super) struct DirectionQuery {
    direction: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ReasonInput {
    #[serde(default)]
    reason: Option<String>,
}

/// This installation's public identity, for partners' directories.
#[utoipa::path(
    get, path = "/api/v1/identity", tag = "referrals", security(("bearer" = [])),
    responses((status = 200, description = "The identity line and its fingerprint", body = IdentitySchema))
)]
async fn identity(State(state): State<AppState>, Extension(_actor): Extension<Actor>) -> Response {
    match state.app.installation_identity().await {
        Ok(id) => reply(StatusCode::OK, &json!({ "public_key": id.to_string(), "fingerprint": id.fingerprint() })),
        Err(e) => errors::json(&e),
    }
}

/// The organisation's partner directory, filtered by `service`, `language` and `place`
/// (a country or region code).
#[utoipa::path(
    get, path = "/api/v1/partners", tag = "referrals", security(("bearer" = [])),
    params(
        ("service" = Option<String>, Query, description = "A service code"),
        ("language" = Option<String>, Query, description = "A language code"),
        ("place" = Option<String>, Query, description = "A country (`MX`) or region (`MX-CHH`) code")
    ),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = Vec<PartnerSchema>),
        (status = 403, description = "The role does not use the directory", body = super::ApiError)
    )
)]
async fn list_partners(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<PartnerQuery>,
) -> Response {
    match state.app.partners(&caller(actor), None, &q).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// Adds a partner to the organisation's directory (administrators).
#[utoipa::path(
    post, path = "/api/v1/partners", tag = "referrals", security(("bearer" = [])),
    request_body = PartnerBody,
    responses(
        (status = 201, description = "Added", body = Created),
        (status = 403, description = "Administrators only", body = super::ApiError),
        (status = 422, description = "`unknown_code` (a service, language or population), `partner_invalid_country`, `partner_invalid_region`, `partner_invalid_public_key`, `partner_recipient_required`", body = super::ApiError)
    )
)]
async fn create_partner(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<PartnerInput>,
) -> Response {
    match state.app.add_partner(&caller(actor), None, input).await {
        Ok(id) => reply(StatusCode::CREATED, &json!({ "id": id })),
        Err(e) => errors::json(&e),
    }
}

/// Refers a person to a partner with the fields chosen from their consent.
#[utoipa::path(
    post, path = "/api/v1/referrals", tag = "referrals", security(("bearer" = [])),
    request_body = ReferralBody,
    responses(
        (status = 201, description = "Made (and sent unless `draft`)", body = Created),
        (status = 403, description = "Only the person's case team or a supervisor may refer", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError),
        (status = 409, description = "`consent_required`: no valid consent covers this partner and every field", body = super::ApiError),
        (status = 422, description = "`referral_no_fields`, `unknown_code` (`fields`, `partner_id`, `case_id`, `urgency`), `invalid_name` (`reason`)", body = super::ApiError)
    )
)]
async fn create_referral(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<ReferralInput>,
) -> Response {
    match state.app.create_referral(&caller(actor), input).await {
        Ok(id) => reply(StatusCode::CREATED, &json!({ "id": id })),
        Err(e) => errors::json(&e),
    }
}

/// The organisation's referrals one way: `incoming` (the inbox) or `outgoing` (default).
#[utoipa::path(
    get, path = "/api/v1/referrals", tag = "referrals", security(("bearer" = [])),
    params(("direction" = Option<String>, Query, description = "`incoming` or `outgoing`")),
    responses(
        (status = 200, description = "Newest first, each with its status and (for permitted readers) the shared fields' values", body = ReferralList),
        (status = 403, description = "Supervisors and case managers only", body = super::ApiError),
        (status = 422, description = "`unknown_code` (`direction`)", body = super::ApiError)
    )
)]
async fn list_referrals(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<DirectionQuery>,
) -> Response {
    let direction = match q.direction.as_deref().map(ReferralDirection::from_code) {
        None => ReferralDirection::Outgoing,
        Some(Ok(d)) => d,
        Some(Err(_)) => return super::invalid_field("direction"),
    };
    match state.app.referrals(&caller(actor), None, direction).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// One referral.
#[utoipa::path(
    get, path = "/api/v1/referrals/{id}", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral", body = ReferralSchema),
        (status = 404, description = "No such referral here", body = super::ApiError)
    )
)]
async fn read_referral(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
) -> Response {
    match state.app.referral(&caller(actor), None, id).await {
        Ok(r) => reply(StatusCode::OK, &r),
        Err(e) => errors::json(&e),
    }
}

fn done(r: amparo_app::AppResult<()>) -> Response {
    match r {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => errors::json(&e),
    }
}

/// Sends a draft (the consent is asked again).
#[utoipa::path(
    post, path = "/api/v1/referrals/{id}/send", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    responses(
        (status = 204, description = "Sent"),
        (status = 409, description = "`consent_required`, or `referral_status_change` (not a draft)", body = super::ApiError)
    )
)]
async fn send(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
) -> Response {
    done(state.app.send_referral(&caller(actor), id).await)
}

/// Accepts an incoming referral: links a case here, or makes a new person and case.
#[utoipa::path(
    post, path = "/api/v1/referrals/{id}/accept", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    request_body = AcceptBody,
    responses(
        (status = 200, description = "`{\"person_id\": …, \"case_id\": …}`"),
        (status = 409, description = "`referral_status_change`", body = super::ApiError)
    )
)]
async fn accept(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
    body: axum::body::Bytes,
) -> Response {
    let input: AcceptInput = match optional(&body) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.app.accept_referral(&caller(actor), None, id, input).await {
        Ok((person, case)) => reply(StatusCode::OK, &json!({ "person_id": person, "case_id": case })),
        Err(e) => errors::json(&e),
    }
}

/// Declines an incoming referral with a reason.
#[utoipa::path(
    post, path = "/api/v1/referrals/{id}/decline", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    request_body = ReasonBody,
    responses(
        (status = 204, description = "Declined"),
        (status = 409, description = "`referral_status_change`", body = super::ApiError),
        (status = 422, description = "`invalid_name` (`reason` is required)", body = super::ApiError)
    )
)]
async fn decline(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
    ApiJson(body): ApiJson<ReasonInput>,
) -> Response {
    done(state.app.decline_referral(&caller(actor), None, id, body.reason.as_deref().unwrap_or_default()).await)
}

/// Withdraws an outgoing referral.
#[utoipa::path(
    post, path = "/api/v1/referrals/{id}/withdraw", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    request_body = ReasonBody,
    responses((status = 204, description = "Withdrawn"), (status = 409, description = "`referral_status_change`", body = super::ApiError))
)]
async fn withdraw(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
    body: axum::body::Bytes,
) -> Response {
    let body: ReasonInput = match optional(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    done(state.app.withdraw_referral(&caller(actor), None, id, body.reason.as_deref()).await)
}

/// Marks an accepted referral completed.
#[utoipa::path(
    post, path = "/api/v1/referrals/{id}/complete", tag = "referrals", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The referral's id")),
    responses((status = 204, description = "Completed"), (status = 409, description = "`referral_status_change`", body = super::ApiError))
)]
async fn complete(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ReferralId>,
) -> Response {
    done(state.app.complete_referral(&caller(actor), None, id).await)
}

#[derive(OpenApi)]
#[openapi(
    paths(identity, list_partners, create_partner, create_referral, list_referrals, read_referral, send, accept, decline, withdraw, complete),
    components(schemas(PartnerBody, PartnerSchema, ReferralBody, ReferralSchema, ReferralList, Created, ReasonBody, AcceptBody, IdentitySchema)),
    tags((name = "referrals", description = "The partner network: directory, consent-gated referrals, the inbox, this installation's identity."))
)]
pub(super) struct ReferralsDoc;
