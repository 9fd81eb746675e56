//! Key rotation's rows: each organisation's key-encryption-key (KEK) versions, and the
//! tables whose rows carry a data key wrapped by the organisation's KEK. A wrapped key
//! records the KEK version that wrapped it in its first bytes (see `amparo-crypto`), so the
//! rotation finds rows still on an old version by that prefix; no other column changes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use amparo_domain::OrgId;

/// A table whose rows hold a data key wrapped by their organisation's KEK (`wrapped_key`,
/// next to `org_id`). A new capability with such a table adds it here, so that a key
/// rotation re-wraps its rows too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WrappedKeyTable {
    Persons,
    Signals,
    Referrals,
    ShelterHouses,
    WellbeingKeys,
    OutreachEvents,
    PlacementSites,
}

impl WrappedKeyTable {
    pub const ALL: [WrappedKeyTable; 7] = [
        WrappedKeyTable::Persons,
        WrappedKeyTable::Signals,
        WrappedKeyTable::Referrals,
        WrappedKeyTable::ShelterHouses,
        WrappedKeyTable::WellbeingKeys,
        WrappedKeyTable::OutreachEvents,
        WrappedKeyTable::PlacementSites,
    ];

    /// The table's name (also the table the data key's AAD names, for record keys).
    pub const fn table(self) -> &'static str {
        match self {
            WrappedKeyTable::Persons => "persons",
            WrappedKeyTable::Signals => "signals",
            WrappedKeyTable::Referrals => "referrals",
            WrappedKeyTable::ShelterHouses => "shelter_houses",
            WrappedKeyTable::WellbeingKeys => "wellbeing_keys",
            WrappedKeyTable::OutreachEvents => "outreach_events",
            WrappedKeyTable::PlacementSites => "placement_sites",
        }
    }

    /// The primary-key column (the id the wrapped key's AAD binds).
    pub const fn id_column(self) -> &'static str {
        match self {
            WrappedKeyTable::WellbeingKeys => "user_id",
            _ => "id",
        }
    }
}

/// One row's wrapped data key.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKeyRow {
    pub id: Uuid,
    pub wrapped_key: Vec<u8>,
}

impl std::fmt::Debug for WrappedKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedKeyRow").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The life of a KEK version: `active` (new keys are wrapped under it; one per organisation),
/// `retiring` (rows still being re-wrapped away from it), `retired` (no row uses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KekState {
    Active,
    Retiring,
    Retired,
}

impl KekState {
    pub const fn code(self) -> &'static str {
        match self {
            KekState::Active => "active",
            KekState::Retiring => "retiring",
            KekState::Retired => "retired",
        }
    }

    pub fn from_code(code: &str) -> Option<KekState> {
        [KekState::Active, KekState::Retiring, KekState::Retired].into_iter().find(|s| s.code() == code)
    }
}

/// One KEK version of an organisation. No row at all for an organisation means version 1,
/// active (every installation's start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KekVersionRow {
    pub org: OrgId,
    pub version: i64,
    pub state: KekState,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}
