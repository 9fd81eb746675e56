//! A 256-bit key kept on the heap (so moves do not leave copies on the stack) and wiped on drop.

use std::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;

pub(crate) const KEY_LEN: usize = 32;

/// Fixed HKDF salt: the master key is already uniformly random; the salt only namespaces.
const HKDF_SALT: &[u8] = b"amparo/hkdf-salt/v1";

pub(crate) type HmacSha256 = Hmac<Sha256>;

pub(crate) struct Key256(SecretBox<[u8; KEY_LEN]>);

impl Key256 {
    pub(crate) fn random() -> Self {
        Self(SecretBox::init_with_mut(|k: &mut [u8; KEY_LEN]| OsRng.fill_bytes(k)))
    }

    pub(crate) fn from_array(bytes: &[u8; KEY_LEN]) -> Self {
        Self(SecretBox::init_with_mut(|k: &mut [u8; KEY_LEN]| k.copy_from_slice(bytes)))
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }

    /// HKDF-SHA256 subkey of this key for `info`.
    pub(crate) fn derive(&self, info: &[u8]) -> Key256 {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), self.expose());
        Self(SecretBox::init_with_mut(|okm: &mut [u8; KEY_LEN]| {
            // HKDF-SHA256 can expand up to 8160 bytes; 32 can never fail.
            if hk.expand(info, okm).is_err() {
                unreachable!("HKDF-SHA256 expand of 32 bytes cannot fail");
            }
        }))
    }

    /// A fresh HMAC-SHA256 instance keyed with this key.
    pub(crate) fn hmac(&self) -> HmacSha256 {
        match HmacSha256::new_from_slice(self.expose()) {
            Ok(mac) => mac,
            // HMAC accepts keys of any length, so this arm is dead.
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        }
    }
}

impl Clone for Key256 {
    fn clone(&self) -> Self {
        Self::from_array(self.expose())
    }
}

impl fmt::Debug for Key256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key256([REDACTED])")
    }
}
