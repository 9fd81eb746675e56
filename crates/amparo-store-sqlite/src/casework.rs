//! Case work on SQLite: entries, tasks, last contact and the dashboard's counts.
//!
//! Lists that must stay fast for a large organisation start from the narrowest index: a team
//! member's `case_team` rows (SQLite keeps the order of a CROSS JOIN), or the organisation's
//! partial index of open tasks by due day.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use uuid::Uuid;

use amparo_domain::{CaseId, EntryId, OrgId, PersonId, TaskId, UserId};
use amparo_store::{
    CaseEntryRow, DashboardCounts, DashboardQuery, EntryListRow, EntryQuery, StoreError, StoreResult, TaskListRow,
    TaskQuery, TaskRow,
};

use crate::error::map_err;
use crate::records::{date, days, list, opt_date, opt_uuid, team};
use crate::{get, micros, opt_time, time, uuid};

macro_rules! entry_columns {
    () => {
        "e.id, e.org_id, e.case_id, e.person_id, e.kind, e.code, e.status, e.on_date, e.due_on, e.minutes,
         e.staff_id, e.coded, e.sealed, e.restricted, e.version, e.created_by, e.created_at, e.updated_at"
    };
}

macro_rules! task_columns {
    () => {
        "t.id, t.org_id, t.person_id, t.case_id, t.kind, t.source_id, t.due_on, t.assigned_to, t.title, t.done_at,
         t.done_by, t.version, t.created_at"
    };
}

/// The case's number, restriction and team (ids in hex, comma-separated) beside a row whose
/// case is `c` (LEFT JOINed).
macro_rules! case_context {
    () => {
        "c.number AS case_number, c.restricted AS case_restricted, c.assigned_to AS case_assigned_to,
         (SELECT group_concat(lower(hex(m.user_id)), ',' ORDER BY m.position)
          FROM case_team m WHERE m.case_id = c.id) AS team"
    };
}

