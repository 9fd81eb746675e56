//! What can be wrong with a form's configuration or with a custom field's value. Each code
//! is also the i18n key `error-<code>`.

/// A problem, with a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormProblem {
    // --- configuration
    /// A field code the form does not have (and that is not a custom field).
    UnknownField,
    /// The same field listed twice.
    DuplicateField,
    /// An essential field was hidden.
    EssentialHidden,
    /// An essential field's required flag was changed.
    EssentialRequired,
    /// Both `given_name` and `alias` were hidden.
    NameOrAliasHidden,
    /// A field cannot be hidden and required at once.
    HiddenAndRequired,
    /// A label is too long, or holds markup or control characters.
    LabelInvalid,
    /// A custom field or a choice needs a label in both languages.
    LabelMissing,
    TooManyCustomFields,
    /// A custom field's or choice's code is malformed.
    CodeInvalid,
    /// The code is a built-in field's, another field's, or was used by a removed field.
    CodeTaken,
    ChoicesEmpty,
    /// Choices given for a field that is not a choice.
    ChoicesNotAllowed,
    TooManyChoices,
    /// A custom field's kind cannot change once it exists (stored values would not fit).
    KindChanged,
    // --- values
    /// A required field was left empty.
    Required,
    NotANumber,
    DateMalformed,
    UnknownChoice,
    /// Empty, too long, or holding control characters.
    TextInvalid,
    /// A value for a custom field the form does not have.
    UnknownCustomField,
}

impl FormProblem {
    pub const ALL: [FormProblem; 21] = [
        FormProblem::UnknownField,
        FormProblem::DuplicateField,
        FormProblem::EssentialHidden,
        FormProblem::EssentialRequired,
        FormProblem::NameOrAliasHidden,
        FormProblem::HiddenAndRequired,
        FormProblem::LabelInvalid,
        FormProblem::LabelMissing,
        FormProblem::TooManyCustomFields,
        FormProblem::CodeInvalid,
        FormProblem::CodeTaken,
        FormProblem::ChoicesEmpty,
        FormProblem::ChoicesNotAllowed,
        FormProblem::TooManyChoices,
        FormProblem::KindChanged,
        FormProblem::Required,
        FormProblem::NotANumber,
        FormProblem::DateMalformed,
        FormProblem::UnknownChoice,
        FormProblem::TextInvalid,
        FormProblem::UnknownCustomField,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            FormProblem::UnknownField => "form_unknown_field",
            FormProblem::DuplicateField => "form_duplicate_field",
            FormProblem::EssentialHidden => "form_essential_hidden",
            FormProblem::EssentialRequired => "form_essential_required",
            FormProblem::NameOrAliasHidden => "form_name_or_alias_hidden",
            FormProblem::HiddenAndRequired => "form_hidden_and_required",
            FormProblem::LabelInvalid => "form_label_invalid",
            FormProblem::LabelMissing => "form_label_missing",
            FormProblem::TooManyCustomFields => "form_too_many_custom_fields",
            FormProblem::CodeInvalid => "form_code_invalid",
            FormProblem::CodeTaken => "form_code_taken",
            FormProblem::ChoicesEmpty => "form_choices_empty",
            FormProblem::ChoicesNotAllowed => "form_choices_not_allowed",
            FormProblem::TooManyChoices => "form_too_many_choices",
            FormProblem::KindChanged => "form_kind_changed",
            FormProblem::Required => "required",
            FormProblem::NotANumber => "not_a_number",
            FormProblem::DateMalformed => "date_malformed",
            FormProblem::UnknownChoice => "unknown_choice",
            FormProblem::TextInvalid => "text_invalid",
            FormProblem::UnknownCustomField => "unknown_custom_field",
        }
    }
}

/// A problem and the field it is about (a field code; `None` when it concerns no one field,
/// or when naming it would echo input that is not a known code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    pub problem: FormProblem,
    pub field: Option<String>,
}

impl FormError {
    pub(crate) fn at(problem: FormProblem, field: &str) -> Self {
        Self { problem, field: Some(field.to_owned()) }
    }
    pub(crate) fn general(problem: FormProblem) -> Self {
        Self { problem, field: None }
    }
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field})", self.problem.code()),
            None => f.write_str(self.problem.code()),
        }
    }
}

impl std::error::Error for FormError {}
