//! Blind-index tokens for search without plaintext at rest (DESIGN.md §3).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use std::collections::HashSet;

use amparo_crypto::{BlindIndexKey, KeyRing, MasterKey, normalize_for_search};
use amparo_domain::OrgId;
use proptest::prelude::*;

const NAME: &str = "person.name";

fn ring() -> KeyRing {
    KeyRing::new(&MasterKey::generate())
}

fn set(v: Vec<String>) -> HashSet<String> {
    v.into_iter().collect()
}

/// Does a query find a stored name? (every query token present among the stored tokens)
fn finds(key: &BlindIndexKey, stored: &str, query: &str) -> bool {
    let stored = set(key.name_tokens(NAME, stored));
    let query = key.name_query_tokens(NAME, query);
    !query.is_empty() && query.iter().all(|t| stored.contains(t))
}

#[test]
fn normalize_for_search_folds_case_accents_and_punctuation() {
    assert_eq!(normalize_for_search("José Núñez"), "jose nunez");
    assert_eq!(normalize_for_search("ÁLVAREZ-GÓMEZ,  María\tdel Carmen"), "alvarez gomez maria del carmen");
    assert_eq!(normalize_for_search("François Ødegård Çelik"), "francois ødegard celik");
    assert_eq!(normalize_for_search("..."), "");
}

#[test]
fn spanish_spellings_that_sound_alike_match() {
    let r = ring();
    let k = r.org(OrgId::new());
    let key = k.blind_index();
    for (a, b) in [
        ("Valdez", "Baldes"),
        ("Yolanda", "Llolanda"),
        ("Hernández", "Ernandes"),
        ("Quintero", "Kintero"),
        ("Cecilia", "Sesilia"),
        ("Velázquez", "Belaskes"),
        ("Guillermo", "Gillermo"),
        ("Carrillo", "Cariyo"),
    ] {
        assert_eq!(set(key.name_tokens(NAME, a)), set(key.name_tokens(NAME, b)), "{a} / {b}");
        assert!(finds(key, a, b) && finds(key, b, a), "{a} / {b}");
    }
}

#[test]
fn enye_folds_to_n_so_english_keyboards_find_it() {
    let r = ring();
    let k = r.org(OrgId::new());
    let key = k.blind_index();
    assert!(finds(key, "Peña", "Pena") && finds(key, "Pena", "Peña"));
    assert!(finds(key, "Peñaloza", "penal"), "a prefix typed without ñ");
    assert!(finds(key, "Xóchitl", "xochitl") && finds(key, "Gonzáles", "gonzalez"));
    assert!(!finds(key, "Peñaloza", "penz"));
    // Case and composition do not matter.
    assert_eq!(key.name_tokens(NAME, "PEÑA"), key.name_tokens(NAME, "Pen\u{303}a"));
}

#[test]
fn type_ahead_prefixes() {
    let r = ring();
    let k = r.org(OrgId::new());
    let key = k.blind_index();
    assert!(finds(key, "María López", "mar"));
    assert!(finds(key, "María López", "mari"));
    assert!(finds(key, "María López", "MARÍA"));
    assert!(finds(key, "María López", "maria lop"));
    assert!(finds(key, "María López", "lopes"));
    assert!(finds(key, "María López", "María López"));
    assert!(!finds(key, "María López", "mar lop"), "non-final words are whole words");
    assert!(!finds(key, "María López", "marta"));
    assert!(!finds(key, "María López", "maria garcia"));
    // A 1-2 letter last word is matched as a whole word.
    assert!(finds(key, "Li Wei", "li"));
    assert!(!finds(key, "Lina", "li"));
    assert!(key.name_query_tokens(NAME, "  ¿? ").is_empty());
}

