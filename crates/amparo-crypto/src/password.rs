//! Password hashing with Argon2id (ASVS v5.0.0-11.4.2; OWASP: m=19456 KiB, t=2, p=1 or stronger).

use std::fmt;

use std::sync::Mutex;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};

use crate::error::CryptoError;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
}

impl PasswordParams {
    /// The OWASP floor: memory in KiB and passes.
    const OWASP_M: u32 = 19_456;
    const OWASP_T: u32 = 2;

    /// m=19456, t=2, p=1 — the default, used in production.
    pub const fn owasp() -> Self {
        Self { m_cost: Self::OWASP_M, t_cost: Self::OWASP_T, p_cost: 1 }
    }

    /// Cheaper parameters ONLY for tests (explicit name, never default): m=1024, t=1, p=1.
    pub const fn insecure_for_tests() -> Self {
        Self { m_cost: 1024, t_cost: 1, p_cost: 1 }
    }

    /// Stronger parameters (e.g. from configuration). Refuses anything below the OWASP floor
    /// (m < 19456 KiB or t < 2) or that Argon2 itself rejects.
    pub fn new(m_cost: u32, t_cost: u32, p_cost: u32) -> Result<Self, CryptoError> {
        let candidate = Self { m_cost, t_cost, p_cost };
        if m_cost < Self::OWASP_M || t_cost < Self::OWASP_T || candidate.argon2_params().is_err() {
            return Err(CryptoError::InvalidPasswordParams);
        }
        Ok(candidate)
    }

    pub const fn m_cost(&self) -> u32 {
        self.m_cost
    }

    pub const fn t_cost(&self) -> u32 {
        self.t_cost
    }

    pub const fn p_cost(&self) -> u32 {
        self.p_cost
    }

    fn argon2_params(&self) -> Result<Params, argon2::Error> {
        Params::new(self.m_cost, self.t_cost, self.p_cost, None)
    }
}

impl Default for PasswordParams {
    fn default() -> Self {
        Self::owasp()
    }
}

/// Hashes and verifies passwords. Synchronous and CPU-heavy: run it off the async executor.
pub struct PasswordHasher {
    params: PasswordParams,
    argon2: Argon2<'static>,
    /// A real hash of a random password, so `verify_dummy` does the same work as `verify`.
    dummy_phc: Option<String>,
    /// Argon2's working memory (19 MiB a hash), kept for the next hash. Allocated afresh each
    /// time, the C allocator kept it anyway, in more and more arenas: a server grew by tens
    /// of MiB after a few sign-ins (measured in BENCHMARKS.md). Reused, it is bounded.
    memory: Mutex<Vec<Vec<Block>>>,
}

/// Working-memory buffers kept at most (the app hashes at most two passwords at once).
const MEMORY_POOL: usize = 2;

const DUMMY_OUTPUT_LEN: usize = 32;

impl PasswordHasher {
    pub fn new(params: PasswordParams) -> Self {
        // All constructors of PasswordParams yield parameters Argon2 accepts; the fallback to
        // the (stronger) OWASP defaults only guards that invariant without panicking.
        let (params, argon_params) = match params.argon2_params() {
            Ok(p) => (params, p),
            Err(_) => (PasswordParams::owasp(), Params::DEFAULT),
        };
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
        let mut hasher = Self { params, argon2, dummy_phc: None, memory: Mutex::new(Vec::new()) };
        let dummy = SecretString::from(crate::token::random_token());
        hasher.dummy_phc = hasher.hash(&dummy).ok();
        hasher
    }

    pub fn params(&self) -> PasswordParams {
        self.params
    }

    /// Runs Argon2 with pooled working memory, wiped after use.
    fn compute(&self, argon2: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), CryptoError> {
        let needed = argon2.params().block_count();
        let mut blocks = self
            .memory
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .filter(|b| b.len() >= needed)
            .unwrap_or_else(|| vec![Block::default(); needed]);
        let result = argon2.hash_password_into_with_memory(password, salt, out, &mut blocks[..needed]);
        // What Argon2 derived from the password does not stay in memory.
        blocks[..needed].fill(Block::default());
        if let Ok(mut pool) = self.memory.lock()
            && pool.len() < MEMORY_POOL
        {
            pool.push(blocks);
        }
        result.map_err(|_| CryptoError::PasswordHashFailed)
    }

