//! Referrals: made from a person's record to a partner, carrying only what a valid consent
//! covers, answered in the partner's inbox (accept: a person and case here; decline: a reason).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use amparo_crypto::DataKey;
use amparo_domain::records::ConsentField;
use amparo_domain::referrals::{
    ConsentOnFile, ConsentRefusal, PartnerId, ReferralDirection, ReferralId, ReferralProblem, ReferralStatus,
    ReferralUrgency, consent_for_referral,
};
use amparo_domain::{Action, CaseId, ConsentId, DomainError, OrgId, PersonId, Section};
use amparo_store::{AuditDraft, AuditOutcome, ReferralRow};

use crate::records::{CaseFields, PersonFields, may, open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const MAX_REASON: usize = 2000;
/// The longest list a page or the API shows at once.
pub(crate) const LIST_LIMIT: i64 = 500;

/// A new referral, as the page and the API give it.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralInput {
    pub person_id: PersonId,
    #[serde(default)]
    pub case_id: Option<CaseId>,
    pub partner_id: PartnerId,
    /// `ConsentField` codes to share.
    pub fields: Vec<String>,
    pub reason: String,
    /// `ReferralUrgency` code (default `routine`).
    #[serde(default)]
    pub urgency: Option<String>,
    /// Keep it as a draft instead of sending it now.
    #[serde(default)]
    pub draft: bool,
}

impl std::fmt::Debug for ReferralInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferralInput").field("fields", &self.fields).finish_non_exhaustive()
    }
}

/// How an incoming referral is accepted: linked to a case already here, or (none given) a
/// new person and case made from the shared fields through the intake use case.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    #[serde(default)]
    pub case_id: Option<CaseId>,
}

/// A referral as a permitted reader sees it. `shared` and `reason` are left out for readers
/// who may not see the person's record.
#[derive(Clone, Serialize)]
pub struct ReferralView {
    pub id: ReferralId,
    pub direction: String,
    pub status: String,
    pub urgency: String,
    pub partner_id: Option<PartnerId>,
    pub from_organisation_id: Option<OrgId>,
    pub person_id: Option<PersonId>,
    pub case_id: Option<CaseId>,
    pub fields: Vec<String>,
    /// The shared fields' values (field code → value), as copied when it was sent.
    pub shared: Option<Map<String, Value>>,
    /// The sender's own note of why (outgoing only; it does not travel).
    pub reason: Option<String>,
    /// Why it was declined or withdrawn.
    pub status_note: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub declined_at: Option<chrono::DateTime<chrono::Utc>>,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
}

impl std::fmt::Debug for ReferralView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferralView").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

/// The fields of a person's record that map to consent fields, as `PersonFields` names them.
fn person_keys(field: ConsentField) -> &'static [&'static str] {
    match field {
        ConsentField::Alias => &["alias"],
        ConsentField::GivenName => &["given_name"],
        ConsentField::FamilyName => &["family_name"],
        ConsentField::BirthDate => &["birth_date", "estimated_age"],
        ConsentField::Gender => &["gender"],
        ConsentField::Citizenship => &["citizenship"],
        ConsentField::Languages => &["primary_language", "languages", "interpreter_needed"],
        ConsentField::Phone => &["phone"],
        ConsentField::Email => &["email"],
        ConsentField::Address => &["address"],
        ConsentField::SafeContact => &["safe_contact"],
        ConsentField::Narrative => &["narrative"],
        ConsentField::CaseSummary | ConsentField::Screening | ConsentField::Legal => &[],
    }
}

pub(crate) fn parse_fields(codes: &[String]) -> AppResult<Vec<ConsentField>> {
    let mut out = Vec::new();
    for c in codes {
        let f = ConsentField::from_code(c.trim()).map_err(|e| AppError::invalid("fields", e))?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err(AppError::invalid("fields", DomainError::Referral(ReferralProblem::NoFields)));
    }
    Ok(out)
}

pub(crate) fn codes_of(fields: &[ConsentField]) -> Vec<String> {
    fields.iter().map(|f| f.code().to_owned()).collect()
}

