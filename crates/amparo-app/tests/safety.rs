//! Safety plans and the crisis log on every backend: every save is a new version and the old
//! ones stay readable with who and when; the safety section decides who reads and writes
//! (shelter staff and hotline yes, clinicians and volunteers no, other organisations never);
//! the printed plan carries the agency's name only when the survivor agreed; a crisis contact
//! creates its follow-up task; nothing readable reaches the disk or the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "safety_support/mod.rs"]
mod support;

use chrono::{Duration, NaiveDate};

use amparo_app::AppError;
use amparo_app::casework::TaskInput;
use amparo_app::records::{CaseFields, PersonFields, SafeContact};
use amparo_app::safety::{CrisisContactInput, PlanTexts, SafetyPlanInput};
use amparo_domain::records::{Answer, ContactChannel};
use amparo_domain::{Actor, CaseId, DomainError, Language, PersonId, Role};

use support::{api, org, staff, start, worlds};

async fn person_with_case(app: &amparo_app::Amparo, by: Actor, team: Vec<Actor>) -> (PersonId, CaseId) {
    let f = PersonFields { alias: Some(Answer::Value("Lupita".into())), ..PersonFields::default() };
    let p = app.create_person(&api(by), f).await.unwrap();
    let mut members: Vec<_> = team.iter().map(|a| a.user).collect();
    members.push(by.user);
    let c = app.open_case(&api(by), p.id, CaseFields { team: Some(members), ..CaseFields::default() }).await.unwrap();
    (p.id, c.id)
}

fn plan(language: &str, warning: &str, base_version: Option<i64>) -> SafetyPlanInput {
    SafetyPlanInput {
        language: language.into(),
        show_agency_name: false,
        base_version,
        texts: PlanTexts {
            warning_signs: Some(warning.into()),
            safe_places: Some("La casa de mi tía\nLa iglesia de la esquina".into()),
            code_words: Some(r#"#panic("x") *rojo* $x$ ] ""#.into()),
            ..PlanTexts::default()
        },
    }
}

fn crisis(what: &str) -> CrisisContactInput {
    CrisisContactInput {
        occurred_at: Some(start() - Duration::hours(3)),
        what_happened: what.into(),
        actions_taken: Some("Plan de seguridad revisado".into()),
        referrals_made: Some("Refugio temporal".into()),
    }
}

fn field_of(e: AppError) -> String {
    e.invalid_field().map(|(f, _)| f.to_owned()).unwrap_or_else(|| format!("not an input error: {e:?}"))
}

#[tokio::test]
async fn every_save_is_a_new_version_and_earlier_versions_stay_readable_with_who_and_when() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let (p, _) = person_with_case(&w.app, cm, vec![shelter]).await;
        assert!(w.app.safety_plan(&api(cm), p).await.unwrap().is_none(), "{}: no plan yet", w.t.name);

        let v1 = w.app.save_safety_plan(&api(cm), p, plan("es", "Cuando llega enojado", Some(0))).await.unwrap();
        assert_eq!(v1.version, 1, "{}", w.t.name);
        w.clock.advance(Duration::hours(1));
        let v2 = w.app.save_safety_plan(&api(shelter), p, plan("en", "When he drinks", Some(1))).await.unwrap();
        assert_eq!(v2.version, 2, "{}", w.t.name);

        let latest = w.app.safety_plan(&api(cm), p).await.unwrap().unwrap();
        assert_eq!((latest.id, latest.version, latest.language), (v2.id, 2, Language::En), "{}", w.t.name);
        assert_eq!(latest.texts.warning_signs.as_deref(), Some("When he drinks"), "{}", w.t.name);
        assert_eq!(latest.texts.code_words.as_deref(), Some(r#"#panic("x") *rojo* $x$ ] ""#), "{}", w.t.name);
        assert_eq!(latest.created_by, Some(shelter.user), "{}", w.t.name);
        assert!(latest.latest && latest.created_by_name.is_some(), "{}", w.t.name);

        let first = w.app.safety_plan_version(&api(shelter), p, 1).await.unwrap();
        assert_eq!(first.texts.warning_signs.as_deref(), Some("Cuando llega enojado"), "{}: kept", w.t.name);
        assert_eq!((first.language, first.created_by, first.latest), (Language::Es, Some(cm.user), false));
        assert_eq!(first.created_at, start(), "{}", w.t.name);

        let history = w.app.safety_plan_versions(&api(cm), p).await.unwrap();
        let seen: Vec<_> = history.iter().map(|v| (v.version, v.created_by, v.created_at)).collect();
        assert_eq!(
            seen,
            vec![(2, Some(shelter.user), start() + Duration::hours(1)), (1, Some(cm.user), start())],
            "{}: newest first",
            w.t.name
        );

        // Someone who started from version 1 while version 2 was saved: a conflict, nothing lost.
        let stale = w.app.save_safety_plan(&api(cm), p, plan("es", "otra cosa", Some(1))).await;
        assert!(matches!(stale, Err(AppError::Conflict)), "{}: {stale:?}", w.t.name);
        assert!(matches!(w.app.safety_plan_version(&api(cm), p, 3).await, Err(AppError::NotFound)));
        // The API may leave the base version out: the save goes on top.
        let v3 = w.app.save_safety_plan(&api(cm), p, plan("es", "tercera", None)).await.unwrap();
        assert_eq!(v3.version, 3, "{}", w.t.name);
        assert_eq!(w.app.safety_plan_versions(&api(cm), p).await.unwrap().len(), 3, "{}", w.t.name);
    }
}

#[tokio::test]
async fn bad_input_names_its_field_and_saves_nothing() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (p, _) = person_with_case(&w.app, cm, vec![]).await;
        let e = w.app.save_safety_plan(&api(cm), p, plan("fr", "x", None)).await.unwrap_err();
        assert_eq!(e.invalid_field(), Some(("language", DomainError::UnknownLanguage)), "{}", w.t.name);
        let mut long = plan("es", "x", None);
        long.texts.digital_safety = Some("a".repeat(20_001));
        assert_eq!(field_of(w.app.save_safety_plan(&api(cm), p, long).await.unwrap_err()), "digital_safety");
        assert!(w.app.safety_plan(&api(cm), p).await.unwrap().is_none(), "{}", w.t.name);

        for (what, input, field) in [
            ("empty", crisis("  "), "what_happened"),
            ("too long", crisis(&"x".repeat(501)), "what_happened"),
            (
                "in the future",
                CrisisContactInput { occurred_at: Some(start() + Duration::hours(2)), ..crisis("ok") },
                "occurred_at",
            ),
        ] {
            let e = w.app.log_crisis_contact(&api(cm), p, input).await.unwrap_err();
            assert_eq!(field_of(e), field, "{}: {what}", w.t.name);
        }
        assert!(w.app.crisis_contacts(&api(cm), p).await.unwrap().is_empty(), "{}", w.t.name);
    }
}

