#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The foundation's use cases on every backend: organisation isolation, sign-in throttling,
//! sessions, MFA, tokens, audit. Real stores (SQLite always, PostgreSQL when configured).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::{
    Amparo, AppConfig, AppError, Caller, ChainVerdict, Channel, Deps, ManualClock, NewInstallation, NewUser,
    SessionContext, SessionStage,
};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams, TotpSecret};
use amparo_domain::{Actor, Language, OrgId, Role};
use amparo_store_tests::TestStore;

const IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const ADMIN_PASSWORD: &str = "una contraseña larga de prueba";
const USER_PASSWORD: &str = "frase inicial para el equipo";

struct World {
    app: Amparo,
    clock: Arc<ManualClock>,
    _keys: tempfile::TempDir,
    t: TestStore,
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

async fn world(t: TestStore) -> World {
    let keys = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().expect("date")));
    let app = Amparo::new(Deps {
        store: Arc::clone(&t.store),
        keys: Arc::new(KeyRing::new(&MasterKey::generate())),
        key_dir: keys.path().to_owned(),
        config: AppConfig::default(),
        clock: clock.clone(),
        password_params: PasswordParams::insecure_for_tests(),
    });
    World { app, clock, _keys: keys, t }
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        out.push(world(t).await);
    }
    out
}

async fn add_org(app: &Amparo, name: &str, admin: &str) -> (OrgId, Actor) {
    let (org, admin) = app
        .add_organisation(NewInstallation {
            org_name: name.into(),
            admin_email: admin.into(),
            admin_name: None,
            admin_password: pw(ADMIN_PASSWORD),
            language: Language::Es,
        })
        .await
        .expect("add organisation");
    (org, Actor { user: admin.id, org, role: Role::Administrator, clearance: amparo_domain::Clearance::Cleared })
}

fn web(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Web }
}

/// Signs in fully: password, MFA enrolment with the secret the enrolment page shows.
async fn sign_in(w: &World, email: &str, password: &str) -> (SessionContext, TotpSecret) {
    let out = w.app.login(email, pw(password), IP).await.expect("password accepted");
    assert_eq!(out.stage, SessionStage::MfaEnrolment);
    let s = w.app.session(&out.session_token).await.expect("session");
    let enrolment = w.app.mfa_enrolment(&s).await.expect("enrolment");
    assert!(enrolment.qr_svg.contains("<svg"));
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).expect("base32 secret");
    let code = secret.code_at(w.app.now().timestamp());
    let out = w.app.submit_mfa_code(&s, &code).await.expect("code accepted");
    let s = w.app.session(&out.session_token).await.expect("active session");
    SECRETS.with(|m| m.borrow_mut().insert(email.to_owned(), secret.clone()));
    (s, secret)
}

#[tokio::test]
async fn nothing_crosses_between_organisations_on_every_backend() {
    for w in worlds().await {
        let name = w.t.name;
        let (org_a, admin_a) = add_org(&w.app, "Refugio Norte", "admin@norte.org").await;
        let (org_b, _admin_b) = add_org(&w.app, "Casa Sur", "admin@sur.org").await;
        let b_user = w
            .app
            .add_user(
                &Caller::Operator,
                NewUser {
                    org: org_b,
                    email: "rosa@sur.org".into(),
                    name: Some("Rosa".into()),
                    role: Role::CaseManager,
                    language: Language::Es,
                    initial_password: pw(USER_PASSWORD),
                },
            )
            .await
            .expect("add user to B");
        let a = web(admin_a);
        // Everything another organisation has is "not found", never "forbidden".
        assert!(matches!(w.app.list_users(&a, org_b).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.find_user(&a, "rosa@sur.org").await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.disable_user(&a, b_user.id).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.change_role(&a, b_user.id, Role::Supervisor).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.reset_user_mfa(&a, b_user.id).await, Err(AppError::NotFound)), "{name}");
        assert!(matches!(w.app.create_api_token(&a, "rosa@sur.org", "x").await, Err(AppError::NotFound)), "{name}");
        let add_into_b = w
            .app
            .add_user(
                &a,
                NewUser {
                    org: org_b,
                    email: "intruso@norte.org".into(),
                    name: None,
                    role: Role::Supervisor,
                    language: Language::Es,
                    initial_password: pw(USER_PASSWORD),
                },
            )
            .await;
        assert!(matches!(add_into_b, Err(AppError::NotFound)), "{name}");
        // B's user is untouched, and A sees only its own people.
        let b_now = w.app.find_user(&Caller::Operator, "rosa@sur.org").await.expect("B user");
        assert!(!b_now.disabled && b_now.role == Role::CaseManager, "{name}");
        let a_users = w.app.list_users(&a, org_a).await.expect("A users");
        assert!(a_users.iter().all(|u| u.org == org_a) && a_users.len() == 1, "{name}");
        // The refusals were audited, and the chain is whole.
        assert!(matches!(w.app.verify_audit_chain().await, Ok(ChainVerdict::Intact { .. })), "{name}");
    }
}

