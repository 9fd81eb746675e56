//! The partner network: this installation's identity, the partner directory, consent-gated
//! referrals and the packets that carry them between installations (DESIGN.md §6).

mod directory;
mod packets;
mod referral;

use amparo_crypto::{FieldAad, InstallationIdentity, PublicIdentity};
use amparo_domain::{Action, Denied, OrgId, Resource, authorize};
use amparo_store::{AuditOutcome, IdentityRow};

use crate::{Amparo, AppError, AppResult, Caller};

pub use amparo_crypto::identity::MAX_PACKET_BYTES;
pub use directory::{PartnerInput, PartnerQuery, PartnerView};
pub use referral::{AcceptInput, ReferralInput, ReferralView};

/// Where the identity's private keys are bound when sealed.
const IDENTITY_AAD: FieldAad<'static> = FieldAad { table: "installation_identity", column: "secret", row: b"1" };

impl Amparo {
    /// This installation's public identity, created on first use (at `amparo init`, or the
    /// first time an older data directory is asked). The line is public: partners type it in.
    pub async fn installation_identity(&self) -> AppResult<PublicIdentity> {
        Ok(self.identity_keys().await?.public())
    }

    /// The private keys, opened from their sealed copy; created and stored if there is none.
    pub(crate) async fn identity_keys(&self) -> AppResult<InstallationIdentity> {
        if let Some(row) = self.inner.store.installation_identity().await? {
            return self.open_identity(&row);
        }
        let fresh = InstallationIdentity::generate();
        let row = IdentityRow {
            public_line: fresh.public().to_string(),
            secret: self.inner.keys.seal_secret(&IDENTITY_AAD, &fresh.to_secret()),
            created_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        let created = tx.insert_installation_identity(&row).await?;
        let mut d = self.draft(&Caller::Operator, "identity.create", AuditOutcome::Ok);
        d.detail = Some(fresh.public().fingerprint());
        if created {
            self.inner.auditor.commit_with(tx, &[d]).await?;
            return Ok(fresh);
        }
        drop(tx);
        // Another process made one first: use that one.
        let row = self.inner.store.installation_identity().await?.ok_or(AppError::NotFound)?;
        self.open_identity(&row)
    }

    fn open_identity(&self, row: &IdentityRow) -> AppResult<InstallationIdentity> {
        let secret = self.inner.keys.open_secret(&IDENTITY_AAD, &row.secret)?;
        let identity = InstallationIdentity::from_secret(&secret)?;
        if identity.public().to_string() != row.public_line {
            return Err(AppError::Integrity("installation_identity".into()));
        }
        Ok(identity)
    }

    /// Refuses (and audits) an organisation-level action of the partner network.
    pub(crate) async fn require_org(&self, caller: &Caller, org: OrgId, action: Action, code: &str) -> AppResult<()> {
        let Caller::User { actor, .. } = caller else { return Ok(()) };
        match authorize(actor, action, Resource::Organisation(org)) {
            Ok(()) => Ok(()),
            Err(reason) => Err(self.denied(caller, code, reason).await),
        }
    }

    /// The organisation a caller acts for: its own, or for the operator the one named.
    pub(crate) fn org_of(caller: &Caller, operator_org: Option<OrgId>) -> AppResult<OrgId> {
        match caller {
            Caller::User { actor, .. } => Ok(actor.org),
            Caller::Operator => operator_org.ok_or(AppError::Forbidden(Denied::OtherOrganisation)),
        }
    }
}
