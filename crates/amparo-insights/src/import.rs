//! An import from a spreadsheet: the table read, each column mapped to a field, each cell
//! read leniently into the persons API's value, and the rows handed to the app's import use
//! case (intake's checks, encryption, blind indexes, audit; one transaction, all or none).
//!
//! Every bad row is reported with its line (the header is line 1) and field. A file with a
//! bad row imports nothing, unless the caller asked to skip bad rows; then every good row
//! is imported and the bad ones are listed as skipped.

use std::collections::HashMap;

use serde_json::{Map, Value};

use amparo_app::records::{DuplicateHint, PersonFields};
use amparo_app::{Amparo, AppResult, Caller};
use amparo_domain::OrgId;
use amparo_domain::records::Answer;
use amparo_i18n::{Arg, Language, t, t_args};

use crate::lenient;
use crate::mapping::{Field, Kind, Mapping, MappingError};
use crate::sheet::Table;

/// A bad cell or row: its line, the field (API name), the column as the file names it, and
/// the error code (i18n key `error-<code>`). Never the cell's value.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineProblem {
    pub line: usize,
    pub field: String,
    pub column: String,
    pub code: String,
}

impl LineProblem {
    /// `line 3, column “Fecha”: Please enter a date …` / `línea 3, columna “Fecha”: …`.
    pub fn message(&self, lang: Language) -> String {
        let what = t(lang, &format!("error-{}", self.code));
        t_args(
            lang,
            "import-line-problem",
            &[
                ("line", Arg::Num(self.line as i64)),
                ("column", Arg::Str(self.column.clone())),
                ("message", Arg::Str(what)),
            ],
        )
    }
}

/// A row that may be someone already known: on file (the blind-index search), or the same
/// person twice in the file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DuplicateFlag {
    pub line: usize,
    pub on_file: usize,
    /// Alias and case numbers of those on file the importer may see.
    pub hints: Vec<DuplicateHint>,
    /// An earlier line of the same file with the same name or phone.
    pub same_as_line: Option<usize>,
}

/// The rows of a file, read and mapped, not yet checked by intake.
#[derive(Clone, Default)]
pub struct Prepared {
    /// (line, fields) of every row whose cells could all be read.
    pub rows: Vec<(usize, PersonFields)>,
    pub problems: Vec<LineProblem>,
    /// Header of each field (for naming the column in a problem intake found).
    pub columns: HashMap<String, String>,
    pub same_as: HashMap<usize, usize>,
    pub total: usize,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("rows", &self.rows.len()).field("problems", &self.problems).finish()
    }
}

/// How to run an import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Import the good rows and skip the bad ones (explicit choice; the default is none).
    pub skip_bad_rows: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    /// Rows with data in the file.
    pub rows: usize,
    /// Every bad row, in line order.
    pub problems: Vec<LineProblem>,
    pub duplicates: Vec<DuplicateFlag>,
    /// People created (0 in a dry run or when a bad row stopped the import).
    pub imported: usize,
    /// Bad rows left out because skipping was asked for.
    pub skipped: usize,
    pub dry_run: bool,
}

impl Report {
    /// Lines with a problem (each once).
    pub fn bad_lines(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.problems.iter().map(|p| p.line).collect();
        v.dedup();
        v
    }
}

fn answer_text(v: String) -> Value {
    Value::String(v)
}

/// Reads one cell for a field into the JSON the persons API takes, or the error code.
fn read_cell(field: Field, cell: &str) -> Result<Option<Value>, &'static str> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    if field.kind != Kind::Story
        && !matches!(field.kind, Kind::Countries | Kind::Languages)
        && let Some(d) = lenient::decline(cell)
    {
        return Ok(Some(Value::String(d.code().to_owned())));
    }
    let v = match field.kind {
        Kind::Text | Kind::Story => answer_text(cell.to_owned()),
        Kind::Date => {
            let d = lenient::date(cell).ok_or("import_date_unreadable")?;
            Value::String(d.format("%Y-%m-%d").to_string())
        }
        Kind::Whole => Value::from(lenient::whole(cell).ok_or("import_not_a_number")?),
        Kind::Gender => Value::String(lenient::gender(cell).ok_or("unknown_code")?),
        Kind::Language => Value::String(lenient::language(cell).ok_or("unknown_code")?),
        Kind::YesNo => Value::Bool(lenient::yes_no(cell).ok_or("import_not_yes_no")?),
        Kind::Countries => Value::Array(
            lenient::items(cell)
                .into_iter()
                .map(|i| lenient::country(i).map(Value::String).ok_or("unknown_code"))
                .collect::<Result<_, _>>()?,
        ),
        Kind::Languages => Value::Array(
            lenient::items(cell)
                .into_iter()
                .map(|i| lenient::language(i).map(Value::String).ok_or("unknown_code"))
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok(Some(v))
}

/// What makes two rows of one file the same person: the full name (or alias), or the phone.
fn same_person_keys(f: &PersonFields) -> Vec<String> {
    let val = |a: &Option<Answer<String>>| a.as_ref().and_then(Answer::value).map(|s| lenient::fold(s));
    let mut keys = Vec::new();
    match (val(&f.given_name), val(&f.family_name)) {
        (Some(g), Some(fam)) => keys.push(format!("name:{g} {fam}")),
        (Some(g), None) => keys.push(format!("name:{g}")),
        _ => {
            if let Some(a) = val(&f.alias) {
                keys.push(format!("alias:{a}"));
            }
        }
    }
    if let Some(p) = f.phone.as_ref().and_then(Answer::value) {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            keys.push(format!("phone:{}", &digits[digits.len().saturating_sub(10)..]));
        }
    }
    keys
}

