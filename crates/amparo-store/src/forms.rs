//! Rows of configurable forms: each version of a form's configuration (in clear: it is
//! configuration, not data about anyone), the organisation's settings, and the custom-field
//! values of a record, sealed as one document with the person's data key.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use amparo_domain::{CaseId, OrgId, PersonId, UserId};

/// One version of one form's configuration. Every change inserts the next version; the
/// newest is the one in force, the older ones are its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormConfigRow {
    pub org: OrgId,
    /// `FormKind` code.
    pub form: String,
    /// 1, 2, …: one more than the version it replaces.
    pub version: i64,
    /// The `FormConfig` as JSON.
    pub config: String,
    pub updated_by: Option<UserId>,
    pub updated_at: DateTime<Utc>,
}

/// Settings of an organisation that its administrator changes. No row: every default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationSettingsRow {
    pub org: OrgId,
    /// `PeopleWord` code.
    pub people_word: String,
    /// 1 for the first saved settings; each change adds one.
    pub version: i64,
    pub updated_by: Option<UserId>,
    pub updated_at: DateTime<Utc>,
}

/// The custom-field values of one record (a person, a case, an assessment, a service).
#[derive(Clone, PartialEq, Eq)]
pub struct CustomValuesRow {
    /// `FormKind` code of the record's form.
    pub form: String,
    /// The record's id (the person's id for the person form, the case's for the case form).
    pub record: Uuid,
    pub org: OrgId,
    /// The person the record is about: erasing them erases the values.
    pub person: PersonId,
    /// The case, for records of a case: deleting it deletes the values.
    pub case: Option<CaseId>,
    /// Sealed JSON (field code → value), bound to this table, the form and the record.
    pub content: Vec<u8>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for CustomValuesRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomValuesRow")
            .field("form", &self.form)
            .field("record", &self.record)
            .finish_non_exhaustive()
    }
}
