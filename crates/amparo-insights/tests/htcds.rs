//! The k-anonymous HTCDS export on generated data, checked by a checker written apart from
//! the algorithm: it reads the CSV file as a partner would, groups rows by the whole tuple
//! and counts, and groups them by every column but the exploitation flags and counts the
//! distinct exploitation values. It knows nothing of levels, lattices or suppression.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};

use amparo_app::htcds::HtcdsPerson;
use amparo_insights::htcds::{HtcdsError, anonymise, csv};

/// The exploitation columns, as CTDC names them.
const EXPLOITATION: [&str; 8] = [
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
];

/// What the checker finds wrong with a file (empty: nothing).
fn violations(file: &[u8], k: usize) -> Vec<String> {
    let mut r = ::csv::Reader::from_reader(file);
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    let mut out = Vec::new();
    let mut tuples: HashMap<&Vec<String>, usize> = HashMap::new();
    for row in &rows {
        *tuples.entry(row).or_default() += 1;
    }
    for (tuple, n) in &tuples {
        if *n < k {
            out.push(format!("{tuple:?} occurs {n} times"));
        }
    }
    let is_exploitation: Vec<bool> = headers.iter().map(|h| EXPLOITATION.contains(&h.as_str())).collect();
    assert_eq!(is_exploitation.iter().filter(|b| **b).count(), EXPLOITATION.len(), "{headers:?}");
    let mut classes: HashMap<Vec<&String>, HashSet<Vec<&String>>> = HashMap::new();
    for row in &rows {
        let rest: Vec<&String> = row.iter().zip(&is_exploitation).filter(|(_, e)| !**e).map(|(c, _)| c).collect();
        let exploitation: Vec<&String> =
            row.iter().zip(&is_exploitation).filter(|(_, e)| **e).map(|(c, _)| c).collect();
        let known = exploitation.iter().any(|c| *c != "-99");
        let set = classes.entry(rest).or_default();
        if known {
            set.insert(exploitation);
        }
    }
    for (class, values) in &classes {
        if values.len() == 1 {
            out.push(format!("{class:?} shows one exploitation type only"));
        }
    }
    out
}

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// One of `items`, the first ones more often (a long tail of rare values).
    fn skewed<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let a = self.below(items.len() as u64);
        let b = self.below(items.len() as u64);
        items[a.min(b) as usize]
    }
    fn maybe(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const COUNTRIES: &[&str] =
    &["MX", "GT", "HN", "SV", "US", "NI", "CO", "VE", "HT", "CU", "EC", "PH", "CN", "NG", "UA", "IN"];
const EXPLOITATION_TYPES: &[&str] = &[
    "ForcedLabour",
    "SexualExploitation",
    "Servitude",
    "amparo_ForcedCriminality",
    "ForcedBegging",
    "ForcedMarriage",
    "ChildLabour",
    "OrganRemoval",
    "Other",
];
const MEANS: &[&str] = &[
    "FalsePromises",
    "DebtBondage",
    "WithholdsDocuments",
    "ThreatsLawEnforcement",
    "TakesEarnings",
    "PsychologicalAbuse",
    "PhysicalThreats",
    "SexualAbuse",
];
const GENDERS: &[&str] = &["Feminine", "Masculine", "TransgenderFeminine", "NonConforming", "NonSpecifiedUnknown"];

fn generate(n: usize, seed: u64) -> Vec<HtcdsPerson> {
    let mut g = Gen(seed.max(1));
    (0..n)
        .map(|_| {
            let exploitation: Vec<String> = if g.maybe(5) {
                Vec::new()
            } else {
                let mut v = vec![g.skewed(EXPLOITATION_TYPES).to_owned()];
                if g.maybe(15) {
                    v.push(g.skewed(EXPLOITATION_TYPES).to_owned());
                }
                v.sort();
                v.dedup();
                v
            };
            let means: Vec<String> = (0..g.below(4)).map(|_| g.skewed(MEANS).to_owned()).collect();
            HtcdsPerson {
                year_of_registration: (!g.maybe(3)).then(|| 2015 + g.below(12) as i32),
                age_at_registration: (!g.maybe(10)).then(|| (g.below(60) + g.below(10)) as u32),
                gender: (!g.maybe(5)).then(|| g.skewed(GENDERS).to_owned()),
                citizenship: (!g.maybe(5)).then(|| g.skewed(COUNTRIES).to_owned()),
                country_of_exploitation: (!g.maybe(8)).then(|| g.skewed(COUNTRIES).to_owned()),
                exploitation,
                means_of_control: means,
                recruitment: None,
            }
        })
        .collect()
}

#[test]
fn every_row_occurs_k_times_and_every_group_shows_two_exploitation_types_on_generated_data() {
    for k in [5, 11] {
        for (n, seed) in [(60, 3), (400, 11), (1200, 2026)] {
            let persons = generate(n, seed);
            let a = anonymise(&persons, k).unwrap();
            let file = csv(&a).unwrap();
            let found = violations(&file, k);
            assert!(found.is_empty(), "k={k} n={n}: {found:?}");
            // The file says what the summary says.
            let lines = file.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
            assert_eq!(lines - 1, a.summary.rows, "k={k} n={n}");
            assert_eq!(a.summary.rows + a.summary.records_suppressed, n);
            // And keeps a fair share of the people (not the empty file that is trivially safe).
            if n >= 400 {
                assert!(a.summary.rows * 100 >= n * 50, "k={k} n={n}: kept {} rows", a.summary.rows);
            }
        }
    }
}

#[test]
fn no_identifying_value_and_only_ctdc_columns_are_written() {
    let persons = generate(800, 5);
    let a = anonymise(&persons, 11).unwrap();
    let text = String::from_utf8(csv(&a).unwrap()).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        "yearOfRegistration,gender,ageBroad,majorityStatus,citizenship,CountryOfExploitation,\
         meansOfControlDebtBondage,meansOfControlTakesEarnings,meansOfControlRestrictsFinancialAccess,\
         meansOfControlThreats,meansOfControlPsychologicalAbuse,meansOfControlPhysicalAbuse,\
         meansOfControlSexualAbuse,meansOfControlFalsePromises,meansOfControlPsychoactiveSubstances,\
         meansOfControlRestrictsMedicalCare,meansOfControlExcessiveWorkingHours,\
         meansOfControlThreatOfLawEnforcement,meansOfControlWithholdsNecessities,\
         meansOfControlWithholdsDocuments,meansOfControlOther,isForcedLabour,isSexualExploit,isOtherExploit,\
         isSexAndLabour,isForcedMarriage,isForcedMilitary,isOrganRemoval,isSlaveryAndPractices"
    );
    // No exact age and no date anywhere: ages are bands, years are years or periods.
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let age = cells[2];
        assert!(age.is_empty() || age.contains("--") || age == "48+", "{age}");
        let year = cells[0];
        assert!(year.is_empty() || year.len() == 4 || (year.len() == 10 && year.contains("--")), "{year}");
        for c in &cells {
            let b = c.as_bytes();
            let date_like = b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5] != b'-';
            assert!(!date_like, "{c}");
        }
    }
}

