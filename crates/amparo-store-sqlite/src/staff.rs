//! People of the organisation and private check-ins.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use uuid::Uuid;

use amparo_domain::{OrgId, UserId};
use amparo_store::{
    AccessPolicyRow, CheckInRow, StaffProfileRow, StoreError, StoreResult, TrainingRow, WellbeingKeyRow,
};

use crate::error::map_err;
use crate::records::{date, days, opt_date, opt_uuid};
use crate::{get, micros, time, uuid};

fn profile_from_row(row: &SqliteRow) -> StoreResult<StaffProfileRow> {
    Ok(StaffProfileRow {
        user: UserId::from_uuid(uuid(row, "user_id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        start_date: opt_date(row, "start_date")?,
        languages: get(row, "languages")?,
        backgrounds: get(row, "backgrounds")?,
        availability: get(row, "availability")?,
        version: get(row, "version")?,
        updated_at: time(row, "updated_at")?,
    })
}

const SELECT_PROFILE: &str = "SELECT user_id, org_id, start_date, languages, backgrounds, availability, version, updated_at FROM staff_profiles ";

pub(crate) async fn profile(pool: &SqlitePool, user: UserId) -> StoreResult<Option<StaffProfileRow>> {
    let row = sqlx::query(&format!("{SELECT_PROFILE} WHERE user_id = ?"))
        .bind(user.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(profile_from_row).transpose()
}

pub(crate) async fn profiles(pool: &SqlitePool, org: OrgId) -> StoreResult<Vec<StaffProfileRow>> {
    let rows = sqlx::query(&format!("{SELECT_PROFILE} WHERE org_id = ? ORDER BY user_id"))
        .bind(org.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(profile_from_row).collect()
}

fn training_from_row(row: &SqliteRow) -> StoreResult<TrainingRow> {
    Ok(TrainingRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        user: UserId::from_uuid(uuid(row, "user_id")?),
        course: get(row, "course")?,
        completed_on: date(row, "completed_on")?,
        expires_on: opt_date(row, "expires_on")?,
        recorded_by: opt_uuid(row, "recorded_by")?.map(UserId::from_uuid),
        recorded_at: time(row, "recorded_at")?,
    })
}

pub(crate) async fn trainings(pool: &SqlitePool, user: UserId) -> StoreResult<Vec<TrainingRow>> {
    let rows = sqlx::query(
        "SELECT id, org_id, user_id, course, completed_on, expires_on, recorded_by, recorded_at
         FROM staff_trainings WHERE user_id = ? ORDER BY completed_on DESC, id",
    )
    .bind(user.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(training_from_row).collect()
}

pub(crate) async fn policy(pool: &SqlitePool, org: OrgId) -> StoreResult<Option<AccessPolicyRow>> {
    let row = sqlx::query(
        "SELECT org_id, months, required_courses, roles, version, updated_at FROM staff_access_policies WHERE org_id = ?",
    )
    .bind(org.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.map(|r| {
        Ok(AccessPolicyRow {
            org: OrgId::from_uuid(uuid(&r, "org_id")?),
            months: get(&r, "months")?,
            required_courses: get(&r, "required_courses")?,
            roles: get(&r, "roles")?,
            version: get(&r, "version")?,
            updated_at: time(&r, "updated_at")?,
        })
    })
    .transpose()
}

pub(crate) async fn key(pool: &SqlitePool, user: UserId) -> StoreResult<Option<WellbeingKeyRow>> {
    let row = sqlx::query("SELECT user_id, org_id, wrapped_key FROM wellbeing_keys WHERE user_id = ?")
        .bind(user.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.map(|r| {
        Ok(WellbeingKeyRow {
            user: UserId::from_uuid(uuid(&r, "user_id")?),
            org: OrgId::from_uuid(uuid(&r, "org_id")?),
            wrapped_key: get(&r, "wrapped_key")?,
        })
    })
    .transpose()
}

fn checkin_from_row(row: &SqliteRow) -> StoreResult<CheckInRow> {
    Ok(CheckInRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        user: UserId::from_uuid(uuid(row, "user_id")?),
        instrument: get(row, "instrument")?,
        instrument_version: get(row, "instrument_version")?,
        period: get(row, "period")?,
        taken_at: time(row, "taken_at")?,
        sealed: get(row, "sealed")?,
    })
}

const SELECT_CHECKIN: &str =
    "SELECT id, org_id, user_id, instrument, instrument_version, period, taken_at, sealed FROM wellbeing_checkins ";

pub(crate) async fn checkins_of(pool: &SqlitePool, user: UserId, limit: i64) -> StoreResult<Vec<CheckInRow>> {
    let rows = sqlx::query(&format!("{SELECT_CHECKIN} WHERE user_id = ? ORDER BY taken_at DESC, id LIMIT ?"))
        .bind(user.as_uuid())
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(checkin_from_row).collect()
}

pub(crate) async fn respondents(pool: &SqlitePool, org: OrgId, instrument: &str, period: &str) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT user_id) FROM wellbeing_checkins WHERE org_id = ? AND instrument = ? AND period = ?",
    )
    .bind(org.as_uuid())
    .bind(instrument)
    .bind(period)
    .fetch_one(pool)
    .await
    .map_err(map_err)?;
    Ok(n)
}

pub(crate) async fn in_period(
    pool: &SqlitePool,
    org: OrgId,
    instrument: &str,
    period: &str,
) -> StoreResult<Vec<CheckInRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT_CHECKIN} WHERE org_id = ? AND instrument = ? AND period = ? ORDER BY user_id, taken_at, id"
    ))
    .bind(org.as_uuid())
    .bind(instrument)
    .bind(period)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(checkin_from_row).collect()
}

