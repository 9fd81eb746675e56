//! Pages for people. Each handler: who is asking, check the form's CSRF token, call one use
//! case, render or redirect (Post/Redirect/Get).

pub mod access_log;
pub mod admin;
pub mod audit;
pub mod cases;
pub mod casework;
pub mod dashboard;
pub mod documents;
pub mod entry_forms;
pub mod erasures;
pub mod events;
pub mod form_fields;
pub mod forms;
pub mod health;
pub mod home;
pub mod htcds;
pub mod import;
pub mod login;
pub mod mfa;
pub mod nav;
pub mod person_form;
pub mod persons;
pub mod placements;
pub mod records;
pub mod referrals;
pub mod releases;
pub mod retention;
pub mod safety_plans;
pub mod screenings;
pub mod search;
pub mod settings;
pub mod setup;
pub mod shelters;
pub mod signals;
pub mod staff;
pub mod static_files;
pub mod tasks;
pub mod tips;

use axum::extract::State;
use axum::response::Response;

use amparo_app::AppError;

use crate::AppState;
use crate::errors;
use crate::session::Visitor;
use crate::view::FormErrors;

pub async fn not_found(State(state): State<AppState>, v: Visitor) -> Response {
    errors::for_visitor(&state, &v, &AppError::NotFound)
}

/// Turns an input error into a message next to its field; other errors are not form errors.
pub fn field_error(v: &Visitor, e: &AppError, errors: &mut FormErrors) -> bool {
    let l = v.tr();
    match e {
        AppError::Invalid { field, problem } => {
            errors.push(*field, l.t(&format!("error-{}", problem.code())));
            true
        }
        AppError::InvalidField { field, problem } => {
            errors.push(field.clone(), l.t(&format!("error-{}", problem.code())));
            true
        }
        AppError::WrongCurrentPassword => {
            errors.push("current_password", l.t("error-wrong_current_password"));
            true
        }
        AppError::WrongMfaCode => {
            errors.push("code", l.t("error-wrong_mfa_code"));
            true
        }
        AppError::Duplicate => {
            errors.push("email", l.t("error-duplicate_email"));
            true
        }
        _ => false,
    }
}
