//! Argon2id password hashing (security.md rows 1 and 21).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use amparo_crypto::{CryptoError, PasswordHasher, PasswordParams};
use secrecy::SecretString;

fn pw(s: &str) -> SecretString {
    SecretString::from(s)
}

fn fast() -> PasswordHasher {
    PasswordHasher::new(PasswordParams::insecure_for_tests())
}

#[test]
fn owasp_params_are_in_the_phc_string() {
    let hasher = PasswordHasher::new(PasswordParams::owasp());
    let phc = hasher.hash(&pw("correct horse battery staple")).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    // 16-byte salt (22 base64 chars) and 32-byte output (43 chars).
    let parts: Vec<&str> = phc.split('$').collect();
    assert_eq!(parts.len(), 6);
    assert_eq!(parts[4].len(), 22);
    assert_eq!(parts[5].len(), 43);
    assert!(hasher.verify(&pw("correct horse battery staple"), &phc).unwrap());
    assert!(!hasher.needs_rehash(&phc));
    assert_eq!(PasswordParams::default(), PasswordParams::owasp());
}

#[test]
fn verify_accepts_only_the_exact_password() {
    let hasher = fast();
    let p = "a long passphrase of fifteen+";
    let phc = hasher.hash(&pw(p)).unwrap();
    assert!(hasher.verify(&pw(p), &phc).unwrap());
    assert!(!hasher.verify(&pw(&format!("{p}x")), &phc).unwrap());
    assert!(!hasher.verify(&pw(&p[..p.len() - 1]), &phc).unwrap());
    assert!(!hasher.verify(&pw(""), &phc).unwrap());
}

#[test]
fn p_and_p_plus_x_hash_differently_even_when_long() {
    // No truncation: a 128-char password and the same plus "x" are different passwords.
    let hasher = fast();
    let p = "p".repeat(128);
    let phc = hasher.hash(&pw(&p)).unwrap();
    assert!(!hasher.verify(&pw(&format!("{p}x")), &phc).unwrap());
    assert!(hasher.verify(&pw(&p), &phc).unwrap());
}

#[test]
fn salts_are_random() {
    let hasher = fast();
    assert_ne!(hasher.hash(&pw("same password here")).unwrap(), hasher.hash(&pw("same password here")).unwrap());
}

#[test]
fn unicode_passwords_work() {
    let hasher = fast();
    let phc = hasher.hash(&pw("contraseña muy larga ñandú 🦜")).unwrap();
    assert!(hasher.verify(&pw("contraseña muy larga ñandú 🦜"), &phc).unwrap());
}

#[test]
fn verify_uses_params_from_the_phc() {
    let old = fast().hash(&pw("an old password value")).unwrap();
    let strong = PasswordHasher::new(PasswordParams::owasp());
    assert!(strong.verify(&pw("an old password value"), &old).unwrap());
    assert!(strong.needs_rehash(&old));
    assert!(!fast().needs_rehash(&old));
}

#[test]
fn malformed_phc_is_an_error() {
    let hasher = fast();
    for bad in [
        "",
        "not a hash",
        "$argon2id$v=19$m=1024,t=1,p=1",
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
    ] {
        let err = hasher.verify(&pw("whatever password"), bad).err();
        assert!(matches!(err, Some(CryptoError::MalformedPasswordHash)), "{bad:?} gave {err:?}");
        assert!(hasher.needs_rehash(bad));
    }
}

#[test]
fn needs_rehash_for_weaker_params_or_other_variants() {
    let hasher = fast();
    let phc = hasher.hash(&pw("a password to check")).unwrap();
    assert!(!hasher.needs_rehash(&phc));
    // Same output with argon2i in the ident: another variant, so rehash.
    assert!(hasher.needs_rehash(&phc.replacen("argon2id", "argon2i", 1)));
    let stronger = PasswordHasher::new(PasswordParams::new(19456 * 2, 3, 1).unwrap());
    let strong_phc = stronger.hash(&pw("a password to check")).unwrap();
    assert!(strong_phc.contains("m=38912,t=3,p=1"));
    assert!(!PasswordHasher::new(PasswordParams::owasp()).needs_rehash(&strong_phc));
}

#[test]
fn custom_params_below_the_owasp_floor_are_refused() {
    assert!(PasswordParams::new(19456, 2, 1).is_ok());
    assert!(PasswordParams::new(19455, 2, 1).is_err());
    assert!(PasswordParams::new(65536, 1, 1).is_err());
    assert!(PasswordParams::new(65536, 3, 0).is_err());
    assert_eq!(PasswordParams::new(1, 1, 1).err().map(|e| e.code()), Some("invalid_password_params"));
}

#[test]
fn verify_dummy_is_always_false_and_costs_a_hash() {
    let hasher = PasswordHasher::new(PasswordParams::owasp());
    let phc = hasher.hash(&pw("any password at all")).unwrap();
    // Noise on a shared machine only ever adds time: compare the fastest of a few runs.
    let fastest = |f: &dyn Fn() -> bool| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                assert!(!f());
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let dummy = fastest(&|| hasher.verify_dummy(&pw("any password at all")));
    let real = fastest(&|| hasher.verify(&pw("another password"), &phc).unwrap());
    // Same Argon2 work, so the same order of magnitude.
    assert!(dummy * 4 > real && real * 4 > dummy, "dummy {dummy:?} vs real {real:?}");
}

#[test]
fn debug_does_not_show_passwords() {
    let s = pw("super secret password");
    assert!(!format!("{s:?}").contains("super"));
    assert!(format!("{:?}", fast()).contains("PasswordHasher"));
}

#[test]
fn hashes_match_the_reference_argon2_implementation_both_ways() {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
    let ours = PasswordHasher::new(PasswordParams::insecure_for_tests());
    let reference = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(1024, 1, 1, None).unwrap(),
    );
    let password = pw("una frase que nadie adivina");
    // A hash made by the reference verifies with ours…
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let theirs = reference.hash_password(b"una frase que nadie adivina", &salt).unwrap().to_string();
    assert!(ours.verify(&password, &theirs).unwrap());
    assert!(!ours.verify(&pw("otra frase cualquiera aqui"), &theirs).unwrap());
    // …and one made by ours verifies with the reference.
    let mine = ours.hash(&password).unwrap();
    let parsed = argon2::password_hash::PasswordHash::new(&mine).unwrap();
    assert!(reference.verify_password(b"una frase que nadie adivina", &parsed).is_ok());
    assert!(reference.verify_password(b"una frase que nadie adivinx", &parsed).is_err());
}
