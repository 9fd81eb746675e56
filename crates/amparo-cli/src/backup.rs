//! `amparo backup create|verify|restore`, `amparo erasure-ledger export`, `amparo
//! migrate-store`, and the backups `serve` schedules (docs/backup.md).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use amparo_app::backup::{self, BackupError, BackupKey, BackupRecipient, VerifiedBackup};
use amparo_app::{Amparo, ChainVerdict, Deps, SystemClock, key_dir};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::PersonId;
use amparo_store::{ChecksumSink, LoadSink, Store};

use crate::commands::Failure;
use crate::installation::{self, DataDirLock, Installation, OpenedStore};

impl From<BackupError> for Failure {
    fn from(e: BackupError) -> Self {
        Failure::msg(format!("{e} ({})", e.code()))
    }
}

pub async fn create(data_dir: &Path, out: &Path, to: BackupRecipient) -> Result<ExitCode, Failure> {
    let inst = Installation::open(data_dir).await?;
    let manifest = inst.app.create_backup(out, &to).await?;
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "backup {} written to {}: {} tables, {rows} rows, {} erased persons in its ledger",
        manifest.id,
        out.display(),
        manifest.tables.len(),
        manifest.erasures
    );
    Ok(ExitCode::SUCCESS)
}

fn print_summary(v: &VerifiedBackup) {
    let rows: u64 = v.manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "backup {} (taken {} from {}, Amparo {})",
        v.header.id,
        v.header.created_at.to_rfc3339(),
        v.header.backend,
        v.header.amparo_version
    );
    for t in &v.manifest.tables {
        println!("  {:<28} {:>10} rows  sha256 {}", t.table.name, t.rows, t.sha256);
    }
    println!("checksums match: {} tables, {rows} rows", v.manifest.tables.len());
    println!("audit chain inside intact: {} entries", v.audit_entries);
    println!("erasure ledger: {} persons", v.erased.len());
    println!("key fingerprint: {}", v.header.key_fingerprint);
}

pub fn verify(file: &Path, key: &BackupKey) -> Result<ExitCode, Failure> {
    let verified = backup::verify_backup(file, key)?;
    print_summary(&verified);
    println!("backup verified");
    Ok(ExitCode::SUCCESS)
}

/// Persons an existing installation at `data_dir` erased (its key directory's ledger and its
/// erasures table); none when the directory holds no installation yet.
async fn existing_erasures(data_dir: &Path) -> Result<Vec<PersonId>, Failure> {
    let keys = key_dir(data_dir);
    if !installation::master_key_path(&keys).exists()
        && !installation::sealed_key_path(&keys).exists()
        && std::env::var_os("AMPARO_MASTER_KEY").is_none()
    {
        return Ok(Vec::new());
    }
    let master = installation::read_master_key(data_dir)?;
    let mut ids = match fs::read_to_string(keys.join("erasures.ledger")) {
        Ok(text) => backup::ledger_ids(&text, &master).map_err(Failure::from)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Failure::msg(format!("cannot read the existing erasure ledger: {e}"))),
    };
    let file = installation::read_file_config(data_dir)?;
    let is_sqlite = installation::database_url(&file).is_none();
    if !is_sqlite || amparo_store_sqlite::database_path(data_dir).exists() {
        let store = installation::open_configured_store(data_dir, &file).await?;
        let rows = store.shared().erasures().await.map_err(|e| Failure::msg(format!("existing erasures: {e}")))?;
        ids.extend(rows.into_iter().map(|r| r.person));
        store.close().await;
    }
    Ok(ids)
}

fn private_dir(path: &Path) -> Result<(), Failure> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .map_err(|e| Failure::msg(format!("cannot create {}: {e}", path.display())))
}

fn write_private(path: &Path, data: &[u8]) -> Result<(), Failure> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Failure::msg(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(data)
        .and_then(|()| f.sync_all())
        .map_err(|e| Failure::msg(format!("cannot write {}: {e}", path.display())))
}

fn remove_if_exists(path: &Path) -> Result<(), Failure> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::msg(format!("cannot remove {}: {e}", path.display()))),
    }
}

