//! `amparo-bench survivor`: the survivor-records figures against the real server binary on a
//! database seeded with `amparo demo` (BENCHMARKS.md, "Survivor records at 100k and 1M cases").
//!
//! ```sh
//! amparo-bench survivor --data-dir D [--amparo target/release/amparo] [--seconds 10] [--rounds 2]
//!     [--rate 100] [--concurrency 16] [--search-concurrency 4]
//! ```
//!
//! It adds a supervisor (`amparo user add --role supervisor`) and an API token for them
//! (`amparo token create`), starts `amparo serve --data-dir D --bind 127.0.0.1:0` as a child
//! process, signs the supervisor in over HTTP (password, MFA enrolment, forced password change)
//! for a session cookie, picks persons and cases at random from the SQLite file (persons with
//! no restricted case, which a supervisor may read), and measures, each target against its
//! baseline in one-second slices that take turns (A B, B A, …), `--seconds` per target and
//! round:
//!
//! 1. `POST /api/v1/persons/search` (names, prefixes, case numbers) against
//!    `GET /api/v1/cases/{id}`, closed loop, `--search-concurrency` workers: p50/p95/p99.
//! 2. `GET /api/v1/persons/{id}` against `GET /healthz`, open loop at `--rate` requests/s
//!    (latency from the scheduled send time): p50/p99.
//! 3. The same two closed-loop (`--concurrency` workers): requests/s.
//! 4. `GET /persons/{id}` (the HTML page, session cookie) against `GET /healthz`, open loop at
//!    `--rate`.
//!
//! Meanwhile it samples the server's `VmRSS` every 50 ms (peak per figure) and reads `VmHWM`
//! at the end, against `VmRSS` when idle after start; and the load average every second.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use reqwest::cookie::CookieStore as _;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue, LOCATION};

use crate::load::{self, Sample};
use crate::{Result, Row, hidden_field, ms, order, ratio, with_pooled};

const USAGE: &str = "usage: amparo-bench survivor --data-dir DIR [--amparo PATH] [--seconds N] [--rounds N]
                           [--rate N] [--concurrency N] [--search-concurrency N] [--ids N]

  --data-dir DIR            a data directory seeded with `amparo demo`
  --amparo PATH             the server binary (default target/release/amparo)
  --seconds N               seconds of load per target and round (default 10)
  --rounds N                times each figure is measured (default 2)
  --rate N                  open-loop requests per second (default 100)
  --concurrency N           closed-loop workers for the throughput figure (default 16)
  --search-concurrency N    closed-loop workers for search and its baseline (default 4)
  --ids N                   persons and cases picked at random to request (default 2000)";

#[derive(Debug)]
struct Options {
    data_dir: PathBuf,
    amparo: PathBuf,
    seconds: u64,
    rounds: usize,
    rate: u64,
    concurrency: usize,
    search_concurrency: usize,
    ids: u64,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options> {
    let mut opts = Options {
        data_dir: PathBuf::new(),
        amparo: PathBuf::from("target/release/amparo"),
        seconds: 10,
        rounds: 2,
        rate: 100,
        concurrency: 16,
        search_concurrency: 4,
        ids: 2000,
    };
    let mut args = args;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = inline.or_else(|| args.next()).ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| -> Result<u64> {
            v.parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag}: {v} is not a positive whole number").into())
        };
        match flag.as_str() {
            "--data-dir" => opts.data_dir = PathBuf::from(value),
            "--amparo" => opts.amparo = PathBuf::from(value),
            "--seconds" => opts.seconds = number(&value)?,
            "--rounds" => opts.rounds = usize::try_from(number(&value)?)?,
            "--rate" => opts.rate = number(&value)?,
            "--concurrency" => opts.concurrency = usize::try_from(number(&value)?)?,
            "--search-concurrency" => opts.search_concurrency = usize::try_from(number(&value)?)?,
            "--ids" => opts.ids = number(&value)?,
            _ => return Err(format!("unknown argument {flag}\n{USAGE}").into()),
        }
    }
    if opts.data_dir.as_os_str().is_empty() {
        return Err(format!("--data-dir is required\n{USAGE}").into());
    }
    Ok(opts)
}

