//! "Who saw this file": every audited read and change of a person and their cases.

use std::str::FromStr;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::AppError;
use amparo_domain::PersonId;

use crate::AppState;
use crate::pages::records::{caller, date_time, fail};
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html};

struct Line {
    who: String,
    when: String,
    what: String,
    code: String,
    target: String,
    channel: String,
    outcome: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    l: Tr,
    page: PageCtx,
    id: String,
    lines: Vec<Line>,
}

pub async fn show(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = PersonId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let entries = match state.app.access_log(&caller(s), pid).await {
        Ok(e) => e,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let word = |prefix: &str, code: &str| {
        let key = format!("{prefix}-{code}");
        let t = l.t(&key);
        if t == key { code.to_owned() } else { t }
    };
    let lines = entries
        .into_iter()
        .map(|e| Line {
            who: e.user_email.unwrap_or_else(|| l.t("records-log-system")),
            when: date_time(l, e.at),
            what: word("records-log-action", &e.action),
            code: e.code,
            target: e.target.map(|t| word("records-log-target", &t)).unwrap_or_default(),
            channel: word("records-log-channel", &e.channel),
            outcome: word("audit-outcome", e.outcome),
            detail: e.detail.unwrap_or_default(),
        })
        .collect();
    let page = v.page(&state, l.t("records-log-title"));
    v.finish(&state, html(StatusCode::OK, &AccessLogPage { l, page, id: pid.to_string(), lines }))
}
