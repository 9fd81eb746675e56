//! `amparo demo` and `amparo erase` through the real binary, on a fresh SQLite data directory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;
use std::process::Output;

/// Names from the demo's lists that 200 people are all but sure to include, as written and as
/// an email address would fold them.
const NAMES: &[&str] = &[
    "Hernández",
    "Martínez",
    "García",
    "Rodríguez",
    "González",
    "Guadalupe",
    "hernandez",
    "martinez",
    "rodriguez",
    "gonzalez",
    "guadalupe",
];

fn demo(dir: &Path, cases: &str, seed: &str) -> Output {
    let mut c = amparo();
    c.args(["demo", "--data-dir"]).arg(dir).args(["--cases", cases, "--seed", seed]);
    run(c, "")
}

fn erase(dir: &Path, person: &str) -> Output {
    let mut c = amparo();
    c.args(["erase", "--data-dir"]).arg(dir).args(["--person", person, "--reason", "solicitud de la persona"]);
    run(c, "")
}

/// The number of entries `audit verify` checked (it must say the chain is intact).
fn verified_entries(dir: &Path) -> u64 {
    let mut c = amparo();
    c.args(["audit", "verify", "--data-dir"]).arg(dir);
    let said = ok(&run(c, ""));
    let n = said
        .trim()
        .strip_prefix("audit chain intact: ")
        .and_then(|s| s.strip_suffix(" entries checked"))
        .unwrap_or_else(|| panic!("{said}"));
    n.parse().unwrap()
}

async fn pool(dir: &Path) -> sqlx::SqlitePool {
    let db = dir.join("amparo.sqlite3");
    sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap()
}

/// Every file of the data directory (database, WAL, journal, keys, ledger).
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn assert_no_plaintext_names(dir: &Path) {
    let mut all = Vec::new();
    files(dir, &mut all);
    assert!(all.iter().any(|p| p.ends_with("amparo.sqlite3")), "{all:?}");
    for path in all {
        let bytes = std::fs::read(&path).unwrap();
        for name in NAMES {
            let hit = bytes.windows(name.len()).any(|w| w == name.as_bytes());
            assert!(!hit, "{name} found in plaintext in {}", path.display());
        }
    }
}

#[tokio::test]
async fn demo_data_is_audited_encrypted_and_erasable() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let before = verified_entries(&dir);

    let said = ok(&demo(&dir, "200", "7"));
    assert!(said.trim().starts_with("seeded 200 cases in "), "{said}");
    assert!(said.trim().ends_with(" cases/s)"), "{said}");
    let entries = verified_entries(&dir);
    assert!(entries >= 400 && entries >= before + 400, "{entries} entries after demo, {before} before");

    // Checked while no process has the database open (the test's own pool, closing, may
    // checkpoint and remove the WAL under the reader's feet).
    assert_no_plaintext_names(&dir);

    let db = pool(&dir).await;
    let (persons,): (i64,) = sqlx::query_as("SELECT count(*) FROM persons").fetch_one(&db).await.unwrap();
    let (cases,): (i64,) = sqlx::query_as("SELECT count(*) FROM cases").fetch_one(&db).await.unwrap();
    assert_eq!((persons, cases), (200, 200));
    let (id,): (Vec<u8>,) = sqlx::query_as("SELECT id FROM persons ORDER BY id LIMIT 1").fetch_one(&db).await.unwrap();
    db.close().await;
    let person = uuid::Uuid::from_slice(&id).unwrap().hyphenated().to_string();

    let out = erase(&dir, &person);
    assert_eq!(ok(&out).trim(), format!("erased person {person}"));
    let again = erase(&dir, &person);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already erased"), "{err}");

    let unknown = erase(&dir, &uuid::Uuid::new_v4().to_string());
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no person with id"));
    let malformed = erase(&dir, "not-an-id");
    assert!(!malformed.status.success());
    assert_no_plaintext_names(&dir);

    let db = pool(&dir).await;
    let (persons,): (i64,) = sqlx::query_as("SELECT count(*) FROM persons").fetch_one(&db).await.unwrap();
    let (cases,): (i64,) = sqlx::query_as("SELECT count(*) FROM cases").fetch_one(&db).await.unwrap();
    db.close().await;
    assert_eq!((persons, cases), (199, 199));
    assert!(verified_entries(&dir) > entries);
}

/// The coded, clear columns of every case and its person, in case-number order: what a seed
/// decides (ids are random).
async fn coded_rows(dir: &Path) -> Vec<String> {
    let db = pool(dir).await;
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT c.number || '|' || c.status || '|' || coalesce(c.closure_reason, '') || '|' || \
         coalesce(c.trafficking_status, '') || '|' || c.exploitation_types || '|' || c.means_of_control || '|' || \
         coalesce(c.recruitment, '') || '|' || c.countries || '|' || c.places || '|' || c.opened_on || '|' || \
         coalesce(p.gender, '') || '|' || coalesce(p.age_band, '') || '|' || p.citizenship || '|' || \
         coalesce(p.primary_language, '') || '|' || coalesce(p.interpreter_needed, '') \
         FROM cases c JOIN persons p ON p.id = c.person_id ORDER BY c.number",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    db.close().await;
    rows.into_iter().map(|(r,)| r).collect()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_cases() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    for dir in [&a, &b, &c] {
        init(dir, &[]);
    }
    let seeded = |out: &Output| ok(out).split(" in ").next().unwrap_or_default().to_owned();
    assert_eq!(seeded(&demo(&a, "120", "7")), "seeded 120 cases");
    assert_eq!(seeded(&demo(&b, "120", "7")), "seeded 120 cases");
    ok(&demo(&c, "120", "8"));
    let (ra, rb, rc) = (coded_rows(&a).await, coded_rows(&b).await, coded_rows(&c).await);
    assert_eq!(ra.len(), 120);
    assert_eq!(ra, rb);
    assert_ne!(ra, rc);
}

#[test]
fn demo_refuses_zero_cases_and_a_missing_data_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("missing");
    let out = demo(&dir, "0", "1");
    assert!(!out.status.success());
    let out = demo(&dir, "10", "1");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an Amparo data directory"));
}
