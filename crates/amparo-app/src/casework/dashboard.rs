//! The caseload dashboard: for a case manager their cases (team or assigned), for a
//! supervisor the organisation's. Counts come from the store, one indexed query each.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use amparo_domain::records::{CaseStatus, EntryKind, TaskKind};
use amparo_domain::{Action, CaseId, EntryId, Resource, UserId, authorize};
use amparo_store::{AuditOutcome, DashboardQuery, EntryListRow, EntryQuery};

use super::tasks::{Reach, TaskView};
use crate::{Amparo, AppError, AppResult, Caller};

/// At most this many upcoming appointments or deadlines listed (the counts are complete).
const UPCOMING_LIST: usize = 20;
/// "No contact for this many days" or more: no contact ever recorded.
const NEVER_DAYS: i64 = 365 * 1000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// `cas_Status` code.
    pub status: String,
    pub count: i64,
}

/// An appointment as a list or calendar shows it: codes only, no purpose, no name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentSlot {
    pub entry_id: EntryId,
    pub case_id: CaseId,
    pub case_number: String,
    pub date: chrono::NaiveDate,
    /// `HH:MM`.
    pub time: Option<String>,
    /// `AppointmentPlace` code.
    pub place: Option<String>,
    /// `ServiceCategory` code.
    pub category: Option<String>,
    /// `AppointmentStatus` code.
    pub status: String,
    pub accompanied_by: Option<UserId>,
}

/// The dashboard's numbers and the next things due.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    /// True for a supervisor (the organisation's cases), false for the caller's own cases.
    pub organisation_wide: bool,
    pub cases_by_status: Vec<StatusCount>,
    pub overdue_tasks: i64,
    /// Scheduled appointments from today to `upcoming_until`.
    pub upcoming_appointments: i64,
    /// Open legal-relief deadlines from today to `upcoming_until`.
    pub upcoming_deadlines: i64,
    /// Open cases with no contact for `no_contact_days` days (or never).
    pub without_recent_contact: i64,
    pub no_contact_days: u32,
    pub upcoming_until: NaiveDate,
    /// The first appointments coming (at most 20).
    pub next_appointments: Vec<AppointmentSlot>,
    /// The first deadlines coming (at most 20).
    pub next_deadlines: Vec<TaskView>,
    /// Open screening alerts (a critical answer, e.g. PHQ-9 item 9), shown first until
    /// someone records the follow-up by completing the task.
    pub alerts: Vec<TaskView>,
}

pub(crate) fn slot(r: &EntryListRow) -> AppointmentSlot {
    let coded: serde_json::Value = serde_json::from_str(&r.entry.coded).unwrap_or_default();
    let text = |k: &str| coded.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
    AppointmentSlot {
        entry_id: r.entry.id,
        case_id: r.entry.case,
        case_number: r.case_number.clone(),
        date: r.entry.on_date,
        time: text("time"),
        place: text("place"),
        category: r.entry.code.clone(),
        status: r.entry.status.clone().unwrap_or_default(),
        accompanied_by: r.entry.staff,
    }
}

pub(crate) fn entry_scope(r: &EntryListRow) -> amparo_domain::RecordScope {
    let team = r.case_team.clone();
    amparo_domain::RecordScope {
        org: r.entry.org,
        restricted_to: r.case_restricted.then(|| team.clone()),
        team,
        break_glass: Vec::new(),
    }
}

