//! Reading the audit log of one's organisation (administrators and supervisors: break-glass
//! review, "who saw my file"). Reading it is itself recorded.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use amparo_domain::{Action, Resource, UserId, authorize};
use amparo_store::AuditOutcome;

use crate::{Amparo, AppResult, Caller};

/// One entry as the audit page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntryView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    /// The acting user's email, when they belong to the organisation.
    pub actor_email: Option<String>,
    pub channel: String,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
    pub outcome: &'static str,
    pub detail: Option<String>,
}

/// How many entries the page shows.
const RECENT: i64 = 200;

impl Amparo {
    /// The most recent entries of the caller's organisation, newest first.
    pub async fn recent_audit(&self, caller: &Caller) -> AppResult<Vec<AuditEntryView>> {
        let Caller::User { actor, .. } = caller else {
            return Err(crate::AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        if let Err(reason) = authorize(actor, Action::ReadAuditLog, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "audit.read", reason).await);
        }
        let org = actor.org;
        // The audit entry becomes durable while the page's data is read: the reader waits for
        // the slower of the two, not their sum. Nothing is returned unless both succeed.
        let audit = async {
            if self.inner.config.audit_reads {
                let mut d = self.draft(caller, "audit.read", AuditOutcome::Ok);
                d.target_kind = Some("organisation".into());
                d.target_id = Some(*org.as_uuid());
                self.inner.auditor.record(vec![d]).await
            } else {
                Ok(())
            }
        };
        let data = async {
            let users = self.inner.store.users_in_org(org).await?;
            let records = self.inner.store.audit_events_of_org(org, RECENT).await?;
            Ok::<_, crate::AppError>((users, records))
        };
        let (audited, data) = tokio::join!(audit, data);
        audited?;
        let (users, records) = data?;
        Ok(records.into_iter().map(|r| entry_view(r, &users)).collect())
    }
}

/// Break-glass uses that supervisors are told about (on their home page): the last 14 days.
const ALERT_DAYS: i64 = 14;

/// One break-glass use, for the supervisors' review.
#[derive(Clone)]
pub struct BreakGlassAlert {
    pub at: DateTime<Utc>,
    pub user: Option<UserId>,
    pub user_email: Option<String>,
    pub case: Option<Uuid>,
    /// The reason given, as written (sealed at rest).
    pub reason: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for BreakGlassAlert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BreakGlassAlert").field("at", &self.at).field("case", &self.case).finish_non_exhaustive()
    }
}

impl Amparo {
    /// Recent break-glass grants in the caller's organisation, newest first, with their
    /// reasons, for supervisors. Empty for everyone else.
    pub async fn break_glass_alerts(&self, caller: &Caller) -> AppResult<Vec<BreakGlassAlert>> {
        let Caller::User { actor, .. } = caller else { return Ok(Vec::new()) };
        // Reasons are free text that may name the survivor: only for those who review the
        // audit log *and* read the organisation's records anyway (supervisors).
        let everyone =
            amparo_domain::RecordScope { org: actor.org, team: vec![], restricted_to: None, break_glass: vec![] };
        if authorize(actor, Action::ReadAuditLog, Resource::Organisation(actor.org)).is_err()
            || authorize(actor, Action::ReadRecord(amparo_domain::Section::Summary), Resource::Record(&everyone))
                .is_err()
        {
            return Ok(Vec::new());
        }
        let since = self.now() - chrono::Duration::days(ALERT_DAYS);
        let users = self.inner.store.users_in_org(actor.org).await?;
        let records = self.inner.store.audit_events_of_org(actor.org, 2000).await?;
        let mut out = Vec::new();
        for r in records.into_iter().filter(|r| {
            r.draft.action == "case.break_glass" && r.draft.outcome == AuditOutcome::Ok && r.draft.at >= since
        }) {
            let grant_id =
                r.draft.detail.as_deref().and_then(|d| d.strip_prefix("grant.")).and_then(|g| g.parse::<Uuid>().ok());
            let grant = match grant_id {
                Some(g) => self.inner.store.break_glass_grant(g).await?,
                None => None,
            };
            let reason = match &grant {
                Some(g) => {
                    let aad = amparo_crypto::FieldAad { table: "break_glass", column: "reason", row: g.id.as_bytes() };
                    Some(String::from_utf8_lossy(&self.inner.keys.open_secret(&aad, &g.reason)?).into_owned())
                }
                None => None,
            };
            out.push(BreakGlassAlert {
                at: r.draft.at,
                user: r.draft.actor,
                user_email: r.draft.actor.and_then(|a| users.iter().find(|u| u.id == a).map(|u| u.email.clone())),
                case: r.draft.target_id,
                reason,
                expires_at: grant.map(|g| g.expires_at),
            });
        }
        Ok(out)
    }
}

fn entry_view(r: amparo_store::AuditRecord, users: &[amparo_store::UserRow]) -> AuditEntryView {
    AuditEntryView {
        seq: r.seq,
        at: r.draft.at,
        actor: r.draft.actor,
        actor_email: r.draft.actor.and_then(|a| users.iter().find(|u| u.id == a).map(|u| u.email.clone())),
        channel: r.draft.channel,
        action: r.draft.action,
        target_kind: r.draft.target_kind,
        target_id: r.draft.target_id,
        outcome: r.draft.outcome.code(),
        detail: r.draft.detail,
    }
}
