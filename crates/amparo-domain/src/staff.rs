//! The people of the organisation: staff and volunteer profiles (languages with their CEFR
//! level, background, start date, trainings, availability), the tenure-and-training policy
//! that decides when someone may reach survivor data, and the rule that keeps private
//! self-care check-ins private (aggregates only, and only from five respondents).
//!
//! Profiles are not survivor data but they are personal: free text (availability) is sealed
//! by the application; the coded parts stay in clear for matching and for the gate.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::records::code_enum;
use crate::{Clearance, DomainError, Role};

code_enum!(
    /// Common European Framework of Reference level of a language.
    CefrLevel {
        A1 => "A1",
        A2 => "A2",
        B1 => "B1",
        B2 => "B2",
        C1 => "C1",
        C2 => "C2",
    }
);

code_enum!(
    /// The professional background a person brings.
    Background {
        SocialWork => "social_work",
        Psychology => "psychology",
        Counselling => "counselling",
        CommunityDevelopment => "community_development",
        ChildrenYouth => "children_youth",
        Other => "other",
    }
);

/// Why a profile, training or policy was refused. The code is the i18n key `error-<code>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffProblem {
    /// A language code that is not two or three lower-case letters (ISO 639).
    InvalidLanguage,
    /// The same language listed twice.
    DuplicateLanguage,
    /// Too many languages, backgrounds or trainings in one go.
    TooMany,
    /// A training course code that is not letters, digits, `_` or `-` (1 to 60).
    InvalidCourse,
    /// A training that expires before it was completed.
    ExpiryBeforeCompletion,
    /// A training completed in the future.
    CompletedInFuture,
    /// Availability text longer than allowed or with control characters.
    TextTooLong,
    /// The policy's months outside 0 to 60.
    PolicyMonths,
    /// The profile changed since it was read.
    Conflict,
}

impl StaffProblem {
    pub const fn code(self) -> &'static str {
        match self {
            StaffProblem::InvalidLanguage => "staff_invalid_language",
            StaffProblem::DuplicateLanguage => "staff_duplicate_language",
            StaffProblem::TooMany => "staff_too_many",
            StaffProblem::InvalidCourse => "staff_invalid_course",
            StaffProblem::ExpiryBeforeCompletion => "staff_expiry_before_completion",
            StaffProblem::CompletedInFuture => "staff_completed_in_future",
            StaffProblem::TextTooLong => "staff_text_too_long",
            StaffProblem::PolicyMonths => "staff_policy_months",
            StaffProblem::Conflict => "staff_conflict",
        }
    }
}

impl From<StaffProblem> for DomainError {
    fn from(p: StaffProblem) -> Self {
        DomainError::Staff(p)
    }
}

/// Most languages, backgrounds or required courses one profile or policy lists.
pub const MAX_LIST: usize = 12;
/// Longest availability text ("weekday mornings, not Fridays…").
pub const MAX_AVAILABILITY_CHARS: usize = 500;

/// A language a person speaks, with its level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageSkill {
    /// ISO 639-1 or 639-2 code, lower case (`es`, `en`, `nah`).
    pub language: String,
    pub level: CefrLevel,
}

impl LanguageSkill {
    pub fn parse(language: &str, level: &str) -> Result<Self, DomainError> {
        let l = language.trim().to_ascii_lowercase();
        if !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(StaffProblem::InvalidLanguage.into());
        }
        Ok(Self { language: l, level: CefrLevel::from_code(level.trim())? })
    }
}

/// Checks a list of languages: each valid, none twice, not too many.
pub fn check_languages(list: &[LanguageSkill]) -> Result<(), DomainError> {
    if list.len() > MAX_LIST {
        return Err(StaffProblem::TooMany.into());
    }
    for (i, l) in list.iter().enumerate() {
        LanguageSkill::parse(&l.language, l.level.code())?;
        if list[..i].iter().any(|p| p.language == l.language) {
            return Err(StaffProblem::DuplicateLanguage.into());
        }
    }
    Ok(())
}

/// Availability as the person says it: free text, sealed at rest.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Availability(String);

impl Availability {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim();
        let ok = t.chars().count() <= MAX_AVAILABILITY_CHARS
            && !t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
        if ok { Ok(Self(t.to_owned())) } else { Err(StaffProblem::TextTooLong.into()) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Availability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Availability(<redacted>)")
    }
}

/// A training course's code (`confidentiality`, `trauma_informed_care`): what the policy's
/// required trainings name, so it is a code, not free text.
pub fn parse_course(raw: &str) -> Result<String, DomainError> {
    let c = raw.trim().to_ascii_lowercase();
    let ok = (1..=60).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
    if ok { Ok(c) } else { Err(StaffProblem::InvalidCourse.into()) }
}

/// A training a person completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub course: String,
    pub completed_on: NaiveDate,
    /// When it must be renewed; None: it does not expire.
    pub expires_on: Option<NaiveDate>,
}

