//! Retention: the organisation's schedule for purging the free text of closed cases and
//! erasing people whose cases closed long ago, a preview of the next run, and the run.
//!
//! Purging a field deletes its ciphertext (the person's key stays while the person exists);
//! erasing is the existing crypto-shredding (`shred`: key and rows deleted, ledger entry).
//! Every purge is one transaction with its own audit entry (rule, record id; no content).
//! A run is idempotent: what was purged is no longer due.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use amparo_domain::retention::{self, RetentionRule};
use amparo_domain::{Action, DomainError, OrgId, Resource, UserId, authorize};
use amparo_store::{AuditDraft, AuditOutcome, RetentionDue, RetentionPurgeRow, RetentionRuleRow, RetentionRunRow};

use crate::{Amparo, AppError, AppResult, Caller, Channel};

/// Most records one rule purges in one run; the rest are due again the next day.
pub const RUN_BATCH: i64 = 5_000;
/// Case numbers listed per rule in the administrators' preview.
pub const PREVIEW_NUMBERS: usize = 200;

/// One rule as the policy page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetting {
    pub rule: RetentionRule,
    /// None: off.
    pub months: Option<u32>,
    pub suggested: Option<u32>,
}

/// The organisation's policy: every rule of the catalogue, configured or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub rules: Vec<RuleSetting>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl RetentionPolicy {
    /// Off until an administrator turns at least one rule on.
    pub fn is_off(&self) -> bool {
        self.rules.iter().all(|r| r.months.is_none())
    }

    pub fn months(&self, rule: RetentionRule) -> Option<u32> {
        self.rules.iter().find(|r| r.rule == rule).and_then(|r| r.months)
    }
}

/// The policy form as typed: rule code → months (empty: off). Kept as typed for the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyInput {
    pub months: BTreeMap<String, String>,
}

/// What the next run would do under one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewRule {
    pub rule: RetentionRule,
    pub months: u32,
    /// Cases closed on or before this day are due.
    pub closed_on_or_before: NaiveDate,
    pub count: usize,
    /// More are due than one run takes ([`RUN_BATCH`]).
    pub more: bool,
    /// For administrators only: the case numbers (never names), at most [`PREVIEW_NUMBERS`].
    pub case_numbers: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionPreview {
    pub today: NaiveDate,
    pub rules: Vec<PreviewRule>,
}

/// What a run did in one organisation: records purged (or persons erased) per rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    pub org: Option<OrgId>,
    pub counts: BTreeMap<RetentionRule, usize>,
}

impl RunOutcome {
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }
}

/// A past run as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunView {
    pub ran_at: DateTime<Utc>,
    /// `web`, `api`, `cli`, `system`.
    pub channel: String,
    pub ran_by: Option<String>,
    pub counts: Vec<(RetentionRule, usize)>,
}

fn policy_of(rows: &[RetentionRuleRow]) -> RetentionPolicy {
    let rules = RetentionRule::ALL
        .into_iter()
        .map(|rule| RuleSetting {
            rule,
            months: rows.iter().find(|r| r.rule == rule.code()).and_then(|r| u32::try_from(r.months).ok()),
            suggested: rule.suggested_months(),
        })
        .collect();
    RetentionPolicy { rules, updated_at: rows.iter().map(|r| r.updated_at).max() }
}

fn counts_json(counts: &BTreeMap<RetentionRule, usize>) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        counts.iter().map(|(r, n)| (r.code().to_owned(), serde_json::Value::from(*n))).collect();
    serde_json::Value::Object(map).to_string()
}

fn counts_of(json: &str) -> Vec<(RetentionRule, usize)> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    let mut out: Vec<(RetentionRule, usize)> = map
        .iter()
        .filter_map(|(k, v)| Some((RetentionRule::from_code(k)?, usize::try_from(v.as_u64()?).ok()?)))
        .collect();
    out.sort();
    out
}

/// Erasing first: a person erased has no field left to purge.
const RUN_ORDER: [RetentionRule; 4] = [
    RetentionRule::ErasePerson,
    RetentionRule::PersonNarrative,
    RetentionRule::PersonSafeContact,
    RetentionRule::CaseNotes,
];

impl Amparo {
    /// The organisation's policy (administrators and supervisors).
    pub async fn retention_policy(&self, caller: &Caller) -> AppResult<RetentionPolicy> {
        let org = self.retention_org(caller, Action::ViewRetention, "retention.policy").await?;
        Ok(policy_of(&self.inner.store.retention_rules(org).await?))
    }

