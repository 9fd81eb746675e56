//! Documents on the person and case pages: the list the reader may see, the upload form (a
//! plain multipart form, no JavaScript), the download (always an attachment, under a neutral
//! name), and deleting after a confirmation page.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::documents::{DocumentFile, DocumentList, DocumentUpload, DocumentView};
use amparo_domain::records::{DocumentId, DocumentType};
use amparo_domain::{CaseId, PersonId};

use crate::AppState;
use crate::errors;
use crate::pages::records::{Choice, Fields, caller, choices, date_time, fail, field_message, label};
use crate::session::Visitor;
use crate::upload::{FILE_FIELD, UploadError, UploadForm};
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// One line of the documents table.
pub struct DocLine {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub file_name: String,
    pub file_type: String,
    pub size: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
    pub case_number: String,
    pub may_delete: bool,
}

/// The upload form as typed (the file itself cannot be given back to a browser).
#[derive(Clone, Default)]
pub struct DocumentForm {
    pub kind: String,
    pub title: String,
    pub case_id: String,
}

/// The documents section of the person and case pages (`_documents.html`), and the
/// upload page's form.
#[derive(Default)]
pub struct DocumentsSection {
    pub person_id: String,
    /// Set on a case page: uploads go to this case, and the page comes back to it.
    pub case_id: String,
    pub lines: Vec<DocLine>,
    pub may_upload: bool,
    pub kinds: Vec<Choice>,
    /// The person's cases a document may be attached to (the person's page).
    pub cases: Vec<Choice>,
    pub form: DocumentForm,
    pub file_hint: String,
    pub errors: FormErrors,
}

/// Sizes as people read them.
fn human_size(bytes: i64) -> String {
    const MIB: i64 = 1024 * 1024;
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < MIB => format!("{} KB", (b + 1023) / 1024),
        b => format!("{}.{} MB", b / MIB, (b % MIB) * 10 / MIB),
    }
}

fn type_label(l: Tr, content_type: &str) -> String {
    match DocumentType::from_code(content_type) {
        Ok(t) => l.t(&format!("documents-type-{}", t.extension())),
        Err(_) => content_type.to_owned(),
    }
}

fn line(l: Tr, d: &DocumentView) -> DocLine {
    DocLine {
        id: d.id.to_string(),
        kind: label(l, "document_kind", &d.kind),
        title: d.title.clone(),
        file_name: d.file_name.clone().unwrap_or_default(),
        file_type: type_label(l, &d.content_type),
        size: human_size(d.size),
        uploaded_at: date_time(l, d.uploaded_at),
        uploaded_by: d.uploaded_by_name.clone().unwrap_or_default(),
        case_number: d.case_number.clone().unwrap_or_default(),
        may_delete: d.may_delete,
    }
}

/// The section for a page: the documents listed, and the form with what was typed.
pub fn section(
    state: &AppState,
    l: Tr,
    list: &DocumentList,
    person: PersonId,
    case: Option<CaseId>,
    form: DocumentForm,
    errors: FormErrors,
) -> DocumentsSection {
    let max_mb = i64::try_from(state.app.config().max_document_bytes / (1024 * 1024)).unwrap_or(i64::MAX);
    let mut case_choices = Vec::new();
    if case.is_none() {
        case_choices.extend(list.cases.iter().map(|(id, number)| Choice {
            code: id.to_string(),
            label: number.clone(),
            selected: form.case_id == id.to_string(),
        }));
    }
    DocumentsSection {
        person_id: person.to_string(),
        case_id: case.map(|c| c.to_string()).unwrap_or_default(),
        lines: list.items.iter().map(|d| line(l, d)).collect(),
        may_upload: !list.upload_kinds.is_empty(),
        kinds: choices(
            l,
            "document_kind",
            list.upload_kinds.iter().map(|k| k.code()),
            std::slice::from_ref(&form.kind),
        ),
        cases: case_choices,
        form,
        file_hint: l.n("documents-file-hint", "mb", max_mb),
        errors,
    }
}

