//! Importing people from a spreadsheet, for administrators and supervisors, in four plain
//! steps without JavaScript: upload the file → say which column is which field → preview
//! (every bad row with its line, every possible duplicate) → confirm.
//!
//! The uploaded file is never written to disk: it is held in this process's memory (wiped
//! when dropped) under a random token, for its uploader only, for at most
//! [`HOLD_FOR`], and dropped once imported. The token in the URL identifies nobody.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use zeroize::Zeroizing;

use amparo_app::AppError;
use amparo_domain::{Action, Denied, OrgId, Resource, UserId, authorize};
use amparo_insights::import::{Options, Report, prepare, run};
use amparo_insights::mapping::{FIELDS, Mapping, MappingError};
use amparo_insights::sheet::{self, Table};

use crate::AppState;
use crate::pages::records::{Fields, caller, fail};
use crate::session::Visitor;
use crate::upload::{FILE_FIELD, UploadError, UploadForm};
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// The largest file the page takes.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// How long an uploaded file waits for its mapping and confirmation.
pub const HOLD_FOR: Duration = Duration::from_secs(30 * 60);
/// Files held at once (a new upload past this drops the oldest).
const MAX_HELD: usize = 32;

struct Held {
    user: UserId,
    org: OrgId,
    bytes: Zeroizing<Vec<u8>>,
    at: Instant,
}

/// Uploaded files waiting for their mapping and confirmation, in memory only.
#[derive(Default)]
pub struct HeldImports(Mutex<HashMap<String, Held>>);

impl std::fmt::Debug for HeldImports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldImports(..)")
    }
}

impl HeldImports {
    fn put(&self, user: UserId, org: OrgId, bytes: Vec<u8>) -> String {
        let token = amparo_app::random_token();
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, h| h.at.elapsed() < HOLD_FOR);
        while map.len() >= MAX_HELD {
            let Some(oldest) = map.iter().min_by_key(|(_, h)| h.at).map(|(k, _)| k.clone()) else { break };
            map.remove(&oldest);
        }
        map.insert(token.clone(), Held { user, org, bytes: Zeroizing::new(bytes), at: Instant::now() });
        token
    }

    /// The file's bytes, for its uploader only.
    fn get(&self, token: &str, user: UserId) -> Option<(OrgId, Zeroizing<Vec<u8>>)> {
        let map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(token)
            .filter(|h| h.user == user && h.at.elapsed() < HOLD_FOR)
            .map(|h| (h.org, Zeroizing::new(h.bytes.to_vec())))
    }

    fn drop_file(&self, token: &str) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(token);
    }
}

fn may_import(s: &amparo_app::SessionContext) -> bool {
    authorize(&s.actor, Action::ImportRecords, Resource::Organisation(s.actor.org)).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Step 1: upload

#[derive(Template)]
#[template(path = "import.html")]
struct UploadPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    fields: Vec<&'static str>,
    max_mb: i64,
    /// After an import: how many people were created, and bad rows skipped.
    done: Option<(i64, i64)>,
}

/// `?imported=N&skipped=M` after an import (counts only).
#[derive(serde::Deserialize, Default)]
pub struct Done {
    imported: Option<usize>,
    skipped: Option<usize>,
}

fn upload_page(state: &AppState, v: &Visitor, errors: FormErrors, status: StatusCode) -> Response {
    upload_page_with(state, v, errors, status, None)
}

