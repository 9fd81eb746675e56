//! `amparo export htcds`: a record-level file for partners and researchers, one row per
//! person with a case, in the columns of CTDC's k-anonymised global dataset, where every
//! distinct row occurs at least k times (k = 11 by default, CTDC's practice; never below 5)
//! and every group of rows equal but for the exploitation type shows at least two types.
//!
//! The app's projection gives the coded values at their finest grain ([`HtcdsPerson`]);
//! here they are generalised and suppressed ([`search`]), written as CSV with formulas
//! defused, and the export is audited (the projection's entry, then `htcds.export` with the
//! parameters and counts).

pub mod columns;
pub mod search;

use amparo_app::htcds::HtcdsPerson;
use amparo_app::{Amparo, AppError, Caller};
use amparo_domain::{Language, OrgId};
use amparo_i18n::{Arg, t, t_args};

use crate::defuse;
use columns::{ATTRS, Attr};

/// CTDC's practice, and the default.
pub const DEFAULT_K: usize = 11;
/// Below this no export is made (DESIGN.md §6).
pub const MIN_K: usize = 5;
/// Distinct exploitation types each group must show.
pub const L_DIVERSITY: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum HtcdsError {
    #[error("k must be at least 5")]
    KTooSmall,
    #[error("cannot write the file")]
    Write,
    #[error(transparent)]
    App(#[from] AppError),
}

impl HtcdsError {
    /// A stable code, also the i18n key `error-<code>` (for the app's errors: theirs).
    pub fn code(&self) -> &'static str {
        match self {
            HtcdsError::KTooSmall => "htcds_k_too_small",
            HtcdsError::Write => "export_write_failed",
            HtcdsError::App(_) => "htcds_failed",
        }
    }
}

/// What was generalised and suppressed: counts and levels only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub k: usize,
    /// Persons with a case (rows before suppression).
    pub persons: usize,
    pub rows: usize,
    /// Persons left out entirely.
    pub records_suppressed: usize,
    /// Cells blanked row by row for k-anonymity (values that were known at the chosen levels).
    pub cells_suppressed: usize,
    /// Exploitation cells blanked for l-diversity.
    pub l_diversity_cells: usize,
    /// The level chosen for each attribute, for the whole file.
    pub levels: Vec<(Attr, u8)>,
}

impl Summary {
    /// For the audit log: parameters and counts (`k.11 rows.812 of.2000 …`).
    pub fn audit_detail(&self) -> String {
        let levels: Vec<String> = self.levels.iter().map(|(a, l)| format!("{}.{l}", a.code())).collect();
        format!(
            "k.{} rows.{} of.{} records_suppressed.{} cells_suppressed.{} l_diversity_cells.{} {}",
            self.k,
            self.rows,
            self.persons,
            self.records_suppressed,
            self.cells_suppressed,
            self.l_diversity_cells,
            levels.join(" ")
        )
    }

    /// The summary in `lang`, a line each: totals, then how each attribute was written.
    pub fn lines(&self, lang: Language) -> Vec<String> {
        let n = |v: usize| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
        let mut out = vec![
            t_args(
                lang,
                "htcds-summary-rows",
                &[("rows", n(self.rows)), ("persons", n(self.persons)), ("k", n(self.k)), ("l", n(L_DIVERSITY))],
            ),
            t_args(lang, "htcds-summary-records-suppressed", &[("count", n(self.records_suppressed))]),
            t_args(lang, "htcds-summary-cells-suppressed", &[("count", n(self.cells_suppressed)), ("k", n(self.k))]),
            t_args(lang, "htcds-summary-l-diversity", &[("count", n(self.l_diversity_cells))]),
        ];
        for (a, l) in &self.levels {
            out.push(t_args(
                lang,
                "htcds-summary-level",
                &[
                    ("attribute", Arg::Str(t(lang, &format!("htcds-attr-{}", a.code())))),
                    ("level", Arg::Str(level_name(lang, *a, *l))),
                ],
            ));
        }
        out
    }
}

/// The localised name of an attribute's level.
pub fn level_name(lang: Language, a: Attr, level: u8) -> String {
    let code = a.levels().get(usize::from(level)).copied().unwrap_or("blank");
    t(lang, &format!("htcds-level-{}", code.replace('_', "-")))
}

/// The file: its header and rows (sorted, so that the order says nothing about the
/// records), and what was done to make it.
#[derive(Clone, Debug)]
pub struct Anonymised {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub summary: Summary,
}

/// Generalises and suppresses `persons` until every distinct row occurs at least `k` times
/// and is 2-diverse on the exploitation type. Pure: no store, no audit.
pub fn anonymise(persons: &[HtcdsPerson], k: usize) -> Result<Anonymised, HtcdsError> {
    if k < MIN_K {
        return Err(HtcdsError::KTooSmall);
    }
    let table = search::Table::new(persons);
    let best = search::search(&table, k);
    let mut rows: Vec<Vec<String>> = best
        .rows
        .iter()
        .map(|(i, levels)| {
            Attr::ALL.iter().enumerate().flat_map(|(a, attr)| attr.cells(&persons[*i], levels[a])).collect()
        })
        .collect();
    rows.sort();
    let summary = Summary {
        k,
        persons: persons.len(),
        rows: rows.len(),
        records_suppressed: persons.len() - rows.len(),
        cells_suppressed: best.cells_blanked,
        l_diversity_cells: best.l_diversity_blanked,
        levels: (0..ATTRS).map(|a| (Attr::ALL[a], best.node[a])).collect(),
    };
    Ok(Anonymised { headers: columns::headers(), rows, summary })
}

/// The CSV file, every cell through [`defuse`] (the cells are codes and flags, but a file
/// that partners open in a spreadsheet gets the same treatment as every other).
pub fn csv(a: &Anonymised) -> Result<Vec<u8>, HtcdsError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(&a.headers).map_err(|_| HtcdsError::Write)?;
    for row in &a.rows {
        w.write_record(row.iter().map(|c| defuse(c).into_owned())).map_err(|_| HtcdsError::Write)?;
    }
    w.into_inner().map_err(|_| HtcdsError::Write)
}

/// What an export at `k` would do, without handing out the file: the projection (audited as
/// such) and the anonymisation, for the page's summary.
pub async fn preview_htcds(app: &Amparo, caller: &Caller, org: OrgId, k: usize) -> Result<Anonymised, HtcdsError> {
    if k < MIN_K {
        return Err(HtcdsError::KTooSmall);
    }
    let persons = app.htcds_persons(caller, org).await?;
    anonymise(&persons, k)
}

/// The whole export: the projection (authorised and audited by the app), the anonymisation,
/// and the `htcds.export` audit entry before the file is handed out.
pub async fn export_htcds(app: &Amparo, caller: &Caller, org: OrgId, k: usize) -> Result<Anonymised, HtcdsError> {
    if k < MIN_K {
        return Err(HtcdsError::KTooSmall);
    }
    let persons = app.htcds_persons(caller, org).await?;
    let a = anonymise(&persons, k)?;
    app.audit_deidentified_export(caller, org, "htcds.export", a.summary.audit_detail()).await?;
    Ok(a)
}
