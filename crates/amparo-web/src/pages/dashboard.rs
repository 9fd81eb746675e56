//! The caseload dashboard (a case manager's cases, a supervisor's organisation) and the
//! appointments as an iCalendar download for staff calendars.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use amparo_app::casework::CalendarText;
use amparo_domain::records::ServiceCategory;

use crate::AppState;
use crate::pages::casework::Staff;
use crate::pages::records::{caller, date, fail, label, message};
use crate::pages::tasks::{TaskLine, task_line};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html};

/// "Without contact for N days": N when none is given, and the largest N taken.
const DEFAULT_NO_CONTACT_DAYS: u32 = 30;
const MAX_NO_CONTACT_DAYS: u32 = 3650;
/// The calendar download's window when none is given: today and the next 90 days.
const CALENDAR_DAYS: i64 = 90;
/// The longest window a calendar download covers.
const MAX_CALENDAR_DAYS: i64 = 731;

struct AppointmentLine {
    date: String,
    time: String,
    case_id: String,
    case_number: String,
    place: String,
    category: String,
    status: String,
    accompanied_by: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Tr,
    page: PageCtx,
    organisation_wide: bool,
    days: String,
    by_status: Vec<(String, i64)>,
    total: i64,
    overdue_tasks: i64,
    upcoming_appointments: i64,
    upcoming_deadlines: i64,
    without_recent_contact: i64,
    no_contact_days: i64,
    until: String,
    appointments: Vec<AppointmentLine>,
    deadlines: Vec<TaskLine>,
    alerts: Vec<crate::pages::screenings::AlertLine>,
    errors: FormErrors,
}

/// The number of days is a number: nothing identifying travels in the URL.
#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    #[serde(default)]
    days: String,
}

pub async fn show(State(state): State<AppState>, v: Visitor, Query(q): Query<DashboardQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let mut errors = FormErrors::default();
    let days = match q.days.trim() {
        "" => DEFAULT_NO_CONTACT_DAYS,
        d => match d.parse::<u32>() {
            Ok(n) if (1..=MAX_NO_CONTACT_DAYS).contains(&n) => n,
            _ => {
                errors.push("days", l.t("cw-error-days"));
                DEFAULT_NO_CONTACT_DAYS
            }
        },
    };
    let c = caller(s);
    let (d, staff) = tokio::join!(state.app.dashboard(&c, days), Staff::load(&state, l, s));
    let d = match d {
        Ok(d) => d,
        Err(e) => return fail(&state, &v, &e),
    };
    let appointments = d
        .next_appointments
        .iter()
        .map(|a| AppointmentLine {
            date: date(l, a.date),
            time: a.time.clone().unwrap_or_default(),
            case_id: a.case_id.to_string(),
            case_number: a.case_number.clone(),
            place: a.place.as_deref().map(|p| label(l, "appointment_place", p)).unwrap_or_default(),
            category: a.category.as_deref().map(|c| label(l, "service_category", c)).unwrap_or_default(),
            status: label(l, "appointment_status", &a.status),
            accompanied_by: staff.name(a.accompanied_by),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let t = DashboardPage {
        page: v.page(&state, l.t("cw-dashboard-title")),
        organisation_wide: d.organisation_wide,
        days: if errors.is_empty() { days.to_string() } else { q.days.clone() },
        total: d.cases_by_status.iter().map(|c| c.count).sum(),
        by_status: d.cases_by_status.iter().map(|c| (label(l, "case_status", &c.status), c.count)).collect(),
        overdue_tasks: d.overdue_tasks,
        upcoming_appointments: d.upcoming_appointments,
        upcoming_deadlines: d.upcoming_deadlines,
        without_recent_contact: d.without_recent_contact,
        no_contact_days: i64::from(d.no_contact_days),
        until: date(l, d.upcoming_until),
        appointments,
        deadlines: d.next_deadlines.iter().map(|t| task_line(l, &staff, t)).collect(),
        alerts: d.alerts.iter().map(|t| crate::pages::screenings::alert_line(l, t)).collect(),
        errors,
        l,
    };
    v.finish(&state, html(status, &t))
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn day(s: &str, default: NaiveDate) -> Option<NaiveDate> {
    match s.trim() {
        "" => Some(default),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
    }
}

/// `GET /appointments.ics`: the appointments the reader may see, as events that name no
/// person, purpose or place (the app writes them so), downloaded as a file.
pub async fn calendar(State(state): State<AppState>, v: Visitor, Query(q): Query<CalendarQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let today = state.app.now().date_naive();
    let window = day(&q.from, today).and_then(|from| {
        let to = day(&q.to, from + Duration::days(CALENDAR_DAYS))?;
        (from <= to && to - from <= Duration::days(MAX_CALENDAR_DAYS)).then_some((from, to))
    });
    let Some((from, to)) = window else {
        let back = Some(("/tasks".to_owned(), l.t("cw-tasks-title")));
        return message(
            &state,
            &v,
            StatusCode::UNPROCESSABLE_ENTITY,
            l.t("cw-calendar-title"),
            l.n("cw-calendar-bad-window", "days", MAX_CALENDAR_DAYS),
            back,
        );
    };
    let text = CalendarText {
        title: l.t("cw-calendar-event"),
        categories: ServiceCategory::ALL
            .iter()
            .map(|c| (c.code().to_owned(), label(l, "service_category", c.code())))
            .collect::<HashMap<_, _>>(),
    };
    match state.app.appointments_ical(&caller(s), from, to, &text).await {
        Ok(ics) => {
            let mut r = (StatusCode::OK, ics).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"amparo-appointments.ics\""),
            );
            r
        }
        Err(e) => fail(&state, &v, &e),
    }
}
