//! Referrals on every backend: the consent rule (missing, expired, revoked, too narrow) on
//! create, send and pack; a referral between two organisations of one installation from
//! the sender's record to the receiver's inbox, accepted into a new person and case; who
//! may refer and who may see the inbox; and what goes into the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::records::{ConsentInput, PersonFields};
use amparo_app::referrals::{AcceptInput, PartnerInput, ReferralInput};
use amparo_app::{Amparo, AppConfig, AppError, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::records::Answer;
use amparo_domain::referrals::{PartnerId, ReferralDirection};
use amparo_domain::{Actor, Language, OrgId, PersonId, Role};
use amparo_store_tests::TestStore;

const PASSWORD: &str = "una contraseña larga de prueba";

struct World {
    app: Amparo,
    clock: Arc<ManualClock>,
    _keys: tempfile::TempDir,
    t: TestStore,
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
    let new = NewInstallation {
        org_name: name.into(),
        admin_email: format!("admin@{}.org", name.to_lowercase()),
        admin_name: None,
        admin_password: SecretString::from(PASSWORD.to_owned()),
        language: Language::Es,
    };
    app.add_organisation(new).await.unwrap().0
}

async fn staff(app: &Amparo, org: OrgId, role: Role, tag: &str) -> Actor {
    let new = NewUser {
        org,
        email: format!("{tag}@{}.org", org.to_string().get(..8).unwrap()),
        name: None,
        role,
        language: Language::Es,
        initial_password: SecretString::from(PASSWORD.to_owned()),
    };
    let u = app.add_user(&Caller::Operator, new).await.unwrap();
    Actor { user: u.id, org, role, clearance: new_user_clearance(role) }
}

fn consent(partner: PartnerId, fields: &[&str], expires: chrono::NaiveDate) -> ConsentInput {
    ConsentInput {
        recipient_partner_id: Some(*partner.as_uuid()),
        recipient_name: None,
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        purpose: "vivienda y asesoría legal".into(),
        expires_on: expires,
        given_as: "written".into(),
    }
}

fn referral(person: PersonId, partner: PartnerId, fields: &[&str]) -> ReferralInput {
    ReferralInput {
        person_id: person,
        case_id: None,
        partner_id: partner,
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        reason: "necesita albergue seguro esta semana".into(),
        urgency: Some("urgent".into()),
        draft: false,
    }
}

fn is_consent_required(r: &Result<impl std::fmt::Debug, AppError>) -> bool {
    matches!(r, Err(AppError::Refused("consent_required")))
}

#[tokio::test]
async fn a_referral_needs_a_valid_consent_for_that_partner_and_every_field() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let admin = staff(&w.app, a, Role::Administrator, "adm").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let partner_input = |n: &str| PartnerInput {
            name: n.into(),
            country: "MX".into(),
            region: Some("MX-CHH".into()),
            services: vec!["housing".into()],
            languages: vec!["es".into()],
            organisation_id: Some(*b.as_uuid()),
            ..PartnerInput::default()
        };
        let sur = w.app.add_partner(&api(admin), None, partner_input("Sur")).await.unwrap();
        let other = w.app.add_partner(&api(admin), None, partner_input("Otra")).await.unwrap();
        let fields = PersonFields {
            alias: Some(Answer::Value("Luz".into())),
            phone: Some(Answer::Value("+52 656 123 4567".into())),
            narrative: Some("lo que pasó".into()),
            ..PersonFields::default()
        };
        let person = w.app.create_person(&api(cm), fields).await.unwrap().id;
        let today = w.app.now().date_naive();

        // Missing: no consent at all, then one for another partner only.
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await;
        assert!(is_consent_required(&r), "{name}: missing {r:?}");
        w.app.record_consent(&api(cm), person, consent(other, &["alias"], today + Duration::days(30))).await.unwrap();
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await;
        assert!(is_consent_required(&r), "{name}: other partner {r:?}");

        // Revoked.
        let revoked =
            w.app.record_consent(&api(cm), person, consent(sur, &["alias"], today + Duration::days(30))).await.unwrap();
        w.app.revoke_consent(&api(cm), person, revoked).await.unwrap();
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await;
        assert!(is_consent_required(&r), "{name}: revoked {r:?}");

        // Expired: valid through tomorrow, then two days pass.
        w.app
            .record_consent(&api(cm), person, consent(sur, &["alias", "phone"], today + Duration::days(1)))
            .await
            .unwrap();
        w.app
            .create_referral(&api(cm), ReferralInput { draft: true, ..referral(person, sur, &["alias"]) })
            .await
            .unwrap();
        w.clock.advance(Duration::days(2));
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await;
        assert!(is_consent_required(&r), "{name}: expired {r:?}");

        // Too narrow: a valid consent without the narrative.
        let today = w.app.now().date_naive();
        w.app
            .record_consent(&api(cm), person, consent(sur, &["alias", "phone"], today + Duration::days(60)))
            .await
            .unwrap();
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["alias", "narrative"])).await;
        assert!(is_consent_required(&r), "{name}: too narrow {r:?}");
        // Nothing chosen, or a field that is not a consent field: bad input.
        let r = w.app.create_referral(&api(cm), referral(person, sur, &[])).await;
        assert!(matches!(r, Err(AppError::Invalid { field: "fields", .. })), "{name}: {r:?}");
        let r = w.app.create_referral(&api(cm), referral(person, sur, &["shoe_size"])).await;
        assert!(matches!(r, Err(AppError::Invalid { field: "fields", .. })), "{name}: {r:?}");

        // Every refusal is in the audit log with its reason (codes only).
        let log = w.app.store().audit_events_of_org(a, 200).await.unwrap();
        for reason in ["consent_missing", "consent_revoked", "consent_expired", "consent_too_narrow"] {
            assert!(
                log.iter().any(|e| e.draft.action == "referral.create" && e.draft.detail.as_deref() == Some(reason)),
                "{name}: no audit entry for {reason}"
            );
        }

        // Covered: it goes, carrying exactly the consented fields.
        let id = w.app.create_referral(&api(cm), referral(person, sur, &["alias", "phone"])).await.unwrap();
        let out = w.app.referral(&api(cm), None, id).await.unwrap();
        assert_eq!(out.status, "sent", "{name}");
        let shared = out.shared.unwrap();
        assert_eq!(shared.keys().cloned().collect::<Vec<_>>(), vec!["alias".to_owned(), "phone".to_owned()], "{name}");
        assert!(!serde_json::to_string(&shared).unwrap().contains("lo que pasó"), "{name}: the narrative went");
    }
}

