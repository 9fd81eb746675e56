//! The public pages: the tip form, its thank-you page and the resources page. Nobody signs
//! in. Each carries the quick-exit control, a neutral title and the note that the browser's
//! history remains; every response is `no-store` and `no-referrer` (security.rs sets both on
//! all pages). The sender's address is handed to the use case for the in-memory rate limit
//! and nothing else; no header of the request is read, logged or stored.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::signals::{Hotline, TipInput};
use amparo_domain::records::ContactChannel;
use amparo_i18n::Language;

use crate::AppState;
use crate::pages::field_error;
use crate::session::Visitor;
use crate::view::{FormErrors, Tr, html, see_other};

const QUICK_EXIT_JS: &str = include_str!("../../static/quick-exit.js");
/// Channels a sender may choose to be reached by (in person and post are not for strangers).
const TIP_CHANNELS: [ContactChannel; 4] =
    [ContactChannel::Phone, ContactChannel::Sms, ContactChannel::Whatsapp, ContactChannel::Email];

/// The public layout's context: no navigation, no name of ours in the title.
pub struct PublicCtx {
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub other_lang_name: String,
    pub title: String,
    pub csrf: String,
    pub path: String,
    pub exit_url: String,
}

fn public_ctx(state: &AppState, v: &Visitor, title_key: &str) -> PublicCtx {
    let other = match v.lang {
        Language::Es => Language::En,
        Language::En => Language::Es,
    };
    PublicCtx {
        lang: v.lang.code(),
        other_lang: other.code(),
        other_lang_name: amparo_i18n::t(other, &format!("language-{}", other.code())),
        title: v.tr().t(title_key),
        csrf: v.csrf_token(state),
        path: v.path.clone(),
        exit_url: state.app.tips_config().quick_exit_url.clone(),
    }
}

#[derive(Template)]
#[template(path = "tip.html")]
struct TipPage {
    l: Tr,
    p: PublicCtx,
    action: String,
    errors: FormErrors,
    message: String,
    contact_channel: String,
    contact: String,
    safe_times: String,
    channels: Vec<(&'static str, String)>,
}

/// A hotline as shown, in the reader's language.
pub struct HotlineLine {
    pub name: String,
    pub phone: String,
    /// Digits (and a leading +) for the `tel:` link.
    pub dial: String,
    pub text: Option<String>,
}

type HotlinesByCountry = Vec<(String, Vec<HotlineLine>)>;

#[derive(Template)]
#[template(path = "tip_thanks.html")]
struct ThanksPage {
    l: Tr,
    p: PublicCtx,
    hotlines: HotlinesByCountry,
}

#[derive(Template)]
#[template(path = "resources.html")]
struct ResourcesPage {
    l: Tr,
    p: PublicCtx,
    hotlines: HotlinesByCountry,
    tip_path: &'static str,
}

#[derive(Template)]
#[template(path = "public_message.html")]
struct MessagePage {
    l: Tr,
    p: PublicCtx,
    heading: String,
    body: String,
}

fn hotlines(state: &AppState, lang: Language) -> HotlinesByCountry {
    let l = Tr::plain(lang);
    let mut out: HotlinesByCountry = Vec::new();
    for h in &state.app.tips_config().hotlines {
        let Hotline { country, name_en, name_es, phone, text } = h;
        let line = HotlineLine {
            name: if lang == Language::Es { name_es.clone() } else { name_en.clone() },
            phone: phone.clone(),
            dial: phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
            text: text.clone(),
        };
        let heading = l.t(&format!("tips-country-{}", country.to_ascii_lowercase()));
        match out.iter_mut().find(|(c, _)| *c == heading) {
            Some((_, lines)) => lines.push(line),
            None => out.push((heading, vec![line])),
        }
    }
    out
}

/// A page of the public layout for an error (not found, too many tips, unavailable).
fn public_error(state: &AppState, v: &Visitor, e: &AppError) -> Response {
    let (status, title, body) = match e {
        AppError::TooManyAttempts { .. } => {
            (StatusCode::TOO_MANY_REQUESTS, "tips-too-many-title", "tips-too-many-body")
        }
        AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found-title", "error-not-found-body"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable-title", "error-unavailable-body"),
    };
    let l = v.tr();
    let p = public_ctx(state, v, title);
    let mut r = html(status, &MessagePage { heading: l.t(title), body: l.t(body), l, p });
    if let AppError::TooManyAttempts { retry_after_secs } = e
        && let Ok(h) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, h);
    }
    v.finish(state, r)
}

