//! Rows as stored. Secrets appear only as hashes or ciphertext.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use amparo_domain::{ApiTokenId, Language, OrgId, Role, UserId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationRow {
    pub id: OrgId,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A staff account. `email` and `name` are staff data (not survivor data) and stay in clear
/// for login and user management; the TOTP secret is sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub org: OrgId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The user must choose a new password at the next sign-in (initial or reset password).
    pub must_change_password: bool,
    /// Sealed TOTP secret (AEAD, bound to users/mfa_secret/id); None until enrolment starts.
    pub mfa_secret: Option<Vec<u8>>,
    /// MFA enrolment confirmed with a first code.
    pub mfa_enrolled: bool,
    /// The last TOTP time step accepted: a code is good once.
    pub mfa_last_step: Option<i64>,
    pub disabled: bool,
    /// Failed password attempts in the current window.
    pub failed_logins: i32,
    pub first_failed_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
    /// Locks since the last successful sign-in: each doubles the next lock.
    pub lock_count: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// How far a session has come through sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStage {
    /// Password accepted; the user must enrol MFA now.
    MfaEnrolment,
    /// Password accepted; the user must give a TOTP code.
    MfaChallenge,
    /// Signed in, but must choose a new password first.
    PasswordChange,
    /// Fully signed in.
    Active,
}

impl SessionStage {
    pub const fn code(self) -> &'static str {
        match self {
            SessionStage::MfaEnrolment => "mfa_enrolment",
            SessionStage::MfaChallenge => "mfa_challenge",
            SessionStage::PasswordChange => "password_change",
            SessionStage::Active => "active",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::MfaEnrolment, Self::MfaChallenge, Self::PasswordChange, Self::Active]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A browser session. Only a hash of the cookie value is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id_hash: Vec<u8>,
    pub user: UserId,
    pub stage: SessionStage,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl std::fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRow").field("user", &self.user).field("stage", &self.stage).finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: ApiTokenId,
    pub user: UserId,
    pub name: String,
    /// Keyed hash of the token; the token itself is shown once and never stored.
    pub token_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ApiTokenRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiTokenRow").field("id", &self.id).field("user", &self.user).finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SetupTokenRow {
    pub token_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for SetupTokenRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupTokenRow").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}
