//! Outreach and training events: prevention talks, workshops, trainings for professionals and
//! community events. Organisation data, not a survivor's record: every role of the
//! organisation reads the list, and those who run prevention work (volunteers included)
//! record them. Codes, dates and counts stay in clear for the list and the reports; the free
//! notes are sealed with the event's own data key, wrapped by the organisation's key (as a
//! referral's is), because free text can name a school contact or someone who spoke up.
//!
//! Creating, changing, listing and reading are audited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use amparo_crypto::DataKey;
use amparo_domain::events::{self, Attendance, EventKind, EventProblem, EventSetting, OutreachEventId};
use amparo_domain::{Action, Actor, DomainError, Resource, UserId, authorize};
use amparo_store::{AuditDraft, AuditOutcome, OutreachEventQuery, OutreachEventRow};

use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "outreach_events";
/// Events listed at most (a year of a busy prevention team).
pub const LIST_LIMIT: i64 = 1_000;

/// An event as a form or the API sends it. Counts are whole numbers; the date `YYYY-MM-DD`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub kind: String,
    pub held_on: String,
    pub region: String,
    pub setting: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub attendance_total: Option<i64>,
    #[serde(default)]
    pub attendance_women: Option<i64>,
    #[serde(default)]
    pub attendance_men: Option<i64>,
    #[serde(default)]
    pub attendance_youth: Option<i64>,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    /// Free notes (sealed). Blank: none.
    #[serde(default)]
    pub notes: Option<String>,
}

/// The period to list, both ends included (`YYYY-MM-DD`; blank or absent: open).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventPeriod {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// An event as a reader sees it.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct EventView {
    pub id: OutreachEventId,
    pub version: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub region: String,
    pub setting: String,
    pub audiences: Vec<String>,
    pub attendance_total: i64,
    pub attendance_women: Option<i64>,
    pub attendance_men: Option<i64>,
    pub attendance_youth: Option<i64>,
    pub materials: Vec<String>,
    pub languages: Vec<String>,
    /// Left out of lists (they do not open the notes) and when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn invalid(field: &'static str, e: impl Into<DomainError>) -> AppError {
    AppError::invalid(field, e.into())
}

/// The coded parts of an event, checked; the notes apart (they are sealed).
struct Checked {
    kind: EventKind,
    held_on: NaiveDate,
    region: String,
    setting: EventSetting,
    audiences: Vec<String>,
    attendance: Attendance,
    materials: Vec<String>,
    languages: Vec<String>,
    notes: Option<String>,
}

fn check(input: &EventInput) -> AppResult<Checked> {
    let kind = EventKind::from_code(input.kind.trim()).map_err(|e| invalid("kind", e))?;
    let held_on = events::date(&input.held_on).map_err(|e| invalid("held_on", e))?;
    let region = events::region(&input.region).map_err(|e| invalid("region", e))?;
    let setting = EventSetting::from_code(input.setting.trim()).map_err(|e| invalid("setting", e))?;
    let audiences = events::audiences(&input.audiences).map_err(|e| invalid("audiences", e))?;
    let Some(total) = input.attendance_total else {
        return Err(invalid("attendance_total", EventProblem::AttendanceInvalid));
    };
    let attendance =
        Attendance { total, women: input.attendance_women, men: input.attendance_men, youth: input.attendance_youth }
            .check()
            .map_err(|(field, e)| invalid(field, e))?;
    let materials = events::materials(&input.materials).map_err(|e| invalid("materials", e))?;
    let languages = events::languages(&input.languages).map_err(|e| invalid("languages", e))?;
    let notes = events::notes(input.notes.as_deref().unwrap_or_default()).map_err(|e| invalid("notes", e))?;
    Ok(Checked { kind, held_on, region, setting, audiences, attendance, materials, languages, notes })
}

fn opt_date(field: &'static str, v: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => events::date(v).map(Some).map_err(|e| invalid(field, e)),
        None => Ok(None),
    }
}

impl Checked {
    /// Writes the checked values into a row; the notes sealed with `key`.
    fn apply(self, row: &mut OutreachEventRow, key: &DataKey) -> AppResult<()> {
        row.kind = self.kind.code().to_owned();
        row.held_on = self.held_on;
        row.region = self.region;
        row.setting = self.setting.code().to_owned();
        row.audiences = self.audiences;
        row.attendance_total = self.attendance.total;
        row.attendance_women = self.attendance.women;
        row.attendance_men = self.attendance.men;
        row.attendance_youth = self.attendance.youth;
        row.materials = self.materials;
        row.languages = self.languages;
        row.notes = self.notes.map(|n| seal_json(key, TABLE, "notes", *row.id.as_uuid(), &n)).transpose()?;
        Ok(())
    }
}

impl Amparo {
    /// The actor, if their role may do `action` on their organisation's events (refusals audited).
    async fn event_actor(&self, caller: &Caller, action: Action, audit_action: &str) -> AppResult<Actor> {
        match caller {
            Caller::User { actor, .. } => match authorize(actor, action, Resource::Organisation(actor.org)) {
                Ok(()) => Ok(*actor),
                Err(reason) => Err(self.denied(caller, audit_action, reason).await),
            },
            // Events are recorded by people, under their own name.
            Caller::Operator => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        }
    }

