//! The shapes of case-work entries as pages and the API exchange them, their checks, and how
//! each splits into coded columns (in clear), sealed text and restricted numbers.
//!
//! Every input doubles as the entry's view: a read gives back the same fields, text exactly
//! as it was given. `version` is the version read, required on update and ignored on create.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use amparo_domain::forms::{CustomInput, FormKind};
use amparo_domain::records::deadlines::{self, DueTask, Leads, ReliefDates};
use amparo_domain::records::vocab;
use amparo_domain::records::{
    AppointmentPlace, AppointmentStatus, CaseWorkError, EntryKind, GoalStatus, LegalReliefKind, LegalReliefStatus,
    MAX_TEXT_CHARS, MilestoneKind, NeedDomain, NeedRating, NoteKind, ServiceCategory, time_of_day,
};
use amparo_domain::{DomainError, UserId};

use crate::{AppError, AppResult};

macro_rules! redacted_debug {
    ($($t:ident),+) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($t), "(<redacted>)"))
            }
        }
    )+};
}

redacted_debug!(
    NeedsAssessmentInput,
    GoalInput,
    ServiceInput,
    AppointmentInput,
    MilestoneInput,
    LegalReliefInput,
    NoteInput
);

/// A needs assessment, rated with the survivor; repeat it to see change over time.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedsAssessmentInput {
    pub date: NaiveDate,
    /// `NeedDomain` code → `NeedRating` code. Domains left out were not rated.
    pub ratings: BTreeMap<String, String>,
    /// Sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    /// The organisation's own fields of the assessment form (sealed; see docs/forms.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// One step of a goal, and who does it (in words: the survivor, their advocate, a lawyer…).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalStep {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
}

impl std::fmt::Debug for GoalStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GoalStep(<redacted>)")
    }
}

/// A goal of the service plan: the survivor's options, not orders.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalInput {
    /// `NeedDomain` code.
    pub domain: String,
    /// The goal in the survivor's words, kept in the language it was said in (sealed).
    pub text: String,
    /// Chosen by the survivor (true), or suggested and agreed (false).
    pub chosen_by_survivor: bool,
    /// ISO 639 code of the language `text` is in (sealed with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Steps and who does what (sealed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<GoalStep>,
    /// The staff member responsible (a user of the organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_on: Option<NaiveDate>,
    /// `GoalStatus` code; `open` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A service delivered: one dated encounter.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// `ServiceCategory` code (unknown: refused).
    pub category: String,
    pub date: NaiveDate,
    /// 0–1440; none when not recorded (an organisation may hide or not require it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i32>,
    /// Who delivered it; the caller when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_by: Option<UserId>,
    #[serde(default)]
    pub interpreter_used: bool,
    /// ISO 639 code of the interpretation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    /// Sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The organisation's own fields of the service form (sealed; see docs/forms.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<CustomInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// An appointment, and who accompanies the person.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentInput {
    pub date: NaiveDate,
    /// `HH:MM`, 24-hour; none: the whole day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// `AppointmentPlace` code: a kind of place, never an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// What it is for (sealed; never in a calendar export).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// `ServiceCategory` code (e.g. `accompaniment`, `legal_aid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The staff member who accompanies the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accompanied_by: Option<UserId>,
    /// Days before to remind (0: on the day); 1 when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_days: Option<u16>,
    /// `AppointmentStatus` code; `scheduled` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A milestone in the person's life.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    /// `MilestoneKind` code.
    pub kind: String,
    pub date: NaiveDate,
    /// The survivor's words (sealed); required for `own`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// ISO 639 code of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// Immigration relief or legal process, with its key dates (which become tasks) and its
/// restricted numbers (sealed apart, shown only through an audited reveal).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalReliefInput {
    /// `LegalReliefKind` code.
    pub kind: String,
    /// `LegalReliefStatus` code.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfe_due_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    /// I-918 Supplement B signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_signed_on: Option<NaiveDate>,
    /// HHS interim assistance letter expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interim_expires_on: Option<NaiveDate>,
    /// Restricted. On update: left out keeps the stored number, `""` removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<String>,
    /// Restricted (8 U.S.C. § 1367). Same update rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_number: Option<String>,
    /// Restricted: the carpeta de investigación number of a denuncia. Same update rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_file_number: Option<String>,
    /// Sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A case note, typed, in the language it was written in, with an optional marked
