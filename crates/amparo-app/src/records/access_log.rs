//! "Who saw my file": every audited read and change of a person and their cases.

use chrono::{DateTime, Utc};
use serde::Serialize;

use amparo_domain::{Action, PersonId, UserId};
use amparo_store::AuditRecord;

use crate::{Amparo, AppResult, Caller};

#[derive(Clone, Serialize)]
pub struct AccessLogEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    pub user_email: Option<String>,
    /// `read`, `update`, `create`, `break_glass`, `search`, `erase`, …
    pub action: String,
    /// The full action code, e.g. `case.break_glass`.
    pub code: String,
    /// What was looked at: `person` or `case`.
    pub target: Option<String>,
    pub outcome: &'static str,
    /// Why, as a code: the break-glass grant, the consent, a refusal's reason.
    pub detail: Option<String>,
    pub channel: String,
}

impl std::fmt::Debug for AccessLogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessLogEntry").field("code", &self.code).field("at", &self.at).finish_non_exhaustive()
    }
}

impl Amparo {
    /// The access log of a person (and their cases). Reading it is audited too. Readers: those
    /// who may read the audit log (supervisors, administrators) and the person's own team.
    pub async fn access_log(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<AccessLogEntry>> {
        let record = self.load_record(person).await?;
        let org = record.person.org;
        // Those who read the whole audit log see every case's entries; others only the cases
        // they may see (a restricted sibling case's activity stays hidden).
        let auditor = match caller {
            Caller::Operator => true,
            Caller::User { actor, .. } => {
                amparo_domain::authorize(actor, Action::ReadAuditLog, amparo_domain::Resource::Organisation(org))
                    .is_ok()
            }
        };
        if !auditor {
            self.require(caller, &record, Action::ReadRecord(amparo_domain::Section::Summary), "person.access_log")
                .await?;
        }
        let mut targets = vec![*person.as_uuid()];
        let cases = if auditor { record.cases.iter().collect() } else { record.visible_cases(caller) };
        targets.extend(cases.iter().map(|c| *c.id.as_uuid()));
        let events = self.inner.store.audit_events_for_targets(org, &targets, 500).await?;
        let users = self.inner.store.users_in_org(org).await?;
        self.audit_read(caller, "person.access_log", "person", *person.as_uuid(), org).await?;
        Ok(events.into_iter().map(|e: AuditRecord| entry(e, &users)).collect())
    }
}

fn entry(e: AuditRecord, users: &[amparo_store::UserRow]) -> AccessLogEntry {
    let d = e.draft;
    let action = d.action.rsplit('.').next().unwrap_or(&d.action).to_owned();
    AccessLogEntry {
        at: d.at,
        user_id: d.actor,
        user_email: d.actor.and_then(|a| users.iter().find(|u| u.id == a).map(|u| u.email.clone())),
        action,
        code: d.action,
        target: d.target_kind,
        outcome: d.outcome.code(),
        detail: d.detail,
        channel: d.channel,
    }
}
