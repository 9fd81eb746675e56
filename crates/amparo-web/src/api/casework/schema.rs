//! The case-work shapes of the OpenAPI document, mirroring `amparo_app::casework`'s types
//! (which are what goes over the wire; the app crate knows nothing of OpenAPI). Codes are
//! snake_case English words; their labels are `code-<vocabulary>-<code>` in the locales.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use utoipa::ToSchema;
use uuid::Uuid;

/// A needs assessment, rated with the survivor. Unknown members are refused.
#[derive(ToSchema)]
pub struct NeedsAssessmentInput {
    date: NaiveDate,
    /// Domain → rating. Domains: `safety`, `housing`, `physical_health`, `mental_health`,
    /// `legal_immigration`, `employment`, `education`, `children_family`, `finances`,
    /// `transport`, `community_faith`. Ratings: `in_crisis`, `vulnerable`, `stable`, `safe`,
    /// `thriving`, `not_discussed`. Domains left out were not rated; at least one is rated (and
    /// those the organisation's assessment form requires).
    ratings: BTreeMap<String, String>,
    /// Sealed.
    notes: Option<String>,
    /// A follow-up day (becomes a `follow_up` task).
    follow_up_on: Option<NaiveDate>,
    /// The organisation's own fields: `custom_…` code → value (`null` clears), checked
    /// against `GET /api/v1/forms/assessment`; sealed. Given back on reads (hidden ones too).
    #[schema(value_type = Option<Object>)]
    custom: Option<serde_json::Value>,
    /// Ignored on create.
    version: Option<i64>,
}

/// One step of a goal, and who does it (in words).
#[derive(ToSchema)]
pub struct GoalStep {
    text: String,
    who: Option<String>,
}

/// A goal of the service plan: the survivor's options, not orders.
#[derive(ToSchema)]
pub struct GoalInput {
    /// A needs domain code (see `NeedsAssessmentInput.ratings`).
    domain: String,
    /// The goal in the survivor's words, in the language it was said in (sealed; kept
    /// exactly as given).
    text: String,
    /// Chosen by the survivor (true), or suggested and agreed (false).
    chosen_by_survivor: bool,
    /// ISO 639 code of `text`.
    language: Option<String>,
    /// Steps and who does what (sealed).
    steps: Option<Vec<GoalStep>>,
    /// The staff member responsible (a user of the organisation).
    responsible: Option<Uuid>,
    /// Target day (an open goal's becomes a `goal_target` task).
    target_on: Option<NaiveDate>,
    /// `open` (default), `achieved`, `changed_by_survivor` or `paused`.
    status: Option<String>,
    /// Ignored on create.
    version: Option<i64>,
}

/// A service delivered: one dated encounter.
#[derive(ToSchema)]
pub struct ServiceInput {
    /// `case_management`, `crisis_intervention`, `legal_aid`, `housing`, `healthcare`,
    /// `mental_health`, `interpretation`, `accompaniment`, `transport`, `basic_necessities`,
    /// `education`, `employment`, `childcare`, `dental_care`, `substance_use`, `life_skills`,
    /// `financial_assistance`, `family_reunification`, `repatriation`, `other`. Unknown: 422.
    category: String,
    date: NaiveDate,
    /// 0–1440; required only when the organisation's service form requires it.
    minutes: Option<i32>,
    /// Who delivered it (a user of the organisation); the caller when left out.
    delivered_by: Option<Uuid>,
    /// Default false.
    interpreter_used: Option<bool>,
    /// ISO 639 code of the interpretation.
    interpreter_language: Option<String>,
    follow_up_on: Option<NaiveDate>,
    /// Sealed.
    notes: Option<String>,
    /// The organisation's own fields: `custom_…` code → value (`null` clears), checked
    /// against `GET /api/v1/forms/service`; sealed. Given back on reads (hidden ones too).
    #[schema(value_type = Option<Object>)]
    custom: Option<serde_json::Value>,
    /// Ignored on create.
    version: Option<i64>,
}

/// An appointment, and who accompanies the person.
#[derive(ToSchema)]
pub struct AppointmentInput {
    date: NaiveDate,
    /// `HH:MM`, 24-hour; none: the whole day.
    time: Option<String>,
    /// A kind of place, never an address: `office`, `court`, `immigration_office`,
    /// `law_enforcement`, `consulate`, `clinic`, `hospital`, `school`, `shelter`,
    /// `home_visit`, `phone_or_video`, `other`.
    place: Option<String>,
    /// What it is for (sealed; never in a calendar export).
    purpose: Option<String>,
    /// A service category code (e.g. `accompaniment`, `legal_aid`).
    category: Option<String>,
    /// The staff member who accompanies the person.
    accompanied_by: Option<Uuid>,
    /// Days before to remind (0: on the day; 0–60); 1 when left out.
    reminder_days: Option<u16>,
    /// `scheduled` (default), `attended`, `missed`, `cancelled` or `rescheduled`.
    status: Option<String>,
    follow_up_on: Option<NaiveDate>,
    /// Ignored on create.
    version: Option<i64>,
}

