//! Reading what people type into spreadsheets, in Spanish or English: dates (ISO, or day
//! first as Mexico and most of the world write them, or with the month's name), languages
//! and countries by code or by name in either language, yes/no, gender, whole numbers.
//! Everything here returns the API's value (an ISO date, an ISO code, an HTCDS code) or
//! `None` when the text cannot be read: never a guess between two readings.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use amparo_domain::records::DeclineCode;
use amparo_domain::records::vocab;

/// Lower case, accents gone, punctuation that varies (`.`, `’`, `'`) gone, spaces collapsed:
/// `"  Méx. "` → `"mex"`, `"K’iche’"` → `"kiche"`.
pub fn fold(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !matches!(*c, '\u{300}'..='\u{36f}'))
        .filter(|c| !matches!(c, '.' | '\'' | '’' | '‘' | '`'))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A decline code written as its code or in words (either language).
pub fn decline(s: &str) -> Option<DeclineCode> {
    let t = s.trim();
    if let Some(d) = DeclineCode::from_code(t) {
        return Some(d);
    }
    match fold(t).as_str() {
        "client doesnt know" | "doesnt know" | "does not know" | "no sabe" | "lo desconoce" => {
            Some(DeclineCode::ClientDoesntKnow)
        }
        "prefers not to answer"
        | "prefers not to say"
        | "prefiere no responder"
        | "prefiere no contestar"
        | "prefiere no decir" => Some(DeclineCode::PrefersNotToAnswer),
        "not collected" | "no se recabo" | "no recabado" | "no se pregunto" => Some(DeclineCode::NotCollected),
        _ => None,
    }
}

const MONTHS: [(&str, u32); 35] = [
    ("january", 1),
    ("jan", 1),
    ("enero", 1),
    ("ene", 1),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("abr", 4),
    ("may", 5),
    ("mayo", 5),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("ago", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("october", 10),
    ("octubre", 10),
    ("november", 11),
    ("noviembre", 11),
];

fn month(word: &str) -> Option<u32> {
    match word {
        "oct" => Some(10),
        "nov" => Some(11),
        "december" | "dec" | "diciembre" | "dic" => Some(12),
        w => MONTHS.iter().find(|(name, _)| *name == w).map(|(_, m)| *m),
    }
}

/// A date: `2024-03-05`, `2024/03/05`, `05/03/2024`, `5-3-2024`, `05.03.2024` (day first,
/// always), `5 de marzo de 2024`, `5 March 2024`, `March 5, 2024`, or an ISO date-time
/// (`2024-03-05T00:00:00`, as spreadsheets export dates). Two-digit years are refused.
pub fn date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    let t = t.split_once('T').map_or(t, |(d, _)| d);
    let t = t.split_once(' ').filter(|(d, rest)| d.len() == 10 && rest.contains(':')).map_or(t, |(d, _)| d);
    let numbers: Vec<&str> = t.split(['-', '/', '.']).collect();
    if numbers.len() == 3 && numbers.iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
        let n: Vec<u32> = numbers.iter().filter_map(|n| n.parse().ok()).collect();
        let (y, m, d) = if numbers[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if numbers[2].len() == 4 {
            (n[2], n[1], n[0])
        } else {
            return None;
        };
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    // Words: "5 de marzo de 2024", "5 March 2024", "March 5, 2024".
    let folded = fold(t).replace(',', " ");
    let words: Vec<&str> = folded.split_whitespace().filter(|w| *w != "de" && *w != "del" && *w != "of").collect();
    if words.len() != 3 {
        return None;
    }
    let num = |w: &str| w.trim_end_matches(|c: char| c.is_alphabetic()).parse::<u32>().ok();
    let (d, m, y) = if let Some(m) = month(words[1]) {
        (num(words[0])?, m, words[2])
    } else if let Some(m) = month(words[0]) {
        (num(words[1])?, m, words[2])
    } else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m, d)
}

