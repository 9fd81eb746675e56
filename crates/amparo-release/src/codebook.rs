//! The public codebook: the columns a release counts and, for each, every value it may take.
//!
//! The domain is fixed here, in code, and never read from the data: if a category appeared in
//! a release only because someone in the data has it, its mere presence would disclose that
//! person. Values follow the CTDC global dataset where it has a column (`gender`, `ageBroad`,
//! `isForcedLabour`, …); countries are generalised to UN M49 regions (with the Americas split
//! into their M49 sub-regions, where the organisations using Amparo work), because a country
//! list of ~250 values would spread a small organisation's counts too thin to survive noise.

use amparo_domain::records::m49;
use serde::Serialize;

/// One column of the codebook: its name (CTDC-style) and its values, in a fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: &'static str,
    pub values: &'static [&'static str],
}

pub const GENDER: Column =
    Column { name: "gender", values: &["Woman", "Man", "TransgenderOrNonConforming", "Unknown"] };

/// CTDC's `ageBroad` bands (written as CTDC writes them), the age when the first case opened.
pub const AGE_BROAD: Column = Column {
    name: "ageBroad",
    values: &["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", "Unknown"],
};

/// UN M49 regions; the Americas by M49 sub-region (Mexico is in Central America).
pub const REGIONS: &[&str] = &[
    "NorthernAmerica",
    "CentralAmerica",
    "Caribbean",
    "SouthAmerica",
    "Africa",
    "Asia",
    "Europe",
    "Oceania",
    "Unknown",
];

pub const CITIZENSHIP_REGION: Column = Column { name: "citizenshipRegion", values: REGIONS };
pub const EXPLOITATION_REGION: Column = Column { name: "countryOfExploitationRegion", values: REGIONS };
pub const FLAG: &[&str] = &["0", "1"];
pub const IS_FORCED_LABOUR: Column = Column { name: "isForcedLabour", values: FLAG };
pub const IS_SEXUAL_EXPLOIT: Column = Column { name: "isSexualExploit", values: FLAG };
pub const IS_OTHER_EXPLOIT: Column = Column { name: "isOtherExploit", values: FLAG };

/// Every column a release counts, in the order of a [`Respondent`]'s values.
pub const COLUMNS: [Column; 7] =
    [GENDER, AGE_BROAD, CITIZENSHIP_REGION, EXPLOITATION_REGION, IS_FORCED_LABOUR, IS_SEXUAL_EXPLOIT, IS_OTHER_EXPLOIT];

/// One person, as the release sees them: for each column of [`COLUMNS`], the index of their
/// value. Exactly one row per person (the bound on each person's contribution: one count in
/// each table).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Respondent(pub [u8; COLUMNS.len()]);

impl std::fmt::Debug for Respondent {
    // A row of sensitive data, even coded: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Respondent(..)")
    }
}

/// The coded source values of one person (what the HTCDS projection gives), before they are
/// generalised to the codebook.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SourcePerson<'a> {
    /// HTCDS `prs_Gender` code.
    pub gender: Option<&'a str>,
    /// Whole years when the first case opened.
    pub age: Option<u32>,
    /// ISO 3166-1 alpha-2.
    pub citizenship: Option<&'a str>,
    /// ISO 3166-1 alpha-2.
    pub country_of_exploitation: Option<&'a str>,
    /// HTCDS `vic_TypeOfExploitation` codes.
    pub exploitation: &'a [String],
}

impl std::fmt::Debug for SourcePerson<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SourcePerson(..)")
    }
}

impl Respondent {
    /// Generalises a person's coded values to the codebook. Anything unknown, declined or
    /// not in the codebook counts as `Unknown` (never as a new category).
    pub fn from_source(p: &SourcePerson<'_>) -> Respondent {
        let gender = match p.gender {
            Some("Feminine") => 0,
            Some("Masculine") => 1,
            Some("TransgenderFeminine" | "TransgenderMasculine" | "NonConforming") => 2,
            _ => 3,
        };
        let age = match p.age {
            Some(0..=8) => 0,
            Some(9..=17) => 1,
            Some(18..=20) => 2,
            Some(21..=23) => 3,
            Some(24..=26) => 4,
            Some(27..=29) => 5,
            Some(30..=38) => 6,
            Some(39..=47) => 7,
            // Ages beyond 120 are data-entry errors: not known rather than "48+".
            Some(48..=120) => 8,
            _ => 9,
        };
        let has = |codes: &[&str]| p.exploitation.iter().any(|e| codes.contains(&e.as_str()));
        let forced_labour = has(&["ForcedLabour", "ChildLabour"]);
        let sexual = has(&["SexualExploitation"]);
        let other =
            p.exploitation.iter().any(|e| !matches!(e.as_str(), "ForcedLabour" | "ChildLabour" | "SexualExploitation"));
        Respondent([
            gender,
            age,
            region_of(p.citizenship),
            region_of(p.country_of_exploitation),
            u8::from(forced_labour),
            u8::from(sexual),
            u8::from(other),
        ])
    }
}

/// The index in [`REGIONS`] of an ISO 3166-1 alpha-2 country: its UN M49 region, the
/// Americas by M49 sub-region (the domain's one M49 table); Unknown for none or a code M49
/// does not place.
pub fn region_of(country: Option<&str>) -> u8 {
    const UNKNOWN: u8 = 8;
    let Some(code) = country else { return UNKNOWN };
    let code = code.trim().to_ascii_uppercase();
    let name = match m49::region(&code) {
        "Americas" => m49::subregion(&code),
        region => region,
    };
    // The codebook writes M49's names without spaces ("Northern America" → "NorthernAmerica").
    REGIONS.iter().position(|r| r.chars().eq(name.chars().filter(|c| *c != ' '))).map_or(UNKNOWN, |i| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_but_antarctica_has_a_region() {
        let list = include_str!("../../amparo-domain/data/countries.txt");
        let mut seen = 0;
        for line in list.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let code = line.split('\t').next().unwrap_or_default();
            seen += 1;
            let region = region_of(Some(code));
            if code == "AQ" {
                assert_eq!(region, 8);
            } else {
                assert_ne!(region, 8, "{code} has no region");
            }
        }
        assert!(seen > 240);
    }

    #[test]
    fn mexico_is_central_america_and_unknown_codes_are_unknown() {
        assert_eq!(REGIONS[region_of(Some("MX")) as usize], "CentralAmerica");
        assert_eq!(REGIONS[region_of(Some("us")) as usize], "NorthernAmerica");
        assert_eq!(REGIONS[region_of(Some("ZZ")) as usize], "Unknown");
        assert_eq!(REGIONS[region_of(None) as usize], "Unknown");
    }

    #[test]
    fn a_person_is_generalised_to_the_codebook() {
        let exploitation = vec!["SexualExploitation".to_owned(), "ForcedMarriage".to_owned()];
        let r = Respondent::from_source(&SourcePerson {
            gender: Some("TransgenderFeminine"),
            age: Some(17),
            citizenship: Some("GT"),
            country_of_exploitation: Some("US"),
            exploitation: &exploitation,
        });
        let named: Vec<&str> = r.0.iter().zip(COLUMNS).map(|(&v, c)| c.values[v as usize]).collect();
        assert_eq!(named, ["TransgenderOrNonConforming", "9--17", "CentralAmerica", "NorthernAmerica", "0", "1", "1"]);
        let nobody = Respondent::from_source(&SourcePerson::default());
        assert_eq!(nobody.0, [3, 9, 8, 8, 0, 0, 0]);
    }
}
