//! Survivor records on every backend: who sees what, search without plaintext, canaries,
//! concurrency, consent, safe contact, break-glass, erasure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::records::{CaseFields, ConsentInput, PersonFields, SafeContact};
use amparo_app::{Amparo, AppConfig, AppError, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::records::{Answer, ContactChannel, DeclineCode};
use amparo_domain::{Actor, CaseId, Language, OrgId, PersonId, Role};
use amparo_store_tests::TestStore;

const PASSWORD: &str = "una contraseña larga de prueba";

struct World {
    app: Amparo,
    clock: Arc<ManualClock>,
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
        out.push(World { app, clock, _keys: keys, t });
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
            admin_email: format!("admin@{}.org", name.to_lowercase().replace(' ', "")),
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

fn text(s: &str) -> Option<Answer<String>> {
    Some(Answer::Value(s.to_owned()))
}

fn person(given: &str, family: &str, alias: &str) -> PersonFields {
    PersonFields { given_name: text(given), family_name: text(family), alias: text(alias), ..PersonFields::default() }
}

async fn person_with_case(app: &Amparo, by: Actor, fields: PersonFields) -> (PersonId, CaseId) {
    let p = app.create_person(&api(by), fields).await.unwrap();
    let c = app.open_case(&api(by), p.id, CaseFields::default()).await.unwrap();
    (p.id, c.id)
}

#[tokio::test]
async fn who_sees_which_record_on_every_backend() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let teammate = staff(&w.app, a, Role::CaseManager, "teammate").await;
        let other_cm = staff(&w.app, a, Role::CaseManager, "othercm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let volunteer = staff(&w.app, a, Role::Volunteer, "vol").await;
        let analyst = staff(&w.app, a, Role::Analyst, "analyst").await;
        let admin = staff(&w.app, a, Role::Administrator, "admin2").await;
        let outsider = staff(&w.app, b, Role::Supervisor, "outsider").await;

        let mut f = person("Ana", "Pérez", "Anita");
        f.narrative = Some("lo que pasó".into());
        let (p, c) = person_with_case(&w.app, cm, f).await;
        // The team: the case manager who opened it, a teammate, the clinician, the shelter worker.
        let v = w.app.read_case(&api(cm), c).await.unwrap();
        let team = CaseFields {
            team: Some(vec![cm.user, teammate.user, clinician.user, shelter.user]),
            ..CaseFields::default()
        };
        w.app.update_case(&api(cm), c, Some(v.version), team).await.unwrap();

        // (actor, may read the summary, may read the narrative)
        let table: [(&str, Actor, bool, bool); 11] = [
            ("case manager who opened it", cm, true, true),
            ("teammate", teammate, true, true),
            ("case manager not on the team", other_cm, false, false),
            ("supervisor", supervisor, true, true),
            ("clinician on the team", clinician, true, false),
            ("shelter staff on the team", shelter, true, false),
            ("hotline not on the team", hotline, false, false),
            ("volunteer", volunteer, false, false),
            ("analyst", analyst, false, false),
            ("administrator", admin, false, false),
            ("another organisation", outsider, false, false),
        ];
        for (who, actor, summary, narrative) in table {
            let r = w.app.read_person(&api(actor), p).await;
            assert_eq!(r.is_ok(), summary, "{name}: {who} reading the person");
            if let Ok(view) = r {
                assert_eq!(view.fields.narrative.is_some(), narrative, "{name}: {who} sees the story");
                assert_eq!(view.fields.given_name.is_some(), narrative, "{name}: {who} sees the name");
            }
            assert_eq!(w.app.read_case(&api(actor), c).await.is_ok(), summary, "{name}: {who} reading the case");
        }
        assert!(
            matches!(w.app.read_person(&api(outsider), p).await, Err(AppError::NotFound)),
            "{name}: other org gets 404"
        );
        assert!(matches!(w.app.read_person(&api(volunteer), p).await, Err(AppError::Forbidden(_))), "{name}");

        // Caseloads: the case manager sees own and team cases, the supervisor the organisation's.
        let (_, c2) = person_with_case(&w.app, other_cm, person("Luz", "Mar", "Lucecita")).await;
        let mine: Vec<CaseId> =
            w.app.caseload(&api(cm), None, false, 100, 0).await.unwrap().iter().map(|i| i.id).collect();
        assert_eq!(mine, vec![c], "{name}");
        let all: Vec<CaseId> =
            w.app.caseload(&api(supervisor), None, false, 100, 0).await.unwrap().iter().map(|i| i.id).collect();
        assert!(all.contains(&c) && all.contains(&c2), "{name}");
        assert!(w.app.caseload(&api(volunteer), None, false, 100, 0).await.is_err(), "{name}");
        assert!(w.app.caseload(&api(outsider), None, false, 100, 0).await.unwrap().is_empty(), "{name}");

        // A restricted case: only its named team, supervisors included only if named.
        let v = w.app.read_case(&api(cm), c).await.unwrap();
        w.app
            .update_case(
                &api(cm),
                c,
                Some(v.version),
                CaseFields { restricted: Some(true), team: Some(vec![cm.user]), ..CaseFields::default() },
            )
            .await
            .unwrap();
        assert!(matches!(w.app.read_case(&api(supervisor), c).await, Err(AppError::Forbidden(_))), "{name}");
        assert!(matches!(w.app.read_person(&api(teammate), p).await, Err(AppError::Forbidden(_))), "{name}");
        assert!(w.app.read_person(&api(cm), p).await.is_ok(), "{name}");
        let all: Vec<CaseId> =
            w.app.caseload(&api(supervisor), None, false, 100, 0).await.unwrap().iter().map(|i| i.id).collect();
        assert!(!all.contains(&c), "{name}: restricted case hidden from the supervisor's caseload");

        // Break-glass: a reason, the password again, 60 minutes, that case only.
        let short = w.app.break_glass(&api(supervisor), c, "x", pw(PASSWORD)).await;
        assert!(matches!(short, Err(AppError::Invalid { .. })), "{name}");
        let wrong = w
            .app
            .break_glass(&api(supervisor), c, "survivor at the ER, needs her safety plan", pw("wrong password here"))
            .await;
        assert!(matches!(wrong, Err(AppError::WrongCurrentPassword)), "{name}");
        let until = w
            .app
            .break_glass(&api(supervisor), c, "survivor at the ER, needs her safety plan", pw(PASSWORD))
            .await
            .unwrap();
        assert_eq!(until, w.app.now() + Duration::minutes(60), "{name}");
        assert!(w.app.read_case(&api(supervisor), c).await.is_ok(), "{name}");
        assert!(w.app.read_person(&api(supervisor), p).await.is_ok(), "{name}");
        assert!(w.app.read_case(&api(supervisor), c2).await.is_ok(), "{name}: unrestricted anyway");
        // Read only: the grant changes nothing, takes no case over and opens no new case.
        let v = w.app.read_case(&api(supervisor), c).await.unwrap();
        let takeover = CaseFields { team: Some(vec![supervisor.user]), ..CaseFields::default() };
        assert!(
            matches!(
                w.app.update_case(&api(supervisor), c, Some(v.version), takeover).await,
                Err(AppError::Forbidden(_))
            ),
            "{name}"
        );
        let status = CaseFields { status: Some("FollowUp".into()), ..CaseFields::default() };
        assert!(
            matches!(
                w.app.update_case(&api(supervisor), c, Some(v.version), status).await,
                Err(AppError::Forbidden(_))
            ),
            "{name}"
        );
        assert!(
            matches!(w.app.open_case(&api(supervisor), p, CaseFields::default()).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        let edit = PersonFields { alias: text("otra"), ..PersonFields::default() };
        let pv = w.app.read_person(&api(supervisor), p).await.unwrap().version;
        assert!(
            matches!(w.app.update_person(&api(supervisor), p, Some(pv), edit).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        // Supervisors are told; others see no alerts.
        let other_supervisor = staff(&w.app, a, Role::Supervisor, "sup2").await;
        let alerts = w.app.break_glass_alerts(&api(other_supervisor)).await.unwrap();
        assert_eq!(alerts.len(), 1, "{name}");
        assert_eq!((alerts[0].user, alerts[0].case), (Some(supervisor.user), Some(*c.as_uuid())), "{name}");
        assert_eq!(alerts[0].reason.as_deref(), Some("survivor at the ER, needs her safety plan"), "{name}");
        assert_eq!(alerts[0].expires_at, Some(until), "{name}");
        assert!(w.app.break_glass_alerts(&api(cm)).await.unwrap().is_empty(), "{name}");
        assert!(
            w.app.break_glass(&api(volunteer), c, "I want to see it please", pw(PASSWORD)).await.is_err(),
            "{name}"
        );
        w.clock.advance(Duration::minutes(61));
        assert!(
            matches!(w.app.read_case(&api(supervisor), c).await, Err(AppError::Forbidden(_))),
            "{name}: grant expired"
        );

        // A sibling case that is not restricted shows the person, but never the restricted
        // case's number or its activity.
        let c3 = w.app.open_case(&api(cm), p, CaseFields::default()).await.unwrap();
        let seen = w.app.read_person(&api(supervisor), p).await.unwrap();
        assert_eq!(seen.case_numbers, vec![c3.number.clone()], "{name}");
        let cm_view = w.app.read_person(&api(cm), p).await.unwrap();
        assert_eq!(cm_view.case_numbers.len(), 2, "{name}");
        let log = w.app.access_log(&api(teammate), p).await;
        assert!(log.is_err(), "{name}: the teammate is on neither case now");
        // Every look is in the access log, with break-glass named.
        let log = w.app.access_log(&api(supervisor), p).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        for a in ["read", "update", "create", "break_glass", "list_item"] {
            assert!(actions.contains(&a), "{name}: {a} in {actions:?}");
        }
        assert!(matches!(w.app.verify_audit_chain().await, Ok(amparo_app::ChainVerdict::Intact { .. })), "{name}");
    }
}

#[tokio::test]
async fn search_finds_by_folded_names_phone_and_case_number_and_nothing_else() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let other = staff(&w.app, b, Role::CaseManager, "cmb").await;
        let mut f = person("Xóchitl", "Gonzáles Peñaloza", "Xochi");
        f.phone = text("+52 55 1234 5678");
        let (p, c) = person_with_case(&w.app, cm, f).await;
        person_with_case(&w.app, other, person("Xóchitl", "Gonzáles", "X")).await;
        let number = w.app.read_case(&api(cm), c).await.unwrap().number;
        for q in [
            "xochitl",
            "gonzalez",
            "penal",
            "Xóchitl Gonzales",
            "xochi",
            "+525512345678",
            "55 1234 5678",
            number.as_str(),
        ] {
            let hits = w.app.search_persons(&api(cm), q).await.unwrap().items;
            assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![p], "{name}: {q}");
            assert_eq!(hits[0].given_name.as_deref(), Some("Xóchitl"), "{name}");
            assert_eq!(hits[0].case_numbers, vec![number.clone()], "{name}");
        }
        for q in ["zzzz", "maria", "gonzo"] {
            assert!(w.app.search_persons(&api(cm), q).await.unwrap().items.is_empty(), "{name}: {q}");
        }
        assert!(matches!(w.app.search_persons(&api(cm), "x").await, Err(AppError::Invalid { .. })), "{name}");
        // Who may not read names gets no names; who may not see the record gets nothing.
        let v = w.app.read_case(&api(cm), c).await.unwrap();
        w.app
            .update_case(
                &api(cm),
                c,
                Some(v.version),
                CaseFields { team: Some(vec![cm.user, clinician.user]), ..CaseFields::default() },
            )
            .await
            .unwrap();
        let hits = w.app.search_persons(&api(clinician), "xochitl").await.unwrap().items;
        assert_eq!(hits.len(), 1, "{name}");
        assert_eq!((hits[0].given_name.as_deref(), hits[0].alias.as_deref()), (None, Some("Xochi")), "{name}");
        let theirs = w.app.search_persons(&api(other), "xochitl").await.unwrap().items;
        assert!(theirs.iter().all(|h| h.id != p), "{name}: other org");
        // Possible duplicates at intake: alias and case numbers only.
        let dup = w.app.create_person(&api(cm), person("Xochitl", "Gonzales Penaloza", "otra")).await.unwrap();
        assert_eq!(dup.possible_duplicates.iter().map(|d| d.id).collect::<Vec<_>>(), vec![p], "{name}");
        assert_eq!(dup.possible_duplicates[0].alias.as_deref(), Some("Xochi"), "{name}");
    }
}

#[tokio::test]
async fn search_lists_at_most_the_limit_and_says_when_more_match() {
    use amparo_app::records::SEARCH_LIMIT;
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        for i in 0..SEARCH_LIMIT {
            person_with_case(&w.app, cm, person("Marisol", "Treviño", &format!("M{i}"))).await;
        }
        let found = w.app.search_persons(&api(cm), "marisol trevino").await.unwrap();
        assert_eq!((found.items.len(), found.more), (SEARCH_LIMIT, false), "{name}: exactly the limit");
        person_with_case(&w.app, cm, person("Marisol", "Treviño", "one more")).await;
        let found = w.app.search_persons(&api(cm), "marisol").await.unwrap();
        assert_eq!((found.items.len(), found.more), (SEARCH_LIMIT, true), "{name}: one over the limit");
        let found = w.app.search_persons(&api(cm), "one more").await.unwrap();
        assert_eq!((found.items.len(), found.more), (1, false), "{name}: narrowed");
    }
}

#[tokio::test]
async fn identifying_data_never_reaches_the_disk_in_clear() {
    let w = worlds().await.into_iter().next().unwrap();
    assert_eq!(w.t.name, "sqlite");
    let a = org(&w.app, "Norte").await;
    let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
    let canaries = [
        "Canarioxyzgiven",
        "Canarioxyzfamily",
        "Canarioxyzalias",
        "1987-03-14",
        "+52 81 5555 0199",
        "+528155550199",
        "canario@example.net",
        "Calle Canario 123",
        "Canarioxyz narrative of what happened",
        "Canarioxyz code word",
        "Canarioxyz recipient",
        "Canarioxyz purpose",
    ];
    let mut f = person(canaries[0], canaries[1], canaries[2]);
    f.birth_date = text(canaries[3]);
    f.phone = text(canaries[4]);
    f.email = text(canaries[6]);
    f.address = text(canaries[7]);
    f.narrative = Some(canaries[8].into());
    f.safe_contact = Some(vec![SafeContact {
        channel: Some(ContactChannel::Sms),
        safe: true,
        code_word: Some(canaries[9].into()),
        ..SafeContact::default()
    }]);
    let (p, _) = person_with_case(&w.app, cm, f).await;
    w.app
        .record_consent(
            &api(cm),
            p,
            ConsentInput {
                recipient_partner_id: None,
                recipient_name: Some(canaries[10].into()),
                fields: vec!["alias".into(), "phone".into()],
                purpose: canaries[11].into(),
                expires_on: w.app.now().date_naive() + Duration::days(90),
                given_as: "written".into(),
            },
        )
        .await
        .unwrap();
    // Read them back through the app: they are all there…
    let view = w.app.read_person(&api(cm), p).await.unwrap();
    assert_eq!(view.fields.phone, text(canaries[4]), "the phone keeps its spaces");
    assert_eq!(view.fields.birth_date, text(canaries[3]));
    // …and none is on disk: database, WAL or journal.
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
}

#[tokio::test]
async fn stale_or_missing_versions_conflict_and_values_come_back_as_given() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let mut f = PersonFields { alias: text("Rosa"), ..PersonFields::default() };
        f.gender = Some(Answer::Declined(DeclineCode::PrefersNotToAnswer));
        f.primary_language = text("quc");
        f.citizenship = Some(vec!["gt".into(), "MX".into()]);
        f.household_size = Some(Answer::Declined(DeclineCode::ClientDoesntKnow));
        f.dependants = Some(Answer::Value(2));
        let created = w.app.create_person(&api(cm), f).await.unwrap();
        assert_eq!(created.version, 1);
        let edit = PersonFields { family_name: text("Tzul"), ..PersonFields::default() };
        assert!(
            matches!(w.app.update_person(&api(cm), created.id, None, edit.clone()).await, Err(AppError::Conflict)),
            "{name}"
        );
        assert!(
            matches!(w.app.update_person(&api(cm), created.id, Some(7), edit.clone()).await, Err(AppError::Conflict)),
            "{name}"
        );
        let v = w.app.update_person(&api(cm), created.id, Some(1), edit.clone()).await.unwrap();
        assert_eq!(v.version, 2, "{name}");
        assert!(
            matches!(w.app.update_person(&api(cm), created.id, Some(1), edit).await, Err(AppError::Conflict)),
            "{name}: second writer"
        );
        assert_eq!(v.fields.gender, Some(Answer::Declined(DeclineCode::PrefersNotToAnswer)), "{name}");
        assert_eq!(v.fields.primary_language, text("quc"), "{name}");
        assert_eq!(v.fields.citizenship, Some(vec!["GT".to_owned(), "MX".to_owned()]), "{name}");
        assert_eq!(v.fields.family_name, text("Tzul"), "{name}");
        assert_eq!(v.fields.alias, text("Rosa"), "{name}");
        assert_eq!(v.fields.household_size, Some(Answer::Declined(DeclineCode::ClientDoesntKnow)), "{name}");
        assert_eq!(v.fields.dependants, Some(Answer::Value(2)), "{name}");
        // Intake needs only an alias or a name.
        let none = w
            .app
            .create_person(&api(cm), PersonFields { primary_language: text("es"), ..PersonFields::default() })
            .await;
        assert!(matches!(none, Err(AppError::Invalid { .. })), "{name}");
        let bad = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: text("X"), citizenship: Some(vec!["ZZ".into()]), ..PersonFields::default() },
            )
            .await;
        assert!(matches!(bad, Err(AppError::Invalid { field: "citizenship", .. })), "{name}");
    }
}

