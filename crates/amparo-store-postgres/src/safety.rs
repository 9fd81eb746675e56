//! Safety plans (every version kept) and the crisis log.

use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::records::safety::{CrisisContactId, SafetyPlanId};
use amparo_domain::{OrgId, PersonId, UserId};
use amparo_store::{CrisisContactRow, SafetyPlanRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::{get, micros};

macro_rules! select_plans {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, person_id, version, language, show_agency_name, content, created_by, created_at
             FROM safety_plans ",
            $tail
        )
    };
}

fn plan_from_row(row: &PgRow) -> StoreResult<SafetyPlanRow> {
    let by: Option<Uuid> = get(row, "created_by")?;
    Ok(SafetyPlanRow {
        id: SafetyPlanId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        version: get(row, "version")?,
        language: get(row, "language")?,
        show_agency_name: get(row, "show_agency_name")?,
        content: get(row, "content")?,
        created_by: by.map(UserId::from_uuid),
        created_at: get(row, "created_at")?,
    })
}

fn crisis_from_row(row: &PgRow) -> StoreResult<CrisisContactRow> {
    let by: Option<Uuid> = get(row, "created_by")?;
    Ok(CrisisContactRow {
        id: CrisisContactId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        occurred_at: get(row, "occurred_at")?,
        content: get(row, "content")?,
        created_by: by.map(UserId::from_uuid),
        created_at: get(row, "created_at")?,
    })
}

pub(crate) async fn latest(pool: &PgPool, person: PersonId) -> StoreResult<Option<SafetyPlanRow>> {
    let row = sqlx::query(select_plans!("WHERE person_id = $1 ORDER BY version DESC LIMIT 1"))
        .bind(person.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(plan_from_row).transpose()
}

pub(crate) async fn version(pool: &PgPool, person: PersonId, version: i64) -> StoreResult<Option<SafetyPlanRow>> {
    let row = sqlx::query(select_plans!("WHERE person_id = $1 AND version = $2"))
        .bind(person.as_uuid())
        .bind(version)
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(plan_from_row).transpose()
}

pub(crate) async fn versions(pool: &PgPool, person: PersonId, limit: i64) -> StoreResult<Vec<SafetyPlanRow>> {
    let rows = sqlx::query(select_plans!("WHERE person_id = $1 ORDER BY version DESC LIMIT $2"))
        .bind(person.as_uuid())
        .bind(limit.max(0))
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(plan_from_row).collect()
}

pub(crate) async fn crisis_of_person(
    pool: &PgPool,
    person: PersonId,
    limit: i64,
) -> StoreResult<Vec<CrisisContactRow>> {
    let rows = sqlx::query(
        "SELECT id, org_id, person_id, occurred_at, content, created_by, created_at FROM crisis_contacts
         WHERE person_id = $1 ORDER BY occurred_at DESC, created_at DESC, id DESC LIMIT $2",
    )
    .bind(person.as_uuid())
    .bind(limit.max(0))
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(crisis_from_row).collect()
}

pub(crate) async fn insert_plan(conn: &mut PgConnection, row: &SafetyPlanRow) -> StoreResult<()> {
    // Two writers may read the same newest version: the unique (person, version) lets only one
    // insert it, and the other gets the conflict.
    let (newest,): (Option<i64>,) = sqlx::query_as("SELECT max(version) FROM safety_plans WHERE person_id = $1")
        .bind(row.person.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    if row.version != newest.unwrap_or(0) + 1 {
        return Err(StoreError::Conflict);
    }
    sqlx::query(
        "INSERT INTO safety_plans (id, org_id, person_id, version, language, show_agency_name, content, created_by,
                                   created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.version)
    .bind(&row.language)
    .bind(row.show_agency_name)
    .bind(&row.content)
    .bind(row.created_by.map(|u| *u.as_uuid()))
    .bind(micros(row.created_at))
    .execute(&mut *conn)
    .await
    .map_err(|e| match map_err(e) {
        StoreError::Duplicate => StoreError::Conflict,
        other => other,
    })?;
    Ok(())
}

pub(crate) async fn insert_crisis(conn: &mut PgConnection, row: &CrisisContactRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO crisis_contacts (id, org_id, person_id, occurred_at, content, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(micros(row.occurred_at))
    .bind(&row.content)
    .bind(row.created_by.map(|u| *u.as_uuid()))
    .bind(micros(row.created_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
