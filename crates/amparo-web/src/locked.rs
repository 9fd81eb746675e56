//! A sealed installation's server before an administrator unlocks it (docs/keys.md). It has
//! no keys, so it serves nothing but the unlock page, the stylesheet and `/healthz`: every
//! other page answers with the unlock page (503), every API call with 503
//! `{"error": "locked"}`. The right passphrase opens the master key; the application is
//! built and from then on every request goes to it, without a restart.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use askama::Template;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use secrecy::SecretString;
use serde::Deserialize;
use tokio::sync::{Mutex, OnceCell};
use tower::ServiceExt;

use amparo_app::keys::sealed::{SealedKeyGate, UnlockError, UnsealedKey};
use amparo_i18n::Language;

use crate::cookies::{self, Cookie};
use crate::view::{Tr, html, see_other};
use crate::{AppState, Transport};

/// Builds the application once the key is open (the command line knows the installation).
pub type OpenApp =
    Box<dyn Fn(UnsealedKey) -> Pin<Box<dyn Future<Output = Result<AppState, String>> + Send>> + Send + Sync>;

pub struct LockedServer {
    gate: SealedKeyGate,
    transport: Transport,
    default_language: Language,
    open: OpenApp,
    unlocked: OnceCell<Router>,
    /// One unlock builds the application; a second one waiting behind it finds it built.
    opening: Mutex<()>,
}

impl std::fmt::Debug for LockedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockedServer").field("unlocked", &self.unlocked.initialized()).finish_non_exhaustive()
    }
}

impl LockedServer {
    pub fn new(gate: SealedKeyGate, transport: Transport, default_language: Language, open: OpenApp) -> Arc<Self> {
        Arc::new(Self { gate, transport, default_language, open, unlocked: OnceCell::new(), opening: Mutex::new(()) })
    }

    pub fn is_unlocked(&self) -> bool {
        self.unlocked.initialized()
    }
}

/// The router of a sealed server: locked until unlocked, then the whole application.
pub fn sealed_router(server: Arc<LockedServer>) -> Router {
    Router::new()
        .route("/unlock", get(show).post(submit))
        .route("/static/amparo.css", get(crate::pages::static_files::stylesheet))
        .route("/healthz", get(health))
        .fallback(locked)
        .layer(middleware::from_fn_with_state(Arc::clone(&server), dispatch))
        .with_state(server)
}

