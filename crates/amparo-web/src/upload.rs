//! Reading a `multipart/form-data` body (a document upload), for the pages and the API alike:
//! its text fields and at most one file, within limits. The page handler then checks the CSRF
//! token among those text fields exactly as it does for any other form
//! ([`crate::session::Visitor::signed_in_form`]): one check, whatever the encoding.
//!
//! How much may arrive at all is the route's body limit ([`body_limit`]); what a document may
//! weigh is the use case's to say, so that both doors give the same answer.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use crate::pages::records::Fields;

/// The one part that may carry a file.
pub const FILE_FIELD: &str = "file";
/// Room for the text fields and the multipart framing around a file of the largest size.
const FRAMING: usize = 64 * 1024;
/// A text field longer than this is not one of ours.
const MAX_TEXT: usize = 16 * 1024;
/// More parts than any of our forms has.
const MAX_PARTS: usize = 16;

/// The body limit of an upload route: the largest document plus its form around it.
pub fn body_limit(max_document_bytes: usize) -> usize {
    max_document_bytes.saturating_add(FRAMING)
}

/// A file as received: the bytes and the name the sender gave (never trusted for anything).
#[derive(Default)]
pub struct UploadedFile {
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// An upload form as received.
#[derive(Default)]
pub struct UploadForm {
    pub fields: Fields,
    pub file: Option<UploadedFile>,
}

/// Why an upload could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Over the route's body limit.
    TooLarge,
    /// Not a multipart body, or one we do not read (two files, an odd field).
    Malformed,
}

fn part_error(e: &MultipartError) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE { UploadError::TooLarge } else { UploadError::Malformed }
}

impl UploadForm {
    /// Reads every part. A part named [`FILE_FIELD`] is the file (an empty one, as browsers
    /// send when nothing was chosen, counts as none); other parts are short text fields.
    pub async fn read(mut multipart: Multipart) -> Result<UploadForm, UploadError> {
        let mut form = UploadForm::default();
        let mut parts = 0;
        while let Some(mut field) = multipart.next_field().await.map_err(|e| part_error(&e))? {
            parts += 1;
            if parts > MAX_PARTS {
                return Err(UploadError::Malformed);
            }
            let name = field.name().unwrap_or_default().to_owned();
            if name == FILE_FIELD {
                if form.file.is_some() {
                    return Err(UploadError::Malformed);
                }
                let file_name = field.file_name().map(str::to_owned);
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| part_error(&e))? {
                    bytes.extend_from_slice(&chunk);
                }
                form.file = Some(UploadedFile { name: file_name, bytes });
            } else {
                let mut text = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|e| part_error(&e))? {
                    if text.len() + chunk.len() > MAX_TEXT {
                        return Err(UploadError::Malformed);
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text).map_err(|_| UploadError::Malformed)?;
                form.fields.0.push((name, text));
            }
        }
        if form.file.as_ref().is_some_and(|f| f.bytes.is_empty() && f.name.as_deref().unwrap_or_default().is_empty()) {
            form.file = None;
        }
        Ok(form)
    }
}

/// Holds a survivor's file: never printed.
impl std::fmt::Debug for UploadForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UploadForm(<redacted>)")
    }
}

impl std::fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadedFile").field("len", &self.bytes.len()).finish_non_exhaustive()
    }
}
