//! Post-processing of the noisy tables: consistent, non-negative, whole counts.
//!
//! 1. **Least-squares consistency.** The noisy tables are projected onto the set of tables
//!    that are all marginals of one common table over the whole codebook (so any 2-way cell
//!    equals the sum of the 3-way cells below it, in every 3-way table that contains it).
//!    With the same noise on every table this projection is the least-squares estimate, and it
//!    pools information: a 1-way count is estimated from its own table *and* from every 2-
//!    and 3-way table that contains it, so it is far less noisy than the noise added to it.
//!    The projection has a closed form on marginal tables (the ANOVA decomposition of the
//!    common table: each interaction is the weighted average of what every table containing
//!    it says about it, weights inversely proportional to the noise variance), so it costs a
//!    few passes over the cells, not a solve over the 25,920 cells of the full table.
//! 2. **Non-negativity.** Dykstra's alternating projections between that set and the
//!    non-negative counts converge to the nearest consistent, non-negative tables. Both sets are
//!    convex and contain the true counts, so each projection can only bring the estimate closer
//!    to them (in total squared error): this step reduces error, it does not only clamp.
//!    Measured on skewed synthetic data (5,000 people, ε = 1, `tests/method_comparison.rs`),
//!    mean absolute error in units of the noise scale σ, 1-/2-/3-way: raw noise 0.75/0.78/0.79;
//!    least squares then clamping 0.36/0.33/0.37; nearest non-negative 0.66/0.29/0.19; what is
//!    published (below, after rounding and capping) 0.36/0.27/0.19. The non-negative projection is best
//!    for the sparse 2- and 3-way tables but biases the 1-way totals upwards (the many true
//!    zeros below them can only be estimated upwards), so 1-way tables take the least-squares
//!    estimate, 2- and 3-way tables the non-negative one.
//! 3. **Whole counts.** Each cell is rounded to the nearest whole number; then, from the 1-way
//!    tables down, any child cell above one of its parent cells is lowered to it, so every
//!    parent is at least each of its children (1-way ≥ 2-way ≥ 3-way).
//!
//! Everything here is post-processing of the noisy counts: it reads no data, so it costs no
//! privacy.

use std::collections::BTreeMap;

use crate::tables::{TableShape, cells_of, columns_of, projection};

/// Precomputed structure for projecting a family of tables (closed under nothing in
/// particular: every subset of every table is handled).
#[derive(Debug)]
pub struct Consistency {
    tables: Vec<TableShape>,
    /// Weight of each table: 1 / (noise variance × cells the table sums per cell of a
    /// subset), up to a common factor; with equal noise, 1 / cells.
    weight: Vec<f64>,
    /// Every subset (as a column mask) of some table, with the tables that contain it and,
    /// for each, the map from the table's cells to the subset's cells.
    subsets: BTreeMap<u32, Vec<(usize, Vec<usize>)>>,
}

impl Consistency {
    /// `variance[t]`: the noise variance of table `t`'s cells.
    pub fn new(tables: &[TableShape], variance: &[f64]) -> Consistency {
        let mut subsets: BTreeMap<u32, Vec<(usize, Vec<usize>)>> = BTreeMap::new();
        for (i, t) in tables.iter().enumerate() {
            let m = t.mask();
            // Every subset of m, the empty one included.
            let mut s = m;
            loop {
                subsets.entry(s).or_default().push((i, projection(&t.columns, &columns_of(s))));
                if s == 0 {
                    break;
                }
                s = (s - 1) & m;
            }
        }
        let weight = tables.iter().zip(variance).map(|(t, v)| 1.0 / (v * t.len() as f64)).collect();
        Consistency { tables: tables.to_vec(), weight, subsets }
    }

