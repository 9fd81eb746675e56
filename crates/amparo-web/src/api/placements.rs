//! `/api/v1/sites` and `/api/v1/placements`: the organisation's sites and teams with their
//! needs, the matcher's proposals with coded reasons, and placements (list, propose,
//! confirm, end). Coordinators (administrators, supervisors); a person lists their own
//! placements with `?user=<their id>`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use amparo_app::placements::{
    NeedInput, NeedMatch, PlacementFilter, PlacementInput, PlacementView, SiteInput, SiteView,
};
use amparo_domain::Actor;
use amparo_domain::placements::{PlacementId, SiteId};

use super::{ApiJson, ApiPath, ApiQuery, caller, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites", get(list_sites).post(create_site))
        .route("/sites/{id}", get(read_site))
        .route("/sites/{id}/needs", post(add_need))
        .route("/sites/{id}/proposals", get(proposals))
        .route("/placements", get(list).post(propose))
        .route("/placements/{id}/confirm", post(confirm))
        .route("/placements/{id}/end", post(end))
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

/// The version read, and for an end its last day.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Change {
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    ends_on: Option<String>,
}

/// The sites and teams, by name, with their needs and who is placed there now.
#[utoipa::path(
    operation_id = "list_placement_sites",
    get,
    path = "/api/v1/sites",
    tag = "placements",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::SiteList),
        (status = 403, description = "Not a coordinator", body = super::ApiError)
    )
)]
pub(super) async fn list_sites(State(state): State<AppState>, Extension(actor): Extension<Actor>) -> Response {
    match state.app.placement_sites(&caller(actor)).await {
        Ok(items) => reply(StatusCode::OK, &Items::<SiteView> { items }),
        Err(e) => errors::json(&e),
    }
}

