//! Private self-care check-ins (ProQOL 5, standards §3.2): a staff member or volunteer
//! answers for themselves, and the result is theirs alone.
//!
//! - A store of its own: `wellbeing_checkins`, each person's rows sealed with a data key of
//!   their own (`wellbeing_keys`, wrapped under the organisation's KEK). Answers, subscale
//!   sums and bands are all sealed; only who, when, the instrument and the month are clear.
//! - Only the person reads their results: [`Amparo::my_checkins`] takes no user id, so no
//!   door (page, API, CLI) can ask for someone else's.
//! - Supervisors see [`Amparo::wellbeing_aggregate`]: the mean of each subscale over each
//!   respondent's latest check-in of a month, and nothing (not even the count) when fewer
//!   than five people answered. Opening rows to compute it happens inside this module only.
//! - The audit log says that a check-in happened (who, when, which instrument), never what
//!   it scored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_crypto::DataKey;
use amparo_domain::records::ScreeningProblem;
use amparo_domain::staff::{MIN_WELLBEING_RESPONDENTS, Period, wellbeing_aggregate};
use amparo_domain::{Action, DomainError, OrgId, Resource, authorize};
use amparo_instruments::{Catalogue, Instrument, ScoreError};
use amparo_store::{AuditOutcome, CheckInRow, WellbeingKeyRow};

use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const TABLE: &str = "wellbeing_checkins";
const KEYS: &str = "wellbeing_keys";
/// How many of one's own check-ins the history shows.
const HISTORY: i64 = 60;
/// How many months back the aggregate page offers.
const PERIODS: i64 = 24;

/// A check-in as sent.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// `proqol5`.
    pub instrument: String,
    /// One per item, in item order, 1 to 5.
    pub answers: Vec<i64>,
}

impl std::fmt::Debug for CheckInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckInInput").field("instrument", &self.instrument).finish_non_exhaustive()
    }
}

/// A check-in's result, for its owner only.
#[derive(Clone, Serialize)]
pub struct CheckInView {
    pub id: Uuid,
    pub instrument: String,
    pub instrument_version: String,
    pub taken_at: DateTime<Utc>,
    pub period: String,
    /// Subscale code → sum (`compassion_satisfaction`, `burnout`, `secondary_traumatic_stress`).
    pub subscales: BTreeMap<String, u32>,
    /// Subscale code → `low`, `moderate` or `high`.
    pub bands: BTreeMap<String, String>,
}

impl std::fmt::Debug for CheckInView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckInView").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Sealed as the `sealed` column.
#[derive(Serialize, Deserialize)]
struct Sealed {
    answers: Vec<i64>,
    subscales: BTreeMap<String, u32>,
    bands: BTreeMap<String, String>,
}

/// One subscale of an aggregate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SubscaleMean {
    pub code: String,
    /// Mean sum, to one decimal.
    pub mean: f64,
    /// The band the mean falls in.
    pub band: Option<String>,
}

/// What a supervisor sees of one month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AggregateView {
    pub instrument: String,
    pub period: String,
    /// None when fewer than five people answered: then nothing at all is shown.
    pub respondents: Option<usize>,
    pub subscales: Vec<SubscaleMean>,
    /// The months (newest first) that have enough respondents to be shown.
    pub periods: Vec<String>,
}

/// The staff instruments (a shipped file that does not parse is a defect: 500).
pub fn staff_catalogue() -> AppResult<&'static Catalogue> {
    Catalogue::staff().map_err(|_| AppError::Integrity("instruments".into()))
}

fn refused(e: ScoreError) -> AppError {
    match e {
        ScoreError::OutOfRange { item, .. } => {
            AppError::InvalidField { field: format!("answers.{item}"), problem: DomainError::Screening(e.problem()) }
        }
        _ => AppError::invalid("answers", DomainError::Screening(e.problem())),
    }
}

fn instrument(id: &str) -> AppResult<&'static Instrument> {
    staff_catalogue()?
        .get(id.trim())
        .ok_or(AppError::invalid("instrument", DomainError::Screening(ScreeningProblem::UnknownInstrument)))
}

