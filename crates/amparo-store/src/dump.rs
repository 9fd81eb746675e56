//! Dump and load: every table, as backend-neutral rows, for backups and for moving an
//! installation from SQLite to PostgreSQL (DESIGN.md §7 `backup`, `migrate-store`).
//!
//! A value is one of SQLite's storage classes, which is also how the SQLite schema stores
//! everything (ids as 16-byte blobs, timestamps as microseconds, dates as days since
//! 1970-01-01, booleans as 0/1). The PostgreSQL backend converts its typed columns to and
//! from these, so a dump of the same data gives the same bytes on both backends.
//!
//! Canonical row encoding (the bytes a table's checksum is SHA-256 of): for each row, for
//! each column in the order of [`DumpTable::columns`] (sorted by name, so both backends
//! agree), one tag byte and a payload: `0` NULL; `1` integer, 8 bytes big-endian two's
//! complement; `2` real, the 8 bytes of the IEEE 754 double, big-endian; `3` text, an 8-byte
//! big-endian length then UTF-8; `4` blob, an 8-byte big-endian length then the bytes. Rows
//! come in primary-key order (byte order for text and blobs), so the encoding of a table's
//! content is unique.

use std::fmt;

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use crate::{StoreError, StoreResult};

/// One column value of a dumped row.
#[derive(Clone, PartialEq)]
pub enum DumpValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl fmt::Debug for DumpValue {
    // Values may be names or emails of staff: never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DumpValue::Null => "Null",
            DumpValue::Int(_) => "Int(..)",
            DumpValue::Real(_) => "Real(..)",
            DumpValue::Text(_) => "Text(..)",
            DumpValue::Bytes(_) => "Bytes(..)",
        })
    }
}

/// A table as dumped: its name and its columns (sorted by name).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DumpTable {
    pub name: String,
    pub columns: Vec<String>,
}

/// Receives a dump: each table (parents before the tables whose foreign keys point at
/// them), then its rows in batches, then the end of the table.
#[async_trait]
pub trait DumpSink: Send {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()>;
    async fn rows(&mut self, rows: &[Vec<DumpValue>]) -> StoreResult<()>;
    async fn end_table(&mut self) -> StoreResult<()>;
}

/// A load: one transaction that has emptied every table; rows go in table by table, in the
/// order a dump gives them. Nothing is visible before [`LoadTx::commit`]; dropping it rolls back.
#[async_trait]
pub trait LoadTx: Send {
    async fn insert_rows(&mut self, table: &DumpTable, rows: &[Vec<DumpValue>]) -> StoreResult<()>;
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// Rows a backend reads or writes per batch.
pub const DUMP_BATCH_ROWS: usize = 500;

/// Appends one row's canonical encoding to `out`.
pub fn encode_row(out: &mut Vec<u8>, row: &[DumpValue]) {
    for value in row {
        match value {
            DumpValue::Null => out.push(0),
            DumpValue::Int(i) => {
                out.push(1);
                out.extend_from_slice(&i.to_be_bytes());
            }
            DumpValue::Real(r) => {
                out.push(2);
                out.extend_from_slice(&r.to_bits().to_be_bytes());
            }
            DumpValue::Text(t) => {
                out.push(3);
                out.extend_from_slice(&(t.len() as u64).to_be_bytes());
                out.extend_from_slice(t.as_bytes());
            }
            DumpValue::Bytes(b) => {
                out.push(4);
                out.extend_from_slice(&(b.len() as u64).to_be_bytes());
                out.extend_from_slice(b);
            }
        }
    }
}

/// Decodes rows of `columns` values each from a canonical encoding; refuses anything that
/// is not exactly whole rows.
pub fn decode_rows(mut buf: &[u8], columns: usize) -> StoreResult<Vec<Vec<DumpValue>>> {
    let bad = || StoreError::Database("malformed row encoding".into());
    fn take<'a>(buf: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if buf.len() < n {
            return None;
        }
        let (head, tail) = buf.split_at(n);
        *buf = tail;
        Some(head)
    }
    fn eight(buf: &mut &[u8]) -> Option<[u8; 8]> {
        take(buf, 8).and_then(|b| b.try_into().ok())
    }
    let mut rows = Vec::new();
    if columns == 0 {
        return if buf.is_empty() { Ok(rows) } else { Err(bad()) };
    }
    while !buf.is_empty() {
        let mut row = Vec::with_capacity(columns);
        for _ in 0..columns {
            let tag = take(&mut buf, 1).ok_or_else(bad)?[0];
            let value = match tag {
                0 => DumpValue::Null,
                1 => DumpValue::Int(i64::from_be_bytes(eight(&mut buf).ok_or_else(bad)?)),
                2 => DumpValue::Real(f64::from_bits(u64::from_be_bytes(eight(&mut buf).ok_or_else(bad)?))),
                3 | 4 => {
                    let len =
                        usize::try_from(u64::from_be_bytes(eight(&mut buf).ok_or_else(bad)?)).map_err(|_| bad())?;
                    let bytes = take(&mut buf, len).ok_or_else(bad)?;
                    if tag == 3 {
                        DumpValue::Text(String::from_utf8(bytes.to_vec()).map_err(|_| bad())?)
                    } else {
                        DumpValue::Bytes(bytes.to_vec())
                    }
                }
                _ => return Err(bad()),
            };
            row.push(value);
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A table's row count and checksum (SHA-256 of its canonical encoding, hex).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableSummary {
    #[serde(flatten)]
    pub table: DumpTable,
    pub rows: u64,
    pub sha256: String,
}

/// Counts and checksums each table of a dump as it streams past.
#[derive(Default)]
pub struct TableDigest {
    hasher: Sha256,
    rows: u64,
    buf: Vec<u8>,
}

impl fmt::Debug for TableDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableDigest").field("rows", &self.rows).finish_non_exhaustive()
    }
}

