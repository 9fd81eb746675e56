//! Case vocabulary (HTCDS `cas_` and `vic_` fields) and case numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn from_code(s: &str) -> Result<Self, $crate::DomainError> {
                Self::ALL.iter().copied().find(|v| v.code() == s).ok_or($crate::DomainError::UnknownCode)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// HTCDS `cas_Status`.
    CaseStatus {
        Active => "Active",
        FollowUp => "FollowUp",
        Closed => "Closed",
        ClosedReferred => "ClosedReferred",
    }
);

impl CaseStatus {
    pub const fn is_closed(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::ClosedReferred)
    }
}

code_enum!(
    /// Why a case closed (HTCDS `cas_ReasonForCaseClosure` is free text; these are our codes).
    ClosureReason {
        GoalsMet => "goals_met",
        ClientChoseToEnd => "client_chose_to_end",
        LostContact => "lost_contact",
        ReferredElsewhere => "referred_elsewhere",
        MovedAway => "moved_away",
        NotEligible => "not_eligible",
        Deceased => "deceased",
        Other => "other",
    }
);

code_enum!(
    /// HTCDS `vic_TraffickingStatus`. The UI says "survivor"; these are the standard's codes.
    TraffickingStatus {
        Possible => "PossibleVictimOfTrafficking",
        Actual => "ActualVictimOfTrafficking",
        NotTrafficked => "NotAVictimOfTrafficking",
    }
);

/// A case number that identifies nobody: the year and a sequence within the organisation,
/// e.g. `2026-000123`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn new(year: i32, seq: i64) -> Self {
        Self(format!("{year:04}-{seq:06}"))
    }
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let ok = s.len() >= 11
            && s.as_bytes().get(4) == Some(&b'-')
            && s.chars().enumerate().all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
        if ok { Ok(Self(s.to_owned())) } else { Err(DomainError::UnknownCode) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_are_year_and_sequence() {
        assert_eq!(CaseNumber::new(2026, 123).as_str(), "2026-000123");
        assert_eq!(CaseNumber::parse(" 2026-000123 ").map(|n| n.0), Ok("2026-000123".into()));
        assert!(CaseNumber::parse("2026-12a").is_err());
        assert_eq!(CaseNumber::new(2026, 1_234_567).as_str(), "2026-1234567");
    }

    #[test]
    fn codes_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_code(s.code()), Ok(*s));
        }
        assert_eq!(TraffickingStatus::from_code("ActualVictimOfTrafficking"), Ok(TraffickingStatus::Actual));
        assert!(CaseStatus::from_code("active").is_err());
    }
}
