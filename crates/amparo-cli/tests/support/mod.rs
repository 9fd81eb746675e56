//! What the binary's integration tests share: running `amparo` commands, a server on a free
//! loopback port, and a cookie-keeping client that signs in the way a person does.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::redirect::Policy;

pub const PASSWORD: &str = "una frase larga para la prueba";
pub const ADMIN: &str = "admin@esperanza.org";

pub fn amparo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_amparo"));
    c.env_remove("AMPARO_DATABASE_URL")
        .env_remove("AMPARO_MASTER_KEY")
        .env_remove("AMPARO_DATA_DIR")
        .env_remove("AMPARO_BIND");
    c
}

/// Runs a command with `input` on standard input.
pub fn run(mut cmd: Command, input: &str) -> Output {
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn amparo");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

pub fn init(dir: &Path, envs: &[(&str, &str)]) {
    let mut c = amparo();
    c.args(["init", "--data-dir"]).arg(dir).args([
        "--org",
        "Refugio Esperanza",
        "--admin-email",
        ADMIN,
        "--admin-password-stdin",
    ]);
    c.envs(envs.iter().copied());
    ok(&run(c, &format!("{PASSWORD}\n")));
}

pub struct Server {
    pub child: Child,
    pub base: String,
    pub lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `amparo serve` and waits for it to say where it listens.
#[allow(clippy::zombie_processes)] // the child moves into `Server`, whose Drop kills and waits
pub fn serve(dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
    let mut c = amparo();
    c.args(["serve", "--data-dir"]).arg(dir).args(["--bind", "127.0.0.1:0"]).args(extra);
    c.envs(envs.iter().copied()).env("AMPARO_LOG", "warn");
    let mut child = c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn serve");
    let (tx, lines) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut seen = Vec::new();
    loop {
        let line =
            lines.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("server did not start: {seen:?}"));
        if let Some(url) = line.strip_prefix("Amparo listening on ") {
            let base = url.trim().to_owned();
            let mut s = Server { child, base, lines };
            // Keep what was printed before (setup link, warnings) readable by the test.
            let (tx2, rx2) = mpsc::channel();
            for l in seen {
                let _ = tx2.send(l);
            }
            let old = std::mem::replace(&mut s.lines, rx2);
            std::thread::spawn(move || {
                while let Ok(l) = old.recv() {
                    if tx2.send(l).is_err() {
                        break;
                    }
                }
            });
            return s;
        }
        seen.push(line);
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    pub fn printed(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
}

pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a csrf_token field") + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

pub async fn post_login(client: &reqwest::Client, s: &Server, email: &str, password: &str) -> reqwest::Response {
    let page = client.get(s.url("/login")).send().await.expect("get login").text().await.expect("body");
    let csrf = csrf_of(&page);
    client
        .post(s.url("/login"))
        .form(&[("email", email), ("password", password), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("post login")
}

/// Text between `start` and the next `end`.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("{start} not in page")) + start.len();
    html[i..].split(end).next().unwrap_or_default()
}

/// Signs in over HTTP through MFA enrolment; returns the client holding the session.
pub async fn sign_in_with_mfa(s: &Server, email: &str, password: &str) -> reqwest::Client {
    let http = browser();
    let r = post_login(&http, s, email, password).await;
    assert_eq!(r.headers()["location"], "/mfa");
    let page = http.get(s.url("/mfa")).send().await.unwrap().text().await.unwrap();
    assert!(between(&page, "<div class=\"qr\">", "</div>").trim_start().starts_with("<svg"));
    let secret =
        amparo_crypto::TotpSecret::from_base32(between(&page, "<code id=\"totp-secret\" translate=\"no\">", "<"))
            .unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = secret.code_at(i64::try_from(now).unwrap());
    let csrf = csrf_of(&page);
    let r =
        http.post(s.url("/mfa")).form(&[("code", code.as_str()), ("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    http
}

/// Signs in, enrols MFA, and chooses a new password (users added by the CLI must).
pub async fn sign_in(s: &Server, email: &str, initial: &str, new_password: &str) -> reqwest::Client {
    let http = browser();
    let page = http.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = http
        .post(s.url("/login"))
        .form(&[("email", email), ("password", initial), ("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/mfa");
    let page = http.get(s.url("/mfa")).send().await.unwrap().text().await.unwrap();
    let secret =
        amparo_crypto::TotpSecret::from_base32(between(&page, "<code id=\"totp-secret\" translate=\"no\">", "<"))
            .unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = secret.code_at(i64::try_from(now).unwrap());
    let csrf = csrf_of(&page);
    let r =
        http.post(s.url("/mfa")).form(&[("code", code.as_str()), ("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = http.get(s.url("/password")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = http
        .post(s.url("/password"))
        .form(&[
            ("current_password", initial),
            ("new_password", new_password),
            ("confirm_password", new_password),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "password change");
    http
}

pub async fn get(http: &reqwest::Client, s: &Server, path: &str) -> (StatusCode, String) {
    let r = http.get(s.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a form (pairs may repeat a name) with the CSRF token of `page`.
pub async fn post(
    http: &reqwest::Client,
    s: &Server,
    path: &str,
    page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = csrf_of(page);
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", csrf.as_str()));
    http.post(s.url(path)).form(&form).send().await.unwrap()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// `/persons/<id>?…` → `<id>`.
pub fn id_in(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location}"))
        .split(['?', '#', '/'])
        .next()
        .unwrap()
        .to_owned()
}

/// `amparo <command> [<subcommand>] --data-dir DIR <rest…>` with `envs` and `input` on
/// standard input; its output, which must be a success.
pub fn cli(dir: &Path, envs: &[(&str, &str)], args: &[&str], input: &str) -> String {
    let mut c = amparo();
    let words = if args.get(1).is_some_and(|a| !a.starts_with("--")) { 2 } else { 1 };
    c.args(&args[..words]).arg("--data-dir").arg(dir).args(&args[words..]);
    c.envs(envs.iter().copied());
    ok(&run(c, input))
}

/// A user added by the command line, with an API token.
pub struct ApiUser {
    pub id: String,
    pub token: String,
}

/// Adds a user of `org` with `role` and creates an API token for them.
pub fn api_user(dir: &Path, envs: &[(&str, &str)], org: &str, email: &str, role: &str) -> ApiUser {
    let password = format!("la {role} camina despacio por el puerto viejo");
    let out = cli(
        dir,
        envs,
        &["user", "add", "--org", org, "--email", email, "--role", role, "--password-stdin"],
        &format!("{password}\n"),
    );
    let id = out
        .lines()
        .find_map(|l| l.strip_prefix("added user "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no user id in {out:?}"))
        .to_owned();
    let out = cli(dir, envs, &["token", "create", "--org", org, "--email", email, "--name", "pruebas"], "");
    ApiUser { id, token: out.lines().last().unwrap().trim().to_owned() }
}

/// A fresh PostgreSQL database for one test binary's scenario, when
/// `AMPARO_TEST_POSTGRES_URL` is set: its URL, and what drops it afterwards.
pub async fn fresh_postgres(prefix: &str) -> Option<(String, impl AsyncFnOnce())> {
    let base = std::env::var("AMPARO_TEST_POSTGRES_URL").ok()?;
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let db = format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();
    let (head, tail) = base.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    let url = format!("{head}/{db}{query}");
    let drop = async move || {
        let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&admin).await;
    };
    Some((url, drop))
}

/// One `/api/v1` call with a bearer token; every answer, error or not, must be JSON.
pub async fn api_call(
    http: &reqwest::Client,
    s: &Server,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut req = http.request(method, s.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: {status} is not JSON: {text:?}"));
    (status, value)
}

/// `amparo user add` (password on standard input) in an installation; returns the user's id.
pub fn add_staff(dir: &Path, org: &str, email: &str, role: &str, language: &str, password: &str) -> String {
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--org",
        org,
        "--email",
        email,
        "--role",
        role,
        "--language",
        language,
        "--password-stdin",
    ]);
    let out = ok(&run(c, &format!("{password}\n")));
    out.lines()
        .find_map(|l| l.strip_prefix("added user "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no user id in {out:?}"))
        .to_owned()
}

/// `amparo token create` for a user; returns the bearer token.
pub fn api_token(dir: &Path, org: &str, email: &str) -> String {
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--org", org, "--email", email, "--name", "integration"]);
    let out = ok(&run(c, ""));
    out.lines().last().expect("token line").trim().to_owned()
}

/// `amparo user add` with `role` (initial password on stdin), then an API token for them.
pub fn user_with_token(dir: &Path, org: &str, email: &str, role: &str) -> String {
    let mut c = amparo();
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--org",
        org,
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
    ]);
    ok(&run(c, &format!("la {role} camina despacio por el puerto viejo\n")));
    let mut c = amparo();
    c.args(["token", "create", "--data-dir"]).arg(dir).args(["--org", org, "--email", email, "--name", "integration"]);
    ok(&run(c, "")).lines().last().expect("token line").trim().to_owned()
}
