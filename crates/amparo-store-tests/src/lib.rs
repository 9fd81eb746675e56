//! amparo-store-tests: fresh stores for tests, and (in `tests/conformance.rs`) the one suite
//! that every backend passes.
//!
//! ```ignore
//! for t in amparo_store_tests::all().await {
//!     let store = &t.store; // Arc<dyn Store>
//!     // … exercise it; `t.name` says which backend failed …
//! }
//! ```
//!
//! SQLite stores live in a temporary directory removed when the [`TestStore`] drops.
//! PostgreSQL stores are used when `AMPARO_TEST_POSTGRES_URL` is set: each gets a fresh,
//! uniquely named schema in that database, dropped (best effort) when the [`TestStore`] drops.

pub mod fixtures;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use amparo_store::{Store, StoreError};
use amparo_store_postgres::PostgresStore;
use amparo_store_sqlite::SqliteStore;

/// The variable that names the PostgreSQL database tests may use.
pub const POSTGRES_URL_VAR: &str = "AMPARO_TEST_POSTGRES_URL";

/// A store made for one test, and what keeps its database alive.
#[derive(Debug)]
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// `"sqlite"` or `"postgres"`: name it in assertion messages.
    pub name: &'static str,
    // Declared after `store`, so dropped after it: the database outlives the store.
    location: Location,
}

#[derive(Debug)]
enum Location {
    Sqlite { dir: tempfile::TempDir },
    Postgres(SchemaGuard),
}

impl TestStore {
    /// The SQLite data directory (holding `amparo.sqlite3`), for tests that look at files.
    pub fn sqlite_data_dir(&self) -> Option<&Path> {
        match &self.location {
            Location::Sqlite { dir } => Some(dir.path()),
            Location::Postgres(_) => None,
        }
    }

    /// The SQLite database file, for tests that open it directly.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.sqlite_data_dir().map(amparo_store_sqlite::database_path)
    }

    /// The PostgreSQL URL and schema, for tests that connect directly (set `search_path`).
    pub fn postgres_schema(&self) -> Option<(&str, &str)> {
        match &self.location {
            Location::Sqlite { .. } => None,
            Location::Postgres(g) => Some((g.url.as_str(), g.schema.as_str())),
        }
    }

    /// Opens a second, independent store on the same database (its own connections; on
    /// SQLite its own write queue), as another process would. Runs the migrations again.
    pub async fn reopen(&self) -> Result<Arc<dyn Store>, StoreError> {
        Ok(match &self.location {
            Location::Sqlite { dir } => {
                Arc::new(SqliteStore::open(&amparo_store_sqlite::database_path(dir.path())).await?)
            }
            Location::Postgres(g) => Arc::new(PostgresStore::connect_in_schema(&g.url, &g.schema).await?),
        })
    }
}

/// A fresh SQLite store in a new temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = match tempfile::Builder::new().prefix("amparo-store-test-").tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("cannot create a temporary directory: {e}"),
    };
    let store = match SqliteStore::open(&amparo_store_sqlite::database_path(dir.path())).await {
        Ok(store) => store,
        Err(e) => panic!("cannot open a SQLite test store: {e}"),
    };
    TestStore { store: Arc::new(store), name: "sqlite", location: Location::Sqlite { dir } }
}

/// A fresh PostgreSQL store in a new schema of the database named by
/// `AMPARO_TEST_POSTGRES_URL`; None (with a note on stderr, once) when it is not set.
/// Panics when it is set but the database cannot be used: a configured backend must not be
/// skipped silently.
pub async fn postgres() -> Option<TestStore> {
    let url = match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            static NOTE: Once = Once::new();
            NOTE.call_once(|| eprintln!("skipping PostgreSQL: {POSTGRES_URL_VAR} not set"));
            return None;
        }
    };
    let schema = unique_schema_name();
    let store = match PostgresStore::connect_in_schema(&url, &schema).await {
        Ok(store) => store,
        Err(e) => panic!("cannot open a PostgreSQL test store ({POSTGRES_URL_VAR} is set): {e}"),
    };
    Some(TestStore {
        store: Arc::new(store),
        name: "postgres",
        location: Location::Postgres(SchemaGuard { url, schema }),
    })
}

/// SQLite, and PostgreSQL when it is configured.
pub async fn all() -> Vec<TestStore> {
    let mut stores = vec![sqlite().await];
    stores.extend(postgres().await);
    stores
}

fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("amparo_test_{}_{n}_{}", std::process::id(), &random[..12])
}

/// Drops its schema when dropped (best effort: a failure is reported on stderr, not raised).
#[derive(Debug)]
struct SchemaGuard {
    url: String,
    schema: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let url = self.url.clone();
        let schema = self.schema.clone();
        // Drop may run inside a Tokio runtime, which cannot block on another future: do it
        // on a thread of its own with a small runtime.
        let dropped = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(PostgresStore::drop_schema(&url, &schema)).map_err(|e| e.to_string())
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop test schema {}: {e}", self.schema),
            Err(_) => eprintln!("could not drop test schema {}", self.schema),
        }
    }
}
