//! Outreach and training events through the real `amparo` binary over HTTP on loopback: the
//! API (record → 201 with an id, list by period, read with notes, version-checked
//! replacement, 422 codes, who may record), the OpenAPI document, and the pages in Spanish
//! and English (list by period, a form that comes back with what was typed, a stale save).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const VERA_PW: &str = "la voluntaria camina despacio por el puerto viejo";
const CARL_PW: &str = "the case manager walks slowly by the old port";

fn talk() -> Value {
    json!({
        "kind": "prevention_talk",
        "held_on": "2026-10-15",
        "region": "MX-CHH",
        "setting": "school",
        "audiences": ["students", "parents"],
        "attendance_total": 45,
        "attendance_women": 25,
        "attendance_men": 20,
        "attendance_youth": 38,
        "materials": ["flyers", "presentation"],
        "languages": ["es", "tar"],
        "notes": "Notaxyz: la directora pidió otra plática"
    })
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

#[tokio::test]
async fn events_over_the_api_and_the_pages_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_staff(&dir, ORG, "vera@esperanza.org", "volunteer", "es", VERA_PW);
    let vera = api_token(&dir, ORG, "vera@esperanza.org");
    add_staff(&dir, ORG, "carl@esperanza.org", "case_manager", "en", CARL_PW);
    let analyst = user_with_token(&dir, ORG, "ana@esperanza.org", "analyst");
    add_staff(&dir, ORG, "clara@esperanza.org", "clinician", "es", VERA_PW);
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // --- API: a volunteer records an event; 201 with its id.
    let (st, e) = api_call(&http, &s, &vera, Method::POST, "/api/v1/events", Some(talk())).await;
    assert_eq!(st, StatusCode::CREATED, "{e}");
    let id = e["id"].as_str().expect("id").to_owned();
    assert_eq!((e["version"].as_i64(), e["region"].as_str()), (Some(1), Some("MX-CHH")));
    // Listed in its period, without the notes; not outside it.
    let (st, list) =
        api_call(&http, &s, &analyst, Method::GET, "/api/v1/events?from=2026-10-01&to=2026-10-31", None).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["attendance_total"], 45);
    assert!(items[0].get("notes").is_none(), "{list}");
    let (_, list) = api_call(&http, &s, &analyst, Method::GET, "/api/v1/events?from=2026-11-01", None).await;
    assert!(list["items"].as_array().unwrap().is_empty(), "{list}");
    // One event, with its notes.
    let (st, one) = api_call(&http, &s, &analyst, Method::GET, &format!("/api/v1/events/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(one["notes"], "Notaxyz: la directora pidió otra plática");
    // Refused input: 422 with a code.
    for (body, code) in [
        (with(talk(), "attendance_men", json!(21)), "event_breakdown_exceeds_total"),
        (with(talk(), "attendance_total", json!(-1)), "event_attendance_invalid"),
        (with(talk(), "kind", json!("fiesta")), "unknown_code"),
        (with(talk(), "held_on", json!("15/10/2026")), "event_date_invalid"),
        (with(talk(), "audiences", json!([])), "event_audience_required"),
        (with(talk(), "region", json!("")), "event_region_required"),
    ] {
        let (st, err) = api_call(&http, &s, &vera, Method::POST, "/api/v1/events", Some(body)).await;
        assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some(code)), "{err}");
    }
    let (st, err) = api_call(&http, &s, &vera, Method::GET, "/api/v1/events?from=2026-10-31&to=2026-10-01", None).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("event_period_reversed")));
    // An analyst reads but does not record.
    let (st, _) = api_call(&http, &s, &analyst, Method::POST, "/api/v1/events", Some(talk())).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // A replacement with the version read; the same version again is a conflict.
    let change = with(with(talk(), "attendance_total", json!(60)), "version", json!(1));
    let (st, saved) =
        api_call(&http, &s, &vera, Method::PUT, &format!("/api/v1/events/{id}"), Some(change.clone())).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!((saved["version"].as_i64(), saved["attendance_total"].as_i64()), (Some(2), Some(60)));
    let (st, err) = api_call(&http, &s, &vera, Method::PUT, &format!("/api/v1/events/{id}"), Some(change)).await;
    assert_eq!((st, err["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{err}");
    let (st, _) = api_call(&http, &s, &vera, Method::PUT, &format!("/api/v1/events/{id}"), Some(talk())).await;
    assert_eq!(st, StatusCode::CONFLICT, "no version: conflict");
    // In the OpenAPI document.
    let (st, doc) = api_call(&http, &s, &vera, Method::GET, "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["paths"]["/api/v1/events"]["post"].is_object(), "{}", doc["paths"]);
    assert!(doc["paths"]["/api/v1/events/{id}"]["put"].is_object());

    // --- Pages in Spanish: the volunteer's list, then a form with a mistake, then a save.
    let es = sign_in(&s, "vera@esperanza.org", VERA_PW, "una contraseña nueva y larga de la voluntaria").await;
    let (st, page) = get(&es, &s, "/events").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(r#"id="nav-events""#) && page.contains("Actividades de prevención y capacitación"), "{page}");
    assert!(page.contains(&format!("href=\"/events/{id}\"")) && page.contains("Plática de prevención"), "{page}");
    assert!(page.contains("15/10/2026") && page.contains("(MX-CHH)"), "{page}");
    assert!(!page.contains("Notaxyz"), "the list does not open the notes");
    let (st, form) = get(&es, &s, "/events/new").await;
    assert_eq!(st, StatusCode::OK);
    let fields = [
        ("kind", "workshop"),
        ("held_on", "2026-10-20"),
        ("region", "MX-CHH"),
        ("setting", "community_centre"),
        ("audiences", "youth"),
        ("audiences", "parents"),
        ("attendance_total", "doce"),
        ("materials", "booklet"),
        ("languages", "es, tar"),
        ("notes", "Taller en la colonia Anáhuac"),
    ];
    let r = post(&es, &s, "/events", &form, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("Escriba un número entero, 0 o mayor."), "{back}");
    // What was typed comes back.
    assert!(back.contains("Taller en la colonia Anáhuac") && back.contains(r#"value="doce""#), "{back}");
    assert!(back.contains(r#"id="audience-youth" name="audiences" value="youth" checked"#), "{back}");
    assert!(back.contains(r#"<option value="community_centre" selected>"#), "{back}");
    let mut good = fields.to_vec();
    good.retain(|(k, _)| *k != "attendance_total");
    good.push(("attendance_total", "12"));
    let r = post(&es, &s, "/events", &back, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new_id = id_in(&location(&r), "/events/");
    let (st, page) = get(&es, &s, &format!("/events/{new_id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Taller en la colonia Anáhuac") && page.contains(r#"name="version" value="1""#), "{page}");
    // Saving it twice from the same page: the second is stale.
    let r = post(
        &es,
        &s,
        &format!("/events/{new_id}"),
        &page,
        &[("version", "1"), ("attendance_total", "15")]
            .into_iter()
            .chain(good.iter().copied().filter(|(k, _)| *k != "attendance_total"))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(
        &es,
        &s,
        &format!("/events/{new_id}"),
        &page,
        &good.iter().copied().chain([("version", "1")]).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // --- Pages in English: the case manager's list of October, and a reversed period.
    let en = sign_in(&s, "carl@esperanza.org", CARL_PW, "a new and long password of the case manager").await;
    let (st, page) = get(&en, &s, "/events?from=2026-10-01&to=2026-10-31").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Outreach and training events") && page.contains(r#"id="nav-events""#), "{page}");
    assert!(page.contains("Workshop") && page.contains("Prevention talk"), "{page}");
    assert!(page.contains(r#"<strong id="events-count">2</strong>"#), "{page}");
    assert!(page.contains(r#"<strong id="events-reached">75</strong>"#), "{page}");
    let (st, page) = get(&en, &s, "/events?from=2026-10-31&to=2026-10-01").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The end of the period is before its start."), "{page}");
    assert!(page.contains(r#"value="2026-10-31""#), "the period typed comes back");

    // --- A clinician reads the details but has no form, and no new-event page.
    let clara = sign_in(&s, "clara@esperanza.org", VERA_PW, "una contraseña nueva y larga de la clínica").await;
    let (st, page) = get(&clara, &s, &format!("/events/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(r#"id="event-details""#) && page.contains("Notaxyz"), "{page}");
    assert!(!page.contains(r#"id="save-event""#) && !page.contains("/events/new"), "{page}");
    let (st, _) = get(&clara, &s, "/events/new").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let r = post(&clara, &s, "/events", &page, &[("kind", "workshop")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
