//! Safety planning: the survivor's safety plan, kept in versions (each save is a new version,
//! older ones stay readable with who saved them and when), shown with the person's
//! safe-contact rules and printed in the language the survivor chose; and the crisis log
//! (`crisis`), each contact asking for a follow-up.
//!
//! Every operation: authorise on `Section::Safety` → open or seal with the person's data key
//! → store → audit (ids, versions and codes only), in one transaction for writes.

mod crisis;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use amparo_domain::records::safety::{PlanField, SafetyPlanId, plan_text};
use amparo_domain::{Action, DomainError, Language, PersonId, Section, UserId};
use amparo_store::{AuditOutcome, SafetyPlanRow};

use crate::records::{Record, SafeContact, open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

pub use crisis::{CrisisContactInput, CrisisContactView};

const TABLE: &str = "safety_plans";
/// Versions listed at most (a plan saved more often than this shows its newest).
const HISTORY_LIMIT: i64 = 200;

/// The plan's texts, as the survivor and advocate wrote them. All optional.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTexts {
    /// Signs that danger is coming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_signs: Option<String>,
    /// Where the survivor can go to be safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_places: Option<String>,
    /// People the survivor can turn to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_people: Option<String>,
    /// Words agreed with safe people that mean "I need help".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_words: Option<String>,
    /// What to take when leaving (papers, medicine, money, phone, keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub take_with: Option<String>,
    /// Numbers to call in an emergency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_numbers: Option<String>,
    /// What happens with the children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children_plan: Option<String>,
    /// Steps for phones, accounts and location sharing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digital_safety: Option<String>,
}

impl PlanTexts {
    /// The text of one part.
    pub fn get(&self, field: PlanField) -> Option<&str> {
        match field {
            PlanField::WarningSigns => self.warning_signs.as_deref(),
            PlanField::SafePlaces => self.safe_places.as_deref(),
            PlanField::SafePeople => self.safe_people.as_deref(),
            PlanField::CodeWords => self.code_words.as_deref(),
            PlanField::TakeWith => self.take_with.as_deref(),
            PlanField::EmergencyNumbers => self.emergency_numbers.as_deref(),
            PlanField::ChildrenPlan => self.children_plan.as_deref(),
            PlanField::DigitalSafety => self.digital_safety.as_deref(),
        }
    }

    fn slot(&mut self, field: PlanField) -> &mut Option<String> {
        match field {
            PlanField::WarningSigns => &mut self.warning_signs,
            PlanField::SafePlaces => &mut self.safe_places,
            PlanField::SafePeople => &mut self.safe_people,
            PlanField::CodeWords => &mut self.code_words,
            PlanField::TakeWith => &mut self.take_with,
            PlanField::EmergencyNumbers => &mut self.emergency_numbers,
            PlanField::ChildrenPlan => &mut self.children_plan,
            PlanField::DigitalSafety => &mut self.digital_safety,
        }
    }

    /// Sets one part from what was typed (blank: nothing).
    pub fn set(&mut self, field: PlanField, value: Option<String>) {
        *self.slot(field) = value;
    }

    /// Each part checked by the domain's rule; the first fault names its field.
    fn checked(&self) -> AppResult<PlanTexts> {
        let mut out = PlanTexts::default();
        for f in PlanField::ALL.iter().copied() {
            let kept = plan_text(self.get(f)).map_err(|e| AppError::invalid(f.code(), DomainError::CaseWork(e)))?;
            out.set(f, kept);
        }
        Ok(out)
    }

    /// Whether nothing at all is written.
    pub fn is_empty(&self) -> bool {
        PlanField::ALL.iter().all(|f| self.get(*f).is_none())
    }
}

impl std::fmt::Debug for PlanTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlanTexts(<redacted>)")
    }
}

/// A save of the plan, as the API and the form send it (the API reads the texts into
/// [`PlanTexts`], which refuses unknown members, and the other members beside it).
#[derive(Clone, Default)]
pub struct SafetyPlanInput {
    /// The language of the printed plan, chosen by the survivor: `es` or `en`.
    pub language: String,
    /// The survivor agrees that the agency's name may appear on the printed plan.
    pub show_agency_name: bool,
    /// The version the writer started from (0 for a first plan). When given and someone
    /// saved a newer version meanwhile, the save is refused as a conflict.
    pub base_version: Option<i64>,
    pub texts: PlanTexts,
}

impl std::fmt::Debug for SafetyPlanInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyPlanInput")
            .field("language", &self.language)
            .field("base_version", &self.base_version)
            .finish_non_exhaustive()
    }
}

/// What a save answers.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SavedSafetyPlan {
    pub id: SafetyPlanId,
    pub version: i64,
}

