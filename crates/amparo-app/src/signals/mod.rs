//! Hotline signals: the public tip form's reports and the calls, texts and chats a hotline
//! worker logs, in one triage queue. A signal belongs to no person yet, so it has a data key
//! of its own, wrapped by the organisation's key exactly as a person's is (DESIGN.md §3);
//! what was reported, the offered contact and the notes are sealed with it.
//!
//! A web tip is received on the `public` channel: no actor, and nothing about the request
//! (address, browser, headers) is kept. The sender's address is used only in memory, by the
//! rate limiter, and never leaves [`Amparo::submit_tip`].

mod settings;

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use amparo_crypto::DataKey;
use amparo_domain::records::{Answer, ContactChannel};
use amparo_domain::signals::{
    self, SignalChannel, SignalId, SignalOutcome, SignalProblem, SignalStatus, TipContact, Urgency,
};
use amparo_domain::{Action, Actor, CaseId, DomainError, OrgId, Resource, UserId, authorize};
use amparo_store::{AuditDraft, AuditOutcome, SignalQuery, SignalRow};

use crate::records::{CaseFields, PersonFields, SafeContact, open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller, Channel};

pub use settings::{Hotline, TipsConfig, default_hotlines};

const TABLE: &str = "signals";
/// Signals shown in the queue at most (the oldest urgent ones come first).
pub const QUEUE_LIMIT: i64 = 200;

/// What the public tip form sends.
#[derive(Clone, Default)]
pub struct TipInput {
    pub message: String,
    pub contact_channel: Option<ContactChannel>,
    pub contact: String,
    pub safe_times: String,
    /// The language the form was shown in.
    pub language: Option<String>,
}

impl std::fmt::Debug for TipInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TipInput(<redacted>)")
    }
}

/// A call, text, chat, e-mail or walk-in a hotline worker logs.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSignal {
    pub channel: String,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub concerns: Vec<String>,
    /// What the caller said.
    pub text: String,
    #[serde(default)]
    pub notes: Option<String>,
}

impl std::fmt::Debug for NewSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSignal").field("channel", &self.channel).finish_non_exhaustive()
    }
}

/// A triage: a field left out stays as it is.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalTriage {
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub concerns: Option<Vec<String>>,
    /// Replaces the notes (blank clears them).
    #[serde(default)]
    pub notes: Option<String>,
    /// The case to link (with outcome `linked_to_case`).
    #[serde(default)]
    pub case_id: Option<CaseId>,
}

impl std::fmt::Debug for SignalTriage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignalTriage").field("outcome", &self.outcome).finish_non_exhaustive()
    }
}

/// Opening a case from a signal, through the ordinary intake.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFromSignal {
    /// The name the person wants to be called (intake needs a name or an alias).
    pub alias: String,
    #[serde(default)]
    pub language: Option<String>,
    /// Carry the contact the sender offered into the person's safe-contact preferences.
    #[serde(default)]
    pub use_offered_contact: bool,
}

impl std::fmt::Debug for CaseFromSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseFromSignal(<redacted>)")
    }
}

/// Filters of the queue (codes; None: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SignalFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
}

