//! The privacy-budget ledger of differentially private releases.

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnection, PgPool, PgRow};

use amparo_domain::{OrgId, UserId};
use amparo_store::{ReleaseLedgerRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::{get, micros};

const COLUMNS: &str = "id, org_id, created_at, epsilon, delta, rho, noise_scale, tables, made_by, document";

fn from_row(row: &PgRow) -> StoreResult<ReleaseLedgerRow> {
    let made_by: Option<uuid::Uuid> = get(row, "made_by")?;
    Ok(ReleaseLedgerRow {
        id: get(row, "id")?,
        org: OrgId::from_uuid(get::<uuid::Uuid>(row, "org_id")?),
        created_at: get(row, "created_at")?,
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
    pool: &PgPool,
    org: OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<ReleaseLedgerRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM release_ledger WHERE org_id = $1 AND created_at >= $2 AND created_at < $3
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
    conn: &mut PgConnection,
    org: OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<f64> {
    // Holds the organisation's row until the transaction ends: a concurrent release of the
    // same organisation waits here, then sees this one's ledger row.
    let locked: Option<(uuid::Uuid,)> = sqlx::query_as("SELECT id FROM organisations WHERE id = $1 FOR UPDATE")
        .bind(org.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    if locked.is_none() {
        return Err(StoreError::NotFound);
    }
    let (sum,): (f64,) = sqlx::query_as(
        "SELECT coalesce(sum(epsilon), 0.0)::float8 FROM release_ledger
         WHERE org_id = $1 AND created_at >= $2 AND created_at < $3",
    )
    .bind(org.as_uuid())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_one(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(sum)
}

pub(crate) async fn insert(conn: &mut PgConnection, r: &ReleaseLedgerRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO release_ledger ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
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

pub(crate) async fn one(pool: &PgPool, id: uuid::Uuid) -> StoreResult<Option<ReleaseLedgerRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM release_ledger WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(from_row).transpose()
}