#[tokio::test]
async fn a_referral_to_an_organisation_here_lands_in_its_inbox_and_is_accepted_into_a_case() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let admin = staff(&w.app, a, Role::Administrator, "adm").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let not_on_team = staff(&w.app, a, Role::CaseManager, "cm2").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hl").await;
        let b_cm = staff(&w.app, b, Role::CaseManager, "bcm").await;
        let b_shelter = staff(&w.app, b, Role::ShelterStaff, "bsh").await;
        let sur = w
            .app
            .add_partner(
                &api(admin),
                None,
                PartnerInput {
                    name: "Sur".into(),
                    country: "US".into(),
                    region: Some("US-TX".into()),
                    services: vec!["legal_aid".into()],
                    languages: vec!["es".into(), "en".into()],
                    organisation_id: Some(*b.as_uuid()),
                    ..PartnerInput::default()
                },
            )
            .await
            .unwrap();
        // A case manager may not add partners; an unknown service is refused.
        assert!(matches!(
            w.app.add_partner(&api(cm), None, PartnerInput { name: "X".into(), ..PartnerInput::default() }).await,
            Err(AppError::Forbidden(_))
        ));
        let bad = PartnerInput {
            name: "X".into(),
            country: "MX".into(),
            services: vec!["spa".into()],
            organisation_id: Some(*b.as_uuid()),
            ..PartnerInput::default()
        };
        assert!(matches!(
            w.app.add_partner(&api(admin), None, bad).await,
            Err(AppError::Invalid { field: "services", .. })
        ));

        let fields = PersonFields {
            alias: Some(Answer::Value("Luz".into())),
            given_name: Some(Answer::Value("María".into())),
            ..PersonFields::default()
        };
        let person = w.app.create_person(&api(cm), fields).await.unwrap().id;
        let today = w.app.now().date_naive();
        w.app.record_consent(&api(cm), person, consent(sur, &["alias"], today + Duration::days(90))).await.unwrap();
        // Who may refer: the person's team, not another case manager, not the hotline.
        for who in [not_on_team, hotline] {
            let r = w.app.create_referral(&api(who), referral(person, sur, &["alias"])).await;
            assert!(matches!(r, Err(AppError::Forbidden(_))), "{name}: {r:?}");
        }
        let id = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await.unwrap();

        // The inbox: B's case manager sees exactly the alias; B's shelter staff sees nothing.
        assert!(matches!(
            w.app.referrals(&api(b_shelter), None, ReferralDirection::Incoming).await,
            Err(AppError::Forbidden(_))
        ));
        let inbox = w.app.referrals(&api(b_cm), None, ReferralDirection::Incoming).await.unwrap();
        assert_eq!(inbox.len(), 1, "{name}");
        let shared = serde_json::to_value(inbox[0].shared.as_ref().unwrap()).unwrap();
        assert_eq!(shared, serde_json::json!({"alias": {"alias": "Luz"}}), "{name}");
        assert_eq!(inbox[0].reason, None, "{name}: the sender's reason stays with the sender");
        // Nothing of A's is in B's outgoing list, nor A's inbox.
        assert!(w.app.referrals(&api(b_cm), None, ReferralDirection::Outgoing).await.unwrap().is_empty());
        assert!(w.app.referrals(&api(cm), None, ReferralDirection::Incoming).await.unwrap().is_empty());
        // A's other case manager sees the referral listed, but not what it carries.
        let seen = w.app.referrals(&api(not_on_team), None, ReferralDirection::Outgoing).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].shared.is_none() && seen[0].reason.is_none(), "{name}");

        // B accepts: a new person and case in B, with the alias; A sees "accepted".
        let (new_person, new_case) =
            w.app.accept_referral(&api(b_cm), None, inbox[0].id, AcceptInput::default()).await.unwrap();
        let there = w.app.read_person(&api(b_cm), new_person).await.unwrap();
        assert_eq!(there.fields.alias, Some(Answer::Value("Luz".into())), "{name}");
        assert_eq!(there.fields.given_name, None, "{name}: not consented, not copied");
        assert!(w.app.read_case(&api(b_cm), new_case).await.is_ok());
        let mine = w.app.referral(&api(cm), None, id).await.unwrap();
        assert_eq!(mine.status, "accepted", "{name}");
        // Accepting twice is a conflict; declining an accepted one too.
        let again = w.app.accept_referral(&api(b_cm), None, inbox[0].id, AcceptInput::default()).await;
        assert!(matches!(again, Err(AppError::Refused("referral_status_change"))), "{name}");
        w.app.complete_referral(&api(cm), None, id).await.unwrap();
        assert_eq!(w.app.referral(&api(b_cm), None, inbox[0].id).await.unwrap().status, "completed", "{name}");

        // A second one is declined with a reason that A reads.
        let id2 = w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await.unwrap();
        let inbox = w.app.referrals(&api(b_cm), None, ReferralDirection::Incoming).await.unwrap();
        let incoming = inbox.iter().find(|r| r.status == "sent").unwrap();
        let r = w.app.decline_referral(&api(b_cm), None, incoming.id, "  ").await;
        assert!(matches!(r, Err(AppError::Invalid { field: "reason", .. })));
        w.app.decline_referral(&api(b_cm), None, incoming.id, "sin cupo este mes").await.unwrap();
        let mine = w.app.referral(&api(cm), None, id2).await.unwrap();
        assert_eq!((mine.status.as_str(), mine.status_note.as_deref()), ("declined", Some("sin cupo este mes")));

        // Every change is audited, with ids and codes only.
        let log_a = w.app.store().audit_events_of_org(a, 200).await.unwrap();
        let log_b = w.app.store().audit_events_of_org(b, 200).await.unwrap();
        for (log, action) in [
            (&log_a, "referral.create"),
            (&log_a, "referral.send"),
            (&log_b, "referral.receive"),
            (&log_b, "referral.accept"),
            (&log_b, "referral.decline"),
            (&log_b, "referral.read"),
        ] {
            assert!(log.iter().any(|e| e.draft.action == action), "{name}: no {action}");
        }
        for e in log_a.iter().chain(log_b.iter()) {
            let d = e.draft.detail.clone().unwrap_or_default();
            assert!(!d.contains("Luz") && !d.contains("cupo"), "{name}: {d}");
        }
    }
}

