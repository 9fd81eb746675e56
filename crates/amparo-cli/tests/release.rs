//! Differentially private releases through the real `amparo` binary: the command (fresh noise
//! each run, each file stating its ε, δ, noise scale and date, the ledger refusing an
//! over-budget release before writing anything, messages in Spanish and English), and the
//! administrators' page over HTTP in both languages (budget, a form that keeps what was typed
//! with a localised error, refusal over budget, download, no access for other roles).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";

fn release_cmd(dir: &std::path::Path, envs: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = amparo();
    c.args(["release", "--data-dir"]).arg(dir).args(args);
    c.envs(envs.iter().copied());
    run(c, "")
}

fn counts(v: &Value) -> Vec<i64> {
    v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["cells"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn releases_from_the_command_line_and_the_page_within_the_yearly_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    std::fs::write(dir.join("amparo.toml"), "[release]\nepsilon_per_year = 4\n").unwrap();
    ok(&run(
        {
            let mut c = amparo();
            c.args(["demo", "--data-dir"]).arg(&dir).args(["--cases", "150"]);
            c
        },
        "",
    ));

    // --- Command line: two releases of the same data differ; each states its ε.
    let a_path = tmp.path().join("a.json");
    let b_path = tmp.path().join("b.json");
    let out = ok(&release_cmd(&dir, &[], &["--epsilon", "1", "--out", a_path.to_str().unwrap()]));
    assert!(out.contains("epsilon 1") && out.contains("63 tables") && out.contains("1 of 4 spent, 3 left"), "{out}");
    let out = ok(&release_cmd(
        &dir,
        &[],
        &["--epsilon", "1.5", "--delta", "0.00001", "--out", b_path.to_str().unwrap(), "--language", "es"],
    ));
    assert!(out.contains("épsilon 1.5") && out.contains("2.5 de 4 gastado, 1.5 disponible"), "{out}");
    let a: Value = serde_json::from_str(&std::fs::read_to_string(&a_path).unwrap()).unwrap();
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&b_path).unwrap()).unwrap();
    assert_eq!((a["epsilon"].as_f64(), a["delta"].as_f64()), (Some(1.0), Some(1e-6)));
    assert_eq!((b["epsilon"].as_f64(), b["delta"].as_f64()), (Some(1.5), Some(1e-5)));
    for r in [&a, &b] {
        assert!(r["noise_scale"].as_f64().unwrap() > 0.0 && r["rho"].as_f64().unwrap() > 0.0);
        assert!(r["created_at"].as_str().unwrap().starts_with("20"));
        assert_eq!(r["tables"].as_array().unwrap().len(), 63);
        assert!(counts(r).iter().all(|&c| c >= 0));
    }
    assert_ne!(counts(&a), counts(&b), "fresh noise each run");
    // Nothing identifying in a release: only codebook values.
    assert!(!std::fs::read_to_string(&a_path).unwrap().contains("@"));

    // Over budget (2.5 spent of 4): refused before anything is written, in both languages.
    let c_path = tmp.path().join("c.json");
    let refused = release_cmd(&dir, &[], &["--epsilon", "2", "--out", c_path.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("more than is left of the organisation's privacy budget"), "{err}");
    assert!(!c_path.exists(), "no file for a refused release");
    let refused = release_cmd(&dir, &[], &["--epsilon", "2", "--out", c_path.to_str().unwrap(), "--language", "es"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("presupuesto de privacidad"));
    // Bad ε: a localised message.
    let bad = release_cmd(&dir, &[], &["--epsilon", "0", "--out", c_path.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("above 0 and at most 10"));
    // Another role, with --as: refused.
    add_staff(&dir, ORG, "sup@esperanza.org", "supervisor", "es", "la supervisora camina despacio por el puerto");
    let other =
        release_cmd(&dir, &[], &["--epsilon", "0.5", "--out", c_path.to_str().unwrap(), "--as", "sup@esperanza.org"]);
    assert!(!other.status.success() && !c_path.exists());

    // --- Pages: the administrator in Spanish (the installation's default language).
    let s = serve(&dir, &[], &[]);
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let (st, page) = get(&admin, &s, "/releases").await;
    assert_eq!(st, StatusCode::OK, "{page}");
    assert!(page.contains(r#"id="nav-releases""#) && page.contains("Publicación de datos abiertos"), "{page}");
    assert!(page.contains(r#"<dd id="budget-remaining">1.5</dd>"#), "{page}");
    assert_eq!(page.matches("class=\"release-download\"").count(), 2, "{page}");
    // A mistake comes back with what was typed and a message next to the field.
    let r = post(&admin, &s, "/releases", &page, &[("epsilon", "uno"), ("delta", "0.000001")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains(r#"value="uno""#) && body.contains("Escriba épsilon como un número"), "{body}");
    // Over budget: refused, the form keeps the value.
    let r = post(&admin, &s, "/releases", &page, &[("epsilon", "2"), ("delta", "0.000001")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.unwrap();
    assert!(body.contains(r#"value="2""#) && body.contains("presupuesto de privacidad"), "{body}");
    // Within budget (a decimal comma, as many write it): made, then downloadable.
    let r = post(&admin, &s, "/releases", &page, &[("epsilon", "0,5"), ("delta", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (st, page) = get(&admin, &s, &location(&r)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(r#"id="release-made""#) && page.contains(r#"<dd id="budget-remaining">1</dd>"#), "{page}");
    let link = between(&page, "<td class=\"release-epsilon\">0.5</td>", "class=\"release-download\"");
    let href = between(link, "href=\"", "\"");
    let r = admin.get(s.url(href)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let file: Value = r.json().await.unwrap();
    assert_eq!(file["epsilon"].as_f64(), Some(0.5));
    assert_ne!(counts(&file), counts(&a));

    // In English, after switching the language.
    let (_, page) = get(&admin, &s, "/releases").await;
    let r = post(&admin, &s, "/language", &page, &[("lang", "en"), ("return_to", "/releases")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&admin, &s, "/releases").await;
    assert!(page.contains("Open data releases") && page.contains("Privacy budget for"), "{page}");
    let r = post(&admin, &s, "/releases", &page, &[("epsilon", "5"), ("delta", "0.000001")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("more than is left of the organisation"));

    // --- API: the administrator's token; the budget, a release, a refusal, the document.
    let token = api_token(&dir, ORG, ADMIN);
    let http = reqwest::Client::new();
    let (st, made) =
        api_call(&http, &s, &token, Method::POST, "/api/v1/releases", Some(json!({"epsilon": 0.25}))).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    assert_eq!(made["epsilon"].as_f64(), Some(0.25));
    assert_eq!(made["tables"].as_array().unwrap().len(), 63);
    let (st, e) = api_call(&http, &s, &token, Method::POST, "/api/v1/releases", Some(json!({"epsilon": 2}))).await;
    assert_eq!((st, e["error"].as_str()), (StatusCode::CONFLICT, Some("release_over_budget")), "{e}");
    let (st, e) = api_call(&http, &s, &token, Method::POST, "/api/v1/releases", Some(json!({"epsilon": 11}))).await;
    assert_eq!((st, e["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("release_epsilon_invalid")));
    let (st, b) = api_call(&http, &s, &token, Method::GET, "/api/v1/releases", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((b["total"].as_f64(), b["remaining"].as_f64()), (Some(4.0), Some(0.75)), "{b}");
    assert_eq!(b["releases"].as_array().unwrap().len(), 4);
    let (_, doc) = api_call(&http, &s, &token, Method::GET, "/api/openapi.json", None).await;
    assert!(doc["paths"]["/api/v1/releases"]["post"].is_object(), "{}", doc["paths"]);

    // Another role sees no link and is refused the page.
    let sup = sign_in(
        &s,
        "sup@esperanza.org",
        "la supervisora camina despacio por el puerto",
        "otra frase larga de la supervisora",
    )
    .await;
    let (st, page) = get(&sup, &s, "/releases").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{page}");
    let (_, home) = get(&sup, &s, "/").await;
    assert!(!home.contains(r#"id="nav-releases""#));
}
