//! Staff roles. The codes are a contract (CLI, API, database).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organisation (users, forms, partners, keys, backups); reads no survivor
    /// record unless also given a case role.
    Administrator,
    /// Sees all of the organisation's records except restricted cases; reviews break-glass.
    Supervisor,
    /// Advocate or case manager: the records of the cases on their team.
    CaseManager,
    /// Hotline or outreach worker: logs and triages signals, opens cases.
    Hotline,
    /// Runs screenings and reads screening results; never the narrative or legal file.
    Clinician,
    /// Shelter staff: stays and beds; never legal relief.
    ShelterStaff,
    /// No survivor record until tenure and training policy allow it.
    Volunteer,
    /// Data and grants staff: aggregates and privacy-preserving exports only.
    Analyst,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Administrator,
        Role::Supervisor,
        Role::CaseManager,
        Role::Hotline,
        Role::Clinician,
        Role::ShelterStaff,
        Role::Volunteer,
        Role::Analyst,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Supervisor => "supervisor",
            Role::CaseManager => "case_manager",
            Role::Hotline => "hotline",
            Role::Clinician => "clinician",
            Role::ShelterStaff => "shelter_staff",
            Role::Volunteer => "volunteer",
            Role::Analyst => "analyst",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = crate::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.code() == s).ok_or(crate::DomainError::UnknownRole)
    }
}