// ---------------------------------------------------------------------------------------------
// The server and the CLI, as child processes.

/// `amparo serve` as a child process; killed and waited for on drop.
#[derive(Debug)]
pub(crate) struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub(crate) fn start(amparo: &Path, dir: &Path) -> Result<Server> {
        let mut child = Command::new(amparo)
            .args(["serve", "--data-dir"])
            .arg(dir)
            .args(["--bind", "127.0.0.1:0"])
            .env("AMPARO_LOG", "warn")
            .env_remove("AMPARO_DATABASE_URL")
            .env_remove("AMPARO_MASTER_KEY")
            .env_remove("AMPARO_BIND")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (tx, lines) = mpsc::channel::<String>();
        let streams: [Box<dyn std::io::Read + Send>; 2] =
            [Box::new(child.stdout.take().ok_or("no stdout")?), Box::new(child.stderr.take().ok_or("no stderr")?)];
        for stream in streams {
            let tx = tx.clone();
            // Keeps reading (so that the server never blocks on a full pipe); lines after the
            // start are echoed to stderr.
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(std::result::Result::ok) {
                    if tx.send(line.clone()).is_err() {
                        eprintln!("server: {line}");
                    }
                }
            });
        }
        let mut seen = Vec::new();
        let base = loop {
            match lines.recv_timeout(Duration::from_secs(300)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Amparo listening on ") {
                        break url.trim().to_owned();
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("the server did not start: {seen:?}").into());
                }
            }
        };
        drop(lines);
        Ok(Server { child, base })
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Runs the CLI with `stdin`, and returns its standard output; fails on a non-zero exit.
pub(crate) fn cli(amparo: &Path, args: &[&str], dir: &Path, stdin: &str) -> Result<String> {
    let mut child = Command::new(amparo)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("AMPARO_DATABASE_URL")
        .env_remove("AMPARO_MASTER_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("no stdin")?.write_all(stdin.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(format!(
            "amparo {} failed: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A `/proc/PID/status` field in kB.
fn proc_status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(field)?.trim().strip_suffix("kB")?.trim().parse().ok())
}

pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_owned()).unwrap_or_default()
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

/// Samples the server's VmRSS every 50 ms (the peak of each phase) and the 1-minute load
/// average every second, on a thread of its own.
#[derive(Debug, Default)]
struct Monitor {
    phase: Mutex<String>,
    peaks: Mutex<BTreeMap<String, u64>>,
    load: Mutex<Vec<f64>>,
    stop: AtomicBool,
}

