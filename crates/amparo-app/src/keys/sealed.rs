//! The gate of a sealed installation: the server starts without its keys and waits here
//! until an administrator gives the passphrase that opens the sealed master-key file.
//!
//! Attempts are limited per address (as sign-ins are), one Argon2id derivation runs at a
//! time and off the async runtime, and the passphrase is only ever held in a `SecretString`.
//! Nothing can be audited before the keys are there (the audit chain is keyed), so failed
//! attempts are counted and the count goes into the audit entry of the unlock.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use amparo_crypto::{MasterKey, TokenKey};
use chrono::{Duration, Utc};
use secrecy::SecretString;
use tokio::sync::Semaphore;

use crate::ip_limit::IpLimiter;
use crate::{Amparo, AppResult};
use amparo_store::{AuditDraft, AuditOutcome};

/// Unlock attempts one address may make in [`UNLOCK_WINDOW_MINUTES`].
pub const UNLOCK_ATTEMPTS_PER_ADDRESS: u32 = 10;
const UNLOCK_WINDOW_MINUTES: i64 = 15;

/// Why an unlock did not happen. Codes are i18n keys (`keys-unlock-<code>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnlockError {
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("too many attempts; retry after {0} s")]
    TooManyAttempts(u64),
    /// The sealed key file cannot be read or is not one (the message says which, no secret).
    #[error("the sealed key file cannot be used: {0}")]
    Unusable(&'static str),
}

impl UnlockError {
    pub const fn code(&self) -> &'static str {
        match self {
            UnlockError::WrongPassphrase => "wrong_passphrase",
            UnlockError::TooManyAttempts(_) => "too_many_attempts",
            UnlockError::Unusable(_) => "unusable",
        }
    }
}

/// The opened master key, handed to whoever builds the application (the command line).
pub struct UnsealedKey(MasterKey);

impl UnsealedKey {
    pub fn into_master(self) -> MasterKey {
        self.0
    }
}

impl std::fmt::Debug for UnsealedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsealedKey([REDACTED])")
    }
}

pub struct SealedKeyGate {
    sealed_file: PathBuf,
    limiter: IpLimiter,
    /// One derivation at a time: each takes 64 MiB and a quarter of a second of a core.
    one_at_a_time: Semaphore,
    failures: AtomicU64,
    /// CSRF tokens of the unlock form: a key made for this process (the installation's own
    /// token key is sealed too).
    csrf: TokenKey,
}

impl std::fmt::Debug for SealedKeyGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedKeyGate").field("failures", &self.failures).finish_non_exhaustive()
    }
}

impl SealedKeyGate {
    pub fn new(sealed_file: PathBuf) -> Self {
        Self {
            sealed_file,
            limiter: IpLimiter::new(UNLOCK_ATTEMPTS_PER_ADDRESS, Duration::minutes(UNLOCK_WINDOW_MINUTES)),
            one_at_a_time: Semaphore::new(1),
            failures: AtomicU64::new(0),
            csrf: TokenKey::ephemeral(),
        }
    }

    pub fn csrf_token(&self, binding: &str) -> String {
        self.csrf.csrf_token(binding)
    }

    pub fn csrf_token_valid(&self, binding: &str, presented: &str) -> bool {
        self.csrf.verify_csrf_token(binding, presented)
    }

    /// Failed attempts since the server started.
    pub fn failed_attempts(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Tries the passphrase against the sealed key file.
    pub async fn unlock(&self, passphrase: SecretString, from: IpAddr) -> Result<UnsealedKey, UnlockError> {
        self.limiter.attempt(from, Utc::now()).map_err(UnlockError::TooManyAttempts)?;
        let _turn = self.one_at_a_time.acquire().await.map_err(|_| UnlockError::Unusable("closed"))?;
        let path = self.sealed_file.clone();
        let opened = tokio::task::spawn_blocking(move || {
            let text = amparo_crypto::read_sealed_key_file(&path)?;
            amparo_crypto::open_sealed_master_key(&text, &passphrase)
        })
        .await
        .map_err(|_| UnlockError::Unusable("interrupted"))?;
        match opened {
            Ok(master) => Ok(UnsealedKey(master)),
            Err(amparo_crypto::CryptoError::WrongPassphrase) => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                Err(UnlockError::WrongPassphrase)
            }
            Err(e) => Err(UnlockError::Unusable(e.code())),
        }
    }
}

impl Amparo {
    /// Records that a sealed server was unlocked, with the failed attempts before it.
    pub async fn record_unlock(&self, failed_attempts: u64) -> AppResult<()> {
        let mut d: AuditDraft = self.draft(&crate::Caller::Operator, "keys.unlock", AuditOutcome::Ok);
        d.channel = crate::Channel::Web.code().to_owned();
        d.detail = Some(format!("failed_attempts_{failed_attempts}"));
        self.inner.auditor.record(vec![d]).await
    }
}
