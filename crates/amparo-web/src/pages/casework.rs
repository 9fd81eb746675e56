//! Case work as people read it: the case page's sections (service plan, services,
//! appointments, milestones, legal relief, notes, needs assessments), the timeline, and the
//! audited "show numbers" of a legal relief. The forms that write entries are in
//! `entry_forms.rs`.
//!
//! A section is shown only when the reader's role reads that part of the record; the use case
//! decides again on every read, and a refusal there hides the section rather than failing the
//! page.

use std::collections::HashMap;
use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::casework::{EntryDetail, EntryView, TimelineItem};
use amparo_app::{AppError, SessionContext};
use amparo_domain::forms::{FormField, FormKind, FormLayout};
use amparo_domain::records::{EntryKind, NeedDomain};
use amparo_domain::{Action, Actor, CaseId, EntryId, RecordScope, Resource, Section, UserId, authorize};

use crate::AppState;
use crate::pages::form_fields::{custom_facts, custom_value};
use crate::pages::forms::field_label;
use crate::pages::records::{Choice, Fields, caller, date, fail, label};
use crate::pages::screenings::{band_label, instrument_name};
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html};

/// How many needs assessments the comparison table shows (the latest first).
const ASSESSMENTS_COMPARED: usize = 4;

pub fn case_id(id: &str) -> Result<CaseId, AppError> {
    CaseId::from_str(id).map_err(|_| AppError::NotFound)
}

pub fn entry_id(id: &str) -> Result<EntryId, AppError> {
    EntryId::from_str(id).map_err(|_| AppError::NotFound)
}

/// Whether the reader's role may do `action` on a record whose team they are on: decides
/// which sections and links a page offers. The use cases decide again, with the case's scope.
pub fn role_may(actor: &Actor, action: Action) -> bool {
    let own = RecordScope { org: actor.org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
    authorize(actor, action, Resource::Record(&own)).is_ok()
}

/// The colleagues named on entries (delivered by, accompanies, responsible) and offered in
/// the forms' pickers.
#[derive(Clone, Default)]
pub struct Staff {
    me: Option<UserId>,
    me_label: String,
    people: Vec<(UserId, String)>,
}

impl Staff {
    /// The organisation's staff who work on records (none if the reader may not list them).
    pub async fn load(state: &AppState, l: Tr, s: &SessionContext) -> Staff {
        let colleagues = state.app.colleagues(&caller(s)).await.unwrap_or_default();
        Staff {
            me: Some(s.actor.user),
            me_label: l.t1("records-case-you", "email", &s.email),
            people: colleagues
                .into_iter()
                .map(|u| (u.id, format!("{} — {}", u.name, l.t(&format!("role-{}", u.role.code())))))
                .collect(),
        }
    }

    /// A staff member as shown: the reader as themself, a colleague by name and role, anyone
    /// else (a disabled account) by id.
    pub fn name(&self, u: Option<UserId>) -> String {
        match u {
            None => String::new(),
            Some(u) if Some(u) == self.me => self.me_label.clone(),
            Some(u) => self.people.iter().find(|(id, _)| *id == u).map_or_else(|| u.to_string(), |(_, n)| n.clone()),
        }
    }

    /// The picker of a form: every colleague, and the one chosen even if no longer listed.
    pub fn choices(&self, selected: &str) -> Vec<Choice> {
        let mut out: Vec<Choice> = self
            .people
            .iter()
            .map(|(id, n)| {
                let code = id.to_string();
                let label = if Some(*id) == self.me { self.me_label.clone() } else { n.clone() };
                Choice { selected: code == selected, code, label }
            })
            .collect();
        if !selected.is_empty() && !out.iter().any(|c| c.code == selected) {
            let shown = UserId::from_str(selected).map(|u| self.name(Some(u))).unwrap_or_else(|_| selected.to_owned());
            out.push(Choice { code: selected.to_owned(), label: shown, selected: true });
        }
        out
    }
}

/// A text as written, in its language (for `lang` and a label).
pub struct Words {
    pub label: String,
    pub text: String,
    /// ISO 639 code, or empty when not said.
    pub lang: String,
}

/// One entry as a card: the timeline shows every kind so, and the case page the kinds whose
/// text matters most (goals, legal relief, notes).
pub struct EntryCard {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub date: String,
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub words: Vec<Words>,
    /// Goal steps: (what, who).
    pub steps: Vec<(String, String)>,
    /// Collapse the words behind a content note.
    pub content_note: bool,
    /// Labels of the restricted numbers held (shown masked).
    pub restricted: Vec<String>,
    pub may_edit: bool,
}

fn language_label(l: Tr, code: &Option<String>) -> String {
    code.as_deref().map(|c| label(l, "language", c)).unwrap_or_default()
}

fn opt_date(l: Tr, d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| date(l, d)).unwrap_or_default()
}