/// One version of the plan as a reader sees it.
#[derive(Clone, Serialize)]
pub struct SafetyPlanView {
    pub id: SafetyPlanId,
    pub person_id: PersonId,
    pub version: i64,
    pub language: Language,
    pub show_agency_name: bool,
    #[serde(flatten)]
    pub texts: PlanTexts,
    /// The person's safe-contact rules (from their record, not part of the plan's versions):
    /// how and when the survivor may be reached.
    pub safe_contact: Vec<SafeContact>,
    pub created_by: Option<UserId>,
    /// Who saved it (staff data, for pages).
    #[serde(skip)]
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// This is the newest version.
    pub latest: bool,
}

impl std::fmt::Debug for SafetyPlanView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafetyPlanView").field("id", &self.id).field("version", &self.version).finish_non_exhaustive()
    }
}

/// A line of the plan's history: who saved which version, when. No text.
#[derive(Clone, Debug, Serialize)]
pub struct SafetyPlanVersion {
    pub id: SafetyPlanId,
    pub version: i64,
    pub language: Language,
    pub created_by: Option<UserId>,
    #[serde(skip)]
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The plan as it is to be printed: the newest version, and the agency's name only when the
/// survivor agreed to it.
#[derive(Clone)]
pub struct PlanToPrint {
    pub plan: SafetyPlanView,
    pub agency_name: Option<String>,
}

impl std::fmt::Debug for PlanToPrint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanToPrint").field("plan", &self.plan).finish_non_exhaustive()
    }
}

/// What a reader may do with a person's safety section (for pages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SafetyCan {
    pub read: bool,
    pub write: bool,
}

fn language_of(row: &SafetyPlanRow) -> AppResult<Language> {
    row.language.parse().map_err(|_| AppError::Integrity("safety_plans.language".into()))
}

