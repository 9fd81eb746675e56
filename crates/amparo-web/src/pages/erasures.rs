//! Erasure requests: an administrator asks, a supervisor who did not ask decides.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;
use uuid::Uuid;

use amparo_app::records::ErasureRequestView;
use amparo_app::{AppError, Caller, Channel};

use crate::AppState;
use crate::errors;
use crate::pages::field_error;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

struct Line {
    id: String,
    person: String,
    requested_by: String,
    reason: String,
    requested_at: String,
    state: String,
    decided: String,
    may_decide: bool,
}

#[derive(Template)]
#[template(path = "erasures.html")]
struct ErasuresPage {
    l: Tr,
    page: PageCtx,
    lines: Vec<Line>,
    may_request: bool,
    who: String,
    reason: String,
    errors: FormErrors,
    decide_errors: FormErrors,
    notice: Option<String>,
}

fn line(l: Tr, r: ErasureRequestView) -> Line {
    let state = match r.approved {
        None => l.t("erasure-state-pending"),
        Some(true) => l.t("erasure-state-approved"),
        Some(false) => l.t("erasure-state-declined"),
    };
    Line {
        id: r.id.to_string(),
        person: r.person.to_string(),
        requested_by: r.requested_by.unwrap_or_default(),
        reason: r.reason,
        requested_at: r.requested_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        state,
        decided: match (r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => format!("{by} · {}", at.format("%Y-%m-%d %H:%M UTC")),
            _ => String::new(),
        },
        may_decide: r.may_decide,
    }
}

struct Render {
    who: String,
    reason: String,
    errors: FormErrors,
    decide_errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
}

async fn render(state: &AppState, v: &Visitor, r: Render) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let list = match state.app.erasure_requests(&caller).await {
        Ok(list) => list,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let may_request = amparo_domain::authorize(
        &s.actor,
        amparo_domain::Action::RequestErasure,
        amparo_domain::Resource::Organisation(s.actor.org),
    )
    .is_ok();
    let page = v.page(state, l.t("erasure-title"));
    let lines = list.into_iter().map(|x| line(l, x)).collect();
    html(
        r.status,
        &ErasuresPage {
            l,
            page,
            lines,
            may_request,
            who: r.who,
            reason: r.reason,
            errors: r.errors,
            decide_errors: r.decide_errors,
            notice: r.notice,
        },
    )
}

fn plain(status: StatusCode) -> Render {
    Render {
        who: String::new(),
        reason: String::new(),
        errors: FormErrors::default(),
        decide_errors: FormErrors::default(),
        notice: None,
        status,
    }
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    render(&state, &v, plain(StatusCode::OK)).await
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    who: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn request(State(state): State<AppState>, v: Visitor, Form(f): Form<RequestForm>) -> Response {
    let s = match v.signed_in_form(&state, &f.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    match state.app.request_erasure(&caller, &f.who, &f.reason).await {
        Ok(_) => see_other("/erasures"),
        Err(e) => {
            let mut errs = FormErrors::default();
            let known = match &e {
                AppError::NotFound => {
                    errs.push("who", v.tr().t("erasure-who-not-found"));
                    true
                }
                AppError::Invalid { field: "number", .. } => {
                    errs.push("who", v.tr().t("erasure-who-not-found"));
                    true
                }
                _ => field_error(&v, &e, &mut errs),
            };
            if known {
                let r =
                    Render { who: f.who, reason: f.reason, errors: errs, ..plain(StatusCode::UNPROCESSABLE_ENTITY) };
                render(&state, &v, r).await
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn decide(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Response {
    let s = match v.signed_in_form(&state, &f.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = Uuid::from_str(&id) else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    let approve = match f.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return errors::for_visitor(&state, &v, &AppError::NotFound),
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    match state.app.decide_erasure(&caller, id, approve, SecretString::from(f.password)).await {
        Ok(()) => see_other("/erasures"),
        Err(AppError::WrongCurrentPassword) => {
            let mut errs = FormErrors::default();
            errs.push("password", v.tr().t("error-wrong_current_password"));
            render(&state, &v, Render { decide_errors: errs, ..plain(StatusCode::UNPROCESSABLE_ENTITY) }).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}
