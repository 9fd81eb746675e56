//! The survivor-records API of the real `amparo` binary, over real HTTP on loopback: persons,
//! search, versions, safe contact, consents, cases, restricted cases and break-glass, the
//! access log, and who may do what — each test on a fresh data directory (SQLite).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";
const ADMIN_PASSWORD: &str = "una frase larga para la prueba";

// ----- helpers copied from tests/server.rs (kept small) -----

fn create_token(dir: &Path, org: &str, email: &str) -> String {
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--org", org, "--email", email, "--name", "integration"]);
    let out = ok(&run(c, ""));
    out.lines().last().expect("token line").trim().to_owned()
}

// ----- this file's own helpers -----

/// A user of the API: their id and a token acting as them.
struct User {
    id: String,
    token: String,
    password: String,
}

/// `amparo user add` (initial password on stdin), then a token for them.
fn add_user(dir: &Path, org: &str, email: &str, role: &str) -> User {
    let password = format!("la {role} camina despacio por el puerto viejo");
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--org",
        org,
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
    ]);
    let out = ok(&run(c, &format!("{password}\n")));
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("added user "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no user id in {out:?}"))
        .to_owned();
    User { id, token: create_token(dir, org, email), password }
}

/// An installation with one user of each role we need, and a second organisation.
struct World {
    _tmp: tempfile::TempDir,
    _dir: PathBuf,
    s: Server,
    http: reqwest::Client,
    cm: User,
    cm2: User,
    sup: User,
    clin: User,
    vol: User,
    admin: User,
    other: User,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let cm = add_user(&dir, ORG, "lucia@esperanza.org", "case_manager");
    let cm2 = add_user(&dir, ORG, "marta@esperanza.org", "case_manager");
    let sup = add_user(&dir, ORG, "sofia@esperanza.org", "supervisor");
    let clin = add_user(&dir, ORG, "carla@esperanza.org", "clinician");
    let vol = add_user(&dir, ORG, "victor@esperanza.org", "volunteer");
    let admin = User { id: String::new(), token: create_token(&dir, ORG, ADMIN), password: ADMIN_PASSWORD.into() };
    let mut c = amparo();
    c.args(["org", "add", "--data-dir"]).arg(&dir).args([
        "--name",
        OTHER_ORG,
        "--admin-email",
        "admin@otra.org",
        "--admin-password-stdin",
    ]);
    ok(&run(c, "otra frase larga para la otra casa\n"));
    let other = add_user(&dir, OTHER_ORG, "olga@otra.org", "case_manager");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    World { _tmp: tmp, _dir: dir, s, http, cm, cm2, sup, clin, vol, admin, other }
}

impl World {
    /// One API call; every answer, error or not, must be JSON.
    async fn call(&self, method: Method, who: &User, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.s.base)).bearer_auth(&who.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status} is not JSON: {text:?}"));
        (status, value)
    }
    async fn get(&self, who: &User, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, who, path, None).await
    }
    async fn post(&self, who: &User, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, who, path, Some(body)).await
    }
    async fn patch(&self, who: &User, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, who, path, Some(body)).await
    }
    /// A raw body with a JSON content type (for malformed input).
    async fn raw(&self, method: Method, who: &User, path: &str, body: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .request(method, format!("{}{path}", self.s.base))
            .bearer_auth(&who.token)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status} is not JSON: {text:?}"));
        (status, value)
    }

    /// Creates a person as `who`; returns their id.
    async fn person(&self, who: &User, body: Value) -> String {
        let (st, v) = self.post(who, "/api/v1/persons", body).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        v["id"].as_str().expect("id").to_owned()
    }

    /// Opens a case as `who`; returns the case view.
    async fn case(&self, who: &User, person: &str, extra: Value) -> Value {
        let mut body = json!({ "person_id": person });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let (st, v) = self.post(who, "/api/v1/cases", body).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        v
    }
}

