//! Storage ports. Only the backend crates hold SQL; this crate says what they must do.
//!
//! Row types carry codes, ids, dates and ciphertext: never a key, never a survivor's
//! plaintext. Writes happen inside a [`WriteTx`], which on SQLite takes the write lock at
//! `BEGIN` (so a read-then-write such as appending to the audit chain cannot race another
//! process) and on PostgreSQL locks the audit head row when the chain is extended.

mod audit;
mod error;
mod rows;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use audit::{AuditDraft, AuditHead, AuditLinker, AuditOutcome, AuditRecord, GENESIS_HASH};
pub use error::StoreError;
pub use rows::*;

use amparo_domain::{ApiTokenId, OrgId, UserId};

pub type StoreResult<T> = Result<T, StoreError>;

/// Which backend answers: shown on the admin page and in `amparo --version` output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Reads outside a transaction, and the door to writes.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    fn backend(&self) -> Backend;

    /// Checks the database answers (for `/healthz` and start-up).
    async fn ping(&self) -> StoreResult<()>;

    /// Opens a write transaction. Dropping it without [`WriteTx::commit`] rolls back.
    async fn begin(&self) -> StoreResult<Box<dyn WriteTx>>;

    // --- organisations
    async fn organisations(&self) -> StoreResult<Vec<OrganisationRow>>;
    async fn organisation(&self, id: OrgId) -> StoreResult<Option<OrganisationRow>>;
    async fn organisation_by_name(&self, name: &str) -> StoreResult<Option<OrganisationRow>>;

    // --- users
    /// Emails are unique over the whole installation (a user belongs to one organisation).
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>>;
    async fn user(&self, id: UserId) -> StoreResult<Option<UserRow>>;
    /// The organisation's users, ordered by email.
    async fn users_in_org(&self, org: OrgId) -> StoreResult<Vec<UserRow>>;
    async fn count_users(&self) -> StoreResult<i64>;

    // --- sessions
    async fn session(&self, id_hash: &[u8]) -> StoreResult<Option<SessionRow>>;

    // --- API tokens
    async fn api_token_by_hash(&self, token_hash: &[u8]) -> StoreResult<Option<ApiTokenRow>>;
    async fn api_tokens_of_user(&self, user: UserId) -> StoreResult<Vec<ApiTokenRow>>;
    async fn api_token(&self, id: ApiTokenId) -> StoreResult<Option<ApiTokenRow>>;

    // --- setup tokens (the one-time link that creates the first administrator)
    async fn setup_token(&self, token_hash: &[u8]) -> StoreResult<Option<SetupTokenRow>>;

    // --- audit
    async fn audit_head(&self) -> StoreResult<Option<AuditHead>>;
    /// Entries with `seq > after`, in `seq` order, at most `limit`. Used by the verifier,
    /// which must see the table exactly as it is (no filtering, no repair).
    async fn audit_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// The most recent entries of one organisation, newest first (audit page).
    async fn audit_events_of_org(&self, org: OrgId, limit: i64) -> StoreResult<Vec<AuditRecord>>;
}

/// One write transaction. Every method runs inside it; nothing is visible to others before
/// [`WriteTx::commit`] returns, and once it has returned the write survives a crash.
#[async_trait]
pub trait WriteTx: Send {
    // --- organisations
    async fn insert_organisation(&mut self, row: &OrganisationRow) -> StoreResult<()>;

    // --- users
    /// Fails with [`StoreError::Duplicate`] when the email is taken.
    async fn insert_user(&mut self, row: &UserRow) -> StoreResult<()>;
    /// Reads the user inside the transaction (to re-check before a change).
    async fn user_for_update(&mut self, id: UserId) -> StoreResult<Option<UserRow>>;
    /// Saves `row` if the stored version is still `row.version`; bumps the version and
    /// `updated_at`. A stale version gives [`StoreError::Conflict`].
    async fn update_user(&mut self, row: &UserRow) -> StoreResult<UserRow>;

    // --- sessions
    async fn insert_session(&mut self, row: &SessionRow) -> StoreResult<()>;
    /// Replaces the stage and last-seen time of a session.
    async fn update_session(&mut self, row: &SessionRow) -> StoreResult<()>;
    async fn delete_session(&mut self, id_hash: &[u8]) -> StoreResult<()>;
    /// Ends every session of a user (logout everywhere, disable, password or MFA change).
    /// Returns how many ended.
    async fn delete_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64>;
    /// Removes sessions that can no longer be used (housekeeping).
    async fn delete_sessions_before(
        &mut self,
        last_seen_before: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> StoreResult<u64>;

    // --- API tokens
    async fn insert_api_token(&mut self, row: &ApiTokenRow) -> StoreResult<()>;
    /// Marks a token revoked; false when it did not exist or was already revoked.
    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()>;

    // --- setup tokens
    async fn insert_setup_token(&mut self, row: &SetupTokenRow) -> StoreResult<()>;
    /// Marks the token used, only if it was unused: false when someone used it first.
    async fn use_setup_token(&mut self, token_hash: &[u8], at: DateTime<Utc>) -> StoreResult<bool>;

    // --- audit
    /// Appends entries to the one chain: reads the head inside this transaction, links each
    /// entry with `linker` (which holds the key; the store never sees it), inserts, and moves
    /// the head. Returns the new head.
    async fn append_audit(&mut self, drafts: &[AuditDraft], linker: &dyn AuditLinker) -> StoreResult<AuditHead>;

    async fn commit(self: Box<Self>) -> StoreResult<()>;
}
