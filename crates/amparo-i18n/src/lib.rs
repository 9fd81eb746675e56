//! The words of Amparo's interface, in Spanish and English.
//!
//! Messages are Fluent files under `locales/<lang>/`, embedded at compile time. Tests in
//! this crate fail when a message exists in one language but not the other.

mod negotiate;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::LanguageIdentifier;

pub use amparo_domain::Language;
pub use negotiate::negotiate;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        // Output goes into HTML, where Unicode isolation marks around arguments only
        // get in the way (copying an email address would copy the marks too).
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

// `SOURCES`: the same files the loader embeds, listed by build.rs, for `keys()`.
include!(concat!(env!("OUT_DIR"), "/sources.rs"));

/// The argument every message of the web interface is given: the organisation's word for
/// the people it serves (`survivor`, `client` or `participant`). A message that names them
/// selects its wording with `{ $people -> [client] … [participant] … *[survivor] … }`.
pub const PEOPLE_ARG: &str = "people";

/// A value for a Fluent placeable (`{ $name }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

/// The message for `key` in `lang`. A key missing in Spanish falls back to English, and
/// one missing in both returns the key itself (tests make sure none is missing). A message
/// that needs arguments must go through [`t_args`]: without them it also gives the key.
pub fn t(lang: Language, key: &str) -> String {
    LOCALES.try_lookup(&langid(lang), key).unwrap_or_else(|| key.to_owned())
}

/// The message for `key` in `lang` with arguments, e.g.
/// `t_args(lang, "login-locked", &[("minutes", Arg::Num(15))])`.
pub fn t_args(lang: Language, key: &str, args: &[(&str, Arg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*name).to_owned()), value)
        })
        .collect();
    LOCALES.try_lookup_with_args(&langid(lang), key, &args).unwrap_or_else(|| key.to_owned())
}

/// Every message id defined for `lang`, for tests in other crates (for instance: every
/// error code has a message).
pub fn keys(lang: Language) -> BTreeSet<String> {
    SOURCES
        .iter()
        .filter(|(code, _, _)| *code == lang.code())
        .flat_map(|(_, _, source)| message_ids(source))
        .map(str::to_owned)
        .collect()
}

fn langid(lang: Language) -> LanguageIdentifier {
    // "es" and "en" always parse (a test checks); "und" would still reach the fallback.
    lang.code().parse().unwrap_or_default()
}

/// Message ids in a Fluent source: a message starts at column 0 with `id =`. Terms
/// (`-brand =`), comments and indented continuation lines do not match.
fn message_ids(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        let (id, _) = line.split_once('=')?;
        let id = id.trim_end();
        let mut chars = id.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        let rest_is_id = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        (starts_with_letter && rest_is_id).then_some(id)
    })
}

#[cfg(test)]
mod tests;
