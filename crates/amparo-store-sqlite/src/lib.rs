//! amparo-store-sqlite: the embedded default backend.
//!
//! One database file, `<data_dir>/amparo.sqlite3`, in WAL mode with `synchronous=FULL` (an
//! acknowledged commit survives a crash) and foreign keys on. Reads use a small pool; every
//! write transaction starts with `BEGIN IMMEDIATE`, so it holds SQLite's write lock from its
//! first statement: a read-then-write (such as extending the audit chain) can never be
//! overtaken by another process (the CLI while the server runs) and never fails with
//! `SQLITE_BUSY_SNAPSHOT`. Writers of one process also queue on an in-process lock, so only
//! writers of *different* processes wait through SQLite's busy timeout.
//!
//! Timestamps are stored as INTEGER microseconds since the Unix epoch (UTC), ids as 16-byte
//! BLOBs, codes as their text codes. See `migrations/`.

// --- SQL shared by the store and its transactions

macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, email, name, role, language, password_hash, must_change_password,
                    mfa_secret, mfa_enrolled, mfa_last_step, disabled, failed_logins, first_failed_at,
                    locked_until, lock_count, version, created_at, updated_at
             FROM users ",
            $tail
        )
    };
}

macro_rules! select_audit_events {
    ($tail:literal) => {
        concat!(
            "SELECT seq, at, org_id, actor_id, channel, action, target_kind, target_id, outcome, detail,
                    prev_hash, hash
             FROM audit_events ",
            $tail
        )
    };
}

macro_rules! select_persons {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, created_by, wrapped_key, gender, birth_year, age_band, citizenship,
                    primary_language, other_languages, interpreter_needed, household_size, dependants,
                    safe_contact_confirmed_at, identity, safe_contact, narrative, version, created_at,
                    updated_at
             FROM persons ",
            $tail
        )
    };
}

/// A case's columns (table alias `c`) with its team: the members' ids in hex,
/// comma-separated, in team order.
macro_rules! case_columns {
    () => {
        "c.id, c.org_id, c.person_id, c.number, c.status, c.closure_reason, c.trafficking_status,
         c.status_decided_by, c.exploitation_types, c.means_of_control, c.recruitment, c.countries, c.places,
         c.opened_on, c.closed_on, c.assigned_to, c.restricted, c.created_by, c.version, c.created_at,
         c.updated_at,
         (SELECT group_concat(lower(hex(t.user_id)), ',' ORDER BY t.position)
          FROM case_team t WHERE t.case_id = c.id) AS team"
    };
}

macro_rules! select_cases {
    ($tail:literal) => {
        concat!("SELECT ", case_columns!(), " FROM cases c ", $tail)
    };
}

macro_rules! select_consents {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, person_id, recipient_partner, recipient_name, fields, purpose, expires_on,
                    given_as, given_at, recorded_by, revoked_at
             FROM consents ",
            $tail
        )
    };
}

/// Audit entries of one organisation (second parameter) whose target is in a JSON array of
/// hex ids (first parameter), newest first, at most the third parameter.
macro_rules! targets_audit_events_sql {
    () => {
        "SELECT e.seq, e.at, e.org_id, e.actor_id, e.channel, e.action, e.target_kind, e.target_id, e.outcome,
                e.detail, e.prev_hash, e.hash
         FROM json_each(?) AS j CROSS JOIN audit_events e
         WHERE e.target_id = unhex(j.value) AND e.org_id = ?
         ORDER BY e.seq DESC LIMIT ?"
    };
}

mod casework;
mod documents;
mod dump;
mod error;
mod events;
mod forms;
mod keys;
mod placements;
mod records;
mod referrals;
mod releases;
mod retention;
mod safety;
mod screenings;
mod shelters;
mod signals;
mod staff;
mod tx;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use tokio::sync::Mutex;
use uuid::Uuid;

use amparo_domain::{ApiTokenId, CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditHead, AuditOutcome, AuditRecord, Backend, BreakGlassRow, CaseQuery, CaseRow,
    ConsentRow, ErasureRow, OrganisationRow, OutreachRow, PersonRow, SessionRow, SessionStage, SetupTokenRow, Store,
    StoreError, StoreResult, UserRow, WriteTx,
};

use crate::error::{bad_value, map_err, map_migrate_err};
use crate::records::{
    break_glass_from_row, case_from_row, consent_from_row, erasure_from_row, id_list, list, outreach_from_row,
    person_from_row,
};

/// The database file's name inside the data directory.
pub const DATABASE_FILE_NAME: &str = "amparo.sqlite3";

/// Where the database lives in a data directory: `<data_dir>/amparo.sqlite3`.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DATABASE_FILE_NAME)
}

/// How long a writer waits for another process's write transaction before giving up with
/// [`StoreError::Unavailable`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How far a search counts each token before it picks the rarest one to read from. Counting
/// is the cost: a common first name has tens of thousands of rows at 100k people, and reading
/// from a token with a thousand rows already stops within a few hundred (a tie keeps the
/// earlier token: a whole word, more selective than the prefix that ends a query).
const DRIVER_COUNT_BOUND: i64 = 1_000;

/// Reader connections (plus the one writer at a time).
const MAX_CONNECTIONS: u32 = 8;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The SQLite store. Cheap to clone: clones share the pool and the write lock.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Queues this process's writers (see the crate documentation).
    write_lock: Arc<Mutex<()>>,
}