/// translation beside it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// `NoteKind` code.
    pub kind: String,
    pub text: String,
    /// ISO 639 code of `text` (`es`, `en`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Show a content note before the text (it describes harm).
    #[serde(default)]
    pub content_note: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_language: Option<String>,
    /// The day of the contact or note; today when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// The restricted numbers of a legal relief, after an audited reveal.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalNumbers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_file_number: Option<String>,
}

impl std::fmt::Debug for LegalNumbers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LegalNumbers(<redacted>)")
    }
}

impl LegalNumbers {
    /// The names of the numbers held (for pages that show them masked).
    pub fn present(&self) -> Vec<String> {
        [
            ("receipt_number", &self.receipt_number),
            ("a_number", &self.a_number),
            ("case_file_number", &self.case_file_number),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(n, _)| n.to_owned())
        .collect()
    }
    fn is_empty(&self) -> bool {
        self.receipt_number.is_none() && self.a_number.is_none() && self.case_file_number.is_none()
    }
}

/// An entry's detail, by kind (`{"goal": {…}}` in JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryDetail {
    NeedAssessment(NeedsAssessmentInput),
    Goal(GoalInput),
    Service(ServiceInput),
    Appointment(AppointmentInput),
    Milestone(MilestoneInput),
    LegalRelief(LegalReliefInput),
    Note(NoteInput),
}

// --- checks

fn case_work(field: &'static str, e: CaseWorkError) -> AppError {
    AppError::invalid(field, DomainError::CaseWork(e))
}

fn code<T>(field: &'static str, s: &str, parse: fn(&str) -> Result<T, DomainError>) -> AppResult<T> {
    parse(s).map_err(|e| AppError::invalid(field, e))
}

fn language(field: &'static str, l: &Option<String>) -> AppResult<Option<String>> {
    l.as_deref().map(|l| vocab::language(l).map_err(|e| AppError::invalid(field, e))).transpose()
}

/// Free text: kept exactly as given (not trimmed), at most [`MAX_TEXT_CHARS`]; `required`
/// refuses one that is blank.
pub(crate) fn text(field: &'static str, t: &str, required: bool) -> AppResult<()> {
    if required && t.trim().is_empty() {
        return Err(case_work(field, CaseWorkError::TextRequired));
    }
    if t.chars().count() > MAX_TEXT_CHARS {
        return Err(case_work(field, CaseWorkError::TextTooLong));
    }
    Ok(())
}

/// Optional free text: blank counts as none.
fn opt_text(field: &'static str, t: &Option<String>) -> AppResult<Option<String>> {
    match t {
        Some(t) if !t.trim().is_empty() => {
            text(field, t, false)?;
            Ok(Some(t.clone()))
        }
        _ => Ok(None),
    }
}

/// A day within reason: from 1900 to twenty years ahead.
pub(crate) fn date(field: &'static str, d: NaiveDate, today: NaiveDate) -> AppResult<NaiveDate> {
    if d.year() < 1900 || d > today + chrono::Duration::days(366 * 20) {
        return Err(case_work(field, CaseWorkError::DateOutOfRange));
    }
    Ok(d)
}

fn opt_date(field: &'static str, d: Option<NaiveDate>, today: NaiveDate) -> AppResult<Option<NaiveDate>> {
    d.map(|d| date(field, d, today)).transpose()
}

/// What an entry is made of once checked: its columns, its sealed and restricted parts, and
/// the tasks it asks for.
#[derive(Clone)]
pub(crate) struct Parts {
    pub code: Option<String>,
    pub status: Option<String>,
    /// None: keep the stored day (or today, on create).
    pub on_date: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub minutes: Option<i32>,
    pub staff: Option<UserId>,
    pub coded: serde_json::Value,
    pub sealed: Option<serde_json::Value>,
    /// None: keep what is stored (see [`LegalReliefInput`]).
    pub restricted: Option<LegalNumbers>,
    /// The day of a contact with the person, if this entry is one.
    pub contact_on: Option<NaiveDate>,
    pub tasks: Vec<DueTask>,
}

