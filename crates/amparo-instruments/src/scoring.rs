//! The scoring engine: one function for every instrument, driven by its definition.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use amparo_domain::records::ScreeningProblem;

use crate::Instrument;

/// What a set of answers scored. Codes only (band, flags, groups, outcomes): the labels
/// and next steps are in the instrument, in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub total: u32,
    /// The band of the total; None where the instrument has no bands.
    pub band: Option<String>,
    /// Every flag raised, in the instrument's order.
    pub flags: Vec<String>,
    /// The flags among `flags` that are critical (they alert the person's workers).
    pub critical_flags: Vec<String>,
    /// Sum of each group (cluster, subscale), after reverse scoring.
    pub groups: BTreeMap<String, u32>,
    /// The band of each group's sum, for groups that have bands (ProQOL's subscales).
    #[serde(default)]
    pub group_bands: BTreeMap<String, String>,
    /// Each cut-off and count rule: met or not.
    pub outcomes: BTreeMap<String, bool>,
    /// The cut-offs applied (after the installation's overrides), kept with the result so
    /// that moving a cut-off later does not rewrite what an old screening said.
    pub cutoffs: BTreeMap<String, u32>,
}

/// Answers refused. Items are numbered from 1, as on the paper form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreError {
    /// The instrument has `expected` scored items; `got` answers came.
    AnswerCount { expected: usize, got: usize },
    /// The answer to item `item` is not one of its options (`min` to `max`).
    OutOfRange { item: usize, min: u32, max: u32 },
    /// The unscored extra question's answer is not one of its options.
    ExtraOutOfRange { min: u32, max: u32 },
}

impl ScoreError {
    pub const fn problem(self) -> ScreeningProblem {
        match self {
            ScoreError::AnswerCount { .. } => ScreeningProblem::AnswerCount,
            ScoreError::OutOfRange { .. } => ScreeningProblem::AnswerOutOfRange,
            ScoreError::ExtraOutOfRange { .. } => ScreeningProblem::ExtraOutOfRange,
        }
    }

    /// The 1-based item at fault, where there is one.
    pub const fn item(self) -> Option<usize> {
        match self {
            ScoreError::OutOfRange { item, .. } => Some(item),
            _ => None,
        }
    }
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::AnswerCount { expected, got } => {
                write!(f, "expected {expected} answers (one per scored item, in order), got {got}")
            }
            ScoreError::OutOfRange { item, min, max } => {
                write!(f, "the answer to item {item} is out of range: it must be one of the options {min} to {max}")
            }
            ScoreError::ExtraOutOfRange { min, max } => {
                write!(f, "the extra answer is out of range: it must be one of the options {min} to {max}")
            }
        }
    }
}

impl std::error::Error for ScoreError {}

impl Instrument {
    /// Scores with the cut-offs of the file.
    pub fn score_default(&self, answers: &[i64]) -> Result<Score, ScoreError> {
        self.score(answers, None, &BTreeMap::new())
    }

    /// Scores `answers` (one per item, in item order, as the option values) and the extra
    /// question's answer, if any. `cutoffs` replaces cut-offs of the file by code.
    pub fn score(
        &self,
        answers: &[i64],
        extra: Option<i64>,
        cutoffs: &BTreeMap<String, u32>,
    ) -> Result<Score, ScoreError> {
        if answers.len() != self.items.len() {
            return Err(ScoreError::AnswerCount { expected: self.items.len(), got: answers.len() });
        }
        let mut scored = Vec::with_capacity(answers.len());
        for (i, &a) in answers.iter().enumerate() {
            let (min, max) = self.range_of(i);
            let value = u32::try_from(a)
                .ok()
                .filter(|v| self.options_of(i).iter().any(|o| o.value == *v))
                .ok_or(ScoreError::OutOfRange { item: i + 1, min, max })?;
            scored.push(if self.items[i].reverse { min + max - value } else { value });
        }
        if let (Some(x), Some(a)) = (&self.extra, extra) {
            let ok = u32::try_from(a).is_ok_and(|v| x.options.iter().any(|o| o.value == v));
            if !ok {
                let values = x.options.iter().map(|o| o.value);
                let (min, max) = (values.clone().min().unwrap_or(0), values.max().unwrap_or(0));
                return Err(ScoreError::ExtraOutOfRange { min, max });
            }
        }
        // Item numbers were checked when the file was read; `get` keeps a slip harmless.
        let at = |n: &usize| scored.get(n.wrapping_sub(1)).copied().unwrap_or(0);
        let total: u32 = scored.iter().sum();
        let mut score = Score {
            total,
            band: self.bands.iter().find(|b| (b.min..=b.max).contains(&total)).map(|b| b.code.clone()),
            groups: self.groups.iter().map(|g| (g.code.clone(), g.items.iter().map(at).sum())).collect(),
            ..Score::default()
        };
        for g in &self.groups {
            let sum = score.groups.get(&g.code).copied().unwrap_or(0);
            if let Some(b) = g.bands.iter().find(|b| (b.min..=b.max).contains(&sum)) {
                score.group_bands.insert(g.code.clone(), b.code.clone());
            }
        }
        for c in &self.cutoffs {
            let cut = cutoffs.get(&c.code).copied().unwrap_or(c.min_total);
            score.cutoffs.insert(c.code.clone(), cut);
            score.outcomes.insert(c.code.clone(), total >= cut);
        }
        for r in &self.rules {
            let met = r.require.iter().all(|(group, need)| {
                let endorsed = self
                    .groups
                    .iter()
                    .find(|g| &g.code == group)
                    .map_or(0, |g| g.items.iter().filter(|n| at(n) >= r.item_min).count());
                endorsed >= *need
            });
            score.outcomes.insert(r.code.clone(), met);
        }
        for f in &self.flags {
            let raised = match (f.item_min, f.total_min) {
                (Some(min), _) => {
                    f.items.iter().any(|n| answers.get(n.wrapping_sub(1)).is_some_and(|&a| a >= i64::from(min)))
                }
                (None, Some(min)) => total >= min,
                (None, None) => false,
            };
            if raised {
                score.flags.push(f.code.clone());
                if f.critical {
                    score.critical_flags.push(f.code.clone());
                }
            }
        }
        Ok(score)
    }
}
