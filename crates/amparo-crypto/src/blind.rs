//! Blind indexes: search and duplicate detection over keyed HMAC tokens instead of a
//! plaintext index (DESIGN.md §3). Keys are per organisation, so tokens do not correlate
//! people across organisations.

use std::collections::HashSet;
use std::fmt;

use hmac::Mac;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::secret::Key256;

/// Lower case, Unicode NFKD with combining marks removed (accents folded: "José Núñez" -> "jose nunez"), punctuation to spaces, collapsed whitespace.
pub fn normalize_for_search(s: &str) -> String {
    normalize(s, false)
}

/// `keep_spanish` keeps ñ and ü as letters: ñ is its own letter in Spanish ("Peña" is not
/// "Pena"), and ü changes how "güe"/"güi" sound.
fn normalize(s: &str, keep_spanish: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    };
    // NFC first so "n + combining tilde" is recognised as ñ like the precomposed form.
    for c in s.nfc() {
        if keep_spanish {
            match c {
                'ñ' | 'Ñ' => {
                    push('ñ', &mut out);
                    continue;
                }
                'ü' | 'Ü' => {
                    push('ü', &mut out);
                    continue;
                }
                _ => {}
            }
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase() {
                if !is_combining_mark(l) {
                    push(l, &mut out);
                }
            }
        });
    }
    out
}

/// Spanish phonetic folding of one normalised word, so spellings that sound alike match.
fn fold_word(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut last: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let next2 = chars.get(i + 2).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let mut consumed = 1;
        let mapped = match c {
            // Typed without ñ on an English keyboard, "Penaloza" must still find "Peñaloza".
            'ñ' => Some('n'),
            'v' => Some('b'),
            'z' => Some('s'),
            'c' => match next {
                Some('e' | 'i') => Some('s'),
                Some('h') => Some('c'),
                _ => Some('k'),
            },
            'q' => {
                if next == Some('u') {
                    consumed = 2;
                }
                Some('k')
            }
            'g' if next == Some('u') && matches!(next2, Some('e' | 'i')) => {
                consumed = 2;
                Some('g')
            }
            // Silent h, except as part of "ch".
            'h' => (prev == Some('c')).then_some('h'),
            'l' if next == Some('l') => {
                consumed = 2;
                Some('y')
            }
            'ü' => Some('u'),
            other => Some(other),
        };
        if let Some(m) = mapped {
            // Collapse doubled letters ("rr", "nn", and pairs created by folding).
            if last != Some(m) {
                out.push(m);
                last = Some(m);
            }
        }
        i += consumed;
    }
    out
}

/// The folded words of a name-like text.
fn folded_words(text: &str) -> Vec<String> {
    normalize(text, true).split(' ').filter(|w| !w.is_empty()).map(fold_word).filter(|w| !w.is_empty()).collect()
}

const KIND_WORD: u8 = b'w';
const KIND_PREFIX: u8 = b'p';
const KIND_EXACT: u8 = b'e';
const MIN_PREFIX: usize = 3;

/// A per-organisation key for blind-index tokens.
pub struct BlindIndexKey(Key256);

impl BlindIndexKey {
    pub(crate) fn new(key: Key256) -> Self {
        Self(key)
    }

    #[cfg(test)]
    pub(crate) fn key(&self) -> &Key256 {
        &self.0
    }