pub(crate) fn status_of(row: &ReferralRow) -> AppResult<ReferralStatus> {
    ReferralStatus::from_code(&row.status).map_err(|_| AppError::Integrity("referrals.status".into()))
}

impl Amparo {
    pub(crate) fn referral_key(&self, row: &ReferralRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_record_key("referrals", row.id.as_bytes(), &row.wrapped_key)?)
    }

    /// A fresh data key for a referral row of `org`, and its wrapped copy.
    pub(crate) fn new_referral_key(&self, org: OrgId, id: ReferralId) -> (DataKey, Vec<u8>) {
        let key = DataKey::generate();
        let wrapped = self.inner.keys.org(org).wrap_record_key("referrals", id.as_bytes(), &key);
        (key, wrapped)
    }

    /// The consent rule, asked on every path (page, API, packet): returns the consent that
    /// covers sharing `fields` with `partner` today, or refuses and audits the refusal.
    pub(crate) async fn consent_covering(
        &self,
        caller: &Caller,
        person: PersonId,
        org: OrgId,
        partner: PartnerId,
        fields: &[ConsentField],
        action: &str,
    ) -> AppResult<(ConsentId, NaiveDate)> {
        let consents = self.inner.store.consents_of_person(person).await?;
        let on_file: Vec<ConsentOnFile> = consents
            .iter()
            .map(|c| ConsentOnFile {
                id: *c.id.as_uuid(),
                recipient_partner: c.recipient_partner.map(PartnerId::from_uuid),
                fields: c.fields.iter().filter_map(|f| ConsentField::from_code(f).ok()).collect(),
                expires_on: c.expires_on,
                revoked: c.revoked_at.is_some(),
            })
            .collect();
        match consent_for_referral(&on_file, partner, fields, self.now().date_naive()) {
            Ok(id) => {
                let c = consents.iter().find(|c| *c.id.as_uuid() == id).ok_or(AppError::NotFound)?;
                Ok((c.id, c.expires_on))
            }
            Err(refusal) => {
                let mut d = self.record_draft(caller, action, AuditOutcome::Denied, "person", *person.as_uuid());
                d.org = Some(org);
                d.detail = Some(refusal.code().to_owned());
                self.inner.auditor.record(vec![d]).await?;
                Err(match refusal {
                    ConsentRefusal::NoFields => {
                        AppError::invalid("fields", DomainError::Referral(ReferralProblem::NoFields))
                    }
                    _ => AppError::Refused("consent_required"),
                })
            }
        }
    }

    /// Refers a person to a partner; sends it at once unless `draft`. Refused (409
    /// `consent_required`) unless a valid consent covers the partner and every field.
    pub async fn create_referral(&self, caller: &Caller, input: ReferralInput) -> AppResult<ReferralId> {
        let record = self.load_record(input.person_id).await?;
        self.require(caller, &record, Action::Refer, "referral.create").await?;
        let org = record.person.org;
        if let Some(c) = input.case_id
            && !record.cases.iter().any(|k| k.id == c)
        {
            return Err(AppError::invalid("case_id", DomainError::UnknownCode));
        }
        let partner = self
            .inner
            .store
            .partner(input.partner_id)
            .await?
            .filter(|p| p.org == org)
            .ok_or(AppError::invalid("partner_id", DomainError::UnknownCode))?;
        let fields = parse_fields(&input.fields)?;
        let urgency = match input.urgency.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => ReferralUrgency::from_code(u).map_err(|e| AppError::invalid("urgency", e))?,
            None => ReferralUrgency::Routine,
        };
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(AppError::invalid("reason", DomainError::InvalidName));
        }
        let (consent, _) =
            self.consent_covering(caller, input.person_id, org, partner.id, &fields, "referral.create").await?;
        let id = ReferralId::new();
        let (key, wrapped_key) = self.new_referral_key(org, id);
        let now = self.now();
        let row = ReferralRow {
            id,
            org,
            direction: ReferralDirection::Outgoing.code().to_owned(),
            partner: Some(partner.id),
            from_org: None,
            counterpart: None,
            remote_id: None,
            person: Some(input.person_id),
            case: input.case_id,
            consent: Some(consent),
            fields: codes_of(&fields),
            urgency: urgency.code().to_owned(),
            status: ReferralStatus::Draft.code().to_owned(),
            wrapped_key,
            reason: seal_json(&key, "referrals", "reason", *id.as_uuid(), &reason)?,
            shared: None,
            status_note: None,
            expires_on: None,
            created_by: caller.user(),
            created_at: now,
            sent_at: None,
            accepted_at: None,
            declined_at: None,
            completed_at: None,
            withdrawn_at: None,
            version: 1,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_referral(&row).await?;
        let mut d = self.record_draft(caller, "referral.create", AuditOutcome::Ok, "referral", *id.as_uuid());
        d.org = Some(org);
        d.detail = Some(format!("person.{}", input.person_id));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        if !input.draft {
            self.send_referral(caller, id).await?;
        }
        Ok(id)
    }

    /// Sends a draft: the consent is asked again, the shared values are copied (sealed) now,
    /// and a partner on this installation finds it in its inbox at once.
    pub async fn send_referral(&self, caller: &Caller, id: ReferralId) -> AppResult<()> {
        let row = self.inner.store.referral(id).await?.ok_or(AppError::NotFound)?;
        let person = row.person.ok_or(AppError::NotFound)?;
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::Refer, "referral.send").await?;
        if row.direction != ReferralDirection::Outgoing.code() || !status_of(&row)?.may_become(ReferralStatus::Sent) {
            return Err(AppError::Refused("referral_status_change"));
        }
        let partner_id = row.partner.ok_or(AppError::NotFound)?;
        let partner = self.inner.store.partner(partner_id).await?.ok_or(AppError::NotFound)?;
        let fields = parse_fields(&row.fields)?;
        let (consent, _) = self.consent_covering(caller, person, row.org, partner_id, &fields, "referral.send").await?;
        let values = self.shared_values(caller, person, row.case, &fields).await?;
        let key = self.referral_key(&row)?;
        let now = self.now();
        let mut sent = ReferralRow {
            status: ReferralStatus::Sent.code().to_owned(),
            consent: Some(consent),
            shared: Some(seal_json(&key, "referrals", "shared", *id.as_uuid(), &values)?),
            sent_at: Some(now),
            ..row.clone()
        };
        let mut tx = self.inner.store.begin().await?;
        let mut drafts = Vec::new();
        if let Some(target) = partner.target_org {
            // A partner on this installation: its inbox gets its own copy under its own key.
            let inbox_id = ReferralId::new();
            let (inbox_key, wrapped_key) = self.new_referral_key(target, inbox_id);
            let incoming = ReferralRow {
                id: inbox_id,
                org: target,
                direction: ReferralDirection::Incoming.code().to_owned(),
                partner: None,
                from_org: Some(row.org),
                counterpart: Some(id),
                remote_id: None,
                person: None,
                case: None,
                consent: None,
                fields: row.fields.clone(),
                urgency: row.urgency.clone(),
                status: ReferralStatus::Sent.code().to_owned(),
                wrapped_key,
                // The reason is the sender's note and stays with the sender.
                reason: seal_json(&inbox_key, "referrals", "reason", *inbox_id.as_uuid(), &"")?,
                shared: Some(seal_json(&inbox_key, "referrals", "shared", *inbox_id.as_uuid(), &values)?),
                status_note: None,
                expires_on: None,
                created_by: None,
                created_at: now,
                sent_at: Some(now),
                accepted_at: None,
                declined_at: None,
                completed_at: None,
                withdrawn_at: None,
                version: 1,
            };
            tx.insert_referral(&incoming).await?;
            sent.counterpart = Some(inbox_id);
            let mut d =
                self.record_draft(caller, "referral.receive", AuditOutcome::Ok, "referral", *inbox_id.as_uuid());
            d.org = Some(target);
            drafts.push(d);
        }
        tx.update_referral(&sent).await?;
        let mut d = self.record_draft(caller, "referral.send", AuditOutcome::Ok, "referral", *id.as_uuid());
        d.org = Some(row.org);
        d.detail = Some(format!("consent.{consent}"));
        drafts.insert(0, d);
        self.inner.auditor.commit_with(tx, &drafts).await
    }

    /// The values of `fields` from the person's record as the caller may read them (a field
    /// the caller's role may not read goes as `null`). Reading them is audited.
    async fn shared_values(
        &self,
        caller: &Caller,
        person: PersonId,
        case: Option<CaseId>,
        fields: &[ConsentField],
    ) -> AppResult<Map<String, Value>> {
        let view = self.read_person(caller, person).await?;
        let all = serde_json::to_value(&view.fields).map_err(|_| AppError::Integrity("encode".into()))?;
        let case_view = match case {
            Some(c) if fields.contains(&ConsentField::CaseSummary) => Some(self.read_case(caller, c).await?),
            _ => None,
        };
        let mut out = Map::new();
        for f in fields {
            let value = match f {
                ConsentField::CaseSummary => match &case_view {
                    Some(c) => {
                        let v = serde_json::to_value(c).map_err(|_| AppError::Integrity("encode".into()))?;
                        // Coded facts only: no team, no ids of this installation's staff.
                        let keep = [
                            "status",
                            "trafficking_status",
                            "exploitation_types",
                            "means_of_control",
                            "recruitment",
                            "countries",
                            "places",
                            "opened_on",
                        ];
                        Value::Object(
                            keep.iter()
                                .filter_map(|k| {
                                    v.get(*k).filter(|x| !x.is_null()).map(|x| ((*k).to_owned(), x.clone()))
                                })
                                .collect(),
                        )
                    }
                    None => Value::Null,
                },
                // Screening results and the legal file are not copied by this version: the
                // consent may name them, but nothing is sent for them (see docs/referrals.md).
                ConsentField::Screening | ConsentField::Legal => Value::Null,
                other => {
                    let keys = person_keys(*other);
                    let mut part = Map::new();
                    for k in keys {
                        if let Some(v) = all.get(*k).filter(|v| !v.is_null()) {
                            part.insert((*k).to_owned(), v.clone());
                        }
                    }
                    Value::Object(part)
                }
            };
            out.insert(f.code().to_owned(), value);
        }
        Ok(out)
    }

    /// The organisation's referrals one way, newest first. Shared values and the sender's
    /// reason are shown to those who may see them (the receiving organisation's referral
    /// handlers for incoming; the person's team or a supervisor for outgoing), and each
    /// showing is audited.
    pub async fn referrals(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        direction: ReferralDirection,
    ) -> AppResult<Vec<ReferralView>> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::HandleReferrals, "referral.list").await?;
        let rows = self.inner.store.referrals(org, direction.code(), LIST_LIMIT).await?;
        let persons: Vec<PersonId> = rows.iter().filter_map(|r| r.person).collect();
        let records = self.load_records(&persons).await?;
        let by_person: HashMap<PersonId, &crate::records::Record> = records.iter().map(|r| (r.person.id, r)).collect();
        let mut out = Vec::with_capacity(rows.len());
        let mut drafts: Vec<AuditDraft> = Vec::new();
        for row in rows {
            let permitted = match direction {
                ReferralDirection::Incoming => true,
                ReferralDirection::Outgoing => row
                    .person
                    .and_then(|p| by_person.get(&p))
                    .is_some_and(|rec| may(rec, caller, Action::Refer).is_ok()),
            };
            let view = self.referral_view(&row, permitted)?;
            if permitted {
                let mut d = self.record_draft(caller, "referral.read", AuditOutcome::Ok, "referral", *row.id.as_uuid());
                d.org = Some(org);
                drafts.push(d);
            }
            out.push(view);
        }
        if !drafts.is_empty() && self.inner.config.audit_reads {
            self.inner.auditor.record(drafts).await?;
        }
        Ok(out)
    }

    /// One referral of the caller's organisation, audited.
    pub async fn referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
    ) -> AppResult<ReferralView> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::HandleReferrals, "referral.read").await?;
        let row = self.inner.store.referral(id).await?.filter(|r| r.org == org).ok_or(AppError::NotFound)?;
        let permitted = match row.person {
            Some(p) if row.direction == ReferralDirection::Outgoing.code() => {
                may(&self.load_record(p).await?, caller, Action::Refer).is_ok()
            }
            _ => true,
        };
        let view = self.referral_view(&row, permitted)?;
        if permitted {
            self.audit_read(caller, "referral.read", "referral", *id.as_uuid(), org).await?;
        }
        Ok(view)
    }

    fn referral_view(&self, row: &ReferralRow, permitted: bool) -> AppResult<ReferralView> {
        let rid = *row.id.as_uuid();
        let key = if permitted { Some(self.referral_key(row)?) } else { None };
        let open_text = |col: &str, v: &Option<Vec<u8>>| -> AppResult<Option<String>> {
            match (&key, v) {
                (Some(k), Some(v)) => Ok(Some(open_json::<String>(k, "referrals", col, rid, v)?)),
                _ => Ok(None),
            }
        };
        let outgoing = row.direction == ReferralDirection::Outgoing.code();
        Ok(ReferralView {
            id: row.id,
            direction: row.direction.clone(),
            status: row.status.clone(),
            urgency: row.urgency.clone(),
            partner_id: row.partner,
            from_organisation_id: row.from_org,
            person_id: row.person,
            case_id: row.case,
            fields: row.fields.clone(),
            shared: match (&key, &row.shared) {
                (Some(k), Some(s)) => Some(open_json(k, "referrals", "shared", rid, s)?),
                _ => None,
            },
            reason: if outgoing { open_text("reason", &Some(row.reason.clone()))? } else { None },
            status_note: open_text("status_note", &row.status_note)?,
            expires_on: row.expires_on,
            created_at: row.created_at,
            sent_at: row.sent_at,
            accepted_at: row.accepted_at,
            declined_at: row.declined_at,
            completed_at: row.completed_at,
            withdrawn_at: row.withdrawn_at,
            version: row.version,
        })
    }

    /// Loads a referral of the caller's organisation that goes `direction`, for a change.
    async fn referral_for_change(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
        direction: Option<ReferralDirection>,
        code: &str,
    ) -> AppResult<ReferralRow> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::HandleReferrals, code).await?;
        let row = self.inner.store.referral(id).await?.filter(|r| r.org == org).ok_or(AppError::NotFound)?;
        if direction.is_some_and(|d| d.code() != row.direction) {
            return Err(AppError::Refused("referral_status_change"));
        }
        Ok(row)
    }

    /// Moves a referral (and its other side on this installation) to `next`, in one
    /// transaction with its audit entry.
    async fn change_status(
        &self,
        caller: &Caller,
        row: ReferralRow,
        next: ReferralStatus,
        note: Option<&str>,
        link: Option<(PersonId, CaseId)>,
        code: &str,
    ) -> AppResult<()> {
        if !status_of(&row)?.may_become(next) {
            return Err(AppError::Refused("referral_status_change"));
        }
        let now = self.now();
        let apply = |r: &ReferralRow, with_note: Option<Vec<u8>>| {
            let mut r = ReferralRow { status: next.code().to_owned(), ..r.clone() };
            match next {
                ReferralStatus::Accepted => r.accepted_at = Some(now),
                ReferralStatus::Declined => r.declined_at = Some(now),
                ReferralStatus::Completed => r.completed_at = Some(now),
                ReferralStatus::Withdrawn => r.withdrawn_at = Some(now),
                ReferralStatus::Sent => r.sent_at = Some(now),
                ReferralStatus::Draft => {}
            }
            if with_note.is_some() {
                r.status_note = with_note;
            }
            r
        };
        let seal_note = |r: &ReferralRow| -> AppResult<Option<Vec<u8>>> {
            match note {
                Some(n) => {
                    Ok(Some(seal_json(&self.referral_key(r)?, "referrals", "status_note", *r.id.as_uuid(), &n)?))
                }
                None => Ok(None),
            }
        };
        let mut mine = apply(&row, seal_note(&row)?);
        if let Some((p, c)) = link {
            mine.person = Some(p);
            mine.case = Some(c);
        }
        let mut tx = self.inner.store.begin().await?;
        tx.update_referral(&mine).await?;
        let mut drafts = Vec::new();
        let mut d = self.record_draft(caller, code, AuditOutcome::Ok, "referral", *row.id.as_uuid());
        d.org = Some(row.org);
        drafts.push(d);
        if let Some(other_id) = row.counterpart
            && let Some(other) = self.inner.store.referral(other_id).await?
            && status_of(&other)?.may_become(next)
        {
            // The other side sees the answer (and a decline's reason) at once.
            let theirs = apply(&other, seal_note(&other)?);
            tx.update_referral(&theirs).await?;
            let mut d = self.record_draft(caller, code, AuditOutcome::Ok, "referral", *other.id.as_uuid());
            d.org = Some(other.org);
            drafts.push(d);
        }
        self.inner.auditor.commit_with(tx, &drafts).await
    }

    /// Accepts an incoming referral: links it to a case here, or makes a new person (from
    /// the shared fields, through intake) and opens a case for them. Returns both.
    pub async fn accept_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
        input: AcceptInput,
    ) -> AppResult<(PersonId, CaseId)> {
        let row = self
            .referral_for_change(caller, operator_org, id, Some(ReferralDirection::Incoming), "referral.accept")
            .await?;
        if !status_of(&row)?.may_become(ReferralStatus::Accepted) {
            return Err(AppError::Refused("referral_status_change"));
        }
        let link = match input.case_id {
            Some(c) => {
                let case = self.inner.store.case(c).await?.filter(|k| k.org == row.org);
                let case = case.ok_or(AppError::invalid("case_id", DomainError::UnknownCode))?;
                let record = self.load_record(case.person).await?;
                self.require(caller, &record, Action::WriteRecord(Section::Summary), "referral.accept").await?;
                (case.person, c)
            }
            None => {
                let shared: Map<String, Value> = match &row.shared {
                    Some(s) => open_json(&self.referral_key(&row)?, "referrals", "shared", *id.as_uuid(), s)?,
                    None => Map::new(),
                };
                // The shared person fields, as the sender's record had them.
                let mut person = Map::new();
                for v in shared.values() {
                    if let Value::Object(part) = v {
                        for (k, x) in part {
                            if [
                                "alias",
                                "given_name",
                                "family_name",
                                "birth_date",
                                "estimated_age",
                                "gender",
                                "citizenship",
                                "primary_language",
                                "languages",
                                "interpreter_needed",
                                "phone",
                                "email",
                                "address",
                                "safe_contact",
                                "narrative",
                            ]
                            .contains(&k.as_str())
                            {
                                person.insert(k.clone(), x.clone());
                            }
                        }
                    }
                }
                let fields: PersonFields = serde_json::from_value(Value::Object(person))
                    .map_err(|_| AppError::invalid("shared", DomainError::UnknownCode))?;
                let created = self.create_person(caller, fields).await?;
                let case = self.open_case(caller, created.id, CaseFields::default()).await?;
                (created.id, case.id)
            }
        };
        self.change_status(caller, row, ReferralStatus::Accepted, None, Some(link), "referral.accept").await?;
        Ok(link)
    }

    /// Declines an incoming referral with a reason (which the sender sees when it is on this
    /// installation).
    pub async fn decline_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
        reason: &str,
    ) -> AppResult<()> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(AppError::invalid("reason", DomainError::InvalidName));
        }
        let row = self
            .referral_for_change(caller, operator_org, id, Some(ReferralDirection::Incoming), "referral.decline")
            .await?;
        self.change_status(caller, row, ReferralStatus::Declined, Some(reason), None, "referral.decline").await
    }

    /// Withdraws an outgoing referral (the survivor changed their mind, or it was a mistake).
    pub async fn withdraw_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let row = self
            .referral_for_change(caller, operator_org, id, Some(ReferralDirection::Outgoing), "referral.withdraw")
            .await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if reason.is_some_and(|r| r.chars().count() > MAX_REASON) {
            return Err(AppError::invalid("reason", DomainError::InvalidName));
        }
        self.change_status(caller, row, ReferralStatus::Withdrawn, reason, None, "referral.withdraw").await
    }

    /// Marks an accepted referral completed (either side).
    pub async fn complete_referral(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        id: ReferralId,
    ) -> AppResult<()> {
        let row = self.referral_for_change(caller, operator_org, id, None, "referral.complete").await?;
        self.change_status(caller, row, ReferralStatus::Completed, None, None, "referral.complete").await
    }
}
