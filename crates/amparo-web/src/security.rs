//! One place for the headers every response carries and for the cross-origin check of
//! unsafe requests (ASVS v5.0.0-3.4, 3.5.1, 3.5.3, 14.3.2).

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{AppState, Transport};

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    state.metrics.requests.fetch_add(1, Ordering::Relaxed);
    let is_api = req.uri().path().starts_with("/api/v1/");
    let is_static = req.uri().path().starts_with("/static/");
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if *req.method() == Method::TRACE {
        return finish(&state, StatusCode::METHOD_NOT_ALLOWED.into_response(), false);
    }
    // Bearer-token API calls carry no cookies, so a forged cross-site request has nothing
    // to ride on; every cookie-authenticated unsafe request must come from our own pages.
    if unsafe_method && !is_api && !same_origin(req.headers()) {
        let body = "cross-origin request refused";
        return finish(&state, (StatusCode::FORBIDDEN, body).into_response(), false);
    }
    let response = next.run(req).await;
    finish(&state, response, is_static)
}

/// True unless the browser tells us the request came from another site. Browsers that send
/// `Sec-Fetch-Site` are judged on it alone: under `Referrer-Policy: no-referrer` Chromium sends
/// `Origin: null` even for our own forms. Older browsers are judged on `Origin` against `Host`.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null"), _) => false,
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
        // Clients that send no Origin (curl, scripts) still need the form's CSRF token.
        (None, _) => true,
    }
}

fn finish(state: &AppState, response: Response, cacheable: bool) -> Response {
    let status = response.status();
    if status.is_client_error() {
        state.metrics.responses_4xx.fetch_add(1, Ordering::Relaxed);
    } else if status.is_server_error() {
        state.metrics.responses_5xx.fetch_add(1, Ordering::Relaxed);
    }
    with_headers(response, state.transport, cacheable)
}

/// The headers every response carries (also a locked server's, which has no `AppState`).
pub(crate) fn with_headers(mut response: Response, transport: Transport, cacheable: bool) -> Response {
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if !cacheable {
        // Pages about survivors must not stay in a shared computer's cache.
        set(h, "cache-control", "no-store");
    }
    if transport == Transport::Tls {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_told_apart() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "a"), ("origin", "null")])));
        assert!(!same_origin(&headers(&[("host", "a"), ("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&headers(&[("host", "a"), ("sec-fetch-site", "same-origin")])));
        // What Chromium sends for our own form under Referrer-Policy: no-referrer.
        assert!(same_origin(&headers(&[("host", "a"), ("origin", "null"), ("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("host", "a"), ("origin", "http://a"), ("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[("host", "a")])));
    }
}
