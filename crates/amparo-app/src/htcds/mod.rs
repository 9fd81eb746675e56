//! The HTCDS projection: one row per person with a case, coded and de-identified, at its
//! finest grain. It is what the k-anonymous record export (`amparo-insights::htcds`) and the
//! differentially private release generalise or add noise to; it never leaves the
//! organisation as it is.
//!
//! Only coded values go in: no name, id, case number, free text, exact date or place below
//! the country. The one sealed value read is the birth date (for the age when the first case
//! opened), and only for people who have one; an estimated age is already in clear as the
//! birth year. Restricted cases count: the export is the organisation's statistics, and it
//! shows nobody a record.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use amparo_domain::records::age_on;
use amparo_domain::records::vocab::Gender;
use amparo_domain::{Action, OrgId, PersonId};
use amparo_store::{AuditOutcome, CaseRow, PersonRow};

use crate::records::{Identity, open_json};
use crate::{Amparo, AppError, AppResult, Caller};

/// Persons read per batch: three queries per batch, whatever the number of cases.
const BATCH: i64 = 1000;

/// One row per person with at least one case: coded, de-identified source values at their
/// finest grain (before any generalisation). No names, ids, free text, exact dates.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HtcdsPerson {
    /// The year the person's first case opened.
    pub year_of_registration: Option<i32>,
    /// Whole years when the first case opened (from the birth date, or the estimated age).
    pub age_at_registration: Option<u32>,
    /// HTCDS `prs_Gender` code (a decline code counts as not known).
    pub gender: Option<String>,
    /// ISO 3166-1 alpha-2: the first citizenship recorded.
    pub citizenship: Option<String>,
    /// ISO 3166-1 alpha-2: the first country of exploitation of the earliest case naming one.
    pub country_of_exploitation: Option<String>,
    /// HTCDS `vic_TypeOfExploitation` codes over all the person's cases, each once, sorted.
    pub exploitation: Vec<String>,
    /// HTCDS `vic_MethodsOfControl` codes over all the person's cases, each once, sorted.
    pub means_of_control: Vec<String>,
    /// HTCDS `vic_MethodOfRecruitment`: of the earliest case that records one.
    pub recruitment: Option<String>,
}

/// Prints no values: at their finest grain and together (age, citizenship, country, year)
/// these are the quasi-identifiers the k-anonymous export exists to hide, so they must not
/// reach a log line or a panic message.
impl std::fmt::Debug for HtcdsPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtcdsPerson").finish_non_exhaustive()
    }
}

/// The union of the codes of every case, each once, sorted (a stable order for the export).
fn union<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = lists.flatten().cloned().collect();
    out.sort();
    out.dedup();
    out
}

/// The age in whole years on `opened` of someone born on `birth` (or in `birth_year`, when
/// only an estimated age was given: its year is in clear, the date is not known).
fn age_at(birth: Option<NaiveDate>, birth_year: Option<i32>, opened: NaiveDate) -> Option<u32> {
    let age = match birth {
        Some(b) => age_on(b, opened),
        None => opened.year() - birth_year?,
    };
    u32::try_from(age).ok()
}

impl Amparo {
    /// The organisation's persons with a case, projected on the HTCDS fields (see
    /// [`HtcdsPerson`]). Administrators, supervisors and analysts (the domain's `ExportData`),
    /// or the operator. One `htcds.project` audit entry with the count only: no record is
    /// shown, so no per-person entry.
    pub async fn htcds_persons(&self, caller: &Caller, org: OrgId) -> AppResult<Vec<HtcdsPerson>> {
        if let Caller::User { actor, .. } = caller
            && actor.org != org
        {
            return Err(AppError::NotFound);
        }
        self.require_org(caller, org, Action::ExportData, "htcds.project").await?;
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let ids = self.inner.store.person_ids_in_org(org, after, BATCH).await?;
            let Some(last) = ids.last().copied() else { break };
            after = Some(last);
            let persons = self.inner.store.persons(&ids).await?;
            let mut cases: HashMap<PersonId, Vec<CaseRow>> = HashMap::with_capacity(ids.len());
            for c in self.inner.store.cases_of_persons(&ids).await? {
                cases.entry(c.person).or_default().push(c);
            }
            for p in &persons {
                if let Some(mine) = cases.get_mut(&p.id) {
                    out.push(self.project(p, mine)?);
                }
            }
            if (ids.len() as i64) < BATCH {
                break;
            }
        }
        let mut d = self.draft(caller, "htcds.project", AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(format!("persons.{}", out.len()));
        self.inner.auditor.record(vec![d]).await?;
        Ok(out)
    }

