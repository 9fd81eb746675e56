//! Domain errors. Each has a stable code that is also the i18n key of its message.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("unknown role")]
    UnknownRole,
    #[error("unknown language")]
    UnknownLanguage,
    #[error("invalid email address")]
    InvalidEmail,
    #[error("name is empty or too long")]
    InvalidName,
    #[error("organisation name is empty or too long")]
    InvalidOrganisationName,
    #[error("unknown code")]
    UnknownCode,
    #[error("person field: {0:?}")]
    PersonField(crate::records::PersonFieldError),
    #[error("case work: {0:?}")]
    CaseWork(crate::records::CaseWorkError),
    #[error("password problem: {0:?}")]
    Password(crate::password::PasswordProblem),
    #[error("document: {0:?}")]
    Document(crate::records::DocumentProblem),
    #[error("form: {0:?}")]
    Form(crate::forms::FormProblem),
    #[error("screening: {0:?}")]
    Screening(crate::records::ScreeningProblem),
    #[error("signal: {0:?}")]
    Signal(crate::signals::SignalProblem),
    #[error("partner network: {0:?}")]
    Referral(crate::referrals::ReferralProblem),
    #[error("staff profile: {0:?}")]
    Staff(crate::staff::StaffProblem),
    #[error("shelter: {0:?}")]
    Shelter(crate::shelters::ShelterProblem),
    #[error("outreach event: {0:?}")]
    Event(crate::events::EventProblem),
    #[error("retention: {0:?}")]
    Retention(crate::retention::RetentionProblem),
    #[error("placement: {0:?}")]
    Placement(crate::placements::PlacementProblem),
}

impl DomainError {
    /// Stable code, also the Fluent message id `error-<code>` (underscores kept).
    pub const fn code(&self) -> &'static str {
        match self {
            DomainError::UnknownRole => "unknown_role",
            DomainError::UnknownLanguage => "unknown_language",
            DomainError::InvalidEmail => "invalid_email",
            DomainError::InvalidName => "invalid_name",
            DomainError::InvalidOrganisationName => "invalid_organisation_name",
            DomainError::UnknownCode => "unknown_code",
            DomainError::PersonField(p) => p.code(),
            DomainError::CaseWork(c) => c.code(),
            DomainError::Password(p) => p.code(),
            DomainError::Document(p) => p.code(),
            DomainError::Form(p) => p.code(),
            DomainError::Screening(p) => p.code(),
            DomainError::Signal(p) => p.code(),
            DomainError::Referral(p) => p.code(),
            DomainError::Staff(p) => p.code(),
            DomainError::Shelter(p) => p.code(),
            DomainError::Event(p) => p.code(),
            DomainError::Retention(p) => p.code(),
            DomainError::Placement(p) => p.code(),
        }
    }
}
