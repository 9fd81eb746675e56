//! Shelter beds: houses, beds, stays, the waiting list, rules and the house log.

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};

use amparo_domain::shelters::{BedId, HouseId, HouseLogId, StayId, WaitlistId};
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{
    BedRow, HouseLogRow, HouseRow, HouseRuleRow, StayPlaced, StayRow, StoreError, StoreResult, WaitlistRow,
};

use crate::error::map_err;
use crate::records::{date, days, list, list_column, opt_uuid};
use crate::{get, micros, opt_time, time, uuid};

const HOUSE_COLUMNS: &str =
    "id, org_id, name, kind, eligibility, wrapped_key, address, created_by, created_at, version";
const BED_COLUMNS: &str = "id, house_id, org_id, room, label, created_at";
const STAY_COLUMNS: &str = "id, org_id, house_id, bed_id, person_id, case_id, checked_in_at, checked_in_by,
     rules_language, rules_version, checked_out_at, checked_out_by, checkout_reason";
const WAIT_COLUMNS: &str =
    "id, org_id, house_id, person_id, requested_on, priority, notes, status, added_by, added_at, closed_at";
const RULE_COLUMNS: &str = "house_id, org_id, language, version, text, written_by, written_at";
const LOG_COLUMNS: &str = "id, house_id, org_id, on_date, text, written_by, written_at";

fn user(row: &SqliteRow, column: &'static str) -> StoreResult<Option<UserId>> {
    Ok(opt_uuid(row, column)?.map(UserId::from_uuid))
}

fn house_from_row(row: &SqliteRow) -> StoreResult<HouseRow> {
    Ok(HouseRow {
        id: HouseId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        name: get(row, "name")?,
        kind: get(row, "kind")?,
        eligibility: list_column(row, "eligibility")?,
        wrapped_key: get(row, "wrapped_key")?,
        address: get(row, "address")?,
        created_by: user(row, "created_by")?,
        created_at: time(row, "created_at")?,
        version: get(row, "version")?,
    })
}

