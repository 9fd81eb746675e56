//! The outreach-events part of the storage conformance suite, on every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::events::OutreachEventId;
use amparo_domain::{OrgId, UserId};
use amparo_store::{OutreachEventQuery, OutreachEventRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{now, org, user};
use chrono::NaiveDate;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("date")
}

fn event(org: OrgId, by: UserId, held_on: NaiveDate) -> OutreachEventRow {
    let at = now();
    OutreachEventRow {
        id: OutreachEventId::new(),
        org,
        kind: "prevention_talk".into(),
        held_on,
        region: "MX-CHH".into(),
        setting: "school".into(),
        audiences: vec!["students".into(), "parents".into()],
        attendance_total: 40,
        attendance_women: Some(22),
        attendance_men: Some(18),
        attendance_youth: None,
        materials: vec!["flyers".into()],
        languages: vec!["es".into(), "tar".into()],
        wrapped_key: vec![1, 2, 0, 3],
        notes: Some(vec![0xde, 0, 0xad]),
        created_by: by,
        created_at: at,
        updated_by: by,
        version: 1,
        updated_at: at,
    }
}

async fn insert(s: &dyn Store, row: &OutreachEventRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_outreach_event(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

async fn update(s: &dyn Store, row: &OutreachEventRow) -> Result<OutreachEventRow, StoreError> {
    let mut tx = s.begin().await.expect("begin");
    let saved = tx.update_outreach_event(row).await?;
    tx.commit().await.expect("commit");
    Ok(saved)
}

fn query(org: OrgId, from: Option<NaiveDate>, to: Option<NaiveDate>) -> OutreachEventQuery {
    OutreachEventQuery { org, from, to, limit: 100 }
}

#[tokio::test]
async fn events_list_by_date_within_a_period_and_one_organisation() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Prevención").await;
        let elsewhere = org(s, "Otra").await;
        let worker = user(s, o, "prevencion@example.org").await;
        let theirs_by = user(s, elsewhere, "otra@example.org").await;
        let march = event(o, worker, day(3, 14));
        let january = event(o, worker, day(1, 20));
        let june =
            OutreachEventRow { kind: "workshop".into(), attendance_youth: Some(40), ..event(o, worker, day(6, 1)) };
        let theirs = event(elsewhere, theirs_by, day(3, 14));
        for r in [&march, &january, &june, &theirs] {
            insert(s, r).await.expect("insert");
        }
        let ids = |rows: Vec<OutreachEventRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s.outreach_events(&query(o, None, None)).await.expect("list")),
            vec![january.id, march.id, june.id],
            "{}",
            t.name
        );
        // Both ends included.
        assert_eq!(
            ids(s.outreach_events(&query(o, Some(day(1, 20)), Some(day(3, 14)))).await.expect("list")),
            vec![january.id, march.id],
            "{}",
            t.name
        );
        assert_eq!(
            ids(s.outreach_events(&query(o, Some(day(2, 1)), None)).await.expect("list")),
            vec![march.id, june.id],
            "{}",
            t.name
        );
        assert_eq!(
            ids(s.outreach_events(&query(o, None, Some(day(1, 19)))).await.expect("list")),
            Vec::<OutreachEventId>::new(),
            "{}",
            t.name
        );
        let q = OutreachEventQuery { limit: 1, ..query(o, None, None) };
        assert_eq!(ids(s.outreach_events(&q).await.expect("list")), vec![january.id], "{}", t.name);
        // Everything comes back as it went in.
        assert_eq!(s.outreach_event(june.id).await.expect("read"), Some(june.clone()), "{}", t.name);
        assert_eq!(s.outreach_event(OutreachEventId::new()).await.expect("read"), None, "{}", t.name);
    }
}

#[tokio::test]
async fn an_update_is_version_checked_and_stays_in_its_organisation() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Prevención").await;
        let worker = user(s, o, "prevencion@example.org").await;
        let colleague = user(s, o, "colega@example.org").await;
        let original = event(o, worker, day(3, 14));
        insert(s, &original).await.expect("insert");

        let change = OutreachEventRow {
            kind: "community_event".into(),
            held_on: day(3, 15),
            region: "US-TX".into(),
            setting: "public_space".into(),
            audiences: vec!["community".into()],
            attendance_total: 120,
            attendance_women: None,
            attendance_men: None,
            attendance_youth: Some(30),
            materials: vec![],
            languages: vec!["en".into()],
            notes: None,
            updated_by: colleague,
            // Attempts to change the key or the creation are ignored.
            wrapped_key: vec![0],
            created_by: colleague,
            ..original.clone()
        };
        let saved = update(s, &change).await.expect("update");
        assert_eq!(saved.version, 2, "{}", t.name);
        assert_eq!(
            (saved.kind.as_str(), saved.held_on, saved.attendance_total, saved.attendance_youth),
            ("community_event", day(3, 15), 120, Some(30)),
            "{}",
            t.name
        );
        assert_eq!((saved.notes.as_ref(), saved.updated_by), (None, colleague), "{}", t.name);
        assert_eq!((&saved.wrapped_key, saved.created_by), (&original.wrapped_key, worker), "{}", t.name);
        assert_eq!(s.outreach_event(original.id).await.expect("read"), Some(saved.clone()), "{}", t.name);
        // The same version again is a conflict, not a silent overwrite.
        assert!(matches!(update(s, &change).await, Err(StoreError::Conflict)), "{}", t.name);
        let missing = OutreachEventRow { id: OutreachEventId::new(), ..saved.clone() };
        assert!(matches!(update(s, &missing).await, Err(StoreError::NotFound)), "{}", t.name);
        // Another organisation cannot change it by naming its id.
        let other = org(s, "Otra").await;
        let foreign = OutreachEventRow { org: other, ..saved.clone() };
        assert!(matches!(update(s, &foreign).await, Err(StoreError::NotFound)), "{}", t.name);
        // A user of another organisation cannot be named as its author.
        let their_user = user(s, other, "otra@example.org").await;
        let r = OutreachEventRow { updated_by: their_user, ..saved.clone() };
        assert!(matches!(update(s, &r).await, Err(StoreError::NotFound)), "{}", t.name);
        let r = OutreachEventRow { id: OutreachEventId::new(), created_by: their_user, ..original.clone() };
        assert!(matches!(insert(s, &r).await, Err(StoreError::NotFound)), "{}", t.name);
        // The database refuses a breakdown larger than the total, whatever the caller checked.
        let r = OutreachEventRow { id: OutreachEventId::new(), attendance_total: 5, ..original.clone() };
        assert!(insert(s, &r).await.is_err(), "{}", t.name);
        assert_eq!(s.outreach_event(r.id).await.expect("read"), None, "{}", t.name);
    }
}
