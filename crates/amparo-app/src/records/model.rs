//! The shapes of a person's record as the API and pages exchange them, and their checks.
//! Values come back exactly as given; decline codes stand where a value is not known.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use amparo_domain::DomainError;
use amparo_domain::records::vocab::{self, Gender};
use amparo_domain::records::{Answer, ContactChannel, PersonFieldError, normalise_e164};

use crate::AppError;

/// Longest free-text value accepted in a short field (names, phone, email).
const MAX_SHORT: usize = 300;
/// Longest narrative accepted (about 40 pages).
const MAX_NARRATIVE: usize = 100_000;

/// The person's fields. On create and update, a field left out is left as it is.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Answer<String>>,
    /// The name the person wants to be called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<Answer<String>>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Answer<String>>,
    /// When the birth date is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_age: Option<Answer<i32>>,
    /// HTCDS `prs_Gender` code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Answer<String>>,
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<Vec<String>>,
    /// ISO 639-1 code where one exists, else ISO 639-3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_language: Option<Answer<String>>,
    /// Other languages spoken (ISO 639 codes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter_needed: Option<Answer<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_size: Option<Answer<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependants: Option<Answer<i32>>,
    /// As typed (spaces kept); an E.164 form is kept beside it for search.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Answer<String>>,
    /// The story, written once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    /// Safe-contact preferences, one per channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_contact: Option<Vec<SafeContact>>,
    /// The organisation's own fields (`custom_…` code → value; `null` clears), checked
    /// against its person form and sealed as one document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<amparo_domain::forms::CustomInput>,
}

impl std::fmt::Debug for PersonFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonFields(<redacted>)")
    }
}

/// How one channel may (or may not) be used to reach the person.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeContact {
    pub channel: Option<ContactChannel>,
    /// The person confirmed this channel is safe to use.
    #[serde(default)]
    pub safe: bool,
    #[serde(default)]
    pub voicemail_ok: bool,
    /// Staff may say the agency's name; otherwise they use the cover story.
    #[serde(default)]
    pub may_name_agency: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_story: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_times: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_word: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who_may_answer: Option<String>,
}

impl std::fmt::Debug for SafeContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeContact").field("channel", &self.channel).field("safe", &self.safe).finish_non_exhaustive()
    }
}

/// The sealed identity document of a person (one AEAD blob).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_age: Option<Answer<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_e164: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Answer<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Answer<String>>,
    /// The answers as given (a decline code included); the clear columns hold counts only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_size: Option<Answer<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependants: Option<Answer<i32>>,
}

fn invalid(field: &'static str, e: PersonFieldError) -> AppError {
    AppError::invalid(field, DomainError::PersonField(e))
}

fn unknown_code(field: &'static str) -> AppError {
    AppError::invalid(field, DomainError::UnknownCode)
}

fn check_text(field: &'static str, a: &Option<Answer<String>>, max: usize) -> Result<(), AppError> {
    if let Some(Answer::Value(v)) = a
        && (v.trim().is_empty() || v.chars().count() > max || v.chars().any(|c| c.is_control() && c != '\n'))
    {
        return Err(AppError::invalid(field, DomainError::InvalidName));
    }
    Ok(())
}

fn check_range(field: &'static str, a: &Option<Answer<i32>>, lo: i32, hi: i32) -> Result<(), AppError> {
    match a {
        Some(Answer::Value(v)) if !(lo..=hi).contains(v) => Err(invalid(field, PersonFieldError::AgeOutOfRange)),
        _ => Ok(()),
    }
}