impl Monitor {
    fn spawn(pid: u32) -> (Arc<Monitor>, std::thread::JoinHandle<()>) {
        let m = Arc::new(Monitor::default());
        let mon = Arc::clone(&m);
        let handle = std::thread::spawn(move || {
            let mut tick = 0u64;
            while !mon.stop.load(Ordering::Relaxed) {
                if let Some(rss) = proc_status_kb(pid, "VmRSS:") {
                    let phase = mon.phase.lock().map(|p| p.clone()).unwrap_or_default();
                    if let Ok(mut peaks) = mon.peaks.lock() {
                        let e = peaks.entry(phase).or_insert(0);
                        *e = (*e).max(rss);
                    }
                }
                if tick.is_multiple_of(20)
                    && let Some(one) = loadavg().split_whitespace().next().and_then(|v| v.parse().ok())
                    && let Ok(mut l) = mon.load.lock()
                {
                    l.push(one);
                }
                tick += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        (m, handle)
    }

    fn set_phase(&self, phase: &str) {
        if let Ok(mut p) = self.phase.lock() {
            phase.clone_into(&mut p);
        }
    }

    fn peak(&self, phase: &str) -> u64 {
        self.peaks.lock().ok().and_then(|p| p.get(phase).copied()).unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------------------------
// Signing in and picking the records to request.

/// The browser sign-in of a user `amparo user add` made: password, MFA enrolment (the
/// secret from the page, the code computed), then the forced password change. Returns the
/// `Cookie` header of the active session.
pub(crate) async fn sign_in(server: &Server, email: &str, initial: &str, new_password: &str) -> Result<HeaderValue> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = http.get(server.url("/login")).send().await?.error_for_status()?.text().await?;
    let csrf = hidden_field(&page, "csrf_token").ok_or("GET /login has no csrf_token")?;
    let r = http
        .post(server.url("/login"))
        .form(&[("email", email), ("password", initial), ("csrf_token", csrf.as_str())])
        .send()
        .await?;
    let location = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    if location != "/mfa" {
        return Err(format!("POST /login answered {} to {location:?}, not to /mfa", r.status()).into());
    }
    let page = http.get(server.url("/mfa")).send().await?.error_for_status()?.text().await?;
    let marker = "<code id=\"totp-secret\" translate=\"no\">";
    let at = page.find(marker).ok_or("GET /mfa shows no #totp-secret")? + marker.len();
    let secret_b32 = page[at..].split('<').next().unwrap_or_default();
    let secret = amparo_crypto::TotpSecret::from_base32(secret_b32).map_err(|e| format!("TOTP secret: {e:?}"))?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let code = secret.code_at(i64::try_from(now)?);
    let csrf = hidden_field(&page, "csrf_token").ok_or("GET /mfa has no csrf_token")?;
    let r =
        http.post(server.url("/mfa")).form(&[("code", code.as_str()), ("csrf_token", csrf.as_str())]).send().await?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        return Err(format!("POST /mfa answered {}", r.status()).into());
    }
    let page = http.get(server.url("/password")).send().await?.error_for_status()?.text().await?;
    let csrf = hidden_field(&page, "csrf_token").ok_or("GET /password has no csrf_token")?;
    let r = http
        .post(server.url("/password"))
        .form(&[
            ("current_password", initial),
            ("new_password", new_password),
            ("confirm_password", new_password),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        return Err(format!("POST /password answered {}", r.status()).into());
    }
    let cookies = jar.cookies(&server.base.parse()?).ok_or("no session cookie after sign-in")?;
    let home = http.get(server.url("/")).send().await?;
    if !home.status().is_success() {
        return Err(format!("GET / after sign-in answered {}", home.status()).into());
    }
    Ok(cookies)
}

/// Persons (with no restricted case) and cases (not restricted) picked at random, read from
/// the SQLite file (read-only, beside the running server).
async fn pick_records(dir: &Path, n: u64) -> Result<(Vec<String>, Vec<(String, String)>, u64, u64)> {
    use sqlx::sqlite::SqliteConnectOptions;
    let options = SqliteConnectOptions::new().filename(amparo_store_sqlite::database_path(dir)).read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let n = i64::try_from(n)?;
    let persons: Vec<(uuid::Uuid,)> = sqlx::query_as(
        "SELECT p.id FROM persons p
         WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.restricted = 1)
         ORDER BY random() LIMIT ?",
    )
    .bind(n)
    .fetch_all(&pool)
    .await?;
    let cases: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, number FROM cases WHERE restricted = 0 ORDER BY random() LIMIT ?")
            .bind(n)
            .fetch_all(&pool)
            .await?;
    let (total_persons,): (i64,) = sqlx::query_as("SELECT count(*) FROM persons").fetch_one(&pool).await?;
    let (total_cases,): (i64,) = sqlx::query_as("SELECT count(*) FROM cases").fetch_one(&pool).await?;
    pool.close().await;
    Ok((
        persons.into_iter().map(|(id,)| id.to_string()).collect(),
        cases.into_iter().map(|(id, number)| (id.to_string(), number)).collect(),
        u64::try_from(total_persons)?,
        u64::try_from(total_cases)?,
    ))
}

/// Search terms from the demo generator's lists (crates/amparo-cli/src/demo.rs), by class.
const SURNAMES: &[&str] = &[
    "Hernández",
    "gonzalez",
    "López",
    "Martínez",
    "Mendoza",
    "Xol",
    "Tzoc",
    "Menjívar",
    "Zelaya",
    "Peñaloza",
    "Smith",
    "Johnson",
    "Cálix",
    "Quintanilla",
];
const GIVEN_NAMES: &[&str] = &[
    "María",
    "xochitl",
    "Guadalupe",
    "José",
    "Wilmer",
    "Yeni",
    "Jennifer",
    "Cuauhtémoc",
    "Itzel",
    "Brayan",
    "Michael",
    "Lupita",
];
const FULL_NAMES: &[&str] =
    &["María López", "José Hernández", "Wilmer Cruz", "Jennifer Smith", "Xóchitl Ramírez", "Yeni Pop"];
const PREFIXES: &[&str] =
    &["her", "hern", "gonz", "xoch", "mend", "lop", "ramí", "guad", "penal", "wil", "jenn", "chic", "menj", "tzo"];

/// The search queries to cycle through: (class, JSON body). Case numbers come from the
/// database.
fn search_queries(cases: &[(String, String)]) -> Vec<(usize, String)> {
    let body = |q: &str| serde_json::json!({ "q": q }).to_string();
    let mut by_class: Vec<Vec<String>> = vec![
        SURNAMES.iter().map(|q| body(q)).collect(),
        GIVEN_NAMES.iter().map(|q| body(q)).collect(),
        FULL_NAMES.iter().map(|q| body(q)).collect(),
        PREFIXES.iter().map(|q| body(q)).collect(),
        cases.iter().take(14).map(|(_, number)| body(number)).collect(),
    ];
    // Interleave the classes so that every slice sees all of them.
    let mut out = Vec::new();
    let longest = by_class.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        for (class, list) in by_class.iter_mut().enumerate() {
            if let Some(q) = list.get(i) {
                out.push((class, q.clone()));
            }
        }
    }
    out
}

const SEARCH_CLASSES: [&str; 5] = [
    "surname (14 of the lists')",
    "given name (12)",
    "given + family name (6)",
    "prefix of 3–5 letters (14)",
    "case number (14)",
];

// ---------------------------------------------------------------------------------------------
// Targets and load.

/// Each request's class, and the log of (class, latency, success) it goes into.
type ClassLog = (Arc<Vec<usize>>, Arc<Mutex<Vec<(usize, Duration, bool)>>>);

#[derive(Clone, Debug)]
pub(crate) enum Req {
    Get(String),
    Post(String, String),
}

/// A target: requests cycled through in order, with the credential they need. When `classes`
/// is set, each request's latency is also kept by its class (request `i` has class
/// `class_of[i]`).
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) label: String,
    reqs: Arc<Vec<Req>>,
    credential: Option<(HeaderName, HeaderValue)>,
    next: Arc<AtomicUsize>,
    by_class: Option<ClassLog>,
}

