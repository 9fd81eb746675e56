//! Rows of the hotline queue. Coded columns in clear (the queue sorts and filters on them);
//! the report, the contact the sender offered and the triage notes are sealed with the
//! signal's own data key, which the organisation's key wraps.

use chrono::{DateTime, Utc};

use amparo_domain::signals::SignalId;
use amparo_domain::{CaseId, OrgId, UserId};

#[derive(Clone, PartialEq, Eq)]
pub struct SignalRow {
    pub id: SignalId,
    pub org: OrgId,
    /// `SignalChannel` code.
    pub channel: String,
    /// `Urgency` code.
    pub urgency: String,
    /// `SignalStatus` code.
    pub status: String,
    /// `SignalOutcome` code, once there is one.
    pub outcome: Option<String>,
    /// ISO 639 code of the language the sender used.
    pub language: Option<String>,
    /// A state (`MX-CHH`, `US-TX`) or country code.
    pub region: Option<String>,
    /// `ConcernType` codes.
    pub concerns: Vec<String>,
    /// The case opened from or linked to this signal (same organisation).
    pub case: Option<CaseId>,
    /// The signal's data key, wrapped by the organisation's key-encryption key.
    pub wrapped_key: Vec<u8>,
    /// Sealed JSON: what was reported.
    pub text: Vec<u8>,
    /// Sealed JSON: how the sender may be reached safely (web tips, when they chose to).
    pub contact: Option<Vec<u8>>,
    /// Sealed JSON: the triage notes.
    pub notes: Option<Vec<u8>>,
    pub received_at: DateTime<Utc>,
    /// The hotline worker who logged it; None for a web tip (nobody is known).
    pub received_by: Option<UserId>,
    pub triaged_by: Option<UserId>,
    pub triaged_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for SignalRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignalRow")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("urgency", &self.urgency)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The queue of one organisation: filters are codes (None: any), sorted by urgency
/// (`immediate_danger`, `urgent`, `routine`), then oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignalQuery {
    pub org: OrgId,
    pub status: Option<String>,
    pub urgency: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
    pub limit: i64,
}
