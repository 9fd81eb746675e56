//! The audit log: one append-only chain of keyed hashes in `audit_events`, a keyed
//! checkpoint of its head in the key directory (so cutting entries off the end shows), and
//! a single writer that group-commits entries so that auditing every read does not cost a
//! disk sync per request (one SQLite commit with synchronous=FULL is ~3 ms).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use amparo_crypto::KeyRing;
use amparo_store::{AuditDraft, AuditHead, AuditLinker, AuditRecord, GENESIS_HASH, Store, WriteTx};

use crate::error::{AppError, AppResult};

/// Links entries with the installation's audit key.
#[derive(Clone)]
pub struct KeyedLinker(pub Arc<KeyRing>);

impl AuditLinker for KeyedLinker {
    fn link(&self, prev_hash: &[u8], canonical: &[u8]) -> Vec<u8> {
        self.0.audit().link(prev_hash, canonical).to_vec()
    }
}

/// The head of the chain as last committed, kept outside the database.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    path: PathBuf,
    lock_path: PathBuf,
    keys: Arc<KeyRing>,
}

impl std::fmt::Debug for KeyedLinker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedLinker")
    }
}

impl Checkpoint {
    pub fn new(key_dir: &Path, keys: Arc<KeyRing>) -> Self {
        Self { path: key_dir.join("audit.checkpoint"), lock_path: key_dir.join("audit.checkpoint.lock"), keys }
    }

    /// Moves the checkpoint forward to `head` (never back: several processes append, and
    /// a slower one may report an older head after a newer one was written).
    pub fn advance(&self, head: &AuditHead) -> AppResult<()> {
        let io = |e: std::io::Error| AppError::Unavailable(format!("audit checkpoint: {}", e.kind()));
        let lock = OpenOptions::new().create(true).truncate(false).write(true).open(&self.lock_path).map_err(io)?;
        lock.lock().map_err(io)?;
        if let Ok(Some((seq, _))) = self.read()
            && seq >= head.seq
        {
            return Ok(());
        }
        let mac = self.keys.audit().checkpoint_mac(head.seq, &head.hash);
        let text =
            format!("amparo-audit-checkpoint v1 {} {} {}\n", head.seq, hex::encode(&head.hash), hex::encode(mac));
        let tmp = self.path.with_extension("tmp");
        {
            let mut f = File::create(&tmp).map_err(io)?;
            f.write_all(text.as_bytes()).map_err(io)?;
            f.sync_all().map_err(io)?;
        }
        fs::rename(&tmp, &self.path).map_err(io)?;
        Ok(())
    }

    /// The checkpointed head, after checking its MAC. None when there is no checkpoint yet.
    pub fn read(&self) -> AppResult<Option<(i64, Vec<u8>)>> {
        let text = match fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(AppError::Unavailable(format!("audit checkpoint: {}", e.kind()))),
        };
        let bad = || AppError::Integrity("audit checkpoint is malformed or its MAC is wrong".into());
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [magic, version, seq, hash, mac] = parts.as_slice() else { return Err(bad()) };
        if *magic != "amparo-audit-checkpoint" || *version != "v1" {
            return Err(bad());
        }
        let seq: i64 = seq.parse().map_err(|_| bad())?;
        let hash = hex::decode(hash).map_err(|_| bad())?;
        let mac = hex::decode(mac).map_err(|_| bad())?;
        if !self.keys.audit().verify_checkpoint_mac(seq, &hash, &mac) {
            return Err(bad());
        }
        Ok(Some((seq, hash)))
    }
}

type Ack = oneshot::Sender<Result<(), String>>;

/// Appends audit entries: inside a caller's transaction (writes), or through the group-commit
/// writer (reads, sign-ins), which answers only once the batch is durable.
#[derive(Clone, Debug)]
pub struct Auditor {
    store: Arc<dyn Store>,
    linker: KeyedLinker,
    checkpoint: Checkpoint,
    queue: mpsc::Sender<(Vec<AuditDraft>, Ack)>,
}

/// Entries a single group commit takes at most.
const MAX_BATCH: usize = 1024;

impl Auditor {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(store: Arc<dyn Store>, keys: Arc<KeyRing>, key_dir: &Path) -> Self {
        let (queue, rx) = mpsc::channel(4096);
        let auditor =
            Self { store, linker: KeyedLinker(Arc::clone(&keys)), checkpoint: Checkpoint::new(key_dir, keys), queue };
        tokio::spawn(auditor.clone().writer(rx));
        auditor
    }

    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// Records entries and returns once they are durable. Callers fail closed on error.
    pub async fn record(&self, drafts: Vec<AuditDraft>) -> AppResult<()> {
        let (ack, done) = oneshot::channel();
        self.queue.send((drafts, ack)).await.map_err(|_| AppError::Unavailable("audit writer stopped".into()))?;
        done.await.map_err(|_| AppError::Unavailable("audit writer stopped".into()))?.map_err(AppError::Unavailable)
    }

