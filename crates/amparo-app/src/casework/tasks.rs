//! Tasks: derived from due dates (recomputed whenever their source changes) and manual ones
//! with a sealed title. Lists show what the caller may see, overdue first.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_domain::records::deadlines::DueTask;
use amparo_domain::records::{CaseStatus, TaskKind};
use amparo_domain::{
    Action, Actor, CaseId, OrgId, PersonId, RecordScope, Resource, Section, TaskId, UserId, authorize,
};
use amparo_store::{AuditOutcome, CaseRow, TaskListRow, TaskQuery, TaskRow};

use crate::casework::inputs::{date, text};
use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

/// At most this many tasks in one list (soonest first).
const TASK_LIST_LIMIT: i64 = 500;

/// A manual task's title is a line in a list, not a note.
const TASK_TITLE_CHARS: usize = 500;

/// A manual task on a case.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// Sealed with the person's key.
    pub title: String,
    pub due_on: NaiveDate,
    /// A staff member of the organisation; none: the case team.
    #[serde(default)]
    pub assigned_to: Option<UserId>,
}

impl std::fmt::Debug for TaskInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskInput").field("due_on", &self.due_on).finish_non_exhaustive()
    }
}

/// A task as a list shows it.
#[derive(Clone, Serialize)]
pub struct TaskView {
    pub id: TaskId,
    /// `TaskKind` code (e.g. `continued_presence_renewal`); its label is `code-task_kind-<kind>`.
    pub kind: String,
    pub case_id: Option<CaseId>,
    pub case_number: Option<String>,
    pub person_id: PersonId,
    /// The entry, consent or person the task derives from (None for manual tasks).
    pub source_id: Option<Uuid>,
    pub due_on: NaiveDate,
    /// Due before today.
    pub overdue: bool,
    pub assigned_to: Option<UserId>,
    /// A manual task's title.
    pub title: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// The caller's own: assigned to them, or unassigned on a case assigned to them.
    pub mine: bool,
}

/// The tasks page: the caller's own, and every task of the cases they are on.
#[derive(Clone, Debug)]
pub struct TaskBoard {
    pub mine: Vec<TaskView>,
    pub team: Vec<TaskView>,
}

impl std::fmt::Debug for TaskView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskView")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("due_on", &self.due_on)
            .field("overdue", &self.overdue)
            .finish_non_exhaustive()
    }
}

/// The case a person's own tasks (consent, safe contact) belong to: the newest case still
/// open, else the newest.
pub(crate) fn current_case(cases: &[CaseRow]) -> Option<CaseId> {
    let open = |c: &&CaseRow| CaseStatus::from_code(&c.status).is_ok_and(|s| !s.is_closed());
    let newest = |a: &&CaseRow, b: &&CaseRow| (a.opened_on, &a.number).cmp(&(b.opened_on, &b.number));
    cases.iter().filter(open).max_by(newest).or_else(|| cases.iter().max_by(newest)).map(|c| c.id)
}

/// Which tasks a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// The organisation's (supervisors).
    Organisation,
    /// Those of the cases the caller is on, and those assigned to them.
    Team,
    /// Those assigned to the caller, and the unassigned ones of cases assigned to them.
    Mine,
}

fn scope_of(t: &TaskListRow) -> RecordScope {
    let mut team = t.case_team.clone();
    if let Some(a) = t.case_assigned_to.or(t.task.assigned_to)
        && !team.contains(&a)
    {
        team.push(a);
    }
    RecordScope {
        org: t.task.org,
        restricted_to: t.case_restricted.then(|| team.clone()),
        team,
        break_glass: Vec::new(),
    }
}

/// Assigned to `user`, or unassigned on a case assigned to them.
fn is_mine(t: &TaskListRow, user: UserId) -> bool {
    t.task.assigned_to == Some(user) || (t.task.assigned_to.is_none() && t.case_assigned_to == Some(user))
}

fn section_of(kind: &str) -> Section {
    TaskKind::from_code(kind).map_or(Section::Summary, TaskKind::section)
}

impl Amparo {
    /// Rows of the tasks a source asks for (one per kind).
    pub(crate) fn derived_rows(
        &self,
        org: OrgId,
        person: PersonId,
        case: Option<CaseId>,
        source: Uuid,
        due: &[DueTask],
        assigned_to: Option<UserId>,
    ) -> Vec<TaskRow> {
        let now = self.now();
        let mut out: Vec<TaskRow> = Vec::with_capacity(due.len());
        for t in due {
            if out.iter().any(|o| o.kind == t.kind.code()) {
                continue;
            }
            out.push(TaskRow {
                id: TaskId::new(),
                org,
                person,
                case,
                kind: t.kind.code().to_owned(),
                source: Some(source),
                due_on: t.due_on,
                assigned_to,
                title: None,
                done_at: None,
                done_by: None,
                version: 1,
                created_at: now,
            });
        }
        out
    }