/// A signal as a permitted reader sees it.
#[derive(Clone, Serialize)]
pub struct SignalView {
    pub id: SignalId,
    pub version: i64,
    pub channel: String,
    pub urgency: String,
    pub status: String,
    pub outcome: Option<String>,
    pub language: Option<String>,
    pub region: Option<String>,
    pub concerns: Vec<String>,
    pub case_id: Option<CaseId>,
    /// What was reported; left out of lists that do not open it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How the sender may be reached, as they offered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<TipContact>,
    pub received_at: DateTime<Utc>,
    pub received_by: Option<UserId>,
    pub triaged_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for SignalView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignalView").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

/// The case a signal led to.
#[derive(Clone, Debug, Serialize)]
pub struct SignalCase {
    pub signal: SignalView,
    pub case_id: CaseId,
    pub case_number: String,
    pub person_id: amparo_domain::PersonId,
}

fn invalid(field: &'static str, e: impl Into<DomainError>) -> AppError {
    AppError::invalid(field, e.into())
}

fn code<T>(field: &'static str, value: &str, parse: fn(&str) -> Result<T, DomainError>) -> AppResult<T> {
    parse(value.trim()).map_err(|e| invalid(field, e))
}

fn opt_code(
    field: &'static str,
    value: Option<&str>,
    parse: fn(&str) -> Result<Option<String>, DomainError>,
) -> AppResult<Option<String>> {
    value.map_or(Ok(None), |v| parse(v).map_err(|e| invalid(field, e)))
}

fn concern_codes(codes: &[String]) -> AppResult<Vec<String>> {
    let parsed = signals::concerns(codes).map_err(|e| invalid("concerns", e))?;
    Ok(parsed.into_iter().map(|c| c.code().to_owned()).collect())
}

fn seal_text(key: &DataKey, column: &str, id: SignalId, text: &str) -> AppResult<Vec<u8>> {
    seal_json(key, TABLE, column, *id.as_uuid(), &text)
}

impl Amparo {
    /// The organisation a public form posts to: a configured page's, else the default (the
    /// configured one, or the installation's only organisation).
    pub async fn tip_organisation(&self, page: Option<&str>) -> AppResult<OrgId> {
        let tips = &self.inner.config.tips;
        let name = match page {
            Some(slug) => tips.pages.iter().find(|(s, _)| s == slug).map(|(_, name)| name.clone()),
            None => tips.default_organisation.clone(),
        };
        match name {
            Some(name) => self.inner.store.organisation_by_name(&name).await?.map(|o| o.id).ok_or(AppError::NotFound),
            None if page.is_none() => match self.inner.store.organisations().await?.as_slice() {
                [only] => Ok(only.id),
                _ => Err(AppError::NotFound),
            },
            None => Err(AppError::NotFound),
        }
    }

    /// A tip from the public form. `address` only feeds the in-memory rate limiter.
    pub async fn submit_tip(&self, org: OrgId, tip: TipInput, address: IpAddr) -> AppResult<SignalId> {
        let now = self.now();
        if let Err(wait) = self.inner.tip_limit.attempt(address, now) {
            return Err(AppError::TooManyAttempts { retry_after_secs: wait });
        }
        let message = signals::message(&tip.message).map_err(|e| invalid("message", e))?;
        let contact = TipContact::from_form(tip.contact_channel, &tip.contact, &tip.safe_times).map_err(|e| {
            let field = match e {
                SignalProblem::ContactIncomplete if tip.contact_channel.is_none() => "contact_channel",
                _ => "contact",
            };
            invalid(field, e)
        })?;
        let language = opt_code("language", tip.language.as_deref(), signals::language)?;
        let id = SignalId::new();
        let key = DataKey::generate();
        let row = SignalRow {
            id,
            org,
            channel: SignalChannel::WebTip.code().to_owned(),
            // Untriaged: a hotline worker decides how urgent it is.
            urgency: Urgency::Routine.code().to_owned(),
            status: SignalStatus::New.code().to_owned(),
            outcome: None,
            language,
            region: None,
            concerns: Vec::new(),
            case: None,
            wrapped_key: self.inner.keys.org(org).wrap_signal_key(id, &key),
            text: seal_text(&key, "text", id, &message)?,
            contact: contact.map(|c| seal_json(&key, TABLE, "contact", *id.as_uuid(), &c)).transpose()?,
            notes: None,
            received_at: now,
            received_by: None,
            triaged_by: None,
            triaged_at: None,
            version: 1,
            updated_at: now,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_signal(&row).await?;
        // Channel `public`, no actor, no address: the entry says a tip came, nothing of who.
        let mut d = AuditDraft::new(now, Channel::Public.code(), "signal.tip", AuditOutcome::Ok);
        d.org = Some(org);
        d.target_kind = Some("signal".into());
        d.target_id = Some(*id.as_uuid());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    /// The actor, if they may work the hotline queue of their organisation (refusals audited).
    async fn signal_handler(&self, caller: &Caller, action: &str) -> AppResult<Actor> {
        match caller {
            Caller::User { actor, .. } => match authorize(actor, Action::HandleSignals, Resource::Signals(actor.org)) {
                Ok(()) => Ok(*actor),
                Err(reason) => Err(self.denied(caller, action, reason).await),
            },
            // Signals are triaged by people; the command line has no business reading them.
            Caller::Operator => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        }
    }

    /// A signal of the actor's organisation; another organisation's is "not found".
    async fn load_signal(&self, actor: &Actor, id: SignalId) -> AppResult<SignalRow> {
        match self.inner.store.signal(id).await? {
            Some(row) if row.org == actor.org => Ok(row),
            _ => Err(AppError::NotFound),
        }
    }

    fn signal_draft(&self, caller: &Caller, action: &str, row: &SignalRow) -> AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "signal", *row.id.as_uuid());
        d.org = Some(row.org);
        d
    }

