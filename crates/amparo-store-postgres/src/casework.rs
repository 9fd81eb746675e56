//! Case work on PostgreSQL: entries, tasks, last contact and the dashboard's counts. The same
//! statements as on SQLite, in PostgreSQL's dialect (`$n` parameters, `uuid[]`, `date`).

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use amparo_domain::{CaseId, EntryId, OrgId, PersonId, TaskId, UserId};
use amparo_store::{
    CaseEntryRow, DashboardCounts, DashboardQuery, EntryListRow, EntryQuery, StoreError, StoreResult, TaskListRow,
    TaskQuery, TaskRow,
};

use crate::error::map_err;
use crate::{get, micros};

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

/// The case's number, restriction and team beside a row whose case is `c` (LEFT JOINed).
macro_rules! case_context {
    () => {
        "c.number AS case_number, c.restricted AS case_restricted, c.assigned_to AS case_assigned_to,
         ARRAY(SELECT m.user_id FROM case_team m WHERE m.case_id = c.id ORDER BY m.position) AS team"
    };
}

fn user(row: &PgRow, column: &'static str) -> StoreResult<Option<UserId>> {
    Ok(get::<Option<Uuid>>(row, column)?.map(UserId::from_uuid))
}

fn team(row: &PgRow) -> StoreResult<Vec<UserId>> {
    let ids: Vec<Uuid> = get(row, "team")?;
    Ok(ids.into_iter().map(UserId::from_uuid).collect())
}

