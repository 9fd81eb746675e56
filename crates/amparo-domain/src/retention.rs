//! Retention: how long an organisation keeps the free text of a closed case, and the whole
//! record, after the case closed. Coded fields are never purged (the statistics need them);
//! a rule the organisation has not configured does nothing (retention is off by default).
//!
//! Industry practice (VAWA/VOCA confidentiality, domain/standards.md row 2): purge on a
//! schedule the programme sets, part of a record (narratives) or the whole record.

use chrono::{Months, NaiveDate};

use crate::DomainError;

/// Longest period a rule may name (100 years): anything longer is a typing mistake.
pub const MAX_MONTHS: u32 = 1200;

/// What a rule removes. Every variant but [`RetentionRule::ErasePerson`] deletes one sealed
/// field (its ciphertext); the person's key stays while the person exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RetentionRule {
    /// The person's story (`persons.narrative`), once all their cases are closed.
    PersonNarrative,
    /// Safe-contact preferences (code words, cover stories, safe times), once all the
    /// person's cases are closed: they protect contact that no longer happens.
    PersonSafeContact,
    /// The text of a closed case's notes (kind, date and follow-up stay).
    CaseNotes,
    /// The whole person, by crypto-shredding, once all their cases are closed.
    ErasePerson,
}

impl RetentionRule {
    pub const ALL: [RetentionRule; 4] = [
        RetentionRule::PersonNarrative,
        RetentionRule::PersonSafeContact,
        RetentionRule::CaseNotes,
        RetentionRule::ErasePerson,
    ];

    /// Stable code: stored, audited, and the suffix of its i18n keys.
    pub const fn code(self) -> &'static str {
        match self {
            RetentionRule::PersonNarrative => "person.narrative",
            RetentionRule::PersonSafeContact => "person.safe_contact",
            RetentionRule::CaseNotes => "case.notes",
            RetentionRule::ErasePerson => "person.erase",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The setting the issue offers as an example: narratives and notes two years after the
    /// case closed, the whole person seven years after their last case closed.
    pub const fn suggested_months(self) -> Option<u32> {
        match self {
            RetentionRule::PersonNarrative | RetentionRule::CaseNotes => Some(24),
            RetentionRule::PersonSafeContact => None,
            RetentionRule::ErasePerson => Some(84),
        }
    }

    /// Whether the rule erases the whole person (rather than one field).
    pub const fn erases(self) -> bool {
        matches!(self, RetentionRule::ErasePerson)
    }
}

/// A problem with a retention setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionProblem {
    /// Not a whole number of months between 1 and [`MAX_MONTHS`].
    MonthsInvalid,
}

impl RetentionProblem {
    pub const fn code(self) -> &'static str {
        match self {
            RetentionProblem::MonthsInvalid => "retention_months_invalid",
        }
    }
}

impl From<RetentionProblem> for DomainError {
    fn from(p: RetentionProblem) -> Self {
        DomainError::Retention(p)
    }
}

/// A period as typed in the policy form: empty means the rule is off.
pub fn months(text: &str) -> Result<Option<u32>, RetentionProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(m) if (1..=MAX_MONTHS).contains(&m) => Ok(Some(m)),
        _ => Err(RetentionProblem::MonthsInvalid),
    }
}

/// A case closed on or before this day is due under a rule of `months` on `today`.
/// Calendar months (a case closed on 31 March is due on the last day of the month N months on).
pub fn closed_on_or_before(today: NaiveDate, months: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        for r in RetentionRule::ALL {
            assert_eq!(RetentionRule::from_code(r.code()), Some(r));
        }
        assert_eq!(RetentionRule::from_code("person.name"), None);
    }

    #[test]
    fn empty_months_turn_a_rule_off_and_nonsense_is_refused() {
        assert_eq!(months(""), Ok(None));
        assert_eq!(months(" 24 "), Ok(Some(24)));
        for bad in ["0", "-3", "2.5", "dos", "1201"] {
            assert_eq!(months(bad), Err(RetentionProblem::MonthsInvalid), "{bad}");
        }
    }

    #[test]
    fn a_case_closed_two_years_ago_to_the_day_is_due_and_one_day_later_is_not() {
        let cutoff = closed_on_or_before(d(2028, 6, 15), 24);
        assert_eq!(cutoff, d(2026, 6, 15));
        assert_eq!(closed_on_or_before(d(2026, 2, 28), 1), d(2026, 1, 28));
    }

    #[test]
    fn the_suggested_setting_is_the_issues_example() {
        assert_eq!(RetentionRule::PersonNarrative.suggested_months(), Some(24));
        assert_eq!(RetentionRule::ErasePerson.suggested_months(), Some(84));
    }
}