/// Records a site or team.
#[utoipa::path(
    operation_id = "create_placement_site",
    post,
    path = "/api/v1/sites",
    tag = "placements",
    security(("bearer" = [])),
    request_body = schema::SiteInput,
    responses(
        (status = 201, description = "Recorded", body = schema::Site),
        (status = 403, description = "Not a coordinator", body = super::ApiError),
        (status = 422, description = "`unknown_code` (kind, region), `placement_name_required`, `placement_name_too_long`, `placement_name_taken`, `placement_programme_invalid`, or `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn create_site(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<SiteInput>,
) -> Response {
    match state.app.create_placement_site(&caller(actor), input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// One site, with its needs (notes included) and who is placed there now.
#[utoipa::path(
    operation_id = "read_placement_site",
    get,
    path = "/api/v1/sites/{id}",
    tag = "placements",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The site's id")),
    responses(
        (status = 200, description = "The site", body = schema::Site),
        (status = 404, description = "No such site (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read_site(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SiteId>,
) -> Response {
    match state.app.placement_site(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Adds a need to a site.
#[utoipa::path(
    operation_id = "add_placement_need",
    post,
    path = "/api/v1/sites/{id}/needs",
    tag = "placements",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The site's id")),
    request_body = schema::NeedInput,
    responses(
        (status = 201, description = "Added", body = schema::Need),
        (status = 404, description = "No such site", body = super::ApiError),
        (status = 422, description = "`placement_people_invalid`, `placement_date_invalid`, `placement_period_reversed`, `placement_notes_too_long`, `placement_too_many_codes`, `staff_invalid_language`, `staff_duplicate_language`, or `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn add_need(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SiteId>,
    ApiJson(input): ApiJson<NeedInput>,
) -> Response {
    match state.app.add_placement_need(&caller(actor), id, input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// The site's open needs, each with the people proposed (best first) and the reasons as codes.
#[utoipa::path(
    operation_id = "list_placement_proposals",
    get,
    path = "/api/v1/sites/{id}/proposals",
    tag = "placements",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The site's id")),
    responses(
        (status = 200, description = "`{\"items\": [{\"need\": ..., \"proposals\": [...]}]}`", body = schema::ProposalList),
        (status = 404, description = "No such site", body = super::ApiError)
    )
)]
pub(super) async fn proposals(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<SiteId>,
) -> Response {
    match state.app.placement_matches(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &Items::<NeedMatch> { items }),
        Err(e) => errors::json(&e),
    }
}

/// Placements, by start date: a site's, a person's (one's own for anyone), or all (coordinators).
#[utoipa::path(
    operation_id = "list_placements",
    get,
    path = "/api/v1/placements",
    tag = "placements",
    security(("bearer" = [])),
    params(
        ("site" = Option<uuid::Uuid>, Query, description = "Only this site's"),
        ("user" = Option<uuid::Uuid>, Query, description = "Only this person's (one's own: any role)"),
        ("include_ended" = Option<bool>, Query, description = "Ended placements too (default false)")
    ),
    responses(
        (status = 200, description = "`{\"items\": [...]}`", body = schema::PlacementList),
        (status = 400, description = "`invalid_query`", body = super::ApiError),
        (status = 403, description = "Someone else's, and not a coordinator", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(filter): ApiQuery<PlacementFilter>,
) -> Response {
    match state.app.list_placements(&caller(actor), &filter).await {
        Ok(items) => reply(StatusCode::OK, &Items::<PlacementView> { items }),
        Err(e) => errors::json(&e),
    }
}

/// Proposes a person for a site (status `proposed`), to confirm later.
#[utoipa::path(
    operation_id = "propose_placement",
    post,
    path = "/api/v1/placements",
    tag = "placements",
    security(("bearer" = [])),
    request_body = schema::PlacementInput,
    responses(
        (status = 201, description = "Proposed", body = schema::Placement),
        (status = 403, description = "Not a coordinator", body = super::ApiError),
        (status = 404, description = "No such site, need or person", body = super::ApiError),
        (status = 422, description = "`placement_already_placed`, `placement_not_cleared`, `placement_starts_before_clearance`, `placement_need_of_other_site`, `placement_date_invalid`, `placement_period_reversed`, or `invalid_body`", body = super::ApiError)
    )
)]
pub(super) async fn propose(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(input): ApiJson<PlacementInput>,
) -> Response {
    match state.app.propose_placement(&caller(actor), input).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// Confirms a proposed placement, with the version read (the gate is checked again).
#[utoipa::path(
    operation_id = "confirm_placement",
    post,
    path = "/api/v1/placements/{id}/confirm",
    tag = "placements",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The placement's id")),
    request_body = schema::PlacementChange,
    responses(
        (status = 200, description = "Confirmed", body = schema::Placement),
        (status = 404, description = "No such placement", body = super::ApiError),
        (status = 409, description = "`conflict`: `version` missing or stale", body = super::ApiError),
        (status = 422, description = "`placement_wrong_status`, `placement_not_cleared`, `placement_starts_before_clearance`", body = super::ApiError)
    )
)]
pub(super) async fn confirm(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PlacementId>,
    ApiJson(body): ApiJson<Change>,
) -> Response {
    match state.app.confirm_placement(&caller(actor), id, body.version).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Ends a placement, with the version read, on `ends_on` (default today).
#[utoipa::path(
    operation_id = "end_placement",
    post,
    path = "/api/v1/placements/{id}/end",
    tag = "placements",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The placement's id")),
    request_body = schema::PlacementChange,
    responses(
        (status = 200, description = "Ended", body = schema::Placement),
        (status = 404, description = "No such placement", body = super::ApiError),
        (status = 409, description = "`conflict`: `version` missing or stale", body = super::ApiError),
        (status = 422, description = "`placement_wrong_status`, `placement_date_invalid`", body = super::ApiError)
    )
)]
pub(super) async fn end(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PlacementId>,
    ApiJson(body): ApiJson<Change>,
) -> Response {
    match state.app.end_placement(&caller(actor), id, body.version, body.ends_on).await {
        Ok(view) => reply(StatusCode::OK, &view),
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
    pub struct SiteList {
        items: Vec<Site>,
    }

    /// A language with a CEFR level.
    #[derive(ToSchema)]
    pub struct LanguageLevel {
        /// ISO 639 code.
        language: String,
        /// `A1` … `C2` (in a need: the minimum).
        level: String,
    }

    /// A site or team.
    #[derive(ToSchema)]
    pub struct Site {
        id: Uuid,
        /// `prevention_team`, `transitional_home`, `refuge_care`, `administration`, `community_events`.
        kind: String,
        /// A code name, unique in the organisation.
        name: String,
        programme: Option<String>,
        /// A state (`MX-CMX`) or country code.
        region: String,
        /// True for `transitional_home` and `refuge_care`: the tenure-and-training gate applies.
        direct_contact: bool,
        needs: Vec<Need>,
        /// Proposed and confirmed placements (not ended).
        placements: Vec<Placement>,
    }

    #[derive(ToSchema)]
    pub struct SiteInput {
        kind: String,
        name: String,
        programme: Option<String>,
        region: String,
    }

    /// What a site needs, from when to when.
    #[derive(ToSchema)]
    pub struct Need {
        id: Uuid,
        site: Uuid,
        languages: Vec<LanguageLevel>,
        /// `social_work`, `psychology`, `counselling`, `community_development`, `children_youth`, `other`.
        backgrounds: Vec<String>,
        /// `weekday_mornings`, `weekday_afternoons`, `weekday_evenings`, `weekends` (empty: any time).
        slots: Vec<String>,
        people: i64,
        confirmed: i64,
        proposed: i64,
        /// People still to find: `people` minus `confirmed`.
        open: i64,
        starts_on: NaiveDate,
        ends_on: Option<NaiveDate>,
        /// Only when one site is read.
        notes: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct NeedInput {
        languages: Option<Vec<LanguageLevel>>,
        backgrounds: Option<Vec<String>>,
        slots: Option<Vec<String>>,
        /// 1 to 50.
        people: i64,
        /// `YYYY-MM-DD`.
        starts_on: String,
        ends_on: Option<String>,
        /// At most 1,000 characters; sealed at rest.
        notes: Option<String>,
    }

    /// Why a person is proposed: `code` and its values. Codes: `language_meets` (`language`,
    /// `level`, `needed`), `extra_language` (`language`, `level`), `background_wanted`
    /// (`background`), `available` (`slots`), `availability_unknown`, `placed_elsewhere`
    /// (`count`), `cleared`, `not_cleared_until` (`date`).
    #[derive(ToSchema)]
    pub struct Reason {
        code: String,
        language: Option<String>,
        level: Option<String>,
        needed: Option<String>,
        background: Option<String>,
        slots: Option<Vec<String>>,
        count: Option<i64>,
        date: Option<NaiveDate>,
    }

    #[derive(ToSchema)]
    pub struct Proposal {
        user: Uuid,
        name: String,
        role: String,
        /// Higher is a better fit (comparable within one need).
        score: i32,
        /// The first day the person could start.
        starts_on: NaiveDate,
        reasons: Vec<Reason>,
    }

    #[derive(ToSchema)]
    pub struct NeedProposals {
        need: Need,
        proposals: Vec<Proposal>,
    }

    #[derive(ToSchema)]
    pub struct ProposalList {
        items: Vec<NeedProposals>,
    }

    /// A person at a site.
    #[derive(ToSchema)]
    pub struct Placement {
        id: Uuid,
        site: Uuid,
        site_name: String,
        site_kind: String,
        need: Option<Uuid>,
        user: Uuid,
        name: String,
        starts_on: NaiveDate,
        ends_on: Option<NaiveDate>,
        /// `proposed`, `confirmed` or `ended`.
        status: String,
        confirmed_by: Option<Uuid>,
        confirmed_at: Option<DateTime<Utc>>,
        version: i64,
    }

    #[derive(ToSchema)]
    pub struct PlacementList {
        items: Vec<Placement>,
    }

    #[derive(ToSchema)]
    pub struct PlacementInput {
        site: Uuid,
        need: Option<Uuid>,
        user: Uuid,
        /// `YYYY-MM-DD`; absent: the need's start (or the day the gate clears the person).
        starts_on: Option<String>,
        /// Absent: the need's end.
        ends_on: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct PlacementChange {
        /// The version read (required).
        version: i64,
        /// For an end: the last day (default today).
        ends_on: Option<String>,
    }
}

/// The placements part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(
    paths(list_sites, create_site, read_site, add_need, proposals, list, propose, confirm, end),
    tags((name = "placements", description = "Sites and teams, their current needs, proposals with reasons, and placements of staff and volunteers."))
)]
pub(super) struct PlacementsDoc;
