//! The hotline queue.

use sqlx::postgres::{PgConnection, PgPool, PgRow};

use amparo_domain::signals::SignalId;
use amparo_domain::{CaseId, OrgId, UserId};
use amparo_store::{SignalQuery, SignalRow, StoreError, StoreResult};

use crate::error::{bad_value, map_err};
use crate::records::list;
use crate::{get, micros};

macro_rules! signal_columns {
    () => {
        "id, org_id, channel, urgency, status, outcome, language, region, concerns, case_id, wrapped_key, text,
         contact, notes, received_at, received_by, triaged_by, triaged_at, version, updated_at"
    };
}

fn signal_from_row(row: &PgRow) -> StoreResult<SignalRow> {
    let concerns: String = get(row, "concerns")?;
    Ok(SignalRow {
        id: SignalId::from_uuid(get::<uuid::Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<uuid::Uuid>(row, "org_id")?),
        channel: get(row, "channel")?,
        urgency: get(row, "urgency")?,
        status: get(row, "status")?,
        outcome: get(row, "outcome")?,
        language: get(row, "language")?,
        region: get(row, "region")?,
        concerns: serde_json::from_str(&concerns).map_err(|_| bad_value("concerns"))?,
        case: get::<Option<uuid::Uuid>>(row, "case_id")?.map(CaseId::from_uuid),
        wrapped_key: get(row, "wrapped_key")?,
        text: get(row, "text")?,
        contact: get(row, "contact")?,
        notes: get(row, "notes")?,
        received_at: get(row, "received_at")?,
        received_by: get::<Option<uuid::Uuid>>(row, "received_by")?.map(UserId::from_uuid),
        triaged_by: get::<Option<uuid::Uuid>>(row, "triaged_by")?.map(UserId::from_uuid),
        triaged_at: get(row, "triaged_at")?,
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) async fn one(pool: &PgPool, id: SignalId) -> StoreResult<Option<SignalRow>> {
    let row = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(signal_from_row).transpose()
}

pub(crate) async fn queue(pool: &PgPool, q: &SignalQuery) -> StoreResult<Vec<SignalRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        signal_columns!(),
        " FROM signals
          WHERE org_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR urgency = $3)
            AND ($4::text IS NULL OR channel = $4) AND ($5::text IS NULL OR region = $5)
          ORDER BY CASE urgency WHEN 'immediate_danger' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,
                   received_at, id
          LIMIT $6"
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
async fn check_case(conn: &mut PgConnection, org: OrgId, case: Option<CaseId>) -> StoreResult<()> {
    let Some(case) = case else { return Ok(()) };
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1::bigint FROM cases WHERE id = $1 AND org_id = $2")
        .bind(case.as_uuid())
        .bind(org.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

pub(crate) async fn insert(conn: &mut PgConnection, r: &SignalRow) -> StoreResult<()> {
    check_case(conn, r.org, r.case).await?;
    sqlx::query(concat!(
        "INSERT INTO signals (",
        signal_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
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

pub(crate) async fn update(
    conn: &mut PgConnection,
    r: &SignalRow,
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<SignalRow> {
    let Some(stored) = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = $1"))
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
        "UPDATE signals SET urgency = $1, status = $2, outcome = $3, language = $4, region = $5, concerns = $6,
                case_id = $7, notes = $8, triaged_by = $9, triaged_at = $10, version = version + 1, updated_at = $11
         WHERE id = $12 AND version = $13",
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
    let row = sqlx::query(concat!("SELECT ", signal_columns!(), " FROM signals WHERE id = $1"))
        .bind(r.id.as_uuid())
        .fetch_one(&mut *conn)
        .await
        .map_err(map_err)?;
    signal_from_row(&row)
}