impl Amparo {
    /// Refuses an action on the safety section unless the domain allows it (audited).
    async fn safety_record(&self, caller: &Caller, person: PersonId, action: Action, code: &str) -> AppResult<Record> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, action, code).await?;
        Ok(record)
    }

    /// A read of the safety section, written to the audit log before anything is shown.
    async fn audit_safety(&self, caller: &Caller, record: &Record, action: &str, detail: String) -> AppResult<()> {
        if !self.inner.config.audit_reads {
            return Ok(());
        }
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "person", *record.person.id.as_uuid());
        d.org = Some(record.person.org);
        d.detail = Some(detail);
        self.inner.auditor.record(vec![d]).await
    }

    /// Staff names by id, looked up once for a list (staff data, not the survivor's).
    async fn staff_name(&self, record: &Record, ids: &[Option<UserId>]) -> AppResult<Vec<Option<String>>> {
        if ids.iter().all(Option::is_none) {
            return Ok(vec![None; ids.len()]);
        }
        let users = self.inner.store.users_in_org(record.person.org).await?;
        Ok(ids.iter().map(|id| id.and_then(|u| users.iter().find(|x| x.id == u)).map(|u| u.name.clone())).collect())
    }

    /// The person's safe-contact rules, opened from their record.
    fn safe_contact_rules(&self, record: &Record) -> AppResult<Vec<SafeContact>> {
        let p = &record.person;
        match &p.safe_contact {
            Some(sealed) => open_json(&self.person_key(p)?, "persons", "safe_contact", *p.id.as_uuid(), sealed),
            None => Ok(Vec::new()),
        }
    }

    fn plan_view(&self, record: &Record, row: &SafetyPlanRow, latest: i64) -> AppResult<SafetyPlanView> {
        let key = self.person_key(&record.person)?;
        let texts: PlanTexts = open_json(&key, TABLE, "content", *row.id.as_uuid(), &row.content)?;
        Ok(SafetyPlanView {
            id: row.id,
            person_id: row.person,
            version: row.version,
            language: language_of(row)?,
            show_agency_name: row.show_agency_name,
            texts,
            safe_contact: self.safe_contact_rules(record)?,
            created_by: row.created_by,
            created_by_name: None,
            created_at: row.created_at,
            latest: row.version == latest,
        })
    }

    /// What the caller may do with a person's safety plan and crisis log (no audit: nothing
    /// of the record is read).
    pub async fn safety_can(&self, caller: &Caller, person: PersonId) -> AppResult<SafetyCan> {
        let record = self.load_record(person).await?;
        let ok = |a| crate::records::may(&record, caller, a).is_ok();
        Ok(SafetyCan { read: ok(Action::ReadRecord(Section::Safety)), write: ok(Action::WriteRecord(Section::Safety)) })
    }

    /// Saves a new version of the person's safety plan (the first is version 1). Needs
    /// `WriteRecord(Safety)`. With `base_version`, a save over a newer version is a conflict.
    pub async fn save_safety_plan(
        &self,
        caller: &Caller,
        person: PersonId,
        input: SafetyPlanInput,
    ) -> AppResult<SavedSafetyPlan> {
        let record =
            self.safety_record(caller, person, Action::WriteRecord(Section::Safety), "safety_plan.save").await?;
        let language: Language = input.language.trim().parse().map_err(|e| AppError::invalid("language", e))?;
        let texts = input.texts.checked()?;
        let newest = self.inner.store.safety_plan_latest(person).await?.map_or(0, |r| r.version);
        if input.base_version.is_some_and(|b| b != newest) {
            return Err(AppError::Conflict);
        }
        let key = self.person_key(&record.person)?;
        let id = SafetyPlanId::new();
        let row = SafetyPlanRow {
            id,
            org: record.person.org,
            person,
            version: newest + 1,
            language: language.code().to_owned(),
            show_agency_name: input.show_agency_name,
            content: seal_json(&key, TABLE, "content", *id.as_uuid(), &texts)?,
            created_by: caller.user(),
            created_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        // Someone saving the same version at the same moment makes this a conflict.
        tx.insert_safety_plan(&row).await?;
        let mut d = self.record_draft(caller, "safety_plan.save", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("safety_plan.{id}.v{}", row.version));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(SavedSafetyPlan { id, version: row.version })
    }

    /// The newest version of the plan (None before the first), with the safe-contact rules.
    pub async fn safety_plan(&self, caller: &Caller, person: PersonId) -> AppResult<Option<SafetyPlanView>> {
        let record =
            self.safety_record(caller, person, Action::ReadRecord(Section::Safety), "safety_plan.read").await?;
        let Some(row) = self.inner.store.safety_plan_latest(person).await? else {
            self.audit_safety(caller, &record, "safety_plan.read", "safety_plan.none".into()).await?;
            return Ok(None);
        };
        self.audit_safety(caller, &record, "safety_plan.read", format!("safety_plan.{}.v{}", row.id, row.version))
            .await?;
        let mut view = self.plan_view(&record, &row, row.version)?;
        view.created_by_name = self.staff_name(&record, &[row.created_by]).await?.pop().flatten();
        Ok(Some(view))
    }

    /// One version of the plan, older ones included.
    pub async fn safety_plan_version(
        &self,
        caller: &Caller,
        person: PersonId,
        version: i64,
    ) -> AppResult<SafetyPlanView> {
        let record =
            self.safety_record(caller, person, Action::ReadRecord(Section::Safety), "safety_plan.read").await?;
        let row = self.inner.store.safety_plan_version(person, version).await?.ok_or(AppError::NotFound)?;
        let newest = self.inner.store.safety_plan_latest(person).await?.map_or(row.version, |r| r.version);
        self.audit_safety(caller, &record, "safety_plan.read", format!("safety_plan.{}.v{}", row.id, row.version))
            .await?;
        let mut view = self.plan_view(&record, &row, newest)?;
        view.created_by_name = self.staff_name(&record, &[row.created_by]).await?.pop().flatten();
        Ok(view)
    }

    /// The plan's versions, newest first: who saved each and when (no text is opened).
    pub async fn safety_plan_versions(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<SafetyPlanVersion>> {
        let record =
            self.safety_record(caller, person, Action::ReadRecord(Section::Safety), "safety_plan.history").await?;
        let rows = self.inner.store.safety_plan_versions(person, HISTORY_LIMIT).await?;
        self.audit_safety(caller, &record, "safety_plan.history", format!("results.{}", rows.len())).await?;
        let names = self.staff_name(&record, &rows.iter().map(|r| r.created_by).collect::<Vec<_>>()).await?;
        rows.iter()
            .zip(names)
            .map(|(r, name)| {
                Ok(SafetyPlanVersion {
                    id: r.id,
                    version: r.version,
                    language: language_of(r)?,
                    created_by: r.created_by,
                    created_by_name: name,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// The newest plan as it is to be printed, audited as a print: the agency's name comes
    /// along only when the survivor agreed to it.
    pub async fn safety_plan_to_print(&self, caller: &Caller, person: PersonId) -> AppResult<PlanToPrint> {
        let record =
            self.safety_record(caller, person, Action::ReadRecord(Section::Safety), "safety_plan.print").await?;
        let row = self.inner.store.safety_plan_latest(person).await?.ok_or(AppError::NotFound)?;
        self.audit_safety(caller, &record, "safety_plan.print", format!("safety_plan.{}.v{}", row.id, row.version))
            .await?;
        let agency_name = if row.show_agency_name {
            self.inner.store.organisation(record.person.org).await?.map(|o| o.name)
        } else {
            None
        };
        Ok(PlanToPrint { plan: self.plan_view(&record, &row, row.version)?, agency_name })
    }
}
