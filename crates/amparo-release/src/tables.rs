//! Which tables a release holds (every 1-, 2- and 3-way combination of the codebook's columns)
//! and how a table's cells are laid out: mixed radix over its columns, the first column most
//! significant, so cell `i` of a table over (a, b) is `value_a * |b| + value_b`.

use crate::codebook::{COLUMNS, Respondent};

/// A table: the indices (into [`COLUMNS`]) of its columns, ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableShape {
    pub columns: Vec<usize>,
}

impl TableShape {
    pub fn mask(&self) -> u32 {
        mask_of(&self.columns)
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        cells_of(&self.columns)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell a person counts in.
    pub fn cell_of(&self, r: &Respondent) -> usize {
        self.columns.iter().fold(0, |acc, &c| acc * COLUMNS[c].values.len() + usize::from(r.0[c]))
    }

    /// The value index of each column for cell `cell`.
    pub fn values_of(&self, mut cell: usize) -> Vec<usize> {
        let mut out = vec![0; self.columns.len()];
        for (slot, &c) in self.columns.iter().enumerate().rev() {
            let k = COLUMNS[c].values.len();
            out[slot] = cell % k;
            cell /= k;
        }
        out
    }
}

pub fn mask_of(columns: &[usize]) -> u32 {
    columns.iter().fold(0, |m, &c| m | (1 << c))
}

pub fn columns_of(mask: u32) -> Vec<usize> {
    (0..COLUMNS.len()).filter(|c| mask & (1 << c) != 0).collect()
}

pub fn cells_of(columns: &[usize]) -> usize {
    columns.iter().map(|&c| COLUMNS[c].values.len()).product()
}

/// Every combination of 1 to `max_order` columns: the 1-way tables first, then the 2-way,
/// then the 3-way, each in lexicographic order of their columns.
pub fn all_tables(max_order: usize) -> Vec<TableShape> {
    let n = COLUMNS.len();
    let mut out = Vec::new();
    for order in 1..=max_order.min(n) {
        let mut masks: Vec<u32> = (0u32..(1 << n)).filter(|m| m.count_ones() as usize == order).collect();
        masks.sort_by_key(|&m| columns_of(m));
        out.extend(masks.into_iter().map(|m| TableShape { columns: columns_of(m) }));
    }
    out
}

/// The exact counts of each table: each person adds one to exactly one cell of each table.
pub fn count(tables: &[TableShape], rows: &[Respondent]) -> Vec<Vec<i64>> {
    let mut out: Vec<Vec<i64>> = tables.iter().map(|t| vec![0; t.len()]).collect();
    for r in rows {
        for (t, counts) in tables.iter().zip(out.iter_mut()) {
            counts[t.cell_of(r)] += 1;
        }
    }
    out
}

/// For each cell of the table over `from`, the cell of the table over `to` (a subset of
/// `from`) it falls in.
pub fn projection(from: &[usize], to: &[usize]) -> Vec<usize> {
    let n = cells_of(from);
    let shape = TableShape { columns: from.to_vec() };
    (0..n)
        .map(|cell| {
            let values = shape.values_of(cell);
            from.iter()
                .zip(values)
                .filter(|(c, _)| to.contains(c))
                .fold(0, |acc, (&c, v)| acc * COLUMNS[c].values.len() + v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_columns_give_7_21_and_35_tables() {
        let t = all_tables(3);
        assert_eq!(t.iter().filter(|t| t.columns.len() == 1).count(), 7);
        assert_eq!(t.iter().filter(|t| t.columns.len() == 2).count(), 21);
        assert_eq!(t.iter().filter(|t| t.columns.len() == 3).count(), 35);
        assert_eq!(t[0].columns, [0]);
        assert_eq!(t[7].columns, [0, 1]);
    }

    #[test]
    fn cells_round_trip_through_their_values() {
        let shape = TableShape { columns: vec![0, 2, 5] };
        let r = Respondent([2, 0, 7, 0, 0, 1, 0]);
        let cell = shape.cell_of(&r);
        assert_eq!(shape.values_of(cell), [2, 7, 1]);
        let p = projection(&shape.columns, &[0, 5]);
        assert_eq!(p[cell], 2 * 2 + 1);
    }
}
