//! Configurable forms: configuration versions, organisation settings, sealed custom values.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use uuid::Uuid;

use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{CustomValuesRow, FormConfigRow, OrganisationSettingsRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::{get, micros, time, uuid};

fn config_from_row(row: &SqliteRow) -> StoreResult<FormConfigRow> {
    let by: Option<Uuid> = get(row, "updated_by")?;
    Ok(FormConfigRow {
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        form: get(row, "form")?,
        version: get(row, "version")?,
        config: get(row, "config")?,
        updated_by: by.map(UserId::from_uuid),
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) async fn config(pool: &SqlitePool, org: OrgId, form: &str) -> StoreResult<Option<FormConfigRow>> {
    let row = sqlx::query(
        "SELECT org_id, form, version, config, updated_by, updated_at FROM form_configs
         WHERE org_id = ? AND form = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(org.as_uuid())
    .bind(form)
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref().map(config_from_row).transpose()
}

pub(crate) async fn history(pool: &SqlitePool, org: OrgId, form: &str, limit: i64) -> StoreResult<Vec<FormConfigRow>> {
    let rows = sqlx::query(
        "SELECT org_id, form, version, config, updated_by, updated_at FROM form_configs
         WHERE org_id = ? AND form = ? ORDER BY version DESC LIMIT ?",
    )
    .bind(org.as_uuid())
    .bind(form)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(config_from_row).collect()
}

pub(crate) async fn settings(pool: &SqlitePool, org: OrgId) -> StoreResult<Option<OrganisationSettingsRow>> {
    let row = sqlx::query(
        "SELECT org_id, people_word, version, updated_by, updated_at FROM organisation_settings WHERE org_id = ?",
    )
    .bind(org.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref()
        .map(|row| {
            let by: Option<Uuid> = get(row, "updated_by")?;
            Ok(OrganisationSettingsRow {
                org: OrgId::from_uuid(uuid(row, "org_id")?),
                people_word: get(row, "people_word")?,
                version: get(row, "version")?,
                updated_by: by.map(UserId::from_uuid),
                updated_at: time(row, "updated_at")?,
            })
        })
        .transpose()
}

pub(crate) async fn custom_values(pool: &SqlitePool, form: &str, record: Uuid) -> StoreResult<Option<CustomValuesRow>> {
    let row = sqlx::query(
        "SELECT form, record_id, org_id, person_id, case_id, content, updated_at FROM custom_values
         WHERE form = ? AND record_id = ?",
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
    pool: &SqlitePool,
    form: &str,
    person: PersonId,
    case: CaseId,
) -> StoreResult<Vec<CustomValuesRow>> {
    // Through the person's index: a person has few records with custom values.
    let rows = sqlx::query(
        "SELECT form, record_id, org_id, person_id, case_id, content, updated_at FROM custom_values
         WHERE person_id = ? AND form = ? AND case_id = ?",
    )
    .bind(person.as_uuid())
    .bind(form)
    .bind(case.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(custom_values_row).collect()
}

fn custom_values_row(row: &SqliteRow) -> StoreResult<CustomValuesRow> {
    let case: Option<Uuid> = get(row, "case_id")?;
    Ok(CustomValuesRow {
        form: get(row, "form")?,
        record: uuid(row, "record_id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        case: case.map(CaseId::from_uuid),
        content: get(row, "content")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) async fn insert_config(conn: &mut SqliteConnection, row: &FormConfigRow) -> StoreResult<()> {
    // The write lock is held from BEGIN: nobody can insert between this read and the insert.
    let (newest,): (Option<i64>,) =
        sqlx::query_as("SELECT max(version) FROM form_configs WHERE org_id = ? AND form = ?")
            .bind(row.org.as_uuid())
            .bind(&row.form)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
    if row.version != newest.unwrap_or(0) + 1 {
        return Err(StoreError::Conflict);
    }
    sqlx::query(
        "INSERT INTO form_configs (org_id, form, version, config, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
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

pub(crate) async fn save_settings(conn: &mut SqliteConnection, row: &OrganisationSettingsRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO organisation_settings (org_id, people_word, version, updated_by, updated_at)
             VALUES (?, ?, 1, ?, ?) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(row.org.as_uuid())
        .bind(&row.people_word)
        .bind(row.updated_by.map(|u| *u.as_uuid()))
        .bind(micros(row.updated_at))
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query(
            "UPDATE organisation_settings SET people_word = ?, version = ?, updated_by = ?, updated_at = ?
             WHERE org_id = ? AND version = ?",
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

pub(crate) async fn put_custom_values(conn: &mut SqliteConnection, row: &CustomValuesRow) -> StoreResult<()> {
    // A record id already stored for another person (or organisation) is not overwritten.
    let done = sqlx::query(
        "INSERT INTO custom_values (form, record_id, org_id, person_id, case_id, content, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
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
