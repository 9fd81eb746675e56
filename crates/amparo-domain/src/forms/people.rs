//! The organisation's word for the people it serves. Every page that names them uses it.

use serde::{Deserialize, Serialize};

/// "Survivor" by default. "Victim" is not offered: it is a legal status some people never
/// claim, and being called by it at every turn is part of what they come to leave behind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleWord {
    #[default]
    Survivor,
    Client,
    Participant,
}

impl PeopleWord {
    pub const ALL: [PeopleWord; 3] = [PeopleWord::Survivor, PeopleWord::Client, PeopleWord::Participant];

    pub const fn code(self) -> &'static str {
        match self {
            PeopleWord::Survivor => "survivor",
            PeopleWord::Client => "client",
            PeopleWord::Participant => "participant",
        }
    }

    pub fn from_code(s: &str) -> Result<Self, crate::DomainError> {
        Self::ALL.into_iter().find(|w| w.code() == s).ok_or(crate::DomainError::UnknownCode)
    }
}

impl std::fmt::Display for PeopleWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