impl Parts {
    fn new(code: Option<String>, on_date: Option<NaiveDate>) -> Self {
        Parts {
            code,
            status: None,
            on_date,
            due_on: None,
            minutes: None,
            staff: None,
            coded: serde_json::Value::Object(Default::default()),
            sealed: None,
            restricted: None,
            contact_on: None,
            tasks: Vec::new(),
        }
    }
}

fn json<T: Serialize>(v: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(v).map_err(|_| AppError::Integrity("encode".into()))
}

fn from_json<T: DeserializeOwned>(v: serde_json::Value, what: &str) -> AppResult<T> {
    serde_json::from_value(v).map_err(|_| AppError::Integrity(format!("case_entries.{what}")))
}

/// An input of one kind of entry: checked and split into [`Parts`], and put back together
/// from them.
pub(crate) trait EntryInput: Sized {
    const KIND: EntryKind;
    /// The field that names a staff member (checked to be one of the organisation's users).
    const STAFF_FIELD: &'static str = "staff";
    fn version(&self) -> Option<i64>;
    /// The organisation-configurable form of this kind, if it has one: its required fields
    /// are checked and its custom fields kept beside the entry.
    const FORM: Option<FormKind> = FormKind::of_entry(Self::KIND);
    /// The custom values given (kinds with a form).
    fn custom(&self) -> Option<&CustomInput> {
        None
    }
    /// Whether a built-in field of the kind's form has an answer here.
    fn given(&self, _code: &str) -> bool {
        true
    }
    /// Checks and splits. `caller` is the acting user (a default for "who delivered").
    fn parts(&self, today: NaiveDate, caller: Option<UserId>, leads: &Leads) -> AppResult<Parts>;
}

#[derive(Serialize, Deserialize, Default)]
struct AssessmentCoded {
    ratings: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Default)]
struct NotesSealed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
}

impl EntryInput for NeedsAssessmentInput {
    const KIND: EntryKind = EntryKind::NeedAssessment;
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn custom(&self) -> Option<&CustomInput> {
        self.custom.as_ref()
    }
    fn given(&self, code: &str) -> bool {
        match code.strip_prefix("rating_") {
            Some(domain) => self.ratings.contains_key(domain),
            // The date is always there; "ratings" asks for at least one.
            None => code != "ratings" || !self.ratings.is_empty(),
        }
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let mut ratings = BTreeMap::new();
        for (d, r) in &self.ratings {
            let d = code("ratings", d, NeedDomain::from_code)?;
            let r = code("ratings", r, NeedRating::from_code)?;
            ratings.insert(d.code().to_owned(), r.code().to_owned());
        }
        let mut p = Parts::new(None, Some(date("date", self.date, today)?));
        p.coded = json(&AssessmentCoded { ratings })?;
        let notes = opt_text("notes", &self.notes)?;
        p.sealed = notes.map(|n| json(&NotesSealed { notes: Some(n) })).transpose()?;
        p.due_on = opt_date("follow_up_on", self.follow_up_on, today)?;
        p.tasks.extend(deadlines::follow_up_task(p.due_on));
        Ok(p)
    }
}

#[derive(Serialize, Deserialize, Default)]
struct GoalCoded {
    chosen_by_survivor: bool,
}

#[derive(Serialize, Deserialize, Default)]
struct GoalSealed {
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    steps: Vec<GoalStep>,
}

impl EntryInput for GoalInput {
    const KIND: EntryKind = EntryKind::Goal;
    const STAFF_FIELD: &'static str = "responsible";
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let domain = code("domain", &self.domain, NeedDomain::from_code)?;
        let status = match &self.status {
            Some(s) => code("status", s, GoalStatus::from_code)?,
            None => GoalStatus::Open,
        };
        text("text", &self.text, true)?;
        for s in &self.steps {
            text("steps", &s.text, true)?;
            opt_text("steps", &s.who)?;
        }
        let mut p = Parts::new(Some(domain.code().to_owned()), None);
        p.status = Some(status.code().to_owned());
        p.due_on = opt_date("target_on", self.target_on, today)?;
        p.staff = self.responsible;
        p.coded = json(&GoalCoded { chosen_by_survivor: self.chosen_by_survivor })?;
        p.sealed = Some(json(&GoalSealed {
            text: self.text.clone(),
            language: language("language", &self.language)?,
            steps: self.steps.clone(),
        })?);
        p.tasks.extend(deadlines::goal_task(status, p.due_on));
        Ok(p)
    }
}

