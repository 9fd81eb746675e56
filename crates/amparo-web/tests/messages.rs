#![allow(clippy::expect_used)]

//! Every message the web crate asks for exists in both languages: a key typed wrong in a
//! template or handler would otherwise show up as the raw key on a survivor-facing page.

use std::collections::BTreeSet;
use std::path::Path;

use amparo_i18n::{Language, keys};

/// String literals passed to `t(`, `t1(`, `n(` (templates, handlers).
fn literal_keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in ["t(\"", "t1(\"", "n(\""] {
        let mut rest = text;
        while let Some(i) = rest.find(call) {
            // A call of our translator, not `get("…")` or `set(…)`.
            let whole_word = !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            rest = &rest[i + call.len()..];
            if !whole_word {
                continue;
            }
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                    out.push(key.to_owned());
                }
            }
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "html" || e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_message_the_pages_use_exists_in_spanish_and_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("templates"), &mut paths);
    files(&root.join("src"), &mut paths);
    let mut used = BTreeSet::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("readable file");
        used.extend(literal_keys(&text));
    }
    // Keys built at run time from codes.
    for outcome in ["ok", "denied", "failed"] {
        used.insert(format!("audit-outcome-{outcome}"));
    }
    for code in ["wrong_current_password", "wrong_mfa_code", "duplicate_email", "unknown_role", "unknown_language"] {
        used.insert(format!("error-{code}"));
    }
    assert!(used.len() > 50, "the scan found too few keys: {used:?}");
    for lang in Language::ALL {
        let have = keys(lang);
        let missing: Vec<_> = used.iter().filter(|k| !have.contains(*k)).collect();
        assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
    }
}
