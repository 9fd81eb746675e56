//! A case's timeline: its own events and every entry the caller's sections allow, in date
//! order, filterable by kind.

use chrono::NaiveDate;
use serde::Serialize;

use amparo_domain::records::EntryKind;
use amparo_domain::records::{CaseStatus, ScreeningId};
use amparo_domain::referrals::{PartnerId, ReferralId};
use amparo_domain::{Action, CaseId, Section};

use super::entries::EntryView;
use crate::records::may;
use crate::{Amparo, AppError, AppResult, Caller};

/// The filter code of the case's own events (opened, closed).
const CASE_EVENTS: &str = "case";
/// The filter code (and item kind) of screenings taken for the case or the person.
const SCREENINGS: &str = "screening";
/// The filter code (and item kind) of referrals of the case or the person.
const REFERRALS: &str = "referral";

/// A screening on the timeline: coded results only (the answers stay on its own page).
#[derive(Clone, Debug, Serialize)]
pub struct TimelineScreening {
    pub id: ScreeningId,
    /// `phq9`, `gad7`, `pcl5`, `trafficking_indicators`, …
    pub instrument: String,
    pub total: i32,
    pub band: Option<String>,
    /// Flag codes raised (e.g. `suicide_risk`).
    pub flags: Vec<String>,
}

/// A referral on the timeline: codes only (what was shared and why stay on its own page).
#[derive(Clone, Debug, Serialize)]
pub struct TimelineReferral {
    pub id: ReferralId,
    /// `outgoing` or `incoming`.
    pub direction: String,
    /// `ReferralStatus` code.
    pub status: String,
    /// `ReferralUrgency` code.
    pub urgency: String,
    pub partner_id: Option<PartnerId>,
}

/// One line of a case's timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineItem {
    pub date: NaiveDate,
    /// `case_opened`, `case_status` (a change of status), `case_closed`, `screening`,
    /// `referral`, or an `EntryKind` code.
    pub kind: String,
    /// For `case_closed` and `case_status`: the status it took (`Active`, `FollowUp`,
    /// `Closed`, `ClosedReferred`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<TimelineScreening>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral: Option<TimelineReferral>,
}

impl TimelineItem {
    fn event(date: NaiveDate, kind: &str) -> Self {
        TimelineItem { date, kind: kind.to_owned(), case_status: None, entry: None, screening: None, referral: None }
    }
}

