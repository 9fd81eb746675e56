//! What the use-case tests share: an application over every backend (SQLite, and PostgreSQL
//! when `AMPARO_TEST_POSTGRES_URL` is set) with a clock that stands still, organisations and
//! staff made the way an administrator makes them. Older test files still carry their own
//! copy of this; new ones use it (`mod support;`).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::{Amparo, AppConfig, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::{Actor, Language, OrgId, Role};
use amparo_store_tests::TestStore;

pub const PASSWORD: &str = "una contraseña larga de prueba";

pub struct World {
    pub app: Amparo,
    pub clock: Arc<ManualClock>,
    pub _keys: tempfile::TempDir,
    pub t: TestStore,
}

/// The moment every world starts at.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap()
}

pub async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        let keys = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(start()));
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

pub fn api(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Api }
}

pub async fn org(app: &Amparo, name: &str) -> OrgId {
    let (org, _) = app
        .add_organisation(NewInstallation {
            org_name: name.into(),
            admin_email: format!("admin@{}.org", name.to_lowercase()),
            admin_name: None,
            admin_password: SecretString::from(PASSWORD.to_owned()),
            language: Language::Es,
        })
        .await
        .unwrap();
    org
}

pub async fn staff(app: &Amparo, org: OrgId, role: Role, tag: &str) -> Actor {
    let u = app
        .add_user(
            &Caller::Operator,
            NewUser {
                org,
                email: format!("{tag}@{}.org", org.to_string().get(..8).unwrap()),
                name: None,
                role,
                language: Language::Es,
                initial_password: SecretString::from(PASSWORD.to_owned()),
            },
        )
        .await
        .unwrap();
    Actor { user: u.id, org, role, clearance: new_user_clearance(role) }
}

/// Which of `canaries` stand in clear in any file of `dir` (the SQLite database, its WAL).
pub fn plaintext_on_disk(dir: &std::path::Path, canaries: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        for c in canaries {
            if bytes.windows(c.len()).any(|win| win == c.as_bytes()) {
                found.push(format!("{c} in {}", entry.file_name().to_string_lossy()));
            }
        }
    }
    found
}

/// The audit entries that mention any of `canaries` (none may: entries hold ids and codes).
pub fn canaries_in_audit(log: &[amparo_store::AuditRecord], canaries: &[&str]) -> Vec<String> {
    log.iter().map(|e| format!("{:?}", e.draft)).filter(|all| canaries.iter().any(|c| all.contains(c))).collect()
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