    /// Records that a de-identified file left, once it is made and before it is handed out:
    /// `action` says which (`htcds.export`), `detail` its parameters and counts (never a
    /// value of a record). Asked again of the domain: the projection alone proves nothing.
    pub async fn audit_deidentified_export(
        &self,
        caller: &Caller,
        org: OrgId,
        action: &str,
        detail: String,
    ) -> AppResult<()> {
        if let Caller::User { actor, .. } = caller
            && actor.org != org
        {
            return Err(AppError::NotFound);
        }
        self.require_org(caller, org, Action::ExportData, action).await?;
        let mut d = self.draft(caller, action, AuditOutcome::Ok);
        d.org = Some(org);
        d.detail = Some(detail);
        self.inner.auditor.record(vec![d]).await
    }

    /// One person and their cases (not empty) as the projection's row.
    fn project(&self, p: &PersonRow, cases: &mut [CaseRow]) -> AppResult<HtcdsPerson> {
        cases.sort_by(|a, b| (a.opened_on, &a.number).cmp(&(b.opened_on, &b.number)));
        let Some(first) = cases.first() else { return Ok(HtcdsPerson::default()) };
        let opened = first.opened_on;
        // The birth year is in clear only when a birth date or an estimated age was given;
        // only then is the sealed identity worth opening, for the date.
        let birth = if p.birth_year.is_some() {
            let key = self.person_key(p)?;
            let identity: Identity = open_json(&key, "persons", "identity", *p.id.as_uuid(), &p.identity)?;
            identity.birth_date()
        } else {
            None
        };
        Ok(HtcdsPerson {
            year_of_registration: Some(opened.year()),
            age_at_registration: age_at(birth, p.birth_year, opened),
            gender: p.gender.clone().filter(|g| Gender::from_code(g).is_ok()),
            citizenship: p.citizenship.first().cloned(),
            country_of_exploitation: cases.iter().find_map(|c| c.countries.first().cloned()),
            exploitation: union(cases.iter().map(|c| &c.exploitation_types)),
            means_of_control: union(cases.iter().map(|c| &c.means_of_control)),
            recruitment: cases.iter().find_map(|c| c.recruitment.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_from_the_birth_date_counts_whole_years_on_the_day_the_case_opened() {
        assert_eq!(age_at(Some(day(2000, 6, 15)), Some(2000), day(2018, 6, 14)), Some(17));
        assert_eq!(age_at(Some(day(2000, 6, 15)), Some(2000), day(2018, 6, 15)), Some(18));
    }

    #[test]
    fn an_estimated_age_counts_from_its_birth_year() {
        assert_eq!(age_at(None, Some(1990), day(2020, 1, 1)), Some(30));
        assert_eq!(age_at(None, None, day(2020, 1, 1)), None);
        assert_eq!(age_at(None, Some(2021), day(2020, 1, 1)), None, "born after the case opened: not known");
    }

    #[test]
    fn codes_of_several_cases_are_joined_once_and_sorted() {
        let a = vec!["SexualExploitation".to_owned(), "ForcedLabour".to_owned()];
        let b = vec!["ForcedLabour".to_owned()];
        assert_eq!(union([&a, &b].into_iter()), vec!["ForcedLabour", "SexualExploitation"]);
    }
}
