//! `amparo-bench`: measures the figures of BENCHMARKS.md, each side by side with a baseline
//! measured in the same run, so that the ratios hold on a noisy shared machine where absolute
//! times do not.
//!
//! ```sh
//! cargo run --release -p amparo-bench -- [--seconds N] [--concurrency N] [--rounds N]
//! ```
//!
//! It builds four Amparo instances in this process, each on a fresh temporary data directory
//! (SQLite, synchronous=FULL, on the real disk), a fresh master key and the system clock, each
//! served by axum on its own loopback port exactly as `amparo serve` wires it:
//!
//! 1. `web`: `GET /` with a session cookie and `GET /api/v1/me` with a bearer token, against
//!    `GET /healthz` (a database ping) as the baseline.
//! 2. `login`: the full `Amparo::login` use case (production Argon2id parameters, the default
//!    limit of 2 hashes at once) against raw `PasswordHasher::verify` on every core.
//! 3. `audit-on` / `audit-off`: `GET /audit`, identical but for `AppConfig::audit_reads`.
//!
//! Load is closed-loop: `--concurrency` workers (default 16), each with its own keep-alive
//! HTTP client, for `--seconds` (default 5) per target and round, `--rounds` times (default
//! 2). Within a round the targets of a figure take turns in one-second slices (A B, B A, A B…)
//! so that drift and a neighbour's bursts land on the baseline and the subject alike. Non-2xx answers
//! count as errors. Results go to stdout as Markdown; progress goes to stderr.
//!
//! `amparo-bench survivor --data-dir DIR …` measures the survivor-records figures against the
//! real `amparo serve` on a database seeded with `amparo demo` instead (see `survivor.rs`);
//! `amparo-bench dashboard` the caseload dashboard against the case list (see `dashboard.rs`).
//!
//! The administrator is exempt from MFA (`AppConfig::mfa_exempt_roles`) so that one password
//! sign-in gives an active session; everything else is the production configuration.

// A command-line tool that prints its report.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod dashboard;
mod load;
mod survivor;

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue, LOCATION, SET_COOKIE};
use secrecy::SecretString;

use amparo_app::{Amparo, AppConfig, Caller, Deps, NewInstallation, SessionStage, SystemClock};
use amparo_crypto::{KeyRing, MasterKey, PasswordHasher, PasswordParams};
use amparo_domain::{Language, Role};
use amparo_store_sqlite::SqliteStore;
use amparo_web::{AppState, Transport};

use load::Sample;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

const ADMIN_EMAIL: &str = "admin@bench.example.org";
const PASSWORD: &str = "quiet orchard lanterns drift past midnight";
/// The audit page shows the newest 200 entries; both audit instances get more than that
/// before measuring, so that both pages render the same number of rows.
const AUDIT_SEED_ENTRIES: usize = 250;

#[derive(Debug)]
struct Options {
    seconds: u64,
    concurrency: usize,
    rounds: usize,
}

const USAGE: &str = "usage: amparo-bench [--seconds N] [--concurrency N] [--rounds N]
       amparo-bench survivor --data-dir DIR [...]   (amparo-bench survivor --help)
       amparo-bench dashboard [...]                 (amparo-bench dashboard --help)

  --seconds N       seconds of load per target and round (default 5)
  --concurrency N   closed-loop workers, each with its own keep-alive connection (default 16)
  --rounds N        times each figure is measured, each reported on its own (default 2)";

fn parse_args() -> Result<Options> {
    let mut opts = Options { seconds: 5, concurrency: 16, rounds: 2 };
    let mut args = std::env::args().skip(1);
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
            "--seconds" => opts.seconds = number(&value)?,
            "--concurrency" => opts.concurrency = usize::try_from(number(&value)?)?,
            "--rounds" => opts.rounds = usize::try_from(number(&value)?)?,
            _ => return Err(format!("unknown argument {flag}\n{USAGE}").into()),
        }
    }
    Ok(opts)
}

/// One Amparo installation, served on a loopback port. The data directory is deleted on drop.
#[derive(Debug)]
struct Instance {
    app: Amparo,
    base: String,
    _dir: tempfile::TempDir,
}

