//! Shelter beds: houses with beds grouped by room, stays (check-in, check-out with a
//! reason), occupancy and availability, a waiting list, house rules given to each resident
//! in their language, and a daily house log.
//!
//! A house is organisation data with a data key of its own, wrapped by the organisation's
//! key like a signal's: its address, rules, log and waiting-list notes are sealed with it.
//! Who may do what is asked of the domain (`ManageShelters`, `ViewShelters`,
//! `ViewShelterAddress`, `HandleStays`, `KeepHouseLog`); checking a person in or putting
//! them on a waiting list is also a change to their record (`WriteRecord(Stay)`), so it
//! takes someone on the person's case team (or a supervisor). Every read and change of a
//! stay, a waiting-list place or the log is audited, against the person where there is one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_crypto::{DataKey, FieldAad};
use amparo_domain::shelters::{
    self, BedId, CheckoutReason, HouseId, HouseKind, HouseLogId, ShelterProblem, StayId, WaitPriority, WaitStatus,
    WaitlistId,
};
use amparo_domain::{Action, Actor, CaseId, DomainError, PersonId, Resource, Section, authorize};
use amparo_store::{
    AuditDraft, AuditOutcome, BedRow, HouseLogRow, HouseRow, HouseRuleRow, StayPlaced, StayRow, WaitlistRow,
};

use crate::records::{Identity, open_json};
use crate::{Amparo, AppError, AppResult, Caller};

const HOUSES: &str = "shelter_houses";
/// Log entries shown on a house page (the newest).
pub const LOG_LIMIT: i64 = 60;

/// A new house.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewHouse {
    pub name: String,
    /// `refuge` or `transitional`.
    pub kind: String,
    /// `Eligibility` codes: women, men, families, minors, non_binary, any.
    pub eligibility: Vec<String>,
    /// Where the house is (sealed; shown only to roles allowed to see it).
    #[serde(default)]
    pub address: Option<String>,
}

impl std::fmt::Debug for NewHouse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewHouse").field("kind", &self.kind).finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBed {
    pub room: String,
    pub label: String,
}

/// A check-in: a bed of the house, a person, maybe one of their cases.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub bed_id: BedId,
    pub person_id: PersonId,
    #[serde(default)]
    pub case_id: Option<CaseId>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckOut {
    /// `CheckoutReason` code.
    pub reason: String,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWaitlistEntry {
    pub person_id: PersonId,
    /// Default today.
    #[serde(default)]
    pub requested_on: Option<NaiveDate>,
    /// `urgent` or `normal` (default).
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl std::fmt::Debug for NewWaitlistEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWaitlistEntry").field("person_id", &self.person_id).finish_non_exhaustive()
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLogEntry {
    /// Default today.
    #[serde(default)]
    pub on_date: Option<NaiveDate>,
    pub text: String,
}

impl std::fmt::Debug for NewLogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewLogEntry").field("on_date", &self.on_date).finish_non_exhaustive()
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRules {
    /// `es`, `en`, or an Indigenous language code of the person form.
    pub language: String,
    pub text: String,
}

impl std::fmt::Debug for NewRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRules").field("language", &self.language).finish_non_exhaustive()
    }
}

/// A house in the list: occupancy and availability, no one named.
#[derive(Clone, Debug, Serialize)]
pub struct HouseSummary {
    pub id: HouseId,
    pub name: String,
    pub kind: String,
    pub eligibility: Vec<String>,
    pub beds: usize,
    pub occupied: usize,
    pub free: usize,
    /// People waiting (for those who handle stays; else null).
    pub waiting: Option<usize>,
}

/// Who is in a bed, as the house's staff see them: an alias or a case number, no more.
#[derive(Clone, Serialize)]
pub struct Occupant {
    pub stay_id: StayId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    pub alias: Option<String>,
    pub case_number: Option<String>,
    pub checked_in_at: DateTime<Utc>,
    pub rules_language: Option<String>,
    pub rules_version: Option<i64>,
}

