#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The browser test: the real `amparo` binary, real HTTP on loopback and Debian's Chromium
//! driven through chromedriver (DESIGN.md §8).
//!
//! Two installations are made with `amparo init`, one whose administrator works in Spanish and
//! one in English; one headless Chromium (asking for English pages) then, for each of them:
//! opens /login, switches language before sign-in where needed, signs in, enrols the second
//! factor from the inline QR page, lands on the home page, switches language while signed in,
//! signs out, and signs in again answering the MFA challenge (after a replayed code is
//! refused). Every page is checked for `<html lang>` and for never reaching outside the
//! server's own origin. Then, in Spanish, a case manager of the first installation opens a
//! case and adds a service through the case-work form, and sees it on the case page.
//!
//! Skipped with a message when chromium/chromedriver are not installed, unless
//! `AMPARO_REQUIRE_BROWSER=1` (CI) makes that a failure.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use amparo_crypto::TotpSecret;
use serde_json::{Value, json};
use tempfile::TempDir;
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const SKIP_MESSAGE: &str = "skipping browser test: chromium/chromedriver not installed";
const PASSWORD: &str = "una frase larga para la prueba";
/// The language Chromium asks for (`Accept-Language`); the installations default to Spanish,
/// so an English page before sign-in proves the negotiation.
const BROWSER_LANG: &str = "en";
const TOTP_STEP: u64 = 30;
/// A code is not typed when fewer seconds than this remain in its 30-second step.
const TOTP_MARGIN_MS: u64 = 3_000;
const WAIT: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------
// Processes

/// A child process killed (and reaped) when the test ends, however it ends.
struct KillOnDrop {
    child: Child,
    /// The child leads its own process group (chromedriver): the whole group is killed, so
    /// that no Chromium outlives a failed test.
    group: bool,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if self.group {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn amparo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_amparo"));
    for var in ["AMPARO_DATA_DIR", "AMPARO_BIND", "AMPARO_TLS_CERT", "AMPARO_TLS_KEY", "AMPARO_DEFAULT_LANGUAGE"] {
        c.env_remove(var);
    }
    c
}

/// `amparo init` with the password on standard input; returns the running child.
fn start_init(data_dir: &Path, email: &str, name: &str, lang: &str) -> Child {
    let mut child = amparo()
        .arg("init")
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--org", "Refugio Esperanza", "--admin-email", email, "--admin-name", name])
        .args(["--language", lang, "--admin-password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start amparo init");
    let mut stdin = child.stdin.take().expect("init stdin");
    writeln!(stdin, "{PASSWORD}").expect("write the password to amparo init");
    drop(stdin);
    child
}

fn finish_init(child: Child) {
    let out = child.wait_with_output().expect("wait for amparo init");
    assert!(
        out.status.success(),
        "amparo init failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `amparo serve` on a free loopback port; returns the child and its origin (`http://127.0.0.1:PORT`).
fn start_server(data_dir: &Path) -> (KillOnDrop, String) {
    let mut child = amparo()
        .arg("serve")
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--bind", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start amparo serve");
    let stdout = child.stdout.take().expect("serve stdout");
    let guard = KillOnDrop { child, group: false };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Keeps draining the pipe for the server's lifetime so it never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("Amparo listening on ") {
                let _ = tx.send(url.trim().to_owned());
            }
        }
    });
    let origin =
        rx.recv_timeout(WAIT).expect("amparo serve did not print \"Amparo listening on http://127.0.0.1:PORT\"");
    assert!(origin.starts_with("http://127.0.0.1:"), "unexpected listening address {origin}");
    (guard, origin)
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local address").port()
}

async fn start_chromedriver() -> (KillOnDrop, String) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start chromedriver");
    let guard = KillOnDrop { child, group: true };
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(r) = client.get(format!("{url}/status")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(Instant::now() < deadline, "chromedriver did not answer on {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (guard, url)
}

async fn start_browser(chromedriver: &str, profile: &Path) -> WebDriver {
    start_browser_with(chromedriver, profile, true).await
}

/// A headless Chromium; with `javascript` false, no page script runs (content setting).
async fn start_browser_with(chromedriver: &str, profile: &Path, javascript: bool) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM).unwrap();
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display())).unwrap();
    let mut prefs = json!({ "intl": { "accept_languages": "en-US,en" } });
    if !javascript {
        prefs["profile"] = json!({ "managed_default_content_settings": { "javascript": 2 } });
    }
    caps.add_experimental_option("prefs", prefs).unwrap();
    WebDriver::new(chromedriver, caps).await.expect("start a Chromium session through chromedriver")
}

