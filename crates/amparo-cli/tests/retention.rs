//! Retention through the real `amparo` binary over HTTP on loopback: the page in Spanish
//! (off by default, a period refused with the input kept, the suggested setting, the preview
//! with case numbers, running it), the person page saying what was removed and when, the
//! page in English for a supervisor (counts only, no form, no run), the API with the same
//! rules, the OpenAPI document, and `amparo retention preview|run`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::{Method, StatusCode};
use serde_json::json;

const ORG: &str = "Refugio Esperanza";
const CARMEN_PW: &str = "la gestora camina despacio por el puerto viejo";
const SUE_PW: &str = "the supervisor walks slowly by the old port";
const STORY: &str = "Historiaxyz: me quitaron los papeles en la frontera";

#[tokio::test]
async fn retention_pages_in_both_languages_the_api_and_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_staff(&dir, ORG, "carmen@esperanza.org", "case_manager", "es", CARMEN_PW);
    let carmen = api_token(&dir, ORG, "carmen@esperanza.org");
    add_staff(&dir, ORG, "sue@esperanza.org", "supervisor", "en", SUE_PW);
    let sue = api_token(&dir, ORG, "sue@esperanza.org");
    let admin_token = api_token(&dir, ORG, ADMIN);
    // Before any policy: the command line says nothing is purged.
    let out = cli(&dir, &[], &["retention", "preview"], "");
    assert!(out.contains("no organisation has a retention policy"), "{out}");

    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // A person whose only case closed in 2020, with a note; another whose case is open.
    let (st, p) = api_call(
        &http,
        &s,
        &carmen,
        Method::POST,
        "/api/v1/persons",
        Some(json!({"alias": "Golondrina", "narrative": STORY})),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let person = p["id"].as_str().unwrap().to_owned();
    let body = json!({"person_id": person, "opened_on": "2019-06-01", "exploitation_types": ["ForcedLabour"]});
    let (st, c) = api_call(&http, &s, &carmen, Method::POST, "/api/v1/cases", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let case = c["id"].as_str().unwrap().to_owned();
    let number = c["number"].as_str().unwrap().to_owned();
    let note = json!({"kind": "contact", "text": "Notaxyz: prefiere mensajes por la tarde"});
    let (st, n) = api_call(&http, &s, &carmen, Method::POST, &format!("/api/v1/cases/{case}/notes"), Some(note)).await;
    assert_eq!(st, StatusCode::CREATED, "{n}");
    let close =
        json!({"version": c["version"], "status": "Closed", "closure_reason": "goals_met", "closed_on": "2020-01-10"});
    let (st, closed) = api_call(&http, &s, &carmen, Method::PATCH, &format!("/api/v1/cases/{case}"), Some(close)).await;
    assert_eq!(st, StatusCode::OK, "{closed}");
    let (st, p2) = api_call(
        &http,
        &s,
        &carmen,
        Method::POST,
        "/api/v1/persons",
        Some(json!({"alias": "Colibrí", "narrative": STORY})),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED);
    let open_person = p2["id"].as_str().unwrap().to_owned();
    let (st, _) =
        api_call(&http, &s, &carmen, Method::POST, "/api/v1/cases", Some(json!({"person_id": open_person}))).await;
    assert_eq!(st, StatusCode::CREATED);

    // --- The page in Spanish, for the administrator: off until configured.
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let (st, page) = get(&admin, &s, "/admin/retention").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(r#"id="nav-retention""#) && page.contains("Política de retención"), "{page}");
    assert!(page.contains(r#"id="retention-off""#) && page.contains("La retención está desactivada"), "{page}");
    assert!(page.contains("Sugerido: 24 meses."), "{page}");
    // A period that is not a number comes back with the message and what was typed.
    let r =
        post(&admin, &s, "/admin/retention", &page, &[("person.narrative", "dos años"), ("case.notes", "24")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("Escriba un número entero de meses entre 1 y 1200"), "{back}");
    assert!(back.contains(r#"value="dos años""#) && back.contains(r#"aria-invalid="true""#), "{back}");
    assert!(back.contains(r##"href="#months-person-narrative""##), "{back}");
    // The suggested setting, in one button.
    let r = post(
        &admin,
        &s,
        "/admin/retention",
        &page,
        &[("person.narrative", "24"), ("case.notes", "24"), ("person.erase", "84")],
    )
    .await;
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, "/admin/retention?done=saved".to_owned()));
    let (_, page) = get(&admin, &s, "/admin/retention?done=saved").await;
    assert!(!page.contains(r#"id="retention-off""#), "{page}");
    let preview = between(&page, r#"id="retention-preview-table""#, "</table>");
    assert!(preview.contains("El relato de la persona") && preview.contains(&number), "{preview}");
    assert!(!page.contains("Golondrina") && !page.contains("Historiaxyz"), "no names or content on the page");

    // --- The supervisor, in English: the counts, no case numbers, no form, no run.
    let sup = sign_in(&s, "sue@esperanza.org", SUE_PW, "a new and long password of the supervisor").await;
    let (st, spage) = get(&sup, &s, "/admin/retention").await;
    assert_eq!(st, StatusCode::OK);
    assert!(spage.contains("Retention policy") && spage.contains("The whole record"), "{spage}");
    assert!(spage.contains("24 months") && !spage.contains(&number), "{spage}");
    assert!(!spage.contains(r#"id="retention-save""#) && !spage.contains(r#"id="retention-run""#), "{spage}");
    let r = post(&sup, &s, "/admin/retention/run", &spage, &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(&sup, &s, "/admin/retention", &spage, &[("person.narrative", "1")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The case manager has no retention page.
    let carmen_web = sign_in(&s, "carmen@esperanza.org", CARMEN_PW, "una contraseña nueva y larga de la gestora").await;
    let (st, _) = get(&carmen_web, &s, "/admin/retention").await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // --- The API: the same rules.
    let (st, pv) = api_call(&http, &s, &sue, Method::GET, "/api/v1/retention/preview", None).await;
    assert_eq!(st, StatusCode::OK, "{pv}");
    let narrative = pv["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "person.narrative").unwrap();
    assert_eq!(narrative["count"], 1, "{pv}");
    assert!(narrative.get("case_numbers").is_none(), "supervisors get counts only: {pv}");
    let (_, pv) = api_call(&http, &s, &admin_token, Method::GET, "/api/v1/retention/preview", None).await;
    let notes = pv["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "case.notes").unwrap();
    assert_eq!(notes["case_numbers"], json!([number]), "{pv}");
    let (st, _) = api_call(&http, &s, &carmen, Method::GET, "/api/v1/retention/preview", None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, err) = api_call(
        &http,
        &s,
        &admin_token,
        Method::PUT,
        "/api/v1/retention/policy",
        Some(json!({"person.narrative": 0})),
    )
    .await;
    assert_eq!(
        (st, err["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("retention_months_invalid")),
        "{err}"
    );
    let (st, err) =
        api_call(&http, &s, &admin_token, Method::PUT, "/api/v1/retention/policy", Some(json!({"person.name": 1})))
            .await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_code")), "{err}");
    let (st, pol) = api_call(&http, &s, &sue, Method::GET, "/api/v1/retention/policy", None).await;
    assert_eq!((st, &pol["rules"]["person.erase"]), (StatusCode::OK, &json!(84)), "{pol}");
    let (st, _) = api_call(&http, &s, &sue, Method::POST, "/api/v1/retention/runs", None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, doc) = api_call(&http, &s, &sue, Method::GET, "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["paths"]["/api/v1/retention/preview"]["get"].is_object(), "{}", doc["paths"]);
    assert!(doc["paths"]["/api/v1/retention/policy"]["put"].is_object());
    assert!(doc["paths"]["/api/v1/retention/runs"]["post"].is_object());

    // --- Run from the page: the narrative and note text go; the record says when.
    let r = post(&admin, &s, "/admin/retention/run", &page, &[]).await;
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, "/admin/retention?done=ran".to_owned()));
    let (_, page) = get(&admin, &s, "/admin/retention?done=ran").await;
    assert!(page.contains("Se aplicó la política de retención."), "{page}");
    let runs = between(&page, r#"id="retention-runs-table""#, "</table>");
    assert!(runs.contains("Desde esta página") && runs.contains("El relato de la persona: 1"), "{runs}");
    let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
    let (st, ppage) = get(&carmen_web, &s, &format!("/persons/{person}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ppage.contains(&format!("Eliminado por la política de retención el {today}.")), "{ppage}");
    assert!(!ppage.contains("Historiaxyz"), "{ppage}");
    let (st, cpage) = get(&carmen_web, &s, &format!("/cases/{case}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!cpage.contains("Notaxyz") && cpage.contains("Eliminado por la política de retención"), "{cpage}");
    // The other person keeps their story; the API says what was removed, and nothing more.
    let (_, other) = api_call(&http, &s, &carmen, Method::GET, &format!("/api/v1/persons/{open_person}"), None).await;
    assert_eq!(other["narrative"], STORY);
    let (_, gone) = api_call(&http, &s, &carmen, Method::GET, &format!("/api/v1/persons/{person}"), None).await;
    assert!(gone.get("narrative").is_none() && gone["narrative_removed_on"] == today.as_str(), "{gone}");
    // Again through the API: nothing more is due.
    let (st, ran) = api_call(&http, &s, &admin_token, Method::POST, "/api/v1/retention/runs", None).await;
    assert_eq!((st, &ran["purged"]["person.narrative"]), (StatusCode::CREATED, &json!(0)), "{ran}");
    drop(s);

    // --- The command line: the erasure is still five years off; a run finds nothing more.
    let out = cli(&dir, &[], &["retention", "preview"], "");
    assert!(out.contains("person.narrative\t24 months") && out.contains("person.erase\t84 months"), "{out}");
    let out = cli(&dir, &[], &["retention", "run"], "");
    assert!(out.contains("person.narrative=0") && out.contains("person.erase=0"), "{out}");
    assert!(!out.contains("Golondrina"), "{out}");
}
