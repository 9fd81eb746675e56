//! Key management (DESIGN.md §3, docs/keys.md): rotating the organisations' key-encryption
//! keys, and the gate a sealed installation's server waits behind until an administrator
//! gives the passphrase.
//!
//! A KEK is an HKDF subkey of the master key per organisation and version. Rotation makes a
//! new version the organisation's active one (new data keys are wrapped under it at once),
//! then re-wraps every existing wrapped data key a batch at a time, each batch its own
//! transaction, and retires the old version once no row uses it. Interrupted, it is simply
//! run again: it continues with the rows still on an old version. Data keys themselves do
//! not change, so no sealed field is touched, and the blind-index and audit keys (not KEKs)
//! stay as they are: search and the audit chain are unaffected.

pub mod sealed;

use std::collections::BTreeMap;
use std::time::Duration;

use amparo_crypto::{FIRST_KEK_VERSION, wrapped_key_header, wrapped_key_version};
use amparo_domain::{OrgId, PersonId};
use amparo_store::{AuditDraft, AuditOutcome, KekState, KekVersionRow, WrappedKeyRow, WrappedKeyTable};

use crate::{Amparo, AppError, AppResult, Caller};

/// How a rotation runs.
#[derive(Clone, Debug)]
pub struct RotationOptions {
    /// Only this organisation (all when None).
    pub org: Option<OrgId>,
    /// Rows re-wrapped per transaction.
    pub batch_size: usize,
    /// Stop (as if interrupted) after this many batches: for tests and for spreading a large
    /// rotation over several quiet hours. None: run to the end.
    pub max_batches: Option<usize>,
    /// How long to wait after activating new versions before the sweep, so that running
    /// servers (which reload the versions every [`KEK_REFRESH`]) wrap new keys under them.
    pub settle: Duration,
}

impl Default for RotationOptions {
    fn default() -> Self {
        Self { org: None, batch_size: 500, max_batches: None, settle: Duration::ZERO }
    }
}

/// How often a running server reloads the organisations' KEK versions.
pub const KEK_REFRESH: Duration = Duration::from_secs(10);

/// What a rotation did for one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgRotation {
    pub org: OrgId,
    /// The versions rows were moved away from.
    pub from: Vec<u32>,
    /// The active version.
    pub to: u32,
    /// True when this run continued a rotation an earlier run started.
    pub resumed: bool,
    /// Wrapped keys this run re-wrapped.
    pub rewrapped: u64,
    /// Rows still on an old version (0 once finished).
    pub remaining: i64,
    /// True when the old versions were retired.
    pub finished: bool,
}

/// One organisation's KEK versions, as `keys status` shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgKeyStatus {
    pub org: OrgId,
    pub active: u32,
    pub versions: Vec<KekVersionRow>,
    /// Rows whose wrapped key is on another version than the active one.
    pub not_on_active: i64,
}

fn version_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(FIRST_KEK_VERSION)
}

impl Amparo {
    /// Loads every organisation's active KEK version into the key ring, so that new data
    /// keys are wrapped under it. `serve` calls this at start and every [`KEK_REFRESH`].
    pub async fn load_key_versions(&self) -> AppResult<()> {
        for row in self.inner.store.kek_versions().await? {
            if row.state == KekState::Active {
                self.inner.keys.set_kek_version(row.org, version_u32(row.version));
            }
        }
        Ok(())
    }

