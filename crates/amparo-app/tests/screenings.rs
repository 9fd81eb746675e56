//! Screenings on every backend: who may run and read them (a clinician reads results but
//! not the narrative or legal file), refusals naming the item, sealed answers, the alert
//! task for a critical item on the right dashboards, trends, and the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Duration, TimeZone, Utc};

use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::screenings::ScreeningInput;
use amparo_app::{Amparo, AppConfig, AppError};
use amparo_domain::records::{Answer, EntryKind, ScreeningProblem};
use amparo_domain::{Actor, DomainError, PersonId, Role};
use amparo_store::AuditOutcome;
use support::{api, org, staff, worlds};

async fn person(app: &Amparo, by: Actor) -> PersonId {
    let fields = PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() };
    app.create_person(&api(by), fields).await.unwrap().id
}

fn phq9(answers: [i64; 9]) -> ScreeningInput {
    ScreeningInput { instrument: "phq9".into(), answers: answers.to_vec(), ..ScreeningInput::default() }
}

#[tokio::test]
async fn who_may_run_and_read_screenings_follows_the_screening_section() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let clinician_elsewhere = staff(&w.app, a, Role::Clinician, "clin2").await;
        let volunteer = staff(&w.app, a, Role::Volunteer, "vol").await;
        let analyst = staff(&w.app, a, Role::Analyst, "analyst").await;
        let admin = staff(&w.app, a, Role::Administrator, "admin2").await;
        let outsider = staff(&w.app, b, Role::Supervisor, "outsider").await;
        let p = person(&w.app, cm).await;
        let team = vec![cm.user, clinician.user, hotline.user, shelter.user];
        let case =
            w.app.open_case(&api(cm), p, CaseFields { team: Some(team), ..CaseFields::default() }).await.unwrap();

        // (who, may run and read, the error otherwise)
        let table: Vec<(Actor, Result<(), &str>)> = vec![
            (cm, Ok(())),
            (clinician, Ok(())),
            (supervisor, Ok(())),
            (hotline, Err("forbidden")),
            (shelter, Err("forbidden")),
            (clinician_elsewhere, Err("forbidden")),
            (volunteer, Err("forbidden")),
            (analyst, Err("forbidden")),
            (admin, Err("forbidden")),
            (outsider, Err("not_found")),
        ];
        let mut taken = 0;
        for (who, want) in &table {
            let ran = w.app.run_screening(&api(*who), p, phq9([1, 1, 1, 1, 1, 0, 0, 0, 0])).await;
            assert_eq!(ran.as_ref().map(|_| ()).map_err(|e| e.code()), *want, "{name}: {:?} runs", who.role);
            taken += usize::from(ran.is_ok());
            let listed = w.app.person_screenings(&api(*who), p).await;
            assert_eq!(listed.as_ref().map(|_| ()).map_err(|e| e.code()), *want, "{name}: {:?} lists", who.role);
            if let Ok(list) = listed {
                assert_eq!(list.items.len(), taken, "{name}");
                assert!(list.may_run, "{name}");
            }
        }
        // The clinician reads results and answers, but not the narrative, notes or legal file.
        let list = w.app.person_screenings(&api(clinician), p).await.unwrap();
        let one = w.app.screening(&api(clinician), list.items[0].id).await.unwrap();
        assert_eq!(one.answers.as_deref(), Some(&[1, 1, 1, 1, 1, 0, 0, 0, 0][..]), "{name}");
        assert_eq!((one.total, one.band.as_deref()), (5, Some("mild")), "{name}");
        for kind in [EntryKind::Note, EntryKind::LegalRelief] {
            let e = w.app.case_entries(&api(clinician), case.id, kind).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden(_)), "{name}: clinician reads {kind}: {e:?}");
        }
        let seen = w.app.read_person(&api(clinician), p).await.unwrap();
        assert!(!seen.can.narrative && !seen.can.write_narrative, "{name}");
        for who in [hotline, volunteer] {
            let e = w.app.screening(&api(who), list.items[0].id).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden(_)), "{name}: {e:?}");
        }
        assert!(matches!(w.app.screening(&api(outsider), list.items[0].id).await, Err(AppError::NotFound)));
        // Refusals were audited with codes only.
        let events = w.t.store.audit_events_after(0, 10_000).await.unwrap();
        let has = |action: &str, outcome: AuditOutcome| {
            events.iter().any(|e| e.draft.action == action && e.draft.outcome == outcome)
        };
        assert!(has("screening.create", AuditOutcome::Denied), "{name}");
        assert!(has("screening.create", AuditOutcome::Ok), "{name}");
        assert!(has("screening.read", AuditOutcome::Ok), "{name}");
        assert!(has("screening.list", AuditOutcome::Ok), "{name}");
        for e in events.iter().filter(|e| e.draft.action.starts_with("screening.")) {
            let detail = e.draft.detail.clone().unwrap_or_default();
            assert!(detail.chars().all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c)), "{name}: {detail}");
            assert_eq!(e.draft.target_id, Some(*p.as_uuid()), "{name}");
        }
    }
}