fn ids(items: &Value) -> Vec<&str> {
    items["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect()
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

// ----- the tests -----

#[tokio::test]
async fn persons_are_created_read_as_given_versioned_and_found() {
    let w = world();

    // Intake needs only an alias, or only a given name; not neither.
    let (st, v) = w.post(&w.cm, "/api/v1/persons", json!({ "alias": "Golondrina" })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert!(v["id"].is_string() && v["version"] == 1 && v["possible_duplicates"].is_array(), "{v}");
    let (st, v) = w.post(&w.cm, "/api/v1/persons", json!({ "given_name": "Rosa" })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, v) = w.post(&w.cm, "/api/v1/persons", json!({ "family_name": "Pérez" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"].is_string(), "{v}");

    // Fields come back exactly as given.
    let id = w
        .person(
            &w.cm,
            json!({
                "given_name": "María José",
                "family_name": "Hernández",
                "alias": "Mariposa",
                "birth_date": "1999-04-02",
                "gender": "prefers_not_to_answer",
                "phone": "+52 55 1234 5678",
                "email": "mj@example.org",
                "primary_language": "es",
                "languages": ["nah", "en"],
                "citizenship": ["MX"],
                "narrative": "Llegó en marzo."
            }),
        )
        .await;
    let (st, p) = w.get(&w.cm, &format!("/api/v1/persons/{id}")).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["id"], id.as_str());
    assert_eq!(p["version"], 1);
    assert_eq!(p["phone"], "+52 55 1234 5678");
    assert_eq!(p["gender"], "prefers_not_to_answer");
    assert_eq!(p["given_name"], "María José");
    assert_eq!(p["family_name"], "Hernández");
    assert_eq!(p["alias"], "Mariposa");
    assert_eq!(p["birth_date"], "1999-04-02");
    assert_eq!(p["email"], "mj@example.org");
    assert_eq!(p["primary_language"], "es");
    assert_eq!(p["languages"], json!(["nah", "en"]));
    assert_eq!(p["citizenship"], json!(["MX"]));
    assert_eq!(p["narrative"], "Llegó en marzo.");
    assert_eq!(p["case_numbers"], json!([]));

    // Unknown members, malformed JSON, a bad id, no token: JSON errors, never plain text.
    let (st, v) = w.post(&w.cm, "/api/v1/persons", json!({ "alias": "X", "favourite_colour": "red" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"].is_string(), "{v}");
    let (st, v) = w.raw(Method::POST, &w.cm, "/api/v1/persons", "{\"alias\": ").await;
    assert!(st == StatusCode::BAD_REQUEST || st == StatusCode::UNPROCESSABLE_ENTITY, "{st} {v}");
    assert!(v["error"].is_string(), "{v}");
    let (st, v) = w.get(&w.cm, "/api/v1/persons/not-a-uuid").await;
    assert!(st == StatusCode::BAD_REQUEST || st == StatusCode::UNPROCESSABLE_ENTITY, "{st} {v}");
    assert!(v["error"].is_string(), "{v}");
    let (st, v) = w.get(&w.cm, "/api/v1/persons/00000000-0000-4000-8000-000000000000").await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let resp = w
        .http
        .post(format!("{}/api/v1/persons", w.s.base))
        .bearer_auth(&w.cm.token)
        .body(r#"{"alias": "Sin tipo"}"#)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error(), "{}", resp.status());
    let v: Value = resp.json().await.expect("a JSON error without a content type");
    assert!(v["error"].is_string(), "{v}");
    let (st, v) = w.get(&w.cm, "/api/v1/persons/search").await;
    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED, "search is a POST: {v}");
    assert!(v["error"].is_string(), "{v}");
    let nobody = User { id: String::new(), token: "not-a-token".into(), password: String::new() };
    let (st, _) = w.get(&nobody, &format!("/api/v1/persons/{id}")).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);

    // PATCH: a stale version and a missing one are conflicts; the right one moves it on.
    let path = format!("/api/v1/persons/{id}");
    let (st, v) = w.patch(&w.cm, &path, json!({ "version": 7, "alias": "Colibrí" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], "conflict");
    let (st, v) = w.patch(&w.cm, &path, json!({ "alias": "Colibrí" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let (st, v) = w.patch(&w.cm, &path, json!({ "version": 1, "alias": "Colibrí" })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    assert_eq!(v["alias"], "Colibrí");
    assert_eq!(v["phone"], "+52 55 1234 5678", "fields left out stay as they were");
    let (st, v) = w.patch(&w.cm, &path, json!({ "version": 1, "alias": "Otra" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "the old version is stale now: {v}");
    let (_, p) = w.get(&w.cm, &path).await;
    assert_eq!(p["version"], 2);
    assert_eq!(p["alias"], "Colibrí");
    let (st, v) = w.patch(&w.cm, &path, json!({ "version": 2, "nickname": "x" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // Search: accents, Spanish spelling and prefixes fold; nothing matches nothing.
    let xochitl = w.person(&w.cm, json!({ "given_name": "Xóchitl", "family_name": "Gonzáles Peñaloza" })).await;
    for q in ["xochitl", "gonzalez", "penal", "Xóchitl Gonzáles"] {
        let (st, v) = w.post(&w.cm, "/api/v1/persons/search", json!({ "q": q })).await;
        assert_eq!(st, StatusCode::OK, "{q}: {v}");
        assert!(ids(&v).contains(&xochitl.as_str()), "{q} should find her: {v}");
        let hit = v["items"].as_array().unwrap().iter().find(|h| h["id"] == xochitl.as_str()).unwrap();
        assert_eq!(hit["given_name"], "Xóchitl");
        assert_eq!(hit["family_name"], "Gonzáles Peñaloza");
        assert!(hit["case_numbers"].is_array(), "{hit}");
        assert!(hit.get("alias").is_some(), "{hit}");
    }
    let (st, v) = w.post(&w.cm, "/api/v1/persons/search", json!({ "q": "zzzz" })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["items"], json!([]));
    assert_eq!(v["more"], json!(false), "{v}");
    let (st, v) = w.post(&w.cm, "/api/v1/persons/search", json!({ "q": "x" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // A second intake of the same name shows the first as a possible duplicate (alias only).
    let (st, v) =
        w.post(&w.cm, "/api/v1/persons", json!({ "given_name": "Xóchitl", "family_name": "Gonzáles Peñaloza" })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let dups = v["possible_duplicates"].as_array().expect("possible_duplicates");
    assert!(dups.iter().any(|d| d["id"] == xochitl.as_str()), "{v}");
    assert!(dups.iter().all(|d| d.get("given_name").is_none() && d.get("family_name").is_none()), "{v}");

    // Outreach only on a channel the person marked safe.
    let outreach = format!("/api/v1/persons/{id}/outreach");
    let (st, v) = w.post(&w.cm, &outreach, json!({ "channel": "sms" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], "channel_not_safe");
    let (st, v) =
        w.patch(&w.cm, &path, json!({ "version": 2, "safe_contact": [{ "channel": "sms", "safe": true }] })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 3);
    assert_eq!(v["safe_contact_needs_confirming"], false, "{v}");
    let (st, v) = w.post(&w.cm, &outreach, json!({ "channel": "sms" })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert!(v["id"].is_string(), "{v}");
    let (st, v) = w.post(&w.cm, &outreach, json!({ "channel": "phone" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "phone was not marked safe: {v}");
    let (st, v) = w.post(&w.cm, &outreach, json!({ "channel": "pigeon" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // The consent ledger: record, list, revoke; time-limited.
    let consents = format!("/api/v1/persons/{id}/consents");
    let expires = (today() + chrono::Duration::days(180)).format("%Y-%m-%d").to_string();
    let (st, v) = w
        .post(
            &w.cm,
            &consents,
            json!({
                "recipient_name": "Casa del Migrante",
                "fields": ["alias", "phone"],
                "purpose": "Referral for shelter",
                "expires_on": expires,
                "given_as": "written"
            }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let consent = v["id"].as_str().expect("consent id").to_owned();
    let too_far = (today() + chrono::Duration::days(2 * 365 + 10)).format("%Y-%m-%d").to_string();
    let (st, v) = w
        .post(
            &w.cm,
            &consents,
            json!({
                "recipient_name": "Casa del Migrante",
                "fields": ["alias"],
                "purpose": "Referral",
                "expires_on": too_far,
                "given_as": "verbal_witnessed"
            }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = w
        .post(
            &w.cm,
            &consents,
            json!({ "recipient_name": "X", "fields": ["alias"], "purpose": "P", "expires_on": "2020-13-45", "given_as": "written" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = w.get(&w.cm, &consents).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["id"], consent.as_str());
    assert_eq!(items[0]["recipient_name"], "Casa del Migrante");
    assert_eq!(items[0]["fields"], json!(["alias", "phone"]));
    assert_eq!(items[0]["purpose"], "Referral for shelter");
    assert_eq!(items[0]["expires_on"], expires.as_str());
    assert_eq!(items[0]["given_as"], "written");
    assert_eq!(items[0]["valid"], true);
    let (st, v) = w.post(&w.cm, &format!("{consents}/{consent}/revoke"), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v, json!({ "id": consent, "revoked": true }));
    let (_, v) = w.get(&w.cm, &consents).await;
    assert_eq!(v["items"][0]["valid"], false, "{v}");
    assert!(v["items"][0]["revoked_at"].is_string(), "{v}");
    let (st, v) = w.post(&w.cm, &format!("{consents}/{consent}/revoke"), json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "already revoked: {v}");
    let (st, v) = w.post(&w.cm, &format!("{consents}/not-a-uuid/revoke"), json!({})).await;
    assert!(st == StatusCode::BAD_REQUEST || st == StatusCode::UNPROCESSABLE_ENTITY, "{st} {v}");

    // Every route is in the OpenAPI document.
    let (st, doc) = w.get(&w.cm, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "PersonFields",
        "PersonView",
        "SearchHit",
        "ConsentInput",
        "CaseView",
        "CaseListItem",
        "ApiError",
        "GoalInput",
        "ServiceInput",
        "LegalReliefInput",
        "EntryView",
        "EntryPatch",
        "TaskView",
        "Dashboard",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing from the OpenAPI document");
    }
    let paths = doc["paths"].as_object().expect("paths");
    for (p, methods) in [
        ("/api/v1/persons", &["post"][..]),
        ("/api/v1/persons/{id}", &["get", "patch"]),
        ("/api/v1/persons/search", &["post"]),
        ("/api/v1/persons/{id}/access-log", &["get"]),
        ("/api/v1/persons/{id}/outreach", &["post"]),
        ("/api/v1/persons/{id}/consents", &["get", "post"]),
        ("/api/v1/persons/{id}/consents/{consent_id}/revoke", &["post"]),
        ("/api/v1/cases", &["get", "post"]),
        ("/api/v1/cases/{id}", &["get", "patch"]),
        ("/api/v1/cases/{id}/break-glass", &["post"]),
        ("/api/v1/cases/{id}/assessments", &["get", "post"]),
        ("/api/v1/cases/{id}/goals", &["get", "post"]),
        ("/api/v1/cases/{id}/services", &["get", "post"]),
        ("/api/v1/cases/{id}/appointments", &["get", "post"]),
        ("/api/v1/cases/{id}/milestones", &["get", "post"]),
        ("/api/v1/cases/{id}/legal-relief", &["get", "post"]),
        ("/api/v1/cases/{id}/notes", &["get", "post"]),
        ("/api/v1/cases/{id}/timeline", &["get"]),
        ("/api/v1/cases/{id}/tasks", &["post"]),
        ("/api/v1/entries/{id}", &["get", "patch"]),
        ("/api/v1/entries/{id}/reveal", &["post"]),
        ("/api/v1/tasks", &["get"]),
        ("/api/v1/tasks/{id}/complete", &["post"]),
        ("/api/v1/dashboard", &["get"]),
        ("/api/v1/appointments.ics", &["get"]),
    ] {
        for m in methods {
            assert!(paths.get(p).and_then(|o| o.get(*m)).is_some(), "{m} {p} missing from the OpenAPI document");
        }
    }
    let mut operation_ids: Vec<&str> = paths
        .values()
        .flat_map(|o| o.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let n = operation_ids.len();
    operation_ids.sort_unstable();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), n, "operationIds must be unique: {operation_ids:?}");
}

#[tokio::test]
async fn cases_restricted_cases_break_glass_and_the_access_log() {
    let w = world();
    let person = w
        .person(&w.cm, json!({ "given_name": "Ana", "alias": "Luna", "narrative": "Una historia que no se repite." }))
        .await;

    // Opening a case: a number that identifies nobody, this year's sequence.
    let c = w.case(&w.cm, &person, json!({ "exploitation_types": ["ForcedLabour"], "countries": ["mx", "US"] })).await;
    let year = chrono::Datelike::year(&today());
    assert_eq!(c["number"], format!("{year}-000001"), "{c}");
    assert_eq!(c["version"], 1);
    assert_eq!(c["status"], "Active");
    assert_eq!(c["person_id"], person.as_str());
    assert_eq!(c["countries"], json!(["MX", "US"]));
    assert!(c["team"].as_array().unwrap().contains(&json!(w.cm.id)), "the opener is on the team: {c}");
    let case_id = c["id"].as_str().expect("case id").to_owned();
    let case_path = format!("/api/v1/cases/{case_id}");
    let (st, v) = w.post(&w.cm, "/api/v1/cases", json!({ "exploitation_types": [] })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no person_id: {v}");
    let (st, v) = w.post(&w.cm, "/api/v1/cases", json!({ "person_id": person, "colour": "red" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "unknown member: {v}");
    let (st, v) = w.post(&w.cm, "/api/v1/cases", json!({ "person_id": person, "status": "Sideways" })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "unknown status: {v}");
    let second = w.case(&w.cm, &person, json!({})).await;
    assert_eq!(second["number"], format!("{year}-000002"), "{second}");

    let (st, v) = w.get(&w.cm, &case_path).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["number"], c["number"]);
    let (_, p) = w.get(&w.cm, &format!("/api/v1/persons/{person}")).await;
    assert!(p["case_numbers"].as_array().unwrap().contains(&c["number"]), "{p}");
    // The case number finds the person.
    let (st, v) = w.post(&w.cm, "/api/v1/persons/search", json!({ "q": c["number"] })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(ids(&v).contains(&person.as_str()), "the case number finds the person: {v}");

    // The caseload.
    let (st, v) = w.get(&w.cm, "/api/v1/cases?status=Active&limit=50&offset=0").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(ids(&v).contains(&case_id.as_str()), "{v}");
    let item = v["items"].as_array().unwrap().iter().find(|i| i["id"] == case_id.as_str()).unwrap();
    assert_eq!(item["alias"], "Luna");
    assert!(item.get("given_name").is_none(), "never names in the caseload: {item}");
    let (st, v) = w.get(&w.cm, "/api/v1/cases?status=Closed").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(!ids(&v).contains(&case_id.as_str()), "{v}");
    let (st, v) = w.get(&w.cm, "/api/v1/cases?limit=many").await;
    assert!(st == StatusCode::BAD_REQUEST || st == StatusCode::UNPROCESSABLE_ENTITY, "{st} {v}");
    let (st, v) = w.get(&w.cm2, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(!ids(&v).contains(&case_id.as_str()), "another case manager's caseload: {v}");
    let (st, v) = w.get(&w.sup, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(ids(&v).contains(&case_id.as_str()), "a supervisor sees the organisation's cases: {v}");

    // A case manager not on the team is refused; a supervisor reads it.
    let (st, v) = w.get(&w.cm2, &case_path).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.cm2, &format!("/api/v1/persons/{person}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.sup, &case_path).await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // PATCH the case: versions as for persons; restricted to the case manager alone.
    let (st, v) = w.patch(&w.cm, &case_path, json!({ "version": 5, "restricted": true })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let (st, v) = w.patch(&w.cm, &case_path, json!({ "restricted": true })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    let (st, v) = w.patch(&w.cm, &case_path, json!({ "version": 1, "restricted": true, "team": [w.cm.id] })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    assert_eq!(v["restricted"], true);
    assert_eq!(v["team"], json!([w.cm.id]));
    // Restrict the second case too, so the person is reachable through neither.
    let second_path = format!("/api/v1/cases/{}", second["id"].as_str().unwrap());
    let (st, v) = w.patch(&w.cm, &second_path, json!({ "version": 1, "restricted": true, "team": [w.cm.id] })).await;
    assert_eq!(st, StatusCode::OK, "{v}");

    let (st, v) = w.get(&w.sup, &case_path).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a restricted case is closed to a supervisor not named: {v}");
    let (st, v) = w.get(&w.sup, &format!("/api/v1/persons/{person}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.sup, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(!ids(&v).contains(&case_id.as_str()), "restricted cases stay out of the supervisor's caseload: {v}");
    let (st, v) = w.get(&w.cm, &case_path).await;
    assert_eq!(st, StatusCode::OK, "the named team still reads it: {v}");

    // Break-glass: a reason and the password again; then 60 minutes of access to that case.
    let bg = format!("{case_path}/break-glass");
    let (st, v) = w.post(&w.sup, &bg, json!({ "reason": "short", "password": w.sup.password })).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (st, v) = w
        .post(
            &w.sup,
            &bg,
            json!({ "reason": "Crisis call tonight, need the safety plan", "password": "not my password at all" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"], "wrong_current_password");
    let (st, v) = w
        .post(&w.sup, &bg, json!({ "reason": "Crisis call tonight, need the safety plan", "password": w.sup.password }))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let expires: chrono::DateTime<chrono::Utc> = v["expires_at"].as_str().expect("expires_at").parse().expect("a time");
    let minutes = (expires - chrono::Utc::now()).num_minutes();
    assert!((55..=60).contains(&minutes), "{minutes} minutes");
    let (st, v) = w.get(&w.sup, &case_path).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(v["break_glass_until"].is_string(), "{v}");
    let (st, v) = w.get(&w.sup, &format!("/api/v1/persons/{person}")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = w.get(&w.sup, &second_path).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "break-glass opens that case only: {v}");

    // A clinician on the team sees the summary but not the story nor the names.
    let quiet =
        w.person(&w.cm, json!({ "given_name": "Elena", "alias": "Estrella", "narrative": "No para todos." })).await;
    let (st, v) = w.get(&w.clin, &format!("/api/v1/persons/{quiet}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "not on any team yet: {v}");
    let qc = w.case(&w.cm, &quiet, json!({ "team": [w.cm.id, w.clin.id] })).await;
    assert!(qc["team"].as_array().unwrap().contains(&json!(w.clin.id)), "{qc}");
    let (st, p) = w.get(&w.clin, &format!("/api/v1/persons/{quiet}")).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["alias"], "Estrella");
    assert!(p.get("narrative").is_none(), "a clinician does not read the narrative: {p}");
    assert!(p.get("given_name").is_none(), "nor the identity section: {p}");
    let (st, v) =
        w.patch(&w.clin, &format!("/api/v1/persons/{quiet}"), json!({ "version": 1, "narrative": "x" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.post(&w.clin, "/api/v1/persons/search", json!({ "q": "Elena" })).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    for hit in v["items"].as_array().unwrap() {
        assert!(hit.get("given_name").is_none(), "names only for those allowed to read them: {hit}");
    }

    // The access log: who read, changed, broke the glass.
    let (st, v) = w.get(&w.cm, &format!("/api/v1/persons/{person}/access-log")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let entries = v["items"].as_array().expect("items");
    let actions: Vec<&str> = entries.iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["read", "update", "break_glass"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let glass =
        entries.iter().find(|e| e["action"] == "break_glass" && e["outcome"] == "ok").expect("a granted break-glass");
    assert_eq!(glass["user_id"], w.sup.id.as_str());
    assert_eq!(glass["user_email"], "sofia@esperanza.org");
    assert_eq!(glass["channel"], "api");
    assert_eq!(glass["target"], "case");
    assert!(
        entries.iter().any(|e| e["outcome"] == "denied" && e["user_id"] == w.sup.id.as_str()),
        "refusals are in it too: {v}"
    );
    let (st, v) = w.get(&w.cm2, &format!("/api/v1/persons/{person}/access-log")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn volunteers_administrators_and_other_organisations_see_nothing() {
    let w = world();
    let person = w.person(&w.cm, json!({ "given_name": "Inés", "alias": "Brisa", "phone": "+52 55 8765 4321" })).await;
    let c = w.case(&w.cm, &person, json!({})).await;
    let case_id = c["id"].as_str().unwrap().to_owned();
    let (st, v) = w
        .post(
            &w.cm,
            &format!("/api/v1/persons/{person}/consents"),
            json!({
                "recipient_name": "Clínica", "fields": ["alias"], "purpose": "Care", "given_as": "written",
                "expires_on": (today() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string()
            }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let consent = v["id"].as_str().unwrap().to_owned();

    let p = format!("/api/v1/persons/{person}");
    let cp = format!("/api/v1/cases/{case_id}");
    let future = (today() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    let consent_body = json!({ "recipient_name": "X", "fields": ["alias"], "purpose": "P", "expires_on": future, "given_as": "written" });
    let refused = |st: StatusCode| st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND;

    for (who, name) in [(&w.vol, "volunteer"), (&w.admin, "administrator"), (&w.other, "other organisation")] {
        let calls: Vec<(StatusCode, Value, &str)> = vec![
            {
                let (s, v) = w.get(who, &p).await;
                (s, v, "GET person")
            },
            {
                let (s, v) = w.patch(who, &p, json!({ "version": 1, "alias": "Z" })).await;
                (s, v, "PATCH person")
            },
            {
                let (s, v) = w.post(who, &format!("{p}/outreach"), json!({ "channel": "sms" })).await;
                (s, v, "outreach")
            },
            {
                let (s, v) = w.get(who, &format!("{p}/consents")).await;
                (s, v, "GET consents")
            },
            {
                let (s, v) = w.post(who, &format!("{p}/consents"), consent_body.clone()).await;
                (s, v, "POST consents")
            },
            {
                let (s, v) = w.post(who, &format!("{p}/consents/{consent}/revoke"), json!({})).await;
                (s, v, "revoke")
            },
            {
                let (s, v) = w.post(who, "/api/v1/cases", json!({ "person_id": person })).await;
                (s, v, "POST case")
            },
            {
                let (s, v) = w.get(who, &cp).await;
                (s, v, "GET case")
            },
            {
                let (s, v) = w.patch(who, &cp, json!({ "version": 1, "restricted": true })).await;
                (s, v, "PATCH case")
            },
        ];
        for (st, v, what) in calls {
            assert!(refused(st), "{name}: {what} gave {st} {v}");
            assert!(v["error"].is_string(), "{name}: {what}: {v}");
        }
    }

    // The other organisation is told "not found", never "forbidden": existence stays secret.
    let (st, v) = w.get(&w.other, &p).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, v) = w.get(&w.other, &cp).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, v) = w.get(&w.other, &format!("{p}/access-log")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, v) = w
        .post(
            &w.other,
            &format!("{cp}/break-glass"),
            json!({ "reason": "I want to see this case please", "password": w.other.password }),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    for q in ["Inés", "Brisa", "+52 55 8765 4321", c["number"].as_str().unwrap()] {
        let (st, v) = w.post(&w.other, "/api/v1/persons/search", json!({ "q": q })).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["items"], json!([]), "another organisation finds nothing for {q}");
    }
    let (st, v) = w.get(&w.other, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["items"], json!([]));
    // Its own records are its own.
    let theirs = w.person(&w.other, json!({ "alias": "Propia" })).await;
    let (st, v) = w.get(&w.cm, &format!("/api/v1/persons/{theirs}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");

    // A volunteer opens no record, searches nothing, has no caseload, breaks no glass, reads no log.
    let (st, v) = w.post(&w.vol, "/api/v1/persons", json!({ "alias": "Nueva" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.vol, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w
        .post(
            &w.vol,
            &format!("{cp}/break-glass"),
            json!({ "reason": "I want to see this case please", "password": w.vol.password }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.vol, &format!("{p}/access-log")).await;
    assert!(refused(st), "{st} {v}");

    // An administrator manages the organisation and reads no survivor record.
    let (st, v) = w.post(&w.admin, "/api/v1/persons", json!({ "alias": "Nueva" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = w.get(&w.admin, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");

    // Nothing they tried changed anything.
    let (_, v) = w.get(&w.cm, &p).await;
    assert_eq!(v["version"], 1);
    assert_eq!(v["alias"], "Brisa");
    let (_, v) = w.get(&w.cm, &cp).await;
    assert_eq!(v["restricted"], false);
    let (_, v) = w.get(&w.cm, &format!("{p}/consents")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["items"][0]["valid"], true, "{v}");
    // Search is a read of records: a role that reads none is refused, like the caseload
    // (checked last, so that the rest of this test runs whatever this says).
    for (who, name) in [(&w.vol, "volunteer"), (&w.admin, "administrator")] {
        let (st, v) = w.post(who, "/api/v1/persons/search", json!({ "q": "Brisa" })).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{name}: {v}");
        assert_eq!(v["items"], Value::Null, "{name}: no results at all: {v}");
    }
}
