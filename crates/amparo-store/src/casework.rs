//! Rows of case work: entries (needs assessments, goals, services, appointments, milestones,
//! legal relief, notes) in one table, tasks in another, and the caseload dashboard's counts.
//! Coded values in clear (what reports, tasks and dashboards need); free text sealed.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::{CaseId, EntryId, OrgId, PersonId, TaskId, UserId};

/// One entry of a case's work. What each column holds depends on `kind`:
///
/// | kind | code | status | on_date | due_on | minutes | staff |
/// |---|---|---|---|---|---|---|
/// | need_assessment | – | – | assessed | – | – | – |
/// | goal | domain | goal status | created | target | – | responsible |
/// | service | category | – | delivered | follow-up | minutes | delivered by |
/// | appointment | category | appointment status | the day | follow-up | – | accompanies |
/// | milestone | milestone kind | – | reached | – | – | – |
/// | legal_relief | relief kind | relief status | latest key date | – | – | – |
/// | note | note kind | – | the day | follow-up | – | – |
#[derive(Clone, PartialEq, Eq)]
pub struct CaseEntryRow {
    pub id: EntryId,
    pub org: OrgId,
    pub case: CaseId,
    pub person: PersonId,
    /// `EntryKind` code.
    pub kind: String,
    pub code: Option<String>,
    pub status: Option<String>,
    pub on_date: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub minutes: Option<i32>,
    pub staff: Option<UserId>,
    /// A JSON object of the other coded values, in clear (ratings, language codes, time of
    /// day, place code, reminder days, relief dates).
    pub coded: String,
    /// Sealed JSON of the free text (goal words, note body, purpose, …).
    pub sealed: Option<Vec<u8>>,
    /// Sealed apart: receipt numbers, A-number, carpeta number (revealed only on an audited call).
    pub restricted: Option<Vec<u8>>,
    pub version: i64,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for CaseEntryRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseEntryRow")
            .field("id", &self.id)
            .field("case", &self.case)
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A task: manual (with a sealed title) or derived from a source's due date (unique per
/// source and kind, so recomputing is an upsert).
#[derive(Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: TaskId,
    pub org: OrgId,
    pub person: PersonId,
    pub case: Option<CaseId>,
    /// `TaskKind` code.
    pub kind: String,
    /// The entry, consent or person it derives from (None for manual tasks).
    pub source: Option<Uuid>,
    pub due_on: NaiveDate,
    pub assigned_to: Option<UserId>,
    /// Sealed with the person's key: a manual task's title.
    pub title: Option<Vec<u8>>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<UserId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for TaskRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("due_on", &self.due_on)
            .field("done", &self.done_at.is_some())
            .finish_non_exhaustive()
    }
}

/// A task in a list, with what decides who may see it: its case's number, restriction and
/// team (the assignee included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskListRow {
    pub task: TaskRow,
    pub case_number: Option<String>,
    pub case_assigned_to: Option<UserId>,
    pub case_restricted: bool,
    pub case_team: Vec<UserId>,
}

/// Which open tasks a list shows: the organisation's (optionally only those a member
/// works on), due strictly before a day, soonest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskQuery {
    pub org: OrgId,
    pub due_before: NaiveDate,
    /// Only tasks due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// Only tasks of these kinds (`TaskKind` codes); empty: every kind.
    pub kinds: Vec<String>,
    /// Only tasks of cases on whose team this user is (the assignee is on the team), plus
    /// tasks assigned to them.
    pub member: Option<UserId>,
    /// Tasks of restricted cases only where this user is on the case's team.
    pub viewer: UserId,
    pub limit: i64,
}

/// What the caseload dashboard counts, over the organisation or a member's cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DashboardQuery {
    pub org: OrgId,
    /// Only cases with this user on the team.
    pub member: Option<UserId>,
    /// Restricted cases count only where this user is on the team.
    pub viewer: UserId,
    pub today: NaiveDate,
    /// Upcoming: from today up to and including this day.
    pub upcoming_until: NaiveDate,
    /// Open cases whose last contact is before this day (or who never had one).
    pub no_contact_before: NaiveDate,
    /// The task kinds that count as deadlines (`TaskKind` codes).
    pub deadline_kinds: Vec<String>,
    /// The case statuses that mean closed (`cas_Status` codes): no contact is expected.
    pub closed_statuses: Vec<String>,
}

/// The dashboard's numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardCounts {
    /// (`cas_Status` code, number of cases), by code.
    pub cases_by_status: Vec<(String, i64)>,
    /// Open tasks due before today.
    pub overdue_tasks: i64,
    /// Scheduled appointments from today to `upcoming_until`.
    pub upcoming_appointments: i64,
    /// Open tasks of legal relief due from today to `upcoming_until`.
    pub upcoming_deadlines: i64,
    /// Cases not closed whose last contact is before `no_contact_before`, or never.
    pub without_recent_contact: i64,
}

/// An entry in a list across cases, with what decides who may see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryListRow {
    pub entry: CaseEntryRow,
    pub case_number: String,
    pub case_restricted: bool,
    pub case_team: Vec<UserId>,
}

/// Entries of one kind across the organisation's cases (or a member's), by date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryQuery {
    pub org: OrgId,
    /// `EntryKind` code.
    pub kind: String,
    /// Only entries of cases with this user on the team.
    pub member: Option<UserId>,
    /// Entries of restricted cases only where this user is on the case's team.
    pub viewer: UserId,
    /// From this day up to and including `to`.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Only entries with this status (e.g. `scheduled`).
    pub status: Option<String>,
    pub limit: i64,
}
