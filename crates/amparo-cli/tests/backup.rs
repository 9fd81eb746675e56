//! Backups through the real binary: `backup create|verify|restore`, `erasure-ledger export`,
//! scheduled backups and `migrate-store`, on real SQLite files and (when
//! `AMPARO_TEST_POSTGRES_URL` is set) a fresh PostgreSQL database per test, with a real
//! server on loopback reading the restored or migrated data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use reqwest::StatusCode;
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const PASSPHRASE: &str = "la respaldadora de los martes";

fn cmd(args: &[&str], dir_flag: Option<&Path>, envs: &[(&str, &str)]) -> std::process::Command {
    let mut c = amparo();
    c.args(args);
    if let Some(d) = dir_flag {
        c.arg("--data-dir").arg(d);
    }
    c.envs(envs.iter().copied());
    c
}

fn create_backup(dir: &Path, out: &Path, envs: &[(&str, &str)]) -> Output {
    let mut c = cmd(&["backup", "create", "--passphrase-stdin", "--out"], None, envs);
    c.arg(out).arg("--data-dir").arg(dir);
    run(c, &format!("{PASSPHRASE}\n"))
}

fn verify_backup(file: &Path, passphrase: &str) -> Output {
    let mut c = cmd(&["backup", "verify", "--passphrase-stdin"], None, &[]);
    c.arg(file);
    run(c, &format!("{passphrase}\n"))
}

fn restore(file: &Path, dir: &Path, ledgers: &[&Path], envs: &[(&str, &str)]) -> Output {
    let mut c = cmd(&["backup", "restore", "--passphrase-stdin"], Some(dir), envs);
    c.arg(file);
    for l in ledgers {
        c.arg("--erasure-ledger").arg(l);
    }
    run(c, &format!("{PASSPHRASE}\n"))
}

fn failed_saying(out: &Output, words: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should have failed: {}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains(words), "expected {words:?} in {err}");
}

/// The per-table checksums a verify printed: table -> (rows, sha256).
fn checksums(verify_stdout: &str) -> BTreeMap<String, (u64, String)> {
    verify_stdout
        .lines()
        .filter_map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            match parts.as_slice() {
                [table, rows, "rows", "sha256", sum] => {
                    Some(((*table).to_owned(), (rows.parse().ok()?, (*sum).to_owned())))
                }
                _ => None,
            }
        })
        .collect()
}

fn audit_intact(dir: &Path, envs: &[(&str, &str)]) -> String {
    let said = ok(&run(cmd(&["audit", "verify"], Some(dir), envs), ""));
    assert!(said.contains("audit chain intact"), "{said}");
    said
}

fn token(dir: &Path, email: &str, envs: &[(&str, &str)]) -> String {
    let c = cmd(&["token", "create", "--org", ORG, "--email", email, "--name", "backup-test"], Some(dir), envs);
    ok(&run(c, "")).lines().last().unwrap().trim().to_owned()
}

fn add_case_manager(dir: &Path, envs: &[(&str, &str)]) -> String {
    let c = cmd(
        &["user", "add", "--org", ORG, "--email", "lucia@esperanza.org", "--role", "case_manager", "--password-stdin"],
        Some(dir),
        envs,
    );
    ok(&run(c, "la gestora camina despacio por el puerto viejo\n"));
    token(dir, "lucia@esperanza.org", envs)
}

async fn create_person(http: &reqwest::Client, s: &Server, token: &str, alias: &str) -> String {
    let r =
        http.post(s.url("/api/v1/persons")).bearer_auth(token).json(&json!({ "alias": alias })).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["id"].as_str().unwrap().to_owned()
}

