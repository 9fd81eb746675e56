//! `/api/v1` safety plans and the crisis log: save a new version of a person's plan, read the
//! newest (or any) version and the list of versions, print the newest as a PDF in the
//! survivor's language, log and list crisis contacts. The use cases decide access (the
//! record's safety section) and audit every read, as for the pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::json;
use utoipa::OpenApi;

use amparo_app::AppError;
use amparo_app::safety::{CrisisContactInput, PlanTexts, SafetyPlanInput};
use amparo_domain::{Actor, PersonId};

use super::{ApiJson, ApiPath, caller, invalid_field, object_body, reply, rest_of};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/safety-plans", get(versions).post(save))
        .route("/persons/{id}/safety-plans/latest", get(latest))
        .route("/persons/{id}/safety-plans/latest/pdf", get(latest_pdf))
        .route("/persons/{id}/safety-plans/{version}", get(version))
        .route("/persons/{id}/crisis-contacts", get(crisis_list).post(crisis_log))
}

/// Saves a new version of the person's safety plan. Every save is kept: earlier versions
/// stay readable with who saved them and when.
#[utoipa::path(
    operation_id = "save_safety_plan",
    post,
    path = "/api/v1/persons/{id}/safety-plans",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::SafetyPlanBody,
    responses(
        (status = 201, description = "Saved as a new version", body = schema::SavedSafetyPlan),
        (status = 403, description = "The role may not write the safety section here", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 409, description = "`conflict`: `base_version` is not the newest version any more", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError),
        (status = 422, description = "`unknown_language` (not `es` or `en`), `text_too_long` (a part over 20,000 characters, `field` names it), or `invalid_body` (an unknown member)", body = super::ApiError)
    )
)]
pub(super) async fn save(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let mut m = match object_body(body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let language = match m.remove("language") {
        Some(serde_json::Value::String(s)) => s,
        None | Some(serde_json::Value::Null) => String::new(),
        Some(_) => return invalid_field("language"),
    };
    let show_agency_name = match m.remove("show_agency_name") {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => b,
        Some(_) => return invalid_field("show_agency_name"),
    };
    let base_version = match m.remove("base_version") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => match n.as_i64() {
            Some(v) => Some(v),
            None => return invalid_field("base_version"),
        },
        Some(_) => return invalid_field("base_version"),
    };
    let texts: PlanTexts = match rest_of(m) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let input = SafetyPlanInput { language, show_agency_name, base_version, texts };
    match state.app.save_safety_plan(&caller(actor), id, input).await {
        Ok(saved) => reply(StatusCode::CREATED, &saved),
        Err(e) => errors::json(&e),
    }
}

/// The newest version of the plan, with the person's safe-contact rules.
#[utoipa::path(
    operation_id = "latest_safety_plan",
    get,
    path = "/api/v1/persons/{id}/safety-plans/latest",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The newest version", body = schema::SafetyPlan),
        (status = 403, description = "The role may not read the safety section here", body = super::ApiError),
        (status = 404, description = "No plan yet, or no such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError)
    )
)]
pub(super) async fn latest(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.safety_plan(&caller(actor), id).await {
        Ok(Some(plan)) => reply(StatusCode::OK, &plan),
        Ok(None) => errors::json(&AppError::NotFound),
        Err(e) => errors::json(&e),
    }
}

/// One version of the plan, earlier ones included.
#[utoipa::path(
    operation_id = "safety_plan_version",
    get,
    path = "/api/v1/persons/{id}/safety-plans/{version}",
    tag = "safety",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id"),
        ("version" = i64, Path, description = "The version: 1 for the first plan")
    ),
    responses(
        (status = 200, description = "That version, as it was saved", body = schema::SafetyPlan),
        (status = 400, description = "`invalid_id`: not a person id or not a version number", body = super::ApiError),
        (status = 403, description = "The role may not read the safety section here", body = super::ApiError),
        (status = 404, description = "No such version or person", body = super::ApiError)
    )
)]
pub(super) async fn version(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath((id, version)): ApiPath<(PersonId, i64)>,
) -> Response {
    match state.app.safety_plan_version(&caller(actor), id, version).await {
        Ok(plan) => reply(StatusCode::OK, &plan),
        Err(e) => errors::json(&e),
    }
}

/// The plan's versions, newest first: who saved each and when (no text).
#[utoipa::path(
    operation_id = "safety_plan_versions",
    get,
    path = "/api/v1/persons/{id}/safety-plans",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "Every saved version, newest first", body = schema::SafetyPlanVersions),
        (status = 403, description = "The role may not read the safety section here", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn versions(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.safety_plan_versions(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// The newest plan as a PDF in the language the survivor chose: a neutral title, the help
/// lines, and the agency's name only when the survivor agreed to it. Audited as a print.
#[utoipa::path(
    operation_id = "latest_safety_plan_pdf",
    get,
    path = "/api/v1/persons/{id}/safety-plans/latest/pdf",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The PDF (`Content-Disposition: attachment; filename=\"plan.pdf\"`, `Cache-Control: no-store`)",
            content((Vec<u8> = "application/pdf"))),
        (status = 403, description = "The role may not read the safety section here", body = super::ApiError),
        (status = 404, description = "No plan yet, or no such person", body = super::ApiError)
    )
)]
pub(super) async fn latest_pdf(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    let printed = match state.app.safety_plan_to_print(&caller(actor), id).await {
        Ok(p) => crate::pages::safety_plans::pdf_response(p).await,
        Err(e) => Err(e),
    };
    printed.unwrap_or_else(|e| errors::json(&e))
}

