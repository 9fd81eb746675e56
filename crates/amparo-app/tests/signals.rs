//! Hotline signals on every backend: the public tip (sealed, anonymous, rate limited, audited
//! without anything about the sender), the queue's order and who may see it, triage with
//! versions, and a case opened from or linked to a signal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::signals::{CaseFromSignal, NewSignal, SignalFilter, SignalTriage, TipInput, TipsConfig};
use amparo_app::{Amparo, AppConfig, AppError, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::records::{Answer, ContactChannel};
use amparo_domain::signals::SignalProblem;
use amparo_domain::{Actor, DomainError, Language, OrgId, Role};
use amparo_store_tests::TestStore;

const PASSWORD: &str = "una contraseña larga de prueba";
const ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));

struct World {
    app: Amparo,
    clock: Arc<ManualClock>,
    _keys: tempfile::TempDir,
    t: TestStore,
}

async fn worlds(tips: TipsConfig) -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        let keys = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap()));
        let app = Amparo::new(Deps {
            store: Arc::clone(&t.store),
            keys: Arc::new(KeyRing::new(&MasterKey::generate())),
            key_dir: keys.path().to_owned(),
            config: AppConfig { tips: tips.clone(), ..AppConfig::default() },
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
    let new = NewInstallation {
        org_name: name.into(),
        admin_email: format!("admin@{}.org", name.to_lowercase()),
        admin_name: None,
        admin_password: SecretString::from(PASSWORD.to_owned()),
        language: Language::Es,
    };
    app.add_organisation(new).await.unwrap().0
}

async fn staff(app: &Amparo, org: OrgId, role: Role) -> Actor {
    let new = NewUser {
        org,
        email: format!("{}@{}.org", role.code(), org.to_string().get(..8).unwrap()),
        name: None,
        role,
        language: Language::Es,
        initial_password: SecretString::from(PASSWORD.to_owned()),
    };
    let u = app.add_user(&Caller::Operator, new).await.unwrap();
    Actor { user: u.id, org, role, clearance: new_user_clearance(role) }
}

fn tip(message: &str) -> TipInput {
    TipInput { message: message.into(), language: Some("es".into()), ..TipInput::default() }
}

fn invalid_code(e: &AppError) -> Option<(&str, &str)> {
    e.invalid_field().map(|(f, p)| (f, p.code()))
}

#[tokio::test]
async fn a_tip_lands_sealed_in_the_queue_of_its_organisation_and_only_triagers_read_it() {
    for w in worlds(TipsConfig::default()).await {
        let a = org(&w.app, "Norte").await;
        // One organisation: `/tip` posts to it without configuration.
        assert_eq!(w.app.tip_organisation(None).await.unwrap(), a);
        let b = org(&w.app, "Sur").await;
        // Two, none configured: no default form, rather than a guess.
        assert!(matches!(w.app.tip_organisation(None).await, Err(AppError::NotFound)));
        let offered = TipInput {
            contact_channel: Some(ContactChannel::Sms),
            contact: "656 123 4567".into(),
            safe_times: "after 6pm".into(),
            ..tip("Hay niñas trabajando en la empacadora de la calle 5")
        };
        w.app.submit_tip(a, offered, ADDRESS).await.unwrap();

        let hotline = staff(&w.app, a, Role::Hotline).await;
        let list = w.app.signals(&api(hotline), &SignalFilter::default(), true).await.unwrap();
        assert_eq!(list.len(), 1, "{}", w.t.name);
        let s = &list[0];
        assert_eq!((s.channel.as_str(), s.status.as_str(), s.urgency.as_str()), ("web_tip", "new", "routine"));
        assert_eq!(s.text.as_deref(), Some("Hay niñas trabajando en la empacadora de la calle 5"));
        let contact = s.contact.clone().unwrap();
        assert_eq!((contact.channel, contact.contact.as_str()), (Some(ContactChannel::Sms), "656 123 4567"));
        assert_eq!(s.received_by, None);
        // Supervisors too; the other organisation's hotline sees nothing of it.
        let supervisor = staff(&w.app, a, Role::Supervisor).await;
        assert_eq!(w.app.signal(&api(supervisor), s.id).await.unwrap().text, s.text);
        let theirs = staff(&w.app, b, Role::Hotline).await;
        assert!(w.app.signals(&api(theirs), &SignalFilter::default(), true).await.unwrap().is_empty());
        assert!(matches!(w.app.signal(&api(theirs), s.id).await, Err(AppError::NotFound)));
        for role in [Role::Clinician, Role::CaseManager, Role::ShelterStaff, Role::Volunteer, Role::Administrator] {
            let who = staff(&w.app, a, role).await;
            assert!(matches!(w.app.signal(&api(who), s.id).await, Err(AppError::Forbidden(_))), "{role}");
            assert!(matches!(
                w.app.signals(&api(who), &SignalFilter::default(), false).await,
                Err(AppError::Forbidden(_))
            ));
        }

        // The audit log: the tip on the `public` channel with no actor; reads by their reader.
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let tip_entry = log.iter().find(|e| e.draft.action == "signal.tip").expect("tip audited");
        assert_eq!(tip_entry.draft.channel, "public");
        assert_eq!(tip_entry.draft.actor, None);
        assert_eq!(tip_entry.draft.target_id, Some(*s.id.as_uuid()));
        let reads = log.iter().filter(|e| e.draft.action == "signal.read" && e.draft.outcome.code() == "ok").count();
        assert_eq!(reads, 2, "{}", w.t.name);
        assert!(
            log.iter()
                .any(|e| e.draft.action == "signal.read" && e.draft.detail.as_deref() == Some("role_lacks_permission"))
        );
    }
}

#[tokio::test]
async fn bad_tips_are_refused_with_the_field_and_nothing_is_stored() {
    for w in worlds(TipsConfig::default()).await {
        let a = org(&w.app, "Norte").await;
        let cases = [
            (tip("   "), ("message", SignalProblem::MessageRequired.code())),
            (tip(&"x".repeat(10_001)), ("message", SignalProblem::MessageTooLong.code())),
            (
                TipInput { contact: "656 123 4567".into(), ..tip("hola") },
                ("contact_channel", "signal_contact_incomplete"),
            ),
            (
                TipInput { contact_channel: Some(ContactChannel::Phone), ..tip("hola") },
                ("contact", "signal_contact_incomplete"),
            ),
            (TipInput { language: Some("zz9".into()), ..tip("hola") }, ("language", DomainError::UnknownCode.code())),
        ];
        for (input, want) in cases {
            let e = w.app.submit_tip(a, input, ADDRESS).await.unwrap_err();
            assert_eq!(invalid_code(&e), Some(want), "{}", w.t.name);
        }
        let hotline = staff(&w.app, a, Role::Hotline).await;
        assert!(w.app.signals(&api(hotline), &SignalFilter::default(), false).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn one_address_may_send_only_so_many_tips_in_a_window() {
    let tips = TipsConfig { max_per_address: 3, window: Duration::minutes(10), ..TipsConfig::default() };
    for w in worlds(tips.clone()).await {
        let a = org(&w.app, "Norte").await;
        for i in 0..3 {
            w.app.submit_tip(a, tip(&format!("tip {i}")), ADDRESS).await.unwrap();
        }
        let e = w.app.submit_tip(a, tip("one more"), ADDRESS).await.unwrap_err();
        assert!(matches!(e, AppError::TooManyAttempts { retry_after_secs } if retry_after_secs > 0), "{e:?}");
        // Another address is not held back, and the window passes.
        w.app.submit_tip(a, tip("from elsewhere"), IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))).await.unwrap();
        w.clock.advance(Duration::minutes(11));
        w.app.submit_tip(a, tip("later"), ADDRESS).await.unwrap();
    }
}

#[tokio::test]
async fn the_queue_puts_danger_first_and_triage_is_version_checked() {
    for w in worlds(TipsConfig::default()).await {
        let a = org(&w.app, "Norte").await;
        let hotline = staff(&w.app, a, Role::Hotline).await;
        let caller = api(hotline);
        w.app.submit_tip(a, tip("routine tip"), ADDRESS).await.unwrap();
        w.clock.advance(Duration::minutes(5));
        let call = NewSignal {
            channel: "call".into(),
            urgency: Some("immediate_danger".into()),
            language: Some("en".into()),
            region: Some("us-tx".into()),
            concerns: vec!["labour_exploitation".into()],
            text: "Caller locked in a trailer".into(),
            notes: Some("Police called".into()),
        };
        let logged = w.app.log_signal(&caller, call).await.unwrap();
        assert_eq!(logged.region.as_deref(), Some("US-TX"));
        assert_eq!(logged.status, "triaged");
        let bad = NewSignal { channel: "pigeon".into(), text: "x".into(), ..NewSignal::default() };
        assert_eq!(invalid_code(&w.app.log_signal(&caller, bad).await.unwrap_err()), Some(("channel", "unknown_code")));

        let queue = w.app.signals(&caller, &SignalFilter::default(), false).await.unwrap();
        let order: Vec<&str> = queue.iter().map(|s| s.urgency.as_str()).collect();
        assert_eq!(order, vec!["immediate_danger", "routine"], "{}", w.t.name);
        assert!(queue.iter().all(|s| s.text.is_none()), "a list that does not open signals shows no text");
        let only_new = SignalFilter { status: Some("new".into()), ..SignalFilter::default() };
        assert_eq!(w.app.signals(&caller, &only_new, false).await.unwrap().len(), 1);
        let unknown = SignalFilter { urgency: Some("soonish".into()), ..SignalFilter::default() };
        assert!(w.app.signals(&caller, &unknown, false).await.is_err());

        let tip_id = queue[1].id;
        let triage = SignalTriage {
            urgency: Some("urgent".into()),
            notes: Some("Sounds like a packing plant".into()),
            concerns: Some(vec!["minor_at_risk".into()]),
            region: Some("MX-CHH".into()),
            ..SignalTriage::default()
        };
        let t1 = w.app.triage_signal(&caller, tip_id, Some(1), triage.clone()).await.unwrap();
        assert_eq!((t1.status.as_str(), t1.urgency.as_str(), t1.version), ("triaged", "urgent", 2));
        assert_eq!(t1.notes.as_deref(), Some("Sounds like a packing plant"));
        assert!(matches!(w.app.triage_signal(&caller, tip_id, Some(1), triage).await, Err(AppError::Conflict)));
        let needs_case = SignalTriage { outcome: Some("linked_to_case".into()), ..SignalTriage::default() };
        assert_eq!(
            invalid_code(&w.app.triage_signal(&caller, tip_id, Some(2), needs_case).await.unwrap_err()),
            Some(("outcome", "signal_outcome_needs_case"))
        );
        let done = SignalTriage { outcome: Some("referred_to_local_responder".into()), ..SignalTriage::default() };
        let t2 = w.app.triage_signal(&caller, tip_id, Some(2), done).await.unwrap();
        assert_eq!((t2.status.as_str(), t2.outcome.as_deref()), ("closed", Some("referred_to_local_responder")));
    }
}

#[tokio::test]
async fn a_case_opened_from_a_tip_goes_through_intake_and_a_link_needs_sight_of_the_case() {
    for w in worlds(TipsConfig::default()).await {
        let a = org(&w.app, "Norte").await;
        let hotline = staff(&w.app, a, Role::Hotline).await;
        let caller = api(hotline);
        let offered = TipInput {
            contact_channel: Some(ContactChannel::Whatsapp),
            contact: "+52 656 123 4567".into(),
            safe_times: "mañanas".into(),
            ..tip("Necesito ayuda, me quitaron mis papeles")
        };
        let id = w.app.submit_tip(a, offered, ADDRESS).await.unwrap();
        let input = CaseFromSignal { alias: "Rosa".into(), language: None, use_offered_contact: true };
        assert!(matches!(
            w.app.open_case_from_signal(&caller, id, Some(7), input.clone()).await,
            Err(AppError::Conflict)
        ));
        let opened = w.app.open_case_from_signal(&caller, id, Some(1), input.clone()).await.unwrap();
        assert_eq!(opened.signal.outcome.as_deref(), Some("opened_case"));
        assert_eq!(opened.signal.case_id, Some(opened.case_id));
        let person = w.app.read_person(&caller, opened.person_id).await.unwrap();
        assert_eq!(person.fields.alias, Some(Answer::Value("Rosa".into())));
        assert_eq!(person.fields.primary_language, Some(Answer::Value("es".into())));
        assert_eq!(person.fields.phone, Some(Answer::Value("+52 656 123 4567".into())));
        let sc = person.fields.safe_contact.clone().unwrap();
        assert_eq!(
            (sc[0].channel, sc[0].safe, sc[0].safe_times.as_deref()),
            (Some(ContactChannel::Whatsapp), true, Some("mañanas"))
        );
        // Done once: the link stays.
        assert!(w.app.open_case_from_signal(&caller, id, Some(2), input).await.is_err());
        let undo = SignalTriage { outcome: Some("information_only".into()), ..SignalTriage::default() };
        assert_eq!(
            invalid_code(&w.app.triage_signal(&caller, id, Some(2), undo).await.unwrap_err()),
            Some(("outcome", "signal_already_resolved"))
        );

        // Linking: a case the hotline worker is not on is refused; a supervisor's link works.
        let cm = staff(&w.app, a, Role::CaseManager).await;
        let p = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() },
            )
            .await
            .unwrap();
        let c = w.app.open_case(&api(cm), p.id, CaseFields::default()).await.unwrap();
        let second = w.app.submit_tip(a, tip("Otra vez la empacadora"), ADDRESS).await.unwrap();
        assert!(matches!(
            w.app.link_signal_by_number(&caller, second, Some(1), &c.number).await,
            Err(AppError::Forbidden(_))
        ));
        let supervisor = staff(&w.app, a, Role::Supervisor).await;
        let linked = w.app.link_signal_by_number(&api(supervisor), second, Some(1), &c.number).await.unwrap();
        assert_eq!((linked.outcome.as_deref(), linked.case_id), (Some("linked_to_case"), Some(c.id)));
    }
}

