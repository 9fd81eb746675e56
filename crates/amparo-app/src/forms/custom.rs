//! Custom-field values of persons and cases, and the required fields of their forms.
//!
//! A record's custom values are one JSON document (field code → value), sealed with the
//! person's data key and bound to the `custom_values` table, the form and the record's id:
//! erasing the person (deleting their key) makes them unreadable with everything else.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use amparo_crypto::DataKey;
use amparo_domain::forms::{CustomInput, CustomValues, FormKind, FormLayout, FormProblem, apply_custom};
use amparo_domain::records::Answer;
use amparo_domain::{CaseId, DomainError, OrgId, PersonId};
use amparo_store::{CaseRow, CustomValuesRow, PersonRow};

use super::form_error;
use crate::records::{Identity, PersonFields, open_json, seal_json};
use crate::{Amparo, AppError, AppResult};

const TABLE: &str = "custom_values";

/// A required field left without an answer, named as the form names it.
fn required(field: &str) -> AppError {
    AppError::InvalidField { field: field.to_owned(), problem: DomainError::Form(FormProblem::Required) }
}

/// Where a record's custom values live, and whose key seals them.
pub(crate) struct CustomTarget {
    pub form: FormKind,
    pub record: Uuid,
    pub org: OrgId,
    pub person: PersonId,
    pub case: Option<CaseId>,
}

impl Amparo {
    /// A record's stored custom values, opened (none stored: empty).
    pub(crate) async fn open_custom(&self, key: &DataKey, form: FormKind, record: Uuid) -> AppResult<CustomValues> {
        match self.inner.store.custom_values(form.code(), record).await? {
            Some(row) => open_json(key, TABLE, form.code(), record, &row.content),
            None => Ok(CustomValues::new()),
        }
    }

    /// A stored row's values, opened.
    pub(crate) fn open_custom_row(&self, key: &DataKey, row: &CustomValuesRow) -> AppResult<CustomValues> {
        open_json(key, TABLE, &row.form, row.record, &row.content)
    }

    /// The values a reader gets back: those of the form's current custom fields, hidden
    /// ones included (hiding is about forms and pages; see docs/forms.md).
    pub(crate) fn shown_custom(layout: &FormLayout, stored: CustomValues) -> CustomInput {
        stored
            .into_iter()
            .filter(|(code, _)| layout.field(code).is_some_and(|f| f.is_custom()))
            .map(|(code, v)| (code, Some(v)))
            .collect()
    }

    /// Checks the values given against the form and merges them into `stored` (fields not
    /// mentioned stay as they are). With `complete`, every shown required custom field must
    /// then have a value.
    pub(crate) fn merge_custom(
        layout: &FormLayout,
        stored: &mut CustomValues,
        given: Option<&CustomInput>,
        complete: bool,
    ) -> AppResult<()> {
        if let Some(given) = given {
            let changes = layout.check_custom(given).map_err(|e| form_error(e, "custom."))?;
            apply_custom(stored, changes);
        }
        if complete && let Some(code) = layout.missing_required_custom(stored) {
            return Err(required(&format!("custom.{code}")));
        }
        Ok(())
    }

    /// The sealed row of a record's values.
    pub(crate) fn custom_row(
        &self,
        key: &DataKey,
        target: &CustomTarget,
        values: &CustomValues,
        at: DateTime<Utc>,
    ) -> AppResult<CustomValuesRow> {
        Ok(CustomValuesRow {
            form: target.form.code().to_owned(),
            record: target.record,
            org: target.org,
            person: target.person,
            case: target.case,
            content: seal_json(key, TABLE, target.form.code(), target.record, values)?,
            updated_at: at,
        })
    }
}

