//! Outreach and training events on every backend: who may record and read them, notes sealed
//! at rest, version-checked corrections, refused input with its field and code, periods, and
//! the audit entries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use amparo_app::events::{EventInput, EventPeriod};
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::events::EventProblem;
use amparo_domain::{DomainError, Role};
use chrono::NaiveDate;

use support::{api, org, staff, worlds};

fn talk(held_on: &str) -> EventInput {
    EventInput {
        kind: "prevention_talk".into(),
        held_on: held_on.into(),
        region: "mx-chh".into(),
        setting: "school".into(),
        audiences: vec!["students".into(), "parents".into(), "students".into()],
        attendance_total: Some(45),
        attendance_women: Some(25),
        attendance_men: Some(20),
        attendance_youth: Some(38),
        materials: vec!["flyers".into(), "presentation".into()],
        languages: vec!["es".into(), "tar".into()],
        notes: Some("  La directora pidió otra plática para el turno vespertino.  ".into()),
    }
}

fn period(from: &str, to: &str) -> EventPeriod {
    EventPeriod { from: Some(from.into()), to: Some(to.into()) }
}

#[tokio::test]
async fn prevention_roles_record_events_every_role_lists_them_and_notes_are_sealed() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let volunteer = staff(&w.app, o, Role::Volunteer, "voluntaria").await;
        let e = w.app.record_outreach_event(&api(volunteer), talk("2026-10-15")).await.expect("record");
        assert_eq!(e.version, 1);
        assert_eq!((e.region.as_str(), e.setting.as_str()), ("MX-CHH", "school"), "{}", w.t.name);
        assert_eq!(e.audiences, vec!["students", "parents"], "{}", w.t.name);
        assert_eq!(e.notes.as_deref(), Some("La directora pidió otra plática para el turno vespertino."));
        assert_eq!(e.created_by, volunteer.user);

        // Sealed at rest: the row holds no plaintext of the notes.
        let row = w.t.store.outreach_event(e.id).await.unwrap().expect("stored");
        let sealed = row.notes.clone().expect("notes");
        assert!(!String::from_utf8_lossy(&sealed).contains("directora"), "{}", w.t.name);

        // Who may record: each role written out.
        for (role, may_record) in [
            (Role::Administrator, true),
            (Role::Supervisor, true),
            (Role::CaseManager, true),
            (Role::Hotline, true),
            (Role::Clinician, false),
            (Role::ShelterStaff, false),
            (Role::Analyst, false),
        ] {
            let who = staff(&w.app, o, role, role.code()).await;
            let got = w.app.record_outreach_event(&api(who), talk("2026-10-16")).await;
            assert_eq!(got.is_ok(), may_record, "{role} {}", w.t.name);
            if !may_record {
                assert!(matches!(got, Err(AppError::Forbidden(_))), "{role}");
                let upd = w.app.update_outreach_event(&api(who), e.id, Some(1), talk("2026-10-15")).await;
                assert!(matches!(upd, Err(AppError::Forbidden(_))), "{role}");
            }
            // Every role reads the list and one event.
            let list = w.app.outreach_events(&api(who), &period("2026-10-15", "2026-10-15")).await.expect("list");
            assert_eq!(list.iter().map(|v| v.id).collect::<Vec<_>>(), vec![e.id], "{role} {}", w.t.name);
            // Lists do not open the notes.
            assert_eq!(list[0].notes, None);
            assert_eq!(w.app.outreach_event(&api(who), e.id).await.expect("read").notes, e.notes, "{role}");
        }

        // Another organisation sees none of it, and cannot change it.
        let other = org(&w.app, "Sur").await;
        let theirs = staff(&w.app, other, Role::Supervisor, "sup").await;
        assert!(w.app.outreach_events(&api(theirs), &EventPeriod::default()).await.unwrap().is_empty());
        assert!(matches!(w.app.outreach_event(&api(theirs), e.id).await, Err(AppError::NotFound)));
        assert!(matches!(
            w.app.update_outreach_event(&api(theirs), e.id, Some(1), talk("2026-10-15")).await,
            Err(AppError::NotFound)
        ));
        // The command line records no events (they are recorded under a person's name).
        assert!(matches!(
            w.app.record_outreach_event(&Caller::Operator, talk("2026-10-15")).await,
            Err(AppError::Forbidden(_))
        ));

        // Audited: the creation by its author, the listings, and the refusals.
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let created = log.iter().find(|x| x.draft.action == "event.create").expect("create audited");
        assert_eq!(created.draft.actor, Some(volunteer.user));
        assert_eq!(created.draft.target_id, Some(*e.id.as_uuid()));
        assert_eq!(created.draft.detail.as_deref(), Some("prevention_talk"));
        assert!(log.iter().any(|x| x.draft.action == "event.list" && x.draft.outcome.code() == "ok"));
        assert!(
            log.iter()
                .any(|x| x.draft.action == "event.create" && x.draft.detail.as_deref() == Some("role_lacks_permission"))
        );
    }
}

