//! Rows of the organisation's outreach and training events. Codes, dates and counts in clear
//! (the list and the reports filter and add them up); the notes are sealed with the event's
//! own data key, which the organisation's key wraps.

use chrono::{DateTime, NaiveDate, Utc};

use amparo_domain::events::OutreachEventId;
use amparo_domain::{OrgId, UserId};

#[derive(Clone, PartialEq, Eq)]
pub struct OutreachEventRow {
    pub id: OutreachEventId,
    pub org: OrgId,
    /// `EventKind` code.
    pub kind: String,
    pub held_on: NaiveDate,
    /// A state (`MX-CHH`, `US-TX`) or country code.
    pub region: String,
    /// `EventSetting` code.
    pub setting: String,
    /// `Audience` codes.
    pub audiences: Vec<String>,
    pub attendance_total: i64,
    pub attendance_women: Option<i64>,
    pub attendance_men: Option<i64>,
    pub attendance_youth: Option<i64>,
    /// `Material` codes.
    pub materials: Vec<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    /// The event's data key, wrapped by the organisation's key-encryption key.
    pub wrapped_key: Vec<u8>,
    /// Sealed JSON: the notes.
    pub notes: Option<Vec<u8>>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_by: UserId,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for OutreachEventRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutreachEventRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("held_on", &self.held_on)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// An organisation's events held between `from` and `to` (both included; None: open), by
/// date then id, at most `limit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachEventQuery {
    pub org: OrgId,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
}