#[tokio::test]
async fn outreach_only_on_safe_channels_and_consent_is_time_limited() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (p, _) = person_with_case(&w.app, cm, person("Ana", "Ruiz", "A")).await;
        assert!(
            matches!(w.app.log_outreach(&api(cm), p, "sms").await, Err(AppError::Refused("channel_not_safe"))),
            "{name}"
        );
        let v = w.app.read_person(&api(cm), p).await.unwrap();
        assert!(v.safe_contact_needs_confirming, "{name}: never confirmed");
        let prefs = vec![
            SafeContact { channel: Some(ContactChannel::Sms), safe: true, ..SafeContact::default() },
            SafeContact { channel: Some(ContactChannel::Phone), safe: false, ..SafeContact::default() },
        ];
        let v = w
            .app
            .update_person(
                &api(cm),
                p,
                Some(v.version),
                PersonFields { safe_contact: Some(prefs), ..PersonFields::default() },
            )
            .await
            .unwrap();
        assert!(!v.safe_contact_needs_confirming, "{name}");
        assert!(w.app.log_outreach(&api(cm), p, "sms").await.is_ok(), "{name}");
        assert!(matches!(w.app.log_outreach(&api(cm), p, "phone").await, Err(AppError::Refused(_))), "{name}");
        w.clock.advance(Duration::days(91));
        assert!(w.app.read_person(&api(cm), p).await.unwrap().safe_contact_needs_confirming, "{name}: 90 days");

        let today = w.app.now().date_naive();
        let consent = |days: i64| ConsentInput {
            recipient_partner_id: None,
            recipient_name: Some("Clínica Fronteriza".into()),
            fields: vec!["alias".into(), "phone".into()],
            purpose: "cita médica".into(),
            expires_on: today + Duration::days(days),
            given_as: "verbal_witnessed".into(),
        };
        assert!(
            matches!(w.app.record_consent(&api(cm), p, consent(731)).await, Err(AppError::Invalid { .. })),
            "{name}: > 2 years"
        );
        assert!(
            matches!(w.app.record_consent(&api(cm), p, consent(-1)).await, Err(AppError::Invalid { .. })),
            "{name}: past"
        );
        let id = w.app.record_consent(&api(cm), p, consent(30)).await.unwrap();
        let list = w.app.consents(&api(cm), p).await.unwrap();
        assert!(list[0].valid && list[0].recipient_name.as_deref() == Some("Clínica Fronteriza"), "{name}");
        w.app.revoke_consent(&api(cm), p, id).await.unwrap();
        assert!(!w.app.consents(&api(cm), p).await.unwrap()[0].valid, "{name}: revoked");
        assert!(matches!(w.app.revoke_consent(&api(cm), p, id).await, Err(AppError::Conflict)), "{name}");
        w.app.record_consent(&api(cm), p, consent(10)).await.unwrap();
        w.clock.advance(Duration::days(11));
        assert!(w.app.consents(&api(cm), p).await.unwrap().iter().all(|c| !c.valid), "{name}: expired");
    }
}

