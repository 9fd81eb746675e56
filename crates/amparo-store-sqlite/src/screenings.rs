//! Screenings: the coded result in clear, the answers sealed.

use sqlx::sqlite::{SqliteConnection, SqlitePool, SqliteRow};
use uuid::Uuid;

use amparo_domain::records::ScreeningId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{ScreeningRow, StoreResult};

use crate::error::map_err;
use crate::records::{date, days};
use crate::{get, micros, time, uuid};

macro_rules! select_screenings {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, person_id, case_id, instrument, instrument_version, taken_on, taken_at, taken_by,
                    total, band, flags, coded, answers, version
             FROM screenings ",
            $tail
        )
    };
}

fn screening_from_row(row: &SqliteRow) -> StoreResult<ScreeningRow> {
    let case: Option<Uuid> = get(row, "case_id")?;
    let by: Option<Uuid> = get(row, "taken_by")?;
    Ok(ScreeningRow {
        id: ScreeningId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        case: case.map(CaseId::from_uuid),
        instrument: get(row, "instrument")?,
        instrument_version: get(row, "instrument_version")?,
        taken_on: date(row, "taken_on")?,
        taken_at: time(row, "taken_at")?,
        taken_by: by.map(UserId::from_uuid),
        total: get(row, "total")?,
        band: get(row, "band")?,
        flags: get(row, "flags")?,
        coded: get(row, "coded")?,
        answers: get(row, "answers")?,
        version: get(row, "version")?,
    })
}

pub(crate) async fn of_person(pool: &SqlitePool, person: PersonId) -> StoreResult<Vec<ScreeningRow>> {
    let rows = sqlx::query(select_screenings!("WHERE person_id = ? ORDER BY taken_at, id"))
        .bind(person.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(screening_from_row).collect()
}

pub(crate) async fn one(pool: &SqlitePool, id: ScreeningId) -> StoreResult<Option<ScreeningRow>> {
    let row = sqlx::query(select_screenings!("WHERE id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(screening_from_row).transpose()
}

pub(crate) async fn insert(conn: &mut SqliteConnection, row: &ScreeningRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO screenings (id, org_id, person_id, case_id, instrument, instrument_version, taken_on,
                                 taken_at, taken_by, total, band, flags, coded, answers, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.case.map(|c| *c.as_uuid()))
    .bind(&row.instrument)
    .bind(&row.instrument_version)
    .bind(days(row.taken_on))
    .bind(micros(row.taken_at))
    .bind(row.taken_by.map(|u| *u.as_uuid()))
    .bind(row.total)
    .bind(&row.band)
    .bind(&row.flags)
    .bind(&row.coded)
    .bind(&row.answers)
    .bind(row.version)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}