/// A milestone in the person's life.
#[derive(ToSchema)]
pub struct MilestoneInput {
    /// `first_apartment`, `job`, `school_enrolment`, `public_transport_alone`,
    /// `bank_account`, `identity_documents`, `children`, `reunification`, `own`.
    kind: String,
    date: NaiveDate,
    /// The survivor's words (sealed); required for `own`.
    text: Option<String>,
    /// ISO 639 code of `text`.
    language: Option<String>,
    /// Ignored on create.
    version: Option<i64>,
}

/// Immigration relief or a legal process, with its key dates (which become tasks) and its
/// restricted numbers (sealed apart; read back only through `POST /api/v1/entries/{id}/reveal`).
#[derive(ToSchema)]
pub struct LegalReliefInput {
    /// `t_visa`, `u_visa`, `continued_presence`, `hhs_certification`, `hhs_eligibility`,
    /// `asylum`, `mx_denuncia`, `mx_victim_recognition`, `mx_humanitarian_visa`.
    kind: String,
    /// `considering`, `preparing`, `requested`, `filed`, `rfe`, `bona_fide`, `waitlisted`,
    /// `granted`, `renewal_requested`, `denied`, `appealed`, `expired`, `revoked`, `withdrawn`.
    status: String,
    filed_on: Option<NaiveDate>,
    granted_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    /// A Request for Evidence is due.
    rfe_due_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    /// I-918 Supplement B signed.
    certification_signed_on: Option<NaiveDate>,
    /// HHS interim assistance letter expiry.
    interim_expires_on: Option<NaiveDate>,
    /// Restricted. On update: left out keeps the stored number, `""` removes it.
    receipt_number: Option<String>,
    /// Restricted (8 U.S.C. § 1367). Same update rule.
    a_number: Option<String>,
    /// Restricted: the carpeta de investigación number of a denuncia. Same update rule.
    case_file_number: Option<String>,
    /// Sealed.
    notes: Option<String>,
    /// Ignored on create.
    version: Option<i64>,
}

/// A case note, typed, in the language it was written in, with an optional marked
/// translation beside it.
#[derive(ToSchema)]
pub struct NoteInput {
    /// `contact`, `outreach`, `supervision` or `general`.
    kind: String,
    /// Sealed; kept exactly as given.
    text: String,
    /// ISO 639 code of `text` (`es`, `en`, …).
    language: Option<String>,
    /// Show a content note before the text (it describes harm). Default false.
    content_note: Option<bool>,
    translation: Option<String>,
    translation_language: Option<String>,
    /// The day of the contact or note; today when left out.
    date: Option<NaiveDate>,
    follow_up_on: Option<NaiveDate>,
    /// Ignored on create.
    version: Option<i64>,
}

/// A change to an entry: the `version` read, and the members to change, of the entry's kind
/// (`NeedsAssessmentInput`, `GoalInput`, `ServiceInput`, `AppointmentInput`,
/// `MilestoneInput`, `LegalReliefInput` or `NoteInput`). Members left out stay as stored;
/// `null` removes a member (clears an optional one); a member the kind does not have is
/// refused. Restricted numbers: left out keeps them, `""` removes one.
#[derive(ToSchema)]
pub struct EntryPatch {
    /// The version read; missing or stale gets 409.
    version: i64,
    #[serde(flatten)]
    changes: BTreeMap<String, serde_json::Value>,
}

/// What a create or update gives back: send `version` with the next update.
#[derive(ToSchema)]
pub struct SavedEntry {
    id: Uuid,
    version: i64,
}

/// An entry's fields, by kind: `{"goal": {…}}`. `version` is not repeated here.
#[derive(ToSchema)]
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

/// An entry as a reader sees it. Restricted numbers are never here, only their names.
#[derive(ToSchema)]
pub struct EntryView {
    id: Uuid,
    case_id: Uuid,
    person_id: Uuid,
    /// `need_assessment`, `goal`, `service`, `appointment`, `milestone`, `legal_relief`, `note`.
    kind: String,
    /// Where the entry sits on the timeline.
    date: NaiveDate,
    version: i64,
    detail: EntryDetail,
    /// Legal relief: the restricted numbers held (`receipt_number`, `a_number`,
    /// `case_file_number`), to reveal on request. Left out when none.
    restricted_present: Option<Vec<String>>,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(ToSchema)]
pub struct Entries {
    items: Vec<EntryView>,
}

/// The restricted numbers of a legal relief, after an audited reveal.
#[derive(ToSchema)]
pub struct LegalNumbers {
    receipt_number: Option<String>,
    a_number: Option<String>,
    case_file_number: Option<String>,
}

