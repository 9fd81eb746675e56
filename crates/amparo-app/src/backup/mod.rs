//! Backups: an age-encrypted, self-sufficient, verifiable copy of an installation, and the
//! restore that re-applies every erasure it knows (DESIGN.md §3 erasure ledger, §7).
//!
//! The snapshot comes from the store's dump (one consistent read transaction while the
//! server goes on writing): nothing is written in plaintext anywhere, not even a temporary
//! copy of the database. The master key travels inside the encryption, so the backup opens
//! with its passphrase or identity alone.

mod archive;

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use thiserror::Error;
use uuid::Uuid;
use zeroize::Zeroizing;

use amparo_crypto::{KeyRing, MasterKey};
use amparo_domain::PersonId;
use amparo_store::{AuditOutcome, AuditRecord, ChecksumSink, DumpTable, Store, TableDigest, TableSummary, decode_rows};

pub use archive::{BackupKey, BackupRecipient};

use crate::audit::{ChainVerdict, ChainWalk, KeyedLinker};
use crate::records::{LEDGER_FILE, parse_ledger};
use crate::{Amparo, AppError, AppResult, Caller};

/// The format written in `header.json`.
const FORMAT: &str = "amparo-backup";
const FORMAT_VERSION: u32 = 1;
/// What the re-applied erasures say as their reason (sealed in the erasures table).
const REAPPLIED_REASON: &str = "re-applied from the erasure ledger after a restore";
/// The first line of an exported erasure ledger.
const LEDGER_EXPORT_MAGIC: &str = "amparo-erasure-ledger v1";

#[derive(Debug, Error)]
pub enum BackupError {
    #[error("cannot decrypt the backup: wrong passphrase or identity (or its encryption header was changed)")]
    WrongKey,
    #[error("the backup is truncated: the file was cut short")]
    Truncated,
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    #[error("{0}")]
    Unusable(String),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl BackupError {
    pub fn code(&self) -> &'static str {
        match self {
            BackupError::WrongKey => "backup_wrong_key",
            BackupError::Truncated => "backup_truncated",
            BackupError::Damaged(_) => "backup_damaged",
            BackupError::Unusable(_) => "backup_unusable",
            BackupError::Io(_) => "backup_io",
            BackupError::App(e) => e.code(),
        }
    }
}

impl From<amparo_store::StoreError> for BackupError {
    fn from(e: amparo_store::StoreError) -> Self {
        BackupError::App(e.into())
    }
}

/// `header.json`: what the backup is, before any table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupHeader {
    pub format: String,
    pub version: u32,
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub amparo_version: String,
    /// `sqlite` or `postgres`: where it was taken from (it restores into either).
    pub backend: String,
    /// The schema migrations the snapshot's tables follow.
    pub migrations: Vec<i64>,
    /// The master key's fingerprint (not the key).
    pub key_fingerprint: String,
}

/// `manifest.json`: the last entry, what every table must add up to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupManifest {
    pub id: Uuid,
    pub tables: Vec<TableSummary>,
    /// Persons in the erasure ledger that travels with the backup.
    pub erasures: usize,
}

/// A backup that decrypted and checked out: its header and manifest, the key that reads it,
/// and the persons its ledger says are erased.
pub struct VerifiedBackup {
    pub header: BackupHeader,
    pub manifest: BackupManifest,
    pub master: MasterKey,
    /// The key directory's ledger as it travelled (lines with their MACs).
    pub ledger_text: String,
    pub erased: Vec<PersonId>,
    pub audit_entries: i64,
}

impl std::fmt::Debug for VerifiedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedBackup")
            .field("header", &self.header)
            .field("tables", &self.manifest.tables.len())
            .field("erased", &self.erased.len())
            .finish_non_exhaustive()
    }
}

fn damaged(what: &str) -> BackupError {
    BackupError::Damaged(what.to_owned())
}

fn backend_code(store: &dyn Store) -> &'static str {
    match store.backend() {
        amparo_store::Backend::Sqlite => "sqlite",
        amparo_store::Backend::Postgres => "postgres",
    }
}

