//! `/api/v1/persons`: intake, reading, editing and finding a person; the access log, outreach
//! and the consent ledger. Each handler calls one use case; the use case decides access.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use amparo_app::records::{ConsentInput, PersonFields};
use amparo_domain::{Actor, ConsentId, PersonId};

use super::{ApiJson, ApiPath, caller, object_body, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;

/// `{"q": TEXT}`: the search terms travel in a body, never in a URL (and, having no
/// `Debug`, are never printed).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchRequest {
    q: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutreachRequest {
    channel: String,
}

/// Intake: only `given_name` or `alias` is required.
#[utoipa::path(
    operation_id = "create_person",
    post,
    path = "/api/v1/persons",
    tag = "persons",
    security(("bearer" = [])),
    request_body = schema::PersonFields,
    responses(
        (status = 201, description = "Created; possible duplicates (alias and case numbers only) for those allowed to see them", body = schema::CreatedPerson),
        (status = 400, description = "Malformed JSON", body = super::ApiError),
        (status = 401, description = "No valid token", body = super::ApiError),
        (status = 403, description = "The role does not open records", body = super::ApiError),
        (status = 422, description = "Invalid or unknown field, or neither `given_name` nor `alias`", body = super::ApiError)
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(fields): ApiJson<PersonFields>,
) -> Response {
    match state.app.create_person(&caller(actor), fields).await {
        Ok(created) => reply(StatusCode::CREATED, &created),
        Err(e) => errors::json(&e),
    }
}

/// A person, with the sections the token's user may read (audited before it is shown).
#[utoipa::path(
    operation_id = "read_person",
    get,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person; fields exactly as given, sections the reader may not see left out", body = schema::PersonView),
        (status = 400, description = "Malformed id", body = super::ApiError),
        (status = 403, description = "Outside the reader's reach (restricted, not on the team, role)", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.read_person(&caller(actor), id).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Changes the fields given (others stay as they are), if `version` is still the stored one.
#[utoipa::path(
    operation_id = "update_person",
    patch,
    path = "/api/v1/persons/{id}",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::PersonPatch,
    responses(
        (status = 200, description = "The person as now stored (version + 1)", body = schema::PersonView),
        (status = 403, description = "The reader may not change these sections", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError),
        (status = 409, description = "`version` is missing or stale: read the person again", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError),
        (status = 422, description = "Invalid or unknown field", body = super::ApiError)
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let (version, fields) =
        match object_body(body).and_then(|mut m| Ok((take_version(&mut m)?, rest_of::<PersonFields>(m)?))) {
            Ok(parts) => parts,
            Err(r) => return r,
        };
    match state.app.update_person(&caller(actor), id, version, fields).await {
        Ok(view) => reply(StatusCode::OK, &view),
        Err(e) => errors::json(&e),
    }
}

/// Finds people by name, alias, phone or case number (accent- and phonetics-folded).
#[utoipa::path(
    operation_id = "search_persons",
    post,
    path = "/api/v1/persons/search",
    tag = "persons",
    security(("bearer" = [])),
    request_body = schema::SearchRequest,
    responses(
        (status = 200, description = "The people found that the reader may see; names only for those allowed to read them", body = schema::SearchResults),
        (status = 422, description = "`q` shorter than 2 characters", body = super::ApiError)
    )
)]
pub(super) async fn search(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<SearchRequest>,
) -> Response {
    match state.app.search_persons(&caller(actor), &body.q).await {
        Ok(found) => reply(StatusCode::OK, &json!({ "items": found.items, "more": found.more })),
        Err(e) => errors::json(&e),
    }
}

/// Who saw or changed this person's file (and their cases), when, and why.
#[utoipa::path(
    operation_id = "person_access_log",
    get,
    path = "/api/v1/persons/{id}/access-log",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The entries, newest first", body = schema::AccessLog),
        (status = 403, description = "Neither an auditor nor on the person's team", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError)
    )
)]
pub(super) async fn access_log(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.access_log(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// Logs contact with the person; refused on a channel they have not marked safe.
#[utoipa::path(
    operation_id = "log_outreach",
    post,
    path = "/api/v1/persons/{id}/outreach",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::OutreachRequest,
    responses(
        (status = 201, description = "Logged", body = schema::Created),
        (status = 403, description = "The reader may not work on the person's safety section", body = super::ApiError),
        (status = 409, description = "`{\"error\": \"channel_not_safe\"}`: the person has not marked this channel safe", body = super::ApiError),
        (status = 422, description = "Unknown channel", body = super::ApiError)
    )
)]
pub(super) async fn outreach(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(body): ApiJson<OutreachRequest>,
) -> Response {
    match state.app.log_outreach(&caller(actor), id, &body.channel).await {
        Ok(outreach) => reply(StatusCode::CREATED, &json!({ "id": outreach })),
        Err(e) => errors::json(&e),
    }
}

