//! Random tokens (sessions, API tokens, setup links, CSRF), stored only as keyed hashes
//! (ASVS 6.5.3, 11.5.1).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use rand::RngCore;
use rand::rngs::OsRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::secret::Key256;

/// 32 bytes from OsRng, base64url without padding (43 chars).
pub fn random_token() -> String {
    let mut bytes = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(bytes.as_mut());
    URL_SAFE_NO_PAD.encode(&bytes[..])
}

/// Keys for token hashes and CSRF tokens (separate HKDF subkeys, so a CSRF token can never
/// equal a stored token hash).
pub struct TokenKey {
    hash: Key256,
    csrf: Key256,
}

impl TokenKey {
    pub(crate) fn new(hash: Key256, csrf: Key256) -> Self {
        Self { hash, csrf }
    }

    /// Random keys that live as long as the process: for the forms a sealed server shows
    /// before it has the installation's keys.
    pub fn ephemeral() -> Self {
        Self { hash: Key256::random(), csrf: Key256::random() }
    }

    #[cfg(test)]
    pub(crate) fn hash_key(&self) -> &Key256 {
        &self.hash
    }

    #[cfg(test)]
    pub(crate) fn csrf_key(&self) -> &Key256 {
        &self.csrf
    }

    /// Keyed hash used to store tokens (sessions, API tokens, setup tokens) so a database read does not yield usable tokens: HMAC-SHA256(token key, purpose || 0x00 || token).
    ///
    /// `purpose` is a fixed label chosen by the caller (e.g. "session") and must not contain NUL.
    pub fn hash(&self, purpose: &str, token: &str) -> [u8; 32] {
        debug_assert!(!purpose.contains('\0'), "token purpose must not contain NUL");
        let mut mac = self.hash.hmac();
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(token.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A CSRF token bound to a session or pre-session value: base64url(HMAC(token key, "csrf" || binding)).
    pub fn csrf_token(&self, binding: &str) -> String {
        let mut mac = self.csrf.hmac();
        mac.update(b"csrf");
        mac.update(binding.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Constant-time check of a presented CSRF token.
    pub fn verify_csrf_token(&self, binding: &str, presented: &str) -> bool {
        self.csrf_token(binding).as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey([REDACTED])")
    }
}
