//! An installation's identity and the referral packets it sends and receives (DESIGN.md §6).
//!
//! Each installation holds two key pairs: an Ed25519 signing key (`ed25519-dalek`) and an
//! age X25519 identity (`age`). Its public half is one line of text that partners exchange:
//!
//! ```text
//! amparo-id1:<Ed25519 verifying key, 32 bytes, base64url without padding>:<age recipient, age1…>
//! ```
//!
//! A packet is **encrypt-then-sign, with the header bound inside the ciphertext**:
//! 1. the header (sender line, recipient line, referral id, expiry date) is written as text;
//! 2. `header || "\n" || payload` is encrypted with age to the recipient's X25519 key;
//! 3. the sender signs `DOMAIN || header || payload line` with Ed25519.
//!
//! The receiver checks, in order: the shape, the signature (any changed byte fails here),
//! that it is the recipient named (else "misaddressed"), the expiry, then decrypts and checks
//! that the header sealed inside is byte for byte the one that was signed (so a third party
//! cannot strip the signature and re-sign someone else's ciphertext as its own). Nothing here
//! is a home-made primitive: age does the encryption, Ed25519 the signature.

use std::fmt;
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

/// The prefix of an identity line (format version 1).
pub const IDENTITY_PREFIX: &str = "amparo-id1:";
/// The first line of a packet (format version 1).
pub const PACKET_MAGIC: &str = "amparo-referral-packet v1";
/// Signed before the packet's text so a packet signature can never be taken for another use.
const SIGNING_DOMAIN: &[u8] = b"amparo/v1/referral-packet-signature\n";
/// Packets are small (a referral's consented fields): refuse anything much larger unread.
pub const MAX_PACKET_BYTES: usize = 4 * 1024 * 1024;

/// Why a packet was refused. Codes are stable (CLI messages, page messages, audit details).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    #[error("this is not an Amparo referral packet")]
    Malformed,
    #[error("the packet was modified after it was signed")]
    Modified,
    #[error("the packet is addressed to another installation")]
    Misaddressed,
    #[error("the packet has expired")]
    Expired,
    #[error("the sender is not in the partner directory")]
    UnknownSender,
}

impl PacketError {
    pub const fn code(self) -> &'static str {
        match self {
            PacketError::Malformed => "packet_malformed",
            PacketError::Modified => "packet_modified",
            PacketError::Misaddressed => "packet_misaddressed",
            PacketError::Expired => "packet_expired",
            PacketError::UnknownSender => "packet_unknown_sender",
        }
    }
}

/// The public identity of an installation: what partners put in their directory.
#[derive(Clone)]
pub struct PublicIdentity {
    verifying: VerifyingKey,
    recipient: age::x25519::Recipient,
}

impl PublicIdentity {
    /// A short fingerprint to read aloud by phone: 20 hex digits of SHA-256 over the line,
    /// in five groups (`3F2A-91C0-…`).
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.to_string().as_bytes());
        let hex = hex::encode_upper(&digest[..10]);
        hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }
}

impl PartialEq for PublicIdentity {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}
impl Eq for PublicIdentity {}

impl fmt::Display for PublicIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{IDENTITY_PREFIX}{}:{}", URL_SAFE_NO_PAD.encode(self.verifying.as_bytes()), self.recipient)
    }
}

impl fmt::Debug for PublicIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicIdentity({})", self.fingerprint())
    }
}

/// Not an identity line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an Amparo identity line")]
pub struct InvalidIdentity;