    /// Reloads the versions every [`KEK_REFRESH`] for as long as the application lives.
    pub fn spawn_key_version_refresh(&self) {
        let app = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(KEK_REFRESH);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = app.load_key_versions().await {
                    tracing::warn!(error = %e.code(), "could not reload the key versions");
                }
            }
        });
    }

    /// The organisations' KEK versions and how many rows are not on the active one.
    pub async fn key_status(&self, caller: &Caller) -> AppResult<Vec<OrgKeyStatus>> {
        operator_only(caller)?;
        let rows = self.inner.store.kek_versions().await?;
        let mut out = Vec::new();
        for org in self.inner.store.organisations().await? {
            let versions: Vec<KekVersionRow> = rows.iter().filter(|r| r.org == org.id).cloned().collect();
            let active = active_version(&versions);
            let not_on_active = self.rows_not_on(org.id, active).await?;
            out.push(OrgKeyStatus { org: org.id, active, versions, not_on_active });
        }
        Ok(out)
    }

    async fn rows_not_on(&self, org: OrgId, version: u32) -> AppResult<i64> {
        let header = wrapped_key_header(version);
        let mut n = 0;
        for table in WrappedKeyTable::ALL {
            n += self.inner.store.count_wrapped_keys_not_starting(table, org, &header).await?;
        }
        Ok(n)
    }

    /// `amparo keys rotate`: see the module documentation. Operator only.
    pub async fn rotate_keys(&self, caller: &Caller, options: &RotationOptions) -> AppResult<Vec<OrgRotation>> {
        operator_only(caller)?;
        let batch = options.batch_size.clamp(1, 10_000);
        let all = self.inner.store.kek_versions().await?;
        let orgs: Vec<OrgId> = match options.org {
            Some(org) => vec![org],
            None => self.inner.store.organisations().await?.into_iter().map(|o| o.id).collect(),
        };
        // 1. Each organisation gets its new active version (or keeps the one an interrupted
        //    run made): from here on new data keys are wrapped under it.
        let mut plans = Vec::new();
        let mut started_any = false;
        for org in orgs {
            let versions: Vec<KekVersionRow> = all.iter().filter(|r| r.org == org).cloned().collect();
            let retiring: Vec<u32> =
                versions.iter().filter(|r| r.state == KekState::Retiring).map(|r| version_u32(r.version)).collect();
            let active = active_version(&versions);
            let plan = if retiring.is_empty() {
                let newest = versions.iter().map(|r| version_u32(r.version)).max().unwrap_or(FIRST_KEK_VERSION);
                let to = newest.max(active) + 1;
                self.start_rotation(org, &versions, active, to).await?;
                started_any = true;
                OrgRotation { org, from: vec![active], to, resumed: false, rewrapped: 0, remaining: 0, finished: false }
            } else {
                OrgRotation {
                    org,
                    from: retiring,
                    to: active,
                    resumed: true,
                    rewrapped: 0,
                    remaining: 0,
                    finished: false,
                }
            };
            self.inner.keys.set_kek_version(org, plan.to);
            plans.push(plan);
        }
        if started_any && !options.settle.is_zero() {
            tokio::time::sleep(options.settle).await;
        }
        // 2. Re-wrap, a batch per transaction.
        let mut batches = 0usize;
        let mut interrupted = false;
        'orgs: for plan in &mut plans {
            for table in WrappedKeyTable::ALL {
                let mut after = None;
                loop {
                    if options.max_batches.is_some_and(|max| batches >= max) {
                        interrupted = true;
                        break 'orgs;
                    }
                    let rows = self.inner.store.wrapped_keys(table, plan.org, after, batch as i64).await?;
                    let Some(last) = rows.last() else { break };
                    after = Some(last.id);
                    let stale: Vec<&WrappedKeyRow> =
                        rows.iter().filter(|r| wrapped_key_version(&r.wrapped_key) != Some(plan.to)).collect();
                    if stale.is_empty() {
                        continue;
                    }
                    let keys = self.inner.keys.org_at(plan.org, plan.to);
                    let mut tx = self.inner.store.begin().await?;
                    for row in stale {
                        let new = rewrap(&keys, table, row)?;
                        if tx.rewrap_key(table, row.id, &row.wrapped_key, &new).await? {
                            plan.rewrapped += 1;
                        }
                    }
                    tx.commit().await?;
                    batches += 1;
                }
            }
        }
        // 3. Retire the old versions of each organisation no row uses any more.
        for plan in &mut plans {
            plan.remaining = self.rows_not_on(plan.org, plan.to).await?;
            if plan.remaining == 0 && !interrupted {
                self.finish_rotation(plan).await?;
                plan.finished = true;
            }
        }
        Ok(plans)
    }

    async fn start_rotation(&self, org: OrgId, versions: &[KekVersionRow], active: u32, to: u32) -> AppResult<()> {
        let now = self.now();
        let created_at = versions.iter().find(|r| version_u32(r.version) == active).map_or(now, |r| r.created_at);
        let mut tx = self.inner.store.begin().await?;
        tx.put_kek_version(&KekVersionRow {
            org,
            version: i64::from(active),
            state: KekState::Retiring,
            created_at,
            retired_at: None,
        })
        .await?;
        tx.put_kek_version(&KekVersionRow {
            org,
            version: i64::from(to),
            state: KekState::Active,
            created_at: now,
            retired_at: None,
        })
        .await?;
        let draft = self.rotation_draft(org, "keys.rotate.start", format!("from_{active}_to_{to}"));
        self.inner.auditor.commit_with(tx, &[draft]).await
    }

    async fn finish_rotation(&self, plan: &OrgRotation) -> AppResult<()> {
        let now = self.now();
        let versions = self.inner.store.kek_versions().await?;
        let mut tx = self.inner.store.begin().await?;
        for row in versions.iter().filter(|r| r.org == plan.org && r.state == KekState::Retiring) {
            tx.put_kek_version(&KekVersionRow { state: KekState::Retired, retired_at: Some(now), ..row.clone() })
                .await?;
        }
        let from: Vec<String> = plan.from.iter().map(u32::to_string).collect();
        let detail = format!("from_{}_to_{}_rewrapped_{}", from.join("_"), plan.to, plan.rewrapped);
        let draft = self.rotation_draft(plan.org, "keys.rotate.finish", detail);
        self.inner.auditor.commit_with(tx, &[draft]).await
    }

    /// Entries of a rotation: the organisation, versions and counts; never a row's id.
    fn rotation_draft(&self, org: OrgId, action: &str, detail: String) -> AuditDraft {
        let mut d = self.draft(&Caller::Operator, action, AuditOutcome::Ok);
        d.org = Some(org);
        d.target_kind = Some("organisation".to_owned());
        d.target_id = Some(*org.as_uuid());
        d.detail = Some(detail);
        d
    }
}