fn upload_page_with(
    state: &AppState,
    v: &Visitor,
    errors: FormErrors,
    status: StatusCode,
    done: Option<(usize, usize)>,
) -> Response {
    let l = v.tr();
    let page = UploadPage {
        page: v.page(state, l.t("import-title")),
        errors,
        fields: FIELDS.iter().map(|f| f.name).collect(),
        max_mb: (MAX_IMPORT_BYTES / (1024 * 1024)) as i64,
        done: done.map(|(a, b)| (a as i64, b as i64)),
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(done): Query<Done>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !may_import(s) {
        return fail(&state, &v, &AppError::Forbidden(Denied::RoleLacksPermission));
    }
    let done = done.imported.map(|n| (n, done.skipped.unwrap_or(0)));
    upload_page_with(&state, &v, FormErrors::default(), StatusCode::OK, done)
}

pub async fn upload(
    State(state): State<AppState>,
    v: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let l = v.tr();
    let read = match multipart {
        Ok(m) => UploadForm::read(m).await,
        Err(_) => Err(UploadError::Malformed),
    };
    let upload = match read {
        Ok(u) => u,
        Err(e) => {
            let (status, code) = match e {
                UploadError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "import_too_large"),
                UploadError::Malformed => (StatusCode::BAD_REQUEST, "import_unreadable"),
            };
            let mut errors = FormErrors::default();
            errors.push(FILE_FIELD, l.t(&format!("error-{code}")));
            return upload_page(&state, &v, errors, status);
        }
    };
    let s = match v.signed_in_form(&state, upload.fields.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !may_import(s) {
        return fail(&state, &v, &AppError::Forbidden(Denied::RoleLacksPermission));
    }
    let bytes = Zeroizing::new(upload.file.map(|f| f.bytes).unwrap_or_default());
    let code = if bytes.is_empty() {
        Some("import_no_file")
    } else {
        match sheet::read(&bytes) {
            Ok(t) if t.rows.is_empty() => Some("import_no_rows"),
            Ok(_) => None,
            Err(e) => Some(e.code()),
        }
    };
    if let Some(code) = code {
        let mut errors = FormErrors::default();
        errors.push(FILE_FIELD, l.t(&format!("error-{code}")));
        return upload_page(&state, &v, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let token = state.imports.put(s.actor.user, s.actor.org, bytes.to_vec());
    see_other(&format!("/import/{token}"))
}

// ---------------------------------------------------------------------------------------------
// Step 2: mapping

/// One column of the file and the field chosen for it.
pub struct ColumnChoice {
    pub index: usize,
    pub header: String,
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "import_mapping.html")]
struct MappingPage {
    l: Tr,
    page: PageCtx,
    errors: FormErrors,
    token: String,
    rows: i64,
    columns: Vec<ColumnChoice>,
    skip_bad_rows: bool,
}

fn column_choices(l: Tr, table: &Table, mapping: &Mapping) -> Vec<ColumnChoice> {
    table
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let chosen = mapping.columns.get(header.trim()).cloned().unwrap_or_default();
            let mut options = vec![(String::new(), l.t("import-leave-out"), chosen.is_empty())];
            options.extend(FIELDS.iter().map(|f| {
                (
                    f.name.to_owned(),
                    format!("{} ({})", l.t(&format!("import-field-{}", f.name)), f.name),
                    chosen == f.name,
                )
            }));
            ColumnChoice { index, header: header.clone(), options }
        })
        .collect()
}

/// The mapping a form sent: `col_0` … `col_N`, one per header.
fn mapping_of(table: &Table, f: &Fields) -> Mapping {
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_owned(), f.get(&format!("col_{i}")).trim().to_owned()))
        .collect();
    Mapping { columns }
}

struct Opened<'a> {
    s: &'a amparo_app::SessionContext,
    org: OrgId,
    bytes: Zeroizing<Vec<u8>>,
    table: Table,
}

/// The held file of this token, for this user, read again; or the response to give.
fn open<'a>(
    state: &AppState,
    v: &'a Visitor,
    token: &str,
    s: &'a amparo_app::SessionContext,
) -> Result<Opened<'a>, Response> {
    if !may_import(s) {
        return Err(fail(state, v, &AppError::Forbidden(Denied::RoleLacksPermission)));
    }
    let Some((org, bytes)) = state.imports.get(token, s.actor.user) else {
        let l = v.tr();
        let mut errors = FormErrors::default();
        errors.push(FILE_FIELD, l.t("error-import_expired"));
        return Err(upload_page(state, v, errors, StatusCode::NOT_FOUND));
    };
    let table = sheet::read(&bytes).map_err(|_| fail(state, v, &AppError::NotFound))?;
    Ok(Opened { s, org, bytes, table })
}

#[allow(clippy::too_many_arguments)]
fn mapping_page(
    state: &AppState,
    v: &Visitor,
    token: &str,
    table: &Table,
    mapping: &Mapping,
    skip_bad_rows: bool,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let l = v.tr();
    let page = MappingPage {
        page: v.page(state, l.t("import-mapping-title")),
        errors,
        token: token.to_owned(),
        rows: table.rows.len() as i64,
        columns: column_choices(l, table, mapping),
        skip_bad_rows,
        l,
    };
    v.finish(state, html(status, &page))
}

