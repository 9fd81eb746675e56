use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::{Caller, Channel};

use crate::AppState;
use crate::errors;
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html};

/// A break-glass use a supervisor is told about.
struct Alert {
    at: String,
    who: String,
    case_id: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Tr,
    page: PageCtx,
    role_name: String,
    alerts: Vec<Alert>,
    /// For someone the access policy still holds back: when and what opens their access.
    access_pending: Option<String>,
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let alerts = match state.app.break_glass_alerts(&caller).await {
        Ok(a) => a,
        Err(e) => return errors::for_visitor(&state, &v, &e),
    };
    let l = v.tr();
    let role_name = l.t(&format!("role-{}", s.actor.role.code()));
    let alerts = alerts
        .into_iter()
        .map(|a| Alert {
            at: a.at.format("%Y-%m-%d %H:%M UTC").to_string(),
            who: a.user_email.unwrap_or_default(),
            case_id: a.case.map(|t| t.to_string()).unwrap_or_default(),
            reason: a.reason.unwrap_or_default(),
        })
        .collect();
    let access_pending = match s.actor.clearance {
        amparo_domain::Clearance::Cleared => None,
        amparo_domain::Clearance::NotYet => match state.app.staff_profile(&caller, s.actor.user).await {
            Ok(p) => Some(crate::pages::staff::access_words(l, &p)),
            Err(e) => return errors::for_visitor(&state, &v, &e),
        },
    };
    let page = v.page(&state, l.t("page-home-title"));
    html(StatusCode::OK, &HomePage { l, page, role_name, alerts, access_pending })
}
