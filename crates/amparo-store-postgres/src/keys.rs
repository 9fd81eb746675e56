//! Key rotation: KEK versions, and wrapped data keys read and replaced a batch at a time.

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::OrgId;
use amparo_store::{KekState, KekVersionRow, StoreResult, WrappedKeyRow, WrappedKeyTable};

use crate::error::{bad_value, map_err};
use crate::{get, micros};

fn kek_from_row(row: &PgRow) -> StoreResult<KekVersionRow> {
    let state: String = get(row, "state")?;
    Ok(KekVersionRow {
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        version: get(row, "version")?,
        state: KekState::from_code(&state).ok_or_else(|| bad_value("kek_versions.state"))?,
        created_at: get(row, "created_at")?,
        retired_at: get::<Option<DateTime<Utc>>>(row, "retired_at")?,
    })
}

pub(crate) async fn versions(pool: &PgPool) -> StoreResult<Vec<KekVersionRow>> {
    let rows =
        sqlx::query("SELECT org_id, version, state, created_at, retired_at FROM kek_versions ORDER BY org_id, version")
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(kek_from_row).collect()
}

pub(crate) async fn wrapped_keys(
    pool: &PgPool,
    table: WrappedKeyTable,
    org: OrgId,
    after: Option<Uuid>,
    limit: i64,
) -> StoreResult<Vec<WrappedKeyRow>> {
    // The table and column names come from a closed enum, never from input.
    let (t, id) = (table.table(), table.id_column());
    let sql = format!(
        "SELECT {id} AS id, wrapped_key FROM {t}
          WHERE org_id = $1 AND ($2::uuid IS NULL OR {id} > $2) ORDER BY {id} LIMIT $3"
    );
    let rows = sqlx::query(&sql).bind(org.as_uuid()).bind(after).bind(limit).fetch_all(pool).await.map_err(map_err)?;
    rows.iter().map(|r| Ok(WrappedKeyRow { id: get(r, "id")?, wrapped_key: get(r, "wrapped_key")? })).collect()
}

pub(crate) async fn count_not_starting(
    pool: &PgPool,
    table: WrappedKeyTable,
    org: OrgId,
    header: &[u8],
) -> StoreResult<i64> {
    let sql = format!(
        "SELECT count(*) FROM {} WHERE org_id = $1 AND substring(wrapped_key from 1 for $2) <> $3",
        table.table()
    );
    let (n,): (i64,) = sqlx::query_as(&sql)
        .bind(org.as_uuid())
        .bind(header.len() as i32)
        .bind(header)
        .fetch_one(pool)
        .await
        .map_err(map_err)?;
    Ok(n)
}

pub(crate) async fn put_version(conn: &mut PgConnection, r: &KekVersionRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO kek_versions (org_id, version, state, created_at, retired_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, version) DO UPDATE SET state = excluded.state, retired_at = excluded.retired_at",
    )
    .bind(r.org.as_uuid())
    .bind(r.version)
    .bind(r.state.code())
    .bind(micros(r.created_at))
    .bind(r.retired_at.map(micros))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn rewrap(
    conn: &mut PgConnection,
    table: WrappedKeyTable,
    id: Uuid,
    old: &[u8],
    new: &[u8],
) -> StoreResult<bool> {
    let sql =
        format!("UPDATE {} SET wrapped_key = $1 WHERE {} = $2 AND wrapped_key = $3", table.table(), table.id_column());
    let done = sqlx::query(&sql).bind(new).bind(id).bind(old).execute(conn).await.map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}
