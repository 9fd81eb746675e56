//! Storage ports. Only the backend crates hold SQL; this crate says what they must do.
//!
//! Row types carry codes, ids, dates and ciphertext: never a key, never a survivor's
//! plaintext. Writes happen inside a [`WriteTx`], which on SQLite takes the write lock at
//! `BEGIN` (so a read-then-write such as appending to the audit chain cannot race another
//! process) and on PostgreSQL locks the audit head row when the chain is extended.

mod audit;
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
mod rows;
mod safety;
mod screenings;
mod shelters;
mod signals;
mod staff;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

pub use audit::{AuditDraft, AuditHead, AuditLinker, AuditOutcome, AuditRecord, GENESIS_HASH};
pub use casework::*;
pub use documents::DocumentRow;
pub use dump::{
    ChecksumSink, DUMP_BATCH_ROWS, DumpSink, DumpTable, DumpValue, LoadSink, LoadTx, TableDigest, TableSummary,
    decode_rows, dependency_order, encode_row,
};
pub use error::StoreError;
pub use events::{OutreachEventQuery, OutreachEventRow};
pub use forms::{CustomValuesRow, FormConfigRow, OrganisationSettingsRow};
pub use keys::{KekState, KekVersionRow, WrappedKeyRow, WrappedKeyTable};
pub use placements::{NeedRow, PlacementQuery, PlacementRow, SiteRow, WeeklyAvailabilityRow};
pub use records::*;
pub use referrals::{IdentityRow, PartnerRow, ReferralRow};
pub use releases::ReleaseLedgerRow;
pub use retention::{RetentionCandidate, RetentionDue, RetentionPurgeRow, RetentionRuleRow, RetentionRunRow};
pub use rows::*;
pub use safety::{CrisisContactRow, SafetyPlanRow};
pub use screenings::ScreeningRow;
pub use shelters::{BedRow, HouseLogRow, HouseRow, HouseRuleRow, StayPlaced, StayRow, WaitlistRow};
pub use signals::{SignalQuery, SignalRow};
pub use staff::{AccessPolicyRow, CheckInRow, StaffProfileRow, TrainingRow, WellbeingKeyRow};

