//! One's own settings: language, password, second factor.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use amparo_app::{Caller, Channel, SessionStage};
use amparo_i18n::Language;

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::errors;
use crate::pages::field_error;
use crate::pages::login::with_session;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, safe_return_path, see_other};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    l: Tr,
    page: PageCtx,
    email: String,
    language: &'static str,
    errors: FormErrors,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    #[serde(default)]
    changed: String,
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(q): Query<SettingsQuery>) -> Response {
    // Only a fixed word travels in the URL, never a value.
    let notice = (q.changed == "password").then(|| v.tr().t("notice-saved"));
    render_settings(&state, &v, FormErrors::default(), notice, StatusCode::OK)
}

fn render_settings(
    state: &AppState,
    v: &Visitor,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let page = v.page(state, l.t("settings-title"));
    html(status, &SettingsPage { l, page, email: s.email.clone(), language: s.language.code(), errors, notice })
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    l: Tr,
    page: PageCtx,
    required: bool,
    errors: FormErrors,
}

/// The page that makes a user with an initial password choose their own.
pub async fn password_page(State(state): State<AppState>, v: Visitor) -> Response {
    render_password(&state, &v, FormErrors::default(), StatusCode::OK)
}

fn render_password(state: &AppState, v: &Visitor, errors: FormErrors, status: StatusCode) -> Response {
    let Some(s) = &v.session else { return see_other("/login") };
    if !matches!(s.stage, SessionStage::PasswordChange | SessionStage::Active) {
        return see_other("/mfa");
    }
    let l = v.tr();
    let page = v.page(state, l.t("password-title"));
    html(status, &PasswordPage { l, page, required: s.stage == SessionStage::PasswordChange, errors })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn change_password(State(state): State<AppState>, v: Visitor, Form(form): Form<PasswordForm>) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let Some(s) = &v.session else { return see_other("/login") };
    let mut errs = FormErrors::default();
    if form.new_password != form.confirm_password {
        errs.push("confirm_password", v.tr().t("error-password-mismatch"));
        return render_password(&state, &v, errs, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let current = SecretString::from(form.current_password);
    let new = SecretString::from(form.new_password);
    match state.app.change_own_password(s, current, new).await {
        Ok(outcome) => with_session(&state, see_other("/settings?changed=password"), &outcome.session_token),
        Err(e) if field_error(&v, &e, &mut errs) => render_password(&state, &v, errs, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    return_to: String,
    #[serde(default)]
    csrf_token: String,
}

/// The language switcher: saves the choice on the account, or in a cookie before sign-in.
pub async fn switch_language(State(state): State<AppState>, v: Visitor, Form(form): Form<LanguageForm>) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let Ok(lang) = form.lang.parse::<Language>() else {
        return errors::for_visitor(
            &state,
            &v,
            &amparo_app::AppError::invalid("lang", amparo_domain::DomainError::UnknownLanguage),
        );
    };
    let mut r = see_other(safe_return_path(&form.return_to));
    match &v.session {
        Some(s) => {
            let caller = Caller::User { actor: s.actor, channel: Channel::Web };
            if let Err(e) = state.app.set_own_language(&s.actor, &caller, lang).await {
                return errors::for_visitor(&state, &v, &e);
            }
        }
        None => {
            r.headers_mut().append(
                header::SET_COOKIE,
                cookies::set(Cookie::Language, lang.code(), state.transport, Some(60 * 60 * 24 * 365)),
            );
        }
    }
    r
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// Resets one's own second factor (a lost phone): confirmed with the password; signs out.
pub async fn reset_mfa(State(state): State<AppState>, v: Visitor, Form(form): Form<ConfirmForm>) -> Response {
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    match state.app.reset_own_mfa(s, SecretString::from(form.password)).await {
        Ok(()) => {
            let mut r = see_other("/login");
            r.headers_mut().append(header::SET_COOKIE, cookies::set(Cookie::Session, "", state.transport, Some(0)));
            r
        }
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_error(&v, &e, &mut errs) {
                // The confirm field on this form is called `password`.
                let errs = FormErrors(errs.0.into_iter().map(|(_, m)| ("mfa_password".into(), m)).collect());
                render_settings(&state, &v, errs, None, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}
