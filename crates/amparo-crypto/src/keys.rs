//! The master key, the key ring derived from it, per-organisation key-encryption keys and
//! per-person data keys (DESIGN.md §3).
//!
//! Sealed format: `version (1 byte) || nonce (24 bytes) || ciphertext || tag (16 bytes)`.
//! The associated data binds the version and the (table, column, row) the value belongs to,
//! so a ciphertext copied to another row or field fails to open.

use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::RwLock;

use amparo_domain::signals::SignalId;
use amparo_domain::{OrgId, PersonId};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::audit::AuditKey;
use crate::blind::BlindIndexKey;
use crate::error::CryptoError;
use crate::secret::{KEY_LEN, Key256};
use crate::token::TokenKey;

/// The key/format version written as the first byte of every sealed value.
pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Padded base64 of 32 bytes plus the newline.
const KEY_FILE_TEXT_LEN: usize = 45;
/// A key file is a line of text; anything much larger is not ours.
const MAX_KEY_FILE_LEN: u64 = 1024;

/// The version byte of a sealed value, so a re-encryption job can find values to rotate.
pub fn sealed_version(sealed: &[u8]) -> Option<u8> {
    sealed.first().copied()
}

/// Where a sealed value lives. Bound into the AEAD associated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldAad<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row: &'a [u8],
}

impl FieldAad<'_> {
    /// Length-prefixed encoding, so ("ab","c") and ("a","bc") can never collide.
    fn encode(&self, version: u8) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 12 + self.table.len() + self.column.len() + self.row.len());
        out.push(version);
        for part in [self.table.as_bytes(), self.column.as_bytes(), self.row] {
            out.extend_from_slice(&(part.len() as u64).to_be_bytes());
            out.extend_from_slice(part);
        }
        out
    }
}

fn seal_with(key: &Key256, aad: &FieldAad<'_>, plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.expose()));
    // 192-bit random nonces: collisions are negligible even at billions of seals per key.
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let aad_bytes = aad.encode(SEAL_VERSION);
    let ciphertext = match cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad_bytes }) {
        Ok(ct) => ct,
        // XChaCha20-Poly1305 only refuses messages over 256 GiB, which cannot be in a field.
        Err(_) => unreachable!("XChaCha20-Poly1305 message length limit exceeded"),
    };
    let mut out = Vec::with_capacity(HEADER_LEN + ciphertext.len());
    out.push(SEAL_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

fn open_with(key: &Key256, aad: &FieldAad<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < HEADER_LEN + TAG_LEN {
        return Err(CryptoError::MalformedCiphertext);
    }
    let (version, rest) = (sealed[0], &sealed[1..]);
    if version != SEAL_VERSION {
        return Err(CryptoError::UnsupportedKeyVersion(version));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.expose()));
    let aad_bytes = aad.encode(version);
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad_bytes })
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::DecryptFailed)
}

/// The installation's 256-bit master key. Everything else is derived from it or wrapped by it.
pub struct MasterKey(Key256);

impl MasterKey {
    /// A fresh random key from the operating system's CSPRNG.
    pub fn generate() -> MasterKey {
        MasterKey(Key256::random())
    }

    pub fn from_bytes(mut bytes: [u8; 32]) -> MasterKey {
        let key = MasterKey(Key256::from_array(&bytes));
        bytes.zeroize();
        key
    }

