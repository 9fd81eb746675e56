//! Erasure by crypto-shredding: the person's wrapped data key and rows are deleted, so
//! every sealed value of theirs — here or in any old backup — can no longer be opened. The
//! id (random, not personal data) goes into an erasure ledger, in the database and in the
//! key directory, so that a restore re-applies it.
//!
//! Two doors: the operator at the command line (`amparo erase`), who holds the master key
//! anyway; or two people in the application — an administrator asks, and a supervisor who
//! is not the same person approves with their password.

use std::fs::OpenOptions;
use std::io::Write;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use uuid::Uuid;

use amparo_crypto::FieldAad;
use amparo_domain::records::{CaseNumber, PersonFieldError};
use amparo_domain::{Action, Denied, DomainError, PersonId, Resource, UserId, authorize};
use amparo_store::{AuditOutcome, ErasureRequestRow, ErasureRow};

use crate::{Amparo, AppError, AppResult, Caller};

/// The ledger kept beside the keys (one line per erased person).
pub(crate) const LEDGER_FILE: &str = "erasures.ledger";

/// An erasure request as the administrators' and supervisors' page shows it.
#[derive(Clone)]
pub struct ErasureRequestView {
    pub id: Uuid,
    pub person: PersonId,
    pub requested_by: Option<String>,
    pub reason: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub approved: Option<bool>,
    /// The caller may decide it (a supervisor who did not ask for it, while it is pending).
    pub may_decide: bool,
}

impl std::fmt::Debug for ErasureRequestView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasureRequestView")
            .field("id", &self.id)
            .field("approved", &self.approved)
            .finish_non_exhaustive()
    }
}

fn reason_ok(reason: &str) -> AppResult<&str> {
    let r = reason.trim();
    if r.chars().count() < 10 || r.chars().count() > 2000 {
        return Err(AppError::invalid("reason", DomainError::PersonField(PersonFieldError::ReasonTooShort)));
    }
    Ok(r)
}