impl Instance {
    async fn start(audit_reads: bool) -> Result<Instance> {
        let dir = tempfile::Builder::new().prefix("amparo-bench-").tempdir()?;
        let key_dir = amparo_app::key_dir(dir.path());
        std::fs::create_dir(&key_dir)?;
        let store = SqliteStore::open(&amparo_store_sqlite::database_path(dir.path())).await?;
        let config = AppConfig { mfa_exempt_roles: vec![Role::Administrator], audit_reads, ..AppConfig::default() };
        let app = Amparo::new(Deps {
            store: Arc::new(store),
            keys: Arc::new(KeyRing::new(&MasterKey::generate())),
            key_dir,
            config,
            clock: Arc::new(SystemClock),
            password_params: PasswordParams::owasp(),
        });
        app.add_organisation(NewInstallation {
            org_name: "Refugio Benchmark".to_owned(),
            admin_email: ADMIN_EMAIL.to_owned(),
            admin_name: Some("Bench Administrator".to_owned()),
            admin_password: SecretString::from(PASSWORD),
            language: Language::En,
        })
        .await?;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let service = amparo_web::router(AppState::new(app.clone(), Transport::PlainLoopback))
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, service).await {
                eprintln!("server on {addr} stopped: {e}");
            }
        });
        Ok(Instance { app, base: format!("http://{addr}"), _dir: dir })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A bearer token for the administrator, as `amparo token create` makes it.
    async fn bearer(&self, name: &str) -> Result<HeaderValue> {
        let token = self.app.create_api_token(&Caller::Operator, ADMIN_EMAIL, name).await?;
        Ok(HeaderValue::from_str(&format!("Bearer {}", token.secret))?)
    }

    /// The real browser sign-in over HTTP: GET /login for the pre-session cookie and the
    /// form's CSRF token, then POST /login. Returns the `Cookie` header of the new session.
    async fn sign_in(&self) -> Result<HeaderValue> {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
        let form = client.get(self.url("/login")).send().await?.error_for_status()?.text().await?;
        let csrf = hidden_field(&form, "csrf_token").ok_or("GET /login has no csrf_token field")?;
        let resp = client
            .post(self.url("/login"))
            .form(&[("email", ADMIN_EMAIL), ("password", PASSWORD), ("csrf_token", csrf.as_str())])
            .send()
            .await?;
        let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        if resp.status() != reqwest::StatusCode::SEE_OTHER || location != "/" {
            return Err(format!("POST /login answered {} to {location:?}, not 303 to /", resp.status()).into());
        }
        let session = resp
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("amparo_session="))
            .filter_map(|v| v.split(';').next())
            .find(|v| !v.is_empty())
            .ok_or("POST /login set no amparo_session cookie")?;
        Ok(HeaderValue::from_str(&format!("amparo_session={session}"))?)
    }

    /// Adds audit entries of the organisation (token creations, as the operator would).
    async fn seed_audit(&self, entries: usize) -> Result<()> {
        for i in 0..entries {
            self.app.create_api_token(&Caller::Operator, ADMIN_EMAIL, &format!("seed {i}")).await?;
        }
        Ok(())
    }
}

/// The value of `<input … name="NAME" value="…">` in a page.
fn hidden_field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let rest = &rest[..rest.find('>')?];
    let value = rest.split_once("value=\"")?.1;
    Some(value[..value.find('"')?].to_owned())
}

/// An HTTP GET to measure, with the credential it needs.
#[derive(Clone, Debug)]
struct HttpTarget {
    label: &'static str,
    url: String,
    credential: Option<(HeaderName, HeaderValue)>,
}

/// One keep-alive client per worker; redirects are not followed (a redirect to /login is an
/// error, not a success).
fn clients(n: usize) -> Result<Arc<Vec<reqwest::Client>>> {
    let made: std::result::Result<Vec<_>, _> = (0..n)
        .map(|_| {
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(1).build()
        })
        .collect();
    Ok(Arc::new(made?))
}

async fn run_http(target: &HttpTarget, clients: &Arc<Vec<reqwest::Client>>, duration: Duration) -> Result<Sample> {
    let url = Arc::new(target.url.clone());
    let credential = Arc::new(target.credential.clone());
    let clients = Arc::clone(clients);
    let workers = clients.len();
    let sample = load::closed_loop(workers, duration, move |w| {
        let client = clients[w].clone();
        let url = Arc::clone(&url);
        let credential = Arc::clone(&credential);
        async move {
            let mut req = client.get(url.as_str());
            if let Some((name, value)) = credential.as_ref() {
                req = req.header(name, value);
            }
            match req.send().await {
                // The whole body is read: rendering and sending it is part of the cost.
                Ok(resp) => {
                    let ok = resp.status().is_success();
                    resp.bytes().await.is_ok() && ok
                }
                Err(_) => false,
            }
        }
    })
    .await?;
    Ok(sample)
}