#[derive(Default, Deserialize)]
pub struct TipForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    contact_channel: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    safe_times: String,
}

fn render_form(state: &AppState, v: &Visitor, action: String, form: TipForm, errors: FormErrors) -> Response {
    let l = v.tr();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let channels = TIP_CHANNELS.iter().map(|c| (c.code(), l.t(&format!("code-channel-{}", c.code())))).collect();
    let page = TipPage {
        p: public_ctx(state, v, "tips-title"),
        l,
        action,
        errors,
        message: form.message,
        contact_channel: form.contact_channel,
        contact: form.contact,
        safe_times: form.safe_times,
        channels,
    };
    v.finish(state, html(status, &page))
}

async fn show(state: AppState, v: Visitor, page: Option<String>) -> Response {
    if let Err(e) = state.app.tip_organisation(page.as_deref()).await {
        return public_error(&state, &v, &e);
    }
    let action = v.path.clone();
    render_form(&state, &v, action, TipForm::default(), FormErrors::default())
}

pub async fn form(State(state): State<AppState>, v: Visitor) -> Response {
    show(state, v, None).await
}

pub async fn form_for(State(state): State<AppState>, v: Visitor, Path(page): Path<String>) -> Response {
    show(state, v, Some(page)).await
}

async fn accept(state: AppState, peer: SocketAddr, v: Visitor, page: Option<String>, form: TipForm) -> Response {
    if let Err(r) = v.check_csrf(&state, &form.csrf_token) {
        return r;
    }
    let org = match state.app.tip_organisation(page.as_deref()).await {
        Ok(org) => org,
        Err(e) => return public_error(&state, &v, &e),
    };
    let mut errors = FormErrors::default();
    let contact_channel = match form.contact_channel.as_str() {
        "" => None,
        code => match TIP_CHANNELS.iter().find(|c| c.code() == code) {
            Some(c) => Some(*c),
            None => {
                errors.push("contact_channel", v.tr().t("error-unknown_code"));
                return render_form(&state, &v, v.path.clone(), form, errors);
            }
        },
    };
    let tip = TipInput {
        message: form.message.clone(),
        contact_channel,
        contact: form.contact.clone(),
        safe_times: form.safe_times.clone(),
        language: Some(v.lang.code().to_owned()),
    };
    match state.app.submit_tip(org, tip, peer.ip()).await {
        Ok(_) => see_other("/tip/thanks"),
        Err(e) if field_error(&v, &e, &mut errors) => render_form(&state, &v, v.path.clone(), form, errors),
        Err(e) => public_error(&state, &v, &e),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    v: Visitor,
    Form(form): Form<TipForm>,
) -> Response {
    accept(state, peer, v, None, form).await
}

pub async fn submit_for(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    v: Visitor,
    Path(page): Path<String>,
    Form(form): Form<TipForm>,
) -> Response {
    accept(state, peer, v, Some(page), form).await
}

pub async fn thanks(State(state): State<AppState>, v: Visitor) -> Response {
    let page =
        ThanksPage { hotlines: hotlines(&state, v.lang), p: public_ctx(&state, &v, "tips-thanks-title"), l: v.tr() };
    v.finish(&state, html(StatusCode::OK, &page))
}

pub async fn resources(State(state): State<AppState>, v: Visitor) -> Response {
    let page = ResourcesPage {
        hotlines: hotlines(&state, v.lang),
        p: public_ctx(&state, &v, "resources-title"),
        l: v.tr(),
        tip_path: "/tip",
    };
    v.finish(&state, html(StatusCode::OK, &page))
}

/// The quick-exit script, compiled into the binary and served from our own origin.
pub async fn quick_exit_script() -> Response {
    let mut r = QUICK_EXIT_JS.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}
