//! The forms that add and change case-work entries: `/cases/{id}/{kind}/new` (the form) and
//! `POST /cases/{id}/{kind}` (add), `/entries/{id}/edit` (change, version-checked). One
//! template serves every kind. A date or number that does not parse is a message next to its
//! field before the use case is asked; the use case's own refusals (unknown codes, texts too
//! long, dates out of range) come back next to theirs, with everything typed kept.

use std::collections::BTreeMap;
use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;

use amparo_app::casework::{
    AppointmentInput, EntryDetail, EntryView, GoalInput, GoalStep, LegalReliefInput, MilestoneInput,
    NeedsAssessmentInput, NoteInput, Saved, ServiceInput,
};
use amparo_app::{AppError, SessionContext};
use amparo_domain::forms::{CustomInput, FormKind, FormLayout};
use amparo_domain::records::{
    AppointmentPlace, AppointmentStatus, EntryKind, GoalStatus, LegalReliefKind, LegalReliefStatus, MilestoneKind,
    NeedDomain, NeedRating, NoteKind, ServiceCategory,
};
use amparo_domain::{Action, CaseId, UserId};

use crate::AppState;
use crate::pages::casework::{RELIEF_DATES, Staff, case_id, entry_id, relief_dates, role_may};
use crate::pages::form_fields::{FieldInput, custom_input, custom_inputs, custom_name, custom_shown};
use crate::pages::records::{Choice, Fields, LANGUAGES, caller, choices, fail, field_message, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

type Pairs = Form<Vec<(String, String)>>;

/// Blank step lines offered under the steps already written.
const BLANK_STEPS: usize = 3;

/// The path word of each kind (`/cases/{id}/goals/new`), as the API names them.
const SLUGS: [(EntryKind, &str); 7] = [
    (EntryKind::NeedAssessment, "assessments"),
    (EntryKind::Goal, "goals"),
    (EntryKind::Service, "services"),
    (EntryKind::Appointment, "appointments"),
    (EntryKind::Milestone, "milestones"),
    (EntryKind::LegalRelief, "legal-relief"),
    (EntryKind::Note, "notes"),
];

fn kind_of(slug: &str) -> Result<EntryKind, AppError> {
    SLUGS.iter().find(|(_, s)| *s == slug).map(|(k, _)| *k).ok_or(AppError::NotFound)
}

fn slug_of(kind: EntryKind) -> &'static str {
    SLUGS.iter().find(|(k, _)| *k == kind).map_or("notes", |(_, s)| s)
}

/// The case page's section where an entry of this kind is listed.
pub fn anchor_of(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::NeedAssessment => "needs",
        EntryKind::Goal => "goals",
        EntryKind::Service => "services",
        EntryKind::Appointment => "appointments",
        EntryKind::Milestone => "milestones",
        EntryKind::LegalRelief => "legal",
        EntryKind::Note => "notes",
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a form

/// Reads typed values; a value that does not parse leaves a message for its field.
struct Reader<'a> {
    f: &'a Fields,
    l: Tr,
    errors: FormErrors,
}

impl<'a> Reader<'a> {
    fn text(&self, name: &str) -> String {
        self.f.get(name).to_owned()
    }
    /// Free text: kept as typed; blank is none.
    fn opt_text(&self, name: &str) -> Option<String> {
        Some(self.f.get(name)).filter(|t| !t.trim().is_empty()).map(str::to_owned)
    }
    /// A code from a picker: blank is none.
    fn code(&self, name: &str) -> Option<String> {
        Some(self.f.get(name).trim()).filter(|t| !t.is_empty()).map(str::to_owned)
    }
    fn flag(&self, name: &str) -> bool {
        self.f.has(name)
    }
    fn opt_date(&mut self, name: &'static str) -> Option<NaiveDate> {
        let v = self.f.get(name).trim();
        if v.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.errors.push(name, self.l.t("cw-error-date-malformed"));
                None
            }
        }
    }
    fn date(&mut self, name: &'static str) -> NaiveDate {
        if self.f.get(name).trim().is_empty() {
            self.errors.push(name, self.l.t("cw-error-date-required"));
            return NaiveDate::default();
        }
        self.opt_date(name).unwrap_or_default()
    }
    fn opt_number<T: FromStr>(&mut self, name: &'static str) -> Option<T> {
        let v = self.f.get(name).trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<T>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.push(name, self.l.t("cw-error-number-malformed"));
                None
            }
        }
    }
    fn user(&mut self, name: &'static str) -> Option<UserId> {
        let v = self.code(name)?;
        match UserId::from_str(&v) {
            Ok(u) => Some(u),
            Err(_) => {
                self.errors.push(name, self.l.t("error-unknown_code"));
                None
            }
        }
    }
}

