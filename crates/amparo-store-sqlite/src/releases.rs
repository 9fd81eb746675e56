//! The privacy-budget ledger of differentially private releases.

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};

use amparo_domain::{OrgId, UserId};
use amparo_store::{ReleaseLedgerRow, StoreResult};

use crate::error::map_err;
use crate::{get, micros, time, uuid};

const COLUMNS: &str = "id, org_id, created_at, epsilon, delta, rho, noise_scale, tables, made_by, document";

fn from_row(row: &SqliteRow) -> StoreResult<ReleaseLedgerRow> {
    let made_by: Option<uuid::Uuid> = get(row, "made_by")?;
    Ok(ReleaseLedgerRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        created_at: time(row, "created_at")?,
        epsilon: get(row, "epsilon")?,
        delta: get(row, "delta")?,
        rho: get(row, "rho")?,
        noise_scale: get(row, "noise_scale")?,
        tables: get(row, "tables")?,
        made_by: made_by.map(UserId::from_uuid),
        document: get(row, "document")?,
    })
}

pub(crate) async fn list(
    pool: &SqlitePool,
    org: OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<ReleaseLedgerRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM release_ledger WHERE org_id = ? AND created_at >= ? AND created_at < ?
         ORDER BY created_at, id"
    ))
    .bind(org.as_uuid())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(from_row).collect()
}

pub(crate) async fn spent(
    conn: &mut SqliteConnection,
    org: OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<f64> {
    // The transaction already holds SQLite's write lock (BEGIN IMMEDIATE): no other
    // release can be recorded between this read and this transaction's insert.
    let (sum,): (f64,) = sqlx::query_as(
        "SELECT coalesce(sum(epsilon), 0.0) FROM release_ledger WHERE org_id = ? AND created_at >= ? AND created_at < ?",
    )
    .bind(org.as_uuid())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_one(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(sum)
}

pub(crate) async fn insert(conn: &mut SqliteConnection, r: &ReleaseLedgerRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO release_ledger ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .bind(r.id)
        .bind(r.org.as_uuid())
        .bind(micros(r.created_at))
        .bind(r.epsilon)
        .bind(r.delta)
        .bind(r.rho)
        .bind(r.noise_scale)
        .bind(r.tables)
        .bind(r.made_by.map(|u| *u.as_uuid()))
        .bind(&r.document)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn one(pool: &SqlitePool, id: uuid::Uuid) -> StoreResult<Option<ReleaseLedgerRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM release_ledger WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(from_row).transpose()
}