#[tokio::test]
async fn bad_answers_are_refused_naming_the_item_and_nothing_is_stored() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let p = person(&w.app, cm).await;
        let run = |input: ScreeningInput| {
            let app = w.app.clone();
            async move { app.run_screening(&api(cm), p, input).await.unwrap_err() }
        };
        let e = run(phq9([0, 0, 0, 0, 4, 0, 0, 0, 0])).await;
        assert_eq!(e.invalid_field(), Some(("answers.5", DomainError::Screening(ScreeningProblem::AnswerOutOfRange))));
        let e = run(ScreeningInput { answers: vec![0; 8], ..phq9([0; 9]) }).await;
        assert_eq!(e.invalid_field(), Some(("answers", DomainError::Screening(ScreeningProblem::AnswerCount))));
        let e = run(ScreeningInput { difficulty: Some(7), ..phq9([0; 9]) }).await;
        assert_eq!(e.invalid_field(), Some(("difficulty", DomainError::Screening(ScreeningProblem::ExtraOutOfRange))));
        let e = run(ScreeningInput { instrument: "beck".into(), ..phq9([0; 9]) }).await;
        assert_eq!(
            e.invalid_field(),
            Some(("instrument", DomainError::Screening(ScreeningProblem::UnknownInstrument)))
        );
        let e = run(ScreeningInput { case_id: Some(amparo_domain::CaseId::new()), ..phq9([0; 9]) }).await;
        assert_eq!(e.invalid_field(), Some(("case_id", DomainError::UnknownCode)), "{name}");
        assert!(w.app.person_screenings(&api(cm), p).await.unwrap().items.is_empty(), "{name}");
    }
}

#[tokio::test]
async fn answers_are_sealed_and_results_coded_in_clear() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let p = person(&w.app, cm).await;
        let answers: Vec<i64> = (1..=20).map(|n| n % 5).collect();
        let input = ScreeningInput { instrument: "pcl5".into(), answers: answers.clone(), ..ScreeningInput::default() };
        let s = w.app.run_screening(&api(cm), p, input).await.unwrap();
        assert_eq!(s.total, 40, "{name}");
        let clusters: Vec<(&str, u32)> = s.clusters.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(clusters, [("B", 10), ("C", 3), ("D", 17), ("E", 10)], "{name}");
        assert!(s.outcomes["probable_ptsd"], "{name}");
        assert!(s.outcomes["provisional_ptsd"], "{name}");
        let row = w.t.store.screening(s.id).await.unwrap().unwrap();
        assert_eq!((row.total, row.instrument.as_str(), row.band.clone()), (40, "pcl5", None), "{name}");
        assert!(row.coded.contains("\"B\":10"), "{name}: clusters in clear");
        // The sealed answers are not the JSON of the answers.
        let plain = serde_json::to_vec(&answers).unwrap();
        assert!(!row.answers.windows(plain.len()).any(|win| win == plain.as_slice()), "{name}");
        assert_eq!(w.app.screening(&api(cm), s.id).await.unwrap().answers, Some(answers), "{name}");
    }
}

#[tokio::test]
async fn the_pcl5_cut_off_comes_from_configuration() {
    let config = AppConfig {
        screening_cutoffs: [("pcl5.probable_ptsd".to_owned(), 31)].into_iter().collect(),
        ..AppConfig::default()
    };
    assert!(amparo_app::screenings::check_cutoffs(&config.screening_cutoffs).is_ok());
    assert!(amparo_app::screenings::check_cutoffs(&[("pcl5.nothing".to_owned(), 3)].into_iter().collect()).is_err());
    for w in worlds(config.clone()).await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let p = person(&w.app, cm).await;
        let mut answers = vec![2_i64; 15];
        answers.extend([1, 0, 0, 0, 0]);
        let input = ScreeningInput { instrument: "pcl5".into(), answers, ..ScreeningInput::default() };
        let s = w.app.run_screening(&api(cm), p, input).await.unwrap();
        assert_eq!(s.total, 31);
        assert!(s.outcomes["probable_ptsd"], "{}", w.t.name);
        assert_eq!(s.cutoffs["probable_ptsd"], 31);
    }
}

