//! Cases: opened for a person, coded with the HTCDS vocabulary, worked by a team.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_domain::records::vocab::{self, ExploitationType, MeansOfControl, RecruitmentMethod, StatusDecidedBy};
use amparo_domain::records::{CaseNumber, CaseStatus, ClosureReason, TraffickingStatus};
use amparo_domain::{Action, CaseId, DomainError, PersonId, Resource, Section, UserId, authorize};
use amparo_store::{AuditOutcome, BreakGlassRow, CaseQuery, CaseRow, CaseStatusRow};

use amparo_domain::forms::{CustomInput, CustomValues, FormKind};

use super::{Record, case_scope, model::Identity, open_json};
use crate::forms::{CustomTarget, case_stored, missing_required};
use crate::{Amparo, AppError, AppResult, Caller};

/// A case's fields as the API exchanges them. On update, a field left out stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trafficking_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exploitation_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub means_of_control: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruitment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countries: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Vec<UserId>>,
    /// The organisation's own fields (`custom_…` code → value; `null` clears), checked
    /// against its case form and sealed with the person's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomInput>,
}

/// A case as the API shows it.
#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub id: CaseId,
    pub person_id: PersonId,
    pub number: String,
    pub version: i64,
    pub status: String,
    pub closure_reason: Option<String>,
    pub trafficking_status: Option<String>,
    pub status_decided_by: Option<String>,
    pub exploitation_types: Vec<String>,
    pub means_of_control: Vec<String>,
    pub recruitment: Option<String>,
    pub countries: Vec<String>,
    pub places: Vec<String>,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub assigned_to: Option<UserId>,
    pub restricted: bool,
    pub team: Vec<UserId>,
    /// The organisation's own fields, hidden ones included.
    pub custom: CustomInput,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The reader holds an unexpired break-glass grant until this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_glass_until: Option<DateTime<Utc>>,
    /// The reader may change this case (for pages; the use case decides again on change).
    #[serde(skip)]
    pub may_edit: bool,
}

impl CaseView {
    fn of(c: &CaseRow, break_glass_until: Option<DateTime<Utc>>, may_edit: bool) -> Self {
        Self {
            id: c.id,
            person_id: c.person,
            number: c.number.clone(),
            version: c.version,
            status: c.status.clone(),
            closure_reason: c.closure_reason.clone(),
            trafficking_status: c.trafficking_status.clone(),
            status_decided_by: c.status_decided_by.clone(),
            exploitation_types: c.exploitation_types.clone(),
            means_of_control: c.means_of_control.clone(),
            recruitment: c.recruitment.clone(),
            countries: c.countries.clone(),
            places: c.places.clone(),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            assigned_to: c.assigned_to,
            restricted: c.restricted,
            team: c.team.clone(),
            custom: CustomInput::new(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            break_glass_until,
            may_edit,
        }
    }
}

/// A line of the caseload list: coded fields and the alias (never names).
#[derive(Clone, Serialize)]
pub struct CaseListItem {
    pub id: CaseId,
    pub person_id: PersonId,
    pub number: String,
    pub status: String,
    pub alias: Option<String>,
    pub opened_on: NaiveDate,
    pub assigned_to: Option<UserId>,
    pub restricted: bool,
}

impl std::fmt::Debug for CaseListItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseListItem").field("id", &self.id).field("number", &self.number).finish_non_exhaustive()
    }
}

fn code_list<T>(field: &'static str, list: &[String], parse: impl Fn(&str) -> Result<T, DomainError>) -> AppResult<()> {
    for c in list {
        parse(c).map_err(|e| AppError::invalid(field, e))?;
    }
    Ok(())
}

fn normalised(
    field: &'static str,
    list: &mut Option<Vec<String>>,
    check: fn(&str) -> Result<String, DomainError>,
) -> AppResult<()> {
    if let Some(list) = list {
        let mut out: Vec<String> = Vec::new();
        for c in list.iter() {
            let c = check(c).map_err(|e| AppError::invalid(field, e))?;
            if !out.contains(&c) {
                out.push(c);
            }
        }
        *list = out;
    }
    Ok(())
}

