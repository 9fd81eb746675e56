//! The matcher, table by table: each row a person, a need and what must come out.

use super::*;
use crate::staff::Assessment;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn lang(code: &str, level: CefrLevel) -> LanguageSkill {
    LanguageSkill { language: code.into(), level }
}

fn cleared() -> Assessment {
    Assessment { applies: false, opens_on: None, missing_courses: vec![], clearance: Clearance::Cleared }
}

fn not_yet(opens_on: Option<NaiveDate>, missing: &[&str]) -> Assessment {
    Assessment {
        applies: true,
        opens_on,
        missing_courses: missing.iter().map(|c| (*c).to_owned()).collect(),
        clearance: Clearance::NotYet,
    }
}

fn person(languages: Vec<LanguageSkill>) -> Candidate {
    Candidate {
        user: UserId::new(),
        languages,
        backgrounds: vec![],
        slots: Some(vec![Slot::WeekdayMornings]),
        access: cleared(),
        held: vec![],
    }
}

fn need(kind: SiteKind) -> NeedSpec {
    NeedSpec {
        site: SiteId::new(),
        kind,
        languages: vec![lang("es", CefrLevel::B2)],
        backgrounds: vec![Background::Psychology],
        slots: vec![Slot::WeekdayMornings, Slot::WeekdayAfternoons],
        starts_on: d(2026, 12, 1),
        ends_on: Some(d(2027, 5, 31)),
    }
}

#[test]
fn hard_constraints_table() {
    use CefrLevel::*;
    let home = need(SiteKind::TransitionalHome);
    let prevention = need(SiteKind::PreventionTeam);
    let held_here = |n: &NeedSpec| Held { site: n.site, starts_on: d(2027, 1, 1), ends_on: None };
    let held_elsewhere_before = Held { site: SiteId::new(), starts_on: d(2025, 1, 1), ends_on: Some(d(2025, 12, 31)) };
    // (what, need, candidate, eligible, the reason that must be there)
    let rows: Vec<(&str, &NeedSpec, Candidate, bool, Reason)> = vec![
        (
            "C1 Spanish meets B2",
            &prevention,
            person(vec![lang("es", C1)]),
            true,
            Reason::LanguageMeets { language: "es".into(), level: C1, needed: B2 },
        ),
        (
            "B2 Spanish meets B2 exactly",
            &prevention,
            person(vec![lang("es", B2)]),
            true,
            Reason::LanguageMeets { language: "es".into(), level: B2, needed: B2 },
        ),
        (
            "B1 Spanish is below B2",
            &prevention,
            person(vec![lang("es", B1)]),
            false,
            Reason::LanguageBelow { language: "es".into(), level: Some(B1), needed: B2 },
        ),
        (
            "no Spanish at all",
            &prevention,
            person(vec![lang("en", C2)]),
            false,
            Reason::LanguageBelow { language: "es".into(), level: None, needed: B2 },
        ),
        (
            "evenings only, the site needs days",
            &prevention,
            Candidate { slots: Some(vec![Slot::WeekdayEvenings]), ..person(vec![lang("es", C2)]) },
            false,
            Reason::NotAvailable,
        ),
        (
            "availability not recorded: proposed, with the reason",
            &prevention,
            Candidate { slots: None, ..person(vec![lang("es", C2)]) },
            true,
            Reason::AvailabilityUnknown,
        ),
        (
            "already placed at this site in the period",
            &prevention,
            Candidate { held: vec![held_here(&prevention)], ..person(vec![lang("es", C2)]) },
            false,
            Reason::AlreadyPlacedHere,
        ),
        (
            "already placed at this site, even from a later day",
            &prevention,
            Candidate {
                held: vec![Held { site: prevention.site, starts_on: d(2028, 1, 1), ends_on: None }],
                ..person(vec![lang("es", C2)])
            },
            false,
            Reason::AlreadyPlacedHere,
        ),
        (
            "placed elsewhere before the need starts: available",
            &prevention,
            Candidate { held: vec![held_elsewhere_before.clone()], ..person(vec![lang("es", C2)]) },
            true,
            Reason::Available { slots: vec![Slot::WeekdayMornings] },
        ),
        ("home: cleared", &home, person(vec![lang("es", C2)]), true, Reason::Cleared),
        (
            "home: cleared on a day within the need, proposed with the date",
            &home,
            Candidate { access: not_yet(Some(d(2027, 3, 1)), &[]), ..person(vec![lang("es", C2)]) },
            true,
            Reason::NotClearedUntil { date: d(2027, 3, 1) },
        ),
        (
            "home: cleared only after the need ends",
            &home,
            Candidate { access: not_yet(Some(d(2027, 7, 1)), &[]), ..person(vec![lang("es", C2)]) },
            false,
            Reason::NotClearedUntil { date: d(2027, 7, 1) },
        ),
        (
            "home: a required training missing",
            &home,
            Candidate { access: not_yet(Some(d(2027, 3, 1)), &["confidentiality"]), ..person(vec![lang("es", C2)]) },
            false,
            Reason::NotCleared,
        ),
        (
            "home: no start date",
            &home,
            Candidate { access: not_yet(None, &[]), ..person(vec![lang("es", C2)]) },
            false,
            Reason::NotCleared,
        ),
    ];
    for (what, n, c, eligible, reason) in rows {
        let p = weigh(n, &c);
        assert_eq!(p.eligible, eligible, "{what}: {:?}", p.reasons);
        assert!(p.reasons.contains(&reason), "{what}: {:?}", p.reasons);
    }
}