impl Amparo {
    /// Writes an encrypted backup to `out` (refused if it exists; written to `out.partial`
    /// and renamed when complete, so a file named `out` is always whole). Audited.
    pub async fn create_backup(&self, out: &Path, to: &BackupRecipient) -> Result<BackupManifest, BackupError> {
        if out.exists() {
            return Err(BackupError::Unusable(format!("{} already exists", out.display())));
        }
        let mut partial = out.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&partial)
            .map_err(|e| BackupError::Io(format!("cannot create {} ({:?})", partial.display(), e.kind())))?;
        let id = Uuid::new_v4();
        let written = self.write_backup(file, to, id).await;
        let result = written.and_then(|manifest| {
            fs::rename(&partial, out)
                .map_err(|e| BackupError::Io(format!("cannot rename the finished backup ({:?})", e.kind())))?;
            Ok(manifest)
        });
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        let outcome = if result.is_ok() { AuditOutcome::Ok } else { AuditOutcome::Failed };
        let mut d = self.draft(&Caller::Operator, "backup.create", outcome);
        d.target_kind = Some("backup".into());
        d.target_id = Some(id);
        d.detail = result.as_ref().err().map(|e| e.code().to_owned());
        self.inner.auditor.record(vec![d]).await?;
        result
    }

    async fn write_backup(&self, file: File, to: &BackupRecipient, id: Uuid) -> Result<BackupManifest, BackupError> {
        let store = self.inner.store.as_ref();
        let master = self.inner.keys.export_master();
        let header = BackupHeader {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            id,
            created_at: self.now(),
            amparo_version: env!("CARGO_PKG_VERSION").into(),
            backend: backend_code(store).into(),
            migrations: store.migrations().await?,
            key_fingerprint: master.fingerprint(),
        };
        let mut writer = archive::ArchiveWriter::new(file, to)?;
        writer.append(archive::HEADER, &serde_json::to_vec_pretty(&header).map_err(|_| damaged("header"))?)?;
        writer.append(archive::MASTER_KEY, master.file_text().as_bytes())?;
        let mut sink = archive::ArchiveSink::new(writer);
        store.dump(&mut sink).await?;
        // After the snapshot: the ledger then holds every erasure the snapshot reflects.
        let ledger_text = self.ledger_text()?;
        let erasures = parse_ledger(&ledger_text, &self.inner.keys)?.len();
        let manifest = BackupManifest { id, tables: std::mem::take(&mut sink.tables), erasures };
        let mut writer = sink.writer;
        writer.append(archive::LEDGER, ledger_text.as_bytes())?;
        writer.append(archive::MANIFEST, &serde_json::to_vec_pretty(&manifest).map_err(|_| damaged("manifest"))?)?;
        writer.finish()?;
        Ok(manifest)
    }

    fn ledger_text(&self) -> AppResult<String> {
        match fs::read_to_string(self.inner.key_dir.join(LEDGER_FILE)) {
            Ok(t) => Ok(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(AppError::Unavailable(format!("erasure ledger: {}", e.kind()))),
        }
    }

    /// Re-applies erasures after a restore, through the same path as `amparo erase`: a
    /// person still present is crypto-shredded (key and rows deleted, audited); a person
    /// absent is only added to the key directory's ledger. Returns how many were shredded.
    pub async fn reapply_erasures(&self, persons: &[PersonId]) -> AppResult<usize> {
        let known: BTreeSet<PersonId> = self.erasure_ledger()?.into_iter().collect();
        let wanted: BTreeSet<PersonId> = persons.iter().copied().collect();
        let mut shredded = 0;
        for person in wanted {
            if self.inner.store.person(person).await?.is_some() {
                self.erase_person(&Caller::Operator, person, REAPPLIED_REASON).await?;
                shredded += 1;
            } else if !known.contains(&person) {
                self.append_ledger(person)?;
            }
        }
        Ok(shredded)
    }

    /// Records a finished restore in the (restored) audit chain.
    pub async fn record_restore(&self, backup: Uuid, shredded: usize) -> AppResult<()> {
        let mut d = self.draft(&Caller::Operator, "backup.restore", AuditOutcome::Ok);
        d.target_kind = Some("backup".into());
        d.target_id = Some(backup);
        d.detail = Some(format!("erasures_reapplied.{shredded}"));
        self.inner.auditor.record(vec![d]).await
    }

    /// Every person this installation erased (its key directory's ledger and its erasures
    /// table), as the text of an exported ledger: ids only, with a MAC under this
    /// installation's key so a restore can tell it was not changed. Audited.
    pub async fn export_erasure_ledger(&self) -> AppResult<(String, usize)> {
        let mut ids: BTreeSet<PersonId> = self.erasure_ledger()?.into_iter().collect();
        ids.extend(self.inner.store.erasures().await?.into_iter().map(|e| e.person));
        let mut body = String::new();
        for id in &ids {
            body.push_str(&id.to_string());
            body.push('\n');
        }
        let mac = hex::encode(self.inner.keys.tokens().hash("erasure-ledger-export", &body));
        let mut d = self.draft(&Caller::Operator, "erasure_ledger.export", AuditOutcome::Ok);
        d.detail = Some(format!("persons.{}", ids.len()));
        self.inner.auditor.record(vec![d]).await?;
        Ok((format!("{LEDGER_EXPORT_MAGIC}\n{body}mac {mac}\n"), ids.len()))
    }
}

