//! Configurable forms over real HTTP with the real binary: an administrator hides and
//! relabels fields on the Forms page (CSRF form, no JavaScript), adds a field of the
//! organisation's own, and chooses the word for the people served; the intake, edit and
//! person pages follow in both languages, while the API still holds what was stored; and
//! `GET/PUT /api/v1/forms/{form}` with its version check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";

fn create_token(dir: &Path, email: &str) -> String {
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--org", ORG, "--email", email, "--name", "forms"]);
    let out = ok(&run(c, ""));
    out.lines().last().expect("token line").trim().to_owned()
}

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

/// An API call with a bearer token; the answer must be JSON.
async fn api(s: &Server, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let http = reqwest::Client::new();
    let mut req = http.request(method, s.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status}: {text}")))
}

/// The value of the first input named `name` on a page ("" when it has none).
fn input_value(page: &str, name: &str) -> String {
    let Some(i) = page.find(&format!("name=\"{name}\"")) else { return String::new() };
    let tag = &page[i..page[i..].find('>').map_or(page.len(), |e| i + e)];
    tag.split("value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_owned()
}

fn checked(page: &str, name: &str) -> bool {
    let Some(i) = page.find(&format!("name=\"{name}\"")) else { return false };
    let tag = &page[i..page[i..].find('>').map_or(page.len(), |e| i + e)];
    tag.contains(" checked")
}

fn textarea(page: &str, name: &str) -> String {
    let Some(i) = page.find(&format!("name=\"{name}\"")) else { return String::new() };
    let start = i + page[i..].find('>').unwrap() + 1;
    page[start..].split("</textarea>").next().unwrap_or_default().to_owned()
}

/// The Forms page's form as it stands, with `changes` over it (a change of `""` for a
/// checkbox unticks it): what a person sends after ticking and typing.
fn editor(page: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let codes: Vec<String> =
        page.split("name=\"field\" value=\"").skip(1).map(|r| r.split('"').next().unwrap().to_owned()).collect();
    let mut form: Vec<(String, String)> = vec![("version".into(), input_value(page, "version"))];
    for code in &codes {
        form.push(("field".into(), code.clone()));
        for input in ["order", "label_en", "label_es"] {
            let name = format!("{input}_{code}");
            form.push((name.clone(), input_value(page, &name)));
        }
        for tick in ["hidden", "required", "remove"] {
            let name = format!("{tick}_{code}");
            if checked(page, &name) {
                form.push((name, "1".into()));
            }
        }
        let choices = format!("choices_{code}");
        if page.contains(&format!("name=\"{choices}\"")) {
            form.push((choices.clone(), textarea(page, &choices)));
        }
    }
    form.push(("new_kind".into(), "text".into()));
    for (name, value) in changes {
        form.retain(|(n, _)| n != name);
        if !value.is_empty() {
            form.push(((*name).to_owned(), (*value).to_owned()));
        }
    }
    form
}

async fn send(
    http: &reqwest::Client,
    s: &Server,
    path: &str,
    page: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post(http, s, path, page, &pairs).await
}

struct Installation {
    _tmp: tempfile::TempDir,
    s: Server,
    admin: reqwest::Client,
    admin_token: String,
    /// A case manager who reads Spanish, and one who reads English.
    lucia: reqwest::Client,
    ana: reqwest::Client,
    lucia_token: String,
    ana_token: String,
}

async fn installation() -> Installation {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_user(&dir, "lucia@esperanza.org", "case_manager", "es", "primera contraseña de lucía");
    add_user(&dir, "ana@esperanza.org", "case_manager", "en", "ana's first password here");
    let admin_token = create_token(&dir, ADMIN);
    let lucia_token = create_token(&dir, "lucia@esperanza.org");
    let ana_token = create_token(&dir, "ana@esperanza.org");
    let s = serve(&dir, &[], &[]);
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let lucia =
        sign_in(&s, "lucia@esperanza.org", "primera contraseña de lucía", "el río baja despacio entre piedras").await;
    let ana =
        sign_in(&s, "ana@esperanza.org", "ana's first password here", "the river runs slowly past the stones").await;
    Installation { _tmp: tmp, s, admin, admin_token, lucia, ana, lucia_token, ana_token }
}

#[tokio::test]
async fn a_hidden_field_leaves_the_pages_and_keeps_its_value_and_a_relabelled_one_speaks_both_languages() {
    let w = installation().await;
    let s = &w.s;
    // A person on file with a family name.
    let (st, created) = api(
        s,
        &w.lucia_token,
        reqwest::Method::POST,
        "/api/v1/persons",
        Some(json!({ "given_name": "Ana", "family_name": "Pérez-Canario", "alias": "Anita", "citizenship": ["GT"] })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let person = created["id"].as_str().unwrap().to_owned();

    // Before: the intake asks for the family name, with Amparo's labels.
    let (_, intake) = get(&w.lucia, s, "/intake").await;
    assert!(intake.contains("id=\"family_name\"") && intake.contains("Nombre(s)"), "{intake}");

    // Case managers do not reach the Forms page.
    let (st, _) = get(&w.lucia, s, "/admin/forms/person").await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Settings → Forms.
    let (_, settings) = get(&w.admin, s, "/settings").await;
    assert!(settings.contains("href=\"/admin/forms\" id=\"settings-forms\""));
    // The administrator hides the family name and relabels the given name in both languages.
    let (st, page) = get(&w.admin, s, "/admin/forms/person").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    assert!(page.contains("id=\"form-version\""));
    let stale_page = page.clone();
    let form = editor(
        &page,
        &[
            ("hidden_family_name", "1"),
            ("hidden_citizenship", "1"),
            ("label_en_given_name", "First name(s) as used"),
            ("label_es_given_name", "Nombre(s) como le gusta"),
        ],
    );
    let r = send(&w.admin, s, "/admin/forms/person", &page, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    assert_eq!(location(&r), "/admin/forms/person?saved=1");
    let (_, page) = get(&w.admin, s, "/admin/forms/person?saved=1").await;
    assert!(page.contains("versión 1") || page.contains("version 1"), "the version is shown");
    assert!(checked(&page, "hidden_family_name"));

    // The intake page: no family name; the new label in each reader's language.
    let (_, es) = get(&w.lucia, s, "/intake").await;
    let (_, en) = get(&w.ana, s, "/intake").await;
    for page in [&es, &en] {
        assert!(!page.contains("id=\"family_name\"") && !page.contains("name=\"family_name\""), "{page}");
    }
    assert!(es.contains("<html lang=\"es\">") && es.contains("Nombre(s) como le gusta"), "{es}");
    assert!(en.contains("<html lang=\"en\">") && en.contains("First name(s) as used"), "{en}");
    assert!(!es.contains("First name(s) as used") && !en.contains("Nombre(s) como le gusta"));

    // The person page and the edit page do not show it…
    let (st, shown) = get(&w.lucia, s, &format!("/persons/{person}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!shown.contains("Pérez-Canario"), "a hidden field is not on the page");
    assert!(shown.contains("Nombre(s) como le gusta") && shown.contains("Ana"));
    let (_, edit) = get(&w.lucia, s, &format!("/persons/{person}/edit")).await;
    assert!(!edit.contains("Pérez-Canario") && !edit.contains("name=\"family_name\""));
    assert!(!edit.contains("name=\"citizenship\"") && edit.contains("name=\"languages\""));
    // …and an edit through the page keeps it.
    let version = input_value(&edit, "version");
    let r = post(
        &w.lucia,
        s,
        &format!("/persons/{person}/edit"),
        &edit,
        &[("version", version.as_str()), ("alias", "Anita R."), ("given_name", "Ana"), ("primary_language", "es")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, stored) = api(s, &w.lucia_token, reqwest::Method::GET, &format!("/api/v1/persons/{person}"), None).await;
    assert_eq!(stored["family_name"], "Pérez-Canario", "the API still has the stored value: {stored}");
    assert_eq!(stored["alias"], "Anita R.");
    assert_eq!(stored["citizenship"], json!(["GT"]), "a hidden list is not emptied by the page: {stored}");

    // A save made from a page read before the change conflicts, visibly, and keeps what was typed.
    let form = editor(&stale_page, &[("label_en_alias", "Chosen name")]);
    let r = send(&w.admin, s, "/admin/forms/person", &stale_page, &form).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"conflict-section\"") && page.contains("Chosen name"), "{page}");

    // Hiding both ways of finding a person again is refused next to the field.
    let (_, page) = get(&w.admin, s, "/admin/forms/person").await;
    let form = editor(&page, &[("hidden_alias", "1"), ("hidden_given_name", "1")]);
    let r = send(&w.admin, s, "/admin/forms/person", &page, &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("class=\"field-error\" id=\"hidden_alias-error\""), "{page}");
    // An essential field offers no way to hide it.
    assert!(!page.contains("name=\"hidden_primary_language\"") && !page.contains("name=\"hidden_safe_contact\""));
}

#[tokio::test]
async fn a_field_of_our_own_is_asked_at_intake_and_shown_sealed_on_the_record() {
    let w = installation().await;
    let s = &w.s;
    let (_, page) = get(&w.admin, s, "/admin/forms/person").await;
    let form = editor(
        &page,
        &[
            ("new_kind", "choice"),
            ("new_label_en", "Referral source"),
            ("new_label_es", "Quién la refirió"),
            ("new_required", "1"),
            ("new_choices", "church = Church | Iglesia\nHotline | Línea de ayuda"),
        ],
    );
    let r = send(&w.admin, s, "/admin/forms/person", &page, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, page) = get(&w.admin, s, "/admin/forms/person").await;
    assert!(page.contains("name=\"field\" value=\"custom_referral_source\""));
    assert!(textarea(&page, "choices_custom_referral_source").contains("hotline = Hotline | Línea de ayuda"));

    // The intake asks for it, in the reader's language, and will not go without it.
    let (_, intake) = get(&w.lucia, s, "/intake").await;
    assert!(intake.contains("name=\"custom.custom_referral_source\"") && intake.contains("Línea de ayuda"));
    let r = post(&w.lucia, s, "/intake", &intake, &[("alias", "Rosa"), ("primary_language", "es")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"custom.custom_referral_source-error\""), "{page}");
    assert!(page.contains("value=\"Rosa\""), "what was typed stays");
    let r = post(
        &w.lucia,
        s,
        "/intake",
        &intake,
        &[("alias", "Rosa"), ("primary_language", "es"), ("custom.custom_referral_source", "hotline")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let person = id_in(&location(&r), "/persons/");
    let (_, shown) = get(&w.lucia, s, &format!("/persons/{person}")).await;
    assert!(shown.contains("Quién la refirió") && shown.contains("Línea de ayuda"), "{shown}");
    let (_, stored) = api(s, &w.lucia_token, reqwest::Method::GET, &format!("/api/v1/persons/{person}"), None).await;
    assert_eq!(stored["custom"]["custom_referral_source"], "hotline", "{stored}");
}

#[tokio::test]
async fn the_word_for_the_people_served_is_used_by_the_navigation_in_both_languages() {
    let w = installation().await;
    let s = &w.s;
    let (_, home) = get(&w.lucia, s, "/").await;
    assert!(home.contains("Registrar sobreviviente"), "the default word");
    let (st, _) = get(&w.lucia, s, "/admin/organisation").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "only administrators choose it");

    let (st, page) = get(&w.admin, s, "/admin/organisation").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("value=\"survivor\" checked"));
    assert!(!page.to_lowercase().contains("victim"), "never offered");
    let r = post(&w.admin, s, "/admin/organisation/people-word", &page, &[("people_word", "client")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(&w.admin, s, "/admin/organisation/people-word", &page, &[("people_word", "victim")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (_, es) = get(&w.lucia, s, "/").await;
    let (_, en) = get(&w.ana, s, "/").await;
    let nav = |page: &str| between(page, "<nav class=\"site-nav\"", "</nav>").to_owned();
    assert!(nav(&es).contains("Registrar cliente"), "{}", nav(&es));
    assert!(nav(&en).contains("New client"), "{}", nav(&en));
    assert!(es.contains("Buscar a una persona cliente") && en.contains("Find a client"));
    let (_, intake) = get(&w.ana, s, "/intake").await;
    assert!(intake.contains("<h1>New client</h1>"));
    for page in [&es, &en, &intake] {
        assert!(!page.contains("survivor") && !page.contains("sobreviviente"), "{page}");
    }
}

#[tokio::test]
async fn the_forms_api_reads_for_everyone_and_changes_for_administrators_with_a_version_check() {
    let w = installation().await;
    let s = &w.s;
    use reqwest::Method;
    let (st, form) = api(s, &w.lucia_token, Method::GET, "/api/v1/forms/person", None).await;
    assert_eq!(st, StatusCode::OK, "{form}");
    assert_eq!(form["version"], 0);
    let family = form["fields"].as_array().unwrap().iter().find(|f| f["code"] == "family_name").unwrap().clone();
    assert_eq!(family["hidden"], false);
    assert_eq!(family["label"]["es"], "Apellido(s)");
    let language = form["fields"].as_array().unwrap().iter().find(|f| f["code"] == "primary_language").unwrap().clone();
    assert_eq!(language["essential"], true);

    let change = json!({
        "version": 0,
        "fields": [
            { "code": "family_name", "hidden": true },
            { "code": "phone", "required": true, "label": { "en": "Safe phone", "es": "Teléfono seguro" } },
            { "label": { "en": "Children", "es": "Hijas e hijos" }, "custom": { "kind": "number" } }
        ]
    });
    let (st, refused) = api(s, &w.lucia_token, Method::PUT, "/api/v1/forms/person", Some(change.clone())).await;
    assert_eq!((st, refused["error"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let (st, saved) = api(s, &w.admin_token, Method::PUT, "/api/v1/forms/person", Some(change.clone())).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    let children = saved["fields"].as_array().unwrap().iter().find(|f| f["custom"] == true).unwrap().clone();
    assert_eq!((children["code"].as_str(), children["kind"].as_str()), (Some("custom_children"), Some("number")));
    let phone = saved["fields"].as_array().unwrap().iter().find(|f| f["code"] == "phone").unwrap().clone();
    assert_eq!((phone["required"].as_bool(), phone["label"]["en"].as_str()), (Some(true), Some("Safe phone")));

    // The same change again, against version 0: someone saved first.
    let (st, stale) = api(s, &w.admin_token, Method::PUT, "/api/v1/forms/person", Some(change)).await;
    assert_eq!((st, stale["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    let (st, missing) =
        api(s, &w.admin_token, Method::PUT, "/api/v1/forms/person", Some(json!({ "fields": [] }))).await;
    assert_eq!((st, missing["error"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    // An essential field stays; the field at fault is named.
    let (st, bad) = api(
        s,
        &w.admin_token,
        Method::PUT,
        "/api/v1/forms/case",
        Some(json!({ "version": 0, "fields": [{ "code": "status", "hidden": true }] })),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((bad["error"].as_str(), bad["field"].as_str()), (Some("form_essential_hidden"), Some("status")));
    let (st, _) = api(s, &w.admin_token, Method::GET, "/api/v1/forms/shoes", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Persons through the API follow the form: the required phone, the custom number.
    let (st, e) = api(s, &w.lucia_token, Method::POST, "/api/v1/persons", Some(json!({ "alias": "Luz" }))).await;
    assert_eq!(
        (st, e["error"].as_str(), e["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("required"), Some("phone"))
    );
    let (st, e) = api(
        s,
        &w.lucia_token,
        Method::POST,
        "/api/v1/persons",
        Some(json!({ "alias": "Luz", "phone": "+52 656 000 0000", "custom": { "custom_children": "dos" } })),
    )
    .await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("custom.custom_children")));
    let (st, created) = api(
        s,
        &w.lucia_token,
        Method::POST,
        "/api/v1/persons",
        Some(json!({ "alias": "Luz", "phone": "+52 656 000 0000", "custom": { "custom_children": 2 } })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap();
    let (_, person) = api(s, &w.lucia_token, Method::GET, &format!("/api/v1/persons/{id}"), None).await;
    assert_eq!(person["custom"], json!({ "custom_children": 2 }));
    let patch = json!({ "version": person["version"], "custom": { "custom_children": null } });
    let (st, after) = api(s, &w.lucia_token, Method::PATCH, &format!("/api/v1/persons/{id}"), Some(patch)).await;
    assert_eq!((st, &after["custom"]), (StatusCode::OK, &json!({})));

    // The OpenAPI document describes the routes.
    let (st, doc) = api(s, &w.lucia_token, Method::GET, "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        doc["paths"]["/api/v1/forms/{form}"]["get"].is_object()
            && doc["paths"]["/api/v1/forms/{form}"]["put"].is_object()
    );
}

#[tokio::test]
async fn the_case_page_follows_the_case_form_and_keeps_hidden_values() {
    let w = installation().await;
    let s = &w.s;
    use reqwest::Method;
    let change = json!({
        "version": 0,
        "fields": [
            { "code": "places", "hidden": true },
            { "code": "recruitment", "label": { "en": "How recruitment began", "es": "Cómo empezó el reclutamiento" } },
            { "label": { "en": "Court", "es": "Juzgado" }, "custom": { "kind": "text" } }
        ]
    });
    let (st, saved) = api(s, &w.admin_token, Method::PUT, "/api/v1/forms/case", Some(change)).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let (_, p) = api(s, &w.lucia_token, Method::POST, "/api/v1/persons", Some(json!({ "alias": "Marisol" }))).await;
    let body = json!({ "person_id": p["id"], "places": ["MX-CHH"], "custom": { "custom_court": "Juzgado Tercero" } });
    let (st, case) = api(s, &w.lucia_token, Method::POST, "/api/v1/cases", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();

    let (st, page) = get(&w.lucia, s, &format!("/cases/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!page.contains("name=\"places\"") && !page.contains("MX-CHH"), "hidden on the page");
    assert!(page.contains("Cómo empezó el reclutamiento") && page.contains("Juzgado Tercero"));
    let member = page
        .split("name=\"team\" value=\"")
        .skip(1)
        .find_map(|rest| rest.split_once('"').filter(|(_, after)| after.starts_with(" checked")).map(|(v, _)| v))
        .expect("a ticked team member")
        .to_owned();
    let version = input_value(&page, "version");
    let r = post(
        &w.lucia,
        s,
        &format!("/cases/{id}"),
        &page,
        &[
            ("version", version.as_str()),
            ("status", "FollowUp"),
            ("team", member.as_str()),
            ("custom.custom_court", "Juzgado Cuarto"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, after) = api(s, &w.lucia_token, Method::GET, &format!("/api/v1/cases/{id}"), None).await;
    assert_eq!(after["places"], json!(["MX-CHH"]), "kept: {after}");
    assert_eq!(after["status"], "FollowUp");
    assert_eq!(after["custom"], json!({ "custom_court": "Juzgado Cuarto" }));
}

#[tokio::test]
async fn the_service_and_assessment_forms_follow_the_organisation_in_both_languages() {
    let w = installation().await;
    let s = &w.s;
    use reqwest::Method;
    let service = json!({
        "version": 0,
        "fields": [
            { "code": "minutes", "required": true, "label": { "en": "Time spent", "es": "Tiempo dedicado" } },
            { "code": "notes", "hidden": true },
            { "label": { "en": "Paid by", "es": "Pagado por" }, "custom": { "kind": "text" } }
        ]
    });
    let (st, saved) = api(s, &w.admin_token, Method::PUT, "/api/v1/forms/service", Some(service)).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let assessment = json!({ "version": 0, "fields": [ { "code": "rating_transport", "hidden": true } ] });
    let (st, saved) = api(s, &w.admin_token, Method::PUT, "/api/v1/forms/assessment", Some(assessment)).await;
    assert_eq!(st, StatusCode::OK, "{saved}");

    // A case each: Lucía reads Spanish, Ana English.
    let mut cases = Vec::new();
    for token in [&w.lucia_token, &w.ana_token] {
        let (_, p) = api(s, token, Method::POST, "/api/v1/persons", Some(json!({ "alias": "Marisol" }))).await;
        let (st, case) = api(s, token, Method::POST, "/api/v1/cases", Some(json!({ "person_id": p["id"] }))).await;
        assert_eq!(st, StatusCode::CREATED, "{case}");
        cases.push(case["id"].as_str().unwrap().to_owned());
    }
    let (id, ana_case) = (&cases[0], &cases[1]);
    // A service recorded through the API with notes: hidden on the pages, kept in the record.
    let body = json!({ "category": "housing", "date": "2026-11-02", "minutes": 30, "notes": "nota-oculta-71" });
    let (st, first) = api(s, &w.lucia_token, Method::POST, &format!("/api/v1/cases/{id}/services"), Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{first}");

    // The form in each language: the organisation's words, the required mark, no notes box,
    // its own field.
    let (st, form) = get(&w.lucia, s, &format!("/cases/{id}/services/new")).await;
    assert_eq!(st, StatusCode::OK);
    let (_, en) = get(&w.ana, s, &format!("/cases/{ana_case}/services/new")).await;
    assert!(form.contains("Tiempo dedicado") && form.contains("Pagado por"), "relabelled and custom: {form}");
    assert!(en.contains("Time spent") && en.contains("Paid by"), "relabelled and custom: {en}");
    for page in [&form, &en] {
        assert!(!page.contains("name=\"notes\""), "hidden field left out");
        assert!(page.contains("name=\"custom.custom_paid_by\"") && page.contains("required-mark"));
    }
    // Left without the required minutes: refused next to the field, what was typed kept.
    let typed = [("category", "legal_aid"), ("date", "2026-11-03"), ("custom.custom_paid_by", "Fondo parroquial")];
    let r = post(&w.lucia, s, &format!("/cases/{id}/services"), &form, &typed).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(again.contains("id=\"minutes-error\"") && again.contains("Fondo parroquial"), "message and input kept");
    let typed = [
        ("category", "legal_aid"),
        ("date", "2026-11-03"),
        ("minutes", "40"),
        ("custom.custom_paid_by", "Fondo parroquial"),
    ];
    let r = post(&w.lucia, s, &format!("/cases/{id}/services"), &again, &typed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);

    // The case page: the organisation's column words and its own column; no hidden notes.
    let (_, page) = get(&w.lucia, s, &format!("/cases/{id}")).await;
    assert!(page.contains("Tiempo dedicado") && page.contains("Fondo parroquial"), "shown on the case page");
    assert!(!page.contains("nota-oculta-71"), "hidden notes not on the page");
    let (_, listed) = api(s, &w.lucia_token, Method::GET, &format!("/api/v1/cases/{id}/services"), None).await;
    assert!(listed.to_string().contains("Fondo parroquial"), "custom value in the API: {listed}");

    // Editing the first service through the form keeps the hidden notes.
    let entry = first["id"].as_str().unwrap();
    let (st, edit) = get(&w.lucia, s, &format!("/entries/{entry}/edit")).await;
    assert_eq!(st, StatusCode::OK);
    let version = input_value(&edit, "version");
    let typed = [("version", version.as_str()), ("category", "housing"), ("date", "2026-11-02"), ("minutes", "35")];
    let r = post(&w.lucia, s, &format!("/entries/{entry}/edit"), &edit, &typed).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, stored) = api(s, &w.lucia_token, Method::GET, &format!("/api/v1/entries/{entry}"), None).await;
    let detail = &stored["detail"]["service"];
    assert_eq!((detail["minutes"].clone(), detail["notes"].clone()), (json!(35), json!("nota-oculta-71")), "{stored}");

    // The assessment form leaves the hidden domain out.
    let (_, form) = get(&w.lucia, s, &format!("/cases/{id}/assessments/new")).await;
    assert!(form.contains("name=\"rating_safety\"") && !form.contains("name=\"rating_transport\""));
}
