//! Rows of documents. The file itself is sealed with the person's data key and read only by
//! [`Store::document_content`](crate::Store::document_content): listing never touches it.

use chrono::{DateTime, Utc};

use amparo_domain::records::DocumentId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};

/// A document attached to a person (and maybe one of their cases). The kind, the media type
/// found in the bytes and the size stay in clear; the title and the original file name are
/// sealed JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub org: OrgId,
    pub person: PersonId,
    /// The case it belongs to, which must be the person's; None for the person's own papers.
    pub case: Option<CaseId>,
    /// `DocumentKind` code.
    pub kind: String,
    /// `DocumentType` code (the media type sniffed from the bytes, never the browser's word).
    pub content_type: String,
    /// Bytes of the file as kept (after metadata was stripped), before sealing.
    pub size: i64,
    /// Sealed JSON: the title and the original file name.
    pub meta: Vec<u8>,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: DateTime<Utc>,
    pub version: i64,
}

impl std::fmt::Debug for DocumentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentRow")
            .field("id", &self.id)
            .field("person", &self.person)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}
