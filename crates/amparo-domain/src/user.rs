//! Values that describe staff accounts and organisations; each can only hold a valid value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A staff member's email address, trimmed and lower-cased (it is the login name).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let e = raw.trim().to_lowercase();
        let valid = e.len() <= 254
            && !e.chars().any(|c| c.is_whitespace() || c.is_control())
            && match e.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.is_empty()
                        && !domain.contains('@')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid { Ok(Self(e)) } else { Err(DomainError::InvalidEmail) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The part before `@`, used as a context word for the password blocklist.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}
impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}
impl fmt::Debug for Email {
    // Staff emails are personal data: never printed by a Debug of a larger value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}
impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn clean_text(raw: &str, max: usize) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control)).then(|| t.to_owned())
}

/// A person's display name (a staff member's, as they want to be shown).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 120;
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        clean_text(raw, Self::MAX_CHARS).map(Self).ok_or(DomainError::InvalidName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for DisplayName {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&s)
    }
}
impl From<DisplayName> for String {
    fn from(n: DisplayName) -> String {
        n.0
    }
}
impl fmt::Debug for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DisplayName(<redacted>)")
    }
}

/// An organisation's name (not personal data: organisations are public actors).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 200;
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        clean_text(raw, Self::MAX_CHARS).map(Self).ok_or(DomainError::InvalidOrganisationName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for OrganisationName {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        OrganisationName::parse(&s)
    }
}
impl From<OrganisationName> for String {
    fn from(n: OrganisationName) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_validated() {
        assert_eq!(Email::parse("  Ana@Example.ORG ").map(|e| e.0), Ok("ana@example.org".into()));
        for bad in ["", "ana", "@x.org", "ana@", "a b@x.org", "ana@x@y", "ana@.org"] {
            assert_eq!(Email::parse(bad), Err(DomainError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_an_email() {
        let e = Email::parse("ana@example.org").map(|e| format!("{e:?}"));
        assert_eq!(e, Ok("Email(<redacted>)".into()));
    }
}
