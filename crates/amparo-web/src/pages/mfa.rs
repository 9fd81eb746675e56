//! The second factor: enrolment with a QR code at first sign-in, then a code at every sign-in.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use amparo_app::SessionStage;

use crate::AppState;
use crate::errors;
use crate::pages::field_error;
use crate::pages::login::{next_page, with_session};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

#[derive(Template)]
#[template(path = "mfa.html")]
struct MfaPage {
    l: Tr,
    page: PageCtx,
    enrolling: bool,
    qr_svg: String,
    secret: String,
    errors: FormErrors,
}

async fn render(state: &AppState, v: &Visitor, errors: FormErrors, status: StatusCode) -> Response {
    let Some(s) = &v.session else { return see_other("/login") };
    let l = v.tr();
    let (enrolling, qr_svg, secret) = match s.stage {
        SessionStage::MfaEnrolment => match state.app.mfa_enrolment(s).await {
            Ok(e) => (true, e.qr_svg, e.secret_base32),
            Err(e) => return errors::for_visitor(state, v, &e),
        },
        SessionStage::MfaChallenge => (false, String::new(), String::new()),
        other => return see_other(next_page(other)),
    };
    let title = if enrolling { l.t("mfa-enrol-title") } else { l.t("mfa-challenge-title") };
    let page = v.page(state, title);
    v.finish(state, html(status, &MfaPage { l, page, enrolling, qr_svg, secret, errors }))
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    render(&state, &v, FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf_token: String,
}

pub async fn submit(State(state): State<AppState>, v: Visitor, Form(form): Form<CodeForm>) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let Some(s) = &v.session else { return see_other("/login") };
    match state.app.submit_mfa_code(s, &form.code).await {
        Ok(outcome) => with_session(&state, see_other(next_page(outcome.stage)), &outcome.session_token),
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_error(&v, &e, &mut errs) {
                render(&state, &v, errs, StatusCode::UNPROCESSABLE_ENTITY).await
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}
