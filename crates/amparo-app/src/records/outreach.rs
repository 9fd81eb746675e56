//! Logging contact with a person. Never by a channel the person has not confirmed as safe.

use amparo_domain::records::ContactChannel;
use amparo_domain::{Action, PersonId, Section};
use amparo_store::{AuditOutcome, OutreachRow};
use uuid::Uuid;

use super::model::SafeContact;
use super::open_json;
use crate::{Amparo, AppError, AppResult, Caller};

impl Amparo {
    /// Logs an outreach on `channel`; refused (`Refused("channel_not_safe")`) unless the
    /// person marked that channel safe.
    pub async fn log_outreach(&self, caller: &Caller, person: PersonId, channel: &str) -> AppResult<Uuid> {
        let channel: ContactChannel = channel.parse().map_err(|e| AppError::invalid("channel", e))?;
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::WriteRecord(Section::Safety), "outreach.create").await?;
        let key = self.person_key(&record.person)?;
        let prefs: Vec<SafeContact> = match &record.person.safe_contact {
            Some(s) => open_json(&key, "persons", "safe_contact", *person.as_uuid(), s)?,
            None => Vec::new(),
        };
        let safe = prefs.iter().any(|p| p.channel == Some(channel) && p.safe);
        let org = record.person.org;
        if !safe {
            let mut d = self.record_draft(caller, "outreach.create", AuditOutcome::Denied, "person", *person.as_uuid());
            d.org = Some(org);
            d.detail = Some(format!("channel_not_safe.{}", channel.code()));
            self.inner.auditor.record(vec![d]).await?;
            return Err(AppError::Refused("channel_not_safe"));
        }
        let id = Uuid::new_v4();
        let row = OutreachRow {
            id,
            org,
            person,
            channel: channel.code().to_owned(),
            at: self.now(),
            by: match caller {
                Caller::User { actor, .. } => Some(actor.user),
                Caller::Operator => None,
            },
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_outreach(&row).await?;
        // Contact made: "no contact for N days" counts from today on every case of the person.
        tx.record_contact(person, None, row.at.date_naive()).await?;
        let mut d = self.record_draft(caller, "outreach.create", AuditOutcome::Ok, "person", *person.as_uuid());
        d.org = Some(org);
        d.detail = Some(format!("channel.{}", channel.code()));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    /// The outreach log of a person, newest first.
    pub async fn outreach_log(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<OutreachRow>> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::ReadRecord(Section::Safety), "outreach.read").await?;
        Ok(self.inner.store.outreach_of_person(person, 100).await?)
    }
}