/// `Amparo::login` in a closed loop. Each attempt comes from its own address so that the
/// per-address sign-in limit (100 per 15 minutes), which is not what is measured, never trips.
async fn run_login(app: &Amparo, workers: usize, duration: Duration, next_ip: &Arc<AtomicU32>) -> Result<Sample> {
    let app = app.clone();
    let next_ip = Arc::clone(next_ip);
    let sample = load::closed_loop(workers, duration, move |_| {
        let app = app.clone();
        let [_, a, b, c] = next_ip.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        async move {
            let ip = IpAddr::V4(Ipv4Addr::new(10, a, b, c));
            app.login(ADMIN_EMAIL, SecretString::from(PASSWORD), ip)
                .await
                .is_ok_and(|outcome| outcome.stage == SessionStage::Active)
        }
    })
    .await?;
    Ok(sample)
}

/// Raw Argon2id (one `verify` = one hash with the production parameters) on `threads` threads.
async fn run_raw_argon2(
    hasher: &Arc<PasswordHasher>,
    phc: &Arc<String>,
    threads: usize,
    d: Duration,
) -> Result<Sample> {
    let hasher = Arc::clone(hasher);
    let phc = Arc::clone(phc);
    let sample = tokio::task::spawn_blocking(move || {
        let password = SecretString::from(PASSWORD);
        load::threads_loop(threads, d, || hasher.verify(&password, &phc).unwrap_or(false))
    })
    .await?;
    Ok(sample)
}

/// A measured target of one round.
#[derive(Debug)]
struct Row {
    round: usize,
    label: String,
    sample: Sample,
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn ratio(subject: f64, baseline: f64) -> String {
    if baseline > 0.0 && subject.is_finite() { format!("{:.2}×", subject / baseline) } else { "—".to_owned() }
}

/// The rows of each round, then (when there was more than one round) every label pooled over
/// the rounds (`all`), in the order the labels were first measured.
fn with_pooled(rows: &[Row]) -> Vec<Row> {
    let mut labels: Vec<&str> = Vec::new();
    for r in rows {
        if !labels.contains(&r.label.as_str()) {
            labels.push(&r.label);
        }
    }
    let mut out: Vec<Row> =
        rows.iter().map(|r| Row { round: r.round, label: r.label.clone(), sample: r.sample.clone() }).collect();
    out.sort_by_key(|r| (r.round, labels.iter().position(|l| *l == r.label)));
    if rows.iter().all(|r| r.round == rows.first().map_or(0, |f| f.round)) {
        return out;
    }
    for label in labels {
        let sample = Sample::pooled(rows.iter().filter(|r| r.label == label).map(|r| &r.sample));
        out.push(Row { round: 0, label: label.to_owned(), sample });
    }
    out
}

/// A Markdown table of every row against the baseline of the same round (round 0 = pooled).
/// The ratios: how many times the baseline's throughput the subject's is, and how many times
/// the baseline's p50 and p99 latency the subject's are.
fn table(rows: &[Row], baseline: &str, unit: &str) -> String {
    let rows = with_pooled(rows);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| round | target | {unit} | errors | {unit}/s | p50 ms | p99 ms | {unit}/s vs baseline | p50 vs baseline | p99 vs baseline |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let base = rows.iter().find(|b| b.round == r.round && b.label == baseline).map(|b| &b.sample);
        let (rate, p50, p99) = match base {
            Some(b) if r.label != baseline => (
                ratio(r.sample.rate(), b.rate()),
                ratio(r.sample.percentile(50.0).as_secs_f64(), b.percentile(50.0).as_secs_f64()),
                ratio(r.sample.percentile(99.0).as_secs_f64(), b.percentile(99.0).as_secs_f64()),
            ),
            _ => ("baseline".to_owned(), String::new(), String::new()),
        };
        let round = if r.round == 0 { "all".to_owned() } else { r.round.to_string() };
        let _ = writeln!(
            s,
            "| {round} | {} | {} | {} | {:.1} | {} | {} | {rate} | {p50} | {p99} |",
            r.label,
            r.sample.count(),
            r.sample.errors,
            r.sample.rate(),
            ms(r.sample.percentile(50.0)),
            ms(r.sample.percentile(99.0)),
        );
    }
    s
}

