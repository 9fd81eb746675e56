//! The person page's consent form names a partner from the directory (not only the API can),
//! through the real binary over HTTP, in Spanish and in English: the choice is offered, a
//! consent to a partner is listed under the partner's name, choosing a partner and typing a
//! name both is refused with the form kept as typed, and a referral to that partner then
//! finds the consent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::{Method, StatusCode};
use serde_json::json;

const ORG: &str = "Refugio Esperanza";

#[tokio::test]
async fn the_consent_form_names_a_partner_from_the_directory_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let partner_dir = tmp.path().join("partner");
    init(&partner_dir, &[]);
    let partner_key = cli(&partner_dir, &[], &["identity", "show"], "").lines().last().unwrap().trim().to_owned();
    let pw = "una frase larga para el personal";
    add_staff(&dir, ORG, "lucia@esperanza.org", "case_manager", "es", pw);
    let mary_id = add_staff(&dir, ORG, "mary@esperanza.org", "case_manager", "en", pw);
    let admin = api_token(&dir, ORG, ADMIN);
    let cm = api_token(&dir, ORG, "lucia@esperanza.org");
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::new();

    let body = json!({"name": "Casa Juárez", "country": "MX", "languages": ["es"], "services": ["housing"], "public_key": partner_key});
    let (st, v) = api_call(&http, &s, &admin, Method::POST, "/api/v1/partners", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let partner = v["id"].as_str().unwrap().to_owned();
    let (st, v) = api_call(&http, &s, &cm, Method::POST, "/api/v1/persons", Some(json!({"alias": "Luz"}))).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let person = v["id"].as_str().unwrap().to_owned();
    // Mary is on the case team too, so she may record consents.
    let (st, v) =
        api_call(&http, &s, &cm, Method::POST, "/api/v1/cases", Some(json!({"person_id": person, "team": [mary_id]})))
            .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");

    let lucia = sign_in(&s, "lucia@esperanza.org", pw, "una frase nueva para lucía").await;
    let path = format!("/persons/{person}");
    let (st, page) = get(&lucia, &s, &path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("id=\"recipient_partner_id\"") && page.contains("Organización aliada del directorio"),
        "{page}"
    );
    assert!(page.contains(&format!("<option value=\"{partner}\">Casa Juárez</option>")), "{page}");

    let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(180)).to_string();
    // A partner and a typed name both: refused, kept as typed.
    let both = [
        ("recipient_partner_id", partner.as_str()),
        ("recipient_name", "Clínica Santa Fe"),
        ("fields", "alias"),
        ("purpose", "Vivienda"),
        ("expires_on", expires.as_str()),
        ("given_as", "written"),
    ];
    let r = post(&lucia, &s, &format!("{path}/consents"), &page, &both).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("id=\"recipient_partner_id-error\"") && back.contains("pero no ambos"), "{back}");
    assert!(
        back.contains(&format!("<option value=\"{partner}\" selected>")) && back.contains("value=\"Clínica Santa Fe\"")
    );

    // The partner alone: recorded, and listed under the partner's name.
    let only_partner: Vec<(&str, &str)> = both.iter().copied().filter(|(k, _)| *k != "recipient_name").collect();
    let r = post(&lucia, &s, &format!("{path}/consents"), &page, &only_partner).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, page) = get(&lucia, &s, &path).await;
    let table = between(&page, "id=\"consent-table\"", "</table>");
    assert!(table.contains("Casa Juárez") && table.contains("badge-valid"), "{table}");
    let (st, v) = api_call(&http, &s, &cm, Method::GET, &format!("/api/v1/persons/{person}/consents"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["items"][0]["recipient_partner_id"].as_str(), Some(partner.as_str()), "{v}");
    // So a referral to that partner, of what the consent covers, is accepted.
    let (st, v) = api_call(
        &http,
        &s,
        &cm,
        Method::POST,
        "/api/v1/referrals",
        Some(json!({"person_id": person, "partner_id": partner, "fields": ["alias"], "reason": "Vivienda"})),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");

    // In English, the same choice.
    let mary = sign_in(&s, "mary@esperanza.org", pw, "a new long phrase for mary").await;
    let (st, page) = get(&mary, &s, &path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Partner from the directory") && page.contains("Not in the directory"), "{page}");
}
