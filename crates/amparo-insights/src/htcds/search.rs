//! k-anonymity over all the export's columns together, then l-diversity on the exploitation
//! type.
//!
//! 1. Every node of the generalisation lattice (one level per attribute; 768 nodes) is a
//!    candidate. At a node, rows whose whole tuple occurs at least k times are kept as they
//!    are.
//! 2. Local suppression: each other row tries blanking one attribute, then two, …, cheapest
//!    first (what it costs in utility), and is kept as soon as its blanked tuple occurs k
//!    times (among the rows already kept and those blanked the same way). A row that would
//!    keep nothing, or still stands alone after four blanks, is dropped.
//! 3. l-diversity (l = 2): within each class of rows equal on every column but the
//!    exploitation type, the known exploitation values must be at least two distinct ones
//!    (or none at all); where they are not, that class's exploitation cells are blanked. The
//!    class then forms one tuple of at least k rows, so k-anonymity still holds.
//! 4. The node whose outcome keeps the most information wins: each kept cell counts by how
//!    fine its level is (a blank counts nothing, a dropped row nothing at all); ties go to
//!    more rows. Nodes are tried best bound first, and a node whose bound cannot beat the
//!    best outcome so far is skipped, so the search is exhaustive without evaluating all.
//!
//! Values are interned per attribute and level, so a tuple is seven integers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use amparo_app::htcds::HtcdsPerson;

use super::columns::{ATTRS, Attr};

/// A row's generalised values, one interned id per attribute.
type Key = [u32; ATTRS];
/// The level each attribute is written at, for the whole export or one row.
pub type Levels = [u8; ATTRS];

/// Most attributes one row may have blanked by local suppression.
const MAX_BLANKED: u32 = 4;
/// Levels stored per attribute (the most any attribute has).
const STRIDE: usize = 4;
const EXPLOITATION: usize = 6;

/// A small multiplicative hasher: the keys are short arrays of small integers, and SipHash's
/// protection against chosen keys buys nothing here.
#[derive(Default)]
struct Mix(u64);

impl Mix {
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

type Map<V> = HashMap<Key, V, BuildHasherDefault<Mix>>;

/// Every person's value ids at every level of every attribute.
#[derive(Debug)]
pub struct Table {
    n: usize,
    ids: Vec<u32>,
    /// The id of the blank cells of each attribute (also what an unknown value writes).
    blank: Key,
}

impl Table {
    pub fn new(persons: &[HtcdsPerson]) -> Table {
        let mut interned: Vec<HashMap<Vec<String>, u32>> = vec![HashMap::new(); ATTRS];
        let mut intern = |a: usize, cells: Vec<String>| {
            let next = interned[a].len() as u32;
            *interned[a].entry(cells).or_insert(next)
        };
        let mut blank = [0; ATTRS];
        for (a, attr) in Attr::ALL.iter().enumerate() {
            blank[a] = intern(a, attr.cells(&HtcdsPerson::default(), attr.blank()));
        }
        let mut ids = Vec::with_capacity(persons.len() * ATTRS * STRIDE);
        for p in persons {
            for (a, attr) in Attr::ALL.iter().enumerate() {
                for level in 0..STRIDE as u8 {
                    ids.push(intern(a, attr.cells(p, level.min(attr.blank()))));
                }
            }
        }
        Table { n: persons.len(), ids, blank }
    }

    fn id(&self, row: usize, attr: usize, level: u8) -> u32 {
        self.ids[(row * ATTRS + attr) * STRIDE + level as usize]
    }

