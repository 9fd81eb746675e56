//! Documents attached to a person or a case: scans, photos and PDFs (identity documents,
//! certification letters, signed consents). Which part of the record a document belongs to
//! decides who may see it; what a file *is* is decided from its bytes, never from its name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case::code_enum;
use crate::Section;

crate::ids::id_type!(
    /// A document attached to a person (and maybe one of their cases).
    DocumentId
);

/// Files larger than this are refused unless the installation says otherwise.
pub const MAX_DOCUMENT_BYTES_DEFAULT: usize = 10 * 1024 * 1024;

/// A document's title is at most this many characters.
pub const MAX_DOCUMENT_TITLE_CHARS: usize = 200;

code_enum!(
    /// What a document is, in the advocate's words. The code decides the section of the
    /// record that governs it (see [`DocumentKind::section`]).
    DocumentKind {
        IdentityDocument => "identity_document",
        CertificationLetter => "certification_letter",
        SignedConsent => "signed_consent",
        Legal => "legal",
        Medical => "medical",
        Photo => "photo",
        Other => "other",
    }
);

impl DocumentKind {
    /// The section of the record whose read right opens the document and whose write right
    /// adds or deletes it: a clinician sees medical papers, not a passport scan.
    pub const fn section(self) -> Section {
        match self {
            DocumentKind::IdentityDocument => Section::Identity,
            DocumentKind::CertificationLetter | DocumentKind::Legal => Section::Legal,
            DocumentKind::SignedConsent => Section::Consent,
            DocumentKind::Medical => Section::Screening,
            DocumentKind::Photo | DocumentKind::Other => Section::Services,
        }
    }
}

code_enum!(
    /// The kinds of file Amparo keeps, as found in the bytes. The code is the media type.
    DocumentType {
        Jpeg => "image/jpeg",
        Png => "image/png",
        WebP => "image/webp",
        Pdf => "application/pdf",
    }
);

impl DocumentType {
    /// The media type sent with a download.
    pub const fn media_type(self) -> &'static str {
        self.code()
    }

    /// The extension of the neutral file name a download gets.
    pub const fn extension(self) -> &'static str {
        match self {
            DocumentType::Jpeg => "jpg",
            DocumentType::Png => "png",
            DocumentType::WebP => "webp",
            DocumentType::Pdf => "pdf",
        }
    }

    pub const fn is_image(self) -> bool {
        !matches!(self, DocumentType::Pdf)
    }
}

/// What is wrong with an upload (the code is an i18n key `error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentProblem {
    /// No file, or a file of zero bytes.
    Empty,
    /// Over the installation's size limit.
    TooLarge,
    /// The bytes are not a JPEG, PNG, WebP or PDF file that parses (whatever its name says).
    TypeNotAllowed,
    /// The title is missing or too long.
    TitleInvalid,
}

impl DocumentProblem {
    pub const fn code(self) -> &'static str {
        match self {
            DocumentProblem::Empty => "document_empty",
            DocumentProblem::TooLarge => "document_too_large",
            DocumentProblem::TypeNotAllowed => "document_type_not_allowed",
            DocumentProblem::TitleInvalid => "document_title_invalid",
        }
    }
}

/// The title as kept: trimmed, 1 to [`MAX_DOCUMENT_TITLE_CHARS`] characters.
pub fn document_title(title: &str) -> Result<String, DocumentProblem> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > MAX_DOCUMENT_TITLE_CHARS {
        Err(DocumentProblem::TitleInvalid)
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_governed_by_the_section_that_holds_its_kind_of_information() {
        let expected = [
            ("identity_document", Section::Identity),
            ("certification_letter", Section::Legal),
            ("legal", Section::Legal),
            ("signed_consent", Section::Consent),
            ("medical", Section::Screening),
            ("photo", Section::Services),
            ("other", Section::Services),
        ];
        assert_eq!(DocumentKind::ALL.len(), expected.len());
        for (code, section) in expected {
            assert_eq!(DocumentKind::from_code(code).map(DocumentKind::section), Ok(section), "{code}");
        }
        assert!(DocumentKind::from_code("passport").is_err());
    }

    #[test]
    fn types_round_trip_and_name_their_extension() {
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::from_code(t.media_type()), Ok(*t));
        }
        assert_eq!(DocumentType::Jpeg.extension(), "jpg");
        assert!(!DocumentType::Pdf.is_image() && DocumentType::WebP.is_image());
        assert!(DocumentType::from_code("image/svg+xml").is_err());
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(document_title("  Pasaporte, primera hoja "), Ok("Pasaporte, primera hoja".to_owned()));
        assert_eq!(document_title("   "), Err(DocumentProblem::TitleInvalid));
        assert!(document_title(&"ñ".repeat(MAX_DOCUMENT_TITLE_CHARS)).is_ok());
        assert_eq!(document_title(&"ñ".repeat(MAX_DOCUMENT_TITLE_CHARS + 1)), Err(DocumentProblem::TitleInvalid));
    }

    #[test]
    fn document_ids_parse_print_and_serialise_as_uuids() {
        let id = DocumentId::new();
        assert_eq!(id.to_string().parse::<DocumentId>(), Ok(id));
        assert_eq!(serde_json::to_string(&id).ok(), Some(format!("\"{id}\"")));
        assert!(format!("{id:?}").starts_with("DocumentId("));
    }
}