/// Spanish (and a few other) names of languages people are served in, and common ways of
/// writing them, mapped to their ISO 639 code.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("espanol", "es"),
    ("castellano", "es"),
    ("ingles", "en"),
    ("english", "en"),
    ("frances", "fr"),
    ("portugues", "pt"),
    ("aleman", "de"),
    ("italiano", "it"),
    ("chino", "zh"),
    ("mandarin", "zh"),
    ("arabe", "ar"),
    ("ruso", "ru"),
    ("coreano", "ko"),
    ("japones", "ja"),
    ("vietnamita", "vi"),
    ("tagalo", "tl"),
    ("hindi", "hi"),
    ("criollo haitiano", "ht"),
    ("creole haitiano", "ht"),
    ("haitian creole", "ht"),
    ("kreyol", "ht"),
    ("nahuatl", "nah"),
    ("mexicano", "nah"),
    ("maya", "yua"),
    ("maya yucateco", "yua"),
    ("yucatec maya", "yua"),
    ("mixteco", "mix"),
    ("mixtec", "mix"),
    ("zapoteco", "zap"),
    ("zapotec", "zap"),
    ("tsotsil", "tzo"),
    ("tzotzil", "tzo"),
    ("tseltal", "tzh"),
    ("tzeltal", "tzh"),
    ("otomi", "oto"),
    ("mazateco", "maa"),
    ("totonaco", "top"),
    ("chol", "ctu"),
    ("mam", "mam"),
    ("kiche", "quc"),
    ("quiche", "quc"),
    ("qeqchi", "kek"),
    ("kekchi", "kek"),
    ("kaqchikel", "cak"),
    ("cakchiquel", "cak"),
    ("garifuna", "cab"),
    ("miskito", "miq"),
    ("lenca", "len"),
];

fn language_index() -> &'static HashMap<String, &'static str> {
    static T: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        // English names from the ISO table; where two codes share a name the first (ISO
        // 639-1, two letters, sorts first among equals) wins.
        let mut all = vocab::all_languages();
        all.sort_by_key(|(code, _)| (code.len(), *code));
        for (code, name) in all {
            for variant in name.split(';').map(str::trim) {
                m.entry(fold(variant)).or_insert(code);
                if let Some(base) = variant.strip_suffix(" languages") {
                    m.entry(fold(base)).or_insert(code);
                }
            }
        }
        for (name, code) in LANGUAGE_NAMES {
            if vocab::language(code).is_ok() {
                m.insert((*name).to_owned(), code);
            }
        }
        m
    })
}

/// A language by ISO 639 code or by name in Spanish or English: `es`, `Spanish`, `español`.
pub fn language(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(code) = vocab::language(t) {
        return Some(code);
    }
    let f = fold(t);
    if let Some(code) = language_index().get(&f) {
        return Some((*code).to_owned());
    }
    // "Spanish (Mexico)", "español de México".
    let base = f.split(['(', ',']).next().unwrap_or_default().trim();
    let base = base.split(" de ").next().unwrap_or_default().trim();
    language_index().get(base).map(|c| (*c).to_owned())
}

/// Spanish names of countries (and common English short forms), folded, to ISO 3166-1.
const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("mexico", "MX"),
    ("estados unidos mexicanos", "MX"),
    ("estados unidos", "US"),
    ("estados unidos de america", "US"),
    ("eeuu", "US"),
    ("ee uu", "US"),
    ("eua", "US"),
    ("usa", "US"),
    ("united states of america", "US"),
    ("guatemala", "GT"),
    ("honduras", "HN"),
    ("el salvador", "SV"),
    ("salvador", "SV"),
    ("nicaragua", "NI"),
    ("costa rica", "CR"),
    ("panama", "PA"),
    ("belice", "BZ"),
    ("cuba", "CU"),
    ("haiti", "HT"),
    ("republica dominicana", "DO"),
    ("puerto rico", "PR"),
    ("jamaica", "JM"),
    ("colombia", "CO"),
    ("venezuela", "VE"),
    ("ecuador", "EC"),
    ("peru", "PE"),
    ("bolivia", "BO"),
    ("chile", "CL"),
    ("argentina", "AR"),
    ("uruguay", "UY"),
    ("paraguay", "PY"),
    ("brasil", "BR"),
    ("canada", "CA"),
    ("espana", "ES"),
    ("francia", "FR"),
    ("alemania", "DE"),
    ("italia", "IT"),
    ("reino unido", "GB"),
    ("uk", "GB"),
    ("china", "CN"),
    ("india", "IN"),
    ("filipinas", "PH"),
    ("vietnam", "VN"),
    ("corea del sur", "KR"),
    ("south korea", "KR"),
    ("japon", "JP"),
    ("tailandia", "TH"),
    ("rusia", "RU"),
    ("russia", "RU"),
    ("ucrania", "UA"),
    ("nigeria", "NG"),
    ("ghana", "GH"),
    ("senegal", "SN"),
    ("camerun", "CM"),
    ("etiopia", "ET"),
    ("eritrea", "ER"),
    ("afganistan", "AF"),
    ("iran", "IR"),
    ("siria", "SY"),
    ("turquia", "TR"),
];

