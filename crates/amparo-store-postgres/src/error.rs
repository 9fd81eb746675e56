//! sqlx errors to [`StoreError`]. Messages carry SQLSTATE codes and kinds, never a database
//! message or detail (which may quote a value) and never a bound parameter.

use amparo_store::StoreError;

pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            match code.as_str() {
                "23505" => StoreError::Duplicate,
                // Every foreign key in the schema names a parent row: it is missing.
                "23503" => StoreError::NotFound,
                // lock_not_available (lock_timeout), query_canceled (statement_timeout),
                // serialization_failure, deadlock_detected: try again later.
                "55P03" | "57014" | "40001" | "40P01" => {
                    StoreError::Unavailable(format!("the database is busy (sqlstate {code})"))
                }
                // connection exceptions, refused login, no such database, insufficient
                // resources, operator intervention (shutdown).
                c if c.starts_with("08")
                    || c.starts_with("28")
                    || c == "3D000"
                    || c.starts_with("53")
                    || c.starts_with("57P") =>
                {
                    StoreError::Unavailable(format!("sqlstate {code}"))
                }
                _ => StoreError::Database(format!("sqlstate {code}")),
            }
        }
        sqlx::Error::Io(io) => StoreError::Unavailable(format!("i/o error ({:?})", io.kind())),
        sqlx::Error::Tls(_) => StoreError::Unavailable("tls error".into()),
        // The message could quote the URL, password included.
        sqlx::Error::Configuration(_) => StoreError::Unavailable("invalid database configuration".into()),
        sqlx::Error::PoolTimedOut => StoreError::Unavailable("timed out waiting for a database connection".into()),
        sqlx::Error::PoolClosed => StoreError::Unavailable("the database pool is closed".into()),
        sqlx::Error::WorkerCrashed => StoreError::Unavailable("the database worker stopped".into()),
        sqlx::Error::Protocol(_) => StoreError::Unavailable("database protocol error".into()),
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
        sqlx::Error::TypeNotFound { .. } => "type not found",
        sqlx::Error::ColumnIndexOutOfBounds { .. } => "column index out of bounds",
        sqlx::Error::Encode(_) => "could not encode a value",
        sqlx::Error::Decode(_) => "could not decode a value",
        sqlx::Error::BeginFailed => "could not begin a transaction",
        _ => "unexpected database error",
    }
}

/// A stored value that does not fit its Rust type (a bad code).
pub(crate) fn bad_value(column: &'static str) -> StoreError {
    StoreError::Database(format!("unexpected value in column {column}"))
}
