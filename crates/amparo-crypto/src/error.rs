//! Errors. Messages are safe to log: they never carry key material, plaintext or passwords.

use crate::totp::TotpError;

/// Everything that can go wrong in this crate. `code()` is stable (i18n key / API code).
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The master key text is not 32 bytes as 64 hex characters or base64.
    #[error("the master key must be 32 bytes, written as 64 hex characters or base64")]
    InvalidMasterKey,
    /// `write_new_file` refuses to replace an existing key file.
    #[error("the key file already exists; refusing to overwrite it")]
    KeyFileExists,
    /// The key file is readable or writable by group or others.
    #[error("the key file must not be accessible by group or others (chmod 600)")]
    KeyFilePermissions,
    /// Reading or writing the key file failed.
    #[error("key file input/output failed: {0}")]
    KeyFileIo(#[source] std::io::Error),
    /// Authentication failed: wrong key, wrong associated data, or tampered ciphertext.
    #[error("decryption failed: wrong key, wrong context or tampered data")]
    DecryptFailed,
    /// The sealed value is too short or its plaintext has the wrong shape.
    #[error("the sealed value is malformed")]
    MalformedCiphertext,
    /// The sealed value names a key/format version this build does not know.
    #[error("unsupported key version {0}")]
    UnsupportedKeyVersion(u8),
    /// Argon2 failed to hash (should not happen with valid parameters).
    #[error("password hashing failed")]
    PasswordHashFailed,
    /// A stored password hash is not a PHC string this crate can verify.
    #[error("the stored password hash is malformed")]
    MalformedPasswordHash,
    /// Argon2 parameters below the OWASP floor or rejected by Argon2.
    #[error("invalid password hashing parameters")]
    InvalidPasswordParams,
    /// The data does not fit in a QR code.
    #[error("could not encode the QR code")]
    QrEncode,
    /// A sealed key file did not open: wrong passphrase, or the file was changed.
    #[error("wrong passphrase, or the sealed key file was changed")]
    WrongPassphrase,
    /// The sealed key file is not one this build can read.
    #[error("the sealed key file is malformed")]
    MalformedSealedKey,
    /// Sealing refuses a short passphrase.
    #[error("the passphrase must have at least 15 characters")]
    PassphraseTooShort,
    /// A TOTP failure.
    #[error(transparent)]
    Totp(#[from] TotpError),
}

impl CryptoError {
    /// A stable machine-readable code.
    pub const fn code(&self) -> &'static str {
        match self {
            CryptoError::InvalidMasterKey => "invalid_master_key",
            CryptoError::KeyFileExists => "key_file_exists",
            CryptoError::KeyFilePermissions => "key_file_permissions",
            CryptoError::KeyFileIo(_) => "key_file_io",
            CryptoError::DecryptFailed => "decrypt_failed",
            CryptoError::MalformedCiphertext => "malformed_ciphertext",
            CryptoError::UnsupportedKeyVersion(_) => "unsupported_key_version",
            CryptoError::PasswordHashFailed => "password_hash_failed",
            CryptoError::MalformedPasswordHash => "malformed_password_hash",
            CryptoError::InvalidPasswordParams => "invalid_password_params",
            CryptoError::QrEncode => "qr_encode_failed",
            CryptoError::WrongPassphrase => "wrong_passphrase",
            CryptoError::MalformedSealedKey => "malformed_sealed_key",
            CryptoError::PassphraseTooShort => "passphrase_too_short",
            CryptoError::Totp(e) => e.code(),
        }
    }
}
