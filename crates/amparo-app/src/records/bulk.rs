//! Many people at once: importing a spreadsheet's rows through intake, and taking the
//! organisation's whole record set out. The spreadsheets themselves (reading, mapping,
//! lenient parsing, writing, encrypting) live in `amparo-insights`; here are the use cases,
//! with their access check, sealing and audit.
//!
//! An import is all-or-nothing: every row is checked and built (sealed with its own data
//! key, its blind-index tokens computed) before anything is written, then every person, their
//! search tokens and the audit entries are written in ONE store transaction. A crash before
//! the commit leaves nothing; after it, everything. The same on SQLite and PostgreSQL.

use chrono::{DateTime, Utc};
use serde::Serialize;

use amparo_domain::forms::{CustomValues, FormKind};
use amparo_domain::{Action, OrgId, PersonId, UserId};
use amparo_store::{AuditOutcome, CaseRow, CustomValuesRow, PersonRow};

use super::model::{Identity, PersonFields};
use super::persons::DuplicateHint;
use crate::forms::{CustomTarget, missing_required, person_given};
use crate::{Amparo, AppError, AppResult, Caller};

/// What was wrong with one row: the field (an API field name) and the error code (i18n key
/// `error-<code>`). Never the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub field: String,
    pub code: String,
}

/// The check of one row given to [`Amparo::check_import`] or [`Amparo::import_persons`].
#[derive(Clone, Debug, Serialize)]
pub struct ImportRowCheck {
    /// The row's position in the list given (0-based); the caller knows its line.
    pub index: usize,
    pub problem: Option<RowProblem>,
    /// How many people already on file the blind index matches (name or phone).
    pub duplicates_on_file: usize,
    /// Of those, the ones the caller may see (alias and case numbers only).
    pub duplicate_hints: Vec<DuplicateHint>,
}

/// The outcome of an import: the checks, and the people created (none if any row failed).
#[derive(Clone, Debug, Serialize)]
pub struct ImportResult {
    pub checks: Vec<ImportRowCheck>,
    pub created: Vec<PersonId>,
}

impl ImportResult {
    pub fn has_problems(&self) -> bool {
        self.checks.iter().any(|c| c.problem.is_some())
    }
}

/// One person of an export, every section decrypted.
#[derive(Clone, Serialize)]
pub struct ExportedPerson {
    pub id: PersonId,
    pub fields: PersonFields,
    pub case_numbers: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for ExportedPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedPerson").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The organisation's records: its persons and all their cases (restricted ones included:
/// the organisation owns them).
#[derive(Clone, Debug, Default)]
pub struct RecordsExport {
    pub persons: Vec<ExportedPerson>,
    pub cases: Vec<CaseRow>,
}

/// A row built and ready to write.
struct Built {
    row: PersonRow,
    identity: Identity,
    custom: Option<CustomValuesRow>,
}

/// Persons read per page when exporting.
const EXPORT_PAGE: i64 = 500;

fn problem_of(e: &AppError) -> Option<RowProblem> {
    e.invalid_field().map(|(field, problem)| RowProblem { field: field.to_owned(), code: problem.code().to_owned() })
}

impl Amparo {
    /// Who imports: administrators and supervisors of the organisation (the domain's
    /// `ImportRecords`), or the operator at the command line. Returns who the people are
    /// created by.
    async fn import_allowed(&self, caller: &Caller, org: OrgId, code: &str) -> AppResult<Option<UserId>> {
        if let Caller::User { actor, .. } = caller {
            if actor.org != org {
                return Err(AppError::NotFound);
            }
            self.require_org(caller, org, Action::ImportRecords, code).await?;
            return Ok(Some(actor.user));
        }
        Ok(None)
    }

    /// Checks and builds every row (nothing is written). Rows that fail carry their problem.
    async fn build_rows(
        &self,
        caller: &Caller,
        org: OrgId,
        by: Option<UserId>,
        rows: Vec<PersonFields>,
    ) -> AppResult<(Vec<ImportRowCheck>, Vec<Built>)> {
        let layout = self.layout_of(org, FormKind::Person).await?;
        let mut checks = Vec::with_capacity(rows.len());
        let mut built = Vec::with_capacity(rows.len());
        for (index, mut fields) in rows.into_iter().enumerate() {
            let attempt = (|| -> AppResult<Built> {
                let (row, identity) = self.build_person(org, by, &mut fields)?;
                missing_required(&layout, |_| true, |code| person_given(&fields, code))?;
                let mut custom = CustomValues::new();
                Self::merge_custom(&layout, &mut custom, fields.custom.as_ref(), true)?;
                let custom = if custom.is_empty() {
                    None
                } else {
                    let target = CustomTarget {
                        form: FormKind::Person,
                        record: *row.id.as_uuid(),
                        org,
                        person: row.id,
                        case: None,
                    };
                    Some(self.custom_row(&self.person_key(&row)?, &target, &custom, row.created_at)?)
                };
                Ok(Built { row, identity, custom })
            })();
            match attempt {
                Ok(b) => {
                    let ids = self.duplicate_ids(org, &b.identity).await?;
                    let n = ids.len();
                    let hints = self.duplicate_hints(caller, ids).await?;
                    checks.push(ImportRowCheck { index, problem: None, duplicates_on_file: n, duplicate_hints: hints });
                    built.push(b);
                }
                Err(e) => match problem_of(&e) {
                    Some(problem) => checks.push(ImportRowCheck {
                        index,
                        problem: Some(problem),
                        duplicates_on_file: 0,
                        duplicate_hints: Vec::new(),
                    }),
                    None => return Err(e),
                },
            }
        }
        Ok((checks, built))
    }

