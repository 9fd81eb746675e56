//! Safety planning and crisis intervention (PRODUCT §3, standards §4): a safety plan written
//! with the survivor, kept in versions (each save is a new version; none is ever changed),
//! printed in the language the survivor chose; and a log of crisis contacts, each asking for
//! a follow-up. Every text here is the survivor's own and is sealed by the application.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::case::code_enum;
use super::casework::{CaseWorkError, MAX_TEXT_CHARS, TaskKind};
use super::deadlines::DueTask;
use crate::ids::id_type;

id_type!(
    /// One saved version of a person's safety plan.
    SafetyPlanId
);
id_type!(
    /// One crisis contact in a person's crisis log.
    CrisisContactId
);

code_enum!(
    /// The parts of a safety plan, in the order they are written and printed. Each is free
    /// text and optional: the survivor decides what goes in.
    PlanField {
        WarningSigns => "warning_signs",
        SafePlaces => "safe_places",
        SafePeople => "safe_people",
        CodeWords => "code_words",
        TakeWith => "take_with",
        EmergencyNumbers => "emergency_numbers",
        ChildrenPlan => "children_plan",
        DigitalSafety => "digital_safety",
    }
);

/// A part of the plan as it is kept: blank is "nothing written" (None); otherwise the text
/// exactly as typed, up to [`MAX_TEXT_CHARS`].
pub fn plan_text(value: Option<&str>) -> Result<Option<String>, CaseWorkError> {
    match value {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) if v.chars().count() > MAX_TEXT_CHARS => Err(CaseWorkError::TextTooLong),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

/// "What happened, in a few words": a crisis log line, not a second narrative (the story is
/// told once, in the record's narrative).
pub const MAX_CRISIS_SUMMARY_CHARS: usize = 500;

/// The crisis contact's summary: required, short.
pub fn crisis_summary(value: &str) -> Result<String, CaseWorkError> {
    let v = value.trim();
    if v.is_empty() {
        Err(CaseWorkError::TextRequired)
    } else if v.chars().count() > MAX_CRISIS_SUMMARY_CHARS {
        Err(CaseWorkError::TextTooLong)
    } else {
        Ok(v.to_owned())
    }
}

/// A crisis is logged when it happened or afterwards: a time more than a few minutes ahead of
/// the server's clock is a typing slip, and nothing before 1900 is a real date.
pub const CRISIS_CLOCK_SKEW_MINUTES: i64 = 10;

pub fn crisis_time(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, CaseWorkError> {
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc());
    if at > now + Duration::minutes(CRISIS_CLOCK_SKEW_MINUTES) || earliest.is_some_and(|e| at < e) {
        Err(CaseWorkError::DateOutOfRange)
    } else {
        Ok(at)
    }
}

/// Someone follows up a crisis the next day: the person is asked how they are and whether
/// the referrals made worked.
pub const CRISIS_FOLLOW_UP_DAYS: i64 = 1;

pub fn crisis_follow_up(occurred_on: NaiveDate) -> DueTask {
    DueTask { kind: TaskKind::CrisisFollowUp, due_on: occurred_on + Duration::days(CRISIS_FOLLOW_UP_DAYS) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Section;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(h, min, 0)).map(|t| t.and_utc()).unwrap_or_default()
    }

    #[test]
    fn plan_parts_are_kept_as_typed_and_blank_is_nothing() {
        assert_eq!(plan_text(None), Ok(None));
        assert_eq!(plan_text(Some("   \n ")), Ok(None));
        assert_eq!(plan_text(Some("  Casa de mi tía  ")), Ok(Some("  Casa de mi tía  ".to_owned())));
        assert_eq!(plan_text(Some(r#"#panic("x") *b* $x$ ] ""#)), Ok(Some(r#"#panic("x") *b* $x$ ] ""#.to_owned())));
        assert_eq!(plan_text(Some(&"a".repeat(MAX_TEXT_CHARS))).map(|t| t.map(|s| s.len())), Ok(Some(MAX_TEXT_CHARS)));
        assert_eq!(plan_text(Some(&"ñ".repeat(MAX_TEXT_CHARS + 1))), Err(CaseWorkError::TextTooLong));
    }

    #[test]
    fn a_crisis_summary_is_required_and_short() {
        assert_eq!(crisis_summary("  "), Err(CaseWorkError::TextRequired));
        assert_eq!(crisis_summary(" Llamó con miedo "), Ok("Llamó con miedo".to_owned()));
        assert!(crisis_summary(&"x".repeat(MAX_CRISIS_SUMMARY_CHARS)).is_ok());
        assert_eq!(crisis_summary(&"x".repeat(MAX_CRISIS_SUMMARY_CHARS + 1)), Err(CaseWorkError::TextTooLong));
    }

    #[test]
    fn a_crisis_cannot_be_logged_in_the_future_or_before_1900() {
        let now = at(2026, 11, 22, 5, 0);
        assert_eq!(crisis_time(at(2026, 11, 21, 23, 30), now), Ok(at(2026, 11, 21, 23, 30)));
        assert_eq!(crisis_time(at(2026, 11, 22, 5, 10), now), Ok(at(2026, 11, 22, 5, 10)), "clock skew allowed");
        assert_eq!(crisis_time(at(2026, 11, 22, 5, 11), now), Err(CaseWorkError::DateOutOfRange));
        assert_eq!(crisis_time(at(1899, 12, 31, 23, 59), now), Err(CaseWorkError::DateOutOfRange));
    }

    #[test]
    fn a_crisis_is_followed_up_the_next_day_by_those_who_read_the_safety_section() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let t = crisis_follow_up(d);
        assert_eq!(t.kind, TaskKind::CrisisFollowUp);
        assert_eq!(t.due_on, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default());
        assert_eq!(TaskKind::CrisisFollowUp.section(), Section::Safety);
    }

    /// Who may read and write safety plans and the crisis log: the roles whose work is the
    /// survivor's safety (standards §4), on their team; never a clinician or a volunteer.
    #[test]
    fn the_safety_section_is_for_advocates_hotline_and_shelter_staff() {
        use crate::{Action, Actor, OrgId, RecordScope, Resource, Role, UserId, authorize};
        let org = OrgId::new();
        for (role, may) in [
            (Role::CaseManager, true),
            (Role::Supervisor, true),
            (Role::Hotline, true),
            (Role::ShelterStaff, true),
            (Role::Clinician, false),
            (Role::Volunteer, false),
            (Role::Analyst, false),
            (Role::Administrator, false),
        ] {
            let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
            let on_team = RecordScope { org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
            for action in [Action::ReadRecord(Section::Safety), Action::WriteRecord(Section::Safety)] {
                assert_eq!(authorize(&actor, action, Resource::Record(&on_team)).is_ok(), may, "{role:?} {action:?}");
            }
            let other_org = RecordScope { org: OrgId::new(), ..on_team };
            assert!(authorize(&actor, Action::ReadRecord(Section::Safety), Resource::Record(&other_org)).is_err());
        }
    }

    #[test]
    fn plan_fields_have_the_api_names() {
        let codes: Vec<&str> = PlanField::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(
            codes,
            [
                "warning_signs",
                "safe_places",
                "safe_people",
                "code_words",
                "take_with",
                "emergency_numbers",
                "children_plan",
                "digital_safety"
            ]
        );
    }
}
