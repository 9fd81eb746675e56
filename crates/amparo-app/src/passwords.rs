//! Argon2id off the async runtime, a bounded number at a time: one hash costs ~45 ms of a
//! core and 19 MiB, so a flood of sign-ins must queue rather than starve every other request.

use std::sync::Arc;

use secrecy::SecretString;
use tokio::sync::Semaphore;

use amparo_crypto::{PasswordHasher, PasswordParams};

use crate::error::{AppError, AppResult};

#[derive(Clone, Debug)]
pub struct Passwords {
    hasher: Arc<PasswordHasher>,
    permits: Arc<Semaphore>,
}

impl Passwords {
    pub fn new(params: PasswordParams, max_concurrent: usize) -> Self {
        Self { hasher: Arc::new(PasswordHasher::new(params)), permits: Arc::new(Semaphore::new(max_concurrent.max(1))) }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce(&PasswordHasher) -> T + Send + 'static) -> AppResult<T> {
        let _permit =
            self.permits.acquire().await.map_err(|_| AppError::Unavailable("password hasher closed".into()))?;
        let hasher = Arc::clone(&self.hasher);
        tokio::task::spawn_blocking(move || work(&hasher))
            .await
            .map_err(|_| AppError::Unavailable("password hashing task failed".into()))
    }

    pub async fn hash(&self, password: SecretString) -> AppResult<String> {
        self.run(move |h| h.hash(&password)).await?.map_err(AppError::from)
    }

    /// Ok(true) when the password matches the stored hash.
    pub async fn verify(&self, password: SecretString, phc: String) -> AppResult<bool> {
        self.run(move |h| h.verify(&password, &phc).unwrap_or(false)).await
    }

    /// Costs what a real verify costs, always false: for unknown accounts.
    pub async fn verify_dummy(&self, password: SecretString) -> AppResult<bool> {
        self.run(move |h| h.verify_dummy(&password)).await
    }

    pub fn needs_rehash(&self, phc: &str) -> bool {
        self.hasher.needs_rehash(phc)
    }
}