#[tokio::test]
async fn a_non_administrator_cannot_manage_users() {
    for w in worlds().await {
        let (org, _) = add_org(&w.app, "Refugio", "admin@refugio.org").await;
        for role in [Role::Supervisor, Role::CaseManager, Role::Volunteer, Role::Analyst] {
            let who =
                Actor { user: amparo_domain::UserId::new(), org, role, clearance: amparo_domain::Clearance::Cleared };
            let r = w.app.list_users(&web(who), org).await;
            assert!(matches!(r, Err(AppError::Forbidden(_))), "{} {role}", w.t.name);
        }
    }
}

#[tokio::test]
async fn more_than_ten_failures_lock_the_account_even_for_the_right_password_and_locks_double() {
    for w in worlds().await {
        let name = w.t.name;
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        for i in 1..=11 {
            let r = w.app.login("admin@refugio.org", pw("not the right password at all"), IP).await;
            assert!(matches!(r, Err(AppError::WrongCredentials)), "{name}: attempt {i} answered normally");
        }
        match w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await {
            Err(AppError::TooManyAttempts { retry_after_secs }) => {
                assert!((890..=900).contains(&retry_after_secs), "{name}")
            }
            other => panic!("{name}: 12th attempt with the right password must be refused, got {other:?}"),
        }
        // After 15 minutes, eleven more failures lock for twice as long.
        w.clock.advance(Duration::minutes(15) + Duration::seconds(1));
        for _ in 1..=11 {
            let _ = w.app.login("admin@refugio.org", pw("wrong again, still wrong"), IP).await;
        }
        match w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await {
            Err(AppError::TooManyAttempts { retry_after_secs }) => {
                assert!((1790..=1800).contains(&retry_after_secs), "{name}: {retry_after_secs}")
            }
            other => panic!("{name}: second lock expected, got {other:?}"),
        }
        // A successful sign-in resets the escalation.
        w.clock.advance(Duration::minutes(31));
        assert!(w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await.is_ok(), "{name}");
    }
}

#[tokio::test]
async fn unknown_accounts_get_the_same_answer_as_wrong_passwords() {
    for w in worlds().await {
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let unknown = w.app.login("nadie@refugio.org", pw("whatever whatever 1"), IP).await;
        let wrong = w.app.login("admin@refugio.org", pw("whatever whatever 1"), IP).await;
        let malformed = w.app.login("not an email", pw("whatever whatever 1"), IP).await;
        for r in [unknown, wrong, malformed] {
            assert!(matches!(r, Err(AppError::WrongCredentials)), "{}", w.t.name);
        }
    }
}

#[tokio::test]
async fn sessions_end_when_idle_for_15_minutes_and_after_8_hours() {
    for w in worlds().await {
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let (s, _) = sign_in(&w, "admin@refugio.org", ADMIN_PASSWORD).await;
        let token = session_token_of(&w, "admin@refugio.org").await;
        let _ = s;
        // Busy all day: every 10 minutes for almost 8 hours.
        for _ in 0..47 {
            w.clock.advance(Duration::minutes(10));
            assert!(w.app.session(&token).await.is_ok(), "{}", w.t.name);
        }
        w.clock.advance(Duration::minutes(10));
        assert!(matches!(w.app.session(&token).await, Err(AppError::Unauthenticated)), "{}: absolute", w.t.name);

        let token = session_token_of(&w, "admin@refugio.org").await;
        w.clock.advance(Duration::minutes(14));
        assert!(w.app.session(&token).await.is_ok(), "{}", w.t.name);
        w.clock.advance(Duration::minutes(15));
        assert!(matches!(w.app.session(&token).await, Err(AppError::Unauthenticated)), "{}: idle", w.t.name);
    }
}

/// Signs in again (MFA challenge) and returns the active session's token.
async fn session_token_of(w: &World, email: &str) -> String {
    let out = w.app.login(email, pw(ADMIN_PASSWORD), IP).await.expect("password");
    assert_eq!(out.stage, SessionStage::MfaChallenge);
    // Codes are single use: step forward to a fresh one.
    w.clock.advance(Duration::seconds(30));
    let s = w.app.session(&out.session_token).await.expect("pending session");
    let secret = SECRETS.with(|m| m.borrow().get(email).cloned()).expect("secret known");
    let out = w.app.submit_mfa_code(&s, &secret.code_at(w.app.now().timestamp())).await.expect("code");
    out.session_token
}

