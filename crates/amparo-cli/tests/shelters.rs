//! Shelter beds through the real `amparo` binary over real HTTP on loopback: the API (a
//! house set up by a supervisor, check-ins racing for one bed answered 201 once and 409
//! `bed_occupied` for the rest, check-out, the OpenAPI document) and the pages in Spanish and
//! in English without JavaScript (occupancy, who is in which bed by alias and case number, a
//! check-in form that keeps what was typed, check-out, the house log). Shelter staff never
//! reach the narrative or the legal file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const ADDRESS: &str = "Calle Secreta 42, Ciudad Juárez";

async fn call(
    http: &reqwest::Client,
    s: &Server,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    api_call(http, s, token, method, path, body).await
}

#[tokio::test]
async fn shelter_beds_through_the_api_and_the_pages_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let pw = "una frase larga para el personal";
    add_staff(&dir, ORG, "sofia@esperanza.org", "supervisor", "es", pw);
    add_staff(&dir, ORG, "lucia@esperanza.org", "case_manager", "en", pw);
    let shelter_id = add_staff(&dir, ORG, "sara@esperanza.org", "shelter_staff", "es", pw);
    let sup = api_token(&dir, ORG, "sofia@esperanza.org");
    let cm = api_token(&dir, ORG, "lucia@esperanza.org");
    let shelter = api_token(&dir, ORG, "sara@esperanza.org");
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::new();

    // A supervisor sets up a house with two beds and its rules in both languages.
    let (st, v) = call(
        &http,
        &s,
        &sup,
        Method::POST,
        "/api/v1/shelters",
        Some(json!({
            "name": "Casa Azul", "kind": "refuge", "eligibility": ["women", "families"], "address": ADDRESS
        })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let house = v["id"].as_str().unwrap().to_owned();
    let (st, v) = call(
        &http,
        &s,
        &cm,
        Method::POST,
        "/api/v1/shelters",
        Some(json!({
            "name": "X", "kind": "refuge", "eligibility": ["any"]
        })),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let (st, v) = call(
        &http,
        &s,
        &sup,
        Method::POST,
        "/api/v1/shelters",
        Some(json!({
            "name": "Y", "kind": "refuge", "eligibility": []
        })),
    )
    .await;
    assert_eq!((st, v["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("eligibility")), "{v}");
    let mut beds = Vec::new();
    for label in ["A", "B"] {
        let (st, v) = call(
            &http,
            &s,
            &sup,
            Method::POST,
            &format!("/api/v1/shelters/{house}/beds"),
            Some(json!({ "room": "1", "label": label })),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        beds.push(v["id"].as_str().unwrap().to_owned());
    }
    for (language, text) in [("es", "Llegar antes de las 22:00"), ("en", "Back by 10 pm")] {
        let (st, v) = call(
            &http,
            &s,
            &sup,
            Method::POST,
            &format!("/api/v1/shelters/{house}/rules"),
            Some(json!({ "language": language, "text": text })),
        )
        .await;
        assert_eq!((st, v["version"].as_i64()), (StatusCode::CREATED, Some(1)), "{v}");
    }

    // A case manager opens records for several people, with the shelter staff member on the
    // first one's team.
    let mut people = Vec::new();
    for i in 0..6 {
        let (st, v) = call(
            &http,
            &s,
            &cm,
            Method::POST,
            "/api/v1/persons",
            Some(json!({ "alias": format!("Golondrina{i}"), "primary_language": "en" })),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let person = v["id"].as_str().unwrap().to_owned();
        let team = if i == 0 { json!([shelter_id]) } else { json!([]) };
        let (st, v) =
            call(&http, &s, &cm, Method::POST, "/api/v1/cases", Some(json!({ "person_id": person, "team": team })))
                .await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        people.push((person, v["id"].as_str().unwrap().to_owned(), v["number"].as_str().unwrap().to_owned()));
    }
    let (st, _) = call(
        &http,
        &s,
        &cm,
        Method::POST,
        &format!("/api/v1/cases/{}/notes", people[0].1),
        Some(json!({ "kind": "general", "text": "Lo que contó" })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED);

    // Six check-ins race for bed A over HTTP: one is placed, five hear `bed_occupied`.
    let mut tasks = Vec::new();
    for (person, case, _) in &people {
        let (http, url, token) = (http.clone(), s.url(&format!("/api/v1/shelters/{house}/stays")), cm.clone());
        let body = json!({ "bed_id": beds[0], "person_id": person, "case_id": case });
        tasks.push(tokio::spawn(async move {
            let r = http.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let status = r.status();
            (status, r.json::<Value>().await.unwrap())
        }));
    }
    let mut placed = None;
    let mut occupied = 0;
    for t in tasks {
        let (st, v) = t.await.unwrap();
        match st {
            StatusCode::CREATED => {
                assert!(placed.is_none(), "two check-ins into one bed: {v}");
                placed = Some(v);
            }
            StatusCode::CONFLICT => {
                assert_eq!(v["error"], "bed_occupied", "{v}");
                occupied += 1;
            }
            other => panic!("{other}: {v}"),
        }
    }
    assert_eq!(occupied, 5);
    let stay = placed.unwrap();
    // The rules were given in the person's language.
    assert_eq!((stay["rules_language"].as_str(), stay["rules_version"].as_i64()), (Some("en"), Some(1)), "{stay}");
    let (st, v) = call(&http, &s, &sup, Method::GET, "/api/v1/shelters", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (v["items"][0]["beds"].as_i64(), v["items"][0]["occupied"].as_i64(), v["items"][0]["free"].as_i64()),
        (Some(2), Some(1), Some(1)),
        "{v}"
    );
    // Check-out through the API; the bed is free again.
    let (st, v) = call(
        &http,
        &s,
        &shelter,
        Method::POST,
        &format!("/api/v1/stays/{}/checkout", stay["id"].as_str().unwrap()),
        Some(json!({ "reason": "moved_on" })),
    )
    .await;
    assert_eq!((st, v["checkout_reason"].as_str()), (StatusCode::OK, Some("moved_on")), "{v}");
    let (st, v) = call(
        &http,
        &s,
        &shelter,
        Method::POST,
        &format!("/api/v1/stays/{}/checkout", stay["id"].as_str().unwrap()),
        Some(json!({ "reason": "moved_on" })),
    )
    .await;
    assert_eq!((st, v["error"].as_str()), (StatusCode::CONFLICT, Some("stay_closed")));

    // The shelter staff member on the first person's team: the stay section yes, the
    // narrative and the legal file never.
    let (st, v) = call(&http, &s, &shelter, Method::GET, &format!("/api/v1/persons/{}", people[0].0), None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(v.get("narrative").is_none_or(Value::is_null), "{v}");
    for kind in ["notes", "legal-relief"] {
        let (st, _) =
            call(&http, &s, &shelter, Method::GET, &format!("/api/v1/cases/{}/{kind}", people[0].1), None).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{kind}");
    }
    // The placed person's stays, as their case manager reads them.
    let placed_person = stay["person_id"].as_str().unwrap();
    let (st, v) = call(&http, &s, &cm, Method::GET, &format!("/api/v1/persons/{placed_person}/stays"), None).await;
    assert_eq!((st, v["items"][0]["checkout_reason"].as_str()), (StatusCode::OK, Some("moved_on")), "{v}");
    // The address: shelter staff and supervisors, not case managers.
    let (_, v) = call(&http, &s, &shelter, Method::GET, &format!("/api/v1/shelters/{house}"), None).await;
    assert_eq!(v["address"], ADDRESS, "{v}");
    let (_, v) = call(&http, &s, &cm, Method::GET, &format!("/api/v1/shelters/{house}"), None).await;
    assert!(v.get("address").is_none(), "{v}");
    let doc = http.get(s.url("/api/openapi.json")).bearer_auth(&cm).send().await.unwrap().text().await.unwrap();
    for path in
        ["/api/v1/shelters", "/api/v1/shelters/{id}/stays", "/api/v1/stays/{id}/checkout", "/api/v1/shelters/{id}/log"]
    {
        assert!(doc.contains(path), "{path} not in the OpenAPI document");
    }

    // Pages, in Spanish: the shelter staff member sees the house and keeps its log.
    let es = sign_in(&s, "sara@esperanza.org", pw, "una frase nueva para el albergue").await;
    let (st, page) = get(&es, &s, "/shelters").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("id=\"nav-shelters\"") && page.contains("Albergues") && page.contains("Casa Azul"), "{page}");
    assert!(page.contains("Refugio de emergencia") && page.contains("Mujeres, Familias"), "{page}");
    let house_path = format!("/shelters/{house}");
    let (st, page) = get(&es, &s, &house_path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("Cuartos y camas") && page.contains(ADDRESS) && page.contains("Llegar antes de las 22:00"),
        "{page}"
    );
    // The check-in form keeps what was typed when the case number is unknown.
    let r =
        post(&es, &s, &format!("{house_path}/stays"), &page, &[("bed_id", &beds[1]), ("case_number", "2099-999999")])
            .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("value=\"2099-999999\"") && body.contains("No hay un caso con ese número"), "{body}");
    // The first person (their team includes this staff member) is checked in by case number.
    let r =
        post(&es, &s, &format!("{house_path}/stays"), &page, &[("bed_id", &beds[1]), ("case_number", &people[0].2)])
            .await;
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, house_path.clone()));
    let (_, page) = get(&es, &s, &house_path).await;
    assert!(page.contains("Golondrina0") && page.contains(&people[0].2), "{page}");
    let r = post(&es, &s, &format!("{house_path}/log"), &page, &[("on_date", ""), ("text", "Noche tranquila")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&es, &s, &house_path).await;
    assert!(page.contains("Noche tranquila"), "{page}");
    let stay_id = between(&page, "action=\"/stays/", "/checkout");
    let r = post(&es, &s, &format!("/stays/{stay_id}/checkout"), &page, &[("reason", "transferred")]).await;
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, house_path.clone()));
    let (_, page) = get(&es, &s, &house_path).await;
    assert_eq!(between(&page, "<dd id=\"free\">", "<"), "2");
    // The person's page shows their stays to the team's shelter staff.
    let (st, page) = get(&es, &s, &format!("/persons/{}", people[0].0)).await;
    assert_eq!(st, StatusCode::OK);
    let stays = between(&page, "id=\"stays-table\"", "</table>");
    assert!(stays.contains("Casa Azul") && stays.contains("Traslado a otra casa"), "{stays}");

    // In English: the case manager checks a person in; a taken bed is said next to the bed.
    let en = sign_in(&s, "lucia@esperanza.org", pw, "a new long phrase for the case manager").await;
    let (st, page) = get(&en, &s, &house_path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Rooms and beds") && page.contains("Back by 10 pm") && !page.contains(ADDRESS), "{page}");
    let r =
        post(&en, &s, &format!("{house_path}/stays"), &page, &[("bed_id", &beds[0]), ("case_number", &people[1].2)])
            .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The same (now taken) bed from the form the case manager still has open.
    let r =
        post(&en, &s, &format!("{house_path}/stays"), &page, &[("bed_id", &beds[0]), ("case_number", &people[2].2)])
            .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Someone is already in that bed") && body.contains(&format!("value=\"{}\"", people[2].2)),
        "{body}"
    );
    // The waiting list: added by case number, urgent, then withdrawn.
    let (_, page) = get(&en, &s, &house_path).await;
    let r = post(
        &en,
        &s,
        &format!("{house_path}/waitlist"),
        &page,
        &[("wait_case_number", &people[3].2), ("priority", "urgent"), ("notes", "Needs a ground floor")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&en, &s, &house_path).await;
    let waitlist = between(&page, "id=\"waitlist\"", "</table>");
    assert!(
        waitlist.contains("Golondrina3") && waitlist.contains("Urgent") && waitlist.contains("Needs a ground floor"),
        "{waitlist}"
    );
    let withdraw = between(waitlist, "action=\"", "\"").to_owned();
    let r = post(&en, &s, &withdraw, &page, &[("house_id", &house)]).await;
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, house_path.clone()));
    let (_, page) = get(&en, &s, &house_path).await;
    assert!(page.contains("id=\"waitlist-empty\""), "{page}");
    // Case managers neither write the log nor set up beds: those forms are not offered.
    assert!(!page.contains("id=\"save-log\"") && !page.contains("id=\"add-bed\""), "{page}");

    // A supervisor, in Spanish, adds a bed (a mistake keeps what was typed) and new rules.
    let sup_page = sign_in(&s, "sofia@esperanza.org", pw, "una frase nueva para la supervisora").await;
    let (_, page) = get(&sup_page, &s, &house_path).await;
    let r = post(&sup_page, &s, &format!("{house_path}/beds"), &page, &[("room", "2"), ("label", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("id=\"bed_label-error\"")
            && body.contains("id=\"bed_room\" name=\"room\" type=\"text\" autocomplete=\"off\" value=\"2\""),
        "{body}"
    );
    let r = post(&sup_page, &s, &format!("{house_path}/beds"), &page, &[("room", "2"), ("label", "C")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(
        &sup_page,
        &s,
        &format!("{house_path}/rules"),
        &page,
        &[("language", "es"), ("text", "Silencio después de las 23:00")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&sup_page, &s, &house_path).await;
    assert!(page.contains("Silencio después de las 23:00") && page.contains("v2"), "{page}");
    assert_eq!(between(&page, "<dd id=\"free\">", "<"), "2");

    let (_, page) = get(&en, &s, "/shelters").await;
    assert!(page.contains("Transitional home") || page.contains("Emergency refuge"), "{page}");
}