/// The persons in a key directory's ledger, its MACs checked with `master`.
pub fn ledger_ids(text: &str, master: &MasterKey) -> Result<Vec<PersonId>, BackupError> {
    Ok(parse_ledger(text, &KeyRing::new(master))?)
}

/// Checks that `recipient` is an age public key (for a schedule, before the first backup).
pub fn check_recipient(recipient: &str) -> Result<(), BackupError> {
    archive::encryptor(&BackupRecipient::PublicKey(recipient.to_owned())).map(|_| ())
}

/// Reads an exported ledger (`amparo erasure-ledger export`), checking its MAC with the
/// keys of the installation that exported it.
pub fn parse_ledger_export(text: &str, master: &MasterKey) -> Result<Vec<PersonId>, BackupError> {
    let bad = || {
        BackupError::Unusable(
            "the erasure ledger file is not an exported ledger of this installation, or it was changed".into(),
        )
    };
    let rest = text.strip_prefix(LEDGER_EXPORT_MAGIC).and_then(|r| r.strip_prefix('\n')).ok_or_else(bad)?;
    let mac_at = rest.rfind("mac ").ok_or_else(bad)?;
    let (body, mac_line) = rest.split_at(mac_at);
    let mac = mac_line.strip_prefix("mac ").map(str::trim).ok_or_else(bad)?;
    let keys = KeyRing::new(master);
    if hex::encode(keys.tokens().hash("erasure-ledger-export", body)) != mac {
        return Err(bad());
    }
    body.lines().filter(|l| !l.trim().is_empty()).map(|l| l.trim().parse::<PersonId>().map_err(|_| bad())).collect()
}

