//! Sealed mode (DESIGN.md §3): the master key kept on disk only wrapped by a key derived from
//! an administrator's passphrase, so that whoever holds the disk (a hosting provider, a thief)
//! cannot read the data. The server starts locked until the passphrase is given.
//!
//! The sealed key file is four lines of text:
//!
//! ```text
//! amparo-sealed-master-key v1
//! argon2id m=65536 t=3 p=1
//! salt <base64 of 16 random bytes>
//! key <base64 of nonce (24 bytes) || XChaCha20-Poly1305 ciphertext+tag of the 32-byte key>
//! ```
//!
//! The wrapping key is Argon2id(passphrase, salt) with the parameters on line 2; the first
//! three lines are the AEAD's associated data, so changing the parameters or the salt fails
//! the same way a wrong passphrase does.

use std::io::Read;
use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::CryptoError;
use crate::keys::{MasterKey, open_private_file, write_private_file};

const MAGIC: &str = "amparo-sealed-master-key v1";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
/// A sealed key file is a few short lines; anything much larger is not ours.
const MAX_FILE_LEN: u64 = 4096;
/// The shortest passphrase accepted when sealing (the same floor as staff passwords,
/// NIST SP 800-63B rev 4).
pub const MIN_PASSPHRASE_CHARS: usize = 15;
/// Upper bounds on parameters read from a file: a changed file must not make an unlock
/// attempt take the machine's memory or minutes of CPU.
const MAX_M_COST: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;

/// Argon2id cost of deriving the wrapping key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealParams {
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
}

impl SealParams {
    /// 64 MiB, 3 passes, 1 lane: above the OWASP Argon2id floor (19 MiB, 2 passes). An unlock
    /// is rare, so it can afford more than a sign-in (about a quarter of a second).
    pub const fn recommended() -> Self {
        Self { m_cost: 65_536, t_cost: 3, p_cost: 1 }
    }

    /// Cheap parameters ONLY for unit tests (explicit name, never default).
    pub const fn insecure_for_tests() -> Self {
        Self { m_cost: 1024, t_cost: 1, p_cost: 1 }
    }

    fn argon2(&self) -> Result<Argon2<'static>, CryptoError> {
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(32))
            .map_err(|_| CryptoError::MalformedSealedKey)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    fn line(&self) -> String {
        format!("argon2id m={} t={} p={}", self.m_cost, self.t_cost, self.p_cost)
    }

    fn parse(line: &str) -> Result<Self, CryptoError> {
        let rest = line.strip_prefix("argon2id ").ok_or(CryptoError::MalformedSealedKey)?;
        let mut values = [None; 3];
        for part in rest.split(' ') {
            let (name, value) = part.split_once('=').ok_or(CryptoError::MalformedSealedKey)?;
            let value: u32 = value.parse().map_err(|_| CryptoError::MalformedSealedKey)?;
            let slot = match name {
                "m" => 0,
                "t" => 1,
                "p" => 2,
                _ => return Err(CryptoError::MalformedSealedKey),
            };
            values[slot] = Some(value);
        }
        let [Some(m_cost), Some(t_cost), Some(p_cost)] = values else {
            return Err(CryptoError::MalformedSealedKey);
        };
        if m_cost > MAX_M_COST || t_cost > MAX_T_COST || p_cost > MAX_P_COST {
            return Err(CryptoError::MalformedSealedKey);
        }
        Ok(Self { m_cost, t_cost, p_cost })
    }
}

fn wrapping_key(
    params: &SealParams,
    passphrase: &SecretString,
    salt: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut out = Zeroizing::new([0u8; 32]);
    params
        .argon2()?
        .hash_password_into(passphrase.expose_secret().as_bytes(), salt, out.as_mut())
        .map_err(|_| CryptoError::PasswordHashFailed)?;
    Ok(out)
}

/// Wraps the master key with a passphrase: the text of a sealed key file. Refuses a
/// passphrase shorter than [`MIN_PASSPHRASE_CHARS`].
pub fn seal_master_key(
    master: &MasterKey,
    passphrase: &SecretString,
    params: SealParams,
) -> Result<String, CryptoError> {
    if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(CryptoError::PassphraseTooShort);
    }
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let header = format!("{MAGIC}\n{}\nsalt {}\n", params.line(), STANDARD.encode(salt));
    let key = wrapping_key(&params, passphrase, &salt)?;
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = match cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: master.bytes().as_slice(), aad: header.as_bytes() })
    {
        Ok(ct) => ct,
        Err(_) => unreachable!("XChaCha20-Poly1305 message length limit exceeded"),
    };
    let mut body = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    body.extend_from_slice(&nonce);
    body.extend_from_slice(&ciphertext);
    Ok(format!("{header}key {}\n", STANDARD.encode(body)))
}