impl CaseFields {
    pub(crate) fn validate(&mut self) -> AppResult<()> {
        if let Some(s) = &self.status {
            CaseStatus::from_code(s).map_err(|e| AppError::invalid("status", e))?;
        }
        if let Some(r) = &self.closure_reason {
            ClosureReason::from_code(r).map_err(|e| AppError::invalid("closure_reason", e))?;
        }
        if let Some(t) = &self.trafficking_status {
            TraffickingStatus::from_code(t).map_err(|e| AppError::invalid("trafficking_status", e))?;
        }
        if let Some(d) = &self.status_decided_by {
            StatusDecidedBy::from_code(d).map_err(|e| AppError::invalid("status_decided_by", e))?;
        }
        if let Some(r) = &self.recruitment {
            RecruitmentMethod::from_code(r).map_err(|e| AppError::invalid("recruitment", e))?;
        }
        code_list(
            "exploitation_types",
            self.exploitation_types.as_deref().unwrap_or_default(),
            ExploitationType::from_code,
        )?;
        code_list("means_of_control", self.means_of_control.as_deref().unwrap_or_default(), MeansOfControl::from_code)?;
        normalised("countries", &mut self.countries, vocab::country)?;
        normalised("places", &mut self.places, vocab::place)?;
        Ok(())
    }

    fn apply(&self, c: &mut CaseRow) {
        macro_rules! opt {
            ($($f:ident),+) => { $( if let Some(v) = &self.$f { c.$f = Some(v.clone()); } )+ };
        }
        macro_rules! list {
            ($($f:ident),+) => { $( if let Some(v) = &self.$f { c.$f = v.clone(); } )+ };
        }
        opt!(closure_reason, trafficking_status, status_decided_by, recruitment);
        list!(exploitation_types, means_of_control, countries, places);
        if let Some(s) = &self.status {
            c.status = s.clone();
        }
        if let Some(d) = self.opened_on {
            c.opened_on = d;
        }
        if self.closed_on.is_some() {
            c.closed_on = self.closed_on;
        }
        if self.assigned_to.is_some() {
            c.assigned_to = self.assigned_to;
        }
        if let Some(r) = self.restricted {
            c.restricted = r;
        }
        if let Some(t) = &self.team {
            c.team = t.clone();
        }
        if let Some(a) = c.assigned_to
            && !c.team.contains(&a)
        {
            c.team.push(a);
        }
    }
}

impl Amparo {
    /// Staff named on a case must be people of the same organisation.
    async fn check_staff(&self, org: amparo_domain::OrgId, users: impl Iterator<Item = &UserId>) -> AppResult<()> {
        for u in users {
            match self.inner.store.user(*u).await? {
                Some(row) if row.org == org && !row.disabled => {}
                _ => return Err(AppError::invalid("team", DomainError::UnknownCode)),
            }
        }
        Ok(())
    }

