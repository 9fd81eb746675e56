//! Case work on every backend: each kind of entry round-trips, versions conflict, sections
//! decide who reads and writes what, restricted cases stay hidden, dates become tasks, the
//! timeline is in order, nothing readable reaches the disk, erasure takes everything, and
//! every write is audited without its text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::casework::{
    AppointmentInput, CalendarText, EntryDetail, GoalInput, GoalStep, LegalReliefInput, MilestoneInput,
    NeedsAssessmentInput, NoteInput, ServiceInput, TaskInput,
};
use amparo_app::records::{CaseFields, ConsentInput, PersonFields, SafeContact};
use amparo_app::{Amparo, AppConfig, AppError, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::records::{Answer, ContactChannel, EntryKind};
use amparo_domain::{Actor, CaseId, DomainError, Language, OrgId, PersonId, Role};
use amparo_store_tests::TestStore;

const PASSWORD: &str = "una contraseña larga de prueba";

struct World {
    app: Amparo,
    _clock: Arc<ManualClock>,
    _keys: tempfile::TempDir,
    t: TestStore,
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        let keys = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap()));
        let app = Amparo::new(Deps {
            store: Arc::clone(&t.store),
            keys: Arc::new(KeyRing::new(&MasterKey::generate())),
            key_dir: keys.path().to_owned(),
            config: AppConfig::default(),
            clock: clock.clone(),
            password_params: PasswordParams::insecure_for_tests(),
        });
        out.push(World { app, _clock: clock, _keys: keys, t });
    }
    out
}

fn api(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Api }
}

async fn org(app: &Amparo, name: &str) -> OrgId {
    let (org, _) = app
        .add_organisation(NewInstallation {
            org_name: name.into(),
            admin_email: format!("admin@{}.org", name.to_lowercase()),
            admin_name: None,
            admin_password: pw(PASSWORD),
            language: Language::Es,
        })
        .await
        .unwrap();
    org
}

async fn staff(app: &Amparo, org: OrgId, role: Role, tag: &str) -> Actor {
    let u = app
        .add_user(
            &Caller::Operator,
            NewUser {
                org,
                email: format!("{tag}@{}.org", org.to_string().get(..8).unwrap()),
                name: None,
                role,
                language: Language::Es,
                initial_password: pw(PASSWORD),
            },
        )
        .await
        .unwrap();
    Actor { user: u.id, org, role, clearance: new_user_clearance(role) }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 2)
}

async fn person_with_case(app: &Amparo, by: Actor, team: Vec<Actor>) -> (PersonId, CaseId) {
    let f = PersonFields { alias: Some(Answer::Value("Lupita".into())), ..PersonFields::default() };
    let p = app.create_person(&api(by), f).await.unwrap();
    let mut members: Vec<_> = team.iter().map(|a| a.user).collect();
    members.push(by.user);
    let c = app.open_case(&api(by), p.id, CaseFields { team: Some(members), ..CaseFields::default() }).await.unwrap();
    (p.id, c.id)
}

fn goal(text: &str) -> GoalInput {
    GoalInput {
        domain: "housing".into(),
        text: text.into(),
        chosen_by_survivor: true,
        language: Some("es".into()),
        steps: vec![GoalStep { text: "Buscar cuarto cerca de la escuela".into(), who: Some("ella".into()) }],
        target_on: Some(d(2027, 2, 1)),
        ..GoalInput::default()
    }
}

fn service() -> ServiceInput {
    ServiceInput {
        category: "accompaniment".into(),
        date: d(2026, 10, 30),
        minutes: Some(120),
        interpreter_used: true,
        interpreter_language: Some("mam".into()),
        notes: Some("Fuimos juntas al consulado".into()),
        ..ServiceInput::default()
    }
}

fn note(text: &str) -> NoteInput {
    NoteInput {
        kind: "contact".into(),
        text: text.into(),
        language: Some("es".into()),
        content_note: true,
        translation: Some("We talked by phone".into()),
        translation_language: Some("en".into()),
        date: Some(d(2026, 11, 1)),
        ..NoteInput::default()
    }
}

