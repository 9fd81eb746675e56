//! A case's timeline: its own events and every entry the caller's sections allow, in date
//! order, filterable by kind.

use chrono::NaiveDate;
use serde::Serialize;

use amparo_domain::records::EntryKind;
use amparo_domain::{Action, CaseId, Section};

use super::entries::EntryView;
use crate::records::may;
use crate::{Amparo, AppError, AppResult, Caller};

/// The filter code of the case's own events (opened, closed).
const CASE_EVENTS: &str = "case";

/// One line of a case's timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineItem {
    pub date: NaiveDate,
    /// `case_opened`, `case_closed`, or an `EntryKind` code.
    pub kind: String,
    /// For `case_closed`: the case's status code (`Closed`, `ClosedReferred`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryView>,
}

impl Amparo {
    /// Everything on a case in date order: the case's opening and closing, and each entry of
    /// a kind whose section the caller may read (others are left out, not refused). `kinds`
    /// filters by `EntryKind` codes and `case` (the case's own events); empty: everything.
    /// Needs `ReadRecord(Summary)` on the case; audited as one read (`case.timeline`).
    pub async fn timeline(&self, caller: &Caller, case: CaseId, kinds: &[String]) -> AppResult<Vec<TimelineItem>> {
        let mut wanted: Vec<EntryKind> = Vec::new();
        let mut case_events = kinds.is_empty();
        for k in kinds {
            if k == CASE_EVENTS {
                case_events = true;
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
            items.push((
                case.opened_on,
                0,
                TimelineItem { date: case.opened_on, kind: "case_opened".into(), case_status: None, entry: None },
            ));
            if let Some(closed) = case.closed_on {
                items.push((
                    closed,
                    2,
                    TimelineItem {
                        date: closed,
                        kind: "case_closed".into(),
                        case_status: Some(case.status.clone()),
                        entry: None,
                    },
                ));
            }
        }
        if !readable.is_empty() {
            let key = self.person_key(&record.person)?;
            let codes: Vec<String> = readable.iter().map(|k| k.code().to_owned()).collect();
            for row in self.inner.store.case_entries(case.id, &codes).await? {
                let view = self.entry_view(&key, &row)?;
                items.push((
                    view.date,
                    1,
                    TimelineItem { date: view.date, kind: view.kind.clone(), case_status: None, entry: Some(view) },
                ));
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
    let one_case = crate::records::Record {
        person: record.person.clone(),
        cases: vec![case.clone()],
        grants: record.grants.clone(),
    };
    wanted.iter().copied().filter(|k| may(&one_case, caller, Action::ReadRecord(k.section())).is_ok()).collect()
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