/// Whether a person's built-in field has an answer in `f` (a decline code is an answer: the
/// person may always say why there is none).
pub(crate) fn person_given(f: &PersonFields, code: &str) -> bool {
    fn some<T>(a: &Option<Answer<T>>) -> bool {
        a.is_some()
    }
    match code {
        "alias" => some(&f.alias),
        "given_name" => some(&f.given_name),
        "family_name" => some(&f.family_name),
        "birth_date" => some(&f.birth_date),
        "estimated_age" => some(&f.estimated_age),
        "phone" => some(&f.phone),
        "email" => some(&f.email),
        "address" => some(&f.address),
        "household_size" => some(&f.household_size),
        "dependants" => some(&f.dependants),
        "gender" => some(&f.gender),
        "citizenship" => f.citizenship.as_ref().is_some_and(|c| !c.is_empty()),
        "primary_language" => some(&f.primary_language),
        "languages" => f.languages.as_ref().is_some_and(|c| !c.is_empty()),
        "interpreter_needed" => some(&f.interpreter_needed),
        "narrative" => f.narrative.as_ref().is_some_and(|n| !n.trim().is_empty()),
        "safe_contact" => f.safe_contact.as_ref().is_some_and(|s| !s.is_empty()),
        _ => false,
    }
}

/// Whether a person's built-in field has an answer once `row` and `identity` are saved.
pub(crate) fn person_stored(row: &PersonRow, identity: &Identity, code: &str) -> bool {
    match code {
        "alias" => identity.alias.is_some(),
        "given_name" => identity.given_name.is_some(),
        "family_name" => identity.family_name.is_some(),
        "birth_date" => identity.birth_date.is_some(),
        "estimated_age" => identity.estimated_age.is_some(),
        "phone" => identity.phone.is_some(),
        "email" => identity.email.is_some(),
        "address" => identity.address.is_some(),
        "household_size" => identity.household_size.is_some() || row.household_size.is_some(),
        "dependants" => identity.dependants.is_some() || row.dependants.is_some(),
        "gender" => row.gender.is_some(),
        "citizenship" => !row.citizenship.is_empty(),
        "primary_language" => row.primary_language.is_some(),
        "languages" => !row.other_languages.is_empty(),
        "interpreter_needed" => row.interpreter_needed.is_some(),
        "narrative" => row.narrative.is_some(),
        "safe_contact" => row.safe_contact.is_some(),
        _ => false,
    }
}

/// Whether a case's built-in field has a value in the row as it will be saved.
pub(crate) fn case_stored(c: &CaseRow, code: &str) -> bool {
    match code {
        "status" => !c.status.is_empty(),
        "closure_reason" => c.closure_reason.is_some(),
        "trafficking_status" => c.trafficking_status.is_some(),
        "status_decided_by" => c.status_decided_by.is_some(),
        // A case is always opened on a day.
        "opened_on" => true,
        "closed_on" => c.closed_on.is_some(),
        "exploitation_types" => !c.exploitation_types.is_empty(),
        "means_of_control" => !c.means_of_control.is_empty(),
        "recruitment" => c.recruitment.is_some(),
        "countries" => !c.countries.is_empty(),
        "places" => !c.places.is_empty(),
        _ => false,
    }
}

/// The first required built-in field without an answer among the sections `written`.
pub(crate) fn missing_required(
    layout: &FormLayout,
    written: impl Fn(amparo_domain::Section) -> bool,
    present: impl Fn(&str) -> bool,
) -> AppResult<()> {
    match layout.missing_required(|f| written(f.section()), present) {
        Some(code) => Err(required(code)),
        None => Ok(()),
    }
}

impl Amparo {
    /// What a reader gets back of a record's custom values (see [`Amparo::shown_custom`]).
    pub(crate) async fn custom_view(&self, person: &PersonRow, form: FormKind, record: Uuid) -> AppResult<CustomInput> {
        let (layout, row) =
            tokio::join!(self.layout_of(person.org, form), self.inner.store.custom_values(form.code(), record));
        let layout = layout?;
        let stored = match row? {
            Some(row) => open_json(&self.person_key(person)?, TABLE, form.code(), record, &row.content)?,
            None => CustomValues::new(),
        };
        Ok(Self::shown_custom(&layout, stored))
    }
}