#[test]
fn the_prevention_team_ignores_the_gate() {
    let n = need(SiteKind::PreventionTeam);
    let c = Candidate { access: not_yet(None, &["confidentiality"]), ..person(vec![lang("es", CefrLevel::B2)]) };
    let p = weigh(&n, &c);
    assert!(p.eligible);
    assert!(
        !p.reasons.iter().any(|r| matches!(r, Reason::Cleared | Reason::NotCleared | Reason::NotClearedUntil { .. }))
    );
    assert_eq!(p.starts_on, n.starts_on);
}

#[test]
fn a_person_not_yet_cleared_starts_the_day_the_gate_opens() {
    let n = need(SiteKind::RefugeCare);
    let c = Candidate { access: not_yet(Some(d(2027, 3, 1)), &[]), ..person(vec![lang("es", CefrLevel::C1)]) };
    assert_eq!(weigh(&n, &c).starts_on, d(2027, 3, 1));
    // Cleared before the need starts: the need's start.
    let early = Candidate { access: not_yet(Some(d(2026, 11, 1)), &[]), ..c };
    assert_eq!(weigh(&n, &early).starts_on, n.starts_on);
}

#[test]
fn soft_scores_rank_background_then_level_then_extra_languages() {
    use CefrLevel::*;
    let n = need(SiteKind::PreventionTeam);
    let plain = person(vec![lang("es", B2)]);
    let fluent = person(vec![lang("es", C2)]);
    let psychologist = Candidate { backgrounds: vec![Background::Psychology], ..person(vec![lang("es", B2)]) };
    let bilingual = person(vec![lang("es", B2), lang("nah", B1)]);
    let busy = Candidate {
        held: vec![Held { site: SiteId::new(), starts_on: d(2026, 1, 1), ends_on: None }],
        ..person(vec![lang("es", B2)])
    };
    let s = |c: &Candidate| weigh(&n, c).score;
    assert!(s(&psychologist) > s(&fluent), "a wanted background outweighs two CEFR levels");
    assert!(s(&fluent) > s(&bilingual));
    assert!(s(&bilingual) > s(&plain));
    assert!(s(&plain) > s(&busy));
    assert!(
        weigh(&n, &psychologist).reasons.contains(&Reason::BackgroundWanted { background: Background::Psychology })
    );
    assert!(weigh(&n, &bilingual).reasons.contains(&Reason::ExtraLanguage { language: "nah".into(), level: B1 }));
    assert!(weigh(&n, &busy).reasons.contains(&Reason::PlacedElsewhere { count: 1 }));
}

#[test]
fn a_need_without_slots_or_languages_takes_anyone_free() {
    let n = NeedSpec { languages: vec![], backgrounds: vec![], slots: vec![], ..need(SiteKind::CommunityEvents) };
    let c = Candidate { slots: None, ..person(vec![]) };
    let p = weigh(&n, &c);
    assert!(p.eligible);
    assert_eq!(p.reasons, vec![]);
}