#[derive(Serialize, Deserialize, Default)]
struct ServiceCoded {
    #[serde(default)]
    interpreter_used: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interpreter_language: Option<String>,
}

/// The longest encounter recorded: a whole day.
const MAX_MINUTES: i32 = 1440;
/// The earliest reminder: two months ahead.
const MAX_REMINDER_DAYS: u16 = 60;

impl EntryInput for ServiceInput {
    const KIND: EntryKind = EntryKind::Service;
    const STAFF_FIELD: &'static str = "delivered_by";
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn custom(&self) -> Option<&CustomInput> {
        self.custom.as_ref()
    }
    fn given(&self, code: &str) -> bool {
        match code {
            "minutes" => self.minutes.is_some(),
            // Who delivered it defaults to the one recording it.
            "interpreter_language" => self.interpreter_language.is_some(),
            "follow_up_on" => self.follow_up_on.is_some(),
            "notes" => self.notes.as_deref().is_some_and(|n| !n.trim().is_empty()),
            _ => true,
        }
    }
    fn parts(&self, today: NaiveDate, caller: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let category = code("category", &self.category, ServiceCategory::from_code)?;
        if self.minutes.is_some_and(|m| !(0..=MAX_MINUTES).contains(&m)) {
            return Err(case_work("minutes", CaseWorkError::NumberOutOfRange));
        }
        let on = date("date", self.date, today)?;
        let mut p = Parts::new(Some(category.code().to_owned()), Some(on));
        p.minutes = self.minutes;
        p.staff = self.delivered_by.or(caller);
        p.coded = json(&ServiceCoded {
            interpreter_used: self.interpreter_used,
            interpreter_language: language("interpreter_language", &self.interpreter_language)?,
        })?;
        let notes = opt_text("notes", &self.notes)?;
        p.sealed = notes.map(|n| json(&NotesSealed { notes: Some(n) })).transpose()?;
        p.due_on = opt_date("follow_up_on", self.follow_up_on, today)?;
        p.tasks.extend(deadlines::follow_up_task(p.due_on));
        p.contact_on = Some(on);
        Ok(p)
    }
}

#[derive(Serialize, Deserialize, Default)]
struct AppointmentCoded {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    #[serde(default)]
    reminder_days: u16,
}

#[derive(Serialize, Deserialize, Default)]
struct PurposeSealed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purpose: Option<String>,
}

impl EntryInput for AppointmentInput {
    const KIND: EntryKind = EntryKind::Appointment;
    const STAFF_FIELD: &'static str = "accompanied_by";
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let on = date("date", self.date, today)?;
        let status = match &self.status {
            Some(s) => code("status", s, AppointmentStatus::from_code)?,
            None => AppointmentStatus::Scheduled,
        };
        let category = self.category.as_deref().map(|c| code("category", c, ServiceCategory::from_code)).transpose()?;
        let place = self.place.as_deref().map(|c| code("place", c, AppointmentPlace::from_code)).transpose()?;
        let time = self
            .time
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| time_of_day(t).map_err(|e| case_work("time", e)))
            .transpose()?;
        let reminder_days = self.reminder_days.unwrap_or(1);
        if reminder_days > MAX_REMINDER_DAYS {
            return Err(case_work("reminder_days", CaseWorkError::NumberOutOfRange));
        }
        let mut p = Parts::new(category.map(|c| c.code().to_owned()), Some(on));
        p.status = Some(status.code().to_owned());
        p.staff = self.accompanied_by;
        p.coded = json(&AppointmentCoded { time, place: place.map(|c| c.code().to_owned()), reminder_days })?;
        let purpose = opt_text("purpose", &self.purpose)?;
        p.sealed = purpose.map(|purpose| json(&PurposeSealed { purpose: Some(purpose) })).transpose()?;
        p.due_on = opt_date("follow_up_on", self.follow_up_on, today)?;
        p.tasks.extend(deadlines::appointment_task(status, on, reminder_days));
        p.tasks.extend(deadlines::follow_up_task(p.due_on));
        if status == AppointmentStatus::Attended {
            p.contact_on = Some(on);
        }
        Ok(p)
    }
}

