//! How a survivor may be reached safely (NNEDV safe-contact practice): never by a channel
//! the survivor has not confirmed as safe, and preferences are re-checked, because a phone
//! may now be in the hands of the person who hurt them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Preferences confirmed longer ago than this ask to be confirmed again.
pub const SAFE_CONTACT_RECONFIRM_DAYS: i64 = 90;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Phone,
    Sms,
    Whatsapp,
    Email,
    Mail,
    InPerson,
}

impl ContactChannel {
    pub const ALL: [ContactChannel; 6] = [
        ContactChannel::Phone,
        ContactChannel::Sms,
        ContactChannel::Whatsapp,
        ContactChannel::Email,
        ContactChannel::Mail,
        ContactChannel::InPerson,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::Whatsapp => "whatsapp",
            ContactChannel::Email => "email",
            ContactChannel::Mail => "mail",
            ContactChannel::InPerson => "in_person",
        }
    }
}

impl fmt::Display for ContactChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ContactChannel {
    type Err = crate::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.code() == s).ok_or(crate::DomainError::UnknownCode)
    }
}