pub async fn restore(file: &Path, data_dir: &Path, key: &BackupKey, ledgers: &[PathBuf]) -> Result<ExitCode, Failure> {
    // 1. The whole backup checks out before anything on disk changes.
    let verified = backup::verify_backup(file, key)?;
    print_summary(&verified);
    if let Ok(v) = std::env::var("AMPARO_MASTER_KEY")
        && !v.trim().is_empty()
    {
        let env_key =
            MasterKey::from_env_value(v.trim()).map_err(|_| Failure::msg("AMPARO_MASTER_KEY is not a valid key"))?;
        if env_key.fingerprint() != verified.header.key_fingerprint {
            return Err(Failure::msg(
                "AMPARO_MASTER_KEY holds another key than the backup's: unset it (the restored key file is used) or set it to the backup's key",
            ));
        }
    }
    // 2. Every erasure it must re-apply: the backup's ledger, the ledger files given, and
    //    the target installation's own.
    let mut erased: Vec<PersonId> = verified.erased.clone();
    for path in ledgers {
        let text = backup::read_text(path)?;
        erased.extend(backup::parse_ledger_export(&text, &verified.master)?);
    }
    if !holds_nothing_but_restore_leftovers(data_dir) && !key_dir(data_dir).is_dir() {
        return Err(Failure::msg(format!(
            "{} is not empty and is not an Amparo data directory; restore into a new directory or an installation",
            data_dir.display()
        )));
    }
    private_dir(data_dir)?;
    let _lock = DataDirLock::exclusive(data_dir)?;
    erased.extend(existing_erasures(data_dir).await?);

    // 3.–4. Staged inside the data directory, then swapped in; a failure removes the staging.
    let staged = [
        data_dir.join(format!("keys.restore-{}", verified.header.id)),
        data_dir.join(format!("restore-{}.sqlite3", verified.header.id)),
        data_dir.join(format!("restore-{}.sqlite3-wal", verified.header.id)),
        data_dir.join(format!("restore-{}.sqlite3-shm", verified.header.id)),
        data_dir.join(format!("restore-{}.new.sqlite3", verified.header.id)),
    ];
    let result = stage_and_swap(file, data_dir, key, &verified, &erased).await;
    if result.is_err() {
        let _ = fs::remove_dir_all(&staged[0]);
        for f in &staged[1..] {
            let _ = fs::remove_file(f);
        }
    }
    let (shredded, ledger) = result?;
    println!(
        "restored backup {} into {} ({} erasures re-applied, {} persons in the erasure ledger)",
        verified.header.id,
        data_dir.display(),
        shredded,
        ledger
    );
    Ok(ExitCode::SUCCESS)
}

/// True when `dir` is missing, empty, or holds only what a stopped restore leaves behind.
fn holds_nothing_but_restore_leftovers(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).all(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name == "amparo.lock" || name.starts_with("restore-") || name.starts_with("keys.restore-")
        }),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// Stages the backup's keys and database, loads, re-applies the erasures, records the
/// restore, checks the chain and swaps everything in. Returns (erasures re-applied, ledger size).
async fn stage_and_swap(
    file: &Path,
    data_dir: &Path,
    key: &BackupKey,
    verified: &VerifiedBackup,
    erased: &[PersonId],
) -> Result<(usize, usize), Failure> {
    // 3. Keys and database are staged inside the data directory, then swapped in.
    let stage_keys = data_dir.join(format!("keys.restore-{}", verified.header.id));
    let _ = fs::remove_dir_all(&stage_keys);
    private_dir(&stage_keys)?;
    verified
        .master
        .write_new_file(&installation::master_key_path(&stage_keys))
        .map_err(|e| Failure::msg(format!("cannot write the master key ({})", e.code())))?;
    write_private(&stage_keys.join("erasures.ledger"), verified.ledger_text.as_bytes())?;

    let file_config = installation::read_file_config(data_dir)?;
    let postgres_url = installation::database_url(&file_config);
    let stage_db = data_dir.join(format!("restore-{}.sqlite3", verified.header.id));
    for suffix in ["", "-wal", "-shm"] {
        remove_if_exists(&PathBuf::from(format!("{}{suffix}", stage_db.display())))?;
    }
    let target = match &postgres_url {
        // PostgreSQL loads in one transaction: it either holds the whole backup or is unchanged.
        Some(url) => OpenedStore::Postgres(installation::open_postgres(url).await?),
        None => OpenedStore::Sqlite(installation::open_sqlite(&stage_db).await?),
    };
    let store = target.shared();
    backup::load_backup(file, key, verified, store.as_ref()).await?;
    println!("loaded; checksums of the restored database match the manifest");

    let app = Amparo::new(Deps {
        store: Arc::clone(&store),
        keys: Arc::new(KeyRing::new(&verified.master)),
        key_dir: stage_keys.clone(),
        config: installation::config_from(&file_config)?,
        clock: Arc::new(SystemClock),
        password_params: PasswordParams::owasp(),
    });
    let shredded = app.reapply_erasures(erased).await?;
    app.record_restore(verified.header.id, shredded).await?;
    match app.verify_audit_chain().await? {
        ChainVerdict::Intact { entries } => println!("audit chain intact: {entries} entries"),
        ChainVerdict::Broken { at_seq, reason } => {
            return Err(Failure::msg(format!("the restored audit chain is BROKEN at entry {at_seq}: {reason}")));
        }
    }

    let ledger = app.erasure_ledger()?.len();

    // 4. Swap in. SQLite: a fresh copy of the staged database (VACUUM INTO: one closed file,
    //    no log), with the old database's log files removed first so they never meet it.
    if let OpenedStore::Sqlite(staged) = &target {
        let db = amparo_store_sqlite::database_path(data_dir);
        let fresh = data_dir.join(format!("restore-{}.new.sqlite3", verified.header.id));
        remove_if_exists(&fresh)?;
        staged.snapshot_into(&fresh).await.map_err(|e| Failure::msg(format!("SQLite: {e}")))?;
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&fresh, fs::Permissions::from_mode(0o600)).map_err(|e| Failure::msg(e.to_string()))?;
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            remove_if_exists(&PathBuf::from(format!("{}{suffix}", db.display())))?;
        }
        fs::rename(&fresh, &db)
            .map_err(|e| Failure::msg(format!("cannot move the restored database in place: {e}")))?;
        for suffix in ["", "-wal", "-shm"] {
            remove_if_exists(&PathBuf::from(format!("{}{suffix}", stage_db.display())))?;
        }
    }
    let keys = key_dir(data_dir);
    let old_keys = data_dir.join(format!("keys.replaced-{}", verified.header.id));
    if keys.exists() {
        fs::rename(&keys, &old_keys).map_err(|e| Failure::msg(format!("cannot move the old keys aside: {e}")))?;
    }
    fs::rename(&stage_keys, &keys).map_err(|e| Failure::msg(format!("cannot move the restored keys in place: {e}")))?;
    if old_keys.exists() {
        fs::remove_dir_all(&old_keys).map_err(|e| Failure::msg(format!("cannot remove the old keys: {e}")))?;
    }
    Ok((shredded, ledger))
}