#[derive(Serialize, Deserialize, Default)]
struct WordsSealed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

impl EntryInput for MilestoneInput {
    const KIND: EntryKind = EntryKind::Milestone;
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let kind = code("kind", &self.kind, MilestoneKind::from_code)?;
        let words = opt_text("text", &self.text)?;
        if kind == MilestoneKind::Own && words.is_none() {
            return Err(case_work("text", CaseWorkError::TextRequired));
        }
        let mut p = Parts::new(Some(kind.code().to_owned()), Some(date("date", self.date, today)?));
        if words.is_some() {
            p.sealed = Some(json(&WordsSealed { text: words, language: language("language", &self.language)? })?);
        }
        Ok(p)
    }
}

impl EntryInput for LegalReliefInput {
    const KIND: EntryKind = EntryKind::LegalRelief;
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, leads: &Leads) -> AppResult<Parts> {
        let kind = code("kind", &self.kind, LegalReliefKind::from_code)?;
        let status = code("status", &self.status, LegalReliefStatus::from_code)?;
        let dates = ReliefDates {
            filed_on: opt_date("filed_on", self.filed_on, today)?,
            granted_on: opt_date("granted_on", self.granted_on, today)?,
            expires_on: opt_date("expires_on", self.expires_on, today)?,
            rfe_due_on: opt_date("rfe_due_on", self.rfe_due_on, today)?,
            decided_on: opt_date("decided_on", self.decided_on, today)?,
            certification_signed_on: opt_date("certification_signed_on", self.certification_signed_on, today)?,
            interim_expires_on: opt_date("interim_expires_on", self.interim_expires_on, today)?,
        };
        let mut p = Parts::new(Some(kind.code().to_owned()), dates.latest());
        p.status = Some(status.code().to_owned());
        p.coded = json(&dates)?;
        let notes = opt_text("notes", &self.notes)?;
        p.sealed = notes.map(|n| json(&NotesSealed { notes: Some(n) })).transpose()?;
        let numbers = [
            ("receipt_number", &self.receipt_number),
            ("a_number", &self.a_number),
            ("case_file_number", &self.case_file_number),
        ];
        for (field, n) in numbers {
            if let Some(n) = n {
                text(field, n, false)?;
            }
        }
        // Absent keeps what is stored; the caller merges (see `merge_restricted`).
        p.restricted = (self.receipt_number.is_some() || self.a_number.is_some() || self.case_file_number.is_some())
            .then(|| LegalNumbers {
                receipt_number: self.receipt_number.clone(),
                a_number: self.a_number.clone(),
                case_file_number: self.case_file_number.clone(),
            });
        p.tasks = deadlines::legal_relief_tasks(kind, status, &dates, leads);
        Ok(p)
    }
}

/// The restricted numbers after an update: a number given replaces the stored one (blank
/// removes it); a number left out stays.
pub(crate) fn merge_restricted(stored: LegalNumbers, given: &LegalNumbers) -> Option<LegalNumbers> {
    let pick = |given: &Option<String>, stored: Option<String>| match given {
        Some(g) if g.trim().is_empty() => None,
        Some(g) => Some(g.clone()),
        None => stored,
    };
    let merged = LegalNumbers {
        receipt_number: pick(&given.receipt_number, stored.receipt_number),
        a_number: pick(&given.a_number, stored.a_number),
        case_file_number: pick(&given.case_file_number, stored.case_file_number),
    };
    (!merged.is_empty()).then_some(merged)
}

#[derive(Serialize, Deserialize, Default)]
struct NoteSealed {
    /// Empty once the retention policy purged the note (see `EntryView::text_removed_on`).
    #[serde(default)]
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default)]
    content_note: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    translation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    translation_language: Option<String>,
}

