//! `amparo-bench dashboard`: the caseload dashboard against the plain case list, for the same
//! reader, on the real server binary (BENCHMARKS.md, "Caseload dashboard").
//!
//! ```sh
//! amparo-bench dashboard [--amparo target/release/amparo] [--cases 5000] [--case-managers 25]
//!     [--seconds 10] [--rounds 2] [--concurrency 4]
//! ```
//!
//! It prepares a data directory of its own (deleted at the end): `amparo init`, `--case-managers`
//! case managers and a supervisor (`amparo user add`), then `amparo demo --cases N --seed 1`,
//! which deals the cases out to the case managers (5,000 over 25: about 200 each, with their
//! services, appointments, legal relief and tasks). It starts `amparo serve`, signs in the
//! supervisor and the case manager whose caseload is nearest `cases / case-managers` (password,
//! MFA enrolment, forced change) and gives each an API token, and measures, closed loop with
//! `--concurrency` workers, in one-second slices that take turns:
//!
//! - for each reader, `GET /dashboard` (the page) against `GET /cases` (the case-list page),
//!   and `GET /api/v1/dashboard` against `GET /api/v1/cases?limit=L`, where `L` covers the
//!   case manager's whole caseload and is the largest page (500) for the supervisor, whose
//!   5,000 cases the list pages through.
//!
//! The target (issue: case work) is the dashboard in at most 1.5× the case list's time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderValue};

use crate::survivor::{Req, Server, Target, cli, client, closed, loadavg, sign_in, slices, table};
use crate::{Result, Row, ratio};

const USAGE: &str = "usage: amparo-bench dashboard [--amparo PATH] [--cases N] [--case-managers N] [--seconds N]
                            [--rounds N] [--concurrency N]

  --amparo PATH         the server binary (default target/release/amparo)
  --cases N             demo cases (default 5000)
  --case-managers N     case managers the cases are dealt to (default 25: about 200 each)
  --seconds N           seconds of load per target and round (default 10)
  --rounds N            times each figure is measured (default 2)
  --concurrency N       closed-loop workers (default 4)";

const ADMIN: &str = "admin@bench.example.org";
const INITIAL: &str = "copper kettles hum beside the winter harbour";
const CHANGED: &str = "seven herons wade through amber reeds at dawn";
/// The case list's largest page.
const MAX_PAGE: u64 = 500;

#[derive(Debug)]
struct Options {
    amparo: PathBuf,
    cases: u64,
    case_managers: u64,
    seconds: u64,
    rounds: usize,
    concurrency: usize,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options> {
    let mut opts = Options {
        amparo: PathBuf::from("target/release/amparo"),
        cases: 5000,
        case_managers: 25,
        seconds: 10,
        rounds: 2,
        concurrency: 4,
    };
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
        let number = || -> Result<u64> {
            value
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{arg}: {value} is not a positive whole number").into())
        };
        match arg.as_str() {
            "--amparo" => opts.amparo = PathBuf::from(&value),
            "--cases" => opts.cases = number()?,
            "--case-managers" => opts.case_managers = number()?,
            "--seconds" => opts.seconds = number()?,
            "--rounds" => opts.rounds = usize::try_from(number()?)?,
            "--concurrency" => opts.concurrency = usize::try_from(number()?)?,
            _ => return Err(format!("unknown argument {arg}\n{USAGE}").into()),
        }
    }
    Ok(opts)
}