impl Target {
    pub(crate) fn new(label: &str, reqs: Vec<Req>, credential: Option<(HeaderName, HeaderValue)>) -> Target {
        Target {
            label: label.to_owned(),
            reqs: Arc::new(reqs),
            credential,
            next: Arc::new(AtomicUsize::new(0)),
            by_class: None,
        }
    }

    /// Sends the next request with `client`; true on a 2xx answer whose body was read.
    fn send(&self, client: &reqwest::Client) -> impl Future<Output = bool> + Send + use<> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.reqs.len().max(1);
        let req = match self.reqs.get(i) {
            Some(Req::Get(url)) => client.get(url.as_str()),
            Some(Req::Post(url, body)) => {
                client.post(url.as_str()).header("content-type", "application/json").body(body.clone())
            }
            None => client.get("http://127.0.0.1:1/"),
        };
        let req = match &self.credential {
            Some((name, value)) => req.header(name, value),
            None => req,
        };
        let by_class = self.by_class.clone();
        async move {
            let t0 = Instant::now();
            let ok = match req.send().await {
                Ok(resp) => {
                    let ok = resp.status().is_success();
                    resp.bytes().await.is_ok() && ok
                }
                Err(_) => false,
            };
            if let Some((class_of, log)) = by_class
                && let Ok(mut log) = log.lock()
            {
                log.push((class_of.get(i).copied().unwrap_or(0), t0.elapsed(), ok));
            }
            ok
        }
    }
}

