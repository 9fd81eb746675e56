//! The dump/load part of the storage conformance suite (backups, migrate-store): every check
//! runs against every backend from `all()`, and loads go into every backend, so a dump of
//! one backend loads into the other with the same checksums.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use async_trait::async_trait;

use amparo_store::{
    AuditDraft, AuditLinker, AuditOutcome, ChecksumSink, DumpSink, DumpTable, DumpValue, LoadSink, Store, StoreResult,
    TableSummary,
};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};

struct PlainLinker;

impl AuditLinker for PlainLinker {
    fn link(&self, prev_hash: &[u8], canonical: &[u8]) -> Vec<u8> {
        let mut out = prev_hash.iter().take(8).copied().collect::<Vec<u8>>();
        out.extend_from_slice(&(canonical.len() as u64).to_be_bytes());
        out
    }
}

/// An organisation with a user, two persons (one with a case) and a few audit entries.
async fn populate(s: &dyn Store) -> amparo_domain::PersonId {
    let o = org(s, "Casa Ñandú \"comillas\"").await;
    let u = user(s, o, "ana@example.org").await;
    let p = person(s, o).await;
    let _ = person(s, o).await;
    case(s, o, p, "2026-0001", u).await;
    let mut tx = s.begin().await.expect("begin");
    let drafts: Vec<AuditDraft> = (0..3)
        .map(|i| {
            let mut d = AuditDraft::new(now(), "cli", "record.read", AuditOutcome::Ok);
            d.org = Some(o);
            d.detail = Some(format!("n.{i}"));
            d
        })
        .collect();
    tx.append_audit(&drafts, &PlainLinker).await.expect("audit");
    tx.commit().await.expect("commit");
    p
}

async fn checksums(s: &dyn Store) -> Vec<TableSummary> {
    let mut sink = ChecksumSink::default();
    s.dump(&mut sink).await.expect("dump");
    sink.tables
}

fn rows_of(sums: &[TableSummary], table: &str) -> u64 {
    sums.iter().find(|t| t.table.name == table).map(|t| t.rows).unwrap_or_else(|| panic!("no table {table}"))
}

#[tokio::test]
async fn a_dump_loads_into_every_backend_with_the_same_checksums() {
    for source in all().await {
        let person = populate(source.store.as_ref()).await;
        let sums = checksums(source.store.as_ref()).await;
        assert_eq!(rows_of(&sums, "persons"), 2, "{}", source.name);
        assert_eq!(rows_of(&sums, "audit_events"), 3, "{}", source.name);
        assert!(sums.iter().all(|t| !t.table.name.starts_with("_sqlx")), "{}", source.name);
        // Parents come before children: a load can insert in dump order.
        let pos = |t: &str| sums.iter().position(|s| s.table.name == t).expect("table");
        assert!(pos("organisations") < pos("users") && pos("persons") < pos("cases"), "{}", source.name);
        // Dumping twice gives the same bytes.
        assert_eq!(checksums(source.store.as_ref()).await, sums, "{}", source.name);

        for target in all().await {
            // What the target held before is replaced, not merged.
            populate(target.store.as_ref()).await;
            let mut sink = LoadSink::new(target.store.begin_load().await.expect("load"));
            source.store.dump(&mut sink).await.expect("dump into load");
            sink.load.commit().await.expect("commit load");
            let loaded = checksums(target.store.as_ref()).await;
            assert_eq!(loaded, sums, "{} -> {}", source.name, target.name);
            let read = target.store.person(person).await.expect("read").expect("the person is there");
            assert_eq!(read, source.store.person(person).await.expect("read").expect("source person"));
            assert_eq!(target.store.audit_head().await.expect("head"), source.store.audit_head().await.expect("head"));
        }
    }
}

#[tokio::test]
async fn a_load_that_is_not_committed_changes_nothing() {
    for t in all().await {
        populate(t.store.as_ref()).await;
        let before = checksums(t.store.as_ref()).await;
        let mut load = t.store.begin_load().await.expect("load");
        let table =
            DumpTable { name: "organisations".into(), columns: vec!["created_at".into(), "id".into(), "name".into()] };
        load.insert_rows(
            &table,
            &[vec![DumpValue::Int(0), DumpValue::Bytes(vec![7; 16]), DumpValue::Text("x".into())]],
        )
        .await
        .expect("insert");
        drop(load);
        assert_eq!(checksums(t.store.as_ref()).await, before, "{}", t.name);
        // A row of the wrong shape is refused.
        let mut load = t.store.begin_load().await.expect("load");
        assert!(load.insert_rows(&table, &[vec![DumpValue::Int(0)]]).await.is_err(), "{}", t.name);
    }
}

/// A sink that writes through the store while the dump is under way.
struct WritingSink {
    store: Arc<dyn Store>,
    wrote: bool,
    inner: ChecksumSink,
}

#[async_trait]
impl DumpSink for WritingSink {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()> {
        if !self.wrote {
            self.wrote = true;
            let o = org(self.store.as_ref(), "Llegó durante la copia").await;
            person(self.store.as_ref(), o).await;
        }
        self.inner.table(table).await
    }
    async fn rows(&mut self, rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        self.inner.rows(rows).await
    }
    async fn end_table(&mut self) -> StoreResult<()> {
        self.inner.end_table().await
    }
}

#[tokio::test]
async fn a_dump_is_one_snapshot_while_others_write() {
    for t in all().await {
        populate(t.store.as_ref()).await;
        let before = checksums(t.store.as_ref()).await;
        let mut sink = WritingSink { store: Arc::clone(&t.store), wrote: false, inner: ChecksumSink::default() };
        t.store.dump(&mut sink).await.expect("dump");
        assert!(sink.wrote);
        // The writes committed during the dump are not in it, and did not wait for it.
        assert_eq!(sink.inner.tables, before, "{}", t.name);
        let after = checksums(t.store.as_ref()).await;
        assert_eq!(rows_of(&after, "organisations"), 2, "{}", t.name);
        assert_eq!(rows_of(&after, "persons"), 3, "{}", t.name);
    }
}