    /// Opens a case for a person; whoever opens it is on its team.
    pub async fn open_case(&self, caller: &Caller, person: PersonId, mut fields: CaseFields) -> AppResult<CaseView> {
        let record = self.load_record(person).await?;
        // Writing, not reading: a break-glass grant (read-only) never opens new cases.
        self.require(caller, &record, Action::WriteRecord(Section::Summary), "case.create").await?;
        if let Caller::User { actor, .. } = caller {
            // Opening a case puts its author on the team: the question is only whether the
            // role opens cases at all.
            let scope = amparo_domain::RecordScope {
                org: record.person.org,
                team: vec![actor.user],
                restricted_to: None,
                break_glass: vec![],
            };
            if let Err(reason) = authorize(actor, Action::CreateRecord, Resource::Record(&scope)) {
                return Err(self.denied(caller, "case.create", reason).await);
            }
        }
        fields.validate()?;
        let org = record.person.org;
        let now = self.now();
        let by = match caller {
            Caller::User { actor, .. } => Some(actor.user),
            Caller::Operator => None,
        };
        let mut team: Vec<UserId> = fields.team.clone().unwrap_or_default();
        if let Some(u) = by
            && !team.contains(&u)
        {
            team.push(u);
        }
        fields.team = Some(team);
        self.check_staff(org, fields.team.iter().flatten().chain(fields.assigned_to.iter())).await?;
        let year = fields.opened_on.unwrap_or(now.date_naive()).year();
        // Values given are checked now; the form's required fields are asked for at the
        // case's edits, not when it is opened (often in a hurry, from the person's page).
        let layout = self.layout_of(org, FormKind::Case).await?;
        let mut custom = CustomValues::new();
        Self::merge_custom(&layout, &mut custom, fields.custom.as_ref(), false)?;
        let key = self.person_key(&record.person)?;
        let mut tx = self.inner.store.begin().await?;
        let seq = tx.next_case_seq(org, year).await?;
        let row = Self::build_case(org, person, by, &fields, CaseNumber::new(year, seq), now);
        tx.insert_case(&row).await?;
        tx.insert_case_status(&Self::status_change(&row, row.opened_on, by, now)).await?;
        if !custom.is_empty() {
            let target =
                CustomTarget { form: FormKind::Case, record: *row.id.as_uuid(), org, person, case: Some(row.id) };
            tx.put_custom_values(&self.custom_row(&key, &target, &custom, now)?).await?;
        }
        // Tasks of the person alone (consent, safe contact) go to their first case's team.
        tx.attach_person_tasks(person, row.id).await?;
        // The case number finds the person too.
        let identity: Identity = open_json(&key, "persons", "identity", *person.as_uuid(), &record.person.identity)?;
        let mut numbers: Vec<String> = record.cases.iter().map(|c| c.number.clone()).collect();
        numbers.push(row.number.clone());
        tx.set_search_tokens(org, person, &self.person_tokens(org, &identity, &numbers)).await?;
        let mut d = self.record_draft(caller, "case.create", AuditOutcome::Ok, "case", *row.id.as_uuid());
        d.org = Some(org);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let may_edit = Self::may_edit_case(caller, &row, &Default::default());
        let mut view = CaseView::of(&row, None, may_edit);
        view.custom = Self::shown_custom(&layout, custom);
        Ok(view)
    }

