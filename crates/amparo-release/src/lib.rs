//! Differentially private releases for open publication (DESIGN.md §6): 1-, 2- and 3-way
//! count tables over a fixed public codebook, counted per person, with discrete Gaussian noise
//! from the `opendp` crate under zero-concentrated DP, stated as (ε, δ), then made
//! consistent, non-negative and whole.
//!
//! A leaf crate on purpose: `opendp` is one of the heaviest builds in the workspace
//! (DESIGN.md §8), so only the command line and the web crate pull it in.
//!
//! - [`codebook`]: the public columns and values, and how a person's coded values map to them.
//! - [`tables`]: the tables and their cells; exact counting (one count per person per table).
//! - [`noise`]: calibration and sampling through opendp.
//! - [`consistency`]: post-processing (least squares, non-negativity, rounding).
//! - [`publish`]: the whole release for an organisation, with its budget ledger and audit.

#![deny(clippy::unwrap_used)]

pub mod codebook;
pub mod consistency;
pub mod noise;
pub mod publish;
pub mod tables;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use codebook::{COLUMNS, Respondent};
use tables::{TableShape, all_tables, count, projection};

/// δ when none is given: well below one over any organisation's number of survivors.
pub const DEFAULT_DELTA: f64 = 1e-6;
/// The largest ε one release may spend (a budget may allow less).
pub const MAX_EPSILON: f64 = 10.0;
/// The largest δ accepted.
pub const MAX_DELTA: f64 = 1e-4;
/// 1-, 2- and 3-way tables.
pub const MAX_ORDER: usize = 3;

/// Why a release cannot be made. Codes are stable and double as i18n keys.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReleaseError {
    #[error("epsilon must be a number above 0 and at most 10")]
    EpsilonInvalid,
    #[error("delta must be a number above 0 and at most 0.0001")]
    DeltaInvalid,
    /// opendp refused a measurement or a sample (should not happen with valid parameters).
    #[error("noise: {0}")]
    Noise(String),
}

impl ReleaseError {
    pub fn code(&self) -> &'static str {
        match self {
            ReleaseError::EpsilonInvalid => "release_epsilon_invalid",
            ReleaseError::DeltaInvalid => "release_delta_invalid",
            ReleaseError::Noise(_) => "release_noise_failed",
        }
    }
}

/// What a release spends: ε and δ of (ε, δ)-differential privacy for one person's data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    pub epsilon: f64,
    pub delta: f64,
}

impl Budget {
    pub fn new(epsilon: f64, delta: Option<f64>) -> Result<Budget, ReleaseError> {
        if !(epsilon.is_finite() && epsilon > 0.0 && epsilon <= MAX_EPSILON) {
            return Err(ReleaseError::EpsilonInvalid);
        }
        let delta = delta.unwrap_or(DEFAULT_DELTA);
        if !(delta.is_finite() && delta > 0.0 && delta <= MAX_DELTA) {
            return Err(ReleaseError::DeltaInvalid);
        }
        Ok(Budget { epsilon, delta })
    }
}

/// The published file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// (ε, δ)-differential privacy, one person being the unit protected.
    pub epsilon: f64,
    pub delta: f64,
    /// The zero-concentrated DP parameter the noise was calibrated to (ρ-zCDP implies the
    /// (ε, δ) above, by opendp's conversion).
    pub rho: f64,
    /// Standard deviation (scale) of the discrete Gaussian noise added to every cell.
    pub noise_scale: f64,
    pub created_at: DateTime<Utc>,
    /// "person": each person counts once in each table.
    pub unit: String,
    pub mechanism: String,
    pub post_processing: String,
    pub codebook: Vec<CodebookColumn>,
    pub tables: Vec<ReleasedTable>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodebookColumn {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedTable {
    pub columns: Vec<String>,
    pub cells: Vec<ReleasedCell>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedCell {
    pub values: Vec<String>,
    pub count: u64,
}

impl Release {
    /// The number of tables (1-, 2- and 3-way).
    pub fn table_count() -> usize {
        all_tables(MAX_ORDER).len()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Makes a release of `rows` (one per person), spending `budget`. Fresh noise each call,
/// from opendp's sampler.
pub fn make_release(rows: &[Respondent], budget: Budget, now: DateTime<Utc>) -> Result<Release, ReleaseError> {
    let tables = all_tables(MAX_ORDER);
    let calibration = noise::calibrate(budget, tables.len())?;
    let exact = count(&tables, rows);
    let flat: Vec<i64> = exact.into_iter().flatten().collect();
    let noisy_flat = noise::add_noise(flat, calibration.sigma)?;
    let mut noisy: Vec<Vec<f64>> = Vec::with_capacity(tables.len());
    let mut at = 0;
    for t in &tables {
        noisy.push(noisy_flat[at..at + t.len()].iter().map(|&v| v as f64).collect());
        at += t.len();
    }
    let post = consistency::Consistency::new(&tables, &vec![calibration.sigma * calibration.sigma; tables.len()]);
    let counts = post.estimate(&noisy);
    Ok(Release {
        epsilon: budget.epsilon,
        delta: budget.delta,
        rho: calibration.rho,
        noise_scale: calibration.sigma,
        created_at: now,
        unit: "person".to_owned(),
        mechanism: "discrete Gaussian (opendp make_gaussian), zCDP converted to (epsilon, delta)".to_owned(),
        post_processing: "1-way: least squares over all tables; 2-, 3-way: nearest consistent non-negative (Dykstra); rounded, children capped at parents".to_owned(),
        codebook: COLUMNS
            .iter()
            .map(|c| CodebookColumn { name: c.name.to_owned(), values: c.values.iter().map(|v| (*v).to_owned()).collect() })
            .collect(),
        tables: tables.iter().zip(counts).map(|(t, cells)| released_table(t, &cells)).collect(),
    })
}

fn released_table(t: &TableShape, cells: &[u64]) -> ReleasedTable {
    ReleasedTable {
        columns: t.columns.iter().map(|&c| COLUMNS[c].name.to_owned()).collect(),
        cells: cells
            .iter()
            .enumerate()
            .map(|(i, &count)| ReleasedCell {
                values: t.values_of(i).iter().zip(&t.columns).map(|(&v, &c)| COLUMNS[c].values[v].to_owned()).collect(),
                count,
            })
            .collect(),
    }
}

/// The invariants a release's counts keep: (counts are unsigned, so never negative) every
/// cell of a table is at most each parent cell it falls in (1-way ≥ 2-way ≥ 3-way).
pub fn check_invariants(tables: &[TableShape], counts: &[Vec<u64>]) -> Result<(), String> {
    for (ci, child) in tables.iter().enumerate() {
        for (pi, parent) in tables.iter().enumerate() {
            if pi == ci || parent.mask() & child.mask() != parent.mask() {
                continue;
            }
            for (cell, &to) in projection(&child.columns, &parent.columns).iter().enumerate() {
                if counts[ci][cell] > counts[pi][to] {
                    return Err(format!(
                        "table {:?} cell {cell} ({}) above its parent in {:?} ({})",
                        child.columns, counts[ci][cell], parent.columns, counts[pi][to]
                    ));
                }
            }
        }
    }
    Ok(())
}