    /// Appends entries inside the caller's transaction and commits it: the change and its
    /// audit entry are durable together or not at all.
    pub async fn commit_with(&self, mut tx: Box<dyn WriteTx>, drafts: &[AuditDraft]) -> AppResult<()> {
        let head = tx.append_audit(drafts, &self.linker).await?;
        tx.commit().await?;
        // The checkpoint only moves on from an entry that is still what it was: if entries were
        // cut off the end and new ones appended since, the old checkpoint stays as evidence
        // and `amparo audit verify` reports the break.
        if let Ok(Some((seq, hash))) = self.checkpoint.read()
            && seq < head.seq
        {
            let at = self.store.audit_events_after(seq - 1, 1).await?;
            if !at.first().is_some_and(|r| r.seq == seq && r.hash == hash) {
                tracing::error!(
                    checkpoint = seq,
                    "the audit chain no longer matches its checkpoint; keeping the checkpoint"
                );
                return Ok(());
            }
        }
        self.checkpoint.advance(&head)
    }

    async fn writer(self, mut rx: mpsc::Receiver<(Vec<AuditDraft>, Ack)>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            let mut n = batch[0].0.len();
            while n < MAX_BATCH {
                match rx.try_recv() {
                    Ok(item) => {
                        n += item.0.len();
                        batch.push(item);
                    }
                    Err(_) => break,
                }
            }
            let drafts: Vec<AuditDraft> = batch.iter().flat_map(|(d, _)| d.iter().cloned()).collect();
            let result = self.append_batch(&drafts).await.map_err(|e| e.to_string());
            if let Err(e) = &result {
                tracing::error!(error = %e, entries = drafts.len(), "audit batch failed");
            }
            for (_, ack) in batch {
                let _ = ack.send(result.clone());
            }
        }
    }

    async fn append_batch(&self, drafts: &[AuditDraft]) -> AppResult<()> {
        let tx = self.store.begin().await?;
        self.commit_with(tx, drafts).await
    }
}

/// The verdict of `amparo audit verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every entry checked; the chain reaches the checkpoint.
    Intact { entries: i64 },
    /// The first entry that does not fit (its seq, or the expected seq where one is missing).
    Broken { at_seq: i64, reason: &'static str },
}

/// Walks a chain entry by entry from the genesis hash: the verifier's rules, shared by
/// `amparo audit verify` and backup verification.
pub(crate) struct ChainWalk<'a> {
    linker: &'a KeyedLinker,
    prev: Vec<u8>,
    expected_seq: i64,
}

impl<'a> ChainWalk<'a> {
    pub(crate) fn new(linker: &'a KeyedLinker) -> Self {
        Self { linker, prev: GENESIS_HASH.to_vec(), expected_seq: 1 }
    }

    /// Checks the next entry; the verdict names the first one that does not fit.
    pub(crate) fn step(&mut self, rec: &AuditRecord) -> Result<(), ChainVerdict> {
        if rec.seq != self.expected_seq {
            return Err(ChainVerdict::Broken { at_seq: self.expected_seq.min(rec.seq), reason: "sequence_gap" });
        }
        if rec.prev_hash != self.prev {
            return Err(ChainVerdict::Broken { at_seq: rec.seq, reason: "previous_hash_mismatch" });
        }
        let want = self.linker.link(&self.prev, &AuditRecord::canonical_bytes(rec.seq, &rec.draft));
        if rec.hash != want {
            return Err(ChainVerdict::Broken { at_seq: rec.seq, reason: "entry_hash_mismatch" });
        }
        self.prev = rec.hash.clone();
        self.expected_seq += 1;
        Ok(())
    }

    /// Entries checked so far, and the hash of the last one (the genesis hash before any).
    pub(crate) fn head(&self) -> (i64, &[u8]) {
        (self.expected_seq - 1, &self.prev)
    }
}

/// Re-computes the whole chain from the first entry and compares it with the checkpoint.
pub async fn verify_chain(store: &dyn Store, linker: &KeyedLinker, checkpoint: &Checkpoint) -> AppResult<ChainVerdict> {
    const PAGE: i64 = 2000;
    let mut walk = ChainWalk::new(linker);
    let mut last: Option<AuditRecord> = None;
    loop {
        let page = store.audit_events_after(walk.head().0, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for rec in &page {
            if let Err(broken) = walk.step(rec) {
                return Ok(broken);
            }
        }
        last = page.last().cloned();
    }
    let entries = walk.head().0;
    match (checkpoint.read()?, last) {
        (None, None) => Ok(ChainVerdict::Intact { entries }),
        (None, Some(_)) => Ok(ChainVerdict::Broken { at_seq: 1, reason: "checkpoint_missing" }),
        (Some((seq, _)), _) if seq > entries => {
            Ok(ChainVerdict::Broken { at_seq: entries + 1, reason: "entries_truncated" })
        }
        (Some((seq, hash)), _) => {
            // The checkpointed entry must be the one in the table: same place, same hash.
            let at = store.audit_events_after(seq - 1, 1).await?;
            match at.first() {
                Some(rec) if rec.seq == seq && rec.hash == hash => Ok(ChainVerdict::Intact { entries }),
                _ => Ok(ChainVerdict::Broken { at_seq: seq, reason: "checkpoint_mismatch" }),
            }
        }
    }
}
