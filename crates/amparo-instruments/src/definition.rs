//! What an instrument file says, and the checks that make a file an instrument: every text
//! in both languages, item numbers that exist, bands that cover every possible total once.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use amparo_domain::Language;

/// A text in both of Amparo's languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub es: String,
}

impl Text {
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::En => &self.en,
            Language::Es => &self.es,
        }
    }
}

/// One answer an item offers, with the value it scores (before reverse scoring).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: u32,
    pub label: Text,
}

/// A scored item. Items are numbered from 1 in file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub text: Text,
    /// Scored as (lowest + highest option value) − answer (e.g. 1↔5, 2↔4 on a 1–5 scale).
    #[serde(default)]
    pub reverse: bool,
    /// This item's own options; none: the instrument's scale.
    #[serde(default)]
    pub options: Option<Vec<AnswerOption>>,
}

/// A subscale or cluster: the sum of some items (PCL-5's B, C, D and E). A group marked as
/// a section also heads its items on the form (the indicator screen's domains).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub label: Text,
    /// 1-based item numbers.
    pub items: Vec<usize>,
    #[serde(default)]
    pub section: bool,
    /// Bands of this group's sum (ProQOL's low / moderate / high per subscale), covering
    /// every possible sum exactly once, as the instrument's bands cover the total.
    #[serde(default)]
    pub bands: Vec<Band>,
}

/// A severity band of the total, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub code: String,
    pub min: u32,
    pub max: u32,
    pub label: Text,
    #[serde(default)]
    pub next_steps: Option<Text>,
}

/// A screen-positive cut-off on the total (PCL-5's probable PTSD at 33). An installation may
/// move it (`screening_cutoffs` in its configuration): samples and purposes differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cutoff {
    pub code: String,
    pub min_total: u32,
    pub label: Text,
    #[serde(default)]
    pub next_steps: Option<Text>,
}

/// A rule over groups: items scored at least `item_min` count as endorsed, and each group
/// named in `require` needs at least that many endorsed items (PCL-5's provisional
/// diagnosis: ≥1 B, ≥1 C, ≥2 D, ≥2 E at ≥2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRule {
    pub code: String,
    pub item_min: u32,
    pub require: BTreeMap<String, usize>,
    pub label: Text,
    #[serde(default)]
    pub next_steps: Option<Text>,
}

/// A flag: raised when any of `items` is answered at least `item_min` (a critical item), or
/// when the total reaches `total_min`. A critical flag alerts the person's workers at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub code: String,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub items: Vec<usize>,
    #[serde(default)]
    pub item_min: Option<u32>,
    #[serde(default)]
    pub total_min: Option<u32>,
    pub label: Text,
    pub next_steps: Text,
}

/// An unscored question asked after the items (PHQ-9's difficulty question).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraQuestion {
    /// The field name it travels under (`difficulty`).
    pub code: String,
    pub text: Text,
    pub options: Vec<AnswerOption>,
}

/// One instrument, as its file says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// snake_case, stable: stored with every screening and used in the API.
    pub id: String,
    /// Stored with every screening, so that a later change of wording or rules is visible.
    pub version: String,
    /// Short name (PHQ-9).
    pub name: Text,
    pub title: Text,
    /// The period asked about, as said to the person.
    pub time_frame: Text,
    /// Said before the items (how to answer).
    #[serde(default)]
    pub instructions: Option<Text>,
    /// Shown with the instrument and its results: what the screen is and is not.
    pub notice: Text,
    pub licence: Text,
    pub attribution: Text,
    /// The result shows the hotlines of the installation's configuration.
    #[serde(default)]
    pub show_hotlines: bool,
    /// Said with a result that raised no flag (where "nothing found" needs words).
    #[serde(default)]
    pub no_flag_result: Option<Text>,
    /// The answer scale of every item that has no options of its own.
    pub options: Vec<AnswerOption>,
    pub items: Vec<Item>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub bands: Vec<Band>,
    #[serde(default)]
    pub cutoffs: Vec<Cutoff>,
    #[serde(default)]
    pub rules: Vec<CountRule>,
    #[serde(default)]
    pub flags: Vec<Flag>,
    #[serde(default)]
    pub extra: Option<ExtraQuestion>,
}

/// A file that is not a valid instrument, said in words for the one who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    message: String,
}

