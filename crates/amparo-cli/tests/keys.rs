//! Key management through the real `amparo` binary: `keys rotate` interrupted and run again
//! on a real data directory, `keys seal` (the key file goes, the sealed file stays), CLI
//! commands that need the keys with and without `--unseal-passphrase-file`, a sealed server
//! that starts locked (unlock page in Spanish and English, API 503), refuses a wrong
//! passphrase with a localised message, unlocks with the right one without a restart and then
//! serves a person's page; attempts are rate-limited; `keys unseal` gives the key file back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reqwest::{Method, StatusCode};
use serde_json::json;

const ORG: &str = "Refugio Esperanza";
const CM: &str = "carla@esperanza.org";
const CM_PW: &str = "la gestora camina despacio por el puerto viejo";
const CM_NEW_PW: &str = "una frase nueva y larga para la gestora";
const PASSPHRASE: &str = "el faro del puerto viejo guarda la llave";

fn secret_file(path: &Path, text: &str) {
    std::fs::write(path, format!("{text}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A command that must fail; its standard error.
fn fails(args: &[&str], dir: &Path, input: &str) -> String {
    let mut c = amparo();
    c.args(args).arg("--data-dir").arg(dir);
    let out = run(c, input);
    assert!(!out.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn unlock_page(http: &reqwest::Client, s: &Server, lang: &str) -> (StatusCode, String) {
    let r = http.get(s.url("/unlock")).header("accept-language", lang).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post_unlock(
    http: &reqwest::Client,
    s: &Server,
    csrf: &str,
    passphrase: &str,
    lang: &str,
) -> reqwest::Response {
    http.post(s.url("/unlock"))
        .form(&[("passphrase", passphrase), ("csrf_token", csrf), ("lang", lang)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn rotate_seal_start_locked_unlock_and_unseal_through_the_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let keys = dir.join("keys");
    init(&dir, &[]);
    add_staff(&dir, ORG, CM, "case_manager", "es", CM_PW);
    let token = api_token(&dir, ORG, CM);
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // --- Some records, written by a normal server.
    let mut ids = Vec::new();
    {
        let s = serve(&dir, &[], &[]);
        for (given, family) in [("Perla", "Quintero"), ("Brisa", "Moreno"), ("Dalia", "Santos")] {
            let body = json!({ "given_name": given, "family_name": family });
            let (st, v) = api_call(&http, &s, &token, Method::POST, "/api/v1/persons", Some(body)).await;
            assert_eq!(st, StatusCode::CREATED, "{v}");
            ids.push(v["id"].as_str().unwrap().to_owned());
        }
    }

    // --- Rotation, interrupted after one batch of one row, then continued to the end.
    let out = cli(&dir, &[], &["keys", "rotate", "--batch-size", "1", "--max-batches", "1"], "");
    assert!(out.contains("started rotation from key version 1 to 2; 1 data keys re-wrapped"), "{out}");
    assert!(out.contains("2 data keys still on an old key version"), "{out}");
    let out = cli(&dir, &[], &["keys", "status"], "");
    assert!(out.contains("active 2\t1 retiring, 2 active\t2 rows not on the active version"), "{out}");
    let out = cli(&dir, &[], &["keys", "rotate"], "");
    assert!(out.contains("continued rotation from key version 1 to 2; 2 data keys re-wrapped"), "{out}");
    assert!(out.contains("key version 1 retired") && out.contains("key rotation finished"), "{out}");
    let out = cli(&dir, &[], &["keys", "status"], "");
    assert!(out.contains("active 2\t1 retired, 2 active\t0 rows not on the active version"), "{out}");
    assert!(cli(&dir, &[], &["audit", "verify"], "").contains("audit chain intact"));

    // --- Seal: a short passphrase is refused; then the key file gives way to the sealed file.
    let err = fails(&["keys", "seal", "--passphrase-stdin"], &dir, "corta\n");
    assert!(err.contains("at least 15 characters"), "{err}");
    assert!(keys.join("master.key").exists());
    let pass_file = tmp.path().join("passphrase.txt");
    secret_file(&pass_file, PASSPHRASE);
    let out = cli(&dir, &[], &["keys", "seal", "--passphrase-file", pass_file.to_str().unwrap()], "");
    assert!(out.contains("sealed"), "{out}");
    assert!(!keys.join("master.key").exists(), "the plain key file is gone");
    let sealed = std::fs::read_to_string(keys.join("master.key.sealed")).unwrap();
    assert!(sealed.starts_with("amparo-sealed-master-key v1\nargon2id m=65536 t=3 p=1\n"), "{sealed}");
    let mode = std::fs::metadata(keys.join("master.key.sealed")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // --- CLI commands that need the keys: a clear refusal without the passphrase file, a
    //     refusal with a wrong one, and the command itself with the right one.
    let err = fails(&["audit", "verify"], &dir, "");
    assert!(err.contains("sealed") && err.contains("--unseal-passphrase-file"), "{err}");
    let wrong_file = tmp.path().join("wrong.txt");
    secret_file(&wrong_file, "no es la frase correcta para nada");
    let err = fails(&["--unseal-passphrase-file", wrong_file.to_str().unwrap(), "audit", "verify"], &dir, "");
    assert!(err.contains("wrong_passphrase"), "{err}");
    let mut c = amparo();
    c.args(["--unseal-passphrase-file", pass_file.to_str().unwrap(), "audit", "verify", "--data-dir"]).arg(&dir);
    assert!(ok(&run(c, "")).contains("audit chain intact"));
    let mut c = amparo();
    c.args(["keys", "status", "--data-dir"]).arg(&dir).args(["--unseal-passphrase-file", pass_file.to_str().unwrap()]);
    assert!(ok(&run(c, "")).contains("active 2"), "the flag is global: also after the subcommand");

    // --- The server starts locked.
    let s = serve(&dir, &[], &[]);
    let (st, page) = unlock_page(&http, &s, "es-MX,es;q=0.9").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("<html lang=\"es\">") && page.contains("Desbloquear Amparo"), "{page}");
    assert!(page.contains("action=\"/unlock\"") && page.contains("name=\"csrf_token\""), "{page}");
    let (st, page) = unlock_page(&http, &s, "en-US,en;q=0.9").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("<html lang=\"en\">") && page.contains("Unlock Amparo"), "{page}");
    // Every other page answers with the unlock page; the API with 503.
    for path in ["/", "/login", &format!("/persons/{}", ids[0]), "/admin/users"] {
        let r = http.get(s.url(path)).header("accept-language", "es").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert!(r.headers().contains_key("content-security-policy"));
        let body = r.text().await.unwrap();
        assert!(body.contains("El servidor está bloqueado") && body.contains("action=\"/unlock\""), "{path}: {body}");
    }
    let (st, v) = api_call(&http, &s, &token, Method::GET, &format!("/api/v1/persons/{}", ids[0]), None).await;
    assert_eq!((st, v), (StatusCode::SERVICE_UNAVAILABLE, json!({ "error": "locked" })));
    let r = http.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!((r.status(), r.text().await.unwrap()), (StatusCode::OK, "locked".to_owned()));
    assert_eq!(http.get(s.url("/static/amparo.css")).send().await.unwrap().status(), StatusCode::OK);

    // --- Unlock: no CSRF token, another site, a wrong passphrase (es, then en): refused.
    let b = browser();
    let (_, page) = unlock_page(&b, &s, "es").await;
    let csrf = csrf_of(&page);
    let r = post_unlock(&b, &s, "forged", PASSPHRASE, "es").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("El formulario expiró"));
    let r = b
        .post(s.url("/unlock"))
        .header("origin", "http://evil.example")
        .form(&[("passphrase", PASSPHRASE), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post_unlock(&b, &s, &csrf, "no es la frase correcta para nada", "es").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body = r.text().await.unwrap();
    assert!(body.contains("Esa frase no abre la llave") && body.contains("role=\"alert\""), "{body}");
    assert!(!body.contains("no es la frase correcta"), "a passphrase is never shown back");
    let r = post_unlock(&b, &s, &csrf, "not the right passphrase at all", "en").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("That passphrase does not open the key"));
    // Still locked.
    let (st, _) = api_call(&http, &s, &token, Method::GET, &format!("/api/v1/persons/{}", ids[0]), None).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE);

    // --- The right passphrase: the application starts serving, without a restart.
    let r = post_unlock(&b, &s, &csrf, PASSPHRASE, "es").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    let (st, v) = api_call(&http, &s, &token, Method::GET, &format!("/api/v1/persons/{}", ids[0]), None).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!((v["given_name"].as_str(), v["family_name"].as_str()), (Some("Perla"), Some("Quintero")));
    let r = http.get(s.url("/unlock")).send().await.unwrap();
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, "/".to_owned()));
    let r = http.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.text().await.unwrap(), "ok");
    // A person's page, through a real sign-in.
    let cm = sign_in(&s, CM, CM_PW, CM_NEW_PW).await;
    let (st, page) = get(&cm, &s, &format!("/persons/{}", ids[1])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Brisa") && page.contains("Moreno"), "{page}");
    // New records are written under the rotated key, and read back.
    let body = json!({ "given_name": "Nayeli", "family_name": "Ortiz" });
    let (st, v) = api_call(&http, &s, &token, Method::POST, "/api/v1/persons", Some(body)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    drop(s);

    // The unlock is in the audit log (with the failed attempts before it), and the chain holds.
    let mut c = amparo();
    c.args(["--unseal-passphrase-file", pass_file.to_str().unwrap(), "keys", "status", "--data-dir"]).arg(&dir);
    assert!(ok(&run(c, "")).contains("0 rows not on the active version"), "new keys use version 2");
    let mut c = amparo();
    c.args(["--unseal-passphrase-file", pass_file.to_str().unwrap(), "audit", "verify", "--data-dir"]).arg(&dir);
    assert!(ok(&run(c, "")).contains("audit chain intact"));
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("amparo.sqlite3").display())).await.unwrap();
    let detail: (String,) =
        sqlx::query_as("SELECT detail FROM audit_events WHERE action = 'keys.unlock'").fetch_one(&db).await.unwrap();
    assert_eq!(detail.0, "failed_attempts_2");
    db.close().await;

    // --- Attempts are limited per address, like sign-ins.
    let s = serve(&dir, &[], &[]);
    let b = browser();
    let (_, page) = unlock_page(&b, &s, "en").await;
    let csrf = csrf_of(&page);
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(post_unlock(&b, &s, &csrf, "not the right passphrase at all", "en").await.status());
    }
    assert!(statuses[..10].iter().all(|st| *st == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    let r = post_unlock(&b, &s, &csrf, PASSPHRASE, "en").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "even the right one, until the window passes");
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Too many attempts"));
    drop(s);

    // --- Unseal: the key file comes back, the sealed file goes, the server starts unlocked.
    let out = cli(&dir, &[], &["keys", "unseal", "--passphrase-file", pass_file.to_str().unwrap()], "");
    assert!(out.contains("unsealed"), "{out}");
    assert!(keys.join("master.key").exists() && !keys.join("master.key.sealed").exists());
    let s = serve(&dir, &[], &[]);
    let (st, v) = api_call(&http, &s, &token, Method::GET, &format!("/api/v1/persons/{}", ids[2]), None).await;
    assert_eq!((st, v["given_name"].as_str()), (StatusCode::OK, Some("Dalia")));
}