/// One line of a case's timeline.
#[derive(ToSchema)]
pub struct TimelineItem {
    date: NaiveDate,
    /// `case_opened`, `case_status` (a change of status), `case_closed`, an entry kind,
    /// `screening` or `referral`.
    kind: String,
    /// For `case_status` and `case_closed`: the status it took (`Active`, `FollowUp`,
    /// `Closed`, `ClosedReferred`).
    case_status: Option<String>,
    /// The entry, for entry kinds.
    entry: Option<EntryView>,
    /// For `screening`: coded results only.
    screening: Option<TimelineScreening>,
    /// For `referral`: codes only (what was shared stays on the referral).
    referral: Option<TimelineReferral>,
}

/// A screening on the timeline.
#[derive(ToSchema)]
pub struct TimelineScreening {
    id: Uuid,
    /// `phq9`, `gad7`, `pcl5`, `trafficking_indicators`.
    instrument: String,
    total: i32,
    band: Option<String>,
    flags: Vec<String>,
}

/// A referral on the timeline.
#[derive(ToSchema)]
pub struct TimelineReferral {
    id: Uuid,
    /// `outgoing` or `incoming`.
    direction: String,
    /// `draft`, `sent`, `accepted`, `declined`, `completed`, `withdrawn`.
    status: String,
    /// `routine`, `urgent`, `emergency`.
    urgency: String,
    partner_id: Option<Uuid>,
}

#[derive(ToSchema)]
pub struct Timeline {
    items: Vec<TimelineItem>,
}

/// A manual task on a case.
#[derive(ToSchema)]
pub struct TaskInput {
    /// Sealed; 1–500 characters.
    title: String,
    due_on: NaiveDate,
    /// A user of the organisation; none: the case's team.
    assigned_to: Option<Uuid>,
}

/// Completing a task: the version read.
#[derive(ToSchema)]
pub struct TaskCompletion {
    /// Missing or stale gets 409.
    version: i64,
}

/// A task as a list shows it.
#[derive(ToSchema)]
pub struct TaskView {
    id: Uuid,
    /// `manual`, `follow_up`, `goal_target`, `appointment`, `consent_expiry`,
    /// `safe_contact_reconfirm`, `continued_presence_renewal`, `rfe_response`,
    /// `appeal_deadline`, `u_visa_certification_expiry`, `adjustment_of_status`,
    /// `t_visa_expiry`, `u_visa_expiry`, `hhs_interim_expiry`, `mx_humanitarian_visa_renewal`,
    /// `screening_alert` (a critical screening answer; its source is the screening).
    kind: String,
    case_id: Option<Uuid>,
    case_number: Option<String>,
    person_id: Uuid,
    /// The entry, consent or person the task derives from (none for manual tasks).
    source_id: Option<Uuid>,
    due_on: NaiveDate,
    /// Due before today.
    overdue: bool,
    assigned_to: Option<Uuid>,
    /// A manual task's title.
    title: Option<String>,
    done_at: Option<DateTime<Utc>>,
    version: i64,
    /// The caller's own: assigned to them, or unassigned on a case assigned to them.
    mine: bool,
}

#[derive(ToSchema)]
pub struct Tasks {
    items: Vec<TaskView>,
}

#[derive(ToSchema)]
pub struct StatusCount {
    /// `Active`, `FollowUp`, `Closed` or `ClosedReferred`.
    status: String,
    count: i64,
}

/// An appointment as a list or calendar shows it: codes only, no purpose, no name.
#[derive(ToSchema)]
pub struct AppointmentSlot {
    entry_id: Uuid,
    case_id: Uuid,
    case_number: String,
    date: NaiveDate,
    /// `HH:MM`.
    time: Option<String>,
    /// A place code.
    place: Option<String>,
    /// A service category code.
    category: Option<String>,
    /// An appointment status code.
    status: String,
    accompanied_by: Option<Uuid>,
}

/// The caseload dashboard's numbers and the next things due.
#[derive(ToSchema)]
pub struct Dashboard {
    /// True for a supervisor (the organisation's cases), false for the reader's own cases.
    organisation_wide: bool,
    cases_by_status: Vec<StatusCount>,
    overdue_tasks: i64,
    /// Scheduled appointments from today to `upcoming_until`.
    upcoming_appointments: i64,
    /// Open legal-relief deadlines from today to `upcoming_until`.
    upcoming_deadlines: i64,
    /// Open cases with no contact for `no_contact_days` days (or never).
    without_recent_contact: i64,
    no_contact_days: u32,
    upcoming_until: NaiveDate,
    /// The first appointments coming (at most 20).
    next_appointments: Vec<AppointmentSlot>,
    /// The first deadlines coming (at most 20).
    next_deadlines: Vec<TaskView>,
    /// Open screening alerts (`screening_alert` tasks), whatever their day, until completed.
    alerts: Vec<TaskView>,
}
