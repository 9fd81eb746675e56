//! An organisation's configuration of one form: which fields are hidden or required, their
//! order and labels, and its custom fields. Kept in clear (it is configuration, not data
//! about anyone) as a JSON document, one version per change.

use serde::{Deserialize, Serialize};

use super::catalogue::{Essential, FieldSpec, FormKind};
use super::problem::{FormError, FormProblem};
use crate::{Language, Section};

/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 80;
/// Custom fields a form may have at once.
pub const MAX_CUSTOM_FIELDS: usize = 30;
/// Choices a choice field may offer.
pub const MAX_CHOICES: usize = 50;
/// Longest field or choice code, in characters.
pub const MAX_CODE_CHARS: usize = 48;
/// Every custom field's code starts so: it can never be mistaken for a built-in field,
/// not even one added in a later version.
pub const CUSTOM_PREFIX: &str = "custom_";

/// What a custom field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomKind {
    Text,
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// One of a list of coded choices.
    Choice,
}

impl CustomKind {
    pub const ALL: [CustomKind; 4] = [CustomKind::Text, CustomKind::Number, CustomKind::Date, CustomKind::Choice];

    pub const fn code(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::Choice => "choice",
        }
    }

    pub fn from_code(s: &str) -> Result<Self, crate::DomainError> {
        Self::ALL.into_iter().find(|k| k.code() == s).ok_or(crate::DomainError::UnknownCode)
    }
}

/// A label in each interface language; a missing one falls back to the default label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
}

impl Labels {
    pub fn new(en: &str, es: &str) -> Self {
        let mut l = Labels { en: Some(en.to_owned()), es: Some(es.to_owned()) };
        l.normalise();
        l
    }

    pub fn get(&self, lang: Language) -> Option<&str> {
        match lang {
            Language::En => self.en.as_deref(),
            Language::Es => self.es.as_deref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.es.is_none()
    }

    fn both(&self) -> bool {
        self.en.is_some() && self.es.is_some()
    }

    /// Trims each label; an empty one is no label.
    fn normalise(&mut self) {
        for l in [&mut self.en, &mut self.es] {
            *l = l.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        }
    }

    /// Short plain text: no markup, no control characters (templates escape anyway; a
    /// label is also read aloud by screen readers and printed).
    fn check(&self, field: &str) -> Result<(), FormError> {
        for l in [&self.en, &self.es].into_iter().flatten() {
            if l.chars().count() > MAX_LABEL_CHARS || l.chars().any(|c| c.is_control() || matches!(c, '<' | '>')) {
                return Err(FormError::at(FormProblem::LabelInvalid, field));
            }
        }
        Ok(())
    }
}

/// One choice of a choice field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomChoice {
    pub code: String,
    pub label: Labels,
}

/// What makes a field custom: its kind and, for a choice field, its choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomSpec {
    pub kind: CustomKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<CustomChoice>,
}

/// How the organisation set up one field, built-in or custom.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSetting {
    /// A built-in field's code, or a custom field's (generated when left empty).
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub hidden: bool,
    /// None: as the field is by default (optional, except essential ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Overrides of a built-in field's label; a custom field's labels (both required).
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub label: Labels,
    /// Present for a custom field only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomSpec>,
}

/// One version of a form's configuration. `fields` is in the order the form shows them;
/// built-in fields left out keep their defaults and come after, in their default order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormConfig {
    #[serde(default)]
    pub fields: Vec<FieldSetting>,
    /// Codes of custom fields that were removed: never given to a new field, so that values
    /// stored under them can never be read as something else.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

/// A field as the form lays it out once the configuration is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    pub code: String,
    /// The built-in field; None for a custom field.
    pub spec: Option<&'static FieldSpec>,
    pub hidden: bool,
    pub required: bool,
    /// A built-in field's label overrides, or a custom field's labels.
    pub label: Labels,
    pub custom: Option<CustomSpec>,
}

impl FormField {
    pub fn essential(&self) -> Essential {
        self.spec.map_or(Essential::No, |s| s.essential)
    }

    pub fn is_custom(&self) -> bool {
        self.custom.is_some()
    }

    /// The section whose permissions cover the field. Custom fields are part of the
    /// record's summary: whoever may see the record sees them (see docs/forms.md).
    pub fn section(&self) -> Section {
        self.spec.map_or(Section::Summary, |s| s.section)
    }

    /// The label set by the organisation for `lang`, if any (else the locale's).
    pub fn label_override(&self, lang: Language) -> Option<&str> {
        self.label.get(lang)
    }
}

/// A form's fields in order, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormLayout {
    pub form: FormKind,
    pub fields: Vec<FormField>,
}

impl FormLayout {
    /// The form as it is before any configuration.
    pub fn default_of(form: FormKind) -> Self {
        FormConfig::default().resolve(form)
    }