/// The person page's section (no form typed yet).
pub async fn person_section(
    state: &AppState,
    l: Tr,
    c: &amparo_app::Caller,
    person: PersonId,
) -> Result<DocumentsSection, AppError> {
    let list = state.app.person_documents(c, person).await?;
    Ok(section(state, l, &list, person, None, DocumentForm::default(), FormErrors::default()))
}

/// The case page's section: the case's documents, uploads attached to the case.
pub async fn case_section(
    state: &AppState,
    l: Tr,
    c: &amparo_app::Caller,
    person: PersonId,
    case: CaseId,
) -> Result<DocumentsSection, AppError> {
    let list = state.app.case_documents(c, case).await?;
    Ok(section(state, l, &list, person, Some(case), DocumentForm::default(), FormErrors::default()))
}

// ---------------------------------------------------------------------------------------------
// Uploading

#[derive(Template)]
#[template(path = "document_upload.html")]
struct UploadPage {
    l: Tr,
    page: PageCtx,
    documents: DocumentsSection,
    errors: FormErrors,
    back: String,
}

fn person_id(id: &str) -> Result<PersonId, AppError> {
    PersonId::from_str(id).map_err(|_| AppError::NotFound)
}

/// The upload form on a page of its own: where a refused upload comes back to, with what
/// was typed and the message next to its field.
async fn render_upload(
    state: &AppState,
    v: &Visitor,
    pid: PersonId,
    from_case: Option<CaseId>,
    form: DocumentForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let list = match state.app.document_choices(&caller(s), pid).await {
        Ok(list) => list,
        Err(e) => return fail(state, v, &e),
    };
    let l = v.tr();
    let back = match from_case {
        Some(c) => format!("/cases/{c}#documents"),
        None => format!("/persons/{pid}#documents"),
    };
    let documents = section(state, l, &list, pid, from_case, form, errors.clone());
    let page = v.page(state, l.t("documents-add"));
    v.finish(state, html(status, &UploadPage { l, page, documents, errors, back }))
}

pub async fn upload_form(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    render_upload(&state, &v, pid, None, DocumentForm::default(), FormErrors::default(), StatusCode::OK).await
}

