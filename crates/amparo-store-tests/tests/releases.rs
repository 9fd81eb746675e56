//! The release-ledger part of the storage conformance suite, on every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::{OrgId, UserId};
use amparo_store::{ReleaseLedgerRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{org, user};
use chrono::{DateTime, TimeZone, Utc};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().expect("time")
}

fn release(org: OrgId, by: Option<UserId>, when: DateTime<Utc>, epsilon: f64) -> ReleaseLedgerRow {
    ReleaseLedgerRow {
        id: uuid::Uuid::new_v4(),
        org,
        created_at: when,
        epsilon,
        delta: 1e-6,
        rho: 0.0123,
        noise_scale: 6.25,
        tables: 63,
        made_by: by,
        document: r#"{"epsilon": 1.5, "tables": []}"#.to_owned(),
    }
}

async fn insert(s: &dyn Store, row: &ReleaseLedgerRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_release(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

#[tokio::test]
async fn the_ledger_sums_a_years_epsilon_per_organisation() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Refugio").await;
        let elsewhere = org(s, "Otra").await;
        let admin = user(s, o, "admin@example.org").await;
        let last_year = release(o, Some(admin), at(2025, 12, 31), 4.0);
        let march = release(o, Some(admin), at(2026, 3, 1), 1.5);
        let january = release(o, None, at(2026, 1, 1), 0.25);
        let theirs = release(elsewhere, None, at(2026, 5, 1), 7.0);
        for r in [&last_year, &march, &january, &theirs] {
            insert(s, r).await.expect("insert");
        }
        let (from, to) = (at(2026, 1, 1) - chrono::Duration::hours(12), at(2027, 1, 1) - chrono::Duration::hours(12));
        let listed = s.releases(o, from, to).await.expect("list");
        assert_eq!(listed, vec![january.clone(), march.clone()], "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        let spent = tx.epsilon_spent(o, from, to).await.expect("spent");
        assert!((spent - 1.75).abs() < 1e-12, "{}: {spent}", t.name);
        let none = tx.epsilon_spent(o, to, to + chrono::Duration::days(365)).await.expect("spent");
        assert_eq!(none, 0.0, "{}", t.name);
        drop(tx);
        assert_eq!(s.release(march.id).await.expect("one"), Some(march.clone()), "{}", t.name);
        assert_eq!(s.release(uuid::Uuid::new_v4()).await.expect("one"), None, "{}", t.name);
    }
}

#[tokio::test]
async fn a_release_by_someone_of_another_organisation_is_refused() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Refugio").await;
        let elsewhere = org(s, "Otra").await;
        let stranger = user(s, elsewhere, "otra@example.org").await;
        let r = release(o, Some(stranger), at(2026, 2, 2), 1.0);
        assert!(matches!(insert(s, &r).await, Err(StoreError::NotFound)), "{}", t.name);
        assert!(s.releases(o, at(2026, 1, 1), at(2027, 1, 1)).await.expect("list").is_empty(), "{}", t.name);
    }
}