pub async fn mapping_form(State(state): State<AppState>, v: Visitor, Path(token): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let o = match open(&state, &v, &token, s) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let suggested = Mapping::suggested(&o.table.headers);
    mapping_page(&state, &v, &token, &o.table, &suggested, false, FormErrors::default(), StatusCode::OK)
}

fn mapping_error(l: Tr, e: &MappingError) -> FormErrors {
    let mut errors = FormErrors::default();
    errors.push("col_0", l.t(&format!("error-{}", e.code())));
    errors
}

// ---------------------------------------------------------------------------------------------
// Step 3: preview, and step 4: confirm

/// One bad row as the preview lists it.
pub struct ProblemLine {
    pub line: usize,
    pub column: String,
    pub message: String,
}

/// One possible duplicate as the preview lists it.
pub struct DuplicateLine {
    pub line: usize,
    pub on_file: usize,
    pub case_numbers: String,
    pub same_as_line: String,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    l: Tr,
    page: PageCtx,
    token: String,
    rows: i64,
    good: i64,
    mistakes: i64,
    problems: Vec<ProblemLine>,
    duplicates: Vec<DuplicateLine>,
    /// The mapping to send again with the confirmation.
    hidden: Vec<(String, String)>,
    skip_bad_rows: bool,
    may_confirm: bool,
}

fn preview_page(
    state: &AppState,
    v: &Visitor,
    token: &str,
    f: &Fields,
    report: &Report,
    skip_bad_rows: bool,
) -> Response {
    let l = v.tr();
    let lang = l.0;
    let bad = report.bad_lines().len();
    let problems = report
        .problems
        .iter()
        .map(|p| ProblemLine { line: p.line, column: p.column.clone(), message: p.message(lang) })
        .collect();
    let duplicates = report
        .duplicates
        .iter()
        .map(|d| DuplicateLine {
            line: d.line,
            on_file: d.on_file,
            case_numbers: d.hints.iter().flat_map(|h| h.case_numbers.clone()).collect::<Vec<_>>().join(", "),
            same_as_line: d.same_as_line.map(|n| n.to_string()).unwrap_or_default(),
        })
        .collect();
    let hidden = f.0.iter().filter(|(k, _)| k.starts_with("col_")).cloned().collect();
    let page = PreviewPage {
        page: v.page(state, l.t("import-preview-title")),
        token: token.to_owned(),
        rows: report.rows as i64,
        good: report.rows.saturating_sub(bad) as i64,
        mistakes: report.problems.len() as i64,
        problems,
        duplicates,
        hidden,
        skip_bad_rows,
        may_confirm: report.rows > bad && (bad == 0 || skip_bad_rows),
        l,
    };
    let status = if bad > 0 && !skip_bad_rows { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    v.finish(state, html(status, &page))
}

async fn check_or_import(
    state: AppState,
    v: Visitor,
    token: String,
    pairs: Vec<(String, String)>,
    write: bool,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let o = match open(&state, &v, &token, s) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mapping = mapping_of(&o.table, &f);
    let skip_bad_rows = f.has("skip_bad_rows");
    let prepared = match prepare(&o.table, &mapping) {
        Ok(p) => p,
        Err(e) => {
            let errors = mapping_error(v.tr(), &e);
            return mapping_page(
                &state,
                &v,
                &token,
                &o.table,
                &mapping,
                skip_bad_rows,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    drop(o.bytes);
    let options = Options { dry_run: !write, skip_bad_rows };
    match run(&state.app, &caller(o.s), o.org, prepared, options).await {
        Ok(report) if write && report.imported > 0 => {
            state.imports.drop_file(&token);
            see_other(&format!("/import?imported={}&skipped={}", report.imported, report.skipped))
        }
        Ok(report) => preview_page(&state, &v, &token, &f, &report, skip_bad_rows),
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn preview(
    State(state): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    check_or_import(state, v, token, pairs, false).await
}

pub async fn confirm(
    State(state): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    check_or_import(state, v, token, pairs, true).await
}
