//! Spreadsheets in and out: a CSV or XLSX file read into a [`Table`] of text cells with
//! their line numbers, and tables written back as CSV (every text cell defused) or XLSX
//! (typed string and number cells, never formulas).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};
use rust_xlsxwriter::Workbook;

use crate::defuse::{defuse, needs_quote};

/// Why a file could not be read or written. The codes are i18n keys (`error-<code>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is not a CSV or XLSX file that can be read")]
    Unreadable,
    #[error("the file has no header row")]
    NoHeader,
    #[error("the file has more than {0} rows")]
    TooManyRows(usize),
    #[error("a cell is longer than a spreadsheet cell may be (32,767 characters): use CSV")]
    CellTooLong,
    #[error("cannot write the spreadsheet")]
    Write,
}

impl SheetError {
    pub const fn code(&self) -> &'static str {
        match self {
            SheetError::Unreadable => "import_unreadable",
            SheetError::NoHeader => "import_no_header",
            SheetError::TooManyRows(_) => "import_too_many_rows",
            SheetError::CellTooLong => "export_cell_too_long",
            SheetError::Write => "export_write_failed",
        }
    }
}

/// Rows read at most from one file.
pub const MAX_ROWS: usize = 1_000_000;

/// A sheet's cells as text, each row with its line: the header is line 1 (or wherever it
/// stands in the sheet), and lines count as a spreadsheet program numbers its rows.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header_line: usize,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table").field("headers", &self.headers).field("rows", &self.rows.len()).finish()
    }
}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Cells may be survivor data: only the line is printed.
impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row").field("line", &self.line).finish_non_exhaustive()
    }
}

impl Row {
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
}

/// Which kind of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// XLSX is a ZIP archive; anything else is taken for CSV.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") { Format::Xlsx } else { Format::Csv }
    }

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// Reads a CSV or XLSX file (told apart by its first bytes).
pub fn read(bytes: &[u8]) -> Result<Table, SheetError> {
    match Format::sniff(bytes) {
        Format::Xlsx => read_xlsx(bytes),
        Format::Csv => read_csv(bytes),
    }
}

/// The text of a CSV file: UTF-8 (a byte-order mark dropped), or else Windows-1252 /
/// Latin-1 as older spreadsheet programs save it in Spanish.
fn csv_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// A cell we defused on the way out reads back as it was: `'=x` → `=x`, `'-A1` → `-A1`.
fn undefuse(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest.to_owned(),
        _ => cell,
    }
}

/// Reads CSV separated by commas, semicolons (Spanish-locale spreadsheets) or tabs,
/// whichever the header row holds most of.
pub fn read_csv(bytes: &[u8]) -> Result<Table, SheetError> {
    let text = csv_text(bytes);
    let first = text.lines().next().unwrap_or_default();
    let delimiter =
        [b',', b';', b'\t'].into_iter().max_by_key(|d| first.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| SheetError::Unreadable)?;
        let cells: Vec<String> = record.iter().map(|c| undefuse(c.to_owned())).collect();
        if i == 0 {
            table.header_line = 1;
            table.headers = cells.into_iter().map(|h| h.trim().to_owned()).collect();
            continue;
        }
        if table.rows.len() >= MAX_ROWS {
            return Err(SheetError::TooManyRows(MAX_ROWS));
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        table.rows.push(Row { line: i + 1, cells });
    }
    if table.headers.iter().all(String::is_empty) {
        return Err(SheetError::NoHeader);
    }
    Ok(table)
}

/// An Excel serial date (days since 1899-12-30) as an ISO date, or date-time when it has
/// a time of day.
fn serial_date(serial: f64) -> String {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let days = serial.floor();
    let date = epoch + Duration::days(days as i64);
    let seconds = ((serial - days) * 86_400.0).round() as i64;
    if seconds == 0 {
        date.format("%Y-%m-%d").to_string()
    } else {
        let t = date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::seconds(seconds);
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Data::DateTime(dt) => serial_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        // An error cell (#N/A, #DIV/0!) reads as its text and fails its field's check.
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first worksheet of an XLSX workbook (or the one named `persons`).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, SheetError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    let names = book.sheet_names();
    let name = names.iter().find(|n| n.eq_ignore_ascii_case("persons")).or(names.first()).cloned();
    let Some(name) = name else { return Err(SheetError::NoHeader) };
    let range = book.worksheet_range(&name).map_err(|_| SheetError::Unreadable)?;
    let Some((start_row, start_col)) = range.start() else { return Err(SheetError::NoHeader) };
    let mut table = Table::default();
    let pad = start_col as usize;
    for (i, row) in range.rows().enumerate() {
        let line = start_row as usize + i + 1;
        let mut cells: Vec<String> = vec![String::new(); pad];
        cells.extend(row.iter().map(cell_text));
        if table.headers.is_empty() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            table.header_line = line;
            table.headers = cells.into_iter().map(|h| h.trim().to_owned()).collect();
            continue;
        }
        if table.rows.len() >= MAX_ROWS {
            return Err(SheetError::TooManyRows(MAX_ROWS));
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        table.rows.push(Row { line, cells });
    }
    if table.headers.is_empty() {
        return Err(SheetError::NoHeader);
    }
    Ok(table)
}

/// A cell to write: text, or a number (written as a number in XLSX).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => defuse(s).into_owned(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// One sheet to write: its name, header and rows.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Writes one sheet as CSV (comma-separated, UTF-8), every text cell defused.
pub fn write_csv(sheet: &Sheet) -> Result<Vec<u8>, SheetError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(sheet.headers.iter().map(|h| defuse(h).into_owned())).map_err(|_| SheetError::Write)?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(Cell::csv)).map_err(|_| SheetError::Write)?;
    }
    w.into_inner().map_err(|_| SheetError::Write)
}

