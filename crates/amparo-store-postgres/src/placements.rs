//! Placements: sites, needs, placements, weekly availability.

use chrono::NaiveDate;
use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::placements::{NeedId, PlacementId, SiteId};
use amparo_domain::{OrgId, UserId};
use amparo_store::{NeedRow, PlacementQuery, PlacementRow, SiteRow, StoreError, StoreResult, WeeklyAvailabilityRow};

use crate::error::map_err;
use crate::{get, micros};

const SITE_COLUMNS: &str = "id, org_id, kind, name, programme, region, wrapped_key, created_by, created_at";
const NEED_COLUMNS: &str =
    "id, org_id, site_id, languages, backgrounds, slots, people, starts_on, ends_on, notes, created_by, created_at";
const PLACEMENT_COLUMNS: &str = "id, org_id, site_id, need_id, user_id, starts_on, ends_on, status, created_by,
     created_at, confirmed_by, confirmed_at, ended_by, ended_at, version, updated_at";

fn site_from_row(row: &PgRow) -> StoreResult<SiteRow> {
    Ok(SiteRow {
        id: SiteId::from_uuid(get::<Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        kind: get(row, "kind")?,
        name: get(row, "name")?,
        programme: get(row, "programme")?,
        region: get(row, "region")?,
        wrapped_key: get(row, "wrapped_key")?,
        created_by: UserId::from_uuid(get::<Uuid>(row, "created_by")?),
        created_at: get(row, "created_at")?,
    })
}

fn need_from_row(row: &PgRow) -> StoreResult<NeedRow> {
    Ok(NeedRow {
        id: NeedId::from_uuid(get::<Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        site: SiteId::from_uuid(get::<Uuid>(row, "site_id")?),
        languages: get(row, "languages")?,
        backgrounds: get(row, "backgrounds")?,
        slots: get(row, "slots")?,
        people: get(row, "people")?,
        starts_on: get::<NaiveDate>(row, "starts_on")?,
        ends_on: get::<Option<NaiveDate>>(row, "ends_on")?,
        notes: get(row, "notes")?,
        created_by: UserId::from_uuid(get::<Uuid>(row, "created_by")?),
        created_at: get(row, "created_at")?,
    })
}

fn placement_from_row(row: &PgRow) -> StoreResult<PlacementRow> {
    Ok(PlacementRow {
        id: PlacementId::from_uuid(get::<Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        site: SiteId::from_uuid(get::<Uuid>(row, "site_id")?),
        need: get::<Option<Uuid>>(row, "need_id")?.map(NeedId::from_uuid),
        user: UserId::from_uuid(get::<Uuid>(row, "user_id")?),
        starts_on: get::<NaiveDate>(row, "starts_on")?,
        ends_on: get::<Option<NaiveDate>>(row, "ends_on")?,
        status: get(row, "status")?,
        created_by: UserId::from_uuid(get::<Uuid>(row, "created_by")?),
        created_at: get(row, "created_at")?,
        confirmed_by: get::<Option<Uuid>>(row, "confirmed_by")?.map(UserId::from_uuid),
        confirmed_at: get(row, "confirmed_at")?,
        ended_by: get::<Option<Uuid>>(row, "ended_by")?.map(UserId::from_uuid),
        ended_at: get(row, "ended_at")?,
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

fn availability_from_row(row: &PgRow) -> StoreResult<WeeklyAvailabilityRow> {
    Ok(WeeklyAvailabilityRow {
        user: UserId::from_uuid(get::<Uuid>(row, "user_id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        slots: get(row, "slots")?,
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) async fn sites(pool: &PgPool, org: OrgId) -> StoreResult<Vec<SiteRow>> {
    let rows = sqlx::query(&format!("SELECT {SITE_COLUMNS} FROM placement_sites WHERE org_id = $1 ORDER BY name, id"))
        .bind(org.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(site_from_row).collect()
}

pub(crate) async fn site(pool: &PgPool, id: SiteId) -> StoreResult<Option<SiteRow>> {
    let row = sqlx::query(&format!("SELECT {SITE_COLUMNS} FROM placement_sites WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(site_from_row).transpose()
}

pub(crate) async fn needs(pool: &PgPool, org: OrgId) -> StoreResult<Vec<NeedRow>> {
    let rows =
        sqlx::query(&format!("SELECT {NEED_COLUMNS} FROM placement_needs WHERE org_id = $1 ORDER BY starts_on, id"))
            .bind(org.as_uuid())
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(need_from_row).collect()
}

pub(crate) async fn need(pool: &PgPool, id: NeedId) -> StoreResult<Option<NeedRow>> {
    let row = sqlx::query(&format!("SELECT {NEED_COLUMNS} FROM placement_needs WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(need_from_row).transpose()
}

pub(crate) async fn placements(pool: &PgPool, q: &PlacementQuery) -> StoreResult<Vec<PlacementRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLACEMENT_COLUMNS} FROM placements
          WHERE org_id = $1 AND ($2::uuid IS NULL OR site_id = $2) AND ($3::uuid IS NULL OR user_id = $3)
            AND ($4 OR status <> 'ended')
          ORDER BY starts_on, id
          LIMIT $5"
    ))
    .bind(q.org.as_uuid())
    .bind(q.site.map(|s| *s.as_uuid()))
    .bind(q.user.map(|u| *u.as_uuid()))
    .bind(q.include_ended)
    .bind(q.limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(placement_from_row).collect()
}

pub(crate) async fn placement(pool: &PgPool, id: PlacementId) -> StoreResult<Option<PlacementRow>> {
    let row = sqlx::query(&format!("SELECT {PLACEMENT_COLUMNS} FROM placements WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(placement_from_row).transpose()
}

pub(crate) async fn availabilities(pool: &PgPool, org: OrgId) -> StoreResult<Vec<WeeklyAvailabilityRow>> {
    let rows = sqlx::query(
        "SELECT user_id, org_id, slots, version, updated_at FROM placement_availability WHERE org_id = $1 ORDER BY user_id",
    )
    .bind(org.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(availability_from_row).collect()
}

pub(crate) async fn availability(pool: &PgPool, user: UserId) -> StoreResult<Option<WeeklyAvailabilityRow>> {
    let row = sqlx::query(
        "SELECT user_id, org_id, slots, version, updated_at FROM placement_availability WHERE user_id = $1",
    )
    .bind(user.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(map_err)?;
    row.as_ref().map(availability_from_row).transpose()
}

pub(crate) async fn insert_site(conn: &mut PgConnection, r: &SiteRow) -> StoreResult<()> {
    sqlx::query(&format!("INSERT INTO placement_sites ({SITE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        .bind(r.id.as_uuid())
        .bind(r.org.as_uuid())
        .bind(&r.kind)
        .bind(&r.name)
        .bind(&r.programme)
        .bind(&r.region)
        .bind(&r.wrapped_key)
        .bind(r.created_by.as_uuid())
        .bind(micros(r.created_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn insert_need(conn: &mut PgConnection, r: &NeedRow) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO placement_needs ({NEED_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(r.site.as_uuid())
    .bind(&r.languages)
    .bind(&r.backgrounds)
    .bind(&r.slots)
    .bind(r.people)
    .bind(r.starts_on)
    .bind(r.ends_on)
    .bind(&r.notes)
    .bind(r.created_by.as_uuid())
    .bind(micros(r.created_at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn insert_placement(conn: &mut PgConnection, r: &PlacementRow) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO placements ({PLACEMENT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    ))
    .bind(r.id.as_uuid())
    .bind(r.org.as_uuid())
    .bind(r.site.as_uuid())
    .bind(r.need.map(|n| *n.as_uuid()))
    .bind(r.user.as_uuid())
    .bind(r.starts_on)
    .bind(r.ends_on)
    .bind(&r.status)
    .bind(r.created_by.as_uuid())
    .bind(micros(r.created_at))
    .bind(r.confirmed_by.map(|u| *u.as_uuid()))
    .bind(r.confirmed_at.map(micros))
    .bind(r.ended_by.map(|u| *u.as_uuid()))
    .bind(r.ended_at.map(micros))
    .bind(r.version)
    .bind(micros(r.updated_at))
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// `updated_at` is the row's (the application's clock).
pub(crate) async fn update_placement(conn: &mut PgConnection, r: &PlacementRow) -> StoreResult<PlacementRow> {
    let stored: Option<(Uuid, i64)> = sqlx::query_as("SELECT org_id, version FROM placements WHERE id = $1 FOR UPDATE")
        .bind(r.id.as_uuid())
        .fetch_optional(&mut *conn)
        .await
        .map_err(map_err)?;
    let Some((org, version)) = stored else { return Err(StoreError::NotFound) };
    if &org != r.org.as_uuid() {
        return Err(StoreError::NotFound);
    }
    if version != r.version {
        return Err(StoreError::Conflict);
    }
    let row = sqlx::query(&format!(
        "UPDATE placements SET status = $1, ends_on = $2, confirmed_by = $3, confirmed_at = $4, ended_by = $5,
                ended_at = $6, version = version + 1, updated_at = $7
         WHERE id = $8 AND version = $9
         RETURNING {PLACEMENT_COLUMNS}"
    ))
    .bind(&r.status)
    .bind(r.ends_on)
    .bind(r.confirmed_by.map(|u| *u.as_uuid()))
    .bind(r.confirmed_at.map(micros))
    .bind(r.ended_by.map(|u| *u.as_uuid()))
    .bind(r.ended_at.map(micros))
    .bind(micros(r.updated_at))
    .bind(r.id.as_uuid())
    .bind(r.version)
    .fetch_optional(&mut *conn)
    .await
    .map_err(map_err)?;
    row.as_ref().map(placement_from_row).transpose()?.ok_or(StoreError::Conflict)
}

pub(crate) async fn save_availability(conn: &mut PgConnection, r: &WeeklyAvailabilityRow) -> StoreResult<()> {
    let done = if r.version == 1 {
        sqlx::query(
            "INSERT INTO placement_availability (user_id, org_id, slots, version, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(r.user.as_uuid())
        .bind(r.org.as_uuid())
        .bind(&r.slots)
        .bind(r.version)
        .bind(micros(r.updated_at))
        .execute(&mut *conn)
        .await
        .map_err(map_err)?
    } else {
        sqlx::query(
            "UPDATE placement_availability SET slots = $1, version = $2, updated_at = $3
             WHERE user_id = $4 AND org_id = $5 AND version = $6",
        )
        .bind(&r.slots)
        .bind(r.version)
        .bind(micros(r.updated_at))
        .bind(r.user.as_uuid())
        .bind(r.org.as_uuid())
        .bind(r.version - 1)
        .execute(&mut *conn)
        .await
        .map_err(map_err)?
    };
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
