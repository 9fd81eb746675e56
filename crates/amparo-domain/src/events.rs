//! Outreach and training events: prevention talks, workshops, trainings for professionals and
//! community events an organisation runs. Organisation data, not a survivor's: the place is a
//! region code and a setting, the audience and materials are codes, attendance is counted.
//! Only the optional notes are free text (sealed by the application). They feed the reports.
//!
//! Called "events" (not "outreach"): a person's outreach log already has that name.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;
use crate::records::case::code_enum;
use crate::records::vocab;

crate::ids::id_type!(
    /// An outreach or training event.
    OutreachEventId
);

/// Longest notes accepted on an event.
pub const MAX_EVENT_NOTES_CHARS: usize = 2_000;
/// Codes one list (audiences, materials, languages) may carry.
pub const MAX_EVENT_CODES: usize = 12;
/// Largest attendance count accepted (a stadium, not a typo of extra zeros).
pub const MAX_ATTENDANCE: i64 = 100_000;

code_enum!(
    /// What kind of event it was.
    EventKind {
        PreventionTalk => "prevention_talk",
        Workshop => "workshop",
        ProfessionalTraining => "professional_training",
        CommunityEvent => "community_event",
        Other => "other",
    }
);

code_enum!(
    /// Who the event was for.
    Audience {
        Students => "students",
        Parents => "parents",
        Youth => "youth",
        Community => "community",
        Professionals => "professionals",
        LawEnforcement => "law_enforcement",
        HealthWorkers => "health_workers",
        Educators => "educators",
        Employers => "employers",
        FaithCommunity => "faith_community",
        Other => "other",
    }
);

code_enum!(
    /// Where, as a kind of place (the region says which part of the map).
    EventSetting {
        School => "school",
        CommunityCentre => "community_centre",
        Church => "church",
        Workplace => "workplace",
        Online => "online",
        PublicSpace => "public_space",
        Other => "other",
    }
);

code_enum!(
    /// What was handed out or shown.
    Material {
        Flyers => "flyers",
        Presentation => "presentation",
        Video => "video",
        Booklet => "booklet",
        Other => "other",
    }
);

/// What is wrong with an event's input. Codes are i18n keys (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventProblem {
    /// No date, or not a date (`YYYY-MM-DD`).
    DateInvalid,
    /// No region: the reports count events by region.
    RegionRequired,
    AudienceRequired,
    TooManyCodes,
    /// Not a whole number between 0 and [`MAX_ATTENDANCE`].
    AttendanceInvalid,
    /// Women and men together, or youth, more than the total.
    BreakdownExceedsTotal,
    NotesTooLong,
    /// A period whose end is before its start.
    PeriodReversed,
}

impl EventProblem {
    pub const fn code(self) -> &'static str {
        match self {
            EventProblem::DateInvalid => "event_date_invalid",
            EventProblem::RegionRequired => "event_region_required",
            EventProblem::AudienceRequired => "event_audience_required",
            EventProblem::TooManyCodes => "event_too_many_codes",
            EventProblem::AttendanceInvalid => "event_attendance_invalid",
            EventProblem::BreakdownExceedsTotal => "event_breakdown_exceeds_total",
            EventProblem::NotesTooLong => "event_notes_too_long",
            EventProblem::PeriodReversed => "event_period_reversed",
        }
    }
}

impl From<EventProblem> for DomainError {
    fn from(p: EventProblem) -> Self {
        DomainError::Event(p)
    }
}

/// A date as forms and the API send it (`YYYY-MM-DD`).
pub fn date(text: &str) -> Result<NaiveDate, EventProblem> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| EventProblem::DateInvalid)
}

/// The region (ISO 3166-2 state or a country), as cases code places. Required.
pub fn region(code: &str) -> Result<String, DomainError> {
    let c = code.trim();
    if c.is_empty() { Err(EventProblem::RegionRequired.into()) } else { vocab::place(c) }
}

/// A list of codes: known, each once, at most [`MAX_EVENT_CODES`], in the order given.
fn codes<T: PartialEq + Copy>(
    given: &[String],
    parse: fn(&str) -> Result<T, DomainError>,
    code: fn(T) -> &'static str,
) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<T> = Vec::new();
    for c in given.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let c = parse(c)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.len() > MAX_EVENT_CODES {
        return Err(EventProblem::TooManyCodes.into());
    }
    Ok(out.into_iter().map(code).map(str::to_owned).collect())
}

/// Audience codes: at least one.
pub fn audiences(given: &[String]) -> Result<Vec<String>, DomainError> {
    let out = codes(given, Audience::from_code, Audience::code)?;
    if out.is_empty() { Err(EventProblem::AudienceRequired.into()) } else { Ok(out) }
}

/// Material codes (none is fine: a talk without handouts).
pub fn materials(given: &[String]) -> Result<Vec<String>, DomainError> {
    codes(given, Material::from_code, Material::code)
}

/// Language codes (ISO 639, as persons use).
pub fn languages(given: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for c in given.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let c = vocab::language(c)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    if out.len() > MAX_EVENT_CODES {
        return Err(EventProblem::TooManyCodes.into());
    }
    Ok(out)
}

/// How many came: a total and optional breakdowns. Youth may overlap women and men.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attendance {
    pub total: i64,
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub youth: Option<i64>,
}

