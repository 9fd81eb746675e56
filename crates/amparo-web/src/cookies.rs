//! Reading and writing our few cookies. Names carry the `__Host-` prefix under TLS (bound
//! to this host, path `/`, `Secure`); plain loopback cannot set `Secure` cookies.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::Transport;

#[derive(Clone, Copy, Debug)]
pub enum Cookie {
    /// The session id.
    Session,
    /// A random value that binds the CSRF token of forms shown before sign-in.
    PreSession,
    /// The language chosen before sign-in.
    Language,
}

impl Cookie {
    pub fn name(self, t: Transport) -> &'static str {
        match (self, t) {
            (Cookie::Session, Transport::Tls) => "__Host-amparo_session",
            (Cookie::Session, Transport::PlainLoopback) => "amparo_session",
            (Cookie::PreSession, Transport::Tls) => "__Host-amparo_pre",
            (Cookie::PreSession, Transport::PlainLoopback) => "amparo_pre",
            (Cookie::Language, Transport::Tls) => "__Host-amparo_lang",
            (Cookie::Language, Transport::PlainLoopback) => "amparo_lang",
        }
    }
}

/// The value of a cookie from the request's `Cookie` headers.
pub fn read(headers: &HeaderMap, cookie: Cookie, t: Transport) -> Option<String> {
    let name = cookie.name(t);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| {
            !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// A `Set-Cookie` value. Session-lifetime cookies (no Max-Age) unless `max_age` is given;
/// `Some(0)` deletes.
pub fn set(cookie: Cookie, value: &str, t: Transport, max_age: Option<i64>) -> HeaderValue {
    let mut s = format!("{}={}; Path=/; HttpOnly; SameSite=Lax", cookie.name(t), value);
    if t == Transport::Tls {
        s.push_str("; Secure");
    }
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}