    /// Open tasks due before `due_before` that the caller may see: for a supervisor the
    /// organisation's (a restricted case's only where they are named), for others those of
    /// the cases they are on and those assigned to them. Overdue first, then by due day.
    pub async fn tasks_due(&self, caller: &Caller, due_before: NaiveDate) -> AppResult<Vec<TaskView>> {
        let actor = self.task_reader(caller, "task.list").await?;
        let reach = if Self::org_wide(&actor) { Reach::Organisation } else { Reach::Team };
        self.task_list(caller, &actor, reach, due_before, None, &[]).await
    }

    /// "My tasks": those assigned to the caller, and the unassigned ones of the cases
    /// assigned to them.
    pub async fn my_tasks(&self, caller: &Caller, due_before: NaiveDate) -> AppResult<Vec<TaskView>> {
        let actor = self.task_reader(caller, "task.list").await?;
        self.task_list(caller, &actor, Reach::Mine, due_before, None, &[]).await
    }

    /// "Team tasks": those of every case the caller is on (whoever they are assigned to).
    pub async fn team_tasks(&self, caller: &Caller, due_before: NaiveDate) -> AppResult<Vec<TaskView>> {
        let actor = self.task_reader(caller, "task.list").await?;
        self.task_list(caller, &actor, Reach::Team, due_before, None, &[]).await
    }

    /// The tasks page in one read (one audit entry): the team's tasks, and the caller's own
    /// among them.
    pub async fn task_board(&self, caller: &Caller, due_before: NaiveDate) -> AppResult<TaskBoard> {
        let actor = self.task_reader(caller, "task.list").await?;
        let team = self.task_list(caller, &actor, Reach::Team, due_before, None, &[]).await?;
        let mine = team.iter().filter(|t| t.mine).cloned().collect();
        Ok(TaskBoard { mine, team })
    }

