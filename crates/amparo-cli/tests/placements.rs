//! Placements through the real `amparo` binary over HTTP on loopback: the API (sites, needs,
//! proposals with coded reasons, propose → confirm → end version-checked, the gate at the
//! transitional home, who may do what, one's own placements), the OpenAPI document, and the
//! pages in Spanish and English (a form that comes back with what was typed, the matching
//! page with reasons and a Confirm button, a person's own placements and weekly availability).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

const ORG: &str = "Refugio Esperanza";
const SOFIA_PW: &str = "la coordinadora llega temprano al refugio";
const ROSA_PW: &str = "the coordinator arrives early at the refuge";
const VERA_PW: &str = "la voluntaria camina despacio por el puerto viejo";

fn day(offset: i64) -> String {
    (Utc::now() + Duration::days(offset)).date_naive().to_string()
}

#[tokio::test]
async fn placements_over_the_api_and_the_pages_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_staff(&dir, ORG, "sofia@esperanza.org", "supervisor", "es", SOFIA_PW);
    let sofia = api_token(&dir, ORG, "sofia@esperanza.org");
    add_staff(&dir, ORG, "rosa@esperanza.org", "supervisor", "en", ROSA_PW);
    let vera_id = add_staff(&dir, ORG, "vera@esperanza.org", "volunteer", "es", VERA_PW);
    let vera = api_token(&dir, ORG, "vera@esperanza.org");
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // Vera: Spanish C1, psychology, started today, trainings done: cleared six months on.
    let (st, saved) = api_call(
        &http,
        &s,
        &sofia,
        Method::PUT,
        &format!("/api/v1/staff/{vera_id}/profile"),
        Some(json!({
            "start_date": day(0),
            "languages": [{ "language": "es", "level": "C1" }],
            "backgrounds": ["psychology"],
            "version": 0
        })),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let opens_on = saved["access"]["opens_on"].as_str().unwrap().to_owned();
    for course in ["confidentiality", "trauma_informed_care"] {
        let (st, t) = api_call(
            &http,
            &s,
            &sofia,
            Method::POST,
            &format!("/api/v1/staff/{vera_id}/trainings"),
            Some(json!({ "course": course, "completed_on": day(0) })),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
    }

    // --- API: a coordinator records the home and its need; a volunteer may not.
    let home_body = json!({ "kind": "transitional_home", "name": "Casa Norte", "region": "MX-CMX" });
    let (st, _) = api_call(&http, &s, &vera, Method::POST, "/api/v1/sites", Some(home_body.clone())).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, home) = api_call(&http, &s, &sofia, Method::POST, "/api/v1/sites", Some(home_body.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{home}");
    assert_eq!(home["direct_contact"], true);
    let home_id = home["id"].as_str().unwrap().to_owned();
    let (st, err) = api_call(&http, &s, &sofia, Method::POST, "/api/v1/sites", Some(home_body)).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("placement_name_taken")));
    let need_body = |people: i64| {
        json!({
            "languages": [{ "language": "es", "level": "B2" }],
            "backgrounds": ["psychology"],
            "people": people,
            "starts_on": day(30),
            "ends_on": day(400),
            "notes": "Notaxyz: acompañamiento por las mañanas"
        })
    };
    let needs_path = format!("/api/v1/sites/{home_id}/needs");
    let (st, err) = api_call(&http, &s, &sofia, Method::POST, &needs_path, Some(need_body(0))).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("placement_people_invalid")));
    let (st, need) = api_call(&http, &s, &sofia, Method::POST, &needs_path, Some(need_body(1))).await;
    assert_eq!(st, StatusCode::CREATED, "{need}");
    assert_eq!(
        (need["open"].as_i64(), need["notes"].as_str()),
        (Some(1), Some("Notaxyz: acompañamiento por las mañanas"))
    );
    let need_id = need["id"].as_str().unwrap().to_owned();
    let (st, sites) = api_call(&http, &s, &sofia, Method::GET, "/api/v1/sites", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(sites["items"][0]["needs"][0]["open"], 1, "{sites}");
    assert!(sites["items"][0]["needs"][0].get("notes").is_none(), "the list does not open the notes");

    // Proposals: Vera, from the day the gate clears her, with the reasons as codes.
    let (st, m) = api_call(&http, &s, &sofia, Method::GET, &format!("/api/v1/sites/{home_id}/proposals"), None).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    let p = &m["items"][0]["proposals"][0];
    assert_eq!((p["user"].as_str(), p["starts_on"].as_str()), (Some(vera_id.as_str()), Some(opens_on.as_str())), "{m}");
    let reasons = p["reasons"].as_array().unwrap();
    assert!(
        reasons.contains(&json!({ "code": "language_meets", "language": "es", "level": "C1", "needed": "B2" })),
        "{m}"
    );
    assert!(reasons.contains(&json!({ "code": "background_wanted", "background": "psychology" })), "{m}");
    assert!(reasons.contains(&json!({ "code": "not_cleared_until", "date": opens_on })), "{m}");
    let (st, _) = api_call(&http, &s, &vera, Method::GET, &format!("/api/v1/sites/{home_id}/proposals"), None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Before the gate clears her: refused. Then proposed, confirmed (version-checked), ended.
    let early = json!({ "site": home_id, "need": need_id, "user": vera_id, "starts_on": day(30) });
    let (st, err) = api_call(&http, &s, &sofia, Method::POST, "/api/v1/placements", Some(early)).await;
    assert_eq!(
        (st, err["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("placement_starts_before_clearance")),
        "{err}"
    );
    let body = json!({ "site": home_id, "need": need_id, "user": vera_id });
    let (st, placed) = api_call(&http, &s, &sofia, Method::POST, "/api/v1/placements", Some(body.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{placed}");
    assert_eq!((placed["status"].as_str(), placed["starts_on"].as_str()), (Some("proposed"), Some(opens_on.as_str())));
    let pid = placed["id"].as_str().unwrap().to_owned();
    let (st, err) = api_call(&http, &s, &sofia, Method::POST, "/api/v1/placements", Some(body)).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("placement_already_placed")));
    let confirm = format!("/api/v1/placements/{pid}/confirm");
    let (st, err) = api_call(&http, &s, &sofia, Method::POST, &confirm, Some(json!({ "version": 5 }))).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    let (st, ok) = api_call(&http, &s, &sofia, Method::POST, &confirm, Some(json!({ "version": 1 }))).await;
    assert_eq!(
        (st, ok["status"].as_str(), ok["version"].as_i64()),
        (StatusCode::OK, Some("confirmed"), Some(2)),
        "{ok}"
    );
    let (st, _) = api_call(&http, &s, &vera, Method::POST, &confirm, Some(json!({ "version": 2 }))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, site) = api_call(&http, &s, &sofia, Method::GET, &format!("/api/v1/sites/{home_id}"), None).await;
    assert_eq!(
        (site["needs"][0]["confirmed"].as_i64(), site["needs"][0]["open"].as_i64()),
        (Some(1), Some(0)),
        "{site}"
    );

    // A person lists their own placements; not everyone's.
    let (st, mine) = api_call(&http, &s, &vera, Method::GET, &format!("/api/v1/placements?user={vera_id}"), None).await;
    assert_eq!(st, StatusCode::OK, "{mine}");
    assert_eq!(mine["items"][0]["site_name"], "Casa Norte");
    let (st, _) = api_call(&http, &s, &vera, Method::GET, "/api/v1/placements", None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = api_call(&http, &s, &vera, Method::GET, "/api/v1/sites", None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // In the OpenAPI document, with unique operation ids.
    let (st, doc) = api_call(&http, &s, &vera, Method::GET, "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    for (path, method) in [
        ("/api/v1/sites", "get"),
        ("/api/v1/sites", "post"),
        ("/api/v1/sites/{id}/needs", "post"),
        ("/api/v1/sites/{id}/proposals", "get"),
        ("/api/v1/placements", "get"),
        ("/api/v1/placements", "post"),
        ("/api/v1/placements/{id}/confirm", "post"),
        ("/api/v1/placements/{id}/end", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{path} {method}");
    }
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values().filter_map(|op| op["operationId"].as_str().map(str::to_owned)))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "operationIds are unique");

    // --- Pages in Spanish: the coordinator's list, a new team with a mistake, a need, Confirm.
    let es = sign_in(&s, "sofia@esperanza.org", SOFIA_PW, "una contraseña nueva y larga de la coordinadora").await;
    let (st, page) = get(&es, &s, "/placements").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(r#"id="nav-placements""#) && page.contains("Casa Norte"), "{page}");
    assert!(page.contains("Casa de transición") && page.contains("contacto directo con sobrevivientes"), "{page}");
    let site_fields = [("kind", "prevention_team"), ("name", "  "), ("programme", "prev-cdmx"), ("region", "MX-CMX")];
    let r = post(&es, &s, "/placements", &page, &site_fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("Escriba un nombre para el sitio o equipo."), "{back}");
    assert!(
        back.contains(r#"<option value="prevention_team" selected>"#) && back.contains(r#"value="prev-cdmx""#),
        "{back}"
    );
    let mut good = site_fields.to_vec();
    good[1] = ("name", "Brigada");
    let r = post(&es, &s, "/placements", &back, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let team_id = id_in(&location(&r), "/placements/");
    let (st, page) = get(&es, &s, &format!("/placements/{team_id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("PREV-CDMX") && page.contains("No hay necesidades por cubrir"), "{page}");
    let need_fields = [
        ("languages", "es B1"),
        ("slots", "weekday_mornings"),
        ("people", "cero"),
        ("starts_on", &day(10) as &str),
        ("ends_on", ""),
        ("notes", "Fiesta de barrio en la colonia Doctores"),
    ];
    let r = post(&es, &s, &format!("/placements/{team_id}/needs"), &page, &need_fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("Escriba un número entero del 1 al 50."), "{back}");
    assert!(back.contains(r#"value="es B1""#) && back.contains("Fiesta de barrio en la colonia Doctores"), "{back}");
    assert!(back.contains(r#"id="slot-weekday_mornings" name="slots" value="weekday_mornings" checked"#), "{back}");
    let mut good = need_fields.to_vec();
    good[2] = ("people", "2");
    let r = post(&es, &s, &format!("/placements/{team_id}/needs"), &back, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let (st, page) = get(&es, &s, &format!("/placements/{team_id}")).await;
    assert_eq!(st, StatusCode::OK);
    // The prevention team needs no clearance: Vera is proposed with her reasons, in Spanish.
    assert!(page.contains("habla Español C1 (se necesita B1)"), "{page}");
    assert!(page.contains("no ha indicado cuándo puede colaborar"), "{page}");
    assert!(page.contains("ya tiene otra asignación en este periodo"), "{page}");
    let confirm_form = between(&page, &format!(r#"action="/placements/{team_id}/confirm""#), "</form>");
    let need = between(confirm_form, r#"name="need" value=""#, "\"");
    let starts = between(confirm_form, r#"name="starts_on" value=""#, "\"");
    let r = post(
        &es,
        &s,
        &format!("/placements/{team_id}/confirm"),
        &page,
        &[("need", need), ("user", &vera_id), ("starts_on", starts)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&es, &s, &format!("/placements/{team_id}")).await;
    assert!(page.contains("confirmada") && page.contains(r#"<td class="need-open">1</td>"#), "{page}");

    // --- The volunteer: her own placements and her weekly availability, in Spanish.
    let v = sign_in(&s, "vera@esperanza.org", VERA_PW, "una contraseña nueva y larga de la voluntaria").await;
    let (st, _) = get(&v, &s, "/placements").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, page) = get(&v, &s, "/staff/me/placements").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("Casa Norte") && page.contains("Brigada") && page.contains("Cuándo puedo colaborar"),
        "{page}"
    );
    let r =
        post(&v, &s, "/staff/me/placements/availability", &page, &[("slots", "weekday_mornings"), ("version", "0")])
            .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&v, &s, "/staff/me/placements").await;
    assert!(page.contains(r#"id="slot-weekday_mornings" name="slots" value="weekday_mornings" checked"#), "{page}");
    let (st, _) = get(&v, &s, &format!("/staff/{}/placements", "00000000-0000-4000-8000-000000000000")).await;
    assert!(st == StatusCode::NOT_FOUND || st == StatusCode::FORBIDDEN, "{st}");

    // --- Pages in English: the home with its gate notice, the team's placed list.
    let en = sign_in(&s, "rosa@esperanza.org", ROSA_PW, "a new and long password of the coordinator").await;
    let (st, page) = get(&en, &s, &format!("/placements/{home_id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("Transitional living home") && page.contains("This site works directly with survivors"),
        "{page}"
    );
    assert!(page.contains("Notaxyz: acompañamiento por las mañanas") && page.contains("confirmed"), "{page}");
    // End from the page, with the version read.
    let end_form = between(&page, "/placement/", "</form>");
    let version = between(end_form, r#"name="version" value=""#, "\"");
    let r = post(
        &en,
        &s,
        &format!("/placements/{home_id}/placement/{pid}/end"),
        &page,
        &[("version", version), ("ends_on", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (st, ended) = api_call(
        &http,
        &s,
        &sofia,
        Method::GET,
        &format!("/api/v1/placements?user={vera_id}&include_ended=true"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let statuses: Vec<&str> = ended["items"].as_array().unwrap().iter().filter_map(|p| p["status"].as_str()).collect();
    assert!(statuses.contains(&"ended") && statuses.contains(&"confirmed"), "{ended}");
    // Again with the old version: a conflict.
    let r = post(&en, &s, &format!("/placements/{home_id}/placement/{pid}/end"), &page, &[("version", version)]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
