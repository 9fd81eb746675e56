//! Documents: rows without their content for lists, the sealed content read on its own.

use sqlx::postgres::{PgConnection, PgPool, PgRow};
use uuid::Uuid;

use amparo_domain::records::DocumentId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{DocumentRow, StoreResult};

use crate::error::map_err;
use crate::{get, micros};

/// Every column but `content` (which stays in its TOAST table unless asked for).
macro_rules! select_documents {
    ($tail:literal) => {
        concat!(
            "SELECT id, org_id, person_id, case_id, kind, content_type, size, meta, uploaded_by, uploaded_at,
                    version
             FROM documents ",
            $tail
        )
    };
}

fn document_from_row(row: &PgRow) -> StoreResult<DocumentRow> {
    let case: Option<Uuid> = get(row, "case_id")?;
    let by: Option<Uuid> = get(row, "uploaded_by")?;
    Ok(DocumentRow {
        id: DocumentId::from_uuid(get(row, "id")?),
        org: OrgId::from_uuid(get(row, "org_id")?),
        person: PersonId::from_uuid(get(row, "person_id")?),
        case: case.map(CaseId::from_uuid),
        kind: get(row, "kind")?,
        content_type: get(row, "content_type")?,
        size: get(row, "size")?,
        meta: get(row, "meta")?,
        uploaded_by: by.map(UserId::from_uuid),
        uploaded_at: get(row, "uploaded_at")?,
        version: get(row, "version")?,
    })
}

pub(crate) async fn of_person(pool: &PgPool, person: PersonId) -> StoreResult<Vec<DocumentRow>> {
    let rows = sqlx::query(select_documents!("WHERE person_id = $1 ORDER BY uploaded_at DESC, id DESC"))
        .bind(person.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(document_from_row).collect()
}

pub(crate) async fn of_case(pool: &PgPool, case: CaseId) -> StoreResult<Vec<DocumentRow>> {
    let rows = sqlx::query(select_documents!("WHERE case_id = $1 ORDER BY uploaded_at DESC, id DESC"))
        .bind(case.as_uuid())
        .fetch_all(pool)
        .await
        .map_err(map_err)?;
    rows.iter().map(document_from_row).collect()
}

pub(crate) async fn one(pool: &PgPool, id: DocumentId) -> StoreResult<Option<DocumentRow>> {
    let row = sqlx::query(select_documents!("WHERE id = $1"))
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    row.as_ref().map(document_from_row).transpose()
}

pub(crate) async fn content(pool: &PgPool, id: DocumentId) -> StoreResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT content FROM documents WHERE id = $1")
        .bind(id.as_uuid())
        .fetch_optional(pool)
        .await
        .map_err(map_err)?;
    Ok(row.map(|(c,)| c))
}

pub(crate) async fn insert(conn: &mut PgConnection, row: &DocumentRow, content: &[u8]) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO documents (id, org_id, person_id, case_id, kind, content_type, size, meta, uploaded_by,
                                uploaded_at, version, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.id.as_uuid())
    .bind(row.org.as_uuid())
    .bind(row.person.as_uuid())
    .bind(row.case.map(|c| *c.as_uuid()))
    .bind(&row.kind)
    .bind(&row.content_type)
    .bind(row.size)
    .bind(&row.meta)
    .bind(row.uploaded_by.map(|u| *u.as_uuid()))
    .bind(micros(row.uploaded_at))
    .bind(row.version)
    .bind(content)
    .execute(conn)
    .await
    .map_err(map_err)?;
    Ok(())
}

pub(crate) async fn delete(conn: &mut PgConnection, org: OrgId, id: DocumentId) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM documents WHERE id = $1 AND org_id = $2")
        .bind(id.as_uuid())
        .bind(org.as_uuid())
        .execute(conn)
        .await
        .map_err(map_err)?;
    Ok(done.rows_affected() == 1)
}
