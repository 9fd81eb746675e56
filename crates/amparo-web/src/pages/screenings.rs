//! Screenings pages: the section on the person's page, the person's screenings with their
//! trends (an SVG line chart drawn by our own template, with the same numbers in a table),
//! an instrument's form (radio groups in fieldsets, no JavaScript), and the result with what
//! to do next. The instruments' own words come from their files, in the page's language.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use amparo_app::screenings::{ScreeningInput, ScreeningList, ScreeningView, TrendSeries, catalogue, trends};
use amparo_app::{AppError, Caller};
use amparo_domain::records::ScreeningId;
use amparo_domain::{CaseId, PersonId};
use amparo_instruments::Instrument;

use crate::AppState;
use crate::errors;
use crate::pages::records::{Choice, Fields, caller, date, fail, field_message};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// A link that starts an instrument.
pub struct RunLink {
    pub id: String,
    pub label: String,
    pub title: String,
}

/// One past screening in a table.
pub struct PastLine {
    pub id: String,
    pub date: String,
    pub instrument: String,
    pub total: u32,
    pub band: String,
    pub flags: String,
    pub critical: bool,
}

pub fn instrument_name(l: Tr, id: &str) -> String {
    catalogue().ok().and_then(|c| c.get(id)).map_or_else(|| id.to_owned(), |i| i.name.get(l.0).to_owned())
}