    /// Audit entries for the possible duplicates a caller was shown.
    fn hint_drafts(&self, caller: &Caller, org: OrgId, checks: &[ImportRowCheck]) -> Vec<amparo_store::AuditDraft> {
        checks
            .iter()
            .flat_map(|c| c.duplicate_hints.iter())
            .map(|h| {
                let mut e =
                    self.record_draft(caller, "person.duplicate_hint", AuditOutcome::Ok, "person", *h.id.as_uuid());
                e.org = Some(org);
                e
            })
            .collect()
    }

    /// A dry run: every row checked as intake would check it, and the possible duplicates
    /// on file found. Writes nothing but the audit entries (the check, the hints shown).
    pub async fn check_import(
        &self,
        caller: &Caller,
        org: OrgId,
        rows: Vec<PersonFields>,
    ) -> AppResult<Vec<ImportRowCheck>> {
        let by = self.import_allowed(caller, org, "records.import_check").await?;
        let n = rows.len();
        let (checks, _) = self.build_rows(caller, org, by, rows).await?;
        let mut d = self.draft(caller, "records.import_check", AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(format!("rows.{n}"));
        let mut drafts = vec![d];
        drafts.extend(self.hint_drafts(caller, org, &checks));
        self.inner.auditor.record(drafts).await?;
        Ok(checks)
    }

    /// Imports the rows as new people, all or none: if any row fails its checks nothing is
    /// written and the result says which (`created` is empty). Each person is built exactly
    /// as intake builds one (own data key, sealed identity and story, blind-index tokens) and
    /// audited as `person.create` (detail `import`); one `records.import` entry says how many.
    pub async fn import_persons(
        &self,
        caller: &Caller,
        org: OrgId,
        rows: Vec<PersonFields>,
    ) -> AppResult<ImportResult> {
        let by = self.import_allowed(caller, org, "records.import").await?;
        let (checks, built) = self.build_rows(caller, org, by, rows).await?;
        let hints = self.hint_drafts(caller, org, &checks);
        if checks.iter().any(|c| c.problem.is_some()) {
            let mut d = self.draft(caller, "records.import", AuditOutcome::Denied);
            d.org = Some(org);
            d.detail = Some("bad_rows".into());
            let mut drafts = vec![d];
            drafts.extend(hints);
            self.inner.auditor.record(drafts).await?;
            return Ok(ImportResult { checks, created: Vec::new() });
        }
        let mut tx = self.inner.store.begin().await?;
        let mut drafts = Vec::with_capacity(built.len() + hints.len() + 1);
        let mut created = Vec::with_capacity(built.len());
        let mut tasks = Vec::new();
        for b in &built {
            let id = b.row.id;
            tx.insert_person(&b.row).await?;
            if let Some(custom) = &b.custom {
                tx.put_custom_values(custom).await?;
            }
            tx.set_search_tokens(org, id, &self.person_tokens(org, &b.identity, &[])).await?;
            tasks.extend(self.safe_contact_tasks(&b.row, None));
            let mut d = self.record_draft(caller, "person.create", AuditOutcome::Ok, "person", *id.as_uuid());
            d.org = Some(org);
            d.detail = Some("import".into());
            drafts.push(d);
            created.push(id);
        }
        tx.insert_tasks(&tasks).await?;
        let mut d = self.draft(caller, "records.import", AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(format!("rows.{}", created.len()));
        drafts.push(d);
        drafts.extend(hints);
        self.inner.auditor.commit_with(tx, &drafts).await?;
        Ok(ImportResult { checks, created })
    }

    /// The organisation's whole record set, decrypted: every person (every section) and every
    /// case. Administrators only (the domain's `ExportRecords`), or the operator. Audited
    /// before anything is handed out: one `records.export` entry, and a `person.export` entry
    /// per person so that each one's "who saw my file" shows it.
    pub async fn export_records(&self, caller: &Caller, org: OrgId) -> AppResult<RecordsExport> {
        if let Caller::User { actor, .. } = caller
            && actor.org != org
        {
            return Err(AppError::NotFound);
        }
        self.require_org(caller, org, Action::ExportRecords, "records.export").await?;
        let mut ids = Vec::new();
        let mut after = None;
        loop {
            let page = self.inner.store.person_ids_in_org(org, after, EXPORT_PAGE).await?;
            let Some(last) = page.last().copied() else { break };
            after = Some(last);
            let full = page.len() as i64 == EXPORT_PAGE;
            ids.extend(page);
            if !full {
                break;
            }
        }
        let mut drafts = Vec::with_capacity(ids.len() + 1);
        let mut d = self.draft(caller, "records.export", AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(format!("persons.{}", ids.len()));
        drafts.push(d);
        drafts.extend(ids.iter().map(|id| {
            let mut e = self.record_draft(caller, "person.export", AuditOutcome::Ok, "person", *id.as_uuid());
            e.org = Some(org);
            e
        }));
        // No audit, no data.
        self.inner.auditor.record(drafts).await?;
        let mut out = RecordsExport::default();
        for chunk in ids.chunks(EXPORT_PAGE as usize) {
            for record in self.load_records(chunk).await? {
                // The export is the organisation's own: every section, every case.
                let view = self.person_view(&record, &Caller::Operator)?;
                let mut fields = view.fields;
                fields.custom = None;
                out.persons.push(ExportedPerson {
                    id: view.id,
                    fields,
                    case_numbers: view.case_numbers,
                    created_at: view.created_at,
                    updated_at: view.updated_at,
                });
                out.cases.extend(record.cases);
            }
        }
        Ok(out)
    }
}
