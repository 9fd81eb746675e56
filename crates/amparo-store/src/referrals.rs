//! Rows of the partner network: the installation's identity, the partner directory and
//! referrals. Survivor data in a referral (its reason, the shared field values, a decline
//! reason) is ciphertext under the referral's own data key, wrapped by the owning
//! organisation's key-encryption key.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::referrals::{PartnerId, ReferralId};
use amparo_domain::{CaseId, ConsentId, OrgId, PersonId, UserId};

/// The installation's identity: the public line in clear, the private keys sealed with the
/// key ring's installation-secret key. One row per installation.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityRow {
    pub public_line: String,
    pub secret: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for IdentityRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityRow").field("public_line", &self.public_line).finish_non_exhaustive()
    }
}

/// An entry of an organisation's partner directory. Nothing here is survivor data, so it
/// is kept in clear (it is what the directory is searched by).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerRow {
    pub id: PartnerId,
    pub org: OrgId,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// ISO 3166-2 subdivision, if given.
    pub region: Option<String>,
    /// `ServiceCategory` codes.
    pub services: Vec<String>,
    /// Language codes (`es`, `en`, `mam`, …).
    pub languages: Vec<String>,
    /// `Population` codes.
    pub populations: Vec<String>,
    pub contact: String,
    /// Another installation's identity line (referrals travel as packets)…
    pub public_key: Option<String>,
    /// …or another organisation on this installation (referrals land in its inbox).
    pub target_org: Option<OrgId>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// A referral as one organisation holds it. An outgoing one names the person referred; an
/// incoming one names nobody until it is accepted (then the person and case it created or
/// was linked to).
#[derive(Clone, PartialEq, Eq)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub org: OrgId,
    /// `ReferralDirection` code.
    pub direction: String,
    /// Outgoing: the partner referred to. Incoming from a packet: the sender's directory entry.
    pub partner: Option<PartnerId>,
    /// Incoming from another organisation of this installation: that organisation.
    pub from_org: Option<OrgId>,
    /// The other side's row of a referral within this installation.
    pub counterpart: Option<ReferralId>,
    /// Incoming from a packet: the sender's referral id (one packet files one referral).
    pub remote_id: Option<Uuid>,
    pub person: Option<PersonId>,
    pub case: Option<CaseId>,
    /// Outgoing: the consent that covered it when it was sent.
    pub consent: Option<ConsentId>,
    /// `ConsentField` codes shared.
    pub fields: Vec<String>,
    /// `ReferralUrgency` code.
    pub urgency: String,
    /// `ReferralStatus` code.
    pub status: String,
    /// The referral's data key, wrapped by the organisation's key-encryption key.
    pub wrapped_key: Vec<u8>,
    /// Sealed JSON: why the person is referred.
    pub reason: Vec<u8>,
    /// Sealed JSON: the shared fields' values, copied when it was sent (None for a draft).
    pub shared: Option<Vec<u8>>,
    /// Sealed JSON: why it was declined or withdrawn.
    pub status_note: Option<Vec<u8>>,
    /// Incoming from a packet: the packet's expiry.
    pub expires_on: Option<NaiveDate>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl std::fmt::Debug for ReferralRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferralRow")
            .field("id", &self.id)
            .field("direction", &self.direction)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}