    pub fn field(&self, code: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.code == code)
    }

    /// Shown on forms and pages (a hidden field keeps its stored value, unseen).
    pub fn is_visible(&self, code: &str) -> bool {
        self.field(code).is_some_and(|f| !f.hidden)
    }

    pub fn is_required(&self, code: &str) -> bool {
        self.field(code).is_some_and(|f| f.required)
    }

    pub fn visible(&self) -> impl Iterator<Item = &FormField> {
        self.fields.iter().filter(|f| !f.hidden)
    }

    pub fn custom_fields(&self) -> impl Iterator<Item = &FormField> {
        self.fields.iter().filter(|f| f.is_custom())
    }

    /// The first required built-in field that `present` says is missing, among those
    /// `within` selects.
    pub fn missing_required(
        &self,
        within: impl Fn(&FormField) -> bool,
        present: impl Fn(&str) -> bool,
    ) -> Option<&str> {
        self.fields
            .iter()
            .filter(|f| f.required && !f.hidden && !f.is_custom() && within(f))
            .find(|f| !present(&f.code))
            .map(|f| f.code.as_str())
    }
}

impl FormConfig {
    /// Applies the configuration to the form's built-in fields. Settings of fields this
    /// version does not know are ignored, and essential fields stay as they must be, so a
    /// stored configuration is always safe to show.
    pub fn resolve(&self, form: FormKind) -> FormLayout {
        let mut out: Vec<FormField> = Vec::with_capacity(form.fields().len() + self.fields.len());
        for s in &self.fields {
            if out.iter().any(|f| f.code == s.code) {
                continue;
            }
            match (form.field(&s.code), &s.custom) {
                (Some(spec), _) => {
                    let (hidden, required) = match spec.essential {
                        Essential::Always => (false, spec.required_by_default),
                        Essential::NameOrAlias | Essential::No => {
                            (s.hidden, s.required.unwrap_or(spec.required_by_default) && !s.hidden)
                        }
                    };
                    out.push(FormField {
                        code: s.code.clone(),
                        spec: Some(spec),
                        hidden,
                        required,
                        label: s.label.clone(),
                        custom: None,
                    });
                }
                (None, Some(custom)) if !self.retired.contains(&s.code) => out.push(FormField {
                    code: s.code.clone(),
                    spec: None,
                    hidden: s.hidden,
                    required: s.required.unwrap_or(false) && !s.hidden,
                    label: s.label.clone(),
                    custom: Some(custom.clone()),
                }),
                (None, _) => {}
            }
        }
        for spec in form.fields() {
            if !out.iter().any(|f| f.code == spec.code) {
                out.push(FormField {
                    code: spec.code.to_owned(),
                    spec: Some(spec),
                    hidden: false,
                    required: spec.required_by_default,
                    label: Labels::default(),
                    custom: None,
                });
            }
        }
        // Both ways of finding a person again hidden (only possible in a hand-edited
        // configuration): show the alias.
        if form == FormKind::Person
            && out.iter().filter(|f| f.essential() == Essential::NameOrAlias).all(|f| f.hidden)
            && let Some(alias) = out.iter_mut().find(|f| f.code == "alias")
        {
            alias.hidden = false;
        }
        FormLayout { form, fields: out }
    }

    /// Makes this the next version after `previous`: trims labels, gives new custom fields
    /// a code, remembers the codes of removed custom fields, and checks everything.
    pub fn settle(mut self, form: FormKind, previous: Option<&FormConfig>) -> Result<FormConfig, FormError> {
        for s in &mut self.fields {
            s.code = s.code.trim().to_owned();
            s.label.normalise();
            if let Some(c) = &mut s.custom {
                for choice in &mut c.choices {
                    choice.code = choice.code.trim().to_owned();
                    choice.label.normalise();
                }
            }
        }
        // Retired codes can only grow: an earlier version's are kept whatever is sent.
        let mut retired: Vec<String> = previous.map(|p| p.retired.clone()).unwrap_or_default();
        for r in &self.retired {
            if !retired.contains(r) {
                retired.push(r.clone());
            }
        }
        for i in 0..self.fields.len() {
            if self.fields[i].custom.is_some() && self.fields[i].code.is_empty() {
                let label = self.fields[i].label.en.clone().or_else(|| self.fields[i].label.es.clone());
                let code = self.new_custom_code(form, label.as_deref().unwrap_or_default(), &retired);
                self.fields[i].code = code;
            }
        }
        for s in &self.fields {
            if s.custom.is_some() && retired.contains(&s.code) {
                return Err(FormError::at(FormProblem::CodeTaken, &s.code));
            }
        }
        if let Some(p) = previous {
            for old in p.fields.iter().filter(|f| f.custom.is_some()) {
                if !self.fields.iter().any(|f| f.code == old.code && f.custom.is_some()) && !retired.contains(&old.code)
                {
                    retired.push(old.code.clone());
                }
            }
        }
        retired.sort();
        self.retired = retired;
        self.validate(form, previous)?;
        Ok(self)
    }

