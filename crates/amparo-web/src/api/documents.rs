//! `/api/v1` documents: attach a file to a person (multipart), list a person's documents,
//! download one (the bytes, as an attachment), delete one. The use cases decide access and
//! audit every download, as for the pages.

use axum::Extension;
use axum::extract::Multipart;
use axum::extract::State;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use amparo_app::documents::DocumentUpload;
use amparo_domain::records::DocumentId;
use amparo_domain::{Actor, CaseId, PersonId};

use super::{ApiPath, caller, invalid_field, reject, reply};
use crate::AppState;
use crate::errors;
use crate::upload::{UploadError, UploadForm};

/// Attaches a file to a person (or one of their cases). The type is decided from the bytes;
/// photos lose their metadata before they are sealed.
#[utoipa::path(
    operation_id = "upload_document",
    post,
    path = "/api/v1/persons/{id}/documents",
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body(content = schema::DocumentUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Added: its id, kind, the media type found in the bytes and the size kept", body = schema::DocumentView),
        (status = 400, description = "Not a multipart body we read (`malformed_body`), or a malformed id", body = super::ApiError),
        (status = 403, description = "The role may not add this kind of document here", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError),
        (status = 413, description = "`document_too_large`: over the installation's limit (10 MiB by default)", body = super::ApiError),
        (status = 415, description = "`multipart_required`", body = super::ApiError),
        (status = 422, description = "`document_type_not_allowed` (not a JPEG, PNG, WebP or PDF that parses, whatever its name), `document_empty`, `document_title_invalid`, or an unknown `kind` or `case_id`", body = super::ApiError)
    )
)]
pub(super) async fn upload(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else {
        return reject(StatusCode::UNSUPPORTED_MEDIA_TYPE, "multipart_required");
    };
    let form = match UploadForm::read(multipart).await {
        Ok(form) => form,
        Err(UploadError::TooLarge) => return reject(StatusCode::PAYLOAD_TOO_LARGE, "document_too_large"),
        Err(UploadError::Malformed) => return reject(StatusCode::BAD_REQUEST, "malformed_body"),
    };
    let case = match form.fields.get("case_id").trim() {
        "" => None,
        c => match c.parse::<CaseId>() {
            Ok(c) => Some(c),
            Err(_) => return invalid_field("case_id"),
        },
    };
    let (file_name, bytes) = form.file.map(|f| (f.name, f.bytes)).unwrap_or_default();
    let upload = DocumentUpload {
        kind: form.fields.get("kind").to_owned(),
        title: form.fields.get("title").to_owned(),
        file_name,
        case,
        bytes,
    };
    match state.app.upload_document(&caller(actor), id, upload).await {
        Ok(view) => reply(StatusCode::CREATED, &view),
        Err(e) => errors::json(&e),
    }
}

/// A person's documents that the token's user may see (their cases' too), newest first.
#[utoipa::path(
    operation_id = "list_documents",
    get,
    path = "/api/v1/persons/{id}/documents",
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The documents, without their content; kinds the reader may not read are left out", body = schema::Documents),
        (status = 403, description = "Outside the reader's reach", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    match state.app.person_documents(&caller(actor), id).await {
        Ok(list) => reply(StatusCode::OK, &json!({ "items": list.items })),
        Err(e) => errors::json(&e),
    }
}

/// The file, as an attachment under a neutral name, with the media type found at upload.
/// Audited before a byte is sent.
#[utoipa::path(
    operation_id = "download_document",
    get,
    path = "/api/v1/documents/{id}",
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)",
            content(
                (Vec<u8> = "image/jpeg"),
                (Vec<u8> = "image/png"),
                (Vec<u8> = "image/webp"),
                (Vec<u8> = "application/pdf")
            )),
        (status = 403, description = "The role may not read this kind of document", body = super::ApiError),
        (status = 404, description = "No such document (or another organisation's, or erased)", body = super::ApiError)
    )
)]
pub(super) async fn download(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<DocumentId>,
) -> Response {
    match state.app.download_document(&caller(actor), id).await {
        Ok(file) => crate::pages::documents::attachment(file),
        Err(e) => errors::json(&e),
    }
}

/// Deletes a document (its file goes; the audit log keeps who added, opened and deleted it).
#[utoipa::path(
    operation_id = "delete_document",
    delete,
    path = "/api/v1/documents/{id}",
    tag = "documents",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The document's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The role may not change this kind of document", body = super::ApiError),
        (status = 404, description = "No such document (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<DocumentId>,
) -> Response {
    match state.app.delete_document(&caller(actor), id).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => errors::json(&e),
    }
}

/// The shapes the OpenAPI document describes.
#[allow(dead_code)]
pub(super) mod schema {
    use chrono::{DateTime, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    /// `multipart/form-data` with these parts.
    #[derive(ToSchema)]
    pub struct DocumentUpload {
        /// The file: a JPEG, PNG or WebP photo, or a PDF (decided from its bytes).
        #[schema(value_type = String, format = Binary)]
        file: Vec<u8>,
        /// `identity_document`, `certification_letter`, `signed_consent`, `legal`, `medical`,
        /// `photo` or `other`. It decides who may read it (identity, legal, consent,
        /// screening or services section of the record).
        kind: String,
        /// At most 200 characters.
        title: String,
        /// Attach to this case of the person's.
        case_id: Option<Uuid>,
    }

    /// A document, without its content.
    #[derive(ToSchema)]
    pub struct DocumentView {
        id: Uuid,
        person_id: Uuid,
        case_id: Option<Uuid>,
        case_number: Option<String>,
        kind: String,
        /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`: found in the bytes.
        content_type: String,
        /// Bytes, as kept (a photo's metadata removed).
        size: i64,
        title: String,
        /// The name the file had when it was sent (never the download's name).
        file_name: Option<String>,
        uploaded_by: Option<Uuid>,
        uploaded_at: DateTime<Utc>,
    }

    #[derive(ToSchema)]
    pub struct Documents {
        items: Vec<DocumentView>,
    }
}
