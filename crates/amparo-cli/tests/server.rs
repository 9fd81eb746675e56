//! The real `amparo` binary: its command-line shapes, and its server over real HTTP on
//! loopback, on a fresh data directory per test (SQLite; PostgreSQL where configured).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::redirect::Policy;

fn create_token(dir: &Path, email: &str, envs: &[(&str, &str)]) -> String {
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--email", email, "--name", "integration"]);
    c.envs(envs.iter().copied());
    let out = ok(&run(c, ""));
    out.lines().last().expect("token line").trim().to_owned()
}

#[test]
fn init_refuses_an_existing_data_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut c = amparo();
    c.args(["init", "--data-dir"]).arg(&dir).args([
        "--org",
        "Otra",
        "--admin-email",
        "x@y.org",
        "--admin-password-stdin",
    ]);
    let out = run(c, &format!("{PASSWORD}\n"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    // And a short password is refused without leaving a half-made directory.
    let dir2 = tmp.path().join("data2");
    let mut c = amparo();
    c.args(["init", "--data-dir"]).arg(&dir2).args([
        "--org",
        "Otra",
        "--admin-email",
        "x@y.org",
        "--admin-password-stdin",
    ]);
    let out = run(c, "corta\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password_too_short"));
    assert!(!dir2.exists());
}

