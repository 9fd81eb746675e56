//! Rows of the people of the organisation (profiles, trainings, the access policy) and of
//! private self-care check-ins. Coded values in clear; availability and every check-in's
//! content sealed by the application.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::{OrgId, UserId};

/// A staff member's or volunteer's profile. One per user; `version` counts saves.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffProfileRow {
    pub user: UserId,
    pub org: OrgId,
    pub start_date: Option<NaiveDate>,
    /// JSON array of `{"language":"es","level":"C2"}`.
    pub languages: String,
    /// JSON array of background codes.
    pub backgrounds: String,
    /// Sealed availability text.
    pub availability: Option<Vec<u8>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for StaffProfileRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffProfileRow")
            .field("user", &self.user)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A training a person completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingRow {
    pub id: Uuid,
    pub org: OrgId,
    pub user: UserId,
    pub course: String,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
}

/// An organisation's tenure-and-training policy; none stored: the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessPolicyRow {
    pub org: OrgId,
    pub months: i32,
    /// JSON array of course codes.
    pub required_courses: String,
    /// JSON array of role codes.
    pub roles: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A person's own key for their check-ins, wrapped under the organisation's KEK.
#[derive(Clone, PartialEq, Eq)]
pub struct WellbeingKeyRow {
    pub user: UserId,
    pub org: OrgId,
    pub wrapped_key: Vec<u8>,
}

impl std::fmt::Debug for WellbeingKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WellbeingKeyRow").field("user", &self.user).finish_non_exhaustive()
    }
}

/// A private check-in: who and when in clear, everything answered and scored sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckInRow {
    pub id: Uuid,
    pub org: OrgId,
    pub user: UserId,
    pub instrument: String,
    pub instrument_version: String,
    /// `YYYY-MM`.
    pub period: String,
    pub taken_at: DateTime<Utc>,
    pub sealed: Vec<u8>,
}

impl std::fmt::Debug for CheckInRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckInRow").field("id", &self.id).field("period", &self.period).finish_non_exhaustive()
    }
}
