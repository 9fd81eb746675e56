//! Survivor records: values as stored, and rows back to their types.
//!
//! Dates are `date`, code lists JSON arrays of strings in `text` (the same encoding as on
//! SQLite), a case's team one `case_team` row per member, read back with the case in one
//! statement.

use sqlx::postgres::{PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::{CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{
    BreakGlassRow, CaseRow, CaseStatusRow, ConsentRow, ErasureRow, OutreachRow, PersonRow, StoreError, StoreResult,
};

use crate::error::{bad_value, map_err};
use crate::get;

/// A list of codes as a JSON array (order kept).
pub(crate) fn list(items: &[String]) -> StoreResult<String> {
    serde_json::to_string(items).map_err(|_| StoreError::Database("could not encode a list".into()))
}

pub(crate) fn list_column(row: &PgRow, column: &'static str) -> StoreResult<Vec<String>> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|_| bad_value(column))
}

/// The members once each, in the order first given.
pub(crate) fn distinct<T: PartialEq + Clone>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

pub(crate) fn uuids<'a>(ids: impl IntoIterator<Item = &'a Uuid>) -> Vec<Uuid> {
    ids.into_iter().copied().collect()
}

fn user(row: &PgRow, column: &'static str) -> StoreResult<Option<UserId>> {
    Ok(get::<Option<Uuid>>(row, column)?.map(UserId::from_uuid))
}

pub(crate) fn person_from_row(row: &PgRow) -> StoreResult<PersonRow> {
    Ok(PersonRow {
        id: PersonId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        created_by: user(row, "created_by")?,
        wrapped_key: get(row, "wrapped_key")?,
        gender: get(row, "gender")?,
        birth_year: get(row, "birth_year")?,
        age_band: get(row, "age_band")?,
        citizenship: list_column(row, "citizenship")?,
        primary_language: get(row, "primary_language")?,
        other_languages: list_column(row, "other_languages")?,
        interpreter_needed: get(row, "interpreter_needed")?,
        household_size: get(row, "household_size")?,
        dependants: get(row, "dependants")?,
        safe_contact_confirmed_at: get(row, "safe_contact_confirmed_at")?,
        identity: get(row, "identity")?,
        safe_contact: get(row, "safe_contact")?,
        narrative: get(row, "narrative")?,
        version: get(row, "version")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn case_from_row(row: &PgRow) -> StoreResult<CaseRow> {
    let team: Vec<Uuid> = get(row, "team")?;
    Ok(CaseRow {
        id: CaseId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        number: get(row, "number")?,
        status: get(row, "status")?,
        closure_reason: get(row, "closure_reason")?,
        trafficking_status: get(row, "trafficking_status")?,
        status_decided_by: get(row, "status_decided_by")?,
        exploitation_types: list_column(row, "exploitation_types")?,
        means_of_control: list_column(row, "means_of_control")?,
        recruitment: get(row, "recruitment")?,
        countries: list_column(row, "countries")?,
        places: list_column(row, "places")?,
        opened_on: get(row, "opened_on")?,
        closed_on: get(row, "closed_on")?,
        assigned_to: user(row, "assigned_to")?,
        restricted: get(row, "restricted")?,
        team: team.into_iter().map(UserId::from_uuid).collect(),
        created_by: user(row, "created_by")?,
        version: get(row, "version")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn break_glass_from_row(row: &PgRow) -> StoreResult<BreakGlassRow> {
    Ok(BreakGlassRow {
        id: get(row, "id")?,
        org: OrgId::from_uuid(get(row, "org_id")?),
        case: CaseId::from_uuid(get(row, "case_id")?),
        user: UserId::from_uuid(get(row, "user_id")?),
        reason: get(row, "reason")?,
        granted_at: get(row, "granted_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

pub(crate) fn consent_from_row(row: &PgRow) -> StoreResult<ConsentRow> {
    Ok(ConsentRow {
        id: ConsentId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        recipient_partner: get(row, "recipient_partner")?,
        recipient_name: get(row, "recipient_name")?,
        fields: list_column(row, "fields")?,
        purpose: get(row, "purpose")?,
        expires_on: get(row, "expires_on")?,
        given_as: get(row, "given_as")?,
        given_at: get(row, "given_at")?,
        recorded_by: user(row, "recorded_by")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

pub(crate) fn outreach_from_row(row: &PgRow) -> StoreResult<OutreachRow> {
    Ok(OutreachRow {
        id: get(row, "id")?,
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        channel: get(row, "channel")?,
        at: get(row, "at")?,
        by: user(row, "by_id")?,
    })
}

pub(crate) fn erasure_from_row(row: &PgRow) -> StoreResult<ErasureRow> {
    Ok(ErasureRow {
        person: PersonId::from_uuid(get(row, "person_id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        erased_at: get(row, "erased_at")?,
        erased_by: user(row, "erased_by")?,
        reason: get(row, "reason")?,
    })
}

pub(crate) fn erasure_request_from_row(row: &PgRow) -> StoreResult<amparo_store::ErasureRequestRow> {
    Ok(amparo_store::ErasureRequestRow {
        id: get(row, "id")?,
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        requested_by: UserId::from_uuid(get(row, "requested_by")?),
        reason: get(row, "reason")?,
        requested_at: get(row, "requested_at")?,
        decided_by: user(row, "decided_by")?,
        decided_at: get(row, "decided_at")?,
        approved: get(row, "approved")?,
    })
}

pub(crate) async fn case_status_history(pool: &PgPool, case: CaseId) -> StoreResult<Vec<CaseStatusRow>> {
    let rows = sqlx::query(
        "SELECT case_id, org_id, seq, status, closure_reason, on_date, changed_by, changed_at
         FROM case_status_changes WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter()
        .map(|row| {
            let by: Option<Uuid> = get(row, "changed_by")?;
            Ok(CaseStatusRow {
                case: CaseId::from_uuid(get(row, "case_id")?),
                org: OrgId::from_uuid(get(row, "org_id")?),
                seq: get(row, "seq")?,
                status: get(row, "status")?,
                closure_reason: get(row, "closure_reason")?,
                on_date: get(row, "on_date")?,
                changed_by: by.map(UserId::from_uuid),
                changed_at: get(row, "changed_at")?,
            })
        })
        .collect()
}
