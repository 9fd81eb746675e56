//! The public tip form and the hotline queue through the real `amparo` binary over HTTP on
//! loopback: a tip posted as a person's browser posts it (CSRF token from the page), its
//! thank-you page, the queue over the API for a hotline worker and not for others, no request
//! metadata in any byte of the database files, the rate limit, and the public pages' headers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";
const USER_AGENT: &str = "CanaryBrowser/9.9 (UA-zq81-tip)";
const FORWARDED: &str = "203.0.113.77";
const CANARY_IP: &str = "192.0.2.123";
const TIP_TEXT: &str = "Canarioxyz: hay muchachas encerradas en la empacadora";

struct World {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    s: Server,
    api: reqwest::Client,
    hotline: String,
    clinician: String,
    admin: String,
    other_hotline: String,
}

fn world(envs: &[(&str, &str)]) -> World {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut c = amparo();
    c.args(["org", "add", "--data-dir"]).arg(&dir).args([
        "--name",
        OTHER_ORG,
        "--admin-email",
        "admin@otra.org",
        "--admin-password-stdin",
    ]);
    ok(&run(c, "otra frase larga para la otra casa\n"));
    // A coalition's server: `/tip` for one organisation, a neutral slug for the other.
    std::fs::write(
        dir.join("amparo.toml"),
        format!("[tips]\norganisation = \"{ORG}\"\n\n[tips.pages]\ns7 = \"{OTHER_ORG}\"\n"),
    )
    .unwrap();
    let hotline = user_with_token(&dir, ORG, "hilda@esperanza.org", "hotline");
    let clinician = user_with_token(&dir, ORG, "carla@esperanza.org", "clinician");
    let admin = user_with_token(&dir, ORG, "ana@esperanza.org", "administrator");
    let other_hotline = user_with_token(&dir, OTHER_ORG, "olga@otra.org", "hotline");
    let s = serve(&dir, &[], envs);
    let api = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    World { _tmp: tmp, dir, s, api, hotline, clinician, admin, other_hotline }
}

impl World {
    async fn call(&self, method: reqwest::Method, token: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.api.request(method, self.s.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, serde_json::from_str(&r.text().await.unwrap()).unwrap_or(Value::Null))
    }
}

