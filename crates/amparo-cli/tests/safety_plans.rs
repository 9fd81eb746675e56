//! Safety plans and the crisis log of the real `amparo` binary over real HTTP on loopback:
//! the API (versions, the PDF in the survivor's language read back as text, the agency's
//! name only when chosen, who may do what, the crisis log) and the pages in Spanish and in
//! English without JavaScript (the form keeps what was typed on an error, the history, the
//! printable page, the crisis log).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::StatusCode;
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";

/// What the survivor said, with markup-looking text that must come out exactly as typed.
const WARNING: &str = r#"Cuando él llega tarde #panic("x") *bold* $x$ ] "comillas""#;
const SAFE_PLACE: &str = "La casa de mi tía Rosa";

struct Api {
    s: Server,
    http: reqwest::Client,
}

impl Api {
    async fn call(&self, method: reqwest::Method, token: &str, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self.http.request(method, self.s.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request")
    }
    async fn json(&self, method: reqwest::Method, token: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let r = self.call(method, token, path, body).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status} not JSON: {text:?}")))
    }
    async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.json(reqwest::Method::POST, token, path, Some(body)).await
    }
    async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.json(reqwest::Method::GET, token, path, None).await
    }
    /// The PDF's text as a reader gets it (whitespace folded).
    async fn pdf_text(&self, token: &str, path: &str) -> String {
        let r = self.call(reqwest::Method::GET, token, path, None).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"plan.pdf\"");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&bytes).expect("text out of the PDF");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[tokio::test]