/// A checked form, ready for its use case.
enum Input {
    NeedAssessment(NeedsAssessmentInput),
    Goal(GoalInput),
    Service(ServiceInput),
    Appointment(AppointmentInput),
    Milestone(MilestoneInput),
    LegalRelief(LegalReliefInput),
    Note(NoteInput),
}

/// The goal's step lines as typed: (what, who), blank lines left out.
fn typed_steps(f: &Fields) -> Vec<(String, String)> {
    let whos = f.all("step_who");
    f.all("step_text")
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, whos.get(i).cloned().unwrap_or_default()))
        .filter(|(t, w)| !t.trim().is_empty() || !w.trim().is_empty())
        .collect()
}

/// The custom values typed (inputs named `custom.<code>`), by code.
fn typed_custom(f: &Fields) -> Vec<(String, String)> {
    f.0.iter().filter_map(|(k, v)| k.strip_prefix("custom.").map(|code| (code.to_owned(), v.clone()))).collect()
}

/// What the form sends for the organisation's own fields, if it shows any.
fn custom_sent(f: &Fields, layout: Option<&FormLayout>) -> Option<CustomInput> {
    let layout = layout?;
    layout.custom_fields().any(|c| !c.hidden).then(|| custom_input(&typed_custom(f), layout))
}

fn read(kind: EntryKind, f: &Fields, l: Tr, editing: bool, layout: Option<&FormLayout>) -> Result<Input, FormErrors> {
    let mut r = Reader { f, l, errors: FormErrors::default() };
    let version = f.get("version").trim().parse::<i64>().ok();
    let input = match kind {
        EntryKind::NeedAssessment => Input::NeedAssessment(NeedsAssessmentInput {
            date: r.date("date"),
            ratings: NeedDomain::ALL
                .iter()
                .filter_map(|d| r.code(&format!("rating_{}", d.code())).map(|v| (d.code().to_owned(), v)))
                .collect::<BTreeMap<_, _>>(),
            notes: r.opt_text("notes"),
            follow_up_on: r.opt_date("follow_up_on"),
            custom: custom_sent(f, layout),
            version,
        }),
        EntryKind::Goal => Input::Goal(GoalInput {
            domain: r.text("domain"),
            text: r.text("text"),
            chosen_by_survivor: f.get("chosen_by_survivor") != "0",
            language: r.code("language"),
            steps: typed_steps(f)
                .into_iter()
                .map(|(text, who)| GoalStep { text, who: Some(who).filter(|w| !w.trim().is_empty()) })
                .collect(),
            responsible: r.user("responsible"),
            target_on: r.opt_date("target_on"),
            status: r.code("status"),
            version,
        }),
        EntryKind::Service => Input::Service(ServiceInput {
            category: r.text("category"),
            date: r.date("date"),
            minutes: r.opt_number("minutes"),
            delivered_by: r.user("delivered_by"),
            interpreter_used: r.flag("interpreter_used"),
            interpreter_language: r.code("interpreter_language"),
            follow_up_on: r.opt_date("follow_up_on"),
            notes: r.opt_text("notes"),
            custom: custom_sent(f, layout),
            version,
        }),
        EntryKind::Appointment => Input::Appointment(AppointmentInput {
            date: r.date("date"),
            time: r.code("time"),
            place: r.code("place"),
            purpose: r.opt_text("purpose"),
            category: r.code("category"),
            accompanied_by: r.user("accompanied_by"),
            reminder_days: r.opt_number("reminder_days"),
            status: r.code("status"),
            follow_up_on: r.opt_date("follow_up_on"),
            version,
        }),
        EntryKind::Milestone => Input::Milestone(MilestoneInput {
            kind: r.text("kind"),
            date: r.date("date"),
            text: r.opt_text("text"),
            language: r.code("language"),
            version,
        }),
        EntryKind::LegalRelief => {
            // A number left blank: none on a new relief, the stored one kept on a change;
            // "remove" ticked: the stored one removed.
            let number = |name: &str| match r.opt_text(name) {
                Some(n) => Some(n.trim().to_owned()),
                None if editing && r.flag(&format!("remove_{name}")) => Some(String::new()),
                None => None,
            };
            let (receipt_number, a_number, case_file_number) =
                (number("receipt_number"), number("a_number"), number("case_file_number"));
            Input::LegalRelief(LegalReliefInput {
                kind: r.text("kind"),
                status: r.text("status"),
                filed_on: r.opt_date("filed_on"),
                granted_on: r.opt_date("granted_on"),
                expires_on: r.opt_date("expires_on"),
                rfe_due_on: r.opt_date("rfe_due_on"),
                decided_on: r.opt_date("decided_on"),
                certification_signed_on: r.opt_date("certification_signed_on"),
                interim_expires_on: r.opt_date("interim_expires_on"),
                receipt_number,
                a_number,
                case_file_number,
                notes: r.opt_text("notes"),
                version,
            })
        }
        EntryKind::Note => Input::Note(NoteInput {
            kind: r.text("kind"),
            text: r.text("text"),
            language: r.code("language"),
            content_note: r.flag("content_note"),
            translation: r.opt_text("translation"),
            translation_language: r.code("translation_language"),
            date: r.opt_date("date"),
            follow_up_on: r.opt_date("follow_up_on"),
            version,
        }),
    };
    if r.errors.is_empty() { Ok(input) } else { Err(r.errors) }
}

