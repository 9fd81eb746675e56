//! Screening instruments as data, and the one engine that scores them.
//!
//! Each instrument is a TOML file under the workspace's `instruments/` directory (embedded
//! at compile time: nothing is read from disk at run time): its items and answer options in
//! English and Spanish, its time frame, licence and attribution, and its scoring rules —
//! a total, group sums (PCL-5's clusters), reverse-scored items, bands, cut-offs, per-group
//! count rules (PCL-5's provisional diagnosis) and flags raised by critical items (PHQ-9
//! item 9). Adding an instrument is adding a file: no Rust code (see [`Instrument::from_toml`]).
//!
//! Software never diagnoses (standards §3): bands, cut-offs and rules are *screen* results
//! that a qualified person follows up.

#![deny(clippy::unwrap_used)]

mod definition;
mod scoring;

use std::sync::LazyLock;

pub use definition::{
    AnswerOption, Band, CountRule, Cutoff, DefinitionError, ExtraQuestion, Flag, Group, Instrument, Item, Text,
};
pub use scoring::{Score, ScoreError};

/// The instruments that ship with Amparo, in the order lists show them.
const BUILTIN: &[(&str, &str)] = &[
    ("phq9.toml", include_str!("../../../instruments/phq9.toml")),
    ("gad7.toml", include_str!("../../../instruments/gad7.toml")),
    ("pcl5.toml", include_str!("../../../instruments/pcl5.toml")),
    ("trafficking_indicators.toml", include_str!("../../../instruments/trafficking_indicators.toml")),
];

/// Instruments a staff member answers about themselves (never about a survivor): kept out
/// of the screening catalogue so that no survivor screening can ever run them, and their
/// results go to a store of their own (standards §3.2: ProQOL results belong to the staff
/// member).
const STAFF: &[(&str, &str)] = &[("proqol5.toml", include_str!("../../../instruments/proqol5.toml"))];

/// A set of instruments, each id once.
#[derive(Clone, Debug)]
pub struct Catalogue {
    instruments: Vec<Instrument>,
}

static BUILTIN_CATALOGUE: LazyLock<Result<Catalogue, DefinitionError>> = LazyLock::new(|| {
    let mut list = Vec::with_capacity(BUILTIN.len());
    for (file, text) in BUILTIN {
        list.push(Instrument::from_toml(text).map_err(|e| e.in_file(file))?);
    }
    Catalogue::new(list)
});

static STAFF_CATALOGUE: LazyLock<Result<Catalogue, DefinitionError>> = LazyLock::new(|| {
    let mut list = Vec::with_capacity(STAFF.len());
    for (file, text) in STAFF {
        list.push(Instrument::from_toml(text).map_err(|e| e.in_file(file))?);
    }
    Catalogue::new(list)
});

impl Catalogue {
    /// The self-report instruments for staff and volunteers (ProQOL 5), apart from the
    /// survivor screenings of [`Catalogue::builtin`].
    pub fn staff() -> Result<&'static Catalogue, &'static DefinitionError> {
        STAFF_CATALOGUE.as_ref()
    }

    /// The instruments shipped in `instruments/`. An error here is a defect of a shipped file
    /// (a test parses them all), reported rather than panicking.
    pub fn builtin() -> Result<&'static Catalogue, &'static DefinitionError> {
        BUILTIN_CATALOGUE.as_ref()
    }

    /// A catalogue of the given instruments; the same id twice is refused.
    pub fn new(instruments: Vec<Instrument>) -> Result<Self, DefinitionError> {
        for (i, a) in instruments.iter().enumerate() {
            if instruments[..i].iter().any(|b| b.id == a.id) {
                return Err(DefinitionError::new(format!("instrument `{}` is defined twice", a.id)));
            }
        }
        Ok(Self { instruments })
    }

    pub fn all(&self) -> &[Instrument] {
        &self.instruments
    }

    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.id == id)
    }
}

#[cfg(test)]
mod tests;
