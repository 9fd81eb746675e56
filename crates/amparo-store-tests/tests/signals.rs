//! The hotline-queue part of the storage conformance suite, on every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::signals::SignalId;
use amparo_domain::{CaseId, OrgId, UserId};
use amparo_store::{ErasureRow, SignalQuery, SignalRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};
use chrono::{DateTime, Duration, Utc};

fn signal(org: OrgId, urgency: &str, at: DateTime<Utc>, by: Option<UserId>) -> SignalRow {
    SignalRow {
        id: SignalId::new(),
        org,
        channel: if by.is_some() { "call" } else { "web_tip" }.to_owned(),
        urgency: urgency.to_owned(),
        status: "new".to_owned(),
        outcome: None,
        language: Some("es".to_owned()),
        region: Some("MX-CHH".to_owned()),
        concerns: vec!["labour_exploitation".to_owned(), "minor_at_risk".to_owned()],
        case: None,
        wrapped_key: vec![1, 2, 3, 0, 4],
        text: vec![0xde, 0xad, 0, 0xbe, 0xef],
        contact: by.is_none().then(|| vec![9, 9, 0, 9]),
        notes: None,
        received_at: at,
        received_by: by,
        triaged_by: None,
        triaged_at: None,
        version: 1,
        updated_at: at,
    }
}

async fn insert(s: &dyn Store, row: &SignalRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_signal(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

async fn update(s: &dyn Store, row: &SignalRow) -> Result<SignalRow, StoreError> {
    let mut tx = s.begin().await.expect("begin");
    let saved = tx.update_signal(row).await?;
    tx.commit().await.expect("commit");
    Ok(saved)
}

fn query(org: OrgId) -> SignalQuery {
    SignalQuery { org, status: None, urgency: None, channel: None, region: None, limit: 100 }
}

#[tokio::test]
async fn the_queue_shows_danger_first_then_the_longest_waiting_and_filters_by_code() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Línea").await;
        let elsewhere = org(s, "Otra").await;
        let worker = user(s, o, "linea@example.org").await;
        let at = now();
        let routine_old = signal(o, "routine", at - Duration::hours(5), None);
        let danger_new = signal(o, "immediate_danger", at - Duration::minutes(1), Some(worker));
        let danger_old = signal(o, "immediate_danger", at - Duration::hours(1), None);
        let urgent = SignalRow { region: Some("US-TX".into()), ..signal(o, "urgent", at - Duration::hours(9), None) };
        let theirs = signal(elsewhere, "immediate_danger", at - Duration::hours(10), None);
        for r in [&routine_old, &danger_new, &danger_old, &urgent, &theirs] {
            insert(s, r).await.expect("insert");
        }
        let ids = |rows: Vec<SignalRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s.signals(&query(o)).await.expect("queue")),
            vec![danger_old.id, danger_new.id, urgent.id, routine_old.id],
            "{}",
            t.name
        );
        assert_eq!(s.signal(danger_new.id).await.expect("read"), Some(danger_new.clone()), "{}", t.name);
        assert_eq!(s.signal(SignalId::new()).await.expect("read"), None, "{}", t.name);
        let q = SignalQuery { urgency: Some("immediate_danger".into()), ..query(o) };
        assert_eq!(ids(s.signals(&q).await.expect("queue")), vec![danger_old.id, danger_new.id], "{}", t.name);
        let q = SignalQuery { channel: Some("call".into()), ..query(o) };
        assert_eq!(ids(s.signals(&q).await.expect("queue")), vec![danger_new.id], "{}", t.name);
        let q = SignalQuery { region: Some("US-TX".into()), ..query(o) };
        assert_eq!(ids(s.signals(&q).await.expect("queue")), vec![urgent.id], "{}", t.name);
        let q = SignalQuery { limit: 2, ..query(o) };
        assert_eq!(s.signals(&q).await.expect("queue").len(), 2, "{}", t.name);
        let q = SignalQuery { status: Some("closed".into()), ..query(o) };
        assert!(s.signals(&q).await.expect("queue").is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn triage_is_version_checked_and_keeps_what_was_reported() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Línea").await;
        let worker = user(s, o, "linea@example.org").await;
        let p = person(s, o).await;
        let c = case(s, o, p, "2026-000001", worker).await;
        let original = signal(o, "routine", now() - Duration::hours(1), None);
        insert(s, &original).await.expect("insert");

        let triaged_at = now();
        let triage = SignalRow {
            urgency: "urgent".into(),
            status: "closed".into(),
            outcome: Some("linked_to_case".into()),
            case: Some(c),
            notes: Some(vec![7, 0, 7]),
            concerns: vec!["other".into()],
            triaged_by: Some(worker),
            triaged_at: Some(triaged_at),
            // Attempts to change what was reported are ignored.
            text: vec![0],
            contact: None,
            wrapped_key: vec![0],
            ..original.clone()
        };
        let saved = update(s, &triage).await.expect("triage");
        assert_eq!(saved.version, 2, "{}", t.name);
        assert_eq!(saved.urgency, "urgent", "{}", t.name);
        assert_eq!(saved.case, Some(c), "{}", t.name);
        assert_eq!(saved.notes, Some(vec![7, 0, 7]), "{}", t.name);
        assert_eq!(saved.triaged_at, Some(triaged_at), "{}", t.name);
        assert_eq!(
            (&saved.text, &saved.contact, &saved.wrapped_key),
            (&original.text, &original.contact, &original.wrapped_key),
            "{}",
            t.name
        );
        assert_eq!(s.signal(original.id).await.expect("read"), Some(saved.clone()), "{}", t.name);
        // The same version again is a conflict, not a silent overwrite.
        assert!(matches!(update(s, &triage).await, Err(StoreError::Conflict)), "{}", t.name);
        // A case that is not there, or not of this organisation, is refused.
        let other_org = org(s, "Otra").await;
        let their_worker = user(s, other_org, "otra@example.org").await;
        let their_person = person(s, other_org).await;
        let their_case = case(s, other_org, their_person, "2026-000009", their_worker).await;
        for bad in [CaseId::new(), their_case] {
            let r = SignalRow { case: Some(bad), ..saved.clone() };
            assert!(matches!(update(s, &r).await, Err(StoreError::NotFound)), "{}", t.name);
            let r = SignalRow { id: SignalId::new(), case: Some(bad), ..original.clone() };
            assert!(matches!(insert(s, &r).await, Err(StoreError::NotFound)), "{}", t.name);
        }
        let missing = SignalRow { id: SignalId::new(), ..saved.clone() };
        assert!(matches!(update(s, &missing).await, Err(StoreError::NotFound)), "{}", t.name);
        // Another organisation cannot triage this signal by naming its id.
        let foreign = SignalRow { org: other_org, case: None, ..saved.clone() };
        assert!(matches!(update(s, &foreign).await, Err(StoreError::NotFound)), "{}", t.name);

        // Erasing the person takes the case; the signal stays, without the link.
        let erasure = ErasureRow { person: p, org: o, erased_at: now(), erased_by: Some(worker), reason: vec![1] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        let after = s.signal(original.id).await.expect("read").expect("still there");
        assert_eq!(after.case, None, "{}", t.name);
    }
}