/// Reads and maps every row. A mapping problem (an unknown column, say) stops here; cell
/// problems are collected, every one of them.
pub fn prepare(table: &Table, mapping: &Mapping) -> Result<Prepared, MappingError> {
    let fields = mapping.resolve(&table.headers)?;
    let mut out = Prepared { total: table.rows.len(), ..Prepared::default() };
    for (h, f) in table.headers.iter().zip(&fields) {
        if let Some(f) = f {
            out.columns.insert(f.name.to_owned(), h.clone());
        }
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let mut obj = Map::new();
        let mut bad = false;
        for (i, f) in fields.iter().enumerate() {
            let Some(f) = f else { continue };
            match read_cell(*f, row.cell(i)) {
                Ok(Some(v)) => {
                    obj.insert(f.name.to_owned(), v);
                }
                Ok(None) => {}
                Err(code) => {
                    bad = true;
                    out.problems.push(LineProblem {
                        line: row.line,
                        field: f.name.to_owned(),
                        column: table.headers[i].clone(),
                        code: code.to_owned(),
                    });
                }
            }
        }
        if bad {
            continue;
        }
        match serde_json::from_value::<PersonFields>(Value::Object(obj)) {
            Ok(fields) => {
                for key in same_person_keys(&fields) {
                    match first_seen.get(&key) {
                        Some(first) => {
                            out.same_as.entry(row.line).or_insert(*first);
                        }
                        None => {
                            first_seen.insert(key, row.line);
                        }
                    }
                }
                out.rows.push((row.line, fields));
            }
            Err(_) => out.problems.push(LineProblem {
                line: row.line,
                field: String::new(),
                column: String::new(),
                code: "import_row_unreadable".into(),
            }),
        }
    }
    Ok(out)
}

impl Prepared {
    fn column_of(&self, field: &str) -> String {
        self.columns.get(field).cloned().unwrap_or_else(|| field.to_owned())
    }
}

/// Runs a prepared import: checks every row through the app (intake's rules, the
/// blind-index duplicate search), and unless it is a dry run or a bad row stops it, imports
/// the rows in one transaction.
pub async fn run(app: &Amparo, caller: &Caller, org: OrgId, prepared: Prepared, options: Options) -> AppResult<Report> {
    let mut report = Report { rows: prepared.total, dry_run: options.dry_run, ..Report::default() };
    report.problems = prepared.problems.clone();
    let lines: Vec<usize> = prepared.rows.iter().map(|(l, _)| *l).collect();
    let fields: Vec<PersonFields> = prepared.rows.iter().map(|(_, f)| f.clone()).collect();
    // A bad row read from the file stops the import unless skipping was asked for.
    let write = !options.dry_run && (options.skip_bad_rows || report.problems.is_empty());
    let checks = if write {
        let mut result = app.import_persons(caller, org, fields.clone()).await?;
        if result.has_problems() && options.skip_bad_rows {
            // Intake refused some rows: import the others (still all or none among them).
            let good: Vec<PersonFields> = result
                .checks
                .iter()
                .filter(|c| c.problem.is_none())
                .filter_map(|c| fields.get(c.index).cloned())
                .collect();
            let checks = result.checks.clone();
            let again = app.import_persons(caller, org, good).await?;
            result = amparo_app::records::ImportResult { checks, created: again.created };
        }
        report.imported = result.created.len();
        result.checks
    } else {
        app.check_import(caller, org, fields).await?
    };
    for c in &checks {
        let line = lines.get(c.index).copied().unwrap_or_default();
        if let Some(p) = &c.problem {
            report.problems.push(LineProblem {
                line,
                field: p.field.clone(),
                column: prepared.column_of(&p.field),
                code: p.code.clone(),
            });
        }
        let same_as_line = prepared.same_as.get(&line).copied();
        if c.duplicates_on_file > 0 || same_as_line.is_some() {
            report.duplicates.push(DuplicateFlag {
                line,
                on_file: c.duplicates_on_file,
                hints: c.duplicate_hints.clone(),
                same_as_line,
            });
        }
    }
    report.problems.sort_by_key(|p| p.line);
    report.duplicates.sort_by_key(|d| d.line);
    if options.skip_bad_rows && !options.dry_run {
        report.skipped = report.bad_lines().len();
    }
    Ok(report)
}

/// Reads, maps and runs in one call (the command line's path).
pub async fn import_file(
    app: &Amparo,
    caller: &Caller,
    org: OrgId,
    bytes: &[u8],
    mapping: &Mapping,
    options: Options,
) -> Result<Report, ImportError> {
    let table = crate::sheet::read(bytes)?;
    let prepared = prepare(&table, mapping)?;
    Ok(run(app, caller, org, prepared, options).await?)
}

/// Why a whole file could not be imported (as opposed to some of its rows).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Sheet(#[from] crate::sheet::SheetError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error(transparent)]
    App(#[from] amparo_app::AppError),
}