pub(crate) fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(30))
        .build()?)
}

pub(crate) async fn closed(target: &Target, clients: &Arc<Vec<reqwest::Client>>, d: Duration) -> Result<Sample> {
    let target = target.clone();
    let clients = Arc::clone(clients);
    let workers = clients.len();
    Ok(load::closed_loop(workers, d, move |w| target.send(&clients[w])).await?)
}

async fn open(target: &Target, http: &reqwest::Client, rate: u64, d: Duration) -> Result<Sample> {
    Ok(load::open_loop(rate as f64, d, Duration::from_secs(10), |_| target.send(http)).await?)
}

/// Runs `targets` for `seconds` one-second slices each in alternating order, in round `round`,
/// and returns each target's pooled sample.
pub(crate) async fn slices(
    round: usize,
    seconds: u64,
    targets: &[&Target],
    mut run: impl AsyncFnMut(&Target) -> Result<Sample>,
) -> Result<Vec<Row>> {
    let mut acc: Vec<Vec<Sample>> = vec![Vec::new(); targets.len()];
    let idx: Vec<usize> = (0..targets.len()).collect();
    for k in 0..seconds {
        for i in order(round + usize::try_from(k)?, &idx) {
            acc[i].push(run(targets[i]).await?);
        }
    }
    Ok(targets
        .iter()
        .zip(acc)
        .map(|(t, samples)| Row { round, label: t.label.clone(), sample: Sample::pooled(&samples) })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Tables.

/// A Markdown table of every row against the baseline of the same round (round 0 = pooled):
/// count, errors, rate, p50/p95/p99 and each as a multiple of the baseline's.
pub(crate) fn table(rows: &[Row], baseline: &str, unit: &str) -> String {
    let rows = with_pooled(rows);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| round | target | {unit} | errors | {unit}/s | p50 ms | p95 ms | p99 ms | {unit}/s vs baseline | p50 vs baseline | p95 vs baseline | p99 vs baseline |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let base = rows.iter().find(|b| b.round == r.round && b.label == baseline).map(|b| &b.sample);
        let p = |s: &Sample, q: f64| s.percentile(q).as_secs_f64();
        let cols = match base {
            Some(b) if r.label != baseline => [
                ratio(r.sample.rate(), b.rate()),
                ratio(p(&r.sample, 50.0), p(b, 50.0)),
                ratio(p(&r.sample, 95.0), p(b, 95.0)),
                ratio(p(&r.sample, 99.0), p(b, 99.0)),
            ],
            _ => ["baseline".to_owned(), String::new(), String::new(), String::new()],
        };
        let round = if r.round == 0 { "all".to_owned() } else { r.round.to_string() };
        let _ = writeln!(
            s,
            "| {round} | {} | {} | {} | {:.1} | {} | {} | {} | {} | {} | {} | {} |",
            r.label,
            r.sample.count(),
            r.sample.errors,
            r.sample.rate(),
            ms(r.sample.percentile(50.0)),
            ms(r.sample.percentile(95.0)),
            ms(r.sample.percentile(99.0)),
            cols[0],
            cols[1],
            cols[2],
            cols[3],
        );
    }
    s
}

fn pooled(rows: &[Row], label: &str) -> Sample {
    Sample::pooled(rows.iter().filter(|r| r.label == label).map(|r| &r.sample))
}

fn pct_ratio(rows: &[Row], subject: &str, baseline: &str, q: f64) -> String {
    let (s, b) = (pooled(rows, subject), pooled(rows, baseline));
    ratio(s.percentile(q).as_secs_f64(), b.percentile(q).as_secs_f64())
}

// ---------------------------------------------------------------------------------------------

pub async fn main(args: impl Iterator<Item = String>) -> Result<()> {
    let opts = parse_args(args)?;
    let dir = opts.data_dir.as_path();
    let slice = Duration::from_secs(1);
    let started = chrono::Utc::now();
    let load_at_start = loadavg();

    // A supervisor of its own for each run (a run signs in once and changes the password).
    let stamp = started.timestamp();
    let email = format!("bench.supervisor.{stamp}@demo.org");
    let initial = "copper kettles hum beside the winter harbour";
    let new_password = "seven herons wade through amber reeds at dawn";
    eprintln!("adding supervisor {email} and an API token…");
    cli(
        &opts.amparo,
        &["user", "add", "--email", &email, "--role", "supervisor", "--password-stdin"],
        dir,
        &format!("{initial}\n"),
    )?;
    let out = cli(&opts.amparo, &["token", "create", "--email", &email, "--name", "survivor bench"], dir, "")?;
    let token = out.lines().rev().find(|l| !l.trim().is_empty()).ok_or("amparo token create printed nothing")?.trim();
    let bearer = (AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}"))?);

    eprintln!("starting {} serve…", opts.amparo.display());
    let t0 = Instant::now();
    let server = Server::start(&opts.amparo, dir)?;
    let start_time = t0.elapsed();
    let pid = server.pid();
    eprintln!("server pid {pid} at {} after {:.1} s", server.base, start_time.as_secs_f64());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = proc_status_kb(pid, "VmRSS:").unwrap_or(0);

    eprintln!("picking records at random…");
    let (persons, cases, total_persons, total_cases) = pick_records(dir, opts.ids).await?;
    if persons.is_empty() || cases.is_empty() {
        return Err("the database has no demo persons or cases; seed it with `amparo demo`".into());
    }
    eprintln!("signing the supervisor in over HTTP…");
    let session = (COOKIE, sign_in(&server, &email, initial, new_password).await?);
    let after_sign_in_rss = proc_status_kb(pid, "VmRSS:").unwrap_or(0);

    let healthz = Target::new("GET /healthz", vec![Req::Get(server.url("/healthz"))], None);
    let case_read = Target::new(
        "GET /api/v1/cases/{id}",
        cases.iter().map(|(id, _)| Req::Get(server.url(&format!("/api/v1/cases/{id}")))).collect(),
        Some(bearer.clone()),
    );
    let queries = search_queries(&cases);
    let mut search = Target::new(
        "POST /api/v1/persons/search",
        queries.iter().map(|(_, body)| Req::Post(server.url("/api/v1/persons/search"), body.clone())).collect(),
        Some(bearer.clone()),
    );
    let search_log = Arc::new(Mutex::new(Vec::new()));
    search.by_class = Some((Arc::new(queries.iter().map(|(c, _)| *c).collect()), Arc::clone(&search_log)));
    let person_api = Target::new(
        "GET /api/v1/persons/{id}",
        persons.iter().map(|id| Req::Get(server.url(&format!("/api/v1/persons/{id}")))).collect(),
        Some(bearer.clone()),
    );
    let person_page = Target::new(
        "GET /persons/{id} (HTML, session)",
        persons.iter().map(|id| Req::Get(server.url(&format!("/persons/{id}")))).collect(),
        Some(session.clone()),
    );

    let open_http = client()?;
    let search_clients = Arc::new((0..opts.search_concurrency).map(|_| client()).collect::<Result<Vec<_>>>()?);
    let clients = Arc::new((0..opts.concurrency).map(|_| client()).collect::<Result<Vec<_>>>()?);

    eprintln!("warming up…");
    for t in [&healthz, &case_read, &search, &person_api, &person_page] {
        let s = closed(t, &search_clients, Duration::from_secs(1)).await?;
        if s.errors > 0 {
            return Err(format!("{}: {} of {} warm-up requests failed", t.label, s.errors, s.count()).into());
        }
    }
    if let Ok(mut log) = search_log.lock() {
        log.clear();
    }
    let after_warmup_rss = proc_status_kb(pid, "VmRSS:").unwrap_or(0);

    let (monitor, monitor_thread) = Monitor::spawn(pid);
    let (mut fig1, mut fig2, mut fig3, mut fig4) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let rate = opts.rate;
    for round in 1..=opts.rounds {
        eprintln!("round {round}: search vs case lookup ({} s)", 2 * opts.seconds);
        monitor.set_phase("search");
        fig1.extend(
            slices(round, opts.seconds, &[&case_read, &search], async |t| closed(t, &search_clients, slice).await)
                .await?,
        );
        eprintln!("round {round}: API person read, open loop ({} s)", 2 * opts.seconds);
        monitor.set_phase("api-open");
        fig2.extend(
            slices(round, opts.seconds, &[&healthz, &person_api], async |t| open(t, &open_http, rate, slice).await)
                .await?,
        );
        eprintln!("round {round}: API person read, closed loop ({} s)", 2 * opts.seconds);
        monitor.set_phase("api-closed");
        fig3.extend(
            slices(round, opts.seconds, &[&healthz, &person_api], async |t| closed(t, &clients, slice).await).await?,
        );
        eprintln!("round {round}: person page, open loop ({} s)", 2 * opts.seconds);
        monitor.set_phase("page-open");
        fig4.extend(
            slices(round, opts.seconds, &[&healthz, &person_page], async |t| open(t, &open_http, rate, slice).await)
                .await?,
        );
    }
    monitor.set_phase("after");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let hwm = proc_status_kb(pid, "VmHWM:").unwrap_or(0);
    monitor.stop.store(true, Ordering::Relaxed);
    let _ = monitor_thread.join();
    let load_at_end = loadavg();
    let load_samples = monitor.load.lock().map(|l| l.clone()).unwrap_or_default();
    let (load_min, load_max) = load_samples.iter().fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let load_mean = load_samples.iter().sum::<f64>() / load_samples.len().max(1) as f64;
    drop(server);

    // ---- Report.
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    println!("## amparo-bench survivor, {}", started.format("%Y-%m-%d %H:%M UTC"));
    println!();
    println!(
        "`amparo-bench survivor --data-dir {} --amparo {} --seconds {} --rounds {} --rate {rate} --concurrency {} \
         --search-concurrency {} --ids {}` — {cores} cores; {total_persons} persons, {total_cases} cases; \
         {} persons and {} cases requested, picked at random. Server started in {:.1} s. Load average \
         (1/5/15 min, runnable/total, last pid) at start `{load_at_start}`, at end `{load_at_end}`; 1-minute \
         load sampled every second during the measurement: mean {load_mean:.2}, min {load_min:.2}, max {load_max:.2}.",
        dir.display(),
        opts.amparo.display(),
        opts.seconds,
        opts.rounds,
        opts.concurrency,
        opts.search_concurrency,
        opts.ids,
        persons.len(),
        cases.len(),
        start_time.as_secs_f64(),
    );
    println!();
    println!("### Search against a case lookup by id (closed loop, {} workers)\n", opts.search_concurrency);
    println!("{}", table(&fig1, &case_read.label, "requests"));
    let log = search_log.lock().map(|l| l.clone()).unwrap_or_default();
    println!("Search latency by kind of query, both rounds:\n");
    println!("| query | requests | errors | p50 ms | p95 ms | p99 ms | p95 vs case lookup p95 |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let case_p95 = pooled(&fig1, &case_read.label).percentile(95.0).as_secs_f64();
    for (class, name) in SEARCH_CLASSES.iter().enumerate() {
        let lat: Vec<Duration> = log.iter().filter(|(c, _, _)| *c == class).map(|(_, l, _)| *l).collect();
        let errors = log.iter().filter(|(c, _, ok)| *c == class && !ok).count();
        let s = Sample::from_parts(lat, u64::try_from(errors)?, Duration::ZERO);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            s.count(),
            s.errors,
            ms(s.percentile(50.0)),
            ms(s.percentile(95.0)),
            ms(s.percentile(99.0)),
            ratio(s.percentile(95.0).as_secs_f64(), case_p95)
        );
    }
    println!();
    println!("### GET /api/v1/persons/{{id}} against /healthz, open loop at {rate} requests/s\n");
    println!("{}", table(&fig2, &healthz.label, "requests"));
    println!("### GET /api/v1/persons/{{id}} against /healthz, closed loop ({} workers)\n", opts.concurrency);
    println!("{}", table(&fig3, &healthz.label, "requests"));
    println!("### GET /persons/{{id}} (HTML page, session cookie) against /healthz, open loop at {rate} requests/s\n");
    println!("{}", table(&fig4, &healthz.label, "requests"));
    println!("### Server resident memory\n");
    println!("| when | VmRSS MB | vs idle |");
    println!("|---|---:|---:|");
    println!("| idle, 2 s after start (baseline) | {} | baseline |", mb(idle_rss));
    println!(
        "| after the supervisor's sign-in (3 Argon2id hashes: sign-in, password check and new hash) | {} | {} |",
        mb(after_sign_in_rss),
        ratio(after_sign_in_rss as f64, idle_rss as f64)
    );
    println!("| after warm-up | {} | {} |", mb(after_warmup_rss), ratio(after_warmup_rss as f64, idle_rss as f64));
    for (phase, name) in [
        ("search", "peak during search"),
        ("api-open", "peak during API person read, open loop"),
        ("api-closed", "peak during API person read, closed loop"),
        ("page-open", "peak during person page, open loop"),
    ] {
        let peak = monitor.peak(phase);
        println!("| {name} | {} | {} |", mb(peak), ratio(peak as f64, idle_rss as f64));
    }
    println!(
        "| VmHWM at the end (peak over the process's life) | {} | {} |",
        mb(hwm),
        ratio(hwm as f64, idle_rss as f64)
    );
    println!();

    let s_all = pooled(&fig1, &search.label);
    let c_all = pooled(&fig1, &case_read.label);
    let api = pooled(&fig2, &person_api.label);
    let page = pooled(&fig4, &person_page.label);
    let peak_all = ["search", "api-open", "api-closed", "page-open"].iter().map(|p| monitor.peak(p)).max().unwrap_or(0);
    println!("### Reading (pooled over rounds)\n");
    println!(
        "- Search p95 {} ms is {} the case lookup's p95 {} ms (target ≤ 3×; per round: {}).",
        ms(s_all.percentile(95.0)),
        ratio(s_all.percentile(95.0).as_secs_f64(), c_all.percentile(95.0).as_secs_f64()),
        ms(c_all.percentile(95.0)),
        (1..=opts.rounds)
            .map(|r| {
                let of = |l: &str| {
                    fig1.iter()
                        .find(|x| x.round == r && x.label == l)
                        .map(|x| x.sample.percentile(95.0).as_secs_f64())
                        .unwrap_or(0.0)
                };
                ratio(of(&search.label), of(&case_read.label))
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "- API person read at {rate}/s open loop: p50 {} ms, p99 {} ms (target p99 ≤ 50 ms); {} and {} /healthz's.",
        ms(api.percentile(50.0)),
        ms(api.percentile(99.0)),
        pct_ratio(&fig2, &person_api.label, &healthz.label, 50.0),
        pct_ratio(&fig2, &person_api.label, &healthz.label, 99.0),
    );
    println!(
        "- API person read closed loop: {:.1} requests/s, {} /healthz's {:.1}.",
        pooled(&fig3, &person_api.label).rate(),
        ratio(pooled(&fig3, &person_api.label).rate(), pooled(&fig3, &healthz.label).rate()),
        pooled(&fig3, &healthz.label).rate()
    );
    println!(
        "- Person page at {rate}/s open loop: p50 {} ms, p99 {} ms (target p99 ≤ 50 ms); {} and {} /healthz's.",
        ms(page.percentile(50.0)),
        ms(page.percentile(99.0)),
        pct_ratio(&fig4, &person_page.label, &healthz.label, 50.0),
        pct_ratio(&fig4, &person_page.label, &healthz.label, 99.0),
    );
    println!(
        "- Server memory: peak VmRSS {} MB, VmHWM {} MB (target ≤ 150 MB), {} the idle {} MB.",
        mb(peak_all),
        mb(hwm),
        ratio(hwm as f64, idle_rss as f64),
        mb(idle_rss)
    );
    let errors: u64 = fig1.iter().chain(&fig2).chain(&fig3).chain(&fig4).map(|r| r.sample.errors).sum();
    println!("- Errors (non-2xx, timeouts): {errors}.");
    Ok(())
}