    /// First 16 bytes of HMAC(key, len(field) || field || kind || value), hex.
    fn token(&self, field: &str, kind: u8, value: &str) -> String {
        let mut mac = self.0.hmac();
        mac.update(&(field.len() as u64).to_be_bytes());
        mac.update(field.as_bytes());
        mac.update(&[kind]);
        mac.update(value.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    fn prefix_tokens(&self, field: &str, word: &str, out: &mut Tokens) {
        for (n, (idx, c)) in word.char_indices().enumerate() {
            if n + 1 >= MIN_PREFIX {
                out.push(self.token(field, KIND_PREFIX, &word[..idx + c.len_utf8()]));
            }
        }
    }

    /// Tokens for a name-like field: for each word of the normalised text, a keyed HMAC token of the Spanish phonetic folding of the word (b/v -> b; s/z/c(before e,i) -> s; ll/y -> y; silent h removed except in "ch"; qu -> k; c(before a,o,u)/k -> k; gue/gui -> ge/gi; double letters collapsed; ñ folded to n so English keyboards find it), and prefix tokens of that folded word for type-ahead (prefixes of length 3..=len). Tokens are domain-separated by `field` (e.g. "person.name") so tokens of one field never match another. Returns hex strings (first 16 bytes of HMAC-SHA256), de-duplicated, order not significant.
    pub fn name_tokens(&self, field: &str, text: &str) -> Vec<String> {
        let mut out = Tokens::default();
        for word in folded_words(text) {
            out.push(self.token(field, KIND_WORD, &word));
            self.prefix_tokens(field, &word, &mut out);
        }
        out.into_vec()
    }

    /// Tokens for a query against name_tokens: the full-word tokens for every word except the last, which uses the prefix token (if len>=3) — so "mari" finds "María".
    ///
    /// A last word shorter than 3 letters uses its full-word token, so "Li" still finds "Li".
    pub fn name_query_tokens(&self, field: &str, query: &str) -> Vec<String> {
        let words = folded_words(query);
        let mut out = Tokens::default();
        let last = words.len().saturating_sub(1);
        for (i, word) in words.iter().enumerate() {
            let kind = if i == last && word.chars().count() >= MIN_PREFIX { KIND_PREFIX } else { KIND_WORD };
            out.push(self.token(field, kind, word));
        }
        out.into_vec()
    }

    /// One token for an exact-match value such as a case number: compatibility-normalised
    /// (NFKC), upper case, with all whitespace removed — so "+52 55 1234 5678" and
    /// "+525512345678" give the same token, as do " ab-12 " and "AB-12".
    pub fn exact_token(&self, field: &str, value: &str) -> String {
        let normalised: String = value.nfkc().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
        self.token(field, KIND_EXACT, &normalised)
    }

    /// One token for a phone number: digits only, with a leading "+" kept — so
    /// "+52 (55) 1234-5678" and "+525512345678" match. Shares `exact_token`'s token space, so a
    /// clean number gives the same token through either.
    pub fn phone_token(&self, field: &str, phone: &str) -> String {
        let nfkc: String = phone.nfkc().collect();
        let trimmed = nfkc.trim_start();
        let mut normalised = String::with_capacity(trimmed.len());
        if trimmed.starts_with('+') {
            normalised.push('+');
        }
        normalised.extend(trimmed.chars().filter(char::is_ascii_digit));
        self.token(field, KIND_EXACT, &normalised)
    }
}

impl fmt::Debug for BlindIndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlindIndexKey([REDACTED])")
    }
}

/// Insertion-ordered, de-duplicated token list.
#[derive(Default)]
struct Tokens {
    seen: HashSet<String>,
    list: Vec<String>,
}

impl Tokens {
    fn push(&mut self, token: String) {
        if self.seen.insert(token.clone()) {
            self.list.push(token);
        }
    }

    fn into_vec(self) -> Vec<String> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(normalize_for_search("José Núñez"), "jose nunez");
        assert_eq!(normalize_for_search("  MARÍA-José   O'Brien!! "), "maria jose o brien");
        assert_eq!(normalize_for_search("Ｆｕｌｌ\u{2003}width ﬁ"), "full width fi");
        assert_eq!(normalize_for_search("n\u{303}andu"), "nandu");
        assert_eq!(normalize_for_search(""), "");
        assert_eq!(normalize_for_search("¿?¡!"), "");
        assert_eq!(normalize(" Peña Güemes ", true), "peña güemes");
        assert_eq!(normalize("Pen\u{303}a", true), "peña");
    }

    #[test]
    fn folds_spanish_sounds() {
        let f = |s: &str| folded_words(s).join(" ");
        assert_eq!(f("Valdez"), "baldes");
        assert_eq!(f("Yolanda"), "yolanda");
        assert_eq!(f("Llolanda"), "yolanda");
        assert_eq!(f("Hernández"), "ernandes");
        assert_eq!(f("Quintero"), "kintero");
        assert_eq!(f("Cecilia"), "sesilia");
        assert_eq!(f("Chávez"), "chabes");
        assert_eq!(f("Carlos Kiko"), "karlos kiko");
        assert_eq!(f("Guerrero Guillermo"), "gerero giyermo");
        assert_eq!(f("Acción"), "aksion");
        assert_eq!(f("Peña"), "pena");
        assert_eq!(f("Agüero"), "aguero");
        assert_eq!(f("Villarreal"), "biyareal");
        assert_eq!(f("Hh"), "");
    }
}