// ---------------------------------------------------------------------------------------------
// Translations, read from the project's own catalogues so the test follows the wording.

struct Texts {
    lang: &'static str,
    messages: HashMap<String, String>,
}

impl Texts {
    fn load(lang: &'static str) -> Texts {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales").join(lang);
        let mut messages = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "ftl") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let simple = source
                .lines()
                .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()));
            messages.extend(simple);
        }
        Texts { lang, messages }
    }

    /// A simple (single-line, argument-free) message.
    fn t(&self, key: &str) -> &str {
        let m = self.messages.get(key).unwrap_or_else(|| panic!("{key} missing from locales/{}/*.ftl", self.lang));
        assert!(!m.is_empty() && !m.contains('{'), "{key} in {} is not a simple message", self.lang);
        m
    }
}

// ---------------------------------------------------------------------------------------------
// Page helpers

async fn js(d: &WebDriver, script: &str) -> Value {
    d.execute(script, Vec::new()).await.unwrap_or_else(|e| panic!("script {script:?} failed: {e}")).json().clone()
}

async fn find(d: &WebDriver, css: &str) -> WebElement {
    match d.find(By::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("no {css} on {}: {e}", here(d).await),
    }
}

async fn text_of(d: &WebDriver, css: &str) -> String {
    find(d, css).await.text().await.unwrap()
}

async fn present(d: &WebDriver, css: &str) -> bool {
    !d.find_all(By::Css(css)).await.unwrap().is_empty()
}