impl Amparo {
    /// Everything on a case in date order: the case's opening and closing, and each entry of
    /// a kind whose section the caller may read (others are left out, not refused). `kinds`
    /// filters by `EntryKind` codes and `case` (the case's own events); empty: everything.
    /// Needs `ReadRecord(Summary)` on the case; audited as one read (`case.timeline`).
    pub async fn timeline(&self, caller: &Caller, case: CaseId, kinds: &[String]) -> AppResult<Vec<TimelineItem>> {
        let mut wanted: Vec<EntryKind> = Vec::new();
        let (mut case_events, mut screenings, mut referrals) = (kinds.is_empty(), kinds.is_empty(), kinds.is_empty());
        for k in kinds {
            if k == CASE_EVENTS {
                case_events = true;
            } else if k == SCREENINGS {
                screenings = true;
            } else if k == REFERRALS {
                referrals = true;
            } else {
                let kind = EntryKind::from_code(k).map_err(|e| AppError::invalid("kind", e))?;
                if !wanted.contains(&kind) {
                    wanted.push(kind);
                }
            }
        }
        if kinds.is_empty() {
            wanted = EntryKind::ALL.to_vec();
        }
        let (case, record) = self.load_case(case).await?;
        self.require_case(caller, &case, &record, Action::ReadRecord(Section::Summary), "case.timeline").await?;
        let readable = readable_kinds(caller, &case, &record, &wanted);
        // Rank keeps a day's order: the opening first, entries as written, the closing last.
        let mut items: Vec<(NaiveDate, u8, TimelineItem)> = Vec::new();
        if case_events {
            items.push((case.opened_on, 0, TimelineItem::event(case.opened_on, "case_opened")));
            // Every change of status since the opening (a case closed and opened again shows
            // both); cases from before the history was kept show their closing alone.
            let history = self.inner.store.case_status_history(case.id).await?;
            if history.is_empty() {
                if let Some(closed) = case.closed_on {
                    let event = TimelineItem::event(closed, "case_closed");
                    items.push((closed, 2, TimelineItem { case_status: Some(case.status.clone()), ..event }));
                }
            } else {
                for change in history.into_iter().skip(1) {
                    let closed = CaseStatus::from_code(&change.status).is_ok_and(CaseStatus::is_closed);
                    let kind = if closed { "case_closed" } else { "case_status" };
                    // After the day's entries, in the order they happened (the sort is stable).
                    let event = TimelineItem::event(change.on_date, kind);
                    items.push((change.on_date, 2, TimelineItem { case_status: Some(change.status), ..event }));
                }
            }
        }
        if !readable.is_empty() {
            let key = self.person_key(&record.person)?;
            let codes: Vec<String> = readable.iter().map(|k| k.code().to_owned()).collect();
            for row in self.inner.store.case_entries(case.id, &codes).await? {
                let view = self.entry_view(&key, &row)?;
                let event = TimelineItem::event(view.date, &view.kind);
                let item = TimelineItem { entry: Some(view), ..event };
                items.push((item.date, 1, item));
            }
        }
        // Screenings and referrals of this case, and the person's own (made before any case
        // or for none): one case's timeline tells the person's story.
        let ours = |c: Option<CaseId>| c.is_none_or(|c| c == case.id);
        let one_case = one_case(&case, &record);
        if screenings && may(&one_case, caller, Action::ReadRecord(Section::Screening)).is_ok() {
            for s in self.inner.store.screenings_of_person(case.person).await?.into_iter().filter(|s| ours(s.case)) {
                let screening = TimelineScreening {
                    id: s.id,
                    instrument: s.instrument,
                    total: s.total,
                    band: s.band,
                    flags: serde_json::from_str(&s.flags).unwrap_or_default(),
                };
                let item = TimelineItem { screening: Some(screening), ..TimelineItem::event(s.taken_on, SCREENINGS) };
                items.push((item.date, 1, item));
            }
        }
        if referrals && may(&one_case, caller, Action::Refer).is_ok() {
            for r in self.inner.store.referrals_of_person(case.person).await?.into_iter().filter(|r| ours(r.case)) {
                let on = r.sent_at.unwrap_or(r.created_at).date_naive();
                let referral = TimelineReferral {
                    id: r.id,
                    direction: r.direction,
                    status: r.status,
                    urgency: r.urgency,
                    partner_id: r.partner,
                };
                let item = TimelineItem { referral: Some(referral), ..TimelineItem::event(on, REFERRALS) };
                items.push((on, 1, item));
            }
        }
        items.sort_by_key(|(date, rank, _)| (*date, *rank));
        if self.inner.config.audit_reads {
            let mut d =
                self.record_draft(caller, "case.timeline", amparo_store::AuditOutcome::Ok, "case", *case.id.as_uuid());
            d.org = Some(case.org);
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(items.into_iter().map(|(_, _, i)| i).collect())
    }
}

/// The kinds among `wanted` whose section the caller may read on this case. The case's scope
/// decides (not the person's other cases): a restricted case stays restricted here.
fn readable_kinds(
    caller: &Caller,
    case: &amparo_store::CaseRow,
    record: &crate::records::Record,
    wanted: &[EntryKind],
) -> Vec<EntryKind> {
    let one_case = one_case(case, record);
    wanted.iter().copied().filter(|k| may(&one_case, caller, Action::ReadRecord(k.section())).is_ok()).collect()
}

/// The record as far as one case goes: its scope decides, not the person's other cases.
fn one_case(case: &amparo_store::CaseRow, record: &crate::records::Record) -> crate::records::Record {
    crate::records::Record { person: record.person.clone(), cases: vec![case.clone()], grants: record.grants.clone() }
}

impl Amparo {
    /// The entries of a case by kind, oldest first, for every kind whose section the caller
    /// may read (the others are left out, not refused): what the case page shows, in one read
    /// of the case, one of its entries and one audit entry (`case_work.read`). Needs
    /// `ReadRecord(Summary)` on the case.
    pub async fn case_work_entries(
        &self,
        caller: &Caller,
        case: CaseId,
    ) -> AppResult<Vec<(EntryKind, Vec<EntryView>)>> {
        let (case, record) = self.load_case(case).await?;
        self.require_case(caller, &case, &record, Action::ReadRecord(Section::Summary), "case_work.read").await?;
        let readable = readable_kinds(caller, &case, &record, EntryKind::ALL);
        let mut out: Vec<(EntryKind, Vec<EntryView>)> = readable.iter().map(|k| (*k, Vec::new())).collect();
        if !readable.is_empty() {
            let key = self.person_key(&record.person)?;
            let codes: Vec<String> = readable.iter().map(|k| k.code().to_owned()).collect();
            for row in self.inner.store.case_entries(case.id, &codes).await? {
                let view = self.entry_view(&key, &row)?;
                if let Some((_, views)) = out.iter_mut().find(|(k, _)| k.code() == view.kind) {
                    views.push(view);
                }
            }
            for (kind, views) in &mut out {
                self.attach_custom(&case, &key, *kind, views).await?;
            }
        }
        if self.inner.config.audit_reads {
            let mut d =
                self.record_draft(caller, "case_work.read", amparo_store::AuditOutcome::Ok, "case", *case.id.as_uuid());
            d.org = Some(case.org);
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(out)
    }
}