#[tokio::test]
async fn partners_are_searched_by_service_language_and_place() {
    for w in worlds().await {
        let a = org(&w.app, "Norte").await;
        let admin = staff(&w.app, a, Role::Administrator, "adm").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let volunteer = staff(&w.app, a, Role::Volunteer, "vol").await;
        let key = amparo_crypto::InstallationIdentity::generate().public().to_string();
        for (n, country, region, service, lang) in [
            ("Casa Juárez", "MX", "MX-CHH", "housing", "es"),
            ("Legal Aid El Paso", "US", "US-TX", "legal_aid", "en"),
            ("Clínica Tijuana", "MX", "MX-BCN", "healthcare", "es"),
        ] {
            let input = PartnerInput {
                name: n.into(),
                country: country.into(),
                region: Some(region.into()),
                services: vec![service.into()],
                languages: vec![lang.into()],
                public_key: Some(key.clone()),
                ..PartnerInput::default()
            };
            w.app.add_partner(&api(admin), None, input).await.unwrap();
        }
        let names = |q: amparo_app::referrals::PartnerQuery| {
            let app = w.app.clone();
            async move { app.partners(&api(cm), None, &q).await.unwrap().into_iter().map(|p| p.name).collect::<Vec<_>>() }
        };
        use amparo_app::referrals::PartnerQuery as Q;
        assert_eq!(names(Q { service: Some("housing".into()), ..Q::default() }).await, vec!["Casa Juárez"]);
        assert_eq!(
            names(Q { language: Some("es".into()), ..Q::default() }).await,
            vec!["Casa Juárez", "Clínica Tijuana"]
        );
        assert_eq!(names(Q { place: Some("US-TX".into()), ..Q::default() }).await, vec!["Legal Aid El Paso"]);
        assert_eq!(
            names(Q { place: Some("mx".into()), service: Some("healthcare".into()), ..Q::default() }).await,
            vec!["Clínica Tijuana"]
        );
        assert!(matches!(w.app.partners(&api(volunteer), None, &Q::default()).await, Err(AppError::Forbidden(_))));
        // A key that is not an identity line is refused.
        let bad = PartnerInput {
            name: "X".into(),
            country: "MX".into(),
            public_key: Some("ssh-ed25519 AAAA".into()),
            ..PartnerInput::default()
        };
        assert!(matches!(
            w.app.add_partner(&api(admin), None, bad).await,
            Err(AppError::Invalid { field: "public_key", .. })
        ));
    }
}

