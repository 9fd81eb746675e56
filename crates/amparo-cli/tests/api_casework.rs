//! Case work through the API of the real `amparo` binary over real HTTP on loopback: each kind
//! of entry is added and read back exactly as given, changed under a version check, refused
//! with the field at fault or by section; legal relief's restricted numbers come back only
//! through an audited reveal; dates become tasks (a Continued Presence renewal, a consent
//! expiry), overdue first and only for those who may see them; the timeline is in date
//! order; the calendar export names nobody; every write is in the audit log without its text.
//! The scenario runs on SQLite and, when `AMPARO_TEST_POSTGRES_URL` is set, on a fresh
//! PostgreSQL database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";

// Text that must come back exactly, and never reach the audit log or a calendar.
const GOAL_WORDS: &str = "  Quiero un departamento cerca de la escuela de mi hija, ¡con ventana!  ";
const NOTE_WORDS: &str = "Habló de su hija.\nEstá más tranquila; pidió que no llamemos después de las 8.";
const PURPOSE: &str = "Audiencia con el juez Ramírez";
const ALIAS: &str = "Golondrina";
const A_NUMBER: &str = "A-123-456-789";
const RECEIPT: &str = "EAC2190012345";

// The command line, users and their tokens: `support::{cli, api_user}`.
use support::{ApiUser as User, api_user as add_user};

/// `YYYY-MM-DD`, `offset` days from today (the server's clock is the real one).
fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

struct World {
    s: Server,
    http: reqwest::Client,
    backend: &'static str,
    cm: User,
    cm2: User,
    sup: User,
    clin: User,
    hot: User,
    other: User,
}

impl World {
    fn new(dir: &Path, envs: &[(&str, &str)], backend: &'static str) -> World {
        init(dir, envs);
        let s = serve(dir, &[], envs);
        let cm = add_user(dir, envs, ORG, "lucia@esperanza.org", "case_manager");
        let cm2 = add_user(dir, envs, ORG, "marta@esperanza.org", "case_manager");
        let sup = add_user(dir, envs, ORG, "sofia@esperanza.org", "supervisor");
        let clin = add_user(dir, envs, ORG, "carla@esperanza.org", "clinician");
        let hot = add_user(dir, envs, ORG, "hugo@esperanza.org", "hotline");
        cli(
            dir,
            envs,
            &["org", "add", "--name", OTHER_ORG, "--admin-email", "admin@otra.org", "--admin-password-stdin"],
            "otra frase larga para la otra casa\n",
        );
        let other = add_user(dir, envs, OTHER_ORG, "olga@otra.org", "case_manager");
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        World { s, http, backend, cm, cm2, sup, clin, hot, other }
    }

    /// One API call; every answer, error or not, must be JSON.
    async fn call(&self, method: Method, who: &User, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        api_call(&self.http, &self.s, &who.token, method, path, body).await
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

    /// Posts `body`, which must be created; the new thing's id.
    async fn created(&self, who: &User, path: &str, body: Value) -> String {
        let (st, v) = self.post(who, path, body).await;
        assert_eq!(st, StatusCode::CREATED, "{}: {path}: {v}", self.backend);
        v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
    }

    /// A person (alias only) with a case opened by `who` with `team`: (person, case).
    async fn person_with_case(&self, who: &User, alias: &str, team: &[&User]) -> (String, String) {
        let person = self.created(who, "/api/v1/persons", json!({ "alias": alias })).await;
        let team: Vec<&str> = team.iter().map(|u| u.id.as_str()).collect();
        let case = self.created(who, "/api/v1/cases", json!({ "person_id": person, "team": team })).await;
        (person, case)
    }

    /// Due tasks `who` may see (`due_before` a year ahead).
    async fn tasks(&self, who: &User) -> Vec<Value> {
        let (st, v) = self.get(who, &format!("/api/v1/tasks?due_before={}", day(365))).await;
        assert_eq!(st, StatusCode::OK, "{}: {v}", self.backend);
        v["items"].as_array().expect("items").clone()
    }
}

fn kinds(tasks: &[Value]) -> Vec<&str> {
    tasks.iter().map(|t| t["kind"].as_str().unwrap()).collect()
}

fn find<'a>(tasks: &'a [Value], kind: &str, case: &str) -> Option<&'a Value> {
    tasks.iter().find(|t| t["kind"] == kind && t["case_id"] == case)
}