    /// Parses AMPARO_MASTER_KEY: 64 hex chars or base64 (standard or url-safe, padded or not) of 32 bytes.
    pub fn from_env_value(s: &str) -> Result<MasterKey, CryptoError> {
        let s = s.trim();
        let decoded: Zeroizing<Vec<u8>> = if s.len() == 2 * KEY_LEN {
            Zeroizing::new(hex::decode(s).map_err(|_| CryptoError::InvalidMasterKey)?)
        } else {
            [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
                .iter()
                .find_map(|engine| engine.decode(s).ok())
                .map(Zeroizing::new)
                .ok_or(CryptoError::InvalidMasterKey)?
        };
        let bytes: &[u8; KEY_LEN] = decoded.as_slice().try_into().map_err(|_| CryptoError::InvalidMasterKey)?;
        Ok(MasterKey(Key256::from_array(bytes)))
    }

    /// The key file text: standard padded base64 and a newline. Sized up front so no
    /// reallocation leaves an unwiped copy of the key behind. (Backups carry the key in
    /// this form, inside their encryption.)
    pub fn file_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(KEY_FILE_TEXT_LEN));
        STANDARD.encode_string(self.0.expose(), &mut text);
        text.push('\n');
        text
    }

    /// Writes the key file (base64 text + newline) with mode 0600, creating it exclusively (create_new); refuses to overwrite.
    pub fn write_new_file(&self, path: &Path) -> Result<(), CryptoError> {
        write_private_file(path, &self.file_text())
    }

    /// Reads the key file; refuses (CryptoError::KeyFilePermissions) if group/other have any permission bits (unix).
    pub fn read_file(path: &Path) -> Result<MasterKey, CryptoError> {
        let (file, meta) = open_private_file(path)?;
        if !meta.is_file() || meta.len() > MAX_KEY_FILE_LEN {
            return Err(CryptoError::InvalidMasterKey);
        }
        // Pre-sized and bounded so reading never reallocates (which would leave copies).
        let mut raw = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN as usize + 1));
        file.take(MAX_KEY_FILE_LEN + 1).read_to_end(&mut raw).map_err(CryptoError::KeyFileIo)?;
        let text = std::str::from_utf8(&raw).map_err(|_| CryptoError::InvalidMasterKey)?;
        MasterKey::from_env_value(text)
    }

    /// The raw key, for sealing it under a passphrase (crate-internal).
    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        self.0.expose()
    }

    /// Short non-secret fingerprint (first 8 bytes of SHA-256 over a domain-separated HKDF output, hex) to tell keys apart in logs/UI.
    pub fn fingerprint(&self) -> String {
        let derived = self.0.derive(b"amparo/v1/fingerprint");
        let digest = Sha256::digest(derived.expose());
        hex::encode(&digest[..8])
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([REDACTED])")
    }
}

/// The format byte of a data key wrapped under a KEK of version 2 or later: the KEK version
/// follows as 4 bytes big-endian, then the nonce and the ciphertext. Version 1 (the KEK every
/// installation started with) keeps the plain [`SEAL_VERSION`] format, so rows written before
/// rotation existed read as they are.
pub const WRAP_FORMAT_VERSIONED: u8 = 2;
/// The KEK version of every organisation that has never rotated.
pub const FIRST_KEK_VERSION: u32 = 1;

/// The bytes a data key wrapped under KEK `version` starts with: what the rotation looks for
/// (as a prefix) to tell rows already re-wrapped from rows still to do.
pub fn wrapped_key_header(version: u32) -> Vec<u8> {
    if version <= FIRST_KEK_VERSION {
        vec![SEAL_VERSION]
    } else {
        let mut h = Vec::with_capacity(5);
        h.push(WRAP_FORMAT_VERSIONED);
        h.extend_from_slice(&version.to_be_bytes());
        h
    }
}

/// The KEK version a wrapped data key records, or None when the bytes are not a wrapped key.
pub fn wrapped_key_version(wrapped: &[u8]) -> Option<u32> {
    match wrapped.first() {
        Some(&SEAL_VERSION) => Some(FIRST_KEK_VERSION),
        Some(&WRAP_FORMAT_VERSIONED) => {
            let bytes: [u8; 4] = wrapped.get(1..5)?.try_into().ok()?;
            Some(u32::from_be_bytes(bytes)).filter(|v| *v > FIRST_KEK_VERSION)
        }
        _ => None,
    }
}

/// Writes a secret file (a key file, a sealed key file) with mode 0600, exclusively (refuses
/// to overwrite: `KeyFileExists`), synced; a failed write leaves no truncated file behind that
/// a later start would trust.
pub(crate) fn write_private_file(path: &Path, text: &str) -> Result<(), CryptoError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Set at creation so the key is never readable by others, not even briefly.
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CryptoError::KeyFileExists,
        _ => CryptoError::KeyFileIo(e),
    })?;
    if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(CryptoError::KeyFileIo(e));
    }
    Ok(())
}

/// Opens a secret file and its metadata, refusing (`KeyFilePermissions`) one that group or
/// others may access (unix). The opened file is checked, not the path, so a swap between
/// check and read is harmless.
pub(crate) fn open_private_file(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), CryptoError> {
    let file = std::fs::File::open(path).map_err(CryptoError::KeyFileIo)?;
    let meta = file.metadata().map_err(CryptoError::KeyFileIo)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(CryptoError::KeyFilePermissions);
        }
    }
    Ok((file, meta))
}