#[tokio::test]
async fn erasure_removes_the_person_everywhere_and_for_good() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (p, c) = person_with_case(&w.app, cm, person("Perla", "Quintero", "Perlita")).await;
        let before = w.t.store.person(p).await.unwrap().unwrap();
        assert!(
            matches!(w.app.erase_person(&api(cm), p, "asked").await, Err(AppError::Forbidden(_))),
            "{name}: only the operator"
        );
        w.app.erase_person(&Caller::Operator, p, "the survivor asked for erasure").await.unwrap();
        assert!(matches!(w.app.read_person(&api(cm), p).await, Err(AppError::Gone)), "{name}");
        assert!(matches!(w.app.read_case(&api(cm), c).await, Err(AppError::NotFound)), "{name}");
        assert!(w.app.search_persons(&api(cm), "perla").await.unwrap().items.is_empty(), "{name}");
        assert!(w.t.store.person(p).await.unwrap().is_none(), "{name}");
        assert_eq!(w.app.erasure_ledger().unwrap(), vec![p], "{name}");
        // The old ciphertext cannot be opened: the wrapped key is gone from the database
        // files too (SQLite: no page or log frame still holds its bytes).
        if let Some(dir) = w.t.sqlite_data_dir() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let bytes = std::fs::read(entry.path()).unwrap();
                for secret in [&before.wrapped_key, &before.identity] {
                    assert!(
                        !bytes.windows(secret.len()).any(|win| win == secret.as_slice()),
                        "{name}: {:?}",
                        entry.file_name()
                    );
                }
            }
        }
        let keys = KeyRing::new(&MasterKey::generate());
        assert!(keys.org(a).unwrap_data_key(p, &before.wrapped_key).is_err(), "{name}");
        assert!(matches!(w.app.erase_person(&Caller::Operator, p, "again").await, Err(AppError::Gone)), "{name}");
    }
}

