//! Rows of screenings: an instrument answered with a person. The coded result is in clear
//! (instrument, total, band, flags, cluster sums: what trends, alerts and reports need);
//! the answers themselves are health data, sealed with the person's data key.

use chrono::{DateTime, NaiveDate, Utc};

use amparo_domain::records::ScreeningId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};

#[derive(Clone, PartialEq, Eq)]
pub struct ScreeningRow {
    pub id: ScreeningId,
    pub org: OrgId,
    pub person: PersonId,
    /// The case it was taken for, which must be the person's; None before any case.
    pub case: Option<CaseId>,
    /// The instrument's id (`phq9`, `gad7`, `pcl5`, `trafficking_indicators`, …).
    pub instrument: String,
    /// The instrument file's version when it was taken.
    pub instrument_version: String,
    pub taken_on: NaiveDate,
    pub taken_at: DateTime<Utc>,
    pub taken_by: Option<UserId>,
    pub total: i32,
    /// Band code; None where the instrument has none.
    pub band: Option<String>,
    /// JSON array of the flag codes raised (e.g. `["suicide_risk"]`).
    pub flags: String,
    /// JSON object of the rest of the coded result, in clear: group (cluster) sums, cut-off
    /// and rule outcomes, the cut-offs applied, the critical flags.
    pub coded: String,
    /// Sealed JSON: the answers in item order and the unscored extra answer.
    pub answers: Vec<u8>,
    pub version: i64,
}

impl std::fmt::Debug for ScreeningRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreeningRow")
            .field("id", &self.id)
            .field("person", &self.person)
            .field("instrument", &self.instrument)
            .field("taken_on", &self.taken_on)
            .finish_non_exhaustive()
    }
}