async fn add(state: &AppState, s: &SessionContext, case: CaseId, input: Input) -> Result<Saved, AppError> {
    let (app, c) = (&state.app, caller(s));
    match input {
        Input::NeedAssessment(i) => app.add_needs_assessment(&c, case, i).await,
        Input::Goal(i) => app.add_goal(&c, case, i).await,
        Input::Service(i) => app.add_service(&c, case, i).await,
        Input::Appointment(i) => app.add_appointment(&c, case, i).await,
        Input::Milestone(i) => app.add_milestone(&c, case, i).await,
        Input::LegalRelief(i) => app.add_legal_relief(&c, case, i).await,
        Input::Note(i) => app.add_note(&c, case, i).await,
    }
}

async fn change(
    state: &AppState,
    s: &SessionContext,
    id: amparo_domain::EntryId,
    input: Input,
) -> Result<Saved, AppError> {
    let (app, c) = (&state.app, caller(s));
    match input {
        Input::NeedAssessment(i) => app.update_needs_assessment(&c, id, i).await,
        Input::Goal(i) => app.update_goal(&c, id, i).await,
        Input::Service(i) => app.update_service(&c, id, i).await,
        Input::Appointment(i) => app.update_appointment(&c, id, i).await,
        Input::Milestone(i) => app.update_milestone(&c, id, i).await,
        Input::LegalRelief(i) => app.update_legal_relief(&c, id, i).await,
        Input::Note(i) => app.update_note(&c, id, i).await,
    }
}

// ---------------------------------------------------------------------------------------------
// A stored entry as a form

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn user(u: Option<UserId>) -> String {
    u.map(|u| u.to_string()).unwrap_or_default()
}

