//! The screenings part of the storage conformance suite: every check runs against every
//! backend from `all()` (SQLite, and PostgreSQL when `AMPARO_TEST_POSTGRES_URL` is set).

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::records::ScreeningId;
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{ErasureRow, ScreeningRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};
use chrono::{DateTime, Duration, NaiveDate, Utc};

fn screening(
    org: OrgId,
    person: PersonId,
    case: Option<CaseId>,
    by: Option<UserId>,
    at: DateTime<Utc>,
    instrument: &str,
    total: i32,
) -> ScreeningRow {
    ScreeningRow {
        id: ScreeningId::new(),
        org,
        person,
        case,
        instrument: instrument.to_owned(),
        instrument_version: "2026-11".to_owned(),
        taken_on: at.date_naive(),
        taken_at: at,
        taken_by: by,
        total,
        band: Some("mild".to_owned()),
        flags: r#"["suicide_risk"]"#.to_owned(),
        coded: r#"{"groups":{"B":3},"outcomes":{"probable_ptsd":false}}"#.to_owned(),
        answers: vec![0xca, 0xfe, 0, 0xba, 0xbe],
        version: 1,
    }
}

async fn insert(s: &dyn Store, row: &ScreeningRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_screening(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

#[tokio::test]
async fn screenings_round_trip_in_time_order_per_person() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Clinica").await;
        let staff = user(s, o, "ana@clinica.org").await;
        let p = person(s, o).await;
        let other = person(s, o).await;
        let c = case(s, o, p, "2026-000001", staff).await;
        let at = now();
        let later = screening(o, p, Some(c), Some(staff), at, "phq9", 12);
        let earlier = ScreeningRow {
            band: None,
            flags: "[]".to_owned(),
            coded: "{}".to_owned(),
            taken_on: NaiveDate::from_ymd_opt(2026, 1, 31).expect("date"),
            ..screening(o, p, None, None, at - Duration::days(40), "gad7", 0)
        };
        let elsewhere = screening(o, other, None, Some(staff), at, "pcl5", 80);
        // Inserted out of order: the list is in time order whatever the insertion order.
        insert(s, &later).await.expect("insert");
        insert(s, &earlier).await.expect("insert");
        insert(s, &elsewhere).await.expect("insert");

        assert_eq!(s.screenings_of_person(p).await.expect("list"), vec![earlier.clone(), later.clone()], "{}", t.name);
        assert_eq!(s.screenings_of_person(other).await.expect("list"), vec![elsewhere.clone()], "{}", t.name);
        assert!(s.screenings_of_person(PersonId::new()).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.screening(later.id).await.expect("read"), Some(later.clone()), "{}", t.name);
        assert_eq!(s.screening(ScreeningId::new()).await.expect("read"), None, "{}", t.name);
    }
}

#[tokio::test]
async fn a_screening_must_name_a_person_of_its_organisation_and_that_persons_case() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Clinica").await;
        let elsewhere = org(s, "Otra").await;
        let staff = user(s, o, "ana@clinica.org").await;
        let outsider = user(s, elsewhere, "luis@otra.org").await;
        let p = person(s, o).await;
        let q = person(s, o).await;
        let cq = case(s, o, q, "2026-000002", staff).await;
        let at = now();
        let cases = [
            ("another person's case", screening(o, p, Some(cq), Some(staff), at, "phq9", 1)),
            ("no such person", screening(o, PersonId::new(), None, None, at, "phq9", 1)),
            ("the person in another organisation", screening(elsewhere, p, None, None, at, "phq9", 1)),
            ("taken by another organisation's user", screening(o, p, None, Some(outsider), at, "phq9", 1)),
            ("no such case", screening(o, p, Some(CaseId::new()), None, at, "phq9", 1)),
        ];
        for (what, row) in cases {
            let got = insert(s, &row).await;
            assert!(matches!(got, Err(StoreError::NotFound)), "{}: {what}: {got:?}", t.name);
        }
        assert!(s.screenings_of_person(p).await.expect("list").is_empty(), "{}: nothing stored", t.name);
        // A negative total is not a total.
        let bad = screening(o, p, None, None, at, "phq9", -1);
        assert!(insert(s, &bad).await.is_err(), "{}", t.name);
    }
}

#[tokio::test]
async fn erasing_the_person_takes_their_screenings_with_them() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Clinica").await;
        let staff = user(s, o, "ana@clinica.org").await;
        let gone = person(s, o).await;
        let stays = person(s, o).await;
        let c = case(s, o, gone, "2026-000003", staff).await;
        let at = now();
        let on_person = screening(o, gone, None, Some(staff), at, "phq9", 3);
        let on_case = screening(o, gone, Some(c), Some(staff), at, "pcl5", 40);
        let kept = screening(o, stays, None, Some(staff), at, "gad7", 5);
        for r in [&on_person, &on_case, &kept] {
            insert(s, r).await.expect("insert");
        }
        let erasure =
            ErasureRow { person: gone, org: o, erased_at: now(), erased_by: Some(staff), reason: vec![0xee; 8] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        for id in [on_person.id, on_case.id] {
            assert_eq!(s.screening(id).await.expect("read"), None, "{}", t.name);
        }
        assert!(s.screenings_of_person(gone).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.screenings_of_person(stays).await.expect("list"), vec![kept], "{}", t.name);
    }
}