impl EntryInput for NoteInput {
    const KIND: EntryKind = EntryKind::Note;
    fn version(&self) -> Option<i64> {
        self.version
    }
    fn parts(&self, today: NaiveDate, _: Option<UserId>, _: &Leads) -> AppResult<Parts> {
        let kind = code("kind", &self.kind, NoteKind::from_code)?;
        text("text", &self.text, true)?;
        let on = date("date", self.date.unwrap_or(today), today)?;
        let mut p = Parts::new(Some(kind.code().to_owned()), Some(on));
        p.sealed = Some(json(&NoteSealed {
            text: self.text.clone(),
            language: language("language", &self.language)?,
            content_note: self.content_note,
            translation: opt_text("translation", &self.translation)?,
            translation_language: language("translation_language", &self.translation_language)?,
        })?);
        p.due_on = opt_date("follow_up_on", self.follow_up_on, today)?;
        p.tasks.extend(deadlines::follow_up_task(p.due_on));
        if kind.is_contact() {
            p.contact_on = Some(on);
        }
        Ok(p)
    }
}

impl EntryDetail {
    pub fn kind(&self) -> EntryKind {
        match self {
            EntryDetail::NeedAssessment(_) => EntryKind::NeedAssessment,
            EntryDetail::Goal(_) => EntryKind::Goal,
            EntryDetail::Service(_) => EntryKind::Service,
            EntryDetail::Appointment(_) => EntryKind::Appointment,
            EntryDetail::Milestone(_) => EntryKind::Milestone,
            EntryDetail::LegalRelief(_) => EntryKind::LegalRelief,
            EntryDetail::Note(_) => EntryKind::Note,
        }
    }

    /// Checked and split, as its kind's use case does.
    pub(crate) fn parts(&self, today: NaiveDate, caller: Option<UserId>, leads: &Leads) -> AppResult<Parts> {
        match self {
            EntryDetail::NeedAssessment(i) => i.parts(today, caller, leads),
            EntryDetail::Goal(i) => i.parts(today, caller, leads),
            EntryDetail::Service(i) => i.parts(today, caller, leads),
            EntryDetail::Appointment(i) => i.parts(today, caller, leads),
            EntryDetail::Milestone(i) => i.parts(today, caller, leads),
            EntryDetail::LegalRelief(i) => i.parts(today, caller, leads),
            EntryDetail::Note(i) => i.parts(today, caller, leads),
        }
    }
}

/// What a stored entry's row holds, put back into its input shape (restricted numbers left
/// out: they come only through a reveal).
pub(crate) struct Stored<'a> {
    pub kind: EntryKind,
    pub code: Option<&'a str>,
    pub status: Option<&'a str>,
    pub on_date: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub minutes: Option<i32>,
    pub staff: Option<UserId>,
    pub coded: serde_json::Value,
    pub sealed: Option<serde_json::Value>,
}