impl std::fmt::Debug for Occupant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Occupant").field("stay_id", &self.stay_id).finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct BedView {
    pub id: BedId,
    pub room: String,
    pub label: String,
    pub occupied: bool,
    /// Who is in it (for those who handle stays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupant: Option<Occupant>,
}

#[derive(Clone, Serialize)]
pub struct WaitlistView {
    pub id: WaitlistId,
    pub person_id: PersonId,
    pub alias: Option<String>,
    pub case_number: Option<String>,
    pub requested_on: NaiveDate,
    pub priority: String,
    pub notes: Option<String>,
}

impl std::fmt::Debug for WaitlistView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitlistView").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The rules in force in one language (the newest version).
#[derive(Clone, Serialize)]
pub struct RulesView {
    pub language: String,
    pub version: i64,
    pub text: String,
    pub written_at: DateTime<Utc>,
}

impl std::fmt::Debug for RulesView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RulesView").field("language", &self.language).field("version", &self.version).finish()
    }
}

#[derive(Clone, Serialize)]
pub struct LogEntryView {
    pub id: HouseLogId,
    pub on_date: NaiveDate,
    pub text: String,
    pub written_by: Option<amparo_domain::UserId>,
    pub written_at: DateTime<Utc>,
}

impl std::fmt::Debug for LogEntryView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogEntryView").field("id", &self.id).finish_non_exhaustive()
    }
}

/// One house as the reader may see it.
#[derive(Clone, Serialize)]
pub struct HouseView {
    #[serde(flatten)]
    pub summary: HouseSummary,
    /// Where it is: only for roles allowed to see it (else left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub beds: Vec<BedView>,
    pub rules: Vec<RulesView>,
    /// For those who handle stays (else left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist: Option<Vec<WaitlistView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<Vec<LogEntryView>>,
    /// What the reader may do here (for pages).
    #[serde(skip)]
    pub can: HouseCan,
}

impl std::fmt::Debug for HouseView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HouseView").field("id", &self.summary.id).finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HouseCan {
    pub manage: bool,
    pub address: bool,
    pub stays: bool,
    pub log: bool,
}

/// A stay as recorded.
#[derive(Clone, Debug, Serialize)]
pub struct StayView {
    pub id: StayId,
    pub house_id: HouseId,
    /// The house's name, in lists of a person's stays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub house_name: Option<String>,
    pub bed_id: BedId,
    pub person_id: PersonId,
    pub case_id: Option<CaseId>,
    pub checked_in_at: DateTime<Utc>,
    pub rules_language: Option<String>,
    pub rules_version: Option<i64>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub checkout_reason: Option<String>,
}

fn stay_view(r: &StayRow) -> StayView {
    StayView {
        id: r.id,
        house_id: r.house,
        house_name: None,
        bed_id: r.bed,
        person_id: r.person,
        case_id: r.case,
        checked_in_at: r.checked_in_at,
        rules_language: r.rules_language.clone(),
        rules_version: r.rules_version,
        checked_out_at: r.checked_out_at,
        checkout_reason: r.checkout_reason.clone(),
    }
}

fn invalid(field: &'static str, e: impl Into<DomainError>) -> AppError {
    AppError::invalid(field, e.into())
}

/// The AAD row of a rule version: the house, the language and the version together.
fn rule_row(house: HouseId, language: &str, version: i64) -> Vec<u8> {
    let mut row = house.as_bytes().to_vec();
    row.extend_from_slice(&version.to_be_bytes());
    row.extend_from_slice(language.as_bytes());
    row
}

fn seal_text(key: &DataKey, table: &str, column: &str, row: &[u8], text: &str) -> AppResult<Vec<u8>> {
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(text).map_err(|_| AppError::Integrity("encode".into()))?);
    Ok(key.seal(&FieldAad { table, column, row }, &plain))
}