impl TableDigest {
    /// Adds already-encoded rows.
    pub fn add_encoded(&mut self, bytes: &[u8], rows: u64) {
        self.hasher.update(bytes);
        self.rows += rows;
    }

    pub fn add_rows(&mut self, rows: &[Vec<DumpValue>]) {
        self.buf.clear();
        for row in rows {
            encode_row(&mut self.buf, row);
        }
        self.hasher.update(&self.buf);
        self.rows += rows.len() as u64;
    }

    pub fn finish(self, table: DumpTable) -> TableSummary {
        TableSummary { table, rows: self.rows, sha256: hex::encode(self.hasher.finalize()) }
    }
}

/// A sink that only counts and checksums: compares two stores, or a store with a manifest.
#[derive(Debug, Default)]
pub struct ChecksumSink {
    current: Option<(DumpTable, TableDigest)>,
    pub tables: Vec<TableSummary>,
}

#[async_trait]
impl DumpSink for ChecksumSink {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()> {
        self.current = Some((table.clone(), TableDigest::default()));
        Ok(())
    }
    async fn rows(&mut self, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        if let Some((_, digest)) = self.current.as_mut() {
            digest.add_rows(rows);
        }
        Ok(())
    }
    async fn end_table(&mut self) -> StoreResult<()> {
        if let Some((table, digest)) = self.current.take() {
            self.tables.push(digest.finish(table));
        }
        Ok(())
    }
}

/// A sink that writes every row into another store's load transaction (migrate-store).
pub struct LoadSink {
    pub load: Box<dyn LoadTx>,
    current: Option<DumpTable>,
}

impl fmt::Debug for LoadSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadSink").field("table", &self.current).finish_non_exhaustive()
    }
}

impl LoadSink {
    pub fn new(load: Box<dyn LoadTx>) -> Self {
        Self { load, current: None }
    }
}

#[async_trait]
impl DumpSink for LoadSink {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()> {
        self.current = Some(table.clone());
        Ok(())
    }
    async fn rows(&mut self, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        let table = self.current.as_ref().ok_or_else(|| StoreError::Database("rows before a table".into()))?;
        self.load.insert_rows(table, rows).await
    }
    async fn end_table(&mut self) -> StoreResult<()> {
        self.current = None;
        Ok(())
    }
}

/// Orders tables so that every table comes after the tables its foreign keys name
/// (`edges` are (child, parent) pairs); ties and cycles are broken by name.
pub fn dependency_order(mut tables: Vec<String>, edges: &[(String, String)]) -> Vec<String> {
    tables.sort();
    tables.dedup();
    let mut out: Vec<String> = Vec::with_capacity(tables.len());
    while out.len() < tables.len() {
        let ready = tables.iter().find(|t| {
            !out.contains(t)
                && edges.iter().all(|(child, parent)| {
                    child != *t || parent == *t || out.contains(parent) || !tables.contains(parent)
                })
        });
        // A cycle: take the first remaining table by name (SQLite defers the checks to
        // commit; PostgreSQL would refuse, and our schema has no cycle).
        let next = ready.or_else(|| tables.iter().find(|t| !out.contains(t)));
        match next {
            Some(t) => out.push(t.clone()),
            None => break,
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_through_the_canonical_encoding() {
        let rows = vec![
            vec![DumpValue::Null, DumpValue::Int(-7), DumpValue::Real(1.5)],
            vec![DumpValue::Text("año".into()), DumpValue::Bytes(vec![0, 1, 2]), DumpValue::Int(i64::MAX)],
        ];
        let mut buf = Vec::new();
        for r in &rows {
            encode_row(&mut buf, r);
        }
        assert_eq!(decode_rows(&buf, 3).unwrap(), rows);
        // A cut row is refused, not silently dropped.
        assert!(decode_rows(&buf[..buf.len() - 1], 3).is_err());
        assert!(decode_rows(&buf, 4).is_err());
    }

    #[test]
    fn text_and_bytes_of_the_same_content_encode_differently() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        encode_row(&mut a, &[DumpValue::Text("ab".into())]);
        encode_row(&mut b, &[DumpValue::Bytes(b"ab".to_vec())]);
        assert_ne!(a, b);
    }

    #[test]
    fn parents_come_before_children() {
        let edges = vec![
            ("cases".to_owned(), "persons".to_owned()),
            ("persons".to_owned(), "organisations".to_owned()),
            ("audit".to_owned(), "audit".to_owned()),
        ];
        let order =
            dependency_order(vec!["cases".into(), "audit".into(), "persons".into(), "organisations".into()], &edges);
        assert_eq!(order, vec!["audit", "organisations", "persons", "cases"]);
    }
}