#[test]
fn proposals_are_ranked_deterministically_eligible_first() {
    use CefrLevel::*;
    let n = need(SiteKind::PreventionTeam);
    let below = person(vec![lang("es", A2)]);
    let good = Candidate { backgrounds: vec![Background::Psychology], ..person(vec![lang("es", C1)]) };
    let ok = person(vec![lang("es", B2)]);
    let twin = Candidate { user: UserId::new(), ..ok.clone() };
    let candidates = vec![below.clone(), ok.clone(), twin.clone(), good.clone()];
    let order: Vec<UserId> = propose(&n, &candidates).iter().map(|p| p.user).collect();
    let (first_twin, second_twin) = if ok.user < twin.user { (ok.user, twin.user) } else { (twin.user, ok.user) };
    assert_eq!(order, vec![good.user, first_twin, second_twin, below.user]);
    // The same people in another order: the same ranking.
    let reversed: Vec<Candidate> = candidates.into_iter().rev().collect();
    assert_eq!(propose(&n, &reversed).iter().map(|p| p.user).collect::<Vec<_>>(), order);
}

#[test]
fn the_gate_check_for_a_placement() {
    let start = d(2027, 1, 10);
    assert_eq!(check_gate(SiteKind::Administration, &not_yet(None, &["x"]), start), Ok(()));
    assert_eq!(check_gate(SiteKind::TransitionalHome, &cleared(), start), Ok(()));
    assert_eq!(check_gate(SiteKind::TransitionalHome, &not_yet(Some(d(2027, 1, 10)), &[]), start), Ok(()));
    assert_eq!(
        check_gate(SiteKind::RefugeCare, &not_yet(Some(d(2027, 1, 11)), &[]), start),
        Err(PlacementProblem::StartsBeforeClearance)
    );
    assert_eq!(
        check_gate(SiteKind::RefugeCare, &not_yet(Some(d(2026, 1, 1)), &["confidentiality"]), start),
        Err(PlacementProblem::NotCleared)
    );
    assert_eq!(check_gate(SiteKind::RefugeCare, &not_yet(None, &[]), start), Err(PlacementProblem::NotCleared));
}

#[test]
fn inputs_and_periods() {
    assert_eq!(site_name("  Casa Norte "), Ok("Casa Norte".into()));
    assert_eq!(site_name(" "), Err(PlacementProblem::NameRequired));
    assert_eq!(site_name(&"a".repeat(MAX_SITE_NAME_CHARS + 1)), Err(PlacementProblem::NameTooLong));
    assert_eq!(programme(" prev-cdmx "), Ok(Some("PREV-CDMX".into())));
    assert_eq!(programme(""), Ok(None));
    assert_eq!(programme("a b"), Err(PlacementProblem::ProgrammeInvalid));
    assert_eq!(people(0), Err(PlacementProblem::PeopleInvalid));
    assert_eq!(people(MAX_NEED_PEOPLE), Ok(MAX_NEED_PEOPLE));
    assert_eq!(people(MAX_NEED_PEOPLE + 1), Err(PlacementProblem::PeopleInvalid));
    assert_eq!(period(d(2027, 1, 2), Some(d(2027, 1, 1))), Err(PlacementProblem::PeriodReversed));
    assert_eq!(period(d(2027, 1, 1), None), Ok(()));
    assert_eq!(opt_date(""), Ok(None));
    assert_eq!(opt_date("01/02/2027"), Err(PlacementProblem::DateInvalid));
    assert_eq!(notes(&"ñ".repeat(MAX_NEED_NOTES_CHARS + 1)), Err(PlacementProblem::NotesTooLong));
    assert_eq!(distinct(&[Slot::Weekends, Slot::Weekends]), Ok(vec![Slot::Weekends]));
    let open = (d(2027, 1, 1), None);
    assert!(overlaps(open, (d(2030, 1, 1), Some(d(2030, 1, 2)))));
    assert!(!overlaps((d(2027, 1, 1), Some(d(2027, 1, 31))), (d(2027, 2, 1), None)));
    assert!(overlaps((d(2027, 1, 1), Some(d(2027, 1, 31))), (d(2027, 1, 31), None)));
    assert_eq!(still_open(3, 1), 2);
    assert_eq!(still_open(1, 2), 0);
    for k in SiteKind::ALL {
        assert_eq!(SiteKind::from_code(k.code()), Ok(*k));
    }
    assert!(SiteKind::TransitionalHome.direct_contact() && SiteKind::RefugeCare.direct_contact());
    assert!(!SiteKind::CommunityEvents.direct_contact());
}
