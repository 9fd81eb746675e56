//! The export's columns, named as CTDC's k-anonymised global dataset names them
//! (standards.md §1.2), and the generalisation hierarchy of each attribute: the cells it
//! writes at each level, the last level being the blank (suppressed) one.
//!
//! An attribute may write several columns (age writes `ageBroad` and `majorityStatus`;
//! exploitation writes the `is*` flags), so that generalising or suppressing it acts on all
//! of them together. Flags are `1`/`0`, `-99` when not known or suppressed (CTDC's code);
//! other cells are empty when not known or suppressed.

use amparo_app::htcds::HtcdsPerson;
use amparo_domain::records::age_band_of;

use amparo_domain::records::m49 as regions;

/// Number of attributes (quasi-identifiers and the sensitive exploitation type).
pub const ATTRS: usize = 7;

/// CTDC's code for a flag not known (or suppressed).
pub const MISSING: &str = "-99";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Year,
    Gender,
    Age,
    Citizenship,
    CountryOfExploitation,
    MeansOfControl,
    Exploitation,
}

/// `meansOfControl*` columns and the HTCDS `vic_MethodsOfControl` codes each stands for.
/// CTDC's RestrictsMovement, UsesChildren and NotSpecified have no HTCDS code: left out
/// rather than written as a "no" we do not know.
const MEANS: &[(&str, &[&str])] = &[
    ("meansOfControlDebtBondage", &["DebtBondage"]),
    ("meansOfControlTakesEarnings", &["TakesEarnings"]),
    ("meansOfControlRestrictsFinancialAccess", &["RestrictsFinancialAccess"]),
    ("meansOfControlThreats", &["PhysicalThreats", "ThreatensChildrenFamily"]),
    ("meansOfControlPsychologicalAbuse", &["PsychologicalAbuse"]),
    ("meansOfControlPhysicalAbuse", &["PhysicalAbuse"]),
    ("meansOfControlSexualAbuse", &["SexualAbuse"]),
    ("meansOfControlFalsePromises", &["FalsePromises"]),
    ("meansOfControlPsychoactiveSubstances", &["PsychoactiveSubstance"]),
    ("meansOfControlRestrictsMedicalCare", &["RestrictsMedicalCare"]),
    ("meansOfControlExcessiveWorkingHours", &["ExcessiveWorkingHours"]),
    ("meansOfControlThreatOfLawEnforcement", &["ThreatsLawEnforcement"]),
    ("meansOfControlWithholdsNecessities", &["WithholdsNecessities"]),
    ("meansOfControlWithholdsDocuments", &["WithholdsDocuments"]),
    ("meansOfControlOther", &["Other"]),
];

/// HTCDS `vic_TypeOfExploitation` codes counted as labour (CTDC counts begging as a type of labour).
const LABOUR: &[&str] = &["ForcedLabour", "ChildLabour", "ForcedBegging"];
const SEXUAL: &[&str] = &["SexualExploitation"];
/// The specific `is*` flags beyond labour and sexual exploitation.
const SPECIFIC: &[(&str, &str)] = &[
    ("isForcedMarriage", "ForcedMarriage"),
    ("isForcedMilitary", "ForcedMilitaryByNonStateActors"),
    ("isOrganRemoval", "OrganRemoval"),
    ("isSlaveryAndPractices", "Servitude"),
];

impl Attr {
    pub const ALL: [Attr; ATTRS] = [
        Attr::Year,
        Attr::Gender,
        Attr::Age,
        Attr::Citizenship,
        Attr::CountryOfExploitation,
        Attr::MeansOfControl,
        Attr::Exploitation,
    ];

