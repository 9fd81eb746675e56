//! Adding, changing and reading the entries of a case, and revealing a legal relief's
//! restricted numbers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use amparo_crypto::DataKey;
use amparo_domain::forms::{CustomValues, FormKind};
use amparo_domain::records::EntryKind;
use amparo_domain::records::deadlines::Leads;
use amparo_domain::{Action, CaseId, DomainError, EntryId, OrgId, PersonId, UserId};
use amparo_store::{AuditOutcome, CaseEntryRow, CaseRow, CustomValuesRow, WriteTx};
use uuid::Uuid;

use super::inputs::{
    AppointmentInput, EntryDetail, EntryInput, GoalInput, LegalNumbers, LegalReliefInput, MilestoneInput,
    NeedsAssessmentInput, NoteInput, Parts, ServiceInput, Stored, detail_of, merge_restricted,
};
use crate::forms::{CustomTarget, missing_required};
use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "case_entries";

/// What a create or update gives back: the entry's id and its version now (send it back with
/// the next update).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub id: EntryId,
    pub version: i64,
}

/// An entry as a reader sees it. Legal relief's restricted numbers are never here: only
/// their names, in `restricted_present`, for a masked display and a reveal button.
#[derive(Clone, Debug, Serialize)]
pub struct EntryView {
    pub id: EntryId,
    pub case_id: CaseId,
    pub person_id: PersonId,
    /// `EntryKind` code.
    pub kind: String,
    /// Where the entry sits on the timeline.
    pub date: NaiveDate,
    pub version: i64,
    pub detail: EntryDetail,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub restricted_present: Vec<String>,
    /// A note whose text the retention policy removed, on this day (kind and date stay).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_removed_on: Option<NaiveDate>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn audit_code(kind: EntryKind, verb: &str) -> String {
    format!("{}.{verb}", kind.code())
}

impl Amparo {
    pub(crate) fn leads(&self) -> Leads {
        Leads::default()
    }

    /// A staff member named on an entry is an active user of the case's organisation.
    pub(crate) async fn check_staff_member(
        &self,
        org: OrgId,
        user: Option<UserId>,
        field: &'static str,
    ) -> AppResult<()> {
        let Some(u) = user else { return Ok(()) };
        match self.inner.store.user(u).await? {
            Some(row) if row.org == org && !row.disabled => Ok(()),
            _ => Err(AppError::invalid(field, DomainError::UnknownCode)),
        }
    }

    fn seal_parts(&self, key: &DataKey, row: &mut CaseEntryRow, parts: &Parts) -> AppResult<()> {
        let id = *row.id.as_uuid();
        row.coded = parts.coded.to_string();
        row.sealed = parts.sealed.as_ref().map(|s| seal_json(key, TABLE, "sealed", id, s)).transpose()?;
        Ok(())
    }

    fn open_restricted(&self, key: &DataKey, row: &CaseEntryRow) -> AppResult<LegalNumbers> {
        match &row.restricted {
            Some(r) => open_json(key, TABLE, "restricted", *row.id.as_uuid(), r),
            None => Ok(LegalNumbers::default()),
        }
    }

