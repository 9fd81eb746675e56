//! The partner network: installation identity, partner directory, referrals.

use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::referrals::{PartnerId, ReferralId};
use amparo_domain::{CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{IdentityRow, PartnerRow, ReferralRow, StoreError, StoreResult};

use crate::error::map_err;
use crate::records::{list, list_column};
use crate::{get, micros};

const PARTNER_COLUMNS: &str = "id, org_id, name, country, region, services, languages, populations, contact,
     public_key, target_org, notes, created_at, version";

const REFERRAL_COLUMNS: &str = "id, org_id, direction, partner_id, from_org_id, counterpart_id, remote_id,
     person_id, case_id, consent_id, fields, urgency, status, wrapped_key, reason, shared, status_note,
     expires_on, created_by, created_at, sent_at, accepted_at, declined_at, completed_at, withdrawn_at, version";

fn partner_from_row(row: &PgRow) -> StoreResult<PartnerRow> {
    Ok(PartnerRow {
        id: PartnerId::from_uuid(get::<Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        name: get(row, "name")?,
        country: get(row, "country")?,
        region: get(row, "region")?,
        services: list_column(row, "services")?,
        languages: list_column(row, "languages")?,
        populations: list_column(row, "populations")?,
        contact: get(row, "contact")?,
        public_key: get(row, "public_key")?,
        target_org: get::<Option<Uuid>>(row, "target_org")?.map(OrgId::from_uuid),
        notes: get(row, "notes")?,
        created_at: get(row, "created_at")?,
        version: get(row, "version")?,
    })
}

fn referral_from_row(row: &PgRow) -> StoreResult<ReferralRow> {
    Ok(ReferralRow {
        id: ReferralId::from_uuid(get::<Uuid>(row, "id")?),
        org: OrgId::from_uuid(get::<Uuid>(row, "org_id")?),
        direction: get(row, "direction")?,
        partner: get::<Option<Uuid>>(row, "partner_id")?.map(PartnerId::from_uuid),
        from_org: get::<Option<Uuid>>(row, "from_org_id")?.map(OrgId::from_uuid),
        counterpart: get::<Option<Uuid>>(row, "counterpart_id")?.map(ReferralId::from_uuid),
        remote_id: get::<Option<Uuid>>(row, "remote_id")?,
        person: get::<Option<Uuid>>(row, "person_id")?.map(PersonId::from_uuid),
        case: get::<Option<Uuid>>(row, "case_id")?.map(CaseId::from_uuid),
        consent: get::<Option<Uuid>>(row, "consent_id")?.map(ConsentId::from_uuid),
        fields: list_column(row, "fields")?,
        urgency: get(row, "urgency")?,
        status: get(row, "status")?,
        wrapped_key: get(row, "wrapped_key")?,
        reason: get(row, "reason")?,
        shared: get(row, "shared")?,
        status_note: get(row, "status_note")?,
        expires_on: get(row, "expires_on")?,
        created_by: get::<Option<Uuid>>(row, "created_by")?.map(UserId::from_uuid),
        created_at: get(row, "created_at")?,
        sent_at: get(row, "sent_at")?,
        accepted_at: get(row, "accepted_at")?,
        declined_at: get(row, "declined_at")?,
        completed_at: get(row, "completed_at")?,
        withdrawn_at: get(row, "withdrawn_at")?,
        version: get(row, "version")?,
    })
}

pub(crate) async fn identity(pool: &PgPool) -> StoreResult<Option<IdentityRow>> {
    let row = sqlx::query("SELECT public_line, secret, created_at FROM installation_identity WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.map(|r| {
        Ok(IdentityRow {
            public_line: get(&r, "public_line")?,
            secret: get(&r, "secret")?,
            created_at: get(&r, "created_at")?,
        })
    })
    .transpose()
}

pub(crate) async fn partners(pool: &PgPool, org: OrgId) -> StoreResult<Vec<PartnerRow>> {
    let rows = sqlx::query(&format!("SELECT {PARTNER_COLUMNS} FROM partners WHERE org_id = $1 ORDER BY name, id"))
        .bind(org.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(partner_from_row).collect()
}

pub(crate) async fn partner(pool: &PgPool, id: PartnerId) -> StoreResult<Option<PartnerRow>> {
    let row = sqlx::query(&format!("SELECT {PARTNER_COLUMNS} FROM partners WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(partner_from_row).transpose()
}

pub(crate) async fn partners_with_key(pool: &PgPool, key: &str) -> StoreResult<Vec<PartnerRow>> {
    let rows =
        sqlx::query(&format!("SELECT {PARTNER_COLUMNS} FROM partners WHERE public_key = $1 ORDER BY created_at, id"))
            .bind(key)
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(partner_from_row).collect()
}

pub(crate) async fn referral(pool: &PgPool, id: ReferralId) -> StoreResult<Option<ReferralRow>> {
    let row = sqlx::query(&format!("SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(referral_from_row).transpose()
}

pub(crate) async fn referrals(pool: &PgPool, org: OrgId, direction: &str, limit: i64) -> StoreResult<Vec<ReferralRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE org_id = $1 AND direction = $2
         ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(org.as_uuid())
    .bind(direction)
    .bind(limit)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter().map(referral_from_row).collect()
}

/// A person's referrals, both ways, oldest first (their cases' timelines).
pub(crate) async fn referrals_of_person(pool: &PgPool, person: PersonId) -> StoreResult<Vec<ReferralRow>> {
    let rows =
        sqlx::query(&format!("SELECT {REFERRAL_COLUMNS} FROM referrals WHERE person_id = $1 ORDER BY created_at, id"))
            .bind(person.as_uuid())
            .fetch_all(pool)
            .await
            .map_err(map_err)?;
    rows.iter().map(referral_from_row).collect()
}

pub(crate) async fn insert_identity(conn: &mut PgConnection, row: &IdentityRow) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO installation_identity (id, public_line, secret, created_at) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&row.public_line)
    .bind(&row.secret)
    .bind(micros(row.created_at))
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}

pub(crate) async fn insert_partner(conn: &mut PgConnection, row: &PartnerRow) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO partners ({PARTNER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(&row.name)
    .bind(&row.country)
    .bind(row.region.as_deref())
    .bind(list(&row.services)?)
    .bind(list(&row.languages)?)
    .bind(list(&row.populations)?)
    .bind(&row.contact)
    .bind(row.public_key.as_deref())
    .bind(row.target_org.map(|o| *o.as_uuid()))
    .bind(&row.notes)
    .bind(micros(row.created_at))
    .bind(row.version)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

fn uuid_of<T>(v: Option<T>, f: impl Fn(&T) -> &Uuid) -> Option<Uuid> {
    v.as_ref().map(|x| *f(x))
}

pub(crate) async fn insert_referral(conn: &mut PgConnection, row: &ReferralRow) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO referrals ({REFERRAL_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"
    ))
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(&row.direction)
    .bind(uuid_of(row.partner, PartnerId::as_uuid))
    .bind(uuid_of(row.from_org, OrgId::as_uuid))
    .bind(uuid_of(row.counterpart, ReferralId::as_uuid))
    .bind(row.remote_id)
    .bind(uuid_of(row.person, PersonId::as_uuid))
    .bind(uuid_of(row.case, CaseId::as_uuid))
    .bind(uuid_of(row.consent, ConsentId::as_uuid))
    .bind(list(&row.fields)?)
    .bind(&row.urgency)
    .bind(&row.status)
    .bind(&row.wrapped_key)
    .bind(&row.reason)
    .bind(row.shared.as_deref())
    .bind(row.status_note.as_deref())
    .bind(row.expires_on)
    .bind(uuid_of(row.created_by, UserId::as_uuid))
    .bind(micros(row.created_at))
    .bind(row.sent_at.map(micros))
    .bind(row.accepted_at.map(micros))
    .bind(row.declined_at.map(micros))
    .bind(row.completed_at.map(micros))
    .bind(row.withdrawn_at.map(micros))
    .bind(row.version)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn update_referral(conn: &mut PgConnection, row: &ReferralRow) -> StoreResult<ReferralRow> {
    let done = sqlx::query(
        "UPDATE referrals SET status = $1, counterpart_id = $2, person_id = $3, case_id = $4, consent_id = $5, fields = $6, shared = $7,
                status_note = $8, sent_at = $9, accepted_at = $10, declined_at = $11, completed_at = $12,
                withdrawn_at = $13, version = version + 1
         WHERE id = $14 AND version = $15",
    )
    .bind(&row.status)
    .bind(uuid_of(row.counterpart, ReferralId::as_uuid))
    .bind(uuid_of(row.person, PersonId::as_uuid))
    .bind(uuid_of(row.case, CaseId::as_uuid))
    .bind(uuid_of(row.consent, ConsentId::as_uuid))
    .bind(list(&row.fields)?)
    .bind(row.shared.as_deref())
    .bind(row.status_note.as_deref())
    .bind(row.sent_at.map(micros))
    .bind(row.accepted_at.map(micros))
    .bind(row.declined_at.map(micros))
    .bind(row.completed_at.map(micros))
    .bind(row.withdrawn_at.map(micros))
    .bind(row.id.as_uuid())
    .bind(row.version)
    .execute(&mut *conn)
    .await
    .map_err(map_err)?;
    if done.rows_affected() == 1 {
        return Ok(ReferralRow { version: row.version + 1, ..row.clone() });
    }
    let exists: Option<(i64,)> = sqlx::query_as("SELECT version FROM referrals WHERE id = $1")
        .bind(row.id.as_uuid())
        .fetch_optional(conn)
        .await
        .map_err(map_err)?;
    Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound })
}