    /// The weighted least-squares projection of `y` onto consistent tables.
    pub fn project(&self, y: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let mut out: Vec<Vec<f64>> = self.tables.iter().map(|t| vec![0.0; t.len()]).collect();
        for (&mask, holders) in &self.subsets {
            let sub_columns = columns_of(mask);
            let sub_cells = cells_of(&sub_columns);
            // What the tables containing S say about S's marginal, weighted.
            let mut h = vec![0.0; sub_cells];
            let mut den = 0.0;
            for (t, map) in holders {
                let w = self.weight[*t];
                den += w;
                for (cell, &to) in map.iter().enumerate() {
                    h[to] += w * y[*t][cell];
                }
            }
            for v in &mut h {
                *v /= den;
            }
            center(&sub_columns, &mut h);
            // Add S's interaction to every table containing S, spread over the cells each
            // of S's cells covers.
            for (t, map) in holders {
                let share = sub_cells as f64 / self.tables[*t].len() as f64;
                for (cell, &to) in map.iter().enumerate() {
                    out[*t][cell] += share * h[to];
                }
            }
        }
        out
    }

    /// The nearest (weighted least squares) consistent, non-negative tables, by Dykstra's
    /// algorithm; stops when the consistent iterate has no cell below `-tolerance`.
    pub fn project_non_negative(&self, y: &[Vec<f64>], max_rounds: usize, tolerance: f64) -> Vec<Vec<f64>> {
        let mut x = self.project(y);
        let mut q: Vec<Vec<f64>> = x.iter().map(|t| vec![0.0; t.len()]).collect();
        for _ in 0..max_rounds {
            if x.iter().flatten().all(|&v| v >= -tolerance) {
                break;
            }
            // The consistent set is a subspace: Dykstra needs no correction term for it.
            let mut b = x.clone();
            for ((bt, qt), xt) in b.iter_mut().zip(q.iter_mut()).zip(&x) {
                for ((bv, qv), &xv) in bt.iter_mut().zip(qt.iter_mut()).zip(xt) {
                    let shifted = xv + *qv;
                    *bv = shifted.max(0.0);
                    *qv = shifted - *bv;
                }
            }
            x = self.project(&b);
        }
        for v in x.iter_mut().flatten() {
            *v = v.max(0.0);
        }
        x
    }

    /// Whole counts, every parent cell at least each of its children: rounded to the
    /// nearest, then, from the 1-way tables down, a child above a parent is lowered to it.
    pub fn round(&self, x: &[Vec<f64>]) -> Vec<Vec<u64>> {
        let mut out: Vec<Vec<u64>> = x.iter().map(|t| t.iter().map(|v| v.max(0.0).round() as u64).collect()).collect();
        let mut order: Vec<usize> = (0..self.tables.len()).collect();
        order.sort_by_key(|&i| self.tables[i].columns.len());
        for &child in &order {
            let cm = self.tables[child].mask();
            for (parent, pt) in self.tables.iter().enumerate() {
                let pm = pt.mask();
                if parent == child || pm & cm != pm {
                    continue;
                }
                let map = projection(&self.tables[child].columns, &pt.columns);
                for (cell, &to) in map.iter().enumerate() {
                    let cap = out[parent][to];
                    if out[child][cell] > cap {
                        out[child][cell] = cap;
                    }
                }
            }
        }
        out
    }

    /// The estimate a release publishes (see the module's notes): for 1-way tables the
    /// least-squares estimate (unbiased; the non-negative projection would push them up, as
    /// the many true zeros of the larger tables can only be estimated upwards), for 2- and
    /// 3-way tables the nearest consistent non-negative tables; then whole counts.
    pub fn estimate(&self, noisy: &[Vec<f64>]) -> Vec<Vec<u64>> {
        let least_squares = self.project(noisy);
        let non_negative = self.project_non_negative(noisy, 400, 1e-3);
        let chosen: Vec<Vec<f64>> = self
            .tables
            .iter()
            .zip(least_squares)
            .zip(non_negative)
            .map(|((t, ls), nn)| if t.columns.len() == 1 { ls } else { nn })
            .collect();
        self.round(&chosen)
    }
}