#[tokio::test]
async fn cli_commands_work_while_the_server_runs_and_the_api_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = browser();

    // user add, with an initial password on standard input.
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(&dir).args([
        "--email",
        "lucia@esperanza.org",
        "--role",
        "case_manager",
        "--password-stdin",
    ]);
    ok(&run(c, "primera contraseña de lucía\n"));

    let token = create_token(&dir, "lucia@esperanza.org", &[]);
    let me: serde_json::Value =
        http.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "lucia@esperanza.org");
    assert_eq!(me["role"], "case_manager");
    assert_eq!(me["language"], "es");
    assert_eq!(me["name"], "lucia");
    assert!(me["id"].as_str().is_some_and(|id| id.len() == 36));

    // Without a valid token every /api/v1 route is 401; the OpenAPI document is not public.
    for path in ["/api/v1/me", "/api/v1/persons", "/api/v1/nothing/here"] {
        assert_eq!(http.get(s.url(path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{path}");
        let forged = http.get(s.url(path)).bearer_auth("amparo_forged").send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(http.get(s.url("/api/openapi.json")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let doc: serde_json::Value =
        http.get(s.url("/api/openapi.json")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")));
    assert!(doc["paths"]["/api/v1/me"].is_object());
    assert_eq!(http.get(s.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let metrics = http.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::OK, "loopback may read metrics");
    let proxied = http.get(s.url("/metrics")).header("x-forwarded-for", "203.0.113.7").send().await.unwrap();
    assert_eq!(proxied.status(), StatusCode::NOT_FOUND, "not through a reverse proxy");

    // user disable ends the token's power at once; reset-mfa works.
    let mut c = amparo();
    c.args(["user", "reset-mfa", "--data-dir"]).arg(&dir).args(["--email", "lucia@esperanza.org"]);
    ok(&run(c, ""));
    let mut c = amparo();
    c.args(["user", "disable", "--data-dir"]).arg(&dir).args(["--email", "lucia@esperanza.org"]);
    ok(&run(c, ""));
    assert_eq!(
        http.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // token revoke.
    let admin_token = create_token(&dir, ADMIN, &[]);
    assert_eq!(http.get(s.url("/api/v1/me")).bearer_auth(&admin_token).send().await.unwrap().status(), StatusCode::OK);
    let mut c = amparo();
    c.args(["token", "revoke", "--data-dir"]).arg(&dir).arg("--token-stdin");
    ok(&run(c, &format!("{admin_token}\n")));
    assert_eq!(
        http.get(s.url("/api/v1/me")).bearer_auth(&admin_token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // One chain, written by the CLI and the server at once.
    let mut c = amparo();
    c.args(["audit", "verify", "--data-dir"]).arg(&dir);
    let out = ok(&run(c, ""));
    assert!(out.contains("audit chain intact"), "{out}");
}

#[tokio::test]
async fn login_page_sends_security_headers_and_speaks_the_browsers_language() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    for (accept, lang) in [("es-MX,es;q=0.9,en;q=0.5", "es"), ("en-US,en;q=0.9", "en"), ("fr-CA, en;q=0.4", "en")] {
        let r = http.get(s.url("/login")).header("accept-language", accept).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store");
        assert!(h.get("strict-transport-security").is_none(), "no HSTS on plain HTTP");
        for cookie in h.get_all("set-cookie") {
            let c = cookie.to_str().unwrap();
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
        }
        let body = r.text().await.unwrap();
        assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{accept}");
        for field in ["name=\"email\"", "name=\"password\"", "name=\"csrf_token\""] {
            assert!(body.contains(field), "{field}");
        }
    }
}

#[tokio::test]
async fn the_twelfth_attempt_after_eleven_wrong_passwords_gets_429_even_with_the_right_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = browser();
    let unknown = post_login(&http, &s, "nadie@esperanza.org", "una contraseña cualquiera").await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown_body = unknown.text().await.unwrap();
    for i in 1..=11 {
        let r = post_login(&http, &s, ADMIN, "no es la contraseña correcta").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i} is answered normally");
        let body = r.text().await.unwrap();
        // No account enumeration: the same page as for an unknown email (but for the token).
        assert_eq!(strip_csrf(&body), strip_csrf(&unknown_body).replace("nadie@esperanza.org", ADMIN), "attempt {i}");
    }
    let r = post_login(&http, &s, ADMIN, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
}

fn strip_csrf(html: &str) -> String {
    html.lines().filter(|l| !l.contains("csrf_token")).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn forms_need_their_csrf_token_and_cross_origin_posts_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = browser();
    let page = http.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let no_token = http.post(s.url("/login")).form(&[("email", ADMIN), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    let wrong = http
        .post(s.url("/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let cross = http
        .post(s.url("/login"))
        .header("origin", "http://evil.example")
        .form(&[("email", ADMIN), ("password", PASSWORD), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let cross_site = http
        .post(s.url("/login"))
        .header("origin", "null")
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", ADMIN), ("password", PASSWORD), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    // What Chromium sends for our own forms under `Referrer-Policy: no-referrer`.
    let own = http
        .post(s.url("/language"))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&[("lang", "en"), ("return_to", "/login"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::SEE_OTHER);
    // GET never changes state; TRACE is not allowed.
    let trace = http.request(reqwest::Method::TRACE, s.url("/login")).send().await.unwrap();
    assert_eq!(trace.status(), StatusCode::METHOD_NOT_ALLOWED);
    let ok = http
        .post(s.url("/login"))
        .form(&[("email", ADMIN), ("password", PASSWORD), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()["location"], "/mfa");
    // The session cookie is new at sign-in.
    assert!(ok.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("amparo_session=")));
}

#[tokio::test]
async fn serve_on_a_new_data_dir_prints_a_one_time_setup_link() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("fresh");
    let s = serve(&dir, &[], &[]);
    std::thread::sleep(Duration::from_millis(100));
    let printed = s.printed();
    let link = printed
        .iter()
        .find_map(|l| l.strip_prefix(&s.base).filter(|r| r.starts_with("/setup?token=")).map(str::to_owned));
    let link = link.unwrap_or_else(|| panic!("no setup link in {printed:?}"));
    let http = browser();
    let page = http.get(s.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_of(&page.text().await.unwrap());
    let token = link.trim_start_matches("/setup?token=");
    let form = [
        ("token", token),
        ("org", "Casa Amiga"),
        ("name", "Admin"),
        ("email", "admin@casa.org"),
        ("password", PASSWORD),
        ("csrf_token", csrf.as_str()),
    ];
    let r = http.post(s.url("/setup")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The link works once.
    assert_eq!(http.get(s.url(&link)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let r = http.post(s.url("/setup")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // There is no default account: the administrator is the one just created.
    let login = post_login(&http, &s, "admin@casa.org", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
}

#[test]
fn sigterm_lets_the_server_stop_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut s = serve(&dir, &[], &[]);
    let pid = s.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    for _ in 0..100 {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not stop within 10 s of SIGTERM");
}

#[tokio::test]
async fn tls_serving_sets_hsts_and_host_prefixed_secure_cookies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (cert_path, key_path) = (tmp.path().join("cert.pem"), tmp.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).unwrap();
    let s = serve(&dir, &["--tls-cert", cert_path.to_str().unwrap(), "--tls-key", key_path.to_str().unwrap()], &[]);
    assert!(s.base.starts_with("https://"));
    let http = reqwest::Client::builder().danger_accept_invalid_certs(true).redirect(Policy::none()).build().unwrap();
    let r = http.get(s.url("/login")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["strict-transport-security"].to_str().unwrap().contains("max-age=31536000"));
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-") && cookie.contains("; Secure") && cookie.contains("Path=/"), "{cookie}");
}

#[test]
fn plain_http_on_a_public_address_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut c = amparo();
    c.args(["serve", "--data-dir"]).arg(&dir).args(["--bind", "0.0.0.0:0"]);
    let mut child = c.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut first).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("WARNING") && first.contains("not loopback"), "{first}");
}

/// What `amparo audit verify` says, and whether it exits 0.
fn verify(dir: &Path, envs: &[(&str, &str)]) -> (bool, String) {
    let mut c = amparo();
    c.args(["audit", "verify", "--data-dir"]).arg(dir).envs(envs.iter().copied());
    let out = run(c, "");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Makes a used instance: sign-ins (right and wrong), a user, a token.
async fn use_instance(dir: &Path, envs: &[(&str, &str)]) {
    let s = serve(dir, &[], envs);
    let http = browser();
    for pw in ["mal mal mal mal mal", PASSWORD] {
        post_login(&http, &s, ADMIN, pw).await;
    }
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--email",
        "eva@esperanza.org",
        "--role",
        "hotline",
        "--password-stdin",
    ]);
    c.envs(envs.iter().copied());
    ok(&run(c, "la contraseña inicial de eva\n"));
    create_token(dir, "eva@esperanza.org", envs);
}

const MUTATIONS: [(&str, &str); 4] = [
    ("edit", "UPDATE audit_events SET action = 'login.tampered' WHERE seq = 3"),
    ("delete", "DELETE FROM audit_events WHERE seq = 2"),
    ("truncate", "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)"),
    ("reorder", "UPDATE audit_events SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)"),
];

#[tokio::test]
async fn audit_verify_catches_any_edit_deletion_or_truncation_on_sqlite() {
    for (name, sql) in MUTATIONS {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        init(&dir, &[]);
        use_instance(&dir, &[]).await;
        let (good, said) = verify(&dir, &[]);
        assert!(good && said.contains("intact"), "{said}");
        let db = dir.join("amparo.sqlite3");
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let reorder = name == "reorder";
        if reorder {
            // Swap through a free number: seq is the primary key.
            sqlx::query("UPDATE audit_events SET seq = -1 WHERE seq = 2").execute(&pool).await.unwrap();
            sqlx::query("UPDATE audit_events SET seq = 2 WHERE seq = 3").execute(&pool).await.unwrap();
            sqlx::query("UPDATE audit_events SET seq = 3 WHERE seq = -1").execute(&pool).await.unwrap();
        } else {
            let done = sqlx::query(sql).execute(&pool).await.unwrap();
            assert_eq!(done.rows_affected(), 1, "{name}");
        }
        pool.close().await;
        let (good, said) = verify(&dir, &[]);
        assert!(!good && said.contains("BROKEN at entry"), "{name}: {said}");
    }
}

#[tokio::test]
async fn audit_verify_catches_tampering_on_postgres() {
    let Ok(base) = std::env::var("AMPARO_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    for (name, sql) in MUTATIONS.iter().filter(|(n, _)| *n != "reorder") {
        let db = format!("amparo_cli_{}", uuid_like());
        sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();
        let url = with_database(&base, &db);
        let envs = [("AMPARO_DATABASE_URL", url.as_str())];
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        init(&dir, &envs);
        use_instance(&dir, &envs).await;
        let (good, said) = verify(&dir, &envs);
        assert!(good, "{said}");
        assert!(!dir.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
        let (good, said) = verify(&dir, &envs);
        assert!(!good && said.contains("BROKEN at entry"), "{name}: {said}");
        let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&admin).await;
    }
}

fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}_{}", std::process::id(), nanos % 1_000_000_000_000)
}

fn with_database(url: &str, db: &str) -> String {
    let (head, tail) = url.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{head}/{db}{query}")
}

#[tokio::test]
async fn pages_work_end_to_end_without_javascript() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let home = http.get(s.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let home = home.text().await.unwrap();
    assert!(home.contains("<html lang=\"es\">"), "the administrator's language is Spanish");
    assert!(home.contains("href=\"/admin/users\"") && home.contains("href=\"/audit\""));

    // The language switcher saves English on the account.
    let csrf = csrf_of(&home);
    let r = http
        .post(s.url("/language"))
        .form(&[("lang", "en"), ("return_to", "/"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/");
    let home = http.get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("<html lang=\"en\">"));
    // An outside address is never a place to return to.
    let r = http
        .post(s.url("/language"))
        .form(&[("lang", "es"), ("return_to", "//evil.example/x"), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/");

    // Adding a user with a password that is too short: a 422, a message next to the field,
    // and what was typed is still there (but never the password).
    let users = http.get(s.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&users);
    let form = [
        ("email", "nueva@esperanza.org"),
        ("name", "Nueva <b>Persona</b>"),
        ("role", "hotline"),
        ("language", "es"),
        ("initial_password", "corta"),
        ("csrf_token", csrf.as_str()),
    ];
    let r = http.post(s.url("/admin/users")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"nueva@esperanza.org\"") && page.contains("id=\"initial_password-error\""));
    assert!(
        page.contains("Nueva &lt;b&gt;Persona&lt;/b&gt;") || page.contains("Nueva &#60;b&#62;Persona&#60;/b&#62;"),
        "escaped"
    );
    assert!(!page.contains("<b>Persona</b>") && !page.contains("value=\"corta\""));
    let mut good = form;
    good[4] = ("initial_password", "contraseña inicial bastante larga");
    let r = http.post(s.url("/admin/users")).form(&good).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let users = http.get(s.url("/admin/users")).send().await.unwrap().text().await.unwrap();
    assert!(users.contains("nueva@esperanza.org"));

    // The audit page lists what happened, and reading it is recorded.
    let audit = http.get(s.url("/audit")).send().await.unwrap().text().await.unwrap();
    for action in ["login.password", "mfa.enrol", "user.language", "user.add"] {
        assert!(audit.contains(&format!("<code>{action}</code>")), "{action}");
    }
    let audit = http.get(s.url("/audit")).send().await.unwrap().text().await.unwrap();
    assert!(audit.contains("<code>audit.read</code>"));

    // Logout ends the session: the old cookie is no good any more.
    let csrf = csrf_of(&audit);
    let r = http.post(s.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login");
    let r = http.get(s.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
}

#[tokio::test]
async fn cutting_the_end_off_the_audit_chain_is_caught_even_after_new_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    use_instance(&dir, &[]).await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("amparo.sqlite3").display())).await.unwrap();
    // Cut the last two entries and point the head at the one before, as a careful intruder would.
    let (max,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM audit_events").fetch_one(&pool).await.unwrap();
    sqlx::query("DELETE FROM audit_events WHERE seq > ?").bind(max - 2).execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_events WHERE seq = ?) WHERE id = 1")
        .bind(max - 2)
        .bind(max - 2)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    // New activity appends past the old head…
    for i in 0..3 {
        let mut c = amparo();
        c.args(["user", "add", "--data-dir"]).arg(&dir).args([
            "--email",
            &format!("nueva{i}@esperanza.org"),
            "--role",
            "hotline",
            "--password-stdin",
        ]);
        ok(&run(c, "la contraseña inicial de la nueva\n"));
    }
    // …and the cut is still reported.
    let (good, said) = verify(&dir, &[]);
    assert!(!good && said.contains("BROKEN"), "{said}");
}
