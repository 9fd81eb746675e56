//! Fictitious records for demonstrations and benchmarks (`amparo demo`): built and checked
//! by the same code as intake and case opening, written a batch per transaction.

use chrono::Datelike;

use amparo_domain::records::CaseNumber;
use amparo_domain::{OrgId, UserId};
use amparo_store::AuditOutcome;

use super::cases::CaseFields;
use super::model::PersonFields;
use crate::casework::EntryDetail;
use crate::{Amparo, AppResult, Caller};

/// One fictitious person, their first case, and the work done on it.
#[derive(Clone, Debug, Default)]
pub struct DemoRecord {
    pub person: PersonFields,
    pub case: CaseFields,
    /// Needs, goals, services, appointments, milestones, legal relief and notes on the case,
    /// checked, sealed and turned into tasks as their use cases do.
    pub work: Vec<EntryDetail>,
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
        let today = now.date_naive();
        let leads = self.leads();
        for mut r in batch {
            let (person, identity) = self.build_person(org, by, &mut r.person)?;
            r.case.validate()?;
            let work =
                r.work.iter().map(|w| Ok((w.kind(), w.parts(today, by, &leads)?))).collect::<AppResult<Vec<_>>>()?;
            built.push((person, identity, r.case, work));
        }
        let mut tx = self.inner.store.begin().await?;
        let mut drafts = Vec::with_capacity(built.len() * 8);
        let mut entries = Vec::new();
        let mut tasks = Vec::new();
        let n = built.len();
        for (person, identity, case, work) in built {
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
            // New sources: their tasks are inserted, with every entry, in one statement each
            // at the end of the batch.
            tasks.extend(self.safe_contact_tasks(&person, Some(row.id)));
            let key = self.person_key(&person)?;
            let mut contact = None;
            for (kind, parts) in work {
                let entry = self.new_entry_row(by, &row, &key, kind, &parts)?;
                tasks.extend(self.derived_rows(
                    org,
                    person.id,
                    Some(row.id),
                    *entry.id.as_uuid(),
                    &parts.tasks,
                    entry.staff,
                ));
                contact = contact.max(parts.contact_on.filter(|d| *d <= today));
                drafts.push(self.entry_draft(caller, &format!("{}.create", kind.code()), &row, entry.id));
                entries.push(entry);
            }
            if let Some(on) = contact {
                tx.record_contact(person.id, Some(row.id), on).await?;
            }
        }
        tx.insert_case_entries(&entries).await?;
        tx.insert_tasks(&tasks).await?;
        self.inner.auditor.commit_with(tx, &drafts).await?;
        Ok(n)
    }
}