/// Which attendance field is wrong, and why.
pub type AttendanceError = (&'static str, EventProblem);

impl Attendance {
    /// Counts within 0..=[`MAX_ATTENDANCE`], women + men and youth each at most the total.
    pub fn check(self) -> Result<Attendance, AttendanceError> {
        let ok = |n: i64| (0..=MAX_ATTENDANCE).contains(&n);
        if !ok(self.total) {
            return Err(("attendance_total", EventProblem::AttendanceInvalid));
        }
        for (field, v) in
            [("attendance_women", self.women), ("attendance_men", self.men), ("attendance_youth", self.youth)]
        {
            if v.is_some_and(|n| !ok(n)) {
                return Err((field, EventProblem::AttendanceInvalid));
            }
        }
        if self.women.unwrap_or(0) + self.men.unwrap_or(0) > self.total {
            return Err(("attendance_women", EventProblem::BreakdownExceedsTotal));
        }
        if self.youth.unwrap_or(0) > self.total {
            return Err(("attendance_youth", EventProblem::BreakdownExceedsTotal));
        }
        Ok(self)
    }
}

/// A count as a form sends it: blank is none, else a whole number.
pub fn count(text: &str) -> Result<Option<i64>, EventProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| EventProblem::AttendanceInvalid)
}

/// Optional notes: blank is none.
pub fn notes(text: &str) -> Result<Option<String>, EventProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_EVENT_NOTES_CHARS {
        return Err(EventProblem::NotesTooLong);
    }
    Ok(Some(t.to_owned()))
}

/// A period to list: both ends included; the end may not come before the start.
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), EventProblem> {
    match (from, to) {
        (Some(f), Some(t)) if t < f => Err(EventProblem::PeriodReversed),
        p => Ok(p),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // a failed expectation is a failed test
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Ok(*k));
        }
        for s in EventSetting::ALL {
            assert_eq!(EventSetting::from_code(s.code()), Ok(*s));
        }
        assert_eq!(EventKind::from_code("party"), Err(DomainError::UnknownCode));
        assert_eq!(
            audiences(&["students".into(), " students ".into(), "parents".into(), "".into()]),
            Ok(vec!["students".into(), "parents".into()])
        );
        assert_eq!(audiences(&[]), Err(EventProblem::AudienceRequired.into()));
        assert_eq!(audiences(&["aliens".into()]), Err(DomainError::UnknownCode));
        assert_eq!(materials(&[]), Ok(vec![]));
        assert_eq!(materials(&["video".into(), "flyers".into()]), Ok(vec!["video".into(), "flyers".into()]));
        assert_eq!(languages(&["es".into(), "NAH".into(), "es".into()]), Ok(vec!["es".into(), "nah".into()]));
        assert_eq!(languages(&["zz".into()]), Err(DomainError::UnknownCode));
    }

    #[test]
    fn region_is_required_and_coded_as_cases_code_places() {
        assert_eq!(region(" mx-chh "), Ok("MX-CHH".into()));
        assert_eq!(region("US-TX"), Ok("US-TX".into()));
        assert_eq!(region(""), Err(EventProblem::RegionRequired.into()));
        assert_eq!(region("XX-ZZ"), Err(DomainError::UnknownCode));
    }

    #[test]
    fn attendance_is_non_negative_and_breakdowns_fit_the_total() {
        let a = |total, women, men, youth| Attendance { total, women, men, youth }.check();
        assert!(a(0, None, None, None).is_ok());
        assert!(a(40, Some(25), Some(15), Some(40)).is_ok());
        assert_eq!(a(-1, None, None, None), Err(("attendance_total", EventProblem::AttendanceInvalid)));
        assert_eq!(a(10, None, Some(-2), None), Err(("attendance_men", EventProblem::AttendanceInvalid)));
        assert_eq!(a(10, Some(6), Some(5), None), Err(("attendance_women", EventProblem::BreakdownExceedsTotal)));
        assert_eq!(a(10, None, None, Some(11)), Err(("attendance_youth", EventProblem::BreakdownExceedsTotal)));
        assert_eq!(a(MAX_ATTENDANCE + 1, None, None, None), Err(("attendance_total", EventProblem::AttendanceInvalid)));
        assert_eq!(count(" 12 "), Ok(Some(12)));
        assert_eq!(count(""), Ok(None));
        assert_eq!(count("doce"), Err(EventProblem::AttendanceInvalid));
    }

    #[test]
    fn dates_notes_and_periods() {
        assert_eq!(date("2026-11-20"), Ok(NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")));
        assert_eq!(date("20/11/2026"), Err(EventProblem::DateInvalid));
        assert_eq!(date(""), Err(EventProblem::DateInvalid));
        assert_eq!(notes("  "), Ok(None));
        assert_eq!(
            notes(&"ñ".repeat(MAX_EVENT_NOTES_CHARS)).map(|n| n.map(|n| n.chars().count())),
            Ok(Some(MAX_EVENT_NOTES_CHARS))
        );
        assert_eq!(notes(&"a".repeat(MAX_EVENT_NOTES_CHARS + 1)), Err(EventProblem::NotesTooLong));
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1);
        assert_eq!(period(d(1), d(2)), Ok((d(1), d(2))));
        assert_eq!(period(d(2), d(2)), Ok((d(2), d(2))));
        assert_eq!(period(None, d(2)), Ok((None, d(2))));
        assert_eq!(period(d(3), d(2)), Err(EventProblem::PeriodReversed));
    }
}