impl FromStr for PublicIdentity {
    type Err = InvalidIdentity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s.trim().strip_prefix(IDENTITY_PREFIX).ok_or(InvalidIdentity)?;
        let (sign, enc) = rest.split_once(':').ok_or(InvalidIdentity)?;
        let bytes = URL_SAFE_NO_PAD.decode(sign).map_err(|_| InvalidIdentity)?;
        let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| InvalidIdentity)?;
        let verifying = VerifyingKey::from_bytes(&bytes).map_err(|_| InvalidIdentity)?;
        // Weak keys (small order points) could make signatures meaningless.
        if verifying.is_weak() {
            return Err(InvalidIdentity);
        }
        let recipient = age::x25519::Recipient::from_str(enc).map_err(|_| InvalidIdentity)?;
        let parsed = PublicIdentity { verifying, recipient };
        // One spelling per identity, so comparing lines compares keys.
        if parsed.to_string() != s.trim() {
            return Err(InvalidIdentity);
        }
        Ok(parsed)
    }
}

/// This installation's private keys. Stored only sealed (see [`InstallationIdentity::to_secret`]).
pub struct InstallationIdentity {
    signing: SigningKey,
    decryption: age::x25519::Identity,
}

impl fmt::Debug for InstallationIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InstallationIdentity({})", self.public().fingerprint())
    }
}

impl InstallationIdentity {
    pub fn generate() -> InstallationIdentity {
        let mut seed = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(seed.as_mut());
        InstallationIdentity { signing: SigningKey::from_bytes(&seed), decryption: age::x25519::Identity::generate() }
    }

    pub fn public(&self) -> PublicIdentity {
        PublicIdentity { verifying: self.signing.verifying_key(), recipient: self.decryption.to_public() }
    }

    /// The private halves as bytes, to be sealed before they are stored: the Ed25519 seed
    /// (32 bytes) followed by the age secret key's text (`AGE-SECRET-KEY-1…`).
    pub fn to_secret(&self) -> Zeroizing<Vec<u8>> {
        let age_text = self.decryption.to_string();
        let mut out = Zeroizing::new(Vec::with_capacity(32 + age_text.expose_secret().len()));
        out.extend_from_slice(self.signing.as_bytes());
        out.extend_from_slice(age_text.expose_secret().as_bytes());
        out
    }

    pub fn from_secret(secret: &[u8]) -> Result<InstallationIdentity, crate::CryptoError> {
        if secret.len() <= 32 {
            return Err(crate::CryptoError::MalformedCiphertext);
        }
        let (seed, age_text) = secret.split_at(32);
        let seed: &[u8; 32] = seed.try_into().map_err(|_| crate::CryptoError::MalformedCiphertext)?;
        let age_text = std::str::from_utf8(age_text).map_err(|_| crate::CryptoError::MalformedCiphertext)?;
        let decryption =
            age::x25519::Identity::from_str(age_text).map_err(|_| crate::CryptoError::MalformedCiphertext)?;
        Ok(InstallationIdentity { signing: SigningKey::from_bytes(seed), decryption })
    }

    /// Seals `payload` to `recipient` and signs it (see the module documentation).
    pub fn seal_packet(
        &self,
        recipient: &PublicIdentity,
        referral: Uuid,
        expires_on: NaiveDate,
        payload: &[u8],
    ) -> Result<Vec<u8>, crate::CryptoError> {
        let header = Header { sender: self.public(), recipient: recipient.clone(), referral, expires_on };
        let header_text = header.text();
        let mut inner = Zeroizing::new(Vec::with_capacity(header_text.len() + 1 + payload.len()));
        inner.extend_from_slice(header_text.as_bytes());
        inner.push(b'\n');
        inner.extend_from_slice(payload);
        let ciphertext =
            age::encrypt(&recipient.recipient, &inner).map_err(|_| crate::CryptoError::MalformedCiphertext)?;
        let mut signed = format!("{header_text}payload: {}\n", STANDARD.encode(ciphertext)).into_bytes();
        let signature = self.signing.sign(&signing_input(&signed));
        signed.extend_from_slice(format!("signature: {}\n", STANDARD.encode(signature.to_bytes())).as_bytes());
        Ok(signed)
    }