/// All subkeys of one master key. Build once at start-up and share (e.g. in an `Arc`).
pub struct KeyRing {
    master: Key256,
    fields: Key256,
    audit: AuditKey,
    tokens: TokenKey,
    fingerprint: String,
    /// Each organisation's current KEK version (absent: [`FIRST_KEK_VERSION`]). New data keys
    /// are wrapped under it; a wrapped key of any version still opens (see [`OrgKeys`]).
    kek_versions: RwLock<HashMap<OrgId, u32>>,
}

impl KeyRing {
    pub fn new(master: &MasterKey) -> KeyRing {
        let m = &master.0;
        KeyRing {
            master: m.clone(),
            fields: m.derive(b"amparo/v1/fields"),
            audit: AuditKey::new(m.derive(b"amparo/v1/audit"), m.derive(b"amparo/v1/audit-checkpoint")),
            tokens: TokenKey::new(m.derive(b"amparo/v1/tokens"), m.derive(b"amparo/v1/csrf")),
            fingerprint: master.fingerprint(),
            kek_versions: RwLock::new(HashMap::new()),
        }
    }

    /// Per-organisation key-encryption key (at the organisation's current version) and
    /// blind-index key.
    pub fn org(&self, org: OrgId) -> OrgKeys {
        self.org_at(org, self.kek_version(org))
    }

    /// The organisation's keys with new data keys wrapped under KEK `version` (the key
    /// rotation re-wraps with this).
    pub fn org_at(&self, org: OrgId, version: u32) -> OrgKeys {
        let version = version.max(FIRST_KEK_VERSION);
        OrgKeys {
            org,
            master: self.master.clone(),
            kek_version: version,
            kek: derive_kek(&self.master, org, version),
            blind: BlindIndexKey::new(self.master.derive(format!("amparo/v1/blind-index/{org}").as_bytes())),
        }
    }

    /// The organisation's current KEK version.
    pub fn kek_version(&self, org: OrgId) -> u32 {
        let versions = self.kek_versions.read().unwrap_or_else(|e| e.into_inner());
        versions.get(&org).copied().unwrap_or(FIRST_KEK_VERSION)
    }

    /// Makes `version` the organisation's current KEK version (as the database records it).
    pub fn set_kek_version(&self, org: OrgId, version: u32) {
        let mut versions = self.kek_versions.write().unwrap_or_else(|e| e.into_inner());
        versions.insert(org, version.max(FIRST_KEK_VERSION));
    }

    pub fn audit(&self) -> &AuditKey {
        &self.audit
    }

    pub fn tokens(&self) -> &TokenKey {
        &self.tokens
    }

    /// The master key itself, for a backup to carry inside its own encryption: a backup
    /// must be readable without the installation it came from.
    pub fn export_master(&self) -> MasterKey {
        MasterKey(self.master.clone())
    }

    /// The master key's fingerprint (see [`MasterKey::fingerprint`]).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Seals installation-level secrets that belong to no person (e.g. a user's TOTP secret): XChaCha20-Poly1305 under an HKDF "fields" subkey, with FieldAad.
    pub fn seal_secret(&self, aad: &FieldAad<'_>, plaintext: &[u8]) -> Vec<u8> {
        seal_with(&self.fields, aad, plaintext)
    }

