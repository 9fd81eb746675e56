//! Lists every `.ftl` file under `locales/<lang>/` so that `keys()` can embed the same
//! sources that `static_loader!` embeds, and so that adding a file rebuilds the crate
//! (the proc macro alone would not notice a new file).

#![allow(clippy::print_stdout, reason = "cargo reads build-script directives from stdout")]

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let locales = manifest_dir.join("../../locales");
    println!("cargo:rerun-if-changed=../../locales");
    println!("cargo:rerun-if-changed=build.rs");

    let mut languages: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(&locales)? {
        let entry = entry?;
        if entry.file_type()?.is_dir()
            && let Ok(name) = entry.file_name().into_string()
        {
            languages.push((name, entry.path()));
        }
    }
    languages.sort();

    let mut out = String::from(
        "/// (language code, path relative to `locales/<lang>/`, source) of every embedded .ftl file.\n\
         pub(crate) const SOURCES: &[(&str, &str, &str)] = &[\n",
    );
    for (lang, dir) in &languages {
        let mut files = Vec::new();
        collect_ftl(dir, &mut files)?;
        files.sort();
        for file in files {
            let relative = file.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
            let absolute = file.canonicalize()?;
            writeln!(out, "    ({lang:?}, {relative:?}, include_str!({:?})),", absolute.to_string_lossy())?;
        }
    }
    out.push_str("];\n");

    fs::write(PathBuf::from(env::var("OUT_DIR")?).join("sources.rs"), out)?;
    Ok(())
}

fn collect_ftl(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_ftl(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "ftl") && !is_hidden(&path) {
            files.push(path);
        }
    }
    Ok(())
}

/// Editor lock and backup files (`.#main.ftl`) are not part of the catalogue; the
/// `ignore` walker behind `static_loader!` skips hidden files too.
fn is_hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'))
}