    /// The view of a stored entry (the caller has been allowed to read its section).
    pub(crate) fn entry_view(&self, key: &DataKey, row: &CaseEntryRow) -> AppResult<EntryView> {
        let kind = EntryKind::from_code(&row.kind).map_err(|_| AppError::Integrity("case_entries.kind".into()))?;
        let coded: serde_json::Value =
            serde_json::from_str(&row.coded).map_err(|_| AppError::Integrity("case_entries.coded".into()))?;
        let sealed: Option<serde_json::Value> =
            row.sealed.as_ref().map(|s| open_json(key, TABLE, "sealed", *row.id.as_uuid(), s)).transpose()?;
        let detail = detail_of(Stored {
            kind,
            code: row.code.as_deref(),
            status: row.status.as_deref(),
            on_date: row.on_date,
            due_on: row.due_on,
            minutes: row.minutes,
            staff: row.staff,
            coded,
            sealed,
        })?;
        Ok(EntryView {
            id: row.id,
            case_id: row.case,
            person_id: row.person,
            kind: row.kind.clone(),
            date: row.on_date,
            version: row.version,
            detail,
            restricted_present: self.open_restricted(key, row)?.present(),
            // A note always has its text: none left means the retention policy purged it
            // (which set `updated_at` to that moment).
            text_removed_on: (kind == EntryKind::Note && row.sealed.is_none()).then(|| row.updated_at.date_naive()),
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// The tasks an entry asks for, and the contact it records, in the entry's transaction.
    pub(crate) async fn entry_follow_through(
        &self,
        tx: &mut Box<dyn WriteTx>,
        case: &CaseRow,
        row: &CaseEntryRow,
        parts: &Parts,
    ) -> AppResult<()> {
        let tasks = self.derived_rows(case.org, case.person, Some(case.id), *row.id.as_uuid(), &parts.tasks, row.staff);
        tx.replace_derived_tasks(*row.id.as_uuid(), &tasks).await?;
        if let Some(on) = parts.contact_on.filter(|d| *d <= self.now().date_naive()) {
            tx.record_contact(case.person, Some(case.id), on).await?;
        }
        Ok(())
    }

    pub(crate) fn entry_draft(
        &self,
        caller: &Caller,
        action: &str,
        case: &CaseRow,
        entry: EntryId,
    ) -> amparo_store::AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "case", *case.id.as_uuid());
        d.org = Some(case.org);
        d.detail = Some(format!("entry.{entry}"));
        d
    }

    /// Adds an entry of any kind to a case (see the typed `add_*` methods).
    pub(crate) async fn add_entry<I: EntryInput>(&self, caller: &Caller, case: CaseId, input: I) -> AppResult<Saved> {
        let (case, record) = self.load_case(case).await?;
        let action = audit_code(I::KIND, "create");
        self.require_case(caller, &case, &record, Action::WriteRecord(I::KIND.section()), &action).await?;
        let parts = input.parts(self.now().date_naive(), caller.user(), &self.leads())?;
        self.check_staff_member(case.org, parts.staff, I::STAFF_FIELD).await?;
        let key = self.person_key(&record.person)?;
        let row = self.new_entry_row(caller.user(), &case, &key, I::KIND, &parts)?;
        let custom = self.entry_form_values(&case, &key, *row.id.as_uuid(), &input, false).await?;
        let mut tx = self.inner.store.begin().await?;
        tx.insert_case_entry(&row).await?;
        if let Some(c) = &custom {
            tx.put_custom_values(c).await?;
        }
        self.entry_follow_through(&mut tx, &case, &row, &parts).await?;
        let d = self.entry_draft(caller, &action, &case, row.id);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(Saved { id: row.id, version: row.version })
    }

    /// A new entry's row, sealed (the demo seeding builds its rows here too).
    pub(crate) fn new_entry_row(
        &self,
        by: Option<UserId>,
        case: &CaseRow,
        key: &DataKey,
        kind: EntryKind,
        parts: &Parts,
    ) -> AppResult<CaseEntryRow> {
        let now = self.now();
        let mut row = CaseEntryRow {
            id: EntryId::new(),
            org: case.org,
            case: case.id,
            person: case.person,
            kind: kind.code().to_owned(),
            code: parts.code.clone(),
            status: parts.status.clone(),
            on_date: parts.on_date.unwrap_or(now.date_naive()),
            due_on: parts.due_on,
            minutes: parts.minutes,
            staff: parts.staff,
            coded: String::new(),
            sealed: None,
            restricted: None,
            version: 1,
            created_by: by,
            created_at: now,
            updated_at: now,
        };
        self.seal_parts(key, &mut row, parts)?;
        let id = *row.id.as_uuid();
        row.restricted = parts
            .restricted
            .as_ref()
            .and_then(|given| merge_restricted(LegalNumbers::default(), given))
            .map(|n| seal_json(key, TABLE, "restricted", id, &n))
            .transpose()?;
        Ok(row)
    }

    /// Changes an entry if `input.version` is still the stored one (else `Conflict`).
    pub(crate) async fn change_entry<I: EntryInput>(&self, caller: &Caller, id: EntryId, input: I) -> AppResult<Saved> {
        let stored =
            self.inner.store.case_entry(id).await?.filter(|e| e.kind == I::KIND.code()).ok_or(AppError::NotFound)?;
        let (case, record) = self.load_case(stored.case).await?;
        let action = audit_code(I::KIND, "update");
        self.require_case(caller, &case, &record, Action::WriteRecord(I::KIND.section()), &action).await?;
        // A missing version is as stale as a wrong one: nobody overwrites what they did not see.
        let Some(version) = input.version().filter(|v| *v == stored.version) else { return Err(AppError::Conflict) };
        let parts = input.parts(self.now().date_naive(), caller.user(), &self.leads())?;
        if parts.staff != stored.staff {
            self.check_staff_member(case.org, parts.staff, I::STAFF_FIELD).await?;
        }
        let key = self.person_key(&record.person)?;
        let mut row = stored.clone();
        row.version = version;
        row.code = parts.code.clone();
        row.status = parts.status.clone();
        row.on_date = parts.on_date.unwrap_or(stored.on_date);
        row.due_on = parts.due_on;
        row.minutes = parts.minutes;
        row.staff = parts.staff;
        self.seal_parts(&key, &mut row, &parts)?;
        if let Some(given) = &parts.restricted {
            let merged = merge_restricted(self.open_restricted(&key, &stored)?, given);
            row.restricted = merged.map(|n| seal_json(&key, TABLE, "restricted", *id.as_uuid(), &n)).transpose()?;
        }
        let custom = self.entry_form_values(&case, &key, *id.as_uuid(), &input, true).await?;
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_case_entry(&row).await?;
        if let Some(c) = &custom {
            tx.put_custom_values(c).await?;
        }
        self.entry_follow_through(&mut tx, &case, &saved, &parts).await?;
        let d = self.entry_draft(caller, &action, &case, id);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(Saved { id, version: saved.version })
    }

    /// One entry (audited before it is shown).
    pub async fn case_entry(&self, caller: &Caller, id: EntryId) -> AppResult<EntryView> {
        let row = self.inner.store.case_entry(id).await?.ok_or(AppError::NotFound)?;
        let kind = EntryKind::from_code(&row.kind).map_err(|_| AppError::Integrity("case_entries.kind".into()))?;
        let (case, record) = self.load_case(row.case).await?;
        let action = audit_code(kind, "read");
        self.require_case(caller, &case, &record, Action::ReadRecord(kind.section()), &action).await?;
        let key = self.person_key(&record.person)?;
        let mut view = self.entry_view(&key, &row)?;
        self.attach_custom(&case, &key, kind, std::slice::from_mut(&mut view)).await?;
        self.audit_entry_read(caller, &action, &case, Some(id)).await?;
        Ok(view)
    }

    /// A case's entries of one kind, oldest first (audited before they are shown).
    pub async fn case_entries(&self, caller: &Caller, case: CaseId, kind: EntryKind) -> AppResult<Vec<EntryView>> {
        let (case, record) = self.load_case(case).await?;
        let action = audit_code(kind, "list");
        self.require_case(caller, &case, &record, Action::ReadRecord(kind.section()), &action).await?;
        let key = self.person_key(&record.person)?;
        let rows = self.inner.store.case_entries(case.id, &[kind.code().to_owned()]).await?;
        let mut views = rows.iter().map(|r| self.entry_view(&key, r)).collect::<AppResult<Vec<_>>>()?;
        self.attach_custom(&case, &key, kind, &mut views).await?;
        self.audit_entry_read(caller, &action, &case, None).await?;
        Ok(views)
    }

    /// Checks an entry against its kind's form as the organisation set it up (required
    /// fields, custom values) and gives the sealed custom values to save with it, if any.
    /// `stored`: the entry exists and its stored values are the base (fields not sent stay).
    async fn entry_form_values<I: EntryInput>(
        &self,
        case: &CaseRow,
        key: &DataKey,
        entry: Uuid,
        input: &I,
        stored: bool,
    ) -> AppResult<Option<CustomValuesRow>> {
        let Some(form) = I::FORM else { return Ok(None) };
        let layout = self.layout_of(case.org, form).await?;
        missing_required(&layout, |_| true, |code| input.given(code))?;
        let mut values = if stored { self.open_custom(key, form, entry).await? } else { CustomValues::new() };
        let had = !values.is_empty();
        Self::merge_custom(&layout, &mut values, input.custom(), true)?;
        if values.is_empty() && !had {
            return Ok(None);
        }
        let target = CustomTarget { form, record: entry, org: case.org, person: case.person, case: Some(case.id) };
        Ok(Some(self.custom_row(key, &target, &values, self.now())?))
    }

    /// Puts the custom values of a case's entries (kinds with a form) into their views:
    /// those of the form's current custom fields, hidden ones included, as for persons.
    pub(super) async fn attach_custom(
        &self,
        case: &CaseRow,
        key: &DataKey,
        kind: EntryKind,
        views: &mut [EntryView],
    ) -> AppResult<()> {
        let Some(form) = FormKind::of_entry(kind).filter(|_| !views.is_empty()) else { return Ok(()) };
        let (layout, rows) = tokio::join!(
            self.layout_of(case.org, form),
            self.inner.store.case_custom_values(form.code(), case.person, case.id)
        );
        let layout = layout?;
        for row in rows? {
            let Some(view) = views.iter_mut().find(|v| *v.id.as_uuid() == row.record) else { continue };
            let shown = Self::shown_custom(&layout, self.open_custom_row(key, &row)?);
            let custom = Some(shown).filter(|c| !c.is_empty());
            match &mut view.detail {
                EntryDetail::NeedAssessment(a) => a.custom = custom,
                EntryDetail::Service(s) => s.custom = custom,
                _ => {}
            }
        }
        Ok(())
    }

    async fn audit_entry_read(
        &self,
        caller: &Caller,
        action: &str,
        case: &CaseRow,
        entry: Option<EntryId>,
    ) -> AppResult<()> {
        if !self.inner.config.audit_reads {
            return Ok(());
        }
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "case", *case.id.as_uuid());
        d.org = Some(case.org);
        d.detail = entry.map(|e| format!("entry.{e}"));
        self.inner.auditor.record(vec![d]).await
    }