impl Amparo {
    /// The caseload dashboard. Needs `ViewReports` and a role that reads case summaries;
    /// counts cover the organisation for a supervisor, else the caller's cases; restricted
    /// cases count only for those named on them.
    pub async fn dashboard(&self, caller: &Caller, no_contact_days: u32) -> AppResult<Dashboard> {
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        if let Err(reason) = authorize(actor, Action::ViewReports, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "dashboard.read", reason).await);
        }
        let actor = self.task_reader(caller, "dashboard.read").await?;
        let organisation_wide = Self::org_wide(&actor);
        let today = self.now().date_naive();
        let until = self.upcoming_until();
        let member = (!organisation_wide).then_some(actor.user);
        let deadline_kinds: Vec<TaskKind> = TaskKind::ALL.iter().copied().filter(|k| k.is_legal_deadline()).collect();
        let query = DashboardQuery {
            org: actor.org,
            member,
            viewer: actor.user,
            today,
            upcoming_until: until,
            // Bounded: `u32::MAX` days reaches past chrono's first day (a panic) and
            // PostgreSQL's (an error); a thousand years back already means "never".
            no_contact_before: today - Duration::days(i64::from(no_contact_days).min(NEVER_DAYS)),
            deadline_kinds: deadline_kinds.iter().map(|k| k.code().to_owned()).collect(),
            closed_statuses: CaseStatus::ALL.iter().filter(|s| s.is_closed()).map(|s| s.code().to_owned()).collect(),
        };
        let reach = if organisation_wide { Reach::Organisation } else { Reach::Team };
        // Independent reads, asked at once.
        let (counts, next_appointments, next_deadlines, alerts) = tokio::join!(
            self.inner.store.dashboard(&query),
            self.visible_appointments(&actor, member, today, until, true),
            self.task_list(caller, &actor, reach, until + Duration::days(1), Some(today), &deadline_kinds),
            // Every open alert, however old: due today when raised, so "before tomorrow" is all.
            self.task_list(caller, &actor, reach, today + Duration::days(1), None, &[TaskKind::ScreeningAlert]),
        );
        let (counts, next_appointments, alerts) = (counts?, next_appointments?, alerts?);
        let mut next_deadlines = next_deadlines?;
        next_deadlines.truncate(UPCOMING_LIST);
        if self.inner.config.audit_reads {
            let mut d = self.draft(caller, "dashboard.read", AuditOutcome::Ok);
            d.detail = Some(if organisation_wide { "organisation".into() } else { "own".into() });
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(Dashboard {
            organisation_wide,
            cases_by_status: counts
                .cases_by_status
                .into_iter()
                .map(|(status, count)| StatusCount { status, count })
                .collect(),
            overdue_tasks: counts.overdue_tasks,
            upcoming_appointments: counts.upcoming_appointments,
            upcoming_deadlines: counts.upcoming_deadlines,
            without_recent_contact: counts.without_recent_contact,
            no_contact_days,
            upcoming_until: until,
            next_appointments: next_appointments.into_iter().take(UPCOMING_LIST).collect(),
            next_deadlines,
            alerts,
        })
    }

    /// Appointments between two days (inclusive) the caller may see: of the cases they are
    /// on (a supervisor: the organisation's), codes only. One who accompanies a person is
    /// on their case's team.
    pub async fn appointments_between(
        &self,
        caller: &Caller,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<AppointmentSlot>> {
        let actor = self.task_reader(caller, "appointment.list").await?;
        let member = (!Self::org_wide(&actor)).then_some(actor.user);
        let slots = self.visible_appointments(&actor, member, from, to, false).await?;
        if self.inner.config.audit_reads {
            let mut d = self.draft(caller, "appointment.list", AuditOutcome::Ok);
            d.detail = Some(format!("results.{}", slots.len()));
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(slots)
    }

    pub(crate) async fn visible_appointments(
        &self,
        actor: &amparo_domain::Actor,
        member: Option<UserId>,
        from: NaiveDate,
        to: NaiveDate,
        scheduled_only: bool,
    ) -> AppResult<Vec<AppointmentSlot>> {
        let rows = self
            .inner
            .store
            .entries_between(&EntryQuery {
                org: actor.org,
                kind: EntryKind::Appointment.code().to_owned(),
                member,
                viewer: actor.user,
                from,
                to,
                status: scheduled_only.then(|| amparo_domain::records::AppointmentStatus::Scheduled.code().to_owned()),
                limit: 2000,
            })
            .await?;
        Ok(rows
            .iter()
            .filter(|r| {
                authorize(
                    actor,
                    Action::ReadRecord(EntryKind::Appointment.section()),
                    Resource::Record(&entry_scope(r)),
                )
                .is_ok()
            })
            .map(slot)
            .collect())
    }
}
