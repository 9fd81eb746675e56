//! The backup container: a tar archive inside one age encryption (docs/backup.md).
//!
//! Entries, in this order (every path under `amparo-backup/`):
//! `header.json` (format, backup id, schema migrations, key fingerprint), `master.key` (the
//! installation's master key, as its key file holds it), then per table `tables/NNNN-T.json`
//! (its name and columns) and its rows in chunks `tables/NNNN-T/CCCCCC.rows` (the canonical
//! row encoding of `amparo_store::dump`), then `erasures.ledger` (the key directory's
//! ledger, read after the snapshot so it holds every erasure the snapshot reflects), and
//! last `manifest.json` (per table: columns, row count, SHA-256 of its rows).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read};
use std::path::Path;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use amparo_store::{DumpSink, DumpTable, DumpValue, StoreError, StoreResult, TableDigest, TableSummary, encode_row};

use super::BackupError;

pub(crate) const HEADER: &str = "amparo-backup/header.json";
pub(crate) const MASTER_KEY: &str = "amparo-backup/master.key";
pub(crate) const LEDGER: &str = "amparo-backup/erasures.ledger";
pub(crate) const MANIFEST: &str = "amparo-backup/manifest.json";
pub(crate) const TABLES: &str = "amparo-backup/tables/";
/// Rows are cut into entries of about this size, so neither side holds a table in memory.
const CHUNK_BYTES: usize = 4 << 20;
/// No entry of ours is larger than a chunk plus one row; a document is at most 100 MiB.
const MAX_ENTRY_BYTES: u64 = 256 << 20;

/// Whom a new backup is encrypted to.
pub enum BackupRecipient {
    /// age's scrypt recipient: the passphrase alone opens the backup.
    Passphrase(SecretString),
    /// An age X25519 public key (`age1…`): only the matching identity file opens it.
    PublicKey(String),
}

impl std::fmt::Debug for BackupRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupRecipient::Passphrase(_) => f.write_str("Passphrase([REDACTED])"),
            BackupRecipient::PublicKey(k) => f.debug_tuple("PublicKey").field(k).finish(),
        }
    }
}

/// What opens a backup.
pub enum BackupKey {
    Passphrase(SecretString),
    Identities(Vec<Box<dyn age::Identity + Send + Sync>>),
}

impl std::fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BackupKey::Passphrase(_) => "Passphrase([REDACTED])",
            BackupKey::Identities(_) => "Identities([REDACTED])",
        })
    }
}

impl BackupKey {
    /// The identities in an age identity file (`age-keygen` output).
    pub fn identity_file(path: &Path) -> Result<BackupKey, BackupError> {
        let file = age::IdentityFile::from_file(path.display().to_string())
            .map_err(|e| BackupError::Unusable(format!("cannot read the identity file ({:?})", e.kind())))?;
        let ids =
            file.into_identities().map_err(|_| BackupError::Unusable("the identity file is not usable".into()))?;
        Ok(BackupKey::Identities(ids))
    }
}

pub(crate) fn encryptor(to: &BackupRecipient) -> Result<age::Encryptor, BackupError> {
    match to {
        BackupRecipient::Passphrase(p) => {
            if p.expose_secret().trim().is_empty() {
                return Err(BackupError::Unusable("the passphrase is empty".into()));
            }
            // age's own work factor: about a second of scrypt on this machine.
            let r = age::scrypt::Recipient::new(p.clone());
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
                .map_err(|_| BackupError::Unusable("cannot encrypt to the passphrase".into()))
        }
        BackupRecipient::PublicKey(k) => {
            let r: age::x25519::Recipient = k
                .trim()
                .parse()
                .map_err(|_| BackupError::Unusable("--recipient is not an age public key (age1…)".into()))?;
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
                .map_err(|_| BackupError::Unusable("cannot encrypt to the recipient".into()))
        }
    }
}

fn decrypt_error(e: age::DecryptError) -> BackupError {
    match e {
        age::DecryptError::NoMatchingKeys
        | age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed => BackupError::WrongKey,
        age::DecryptError::Io(io) => read_error(io),
        age::DecryptError::ExcessiveWork { .. } => {
            BackupError::Unusable("the backup asks for more scrypt work than this machine allows".into())
        }
        age::DecryptError::UnknownFormat | age::DecryptError::InvalidHeader => {
            BackupError::Damaged("not an age-encrypted Amparo backup, or its header was changed".into())
        }
        age::DecryptError::InvalidMac => BackupError::Damaged("the encryption header was changed".into()),
        #[allow(unreachable_patterns)]
        _ => BackupError::Damaged("cannot decrypt".into()),
    }
}

/// An error while reading the decrypted stream: age authenticates every 64 KiB chunk and
/// marks the last one, so a changed byte or a cut file shows here.
pub(crate) fn read_error(e: io::Error) -> BackupError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        io::ErrorKind::InvalidData => {
            BackupError::Damaged("decryption failed: a byte was changed, or the file was cut short".into())
        }
        kind => BackupError::Damaged(format!("unreadable ({kind:?})")),
    }
}