fn open_text(key: &DataKey, table: &str, column: &str, row: &[u8], sealed: &[u8]) -> AppResult<String> {
    let plain = key.open(&FieldAad { table, column, row }, sealed)?;
    serde_json::from_slice(&plain).map_err(|_| AppError::Integrity(format!("{table}.{column}")))
}

impl Amparo {
    /// The actor, if the role may do `action` in its organisation (refusals audited).
    async fn shelter_actor(&self, caller: &Caller, action: Action, code: &str) -> AppResult<Actor> {
        match caller {
            Caller::User { actor, .. } => match authorize(actor, action, Resource::Organisation(actor.org)) {
                Ok(()) => Ok(*actor),
                Err(reason) => Err(self.denied(caller, code, reason).await),
            },
            // Houses are run by people; the command line has no business in them.
            Caller::Operator => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        }
    }

    fn may_shelter(actor: &Actor, action: Action) -> bool {
        authorize(actor, action, Resource::Organisation(actor.org)).is_ok()
    }

    /// A house of the actor's organisation; another organisation's is "not found".
    async fn load_house(&self, actor: &Actor, id: HouseId) -> AppResult<HouseRow> {
        match self.inner.store.house(id).await? {
            Some(h) if h.org == actor.org => Ok(h),
            _ => Err(AppError::NotFound),
        }
    }

