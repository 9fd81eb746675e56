//! Fictitious records for demonstrations and benchmarks (`amparo demo`): built and checked
//! by the same code as intake and case opening, written a batch per transaction.

use chrono::Datelike;

use amparo_domain::records::CaseNumber;
use amparo_domain::{OrgId, UserId};
use amparo_store::AuditOutcome;

use super::cases::CaseFields;
use super::model::PersonFields;
use crate::{Amparo, AppResult, Caller};

/// One fictitious person and their first case.
#[derive(Clone, Debug, Default)]
pub struct DemoRecord {
    pub person: PersonFields,
    pub case: CaseFields,
}

impl Amparo {
    /// Writes a batch of fictitious people, each with a case, in one transaction (one durable
    /// commit for the batch). Only the operator seeds data. Returns how many were written.
    pub async fn seed_records(
        &self,
        caller: &Caller,
        org: OrgId,
        by: Option<UserId>,
        batch: Vec<DemoRecord>,
    ) -> AppResult<usize> {
        if !matches!(caller, Caller::Operator) {
            return Err(crate::AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        }
        let now = self.now();
        let mut built = Vec::with_capacity(batch.len());
        for mut r in batch {
            let (person, identity) = self.build_person(org, by, &mut r.person)?;
            r.case.validate()?;
            built.push((person, identity, r.case));
        }
        let mut tx = self.inner.store.begin().await?;
        let mut drafts = Vec::with_capacity(built.len() * 2);
        let n = built.len();
        for (person, identity, case) in built {
            let year = case.opened_on.map_or(now.year(), |d| d.year());
            let seq = tx.next_case_seq(org, year).await?;
            let row = Self::build_case(org, person.id, by, &case, CaseNumber::new(year, seq), now);
            tx.insert_person(&person).await?;
            tx.insert_case(&row).await?;
            tx.set_search_tokens(
                org,
                person.id,
                &self.person_tokens(org, &identity, std::slice::from_ref(&row.number)),
            )
            .await?;
            for (action, kind, id) in
                [("person.create", "person", *person.id.as_uuid()), ("case.create", "case", *row.id.as_uuid())]
            {
                let mut d = self.record_draft(caller, action, AuditOutcome::Ok, kind, id);
                d.org = Some(org);
                d.detail = Some("demo".into());
                drafts.push(d);
            }
        }
        self.inner.auditor.commit_with(tx, &drafts).await?;
        Ok(n)
    }
}
