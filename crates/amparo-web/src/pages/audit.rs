//! The organisation's audit log, newest first.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::{AuditEntryView, Caller, Channel};

use crate::AppState;
use crate::errors;
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html};

struct Line {
    seq: i64,
    at: String,
    who: String,
    channel: String,
    action: String,
    target: String,
    outcome: &'static str,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Tr,
    page: PageCtx,
    lines: Vec<Line>,
}

fn line(e: AuditEntryView) -> Line {
    Line {
        seq: e.seq,
        at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        who: e.actor_email.or_else(|| e.actor.map(|a| a.to_string())).unwrap_or_else(|| "—".into()),
        channel: e.channel,
        action: e.action,
        target: match (e.target_kind, e.target_id) {
            (Some(k), Some(id)) => format!("{k} {id}"),
            (Some(k), None) => k,
            _ => "—".into(),
        },
        outcome: e.outcome,
        detail: e.detail.unwrap_or_default(),
    }
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    match state.app.recent_audit(&caller).await {
        Ok(entries) => {
            let l = v.tr();
            let page = v.page(&state, l.t("audit-title"));
            html(StatusCode::OK, &AuditPage { l, page, lines: entries.into_iter().map(line).collect() })
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}
