//! The built-in fields of each configurable form, as data: a stable code (the API's field
//! name), the section of the record it belongs to, whether it is essential, and the locale
//! message of its default label.

use serde::{Deserialize, Serialize};

use crate::Section;

/// A form an organisation can configure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Person,
    Case,
    Assessment,
    Service,
}

impl FormKind {
    pub const ALL: [FormKind; 4] = [FormKind::Person, FormKind::Case, FormKind::Assessment, FormKind::Service];

    pub const fn code(self) -> &'static str {
        match self {
            FormKind::Person => "person",
            FormKind::Case => "case",
            FormKind::Assessment => "assessment",
            FormKind::Service => "service",
        }
    }

    pub fn from_code(s: &str) -> Result<Self, crate::DomainError> {
        Self::ALL.into_iter().find(|f| f.code() == s).ok_or(crate::DomainError::UnknownCode)
    }

    /// The built-in fields, in their default order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            FormKind::Person => PERSON,
            FormKind::Case => CASE,
            FormKind::Assessment => ASSESSMENT,
            FormKind::Service => SERVICE,
        }
    }

    pub fn field(self, code: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.code == code)
    }

    /// The configurable form of a kind of case-work entry, if it has one.
    pub const fn of_entry(kind: crate::records::EntryKind) -> Option<FormKind> {
        match kind {
            crate::records::EntryKind::NeedAssessment => Some(FormKind::Assessment),
            crate::records::EntryKind::Service => Some(FormKind::Service),
            _ => None,
        }
    }
}

impl std::fmt::Display for FormKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What an organisation may not change about a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Essential {
    /// Hide it, relabel it, move it, make it required or optional.
    No,
    /// Always shown, and required exactly as by default; only its label and place change.
    Always,
    /// A person is found again by a name or an alias (blind-index search, duplicate check),
    /// so at least one of `given_name` and `alias` stays on the form.
    NameOrAlias,
}

/// A built-in field of a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The API's name of the field: stable, never renamed.
    pub code: &'static str,
    pub essential: Essential,
    /// Required before any configuration (a case always has a status).
    pub required_by_default: bool,
    /// The section of the record the field belongs to (who may read and change it).
    pub section: Section,
    /// Asked at intake even when not required (person form only).
    pub at_intake: bool,
    /// The locale message of its label.
    pub label_key: &'static str,
}

const fn field(code: &'static str, section: Section, label_key: &'static str) -> FieldSpec {
    FieldSpec { code, essential: Essential::No, required_by_default: false, section, at_intake: false, label_key }
}

const fn essential(code: &'static str, section: Section, required: bool, label_key: &'static str) -> FieldSpec {
    FieldSpec {
        code,
        essential: Essential::Always,
        required_by_default: required,
        section,
        at_intake: false,
        label_key,
    }
}

const fn intake(mut f: FieldSpec) -> FieldSpec {
    f.at_intake = true;
    f
}

const fn name_or_alias(mut f: FieldSpec) -> FieldSpec {
    f.essential = Essential::NameOrAlias;
    f
}

use Section::{Identity, Narrative, Safety, Services, Summary};

/// The person form: intake and the edit page. Codes are `PersonFields`' names.
const PERSON: &[FieldSpec] = &[
    intake(name_or_alias(field("alias", Identity, "records-field-alias"))),
    intake(name_or_alias(field("given_name", Identity, "records-field-given_name"))),
    intake(field("family_name", Identity, "records-field-family_name")),
    field("birth_date", Identity, "records-field-birth_date"),
    field("estimated_age", Identity, "records-field-estimated_age"),
    field("phone", Identity, "records-field-phone"),
    field("email", Identity, "records-field-email"),
    field("address", Identity, "records-field-address"),
    field("household_size", Identity, "records-field-household_size"),
    field("dependants", Identity, "records-field-dependants"),
    field("gender", Identity, "records-field-gender"),
    field("citizenship", Identity, "records-field-citizenship"),
    // Staff must know which language to speak before anything else.
    intake(essential("primary_language", Identity, false, "records-field-primary_language")),
    field("languages", Identity, "records-field-languages"),
    field("interpreter_needed", Identity, "records-field-interpreter_needed"),
    field("narrative", Narrative, "records-field-narrative"),
    // Contact that is not safe can get a person hurt: the answers are always asked for.
    intake(essential("safe_contact", Safety, false, "records-sc-title")),
];

/// The case form. Who works on a case (team, assignee, restriction) is access, not data,
/// and is not configurable.
const CASE: &[FieldSpec] = &[
    essential("status", Summary, true, "records-case-status"),
    field("closure_reason", Summary, "records-case-closure_reason"),
    field("trafficking_status", Summary, "records-case-trafficking_status"),
    field("status_decided_by", Summary, "records-case-status_decided_by"),
    field("opened_on", Summary, "records-case-opened_on"),
    field("closed_on", Summary, "records-case-closed_on"),
    field("exploitation_types", Summary, "records-case-exploitation_types"),
    field("means_of_control", Summary, "records-case-means_of_control"),
    field("recruitment", Summary, "records-case-recruitment"),
    field("countries", Summary, "records-case-countries"),
    field("places", Summary, "records-case-places"),
];

/// The needs assessment: a date, the ratings, and one rating per domain (an organisation
/// that does not work on a domain can hide it).
const ASSESSMENT: &[FieldSpec] = &[
    essential("date", Services, true, "forms-field-assessment-date"),
    essential("ratings", Services, true, "forms-field-assessment-ratings"),
    field("rating_safety", Services, "forms-field-assessment-rating_safety"),
    field("rating_housing", Services, "forms-field-assessment-rating_housing"),
    field("rating_physical_health", Services, "forms-field-assessment-rating_physical_health"),
    field("rating_mental_health", Services, "forms-field-assessment-rating_mental_health"),
    field("rating_legal_immigration", Services, "forms-field-assessment-rating_legal_immigration"),
    field("rating_employment", Services, "forms-field-assessment-rating_employment"),
    field("rating_education", Services, "forms-field-assessment-rating_education"),
    field("rating_children_family", Services, "forms-field-assessment-rating_children_family"),
    field("rating_finances", Services, "forms-field-assessment-rating_finances"),
    field("rating_transport", Services, "forms-field-assessment-rating_transport"),
    field("rating_community_faith", Services, "forms-field-assessment-rating_community_faith"),
];

/// A service delivered: funders' reports count services by category and date.
const SERVICE: &[FieldSpec] = &[
    essential("category", Services, true, "forms-field-service-category"),
    essential("date", Services, true, "forms-field-service-date"),
    field("minutes", Services, "forms-field-service-minutes"),
    field("delivered_by", Services, "forms-field-service-delivered_by"),
    field("interpreter_used", Services, "forms-field-service-interpreter_used"),
    field("interpreter_language", Services, "forms-field-service-interpreter_language"),
    field("follow_up_on", Services, "forms-field-service-follow_up_on"),
    field("notes", Services, "forms-field-service-notes"),
];