#[tokio::test]
async fn the_safety_section_is_read_and_written_by_the_roles_the_domain_allows() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clinician").await;
        let volunteer = staff(&w.app, a, Role::Volunteer, "volunteer").await;
        let outsider_cm = staff(&w.app, a, Role::CaseManager, "outsider").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let other_org = staff(&w.app, b, Role::Supervisor, "other").await;
        let (p, _) = person_with_case(&w.app, cm, vec![shelter, hotline, clinician, volunteer]).await;
        w.app.save_safety_plan(&api(cm), p, plan("es", "inicio", None)).await.unwrap();

        for (who, actor) in [("shelter staff", shelter), ("hotline", hotline), ("supervisor", supervisor)] {
            assert!(w.app.safety_plan(&api(actor), p).await.unwrap().is_some(), "{}: {who} reads", w.t.name);
            w.app.save_safety_plan(&api(actor), p, plan("es", who, None)).await.unwrap();
            w.app.log_crisis_contact(&api(actor), p, crisis(who)).await.unwrap();
            assert!(!w.app.crisis_contacts(&api(actor), p).await.unwrap().is_empty(), "{}: {who}", w.t.name);
            let can = w.app.safety_can(&api(actor), p).await.unwrap();
            assert!(can.read && can.write, "{}: {who}", w.t.name);
        }
        for (who, actor) in
            [("clinician", clinician), ("volunteer", volunteer), ("case manager off the team", outsider_cm)]
        {
            let refused = |r: Result<_, AppError>| matches!(r, Err(AppError::Forbidden(_)));
            assert!(refused(w.app.safety_plan(&api(actor), p).await.map(|_| ())), "{}: {who}", w.t.name);
            assert!(refused(w.app.safety_plan_version(&api(actor), p, 1).await.map(|_| ())), "{who}");
            assert!(refused(w.app.safety_plan_versions(&api(actor), p).await.map(|_| ())), "{who}");
            assert!(refused(w.app.safety_plan_to_print(&api(actor), p).await.map(|_| ())), "{who}");
            assert!(refused(w.app.save_safety_plan(&api(actor), p, plan("es", who, None)).await.map(|_| ())), "{who}");
            assert!(refused(w.app.log_crisis_contact(&api(actor), p, crisis(who)).await.map(|_| ())), "{who}");
            assert!(refused(w.app.crisis_contacts(&api(actor), p).await.map(|_| ())), "{who}");
            let can = w.app.safety_can(&api(actor), p).await.unwrap();
            assert!(!can.read && !can.write, "{}: {who}", w.t.name);
        }
        // Another organisation does not learn the person exists.
        assert!(matches!(w.app.safety_plan(&api(other_org), p).await, Err(AppError::NotFound)));
        assert!(matches!(
            w.app.save_safety_plan(&api(other_org), p, plan("es", "x", None)).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(w.app.crisis_contacts(&api(other_org), p).await, Err(AppError::NotFound)));
        // Refusals wrote nothing: versions 1 to 4 (the first and one per allowed role).
        assert_eq!(w.app.safety_plan_versions(&api(cm), p).await.unwrap().len(), 4, "{}", w.t.name);
        assert_eq!(w.app.crisis_contacts(&api(cm), p).await.unwrap().len(), 3, "{}", w.t.name);
    }
}