    /// Verifies, checks and opens a packet addressed to this installation. The caller must
    /// then check that [`OpenedPacket::sender`] is a partner it knows.
    pub fn open_packet(&self, packet: &[u8], today: NaiveDate) -> Result<OpenedPacket, PacketError> {
        if packet.len() > MAX_PACKET_BYTES {
            return Err(PacketError::Malformed);
        }
        let text = std::str::from_utf8(packet).map_err(|_| PacketError::Malformed)?;
        let sig_at = text.rfind("signature: ").ok_or(PacketError::Malformed)?;
        let (signed, sig_line) = text.split_at(sig_at);
        let header = Header::parse(signed)?;
        let sig_text = sig_line.strip_prefix("signature: ").and_then(|s| s.strip_suffix('\n'));
        let sig_bytes = sig_text.and_then(|s| STANDARD.decode(s).ok()).ok_or(PacketError::Modified)?;
        let sig_bytes: [u8; 64] = sig_bytes.as_slice().try_into().map_err(|_| PacketError::Modified)?;
        let signature = Signature::from_bytes(&sig_bytes);
        header
            .sender
            .verifying
            .verify_strict(&signing_input(signed.as_bytes()), &signature)
            .map_err(|_| PacketError::Modified)?;
        if header.recipient != self.public() {
            return Err(PacketError::Misaddressed);
        }
        if header.expires_on < today {
            return Err(PacketError::Expired);
        }
        let payload_line =
            signed.lines().nth(5).and_then(|l| l.strip_prefix("payload: ")).ok_or(PacketError::Malformed)?;
        let ciphertext = STANDARD.decode(payload_line).map_err(|_| PacketError::Malformed)?;
        let inner = Zeroizing::new(age::decrypt(&self.decryption, &ciphertext).map_err(|_| PacketError::Modified)?);
        let expected = header.text();
        let body =
            inner.strip_prefix(expected.as_bytes()).and_then(|b| b.strip_prefix(b"\n")).ok_or(PacketError::Modified)?;
        Ok(OpenedPacket {
            sender: header.sender,
            referral: header.referral,
            expires_on: header.expires_on,
            payload: Zeroizing::new(body.to_vec()),
        })
    }
}

fn signing_input(signed: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(SIGNING_DOMAIN.len() + signed.len());
    out.extend_from_slice(SIGNING_DOMAIN);
    out.extend_from_slice(signed);
    out
}

/// What a verified packet says.
pub struct OpenedPacket {
    pub sender: PublicIdentity,
    pub referral: Uuid,
    pub expires_on: NaiveDate,
    pub payload: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for OpenedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenedPacket").field("referral", &self.referral).finish_non_exhaustive()
    }
}

/// The packet's clear header: who, to whom, which referral, until when. No survivor data.
struct Header {
    sender: PublicIdentity,
    recipient: PublicIdentity,
    referral: Uuid,
    expires_on: NaiveDate,
}

impl Header {
    fn text(&self) -> String {
        format!(
            "{PACKET_MAGIC}\nsender: {}\nrecipient: {}\nreferral: {}\nexpires: {}\n",
            self.sender,
            self.recipient,
            self.referral.hyphenated(),
            self.expires_on.format("%Y-%m-%d")
        )
    }

