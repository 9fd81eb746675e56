//! The hotline queue.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};

use amparo_domain::signals::SignalId;
use amparo_domain::{CaseId, OrgId, UserId};
use amparo_store::{SignalQuery, SignalRow, StoreError, StoreResult};

use crate::error::{bad_value, map_err};
use crate::records::{list, opt_uuid};
use crate::{get, micros, opt_time, time, uuid};

macro_rules! signal_columns {
    () => {
        "id, org_id, channel, urgency, status, outcome, language, region, concerns, case_id, wrapped_key, text,
         contact, notes, received_at, received_by, triaged_by, triaged_at, version, updated_at"
    };
}

fn signal_from_row(row: &SqliteRow) -> StoreResult<SignalRow> {
    let concerns: String = get(row, "concerns")?;
    Ok(SignalRow {
        id: SignalId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        channel: get(row, "channel")?,
        urgency: get(row, "urgency")?,
        status: get(row, "status")?,
        outcome: get(row, "outcome")?,
        language: get(row, "language")?,
        region: get(row, "region")?,
        concerns: serde_json::from_str(&concerns).map_err(|_| bad_value("concerns"))?,
        case: opt_uuid(row, "case_id")?.map(CaseId::from_uuid),
        wrapped_key: get(row, "wrapped_key")?,
        text: get(row, "text")?,
        contact: get(row, "contact")?,
        notes: get(row, "notes")?,
        received_at: time(row, "received_at")?,
        received_by: opt_uuid(row, "received_by")?.map(UserId::from_uuid),
        triaged_by: opt_uuid(row, "triaged_by")?.map(UserId::from_uuid),
        triaged_at: opt_time(row, "triaged_at")?,
        version: get(row, "version")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) async fn one(pool: &SqlitePool, id: SignalId) -> StoreResult<Option<SignalRow>> {
    let row = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(signal_from_row).transpose()
}

pub(crate) async fn queue(pool: &SqlitePool, q: &SignalQuery) -> StoreResult<Vec<SignalRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        signal_columns!(),
        " FROM signals
          WHERE org_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR urgency = ?3)
            AND (?4 IS NULL OR channel = ?4) AND (?5 IS NULL OR region = ?5)
          ORDER BY CASE urgency WHEN 'immediate_danger' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,
                   received_at, id
          LIMIT ?6"
    ))
    .bind(q.org.as_uuid())
    .bind(q.status.as_deref())
    .bind(q.urgency.as_deref())
    .bind(q.channel.as_deref())
    .bind(q.region.as_deref())
    .bind(q.limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(signal_from_row).collect()
}

/// A case named by a signal must be one of the signal's organisation.
async fn check_case(conn: &mut SqliteConnection, org: OrgId, case: Option<CaseId>) -> StoreResult<()> {
    let Some(case) = case else { return Ok(()) };
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM cases WHERE id = ? AND org_id = ?")
        .bind(case.as_uuid())
        .bind(org.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

pub(crate) async fn insert(conn: &mut SqliteConnection, r: &SignalRow) -> StoreResult<()> {
    check_case(conn, r.org, r.case).await?;
    sqlx::query(concat!(
        "INSERT INTO signals (",
        signal_columns!(),
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(&r.channel)
    .bind(&r.urgency)
    .bind(&r.status)
    .bind(&r.outcome)
    .bind(&r.language)
    .bind(&r.region)
    .bind(list(&r.concerns)?)
    .bind(r.case.map(|c| *c.as_uuid()))
    .bind(&r.wrapped_key)
    .bind(&r.text)
    .bind(&r.contact)
    .bind(&r.notes)
    .bind(micros(r.received_at))
    .bind(r.received_by.map(|u| *u.as_uuid()))
    .bind(r.triaged_by.map(|u| *u.as_uuid()))
    .bind(r.triaged_at.map(micros))
    .bind(r.version)
    .bind(micros(r.updated_at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn update(conn: &mut SqliteConnection, r: &SignalRow, now: i64) -> StoreResult<SignalRow> {
    let Some(stored) = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = ?"))
        .bind(r.id.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?
    else {
        return Err(StoreError::NotFound);
    };
    let stored = signal_from_row(&stored)?;
    if stored.org != r.org {
        return Err(StoreError::NotFound);
    }
    if stored.version != r.version {
        return Err(StoreError::Conflict);
    }
    check_case(conn, stored.org, r.case).await?;
    sqlx::query(
        "UPDATE signals SET urgency = ?, status = ?, outcome = ?, language = ?, region = ?, concerns = ?,
                case_id = ?, notes = ?, triaged_by = ?, triaged_at = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(&r.urgency)
    .bind(&r.status)
    .bind(&r.outcome)
    .bind(&r.language)
    .bind(&r.region)
    .bind(list(&r.concerns)?)
    .bind(r.case.map(|c| *c.as_uuid()))
    .bind(&r.notes)
    .bind(r.triaged_by.map(|u| *u.as_uuid()))
    .bind(r.triaged_at.map(micros))
    .bind(now)
    .bind(r.id.as_uuid())
    .bind(r.version)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    let row = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = ?"))
        .bind(r.id.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    signal_from_row(&row)
}