fn country_index() -> &'static HashMap<String, &'static str> {
    static T: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        for (code, name) in vocab::all_countries() {
            m.insert(fold(name), code);
            // "Bolivia, Plurinational State of" is also just "Bolivia".
            if let Some((short, _)) = name.split_once(',') {
                m.entry(fold(short)).or_insert(code);
            }
        }
        for (name, code) in COUNTRY_NAMES {
            if vocab::country(code).is_ok() {
                m.insert((*name).to_owned(), code);
            }
        }
        m
    })
}

/// A country by ISO code or by name in Spanish or English: `MX`, `Mexico`, `México`.
pub fn country(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t.chars().count() == 2
        && let Ok(code) = vocab::country(t)
    {
        return Some(code);
    }
    let f = fold(t);
    country_index().get(&f).map(|c| (*c).to_owned())
}

/// Yes or no: `yes`, `sí`, `si`, `true`, `1`, `x`, `no`, `false`, `0`, `y`, `n`, `s`.
pub fn yes_no(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "yes" | "y" | "si" | "s" | "true" | "verdadero" | "1" | "x" => Some(true),
        "no" | "n" | "false" | "falso" | "0" => Some(false),
        _ => None,
    }
}

/// An HTCDS gender code, from the code or common words in either language.
pub fn gender(s: &str) -> Option<String> {
    let t = s.trim();
    if let Ok(g) = vocab::Gender::from_code(t) {
        return Some(g.code().to_owned());
    }
    let code = match fold(t).as_str() {
        "feminine" | "female" | "woman" | "f" | "femenino" | "mujer" | "femenina" => "Feminine",
        "masculine" | "male" | "man" | "m" | "masculino" | "hombre" | "h" => "Masculine",
        "transgender feminine" | "trans woman" | "transgender woman" | "mujer trans" | "mujer transgenero" => {
            "TransgenderFeminine"
        }
        "transgender masculine" | "trans man" | "transgender man" | "hombre trans" | "hombre transgenero" => {
            "TransgenderMasculine"
        }
        "non conforming" | "nonconforming" | "non binary" | "nonbinary" | "no binario" | "no binaria"
        | "no conforme" => "NonConforming",
        "non specified unknown"
        | "nonspecifiedunknown"
        | "unknown"
        | "not specified"
        | "desconocido"
        | "no especificado" => "NonSpecifiedUnknown",
        _ => return None,
    };
    Some(code.to_owned())
}

/// A whole number: `3`, `3.0` (as spreadsheets store numbers), ` 12 `.
pub fn whole(s: &str) -> Option<i32> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i32>() {
        return Some(n);
    }
    let f: f64 = t.parse().ok()?;
    (f.fract() == 0.0 && f.abs() < 1e9).then_some(f as i32)
}

