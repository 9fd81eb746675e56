//! Random tokens, token hashes and CSRF tokens (security.md row 6).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use std::collections::HashSet;

use amparo_crypto::{KeyRing, MasterKey, random_token};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;

#[test]
fn random_tokens_are_256_bit_base64url() {
    let mut seen = HashSet::new();
    for _ in 0..10_000 {
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).unwrap().len(), 32);
        assert!(seen.insert(t), "duplicate token");
    }
}

#[test]
fn random_tokens_look_uniform() {
    // Rough sanity check on the CSPRNG wiring: each bit position is set about half the time.
    let n = 4000;
    let mut ones = [0u32; 256];
    for _ in 0..n {
        let bytes = URL_SAFE_NO_PAD.decode(random_token()).unwrap();
        for (i, b) in bytes.iter().enumerate() {
            for bit in 0..8 {
                ones[i * 8 + bit] += u32::from((b >> bit) & 1);
            }
        }
    }
    // Mean 2000, sd ~31.6; 8 sd is never hit by chance.
    assert!(ones.iter().all(|&c| (1750..=2250).contains(&c)), "{ones:?}");
}

#[test]
fn token_hash_is_keyed_and_purpose_bound() {
    let ring = KeyRing::new(&MasterKey::generate());
    let k = ring.tokens();
    let t = random_token();
    assert_eq!(k.hash("session", &t), k.hash("session", &t));
    assert_ne!(k.hash("session", &t), k.hash("api", &t));
    assert_ne!(k.hash("session", &t), k.hash("session", &random_token()));
    assert_ne!(k.hash("session", &t), KeyRing::new(&MasterKey::generate()).tokens().hash("session", &t));
    // The NUL separator keeps purpose and token apart.
    assert_ne!(k.hash("ab", "c"), k.hash("a", "bc"));
}

#[test]
fn csrf_tokens() {
    let ring = KeyRing::new(&MasterKey::generate());
    let k = ring.tokens();
    let session = random_token();
    let csrf = k.csrf_token(&session);
    assert_eq!(csrf.len(), 43);
    assert!(k.verify_csrf_token(&session, &csrf));
    assert!(!k.verify_csrf_token(&random_token(), &csrf));
    assert!(!k.verify_csrf_token(&session, ""));
    assert!(!k.verify_csrf_token(&session, &csrf[..42]));
    assert!(!k.verify_csrf_token(&session, &format!("{csrf}A")));
    assert!(!KeyRing::new(&MasterKey::generate()).tokens().verify_csrf_token(&session, &csrf));
    // A CSRF token is not the stored hash of anything.
    assert_ne!(URL_SAFE_NO_PAD.decode(&csrf).unwrap(), k.hash("csrf", &session).to_vec());
}

proptest! {
    #[test]
    fn csrf_round_trips_and_rejects_changes(binding in ".{0,64}", pos in any::<prop::sample::Index>()) {
        let ring = KeyRing::new(&MasterKey::from_bytes([1u8; 32]));
        let k = ring.tokens();
        let csrf = k.csrf_token(&binding);
        prop_assert!(k.verify_csrf_token(&binding, &csrf));
        let mut bytes = csrf.into_bytes();
        let i = pos.index(bytes.len());
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        prop_assert!(!k.verify_csrf_token(&binding, &String::from_utf8(bytes).unwrap()));
    }
}