    fn signal_key(&self, row: &SignalRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_signal_key(row.id, &row.wrapped_key)?)
    }

    /// What a reader sees; `open` decides whether the sealed parts are opened.
    fn signal_view(&self, row: &SignalRow, open: bool) -> AppResult<SignalView> {
        let (mut text, mut notes, mut contact) = (None, None, None);
        if open {
            let key = self.signal_key(row)?;
            let id = *row.id.as_uuid();
            text = Some(open_json::<String>(&key, TABLE, "text", id, &row.text)?);
            notes = row.notes.as_deref().map(|n| open_json::<String>(&key, TABLE, "notes", id, n)).transpose()?;
            contact =
                row.contact.as_deref().map(|c| open_json::<TipContact>(&key, TABLE, "contact", id, c)).transpose()?;
        }
        Ok(SignalView {
            id: row.id,
            version: row.version,
            channel: row.channel.clone(),
            urgency: row.urgency.clone(),
            status: row.status.clone(),
            outcome: row.outcome.clone(),
            language: row.language.clone(),
            region: row.region.clone(),
            concerns: row.concerns.clone(),
            case_id: row.case,
            text,
            notes,
            contact,
            received_at: row.received_at,
            received_by: row.received_by,
            triaged_at: row.triaged_at,
        })
    }