#[tokio::test]
async fn a_coalition_names_its_forms_and_nothing_of_the_tip_reaches_the_disk() {
    let tips = TipsConfig {
        default_organisation: Some("Norte".into()),
        pages: vec![("s7".into(), "Sur".into())],
        ..TipsConfig::default()
    };
    let w = worlds(tips).await.into_iter().next().unwrap();
    assert_eq!(w.t.name, "sqlite");
    let a = org(&w.app, "Norte").await;
    let b = org(&w.app, "Sur").await;
    assert_eq!(w.app.tip_organisation(None).await.unwrap(), a);
    assert_eq!(w.app.tip_organisation(Some("s7")).await.unwrap(), b);
    assert!(matches!(w.app.tip_organisation(Some("nope")).await, Err(AppError::NotFound)));
    let canaries = ["Canarioxyz tip body", "Canarioxyz-contact", "Canarioxyz times"];
    let input = TipInput {
        contact_channel: Some(ContactChannel::Email),
        contact: canaries[1].into(),
        safe_times: canaries[2].into(),
        ..tip(canaries[0])
    };
    let id = w.app.submit_tip(b, input, ADDRESS).await.unwrap();
    let hotline = staff(&w.app, b, Role::Hotline).await;
    w.app
        .triage_signal(
            &api(hotline),
            id,
            Some(1),
            SignalTriage { notes: Some("Canarioxyz notes".into()), ..SignalTriage::default() },
        )
        .await
        .unwrap();
    let dir = w.t.sqlite_data_dir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        for c in canaries.iter().chain(&["Canarioxyz notes", "192.0.2.7"]) {
            assert!(!bytes.windows(c.len()).any(|win| win == c.as_bytes()), "{c} in {:?}", entry.file_name());
        }
    }
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