fn continued_presence(expires_on: NaiveDate) -> LegalReliefInput {
    LegalReliefInput {
        kind: "continued_presence".into(),
        status: "granted".into(),
        granted_on: Some(d(2025, 3, 1)),
        expires_on: Some(expires_on),
        receipt_number: Some("EAC2612345678".into()),
        a_number: Some("A123456789".into()),
        ..LegalReliefInput::default()
    }
}

#[tokio::test]
async fn every_kind_of_entry_round_trips_with_its_text_exactly_as_given() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let caller = api(cm);
        let text = "  Quiero un lugar propio para mí y mi hija 🙂 \n(sin prisa)  ";
        let g = w.app.add_goal(&caller, c, goal(text)).await.unwrap();
        assert_eq!(g.version, 1, "{name}");
        let s = w.app.add_service(&caller, c, service()).await.unwrap();
        let m_own = MilestoneInput {
            kind: "own".into(),
            date: d(2026, 9, 15),
            text: Some("Abrí mi primera cuenta y nadie me la quitó".into()),
            language: Some("es".into()),
            version: None,
        };
        let m = w.app.add_milestone(&caller, c, m_own.clone()).await.unwrap();
        let l = w.app.add_legal_relief(&caller, c, continued_presence(d(2027, 3, 1))).await.unwrap();
        let appt = AppointmentInput {
            date: d(2026, 11, 20),
            time: Some("9:30".into()),
            place: Some("court".into()),
            purpose: Some("Audiencia, llevar acta".into()),
            category: Some("accompaniment".into()),
            accompanied_by: Some(cm.user),
            reminder_days: Some(2),
            ..AppointmentInput::default()
        };
        let ap = w.app.add_appointment(&caller, c, appt).await.unwrap();
        let n = w.app.add_note(&caller, c, note("Hablamos por teléfono; está bien.")).await.unwrap();
        let ratings: BTreeMap<String, String> =
            [("safety", "stable"), ("housing", "in_crisis"), ("community_faith", "not_discussed")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let na = w
            .app
            .add_needs_assessment(
                &caller,
                c,
                NeedsAssessmentInput { date: d(2026, 10, 1), ratings: ratings.clone(), ..Default::default() },
            )
            .await
            .unwrap();

        let read = |id| w.app.case_entry(&caller, id);
        match read(g.id).await.unwrap().detail {
            EntryDetail::Goal(got) => {
                assert_eq!(got.text, text, "{name}: the survivor's words, spaces and all");
                assert_eq!(got.language.as_deref(), Some("es"), "{name}");
                assert_eq!(got.steps, goal(text).steps, "{name}");
                assert!(got.chosen_by_survivor, "{name}");
                assert_eq!(got.status.as_deref(), Some("open"), "{name}");
                assert_eq!(got.target_on, Some(d(2027, 2, 1)), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        match read(s.id).await.unwrap().detail {
            EntryDetail::Service(got) => {
                assert_eq!(got.delivered_by, Some(cm.user), "{name}: the caller delivered it");
                assert_eq!(ServiceInput { delivered_by: None, ..got }, service(), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        match read(m.id).await.unwrap().detail {
            EntryDetail::Milestone(got) => assert_eq!(got, m_own, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        let relief = read(l.id).await.unwrap();
        assert_eq!(relief.restricted_present, vec!["receipt_number".to_owned(), "a_number".to_owned()], "{name}");
        match relief.detail {
            EntryDetail::LegalRelief(got) => {
                assert_eq!(got.receipt_number, None, "{name}: masked until revealed");
                assert_eq!(got.expires_on, Some(d(2027, 3, 1)), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        let numbers = w.app.reveal_legal_numbers(&caller, l.id).await.unwrap();
        assert_eq!(numbers.receipt_number.as_deref(), Some("EAC2612345678"), "{name}");
        assert_eq!(numbers.a_number.as_deref(), Some("A123456789"), "{name}");
        match read(ap.id).await.unwrap().detail {
            EntryDetail::Appointment(got) => {
                assert_eq!(got.time.as_deref(), Some("09:30"), "{name}: normalised");
                assert_eq!(got.purpose.as_deref(), Some("Audiencia, llevar acta"), "{name}");
                assert_eq!(got.status.as_deref(), Some("scheduled"), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        match read(n.id).await.unwrap().detail {
            EntryDetail::Note(got) => assert_eq!(got, note("Hablamos por teléfono; está bien."), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        match read(na.id).await.unwrap().detail {
            EntryDetail::NeedAssessment(got) => assert_eq!(got.ratings, ratings, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        // A contact note and a service count as contact.
        assert_eq!(w.t.store.last_contact(c).await.unwrap(), Some(d(2026, 11, 1)), "{name}");
    }
}

#[tokio::test]
async fn stale_versions_conflict_and_unknown_codes_are_refused() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let caller = api(cm);
        let g = w.app.add_goal(&caller, c, goal("Trabajar en una panadería")).await.unwrap();
        let achieved =
            GoalInput { status: Some("achieved".into()), version: Some(1), ..goal("Trabajar en una panadería") };
        let v2 = w.app.update_goal(&caller, g.id, achieved.clone()).await.unwrap();
        assert_eq!(v2.version, 2, "{name}");
        for stale in [Some(1), None, Some(9)] {
            let r = w.app.update_goal(&caller, g.id, GoalInput { version: stale, ..achieved.clone() }).await;
            assert!(matches!(r, Err(AppError::Conflict)), "{name}: {stale:?}");
        }
        // A goal's id is not a note's.
        let r = w.app.update_note(&caller, g.id, NoteInput { version: Some(2), ..note("x") }).await;
        assert!(matches!(r, Err(AppError::NotFound)), "{name}");
        let bad = ServiceInput { category: "spa_day".into(), ..service() };
        match w.app.add_service(&caller, c, bad).await {
            Err(AppError::Invalid { field: "category", problem: DomainError::UnknownCode }) => {}
            other => panic!("{name}: {other:?}"),
        }
        let bad = MilestoneInput { kind: "own".into(), date: today(), text: None, language: None, version: None };
        assert!(matches!(w.app.add_milestone(&caller, c, bad).await, Err(AppError::Invalid { field: "text", .. })));
        let bad =
            AppointmentInput { time: Some("25:00".into()), ..AppointmentInput { date: today(), ..Default::default() } };
        assert!(matches!(w.app.add_appointment(&caller, c, bad).await, Err(AppError::Invalid { field: "time", .. })));
    }
}

#[tokio::test]
async fn sections_decide_who_reads_and_writes_each_kind_of_entry() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let outsider = staff(&w.app, b, Role::Supervisor, "outsider").await;
        let (_, c) = person_with_case(&w.app, cm, vec![clinician, hotline, shelter]).await;
        let s = w.app.add_service(&api(cm), c, service()).await.unwrap();
        let n = w.app.add_note(&api(cm), c, note("Nota privada")).await.unwrap();
        let l = w.app.add_legal_relief(&api(cm), c, continued_presence(d(2027, 3, 1))).await.unwrap();

        fn forbidden<T>(r: Result<T, AppError>) -> bool {
            matches!(r, Err(AppError::Forbidden(_)))
        }
        assert!(forbidden(w.app.case_entry(&api(clinician), s.id).await), "{name}: clinician, services");
        assert!(forbidden(w.app.case_entry(&api(clinician), n.id).await), "{name}: clinician, notes");
        assert!(forbidden(w.app.case_entries(&api(clinician), c, EntryKind::Service).await), "{name}");
        assert!(forbidden(w.app.case_entry(&api(hotline), l.id).await), "{name}: hotline, legal relief");
        assert!(forbidden(w.app.reveal_legal_numbers(&api(hotline), l.id).await), "{name}");
        assert!(forbidden(w.app.add_goal(&api(shelter), c, goal("x")).await), "{name}: shelter writes no goals");
        assert!(forbidden(w.app.add_legal_relief(&api(shelter), c, continued_presence(today())).await), "{name}");
        assert!(
            matches!(w.app.case_entry(&api(outsider), s.id).await, Err(AppError::NotFound)),
            "{name}: another organisation"
        );
        assert!(matches!(w.app.add_note(&api(outsider), c, note("x")).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.timeline(&api(outsider), c, &[]).await, Err(AppError::NotFound)), "{name}");

        // The timeline leaves out what the reader may not read, without refusing.
        let clinicians: Vec<String> =
            w.app.timeline(&api(clinician), c, &[]).await.unwrap().into_iter().map(|i| i.kind).collect();
        assert_eq!(clinicians, vec!["case_opened".to_owned()], "{name}");
        let hotlines: Vec<String> =
            w.app.timeline(&api(hotline), c, &[]).await.unwrap().into_iter().map(|i| i.kind).collect();
        assert_eq!(hotlines, vec!["case_opened".to_owned()], "{name}");
    }
}

#[tokio::test]
async fn a_restricted_case_hides_its_entries_and_tasks_from_a_supervisor_not_named() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let n = w.app.add_note(&api(cm), c, note("Nota")).await.unwrap();
        w.app.add_legal_relief(&api(cm), c, continued_presence(d(2027, 1, 1))).await.unwrap();
        let before = w.app.tasks_due(&api(supervisor), d(2027, 1, 1)).await.unwrap();
        assert_eq!(before.len(), 1, "{name}: the supervisor sees the organisation's tasks");
        let v = w.app.read_case(&api(cm), c).await.unwrap();
        w.app
            .update_case(&api(cm), c, Some(v.version), CaseFields { restricted: Some(true), ..Default::default() })
            .await
            .unwrap();
        assert!(matches!(w.app.case_entry(&api(supervisor), n.id).await, Err(AppError::Forbidden(_))), "{name}");
        assert!(matches!(w.app.timeline(&api(supervisor), c, &[]).await, Err(AppError::Forbidden(_))), "{name}");
        assert!(w.app.tasks_due(&api(supervisor), d(2027, 1, 1)).await.unwrap().is_empty(), "{name}");
        let dash = w.app.dashboard(&api(supervisor), 30).await.unwrap();
        assert_eq!(dash.overdue_tasks, 0, "{name}");
        assert!(dash.cases_by_status.is_empty(), "{name}: {:?}", dash.cases_by_status);
        // The named case manager still sees everything.
        assert_eq!(w.app.tasks_due(&api(cm), d(2027, 1, 1)).await.unwrap().len(), 1, "{name}");
    }
}

#[tokio::test]
async fn dates_become_tasks_overdue_first_for_those_who_may_see_them() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let other = staff(&w.app, a, Role::CaseManager, "other").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let (p, c) = person_with_case(&w.app, cm, vec![]).await;
        let (_, c2) = person_with_case(&w.app, other, vec![]).await;

        // Continued Presence expiring 1 Mar 2027 → renewal due 1 Nov 2026 (already overdue today).
        let l = w.app.add_legal_relief(&api(cm), c, continued_presence(d(2027, 3, 1))).await.unwrap();
        // Consent expiring 10 Dec 2026 → ask again 26 Nov 2026.
        w.app
            .record_consent(
                &api(cm),
                p,
                ConsentInput {
                    recipient_partner_id: None,
                    recipient_name: Some("Clínica".into()),
                    fields: vec!["alias".into()],
                    purpose: "Atención médica".into(),
                    expires_on: d(2026, 12, 10),
                    given_as: "written".into(),
                },
            )
            .await
            .unwrap();
        // Someone else's case: a follow-up.
        w.app
            .add_service(&api(other), c2, ServiceInput { follow_up_on: Some(d(2026, 11, 5)), ..service() })
            .await
            .unwrap();

        let mine = w.app.tasks_due(&api(cm), d(2027, 1, 1)).await.unwrap();
        let got: Vec<(&str, NaiveDate, bool)> = mine.iter().map(|t| (t.kind.as_str(), t.due_on, t.overdue)).collect();
        assert_eq!(
            got,
            vec![("continued_presence_renewal", d(2026, 11, 1), true), ("consent_expiry", d(2026, 11, 26), false)],
            "{name}: overdue first, only the case manager's own"
        );
        assert_eq!(mine[0].case_id, Some(c), "{name}");
        assert_eq!(mine[0].source_id, Some(*l.id.as_uuid()), "{name}");
        let org_wide = w.app.tasks_due(&api(supervisor), d(2027, 1, 1)).await.unwrap();
        assert_eq!(org_wide.len(), 3, "{name}: the supervisor sees the organisation's");
        assert!(w.app.tasks_due(&api(cm), d(2026, 11, 1)).await.unwrap().is_empty(), "{name}: strictly before");

        // Renewed: the renewal task moves; done, it leaves the list.
        let renewed =
            LegalReliefInput { expires_on: Some(d(2029, 3, 1)), version: Some(1), ..continued_presence(d(2029, 3, 1)) };
        w.app.update_legal_relief(&api(cm), l.id, renewed).await.unwrap();
        let mine = w.app.tasks_due(&api(cm), d(2030, 1, 1)).await.unwrap();
        let renewal = mine.iter().find(|t| t.kind == "continued_presence_renewal").unwrap();
        assert_eq!(renewal.due_on, d(2028, 11, 1), "{name}");
        assert!(matches!(
            w.app.complete_task(&api(cm), renewal.id, renewal.version + 5).await,
            Err(AppError::Conflict)
        ));
        let done = w.app.complete_task(&api(cm), renewal.id, renewal.version).await.unwrap();
        assert!(
            matches!(
                w.app.complete_task(&api(cm), done.id, done.version).await,
                Err(AppError::Refused("task_already_done"))
            ),
            "{name}: done once is done; who and when stay as first recorded"
        );
        assert!(
            w.app
                .tasks_due(&api(cm), d(2030, 1, 1))
                .await
                .unwrap()
                .iter()
                .all(|t| t.kind != "continued_presence_renewal")
        );

        // A revoked consent asks for nothing.
        let consent = w.app.consents(&api(cm), p).await.unwrap()[0].id;
        w.app.revoke_consent(&api(cm), p, consent).await.unwrap();
        assert!(w.app.tasks_due(&api(cm), d(2030, 1, 1)).await.unwrap().iter().all(|t| t.kind != "consent_expiry"));

        // A manual task: title sealed, shown to the team; "my tasks" are those assigned.
        let t = w
            .app
            .create_task(
                &api(cm),
                c,
                TaskInput { title: "Llamar a la abogada".into(), due_on: d(2026, 11, 3), assigned_to: Some(cm.user) },
            )
            .await
            .unwrap();
        let mine = w.app.my_tasks(&api(cm), d(2026, 12, 1)).await.unwrap();
        assert_eq!(
            mine.iter().map(|t| t.title.as_deref()).collect::<Vec<_>>(),
            vec![Some("Llamar a la abogada")],
            "{name}"
        );
        assert_eq!(mine[0].id, t.id, "{name}");
        assert!(w.app.my_tasks(&api(other), d(2026, 12, 1)).await.unwrap().iter().all(|x| x.id != t.id), "{name}");
        assert!(w.app.team_tasks(&api(other), d(2026, 12, 1)).await.unwrap().iter().all(|x| x.case_id != Some(c)));

        // The tasks page reads once: the team's tasks, and the caller's own among them.
        let board = w.app.task_board(&api(cm), d(2026, 12, 1)).await.unwrap();
        let ids = |v: &[amparo_app::casework::TaskView]| v.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(&board.mine), ids(&w.app.my_tasks(&api(cm), d(2026, 12, 1)).await.unwrap()), "{name}");
        assert_eq!(ids(&board.team), ids(&w.app.team_tasks(&api(cm), d(2026, 12, 1)).await.unwrap()), "{name}");
        assert!(board.mine.iter().all(|t| t.mine) && board.mine.len() <= board.team.len(), "{name}");

        // A title is a line, not a note; a due day within reason.
        let refused = |r: Result<_, AppError>, code: &str| match r {
            Err(AppError::Invalid { field, problem }) => assert_eq!(problem.code(), code, "{name}: {field}"),
            other => panic!("{name}: expected {code}, got {:?}", other.map(|_: amparo_app::casework::TaskView| ())),
        };
        let task = |title: String, due_on| TaskInput { title, due_on, assigned_to: None };
        refused(w.app.create_task(&api(cm), c, task("x".repeat(501), d(2026, 12, 1))).await, "title_too_long");
        refused(w.app.create_task(&api(cm), c, task("  ".into(), d(2026, 12, 1))).await, "text_required");
        refused(w.app.create_task(&api(cm), c, task("Llamar".into(), d(1850, 1, 1))).await, "date_out_of_range");
        refused(w.app.create_task(&api(cm), c, task("Llamar".into(), d(2090, 1, 1))).await, "date_out_of_range");
    }
}

#[tokio::test]
async fn the_timeline_is_in_date_order_and_filters() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let caller = api(cm);
        w.app.add_note(&caller, c, note("tarde")).await.unwrap();
        w.app.add_service(&caller, c, service()).await.unwrap();
        w.app
            .add_milestone(
                &caller,
                c,
                MilestoneInput { kind: "job".into(), date: d(2026, 11, 2), ..Default::default() },
            )
            .await
            .unwrap();
        let items = w.app.timeline(&caller, c, &[]).await.unwrap();
        let dates: Vec<NaiveDate> = items.iter().map(|i| i.date).collect();
        let mut sorted = dates.clone();
        sorted.sort();
        assert_eq!(dates, sorted, "{name}");
        assert_eq!(
            items.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(),
            vec!["service", "note", "case_opened", "milestone"],
            "{name}: the case was opened today (the service and note were back-dated)"
        );
        let only = w.app.timeline(&caller, c, &["note".into(), "case".into()]).await.unwrap();
        assert_eq!(only.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(), vec!["note", "case_opened"], "{name}");
        assert!(matches!(
            w.app.timeline(&caller, c, &["gossip".into()]).await,
            Err(AppError::Invalid { field: "kind", .. })
        ));
    }
}

#[tokio::test]
async fn the_dashboard_and_calendar_show_counts_and_codes_only() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let (_, _quiet) = person_with_case(&w.app, supervisor, vec![]).await;
        w.app.add_service(&api(cm), c, ServiceInput { date: today(), ..service() }).await.unwrap();
        let appt = AppointmentInput {
            date: d(2026, 11, 10),
            time: Some("14:00".into()),
            place: Some("consulate".into()),
            purpose: Some("Pasaporte de Lupita".into()),
            category: Some("accompaniment".into()),
            ..AppointmentInput::default()
        };
        w.app.add_appointment(&api(cm), c, appt).await.unwrap();
        w.app.add_legal_relief(&api(cm), c, continued_presence(d(2027, 3, 5))).await.unwrap();

        let own = w.app.dashboard(&api(cm), 30).await.unwrap();
        assert!(!own.organisation_wide, "{name}");
        assert_eq!(own.cases_by_status.iter().map(|s| s.count).sum::<i64>(), 1, "{name}");
        assert_eq!(own.upcoming_appointments, 1, "{name}");
        assert_eq!(own.next_appointments[0].place.as_deref(), Some("consulate"), "{name}");
        assert_eq!(own.upcoming_deadlines, 1, "{name}: renewal due 5 Nov");
        assert_eq!(own.next_deadlines[0].kind, "continued_presence_renewal", "{name}");
        assert_eq!(own.without_recent_contact, 0, "{name}");
        let org_wide = w.app.dashboard(&api(supervisor), 30).await.unwrap();
        assert!(org_wide.organisation_wide, "{name}");
        assert_eq!(org_wide.cases_by_status.iter().map(|s| s.count).sum::<i64>(), 2, "{name}");
        assert_eq!(org_wide.without_recent_contact, 1, "{name}: the case nobody has contacted");
        assert!(matches!(w.app.dashboard(&api(shelter), 30).await, Err(AppError::Forbidden(_))), "{name}");
        let ever = w.app.dashboard(&api(supervisor), u32::MAX).await.unwrap();
        assert_eq!(ever.without_recent_contact, 1, "{name}: u32::MAX days back: no contact ever, not a panic");

        let text = CalendarText {
            title: "Cita de Amparo".into(),
            categories: [("accompaniment".to_owned(), "Acompañamiento".to_owned())].into(),
        };
        let ics = w.app.appointments_ical(&api(cm), today(), d(2026, 12, 31), &text).await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR"), "{name}");
        let number = w.app.read_case(&api(cm), c).await.unwrap().number;
        assert!(ics.contains(&format!("Cita de Amparo — {number} — Acompañamiento")), "{name}: {ics}");
        assert!(ics.contains("DTSTART:20261110T140000"), "{name}: {ics}");
        for secret in ["Lupita", "Pasaporte", "consulate"] {
            assert!(!ics.contains(secret), "{name}: {secret} in the calendar");
        }
    }
}

#[tokio::test]
async fn erasure_takes_the_entries_and_tasks_of_the_person() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let (p, c) = person_with_case(&w.app, cm, vec![]).await;
        let g = w.app.add_goal(&api(cm), c, goal("Volver a estudiar")).await.unwrap();
        w.app.add_legal_relief(&api(cm), c, continued_presence(d(2027, 3, 1))).await.unwrap();
        assert!(!w.t.store.case_entries(c, &[]).await.unwrap().is_empty());
        let admin = staff(&w.app, a, Role::Administrator, "admin2").await;
        let req =
            w.app.request_erasure(&api(admin), &p.to_string(), "La persona pidió borrar su registro").await.unwrap();
        w.app.decide_erasure(&api(supervisor), req, true, pw(PASSWORD)).await.unwrap();
        assert!(w.t.store.case_entries(c, &[]).await.unwrap().is_empty(), "{name}");
        assert_eq!(w.t.store.case_entry(g.id).await.unwrap(), None, "{name}");
        assert!(w.app.tasks_due(&api(supervisor), d(2030, 1, 1)).await.unwrap().is_empty(), "{name}");
    }
}

#[tokio::test]
async fn no_text_reaches_the_disk_and_every_write_is_audited_without_it() {
    let w = worlds().await.into_iter().next().unwrap();
    assert_eq!(w.t.name, "sqlite");
    let a = org(&w.app, "Norte").await;
    let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
    let (p, c) = person_with_case(&w.app, cm, vec![]).await;
    let canaries = [
        "Canarioxyz goal words",
        "Canarioxyz step",
        "Canarioxyz note body",
        "Canarioxyz translation",
        "Canarioxyz purpose",
        "Canarioxyz own milestone",
        "CANARIO-EAC999",
        "CANARIO-A999",
        "CANARIO-CARPETA",
        "Canarioxyz service notes",
        "Canarioxyz task title",
        "Canarioxyz assessment",
    ];
    let caller = api(cm);
    let mut g = goal(canaries[0]);
    g.steps = vec![GoalStep { text: canaries[1].into(), who: None }];
    let g = w.app.add_goal(&caller, c, g).await.unwrap();
    let mut n = note(canaries[2]);
    n.translation = Some(canaries[3].into());
    w.app.add_note(&caller, c, n).await.unwrap();
    w.app
        .add_appointment(
            &caller,
            c,
            AppointmentInput { date: today(), purpose: Some(canaries[4].into()), ..Default::default() },
        )
        .await
        .unwrap();
    w.app
        .add_milestone(
            &caller,
            c,
            MilestoneInput { kind: "own".into(), date: today(), text: Some(canaries[5].into()), ..Default::default() },
        )
        .await
        .unwrap();
    let relief = LegalReliefInput {
        receipt_number: Some(canaries[6].into()),
        a_number: Some(canaries[7].into()),
        case_file_number: Some(canaries[8].into()),
        ..continued_presence(d(2027, 3, 1))
    };
    let l = w.app.add_legal_relief(&caller, c, relief).await.unwrap();
    w.app.add_service(&caller, c, ServiceInput { notes: Some(canaries[9].into()), ..service() }).await.unwrap();
    w.app
        .create_task(&caller, c, TaskInput { title: canaries[10].into(), due_on: today(), assigned_to: None })
        .await
        .unwrap();
    w.app
        .add_needs_assessment(
            &caller,
            c,
            NeedsAssessmentInput {
                date: today(),
                ratings: [("safety".to_owned(), "stable".to_owned())].into_iter().collect(),
                notes: Some(canaries[11].into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.app.update_goal(&caller, g.id, GoalInput { version: Some(1), ..goal(canaries[0]) }).await.unwrap();
    w.app.reveal_legal_numbers(&caller, l.id).await.unwrap();
    // Safe contact confirmed: a reconfirmation task on the person.
    w.app
        .update_person(
            &caller,
            p,
            Some(1),
            PersonFields {
                safe_contact: Some(vec![SafeContact {
                    channel: Some(ContactChannel::Sms),
                    safe: true,
                    ..SafeContact::default()
                }]),
                ..PersonFields::default()
            },
        )
        .await
        .unwrap();
    let tasks = w.app.tasks_due(&caller, d(2027, 3, 1)).await.unwrap();
    assert!(tasks.iter().any(|t| t.kind == "safe_contact_reconfirm" && t.due_on == d(2027, 1, 31)), "{tasks:?}");

    let dir = w.t.sqlite_data_dir().unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        for c in canaries {
            if bytes.windows(c.len()).any(|win| win == c.as_bytes()) {
                found.push(format!("{c} in {}", entry.file_name().to_string_lossy()));
            }
        }
    }
    assert!(found.is_empty(), "plaintext on disk: {found:?}");

    let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.draft.action.as_str()).collect();
    for wanted in [
        "goal.create",
        "goal.update",
        "note.create",
        "appointment.create",
        "milestone.create",
        "legal_relief.create",
        "legal_relief.reveal",
        "service.create",
        "need_assessment.create",
        "task.create",
        "task.list",
    ] {
        assert!(actions.contains(&wanted), "{wanted} not audited: {actions:?}");
    }
    for e in &log {
        let all = format!("{:?}", e.draft);
        for c in canaries {
            assert!(!all.contains(c), "{c} in the audit log: {all}");
        }
    }
}

#[tokio::test]
async fn the_case_page_reads_every_kind_it_may_in_one_audited_read() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let (_, c) = person_with_case(&w.app, cm, vec![clinician]).await;
        w.app.add_goal(&api(cm), c, goal("Quiero terminar la prepa")).await.unwrap();
        w.app.add_service(&api(cm), c, service()).await.unwrap();
        w.app.add_note(&api(cm), c, note("Llamó su hermana")).await.unwrap();
        let before = w.t.store.audit_events_after(0, i64::MAX).await.unwrap().len();

        let all = w.app.case_work_entries(&api(cm), c).await.unwrap();
        let kinds: Vec<EntryKind> = all.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, EntryKind::ALL, "{name}: a case manager reads every kind");
        let count = |k: EntryKind| all.iter().find(|(x, _)| *x == k).map_or(0, |(_, v)| v.len());
        assert_eq!((count(EntryKind::Goal), count(EntryKind::Service), count(EntryKind::Note)), (1, 1, 1), "{name}");
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let added: Vec<&str> = log[before..].iter().map(|e| e.draft.action.as_str()).collect();
        assert_eq!(added, ["case_work.read"], "{name}: one read, one entry");

        // A clinician on the team: no services, notes or legal file, and no refusal either.
        let seen = w.app.case_work_entries(&api(clinician), c).await.unwrap();
        assert!(seen.is_empty(), "{name}: {seen:?}");
        // Someone off the team is refused.
        let other = staff(&w.app, a, Role::CaseManager, "other").await;
        assert!(matches!(w.app.case_work_entries(&api(other), c).await, Err(AppError::Forbidden(_))), "{name}");
    }
}

#[tokio::test]
async fn the_timeline_shows_a_case_closed_and_opened_again() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (_, c) = person_with_case(&w.app, cm, vec![]).await;
        let caller = api(cm);
        for status in ["FollowUp", "Closed", "Active"] {
            let case = w.app.read_case(&caller, c).await.unwrap();
            let change = CaseFields {
                status: Some(status.into()),
                closure_reason: (status == "Closed").then(|| "goals_met".into()),
                ..CaseFields::default()
            };
            w.app.update_case(&caller, c, Some(case.version), change).await.unwrap();
        }
        let items = w.app.timeline(&caller, c, &["case".into()]).await.unwrap();
        let seen: Vec<(&str, Option<&str>)> =
            items.iter().map(|i| (i.kind.as_str(), i.case_status.as_deref())).collect();
        assert_eq!(
            seen,
            [
                ("case_opened", None),
                ("case_status", Some("FollowUp")),
                ("case_closed", Some("Closed")),
                ("case_status", Some("Active"))
            ],
            "{name}"
        );
    }
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
