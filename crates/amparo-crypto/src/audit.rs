//! Keys for the tamper-evident audit chain: each entry's hash links to the previous one, and
//! the chain head is checkpointed outside the database under a separate MAC.

use std::fmt;

use hmac::Mac;
use subtle::ConstantTimeEq;

use crate::secret::Key256;

/// Audit chain keys. Links and checkpoints use distinct HKDF subkeys, so a value computed for
/// one can never be replayed as the other.
pub struct AuditKey {
    link: Key256,
    checkpoint: Key256,
}

const CHECKPOINT_LABEL: &[u8] = b"amparo/v1/audit-checkpoint";

impl AuditKey {
    pub(crate) fn new(link: Key256, checkpoint: Key256) -> Self {
        Self { link, checkpoint }
    }

    #[cfg(test)]
    pub(crate) fn link_key(&self) -> &Key256 {
        &self.link
    }

    #[cfg(test)]
    pub(crate) fn checkpoint_key(&self) -> &Key256 {
        &self.checkpoint
    }

    /// HMAC-SHA256(audit key, len(prev)||prev||canonical) -> 32 bytes.
    ///
    /// `len(prev)` is the length of `prev_hash` as 8 big-endian bytes.
    pub fn link(&self, prev_hash: &[u8], canonical: &[u8]) -> [u8; 32] {
        let mut mac = self.link.hmac();
        mac.update(&(prev_hash.len() as u64).to_be_bytes());
        mac.update(prev_hash);
        mac.update(canonical);
        mac.finalize().into_bytes().into()
    }

    /// Keyed MAC for the out-of-database checkpoint of the chain head (distinct domain separation from link).
    pub fn checkpoint_mac(&self, seq: i64, head_hash: &[u8]) -> [u8; 32] {
        let mut mac = self.checkpoint.hmac();
        mac.update(CHECKPOINT_LABEL);
        mac.update(&seq.to_be_bytes());
        mac.update(&(head_hash.len() as u64).to_be_bytes());
        mac.update(head_hash);
        mac.finalize().into_bytes().into()
    }

    /// Constant-time check of a checkpoint MAC.
    pub fn verify_checkpoint_mac(&self, seq: i64, head_hash: &[u8], mac: &[u8]) -> bool {
        self.checkpoint_mac(seq, head_hash).ct_eq(mac).into()
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use crate::{KeyRing, MasterKey};

    #[test]
    fn link_depends_on_key_prev_and_canonical() {
        let ring = KeyRing::new(&MasterKey::generate());
        let a = ring.audit();
        let h = a.link(&[0u8; 32], b"entry");
        assert_eq!(h, a.link(&[0u8; 32], b"entry"));
        assert_ne!(h, a.link(&[1u8; 32], b"entry"));
        assert_ne!(h, a.link(&[0u8; 32], b"entrx"));
        // The length prefix keeps the prev/canonical boundary unambiguous.
        assert_ne!(a.link(b"ab", b"c"), a.link(b"a", b"bc"));
        let other = KeyRing::new(&MasterKey::generate());
        assert_ne!(h, other.audit().link(&[0u8; 32], b"entry"));
    }

    #[test]
    fn checkpoint_mac_verifies_and_is_separate_from_link() {
        let ring = KeyRing::new(&MasterKey::generate());
        let a = ring.audit();
        let head = a.link(&[], b"genesis");
        let mac = a.checkpoint_mac(1, &head);
        assert!(a.verify_checkpoint_mac(1, &head, &mac));
        assert!(!a.verify_checkpoint_mac(2, &head, &mac));
        assert!(!a.verify_checkpoint_mac(1, &[0u8; 32], &mac));
        assert!(!a.verify_checkpoint_mac(1, &head, &mac[..31]));
        let mut bad = mac;
        bad[0] ^= 1;
        assert!(!a.verify_checkpoint_mac(1, &head, &bad));
        assert_ne!(mac, a.link(&head, &1i64.to_be_bytes()));
    }
}
