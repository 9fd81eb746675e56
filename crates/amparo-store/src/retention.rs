//! Rows of the retention policy: the organisation's rules, what a run purged (a marker per
//! purged field, so the pages can say "removed by retention policy on DATE"), and the runs.
//! Ids, codes and counts only: never a name or any of the purged content.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::{OrgId, PersonId, UserId};

/// One configured rule: `rule` is a [`amparo_domain::retention::RetentionRule`] code; a
/// rule without a row is off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionRuleRow {
    pub org: OrgId,
    pub rule: String,
    pub months: i64,
    pub updated_by: Option<UserId>,
    pub updated_at: DateTime<Utc>,
}

/// Something a rule would purge now: the record (the person, or the case entry), whose it is,
/// and a case number to name it by (the most recent of the person's, for person rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionCandidate {
    pub person: PersonId,
    pub record: Uuid,
    pub case_number: String,
}

/// What is asked for: the rule, the organisation, and the last closing day that is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionDue {
    pub org: OrgId,
    pub rule: amparo_domain::retention::RetentionRule,
    /// Cases closed on or before this day are due (a person: all their cases, the last one).
    pub closed_on_or_before: NaiveDate,
    pub limit: i64,
}

/// The marker left where a field was purged. It goes with the person on erasure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionPurgeRow {
    pub org: OrgId,
    pub person: PersonId,
    /// The person for person fields, the case entry for note text.
    pub record: Uuid,
    pub rule: String,
    pub purged_at: DateTime<Utc>,
}

/// One run of the policy over an organisation: who (None: the daily job or the command
/// line), when, and how many records each rule purged (`{"person.narrative": 3, …}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionRunRow {
    pub id: Uuid,
    pub org: OrgId,
    pub ran_at: DateTime<Utc>,
    pub ran_by: Option<UserId>,
    /// `web`, `api`, `cli` or `system`.
    pub channel: String,
    /// JSON object: rule code → count.
    pub counts: String,
}