#[tokio::test]
async fn erasure_in_the_application_needs_two_people() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let admin = staff(&w.app, a, Role::Administrator, "admin2").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let other_admin = staff(&w.app, b, Role::Administrator, "adminb").await;
        let (p, c) = person_with_case(&w.app, cm, person("Perla", "Quintero", "Perlita")).await;
        let number = w.app.read_case(&api(cm), c).await.unwrap().number;

        // Who may ask: an administrator of the same organisation, naming a case number.
        assert!(
            matches!(
                w.app.request_erasure(&api(cm), &number, "the survivor asked us").await,
                Err(AppError::Forbidden(_))
            ),
            "{name}"
        );
        assert!(
            matches!(
                w.app.request_erasure(&api(other_admin), &number, "the survivor asked us").await,
                Err(AppError::NotFound)
            ),
            "{name}"
        );
        assert!(
            matches!(
                w.app.request_erasure(&api(other_admin), &p.to_string(), "the survivor asked us").await,
                Err(AppError::NotFound)
            ),
            "{name}"
        );
        assert!(
            matches!(w.app.request_erasure(&api(admin), &number, "short").await, Err(AppError::Invalid { .. })),
            "{name}"
        );
        let request = w.app.request_erasure(&api(admin), &number, "the survivor asked us in writing").await.unwrap();
        assert!(w.app.read_person(&api(cm), p).await.is_ok(), "{name}: nothing erased yet");

        // Who may decide: a supervisor who is not the one who asked, with their password.
        let list = w.app.erasure_requests(&api(supervisor)).await.unwrap();
        assert_eq!(
            (list.len(), list[0].may_decide, list[0].reason.as_str()),
            (1, true, "the survivor asked us in writing"),
            "{name}"
        );
        assert!(!w.app.erasure_requests(&api(admin)).await.unwrap()[0].may_decide, "{name}");
        assert!(w.app.erasure_requests(&api(cm)).await.is_err(), "{name}");
        let wrong = w.app.decide_erasure(&api(supervisor), request, true, pw("not my password at all")).await;
        assert!(matches!(wrong, Err(AppError::WrongCurrentPassword)), "{name}");
        assert!(
            matches!(w.app.decide_erasure(&api(admin), request, true, pw(PASSWORD)).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        w.app.decide_erasure(&api(supervisor), request, true, pw(PASSWORD)).await.unwrap();
        assert!(matches!(w.app.read_person(&api(cm), p).await, Err(AppError::Gone)), "{name}");
        assert!(
            matches!(
                w.app.decide_erasure(&api(supervisor), request, true, pw(PASSWORD)).await,
                Err(AppError::Conflict)
            ),
            "{name}"
        );
        let decided = &w.app.erasure_requests(&api(admin)).await.unwrap()[0];
        assert_eq!(decided.approved, Some(true), "{name}");
        assert_eq!(w.app.erasure_ledger().unwrap(), vec![p], "{name}");

        // A declined request erases nothing.
        let (q, c2) = person_with_case(&w.app, cm, person("Luz", "Mar", "Lucecita")).await;
        let n2 = w.app.read_case(&api(cm), c2).await.unwrap().number;
        let r2 = w.app.request_erasure(&api(admin), &n2, "asked by phone, not confirmed").await.unwrap();
        w.app.decide_erasure(&api(supervisor), r2, false, pw(PASSWORD)).await.unwrap();
        assert!(w.app.read_person(&api(cm), q).await.is_ok(), "{name}");
        assert!(matches!(w.app.verify_audit_chain().await, Ok(amparo_app::ChainVerdict::Intact { .. })), "{name}");
    }
}

