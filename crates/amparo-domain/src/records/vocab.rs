//! Coded vocabularies: HTCDS picklists, ISO 3166 countries and subdivisions, ISO 639 languages.
//! Codes are stored and exchanged as they are; labels come from the locale files.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::case::code_enum;
use crate::DomainError;

code_enum!(
    /// HTCDS `prs_Gender`.
    Gender {
        Feminine => "Feminine",
        Masculine => "Masculine",
        TransgenderFeminine => "TransgenderFeminine",
        TransgenderMasculine => "TransgenderMasculine",
        NonConforming => "NonConforming",
        NonSpecifiedUnknown => "NonSpecifiedUnknown",
    }
);

code_enum!(
    /// HTCDS `vic_TypeOfExploitation`, with the forced-criminality gap raised upstream
    /// (HTCDS issue #28) added as our own namespaced code.
    ExploitationType {
        ForcedLabour => "ForcedLabour",
        SexualExploitation => "SexualExploitation",
        ChildLabour => "ChildLabour",
        ForcedMarriage => "ForcedMarriage",
        Servitude => "Servitude",
        ForcedMilitaryByNonStateActors => "ForcedMilitaryByNonStateActors",
        OrganRemoval => "OrganRemoval",
        ForcedBegging => "ForcedBegging",
        ForcedAdoption => "ForcedAdoption",
        Surrogacy => "Surrogacy",
        ForcedCriminality => "amparo_ForcedCriminality",
        Other => "Other",
    }
);

code_enum!(
    /// HTCDS `vic_MethodsOfControl`.
    MeansOfControl {
        PhysicalThreats => "PhysicalThreats",
        ThreatsLawEnforcement => "ThreatsLawEnforcement",
        ThreatensChildrenFamily => "ThreatensChildrenFamily",
        DebtBondage => "DebtBondage",
        FalsePromises => "FalsePromises",
        PhysicalAbuse => "PhysicalAbuse",
        SexualAbuse => "SexualAbuse",
        TakesEarnings => "TakesEarnings",
        RestrictsFinancialAccess => "RestrictsFinancialAccess",
        RestrictsMedicalCare => "RestrictsMedicalCare",
        WithholdsNecessities => "WithholdsNecessities",
        PsychologicalAbuse => "PsychologicalAbuse",
        PsychoactiveSubstance => "PsychoactiveSubstance",
        ExcessiveWorkingHours => "ExcessiveWorkingHours",
        WithholdsDocuments => "WithholdsDocuments",
        Other => "Other",
    }
);

code_enum!(
    /// HTCDS `vic_MethodOfRecruitment`.
    RecruitmentMethod {
        AtAPlaceOfBusiness => "AtAPlaceOfBusiness",
        AtAnEducationalInstitution => "AtAnEducationalInstitution",
        AtWork => "AtWork",
        ThroughOnlineSocialNetworks => "ThroughOnlineSocialNetworks",
        ThroughAnOnlineAdvertisement => "ThroughAnOnlineAdvertisement",
        ThroughATelevisionAdvert => "ThroughATelevisionAdvert",
        ThroughANewspaperAdvert => "ThroughANewspaperAdvert",
        ThroughFamilyOrFamilyEvents => "ThroughFamilyOrFamilyEvents",
        ThroughFriendsOrSocialEvents => "ThroughFriendsOrSocialEvents",
        Other => "Other",
    }
);

code_enum!(
    /// HTCDS `vic_TraffickingStatusDecisionMakingOrg`: who decided the trafficking status.
    StatusDecidedBy {
        Police => "Police",
        Ngo => "NGO",
        CourtOrProsecution => "CourtOrProsecution",
        NonPoliceGovernmentalOrganization => "NonPoliceGovernmentalOrganization",
        Other => "Other",
    }
);

fn table(source: &'static str) -> HashMap<&'static str, &'static str> {
    source.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).filter_map(|l| l.split_once('\t')).collect()
}

fn countries() -> &'static HashMap<&'static str, &'static str> {
    static T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| table(include_str!("../../data/countries.txt")))
}

fn places() -> &'static HashMap<&'static str, &'static str> {
    static T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| table(include_str!("../../data/places.txt")))
}

fn languages() -> &'static HashMap<&'static str, &'static str> {
    static T: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| table(include_str!("../../data/languages.txt")))
}

/// An ISO 3166-1 alpha-2 country code, upper case (`MX`, `GT`, `US`).
pub fn country(code: &str) -> Result<String, DomainError> {
    let c = code.trim().to_ascii_uppercase();
    if countries().contains_key(c.as_str()) { Ok(c) } else { Err(DomainError::UnknownCode) }
}

/// A coded place: a Mexican or US state (ISO 3166-2, `MX-CHH`, `US-TX`) or a country.
pub fn place(code: &str) -> Result<String, DomainError> {
    let c = code.trim().to_ascii_uppercase();
    if places().contains_key(c.as_str()) || countries().contains_key(c.as_str()) {
        Ok(c)
    } else {
        Err(DomainError::UnknownCode)
    }
}

/// An ISO 639-1 code where one exists, else ISO 639-3, lower case (`es`, `nah`, `quc`).
pub fn language(code: &str) -> Result<String, DomainError> {
    let c = code.trim().to_ascii_lowercase();
    if languages().contains_key(c.as_str()) { Ok(c) } else { Err(DomainError::UnknownCode) }
}

/// The English name of a language code, for codes without a translated label.
pub fn language_name(code: &str) -> Option<&'static str> {
    languages().get(code).copied()
}

pub fn country_name(code: &str) -> Option<&'static str> {
    countries().get(code).copied()
}

pub fn place_name(code: &str) -> Option<&'static str> {
    places().get(code).or_else(|| countries().get(code)).copied()
}

/// Mexican and US states, in code order (for pickers).
pub fn all_places() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = places().iter().map(|(k, v)| (*k, *v)).collect();
    v.sort_unstable();
    v
}

/// Every language code with its English name, in code order (for lenient imports).
pub fn all_languages() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = languages().iter().map(|(k, v)| (*k, *v)).collect();
    v.sort_unstable();
    v
}

pub fn all_countries() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = countries().iter().map(|(k, v)| (*k, *v)).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_are_checked_and_normalised() {
        assert_eq!(country("mx"), Ok("MX".into()));
        assert_eq!(country("XX"), Err(DomainError::UnknownCode));
        assert_eq!(place("mx-chh"), Ok("MX-CHH".into()));
        assert_eq!(place("US-TX"), Ok("US-TX".into()));
        assert_eq!(place("GT"), Ok("GT".into()));
        for l in ["es", "en", "nah", "mix", "zap", "yua", "tzo", "mam", "quc"] {
            assert_eq!(language(l), Ok(l.to_owned()), "{l}");
        }
        assert_eq!(language("spa"), Err(DomainError::UnknownCode), "ISO 639-1 wins where it exists");
        assert_eq!(all_places().iter().filter(|(c, _)| c.starts_with("MX-")).count(), 32);
    }

    #[test]
    fn htcds_codes_are_kept_as_the_standard_spells_them() {
        assert_eq!(Gender::from_code("TransgenderFeminine"), Ok(Gender::TransgenderFeminine));
        assert_eq!(ExploitationType::ForcedCriminality.code(), "amparo_ForcedCriminality");
        assert_eq!(StatusDecidedBy::Ngo.code(), "NGO");
        assert_eq!(MeansOfControl::ALL.len(), 16);
    }
}
