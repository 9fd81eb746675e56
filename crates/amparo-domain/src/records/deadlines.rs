//! Deadlines turned into dated tasks: pure functions of a source's codes and dates, so that
//! every rule is tested with hand-computed dates and recomputed whenever its source changes.
//! Legal lead times follow standards §5 (USCIS, DHS, HHS OTIP, INM); an organisation may want
//! more warning, never less, so leads are parameters with the documented defaults.

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::casework::{AppointmentStatus, GoalStatus, LegalReliefKind, LegalReliefStatus, TaskKind};
use super::safe_contact::SAFE_CONTACT_RECONFIRM_DAYS;

/// Continued Presence is granted for 2 years and renewed only at law enforcement's request:
/// ask "well before" it expires (about four months).
pub const CONTINUED_PRESENCE_RENEWAL_LEAD_DAYS: i64 = 120;
/// Time kept in hand before a Request for Evidence is due.
pub const RFE_RESPONSE_LEAD_DAYS: i64 = 14;
/// Form I-290B: within 30 days of the decision (33 if mailed); warn a week before.
pub const APPEAL_WINDOW_DAYS: i64 = 30;
pub const APPEAL_LEAD_DAYS: i64 = 7;
/// T and U status: adjustment (I-485) after 3 years of continuous presence…
pub const ADJUSTMENT_AFTER_MONTHS: u32 = 36;
/// …within a status that lasts up to 4 years.
pub const T_U_STATUS_MONTHS: u32 = 48;
pub const T_U_EXPIRY_LEAD_DAYS: i64 = 180;
/// I-918 Supplement B must be signed within the 6 months before filing.
pub const SUPPLEMENT_B_VALID_MONTHS: u32 = 6;
pub const SUPPLEMENT_B_LEAD_DAYS: i64 = 30;
/// HHS interim assistance letters for children last about 90 days (extendable).
pub const HHS_INTERIM_LEAD_DAYS: i64 = 14;
/// Tarjeta de Visitante por Razones Humanitarias (Ley de Migración Art. 52 fr. V).
pub const MX_HUMANITARIAN_VISA_RENEWAL_LEAD_DAYS: i64 = 30;
/// Consent is time-limited (VAWA): ask again before it runs out.
pub const CONSENT_EXPIRY_LEAD_DAYS: i64 = 14;

/// A task a rule asks for: what, and when it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueTask {
    pub kind: TaskKind,
    pub due_on: NaiveDate,
}

impl DueTask {
    const fn new(kind: TaskKind, due_on: NaiveDate) -> Self {
        Self { kind, due_on }
    }
}

/// The dates a legal relief keeps (coded, in clear: they are what reports and tasks need).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReliefDates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfe_due_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    /// I-918 Supplement B (law-enforcement certification) signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_signed_on: Option<NaiveDate>,
    /// HHS interim assistance letter expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interim_expires_on: Option<NaiveDate>,
}

impl ReliefDates {
    /// The latest date the relief carries (the timeline places the entry there).
    pub fn latest(&self) -> Option<NaiveDate> {
        [self.filed_on, self.granted_on, self.decided_on, self.certification_signed_on].into_iter().flatten().max()
    }
}

/// Lead times an organisation may lengthen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leads {
    pub continued_presence_renewal_days: i64,
}

impl Default for Leads {
    fn default() -> Self {
        Self { continued_presence_renewal_days: CONTINUED_PRESENCE_RENEWAL_LEAD_DAYS }
    }
}

fn before(d: NaiveDate, days: i64) -> NaiveDate {
    d - Duration::days(days)
}

