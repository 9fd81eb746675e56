//! The languages Amparo's interface speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An interface language. Spanish first: most of the people Amparo serves speak it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Es,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Es, Language::En];

    /// The BCP 47 tag, as used in `<html lang>` and in the API.
    pub const fn code(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = crate::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "es" => Ok(Language::Es),
            "en" => Ok(Language::En),
            _ => Err(crate::DomainError::UnknownLanguage),
        }
    }
}