/// Decrypts a backup and checks all of it: the order of its entries, every table's row
/// count and SHA-256 against the manifest, the audit chain inside the snapshot (with the
/// key inside the backup), the audit head, and the erasure ledger's MACs. Nothing is written.
pub fn verify_backup(path: &Path, key: &BackupKey) -> Result<VerifiedBackup, BackupError> {
    let reader = archive::open(path, key)?;
    let mut tar = tar::Archive::new(reader);
    let header: BackupHeader;
    let master: MasterKey;
    let mut tables: Vec<(String, DumpTable, TableDigest)> = Vec::new();
    let mut ledger: Option<(String, Vec<PersonId>)> = None;
    let mut manifest: Option<BackupManifest> = None;
    let mut audit_head: Option<(i64, Vec<u8>)> = None;
    let mut walk_state: Option<(i64, Vec<u8>)> = None;
    {
        let mut entries = tar.entries().map_err(archive::read_error)?;
        // header, then key: both must come first.
        let (path, data) =
            archive::read_entry(entries.next().ok_or_else(|| damaged("empty archive"))?.map_err(archive::read_error)?)?;
        if path != archive::HEADER {
            return Err(damaged("the header is missing"));
        }
        let h: BackupHeader = serde_json::from_slice(&data).map_err(|_| damaged("the header is unreadable"))?;
        if h.format != FORMAT || h.version != FORMAT_VERSION {
            return Err(BackupError::Unusable(format!(
                "not a backup this version reads (format {} v{})",
                h.format, h.version
            )));
        }
        header = h;
        let (path, data) = archive::read_entry(
            entries.next().ok_or_else(|| damaged("the key is missing"))?.map_err(archive::read_error)?,
        )?;
        let data = Zeroizing::new(data);
        if path != archive::MASTER_KEY {
            return Err(damaged("the key is missing"));
        }
        let text = std::str::from_utf8(&data).map_err(|_| damaged("the key is unreadable"))?;
        let key = MasterKey::from_env_value(text).map_err(|_| damaged("the key is unreadable"))?;
        if header.key_fingerprint != key.fingerprint() {
            return Err(damaged("the key does not match the header's fingerprint"));
        }
        let linker_holder = Arc::new(KeyRing::new(&key));
        let linker = KeyedLinker(Arc::clone(&linker_holder));
        master = key;
        let mut walk: Option<ChainWalk<'_>> = None;
        for entry in entries {
            let (path, data) = archive::read_entry(entry.map_err(archive::read_error)?)?;
            if manifest.is_some() {
                return Err(damaged("entries after the manifest"));
            }
            if path == archive::LEDGER {
                let text = String::from_utf8(data).map_err(|_| damaged("the erasure ledger is unreadable"))?;
                let ids = parse_ledger(&text, &linker_holder)
                    .map_err(|_| damaged("the erasure ledger's MACs do not match"))?;
                ledger = Some((text, ids));
            } else if path == archive::MANIFEST {
                manifest = Some(serde_json::from_slice(&data).map_err(|_| damaged("the manifest is unreadable"))?);
            } else if let Some(rest) = path.strip_prefix(archive::TABLES) {
                if ledger.is_some() {
                    return Err(damaged("a table after the ledger"));
                }
                if rest.ends_with(".json") {
                    let table: DumpTable =
                        serde_json::from_slice(&data).map_err(|_| damaged("a table description is unreadable"))?;
                    let prefix = archive::table_entry(tables.len() + 1, &table.name);
                    if path != format!("{prefix}.json") {
                        return Err(damaged("tables out of order"));
                    }
                    if table.name == "audit_events" {
                        walk = Some(ChainWalk::new(&linker));
                    }
                    tables.push((prefix, table, TableDigest::default()));
                } else {
                    let (prefix, table, digest) = tables.last_mut().ok_or_else(|| damaged("rows before a table"))?;
                    if !path.starts_with(&format!("{prefix}/")) {
                        return Err(damaged("rows out of place"));
                    }
                    let rows = decode_rows(&data, table.columns.len()).map_err(|_| damaged("a row is malformed"))?;
                    digest.add_encoded(&data, rows.len() as u64);
                    if table.name == "audit_events" {
                        let w = walk.as_mut().ok_or_else(|| damaged("audit rows out of place"))?;
                        for row in &rows {
                            let rec = AuditRecord::from_dump(&table.columns, row)
                                .map_err(|_| damaged("an audit entry is malformed"))?;
                            if let Err(ChainVerdict::Broken { at_seq, reason }) = w.step(&rec) {
                                return Err(BackupError::Damaged(format!(
                                    "the audit chain inside is broken at entry {at_seq}: {reason}"
                                )));
                            }
                        }
                    } else if table.name == "audit_head" {
                        for row in &rows {
                            let col = |c: &str| table.columns.iter().position(|x| x == c).and_then(|i| row.get(i));
                            if let (Some(amparo_store::DumpValue::Int(seq)), Some(amparo_store::DumpValue::Bytes(h))) =
                                (col("seq"), col("hash"))
                            {
                                audit_head = Some((*seq, h.clone()));
                            }
                        }
                    }
                }
            } else {
                return Err(damaged("an unknown entry"));
            }
        }
        if let Some(w) = walk {
            let (n, h) = w.head();
            walk_state = Some((n, h.to_vec()));
        }
    }
    archive::drain(tar.into_inner())?;
    let manifest = manifest.ok_or(BackupError::Truncated)?;
    let (ledger_text, erased) = ledger.ok_or_else(|| damaged("the erasure ledger is missing"))?;
    if manifest.id != header.id {
        return Err(damaged("the manifest belongs to another backup"));
    }
    let found: Vec<TableSummary> = tables.into_iter().map(|(_, t, d)| d.finish(t)).collect();
    if found.len() != manifest.tables.len() {
        return Err(damaged("tables are missing"));
    }
    for (got, want) in found.iter().zip(&manifest.tables) {
        if got != want {
            return Err(BackupError::Damaged(format!("table {} does not match its checksum", want.table.name)));
        }
    }
    let (entries, last_hash) = walk_state.ok_or_else(|| damaged("the audit log is missing"))?;
    match audit_head {
        Some((seq, hash)) if seq == entries && hash == last_hash => {}
        _ => return Err(damaged("the audit head does not match the last audit entry")),
    }
    if manifest.erasures != erased.len() {
        return Err(damaged("the erasure ledger does not match the manifest"));
    }
    Ok(VerifiedBackup { header, manifest, master, ledger_text, erased, audit_entries: entries })
}