    /// Tasks need a signed-in user whose role reads some part of a record on a team.
    pub(crate) async fn task_reader(&self, caller: &Caller, action: &str) -> AppResult<Actor> {
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        let on_team = RecordScope { org: actor.org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
        if let Err(reason) = authorize(actor, Action::ReadRecord(Section::Summary), Resource::Record(&on_team)) {
            return Err(self.denied(caller, action, reason).await);
        }
        Ok(*actor)
    }

    /// Whether the caller reads every record of the organisation (a supervisor).
    pub(crate) fn org_wide(actor: &Actor) -> bool {
        let anyone = RecordScope { org: actor.org, team: vec![], restricted_to: None, break_glass: vec![] };
        authorize(actor, Action::ReadRecord(Section::Summary), Resource::Record(&anyone)).is_ok()
    }

    pub(crate) async fn task_list(
        &self,
        caller: &Caller,
        actor: &Actor,
        reach: Reach,
        due_before: NaiveDate,
        due_from: Option<NaiveDate>,
        kinds: &[TaskKind],
    ) -> AppResult<Vec<TaskView>> {
        let query = TaskQuery {
            org: actor.org,
            due_before,
            due_from,
            kinds: kinds.iter().map(|k| k.code().to_owned()).collect(),
            member: (reach != Reach::Organisation).then_some(actor.user),
            viewer: actor.user,
            limit: TASK_LIST_LIMIT,
        };
        let rows = self.inner.store.tasks_due(&query).await?;
        let today = self.now().date_naive();
        let visible: Vec<TaskListRow> = rows
            .into_iter()
            .filter(|t| {
                authorize(actor, Action::ReadRecord(section_of(&t.task.kind)), Resource::Record(&scope_of(t))).is_ok()
            })
            .filter(|t| reach != Reach::Mine || is_mine(t, actor.user))
            .collect();
        // Titles of manual tasks, opened with their person's key (one read for all persons).
        let titled: Vec<PersonId> = visible.iter().filter(|t| t.task.title.is_some()).map(|t| t.task.person).collect();
        let persons = self.inner.store.persons(&titled).await?;
        let keys: HashMap<PersonId, amparo_crypto::DataKey> =
            persons.iter().map(|p| Ok((p.id, self.person_key(p)?))).collect::<AppResult<_>>()?;
        let mut out = Vec::with_capacity(visible.len());
        let mut drafts = Vec::new();
        for t in visible {
            let title = match (&t.task.title, keys.get(&t.task.person)) {
                (Some(sealed), Some(key)) => {
                    let mut d = self.record_draft(
                        caller,
                        "task.list_item",
                        AuditOutcome::Ok,
                        "person",
                        *t.task.person.as_uuid(),
                    );
                    d.org = Some(actor.org);
                    d.detail = Some(format!("task.{}", t.task.id));
                    drafts.push(d);
                    Some(open_json::<String>(key, "tasks", "title", *t.task.id.as_uuid(), sealed)?)
                }
                _ => None,
            };
            let mine = is_mine(&t, actor.user);
            out.push(Self::task_view(t.task, t.case_number, title, today, mine));
        }
        // Sorted by due day already; overdue ones are exactly those before today.
        let mut d = self.draft(caller, "task.list", AuditOutcome::Ok);
        d.detail = Some(format!("results.{}", out.len()));
        if self.inner.config.audit_reads {
            drafts.insert(0, d);
            self.inner.auditor.record(drafts).await?;
        }
        Ok(out)
    }

    fn task_view(
        t: TaskRow,
        case_number: Option<String>,
        title: Option<String>,
        today: NaiveDate,
        mine: bool,
    ) -> TaskView {
        TaskView {
            id: t.id,
            kind: t.kind,
            case_id: t.case,
            case_number,
            person_id: t.person,
            source_id: t.source,
            due_on: t.due_on,
            overdue: t.done_at.is_none() && t.due_on < today,
            assigned_to: t.assigned_to,
            title,
            done_at: t.done_at,
            version: t.version,
            mine,
        }
    }

    /// A manual task on a case (title sealed). Needs `WriteRecord(Summary)` on the case.
    pub async fn create_task(&self, caller: &Caller, case: CaseId, input: TaskInput) -> AppResult<TaskView> {
        let (case, record) = self.load_case(case).await?;
        self.require_case(caller, &case, &record, Action::WriteRecord(Section::Summary), "task.create").await?;
        let title = input.title.trim();
        text("title", title, true)?;
        if title.chars().count() > TASK_TITLE_CHARS {
            return Err(AppError::invalid(
                "title",
                amparo_domain::DomainError::CaseWork(amparo_domain::records::CaseWorkError::TitleTooLong),
            ));
        }
        date("due_on", input.due_on, self.now().date_naive())?;
        self.check_staff_member(case.org, input.assigned_to, "assigned_to").await?;
        let key = self.person_key(&record.person)?;
        let id = TaskId::new();
        let row = TaskRow {
            id,
            org: case.org,
            person: case.person,
            case: Some(case.id),
            kind: TaskKind::Manual.code().to_owned(),
            source: None,
            due_on: input.due_on,
            assigned_to: input.assigned_to,
            title: Some(seal_json(&key, "tasks", "title", *id.as_uuid(), &title)?),
            done_at: None,
            done_by: None,
            version: 1,
            created_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_task(&row).await?;
        let mut d = self.record_draft(caller, "task.create", AuditOutcome::Ok, "case", *case.id.as_uuid());
        d.org = Some(case.org);
        d.detail = Some(format!("task.{id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let today = self.now().date_naive();
        let mine = row.assigned_to.map_or(case.assigned_to == caller.user(), |a| Some(a) == caller.user());
        Ok(Self::task_view(row, Some(case.number), Some(title.to_owned()), today, mine))
    }

    /// Marks a task done if `version` is still the stored one (else `Conflict`). Needs the
    /// right to change the part of the record the task comes from.
    pub async fn complete_task(&self, caller: &Caller, id: TaskId, version: i64) -> AppResult<TaskView> {
        let task = self.inner.store.task(id).await?.ok_or(AppError::NotFound)?;
        let action = Action::WriteRecord(section_of(&task.kind));
        let case = match task.case {
            Some(c) => {
                let (case, record) = self.load_case(c).await?;
                self.require_case(caller, &case, &record, action, "task.complete").await?;
                Some(case)
            }
            None => {
                let record = self.load_record(task.person).await?;
                self.require(caller, &record, action, "task.complete").await?;
                None
            }
        };
        // Done once is done: a second completion would overwrite who did it and when.
        if task.done_at.is_some() {
            return Err(AppError::Refused("task_already_done"));
        }
        let mut tx = self.inner.store.begin().await?;
        let done = tx.complete_task(id, version, caller.user(), self.now()).await?;
        let (kind, target) = match &case {
            Some(c) => ("case", *c.id.as_uuid()),
            None => ("person", *task.person.as_uuid()),
        };
        let mut d = self.record_draft(caller, "task.complete", AuditOutcome::Ok, kind, target);
        d.org = Some(task.org);
        d.detail = Some(format!("task.{id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let mine = done.assigned_to.or(case.as_ref().and_then(|c| c.assigned_to)) == caller.user();
        Ok(Self::task_view(done, case.map(|c| c.number), None, self.now().date_naive(), mine))
    }

    /// Days ahead a dashboard calls "upcoming".
    pub(crate) const UPCOMING_DAYS: i64 = 14;

    pub(crate) fn upcoming_until(&self) -> NaiveDate {
        self.now().date_naive() + Duration::days(Self::UPCOMING_DAYS)
    }
}
