//! Screenings through the real `amparo` binary over real HTTP on loopback. The API contract:
//! the instruments in either language, a screening scored exactly (bands, flags, PCL-5
//! clusters and rules), 422s naming the item, access by role, the alert task on the case
//! manager's and the supervisors' dashboards until the follow-up is recorded (only the
//! supervisors' before a case), the list with trends, the OpenAPI document. The pages, in
//! Spanish and English, without JavaScript: the form round trip with a missing answer, the
//! result with what to do next, the indicator screen's hotlines, the trend chart and its
//! table, the dashboard alert. The API scenario runs on SQLite and, when
//! `AMPARO_TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";

struct Api {
    s: Server,
    http: reqwest::Client,
    backend: &'static str,
}

impl Api {
    async fn call(&self, method: Method, who: &ApiUser, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        api_call(&self.http, &self.s, &who.token, method, path, body).await
    }
    async fn get(&self, who: &ApiUser, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, who, path, None).await
    }
    async fn post(&self, who: &ApiUser, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, who, path, Some(body)).await
    }
    async fn created(&self, who: &ApiUser, path: &str, body: Value) -> Value {
        let (st, v) = self.post(who, path, body).await;
        assert_eq!(st, StatusCode::CREATED, "{}: {path}: {v}", self.backend);
        v
    }
    async fn alerts(&self, who: &ApiUser) -> Vec<Value> {
        let (st, d) = self.get(who, "/api/v1/dashboard").await;
        assert_eq!(st, StatusCode::OK, "{}: {d}", self.backend);
        d["alerts"].as_array().unwrap_or_else(|| panic!("no alerts in {d}")).clone()
    }
}

fn screen(instrument: &str, answers: &[i64]) -> Value {
    json!({ "instrument": instrument, "answers": answers })
}

