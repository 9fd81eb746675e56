//! Amparo's use cases. Each one authorises (through the domain's `authorize`), encrypts or
//! decrypts, stores, and audits — the same way whichever door it was called from (page,
//! API, command line).

pub mod audit;
mod audit_log;
mod auth;
pub mod backup;
pub mod casework;
mod clock;
mod config;
pub mod documents;
mod error;
pub mod events;
pub mod forms;
pub mod htcds;
mod ip_limit;
pub mod keys;
mod organisations;
mod passwords;
pub mod placements;
pub mod records;
pub mod referrals;
pub mod releases;
pub mod retention;
pub mod safety;
pub mod screenings;
pub mod shelters;
pub mod signals;
pub mod staff;
mod tokens;
mod users;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use amparo_crypto::{KeyRing, PasswordParams};
use amparo_domain::{Actor, UserId};
use amparo_store::{AuditDraft, AuditOutcome, Store};

pub use amparo_crypto::random_token;
pub use amparo_store::SessionStage;
pub use audit::{Auditor, ChainVerdict};
pub use audit_log::{AuditEntryView, BreakGlassAlert};
pub use auth::{LoginOutcome, MfaEnrolment, SessionContext};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{AppConfig, Hotline};
pub use error::{AppError, AppResult};
pub use organisations::NewInstallation;
pub use tokens::CreatedToken;
pub use users::{NewUser, UserView};

/// Where a request came from, as far as the use cases need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
    Cli,
    System,
    /// The public pages (tip form): nobody is signed in, and nothing about the sender is known.
    Public,
}

impl Channel {
    pub const fn code(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::System => "system",
            Channel::Public => "public",
        }
    }
}

/// Who is acting and through which door. The command line acts as the operator: no user,
/// full trust over the installation (it holds the master key), audited on the `cli` channel.
#[derive(Clone, Copy, Debug)]
pub enum Caller {
    User { actor: Actor, channel: Channel },
    Operator,
}

impl Caller {
    fn channel(&self) -> Channel {
        match self {
            Caller::User { channel, .. } => *channel,
            Caller::Operator => Channel::Cli,
        }
    }
    fn user(&self) -> Option<UserId> {
        match self {
            Caller::User { actor, .. } => Some(actor.user),
            Caller::Operator => None,
        }
    }
}

/// Everything a use case needs, built once by the command line.
#[derive(Debug)]
pub struct Deps {
    pub store: Arc<dyn Store>,
    pub keys: Arc<KeyRing>,
    /// Holds the master key file and the audit checkpoint.
    pub key_dir: PathBuf,
    pub config: AppConfig,
    pub clock: Arc<dyn Clock>,
    pub password_params: PasswordParams,
}

/// The application: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Amparo {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn Store>,
    keys: Arc<KeyRing>,
    key_dir: PathBuf,
    config: AppConfig,
    clock: Arc<dyn Clock>,
    passwords: passwords::Passwords,
    auditor: Auditor,
    ip_limit: ip_limit::IpLimiter,
    /// Tips per address on the public form (in memory; the address is never stored).
    tip_limit: ip_limit::IpLimiter,
}

impl Amparo {
    /// Must be called inside a tokio runtime (it starts the audit writer).
    pub fn new(deps: Deps) -> Self {
        let auditor = Auditor::start(Arc::clone(&deps.store), Arc::clone(&deps.keys), &deps.key_dir);
        let passwords = passwords::Passwords::new(deps.password_params, deps.config.max_concurrent_hashes);
        let ip_limit = ip_limit::IpLimiter::new(deps.config.max_attempts_per_ip, deps.config.failure_window);
        let tip_limit = ip_limit::IpLimiter::new(deps.config.tips.max_per_address, deps.config.tips.window);
        Self {
            inner: Arc::new(Inner {
                store: deps.store,
                keys: deps.keys,
                key_dir: deps.key_dir,
                config: deps.config,
                clock: deps.clock,
                passwords,
                auditor,
                ip_limit,
                tip_limit,
            }),
        }
    }

    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// Liveness of the database.
    pub async fn healthy(&self) -> bool {
        self.inner.store.ping().await.is_ok()
    }

    /// Checks the whole audit chain against the checkpoint.
    pub async fn verify_audit_chain(&self) -> AppResult<ChainVerdict> {
        audit::verify_chain(
            self.inner.store.as_ref(),
            &audit::KeyedLinker(Arc::clone(&self.inner.keys)),
            self.inner.auditor.checkpoint(),
        )
        .await
    }

    /// A CSRF token bound to a session or pre-session value.
    pub fn csrf_token(&self, binding: &str) -> String {
        self.inner.keys.tokens().csrf_token(binding)
    }

    pub fn csrf_token_valid(&self, binding: &str, presented: &str) -> bool {
        self.inner.keys.tokens().verify_csrf_token(binding, presented)
    }

    /// An entry for someone not (yet) known: a sign-in attempt.
    fn anonymous_draft(&self, channel: Channel, action: &str, outcome: AuditOutcome) -> AuditDraft {
        AuditDraft::new(self.now(), channel.code(), action, outcome)
    }

    fn draft(&self, caller: &Caller, action: &str, outcome: AuditOutcome) -> AuditDraft {
        let mut d = AuditDraft::new(self.now(), caller.channel().code(), action, outcome);
        d.actor = caller.user();
        if let Caller::User { actor, .. } = caller {
            d.org = Some(actor.org);
        }
        d
    }

    /// Records a refused action and returns the error to give the caller.
    async fn denied(&self, caller: &Caller, action: &str, reason: amparo_domain::Denied) -> AppError {
        let mut d = self.draft(caller, action, AuditOutcome::Denied);
        d.detail = Some(reason.code().to_owned());
        match self.inner.auditor.record(vec![d]).await {
            // Existence of another organisation's things is not revealed.
            Ok(()) if reason == amparo_domain::Denied::OtherOrganisation => AppError::NotFound,
            Ok(()) => AppError::Forbidden(reason),
            Err(e) => e,
        }
    }
}

/// Where the key directory lives inside a data directory.
pub fn key_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}
