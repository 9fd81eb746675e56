//! Pins the public signatures the app layer is written against: this file stops compiling
//! if one of them changes.

use std::path::Path;

use amparo_crypto::{
    AuditKey, BlindIndexKey, CryptoError, DataKey, FieldAad, KeyRing, MasterKey, OrgKeys, PasswordHasher,
    PasswordParams, TokenKey, TotpError, TotpSecret, normalize_for_search, qr_svg, random_token,
};
use amparo_domain::{OrgId, PersonId};
use secrecy::SecretString;
use zeroize::Zeroizing;

type Opened = Result<Zeroizing<Vec<u8>>, CryptoError>;

#[test]
fn public_signatures() {
    let _: fn() -> MasterKey = MasterKey::generate;
    let _: fn([u8; 32]) -> MasterKey = MasterKey::from_bytes;
    let _: fn(&str) -> Result<MasterKey, CryptoError> = MasterKey::from_env_value;
    let _: fn(&MasterKey, &Path) -> Result<(), CryptoError> = MasterKey::write_new_file;
    let _: fn(&Path) -> Result<MasterKey, CryptoError> = MasterKey::read_file;
    let _: fn(&MasterKey) -> String = MasterKey::fingerprint;

    let _: fn(&MasterKey) -> KeyRing = KeyRing::new;
    let _: fn(&KeyRing, OrgId) -> OrgKeys = KeyRing::org;
    let _: fn(&KeyRing) -> &AuditKey = KeyRing::audit;
    let _: fn(&KeyRing) -> &TokenKey = KeyRing::tokens;
    let _: fn(&KeyRing, &FieldAad<'_>, &[u8]) -> Vec<u8> = KeyRing::seal_secret;
    let _: fn(&KeyRing, &FieldAad<'_>, &[u8]) -> Opened = KeyRing::open_secret;

    let _: fn(&OrgKeys, PersonId, &DataKey) -> Vec<u8> = OrgKeys::wrap_data_key;
    let _: fn(&OrgKeys, PersonId, &[u8]) -> Result<DataKey, CryptoError> = OrgKeys::unwrap_data_key;
    let _: fn(&OrgKeys) -> &BlindIndexKey = OrgKeys::blind_index;

    let _: fn() -> DataKey = DataKey::generate;
    let _: fn(&DataKey, &FieldAad<'_>, &[u8]) -> Vec<u8> = DataKey::seal;
    let _: fn(&DataKey, &FieldAad<'_>, &[u8]) -> Opened = DataKey::open;
    let _ = FieldAad { table: "t", column: "c", row: &[] };

    let _: fn(&AuditKey, &[u8], &[u8]) -> [u8; 32] = AuditKey::link;
    let _: fn(&AuditKey, i64, &[u8]) -> [u8; 32] = AuditKey::checkpoint_mac;
    let _: fn(&AuditKey, i64, &[u8], &[u8]) -> bool = AuditKey::verify_checkpoint_mac;

    let _: fn(&str) -> String = normalize_for_search;
    let _: fn(&BlindIndexKey, &str, &str) -> Vec<String> = BlindIndexKey::name_tokens;
    let _: fn(&BlindIndexKey, &str, &str) -> Vec<String> = BlindIndexKey::name_query_tokens;
    let _: fn(&BlindIndexKey, &str, &str) -> String = BlindIndexKey::exact_token;
    let _: fn(&BlindIndexKey, &str, &str) -> String = BlindIndexKey::phone_token;

    let _: fn() -> PasswordParams = PasswordParams::owasp;
    let _: fn() -> PasswordParams = PasswordParams::insecure_for_tests;
    let _: fn(PasswordParams) -> PasswordHasher = PasswordHasher::new;
    let _: fn(&PasswordHasher, &SecretString) -> Result<String, CryptoError> = PasswordHasher::hash;
    let _: fn(&PasswordHasher, &SecretString, &str) -> Result<bool, CryptoError> = PasswordHasher::verify;
    let _: fn(&PasswordHasher, &SecretString) -> bool = PasswordHasher::verify_dummy;
    let _: fn(&PasswordHasher, &str) -> bool = PasswordHasher::needs_rehash;

    let _: fn() -> TotpSecret = TotpSecret::generate;
    let _: fn(Vec<u8>) -> Result<TotpSecret, TotpError> = TotpSecret::from_bytes;
    let _: fn(&TotpSecret) -> &[u8] = TotpSecret::as_bytes;
    let _: fn(&TotpSecret) -> String = TotpSecret::base32;
    let _: fn(&TotpSecret, &str, &str) -> String = TotpSecret::otpauth_uri;
    let _: fn(&TotpSecret, i64) -> String = TotpSecret::code_at;
    let _: fn(&TotpSecret, &str, i64, Option<i64>) -> Result<i64, TotpError> = TotpSecret::verify;
    let _: fn(&str, &str) -> Result<String, CryptoError> = qr_svg;

    let _: fn() -> String = random_token;
    let _: fn(&TokenKey, &str, &str) -> [u8; 32] = TokenKey::hash;
    let _: fn(&TokenKey, &str) -> String = TokenKey::csrf_token;
    let _: fn(&TokenKey, &str, &str) -> bool = TokenKey::verify_csrf_token;
}

#[test]
fn error_codes_are_stable() {
    let io = std::io::Error::other("x");
    let cases = [
        (CryptoError::InvalidMasterKey, "invalid_master_key"),
        (CryptoError::KeyFileExists, "key_file_exists"),
        (CryptoError::KeyFilePermissions, "key_file_permissions"),
        (CryptoError::KeyFileIo(io), "key_file_io"),
        (CryptoError::DecryptFailed, "decrypt_failed"),
        (CryptoError::MalformedCiphertext, "malformed_ciphertext"),
        (CryptoError::UnsupportedKeyVersion(9), "unsupported_key_version"),
        (CryptoError::PasswordHashFailed, "password_hash_failed"),
        (CryptoError::MalformedPasswordHash, "malformed_password_hash"),
        (CryptoError::InvalidPasswordParams, "invalid_password_params"),
        (CryptoError::QrEncode, "qr_encode_failed"),
        (CryptoError::Totp(TotpError::Wrong), "totp_wrong"),
    ];
    for (err, code) in cases {
        assert_eq!(err.code(), code);
        assert!(!err.to_string().is_empty());
    }
    for (err, code) in [
        (TotpError::Malformed, "totp_malformed"),
        (TotpError::Wrong, "totp_wrong"),
        (TotpError::Replayed, "totp_replayed"),
        (TotpError::InvalidSecret, "totp_invalid_secret"),
    ] {
        assert_eq!(err.code(), code);
        assert_eq!(CryptoError::from(err).code(), code);
    }
}