#[tokio::test]
async fn the_printed_plan_names_the_agency_only_when_the_survivor_agreed() {
    for w in worlds().await {
        let a = org(&w.app, "Esperanza").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (p, _) = person_with_case(&w.app, cm, vec![]).await;
        assert!(matches!(w.app.safety_plan_to_print(&api(cm), p).await, Err(AppError::NotFound)), "no plan");
        w.app.save_safety_plan(&api(cm), p, plan("es", "uno", None)).await.unwrap();
        let print = w.app.safety_plan_to_print(&api(cm), p).await.unwrap();
        assert_eq!(print.agency_name, None, "{}: by default", w.t.name);
        w.app
            .save_safety_plan(&api(cm), p, SafetyPlanInput { show_agency_name: true, ..plan("es", "dos", None) })
            .await
            .unwrap();
        let print = w.app.safety_plan_to_print(&api(cm), p).await.unwrap();
        assert_eq!(print.agency_name.as_deref(), Some("Esperanza"), "{}", w.t.name);
        assert_eq!(print.plan.texts.warning_signs.as_deref(), Some("dos"), "{}: the newest", w.t.name);
    }
}

#[tokio::test]
async fn the_plan_shows_the_safe_contact_rules_of_the_persons_record() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (p, _) = person_with_case(&w.app, cm, vec![]).await;
        let rules = vec![
            SafeContact {
                channel: Some(ContactChannel::Whatsapp),
                safe: true,
                safe_times: Some("9 a 12".into()),
                ..SafeContact::default()
            },
            SafeContact { channel: Some(ContactChannel::Phone), safe: false, ..SafeContact::default() },
        ];
        let fields = PersonFields { safe_contact: Some(rules.clone()), ..PersonFields::default() };
        w.app.update_person(&api(cm), p, Some(1), fields).await.unwrap();
        w.app.save_safety_plan(&api(cm), p, plan("es", "uno", None)).await.unwrap();
        let view = w.app.safety_plan(&api(cm), p).await.unwrap().unwrap();
        assert_eq!(view.safe_contact, rules, "{}", w.t.name);
    }
}