/// Records a consent the person gave: to whom, which fields, for what, until when, how.
#[utoipa::path(
    operation_id = "record_consent",
    post,
    path = "/api/v1/persons/{id}/consents",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::ConsentInput,
    responses(
        (status = 201, description = "Recorded", body = schema::Created),
        (status = 403, description = "The reader may not record consent", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError),
        (status = 422, description = "Invalid field: expiry in the past or too far ahead, unknown field code, both or neither recipient", body = super::ApiError)
    )
)]
pub(super) async fn record_consent(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Response {
    match state.app.record_consent(&caller(actor), id, input).await {
        Ok(consent) => reply(StatusCode::CREATED, &json!({ "id": consent })),
        Err(e) => errors::json(&e),
    }
}

/// The person's consents, valid or not, newest first.
#[utoipa::path(
    operation_id = "list_consents",
    get,
    path = "/api/v1/persons/{id}/consents",
    tag = "persons",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The consents", body = schema::Consents),
        (status = 403, description = "The reader may not read consent", body = super::ApiError),
        (status = 404, description = "No such person", body = super::ApiError)
    )
)]
pub(super) async fn consents(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.consents(&caller(actor), id).await {
        Ok(items) => reply(StatusCode::OK, &json!({ "items": items })),
        Err(e) => errors::json(&e),
    }
}

/// Revokes a consent (it stays visible, and blocks sharing from now on).
#[utoipa::path(
    operation_id = "revoke_consent",
    post,
    path = "/api/v1/persons/{id}/consents/{consent_id}/revoke",
    tag = "persons",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "The person's id"),
        ("consent_id" = uuid::Uuid, Path, description = "The consent's id")
    ),
    responses(
        (status = 200, description = "Revoked", body = schema::Revoked),
        (status = 403, description = "The reader may not change consent", body = super::ApiError),
        (status = 404, description = "No such person or consent", body = super::ApiError),
        (status = 409, description = "Already revoked", body = super::ApiError)
    )
)]
pub(super) async fn revoke_consent(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath((id, consent)): ApiPath<(PersonId, ConsentId)>,
) -> Response {
    match state.app.revoke_consent(&caller(actor), id, consent).await {
        Ok(()) => reply(StatusCode::OK, &json!({ "id": consent, "revoked": true })),
        Err(e) => errors::json(&e),
    }
}