#[tokio::test]
async fn a_packet_is_refused_without_consent_and_opens_on_the_partner_installation() {
    // Two installations: two stores, two master keys.
    let (wa, wb) = (worlds().await.remove(0), {
        let t = amparo_store_tests::sqlite().await;
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
        World { app, clock, _keys: keys, t }
    });
    let a = org(&wa.app, "Norte").await;
    let b = org(&wb.app, "Sur").await;
    let (a_admin, a_cm) =
        (staff(&wa.app, a, Role::Administrator, "adm").await, staff(&wa.app, a, Role::CaseManager, "cm").await);
    let (b_admin, b_cm) =
        (staff(&wb.app, b, Role::Administrator, "adm").await, staff(&wb.app, b, Role::CaseManager, "cm").await);
    let a_line = wa.app.installation_identity().await.unwrap().to_string();
    let b_line = wb.app.installation_identity().await.unwrap().to_string();
    assert_eq!(wa.app.installation_identity().await.unwrap().to_string(), a_line, "the identity is kept");
    let remote = |n: &str, key: &str| PartnerInput {
        name: n.into(),
        country: "MX".into(),
        public_key: Some(key.into()),
        ..PartnerInput::default()
    };
    let to_b = wa.app.add_partner(&api(a_admin), None, remote("Sur", &b_line)).await.unwrap();
    wb.app.add_partner(&api(b_admin), None, remote("Norte", &a_line)).await.unwrap();
    let fields = PersonFields {
        alias: Some(Answer::Value("Luz".into())),
        phone: Some(Answer::Value("+52 656 123 4567".into())),
        ..PersonFields::default()
    };
    let person = wa.app.create_person(&api(a_cm), fields).await.unwrap().id;
    let today = wa.app.now().date_naive();
    let c =
        wa.app.record_consent(&api(a_cm), person, consent(to_b, &["alias"], today + Duration::days(30))).await.unwrap();
    let id = wa.app.create_referral(&api(a_cm), referral(person, to_b, &["alias"])).await.unwrap();
    let packet = wa.app.pack_referral(&api(a_cm), None, id, None).await.unwrap();
    assert!(!String::from_utf8_lossy(&packet).contains("Luz"), "sealed");
    let filed = wb.app.unpack_referral(&api(b_cm), None, &packet).await.unwrap();
    let there = wb.app.referral(&api(b_cm), None, filed).await.unwrap();
    assert_eq!(serde_json::to_value(there.shared.unwrap()).unwrap(), serde_json::json!({"alias": {"alias": "Luz"}}));
    // The same packet twice files one referral.
    assert!(matches!(wb.app.unpack_referral(&api(b_cm), None, &packet).await, Err(AppError::Duplicate)));
    // A's own installation is not the recipient.
    let r = wa.app.unpack_referral(&api(a_cm), None, &packet).await;
    assert!(matches!(r, Err(AppError::Refused("packet_misaddressed"))), "{r:?}");
    // Once the consent is revoked, no packet is made.
    wa.app.revoke_consent(&api(a_cm), person, c).await.unwrap();
    let r = wa.app.pack_referral(&api(a_cm), None, id, None).await;
    assert!(is_consent_required(&r), "{r:?}");
    // A packet past its expiry is refused.
    wb.clock.advance(Duration::days(30));
    let r = wb.app.unpack_referral(&api(b_cm), None, &packet).await;
    assert!(matches!(r, Err(AppError::Refused("packet_expired"))), "{r:?}");
    drop((wa.clock, wa.t, wb.t));
}

