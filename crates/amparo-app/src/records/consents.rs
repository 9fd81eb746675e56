//! The consent ledger: to whom, which fields, for what, until when, how given; revocable.
//! Expired or revoked consent stays visible and blocks sharing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_domain::records::deadlines;
use amparo_domain::records::{ConsentField, ConsentGivenAs, PersonFieldError};
use amparo_domain::{Action, ConsentId, DomainError, PersonId, Section};
use amparo_store::{AuditOutcome, ConsentRow};

use super::{open_json, seal_json};
use crate::casework::current_case;
use crate::{Amparo, AppError, AppResult, Caller};

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    #[serde(default)]
    pub recipient_partner_id: Option<Uuid>,
    #[serde(default)]
    pub recipient_name: Option<String>,
    pub fields: Vec<String>,
    pub purpose: String,
    pub expires_on: NaiveDate,
    pub given_as: String,
}

impl std::fmt::Debug for ConsentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentInput")
            .field("fields", &self.fields)
            .field("expires_on", &self.expires_on)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Serialize)]
pub struct ConsentView {
    pub id: ConsentId,
    pub recipient_partner_id: Option<Uuid>,
    pub recipient_name: Option<String>,
    pub fields: Vec<String>,
    pub purpose: String,
    pub expires_on: NaiveDate,
    pub given_as: String,
    pub given_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Valid now: not revoked and not past its expiry date.
    pub valid: bool,
}

impl std::fmt::Debug for ConsentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentView").field("id", &self.id).field("valid", &self.valid).finish_non_exhaustive()
    }
}

fn bad(field: &'static str, e: PersonFieldError) -> AppError {
    AppError::invalid(field, DomainError::PersonField(e))
}

impl Amparo {
    /// Records a consent given by the person.
    pub async fn record_consent(&self, caller: &Caller, person: PersonId, input: ConsentInput) -> AppResult<ConsentId> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::WriteRecord(Section::Consent), "consent.create").await?;
        let today = self.now().date_naive();
        if input.expires_on < today {
            return Err(bad("expires_on", PersonFieldError::ConsentExpiryInPast));
        }
        if (input.expires_on - today).num_days() > self.inner.config.max_consent_days {
            return Err(bad("expires_on", PersonFieldError::ConsentTooLong));
        }
        let given_as = ConsentGivenAs::from_code(&input.given_as).map_err(|e| AppError::invalid("given_as", e))?;
        if input.fields.is_empty() {
            return Err(AppError::invalid("fields", DomainError::UnknownCode));
        }
        let mut fields = Vec::new();
        for f in &input.fields {
            let f = ConsentField::from_code(f).map_err(|e| AppError::invalid("fields", e))?;
            if !fields.contains(&f.code().to_owned()) {
                fields.push(f.code().to_owned());
            }
        }
        let name = input.recipient_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if input.recipient_partner_id.is_none() == name.is_none() {
            return Err(AppError::invalid("recipient_name", DomainError::InvalidName));
        }
        if input.purpose.trim().is_empty() || input.purpose.chars().count() > 2000 {
            return Err(AppError::invalid("purpose", DomainError::InvalidName));
        }
        let key = self.person_key(&record.person)?;
        let id = ConsentId::new();
        let rid = *id.as_uuid();
        let row = ConsentRow {
            id,
            org: record.person.org,
            person,
            recipient_partner: input.recipient_partner_id,
            recipient_name: name.map(|n| seal_json(&key, "consents", "recipient_name", rid, &n)).transpose()?,
            fields,
            purpose: seal_json(&key, "consents", "purpose", rid, &input.purpose.trim())?,
            expires_on: input.expires_on,
            given_as: given_as.code().to_owned(),
            given_at: self.now(),
            recorded_by: match caller {
                Caller::User { actor, .. } => Some(actor.user),
                Caller::Operator => None,
            },
            revoked_at: None,
        };
        // Ask again before it expires: a task on the person's current case.
        let due: Vec<_> = deadlines::consent_task(row.expires_on, false).into_iter().collect();
        let tasks = self.derived_rows(row.org, person, current_case(&record.cases), rid, &due, None);
        let mut tx = self.inner.store.begin().await?;
        tx.insert_consent(&row).await?;
        tx.replace_derived_tasks(rid, &tasks).await?;
        let mut d = self.record_draft(caller, "consent.create", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("consent.{rid}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    pub async fn revoke_consent(&self, caller: &Caller, person: PersonId, consent: ConsentId) -> AppResult<()> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::WriteRecord(Section::Consent), "consent.revoke").await?;
        let row = self.inner.store.consent(consent).await?.filter(|c| c.person == person).ok_or(AppError::NotFound)?;
        let mut tx = self.inner.store.begin().await?;
        if !tx.revoke_consent(row.id, self.now()).await? {
            return Err(AppError::Conflict);
        }
        // A revoked consent is not asked for again.
        tx.replace_derived_tasks(*row.id.as_uuid(), &[]).await?;
        let mut d = self.record_draft(caller, "consent.revoke", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("consent.{}", row.id));
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// A person's consents, valid or not, newest first.
    pub async fn consents(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<ConsentView>> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::ReadRecord(Section::Consent), "consent.read").await?;
        let key = self.person_key(&record.person)?;
        let today = self.now().date_naive();
        let mut out = Vec::new();
        for c in self.inner.store.consents_of_person(person).await? {
            let rid = *c.id.as_uuid();
            out.push(ConsentView {
                id: c.id,
                recipient_partner_id: c.recipient_partner,
                recipient_name: c
                    .recipient_name
                    .as_ref()
                    .map(|n| open_json(&key, "consents", "recipient_name", rid, n))
                    .transpose()?,
                fields: c.fields,
                purpose: open_json(&key, "consents", "purpose", rid, &c.purpose)?,
                expires_on: c.expires_on,
                given_as: c.given_as,
                given_at: c.given_at,
                revoked_at: c.revoked_at,
                valid: c.revoked_at.is_none() && c.expires_on >= today,
            });
        }
        self.audit_read(caller, "consent.read", "person", *person.as_uuid(), record.person.org).await?;
        Ok(out)
    }
}
