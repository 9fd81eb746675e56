use thiserror::Error;

/// What can go wrong in a store. Messages never contain data values.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Someone else changed the row since it was read (optimistic concurrency).
    #[error("the record was changed by someone else")]
    Conflict,
    /// A unique value (an email, a name) is already taken.
    #[error("a record with this value already exists")]
    Duplicate,
    /// A row that must exist does not.
    #[error("record not found")]
    NotFound,
    /// The database could not be reached or refused the operation.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Migration failed or the schema is newer than this binary.
    #[error("database schema: {0}")]
    Schema(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Database(String),
}