    /// Sets the policy (administrators). Every rule of the catalogue is set at once; an empty
    /// period turns a rule off. Audited with the rules and months (codes and numbers only).
    pub async fn set_retention_policy(&self, caller: &Caller, input: &PolicyInput) -> AppResult<RetentionPolicy> {
        let org = self.retention_org(caller, Action::ManageRetention, "retention.policy_set").await?;
        let now = self.now();
        let mut rows = Vec::new();
        for rule in RetentionRule::ALL {
            let typed = input.months.get(rule.code()).map(String::as_str).unwrap_or("");
            let months = retention::months(typed).map_err(|p| AppError::InvalidField {
                field: format!("months.{}", rule.code()),
                problem: DomainError::from(p),
            })?;
            if let Some(m) = months {
                rows.push(RetentionRuleRow {
                    org,
                    rule: rule.code().to_owned(),
                    months: i64::from(m),
                    updated_by: caller.user(),
                    updated_at: now,
                });
            }
        }
        let mut tx = self.inner.store.begin().await?;
        tx.replace_retention_rules(org, &rows).await?;
        let mut d = self.draft(caller, "retention.policy_set", AuditOutcome::Ok);
        d.org = Some(org);
        d.target_kind = Some("organisation".into());
        d.target_id = Some(*org.as_uuid());
        let summary: Vec<String> = rows.iter().map(|r| format!("{}={}", r.rule, r.months)).collect();
        d.detail = Some(if summary.is_empty() { "off".into() } else { summary.join(",") });
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(policy_of(&rows))
    }

