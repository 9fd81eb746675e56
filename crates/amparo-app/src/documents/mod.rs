//! Documents: scans, photos and PDFs attached to a person or to one of their cases —
//! identity documents, certification letters, signed consents.
//!
//! Upload: authorise → decide the type from the bytes and check the size → strip an
//! image's metadata → seal with the person's data key → store → audit, in one transaction.
//! Download: authorise → audit → open. Which section of the record a document's kind
//! belongs to decides who may see it ([`DocumentKind::section`]); a document attached to a
//! case is seen through that case only (a restricted case keeps its papers to its team).
//! The audit log gets ids and codes: never a title or a file name.

mod content;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use amparo_crypto::FieldAad;
use amparo_domain::records::{DocumentId, DocumentKind, DocumentProblem, DocumentType, document_title};
use amparo_domain::{Action, CaseId, Denied, DomainError, PersonId, Section, UserId};
use amparo_store::{AuditOutcome, CaseRow, DocumentRow};

use crate::records::{Record, may_through as may_on, open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "documents";
/// Original file names are kept (sealed) up to this many characters.
const MAX_FILE_NAME_CHARS: usize = 255;

/// A file to attach, as received. The bytes are wiped from memory once handled.
#[derive(Clone, Default)]
pub struct DocumentUpload {
    /// A `DocumentKind` code.
    pub kind: String,
    pub title: String,
    /// The name the file had on the uploader's computer: kept sealed, never used to decide
    /// anything and never sent back as a download's name.
    pub file_name: Option<String>,
    /// Attach to this case of the person's (None: to the person).
    pub case: Option<CaseId>,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for DocumentUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentUpload")
            .field("kind", &self.kind)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A document as a reader may see it listed: never the file itself.
#[derive(Clone, Serialize)]
pub struct DocumentView {
    pub id: DocumentId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    /// The case's number, when attached to a case.
    pub case_number: Option<String>,
    pub kind: String,
    /// The media type found in the bytes.
    pub content_type: String,
    /// Bytes, as kept (photo metadata stripped).
    pub size: i64,
    pub title: String,
    pub file_name: Option<String>,
    pub uploaded_by: Option<UserId>,
    /// The uploader's name (staff data, for pages).
    #[serde(skip)]
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    /// The reader may delete it (for pages; the use case decides again).
    #[serde(skip)]
    pub may_delete: bool,
}

impl std::fmt::Debug for DocumentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentView").field("id", &self.id).field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// A person's or a case's documents, with what the reader may add there.
#[derive(Clone, Debug, Default)]
pub struct DocumentList {
    pub items: Vec<DocumentView>,
    /// The kinds the reader may upload here (empty: no upload form).
    pub upload_kinds: Vec<DocumentKind>,
    /// The cases (id, number) a document may be attached to from the person's page.
    pub cases: Vec<(CaseId, String)>,
}

/// A file to hand out: its type as found at upload, and its bytes (wiped when dropped).
pub struct DocumentFile {
    pub id: DocumentId,
    pub content_type: DocumentType,
    pub bytes: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for DocumentFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentFile").field("id", &self.id).field("len", &self.bytes.len()).finish_non_exhaustive()
    }
}

/// Where a deleted document hung: for the page to go back to.
#[derive(Clone, Copy, Debug)]
pub struct DeletedDocument {
    pub person: PersonId,
    pub case: Option<CaseId>,
}

/// Sealed as the `meta` column.
#[derive(Serialize, Deserialize)]
struct Meta {
    title: String,
    #[serde(default)]
    file_name: Option<String>,
}

fn invalid(field: &'static str, p: DocumentProblem) -> AppError {
    AppError::invalid(field, DomainError::Document(p))
}

/// The last part of a path as browsers and clients send it, without control characters.
fn clean_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME_CHARS).collect();
    Some(clean.trim().to_owned()).filter(|n| !n.is_empty())
}

fn kind_of(row: &DocumentRow) -> AppResult<DocumentKind> {
    DocumentKind::from_code(&row.kind).map_err(|_| AppError::Integrity("documents.kind".into()))
}

/// The case a document (or an upload) hangs on, from the loaded record.
fn case_in(record: &Record, case: Option<CaseId>) -> AppResult<Option<&CaseRow>> {
    match case {
        None => Ok(None),
        Some(id) => record.cases.iter().find(|c| c.id == id).map(Some).ok_or(AppError::NotFound),
    }
}

