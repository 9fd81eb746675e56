//! `/api/v1`: JSON for machines, with bearer tokens. The same use cases (and so the same
//! access rules and audit) as the pages. Every route is described in the OpenAPI document.
//!
//! Handlers parse, call exactly one use case as `Caller::User { channel: Api }`, and render;
//! access is decided in the use cases, never here. Input the extractors cannot read is
//! answered with a JSON error code too (never axum's plain-text rejection, never the input).

mod cases;
mod casework;
mod documents;
mod events;
mod forms;
mod persons;
mod placements;
mod referrals;
mod releases;
mod retention;
mod safety;
mod screenings;
mod shelters;
mod signals;
mod staff;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::{OpenApi, ToSchema};

use amparo_app::{AppError, Caller, Channel, SessionStage};
use amparo_domain::{Actor, DomainError};

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::errors;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/persons", post(persons::create))
        .route("/persons/search", post(persons::search))
        .route("/persons/{id}", get(persons::read).patch(persons::update))
        .route("/persons/{id}/access-log", get(persons::access_log))
        .route("/persons/{id}/outreach", post(persons::outreach))
        .route("/persons/{id}/consents", get(persons::consents).post(persons::record_consent))
        .route("/persons/{id}/consents/{consent_id}/revoke", post(persons::revoke_consent))
        .route("/cases", get(cases::list).post(cases::open))
        .route("/cases/{id}", get(cases::read).patch(cases::update))
        .route("/cases/{id}/break-glass", post(cases::break_glass))
        .route(
            "/persons/{id}/documents",
            get(documents::list)
                .post(documents::upload)
                .layer(DefaultBodyLimit::max(crate::upload::body_limit(state.app.config().max_document_bytes))),
        )
        .route("/documents/{id}", get(documents::download).delete(documents::delete))
        .merge(casework::routes())
        .merge(screenings::routes())
        .merge(safety::routes())
        .merge(signals::routes())
        .merge(events::routes())
        .merge(releases::routes())
        .merge(referrals::routes())
        .merge(retention::routes())
        .merge(staff::routes())
        .merge(shelters::routes())
        .merge(placements::routes())
        .route("/forms/{form}", get(forms::read).put(forms::update))
        .fallback(|| async { errors::json(&AppError::NotFound) })
        .method_not_allowed_fallback(|| async { reject(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed") })
        .layer(axum::middleware::from_fn_with_state(state, bearer))
}

/// The caller every API handler acts as: the token's user, on the `api` channel.
fn caller(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Api }
}

/// A JSON answer with a status.
fn reply<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, Json(body)).into_response()
}

/// Input refused before any use case saw it: a stable code only (serde's messages may
/// quote the input, so they are never passed on).
fn reject(status: StatusCode, code: &'static str) -> Response {
    tracing::debug!(code, "api input refused");
    (status, Json(serde_json::json!({ "error": code }))).into_response()
}

/// A field of the body that is missing or not of the right shape.
fn invalid_field(field: &'static str) -> Response {
    errors::json(&AppError::invalid(field, DomainError::UnknownCode))
}

/// `Json`, with its rejections answered as `{"error": code}`: 400 for malformed JSON, 422
/// for JSON of the wrong shape (unknown or missing fields, wrong types), 415 without a JSON
/// content type, 413 over the body limit.
struct ApiJson<T>(T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(_)) => Err(reject(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")),
            Err(JsonRejection::JsonSyntaxError(_)) => Err(reject(StatusCode::BAD_REQUEST, "malformed_json")),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(reject(StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_content_type_required"))
            }
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(reject(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"))
            }
            Err(_) => Err(reject(StatusCode::BAD_REQUEST, "malformed_body")),
        }
    }
}

/// A JSON object body, for the routes that take some members out before the rest is read
/// into a use case's fields (`version`, `person_id`).
fn object_body(v: serde_json::Value) -> Result<serde_json::Map<String, serde_json::Value>, Response> {
    match v {
        serde_json::Value::Object(m) => Ok(m),
        _ => Err(reject(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")),
    }
}

/// Reads what is left of an object body into `T` (which refuses unknown members).
fn rest_of<T: DeserializeOwned>(m: serde_json::Map<String, serde_json::Value>) -> Result<T, Response> {
    serde_json::from_value(serde_json::Value::Object(m))
        .map_err(|_| reject(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"))
}

/// Takes `version` out of a PATCH body: absent or `null` is `None` (the use case answers
/// 409), an integer is the version, anything else is invalid.
fn take_version(m: &mut serde_json::Map<String, serde_json::Value>) -> Result<Option<i64>, Response> {
    match m.remove("version") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| invalid_field("version")),
        Some(_) => Err(invalid_field("version")),
    }
}

/// `Path`, with a malformed id answered as 400 `{"error": "invalid_id"}`.
struct ApiPath<T>(T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(reject(StatusCode::BAD_REQUEST, "invalid_id")),
            Err(_) => Err(errors::json(&AppError::Integrity("path".into()))),
        }
    }
}

/// `Query`, with a malformed query answered as 400 `{"error": "invalid_query"}`.
struct ApiQuery<T>(T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(_) => Err(reject(StatusCode::BAD_REQUEST, "invalid_query")),
        }
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// Every `/api/v1` route needs a valid token; without one the answer is 401, whatever the path.
async fn bearer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(token) = bearer_token(req.headers()) else {
        return unauthorized();
    };
    match state.app.authenticate_token(token).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(AppError::Unauthenticated) => unauthorized(),
        Err(e) => errors::json(&e),
    }
}