use amparo_domain::records::DocumentId;
use amparo_domain::{ApiTokenId, CaseId, ConsentId, EntryId, OrgId, PersonId, TaskId, UserId};
use uuid::Uuid;

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

    /// Makes deleted rows unrecoverable from the database files as far as the backend can:
    /// after an erasure, the old pages that still hold the person's wrapped key must not
    /// linger (SQLite: a WAL checkpoint that truncates the log, with `secure_delete` on;
    /// PostgreSQL: `VACUUM` of the survivor-record tables).
    async fn purge_deleted(&self) -> StoreResult<()>;

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

    // --- survivor records
    async fn person(&self, id: PersonId) -> StoreResult<Option<PersonRow>>;
    /// Persons by id, in no particular order; ids not found are left out.
    async fn persons(&self, ids: &[PersonId]) -> StoreResult<Vec<PersonRow>>;
    async fn case(&self, id: CaseId) -> StoreResult<Option<CaseRow>>;
    async fn case_by_number(&self, org: OrgId, number: &str) -> StoreResult<Option<CaseRow>>;
    /// A person's cases, oldest first (by `opened_on`, then number).
    async fn cases_of_person(&self, person: PersonId) -> StoreResult<Vec<CaseRow>>;
    /// The cases of several persons at once (for lists), oldest first. An empty slice finds none.
    async fn cases_of_persons(&self, persons: &[PersonId]) -> StoreResult<Vec<CaseRow>>;
    /// See [`CaseQuery`]. Finds nothing when `query.org` is None.
    async fn list_cases(&self, query: &CaseQuery) -> StoreResult<Vec<CaseRow>>;
    async fn count_cases(&self, org: OrgId) -> StoreResult<i64>;
    /// The ids of `org`'s persons after `after` (all when None), in id order, at most
    /// `limit`: a whole-organisation export reads them a page at a time.
    async fn person_ids_in_org(&self, org: OrgId, after: Option<PersonId>, limit: i64) -> StoreResult<Vec<PersonId>>;
    /// Persons of `org` that carry every one of `tokens` (blind-index search), at most `limit`.
    /// Duplicate tokens count once; no tokens find nobody.
    async fn persons_with_tokens(&self, org: OrgId, tokens: &[String], limit: i64) -> StoreResult<Vec<PersonId>>;
    /// Break-glass grants on a case that are still valid at `now` (`expires_at > now`), oldest first.
    /// One break-glass grant, expired or not (for the supervisors' review).
    async fn break_glass_grant(&self, id: Uuid) -> StoreResult<Option<BreakGlassRow>>;
    async fn active_break_glass(&self, case: CaseId, now: DateTime<Utc>) -> StoreResult<Vec<BreakGlassRow>>;
    /// A person's consents, newest first.
    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<ConsentRow>>;
    async fn consent(&self, id: ConsentId) -> StoreResult<Option<ConsentRow>>;
    /// A person's outreach log, newest first, at most `limit`.
    async fn outreach_of_person(&self, person: PersonId, limit: i64) -> StoreResult<Vec<OutreachRow>>;
    /// An organisation's erasure requests, newest first.
    async fn erasure_requests(&self, org: OrgId, limit: i64) -> StoreResult<Vec<ErasureRequestRow>>;
    async fn erasure_request(&self, id: Uuid) -> StoreResult<Option<ErasureRequestRow>>;
    async fn erasure(&self, person: PersonId) -> StoreResult<Option<ErasureRow>>;
    /// The whole erasure ledger, oldest first.
    async fn erasures(&self) -> StoreResult<Vec<ErasureRow>>;

    // --- case work
    async fn case_entry(&self, id: EntryId) -> StoreResult<Option<CaseEntryRow>>;
    /// A case's entries in date order (`on_date`, then creation, then id): its timeline.
    /// `kinds` empty: every kind.
    async fn case_entries(&self, case: CaseId, kinds: &[String]) -> StoreResult<Vec<CaseEntryRow>>;
    /// Entries of one kind across cases, by date (see [`EntryQuery`]).
    async fn entries_between(&self, query: &EntryQuery) -> StoreResult<Vec<EntryListRow>>;
    /// A case's last recorded contact with the person (maintained by [`WriteTx::record_contact`]).
    async fn last_contact(&self, case: CaseId) -> StoreResult<Option<NaiveDate>>;
    async fn task(&self, id: TaskId) -> StoreResult<Option<TaskRow>>;
    /// The open tasks of a source (an entry, consent or person), by kind.
    async fn tasks_of_source(&self, source: Uuid) -> StoreResult<Vec<TaskRow>>;
    /// Open tasks due before a day, soonest first (see [`TaskQuery`]).
    async fn tasks_due(&self, query: &TaskQuery) -> StoreResult<Vec<TaskListRow>>;
    /// The caseload dashboard's counts, each one query over indexes.
    async fn dashboard(&self, query: &DashboardQuery) -> StoreResult<DashboardCounts>;
    // --- documents (rows without their content: listing never reads a file)
    /// A person's documents, their cases' included, newest first.
    async fn documents_of_person(&self, person: PersonId) -> StoreResult<Vec<DocumentRow>>;
    /// The documents attached to one case, newest first.
    async fn documents_of_case(&self, case: CaseId) -> StoreResult<Vec<DocumentRow>>;
    async fn document(&self, id: DocumentId) -> StoreResult<Option<DocumentRow>>;
    /// The sealed file of one document: the only read of the content column.
    async fn document_content(&self, id: DocumentId) -> StoreResult<Option<Vec<u8>>>;

    // --- configurable forms
    /// The newest version of a form's configuration (the one in force); None before the
    /// first change.
    async fn form_config(&self, org: OrgId, form: &str) -> StoreResult<Option<FormConfigRow>>;
    /// A form's configurations, newest first, at most `limit`.
    async fn form_config_history(&self, org: OrgId, form: &str, limit: i64) -> StoreResult<Vec<FormConfigRow>>;
    async fn organisation_settings(&self, org: OrgId) -> StoreResult<Option<OrganisationSettingsRow>>;
    /// The sealed custom-field values of one record.
    async fn custom_values(&self, form: &str, record: Uuid) -> StoreResult<Option<CustomValuesRow>>;
    /// The custom values of one form's records of a case (its assessments or services).
    async fn case_custom_values(&self, form: &str, person: PersonId, case: CaseId)
    -> StoreResult<Vec<CustomValuesRow>>;

    // --- screenings
    /// A person's screenings, oldest first (by `taken_at`, then id): a trend reads in order.
    async fn screenings_of_person(&self, person: PersonId) -> StoreResult<Vec<ScreeningRow>>;
    async fn screening(&self, id: amparo_domain::records::ScreeningId) -> StoreResult<Option<ScreeningRow>>;
    // --- safety plans and the crisis log
    /// The newest version of a person's safety plan; None before the first.
    async fn safety_plan_latest(&self, person: PersonId) -> StoreResult<Option<SafetyPlanRow>>;
    /// One version of a person's safety plan.
    async fn safety_plan_version(&self, person: PersonId, version: i64) -> StoreResult<Option<SafetyPlanRow>>;
    /// A person's safety plan versions, newest first, at most `limit`.
    async fn safety_plan_versions(&self, person: PersonId, limit: i64) -> StoreResult<Vec<SafetyPlanRow>>;
    /// A person's crisis contacts, the most recent first (by when they happened), at most `limit`.
    async fn crisis_contacts_of_person(&self, person: PersonId, limit: i64) -> StoreResult<Vec<CrisisContactRow>>;
    // --- hotline signals
    async fn signal(&self, id: amparo_domain::signals::SignalId) -> StoreResult<Option<SignalRow>>;
    /// See [`SignalQuery`]: most urgent first, then the longest waiting, at most `limit`.
    async fn signals(&self, query: &SignalQuery) -> StoreResult<Vec<SignalRow>>;
    // --- partner network
    async fn installation_identity(&self) -> StoreResult<Option<IdentityRow>>;
    /// An organisation's partner directory, by name.
    async fn partners(&self, org: OrgId) -> StoreResult<Vec<PartnerRow>>;
    async fn partner(&self, id: amparo_domain::referrals::PartnerId) -> StoreResult<Option<PartnerRow>>;
    /// Directory entries of any organisation that carry this identity line (to file a packet).
    async fn partners_with_public_key(&self, public_key: &str) -> StoreResult<Vec<PartnerRow>>;
    async fn referral(&self, id: amparo_domain::referrals::ReferralId) -> StoreResult<Option<ReferralRow>>;
    /// An organisation's referrals one way (`ReferralDirection` code), newest first, at most `limit`.
    async fn referrals(&self, org: OrgId, direction: &str, limit: i64) -> StoreResult<Vec<ReferralRow>>;
    /// A person's referrals, both ways, oldest first.
    async fn referrals_of_person(&self, person: PersonId) -> StoreResult<Vec<ReferralRow>>;
    /// A case's status changes, oldest first.
    async fn case_status_history(&self, case: CaseId) -> StoreResult<Vec<CaseStatusRow>>;
    // --- outreach and training events
    async fn outreach_event(&self, id: amparo_domain::events::OutreachEventId)
    -> StoreResult<Option<OutreachEventRow>>;
    /// See [`OutreachEventQuery`]: by date, then id.
    async fn outreach_events(&self, query: &OutreachEventQuery) -> StoreResult<Vec<OutreachEventRow>>;
    // --- retention
    /// The organisation's configured rules, by rule code.
    async fn retention_rules(&self, org: OrgId) -> StoreResult<Vec<RetentionRuleRow>>;
    /// The organisations with at least one rule configured.
    async fn retention_orgs(&self) -> StoreResult<Vec<OrgId>>;
    /// What `due.rule` would purge now, by record id, at most `due.limit`. Only what still
    /// holds the field (a purged field is not due again); a case counts as closed while its
    /// status is closed, so a reopened case holds its person back.
    async fn retention_candidates(&self, due: &RetentionDue) -> StoreResult<Vec<RetentionCandidate>>;
    /// The purge markers of a person, oldest first.
    async fn retention_purges_of_person(&self, person: PersonId) -> StoreResult<Vec<RetentionPurgeRow>>;
    /// The organisation's runs, newest first.
    async fn retention_runs(&self, org: OrgId, limit: i64) -> StoreResult<Vec<RetentionRunRow>>;

    // --- key rotation
    /// Every organisation's KEK versions, by organisation then version.
    async fn kek_versions(&self) -> StoreResult<Vec<KekVersionRow>>;
    /// `org`'s wrapped data keys in `table` with an id after `after` (all when None), in id
    /// order, at most `limit`: a rotation reads them a batch at a time.
    async fn wrapped_keys(
        &self,
        table: WrappedKeyTable,
        org: OrgId,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<WrappedKeyRow>>;
    /// How many of `org`'s rows in `table` hold a wrapped key that does not start with
    /// `header` (rows still to re-wrap).
    async fn count_wrapped_keys_not_starting(
        &self,
        table: WrappedKeyTable,
        org: OrgId,
        header: &[u8],
    ) -> StoreResult<i64>;
    // --- differentially private releases: the budget ledger
    /// An organisation's releases made in `[from, to)`, oldest first.
    async fn releases(&self, org: OrgId, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<ReleaseLedgerRow>>;
    async fn release(&self, id: Uuid) -> StoreResult<Option<ReleaseLedgerRow>>;

    // --- people of the organisation
    async fn staff_profile(&self, user: UserId) -> StoreResult<Option<StaffProfileRow>>;
    /// The profiles of an organisation's users (those who have one).
    async fn staff_profiles(&self, org: OrgId) -> StoreResult<Vec<StaffProfileRow>>;
    /// A person's trainings, most recently completed first.
    async fn trainings_of(&self, user: UserId) -> StoreResult<Vec<TrainingRow>>;
    async fn access_policy(&self, org: OrgId) -> StoreResult<Option<AccessPolicyRow>>;
    // --- private check-ins
    async fn wellbeing_key(&self, user: UserId) -> StoreResult<Option<WellbeingKeyRow>>;
    /// A person's own check-ins, newest first, at most `limit`.
    async fn checkins_of(&self, user: UserId, limit: i64) -> StoreResult<Vec<CheckInRow>>;
    /// How many distinct people checked in with `instrument` in `period` in `org`.
    async fn checkin_respondents(&self, org: OrgId, instrument: &str, period: &str) -> StoreResult<i64>;
    /// The check-ins of a period (for an aggregate), by user then time.
    async fn checkins_in_period(&self, org: OrgId, instrument: &str, period: &str) -> StoreResult<Vec<CheckInRow>>;
    /// The periods that have check-ins, newest first, at most `limit`.
    async fn checkin_periods(&self, org: OrgId, instrument: &str, limit: i64) -> StoreResult<Vec<String>>;
    // --- shelter beds
    /// An organisation's houses, by name.
    async fn houses(&self, org: OrgId) -> StoreResult<Vec<HouseRow>>;
    async fn house(&self, id: amparo_domain::shelters::HouseId) -> StoreResult<Option<HouseRow>>;
    /// The beds of an organisation's houses, by house, room and label.
    async fn beds(&self, org: OrgId) -> StoreResult<Vec<BedRow>>;
    async fn bed(&self, id: amparo_domain::shelters::BedId) -> StoreResult<Option<BedRow>>;
    /// The open stays (not checked out) of an organisation's houses, oldest first.
    async fn open_stays(&self, org: OrgId) -> StoreResult<Vec<StayRow>>;
    async fn stay(&self, id: amparo_domain::shelters::StayId) -> StoreResult<Option<StayRow>>;
    /// A person's stays, the most recent first.
    async fn stays_of_person(&self, person: PersonId) -> StoreResult<Vec<StayRow>>;
    /// A house's waiting list (entries still `waiting`): urgent first, then oldest request.
    async fn waitlist(&self, house: amparo_domain::shelters::HouseId) -> StoreResult<Vec<WaitlistRow>>;
    async fn waitlist_entry(&self, id: amparo_domain::shelters::WaitlistId) -> StoreResult<Option<WaitlistRow>>;
    /// Every version of a house's rules, by language then version.
    async fn house_rules(&self, house: amparo_domain::shelters::HouseId) -> StoreResult<Vec<HouseRuleRow>>;
    /// A house's log, the newest day first, at most `limit`.
    async fn house_log(&self, house: amparo_domain::shelters::HouseId, limit: i64) -> StoreResult<Vec<HouseLogRow>>;
    // --- placements
    /// An organisation's sites and teams, by name.
    async fn placement_sites(&self, org: OrgId) -> StoreResult<Vec<SiteRow>>;
    async fn placement_site(&self, id: amparo_domain::placements::SiteId) -> StoreResult<Option<SiteRow>>;
    /// An organisation's needs (of every site), by start date then id.
    async fn placement_needs(&self, org: OrgId) -> StoreResult<Vec<NeedRow>>;
    async fn placement_need(&self, id: amparo_domain::placements::NeedId) -> StoreResult<Option<NeedRow>>;
    /// See [`PlacementQuery`]: by start date, then id.
    async fn placements(&self, query: &PlacementQuery) -> StoreResult<Vec<PlacementRow>>;
    async fn placement(&self, id: amparo_domain::placements::PlacementId) -> StoreResult<Option<PlacementRow>>;
    /// The weekly availability of an organisation's people (those who said it).
    async fn weekly_availabilities(&self, org: OrgId) -> StoreResult<Vec<WeeklyAvailabilityRow>>;
    async fn weekly_availability(&self, user: UserId) -> StoreResult<Option<WeeklyAvailabilityRow>>;

    // --- audit
    async fn audit_head(&self) -> StoreResult<Option<AuditHead>>;
    /// Entries with `seq > after`, in `seq` order, at most `limit`. Used by the verifier,
    /// which must see the table exactly as it is (no filtering, no repair).
    async fn audit_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// The most recent entries of one organisation, newest first (audit page).
    async fn audit_events_of_org(&self, org: OrgId, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// Entries of `org` whose target is one of `targets`, newest first ("who saw this file").
    async fn audit_events_for_targets(&self, org: OrgId, targets: &[Uuid], limit: i64)
    -> StoreResult<Vec<AuditRecord>>;

    // --- dump and load (backups, migrate-store; see `dump.rs` for the row encoding)
    /// The schema migrations applied, in order (their version numbers).
    async fn migrations(&self) -> StoreResult<Vec<i64>>;
    /// Every table but the migration bookkeeping, parents first, each in primary-key order,
    /// from one consistent snapshot taken while others may go on writing (SQLite: one read
    /// transaction; PostgreSQL: one REPEATABLE READ READ ONLY transaction).
    async fn dump(&self, sink: &mut dyn DumpSink) -> StoreResult<()>;
    /// Opens a load: one write transaction that first empties every table (the rows that
    /// migrations seed included), so that what is loaded is exactly what the database holds.
    async fn begin_load(&self) -> StoreResult<Box<dyn LoadTx>>;
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

    // --- survivor records
    async fn insert_person(&mut self, row: &PersonRow) -> StoreResult<()>;
    /// Saves `row` if the stored version is still `row.version`; returns it with the version
    /// bumped and `updated_at` set to now. Stale version: [`StoreError::Conflict`]; no such
    /// person: [`StoreError::NotFound`]. `org`, `created_by` and `created_at` never change.
    async fn update_person(&mut self, row: &PersonRow) -> StoreResult<PersonRow>;
    /// Replaces the person's blind-index tokens (duplicates are stored once). The person must
    /// belong to `org` (else [`StoreError::NotFound`]).
    async fn set_search_tokens(&mut self, org: OrgId, person: PersonId, tokens: &[String]) -> StoreResult<()>;
    /// The next case number sequence for `org` in `year` (1, 2, …), taken inside this transaction.
    async fn next_case_seq(&mut self, org: OrgId, year: i32) -> StoreResult<i64>;
    /// Inserts the case and its team (a member listed twice is stored once). A duplicate
    /// number gives [`StoreError::Duplicate`]. The person, team members and assignee must
    /// exist in the case's organisation (else [`StoreError::NotFound`]).
    async fn insert_case(&mut self, row: &CaseRow) -> StoreResult<()>;
    async fn case_for_update(&mut self, id: CaseId) -> StoreResult<Option<CaseRow>>;
    /// Saves the case and replaces its team if the version still matches (else Conflict);
    /// bumps the version and `updated_at`. `org`, `person`, `number`, `created_by` and
    /// `created_at` never change.
    async fn update_case(&mut self, row: &CaseRow) -> StoreResult<CaseRow>;
    /// Records a change of a case's status (its `seq` is the next of the case's).
    async fn insert_case_status(&mut self, row: &CaseStatusRow) -> StoreResult<()>;
    async fn insert_break_glass(&mut self, row: &BreakGlassRow) -> StoreResult<()>;
    async fn insert_consent(&mut self, row: &ConsentRow) -> StoreResult<()>;
    /// Marks a consent revoked; false when it was already revoked or does not exist.
    async fn revoke_consent(&mut self, id: ConsentId, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn insert_outreach(&mut self, row: &OutreachRow) -> StoreResult<()>;
    /// Deletes the person with everything that hangs off them (key, cases, teams, grants,
    /// consents, outreach, search tokens) and records the erasure. False (and nothing
    /// recorded) when there is no such person in `erasure.org`, e.g. already erased.
    async fn erase_person(&mut self, erasure: &ErasureRow) -> StoreResult<bool>;
    async fn insert_erasure_request(&mut self, row: &ErasureRequestRow) -> StoreResult<()>;
    /// Records the decision on a pending request; false when it was already decided.
    async fn decide_erasure_request(
        &mut self,
        id: Uuid,
        by: UserId,
        approved: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records an erasure without a person to delete (re-applying the ledger after a restore).
    /// Recording a person already in the ledger is not an error (the first entry stays).
    async fn insert_erasure(&mut self, erasure: &ErasureRow) -> StoreResult<()>;

    // --- case work
    /// The entry's case must exist in `row.org` with person `row.person` (else NotFound).
    async fn insert_case_entry(&mut self, row: &CaseEntryRow) -> StoreResult<()>;
    /// Many new entries at once (seeding, imports), each checked as by [`WriteTx::insert_case_entry`]:
    /// if any names a case that is not there with its person and organisation, nothing is
    /// inserted and the answer is [`StoreError::NotFound`].
    async fn insert_case_entries(&mut self, rows: &[CaseEntryRow]) -> StoreResult<()>;
    /// Saves `row` if the stored version is still `row.version`; bumps the version and
    /// `updated_at`. Stale: [`StoreError::Conflict`]; missing: [`StoreError::NotFound`].
    /// `org`, `case`, `person`, `kind`, `created_by` and `created_at` never change.
    async fn update_case_entry(&mut self, row: &CaseEntryRow) -> StoreResult<CaseEntryRow>;
    /// Makes the derived tasks of `source` exactly `tasks` (each with `source` set, one per
    /// kind): new ones are inserted; existing ones (same source and kind) take the new due day,
    /// case and assignee, and stay done if their due day did not change; open tasks of other
    /// kinds from that source are deleted (done ones are kept as history).
    async fn replace_derived_tasks(&mut self, source: Uuid, tasks: &[TaskRow]) -> StoreResult<()>;
    async fn insert_task(&mut self, row: &TaskRow) -> StoreResult<()>;
    /// Many new tasks at once (the derived tasks of new sources when seeding). A task of a
    /// source and kind already there gives [`StoreError::Duplicate`].
    async fn insert_tasks(&mut self, rows: &[TaskRow]) -> StoreResult<()>;
    /// Marks a task done if its version is still `version` (else Conflict; missing: NotFound).
    async fn complete_task(
        &mut self,
        id: TaskId,
        version: i64,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> StoreResult<TaskRow>;
    /// Puts the person's open tasks that belong to no case (consent, safe contact) on `case`:
    /// the first case opened after intake takes them, so its team sees them.
    async fn attach_person_tasks(&mut self, person: PersonId, case: CaseId) -> StoreResult<()>;
    /// Records contact with the person on a day: on `case`, or on every case of the person
    /// when None. The last contact only moves forward.
    async fn record_contact(&mut self, person: PersonId, case: Option<CaseId>, on: NaiveDate) -> StoreResult<()>;
    // --- documents
    /// Stores a document with its sealed file. The person must exist in `row.org`, and the
    /// case, if any, must be that person's (else [`StoreError::NotFound`]). Erasing the
    /// person (or deleting the case) deletes the document.
    async fn insert_document(&mut self, row: &DocumentRow, content: &[u8]) -> StoreResult<()>;
    /// Deletes a document of `org`; false when there is no such document there.
    async fn delete_document(&mut self, org: OrgId, id: DocumentId) -> StoreResult<bool>;

    // --- configurable forms
    /// Saves the next version of a form's configuration: `row.version` must be one more than
    /// the newest stored (1 for the first), else [`StoreError::Conflict`] (someone saved
    /// first). Older versions are never changed.
    async fn insert_form_config(&mut self, row: &FormConfigRow) -> StoreResult<()>;
    /// Saves the settings if the stored version is still `row.version - 1` (0: none stored
    /// yet), else [`StoreError::Conflict`].
    async fn save_organisation_settings(&mut self, row: &OrganisationSettingsRow) -> StoreResult<()>;
    /// Inserts or replaces a record's custom-field values. The person must exist in
    /// `row.org`, and the case, if any, must be that person's (else [`StoreError::NotFound`]).
    async fn put_custom_values(&mut self, row: &CustomValuesRow) -> StoreResult<()>;

    // --- screenings
    /// Stores a screening. The person must exist in `row.org`, and the case, if any, must be
    /// that person's (else [`StoreError::NotFound`]). Erasing the person (or deleting the
    /// case) deletes it.
    async fn insert_screening(&mut self, row: &ScreeningRow) -> StoreResult<()>;
    // --- safety plans and the crisis log
    /// Saves the next version of a person's safety plan: `row.version` must be one more than
    /// the newest stored (1 for the first), else [`StoreError::Conflict`] (someone saved
    /// first). The person must exist in `row.org` (else [`StoreError::NotFound`]). Versions go
    /// with the person on erasure.
    async fn insert_safety_plan(&mut self, row: &SafetyPlanRow) -> StoreResult<()>;
    /// Logs a crisis contact. The person must exist in `row.org` (else
    /// [`StoreError::NotFound`]); it goes with the person on erasure.
    async fn insert_crisis_contact(&mut self, row: &CrisisContactRow) -> StoreResult<()>;
    // --- hotline signals
    /// A case named by the signal must exist in the signal's organisation (else NotFound).
    async fn insert_signal(&mut self, row: &SignalRow) -> StoreResult<()>;
    /// Saves the triage (urgency, status, outcome, language, region, concerns, case, notes,
    /// triaged by/at) if the stored version is still `row.version`; bumps the version and
    /// `updated_at`. Stale: [`StoreError::Conflict`]; missing: [`StoreError::NotFound`]; a
    /// case of another organisation: NotFound. What was reported, the offered contact, the
    /// key, the channel and the receipt never change.
    async fn update_signal(&mut self, row: &SignalRow) -> StoreResult<SignalRow>;
    // --- partner network
    /// Stores the identity unless one is there already: false when another process was first
    /// (the caller then reads the stored one).
    async fn insert_installation_identity(&mut self, row: &IdentityRow) -> StoreResult<bool>;
    /// The target organisation, if any, must exist.
    async fn insert_partner(&mut self, row: &PartnerRow) -> StoreResult<()>;
    /// An incoming referral from a packet already filed (same organisation and sender's
    /// referral id) gives [`StoreError::Duplicate`]. The person and case, if any, must be of
    /// `row.org`.
    async fn insert_referral(&mut self, row: &ReferralRow) -> StoreResult<()>;
    /// Saves status, dates, counterpart, person, case, consent, fields, shared values and note if the stored version is still
    /// `row.version` (else Conflict; missing: NotFound); bumps the version.
    async fn update_referral(&mut self, row: &ReferralRow) -> StoreResult<ReferralRow>;
    // --- shelter beds
    async fn insert_house(&mut self, row: &HouseRow) -> StoreResult<()>;
    /// The house must exist in `row.org` (else NotFound); a label taken in the same room of
    /// the house gives [`StoreError::Duplicate`].
    async fn insert_bed(&mut self, row: &BedRow) -> StoreResult<()>;
    /// Checks a person in. The bed must be the house's, and the person (and case, if any)
    /// of `row.org` (else NotFound). A bed with an open stay, or a person with one, is
    /// answered from the database's unique indexes on open stays, so two check-ins racing
    /// for one bed never both succeed, on any backend or number of servers.
    async fn insert_stay(&mut self, row: &StayRow) -> StoreResult<StayPlaced>;
    /// Ends an open stay of `org`; false when there is none such (already out, or unknown).
    async fn check_out(
        &mut self,
        org: OrgId,
        id: amparo_domain::shelters::StayId,
        by: Option<UserId>,
        at: DateTime<Utc>,
        reason: &str,
    ) -> StoreResult<bool>;
    /// The house must exist in `row.org`, the person too (else NotFound).
    async fn insert_waitlist(&mut self, row: &WaitlistRow) -> StoreResult<()>;
    /// Closes a `waiting` entry of `org` with `status` (`placed`, `withdrawn`); false when
    /// it is not waiting (or unknown).
    async fn close_waitlist(
        &mut self,
        org: OrgId,
        id: amparo_domain::shelters::WaitlistId,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Marks a person's `waiting` entries for a house `placed` (a check-in); how many.
    async fn place_waiting(
        &mut self,
        house: amparo_domain::shelters::HouseId,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// Saves the next version of a house's rules in one language: `row.version` must be one
    /// more than the newest stored (1 for the first), else [`StoreError::Conflict`]. The
    /// house must exist in `row.org` (else NotFound).
    async fn insert_house_rule(&mut self, row: &HouseRuleRow) -> StoreResult<()>;
    /// The house must exist in `row.org` (else NotFound).
    async fn insert_house_log(&mut self, row: &HouseLogRow) -> StoreResult<()>;
    // --- placements
    /// A name taken in the organisation gives [`StoreError::Duplicate`]; the user must be
    /// of `row.org` (else NotFound).
    async fn insert_placement_site(&mut self, row: &SiteRow) -> StoreResult<()>;
    /// The site (and the user) must be of `row.org` (else NotFound).
    async fn insert_placement_need(&mut self, row: &NeedRow) -> StoreResult<()>;
    /// The site, need (of that site) and users must be of `row.org` (else NotFound). A
    /// placement not ended for the same person and site gives [`StoreError::Duplicate`],
    /// answered by a unique index, so two coordinators confirming at once never both win.
    async fn insert_placement(&mut self, row: &PlacementRow) -> StoreResult<()>;
    /// Saves status, end date and who confirmed or ended it, when, if the stored version is
    /// still `row.version`; bumps the version and `updated_at`. Stale: Conflict; missing or
    /// of another organisation: NotFound.
    async fn update_placement(&mut self, row: &PlacementRow) -> StoreResult<PlacementRow>;
    /// Saves if the stored version is still `row.version - 1` (0: none), else Conflict. The
    /// user must be of `row.org` (else NotFound).
    async fn save_weekly_availability(&mut self, row: &WeeklyAvailabilityRow) -> StoreResult<()>;

    // --- people of the organisation
    /// Saves a profile if the stored version is still `row.version - 1` (0: none stored yet),
    /// else [`StoreError::Conflict`]. The user must exist in `row.org` (else NotFound).
    async fn save_staff_profile(&mut self, row: &StaffProfileRow) -> StoreResult<()>;
    /// The user must exist in `row.org` (else NotFound).
    async fn insert_training(&mut self, row: &TrainingRow) -> StoreResult<()>;
    /// Deletes a training of `user` in `org`; false when there is none.
    async fn delete_training(&mut self, org: OrgId, user: UserId, id: Uuid) -> StoreResult<bool>;
    /// Saves the policy if the stored version is still `row.version - 1` (0: none), else Conflict.
    async fn save_access_policy(&mut self, row: &AccessPolicyRow) -> StoreResult<()>;
    // --- private check-ins
    /// Stores the person's key unless one is there: false when another request was first.
    async fn insert_wellbeing_key(&mut self, row: &WellbeingKeyRow) -> StoreResult<bool>;
    /// The user's key must be stored (else NotFound).
    async fn insert_checkin(&mut self, row: &CheckInRow) -> StoreResult<()>;
    // --- outreach and training events
    /// The users named must be of `row.org` (else [`StoreError::NotFound`]).
    async fn insert_outreach_event(&mut self, row: &OutreachEventRow) -> StoreResult<()>;
    /// Saves everything but the id, organisation, key and creation if the stored version is
    /// still `row.version`; bumps the version and `updated_at`. Stale:
    /// [`StoreError::Conflict`]; missing or of another organisation: [`StoreError::NotFound`].
    async fn update_outreach_event(&mut self, row: &OutreachEventRow) -> StoreResult<OutreachEventRow>;
    // --- retention
    /// Replaces the organisation's rules with `rules` (all of `org`).
    async fn replace_retention_rules(&mut self, org: OrgId, rules: &[RetentionRuleRow]) -> StoreResult<()>;
    /// Deletes the ciphertext of the field `rule` names on `record` of `org` (a person, or a
    /// note entry for `case.notes`); bumps the row's version and sets its `updated_at` to
    /// `at`. False when there was nothing to delete (already purged, gone, another
    /// organisation). Not for the erasing rule.
    async fn purge_retention_field(
        &mut self,
        org: OrgId,
        rule: amparo_domain::retention::RetentionRule,
        record: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn insert_retention_purge(&mut self, row: &RetentionPurgeRow) -> StoreResult<()>;
    async fn insert_retention_run(&mut self, row: &RetentionRunRow) -> StoreResult<()>;

    // --- key rotation
    /// Inserts a KEK version, or replaces the state and retirement time of an existing one.
    async fn put_kek_version(&mut self, row: &KekVersionRow) -> StoreResult<()>;
    /// Replaces a row's wrapped key if it is still `old` (a concurrent erasure or re-wrap
    /// wins); true when replaced. Nothing else in the row changes (not its version).
    async fn rewrap_key(&mut self, table: WrappedKeyTable, id: Uuid, old: &[u8], new: &[u8]) -> StoreResult<bool>;
    // --- differentially private releases: the budget ledger
    /// The ε an organisation spent on releases made in `[from, to)`, read inside this
    /// transaction and holding the organisation's ledger against concurrent releases until
    /// it ends (SQLite: the write lock taken at BEGIN; PostgreSQL: the organisation's row
    /// locked), so two releases cannot both fit in what is left of one budget.
    async fn epsilon_spent(&mut self, org: OrgId, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<f64>;
    /// The user named, if any, must be of `row.org` (else [`StoreError::NotFound`]).
    async fn insert_release(&mut self, row: &ReleaseLedgerRow) -> StoreResult<()>;

    // --- audit
    /// Appends entries to the one chain: reads the head inside this transaction, links each
    /// entry with `linker` (which holds the key; the store never sees it), inserts, and moves
    /// the head. Returns the new head.
    async fn append_audit(&mut self, drafts: &[AuditDraft], linker: &dyn AuditLinker) -> StoreResult<AuditHead>;

    async fn commit(self: Box<Self>) -> StoreResult<()>;
}
