//! Turning use-case errors into responses: a localised page for people, `{"error": code}`
//! JSON for the API. Nothing in either names a person or echoes input.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_app::AppError;
use amparo_domain::DomainError;
use amparo_domain::records::DocumentProblem;
use amparo_i18n::Language;

use crate::AppState;
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html, see_other};

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid { problem: DomainError::Document(DocumentProblem::TooLarge), .. } => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        AppError::Invalid { .. }
        | AppError::InvalidField { .. }
        | AppError::WrongMfaCode
        | AppError::WrongCurrentPassword => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::WrongCredentials | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::StepPending | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Gone => StatusCode::GONE,
        AppError::Conflict | AppError::Duplicate | AppError::Refused(_) => StatusCode::CONFLICT,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Integrity(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn retry_after(e: &AppError, r: &mut Response) {
    if let AppError::TooManyAttempts { retry_after_secs } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

fn log(e: &AppError) {
    match e {
        AppError::Unavailable(_) | AppError::Integrity(_) => tracing::error!(error = %e, "request failed"),
        _ => tracing::debug!(code = e.code(), "request refused"),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Tr,
    page: PageCtx,
    heading: String,
    body: String,
}

/// The key pair (title, body) that explains an error to a person.
fn message_keys(e: &AppError) -> (&'static str, &'static str) {
    match e {
        AppError::NotFound => ("error-not-found-title", "error-not-found-body"),
        AppError::Forbidden(_) | AppError::StepPending => ("error-forbidden-title", "error-forbidden-body"),
        AppError::TooManyAttempts { .. } => ("error-too-many-requests-title", "error-too-many-requests-body"),
        AppError::Conflict | AppError::Duplicate => ("error-conflict-title", "error-conflict-body"),
        AppError::Unavailable(_) => ("error-unavailable-title", "error-unavailable-body"),
        _ => ("error-internal-title", "error-internal-body"),
    }
}

/// An error page in the visitor's language (used where no visitor could be built).
pub fn page(lang: Language, e: &AppError) -> Response {
    log(e);
    if matches!(e, AppError::Unauthenticated) {
        return see_other("/login");
    }
    let l = Tr::plain(lang);
    let (title_key, body_key) = message_keys(e);
    let body = match e {
        AppError::TooManyAttempts { retry_after_secs } => {
            l.n(body_key, "minutes", i64::try_from(retry_after_secs.div_ceil(60)).unwrap_or(i64::MAX))
        }
        _ => l.t(body_key),
    };
    let page = PageCtx {
        lang: lang.code(),
        other_lang: lang.code(),
        other_lang_name: String::new(),
        title: l.t(title_key),
        csrf: String::new(),
        signed_in: false,
        is_admin: false,
        can_read_audit: false,
        erasure_nav: false,
        records_nav: false,
        intake_nav: false,
        dashboard_nav: false,
        import_nav: false,
        htcds_nav: false,
        signals_nav: false,
        staff_nav: false,
        shelters_nav: false,
        placements_nav: false,
        events_nav: false,
        user_name: String::new(),
        path: "/".into(),
    };
    let mut r = html(status_of(e), &ErrorPage { heading: l.t(title_key), body, l, page });
    retry_after(e, &mut r);
    r
}

/// An error page with the visitor's layout (navigation, language switcher).
pub fn for_visitor(state: &AppState, v: &Visitor, e: &AppError) -> Response {
    log(e);
    if matches!(e, AppError::Unauthenticated) {
        return see_other("/login");
    }
    let l = v.tr();
    let (title_key, body_key) = message_keys(e);
    let body = match e {
        AppError::TooManyAttempts { retry_after_secs } => {
            l.n(body_key, "minutes", i64::try_from(retry_after_secs.div_ceil(60)).unwrap_or(i64::MAX))
        }
        _ => l.t(body_key),
    };
    let page = v.page(state, l.t(title_key));
    let mut r = html(status_of(e), &ErrorPage { heading: l.t(title_key), body, l, page });
    retry_after(e, &mut r);
    v.finish(state, r)
}

/// A form whose CSRF token is missing or wrong.
pub fn csrf(state: &AppState, v: &Visitor) -> Response {
    let l = v.tr();
    let page = v.page(state, l.t("error-csrf-title"));
    let r = html(
        StatusCode::FORBIDDEN,
        &ErrorPage { heading: l.t("error-csrf-title"), body: l.t("error-csrf-body"), l, page },
    );
    v.finish(state, r)
}

/// The API's error body: a stable code (and the field, for invalid input).
pub fn json(e: &AppError) -> Response {
    log(e);
    let body = match e {
        AppError::Invalid { field, .. } => serde_json::json!({ "error": e.code(), "field": field }),
        AppError::InvalidField { field, .. } => serde_json::json!({ "error": e.code(), "field": field }),
        _ => serde_json::json!({ "error": e.code() }),
    };
    let mut r = (status_of(e), Json(body)).into_response();
    retry_after(e, &mut r);
    r
}