fn run_links(l: Tr) -> Vec<RunLink> {
    catalogue()
        .map(|c| {
            c.all()
                .iter()
                .map(|i| RunLink {
                    id: i.id.clone(),
                    label: l.t1("sc-run-link", "name", i.name.get(l.0)),
                    title: i.title.get(l.0).to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn band_label(l: Tr, instrument: Option<&Instrument>, band: Option<&str>) -> String {
    match (instrument, band) {
        (Some(i), Some(b)) => {
            i.bands.iter().find(|x| x.code == b).map_or(b.to_owned(), |x| x.label.get(l.0).to_owned())
        }
        _ => l.t("sc-no-band"),
    }
}

fn flag_labels(l: Tr, instrument: Option<&Instrument>, flags: &[String]) -> String {
    flags
        .iter()
        .map(|f| {
            instrument
                .and_then(|i| i.flags.iter().find(|x| &x.code == f))
                .map_or(f.clone(), |x| x.label.get(l.0).to_owned())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn past_line(l: Tr, s: &ScreeningView) -> PastLine {
    let instrument = catalogue().ok().and_then(|c| c.get(&s.instrument));
    PastLine {
        id: s.id.to_string(),
        date: date(l, s.taken_on),
        instrument: instrument_name(l, &s.instrument),
        total: s.total,
        band: band_label(l, instrument, s.band.as_deref()),
        flags: flag_labels(l, instrument, &s.flags),
        critical: !s.critical_flags.is_empty(),
    }
}

fn person_id(id: &str) -> Result<PersonId, AppError> {
    PersonId::from_str(id).map_err(|_| AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Dashboard alerts

/// An open screening alert at the top of a dashboard: when, which case, and the way to the
/// result (where the follow-up is recorded). No name, no answer.
pub struct AlertLine {
    pub task_id: String,
    pub due_on: String,
    pub overdue: bool,
    pub what: String,
    pub screening_id: String,
    pub person_id: String,
    pub case_id: String,
    pub case_number: String,
}

pub fn alert_line(l: Tr, t: &amparo_app::casework::TaskView) -> AlertLine {
    AlertLine {
        task_id: t.id.to_string(),
        due_on: date(l, t.due_on),
        overdue: t.overdue,
        what: crate::pages::records::label(l, "task_kind", &t.kind),
        screening_id: t.source_id.map(|s| s.to_string()).unwrap_or_default(),
        person_id: t.person_id.to_string(),
        case_id: t.case_id.map(|c| c.to_string()).unwrap_or_default(),
        case_number: t.case_number.clone().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------------------------
// The section on the person's page

/// The person page's screenings section: hidden for roles that do not read screenings.
#[derive(Default)]
pub struct PersonSection {
    pub visible: bool,
    pub person_id: String,
    pub summary: String,
    pub latest: Option<PastLine>,
    /// Empty unless the reader may run a screen here.
    pub run_links: Vec<RunLink>,
}

/// The section for the person's page. A reader who may not see screenings gets no section.
pub async fn person_section(state: &AppState, l: Tr, c: &Caller, person: PersonId) -> PersonSection {
    if !state.app.may_read_screenings(c, person).await.unwrap_or(false) {
        return PersonSection::default();
    }
    let Ok(list) = state.app.person_screenings(c, person).await else {
        return PersonSection::default();
    };
    PersonSection {
        visible: true,
        person_id: person.to_string(),
        summary: l.n("sc-person-summary", "count", i64::try_from(list.items.len()).unwrap_or(i64::MAX)),
        latest: list.items.last().map(|s| past_line(l, s)),
        run_links: if list.may_run { run_links(l) } else { Vec::new() },
    }
}

// ---------------------------------------------------------------------------------------------
// Trends: an inline SVG line chart per instrument, with a data table

/// One instrument's chart and table. Coordinates are computed here; the template draws.
pub struct TrendChart {
    pub id: String,
    /// The instrument's short name (the heading above the chart).
    pub name: String,
    pub title: String,
    pub desc: String,
    pub caption: String,
    pub width: u32,
    pub height: u32,
    pub plot_left: u32,
    pub plot_right: u32,
    pub plot_top: u32,
    pub plot_bottom: u32,
    /// `x,y x,y …` of the line.
    pub points: String,
    pub dots: Vec<Dot>,
    /// Horizontal grid lines: the scale's ends and the bands' lower edges.
    pub ticks: Vec<Tick>,
    pub rows: Vec<TrendRow>,
}

pub struct Dot {
    pub x: u32,
    pub y: u32,
    pub label: String,
    /// The date under the axis (left out when there are too many to read).
    pub date: String,
}

pub struct Tick {
    pub y: u32,
    pub label: String,
}

pub struct TrendRow {
    pub date: String,
    pub total: u32,
    pub band: String,
}

const CHART_W: u32 = 560;
const CHART_H: u32 = 240;
const LEFT: u32 = 44;
const RIGHT: u32 = 16;
const TOP: u32 = 16;
const BOTTOM: u32 = 48;
/// Dates under the axis only up to this many points (the table has them all).
const DATED_POINTS: usize = 8;

fn scale(value: u32, max: u32, span: u32) -> u32 {
    if max == 0 { 0 } else { (u64::from(value.min(max)) * u64::from(span) / u64::from(max)) as u32 }
}

pub fn chart(l: Tr, series: &TrendSeries) -> TrendChart {
    let instrument = catalogue().ok().and_then(|c| c.get(&series.instrument));
    let max =
        instrument.map_or_else(|| series.points.iter().map(|p| p.total).max().unwrap_or(1), |i| i.total_range().1);
    let name = instrument_name(l, &series.instrument);
    let (w, h) = (CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM);
    let n = series.points.len();
    let x_of = |i: usize| -> u32 {
        if n <= 1 { LEFT + w / 2 } else { LEFT + (u64::from(w) * i as u64 / (n as u64 - 1)) as u32 }
    };
    let y_of = |v: u32| TOP + h - scale(v, max, h);
    let dots: Vec<Dot> = series
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let d = date(l, p.taken_on);
            Dot {
                x: x_of(i),
                y: y_of(p.total),
                label: format!("{d}: {}", p.total),
                date: if n <= DATED_POINTS || i == 0 || i + 1 == n { d } else { String::new() },
            }
        })
        .collect();
    let mut ticks = vec![Tick { y: y_of(0), label: "0".into() }, Tick { y: y_of(max), label: max.to_string() }];
    for b in instrument.map(|i| i.bands.as_slice()).unwrap_or_default().iter().skip(1) {
        ticks.push(Tick { y: y_of(b.min), label: b.min.to_string() });
    }
    for c in instrument.map(|i| i.cutoffs.as_slice()).unwrap_or_default() {
        ticks.push(Tick { y: y_of(c.min_total), label: c.min_total.to_string() });
    }
    let first = series.points.first();
    let last = series.points.last();
    let desc = amparo_i18n::t_args(
        l.0,
        "sc-trend-chart-desc",
        &[
            ("count", amparo_i18n::Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))),
            ("from", first.map(|p| date(l, p.taken_on)).unwrap_or_default().into()),
            ("to", last.map(|p| date(l, p.taken_on)).unwrap_or_default().into()),
            ("first", amparo_i18n::Arg::Num(first.map_or(0, |p| i64::from(p.total)))),
            ("last", amparo_i18n::Arg::Num(last.map_or(0, |p| i64::from(p.total)))),
            ("max", amparo_i18n::Arg::Num(i64::from(max))),
        ],
    );
    TrendChart {
        id: series.instrument.clone(),
        title: l.t1("sc-trend-chart-title", "name", &name),
        desc,
        caption: l.t1("sc-trend-caption", "name", &name),
        name,
        width: CHART_W,
        height: CHART_H,
        plot_left: LEFT,
        plot_right: CHART_W - RIGHT,
        plot_top: TOP,
        plot_bottom: TOP + h,
        points: dots.iter().map(|d| format!("{},{}", d.x, d.y)).collect::<Vec<_>>().join(" "),
        dots,
        ticks,
        rows: series
            .points
            .iter()
            .map(|p| TrendRow {
                date: date(l, p.taken_on),
                total: p.total,
                band: band_label(l, instrument, p.band.as_deref()),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The person's screenings page

#[derive(Template)]
#[template(path = "screenings.html")]
struct ScreeningsPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    may_run: bool,
    run_links: Vec<RunLink>,
    past: Vec<PastLine>,
    charts: Vec<TrendChart>,
}

pub async fn list(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = match person_id(&id) {
        Ok(pid) => state.app.person_screenings(&caller(s), pid).await.map(|list| (pid, list)),
        Err(e) => Err(e),
    };
    let (pid, list): (PersonId, ScreeningList) = match result {
        Ok(x) => x,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let t = ScreeningsPage {
        page: v.page(&state, l.t("sc-title")),
        person_id: pid.to_string(),
        may_run: list.may_run,
        run_links: if list.may_run { run_links(l) } else { Vec::new() },
        past: list.items.iter().map(|x| past_line(l, x)).collect(),
        charts: trends(&list.items).iter().map(|t| chart(l, t)).collect(),
        l,
    };
    v.finish(&state, html(StatusCode::OK, &t))
}

// ---------------------------------------------------------------------------------------------
// The form

pub struct OptLine {
    pub id: String,
    pub value: u32,
    pub label: String,
    pub checked: bool,
}

pub struct ItemLine {
    /// The form field (`item_3`), also the first radio's id (where the error summary links).
    pub field: String,
    pub legend: String,
    /// A section heading before this item (the indicator screen's domains).
    pub section: Option<String>,
    pub options: Vec<OptLine>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "screening_form.html")]
struct FormPage {
    l: Tr,
    page: PageCtx,
    person_id: String,
    instrument_id: String,
    title: String,
    time_frame: String,
    instructions: Option<String>,
    notice: String,
    licence: String,
    attribution: String,
    items: Vec<ItemLine>,
    extra: Option<ItemLine>,
    extra_text: String,
    cases: Vec<Choice>,
    errors: FormErrors,
}

fn options(field: &str, list: &[amparo_instruments::AnswerOption], l: Tr, chosen: &str) -> Vec<OptLine> {
    list.iter()
        .enumerate()
        .map(|(k, o)| OptLine {
            id: if k == 0 { field.to_owned() } else { format!("{field}-{}", o.value) },
            value: o.value,
            label: o.label.get(l.0).to_owned(),
            checked: chosen == o.value.to_string(),
        })
        .collect()
}

/// The form of an instrument, with what was chosen and the messages at their items.
fn form_page(
    state: &AppState,
    v: &Visitor,
    i: &Instrument,
    pid: PersonId,
    list: &ScreeningList,
    f: &Fields,
    errors: FormErrors,
) -> FormPage {
    let l = v.tr();
    let items = i
        .items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let n = k + 1;
            let field = format!("item_{n}");
            ItemLine {
                legend: amparo_i18n::t_args(
                    l.0,
                    "sc-item-legend",
                    &[("number", amparo_i18n::Arg::Num(n as i64)), ("text", item.text.get(l.0).into())],
                ),
                section: i.section_starting_at(n).map(|g| g.label.get(l.0).to_owned()),
                options: options(&field, i.options_of(k), l, f.get(&field)),
                error: errors.get(&field).cloned(),
                field,
            }
        })
        .collect();
    let extra = i.extra.as_ref().map(|x| ItemLine {
        field: x.code.clone(),
        legend: x.text.get(l.0).to_owned(),
        section: None,
        options: options(&x.code, &x.options, l, f.get(&x.code)),
        error: errors.get(&x.code).cloned(),
    });
    let chosen_case = f.get("case_id");
    FormPage {
        page: v.page(state, l.t1("sc-form-title", "name", i.title.get(l.0))),
        person_id: pid.to_string(),
        instrument_id: i.id.clone(),
        title: i.title.get(l.0).to_owned(),
        time_frame: i.time_frame.get(l.0).to_owned(),
        instructions: i.instructions.as_ref().map(|t| t.get(l.0).to_owned()),
        notice: i.notice.get(l.0).to_owned(),
        licence: i.licence.get(l.0).to_owned(),
        attribution: i.attribution.get(l.0).to_owned(),
        items,
        extra,
        extra_text: l.t("sc-extra-optional"),
        cases: list
            .cases
            .iter()
            .map(|(id, number)| Choice {
                code: id.to_string(),
                label: number.clone(),
                selected: chosen_case == id.to_string(),
            })
            .collect(),
        errors,
        l,
    }
}

fn instrument_of(id: &str) -> Result<&'static Instrument, AppError> {
    catalogue()?.get(id).ok_or(AppError::NotFound)
}

pub async fn new_form(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, instrument)): Path<(String, String)>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (pid, i) = match (person_id(&id), instrument_of(&instrument)) {
        (Ok(p), Ok(i)) => (p, i),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    let list = match state.app.screening_choices(&caller(s), pid).await {
        Ok(list) => list,
        Err(e) => return fail(&state, &v, &e),
    };
    let t = form_page(&state, &v, i, pid, &list, &Fields(Vec::new()), FormErrors::default());
    v.finish(&state, html(StatusCode::OK, &t))
}

/// An optional field: empty is none; anything else must parse, or `message` goes at it.
fn optional<T: FromStr>(f: &Fields, field: &str, message: String, errors: &mut FormErrors) -> Option<T> {
    match f.get(field).trim() {
        "" => None,
        v => v.parse::<T>().map_err(|_| errors.push(field.to_owned(), message)).ok(),
    }
}

/// Reads the form: every item answered (else a message at each missing one), numbers as
/// given (the use case checks them against the options).
fn read_answers(l: Tr, i: &Instrument, f: &Fields) -> Result<ScreeningInput, FormErrors> {
    let mut errors = FormErrors::default();
    let mut answers = Vec::with_capacity(i.items.len());
    for n in 1..=i.items.len() {
        let field = format!("item_{n}");
        match f.get(&field).trim().parse::<i64>() {
            Ok(a) => answers.push(a),
            // Numbered, so that the error summary says which question.
            Err(_) => errors.push(
                field,
                format!(
                    "{} {}",
                    l.n("sc-question-n", "number", i64::try_from(n).unwrap_or_default()),
                    l.t("error-screening_answer_missing")
                ),
            ),
        }
    }
    let extra = i
        .extra
        .as_ref()
        .and_then(|x| optional::<i64>(f, &x.code, l.t("error-screening_extra_out_of_range"), &mut errors));
    let case_id = optional::<CaseId>(f, "case_id", l.t("error-unknown_code"), &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ScreeningInput { instrument: i.id.clone(), answers, difficulty: extra, case_id })
}

pub async fn create(
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
    let (pid, i) = match (person_id(&id), instrument_of(f.get("instrument"))) {
        (Ok(p), Ok(i)) => (p, i),
        (Err(e), _) | (_, Err(e)) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let c = caller(s);
    let (errors, status) = match read_answers(l, i, &f) {
        Err(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        Ok(input) => match state.app.run_screening(&c, pid, input).await {
            Ok(done) => return see_other(&format!("/screenings/{}", done.id)),
            Err(e) => {
                let mut errors = FormErrors::default();
                // The use case names an item as `answers.<n>`: the form's field is `item_<n>`.
                let e = match e {
                    AppError::InvalidField { field, problem } if field.starts_with("answers.") => {
                        AppError::InvalidField { field: field.replacen("answers.", "item_", 1), problem }
                    }
                    other => other,
                };
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
                (errors, errors::status_of(&e))
            }
        },
    };
    let list = match state.app.screening_choices(&c, pid).await {
        Ok(list) => list,
        Err(e) => return fail(&state, &v, &e),
    };
    let t = form_page(&state, &v, i, pid, &list, &f, errors);
    v.finish(&state, html(status, &t))
}

// ---------------------------------------------------------------------------------------------
// The result

pub struct FlagLine {
    pub code: String,
    pub label: String,
    pub next_steps: String,
    pub critical: bool,
}

pub struct OutcomeLine {
    pub code: String,
    pub label: String,
    pub met: bool,
    pub detail: String,
    pub next_steps: String,
}

pub struct HotlineLine {
    pub name: String,
    pub phone: String,
    pub tel: String,
    pub text: String,
    pub note: String,
}

pub struct AnswerLine {
    pub item: String,
    pub answer: String,
}

#[derive(Template)]
#[template(path = "screening_result.html")]
struct ResultPage {
    l: Tr,
    page: PageCtx,
    screening_id: String,
    person_id: String,
    title: String,
    taken_on: String,
    total: String,
    band: Option<String>,
    band_next_steps: Option<String>,
    flags: Vec<FlagLine>,
    clusters: Vec<(String, u32)>,
    outcomes: Vec<OutcomeLine>,
    no_flag_result: Option<String>,
    hotlines: Vec<HotlineLine>,
    alert: Option<bool>,
    answers: Vec<AnswerLine>,
    notice: String,
    licence: String,
    attribution: String,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ResultQuery {
    #[serde(default)]
    done: String,
}

fn answer_label(i: &Instrument, index: usize, value: i64, l: Tr) -> String {
    i.options_of(index)
        .iter()
        .find(|o| i64::from(o.value) == value)
        .map_or_else(|| value.to_string(), |o| format!("{} ({value})", o.label.get(l.0)))
}

fn result_page(state: &AppState, v: &Visitor, s: &ScreeningView, i: &Instrument, done: Option<String>) -> ResultPage {
    let l = v.tr();
    let lang = l.0;
    let band = s.band.as_deref().and_then(|b| i.bands.iter().find(|x| x.code == b));
    let flags: Vec<FlagLine> = s
        .flags
        .iter()
        .filter_map(|f| i.flags.iter().find(|x| &x.code == f))
        .map(|f| FlagLine {
            code: f.code.clone(),
            label: f.label.get(lang).to_owned(),
            next_steps: f.next_steps.get(lang).to_owned(),
            critical: f.critical,
        })
        .collect();
    let mut outcomes: Vec<OutcomeLine> = i
        .cutoffs
        .iter()
        .map(|c| OutcomeLine {
            code: c.code.clone(),
            label: c.label.get(lang).to_owned(),
            met: s.outcomes.get(&c.code).copied().unwrap_or(false),
            detail: l.n("sc-cutoff", "cut", i64::from(s.cutoffs.get(&c.code).copied().unwrap_or(c.min_total))),
            next_steps: c.next_steps.as_ref().map(|t| t.get(lang).to_owned()).unwrap_or_default(),
        })
        .collect();
    outcomes.extend(i.rules.iter().map(|r| OutcomeLine {
        code: r.code.clone(),
        label: r.label.get(lang).to_owned(),
        met: s.outcomes.get(&r.code).copied().unwrap_or(false),
        detail: String::new(),
        next_steps: r.next_steps.as_ref().map(|t| t.get(lang).to_owned()).unwrap_or_default(),
    }));
    let mut answers: Vec<AnswerLine> = s
        .answers
        .iter()
        .flatten()
        .enumerate()
        .map(|(k, a)| AnswerLine {
            item: format!("{}. {}", k + 1, i.items.get(k).map(|x| x.text.get(lang)).unwrap_or_default()),
            answer: answer_label(i, k, *a, l),
        })
        .collect();
    if let (Some(x), Some(d)) = (&i.extra, s.difficulty) {
        let answer =
            x.options.iter().find(|o| i64::from(o.value) == d).map_or(d.to_string(), |o| o.label.get(lang).to_owned());
        answers.push(AnswerLine { item: x.text.get(lang).to_owned(), answer });
    }
    let hotlines = if i.show_hotlines {
        state
            .app
            .config()
            .hotlines
            .iter()
            .map(|h| HotlineLine {
                name: h.name(lang).to_owned(),
                tel: h.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
                phone: h.phone.clone(),
                text: h.text.as_deref().map(|t| l.t1("sc-hotline-text", "number", t)).unwrap_or_default(),
                note: h.note(lang).unwrap_or_default().to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    ResultPage {
        page: v.page(state, l.t1("sc-result-title", "name", i.name.get(lang))),
        screening_id: s.id.to_string(),
        person_id: s.person_id.to_string(),
        title: l.t1("sc-result-title", "name", i.title.get(lang)),
        taken_on: l.t1("sc-taken-on", "date", &date(l, s.taken_on)),
        total: amparo_i18n::t_args(
            lang,
            "sc-total",
            &[
                ("total", amparo_i18n::Arg::Num(i64::from(s.total))),
                ("max", amparo_i18n::Arg::Num(i64::from(i.total_range().1))),
            ],
        ),
        band: band.map(|b| l.t1("sc-band", "band", b.label.get(lang))),
        band_next_steps: band.and_then(|b| b.next_steps.as_ref()).map(|t| t.get(lang).to_owned()),
        no_flag_result: if flags.is_empty() { i.no_flag_result.as_ref().map(|t| t.get(lang).to_owned()) } else { None },
        flags,
        clusters: i
            .groups
            .iter()
            .filter(|g| !g.section)
            .map(|g| (g.label.get(lang).to_owned(), s.clusters.get(&g.code).copied().unwrap_or(0)))
            .collect(),
        outcomes,
        hotlines,
        alert: s.alert_task.map(|_| s.alert_open.unwrap_or(false)),
        answers,
        notice: i.notice.get(lang).to_owned(),
        licence: i.licence.get(lang).to_owned(),
        attribution: i.attribution.get(lang).to_owned(),
        done,
        l,
    }
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ResultQuery>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = match ScreeningId::from_str(&id) {
        Ok(sid) => state.app.screening(&caller(s), sid).await,
        Err(_) => Err(AppError::NotFound),
    };
    let view = match result {
        Ok(view) => view,
        Err(e) => return fail(&state, &v, &e),
    };
    let Ok(i) = instrument_of(&view.instrument) else {
        return fail(&state, &v, &AppError::Integrity("screenings.instrument".into()));
    };
    let l = v.tr();
    // Only a fixed word travels in the URL.
    let done = (q.done == "followed_up").then(|| l.t("sc-followed-up"));
    let t = result_page(&state, &v, &view, i, done);
    v.finish(&state, html(StatusCode::OK, &t))
}

pub async fn follow_up(
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
    let Ok(sid) = ScreeningId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.record_screening_follow_up(&caller(s), sid).await {
        Ok(_) => see_other(&format!("/screenings/{sid}?done=followed_up")),
        Err(e) => fail(&state, &v, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amparo_app::screenings::TrendPoint;
    use amparo_domain::DomainError;
    use amparo_domain::records::ScreeningProblem;

    /// The problem codes the pages say in words (checked in both languages by a test).
    const PROBLEMS: [ScreeningProblem; 5] = [
        ScreeningProblem::UnknownInstrument,
        ScreeningProblem::AnswerCount,
        ScreeningProblem::AnswerOutOfRange,
        ScreeningProblem::AnswerMissing,
        ScreeningProblem::ExtraOutOfRange,
    ];

    use amparo_i18n::Language;
    use chrono::NaiveDate;

    #[test]
    fn every_screening_problem_has_a_message_in_both_languages() {
        for lang in Language::ALL {
            let have = amparo_i18n::keys(lang);
            for p in PROBLEMS {
                let key = format!("error-{}", DomainError::Screening(p).code());
                assert!(have.contains(&key), "{lang}: {key}");
            }
        }
    }

    #[test]
    fn the_chart_puts_totals_on_the_instruments_scale() {
        let point = |d: u32, total: u32| TrendPoint {
            screening_id: ScreeningId::new(),
            taken_on: NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default(),
            total,
            band: None,
        };
        let series = TrendSeries { instrument: "phq9".into(), points: vec![point(1, 27), point(15, 0), point(29, 9)] };
        let c = chart(Tr::plain(Language::En), &series);
        // 27 is the top of the plot, 0 its bottom; x runs from the left edge to the right.
        assert_eq!((c.dots[0].x, c.dots[0].y), (LEFT, TOP));
        assert_eq!((c.dots[1].y, c.dots[2].x), (TOP + (CHART_H - TOP - BOTTOM), CHART_W - RIGHT));
        assert_eq!(c.points.split(' ').count(), 3);
        // Grid lines at 0, 27 and the bands' lower edges 5, 10, 15, 20.
        let mut labels: Vec<u32> = c.ticks.iter().filter_map(|t| t.label.parse().ok()).collect();
        labels.sort_unstable();
        assert_eq!(labels, [0, 5, 10, 15, 20, 27]);
        assert!(c.desc.contains("27") && c.desc.contains('9'), "{}", c.desc);
        assert_eq!(c.rows.len(), 3);
        assert_eq!(c.rows[2].band, "No band");
    }
}
