//! `/api/v1/forms/{form}`: how the organisation set up a form (for integrations to know
//! which fields are hidden or required and which custom fields exist), and changing it
//! (administrators; `version` checked, 409 when stale).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use amparo_app::AppError;
use amparo_app::forms::FormConfigView;
use amparo_domain::forms::{CustomChoice, FormConfig, FormKind, Labels};
use amparo_domain::{Actor, Language, Section};

use super::{ApiJson, ApiPath, caller, invalid_field, object_body, reply, rest_of, take_version};
use crate::AppState;
use crate::errors;
use crate::pages::forms::field_label;

/// A form as the API shows it: the configuration as stored, and every field as it is now.
#[derive(Serialize)]
struct FormOut {
    form: &'static str,
    version: i64,
    updated_by: Option<uuid::Uuid>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
    fields: Vec<FieldOut>,
    config: FormConfig,
}

#[derive(Serialize)]
struct FieldOut {
    code: String,
    custom: bool,
    /// Custom fields: `text`, `number`, `date` or `choice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    essential: bool,
    hidden: bool,
    required: bool,
    section: &'static str,
    /// The label in force in each language (the organisation's, else Amparo's).
    label: Labels,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    choices: Vec<CustomChoice>,
}

fn section_code(s: Section) -> &'static str {
    match s {
        Section::Summary => "summary",
        Section::Identity => "identity",
        Section::Narrative => "narrative",
        Section::Screening => "screening",
        Section::Safety => "safety",
        Section::Legal => "legal",
        Section::Services => "services",
        Section::Stay => "stay",
        Section::Consent => "consent",
    }
}

fn out(view: FormConfigView) -> FormOut {
    let fields = view
        .layout
        .fields
        .iter()
        .map(|f| FieldOut {
            code: f.code.clone(),
            custom: f.is_custom(),
            kind: f.custom.as_ref().map(|c| c.kind.code()),
            essential: f.essential() != amparo_domain::forms::Essential::No,
            hidden: f.hidden,
            required: f.required,
            section: section_code(f.section()),
            label: Labels { en: Some(field_label(f, Language::En)), es: Some(field_label(f, Language::Es)) },
            choices: f.custom.as_ref().map(|c| c.choices.clone()).unwrap_or_default(),
        })
        .collect();
    FormOut {
        form: view.form.code(),
        version: view.version,
        updated_by: view.updated_by.map(|u| *u.as_uuid()),
        updated_at: view.updated_at,
        fields,
        config: view.config,
    }
}

fn form_of(code: &str) -> Result<FormKind, Response> {
    FormKind::from_code(code).map_err(|_| errors::json(&AppError::NotFound))
}

/// A form as the organisation set it up. Any user of the organisation may read it.
#[utoipa::path(
    operation_id = "read_form",
    get,
    path = "/api/v1/forms/{form}",
    tag = "forms",
    security(("bearer" = [])),
    params(("form" = String, Path, description = "`person`, `case`, `assessment` or `service`")),
    responses(
        (status = 200, description = "The form: every field in order, and the configuration as stored", body = schema::Form),
        (status = 401, description = "No valid token", body = super::ApiError),
        (status = 404, description = "No such form", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(form): ApiPath<String>,
) -> Response {
    let form = match form_of(&form) {
        Ok(f) => f,
        Err(r) => return r,
    };
    match state.app.form_config(&caller(actor), form).await {
        Ok(view) => reply(StatusCode::OK, &out(view)),
        Err(e) => errors::json(&e),
    }
}

/// Replaces the form's configuration with a new version (administrators only; audited).
#[utoipa::path(
    operation_id = "update_form",
    put,
    path = "/api/v1/forms/{form}",
    tag = "forms",
    security(("bearer" = [])),
    params(("form" = String, Path, description = "`person`, `case`, `assessment` or `service`")),
    request_body = schema::FormPut,
    responses(
        (status = 200, description = "The form as now configured (version + 1)", body = schema::Form),
        (status = 403, description = "Only administrators change forms", body = super::ApiError),
        (status = 404, description = "No such form", body = super::ApiError),
        (status = 409, description = "`version` is missing or stale: read the form again", body = super::ApiError),
        (status = 422, description = "The configuration is refused (e.g. `form_essential_hidden`), with the field at fault", body = super::ApiError)
    )
)]
pub(super) async fn update(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(form): ApiPath<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Response {
    let form = match form_of(&form) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (version, config) =
        match object_body(body).and_then(|mut m| Ok((take_version(&mut m)?, rest_of::<FormConfig>(m)?))) {
            Ok(parts) => parts,
            Err(r) => return r,
        };
    let Some(version) = version else { return errors::json(&AppError::Conflict) };
    if version < 0 {
        return invalid_field("version");
    }
    match state.app.save_form_config(&caller(actor), form, version, config).await {
        Ok(view) => reply(StatusCode::OK, &out(view)),
        Err(e) => errors::json(&e),
    }
}

#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    /// A label in each interface language.
    #[derive(ToSchema)]
    pub struct Labels {
        en: Option<String>,
        es: Option<String>,
    }

    /// One choice of a custom choice field.
    #[derive(ToSchema)]
    pub struct Choice {
        /// Lower-case letters, digits and `_`.
        code: String,
        label: Labels,
    }

    /// A field as it is now.
    #[derive(ToSchema)]
    pub struct Field {
        /// The API's field name (`family_name`), or a custom field's code (`custom_…`).
        code: String,
        custom: bool,
        /// Custom fields: `text`, `number`, `date` or `choice`.
        kind: Option<String>,
        /// Cannot be hidden, nor made optional or required.
        essential: bool,
        /// Not on forms and pages; its stored value is kept and still returned by the API.
        hidden: bool,
        /// Create and edit ask for it (a decline code answers a built-in field).
        required: bool,
        /// The record section whose permissions cover it (`summary` for custom fields).
        section: String,
        /// The label in force in each language.
        label: Labels,
        choices: Option<Vec<Choice>>,
    }

    /// How one field is set up. Built-in fields: `hidden`, `required` (absent: as by
    /// default) and `label` overrides. Custom fields also carry `custom` (and both labels);
    /// a new one may leave `code` empty to get one made from its English label.
    #[derive(ToSchema)]
    pub struct FieldSetting {
        code: Option<String>,
        hidden: Option<bool>,
        required: Option<bool>,
        label: Option<Labels>,
        custom: Option<CustomSpec>,
    }

    #[derive(ToSchema)]
    pub struct CustomSpec {
        /// `text`, `number`, `date` or `choice`; cannot change once saved.
        kind: String,
        /// For `choice` fields: at least one.
        choices: Option<Vec<Choice>>,
    }

    /// A form's configuration as stored: the fields in the order the form shows them
    /// (built-in fields left out keep their defaults, after the others).
    #[derive(ToSchema)]
    pub struct Config {
        fields: Vec<FieldSetting>,
        /// Codes of removed custom fields: never given again.
        retired: Option<Vec<String>>,
    }

    #[derive(ToSchema)]
    pub struct Form {
        /// `person`, `case`, `assessment` or `service`.
        form: String,
        /// 0 while nobody changed the form.
        version: i64,
        updated_by: Option<Uuid>,
        updated_at: Option<DateTime<Utc>>,
        /// Every field, in order.
        fields: Vec<Field>,
        config: Config,
    }

    /// A new configuration, and the `version` it replaces.
    #[derive(ToSchema)]
    pub struct FormPut {
        /// The version read; missing or stale gets 409.
        version: i64,
        fields: Vec<FieldSetting>,
        retired: Option<Vec<String>>,
    }
}