fn unauthorized() -> Response {
    let mut r = errors::json(&AppError::Unauthenticated);
    r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    r
}

/// The signed-in user, as the API shows them.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// The user's id (a UUID).
    id: String,
    /// The organisation's id (a UUID).
    organisation_id: String,
    email: String,
    name: String,
    /// One of administrator, supervisor, case_manager, hotline, clinician, shelter_staff, volunteer, analyst.
    role: String,
    /// The interface language: `es` or `en`.
    language: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// A stable code, e.g. `unauthenticated`, `forbidden`, `not_found`, `gone`, `conflict`,
    /// `channel_not_safe`, `malformed_json`, `invalid_body`, `invalid_id`.
    error: String,
    /// For invalid input: the field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

/// The user the token acts as.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token's user", body = Me),
        (status = 401, description = "No valid token", body = ApiError)
    )
)]
async fn me(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.me(&actor).await {
        Ok(u) => Json(Me {
            id: u.id.to_string(),
            organisation_id: u.org.to_string(),
            email: u.email,
            name: u.name,
            role: u.role.code().to_owned(),
            language: u.language.code().to_owned(),
        })
        .into_response(),
        Err(e) => errors::json(&e),
    }
}

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Amparo API", description = "Case management for organisations that fight human trafficking."),
    paths(
        me,
        persons::create,
        persons::read,
        persons::update,
        persons::search,
        persons::access_log,
        persons::outreach,
        persons::record_consent,
        persons::consents,
        persons::revoke_consent,
        cases::open,
        cases::list,
        cases::read,
        cases::update,
        cases::break_glass,
        documents::upload,
        documents::list,
        documents::download,
        documents::delete,
        forms::read,
        forms::update,
    ),
    components(schemas(Me, ApiError)),
    tags(
        (name = "persons", description = "Survivors' records: every read and change is audited."),
        (name = "cases", description = "Cases, the caseload, restricted cases and break-glass."),
        (name = "documents", description = "Scans, photos and PDFs, sealed with the person's key; every download is audited."),
        (name = "forms", description = "How the organisation set up its forms: hidden, required, relabelled and custom fields.")
    ),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

/// The OpenAPI document: for signed-in users and valid tokens only (it maps the attack surface).
pub async fn openapi(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = match bearer_token(&headers) {
        Some(token) => state.app.authenticate_token(token).await.is_ok(),
        None => match cookies::read(&headers, Cookie::Session, state.transport) {
            Some(token) => state.app.session(&token).await.is_ok_and(|s| s.stage == SessionStage::Active),
            None => false,
        },
    };
    if !allowed {
        return (StatusCode::UNAUTHORIZED, Json(serde_json::json!({ "error": "unauthenticated" }))).into_response();
    }
    match ApiDoc::openapi()
        .merge_from(casework::CaseWorkDoc::openapi())
        .merge_from(screenings::ScreeningsDoc::openapi())
        .merge_from(safety::SafetyDoc::openapi())
        .merge_from(signals::SignalsDoc::openapi())
        .merge_from(events::EventsDoc::openapi())
        .merge_from(releases::ReleasesDoc::openapi())
        .merge_from(referrals::ReferralsDoc::openapi())
        .merge_from(retention::RetentionDoc::openapi())
        .merge_from(staff::StaffDoc::openapi())
        .merge_from(shelters::SheltersDoc::openapi())
        .merge_from(placements::PlacementsDoc::openapi())
        .to_json()
    {
        Ok(doc) => ([(header::CONTENT_TYPE, "application/json")], doc).into_response(),
        Err(_) => errors::json(&AppError::Integrity("openapi".into())),
    }
}
