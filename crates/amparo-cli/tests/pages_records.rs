//! The survivor-record pages over real HTTP, without JavaScript, in both languages: intake,
//! the person page, search, cases, editing with a conflicting save, outreach on an unsafe
//! channel, consent, and the access log. A separate binary from `server.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use reqwest::StatusCode;

fn add_user(dir: &Path, email: &str, role: &str, language: &str, password: &str) {
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--email",
        email,
        "--role",
        role,
        "--language",
        language,
        "--password-stdin",
    ]);
    ok(&run(c, &format!("{password}\n")));
}

/// The value of the first team checkbox that is ticked (the colleagues are all listed).
fn checked_team_member(page: &str) -> &str {
    page.split("name=\"team\" value=\"")
        .skip(1)
        .find_map(|rest| rest.split_once('"').filter(|(_, after)| after.starts_with(" checked")).map(|(v, _)| v))
        .expect("a ticked team member")
}

#[tokio::test]
async fn survivor_record_pages_work_end_to_end_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_user(&dir, "lucia@esperanza.org", "case_manager", "es", "primera contraseña de lucía");
    add_user(&dir, "ana@esperanza.org", "case_manager", "en", "ana's first password here");
    let s = serve(&dir, &[], &[]);

    // The administrator manages the organisation but sees no records: no record links.
    let admin = browser();
    let page = admin.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = post(&admin, &s, "/login", &page, &[("email", ADMIN), ("password", PASSWORD)]).await;
    assert_eq!(location(&r), "/mfa");
    let page = admin.get(s.url("/mfa")).send().await.unwrap().text().await.unwrap();
    let secret =
        amparo_crypto::TotpSecret::from_base32(between(&page, "<code id=\"totp-secret\" translate=\"no\">", "<"))
            .unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = secret.code_at(i64::try_from(now).unwrap());
    let r = post(&admin, &s, "/mfa", &page, &[("code", code.as_str())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (code, home) = get(&admin, &s, "/").await;
    assert_eq!(code, StatusCode::OK);
    assert!(home.contains("href=\"/admin/users\""));
    assert!(
        !home.contains("href=\"/cases\"") && !home.contains("href=\"/intake\"") && !home.contains("href=\"/search\"")
    );
    let (code, _) = get(&admin, &s, "/cases").await;
    assert_eq!(code, StatusCode::FORBIDDEN, "administrators read no records");

    let lucia =
        sign_in(&s, "lucia@esperanza.org", "primera contraseña de lucía", "el río baja despacio entre piedras").await;
    let (code, home) = get(&lucia, &s, "/").await;
    assert_eq!(code, StatusCode::OK);
    assert!(home.contains("<html lang=\"es\">"));
    assert!(home.contains("href=\"/cases\"") && home.contains("href=\"/search\"") && home.contains("href=\"/intake\""));
    assert!(home.contains(">Casos<") && home.contains(">Buscar<"));

    // Intake with an alias only → the person page shows the alias.
    let (code, intake) = get(&lucia, &s, "/intake").await;
    assert_eq!(code, StatusCode::OK);
    assert!(intake.contains("<legend>") && intake.contains("for=\"alias\""));
    let r = post(
        &lucia,
        &s,
        "/intake",
        &intake,
        &[
            ("alias", "Xóchitl"),
            ("primary_language", "nah"),
            ("sc_whatsapp_safe", "1"),
            ("sc_whatsapp_code_word", "girasol"),
            ("sc_whatsapp_safe_times", "después de las 8 pm"),
            ("sc_phone_voicemail", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "intake: {:?}", r.text().await);
    let to = location(&r);
    assert!(!to.contains("X%C3%B3chitl") && !to.contains("Xóchitl"), "no names in URLs: {to}");
    let person = id_in(&to, "/persons/");
    let (code, page) = get(&lucia, &s, &to).await;
    assert_eq!(code, StatusCode::OK, "{page}");
    assert!(page.contains("<html lang=\"es\">"));
    assert!(page.contains("<h1 id=\"person-alias\">Xóchitl</h1>"));
    assert!(page.contains("Náhuatl"), "the language label in Spanish");
    assert!(page.contains("girasol") && page.contains("después de las 8 pm"));
    assert!(page.contains("id=\"outreach-whatsapp\"") && !page.contains("id=\"outreach-phone\""));

    // Intake with neither alias nor name → 422, the message next to the field, and the
    // language chosen is still chosen.
    let r = post(&lucia, &s, "/intake", &intake, &[("alias", "  "), ("primary_language", "mam")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"alias-error\"") && page.contains("aria-invalid=\"true\""));
    assert!(page.contains("href=\"#alias\""), "the error summary links to the field");
    assert!(page.contains("<option value=\"mam\" selected>"), "the typed language is kept");

    // Search travels in a POST body and finds the person without the accent.
    let (_, search) = get(&lucia, &s, "/search").await;
    let r = post(&lucia, &s, "/search", &search, &[("q", "xochitl")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let found = r.text().await.unwrap();
    assert!(found.contains(&format!("href=\"/persons/{person}\"")) && found.contains("Xóchitl"));
    let r = post(&lucia, &s, "/search", &search, &[("q", "x")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"q-error\"") && page.contains("value=\"x\""));
    let r = post(&lucia, &s, "/search", &search, &[("q", "zzzzqqq")]).await;
    assert!(r.text().await.unwrap().contains("id=\"search-empty\""));

    // Open a case → its number is shown, on the case page and on the person's.
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    let r = post(&lucia, &s, &format!("/persons/{person}/cases"), &page, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case_url = location(&r);
    let case = id_in(&case_url, "/cases/");
    let (code, case_page) = get(&lucia, &s, &case_url).await;
    assert_eq!(code, StatusCode::OK, "{case_page}");
    let number = between(&case_page, "<span class=\"case-number\" id=\"case-number\">", "<").to_owned();
    assert!(number.len() >= 11 && number.as_bytes()[4] == b'-', "{number}");
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert!(page.contains(&number));
    // The caseload lists it, filters by status code, and the number finds the person.
    let (code, caseload) = get(&lucia, &s, "/cases?status=Active&mine=1").await;
    assert_eq!(code, StatusCode::OK);
    assert!(caseload.contains(&number) && caseload.contains("Xóchitl") && caseload.contains("<caption>"));
    let (_, closed) = get(&lucia, &s, "/cases?status=Closed").await;
    assert!(!closed.contains(&number));
    let (code, _) = get(&lucia, &s, "/cases?status=nonsense").await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(&lucia, &s, "/search", &search, &[("q", number.as_str())]).await;
    assert!(r.text().await.unwrap().contains(&format!("href=\"/persons/{person}\"")));

    // Edit the case: exploitation types (several), status; then a stale version → 409.
    let r = post(
        &lucia,
        &s,
        &format!("/cases/{case}"),
        &case_page,
        &[
            ("version", "1"),
            ("status", "FollowUp"),
            ("exploitation_types", "ForcedLabour"),
            ("exploitation_types", "amparo_ForcedCriminality"),
            ("means_of_control", "DebtBondage"),
            ("team", checked_team_member(&case_page)),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, case_page2) = get(&lucia, &s, &case_url).await;
    assert!(case_page2.contains("Trabajos forzados") && case_page2.contains("Actividades delictivas forzadas"));
    assert!(case_page2.contains("En seguimiento"));
    let r = post(&lucia, &s, &format!("/cases/{case}"), &case_page, &[("version", "1"), ("status", "Closed")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("id=\"conflict-table\""));

    // Edit the person: a first save works; the same form sent again is stale → 409, with
    // both versions side by side and the current version number.
    let (code, edit) = get(&lucia, &s, &format!("/persons/{person}/edit")).await;
    assert_eq!(code, StatusCode::OK, "{edit}");
    assert!(edit.contains("name=\"given_name_decline\"") && edit.contains("value=\"prefers_not_to_answer\""));
    let version = between(&edit, "name=\"version\" value=\"", "\"").to_owned();
    let fields = |given: &'static str| {
        vec![
            ("version", version.clone()),
            ("alias", "Xóchitl".to_owned()),
            ("given_name", given.to_owned()),
            ("birth_date_decline", "client_doesnt_know".to_owned()),
            ("primary_language", "nah".to_owned()),
            ("narrative", "Me llevaron a trabajar sin paga. <script>alert(1)</script>".to_owned()),
            ("sc_whatsapp_safe", "1".to_owned()),
            ("sc_whatsapp_code_word", "girasol".to_owned()),
            ("sc_whatsapp_safe_times", "después de las 8 pm".to_owned()),
            ("sc_phone_voicemail", "1".to_owned()),
        ]
    };
    let pairs = fields("Ana María");
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&lucia, &s, &format!("/persons/{person}/edit"), &edit, &borrowed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let pairs = fields("Ana Luisa");
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&lucia, &s, &format!("/persons/{person}/edit"), &edit, &borrowed).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"conflict-table\"") && page.contains("Ana Luisa") && page.contains("Ana María"));
    let current: i64 = version.parse::<i64>().unwrap() + 1;
    assert!(page.contains(&format!("name=\"version\" value=\"{current}\"")), "the current version to resubmit against");

    // The story sits inside a closed <details> behind a content note, escaped.
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    let details = between(&page, "<details class=\"content-note\" id=\"narrative\">", "</details>");
    assert!(details.contains("<summary>") && details.contains("Me llevaron a trabajar sin paga."));
    assert!(!page.contains("<details class=\"content-note\" id=\"narrative\" open"));
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("La persona usuaria no lo sabe"), "the decline code, in words");
    // Safe contact was not changed by the edit, so it still counts as confirmed at intake.
    assert!(!page.contains("id=\"safe-contact-reconfirm\""));

    // Outreach on a channel not marked safe is refused with a clear message (409); on a
    // safe one it is logged.
    let r = post(&lucia, &s, &format!("/persons/{person}/outreach"), &page, &[("channel", "phone")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("no está marcado como seguro"), "{refused}");
    let r = post(&lucia, &s, &format!("/persons/{person}/outreach"), &page, &[("channel", "whatsapp")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Consent: a form without fields comes back (422); a good one is listed as valid; it
    // can be revoked.
    let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(180)).to_string();
    let consent = [
        ("recipient_name", "Clínica Santa Fe"),
        ("purpose", "Atención médica"),
        ("expires_on", expires.as_str()),
        ("given_as", "written"),
    ];
    let r = post(&lucia, &s, &format!("/persons/{person}/consents"), &page, &consent).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("id=\"fields-error\"") && back.contains("value=\"Clínica Santa Fe\""));
    let mut with_fields = consent.to_vec();
    with_fields.extend([("fields", "alias"), ("fields", "phone")]);
    let r = post(&lucia, &s, &format!("/persons/{person}/consents"), &page, &with_fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert!(page.contains("Clínica Santa Fe") && page.contains("badge-valid"));
    let revoke = between(&page, "action=\"/persons/", "\"").to_owned();
    let revoke = page
        .split("action=\"")
        .filter_map(|p| p.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .unwrap_or_else(|| panic!("a revoke form: {revoke}"))
        .to_owned();
    let r = post(&lucia, &s, &revoke, &page, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert!(page.contains("badge-revoked"));

    // The access log lists the reads, by whom.
    let (code, log) = get(&lucia, &s, &format!("/persons/{person}/access-log")).await;
    assert_eq!(code, StatusCode::OK, "{log}");
    assert!(log.contains("<caption>") && log.contains("scope=\"col\""));
    assert!(log.contains("<code>person.read</code>") && log.contains("lucia@esperanza.org"));
    assert!(log.contains("<code>case.read</code>") && log.contains("<code>person.update</code>"));

    // A colleague who works in English and is not on the team: English pages, and the case
    // is forbidden with break-glass offered (which then opens it).
    let ana = sign_in(&s, "ana@esperanza.org", "ana's first password here", "quiet harbour lights over the bay").await;
    let (_, home) = get(&ana, &s, "/").await;
    assert!(home.contains("<html lang=\"en\">") && home.contains(">Cases<") && home.contains(">Search<"));
    let (code, page) = get(&ana, &s, &case_url).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    assert!(page.contains("action=\"/cases/") && page.contains("break-glass"));
    let r =
        post(&ana, &s, &format!("/cases/{case}/break-glass"), &page, &[("reason", "short"), ("password", "x")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"reason-error\""));
    let r = post(
        &ana,
        &s,
        &format!("/cases/{case}/break-glass"),
        &page,
        &[("reason", "Safety call from the shelter tonight"), ("password", "quiet harbour lights over the bay")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (code, page) = get(&ana, &s, &case_url).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">") && page.contains(&number) && page.contains("Forced labour"));
    let (code, page) = get(&ana, &s, &format!("/persons/{person}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Content note") && page.contains("Nahuatl"));
    let (_, log) = get(&lucia, &s, &format!("/persons/{person}/access-log")).await;
    assert!(log.contains("<code>case.break_glass</code>") && log.contains("ana@esperanza.org"));

    // Unknown ids are 404s; an unsigned visitor is sent to sign in.
    let (code, _) = get(&lucia, &s, "/persons/00000000-0000-4000-8000-000000000000").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, _) = get(&browser(), &s, &format!("/persons/{person}")).await;
    assert_eq!(code, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn erasure_needs_an_administrator_and_a_different_supervisor() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_user(&dir, "lucia@esperanza.org", "case_manager", "es", "primera contraseña de lucía");
    add_user(&dir, "sara@esperanza.org", "supervisor", "en", "sara's first password here");
    let s = serve(&dir, &[], &[]);
    let lucia =
        sign_in(&s, "lucia@esperanza.org", "primera contraseña de lucía", "el río baja despacio entre piedras").await;
    let (_, intake) = get(&lucia, &s, "/intake").await;
    let r = post(&lucia, &s, "/intake", &intake, &[("alias", "Perlita"), ("primary_language", "es")]).await;
    let person = id_in(&location(&r), "/persons/");
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    let r = post(&lucia, &s, &format!("/persons/{person}/cases"), &page, &[]).await;
    let (_, case_page) = get(&lucia, &s, &location(&r)).await;
    let number = between(&case_page, "<span class=\"case-number\" id=\"case-number\">", "<").to_owned();
    let (code, _) = get(&lucia, &s, "/erasures").await;
    assert_eq!(code, StatusCode::FORBIDDEN, "case managers neither ask nor decide");

    // The administrator asks, by case number; a wrong number is a message next to the field.
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let (code, page) = get(&admin, &s, "/erasures").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("href=\"/erasures\"") && page.contains("id=\"who\""));
    let r =
        post(&admin, &s, "/erasures", &page, &[("who", "2020-999999"), ("reason", "la persona lo pidió por escrito")])
            .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"who-error\"") && body.contains("value=\"2020-999999\""));
    let r = post(
        &admin,
        &s,
        "/erasures",
        &page,
        &[("who", number.as_str()), ("reason", "la persona lo pidió por escrito")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&admin, &s, "/erasures").await;
    assert!(
        page.contains("la persona lo pidió por escrito") && !page.contains("action=\"/erasures/"),
        "the asker cannot decide"
    );

    // A supervisor decides, with their password; then the record is gone for good.
    let sara =
        sign_in(&s, "sara@esperanza.org", "sara's first password here", "a quiet morning by the river bank").await;
    let (code, page) = get(&sara, &s, "/erasures").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">") && page.contains("Waiting for a supervisor"));
    let action = format!("/erasures/{}/decide", between(&page, "action=\"/erasures/", "/decide\""));
    let r = post(&sara, &s, &action, &page, &[("decision", "approve"), ("password", "not the right one at all")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(get(&lucia, &s, &format!("/persons/{person}")).await.0 == StatusCode::OK, "not erased yet");
    let r =
        post(&sara, &s, &action, &page, &[("decision", "approve"), ("password", "a quiet morning by the river bank")])
            .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (code, _) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert_eq!(code, StatusCode::GONE);
    let (_, page) = get(&sara, &s, "/erasures").await;
    assert!(page.contains("Approved — erased"));
}
