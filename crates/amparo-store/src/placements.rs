//! Rows of placements: the organisation's sites and teams, their needs, who is placed where,
//! and when each person can serve in the week. Codes, dates and ids in clear (the matcher and
//! the lists need them); a need's free notes are sealed with its site's own data key, which
//! the organisation's key wraps.

use chrono::{DateTime, NaiveDate, Utc};

use amparo_domain::placements::{NeedId, PlacementId, SiteId};
use amparo_domain::{OrgId, UserId};

/// A site or team. The name is a code name (unique in the organisation), never an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteRow {
    pub id: SiteId,
    pub org: OrgId,
    /// `SiteKind` code.
    pub kind: String,
    pub name: String,
    /// Programme code, if any (`PREV-CDMX`).
    pub programme: Option<String>,
    /// A state (`MX-CMX`) or country code.
    pub region: String,
    /// The site's data key (for its needs' notes), wrapped by the organisation's key.
    pub wrapped_key: Vec<u8>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// What a site needs, from when to when.
#[derive(Clone, PartialEq, Eq)]
pub struct NeedRow {
    pub id: NeedId,
    pub org: OrgId,
    pub site: SiteId,
    /// JSON array of `{"language":"es","level":"B2"}`: minimum levels.
    pub languages: String,
    /// JSON array of background codes wanted.
    pub backgrounds: String,
    /// JSON array of `Slot` codes (empty: any time).
    pub slots: String,
    pub people: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Sealed JSON: the notes.
    pub notes: Option<Vec<u8>>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for NeedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NeedRow").field("id", &self.id).field("site", &self.site).finish_non_exhaustive()
    }
}

/// A person at a site: proposed, confirmed or ended. At most one not ended per person and
/// site (the database says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementRow {
    pub id: PlacementId,
    pub org: OrgId,
    pub site: SiteId,
    /// The need it fills, if any (of the same site).
    pub need: Option<NeedId>,
    pub user: UserId,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// `PlacementStatus` code.
    pub status: String,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub confirmed_by: Option<UserId>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub ended_by: Option<UserId>,
    pub ended_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Which placements to list, by start date then id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementQuery {
    pub org: OrgId,
    pub site: Option<SiteId>,
    pub user: Option<UserId>,
    /// Ended placements too.
    pub include_ended: bool,
    pub limit: i64,
}

/// When a person can serve in the week. One per user; `version` counts saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyAvailabilityRow {
    pub user: UserId,
    pub org: OrgId,
    /// JSON array of `Slot` codes.
    pub slots: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}
