//! Configurable forms: configuration versions, organisation settings, sealed custom values.

use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{CustomValuesRow, FormConfigRow, OrganisationSettingsRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::{get, micros};

fn config_from_row(row: &PgRow) -> StoreResult<FormConfigRow> {
    let by: Option<Uuid> = get(row, "updated_by")?;
    Ok(FormConfigRow {
        org: OrgId::from_uuid(get(row, "org_id")?),
        form: get(row, "form")?,
        version: get(row, "version")?,
        config: get(row, "config")?,
        updated_by: by.map(UserId::from_uuid),
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) async fn config(pool: &PgPool, org: OrgId, form: &str) -> StoreResult<Option<FormConfigRow>> {
    let row = sqlx::query(
        "SELECT org_id, form, version, config, updated_by, updated_at FROM form_configs
         WHERE org_id = $1 AND form = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(org.as_uuid())
    .bind(form)
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref().map(config_from_row).transpose()
}

pub(crate) async fn history(pool: &PgPool, org: OrgId, form: &str, limit: i64) -> StoreResult<Vec<FormConfigRow>> {
    let rows = sqlx::query(
        "SELECT org_id, form, version, config, updated_by, updated_at FROM form_configs
         WHERE org_id = $1 AND form = $2 ORDER BY version DESC LIMIT $3",
    )
    .bind(org.as_uuid())
    .bind(form)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(config_from_row).collect()
}

pub(crate) async fn settings(pool: &PgPool, org: OrgId) -> StoreResult<Option<OrganisationSettingsRow>> {
    let row = sqlx::query(
        "SELECT org_id, people_word, version, updated_by, updated_at FROM organisation_settings WHERE org_id = $1",
    )
    .bind(org.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(|row| {
            let by: Option<Uuid> = get(row, "updated_by")?;
            Ok(OrganisationSettingsRow {
                org: OrgId::from_uuid(get(row, "org_id")?),
                people_word: get(row, "people_word")?,
                version: get(row, "version")?,
                updated_by: by.map(UserId::from_uuid),
                updated_at: get(row, "updated_at")?,
            })
        })
        .transpose()
}

pub(crate) async fn custom_values(pool: &PgPool, form: &str, record: Uuid) -> StoreResult<Option<CustomValuesRow>> {
    let row = sqlx::query(
        "SELECT form, record_id, org_id, person_id, case_id, content, updated_at FROM custom_values
         WHERE form = $1 AND record_id = $2",
    )
    .bind(form)
    .bind(record)
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref().map(custom_values_row).transpose()
}

/// The values of one form's records of a case (its assessments, its services).
pub(crate) async fn case_custom_values(
    pool: &PgPool,
    form: &str,
    person: PersonId,
    case: CaseId,
) -> StoreResult<Vec<CustomValuesRow>> {
    // Through the person's index: a person has few records with custom values.
    let rows = sqlx::query(
        "SELECT form, record_id, org_id, person_id, case_id, content, updated_at FROM custom_values
         WHERE person_id = $1 AND form = $2 AND case_id = $3",
    )
    .bind(person.as_uuid())
    .bind(form)
    .bind(case.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(custom_values_row).collect()
}

fn custom_values_row(row: &PgRow) -> StoreResult<CustomValuesRow> {
    let case: Option<Uuid> = get(row, "case_id")?;
    Ok(CustomValuesRow {
        form: get(row, "form")?,
        record: get(row, "record_id")?,
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        case: case.map(CaseId::from_uuid),
        content: get(row, "content")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) async fn insert_config(conn: &mut PgConnection, row: &FormConfigRow) -> StoreResult<()> {
    // Two writers may read the same newest version: the primary key lets only one insert it.
    let (newest,): (Option<i64>,) =
        sqlx::query_as("SELECT max(version) FROM form_configs WHERE org_id = $1 AND form = $2")
            .bind(row.org.as_uuid())
            .bind(&row.form)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
    if row.version != newest.unwrap_or(0) + 1 {
        return Err(StoreError::Conflict);
    }
    sqlx::query(
        "INSERT INTO form_configs (org_id, form, version, config, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.org.as_uuid())
    .bind(&row.form)
    .bind(row.version)
    .bind(&row.config)
    .bind(row.updated_by.map(|u| *u.as_uuid()))
    .bind(micros(row.updated_at))
    .execute(&mut *conn)
    .await
    .map_err(|e| match map_err(e) {
        StoreError::Duplicate => StoreError::Conflict,
        other => other,
    })?;
    Ok(())
}

pub(crate) async fn save_settings(conn: &mut PgConnection, row: &OrganisationSettingsRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO organisation_settings (org_id, people_word, version, updated_by, updated_at)
             VALUES ($1, $2, 1, $3, $4) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(row.org.as_uuid())
        .bind(&row.people_word)
        .bind(row.updated_by.map(|u| *u.as_uuid()))
        .bind(micros(row.updated_at))
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query(
            "UPDATE organisation_settings SET people_word = $1, version = $2, updated_by = $3, updated_at = $4
             WHERE org_id = $5 AND version = $6",
        )
        .bind(&row.people_word)
        .bind(row.version)
        .bind(row.updated_by.map(|u| *u.as_uuid()))
        .bind(micros(row.updated_at))
        .bind(row.org.as_uuid())
        .bind(row.version - 1)
        .execute(&mut *conn)
        .await
    }
    .map_err(map_err)?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict) }
}

pub(crate) async fn put_custom_values(conn: &mut PgConnection, row: &CustomValuesRow) -> StoreResult<()> {
    // A record id already stored for another person (or organisation) is not overwritten.
    let done = sqlx::query(
        "INSERT INTO custom_values (form, record_id, org_id, person_id, case_id, content, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (form, record_id) DO UPDATE
         SET content = excluded.content, updated_at = excluded.updated_at
         WHERE custom_values.org_id = excluded.org_id AND custom_values.person_id = excluded.person_id",
    )
    .bind(&row.form)
    .bind(row.record)
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.case.map(|c| *c.as_uuid()))
    .bind(&row.content)
    .bind(micros(row.updated_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}
