//! Dump and load of every table (backups, migrate-store). A dump is one deferred read
//! transaction: in WAL mode its snapshot is fixed at the first read and writers go on
//! meanwhile, so the database file is never copied while it is live.

use async_trait::async_trait;
use futures::TryStreamExt;
use sqlx::sqlite::{Sqlite, SqliteRow};
use sqlx::{QueryBuilder, Row, Transaction, TypeInfo, ValueRef};
use tokio::sync::OwnedMutexGuard;

use amparo_store::{
    DUMP_BATCH_ROWS, DumpSink, DumpTable, DumpValue, LoadTx, StoreError, StoreResult, dependency_order,
};

use crate::SqliteStore;
use crate::error::map_err;

/// SQLite allows 32,766 bound values a statement.
const MAX_BOUND_VALUES: usize = 32_000;

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// A table with its columns sorted by name, and the columns to order its rows by.
struct TableShape {
    table: DumpTable,
    order_by: Vec<String>,
}

/// The tables, parents first (foreign keys), without SQLite's own and the migration bookkeeping.
async fn tables(conn: &mut sqlx::SqliteConnection) -> StoreResult<Vec<TableShape>> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_schema
         WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    let mut edges = Vec::new();
    for (name,) in &names {
        let parents: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)")
            .bind(name)
            .fetch_all(&mut *conn)
            .await
            .map_err(map_err)?;
        edges.extend(parents.into_iter().map(|(p,)| (name.clone(), p)));
    }
    let mut out = Vec::new();
    for name in dependency_order(names.into_iter().map(|(n,)| n).collect(), &edges) {
        let cols: Vec<(String, i64)> = sqlx::query_as("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid")
            .bind(&name)
            .fetch_all(&mut *conn)
            .await
            .map_err(map_err)?;
        let mut pk: Vec<&(String, i64)> = cols.iter().filter(|(_, pk)| *pk > 0).collect();
        pk.sort_by_key(|(_, pk)| *pk);
        let mut columns: Vec<String> = cols.iter().map(|(c, _)| c.clone()).collect();
        columns.sort();
        let order_by = if pk.is_empty() { columns.clone() } else { pk.iter().map(|(c, _)| c.clone()).collect() };
        out.push(TableShape { table: DumpTable { name, columns }, order_by });
    }
    Ok(out)
}

fn value_of(row: &SqliteRow, i: usize) -> StoreResult<DumpValue> {
    let raw = row.try_get_raw(i).map_err(map_err)?;
    if raw.is_null() {
        return Ok(DumpValue::Null);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(match kind.as_str() {
        "INTEGER" => DumpValue::Int(row.try_get(i).map_err(map_err)?),
        "REAL" => DumpValue::Real(row.try_get(i).map_err(map_err)?),
        "TEXT" => DumpValue::Text(row.try_get(i).map_err(map_err)?),
        "BLOB" => DumpValue::Bytes(row.try_get(i).map_err(map_err)?),
        _ => return Err(StoreError::Database(format!("unexpected storage class in column {i}"))),
    })
}

impl SqliteStore {
    pub(crate) async fn dump_all(&self, sink: &mut dyn DumpSink) -> StoreResult<()> {
        // Deferred: a read transaction, which never blocks the writer in WAL mode.
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        for shape in tables(&mut tx).await? {
            sink.table(&shape.table).await?;
            let columns: Vec<String> = shape.table.columns.iter().map(|c| quote(c)).collect();
            let order: Vec<String> = shape.order_by.iter().map(|c| format!("{} COLLATE BINARY", quote(c))).collect();
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                columns.join(", "),
                quote(&shape.table.name),
                order.join(", ")
            );
            let mut batch = Vec::with_capacity(DUMP_BATCH_ROWS);
            let mut rows = sqlx::query(&sql).fetch(&mut *tx);
            while let Some(row) = rows.try_next().await.map_err(map_err)? {
                batch.push((0..columns.len()).map(|i| value_of(&row, i)).collect::<StoreResult<Vec<_>>>()?);
                if batch.len() == DUMP_BATCH_ROWS {
                    sink.rows(&batch).await?;
                    batch.clear();
                }
            }
            drop(rows);
            if !batch.is_empty() {
                sink.rows(&batch).await?;
            }
            sink.end_table().await?;
        }
        tx.rollback().await.map_err(map_err)
    }

    /// Writes a consistent copy of the whole database to a new file at `path` (`VACUUM
    /// INTO`): one closed file without a log, for a restore to move into place.
    pub async fn snapshot_into(&self, path: &std::path::Path) -> StoreResult<()> {
        let path = path.to_str().ok_or_else(|| StoreError::Unavailable("the path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO ?").bind(path).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn applied_migrations(&self) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    pub(crate) async fn load(&self) -> StoreResult<Box<dyn LoadTx>> {
        let guard = tokio::time::timeout(crate::BUSY_TIMEOUT, self.write_lock.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Unavailable("the database is busy".into()))?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?;
        // Rows arrive parents first, but the foreign keys are checked once, at commit.
        sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await.map_err(map_err)?;
        for shape in tables(&mut tx).await?.iter().rev() {
            sqlx::query(&format!("DELETE FROM {}", quote(&shape.table.name)))
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        Ok(Box::new(SqliteLoad { tx, _write_lock: guard }))
    }
}

struct SqliteLoad {
    tx: Transaction<'static, Sqlite>,
    _write_lock: OwnedMutexGuard<()>,
}

#[async_trait]
impl LoadTx for SqliteLoad {
    async fn insert_rows(&mut self, table: &DumpTable, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        let width = table.columns.len();
        if width == 0 || rows.iter().any(|r| r.len() != width) {
            return Err(StoreError::Database(format!("rows of {} do not match its columns", table.name)));
        }
        let head = format!(
            "INSERT INTO {} ({}) ",
            quote(&table.name),
            table.columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ")
        );
        for chunk in rows.chunks((MAX_BOUND_VALUES / width).max(1)) {
            let mut qb: QueryBuilder<'_, Sqlite> = QueryBuilder::new(&head);
            qb.push_values(chunk, |mut b, row| {
                for value in row {
                    match value {
                        DumpValue::Null => b.push_bind(None::<i64>),
                        DumpValue::Int(i) => b.push_bind(*i),
                        DumpValue::Real(r) => b.push_bind(*r),
                        DumpValue::Text(t) => b.push_bind(t.clone()),
                        DumpValue::Bytes(v) => b.push_bind(v.clone()),
                    };
                }
            });
            qb.build().execute(&mut *self.tx).await.map_err(map_err)?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        let this = *self;
        this.tx.commit().await.map_err(map_err)
    }
}
