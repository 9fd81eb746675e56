//! Differentially private releases for administrators (docs/release.md): the year's privacy
//! budget (spent, left), a form (ε, δ) that comes back with what was typed and a localised
//! message when a value is wrong or the budget would be exceeded, and this year's releases
//! with their JSON files to download. POST then 303; only a release's random id travels in
//! a URL.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_app::AppError;
use amparo_app::releases::{OVER_BUDGET, ReleaseBudget};
use amparo_release::publish::{PublishError, publish};
use amparo_release::{Budget, DEFAULT_DELTA};

use crate::AppState;
use crate::pages::records::{Fields, caller, fail};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// One past release, as the list shows it.
pub struct ReleaseLine {
    pub id: String,
    pub when: String,
    pub epsilon: String,
    pub delta: String,
    pub noise: String,
    pub tables: i64,
}

#[derive(Template)]
#[template(path = "releases.html")]
struct ReleasesPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    year: String,
    total: String,
    spent: String,
    remaining: String,
    epsilon: String,
    delta: String,
    made: bool,
    lines: Vec<ReleaseLine>,
}

/// Up to three decimals, no trailing zeros (ε and noise scales as people read them).
fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".to_owned() } else { s.to_owned() }
}

/// δ as typed in the form: plain decimals (0.000001), which everyone can read.
fn plain(v: f64) -> String {
    let s = format!("{v:.12}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

struct Typed {
    epsilon: String,
    delta: String,
}

fn render(
    state: &AppState,
    v: &Visitor,
    budget: &ReleaseBudget,
    typed: Typed,
    errors: FormErrors,
    status: StatusCode,
    made: bool,
) -> Response {
    let l = v.tr();
    let page = ReleasesPage {
        page: v.page(state, l.t("releases-title")),
        errors,
        year: budget.year.to_string(),
        total: number(budget.total),
        spent: number(budget.spent),
        remaining: number(budget.remaining()),
        epsilon: typed.epsilon,
        delta: typed.delta,
        made,
        lines: budget
            .releases
            .iter()
            .map(|r| ReleaseLine {
                id: r.id.to_string(),
                when: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                epsilon: number(r.epsilon),
                delta: plain(r.delta),
                noise: number(r.noise_scale),
                tables: r.tables,
            })
            .collect(),
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let f = Fields(pairs);
    let budget = match state.app.release_budget(&caller(s), s.actor.org).await {
        Ok(b) => b,
        Err(e) => return fail(&state, &v, &e),
    };
    let made = budget.releases.iter().any(|r| r.id.to_string() == f.get("made"));
    let typed = Typed { epsilon: String::new(), delta: plain(DEFAULT_DELTA) };
    render(&state, &v, &budget, typed, FormErrors::default(), StatusCode::OK, made)
}

/// A number as typed: a decimal point or (as many Spanish speakers write it) a comma.
fn parse(raw: &str) -> Option<f64> {
    raw.trim().replace(',', ".").parse().ok()
}

pub async fn create(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let fields = Fields(pairs);
    let s = match v.signed_in_form(&state, fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let who = caller(s);
    let org = s.actor.org;
    let typed = Typed { epsilon: fields.get("epsilon").to_owned(), delta: fields.get("delta").to_owned() };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let epsilon = parse(&typed.epsilon);
    let delta = if typed.delta.trim().is_empty() { Some(DEFAULT_DELTA) } else { parse(&typed.delta) };
    let budget = match (epsilon, delta) {
        (Some(e), Some(d)) => match Budget::new(e, Some(d)) {
            Ok(b) => Some(b),
            Err(err) => {
                let field = if matches!(err, amparo_release::ReleaseError::DeltaInvalid) { "delta" } else { "epsilon" };
                errors.push(field, l.t(&format!("error-{}", err.code())));
                None
            }
        },
        (e, d) => {
            if e.is_none() {
                errors.push("epsilon", l.t("error-release_epsilon_invalid"));
            }
            if d.is_none() {
                errors.push("delta", l.t("error-release_delta_invalid"));
            }
            None
        }
    };
    let outcome = match budget {
        Some(b) => Some(publish(&state.app, &who, org, b).await),
        None => None,
    };
    let status = match outcome {
        Some(Ok((_, entry))) => return see_other(&format!("/releases?made={}", entry.id)),
        Some(Err(PublishError::App(AppError::Refused(code)))) if code == OVER_BUDGET => {
            errors.push("epsilon", l.t(&format!("error-{OVER_BUDGET}")));
            StatusCode::CONFLICT
        }
        Some(Err(PublishError::Release(e))) => {
            errors.push("epsilon", l.t(&format!("error-{}", e.code())));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(Err(PublishError::App(e))) => return fail(&state, &v, &e),
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let budget = match state.app.release_budget(&who, org).await {
        Ok(b) => b,
        Err(e) => return fail(&state, &v, &e),
    };
    render(&state, &v, &budget, typed, errors, status, false)
}

pub async fn download(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.release_made(&caller(s), s.actor.org, id).await {
        Ok(row) => {
            let name = format!("attachment; filename=\"amparo-release-{}.json\"", row.created_at.format("%Y-%m-%d"));
            let mut r = (StatusCode::OK, row.document).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            if let Ok(v) = HeaderValue::from_str(&name) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => fail(&state, &v, &e),
    }
}