/// Upper-cases or lower-cases codes the way the vocabulary keeps them, refusing unknown ones.
fn codes(
    field: &'static str,
    list: &mut Option<Vec<String>>,
    check: fn(&str) -> Result<String, DomainError>,
) -> Result<(), AppError> {
    if let Some(list) = list {
        let mut out = Vec::with_capacity(list.len());
        for c in list.iter() {
            let c = check(c).map_err(|_| unknown_code(field))?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        *list = out;
    }
    Ok(())
}

impl PersonFields {
    /// Checks every field given, normalising codes (`mx` → `MX`). Free text is kept exactly.
    pub(crate) fn validate(&mut self, today: NaiveDate) -> Result<(), AppError> {
        check_text("given_name", &self.given_name, MAX_SHORT)?;
        check_text("family_name", &self.family_name, MAX_SHORT)?;
        check_text("alias", &self.alias, MAX_SHORT)?;
        check_text("email", &self.email, MAX_SHORT)?;
        check_text("address", &self.address, 2000)?;
        if let Some(Answer::Value(d)) = &self.birth_date {
            let date = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| invalid("birth_date", PersonFieldError::BirthDateMalformed))?;
            if date > today {
                return Err(invalid("birth_date", PersonFieldError::BirthDateInFuture));
            }
            if today.year() - date.year() > 120 {
                return Err(invalid("birth_date", PersonFieldError::AgeOutOfRange));
            }
        }
        check_range("estimated_age", &self.estimated_age, 0, 120)?;
        check_range("household_size", &self.household_size, 0, 100)?;
        check_range("dependants", &self.dependants, 0, 100)?;
        if let Some(Answer::Value(g)) = &self.gender {
            Gender::from_code(g).map_err(|_| unknown_code("gender"))?;
        }
        if let Some(Answer::Value(l)) = &mut self.primary_language {
            *l = vocab::language(l).map_err(|_| unknown_code("primary_language"))?;
        }
        codes("citizenship", &mut self.citizenship, vocab::country)?;
        codes("languages", &mut self.languages, vocab::language)?;
        if let Some(Answer::Value(p)) = &self.phone {
            normalise_e164(p).map_err(|e| invalid("phone", e))?;
        }
        if let Some(Answer::Value(e)) = &self.email
            && !e.contains('@')
        {
            return Err(AppError::invalid("email", DomainError::InvalidEmail));
        }
        if self.narrative.as_ref().is_some_and(|n| n.chars().count() > MAX_NARRATIVE) {
            return Err(AppError::invalid("narrative", DomainError::InvalidName));
        }
        if let Some(list) = &self.safe_contact {
            let mut seen = Vec::new();
            for sc in list {
                let Some(ch) = sc.channel else { return Err(unknown_code("safe_contact")) };
                if seen.contains(&ch) {
                    return Err(unknown_code("safe_contact"));
                }
                seen.push(ch);
                for t in [&sc.cover_story, &sc.safe_times, &sc.code_word, &sc.who_may_answer].into_iter().flatten() {
                    if t.chars().count() > MAX_SHORT {
                        return Err(AppError::invalid("safe_contact", DomainError::InvalidName));
                    }
                }
            }
        }
        Ok(())
    }

    /// A person is found again by a name or an alias: intake needs one of them.
    pub(crate) fn has_name_or_alias(&self) -> bool {
        [&self.given_name, &self.alias].iter().any(|a| matches!(a, Some(Answer::Value(v)) if !v.trim().is_empty()))
    }
}

impl Identity {
    /// Takes every identity field given in `f` (fields left out stay as they are).
    pub(crate) fn apply(&mut self, f: &PersonFields) {
        macro_rules! take {
            ($($name:ident),+) => { $( if let Some(v) = &f.$name { self.$name = Some(v.clone()); } )+ };
        }
        take!(given_name, family_name, alias, birth_date, estimated_age, email, address, household_size, dependants);
        if let Some(p) = &f.phone {
            self.phone = Some(p.clone());
            self.phone_e164 = p.value().and_then(|p| normalise_e164(p).ok().flatten());
        }
    }

    /// The words a search may find this person by.
    pub(crate) fn name_text(&self) -> String {
        [&self.given_name, &self.family_name, &self.alias]
            .iter()
            .filter_map(|a| a.as_ref().and_then(Answer::value))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(crate) fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date
            .as_ref()
            .and_then(Answer::value)
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
    }
}

/// A clear column holding a code, a yes/no, or a decline code.
pub(crate) fn answer_code<T>(a: &Answer<T>, value: impl Fn(&T) -> String) -> String {
    match a {
        Answer::Value(v) => value(v),
        Answer::Declined(d) => d.code().to_owned(),
    }
}

/// Reads a clear column back into an answer.
pub(crate) fn code_answer<T>(s: &str, value: impl Fn(&str) -> Option<T>) -> Option<Answer<T>> {
    match amparo_domain::records::DeclineCode::from_code(s) {
        Some(d) => Some(Answer::Declined(d)),
        None => value(s).map(Answer::Value),
    }
}
