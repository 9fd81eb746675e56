//! Consent to share (VAWA 34 U.S.C. 12291(b)(2): informed, written, reasonably time-limited).
//! A consent names exactly which parts of the record may go to whom.

use super::case::code_enum;

/// Consents last at most this long by default (configurable): consent must be time-limited.
pub const MAX_CONSENT_DAYS_DEFAULT: i64 = 730;

code_enum!(
    /// How consent was given.
    ConsentGivenAs {
        Written => "written",
        VerbalWitnessed => "verbal_witnessed",
    }
);

code_enum!(
    /// The parts of a record a consent may cover. These are the names referrals and packets use.
    ConsentField {
        Alias => "alias",
        GivenName => "given_name",
        FamilyName => "family_name",
        BirthDate => "birth_date",
        Gender => "gender",
        Citizenship => "citizenship",
        Languages => "languages",
        Phone => "phone",
        Email => "email",
        Address => "address",
        SafeContact => "safe_contact",
        Narrative => "narrative",
        CaseSummary => "case_summary",
        Screening => "screening",
        Legal => "legal",
    }
);
