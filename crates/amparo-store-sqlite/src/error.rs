//! sqlx errors to [`StoreError`]. Messages carry codes and kinds, never a database message
//! (which may quote a value) and never a bound parameter.

use amparo_store::StoreError;
use sqlx::error::ErrorKind;

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_NOMEM: i64 = 7;
const SQLITE_READONLY: i64 = 8;
const SQLITE_IOERR: i64 = 10;
const SQLITE_CORRUPT: i64 = 11;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;
const SQLITE_NOTADB: i64 = 26;

pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(db) => {
            let extended = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(-1);
            match db.kind() {
                ErrorKind::UniqueViolation => return StoreError::Duplicate,
                // Every foreign key in the schema names a parent row: it is missing.
                ErrorKind::ForeignKeyViolation => return StoreError::NotFound,
                _ => {}
            }
            match extended & 0xff {
                SQLITE_BUSY | SQLITE_LOCKED => StoreError::Unavailable("the database is busy".into()),
                SQLITE_NOMEM | SQLITE_READONLY | SQLITE_IOERR | SQLITE_FULL | SQLITE_CANTOPEN => {
                    StoreError::Unavailable(format!("sqlite result code {extended}"))
                }
                SQLITE_CORRUPT | SQLITE_NOTADB => {
                    StoreError::Database(format!("the database file is damaged (sqlite result code {extended})"))
                }
                _ => StoreError::Database(format!("sqlite result code {extended} ({:?})", db.kind())),
            }
        }
        sqlx::Error::Io(io) => StoreError::Unavailable(format!("i/o error ({:?})", io.kind())),
        sqlx::Error::Configuration(_) => StoreError::Unavailable("invalid database configuration".into()),
        sqlx::Error::PoolTimedOut => StoreError::Unavailable("timed out waiting for a database connection".into()),
        sqlx::Error::PoolClosed => StoreError::Unavailable("the database pool is closed".into()),
        sqlx::Error::WorkerCrashed => StoreError::Unavailable("the database worker stopped".into()),
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::ColumnDecode { index, .. } => StoreError::Database(format!("could not decode column {index}")),
        sqlx::Error::ColumnNotFound(name) => StoreError::Database(format!("no column {name}")),
        sqlx::Error::Migrate(m) => map_migrate_err(*m),
        other => StoreError::Database(variant_name(&other).into()),
    }
}

pub(crate) fn map_migrate_err(e: sqlx::migrate::MigrateError) -> StoreError {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(inner) | M::ExecuteMigration(inner, _) => match map_err(inner) {
            unavailable @ StoreError::Unavailable(_) => unavailable,
            other => StoreError::Schema(format!("a migration failed: {other}")),
        },
        // These messages hold only migration version numbers.
        other => StoreError::Schema(other.to_string()),
    }
}

fn variant_name(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::InvalidArgument(_) => "invalid argument",
        sqlx::Error::Tls(_) => "tls error",
        sqlx::Error::Protocol(_) => "protocol error",
        sqlx::Error::TypeNotFound { .. } => "type not found",
        sqlx::Error::ColumnIndexOutOfBounds { .. } => "column index out of bounds",
        sqlx::Error::Encode(_) => "could not encode a value",
        sqlx::Error::Decode(_) => "could not decode a value",
        sqlx::Error::BeginFailed => "could not begin a transaction",
        _ => "unexpected database error",
    }
}

/// A stored value that does not fit its Rust type (a bad code, an out-of-range time).
pub(crate) fn bad_value(column: &'static str) -> StoreError {
    StoreError::Database(format!("unexpected value in column {column}"))
}