impl Amparo {
    /// Erases a person at once. Only the operator does this directly.
    pub async fn erase_person(&self, caller: &Caller, person: PersonId, reason: &str) -> AppResult<()> {
        if !matches!(caller, Caller::Operator) {
            return Err(AppError::Forbidden(Denied::RoleLacksPermission));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::invalid("reason", DomainError::PersonField(PersonFieldError::ReasonTooShort)));
        }
        self.shred(caller, person, reason, None, None, None).await
    }

    /// Deletes the person's key and rows, records the erasure, and (inside the same
    /// transaction) the decision on the request that asked for it. A retention run passes
    /// its channel and rule: the audit entry says so.
    pub(crate) async fn shred(
        &self,
        caller: &Caller,
        person: PersonId,
        reason: &str,
        by: Option<UserId>,
        request: Option<Uuid>,
        retention: Option<(crate::Channel, &str)>,
    ) -> AppResult<()> {
        let record = self.load_record(person).await?;
        let org = record.person.org;
        let now = self.now();
        let sealed = self.inner.keys.seal_secret(
            &FieldAad { table: "erasures", column: "reason", row: person.as_uuid().as_bytes() },
            reason.as_bytes(),
        );
        let erasure = ErasureRow { person, org, erased_at: now, erased_by: by, reason: sealed };
        let mut tx = self.inner.store.begin().await?;
        if let (Some(id), Some(by)) = (request, by)
            && !tx.decide_erasure_request(id, by, true, now).await?
        {
            return Err(AppError::Conflict);
        }
        if !tx.erase_person(&erasure).await? {
            return Err(AppError::NotFound);
        }
        let mut d = self.record_draft(caller, "person.erase", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(org);
        d.detail = request.map(|r| format!("request.{r}"));
        if let Some((channel, rule)) = retention {
            d.channel = channel.code().to_owned();
            // An administrator who ran it from the page or the API is the one who erased.
            d.actor = by;
            d.detail = Some(format!("retention.{rule}"));
        }
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.append_ledger(person)?;
        self.inner.store.purge_deleted().await?;
        Ok(())
    }

    /// An administrator asks for a person's erasure, naming them by a case number (they
    /// cannot read records) or by the person's id. Nothing is erased until a supervisor agrees.
    pub async fn request_erasure(&self, caller: &Caller, who: &str, reason: &str) -> AppResult<Uuid> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::Forbidden(Denied::RoleLacksPermission)) };
        if let Err(reason) = authorize(actor, Action::RequestErasure, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "person.erase_request", reason).await);
        }
        let reason = reason_ok(reason)?;
        let person = match who.trim().parse::<PersonId>() {
            Ok(p) => p,
            Err(_) => {
                let number = CaseNumber::parse(who).map_err(|e| AppError::invalid("who", e))?;
                self.inner.store.case_by_number(actor.org, number.as_str()).await?.ok_or(AppError::NotFound)?.person
            }
        };
        let record = self.load_record(person).await?;
        if record.person.org != actor.org {
            return Err(AppError::NotFound);
        }
        let id = Uuid::new_v4();
        let row = ErasureRequestRow {
            id,
            org: actor.org,
            person,
            requested_by: actor.user,
            reason: self.inner.keys.seal_secret(
                &FieldAad { table: "erasure_requests", column: "reason", row: id.as_bytes() },
                reason.as_bytes(),
            ),
            requested_at: self.now(),
            decided_by: None,
            decided_at: None,
            approved: None,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_erasure_request(&row).await?;
        let mut d = self.record_draft(caller, "person.erase_request", AuditOutcome::Ok, "person", *person.as_uuid());
        d.detail = Some(format!("request.{id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    /// The organisation's erasure requests, newest first (administrators and supervisors).
    pub async fn erasure_requests(&self, caller: &Caller) -> AppResult<Vec<ErasureRequestView>> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::Forbidden(Denied::RoleLacksPermission)) };
        let org = Resource::Organisation(actor.org);
        let may_decide = authorize(actor, Action::DecideErasure, org).is_ok();
        if !may_decide && let Err(reason) = authorize(actor, Action::RequestErasure, org) {
            return Err(self.denied(caller, "person.erase_requests", reason).await);
        }
        let users = self.inner.store.users_in_org(actor.org).await?;
        let email = |u: Option<UserId>| u.and_then(|u| users.iter().find(|x| x.id == u).map(|x| x.email.clone()));
        let mut out = Vec::new();
        for r in self.inner.store.erasure_requests(actor.org, 200).await? {
            let reason = self.inner.keys.open_secret(
                &FieldAad { table: "erasure_requests", column: "reason", row: r.id.as_bytes() },
                &r.reason,
            )?;
            out.push(ErasureRequestView {
                id: r.id,
                person: r.person,
                requested_by: email(Some(r.requested_by)),
                reason: String::from_utf8_lossy(&reason).into_owned(),
                requested_at: r.requested_at,
                decided_by: email(r.decided_by),
                decided_at: r.decided_at,
                approved: r.approved,
                may_decide: may_decide && r.approved.is_none() && r.requested_by != actor.user,
            });
        }
        Ok(out)
    }

    /// A supervisor who did not ask for it approves (the person is erased at once) or declines
    /// an erasure request, confirming with their password.
    pub async fn decide_erasure(
        &self,
        caller: &Caller,
        request: Uuid,
        approve: bool,
        password: SecretString,
    ) -> AppResult<()> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::Forbidden(Denied::RoleLacksPermission)) };
        if let Err(reason) = authorize(actor, Action::DecideErasure, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "person.erase_decide", reason).await);
        }
        let row = self
            .inner
            .store
            .erasure_request(request)
            .await?
            .filter(|r| r.org == actor.org)
            .ok_or(AppError::NotFound)?;
        if row.requested_by == actor.user {
            // Two people: whoever asked cannot also agree.
            return Err(self.denied(caller, "person.erase_decide", Denied::RoleLacksPermission).await);
        }
        if row.approved.is_some() {
            return Err(AppError::Conflict);
        }
        let user = self.inner.store.user(actor.user).await?.ok_or(AppError::Unauthenticated)?;
        self.refuse_if_locked(&user)?;
        if !self.inner.passwords.verify(password, user.password_hash.clone()).await? {
            let d =
                self.record_draft(caller, "person.erase_decide", AuditOutcome::Failed, "person", *row.person.as_uuid());
            return Err(match self.count_failure(user.id, d, "wrong_current_password").await {
                AppError::WrongCredentials => AppError::WrongCurrentPassword,
                other => other,
            });
        }
        if approve {
            let reason = self.inner.keys.open_secret(
                &FieldAad { table: "erasure_requests", column: "reason", row: row.id.as_bytes() },
                &row.reason,
            )?;
            self.shred(caller, row.person, &String::from_utf8_lossy(&reason), Some(actor.user), Some(row.id), None)
                .await
        } else {
            let mut tx = self.inner.store.begin().await?;
            if !tx.decide_erasure_request(row.id, actor.user, false, self.now()).await? {
                return Err(AppError::Conflict);
            }
            let mut d =
                self.record_draft(caller, "person.erase_declined", AuditOutcome::Ok, "person", *row.person.as_uuid());
            d.detail = Some(format!("request.{}", row.id));
            self.inner.auditor.commit_with(tx, &[d]).await
        }
    }

    /// Appends to the key directory's ledger, with a keyed MAC per line.
    pub(crate) fn append_ledger(&self, person: PersonId) -> AppResult<()> {
        let io = |e: std::io::Error| AppError::Unavailable(format!("erasure ledger: {}", e.kind()));
        let mac = hex::encode(self.inner.keys.tokens().hash("erasure-ledger", &person.to_string()));
        let mut f =
            OpenOptions::new().create(true).append(true).open(self.inner.key_dir.join(LEDGER_FILE)).map_err(io)?;
        writeln!(f, "{person} {mac}").map_err(io)?;
        f.sync_all().map_err(io)
    }

    /// The persons erased, from the key directory's ledger.
    pub fn erasure_ledger(&self) -> AppResult<Vec<PersonId>> {
        let text = match std::fs::read_to_string(self.inner.key_dir.join(LEDGER_FILE)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(AppError::Unavailable(format!("erasure ledger: {}", e.kind()))),
        };
        parse_ledger(&text, &self.inner.keys)
    }
}

/// The key directory's ledger: one `ID MAC` line per erased person, the MAC keyed by the
/// installation (a line with a wrong MAC is an integrity error, never silently skipped).
pub(crate) fn parse_ledger(text: &str, keys: &amparo_crypto::KeyRing) -> AppResult<Vec<PersonId>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (id, mac) = line.split_once(' ').ok_or_else(|| AppError::Integrity("erasure ledger".into()))?;
        let want = hex::encode(keys.tokens().hash("erasure-ledger", id));
        if want != mac.trim() {
            return Err(AppError::Integrity("erasure ledger".into()));
        }
        out.push(id.parse().map_err(|_| AppError::Integrity("erasure ledger".into()))?);
    }
    Ok(out)
}