    /// The queue: most urgent first, then the longest waiting. With `open`, each signal's
    /// text is decrypted, and each one so read is audited; without, only codes are shown and
    /// the listing itself is audited.
    pub async fn signals(&self, caller: &Caller, filter: &SignalFilter, open: bool) -> AppResult<Vec<SignalView>> {
        let actor = self.signal_handler(caller, "signal.list").await?;
        let check = |field: &'static str, v: &Option<String>, known: fn(&str) -> bool| match v.as_deref() {
            Some(c) if !c.is_empty() && !known(c) => Err(invalid(field, DomainError::UnknownCode)),
            Some("") | None => Ok(None),
            Some(c) => Ok(Some(c.to_owned())),
        };
        let query = SignalQuery {
            org: actor.org,
            status: check("status", &filter.status, |c| SignalStatus::from_code(c).is_ok())?,
            urgency: check("urgency", &filter.urgency, |c| Urgency::from_code(c).is_ok())?,
            channel: check("channel", &filter.channel, |c| SignalChannel::from_code(c).is_ok())?,
            region: opt_code("region", filter.region.as_deref(), signals::region)?,
            limit: QUEUE_LIMIT,
        };
        let rows = self.inner.store.signals(&query).await?;
        let drafts: Vec<AuditDraft> = if open {
            rows.iter().map(|r| self.signal_draft(caller, "signal.read", r)).collect()
        } else {
            let mut d =
                self.record_draft(caller, "signal.list", AuditOutcome::Ok, "organisation", *actor.org.as_uuid());
            d.org = Some(actor.org);
            vec![d]
        };
        // Audited before anything is handed out (fail closed).
        if self.inner.config.audit_reads || !open {
            self.inner.auditor.record(drafts).await?;
        }
        rows.iter().map(|r| self.signal_view(r, open)).collect()
    }

    /// One signal, opened. The read is audited.
    pub async fn signal(&self, caller: &Caller, id: SignalId) -> AppResult<SignalView> {
        let actor = self.signal_handler(caller, "signal.read").await?;
        let row = self.load_signal(&actor, id).await?;
        self.audit_read(caller, "signal.read", "signal", *id.as_uuid(), row.org).await?;
        self.signal_view(&row, true)
    }

    /// A hotline worker logs a call, text, chat, e-mail or walk-in.
    pub async fn log_signal(&self, caller: &Caller, input: NewSignal) -> AppResult<SignalView> {
        let actor = self.signal_handler(caller, "signal.create").await?;
        let channel = code("channel", &input.channel, SignalChannel::from_code)?;
        let urgency = match input.urgency.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(u) => code("urgency", u, Urgency::from_code)?,
            None => Urgency::Routine,
        };
        let text = signals::message(&input.text).map_err(|e| invalid("text", e))?;
        let notes = signals::notes(input.notes.as_deref().unwrap_or_default()).map_err(|e| invalid("notes", e))?;
        let id = SignalId::new();
        let key = DataKey::generate();
        let now = self.now();
        let row = SignalRow {
            id,
            org: actor.org,
            channel: channel.code().to_owned(),
            urgency: urgency.code().to_owned(),
            // Logged by a hotline worker who has just heard it: triaged as it is logged.
            status: SignalStatus::Triaged.code().to_owned(),
            outcome: None,
            language: opt_code("language", input.language.as_deref(), signals::language)?,
            region: opt_code("region", input.region.as_deref(), signals::region)?,
            concerns: concern_codes(&input.concerns)?,
            case: None,
            wrapped_key: self.inner.keys.org(actor.org).wrap_signal_key(id, &key),
            text: seal_text(&key, "text", id, &text)?,
            contact: None,
            notes: notes.map(|n| seal_text(&key, "notes", id, &n)).transpose()?,
            received_at: now,
            received_by: Some(actor.user),
            triaged_by: Some(actor.user),
            triaged_at: Some(now),
            version: 1,
            updated_at: now,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_signal(&row).await?;
        self.inner.auditor.commit_with(tx, &[self.signal_draft(caller, "signal.create", &row)]).await?;
        self.signal_view(&row, true)
    }

    /// Records a triage: urgency, outcome, notes, codes; or links a case (the caller must be
    /// able to see it). Version-checked.
    pub async fn triage_signal(
        &self,
        caller: &Caller,
        id: SignalId,
        version: Option<i64>,
        t: SignalTriage,
    ) -> AppResult<SignalView> {
        let actor = self.signal_handler(caller, "signal.triage").await?;
        let row = self.load_signal(&actor, id).await?;
        let Some(version) = version.filter(|v| *v == row.version) else { return Err(AppError::Conflict) };
        let mut next = row.clone();
        next.version = version;
        if let Some(u) = t.urgency.as_deref().filter(|u| !u.trim().is_empty()) {
            next.urgency = code("urgency", u, Urgency::from_code)?.code().to_owned();
        }
        if let Some(l) = &t.language {
            next.language = opt_code("language", Some(l), signals::language)?;
        }
        if let Some(r) = &t.region {
            next.region = opt_code("region", Some(r), signals::region)?;
        }
        if let Some(c) = &t.concerns {
            next.concerns = concern_codes(c)?;
        }
        let current =
            row.outcome.as_deref().map(SignalOutcome::from_code).transpose().map_err(|e| invalid("outcome", e))?;
        let outcome = match t.outcome.as_deref().filter(|o| !o.trim().is_empty()) {
            Some(o) => Some(code("outcome", o, SignalOutcome::from_code)?),
            None => current,
        };
        let case = t.case_id.or(if outcome == current { row.case } else { None });
        if outcome == Some(SignalOutcome::OpenedCase) && current != Some(SignalOutcome::OpenedCase) {
            // A case is opened from a signal through intake, never by naming one.
            return Err(invalid("outcome", SignalProblem::OutcomeNeedsCase));
        }
        let status = signals::outcome_change(current, outcome, case.is_some()).map_err(|e| invalid("outcome", e))?;
        if let Some(c) = t.case_id.filter(|c| Some(*c) != row.case) {
            // Linking needs sight of the case: its summary, as any reader of it has (audited).
            self.read_case(caller, c).await?;
        }
        if let Some(n) = &t.notes {
            let notes = signals::notes(n).map_err(|e| invalid("notes", e))?;
            let key = self.signal_key(&row)?;
            next.notes = notes.map(|n| seal_text(&key, "notes", id, &n)).transpose()?;
        }
        next.outcome = outcome.map(|o| o.code().to_owned());
        next.case = case;
        next.status = status.code().to_owned();
        next.triaged_by = Some(actor.user);
        next.triaged_at = Some(self.now());
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_signal(&next).await?;
        let mut d = self.signal_draft(caller, "signal.triage", &saved);
        d.detail = saved.outcome.clone();
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.signal_view(&saved, true)
    }

    /// Opens a case from a signal through the ordinary intake (alias, language, the contact
    /// the sender offered as a safe way to reach them), then records the outcome.
    pub async fn open_case_from_signal(
        &self,
        caller: &Caller,
        id: SignalId,
        version: Option<i64>,
        input: CaseFromSignal,
    ) -> AppResult<SignalCase> {
        let actor = self.signal_handler(caller, "signal.open_case").await?;
        let row = self.load_signal(&actor, id).await?;
        if version != Some(row.version) {
            return Err(AppError::Conflict);
        }
        let current =
            row.outcome.as_deref().map(SignalOutcome::from_code).transpose().map_err(|e| invalid("outcome", e))?;
        signals::outcome_change(current, Some(SignalOutcome::OpenedCase), true).map_err(|e| invalid("outcome", e))?;
        if current == Some(SignalOutcome::OpenedCase) {
            return Err(invalid("outcome", SignalProblem::AlreadyResolved));
        }
        let mut fields = PersonFields {
            alias: Some(Answer::Value(input.alias.trim().to_owned())).filter(|_| !input.alias.trim().is_empty()),
            primary_language: input
                .language
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .or(row.language.as_deref())
                .map(|l| Answer::Value(l.to_owned())),
            ..PersonFields::default()
        };
        if input.use_offered_contact
            && let Some(sealed) = &row.contact
        {
            let offered: TipContact = open_json(&self.signal_key(&row)?, TABLE, "contact", *id.as_uuid(), sealed)?;
            match offered.channel {
                Some(ContactChannel::Email) => fields.email = Some(Answer::Value(offered.contact.clone())),
                Some(ContactChannel::Phone | ContactChannel::Sms | ContactChannel::Whatsapp) => {
                    fields.phone = Some(Answer::Value(offered.contact.clone()));
                }
                _ => {}
            }
            // They chose this way themselves; it is confirmed again at the first contact.
            fields.safe_contact = Some(vec![SafeContact {
                channel: offered.channel,
                safe: true,
                safe_times: offered.safe_times.clone(),
                ..SafeContact::default()
            }]);
        }
        let person = self.create_person(caller, fields).await?;
        let case = self.open_case(caller, person.id, CaseFields::default()).await?;
        let mut next = row.clone();
        next.outcome = Some(SignalOutcome::OpenedCase.code().to_owned());
        next.case = Some(case.id);
        next.status = SignalStatus::Closed.code().to_owned();
        next.triaged_by = Some(actor.user);
        next.triaged_at = Some(self.now());
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_signal(&next).await?;
        let mut d = self.signal_draft(caller, "signal.open_case", &saved);
        d.detail = Some(SignalOutcome::OpenedCase.code().to_owned());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(SignalCase {
            signal: self.signal_view(&saved, true)?,
            case_id: case.id,
            case_number: case.number,
            person_id: person.id,
        })
    }

    /// Links a signal to a case found by its number (the page's way).
    pub async fn link_signal_by_number(
        &self,
        caller: &Caller,
        id: SignalId,
        version: Option<i64>,
        case_number: &str,
    ) -> AppResult<SignalView> {
        self.signal_handler(caller, "signal.triage").await?;
        let case = self.case_by_number(caller, case_number.trim()).await?;
        let t = SignalTriage {
            outcome: Some(SignalOutcome::LinkedToCase.code().to_owned()),
            case_id: Some(case),
            ..SignalTriage::default()
        };
        self.triage_signal(caller, id, version, t).await
    }

    /// The public pages' settings.
    pub fn tips_config(&self) -> &TipsConfig {
        &self.inner.config.tips
    }
}
