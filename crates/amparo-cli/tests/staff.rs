//! The people of the organisation through the real `amparo` binary over real HTTP on
//! loopback: a volunteer before their access date (or without the trainings) gets 403/404 on
//! every survivor record through pages and API, and the access their role allows once a
//! coordinator records a start date far enough back and the trainings; nobody opens their own
//! gate; the private ProQOL check-in through the API (201 with subscales and bands, 422 with
//! a code) and the pages (30 items without JavaScript, a missing answer re-rendered with what
//! was chosen, the result with bands and the attribution, in Spanish); the supervisors'
//! aggregate shows nothing below five respondents.
//!
//! The server runs on the system clock, so "after the date" is reached by moving the start
//! date back, not the clock (the app tests move the clock).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const VOL_PASSWORD: &str = "la voluntaria llega temprano al refugio";

async fn call(
    http: &reqwest::Client,
    s: &Server,
    token: &str,
    m: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    api_call(http, s, token, m, path, body).await
}

#[tokio::test]
async fn volunteer_is_held_back_until_date_and_trainings_and_checks_in_privately() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let s = serve(dir, &[], &[]);
    let cm = api_user(dir, &[], ORG, "lucia@esperanza.org", "case_manager");
    let sup = api_user(dir, &[], ORG, "sofia@esperanza.org", "supervisor");
    let vol_id = add_staff(dir, ORG, "vale@esperanza.org", "volunteer", "es", VOL_PASSWORD);
    let vol = api_token(dir, ORG, "vale@esperanza.org");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let (st, p) =
        call(&http, &s, &cm.token, Method::POST, "/api/v1/persons", Some(json!({ "alias": "Golondrina" }))).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let person = p["id"].as_str().unwrap().to_owned();
    let (st, c) = call(
        &http,
        &s,
        &cm.token,
        Method::POST,
        "/api/v1/cases",
        Some(json!({ "person_id": person, "team": [cm.id, vol_id] })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let case = c["id"].as_str().unwrap().to_owned();
    let record_paths = [format!("/api/v1/persons/{person}"), format!("/api/v1/cases/{case}")];
    let refused = |st: StatusCode| st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND;

    // A new volunteer: no start date, no trainings. Every record refused, through the API…
    for path in &record_paths {
        let (st, body) = call(&http, &s, &vol, Method::GET, path, None).await;
        assert!(refused(st), "{path}: {st} {body}");
    }
    let (_, list) = call(&http, &s, &vol, Method::GET, "/api/v1/cases", None).await;
    assert!(list.to_string().find(&case).is_none(), "the caseload shows nothing: {list}");
    // …and through the pages.
    let page = sign_in(&s, "vale@esperanza.org", VOL_PASSWORD, "el mar de la tarde es tranquilo y azul").await;
    for path in [format!("/persons/{person}"), format!("/cases/{case}")] {
        let (st, _) = get(&page, &s, &path).await;
        assert!(refused(st), "{path}: {st}");
    }
    // The volunteer sees why, and cannot set their own start date.
    let profile_path = format!("/api/v1/staff/{vol_id}/profile");
    let (st, own) = call(&http, &s, &vol, Method::GET, &profile_path, None).await;
    assert_eq!(st, StatusCode::OK, "{own}");
    assert_eq!(own["access"]["clearance"], "not_yet", "{own}");
    let long_ago = (Utc::now() - Duration::days(400)).date_naive().to_string();
    let (st, body) = call(
        &http,
        &s,
        &vol,
        Method::PUT,
        &profile_path,
        Some(json!({ "start_date": long_ago, "languages": [{ "language": "es", "level": "C2" }], "version": 0 })),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    let training = |course: &str| json!({ "course": course, "completed_on": Utc::now().date_naive().to_string() });
    let trainings_path = format!("/api/v1/staff/{vol_id}/trainings");
    let (st, _) = call(&http, &s, &vol, Method::POST, &trainings_path, Some(training("confidentiality"))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The coordinator: started today, trainings done. Still refused: the date is six months off.
    let today = Utc::now().date_naive().to_string();
    let (st, saved) =
        call(&http, &s, &sup.token, Method::PUT, &profile_path, Some(json!({ "start_date": today, "version": 0 })))
            .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let opens_on = saved["access"]["opens_on"].as_str().unwrap().to_owned();
    assert!(opens_on > today, "{saved}");
    for course in ["confidentiality", "trauma_informed_care"] {
        let (st, t) = call(&http, &s, &sup.token, Method::POST, &trainings_path, Some(training(course))).await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
    }
    for path in &record_paths {
        assert!(refused(call(&http, &s, &vol, Method::GET, path, None).await.0), "{path}");
    }
    // The day access opens is on the volunteer's own profile page.
    let (st, html) = get(&page, &s, "/staff/me").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Todavía no: se abre el"), "{html}");
    let (_, home) = get(&page, &s, "/").await;
    assert!(home.contains("id=\"access-pending\"") && home.contains("Todavía no: se abre el"), "{home}");
    // A start date 400 days back: the date has passed, the trainings are complete.
    let (st, saved) = call(
        &http,
        &s,
        &sup.token,
        Method::PUT,
        &profile_path,
        Some(json!({ "start_date": long_ago, "version": saved["version"] })),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["access"]["clearance"], "cleared", "{saved}");
    // The access the role allows: the record's summary and the case, through API and pages.
    for path in &record_paths {
        let (st, body) = call(&http, &s, &vol, Method::GET, path, None).await;
        assert_eq!(st, StatusCode::OK, "{path}: {body}");
    }
    for path in [format!("/persons/{person}"), format!("/cases/{case}")] {
        assert_eq!(get(&page, &s, &path).await.0, StatusCode::OK, "{path}");
    }
    assert!(!get(&page, &s, "/").await.1.contains("access-pending"), "nothing pending once cleared");
    // Never more than the role: no new records.
    let (st, _) = call(&http, &s, &vol, Method::POST, "/api/v1/persons", Some(json!({ "alias": "x" }))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The private check-in through the API.
    let answers: Vec<i64> = (0..30).map(|i| i % 5 + 1).collect();
    let (st, r) = call(
        &http,
        &s,
        &vol,
        Method::POST,
        "/api/v1/me/wellbeing",
        Some(json!({ "instrument": "proqol5", "answers": answers })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(
        r["subscales"],
        json!({ "compassion_satisfaction": 28, "burnout": 28, "secondary_traumatic_stress": 32 })
    );
    assert_eq!(
        r["bands"],
        json!({ "compassion_satisfaction": "moderate", "burnout": "moderate", "secondary_traumatic_stress": "moderate" })
    );
    let mut bad = answers.clone();
    bad[2] = 0;
    let (st, e) = call(
        &http,
        &s,
        &vol,
        Method::POST,
        "/api/v1/me/wellbeing",
        Some(json!({ "instrument": "proqol5", "answers": bad })),
    )
    .await;
    assert_eq!(
        (st, e["error"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("screening_answer_out_of_range"), Some("answers.3"))
    );
    let (st, e) = call(
        &http,
        &s,
        &vol,
        Method::POST,
        "/api/v1/me/wellbeing",
        Some(json!({ "instrument": "proqol5", "answers": [3, 3] })),
    )
    .await;
    assert_eq!((st, e["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("screening_answer_count")));
    // The supervisor sees neither the result nor, with one respondent, any aggregate.
    let (st, mine) = call(&http, &s, &sup.token, Method::GET, "/api/v1/me/wellbeing", None).await;
    assert_eq!((st, mine["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    let (st, agg) = call(&http, &s, &sup.token, Method::GET, "/api/v1/wellbeing/aggregate", None).await;
    assert_eq!(st, StatusCode::OK, "{agg}");
    assert!(agg["respondents"].is_null() && agg["subscales"] == json!([]), "{agg}");
    let (st, _) = call(&http, &s, &vol, Method::GET, "/api/v1/wellbeing/aggregate", None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The pages, in Spanish (the volunteer's language), without JavaScript.
    let (st, form) = get(&page, &s, "/me/wellbeing").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(form.matches("<fieldset class=\"screening-item\"").count(), 30);
    assert!(form.contains("Adaptado del ProQOL") && form.contains("https://proqol.org"), "attribution");
    let mut fields: Vec<(String, String)> = (1..=30).map(|n| (format!("item_{n}"), "3".to_owned())).collect();
    fields.retain(|(k, _)| k != "item_7");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post(&page, &s, "/me/wellbeing", &form, &pairs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(again.contains("Pregunta 7: por favor elija una respuesta."), "{again}");
    assert!(again.contains("id=\"item_1-3\" name=\"item_1\" value=\"3\" checked"), "what was chosen stays chosen");
    let mut full = pairs.clone();
    full.push(("item_7", "3"));
    let r = post(&page, &s, "/me/wellbeing", &again, &full).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.starts_with("/me/wellbeing/"), "{to}");
    let (st, result) = get(&page, &s, &to).await;
    assert_eq!(st, StatusCode::OK);
    assert!(result.contains("Satisfacción por compasión") && result.contains("Moderado"), "{result}");
    assert!(result.contains("Center for Victims of Torture") && result.contains("https://proqol.org"));
    // Not the supervisor's to read, even with the link.
    let sup_id = add_staff(dir, ORG, "rosa@esperanza.org", "supervisor", "en", "rosa's first password is long");
    assert!(!sup_id.is_empty());
    let sup_page =
        sign_in(&s, "rosa@esperanza.org", "rosa's first password is long", "a calm evening by the old harbour").await;
    assert_eq!(get(&sup_page, &s, &to).await.0, StatusCode::NOT_FOUND);
    let (st, agg_page) = get(&sup_page, &s, "/wellbeing/aggregate").await;
    assert_eq!(st, StatusCode::OK);
    assert!(agg_page.contains("id=\"too-few\""), "{agg_page}");
    assert!(!agg_page.contains("id=\"respondents\""));
    let (st, people) = get(&sup_page, &s, "/staff").await;
    assert_eq!(st, StatusCode::OK);
    assert!(people.contains(&vol_id), "the people list links the volunteer");

    assert!(
        people.contains("id=\"policy-form\"") && !people.contains("id=\"policy-submit\""),
        "read-only for supervisors"
    );

    // The administrator drops the policy for volunteers from the page: a new volunteer is no
    // longer held back. A bad number comes back with a message and what was typed.
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let (st, staff_page) = get(&admin, &s, "/staff").await;
    assert_eq!(st, StatusCode::OK);
    let r = post(
        &admin,
        &s,
        "/staff/policy",
        &staff_page,
        &[("months", "99"), ("required_courses", "confidentiality"), ("version", "0")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("value=\"99\""), "what was typed stays");
    let r = post(
        &admin,
        &s,
        "/staff/policy",
        &back,
        &[("months", "3"), ("required_courses", "confidentiality"), ("version", "0")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, policy) = call(&http, &s, &vol, Method::GET, "/api/v1/staff/access-policy", None).await;
    assert_eq!(policy, json!({ "months": 3, "required_courses": ["confidentiality"], "roles": [], "version": 1 }));
    let new_vol_id = add_staff(dir, ORG, "nico@esperanza.org", "volunteer", "es", VOL_PASSWORD);
    let new_vol = api_token(dir, ORG, "nico@esperanza.org");
    let (_, fresh) = call(&http, &s, &new_vol, Method::GET, &format!("/api/v1/staff/{new_vol_id}/profile"), None).await;
    assert_eq!(
        (fresh["access"]["applies"].as_bool(), fresh["access"]["clearance"].as_str()),
        (Some(false), Some("cleared")),
        "{fresh}"
    );

    // A training recorded by mistake is removed from the profile page (a coordinator's button).
    let (_, prof_page) = get(&admin, &s, &format!("/staff/{vol_id}")).await;
    let training_id = between(&prof_page, "id=\"remove-", "\"").to_owned();
    let r = post(&admin, &s, &format!("/staff/{vol_id}/trainings/{training_id}/delete"), &prof_page, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, after) = call(&http, &s, &vol, Method::GET, &profile_path, None).await;
    assert_eq!(after["trainings"].as_array().map(Vec::len), Some(1), "{after}");
    let (_, own_page) = get(&page, &s, "/staff/me").await;
    assert!(!own_page.contains("id=\"remove-"), "the person cannot remove their own trainings");
}