    /// Checks a configuration (see `settle`, which calls it).
    pub fn validate(&self, form: FormKind, previous: Option<&FormConfig>) -> Result<(), FormError> {
        let mut seen: Vec<&str> = Vec::with_capacity(self.fields.len());
        let mut custom_count = 0;
        for s in &self.fields {
            if seen.contains(&s.code.as_str()) {
                return Err(FormError::at(FormProblem::DuplicateField, &s.code));
            }
            seen.push(&s.code);
            s.label.check(&s.code)?;
            match (form.field(&s.code), &s.custom) {
                (Some(_), Some(_)) => return Err(FormError::at(FormProblem::CodeTaken, &s.code)),
                (None, None) => return Err(FormError::general(FormProblem::UnknownField)),
                (Some(spec), None) => {
                    if spec.essential == Essential::Always {
                        if s.hidden {
                            return Err(FormError::at(FormProblem::EssentialHidden, &s.code));
                        }
                        if s.required.is_some_and(|r| r != spec.required_by_default) {
                            return Err(FormError::at(FormProblem::EssentialRequired, &s.code));
                        }
                    }
                    if s.hidden && s.required.unwrap_or(spec.required_by_default) {
                        return Err(FormError::at(FormProblem::HiddenAndRequired, &s.code));
                    }
                }
                (None, Some(custom)) => {
                    custom_count += 1;
                    if !valid_code(&s.code) || !s.code.starts_with(CUSTOM_PREFIX) {
                        return Err(FormError::at(FormProblem::CodeInvalid, &s.code));
                    }
                    if !s.label.both() {
                        return Err(FormError::at(FormProblem::LabelMissing, &s.code));
                    }
                    if s.hidden && s.required == Some(true) {
                        return Err(FormError::at(FormProblem::HiddenAndRequired, &s.code));
                    }
                    check_choices(&s.code, custom)?;
                    let before = previous
                        .and_then(|p| p.fields.iter().find(|f| f.code == s.code))
                        .and_then(|f| f.custom.as_ref());
                    if before.is_some_and(|b| b.kind != custom.kind) {
                        return Err(FormError::at(FormProblem::KindChanged, &s.code));
                    }
                }
            }
        }
        if custom_count > MAX_CUSTOM_FIELDS {
            return Err(FormError::general(FormProblem::TooManyCustomFields));
        }
        if form == FormKind::Person {
            let hidden = |code: &str| self.fields.iter().any(|f| f.code == code && f.hidden);
            if form.fields().iter().filter(|f| f.essential == Essential::NameOrAlias).all(|f| hidden(f.code)) {
                return Err(FormError::at(FormProblem::NameOrAliasHidden, "alias"));
            }
        }
        Ok(())
    }

    /// A stable code for a new custom field, made from its label (`Referred by` →
    /// `custom_referred_by`), never one in use, built in, or retired.
    pub fn new_custom_code(&self, form: FormKind, label: &str, retired: &[String]) -> String {
        let base = format!("{CUSTOM_PREFIX}{}", slug(label, MAX_CODE_CHARS - CUSTOM_PREFIX.len() - 4));
        let taken = |c: &str| {
            form.field(c).is_some()
                || self.fields.iter().any(|f| f.code == c)
                || retired.iter().any(|r| r == c)
                || self.retired.iter().any(|r| r == c)
        };
        if !taken(&base) {
            return base;
        }
        (2..).map(|n| format!("{base}_{n}")).find(|c| !taken(c)).unwrap_or(base)
    }
}

/// A choice's code from its English label, for choices typed without one.
pub fn choice_code(label: &str) -> String {
    slug(label, 40)
}

fn check_choices(field: &str, custom: &CustomSpec) -> Result<(), FormError> {
    if custom.kind != CustomKind::Choice {
        return if custom.choices.is_empty() {
            Ok(())
        } else {
            Err(FormError::at(FormProblem::ChoicesNotAllowed, field))
        };
    }
    if custom.choices.is_empty() {
        return Err(FormError::at(FormProblem::ChoicesEmpty, field));
    }
    if custom.choices.len() > MAX_CHOICES {
        return Err(FormError::at(FormProblem::TooManyChoices, field));
    }
    for (i, c) in custom.choices.iter().enumerate() {
        if !valid_code(&c.code) {
            return Err(FormError::at(FormProblem::CodeInvalid, field));
        }
        if custom.choices[..i].iter().any(|o| o.code == c.code) {
            return Err(FormError::at(FormProblem::CodeTaken, field));
        }
        if !c.label.both() {
            return Err(FormError::at(FormProblem::LabelMissing, field));
        }
        c.label.check(field)?;
    }
    Ok(())
}

/// Lower-case ASCII letters, digits and `_`, starting with a letter or digit.
fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE_CHARS
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !code.starts_with('_')
}

/// `Fecha de salida (aprox.)` → `fecha_de_salida_aprox`: accents folded, words joined.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
        if out.len() >= max {
            break;
        }
    }
    out.truncate(max);
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() { "field".to_owned() } else { out }
}
