//! Configurable forms: what an administrator may change about the person, case, assessment
//! and service forms (hide, relabel in both languages, reorder, require or not, add custom
//! fields), what they may not (essential fields), and the organisation's word for the
//! people it serves. Pure rules; the app stores versions and seals custom values.

mod catalogue;
mod config;
mod custom;
mod people;
mod problem;

pub use catalogue::{Essential, FieldSpec, FormKind};
pub use config::{
    CUSTOM_PREFIX, CustomChoice, CustomKind, CustomSpec, FieldSetting, FormConfig, FormField, FormLayout, Labels,
    MAX_CHOICES, MAX_CODE_CHARS, MAX_CUSTOM_FIELDS, MAX_LABEL_CHARS, choice_code,
};
pub use custom::{CustomInput, CustomValue, CustomValues, MAX_CUSTOM_TEXT_CHARS, apply_custom};
pub use people::PeopleWord;
pub use problem::{FormError, FormProblem};

#[cfg(test)]
mod tests;
