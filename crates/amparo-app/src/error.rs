//! Errors of the use cases. Each has a stable code that is also an i18n key
//! (`error-<code>`); none carries personal data.

use amparo_domain::{Denied, DomainError};
use amparo_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// Bad input: the form comes back with the field's message.
    #[error("invalid input in {field}: {problem}")]
    Invalid { field: &'static str, problem: DomainError },
    /// Bad input in a field whose name is not fixed in the code: a custom field
    /// (`custom.<code>`), or a field named by an organisation's form configuration.
    #[error("invalid input in {field}: {problem}")]
    InvalidField { field: String, problem: DomainError },
    /// Email or password (or MFA code) not accepted. Said the same way whatever was wrong.
    #[error("sign-in not accepted")]
    WrongCredentials,
    /// Too many failed sign-ins for this account or from this address.
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// No valid session or token.
    #[error("not signed in")]
    Unauthenticated,
    /// The session is signed in but has a step to finish first (MFA, new password).
    #[error("sign-in step pending")]
    StepPending,
    /// The actor may not do this. (Handlers show 403, or 404 where existence is secret.)
    #[error("forbidden: {0}")]
    Forbidden(Denied),
    #[error("not found")]
    NotFound,
    /// The record was erased: it existed, and will never come back.
    #[error("gone")]
    Gone,
    /// Refused by a rule of the work, not by access: e.g. contact on a channel not marked safe.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// Someone else changed it, or it already exists.
    #[error("conflict")]
    Conflict,
    #[error("already exists")]
    Duplicate,
    /// The MFA code was malformed, wrong or already used.
    #[error("MFA code not accepted")]
    WrongMfaCode,
    /// The current password given to confirm a change was wrong.
    #[error("current password not accepted")]
    WrongCurrentPassword,
    /// The database or audit log could not be written: fail closed.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The audit chain or key material is not as it should be.
    #[error("integrity: {0}")]
    Integrity(String),
}

impl AppError {
    pub fn invalid(field: &'static str, problem: DomainError) -> Self {
        AppError::Invalid { field, problem }
    }

    /// The field an input error is about, and its problem.
    pub fn invalid_field(&self) -> Option<(&str, DomainError)> {
        match self {
            AppError::Invalid { field, problem } => Some((field, *problem)),
            AppError::InvalidField { field, problem } => Some((field.as_str(), *problem)),
            _ => None,
        }
    }

    /// The stable code (i18n key suffix, API `error` field).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { problem, .. } | AppError::InvalidField { problem, .. } => problem.code(),
            AppError::WrongCredentials => "wrong_credentials",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Unauthenticated => "unauthenticated",
            AppError::StepPending => "step_pending",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Gone => "gone",
            AppError::Refused(code) => code,
            AppError::Conflict => "conflict",
            AppError::Duplicate => "duplicate",
            AppError::WrongMfaCode => "wrong_mfa_code",
            AppError::WrongCurrentPassword => "wrong_current_password",
            AppError::Unavailable(_) => "unavailable",
            AppError::Integrity(_) => "integrity",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::Conflict,
            StoreError::Duplicate => AppError::Duplicate,
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Unavailable(other.to_string()),
        }
    }
}

impl From<amparo_crypto::CryptoError> for AppError {
    fn from(e: amparo_crypto::CryptoError) -> Self {
        AppError::Integrity(e.code().to_owned())
    }
}

pub type AppResult<T> = Result<T, AppError>;