impl Amparo {
    fn wellbeing_key_of(&self, row: &WellbeingKeyRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_record_key(KEYS, row.user.as_bytes(), &row.wrapped_key)?)
    }

    fn open_checkin(&self, key: &DataKey, row: &CheckInRow) -> AppResult<Sealed> {
        open_json(key, TABLE, "sealed", row.id, &row.sealed)
    }

    /// Answers a check-in for oneself. The operator at the command line has no self.
    pub async fn wellbeing_check_in(&self, caller: &Caller, input: CheckInInput) -> AppResult<CheckInView> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        if let Err(reason) = authorize(actor, Action::CheckInWellbeing, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "wellbeing.checkin", reason).await);
        }
        let instrument = instrument(&input.instrument)?;
        let score = instrument.score_default(&input.answers).map_err(refused)?;
        let now = self.now();
        let id = Uuid::new_v4();
        let period = Period::of(now.date_naive()).code();
        let mut tx = self.inner.store.begin().await?;
        let key = match self.inner.store.wellbeing_key(actor.user).await? {
            Some(row) => self.wellbeing_key_of(&row)?,
            None => {
                let key = DataKey::generate();
                let row = WellbeingKeyRow {
                    user: actor.user,
                    org: actor.org,
                    wrapped_key: self.inner.keys.org(actor.org).wrap_record_key(KEYS, actor.user.as_bytes(), &key),
                };
                if tx.insert_wellbeing_key(&row).await? {
                    key
                } else {
                    // Another check-in of the same person stored a key first: use it.
                    let stored = self.inner.store.wellbeing_key(actor.user).await?.ok_or(AppError::Conflict)?;
                    self.wellbeing_key_of(&stored)?
                }
            }
        };
        let sealed =
            Sealed { answers: input.answers, subscales: score.groups.clone(), bands: score.group_bands.clone() };
        let row = CheckInRow {
            id,
            org: actor.org,
            user: actor.user,
            instrument: instrument.id.clone(),
            instrument_version: instrument.version.clone(),
            period: period.clone(),
            taken_at: now,
            sealed: seal_json(&key, TABLE, "sealed", id, &sealed)?,
        };
        tx.insert_checkin(&row).await?;
        // That it happened, never what it scored.
        let mut d = self.draft(caller, "wellbeing.checkin", AuditOutcome::Ok);
        d.org = Some(actor.org);
        d.target_kind = Some("wellbeing_checkin".into());
        d.target_id = Some(id);
        d.detail = Some(instrument.id.clone());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(CheckInView {
            id,
            instrument: row.instrument,
            instrument_version: row.instrument_version,
            taken_at: now,
            period,
            subscales: score.groups,
            bands: score.group_bands,
        })
    }

    /// One's own check-ins, newest first. There is no way to ask for someone else's.
    pub async fn my_checkins(&self, caller: &Caller) -> AppResult<Vec<CheckInView>> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        let Some(key_row) = self.inner.store.wellbeing_key(actor.user).await? else { return Ok(vec![]) };
        if key_row.org != actor.org {
            return Err(AppError::NotFound);
        }
        let key = self.wellbeing_key_of(&key_row)?;
        let mut out = Vec::new();
        for row in self.inner.store.checkins_of(actor.user, HISTORY).await? {
            let s = self.open_checkin(&key, &row)?;
            out.push(CheckInView {
                id: row.id,
                instrument: row.instrument,
                instrument_version: row.instrument_version,
                taken_at: row.taken_at,
                period: row.period,
                subscales: s.subscales,
                bands: s.bands,
            });
        }
        Ok(out)
    }

    /// One of one's own check-ins (its result page).
    pub async fn my_checkin(&self, caller: &Caller, id: Uuid) -> AppResult<CheckInView> {
        self.my_checkins(caller).await?.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound)
    }

    async fn respondents(&self, org: OrgId, instrument: &str, period: &str) -> AppResult<usize> {
        let n = self.inner.store.checkin_respondents(org, instrument, period).await?;
        usize::try_from(n).map_err(|_| AppError::Integrity("respondents".into()))
    }

    /// The organisation's aggregate for a month (default: this month), for those who may
    /// see it. Fewer than five respondents: no numbers at all.
    pub async fn wellbeing_aggregate(
        &self,
        caller: &Caller,
        instrument_id: &str,
        period: Option<Period>,
    ) -> AppResult<AggregateView> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        if let Err(reason) = authorize(actor, Action::ViewWellbeingAggregates, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "wellbeing.aggregate", reason).await);
        }
        let instrument = instrument(instrument_id)?;
        let period = period.unwrap_or_else(|| Period::of(self.now().date_naive())).code();
        let mut periods = Vec::new();
        for p in self.inner.store.checkin_periods(actor.org, &instrument.id, PERIODS).await? {
            if self.respondents(actor.org, &instrument.id, &p).await? >= MIN_WELLBEING_RESPONDENTS {
                periods.push(p);
            }
        }
        let mut view = AggregateView {
            instrument: instrument.id.clone(),
            period: period.clone(),
            respondents: None,
            subscales: vec![],
            periods,
        };
        let mut d = self.draft(caller, "wellbeing.aggregate", AuditOutcome::Ok);
        d.org = Some(actor.org);
        d.detail = Some(format!("{}.{period}", instrument.id));
        if self.respondents(actor.org, &instrument.id, &period).await? >= MIN_WELLBEING_RESPONDENTS {
            // Each respondent's latest check-in of the month (rows come by user, then time).
            let rows = self.inner.store.checkins_in_period(actor.org, &instrument.id, &period).await?;
            let mut latest: Vec<&CheckInRow> = Vec::new();
            for r in &rows {
                match latest.last_mut() {
                    Some(last) if last.user == r.user => *last = r,
                    _ => latest.push(r),
                }
            }
            let mut sums = Vec::with_capacity(latest.len());
            for r in latest {
                let key_row = self.inner.store.wellbeing_key(r.user).await?.ok_or(AppError::Integrity(KEYS.into()))?;
                let s = self.open_checkin(&self.wellbeing_key_of(&key_row)?, r)?;
                sums.push(s.subscales.into_iter().collect::<Vec<(String, u32)>>());
            }
            let codes: Vec<&str> = instrument.groups.iter().map(|g| g.code.as_str()).collect();
            if let Some(a) = wellbeing_aggregate(&codes, &sums) {
                view.respondents = Some(a.respondents);
                view.subscales = a
                    .means
                    .into_iter()
                    .map(|(code, mean)| {
                        let rounded = (mean * 10.0).round() / 10.0;
                        let band = instrument.groups.iter().find(|g| g.code == code).and_then(|g| {
                            g.bands
                                .iter()
                                .find(|b| mean.round() >= f64::from(b.min) && mean.round() <= f64::from(b.max))
                        });
                        SubscaleMean { band: band.map(|b| b.code.clone()), code, mean: rounded }
                    })
                    .collect();
            }
        }
        self.inner.auditor.record(vec![d]).await?;
        Ok(view)
    }
}