#[tokio::test]
async fn only_case_managers_and_supervisors_change_a_team_or_hide_a_case() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let (_, c) = person_with_case(&w.app, cm, person("Ana", "Ruiz", "A")).await;
        let v = w.app.read_case(&api(cm), c).await.unwrap();
        let v = w
            .app
            .update_case(
                &api(cm),
                c,
                Some(v.version),
                CaseFields { team: Some(vec![cm.user, hotline.user]), ..CaseFields::default() },
            )
            .await
            .unwrap();
        // The hotline worker on the team may change coded fields, not who works on it.
        let hide = CaseFields { restricted: Some(true), team: Some(vec![hotline.user]), ..CaseFields::default() };
        assert!(
            matches!(w.app.update_case(&api(hotline), c, Some(v.version), hide).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        let v = w
            .app
            .update_case(
                &api(hotline),
                c,
                Some(v.version),
                CaseFields { status: Some("FollowUp".into()), ..CaseFields::default() },
            )
            .await
            .unwrap();
        // A team with nobody who can manage it is refused.
        let orphan =
            CaseFields { team: Some(vec![hotline.user]), assigned_to: Some(hotline.user), ..CaseFields::default() };
        assert!(
            matches!(w.app.update_case(&api(cm), c, Some(v.version), orphan).await, Err(AppError::Invalid { .. })),
            "{name}"
        );
        assert!(w.app.read_case(&api(supervisor), c).await.is_ok(), "{name}");
    }
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
