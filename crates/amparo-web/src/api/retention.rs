//! `/api/v1/retention`: the organisation's retention policy, what the next run would purge,
//! and running it now. The same use cases as the page: administrators set and run it;
//! supervisors read the policy and the counts (case numbers for administrators only).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::OpenApi;

use amparo_app::AppError;
use amparo_app::retention::{PolicyInput, RetentionPolicy, RetentionPreview, RunOutcome};
use amparo_domain::retention::RetentionRule;
use amparo_domain::{Actor, DomainError};

use super::{ApiJson, caller, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/retention/policy", get(policy).put(set_policy))
        .route("/retention/preview", get(preview))
        .route("/retention/runs", post(run))
}

#[derive(Serialize)]
struct PolicyBody {
    /// Rule code → months; a rule left out is off.
    rules: std::collections::BTreeMap<&'static str, u32>,
    off: bool,
}

fn policy_body(p: &RetentionPolicy) -> PolicyBody {
    PolicyBody { rules: p.rules.iter().filter_map(|r| Some((r.rule.code(), r.months?))).collect(), off: p.is_off() }
}

#[derive(Serialize)]
struct PreviewRuleBody {
    rule: &'static str,
    months: u32,
    closed_on_or_before: chrono::NaiveDate,
    count: usize,
    more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    case_numbers: Option<Vec<String>>,
}

#[derive(Serialize)]
struct PreviewBody {
    today: chrono::NaiveDate,
    rules: Vec<PreviewRuleBody>,
}

fn preview_body(p: RetentionPreview) -> PreviewBody {
    PreviewBody {
        today: p.today,
        rules: p
            .rules
            .into_iter()
            .map(|r| PreviewRuleBody {
                rule: r.rule.code(),
                months: r.months,
                closed_on_or_before: r.closed_on_or_before,
                count: r.count,
                more: r.more,
                case_numbers: r.case_numbers,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct RunBody {
    /// Rule code → records purged (persons erased, for `person.erase`).
    purged: std::collections::BTreeMap<&'static str, usize>,
}

fn run_body(o: &RunOutcome) -> RunBody {
    RunBody { purged: o.counts.iter().map(|(r, n)| (r.code(), *n)).collect() }
}

/// The organisation's policy.
#[utoipa::path(
    operation_id = "read_retention_policy",
    get,
    path = "/api/v1/retention/policy",
    tag = "retention",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"rules\": {\"person.narrative\": 24, …}, \"off\": false}`", body = schema::Policy),
        (status = 403, description = "Administrators and supervisors only", body = super::ApiError)
    )
)]
pub(super) async fn policy(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.retention_policy(&caller(actor)).await {
        Ok(p) => reply(StatusCode::OK, &policy_body(&p)),
        Err(e) => errors::json(&e),
    }
}

/// Replaces the policy: every rule given with its months (1–1200); a rule left out is off.
#[utoipa::path(
    operation_id = "set_retention_policy",
    put,
    path = "/api/v1/retention/policy",
    tag = "retention",
    security(("bearer" = [])),
    request_body = schema::PolicyInput,
    responses(
        (status = 200, description = "The policy as now stored", body = schema::Policy),
        (status = 403, description = "Administrators only", body = super::ApiError),
        (status = 422, description = "`retention_months_invalid` (field `months.<rule>`), or a body of the wrong shape (`invalid_body`)", body = super::ApiError)
    )
)]
pub(super) async fn set_policy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<std::collections::BTreeMap<String, u32>>,
) -> Response {
    if let Some(unknown) = body.keys().find(|k| RetentionRule::from_code(k).is_none()) {
        let e = AppError::InvalidField { field: format!("months.{unknown}"), problem: DomainError::UnknownCode };
        return errors::json(&e);
    }
    let input = PolicyInput { months: body.into_iter().map(|(k, v)| (k, v.to_string())).collect() };
    match state.app.set_retention_policy(&caller(actor), &input).await {
        Ok(p) => reply(StatusCode::OK, &policy_body(&p)),
        Err(e) => errors::json(&e),
    }
}

/// What the next run would purge today.
#[utoipa::path(
    operation_id = "preview_retention",
    get,
    path = "/api/v1/retention/preview",
    tag = "retention",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts per configured rule; case numbers for administrators", body = schema::Preview),
        (status = 403, description = "Administrators and supervisors only", body = super::ApiError)
    )
)]
pub(super) async fn preview(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.retention_preview(&caller(actor)).await {
        Ok(p) => reply(StatusCode::OK, &preview_body(p)),
        Err(e) => errors::json(&e),
    }
}

/// Runs the policy now (the daily job does the same); one audit entry per purge.
#[utoipa::path(
    operation_id = "run_retention",
    post,
    path = "/api/v1/retention/runs",
    tag = "retention",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "What this run purged, per rule", body = schema::Run),
        (status = 403, description = "Administrators only", body = super::ApiError)
    )
)]
pub(super) async fn run(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.retention_run(&caller(actor)).await {
        Ok(o) => reply(StatusCode::CREATED, &run_body(&o)),
        Err(e) => errors::json(&e),
    }
}

/// Shapes for the OpenAPI document.
#[allow(dead_code)]
mod schema {
    use std::collections::BTreeMap;

    use utoipa::ToSchema;

    #[derive(ToSchema)]
    pub struct Policy {
        /// Rule code (`person.narrative`, `person.safe_contact`, `case.notes`, `person.erase`)
        /// → months after the case (for persons: their last case) closed.
        rules: BTreeMap<String, u32>,
        /// No rule is set: nothing is purged.
        off: bool,
    }

    /// Rule code → months (1–1200). Rules left out are off.
    #[derive(ToSchema)]
    pub struct PolicyInput(BTreeMap<String, u32>);

    #[derive(ToSchema)]
    pub struct PreviewRule {
        rule: String,
        months: u32,
        /// `YYYY-MM-DD`: cases closed on or before this day are due.
        closed_on_or_before: String,
        count: u32,
        /// More are due than one run takes.
        more: bool,
        /// Administrators only: case numbers, never names.
        case_numbers: Option<Vec<String>>,
    }

    #[derive(ToSchema)]
    pub struct Preview {
        today: String,
        rules: Vec<PreviewRule>,
    }

    #[derive(ToSchema)]
    pub struct Run {
        /// Rule code → records purged (persons erased, for `person.erase`).
        purged: BTreeMap<String, u32>,
    }
}

/// The retention part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(policy, set_policy, preview, run),
    tags((name = "retention", description = "The organisation's retention policy: free text of closed cases purged, and whole records erased by crypto-shredding, on a schedule the organisation sets."))
)]
pub(super) struct RetentionDoc;
