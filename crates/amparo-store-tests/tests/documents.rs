//! The documents part of the storage conformance suite: every check runs against every
//! backend from `all()` (SQLite, and PostgreSQL when `AMPARO_TEST_POSTGRES_URL` is set).

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::records::DocumentId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{DocumentRow, ErasureRow, Store, StoreError};
use amparo_store_tests::all;
use chrono::{DateTime, Duration, Utc};

// --- helpers (the few rows a document hangs on)

use amparo_store_tests::fixtures::{case, now, org, person, user};

fn document(org: OrgId, person: PersonId, case: Option<CaseId>, by: Option<UserId>, at: DateTime<Utc>) -> DocumentRow {
    DocumentRow {
        id: DocumentId::new(),
        org,
        person,
        case,
        kind: "identity_document".to_owned(),
        content_type: "image/jpeg".to_owned(),
        size: 1234,
        meta: vec![0xde, 0xad, 0, 0xbe, 0xef],
        uploaded_by: by,
        uploaded_at: at,
        version: 1,
    }
}

/// Ciphertext-like bytes of `len` (every byte value, zeros included).
fn content(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

async fn insert(s: &dyn Store, row: &DocumentRow, content: &[u8]) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_document(row, content).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

// --- the tests

#[tokio::test]
async fn documents_are_listed_without_their_content_and_read_one_at_a_time() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let staff = user(s, o, "ana@casa.org").await;
        let p = person(s, o).await;
        let other = person(s, o).await;
        let c = case(s, o, p, "2026-000001", staff).await;
        let at = now();
        let first = document(o, p, None, Some(staff), at - Duration::hours(2));
        let second = DocumentRow {
            kind: "signed_consent".to_owned(),
            content_type: "application/pdf".to_owned(),
            ..document(o, p, Some(c), Some(staff), at - Duration::hours(1))
        };
        let third = DocumentRow { uploaded_by: None, ..document(o, p, None, None, at) };
        let elsewhere = document(o, other, None, None, at);
        // A file of a few MiB with every byte value, and a tiny one.
        let big = content(3 * 1024 * 1024 + 7, 5);
        insert(s, &first, &big).await.expect("insert");
        insert(s, &second, &[0]).await.expect("insert");
        insert(s, &third, &content(10, 1)).await.expect("insert");
        insert(s, &elsewhere, &content(10, 2)).await.expect("insert");

        let listed = s.documents_of_person(p).await.expect("list");
        assert_eq!(listed, vec![third.clone(), second.clone(), first.clone()], "{}: newest first", t.name);
        assert_eq!(s.documents_of_case(c).await.expect("list"), vec![second.clone()], "{}", t.name);
        assert!(s.documents_of_case(CaseId::new()).await.expect("list").is_empty(), "{}", t.name);
        assert!(s.documents_of_person(PersonId::new()).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.document(first.id).await.expect("read"), Some(first.clone()), "{}", t.name);
        assert_eq!(s.document(DocumentId::new()).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.document_content(first.id).await.expect("content"), Some(big.clone()), "{}", t.name);
        assert_eq!(s.document_content(second.id).await.expect("content"), Some(vec![0]), "{}", t.name);
        assert_eq!(s.document_content(DocumentId::new()).await.expect("content"), None, "{}", t.name);
    }
}

#[tokio::test]
async fn a_document_must_hang_on_a_person_and_a_case_of_its_own_organisation() {
    for t in all().await {
        let s = &*t.store;
        let a = org(s, "A").await;
        let b = org(s, "B").await;
        let staff_a = user(s, a, "ana@a.org").await;
        let staff_b = user(s, b, "bea@b.org").await;
        let p = person(s, a).await;
        let sibling = person(s, a).await;
        let their_case = case(s, a, sibling, "2026-000001", staff_a).await;
        let at = now();
        let refused = [
            ("no such person", document(a, PersonId::new(), None, None, at)),
            ("a person of another organisation", document(b, p, None, None, at)),
            ("no such case", document(a, p, Some(CaseId::new()), None, at)),
            ("another person's case", document(a, p, Some(their_case), None, at)),
            ("an uploader of another organisation", document(a, p, None, Some(staff_b), at)),
        ];
        for (what, row) in refused {
            let err = insert(s, &row, &[1, 2, 3]).await.expect_err(what);
            assert!(matches!(err, StoreError::NotFound), "{}: {what}: {err:?}", t.name);
        }
        assert!(s.documents_of_person(p).await.expect("list").is_empty(), "{}", t.name);

        // The same id twice is a duplicate.
        let row = document(a, p, None, Some(staff_a), at);
        insert(s, &row, &[1]).await.expect("insert");
        let err = insert(s, &row, &[1]).await.expect_err("duplicate");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
    }
}