#[test]
fn the_checker_catches_a_file_that_is_not_anonymous() {
    let persons = generate(50, 9);
    // Written at the finest grain, unsuppressed: many rows stand alone.
    let mut a = anonymise(&persons, 5).unwrap();
    a.rows = persons
        .iter()
        .map(|p| {
            amparo_insights::htcds::columns::Attr::ALL.iter().flat_map(|attr| attr.cells(p, 0)).collect::<Vec<String>>()
        })
        .collect();
    let found = violations(&csv(&a).unwrap(), 5);
    assert!(found.iter().any(|v| v.contains("occurs 1 times")), "{found:?}");
    // A group with one exploitation type only is caught too.
    let mut same = vec![HtcdsPerson { exploitation: vec!["ForcedLabour".into()], ..HtcdsPerson::default() }; 6];
    same.iter_mut().for_each(|p| p.gender = Some("Feminine".into()));
    a.rows = same
        .iter()
        .map(|p| amparo_insights::htcds::columns::Attr::ALL.iter().flat_map(|attr| attr.cells(p, 0)).collect())
        .collect();
    let found = violations(&csv(&a).unwrap(), 5);
    assert!(found.iter().any(|v| v.contains("one exploitation type")), "{found:?}");
}

#[test]
fn k_below_five_is_refused_and_everyone_alike_is_kept() {
    for k in [0, 1, 4] {
        assert!(matches!(anonymise(&generate(20, 1), k), Err(HtcdsError::KTooSmall)), "{k}");
    }
    // Twenty-two people alike in everything but two exploitation types, eleven each: all kept
    // as they are, nothing blanked.
    let mut persons = Vec::new();
    for t in ["ForcedLabour", "SexualExploitation"] {
        for _ in 0..11 {
            persons.push(HtcdsPerson {
                year_of_registration: Some(2024),
                age_at_registration: Some(25),
                gender: Some("Feminine".into()),
                citizenship: Some("MX".into()),
                country_of_exploitation: Some("US".into()),
                exploitation: vec![t.into()],
                means_of_control: vec!["DebtBondage".into()],
                recruitment: None,
            });
        }
    }
    let a = anonymise(&persons, 11).unwrap();
    assert_eq!((a.summary.rows, a.summary.cells_suppressed, a.summary.l_diversity_cells), (22, 0, 0));
    assert!(a.summary.levels.iter().all(|(_, l)| *l == 0), "{:?}", a.summary.levels);
    assert!(violations(&csv(&a).unwrap(), 11).is_empty());
    // Eleven alike with one type only: the type is blanked (l-diversity), the rows kept.
    let a = anonymise(&persons[..11], 11).unwrap();
    assert_eq!((a.summary.rows, a.summary.l_diversity_cells), (11, 11));
    assert!(violations(&csv(&a).unwrap(), 11).is_empty());
}