#[tokio::test]
async fn the_case_timeline_shows_its_screenings_and_referrals_as_codes_to_those_who_may_read_them() {
    use amparo_app::records::CaseFields;
    use amparo_app::screenings::ScreeningInput;
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let admin = staff(&w.app, a, Role::Administrator, "adm").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let input = PartnerInput {
            name: "Sur".into(),
            country: "MX".into(),
            services: vec!["housing".into()],
            languages: vec!["es".into()],
            organisation_id: Some(*b.as_uuid()),
            ..PartnerInput::default()
        };
        let sur = w.app.add_partner(&api(admin), None, input).await.unwrap();
        let fields = PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() };
        let person = w.app.create_person(&api(cm), fields).await.unwrap().id;
        let team = CaseFields { team: Some(vec![cm.user, clinician.user]), ..CaseFields::default() };
        let case = w.app.open_case(&api(cm), person, team).await.unwrap().id;
        let phq9 = ScreeningInput { instrument: "phq9".into(), answers: vec![1; 9], ..ScreeningInput::default() };
        w.app.run_screening(&api(clinician), person, phq9).await.unwrap();
        let today = w.app.now().date_naive();
        w.app.record_consent(&api(cm), person, consent(sur, &["alias"], today + Duration::days(30))).await.unwrap();
        w.app.create_referral(&api(cm), referral(person, sur, &["alias"])).await.unwrap();

        let kinds = |items: &[amparo_app::casework::TimelineItem]| {
            items.iter().map(|i| i.kind.clone()).filter(|k| k != "case_opened").collect::<Vec<_>>()
        };
        let all = w.app.timeline(&api(cm), case, &[]).await.unwrap();
        assert_eq!(kinds(&all), ["screening", "referral"], "{name}");
        let s = all.iter().find_map(|i| i.screening.as_ref()).unwrap();
        assert_eq!((s.instrument.as_str(), s.total), ("phq9", 9), "{name}");
        let r = all.iter().find_map(|i| i.referral.as_ref()).unwrap();
        assert_eq!((r.direction.as_str(), r.status.as_str(), r.partner_id), ("outgoing", "sent", Some(sur)), "{name}");
        // Codes only: nothing of what was shared or why.
        let json = serde_json::to_string(&all).unwrap();
        assert!(!json.contains("albergue") && !json.contains("Luz"), "{name}: {json}");
        // The clinician reads screenings but makes no referrals; the filter picks one kind.
        let seen = w.app.timeline(&api(clinician), case, &[]).await.unwrap();
        assert_eq!(kinds(&seen), ["screening"], "{name}");
        let only = w.app.timeline(&api(cm), case, &["referral".into()]).await.unwrap();
        assert_eq!(kinds(&only), ["referral"], "{name}");
    }
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