pub(crate) fn entry_from_row(row: &SqliteRow) -> StoreResult<CaseEntryRow> {
    Ok(CaseEntryRow {
        id: EntryId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        case: CaseId::from_uuid(uuid(row, "case_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        kind: get(row, "kind")?,
        code: get(row, "code")?,
        status: get(row, "status")?,
        on_date: date(row, "on_date")?,
        due_on: opt_date(row, "due_on")?,
        minutes: get(row, "minutes")?,
        staff: opt_uuid(row, "staff_id")?.map(UserId::from_uuid),
        coded: get(row, "coded")?,
        sealed: get(row, "sealed")?,
        restricted: get(row, "restricted")?,
        version: get(row, "version")?,
        created_by: opt_uuid(row, "created_by")?.map(UserId::from_uuid),
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) fn task_from_row(row: &SqliteRow) -> StoreResult<TaskRow> {
    Ok(TaskRow {
        id: TaskId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        case: opt_uuid(row, "case_id")?.map(CaseId::from_uuid),
        kind: get(row, "kind")?,
        source: opt_uuid(row, "source_id")?,
        due_on: date(row, "due_on")?,
        assigned_to: opt_uuid(row, "assigned_to")?.map(UserId::from_uuid),
        title: get(row, "title")?,
        done_at: opt_time(row, "done_at")?,
        done_by: opt_uuid(row, "done_by")?.map(UserId::from_uuid),
        version: get(row, "version")?,
        created_at: time(row, "created_at")?,
    })
}

fn task_list_from_row(row: &SqliteRow) -> StoreResult<TaskListRow> {
    Ok(TaskListRow {
        task: task_from_row(row)?,
        case_number: get(row, "case_number")?,
        case_assigned_to: get::<Option<Uuid>>(row, "case_assigned_to")?.map(UserId::from_uuid),
        case_restricted: get::<Option<bool>>(row, "case_restricted")?.unwrap_or(false),
        case_team: team(row)?,
    })
}

fn entry_list_from_row(row: &SqliteRow) -> StoreResult<EntryListRow> {
    Ok(EntryListRow {
        entry: entry_from_row(row)?,
        case_number: get(row, "case_number")?,
        case_restricted: get(row, "case_restricted")?,
        case_team: team(row)?,
    })
}

// --- reads

pub(crate) async fn case_entry(pool: &SqlitePool, id: EntryId) -> StoreResult<Option<CaseEntryRow>> {
    let row = sqlx::query(concat!("SELECT ", entry_columns!(), " FROM case_entries e WHERE e.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(entry_from_row).transpose()
}

pub(crate) async fn case_entries(pool: &SqlitePool, case: CaseId, kinds: &[String]) -> StoreResult<Vec<CaseEntryRow>> {
    let rows = if kinds.is_empty() {
        sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM case_entries e WHERE e.case_id = ? ORDER BY e.on_date, e.created_at, e.id"
        ))
        .bind(case.as_uuid())
        .fetch_all(pool)
        .await
    } else {
        sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM case_entries e WHERE e.case_id = ? AND e.kind IN (SELECT value FROM json_each(?))
             ORDER BY e.on_date, e.created_at, e.id"
        ))
        .bind(case.as_uuid())
        .bind(list(kinds)?)
        .fetch_all(pool)
        .await
    }
    .map_err(map_err)?;
    rows.iter().map(entry_from_row).collect()
}

/// Restricted cases (alias `c`) only for the viewer named on them.
fn push_visible(sql: &mut QueryBuilder<'static, Sqlite>, viewer: UserId) {
    sql.push(" AND (c.restricted = 0 OR c.id IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
        .push_bind(*viewer.as_uuid())
        .push("))");
}

pub(crate) fn entries_between_query(q: &EntryQuery) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(concat!("SELECT ", entry_columns!(), ", ", case_context!(), " FROM "));
    match q.member {
        Some(member) => {
            // The member's cases first (by index), then their entries by date. (One who
            // accompanies an appointment is on the case's team.)
            sql.push(
                "case_entries e JOIN cases c ON c.id = e.case_id WHERE e.id IN (
                   SELECT e2.id FROM case_team m CROSS JOIN case_entries e2
                   WHERE m.user_id = ",
            )
            .push_bind(*member.as_uuid())
            .push(" AND e2.case_id = m.case_id AND e2.on_date BETWEEN ")
            .push_bind(days(q.from))
            .push(" AND ")
            .push_bind(days(q.to))
            .push(") AND e.kind = ")
            .push_bind(q.kind.clone())
            .push(" AND e.org_id = ")
            .push_bind(*q.org.as_uuid());
        }
        None => {
            sql.push("case_entries e JOIN cases c ON c.id = e.case_id WHERE e.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND e.kind = ")
                .push_bind(q.kind.clone())
                .push(" AND e.on_date BETWEEN ")
                .push_bind(days(q.from))
                .push(" AND ")
                .push_bind(days(q.to));
        }
    }
    if let Some(status) = &q.status {
        sql.push(" AND e.status = ").push_bind(status.clone());
    }
    push_visible(&mut sql, q.viewer);
    sql.push(" ORDER BY e.on_date, e.created_at, e.id LIMIT ").push_bind(q.limit.max(0));
    sql
}

pub(crate) async fn entries_between(pool: &SqlitePool, q: &EntryQuery) -> StoreResult<Vec<EntryListRow>> {
    let rows = entries_between_query(q).build().fetch_all(pool).await.map_err(map_err)?;
    rows.iter().map(entry_list_from_row).collect()
}

pub(crate) async fn last_contact(pool: &SqlitePool, case: CaseId) -> StoreResult<Option<NaiveDate>> {
    let row = sqlx::query("SELECT last_contact_on FROM cases WHERE id = ?")
        .bind(case.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    match row {
        Some(row) => opt_date(&row, "last_contact_on"),
        None => Ok(None),
    }
}

pub(crate) async fn task(pool: &SqlitePool, id: TaskId) -> StoreResult<Option<TaskRow>> {
    let row = sqlx::query(concat!("SELECT ", task_columns!(), " FROM tasks t WHERE t.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(task_from_row).transpose()
}

pub(crate) async fn tasks_of_source(pool: &SqlitePool, source: Uuid) -> StoreResult<Vec<TaskRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        task_columns!(),
        " FROM tasks t WHERE t.source_id = ? AND t.done_at IS NULL ORDER BY t.kind"
    ))
    .bind(source)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(task_from_row).collect()
}

/// The ids of the open tasks a member works on (their cases' tasks and those assigned to
/// them), due before a day: a sub-select that starts from the member's rows.
fn push_member_tasks(
    sql: &mut QueryBuilder<'static, Sqlite>,
    org: OrgId,
    member: UserId,
    before: i64,
    from: Option<i64>,
) {
    sql.push(
        "SELECT t2.id FROM case_team m CROSS JOIN tasks t2
         WHERE m.user_id = ",
    )
    .push_bind(*member.as_uuid())
    .push(" AND t2.case_id = m.case_id AND t2.done_at IS NULL AND t2.due_on < ")
    .push_bind(before);
    if let Some(from) = from {
        sql.push(" AND t2.due_on >= ").push_bind(from);
    }
    sql.push(" UNION SELECT t3.id FROM tasks t3 WHERE t3.assigned_to = ")
        .push_bind(*member.as_uuid())
        .push(" AND t3.done_at IS NULL AND t3.due_on < ")
        .push_bind(before);
    if let Some(from) = from {
        sql.push(" AND t3.due_on >= ").push_bind(from);
    }
    sql.push(" AND t3.org_id = ").push_bind(*org.as_uuid());
}

/// Tasks of restricted cases (alias `t`) only for the viewer named on them. The restricted
/// cases the viewer is not on are few: found once, not looked up per task.
fn push_task_visible(sql: &mut QueryBuilder<'static, Sqlite>, org: OrgId, viewer: UserId) {
    sql.push(" AND (t.case_id IS NULL OR t.case_id NOT IN (SELECT r.id FROM cases r WHERE r.org_id = ")
        .push_bind(*org.as_uuid())
        .push(" AND r.restricted = 1 AND r.id NOT IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
        .push_bind(*viewer.as_uuid())
        .push(")))");
}

pub(crate) fn tasks_due_query(q: &TaskQuery) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(concat!(
        "SELECT ",
        task_columns!(),
        ", ",
        case_context!(),
        " FROM tasks t LEFT JOIN cases c ON c.id = t.case_id WHERE "
    ));
    match q.member {
        Some(member) => {
            sql.push("t.id IN (");
            push_member_tasks(&mut sql, q.org, member, days(q.due_before), q.due_from.map(days));
            sql.push(")");
        }
        None => {
            sql.push("t.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND t.done_at IS NULL AND t.due_on < ")
                .push_bind(days(q.due_before));
            if let Some(from) = q.due_from {
                sql.push(" AND t.due_on >= ").push_bind(days(from));
            }
        }
    }
    if !q.kinds.is_empty() {
        // Built only from `TaskKind` codes, but bound all the same.
        if let Ok(kinds) = list(&q.kinds) {
            sql.push(" AND t.kind IN (SELECT value FROM json_each(").push_bind(kinds).push("))");
        }
    }
    push_task_visible(&mut sql, q.org, q.viewer);
    sql.push(" ORDER BY t.due_on, t.id LIMIT ").push_bind(q.limit.max(0));
    sql
}

pub(crate) async fn tasks_due(pool: &SqlitePool, q: &TaskQuery) -> StoreResult<Vec<TaskListRow>> {
    let rows = tasks_due_query(q).build().fetch_all(pool).await.map_err(map_err)?;
    rows.iter().map(task_list_from_row).collect()
}

/// `FROM … WHERE …` of the cases in the dashboard's scope (alias `c`).
fn push_scope_cases(sql: &mut QueryBuilder<'static, Sqlite>, q: &DashboardQuery) {
    match q.member {
        Some(member) => {
            sql.push(" FROM case_team m CROSS JOIN cases c WHERE m.user_id = ")
                .push_bind(*member.as_uuid())
                .push(" AND c.id = m.case_id AND c.org_id = ")
                .push_bind(*q.org.as_uuid());
        }
        None => {
            sql.push(" FROM cases c WHERE c.org_id = ").push_bind(*q.org.as_uuid());
        }
    }
    push_visible(sql, q.viewer);
}

pub(crate) fn dashboard_queries(q: &DashboardQuery) -> StoreResult<[QueryBuilder<'static, Sqlite>; 5]> {
    let today = days(q.today);
    let until = days(q.upcoming_until);

    let by_status = match q.member {
        Some(_) => {
            let mut sql = QueryBuilder::new("SELECT c.status AS status, count(*) AS n");
            push_scope_cases(&mut sql, q);
            sql.push(" GROUP BY c.status ORDER BY c.status");
            sql
        }
        // The organisation's count from the status index alone, less the restricted cases the
        // viewer is not named on (from their own small index).
        None => {
            let mut sql = QueryBuilder::new(
                "SELECT status, sum(n) AS n FROM (SELECT c.status AS status, count(*) AS n FROM cases c WHERE c.org_id = ",
            );
            sql.push_bind(*q.org.as_uuid())
                .push(" GROUP BY c.status UNION ALL SELECT r.status, -count(*) FROM cases r WHERE r.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND r.restricted = 1 AND r.id NOT IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
                .push_bind(*q.viewer.as_uuid())
                .push(") GROUP BY r.status) GROUP BY status HAVING sum(n) > 0 ORDER BY status");
            sql
        }
    };

    let mut overdue = QueryBuilder::new("SELECT count(*) AS n FROM tasks t WHERE ");
    let mut deadlines = QueryBuilder::new("SELECT count(*) AS n FROM tasks t WHERE ");
    match q.member {
        Some(member) => {
            overdue.push("t.id IN (");
            push_member_tasks(&mut overdue, q.org, member, today, None);
            overdue.push(")");
            deadlines.push("t.id IN (");
            push_member_tasks(&mut deadlines, q.org, member, until + 1, Some(today));
            deadlines.push(")");
        }
        None => {
            overdue
                .push("t.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND t.done_at IS NULL AND t.due_on < ")
                .push_bind(today);
            deadlines
                .push("t.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND t.done_at IS NULL AND t.due_on BETWEEN ")
                .push_bind(today)
                .push(" AND ")
                .push_bind(until);
        }
    }
    push_task_visible(&mut overdue, q.org, q.viewer);
    deadlines.push(" AND t.kind IN (SELECT value FROM json_each(").push_bind(list(&q.deadline_kinds)?).push("))");
    push_task_visible(&mut deadlines, q.org, q.viewer);

    let mut appointments = QueryBuilder::new("SELECT count(*) AS n");
    match q.member {
        Some(member) => {
            appointments
                .push(" FROM case_team m CROSS JOIN case_entries e JOIN cases c ON c.id = e.case_id WHERE m.user_id = ")
                .push_bind(*member.as_uuid())
                .push(" AND e.case_id = m.case_id");
        }
        None => {
            appointments
                .push(" FROM case_entries e JOIN cases c ON c.id = e.case_id WHERE e.org_id = ")
                .push_bind(*q.org.as_uuid());
        }
    }
    appointments
        .push(" AND e.kind = 'appointment' AND e.status = 'scheduled' AND e.on_date BETWEEN ")
        .push_bind(today)
        .push(" AND ")
        .push_bind(until);
    push_visible(&mut appointments, q.viewer);

    let mut no_contact = QueryBuilder::new("SELECT count(*) AS n");
    push_scope_cases(&mut no_contact, q);
    no_contact
        .push(" AND (c.last_contact_on IS NULL OR c.last_contact_on < ")
        .push_bind(days(q.no_contact_before))
        .push(") AND c.status NOT IN (SELECT value FROM json_each(")
        .push_bind(list(&q.closed_statuses)?)
        .push("))");

    Ok([by_status, overdue, appointments, deadlines, no_contact])
}

pub(crate) async fn dashboard(pool: &SqlitePool, q: &DashboardQuery) -> StoreResult<DashboardCounts> {
    let [mut by_status, mut overdue, mut appointments, mut deadlines, mut no_contact] = dashboard_queries(q)?;
    // Independent reads: asked at once, each on its own connection of the pool.
    let count = |row: Result<SqliteRow, sqlx::Error>| get::<i64>(&row.map_err(map_err)?, "n");
    let (rows, overdue, appointments, deadlines, no_contact) = tokio::join!(
        by_status.build().fetch_all(pool),
        overdue.build().fetch_one(pool),
        appointments.build().fetch_one(pool),
        deadlines.build().fetch_one(pool),
        no_contact.build().fetch_one(pool),
    );
    let cases_by_status = rows
        .map_err(map_err)?
        .iter()
        .map(|r| Ok((get::<String>(r, "status")?, get::<i64>(r, "n")?)))
        .collect::<StoreResult<_>>()?;
    Ok(DashboardCounts {
        cases_by_status,
        overdue_tasks: count(overdue)?,
        upcoming_appointments: count(appointments)?,
        upcoming_deadlines: count(deadlines)?,
        without_recent_contact: count(no_contact)?,
    })
}

// --- writes (inside a transaction)

pub(crate) async fn entry_for_update(conn: &mut SqliteConnection, id: EntryId) -> StoreResult<Option<CaseEntryRow>> {
    let row = sqlx::query(concat!("SELECT ", entry_columns!(), " FROM case_entries e WHERE e.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(map_err)?;
    row.as_ref().map(entry_from_row).transpose()
}

pub(crate) async fn insert_case_entry(conn: &mut SqliteConnection, row: &CaseEntryRow) -> StoreResult<()> {
    // Taken from the case row: the entry cannot name a person or organisation its case has not.
    let done = sqlx::query(
        "INSERT INTO case_entries (id, org_id, case_id, person_id, kind, code, status, on_date, due_on, minutes,
                                   staff_id, coded, sealed, restricted, version, created_by, created_at, updated_at)
         SELECT ?, org_id, id, person_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         FROM cases WHERE id = ? AND org_id = ? AND person_id = ?",
    )
    .bind(row.id.as_uuid())
    .bind(&row.kind)
    .bind(row.code.as_deref())
    .bind(row.status.as_deref())
    .bind(days(row.on_date))
    .bind(row.due_on.map(days))
    .bind(row.minutes)
    .bind(row.staff.map(|u| *u.as_uuid()))
    .bind(&row.coded)
    .bind(row.sealed.as_deref())
    .bind(row.restricted.as_deref())
    .bind(row.version)
    .bind(row.created_by.map(|u| *u.as_uuid()))
    .bind(micros(row.created_at))
    .bind(micros(row.updated_at))
    .bind(row.case.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .execute(conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn update_case_entry(conn: &mut SqliteConnection, row: &CaseEntryRow) -> StoreResult<CaseEntryRow> {
    let updated_at = Utc::now().trunc_subsecs(6);
    let done = sqlx::query(
        "UPDATE case_entries
         SET code = ?, status = ?, on_date = ?, due_on = ?, minutes = ?, staff_id = ?, coded = ?, sealed = ?,
             restricted = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?",
    )
    .bind(row.code.as_deref())
    .bind(row.status.as_deref())
    .bind(days(row.on_date))
    .bind(row.due_on.map(days))
    .bind(row.minutes)
    .bind(row.staff.map(|u| *u.as_uuid()))
    .bind(&row.coded)
    .bind(row.sealed.as_deref())
    .bind(row.restricted.as_deref())
    .bind(micros(updated_at))
    .bind(row.id.as_uuid())
    .bind(row.version)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    let stored = entry_for_update(conn, row.id).await?;
    match stored {
        Some(stored) if done.rows_affected() == 1 => Ok(stored),
        Some(_) => Err(StoreError::Conflict),
        None => Err(StoreError::NotFound),
    }
}

pub(crate) async fn insert_task(conn: &mut SqliteConnection, row: &TaskRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO tasks (id, org_id, person_id, case_id, kind, source_id, due_on, assigned_to, title, done_at,
                            done_by, version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.case.map(|c| *c.as_uuid()))
    .bind(&row.kind)
    .bind(row.source)
    .bind(days(row.due_on))
    .bind(row.assigned_to.map(|u| *u.as_uuid()))
    .bind(row.title.as_deref())
    .bind(row.done_at.map(micros))
    .bind(row.done_by.map(|u| *u.as_uuid()))
    .bind(row.version)
    .bind(micros(row.created_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn replace_derived_tasks(
    conn: &mut SqliteConnection,
    source: Uuid,
    tasks: &[TaskRow],
) -> StoreResult<()> {
    let kinds: Vec<String> = tasks.iter().map(|t| t.kind.clone()).collect();
    sqlx::query(
        "DELETE FROM tasks WHERE source_id = ? AND done_at IS NULL AND kind NOT IN (SELECT value FROM json_each(?))",
    )
    .bind(source)
    .bind(list(&kinds)?)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    for t in tasks {
        if t.source != Some(source) {
            return Err(StoreError::Database("a derived task names another source".into()));
        }
        // A task done for this due day stays done; a new due day opens it again.
        sqlx::query(
            "INSERT INTO tasks (id, org_id, person_id, case_id, kind, source_id, due_on, assigned_to, title, done_at,
                                done_by, version, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)
             ON CONFLICT (source_id, kind) DO UPDATE SET
                 case_id = excluded.case_id,
                 assigned_to = excluded.assigned_to,
                 done_at = CASE WHEN tasks.due_on = excluded.due_on THEN tasks.done_at END,
                 done_by = CASE WHEN tasks.due_on = excluded.due_on THEN tasks.done_by END,
                 version = CASE WHEN tasks.due_on = excluded.due_on THEN tasks.version ELSE tasks.version + 1 END,
                 due_on = excluded.due_on",
        )
        .bind(t.id.as_uuid())
        .bind(t.org.as_uuid())
        .bind(t.person.as_uuid())
        .bind(t.case.map(|c| *c.as_uuid()))
        .bind(&t.kind)
        .bind(source)
        .bind(days(t.due_on))
        .bind(t.assigned_to.map(|u| *u.as_uuid()))
        .bind(t.version)
        .bind(micros(t.created_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) async fn complete_task(
    conn: &mut SqliteConnection,
    id: TaskId,
    version: i64,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> StoreResult<TaskRow> {
    let done =
        sqlx::query("UPDATE tasks SET done_at = ?, done_by = ?, version = version + 1 WHERE id = ? AND version = ?")
            .bind(micros(at))
            .bind(by.map(|u| *u.as_uuid()))
            .bind(id.as_uuid())
            .bind(version)
            .execute(&mut *conn)
            .await
            .map_err(map_err)?;
    let row = sqlx::query(concat!("SELECT ", task_columns!(), " FROM tasks t WHERE t.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    match row.as_ref().map(task_from_row).transpose()? {
        Some(stored) if done.rows_affected() == 1 => Ok(stored),
        Some(_) => Err(StoreError::Conflict),
        None => Err(StoreError::NotFound),
    }
}

pub(crate) async fn record_contact(
    conn: &mut SqliteConnection,
    person: PersonId,
    case: Option<CaseId>,
    on: NaiveDate,
) -> StoreResult<()> {
    // max() of SQLite with a NULL argument is NULL: coalesce first.
    let sql = match case {
        Some(_) => {
            "UPDATE cases SET last_contact_on = max(coalesce(last_contact_on, ?), ?) WHERE person_id = ? AND id = ?"
        }
        None => "UPDATE cases SET last_contact_on = max(coalesce(last_contact_on, ?), ?) WHERE person_id = ?",
    };
    let mut query = sqlx::query(sql).bind(days(on)).bind(days(on)).bind(person.as_uuid());
    if let Some(c) = case {
        query = query.bind(*c.as_uuid());
    }
    query.execute(conn).await.map_err(map_err)?;
    Ok(())
}

pub(crate) async fn attach_person_tasks(
    conn: &mut SqliteConnection,
    person: PersonId,
    case: CaseId,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tasks SET case_id = ? WHERE person_id = ? AND case_id IS NULL AND done_at IS NULL
           AND org_id = (SELECT org_id FROM cases WHERE id = ? AND person_id = ?)",
    )
    .bind(case.as_uuid())
    .bind(person.as_uuid())
    .bind(case.as_uuid())
    .bind(person.as_uuid())
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// Lower-case hex of a value that travels through a JSON parameter (`unhex` in SQL).
fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn hex_id(id: &Uuid) -> String {
    hex::encode(id.as_bytes())
}

pub(crate) async fn insert_case_entries(conn: &mut SqliteConnection, rows: &[CaseEntryRow]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // One statement for the whole batch (as the audit chain does): a statement per entry was
    // most of the cost of seeding case work. Each element is taken out of the array once
    // (MATERIALIZED): read as `value ->> 'key'` it was re-extracted for every column.
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": hex_id(r.id.as_uuid()),
                "org": hex_id(r.org.as_uuid()),
                "case": hex_id(r.case.as_uuid()),
                "person": hex_id(r.person.as_uuid()),
                "kind": r.kind,
                "code": r.code,
                "status": r.status,
                "on_date": days(r.on_date),
                "due_on": r.due_on.map(days),
                "minutes": r.minutes,
                "staff": r.staff.map(|u| hex_id(u.as_uuid())),
                "coded": r.coded,
                "sealed": r.sealed.as_deref().map(hex),
                "restricted": r.restricted.as_deref().map(hex),
                "version": r.version,
                "created_by": r.created_by.map(|u| hex_id(u.as_uuid())),
                "created_at": micros(r.created_at),
                "updated_at": micros(r.updated_at),
            })
        })
        .collect();
    let done = sqlx::query(
        "INSERT INTO case_entries (id, org_id, case_id, person_id, kind, code, status, on_date, due_on, minutes,
                                   staff_id, coded, sealed, restricted, version, created_by, created_at, updated_at)
         WITH j(v) AS MATERIALIZED (SELECT value FROM json_each(?))
         SELECT unhex(v ->> 'id'), c.org_id, c.id, c.person_id, v ->> 'kind', v ->> 'code', v ->> 'status',
                v ->> 'on_date', v ->> 'due_on', v ->> 'minutes', unhex(v ->> 'staff'), v ->> 'coded',
                unhex(v ->> 'sealed'), unhex(v ->> 'restricted'), v ->> 'version', unhex(v ->> 'created_by'),
                v ->> 'created_at', v ->> 'updated_at'
         FROM j JOIN cases c ON c.id = unhex(v ->> 'case') AND c.org_id = unhex(v ->> 'org')
                            AND c.person_id = unhex(v ->> 'person')",
    )
    .bind(serde_json::Value::Array(json).to_string())
    .execute(conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() != rows.len() as u64 {
        // The transaction is left to roll back: nothing of the batch is kept.
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn insert_tasks(conn: &mut SqliteConnection, rows: &[TaskRow]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": hex_id(r.id.as_uuid()),
                "org": hex_id(r.org.as_uuid()),
                "person": hex_id(r.person.as_uuid()),
                "case": r.case.map(|c| hex_id(c.as_uuid())),
                "kind": r.kind,
                "source": r.source.as_ref().map(hex_id),
                "due_on": days(r.due_on),
                "assigned_to": r.assigned_to.map(|u| hex_id(u.as_uuid())),
                "title": r.title.as_deref().map(hex),
                "done_at": r.done_at.map(micros),
                "done_by": r.done_by.map(|u| hex_id(u.as_uuid())),
                "version": r.version,
                "created_at": micros(r.created_at),
            })
        })
        .collect();
    sqlx::query(
        "INSERT INTO tasks (id, org_id, person_id, case_id, kind, source_id, due_on, assigned_to, title, done_at,
                            done_by, version, created_at)
         WITH j(v) AS MATERIALIZED (SELECT value FROM json_each(?))
         SELECT unhex(v ->> 'id'), unhex(v ->> 'org'), unhex(v ->> 'person'), unhex(v ->> 'case'), v ->> 'kind',
                unhex(v ->> 'source'), v ->> 'due_on', unhex(v ->> 'assigned_to'), unhex(v ->> 'title'),
                v ->> 'done_at', unhex(v ->> 'done_by'), v ->> 'version', v ->> 'created_at'
         FROM j",
    )
    .bind(serde_json::Value::Array(json).to_string())
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