pub(crate) fn detail_of(s: Stored<'_>) -> AppResult<EntryDetail> {
    let code = s.code.unwrap_or_default().to_owned();
    let sealed = s.sealed.unwrap_or(serde_json::Value::Object(Default::default()));
    Ok(match s.kind {
        EntryKind::NeedAssessment => {
            let coded: AssessmentCoded = from_json(s.coded, "coded")?;
            let sealed: NotesSealed = from_json(sealed, "sealed")?;
            EntryDetail::NeedAssessment(NeedsAssessmentInput {
                date: s.on_date,
                ratings: coded.ratings,
                notes: sealed.notes,
                follow_up_on: s.due_on,
                custom: None,
                version: None,
            })
        }
        EntryKind::Goal => {
            let coded: GoalCoded = from_json(s.coded, "coded")?;
            let sealed: GoalSealed = from_json(sealed, "sealed")?;
            EntryDetail::Goal(GoalInput {
                domain: code,
                text: sealed.text,
                chosen_by_survivor: coded.chosen_by_survivor,
                language: sealed.language,
                steps: sealed.steps,
                responsible: s.staff,
                target_on: s.due_on,
                status: s.status.map(str::to_owned),
                version: None,
            })
        }
        EntryKind::Service => {
            let coded: ServiceCoded = from_json(s.coded, "coded")?;
            let sealed: NotesSealed = from_json(sealed, "sealed")?;
            EntryDetail::Service(ServiceInput {
                category: code,
                date: s.on_date,
                minutes: s.minutes,
                delivered_by: s.staff,
                interpreter_used: coded.interpreter_used,
                interpreter_language: coded.interpreter_language,
                follow_up_on: s.due_on,
                notes: sealed.notes,
                custom: None,
                version: None,
            })
        }
        EntryKind::Appointment => {
            let coded: AppointmentCoded = from_json(s.coded, "coded")?;
            let sealed: PurposeSealed = from_json(sealed, "sealed")?;
            EntryDetail::Appointment(AppointmentInput {
                date: s.on_date,
                time: coded.time,
                place: coded.place,
                purpose: sealed.purpose,
                category: s.code.map(str::to_owned),
                accompanied_by: s.staff,
                reminder_days: Some(coded.reminder_days),
                status: s.status.map(str::to_owned),
                follow_up_on: s.due_on,
                version: None,
            })
        }
        EntryKind::Milestone => {
            let sealed: WordsSealed = from_json(sealed, "sealed")?;
            EntryDetail::Milestone(MilestoneInput {
                kind: code,
                date: s.on_date,
                text: sealed.text,
                language: sealed.language,
                version: None,
            })
        }
        EntryKind::LegalRelief => {
            let dates: ReliefDates = from_json(s.coded, "coded")?;
            let sealed: NotesSealed = from_json(sealed, "sealed")?;
            EntryDetail::LegalRelief(LegalReliefInput {
                kind: code,
                status: s.status.unwrap_or_default().to_owned(),
                filed_on: dates.filed_on,
                granted_on: dates.granted_on,
                expires_on: dates.expires_on,
                rfe_due_on: dates.rfe_due_on,
                decided_on: dates.decided_on,
                certification_signed_on: dates.certification_signed_on,
                interim_expires_on: dates.interim_expires_on,
                receipt_number: None,
                a_number: None,
                case_file_number: None,
                notes: sealed.notes,
                version: None,
            })
        }
        EntryKind::Note => {
            let sealed: NoteSealed = from_json(sealed, "sealed")?;
            EntryDetail::Note(NoteInput {
                kind: code,
                text: sealed.text,
                language: sealed.language,
                content_note: sealed.content_note,
                translation: sealed.translation,
                translation_language: sealed.translation_language,
                date: Some(s.on_date),
                follow_up_on: s.due_on,
                version: None,
            })
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    #[test]
    fn unknown_codes_are_refused_with_their_field() {
        let s = ServiceInput { category: "massage".into(), date: today(), minutes: Some(30), ..Default::default() };
        match s.parts(today(), None, &Leads::default()) {
            Err(AppError::Invalid { field: "category", problem: DomainError::UnknownCode }) => {}
            other => panic!("{:?}", other.err()),
        }
        let g = GoalInput { domain: "happiness".into(), text: "x".into(), ..Default::default() };
        assert!(matches!(g.parts(today(), None, &Leads::default()), Err(AppError::Invalid { field: "domain", .. })));
        let a = NeedsAssessmentInput {
            date: today(),
            ratings: [("housing".to_owned(), "great".to_owned())].into(),
            ..Default::default()
        };
        assert!(matches!(a.parts(today(), None, &Leads::default()), Err(AppError::Invalid { field: "ratings", .. })));
    }

    #[test]
    fn an_own_milestone_needs_the_survivors_words() {
        let m = MilestoneInput { kind: "own".into(), date: today(), ..Default::default() };
        assert!(matches!(
            m.parts(today(), None, &Leads::default()),
            Err(AppError::Invalid { field: "text", problem: DomainError::CaseWork(CaseWorkError::TextRequired) })
        ));
    }

    #[test]
    fn restricted_numbers_merge_on_update() {
        let stored =
            LegalNumbers { receipt_number: Some("EAC".into()), a_number: Some("A1".into()), ..Default::default() };
        let given =
            LegalNumbers { a_number: Some(String::new()), case_file_number: Some("CI".into()), ..Default::default() };
        let merged = merge_restricted(stored, &given).unwrap();
        assert_eq!(merged.receipt_number.as_deref(), Some("EAC"));
        assert_eq!(merged.a_number, None);
        assert_eq!(merged.case_file_number.as_deref(), Some("CI"));
        assert_eq!(merge_restricted(LegalNumbers::default(), &LegalNumbers::default()), None);
    }
}
