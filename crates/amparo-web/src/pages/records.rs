//! What the survivor-record pages share: reading forms with repeated fields, the coded
//! vocabularies as labelled choices, optional answers with their decline codes, and the
//! pages for errors that only records have (erased, refused).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::{AppError, Caller, Channel, SessionContext};
use amparo_domain::DomainError;
use amparo_domain::records::{Answer, DeclineCode};

use crate::AppState;
use crate::errors;
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html};

/// A submitted form as name/value pairs: checkboxes repeat a name once per ticked box.
#[derive(Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
    pub fn csrf(&self) -> &str {
        self.get("csrf_token")
    }
}

pub fn caller(s: &SessionContext) -> Caller {
    Caller::User { actor: s.actor, channel: Channel::Web }
}

#[derive(Template)]
#[template(path = "record_message.html")]
struct MessagePage {
    l: Tr,
    page: PageCtx,
    heading: String,
    body: String,
    back: Option<(String, String)>,
}

/// A page that explains, with a way back.
pub fn message(
    state: &AppState,
    v: &Visitor,
    status: StatusCode,
    heading: String,
    body: String,
    back: Option<(String, String)>,
) -> Response {
    let l = v.tr();
    let page = v.page(state, heading.clone());
    v.finish(state, html(status, &MessagePage { l, page, heading, body, back }))
}

/// Errors of the record use cases that the shared error page does not know how to say.
pub fn fail(state: &AppState, v: &Visitor, e: &AppError) -> Response {
    let l = v.tr();
    match e {
        AppError::Gone => {
            message(state, v, StatusCode::GONE, l.t("records-gone-title"), l.t("records-gone-body"), None)
        }
        AppError::Refused(code) => {
            message(state, v, StatusCode::CONFLICT, l.t("records-refused-title"), l.t(&format!("error-{code}")), None)
        }
        _ => errors::for_visitor(state, v, e),
    }
}

/// A coded value offered in a picker, with its label in the reader's language.
#[derive(Clone, Debug)]
pub struct Choice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// The label of a code: `code-<vocab>-<code>` in the locale files.
pub fn label(l: Tr, vocab: &str, code: &str) -> String {
    let key = format!("code-{vocab}-{code}");
    let text = l.t(&key);
    if text == key { code.to_owned() } else { text }
}

pub fn choices<'a>(l: Tr, vocab: &str, codes: impl IntoIterator<Item = &'a str>, selected: &[String]) -> Vec<Choice> {
    codes
        .into_iter()
        .map(|c| Choice { code: c.to_owned(), label: label(l, vocab, c), selected: selected.iter().any(|s| s == c) })
        .collect()
}

/// The decline choices of an optional field.
pub fn declines(l: Tr, selected: &str) -> Vec<Choice> {
    choices(l, "decline", DeclineCode::ALL.iter().map(|d| d.code()), &[selected.to_owned()])
}

/// Languages offered first in pickers: Spanish, English and the Indigenous languages of
/// Mexico and Central America most often met (ISO 639-1 where it exists, else 639-3).
pub const LANGUAGES: [&str; 9] = ["es", "en", "nah", "mix", "zap", "yua", "tzo", "mam", "quc"];

/// How an answer is shown: its value, or what the decline code says.
pub fn show_answer<T: ToString>(l: Tr, a: &Option<Answer<T>>) -> String {
    match a {
        Some(Answer::Value(v)) => v.to_string(),
        Some(Answer::Declined(d)) => label(l, "decline", d.code()),
        None => String::new(),
    }
}

/// A text answer as a form has it: the value typed, or the decline code chosen.
pub fn answer_parts<T: ToString>(a: &Option<Answer<T>>) -> (String, String) {
    match a {
        Some(Answer::Value(v)) => (v.to_string(), String::new()),
        Some(Answer::Declined(d)) => (String::new(), d.code().to_owned()),
        None => (String::new(), String::new()),
    }
}

/// Reads an optional answer: a decline code wins over a value; both empty leaves the field
/// as it is. Values are kept exactly as typed.
pub fn text_answer(f: &Fields, field: &'static str, decline_field: &str) -> Result<Option<Answer<String>>, AppError> {
    let decline = f.get(decline_field);
    if !decline.is_empty() {
        return DeclineCode::from_code(decline)
            .map(|d| Some(Answer::Declined(d)))
            .ok_or(AppError::invalid(field, DomainError::UnknownCode));
    }
    let value = f.get(field);
    Ok((!value.trim().is_empty()).then(|| Answer::Value(value.to_owned())))
}