pub(crate) fn entry_from_row(row: &PgRow) -> StoreResult<CaseEntryRow> {
    Ok(CaseEntryRow {
        id: EntryId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        case: CaseId::from_uuid(get(row, "case_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        kind: get(row, "kind")?,
        code: get(row, "code")?,
        status: get(row, "status")?,
        on_date: get(row, "on_date")?,
        due_on: get(row, "due_on")?,
        minutes: get(row, "minutes")?,
        staff: user(row, "staff_id")?,
        coded: get(row, "coded")?,
        sealed: get(row, "sealed")?,
        restricted: get(row, "restricted")?,
        version: get(row, "version")?,
        created_by: user(row, "created_by")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn task_from_row(row: &PgRow) -> StoreResult<TaskRow> {
    Ok(TaskRow {
        id: TaskId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        case: get::<Option<Uuid>>(row, "case_id")?.map(CaseId::from_uuid),
        kind: get(row, "kind")?,
        source: get(row, "source_id")?,
        due_on: get(row, "due_on")?,
        assigned_to: user(row, "assigned_to")?,
        title: get(row, "title")?,
        done_at: get(row, "done_at")?,
        done_by: user(row, "done_by")?,
        version: get(row, "version")?,
        created_at: get(row, "created_at")?,
    })
}

fn task_list_from_row(row: &PgRow) -> StoreResult<TaskListRow> {
    Ok(TaskListRow {
        task: task_from_row(row)?,
        case_number: get(row, "case_number")?,
        case_assigned_to: get::<Option<Uuid>>(row, "case_assigned_to")?.map(UserId::from_uuid),
        case_restricted: get::<Option<bool>>(row, "case_restricted")?.unwrap_or(false),
        case_team: team(row)?,
    })
}

fn entry_list_from_row(row: &PgRow) -> StoreResult<EntryListRow> {
    Ok(EntryListRow {
        entry: entry_from_row(row)?,
        case_number: get(row, "case_number")?,
        case_restricted: get(row, "case_restricted")?,
        case_team: team(row)?,
    })
}

// --- reads

pub(crate) async fn case_entry(pool: &PgPool, id: EntryId) -> StoreResult<Option<CaseEntryRow>> {
    let row = sqlx::query(concat!("SELECT ", entry_columns!(), " FROM case_entries e WHERE e.id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(entry_from_row).transpose()
}

pub(crate) async fn case_entries(pool: &PgPool, case: CaseId, kinds: &[String]) -> StoreResult<Vec<CaseEntryRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        entry_columns!(),
        " FROM case_entries e WHERE e.case_id = $1 AND (cardinality($2::text[]) = 0 OR e.kind = ANY($2))
         ORDER BY e.on_date, e.created_at, e.id"
    ))
    .bind(case.as_uuid())
    .bind(kinds)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(entry_from_row).collect()
}

/// Restricted cases (alias `c`) only for the viewer named on them.
fn push_visible(sql: &mut QueryBuilder<'static, Postgres>, viewer: UserId) {
    sql.push(" AND (NOT c.restricted OR c.id IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
        .push_bind(*viewer.as_uuid())
        .push("))");
}

fn entries_between_query(q: &EntryQuery) -> QueryBuilder<'static, Postgres> {
    let mut sql = QueryBuilder::new(concat!("SELECT ", entry_columns!(), ", ", case_context!(), " FROM "));
    match q.member {
        Some(member) => {
            sql.push(
                "case_entries e JOIN cases c ON c.id = e.case_id WHERE e.id IN (
                   SELECT e2.id FROM case_team m JOIN case_entries e2 ON e2.case_id = m.case_id
                   WHERE m.user_id = ",
            )
            .push_bind(*member.as_uuid())
            .push(" AND e2.on_date BETWEEN ")
            .push_bind(q.from)
            .push(" AND ")
            .push_bind(q.to)
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
                .push_bind(q.from)
                .push(" AND ")
                .push_bind(q.to);
        }
    }
    if let Some(status) = &q.status {
        sql.push(" AND e.status = ").push_bind(status.clone());
    }
    push_visible(&mut sql, q.viewer);
    sql.push(" ORDER BY e.on_date, e.created_at, e.id LIMIT ").push_bind(q.limit.max(0));
    sql
}

pub(crate) async fn entries_between(pool: &PgPool, q: &EntryQuery) -> StoreResult<Vec<EntryListRow>> {
    let rows = entries_between_query(q).build().fetch_all(pool).await.map_err(map_err)?;
    rows.iter().map(entry_list_from_row).collect()
}

pub(crate) async fn last_contact(pool: &PgPool, case: CaseId) -> StoreResult<Option<NaiveDate>> {
    let row: Option<(Option<NaiveDate>,)> = sqlx::query_as("SELECT last_contact_on FROM cases WHERE id = $1")
        .bind(case.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    Ok(row.and_then(|(d,)| d))
}

pub(crate) async fn task(pool: &PgPool, id: TaskId) -> StoreResult<Option<TaskRow>> {
    let row = sqlx::query(concat!("SELECT ", task_columns!(), " FROM tasks t WHERE t.id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(task_from_row).transpose()
}

pub(crate) async fn tasks_of_source(pool: &PgPool, source: Uuid) -> StoreResult<Vec<TaskRow>> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        task_columns!(),
        " FROM tasks t WHERE t.source_id = $1 AND t.done_at IS NULL ORDER BY t.kind"
    ))
    .bind(source)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(task_from_row).collect()
}

/// The ids of the open tasks a member works on (their cases' tasks and those assigned to
/// them), due before a day (and from a day).
fn push_member_tasks(
    sql: &mut QueryBuilder<'static, Postgres>,
    org: OrgId,
    member: UserId,
    before: NaiveDate,
    from: Option<NaiveDate>,
) {
    sql.push("SELECT t2.id FROM case_team m JOIN tasks t2 ON t2.case_id = m.case_id WHERE m.user_id = ")
        .push_bind(*member.as_uuid())
        .push(" AND t2.done_at IS NULL AND t2.due_on < ")
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
fn push_task_visible(sql: &mut QueryBuilder<'static, Postgres>, org: OrgId, viewer: UserId) {
    sql.push(" AND (t.case_id IS NULL OR t.case_id NOT IN (SELECT r.id FROM cases r WHERE r.org_id = ")
        .push_bind(*org.as_uuid())
        .push(" AND r.restricted AND r.id NOT IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
        .push_bind(*viewer.as_uuid())
        .push(")))");
}

fn tasks_due_query(q: &TaskQuery) -> QueryBuilder<'static, Postgres> {
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
            push_member_tasks(&mut sql, q.org, member, q.due_before, q.due_from);
            sql.push(")");
        }
        None => {
            sql.push("t.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND t.done_at IS NULL AND t.due_on < ")
                .push_bind(q.due_before);
            if let Some(from) = q.due_from {
                sql.push(" AND t.due_on >= ").push_bind(from);
            }
        }
    }
    if !q.kinds.is_empty() {
        sql.push(" AND t.kind = ANY(").push_bind(q.kinds.clone()).push(")");
    }
    push_task_visible(&mut sql, q.org, q.viewer);
    sql.push(" ORDER BY t.due_on, t.id LIMIT ").push_bind(q.limit.max(0));
    sql
}

pub(crate) async fn tasks_due(pool: &PgPool, q: &TaskQuery) -> StoreResult<Vec<TaskListRow>> {
    let rows = tasks_due_query(q).build().fetch_all(pool).await.map_err(map_err)?;
    rows.iter().map(task_list_from_row).collect()
}

/// `FROM … WHERE …` of the cases in the dashboard's scope (alias `c`).
fn push_scope_cases(sql: &mut QueryBuilder<'static, Postgres>, q: &DashboardQuery) {
    match q.member {
        Some(member) => {
            sql.push(" FROM case_team m JOIN cases c ON c.id = m.case_id WHERE m.user_id = ")
                .push_bind(*member.as_uuid())
                .push(" AND c.org_id = ")
                .push_bind(*q.org.as_uuid());
        }
        None => {
            sql.push(" FROM cases c WHERE c.org_id = ").push_bind(*q.org.as_uuid());
        }
    }
    push_visible(sql, q.viewer);
}

fn dashboard_queries(q: &DashboardQuery) -> [QueryBuilder<'static, Postgres>; 5] {
    let (today, until) = (q.today, q.upcoming_until);

    let by_status = match q.member {
        Some(_) => {
            let mut sql = QueryBuilder::new("SELECT c.status AS status, count(*) AS n");
            push_scope_cases(&mut sql, q);
            sql.push(" GROUP BY c.status ORDER BY c.status");
            sql
        }
        // The organisation's count from the status index, less the restricted cases the viewer
        // is not named on (from their own small index).
        None => {
            let mut sql = QueryBuilder::new(
                "SELECT status, sum(n)::bigint AS n FROM (SELECT c.status AS status, count(*) AS n FROM cases c
                 WHERE c.org_id = ",
            );
            sql.push_bind(*q.org.as_uuid())
                .push(" GROUP BY c.status UNION ALL SELECT r.status, -count(*) FROM cases r WHERE r.org_id = ")
                .push_bind(*q.org.as_uuid())
                .push(" AND r.restricted AND r.id NOT IN (SELECT x.case_id FROM case_team x WHERE x.user_id = ")
                .push_bind(*q.viewer.as_uuid())
                .push(") GROUP BY r.status) s GROUP BY status HAVING sum(n) > 0 ORDER BY status");
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
            push_member_tasks(&mut deadlines, q.org, member, until + chrono::Duration::days(1), Some(today));
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
    deadlines.push(" AND t.kind = ANY(").push_bind(q.deadline_kinds.clone()).push(")");
    push_task_visible(&mut deadlines, q.org, q.viewer);

    let mut appointments = QueryBuilder::new("SELECT count(*) AS n");
    match q.member {
        Some(member) => {
            appointments
                .push(
                    " FROM case_team m JOIN case_entries e ON e.case_id = m.case_id JOIN cases c ON c.id = e.case_id
                     WHERE m.user_id = ",
                )
                .push_bind(*member.as_uuid());
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
        .push_bind(q.no_contact_before)
        .push(") AND NOT (c.status = ANY(")
        .push_bind(q.closed_statuses.clone())
        .push("))");

    [by_status, overdue, appointments, deadlines, no_contact]
}

pub(crate) async fn dashboard(pool: &PgPool, q: &DashboardQuery) -> StoreResult<DashboardCounts> {
    let [mut by_status, mut overdue, mut appointments, mut deadlines, mut no_contact] = dashboard_queries(q);
    // Independent reads: asked at once, each on its own connection of the pool.
    let count = |row: Result<PgRow, sqlx::Error>| get::<i64>(&row.map_err(map_err)?, "n");
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

async fn entry_for_update(conn: &mut PgConnection, id: EntryId) -> StoreResult<Option<CaseEntryRow>> {
    let row = sqlx::query(concat!("SELECT ", entry_columns!(), " FROM case_entries e WHERE e.id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(map_err)?;
    row.as_ref().map(entry_from_row).transpose()
}

pub(crate) async fn insert_case_entry(conn: &mut PgConnection, row: &CaseEntryRow) -> StoreResult<()> {
    // Taken from the case row: the entry cannot name a person or organisation its case has not.
    let done = sqlx::query(
        "INSERT INTO case_entries (id, org_id, case_id, person_id, kind, code, status, on_date, due_on, minutes,
                                   staff_id, coded, sealed, restricted, version, created_by, created_at, updated_at)
         SELECT $1, org_id, id, person_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
         FROM cases WHERE id = $16 AND org_id = $17 AND person_id = $18",
    )
    .bind(row.id.as_uuid())
    .bind(&row.kind)
    .bind(row.code.as_deref())
    .bind(row.status.as_deref())
    .bind(row.on_date)
    .bind(row.due_on)
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

pub(crate) async fn update_case_entry(conn: &mut PgConnection, row: &CaseEntryRow) -> StoreResult<CaseEntryRow> {
    let updated_at = Utc::now().trunc_subsecs(6);
    let done = sqlx::query(
        "UPDATE case_entries
         SET code = $1, status = $2, on_date = $3, due_on = $4, minutes = $5, staff_id = $6, coded = $7,
             sealed = $8, restricted = $9, version = version + 1, updated_at = $10
         WHERE id = $11 AND version = $12",
    )
    .bind(row.code.as_deref())
    .bind(row.status.as_deref())
    .bind(row.on_date)
    .bind(row.due_on)
    .bind(row.minutes)
    .bind(row.staff.map(|u| *u.as_uuid()))
    .bind(&row.coded)
    .bind(row.sealed.as_deref())
    .bind(row.restricted.as_deref())
    .bind(updated_at)
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

pub(crate) async fn insert_task(conn: &mut PgConnection, row: &TaskRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO tasks (id, org_id, person_id, case_id, kind, source_id, due_on, assigned_to, title, done_at,
                            done_by, version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.case.map(|c| *c.as_uuid()))
    .bind(&row.kind)
    .bind(row.source)
    .bind(row.due_on)
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

pub(crate) async fn replace_derived_tasks(conn: &mut PgConnection, source: Uuid, tasks: &[TaskRow]) -> StoreResult<()> {
    let kinds: Vec<String> = tasks.iter().map(|t| t.kind.clone()).collect();
    sqlx::query("DELETE FROM tasks WHERE source_id = $1 AND done_at IS NULL AND NOT (kind = ANY($2))")
        .bind(source)
        .bind(&kinds)
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL, $9, $10)
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
        .bind(t.due_on)
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
    conn: &mut PgConnection,
    id: TaskId,
    version: i64,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> StoreResult<TaskRow> {
    let done = sqlx::query(
        "UPDATE tasks SET done_at = $1, done_by = $2, version = version + 1 WHERE id = $3 AND version = $4",
    )
    .bind(micros(at))
    .bind(by.map(|u| *u.as_uuid()))
    .bind(id.as_uuid())
    .bind(version)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    let row = sqlx::query(concat!("SELECT ", task_columns!(), " FROM tasks t WHERE t.id = $1"))
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
    conn: &mut PgConnection,
    person: PersonId,
    case: Option<CaseId>,
    on: NaiveDate,
) -> StoreResult<()> {
    // greatest() ignores NULLs: a first contact sets the day.
    sqlx::query(
        "UPDATE cases SET last_contact_on = greatest(last_contact_on, $1)
         WHERE person_id = $2 AND ($3::uuid IS NULL OR id = $3)",
    )
    .bind(on)
    .bind(person.as_uuid())
    .bind(case.map(|c| *c.as_uuid()))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn attach_person_tasks(conn: &mut PgConnection, person: PersonId, case: CaseId) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tasks SET case_id = $1 WHERE person_id = $2 AND case_id IS NULL AND done_at IS NULL
           AND org_id = (SELECT org_id FROM cases WHERE id = $1 AND person_id = $2)",
    )
    .bind(case.as_uuid())
    .bind(person.as_uuid())
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn insert_case_entries(conn: &mut PgConnection, rows: &[CaseEntryRow]) -> StoreResult<()> {
    // One statement each: PostgreSQL seeds over the network far less often than SQLite does,
    // and the single insert's checks are the batch's.
    for r in rows {
        insert_case_entry(&mut *conn, r).await?;
    }
    Ok(())
}

pub(crate) async fn insert_tasks(conn: &mut PgConnection, rows: &[TaskRow]) -> StoreResult<()> {
    for r in rows {
        insert_task(&mut *conn, r).await?;
    }
    Ok(())
}
