//! Shelter beds: refuges and transitional homes, their beds (grouped by room), who stays in
//! which bed, a waiting list, house rules in each resident's language, and a daily house log.
//!
//! Houses are organisation data; a stay links a bed to a person (and maybe one of their
//! cases). Where a house is, its rules and its log are sealed: a shelter's location is
//! personally identifying information under VAWA (OVW FAQ 2017).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::records::case::code_enum;

crate::ids::id_type!(
    /// A refuge or transitional home.
    HouseId
);
crate::ids::id_type!(
    /// One bed of a house.
    BedId
);
crate::ids::id_type!(
    /// One person's stay in one bed, from check-in to check-out.
    StayId
);
crate::ids::id_type!(
    /// A place on a house's waiting list.
    WaitlistId
);
crate::ids::id_type!(
    /// One entry of a house's daily log.
    HouseLogId
);

/// Longest house name, room or bed label.
pub const MAX_LABEL_CHARS: usize = 120;
/// Longest address, rule text or log entry.
pub const MAX_TEXT_CHARS: usize = 10_000;

code_enum!(
    /// What kind of house.
    HouseKind {
        Refuge => "refuge",
        Transitional => "transitional",
    }
);

code_enum!(
    /// Who a house takes in. A house lists one or more.
    Eligibility {
        Women => "women",
        Men => "men",
        Families => "families",
        Minors => "minors",
        NonBinary => "non_binary",
        Any => "any",
    }
);

code_enum!(
    /// Why a stay ended.
    CheckoutReason {
        MovedOn => "moved_on",
        Transferred => "transferred",
        LeftWithoutNotice => "left_without_notice",
        RuleBreach => "rule_breach",
        Other => "other",
    }
);

code_enum!(
    /// How soon a person on the waiting list needs a bed.
    WaitPriority {
        Urgent => "urgent",
        Normal => "normal",
    }
);

code_enum!(
    /// Where a waiting-list entry stands: waiting, placed (checked in) or withdrawn.
    WaitStatus {
        Waiting => "waiting",
        Placed => "placed",
        Withdrawn => "withdrawn",
    }
);

/// Languages house rules are written in (the interface's two, and the Indigenous
/// languages most often met, as in the person form).
pub const RULE_LANGUAGES: [&str; 9] = ["es", "en", "nah", "mix", "zap", "yua", "tzo", "mam", "quc"];

/// What is wrong with shelter input. Codes are i18n keys (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShelterProblem {
    LabelRequired,
    LabelTooLong,
    /// A bed of that label is already in that room.
    LabelTaken,
    TextRequired,
    TextTooLong,
    EligibilityRequired,
    /// A bed with someone in it takes no one else.
    BedOccupied,
    /// The person already has a bed (check them out first).
    AlreadyStaying,
    /// The stay has already ended.
    StayClosed,
    /// A form that names a person by case number was sent without one.
    CaseNumberRequired,
    /// Not a day (`YYYY-MM-DD`).
    DateInvalid,
}

impl ShelterProblem {
    pub const fn code(self) -> &'static str {
        match self {
            ShelterProblem::LabelRequired => "shelter_label_required",
            ShelterProblem::LabelTooLong => "shelter_label_too_long",
            ShelterProblem::LabelTaken => "shelter_label_taken",
            ShelterProblem::TextRequired => "shelter_text_required",
            ShelterProblem::TextTooLong => "shelter_text_too_long",
            ShelterProblem::EligibilityRequired => "shelter_eligibility_required",
            ShelterProblem::BedOccupied => "bed_occupied",
            ShelterProblem::AlreadyStaying => "already_staying",
            ShelterProblem::StayClosed => "stay_closed",
            ShelterProblem::CaseNumberRequired => "shelter_case_number_required",
            ShelterProblem::DateInvalid => "shelter_date_invalid",
        }
    }
}

impl From<ShelterProblem> for DomainError {
    fn from(p: ShelterProblem) -> Self {
        DomainError::Shelter(p)
    }
}

/// A name or label: required, trimmed, at most [`MAX_LABEL_CHARS`].
pub fn label(text: &str) -> Result<String, ShelterProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ShelterProblem::LabelRequired);
    }
    if t.chars().count() > MAX_LABEL_CHARS {
        return Err(ShelterProblem::LabelTooLong);
    }
    Ok(t.to_owned())
}

