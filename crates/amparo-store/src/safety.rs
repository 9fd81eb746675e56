//! Rows of safety plans and the crisis log. Every text is sealed JSON; what stays in clear is
//! what access, ordering and printing need (person, version, language, dates, who).

use chrono::{DateTime, Utc};

use amparo_domain::records::safety::{CrisisContactId, SafetyPlanId};
use amparo_domain::{OrgId, PersonId, UserId};

/// One version of a person's safety plan. Versions are never changed: a save inserts the
/// next one.
#[derive(Clone, PartialEq, Eq)]
pub struct SafetyPlanRow {
    pub id: SafetyPlanId,
    pub org: OrgId,
    pub person: PersonId,
    /// 1 for the first plan, then one more per save.
    pub version: i64,
    /// The language the survivor chose for the printed plan (`es`, `en`).
    pub language: String,
    /// The survivor agreed that the agency's name may appear on the printed plan.
    pub show_agency_name: bool,
    /// Sealed JSON: the plan's texts.
    pub content: Vec<u8>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for SafetyPlanRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyPlanRow")
            .field("id", &self.id)
            .field("person", &self.person)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// One crisis contact: when, and (sealed) what happened, what was done, where the person was
/// referred.
#[derive(Clone, PartialEq, Eq)]
pub struct CrisisContactRow {
    pub id: CrisisContactId,
    pub org: OrgId,
    pub person: PersonId,
    pub occurred_at: DateTime<Utc>,
    /// Sealed JSON.
    pub content: Vec<u8>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for CrisisContactRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrisisContactRow")
            .field("id", &self.id)
            .field("person", &self.person)
            .field("occurred_at", &self.occurred_at)
            .finish_non_exhaustive()
    }
}
