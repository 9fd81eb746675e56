//! Identifiers are random UUIDs: they say nothing about the person or record they name,
//! so they may appear in URLs, logs and audit entries.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}
// Capabilities declare their own id types beside their other types (`records::DocumentId`).
pub(crate) use id_type;

id_type!(
    /// An organisation hosted on this installation.
    OrgId
);
id_type!(
    /// A staff member's or volunteer's account.
    UserId
);
id_type!(
    /// A named API token.
    ApiTokenId
);
id_type!(
    /// A person whose record Amparo keeps (a survivor, a client).
    PersonId
);
id_type!(
    /// A case: one period of work with a person.
    CaseId
);
id_type!(
    /// A consent record.
    ConsentId
);
id_type!(
    /// An entry of a case's work: a needs assessment, goal, service, appointment, milestone,
    /// legal relief or note.
    EntryId
);
id_type!(
    /// A task: manual, or derived from a due date.
    TaskId
);