#[tokio::test]
async fn a_crisis_contact_asks_for_a_follow_up_the_next_day_from_the_case_assignee() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clinician").await;
        let (p, c) = person_with_case(&w.app, cm, vec![shelter, clinician]).await;
        // Logged by shelter staff: the follow-up goes to the case's assignee (who opened it).
        let logged = w.app.log_crisis_contact(&api(shelter), p, crisis("Llamó con miedo de noche")).await.unwrap();
        let task_id = logged.follow_up_task.expect("a follow-up task");
        let later = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mine = w.app.my_tasks(&api(cm), later).await.unwrap();
        let task = mine.iter().find(|t| t.id == task_id).expect("on the assignee's list");
        assert_eq!(task.kind, "crisis_follow_up", "{}", w.t.name);
        assert_eq!(task.due_on, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(), "{}: the next day", w.t.name);
        assert_eq!(
            (task.case_id, task.assigned_to, task.source_id),
            (Some(c), Some(cm.user), Some(*logged.id.as_uuid()))
        );
        assert!(
            w.app.team_tasks(&api(shelter), later).await.unwrap().iter().any(|t| t.id == task_id),
            "shelter sees it"
        );
        assert!(
            !w.app.team_tasks(&api(clinician), later).await.unwrap().iter().any(|t| t.id == task_id),
            "{}: a clinician does not see safety tasks",
            w.t.name
        );
        // Done by the one who follows up.
        w.app.complete_task(&api(cm), task_id, task.version).await.unwrap();

        let log = w.app.crisis_contacts(&api(cm), p).await.unwrap();
        assert_eq!(log.len(), 1, "{}", w.t.name);
        assert_eq!(log[0].what_happened, "Llamó con miedo de noche");
        assert_eq!(log[0].actions_taken.as_deref(), Some("Plan de seguridad revisado"));
        assert_eq!(log[0].referrals_made.as_deref(), Some("Refugio temporal"));
        assert_eq!((log[0].occurred_at, log[0].created_by), (start() - Duration::hours(3), Some(shelter.user)));

        // Before any case, the one who logged it owns the follow-up.
        let f = PersonFields { alias: Some(Answer::Value("Sin caso".into())), ..PersonFields::default() };
        let alone = w.app.create_person(&api(cm), f).await.unwrap().id;
        let logged = w.app.log_crisis_contact(&api(cm), alone, crisis("Primera llamada")).await.unwrap();
        let mine = w.app.my_tasks(&api(cm), later).await.unwrap();
        let t = mine.iter().find(|t| Some(t.id) == logged.follow_up_task).expect("the logger's task");
        assert_eq!((t.case_id, t.assigned_to), (None, Some(cm.user)), "{}", w.t.name);
        // A manual task is still a different thing (the kinds do not mix).
        w.app
            .create_task(&api(cm), c, TaskInput { title: "x".into(), due_on: later, assigned_to: None })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn no_plan_or_crisis_text_reaches_the_disk_and_reads_are_audited_with_ids_only() {
    let w = worlds().await.into_iter().next().unwrap();
    assert_eq!(w.t.name, "sqlite");
    let a = org(&w.app, "Norte").await;
    let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
    let (p, _) = person_with_case(&w.app, cm, vec![]).await;
    let canaries = ["Canarioxyz warning", "Canarioxyz children", "Canarioxyz crisis", "Canarioxyz referral"];
    let mut input = plan("es", canaries[0], None);
    input.texts.children_plan = Some(canaries[1].into());
    w.app.save_safety_plan(&api(cm), p, input).await.unwrap();
    let mut c = crisis(canaries[2]);
    c.referrals_made = Some(canaries[3].into());
    w.app.log_crisis_contact(&api(cm), p, c).await.unwrap();
    w.app.safety_plan(&api(cm), p).await.unwrap();
    w.app.safety_plan_version(&api(cm), p, 1).await.unwrap();
    w.app.safety_plan_versions(&api(cm), p).await.unwrap();
    w.app.safety_plan_to_print(&api(cm), p).await.unwrap();
    w.app.crisis_contacts(&api(cm), p).await.unwrap();

    let found = support::plaintext_on_disk(w.t.sqlite_data_dir().unwrap(), &canaries);
    assert!(found.is_empty(), "plaintext on disk: {found:?}");

    let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
    let ours: Vec<_> = log.iter().filter(|e| e.draft.target_id == Some(*p.as_uuid())).collect();
    let actions: Vec<&str> = ours.iter().map(|e| e.draft.action.as_str()).collect();
    for wanted in [
        "safety_plan.save",
        "safety_plan.read",
        "safety_plan.history",
        "safety_plan.print",
        "crisis.log",
        "crisis.list",
    ] {
        assert!(actions.contains(&wanted), "{wanted} not audited: {actions:?}");
    }
    let leaked = support::canaries_in_audit(&log, &canaries);
    assert!(leaked.is_empty(), "text in the audit log: {leaked:?}");
}