    fn key(&self, row: usize, levels: &Levels) -> Key {
        std::array::from_fn(|a| self.id(row, a, levels[a]))
    }
}

/// What one attribute at one level is worth in a kept row: 6 at its finest, 0 blank
/// (6 divides evenly by every attribute's number of steps).
fn worth(attr: Attr, level: u8) -> u64 {
    let blank = u64::from(attr.blank());
    6 / blank * (blank - u64::from(level.min(attr.blank())))
}

fn row_worth(levels: &Levels) -> u64 {
    Attr::ALL.iter().zip(levels).map(|(a, l)| worth(*a, *l)).sum()
}

/// The outcome at one node of the lattice.
#[derive(Debug)]
pub struct Outcome {
    pub node: Levels,
    /// The rows kept: the person's position and the level of each of its attributes.
    pub rows: Vec<(usize, Levels)>,
    /// Cells that had a value at the node's levels and were blanked (k-anonymity).
    pub cells_blanked: usize,
    /// Exploitation cells blanked for l-diversity.
    pub l_diversity_blanked: usize,
    pub utility: u64,
}

/// Every node of the lattice.
fn nodes() -> Vec<Levels> {
    let mut out = vec![[0u8; ATTRS]];
    for (a, attr) in Attr::ALL.iter().enumerate() {
        out = out
            .into_iter()
            .flat_map(|n| {
                (0..=attr.top_global()).map(move |l| {
                    let mut m = n;
                    m[a] = l;
                    m
                })
            })
            .collect();
    }
    out
}

/// The row's levels with the attributes in `mask` blanked.
fn blanked(node: &Levels, mask: u32) -> Levels {
    std::array::from_fn(|a| if mask & (1 << a) != 0 { Attr::ALL[a].blank() } else { node[a] })
}

/// The masks local suppression tries at `node`, cheapest first: each blanks attributes not
/// already blank there.
fn masks(node: &Levels) -> Vec<u32> {
    let already: u32 = (0..ATTRS).filter(|a| node[*a] == Attr::ALL[*a].blank()).map(|a| 1 << a).sum();
    let mut m: Vec<u32> = (1u32..(1 << ATTRS)).filter(|m| m & already == 0 && m.count_ones() <= MAX_BLANKED).collect();
    let cost = |m: u32| row_worth(node) - row_worth(&blanked(node, m));
    m.sort_by_key(|m| (cost(*m), m.count_ones(), *m));
    m
}

/// The lowest cost of blanking one more attribute at `node` (what any row outside a
/// k-group loses at least).
fn least_blank_cost(node: &Levels) -> u64 {
    masks(node).first().map_or(u64::MAX, |m| row_worth(node) - row_worth(&blanked(node, *m)))
}

/// The outcome at `node`, or `None` as soon as it is sure not to beat `to_beat`: masks are
/// tried cheapest first, so a row still waiting can at best keep the node's worth less the
/// cost of the next mask.
fn evaluate(t: &Table, node: Levels, counts: &Map<u32>, k: u32, to_beat: Option<u64>) -> Option<Outcome> {
    let per_row = row_worth(&node);
    let mut accepted: Map<u32> = Map::default();
    let mut rows = Vec::with_capacity(t.n);
    let mut remaining = Vec::new();
    for i in 0..t.n {
        let key = t.key(i, &node);
        if key == t.blank {
            continue;
        }
        if counts.get(&key).copied().unwrap_or(0) >= k {
            rows.push((i, node));
        } else {
            remaining.push(i);
        }
    }
    for (key, n) in counts {
        if *n >= k && *key != t.blank {
            accepted.insert(*key, *n);
        }
    }
    let mut kept_worth: u64 = rows.len() as u64 * per_row;
    for mask in masks(&node) {
        if remaining.is_empty() {
            break;
        }
        let levels = blanked(&node, mask);
        let worth_here = row_worth(&levels);
        if to_beat.is_some_and(|b| kept_worth + remaining.len() as u64 * worth_here <= b) {
            return None;
        }
        let keys: Vec<Key> = remaining.iter().map(|i| t.key(*i, &levels)).collect();
        let mut tally: Map<u32> = Map::default();
        for key in &keys {
            *tally.entry(*key).or_default() += 1;
        }
        let mut next = Vec::with_capacity(remaining.len());
        for (i, key) in remaining.iter().zip(&keys) {
            let total = tally[key] + accepted.get(key).copied().unwrap_or(0);
            if total >= k && *key != t.blank {
                rows.push((*i, levels));
                kept_worth += worth_here;
            } else {
                next.push(*i);
            }
        }
        for (key, n) in tally {
            if n + accepted.get(&key).copied().unwrap_or(0) >= k && key != t.blank {
                *accepted.entry(key).or_default() += n;
            }
        }
        remaining = next;
    }
    let l_diversity_blanked = l_diversify(t, &mut rows);
    // A row left with nothing but blanks says nothing: dropped (its whole tuple goes, so the
    // other tuples keep their counts).
    rows.retain(|(i, levels)| t.key(*i, levels) != t.blank);
    let mut cells_blanked = 0;
    for (i, levels) in &rows {
        for (a, (row_level, node_level)) in levels.iter().zip(&node).enumerate() {
            if row_level != node_level && t.id(*i, a, *node_level) != t.blank[a] {
                cells_blanked += 1;
            }
        }
    }
    let utility = rows.iter().map(|(_, l)| row_worth(l)).sum();
    Some(Outcome { node, rows, cells_blanked, l_diversity_blanked, utility })
}

/// Blanks the exploitation cells of every class (rows equal but for exploitation) whose
/// known exploitation values are all the same. Returns how many cells were blanked.
fn l_diversify(t: &Table, rows: &mut [(usize, Levels)]) -> usize {
    // Per class: the first known value, and whether a second distinct one was seen.
    let mut classes: Map<(Option<u32>, bool)> = Map::default();
    let class_of = |i: usize, levels: &Levels| {
        let mut key = t.key(i, levels);
        key[EXPLOITATION] = u32::MAX;
        key
    };
    for (i, levels) in rows.iter() {
        let e = t.id(*i, EXPLOITATION, levels[EXPLOITATION]);
        let c = classes.entry(class_of(*i, levels)).or_insert((None, false));
        if e != t.blank[EXPLOITATION] {
            match c.0 {
                None => c.0 = Some(e),
                Some(first) if first != e => c.1 = true,
                Some(_) => {}
            }
        }
    }
    let mut blanked_cells = 0;
    for (i, levels) in rows.iter_mut() {
        let (first, diverse) = classes[&class_of(*i, levels)];
        if first.is_some() && !diverse {
            if t.id(*i, EXPLOITATION, levels[EXPLOITATION]) != t.blank[EXPLOITATION] {
                blanked_cells += 1;
            }
            levels[EXPLOITATION] = Attr::Exploitation.blank();
        }
    }
    blanked_cells
}

/// How many rows share each tuple at `node`.
fn count(t: &Table, node: &Levels) -> Map<u32> {
    let mut counts: Map<u32> = Map::default();
    for i in 0..t.n {
        *counts.entry(t.key(i, node)).or_default() += 1;
    }
    counts
}

/// The best outcome over the whole lattice (see the module's comment).
pub fn search(t: &Table, k: usize) -> Outcome {
    let k = u32::try_from(k).unwrap_or(u32::MAX);
    // First, for every node, what its k-groups alone are worth and a bound on what local
    // suppression could add; the nodes are then evaluated most promising first, so that a
    // good outcome is found early and the others are cut short or skipped.
    let mut candidates: Vec<(u64, u64, Levels)> = nodes()
        .into_iter()
        .map(|node| {
            let counts = count(t, &node);
            let per_row = row_worth(&node);
            let grouped: u64 =
                counts.iter().filter(|(key, n)| **n >= k && **key != t.blank).map(|(_, n)| u64::from(*n)).sum();
            let outside = t.n as u64 - grouped;
            let bound = grouped * per_row + outside * per_row.saturating_sub(least_blank_cost(&node));
            (grouped * per_row, bound, node)
        })
        .collect();
    candidates.sort_by_key(|(sure, bound, node)| (std::cmp::Reverse(*sure), std::cmp::Reverse(*bound), *node));
    let mut best: Option<Outcome> = None;
    for (_, bound, node) in &candidates {
        let to_beat = best.as_ref().map(|b| b.utility);
        if to_beat.is_some_and(|b| *bound <= b) {
            continue;
        }
        let Some(outcome) = evaluate(t, *node, &count(t, node), k, to_beat) else { continue };
        let better = match &best {
            None => true,
            Some(b) => (outcome.utility, outcome.rows.len()) > (b.utility, b.rows.len()),
        };
        if better {
            best = Some(outcome);
        }
    }
    best.unwrap_or(Outcome { node: [0; ATTRS], rows: Vec::new(), cells_blanked: 0, l_diversity_blanked: 0, utility: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lattice_has_every_combination_of_levels_once() {
        let n = nodes();
        let expected: usize = Attr::ALL.iter().map(|a| usize::from(a.top_global()) + 1).product();
        assert_eq!(n.len(), expected);
        let distinct: std::collections::HashSet<_> = n.iter().collect();
        assert_eq!(distinct.len(), n.len());
    }

    #[test]
    fn finer_levels_are_worth_more_and_blank_is_worth_nothing() {
        for a in Attr::ALL {
            assert_eq!(worth(a, 0), 6, "{a:?}");
            assert_eq!(worth(a, a.blank()), 0, "{a:?}");
            for l in 1..=a.blank() {
                assert!(worth(a, l) < worth(a, l - 1), "{a:?} {l}");
            }
        }
    }
}