    /// A new case's row from checked fields: active, opened today unless said otherwise.
    pub(crate) fn build_case(
        org: amparo_domain::OrgId,
        person: PersonId,
        by: Option<UserId>,
        fields: &CaseFields,
        number: CaseNumber,
        now: DateTime<Utc>,
    ) -> CaseRow {
        let mut row = CaseRow {
            id: CaseId::new(),
            org,
            person,
            number: number.as_str().to_owned(),
            status: CaseStatus::Active.code().to_owned(),
            closure_reason: None,
            trafficking_status: None,
            status_decided_by: None,
            exploitation_types: Vec::new(),
            means_of_control: Vec::new(),
            recruitment: None,
            countries: Vec::new(),
            places: Vec::new(),
            opened_on: now.date_naive(),
            closed_on: None,
            assigned_to: by,
            restricted: false,
            team: Vec::new(),
            created_by: by,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        fields.apply(&mut row);
        row
    }

    /// A team keeps at least one person who may manage it (a case manager or a supervisor),
    /// so that no change leaves a case that nobody can hand on.
    async fn team_has_a_lead(&self, team: &[UserId], case: &CaseRow) -> AppResult<bool> {
        let scope = case_scope(case, &Default::default());
        for u in team {
            if let Some(user) = self.inner.store.user(*u).await?
                && !user.disabled
                && authorize(&self.actor_of(&user).await?, Action::ManageCaseTeam, Resource::Record(&scope)).is_ok()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Whether the caller may change a case's summary, by the same rule the change will meet.
    fn may_edit_case(caller: &Caller, case: &CaseRow, grants: &std::collections::HashMap<CaseId, Vec<UserId>>) -> bool {
        match caller {
            Caller::Operator => true,
            Caller::User { actor, .. } => {
                authorize(actor, Action::WriteRecord(Section::Summary), Resource::Record(&case_scope(case, grants)))
                    .is_ok()
            }
        }
    }

    /// The case alone, with what decides access to it.
    pub(crate) async fn load_case(&self, id: CaseId) -> AppResult<(CaseRow, Record)> {
        let case = self.inner.store.case(id).await?.ok_or(AppError::NotFound)?;
        let record = self.load_record(case.person).await?;
        Ok((case, record))
    }

    /// Refuses an action on a case outside the caller's reach (audited).
    pub(crate) async fn require_case(
        &self,
        caller: &Caller,
        case: &CaseRow,
        record: &Record,
        action: Action,
        code: &str,
    ) -> AppResult<()> {
        let Caller::User { actor, .. } = caller else { return Ok(()) };
        let scope = case_scope(case, &record.grants);
        match authorize(actor, action, Resource::Record(&scope)) {
            Ok(()) => Ok(()),
            Err(reason) => {
                let mut d = self.record_draft(caller, code, AuditOutcome::Denied, "case", *case.id.as_uuid());
                d.detail = Some(reason.code().to_owned());
                self.inner.auditor.record(vec![d]).await?;
                Err(if reason == amparo_domain::Denied::OtherOrganisation {
                    AppError::NotFound
                } else {
                    AppError::Forbidden(reason)
                })
            }
        }
    }

    fn grant_until(&self, caller: &Caller, record: &Record, case: CaseId) -> Option<DateTime<Utc>> {
        let Caller::User { actor, .. } = caller else { return None };
        record.grants.get(&case).filter(|users| users.contains(&actor.user)).map(|_| self.now())
    }

    pub async fn read_case(&self, caller: &Caller, id: CaseId) -> AppResult<CaseView> {
        let (case, record) = self.load_case(id).await?;
        self.require_case(caller, &case, &record, Action::ReadRecord(Section::Summary), "case.read").await?;
        let until = match self.grant_until(caller, &record, id) {
            Some(_) => self.break_glass_expiry(caller, id).await?,
            None => None,
        };
        self.audit_read(caller, "case.read", "case", *id.as_uuid(), case.org).await?;
        let mut view = CaseView::of(&case, until, Self::may_edit_case(caller, &case, &record.grants));
        view.custom = self.custom_view(&record.person, FormKind::Case, *id.as_uuid()).await?;
        Ok(view)
    }

    async fn break_glass_expiry(&self, caller: &Caller, case: CaseId) -> AppResult<Option<DateTime<Utc>>> {
        let Caller::User { actor, .. } = caller else { return Ok(None) };
        let grants = self.inner.store.active_break_glass(case, self.now()).await?;
        Ok(grants.iter().filter(|g| g.user == actor.user).map(|g| g.expires_at).max())
    }

    /// Changes a case if `version` is still the stored one. Making a case restricted, or
    /// changing its team, needs the right to change its summary.
    pub async fn update_case(
        &self,
        caller: &Caller,
        id: CaseId,
        version: Option<i64>,
        mut fields: CaseFields,
    ) -> AppResult<CaseView> {
        let (case, record) = self.load_case(id).await?;
        self.require_case(caller, &case, &record, Action::WriteRecord(Section::Summary), "case.update").await?;
        let Some(version) = version.filter(|v| *v == case.version) else { return Err(AppError::Conflict) };
        fields.validate()?;
        self.check_staff(case.org, fields.team.iter().flatten().chain(fields.assigned_to.iter())).await?;
        let mut row = case.clone();
        row.version = version;
        fields.apply(&mut row);
        let team_changed = row.team != case.team || row.assigned_to != case.assigned_to;
        if team_changed || row.restricted != case.restricted {
            // Who works on a case, and whether it is hidden, is for its case managers and
            // supervisors: one insider on the team must not be able to hide it from everyone.
            self.require_case(caller, &case, &record, Action::ManageCaseTeam, "case.update").await?;
            if !self.team_has_a_lead(&row.team, &row).await? {
                return Err(AppError::invalid("team", DomainError::UnknownCode));
            }
        }
        if CaseStatus::from_code(&row.status).is_ok_and(CaseStatus::is_closed) && row.closed_on.is_none() {
            row.closed_on = Some(self.now().date_naive());
        }
        // Nobody can restrict a case so that they lose it themself, leaving it to no one.
        if row.team.is_empty() {
            return Err(AppError::invalid("team", DomainError::UnknownCode));
        }
        // Every change of a case is a change of its summary: the required fields are asked for.
        let layout = self.layout_of(case.org, FormKind::Case).await?;
        missing_required(&layout, |_| true, |code| case_stored(&row, code))?;
        let key = self.person_key(&record.person)?;
        let mut custom = self.open_custom(&key, FormKind::Case, *id.as_uuid()).await?;
        Self::merge_custom(&layout, &mut custom, fields.custom.as_ref(), true)?;
        let custom_row = match &fields.custom {
            Some(_) => {
                let target = CustomTarget {
                    form: FormKind::Case,
                    record: *id.as_uuid(),
                    org: case.org,
                    person: case.person,
                    case: Some(id),
                };
                Some(self.custom_row(&key, &target, &custom, self.now())?)
            }
            None => None,
        };
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_case(&row).await?;
        if saved.status != case.status {
            // The day it took effect: a closing's own date, else today.
            let today = self.now().date_naive();
            let on =
                if saved.closed_on.is_some() && saved.closed_on != case.closed_on { saved.closed_on } else { None };
            tx.insert_case_status(&Self::status_change(&saved, on.unwrap_or(today), caller.user(), self.now())).await?;
        }
        if let Some(custom_row) = &custom_row {
            tx.put_custom_values(custom_row).await?;
        }
        let mut d = self.record_draft(caller, "case.update", AuditOutcome::Ok, "case", *id.as_uuid());
        d.org = Some(case.org);
        d.detail = match (row.restricted != case.restricted, team_changed) {
            (true, _) if row.restricted => Some("restricted.on".into()),
            (true, _) => Some("restricted.off".into()),
            (false, true) => Some("team.changed".into()),
            (false, false) => None,
        };
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let may_edit = Self::may_edit_case(caller, &saved, &record.grants);
        let mut view = CaseView::of(&saved, None, may_edit);
        view.custom = Self::shown_custom(&layout, custom);
        Ok(view)
    }

    /// Emergency access to a case outside one's reach: a reason, the password again, 60
    /// minutes, that case only; audited, and shown to supervisors on their home page.
    pub async fn break_glass(
        &self,
        caller: &Caller,
        id: CaseId,
        reason: &str,
        password: SecretString,
    ) -> AppResult<DateTime<Utc>> {
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        let (case, record) = self.load_case(id).await?;
        self.require_case(caller, &case, &record, Action::BreakGlass, "case.break_glass").await?;
        let reason = reason.trim();
        if reason.chars().count() < 10 || reason.chars().count() > 2000 {
            return Err(AppError::invalid(
                "reason",
                DomainError::PersonField(amparo_domain::records::PersonFieldError::ReasonTooShort),
            ));
        }
        let user = self.inner.store.user(actor.user).await?.ok_or(AppError::Unauthenticated)?;
        self.refuse_if_locked(&user)?;
        if !self.inner.passwords.verify(password, user.password_hash.clone()).await? {
            let d = self.record_draft(caller, "case.break_glass", AuditOutcome::Failed, "case", *id.as_uuid());
            return Err(match self.count_failure(user.id, d, "wrong_current_password").await {
                AppError::WrongCredentials => AppError::WrongCurrentPassword,
                other => other,
            });
        }
        let now = self.now();
        let grant_id = Uuid::new_v4();
        let sealed = self.inner.keys.seal_secret(
            &amparo_crypto::FieldAad { table: "break_glass", column: "reason", row: grant_id.as_bytes() },
            reason.as_bytes(),
        );
        let expires = now + self.inner.config.break_glass_duration;
        let mut tx = self.inner.store.begin().await?;
        tx.insert_break_glass(&BreakGlassRow {
            id: grant_id,
            org: case.org,
            case: id,
            user: actor.user,
            reason: sealed,
            granted_at: now,
            expires_at: expires,
        })
        .await?;
        let mut d = self.record_draft(caller, "case.break_glass", AuditOutcome::Ok, "case", *id.as_uuid());
        d.org = Some(case.org);
        d.detail = Some(format!("grant.{grant_id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(expires)
    }

    /// The row recording a case's status as it is in `row`, from `on`.
    fn status_change(
        row: &CaseRow,
        on: chrono::NaiveDate,
        by: Option<UserId>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> CaseStatusRow {
        CaseStatusRow {
            case: row.id,
            org: row.org,
            seq: 0,
            status: row.status.clone(),
            closure_reason: row.closure_reason.clone(),
            on_date: on,
            changed_by: by,
            changed_at: at,
        }
    }

    /// The caseload: for team roles, the cases they are on; for supervisors, the organisation's.
    /// Restricted cases appear only to their named team. Alias only, never names.
    pub async fn caseload(
        &self,
        caller: &Caller,
        status: Option<&str>,
        mine_only: bool,
        limit: i64,
        offset: i64,
    ) -> AppResult<Vec<CaseListItem>> {
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        if let Some(s) = status {
            CaseStatus::from_code(s).map_err(|e| AppError::invalid("status", e))?;
        }
        let probe =
            amparo_domain::RecordScope { org: actor.org, team: vec![], restricted_to: None, break_glass: vec![] };
        let org_wide = authorize(actor, Action::ReadRecord(Section::Summary), Resource::Record(&probe)).is_ok();
        let team_member = if org_wide && !mine_only { None } else { Some(actor.user) };
        let on_team = amparo_domain::RecordScope { team: vec![actor.user], ..probe };
        if team_member.is_some()
            && authorize(actor, Action::ReadRecord(Section::Summary), Resource::Record(&on_team)).is_err()
        {
            return Err(self.denied(caller, "case.list", amparo_domain::Denied::RoleLacksPermission).await);
        }
        let query = CaseQuery {
            org: Some(actor.org),
            team_member,
            assigned_to: None,
            status: status.map(str::to_owned),
            limit: limit.clamp(1, 500),
            offset: offset.max(0),
        };
        let cases = self.inner.store.list_cases(&query).await?;
        let persons = self.inner.store.persons(&cases.iter().map(|c| c.person).collect::<Vec<_>>()).await?;
        let mut out = Vec::with_capacity(cases.len());
        for c in cases {
            let scope = case_scope(&c, &Default::default());
            if authorize(actor, Action::ReadRecord(Section::Summary), Resource::Record(&scope)).is_err() {
                continue;
            }
            let alias = match persons.iter().find(|p| p.id == c.person) {
                Some(p) => {
                    let key = self.person_key(p)?;
                    let ident: Identity = open_json(&key, "persons", "identity", *p.id.as_uuid(), &p.identity)?;
                    ident.alias.as_ref().and_then(amparo_domain::records::Answer::value).cloned()
                }
                None => None,
            };
            out.push(CaseListItem {
                id: c.id,
                person_id: c.person,
                number: c.number,
                status: c.status,
                alias,
                opened_on: c.opened_on,
                assigned_to: c.assigned_to,
                restricted: c.restricted,
            });
        }
        // The list, and one entry per person whose alias it showed.
        let mut d = self.draft(caller, "case.list", AuditOutcome::Ok);
        d.detail = Some(format!("results.{}", out.len()));
        if self.inner.config.audit_reads {
            let mut drafts = vec![d];
            drafts.extend(out.iter().map(|i| {
                let mut e =
                    self.record_draft(caller, "person.list_item", AuditOutcome::Ok, "person", *i.person_id.as_uuid());
                e.org = Some(actor.org);
                e
            }));
            self.inner.auditor.record(drafts).await?;
        }
        Ok(out)
    }

    /// Finds a case by number, for those who may see it (the number alone reveals nothing).
    pub async fn case_by_number(&self, caller: &Caller, number: &str) -> AppResult<CaseId> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        let n = CaseNumber::parse(number).map_err(|e| AppError::invalid("number", e))?;
        self.inner.store.case_by_number(actor.org, n.as_str()).await?.map(|c| c.id).ok_or(AppError::NotFound)
    }
}
