//! Countries to their UN M49 sub-region and region (the "Standard country or area codes for
//! statistical use", https://unstats.un.org/unsd/methodology/m49/): the steps by which the
//! k-anonymous export and the differentially private release generalise a country. Taiwan and Kosovo, which M49 does not list, go
//! where the rest of their neighbourhood goes; a code not listed is "Other".

/// (sub-region, region, ISO 3166-1 alpha-2 codes).
const SUBREGIONS: &[(&str, &str, &[&str])] = &[
    ("Northern Africa", "Africa", &["DZ", "EG", "LY", "MA", "SD", "TN", "EH"]),
    (
        "Eastern Africa",
        "Africa",
        &[
            "IO", "BI", "KM", "DJ", "ER", "ET", "TF", "KE", "MG", "MW", "MU", "YT", "MZ", "RE", "RW", "SC", "SO", "SS",
            "UG", "TZ", "ZM", "ZW",
        ],
    ),
    ("Middle Africa", "Africa", &["AO", "CM", "CF", "TD", "CG", "CD", "GQ", "GA", "ST"]),
    ("Southern Africa", "Africa", &["BW", "SZ", "LS", "NA", "ZA"]),
    (
        "Western Africa",
        "Africa",
        &["BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SH", "SN", "SL", "TG"],
    ),
    (
        "Caribbean",
        "Americas",
        &[
            "AI", "AG", "AW", "BS", "BB", "BQ", "VG", "KY", "CU", "CW", "DM", "DO", "GD", "GP", "HT", "JM", "MQ", "MS",
            "PR", "BL", "KN", "LC", "MF", "VC", "SX", "TT", "TC", "VI",
        ],
    ),
    ("Central America", "Americas", &["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA"]),
    (
        "South America",
        "Americas",
        &["AR", "BO", "BV", "BR", "CL", "CO", "EC", "FK", "GF", "GY", "PY", "PE", "GS", "SR", "UY", "VE"],
    ),
    ("Northern America", "Americas", &["BM", "CA", "GL", "PM", "US"]),
    ("Central Asia", "Asia", &["KZ", "KG", "TJ", "TM", "UZ"]),
    ("Eastern Asia", "Asia", &["CN", "HK", "MO", "KP", "JP", "MN", "KR", "TW"]),
    ("South-eastern Asia", "Asia", &["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]),
    ("Southern Asia", "Asia", &["AF", "BD", "BT", "IN", "IR", "MV", "NP", "PK", "LK"]),
    (
        "Western Asia",
        "Asia",
        &["AM", "AZ", "BH", "CY", "GE", "IQ", "IL", "JO", "KW", "LB", "OM", "QA", "SA", "PS", "SY", "TR", "AE", "YE"],
    ),
    ("Eastern Europe", "Europe", &["BY", "BG", "CZ", "HU", "PL", "MD", "RO", "RU", "SK", "UA"]),
    (
        "Northern Europe",
        "Europe",
        &["AX", "DK", "EE", "FO", "FI", "GG", "IS", "IE", "IM", "JE", "LV", "LT", "NO", "SJ", "SE", "GB"],
    ),
    (
        "Southern Europe",
        "Europe",
        &["AL", "AD", "BA", "HR", "GI", "GR", "VA", "IT", "MT", "ME", "MK", "PT", "SM", "RS", "SI", "ES", "XK"],
    ),
    ("Western Europe", "Europe", &["AT", "BE", "FR", "DE", "LI", "LU", "MC", "NL", "CH"]),
    ("Australia and New Zealand", "Oceania", &["AU", "CX", "CC", "HM", "NZ", "NF"]),
    ("Melanesia", "Oceania", &["FJ", "NC", "PG", "SB", "VU"]),
    ("Micronesia", "Oceania", &["GU", "KI", "MH", "FM", "NR", "MP", "PW", "UM"]),
    ("Polynesia", "Oceania", &["AS", "CK", "PF", "NU", "PN", "WS", "TK", "TO", "TV", "WF"]),
];

/// What a country, a sub-region or a region not in the table becomes.
pub const OTHER: &str = "Other";

fn find(country: &str) -> Option<(&'static str, &'static str)> {
    SUBREGIONS.iter().find(|(_, _, codes)| codes.contains(&country)).map(|(sub, region, _)| (*sub, *region))
}

/// The M49 sub-region of an ISO alpha-2 code ("MX" → "Central America").
pub fn subregion(country: &str) -> &'static str {
    find(country).map_or(OTHER, |(s, _)| s)
}

/// The M49 region of an ISO alpha-2 code ("MX" → "Americas").
pub fn region(country: &str) -> &'static str {
    find(country).map_or(OTHER, |(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_of_the_corridor_go_to_their_m49_subregion_and_region() {
        for (c, sub, region_) in [
            ("MX", "Central America", "Americas"),
            ("GT", "Central America", "Americas"),
            ("US", "Northern America", "Americas"),
            ("CO", "South America", "Americas"),
            ("HT", "Caribbean", "Americas"),
            ("ES", "Southern Europe", "Europe"),
            ("PH", "South-eastern Asia", "Asia"),
            ("NG", "Western Africa", "Africa"),
        ] {
            assert_eq!((subregion(c), region(c)), (sub, region_), "{c}");
        }
        assert_eq!((subregion("ZZ"), region("ZZ")), (OTHER, OTHER));
    }

    #[test]
    fn no_country_is_in_two_subregions_and_every_vocabulary_country_has_one() {
        let mut seen = std::collections::HashSet::new();
        for (_, _, codes) in SUBREGIONS {
            for c in *codes {
                assert!(seen.insert(*c), "{c} twice");
            }
        }
        let missing: Vec<_> = crate::records::vocab::all_countries()
            .into_iter()
            .map(|(code, _)| code)
            .filter(|c| find(c).is_none() && *c != "AQ")
            .collect();
        assert!(missing.is_empty(), "no M49 sub-region for {missing:?}");
    }
}