    /// A stable code (i18n keys, the audit detail).
    pub const fn code(self) -> &'static str {
        match self {
            Attr::Year => "year",
            Attr::Gender => "gender",
            Attr::Age => "age",
            Attr::Citizenship => "citizenship",
            Attr::CountryOfExploitation => "country_of_exploitation",
            Attr::MeansOfControl => "means_of_control",
            Attr::Exploitation => "exploitation",
        }
    }

    /// The codes of its levels, finest first; the last is the blank one.
    pub const fn levels(self) -> &'static [&'static str] {
        match self {
            Attr::Year => &["year", "period", "blank"],
            Attr::Gender | Attr::MeansOfControl => &["value", "blank"],
            Attr::Age => &["band", "wide_band", "majority", "blank"],
            Attr::Citizenship | Attr::CountryOfExploitation => &["country", "subregion", "region", "blank"],
            Attr::Exploitation => &["type", "broad_type", "blank"],
        }
    }

    /// The blank level.
    pub const fn blank(self) -> u8 {
        (self.levels().len() - 1) as u8
    }

    /// The highest level the whole-column search may choose. The exploitation type is what
    /// the export is for (and l-diversity is about it): blanked only row by row.
    pub const fn top_global(self) -> u8 {
        match self {
            Attr::Exploitation => 1,
            _ => self.blank(),
        }
    }

    /// The columns it writes.
    pub fn headers(self) -> Vec<&'static str> {
        match self {
            Attr::Year => vec!["yearOfRegistration"],
            Attr::Gender => vec!["gender"],
            Attr::Age => vec!["ageBroad", "majorityStatus"],
            Attr::Citizenship => vec!["citizenship"],
            Attr::CountryOfExploitation => vec!["CountryOfExploitation"],
            Attr::MeansOfControl => MEANS.iter().map(|(h, _)| *h).collect(),
            Attr::Exploitation => {
                let mut h = vec!["isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour"];
                h.extend(SPECIFIC.iter().map(|(h, _)| *h));
                h
            }
        }
    }

    /// The cells it writes for `p` at `level` (at the blank level, or when not known: empty
    /// cells, `-99` flags).
    pub fn cells(self, p: &HtcdsPerson, level: u8) -> Vec<String> {
        let blank = level >= self.blank();
        match self {
            Attr::Year => vec![match p.year_of_registration {
                Some(y) if !blank => year(y, level),
                _ => String::new(),
            }],
            Attr::Gender => vec![if blank { String::new() } else { gender(p.gender.as_deref()).to_owned() }],
            Attr::Age => age(p.age_at_registration, level),
            Attr::Citizenship => vec![place(p.citizenship.as_deref(), level, blank)],
            Attr::CountryOfExploitation => vec![place(p.country_of_exploitation.as_deref(), level, blank)],
            Attr::MeansOfControl => {
                if blank || p.means_of_control.is_empty() {
                    vec![MISSING.to_owned(); MEANS.len()]
                } else {
                    MEANS
                        .iter()
                        .map(|(_, codes)| flag(codes.iter().any(|c| p.means_of_control.iter().any(|m| m == c))))
                        .collect()
                }
            }
            Attr::Exploitation => exploitation(&p.exploitation, level, blank),
        }
    }
}

fn flag(on: bool) -> String {
    (if on { "1" } else { "0" }).to_owned()
}

/// A year, or the five-year period it falls in (`2020--2024`, written as CTDC writes ranges).
fn year(y: i32, level: u8) -> String {
    if level == 0 {
        y.to_string()
    } else {
        let from = y - y.rem_euclid(5);
        format!("{from}--{}", from + 4)
    }
}

/// HTCDS `prs_Gender` to CTDC's `gender` (Woman, Man, Trans/Transgender/NonConforming).
fn gender(code: Option<&str>) -> &'static str {
    match code {
        Some("Feminine") => "Woman",
        Some("Masculine") => "Man",
        Some("TransgenderFeminine" | "TransgenderMasculine" | "NonConforming") => "Trans/Transgender/NonConforming",
        _ => "",
    }
}

/// `ageBroad` (CTDC's bands, then wider ones) and `majorityStatus` (Minor, Adult).
fn age(age: Option<u32>, level: u8) -> Vec<String> {
    let Some(a) = age.and_then(|a| i32::try_from(a).ok()) else { return vec![String::new(), String::new()] };
    let band = match level {
        0 => age_band_of(a).code().to_owned(),
        1 => match a {
            ..=17 => "0--17",
            18..=29 => "18--29",
            30..=47 => "30--47",
            _ => "48+",
        }
        .to_owned(),
        _ => String::new(),
    };
    let majority = if level >= 3 {
        String::new()
    } else if a < 18 {
        "Minor".to_owned()
    } else {
        "Adult".to_owned()
    };
    vec![band, majority]
}

