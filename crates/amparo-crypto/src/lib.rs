//! Cryptography for Amparo: the master key and its HKDF subkeys, per-person data keys sealed
//! with XChaCha20-Poly1305, blind indexes for search, the audit chain MAC, password hashing,
//! TOTP and random tokens (DESIGN.md §3, security.md rows 5, 6, 20, 21, 22).
//!
//! Everything here composes RustCrypto primitives; nothing is home-made. Secret material lives
//! in `secrecy`/`zeroize` containers, is wiped on drop, and every `Debug` impl redacts it.
//! This crate is synchronous and knows nothing of storage or async runtimes.

pub mod audit;
pub mod blind;
pub mod error;
pub mod identity;
pub mod keys;
pub mod password;
pub mod sealed;
pub mod token;
pub mod totp;

mod secret;

pub use audit::AuditKey;
pub use blind::{BlindIndexKey, normalize_for_search};
pub use error::CryptoError;
pub use identity::{InstallationIdentity, OpenedPacket, PacketError, PublicIdentity};
pub use keys::{
    DataKey, FIRST_KEK_VERSION, FieldAad, KeyRing, MasterKey, OrgKeys, SEAL_VERSION, sealed_version,
    wrapped_key_header, wrapped_key_version,
};
pub use password::{PasswordHasher, PasswordParams};
pub use sealed::{SealParams, open_sealed_master_key, read_sealed_key_file, seal_master_key, write_sealed_key_file};
pub use token::{TokenKey, random_token};
pub use totp::{TotpError, TotpSecret, qr_svg};