impl Amparo {
    /// Refuses (and audits the refusal of) an action on a person's documents. Another
    /// organisation's is "not found"; one's own organisation's is "forbidden".
    pub(crate) async fn require_on(
        &self,
        caller: &Caller,
        record: &Record,
        case: Option<&CaseRow>,
        action: Action,
        code: &str,
    ) -> AppResult<()> {
        match may_on(record, case, caller, action) {
            Ok(()) => Ok(()),
            Err(reason) => {
                let mut d =
                    self.record_draft(caller, code, AuditOutcome::Denied, "person", *record.person.id.as_uuid());
                d.detail = Some(reason.code().to_owned());
                self.inner.auditor.record(vec![d]).await?;
                Err(if reason == Denied::OtherOrganisation { AppError::NotFound } else { AppError::Forbidden(reason) })
            }
        }
    }

    fn document_draft(
        &self,
        caller: &Caller,
        action: &str,
        row: &DocumentRow,
        kind: DocumentKind,
    ) -> amparo_store::AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "person", *row.person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("document.{}.{}", row.id, kind.code()));
        d
    }

    fn document_view(&self, record: &Record, row: &DocumentRow, caller: &Caller) -> AppResult<DocumentView> {
        let kind = kind_of(row)?;
        let case = case_in(record, row.case)?;
        let key = self.person_key(&record.person)?;
        let meta: Meta = open_json(&key, TABLE, "meta", *row.id.as_uuid(), &row.meta)?;
        Ok(DocumentView {
            id: row.id,
            person_id: row.person,
            case_id: row.case,
            case_number: case.map(|c| c.number.clone()),
            kind: row.kind.clone(),
            content_type: row.content_type.clone(),
            size: row.size,
            title: meta.title,
            file_name: meta.file_name,
            uploaded_by: row.uploaded_by,
            uploaded_by_name: None,
            uploaded_at: row.uploaded_at,
            may_delete: may_on(record, case, caller, Action::WriteRecord(kind.section())).is_ok(),
        })
    }

    /// The kinds the caller may add through `case` (or to the person).
    fn upload_kinds(record: &Record, case: Option<&CaseRow>, caller: &Caller) -> Vec<DocumentKind> {
        DocumentKind::ALL
            .iter()
            .copied()
            .filter(|k| may_on(record, case, caller, Action::WriteRecord(k.section())).is_ok())
            .collect()
    }

    /// Attaches a file to a person (or one of their cases). Its type is decided from its
    /// bytes; a photo's metadata (EXIF with GPS, XMP, comments) is stripped before it is
    /// sealed with the person's key.
    pub async fn upload_document(
        &self,
        caller: &Caller,
        person: PersonId,
        upload: DocumentUpload,
    ) -> AppResult<DocumentView> {
        let bytes = Zeroizing::new(upload.bytes);
        let record = self.load_record(person).await?;
        // Whose record it is comes first: another organisation's person is "not found",
        // whatever the form says.
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Summary), "document.upload").await?;
        let kind = DocumentKind::from_code(upload.kind.trim()).map_err(|e| AppError::invalid("kind", e))?;
        let case = match upload.case {
            None => None,
            Some(id) => Some(
                case_in(&record, Some(id))
                    .ok()
                    .flatten()
                    .filter(|c| record.visible_cases(caller).iter().any(|v| v.id == c.id))
                    .ok_or(AppError::invalid("case_id", DomainError::UnknownCode))?,
            ),
        };
        self.require_on(caller, &record, case, Action::WriteRecord(kind.section()), "document.upload").await?;
        let title = document_title(&upload.title).map_err(|p| invalid("title", p))?;
        if bytes.is_empty() {
            return Err(invalid("file", DocumentProblem::Empty));
        }
        if bytes.len() > self.inner.config.max_document_bytes {
            return Err(invalid("file", DocumentProblem::TooLarge));
        }
        // Parsing and copying up to the size limit: off the async threads.
        let checked = tokio::task::spawn_blocking(move || content::check_file(&bytes))
            .await
            .map_err(|_| AppError::Unavailable("document check stopped".into()))?
            .map_err(|p| invalid("file", p))?;
        let checked_bytes = Zeroizing::new(checked.bytes);
        let id = DocumentId::new();
        let key = self.person_key(&record.person)?;
        let meta = Meta { title, file_name: upload.file_name.as_deref().and_then(clean_file_name) };
        let row = DocumentRow {
            id,
            org: record.person.org,
            person,
            case: case.map(|c| c.id),
            kind: kind.code().to_owned(),
            content_type: checked.kind.code().to_owned(),
            size: i64::try_from(checked_bytes.len()).map_err(|_| invalid("file", DocumentProblem::TooLarge))?,
            meta: seal_json(&key, TABLE, "meta", *id.as_uuid(), &meta)?,
            uploaded_by: match caller {
                Caller::User { actor, .. } => Some(actor.user),
                Caller::Operator => None,
            },
            uploaded_at: self.now(),
            version: 1,
        };
        let sealed = key.seal(&FieldAad { table: TABLE, column: "content", row: id.as_bytes() }, &checked_bytes);
        let mut tx = self.inner.store.begin().await?;
        tx.insert_document(&row, &sealed).await?;
        let d = self.document_draft(caller, "document.upload", &row, kind);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.document_view(&record, &row, caller)
    }

    /// A person's documents that the reader may see (their cases' too, each through its
    /// case), newest first, with what the reader may add. The list is audited before any
    /// title is shown.
    pub async fn person_documents(&self, caller: &Caller, person: PersonId) -> AppResult<DocumentList> {
        let record = self.load_record(person).await?;
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Summary), "document.list").await?;
        let rows = self.inner.store.documents_of_person(person).await?;
        let visible = self.readable(&record, rows, caller)?;
        self.audit_list(caller, &record, "person", *person.as_uuid(), visible.len()).await?;
        let items = self.document_views(&record, &visible, caller).await?;
        Ok(Self::choices(&record, caller, items))
    }

    /// The documents attached to one case that the reader may see, newest first.
    pub async fn case_documents(&self, caller: &Caller, case: CaseId) -> AppResult<DocumentList> {
        let row = self.inner.store.case(case).await?.ok_or(AppError::NotFound)?;
        let record = self.load_record(row.person).await?;
        let c = case_in(&record, Some(case))?;
        self.require_on(caller, &record, c, Action::ReadRecord(Section::Summary), "document.list").await?;
        let rows = self.inner.store.documents_of_case(case).await?;
        let visible = self.readable(&record, rows, caller)?;
        self.audit_list(caller, &record, "case", *case.as_uuid(), visible.len()).await?;
        let items = self.document_views(&record, &visible, caller).await?;
        let cases = c.map(|c| vec![(c.id, c.number.clone())]).unwrap_or_default();
        Ok(DocumentList { items, upload_kinds: Self::upload_kinds(&record, c, caller), cases })
    }

    /// The listed documents, with who uploaded each (staff names, looked up once).
    async fn document_views(
        &self,
        record: &Record,
        rows: &[DocumentRow],
        caller: &Caller,
    ) -> AppResult<Vec<DocumentView>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let users = self.inner.store.users_in_org(record.person.org).await?;
        rows.iter()
            .map(|r| {
                let mut view = self.document_view(record, r, caller)?;
                view.uploaded_by_name =
                    r.uploaded_by.and_then(|u| users.iter().find(|x| x.id == u)).map(|u| u.name.clone());
                Ok(view)
            })
            .collect()
    }

    /// What the upload form offers for a person: the kinds the reader may add, and the
    /// person's cases they may attach to. No document is read.
    pub async fn document_choices(&self, caller: &Caller, person: PersonId) -> AppResult<DocumentList> {
        let record = self.load_record(person).await?;
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Summary), "document.upload").await?;
        Ok(Self::choices(&record, caller, Vec::new()))
    }

    /// A person's list with the kinds the reader may add to the person or any case of theirs.
    fn choices(record: &Record, caller: &Caller, items: Vec<DocumentView>) -> DocumentList {
        let visible = record.visible_cases(caller);
        let mut upload_kinds = Self::upload_kinds(record, None, caller);
        for c in &visible {
            for k in Self::upload_kinds(record, Some(c), caller) {
                if !upload_kinds.contains(&k) {
                    upload_kinds.push(k);
                }
            }
        }
        upload_kinds.sort_by_key(|k| DocumentKind::ALL.iter().position(|a| a == k));
        DocumentList { items, upload_kinds, cases: visible.iter().map(|c| (c.id, c.number.clone())).collect() }
    }

    /// The rows whose kind the caller may read, through each one's case.
    fn readable(&self, record: &Record, rows: Vec<DocumentRow>, caller: &Caller) -> AppResult<Vec<DocumentRow>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let case = case_in(record, row.case)?;
            if may_on(record, case, caller, Action::ReadRecord(kind_of(&row)?.section())).is_ok() {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// A list that shows titles is a read of the record: audited first (nothing to audit when
    /// it shows nothing).
    async fn audit_list(
        &self,
        caller: &Caller,
        record: &Record,
        kind: &str,
        id: uuid::Uuid,
        n: usize,
    ) -> AppResult<()> {
        if n == 0 || !self.inner.config.audit_reads {
            return Ok(());
        }
        let mut d = self.record_draft(caller, "document.list", AuditOutcome::Ok, kind, id);
        d.org = Some(record.person.org);
        d.detail = Some(format!("results.{n}"));
        self.inner.auditor.record(vec![d]).await
    }

    /// Loads a document with its person's record, and checks `action` on its kind's section.
    async fn load_document(
        &self,
        caller: &Caller,
        id: DocumentId,
        action: fn(Section) -> Action,
        code: &str,
    ) -> AppResult<(DocumentRow, DocumentKind, Record)> {
        let row = self.inner.store.document(id).await?.ok_or(AppError::NotFound)?;
        let record = self.load_record(row.person).await?;
        let kind = kind_of(&row)?;
        let case = case_in(&record, row.case)?;
        self.require_on(caller, &record, case, action(kind.section()), code).await?;
        Ok((row, kind, record))
    }

    /// One document's description (the delete confirmation shows it), for those who may
    /// delete it. Audited as a read.
    pub async fn document(&self, caller: &Caller, id: DocumentId) -> AppResult<DocumentView> {
        let (row, kind, record) = self.load_document(caller, id, Action::ReadRecord, "document.read").await?;
        self.require_on(
            caller,
            &record,
            case_in(&record, row.case)?,
            Action::WriteRecord(kind.section()),
            "document.read",
        )
        .await?;
        if self.inner.config.audit_reads {
            self.inner.auditor.record(vec![self.document_draft(caller, "document.read", &row, kind)]).await?;
        }
        self.document_view(&record, &row, caller)
    }

    /// The file, for those who may read its kind's section. Every download is audited,
    /// before a byte is handed out.
    pub async fn download_document(&self, caller: &Caller, id: DocumentId) -> AppResult<DocumentFile> {
        let (row, kind, record) = self.load_document(caller, id, Action::ReadRecord, "document.download").await?;
        let content_type = DocumentType::from_code(&row.content_type)
            .map_err(|_| AppError::Integrity("documents.content_type".into()))?;
        let sealed = self.inner.store.document_content(id).await?.ok_or(AppError::NotFound)?;
        self.inner.auditor.record(vec![self.document_draft(caller, "document.download", &row, kind)]).await?;
        let key = self.person_key(&record.person)?;
        let bytes = key.open(&FieldAad { table: TABLE, column: "content", row: id.as_bytes() }, &sealed)?;
        Ok(DocumentFile { id, content_type, bytes })
    }

    /// Deletes a document, for those who may change its kind's section.
    pub async fn delete_document(&self, caller: &Caller, id: DocumentId) -> AppResult<DeletedDocument> {
        let (row, kind, _) = self.load_document(caller, id, Action::WriteRecord, "document.delete").await?;
        let mut tx = self.inner.store.begin().await?;
        if !tx.delete_document(row.org, id).await? {
            return Err(AppError::NotFound);
        }
        let d = self.document_draft(caller, "document.delete", &row, kind);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(DeletedDocument { person: row.person, case: row.case })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_part_of_a_file_name_is_kept_without_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\ana\\pasaporte.jpg").as_deref(), Some("pasaporte.jpg"));
        assert_eq!(clean_file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_file_name("carta\r\nSet-Cookie: x.pdf").as_deref(), Some("cartaSet-Cookie: x.pdf"));
        assert_eq!(clean_file_name("  /  "), None);
        assert_eq!(clean_file_name(&"ñ".repeat(300)).map(|n| n.chars().count()), Some(MAX_FILE_NAME_CHARS));
    }
}
