//! Screenings: an instrument (PHQ-9, GAD-7, PCL-5, the trafficking indicator screen)
//! answered with a person, scored by the instruments engine.
//!
//! Run: authorise `WriteRecord(Screening)` (through the case when one is named) → score →
//! seal the answers with the person's key → store the coded result in clear → raise the
//! alert task for a critical item → audit, in one transaction. Reads follow the person's
//! access rules for the `Screening` section: a clinician on the team reads results without
//! the narrative or the legal file. The audit log gets ids and codes only.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use amparo_domain::records::{ScreeningId, ScreeningProblem, TaskKind};
use amparo_domain::{Action, CaseId, DomainError, PersonId, Section, TaskId, UserId};
use amparo_instruments::{Catalogue, Instrument, Score, ScoreError};
use amparo_store::{AuditOutcome, CaseRow, ScreeningRow, TaskRow};

use crate::casework::current_case;
use crate::records::{Record, may_through, open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "screenings";

/// Answers to run an instrument with, as received.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    /// The instrument's id (`phq9`, …).
    pub instrument: String,
    /// One per scored item, in item order, as the option values.
    pub answers: Vec<i64>,
    /// PHQ-9's unscored difficulty question (any instrument's extra question).
    #[serde(default)]
    pub difficulty: Option<i64>,
    /// Taken for this case of the person's.
    #[serde(default)]
    pub case_id: Option<CaseId>,
}

impl std::fmt::Debug for ScreeningInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreeningInput").field("instrument", &self.instrument).finish_non_exhaustive()
    }
}

/// A screening's result as a reader may see it. `answers` only on a single read.
#[derive(Clone, Serialize)]
pub struct ScreeningView {
    pub id: ScreeningId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    pub instrument: String,
    pub instrument_version: String,
    pub taken_on: NaiveDate,
    pub taken_at: DateTime<Utc>,
    pub taken_by: Option<UserId>,
    pub total: u32,
    pub band: Option<String>,
    pub flags: Vec<String>,
    pub critical_flags: Vec<String>,
    /// Group (cluster) sums, e.g. PCL-5's `{"B":…,"C":…,"D":…,"E":…}`.
    pub clusters: BTreeMap<String, u32>,
    /// Cut-offs and count rules met or not (`probable_ptsd`, `provisional_ptsd`).
    pub outcomes: BTreeMap<String, bool>,
    /// The cut-offs applied when it was taken.
    pub cutoffs: BTreeMap<String, u32>,
    /// The alert task raised by a critical item, if any.
    pub alert_task: Option<TaskId>,
    /// On a single read: whether that alert is still waiting for its follow-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_open: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<i64>,
}

impl std::fmt::Debug for ScreeningView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreeningView")
            .field("id", &self.id)
            .field("instrument", &self.instrument)
            .finish_non_exhaustive()
    }
}

/// A person's screenings (oldest first) and what the reader may do there.
#[derive(Clone, Debug, Default)]
pub struct ScreeningList {
    pub items: Vec<ScreeningView>,
    /// The reader may run a screen with this person (on some scope).
    pub may_run: bool,
    /// The cases (id, number) a screening may be taken for.
    pub cases: Vec<(CaseId, String)>,
}

/// One point of a trend: a screening's total on its day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub screening_id: ScreeningId,
    pub taken_on: NaiveDate,
    pub total: u32,
    pub band: Option<String>,
}

/// An instrument's totals over time, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrendSeries {
    pub instrument: String,
    pub points: Vec<TrendPoint>,
}

/// Sealed as the `answers` column.
#[derive(Serialize, Deserialize)]
struct SealedAnswers {
    answers: Vec<i64>,
    #[serde(default)]
    extra: Option<i64>,
}

/// Coded in clear as the `coded` column, beside total, band and flags.
#[derive(Serialize, Deserialize, Default)]
struct Coded {
    #[serde(default)]
    groups: BTreeMap<String, u32>,
    #[serde(default)]
    outcomes: BTreeMap<String, bool>,
    #[serde(default)]
    cutoffs: BTreeMap<String, u32>,
    #[serde(default)]
    critical_flags: Vec<String>,
    #[serde(default)]
    alert_task: Option<TaskId>,
}