    pub fn open_secret(&self, aad: &FieldAad<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        open_with(&self.fields, aad, sealed)
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

/// The organisation's KEK of a version: an HKDF subkey of the master key. Version 1 keeps the
/// label every installation started with; later versions add `/v{n}`, so each version is an
/// independent key (one leaked KEK reads nothing wrapped under another).
fn derive_kek(master: &Key256, org: OrgId, version: u32) -> Key256 {
    if version <= FIRST_KEK_VERSION {
        master.derive(format!("amparo/v1/kek/{org}").as_bytes())
    } else {
        master.derive(format!("amparo/v1/kek/{org}/v{version}").as_bytes())
    }
}

/// Wraps under a KEK of `version`: the version-1 format as it always was, or
/// `2 || version (4 bytes BE) || nonce || ciphertext+tag` with the version bound into the AAD.
fn wrap_with(kek: &Key256, version: u32, aad: &FieldAad<'_>, key: &[u8]) -> Vec<u8> {
    if version <= FIRST_KEK_VERSION {
        return seal_with(kek, aad, key);
    }
    let cipher = XChaCha20Poly1305::new(Key::from_slice(kek.expose()));
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let mut aad_bytes = aad.encode(WRAP_FORMAT_VERSIONED);
    aad_bytes.extend_from_slice(&version.to_be_bytes());
    let ciphertext = match cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: key, aad: &aad_bytes }) {
        Ok(ct) => ct,
        Err(_) => unreachable!("XChaCha20-Poly1305 message length limit exceeded"),
    };
    let mut out = wrapped_key_header(version);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

/// One organisation's keys: the KEK that wraps its people's data keys, and its blind-index key.
pub struct OrgKeys {
    org: OrgId,
    /// Kept to derive the KEK of an older version a wrapped key names (during a rotation).
    master: Key256,
    kek_version: u32,
    kek: Key256,
    blind: BlindIndexKey,
}

impl OrgKeys {
    /// Wraps under the current KEK version.
    fn wrap(&self, aad: &FieldAad<'_>, key: &DataKey) -> Vec<u8> {
        wrap_with(&self.kek, self.kek_version, aad, key.0.expose())
    }

    /// Opens a wrapped key under whichever KEK version it names.
    fn unwrap(&self, aad: &FieldAad<'_>, wrapped: &[u8]) -> Result<DataKey, CryptoError> {
        let version = match wrapped.first() {
            Some(&WRAP_FORMAT_VERSIONED) => wrapped_key_version(wrapped).ok_or(CryptoError::MalformedCiphertext)?,
            _ => FIRST_KEK_VERSION,
        };
        let other;
        let kek = if version == self.kek_version {
            &self.kek
        } else {
            other = derive_kek(&self.master, self.org, version);
            &other
        };
        let plain = if version == FIRST_KEK_VERSION {
            open_with(kek, aad, wrapped)?
        } else {
            let rest = &wrapped[5..];
            if rest.len() < NONCE_LEN + TAG_LEN {
                return Err(CryptoError::MalformedCiphertext);
            }
            let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
            let mut aad_bytes = aad.encode(WRAP_FORMAT_VERSIONED);
            aad_bytes.extend_from_slice(&version.to_be_bytes());
            let cipher = XChaCha20Poly1305::new(Key::from_slice(kek.expose()));
            cipher
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &aad_bytes })
                .map(Zeroizing::new)
                .map_err(|_| CryptoError::DecryptFailed)?
        };
        let bytes: &[u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| CryptoError::MalformedCiphertext)?;
        Ok(DataKey(Key256::from_array(bytes)))
    }

    /// The KEK version new data keys are wrapped under.
    pub fn kek_version(&self) -> u32 {
        self.kek_version
    }

    /// The associated data for a wrapped data key: binds the org and person ids.
    fn wrap_row(&self, person: PersonId) -> [u8; 32] {
        let mut row = [0u8; 32];
        row[..16].copy_from_slice(self.org.as_bytes());
        row[16..].copy_from_slice(person.as_bytes());
        row
    }

    /// Wraps a person's data key under the org KEK (XChaCha20-Poly1305, AAD binds "person_keys", org id and person id) so a wrapped key moved to another person/org fails.
    pub fn wrap_data_key(&self, person: PersonId, key: &DataKey) -> Vec<u8> {
        let row = self.wrap_row(person);
        self.wrap(&wrap_aad(&row), key)
    }

    pub fn unwrap_data_key(&self, person: PersonId, wrapped: &[u8]) -> Result<DataKey, CryptoError> {
        let row = self.wrap_row(person);
        self.unwrap(&wrap_aad(&row), wrapped)
    }

    /// Wraps a hotline signal's data key under the org KEK, as a person's is: a signal belongs
    /// to no person yet, so it has a data key of its own (AAD binds "signal_keys", the org id
    /// and the signal id). Deleting the wrapped key shreds the signal's text.
    pub fn wrap_signal_key(&self, signal: SignalId, key: &DataKey) -> Vec<u8> {
        let row = self.signal_row(signal);
        self.wrap(&signal_wrap_aad(&row), key)
    }

    pub fn unwrap_signal_key(&self, signal: SignalId, wrapped: &[u8]) -> Result<DataKey, CryptoError> {
        let row = self.signal_row(signal);
        self.unwrap(&signal_wrap_aad(&row), wrapped)
    }

    /// Wraps the data key of a record that belongs to no one person (a referral, whose copy
    /// of shared values outlives or precedes a person here): the AAD binds the table, the
    /// organisation and the record's id, so a wrapped key moved elsewhere fails to open.
    pub fn wrap_record_key(&self, table: &str, id: &[u8; 16], key: &DataKey) -> Vec<u8> {
        let mut row = [0u8; 32];
        row[..16].copy_from_slice(self.org.as_bytes());
        row[16..].copy_from_slice(id);
        self.wrap(&FieldAad { table, column: "data_key", row: &row }, key)
    }

    pub fn unwrap_record_key(&self, table: &str, id: &[u8; 16], wrapped: &[u8]) -> Result<DataKey, CryptoError> {
        let mut row = [0u8; 32];
        row[..16].copy_from_slice(self.org.as_bytes());
        row[16..].copy_from_slice(id);
        self.unwrap(&FieldAad { table, column: "data_key", row: &row }, wrapped)
    }

    fn signal_row(&self, signal: SignalId) -> [u8; 32] {
        let mut row = [0u8; 32];
        row[..16].copy_from_slice(self.org.as_bytes());
        row[16..].copy_from_slice(signal.as_uuid().as_bytes());
        row
    }

    pub fn blind_index(&self) -> &BlindIndexKey {
        &self.blind
    }

    pub fn org_id(&self) -> OrgId {
        self.org
    }
}