thread_local! {
    static SECRETS: std::cell::RefCell<std::collections::HashMap<String, TotpSecret>> = Default::default();
}

#[tokio::test]
async fn mfa_codes_are_single_use_and_at_most_one_step_off() {
    for w in worlds().await {
        let name = w.t.name;
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let (_, secret) = sign_in(&w, "admin@refugio.org", ADMIN_PASSWORD).await;
        let now = w.app.now().timestamp();
        // The code used at enrolment cannot be used again.
        let out = w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await.expect("password");
        let s = w.app.session(&out.session_token).await.expect("pending");
        for code in
            [secret.code_at(now), secret.code_at(now + 60), secret.code_at(now - 60), "12345".into(), "abcdef".into()]
        {
            assert!(matches!(w.app.submit_mfa_code(&s, &code).await, Err(AppError::WrongMfaCode)), "{name}: {code}");
        }
        // One step ahead is accepted (clock skew), once.
        let next = secret.code_at(now + 30);
        assert!(w.app.submit_mfa_code(&s, &next).await.is_ok(), "{name}");
        let out = w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await.expect("password");
        let s = w.app.session(&out.session_token).await.expect("pending");
        assert!(matches!(w.app.submit_mfa_code(&s, &next).await, Err(AppError::WrongMfaCode)), "{name}: replay");
    }
}

#[tokio::test]
async fn logout_disable_and_password_change_end_sessions() {
    for w in worlds().await {
        let name = w.t.name;
        let (org, admin) = add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let (s, _) = sign_in(&w, "admin@refugio.org", ADMIN_PASSWORD).await;
        // Logout.
        let token = session_token_of(&w, "admin@refugio.org").await;
        let ctx = w.app.session(&token).await.expect("session");
        w.app.logout(&ctx).await.expect("logout");
        assert!(matches!(w.app.session(&token).await, Err(AppError::Unauthenticated)), "{name}: logout");
        // Password change ends every other session.
        let other = session_token_of(&w, "admin@refugio.org").await;
        let current = w.app.session(&session_token_of(&w, "admin@refugio.org").await).await.expect("s");
        let new = w
            .app
            .change_own_password(&current, pw(ADMIN_PASSWORD), pw("otra frase distinta y larga"))
            .await
            .expect("change");
        assert!(matches!(w.app.session(&other).await, Err(AppError::Unauthenticated)), "{name}: password change");
        assert!(w.app.session(&new.session_token).await.is_ok(), "{name}: new session works");
        // Disabling a user ends their sessions at once.
        w.app
            .add_user(
                &web(admin),
                NewUser {
                    org,
                    email: "luz@refugio.org".into(),
                    name: None,
                    role: Role::CaseManager,
                    language: Language::En,
                    initial_password: pw(USER_PASSWORD),
                },
            )
            .await
            .expect("add");
        let out = w.app.login("luz@refugio.org", pw(USER_PASSWORD), IP).await.expect("luz");
        let luz = w.app.find_user(&web(admin), "luz@refugio.org").await.expect("find");
        w.app.disable_user(&web(admin), luz.id).await.expect("disable");
        assert!(matches!(w.app.session(&out.session_token).await, Err(AppError::Unauthenticated)), "{name}: disable");
        assert!(
            matches!(w.app.login("luz@refugio.org", pw(USER_PASSWORD), IP).await, Err(AppError::WrongCredentials)),
            "{name}"
        );
        let _ = s;
    }
}

#[tokio::test]
async fn a_new_user_must_enrol_mfa_then_choose_their_own_password() {
    for w in worlds().await {
        let (org, admin) = add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let new = NewUser {
            org,
            email: "Mar@Refugio.org".into(),
            name: Some("Mar".into()),
            role: Role::Hotline,
            language: Language::Es,
            initial_password: pw(USER_PASSWORD),
        };
        w.app.add_user(&web(admin), new).await.expect("add");
        let out = w.app.login("mar@refugio.org", pw(USER_PASSWORD), IP).await.expect("login");
        assert_eq!(out.stage, SessionStage::MfaEnrolment);
        let s = w.app.session(&out.session_token).await.expect("s");
        let e = w.app.mfa_enrolment(&s).await.expect("e");
        let secret = TotpSecret::from_base32(&e.secret_base32).expect("secret");
        let out = w.app.submit_mfa_code(&s, &secret.code_at(w.app.now().timestamp())).await.expect("mfa");
        assert_eq!(out.stage, SessionStage::PasswordChange);
        let s = w.app.session(&out.session_token).await.expect("s");
        // The policy applies: too short, and context words, are refused.
        assert!(matches!(
            w.app.change_own_password(&s, pw(USER_PASSWORD), pw("corta")).await,
            Err(AppError::Invalid { .. })
        ));
        let r = w.app.change_own_password(&s, pw(USER_PASSWORD), pw("refugio mar 2026")).await;
        assert!(matches!(r, Err(AppError::Invalid { .. })), "{}", w.t.name);
        let out =
            w.app.change_own_password(&s, pw(USER_PASSWORD), pw("el río suena cuando lleva agua")).await.expect("ok");
        assert_eq!(out.stage, SessionStage::Active);
    }
}