pub(crate) async fn periods(pool: &SqlitePool, org: OrgId, instrument: &str, limit: i64) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT period FROM wellbeing_checkins WHERE org_id = ? AND instrument = ? ORDER BY period DESC LIMIT ?",
    )
    .bind(org.as_uuid())
    .bind(instrument)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

pub(crate) async fn save_profile(conn: &mut SqliteConnection, row: &StaffProfileRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO staff_profiles (user_id, org_id, start_date, languages, backgrounds, availability, version, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(row.user.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.start_date.map(days))
        .bind(&row.languages)
        .bind(&row.backgrounds)
        .bind(&row.availability)
        .bind(micros(row.updated_at))
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query(
            "UPDATE staff_profiles SET start_date = ?, languages = ?, backgrounds = ?, availability = ?, version = ?,
                    updated_at = ?
             WHERE user_id = ? AND org_id = ? AND version = ?",
        )
        .bind(row.start_date.map(days))
        .bind(&row.languages)
        .bind(&row.backgrounds)
        .bind(&row.availability)
        .bind(row.version)
        .bind(micros(row.updated_at))
        .bind(row.user.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.version - 1)
        .execute(&mut *conn)
        .await
    }
    .map_err(map_err)?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict) }
}

pub(crate) async fn insert_training(conn: &mut SqliteConnection, row: &TrainingRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO staff_trainings (id, org_id, user_id, course, completed_on, expires_on, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id)
    .bind(row.org.as_uuid())
    .bind(row.user.as_uuid())
    .bind(&row.course)
    .bind(days(row.completed_on))
    .bind(row.expires_on.map(days))
    .bind(row.recorded_by.map(|u| *u.as_uuid()))
    .bind(micros(row.recorded_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn delete_training(
    conn: &mut SqliteConnection,
    org: OrgId,
    user: UserId,
    id: Uuid,
) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM staff_trainings WHERE id = ? AND org_id = ? AND user_id = ?")
        .bind(id)
        .bind(org.as_uuid())
        .bind(user.as_uuid())
        .execute(conn)
        .await
        .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn save_policy(conn: &mut SqliteConnection, row: &AccessPolicyRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO staff_access_policies (org_id, months, required_courses, roles, version, updated_at)
             VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (org_id) DO NOTHING",
        )
        .bind(row.org.as_uuid())
        .bind(row.months)
        .bind(&row.required_courses)
        .bind(&row.roles)
        .bind(micros(row.updated_at))
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query(
            "UPDATE staff_access_policies SET months = ?, required_courses = ?, roles = ?, version = ?, updated_at = ?
             WHERE org_id = ? AND version = ?",
        )
        .bind(row.months)
        .bind(&row.required_courses)
        .bind(&row.roles)
        .bind(row.version)
        .bind(micros(row.updated_at))
        .bind(row.org.as_uuid())
        .bind(row.version - 1)
        .execute(&mut *conn)
        .await
    }
    .map_err(map_err)?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(StoreError::Conflict) }
}

pub(crate) async fn insert_key(conn: &mut SqliteConnection, row: &WellbeingKeyRow) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO wellbeing_keys (user_id, org_id, wrapped_key) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(row.user.as_uuid())
    .bind(row.org.as_uuid())
    .bind(&row.wrapped_key)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn insert_checkin(conn: &mut SqliteConnection, row: &CheckInRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO wellbeing_checkins (id, org_id, user_id, instrument, instrument_version, period, taken_at, sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id)
    .bind(row.org.as_uuid())
    .bind(row.user.as_uuid())
    .bind(&row.instrument)
    .bind(&row.instrument_version)
    .bind(&row.period)
    .bind(micros(row.taken_at))
    .bind(&row.sealed)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
