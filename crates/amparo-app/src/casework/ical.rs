//! Appointments as iCalendar (RFC 5545) for staff calendars, with no identifying detail: an
//! event says only "Amparo appointment — case 2026-000123 — accompaniment", never a name,
//! a purpose or a place. A calendar lives on phones and servers we do not control.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::{Amparo, AppResult, Caller};

/// The words of the events, in the staff member's language.
#[derive(Clone, Debug)]
pub struct CalendarText {
    /// The event's title, before the case number (e.g. "Amparo appointment", "Cita de Amparo").
    pub title: String,
    /// Labels of service category codes (`accompaniment` → "Accompaniment"); a code without a
    /// label appears as the code.
    pub categories: HashMap<String, String>,
}

impl Default for CalendarText {
    fn default() -> Self {
        Self { title: "Amparo appointment".into(), categories: HashMap::new() }
    }
}

/// How long an event with a start time lasts in the calendar.
const DEFAULT_LENGTH_MINUTES: i64 = 60;

impl Amparo {
    /// The appointments the caller may see from `from` to `to` (inclusive) as an iCalendar
    /// document: one event per appointment, cancelled ones marked so. Audited.
    pub async fn appointments_ical(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
        text: &CalendarText,
    ) -> AppResult<String> {
        let slots = self.appointments_between(caller, from, to).await?;
        let mut cal = Calendar::new();
        cal.name(&text.title);
        for s in &slots {
            let mut summary = format!("{} — {}", text.title, s.case_number);
            if let Some(c) = &s.category {
                summary.push_str(" — ");
                summary.push_str(text.categories.get(c).map_or(c.as_str(), String::as_str));
            }
            let mut event = Event::new();
            event.uid(&format!("{}@amparo", s.entry_id)).summary(&summary);
            match s.time.as_deref().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok()) {
                // Floating local time: the staff member's calendar shows it at the hour given.
                Some(t) => {
                    let start = s.date.and_time(t);
                    event.starts(start).ends(start + Duration::minutes(DEFAULT_LENGTH_MINUTES));
                }
                None => {
                    event.all_day(s.date);
                }
            }
            if matches!(s.status.as_str(), "cancelled" | "rescheduled") {
                event.status(icalendar::EventStatus::Cancelled);
            }
            cal.push(event.done());
        }
        Ok(cal.done().to_string())
    }
}