/// The shapes of the OpenAPI document. The use cases' own types are what goes over the wire;
/// these mirror them for the document only (the app crate knows nothing of OpenAPI).
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, NaiveDate, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    /// A person's fields. All are optional on create and update (a field left out stays as it
    /// is), but a person needs `given_name` or `alias`. Values come back exactly as given.
    /// Any answer may instead be a decline code: `client_doesnt_know`,
    /// `prefers_not_to_answer` or `not_collected`. Unknown members are refused.
    #[derive(ToSchema)]
    pub struct PersonFields {
        given_name: Option<String>,
        family_name: Option<String>,
        /// The name the person wants to be called.
        alias: Option<String>,
        /// `YYYY-MM-DD`, or a decline code.
        birth_date: Option<String>,
        /// When the birth date is not known: 0–120, or a decline code.
        estimated_age: Option<serde_json::Value>,
        /// HTCDS `prs_Gender` code (`Feminine`, `Masculine`, `TransgenderFeminine`,
        /// `TransgenderMasculine`, `NonConforming`, `NonSpecifiedUnknown`), or a decline code.
        gender: Option<String>,
        /// ISO 3166-1 alpha-2 codes.
        citizenship: Option<Vec<String>>,
        /// ISO 639-1 code where one exists, else ISO 639-3 (`nah`, `mix`, `zap`, …).
        primary_language: Option<String>,
        /// Other languages spoken (ISO 639 codes).
        languages: Option<Vec<String>>,
        /// `true`, `false`, or a decline code.
        interpreter_needed: Option<serde_json::Value>,
        /// 0–100, or a decline code.
        household_size: Option<serde_json::Value>,
        /// 0–100, or a decline code.
        dependants: Option<serde_json::Value>,
        /// As typed (spaces kept); searchable in its E.164 form.
        phone: Option<String>,
        email: Option<String>,
        address: Option<String>,
        /// The story, written once.
        narrative: Option<String>,
        /// Safe-contact preferences, one per channel.
        safe_contact: Option<Vec<SafeContact>>,
        /// The organisation's own fields: `custom_…` code → value (text, a number, a
        /// `YYYY-MM-DD` date or a choice code; `null` clears). Checked against
        /// `GET /api/v1/forms/person`; fields left out stay as they are. Always returned
        /// on reads (hidden fields included).
        #[schema(value_type = Option<Object>)]
        custom: Option<serde_json::Value>,
    }

    /// How one channel may (or may not) be used to reach the person.
    #[derive(ToSchema)]
    pub struct SafeContact {
        /// `phone`, `sms`, `whatsapp`, `email`, `mail` or `in_person`.
        channel: String,
        /// The person confirmed this channel is safe to use.
        safe: Option<bool>,
        voicemail_ok: Option<bool>,
        /// Staff may say the agency's name; otherwise they use the cover story.
        may_name_agency: Option<bool>,
        cover_story: Option<String>,
        safe_times: Option<String>,
        code_word: Option<String>,
        who_may_answer: Option<String>,
    }

    /// A PATCH: the fields to change, and the `version` they were read at.
    #[derive(ToSchema)]
    pub struct PersonPatch {
        /// The version read; missing or stale gets 409.
        version: i64,
        #[serde(flatten)]
        fields: PersonFields,
    }

    /// A person as the reader may see them: sections outside the reader's role are left out.
    #[derive(ToSchema)]
    pub struct PersonView {
        id: Uuid,
        version: i64,
        #[serde(flatten)]
        fields: PersonFields,
        case_numbers: Vec<String>,
        safe_contact_confirmed_at: Option<DateTime<Utc>>,
        /// Safe-contact preferences are older than 90 days (or were never confirmed).
        safe_contact_needs_confirming: bool,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    }

    /// A possible duplicate shown at intake: alias and case numbers only.
    #[derive(ToSchema)]
    pub struct DuplicateHint {
        id: Uuid,
        alias: Option<String>,
        case_numbers: Vec<String>,
    }

    #[derive(ToSchema)]
    pub struct CreatedPerson {
        id: Uuid,
        version: i64,
        possible_duplicates: Vec<DuplicateHint>,
    }

    #[derive(ToSchema)]
    pub struct SearchRequest {
        /// Name, alias, phone number or case number; at least 2 characters.
        q: String,
    }

    /// A search result; names only for those allowed to read them.
    #[derive(ToSchema)]
    pub struct SearchHit {
        id: Uuid,
        alias: Option<String>,
        given_name: Option<String>,
        family_name: Option<String>,
        case_numbers: Vec<String>,
    }

    #[derive(ToSchema)]
    pub struct SearchResults {
        /// At most ten people, each recorded in their access log as seen.
        items: Vec<SearchHit>,
        /// True when more people match than are listed: add letters to narrow the search.
        more: bool,
    }

    /// One audited read or change of the person or their cases.
    #[derive(ToSchema)]
    pub struct AccessLogEntry {
        at: DateTime<Utc>,
        user_id: Option<Uuid>,
        user_email: Option<String>,
        /// `read`, `update`, `create`, `break_glass`, `search`, `erase`, …
        action: String,
        /// The full action code, e.g. `case.break_glass`.
        code: String,
        /// `person` or `case`.
        target: Option<String>,
        /// `ok`, `denied` or `failed`.
        outcome: String,
        /// Why, as a code: the break-glass grant, the consent, a refusal's reason.
        detail: Option<String>,
        /// `web`, `api`, `cli` or `system`.
        channel: String,
    }

    #[derive(ToSchema)]
    pub struct AccessLog {
        items: Vec<AccessLogEntry>,
    }

    #[derive(ToSchema)]
    pub struct OutreachRequest {
        /// `phone`, `sms`, `whatsapp`, `email`, `mail` or `in_person`.
        channel: String,
    }

    /// The id of what was created.
    #[derive(ToSchema)]
    pub struct Created {
        id: Uuid,
    }

    /// A consent: give `recipient_partner_id` or `recipient_name` (exactly one).
    #[derive(ToSchema)]
    pub struct ConsentInput {
        recipient_partner_id: Option<Uuid>,
        recipient_name: Option<String>,
        /// Field codes: `alias`, `given_name`, `family_name`, `birth_date`, `gender`,
        /// `citizenship`, `languages`, `phone`, `email`, `address`, `safe_contact`,
        /// `narrative`, `case_summary`, `screening`, `legal`.
        fields: Vec<String>,
        purpose: String,
        /// At most two years ahead (configurable); not in the past.
        expires_on: NaiveDate,
        /// `written` or `verbal_witnessed`.
        given_as: String,
    }

    #[derive(ToSchema)]
    pub struct ConsentView {
        id: Uuid,
        recipient_partner_id: Option<Uuid>,
        recipient_name: Option<String>,
        fields: Vec<String>,
        purpose: String,
        expires_on: NaiveDate,
        given_as: String,
        given_at: DateTime<Utc>,
        revoked_at: Option<DateTime<Utc>>,
        /// Not revoked and not past its expiry date.
        valid: bool,
    }

    #[derive(ToSchema)]
    pub struct Consents {
        items: Vec<ConsentView>,
    }

    #[derive(ToSchema)]
    pub struct Revoked {
        id: Uuid,
        revoked: bool,
    }
}
