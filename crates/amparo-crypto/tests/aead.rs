//! Field sealing and key wrapping (security.md row 20: AEAD, swapped ciphertext fails, no
//! nonce reuse).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use std::collections::HashSet;

use amparo_crypto::{CryptoError, DataKey, FieldAad, KeyRing, MasterKey, SEAL_VERSION, sealed_version};
use amparo_domain::{OrgId, PersonId};
use proptest::prelude::*;

fn aad<'a>(table: &'a str, column: &'a str, row: &'a [u8]) -> FieldAad<'a> {
    FieldAad { table, column, row }
}

proptest! {
    #[test]
    fn seal_open_round_trips(
        plaintext in proptest::collection::vec(any::<u8>(), 0..2048),
        table in ".{0,24}",
        column in ".{0,24}",
        row in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let key = DataKey::generate();
        let a = aad(&table, &column, &row);
        let sealed = key.seal(&a, &plaintext);
        prop_assert_eq!(sealed.len(), 1 + 24 + plaintext.len() + 16);
        prop_assert_eq!(sealed_version(&sealed), Some(SEAL_VERSION));
        let opened = key.open(&a, &sealed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());

        let ring = KeyRing::new(&MasterKey::generate());
        let sealed = ring.seal_secret(&a, &plaintext);
        let opened = ring.open_secret(&a, &sealed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn other_table_column_or_row_fails(
        plaintext in proptest::collection::vec(any::<u8>(), 0..256),
        table in "[a-z_]{1,16}",
        column in "[a-z_]{1,16}",
        row in proptest::collection::vec(any::<u8>(), 16),
        other in "[a-z_]{1,16}",
        other_row in proptest::collection::vec(any::<u8>(), 16),
    ) {
        let key = DataKey::generate();
        let sealed = key.seal(&aad(&table, &column, &row), &plaintext);
        if other != table {
            prop_assert!(matches!(key.open(&aad(&other, &column, &row), &sealed), Err(CryptoError::DecryptFailed)));
        }
        if other != column {
            prop_assert!(matches!(key.open(&aad(&table, &other, &row), &sealed), Err(CryptoError::DecryptFailed)));
        }
        if other_row != row {
            prop_assert!(matches!(key.open(&aad(&table, &column, &other_row), &sealed), Err(CryptoError::DecryptFailed)));
        }
        // Moving bytes between the parts does not help either.
        let shifted_table = format!("{table}{column}");
        prop_assert!(key.open(&aad(&shifted_table, "", &row), &sealed).is_err());
        // Another person's data key cannot open it.
        prop_assert!(matches!(DataKey::generate().open(&aad(&table, &column, &row), &sealed), Err(CryptoError::DecryptFailed)));
    }

    #[test]
    fn any_flipped_bit_fails(
        plaintext in proptest::collection::vec(any::<u8>(), 0..128),
        bit in any::<prop::sample::Index>(),
    ) {
        let key = DataKey::generate();
        let a = aad("people", "name", b"row-1");
        let mut sealed = key.seal(&a, &plaintext);
        let bit = bit.index(sealed.len() * 8);
        sealed[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(key.open(&a, &sealed).is_err());
    }

    #[test]
    fn truncated_or_extended_fails(plaintext in proptest::collection::vec(any::<u8>(), 0..64), cut in 1usize..200) {
        let key = DataKey::generate();
        let a = aad("t", "c", b"r");
        let sealed = key.seal(&a, &plaintext);
        let cut = cut.min(sealed.len());
        prop_assert!(key.open(&a, &sealed[..sealed.len() - cut]).is_err());
        let mut longer = sealed.clone();
        longer.push(0);
        prop_assert!(key.open(&a, &longer).is_err());
    }

    #[test]
    fn wrapped_key_is_bound_to_org_and_person(plaintext in proptest::collection::vec(any::<u8>(), 0..64)) {
        let ring = KeyRing::new(&MasterKey::generate());
        let (org, other_org) = (OrgId::new(), OrgId::new());
        let (person, other_person) = (PersonId::new(), PersonId::new());
        let key = DataKey::generate();
        let a = aad("people", "name", person.as_bytes());
        let sealed = key.seal(&a, &plaintext);

        let wrapped = ring.org(org).wrap_data_key(person, &key);
        let unwrapped = ring.org(org).unwrap_data_key(person, &wrapped).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let opened = unwrapped.open(&a, &sealed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());

        prop_assert!(matches!(ring.org(org).unwrap_data_key(other_person, &wrapped), Err(CryptoError::DecryptFailed)));
        prop_assert!(matches!(ring.org(other_org).unwrap_data_key(person, &wrapped), Err(CryptoError::DecryptFailed)));
        let other_ring = KeyRing::new(&MasterKey::generate());
        prop_assert!(other_ring.org(org).unwrap_data_key(person, &wrapped).is_err());
    }
}

#[test]
fn nonces_are_unique_over_100k_seals() {
    let key = DataKey::generate();
    let a = aad("t", "c", b"r");
    let mut nonces = HashSet::with_capacity(100_000);
    for _ in 0..100_000 {
        let sealed = key.seal(&a, b"");
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&sealed[1..25]);
        assert!(nonces.insert(nonce), "nonce reused");
    }
}

#[test]
fn same_plaintext_seals_differently() {
    let key = DataKey::generate();
    let a = aad("t", "c", b"r");
    assert_ne!(key.seal(&a, b"Maria"), key.seal(&a, b"Maria"));
}

#[test]
fn unknown_version_and_short_input_are_reported() {
    let key = DataKey::generate();
    let a = aad("t", "c", b"r");
    let mut sealed = key.seal(&a, b"x");
    sealed[0] = 2;
    let err = key.open(&a, &sealed).err();
    assert!(matches!(err, Some(CryptoError::UnsupportedKeyVersion(2))));
    assert_eq!(err.map(|e| e.code()), Some("unsupported_key_version"));
    assert!(matches!(key.open(&a, &[1u8; 40]), Err(CryptoError::MalformedCiphertext)));
    assert!(matches!(key.open(&a, &[]), Err(CryptoError::MalformedCiphertext)));
    assert_eq!(sealed_version(&[]), None);
}

#[test]
fn secrets_and_data_keys_do_not_cross() {
    let ring = KeyRing::new(&MasterKey::generate());
    let a = aad("users", "totp_secret", b"user-1");
    let sealed = ring.seal_secret(&a, b"secret");
    assert!(ring.open_secret(&aad("users", "totp_secret", b"user-2"), &sealed).is_err());
    assert!(KeyRing::new(&MasterKey::generate()).open_secret(&a, &sealed).is_err());
    assert!(DataKey::generate().open(&a, &sealed).is_err());
}

#[test]
fn same_master_key_reopens_after_restart() {
    let bytes = [42u8; 32];
    let org = OrgId::new();
    let person = PersonId::new();
    let key = DataKey::generate();
    let a = aad("people", "name", person.as_bytes());
    let sealed = key.seal(&a, b"Ana");
    let wrapped = KeyRing::new(&MasterKey::from_bytes(bytes)).org(org).wrap_data_key(person, &key);
    let secret = KeyRing::new(&MasterKey::from_bytes(bytes)).seal_secret(&a, b"s");

    let ring = KeyRing::new(&MasterKey::from_bytes(bytes));
    let again = ring.org(org).unwrap_data_key(person, &wrapped);
    assert_eq!(again.map(|k| k.open(&a, &sealed).map(|p| p.to_vec()).ok()).ok().flatten(), Some(b"Ana".to_vec()));
    assert_eq!(ring.open_secret(&a, &secret).map(|p| p.to_vec()).ok(), Some(b"s".to_vec()));
}
