//! Liveness for load balancers, and metrics for administrators or the machine itself.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use amparo_domain::Role;

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
    v: Visitor,
) -> Response {
    let admin = v.active().is_ok_and(|s| s.actor.role == Role::Administrator);
    if !(peer.ip().is_loopback() || admin) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut r = state.metrics.render().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    r
}
