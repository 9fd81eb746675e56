//! The partner network through the real `amparo` binary: the referrals API over real HTTP
//! (201, 409 `consent_required` with missing, revoked and too-narrow consent, 422), and
//! three real installations (three data directories, three `amparo init`s) exchanging a
//! referral packet: accepted by the partner that knows the sender, refused when one byte
//! changed, when it is addressed to someone else, and after its expiry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";

fn create_token(dir: &Path, email: &str) -> String {
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--org", ORG, "--email", email, "--name", "integration"]);
    let out = ok(&run(c, ""));
    out.lines().last().expect("token line").trim().to_owned()
}

/// `amparo user add` (initial password on stdin), then a token for them.
fn add_user(dir: &Path, email: &str, role: &str) -> String {
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--org",
        ORG,
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
    ]);
    ok(&run(c, &format!("la {role} camina despacio por el puerto viejo\n")));
    create_token(dir, email)
}

fn identity_line(dir: &Path) -> String {
    let mut c = amparo();
    c.args(["identity", "show", "--data-dir"]).arg(dir);
    let out = ok(&run(c, ""));
    out.lines().last().expect("identity line").trim().to_owned()
}

/// One installation: a data directory, a running server, an administrator and a case manager.
struct Install {
    dir: PathBuf,
    s: Server,
    admin: String,
    cm: String,
    http: reqwest::Client,
}

impl Install {
    fn new(root: &Path, name: &str) -> Install {
        let dir = root.join(name);
        init(&dir, &[]);
        let s = serve(&dir, &[], &[]);
        let admin = create_token(&dir, ADMIN);
        let cm = add_user(&dir, "lucia@esperanza.org", "case_manager");
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Install { dir, s, admin, cm, http }
    }

    async fn call(&self, method: Method, token: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.s.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("json") })
    }

    async fn partner(&self, name: &str, key: &str) -> String {
        let body = json!({"name": name, "country": "MX", "region": "MX-CHH", "languages": ["es"], "services": ["housing", "legal_aid"], "public_key": key});
        let (st, v) = self.call(Method::POST, &self.admin, "/api/v1/partners", Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_owned()
    }

    /// A person with an alias and a phone, and a consent to `partner` for `fields`.
    async fn person_with_consent(&self, partner: &str, fields: &[&str]) -> (String, String) {
        let (st, v) = self
            .call(Method::POST, &self.cm, "/api/v1/persons", Some(json!({"alias": "Luz", "phone": "+52 656 123 4567"})))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let person = v["id"].as_str().unwrap().to_owned();
        let consent = self.consent(&person, partner, fields).await;
        (person, consent)
    }

    async fn consent(&self, person: &str, partner: &str, fields: &[&str]) -> String {
        let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(60)).to_string();
        let body = json!({"recipient_partner_id": partner, "fields": fields, "purpose": "vivienda", "expires_on": expires, "given_as": "written"});
        let (st, v) =
            self.call(Method::POST, &self.cm, &format!("/api/v1/persons/{person}/consents"), Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_owned()
    }

    async fn refer(&self, person: &str, partner: &str, fields: &[&str]) -> (StatusCode, Value) {
        let body = json!({"person_id": person, "partner_id": partner, "fields": fields, "reason": "albergue seguro"});
        self.call(Method::POST, &self.cm, "/api/v1/referrals", Some(body)).await
    }
}

fn pack(dir: &Path, referral: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut c = amparo();
    c.args(["referral", "pack", "--data-dir"]).arg(dir).args(["--referral", referral, "--out"]).arg(out).args(extra);
    run(c, "")
}

fn unpack(dir: &Path, file: &Path) -> std::process::Output {
    let mut c = amparo();
    c.args(["referral", "unpack", "--data-dir"]).arg(dir).arg(file);
    run(c, "")
}

fn refused(out: &std::process::Output, words: &str) {
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "accepted: {all}");
    assert!(all.contains(words), "expected {words:?} in {all:?}");
}