#[tokio::test]
async fn corrections_are_version_checked_and_keep_the_notes_sealed() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let hotline = staff(&w.app, o, Role::Hotline, "linea").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let e = w.app.record_outreach_event(&api(hotline), talk("2026-10-15")).await.unwrap();

        let change = EventInput {
            kind: "workshop".into(),
            attendance_total: Some(60),
            notes: Some("Se sumaron maestras de otra escuela.".into()),
            ..talk("2026-10-17")
        };
        let saved = w.app.update_outreach_event(&api(sup), e.id, Some(1), change.clone()).await.expect("update");
        assert_eq!(saved.version, 2, "{}", w.t.name);
        assert_eq!((saved.kind.as_str(), saved.attendance_total), ("workshop", 60));
        assert_eq!(saved.held_on, NaiveDate::from_ymd_opt(2026, 10, 17).unwrap());
        assert_eq!(saved.notes.as_deref(), Some("Se sumaron maestras de otra escuela."));
        assert_eq!(w.app.outreach_event(&api(hotline), e.id).await.unwrap(), saved);
        // A stale or missing version is a conflict; nothing changes.
        for stale in [Some(1), None, Some(7)] {
            let got = w.app.update_outreach_event(&api(hotline), e.id, stale, talk("2026-01-01")).await;
            assert!(matches!(got, Err(AppError::Conflict)), "{stale:?} {}", w.t.name);
        }
        assert_eq!(w.app.outreach_event(&api(hotline), e.id).await.unwrap().version, 2);
        // Clearing the notes clears them.
        let cleared = w
            .app
            .update_outreach_event(&api(hotline), e.id, Some(2), EventInput { notes: Some("  ".into()), ..change })
            .await
            .unwrap();
        assert_eq!(cleared.notes, None);
        assert_eq!(w.t.store.outreach_event(e.id).await.unwrap().unwrap().notes, None);
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        assert_eq!(
            log.iter().filter(|x| x.draft.action == "event.update" && x.draft.outcome.code() == "ok").count(),
            2
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field_and_code_and_nothing_is_stored() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
        let good = talk("2026-10-15");
        let cases: Vec<(EventInput, &str, DomainError)> = vec![
            (EventInput { kind: "fiesta".into(), ..good.clone() }, "kind", DomainError::UnknownCode),
            (EventInput { held_on: "15/10/2026".into(), ..good.clone() }, "held_on", EventProblem::DateInvalid.into()),
            (EventInput { held_on: "".into(), ..good.clone() }, "held_on", EventProblem::DateInvalid.into()),
            (EventInput { region: "".into(), ..good.clone() }, "region", EventProblem::RegionRequired.into()),
            (EventInput { region: "MX-XXX".into(), ..good.clone() }, "region", DomainError::UnknownCode),
            (EventInput { setting: "bar".into(), ..good.clone() }, "setting", DomainError::UnknownCode),
            (EventInput { audiences: vec![], ..good.clone() }, "audiences", EventProblem::AudienceRequired.into()),
            (EventInput { audiences: vec!["martians".into()], ..good.clone() }, "audiences", DomainError::UnknownCode),
            (
                EventInput { attendance_total: None, ..good.clone() },
                "attendance_total",
                EventProblem::AttendanceInvalid.into(),
            ),
            (
                EventInput { attendance_total: Some(-3), ..good.clone() },
                "attendance_total",
                EventProblem::AttendanceInvalid.into(),
            ),
            (
                EventInput { attendance_total: Some(40), ..good.clone() },
                "attendance_women",
                EventProblem::BreakdownExceedsTotal.into(),
            ),
            (
                EventInput { attendance_youth: Some(46), ..good.clone() },
                "attendance_youth",
                EventProblem::BreakdownExceedsTotal.into(),
            ),
            (EventInput { materials: vec!["tshirts".into()], ..good.clone() }, "materials", DomainError::UnknownCode),
            (EventInput { languages: vec!["klingon".into()], ..good.clone() }, "languages", DomainError::UnknownCode),
            (EventInput { notes: Some("a".repeat(2_001)), ..good.clone() }, "notes", EventProblem::NotesTooLong.into()),
        ];
        for (input, field, problem) in cases {
            let got = w.app.record_outreach_event(&api(cm), input).await.expect_err("refused");
            assert_eq!(got.invalid_field(), Some((field, problem)), "{field} {}", w.t.name);
            assert_eq!(got.code(), problem.code());
        }
        // The same checks on a correction.
        let e = w.app.record_outreach_event(&api(cm), good.clone()).await.unwrap();
        let bad = EventInput { attendance_men: Some(21), ..good.clone() };
        let got = w.app.update_outreach_event(&api(cm), e.id, Some(1), bad).await.expect_err("refused");
        assert_eq!(got.code(), "event_breakdown_exceeds_total");
        assert_eq!(w.app.outreach_events(&api(cm), &EventPeriod::default()).await.unwrap().len(), 1, "{}", w.t.name);

        // Periods: a reversed one, or a date that is not one, is refused.
        let got = w.app.outreach_events(&api(cm), &period("2026-10-31", "2026-10-01")).await.expect_err("reversed");
        assert_eq!(got.invalid_field(), Some(("to", EventProblem::PeriodReversed.into())));
        let got = w.app.outreach_events(&api(cm), &period("octubre", "")).await.expect_err("not a date");
        assert_eq!(got.invalid_field(), Some(("from", EventProblem::DateInvalid.into())));
    }
}

#[tokio::test]
async fn the_list_is_by_date_within_the_period() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let v = staff(&w.app, o, Role::Volunteer, "v").await;
        let mut ids = Vec::new();
        for d in ["2026-11-20", "2026-09-01", "2026-10-05", "2026-10-31"] {
            ids.push((d, w.app.record_outreach_event(&api(v), talk(d)).await.unwrap().id));
        }
        let id = |d: &str| ids.iter().find(|(x, _)| *x == d).unwrap().1;
        let listed = |p: EventPeriod| {
            let app = w.app.clone();
            async move { app.outreach_events(&api(v), &p).await.unwrap().into_iter().map(|e| e.id).collect::<Vec<_>>() }
        };
        assert_eq!(
            listed(EventPeriod::default()).await,
            vec![id("2026-09-01"), id("2026-10-05"), id("2026-10-31"), id("2026-11-20")],
            "{}",
            w.t.name
        );
        assert_eq!(listed(period("2026-10-01", "2026-10-31")).await, vec![id("2026-10-05"), id("2026-10-31")]);
        assert_eq!(
            listed(EventPeriod { from: Some("2026-10-06".into()), to: None }).await,
            vec![id("2026-10-31"), id("2026-11-20")]
        );
    }
}