async fn read_person(s: &Server, token: &str, id: &str) -> (StatusCode, Value) {
    let r =
        reqwest::Client::new().get(s.url(&format!("/api/v1/persons/{id}"))).bearer_auth(token).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn backup_verify_restore_round_trips_while_the_server_takes_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let cm = add_case_manager(&dir, &[]);
    let s = serve(&dir, &[], &[]);
    let http = reqwest::Client::new();
    let before = create_person(&http, &s, &cm, "Golondrina").await;

    // Writes go on through the API for as long as the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (stop, written, base, cm) = (Arc::clone(&stop), Arc::clone(&written), s.base.clone(), cm.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let r = http
                    .post(format!("{base}/api/v1/persons"))
                    .bearer_auth(&cm)
                    .json(&json!({ "alias": format!("Escritura {n}") }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                written.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while written.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let file = tmp.path().join("backup.age");
    let at_start = written.load(Ordering::SeqCst);
    let (d, f) = (dir.clone(), file.clone());
    let made = tokio::task::spawn_blocking(move || create_backup(&d, &f, &[])).await.unwrap();
    let during = written.load(Ordering::SeqCst) - at_start;
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    ok(&made);
    assert!(during > 0, "the server took no writes while the backup ran");
    assert!(!tmp.path().join("backup.age.partial").exists());

    let verified = ok(&verify_backup(&file, PASSPHRASE));
    assert!(verified.contains("backup verified") && verified.contains("audit chain inside intact"), "{verified}");
    let sums = checksums(&verified);
    assert!(sums["persons"].0 >= 4, "{sums:?}");

    // A server runs on the directory: restoring over it is refused.
    failed_saying(&restore(&file, &dir, &[], &[]), "a server is running");

    // Restore into a new directory: the same tables, the chain intact, the person readable.
    let restored = tmp.path().join("restored");
    let said = ok(&restore(&file, &restored, &[], &[]));
    assert!(said.contains("checksums of the restored database match the manifest"), "{said}");
    audit_intact(&restored, &[]);
    let again = tmp.path().join("again.age");
    ok(&create_backup(&restored, &again, &[]));
    let resums = checksums(&ok(&verify_backup(&again, PASSPHRASE)));
    for (table, sum) in &sums {
        // The restore and the second backup add their own audit entries; nothing else moved.
        if table != "audit_events" && table != "audit_head" {
            assert_eq!(&resums[table], sum, "{table}");
        }
    }
    assert!(resums["audit_events"].0 > sums["audit_events"].0);
    drop(s);
    let s2 = serve(&restored, &[], &[]);
    let (st, p) = read_person(&s2, &cm, &before).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["alias"], "Golondrina");
}

#[tokio::test]
async fn tampered_truncated_and_wrongly_opened_backups_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let file = tmp.path().join("b.age");
    ok(&create_backup(&dir, &file, &[]));
    ok(&verify_backup(&file, PASSPHRASE));
    let bytes = std::fs::read(&file).unwrap();

    failed_saying(&verify_backup(&file, "not the passphrase"), "wrong passphrase");

    for at in [30, bytes.len() / 2, bytes.len() - 1] {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let bad = tmp.path().join(format!("changed-{at}.age"));
        std::fs::write(&bad, &changed).unwrap();
        let out = verify_backup(&bad, PASSPHRASE);
        assert!(!out.status.success(), "a changed byte at {at} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("damaged") || err.contains("wrong passphrase") || err.contains("header was changed"),
            "{at}: {err}"
        );
        // A restore refuses it before touching the target.
        let target = tmp.path().join(format!("target-{at}"));
        assert!(!restore(&bad, &target, &[], &[]).status.success());
        assert!(!target.exists(), "a refused restore left {}", target.display());
    }
    for keep in [bytes.len() / 3, bytes.len() - 1] {
        let cut = tmp.path().join(format!("cut-{keep}.age"));
        std::fs::write(&cut, &bytes[..keep]).unwrap();
        let out = verify_backup(&cut, PASSPHRASE);
        assert!(!out.status.success(), "a file cut to {keep} bytes was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cut short") || err.contains("truncated"), "{err}");
    }

    // A backup to an age public key opens with the identity file only.
    let identity = age::x25519::Identity::generate();
    let id_file = tmp.path().join("identity.txt");
    std::fs::write(&id_file, format!("{}\n", secrecy::ExposeSecret::expose_secret(&identity.to_string()))).unwrap();
    let to_key = tmp.path().join("to-key.age");
    let mut c = cmd(&["backup", "create", "--recipient", &identity.to_public().to_string(), "--out"], None, &[]);
    c.arg(&to_key).arg("--data-dir").arg(&dir);
    ok(&run(c, ""));
    let mut c = cmd(&["backup", "verify", "--identity"], None, &[]);
    c.arg(&id_file).arg(&to_key);
    assert!(ok(&run(c, "")).contains("backup verified"));
    let other = tmp.path().join("other.txt");
    std::fs::write(
        &other,
        format!("{}\n", secrecy::ExposeSecret::expose_secret(&age::x25519::Identity::generate().to_string())),
    )
    .unwrap();
    let mut c = cmd(&["backup", "verify", "--identity"], None, &[]);
    c.arg(&other).arg(&to_key);
    failed_saying(&run(c, ""), "wrong passphrase or identity");
    failed_saying(&verify_backup(&to_key, PASSPHRASE), "give --identity");
}

