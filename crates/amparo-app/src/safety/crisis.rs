//! The crisis log: crisis contacts with a person (when, what happened in a few words, what
//! was done, where they were referred), all text sealed, each asking for a follow-up task.
//! The log is append-only: a crisis contact is a record of what happened, not a draft.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use amparo_domain::records::safety::{CrisisContactId, crisis_follow_up, crisis_summary, crisis_time, plan_text};
use amparo_domain::{Action, DomainError, PersonId, Section, TaskId, UserId};
use amparo_store::{AuditOutcome, CrisisContactRow};

use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "crisis_contacts";
/// Contacts listed at most, the most recent first.
const LOG_LIMIT: i64 = 200;

/// A crisis contact to log, as the API and the form send it.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisContactInput {
    /// When it happened (RFC 3339); absent: now.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    /// What happened, in a few words (required, at most 500 characters).
    #[serde(default)]
    pub what_happened: String,
    /// What was done (safety steps, who was called).
    #[serde(default)]
    pub actions_taken: Option<String>,
    /// Where the person was referred (shelter, clinic, legal aid, hotline).
    #[serde(default)]
    pub referrals_made: Option<String>,
}

impl std::fmt::Debug for CrisisContactInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrisisContactInput").field("occurred_at", &self.occurred_at).finish_non_exhaustive()
    }
}

/// Sealed as the `content` column.
#[derive(Serialize, Deserialize)]
struct CrisisTexts {
    what_happened: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actions_taken: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referrals_made: Option<String>,
}

/// A crisis contact as a reader sees it.
#[derive(Clone, Serialize)]
pub struct CrisisContactView {
    pub id: CrisisContactId,
    pub person_id: PersonId,
    pub occurred_at: DateTime<Utc>,
    pub what_happened: String,
    pub actions_taken: Option<String>,
    pub referrals_made: Option<String>,
    pub created_by: Option<UserId>,
    #[serde(skip)]
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The follow-up task this contact created (when it was just logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up_task: Option<TaskId>,
}

impl std::fmt::Debug for CrisisContactView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrisisContactView")
            .field("id", &self.id)
            .field("occurred_at", &self.occurred_at)
            .finish_non_exhaustive()
    }
}

fn view(row: &CrisisContactRow, texts: CrisisTexts) -> CrisisContactView {
    CrisisContactView {
        id: row.id,
        person_id: row.person,
        occurred_at: row.occurred_at,
        what_happened: texts.what_happened,
        actions_taken: texts.actions_taken,
        referrals_made: texts.referrals_made,
        created_by: row.created_by,
        created_by_name: None,
        created_at: row.created_at,
        follow_up_task: None,
    }
}

impl Amparo {
    /// Logs a crisis contact (texts sealed) and creates its follow-up task, due the next day,
    /// for the person's current case and assigned to that case's assignee — or, before any
    /// case is opened or assigned, to the one who logged it, so that someone owns it. Needs
    /// `WriteRecord(Safety)`.
    pub async fn log_crisis_contact(
        &self,
        caller: &Caller,
        person: PersonId,
        input: CrisisContactInput,
    ) -> AppResult<CrisisContactView> {
        let record = self.safety_record(caller, person, Action::WriteRecord(Section::Safety), "crisis.log").await?;
        let invalid = |field: &'static str| move |e| AppError::invalid(field, DomainError::CaseWork(e));
        let now = self.now();
        let occurred_at = crisis_time(input.occurred_at.unwrap_or(now), now).map_err(invalid("occurred_at"))?;
        let texts = CrisisTexts {
            what_happened: crisis_summary(&input.what_happened).map_err(invalid("what_happened"))?,
            actions_taken: plan_text(input.actions_taken.as_deref()).map_err(invalid("actions_taken"))?,
            referrals_made: plan_text(input.referrals_made.as_deref()).map_err(invalid("referrals_made"))?,
        };
        let key = self.person_key(&record.person)?;
        let id = CrisisContactId::new();
        let row = CrisisContactRow {
            id,
            org: record.person.org,
            person,
            occurred_at,
            content: seal_json(&key, TABLE, "content", *id.as_uuid(), &texts)?,
            created_by: caller.user(),
            created_at: now,
        };
        let case = crate::casework::current_case(&record.cases);
        let assignee =
            case.and_then(|c| record.cases.iter().find(|r| r.id == c)).and_then(|c| c.assigned_to).or(caller.user());
        let due = [crisis_follow_up(occurred_at.date_naive())];
        let tasks = self.derived_rows(row.org, person, case, *id.as_uuid(), &due, assignee);
        let mut tx = self.inner.store.begin().await?;
        tx.insert_crisis_contact(&row).await?;
        tx.replace_derived_tasks(*id.as_uuid(), &tasks).await?;
        let mut d = self.record_draft(caller, "crisis.log", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("crisis.{id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let mut out = view(&row, texts);
        out.follow_up_task = tasks.first().map(|t| t.id);
        Ok(out)
    }

    /// The person's crisis log, the most recent first. Needs `ReadRecord(Safety)`.
    pub async fn crisis_contacts(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<CrisisContactView>> {
        let record = self.safety_record(caller, person, Action::ReadRecord(Section::Safety), "crisis.list").await?;
        let rows = self.inner.store.crisis_contacts_of_person(person, LOG_LIMIT).await?;
        self.audit_safety(caller, &record, "crisis.list", format!("results.{}", rows.len())).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let key = self.person_key(&record.person)?;
        let names = self.staff_name(&record, &rows.iter().map(|r| r.created_by).collect::<Vec<_>>()).await?;
        rows.iter()
            .zip(names)
            .map(|(r, name)| {
                let texts: CrisisTexts = open_json(&key, TABLE, "content", *r.id.as_uuid(), &r.content)?;
                Ok(CrisisContactView { created_by_name: name, ..view(r, texts) })
            })
            .collect()
    }
}
