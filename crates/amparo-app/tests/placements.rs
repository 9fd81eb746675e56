//! Placements on every backend: sites and needs, the matcher's proposals with their reasons,
//! the tenure-and-training gate at sites with direct survivor contact, confirming and ending
//! (version-checked), who may do what, one's own placements, notes sealed, and the audit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use amparo_app::placements::{NeedInput, PlacementFilter, PlacementInput, SiteInput, WeeklyAvailability};
use amparo_app::staff::{ProfileInput, TrainingInput};
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::placements::{PlacementProblem, PlacementStatus, Reason, Slot};
use amparo_domain::staff::{Background, CefrLevel, LanguageSkill};
use amparo_domain::{Actor, DomainError, Role};
use chrono::NaiveDate;

use support::{api, org, staff, worlds};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn lang(code: &str, level: CefrLevel) -> LanguageSkill {
    LanguageSkill { language: code.into(), level }
}

async fn profile(
    app: &amparo_app::Amparo,
    by: Actor,
    who: Actor,
    languages: Vec<LanguageSkill>,
    start: Option<NaiveDate>,
) {
    let current = app.staff_profile(&api(by), who.user).await.unwrap();
    let input = ProfileInput {
        languages,
        backgrounds: vec![Background::Psychology],
        start_date: start,
        version: current.version,
        ..ProfileInput::default()
    };
    app.save_staff_profile(&api(by), who.user, input).await.unwrap();
}

fn home_need() -> NeedInput {
    NeedInput {
        languages: vec![lang("es", CefrLevel::B2)],
        backgrounds: vec![Background::Psychology],
        slots: vec![Slot::WeekdayMornings],
        people: 1,
        starts_on: "2026-12-01".into(),
        ends_on: Some("2027-11-30".into()),
        notes: Some("Acompañamiento en la casa por las mañanas".into()),
    }
}

fn invalid(e: &Result<impl std::fmt::Debug, AppError>) -> Option<(String, DomainError)> {
    match e {
        Err(err) => err.invalid_field().map(|(f, p)| (f.to_owned(), p)),
        Ok(_) => None,
    }
}

