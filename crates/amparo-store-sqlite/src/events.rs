//! Outreach and training events.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};

use amparo_domain::events::OutreachEventId;
use amparo_domain::{OrgId, UserId};
use amparo_store::{OutreachEventQuery, OutreachEventRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::records::{date, days, list, list_column};
use crate::{get, micros, time, uuid};

macro_rules! event_columns {
    () => {
        "id, org_id, kind, held_on, region, setting, audiences, attendance_total, attendance_women, attendance_men,
         attendance_youth, materials, languages, wrapped_key, notes, created_by, created_at, updated_by, version,
         updated_at"
    };
}

fn event_from_row(row: &SqliteRow) -> StoreResult<OutreachEventRow> {
    Ok(OutreachEventRow {
        id: OutreachEventId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        kind: get(row, "kind")?,
        held_on: date(row, "held_on")?,
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
        created_by: UserId::from_uuid(uuid(row, "created_by")?),
        created_at: time(row, "created_at")?,
        updated_by: UserId::from_uuid(uuid(row, "updated_by")?),
        version: get(row, "version")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) async fn one(pool: &SqlitePool, id: OutreachEventId) -> StoreResult<Option<OutreachEventRow>> {
    let row = sqlx::query(concat!("SELECT ", event_columns!(), " FROM outreach_events WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(event_from_row).transpose()
}

pub(crate) async fn list_events(pool: &SqlitePool, q: &OutreachEventQuery) -> StoreResult<Vec<OutreachEventRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        event_columns!(),
        " FROM outreach_events
          WHERE org_id = ?1 AND (?2 IS NULL OR held_on >= ?2) AND (?3 IS NULL OR held_on <= ?3)
          ORDER BY held_on, id
          LIMIT ?4"
    ))
    .bind(q.org.as_uuid())
    .bind(q.from.map(days))
    .bind(q.to.map(days))
    .bind(q.limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(event_from_row).collect()
}

pub(crate) async fn insert(conn: &mut SqliteConnection, r: &OutreachEventRow) -> StoreResult<()> {
    sqlx::query(concat!(
        "INSERT INTO outreach_events (",
        event_columns!(),
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(&r.kind)
    .bind(days(r.held_on))
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
    conn: &mut SqliteConnection,
    r: &OutreachEventRow,
    now: i64,
) -> StoreResult<OutreachEventRow> {
    let stored: Option<(Vec<u8>, i64)> = sqlx::query_as("SELECT org_id, version FROM outreach_events WHERE id = ?")
        .bind(r.id.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    let Some((org, version)) = stored else { return Err(StoreError::NotFound) };
    if org.as_slice() != r.org.as_uuid().as_bytes() {
        return Err(StoreError::NotFound);
    }
    if version != r.version {
        return Err(StoreError::Conflict);
    }
    let done = sqlx::query(
        "UPDATE outreach_events SET kind = ?, held_on = ?, region = ?, setting = ?, audiences = ?,
                attendance_total = ?, attendance_women = ?, attendance_men = ?, attendance_youth = ?,
                materials = ?, languages = ?, notes = ?, updated_by = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(&r.kind)
    .bind(days(r.held_on))
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
    .bind(now)
    .bind(r.id.as_uuid())
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let row = sqlx::query(concat!("SELECT ", event_columns!(), " FROM outreach_events WHERE id = ?"))
        .bind(r.id.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    event_from_row(&row)
}
