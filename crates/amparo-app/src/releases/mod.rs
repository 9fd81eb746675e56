//! The privacy-budget ledger of differentially private releases (docs/release.md).
//!
//! The noise itself is computed outside this crate (`amparo-release`, a leaf crate that holds
//! the heavy `opendp` dependency); here are the rules around it: who may publish (the
//! domain's `PublishRelease`), how much ε is left this calendar year, and the ledger entry and
//! audit entry of each release, written in one transaction that re-checks the budget so two
//! releases at once cannot both fit in what is left.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use uuid::Uuid;

use amparo_domain::{Action, OrgId};
use amparo_store::{AuditOutcome, ReleaseLedgerRow};

use crate::{Amparo, AppError, AppResult, Caller};

/// The code (and i18n key) of a release refused because it would exceed the year's budget.
pub const OVER_BUDGET: &str = "release_over_budget";

/// Budgets are compared with this slack, so that ten releases of ε = 1 fit a budget of 10
/// whatever the floating-point sum says.
const SLACK: f64 = 1e-9;

/// An organisation's privacy budget for one calendar year (UTC).
#[derive(Clone, Debug, PartialEq)]
pub struct ReleaseBudget {
    pub year: i32,
    /// Total ε the organisation may spend in the year.
    pub total: f64,
    /// ε spent on this year's releases.
    pub spent: f64,
    /// This year's releases, oldest first.
    pub releases: Vec<ReleaseLedgerRow>,
}

impl ReleaseBudget {
    pub fn remaining(&self) -> f64 {
        // Within the same rounding slack that `allows` grants, what is left is nothing (ten
        // releases of 0.1 sum to 0.9999999999999999, not 1).
        let left = self.total - self.spent;
        if left <= SLACK { 0.0 } else { left }
    }

    /// Whether a release spending `epsilon` fits in what is left.
    pub fn allows(&self, epsilon: f64) -> bool {
        self.spent + epsilon <= self.total + SLACK
    }
}

/// What a release spent, as the ledger records it, and the published file.
#[derive(Clone, PartialEq)]
pub struct ReleaseSpent {
    pub epsilon: f64,
    pub delta: f64,
    pub rho: f64,
    pub noise_scale: f64,
    pub tables: i64,
    pub created_at: DateTime<Utc>,
    /// The published JSON (noisy counts only).
    pub document: String,
}

impl std::fmt::Debug for ReleaseSpent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReleaseSpent")
            .field("epsilon", &self.epsilon)
            .field("delta", &self.delta)
            .field("tables", &self.tables)
            .finish_non_exhaustive()
    }
}

/// `[from, to)` of the calendar year (UTC) of `now`.
fn year_bounds(now: DateTime<Utc>) -> (i32, DateTime<Utc>, DateTime<Utc>) {
    let year = now.year();
    let start = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().unwrap_or(now);
    (year, start(year), start(year + 1))
}

impl Amparo {
    /// The caller may publish releases of `org` (refusals audited as `audit_action`).
    async fn release_allowed(&self, caller: &Caller, org: OrgId, audit_action: &str) -> AppResult<()> {
        if let Caller::User { actor, .. } = caller
            && actor.org != org
        {
            return Err(AppError::NotFound);
        }
        self.require_org(caller, org, Action::PublishRelease, audit_action).await
    }

    async fn budget_of(&self, org: OrgId) -> AppResult<ReleaseBudget> {
        let (year, from, to) = year_bounds(self.now());
        let releases = self.inner.store.releases(org, from, to).await?;
        let spent = releases.iter().map(|r| r.epsilon).sum();
        Ok(ReleaseBudget { year, total: self.inner.config.release_epsilon_per_year, spent, releases })
    }

    /// The organisation's budget this year and its releases. Administrators (or the operator).
    pub async fn release_budget(&self, caller: &Caller, org: OrgId) -> AppResult<ReleaseBudget> {
        self.release_allowed(caller, org, "release.ledger").await?;
        self.budget_of(org).await
    }