/// The pooled sample of `label`.
fn pooled(rows: &[Row], label: &str) -> Sample {
    Sample::pooled(rows.iter().filter(|r| r.label == label).map(|r| &r.sample))
}

/// The items in order for odd `turn`s, reversed for even ones.
fn order<T: Clone>(turn: usize, items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    if turn.is_multiple_of(2) {
        v.reverse();
    }
    v
}

#[tokio::main]
async fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some("survivor") {
        return survivor::main(std::env::args().skip(2)).await;
    }
    if std::env::args().nth(1).as_deref() == Some("dashboard") {
        return dashboard::main(std::env::args().skip(2)).await;
    }
    let opts = parse_args()?;
    let d = Duration::from_secs(opts.seconds);
    let c = opts.concurrency;
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    let started = chrono::Utc::now();

    eprintln!("setting up four instances (fresh data directories, production Argon2id)…");
    let web = Instance::start(true).await?;
    let audit_on = Instance::start(true).await?;
    let audit_off = Instance::start(false).await?;
    let login = Instance::start(true).await?;
    for inst in [&audit_on, &audit_off] {
        inst.seed_audit(AUDIT_SEED_ENTRIES).await?;
    }
    let healthz = HttpTarget { label: "GET /healthz", url: web.url("/healthz"), credential: None };
    let page =
        HttpTarget { label: "GET / (session)", url: web.url("/"), credential: Some((COOKIE, web.sign_in().await?)) };
    let me = HttpTarget {
        label: "GET /api/v1/me (bearer)",
        url: web.url("/api/v1/me"),
        credential: Some((AUTHORIZATION, web.bearer("bench").await?)),
    };
    let audit_off_t = HttpTarget {
        label: "GET /audit, audit_reads: false",
        url: audit_off.url("/audit"),
        credential: Some((COOKIE, audit_off.sign_in().await?)),
    };
    let audit_on_t = HttpTarget {
        label: "GET /audit, audit_reads: true",
        url: audit_on.url("/audit"),
        credential: Some((COOKIE, audit_on.sign_in().await?)),
    };
    let pool = clients(c)?;
    let hasher = Arc::new(PasswordHasher::new(PasswordParams::owasp()));
    let phc = Arc::new(hasher.hash(&SecretString::from(PASSWORD))?);
    let next_ip = Arc::new(AtomicU32::new(1));
    let max_hashes = login.app.config().max_concurrent_hashes;
    let login_label = format!("Amparo::login ({c} callers, max {max_hashes} hashes at once)");
    let raw_label = format!("raw Argon2id verify ({cores} threads)");

    eprintln!("warming up…");
    let warm = d.min(Duration::from_secs(1));
    for t in [&healthz, &page, &me, &audit_off_t, &audit_on_t] {
        let s = run_http(t, &pool, warm).await?;
        if s.errors > 0 {
            return Err(format!("{}: {} of {} warm-up requests failed", t.label, s.errors, s.count()).into());
        }
    }
    run_login(&login.app, max_hashes, warm, &next_ip).await?;

    // Each round gives every target of a figure `--seconds` of load in one-second slices that
    // take turns (A B C, C B A, A B C, …), so that a burst of noise from a neighbour on the
    // shared machine lands on the baseline and the subject alike.
    let slice = Duration::from_secs(1);
    let fig1_targets = [&healthz, &page, &me];
    let fig2_labels = [raw_label.clone(), login_label.clone()];
    let fig3_targets = [&audit_off_t, &audit_on_t];
    let mut fig1 = Vec::new();
    let mut fig2 = Vec::new();
    let mut fig3 = Vec::new();
    for round in 1..=opts.rounds {
        let mut acc1: [Vec<Sample>; 3] = Default::default();
        let mut acc2: [Vec<Sample>; 2] = Default::default();
        let mut acc3: [Vec<Sample>; 2] = Default::default();
        eprintln!("round {round}: figure 1 ({} s)", 3 * opts.seconds);
        for k in 0..opts.seconds {
            for i in order(round + usize::try_from(k)?, &[0, 1, 2]) {
                acc1[i].push(run_http(fig1_targets[i], &pool, slice).await?);
            }
        }
        eprintln!("round {round}: figure 2 ({} s)", 2 * opts.seconds);
        for k in 0..opts.seconds {
            for i in order(round + usize::try_from(k)?, &[0, 1]) {
                let sample = if i == 0 {
                    run_raw_argon2(&hasher, &phc, cores, slice).await?
                } else {
                    run_login(&login.app, c, slice, &next_ip).await?
                };
                acc2[i].push(sample);
            }
        }
        eprintln!("round {round}: figure 3 ({} s)", 2 * opts.seconds);
        for k in 0..opts.seconds {
            for i in order(round + usize::try_from(k)?, &[0, 1]) {
                acc3[i].push(run_http(fig3_targets[i], &pool, slice).await?);
            }
        }
        for (i, t) in fig1_targets.iter().enumerate() {
            fig1.push(Row { round, label: t.label.to_owned(), sample: Sample::pooled(&acc1[i]) });
        }
        for (i, label) in fig2_labels.iter().enumerate() {
            fig2.push(Row { round, label: label.clone(), sample: Sample::pooled(&acc2[i]) });
        }
        for (i, t) in fig3_targets.iter().enumerate() {
            fig3.push(Row { round, label: t.label.to_owned(), sample: Sample::pooled(&acc3[i]) });
        }
    }

    println!("## amparo-bench, {}", started.format("%Y-%m-%d %H:%M UTC"));
    println!();
    println!(
        "`cargo run --release -p amparo-bench -- --seconds {} --concurrency {c} --rounds {}` — \
         {cores} cores. Closed loop, {c} workers, {} s per target and round in one-second slices \
         that take turns (A B, B A, …). Ratios are against the baseline of the same round; `all` \
         pools the rounds.",
        opts.seconds, opts.rounds, opts.seconds
    );
    println!();
    println!("### 1. Authenticated page and API call against /healthz\n");
    println!("{}", table(&fig1, healthz.label, "requests"));
    println!("### 2. Sign-ins per second against raw Argon2id\n");
    println!("Argon2id m=19456 KiB, t=2, p=1 (`PasswordParams::owasp()`).\n");
    println!("{}", table(&fig2, &raw_label, "ops"));
    println!("### 3. Audit on read: GET /audit with and without\n");
    println!("{}", table(&fig3, audit_off_t.label, "requests"));

    let (h, p, m) = (pooled(&fig1, healthz.label), pooled(&fig1, page.label), pooled(&fig1, me.label));
    let (raw, log) = (pooled(&fig2, &raw_label), pooled(&fig2, &login_label));
    let (off, on) = (pooled(&fig3, audit_off_t.label), pooled(&fig3, audit_on_t.label));
    println!("### Reading (pooled over rounds)\n");
    println!(
        "- The session page serves {} the requests per second of /healthz (p50 {}); the bearer API call {} (p50 {}).",
        ratio(p.rate(), h.rate()),
        ratio(p.percentile(50.0).as_secs_f64(), h.percentile(50.0).as_secs_f64()),
        ratio(m.rate(), h.rate()),
        ratio(m.percentile(50.0).as_secs_f64(), h.percentile(50.0).as_secs_f64()),
    );
    println!(
        "- Sign-ins run at {:.1}/s, {} the raw Argon2id rate of {:.1}/s on {cores} cores.",
        log.rate(),
        ratio(log.rate(), raw.rate()),
        raw.rate()
    );
    println!(
        "- Audit on read costs {} the time per request of the same page without it (throughput off/on; \
         p50 {}, p99 {}; target ≤ 1.2×).",
        ratio(off.rate(), on.rate()),
        ratio(on.percentile(50.0).as_secs_f64(), off.percentile(50.0).as_secs_f64()),
        ratio(on.percentile(99.0).as_secs_f64(), off.percentile(99.0).as_secs_f64()),
    );
    let errors: u64 = fig1.iter().chain(&fig2).chain(&fig3).map(|r| r.sample.errors).sum();
    println!("- Errors (non-2xx, failed sign-ins): {errors}.");
    Ok(())
}
