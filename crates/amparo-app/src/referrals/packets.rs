//! Referral packets between installations: the consented fields sealed to the partner's age
//! key and signed with this installation's Ed25519 key (see `amparo_crypto::identity`).
//! The payload is exactly `{"fields": [...], "values": {...}, "urgency": "..."}`: the
//! consented fields and nothing else (the sender's reason, names of staff and the person's
//! id here never travel).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use amparo_crypto::{PacketError, PublicIdentity};
use amparo_domain::referrals::{ReferralDirection, ReferralId, ReferralStatus, ReferralUrgency};
use amparo_domain::{Action, DomainError, OrgId};
use amparo_store::{AuditOutcome, ReferralRow};

use super::referral::{codes_of, parse_fields, status_of};
use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

/// A packet is valid for this long unless asked otherwise.
pub const PACKET_DAYS_DEFAULT: i64 = 14;
/// And never longer than this (nor past the consent's own expiry).
pub const PACKET_DAYS_MAX: i64 = 90;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    fields: Vec<String>,
    values: Map<String, Value>,
    urgency: String,
}

impl Amparo {
    /// Makes the packet of an outgoing referral to a partner on another installation. The
    /// consent is asked again now; the packet expires on `expires_on` (default in 14 days),
    /// never later than 90 days ahead nor after the consent expires.
    pub async fn pack_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
        expires_on: Option<NaiveDate>,
    ) -> AppResult<Vec<u8>> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::HandleReferrals, "referral.pack").await?;
        let row = self.inner.store.referral(id).await?.filter(|r| r.org == org).ok_or(AppError::NotFound)?;
        let person = row.person.ok_or(AppError::NotFound)?;
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::Refer, "referral.pack").await?;
        if row.direction != ReferralDirection::Outgoing.code()
            || !matches!(status_of(&row)?, ReferralStatus::Sent | ReferralStatus::Accepted)
        {
            return Err(AppError::Refused("referral_status_change"));
        }
        let partner_id = row.partner.ok_or(AppError::NotFound)?;
        let partner = self.inner.store.partner(partner_id).await?.ok_or(AppError::NotFound)?;
        let recipient: PublicIdentity = partner
            .public_key
            .as_deref()
            .and_then(|k| k.parse().ok())
            .ok_or(AppError::Refused("partner_not_remote"))?;
        let fields = parse_fields(&row.fields)?;
        let (_, consent_expires) =
            self.consent_covering(caller, person, org, partner_id, &fields, "referral.pack").await?;
        let today = self.now().date_naive();
        let wanted = expires_on.unwrap_or(today + Duration::days(PACKET_DAYS_DEFAULT));
        let expires = wanted.min(today + Duration::days(PACKET_DAYS_MAX)).min(consent_expires);
        let values: Map<String, Value> = match &row.shared {
            Some(s) => open_json(&self.referral_key(&row)?, "referrals", "shared", *id.as_uuid(), s)?,
            None => return Err(AppError::Refused("referral_status_change")),
        };
        // Only what the consent covers, even if the stored copy were ever wider.
        let codes = codes_of(&fields);
        let values: Map<String, Value> = values.into_iter().filter(|(k, _)| codes.contains(k)).collect();
        let payload = Payload { fields: codes, values, urgency: row.urgency.clone() };
        let plain =
            zeroize::Zeroizing::new(serde_json::to_vec(&payload).map_err(|_| AppError::Integrity("encode".into()))?);
        let identity = self.identity_keys().await?;
        let packet = identity.seal_packet(&recipient, *id.as_uuid(), expires, &plain)?;
        let mut d = self.record_draft(caller, "referral.pack", AuditOutcome::Ok, "referral", *id.as_uuid());
        d.org = Some(org);
        d.detail = Some(format!("expires.{expires}"));
        self.inner.auditor.record(vec![d]).await?;
        Ok(packet)
    }

    /// Files a packet from another installation in the inbox of the organisation whose
    /// directory knows the sender (the caller's; for the operator the one named, or the only
    /// one that knows it). Refuses modified, misaddressed, expired and unknown-sender packets.
    pub async fn unpack_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        packet: &[u8],
    ) -> AppResult<ReferralId> {
        let wanted_org = match caller {
            Caller::User { actor, .. } => Some(actor.org),
            Caller::Operator => operator_org,
        };
        if let Some(org) = wanted_org {
            self.require_org(caller, org, Action::HandleReferrals, "referral.unpack").await?;
        }
        let identity = self.identity_keys().await?;
        let opened = match identity.open_packet(packet, self.now().date_naive()) {
            Ok(o) => o,
            Err(e) => return Err(self.packet_refused(caller, wanted_org, e).await),
        };
        let sender = opened.sender.to_string();
        let mut known = self.inner.store.partners_with_public_key(&sender).await?;
        if let Some(org) = wanted_org {
            known.retain(|p| p.org == org);
        }
        let partner = match known.as_slice() {
            [] => return Err(self.packet_refused(caller, wanted_org, PacketError::UnknownSender).await),
            [one] => one.clone(),
            [first, rest @ ..] => {
                if rest.iter().any(|p| p.org != first.org) {
                    // Several organisations here know the sender: the operator must say which.
                    return Err(AppError::invalid("org", DomainError::InvalidOrganisationName));
                }
                first.clone()
            }
        };
        let payload: Payload = match serde_json::from_slice(&opened.payload) {
            Ok(p) => p,
            Err(_) => return Err(self.packet_refused(caller, Some(partner.org), PacketError::Malformed).await),
        };
        let fields = parse_fields(&payload.fields)?;
        let codes = codes_of(&fields);
        // Nothing beyond the fields the packet declares (which the sender's consent covered).
        if payload.values.keys().any(|k| !codes.contains(k)) || ReferralUrgency::from_code(&payload.urgency).is_err() {
            return Err(self.packet_refused(caller, Some(partner.org), PacketError::Malformed).await);
        }
        let id = ReferralId::new();
        let (key, wrapped_key) = self.new_referral_key(partner.org, id);
        let now = self.now();
        let row = ReferralRow {
            id,
            org: partner.org,
            direction: ReferralDirection::Incoming.code().to_owned(),
            partner: Some(partner.id),
            from_org: None,
            counterpart: None,
            remote_id: Some(opened.referral),
            person: None,
            case: None,
            consent: None,
            fields: codes,
            urgency: payload.urgency.clone(),
            status: ReferralStatus::Sent.code().to_owned(),
            wrapped_key,
            reason: seal_json(&key, "referrals", "reason", *id.as_uuid(), &"")?,
            shared: Some(seal_json(&key, "referrals", "shared", *id.as_uuid(), &payload.values)?),
            status_note: None,
            expires_on: Some(opened.expires_on),
            created_by: caller.user(),
            created_at: now,
            sent_at: Some(now),
            accepted_at: None,
            declined_at: None,
            completed_at: None,
            withdrawn_at: None,
            version: 1,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_referral(&row).await?;
        let mut d = self.record_draft(caller, "referral.unpack", AuditOutcome::Ok, "referral", *id.as_uuid());
        d.org = Some(partner.org);
        d.detail = Some(format!("partner.{}", partner.id));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    async fn packet_refused(&self, caller: &Caller, org: Option<OrgId>, e: PacketError) -> AppError {
        let mut d = self.draft(caller, "referral.unpack", AuditOutcome::Denied);
        d.org = org;
        d.detail = Some(e.code().to_owned());
        match self.inner.auditor.record(vec![d]).await {
            Ok(()) => AppError::Refused(e.code()),
            Err(err) => err,
        }
    }
}
