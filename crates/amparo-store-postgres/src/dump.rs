//! Dump and load of every table (backups, migrate-store). A dump is one REPEATABLE READ
//! READ ONLY transaction: one snapshot of every table while others go on writing. Typed
//! columns are converted to and from the SQLite storage classes that `amparo_store::dump`
//! defines (uuid ⇄ 16-byte blob, timestamptz ⇄ microseconds, date ⇄ days since
//! 1970-01-01, boolean ⇄ 0/1), so both backends dump the same data to the same bytes.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use sqlx::postgres::{PgConnection, PgRow, Postgres};
use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use amparo_store::{
    DUMP_BATCH_ROWS, DumpSink, DumpTable, DumpValue, LoadTx, StoreError, StoreResult, dependency_order,
};

use crate::PostgresStore;
use crate::error::map_err;

/// PostgreSQL allows 65,535 bound values a statement.
const MAX_BOUND_VALUES: usize = 60_000;

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The column types the schema uses, by their `information_schema` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Uuid,
    Bytea,
    Text,
    Int8,
    Int4,
    Int2,
    Bool,
    Timestamptz,
    Date,
    Float8,
    Float4,
}

impl Kind {
    fn parse(data_type: &str, table: &str, column: &str) -> StoreResult<Kind> {
        Ok(match data_type {
            "uuid" => Kind::Uuid,
            "bytea" => Kind::Bytea,
            "text" | "character varying" | "character" => Kind::Text,
            "bigint" => Kind::Int8,
            "integer" => Kind::Int4,
            "smallint" => Kind::Int2,
            "boolean" => Kind::Bool,
            "timestamp with time zone" => Kind::Timestamptz,
            "date" => Kind::Date,
            "double precision" => Kind::Float8,
            "real" => Kind::Float4,
            other => {
                return Err(StoreError::Schema(format!(
                    "column {table}.{column} has type {other}, which dump/load does not know"
                )));
            }
        })
    }

    /// The select expression that gives the column as a storage class.
    fn select(self, column: &str) -> String {
        let c = quote(column);
        match self {
            Kind::Uuid => format!("uuid_send({c})"),
            Kind::Bytea | Kind::Text => c,
            Kind::Int8 | Kind::Int4 | Kind::Int2 => format!("{c}::int8"),
            Kind::Bool => format!("{c}::int4::int8"),
            // EXTRACT gives numeric (exact) since PostgreSQL 14.
            Kind::Timestamptz => format!("(EXTRACT(EPOCH FROM {c}) * 1000000)::int8"),
            Kind::Date => format!("({c} - DATE '1970-01-01')::int8"),
            Kind::Float8 | Kind::Float4 => format!("{c}::float8"),
        }
    }

    /// How rows are ordered by this column: byte order, as SQLite's BINARY collation.
    fn order(self, column: &str) -> String {
        match self {
            Kind::Text => format!("{} COLLATE \"C\"", quote(column)),
            _ => quote(column),
        }
    }
}

struct TableShape {
    table: DumpTable,
    kinds: Vec<Kind>,
    order_by: Vec<String>,
}

async fn table_names(conn: &mut PgConnection) -> StoreResult<Vec<String>> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, p.relname::text
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_class p ON p.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(dependency_order(names.into_iter().map(|(n,)| n).collect(), &edges))
}