impl SqliteStore {
    /// Opens (creating it if missing, readable by its owner only) the database file at
    /// `path` and brings its schema up to date. The parent directory must exist.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        create_private_file(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Deleted rows (ended sessions, revoked tokens) are overwritten, not left in free pages.
            .pragma("secure_delete", "ON")
            // 8 MiB of page cache per connection (SQLite's default is 2): at a million cases the
            // indexes no longer fit the default, and every lookup went back to the disk.
            .pragma("cache_size", "-8192");
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(map_err)?;
        let store = SqliteStore { pool, write_lock: Arc::new(Mutex::new(())) };
        store.migrate().await?;
        Ok(store)
    }

    /// Runs the embedded migrations under the write lock, so that two processes opening a
    /// fresh file at once cannot both apply the same migration.
    async fn migrate(&self) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?;
        MIGRATOR.run(&mut *tx).await.map_err(map_migrate_err)?;
        tx.commit().await.map_err(map_err)
    }

    /// `PRAGMA integrity_check`: Ok when SQLite finds the file sound.
    pub async fn integrity_check(&self) -> StoreResult<()> {
        let rows: Vec<(String,)> =
            sqlx::query_as("PRAGMA integrity_check").fetch_all(&self.pool).await.map_err(map_err)?;
        match rows.as_slice() {
            [(only,)] if only == "ok" => Ok(()),
            problems => Err(StoreError::Database(format!(
                "integrity check found {} problem(s) in the database file",
                problems.len()
            ))),
        }
    }

    /// Closes every connection (waits for them to be returned first).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the database file with owner-only permissions if it does not exist yet. SQLite
