//! What every page shares: the language, the layout's context, and rendering.

use std::borrow::Cow;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_domain::forms::PeopleWord;
use amparo_i18n::{Arg, Language};

/// The translator templates call: `{{ l.t("login-title") }}`. It carries the organisation's
/// word for the people it serves, given to every message as `$people` (`survivor`, `client`
/// or `participant`): a message that names them chooses its wording by it, in one place.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Language, pub PeopleWord);

impl Tr {
    /// In a language, with the default word for the people served (no organisation yet).
    pub fn plain(lang: Language) -> Self {
        Tr(lang, PeopleWord::default())
    }
    fn people(&self) -> (&'static str, Arg) {
        (amparo_i18n::PEOPLE_ARG, Arg::Str(self.1.code().to_owned()))
    }
    pub fn t(&self, key: &str) -> String {
        amparo_i18n::t_args(self.0, key, &[self.people()])
    }
    /// A message with one text argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        amparo_i18n::t_args(self.0, key, &[(name, Arg::Str(value.to_owned())), self.people()])
    }
    /// A message with one number argument.
    pub fn n(&self, key: &str, name: &str, value: i64) -> String {
        amparo_i18n::t_args(self.0, key, &[(name, Arg::Num(value)), self.people()])
    }
}

/// The layout's context.
#[derive(Clone, Debug)]
pub struct PageCtx {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: String,
    pub title: String,
    pub csrf: String,
    pub signed_in: bool,
    pub is_admin: bool,
    pub can_read_audit: bool,
    /// Show the erasure-requests link (administrators ask, supervisors decide).
    pub erasure_nav: bool,
    /// Show the caseload and search links.
    pub records_nav: bool,
    /// Show the intake link.
    pub intake_nav: bool,
    /// Show the dashboard link (case managers, supervisors).
    pub dashboard_nav: bool,
    /// Show the hotline-queue link (hotline workers, supervisors).
    pub signals_nav: bool,
    /// Show the outreach-events link (every role of the organisation).
    pub events_nav: bool,
    /// Show the import link (administrators, supervisors).
    pub import_nav: bool,
    /// Show the k-anonymous export link (administrators, supervisors, analysts).
    pub htcds_nav: bool,
    /// Show the people-of-the-organisation link (coordinators).
    pub staff_nav: bool,
    /// Show the shelters link (roles that see houses).
    pub shelters_nav: bool,
    /// Show the placements link (coordinators).
    pub placements_nav: bool,
    pub user_name: String,
    /// Where the language switcher brings the person back to (a path of ours).
    pub path: String,
}

/// Field-level messages of a form that came back. Most fields are named in the code; the
/// organisation's own (custom) fields are named by its form configuration.
#[derive(Clone, Debug, Default)]
pub struct FormErrors(pub Vec<(Cow<'static, str>, String)>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn push(&mut self, field: impl Into<Cow<'static, str>>, message: String) {
        self.0.push((field.into(), message));
    }
    pub fn iter(&self) -> impl Iterator<Item = &(Cow<'static, str>, String)> {
        self.0.iter()
    }
}

/// Renders a template as an HTML response.
pub fn html<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(body) => {
            let mut r = (status, body).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A 303 redirect (Post/Redirect/Get).
pub fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Only paths of our own site may be returned to (no open redirect).
pub fn safe_return_path(p: &str) -> &str {
    if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && !p.contains("://") && p.len() < 512 {
        p
    } else {
        "/"
    }
}
