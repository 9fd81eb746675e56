//! Amparo's domain: pure types and rules. No I/O, no async.
//!
//! Every use case asks [`access::authorize`] before it touches anything; the HTTP layer
//! never decides access on its own.

pub mod access;
pub mod error;
pub mod events;
pub mod forms;
pub mod ids;
pub mod language;
pub mod password;
pub mod placements;
pub mod records;
pub mod referrals;
pub mod retention;
pub mod role;
pub mod shelters;
pub mod signals;
pub mod staff;
pub mod user;

pub use access::{Action, Actor, Clearance, Denied, RecordScope, Resource, Section, authorize};
pub use error::DomainError;
pub use ids::{ApiTokenId, CaseId, ConsentId, EntryId, OrgId, PersonId, TaskId, UserId};
pub use language::Language;
pub use role::Role;
pub use user::{DisplayName, Email, OrganisationName};