/// Columns (sorted by name) with their kinds.
async fn columns(conn: &mut PgConnection, table: &str) -> StoreResult<Vec<(String, Kind)>> {
    let cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    let mut out =
        cols.into_iter().map(|(c, t)| Kind::parse(&t, table, &c).map(|k| (c, k))).collect::<StoreResult<Vec<_>>>()?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

async fn shape(conn: &mut PgConnection, name: String) -> StoreResult<TableShape> {
    let cols = columns(conn, &name).await?;
    let pk: Vec<(String,)> = sqlx::query_as(
        "SELECT a.attname::text
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
         WHERE i.indisprimary AND n.nspname = current_schema() AND c.relname = $1
         ORDER BY k.ord",
    )
    .bind(&name)
    .fetch_all(&mut *conn)
    .await
    .map_err(map_err)?;
    let kind_of = |c: &str| cols.iter().find(|(n, _)| n == c).map(|(_, k)| *k).unwrap_or(Kind::Bytea);
    let order_by = if pk.is_empty() {
        cols.iter().map(|(c, k)| k.order(c)).collect()
    } else {
        pk.iter().map(|(c,)| kind_of(c).order(c)).collect()
    };
    Ok(TableShape {
        table: DumpTable { name, columns: cols.iter().map(|(c, _)| c.clone()).collect() },
        kinds: cols.iter().map(|(_, k)| *k).collect(),
        order_by,
    })
}

fn value_of(row: &PgRow, i: usize, kind: Kind) -> StoreResult<DumpValue> {
    let v = match kind {
        Kind::Uuid | Kind::Bytea => row.try_get::<Option<Vec<u8>>, _>(i).map_err(map_err)?.map(DumpValue::Bytes),
        Kind::Text => row.try_get::<Option<String>, _>(i).map_err(map_err)?.map(DumpValue::Text),
        Kind::Float8 | Kind::Float4 => row.try_get::<Option<f64>, _>(i).map_err(map_err)?.map(DumpValue::Real),
        _ => row.try_get::<Option<i64>, _>(i).map_err(map_err)?.map(DumpValue::Int),
    };
    Ok(v.unwrap_or(DumpValue::Null))
}

impl PostgresStore {
    pub(crate) async fn dump_all(&self, sink: &mut dyn DumpSink) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for name in table_names(&mut tx).await? {
            let shape = shape(&mut tx, name).await?;
            sink.table(&shape.table).await?;
            let select: Vec<String> = shape.table.columns.iter().zip(&shape.kinds).map(|(c, k)| k.select(c)).collect();
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                select.join(", "),
                quote(&shape.table.name),
                shape.order_by.join(", ")
            );
            let mut batch = Vec::with_capacity(DUMP_BATCH_ROWS);
            let mut rows = sqlx::query(&sql).fetch(&mut *tx);
            while let Some(row) = rows.try_next().await.map_err(map_err)? {
                batch.push(
                    shape
                        .kinds
                        .iter()
                        .enumerate()
                        .map(|(i, k)| value_of(&row, i, *k))
                        .collect::<StoreResult<Vec<_>>>()?,
                );
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

    pub(crate) async fn applied_migrations(&self) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    pub(crate) async fn load(&self) -> StoreResult<Box<dyn LoadTx>> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let names = table_names(&mut tx).await?;
        if !names.is_empty() {
            // One statement for all: the foreign keys between them are then no obstacle.
            let list: Vec<String> = names.iter().map(|n| quote(n)).collect();
            sqlx::query(&format!("TRUNCATE {}", list.join(", "))).execute(&mut *tx).await.map_err(map_err)?;
        }
        Ok(Box::new(PostgresLoad { tx, kinds: HashMap::new() }))
    }
}

struct PostgresLoad {
    tx: Transaction<'static, Postgres>,
    /// Each table's column kinds, by column name.
    kinds: HashMap<String, HashMap<String, Kind>>,
}

fn bind_value<'a>(
    b: &mut sqlx::query_builder::Separated<'_, 'a, Postgres, &'static str>,
    kind: Kind,
    value: &DumpValue,
) -> Result<(), ()> {
    match (kind, value) {
        (Kind::Uuid, DumpValue::Null) => b.push_bind(None::<Uuid>),
        (Kind::Uuid, DumpValue::Bytes(v)) => b.push_bind(Uuid::from_slice(v).map_err(|_| ())?),
        (Kind::Bytea, DumpValue::Null) => b.push_bind(None::<Vec<u8>>),
        (Kind::Bytea, DumpValue::Bytes(v)) => b.push_bind(v.clone()),
        (Kind::Text, DumpValue::Null) => b.push_bind(None::<String>),
        (Kind::Text, DumpValue::Text(t)) => b.push_bind(t.clone()),
        (Kind::Int8, DumpValue::Null) => b.push_bind(None::<i64>),
        (Kind::Int8, DumpValue::Int(i)) => b.push_bind(*i),
        (Kind::Int4, DumpValue::Null) => b.push_bind(None::<i32>),
        (Kind::Int4, DumpValue::Int(i)) => b.push_bind(i32::try_from(*i).map_err(|_| ())?),
        (Kind::Int2, DumpValue::Null) => b.push_bind(None::<i16>),
        (Kind::Int2, DumpValue::Int(i)) => b.push_bind(i16::try_from(*i).map_err(|_| ())?),
        (Kind::Bool, DumpValue::Null) => b.push_bind(None::<bool>),
        (Kind::Bool, DumpValue::Int(0)) => b.push_bind(false),
        (Kind::Bool, DumpValue::Int(1)) => b.push_bind(true),
        (Kind::Timestamptz, DumpValue::Null) => b.push_bind(None::<DateTime<Utc>>),
        (Kind::Timestamptz, DumpValue::Int(us)) => b.push_bind(DateTime::<Utc>::from_timestamp_micros(*us).ok_or(())?),
        (Kind::Date, DumpValue::Null) => b.push_bind(None::<NaiveDate>),
        (Kind::Date, DumpValue::Int(days)) => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or(())?;
            b.push_bind(epoch.checked_add_signed(chrono::Duration::try_days(*days).ok_or(())?).ok_or(())?)
        }
        (Kind::Float8, DumpValue::Null) => b.push_bind(None::<f64>),
        (Kind::Float8, DumpValue::Real(r)) => b.push_bind(*r),
        (Kind::Float4, DumpValue::Null) => b.push_bind(None::<f32>),
        #[allow(clippy::cast_possible_truncation)] // a real column holds what an f32 holds
        (Kind::Float4, DumpValue::Real(r)) => b.push_bind(*r as f32),
        _ => return Err(()),
    };
    Ok(())
}

