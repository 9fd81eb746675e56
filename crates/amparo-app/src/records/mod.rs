//! Survivor records: the person and their cases, sealed with the person's own data key,
//! found through blind-index tokens, every read and change audited.

mod access_log;
mod bulk;
mod cases;
mod consents;
mod demo;
mod erasure;
mod model;
mod outreach;
mod persons;

use std::collections::HashMap;

use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use amparo_crypto::{DataKey, FieldAad};
use amparo_domain::{Action, Actor, CaseId, Denied, PersonId, RecordScope, Resource, UserId, authorize};
use amparo_store::{AuditDraft, AuditOutcome, CaseRow, PersonRow};

use crate::{Amparo, AppError, AppResult, Caller};

pub use access_log::AccessLogEntry;
pub use bulk::{ExportedPerson, ImportResult, ImportRowCheck, RecordsExport, RowProblem};
pub use cases::{CaseFields, CaseListItem, CaseView};
pub use consents::{ConsentInput, ConsentView};
pub use demo::DemoRecord;
pub use erasure::ErasureRequestView;
pub(crate) use erasure::{LEDGER_FILE, parse_ledger};
pub(crate) use model::Identity;
pub use model::{PersonFields, SafeContact};
pub use persons::{CreatedPerson, DuplicateHint, PersonView, SEARCH_LIMIT, SearchHit, SearchResults};

/// A person's record as loaded for one decision: the row, their cases, who may see them.
pub(crate) struct Record {
    pub person: PersonRow,
    pub cases: Vec<CaseRow>,
    /// Unexpired break-glass grants per case.
    pub grants: HashMap<CaseId, Vec<UserId>>,
}

pub(crate) fn case_scope(c: &CaseRow, grants: &HashMap<CaseId, Vec<UserId>>) -> RecordScope {
    let mut team = c.team.clone();
    if let Some(a) = c.assigned_to
        && !team.contains(&a)
    {
        team.push(a);
    }
    RecordScope {
        org: c.org,
        restricted_to: c.restricted.then(|| team.clone()),
        team,
        break_glass: grants.get(&c.id).cloned().unwrap_or_default(),
    }
}

impl Record {
    /// The scopes through which the person may be seen: each of their cases, or, before any
    /// case is opened, the person who took the intake.
    pub fn scopes(&self) -> Vec<RecordScope> {
        if self.cases.is_empty() {
            vec![RecordScope {
                org: self.person.org,
                team: self.person.created_by.into_iter().collect(),
                restricted_to: None,
                break_glass: Vec::new(),
            }]
        } else {
            self.cases.iter().map(|c| case_scope(c, &self.grants)).collect()
        }
    }

    /// The cases this caller may see: a restricted case of the same person stays hidden
    /// (its number too) from those not named on it.
    pub fn visible_cases(&self, caller: &Caller) -> Vec<&CaseRow> {
        self.cases
            .iter()
            .filter(|c| match caller {
                Caller::Operator => true,
                Caller::User { actor, .. } => authorize(
                    actor,
                    Action::ReadRecord(amparo_domain::Section::Summary),
                    Resource::Record(&case_scope(c, &self.grants)),
                )
                .is_ok(),
            })
            .collect()
    }

    /// Allowed when any scope allows; otherwise the reason of the first refusal.
    pub fn check(&self, actor: &Actor, action: Action) -> Result<(), Denied> {
        let mut first = None;
        for scope in self.scopes() {
            match authorize(actor, action, Resource::Record(&scope)) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        Err(first.unwrap_or(Denied::NotOnTeam))
    }
}

/// The command line holds the master key: it acts on any record, audited on its channel.
pub(crate) fn may(record: &Record, caller: &Caller, action: Action) -> Result<(), Denied> {
    match caller {
        Caller::Operator => Ok(()),
        Caller::User { actor, .. } => record.check(actor, action),
    }
}

/// The access question for what hangs on a person and maybe one of their cases (documents,
/// screenings): through its case when it has one (a restricted case keeps what is attached
/// to it to its team), else through any of the person's scopes.
pub(crate) fn may_through(
    record: &Record,
    case: Option<&CaseRow>,
    caller: &Caller,
    action: Action,
) -> Result<(), Denied> {
    match (caller, case) {
        (Caller::Operator, _) => Ok(()),
        (Caller::User { actor, .. }, Some(c)) => {
            authorize(actor, action, Resource::Record(&case_scope(c, &record.grants)))
        }
        (Caller::User { actor, .. }, None) => record.check(actor, action),
    }
}

impl Amparo {
    /// Loads a person with what decides access. An erased person is `Gone`.
    pub(crate) async fn load_record(&self, id: PersonId) -> AppResult<Record> {
        let Some(person) = self.inner.store.person(id).await? else {
            return Err(match self.inner.store.erasure(id).await? {
                Some(_) => AppError::Gone,
                None => AppError::NotFound,
            });
        };
        let cases = self.inner.store.cases_of_person(id).await?;
        let now = self.now();
        let mut grants = HashMap::new();
        for c in &cases {
            let active = self.inner.store.active_break_glass(c.id, now).await?;
            if !active.is_empty() {
                grants.insert(c.id, active.into_iter().map(|g| g.user).collect());
            }
        }
        Ok(Record { person, cases, grants })
    }