impl Training {
    pub fn new(
        course: &str,
        completed_on: NaiveDate,
        expires_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let course = parse_course(course)?;
        if completed_on > today {
            return Err(StaffProblem::CompletedInFuture.into());
        }
        if expires_on.is_some_and(|e| e <= completed_on) {
            return Err(StaffProblem::ExpiryBeforeCompletion.into());
        }
        Ok(Self { course, completed_on, expires_on })
    }

    /// Completed by `day` and not yet expired on it.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.completed_on <= day && self.expires_on.is_none_or(|e| day < e)
    }
}

/// The organisation's tenure-and-training policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessPolicy {
    /// Months after the start date before survivor data opens.
    pub months: u32,
    /// Course codes that must be completed and unexpired.
    pub required_courses: Vec<String>,
    /// The roles the policy holds back (by default volunteers only).
    pub roles: Vec<Role>,
}

impl Default for AccessPolicy {
    /// No direct access to survivor records in the first six months, and not before the
    /// confidentiality and trauma-informed care trainings are complete (PRODUCT.md §8).
    fn default() -> Self {
        Self {
            months: 6,
            required_courses: vec!["confidentiality".into(), "trauma_informed_care".into()],
            roles: vec![Role::Volunteer],
        }
    }
}

/// What the policy says about one person today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Whether the policy applies to the person's role at all.
    pub applies: bool,
    /// The day the tenure part is met (start date + months); None without a start date.
    pub opens_on: Option<NaiveDate>,
    /// Required courses not completed, or expired, today.
    pub missing_courses: Vec<String>,
    pub clearance: Clearance,
}

impl AccessPolicy {
    pub fn new(months: u32, required_courses: Vec<String>, roles: Vec<Role>) -> Result<Self, DomainError> {
        if months > 60 {
            return Err(StaffProblem::PolicyMonths.into());
        }
        if required_courses.len() > MAX_LIST {
            return Err(StaffProblem::TooMany.into());
        }
        let mut courses: Vec<String> = Vec::new();
        for c in required_courses {
            let c = parse_course(&c)?;
            if !courses.contains(&c) {
                courses.push(c);
            }
        }
        let mut r: Vec<Role> = Vec::new();
        for role in roles {
            if !r.contains(&role) {
                r.push(role);
            }
        }
        Ok(Self { months, required_courses: courses, roles: r })
    }

    /// The policy's verdict for a person of `role` who started on `start` with `trainings`,
    /// on `today`. Without a start date a person the policy applies to is not cleared: the
    /// organisation has not said when they began.
    pub fn assess(&self, role: Role, start: Option<NaiveDate>, trainings: &[Training], today: NaiveDate) -> Assessment {
        let applies = self.roles.contains(&role);
        let opens_on = start.map(|s| s.checked_add_months(Months::new(self.months)).unwrap_or(NaiveDate::MAX));
        let missing_courses: Vec<String> = self
            .required_courses
            .iter()
            .filter(|c| !trainings.iter().any(|t| &t.course == *c && t.valid_on(today)))
            .cloned()
            .collect();
        let cleared = !applies || (opens_on.is_some_and(|o| o <= today) && missing_courses.is_empty());
        Assessment {
            applies,
            opens_on,
            missing_courses,
            clearance: if cleared { Clearance::Cleared } else { Clearance::NotYet },
        }
    }
}

/// Fewest people who must have answered in a period before any aggregate of their private
/// check-ins is shown: below it, nothing, not even the count.
pub const MIN_WELLBEING_RESPONDENTS: usize = 5;

/// A period of check-ins: a calendar month (ProQOL asks about the last 30 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(day: NaiveDate) -> Self {
        use chrono::Datelike;
        Self { year: day.year(), month: day.month() }
    }

    /// `YYYY-MM`.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let (y, m) = raw.trim().split_once('-').ok_or(DomainError::UnknownCode)?;
        let year: i32 = y.parse().map_err(|_| DomainError::UnknownCode)?;
        let month: u32 = m.parse().map_err(|_| DomainError::UnknownCode)?;
        if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) {
            return Err(DomainError::UnknownCode);
        }
        Ok(Self { year, month })
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// What a supervisor may see of a period: how many answered and the mean of each subscale,
/// computed over each respondent's latest check-in of the period (one person, one voice).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WellbeingAggregate {
    pub respondents: usize,
    /// Subscale code → mean sum, in the order given.
    pub means: Vec<(String, f64)>,
}

