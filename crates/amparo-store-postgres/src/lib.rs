//! amparo-store-postgres: the backend for several `amparo serve` processes on one database.
//!
//! Write transactions are plain READ COMMITTED transactions. Extending the audit chain locks
//! its single head row (`SELECT … FROM audit_head … FOR UPDATE`), so appenders in any number
//! of processes queue there and form one chain. Every connection sets `lock_timeout`, so a
//! writer waits at most that long for a lock before it gets [`StoreError::Unavailable`].
//!
//! Timestamps are `timestamptz` (microseconds), ids `uuid`, hashes and ciphertext `bytea`,
//! codes `text`. See `migrations/`.

// --- SQL shared by the store and its transactions

macro_rules! user_columns {
    () => {
        "id, org_id, email, name, role, language, password_hash, must_change_password,
         mfa_secret, mfa_enrolled, mfa_last_step, disabled, failed_logins, first_failed_at,
         locked_until, lock_count, version, created_at, updated_at"
    };
}

macro_rules! select_users {
    ($tail:literal) => {
        concat!("SELECT ", user_columns!(), " FROM users ", $tail)
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

macro_rules! person_columns {
    () => {
        "id, org_id, created_by, wrapped_key, gender, birth_year, age_band, citizenship, primary_language,
         other_languages, interpreter_needed, household_size, dependants, safe_contact_confirmed_at, identity,
         safe_contact, narrative, version, created_at, updated_at"
    };
}

macro_rules! select_persons {
    ($tail:literal) => {
        concat!("SELECT ", person_columns!(), " FROM persons ", $tail)
    };
}

/// Cases with their team (in team order).
macro_rules! select_cases {
    ($tail:literal) => {
        concat!(
            "SELECT c.id, c.org_id, c.person_id, c.number, c.status, c.closure_reason, c.trafficking_status,
                    c.status_decided_by, c.exploitation_types, c.means_of_control, c.recruitment, c.countries,
                    c.places, c.opened_on, c.closed_on, c.assigned_to, c.restricted, c.created_by, c.version,
                    c.created_at, c.updated_at,
                    ARRAY(SELECT t.user_id FROM case_team t WHERE t.case_id = c.id ORDER BY t.position) AS team
             FROM cases c ",
            $tail
        )
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

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, Row};
use uuid::Uuid;

use amparo_domain::{ApiTokenId, CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditHead, AuditOutcome, AuditRecord, Backend, BreakGlassRow, CaseQuery, CaseRow,
    ConsentRow, ErasureRow, OrganisationRow, OutreachRow, PersonRow, SessionRow, SessionStage, SetupTokenRow, Store,
    StoreError, StoreResult, UserRow, WriteTx,
};

use crate::error::{bad_value, map_err, map_migrate_err};
use crate::records::{
    break_glass_from_row, case_from_row, consent_from_row, erasure_from_row, outreach_from_row, person_from_row, uuids,
};

/// How long a connection may take to come, and a writer may wait for a lock.
const WAIT: Duration = Duration::from_secs(10);
const LOCK_TIMEOUT: &str = "10s";
/// How far a search counts each token before it picks the rarest one to read from. Counting
/// is the cost: a common first name has tens of thousands of rows at 100k people, and reading
/// from a token with a thousand rows already stops within a few hundred (a tie keeps the
/// earlier token: a whole word, more selective than the prefix that ends a query).
const DRIVER_COUNT_BOUND: i64 = 1_000;

const MAX_CONNECTIONS: u32 = 10;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The PostgreSQL store. Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`) and brings the schema up to date. Tables live in
    /// the connection's default `search_path` (normally `public`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(base_options(url)?).await
    }

    /// Connects with every pooled connection's `search_path` pinned to `schema`, creating
    /// the schema if it is missing, and brings the schema up to date. `schema` must be a
    /// plain lower-case identifier (`[a-z_][a-z0-9_]*`, at most 63 bytes).
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        check_schema_name(schema)?;
        let options = base_options(url)?;
        let mut conn = sqlx::PgConnection::connect_with(&options).await.map_err(map_err)?;
        // `schema` is a checked identifier; identifiers cannot be bound as parameters.
        sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).execute(&mut conn).await.map_err(map_err)?;
        conn.close().await.map_err(map_err)?;
        let options = options.application_name(&schema_application_name(schema)).options([("search_path", schema)]);
        Self::connect_with(options).await
    }

    /// Drops `schema` and everything in it, first ending every connection that
    /// [`PostgresStore::connect_in_schema`] opened for it (their transactions roll back).
    /// For test harnesses, which may drop a schema while a store on it is still alive.
    pub async fn drop_schema(url: &str, schema: &str) -> Result<(), StoreError> {
        check_schema_name(schema)?;
        let mut conn = sqlx::PgConnection::connect_with(&base_options(url)?).await.map_err(map_err)?;
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
            .bind(schema_application_name(schema))
            .execute(&mut conn)
            .await
            .map_err(map_err)?;
        // `schema` is a checked identifier; identifiers cannot be bound as parameters.
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut conn).await.map_err(map_err)?;
        conn.close().await.map_err(map_err)
    }

    async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        // One direct attempt first: an unreachable server or a refused login is reported at
        // once and with its reason, instead of after the pool's retries time out.
        sqlx::PgConnection::connect_with(&options).await.map_err(map_err)?.close().await.map_err(map_err)?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(WAIT)
            .connect_with(options)
            .await
            .map_err(map_err)?;
        MIGRATOR.run(&pool).await.map_err(map_migrate_err)?;
        Ok(PostgresStore { pool })
    }

    /// Closes every connection (waits for them to be returned first).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn base_options(url: &str) -> StoreResult<PgConnectOptions> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|_| StoreError::Unavailable("invalid PostgreSQL connection URL".into()))?;
    Ok(options.application_name("amparo").options([("lock_timeout", LOCK_TIMEOUT)]))
}

/// Names the connections of a schema-pinned store (visible in `pg_stat_activity`). The
/// schema name is ASCII and at most 63 bytes; so is the result, the server's limit.
fn schema_application_name(schema: &str) -> String {
    let mut name = format!("amparo/{schema}");
    name.truncate(63);
    name
}

fn check_schema_name(schema: &str) -> StoreResult<()> {
    let mut chars = schema.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_ok && rest_ok && schema.len() <= 63 {
        Ok(())
    } else {
        Err(StoreError::Unavailable("invalid schema name".into()))
    }
}

#[async_trait]
impl Store for PostgresStore {
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
        Backend::Postgres
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    async fn purge_deleted(&self) -> StoreResult<()> {
        for table in [
            "persons",
            "cases",
            "case_team",
            "person_search_tokens",
            "consents",
            "outreach",
            "break_glass",
            "case_entries",
            "tasks",
            "documents",
            "custom_values",
            "safety_plans",
            "crisis_contacts",
            "shelter_stays",
            "shelter_waitlist",
        ] {
            sqlx::query(&format!("VACUUM {table}")).execute(&self.pool).await.map_err(map_err)?;
        }
        Ok(())
    }

    async fn begin(&self) -> StoreResult<Box<dyn WriteTx>> {
        let tx = self.pool.begin().await.map_err(map_err)?;
        Ok(Box::new(tx::PostgresTx::new(tx)))
    }

    async fn organisations(&self) -> StoreResult<Vec<OrganisationRow>> {
        let rows = sqlx::query("SELECT id, name, created_at FROM organisations ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(organisation_from_row).collect()
    }

    async fn organisation(&self, id: OrgId) -> StoreResult<Option<OrganisationRow>> {
        let row = sqlx::query("SELECT id, name, created_at FROM organisations WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn organisation_by_name(&self, name: &str) -> StoreResult<Option<OrganisationRow>> {
        let row = sqlx::query("SELECT id, name, created_at FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query(select_users!("WHERE email = $1"))
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query(select_users!("WHERE id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn users_in_org(&self, org: OrgId) -> StoreResult<Vec<UserRow>> {
        let rows = sqlx::query(select_users!("WHERE org_id = $1 ORDER BY email"))
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
            sqlx::query("SELECT id_hash, user_id, stage, created_at, last_seen_at FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn api_token_by_hash(&self, token_hash: &[u8]) -> StoreResult<Option<ApiTokenRow>> {
        let row = sqlx::query(
            "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE token_hash = $1",
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
             FROM api_tokens WHERE id = $1",
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
             FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
        )
        .bind(user.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(api_token_from_row).collect()
    }

    async fn setup_token(&self, token_hash: &[u8]) -> StoreResult<Option<SetupTokenRow>> {
        let row =
            sqlx::query("SELECT token_hash, created_at, expires_at, used_at FROM setup_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        row.as_ref().map(setup_token_from_row).transpose()
    }

    async fn person(&self, id: PersonId) -> StoreResult<Option<PersonRow>> {
        let row = sqlx::query(select_persons!("WHERE id = $1"))
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
        let rows = sqlx::query(select_persons!("WHERE id = ANY($1)"))
            .bind(uuids(ids.iter().map(PersonId::as_uuid)))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(person_from_row).collect()
    }

    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRow>> {
        let row = sqlx::query(select_cases!("WHERE c.id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn case_by_number(&self, org: OrgId, number: &str) -> StoreResult<Option<CaseRow>> {
        let row = sqlx::query(select_cases!("WHERE c.org_id = $1 AND c.number = $2"))
            .bind(org.as_uuid())
            .bind(number)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn cases_of_person(&self, person: PersonId) -> StoreResult<Vec<CaseRow>> {
        let rows = sqlx::query(select_cases!("WHERE c.person_id = $1 ORDER BY c.opened_on, c.number"))
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
        let rows = sqlx::query(select_cases!("WHERE c.person_id = ANY($1) ORDER BY c.opened_on, c.number, c.id"))
            .bind(uuids(persons.iter().map(PersonId::as_uuid)))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(case_from_row).collect()
    }

    async fn list_cases(&self, query: &CaseQuery) -> StoreResult<Vec<CaseRow>> {
        let Some(org) = query.org else { return Ok(Vec::new()) };
        // Only the filters asked for, so that each shape of the query finds its index.
        let mut sql = sqlx::QueryBuilder::<sqlx::Postgres>::new(select_cases!("WHERE c.org_id = "));
        sql.push_bind(*org.as_uuid());
        if let Some(member) = query.team_member {
            sql.push(" AND c.id IN (SELECT case_id FROM case_team WHERE user_id = ").push_bind(*member.as_uuid());
            sql.push(")");
        }
        if let Some(assignee) = query.assigned_to {
            sql.push(" AND c.assigned_to = ").push_bind(*assignee.as_uuid());
        }
        if let Some(status) = &query.status {
            sql.push(" AND c.status = ").push_bind(status.clone());
        }
        sql.push(" ORDER BY c.opened_on DESC, c.number DESC LIMIT ").push_bind(query.limit.max(0));
        sql.push(" OFFSET ").push_bind(query.offset.max(0));
        let rows = sql.build().fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(case_from_row).collect()
    }

    async fn count_cases(&self, org: OrgId) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM cases WHERE org_id = $1")
            .bind(org.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n)
    }

    async fn person_ids_in_org(&self, org: OrgId, after: Option<PersonId>, limit: i64) -> StoreResult<Vec<PersonId>> {
        let found: Vec<(Uuid,)> = sqlx::query_as(
            "SELECT id FROM persons WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3",
        )
        .bind(org.as_uuid())
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
            let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM (SELECT 1 FROM person_search_tokens WHERE org_id = $1 AND token = $2 LIMIT $3) AS s")
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
             WHERE d.org_id = $1 AND d.token = $2
               AND (SELECT count(*) FROM person_search_tokens t
                    WHERE t.person_id = d.person_id AND t.token = ANY($3)) = $4
             ORDER BY d.person_id LIMIT $5",
        )
        .bind(org.as_uuid())
        .bind(&tokens[driver])
        .bind(&others)
        .bind(others.len() as i64)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(found.into_iter().map(|(id,)| PersonId::from_uuid(id)).collect())
    }

    async fn break_glass_grant(&self, id: Uuid) -> StoreResult<Option<BreakGlassRow>> {
        let row = sqlx::query(
            "SELECT id, org_id, case_id, user_id, reason, granted_at, expires_at FROM break_glass WHERE id = $1",
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
             WHERE case_id = $1 AND expires_at > $2 ORDER BY granted_at, id",
        )
        .bind(case.as_uuid())
        .bind(micros(now))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(break_glass_from_row).collect()
    }

    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<ConsentRow>> {
        let rows = sqlx::query(select_consents!("WHERE person_id = $1 ORDER BY given_at DESC, id DESC"))
            .bind(person.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(consent_from_row).collect()
    }

    async fn consent(&self, id: ConsentId) -> StoreResult<Option<ConsentRow>> {
        let row = sqlx::query(select_consents!("WHERE id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        row.as_ref().map(consent_from_row).transpose()
    }

    async fn outreach_of_person(&self, person: PersonId, limit: i64) -> StoreResult<Vec<OutreachRow>> {
        let rows = sqlx::query(
            "SELECT id, org_id, person_id, channel, at, by_id FROM outreach
             WHERE person_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
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
             FROM erasure_requests WHERE org_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2",
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
             FROM erasure_requests WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(records::erasure_request_from_row).transpose()
    }

    async fn erasure(&self, person: PersonId) -> StoreResult<Option<ErasureRow>> {
        let row =
            sqlx::query("SELECT person_id, org_id, erased_at, erased_by, reason FROM erasures WHERE person_id = $1")
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
        after: Option<uuid::Uuid>,
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
        let rows = sqlx::query(select_audit_events!("WHERE seq > $1 ORDER BY seq LIMIT $2"))
            .bind(after)
            .bind(limit.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(audit_record_from_row).collect()
    }

    async fn audit_events_of_org(&self, org: OrgId, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(select_audit_events!("WHERE org_id = $1 ORDER BY seq DESC LIMIT $2"))
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
        let rows =
            sqlx::query(select_audit_events!("WHERE target_id = ANY($1) AND org_id = $2 ORDER BY seq DESC LIMIT $3"))
                .bind(targets)
                .bind(org.as_uuid())
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        rows.iter().map(audit_record_from_row).collect()
    }
}

// --- values

/// The time as stored: whole microseconds (anything finer is dropped, rounding down).
pub(crate) fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    column: &'static str,
) -> StoreResult<T> {
    row.try_get(column).map_err(map_err)
}

fn organisation_from_row(row: &PgRow) -> StoreResult<OrganisationRow> {
    Ok(OrganisationRow {
        id: OrgId::from_uuid(get(row, "id")?),
        name: get(row, "name")?,
        created_at: get(row, "created_at")?,
    })
}

pub(crate) fn user_from_row(row: &PgRow) -> StoreResult<UserRow> {
    let role: String = get(row, "role")?;
    let language: String = get(row, "language")?;
    Ok(UserRow {
        id: UserId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
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
        first_failed_at: get(row, "first_failed_at")?,
        locked_until: get(row, "locked_until")?,
        lock_count: get(row, "lock_count")?,
        version: get(row, "version")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

fn session_from_row(row: &PgRow) -> StoreResult<SessionRow> {
    let stage: String = get(row, "stage")?;
    Ok(SessionRow {
        id_hash: get(row, "id_hash")?,
        user: UserId::from_uuid(get(row, "user_id")?),
        stage: SessionStage::from_code(&stage).ok_or_else(|| bad_value("sessions.stage"))?,
        created_at: get(row, "created_at")?,
        last_seen_at: get(row, "last_seen_at")?,
    })
}

fn api_token_from_row(row: &PgRow) -> StoreResult<ApiTokenRow> {
    Ok(ApiTokenRow {
        id: ApiTokenId::from_uuid(get(row, "id")?),
        user: UserId::from_uuid(get(row, "user_id")?),
        name: get(row, "name")?,
        token_hash: get(row, "token_hash")?,
        created_at: get(row, "created_at")?,
        last_used_at: get(row, "last_used_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

fn setup_token_from_row(row: &PgRow) -> StoreResult<SetupTokenRow> {
    Ok(SetupTokenRow {
        token_hash: get(row, "token_hash")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        used_at: get(row, "used_at")?,
    })
}

fn audit_record_from_row(row: &PgRow) -> StoreResult<AuditRecord> {
    let outcome: String = get(row, "outcome")?;
    let org: Option<Uuid> = get(row, "org_id")?;
    let actor: Option<Uuid> = get(row, "actor_id")?;
    Ok(AuditRecord {
        seq: get(row, "seq")?,
        draft: AuditDraft {
            at: get(row, "at")?,
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

    fn url() -> Option<String> {
        let url = std::env::var("AMPARO_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty());
        if url.is_none() {
            eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        }
        url
    }

    fn schema_name(test: &str) -> String {
        format!("amparo_unit_{test}_{}", &Uuid::new_v4().simple().to_string()[..12])
    }

    #[test]
    fn schema_names_are_plain_identifiers() {
        for good in ["amparo_test_1", "_x", "a", &"a".repeat(63)] {
            assert!(check_schema_name(good).is_ok(), "{good}");
        }
        for bad in ["", "1abc", "Amparo", "a-b", "a b", "a;drop schema public", "\"x\"", "ñ", &"a".repeat(64)] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn application_names_fit_the_server_limit() {
        assert_eq!(schema_application_name("s1"), "amparo/s1");
        assert_eq!(schema_application_name(&"a".repeat(63)).len(), 63);
    }

    #[tokio::test]
    async fn a_bad_url_is_unavailable_and_not_echoed() {
        let err = PostgresStore::connect("postgres://amparo:s3cret-pass@127.0.0.1:1/none?sslmode=bogus")
            .await
            .expect_err("bad url");
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(!err.to_string().contains("s3cret-pass"), "{err}");
        let err =
            PostgresStore::connect("postgres://amparo:s3cret-pass@127.0.0.1:1/none").await.expect_err("no server");
        assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
        assert!(!err.to_string().contains("s3cret-pass"), "{err}");
    }

    #[tokio::test]
    async fn tables_live_in_the_pinned_schema_with_a_lock_timeout() {
        let Some(url) = url() else { return };
        let schema = schema_name("pinned");
        let store = PostgresStore::connect_in_schema(&url, &schema).await.expect("connect");
        let (found,): (String,) = sqlx::query_as(
            "SELECT table_schema::text FROM information_schema.tables WHERE table_name = 'audit_events' AND table_schema = $1",
        )
        .bind(&schema)
        .fetch_one(&store.pool)
        .await
        .expect("audit_events in the schema");
        assert_eq!(found, schema);
        for _ in 0..3 {
            let (path,): (String,) = sqlx::query_as("SHOW search_path").fetch_one(&store.pool).await.expect("show");
            assert_eq!(path, schema);
            let (timeout,): (String,) = sqlx::query_as("SHOW lock_timeout").fetch_one(&store.pool).await.expect("show");
            assert_eq!(timeout, "10s");
        }
        // A second connect finds the schema migrated and applies nothing twice.
        let again = PostgresStore::connect_in_schema(&url, &schema).await.expect("reconnect");
        let (heads,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM audit_head").fetch_one(&again.pool).await.expect("count");
        assert_eq!(heads, 1);
        PostgresStore::drop_schema(&url, &schema).await.expect("drop while the stores are open");
        let (left,): (i64,) = sqlx::query_as("SELECT count(*) FROM pg_namespace WHERE nspname = $1")
            .bind(&schema)
            .fetch_one(&PgPool::connect_with(base_options(&url).expect("options")).await.expect("pool"))
            .await
            .expect("count");
        assert_eq!(left, 0);
    }
}
