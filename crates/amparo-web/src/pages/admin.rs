//! User management for administrators of an organisation.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde::Deserialize;

use amparo_app::{AppError, Caller, Channel, NewUser, UserView};
use amparo_domain::{Language, Role, UserId};

use crate::AppState;
use crate::errors;
use crate::pages::field_error;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// A row of the users table, ready to show.
struct UserLine {
    id: String,
    email: String,
    name: String,
    role: &'static str,
    role_name: String,
    disabled: bool,
    mfa_enrolled: bool,
    is_self: bool,
}

struct RoleOption {
    code: &'static str,
    name: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    l: Tr,
    page: PageCtx,
    users: Vec<UserLine>,
    roles: Vec<RoleOption>,
    form: AddForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    initial_password: String,
    #[serde(default)]
    csrf_token: String,
}

async fn render(state: &AppState, v: &Visitor, form: AddForm, errors: FormErrors, status: StatusCode) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let users = match state.app.list_users(&caller, s.actor.org).await {
        Ok(u) => u,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let line = |u: &UserView| UserLine {
        id: u.id.to_string(),
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.code(),
        role_name: l.t(&format!("role-{}", u.role.code())),
        disabled: u.disabled,
        mfa_enrolled: u.mfa_enrolled,
        is_self: u.id == s.actor.user,
    };
    let roles =
        Role::ALL.iter().map(|r| RoleOption { code: r.code(), name: l.t(&format!("role-{}", r.code())) }).collect();
    let page = v.page(state, l.t("admin-users-title"));
    let form = AddForm { initial_password: String::new(), csrf_token: String::new(), ..form };
    html(status, &UsersPage { users: users.iter().map(line).collect(), roles, form, errors, page, l })
}

pub async fn list(State(state): State<AppState>, v: Visitor) -> Response {
    let form = AddForm { role: Role::CaseManager.code().into(), language: v.lang.code().into(), ..AddForm::default() };
    render(&state, &v, form, FormErrors::default(), StatusCode::OK).await
}

pub async fn add(State(state): State<AppState>, v: Visitor, Form(form): Form<AddForm>) -> Response {
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut errs = FormErrors::default();
    let role = Role::from_str(&form.role);
    let language = Language::from_str(&form.language);
    let (Ok(role), Ok(language)) = (role, language) else {
        errs.push("role", v.tr().t("error-unknown_role"));
        return render(&state, &v, form, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let new = NewUser {
        org: s.actor.org,
        email: form.email.clone(),
        name: Some(form.name.clone()),
        role,
        language,
        initial_password: SecretString::from(form.initial_password.clone()),
    };
    match state.app.add_user(&caller, new).await {
        Ok(_) => see_other("/admin/users"),
        Err(e) if field_error(&v, &e, &mut errs) => {
            let errs = FormErrors(
                errs.0
                    .into_iter()
                    .map(|(f, m)| (if f == "password" { "initial_password".into() } else { f }, m))
                    .collect(),
            );
            render(&state, &v, form, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

#[derive(Deserialize)]
pub struct UserAction {
    #[serde(default)]
    role: String,
    #[serde(default)]
    csrf_token: String,
}

enum Change {
    Disable,
    Enable,
    Role,
    ResetMfa,
}

async fn change(state: AppState, v: Visitor, id: String, form: UserAction, what: Change) -> Response {
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(user) = UserId::from_str(&id) else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let result = match what {
        Change::Disable => state.app.disable_user(&caller, user).await,
        Change::Enable => state.app.enable_user(&caller, user).await,
        Change::ResetMfa => state.app.reset_user_mfa(&caller, user).await,
        Change::Role => match Role::from_str(&form.role) {
            Ok(role) => state.app.change_role(&caller, user, role).await,
            Err(e) => Err(AppError::invalid("role", e)),
        },
    };
    match result {
        Ok(_) => see_other("/admin/users"),
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<UserAction>,
) -> Response {
    change(state, v, id, f, Change::Disable).await
}
pub async fn enable(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<UserAction>,
) -> Response {
    change(state, v, id, f, Change::Enable).await
}
pub async fn change_role(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<UserAction>,
) -> Response {
    change(state, v, id, f, Change::Role).await
}
pub async fn reset_mfa(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<UserAction>,
) -> Response {
    change(state, v, id, f, Change::ResetMfa).await
}