/// The items of a list cell: `MX; GT`, `es, nah`, `es | en`, `es / en`.
pub fn items(s: &str) -> Vec<&str> {
    s.split([';', ',', '|', '/']).map(str::trim).filter(|i| !i.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_both_languages() {
        assert_eq!(date("2024-03-05"), d(2024, 3, 5));
        assert_eq!(date("2024/03/05"), d(2024, 3, 5));
        assert_eq!(date("05/03/2024"), d(2024, 3, 5), "day first");
        assert_eq!(date("5/3/2024"), d(2024, 3, 5));
        assert_eq!(date("05-03-2024"), d(2024, 3, 5));
        assert_eq!(date("05.03.2024"), d(2024, 3, 5));
        assert_eq!(date("31/12/1990"), d(1990, 12, 31));
        assert_eq!(date("12/31/1990"), None, "month 31 does not exist: no guessing");
        assert_eq!(date("5 de marzo de 2024"), d(2024, 3, 5));
        assert_eq!(date("5 marzo 2024"), d(2024, 3, 5));
        assert_eq!(date("5 March 2024"), d(2024, 3, 5));
        assert_eq!(date("March 5, 2024"), d(2024, 3, 5));
        assert_eq!(date("1 de septiembre del 2001"), d(2001, 9, 1));
        assert_eq!(date("2 Dic 1999"), d(1999, 12, 2));
        assert_eq!(date("2024-03-05T00:00:00"), d(2024, 3, 5));
        assert_eq!(date("2024-03-05 00:00:00"), d(2024, 3, 5));
        for bad in ["05/03/24", "2024-02-30", "yesterday", "", "5 de marzo", "1990", "13/13/2000"] {
            assert_eq!(date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn languages_by_code_or_name_in_either_language() {
        for (typed, code) in [
            ("es", "es"),
            ("ES", "es"),
            ("Spanish", "es"),
            ("español", "es"),
            ("Español", "es"),
            ("espanol", "es"),
            ("castellano", "es"),
            ("Inglés", "en"),
            ("English", "en"),
            ("Náhuatl", "nah"),
            ("Nahuatl", "nah"),
            ("K’iche’", "quc"),
            ("Mam", "mam"),
            ("Zapoteco", "zap"),
            ("Spanish (Mexico)", "es"),
            ("español de México", "es"),
            ("French", "fr"),
            ("francés", "fr"),
        ] {
            assert_eq!(language(typed).as_deref(), Some(code), "{typed}");
        }
        assert_eq!(language("klingonese"), None);
        assert_eq!(language(""), None);
    }

    #[test]
    fn countries_by_code_or_name_in_either_language() {
        for (typed, code) in [
            ("MX", "MX"),
            ("mx", "MX"),
            ("México", "MX"),
            ("Mexico", "MX"),
            ("MÉXICO", "MX"),
            ("Estados Unidos", "US"),
            ("United States", "US"),
            ("EE. UU.", "US"),
            ("USA", "US"),
            ("Guatemala", "GT"),
            ("El Salvador", "SV"),
            ("Bolivia", "BO"),
            ("Brasil", "BR"),
            ("Brazil", "BR"),
            ("Panamá", "PA"),
            ("República Dominicana", "DO"),
            ("Dominican Republic", "DO"),
        ] {
            assert_eq!(country(typed).as_deref(), Some(code), "{typed}");
        }
        assert_eq!(country("XX"), None);
        assert_eq!(country("Atlantis"), None);
    }

    #[test]
    fn small_values() {
        assert_eq!(yes_no("Sí"), Some(true));
        assert_eq!(yes_no("no"), Some(false));
        assert_eq!(yes_no("TRUE"), Some(true));
        assert_eq!(yes_no("maybe"), None);
        assert_eq!(gender("mujer").as_deref(), Some("Feminine"));
        assert_eq!(gender("Male").as_deref(), Some("Masculine"));
        assert_eq!(gender("TransgenderFeminine").as_deref(), Some("TransgenderFeminine"));
        assert_eq!(gender("no binario").as_deref(), Some("NonConforming"));
        assert_eq!(gender("otro"), None);
        assert_eq!(whole("3"), Some(3));
        assert_eq!(whole("3.0"), Some(3));
        assert_eq!(whole("3.5"), None);
        assert_eq!(items("MX; GT ,US"), vec!["MX", "GT", "US"]);
        assert_eq!(decline("prefers_not_to_answer"), Some(DeclineCode::PrefersNotToAnswer));
        assert_eq!(decline("No sabe"), Some(DeclineCode::ClientDoesntKnow));
        assert_eq!(decline("María"), None);
    }
}