/// Opens a sealed key file's text with the passphrase. A wrong passphrase and a changed file
/// give the same error ([`CryptoError::WrongPassphrase`]).
pub fn open_sealed_master_key(text: &str, passphrase: &SecretString) -> Result<MasterKey, CryptoError> {
    let mut lines = text.lines();
    let (Some(magic), Some(params_line), Some(salt_line), Some(key_line)) =
        (lines.next(), lines.next(), lines.next(), lines.next())
    else {
        return Err(CryptoError::MalformedSealedKey);
    };
    if magic != MAGIC || lines.any(|l| !l.trim().is_empty()) {
        return Err(CryptoError::MalformedSealedKey);
    }
    let params = SealParams::parse(params_line)?;
    let salt = salt_line
        .strip_prefix("salt ")
        .and_then(|b| STANDARD.decode(b).ok())
        .filter(|s| s.len() == SALT_LEN)
        .ok_or(CryptoError::MalformedSealedKey)?;
    let body = key_line
        .strip_prefix("key ")
        .and_then(|b| STANDARD.decode(b).ok())
        .filter(|b| b.len() == NONCE_LEN + 32 + 16)
        .ok_or(CryptoError::MalformedSealedKey)?;
    let header = format!("{magic}\n{params_line}\n{salt_line}\n");
    let key = wrapping_key(&params, passphrase, &salt)?;
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
    let (nonce, ciphertext) = body.split_at(NONCE_LEN);
    let plain = cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: header.as_bytes() })
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::WrongPassphrase)?;
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| CryptoError::MalformedSealedKey)?;
    Ok(MasterKey::from_bytes(bytes))
}

/// Writes a sealed key file with mode 0600, exclusively (refuses to overwrite), synced.
pub fn write_sealed_key_file(path: &Path, text: &str) -> Result<(), CryptoError> {
    write_private_file(path, text)
}

/// Reads a sealed key file's text (bounded; refused if group or others may access it).
pub fn read_sealed_key_file(path: &Path) -> Result<String, CryptoError> {
    let (file, meta) = open_private_file(path)?;
    if !meta.is_file() || meta.len() > MAX_FILE_LEN {
        return Err(CryptoError::MalformedSealedKey);
    }
    let mut text = String::new();
    file.take(MAX_FILE_LEN + 1).read_to_string(&mut text).map_err(|_| CryptoError::MalformedSealedKey)?;
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn pass(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    const RIGHT: &str = "la llave se guarda bajo la piedra";

    #[test]
    fn the_right_passphrase_opens_the_same_key() {
        let master = MasterKey::generate();
        let text = seal_master_key(&master, &pass(RIGHT), SealParams::insecure_for_tests()).unwrap();
        assert!(text.starts_with(MAGIC) && text.contains("argon2id m=1024 t=1 p=1"));
        let opened = open_sealed_master_key(&text, &pass(RIGHT)).unwrap();
        assert_eq!(opened.fingerprint(), master.fingerprint());
        // The key is nowhere in the file in clear.
        assert!(!text.contains(master.file_text().trim()));
    }

    #[test]
    fn a_wrong_passphrase_is_refused() {
        let master = MasterKey::generate();
        let text = seal_master_key(&master, &pass(RIGHT), SealParams::insecure_for_tests()).unwrap();
        let e = open_sealed_master_key(&text, &pass("la llave se guarda bajo la piedrA")).unwrap_err();
        assert_eq!(e.code(), "wrong_passphrase");
    }

    #[test]
    fn a_tampered_file_is_refused() {
        let master = MasterKey::generate();
        let text = seal_master_key(&master, &pass(RIGHT), SealParams::insecure_for_tests()).unwrap();
        // Weaker parameters, another salt, a flipped ciphertext byte: each refused.
        let weaker = text.replace("m=1024 t=1", "m=1024 t=2");
        assert_eq!(open_sealed_master_key(&weaker, &pass(RIGHT)).unwrap_err().code(), "wrong_passphrase");
        let lines: Vec<&str> = text.lines().collect();
        let salt = format!("salt {}", STANDARD.encode([7u8; SALT_LEN]));
        let other_salt = text.replace(lines[2], &salt);
        assert_eq!(open_sealed_master_key(&other_salt, &pass(RIGHT)).unwrap_err().code(), "wrong_passphrase");
        let mut body = STANDARD.decode(lines[3].strip_prefix("key ").unwrap()).unwrap();
        body[NONCE_LEN + 3] ^= 1;
        let flipped = text.replace(lines[3], &format!("key {}", STANDARD.encode(&body)));
        assert_eq!(open_sealed_master_key(&flipped, &pass(RIGHT)).unwrap_err().code(), "wrong_passphrase");
        // Not a sealed key file at all, or absurd costs: malformed, and no hashing attempted.
        for bad in [
            "".to_owned(),
            master.file_text().to_string(),
            text.replace("m=1024", "m=999999999"),
            text.replace(MAGIC, "amparo-sealed-master-key v9"),
            format!("{text}extra\n"),
        ] {
            assert_eq!(open_sealed_master_key(&bad, &pass(RIGHT)).unwrap_err().code(), "malformed_sealed_key");
        }
    }

    #[test]
    fn a_short_passphrase_is_refused_when_sealing() {
        let e = seal_master_key(&MasterKey::generate(), &pass("corta"), SealParams::insecure_for_tests()).unwrap_err();
        assert_eq!(e.code(), "passphrase_too_short");
    }

    #[test]
    fn the_file_is_private_and_never_overwritten() {
        let dir = std::env::temp_dir().join(format!("amparo-sealed-{}", crate::random_token()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("master.key.sealed");
        let text = seal_master_key(&MasterKey::generate(), &pass(RIGHT), SealParams::insecure_for_tests()).unwrap();
        write_sealed_key_file(&path, &text).unwrap();
        assert_eq!(read_sealed_key_file(&path).unwrap(), text);
        assert_eq!(write_sealed_key_file(&path, &text).unwrap_err().code(), "key_file_exists");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!(read_sealed_key_file(&path).unwrap_err().code(), "key_file_permissions");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
