//! The retention page: the organisation's policy (administrators change it), what the next
//! run would purge (counts for supervisors, case numbers for administrators, never names),
//! a button to run it now, and the last runs.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::retention::{PolicyInput, RetentionPolicy};
use amparo_app::{AppError, Caller, Channel};
use amparo_domain::retention::RetentionRule;
use amparo_domain::{Action, Resource, authorize};

use crate::AppState;
use crate::errors;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

struct RuleLine {
    /// The input's name (the rule code) and id.
    code: &'static str,
    id: String,
    label: String,
    hint: String,
    suggested: String,
    /// As typed, or as stored.
    value: String,
    /// As stored, for readers who cannot change it.
    shown: String,
}

struct PreviewLine {
    label: String,
    months: String,
    cutoff: String,
    count: String,
    numbers: Option<String>,
}

struct RunLine {
    at: String,
    how: String,
    by: String,
    counts: String,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    l: Tr,
    page: PageCtx,
    off: bool,
    may_manage: bool,
    rules: Vec<RuleLine>,
    suggested: Vec<(&'static str, String)>,
    preview: Vec<PreviewLine>,
    runs: Vec<RunLine>,
    errors: FormErrors,
    notice: Option<String>,
}

fn field_id(code: &str) -> String {
    format!("months-{}", code.replace(['.', '_'], "-"))
}

fn rule_label(l: Tr, rule: RetentionRule) -> String {
    l.t(&format!("retention-rule-{}", rule.code().replace('.', "-")))
}

fn months_text(l: Tr, m: Option<u32>) -> String {
    match m {
        Some(m) => l.n("retention-months", "months", i64::from(m)),
        None => l.t("retention-off"),
    }
}

/// `typed`: the form as sent, when it comes back with an error.
fn rule_lines(l: Tr, policy: &RetentionPolicy, typed: Option<&HashMap<String, String>>) -> Vec<RuleLine> {
    policy
        .rules
        .iter()
        .map(|r| {
            let code = r.rule.code();
            let stored = r.months.map(|m| m.to_string()).unwrap_or_default();
            RuleLine {
                code,
                id: field_id(code),
                label: rule_label(l, r.rule),
                hint: l.t(&format!("retention-hint-{}", code.replace('.', "-"))),
                suggested: match r.suggested {
                    Some(m) => l.t1("retention-suggested", "months", &m.to_string()),
                    None => String::new(),
                },
                value: typed.and_then(|t| t.get(code).cloned()).unwrap_or(stored),
                shown: months_text(l, r.months),
            }
        })
        .collect()
}

struct Render {
    typed: Option<HashMap<String, String>>,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
}

async fn render(state: &AppState, v: &Visitor, r: Render) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let policy = match state.app.retention_policy(&caller).await {
        Ok(p) => p,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let preview = match state.app.retention_preview(&caller).await {
        Ok(p) => p,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let runs = match state.app.retention_runs(&caller, 20).await {
        Ok(r) => r,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let may_manage = authorize(&s.actor, Action::ManageRetention, Resource::Organisation(s.actor.org)).is_ok();
    let page = v.page(state, l.t("retention-title"));
    let preview = preview
        .rules
        .iter()
        .map(|p| PreviewLine {
            label: rule_label(l, p.rule),
            months: months_text(l, Some(p.months)),
            cutoff: p.closed_on_or_before.format("%Y-%m-%d").to_string(),
            count: if p.more { format!("{}+", p.count) } else { p.count.to_string() },
            numbers: p.case_numbers.as_ref().map(|n| n.join(", ")),
        })
        .collect();
    let runs = runs
        .into_iter()
        .map(|r| RunLine {
            at: r.ran_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            how: l.t(&format!("retention-channel-{}", r.channel)),
            by: r.ran_by.unwrap_or_default(),
            counts: r
                .counts
                .iter()
                .map(|(rule, n)| format!("{}: {n}", rule_label(l, *rule)))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let suggested = RetentionRule::ALL
        .into_iter()
        .map(|rule| (rule.code(), rule.suggested_months().map(|m| m.to_string()).unwrap_or_default()))
        .collect();
    html(
        r.status,
        &RetentionPage {
            l,
            page,
            off: policy.is_off(),
            may_manage,
            rules: rule_lines(l, &policy, r.typed.as_ref()),
            suggested,
            preview,
            runs,
            errors: r.errors,
            notice: r.notice,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: String,
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(q): Query<ShowQuery>) -> Response {
    let notice = match q.done.as_str() {
        "saved" => Some(v.tr().t("notice-saved")),
        "ran" => Some(v.tr().t("retention-ran")),
        _ => None,
    };
    render(&state, &v, Render { typed: None, errors: FormErrors::default(), notice, status: StatusCode::OK }).await
}

/// The policy form: one field per rule (its code as the name), empty for off.
pub async fn save(State(state): State<AppState>, v: Visitor, Form(mut f): Form<HashMap<String, String>>) -> Response {
    let csrf = f.remove("csrf_token").unwrap_or_default();
    let s = match v.signed_in_form(&state, &csrf) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let input = PolicyInput {
        months: RetentionRule::ALL
            .into_iter()
            .map(|r| (r.code().to_owned(), f.get(r.code()).cloned().unwrap_or_default()))
            .collect(),
    };
    match state.app.set_retention_policy(&caller, &input).await {
        Ok(_) => see_other("/admin/retention?done=saved"),
        Err(AppError::InvalidField { field, problem }) => {
            let mut errs = FormErrors::default();
            let code = field.strip_prefix("months.").unwrap_or(&field);
            errs.push(field_id(code), v.tr().t(&format!("error-{}", problem.code())));
            let r = Render { typed: Some(f), errors: errs, notice: None, status: StatusCode::UNPROCESSABLE_ENTITY };
            render(&state, &v, r).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

#[derive(serde::Deserialize)]
pub struct RunForm {
    #[serde(default)]
    csrf_token: String,
}

pub async fn run(State(state): State<AppState>, v: Visitor, Form(f): Form<RunForm>) -> Response {
    let s = match v.signed_in_form(&state, &f.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    match state.app.retention_run(&caller).await {
        Ok(_) => see_other("/admin/retention?done=ran"),
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}
