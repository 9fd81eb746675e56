//! The master key: parsing, the key file, and fingerprints.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use std::path::{Path, PathBuf};

use amparo_crypto::{CryptoError, KeyRing, MasterKey, random_token};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// A private scratch directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("amparo-crypto-test-{}", random_token()));
        std::fs::create_dir(&dir).expect("create temp dir");
        TempDir(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn same_key(a: &MasterKey, b: &MasterKey) -> bool {
    a.fingerprint() == b.fingerprint()
}

#[test]
fn from_env_value_accepts_hex_and_all_base64_forms() {
    let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(250));
    let expected = MasterKey::from_bytes(bytes);
    let forms = [
        hex::encode(bytes),
        hex::encode_upper(bytes),
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        URL_SAFE.encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes),
        format!("  {}\n", STANDARD.encode(bytes)),
    ];
    // The chosen bytes must exercise the url-safe alphabet, or the test proves less.
    assert_ne!(STANDARD.encode(bytes), URL_SAFE.encode(bytes));
    for form in forms {
        let parsed = MasterKey::from_env_value(&form).expect("valid key text");
        assert!(same_key(&parsed, &expected), "form {form:?}");
    }
}

#[test]
fn from_env_value_rejects_wrong_lengths_and_garbage() {
    for bad in [
        String::new(),
        "   ".into(),
        hex::encode([1u8; 31]),
        hex::encode([1u8; 33]),
        "zz".repeat(32),
        STANDARD.encode([1u8; 31]),
        STANDARD.encode([1u8; 33]),
        STANDARD.encode([1u8; 16]),
        URL_SAFE_NO_PAD.encode([1u8; 64]),
        "not a key at all!".into(),
    ] {
        let err = MasterKey::from_env_value(&bad).err();
        assert!(matches!(err, Some(CryptoError::InvalidMasterKey)), "accepted {bad:?}");
    }
}

#[test]
fn error_messages_do_not_echo_the_input() {
    let almost = hex::encode([0xabu8; 31]);
    let err = MasterKey::from_env_value(&almost).expect_err("rejected");
    assert!(!err.to_string().contains("abab"));
    assert_eq!(err.code(), "invalid_master_key");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn key_file_round_trip_and_no_overwrite() {
    let dir = TempDir::new();
    let path = dir.path("master.key");
    let key = MasterKey::generate();
    key.write_new_file(&path).expect("write");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.ends_with('\n'));
    assert_eq!(text.trim_end().len(), 44, "padded standard base64 of 32 bytes");
    let read = MasterKey::read_file(&path).expect("read key");
    assert!(same_key(&key, &read));

    let other = MasterKey::generate();
    let err = other.write_new_file(&path).err();
    assert!(matches!(err, Some(CryptoError::KeyFileExists)));
    // The original key is untouched.
    assert!(same_key(&key, &MasterKey::read_file(&path).expect("still readable")));
}

#[cfg(unix)]
#[test]
fn key_file_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new();
    let path = dir.path("master.key");
    MasterKey::generate().write_new_file(&path).expect("write");
    for bad_mode in [0o644, 0o640, 0o604, 0o620, 0o601, 0o660] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(bad_mode)).expect("chmod");
        let err = MasterKey::read_file(&path).err();
        assert!(matches!(err, Some(CryptoError::KeyFilePermissions)), "mode {bad_mode:o}");
        assert_eq!(err.map(|e| e.code()), Some("key_file_permissions"));
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    assert!(MasterKey::read_file(&path).is_ok());
}

#[test]
fn missing_or_corrupt_key_file_is_an_error() {
    let dir = TempDir::new();
    let missing = MasterKey::read_file(&dir.path("none")).err();
    assert!(matches!(missing, Some(CryptoError::KeyFileIo(_))));
    let path = dir.path("corrupt.key");
    std::fs::write(&path, "short\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    assert!(matches!(MasterKey::read_file(&path), Err(CryptoError::InvalidMasterKey)));
}

#[test]
fn fingerprint_is_stable_short_and_not_the_key() {
    let bytes = [9u8; 32];
    let a = MasterKey::from_bytes(bytes);
    let fp = a.fingerprint();
    assert_eq!(fp.len(), 16);
    assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(fp, MasterKey::from_bytes(bytes).fingerprint());
    assert_ne!(fp, MasterKey::generate().fingerprint());
    assert!(!hex::encode(bytes).contains(&fp));
    assert_eq!(KeyRing::new(&a).fingerprint(), fp);
}

#[test]
fn debug_output_is_redacted() {
    let key = MasterKey::from_env_value(&"ab".repeat(32)).expect("valid");
    let ring = KeyRing::new(&key);
    for text in [
        format!("{key:?}"),
        format!("{ring:?}"),
        format!("{:?}", ring.audit()),
        format!("{:?}", ring.tokens()),
        format!("{:?}", ring.org(amparo_domain::OrgId::new()).blind_index()),
    ] {
        assert!(text.contains("REDACTED") || text.contains(".."), "{text}");
        assert!(!text.contains("ab, ab") && !text.contains("171"), "{text}");
    }
}