#[tokio::test]
async fn coordinators_match_confirm_and_end_and_the_gate_holds_at_the_home() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Placements").await;
        let sup = staff(&w.app, o, Role::Supervisor, "coord").await;
        let ana = staff(&w.app, o, Role::Volunteer, "ana").await;
        let ben = staff(&w.app, o, Role::CaseManager, "ben").await;
        let carla = staff(&w.app, o, Role::Volunteer, "carla").await;
        // Ana started today with her trainings done: cleared on 2027-05-02.
        profile(&w.app, sup, ana, vec![lang("es", CefrLevel::C2), lang("en", CefrLevel::B2)], Some(d(2026, 11, 2)))
            .await;
        for course in ["confidentiality", "trauma_informed_care"] {
            let t = TrainingInput { course: course.into(), completed_on: d(2026, 11, 2), expires_on: None };
            w.app.record_training(&api(sup), ana.user, t).await.unwrap();
        }
        // Ben speaks Spanish below the home's B2; Carla has no start date (never cleared yet).
        profile(&w.app, sup, ben, vec![lang("es", CefrLevel::B1)], None).await;
        profile(&w.app, sup, carla, vec![lang("es", CefrLevel::C1)], None).await;
        // Ana says when she can serve, herself.
        let own = w.app.weekly_availability(&api(ana), ana.user).await.unwrap();
        assert_eq!(own, WeeklyAvailability { slots: vec![], version: 0 });
        let saved = w
            .app
            .save_weekly_availability(
                &api(ana),
                ana.user,
                WeeklyAvailability { slots: vec![Slot::WeekdayMornings, Slot::Weekends], version: 0 },
            )
            .await
            .unwrap();
        assert_eq!(saved.version, 1, "{name}");
        // Not someone else's.
        let other = w.app.weekly_availability(&api(ana), carla.user).await;
        assert!(matches!(other, Err(AppError::Forbidden(_))), "{name}");

        let home = w
            .app
            .create_placement_site(
                &api(sup),
                SiteInput {
                    kind: "transitional_home".into(),
                    name: " Casa Norte ".into(),
                    programme: Some("home-cdmx".into()),
                    region: "mx-cmx".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!((home.name.as_str(), home.programme.as_deref()), ("Casa Norte", Some("HOME-CDMX")), "{name}");
        assert!(home.direct_contact);
        let twin = w
            .app
            .create_placement_site(
                &api(sup),
                SiteInput {
                    kind: "refuge_care".into(),
                    name: "Casa Norte".into(),
                    programme: None,
                    region: "MX-CMX".into(),
                },
            )
            .await;
        assert_eq!(invalid(&twin), Some(("name".into(), PlacementProblem::NameTaken.into())), "{name}");
        let need = w.app.add_placement_need(&api(sup), home.id, home_need()).await.unwrap();
        assert_eq!((need.people, need.open), (1, 1));
        // The notes are sealed at rest.
        let row = w.t.store.placement_need(need.id).await.unwrap().expect("stored");
        assert!(!String::from_utf8_lossy(row.notes.as_deref().unwrap()).contains("Acompañamiento"), "{name}");
        assert_eq!(
            w.app.placement_site(&api(sup), home.id).await.unwrap().needs[0].notes.as_deref(),
            Some("Acompañamiento en la casa por las mañanas")
        );
        let reversed = NeedInput { ends_on: Some("2026-11-30".into()), ..home_need() };
        let got = w.app.add_placement_need(&api(sup), home.id, reversed).await;
        assert_eq!(invalid(&got), Some(("ends_on".into(), PlacementProblem::PeriodReversed.into())), "{name}");

        // Only Ana is proposed at the home, from the day the gate clears her, with the reasons.
        let matches = w.app.placement_matches(&api(sup), home.id).await.unwrap();
        assert_eq!(matches.len(), 1, "{name}");
        let proposals = &matches[0].proposals;
        assert_eq!(proposals.iter().map(|p| p.user).collect::<Vec<_>>(), vec![ana.user], "{name}");
        let p = &proposals[0];
        assert_eq!(p.starts_on, d(2027, 5, 2), "{name}");
        for r in [
            Reason::LanguageMeets { language: "es".into(), level: CefrLevel::C2, needed: CefrLevel::B2 },
            Reason::ExtraLanguage { language: "en".into(), level: CefrLevel::B2 },
            Reason::BackgroundWanted { background: Background::Psychology },
            Reason::Available { slots: vec![Slot::WeekdayMornings] },
            Reason::NotClearedUntil { date: d(2027, 5, 2) },
        ] {
            assert!(p.reasons.contains(&r), "{name}: {r:?} in {:?}", p.reasons);
        }

        // Confirming before the gate clears her is refused; from the day it does, placed.
        let early = PlacementInput {
            site: home.id,
            need: Some(need.id),
            user: ana.user,
            starts_on: Some("2026-12-01".into()),
            ends_on: None,
        };
        let got = w.app.confirm_new_placement(&api(sup), early.clone()).await;
        assert_eq!(invalid(&got), Some(("starts_on".into(), PlacementProblem::StartsBeforeClearance.into())), "{name}");
        let carla_there = PlacementInput { user: carla.user, starts_on: None, ..early.clone() };
        let got = w.app.confirm_new_placement(&api(sup), carla_there).await;
        assert_eq!(invalid(&got), Some(("starts_on".into(), PlacementProblem::NotCleared.into())), "{name}");
        let placed =
            w.app.confirm_new_placement(&api(sup), PlacementInput { starts_on: None, ..early.clone() }).await.unwrap();
        assert_eq!(
            (placed.status, placed.starts_on, placed.ends_on),
            (PlacementStatus::Confirmed, d(2027, 5, 2), Some(d(2027, 11, 30)))
        );
        assert_eq!(placed.confirmed_by, Some(sup.user));
        // Twice: refused; the need is filled and no longer matched.
        let again = w.app.confirm_new_placement(&api(sup), PlacementInput { starts_on: None, ..early.clone() }).await;
        assert_eq!(invalid(&again), Some(("user".into(), PlacementProblem::AlreadyPlaced.into())), "{name}");
        let site = w.app.placement_site(&api(sup), home.id).await.unwrap();
        assert_eq!((site.needs[0].confirmed, site.needs[0].open), (1, 0), "{name}");
        assert!(w.app.placement_matches(&api(sup), home.id).await.unwrap().is_empty(), "{name}");

        // The prevention team: no gate; Ben proposed, then confirmed (version-checked), then ended.
        let team = w
            .app
            .create_placement_site(
                &api(sup),
                SiteInput {
                    kind: "prevention_team".into(),
                    name: "Brigada".into(),
                    programme: None,
                    region: "MX-CMX".into(),
                },
            )
            .await
            .unwrap();
        let proposal = w
            .app
            .propose_placement(
                &api(sup),
                PlacementInput {
                    site: team.id,
                    need: None,
                    user: ben.user,
                    starts_on: Some("2026-11-10".into()),
                    ends_on: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(proposal.status, PlacementStatus::Proposed);
        assert!(
            matches!(w.app.confirm_placement(&api(sup), proposal.id, Some(7)).await, Err(AppError::Conflict)),
            "{name}"
        );
        let confirmed = w.app.confirm_placement(&api(sup), proposal.id, Some(proposal.version)).await.unwrap();
        assert_eq!((confirmed.status, confirmed.version), (PlacementStatus::Confirmed, 2), "{name}");
        let got = w.app.confirm_placement(&api(sup), proposal.id, Some(2)).await;
        assert_eq!(invalid(&got), Some(("status".into(), PlacementProblem::WrongStatus.into())), "{name}");
        let ended = w.app.end_placement(&api(sup), proposal.id, Some(2), Some("2027-01-31".into())).await.unwrap();
        assert_eq!((ended.status, ended.ends_on), (PlacementStatus::Ended, Some(d(2027, 1, 31))), "{name}");

        // A person sees their own placements, not other people's; only coordinators manage.
        let mine = PlacementFilter { user: Some(ana.user), ..PlacementFilter::default() };
        let own = w.app.list_placements(&api(ana), &mine).await.unwrap();
        assert_eq!(
            own.iter().map(|p| (p.id, p.site_name.as_str())).collect::<Vec<_>>(),
            vec![(placed.id, "Casa Norte")]
        );
        let bens = PlacementFilter { user: Some(ben.user), include_ended: true, ..PlacementFilter::default() };
        assert!(matches!(w.app.list_placements(&api(ana), &bens).await, Err(AppError::Forbidden(_))), "{name}");
        assert_eq!(w.app.list_placements(&api(sup), &bens).await.unwrap().len(), 1, "{name}");
        for who in [ana, ben] {
            assert!(matches!(w.app.placement_sites(&api(who)).await, Err(AppError::Forbidden(_))), "{name}");
            assert!(matches!(w.app.placement_matches(&api(who), home.id).await, Err(AppError::Forbidden(_))), "{name}");
            let got = w.app.propose_placement(&api(who), PlacementInput { starts_on: None, ..early.clone() }).await;
            assert!(matches!(got, Err(AppError::Forbidden(_))), "{name}");
        }
        let admin_of_other = {
            let other = org(&w.app, "Otra").await;
            staff(&w.app, other, Role::Supervisor, "otra").await
        };
        assert!(matches!(w.app.placement_site(&api(admin_of_other), home.id).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(
            w.app.confirm_placement(&api(admin_of_other), placed.id, Some(1)).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(w.app.placement_sites(&Caller::Operator).await, Err(AppError::Forbidden(_))));

        // Audited: confirmations, the end, the matching, refusals.
        let actions: Vec<(String, String)> = w
            .app
            .recent_audit(&api(sup))
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.outcome.to_owned()))
            .collect();
        for (action, outcome) in [
            ("placement.site.create", "ok"),
            ("placement.need.create", "ok"),
            ("placement.match", "ok"),
            ("placement.confirm", "ok"),
            ("placement.propose", "ok"),
            ("placement.end", "ok"),
            ("placement.sites", "denied"),
            ("placement.availability.update", "ok"),
        ] {
            assert!(actions.contains(&(action.to_owned(), outcome.to_owned())), "{name}: {action} {outcome}");
        }
    }
}