    /// The restricted numbers of a legal relief (receipt number, A-number, carpeta number):
    /// a separate call, always audited (`legal_relief.reveal`), whatever `audit_reads` says.
    pub async fn reveal_legal_numbers(&self, caller: &Caller, id: EntryId) -> AppResult<LegalNumbers> {
        let row = self
            .inner
            .store
            .case_entry(id)
            .await?
            .filter(|e| e.kind == EntryKind::LegalRelief.code())
            .ok_or(AppError::NotFound)?;
        let (case, record) = self.load_case(row.case).await?;
        let action = "legal_relief.reveal";
        self.require_case(caller, &case, &record, Action::ReadRecord(EntryKind::LegalRelief.section()), action).await?;
        let key = self.person_key(&record.person)?;
        let numbers = self.open_restricted(&key, &row)?;
        let d = self.entry_draft(caller, action, &case, id);
        self.inner.auditor.record(vec![d]).await?;
        Ok(numbers)
    }

    // --- the typed doors (the API's `POST /cases/{id}/<kind>` and `PUT …/{entry}`)

    /// Records a needs assessment (rated with the survivor). Needs `WriteRecord(Services)`.
    pub async fn add_needs_assessment(
        &self,
        caller: &Caller,
        case: CaseId,
        input: NeedsAssessmentInput,
    ) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_needs_assessment(
        &self,
        caller: &Caller,
        id: EntryId,
        input: NeedsAssessmentInput,
    ) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Adds a goal to the service plan. Needs `WriteRecord(Services)`.
    pub async fn add_goal(&self, caller: &Caller, case: CaseId, input: GoalInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_goal(&self, caller: &Caller, id: EntryId, input: GoalInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Records a service delivered (a contact). Needs `WriteRecord(Services)`.
    pub async fn add_service(&self, caller: &Caller, case: CaseId, input: ServiceInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_service(&self, caller: &Caller, id: EntryId, input: ServiceInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Schedules an appointment (attended: a contact). Needs `WriteRecord(Services)`.
    pub async fn add_appointment(&self, caller: &Caller, case: CaseId, input: AppointmentInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_appointment(&self, caller: &Caller, id: EntryId, input: AppointmentInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Records a milestone. Needs `WriteRecord(Services)`.
    pub async fn add_milestone(&self, caller: &Caller, case: CaseId, input: MilestoneInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_milestone(&self, caller: &Caller, id: EntryId, input: MilestoneInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Records a legal relief; its dates become tasks. Needs `WriteRecord(Legal)`.
    pub async fn add_legal_relief(&self, caller: &Caller, case: CaseId, input: LegalReliefInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_legal_relief(&self, caller: &Caller, id: EntryId, input: LegalReliefInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
    /// Writes a case note (contact and outreach notes are contacts). Needs `WriteRecord(Narrative)`.
    pub async fn add_note(&self, caller: &Caller, case: CaseId, input: NoteInput) -> AppResult<Saved> {
        self.add_entry(caller, case, input).await
    }
    pub async fn update_note(&self, caller: &Caller, id: EntryId, input: NoteInput) -> AppResult<Saved> {
        self.change_entry(caller, id, input).await
    }
}
