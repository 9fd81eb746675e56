//! What the use-case tests share: an application over each backend of the conformance
//! suite (SQLite, and PostgreSQL when `AMPARO_TEST_POSTGRES_URL` is set) with a clock the
//! test moves, and the organisations and staff a scenario starts from.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::{Amparo, AppConfig, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::{Actor, Language, OrgId, Role};
use amparo_store_tests::TestStore;

pub const PASSWORD: &str = "una contraseña larga de prueba";

pub struct World {
    pub app: Amparo,
    /// Starts at 2026-11-02 09:00 UTC.
    pub clock: Arc<ManualClock>,
    pub _keys: tempfile::TempDir,
    pub t: TestStore,
}

/// One application per backend, each with its own key directory and `config`.
pub async fn worlds(config: AppConfig) -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        let keys = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap()));
        let app = Amparo::new(Deps {
            store: Arc::clone(&t.store),
            keys: Arc::new(KeyRing::new(&MasterKey::generate())),
            key_dir: keys.path().to_owned(),
            config: config.clone(),
            clock: clock.clone(),
            password_params: PasswordParams::insecure_for_tests(),
        });
        out.push(World { app, clock, _keys: keys, t });
    }
    out
}

pub fn api(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Api }
}

pub async fn org(app: &Amparo, name: &str) -> OrgId {
    let new = NewInstallation {
        org_name: name.into(),
        admin_email: format!("admin@{}.org", name.to_lowercase()),
        admin_name: None,
        admin_password: SecretString::from(PASSWORD.to_owned()),
        language: Language::Es,
    };
    app.add_organisation(new).await.unwrap().0
}

pub async fn staff(app: &Amparo, org: OrgId, role: Role, tag: &str) -> Actor {
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

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
