//! TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30 s step; ASVS 6.5.1, 6.5.5) and QR codes for
//! enrolment, drawn as inline SVG so no third-party service ever sees the secret.

use std::fmt;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use rand::RngCore;
use rand::rngs::OsRng;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};
use zeroize::{Zeroize, Zeroizing};

use crate::error::CryptoError;

const DIGITS: usize = 6;
const STEP: u64 = 30;
const SECRET_LEN: usize = 20;
/// RFC 4226 §4 requires at least 128 bits; the upper bound only rejects garbage.
const MIN_SECRET_LEN: usize = 16;
const MAX_SECRET_LEN: usize = 64;

/// Why a TOTP operation failed. `code()` is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// Not six digits (after removing spaces).
    #[error("the code must be six digits")]
    Malformed,
    /// Six digits, but not the code for now ± one step.
    #[error("the code is not correct")]
    Wrong,
    /// A correct code whose step was already used (or is older than the last used one).
    #[error("the code was already used")]
    Replayed,
    /// `TotpSecret::from_bytes` got fewer than 16 or more than 64 bytes.
    #[error("the TOTP secret has an invalid length")]
    InvalidSecret,
}

impl TotpError {
    pub const fn code(&self) -> &'static str {
        match self {
            TotpError::Malformed => "totp_malformed",
            TotpError::Wrong => "totp_wrong",
            TotpError::Replayed => "totp_replayed",
            TotpError::InvalidSecret => "totp_invalid_secret",
        }
    }
}

/// A user's TOTP shared secret. Seal it with `KeyRing::seal_secret` before storing.
#[derive(Clone)]
pub struct TotpSecret(Zeroizing<Vec<u8>>);

impl TotpSecret {
    /// 20 random bytes (160 bits, as RFC 4226 recommends).
    pub fn generate() -> TotpSecret {
        let mut bytes = Zeroizing::new(vec![0u8; SECRET_LEN]);
        OsRng.fill_bytes(&mut bytes);
        TotpSecret(bytes)
    }

    pub fn from_bytes(b: Vec<u8>) -> Result<TotpSecret, TotpError> {
        let b = Zeroizing::new(b);
        if !(MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&b.len()) {
            return Err(TotpError::InvalidSecret);
        }
        Ok(TotpSecret(b))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret as typed from an enrolment page (RFC 4648 base32, spaces and case ignored).
    pub fn from_base32(s: &str) -> Result<TotpSecret, TotpError> {
        let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let bytes = totp_rs::Secret::Encoded(cleaned).to_bytes().map_err(|_| TotpError::InvalidSecret)?;
        TotpSecret::from_bytes(bytes)
    }

    /// Runs `f` with a totp-rs generator, then wipes the generator's copy of the secret.
    fn with_totp<T>(&self, f: impl FnOnce(&TOTP) -> T) -> T {
        let mut totp = TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP, self.0.to_vec());
        let out = f(&totp);
        totp.secret.zeroize();
        out
    }

    /// For manual entry, RFC 4648 base32 without padding.
    pub fn base32(&self) -> String {
        self.with_totp(TOTP::get_secret_base32)
    }

    /// `otpauth://totp/<issuer>:<account>?secret=..&issuer=..&algorithm=SHA1&digits=6&period=30` (issuer and account percent-encoded)
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        let secret = Zeroizing::new(self.base32());
        format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
            account = percent_encode(account),
            secret = secret.as_str(),
        )
    }

    fn code_for_step(&self, step: u64) -> Zeroizing<String> {
        Zeroizing::new(self.with_totp(|t| t.generate(step.saturating_mul(STEP))))
    }

    /// The code for a unix time (used by tests and the browser test).
    pub fn code_at(&self, unix_seconds: i64) -> String {
        let step = u64::try_from(unix_seconds.div_euclid(STEP as i64)).unwrap_or(0);
        self.code_for_step(step).to_string()
    }

    /// Accepts a code for step now-1, now or now+1 (one step of skew, RFC 6238 §5.2) that is strictly later than `last_step` (single use: a code, or an older one, is never accepted twice). Returns the accepted step. Codes are compared in constant time; input may contain spaces, which are ignored; anything but 6 digits is rejected.
    ///
    /// The caller must store the returned step as the new `last_step`.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_step: Option<i64>) -> Result<i64, TotpError> {
        let presented: Zeroizing<String> = Zeroizing::new(code.chars().filter(|c| !c.is_whitespace()).collect());
        if presented.len() != DIGITS || !presented.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TotpError::Malformed);
        }
        let now = unix_seconds.div_euclid(STEP as i64);
        let mut accepted = None;
        let mut matched = false;
        // All three candidates are always computed and compared, whatever matches.
        for step in [now.checked_sub(1), Some(now), now.checked_add(1)].into_iter().flatten() {
            let Ok(unsigned) = u64::try_from(step) else {
                continue;
            };
            let expected = self.code_for_step(unsigned);
            if bool::from(expected.as_bytes().ct_eq(presented.as_bytes())) {
                matched = true;
                if last_step.is_none_or(|last| step > last) {
                    accepted = Some(step);
                }
            }
        }
        match (accepted, matched) {
            (Some(step), _) => Ok(step),
            (None, true) => Err(TotpError::Replayed),
            (None, false) => Err(TotpError::Wrong),
        }
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([REDACTED])")
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text for an XML attribute value.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0; drop them.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The QR code of `data` as a self-contained inline SVG string (no external refs, no scripts), with role="img" and an aria-label of `label` (XML-escaped) and a quiet zone.
pub fn qr_svg(data: &str, label: &str) -> Result<String, CryptoError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).map_err(|_| CryptoError::QrEncode)?;
    let rendered = code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Drop the XML prolog (invalid inside HTML) and add the accessibility attributes.
    let start = rendered.find("<svg ").ok_or(CryptoError::QrEncode)?;
    let body = &rendered[start + "<svg ".len()..];
    Ok(format!(r#"<svg role="img" aria-label="{}" {body}"#, xml_escape(label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encodes() {
        assert_eq!(percent_encode("Amparo MX"), "Amparo%20MX");
        assert_eq!(percent_encode("ana@ex.org:x"), "ana%40ex.org%3Ax");
        assert_eq!(percent_encode("José"), "Jos%C3%A9");
    }

    #[test]
    fn escapes_xml() {
        assert_eq!(xml_escape(r#"<a & "b" 'c'>"#), "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
    }
}