    /// Several people at once for lists (two queries, in the order of `ids`), without their
    /// break-glass grants: enough wherever a grant is looked for only when nothing else allows.
    pub(crate) async fn load_records(&self, ids: &[PersonId]) -> AppResult<Vec<Record>> {
        let mut persons = self.inner.store.persons(ids).await?;
        let mut cases = self.inner.store.cases_of_persons(ids).await?;
        let mut out = Vec::with_capacity(persons.len());
        for id in ids {
            if let Some(i) = persons.iter().position(|p| p.id == *id) {
                let person = persons.swap_remove(i);
                let (mine, rest): (Vec<CaseRow>, Vec<CaseRow>) = cases.into_iter().partition(|c| c.person == *id);
                cases = rest;
                out.push(Record { person, cases: mine, grants: HashMap::new() });
            }
        }
        Ok(out)
    }

    /// Refuses (and audits the refusal of) an action on a record. Another organisation's
    /// record is "not found"; one's own organisation's is "forbidden" (so break-glass can be
    /// offered).
    pub(crate) async fn require(&self, caller: &Caller, record: &Record, action: Action, code: &str) -> AppResult<()> {
        match may(record, caller, action) {
            Ok(()) => Ok(()),
            Err(reason) => {
                let mut d =
                    self.record_draft(caller, code, AuditOutcome::Denied, "person", *record.person.id.as_uuid());
                d.detail = Some(reason.code().to_owned());
                self.inner.auditor.record(vec![d]).await?;
                Err(if reason == Denied::OtherOrganisation { AppError::NotFound } else { AppError::Forbidden(reason) })
            }
        }
    }

    pub(crate) fn record_draft(
        &self,
        caller: &Caller,
        action: &str,
        outcome: AuditOutcome,
        kind: &str,
        id: Uuid,
    ) -> AuditDraft {
        let mut d = self.draft(caller, action, outcome);
        d.target_kind = Some(kind.to_owned());
        d.target_id = Some(id);
        d
    }

    /// Records a read before the data is handed out: no audit, no data (fail closed).
    pub(crate) async fn audit_read(
        &self,
        caller: &Caller,
        action: &str,
        kind: &str,
        id: Uuid,
        org: amparo_domain::OrgId,
    ) -> AppResult<()> {
        if !self.inner.config.audit_reads {
            return Ok(());
        }
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, kind, id);
        d.org = Some(org);
        self.inner.auditor.record(vec![d]).await
    }

    pub(crate) fn person_key(&self, row: &PersonRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_data_key(row.id, &row.wrapped_key)?)
    }
}

/// Seals a value of a person's record, bound to the table, column and row.
pub(crate) fn seal_json<T: Serialize>(
    key: &DataKey,
    table: &str,
    column: &str,
    row: Uuid,
    value: &T,
) -> AppResult<Vec<u8>> {
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(value).map_err(|_| AppError::Integrity("encode".into()))?);
    Ok(key.seal(&FieldAad { table, column, row: row.as_bytes() }, &plain))
}

pub(crate) fn open_json<T: DeserializeOwned>(
    key: &DataKey,
    table: &str,
    column: &str,
    row: Uuid,
    sealed: &[u8],
) -> AppResult<T> {
    let plain = key.open(&FieldAad { table, column, row: row.as_bytes() }, sealed)?;
    serde_json::from_slice(&plain).map_err(|_| AppError::Integrity(format!("{table}.{column}")))
}