async fn dispatch(State(s): State<Arc<LockedServer>>, req: Request, next: Next) -> Response {
    if let Some(app) = s.unlocked.get() {
        if req.uri().path() == "/unlock" {
            return crate::security::with_headers(see_other("/"), s.transport, false);
        }
        return match app.clone().oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
    }
    if *req.method() == Method::TRACE {
        return crate::security::with_headers(StatusCode::METHOD_NOT_ALLOWED.into_response(), s.transport, false);
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !crate::security::same_origin(req.headers()) {
        let r = (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        return crate::security::with_headers(r, s.transport, false);
    }
    let is_static = req.uri().path().starts_with("/static/");
    let r = next.run(req).await;
    crate::security::with_headers(r, s.transport, is_static)
}

/// Liveness: the process runs (a locked server must not be restarted by its supervisor).
async fn health() -> Response {
    (StatusCode::OK, "locked").into_response()
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage {
    l: Tr,
    lang: &'static str,
    other_lang: &'static str,
    other_lang_name: String,
    csrf: String,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

fn language(s: &LockedServer, headers: &HeaderMap, chosen: Option<&str>) -> Language {
    if let Some(l) = chosen.and_then(|c| c.parse().ok()) {
        return l;
    }
    if let Some(l) = cookies::read(headers, Cookie::Language, s.transport).and_then(|c| c.parse().ok()) {
        return l;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    amparo_i18n::negotiate(accept, s.default_language)
}

fn binding(pre: &str) -> String {
    format!("unlock:{pre}")
}

fn render(
    s: &LockedServer,
    headers: &HeaderMap,
    lang: Language,
    problem: Option<&str>,
    status: StatusCode,
) -> Response {
    let (pre, new_pre) = match cookies::read(headers, Cookie::PreSession, s.transport) {
        Some(p) => (p, false),
        None => (amparo_app::random_token(), true),
    };
    let other = match lang {
        Language::Es => Language::En,
        Language::En => Language::Es,
    };
    let l = Tr::plain(lang);
    let page = UnlockPage {
        lang: lang.code(),
        other_lang: other.code(),
        other_lang_name: amparo_i18n::t(other, &format!("language-{}", other.code())),
        csrf: s.gate.csrf_token(&binding(&pre)),
        problem: problem.map(|key| l.t(key)),
        l,
    };
    let mut r = html(status, &page);
    if new_pre {
        r.headers_mut().append(header::SET_COOKIE, cookies::set(Cookie::PreSession, &pre, s.transport, None));
    }
    r
}

async fn show(State(s): State<Arc<LockedServer>>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = language(&s, &headers, q.lang.as_deref());
    let mut r = render(&s, &headers, lang, None, StatusCode::OK);
    if q.lang.as_deref().and_then(|c| c.parse::<Language>().ok()).is_some() {
        r.headers_mut().append(header::SET_COOKIE, cookies::set(Cookie::Language, lang.code(), s.transport, None));
    }
    r
}

/// Any other page: the unlock page, 503. Any API call: 503 `{"error": "locked"}`.
async fn locked(State(s): State<Arc<LockedServer>>, req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        let mut r = (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "error": "locked" }))).into_response();
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    let lang = language(&s, req.headers(), None);
    render(&s, req.headers(), lang, Some("keys-unlock-locked"), StatusCode::SERVICE_UNAVAILABLE)
}

#[derive(Deserialize)]
pub struct UnlockForm {
    #[serde(default)]
    passphrase: String,
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    lang: String,
}

impl std::fmt::Debug for UnlockForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the passphrase.
        f.debug_struct("UnlockForm").field("lang", &self.lang).finish_non_exhaustive()
    }
}

async fn submit(
    State(s): State<Arc<LockedServer>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<UnlockForm>,
) -> Response {
    let lang = language(&s, &headers, Some(&form.lang));
    let csrf_ok = cookies::read(&headers, Cookie::PreSession, s.transport)
        .is_some_and(|pre| s.gate.csrf_token_valid(&binding(&pre), &form.csrf_token));
    if !csrf_ok {
        return render(&s, &headers, lang, Some("keys-unlock-expired"), StatusCode::FORBIDDEN);
    }
    let passphrase = SecretString::from(form.passphrase);
    let key = match s.gate.unlock(passphrase, peer.ip()).await {
        Ok(key) => key,
        Err(UnlockError::WrongPassphrase) => {
            return render(&s, &headers, lang, Some("keys-unlock-wrong"), StatusCode::UNAUTHORIZED);
        }
        Err(UnlockError::TooManyAttempts(secs)) => {
            let mut r = render(&s, &headers, lang, Some("keys-unlock-too-many"), StatusCode::TOO_MANY_REQUESTS);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return r;
        }
        Err(UnlockError::Unusable(code)) => {
            tracing::error!(code, "the sealed key file cannot be used");
            return render(&s, &headers, lang, Some("keys-unlock-unusable"), StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let _turn = s.opening.lock().await;
    if s.unlocked.initialized() {
        return see_other("/");
    }
    match (s.open)(key).await {
        Ok(state) => {
            if let Err(e) = state.app.record_unlock(s.gate.failed_attempts()).await {
                tracing::error!(error = %e.code(), "the unlock could not be audited");
            }
            let _ = s.unlocked.set(crate::router(state));
            tracing::info!("unlocked: serving");
            see_other("/")
        }
        Err(message) => {
            tracing::error!(%message, "unlocked, but the application could not start");
            render(&s, &headers, lang, Some("keys-unlock-unusable"), StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}
