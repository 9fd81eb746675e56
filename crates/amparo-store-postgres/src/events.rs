//! Outreach and training events.

use chrono::NaiveDate;
use sqlx::postgres::{PgConnection, PgPool, PgRow};

use amparo_domain::events::OutreachEventId;
use amparo_domain::{OrgId, UserId};
use amparo_store::{OutreachEventQuery, OutreachEventRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::records::{list, list_column};
use crate::{get, micros};

macro_rules! event_columns {
    () => {
        "id, org_id, kind, held_on, region, setting, audiences, attendance_total, attendance_women, attendance_men,
         attendance_youth, materials, languages, wrapped_key, notes, created_by, created_at, updated_by, version,
         updated_at"
    };
}

fn event_from_row(row: &PgRow) -> StoreResult<OutreachEventRow> {
    Ok(OutreachEventRow {
        id: OutreachEventId::from_uuid(get::<uuid::Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<uuid::Uuid>(row, "org_id")?),
        kind: get(row, "kind")?,
        held_on: get::<NaiveDate>(row, "held_on")?,
        region: get(row, "region")?,
        setting: get(row, "setting")?,
        audiences: list_column(row, "audiences")?,
        attendance_total: get(row, "attendance_total")?,
        attendance_women: get(row, "attendance_women")?,
        attendance_men: get(row, "attendance_men")?,
        attendance_youth: get(row, "attendance_youth")?,
        materials: list_column(row, "materials")?,
        languages: list_column(row, "languages")?,
        wrapped_key: get(row, "wrapped_key")?,
        notes: get(row, "notes")?,
        created_by: UserId::from_uuid(get::<uuid::Uuid>(row, "created_by")?),
        created_at: get(row, "created_at")?,
        updated_by: UserId::from_uuid(get::<uuid::Uuid>(row, "updated_by")?),
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) async fn one(pool: &PgPool, id: OutreachEventId) -> StoreResult<Option<OutreachEventRow>> {
    let row = sqlx::query(concat!("SELECT ", event_columns!(), " FROM outreach_events WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(event_from_row).transpose()
}

pub(crate) async fn list_events(pool: &PgPool, q: &OutreachEventQuery) -> StoreResult<Vec<OutreachEventRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        event_columns!(),
        " FROM outreach_events
          WHERE org_id = $1 AND ($2::date IS NULL OR held_on >= $2) AND ($3::date IS NULL OR held_on <= $3)
          ORDER BY held_on, id
          LIMIT $4"
    ))
    .bind(q.org.as_uuid())
    .bind(q.from)
    .bind(q.to)
    .bind(q.limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(event_from_row).collect()
}

pub(crate) async fn insert(conn: &mut PgConnection, r: &OutreachEventRow) -> StoreResult<()> {
    sqlx::query(concat!(
        "INSERT INTO outreach_events (",
        event_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(&r.kind)
    .bind(r.held_on)
    .bind(&r.region)
    .bind(&r.setting)
    .bind(list(&r.audiences)?)
    .bind(r.attendance_total)
    .bind(r.attendance_women)
    .bind(r.attendance_men)
    .bind(r.attendance_youth)
    .bind(list(&r.materials)?)
    .bind(list(&r.languages)?)
    .bind(&r.wrapped_key)
    .bind(&r.notes)
    .bind(r.created_by.as_uuid())
    .bind(micros(r.created_at))
    .bind(r.updated_by.as_uuid())
    .bind(r.version)
    .bind(micros(r.updated_at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn update(
    conn: &mut PgConnection,
    r: &OutreachEventRow,
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<OutreachEventRow> {
    let stored: Option<(uuid::Uuid, i64)> =
        sqlx::query_as("SELECT org_id, version FROM outreach_events WHERE id = $1 FOR UPDATE")
            .bind(r.id.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
    let Some((org, version)) = stored else { return Err(StoreError::NotFound) };
    if &org != r.org.as_uuid() {
        return Err(StoreError::NotFound);
    }
    if version != r.version {
        return Err(StoreError::Conflict);
    }
    let row = sqlx::query(concat!(
        "UPDATE outreach_events SET kind = $1, held_on = $2, region = $3, setting = $4, audiences = $5,
                attendance_total = $6, attendance_women = $7, attendance_men = $8, attendance_youth = $9,
                materials = $10, languages = $11, notes = $12, updated_by = $13, version = version + 1,
                updated_at = $16
         WHERE id = $14 AND version = $15
         RETURNING ",
        event_columns!()
    ))
    .bind(&r.kind)
    .bind(r.held_on)
    .bind(&r.region)
    .bind(&r.setting)
    .bind(list(&r.audiences)?)
    .bind(r.attendance_total)
    .bind(r.attendance_women)
    .bind(r.attendance_men)
    .bind(r.attendance_youth)
    .bind(list(&r.materials)?)
    .bind(list(&r.languages)?)
    .bind(&r.notes)
    .bind(r.updated_by.as_uuid())
    .bind(r.id.as_uuid())
    .bind(r.version)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_err)?;
    row.as_ref().map(event_from_row).transpose()?.ok_or(StoreError::Conflict)
}