    /// PHC string with random 16-byte salt.
    pub fn hash(&self, password: &SecretString) -> Result<String, CryptoError> {
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf).map_err(|_| CryptoError::PasswordHashFailed)?;
        let mut out = vec![0u8; self.argon2.params().output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
        self.compute(&self.argon2, password.expose_secret().as_bytes(), salt_bytes, &mut out)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(self.argon2.params()).map_err(|_| CryptoError::PasswordHashFailed)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(&out).map_err(|_| CryptoError::PasswordHashFailed)?),
        };
        Ok(phc.to_string())
    }

    /// Verifies against a PHC string (any Argon2 params encoded in it). Ok(true/false); malformed PHC -> Err.
    pub fn verify(&self, password: &SecretString, phc: &str) -> Result<bool, CryptoError> {
        let parsed = parse_argon2_phc(phc)?;
        fn malformed<E>(_: E) -> CryptoError {
            CryptoError::MalformedPasswordHash
        }
        let algorithm = Algorithm::try_from(parsed.algorithm).map_err(malformed)?;
        let version = parsed.version.map(Version::try_from).transpose().map_err(malformed)?.unwrap_or_default();
        let params = Params::try_from(&parsed).map_err(malformed)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(CryptoError::MalformedPasswordHash);
        };
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf).map_err(malformed)?;
        let argon2 = Argon2::new(algorithm, version, params);
        let mut out = vec![0u8; expected.len()];
        self.compute(&argon2, password.expose_secret().as_bytes(), salt_bytes, &mut out)?;
        // `Output` compares in constant time.
        Ok(Output::new(&out).map_err(malformed)? == expected)
    }

    /// Same cost as a real verify, against a fixed dummy hash made with these params at construction; always false. Used for unknown emails so timing does not reveal which accounts exist.
    pub fn verify_dummy(&self, password: &SecretString) -> bool {
        match &self.dummy_phc {
            Some(phc) => {
                let _ = self.verify(password, phc);
            }
            None => {
                // Unreachable in practice; still spend the same Argon2 work.
                let mut salt = [0u8; 16];
                OsRng.fill_bytes(&mut salt);
                let mut out = [0u8; DUMMY_OUTPUT_LEN];
                let _ = self.argon2.hash_password_into(password.expose_secret().as_bytes(), &salt, &mut out);
            }
        }
        false
    }

    /// True when a stored PHC uses weaker params than this hasher's (rehash on next login).
    ///
    /// Also true for another Argon2 variant or version, and for a PHC that cannot be parsed.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(parsed) = parse_argon2_phc(phc) else {
            return true;
        };
        let Ok(stored) = Params::try_from(&parsed) else {
            return true;
        };
        parsed.algorithm != Algorithm::Argon2id.ident()
            || parsed.version != Some(Version::V0x13.into())
            || stored.m_cost() < self.params.m_cost
            || stored.t_cost() < self.params.t_cost
            || parsed.hash.is_none_or(|h| h.len() < DUMMY_OUTPUT_LEN)
    }
}

/// Parses a PHC string and checks that it is an Argon2 hash with salt and output.
fn parse_argon2_phc(phc: &str) -> Result<PasswordHash<'_>, CryptoError> {
    let parsed = PasswordHash::new(phc).map_err(|_| CryptoError::MalformedPasswordHash)?;
    if Algorithm::try_from(parsed.algorithm).is_err() || parsed.salt.is_none() || parsed.hash.is_none() {
        return Err(CryptoError::MalformedPasswordHash);
    }
    Ok(parsed)
}

impl fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHasher").field("params", &self.params).finish_non_exhaustive()
    }
}
