//! Liveness for load balancers, and metrics for administrators or the machine itself.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_domain::{Action, Resource};

use crate::AppState;
use crate::session::Visitor;

pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.app.healthy().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response()
    }
}

pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    v: Visitor,
) -> Response {
    let admin = v.active().is_ok_and(|s| {
        amparo_domain::authorize(&s.actor, Action::ManageOperations, Resource::Organisation(s.actor.org)).is_ok()
    });
    // Behind a reverse proxy every request comes from loopback: a forwarded one is not the
    // machine itself asking.
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
    if !((peer.ip().is_loopback() && !forwarded) || admin) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut r = state.metrics.render().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    r
}
