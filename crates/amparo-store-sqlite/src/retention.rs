//! Retention: rules, what is due, purge markers and runs.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};

use amparo_domain::retention::RetentionRule;
use amparo_domain::{OrgId, PersonId, UserId};
use amparo_store::{
    RetentionCandidate, RetentionDue, RetentionPurgeRow, RetentionRuleRow, RetentionRunRow, StoreResult,
};

use crate::error::map_err;
use crate::records::{days, opt_uuid};
use crate::{get, micros, time, uuid};

/// A case is closed while its status says so (a reopened case keeps its old `closed_on`).
const CLOSED: &str = "c.status IN ('Closed', 'ClosedReferred') AND c.closed_on IS NOT NULL";

fn rule_from_row(row: &SqliteRow) -> StoreResult<RetentionRuleRow> {
    Ok(RetentionRuleRow {
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        rule: get(row, "rule")?,
        months: get(row, "months")?,
        updated_by: opt_uuid(row, "updated_by")?.map(UserId::from_uuid),
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) async fn rules(pool: &SqlitePool, org: OrgId) -> StoreResult<Vec<RetentionRuleRow>> {
    let rows = sqlx::query(
        "SELECT org_id, rule, months, updated_by, updated_at FROM retention_rules WHERE org_id = ? ORDER BY rule",
    )
    .bind(org.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(rule_from_row).collect()
}

pub(crate) async fn orgs(pool: &SqlitePool) -> StoreResult<Vec<OrgId>> {
    let rows: Vec<(uuid::Uuid,)> = sqlx::query_as("SELECT DISTINCT org_id FROM retention_rules ORDER BY org_id")
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    Ok(rows.into_iter().map(|(o,)| OrgId::from_uuid(o)).collect())
}

/// The person's column a person rule looks at (None: the whole person).
fn person_column(rule: RetentionRule) -> Option<&'static str> {
    match rule {
        RetentionRule::PersonNarrative => Some("narrative"),
        RetentionRule::PersonSafeContact => Some("safe_contact"),
        RetentionRule::CaseNotes | RetentionRule::ErasePerson => None,
    }
}

pub(crate) async fn candidates(pool: &SqlitePool, due: &RetentionDue) -> StoreResult<Vec<RetentionCandidate>> {
    let sql = match due.rule {
        RetentionRule::CaseNotes => format!(
            "SELECT e.person_id AS person_id, e.id AS record_id, c.number AS case_number
               FROM cases c JOIN case_entries e ON e.case_id = c.id
              WHERE c.org_id = ?1 AND c.closed_on <= ?2 AND {CLOSED}
                AND e.kind = 'note' AND e.sealed IS NOT NULL
              ORDER BY e.id LIMIT ?3"
        ),
        rule => {
            let held = person_column(rule).map(|c| format!("AND p.{c} IS NOT NULL")).unwrap_or_default();
            // Starting from the cases closed long enough ago (an index range), then every case
            // of each such person must be closed, the last of them on or before the day.
            format!(
                "SELECT p.id AS person_id, p.id AS record_id, MAX(c.number) AS case_number
                   FROM persons p JOIN cases c ON c.person_id = p.id
                  WHERE p.org_id = ?1 {held}
                    AND p.id IN (SELECT person_id FROM cases WHERE org_id = ?1 AND closed_on <= ?2)
                  GROUP BY p.id
                 HAVING SUM(CASE WHEN {CLOSED} THEN 0 ELSE 1 END) = 0 AND MAX(c.closed_on) <= ?2
                  ORDER BY p.id LIMIT ?3"
            )
        }
    };
    let rows = sqlx::query(&sql)
        .bind(due.org.as_uuid())
        .bind(days(due.closed_on_or_before))
        .bind(due.limit)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter()
        .map(|r| {
            Ok(RetentionCandidate {
                person: PersonId::from_uuid(uuid(r, "person_id")?),
                record: uuid(r, "record_id")?,
                case_number: get(r, "case_number")?,
            })
        })
        .collect()
}

pub(crate) async fn purges_of_person(pool: &SqlitePool, person: PersonId) -> StoreResult<Vec<RetentionPurgeRow>> {
    let rows = sqlx::query(
        "SELECT person_id, org_id, record_id, rule, purged_at FROM retention_purges
          WHERE person_id = ? ORDER BY purged_at, record_id, rule",
    )
    .bind(person.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter()
        .map(|r| {
            Ok(RetentionPurgeRow {
                org: OrgId::from_uuid(uuid(r, "org_id")?),
                person: PersonId::from_uuid(uuid(r, "person_id")?),
                record: uuid(r, "record_id")?,
                rule: get(r, "rule")?,
                purged_at: time(r, "purged_at")?,
            })
        })
        .collect()
}

pub(crate) async fn runs(pool: &SqlitePool, org: OrgId, limit: i64) -> StoreResult<Vec<RetentionRunRow>> {
    let rows = sqlx::query(
        "SELECT id, org_id, ran_at, ran_by, channel, counts FROM retention_runs
          WHERE org_id = ? ORDER BY ran_at DESC, id LIMIT ?",
    )
    .bind(org.as_uuid())
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter()
        .map(|r| {
            Ok(RetentionRunRow {
                id: uuid(r, "id")?,
                org: OrgId::from_uuid(uuid(r, "org_id")?),
                ran_at: time(r, "ran_at")?,
                ran_by: opt_uuid(r, "ran_by")?.map(UserId::from_uuid),
                channel: get(r, "channel")?,
                counts: get(r, "counts")?,
            })
        })
        .collect()
}

pub(crate) async fn replace_rules(
    conn: &mut SqliteConnection,
    org: OrgId,
    rules: &[RetentionRuleRow],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM retention_rules WHERE org_id = ?")
        .bind(org.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    for r in rules {
        sqlx::query(
            "INSERT INTO retention_rules (org_id, rule, months, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(org.as_uuid())
        .bind(&r.rule)
        .bind(r.months)
        .bind(r.updated_by.map(|u| *u.as_uuid()))
        .bind(micros(r.updated_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) async fn purge_field(
    conn: &mut SqliteConnection,
    org: OrgId,
    rule: RetentionRule,
    record: uuid::Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> StoreResult<bool> {
    let sql = match rule {
        RetentionRule::PersonNarrative => {
            "UPDATE persons SET narrative = NULL, version = version + 1, updated_at = ?3
              WHERE id = ?1 AND org_id = ?2 AND narrative IS NOT NULL"
        }
        RetentionRule::PersonSafeContact => {
            "UPDATE persons SET safe_contact = NULL, version = version + 1, updated_at = ?3
              WHERE id = ?1 AND org_id = ?2 AND safe_contact IS NOT NULL"
        }
        RetentionRule::CaseNotes => {
            "UPDATE case_entries SET sealed = NULL, version = version + 1, updated_at = ?3
              WHERE id = ?1 AND org_id = ?2 AND kind = 'note' AND sealed IS NOT NULL"
        }
        RetentionRule::ErasePerson => return Ok(false),
    };
    let done = sqlx::query(sql)
        .bind(record)
        .bind(org.as_uuid())
        .bind(micros(at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(done.rows_affected() > 0)
}

pub(crate) async fn insert_purge(conn: &mut SqliteConnection, r: &RetentionPurgeRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO retention_purges (person_id, org_id, record_id, rule, purged_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (person_id, record_id, rule) DO UPDATE SET purged_at = excluded.purged_at",
    )
    .bind(r.person.as_uuid())
    .bind(r.org.as_uuid())
    .bind(r.record)
    .bind(&r.rule)
    .bind(micros(r.purged_at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn insert_run(conn: &mut SqliteConnection, r: &RetentionRunRow) -> StoreResult<()> {
    sqlx::query("INSERT INTO retention_runs (id, org_id, ran_at, ran_by, channel, counts) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(r.id)
        .bind(r.org.as_uuid())
        .bind(micros(r.ran_at))
        .bind(r.ran_by.map(|u| *u.as_uuid()))
        .bind(&r.channel)
        .bind(&r.counts)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}