async fn api_scenario(dir: &Path, envs: &[(&str, &str)], backend: &'static str) {
    init(dir, envs);
    let s = serve(dir, &[], envs);
    let cm = api_user(dir, envs, ORG, "lucia@esperanza.org", "case_manager");
    let cm2 = api_user(dir, envs, ORG, "marta@esperanza.org", "case_manager");
    let sup = api_user(dir, envs, ORG, "sofia@esperanza.org", "supervisor");
    let clin = api_user(dir, envs, ORG, "carla@esperanza.org", "clinician");
    let hot = api_user(dir, envs, ORG, "hugo@esperanza.org", "hotline");
    cli(
        dir,
        envs,
        &["org", "add", "--name", OTHER_ORG, "--admin-email", "admin@otra.org", "--admin-password-stdin"],
        "otra frase larga para la otra casa\n",
    );
    let other = api_user(dir, envs, OTHER_ORG, "olga@otra.org", "supervisor");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let a = Api { s, http, backend };
    let b = backend;

    // The instruments, in either language.
    let (st, list) = a.get(&cm, "/api/v1/instruments").await;
    assert_eq!(st, StatusCode::OK, "{b}: {list}");
    let ids: Vec<&str> = list["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["phq9", "gad7", "pcl5", "trafficking_indicators"], "{b}");
    let (st, es) = a.get(&cm, "/api/v1/instruments/phq9?lang=es").await;
    assert_eq!(st, StatusCode::OK, "{b}: {es}");
    assert_eq!(es["items"].as_array().unwrap().len(), 9);
    assert_eq!(es["items"][0]["text"], "Poco interés o placer en hacer cosas");
    assert_eq!(es["items"][0]["options"][0]["label"], "Ningún día");
    assert_eq!(es["extra"]["code"], "difficulty");
    assert!(es["attribution"].as_str().unwrap().contains("Pfizer"), "{b}");
    assert!(es["time_frame"].as_str().unwrap().starts_with("Durante las últimas 2 semanas"));
    let (_, en) = a.get(&cm, "/api/v1/instruments/phq9?lang=en").await;
    assert_eq!(en["items"][8]["text"], "Thoughts that you would be better off dead or of hurting yourself in some way");
    let (_, pcl) = a.get(&cm, "/api/v1/instruments/pcl5?lang=en").await;
    assert_eq!(pcl["items"].as_array().unwrap().len(), 20);
    assert_eq!(pcl["rules"][0]["require"], json!({ "B": 1, "C": 1, "D": 2, "E": 2 }));
    assert_eq!(a.get(&cm, "/api/v1/instruments/phq9?lang=fr").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.get(&cm, "/api/v1/instruments/beck").await.0, StatusCode::NOT_FOUND);

    // A person with a case (the case manager and the clinician on its team), and one without.
    let p =
        a.created(&cm, "/api/v1/persons", json!({ "alias": "Golondrina" })).await["id"].as_str().unwrap().to_owned();
    let case = a.created(&cm, "/api/v1/cases", json!({ "person_id": p, "team": [cm.id, clin.id] })).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lone =
        a.created(&cm, "/api/v1/persons", json!({ "alias": "Colibrí" })).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/persons/{p}/screenings");

    // Scored exactly.
    let mild = a
        .created(&cm, &path, json!({ "instrument": "phq9", "answers": [1, 1, 1, 1, 1, 0, 0, 0, 0], "difficulty": 1 }))
        .await;
    assert_eq!((mild["total"].as_u64(), mild["band"].as_str()), (Some(5), Some("mild")), "{b}: {mild}");
    assert_eq!(mild["flags"], json!([]));
    assert!(mild.get("clusters").is_none() && mild["alert_task_id"].is_null(), "{b}: {mild}");
    let severe = a.created(&cm, &path, screen("gad7", &[3; 7])).await;
    assert_eq!((severe["total"].as_u64(), severe["band"].as_str()), (Some(21), Some("severe")));
    let mut pcl = vec![0; 20];
    for item in [1, 6, 8, 9, 15, 16] {
        pcl[item - 1] = 2;
    }
    let ptsd = a.created(&clin, &path, screen("pcl5", &pcl)).await;
    assert_eq!(ptsd["total"], 12, "{b}: {ptsd}");
    assert_eq!(ptsd["clusters"], json!({ "B": 2, "C": 2, "D": 4, "E": 4 }));
    assert_eq!((ptsd["probable_ptsd"].as_bool(), ptsd["provisional_ptsd"].as_bool()), (Some(false), Some(true)));
    assert!(ptsd["band"].is_null(), "{b}: {ptsd}");
    let mut indicators = vec![0; 15];
    indicators[8] = 1;
    let t = a.created(&cm, &path, screen("trafficking_indicators", &indicators)).await;
    assert_eq!((t["flags"].clone(), t["band"].clone()), (json!(["indicators_present"]), Value::Null), "{b}: {t}");

    // Refusals name the item; nothing is stored.
    let (st, e) = a.post(&cm, &path, screen("phq9", &[0; 8])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {e}");
    assert_eq!((e["error"].as_str(), e["field"].as_str()), (Some("screening_answer_count"), Some("answers")));
    assert!(e["message"].as_str().unwrap().contains("9 scored items"), "{b}: {e}");
    let (st, e) = a.post(&cm, &path, screen("phq9", &[0, 0, 4, 0, 0, 0, 0, 0, 0])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {e}");
    assert_eq!(e["error"], "screening_answer_out_of_range");
    assert_eq!((e["field"].as_str(), e["item"].as_u64()), (Some("answers.3"), Some(3)), "{b}: {e}");
    assert!(e["message"].as_str().unwrap().contains("item 3"), "{b}: {e}");
    let (st, e) = a.post(&cm, &path, screen("pcl5", &[-1; 20])).await;
    assert_eq!((st, e["item"].as_u64()), (StatusCode::UNPROCESSABLE_ENTITY, Some(1)), "{b}: {e}");
    let (st, e) = a.post(&cm, &path, json!({ "instrument": "phq9", "answers": vec![0; 9], "difficulty": 9 })).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("difficulty")), "{b}: {e}");
    let (st, e) = a.post(&cm, &path, json!({ "instrument": "phq9", "answers": vec!["2"; 9] })).await;
    assert_eq!((st, e["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_body")), "{b}");
    let (st, e) = a.post(&cm, &path, screen("beck", &[0; 9])).await;
    assert_eq!((st, e["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("screening_unknown_instrument")));

    // Who may: the hotline worker is on the team but has no screening section; another
    // organisation's supervisor does not even learn the person exists.
    assert_eq!(a.post(&hot, &path, screen("phq9", &[0; 9])).await.0, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(a.get(&hot, &path).await.0, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(a.get(&other, &path).await.0, StatusCode::NOT_FOUND, "{b}");
    assert_eq!(a.post(&other, &path, screen("phq9", &[0; 9])).await.0, StatusCode::NOT_FOUND, "{b}");
    let (st, seen) = a.get(&clin, &path).await;
    assert_eq!((st, seen["items"].as_array().unwrap().len()), (StatusCode::OK, 4), "{b}: {seen}");
    assert_eq!(a.get(&clin, &format!("/api/v1/cases/{case}/notes")).await.0, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(a.get(&clin, &format!("/api/v1/cases/{case}/legal-relief")).await.0, StatusCode::FORBIDDEN, "{b}");
    let (st, one) = a.get(&clin, &format!("/api/v1/screenings/{}", mild["id"].as_str().unwrap())).await;
    assert_eq!(
        (st, one["answers"].clone(), one["difficulty"].clone()),
        (StatusCode::OK, json!([1, 1, 1, 1, 1, 0, 0, 0, 0]), json!(1))
    );

    // A critical answer: an urgent task on the case manager's and the supervisors' dashboards.
    assert!(a.alerts(&cm).await.is_empty() && a.alerts(&sup).await.is_empty(), "{b}");
    let risk = a.created(&clin, &path, screen("phq9", &[0, 0, 0, 0, 0, 0, 0, 0, 1])).await;
    assert_eq!(risk["flags"], json!(["suicide_risk"]), "{b}: {risk}");
    assert_eq!((risk["total"].as_u64(), risk["band"].as_str()), (Some(1), Some("minimal")));
    let task = risk["alert_task_id"].as_str().unwrap().to_owned();
    for who in [&cm, &sup] {
        let alerts = a.alerts(who).await;
        assert_eq!(alerts.len(), 1, "{b}: {alerts:?}");
        assert_eq!(alerts[0]["id"], task.as_str());
        assert_eq!(alerts[0]["kind"], "screening_alert");
        assert_eq!(alerts[0]["source_id"], risk["id"]);
        assert_eq!(alerts[0]["case_id"], case.as_str());
        assert_eq!(alerts[0]["due_on"], chrono::Utc::now().date_naive().to_string());
    }
    assert!(a.alerts(&cm2).await.is_empty(), "{b}: not on the case");
    // Before any case: the supervisors only.
    let lone_risk = a
        .created(&cm, &format!("/api/v1/persons/{lone}/screenings"), screen("phq9", &[3, 3, 0, 0, 0, 0, 0, 0, 3]))
        .await;
    assert_eq!(a.alerts(&sup).await.len(), 2, "{b}");
    assert_eq!(a.alerts(&cm).await.len(), 1, "{b}: the case manager has no case with that person");
    assert!(lone_risk["alert_task_id"].is_string());
    // Until someone records the follow-up.
    let version = a.alerts(&cm).await[0]["version"].clone();
    let (st, done) = a.post(&cm, &format!("/api/v1/tasks/{task}/complete"), json!({ "version": version })).await;
    assert_eq!(st, StatusCode::OK, "{b}: {done}");
    assert!(a.alerts(&cm).await.is_empty(), "{b}");
    let left: Vec<Value> = a.alerts(&sup).await;
    assert_eq!(left.len(), 1, "{b}");
    assert_eq!(left[0]["source_id"], lone_risk["id"]);

    // The list with trends, oldest first.
    let (_, all) = a.get(&cm, &path).await;
    let phq: Vec<&Value> = all["trends"].as_array().unwrap().iter().filter(|t| t["instrument"] == "phq9").collect();
    let totals: Vec<u64> = phq[0]["points"].as_array().unwrap().iter().map(|p| p["total"].as_u64().unwrap()).collect();
    assert_eq!(totals, [5, 1], "{b}: {all}");
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    assert!(all["items"][0].get("answers").is_none(), "{b}: lists carry no answers");

    // The case's timeline carries them as coded results, no answers.
    let (st, timeline) = a.get(&cm, &format!("/api/v1/cases/{case}/timeline?kind=screening")).await;
    assert_eq!(st, StatusCode::OK, "{b}: {timeline}");
    let items = timeline["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.iter().all(|i| i["kind"] == "screening"), "{b}: {timeline}");
    assert!(items.iter().all(|i| i["screening"]["total"].is_number() && i["screening"].get("answers").is_none()));

    // Described in the OpenAPI document.
    let doc = a.http.get(a.s.url("/api/openapi.json")).bearer_auth(&cm.token).send().await.unwrap();
    let doc: Value = doc.json().await.unwrap();
    for p in [
        "/api/v1/instruments",
        "/api/v1/instruments/{id}",
        "/api/v1/persons/{id}/screenings",
        "/api/v1/screenings/{id}",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{b}: {p} not in the OpenAPI document");
    }
    assert!(doc["paths"]["/api/v1/persons/{id}/screenings"].get("post").is_some());
}

#[tokio::test]
async fn screenings_through_the_api_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    api_scenario(&tmp.path().join("data"), &[], "sqlite").await;
}

#[tokio::test]
async fn screenings_through_the_api_on_postgres() {
    let Some((url, drop)) = fresh_postgres("amparo_screenings").await else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    api_scenario(&dir, &[("AMPARO_DATABASE_URL", url.as_str())], "postgres").await;
    assert!(!dir.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
    drop().await;
}

// ---------------------------------------------------------------------------------------------
// Pages

struct Words {
    lang: &'static str,
    item_1: &'static str,
    missing: &'static str,
    question: &'static str,
    mild: &'static str,
    suicide_flag: &'static str,
    total_line: &'static str,
    indicators: &'static str,
    section: &'static str,
    on_timeline: &'static str,
}

const ES: Words = Words {
    lang: "es",
    item_1: "1. Poco interés o placer en hacer cosas",
    missing: "Por favor elija una respuesta para esta pregunta.",
    question: "Pregunta",
    mild: "Resultado: Leve",
    suicide_flag: "Reporta pensamientos de muerte o de lastimarse (pregunta 9)",
    total_line: "Total: 9 de 27",
    indicators: "Hay indicadores presentes: ofrezca una conversación en privado y una canalización",
    section: "Aislamiento",
    on_timeline: "Prueba de detección",
};

const EN: Words = Words {
    lang: "en",
    item_1: "1. Little interest or pleasure in doing things",
    missing: "Please choose an answer for this question.",
    question: "Question",
    mild: "Result: Mild",
    suicide_flag: "Thoughts of death or self-harm reported (item 9)",
    total_line: "Total: 9 of 27",
    indicators: "Indicators present — offer a private conversation and a referral",
    section: "Isolation",
    on_timeline: "Screening",
};

async fn page_scenario(s: &Server, w: &Words) {
    let l = w.lang;
    let cm =
        sign_in(s, &format!("cm-{l}@esperanza.org"), "first password one", "the river runs slowly past stones").await;
    let (_, intake) = get(&cm, s, "/intake").await;
    let r = post(&cm, s, "/intake", &intake, &[("alias", "Xóchitl"), ("primary_language", l)]).await;
    let person = id_in(&location(&r), "/persons/");
    let (_, page) = get(&cm, s, &format!("/persons/{person}")).await;
    let r = post(&cm, s, &format!("/persons/{person}/cases"), &page, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{l}");
    let (_, page) = get(&cm, s, &format!("/persons/{person}")).await;
    assert!(page.contains("id=\"screenings-section\"") && page.contains("id=\"run-phq9\""), "{l}: {page}");

    // The form: fieldsets with legends, radios, the instrument's words in the page's language.
    let form_path = format!("/persons/{person}/screenings/new/phq9");
    let (code, form) = get(&cm, s, &form_path).await;
    assert_eq!(code, StatusCode::OK, "{l}: {form}");
    assert!(form.contains(&format!("<html lang=\"{l}\">")));
    assert!(form.contains(&format!("<legend>{}</legend>", w.item_1)), "{l}: {form}");
    assert_eq!(form.matches("type=\"radio\"").count(), 9 * 4 + 4, "{l}: nine items and the difficulty question");
    assert!(form.contains("phqscreeners.com") && form.contains("Pfizer"), "{l}: licence and attribution shown");
    assert!(!form.contains("<script"), "{l}");

    // A missing answer: the form comes back with what was chosen and the message at the item.
    let mut fields: Vec<(String, String)> = vec![("instrument".into(), "phq9".into())];
    for (i, v) in [2, 2, 1, 1, 1, 1, 0, 0].iter().enumerate() {
        fields.push((format!("item_{}", i + 1), v.to_string()));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post(&cm, s, &format!("/persons/{person}/screenings"), &form, &pairs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{l}");
    let back = r.text().await.unwrap();
    let at_item = between(&back, "<p class=\"field-error\" id=\"item_9-error\">", "</p>");
    assert_eq!(at_item, format!("{} 9: {}", w.question, w.missing), "{l}");
    assert!(back.contains("href=\"#item_9\""), "{l}: the error summary links to the item");
    assert!(back.contains("id=\"item_1-2\" name=\"item_1\" value=\"2\" checked"), "{l}: the choices are kept");
    assert!(back.contains("id=\"item_7\" name=\"item_7\" value=\"0\" checked"), "{l}");
    assert_eq!(back.matches("\" checked").count(), 8, "{l}");

    // Complete: the result in words, the flag, what to do next, the follow-up.
    let mut pairs = pairs.clone();
    pairs.push(("item_9", "1"));
    pairs.push(("difficulty", "2"));
    let r = post(&cm, s, &format!("/persons/{person}/screenings"), &back, &pairs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{l}: {}", r.text().await.unwrap());
    let result_path = location(&r);
    let (code, result) = get(&cm, s, &result_path).await;
    assert_eq!(code, StatusCode::OK);
    for want in [w.total_line, w.mild, w.suicide_flag] {
        assert!(result.contains(want), "{l}: {want} not in {result}");
    }
    assert!(result.contains("id=\"follow-up-submit\"") && result.contains("id=\"alert-sent\""), "{l}");

    // On the dashboard, at the top, until the follow-up is recorded.
    let (_, dash) = get(&cm, s, "/dashboard").await;
    let alerts_at = dash.find("id=\"screening-alerts-section\"").unwrap_or_else(|| panic!("{l}: no alerts: {dash}"));
    assert!(alerts_at < dash.find("id=\"dashboard-counts\"").unwrap(), "{l}: alerts come first");
    let r = post(&cm, s, &format!("{result_path}/follow-up"), &result, &[]).await;
    assert_eq!(location(&r), format!("{result_path}?done=followed_up"), "{l}");
    let (_, result) = get(&cm, s, &location(&r)).await;
    assert!(result.contains("id=\"alert-done\"") && !result.contains("id=\"follow-up-submit\""), "{l}");
    let (_, dash) = get(&cm, s, "/dashboard").await;
    assert!(!dash.contains("id=\"screening-alerts-section\""), "{l}");

    // The indicator screen: sections, the non-diagnostic result, the hotlines.
    let (_, form) = get(&cm, s, &format!("/persons/{person}/screenings/new/trafficking_indicators")).await;
    assert!(form.contains(&format!("<h2 class=\"screening-section\">{}</h2>", w.section)), "{l}");
    let mut pairs: Vec<(String, String)> = vec![("instrument".into(), "trafficking_indicators".into())];
    for i in 1..=15 {
        pairs.push((format!("item_{i}"), if i == 10 { "1" } else { "0" }.into()));
    }
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post(&cm, s, &format!("/persons/{person}/screenings"), &form, &pairs).await;
    let (_, result) = get(&cm, s, &location(&r)).await;
    assert!(result.contains(w.indicators), "{l}: {result}");
    assert!(result.contains("1-888-373-7888") && result.contains("800 5533 000"), "{l}: hotlines");

    // Trends: an accessible SVG chart with a table of the same numbers.
    let (_, list) = get(&cm, s, &format!("/persons/{person}/screenings")).await;
    assert!(
        list.contains("role=\"img\"") && list.contains("aria-labelledby=\"chart-phq9-title chart-phq9-desc\""),
        "{l}"
    );
    assert!(list.contains("<title id=\"chart-phq9-title\">") && list.contains("<desc id=\"chart-phq9-desc\">"));
    let table = between(&list, "id=\"trend-table-phq9\"", "</table>");
    assert!(table.contains("<td>9</td>"), "{l}: {table}");
    assert!(!list.contains("<script"), "{l}");

    // The case's timeline shows them, coded, in the reader's language.
    let (_, page) = get(&cm, s, &format!("/persons/{person}")).await;
    let case = page
        .split("href=\"/cases/")
        .skip(1)
        .map(|rest| rest.split(['"', '/', '?', '#']).next().unwrap_or_default())
        .find(|id| id.len() == 36)
        .unwrap_or_else(|| panic!("{l}: no case link"))
        .to_owned();
    let (code, timeline) = get(&cm, s, &format!("/cases/{case}/timeline?kind=screening")).await;
    assert_eq!(code, StatusCode::OK, "{l}");
    assert!(timeline.contains(w.on_timeline) && timeline.contains("PHQ-9"), "{l}: {timeline}");
    let band = w.mild.rsplit(": ").next().unwrap_or_default();
    assert!(timeline.contains(&format!("<dd>{band}</dd>")), "{l}: the band in words: {timeline}");
}

#[tokio::test]
async fn screening_pages_work_without_javascript_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    for l in ["es", "en"] {
        cli(
            &dir,
            &[],
            &[
                "user",
                "add",
                "--email",
                &format!("cm-{l}@esperanza.org"),
                "--name",
                "Gestora",
                "--role",
                "case_manager",
                "--language",
                l,
                "--password-stdin",
            ],
            "first password one\n",
        );
    }
    let s = serve(&dir, &[], &[]);
    for w in [&ES, &EN] {
        page_scenario(&s, w).await;
    }
}
