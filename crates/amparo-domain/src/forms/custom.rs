//! Values of custom fields: checked against the form's configuration, then kept, sealed,
//! as one document per record (a map from field code to value).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::config::{CustomKind, FormLayout};
use super::problem::{FormError, FormProblem};

/// Longest custom text value, in characters.
pub const MAX_CUSTOM_TEXT_CHARS: usize = 2000;
/// Largest magnitude of a custom number (beyond it a double loses whole numbers).
const MAX_NUMBER: f64 = 1e15;

/// A custom field's value: a number for number fields; text, an ISO date or a choice code
/// otherwise.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CustomValue {
    Number(serde_json::Number),
    Text(String),
}

impl CustomValue {
    /// As a form shows it (`12`, `2026-03-31`, a choice code, the text).
    pub fn as_text(&self) -> String {
        match self {
            CustomValue::Number(n) => n.to_string(),
            CustomValue::Text(t) => t.clone(),
        }
    }
}

/// Values can be anything a survivor said: never printed.
impl std::fmt::Debug for CustomValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CustomValue(<redacted>)")
    }
}

/// The stored values of one record, by field code.
pub type CustomValues = BTreeMap<String, CustomValue>;

/// Values sent with a create or an update: `null` (or an empty string) clears a field;
/// fields left out stay as they are.
pub type CustomInput = BTreeMap<String, Option<CustomValue>>;

impl FormLayout {
    /// Checks values against the form's custom fields, giving them in their stored form
    /// (numbers as numbers, dates as `YYYY-MM-DD`); `None` clears. A hidden field may still
    /// be given a value (hiding is about forms and pages, not access).
    pub fn check_custom(&self, input: &CustomInput) -> Result<Vec<(String, Option<CustomValue>)>, FormError> {
        let mut out = Vec::with_capacity(input.len());
        for (code, value) in input {
            let Some((field, spec)) = self.field(code).and_then(|f| f.custom.as_ref().map(|c| (f, c))) else {
                // The unknown code is not named back: it is input, not one of ours.
                return Err(FormError::general(FormProblem::UnknownCustomField));
            };
            let bad = |p| FormError::at(p, code);
            let value = match value {
                Some(CustomValue::Text(t)) if t.trim().is_empty() => None,
                other => other.clone(),
            };
            let checked = match (spec.kind, value) {
                (_, None) => None,
                (CustomKind::Text, Some(CustomValue::Text(t))) => {
                    if t.chars().count() > MAX_CUSTOM_TEXT_CHARS
                        || t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                    {
                        return Err(bad(FormProblem::TextInvalid));
                    }
                    Some(CustomValue::Text(t))
                }
                (CustomKind::Text, Some(CustomValue::Number(n))) => Some(CustomValue::Text(n.to_string())),
                (CustomKind::Number, Some(v)) => {
                    Some(CustomValue::Number(number(&v).ok_or(bad(FormProblem::NotANumber))?))
                }
                (CustomKind::Date, Some(CustomValue::Text(t))) => {
                    let t = t.trim();
                    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .ok()
                        .filter(|_| t.len() == 10)
                        .ok_or(bad(FormProblem::DateMalformed))?;
                    Some(CustomValue::Text(d.format("%Y-%m-%d").to_string()))
                }
                (CustomKind::Date, Some(CustomValue::Number(_))) => return Err(bad(FormProblem::DateMalformed)),
                (CustomKind::Choice, Some(CustomValue::Text(t))) => {
                    let t = t.trim();
                    if !spec.choices.iter().any(|c| c.code == t) {
                        return Err(bad(FormProblem::UnknownChoice));
                    }
                    Some(CustomValue::Text(t.to_owned()))
                }
                (CustomKind::Choice, Some(CustomValue::Number(_))) => return Err(bad(FormProblem::UnknownChoice)),
            };
            if checked.is_none() && field.required {
                return Err(bad(FormProblem::Required));
            }
            out.push((code.clone(), checked));
        }
        Ok(out)
    }

    /// The first required, shown custom field without a value.
    pub fn missing_required_custom(&self, values: &CustomValues) -> Option<&str> {
        self.custom_fields().find(|f| f.required && !f.hidden && !values.contains_key(&f.code)).map(|f| f.code.as_str())
    }
}

/// Writes checked changes into stored values. Values of fields not mentioned — hidden or
/// removed fields included — stay.
pub fn apply_custom(stored: &mut CustomValues, changes: Vec<(String, Option<CustomValue>)>) {
    for (code, value) in changes {
        match value {
            Some(v) => {
                stored.insert(code, v);
            }
            None => {
                stored.remove(&code);
            }
        }
    }
}

/// A number as given, or parsed from text (`12`, `-3.5`); whole numbers stay whole.
fn number(v: &CustomValue) -> Option<serde_json::Number> {
    let n = match v {
        CustomValue::Number(n) => {
            return n.as_f64().filter(|f| f.is_finite() && f.abs() <= MAX_NUMBER).map(|_| n.clone());
        }
        CustomValue::Text(t) => t.trim(),
    };
    if let Ok(i) = n.parse::<i64>() {
        return (i.unsigned_abs() as f64 <= MAX_NUMBER).then(|| i.into());
    }
    let f = n.parse::<f64>().ok().filter(|f| f.is_finite() && f.abs() <= MAX_NUMBER)?;
    serde_json::Number::from_f64(f)
}