/// gives its `-wal` and `-shm` files the same permissions as the database file.
fn create_private_file(path: &Path) -> StoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Unavailable(format!("cannot create the database file ({:?})", e.kind()))),
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrations(&self) -> StoreResult<Vec<i64>> {
        self.applied_migrations().await
    }

    async fn dump(&self, sink: &mut dyn amparo_store::DumpSink) -> StoreResult<()> {
        self.dump_all(sink).await
    }

    async fn begin_load(&self) -> StoreResult<Box<dyn amparo_store::LoadTx>> {
        self.load().await
    }

    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    async fn purge_deleted(&self) -> StoreResult<()> {
        // Waits for the writer lock so no transaction of ours holds the log open.
        let _guard = tokio::time::timeout(BUSY_TIMEOUT, self.write_lock.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Unavailable("the database is busy".into()))?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    async fn begin(&self) -> StoreResult<Box<dyn WriteTx>> {
        let guard = tokio::time::timeout(BUSY_TIMEOUT, self.write_lock.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Unavailable("the database is busy".into()))?;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(map_err)?;
        Ok(Box::new(tx::SqliteTx::new(tx, guard)))
    }

    async fn organisations(&self) -> StoreResult<Vec<OrganisationRow>> {
        let rows = sqlx::query("SELECT id, name, created_at FROM organisations ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(organisation_from_row).collect()
    }

    async fn organisation(&self, id: OrgId) -> StoreResult<Option<OrganisationRow>> {
        let row = sqlx::query("SELECT id, name, created_at FROM organisations WHERE id = ?")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn organisation_by_name(&self, name: &str) -> StoreResult<Option<OrganisationRow>> {
        let row = sqlx::query("SELECT id, name, created_at FROM organisations WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query(select_users!("WHERE email = ?"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query(select_users!("WHERE id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn users_in_org(&self, org: OrgId) -> StoreResult<Vec<UserRow>> {
        let rows = sqlx::query(select_users!("WHERE org_id = ? ORDER BY email"))
            .bind(org.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(user_from_row).collect()
    }

    async fn count_users(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM users").fetch_one(&self.pool).await.map_err(map_err)?;
        Ok(n)
    }

    async fn session(&self, id_hash: &[u8]) -> StoreResult<Option<SessionRow>> {
        let row =
            sqlx::query("SELECT id_hash, user_id, stage, created_at, last_seen_at FROM sessions WHERE id_hash = ?")
                .bind(id_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn api_token_by_hash(&self, token_hash: &[u8]) -> StoreResult<Option<ApiTokenRow>> {
        let row = sqlx::query(
            "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(api_token_from_row).transpose()
    }

    async fn api_token(&self, id: ApiTokenId) -> StoreResult<Option<ApiTokenRow>> {
        let row = sqlx::query(
            "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE id = ?",
        )
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(api_token_from_row).transpose()
    }

    async fn api_tokens_of_user(&self, user: UserId) -> StoreResult<Vec<ApiTokenRow>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE user_id = ? ORDER BY created_at, id",
        )
        .bind(user.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(api_token_from_row).collect()
    }

    async fn setup_token(&self, token_hash: &[u8]) -> StoreResult<Option<SetupTokenRow>> {
        let row =
            sqlx::query("SELECT token_hash, created_at, expires_at, used_at FROM setup_tokens WHERE token_hash = ?")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(setup_token_from_row).transpose()
    }

    async fn person(&self, id: PersonId) -> StoreResult<Option<PersonRow>> {
        let row = sqlx::query(select_persons!("WHERE id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(person_from_row).transpose()
    }

    async fn persons(&self, ids: &[PersonId]) -> StoreResult<Vec<PersonRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(select_persons!("WHERE id IN (SELECT unhex(value) FROM json_each(?))"))
            .bind(id_list(ids.iter().map(PersonId::as_uuid))?)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(person_from_row).collect()
    }

    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRow>> {
        let row = sqlx::query(select_cases!("WHERE c.id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn case_by_number(&self, org: OrgId, number: &str) -> StoreResult<Option<CaseRow>> {
        let row = sqlx::query(select_cases!("WHERE c.org_id = ? AND c.number = ?"))
            .bind(org.as_uuid())
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn cases_of_person(&self, person: PersonId) -> StoreResult<Vec<CaseRow>> {
        let rows = sqlx::query(select_cases!("WHERE c.person_id = ? ORDER BY c.opened_on, c.number"))
            .bind(person.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(case_from_row).collect()
    }

    async fn cases_of_persons(&self, persons: &[PersonId]) -> StoreResult<Vec<CaseRow>> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(select_cases!(
            "WHERE c.person_id IN (SELECT unhex(value) FROM json_each(?)) ORDER BY c.opened_on, c.number, c.id"
        ))
        .bind(id_list(persons.iter().map(PersonId::as_uuid))?)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(case_from_row).collect()
    }

    async fn list_cases(&self, query: &CaseQuery) -> StoreResult<Vec<CaseRow>> {
        let Some(org) = query.org else { return Ok(Vec::new()) };
        let rows = case_list_query(org, query).build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(case_from_row).collect()
    }

    async fn count_cases(&self, org: OrgId) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM cases WHERE org_id = ?")
            .bind(org.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n)
    }

    async fn person_ids_in_org(&self, org: OrgId, after: Option<PersonId>, limit: i64) -> StoreResult<Vec<PersonId>> {
        let found: Vec<(Uuid,)> =
            sqlx::query_as("SELECT id FROM persons WHERE org_id = ? AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?")
                .bind(org.as_uuid())
                .bind(after.map(|a| *a.as_uuid()))
                .bind(after.map(|a| *a.as_uuid()))
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(found.into_iter().map(|(id,)| PersonId::from_uuid(id)).collect())
    }

    async fn persons_with_tokens(&self, org: OrgId, tokens: &[String], limit: i64) -> StoreResult<Vec<PersonId>> {
        let tokens = records::distinct(tokens);
        if tokens.is_empty() {
            return Ok(Vec::new());
        }
        // Drive the search from the rarest token (counted up to a bound), reading its persons
        // in id order and keeping those that carry the others too: it stops at `limit`
        // matches instead of grouping every person a common surname matches.
        let mut driver = 0;
        let mut fewest = i64::MAX;
        // A single token drives itself: no need to count it.
        for (i, token) in tokens.iter().enumerate().filter(|_| tokens.len() > 1) {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT count(*) FROM (SELECT 1 FROM person_search_tokens WHERE org_id = ? AND token = ? LIMIT ?)",
            )
            .bind(org.as_uuid())
            .bind(token)
            .bind(DRIVER_COUNT_BOUND)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
            if n < fewest {
                fewest = n;
                driver = i;
            }
        }
        let others: Vec<String> =
            tokens.iter().enumerate().filter(|(i, _)| *i != driver).map(|(_, t)| t.clone()).collect();
        let found: Vec<(Uuid,)> = sqlx::query_as(
            "SELECT d.person_id FROM person_search_tokens d
             WHERE d.org_id = ? AND d.token = ?
               AND (SELECT count(*) FROM person_search_tokens t
                    WHERE t.person_id = d.person_id AND t.token IN (SELECT value FROM json_each(?))) = ?
             ORDER BY d.person_id LIMIT ?",
        )
        .bind(org.as_uuid())
        .bind(&tokens[driver])
        .bind(list(&others)?)
        .bind(others.len() as i64)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(found.into_iter().map(|(id,)| PersonId::from_uuid(id)).collect())
    }

    async fn break_glass_grant(&self, id: Uuid) -> StoreResult<Option<BreakGlassRow>> {
        let row = sqlx::query(
            "SELECT id, org_id, case_id, user_id, reason, granted_at, expires_at FROM break_glass WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(break_glass_from_row).transpose()
    }

    async fn active_break_glass(&self, case: CaseId, now: DateTime<Utc>) -> StoreResult<Vec<BreakGlassRow>> {
        let rows = sqlx::query(
            "SELECT id, org_id, case_id, user_id, reason, granted_at, expires_at FROM break_glass
             WHERE case_id = ? AND expires_at > ? ORDER BY granted_at, id",
        )
        .bind(case.as_uuid())
        .bind(micros(now))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(break_glass_from_row).collect()
    }

    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<ConsentRow>> {
        let rows = sqlx::query(select_consents!("WHERE person_id = ? ORDER BY given_at DESC, id DESC"))
            .bind(person.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(consent_from_row).collect()
    }

    async fn consent(&self, id: ConsentId) -> StoreResult<Option<ConsentRow>> {
        let row = sqlx::query(select_consents!("WHERE id = ?"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(consent_from_row).transpose()
    }

    async fn outreach_of_person(&self, person: PersonId, limit: i64) -> StoreResult<Vec<OutreachRow>> {
        let rows = sqlx::query(
            "SELECT id, org_id, person_id, channel, at, by_id FROM outreach
             WHERE person_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        )
        .bind(person.as_uuid())
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(outreach_from_row).collect()
    }

    async fn erasure_requests(&self, org: OrgId, limit: i64) -> StoreResult<Vec<amparo_store::ErasureRequestRow>> {
        let rows = sqlx::query(
            "SELECT id, org_id, person_id, requested_by, reason, requested_at, decided_by, decided_at, approved
             FROM erasure_requests WHERE org_id = ? ORDER BY requested_at DESC, id DESC LIMIT ?",
        )
        .bind(org.as_uuid())
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(records::erasure_request_from_row).collect()
    }

    async fn erasure_request(&self, id: Uuid) -> StoreResult<Option<amparo_store::ErasureRequestRow>> {
        let row = sqlx::query(
            "SELECT id, org_id, person_id, requested_by, reason, requested_at, decided_by, decided_at, approved
             FROM erasure_requests WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(records::erasure_request_from_row).transpose()
    }

    async fn erasure(&self, person: PersonId) -> StoreResult<Option<ErasureRow>> {
        let row =
            sqlx::query("SELECT person_id, org_id, erased_at, erased_by, reason FROM erasures WHERE person_id = ?")
                .bind(person.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(erasure_from_row).transpose()
    }

    async fn erasures(&self) -> StoreResult<Vec<ErasureRow>> {
        let rows = sqlx::query(
            "SELECT person_id, org_id, erased_at, erased_by, reason FROM erasures ORDER BY erased_at, person_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(erasure_from_row).collect()
    }

    async fn case_entry(&self, id: amparo_domain::EntryId) -> StoreResult<Option<amparo_store::CaseEntryRow>> {
        casework::case_entry(&self.pool, id).await
    }

    async fn case_entries(&self, case: CaseId, kinds: &[String]) -> StoreResult<Vec<amparo_store::CaseEntryRow>> {
        casework::case_entries(&self.pool, case, kinds).await
    }

    async fn entries_between(&self, query: &amparo_store::EntryQuery) -> StoreResult<Vec<amparo_store::EntryListRow>> {
        casework::entries_between(&self.pool, query).await
    }

    async fn last_contact(&self, case: CaseId) -> StoreResult<Option<chrono::NaiveDate>> {
        casework::last_contact(&self.pool, case).await
    }

    async fn task(&self, id: amparo_domain::TaskId) -> StoreResult<Option<amparo_store::TaskRow>> {
        casework::task(&self.pool, id).await
    }

    async fn tasks_of_source(&self, source: Uuid) -> StoreResult<Vec<amparo_store::TaskRow>> {
        casework::tasks_of_source(&self.pool, source).await
    }

    async fn tasks_due(&self, query: &amparo_store::TaskQuery) -> StoreResult<Vec<amparo_store::TaskListRow>> {
        casework::tasks_due(&self.pool, query).await
    }

    async fn dashboard(&self, query: &amparo_store::DashboardQuery) -> StoreResult<amparo_store::DashboardCounts> {
        casework::dashboard(&self.pool, query).await
    }

    async fn documents_of_person(&self, person: PersonId) -> StoreResult<Vec<amparo_store::DocumentRow>> {
        documents::of_person(&self.pool, person).await
    }

    async fn documents_of_case(&self, case: CaseId) -> StoreResult<Vec<amparo_store::DocumentRow>> {
        documents::of_case(&self.pool, case).await
    }

    async fn document(&self, id: amparo_domain::records::DocumentId) -> StoreResult<Option<amparo_store::DocumentRow>> {
        documents::one(&self.pool, id).await
    }

    async fn document_content(&self, id: amparo_domain::records::DocumentId) -> StoreResult<Option<Vec<u8>>> {
        documents::content(&self.pool, id).await
    }

    async fn form_config(&self, org: OrgId, form: &str) -> StoreResult<Option<amparo_store::FormConfigRow>> {
        forms::config(&self.pool, org, form).await
    }

    async fn form_config_history(
        &self,
        org: OrgId,
        form: &str,
        limit: i64,
    ) -> StoreResult<Vec<amparo_store::FormConfigRow>> {
        forms::history(&self.pool, org, form, limit).await
    }

    async fn organisation_settings(&self, org: OrgId) -> StoreResult<Option<amparo_store::OrganisationSettingsRow>> {
        forms::settings(&self.pool, org).await
    }

    async fn custom_values(&self, form: &str, record: Uuid) -> StoreResult<Option<amparo_store::CustomValuesRow>> {
        forms::custom_values(&self.pool, form, record).await
    }
    async fn case_custom_values(
        &self,
        form: &str,
        person: PersonId,
        case: CaseId,
    ) -> StoreResult<Vec<amparo_store::CustomValuesRow>> {
        forms::case_custom_values(&self.pool, form, person, case).await
    }

    async fn screenings_of_person(&self, person: PersonId) -> StoreResult<Vec<amparo_store::ScreeningRow>> {
        screenings::of_person(&self.pool, person).await
    }

    async fn screening(
        &self,
        id: amparo_domain::records::ScreeningId,
    ) -> StoreResult<Option<amparo_store::ScreeningRow>> {
        screenings::one(&self.pool, id).await
    }

    async fn staff_profile(&self, user: UserId) -> StoreResult<Option<amparo_store::StaffProfileRow>> {
        staff::profile(&self.pool, user).await
    }

    async fn staff_profiles(&self, org: OrgId) -> StoreResult<Vec<amparo_store::StaffProfileRow>> {
        staff::profiles(&self.pool, org).await
    }

    async fn trainings_of(&self, user: UserId) -> StoreResult<Vec<amparo_store::TrainingRow>> {
        staff::trainings(&self.pool, user).await
    }

    async fn access_policy(&self, org: OrgId) -> StoreResult<Option<amparo_store::AccessPolicyRow>> {
        staff::policy(&self.pool, org).await
    }

    async fn wellbeing_key(&self, user: UserId) -> StoreResult<Option<amparo_store::WellbeingKeyRow>> {
        staff::key(&self.pool, user).await
    }

    async fn checkins_of(&self, user: UserId, limit: i64) -> StoreResult<Vec<amparo_store::CheckInRow>> {
        staff::checkins_of(&self.pool, user, limit).await
    }

    async fn checkin_respondents(&self, org: OrgId, instrument: &str, period: &str) -> StoreResult<i64> {
        staff::respondents(&self.pool, org, instrument, period).await
    }

    async fn checkins_in_period(
        &self,
        org: OrgId,
        instrument: &str,
        period: &str,
    ) -> StoreResult<Vec<amparo_store::CheckInRow>> {
        staff::in_period(&self.pool, org, instrument, period).await
    }

    async fn checkin_periods(&self, org: OrgId, instrument: &str, limit: i64) -> StoreResult<Vec<String>> {
        staff::periods(&self.pool, org, instrument, limit).await
    }

    async fn safety_plan_latest(&self, person: PersonId) -> StoreResult<Option<amparo_store::SafetyPlanRow>> {
        safety::latest(&self.pool, person).await
    }

    async fn safety_plan_version(
        &self,
        person: PersonId,
        version: i64,
    ) -> StoreResult<Option<amparo_store::SafetyPlanRow>> {
        safety::version(&self.pool, person, version).await
    }

    async fn safety_plan_versions(
        &self,
        person: PersonId,
        limit: i64,
    ) -> StoreResult<Vec<amparo_store::SafetyPlanRow>> {
        safety::versions(&self.pool, person, limit).await
    }

    async fn crisis_contacts_of_person(
        &self,
        person: PersonId,
        limit: i64,
    ) -> StoreResult<Vec<amparo_store::CrisisContactRow>> {
        safety::crisis_of_person(&self.pool, person, limit).await
    }

    async fn signal(&self, id: amparo_domain::signals::SignalId) -> StoreResult<Option<amparo_store::SignalRow>> {
        signals::one(&self.pool, id).await
    }

    async fn signals(&self, query: &amparo_store::SignalQuery) -> StoreResult<Vec<amparo_store::SignalRow>> {
        signals::queue(&self.pool, query).await
    }

    async fn installation_identity(&self) -> StoreResult<Option<amparo_store::IdentityRow>> {
        referrals::identity(&self.pool).await
    }

    async fn partners(&self, org: OrgId) -> StoreResult<Vec<amparo_store::PartnerRow>> {
        referrals::partners(&self.pool, org).await
    }

    async fn partner(&self, id: amparo_domain::referrals::PartnerId) -> StoreResult<Option<amparo_store::PartnerRow>> {
        referrals::partner(&self.pool, id).await
    }

    async fn partners_with_public_key(&self, public_key: &str) -> StoreResult<Vec<amparo_store::PartnerRow>> {
        referrals::partners_with_key(&self.pool, public_key).await
    }

    async fn referral(
        &self,
        id: amparo_domain::referrals::ReferralId,
    ) -> StoreResult<Option<amparo_store::ReferralRow>> {
        referrals::referral(&self.pool, id).await
    }

    async fn referrals(&self, org: OrgId, direction: &str, limit: i64) -> StoreResult<Vec<amparo_store::ReferralRow>> {
        referrals::referrals(&self.pool, org, direction, limit).await
    }
    async fn referrals_of_person(&self, person: PersonId) -> StoreResult<Vec<amparo_store::ReferralRow>> {
        referrals::referrals_of_person(&self.pool, person).await
    }
    async fn case_status_history(&self, case: CaseId) -> StoreResult<Vec<amparo_store::CaseStatusRow>> {
        records::case_status_history(&self.pool, case).await
    }

    async fn houses(&self, org: OrgId) -> StoreResult<Vec<amparo_store::HouseRow>> {
        shelters::houses(&self.pool, org).await
    }

    async fn house(&self, id: amparo_domain::shelters::HouseId) -> StoreResult<Option<amparo_store::HouseRow>> {
        shelters::house(&self.pool, id).await
    }

    async fn beds(&self, org: OrgId) -> StoreResult<Vec<amparo_store::BedRow>> {
        shelters::beds(&self.pool, org).await
    }

    async fn bed(&self, id: amparo_domain::shelters::BedId) -> StoreResult<Option<amparo_store::BedRow>> {
        shelters::bed(&self.pool, id).await
    }

    async fn open_stays(&self, org: OrgId) -> StoreResult<Vec<amparo_store::StayRow>> {
        shelters::open_stays(&self.pool, org).await
    }

    async fn stay(&self, id: amparo_domain::shelters::StayId) -> StoreResult<Option<amparo_store::StayRow>> {
        shelters::stay(&self.pool, id).await
    }

    async fn stays_of_person(&self, person: PersonId) -> StoreResult<Vec<amparo_store::StayRow>> {
        shelters::stays_of_person(&self.pool, person).await
    }

    async fn waitlist(&self, house: amparo_domain::shelters::HouseId) -> StoreResult<Vec<amparo_store::WaitlistRow>> {
        shelters::waitlist(&self.pool, house).await
    }

    async fn waitlist_entry(
        &self,
        id: amparo_domain::shelters::WaitlistId,
    ) -> StoreResult<Option<amparo_store::WaitlistRow>> {
        shelters::waitlist_entry(&self.pool, id).await
    }

    async fn house_rules(
        &self,
        house: amparo_domain::shelters::HouseId,
    ) -> StoreResult<Vec<amparo_store::HouseRuleRow>> {
        shelters::rules(&self.pool, house).await
    }

    async fn house_log(
        &self,
        house: amparo_domain::shelters::HouseId,
        limit: i64,
    ) -> StoreResult<Vec<amparo_store::HouseLogRow>> {
        shelters::log(&self.pool, house, limit).await
    }

    async fn placement_sites(&self, org: OrgId) -> StoreResult<Vec<amparo_store::SiteRow>> {
        placements::sites(&self.pool, org).await
    }

    async fn placement_site(
        &self,
        id: amparo_domain::placements::SiteId,
    ) -> StoreResult<Option<amparo_store::SiteRow>> {
        placements::site(&self.pool, id).await
    }

    async fn placement_needs(&self, org: OrgId) -> StoreResult<Vec<amparo_store::NeedRow>> {
        placements::needs(&self.pool, org).await
    }

    async fn placement_need(
        &self,
        id: amparo_domain::placements::NeedId,
    ) -> StoreResult<Option<amparo_store::NeedRow>> {
        placements::need(&self.pool, id).await
    }

    async fn placements(&self, query: &amparo_store::PlacementQuery) -> StoreResult<Vec<amparo_store::PlacementRow>> {
        placements::placements(&self.pool, query).await
    }

    async fn placement(
        &self,
        id: amparo_domain::placements::PlacementId,
    ) -> StoreResult<Option<amparo_store::PlacementRow>> {
        placements::placement(&self.pool, id).await
    }

    async fn weekly_availabilities(&self, org: OrgId) -> StoreResult<Vec<amparo_store::WeeklyAvailabilityRow>> {
        placements::availabilities(&self.pool, org).await
    }

    async fn weekly_availability(&self, user: UserId) -> StoreResult<Option<amparo_store::WeeklyAvailabilityRow>> {
        placements::availability(&self.pool, user).await
    }

    async fn outreach_event(
        &self,
        id: amparo_domain::events::OutreachEventId,
    ) -> StoreResult<Option<amparo_store::OutreachEventRow>> {
        events::one(&self.pool, id).await
    }

    async fn outreach_events(
        &self,
        query: &amparo_store::OutreachEventQuery,
    ) -> StoreResult<Vec<amparo_store::OutreachEventRow>> {
        events::list_events(&self.pool, query).await
    }

    async fn retention_rules(&self, org: OrgId) -> StoreResult<Vec<amparo_store::RetentionRuleRow>> {
        retention::rules(&self.pool, org).await
    }

    async fn retention_orgs(&self) -> StoreResult<Vec<OrgId>> {
        retention::orgs(&self.pool).await
    }

    async fn retention_candidates(
        &self,
        due: &amparo_store::RetentionDue,
    ) -> StoreResult<Vec<amparo_store::RetentionCandidate>> {
        retention::candidates(&self.pool, due).await
    }

    async fn retention_purges_of_person(&self, person: PersonId) -> StoreResult<Vec<amparo_store::RetentionPurgeRow>> {
        retention::purges_of_person(&self.pool, person).await
    }

    async fn retention_runs(&self, org: OrgId, limit: i64) -> StoreResult<Vec<amparo_store::RetentionRunRow>> {
        retention::runs(&self.pool, org, limit).await
    }

    async fn kek_versions(&self) -> StoreResult<Vec<amparo_store::KekVersionRow>> {
        keys::versions(&self.pool).await
    }

    async fn wrapped_keys(
        &self,
        table: amparo_store::WrappedKeyTable,
        org: OrgId,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<amparo_store::WrappedKeyRow>> {
        keys::wrapped_keys(&self.pool, table, org, after, limit).await
    }

    async fn count_wrapped_keys_not_starting(
        &self,
        table: amparo_store::WrappedKeyTable,
        org: OrgId,
        header: &[u8],
    ) -> StoreResult<i64> {
        keys::count_not_starting(&self.pool, table, org, header).await
    }

    async fn releases(
        &self,
        org: OrgId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<amparo_store::ReleaseLedgerRow>> {
        releases::list(&self.pool, org, from, to).await
    }

    async fn release(&self, id: Uuid) -> StoreResult<Option<amparo_store::ReleaseLedgerRow>> {
        releases::one(&self.pool, id).await
    }

    async fn audit_head(&self) -> StoreResult<Option<AuditHead>> {
        let (seq, hash): (i64, Vec<u8>) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or_else(|| bad_value("audit_head"))?;
        Ok((seq > 0).then_some(AuditHead { seq, hash }))
    }

    async fn audit_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(select_audit_events!("WHERE seq > ? ORDER BY seq LIMIT ?"))
            .bind(after)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(audit_record_from_row).collect()
    }

    async fn audit_events_of_org(&self, org: OrgId, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(select_audit_events!("WHERE org_id = ? ORDER BY seq DESC LIMIT ?"))
            .bind(org.as_uuid())
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(audit_record_from_row).collect()
    }

    async fn audit_events_for_targets(
        &self,
        org: OrgId,
        targets: &[Uuid],
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        // The targets first, each looked up by index: SQLite keeps the order of a CROSS JOIN
        // (left to itself it would walk the organisation's whole log in seq order).
        let rows = sqlx::query(targets_audit_events_sql!())
            .bind(id_list(&records::distinct(targets))?)
            .bind(org.as_uuid())
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(audit_record_from_row).collect()
    }
}

/// The caseload list's statement, with only the filters asked for, so that each shape of the
/// query finds its index.
fn case_list_query(org: OrgId, query: &CaseQuery) -> sqlx::QueryBuilder<'static, sqlx::Sqlite> {
    let mut sql = sqlx::QueryBuilder::<sqlx::Sqlite>::new(concat!("SELECT ", case_columns!(), " FROM "));
    match query.team_member {
        // The member's team rows first: SQLite keeps the order of a CROSS JOIN, and one
        // user's cases are few next to an organisation's (without statistics the planner
        // would walk the whole organisation in list order instead).
        Some(member) => {
            sql.push("case_team m CROSS JOIN cases c WHERE m.user_id = ").push_bind(*member.as_uuid());
            sql.push(" AND c.id = m.case_id AND c.org_id = ").push_bind(*org.as_uuid());
        }
        None => {
            sql.push("cases c WHERE c.org_id = ").push_bind(*org.as_uuid());
        }
    }
    if let Some(assignee) = query.assigned_to {
        sql.push(" AND c.assigned_to = ").push_bind(*assignee.as_uuid());
    }
    if let Some(status) = &query.status {
        sql.push(" AND c.status = ").push_bind(status.clone());
    }
    sql.push(" ORDER BY c.opened_on DESC, c.number DESC LIMIT ").push_bind(query.limit.max(0));
    sql.push(" OFFSET ").push_bind(query.offset.max(0));
    sql
}

// --- values

/// Microseconds since the Unix epoch (anything finer is dropped, rounding down).
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub(crate) fn time(row: &SqliteRow, column: &'static str) -> StoreResult<DateTime<Utc>> {
    let v: i64 = row.try_get(column).map_err(map_err)?;
    DateTime::from_timestamp_micros(v).ok_or_else(|| bad_value(column))
}

pub(crate) fn opt_time(row: &SqliteRow, column: &'static str) -> StoreResult<Option<DateTime<Utc>>> {
    let v: Option<i64> = row.try_get(column).map_err(map_err)?;
    v.map(|v| DateTime::from_timestamp_micros(v).ok_or_else(|| bad_value(column))).transpose()
}

pub(crate) fn uuid(row: &SqliteRow, column: &'static str) -> StoreResult<Uuid> {
    row.try_get(column).map_err(map_err)
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    column: &'static str,
) -> StoreResult<T> {
    row.try_get(column).map_err(map_err)
}

fn organisation_from_row(row: &SqliteRow) -> StoreResult<OrganisationRow> {
    Ok(OrganisationRow {
        id: OrgId::from_uuid(uuid(row, "id")?),
        name: get(row, "name")?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn user_from_row(row: &SqliteRow) -> StoreResult<UserRow> {
    let role: String = get(row, "role")?;
    let language: String = get(row, "language")?;
    Ok(UserRow {
        id: UserId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        email: get(row, "email")?,
        name: get(row, "name")?,
        role: role.parse().map_err(|_| bad_value("users.role"))?,
        language: language.parse().map_err(|_| bad_value("users.language"))?,
        password_hash: get(row, "password_hash")?,
        must_change_password: get(row, "must_change_password")?,
        mfa_secret: get(row, "mfa_secret")?,
        mfa_enrolled: get(row, "mfa_enrolled")?,
        mfa_last_step: get(row, "mfa_last_step")?,
        disabled: get(row, "disabled")?,
        failed_logins: get(row, "failed_logins")?,
        first_failed_at: opt_time(row, "first_failed_at")?,
        locked_until: opt_time(row, "locked_until")?,
        lock_count: get(row, "lock_count")?,
        version: get(row, "version")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

fn session_from_row(row: &SqliteRow) -> StoreResult<SessionRow> {
    let stage: String = get(row, "stage")?;
    Ok(SessionRow {
        id_hash: get(row, "id_hash")?,
        user: UserId::from_uuid(uuid(row, "user_id")?),
        stage: SessionStage::from_code(&stage).ok_or_else(|| bad_value("sessions.stage"))?,
        created_at: time(row, "created_at")?,
        last_seen_at: time(row, "last_seen_at")?,
    })
}

fn api_token_from_row(row: &SqliteRow) -> StoreResult<ApiTokenRow> {
    Ok(ApiTokenRow {
        id: ApiTokenId::from_uuid(uuid(row, "id")?),
        user: UserId::from_uuid(uuid(row, "user_id")?),
        name: get(row, "name")?,
        token_hash: get(row, "token_hash")?,
        created_at: time(row, "created_at")?,
        last_used_at: opt_time(row, "last_used_at")?,
        revoked_at: opt_time(row, "revoked_at")?,
    })
}

fn setup_token_from_row(row: &SqliteRow) -> StoreResult<SetupTokenRow> {
    Ok(SetupTokenRow {
        token_hash: get(row, "token_hash")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        used_at: opt_time(row, "used_at")?,
    })
}

fn audit_record_from_row(row: &SqliteRow) -> StoreResult<AuditRecord> {
    let outcome: String = get(row, "outcome")?;
    let org: Option<Uuid> = get(row, "org_id")?;
    let actor: Option<Uuid> = get(row, "actor_id")?;
    Ok(AuditRecord {
        seq: get(row, "seq")?,
        draft: AuditDraft {
            at: time(row, "at")?,
            org: org.map(OrgId::from_uuid),
            actor: actor.map(UserId::from_uuid),
            channel: get(row, "channel")?,
            action: get(row, "action")?,
            target_kind: get(row, "target_kind")?,
            target_id: get(row, "target_id")?,
            outcome: AuditOutcome::from_code(&outcome).ok_or_else(|| bad_value("audit_events.outcome"))?,
            detail: get(row, "detail")?,
        },
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    async fn fresh() -> (tempfile::TempDir, PathBuf, SqliteStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = database_path(dir.path());
        let store = SqliteStore::open(&path).await.expect("open");
        (dir, path, store)
    }

    #[test]
    fn the_file_lives_in_the_data_dir() {
        assert_eq!(database_path(Path::new("/var/lib/amparo")), PathBuf::from("/var/lib/amparo/amparo.sqlite3"));
    }

    #[tokio::test]
    async fn every_connection_is_durable_wal_with_foreign_keys() {
        let (_dir, _path, store) = fresh().await;
        // Several connections, so that the settings are seen on more than the first.
        let mut conns = Vec::new();
        for _ in 0..3 {
            let mut conn = store.pool.acquire().await.expect("acquire");
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(&mut *conn).await.expect("pragma");
            let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(&mut *conn).await.expect("pragma");
            let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(&mut *conn).await.expect("pragma");
            let (busy,): (i64,) = sqlx::query_as("PRAGMA busy_timeout").fetch_one(&mut *conn).await.expect("pragma");
            let (secure,): (i64,) = sqlx::query_as("PRAGMA secure_delete").fetch_one(&mut *conn).await.expect("pragma");
            assert_eq!(mode, "wal");
            assert_eq!(sync, 2, "synchronous=FULL");
            assert_eq!(fk, 1);
            assert_eq!(busy, 10_000);
            assert_eq!(secure, 1);
            conns.push(conn);
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_database_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path, store) = fresh().await;
        store.ping().await.expect("ping");
        let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[tokio::test]
    async fn integrity_check_passes_on_a_sound_file() {
        let (_dir, _path, store) = fresh().await;
        store.integrity_check().await.expect("integrity");
    }

    #[tokio::test]
    async fn reopening_applies_no_migration_twice() {
        let (_dir, path, store) = fresh().await;
        store.close().await;
        let again = SqliteStore::open(&path).await.expect("reopen");
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM _sqlx_migrations").fetch_one(&again.pool).await.expect("count");
        assert_eq!(n as usize, MIGRATOR.iter().count());
        let (heads,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_head").fetch_one(&again.pool).await.expect("count");
        assert_eq!(heads, 1);
    }

    #[tokio::test]
    async fn opening_in_a_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = SqliteStore::open(&dir.path().join("missing").join("amparo.sqlite3")).await.expect_err("no dir");
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_database_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = database_path(dir.path());
        std::fs::write(&path, vec![0x5a; 8192]).expect("write");
        assert!(SqliteStore::open(&path).await.is_err());
    }

    /// The plan of `sql` (parameters unbound), one line per step.
    async fn plan(store: &SqliteStore, sql: &str) -> String {
        let rows = sqlx::raw_sql(&format!("EXPLAIN QUERY PLAN {sql}")).fetch_all(&store.pool).await.expect("explain");
        rows.iter().map(|r| r.try_get::<String, _>("detail").expect("detail")).collect::<Vec<_>>().join("\n")
    }

    /// The reads that must stay fast on a large database search an index, never scan a table
    /// (the bundled SQLite version is pinned, so its plans are stable).
    #[tokio::test]
    async fn large_reads_search_their_indexes() {
        let (_dir, _path, store) = fresh().await;
        let org = OrgId::new();
        let caseload = |q: CaseQuery| case_list_query(org, &q).sql().to_owned();
        let member = Some(UserId::new());
        let checks = [
            (caseload(CaseQuery::default()), "USING INDEX cases_org_id_opened_on"),
            (caseload(CaseQuery { status: Some("open".into()), ..CaseQuery::default() }), "cases_org_id_status"),
            (caseload(CaseQuery { assigned_to: member, ..CaseQuery::default() }), "cases_org_id_assigned_to"),
            (caseload(CaseQuery { team_member: member, ..CaseQuery::default() }), "case_team_user_id"),
            (targets_audit_events_sql!().to_owned(), "audit_events_target_id"),
            (
                "SELECT d.person_id FROM person_search_tokens d
                 WHERE d.org_id = ? AND d.token = ?
                   AND (SELECT count(*) FROM person_search_tokens t
                        WHERE t.person_id = d.person_id AND t.token IN (SELECT value FROM json_each(?))) = ?
                 ORDER BY d.person_id LIMIT ?"
                    .to_owned(),
                "person_search_tokens_org_token_person",
            ),
            (select_persons!("WHERE id IN (SELECT unhex(value) FROM json_each(?))").to_owned(), "persons"),
            (
                select_cases!("WHERE c.person_id IN (SELECT unhex(value) FROM json_each(?))").to_owned(),
                "cases_person_id",
            ),
        ];
        let viewer = UserId::new();
        let tasks = |member: Option<UserId>| {
            casework::tasks_due_query(&amparo_store::TaskQuery {
                org,
                due_before: chrono::NaiveDate::MIN,
                due_from: None,
                kinds: vec!["follow_up".into()],
                member,
                viewer,
                limit: 10,
            })
            .sql()
            .to_owned()
        };
        let appointments = |member: Option<UserId>| {
            casework::entries_between_query(&amparo_store::EntryQuery {
                org,
                kind: "appointment".into(),
                member,
                viewer,
                from: chrono::NaiveDate::MIN,
                to: chrono::NaiveDate::MIN,
                status: Some("scheduled".into()),
                limit: 10,
            })
            .sql()
            .to_owned()
        };
        let dashboard = |member: Option<UserId>| {
            casework::dashboard_queries(&amparo_store::DashboardQuery {
                org,
                member,
                viewer,
                today: chrono::NaiveDate::MIN,
                upcoming_until: chrono::NaiveDate::MIN,
                no_contact_before: chrono::NaiveDate::MIN,
                deadline_kinds: vec!["t_visa_expiry".into()],
                closed_statuses: vec!["Closed".into()],
            })
            .expect("queries")
            .map(|q| q.sql().to_owned())
        };
        let [by_status, overdue, upcoming_appointments, deadlines, no_contact] = dashboard(None);
        let [m_by_status, m_overdue, m_appointments, m_deadlines, m_no_contact] = dashboard(member);
        let casework_checks = [
            (tasks(None), "tasks_open_org_id_due_on"),
            (tasks(member), "tasks_open_case_id_due_on"),
            (tasks(member), "tasks_open_assigned_to_due_on"),
            (appointments(None), "case_entries_org_id_kind_on_date"),
            (appointments(member), "case_entries_case_id_on_date"),
            (select_cases!("WHERE c.id = ?").to_owned(), "sqlite_autoindex_cases_1"),
            (by_status, "cases_org_id_status"),
            (overdue, "tasks_open_org_id_due_on"),
            (upcoming_appointments, "case_entries_org_id_kind"),
            (deadlines, "tasks_open_org_id_due_on"),
            (no_contact, "cases_org_id"),
            (m_by_status, "case_team_user_id"),
            (m_overdue, "tasks_open_case_id_due_on"),
            (m_appointments, "case_entries_case_id_on_date"),
            (m_deadlines, "tasks_open_case_id_due_on"),
            (m_no_contact, "case_team_user_id"),
        ];
        for (sql, index) in checks.into_iter().chain(casework_checks) {
            let plan = plan(&store, &sql).await;
            assert!(plan.contains(index), "{index} not used:\n{plan}\n{sql}");
            for line in plan.lines() {
                // A subquery's few result rows (a count per status) are not a table.
                let scans_table =
                    line.starts_with("SCAN ") && !line.contains("VIRTUAL TABLE") && !line.starts_with("SCAN (subquery");
                assert!(!scans_table, "a table scan:\n{plan}\n{sql}");
            }
        }
    }

    /// A write transaction holds the write lock from BEGIN, not from its first write: a
    /// writer in another process (here: another store on the same file) waits for it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_transaction_locks_at_begin() {
        let (_dir, path, store) = fresh().await;
        let other = SqliteStore::open(&path).await.expect("second handle");
        let first = store.begin().await.expect("begin");
        let waiting = tokio::spawn(async move {
            let tx = other.begin().await.expect("begin after the first ends");
            tx.commit().await.expect("commit");
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "the second writer must wait for the first");
        // Reads are not blocked by a writer.
        store.count_users().await.expect("read while a writer holds the lock");
        first.commit().await.expect("commit");
        tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("second writer proceeds").expect("task");
    }
}