#[test]
fn token_shape_and_dedup() {
    let r = ring();
    let k = r.org(OrgId::new());
    let key = k.blind_index();
    // "ana ana": word token + prefix "ana" once, despite the repeat.
    let tokens = key.name_tokens(NAME, "Ana ana");
    assert_eq!(tokens.len(), 2);
    for t in &tokens {
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
    }
    // "maria" -> 1 word token + prefixes mar, mari, maria.
    assert_eq!(key.name_tokens(NAME, "María").len(), 4);
    assert!(key.name_tokens(NAME, "").is_empty());
    // Tokens never contain the plaintext.
    assert!(key.name_tokens(NAME, "maria").iter().all(|t| !t.contains("maria")));
}

#[test]
fn tokens_are_separated_by_field_and_org() {
    let r = ring();
    let (a, b) = (r.org(OrgId::new()), r.org(OrgId::new()));
    let ta = set(a.blind_index().name_tokens("person.name", "María López"));
    let alias = set(a.blind_index().name_tokens("person.alias", "María López"));
    let other_org = set(b.blind_index().name_tokens("person.name", "María López"));
    assert!(ta.is_disjoint(&alias));
    assert!(ta.is_disjoint(&other_org));
    assert_ne!(a.blind_index().exact_token("case.number", "X1"), a.blind_index().exact_token("case.ref", "X1"));
    assert_ne!(a.blind_index().exact_token("case.number", "X1"), b.blind_index().exact_token("case.number", "X1"));
    // Field names are length-prefixed: ("ab", "c...") never collides with ("a", "bc...").
    assert_ne!(a.blind_index().exact_token("ab", "c"), a.blind_index().exact_token("a", "bc"));
}

#[test]
fn same_master_same_org_gives_same_tokens() {
    let bytes = [3u8; 32];
    let org = OrgId::new();
    let a = KeyRing::new(&MasterKey::from_bytes(bytes)).org(org).blind_index().name_tokens(NAME, "Rosa");
    let b = KeyRing::new(&MasterKey::from_bytes(bytes)).org(org).blind_index().name_tokens(NAME, "Rosa");
    assert_eq!(a, b);
}

#[test]
fn phone_and_exact_tokens() {
    let r = ring();
    let k = r.org(OrgId::new());
    let key = k.blind_index();
    let f = "person.phone";
    let t = key.phone_token(f, "+525512345678");
    assert_eq!(key.phone_token(f, "+52 55 1234 5678"), t);
    assert_eq!(key.phone_token(f, " +52 (55) 1234-5678 "), t);
    assert_ne!(key.phone_token(f, "525512345678"), t, "the leading + is kept");
    assert_ne!(key.phone_token(f, "+525512345679"), t);
    assert_eq!(key.exact_token(f, "+52 55 1234 5678"), t);
    assert_eq!(key.exact_token(f, "+525512345678"), t);

    let c = "case.number";
    assert_eq!(key.exact_token(c, "  mx-2024-001 "), key.exact_token(c, "MX-2024-001"));
    assert_ne!(key.exact_token(c, "MX-2024-001"), key.exact_token(c, "MX-2024-002"));
    assert_eq!(key.exact_token(c, "x").len(), 32);
}

proptest! {
    #[test]
    fn tokens_are_deterministic_and_query_of_full_name_matches(name in "[A-Za-zÁÉÍÓÚáéíóúÑñÜü' -]{1,40}") {
        let r = KeyRing::new(&MasterKey::from_bytes([5u8; 32]));
        let k = r.org("00000000-0000-4000-8000-000000000001".parse::<OrgId>().unwrap());
        let key = k.blind_index();
        prop_assert_eq!(key.name_tokens(NAME, &name), key.name_tokens(NAME, &name));
        let query = key.name_query_tokens(NAME, &name);
        let stored = set(key.name_tokens(NAME, &name));
        prop_assert!(query.iter().all(|t| stored.contains(t)));
    }

    #[test]
    fn normalize_is_idempotent(s in "\\PC{0,40}") {
        let once = normalize_for_search(&s);
        prop_assert_eq!(normalize_for_search(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }
}