/// Months later; the 29th–31st fall back to the month's last day (29 Feb + 1 year = 28 Feb).
fn months_after(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The tasks a legal relief asks for, from its kind, status and dates.
pub fn legal_relief_tasks(
    kind: LegalReliefKind,
    status: LegalReliefStatus,
    dates: &ReliefDates,
    leads: &Leads,
) -> Vec<DueTask> {
    use LegalReliefKind as K;
    use LegalReliefStatus as S;
    let mut out = Vec::new();
    let live = !status.has_ended();
    if let (K::ContinuedPresence, Some(exp), true) = (kind, dates.expires_on, live) {
        out.push(DueTask::new(TaskKind::ContinuedPresenceRenewal, before(exp, leads.continued_presence_renewal_days)));
    }
    if let (S::Rfe, Some(due)) = (status, dates.rfe_due_on) {
        out.push(DueTask::new(TaskKind::RfeResponse, before(due, RFE_RESPONSE_LEAD_DAYS)));
    }
    if let (S::Denied, Some(decided)) = (status, dates.decided_on) {
        out.push(DueTask::new(
            TaskKind::AppealDeadline,
            decided + Duration::days(APPEAL_WINDOW_DAYS - APPEAL_LEAD_DAYS),
        ));
    }
    if let (K::TVisa | K::UVisa, S::Granted, Some(granted)) = (kind, status, dates.granted_on) {
        out.push(DueTask::new(TaskKind::AdjustmentOfStatus, months_after(granted, ADJUSTMENT_AFTER_MONTHS)));
        let expires = dates.expires_on.unwrap_or_else(|| months_after(granted, T_U_STATUS_MONTHS));
        let expiry = if kind == K::TVisa { TaskKind::TVisaExpiry } else { TaskKind::UVisaExpiry };
        out.push(DueTask::new(expiry, before(expires, T_U_EXPIRY_LEAD_DAYS)));
    }
    if let (K::UVisa, Some(signed), true, None) =
        (kind, dates.certification_signed_on, status.before_filing(), dates.filed_on)
    {
        let valid_until = months_after(signed, SUPPLEMENT_B_VALID_MONTHS);
        out.push(DueTask::new(TaskKind::UVisaCertificationExpiry, before(valid_until, SUPPLEMENT_B_LEAD_DAYS)));
    }
    if let (K::HhsEligibility, Some(exp), true) = (kind, dates.interim_expires_on, live) {
        out.push(DueTask::new(TaskKind::HhsInterimExpiry, before(exp, HHS_INTERIM_LEAD_DAYS)));
    }
    if let (K::MxHumanitarianVisa, Some(exp), true) = (kind, dates.expires_on, live) {
        out.push(DueTask::new(
            TaskKind::MxHumanitarianVisaRenewal,
            before(exp, MX_HUMANITARIAN_VISA_RENEWAL_LEAD_DAYS),
        ));
    }
    out
}

/// Ask for consent again before it expires; nothing once it is revoked.
pub fn consent_task(expires_on: NaiveDate, revoked: bool) -> Option<DueTask> {
    (!revoked).then(|| DueTask::new(TaskKind::ConsentExpiry, before(expires_on, CONSENT_EXPIRY_LEAD_DAYS)))
}

/// Safe-contact preferences confirmed on a day are confirmed again 90 days later.
pub fn safe_contact_task(confirmed_on: NaiveDate) -> DueTask {
    DueTask::new(TaskKind::SafeContactReconfirm, confirmed_on + Duration::days(SAFE_CONTACT_RECONFIRM_DAYS))
}

/// An open goal with a target date is due then.
pub fn goal_task(status: GoalStatus, target_on: Option<NaiveDate>) -> Option<DueTask> {
    match (status, target_on) {
        (GoalStatus::Open, Some(t)) => Some(DueTask::new(TaskKind::GoalTarget, t)),
        _ => None,
    }
}

/// A scheduled appointment reminds `reminder_days` before (0: on the day).
pub fn appointment_task(status: AppointmentStatus, on: NaiveDate, reminder_days: u16) -> Option<DueTask> {
    (status == AppointmentStatus::Scheduled)
        .then(|| DueTask::new(TaskKind::Appointment, before(on, i64::from(reminder_days))))
}

/// Any entry may ask to be followed up on a day.
pub fn follow_up_task(follow_up_on: Option<NaiveDate>) -> Option<DueTask> {
    follow_up_on.map(|d| DueTask::new(TaskKind::FollowUp, d))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn relief(kind: LegalReliefKind, status: LegalReliefStatus, dates: ReliefDates) -> Vec<DueTask> {
        legal_relief_tasks(kind, status, &dates, &Leads::default())
    }

    fn task(kind: TaskKind, due_on: NaiveDate) -> DueTask {
        DueTask { kind, due_on }
    }

    use LegalReliefKind as K;
    use LegalReliefStatus as S;

    #[test]
    fn continued_presence_expiring_asks_for_renewal_120_days_before() {
        let dates =
            ReliefDates { granted_on: Some(d(2025, 3, 1)), expires_on: Some(d(2027, 3, 1)), ..Default::default() };
        // 1 Mar 2027 − 120 days: 28 (Feb) + 31 (Jan) + 31 (Dec) + 30 (Nov) = 120 → 1 Nov 2026.
        assert_eq!(
            relief(K::ContinuedPresence, S::Granted, dates),
            vec![task(TaskKind::ContinuedPresenceRenewal, d(2026, 11, 1))]
        );
        // A renewal already asked for still watches the expiry.
        assert_eq!(relief(K::ContinuedPresence, S::RenewalRequested, dates).len(), 1);
        // The lead time is a parameter: 60 days → 31 Dec 2026.
        let short = Leads { continued_presence_renewal_days: 60 };
        assert_eq!(
            legal_relief_tasks(K::ContinuedPresence, S::Granted, &dates, &short),
            vec![task(TaskKind::ContinuedPresenceRenewal, d(2026, 12, 31))]
        );
    }

    #[test]
    fn ended_continued_presence_asks_for_nothing() {
        let dates = ReliefDates { expires_on: Some(d(2027, 3, 1)), ..Default::default() };
        for s in [S::Expired, S::Revoked, S::Withdrawn] {
            assert_eq!(relief(K::ContinuedPresence, s, dates), vec![], "{s}");
        }
        // No expiry date, no task.
        assert_eq!(relief(K::ContinuedPresence, S::Granted, ReliefDates::default()), vec![]);
    }

    #[test]
    fn a_request_for_evidence_is_answered_14_days_before_it_is_due() {
        let dates =
            ReliefDates { filed_on: Some(d(2026, 5, 2)), rfe_due_on: Some(d(2026, 12, 10)), ..Default::default() };
        assert_eq!(relief(K::TVisa, S::Rfe, dates), vec![task(TaskKind::RfeResponse, d(2026, 11, 26))]);
        assert_eq!(relief(K::Asylum, S::Rfe, dates), vec![task(TaskKind::RfeResponse, d(2026, 11, 26))]);
        // Once answered (status moved on), no RFE task.
        assert_eq!(relief(K::TVisa, S::Filed, dates), vec![]);
    }

    #[test]
    fn a_denial_warns_a_week_before_the_30_day_appeal_window_closes() {
        let dates = ReliefDates { decided_on: Some(d(2026, 6, 10)), ..Default::default() };
        // 10 Jun + 23 days = 3 Jul.
        assert_eq!(relief(K::TVisa, S::Denied, dates), vec![task(TaskKind::AppealDeadline, d(2026, 7, 3))]);
        assert_eq!(relief(K::TVisa, S::Appealed, dates), vec![]);
    }

    #[test]
    fn a_granted_t_visa_asks_for_adjustment_after_3_years_and_warns_before_4() {
        // Granted on a leap day: + 36 months falls back to 28 Feb; + 48 months is 29 Feb 2028,
        // and 180 days before it: 29 + 31 + 31 + 30 + 31 + 28 → 2 Sep 2027.
        let dates = ReliefDates { granted_on: Some(d(2024, 2, 29)), ..Default::default() };
        assert_eq!(
            relief(K::TVisa, S::Granted, dates),
            vec![task(TaskKind::AdjustmentOfStatus, d(2027, 2, 28)), task(TaskKind::TVisaExpiry, d(2027, 9, 2)),]
        );
    }

    #[test]
    fn a_granted_u_visa_uses_its_own_expiry_when_given() {
        // 10 Jan 2029 − 180 days: 10 + 31 + 30 + 31 + 30 + 31 + 17 → 14 Jul 2028.
        let dates =
            ReliefDates { granted_on: Some(d(2025, 5, 15)), expires_on: Some(d(2029, 1, 10)), ..Default::default() };
        assert_eq!(
            relief(K::UVisa, S::Granted, dates),
            vec![task(TaskKind::AdjustmentOfStatus, d(2028, 5, 15)), task(TaskKind::UVisaExpiry, d(2028, 7, 14)),]
        );
        // Asylum granted: no T/U rules.
        assert_eq!(relief(K::Asylum, S::Granted, dates), vec![]);
    }

    #[test]
    fn a_supplement_b_must_be_used_within_6_months_of_signing() {
        // Signed 20 Jan 2026 → valid until 20 Jul 2026 → warn 30 days before: 20 Jun 2026.
        let dates = ReliefDates { certification_signed_on: Some(d(2026, 1, 20)), ..Default::default() };
        assert_eq!(
            relief(K::UVisa, S::Preparing, dates),
            vec![task(TaskKind::UVisaCertificationExpiry, d(2026, 6, 20))]
        );
        // Filed: the certification did its job.
        assert_eq!(relief(K::UVisa, S::Filed, dates), vec![]);
        let filed = ReliefDates { filed_on: Some(d(2026, 3, 1)), ..dates };
        assert_eq!(relief(K::UVisa, S::Preparing, filed), vec![]);
        // Only the U visa has a Supplement B.
        assert_eq!(relief(K::TVisa, S::Preparing, dates), vec![]);
    }

    #[test]
    fn hhs_interim_assistance_and_mexican_humanitarian_cards_are_renewed_in_time() {
        let hhs = ReliefDates { interim_expires_on: Some(d(2026, 4, 5)), ..Default::default() };
        assert_eq!(relief(K::HhsEligibility, S::Granted, hhs), vec![task(TaskKind::HhsInterimExpiry, d(2026, 3, 22))]);
        assert_eq!(relief(K::HhsEligibility, S::Withdrawn, hhs), vec![]);
        // 15 Jan 2027 − 30 days = 16 Dec 2026.
        let card = ReliefDates { expires_on: Some(d(2027, 1, 15)), ..Default::default() };
        assert_eq!(
            relief(K::MxHumanitarianVisa, S::Granted, card),
            vec![task(TaskKind::MxHumanitarianVisaRenewal, d(2026, 12, 16))]
        );
        assert_eq!(relief(K::MxHumanitarianVisa, S::Expired, card), vec![]);
        // The same expiry on a denuncia asks for nothing.
        assert_eq!(relief(K::MxDenuncia, S::Filed, card), vec![]);
    }

    #[test]
    fn consent_expiring_asks_again_14_days_before_unless_revoked() {
        assert_eq!(consent_task(d(2026, 12, 1), false), Some(task(TaskKind::ConsentExpiry, d(2026, 11, 17))));
        assert_eq!(consent_task(d(2026, 12, 1), true), None);
    }

    #[test]
    fn safe_contact_is_reconfirmed_90_days_after_confirmation() {
        // 2 Nov 2026 + 28 + 31 + 31 = 31 Jan 2027.
        assert_eq!(safe_contact_task(d(2026, 11, 2)), task(TaskKind::SafeContactReconfirm, d(2027, 1, 31)));
    }

    #[test]
    fn open_goals_appointments_and_follow_ups_are_due_on_their_dates() {
        assert_eq!(goal_task(GoalStatus::Open, Some(d(2027, 2, 1))), Some(task(TaskKind::GoalTarget, d(2027, 2, 1))));
        assert_eq!(goal_task(GoalStatus::Achieved, Some(d(2027, 2, 1))), None);
        assert_eq!(goal_task(GoalStatus::Paused, Some(d(2027, 2, 1))), None);
        assert_eq!(goal_task(GoalStatus::Open, None), None);
        assert_eq!(
            appointment_task(AppointmentStatus::Scheduled, d(2026, 11, 20), 2),
            Some(task(TaskKind::Appointment, d(2026, 11, 18)))
        );
        assert_eq!(
            appointment_task(AppointmentStatus::Scheduled, d(2026, 11, 20), 0),
            Some(task(TaskKind::Appointment, d(2026, 11, 20)))
        );
        assert_eq!(appointment_task(AppointmentStatus::Cancelled, d(2026, 11, 20), 2), None);
        assert_eq!(appointment_task(AppointmentStatus::Attended, d(2026, 11, 20), 2), None);
        assert_eq!(follow_up_task(Some(d(2026, 12, 24))), Some(task(TaskKind::FollowUp, d(2026, 12, 24))));
        assert_eq!(follow_up_task(None), None);
    }

    #[test]
    fn relief_dates_place_the_entry_on_its_latest_key_date() {
        let dates = ReliefDates {
            filed_on: Some(d(2025, 1, 1)),
            granted_on: Some(d(2026, 2, 1)),
            expires_on: Some(d(2030, 1, 1)),
            ..Default::default()
        };
        assert_eq!(dates.latest(), Some(d(2026, 2, 1)), "an expiry in the future is not where it happened");
        assert_eq!(ReliefDates::default().latest(), None);
    }
}
