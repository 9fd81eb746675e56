//! The inputs of the configurable forms (person and case), laid out as the organisation set
//! them up: hidden fields left out, labels in the reader's language (the organisation's
//! own, else Amparo's), required ones marked, custom fields as inputs of their kind.

use amparo_domain::forms::{CustomInput, CustomKind, CustomValue, FormField, FormLayout};

use crate::pages::forms::field_label;
use crate::pages::records::Choice;
use crate::view::{FormErrors, Tr};

/// The name (and id) of a custom field's input: `custom.<code>`, as errors name it.
pub fn custom_name(code: &str) -> String {
    format!("custom.{code}")
}

/// One input of a form.
#[derive(Clone, Default)]
pub struct FieldInput {
    /// The input's name and id.
    pub name: String,
    /// `text`, `date`, `number`, `tel`, `email`, `textarea` (a typed answer);
    /// `select` (a coded picker), `codes` (codes typed as a list), `language` (the primary
    /// language picker with its "other" box), `checkboxes` (several codes).
    pub kind: &'static str,
    pub label: String,
    /// Shown under the label when not empty.
    pub hint: String,
    pub value: String,
    pub choices: Vec<Choice>,
    /// Decline codes offered (an answer's picker, or a group of a select); none: not offered.
    pub declines: Vec<Choice>,
    /// The "other language" code typed (language only).
    pub other_value: String,
    pub required: bool,
    pub error: Option<String>,
    pub other_error: Option<String>,
}

impl FieldInput {
    pub fn new(f: &FormField, l: Tr, name: impl Into<String>, kind: &'static str, errors: &FormErrors) -> Self {
        let name = name.into();
        FieldInput {
            error: errors.get(&name).cloned(),
            label: field_label(f, l.0),
            required: f.required,
            kind,
            name,
            ..FieldInput::default()
        }
    }
}

/// Form input holds survivors' data: never printed.
impl std::fmt::Debug for FieldInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldInput").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Custom values as stored, as a form shows them.
pub fn custom_shown(values: &CustomInput) -> Vec<(String, String)> {
    values.iter().filter_map(|(k, v)| v.as_ref().map(|v| (k.clone(), v.as_text()))).collect()
}

/// What a form sends for its shown custom fields: every one, an empty input clearing it.
pub fn custom_input(typed: &[(String, String)], layout: &FormLayout) -> CustomInput {
    layout
        .custom_fields()
        .filter(|c| !c.hidden)
        .map(|c| {
            let text = typed.iter().find(|(k, _)| *k == c.code).map(|(_, v)| v.trim()).unwrap_or_default();
            (c.code.clone(), (!text.is_empty()).then(|| CustomValue::Text(text.to_owned())))
        })
        .collect()
}

/// The inputs of the shown custom fields, in order.
pub fn custom_inputs(l: Tr, layout: &FormLayout, typed: &[(String, String)], errors: &FormErrors) -> Vec<FieldInput> {
    layout
        .custom_fields()
        .filter(|c| !c.hidden)
        .filter_map(|c| {
            let spec = c.custom.as_ref()?;
            let value = typed.iter().find(|(k, _)| *k == c.code).map(|(_, v)| v.clone()).unwrap_or_default();
            let kind = match spec.kind {
                CustomKind::Text => "text",
                CustomKind::Number => "number",
                CustomKind::Date => "date",
                CustomKind::Choice => "select",
            };
            let choices = spec
                .choices
                .iter()
                .map(|ch| Choice {
                    code: ch.code.clone(),
                    label: ch.label.get(l.0).unwrap_or(&ch.code).to_owned(),
                    selected: ch.code == value,
                })
                .collect();
            Some(FieldInput { value, choices, ..FieldInput::new(c, l, custom_name(&c.code), kind, errors) })
        })
        .collect()
}

/// A custom value as a page shows it: a choice by its label, a date in the reader's way.
pub fn custom_value(l: Tr, field: &FormField, value: &CustomValue) -> String {
    let v = value.as_text();
    match field.custom.as_ref().map(|s| (s.kind, &s.choices)) {
        Some((CustomKind::Choice, choices)) => {
            choices.iter().find(|ch| ch.code == v).and_then(|ch| ch.label.get(l.0)).map_or(v.clone(), str::to_owned)
        }
        Some((CustomKind::Date, _)) => {
            chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").map(|d| crate::pages::records::date(l, d)).unwrap_or(v)
        }
        _ => v,
    }
}

/// The shown custom values, as (label, value) for a record's page.
pub fn custom_facts(l: Tr, layout: &FormLayout, values: &CustomInput) -> Vec<(String, String)> {
    layout
        .custom_fields()
        .filter(|c| !c.hidden)
        .filter_map(|c| Some((field_label(c, l.0), custom_value(l, c, values.get(&c.code)?.as_ref()?))))
        .collect()
}