/// The body of each kind of entry, with every field given (defaults too), so that the entry
/// reads back as exactly this.
fn entries(cm: &User) -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "assessments",
            "need_assessment",
            json!({
                "date": day(-20),
                "ratings": { "housing": "vulnerable", "safety": "stable", "mental_health": "not_discussed" },
                "notes": "Duerme mejor desde que está en el refugio."
            }),
        ),
        (
            "goals",
            "goal",
            json!({
                "domain": "housing",
                "text": GOAL_WORDS,
                "chosen_by_survivor": true,
                "language": "es",
                "steps": [{ "text": "Visitar tres departamentos", "who": "Rosa con su asesora" }],
                "responsible": cm.id,
                "target_on": day(30),
                "status": "open"
            }),
        ),
        (
            "services",
            "service",
            json!({
                "category": "accompaniment",
                "date": day(-3),
                "minutes": 90,
                "delivered_by": cm.id,
                "interpreter_used": true,
                "interpreter_language": "nah",
                "notes": "Acompañamiento a la fiscalía."
            }),
        ),
        (
            "appointments",
            "appointment",
            json!({
                "date": day(5),
                "time": "10:30",
                "place": "court",
                "purpose": PURPOSE,
                "category": "accompaniment",
                "accompanied_by": cm.id,
                "reminder_days": 1,
                "status": "scheduled"
            }),
        ),
        ("milestones", "milestone", json!({ "kind": "bank_account", "date": day(-10) })),
        (
            "legal-relief",
            "legal_relief",
            json!({
                "kind": "continued_presence",
                "status": "granted",
                "granted_on": day(-400),
                "expires_on": day(200),
                "notes": "Solicitada por la fiscalía especializada."
            }),
        ),
        (
            "notes",
            "note",
            json!({
                "kind": "contact",
                "text": NOTE_WORDS,
                "language": "es",
                "content_note": true,
                "translation": "She spoke of her daughter.",
                "translation_language": "en",
                "date": day(-1)
            }),
        ),
    ]
}