async fn the_api_saves_versions_and_prints_the_plan_in_the_survivors_language() {
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
    let pw = "una frase larga para el personal";
    add_staff(&dir, ORG, "lucia@esperanza.org", "case_manager", "en", pw);
    let shelter_id = add_staff(&dir, ORG, "sara@esperanza.org", "shelter_staff", "es", pw);
    let clinician_id = add_staff(&dir, ORG, "carla@esperanza.org", "clinician", "es", pw);
    add_staff(&dir, OTHER_ORG, "olga@otra.org", "supervisor", "es", pw);
    let cm = api_token(&dir, ORG, "lucia@esperanza.org");
    let shelter = api_token(&dir, ORG, "sara@esperanza.org");
    let clinician = api_token(&dir, ORG, "carla@esperanza.org");
    let other = api_token(&dir, OTHER_ORG, "olga@otra.org");
    let w = Api { s: serve(&dir, &[], &[]), http: reqwest::Client::new() };

    let (st, v) = w.post(&cm, "/api/v1/persons", json!({ "alias": "Golondrina" })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let person = v["id"].as_str().unwrap().to_owned();
    let (st, v) =
        w.post(&cm, "/api/v1/cases", json!({ "person_id": person, "team": [shelter_id, clinician_id] })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let plans = format!("/api/v1/persons/{person}/safety-plans");

    // The plan in Spanish, written by an English-speaking case manager.
    let plan = json!({
        "language": "es",
        "warning_signs": WARNING,
        "safe_places": SAFE_PLACE,
        "take_with": "Pasaporte\nMedicinas",
    });
    let (st, v) = w.post(&cm, &plans, plan.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert!(v["id"].is_string() && v["version"] == 1, "{v}");

    let text = w.pdf_text(&cm, &format!("{plans}/latest/pdf")).await;
    for spanish in [
        "Mi plan personal",
        "Versión 1",
        "Señales de alerta",
        "Lugares seguros",
        "Qué llevar",
        "Líneas de ayuda gratuitas",
        "800 5533 000",
        "1-888-373-7888",
        "Guarde este papel en un lugar seguro.",
        WARNING,
        SAFE_PLACE,
        "Pasaporte",
        "Medicinas",
    ] {
        assert!(text.contains(spanish), "{spanish:?} missing from {text:?}");
    }
    for english in ["My personal plan", "Warning signs", "Safe places", "What to take", "help lines", "Version"] {
        assert!(!text.contains(english), "{english:?} in a Spanish plan: {text:?}");
    }
    // Parts left blank are not printed, and no agency name without the survivor's word.
    assert!(!text.contains("Personas de confianza"), "{text}");
    assert!(!text.contains(ORG) && !text.contains("Esperanza"), "agency name printed by default: {text}");

    // A second version, in English, with the agency's name: both appear, the first is kept.
    let (st, v) = w
        .post(
            &shelter,
            &plans,
            json!({ "language": "en", "show_agency_name": true, "base_version": 1, "safe_people": "My sister" }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["version"], 2);
    let text = w.pdf_text(&shelter, &format!("{plans}/latest/pdf")).await;
    assert!(text.contains(ORG), "the agency's name when chosen: {text}");
    assert!(text.contains("My personal plan") && text.contains("Safe people") && text.contains("My sister"));
    assert!(!text.contains("Señales de alerta") && !text.contains("Mi plan personal"), "{text}");

    let (st, v) = w.get(&cm, &format!("{plans}/latest")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!((v["version"].as_i64(), v["language"].as_str()), (Some(2), Some("en")), "{v}");
    assert_eq!(v["safe_people"], "My sister");
    assert!(v["warning_signs"].is_null() && v["latest"] == true && v["safe_contact"].is_array(), "{v}");
    let (st, v) = w.get(&cm, &format!("{plans}/1")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!((v["warning_signs"].as_str(), v["latest"].as_bool()), (Some(WARNING), Some(false)), "{v}");
    let (st, v) = w.get(&cm, &plans).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let versions: Vec<i64> = v["items"].as_array().unwrap().iter().map(|i| i["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, vec![2, 1], "{v}");
    assert_eq!(v["items"][0]["created_by"], shelter_id.as_str());
    assert!(v["items"][1]["warning_signs"].is_null(), "the history carries no text: {v}");

    // Refusals, each with its code.
    let (st, v) = w.post(&cm, &plans, json!({ "language": "fr" })).await;
    assert_eq!(
        (st, v["error"].as_str(), v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_language"), Some("language"))
    );
    let (st, v) = w.post(&cm, &plans, json!({ "language": "es", "favourite_colour": "red" })).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_body")), "{v}");
    let (st, v) = w.post(&cm, &plans, json!({ "language": "es", "take_with": "a".repeat(20_001) })).await;
    assert_eq!(
        (st, v["error"].as_str(), v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text_too_long"), Some("take_with"))
    );
    let (st, v) = w.post(&cm, &plans, json!({ "language": "es", "base_version": 1 })).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{v}");
    let (st, v) = w.get(&clinician, &format!("{plans}/latest")).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "a clinician: {v}");
    let r = w.call(reqwest::Method::GET, &clinician, &format!("{plans}/latest/pdf"), None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (st, _) = w.post(&clinician, &plans, plan.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = w.get(&other, &format!("{plans}/latest")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "another organisation");
    let (st, _) = w.get(&cm, &format!("{plans}/9")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, v) = w.get(&cm, &format!("{plans}/nine")).await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_id")), "{v}");
    let (st, _) = w.get(&cm, &format!("/api/v1/persons/{}/safety-plans/latest", uuid::Uuid::new_v4())).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = w.get(&cm, &plans).await;
    assert_eq!(st, StatusCode::OK, "refusals saved nothing");

    // The crisis log: a contact with its follow-up task.
    let crisis = format!("/api/v1/persons/{person}/crisis-contacts");
    let (st, v) = w
        .post(
            &shelter,
            &crisis,
            json!({
                "occurred_at": "2026-01-10T22:15:00Z",
                "what_happened": "Llamó con miedo",
                "actions_taken": "Revisamos el plan",
                "referrals_made": "Refugio temporal"
            }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert!(v["follow_up_task"].is_string() && v["occurred_at"] == "2026-01-10T22:15:00Z", "{v}");
    let (st, v) = w.get(&cm, &crisis).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["items"][0]["what_happened"], "Llamó con miedo");
    let (st, v) = w.post(&shelter, &crisis, json!({ "what_happened": "  " })).await;
    assert_eq!(
        (st, v["error"].as_str(), v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text_required"), Some("what_happened"))
    );
    let (st, _) = w.get(&clinician, &crisis).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Every route is in the OpenAPI document.
    let (st, doc) = w.get(&cm, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    for path in [
        "/api/v1/persons/{id}/safety-plans",
        "/api/v1/persons/{id}/safety-plans/latest",
        "/api/v1/persons/{id}/safety-plans/latest/pdf",
        "/api/v1/persons/{id}/safety-plans/{version}",
        "/api/v1/persons/{id}/crisis-contacts",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} not described");
    }
    // The server printed nothing of what was written.
    let printed = w.s.printed().join("\n");
    assert!(!printed.contains("Rosa") && !printed.contains("miedo"), "{printed}");
}

/// The words each language's pages use where the test looks for them.
struct Words {
    lang: &'static str,
    section: &'static str,
    write: &'static str,
    too_long: &'static str,
    saved: &'static str,
    warning_label: &'static str,
    print_title: &'static str,
    crisis_logged: &'static str,
    what_required: &'static str,
}

const ES: Words = Words {
    lang: "es",
    section: "Plan de seguridad",
    write: "Escribir un plan de seguridad",
    too_long: "demasiado largo",
    saved: "El plan de seguridad se guardó como una nueva versión",
    warning_label: "Señales de alerta",
    print_title: "Mi plan personal",
    crisis_logged: "Se registró el contacto de crisis",
    what_required: "Por favor escriba algo aquí",
};

const EN: Words = Words {
    lang: "en",
    section: "Safety plan",
    write: "Write a safety plan",
    too_long: "too long",
    saved: "The safety plan was saved as a new version",
    warning_label: "Warning signs",
    print_title: "My personal plan",
    crisis_logged: "The crisis contact was logged",
    what_required: "Please write something here",
};

#[tokio::test]
async fn safety_plan_pages_work_without_javascript_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    for w in [&ES, &EN] {
        add_staff(&dir, ORG, &format!("cm-{}@esperanza.org", w.lang), "case_manager", w.lang, "first password one");
    }
    add_staff(&dir, ORG, "clin@esperanza.org", "clinician", "es", "first password two");
    let s = serve(&dir, &[], &[]);
    let clinician = sign_in(&s, "clin@esperanza.org", "first password two", "the clinic opens at nine each day").await;
    for w in [&ES, &EN] {
        pages_in(&s, w, &clinician).await;
    }
}

async fn pages_in(s: &Server, w: &Words, clinician: &reqwest::Client) {
    let l = w.lang;
    eprintln!("[{l}] safety plan pages");
    let cm =
        sign_in(s, &format!("cm-{l}@esperanza.org"), "first password one", "the river runs slowly past stones").await;
    let (_, intake) = get(&cm, s, "/intake").await;
    let r = post(&cm, s, "/intake", &intake, &[("alias", "Golondrina"), ("primary_language", l)]).await;
    let person = id_in(&location(&r), "/persons/");
    let (code, page) = get(&cm, s, &format!("/persons/{person}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains(&format!("<h2 id=\"safety-plan\">{}</h2>", w.section)), "{l}: the section");
    assert!(page.contains(w.write) && page.contains("id=\"crisis-log-link\""), "{l}");
    assert!(!page.contains("<script"), "no JavaScript");

    // The form: an error keeps everything typed and says so next to the field.
    let (code, form) = get(&cm, s, &format!("/persons/{person}/safety-plan/edit")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        form.contains("<legend>")
            && form.contains("for=\"warning_signs\"")
            && form.contains("name=\"base_version\" value=\"0\"")
    );
    assert!(form.contains(&format!(
        "id=\"language\" name=\"language\" value=\"es\"{}",
        if l == "es" { " checked" } else { "" }
    )));
    let long = "x".repeat(20_001);
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/safety-plan"),
        &form,
        &[("language", "es"), ("warning_signs", WARNING), ("safe_places", SAFE_PLACE), ("digital_safety", &long)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(
        again.contains(w.too_long) && again.contains("id=\"digital_safety-error\""),
        "{l}: the message by the field"
    );
    assert!(again.contains("href=\"#digital_safety\""), "{l}: the summary links to the field");
    assert!(
        again.contains("Cuando él llega tarde #panic(") && again.contains("*bold* $x$ ]") && again.contains("comillas"),
        "{l}: kept"
    );
    assert!(again.contains(SAFE_PLACE), "{l}: kept");

    // Saved: a new version, shown on the plan page and the person page.
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/safety-plan"),
        &again,
        &[("language", "es"), ("base_version", "0"), ("warning_signs", WARNING), ("safe_places", SAFE_PLACE)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/persons/{person}/safety-plan?done=saved"));
    let (_, plan) = get(&cm, s, &location(&r)).await;
    assert!(plan.contains(w.saved) && plan.contains(w.warning_label) && plan.contains(SAFE_PLACE), "{l}");
    let (_, page) = get(&cm, s, &format!("/persons/{person}")).await;
    assert!(page.contains("id=\"safety-plan-current\"") && page.contains(SAFE_PLACE), "{l}: on the person page");
    assert!(page.contains("href=\"/persons/") && page.contains("/safety-plan/pdf\""), "{l}: the print link");

    // A second version from the edit form, which starts from the first.
    let (_, form) = get(&cm, s, &format!("/persons/{person}/safety-plan/edit")).await;
    assert!(form.contains("name=\"base_version\" value=\"1\"") && form.contains(SAFE_PLACE), "{l}: prefilled");
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/safety-plan"),
        &form,
        &[("language", "es"), ("base_version", "1"), ("safe_places", "La iglesia")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The stale form (still on version 1) is a conflict that keeps the text.
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/safety-plan"),
        &form,
        &[("language", "es"), ("base_version", "1"), ("safe_places", "Texto tardío")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let conflict = r.text().await.unwrap();
    assert!(conflict.contains("id=\"safety-conflict\"") && conflict.contains("Texto tardío"), "{l}");
    assert!(conflict.contains("name=\"base_version\" value=\"2\""), "{l}");

    let (code, history) = get(&cm, s, &format!("/persons/{person}/safety-plan/history")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(history.contains("id=\"version-2\"") && history.contains("id=\"version-1\""), "{l}");
    let (code, first) = get(&cm, s, &format!("/persons/{person}/safety-plan/versions/1")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(first.contains("id=\"safety-plan-earlier\"") && first.contains(SAFE_PLACE), "{l}: version 1 as saved");

    // Printable page: in the survivor's language (Spanish), with the help lines.
    let (code, print) = get(&cm, s, &format!("/persons/{person}/safety-plan/print")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(print.contains("<html lang=\"es\">") && print.contains("<title>Mi plan personal</title>"), "{l}");
    assert!(print.contains("La iglesia") && print.contains("800 5533 000") && !print.contains(ORG), "{l}");
    let r = cm.get(s.url(&format!("/persons/{person}/safety-plan/pdf"))).send().await.unwrap();
    assert_eq!((r.status(), r.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    let text = pdf_extract::extract_text_from_mem(&r.bytes().await.unwrap()).unwrap();
    assert!(text.contains(ES.print_title) && !text.contains(EN.print_title), "{l}: {text}");

    // A clinician sees no safety section and is refused its pages.
    let (code, page) = get(clinician, s, &format!("/persons/{person}")).await;
    assert!(code == StatusCode::OK || code == StatusCode::FORBIDDEN);
    assert!(!page.contains("id=\"safety-plan-section\""), "{l}: no section for a clinician");
    let (code, _) = get(clinician, s, &format!("/persons/{person}/safety-plan")).await;
    assert!(code == StatusCode::FORBIDDEN || code == StatusCode::NOT_FOUND, "{l}: {code}");

    // The crisis log.
    let (code, log) = get(&cm, s, &format!("/persons/{person}/crisis-log")).await;
    assert_eq!(code, StatusCode::OK);
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/crisis-log"),
        &log,
        &[("occurred_on", "2026-13-40"), ("what_happened", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = r.text().await.unwrap();
    assert!(bad.contains("id=\"occurred_on-error\"") && bad.contains("value=\"2026-13-40\""), "{l}: kept");
    let r = post(&cm, s, &format!("/persons/{person}/crisis-log"), &bad, &[("what_happened", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(w.what_required), "{l}");
    let r = post(
        &cm,
        s,
        &format!("/persons/{person}/crisis-log"),
        &bad,
        &[
            ("occurred_on", "2026-01-10"),
            ("occurred_time", "22:15"),
            ("what_happened", "Llamó con miedo"),
            ("referrals_made", "Refugio"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, log) = get(&cm, s, &location(&r)).await;
    assert!(log.contains(w.crisis_logged) && log.contains("Llamó con miedo") && log.contains("22:15"), "{l}");
    let (_, tasks) = get(&cm, s, "/tasks").await;
    assert!(
        tasks.contains(if l == "es" {
            "Dar seguimiento a un contacto de crisis"
        } else {
            "Follow up a crisis contact"
        }),
        "{l}: the follow-up task"
    );
}
