//! Tasks: "my tasks" and "team tasks" (overdue first, marked so), completing one
//! (version-checked), and adding one from the case page.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::casework::{TaskInput, TaskView};
use amparo_domain::{TaskId, UserId};

use crate::AppState;
use crate::pages::casework::{Staff, case_id};
use crate::pages::records::{Choice, Fields, caller, date, fail, field_message, label};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

/// How far ahead the task lists look by default, and at most.
const DEFAULT_DAYS: i64 = 30;
const MAX_DAYS: i64 = 366;

/// One line of a task list.
pub struct TaskLine {
    pub id: String,
    pub version: i64,
    pub due_on: String,
    pub overdue: bool,
    /// The kind's label, or a manual task's title.
    pub what: String,
    pub case_id: String,
    pub case_number: String,
    pub assigned_to: String,
}

pub fn task_line(l: Tr, staff: &Staff, t: &TaskView) -> TaskLine {
    TaskLine {
        id: t.id.to_string(),
        version: t.version,
        due_on: date(l, t.due_on),
        overdue: t.overdue,
        what: t.title.clone().unwrap_or_else(|| label(l, "task_kind", &t.kind)),
        case_id: t.case_id.map(|c| c.to_string()).unwrap_or_default(),
        case_number: t.case_number.clone().unwrap_or_default(),
        assigned_to: staff.name(t.assigned_to),
    }
}

/// Overdue first (as the app sorts them: by due day, and overdue ones are the earliest).
fn lines(l: Tr, staff: &Staff, tasks: &[TaskView]) -> Vec<TaskLine> {
    let mut v: Vec<&TaskView> = tasks.iter().collect();
    v.sort_by_key(|t| (!t.overdue, t.due_on));
    v.into_iter().map(|t| task_line(l, staff, t)).collect()
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    l: Tr,
    page: PageCtx,
    days: String,
    until: String,
    mine: Vec<TaskLine>,
    team: Vec<TaskLine>,
    notice: Option<String>,
    errors: FormErrors,
}

/// `days` is a number, `done` a fixed word: nothing identifying travels in the URL.
#[derive(Deserialize, Default)]
pub struct TasksQuery {
    #[serde(default)]
    days: String,
    #[serde(default)]
    done: String,
}

pub async fn list(State(state): State<AppState>, v: Visitor, Query(q): Query<TasksQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let days = match q.days.trim() {
        "" => DEFAULT_DAYS,
        d => match d.parse::<i64>() {
            Ok(n) if (0..=MAX_DAYS).contains(&n) => n,
            _ => {
                errors.push("days", l.t("cw-error-days"));
                DEFAULT_DAYS
            }
        },
    };
    let today = state.app.now().date_naive();
    let until = today + Duration::days(days);
    let c = caller(s);
    // Tasks due on `until` are listed: the app's bound is exclusive.
    let due_before = until + Duration::days(1);
    let board = match state.app.task_board(&c, due_before).await {
        Ok(b) => b,
        Err(e) => return fail(&state, &v, &e),
    };
    let staff = Staff::load(&state, l, s).await;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let t = TasksPage {
        page: v.page(&state, l.t("cw-tasks-title")),
        days: if errors.is_empty() { days.to_string() } else { q.days.clone() },
        until: date(l, until),
        mine: lines(l, &staff, &board.mine),
        team: lines(l, &staff, &board.team),
        notice: (q.done == "completed").then(|| l.t("cw-notice-task-done")),
        errors,
        l,
    };
    v.finish(&state, html(status, &t))
}

/// `POST /tasks/{id}/complete` with the version the list showed.
pub async fn complete(
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
    let Ok(tid) = TaskId::from_str(&id) else { return fail(&state, &v, &AppError::NotFound) };
    // A missing version is as stale as a wrong one.
    let version = f.get("version").trim().parse::<i64>().unwrap_or(0);
    match state.app.complete_task(&caller(s), tid, version).await {
        Ok(_) => see_other("/tasks?done=completed"),
        Err(e) => fail(&state, &v, &e),
    }
}

#[derive(Template)]
#[template(path = "task_form.html")]
struct TaskFormPage {
    l: Tr,
    page: PageCtx,
    case_id: String,
    title: String,
    due_on: String,
    assignees: Vec<Choice>,
    errors: FormErrors,
}

/// `POST /cases/{id}/tasks`: a manual task; a refused one comes back on a page of its own
/// with what was typed.
pub async fn add(
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
    let Ok(cid) = case_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let due_on = match f.get("due_on").trim() {
        "" => {
            errors.push("due_on", l.t("cw-error-date-required"));
            None
        }
        d => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push("due_on", l.t("cw-error-date-malformed"));
                None
            }
        },
    };
    let assigned_to = match f.get("assigned_to").trim() {
        "" => None,
        u => match UserId::from_str(u) {
            Ok(u) => Some(u),
            Err(_) => {
                errors.push("assigned_to", l.t("error-unknown_code"));
                None
            }
        },
    };
    if let (Some(due_on), true) = (due_on, errors.is_empty()) {
        let input = TaskInput { title: f.get("title").to_owned(), due_on, assigned_to };
        match state.app.create_task(&caller(s), cid, input).await {
            Ok(_) => return see_other(&format!("/cases/{cid}?done=task#tasks")),
            Err(e) => {
                if !field_message(l, &e, &mut errors) {
                    return fail(&state, &v, &e);
                }
            }
        }
    }
    let staff = Staff::load(&state, l, s).await;
    let t = TaskFormPage {
        page: v.page(&state, l.t("cw-add-task")),
        case_id: cid.to_string(),
        title: f.get("title").to_owned(),
        due_on: f.get("due_on").to_owned(),
        assignees: staff.choices(f.get("assigned_to").trim()),
        errors,
        l,
    };
    v.finish(&state, html(StatusCode::UNPROCESSABLE_ENTITY, &t))
}