    fn house_key(&self, h: &HouseRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(h.org).unwrap_record_key(HOUSES, h.id.as_bytes(), &h.wrapped_key)?)
    }

    fn shelter_draft(&self, caller: &Caller, action: &str, kind: &str, id: Uuid, actor: &Actor) -> AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, kind, id);
        d.org = Some(actor.org);
        d
    }

    /// The houses of the organisation with occupancy and availability.
    pub async fn shelters(&self, caller: &Caller) -> AppResult<Vec<HouseSummary>> {
        let actor = self.shelter_actor(caller, Action::ViewShelters, "shelter.list").await?;
        let houses = self.inner.store.houses(actor.org).await?;
        let beds = self.inner.store.beds(actor.org).await?;
        let stays = self.inner.store.open_stays(actor.org).await?;
        let stays_ok = Self::may_shelter(&actor, Action::HandleStays);
        let mut out = Vec::with_capacity(houses.len());
        for h in &houses {
            let waiting = if stays_ok { Some(self.inner.store.waitlist(h.id).await?.len()) } else { None };
            out.push(summary(h, &beds, &stays, waiting));
        }
        let d = self.shelter_draft(caller, "shelter.list", "organisation", *actor.org.as_uuid(), &actor);
        self.inner.auditor.record(vec![d]).await?;
        Ok(out)
    }

    /// Sets up a house (its address sealed with a key of its own).
    pub async fn create_house(&self, caller: &Caller, input: NewHouse) -> AppResult<HouseId> {
        let actor = self.shelter_actor(caller, Action::ManageShelters, "shelter.create").await?;
        let name = shelters::label(&input.name).map_err(|e| invalid("name", e))?;
        let kind = HouseKind::from_code(input.kind.trim()).map_err(|e| invalid("kind", e))?;
        let eligibility = shelters::eligibility(&input.eligibility).map_err(|e| invalid("eligibility", e))?;
        let address =
            shelters::optional_text(input.address.as_deref().unwrap_or_default()).map_err(|e| invalid("address", e))?;
        let id = HouseId::new();
        let key = DataKey::generate();
        let row = HouseRow {
            id,
            org: actor.org,
            name,
            kind: kind.code().to_owned(),
            eligibility: eligibility.iter().map(|e| e.code().to_owned()).collect(),
            wrapped_key: self.inner.keys.org(actor.org).wrap_record_key(HOUSES, id.as_bytes(), &key),
            address: address.map(|a| seal_text(&key, HOUSES, "address", id.as_bytes(), &a)).transpose()?,
            created_by: Some(actor.user),
            created_at: self.now(),
            version: 1,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_house(&row).await?;
        let d = self.shelter_draft(caller, "shelter.create", "shelter_house", *id.as_uuid(), &actor);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    pub async fn add_bed(&self, caller: &Caller, house: HouseId, input: NewBed) -> AppResult<BedId> {
        let actor = self.shelter_actor(caller, Action::ManageShelters, "shelter.bed.create").await?;
        let h = self.load_house(&actor, house).await?;
        let room = shelters::label(&input.room).map_err(|e| invalid("room", e))?;
        let label = shelters::label(&input.label).map_err(|e| invalid("label", e))?;
        let row = BedRow { id: BedId::new(), house: h.id, org: h.org, room, label, created_at: self.now() };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_bed(&row).await.map_err(|e| match AppError::from(e) {
            AppError::Duplicate => invalid("label", ShelterProblem::LabelTaken),
            other => other,
        })?;
        let mut d = self.shelter_draft(caller, "shelter.bed.create", "shelter_house", *h.id.as_uuid(), &actor);
        d.detail = Some(row.id.to_string());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(row.id)
    }

    /// Saves a new version of the house rules in one language.
    pub async fn set_house_rules(&self, caller: &Caller, house: HouseId, input: NewRules) -> AppResult<i64> {
        let actor = self.shelter_actor(caller, Action::ManageShelters, "shelter.rules.write").await?;
        let h = self.load_house(&actor, house).await?;
        let language = shelters::rule_language(&input.language).map_err(|e| invalid("language", e))?;
        let text = shelters::text(&input.text).map_err(|e| invalid("text", e))?;
        let version =
            self.inner.store.house_rules(h.id).await?.iter().filter(|r| r.language == language).count() as i64 + 1;
        let key = self.house_key(&h)?;
        let row = HouseRuleRow {
            house: h.id,
            org: h.org,
            text: seal_text(&key, "shelter_rules", "text", &rule_row(h.id, &language, version), &text)?,
            language,
            version,
            written_by: Some(actor.user),
            written_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_house_rule(&row).await?;
        let mut d = self.shelter_draft(caller, "shelter.rules.write", "shelter_house", *h.id.as_uuid(), &actor);
        d.detail = Some(format!("{}:{}", row.language, row.version));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(version)
    }

    /// The newest rules per language, opened.
    fn rules_in_force(&self, h: &HouseRow, rows: &[HouseRuleRow]) -> AppResult<Vec<RulesView>> {
        let key = self.house_key(h)?;
        let mut out: Vec<RulesView> = Vec::new();
        for r in rows {
            if rows.iter().any(|o| o.language == r.language && o.version > r.version) {
                continue;
            }
            out.push(RulesView {
                language: r.language.clone(),
                version: r.version,
                text: open_text(&key, "shelter_rules", "text", &rule_row(h.id, &r.language, r.version), &r.text)?,
                written_at: r.written_at,
            });
        }
        Ok(out)
    }

    /// The alias and case number a house shows for a person (nothing else of the record).
    async fn resident_label(
        &self,
        person: PersonId,
        case: Option<CaseId>,
    ) -> AppResult<(Option<String>, Option<String>)> {
        let Some(p) = self.inner.store.person(person).await? else { return Ok((None, None)) };
        let key = self.person_key(&p)?;
        let identity: Identity = open_json(&key, "persons", "identity", *p.id.as_uuid(), &p.identity)?;
        let alias = match identity.alias {
            Some(amparo_domain::records::Answer::Value(a)) => Some(a),
            _ => None,
        };
        // A restricted case's number stays with the people named on it.
        let number = match case {
            Some(c) => self.inner.store.case(c).await?.filter(|c| !c.restricted).map(|c| c.number),
            None => None,
        };
        Ok((alias, number))
    }

    /// One house: beds and who is in them, rules, and — for those allowed — the address, the
    /// waiting list and the log. Each resident, waiting person and the log read is audited.
    pub async fn house(&self, caller: &Caller, id: HouseId) -> AppResult<HouseView> {
        let actor = self.shelter_actor(caller, Action::ViewShelters, "shelter.read").await?;
        let h = self.load_house(&actor, id).await?;
        let can = HouseCan {
            manage: Self::may_shelter(&actor, Action::ManageShelters),
            address: Self::may_shelter(&actor, Action::ViewShelterAddress),
            stays: Self::may_shelter(&actor, Action::HandleStays),
            log: Self::may_shelter(&actor, Action::KeepHouseLog),
        };
        let beds: Vec<BedRow> =
            self.inner.store.beds(actor.org).await?.into_iter().filter(|b| b.house == h.id).collect();
        let stays: Vec<StayRow> =
            self.inner.store.open_stays(actor.org).await?.into_iter().filter(|s| s.house == h.id).collect();
        let waiting = if can.stays { Some(self.inner.store.waitlist(h.id).await?) } else { None };
        let log_rows = if can.stays { Some(self.inner.store.house_log(h.id, LOG_LIMIT).await?) } else { None };

        // Audited before anything is handed out (fail closed).
        let mut drafts = vec![{
            let mut d = self.shelter_draft(caller, "shelter.read", "shelter_house", *h.id.as_uuid(), &actor);
            d.detail = can.address.then(|| "address".to_owned());
            d
        }];
        if can.stays {
            for s in &stays {
                let mut d = self.shelter_draft(caller, "stay.read", "person", *s.person.as_uuid(), &actor);
                d.detail = Some(s.id.to_string());
                drafts.push(d);
            }
            for w in waiting.iter().flatten() {
                let mut d = self.shelter_draft(caller, "waitlist.read", "person", *w.person.as_uuid(), &actor);
                d.detail = Some(w.id.to_string());
                drafts.push(d);
            }
            drafts.push(self.shelter_draft(caller, "shelter.log.read", "shelter_house", *h.id.as_uuid(), &actor));
        }
        self.inner.auditor.record(drafts).await?;

        let key = self.house_key(&h)?;
        let address = match (&h.address, can.address) {
            (Some(a), true) => Some(open_text(&key, HOUSES, "address", h.id.as_bytes(), a)?),
            _ => None,
        };
        let mut bed_views = Vec::with_capacity(beds.len());
        for b in &beds {
            let stay = stays.iter().find(|s| s.bed == b.id);
            let occupant = match (stay, can.stays) {
                (Some(s), true) => {
                    let (alias, case_number) = self.resident_label(s.person, s.case).await?;
                    Some(Occupant {
                        stay_id: s.id,
                        person_id: s.person,
                        case_id: s.case,
                        alias,
                        case_number,
                        checked_in_at: s.checked_in_at,
                        rules_language: s.rules_language.clone(),
                        rules_version: s.rules_version,
                    })
                }
                _ => None,
            };
            bed_views.push(BedView {
                id: b.id,
                room: b.room.clone(),
                label: b.label.clone(),
                occupied: stay.is_some(),
                occupant,
            });
        }
        let waitlist = match waiting {
            Some(rows) => {
                let mut out = Vec::with_capacity(rows.len());
                for w in &rows {
                    let (alias, _) = self.resident_label(w.person, None).await?;
                    let case_number = self
                        .inner
                        .store
                        .cases_of_person(w.person)
                        .await?
                        .into_iter()
                        .rfind(|c| !c.restricted)
                        .map(|c| c.number);
                    out.push(WaitlistView {
                        id: w.id,
                        person_id: w.person,
                        alias,
                        case_number,
                        requested_on: w.requested_on,
                        priority: w.priority.clone(),
                        notes: w
                            .notes
                            .as_deref()
                            .map(|n| open_text(&key, "shelter_waitlist", "notes", w.id.as_bytes(), n))
                            .transpose()?,
                    });
                }
                Some(out)
            }
            None => None,
        };
        let log = match log_rows {
            Some(rows) => Some(
                rows.iter()
                    .map(|r| {
                        Ok(LogEntryView {
                            id: r.id,
                            on_date: r.on_date,
                            text: open_text(&key, "shelter_log", "text", r.id.as_bytes(), &r.text)?,
                            written_by: r.written_by,
                            written_at: r.written_at,
                        })
                    })
                    .collect::<AppResult<Vec<_>>>()?,
            ),
            None => None,
        };
        let rules = self.rules_in_force(&h, &self.inner.store.house_rules(h.id).await?)?;
        let all_beds = self.inner.store.beds(actor.org).await?;
        let all_stays = self.inner.store.open_stays(actor.org).await?;
        Ok(HouseView {
            summary: summary(&h, &all_beds, &all_stays, waitlist.as_ref().map(Vec::len)),
            address,
            beds: bed_views,
            rules,
            waitlist,
            log,
            can,
        })
    }

    /// Checks a person into a bed. Needs the house's work (`HandleStays`) and a change to the
    /// person's record (`WriteRecord(Stay)`): the case team or a supervisor places people.
    /// A taken bed is refused with `bed_occupied` (409), decided by the database, so two
    /// check-ins racing for one bed never both succeed.
    pub async fn check_in(&self, caller: &Caller, house: HouseId, input: CheckIn) -> AppResult<StayView> {
        let actor = self.shelter_actor(caller, Action::HandleStays, "stay.check_in").await?;
        let h = self.load_house(&actor, house).await?;
        let bed = match self.inner.store.bed(input.bed_id).await? {
            Some(b) if b.house == h.id => b,
            _ => return Err(invalid("bed_id", DomainError::UnknownCode)),
        };
        let record = self.load_record(input.person_id).await?;
        self.require(caller, &record, Action::WriteRecord(Section::Stay), "stay.check_in").await?;
        if let Some(c) = input.case_id
            && !record.cases.iter().any(|rc| rc.id == c)
        {
            return Err(invalid("case_id", DomainError::UnknownCode));
        }
        // The rules in force, in the resident's language (else Spanish, else English).
        let rules = self.inner.store.house_rules(h.id).await?;
        let mut languages: Vec<String> = rules.iter().map(|r| r.language.clone()).collect();
        languages.dedup();
        let given =
            shelters::rules_language_for(record.person.primary_language.as_deref(), &languages).map(str::to_owned);
        let version = given.as_deref().and_then(|l| rules.iter().filter(|r| r.language == l).map(|r| r.version).max());
        let now = self.now();
        let row = StayRow {
            id: StayId::new(),
            org: h.org,
            house: h.id,
            bed: bed.id,
            person: record.person.id,
            case: input.case_id,
            checked_in_at: now,
            checked_in_by: Some(actor.user),
            rules_language: given,
            rules_version: version,
            checked_out_at: None,
            checked_out_by: None,
            checkout_reason: None,
        };
        let mut tx = self.inner.store.begin().await?;
        match tx.insert_stay(&row).await? {
            StayPlaced::Placed => {}
            StayPlaced::BedOccupied => return Err(AppError::Refused(ShelterProblem::BedOccupied.code())),
            StayPlaced::PersonAlreadyStaying => return Err(AppError::Refused(ShelterProblem::AlreadyStaying.code())),
        }
        tx.place_waiting(h.id, record.person.id, now).await?;
        let mut d = self.shelter_draft(caller, "stay.check_in", "person", *record.person.id.as_uuid(), &actor);
        d.detail = Some(row.id.to_string());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(stay_view(&row))
    }

    /// Checks a person in by one of their case numbers (the page's way).
    pub async fn check_in_by_case_number(
        &self,
        caller: &Caller,
        house: HouseId,
        bed: BedId,
        number: &str,
    ) -> AppResult<StayView> {
        self.shelter_actor(caller, Action::HandleStays, "stay.check_in").await?;
        let case = self.case_by_number(caller, number.trim()).await?;
        let row = self.inner.store.case(case).await?.ok_or(AppError::NotFound)?;
        self.check_in(caller, house, CheckIn { bed_id: bed, person_id: row.person, case_id: Some(case) }).await
    }

    /// Ends a stay with a reason. The house's staff may always record that someone left.
    pub async fn check_out(&self, caller: &Caller, id: StayId, input: CheckOut) -> AppResult<StayView> {
        let actor = self.shelter_actor(caller, Action::HandleStays, "stay.check_out").await?;
        let reason = CheckoutReason::from_code(input.reason.trim()).map_err(|e| invalid("reason", e))?;
        let stay = match self.inner.store.stay(id).await? {
            Some(s) if s.org == actor.org => s,
            _ => return Err(AppError::NotFound),
        };
        let now = self.now();
        let mut tx = self.inner.store.begin().await?;
        if !tx.check_out(actor.org, id, Some(actor.user), now, reason.code()).await? {
            return Err(AppError::Refused(ShelterProblem::StayClosed.code()));
        }
        let mut d = self.shelter_draft(caller, "stay.check_out", "person", *stay.person.as_uuid(), &actor);
        d.detail = Some(format!("{id}:{}", reason.code()));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let mut out = stay;
        out.checked_out_at = Some(now);
        out.checked_out_by = Some(actor.user);
        out.checkout_reason = Some(reason.code().to_owned());
        Ok(stay_view(&out))
    }

    /// One stay (audited against the person).
    pub async fn stay(&self, caller: &Caller, id: StayId) -> AppResult<StayView> {
        let actor = self.shelter_actor(caller, Action::HandleStays, "stay.read").await?;
        let stay = match self.inner.store.stay(id).await? {
            Some(s) if s.org == actor.org => s,
            _ => return Err(AppError::NotFound),
        };
        self.audit_read(caller, "stay.read", "person", *stay.person.as_uuid(), actor.org).await?;
        Ok(stay_view(&stay))
    }

    /// A person's stays, the most recent first: the `Stay` section of their record (audited).
    pub async fn stays_of_person(&self, caller: &Caller, person: PersonId) -> AppResult<Vec<StayView>> {
        let record = self.load_record(person).await?;
        self.require(caller, &record, Action::ReadRecord(Section::Stay), "stay.list").await?;
        self.audit_read(caller, "stay.list", "person", *person.as_uuid(), record.person.org).await?;
        let houses = self.inner.store.houses(record.person.org).await?;
        Ok(self
            .inner
            .store
            .stays_of_person(person)
            .await?
            .iter()
            .map(|r| StayView {
                house_name: houses.iter().find(|h| h.id == r.house).map(|h| h.name.clone()),
                ..stay_view(r)
            })
            .collect())
    }

    /// Puts a person on a house's waiting list (a change to their record: the case team's).
    pub async fn add_to_waitlist(
        &self,
        caller: &Caller,
        house: HouseId,
        input: NewWaitlistEntry,
    ) -> AppResult<WaitlistId> {
        let actor = self.shelter_actor(caller, Action::HandleStays, "waitlist.add").await?;
        let h = self.load_house(&actor, house).await?;
        let record = self.load_record(input.person_id).await?;
        self.require(caller, &record, Action::WriteRecord(Section::Stay), "waitlist.add").await?;
        let priority = match input.priority.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => WaitPriority::from_code(p).map_err(|e| invalid("priority", e))?,
            None => WaitPriority::Normal,
        };
        let notes =
            shelters::optional_text(input.notes.as_deref().unwrap_or_default()).map_err(|e| invalid("notes", e))?;
        let id = WaitlistId::new();
        let key = self.house_key(&h)?;
        let now = self.now();
        let row = WaitlistRow {
            id,
            org: h.org,
            house: h.id,
            person: record.person.id,
            requested_on: input.requested_on.unwrap_or_else(|| now.date_naive()),
            priority: priority.code().to_owned(),
            notes: notes.map(|n| seal_text(&key, "shelter_waitlist", "notes", id.as_bytes(), &n)).transpose()?,
            status: WaitStatus::Waiting.code().to_owned(),
            added_by: Some(actor.user),
            added_at: now,
            closed_at: None,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_waitlist(&row).await?;
        let mut d = self.shelter_draft(caller, "waitlist.add", "person", *record.person.id.as_uuid(), &actor);
        d.detail = Some(id.to_string());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }

    /// Puts a person on the waiting list by one of their case numbers (the page's way).
    pub async fn add_to_waitlist_by_case_number(
        &self,
        caller: &Caller,
        house: HouseId,
        number: &str,
        priority: &str,
        notes: &str,
    ) -> AppResult<WaitlistId> {
        self.shelter_actor(caller, Action::HandleStays, "waitlist.add").await?;
        let case = self.case_by_number(caller, number.trim()).await?;
        let row = self.inner.store.case(case).await?.ok_or(AppError::NotFound)?;
        let input = NewWaitlistEntry {
            person_id: row.person,
            requested_on: None,
            priority: Some(priority.to_owned()),
            notes: Some(notes.to_owned()),
        };
        self.add_to_waitlist(caller, house, input).await
    }

    /// Takes a person off the waiting list (withdrawn).
    pub async fn withdraw_from_waitlist(&self, caller: &Caller, id: WaitlistId) -> AppResult<()> {
        let actor = self.shelter_actor(caller, Action::HandleStays, "waitlist.withdraw").await?;
        let entry = match self.inner.store.waitlist_entry(id).await? {
            Some(w) if w.org == actor.org => w,
            _ => return Err(AppError::NotFound),
        };
        let mut tx = self.inner.store.begin().await?;
        if !tx.close_waitlist(actor.org, id, WaitStatus::Withdrawn.code(), self.now()).await? {
            return Err(AppError::Conflict);
        }
        let mut d = self.shelter_draft(caller, "waitlist.withdraw", "person", *entry.person.as_uuid(), &actor);
        d.detail = Some(id.to_string());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(())
    }

    /// Writes an entry of the daily house log (sealed).
    pub async fn write_house_log(&self, caller: &Caller, house: HouseId, input: NewLogEntry) -> AppResult<HouseLogId> {
        let actor = self.shelter_actor(caller, Action::KeepHouseLog, "shelter.log.write").await?;
        let h = self.load_house(&actor, house).await?;
        let text = shelters::text(&input.text).map_err(|e| invalid("text", e))?;
        let id = HouseLogId::new();
        let key = self.house_key(&h)?;
        let now = self.now();
        let row = HouseLogRow {
            id,
            house: h.id,
            org: h.org,
            on_date: input.on_date.unwrap_or_else(|| now.date_naive()),
            text: seal_text(&key, "shelter_log", "text", id.as_bytes(), &text)?,
            written_by: Some(actor.user),
            written_at: now,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_house_log(&row).await?;
        let mut d = self.shelter_draft(caller, "shelter.log.write", "shelter_house", *h.id.as_uuid(), &actor);
        d.detail = Some(id.to_string());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(id)
    }
}

/// Occupancy and availability of one house.
fn summary(h: &HouseRow, beds: &[BedRow], stays: &[StayRow], waiting: Option<usize>) -> HouseSummary {
    let bed_count = beds.iter().filter(|b| b.house == h.id).count();
    let occupied = stays.iter().filter(|s| s.house == h.id).count();
    HouseSummary {
        id: h.id,
        name: h.name.clone(),
        kind: h.kind.clone(),
        eligibility: h.eligibility.clone(),
        beds: bed_count,
        occupied,
        free: shelters::free_beds(bed_count, occupied),
        waiting,
    }
}
