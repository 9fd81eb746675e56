//! `amparo import` and `amparo export records` through the real binary, on fresh SQLite
//! data directories: a bad row stops the import and is named by its line; the file without
//! it imports every row; an export is refused unless encrypted or --plaintext; an encrypted
//! export decrypts with its passphrase and imports into a fresh installation as the same
//! persons; a formula-like cell is defused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::io::Read;
use std::path::Path;
use std::process::Output;

const ORG: &str = "Refugio Esperanza";

const GOOD: &str = "\
given_name,family_name,birth_date,primary_language,citizenship,phone
María,Hernández,2001-03-05,español,México,+52 55 1234 5678
Juan,Pérez,05/03/1999,Spanish,MX,
Xóchitl,,1 de septiembre de 1990,nah,Guatemala,
=HYPERLINK(\"http://x\"),-cmd,,English,US,
";

fn import(dir: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut c = amparo();
    c.args(["import", "--data-dir"]).arg(dir).arg(file).args(extra);
    run(c, "")
}

fn export(dir: &Path, out: &Path, extra: &[&str], input: &str) -> Output {
    let mut c = amparo();
    c.args(["export", "records", "--data-dir"]).arg(dir).arg("--out").arg(out).args(extra);
    run(c, input)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Persons as a plaintext CSV export lists them: every field column, sorted, ids and dates left out.
fn persons_of(dir: &Path, tmp: &Path, name: &str) -> Vec<String> {
    let out = tmp.join(name);
    ok(&export(dir, &out, &["--format", "csv", "--plaintext"], ""));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut rows: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| {
            // id, 16 fields, case_numbers, created_at, updated_at: keep the 16 fields.
            let cells: Vec<&str> = l.split(',').collect();
            cells[1..cells.len() - 3].join(",")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_bad_row_imports_nothing_and_names_its_line_and_the_good_file_imports_every_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, GOOD.replace("05/03/1999", "1999-02-30")).unwrap();
    let o = import(&dir, &bad, &[]);
    assert!(!o.status.success());
    let said = stdout(&o);
    assert!(said.contains("line 3, column “birth_date”"), "{said}");
    assert!(said.contains("nothing imported"), "{said}");
    let o = import(&dir, &bad, &["--language", "es"]);
    assert!(stdout(&o).contains("línea 3, columna “birth_date”"), "{}", stdout(&o));
    assert!(persons_of(&dir, tmp.path(), "none.csv").is_empty(), "nothing was written");

    // A dry run of the good file imports nothing either.
    let good = tmp.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    let said = ok(&import(&dir, &good, &["--dry-run"]));
    assert!(said.contains("dry run: 4 rows, 0 bad"), "{said}");
    assert!(persons_of(&dir, tmp.path(), "none2.csv").is_empty());

    let said = ok(&import(&dir, &good, &["--org", ORG]));
    assert!(said.contains("imported 4 persons"), "{said}");
    assert_eq!(persons_of(&dir, tmp.path(), "four.csv").len(), 4);

    // Again: each row is flagged as someone already on file.
    let said = stdout(&import(&dir, &good, &["--dry-run"]));
    assert!(said.contains("line 2: may be 1 person(s) already on file"), "{said}");

    // The explicit choice to skip bad rows imports the others.
    let other = tmp.path().join("other.csv");
    std::fs::write(&other, "nombre,fecha\nLuz,2020-01-01\nSol,ayer\n").unwrap();
    let o = import(&dir, &other, &[]);
    assert!(stderr(&o).contains("nombre"), "unknown columns are named: {}", stderr(&o));
    let mapping = tmp.path().join("mapping.toml");
    std::fs::write(&mapping, "[columns]\nnombre = \"given_name\"\nfecha = \"birth_date\"\n").unwrap();
    let o = import(&dir, &other, &["--mapping", mapping.to_str().unwrap()]);
    assert!(stdout(&o).contains("line 3, column “fecha”"), "{}", stdout(&o));
    let said = ok(&import(&dir, &other, &["--mapping", mapping.to_str().unwrap(), "--skip-bad-rows"]));
    assert!(said.contains("imported 1 persons (1 bad rows skipped)"), "{said}");
}

#[test]
fn who_may_import_and_export_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_staff(&dir, ORG, "cm@esperanza.org", "case_manager", "es", PASSWORD);
    add_staff(&dir, ORG, "sup@esperanza.org", "supervisor", "es", PASSWORD);
    let good = tmp.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    let o = import(&dir, &good, &["--as", "cm@esperanza.org"]);
    assert!(!o.status.success() && stderr(&o).contains("refused"), "{}", stderr(&o));
    ok(&import(&dir, &good, &["--as", "sup@esperanza.org"]));
    let out = tmp.path().join("x.csv");
    let o = export(&dir, &out, &["--format", "csv", "--plaintext", "--as", "sup@esperanza.org"], "");
    assert!(!o.status.success() && stderr(&o).contains("refused"), "{}", stderr(&o));
    assert!(!out.exists());
    ok(&export(&dir, &out, &["--format", "csv", "--plaintext", "--as", ADMIN], ""));
}

#[test]
fn an_export_is_refused_unless_encrypted_or_plaintext_and_round_trips_encrypted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let good = tmp.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();
    ok(&import(&dir, &good, &[]));

    let out = tmp.path().join("records.csv");
    let o = export(&dir, &out, &["--format", "csv"], "");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--plaintext"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");

    // A plaintext CSV defuses the formula-like cells.
    let plain = tmp.path().join("plain.csv");
    ok(&export(&dir, &plain, &["--format", "csv", "--plaintext"], ""));
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",'-cmd,"), "{text}");
    assert!(text.contains(",+52 55 1234 5678,"), "{text}");

    for format in ["csv", "xlsx"] {
        let sealed = tmp.path().join(format!("records.{format}.age"));
        let said = ok(&export(&dir, &sealed, &["--format", format, "--passphrase-stdin"], "frase de paso larga\n"));
        assert!(said.contains("exported 4 persons"), "{said}");
        let bytes = std::fs::read(&sealed).unwrap();
        assert!(bytes.starts_with(b"age-encryption.org/v1"));
        let d = age::Decryptor::new_buffered(bytes.as_slice()).unwrap();
        let id = age::scrypt::Identity::new(secrecy::SecretString::from("frase de paso larga".to_owned()));
        let mut plain = Vec::new();
        d.decrypt(std::iter::once(&id as &dyn age::Identity)).unwrap().read_to_end(&mut plain).unwrap();
        if format == "xlsx" {
            use calamine::Reader;
            let mut book = calamine::Xlsx::new(std::io::Cursor::new(plain.clone())).unwrap();
            let f = book.worksheet_formula("persons").unwrap();
            assert!(f.used_cells().all(|(_, _, f)| f.is_empty()), "no formula");
            let r = book.worksheet_range("persons").unwrap();
            assert!(r.used_cells().any(|(_, _, v)| v == &calamine::Data::String("=HYPERLINK(\"http://x\")".into())));
        }
        let file = tmp.path().join(format!("decrypted.{format}"));
        std::fs::write(&file, &plain).unwrap();
        let fresh = tmp.path().join(format!("fresh-{format}"));
        init(&fresh, &[]);
        let said = ok(&import(&fresh, &file, &[]));
        assert!(said.contains("imported 4 persons"), "{said}");
        assert_eq!(
            persons_of(&fresh, tmp.path(), &format!("fresh-{format}.csv")),
            persons_of(&dir, tmp.path(), &format!("orig-{format}.csv")),
            "{format}: the same persons"
        );
    }
}
