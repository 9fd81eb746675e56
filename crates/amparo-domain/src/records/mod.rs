//! Survivor records: the person, their case, safe contact and consent. Coded values come
//! from the Human Trafficking Case Data Standard (HTCDS 2.0, IOM, CC BY 4.0) where it has
//! them, with our own codes beside them; labels live in `locales/*/vocabulary.ftl`.

mod answer;
pub(crate) mod case;
pub(crate) use case::code_enum;
pub mod casework;
mod consent;
pub mod deadlines;
mod document;
pub mod m49;
mod person;
mod safe_contact;
pub mod safety;
mod screening;
pub mod vocab;

pub use answer::{Answer, DeclineCode};
pub use case::{CaseNumber, CaseStatus, ClosureReason, TraffickingStatus};
pub use casework::{
    AppointmentPlace, AppointmentStatus, CaseWorkError, EntryKind, GoalStatus, LegalReliefKind, LegalReliefStatus,
    MAX_TEXT_CHARS, MilestoneKind, NeedDomain, NeedRating, NoteKind, SERVICE_ROLLUPS, ServiceCategory, TaskKind,
    otip_category, time_of_day,
};
pub use consent::{ConsentField, ConsentGivenAs, MAX_CONSENT_DAYS_DEFAULT};
pub use document::{
    DocumentId, DocumentKind, DocumentProblem, DocumentType, MAX_DOCUMENT_BYTES_DEFAULT, MAX_DOCUMENT_TITLE_CHARS,
    document_title,
};
pub use person::{AgeBand, PersonFieldError, age_band_of, age_on, birth_year_of, normalise_e164};
pub use safe_contact::{ContactChannel, SAFE_CONTACT_RECONFIRM_DAYS};
pub use screening::{ScreeningId, ScreeningProblem};