pub async fn upload(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let l = v.tr();
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let read = match multipart {
        Ok(m) => UploadForm::read(m).await,
        Err(_) => Err(UploadError::Malformed),
    };
    let upload = match read {
        Ok(upload) => upload,
        // Nothing of the form could be read, its CSRF token included: no state changes, and
        // the form comes back empty with the reason (a body over the limit is cut short).
        Err(e) => {
            let (status, code) = match e {
                UploadError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "document_too_large"),
                UploadError::Malformed => (StatusCode::BAD_REQUEST, "document_empty"),
            };
            let mut errors = FormErrors::default();
            errors.push(FILE_FIELD, l.t(&format!("error-{code}")));
            return render_upload(&state, &v, pid, None, DocumentForm::default(), errors, status).await;
        }
    };
    let f = &upload.fields;
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = DocumentForm {
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        case_id: f.get("case_id").trim().to_owned(),
    };
    let from_case = (f.get("from") == "case").then(|| CaseId::from_str(&form.case_id).ok()).flatten();
    let case = match form.case_id.as_str() {
        "" => Ok(None),
        c => CaseId::from_str(c)
            .map(Some)
            .map_err(|_| AppError::invalid("case_id", amparo_domain::DomainError::UnknownCode)),
    };
    let result = match case {
        Ok(case) => {
            let (file_name, bytes) = upload.file.map(|f| (f.name, f.bytes)).unwrap_or_default();
            let input = DocumentUpload { kind: form.kind.clone(), title: form.title.clone(), file_name, case, bytes };
            state.app.upload_document(&caller(s), pid, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => match (from_case, d.case_id) {
            (Some(_), Some(c)) => see_other(&format!("/cases/{c}?done=document#documents")),
            _ => see_other(&format!("/persons/{pid}?done=document#documents")),
        },
        Err(e) => {
            let mut errors = FormErrors::default();
            if field_message(l, &e, &mut errors) {
                render_upload(&state, &v, pid, from_case, form, errors, errors::status_of(&e)).await
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Downloading

/// A document as an attachment under a neutral name (never the survivor's or the original
/// file name), with the type found in its bytes. The security headers (`nosniff`, CSP,
/// `no-store`) are added by the router for every response.
pub fn attachment(file: DocumentFile) -> Response {
    let short = file.id.to_string().chars().take(8).collect::<String>();
    let name = format!("document-{short}.{}", file.content_type.extension());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let len = file.bytes.len();
    // The plaintext is wiped from memory when the body has been sent.
    let body = Body::from(Bytes::from_owner(file.bytes));
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.content_type.media_type()));
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

pub async fn download(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(did) = DocumentId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.download_document(&caller(s), did).await {
        Ok(file) => attachment(file),
        Err(e) => fail(&state, &v, &e),
    }
}

// ---------------------------------------------------------------------------------------------
// Deleting

#[derive(Template)]
#[template(path = "document_delete.html")]
struct DeletePage {
    l: Tr,
    page: PageCtx,
    id: String,
    title: String,
    kind: String,
    uploaded_at: String,
    from_case: bool,
    back: String,
}

/// Which page the delete link was on (a fixed word, never a value).
#[derive(Deserialize, Default)]
pub struct FromQuery {
    #[serde(default)]
    from: String,
}

pub async fn delete_form(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<FromQuery>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(did) = DocumentId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let d = match state.app.document(&caller(s), did).await {
        Ok(d) => d,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let from_case = q.from == "case" && d.case_id.is_some();
    let back = match (from_case, d.case_id) {
        (true, Some(c)) => format!("/cases/{c}#documents"),
        _ => format!("/persons/{}#documents", d.person_id),
    };
    let t = DeletePage {
        page: v.page(&state, l.t("documents-delete-title")),
        id: d.id.to_string(),
        kind: label(l, "document_kind", &d.kind),
        uploaded_at: date_time(l, d.uploaded_at),
        title: d.title,
        from_case,
        back,
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

pub async fn delete(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(did) = DocumentId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.delete_document(&caller(s), did).await {
        Ok(gone) => match (f.get("from") == "case", gone.case) {
            (true, Some(c)) => see_other(&format!("/cases/{c}?done=document_deleted#documents")),
            _ => see_other(&format!("/persons/{}?done=document_deleted#documents", gone.person)),
        },
        Err(e) => fail(&state, &v, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amparo_domain::records::DocumentKind;

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1 KB");
        assert_eq!(human_size(1025), "2 KB");
        assert_eq!(human_size(3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
        assert_eq!(human_size(10 * 1024 * 1024), "10.0 MB");
    }

    #[test]
    fn every_kind_and_type_has_a_label_in_both_languages() {
        for lang in amparo_i18n::Language::ALL {
            let have = amparo_i18n::keys(lang);
            for kind in DocumentKind::ALL {
                assert!(have.contains(&format!("code-document_kind-{kind}")), "{lang}: {kind}");
            }
            for t in DocumentType::ALL {
                assert!(have.contains(&format!("documents-type-{}", t.extension())), "{lang}: {t}");
            }
            for p in ["document_empty", "document_too_large", "document_type_not_allowed", "document_title_invalid"] {
                assert!(have.contains(&format!("error-{p}")), "{lang}: {p}");
            }
            let limit = amparo_domain::records::MAX_DOCUMENT_TITLE_CHARS.to_string();
            assert!(amparo_i18n::t(lang, "error-document_title_invalid").contains(&limit), "{lang}: say {limit}");
        }
    }
}