/// Removes from a table over `columns` its mean along each column in turn: what remains is
/// the interaction of exactly these columns (the ANOVA component), zero-sum along each axis.
fn center(columns: &[usize], h: &mut [f64]) {
    let sizes: Vec<usize> = columns.iter().map(|&c| crate::codebook::COLUMNS[c].values.len()).collect();
    let total = h.len();
    let mut stride_after = total;
    for &k in &sizes {
        stride_after /= k;
        // Cells are indexed (outer, axis, inner) with inner of size stride_after.
        let outer = total / (k * stride_after);
        for o in 0..outer {
            for i in 0..stride_after {
                let idx = |a: usize| (o * k + a) * stride_after + i;
                let mean = (0..k).map(|a| h[idx(a)]).sum::<f64>() / k as f64;
                for a in 0..k {
                    h[idx(a)] -= mean;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Respondent;
    use crate::tables::{all_tables, count};

    fn rows(n: usize, seed: u64) -> Vec<Respondent> {
        // A small deterministic generator: the test must not depend on chance.
        let mut s = seed;
        let mut next = |k: u8| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 33) % u64::from(k)) as u8
        };
        (0..n).map(|_| Respondent([next(4), next(10), next(9), next(9), next(2), next(2), next(2)])).collect()
    }

    #[test]
    fn exact_counts_are_already_consistent_and_stay_as_they_are() {
        let tables = all_tables(3);
        let exact: Vec<Vec<f64>> =
            count(&tables, &rows(500, 7)).into_iter().map(|t| t.into_iter().map(|v| v as f64).collect()).collect();
        let c = Consistency::new(&tables, &vec![1.0; tables.len()]);
        let p = c.project(&exact);
        for (a, b) in p.iter().flatten().zip(exact.iter().flatten()) {
            assert!((a - b).abs() < 1e-6, "{a} != {b}");
        }
    }

    #[test]
    fn the_projection_is_consistent_and_idempotent() {
        let tables = all_tables(3);
        let mut s = 11u64;
        let noisy: Vec<Vec<f64>> = tables
            .iter()
            .map(|t| {
                (0..t.len())
                    .map(|_| {
                        s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                        ((s >> 40) % 100) as f64 - 30.0
                    })
                    .collect()
            })
            .collect();
        let c = Consistency::new(&tables, &vec![1.0; tables.len()]);
        let p = c.project(&noisy);
        let again = c.project(&p);
        for (a, b) in p.iter().flatten().zip(again.iter().flatten()) {
            assert!((a - b).abs() < 1e-6);
        }
        // Every parent equals the sum of its children in every table containing it.
        for (ci, child) in tables.iter().enumerate() {
            for (pi, parent) in tables.iter().enumerate() {
                if pi == ci || parent.mask() & child.mask() != parent.mask() {
                    continue;
                }
                let mut sums = vec![0.0; parent.len()];
                for (cell, &to) in projection(&child.columns, &parent.columns).iter().enumerate() {
                    sums[to] += p[ci][cell];
                }
                for (a, b) in sums.iter().zip(&p[pi]) {
                    assert!((a - b).abs() < 1e-6);
                }
            }
        }
    }

    #[test]
    fn non_negative_projection_leaves_no_negative_and_keeps_parents_above_children() {
        let tables = all_tables(3);
        let mut s = 5u64;
        let noisy: Vec<Vec<f64>> = tables
            .iter()
            .map(|t| {
                (0..t.len())
                    .map(|_| {
                        s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
                        ((s >> 40) % 20) as f64 - 10.0
                    })
                    .collect()
            })
            .collect();
        let c = Consistency::new(&tables, &vec![1.0; tables.len()]);
        let x = c.project_non_negative(&noisy, 300, 1e-3);
        assert!(x.iter().flatten().all(|&v| v >= 0.0));
        let r = c.round(&x);
        crate::check_invariants(&tables, &r).unwrap_or_else(|e| panic!("{e}"));
    }
}
