//! Rows of shelter beds. Coded columns in clear (occupancy, eligibility, dates, reasons);
//! the address, the house rules and the house log are sealed with the house's own data
//! key, which the organisation's key wraps.

use chrono::{DateTime, NaiveDate, Utc};

use amparo_domain::shelters::{BedId, HouseId, HouseLogId, StayId, WaitlistId};
use amparo_domain::{CaseId, OrgId, PersonId, UserId};

#[derive(Clone, PartialEq, Eq)]
pub struct HouseRow {
    pub id: HouseId,
    pub org: OrgId,
    /// What staff call the house (a code name, not where it is).
    pub name: String,
    /// `HouseKind` code.
    pub kind: String,
    /// `Eligibility` codes.
    pub eligibility: Vec<String>,
    /// The house's data key, wrapped by the organisation's key-encryption key.
    pub wrapped_key: Vec<u8>,
    /// Sealed JSON: where the house is.
    pub address: Option<Vec<u8>>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

impl std::fmt::Debug for HouseRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HouseRow").field("id", &self.id).field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// A bed; `room` groups beds on the house page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BedRow {
    pub id: BedId,
    pub house: HouseId,
    pub org: OrgId,
    pub room: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// One stay: open while `checked_out_at` is None. At most one open stay per bed and per
/// person (a partial unique index on each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayRow {
    pub id: StayId,
    pub org: OrgId,
    pub house: HouseId,
    pub bed: BedId,
    pub person: PersonId,
    pub case: Option<CaseId>,
    pub checked_in_at: DateTime<Utc>,
    pub checked_in_by: Option<UserId>,
    /// The language and version of the house rules given at check-in, if the house has any.
    pub rules_language: Option<String>,
    pub rules_version: Option<i64>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub checked_out_by: Option<UserId>,
    /// `CheckoutReason` code.
    pub checkout_reason: Option<String>,
}

/// What a check-in came to: the store answers from the database's own constraints, so two
/// check-ins racing for one bed cannot both succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StayPlaced {
    Placed,
    BedOccupied,
    PersonAlreadyStaying,
}

#[derive(Clone, PartialEq, Eq)]
pub struct WaitlistRow {
    pub id: WaitlistId,
    pub org: OrgId,
    pub house: HouseId,
    pub person: PersonId,
    pub requested_on: NaiveDate,
    /// `WaitPriority` code.
    pub priority: String,
    /// Sealed JSON with the house's key: notes.
    pub notes: Option<Vec<u8>>,
    /// `WaitStatus` code.
    pub status: String,
    pub added_by: Option<UserId>,
    pub added_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for WaitlistRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitlistRow").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

/// One version of a house's rules in one language.
#[derive(Clone, PartialEq, Eq)]
pub struct HouseRuleRow {
    pub house: HouseId,
    pub org: OrgId,
    pub language: String,
    pub version: i64,
    /// Sealed JSON with the house's key.
    pub text: Vec<u8>,
    pub written_by: Option<UserId>,
    pub written_at: DateTime<Utc>,
}

impl std::fmt::Debug for HouseRuleRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HouseRuleRow")
            .field("language", &self.language)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct HouseLogRow {
    pub id: HouseLogId,
    pub house: HouseId,
    pub org: OrgId,
    pub on_date: NaiveDate,
    /// Sealed JSON with the house's key.
    pub text: Vec<u8>,
    pub written_by: Option<UserId>,
    pub written_at: DateTime<Utc>,
}

impl std::fmt::Debug for HouseLogRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HouseLogRow").field("id", &self.id).field("on_date", &self.on_date).finish_non_exhaustive()
    }
}
