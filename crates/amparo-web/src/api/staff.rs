//! `/api/v1` for the people of the organisation: one's own private check-ins (ProQOL 5),
//! the supervisors' aggregate (nothing below five respondents), staff profiles and
//! trainings, and the tenure-and-training policy. The use cases decide access and audit.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::json;
use utoipa::OpenApi;
use uuid::Uuid;

use amparo_app::staff::wellbeing::{CheckInInput, CheckInView};
use amparo_app::staff::{PolicyView, ProfileInput, TrainingInput};
use amparo_domain::staff::Period;
use amparo_domain::{Actor, UserId};

use super::{ApiJson, ApiPath, ApiQuery, caller, invalid_field, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/me/wellbeing", get(my_checkins).post(check_in))
        .route("/wellbeing/aggregate", get(aggregate))
        .route("/staff/access-policy", get(policy).put(set_policy))
        .route("/staff/{user_id}/profile", get(profile).put(save_profile))
        .route("/staff/{user_id}/trainings", post(add_training))
        .route("/staff/{user_id}/trainings/{id}", delete(remove_training))
}

fn checkin_json(v: &CheckInView) -> serde_json::Value {
    json!({
        "id": v.id,
        "instrument": v.instrument,
        "instrument_version": v.instrument_version,
        "taken_at": v.taken_at,
        "period": v.period,
        "subscales": v.subscales,
        "bands": v.bands,
    })
}

/// A private self-care check-in for oneself. The result is returned to its author only.
#[utoipa::path(
    operation_id = "wellbeing_check_in",
    post,
    path = "/api/v1/me/wellbeing",
    tag = "wellbeing",
    security(("bearer" = [])),
    request_body = schema::CheckInInput,
    responses(
        (status = 201, description = "Scored and kept, sealed, for its author only", body = schema::CheckIn),
        (status = 422, description = "`screening_answer_count` (not 30 answers), `screening_answer_out_of_range` (field `answers.<n>`, 1-based: answers are 1 to 5), `screening_unknown_instrument`, or `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn check_in(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<CheckInInput>,
) -> Response {
    match state.app.wellbeing_check_in(&caller(actor), input).await {
        Ok(v) => reply(StatusCode::CREATED, &checkin_json(&v)),
        Err(e) => errors::json(&e),
    }
}

/// One's own check-ins, newest first. No route reads anyone else's.
#[utoipa::path(
    operation_id = "my_checkins",
    get,
    path = "/api/v1/me/wellbeing",
    tag = "wellbeing",
    security(("bearer" = [])),
    responses((status = 200, description = "`{\"items\": [check-in, …]}`", body = schema::CheckIns))
)]
pub(super) async fn my_checkins(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.my_checkins(&caller(actor)).await {
        Ok(list) => reply(StatusCode::OK, &json!({ "items": list.iter().map(checkin_json).collect::<Vec<_>>() })),
        Err(e) => errors::json(&e),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PeriodQuery {
    #[serde(default)]
    period: Option<String>,
}

/// The organisation's aggregate of a month (administrators and supervisors). Fewer than
/// five respondents: `respondents` is null and `subscales` empty; nothing else is said.
#[utoipa::path(
    operation_id = "wellbeing_aggregate",
    get,
    path = "/api/v1/wellbeing/aggregate",
    tag = "wellbeing",
    security(("bearer" = [])),
    params(("period" = Option<String>, Query, description = "`YYYY-MM` (default: this month)")),
    responses(
        (status = 200, description = "The aggregate", body = schema::Aggregate),
        (status = 403, description = "Not a coordinator", body = super::ApiError),
        (status = 422, description = "`period` is not `YYYY-MM`", body = super::ApiError)
    )
)]
pub(super) async fn aggregate(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Response {
    let period = match q.period.as_deref().map(Period::parse).transpose() {
        Ok(p) => p,
        Err(_) => return invalid_field("period"),
    };
    match state.app.wellbeing_aggregate(&caller(actor), "proqol5", period).await {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => errors::json(&e),
    }
}

/// A staff member's or volunteer's profile, with when their access to survivor records opens.
#[utoipa::path(
    operation_id = "read_staff_profile",
    get,
    path = "/api/v1/staff/{user_id}/profile",
    tag = "staff",
    security(("bearer" = [])),
    params(("user_id" = Uuid, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The profile (`version` 0 before the first save)", body = schema::Profile),
        (status = 403, description = "Neither the person nor a coordinator", body = super::ApiError),
        (status = 404, description = "No such user (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn profile(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(user): ApiPath<UserId>,
) -> Response {
    match state.app.staff_profile(&caller(actor), user).await {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => errors::json(&e),
    }
}

/// Saves a profile. `start_date` can be changed by a coordinator only, never by the person.
#[utoipa::path(
    operation_id = "save_staff_profile",
    put,
    path = "/api/v1/staff/{user_id}/profile",
    tag = "staff",
    security(("bearer" = [])),
    params(("user_id" = Uuid, Path, description = "The user's id")),
    request_body = schema::ProfileInput,
    responses(
        (status = 200, description = "Saved", body = schema::Profile),
        (status = 403, description = "Not allowed (e.g. one's own start date)", body = super::ApiError),
        (status = 409, description = "Changed by someone else since `version`", body = super::ApiError),
        (status = 422, description = "`staff_invalid_language`, `staff_duplicate_language`, `unknown_code` (CEFR level or background), `staff_text_too_long`, `staff_too_many`, `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn save_profile(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(user): ApiPath<UserId>,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Response {
    match state.app.save_staff_profile(&caller(actor), user, input).await {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => errors::json(&e),
    }
}

/// Records a completed training (coordinators, for someone else).
#[utoipa::path(
    operation_id = "add_training",
    post,
    path = "/api/v1/staff/{user_id}/trainings",
    tag = "staff",
    security(("bearer" = [])),
    params(("user_id" = Uuid, Path, description = "The user's id")),
    request_body = schema::TrainingInput,
    responses(
        (status = 201, description = "Recorded", body = schema::Training),
        (status = 403, description = "Not a coordinator, or one's own", body = super::ApiError),
        (status = 422, description = "`staff_invalid_course`, `staff_completed_in_future`, `staff_expiry_before_completion`", body = super::ApiError)
    )
)]
pub(super) async fn add_training(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(user): ApiPath<UserId>,
    ApiJson(input): ApiJson<TrainingInput>,
) -> Response {
    match state.app.record_training(&caller(actor), user, input).await {
        Ok(v) => reply(StatusCode::CREATED, &v),
        Err(e) => errors::json(&e),
    }
}

/// Removes a training recorded by mistake (coordinators).
#[utoipa::path(
    operation_id = "remove_training",
    delete,
    path = "/api/v1/staff/{user_id}/trainings/{id}",
    tag = "staff",
    security(("bearer" = [])),
    params(("user_id" = Uuid, Path, description = "The user's id"), ("id" = Uuid, Path, description = "The training's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a coordinator", body = super::ApiError),
        (status = 404, description = "No such training", body = super::ApiError)
    )
)]
pub(super) async fn remove_training(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath((user, id)): ApiPath<(UserId, Uuid)>,
) -> Response {
    match state.app.remove_training(&caller(actor), user, id).await {
        Ok(()) => axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT),
        Err(e) => errors::json(&e),
    }
}

