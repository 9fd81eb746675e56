//! Erasure by crypto-shredding: the person's wrapped data key and rows are deleted, so
//! every sealed value of theirs — here or in any old backup — can no longer be opened. The
//! id (random, not personal data) goes into an erasure ledger, in the database and in the
//! key directory, so that a restore re-applies it.

use std::fs::OpenOptions;
use std::io::Write;

use amparo_domain::PersonId;
use amparo_store::{AuditOutcome, ErasureRow};

use crate::{Amparo, AppError, AppResult, Caller};

/// The ledger kept beside the keys (one line per erased person).
pub(crate) const LEDGER_FILE: &str = "erasures.ledger";

impl Amparo {
    /// Erases a person. Only the operator (who holds the master key) does this directly; the
    /// two-person page workflow calls it once a supervisor has approved.
    pub async fn erase_person(&self, caller: &Caller, person: PersonId, reason: &str) -> AppResult<()> {
        if !matches!(caller, Caller::Operator) {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid(
                "reason",
                amparo_domain::DomainError::PersonField(amparo_domain::records::PersonFieldError::ReasonTooShort),
            ));
        }
        let record = self.load_record(person).await?;
        let org = record.person.org;
        let now = self.now();
        let sealed = self.inner.keys.seal_secret(
            &amparo_crypto::FieldAad { table: "erasures", column: "reason", row: person.as_uuid().as_bytes() },
            reason.as_bytes(),
        );
        let erasure = ErasureRow { person, org, erased_at: now, erased_by: None, reason: sealed };
        let mut tx = self.inner.store.begin().await?;
        if !tx.erase_person(&erasure).await? {
            return Err(AppError::NotFound);
        }
        let mut d = self.record_draft(caller, "person.erase", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(org);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.append_ledger(person)?;
        self.inner.store.purge_deleted().await?;
        Ok(())
    }

    /// Appends to the key directory's ledger, with a keyed MAC per line.
    fn append_ledger(&self, person: PersonId) -> AppResult<()> {
        let io = |e: std::io::Error| AppError::Unavailable(format!("erasure ledger: {}", e.kind()));
        let mac = hex::encode(self.inner.keys.tokens().hash("erasure-ledger", &person.to_string()));
        let mut f =
            OpenOptions::new().create(true).append(true).open(self.inner.key_dir.join(LEDGER_FILE)).map_err(io)?;
        writeln!(f, "{person} {mac}").map_err(io)?;
        f.sync_all().map_err(io)
    }

    /// The persons erased, from the key directory's ledger (lines with a wrong MAC are
    /// reported as an integrity error, never silently skipped).
    pub fn erasure_ledger(&self) -> AppResult<Vec<PersonId>> {
        let text = match std::fs::read_to_string(self.inner.key_dir.join(LEDGER_FILE)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(AppError::Unavailable(format!("erasure ledger: {}", e.kind()))),
        };
        let mut out = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (id, mac) = line.split_once(' ').ok_or_else(|| AppError::Integrity("erasure ledger".into()))?;
            let want = hex::encode(self.inner.keys.tokens().hash("erasure-ledger", id));
            if want != mac.trim() {
                return Err(AppError::Integrity("erasure ledger".into()));
            }
            out.push(id.parse().map_err(|_| AppError::Integrity("erasure ledger".into()))?);
        }
        Ok(out)
    }
}