fn flag(b: bool) -> String {
    if b { "1".into() } else { String::new() }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// What a stored entry looks like as the form's fields.
fn fields_of(e: &EntryView) -> Fields {
    let mut p: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| p.push((k.to_owned(), v));
    match &e.detail {
        EntryDetail::NeedAssessment(a) => {
            put("date", a.date.to_string());
            for (d, r) in &a.ratings {
                put(&format!("rating_{d}"), r.clone());
            }
            put("notes", opt(&a.notes));
            put("follow_up_on", day(a.follow_up_on));
            for (code, v) in a.custom.as_ref().map(custom_shown).unwrap_or_default() {
                put(&custom_name(&code), v);
            }
        }
        EntryDetail::Goal(g) => {
            put("domain", g.domain.clone());
            put("text", g.text.clone());
            put("chosen_by_survivor", if g.chosen_by_survivor { "1".into() } else { "0".into() });
            put("language", opt(&g.language));
            for s in &g.steps {
                put("step_text", s.text.clone());
                put("step_who", opt(&s.who));
            }
            put("responsible", user(g.responsible));
            put("target_on", day(g.target_on));
            put("status", g.status.clone().unwrap_or_else(|| "open".into()));
        }
        EntryDetail::Service(s) => {
            put("category", s.category.clone());
            put("date", s.date.to_string());
            put("minutes", s.minutes.map(|m| m.to_string()).unwrap_or_default());
            put("delivered_by", user(s.delivered_by));
            put("interpreter_used", flag(s.interpreter_used));
            put("interpreter_language", opt(&s.interpreter_language));
            put("follow_up_on", day(s.follow_up_on));
            put("notes", opt(&s.notes));
            for (code, v) in s.custom.as_ref().map(custom_shown).unwrap_or_default() {
                put(&custom_name(&code), v);
            }
        }
        EntryDetail::Appointment(a) => {
            put("date", a.date.to_string());
            put("time", opt(&a.time));
            put("place", opt(&a.place));
            put("purpose", opt(&a.purpose));
            put("category", opt(&a.category));
            put("accompanied_by", user(a.accompanied_by));
            put("reminder_days", a.reminder_days.map(|d| d.to_string()).unwrap_or_default());
            put("status", a.status.clone().unwrap_or_else(|| "scheduled".into()));
            put("follow_up_on", day(a.follow_up_on));
        }
        EntryDetail::Milestone(m) => {
            put("kind", m.kind.clone());
            put("date", m.date.to_string());
            put("text", opt(&m.text));
            put("language", opt(&m.language));
        }
        EntryDetail::LegalRelief(r) => {
            put("kind", r.kind.clone());
            put("status", r.status.clone());
            for (name, d) in RELIEF_DATES.iter().zip(relief_dates(r)) {
                put(name, day(d));
            }
            put("notes", opt(&r.notes));
        }
        EntryDetail::Note(n) => {
            put("kind", n.kind.clone());
            put("date", day(n.date));
            put("text", n.text.clone());
            put("language", opt(&n.language));
            put("content_note", flag(n.content_note));
            put("translation", opt(&n.translation));
            put("translation_language", opt(&n.translation_language));
            put("follow_up_on", day(n.follow_up_on));
        }
    }
    Fields(p)
}

/// A new entry's form: today's date, the usual defaults, the reader as who delivered.
fn blank_fields(kind: EntryKind, today: NaiveDate, me: UserId) -> Fields {
    let mut p: Vec<(&str, String)> = Vec::new();
    match kind {
        EntryKind::NeedAssessment | EntryKind::Milestone => p.push(("date", today.to_string())),
        EntryKind::Goal => p.extend([("chosen_by_survivor", "1".into()), ("status", "open".into())]),
        EntryKind::Service => p.extend([("date", today.to_string()), ("delivered_by", me.to_string())]),
        EntryKind::Appointment => p.extend([("reminder_days", "1".into()), ("status", "scheduled".into())]),
        EntryKind::LegalRelief => {}
        EntryKind::Note => p.push(("date", today.to_string())),
    }
    Fields(p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

// ---------------------------------------------------------------------------------------------
// The page

/// How a field's value reads in the conflict table.
#[derive(Clone, Copy)]
enum Show {
    Text,
    Date,
    Code(&'static str),
    Staff,
    Flag,
    Language,
}

/// The fields of each kind, in the form's order, with their label key's suffix.
fn shown_fields(kind: EntryKind) -> Vec<(&'static str, Show)> {
    use Show::*;
    match kind {
        EntryKind::NeedAssessment => vec![("date", Date), ("notes", Text), ("follow_up_on", Date)],
        EntryKind::Goal => vec![
            ("domain", Code("need_domain")),
            ("text", Text),
            ("language", Language),
            ("responsible", Staff),
            ("target_on", Date),
            ("status", Code("goal_status")),
        ],
        EntryKind::Service => vec![
            ("category", Code("service_category")),
            ("date", Date),
            ("minutes", Text),
            ("delivered_by", Staff),
            ("interpreter_used", Flag),
            ("interpreter_language", Language),
            ("follow_up_on", Date),
            ("notes", Text),
        ],
        EntryKind::Appointment => vec![
            ("date", Date),
            ("time", Text),
            ("place", Code("appointment_place")),
            ("purpose", Text),
            ("category", Code("service_category")),
            ("accompanied_by", Staff),
            ("reminder_days", Text),
            ("status", Code("appointment_status")),
            ("follow_up_on", Date),
        ],
        EntryKind::Milestone => {
            vec![("kind", Code("milestone_kind")), ("date", Date), ("text", Text), ("language", Language)]
        }
        EntryKind::LegalRelief => {
            let mut v = vec![("kind", Code("legal_relief_kind")), ("status", Code("legal_relief_status"))];
            v.extend(RELIEF_DATES.iter().map(|d| (*d, Date)));
            v.push(("notes", Text));
            v
        }
        EntryKind::Note => vec![
            ("kind", Code("note_kind")),
            ("date", Date),
            ("text", Text),
            ("language", Language),
            ("content_note", Flag),
            ("translation", Text),
            ("translation_language", Language),
            ("follow_up_on", Date),
        ],
    }
}

/// The label key of a field of a kind (some words depend on the kind).
fn field_label(kind: EntryKind, name: &str) -> String {
    match (kind, name) {
        (EntryKind::Goal, "text") => "cw-goal-words".into(),
        (EntryKind::Milestone, "text") => "cw-milestone-words".into(),
        (EntryKind::Milestone, "kind") => "cw-field-milestone".into(),
        (EntryKind::Note, "text") => "cw-field-note".into(),
        (EntryKind::Note, "kind") => "cw-field-note_kind".into(),
        (EntryKind::LegalRelief, "kind") => "cw-field-relief_kind".into(),
        (EntryKind::Appointment, "category") => "cw-field-appointment_category".into(),
        (_, n) => format!("cw-field-{n}"),
    }
}

pub struct DiffRow {
    pub label: String,
    pub typed: String,
    pub stored: String,
    pub differs: bool,
}

/// (label, as shown) of every field of a form, for the conflict table.
fn summary(kind: EntryKind, f: &Fields, l: Tr, staff: &Staff) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = shown_fields(kind)
        .into_iter()
        .map(|(name, show)| {
            let v = f.get(name);
            let shown = match show {
                _ if v.is_empty() => String::new(),
                Show::Text | Show::Date => v.to_owned(),
                Show::Code(vocab) => label(l, vocab, v),
                Show::Language => label(l, "language", v),
                Show::Flag => l.t("records-yes"),
                Show::Staff => staff.name(UserId::from_str(v).ok()),
            };
            (l.t(&field_label(kind, name)), shown)
        })
        .collect();
    match kind {
        EntryKind::Goal => {
            let chosen =
                if f.get("chosen_by_survivor") == "0" { "cw-goal-chosen-agreed" } else { "cw-goal-chosen-survivor" };
            out.insert(3, (l.t("cw-goal-chosen"), l.t(chosen)));
            let steps = typed_steps(f)
                .into_iter()
                .map(|(t, w)| if w.trim().is_empty() { t } else { format!("{t} — {w}") })
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(4, (l.t("cw-goal-steps"), steps));
        }
        EntryKind::NeedAssessment => {
            for d in NeedDomain::ALL {
                let v = f.get(&format!("rating_{}", d.code()));
                let shown = if v.is_empty() { String::new() } else { label(l, "need_rating", v) };
                out.push((label(l, "need_domain", d.code()), shown));
            }
        }
        _ => {}
    }
    out
}

/// A rating line of a needs assessment form.
pub struct RatingRow {
    pub name: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "entry_form.html")]
struct EntryFormPage {
    l: Tr,
    page: PageCtx,
    /// `EntryKind` code.
    kind: &'static str,
    heading: String,
    action: String,
    back: String,
    number: String,
    /// The version to send back (a change) or none (a new entry).
    version: Option<i64>,
    form: Fields,
    errors: FormErrors,
    conflict: Option<Vec<DiffRow>>,
    staff: Staff,
    /// Step lines (what, who): those typed and a few blank ones.
    steps: Vec<(String, String)>,
    ratings: Vec<RatingRow>,
    /// Restricted numbers held (codes): the change form offers to remove them.
    held: Vec<String>,
    /// The organisation's form (assessments, services): the built-in fields shown, in its
    /// order, as (name, widget, hint key).
    laid_out: Vec<(String, String, &'static str)>,
    /// The organisation's own fields.
    custom: Vec<FieldInput>,
    layout: Option<FormLayout>,
}

/// How a built-in field of a configurable entry form is drawn: (widget, hint key).
fn widget(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "ratings" => ("ratings", ""),
        "date" => ("date", ""),
        "follow_up_on" => ("date", "cw-hint-follow_up_on"),
        "minutes" => ("number", "cw-hint-minutes"),
        "notes" => ("textarea", ""),
        "interpreter_used" => ("check", ""),
        "category" => ("select", ""),
        "delivered_by" | "interpreter_language" => ("select_blank", ""),
        // Ratings are drawn inside their fieldset.
        _ => return None,
    })
}

/// The built-in fields a configurable form shows, in the organisation's order.
fn laid_out(layout: Option<&FormLayout>) -> Vec<(String, String, &'static str)> {
    let Some(layout) = layout else { return Vec::new() };
    layout
        .visible()
        .filter(|f| !f.is_custom())
        .filter_map(|f| widget(&f.code).map(|(w, h)| (f.code.clone(), w.to_owned(), h)))
        .collect()
}

/// Hidden fields keep their stored values: a change made through the form sends them back
/// as they were (the form did not show them, so nobody could have meant to clear them).
fn keep_hidden(typed: &mut Fields, stored: &Fields, layout: &FormLayout) {
    for f in layout.fields.iter().filter(|f| f.hidden) {
        let name = if f.is_custom() { custom_name(&f.code) } else { f.code.clone() };
        typed.0.retain(|(k, _)| *k != name);
        typed.0.extend(stored.0.iter().filter(|(k, _)| *k == name).cloned());
    }
}

impl EntryFormPage {
    /// Whether the organisation made a field required (configurable forms only).
    fn is_required(&self, name: &str) -> bool {
        self.layout.as_ref().is_some_and(|l| l.is_required(name))
    }

    /// The choices of a picker, with what the form holds selected.
    fn opts(&self, name: &str) -> Vec<Choice> {
        let sel = [self.form.get(name).to_owned()];
        let l = self.l;
        let kind = EntryKind::from_code(self.kind).ok();
        match (kind, name) {
            (_, "responsible" | "delivered_by" | "accompanied_by") => self.staff.choices(&sel[0]),
            (_, "language" | "translation_language" | "interpreter_language") => {
                choices(l, "language", LANGUAGES.iter().copied(), &sel)
            }
            (_, "domain") => choices(l, "need_domain", NeedDomain::ALL.iter().map(|c| c.code()), &sel),
            (Some(EntryKind::Goal), "status") => {
                choices(l, "goal_status", GoalStatus::ALL.iter().map(|c| c.code()), &sel)
            }
            (Some(EntryKind::Appointment), "status") => {
                choices(l, "appointment_status", AppointmentStatus::ALL.iter().map(|c| c.code()), &sel)
            }
            (Some(EntryKind::LegalRelief), "status") => {
                choices(l, "legal_relief_status", LegalReliefStatus::ALL.iter().map(|c| c.code()), &sel)
            }
            (_, "category") => choices(l, "service_category", ServiceCategory::ALL.iter().map(|c| c.code()), &sel),
            (_, "place") => choices(l, "appointment_place", AppointmentPlace::ALL.iter().map(|c| c.code()), &sel),
            (Some(EntryKind::Milestone), "kind") => {
                choices(l, "milestone_kind", MilestoneKind::ALL.iter().map(|c| c.code()), &sel)
            }
            (Some(EntryKind::LegalRelief), "kind") => {
                choices(l, "legal_relief_kind", LegalReliefKind::ALL.iter().map(|c| c.code()), &sel)
            }
            (Some(EntryKind::Note), "kind") => choices(l, "note_kind", NoteKind::ALL.iter().map(|c| c.code()), &sel),
            _ => Vec::new(),
        }
    }

    /// The ids a field's `aria-describedby` names: its hint, its error.
    fn described(&self, name: &str, hint: &bool) -> String {
        let mut ids = Vec::new();
        if *hint {
            ids.push(format!("{name}-hint"));
        }
        if self.errors.get(name).is_some() {
            ids.push(format!("{name}-error"));
        }
        ids.join(" ")
    }

    /// The labels of step line `n` (what, who).
    fn step_labels(&self, n: &usize) -> (String, String) {
        let n = i64::try_from(*n).unwrap_or_default();
        (self.l.n("cw-goal-step", "n", n), self.l.n("cw-goal-step-who", "n", n))
    }

    /// The "remove" box of a restricted number held, and whether it is ticked.
    fn remove_box(&self, number: &str) -> (String, bool) {
        let label = self.l.t1("cw-relief-remove-number", "number", &self.label_of(number));
        (label, self.form.has(&format!("remove_{number}")))
    }

    fn label_of(&self, name: &str) -> String {
        let kind = EntryKind::from_code(self.kind).unwrap_or(EntryKind::Note);
        let own = self.layout.as_ref().and_then(|l| l.field(name)).and_then(|f| f.label_override(self.l.0));
        own.map_or_else(|| self.l.t(&field_label(kind, name)), str::to_owned)
    }
}

struct Render {
    kind: EntryKind,
    case: CaseId,
    number: String,
    /// Set when changing a stored entry.
    entry: Option<String>,
    version: Option<i64>,
    form: Fields,
    errors: FormErrors,
    conflict: Option<Vec<DiffRow>>,
    held: Vec<String>,
    status: StatusCode,
}

async fn render(state: &AppState, v: &Visitor, s: &SessionContext, r: Render) -> Response {
    let l = v.tr();
    let staff = Staff::load(state, l, s).await;
    let layout = match form_of(state, s, r.kind).await {
        Ok(layout) => layout,
        Err(e) => return fail(state, v, &e),
    };
    let kind_label = label(l, "entry_kind", r.kind.code());
    let heading = match &r.entry {
        Some(_) => l.t1("cw-form-edit-title", "kind", &kind_label),
        None => l.t1("cw-form-add-title", "kind", &kind_label),
    };
    let action = match &r.entry {
        Some(id) => format!("/entries/{id}/edit"),
        None => format!("/cases/{}/{}", r.case, slug_of(r.kind)),
    };
    let mut steps = typed_steps(&r.form);
    steps.extend(std::iter::repeat_n((String::new(), String::new()), BLANK_STEPS));
    // The domains in the organisation's order, those it hid left out, in its words.
    let ratings = layout
        .iter()
        .flat_map(|layout| layout.visible())
        .filter_map(|f| {
            let domain = NeedDomain::from_code(f.code.strip_prefix("rating_")?).ok()?;
            let sel = [r.form.get(&f.code).to_owned()];
            Some(RatingRow {
                label: f.label_override(l.0).map_or_else(|| label(l, "need_domain", domain.code()), str::to_owned),
                choices: choices(l, "need_rating", NeedRating::ALL.iter().map(|c| c.code()), &sel),
                name: f.code.clone(),
            })
        })
        .collect();
    let custom =
        layout.as_ref().map(|layout| custom_inputs(l, layout, &typed_custom(&r.form), &r.errors)).unwrap_or_default();
    let t = EntryFormPage {
        page: v.page(state, heading.clone()),
        kind: r.kind.code(),
        heading,
        action,
        back: format!("/cases/{}#{}", r.case, anchor_of(r.kind)),
        number: r.number,
        version: r.version,
        form: r.form,
        errors: r.errors,
        conflict: r.conflict,
        staff,
        steps,
        ratings,
        held: r.held,
        laid_out: laid_out(layout.as_ref()),
        custom,
        layout,
        l,
    };
    v.finish(state, html(r.status, &t))
}

/// The organisation's form of a kind, if the kind has a configurable one.
async fn form_of(state: &AppState, s: &SessionContext, kind: EntryKind) -> Result<Option<FormLayout>, AppError> {
    let Some(form) = FormKind::of_entry(kind) else { return Ok(None) };
    state.app.form_layout(&caller(s), form).await.map(Some)
}

/// `GET /cases/{id}/{kind}/new`
pub async fn new_form(State(state): State<AppState>, v: Visitor, Path((id, slug)): Path<(String, String)>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (cid, kind) = match (case_id(&id), kind_of(&slug)) {
        (Ok(c), Ok(k)) => (c, k),
        _ => return fail(&state, &v, &AppError::NotFound),
    };
    // No form for what the role may never write (the use case decides again on saving).
    if !role_may(&s.actor, Action::WriteRecord(kind.section())) {
        return fail(&state, &v, &AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
    }
    let case = match state.app.read_case(&caller(s), cid).await {
        Ok(c) => c,
        Err(e) => return fail(&state, &v, &e),
    };
    let today = state.app.now().date_naive();
    let r = Render {
        kind,
        case: cid,
        number: case.number,
        entry: None,
        version: None,
        form: blank_fields(kind, today, s.actor.user),
        errors: FormErrors::default(),
        conflict: None,
        held: Vec::new(),
        status: StatusCode::OK,
    };
    render(&state, &v, s, r).await
}

/// `POST /cases/{id}/{kind}`
pub async fn create(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, slug)): Path<(String, String)>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (cid, kind) = match (case_id(&id), kind_of(&slug)) {
        (Ok(c), Ok(k)) => (c, k),
        _ => return fail(&state, &v, &AppError::NotFound),
    };
    let l = v.tr();
    let layout = match form_of(&state, s, kind).await {
        Ok(layout) => layout,
        Err(e) => return fail(&state, &v, &e),
    };
    let errors = match read(kind, &f, l, false, layout.as_ref()) {
        Err(errors) => errors,
        Ok(input) => match add(&state, s, cid, input).await {
            Ok(_) => return see_other(&format!("/cases/{cid}?done=entry#{}", anchor_of(kind))),
            Err(e) => {
                let mut errors = FormErrors::default();
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
                errors
            }
        },
    };
    let case = match state.app.read_case(&caller(s), cid).await {
        Ok(c) => c,
        Err(e) => return fail(&state, &v, &e),
    };
    let r = Render {
        kind,
        case: cid,
        number: case.number,
        entry: None,
        version: None,
        form: f,
        errors,
        conflict: None,
        held: Vec::new(),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    render(&state, &v, s, r).await
}

async fn stored(
    state: &AppState,
    s: &SessionContext,
    id: amparo_domain::EntryId,
) -> Result<(EntryView, String), AppError> {
    let c = caller(s);
    let e = state.app.case_entry(&c, id).await?;
    let case = state.app.read_case(&c, e.case_id).await?;
    Ok((e, case.number))
}

/// `GET /entries/{id}/edit`
pub async fn edit_form(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(eid) = entry_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let (e, number) = match stored(&state, s, eid).await {
        Ok(x) => x,
        Err(e) => return fail(&state, &v, &e),
    };
    let Ok(kind) = EntryKind::from_code(&e.kind) else { return fail(&state, &v, &AppError::NotFound) };
    if !role_may(&s.actor, Action::WriteRecord(kind.section())) {
        return fail(&state, &v, &AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
    }
    let r = Render {
        kind,
        case: e.case_id,
        number,
        entry: Some(id),
        version: Some(e.version),
        form: fields_of(&e),
        errors: FormErrors::default(),
        conflict: None,
        held: e.restricted_present.clone(),
        status: StatusCode::OK,
    };
    render(&state, &v, s, r).await
}

/// `POST /entries/{id}/edit`: saved if the version sent is still the stored one; else both
/// versions side by side (409), the form keeping what was typed.
pub async fn edit(State(state): State<AppState>, v: Visitor, Path(id): Path<String>, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(eid) = entry_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    // The kind comes from the stored entry, never from the form.
    let (e, number) = match stored(&state, s, eid).await {
        Ok(x) => x,
        Err(e) => return fail(&state, &v, &e),
    };
    let Ok(kind) = EntryKind::from_code(&e.kind) else { return fail(&state, &v, &AppError::NotFound) };
    let layout = match form_of(&state, s, kind).await {
        Ok(layout) => layout,
        Err(e) => return fail(&state, &v, &e),
    };
    let mut f = f;
    if let Some(layout) = &layout {
        keep_hidden(&mut f, &fields_of(&e), layout);
    }
    let typed_version = f.get("version").trim().parse::<i64>().ok();
    let mut r = Render {
        kind,
        case: e.case_id,
        number,
        entry: Some(id),
        version: typed_version,
        form: f.clone(),
        errors: FormErrors::default(),
        conflict: None,
        held: e.restricted_present.clone(),
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    let result = match read(kind, &f, l, true, layout.as_ref()) {
        Ok(input) => change(&state, s, eid, input).await,
        Err(errors) => {
            r.errors = errors;
            return render(&state, &v, s, r).await;
        }
    };
    match result {
        Ok(_) => see_other(&format!("/cases/{}?done=entry#{}", e.case_id, anchor_of(kind))),
        Err(AppError::Conflict) => {
            // Read again: the entry as stored now (the read above may be older still).
            let (now, _) = match stored(&state, s, eid).await {
                Ok(x) => x,
                Err(e) => return fail(&state, &v, &e),
            };
            let staff = Staff::load(&state, l, s).await;
            let typed = summary(kind, &f, l, &staff);
            let stored_now = summary(kind, &fields_of(&now), l, &staff);
            r.conflict = Some(
                typed
                    .into_iter()
                    .zip(stored_now)
                    .map(|((label, typed), (_, stored))| DiffRow { differs: typed != stored, label, typed, stored })
                    .collect(),
            );
            r.version = Some(now.version);
            r.held = now.restricted_present;
            r.status = StatusCode::CONFLICT;
            render(&state, &v, s, r).await
        }
        Err(e) => {
            if !field_message(l, &e, &mut r.errors) {
                return fail(&state, &v, &e);
            }
            render(&state, &v, s, r).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_path_word_and_back() {
        for k in EntryKind::ALL {
            assert_eq!(kind_of(slug_of(*k)).ok(), Some(*k));
        }
        assert!(kind_of("break-glass").is_err());
    }

    #[test]
    fn every_label_a_form_uses_exists_in_both_languages() {
        for lang in amparo_i18n::Language::ALL {
            let have = amparo_i18n::keys(lang);
            for kind in EntryKind::ALL {
                for (name, _) in shown_fields(*kind) {
                    let key = field_label(*kind, name);
                    assert!(have.contains(&key), "{lang}: {key}");
                }
            }
            for n in ["receipt_number", "a_number", "case_file_number"] {
                assert!(have.contains(&format!("cw-field-{n}")), "{lang}: {n}");
            }
        }
    }
}