    /// Checks, before anything is computed, that a release spending `epsilon` is allowed and
    /// fits in this year's budget. A refusal is audited (`release.publish`, denied,
    /// `over_budget`) and comes back as [`OVER_BUDGET`].
    pub async fn check_release(&self, caller: &Caller, org: OrgId, epsilon: f64) -> AppResult<ReleaseBudget> {
        self.release_allowed(caller, org, "release.publish").await?;
        let budget = self.budget_of(org).await?;
        if !budget.allows(epsilon) {
            self.audit_over_budget(caller, org).await?;
            return Err(AppError::Refused(OVER_BUDGET));
        }
        Ok(budget)
    }

    async fn audit_over_budget(&self, caller: &Caller, org: OrgId) -> AppResult<()> {
        let mut d = self.draft(caller, "release.publish", AuditOutcome::Denied);
        d.org = Some(org);
        d.detail = Some("over_budget".to_owned());
        self.inner.auditor.record(vec![d]).await
    }

    /// Records a release in the ledger and the audit log, in one transaction that re-reads
    /// the budget (a release made meanwhile by someone else counts). Only parameters are
    /// recorded, never data.
    pub async fn record_release(
        &self,
        caller: &Caller,
        org: OrgId,
        spent: ReleaseSpent,
    ) -> AppResult<ReleaseLedgerRow> {
        self.release_allowed(caller, org, "release.publish").await?;
        let (_, from, to) = year_bounds(spent.created_at);
        let row = ReleaseLedgerRow {
            id: Uuid::new_v4(),
            org,
            created_at: spent.created_at,
            epsilon: spent.epsilon,
            delta: spent.delta,
            rho: spent.rho,
            noise_scale: spent.noise_scale,
            tables: spent.tables,
            made_by: caller.user(),
            document: spent.document,
        };
        let mut tx = self.inner.store.begin().await?;
        let already = tx.epsilon_spent(org, from, to).await?;
        if already + spent.epsilon > self.inner.config.release_epsilon_per_year + SLACK {
            drop(tx);
            self.audit_over_budget(caller, org).await?;
            return Err(AppError::Refused(OVER_BUDGET));
        }
        tx.insert_release(&row).await?;
        let mut d = self.record_draft(caller, "release.publish", AuditOutcome::Ok, "release", row.id);
        d.org = Some(org);
        d.detail = Some(format!("epsilon={};delta={};tables={}", row.epsilon, row.delta, row.tables));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(row)
    }

    /// One of the organisation's past releases, with its file (downloading it again spends
    /// nothing). Audited.
    pub async fn release_made(&self, caller: &Caller, org: OrgId, id: Uuid) -> AppResult<ReleaseLedgerRow> {
        self.release_allowed(caller, org, "release.download").await?;
        let row = match self.inner.store.release(id).await? {
            Some(row) if row.org == org => row,
            _ => return Err(AppError::NotFound),
        };
        let mut d = self.record_draft(caller, "release.download", AuditOutcome::Ok, "release", row.id);
        d.org = Some(org);
        self.inner.auditor.record(vec![d]).await?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_releases_of_a_tenth_fit_a_budget_of_one_and_an_eleventh_does_not() {
        let mut b = ReleaseBudget { year: 2026, total: 1.0, spent: 0.0, releases: Vec::new() };
        for _ in 0..10 {
            assert!(b.allows(0.1));
            b.spent += 0.1;
        }
        assert!(!b.allows(0.01));
        assert_eq!(b.remaining(), 0.0);
    }

    #[test]
    fn the_year_runs_from_january_to_january_in_utc() {
        let now = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).single().unwrap_or_default();
        let (year, from, to) = year_bounds(now);
        assert_eq!(year, 2026);
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default());
        assert_eq!(to, Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().unwrap_or_default());
    }
}
