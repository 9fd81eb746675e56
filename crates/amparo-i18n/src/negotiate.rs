//! Choosing the interface language from `Accept-Language` (RFC 9110 §12.5.4).

use crate::Language;

/// Picks the language from an `Accept-Language` header value, e.g.
/// `"en-US,en;q=0.9,es;q=0.8"`. Region subtags are ignored (`es-MX` is Spanish), `*` and
/// languages Amparo does not speak are skipped, and `q=0` means "not this one". Returns
/// `default` when nothing matches or the header is absent or garbled.
pub fn negotiate(accept_language: Option<&str>, default: Language) -> Language {
    let Some(header) = accept_language else {
        return default;
    };
    let mut best: Option<(u16, Language)> = None;
    // Ties keep the order of the header: the first of equal weight wins.
    for (quality, language) in header.split(',').filter_map(parse_item) {
        if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, language));
        }
    }
    best.map_or(default, |(_, language)| language)
}

/// One `language-range [; q=weight]` item, as (weight in thousandths, language). Items
/// that are malformed, `*`, or in a language we do not speak give `None`.
fn parse_item(item: &str) -> Option<(u16, Language)> {
    let mut parts = item.split(';');
    let range = parts.next()?.trim();
    let mut quality = 1000;
    for param in parts {
        let (name, value) = param.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            quality = parse_qvalue(value.trim())?;
        }
    }
    let primary = primary_subtag(range)?;
    let language = Language::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))?;
    Some((quality, language))
}

/// The primary subtag of a well-formed language range (`1*8ALPHA *("-" 1*8alphanum)`).
fn primary_subtag(range: &str) -> Option<&str> {
    let mut subtags = range.split('-');
    let primary = subtags.next()?;
    let well_formed = (1..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    well_formed.then_some(primary)
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_qvalue(value: &str) -> Option<u16> {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (value, ""),
    };
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(header: &str) -> Language {
        negotiate(Some(header), Language::Es)
    }

    fn pick_default_en(header: &str) -> Language {
        negotiate(Some(header), Language::En)
    }

    #[test]
    fn absent_header_gives_the_default() {
        assert_eq!(negotiate(None, Language::Es), Language::Es);
        assert_eq!(negotiate(None, Language::En), Language::En);
    }

    #[test]
    fn region_subtags_are_ignored() {
        assert_eq!(pick("en-US"), Language::En);
        assert_eq!(pick_default_en("es-MX"), Language::Es);
        assert_eq!(pick_default_en("es-419"), Language::Es);
    }

    #[test]
    fn tags_are_case_insensitive() {
        assert_eq!(pick("EN-gb"), Language::En);
        assert_eq!(pick_default_en("ES-mx"), Language::Es);
        assert_eq!(pick("en;Q=0.5"), Language::En);
    }

    #[test]
    fn highest_q_value_wins_whatever_the_order() {
        assert_eq!(pick("en-US,en;q=0.9,es;q=0.8"), Language::En);
        assert_eq!(pick_default_en("en;q=0.5, es-MX;q=0.9"), Language::Es);
        assert_eq!(pick("es;q=0.1,en"), Language::En);
        assert_eq!(pick_default_en("en;q=0.800,es;q=0.801"), Language::Es);
    }

    #[test]
    fn equal_q_values_keep_header_order() {
        assert_eq!(pick("en,es"), Language::En);
        assert_eq!(pick_default_en("es;q=0.5,en;q=0.5"), Language::Es);
    }

    #[test]
    fn unknown_languages_and_wildcard_are_skipped() {
        assert_eq!(pick("fr-FR,de;q=0.9,en;q=0.1"), Language::En);
        assert_eq!(pick_default_en("*,es;q=0.2"), Language::Es);
        assert_eq!(pick("fr,*"), Language::Es);
        assert_eq!(pick_default_en("fr,*"), Language::En);
    }

    #[test]
    fn q_zero_excludes_a_language() {
        assert_eq!(pick("en;q=0"), Language::Es);
        assert_eq!(pick_default_en("es;q=0.000, fr"), Language::En);
        assert_eq!(pick("en;q=0,es;q=0.1"), Language::Es);
    }

    #[test]
    fn garbage_gives_the_default() {
        for header in [
            "",
            " ",
            ",,,",
            "en;q=2",
            "en;q=1.5",
            "en;q=0.1234",
            "en;q=abc",
            "en;q=",
            "en;garbage",
            "english",
            "en_US",
            "e n",
            "en-",
            "en--US",
            "ésé",
            "\u{0}en",
        ] {
            assert_eq!(pick(header), Language::Es, "{header:?}");
            assert_eq!(pick_default_en(header.replace("en", "es").as_str()), Language::En, "{header:?}");
        }
    }

    #[test]
    fn one_garbled_item_does_not_spoil_the_rest() {
        assert_eq!(pick("en;q=abc, fr, en-GB;q=0.3"), Language::En);
        assert_eq!(pick_default_en("en;q=7,es;q=0.2"), Language::Es);
    }

    #[test]
    fn whitespace_around_items_and_parameters_is_allowed() {
        assert_eq!(pick("  fr ;q=0.9 ,  en ; q=0.8 "), Language::En);
    }

    #[test]
    fn q_values_parse_in_thousandths() {
        assert_eq!(parse_qvalue("1"), Some(1000));
        assert_eq!(parse_qvalue("1.000"), Some(1000));
        assert_eq!(parse_qvalue("0"), Some(0));
        assert_eq!(parse_qvalue("0."), Some(0));
        assert_eq!(parse_qvalue("0.5"), Some(500));
        assert_eq!(parse_qvalue("0.05"), Some(50));
        assert_eq!(parse_qvalue("0.001"), Some(1));
        assert_eq!(parse_qvalue("1.001"), None);
        assert_eq!(parse_qvalue(".5"), None);
        assert_eq!(parse_qvalue("0.-1"), None);
        assert_eq!(parse_qvalue("+0.5"), None);
    }
}