/// Opens and decrypts a backup file; the reader authenticates as it goes.
pub(crate) fn open(path: &Path, key: &BackupKey) -> Result<impl Read + use<>, BackupError> {
    let file = File::open(path).map_err(|e| BackupError::Io(format!("cannot open the backup ({:?})", e.kind())))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(file)).map_err(decrypt_error)?;
    match key {
        BackupKey::Passphrase(p) => {
            if !decryptor.is_scrypt() {
                return Err(BackupError::Unusable(
                    "this backup is encrypted to a public key, not a passphrase (give --identity FILE), or its header was changed".into(),
                ));
            }
            let id = age::scrypt::Identity::new(p.clone());
            decryptor.decrypt(std::iter::once(&id as &dyn age::Identity)).map_err(decrypt_error)
        }
        BackupKey::Identities(ids) => {
            if decryptor.is_scrypt() {
                return Err(BackupError::Unusable(
                    "this backup is protected by a passphrase, not a public key (give --passphrase-stdin), or its header was changed".into(),
                ));
            }
            decryptor.decrypt(ids.iter().map(|b| b.as_ref() as &dyn age::Identity)).map_err(decrypt_error)
        }
    }
}

/// One entry of the archive, read whole (entries are bounded).
pub(crate) fn read_entry<R: Read>(entry: tar::Entry<'_, R>) -> Result<(String, Vec<u8>), BackupError> {
    let path = entry
        .path()
        .map_err(read_error)?
        .to_str()
        .ok_or_else(|| BackupError::Damaged("an entry has a name that is not UTF-8".into()))?
        .to_owned();
    let size = entry.header().size().map_err(read_error)?;
    if size > MAX_ENTRY_BYTES {
        return Err(BackupError::Damaged(format!("entry {path} is too large")));
    }
    let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    entry.take(MAX_ENTRY_BYTES).read_to_end(&mut data).map_err(read_error)?;
    Ok((path, data))
}

/// The path prefix of a table's entries.
pub(crate) fn table_entry(index: usize, name: &str) -> String {
    format!("{TABLES}{index:04}-{name}")
}

/// The writing side: a tar stream inside the age stream inside the output file.
pub(crate) struct ArchiveWriter {
    tar: tar::Builder<age::stream::StreamWriter<BufWriter<File>>>,
}

impl std::fmt::Debug for ArchiveWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ArchiveWriter")
    }
}

fn write_error(e: io::Error) -> BackupError {
    BackupError::Io(format!("cannot write the backup ({:?})", e.kind()))
}

impl ArchiveWriter {
    pub(crate) fn new(file: File, to: &BackupRecipient) -> Result<Self, BackupError> {
        let stream = encryptor(to)?.wrap_output(BufWriter::new(file)).map_err(write_error)?;
        Ok(Self { tar: tar::Builder::new(stream) })
    }

    pub(crate) fn append(&mut self, path: &str, data: &[u8]) -> Result<(), BackupError> {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        self.tar.append_data(&mut header, path, data).map_err(write_error)
    }

    /// Ends the tar stream and the age stream, and makes the file durable.
    pub(crate) fn finish(self) -> Result<(), BackupError> {
        let stream = self.tar.into_inner().map_err(write_error)?;
        let buffered = stream.finish().map_err(write_error)?;
        let file = buffered.into_inner().map_err(|e| write_error(e.into_error()))?;
        file.sync_all().map_err(write_error)
    }
}

/// Receives the dump and writes each table's entries, counting and checksumming as it goes.
pub(crate) struct ArchiveSink {
    pub(crate) writer: ArchiveWriter,
    index: usize,
    current: Option<(DumpTable, TableDigest)>,
    buf: Vec<u8>,
    buf_rows: u64,
    chunk: usize,
    pub(crate) tables: Vec<TableSummary>,
}

impl std::fmt::Debug for ArchiveSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArchiveSink").field("tables", &self.tables.len()).finish_non_exhaustive()
    }
}

fn sink_error(e: BackupError) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl ArchiveSink {
    pub(crate) fn new(writer: ArchiveWriter) -> Self {
        Self { writer, index: 0, current: None, buf: Vec::new(), buf_rows: 0, chunk: 0, tables: Vec::new() }
    }

    fn flush(&mut self) -> StoreResult<()> {
        let Some((table, digest)) = self.current.as_mut() else { return Ok(()) };
        if self.buf_rows == 0 {
            return Ok(());
        }
        self.chunk += 1;
        digest.add_encoded(&self.buf, self.buf_rows);
        let path = format!("{}/{:06}.rows", table_entry(self.index, &table.name), self.chunk);
        self.writer.append(&path, &self.buf).map_err(sink_error)?;
        self.buf.clear();
        self.buf_rows = 0;
        Ok(())
    }
}

#[async_trait]
impl DumpSink for ArchiveSink {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()> {
        self.index += 1;
        self.chunk = 0;
        let json = serde_json::to_vec(table).map_err(|_| StoreError::Database("table description".into()))?;
        self.writer.append(&format!("{}.json", table_entry(self.index, &table.name)), &json).map_err(sink_error)?;
        self.current = Some((table.clone(), TableDigest::default()));
        Ok(())
    }

    async fn rows(&mut self, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        for row in rows {
            encode_row(&mut self.buf, row);
            self.buf_rows += 1;
            if self.buf.len() >= CHUNK_BYTES {
                self.flush()?;
            }
        }
        Ok(())
    }

    async fn end_table(&mut self) -> StoreResult<()> {
        self.flush()?;
        if let Some((table, digest)) = self.current.take() {
            self.tables.push(digest.finish(table));
        }
        Ok(())
    }
}

/// Reads the rest of a decrypted stream, so that age authenticates its last chunk (a file
/// cut after the end of the tar data is refused too).
pub(crate) fn drain<R: Read>(mut reader: R) -> Result<(), BackupError> {
    io::copy(&mut reader, &mut io::sink()).map_err(read_error)?;
    Ok(())
}