/// Loads a verified backup into `store` (one transaction that first empties it), then checks
/// that the store now dumps to exactly the manifest's counts and checksums.
pub async fn load_backup(
    path: &Path,
    key: &BackupKey,
    verified: &VerifiedBackup,
    store: &dyn Store,
) -> Result<(), BackupError> {
    let have = store.migrations().await?;
    if have != verified.header.migrations {
        return Err(BackupError::Unusable(format!(
            "the backup's schema ({} migrations) is not this version's ({} migrations): restore it with Amparo {}",
            verified.header.migrations.len(),
            have.len(),
            verified.header.amparo_version
        )));
    }
    let reader = archive::open(path, key)?;
    let mut tar = tar::Archive::new(reader);
    let mut load = store.begin_load().await?;
    {
        let mut current: Option<DumpTable> = None;
        for entry in tar.entries().map_err(archive::read_error)? {
            let (path, data) = archive::read_entry(entry.map_err(archive::read_error)?)?;
            let Some(rest) = path.strip_prefix(archive::TABLES) else { continue };
            if rest.ends_with(".json") {
                current =
                    Some(serde_json::from_slice(&data).map_err(|_| damaged("a table description is unreadable"))?);
            } else {
                let table = current.as_ref().ok_or_else(|| damaged("rows before a table"))?;
                let rows = decode_rows(&data, table.columns.len()).map_err(|_| damaged("a row is malformed"))?;
                load.insert_rows(table, &rows).await?;
            }
        }
    }
    archive::drain(tar.into_inner())?;
    load.commit().await?;
    let mut sums = ChecksumSink::default();
    store.dump(&mut sums).await?;
    if sums.tables != verified.manifest.tables {
        return Err(damaged("the restored database does not match the manifest"));
    }
    Ok(())
}

/// Reads a whole file (a ledger given on the command line).
pub fn read_text(path: &Path) -> Result<String, BackupError> {
    let mut s = String::new();
    File::open(path)
        .and_then(|mut f| f.read_to_string(&mut s))
        .map_err(|e| BackupError::Io(format!("cannot read {} ({:?})", path.display(), e.kind())))?;
    Ok(s)
}