impl DefinitionError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }

    pub(crate) fn in_file(self, file: &str) -> Self {
        Self { message: format!("{file}: {}", self.message) }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DefinitionError {}

fn fail<T>(message: String) -> Result<T, DefinitionError> {
    Err(DefinitionError::new(message))
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Instrument {
    /// Reads and checks an instrument file.
    pub fn from_toml(text: &str) -> Result<Self, DefinitionError> {
        let instrument: Instrument = toml::from_str(text).map_err(|e| DefinitionError::new(e.message().to_owned()))?;
        instrument.check()?;
        Ok(instrument)
    }

    /// The options of item `index` (0-based): its own, else the instrument's scale.
    pub fn options_of(&self, index: usize) -> &[AnswerOption] {
        match self.items.get(index).and_then(|i| i.options.as_deref()) {
            Some(own) => own,
            None => &self.options,
        }
    }

    /// Lowest and highest value item `index` (0-based) can be answered with.
    pub fn range_of(&self, index: usize) -> (u32, u32) {
        let values = self.options_of(index).iter().map(|o| o.value);
        (values.clone().min().unwrap_or(0), values.max().unwrap_or(0))
    }

    /// The lowest and highest totals (after reverse scoring, which keeps an item's range).
    pub fn total_range(&self) -> (u32, u32) {
        (0..self.items.len()).map(|i| self.range_of(i)).fold((0, 0), |(lo, hi), (a, b)| (lo + a, hi + b))
    }

    /// The group (if any) whose section item `number` (1-based) opens on the form.
    pub fn section_starting_at(&self, number: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.section && g.items.first() == Some(&number))
    }

    fn texts(&self) -> Vec<(String, &Text)> {
        let mut out: Vec<(String, &Text)> = vec![
            ("name".into(), &self.name),
            ("title".into(), &self.title),
            ("time_frame".into(), &self.time_frame),
            ("notice".into(), &self.notice),
            ("licence".into(), &self.licence),
            ("attribution".into(), &self.attribution),
        ];
        out.extend(self.instructions.iter().map(|t| ("instructions".into(), t)));
        out.extend(self.no_flag_result.iter().map(|t| ("no_flag_result".into(), t)));
        out.extend(self.options.iter().map(|o| (format!("option {}", o.value), &o.label)));
        for (i, item) in self.items.iter().enumerate() {
            out.push((format!("item {}", i + 1), &item.text));
            for o in item.options.iter().flatten() {
                out.push((format!("item {} option {}", i + 1, o.value), &o.label));
            }
        }
        for g in &self.groups {
            out.push((format!("group {}", g.code), &g.label));
            for b in &g.bands {
                out.push((format!("group {} band {}", g.code, b.code), &b.label));
                out.extend(b.next_steps.iter().map(|t| (format!("group {} band {} next_steps", g.code, b.code), t)));
            }
        }
        for b in &self.bands {
            out.push((format!("band {}", b.code), &b.label));
            out.extend(b.next_steps.iter().map(|t| (format!("band {} next_steps", b.code), t)));
        }
        for c in &self.cutoffs {
            out.push((format!("cutoff {}", c.code), &c.label));
            out.extend(c.next_steps.iter().map(|t| (format!("cutoff {} next_steps", c.code), t)));
        }
        for r in &self.rules {
            out.push((format!("rule {}", r.code), &r.label));
            out.extend(r.next_steps.iter().map(|t| (format!("rule {} next_steps", r.code), t)));
        }
        for f in &self.flags {
            out.push((format!("flag {}", f.code), &f.label));
            out.push((format!("flag {} next_steps", f.code), &f.next_steps));
        }
        if let Some(x) = &self.extra {
            out.push((format!("extra {}", x.code), &x.text));
            out.extend(x.options.iter().map(|o| (format!("extra option {}", o.value), &o.label)));
        }
        out
    }

    fn check(&self) -> Result<(), DefinitionError> {
        if !is_code(&self.id) || self.id.chars().any(|c| c.is_ascii_uppercase()) {
            return fail(format!("id `{}` must be snake_case", self.id));
        }
        if self.version.trim().is_empty() {
            return fail("version is empty".into());
        }
        for (what, t) in self.texts() {
            if t.en.trim().is_empty() || t.es.trim().is_empty() {
                return fail(format!("{what}: a text is missing in English or Spanish"));
            }
        }
        if self.items.is_empty() {
            return fail("no items".into());
        }
        check_options("options", &self.options)?;
        for (i, item) in self.items.iter().enumerate() {
            if let Some(own) = &item.options {
                check_options(&format!("item {}", i + 1), own)?;
            }
        }
        let n = self.items.len();
        let in_range = |what: &str, items: &[usize]| -> Result<(), DefinitionError> {
            match items.iter().find(|&&i| i == 0 || i > n) {
                Some(bad) => fail(format!("{what}: there is no item {bad} (items are 1 to {n})")),
                None => Ok(()),
            }
        };
        let mut codes: Vec<&str> = Vec::new();
        for g in &self.groups {
            unique("group", &g.code, &codes)?;
            codes.push(&g.code);
            if g.items.is_empty() {
                return fail(format!("group {} has no items", g.code));
            }
            in_range(&format!("group {}", g.code), &g.items)?;
            let (lo, hi) =
                g.items.iter().map(|n| self.range_of(n - 1)).fold((0, 0), |(lo, hi), (a, b)| (lo + a, hi + b));
            check_band_cover(&format!("group {}", g.code), &g.bands, lo, hi)?;
        }
        for c in self.cutoffs.iter().map(|c| c.code.as_str()).chain(self.rules.iter().map(|r| r.code.as_str())) {
            unique("result", c, &codes)?;
            codes.push(c);
        }
        for f in &self.flags {
            unique("flag", &f.code, &codes)?;
            codes.push(&f.code);
        }
        for r in &self.rules {
            if r.require.is_empty() {
                return fail(format!("rule {} requires nothing", r.code));
            }
            if let Some(g) = r.require.keys().find(|g| !self.groups.iter().any(|x| &x.code == *g)) {
                return fail(format!("rule {} names group {g}, which is not defined", r.code));
            }
        }
        for f in &self.flags {
            match (f.items.is_empty(), f.item_min, f.total_min) {
                (false, Some(_), None) => in_range(&format!("flag {}", f.code), &f.items)?,
                (true, None, Some(_)) => {}
                _ => {
                    return fail(format!(
                        "flag {} needs either `items` with `item_min`, or `total_min`, not both",
                        f.code
                    ));
                }
            }
        }
        self.check_bands()?;
        if let Some(x) = &self.extra {
            if !is_code(&x.code) {
                return fail(format!("extra question code `{}` must be letters, digits and _", x.code));
            }
            check_options("extra", &x.options)?;
        }
        Ok(())
    }

    /// Bands, in file order, must cover every possible total exactly once.
    fn check_bands(&self) -> Result<(), DefinitionError> {
        let (lo, hi) = self.total_range();
        check_band_cover("the total", &self.bands, lo, hi)
    }
}

/// Bands (of the total, or of a group's sum), in file order, cover `lo..=hi` exactly once;
/// no bands at all is allowed. Codes are letters, digits and `_`, each once.
fn check_band_cover(what: &str, bands: &[Band], lo: u32, hi: u32) -> Result<(), DefinitionError> {
    if bands.is_empty() {
        return Ok(());
    }
    let mut next = lo;
    let mut seen: Vec<&str> = Vec::new();
    for b in bands {
        unique(&format!("{what}: band"), &b.code, &seen)?;
        seen.push(&b.code);
        if b.min != next || b.max < b.min {
            return fail(format!("{what}: band {} should start at {next} and end at or after it", b.code));
        }
        next = b.max + 1;
    }
    if next != hi + 1 {
        let sums = if what == "the total" { "totals" } else { "sums" };
        return fail(format!("{what}: the bands end at {} but {sums} reach {hi}", next.saturating_sub(1)));
    }
    Ok(())
}

/// A code of a group, result or flag: letters, digits and `_`, and not used before.
fn unique(kind: &str, code: &str, seen: &[&str]) -> Result<(), DefinitionError> {
    if !is_code(code) {
        return fail(format!("{kind} code `{code}` must be letters, digits and _"));
    }
    if seen.contains(&code) {
        return fail(format!("{kind} code `{code}` is used twice"));
    }
    Ok(())
}

fn check_options(what: &str, options: &[AnswerOption]) -> Result<(), DefinitionError> {
    if options.len() < 2 {
        return fail(format!("{what}: at least two answer options are needed"));
    }
    for (i, o) in options.iter().enumerate() {
        if options[..i].iter().any(|p| p.value == o.value) {
            return fail(format!("{what}: value {} is offered twice", o.value));
        }
    }
    Ok(())
}