#[tokio::test]
async fn the_referrals_api_refuses_without_consent_and_lists_what_was_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Install::new(tmp.path(), "a");
    let other_key = {
        let b = tmp.path().join("b");
        init(&b, &[]);
        identity_line(&b)
    };
    // The directory: 201 with an id; an unknown service or a bad key is 422; a case manager may not add.
    let partner = a.partner("Casa Juárez", &other_key).await;
    let bad =
        json!({"name": "X", "country": "MX", "languages": ["es"], "services": ["spa_days"], "public_key": other_key});
    let (st, v) = a.call(Method::POST, &a.admin, "/api/v1/partners", Some(bad)).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_code")), "{v}");
    let bad = json!({"name": "X", "country": "MX", "languages": ["es"], "services": ["housing"], "public_key": "ssh-rsa AAAA"});
    let (st, _) = a.call(Method::POST, &a.admin, "/api/v1/partners", Some(bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _) = a
        .call(
            Method::POST,
            &a.cm,
            "/api/v1/partners",
            Some(json!({"name": "X", "country": "MX", "services": [], "languages": [], "public_key": other_key})),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = a.call(Method::GET, &a.cm, "/api/v1/partners?service=housing&place=MX-CHH", None).await;
    assert_eq!((st, v["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{v}");

    // Missing consent: 409.
    let (st, v) = a
        .call(Method::POST, &a.cm, "/api/v1/persons", Some(json!({"alias": "Luz", "phone": "+52 656 123 4567"})))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let person = v["id"].as_str().unwrap().to_owned();
    let (st, v) = a.refer(&person, &partner, &["alias"]).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::CONFLICT, Some("consent_required")), "missing: {v}");
    // Revoked: 409.
    let c = a.consent(&person, &partner, &["alias"]).await;
    let (st, _) = a.call(Method::POST, &a.cm, &format!("/api/v1/persons/{person}/consents/{c}/revoke"), None).await;
    assert!(st.is_success(), "{st}");
    let (st, v) = a.refer(&person, &partner, &["alias"]).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::CONFLICT, Some("consent_required")), "revoked: {v}");
    // Too narrow: 409. Nothing chosen: 422.
    a.consent(&person, &partner, &["alias"]).await;
    let (st, v) = a.refer(&person, &partner, &["alias", "phone"]).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::CONFLICT, Some("consent_required")), "too narrow: {v}");
    let (st, v) = a.refer(&person, &partner, &[]).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("referral_no_fields")), "{v}");
    // Covered: 201, listed with its status and exactly the shared values.
    let (st, v) = a.refer(&person, &partner, &["alias"]).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_owned();
    let (st, v) = a.call(Method::GET, &a.cm, "/api/v1/referrals?direction=outgoing", None).await;
    assert_eq!(st, StatusCode::OK);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"].as_str(), Some(id.as_str()));
    assert_eq!(items[0]["status"], "sent");
    assert_eq!(items[0]["shared"], json!({"alias": {"alias": "Luz"}}));
    let (st, v) = a.call(Method::GET, &a.cm, "/api/v1/referrals?direction=incoming", None).await;
    assert_eq!((st, v["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let (st, _) = a.call(Method::GET, &a.cm, "/api/v1/referrals?direction=sideways", None).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // The OpenAPI document describes the routes.
    let (st, doc) = a.call(Method::GET, &a.cm, "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    for path in ["/api/v1/partners", "/api/v1/referrals", "/api/v1/referrals/{id}/accept"] {
        assert!(doc["paths"].get(path).is_some(), "{path} not in the OpenAPI document");
    }
    // Withdrawn while the server runs; the packet path then refuses too.
    let (st, _) = a
        .call(
            Method::POST,
            &a.cm,
            &format!("/api/v1/referrals/{id}/withdraw"),
            Some(json!({"reason": "cambió de opinión"})),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let out = pack(&a.dir, &id, &tmp.path().join("p.packet"), &[]);
    refused(&out, "only a sent or accepted");
}

#[tokio::test]
async fn a_packet_travels_between_two_real_installations_and_nothing_else_gets_in() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Install::new(tmp.path(), "a");
    let b = Install::new(tmp.path(), "b");
    let c_dir = tmp.path().join("c");
    init(&c_dir, &[]);
    let (a_line, b_line) = (identity_line(&a.dir), identity_line(&b.dir));
    assert!(a_line.starts_with("amparo-id1:") && a_line != b_line);
    assert_eq!(identity_line(&a.dir), a_line, "the identity is kept between runs");

    // A knows B; A refers Luz to B with her alias only (her phone is consented, not chosen).
    let to_b = a.partner("Refugio del Norte (B)", &b_line).await;
    let (person, consent) = a.person_with_consent(&to_b, &["alias", "phone"]).await;
    let (st, v) = a.refer(&person, &to_b, &["alias"]).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let referral = v["id"].as_str().unwrap().to_owned();
    let file = tmp.path().join("luz.packet");
    ok(&pack(&a.dir, &referral, &file, &[]));
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // Whole values (a three-letter name could turn up by chance in the ciphertext's text).
    assert!(!text.contains("\"Luz\"") && !text.contains("656 123 4567"), "the packet is sealed");
    assert!(text.contains(&a_line) && text.contains(&b_line) && text.contains(&referral), "{text}");

    // B does not know A yet: refused. Then B adds A and files it.
    refused(&unpack(&b.dir, &file), "not in the partner directory");
    b.partner("Casa Esperanza (A)", &a_line).await;
    let out = ok(&unpack(&b.dir, &file));
    assert!(out.contains("filed incoming referral"), "{out}");
    // B's inbox shows exactly the consented, chosen field.
    let (st, v) = b.call(Method::GET, &b.cm, "/api/v1/referrals?direction=incoming", None).await;
    assert_eq!(st, StatusCode::OK);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["status"], "sent");
    assert_eq!(items[0]["fields"], json!(["alias"]));
    assert_eq!(items[0]["shared"], json!({"alias": {"alias": "Luz"}}));
    assert!(!v.to_string().contains("656") && !v.to_string().contains("albergue"), "{v}");
    // B accepts it: a person and a case on B.
    let inbox_id = items[0]["id"].as_str().unwrap();
    let (st, v) = b.call(Method::POST, &b.cm, &format!("/api/v1/referrals/{inbox_id}/accept"), None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, p) =
        b.call(Method::GET, &b.cm, &format!("/api/v1/persons/{}", v["person_id"].as_str().unwrap()), None).await;
    assert_eq!((st, p["alias"].as_str()), (StatusCode::OK, Some("Luz")));
    // The same packet again is not filed twice.
    refused(&unpack(&b.dir, &file), "already filed");

    // One changed byte, anywhere: refused.
    for at in [bytes.len() / 2, 40, bytes.len() - 10] {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let f = tmp.path().join(format!("changed-{at}.packet"));
        std::fs::write(&f, &changed).unwrap();
        let out = unpack(&b.dir, &f);
        assert!(!out.status.success(), "byte {at} changed and accepted");
    }
    let mut changed = bytes.clone();
    changed[bytes.len() / 2] ^= 0x01;
    let f = tmp.path().join("changed.packet");
    std::fs::write(&f, &changed).unwrap();
    refused(&unpack(&b.dir, &f), "modified");

    // A third installation is not the recipient.
    refused(&unpack(&c_dir, &file), "addressed to another installation");

    // An expired packet (valid through yesterday) is refused.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    let old = tmp.path().join("old.packet");
    ok(&pack(&a.dir, &referral, &old, &["--expires-on", &yesterday]));
    refused(&unpack(&b.dir, &old), "expired");

    // Once the consent is revoked, A makes no packet.
    let (st, _) =
        a.call(Method::POST, &a.cm, &format!("/api/v1/persons/{person}/consents/{consent}/revoke"), None).await;
    assert!(st.is_success());
    refused(&pack(&a.dir, &referral, &tmp.path().join("no.packet"), &[]), "consent_required");
    assert!(!tmp.path().join("no.packet").exists());
    drop((a.s, b.s));
}

/// `amparo user add` with a language, then a token for them.
fn add_web_user(dir: &Path, email: &str, role: &str, language: &str, password: &str) -> String {
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--org",
        ORG,
        "--email",
        email,
        "--role",
        role,
        "--language",
        language,
        "--password-stdin",
    ]);
    ok(&run(c, &format!("{password}\n")));
    create_token(dir, email)
}

