//! Sign-in and sign-out.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use amparo_app::{AppError, SessionStage};

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::errors;
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html, see_other};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Tr,
    page: PageCtx,
    email: String,
    problem: Option<String>,
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    if v.session.as_ref().is_some_and(|s| s.stage == SessionStage::Active) {
        return see_other("/");
    }
    render(&state, &v, String::new(), None, StatusCode::OK)
}

fn render(state: &AppState, v: &Visitor, email: String, problem: Option<String>, status: StatusCode) -> Response {
    let l = v.tr();
    let page = v.page(state, l.t("login-title"));
    v.finish(state, html(status, &LoginPage { l, page, email, problem }))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// The redirect after a sign-in step.
pub fn next_page(stage: SessionStage) -> &'static str {
    match stage {
        SessionStage::MfaEnrolment | SessionStage::MfaChallenge => "/mfa",
        SessionStage::PasswordChange => "/password",
        SessionStage::Active => "/",
    }
}

/// Replaces the session cookie with a new session's.
pub fn with_session(state: &AppState, mut r: Response, token: &str) -> Response {
    r.headers_mut().append(header::SET_COOKIE, cookies::set(Cookie::Session, token, state.transport, None));
    r
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    v: Visitor,
    Form(form): Form<LoginForm>,
) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let password = SecretString::from(form.password);
    match state.app.login(&form.email, password, peer.ip()).await {
        Ok(outcome) => {
            // A session the browser had before is ended: one person, one session per browser.
            if let Some(old) = &v.session {
                let _ = state.app.logout(old).await;
            }
            with_session(&state, see_other(next_page(outcome.stage)), &outcome.session_token)
        }
        Err(AppError::WrongCredentials) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let l = v.tr();
            render(&state, &v, form.email, Some(l.t("login-wrong-credentials")), StatusCode::UNAUTHORIZED)
        }
        Err(e) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            errors::for_visitor(&state, &v, &e)
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

pub async fn logout(State(state): State<AppState>, v: Visitor, Form(form): Form<CsrfOnly>) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    if let Some(s) = &v.session
        && let Err(e) = state.app.logout(s).await
    {
        return errors::for_visitor(&state, &v, &e);
    }
    let mut r = see_other("/login");
    r.headers_mut().append(header::SET_COOKIE, cookies::set(Cookie::Session, "", state.transport, Some(0)));
    r
}