async fn scenario(dir: &Path, envs: &[(&str, &str)], backend: &'static str) {
    let w = World::new(dir, envs, backend);
    let (person, case) = w.person_with_case(&w.cm, ALIAS, &[&w.cm, &w.clin, &w.hot]).await;
    let (_, case2) = w.person_with_case(&w.cm2, "Colibrí", &[&w.cm2]).await;
    let cases = format!("/api/v1/cases/{case}");

    // ----- each kind of entry: 201 with id and version, read back exactly as given
    let mut ids = std::collections::HashMap::new();
    for (path, kind, body) in entries(&w.cm) {
        let mut sent = body.clone();
        if kind == "legal_relief" {
            sent["receipt_number"] = json!(RECEIPT);
            sent["a_number"] = json!(A_NUMBER);
        }
        let (st, v) = w.post(&w.cm, &format!("{cases}/{path}"), sent).await;
        assert_eq!(st, StatusCode::CREATED, "{backend}: {kind}: {v}");
        assert_eq!(v["version"], 1, "{backend}: {v}");
        let id = v["id"].as_str().expect("id").to_owned();

        let (st, list) = w.get(&w.cm, &format!("{cases}/{path}")).await;
        assert_eq!(st, StatusCode::OK, "{backend}: {list}");
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{backend}: {kind}: {list}");
        let (st, one) = w.get(&w.cm, &format!("/api/v1/entries/{id}")).await;
        assert_eq!(st, StatusCode::OK, "{backend}: {one}");
        assert_eq!(items[0], one, "{backend}: the list and the entry agree");
        assert_eq!(one["kind"], kind);
        assert_eq!((one["case_id"].as_str(), one["person_id"].as_str()), (Some(case.as_str()), Some(person.as_str())));
        assert_eq!(one["version"], 1);
        assert_eq!(one["detail"][kind], body, "{backend}: {kind} reads back as given");
        ids.insert(kind, id);
    }
    let goal = &ids["goal"];
    let relief = &ids["legal_relief"];
    let (_, v) = w.get(&w.cm, &format!("/api/v1/entries/{goal}")).await;
    assert_eq!(v["detail"]["goal"]["text"], GOAL_WORDS, "{backend}: spaces and accents kept");

    // Restricted numbers: named in the entry, given only by the audited reveal.
    let (_, v) = w.get(&w.cm, &format!("/api/v1/entries/{relief}")).await;
    assert_eq!(v["restricted_present"], json!(["receipt_number", "a_number"]), "{backend}: {v}");
    assert!(!v.to_string().contains(A_NUMBER) && !v.to_string().contains(RECEIPT), "{backend}: {v}");
    let (st, v) = w.post(&w.cm, &format!("/api/v1/entries/{relief}/reveal"), json!({})).await;
    assert_eq!((st, v), (StatusCode::OK, json!({ "receipt_number": RECEIPT, "a_number": A_NUMBER })), "{backend}");
    let (st, _) = w.post(&w.cm, &format!("/api/v1/entries/{goal}/reveal"), json!({})).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{backend}: only legal relief has numbers to reveal");

    // ----- unknown codes: 422 with the field
    for (path, body, field) in [
        ("services", json!({ "category": "massage", "date": day(0), "minutes": 30 }), "category"),
        ("goals", json!({ "domain": "happiness", "text": "x", "chosen_by_survivor": true }), "domain"),
        ("milestones", json!({ "kind": "lottery", "date": day(0) }), "kind"),
        ("legal-relief", json!({ "kind": "golden_visa", "status": "filed" }), "kind"),
        ("legal-relief", json!({ "kind": "t_visa", "status": "pending_forever" }), "status"),
        ("notes", json!({ "kind": "gossip", "text": "x" }), "kind"),
        ("appointments", json!({ "date": day(1), "place": "Calle 5 de Mayo 12" }), "place"),
        ("assessments", json!({ "date": day(0), "ratings": { "housing": "great" } }), "ratings"),
    ] {
        let (st, v) = w.post(&w.cm, &format!("{cases}/{path}"), body).await;
        assert_eq!(
            (st, v.clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": "unknown_code", "field": field })),
            "{backend}: {path}"
        );
    }
    let (st, v) = w.post(&w.cm, &format!("{cases}/services"), json!({ "category": "housing", "minutes": 30 })).await;
    assert_eq!((st, v["error"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_body")), "{backend}");
    let (st, v) = w
        .post(&w.cm, &format!("{cases}/services"), json!({ "category": "housing", "date": day(0), "minutes": 2000 }))
        .await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("minutes")), "{backend}");

    // ----- changes: version-checked; members left out stay
    let entry = format!("/api/v1/entries/{goal}");
    let (st, v) = w.patch(&w.cm, &entry, json!({ "version": 1, "status": "changed_by_survivor" })).await;
    assert_eq!((st, v["version"].clone()), (StatusCode::OK, json!(2)), "{backend}: {v}");
    let (_, v) = w.get(&w.cm, &entry).await;
    assert_eq!(v["detail"]["goal"]["status"], "changed_by_survivor");
    assert_eq!(v["detail"]["goal"]["text"], GOAL_WORDS, "{backend}: left out, kept");
    let (st, v) = w.patch(&w.cm, &entry, json!({ "version": 1, "status": "achieved" })).await;
    assert_eq!((st, v), (StatusCode::CONFLICT, json!({ "error": "conflict" })), "{backend}: stale");
    let (st, _) = w.patch(&w.cm, &entry, json!({ "status": "achieved" })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{backend}: no version is as stale as a wrong one");
    let (st, v) = w.patch(&w.cm, &entry, json!({ "version": 2, "domain": "happiness" })).await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("domain")), "{backend}");
    let (st, v) = w.patch(&w.cm, &entry, json!({ "version": 2, "minutes": 5 })).await;
    assert_eq!((st, v["error"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("invalid_body")), "{backend}");
    let (_, v) = w.get(&w.cm, &entry).await;
    assert_eq!(v["version"], 2, "{backend}: refused changes changed nothing");
    // `null` clears an optional member.
    let (st, _) = w.patch(&w.cm, &entry, json!({ "version": 2, "steps": null, "language": null })).await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let (_, v) = w.get(&w.cm, &entry).await;
    assert!(v["detail"]["goal"].get("steps").is_none() && v["detail"]["goal"].get("language").is_none(), "{v}");

    // ----- who may: sections by role, other organisations
    for (who, name, path) in [
        (&w.clin, "clinician", "services"),
        (&w.clin, "clinician", "notes"),
        (&w.hot, "hotline", "legal-relief"),
        (&w.hot, "hotline", "services"),
    ] {
        let body = entries(&w.cm).into_iter().find(|(p, ..)| *p == path).unwrap().2;
        let (st, v) = w.post(who, &format!("{cases}/{path}"), body).await;
        assert_eq!((st, v), (StatusCode::FORBIDDEN, json!({ "error": "forbidden" })), "{backend}: {name} {path}");
        let (st, _) = w.get(who, &format!("{cases}/{path}")).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{backend}: {name} reads no {path}");
    }
    // A refused code is still refused by role first: nothing about the input is judged.
    let (st, _) = w
        .post(&w.clin, &format!("{cases}/services"), json!({ "category": "massage", "date": day(0), "minutes": 1 }))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}");
    let (st, _) = w.post(&w.hot, &format!("/api/v1/entries/{relief}/reveal"), json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}: the hotline reveals nothing");
    let (st, _) =
        w.patch(&w.hot, &format!("/api/v1/entries/{relief}"), json!({ "version": 1, "status": "expired" })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}");
    let (st, _) = w.get(&w.clin, &format!("/api/v1/entries/{}", ids["note"])).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}");

    let goal_body = entries(&w.cm)[1].2.clone();
    for (method, path, body) in [
        (Method::POST, format!("{cases}/goals"), Some(goal_body)),
        (Method::GET, format!("{cases}/goals"), None),
        (Method::GET, format!("/api/v1/entries/{goal}"), None),
        (Method::PATCH, format!("/api/v1/entries/{goal}"), Some(json!({ "version": 3, "status": "paused" }))),
        (Method::POST, format!("/api/v1/entries/{relief}/reveal"), Some(json!({}))),
        (Method::GET, format!("{cases}/timeline"), None),
        (Method::POST, format!("{cases}/tasks"), Some(json!({ "title": "x", "due_on": day(1) }))),
    ] {
        let (st, v) = w.call(method.clone(), &w.other, &path, body).await;
        assert_eq!((st, v), (StatusCode::NOT_FOUND, json!({ "error": "not_found" })), "{backend}: {method} {path}");
    }
    let (st, _) = w.get(&w.cm, "/api/v1/entries/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{backend}");
    let (st, v) = w.get(&w.cm, "/api/v1/entries/not-an-id").await;
    assert_eq!((st, v["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_id")), "{backend}");

    // ----- dates become tasks
    // A Continued Presence expiring in 200 days: a renewal task on its case, before expiry.
    let tasks = w.tasks(&w.cm).await;
    let renewal = find(&tasks, "continued_presence_renewal", &case).unwrap_or_else(|| panic!("{backend}: {tasks:?}"));
    assert_eq!(renewal["person_id"], person.as_str());
    assert_eq!(renewal["source_id"], relief.as_str());
    assert_eq!(renewal["due_on"], day(200 - 120), "{backend}: four months before expiry");
    assert!(renewal["due_on"].as_str() < Some(day(200).as_str()));
    assert_eq!(renewal["overdue"], false);
    // Moving the expiry moves the task; a blank number removes it, the other stays.
    let (st, _) = w
        .patch(
            &w.cm,
            &format!("/api/v1/entries/{relief}"),
            json!({ "version": 1, "expires_on": day(300), "a_number": "" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let tasks = w.tasks(&w.cm).await;
    assert_eq!(find(&tasks, "continued_presence_renewal", &case).unwrap()["due_on"], day(180), "{backend}");
    let (_, v) = w.post(&w.cm, &format!("/api/v1/entries/{relief}/reveal"), json!({})).await;
    assert_eq!(v, json!({ "receipt_number": RECEIPT }), "{backend}");

    // A consent expiring in ten days: asked again four days ago (overdue).
    let consent = w
        .created(
            &w.cm,
            &format!("/api/v1/persons/{person}/consents"),
            json!({
                "recipient_name": "Casa del Migrante", "fields": ["alias"], "purpose": "Albergue",
                "expires_on": day(10), "given_as": "written"
            }),
        )
        .await;
    // Manual tasks: one overdue on our case, one on another case manager's.
    let (st, manual) =
        w.post(&w.cm, &format!("{cases}/tasks"), json!({ "title": "Llamar a la abogada", "due_on": day(-2) })).await;
    assert_eq!(st, StatusCode::CREATED, "{backend}: {manual}");
    assert_eq!((manual["kind"].clone(), manual["title"].clone()), (json!("manual"), json!("Llamar a la abogada")));
    assert_eq!(manual["overdue"], true);
    let manual_id = manual["id"].as_str().unwrap().to_owned();
    let (st, _) = w
        .post(
            &w.cm2,
            &format!("/api/v1/cases/{case2}/tasks"),
            json!({ "title": "Visita", "due_on": day(3), "assigned_to": w.cm2.id }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{backend}");
    let (st, v) = w.post(&w.cm, &format!("{cases}/tasks"), json!({ "title": "  ", "due_on": day(1) })).await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("title")), "{backend}");
    let (st, _) = w.post(&w.clin, &format!("{cases}/tasks"), json!({ "title": "x", "due_on": day(1) })).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}: a clinician writes no case summary");

    let tasks = w.tasks(&w.cm).await;
    let expiry = find(&tasks, "consent_expiry", &case).unwrap_or_else(|| panic!("{backend}: {tasks:?}"));
    assert_eq!((expiry["due_on"].clone(), expiry["overdue"].clone()), (json!(day(-4)), json!(true)));
    assert_eq!(expiry["source_id"], consent.as_str());
    // No `goal_target`: the survivor changed the goal, so its target date asks for nothing.
    assert_eq!(
        kinds(&tasks),
        ["consent_expiry", "manual", "appointment", "continued_presence_renewal"],
        "{backend}: overdue first, then by due day; only the case manager's own and team's"
    );
    let overdue: Vec<bool> = tasks.iter().map(|t| t["overdue"].as_bool().unwrap()).collect();
    assert_eq!(overdue, [true, true, false, false], "{backend}");
    assert!(tasks.iter().all(|t| t["case_id"] == case.as_str()), "{backend}: not the other case manager's");
    let cm2_tasks = w.tasks(&w.cm2).await;
    assert_eq!(kinds(&cm2_tasks), ["manual"], "{backend}");
    assert_eq!(cm2_tasks[0]["case_id"], case2.as_str());
    let sup_tasks = w.tasks(&w.sup).await;
    assert_eq!(sup_tasks.len(), 5, "{backend}: the supervisor sees the organisation's: {sup_tasks:?}");
    assert!(sup_tasks.iter().any(|t| t["case_id"] == case2.as_str()));
    assert!(sup_tasks.iter().any(|t| t["case_id"] == case.as_str() && t["kind"] == "continued_presence_renewal"));
    // The hotline, on the team, sees only the tasks of the sections it reads.
    assert_eq!(kinds(&w.tasks(&w.hot).await), ["consent_expiry", "manual"], "{backend}");
    assert!(w.tasks(&w.other).await.is_empty(), "{backend}");
    // `due_before` narrows; `scope` chooses; a missing day is refused.
    let (_, v) = w.get(&w.cm, &format!("/api/v1/tasks?due_before={}", day(0))).await;
    assert_eq!(kinds(v["items"].as_array().unwrap()), ["consent_expiry", "manual"], "{backend}");
    let (st, v) = w.get(&w.cm2, &format!("/api/v1/tasks?due_before={}&scope=mine", day(30))).await;
    assert_eq!((st, kinds(v["items"].as_array().unwrap())), (StatusCode::OK, vec!["manual"]), "{backend}");
    let (st, v) = w.get(&w.cm, &format!("/api/v1/tasks?due_before={}&scope=everyone", day(30))).await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("scope")), "{backend}");
    let (st, _) = w.get(&w.cm, "/api/v1/tasks").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{backend}");

    // Completing: version-checked, then gone from the list.
    let complete = format!("/api/v1/tasks/{manual_id}/complete");
    let (st, _) = w.post(&w.cm, &complete, json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{backend}: no version");
    let (st, _) = w.post(&w.cm, &complete, json!({ "version": 7 })).await;
    assert_eq!(st, StatusCode::CONFLICT, "{backend}: stale");
    let (st, v) = w.post(&w.other, &complete, json!({ "version": 1 })).await;
    assert_eq!((st, v), (StatusCode::NOT_FOUND, json!({ "error": "not_found" })), "{backend}");
    let (st, v) = w.post(&w.cm, &complete, json!({ "version": 1 })).await;
    assert_eq!(st, StatusCode::OK, "{backend}: {v}");
    assert!(v["done_at"].is_string() && v["version"] == 2, "{backend}: {v}");
    assert!(find(&w.tasks(&w.cm).await, "manual", &case).is_none(), "{backend}");

    // ----- the timeline: date order; filters
    let (st, v) = w.get(&w.cm, &format!("{cases}/timeline")).await;
    assert_eq!(st, StatusCode::OK, "{backend}: {v}");
    let items = v["items"].as_array().unwrap();
    let dates: Vec<&str> = items.iter().map(|i| i["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "{backend}: date order");
    assert_eq!(
        kinds(items),
        ["legal_relief", "need_assessment", "milestone", "service", "note", "case_opened", "goal", "appointment"],
        "{backend}"
    );
    assert_eq!(items[4]["entry"]["detail"]["note"]["text"], NOTE_WORDS);
    let (_, v) = w.get(&w.cm, &format!("{cases}/timeline?kind=note&kind=case")).await;
    assert_eq!(kinds(v["items"].as_array().unwrap()), ["note", "case_opened"], "{backend}");
    let (_, v) = w.get(&w.cm, &format!("{cases}/timeline?kind=goal,milestone")).await;
    assert_eq!(kinds(v["items"].as_array().unwrap()), ["milestone", "goal"], "{backend}");
    let (st, v) = w.get(&w.cm, &format!("{cases}/timeline?kind=gossip")).await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("kind")), "{backend}");
    let (st, _) = w.get(&w.cm, &format!("{cases}/timeline?sort=desc")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{backend}");
    // A clinician on the team sees the case's own events, no entry of a section it may not read.
    let (st, v) = w.get(&w.clin, &format!("{cases}/timeline")).await;
    assert_eq!((st, kinds(v["items"].as_array().unwrap())), (StatusCode::OK, vec!["case_opened"]), "{backend}");

    // ----- the calendar: codes and case numbers only
    let r = w
        .http
        .get(w.s.url(&format!("/api/v1/appointments.ics?from={}&to={}", day(0), day(30))))
        .bearer_auth(&w.cm.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{backend}");
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"), "{backend}");
    let ics = r.text().await.unwrap();
    let (_, c) = w.get(&w.cm, &cases).await;
    let number = c["number"].as_str().unwrap();
    assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"), "{backend}: {ics}");
    assert!(ics.contains(number), "{backend}: the case number names the event: {ics}");
    for secret in [PURPOSE, "Ramírez", "Audiencia", ALIAS, "court", "Court", "Juzgado", "esperanza.org"] {
        assert!(!ics.contains(secret), "{backend}: {secret} in the calendar: {ics}");
    }
    let (st, v) = w.get(&w.cm, &format!("/api/v1/appointments.ics?from={}&to={}", day(0), day(400))).await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("to")), "{backend}");
    let (st, _) = w.get(&w.cm, &format!("/api/v1/appointments.ics?from={}", day(0))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{backend}");

    // ----- the dashboard
    let (st, v) = w.get(&w.cm, "/api/v1/dashboard?no_contact_days=30").await;
    assert_eq!(st, StatusCode::OK, "{backend}: {v}");
    assert_eq!(v["organisation_wide"], false);
    assert_eq!(v["no_contact_days"], 30);
    assert_eq!(v["overdue_tasks"], 1, "{backend}: the consent (the manual task is done): {v}");
    assert_eq!(v["upcoming_appointments"], 1, "{backend}: {v}");
    assert_eq!(v["next_appointments"][0]["case_id"], case.as_str());
    assert!(v["next_appointments"][0].get("purpose").is_none(), "{backend}");
    let (st, v) = w.get(&w.sup, "/api/v1/dashboard").await;
    assert_eq!((st, v["organisation_wide"].clone()), (StatusCode::OK, json!(true)), "{backend}: {v}");
    assert_eq!(v["no_contact_days"], 30, "{backend}: the default");
    let (st, v) = w.get(&w.cm, "/api/v1/dashboard?no_contact_days=0").await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("no_contact_days")), "{backend}");
    let (st, _) = w.get(&w.cm, "/api/v1/dashboard?no_contact_days=4000000000").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: no date arithmetic on a huge number");
    let (st, _) = w.get(&w.clin, "/api/v1/dashboard").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}");

    // ----- the audit log: every write, with ids and codes, never the text
    let (st, v) = w.get(&w.cm, &format!("/api/v1/persons/{person}/access-log")).await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let log = v["items"].as_array().unwrap();
    let count = |code: &str, outcome: &str| log.iter().filter(|e| e["code"] == code && e["outcome"] == outcome).count();
    for kind in ["need_assessment", "service", "appointment", "milestone", "note"] {
        assert_eq!(count(&format!("{kind}.create"), "ok"), 1, "{backend}: {kind}");
    }
    assert_eq!(count("goal.create", "ok"), 1, "{backend}");
    assert_eq!(count("goal.update", "ok"), 2, "{backend}");
    assert_eq!(count("legal_relief.create", "ok"), 1, "{backend}");
    assert_eq!(count("legal_relief.update", "ok"), 1, "{backend}");
    assert_eq!(count("legal_relief.reveal", "ok"), 2, "{backend}");
    assert_eq!(count("task.create", "ok"), 1, "{backend}");
    assert_eq!(count("task.complete", "ok"), 1, "{backend}");
    assert_eq!(count("consent.create", "ok"), 1, "{backend}");
    assert!(count("service.create", "denied") >= 2 && count("note.create", "denied") >= 1, "{backend}");
    assert!(count("legal_relief.create", "denied") >= 1 && count("legal_relief.reveal", "denied") >= 1, "{backend}");
    assert!(log.iter().filter(|e| e["code"] == "goal.create").all(|e| e["channel"] == "api"), "{backend}");
    let text = v.to_string();
    for secret in ["departamento", "tranquila", PURPOSE, A_NUMBER, RECEIPT, "Llamar a la abogada", "fiscalía"] {
        assert!(!text.contains(secret), "{backend}: {secret} in the audit log");
    }
    let said = cli(dir, envs, &["audit", "verify"], "");
    assert!(said.starts_with("audit chain intact"), "{backend}: {said}");
    for line in w.s.printed() {
        assert!(!line.contains("departamento") && !line.contains(A_NUMBER), "{backend}: {line}");
    }
}

#[tokio::test]
async fn case_work_through_the_api_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    scenario(&tmp.path().join("data"), &[], "sqlite").await;
}

#[tokio::test]
async fn case_work_through_the_api_on_postgres() {
    let Ok(base) = std::env::var("AMPARO_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let db = format!("amparo_casework_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();
    let (head, tail) = base.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    let url = format!("{head}/{db}{query}");
    let envs = [("AMPARO_DATABASE_URL", url.as_str())];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    scenario(&dir, &envs, "postgres").await;
    assert!(!dir.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
    let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&admin).await;
}