async fn sqlite(dir: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.join("amparo.sqlite3").display())).await.unwrap()
}

async fn person_ids(dir: &Path) -> Vec<String> {
    let pool = sqlite(dir).await;
    let rows: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT id FROM persons ORDER BY id").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.into_iter().map(|(b,)| uuid_text(&b)).collect()
}

fn uuid_text(b: &[u8]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

#[tokio::test]
async fn an_erased_person_stays_erased_after_restoring_an_older_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    ok(&run(cmd(&["demo", "--cases", "12"], Some(&dir), &[]), ""));
    let people = person_ids(&dir).await;
    assert_eq!(people.len(), 12);
    let (gone, stays) = (&people[3], &people[4]);

    let old = tmp.path().join("old.age");
    ok(&create_backup(&dir, &old, &[]));
    let c = cmd(&["erase", "--person", gone, "--reason", "lo pidió la persona"], Some(&dir), &[]);
    ok(&run(c, ""));
    let ledger = tmp.path().join("ledger.txt");
    let mut c = cmd(&["erasure-ledger", "export"], Some(&dir), &[]);
    c.arg("--out").arg(&ledger);
    ok(&run(c, ""));
    let text = std::fs::read_to_string(&ledger).unwrap();
    assert!(text.starts_with("amparo-erasure-ledger v1\n") && text.contains(gone.as_str()), "{text}");
    assert!(!text.contains(stays.as_str()));

    // Into the same directory: its own ledger brings the erasure back.
    let said = ok(&restore(&old, &dir, &[], &[]));
    assert!(said.contains("1 erasures re-applied"), "{said}");
    let now = person_ids(&dir).await;
    assert!(!now.contains(gone) && now.contains(stays) && now.len() == 11, "{now:?}");
    audit_intact(&dir, &[]);
    let pool = sqlite(&dir).await;
    let (erased,): (i64,) = sqlx::query_as("SELECT count(*) FROM erasures").fetch_one(&pool).await.unwrap();
    assert_eq!(erased, 1);
    pool.close().await;

    // Into a new directory the old backup alone would bring the person back…
    let bare = tmp.path().join("bare");
    ok(&restore(&old, &bare, &[], &[]));
    assert!(person_ids(&bare).await.contains(gone), "without a ledger the old backup holds the person");
    // … and with the exported ledger it does not.
    let fresh = tmp.path().join("fresh");
    ok(&restore(&old, &fresh, &[&ledger], &[]));
    let there = person_ids(&fresh).await;
    assert!(!there.contains(gone) && there.contains(stays), "{there:?}");
    audit_intact(&fresh, &[]);
    // The erasure is now in the restored installation's own ledger: its next backup carries it.
    let next = tmp.path().join("next.age");
    ok(&create_backup(&fresh, &next, &[]));
    assert!(ok(&verify_backup(&next, PASSPHRASE)).contains("erasure ledger: 1 persons"));

    // A ledger file that was changed is refused, and nothing is restored.
    let forged = tmp.path().join("forged.txt");
    std::fs::write(&forged, text.replace(gone.as_str(), stays.as_str())).unwrap();
    let target = tmp.path().join("forged-target");
    failed_saying(&restore(&old, &target, &[&forged], &[]), "was changed");
    assert!(!target.join("amparo.sqlite3").exists());
}