#[tokio::test]
async fn deleting_a_document_takes_its_content_and_only_in_its_organisation() {
    for t in all().await {
        let s = &*t.store;
        let a = org(s, "A").await;
        let b = org(s, "B").await;
        let p = person(s, a).await;
        let row = document(a, p, None, None, now());
        let kept = document(a, p, None, None, now());
        insert(s, &row, &content(100, 3)).await.expect("insert");
        insert(s, &kept, &content(100, 4)).await.expect("insert");

        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.delete_document(b, row.id).await.expect("delete"), "{}: not from another organisation", t.name);
        assert!(!tx.delete_document(a, DocumentId::new()).await.expect("delete"), "{}: nothing to delete", t.name);
        tx.commit().await.expect("commit");
        assert!(s.document(row.id).await.expect("read").is_some(), "{}", t.name);

        let mut tx = s.begin().await.expect("begin");
        assert!(tx.delete_document(a, row.id).await.expect("delete"), "{}", t.name);
        // Dropped without commit: nothing happened.
        drop(tx);
        assert!(s.document(row.id).await.expect("read").is_some(), "{}: rolled back", t.name);

        let mut tx = s.begin().await.expect("begin");
        assert!(tx.delete_document(a, row.id).await.expect("delete"), "{}", t.name);
        assert!(!tx.delete_document(a, row.id).await.expect("delete"), "{}: once", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.document(row.id).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.document_content(row.id).await.expect("content"), None, "{}", t.name);
        assert_eq!(s.documents_of_person(p).await.expect("list"), vec![kept], "{}", t.name);
    }
}

#[tokio::test]
async fn erasing_a_person_takes_their_documents_and_their_cases_documents() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let staff = user(s, o, "ana@casa.org").await;
        let gone = person(s, o).await;
        let kept = person(s, o).await;
        let gone_case = case(s, o, gone, "2026-000001", staff).await;
        let on_person = document(o, gone, None, Some(staff), now());
        let on_case = document(o, gone, Some(gone_case), Some(staff), now());
        let theirs = document(o, kept, None, Some(staff), now());
        for row in [&on_person, &on_case, &theirs] {
            insert(s, row, &content(64, 9)).await.expect("insert");
        }
        let erasure =
            ErasureRow { person: gone, org: o, erased_at: now(), erased_by: Some(staff), reason: vec![0xee; 8] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        s.purge_deleted().await.expect("purge");

        for id in [on_person.id, on_case.id] {
            assert_eq!(s.document(id).await.expect("read"), None, "{}", t.name);
            assert_eq!(s.document_content(id).await.expect("content"), None, "{}", t.name);
        }
        assert!(s.documents_of_person(gone).await.expect("list").is_empty(), "{}", t.name);
        assert!(s.documents_of_case(gone_case).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.documents_of_person(kept).await.expect("list"), vec![theirs.clone()], "{}", t.name);
        assert!(s.document_content(theirs.id).await.expect("content").is_some(), "{}", t.name);
    }
}

#[tokio::test]
async fn a_document_row_debug_names_no_content() {
    let row = document(OrgId::new(), PersonId::new(), None, None, now());
    let shown = format!("{row:?}");
    assert!(shown.contains("DocumentRow") && !shown.contains('[') && !shown.contains("meta"), "{shown}");
}