/// A visitor's browser: keeps cookies, follows nothing, speaks `lang`.
fn visitor(lang: &str) -> reqwest::Client {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("accept-language", lang.parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(h)
        .user_agent(USER_AGENT)
        .build()
        .unwrap()
}

/// Posts the tip form of `path` as a browser would, with headers that must not be kept.
async fn post_tip(http: &reqwest::Client, s: &Server, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = http.get(s.url(path)).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", csrf.as_str()));
    http.post(s.url(path))
        .header("x-forwarded-for", FORWARDED)
        .header("x-real-ip", CANARY_IP)
        .header("forwarded", format!("for={CANARY_IP}"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn assert_public_headers(r: &reqwest::Response) {
    let h = r.headers();
    assert_eq!(h["cache-control"], "no-store", "{}", r.url());
    assert_eq!(h["referrer-policy"], "no-referrer", "{}", r.url());
    assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
}

/// Every file of the data directory (database, WAL, shared memory, keys) as bytes.
fn data_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_tip_reaches_the_hotline_queue_sealed_and_nothing_about_the_sender_is_kept() {
    let w = world(&[("AMPARO_QUICK_EXIT_URL", "http://127.0.0.1:9/neutral")]);
    let http = visitor("es-MX,es;q=0.9");

    // The form: neutral title, quick exit first, no-store, no-referrer, our own script.
    let r = http.get(w.s.url("/tip")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_public_headers(&r);
    let page = r.text().await.unwrap();
    assert!(page.contains("<title>Formulario de contacto</title>"), "{page}");
    assert!(page.contains(r#"<a id="quick-exit" class="quick-exit" href="http://127.0.0.1:9/neutral""#));
    assert!(page.contains(r#"<script src="/static/quick-exit.js" defer></script>"#));
    assert!(page.contains(r#"id="history-note""#));
    assert!(page.contains(r#"name="message""#));
    assert!(!page.contains("<script>"), "no inline script");
    let js = http.get(w.s.url("/static/quick-exit.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
    assert!(js.text().await.unwrap().contains("location.replace"));

    // A bad post comes back with what was typed and the message by the field.
    let r = post_tip(&http, &w.s, "/tip", &[("message", "  "), ("contact", "656 000 1111")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Escriba su mensaje."), "{page}");
    assert!(page.contains(r#"value="656 000 1111""#));
    let r = post_tip(&http, &w.s, "/tip", &[("message", &"x".repeat(10_001))]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Without the form's token, or from another site, nothing is taken.
    let r = http.post(w.s.url("/tip")).form(&[("message", "sin token")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = http
        .post(w.s.url("/tip"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("message", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The tip: 303 to the thank-you page with the hotlines of both countries.
    let r = post_tip(
        &http,
        &w.s,
        "/tip",
        &[("message", TIP_TEXT), ("contact_channel", "sms"), ("contact", "656 123 4567"), ("safe_times", "noches")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/tip/thanks");
    let r = http.get(w.s.url("/tip/thanks")).send().await.unwrap();
    assert_public_headers(&r);
    let page = r.text().await.unwrap();
    assert!(page.contains("800 5533 000") && page.contains("1-888-373-7888") && page.contains("911"), "{page}");
    assert!(page.contains(r#"id="quick-exit""#));
    // A tip to the other organisation's form, in English.
    let en = visitor("en-US");
    let r = post_tip(&en, &w.s, "/tip/s7", &[("message", "Someone is kept at the ranch")]).await;
    assert_eq!(location(&r), "/tip/thanks");
    assert_eq!(en.get(w.s.url("/tip/nothing-here")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // The queue: the hotline worker reads the text; others may not.
    let (status, body) = w.call(reqwest::Method::GET, &w.hotline, "/api/v1/signals", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    let tip = &items[0];
    assert_eq!(tip["text"], TIP_TEXT);
    assert_eq!(tip["channel"], "web_tip");
    assert_eq!(tip["urgency"], "routine");
    assert_eq!(tip["status"], "new");
    assert_eq!(tip["language"], "es");
    assert_eq!(tip["contact"]["contact"], "656 123 4567");
    assert!(tip["id"].is_string() && tip["received_at"].is_string());
    assert!(tip.get("outcome").is_some());
    let id = tip["id"].as_str().unwrap().to_owned();
    let (status, other) = w.call(reqwest::Method::GET, &w.other_hotline, "/api/v1/signals", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(other["items"][0]["text"], "Someone is kept at the ranch");
    assert_eq!(other["items"].as_array().unwrap().len(), 1);
    let (status, _) = w.call(reqwest::Method::GET, &w.other_hotline, &format!("/api/v1/signals/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for token in [&w.clinician, &w.admin] {
        let (status, body) = w.call(reqwest::Method::GET, token, "/api/v1/signals", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body.get("items").is_none());
        let (status, _) = w.call(reqwest::Method::GET, token, &format!("/api/v1/signals/{id}"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = w.call(reqwest::Method::GET, "not-a-token", "/api/v1/signals", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Triage with the version read; a stale version is a conflict.
    let (status, body) = w
        .call(
            reqwest::Method::PATCH,
            &w.hotline,
            &format!("/api/v1/signals/{id}"),
            Some(json!({"version": 1, "urgency": "immediate_danger", "region": "MX-CHH", "notes": "Canarioxyz nota"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["urgency"].as_str(), body["status"].as_str(), body["version"].as_i64()),
        (Some("immediate_danger"), Some("triaged"), Some(2))
    );
    let (status, body) = w
        .call(
            reqwest::Method::PATCH,
            &w.hotline,
            &format!("/api/v1/signals/{id}"),
            Some(json!({"version": 1, "urgency": "routine"})),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    let (status, body) = w
        .call(
            reqwest::Method::PATCH,
            &w.hotline,
            &format!("/api/v1/signals/{id}"),
            Some(json!({"version": 2, "outcome": "linked_to_case"})),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("signal_outcome_needs_case")));
    // A call logged by the hotline worker joins the queue, behind the danger.
    let (status, body) = w
        .call(
            reqwest::Method::POST,
            &w.hotline,
            "/api/v1/signals",
            Some(json!({"channel": "call", "urgency": "urgent", "text": "Caller asks about a job offer", "concerns": ["suspicious_job_offer"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, body) = w.call(reqwest::Method::GET, &w.hotline, "/api/v1/signals", None).await;
    let urgencies: Vec<&str> =
        body["items"].as_array().unwrap().iter().map(|i| i["urgency"].as_str().unwrap()).collect();
    assert_eq!(urgencies, vec!["immediate_danger", "urgent"]);
    let (status, _) = w
        .call(reqwest::Method::POST, &w.clinician, "/api/v1/signals", Some(json!({"channel": "call", "text": "x"})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The OpenAPI document describes the routes.
    let (status, doc) = w.call(reqwest::Method::GET, &w.hotline, "/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    for path in ["/api/v1/signals", "/api/v1/signals/{id}", "/api/v1/signals/{id}/open-case"] {
        assert!(doc["paths"].get(path).is_some(), "{path} not in the OpenAPI document");
    }
    assert!(doc["paths"]["/api/v1/signals/{id}"].get("patch").is_some());

    // Not one byte of the request's metadata (nor the text) in any file of the data
    // directory, while the server runs (WAL included) and after it stopped.
    let canaries: Vec<Vec<u8>> = vec![
        USER_AGENT.as_bytes().to_vec(),
        b"UA-zq81".to_vec(),
        b"CanaryBrowser".to_vec(),
        FORWARDED.as_bytes().to_vec(),
        CANARY_IP.as_bytes().to_vec(),
        b"127.0.0.1".to_vec(),
        vec![203, 0, 113, 77],
        vec![192, 0, 2, 123],
        TIP_TEXT.as_bytes().to_vec(),
        b"Canarioxyz".to_vec(),
        b"656 123 4567".to_vec(),
    ];
    let scan = |when: &str| {
        let files = data_files(&w.dir);
        assert!(files.iter().any(|(n, _)| n.ends_with("amparo.sqlite3")), "{when}: no database file");
        for (name, bytes) in &files {
            for c in &canaries {
                assert!(!contains(bytes, c), "{when}: {:?} found in {name}", String::from_utf8_lossy(c));
            }
        }
    };
    scan("running");
    let dir = w.dir.clone();
    drop(w.s);
    let files = data_files(&dir);
    for (name, bytes) in &files {
        for c in &canaries {
            assert!(!contains(bytes, c), "stopped: {:?} found in {name}", String::from_utf8_lossy(c));
        }
    }
}

#[tokio::test]
async fn the_public_pages_are_in_both_languages_and_too_many_tips_get_a_429_page() {
    let w = world(&[("AMPARO_TIPS_PER_ADDRESS", "2")]);
    for (lang, title, exit, resources) in [
        ("en", "<title>Contact form</title>", "Exit this page", "<title>Useful phone numbers</title>"),
        ("es", "<title>Formulario de contacto</title>", "Salir de esta página", "<title>Teléfonos útiles</title>"),
    ] {
        let http = visitor(lang);
        let page = http.get(w.s.url("/tip")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(title) && page.contains(exit), "{lang}: {page}");
        let r = http.get(w.s.url("/resources")).send().await.unwrap();
        assert_public_headers(&r);
        let page = r.text().await.unwrap();
        assert!(page.contains(resources) && page.contains(r#"id="quick-exit""#), "{lang}");
        assert!(page.contains("1-888-373-7888") && page.contains("800 5533 000"));
    }
    // The language switch keeps the visitor on the form.
    let http = visitor("es");
    let page = http.get(w.s.url("/tip")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = http
        .post(w.s.url("/language"))
        .form(&[("lang", "en"), ("return_to", "/tip"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/tip");
    let page = http.get(w.s.url("/tip")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<title>Contact form</title>"));

    // Two tips from this address, then a localised 429 with the quick exit still there.
    for i in 0..2 {
        let r = post_tip(&http, &w.s, "/tip", &[("message", &format!("tip {i}"))]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = post_tip(&http, &w.s, "/tip", &[("message", "one more")]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().get("retry-after").is_some());
    assert_public_headers(&r);
    let page = r.text().await.unwrap();
    assert!(page.contains("Please wait a moment") && page.contains(r#"id="quick-exit""#), "{page}");
    let es = visitor("es");
    let r = post_tip(&es, &w.s, "/tip", &[("message", "otra")]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("Espere un momento, por favor"));
    // Only the two that were taken are in the queue.
    let (_, body) = w.call(reqwest::Method::GET, &w.hotline, "/api/v1/signals", None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn hotline_pages_show_the_queue_triage_and_open_a_case_from_a_tip() {
    let w = world(&[]);
    let http = visitor("en");
    let r = post_tip(
        &http,
        &w.s,
        "/tip",
        &[
            ("message", "Two girls sleep at the back of the taquería"),
            ("contact_channel", "phone"),
            ("contact", "915 555 0100"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let initial = "la hotline camina despacio por el puerto viejo";
    let staff = sign_in(&w.s, "hilda@esperanza.org", initial, "una contraseña nueva y larga de la línea").await;
    let (status, page) = get(&staff, &w.s, "/signals").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"id="nav-signals""#) && page.contains(r#"id="signals""#), "{page}");
    assert!(!page.contains("taquería"), "the queue shows codes, not what was reported");
    let id = between(&page, "<th scope=\"row\"><a href=\"/signals/", "\"").to_owned();
    let (status, page) = get(&staff, &w.s, &format!("/signals/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Two girls sleep at the back of the taquería") && page.contains("915 555 0100"), "{page}");
    // Triage: urgent, a concern and notes; the page shows them back.
    let r = post(
        &staff,
        &w.s,
        &format!("/signals/{id}/triage"),
        &page,
        &[
            ("version", "1"),
            ("urgency", "urgent"),
            ("concerns", "minor_at_risk"),
            ("concerns", "labour_exploitation"),
            ("notes", "Call back after 8pm"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&staff, &w.s, &format!("/signals/{id}")).await;
    assert!(page.contains("Call back after 8pm") && page.contains("Una persona menor de edad en riesgo"), "{page}");
    // A stale version is a conflict, not an overwrite.
    let r =
        post(&staff, &w.s, &format!("/signals/{id}/triage"), &page, &[("version", "1"), ("urgency", "routine")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Opening a case without an alias comes back with the message; with one, the case opens.
    let r = post(&staff, &w.s, &format!("/signals/{id}/open-case"), &page, &[("version", "2"), ("alias", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &staff,
        &w.s,
        &format!("/signals/{id}/open-case"),
        &page,
        &[("version", "2"), ("alias", "Flor"), ("use_offered_contact", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case = location(&r);
    assert!(case.starts_with("/cases/"), "{case}");
    let (_, page) = get(&staff, &w.s, &format!("/signals/{id}")).await;
    assert!(page.contains(&format!("href=\"{case}\"")) && page.contains("Se abrió un caso"), "{page}");
    // A clinician has no queue.
    let clinician = sign_in(
        &w.s,
        "carla@esperanza.org",
        "la clinician camina despacio por el puerto viejo",
        "otra contraseña larga de la clínica",
    )
    .await;
    let (status, page) = get(&clinician, &w.s, "/signals").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("nav-signals"));
}
