//! Policy settings of an installation, with the defaults the security checklist asks for.

use std::collections::BTreeMap;

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
    /// Screening cut-offs that replace an instrument's, keyed `<instrument>.<cutoff>` (e.g.
    /// `pcl5.probable_ptsd` = 31; standards §3.2: 31–33 by sample and purpose).
    pub screening_cutoffs: BTreeMap<String, u32>,
    /// The hotlines a screening result points to (standards §5: US and Mexico by default).
    pub hotlines: Vec<Hotline>,
    /// The privacy budget of each organisation per calendar year: the total ε its
    /// differentially private releases may spend (docs/release.md). Default 10.
    pub release_epsilon_per_year: f64,
}

/// A hotline as results show it: localised name and hours, the number as dialled.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    /// ISO 3166-1 alpha-2 code of the country it serves.
    pub country: String,
    pub name_en: String,
    pub name_es: String,
    pub phone: String,
    /// A number for text messages, if any.
    #[serde(default)]
    pub text: Option<String>,
    /// Hours and channels, in words.
    #[serde(default)]
    pub note_en: Option<String>,
    #[serde(default)]
    pub note_es: Option<String>,
}

impl Hotline {
    pub fn name(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.name_en,
            Language::Es => &self.name_es,
        }
    }

    pub fn note(&self, lang: Language) -> Option<&str> {
        match lang {
            Language::En => self.note_en.as_deref(),
            Language::Es => self.note_es.as_deref(),
        }
    }

    /// The defaults of standards §5: the US National Human Trafficking Hotline (Polaris, with
    /// HHS funding) and Mexico's Línea y Chat Nacional contra la Trata de Personas (Consejo
    /// Ciudadano). Installations replace them with `[[hotlines]]` in `amparo.toml`.
    pub fn defaults() -> Vec<Hotline> {
        vec![
            Hotline {
                country: "US".into(),
                name_en: "National Human Trafficking Hotline (US)".into(),
                name_es: "Línea Nacional contra la Trata de Personas (EE. UU.)".into(),
                phone: "1-888-373-7888".into(),
                text: Some("233733".into()),
                note_en: Some("24 hours, confidential, in English and Spanish; text 233733.".into()),
                note_es: Some("Las 24 horas, confidencial, en español e inglés; mensaje de texto al 233733.".into()),
            },
            Hotline {
                country: "MX".into(),
                name_en: "National Anti-Trafficking Line and Chat (Mexico)".into(),
                name_es: "Línea y Chat Nacional contra la Trata de Personas (México)".into(),
                phone: "800 5533 000".into(),
                text: None,
                note_en: Some("Free, 24 hours, by phone and WhatsApp (Consejo Ciudadano).".into()),
                note_es: Some("Gratuita, las 24 horas, por teléfono y WhatsApp (Consejo Ciudadano).".into()),
            },
        ]
    }
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
            screening_cutoffs: BTreeMap::new(),
            hotlines: Hotline::defaults(),
            release_epsilon_per_year: 10.0,
        }
    }
}