#[tokio::test]
async fn a_critical_answer_alerts_the_case_team_and_supervisors_until_followed_up() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let other_cm = staff(&w.app, a, Role::CaseManager, "cm2").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let alerts = |who: Actor| {
            let app = w.app.clone();
            async move { app.dashboard(&api(who), 30).await.unwrap().alerts }
        };

        // No case yet: only the supervisors are alerted.
        let lone = person(&w.app, cm).await;
        let s = w.app.run_screening(&api(cm), lone, phq9([0, 0, 0, 0, 0, 0, 0, 0, 1])).await.unwrap();
        assert_eq!(s.flags, ["suicide_risk"], "{name}");
        let task = s.alert_task.expect("alert task");
        assert_eq!(alerts(supervisor).await.iter().map(|t| t.id).collect::<Vec<_>>(), [task], "{name}");
        assert!(alerts(cm).await.is_empty(), "{name}: no case, no team");
        let t = &alerts(supervisor).await[0];
        assert_eq!(
            (t.kind.as_str(), t.due_on, t.case_id),
            ("screening_alert", Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).single().unwrap().date_naive(), None)
        );

        // With a case: its team (the case manager) and the supervisors; not other staff.
        let p = person(&w.app, cm).await;
        let case = w
            .app
            .open_case(
                &api(cm),
                p,
                CaseFields {
                    assigned_to: Some(cm.user),
                    team: Some(vec![cm.user, clinician.user]),
                    ..CaseFields::default()
                },
            )
            .await
            .unwrap();
        // A high total without item 9 raises nothing.
        let quiet = w.app.run_screening(&api(clinician), p, phq9([3, 3, 3, 3, 3, 3, 3, 3, 0])).await.unwrap();
        assert!(quiet.alert_task.is_none() && quiet.flags.is_empty(), "{name}");
        let s = w.app.run_screening(&api(clinician), p, phq9([0, 0, 0, 0, 0, 0, 0, 0, 2])).await.unwrap();
        let task = s.alert_task.expect("alert task");
        let cm_alerts = alerts(cm).await;
        assert_eq!(cm_alerts.iter().map(|t| t.id).collect::<Vec<_>>(), [task], "{name}");
        assert_eq!(cm_alerts[0].case_id, Some(case.id), "{name}");
        assert_eq!(alerts(supervisor).await.len(), 2, "{name}");
        assert!(alerts(other_cm).await.is_empty(), "{name}");
        // Still there the next day (overdue), until someone records the follow-up.
        w.clock.advance(Duration::days(1));
        assert_eq!(alerts(cm).await.len(), 1, "{name}");
        w.app.complete_task(&api(cm), task, cm_alerts[0].version).await.unwrap();
        assert!(alerts(cm).await.is_empty(), "{name}");
        assert_eq!(alerts(supervisor).await.len(), 1, "{name}: the case's alert is done for everyone");
        // The trafficking screen's minors item is critical too.
        let n = amparo_app::screenings::catalogue().unwrap().get("trafficking_indicators").unwrap().items.len();
        let mut answers = vec![0; n];
        answers[n - 1] = 1;
        let input =
            ScreeningInput { instrument: "trafficking_indicators".into(), answers, ..ScreeningInput::default() };
        let s = w.app.run_screening(&api(cm), p, input).await.unwrap();
        assert_eq!(s.critical_flags, ["minor_indicators"], "{name}");
        assert_eq!(alerts(cm).await.len(), 1, "{name}");
    }
}

#[tokio::test]
async fn trends_are_totals_per_instrument_in_time_order() {
    for w in worlds(AppConfig::default()).await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let p = person(&w.app, cm).await;
        for (days, answers) in [(0, [3; 9]), (14, [2, 2, 2, 2, 2, 2, 2, 0, 0]), (28, [1, 1, 1, 0, 0, 0, 0, 0, 0])] {
            if days > 0 {
                w.clock.advance(Duration::days(14));
            }
            w.app.run_screening(&api(cm), p, phq9(answers)).await.unwrap();
        }
        let gad = ScreeningInput { instrument: "gad7".into(), answers: vec![1; 7], ..ScreeningInput::default() };
        w.app.run_screening(&api(cm), p, gad).await.unwrap();
        let trends = w.app.screening_trends(&api(cm), p).await.unwrap();
        let shape: Vec<(&str, Vec<u32>)> =
            trends.iter().map(|t| (t.instrument.as_str(), t.points.iter().map(|x| x.total).collect())).collect();
        assert_eq!(shape, [("phq9", vec![27, 14, 3]), ("gad7", vec![7])], "{}", w.t.name);
        assert_eq!(trends[0].points[1].band.as_deref(), Some("moderate"));
        assert!(trends[0].points[0].taken_on < trends[0].points[2].taken_on);
    }
}
