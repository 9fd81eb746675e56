//! The key-rotation part of the storage conformance suite, on every backend from `all()`:
//! KEK versions (one active per organisation), wrapped keys read in id order a batch at a
//! time, counted by their version prefix, and replaced only if still what was read.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_store::{DumpSink, DumpTable, DumpValue, KekState, KekVersionRow, Store, StoreResult, WrappedKeyTable};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{now, org, person};
use async_trait::async_trait;
use uuid::Uuid;

async fn put(s: &dyn Store, row: &KekVersionRow) -> Result<(), amparo_store::StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.put_kek_version(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

#[tokio::test]
async fn kek_versions_and_wrapped_keys_round_trip_on_every_backend() {
    for t in all().await {
        let (s, name) = (t.store.as_ref(), t.name);
        let a = org(s, "Norte").await;
        let b = org(s, "Sur").await;
        assert!(s.kek_versions().await.expect("versions").is_empty(), "{name}");

        // Versions: inserted, then their state replaced; one active per organisation.
        let at = now();
        let v1 = KekVersionRow { org: a, version: 1, state: KekState::Retiring, created_at: at, retired_at: None };
        let v2 = KekVersionRow { org: a, version: 2, state: KekState::Active, created_at: at, retired_at: None };
        put(s, &v1).await.expect("v1");
        put(s, &v2).await.expect("v2");
        let second_active = KekVersionRow { version: 3, ..v2.clone() };
        assert!(put(s, &second_active).await.is_err(), "{name}: two active versions");
        let retired = KekVersionRow { state: KekState::Retired, retired_at: Some(now()), ..v1.clone() };
        put(s, &retired).await.expect("retire");
        assert_eq!(s.kek_versions().await.expect("versions"), vec![retired, v2], "{name}");

        // Wrapped keys of one organisation, in id order, a page at a time.
        let mut ids = Vec::new();
        for _ in 0..5 {
            ids.push(*person(s, a).await.as_uuid());
        }
        let theirs = person(s, b).await;
        ids.sort();
        let first = s.wrapped_keys(WrappedKeyTable::Persons, a, None, 3).await.expect("page 1");
        let rest = s.wrapped_keys(WrappedKeyTable::Persons, a, Some(first[2].id), 3).await.expect("page 2");
        let seen: Vec<Uuid> = first.iter().chain(rest.iter()).map(|r| r.id).collect();
        assert_eq!(seen, ids, "{name}");
        assert!(first.iter().all(|r| r.wrapped_key == vec![1; 72]), "{name}");
        for table in WrappedKeyTable::ALL {
            if table != WrappedKeyTable::Persons {
                assert!(s.wrapped_keys(table, a, None, 10).await.expect("empty").is_empty(), "{name} {table:?}");
            }
        }

        // Counted by prefix; replaced only while still what was read.
        let header = [2u8, 0, 0, 0, 2];
        assert_eq!(s.count_wrapped_keys_not_starting(WrappedKeyTable::Persons, a, &header).await.expect("n"), 5);
        let mut new = header.to_vec();
        new.extend_from_slice(&[9; 72]);
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.rewrap_key(WrappedKeyTable::Persons, ids[0], &[1; 72], &new).await.expect("rewrap"), "{name}");
        assert!(!tx.rewrap_key(WrappedKeyTable::Persons, ids[1], &[7; 72], &new).await.expect("stale"), "{name}");
        tx.commit().await.expect("commit");
        assert_eq!(s.count_wrapped_keys_not_starting(WrappedKeyTable::Persons, a, &header).await.expect("n"), 4);
        assert_eq!(s.count_wrapped_keys_not_starting(WrappedKeyTable::Persons, a, &[1]).await.expect("n"), 1);
        let row = s.person(amparo_domain::PersonId::from_uuid(ids[0])).await.expect("read").expect("person");
        assert_eq!((row.wrapped_key, row.version), (new, 1), "{name}: the row's version is untouched");
        // The other organisation's row is neither listed nor counted.
        assert_eq!(s.count_wrapped_keys_not_starting(WrappedKeyTable::Persons, b, &header).await.expect("n"), 1);
        let b_rows = s.wrapped_keys(WrappedKeyTable::Persons, b, None, 10).await.expect("b");
        assert_eq!(b_rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![*theirs.as_uuid()], "{name}");
        // A rolled-back batch changes nothing.
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.rewrap_key(WrappedKeyTable::Persons, ids[1], &[1; 72], &header).await.expect("rewrap"));
        drop(tx);
        assert_eq!(s.count_wrapped_keys_not_starting(WrappedKeyTable::Persons, a, &header).await.expect("n"), 4);
    }
}

/// Collects the names of the tables that have a `wrapped_key` column.
#[derive(Default)]
struct WrappedKeyColumns(Vec<String>);

#[async_trait]
impl DumpSink for WrappedKeyColumns {
    async fn table(&mut self, table: &DumpTable) -> StoreResult<()> {
        if table.columns.iter().any(|c| c == "wrapped_key") {
            self.0.push(table.name.clone());
        }
        Ok(())
    }
    async fn rows(&mut self, _rows: &[Vec<DumpValue>]) -> StoreResult<()> {
        Ok(())
    }
    async fn end_table(&mut self) -> StoreResult<()> {
        Ok(())
    }
}

/// A new capability whose table carries a data key wrapped by the organisation's KEK must be
/// listed in `WrappedKeyTable::ALL`, or a key rotation would leave its rows on the old version
/// and retire the version they need. The schema itself is the list to check against.
#[tokio::test]
async fn every_table_with_a_wrapped_key_is_rotated() {
    for t in all().await {
        let mut sink = WrappedKeyColumns::default();
        t.store.dump(&mut sink).await.expect("dump");
        let mut in_schema = sink.0;
        in_schema.sort();
        let mut rotated: Vec<String> = WrappedKeyTable::ALL.iter().map(|t| t.table().to_owned()).collect();
        rotated.sort();
        assert_eq!(in_schema, rotated, "{}: tables with a wrapped_key column vs WrappedKeyTable::ALL", t.name);
    }
}