fn signal_wrap_aad(row: &[u8; 32]) -> FieldAad<'_> {
    FieldAad { table: "signal_keys", column: "data_key", row }
}

fn wrap_aad(row: &[u8; 32]) -> FieldAad<'_> {
    FieldAad { table: "person_keys", column: "data_key", row }
}

impl fmt::Debug for OrgKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgKeys").field("org", &self.org).finish_non_exhaustive()
    }
}

/// A person's random data key. Deleting its wrapped copy crypto-shreds the person's fields.
#[derive(Clone)]
pub struct DataKey(Key256);

impl DataKey {
    pub fn generate() -> DataKey {
        DataKey(Key256::random())
    }

    /// Output format: 1 version byte (key version, currently 1) || 24-byte random nonce || ciphertext+tag. AAD = length-prefixed (table, column, row) plus the version byte.
    pub fn seal(&self, aad: &FieldAad<'_>, plaintext: &[u8]) -> Vec<u8> {
        seal_with(&self.0, aad, plaintext)
    }

    pub fn open(&self, aad: &FieldAad<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        open_with(&self.0, aad, sealed)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subkeys_differ_per_purpose_and_org() {
        let ring = KeyRing::new(&MasterKey::generate());
        let a = OrgId::new();
        let b = OrgId::new();
        let (ka, kb) = (ring.org(a), ring.org(b));
        let all: Vec<&[u8; 32]> = vec![
            ring.master.expose(),
            ring.fields.expose(),
            ring.audit.link_key().expose(),
            ring.audit.checkpoint_key().expose(),
            ring.tokens.hash_key().expose(),
            ring.tokens.csrf_key().expose(),
            ka.kek.expose(),
            ka.blind.key().expose(),
            kb.kek.expose(),
            kb.blind.key().expose(),
        ];
        for i in 0..all.len() {
            for j in (i + 1)..all.len() {
                assert_ne!(all[i], all[j], "subkeys {i} and {j} are equal");
            }
        }
        // Derivation is deterministic: the same org gives the same keys.
        assert_eq!(ring.org(a).kek.expose(), ka.kek.expose());
    }

    #[test]
    fn different_masters_give_different_subkeys() {
        let org = OrgId::new();
        let r1 = KeyRing::new(&MasterKey::generate());
        let r2 = KeyRing::new(&MasterKey::generate());
        assert_ne!(r1.org(org).kek.expose(), r2.org(org).kek.expose());
        assert_ne!(r1.fields.expose(), r2.fields.expose());
    }

    #[test]
    #[allow(clippy::expect_used)] // a failed unwrap is a failed test
    fn a_signal_key_opens_only_for_its_signal_and_org() {
        let ring = KeyRing::new(&MasterKey::generate());
        let org = ring.org(OrgId::new());
        let (signal, other) = (SignalId::new(), SignalId::new());
        let key = DataKey::generate();
        let wrapped = org.wrap_signal_key(signal, &key);
        let aad = FieldAad { table: "signals", column: "text", row: signal.as_uuid().as_bytes() };
        let sealed = key.seal(&aad, b"tip");
        let opened = org.unwrap_signal_key(signal, &wrapped).expect("unwrap");
        assert_eq!(opened.open(&aad, &sealed).expect("open").as_slice(), b"tip");
        assert!(org.unwrap_signal_key(other, &wrapped).is_err());
        assert!(ring.org(OrgId::new()).unwrap_signal_key(signal, &wrapped).is_err());
        // A signal's wrapped key is not a person's wrapped key with the same id bytes.
        let as_person = PersonId::from_uuid(*signal.as_uuid());
        assert!(org.unwrap_data_key(as_person, &wrapped).is_err());
    }

    #[test]
    #[allow(clippy::expect_used)] // a failed unwrap is a failed test
    fn a_data_key_wrapped_under_any_kek_version_opens_and_records_its_version() {
        let ring = KeyRing::new(&MasterKey::generate());
        let org = OrgId::new();
        let person = PersonId::new();
        let key = DataKey::generate();
        let aad = FieldAad { table: "persons", column: "name", row: person.as_bytes() };
        let sealed = key.seal(&aad, b"Ana");
        let v1 = ring.org(org).wrap_data_key(person, &key);
        assert_eq!(wrapped_key_version(&v1), Some(1));
        assert!(v1.starts_with(&wrapped_key_header(1)));
        ring.set_kek_version(org, 3);
        assert_eq!(ring.org(org).kek_version(), 3);
        let v3 = ring.org(org).wrap_data_key(person, &key);
        assert_eq!(wrapped_key_version(&v3), Some(3));
        assert!(v3.starts_with(&wrapped_key_header(3)) && !v3.starts_with(&wrapped_key_header(2)));
        // Both open with the ring at any current version: a rotation in progress reads all rows.
        for current in [1, 3, 4] {
            let keys = ring.org_at(org, current);
            for wrapped in [&v1, &v3] {
                let opened = keys.unwrap_data_key(person, wrapped).expect("unwrap");
                assert_eq!(opened.open(&aad, &sealed).expect("open").as_slice(), b"Ana");
            }
        }
        // Each version is its own key: the version header cannot be swapped.
        let mut relabelled = v3.clone();
        relabelled[1..5].copy_from_slice(&2u32.to_be_bytes());
        assert!(ring.org(org).unwrap_data_key(person, &relabelled).is_err());
        assert_ne!(ring.org_at(org, 2).kek.expose(), ring.org_at(org, 3).kek.expose());
        assert_ne!(ring.org_at(org, 1).kek.expose(), ring.org_at(org, 2).kek.expose());
        // Still bound to the person and the organisation.
        assert!(ring.org(org).unwrap_data_key(PersonId::new(), &v3).is_err());
        assert!(ring.org_at(OrgId::new(), 3).unwrap_data_key(person, &v3).is_err());
        // The blind-index key does not change with the KEK version (search keeps working).
        assert_eq!(ring.org_at(org, 1).blind.key().expose(), ring.org_at(org, 3).blind.key().expose());
        // Truncated or unknown formats are refused, not mistaken.
        assert!(ring.org(org).unwrap_data_key(person, &v3[..10]).is_err());
        assert_eq!(wrapped_key_version(&[9, 0, 0]), None);
        assert_eq!(wrapped_key_version(&[2, 0, 0, 0, 1]), None);
    }

    #[test]
    fn aad_encoding_is_unambiguous() {
        let a = FieldAad { table: "ab", column: "c", row: b"" };
        let b = FieldAad { table: "a", column: "bc", row: b"" };
        assert_ne!(a.encode(1), b.encode(1));
    }

    #[test]
    fn debug_redacts() {
        let m = MasterKey::from_bytes([7u8; 32]);
        let hexkey = hex::encode([7u8; 32]);
        for s in [
            format!("{m:?}"),
            format!("{:?}", KeyRing::new(&m)),
            format!("{:?}", KeyRing::new(&m).org(OrgId::new())),
            format!("{:?}", DataKey::generate()),
        ] {
            assert!(!s.contains(&hexkey) && !s.contains("7, 7"), "{s}");
        }
    }
}