pub async fn export_ledger(data_dir: &Path, out: &Path) -> Result<ExitCode, Failure> {
    let inst = Installation::open(data_dir).await?;
    let (text, n) = inst.app.export_erasure_ledger().await?;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .map_err(|e| Failure::msg(format!("cannot create {}: {e}", out.display())))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Failure::msg(format!("cannot write {}: {e}", out.display())))?;
    println!("exported the erasure ledger ({n} persons) to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// The URL without its password, for messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            let hidden = if creds.contains(':') { format!("{user}:…") } else { user.to_owned() };
            format!("{}{hidden}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

pub async fn migrate_store(data_dir: &Path, to: &str) -> Result<ExitCode, Failure> {
    let file = installation::read_file_config(data_dir)?;
    if installation::database_url(&file).is_some() {
        return Err(Failure::msg(
            "this installation already runs on PostgreSQL (AMPARO_DATABASE_URL or database_url is set)",
        ));
    }
    let db = amparo_store_sqlite::database_path(data_dir);
    if !db.exists() {
        return Err(Failure::msg(format!("{} has no SQLite database", data_dir.display())));
    }
    // The keys stay in the data directory: the copy is ciphertext, readable with the same keys.
    installation::read_master_key(data_dir)?;
    let source = installation::open_sqlite(&db).await?;
    let target = installation::open_postgres(to).await?;
    let fail = |e: amparo_store::StoreError| Failure::msg(format!("{e}"));
    if !target.organisations().await.map_err(fail)?.is_empty()
        || target.count_users().await.map_err(fail)? > 0
        || target.audit_head().await.map_err(fail)?.is_some_and(|h| h.seq > 0)
    {
        return Err(Failure::msg(format!(
            "the target database {} is not empty: migrate into a new, empty database",
            redact_url(to)
        )));
    }
    let (have, want) = (source.migrations().await.map_err(fail)?, target.migrations().await.map_err(fail)?);
    if have != want {
        return Err(Failure::msg("the source and target schemas differ; run the same Amparo version on both"));
    }
    let mut sink = LoadSink::new(target.begin_load().await.map_err(fail)?);
    source.dump(&mut sink).await.map_err(fail)?;
    sink.load.commit().await.map_err(fail)?;
    let (mut from, mut into) = (ChecksumSink::default(), ChecksumSink::default());
    source.dump(&mut from).await.map_err(fail)?;
    target.dump(&mut into).await.map_err(fail)?;
    source.close().await;
    if from.tables != into.tables {
        for (a, b) in from.tables.iter().zip(&into.tables) {
            if a != b {
                eprintln!(
                    "table {}: {} rows in SQLite, {} in PostgreSQL; checksums differ",
                    a.table.name, a.rows, b.rows
                );
            }
        }
        return Err(Failure::msg(
            "the copy does not match the source (was the server writing? stop it, empty the target, and run again)",
        ));
    }
    for t in &into.tables {
        println!("  {:<28} {:>10} rows  sha256 {}", t.table.name, t.rows, t.sha256);
    }
    println!("copied {} tables into {}; row counts and checksums match the source", into.tables.len(), redact_url(to));
    println!("The SQLite database is left as it was. Next:");
    println!("  1. stop the server;");
    println!("  2. set AMPARO_DATABASE_URL to this URL (or database_url in {}/amparo.toml);", data_dir.display());
    println!("  3. keep the data directory's keys/ (the same master key reads the copy) and start `amparo serve`.");
    println!("Writes made to SQLite after this copy are not in PostgreSQL: stop the server before migrating.");
    Ok(ExitCode::SUCCESS)
}

/// `[backup]` in amparo.toml: scheduled backups run by `serve`.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Time between backups: a whole number and a unit, `s`, `m` or `h` (`24h`).
    pub interval: Option<String>,
    /// Where backups go (created 0700 if missing).
    pub directory: Option<PathBuf>,
    /// How many backups to keep (the oldest scheduled ones beyond are deleted).
    pub keep: Option<usize>,
    /// The age public key (`age1…`) backups are encrypted to.
    pub recipient: Option<String>,
}

/// The schedule in force: environment (AMPARO_BACKUP_*) over amparo.toml; None when off.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub every: Duration,
    pub directory: PathBuf,
    pub keep: usize,
    pub recipient: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn schedule(file: Option<&ScheduleConfig>) -> Result<Option<Schedule>, Failure> {
    let file = file.cloned().unwrap_or_default();
    let Some(interval) = env("AMPARO_BACKUP_INTERVAL").or(file.interval) else { return Ok(None) };
    let every = parse_interval(&interval)
        .ok_or_else(|| Failure::msg("the backup interval must be a whole number and s, m or h (e.g. 24h)"))?;
    let directory = env("AMPARO_BACKUP_DIR")
        .map(PathBuf::from)
        .or(file.directory)
        .ok_or_else(|| Failure::msg("scheduled backups need a directory (AMPARO_BACKUP_DIR or [backup] directory)"))?;
    let recipient = env("AMPARO_BACKUP_RECIPIENT").or(file.recipient).ok_or_else(|| {
        Failure::msg("scheduled backups need an age recipient (AMPARO_BACKUP_RECIPIENT or [backup] recipient)")
    })?;
    let keep = match env("AMPARO_BACKUP_KEEP") {
        Some(v) => v.trim().parse::<usize>().map_err(|_| Failure::msg("AMPARO_BACKUP_KEEP must be a whole number"))?,
        None => file.keep.unwrap_or(7),
    }
    .max(1);
    // Checked now, so a wrong key stops the start instead of every backup.
    amparo_app::backup::check_recipient(&recipient)?;
    Ok(Some(Schedule { every, directory, keep, recipient }))
}

fn parse_interval(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: u64 = number.trim().parse().ok().filter(|n| *n > 0)?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

const SCHEDULED_PREFIX: &str = "amparo-backup-";
const SCHEDULED_SUFFIX: &str = ".age";

/// Runs scheduled backups until the process ends: one every `every`, the newest `keep` kept.
pub async fn run_schedule(app: Amparo, schedule: Schedule) {
    let mut ticker = tokio::time::interval(schedule.every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await; // the first tick is immediate: the first backup comes one interval after start
    loop {
        ticker.tick().await;
        if let Err(e) = scheduled_backup(&app, &schedule).await {
            tracing::error!(error = %e, "scheduled backup failed");
        }
    }
}

async fn scheduled_backup(app: &Amparo, schedule: &Schedule) -> Result<(), Failure> {
    private_dir(&schedule.directory)?;
    let name = format!("{SCHEDULED_PREFIX}{}{SCHEDULED_SUFFIX}", app.now().format("%Y%m%dT%H%M%S%.6fZ"));
    let out = schedule.directory.join(name);
    let manifest = app.create_backup(&out, &BackupRecipient::PublicKey(schedule.recipient.clone())).await?;
    tracing::info!(backup = %manifest.id, "scheduled backup written");
    // Names sort by time; only our own scheduled files are ever deleted.
    let mut ours: Vec<PathBuf> = fs::read_dir(&schedule.directory)
        .map_err(|e| Failure::msg(format!("backup directory: {e}")))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SCHEDULED_PREFIX) && n.ends_with(SCHEDULED_SUFFIX))
        })
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(schedule.keep);
    for old in ours.into_iter().take(excess) {
        fs::remove_file(&old).map_err(|e| Failure::msg(format!("cannot remove an old backup: {e}")))?;
    }
    Ok(())
}