/// JSON text of a coded value, for the columns kept in clear.
fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|_| AppError::Integrity("encode".into()))
}

fn problem(field: &'static str, p: ScreeningProblem) -> AppError {
    AppError::invalid(field, DomainError::Screening(p))
}

/// A refused answer, with the item named in the field (`answers.3`).
fn refused(e: ScoreError) -> AppError {
    match e {
        ScoreError::OutOfRange { item, .. } => {
            AppError::InvalidField { field: format!("answers.{item}"), problem: DomainError::Screening(e.problem()) }
        }
        ScoreError::ExtraOutOfRange { .. } => problem("difficulty", e.problem()),
        ScoreError::AnswerCount { .. } => problem("answers", e.problem()),
    }
}

/// The instruments Amparo ships (a shipped file that does not parse is a defect: 500).
pub fn catalogue() -> AppResult<&'static Catalogue> {
    Catalogue::builtin().map_err(|_| AppError::Integrity("instruments".into()))
}

/// Checks configured cut-off overrides against the instruments: `<instrument>.<cutoff>`.
pub fn check_cutoffs(cutoffs: &BTreeMap<String, u32>) -> Result<(), String> {
    let c = catalogue().map_err(|e| e.to_string())?;
    for key in cutoffs.keys() {
        let known = key
            .split_once('.')
            .and_then(|(i, code)| c.get(i).map(|i| i.cutoffs.iter().any(|x| x.code == code)))
            .unwrap_or(false);
        if !known {
            return Err(format!("screening cut-off `{key}` names no instrument cut-off (e.g. pcl5.probable_ptsd)"));
        }
    }
    Ok(())
}

fn view(row: &ScreeningRow) -> AppResult<ScreeningView> {
    let integrity = || AppError::Integrity("screenings.coded".into());
    let flags: Vec<String> = serde_json::from_str(&row.flags).map_err(|_| integrity())?;
    let coded: Coded = serde_json::from_str(&row.coded).map_err(|_| integrity())?;
    Ok(ScreeningView {
        id: row.id,
        person_id: row.person,
        case_id: row.case,
        instrument: row.instrument.clone(),
        instrument_version: row.instrument_version.clone(),
        taken_on: row.taken_on,
        taken_at: row.taken_at,
        taken_by: row.taken_by,
        total: u32::try_from(row.total).map_err(|_| integrity())?,
        band: row.band.clone(),
        flags,
        critical_flags: coded.critical_flags,
        clusters: coded.groups,
        outcomes: coded.outcomes,
        cutoffs: coded.cutoffs,
        alert_task: coded.alert_task,
        alert_open: None,
        answers: None,
        difficulty: None,
    })
}

/// The case of `record` a screening names, if the caller may see it.
fn case_of<'r>(record: &'r Record, caller: &Caller, case: Option<CaseId>) -> AppResult<Option<&'r CaseRow>> {
    match case {
        None => Ok(None),
        Some(id) => record
            .visible_cases(caller)
            .into_iter()
            .find(|c| c.id == id)
            .map(Some)
            .ok_or(AppError::invalid("case_id", DomainError::UnknownCode)),
    }
}

/// Trend series per instrument (in catalogue order), from screenings oldest first.
pub fn trends(items: &[ScreeningView]) -> Vec<TrendSeries> {
    let order = |id: &str| catalogue().ok().and_then(|c| c.all().iter().position(|i| i.id == id)).unwrap_or(usize::MAX);
    let mut series: Vec<TrendSeries> = Vec::new();
    for s in items {
        let point = TrendPoint { screening_id: s.id, taken_on: s.taken_on, total: s.total, band: s.band.clone() };
        match series.iter_mut().find(|t| t.instrument == s.instrument) {
            Some(t) => t.points.push(point),
            None => series.push(TrendSeries { instrument: s.instrument.clone(), points: vec![point] }),
        }
    }
    series.sort_by_key(|t| order(&t.instrument));
    series
}