/// A country, its M49 sub-region, its M49 region.
fn place(code: Option<&str>, level: u8, blank: bool) -> String {
    match code {
        Some(c) if !blank => match level {
            0 => c.to_owned(),
            1 => regions::subregion(c).to_owned(),
            _ => regions::region(c).to_owned(),
        },
        _ => String::new(),
    }
}

/// The `is*` flags. At the broad level only labour, sexual, other and both are told apart;
/// the specific flags are `-99` and their types count as "other".
fn exploitation(types: &[String], level: u8, blank: bool) -> Vec<String> {
    let width = 4 + SPECIFIC.len();
    if blank || types.is_empty() {
        return vec![MISSING.to_owned(); width];
    }
    let has = |set: &[&str]| types.iter().any(|t| set.contains(&t.as_str()));
    let labour = has(LABOUR);
    let sexual = has(SEXUAL);
    let specific: Vec<bool> = SPECIFIC.iter().map(|(_, code)| types.iter().any(|t| t == code)).collect();
    let known = |t: &str| LABOUR.contains(&t) || SEXUAL.contains(&t) || SPECIFIC.iter().any(|(_, c)| *c == t);
    let other = if level == 0 {
        types.iter().any(|t| !known(t))
    } else {
        types.iter().any(|t| !LABOUR.contains(&t.as_str()) && !SEXUAL.contains(&t.as_str()))
    };
    let mut out = vec![flag(labour), flag(sexual), flag(other), flag(labour && sexual)];
    if level == 0 {
        out.extend(specific.into_iter().map(flag));
    } else {
        out.extend(std::iter::repeat_n(MISSING.to_owned(), SPECIFIC.len()));
    }
    out
}

/// Every column, in order.
pub fn headers() -> Vec<&'static str> {
    Attr::ALL.iter().flat_map(|a| a.headers()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> HtcdsPerson {
        HtcdsPerson {
            year_of_registration: Some(2023),
            age_at_registration: Some(17),
            gender: Some("TransgenderFeminine".into()),
            citizenship: Some("HN".into()),
            country_of_exploitation: Some("US".into()),
            exploitation: vec!["ForcedMarriage".into(), "SexualExploitation".into()],
            means_of_control: vec!["PhysicalThreats".into(), "DebtBondage".into()],
            recruitment: None,
        }
    }

    #[test]
    fn every_level_writes_as_many_cells_as_the_attribute_has_columns() {
        for a in Attr::ALL {
            for level in 0..=a.blank() {
                for p in [person(), HtcdsPerson::default()] {
                    assert_eq!(a.cells(&p, level).len(), a.headers().len(), "{a:?} {level}");
                }
            }
        }
    }

    #[test]
    fn levels_generalise_as_ctdc_writes_them() {
        let p = person();
        assert_eq!(Attr::Year.cells(&p, 0), ["2023"]);
        assert_eq!(Attr::Year.cells(&p, 1), ["2020--2024"]);
        assert_eq!(Attr::Gender.cells(&p, 0), ["Trans/Transgender/NonConforming"]);
        assert_eq!(Attr::Age.cells(&p, 0), ["9--17", "Minor"]);
        assert_eq!(Attr::Age.cells(&p, 1), ["0--17", "Minor"]);
        assert_eq!(Attr::Age.cells(&p, 2), ["", "Minor"]);
        assert_eq!(Attr::Age.cells(&p, 3), ["", ""]);
        assert_eq!(Attr::Citizenship.cells(&p, 1), ["Central America"]);
        assert_eq!(Attr::CountryOfExploitation.cells(&p, 2), ["Americas"]);
        let means = Attr::MeansOfControl.cells(&p, 0);
        assert_eq!(means.iter().filter(|c| *c == "1").count(), 2, "debt bondage and threats");
        assert_eq!(Attr::Exploitation.cells(&p, 0), ["0", "1", "0", "0", "1", "0", "0", "0"]);
        assert_eq!(Attr::Exploitation.cells(&p, 1), ["0", "1", "1", "0", "-99", "-99", "-99", "-99"]);
        assert_eq!(Attr::Exploitation.cells(&p, 2), vec![MISSING; 8]);
    }
}