    /// Parses the signed part: the header lines and the payload line, nothing else.
    fn parse(signed: &str) -> Result<Header, PacketError> {
        let lines: Vec<&str> = signed.split('\n').collect();
        // Six lines, each ended by a newline: the split leaves one empty piece at the end.
        if lines.len() != 7 || !lines[6].is_empty() || lines[0] != PACKET_MAGIC {
            return Err(PacketError::Malformed);
        }
        let field = |i: usize, name: &str| lines[i].strip_prefix(name).ok_or(PacketError::Malformed);
        // A packet whose header no longer parses was changed (or never was one): either way
        // it is refused; a changed byte that still parses fails the signature below.
        let header = Header {
            sender: field(1, "sender: ")?.parse().map_err(|_| PacketError::Modified)?,
            recipient: field(2, "recipient: ")?.parse().map_err(|_| PacketError::Modified)?,
            referral: Uuid::parse_str(field(3, "referral: ")?).map_err(|_| PacketError::Modified)?,
            expires_on: NaiveDate::parse_from_str(field(4, "expires: ")?, "%Y-%m-%d")
                .map_err(|_| PacketError::Modified)?,
        };
        field(5, "payload: ")?;
        // Only the canonical spelling is accepted (one text per header).
        if !signed.starts_with(&header.text()) {
            return Err(PacketError::Modified);
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn identity_line_round_trips_and_is_strict() {
        let me = InstallationIdentity::generate();
        let line = me.public().to_string();
        assert!(line.starts_with(IDENTITY_PREFIX) && !line.contains(char::is_whitespace));
        let parsed: PublicIdentity = line.parse().unwrap_or_else(|_| InstallationIdentity::generate().public());
        assert_eq!(parsed, me.public());
        assert_eq!(me.public().fingerprint().len(), 24);
        for bad in ["", "amparo-id1:", "amparo-id1:abc:age1xyz", &line.replace("amparo-id1", "amparo-id2")] {
            assert!(bad.parse::<PublicIdentity>().is_err(), "{bad}");
        }
        let secret = me.to_secret();
        let back = InstallationIdentity::from_secret(&secret).map(|i| i.public());
        assert_eq!(back.ok(), Some(me.public()));
    }

    #[test]
    fn a_packet_opens_only_unchanged_for_its_recipient_before_expiry() {
        let (a, b, c) =
            (InstallationIdentity::generate(), InstallationIdentity::generate(), InstallationIdentity::generate());
        let id = Uuid::new_v4();
        let packet = a.seal_packet(&b.public(), id, day("2026-07-01"), b"{\"alias\":\"Luz\"}").unwrap_or_default();
        let opened = b.open_packet(&packet, day("2026-07-01")).map_err(|e| e.code());
        let opened = opened.as_ref().map(|o| (o.sender.clone(), o.referral, o.payload.to_vec()));
        assert_eq!(opened, Ok((a.public(), id, b"{\"alias\":\"Luz\"}".to_vec())));
        assert_eq!(c.open_packet(&packet, day("2026-06-01")).err(), Some(PacketError::Misaddressed));
        assert_eq!(b.open_packet(&packet, day("2026-07-02")).err(), Some(PacketError::Expired));
        // Every single changed byte is refused.
        for i in 0..packet.len() {
            let mut p = packet.clone();
            p[i] ^= 0x01;
            assert!(b.open_packet(&p, day("2026-06-01")).is_err(), "byte {i} changed and still accepted");
        }
        // Trailing or missing bytes too.
        let mut longer = packet.clone();
        longer.push(b'\n');
        assert!(b.open_packet(&longer, day("2026-06-01")).is_err());
        assert!(b.open_packet(&packet[..packet.len() - 1], day("2026-06-01")).is_err());
    }

    #[test]
    fn a_ciphertext_re_signed_by_someone_else_is_refused() {
        let (a, b, mallory) =
            (InstallationIdentity::generate(), InstallationIdentity::generate(), InstallationIdentity::generate());
        let packet = a.seal_packet(&b.public(), Uuid::new_v4(), day("2026-07-01"), b"{}").unwrap_or_default();
        // Mallory keeps A's ciphertext but puts her own name on it and signs it.
        let text = String::from_utf8(packet).unwrap_or_default();
        let swapped = text.replace(&a.public().to_string(), &mallory.public().to_string());
        let signed_part = &swapped[..swapped.rfind("signature: ").unwrap_or(0)];
        let sig = mallory.signing.sign(&signing_input(signed_part.as_bytes()));
        let forged = format!("{signed_part}signature: {}\n", STANDARD.encode(sig.to_bytes()));
        assert_eq!(b.open_packet(forged.as_bytes(), day("2026-06-01")).err(), Some(PacketError::Modified));
    }
}
