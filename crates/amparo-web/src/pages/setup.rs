//! First run: the one-time link printed by `amparo serve` creates the first organisation
//! and its administrator. There is no default account (ASVS v5.0.0-6.3.2).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use amparo_app::{AppError, NewInstallation};

use crate::AppState;
use crate::errors;
use crate::pages::field_error;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    l: Tr,
    page: PageCtx,
    form: SetupForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn render(state: &AppState, v: &Visitor, form: SetupForm, errors: FormErrors, status: StatusCode) -> Response {
    let l = v.tr();
    let page = v.page(state, l.t("setup-title"));
    let form = SetupForm { password: String::new(), csrf_token: String::new(), ..form };
    v.finish(state, html(status, &SetupPage { l, page, form, errors }))
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(q): Query<TokenQuery>) -> Response {
    match state.app.setup_token_valid(&q.token).await {
        Ok(true) => render(
            &state,
            &v,
            SetupForm { token: q.token, ..SetupForm::default() },
            FormErrors::default(),
            StatusCode::OK,
        ),
        Ok(false) => errors::for_visitor(&state, &v, &AppError::NotFound),
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

pub async fn submit(State(state): State<AppState>, v: Visitor, Form(form): Form<SetupForm>) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let new = NewInstallation {
        org_name: form.org.clone(),
        admin_email: form.email.clone(),
        admin_name: Some(form.name.clone()),
        admin_password: SecretString::from(form.password.clone()),
        language: v.lang,
    };
    match state.app.complete_setup(&form.token, new).await {
        Ok(_) => see_other("/login"),
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_error(&v, &e, &mut errs) {
                render(&state, &v, form, errs, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}