fn words(l: Tr, key: &str, text: &str, lang: &Option<String>) -> Words {
    let name = language_label(l, lang);
    let label = if name.is_empty() { l.t(key) } else { format!("{} ({name})", l.t(key)) };
    Words { label, text: text.to_owned(), lang: lang.clone().unwrap_or_default() }
}

/// (label, value) pairs, leaving out the empty ones.
fn facts(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

/// The dates of a legal relief, labelled, in the order a relief goes through them.
pub const RELIEF_DATES: [&str; 7] = [
    "filed_on",
    "granted_on",
    "expires_on",
    "rfe_due_on",
    "decided_on",
    "certification_signed_on",
    "interim_expires_on",
];

pub fn relief_dates(r: &amparo_app::casework::LegalReliefInput) -> [Option<chrono::NaiveDate>; 7] {
    [
        r.filed_on,
        r.granted_on,
        r.expires_on,
        r.rfe_due_on,
        r.decided_on,
        r.certification_signed_on,
        r.interim_expires_on,
    ]
}

/// The assessment and service forms as the organisation set them up: hidden fields leave
/// the pages, relabelled ones show the organisation's words, custom fields are shown.
#[derive(Clone)]
pub struct EntryForms {
    pub assessment: FormLayout,
    pub service: FormLayout,
}

impl EntryForms {
    pub async fn load(state: &AppState, s: &SessionContext) -> Result<Self, AppError> {
        let c = caller(s);
        let (assessment, service) =
            tokio::join!(state.app.form_layout(&c, FormKind::Assessment), state.app.form_layout(&c, FormKind::Service));
        Ok(EntryForms { assessment: assessment?, service: service? })
    }
}

/// The label of a built-in field of a configurable form: the organisation's own words, else
/// `default`; `None` when the organisation hid the field.
fn label_or(l: Tr, layout: &FormLayout, code: &str, default: impl FnOnce() -> String) -> Option<String> {
    match layout.field(code) {
        Some(f) if f.hidden => None,
        Some(f) => Some(f.label_override(l.0).map_or_else(default, str::to_owned)),
        None => Some(default()),
    }
}

/// A built-in field's label, Amparo's from the locale message `key`.
pub fn shown_label(l: Tr, layout: &FormLayout, code: &str, key: &str) -> Option<String> {
    label_or(l, layout, code, || l.t(key))
}

/// A rating's line label: the domain's name, or the organisation's word for it.
fn rating_label(l: Tr, layout: &FormLayout, domain: &str) -> Option<String> {
    label_or(l, layout, &format!("rating_{domain}"), || label(l, "need_domain", domain))
}

pub fn card(l: Tr, staff: &Staff, e: &EntryView, may_edit: bool, forms: &EntryForms) -> EntryCard {
    let mut c = EntryCard {
        id: e.id.to_string(),
        kind: e.kind.clone(),
        kind_label: label(l, "entry_kind", &e.kind),
        date: date(l, e.date),
        heading: String::new(),
        facts: Vec::new(),
        words: Vec::new(),
        steps: Vec::new(),
        content_note: false,
        restricted: e.restricted_present.iter().map(|n| l.t(&format!("cw-field-{n}"))).collect(),
        may_edit,
    };
    match &e.detail {
        EntryDetail::NeedAssessment(a) => {
            let form = &forms.assessment;
            c.heading = c.kind_label.clone();
            c.facts = a
                .ratings
                .iter()
                .filter_map(|(d, r)| Some((rating_label(l, form, d)?, label(l, "need_rating", r))))
                .chain([(l.t("cw-field-follow_up_on"), opt_date(l, a.follow_up_on))])
                .chain(a.custom.as_ref().map(|v| custom_facts(l, form, v)).unwrap_or_default())
                .collect();
            if let Some(n) = &a.notes {
                c.words.push(words(l, "cw-field-notes", n, &None));
            }
        }
        EntryDetail::Goal(g) => {
            c.heading = label(l, "need_domain", &g.domain);
            c.facts = vec![
                (
                    l.t("cw-goal-chosen"),
                    l.t(if g.chosen_by_survivor { "cw-goal-chosen-survivor" } else { "cw-goal-chosen-agreed" }),
                ),
                (l.t("cw-field-status"), label(l, "goal_status", g.status.as_deref().unwrap_or("open"))),
                (l.t("cw-field-target_on"), opt_date(l, g.target_on)),
                (l.t("cw-field-responsible"), staff.name(g.responsible)),
            ];
            c.words.push(words(l, "cw-goal-words", &g.text, &g.language));
            c.steps = g.steps.iter().map(|s| (s.text.clone(), s.who.clone().unwrap_or_default())).collect();
        }
        EntryDetail::Service(s) => {
            let form = &forms.service;
            c.heading = label(l, "service_category", &s.category);
            c.facts = [
                ("minutes", s.minutes.map(|m| m.to_string()).unwrap_or_default()),
                ("delivered_by", staff.name(s.delivered_by)),
                ("interpreter_used", interpreter(l, s)),
                ("follow_up_on", opt_date(l, s.follow_up_on)),
            ]
            .into_iter()
            .filter_map(|(code, v)| Some((shown_label(l, form, code, &format!("cw-field-{code}"))?, v)))
            .chain(s.custom.as_ref().map(|v| custom_facts(l, form, v)).unwrap_or_default())
            .collect();
            if let Some(n) = s.notes.as_ref().filter(|_| form.is_visible("notes")) {
                let mut w = words(l, "cw-field-notes", n, &None);
                w.label = shown_label(l, form, "notes", "cw-field-notes").unwrap_or(w.label);
                c.words.push(w);
            }
        }
        EntryDetail::Appointment(a) => {
            c.heading = a.category.as_deref().map_or_else(|| c.kind_label.clone(), |k| label(l, "service_category", k));
            c.facts = vec![
                (l.t("cw-field-time"), a.time.clone().unwrap_or_default()),
                (
                    l.t("cw-field-place"),
                    a.place.as_deref().map(|p| label(l, "appointment_place", p)).unwrap_or_default(),
                ),
                (l.t("cw-field-accompanied_by"), staff.name(a.accompanied_by)),
                (l.t("cw-field-status"), label(l, "appointment_status", a.status.as_deref().unwrap_or("scheduled"))),
            ];
            if let Some(p) = &a.purpose {
                c.words.push(words(l, "cw-field-purpose", p, &None));
            }
        }
        EntryDetail::Milestone(m) => {
            c.heading = label(l, "milestone_kind", &m.kind);
            if let Some(t) = &m.text {
                c.words.push(words(l, "cw-milestone-words", t, &m.language));
            }
        }
        EntryDetail::LegalRelief(r) => {
            c.heading = label(l, "legal_relief_kind", &r.kind);
            c.facts.push((l.t("cw-field-status"), label(l, "legal_relief_status", &r.status)));
            for (name, d) in RELIEF_DATES.iter().zip(relief_dates(r)) {
                c.facts.push((l.t(&format!("cw-field-{name}")), opt_date(l, d)));
            }
            if let Some(n) = &r.notes {
                c.words.push(words(l, "cw-field-notes", n, &None));
            }
        }
        EntryDetail::Note(n) => {
            c.heading = label(l, "note_kind", &n.kind);
            c.content_note = n.content_note;
            c.facts = vec![(l.t("cw-field-follow_up_on"), opt_date(l, n.follow_up_on))];
            match e.text_removed_on {
                // Purged by the retention policy: say so, rather than show a blank.
                Some(on) => c.words.push(Words {
                    label: l.t("cw-note-original"),
                    text: l.t1("retention-removed-on", "date", &on.format("%Y-%m-%d").to_string()),
                    lang: String::new(),
                }),
                None => c.words.push(words(l, "cw-note-original", &n.text, &n.language)),
            }
            if let Some(t) = &n.translation {
                c.words.push(words(l, "cw-note-translation", t, &n.translation_language));
            }
        }
    }
    c.facts = facts(std::mem::take(&mut c.facts));
    c
}

fn interpreter(l: Tr, s: &amparo_app::casework::ServiceInput) -> String {
    match (s.interpreter_used, &s.interpreter_language) {
        (false, _) => l.t("records-no"),
        (true, None) => l.t("records-yes"),
        (true, lang) => format!("{} ({})", l.t("records-yes"), language_label(l, lang)),
    }
}

/// A table of entries with one line each (services, appointments, milestones).
pub struct EntryTable {
    pub columns: Vec<String>,
    pub rows: Vec<EntryRow>,
}

pub struct EntryRow {
    pub id: String,
    pub cells: Vec<String>,
    pub may_edit: bool,
}

fn services_table(l: Tr, staff: &Staff, entries: &[EntryView], may_edit: bool, form: &FormLayout) -> EntryTable {
    type Cell = fn(Tr, &Staff, &amparo_app::casework::ServiceInput) -> String;
    let built_in: [(&str, &str, Cell); 6] = [
        ("date", "cw-field-date", |l, _, s| date(l, s.date)),
        ("category", "cw-field-category", |l, _, s| label(l, "service_category", &s.category)),
        ("minutes", "cw-field-minutes", |_, _, s| s.minutes.map(|m| m.to_string()).unwrap_or_default()),
        ("delivered_by", "cw-field-delivered_by", |_, staff, s| staff.name(s.delivered_by)),
        ("interpreter_used", "cw-interpreter", |l, _, s| interpreter(l, s)),
        ("notes", "cw-field-notes", |_, _, s| s.notes.clone().unwrap_or_default()),
    ];
    let shown: Vec<(String, Cell)> =
        built_in.into_iter().filter_map(|(code, key, cell)| Some((shown_label(l, form, code, key)?, cell))).collect();
    let custom: Vec<&FormField> = form.custom_fields().filter(|c| !c.hidden).collect();
    let rows = entries
        .iter()
        .filter_map(|e| match &e.detail {
            EntryDetail::Service(s) => Some(EntryRow {
                id: e.id.to_string(),
                cells: shown
                    .iter()
                    .map(|(_, cell)| cell(l, staff, s))
                    .chain(custom.iter().map(|c| {
                        s.custom
                            .as_ref()
                            .and_then(|v| v.get(&c.code)?.as_ref())
                            .map(|v| custom_value(l, c, v))
                            .unwrap_or_default()
                    }))
                    .collect(),
                may_edit,
            }),
            _ => None,
        })
        .collect();
    let columns = shown.into_iter().map(|(label, _)| label).chain(custom.iter().map(|c| field_label(c, l.0))).collect();
    EntryTable { columns, rows }
}

fn appointments_table(l: Tr, staff: &Staff, entries: &[EntryView], may_edit: bool) -> EntryTable {
    let columns = ["cw-field-date", "cw-field-place", "cw-field-purpose", "cw-field-accompanied_by", "cw-field-status"];
    let rows = entries
        .iter()
        .filter_map(|e| match &e.detail {
            EntryDetail::Appointment(a) => Some(EntryRow {
                id: e.id.to_string(),
                cells: vec![
                    match &a.time {
                        Some(t) => format!("{} {t}", date(l, a.date)),
                        None => date(l, a.date),
                    },
                    a.place.as_deref().map(|p| label(l, "appointment_place", p)).unwrap_or_default(),
                    [
                        a.category.as_deref().map(|k| label(l, "service_category", k)).unwrap_or_default(),
                        a.purpose.clone().unwrap_or_default(),
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — "),
                    staff.name(a.accompanied_by),
                    label(l, "appointment_status", a.status.as_deref().unwrap_or("scheduled")),
                ],
                may_edit,
            }),
            _ => None,
        })
        .collect();
    EntryTable { columns: columns.iter().map(|k| l.t(k)).collect(), rows }
}

fn milestones_table(l: Tr, entries: &[EntryView], may_edit: bool) -> EntryTable {
    let columns = ["cw-field-date", "cw-field-milestone", "cw-milestone-words"];
    let rows = entries
        .iter()
        .filter_map(|e| match &e.detail {
            EntryDetail::Milestone(m) => Some(EntryRow {
                id: e.id.to_string(),
                cells: vec![date(l, m.date), label(l, "milestone_kind", &m.kind), m.text.clone().unwrap_or_default()],
                may_edit,
            }),
            _ => None,
        })
        .collect();
    EntryTable { columns: columns.iter().map(|k| l.t(k)).collect(), rows }
}

/// Needs assessments side by side: a line per domain, a column per assessment (latest
/// first), so that change shows without judging it.
pub struct NeedsTable {
    /// (date, entry id) of each column.
    pub columns: Vec<(String, String)>,
    /// (domain label, rating label per column).
    pub rows: Vec<(String, Vec<String>)>,
    pub latest_notes: Option<String>,
    pub older: i64,
    pub may_edit: bool,
}

fn needs_table(l: Tr, entries: &[EntryView], may_edit: bool, form: &FormLayout) -> NeedsTable {
    let mut assessments: Vec<(&EntryView, &amparo_app::casework::NeedsAssessmentInput)> = entries
        .iter()
        .filter_map(|e| match &e.detail {
            EntryDetail::NeedAssessment(a) => Some((e, a)),
            _ => None,
        })
        .collect();
    assessments.sort_by_key(|(e, a)| std::cmp::Reverse((a.date, e.created_at)));
    let older = i64::try_from(assessments.len().saturating_sub(ASSESSMENTS_COMPARED)).unwrap_or_default();
    assessments.truncate(ASSESSMENTS_COMPARED);
    let ratings = NeedDomain::ALL.iter().filter_map(|d| {
        let cells = assessments
            .iter()
            .map(|(_, a)| a.ratings.get(d.code()).map(|r| label(l, "need_rating", r)).unwrap_or_default())
            .collect::<Vec<_>>();
        Some((rating_label(l, form, d.code())?, cells))
    });
    // The organisation's own questions, a line each, as the ratings are.
    let custom = form.custom_fields().filter(|c| !c.hidden).map(|c| {
        let cells = assessments
            .iter()
            .map(|(_, a)| {
                a.custom
                    .as_ref()
                    .and_then(|v| v.get(&c.code)?.as_ref())
                    .map(|v| custom_value(l, c, v))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>();
        (field_label(c, l.0), cells)
    });
    let rows = ratings.chain(custom).filter(|(_, cells)| cells.iter().any(|c| !c.is_empty())).collect();
    NeedsTable {
        columns: assessments.iter().map(|(e, a)| (date(l, a.date), e.id.to_string())).collect(),
        rows,
        latest_notes: assessments.first().and_then(|(_, a)| a.notes.clone()),
        older,
        may_edit,
    }
}

/// The case-work sections of the case page; `None`: the reader's role does not read it.
#[derive(Default)]
pub struct CaseWork {
    pub case_id: String,
    pub goals: Option<Vec<EntryCard>>,
    pub services: Option<EntryTable>,
    pub appointments: Option<EntryTable>,
    pub milestones: Option<EntryTable>,
    pub legal: Option<Vec<EntryCard>>,
    pub notes: Option<Vec<EntryCard>>,
    pub needs: Option<NeedsTable>,
    pub write_services: bool,
    pub write_legal: bool,
    pub write_notes: bool,
    /// The "add a task" form: the colleagues to assign it to (None: the reader may not).
    pub task_assignees: Option<Vec<Choice>>,
}

pub async fn case_work(
    state: &AppState,
    l: Tr,
    s: &SessionContext,
    case: CaseId,
    may_edit_case: bool,
) -> Result<CaseWork, AppError> {
    let c = caller(s);
    let staff = Staff::load(state, l, s).await;
    let writes = |section: Section| may_edit_case && role_may(&s.actor, Action::WriteRecord(section));
    let (ws, wl, wn) = (writes(Section::Services), writes(Section::Legal), writes(Section::Narrative));
    let forms = EntryForms::load(state, s).await?;
    let cards = |v: Vec<EntryView>, w: bool| v.iter().map(|e| card(l, &staff, e, w, &forms)).collect::<Vec<_>>();
    // One read of every kind the reader may see; a kind left out is a section not shown.
    let mut entries = state.app.case_work_entries(&c, case).await?;
    let mut section = |kind: EntryKind| entries.iter().position(|(k, _)| *k == kind).map(|i| entries.swap_remove(i).1);
    Ok(CaseWork {
        case_id: case.to_string(),
        needs: section(EntryKind::NeedAssessment).map(|v| needs_table(l, &v, ws, &forms.assessment)),
        goals: section(EntryKind::Goal).map(|v| cards(v, ws)),
        services: section(EntryKind::Service).map(|v| services_table(l, &staff, &v, ws, &forms.service)),
        appointments: section(EntryKind::Appointment).map(|v| appointments_table(l, &staff, &v, ws)),
        milestones: section(EntryKind::Milestone).map(|v| milestones_table(l, &v, ws)),
        legal: section(EntryKind::LegalRelief).map(|v| cards(v, wl)),
        notes: section(EntryKind::Note).map(|v| cards(v, wn)),
        write_services: ws,
        write_legal: wl,
        write_notes: wn,
        task_assignees: writes(Section::Summary).then(|| staff.choices("")),
    })
}

// ---------------------------------------------------------------------------------------------
// The timeline

/// The filters offered: the case's own events, each kind of entry, screenings, referrals.
const TIMELINE_FILTERS: [&str; 10] = [
    "case",
    "need_assessment",
    "goal",
    "service",
    "appointment",
    "milestone",
    "legal_relief",
    "note",
    "screening",
    "referral",
];

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    l: Tr,
    page: PageCtx,
    id: String,
    number: String,
    filters: Vec<Choice>,
    cards: Vec<EntryCard>,
}

fn case_event(l: Tr, item: &TimelineItem) -> EntryCard {
    let mut facts = Vec::new();
    let (kind_label, heading) = if let Some(s) = &item.screening {
        let instrument = amparo_app::screenings::catalogue().ok().and_then(|c| c.get(&s.instrument));
        facts.push((l.t("sc-col-total"), s.total.to_string()));
        facts.push((l.t("sc-col-band"), band_label(l, instrument, s.band.as_deref())));
        (l.t("cw-timeline-screening"), instrument_name(l, &s.instrument))
    } else if let Some(r) = &item.referral {
        facts.push((l.t("referrals-urgency"), l.t(&format!("referrals-urgency-{}", r.urgency))));
        let heading = format!(
            "{} — {}",
            l.t(&format!("cw-timeline-referral-{}", r.direction)),
            l.t(&format!("referrals-status-{}", r.status))
        );
        (l.t("cw-timeline-referral"), heading)
    } else {
        let heading = match &item.case_status {
            Some(status) => {
                format!("{} — {}", l.t(&format!("cw-timeline-{}", item.kind)), label(l, "case_status", status))
            }
            None => l.t(&format!("cw-timeline-{}", item.kind)),
        };
        (l.t("cw-timeline-case"), heading)
    };
    EntryCard {
        id: String::new(),
        kind: item.kind.clone(),
        kind_label,
        date: date(l, item.date),
        heading,
        facts,
        words: Vec::new(),
        steps: Vec::new(),
        content_note: false,
        restricted: Vec::new(),
        may_edit: false,
    }
}

/// The kinds ticked travel in the URL: they are codes, never anything identifying.
pub async fn timeline(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(cid) = case_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let wanted: Vec<String> = Fields(q).all("kind").into_iter().filter(|k| !k.is_empty()).collect();
    let c = caller(s);
    let case = match state.app.read_case(&c, cid).await {
        Ok(case) => case,
        Err(e) => return fail(&state, &v, &e),
    };
    let items = match state.app.timeline(&c, cid, &wanted).await {
        Ok(items) => items,
        Err(e) => return fail(&state, &v, &e),
    };
    let staff = Staff::load(&state, l, s).await;
    let forms = match EntryForms::load(&state, s).await {
        Ok(f) => f,
        Err(e) => return fail(&state, &v, &e),
    };
    let edits: HashMap<Section, bool> = [Section::Services, Section::Legal, Section::Narrative]
        .into_iter()
        .map(|sec| (sec, case.may_edit && role_may(&s.actor, Action::WriteRecord(sec))))
        .collect();
    let cards = items
        .iter()
        .map(|item| match &item.entry {
            Some(e) => {
                let section = EntryKind::from_code(&e.kind).map_or(Section::Summary, EntryKind::section);
                card(l, &staff, e, edits.get(&section).copied().unwrap_or(false), &forms)
            }
            None => case_event(l, item),
        })
        .collect();
    let filters = TIMELINE_FILTERS
        .iter()
        .filter(|k| match (EntryKind::from_code(k), **k) {
            (Ok(kind), _) => role_may(&s.actor, Action::ReadRecord(kind.section())),
            (_, "screening") => role_may(&s.actor, Action::ReadRecord(Section::Screening)),
            (_, "referral") => role_may(&s.actor, Action::Refer),
            _ => true,
        })
        .map(|k| Choice {
            code: (*k).to_owned(),
            label: match EntryKind::from_code(k) {
                Ok(_) => label(l, "entry_kind", k),
                Err(_) => l.t(&format!("cw-timeline-{k}")),
            },
            selected: wanted.iter().any(|w| w == k),
        })
        .collect();
    let t = TimelinePage {
        page: v.page(&state, l.t1("cw-timeline-title", "number", &case.number)),
        id: cid.to_string(),
        number: case.number,
        filters,
        cards,
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

// ---------------------------------------------------------------------------------------------
// Showing a legal relief's restricted numbers

#[derive(Template)]
#[template(path = "legal_numbers.html")]
struct NumbersPage {
    l: Tr,
    page: PageCtx,
    case_id: String,
    relief: String,
    numbers: Vec<(String, String)>,
}

/// Shown once, in the answer to the POST (never a URL, never kept): the app audits each
/// reveal as `legal_relief.reveal`.
pub async fn reveal(
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
    let Ok(eid) = entry_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let c = caller(s);
    let numbers = match state.app.reveal_legal_numbers(&c, eid).await {
        Ok(n) => n,
        Err(e) => return fail(&state, &v, &e),
    };
    // The entry itself, for its kind and case (its own audited read).
    let entry = match state.app.case_entry(&c, eid).await {
        Ok(e) => e,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let relief = match &entry.detail {
        EntryDetail::LegalRelief(r) => label(l, "legal_relief_kind", &r.kind),
        _ => String::new(),
    };
    let numbers = [
        ("receipt_number", numbers.receipt_number),
        ("a_number", numbers.a_number),
        ("case_file_number", numbers.case_file_number),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.map(|v| (l.t(&format!("cw-field-{n}")), v)))
    .collect();
    let t = NumbersPage {
        page: v.page(&state, l.t("cw-numbers-title")),
        case_id: entry.case_id.to_string(),
        relief,
        numbers,
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

#[cfg(test)]
mod tests {
    use amparo_domain::records::{
        AppointmentPlace, AppointmentStatus, GoalStatus, LegalReliefKind, LegalReliefStatus, MilestoneKind, NeedRating,
        NoteKind, ServiceCategory, TaskKind,
    };

    use super::*;

    /// Labels are looked up from codes at run time, so no scan of the templates finds them.
    #[test]
    fn every_code_the_case_work_pages_show_has_a_label_in_both_languages() {
        let mut keys: Vec<String> = Vec::new();
        let mut add = |vocab: &str, codes: Vec<&str>| keys.extend(codes.iter().map(|c| format!("code-{vocab}-{c}")));
        add("entry_kind", EntryKind::ALL.iter().map(|c| c.code()).collect());
        add("need_domain", NeedDomain::ALL.iter().map(|c| c.code()).collect());
        add("need_rating", NeedRating::ALL.iter().map(|c| c.code()).collect());
        add("goal_status", GoalStatus::ALL.iter().map(|c| c.code()).collect());
        add("service_category", ServiceCategory::ALL.iter().map(|c| c.code()).collect());
        add("appointment_status", AppointmentStatus::ALL.iter().map(|c| c.code()).collect());
        add("appointment_place", AppointmentPlace::ALL.iter().map(|c| c.code()).collect());
        add("milestone_kind", MilestoneKind::ALL.iter().map(|c| c.code()).collect());
        add("legal_relief_kind", LegalReliefKind::ALL.iter().map(|c| c.code()).collect());
        add("legal_relief_status", LegalReliefStatus::ALL.iter().map(|c| c.code()).collect());
        add("note_kind", NoteKind::ALL.iter().map(|c| c.code()).collect());
        add("task_kind", TaskKind::ALL.iter().map(|c| c.code()).collect());
        keys.extend(RELIEF_DATES.iter().map(|d| format!("cw-field-{d}")));
        keys.extend(["receipt_number", "a_number", "case_file_number"].iter().map(|n| format!("cw-field-{n}")));
        keys.extend(["cw-timeline-case_opened".to_owned(), "cw-timeline-case_closed".to_owned()]);
        for lang in amparo_i18n::Language::ALL {
            let have = amparo_i18n::keys(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !have.contains(*k)).collect();
            assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        }
    }

    #[test]
    fn the_timeline_offers_every_kind_of_entry() {
        for k in EntryKind::ALL {
            assert!(TIMELINE_FILTERS.contains(&k.code()), "{k}");
        }
    }
}