#[tokio::test]
async fn serve_makes_scheduled_backups_and_keeps_the_newest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let identity = age::x25519::Identity::generate();
    let id_file = tmp.path().join("identity.txt");
    std::fs::write(&id_file, format!("{}\n", secrecy::ExposeSecret::expose_secret(&identity.to_string()))).unwrap();
    let backups = tmp.path().join("backups");
    let recipient = identity.to_public().to_string();
    let envs = [
        ("AMPARO_BACKUP_INTERVAL", "2s"),
        ("AMPARO_BACKUP_DIR", backups.to_str().unwrap()),
        ("AMPARO_BACKUP_KEEP", "2"),
        ("AMPARO_BACKUP_RECIPIENT", recipient.as_str()),
    ];
    let s = serve(&dir, &[], &envs);
    let listed = || -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&backups)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "age"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let started = std::time::Instant::now();
    // Three or more backups made, and only the newest two left.
    while audit_count(&dir, "backup.create").await < 3 || listed().len() != 2 {
        assert!(started.elapsed().as_secs() < 60, "scheduled backups: {:?} {:?}", listed(), s.printed());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let files = listed();
    drop(s);
    for f in files {
        let mut c = cmd(&["backup", "verify", "--identity"], None, &[]);
        c.arg(&id_file).arg(&f);
        assert!(ok(&run(c, "")).contains("backup verified"));
    }
}

async fn audit_count(dir: &Path, action: &str) -> i64 {
    let pool = sqlite(dir).await;
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM audit_events WHERE action = ? AND outcome = 'ok'")
        .bind(action)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

fn fresh_database(base: &str) -> (String, String) {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let db = format!("amparo_backup_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    let (head, tail) = base.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    (db.clone(), format!("{head}/{db}{query}"))
}

#[tokio::test]
async fn migrate_store_moves_a_demo_installation_to_postgres_and_the_server_runs_on_it() {
    let Ok(base) = std::env::var("AMPARO_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let (db, url) = fresh_database(&base);
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let cm = add_case_manager(&dir, &[]);
    let person = {
        let s = serve(&dir, &[], &[]);
        create_person(&reqwest::Client::new(), &s, &cm, "Colibrí").await
    };
    ok(&run(cmd(&["demo", "--cases", "200"], Some(&dir), &[]), ""));
    let people_before = person_ids(&dir).await.len();
    let entries_before = audit_intact(&dir, &[]);

    let mut c = cmd(&["migrate-store", "--to", &url], Some(&dir), &[]);
    let said = ok(&run(c, ""));
    assert!(said.contains("row counts and checksums match") && said.contains("AMPARO_DATABASE_URL"), "{said}");
    // The source is as it was.
    assert_eq!(person_ids(&dir).await.len(), people_before);
    assert_eq!(audit_intact(&dir, &[]), entries_before);
    // A target that holds data is refused.
    c = cmd(&["migrate-store", "--to", &url], Some(&dir), &[]);
    failed_saying(&run(c, ""), "not empty");

    let pg = [("AMPARO_DATABASE_URL", url.as_str())];
    audit_intact(&dir, &pg);
    let s = serve(&dir, &[], &pg);
    let (st, p) = read_person(&s, &cm, &person).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["alias"], "Colibrí");

    // A backup of the PostgreSQL installation, taken while it serves, restores into SQLite.
    let file = tmp.path().join("pg.age");
    ok(&create_backup(&dir, &file, &pg));
    drop(s);
    let sums = checksums(&ok(&verify_backup(&file, PASSPHRASE)));
    assert_eq!(sums["persons"].0, people_before as u64);
    let restored = tmp.path().join("restored");
    ok(&restore(&file, &restored, &[], &[]));
    audit_intact(&restored, &[]);
    let s = serve(&restored, &[], &[]);
    let (st, p) = read_person(&s, &cm, &person).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    drop(s);

    // And into another PostgreSQL database, through a data directory configured for it.
    let (db2, url2) = fresh_database(&base);
    sqlx::query(&format!("CREATE DATABASE {db2}")).execute(&admin).await.unwrap();
    let pg2 = [("AMPARO_DATABASE_URL", url2.as_str())];
    let on_pg = tmp.path().join("on-pg");
    ok(&restore(&file, &on_pg, &[], &pg2));
    assert!(!on_pg.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
    audit_intact(&on_pg, &pg2);
    let s = serve(&on_pg, &[], &pg2);
    let (st, p) = read_person(&s, &cm, &person).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["alias"], "Colibrí");
    drop(s);

    for name in [db, db2] {
        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)")).execute(&admin).await;
    }
}