/// The organisation's tenure-and-training policy.
#[utoipa::path(
    operation_id = "read_access_policy",
    get,
    path = "/api/v1/staff/access-policy",
    tag = "staff",
    security(("bearer" = [])),
    responses((status = 200, description = "The policy (`version` 0: the default)", body = schema::Policy))
)]
pub(super) async fn policy(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.access_policy(&caller(actor)).await {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => errors::json(&e),
    }
}

/// Changes the policy (administrators).
#[utoipa::path(
    operation_id = "set_access_policy",
    put,
    path = "/api/v1/staff/access-policy",
    tag = "staff",
    security(("bearer" = [])),
    request_body = schema::Policy,
    responses(
        (status = 200, description = "Saved", body = schema::Policy),
        (status = 403, description = "Not an administrator", body = super::ApiError),
        (status = 409, description = "Changed since `version`", body = super::ApiError),
        (status = 422, description = "`staff_policy_months` (0 to 60), `staff_invalid_course`, `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn set_policy(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<PolicyView>,
) -> Response {
    match state.app.set_access_policy(&caller(actor), input).await {
        Ok(v) => reply(StatusCode::OK, &v),
        Err(e) => errors::json(&e),
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(check_in, my_checkins, aggregate, profile, save_profile, add_training, remove_training, policy, set_policy),
    components(schemas(
        schema::CheckInInput,
        schema::CheckIn,
        schema::CheckIns,
        schema::Subscales,
        schema::Bands,
        schema::Aggregate,
        schema::SubscaleMean,
        schema::Profile,
        schema::ProfileInput,
        schema::Language,
        schema::Training,
        schema::TrainingInput,
        schema::Access,
        schema::Policy
    )),
    tags(
        (name = "wellbeing", description = "Private self-care check-ins (ProQOL 5, © B. Hudnall Stamm / Center for Victims of Torture, www.ProQOL.org; free, not sold). Results are their author's alone; coordinators see monthly means only when at least five people answered."),
        (name = "staff", description = "Staff and volunteer profiles, trainings, and the tenure-and-training policy that gates access to survivor records.")
    )
)]
pub(super) struct StaffDoc;

/// The shapes the OpenAPI document describes.
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, NaiveDate, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    #[derive(ToSchema)]
    pub struct CheckInInput {
        /// `proqol5`.
        instrument: String,
        /// 30 numbers, 1 (never) to 5 (very often), in item order.
        answers: Vec<i64>,
    }

    /// The three subscale sums (10 to 50).
    #[derive(ToSchema)]
    pub struct Subscales {
        compassion_satisfaction: u32,
        /// With items 1, 4, 15, 17 and 29 reverse-scored.
        burnout: u32,
        secondary_traumatic_stress: u32,
    }

    /// Each subscale's band: `low` (≤22), `moderate` (23–41) or `high` (≥42).
    #[derive(ToSchema)]
    pub struct Bands {
        compassion_satisfaction: String,
        burnout: String,
        secondary_traumatic_stress: String,
    }

    #[derive(ToSchema)]
    pub struct CheckIn {
        id: Uuid,
        instrument: String,
        instrument_version: String,
        taken_at: DateTime<Utc>,
        /// `YYYY-MM`.
        period: String,
        subscales: Subscales,
        bands: Bands,
    }

    #[derive(ToSchema)]
    pub struct CheckIns {
        items: Vec<CheckIn>,
    }

    #[derive(ToSchema)]
    pub struct SubscaleMean {
        code: String,
        mean: f64,
        band: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct Aggregate {
        instrument: String,
        period: String,
        /// Null below five respondents (then nothing else is given).
        respondents: Option<usize>,
        subscales: Vec<SubscaleMean>,
        /// Months (newest first) with enough respondents to be shown.
        periods: Vec<String>,
    }

    /// A language and its CEFR level (`A1`…`C2`).
    #[derive(ToSchema)]
    pub struct Language {
        /// ISO 639 code, e.g. `es`, `en`, `nah`.
        language: String,
        level: String,
    }

    #[derive(ToSchema)]
    pub struct Training {
        id: Uuid,
        /// A course code, e.g. `confidentiality`, `trauma_informed_care`.
        course: String,
        completed_on: NaiveDate,
        expires_on: Option<NaiveDate>,
        /// Completed and not expired today.
        valid: bool,
    }

    #[derive(ToSchema)]
    pub struct TrainingInput {
        course: String,
        completed_on: NaiveDate,
        expires_on: Option<NaiveDate>,
    }

    /// What the access policy says today.
    #[derive(ToSchema)]
    pub struct Access {
        /// Whether the policy applies to the person's role.
        applies: bool,
        /// The day the tenure part is met; null without a start date.
        opens_on: Option<NaiveDate>,
        missing_courses: Vec<String>,
        /// `cleared` or `not_yet`.
        clearance: String,
    }

    #[derive(ToSchema)]
    pub struct Profile {
        user_id: Uuid,
        name: String,
        role: String,
        start_date: Option<NaiveDate>,
        languages: Vec<Language>,
        /// `social_work`, `psychology`, `counselling`, `community_development`, `children_youth`, `other`.
        backgrounds: Vec<String>,
        availability: String,
        trainings: Vec<Training>,
        access: Access,
        version: i64,
    }

    #[derive(ToSchema)]
    pub struct ProfileInput {
        languages: Vec<Language>,
        backgrounds: Vec<String>,
        availability: String,
        /// Changed by coordinators only; a person leaving it out keeps the stored one.
        start_date: Option<NaiveDate>,
        /// The version read (0 before the first save).
        version: i64,
    }

    #[derive(ToSchema)]
    pub struct Policy {
        /// Months after the start date (0 to 60).
        months: u32,
        required_courses: Vec<String>,
        /// Role codes the policy holds back.
        roles: Vec<String>,
        version: i64,
    }
}