fn operator_only(caller: &Caller) -> AppResult<()> {
    match caller {
        Caller::Operator => Ok(()),
        // Key management is for whoever holds the installation's keys: the command line.
        Caller::User { .. } => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
    }
}

/// The active version among an organisation's rows (version 1 when it has none).
fn active_version(versions: &[KekVersionRow]) -> u32 {
    versions.iter().find(|r| r.state == KekState::Active).map_or(FIRST_KEK_VERSION, |r| version_u32(r.version))
}

/// Opens a row's wrapped key (under whichever version it names) and wraps it under `keys`'s.
fn rewrap(keys: &amparo_crypto::OrgKeys, table: WrappedKeyTable, row: &WrappedKeyRow) -> AppResult<Vec<u8>> {
    let id = row.id.as_bytes();
    let wrapped = &row.wrapped_key;
    Ok(match table {
        WrappedKeyTable::Persons => {
            let person = PersonId::from_uuid(row.id);
            keys.wrap_data_key(person, &keys.unwrap_data_key(person, wrapped)?)
        }
        WrappedKeyTable::Signals => {
            let signal = amparo_domain::signals::SignalId::from_uuid(row.id);
            keys.wrap_signal_key(signal, &keys.unwrap_signal_key(signal, wrapped)?)
        }
        WrappedKeyTable::Referrals
        | WrappedKeyTable::ShelterHouses
        | WrappedKeyTable::WellbeingKeys
        | WrappedKeyTable::OutreachEvents
        | WrappedKeyTable::PlacementSites => {
            let t = table.table();
            keys.wrap_record_key(t, id, &keys.unwrap_record_key(t, id, wrapped)?)
        }
    })
}

/// Counts of wrapped keys per version for one organisation (tests and diagnostics).
pub async fn versions_in_use(app: &Amparo, org: OrgId) -> AppResult<BTreeMap<u32, u64>> {
    let mut out = BTreeMap::new();
    for table in WrappedKeyTable::ALL {
        let mut after = None;
        loop {
            let rows = app.inner.store.wrapped_keys(table, org, after, 1000).await?;
            let Some(last) = rows.last() else { break };
            after = Some(last.id);
            for r in &rows {
                *out.entry(wrapped_key_version(&r.wrapped_key).unwrap_or(0)).or_insert(0) += 1;
            }
        }
    }
    Ok(out)
}