fn bed_from_row(row: &SqliteRow) -> StoreResult<BedRow> {
    Ok(BedRow {
        id: BedId::from_uuid(uuid(row, "id")?),
        house: HouseId::from_uuid(uuid(row, "house_id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        room: get(row, "room")?,
        label: get(row, "label")?,
        created_at: time(row, "created_at")?,
    })
}

fn stay_from_row(row: &SqliteRow) -> StoreResult<StayRow> {
    Ok(StayRow {
        id: StayId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        house: HouseId::from_uuid(uuid(row, "house_id")?),
        bed: BedId::from_uuid(uuid(row, "bed_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        case: opt_uuid(row, "case_id")?.map(CaseId::from_uuid),
        checked_in_at: time(row, "checked_in_at")?,
        checked_in_by: user(row, "checked_in_by")?,
        rules_language: get(row, "rules_language")?,
        rules_version: get(row, "rules_version")?,
        checked_out_at: opt_time(row, "checked_out_at")?,
        checked_out_by: user(row, "checked_out_by")?,
        checkout_reason: get(row, "checkout_reason")?,
    })
}

fn wait_from_row(row: &SqliteRow) -> StoreResult<WaitlistRow> {
    Ok(WaitlistRow {
        id: WaitlistId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        house: HouseId::from_uuid(uuid(row, "house_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        requested_on: date(row, "requested_on")?,
        priority: get(row, "priority")?,
        notes: get(row, "notes")?,
        status: get(row, "status")?,
        added_by: user(row, "added_by")?,
        added_at: time(row, "added_at")?,
        closed_at: opt_time(row, "closed_at")?,
    })
}

fn rule_from_row(row: &SqliteRow) -> StoreResult<HouseRuleRow> {
    Ok(HouseRuleRow {
        house: HouseId::from_uuid(uuid(row, "house_id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        language: get(row, "language")?,
        version: get(row, "version")?,
        text: get(row, "text")?,
        written_by: user(row, "written_by")?,
        written_at: time(row, "written_at")?,
    })
}

fn log_from_row(row: &SqliteRow) -> StoreResult<HouseLogRow> {
    Ok(HouseLogRow {
        id: HouseLogId::from_uuid(uuid(row, "id")?),
        house: HouseId::from_uuid(uuid(row, "house_id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        on_date: date(row, "on_date")?,
        text: get(row, "text")?,
        written_by: user(row, "written_by")?,
        written_at: time(row, "written_at")?,
    })
}

pub(crate) async fn houses(pool: &SqlitePool, org: OrgId) -> StoreResult<Vec<HouseRow>> {
    let rows = sqlx::query(&format!("SELECT {HOUSE_COLUMNS} FROM shelter_houses WHERE org_id = ? ORDER BY name, id"))
        .bind(org.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(house_from_row).collect()
}

pub(crate) async fn house(pool: &SqlitePool, id: HouseId) -> StoreResult<Option<HouseRow>> {
    let row = sqlx::query(&format!("SELECT {HOUSE_COLUMNS} FROM shelter_houses WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(house_from_row).transpose()
}

pub(crate) async fn beds(pool: &SqlitePool, org: OrgId) -> StoreResult<Vec<BedRow>> {
    let rows =
        sqlx::query(&format!("SELECT {BED_COLUMNS} FROM shelter_beds WHERE org_id = ? ORDER BY house_id, room, label"))
            .bind(org.as_uuid())
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(bed_from_row).collect()
}

pub(crate) async fn bed(pool: &SqlitePool, id: BedId) -> StoreResult<Option<BedRow>> {
    let row = sqlx::query(&format!("SELECT {BED_COLUMNS} FROM shelter_beds WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(bed_from_row).transpose()
}

pub(crate) async fn open_stays(pool: &SqlitePool, org: OrgId) -> StoreResult<Vec<StayRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {STAY_COLUMNS} FROM shelter_stays WHERE org_id = ? AND checked_out_at IS NULL ORDER BY checked_in_at, id"
    ))
    .bind(org.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(stay_from_row).collect()
}

pub(crate) async fn stay(pool: &SqlitePool, id: StayId) -> StoreResult<Option<StayRow>> {
    let row = sqlx::query(&format!("SELECT {STAY_COLUMNS} FROM shelter_stays WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(stay_from_row).transpose()
}

pub(crate) async fn stays_of_person(pool: &SqlitePool, person: PersonId) -> StoreResult<Vec<StayRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {STAY_COLUMNS} FROM shelter_stays WHERE person_id = ? ORDER BY checked_in_at DESC, id"
    ))
    .bind(person.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(stay_from_row).collect()
}

pub(crate) async fn waitlist(pool: &SqlitePool, house: HouseId) -> StoreResult<Vec<WaitlistRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {WAIT_COLUMNS} FROM shelter_waitlist WHERE house_id = ? AND status = 'waiting'
         ORDER BY CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, requested_on, added_at, id"
    ))
    .bind(house.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(wait_from_row).collect()
}

pub(crate) async fn waitlist_entry(pool: &SqlitePool, id: WaitlistId) -> StoreResult<Option<WaitlistRow>> {
    let row = sqlx::query(&format!("SELECT {WAIT_COLUMNS} FROM shelter_waitlist WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(wait_from_row).transpose()
}

pub(crate) async fn rules(pool: &SqlitePool, house: HouseId) -> StoreResult<Vec<HouseRuleRow>> {
    let rows =
        sqlx::query(&format!("SELECT {RULE_COLUMNS} FROM shelter_rules WHERE house_id = ? ORDER BY language, version"))
            .bind(house.as_uuid())
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(rule_from_row).collect()
}

pub(crate) async fn log(pool: &SqlitePool, house: HouseId, limit: i64) -> StoreResult<Vec<HouseLogRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {LOG_COLUMNS} FROM shelter_log WHERE house_id = ?
         ORDER BY on_date DESC, written_at DESC, id LIMIT ?"
    ))
    .bind(house.as_uuid())
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(log_from_row).collect()
}

pub(crate) async fn insert_house(conn: &mut SqliteConnection, r: &HouseRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO shelter_houses ({HOUSE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .bind(r.id.as_uuid())
        .bind(r.org.as_uuid())
        .bind(&r.name)
        .bind(&r.kind)
        .bind(list(&r.eligibility)?)
        .bind(&r.wrapped_key)
        .bind(&r.address)
        .bind(r.created_by.map(|u| *u.as_uuid()))
        .bind(micros(r.created_at))
        .bind(r.version)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn insert_bed(conn: &mut SqliteConnection, r: &BedRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO shelter_beds ({BED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"))
        .bind(r.id.as_uuid())
        .bind(r.house.as_uuid())
        .bind(r.org.as_uuid())
        .bind(&r.room)
        .bind(&r.label)
        .bind(micros(r.created_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// The case named by a stay must be the person's, in the same organisation.
async fn check_case(conn: &mut SqliteConnection, r: &StayRow) -> StoreResult<()> {
    let Some(case) = r.case else { return Ok(()) };
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM cases WHERE id = ? AND person_id = ? AND org_id = ?")
        .bind(case.as_uuid())
        .bind(r.person.as_uuid())
        .bind(r.org.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

pub(crate) async fn insert_stay(conn: &mut SqliteConnection, r: &StayRow) -> StoreResult<StayPlaced> {
    check_case(conn, r).await?;
    // Only the open-stay indexes can conflict (the id is new): DO NOTHING turns a second
    // check-in into "no row", and the indexes say which of the two was taken.
    let done = sqlx::query(&format!(
        "INSERT INTO shelter_stays ({STAY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(r.house.as_uuid())
    .bind(r.bed.as_uuid())
    .bind(r.person.as_uuid())
    .bind(r.case.map(|c| *c.as_uuid()))
    .bind(micros(r.checked_in_at))
    .bind(r.checked_in_by.map(|u| *u.as_uuid()))
    .bind(&r.rules_language)
    .bind(r.rules_version)
    .bind(r.checked_out_at.map(micros))
    .bind(r.checked_out_by.map(|u| *u.as_uuid()))
    .bind(&r.checkout_reason)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() == 1 {
        return Ok(StayPlaced::Placed);
    }
    let bed_taken: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM shelter_stays WHERE bed_id = ? AND checked_out_at IS NULL")
            .bind(r.bed.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(map_err)?;
    Ok(if bed_taken.is_some() { StayPlaced::BedOccupied } else { StayPlaced::PersonAlreadyStaying })
}

pub(crate) async fn check_out(
    conn: &mut SqliteConnection,
    org: OrgId,
    id: StayId,
    by: Option<UserId>,
    at: DateTime<Utc>,
    reason: &str,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE shelter_stays SET checked_out_at = ?, checked_out_by = ?, checkout_reason = ?
         WHERE id = ? AND org_id = ? AND checked_out_at IS NULL",
    )
    .bind(micros(at))
    .bind(by.map(|u| *u.as_uuid()))
    .bind(reason)
    .bind(id.as_uuid())
    .bind(org.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn insert_waitlist(conn: &mut SqliteConnection, r: &WaitlistRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO shelter_waitlist ({WAIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .bind(r.id.as_uuid())
        .bind(r.org.as_uuid())
        .bind(r.house.as_uuid())
        .bind(r.person.as_uuid())
        .bind(days(r.requested_on))
        .bind(&r.priority)
        .bind(&r.notes)
        .bind(&r.status)
        .bind(r.added_by.map(|u| *u.as_uuid()))
        .bind(micros(r.added_at))
        .bind(r.closed_at.map(micros))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn close_waitlist(
    conn: &mut SqliteConnection,
    org: OrgId,
    id: WaitlistId,
    status: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE shelter_waitlist SET status = ?, closed_at = ? WHERE id = ? AND org_id = ? AND status = 'waiting'",
    )
    .bind(status)
    .bind(micros(at))
    .bind(id.as_uuid())
    .bind(org.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn place_waiting(
    conn: &mut SqliteConnection,
    house: HouseId,
    person: PersonId,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE shelter_waitlist SET status = 'placed', closed_at = ?
         WHERE house_id = ? AND person_id = ? AND status = 'waiting'",
    )
    .bind(micros(at))
    .bind(house.as_uuid())
    .bind(person.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected())
}

pub(crate) async fn insert_rule(conn: &mut SqliteConnection, r: &HouseRuleRow) -> StoreResult<()> {
    let (newest,): (Option<i64>,) =
        sqlx::query_as("SELECT max(version) FROM shelter_rules WHERE house_id = ? AND language = ?")
            .bind(r.house.as_uuid())
            .bind(&r.language)
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
    if r.version != newest.unwrap_or(0) + 1 {
        return Err(StoreError::Conflict);
    }
    sqlx::query(&format!("INSERT INTO shelter_rules ({RULE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        .bind(r.house.as_uuid())
        .bind(r.org.as_uuid())
        .bind(&r.language)
        .bind(r.version)
        .bind(&r.text)
        .bind(r.written_by.map(|u| *u.as_uuid()))
        .bind(micros(r.written_at))
        .execute(&mut *conn)
        .await
        .map_err(|e| match map_err(e) {
            StoreError::Duplicate => StoreError::Conflict,
            other => other,
        })?;
    Ok(())
}

pub(crate) async fn insert_log(conn: &mut SqliteConnection, r: &HouseLogRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO shelter_log ({LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        .bind(r.id.as_uuid())
        .bind(r.house.as_uuid())
        .bind(r.org.as_uuid())
        .bind(days(r.on_date))
        .bind(&r.text)
        .bind(r.written_by.map(|u| *u.as_uuid()))
        .bind(micros(r.written_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}
