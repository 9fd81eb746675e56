//! Policy settings of an installation, with the defaults the security checklist asks for.

use chrono::Duration;

use amparo_domain::{Language, Role};

#[derive(Clone, Debug)]
pub struct AppConfig {
    /// A session unused this long ends (ASVS v5.0.0-7.3.1). Default 15 minutes.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, however busy (7.3.2). Default 8 hours.
    pub session_absolute: Duration,
    /// Roles that may sign in without MFA. Empty by default: MFA for everyone.
    pub mfa_exempt_roles: Vec<Role>,
    /// More than this many failed sign-ins within `failure_window` lock the account.
    pub max_failed_logins: i32,
    pub failure_window: Duration,
    /// The first lock; each further lock without a successful sign-in doubles it.
    pub first_lock: Duration,
    pub max_lock: Duration,
    /// Sign-in attempts allowed from one address within `failure_window` (any accounts).
    pub max_attempts_per_ip: u32,
    /// How long a first-run setup link stays valid.
    pub setup_token_ttl: Duration,
    /// The interface language before anyone has chosen one.
    pub default_language: Language,
    /// The issuer shown in authenticator apps.
    pub totp_issuer: String,
    /// At most this many Argon2 computations at once (each costs ~45 ms and 19 MiB).
    pub max_concurrent_hashes: usize,
    /// Record reads in the audit log. Always on in a real installation (nothing in the
    /// command line or `amparo.toml` turns it off); the benchmark turns it off to measure
    /// what auditing reads costs.
    pub audit_reads: bool,
    /// Consent must be time-limited: at most this many days ahead (VAWA: "reasonably
    /// time-limited"). Default two years.
    pub max_consent_days: i64,
    /// How long a break-glass grant opens a case.
    pub break_glass_duration: Duration,
    /// Uploaded documents larger than this are refused (413). Default 10 MiB.
    pub max_document_bytes: usize,
    /// The public tip form and resources page.
    pub tips: crate::signals::TipsConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_idle: Duration::minutes(15),
            session_absolute: Duration::hours(8),
            mfa_exempt_roles: Vec::new(),
            max_failed_logins: 10,
            failure_window: Duration::minutes(15),
            first_lock: Duration::minutes(15),
            max_lock: Duration::hours(24),
            max_attempts_per_ip: 100,
            setup_token_ttl: Duration::hours(24),
            default_language: Language::Es,
            totp_issuer: "Amparo".to_owned(),
            max_concurrent_hashes: 2,
            audit_reads: true,
            max_consent_days: amparo_domain::records::MAX_CONSENT_DAYS_DEFAULT,
            break_glass_duration: Duration::minutes(60),
            max_document_bytes: amparo_domain::records::MAX_DOCUMENT_BYTES_DEFAULT,
            tips: crate::signals::TipsConfig::default(),
        }
    }
}
