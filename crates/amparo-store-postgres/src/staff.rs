//! People of the organisation and private check-ins.

use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::{OrgId, UserId};
use amparo_store::{
    AccessPolicyRow, CheckInRow, StaffProfileRow, StoreError, StoreResult, TrainingRow, WellbeingKeyRow,
};

use crate::error::map_err;
use crate::{get, micros};

fn profile_from_row(row: &PgRow) -> StoreResult<StaffProfileRow> {
    Ok(StaffProfileRow {
        user: UserId::from_uuid(get::<Uuid>(row, "user_id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        start_date: get(row, "start_date")?,
        languages: get(row, "languages")?,
        backgrounds: get(row, "backgrounds")?,
        availability: get(row, "availability")?,
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

const SELECT_PROFILE: &str = "SELECT user_id, org_id, start_date, languages, backgrounds, availability, version, updated_at FROM staff_profiles ";

pub(crate) async fn profile(pool: &PgPool, user: UserId) -> StoreResult<Option<StaffProfileRow>> {
    let row = sqlx::query(&format!("{SELECT_PROFILE} WHERE user_id = $1"))
        .bind(user.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(profile_from_row).transpose()
}

pub(crate) async fn profiles(pool: &PgPool, org: OrgId) -> StoreResult<Vec<StaffProfileRow>> {
    let rows = sqlx::query(&format!("{SELECT_PROFILE} WHERE org_id = $1 ORDER BY user_id"))
        .bind(org.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(profile_from_row).collect()
}

fn training_from_row(row: &PgRow) -> StoreResult<TrainingRow> {
    Ok(TrainingRow {
        id: get::<Uuid>(row, "id")?,
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        user: UserId::from_uuid(get::<Uuid>(row, "user_id")?),
        course: get(row, "course")?,
        completed_on: get(row, "completed_on")?,
        expires_on: get(row, "expires_on")?,
        recorded_by: get::<Option<Uuid>>(row, "recorded_by")?.map(UserId::from_uuid),
        recorded_at: get(row, "recorded_at")?,
    })
}

pub(crate) async fn trainings(pool: &PgPool, user: UserId) -> StoreResult<Vec<TrainingRow>> {
    let rows = sqlx::query(
        "SELECT id, org_id, user_id, course, completed_on, expires_on, recorded_by, recorded_at
         FROM staff_trainings WHERE user_id = $1 ORDER BY completed_on DESC, id",
    )
    .bind(user.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(training_from_row).collect()
}

pub(crate) async fn policy(pool: &PgPool, org: OrgId) -> StoreResult<Option<AccessPolicyRow>> {
    let row = sqlx::query(
        "SELECT org_id, months, required_courses, roles, version, updated_at FROM staff_access_policies WHERE org_id = $1",
    )
    .bind(org.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.map(|r| {
        Ok(AccessPolicyRow {
            org: OrgId::from_uuid(get::<Uuid>(&r, "org_id")?),
            months: get(&r, "months")?,
            required_courses: get(&r, "required_courses")?,
            roles: get(&r, "roles")?,
            version: get(&r, "version")?,
            updated_at: get(&r, "updated_at")?,
        })
    })
    .transpose()
}

pub(crate) async fn key(pool: &PgPool, user: UserId) -> StoreResult<Option<WellbeingKeyRow>> {
    let row = sqlx::query("SELECT user_id, org_id, wrapped_key FROM wellbeing_keys WHERE user_id = $1")
        .bind(user.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.map(|r| {
        Ok(WellbeingKeyRow {
            user: UserId::from_uuid(get::<Uuid>(&r, "user_id")?),
            org: OrgId::from_uuid(get::<Uuid>(&r, "org_id")?),
            wrapped_key: get(&r, "wrapped_key")?,
        })
    })
    .transpose()
}

fn checkin_from_row(row: &PgRow) -> StoreResult<CheckInRow> {
    Ok(CheckInRow {
        id: get::<Uuid>(row, "id")?,
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        user: UserId::from_uuid(get::<Uuid>(row, "user_id")?),
        instrument: get(row, "instrument")?,
        instrument_version: get(row, "instrument_version")?,
        period: get(row, "period")?,
        taken_at: get(row, "taken_at")?,
        sealed: get(row, "sealed")?,
    })
}

const SELECT_CHECKIN: &str =
    "SELECT id, org_id, user_id, instrument, instrument_version, period, taken_at, sealed FROM wellbeing_checkins ";

pub(crate) async fn checkins_of(pool: &PgPool, user: UserId, limit: i64) -> StoreResult<Vec<CheckInRow>> {
    let rows = sqlx::query(&format!("{SELECT_CHECKIN} WHERE user_id = $1 ORDER BY taken_at DESC, id LIMIT $2"))
        .bind(user.as_uuid())
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(checkin_from_row).collect()
}

pub(crate) async fn respondents(pool: &PgPool, org: OrgId, instrument: &str, period: &str) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT user_id) FROM wellbeing_checkins WHERE org_id = $1 AND instrument = $2 AND period = $3",
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
    pool: &PgPool,
    org: OrgId,
    instrument: &str,
    period: &str,
) -> StoreResult<Vec<CheckInRow>> {
    let rows = sqlx::query(&format!(
        "{SELECT_CHECKIN} WHERE org_id = $1 AND instrument = $2 AND period = $3 ORDER BY user_id, taken_at, id"
    ))
    .bind(org.as_uuid())
    .bind(instrument)
    .bind(period)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(checkin_from_row).collect()
}

pub(crate) async fn periods(pool: &PgPool, org: OrgId, instrument: &str, limit: i64) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT period FROM wellbeing_checkins WHERE org_id = $1 AND instrument = $2 ORDER BY period DESC LIMIT $3",
    )
    .bind(org.as_uuid())
    .bind(instrument)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

pub(crate) async fn save_profile(conn: &mut PgConnection, row: &StaffProfileRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO staff_profiles (user_id, org_id, start_date, languages, backgrounds, availability, version, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(row.user.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.start_date)
        .bind(&row.languages)
        .bind(&row.backgrounds)
        .bind(&row.availability)
        .bind(micros(row.updated_at))
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query(
            "UPDATE staff_profiles SET start_date = $1, languages = $2, backgrounds = $3, availability = $4, version = $5,
                    updated_at = $6
             WHERE user_id = $7 AND org_id = $8 AND version = $9",
        )
        .bind(row.start_date)
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

pub(crate) async fn insert_training(conn: &mut PgConnection, row: &TrainingRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO staff_trainings (id, org_id, user_id, course, completed_on, expires_on, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(row.id)
    .bind(row.org.as_uuid())
    .bind(row.user.as_uuid())
    .bind(&row.course)
    .bind(row.completed_on)
    .bind(row.expires_on)
    .bind(row.recorded_by.map(|u| *u.as_uuid()))
    .bind(micros(row.recorded_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn delete_training(conn: &mut PgConnection, org: OrgId, user: UserId, id: Uuid) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM staff_trainings WHERE id = $1 AND org_id = $2 AND user_id = $3")
        .bind(id)
        .bind(org.as_uuid())
        .bind(user.as_uuid())
        .execute(conn)
        .await
        .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn save_policy(conn: &mut PgConnection, row: &AccessPolicyRow) -> StoreResult<()> {
    let done = if row.version == 1 {
        sqlx::query(
            "INSERT INTO staff_access_policies (org_id, months, required_courses, roles, version, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (org_id) DO NOTHING",
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
            "UPDATE staff_access_policies SET months = $1, required_courses = $2, roles = $3, version = $4, updated_at = $5
             WHERE org_id = $6 AND version = $7",
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

pub(crate) async fn insert_key(conn: &mut PgConnection, row: &WellbeingKeyRow) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO wellbeing_keys (user_id, org_id, wrapped_key) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(row.user.as_uuid())
    .bind(row.org.as_uuid())
    .bind(&row.wrapped_key)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn insert_checkin(conn: &mut PgConnection, row: &CheckInRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO wellbeing_checkins (id, org_id, user_id, instrument, instrument_version, period, taken_at, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