/// The longest text an XLSX cell holds.
const XLSX_MAX_CHARS: usize = 32_767;

/// Writes sheets as one XLSX workbook: text as typed string cells, numbers as numbers,
/// never a formula (a cell that looks like one is a string in the file).
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).map_err(|_| SheetError::Write)?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).map_err(|_| SheetError::Write)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| SheetError::TooManyRows(MAX_ROWS))?;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) if s.chars().count() > XLSX_MAX_CHARS => return Err(SheetError::CellTooLong),
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(|_| SheetError::Write)?;
            }
        }
    }
    book.save_to_buffer().map_err(|_| SheetError::Write)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            name: "persons".into(),
            headers: vec!["given_name".into(), "phone".into(), "household_size".into(), "note".into()],
            rows: vec![
                vec![
                    Cell::Text("=HYPERLINK(\"http://evil\",\"x\")".into()),
                    Cell::Text("+52 55 1234 5678".into()),
                    Cell::Number(-99.0),
                    Cell::Text("@SUM(A1)".into()),
                ],
                vec![Cell::Text("-A1".into()), Cell::Text("\tx".into()), Cell::Empty, Cell::Text("María".into())],
            ],
        }
    }

    #[test]
    fn a_formula_like_cell_is_defused_in_csv_and_reads_back_as_written() {
        let bytes = write_csv(&sheet()).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""), "{text}");
        assert!(text.contains(",+52 55 1234 5678,-99,'@SUM(A1)"), "{text}");
        assert!(text.contains("'-A1,"), "{text}");
        assert!(text.contains(",'\tx,"), "{text}");
        // No line starts a formula, and no cell begins with a trigger.
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                assert!(!needs_quote(cell), "{cell:?}");
            }
        }
        // Our own reader takes the quote off again.
        let t = read(&bytes).unwrap();
        assert_eq!(t.rows[0].cells[0], "=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(t.rows[0].cells[2], "-99");
        assert_eq!(t.rows[1].cells[0], "-A1");
    }

    #[test]
    fn a_formula_like_cell_is_a_string_in_xlsx_and_never_a_formula() {
        let bytes = write_xlsx(&[sheet()]).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        let formulas = book.worksheet_formula("persons").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the file");
        let range = book.worksheet_range("persons").unwrap();
        assert_eq!(range.get_value((1, 0)), Some(&Data::String("=HYPERLINK(\"http://evil\",\"x\")".into())));
        assert_eq!(range.get_value((1, 3)), Some(&Data::String("@SUM(A1)".into())));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(-99.0)));
        assert_eq!(range.get_value((2, 0)), Some(&Data::String("-A1".into())));
        let t = read(&bytes).unwrap();
        assert_eq!(t.header_line, 1);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[0].cells[2], "-99");
    }

    #[test]
    fn csv_separators_and_encodings() {
        let t = read_csv("given_name;birth_date\r\nAna;05/03/2024\r\n;\r\nLuz;\r\n".as_bytes()).unwrap();
        assert_eq!(t.headers, vec!["given_name", "birth_date"]);
        assert_eq!(t.rows.len(), 2, "the empty row is skipped");
        assert_eq!(t.rows[1].line, 4, "but still counted");
        let latin1 = b"given_name\nMar\xeda\n";
        assert_eq!(read(latin1).unwrap().rows[0].cells[0], "María");
        let bom = b"\xEF\xBB\xBFgiven_name\nAna\n";
        assert_eq!(read(bom).unwrap().headers[0], "given_name");
        assert_eq!(read(b"").unwrap_err(), SheetError::NoHeader);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(serial_date(45356.0), "2024-03-05");
        assert_eq!(serial_date(45356.5), "2024-03-05T12:00:00");
    }
}