/// The case manager whose caseload (cases assigned, restricted ones included: they are on
/// their team) is nearest `want`, and its size; read from the SQLite file.
async fn case_manager_near(dir: &Path, want: u64) -> Result<(String, u64)> {
    use sqlx::Row as _;
    use sqlx::sqlite::SqliteConnectOptions;
    let options = SqliteConnectOptions::new().filename(amparo_store_sqlite::database_path(dir)).read_only(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let row = sqlx::query(
        "SELECT u.email AS email, count(*) AS n FROM cases c JOIN users u ON u.id = c.assigned_to
         WHERE u.role = 'case_manager' GROUP BY u.email ORDER BY abs(count(*) - ?), u.email LIMIT 1",
    )
    .bind(i64::try_from(want)?)
    .fetch_one(&pool)
    .await?;
    let n: i64 = row.try_get("n")?;
    Ok((row.try_get("email")?, u64::try_from(n)?))
}

/// A reader: the session cookie and a bearer token.
struct Reader {
    name: &'static str,
    session: HeaderValue,
    bearer: HeaderValue,
    /// The case list's page size that covers what is compared.
    limit: u64,
    cases: u64,
}

pub async fn main(args: impl Iterator<Item = String>) -> Result<()> {
    let opts = parse_args(args)?;
    let started = chrono::Utc::now();
    let load_at_start = loadavg();
    let tmp = tempfile::Builder::new().prefix("amparo-bench-dashboard-").tempdir()?;
    let dir = tmp.path().join("data");
    let amparo = opts.amparo.as_path();

    eprintln!("preparing: init, {} case managers and a supervisor…", opts.case_managers);
    cli(
        amparo,
        &["init", "--org", "Refugio Benchmark", "--admin-email", ADMIN, "--admin-password-stdin"],
        &dir,
        &format!("{INITIAL}\n"),
    )?;
    let supervisor = "supervisor@bench.example.org";
    let mut staff = vec![(supervisor.to_owned(), "supervisor")];
    staff.extend((1..=opts.case_managers).map(|i| (format!("cm{i:02}@bench.example.org"), "case_manager")));
    for (email, role) in &staff {
        cli(
            amparo,
            &["user", "add", "--email", email, "--role", role, "--password-stdin"],
            &dir,
            &format!("{INITIAL}\n"),
        )?;
    }
    eprintln!("seeding {} demo cases…", opts.cases);
    let t0 = Instant::now();
    cli(amparo, &["demo", "--cases", &opts.cases.to_string(), "--seed", "1"], &dir, "")?;
    let seeding = t0.elapsed();
    let (cm_email, cm_cases) = case_manager_near(&dir, opts.cases / opts.case_managers).await?;

    let mut readers = Vec::new();
    let server = Server::start(amparo, &dir)?;
    for (name, email, limit, cases) in [
        ("case manager", cm_email.as_str(), cm_cases.min(MAX_PAGE), cm_cases),
        ("supervisor", supervisor, MAX_PAGE, opts.cases),
    ] {
        let out = cli(amparo, &["token", "create", "--email", email, "--name", "dashboard bench"], &dir, "")?;
        let token = out.lines().rev().find(|l| !l.trim().is_empty()).ok_or("amparo token create printed nothing")?;
        eprintln!("signing in the {name} ({email})…");
        let session = sign_in(&server, email, INITIAL, CHANGED).await?;
        readers.push(Reader {
            name,
            session,
            bearer: HeaderValue::from_str(&format!("Bearer {}", token.trim()))?,
            limit,
            cases,
        });
    }

    let clients = Arc::new((0..opts.concurrency).map(|_| client()).collect::<Result<Vec<_>>>()?);
    let slice = Duration::from_secs(1);
    let mut figures: Vec<(String, String, String, Vec<Row>)> = Vec::new();
    for r in &readers {
        let page = |label: &str, path: &str| {
            Target::new(label, vec![Req::Get(server.url(path))], Some((COOKIE, r.session.clone())))
        };
        let api = |label: &str, path: &str| {
            Target::new(label, vec![Req::Get(server.url(path))], Some((AUTHORIZATION, r.bearer.clone())))
        };
        let list_path = format!("/api/v1/cases?limit={}", r.limit);
        let pairs = [
            (page("GET /cases (page)", "/cases"), page("GET /dashboard (page)", "/dashboard"), "pages"),
            (api(&format!("GET {list_path}"), &list_path), api("GET /api/v1/dashboard", "/api/v1/dashboard"), "API"),
        ];
        for (list, dash, what) in pairs {
            eprintln!("warming up: {} {what}…", r.name);
            for t in [&list, &dash] {
                let s = closed(t, &clients, slice).await?;
                if s.errors > 0 {
                    return Err(format!("{}: {} of {} warm-up requests failed", t.label, s.errors, s.count()).into());
                }
            }
            let mut rows = Vec::new();
            for round in 1..=opts.rounds {
                eprintln!("round {round}: {} {what} ({} s)", r.name, 2 * opts.seconds);
                rows.extend(
                    slices(round, opts.seconds, &[&list, &dash], async |t| closed(t, &clients, slice).await).await?,
                );
            }
            figures.push((
                format!("{} ({} cases), {what}", r.name, r.cases),
                list.label.clone(),
                dash.label.clone(),
                rows,
            ));
        }
    }
    drop(server);
    let load_at_end = loadavg();

    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    let mut out = String::new();
    let _ = writeln!(out, "## amparo-bench dashboard, {}\n", started.format("%Y-%m-%d %H:%M UTC"));
    let _ = writeln!(
        out,
        "`amparo-bench dashboard --amparo {} --cases {} --case-managers {} --seconds {} --rounds {} --concurrency {}` \
         — {cores} cores; demo seeded in {:.1} s; the case manager has {cm_cases} cases. Load average at start \
         `{load_at_start}`, at end `{load_at_end}`.\n",
        amparo.display(),
        opts.cases,
        opts.case_managers,
        opts.seconds,
        opts.rounds,
        opts.concurrency,
        seeding.as_secs_f64(),
    );
    let mut summary = Vec::new();
    for (title, list, dash, rows) in &figures {
        let _ = writeln!(out, "### {title}: the dashboard against the case list\n");
        let _ = writeln!(out, "{}", table(rows, list, "requests"));
        let pooled =
            |label: &str| crate::load::Sample::pooled(rows.iter().filter(|r| r.label == label).map(|r| &r.sample));
        let (l, d) = (pooled(list), pooled(dash));
        summary.push(format!(
            "- {title}: dashboard p50 {} ({} ms against {} ms), p95 {} (target ≤ 1.5×).",
            ratio(d.percentile(50.0).as_secs_f64(), l.percentile(50.0).as_secs_f64()),
            crate::ms(d.percentile(50.0)),
            crate::ms(l.percentile(50.0)),
            ratio(d.percentile(95.0).as_secs_f64(), l.percentile(95.0).as_secs_f64()),
        ));
    }
    let _ = writeln!(out, "### Reading (pooled over rounds)\n\n{}", summary.join("\n"));
    println!("{out}");
    Ok(())
}