/// Logs a crisis contact; a follow-up task is created for the next day.
#[utoipa::path(
    operation_id = "log_crisis_contact",
    post,
    path = "/api/v1/persons/{id}/crisis-contacts",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::CrisisContactBody,
    responses(
        (status = 201, description = "Logged, with the follow-up task's id", body = schema::CrisisContact),
        (status = 403, description = "The role may not write the safety section here", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 422, description = "`text_required` or `text_too_long` (`what_happened`: at most 500 characters), `date_out_of_range` (`occurred_at` in the future or before 1900), or `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn crisis_log(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(input): ApiJson<CrisisContactInput>,
) -> Response {
    match state.app.log_crisis_contact(&caller(actor), id, input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// The person's crisis log, the most recent first.
#[utoipa::path(
    operation_id = "list_crisis_contacts",
    get,
    path = "/api/v1/persons/{id}/crisis-contacts",
    tag = "safety",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The crisis contacts", body = schema::CrisisContacts),
        (status = 403, description = "The role may not read the safety section here", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn crisis_list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.crisis_contacts(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(save, latest, version, versions, latest_pdf, crisis_log, crisis_list),
    tags((name = "safety", description = "Safety plans (every save a new version; printed as a PDF in the survivor's language) and the crisis log. Everything written is sealed with the person's key; every read is audited."))
)]
pub(super) struct SafetyDoc;

/// The shapes the OpenAPI document describes.
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    /// A save of the plan. Every text is optional; a blank one is "nothing written".
    #[derive(ToSchema)]
    pub struct SafetyPlanBody {
        /// The language the survivor chose for the printed plan: `es` or `en`.
        language: String,
        /// The survivor agrees that the agency's name may appear on the printed plan. Default false.
        show_agency_name: Option<bool>,
        /// The version this edit started from (0 for a first plan). When given and not the
        /// newest any more, the save is refused with 409.
        base_version: Option<i64>,
        warning_signs: Option<String>,
        safe_places: Option<String>,
        safe_people: Option<String>,
        code_words: Option<String>,
        take_with: Option<String>,
        emergency_numbers: Option<String>,
        children_plan: Option<String>,
        digital_safety: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct SavedSafetyPlan {
        /// This version's id.
        id: Uuid,
        /// 1 for the first plan, then one more per save.
        version: i64,
    }

    /// A safe-contact rule of the person's record.
    #[derive(ToSchema)]
    pub struct SafeContactRule {
        /// `phone`, `sms`, `whatsapp`, `email`, `mail` or `in_person`.
        channel: Option<String>,
        safe: bool,
        voicemail_ok: bool,
        may_name_agency: bool,
        cover_story: Option<String>,
        safe_times: Option<String>,
        code_word: Option<String>,
        who_may_answer: Option<String>,
    }

    /// One version of the plan.
    #[derive(ToSchema)]
    pub struct SafetyPlan {
        id: Uuid,
        person_id: Uuid,
        version: i64,
        /// `es` or `en`.
        language: String,
        show_agency_name: bool,
        warning_signs: Option<String>,
        safe_places: Option<String>,
        safe_people: Option<String>,
        code_words: Option<String>,
        take_with: Option<String>,
        emergency_numbers: Option<String>,
        children_plan: Option<String>,
        digital_safety: Option<String>,
        /// The person's safe-contact rules (from their record; not versioned with the plan).
        safe_contact: Vec<SafeContactRule>,
        created_by: Option<Uuid>,
        created_at: DateTime<Utc>,
        /// This is the newest version.
        latest: bool,
    }

    /// A line of the plan's history.
    #[derive(ToSchema)]
    pub struct SafetyPlanVersion {
        id: Uuid,
        version: i64,
        language: String,
        created_by: Option<Uuid>,
        created_at: DateTime<Utc>,
    }

    #[derive(ToSchema)]
    pub struct SafetyPlanVersions {
        items: Vec<SafetyPlanVersion>,
    }

    /// A crisis contact to log.
    #[derive(ToSchema)]
    pub struct CrisisContactBody {
        /// When it happened (RFC 3339). Default: now.
        occurred_at: Option<DateTime<Utc>>,
        /// What happened, in a few words (required, at most 500 characters).
        what_happened: String,
        actions_taken: Option<String>,
        referrals_made: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct CrisisContact {
        id: Uuid,
        person_id: Uuid,
        occurred_at: DateTime<Utc>,
        what_happened: String,
        actions_taken: Option<String>,
        referrals_made: Option<String>,
        created_by: Option<Uuid>,
        created_at: DateTime<Utc>,
        /// The follow-up task created with it (only in the answer to a new contact).
        follow_up_task: Option<Uuid>,
    }

    #[derive(ToSchema)]
    pub struct CrisisContacts {
        items: Vec<CrisisContact>,
    }
}