    /// An event of the actor's organisation; another organisation's is "not found".
    async fn load_event(&self, actor: &Actor, id: OutreachEventId) -> AppResult<OutreachEventRow> {
        match self.inner.store.outreach_event(id).await? {
            Some(row) if row.org == actor.org => Ok(row),
            _ => Err(AppError::NotFound),
        }
    }

    fn event_key(&self, row: &OutreachEventRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_record_key(TABLE, row.id.as_uuid().as_bytes(), &row.wrapped_key)?)
    }

    fn event_draft(&self, caller: &Caller, action: &str, row: &OutreachEventRow) -> AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, "outreach_event", *row.id.as_uuid());
        d.org = Some(row.org);
        d
    }

    fn event_view(&self, row: &OutreachEventRow, open: bool) -> AppResult<EventView> {
        let notes = match (&row.notes, open) {
            (Some(sealed), true) => {
                Some(open_json::<String>(&self.event_key(row)?, TABLE, "notes", *row.id.as_uuid(), sealed)?)
            }
            _ => None,
        };
        Ok(EventView {
            id: row.id,
            version: row.version,
            kind: row.kind.clone(),
            held_on: row.held_on,
            region: row.region.clone(),
            setting: row.setting.clone(),
            audiences: row.audiences.clone(),
            attendance_total: row.attendance_total,
            attendance_women: row.attendance_women,
            attendance_men: row.attendance_men,
            attendance_youth: row.attendance_youth,
            materials: row.materials.clone(),
            languages: row.languages.clone(),
            notes,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// The organisation's events held in the period, by date (oldest first), without notes.
    /// Every role of the organisation may list them; the listing is audited.
    pub async fn outreach_events(&self, caller: &Caller, period: &EventPeriod) -> AppResult<Vec<EventView>> {
        let actor = self.event_actor(caller, Action::ViewEvents, "event.list").await?;
        let from = opt_date("from", period.from.as_deref())?;
        let to = opt_date("to", period.to.as_deref())?;
        let (from, to) = events::period(from, to).map_err(|e| invalid("to", e))?;
        let rows = self
            .inner
            .store
            .outreach_events(&OutreachEventQuery { org: actor.org, from, to, limit: LIST_LIMIT })
            .await?;
        let mut d = self.record_draft(caller, "event.list", AuditOutcome::Ok, "organisation", *actor.org.as_uuid());
        d.org = Some(actor.org);
        self.inner.auditor.record(vec![d]).await?;
        rows.iter().map(|r| self.event_view(r, false)).collect()
    }

    /// One event, with its notes opened. The read is audited.
    pub async fn outreach_event(&self, caller: &Caller, id: OutreachEventId) -> AppResult<EventView> {
        let actor = self.event_actor(caller, Action::ViewEvents, "event.read").await?;
        let row = self.load_event(&actor, id).await?;
        self.audit_read(caller, "event.read", "outreach_event", *id.as_uuid(), row.org).await?;
        self.event_view(&row, true)
    }

    /// Records an event.
    pub async fn record_outreach_event(&self, caller: &Caller, input: EventInput) -> AppResult<EventView> {
        let actor = self.event_actor(caller, Action::RecordEvents, "event.create").await?;
        let checked = check(&input)?;
        let id = OutreachEventId::new();
        let key = DataKey::generate();
        let now = self.now();
        let mut row = OutreachEventRow {
            id,
            org: actor.org,
            kind: String::new(),
            held_on: NaiveDate::MIN,
            region: String::new(),
            setting: String::new(),
            audiences: Vec::new(),
            attendance_total: 0,
            attendance_women: None,
            attendance_men: None,
            attendance_youth: None,
            materials: Vec::new(),
            languages: Vec::new(),
            wrapped_key: self.inner.keys.org(actor.org).wrap_record_key(TABLE, id.as_uuid().as_bytes(), &key),
            notes: None,
            created_by: actor.user,
            created_at: now,
            updated_by: actor.user,
            version: 1,
            updated_at: now,
        };
        checked.apply(&mut row, &key)?;
        let mut tx = self.inner.store.begin().await?;
        tx.insert_outreach_event(&row).await?;
        let mut d = self.event_draft(caller, "event.create", &row);
        d.detail = Some(row.kind.clone());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.event_view(&row, true)
    }

    /// Corrects an event, with the version read (missing or stale: conflict).
    pub async fn update_outreach_event(
        &self,
        caller: &Caller,
        id: OutreachEventId,
        version: Option<i64>,
        input: EventInput,
    ) -> AppResult<EventView> {
        let actor = self.event_actor(caller, Action::RecordEvents, "event.update").await?;
        let row = self.load_event(&actor, id).await?;
        if version != Some(row.version) {
            return Err(AppError::Conflict);
        }
        let checked = check(&input)?;
        let key = self.event_key(&row)?;
        let mut next = row.clone();
        checked.apply(&mut next, &key)?;
        next.updated_by = actor.user;
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_outreach_event(&next).await?;
        let mut d = self.event_draft(caller, "event.update", &saved);
        d.detail = Some(saved.kind.clone());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.event_view(&saved, true)
    }
}

// The notes are free text (sealed at rest): never printed.
impl std::fmt::Debug for EventInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventInput").field("kind", &self.kind).field("held_on", &self.held_on).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for EventView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventView").field("id", &self.id).field("version", &self.version).finish_non_exhaustive()
    }
}