#[async_trait]
impl LoadTx for PostgresLoad {
    async fn insert_rows(&mut self, table: &DumpTable, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        let width = table.columns.len();
        if width == 0 || rows.iter().any(|r| r.len() != width) {
            return Err(StoreError::Database(format!("rows of {} do not match its columns", table.name)));
        }
        if !self.kinds.contains_key(&table.name) {
            let cols = columns(&mut self.tx, &table.name).await?;
            self.kinds.insert(table.name.clone(), cols.into_iter().collect());
        }
        let known = self.kinds.get(&table.name).cloned().unwrap_or_default();
        let kinds = table
            .columns
            .iter()
            .map(|c| {
                known
                    .get(c)
                    .copied()
                    .ok_or_else(|| StoreError::Schema(format!("the target has no column {}.{c}", table.name)))
            })
            .collect::<StoreResult<Vec<Kind>>>()?;
        let head = format!(
            "INSERT INTO {} ({}) ",
            quote(&table.name),
            table.columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ")
        );
        for chunk in rows.chunks((MAX_BOUND_VALUES / width).max(1)) {
            let mut qb: QueryBuilder<'_, Postgres> = QueryBuilder::new(&head);
            let mut bad: Option<usize> = None;
            qb.push_values(chunk, |mut b, row| {
                for (i, (value, kind)) in row.iter().zip(&kinds).enumerate() {
                    if bind_value(&mut b, *kind, value).is_err() {
                        bad.get_or_insert(i);
                        b.push_bind(None::<i64>);
                    }
                }
            });
            if let Some(i) = bad {
                return Err(StoreError::Database(format!(
                    "a value of {}.{} does not fit its column type",
                    table.name, table.columns[i]
                )));
            }
            qb.build().execute(&mut *self.tx).await.map_err(map_err)?;
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        let this = *self;
        this.tx.commit().await.map_err(map_err)
    }
}