/// A text (address, rules, log entry): required, trimmed, at most [`MAX_TEXT_CHARS`].
pub fn text(text: &str) -> Result<String, ShelterProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ShelterProblem::TextRequired);
    }
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(ShelterProblem::TextTooLong);
    }
    Ok(t.to_owned())
}

/// Optional text: blank is none.
pub fn optional_text(t: &str) -> Result<Option<String>, ShelterProblem> {
    if t.trim().is_empty() { Ok(None) } else { text(t).map(Some) }
}

/// Eligibility codes: known, each once, at least one.
pub fn eligibility(codes: &[String]) -> Result<Vec<Eligibility>, DomainError> {
    let mut out: Vec<Eligibility> = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let e = Eligibility::from_code(c)?;
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(ShelterProblem::EligibilityRequired.into());
    }
    Ok(out)
}

/// A rule language: one of [`RULE_LANGUAGES`].
pub fn rule_language(code: &str) -> Result<String, DomainError> {
    let c = code.trim().to_ascii_lowercase();
    if RULE_LANGUAGES.contains(&c.as_str()) { Ok(c) } else { Err(DomainError::UnknownCode) }
}

/// The rules a resident is given: those in their language, else Spanish, else English,
/// else any language the house has (the staff then read them out with an interpreter).
pub fn rules_language_for<'a>(resident: Option<&str>, available: &'a [String]) -> Option<&'a str> {
    let has = |l: &str| available.iter().find(|a| a.as_str() == l).map(String::as_str);
    resident.and_then(has).or_else(|| has("es")).or_else(|| has("en")).or_else(|| available.first().map(String::as_str))
}

/// Beds free: beds minus occupied ones (never below zero).
pub fn free_beds(beds: usize, occupied: usize) -> usize {
    beds.saturating_sub(occupied)
}

/// A day as given in a form (`YYYY-MM-DD`); blank is none.
pub fn optional_day(s: &str) -> Result<Option<NaiveDate>, ShelterProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| ShelterProblem::DateInvalid)
}

/// The rule text given to a resident at check-in: which version, in which language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesGiven {
    pub language: String,
    pub version: i64,
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_texts_are_required_trimmed_and_bounded() {
        assert_eq!(label("  "), Err(ShelterProblem::LabelRequired));
        assert_eq!(label(" Casa 1 "), Ok("Casa 1".into()));
        assert_eq!(label(&"ñ".repeat(MAX_LABEL_CHARS)).map(|l| l.chars().count()), Ok(MAX_LABEL_CHARS));
        assert_eq!(label(&"a".repeat(MAX_LABEL_CHARS + 1)), Err(ShelterProblem::LabelTooLong));
        assert_eq!(text(""), Err(ShelterProblem::TextRequired));
        assert_eq!(text(&"a".repeat(MAX_TEXT_CHARS + 1)), Err(ShelterProblem::TextTooLong));
        assert_eq!(optional_text(" "), Ok(None));
    }

    #[test]
    fn eligibility_needs_one_known_code_each_once() {
        assert_eq!(eligibility(&[]), Err(ShelterProblem::EligibilityRequired.into()));
        assert_eq!(
            eligibility(&["women".into(), "women".into(), "minors".into()]),
            Ok(vec![Eligibility::Women, Eligibility::Minors])
        );
        assert_eq!(eligibility(&["cats".into()]), Err(DomainError::UnknownCode));
    }

    #[test]
    fn rules_come_in_the_residents_language_else_spanish_else_english() {
        let both = vec!["en".to_owned(), "es".to_owned()];
        assert_eq!(rules_language_for(Some("en"), &both), Some("en"));
        assert_eq!(rules_language_for(Some("mix"), &both), Some("es"));
        assert_eq!(rules_language_for(None, &["en".to_owned()]), Some("en"));
        assert_eq!(rules_language_for(Some("es"), &[]), None);
        assert_eq!(rule_language("ES"), Ok("es".into()));
        assert_eq!(rule_language("xx"), Err(DomainError::UnknownCode));
    }

    #[test]
    fn free_beds_never_go_below_zero() {
        assert_eq!(free_beds(4, 1), 3);
        assert_eq!(free_beds(1, 2), 0);
    }

    #[test]
    fn codes_round_trip() {
        for r in CheckoutReason::ALL {
            assert_eq!(CheckoutReason::from_code(r.code()), Ok(*r));
        }
        assert_eq!(CheckoutReason::from_code("evicted"), Err(DomainError::UnknownCode));
    }
}