async fn here(d: &WebDriver) -> String {
    d.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

async fn type_into(d: &WebDriver, css: &str, text: &str) {
    let field = find(d, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks a button that submits a form and waits for the next document to have loaded.
async fn click_and_wait(d: &WebDriver, css: &str) {
    js(d, "document.documentElement.setAttribute('data-test-previous-page', '')").await;
    find(d, css).await.click().await.unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        let loaded = d
            .execute(
                "return document.readyState === 'complete' && \
                 !document.documentElement.hasAttribute('data-test-previous-page')",
                Vec::new(),
            )
            .await;
        if matches!(loaded, Ok(ref v) if v.json() == &Value::Bool(true)) {
            return;
        }
        assert!(Instant::now() < deadline, "no new page after clicking {css}; still at {}", here(d).await);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The page is `path` of this server, in `lang`, and neither loaded nor points anywhere else.
async fn check_page(d: &WebDriver, origin: &str, path: &str, lang: &str) {
    let url = d.current_url().await.unwrap();
    if url.path() != path {
        let body = js(d, "return document.body ? document.body.innerText : ''").await;
        panic!("expected to be on {path}, got {url} showing {body}");
    }
    assert!(url.as_str().starts_with(&format!("{origin}/")), "left the server: {url}");
    let html_lang = d.find(By::Css("html")).await.unwrap().attr("lang").await.unwrap();
    assert_eq!(html_lang.as_deref(), Some(lang), "<html lang> on {url}");
    assert_own_origin_only(d, origin, url.as_str()).await;
}

/// Everything the page fetched (resource timing, navigation included) and every URL it
/// carries (src, href, form actions) belongs to the server's own origin.
async fn assert_own_origin_only(d: &WebDriver, origin: &str, url: &str) {
    let fetched = js(
        d,
        "return performance.getEntries()\
           .filter(e => e.entryType === 'resource' || e.entryType === 'navigation')\
           .map(e => e.name);",
    )
    .await;
    let fetched: Vec<String> = serde_json::from_value(fetched).unwrap();
    // The stylesheet shows that resource timing does see what the page loads.
    let stylesheet = format!("{origin}/static/amparo.css");
    assert!(fetched.contains(&stylesheet), "{url} did not load {stylesheet}; it loaded {fetched:?}");
    let prefix = format!("{origin}/");
    for name in &fetched {
        assert!(name.starts_with(&prefix), "{url} requested {name}, outside {origin}");
    }
    let referenced = js(
        d,
        "return Array.from(document.querySelectorAll('[src], [href], form[action]'))\
           .map(e => e.tagName === 'FORM' ? e.action : (e.src || e.href))\
           .map(String);",
    )
    .await;
    let referenced: Vec<String> = serde_json::from_value(referenced).unwrap();
    for r in &referenced {
        assert!(r.starts_with(&prefix), "{url} refers to {r}, outside {origin}");
    }
}

async fn h1(d: &WebDriver) -> String {
    text_of(d, "h1").await
}

// ---------------------------------------------------------------------------------------------
// Time-based codes

fn now_ms() -> u64 {
    u64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// Waits until the current 30-second step is later than `after` and has at least a few seconds
/// left, so the code typed is still current when the server checks it; returns that step.
async fn fresh_step(after: Option<u64>) -> u64 {
    let step_ms = TOTP_STEP * 1000;
    loop {
        let now = now_ms();
        let step = now / step_ms;
        let left = step_ms - now % step_ms;
        if after.is_none_or(|a| step > a) && left >= TOTP_MARGIN_MS {
            return step;
        }
        tokio::time::sleep(Duration::from_millis(left + 50)).await;
    }
}

fn code_for(secret: &TotpSecret, step: u64) -> String {
    secret.code_at(i64::try_from(step * TOTP_STEP).unwrap())
}

// ---------------------------------------------------------------------------------------------
// The scenario

struct Installation {
    texts: Texts,
    /// The other language: the one switched to while signed in.
    other: Texts,
    email: String,
    name: &'static str,
    origin: String,
    // Dropped in this order: the server is killed before its data directory is removed.
    _server: KillOnDrop,
    _dir: TempDir,
}

/// What the first half of the scenario leaves for the second.
struct Enrolled {
    secret: TotpSecret,
    step: u64,
    code: String,
}

/// Steps 2–5: sign-in page and its language, first sign-in with MFA enrolment, home page,
/// language switch while signed in, sign-out.
async fn sign_in_and_enrol(d: &WebDriver, inst: &Installation) -> Enrolled {
    let (o, l, other) = (&inst.origin, &inst.texts, &inst.other);
    let browser = Texts::load(BROWSER_LANG);
    eprintln!("[{}] {o}: sign-in page", l.lang);

    // A clean browser for this installation (cookies are per host, not per port).
    d.goto(format!("{o}/healthz")).await.unwrap();
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{o}/login")).await.unwrap();
    check_page(d, o, "/login", BROWSER_LANG).await;
    assert_eq!(h1(d).await, browser.t("login-title"), "sign-in heading for a browser asking for {BROWSER_LANG}");
    assert!(!present(d, "#logout").await, "a signed-out page offers to sign out");

    if l.lang != BROWSER_LANG {
        // Before sign-in the switcher keeps the choice in a cookie.
        assert_eq!(text_of(d, "#switch-language").await, browser.t(&format!("language-{}", l.lang)));
        click_and_wait(d, "#switch-language").await;
        check_page(d, o, "/login", l.lang).await;
        assert_eq!(h1(d).await, l.t("login-title"));
        d.goto(format!("{o}/login")).await.unwrap();
        check_page(d, o, "/login", l.lang).await;
    }

    type_into(d, "#email", &inst.email).await;
    type_into(d, "#password", PASSWORD).await;
    click_and_wait(d, "#sign-in").await;

    // MFA enrolment: an inline SVG QR code and the secret for manual entry.
    eprintln!("[{}] MFA enrolment", l.lang);
    check_page(d, o, "/mfa", l.lang).await;
    assert_eq!(h1(d).await, l.t("mfa-enrol-title"));
    let qr = d.find(By::Css(".qr > svg")).await.unwrap_or_else(|_| panic!("no inline <svg> inside .qr on {o}/mfa"));
    assert!(!qr.find_all(By::Css("path, rect")).await.unwrap().is_empty(), "the QR <svg> draws nothing");
    assert!(!present(d, ".qr img, .qr object, .qr iframe").await, "the QR code is not inline");
    let secret_text = text_of(d, "#totp-secret").await;
    let secret =
        TotpSecret::from_base32(&secret_text).unwrap_or_else(|e| panic!("#totp-secret {secret_text:?}: {e:?}"));

    let step = fresh_step(None).await;
    let code = code_for(&secret, step);
    type_into(d, "#code", &code).await;
    click_and_wait(d, "#verify-code").await;

    // Home.
    check_page(d, o, "/", l.lang).await;
    assert_eq!(h1(d).await, l.t("page-home-title"));
    let welcome = text_of(d, "#welcome").await;
    assert!(welcome.contains(inst.name), "#welcome {welcome:?} lacks {:?}", inst.name);
    assert_eq!(text_of(d, "#logout").await, l.t("nav-logout"));

    // Switching language while signed in: saved on the account.
    eprintln!("[{}] language switch to {}", l.lang, other.lang);
    assert_eq!(text_of(d, "#switch-language").await, l.t(&format!("language-{}", other.lang)));
    click_and_wait(d, "#switch-language").await;
    check_page(d, o, "/", other.lang).await;
    assert_eq!(h1(d).await, other.t("page-home-title"));
    assert_ne!(other.t("page-home-title"), l.t("page-home-title"));
    assert_eq!(text_of(d, "#logout").await, other.t("nav-logout"));
    assert!(text_of(d, "#welcome").await.contains(inst.name));
    d.goto(format!("{o}/")).await.unwrap();
    check_page(d, o, "/", other.lang).await;

    // Signing out.
    eprintln!("[{}] sign out", l.lang);
    click_and_wait(d, "#logout").await;
    // Signed out, the page follows the switcher's cookie (Spanish run) or the browser (English run).
    check_page(d, o, "/login", l.lang).await;
    assert!(!present(d, "#logout").await);
    d.goto(format!("{o}/")).await.unwrap();
    check_page(d, o, "/login", l.lang).await;

    Enrolled { secret, step, code }
}

/// Step 6: sign in again; the code page is a challenge (no QR) in the account's language,
/// a replayed code is refused and a fresh one lets the person in.
async fn sign_in_with_code(d: &WebDriver, inst: &Installation, enrolled: &Enrolled, after: u64) {
    let (o, l, other) = (&inst.origin, &inst.texts, &inst.other);
    eprintln!("[{}] second sign-in", l.lang);
    // The other installation's run cleared this host's cookies, the language one included.
    d.goto(format!("{o}/healthz")).await.unwrap();
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{o}/login")).await.unwrap();
    check_page(d, o, "/login", BROWSER_LANG).await;
    type_into(d, "#email", &inst.email).await;
    type_into(d, "#password", PASSWORD).await;
    click_and_wait(d, "#sign-in").await;

    // The account's language is now the one chosen while signed in.
    check_page(d, o, "/mfa", other.lang).await;
    assert_eq!(h1(d).await, other.t("mfa-challenge-title"));
    assert!(!present(d, ".qr").await, "the MFA challenge shows a QR code");
    assert!(!present(d, "#totp-secret").await, "the MFA challenge shows the secret");

    // Codes are single-use: the enrolment code is refused.
    type_into(d, "#code", &enrolled.code).await;
    click_and_wait(d, "#verify-code").await;
    check_page(d, o, "/mfa", other.lang).await;
    assert!(present(d, "#code-error").await, "a replayed code was not refused with #code-error");
    let invalid = d.find(By::Css("#code")).await.unwrap().attr("aria-invalid").await.unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    assert_eq!(h1(d).await, other.t("mfa-challenge-title"));

    let step = fresh_step(Some(after.max(enrolled.step))).await;
    eprintln!("[{}] code for the next step", l.lang);
    type_into(d, "#code", &code_for(&enrolled.secret, step)).await;
    click_and_wait(d, "#verify-code").await;
    check_page(d, o, "/", other.lang).await;
    assert_eq!(h1(d).await, other.t("page-home-title"));
    assert!(text_of(d, "#welcome").await.contains(inst.name));

    click_and_wait(d, "#logout").await;
    check_page(d, o, "/login", BROWSER_LANG).await;
}

#[tokio::test]
async fn sign_in_with_mfa_and_switch_language_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var("AMPARO_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{SKIP_MESSAGE}");
        }
        eprintln!("{SKIP_MESSAGE}");
        return;
    }
    let started = Instant::now();

    // 1. Two fresh installations, one per administrator language, both served on loopback.
    let people = [
        ("es", "coordinacion@refugio.example", "María José Núñez"),
        ("en", "coordinator@refugio.example", "Grace O'Neill"),
    ];
    let dirs: Vec<TempDir> = people.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    let inits: Vec<Child> = people
        .iter()
        .zip(&dirs)
        .map(|((lang, email, name), dir)| start_init(&dir.path().join("data"), email, name, lang))
        .collect();
    inits.into_iter().for_each(finish_init);
    add_case_manager(&dirs[0].path().join("data"));
    let mut installations = Vec::new();
    for ((lang, email, name), dir) in people.into_iter().zip(dirs) {
        let (server, origin) = start_server(&dir.path().join("data"));
        let other = if lang == "es" { "en" } else { "es" };
        installations.push(Installation {
            texts: Texts::load(lang),
            other: Texts::load(other),
            email: email.to_owned(),
            name,
            origin,
            _server: server,
            _dir: dir,
        });
    }
    eprintln!("servers up after {:?}", started.elapsed());

    let profile = tempfile::tempdir().unwrap();
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let driver = start_browser(&driver_url, profile.path()).await;
    eprintln!("browser up after {:?}", started.elapsed());

    // The scenario runs as a task so that the browser is closed even when an assertion fails.
    let scenario = tokio::spawn(scenario(driver.clone(), installations, started));
    let outcome = scenario.await;
    let _ = driver.quit().await;
    match outcome {
        Ok(()) => eprintln!("browser test done in {:?}", started.elapsed()),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("browser scenario did not finish: {e}"),
    }
}

/// Steps 2–5 in both languages, then step 6 in both (the second sign-in needs a later code
/// step than either enrolment); step 7 is checked on every page.
async fn scenario(driver: WebDriver, installations: Vec<Installation>, started: Instant) {
    let mut enrolled = Vec::new();
    for inst in &installations {
        enrolled.push(sign_in_and_enrol(&driver, inst).await);
    }
    let last_enrolment = enrolled.iter().map(|e| e.step).max().unwrap();
    eprintln!("enrolled after {:?}; waiting for the next code step", started.elapsed());
    for (inst, e) in installations.iter().zip(&enrolled) {
        sign_in_with_code(&driver, inst, e, last_enrolment).await;
    }
    let spanish = installations.iter().find(|i| i.texts.lang == "es").expect("the Spanish installation");
    add_a_service_in_spanish(&driver, spanish).await;
    write_a_safety_plan_in_spanish(&driver, spanish).await;
}

// ---------------------------------------------------------------------------------------------
// Case work in Spanish

const CASE_MANAGER: &str = "gestora@refugio.example";
const CASE_MANAGER_FIRST: &str = "primera contraseña de la gestora";
const CASE_MANAGER_NEW: &str = "el río baja despacio entre piedras";

/// A Spanish-speaking case manager, added with the CLI before the server starts.
fn add_case_manager(data_dir: &Path) {
    let mut child = amparo()
        .args(["user", "add", "--data-dir"])
        .arg(data_dir)
        .args(["--email", CASE_MANAGER, "--name", "Lucía Pérez", "--role", "case_manager", "--language", "es"])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start amparo user add");
    let mut stdin = child.stdin.take().expect("user add stdin");
    writeln!(stdin, "{CASE_MANAGER_FIRST}").expect("write the password to amparo user add");
    drop(stdin);
    finish_init(child);
}

/// Step 8: the case manager signs in (second factor, new password), records a person, opens
/// a case, adds a service through the form (no JavaScript needed) and sees it on the case page.
async fn add_a_service_in_spanish(d: &WebDriver, inst: &Installation) {
    let (o, l) = (&inst.origin, &inst.texts);
    sign_in_case_manager(d, o).await;
    add_the_service(d, o, l).await;
}

/// The Spanish case manager's first sign-in: second factor, then a new password.
async fn sign_in_case_manager(d: &WebDriver, o: &str) {
    eprintln!("[es] sign in as a case manager");
    d.goto(format!("{o}/healthz")).await.unwrap();
    d.delete_all_cookies().await.unwrap();
    d.goto(format!("{o}/login")).await.unwrap();
    type_into(d, "#email", CASE_MANAGER).await;
    type_into(d, "#password", CASE_MANAGER_FIRST).await;
    click_and_wait(d, "#sign-in").await;
    check_page(d, o, "/mfa", "es").await;
    let secret = TotpSecret::from_base32(&text_of(d, "#totp-secret").await).expect("the TOTP secret");
    let step = fresh_step(None).await;
    type_into(d, "#code", &code_for(&secret, step)).await;
    click_and_wait(d, "#verify-code").await;
    check_page(d, o, "/password", "es").await;
    type_into(d, "#current_password", CASE_MANAGER_FIRST).await;
    type_into(d, "#new_password", CASE_MANAGER_NEW).await;
    type_into(d, "#confirm_password", CASE_MANAGER_NEW).await;
    click_and_wait(d, "#change-password").await;
}

async fn add_the_service(d: &WebDriver, o: &str, l: &Texts) {
    eprintln!("[es] case work: a person and a case");
    d.goto(format!("{o}/intake")).await.unwrap();
    check_page(d, o, "/intake", "es").await;
    type_into(d, "#alias", "Xóchitl").await;
    click_and_wait(d, "#intake-submit").await;
    click_and_wait(d, "#open-case").await;
    let case_path = d.current_url().await.unwrap().path().to_owned();
    assert!(case_path.starts_with("/cases/"), "opening a case leads to it, not {case_path}");
    check_page(d, o, &case_path, "es").await;
    assert_eq!(text_of(d, "#services").await, l.t("cw-section-services"));

    eprintln!("[es] case work: add a service");
    click_and_wait(d, "#add-service").await;
    check_page(d, o, &format!("{case_path}/services/new"), "es").await;
    find(d, "#category option[value='accompaniment']").await.click().await.unwrap();
    type_into(d, "#minutes", "45").await;
    type_into(d, "#notes", "Acompañamiento a la fiscalía").await;
    click_and_wait(d, "#entry-submit").await;
    check_page(d, o, &case_path, "es").await;
    assert_eq!(text_of(d, ".notice-success").await, l.t("cw-notice-entry"));
    let row = text_of(d, "#services-table tbody tr").await;
    for expected in [l.t("code-service_category-accompaniment"), "45", "Acompañamiento a la fiscalía"] {
        assert!(row.contains(expected), "the service line {row:?} lacks {expected:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// A PHQ-9 in Spanish

/// A Spanish case manager runs a PHQ-9 from the person's page in Chromium: the form's radio
/// groups, a missing answer coming back with the choices kept and the message at the item,
/// the result in words with the suicide-risk flag, and the trend chart. The pages carry no
/// script at all. With `AMPARO_SCREENSHOT_DIR` set, the pages are saved there as PNG.
#[tokio::test]
async fn a_phq9_in_spanish_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var("AMPARO_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{SKIP_MESSAGE}");
        }
        eprintln!("{SKIP_MESSAGE}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    finish_init(start_init(&data, "coordinacion@refugio.example", "María José Núñez", "es"));
    add_case_manager(&data);
    let (server, origin) = start_server(&data);
    let inst = Installation {
        texts: Texts::load("es"),
        other: Texts::load("en"),
        email: "coordinacion@refugio.example".to_owned(),
        name: "María José Núñez",
        origin,
        _server: server,
        _dir: dir,
    };
    let profile = tempfile::tempdir().unwrap();
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let driver = start_browser(&driver_url, profile.path()).await;
    let outcome = tokio::spawn(phq9_in_spanish(driver.clone(), inst)).await;
    let _ = driver.quit().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn screenshot(d: &WebDriver, name: &str) {
    if let Ok(dir) = std::env::var("AMPARO_SCREENSHOT_DIR") {
        d.screenshot(&Path::new(&dir).join(format!("{name}.png"))).await.unwrap();
    }
}

async fn no_script(d: &WebDriver) {
    let scripts = js(d, "return document.querySelectorAll('script').length").await;
    assert_eq!(scripts, json!(0), "a script on {}", here(d).await);
}

async fn phq9_in_spanish(d: WebDriver, inst: Installation) {
    let (o, l) = (&inst.origin, &inst.texts);
    let d = &d;
    d.set_window_rect(0, 0, 1000, 1400).await.unwrap();
    sign_in_case_manager(d, o).await;
    d.goto(format!("{o}/intake")).await.unwrap();
    type_into(d, "#alias", "Xóchitl").await;
    click_and_wait(d, "#intake-submit").await;
    let person_path = d.current_url().await.unwrap().path().to_owned();
    click_and_wait(d, "#open-case").await;
    d.goto(format!("{o}{person_path}")).await.unwrap();
    check_page(d, o, &person_path, "es").await;
    assert_eq!(text_of(d, "#screenings").await, l.t("sc-title"));

    eprintln!("[es] screenings: the PHQ-9 form");
    click_and_wait(d, "#run-phq9").await;
    check_page(d, o, &format!("{person_path}/screenings/new/phq9"), "es").await;
    no_script(d).await;
    let legends = d.find_all(By::Css("fieldset.screening-item > legend")).await.unwrap();
    assert_eq!(legends.len(), 10, "nine items and the difficulty question");
    assert_eq!(legends[0].text().await.unwrap(), "1. Poco interés o placer en hacer cosas");
    assert!(text_of(d, "#instrument-attribution").await.contains("Pfizer"));
    // Items 1–8 at "Varios días"; item 9 left unanswered.
    for n in 1..=8 {
        find(d, &format!("label[for='item_{n}-1']")).await.click().await.unwrap();
    }
    click_and_wait(d, "#screening-submit").await;
    check_page(d, o, &format!("{person_path}/screenings"), "es").await;
    assert_eq!(text_of(d, "#item_9-error").await, format!("Pregunta 9: {}", l.t("error-screening_answer_missing")));
    assert!(present(d, ".error-summary a[href='#item_9']").await);
    for n in 1..=8 {
        assert!(find(d, &format!("#item_{n}-1")).await.is_selected().await.unwrap(), "item {n} kept");
    }
    screenshot(d, "phq9-form-error-es").await;

    eprintln!("[es] screenings: the result");
    find(d, "label[for='item_9-1']").await.click().await.unwrap();
    click_and_wait(d, "#screening-submit").await;
    let result_path = d.current_url().await.unwrap().path().to_owned();
    assert!(result_path.starts_with("/screenings/"), "{result_path}");
    check_page(d, o, &result_path, "es").await;
    no_script(d).await;
    assert_eq!(text_of(d, "#result-total").await, "Total: 9 de 27");
    assert_eq!(text_of(d, "#result-band").await, "Resultado: Leve");
    assert!(text_of(d, "#flag-suicide_risk").await.contains("pregunta 9"));
    assert_eq!(text_of(d, "#alert-sent").await, l.t("sc-alert-sent"));
    screenshot(d, "phq9-result-es").await;

    eprintln!("[es] screenings: trends");
    click_and_wait(d, "#back-to-screenings").await;
    check_page(d, o, &format!("{person_path}/screenings"), "es").await;
    let chart = find(d, "svg#chart-phq9").await;
    assert_eq!(chart.attr("role").await.unwrap().as_deref(), Some("img"));
    assert_eq!(text_of(d, "#trend-table-phq9 tbody td").await, "9");
    screenshot(d, "phq9-trends-es").await;
    let _ = &inst.other;
}

/// Step 9: the same case manager writes a safety plan with a survivor, in Spanish, through the
/// plain form (no script involved), sees it as saved, and opens the printable page, which is
/// in the survivor's language and names no agency.
async fn write_a_safety_plan_in_spanish(d: &WebDriver, inst: &Installation) {
    let (o, l) = (&inst.origin, &inst.texts);
    eprintln!("[es] safety plan: a person and their plan");
    d.goto(format!("{o}/intake")).await.unwrap();
    type_into(d, "#alias", "Golondrina").await;
    click_and_wait(d, "#intake-submit").await;
    let person_path = d.current_url().await.unwrap().path().to_owned();
    assert!(person_path.starts_with("/persons/"), "intake leads to the person, not {person_path}");
    assert_eq!(text_of(d, "#safety-plan").await, l.t("safety-title"));
    click_and_wait(d, "#safety-plan-edit").await;
    check_page(d, o, &format!("{person_path}/safety-plan/edit"), "es").await;
    assert!(find(d, "#language").await.is_selected().await.unwrap(), "Spanish chosen for a Spanish speaker");
    type_into(d, "#warning_signs", "Cuando llega tarde y enojado").await;
    type_into(d, "#safe_places", "La casa de mi tía").await;
    click_and_wait(d, "#safety-submit").await;
    check_page(d, o, &format!("{person_path}/safety-plan"), "es").await;
    assert_eq!(text_of(d, ".notice-success").await, l.t("safety-notice-saved"));
    assert_eq!(text_of(d, "#text-warning_signs").await, "Cuando llega tarde y enojado");
    click_and_wait(d, "#safety-plan-print").await;
    check_page(d, o, &format!("{person_path}/safety-plan/print"), "es").await;
    assert_eq!(text_of(d, "#print-title").await, l.t("safety-print-title"));
    assert!(!present(d, "#print-agency").await, "no agency name unless the survivor wants it");
}

// ---------------------------------------------------------------------------------------------
// The public tip form and quick exit

/// A neutral site on loopback for the quick exit to land on (nothing leaves the machine).
/// Answers every request with one small page, until the test process ends.
fn start_neutral_site() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the neutral site");
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut stream, &mut buf);
            let body = "<!doctype html><html lang=\"en\"><title>Weather</title><h1 id=\"neutral\">Weather</h1></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    origin
}

/// Waits until the browser is on a page whose URL starts with `prefix` and has `css`.
async fn wait_for(d: &WebDriver, prefix: &str, css: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        if here(d).await.starts_with(prefix) && present(d, css).await {
            return;
        }
        assert!(Instant::now() < deadline, "never reached {prefix} with {css}; at {}", here(d).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// No-JavaScript browser: a tip in each language lands on the thank-you page; a bad one comes
/// back with the message; the quick-exit link leaves (and, without script, Back returns —
/// which is why the page says that history remains). JavaScript browser: Shift pressed three
/// times replaces the page, so the history does not grow and Back does not return to the form.
#[tokio::test]
async fn tip_form_without_javascript_and_quick_exit_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var("AMPARO_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{SKIP_MESSAGE}");
        }
        eprintln!("{SKIP_MESSAGE}");
        return;
    }
    let neutral = start_neutral_site();
    let exit_url = format!("{neutral}/weather");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    finish_init(start_init(&data, "coordinacion@refugio.example", "María José Núñez", "es"));
    std::fs::write(data.join("amparo.toml"), format!("[tips]\nquick_exit_url = \"{exit_url}\"\n")).unwrap();
    let (_server, origin) = start_server(&data);
    let (_chromedriver, driver_url) = start_chromedriver().await;
    let (en, es) = (Texts::load("en"), Texts::load("es"));

    let profile = tempfile::tempdir().unwrap();
    let no_js = start_browser_with(&driver_url, profile.path(), false).await;
    let outcome = tokio::spawn(tips_without_javascript(no_js.clone(), origin.clone(), exit_url.clone(), en, es)).await;
    let _ = no_js.quit().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }

    let profile = tempfile::tempdir().unwrap();
    let with_js = start_browser_with(&driver_url, profile.path(), true).await;
    let outcome = tokio::spawn(quick_exit_with_javascript(with_js.clone(), origin, exit_url)).await;
    let _ = with_js.quit().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn tips_without_javascript(d: WebDriver, origin: String, exit_url: String, en: Texts, es: Texts) {
    d.goto(format!("{origin}/tip")).await.unwrap();
    assert_eq!(d.title().await.unwrap(), en.t("tips-title"));
    for (texts, message) in
        [(&en, "A man keeps the workers' passports at the farm"), (&es, "En la fonda no dejan salir a las meseras")]
    {
        if texts.lang == "es" {
            find(&d, "#switch-language").await.click().await.unwrap();
            wait_for(&d, &format!("{origin}/tip"), "html[lang=\"es\"]").await;
        }
        assert_eq!(d.title().await.unwrap(), texts.t("tips-title"));
        assert_eq!(text_of(&d, "#quick-exit").await, texts.t("tips-quick-exit"));
        assert!(present(&d, "#history-note").await);
        // Empty: the form comes back with the message, on the same page.
        find(&d, "#send-tip").await.click().await.unwrap();
        wait_for(&d, &format!("{origin}/tip"), ".error-summary").await;
        assert_eq!(text_of(&d, ".error-summary li a").await, texts.t("error-signal_message_required"));
        type_into(&d, "#message", message).await;
        find(&d, "#send-tip").await.click().await.unwrap();
        wait_for(&d, &format!("{origin}/tip/thanks"), "#tip-thanks").await;
        assert_eq!(text_of(&d, "#tip-thanks").await, texts.t("tips-thanks-heading"));
        assert!(text_of(&d, "main").await.contains("1-888-373-7888"));
        d.goto(format!("{origin}/tip")).await.unwrap();
    }
    // Quick exit without script: an ordinary link to the neutral site.
    wait_for(&d, &format!("{origin}/tip"), "#quick-exit").await;
    find(&d, "#quick-exit").await.click().await.unwrap();
    wait_for(&d, &exit_url, "#neutral").await;
    // Back returns to the form: proof that no script replaced the entry (with script on,
    // Back would find the thank-you page before it).
    d.back().await.unwrap();
    wait_for(&d, &format!("{origin}/tip"), "#message").await;
    assert_eq!(here(&d).await, format!("{origin}/tip"));
}

async fn quick_exit_with_javascript(d: WebDriver, origin: String, exit_url: String) {
    // Resources first, then the form: Back from the neutral site must not find the form.
    d.goto(format!("{origin}/resources")).await.unwrap();
    wait_for(&d, &format!("{origin}/resources"), "#quick-exit").await;
    d.goto(format!("{origin}/tip")).await.unwrap();
    wait_for(&d, &format!("{origin}/tip"), "#message").await;
    let before = js(&d, "return history.length").await;
    // The page's script is ours and loaded (resource timing sees it).
    let scripts = js(&d, "return performance.getEntriesByType('resource').map(e => e.name)").await;
    assert!(scripts.to_string().contains(&format!("{origin}/static/quick-exit.js")), "{scripts}");
    find(&d, "#message").await.click().await.unwrap();
    for _ in 0..3 {
        d.action_chain().key_down(Key::Shift).key_up(Key::Shift).perform().await.unwrap();
    }
    wait_for(&d, &exit_url, "#neutral").await;
    assert_eq!(js(&d, "return history.length").await, before, "the form's entry was replaced, not added to");
    d.back().await.unwrap();
    wait_for(&d, &format!("{origin}/resources"), "#quick-exit").await;
    // The link too, with script: replaced, not pushed.
    d.goto(format!("{origin}/tip")).await.unwrap();
    wait_for(&d, &format!("{origin}/tip"), "#quick-exit").await;
    let before = js(&d, "return history.length").await;
    find(&d, "#quick-exit").await.click().await.unwrap();
    wait_for(&d, &exit_url, "#neutral").await;
    assert_eq!(js(&d, "return history.length").await, before);
}