impl Amparo {
    fn cutoffs_for(&self, instrument: &Instrument) -> BTreeMap<String, u32> {
        let prefix = format!("{}.", instrument.id);
        self.inner
            .config
            .screening_cutoffs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|code| (code.to_owned(), *v)))
            .collect()
    }

    /// Runs an instrument with a person: scores it, keeps the answers sealed and the result
    /// coded, and raises an urgent task when a critical item is answered (PHQ-9 item 9 above
    /// 0): for the team of the screening's case (or the person's current case) and the
    /// supervisors, or only the supervisors before any case.
    pub async fn run_screening(
        &self,
        caller: &Caller,
        person: PersonId,
        input: ScreeningInput,
    ) -> AppResult<ScreeningView> {
        let record = self.load_record(person).await?;
        // Whose record it is comes first: another organisation's person is "not found".
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Summary), "screening.create").await?;
        let case = case_of(&record, caller, input.case_id)?;
        self.require_on(caller, &record, case, Action::WriteRecord(Section::Screening), "screening.create").await?;
        let catalogue = catalogue()?;
        let instrument =
            catalogue.get(input.instrument.trim()).ok_or(problem("instrument", ScreeningProblem::UnknownInstrument))?;
        let score: Score =
            instrument.score(&input.answers, input.difficulty, &self.cutoffs_for(instrument)).map_err(refused)?;
        let id = ScreeningId::new();
        let now = self.now();
        let today = now.date_naive();
        let key = self.person_key(&record.person)?;
        let alert = (!score.critical_flags.is_empty()).then(|| TaskRow {
            id: TaskId::new(),
            org: record.person.org,
            person,
            // The person's own tasks go to their current case; the first case opened later
            // takes those that had none (see `attach_person_tasks`).
            case: case.map(|c| c.id).or_else(|| current_case(&record.cases)),
            kind: TaskKind::ScreeningAlert.code().to_owned(),
            source: Some(*id.as_uuid()),
            due_on: today,
            assigned_to: None,
            title: None,
            done_at: None,
            done_by: None,
            version: 1,
            created_at: now,
        });
        let coded = Coded {
            groups: score.groups.clone(),
            outcomes: score.outcomes.clone(),
            cutoffs: score.cutoffs.clone(),
            critical_flags: score.critical_flags.clone(),
            alert_task: alert.as_ref().map(|t| t.id),
        };
        let sealed = SealedAnswers { answers: input.answers.clone(), extra: input.difficulty };
        let row = ScreeningRow {
            id,
            org: record.person.org,
            person,
            case: case.map(|c| c.id),
            instrument: instrument.id.clone(),
            instrument_version: instrument.version.clone(),
            taken_on: today,
            taken_at: now,
            taken_by: match caller {
                Caller::User { actor, .. } => Some(actor.user),
                Caller::Operator => None,
            },
            total: i32::try_from(score.total).map_err(|_| AppError::Integrity("screenings.total".into()))?,
            band: score.band.clone(),
            flags: to_json(&score.flags)?,
            coded: to_json(&coded)?,
            answers: seal_json(&key, TABLE, "answers", *id.as_uuid(), &sealed)?,
            version: 1,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_screening(&row).await?;
        let mut d = self.record_draft(caller, "screening.create", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("screening.{id}.{}", row.instrument));
        let mut drafts = vec![d];
        if let Some(task) = &alert {
            tx.insert_task(task).await?;
            let mut d = self.record_draft(caller, "screening.alert", AuditOutcome::Ok, "person", *person.as_uuid());
            d.org = Some(row.org);
            d.detail = Some(format!("task.{}.{}", task.id, score.critical_flags.join("+")));
            drafts.push(d);
        }
        self.inner.auditor.commit_with(tx, &drafts).await?;
        let mut out = view(&row)?;
        out.alert_open = alert.as_ref().map(|_| true);
        out.answers = Some(input.answers);
        out.difficulty = input.difficulty;
        Ok(out)
    }

    /// A person's screenings the reader may see (those of a restricted case only for its
    /// team), oldest first, with what the reader may do. Audited before anything is shown.
    pub async fn person_screenings(&self, caller: &Caller, person: PersonId) -> AppResult<ScreeningList> {
        let record = self.load_record(person).await?;
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Screening), "screening.list").await?;
        let rows = self.inner.store.screenings_of_person(person).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let case = row.case.and_then(|c| record.cases.iter().find(|x| x.id == c));
            if may_through(&record, case, caller, Action::ReadRecord(Section::Screening)).is_ok() {
                items.push(view(row)?);
            }
        }
        if self.inner.config.audit_reads {
            let mut d = self.record_draft(caller, "screening.list", AuditOutcome::Ok, "person", *person.as_uuid());
            d.org = Some(record.person.org);
            d.detail = Some(format!("results.{}", items.len()));
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(Self::screening_choices_of(&record, caller, items))
    }

    /// Whether the caller may run a screen with the person, and for which of their cases.
    fn screening_choices_of(record: &Record, caller: &Caller, items: Vec<ScreeningView>) -> ScreeningList {
        let visible = record.visible_cases(caller);
        let write = Action::WriteRecord(Section::Screening);
        let cases: Vec<(CaseId, String)> = visible
            .iter()
            .filter(|c| may_through(record, Some(c), caller, write).is_ok())
            .map(|c| (c.id, c.number.clone()))
            .collect();
        let may_run = !cases.is_empty() || may_through(record, None, caller, write).is_ok();
        ScreeningList { items, may_run, cases }
    }

    /// Whether the caller may read the person's screenings at all: for a page deciding to
    /// show the section, without recording a refusal each time the page is opened by a role
    /// that has no screening section. Reads nothing of the screenings.
    pub async fn may_read_screenings(&self, caller: &Caller, person: PersonId) -> AppResult<bool> {
        let record = self.load_record(person).await?;
        Ok(may_through(&record, None, caller, Action::ReadRecord(Section::Screening)).is_ok())
    }

    /// What the screening form offers (the cases to link to), for those who may run one.
    /// No screening is read.
    pub async fn screening_choices(&self, caller: &Caller, person: PersonId) -> AppResult<ScreeningList> {
        let record = self.load_record(person).await?;
        self.require_on(caller, &record, None, Action::ReadRecord(Section::Summary), "screening.create").await?;
        self.require_on(caller, &record, None, Action::WriteRecord(Section::Screening), "screening.create").await?;
        Ok(Self::screening_choices_of(&record, caller, Vec::new()))
    }

    /// Records the follow-up of a screening's alert: completes its task (for those who may
    /// change the screening section of its case). Returns the screening's person.
    pub async fn record_screening_follow_up(&self, caller: &Caller, id: ScreeningId) -> AppResult<PersonId> {
        let row = self.inner.store.screening(id).await?.ok_or(AppError::NotFound)?;
        let task_id = view(&row)?.alert_task.ok_or(AppError::NotFound)?;
        let task = self.inner.store.task(task_id).await?.ok_or(AppError::NotFound)?;
        if task.done_at.is_none() {
            self.complete_task(caller, task_id, task.version).await?;
        }
        Ok(row.person)
    }

    /// Scores over time per instrument for a person (what the reader may see of them).
    pub async fn screening_trends(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<TrendSeries>> {
        Ok(trends(&self.person_screenings(caller, person).await?.items))
    }

    /// One screening with its answers, for those who read its person's screenings (through
    /// its case when it has one). Audited before the answers are opened.
    pub async fn screening(&self, caller: &Caller, id: ScreeningId) -> AppResult<ScreeningView> {
        let row = self.inner.store.screening(id).await?.ok_or(AppError::NotFound)?;
        let record = self.load_record(row.person).await?;
        let case = row.case.and_then(|c| record.cases.iter().find(|x| x.id == c));
        self.require_on(caller, &record, case, Action::ReadRecord(Section::Screening), "screening.read").await?;
        if self.inner.config.audit_reads {
            let mut d = self.record_draft(caller, "screening.read", AuditOutcome::Ok, "person", *row.person.as_uuid());
            d.org = Some(row.org);
            d.detail = Some(format!("screening.{id}.{}", row.instrument));
            self.inner.auditor.record(vec![d]).await?;
        }
        let key = self.person_key(&record.person)?;
        let sealed: SealedAnswers = open_json(&key, TABLE, "answers", *id.as_uuid(), &row.answers)?;
        let mut out = view(&row)?;
        out.answers = Some(sealed.answers);
        out.difficulty = sealed.extra;
        if let Some(t) = out.alert_task {
            out.alert_open = Some(self.inner.store.task(t).await?.is_some_and(|t| t.done_at.is_none()));
        }
        Ok(out)
    }
}
