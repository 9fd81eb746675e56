//! Rows of survivor records. Identifying and narrative content is ciphertext here, sealed
//! with the person's data key by the app; coded fields are in clear for reports and filters.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::{CaseId, ConsentId, OrgId, PersonId, UserId};

/// A person. `wrapped_key` is the person's data key wrapped by the organisation's KEK:
/// deleting it (erasure) makes every sealed field unreadable, in backups too.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub id: PersonId,
    pub org: OrgId,
    pub created_by: Option<UserId>,
    pub wrapped_key: Vec<u8>,
    /// HTCDS `prs_Gender` code or a decline code.
    pub gender: Option<String>,
    /// For reports: the year only, never the date.
    pub birth_year: Option<i32>,
    /// CTDC age band code.
    pub age_band: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub citizenship: Vec<String>,
    /// ISO 639 code, or a decline code.
    pub primary_language: Option<String>,
    pub other_languages: Vec<String>,
    /// `yes`, `no` or a decline code.
    pub interpreter_needed: Option<String>,
    pub household_size: Option<i32>,
    pub dependants: Option<i32>,
    /// When the safe-contact preferences were last confirmed with the person.
    pub safe_contact_confirmed_at: Option<DateTime<Utc>>,
    /// Sealed JSON: names, alias, birth date, phone (as typed and E.164), email, address.
    pub identity: Vec<u8>,
    /// Sealed JSON: per-channel safe-contact preferences (code word, safe times, …).
    pub safe_contact: Option<Vec<u8>>,
    /// Sealed: the story, written once.
    pub narrative: Option<Vec<u8>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for PersonRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonRow")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// One change of a case's status (the first: its status when opened). Codes and dates only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseStatusRow {
    pub case: CaseId,
    pub org: OrgId,
    /// 1 for the status at opening; each change adds one (given by the store).
    pub seq: i64,
    /// `cas_Status` code.
    pub status: String,
    pub closure_reason: Option<String>,
    /// The day the change took effect.
    pub on_date: NaiveDate,
    pub changed_by: Option<UserId>,
    pub changed_at: DateTime<Utc>,
}

/// A case: one period of work with a person. All coded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub id: CaseId,
    pub org: OrgId,
    pub person: PersonId,
    /// `2026-000123`: identifies nobody; unique within the organisation.
    pub number: String,
    /// HTCDS `cas_Status`.
    pub status: String,
    pub closure_reason: Option<String>,
    /// HTCDS `vic_TraffickingStatus`.
    pub trafficking_status: Option<String>,
    pub status_decided_by: Option<String>,
    pub exploitation_types: Vec<String>,
    pub means_of_control: Vec<String>,
    pub recruitment: Option<String>,
    /// Countries of exploitation (ISO 3166-1).
    pub countries: Vec<String>,
    /// Places (ISO 3166-2 states).
    pub places: Vec<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub assigned_to: Option<UserId>,
    pub restricted: bool,
    /// The case team (stored apart, one row per member). Includes whoever opened the case.
    pub team: Vec<UserId>,
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the caseload list filters on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseQuery {
    pub org: Option<OrgId>,
    /// Only cases with this user on the team.
    pub team_member: Option<UserId>,
    pub assigned_to: Option<UserId>,
    pub status: Option<String>,
    /// Newest first (by `opened_on`, then number); at most `limit` after skipping `offset`.
    pub limit: i64,
    pub offset: i64,
}

/// Emergency access to one case, for a limited time.
#[derive(Clone, PartialEq, Eq)]
pub struct BreakGlassRow {
    pub id: Uuid,
    pub org: OrgId,
    pub case: CaseId,
    pub user: UserId,
    /// Sealed: the reason given (free text).
    pub reason: Vec<u8>,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for BreakGlassRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BreakGlassRow")
            .field("id", &self.id)
            .field("case", &self.case)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Consent to share parts of a record with one recipient until a date.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsentRow {
    pub id: ConsentId,
    pub org: OrgId,
    pub person: PersonId,
    /// A partner organisation (the partner directory's id), or…
    pub recipient_partner: Option<Uuid>,
    /// …a named recipient, sealed with the person's key.
    pub recipient_name: Option<Vec<u8>>,
    /// `ConsentField` codes.
    pub fields: Vec<String>,
    /// Sealed: the purpose, in the words agreed with the person.
    pub purpose: Vec<u8>,
    pub expires_on: NaiveDate,
    /// `written` or `verbal_witnessed`.
    pub given_as: String,
    pub given_at: DateTime<Utc>,
    pub recorded_by: Option<UserId>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ConsentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentRow").field("id", &self.id).field("person", &self.person).finish_non_exhaustive()
    }
}

/// A contact made (or tried) with a person on one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutreachRow {
    pub id: Uuid,
    pub org: OrgId,
    pub person: PersonId,
    /// `ContactChannel` code.
    pub channel: String,
    pub at: DateTime<Utc>,
    pub by: Option<UserId>,
}

/// An erased person: the id (random, not personal data) stays so a restore cannot bring
/// them back.
#[derive(Clone, PartialEq, Eq)]
pub struct ErasureRow {
    pub person: PersonId,
    pub org: OrgId,
    pub erased_at: DateTime<Utc>,
    pub erased_by: Option<UserId>,
    /// Sealed with an installation key: the reason given.
    pub reason: Vec<u8>,
}

impl std::fmt::Debug for ErasureRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasureRow")
            .field("person", &self.person)
            .field("erased_at", &self.erased_at)
            .finish_non_exhaustive()
    }
}

/// A request to erase a person, made by an administrator, decided by a supervisor (two
/// people agree before anything is destroyed). Kept after the erasure as its record.
#[derive(Clone, PartialEq, Eq)]
pub struct ErasureRequestRow {
    pub id: Uuid,
    pub org: OrgId,
    pub person: PersonId,
    pub requested_by: UserId,
    /// Sealed: the reason given.
    pub reason: Vec<u8>,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Some(true) approved (and the person erased), Some(false) declined, None pending.
    pub approved: Option<bool>,
}

impl std::fmt::Debug for ErasureRequestRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErasureRequestRow")
            .field("id", &self.id)
            .field("approved", &self.approved)
            .finish_non_exhaustive()
    }
}
