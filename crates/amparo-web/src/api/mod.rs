//! `/api/v1`: JSON for machines, with bearer tokens. The same use cases (and so the same
//! access rules and audit) as the pages. Every route is described in the OpenAPI document.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use amparo_app::{AppError, SessionStage};
use amparo_domain::Actor;

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::errors;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .fallback(|| async { errors::json(&AppError::NotFound) })
        .layer(axum::middleware::from_fn_with_state(state, bearer))
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
    /// A stable code, e.g. `unauthenticated`, `forbidden`, `not_found`.
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
    paths(me),
    components(schemas(Me, ApiError)),
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
    match ApiDoc::openapi().to_json() {
        Ok(doc) => ([(header::CONTENT_TYPE, "application/json")], doc).into_response(),
        Err(_) => errors::json(&AppError::Integrity("openapi".into())),
    }
}