/// The aggregate of `latest` (one entry per respondent: subscale code → sum), or None when
/// fewer than [`MIN_WELLBEING_RESPONDENTS`] answered.
pub fn wellbeing_aggregate(subscales: &[&str], latest: &[Vec<(String, u32)>]) -> Option<WellbeingAggregate> {
    if latest.len() < MIN_WELLBEING_RESPONDENTS {
        return None;
    }
    let n = latest.len() as f64;
    let means = subscales
        .iter()
        .map(|code| {
            let sum: u32 = latest.iter().filter_map(|r| r.iter().find(|(c, _)| c == code).map(|(_, v)| *v)).sum();
            ((*code).to_owned(), f64::from(sum) / n)
        })
        .collect();
    Some(WellbeingAggregate { respondents: latest.len(), means })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn trained(on: NaiveDate) -> Vec<Training> {
        ["confidentiality", "trauma_informed_care"]
            .iter()
            .map(|c| Training { course: (*c).into(), completed_on: on, expires_on: None })
            .collect()
    }

    #[test]
    fn a_volunteer_is_cleared_six_months_after_starting_with_the_trainings_done() {
        let p = AccessPolicy::default();
        let start = d(2026, 5, 15);
        let t = trained(d(2026, 6, 1));
        let before = p.assess(Role::Volunteer, Some(start), &t, d(2026, 11, 14));
        assert_eq!((before.clearance, before.opens_on), (Clearance::NotYet, Some(d(2026, 11, 15))));
        let on_the_day = p.assess(Role::Volunteer, Some(start), &t, d(2026, 11, 15));
        assert_eq!(on_the_day.clearance, Clearance::Cleared);
        // Time served but a training missing.
        let half = p.assess(Role::Volunteer, Some(start), &t[..1], d(2027, 1, 1));
        assert_eq!(
            (half.clearance, half.missing_courses.clone()),
            (Clearance::NotYet, vec!["trauma_informed_care".into()])
        );
        // No start date: never cleared.
        assert_eq!(p.assess(Role::Volunteer, None, &t, d(2030, 1, 1)).clearance, Clearance::NotYet);
    }

    #[test]
    fn an_expired_training_no_longer_counts() {
        let p = AccessPolicy::default();
        let mut t = trained(d(2025, 1, 1));
        t[0].expires_on = Some(d(2026, 1, 1));
        assert_eq!(p.assess(Role::Volunteer, Some(d(2024, 1, 1)), &t, d(2025, 12, 31)).clearance, Clearance::Cleared);
        let after = p.assess(Role::Volunteer, Some(d(2024, 1, 1)), &t, d(2026, 1, 1));
        assert_eq!((after.clearance, after.missing_courses), (Clearance::NotYet, vec!["confidentiality".into()]));
    }

    #[test]
    fn the_policy_holds_back_only_the_roles_it_names() {
        let p = AccessPolicy::default();
        let a = p.assess(Role::CaseManager, None, &[], d(2026, 1, 1));
        assert!(!a.applies);
        assert_eq!(a.clearance, Clearance::Cleared);
        let strict =
            AccessPolicy::new(3, vec!["confidentiality".into()], vec![Role::Volunteer, Role::Hotline]).unwrap();
        assert_eq!(strict.assess(Role::Hotline, Some(d(2026, 1, 1)), &[], d(2026, 5, 1)).clearance, Clearance::NotYet);
    }

    #[test]
    fn bad_profile_values_are_refused_with_codes() {
        assert_eq!(LanguageSkill::parse("ES", "B2").map(|l| l.language), Ok("es".into()));
        assert_eq!(LanguageSkill::parse("spanish", "B2"), Err(DomainError::Staff(StaffProblem::InvalidLanguage)));
        assert_eq!(LanguageSkill::parse("es", "D1"), Err(DomainError::UnknownCode));
        let twice = [LanguageSkill::parse("es", "B2").unwrap(), LanguageSkill::parse("es", "C1").unwrap()];
        assert_eq!(check_languages(&twice), Err(DomainError::Staff(StaffProblem::DuplicateLanguage)));
        let today = d(2026, 6, 1);
        assert_eq!(
            Training::new("first aid", today, None, today),
            Err(DomainError::Staff(StaffProblem::InvalidCourse))
        );
        assert_eq!(
            Training::new("first_aid", today, Some(today), today),
            Err(DomainError::Staff(StaffProblem::ExpiryBeforeCompletion))
        );
        assert_eq!(
            Training::new("first_aid", d(2026, 6, 2), None, today),
            Err(DomainError::Staff(StaffProblem::CompletedInFuture))
        );
        assert!(Availability::parse(&"x".repeat(501)).is_err());
        assert_eq!(format!("{:?}", Availability::parse("lunes").unwrap()), "Availability(<redacted>)");
        assert_eq!(AccessPolicy::new(61, vec![], vec![]), Err(DomainError::Staff(StaffProblem::PolicyMonths)));
    }

    #[test]
    fn fewer_than_five_respondents_give_no_aggregate_at_all() {
        let one = |v: u32| vec![("burnout".to_owned(), v)];
        let four: Vec<_> = (0..4).map(|i| one(20 + i)).collect();
        assert_eq!(wellbeing_aggregate(&["burnout"], &four), None);
        let five: Vec<_> = (0..5).map(|i| one(20 + i)).collect();
        let a = wellbeing_aggregate(&["burnout"], &five).unwrap();
        assert_eq!(a.respondents, 5);
        assert_eq!(a.means, vec![("burnout".to_owned(), 22.0)]);
    }

    #[test]
    fn periods_are_calendar_months() {
        assert_eq!(Period::of(d(2026, 3, 31)).code(), "2026-03");
        assert_eq!(Period::parse("2026-03"), Ok(Period { year: 2026, month: 3 }));
        for bad in ["2026-13", "2026-3", "26-03", "x", "2026-00"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}