/// Reads an optional whole-number answer; `None` in the error means "not a number".
pub fn number_answer(f: &Fields, field: &'static str, decline_field: &str) -> Result<Option<Answer<i32>>, AppError> {
    match text_answer(f, field, decline_field)? {
        None => Ok(None),
        Some(Answer::Declined(d)) => Ok(Some(Answer::Declined(d))),
        Some(Answer::Value(v)) => v.trim().parse::<i32>().map(|n| Some(Answer::Value(n))).map_err(|_| {
            AppError::invalid(field, DomainError::PersonField(amparo_domain::records::PersonFieldError::AgeOutOfRange))
        }),
    }
}

/// Puts an input error next to its field; says whether it was one.
pub fn field_message(l: Tr, e: &AppError, errors: &mut FormErrors) -> bool {
    match e {
        AppError::Invalid { field, problem } => {
            errors.push(*field, l.t(&format!("error-{}", problem.code())));
            true
        }
        AppError::InvalidField { field, problem } => {
            errors.push(field.clone(), l.t(&format!("error-{}", problem.code())));
            true
        }
        AppError::WrongCurrentPassword => {
            errors.push("password", l.t("error-wrong_current_password"));
            true
        }
        _ => false,
    }
}

/// A date for people: day, month and year as the reader's language writes them.
pub fn date(l: Tr, d: chrono::NaiveDate) -> String {
    match l.0 {
        amparo_i18n::Language::Es => d.format("%d/%m/%Y").to_string(),
        amparo_i18n::Language::En => d.format("%Y-%m-%d").to_string(),
    }
}

pub fn date_time(l: Tr, t: chrono::DateTime<chrono::Utc>) -> String {
    format!("{} {} UTC", date(l, t.date_naive()), t.format("%H:%M"))
}

/// Form input holds survivors' data and passwords: never printed.
impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fields(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amparo_domain::records::vocab::{ExploitationType, Gender, MeansOfControl, RecruitmentMethod, StatusDecidedBy};
    use amparo_domain::records::{
        CaseStatus, ClosureReason, ConsentField, ConsentGivenAs, ContactChannel, TraffickingStatus,
    };
    use amparo_i18n::Language;

    /// Labels are looked up from codes at run time, so no scan of the templates finds them.
    #[test]
    fn every_code_offered_in_a_picker_has_a_label_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        let mut add = |vocab: &str, codes: Vec<&str>| keys.extend(codes.iter().map(|c| format!("code-{vocab}-{c}")));
        add("case_status", CaseStatus::ALL.iter().map(|c| c.code()).collect());
        add("closure_reason", ClosureReason::ALL.iter().map(|c| c.code()).collect());
        add("trafficking_status", TraffickingStatus::ALL.iter().map(|c| c.code()).collect());
        add("status_decided_by", StatusDecidedBy::ALL.iter().map(|c| c.code()).collect());
        add("exploitation_type", ExploitationType::ALL.iter().map(|c| c.code()).collect());
        add("means_of_control", MeansOfControl::ALL.iter().map(|c| c.code()).collect());
        add("recruitment", RecruitmentMethod::ALL.iter().map(|c| c.code()).collect());
        add("gender", Gender::ALL.iter().map(|c| c.code()).collect());
        add("channel", ContactChannel::ALL.iter().map(|c| c.code()).collect());
        add("consent_field", ConsentField::ALL.iter().map(|c| c.code()).collect());
        add("given_as", ConsentGivenAs::ALL.iter().map(|c| c.code()).collect());
        add("decline", DeclineCode::ALL.iter().map(|c| c.code()).collect());
        add("language", LANGUAGES.to_vec());
        for code in [
            "name_or_alias_required",
            "birth_date_in_future",
            "birth_date_malformed",
            "age_out_of_range",
            "phone_malformed",
            "query_too_short",
            "reason_too_short",
            "consent_too_long",
            "consent_expiry_in_past",
            "unknown_code",
            "channel_not_safe",
        ] {
            keys.push(format!("error-{code}"));
        }
        for lang in Language::ALL {
            let have = amparo_i18n::keys(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !have.contains(*k)).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        }
    }
}