#[tokio::test]
async fn the_referral_pages_work_without_javascript_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let a = Install::new(tmp.path(), "a");
    let b_dir = tmp.path().join("b");
    init(&b_dir, &[]);
    let b_line = identity_line(&b_dir);
    // Lucía (the installation's case manager) works in Spanish; Ana in English.
    let lucia_token = a.cm.clone();
    add_web_user(&a.dir, "ana.p@esperanza.org", "case_manager", "en", "ana's first password here");

    // The administrator's directory page: the identity with its fingerprint, the map, the form.
    let admin = sign_in_with_mfa(&a.s, ADMIN, PASSWORD).await;
    let (st, page) = get(&admin, &a.s, "/partners").await;
    assert_eq!(st, StatusCode::OK);
    let a_line = identity_line(&a.dir);
    assert!(page.contains(&a_line), "the identity line is shown");
    assert!(page.contains("id=\"identity-fingerprint\"") && page.contains("<svg id=\"partner-map\""));
    // A bad country comes back with the message next to it and what was typed kept.
    let r = post(
        &admin,
        &a.s,
        "/partners",
        &page,
        &[("name", "Casa Juárez"), ("country", "Mexico"), ("services", "housing"), ("public_key", &b_line)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(again.contains("id=\"country-error\"") && again.contains("value=\"Casa Juárez\""), "{again}");
    let r = post(
        &admin,
        &a.s,
        "/partners",
        &page,
        &[
            ("name", "Casa Juárez"),
            ("country", "MX"),
            ("region", "MX-CHH"),
            ("services", "housing"),
            ("services", "legal_aid"),
            ("languages", "es, en"),
            ("public_key", &b_line),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&admin, &a.s, "/partners?service=housing&place=MX-CHH").await;
    assert!(page.contains("Casa Juárez") && page.contains("MX-CHH"), "listed and on the map");
    let (_, v) = a.call(Method::GET, &lucia_token, "/api/v1/partners", None).await;
    let partner = v["items"][0]["id"].as_str().unwrap().to_owned();

    // A person with a consent for the alias only.
    let (st, v) = a
        .call(Method::POST, &lucia_token, "/api/v1/persons", Some(json!({"alias": "Luz", "phone": "+52 656 123 4567"})))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let person = v["id"].as_str().unwrap().to_owned();

    // Lucía (Spanish): missing consent, then too narrow, then revoked — each refused on the page.
    let lucia = sign_in(
        &a.s,
        "lucia@esperanza.org",
        "la case_manager camina despacio por el puerto viejo",
        "el río baja despacio entre piedras",
    )
    .await;
    let (st, form) = get(&lucia, &a.s, &format!("/persons/{person}/refer")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(form.contains("Canalizar a una organización aliada") && form.contains("Casa Juárez"));
    let refer = |fields: &'static [&'static str]| {
        let mut pairs: Vec<(&str, &str)> =
            vec![("partner_id", partner.as_str()), ("reason", "albergue seguro"), ("urgency", "urgent")];
        for f in fields {
            pairs.push(("fields", f));
        }
        pairs
    };
    let r = post(&lucia, &a.s, &format!("/persons/{person}/refer"), &form, &refer(&["alias"])).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "missing consent");
    let page = r.text().await.unwrap();
    assert!(page.contains("Ningún consentimiento vigente cubre") && page.contains("albergue seguro"), "{page}");
    let consent = a.consent(&person, &partner, &["alias"]).await;
    let r = post(&lucia, &a.s, &format!("/persons/{person}/refer"), &form, &refer(&["alias", "phone"])).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "too narrow");
    let (st, _) =
        a.call(Method::POST, &lucia_token, &format!("/api/v1/persons/{person}/consents/{consent}/revoke"), None).await;
    assert!(st.is_success());
    let r = post(&lucia, &a.s, &format!("/persons/{person}/refer"), &form, &refer(&["alias"])).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "revoked");
    // Covered: sent, listed in Spanish with the shared alias, packet downloadable.
    a.consent(&person, &partner, &["alias"]).await;
    let r = post(&lucia, &a.s, &format!("/persons/{person}/refer"), &form, &refer(&["alias"])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (st, page) = get(&lucia, &a.s, "/referrals?direction=outgoing").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Enviada") && page.contains("Luz") && page.contains("Descargar paquete"), "{page}");
    let link = between(&page, "<a href=\"/referrals/", "/packet\"").to_owned();
    let r = lucia.get(a.s.url(&format!("/referrals/{link}/packet"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let packet = r.bytes().await.unwrap();
    assert!(packet.starts_with(b"amparo-referral-packet v1\n"));

    // Ana (English), not on Luz's team: sees the referral listed, not what it carries; and
    // a packet uploaded here that is addressed to B is refused with the reason.
    let ana =
        sign_in(&a.s, "ana.p@esperanza.org", "ana's first password here", "quiet harbour lights over the bay").await;
    let (_, page) = get(&ana, &a.s, "/referrals?direction=outgoing").await;
    assert!(page.contains("Sent") && !page.contains("Luz"), "{page}");
    let (_, inbox) = get(&ana, &a.s, "/referrals?direction=incoming").await;
    assert!(inbox.contains("Receive a packet"));
    let part = reqwest::multipart::Part::bytes(packet.to_vec()).file_name("referral.packet");
    let form = reqwest::multipart::Form::new().text("csrf_token", csrf_of(&inbox)).part("file", part);
    let r = ana.post(a.s.url("/referrals/packets")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("addressed to another installation") && page.contains("id=\"file-error\""), "{page}");
}