#[tokio::test]
async fn api_tokens_act_as_their_user_until_revoked_or_disabled() {
    for w in worlds().await {
        let name = w.t.name;
        let (org, admin) = add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let token = w.app.create_api_token(&Caller::Operator, "admin@refugio.org", "reports").await.expect("token");
        let actor = w.app.authenticate_token(&token.secret).await.expect("valid");
        assert_eq!(actor, admin, "{name}");
        assert!(matches!(w.app.authenticate_token("amparo_forged").await, Err(AppError::Unauthenticated)), "{name}");
        w.app.revoke_api_token(&Caller::Operator, &token.id.to_string()).await.expect("revoke");
        assert!(matches!(w.app.authenticate_token(&token.secret).await, Err(AppError::Unauthenticated)), "{name}");
        // A disabled user's token stops at once.
        let u = w
            .app
            .add_user(
                &Caller::Operator,
                NewUser {
                    org,
                    email: "ana@refugio.org".into(),
                    name: None,
                    role: Role::Analyst,
                    language: Language::Es,
                    initial_password: pw(USER_PASSWORD),
                },
            )
            .await
            .expect("add");
        // An administrator cannot mint a token that acts as someone else; the user can.
        let minted = w.app.create_api_token(&web(admin), "ana@refugio.org", "dashboards").await;
        assert!(matches!(minted, Err(AppError::Forbidden(_))), "{name}");
        let ana = Actor { user: u.id, org, role: Role::Analyst, clearance: amparo_domain::Clearance::Cleared };
        let t = w.app.create_api_token(&web(ana), "ana@refugio.org", "dashboards").await.expect("token");
        assert!(w.app.authenticate_token(&t.secret).await.is_ok(), "{name}");
        w.app.disable_user(&web(admin), u.id).await.expect("disable");
        assert!(matches!(w.app.authenticate_token(&t.secret).await, Err(AppError::Unauthenticated)), "{name}");
    }
}

#[tokio::test]
async fn audit_chain_grows_with_every_sign_in_and_verifies() {
    for w in worlds().await {
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let before = match w.app.verify_audit_chain().await.expect("verify") {
            ChainVerdict::Intact { entries } => entries,
            broken => panic!("{broken:?}"),
        };
        let _ = w.app.login("admin@refugio.org", pw("wrong wrong wrong wrong"), IP).await;
        let _ = w.app.login("nadie@refugio.org", pw("wrong wrong wrong wrong"), IP).await;
        let _ = w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await.expect("ok");
        match w.app.verify_audit_chain().await.expect("verify") {
            ChainVerdict::Intact { entries } => assert_eq!(entries, before + 3, "{}", w.t.name),
            broken => panic!("{broken:?}"),
        }
    }
}

#[tokio::test]
async fn wrong_mfa_codes_lock_the_account_and_then_no_code_is_tried() {
    for w in worlds().await {
        let name = w.t.name;
        add_org(&w.app, "Refugio", "admin@refugio.org").await;
        let (_, secret) = sign_in(&w, "admin@refugio.org", ADMIN_PASSWORD).await;
        w.clock.advance(Duration::seconds(60));
        let out = w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await.expect("password");
        let s = w.app.session(&out.session_token).await.expect("pending");
        for i in 0..11 {
            let r = w.app.submit_mfa_code(&s, &format!("{:06}", (i * 7919) % 1_000_000)).await;
            assert!(matches!(r, Err(AppError::WrongMfaCode) | Err(AppError::TooManyAttempts { .. })), "{name}: {i}");
        }
        let right = secret.code_at(w.app.now().timestamp());
        assert!(matches!(w.app.submit_mfa_code(&s, &right).await, Err(AppError::TooManyAttempts { .. })), "{name}");
        assert!(
            matches!(
                w.app.login("admin@refugio.org", pw(ADMIN_PASSWORD), IP).await,
                Err(AppError::TooManyAttempts { .. })
            ),
            "{name}"
        );
    }
}
