//! `/api/v1/releases`: differentially private releases (docs/release.md). Administrators only:
//! the year's privacy budget with its releases, and a new release (refused over budget,
//! before anything is computed).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use amparo_app::releases::ReleaseBudget;
use amparo_domain::Actor;
use amparo_release::publish::{PublishError, publish};
use amparo_release::{Budget, Release};

use super::{ApiJson, caller, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/releases", get(budget).post(create))
}

#[derive(Serialize)]
struct LedgerEntry {
    id: uuid::Uuid,
    created_at: chrono::DateTime<chrono::Utc>,
    epsilon: f64,
    delta: f64,
    rho: f64,
    noise_scale: f64,
    tables: i64,
}

#[derive(Serialize)]
struct BudgetView {
    year: i32,
    total: f64,
    spent: f64,
    remaining: f64,
    releases: Vec<LedgerEntry>,
}

fn view(b: &ReleaseBudget) -> BudgetView {
    BudgetView {
        year: b.year,
        total: b.total,
        spent: b.spent,
        remaining: b.remaining(),
        releases: b
            .releases
            .iter()
            .map(|r| LedgerEntry {
                id: r.id,
                created_at: r.created_at,
                epsilon: r.epsilon,
                delta: r.delta,
                rho: r.rho,
                noise_scale: r.noise_scale,
                tables: r.tables,
            })
            .collect(),
    }
}

/// The organisation's privacy budget this calendar year and this year's releases.
#[utoipa::path(
    operation_id = "release_budget",
    get,
    path = "/api/v1/releases",
    tag = "releases",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{year, total, spent, remaining, releases: [...]}`", body = schema::Budget),
        (status = 403, description = "Not an administrator", body = super::ApiError)
    )
)]
pub(super) async fn budget(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.release_budget(&caller(actor), actor.org).await {
        Ok(b) => reply(StatusCode::OK, &view(&b)),
        Err(e) => errors::json(&e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReleaseRequest {
    epsilon: f64,
    delta: Option<f64>,
}

/// Makes a release: the published JSON file (ε, δ, ρ, noise scale, date, codebook, tables).
#[utoipa::path(
    operation_id = "make_release",
    post,
    path = "/api/v1/releases",
    tag = "releases",
    security(("bearer" = [])),
    request_body = schema::ReleaseRequest,
    responses(
        (status = 201, description = "The release file", body = schema::Release),
        (status = 403, description = "Not an administrator", body = super::ApiError),
        (status = 409, description = "`release_over_budget`: more than is left of the year's budget", body = super::ApiError),
        (status = 422, description = "`release_epsilon_invalid`, `release_delta_invalid`, or a body of the wrong shape (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(req): ApiJson<ReleaseRequest>,
) -> Response {
    let budget = match Budget::new(req.epsilon, req.delta) {
        Ok(b) => b,
        Err(e) => {
            return (StatusCode::UNPROCESSABLE_ENTITY, Json(serde_json::json!({ "error": e.code() }))).into_response();
        }
    };
    match publish(&state.app, &caller(actor), actor.org, budget).await {
        Ok((release, _)) => reply::<Release>(StatusCode::CREATED, &release),
        Err(PublishError::App(e)) => errors::json(&e),
        Err(PublishError::Release(e)) => {
            (StatusCode::INTERNAL_SERVER_ERROR, Json(serde_json::json!({ "error": e.code() }))).into_response()
        }
    }
}

#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    #[derive(ToSchema)]
    pub struct Budget {
        year: i32,
        total: f64,
        spent: f64,
        remaining: f64,
        releases: Vec<LedgerEntry>,
    }

    #[derive(ToSchema)]
    pub struct LedgerEntry {
        id: Uuid,
        created_at: DateTime<Utc>,
        epsilon: f64,
        delta: f64,
        rho: f64,
        noise_scale: f64,
        tables: i64,
    }

    #[derive(ToSchema)]
    pub struct ReleaseRequest {
        /// Above 0, at most 10, within what is left of the year's budget.
        epsilon: f64,
        /// Default 1e-6; at most 1e-4.
        delta: Option<f64>,
    }

    #[derive(ToSchema)]
    pub struct Release {
        epsilon: f64,
        delta: f64,
        rho: f64,
        noise_scale: f64,
        created_at: DateTime<Utc>,
        unit: String,
        mechanism: String,
        post_processing: String,
        codebook: Vec<CodebookColumn>,
        tables: Vec<Table>,
    }

    #[derive(ToSchema)]
    pub struct CodebookColumn {
        name: String,
        values: Vec<String>,
    }

    #[derive(ToSchema)]
    pub struct Table {
        columns: Vec<String>,
        cells: Vec<Cell>,
    }

    #[derive(ToSchema)]
    pub struct Cell {
        values: Vec<String>,
        count: u64,
    }
}

/// The releases part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(budget, create),
    tags((name = "releases", description = "Differentially private count tables for open publication, within a yearly privacy budget. Administrators."))
)]
pub(super) struct ReleasesDoc;