    /// What the next run would purge, by the app's clock: counts per rule for
    /// administrators and supervisors, and the case numbers (never names) for administrators.
    pub async fn retention_preview(&self, caller: &Caller) -> AppResult<RetentionPreview> {
        let org = self.retention_org(caller, Action::ViewRetention, "retention.preview").await?;
        let numbers = match caller {
            Caller::Operator => true,
            Caller::User { actor, .. } => {
                authorize(actor, Action::ManageRetention, Resource::Organisation(actor.org)).is_ok()
            }
        };
        let preview = self.preview_org(org, numbers).await?;
        let mut d = self.draft(caller, "retention.preview", AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(if numbers { "case_numbers" } else { "counts" }.into());
        self.inner.auditor.record(vec![d]).await?;
        Ok(preview)
    }

    /// The preview for an organisation, for the command line (`amparo retention preview`).
    pub async fn retention_preview_all(&self) -> AppResult<Vec<(OrgId, RetentionPreview)>> {
        let mut out = Vec::new();
        for org in self.inner.store.retention_orgs().await? {
            out.push((org, self.preview_org(org, true).await?));
        }
        Ok(out)
    }

    async fn preview_org(&self, org: OrgId, numbers: bool) -> AppResult<RetentionPreview> {
        let policy = policy_of(&self.inner.store.retention_rules(org).await?);
        let today = self.now().date_naive();
        let mut rules = Vec::new();
        for rule in RetentionRule::ALL {
            let Some(months) = policy.months(rule) else { continue };
            let closed_on_or_before = retention::closed_on_or_before(today, months);
            let due = RetentionDue { org, rule, closed_on_or_before, limit: RUN_BATCH + 1 };
            let found = self.inner.store.retention_candidates(&due).await?;
            let more = found.len() > usize::try_from(RUN_BATCH).unwrap_or(usize::MAX);
            rules.push(PreviewRule {
                rule,
                months,
                closed_on_or_before,
                count: found.len().min(usize::try_from(RUN_BATCH).unwrap_or(usize::MAX)),
                more,
                case_numbers: numbers.then(|| {
                    let mut n: Vec<String> = found.iter().map(|c| c.case_number.clone()).collect();
                    n.sort();
                    n.dedup();
                    n.truncate(PREVIEW_NUMBERS);
                    n
                }),
            });
        }
        Ok(RetentionPreview { today, rules })
    }

    /// Runs the caller's organisation's policy now (administrators).
    pub async fn retention_run(&self, caller: &Caller) -> AppResult<RunOutcome> {
        let org = self.retention_org(caller, Action::ManageRetention, "retention.run").await?;
        self.run_org(org, caller.user(), caller.channel()).await
    }

    /// Runs every organisation's policy: the daily job (`Channel::System`) and
    /// `amparo retention run` (`Channel::Cli`). Logs nothing itself; the counts come back.
    pub async fn retention_run_all(&self, channel: Channel) -> AppResult<Vec<RunOutcome>> {
        let mut out = Vec::new();
        for org in self.inner.store.retention_orgs().await? {
            out.push(self.run_org(org, None, channel).await?);
        }
        Ok(out)
    }

    /// The organisation's last runs, newest first.
    pub async fn retention_runs(&self, caller: &Caller, limit: i64) -> AppResult<Vec<RunView>> {
        let org = self.retention_org(caller, Action::ViewRetention, "retention.runs").await?;
        let users = self.inner.store.users_in_org(org).await?;
        let email = |u: Option<UserId>| u.and_then(|u| users.iter().find(|x| x.id == u).map(|x| x.email.clone()));
        Ok(self
            .inner
            .store
            .retention_runs(org, limit)
            .await?
            .into_iter()
            .map(|r| RunView {
                ran_at: r.ran_at,
                channel: r.channel,
                ran_by: email(r.ran_by),
                counts: counts_of(&r.counts),
            })
            .collect())
    }

    async fn run_org(&self, org: OrgId, by: Option<UserId>, channel: Channel) -> AppResult<RunOutcome> {
        let policy = policy_of(&self.inner.store.retention_rules(org).await?);
        let today = self.now().date_naive();
        let mut outcome = RunOutcome { org: Some(org), counts: BTreeMap::new() };
        for rule in RUN_ORDER {
            let Some(months) = policy.months(rule) else { continue };
            let due = RetentionDue {
                org,
                rule,
                closed_on_or_before: retention::closed_on_or_before(today, months),
                limit: RUN_BATCH,
            };
            let mut done = 0;
            for c in self.inner.store.retention_candidates(&due).await? {
                let purged = if rule.erases() {
                    // The operator's door, as `amparo erase`: the policy is the decision.
                    let reason = format!("retention {} {months}", rule.code());
                    match self.shred(&Caller::Operator, c.person, &reason, by, None, Some((channel, rule.code()))).await
                    {
                        Ok(()) => true,
                        // Erased meanwhile (another run, a request approved): nothing to do.
                        Err(AppError::NotFound | AppError::Gone) => false,
                        Err(e) => return Err(e),
                    }
                } else {
                    self.purge_one(org, rule, c.person, c.record, by, channel).await?
                };
                if purged {
                    done += 1;
                }
            }
            outcome.counts.insert(rule, done);
        }
        let run = RetentionRunRow {
            id: Uuid::new_v4(),
            org,
            ran_at: self.now(),
            ran_by: by,
            channel: channel.code().to_owned(),
            counts: counts_json(&outcome.counts),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_retention_run(&run).await?;
        let mut d = AuditDraft::new(self.now(), channel.code(), "retention.run", AuditOutcome::Ok);
        d.actor = by;
        d.org = Some(org);
        d.target_kind = Some("retention_run".into());
        d.target_id = Some(run.id);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(outcome)
    }

    /// One field of one record: ciphertext deleted, marker left, audit entry — one transaction.
    async fn purge_one(
        &self,
        org: OrgId,
        rule: RetentionRule,
        person: amparo_domain::PersonId,
        record: Uuid,
        by: Option<UserId>,
        channel: Channel,
    ) -> AppResult<bool> {
        let now = self.now();
        let mut tx = self.inner.store.begin().await?;
        if !tx.purge_retention_field(org, rule, record, now).await? {
            // Purged or erased meanwhile: the transaction rolls back on drop.
            return Ok(false);
        }
        tx.insert_retention_purge(&RetentionPurgeRow {
            org,
            person,
            record,
            rule: rule.code().to_owned(),
            purged_at: now,
        })
        .await?;
        let mut d = AuditDraft::new(now, channel.code(), "retention.purge", AuditOutcome::Ok);
        d.actor = by;
        d.org = Some(org);
        d.target_kind = Some(if rule == RetentionRule::CaseNotes { "case_entry" } else { "person" }.into());
        d.target_id = Some(record);
        d.detail = Some(rule.code().to_owned());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(true)
    }

    /// The day a field of a person was purged under `rule`, if it was (for "removed by
    /// retention policy on DATE").
    pub(crate) async fn purged_on(
        &self,
        person: amparo_domain::PersonId,
        rule: RetentionRule,
    ) -> AppResult<Option<NaiveDate>> {
        Ok(self
            .inner
            .store
            .retention_purges_of_person(person)
            .await?
            .into_iter()
            .filter(|p| p.rule == rule.code() && p.record == *person.as_uuid())
            .map(|p| p.purged_at.date_naive())
            .next_back())
    }

    /// The caller's organisation, if the caller may do `action` there (refusals audited).
    async fn retention_org(&self, caller: &Caller, action: Action, code: &str) -> AppResult<OrgId> {
        match caller {
            Caller::User { actor, .. } => match authorize(actor, action, Resource::Organisation(actor.org)) {
                Ok(()) => Ok(actor.org),
                Err(reason) => Err(self.denied(caller, code, reason).await),
            },
            // The command line names no organisation here: it runs over all of them.
            Caller::Operator => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip_through_the_run_row() {
        let mut c = BTreeMap::new();
        c.insert(RetentionRule::PersonNarrative, 3);
        c.insert(RetentionRule::ErasePerson, 0);
        assert_eq!(
            counts_of(&counts_json(&c)),
            vec![(RetentionRule::PersonNarrative, 3), (RetentionRule::ErasePerson, 0)]
        );
    }

    #[test]
    fn a_policy_without_rows_is_off_and_offers_the_suggestion() {
        let p = policy_of(&[]);
        assert!(p.is_off());
        assert_eq!(p.rules.len(), RetentionRule::ALL.len());
        assert_eq!(p.rules[0].suggested, Some(24));
    }
}
