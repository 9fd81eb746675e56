//! The k-anonymous HTCDS export, for administrators, supervisors and analysts: choose k (at
//! least 5, 11 by default), see what would be generalised and suppressed, download the CSV.
//! Both steps are forms sent by POST (k never travels in a URL); no JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_app::AppError;
use amparo_domain::{Action, Denied, Resource, authorize};
use amparo_insights::htcds::{DEFAULT_K, HtcdsError, MIN_K, Summary, csv, export_htcds, preview_htcds};

use crate::AppState;
use crate::pages::records::{Fields, caller, fail};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html};

#[derive(Template)]
#[template(path = "htcds_export.html")]
struct ExportPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    /// k as typed (kept when it comes back with an error).
    k: String,
    /// After "show what would be shared": the summary, a line each.
    summary: Option<Vec<String>>,
    min_k: i64,
}

fn may_export(s: &amparo_app::SessionContext) -> bool {
    authorize(&s.actor, Action::ExportData, Resource::Organisation(s.actor.org)).is_ok()
}

fn page(state: &AppState, v: &Visitor, k: String, errors: FormErrors, summary: Option<&Summary>) -> Response {
    let l = v.tr();
    let status = if errors.0.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let p = ExportPage {
        page: v.page(state, l.t("htcds-title")),
        errors,
        k,
        summary: summary.map(|s| s.lines(l.0)),
        min_k: MIN_K as i64,
        l,
    };
    v.finish(state, html(status, &p))
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !may_export(s) {
        return fail(&state, &v, &AppError::Forbidden(Denied::RoleLacksPermission));
    }
    page(&state, &v, DEFAULT_K.to_string(), FormErrors::default(), None)
}

/// k as typed: a whole number, at least [`MIN_K`].
fn k_of(v: &Visitor, raw: &str, errors: &mut FormErrors) -> Option<usize> {
    match raw.trim().parse::<usize>() {
        Ok(k) if k >= MIN_K => Some(k),
        _ => {
            errors.push("k", v.tr().t(&format!("error-{}", HtcdsError::KTooSmall.code())));
            None
        }
    }
}

fn failed(state: &AppState, v: &Visitor, e: HtcdsError) -> Response {
    match e {
        HtcdsError::App(e) => fail(state, v, &e),
        other => fail(state, v, &AppError::Refused(other.code())),
    }
}

/// "Show what would be shared": the summary, nothing handed out.
pub async fn preview(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let typed = fields.get("k").to_owned();
    let mut errors = FormErrors::default();
    let Some(k) = k_of(&v, &typed, &mut errors) else { return page(&state, &v, typed, errors, None) };
    match preview_htcds(&state.app, &caller(s), s.actor.org, k).await {
        Ok(a) => page(&state, &v, typed, FormErrors::default(), Some(&a.summary)),
        Err(e) => failed(&state, &v, e),
    }
}

/// "Download the CSV": made again (the data may have changed since the summary), audited,
/// sent as an attachment.
pub async fn download(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let typed = fields.get("k").to_owned();
    let mut errors = FormErrors::default();
    let Some(k) = k_of(&v, &typed, &mut errors) else { return page(&state, &v, typed, errors, None) };
    let a = match export_htcds(&state.app, &caller(s), s.actor.org, k).await {
        Ok(a) => a,
        Err(e) => return failed(&state, &v, e),
    };
    let body = match csv(&a) {
        Ok(b) => b,
        Err(e) => return failed(&state, &v, e),
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(d) = HeaderValue::from_str(&format!("attachment; filename=\"htcds-k{k}.csv\"")) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
