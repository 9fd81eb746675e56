//! The staff part of the storage conformance suite: profiles with optimistic versions,
//! trainings, the access policy, check-in keys and check-ins (respondents counted per month),
//! and that a dump carries them into the other backend with the same checksums.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::NaiveDate;
use uuid::Uuid;

use amparo_store::{
    AccessPolicyRow, CheckInRow, ChecksumSink, LoadSink, StaffProfileRow, Store, StoreError, TrainingRow,
    WellbeingKeyRow,
};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{now, org, user};

fn checkin(org: amparo_domain::OrgId, user: amparo_domain::UserId, period: &str) -> CheckInRow {
    CheckInRow {
        id: Uuid::new_v4(),
        org,
        user,
        instrument: "proqol5".into(),
        instrument_version: "1".into(),
        period: period.into(),
        taken_at: now(),
        sealed: vec![1, 2, 3],
    }
}

async fn populate(s: &dyn Store) -> (amparo_domain::OrgId, amparo_domain::UserId) {
    let o = org(s, "Casa").await;
    let u = user(s, o, "vale@example.org").await;
    let v = user(s, o, "rosa@example.org").await;
    let mut tx = s.begin().await.unwrap();
    let profile = StaffProfileRow {
        user: u,
        org: o,
        start_date: NaiveDate::from_ymd_opt(2026, 5, 1),
        languages: r#"[{"language":"es","level":"C2"}]"#.into(),
        backgrounds: r#"["psychology"]"#.into(),
        availability: Some(vec![9; 40]),
        version: 1,
        updated_at: now(),
    };
    tx.save_staff_profile(&profile).await.unwrap();
    tx.insert_training(&TrainingRow {
        id: Uuid::new_v4(),
        org: o,
        user: u,
        course: "confidentiality".into(),
        completed_on: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        expires_on: None,
        recorded_by: Some(v),
        recorded_at: now(),
    })
    .await
    .unwrap();
    tx.save_access_policy(&AccessPolicyRow {
        org: o,
        months: 3,
        required_courses: r#"["confidentiality"]"#.into(),
        roles: r#"["volunteer"]"#.into(),
        version: 1,
        updated_at: now(),
    })
    .await
    .unwrap();
    for who in [u, v] {
        assert!(
            tx.insert_wellbeing_key(&WellbeingKeyRow { user: who, org: o, wrapped_key: vec![5; 72] }).await.unwrap()
        );
    }
    assert!(!tx.insert_wellbeing_key(&WellbeingKeyRow { user: u, org: o, wrapped_key: vec![6; 72] }).await.unwrap());
    tx.insert_checkin(&checkin(o, u, "2026-11")).await.unwrap();
    tx.insert_checkin(&checkin(o, u, "2026-11")).await.unwrap();
    tx.insert_checkin(&checkin(o, v, "2026-11")).await.unwrap();
    tx.insert_checkin(&checkin(o, v, "2026-10")).await.unwrap();
    tx.commit().await.unwrap();
    (o, u)
}

#[tokio::test]
async fn staff_rows_round_trip_and_versions_are_checked() {
    for t in all().await {
        let s = t.store.as_ref();
        let n = t.name;
        let (o, u) = populate(s).await;
        let p = s.staff_profile(u).await.unwrap().expect("profile");
        assert_eq!(
            (p.version, p.start_date, p.availability.as_deref()),
            (1, NaiveDate::from_ymd_opt(2026, 5, 1), Some(&[9u8; 40][..])),
            "{n}"
        );
        assert_eq!(s.staff_profiles(o).await.unwrap().len(), 1, "{n}");
        // A second "first" save, or a stale one, is a conflict.
        let mut tx = s.begin().await.unwrap();
        assert!(matches!(tx.save_staff_profile(&p).await, Err(StoreError::Conflict)), "{n}");
        let stale = StaffProfileRow { version: 3, ..p.clone() };
        assert!(matches!(tx.save_staff_profile(&stale).await, Err(StoreError::Conflict)), "{n}");
        tx.save_staff_profile(&StaffProfileRow { version: 2, start_date: None, ..p }).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(s.staff_profile(u).await.unwrap().map(|p| (p.version, p.start_date)), Some((2, None)), "{n}");
        let trainings = s.trainings_of(u).await.unwrap();
        assert_eq!(trainings.len(), 1, "{n}");
        let mut tx = s.begin().await.unwrap();
        assert!(!tx.delete_training(amparo_domain::OrgId::new(), u, trainings[0].id).await.unwrap(), "{n}: other org");
        assert!(tx.delete_training(o, u, trainings[0].id).await.unwrap(), "{n}");
        tx.commit().await.unwrap();
        assert!(s.trainings_of(u).await.unwrap().is_empty(), "{n}");
        assert_eq!(s.access_policy(o).await.unwrap().map(|p| p.months), Some(3), "{n}");
        assert_eq!(s.wellbeing_key(u).await.unwrap().map(|k| k.wrapped_key), Some(vec![5; 72]), "{n}: first key kept");
        assert_eq!(s.checkins_of(u, 10).await.unwrap().len(), 2, "{n}");
        assert_eq!(s.checkin_respondents(o, "proqol5", "2026-11").await.unwrap(), 2, "{n}: people, not check-ins");
        assert_eq!(s.checkin_respondents(o, "proqol5", "2026-10").await.unwrap(), 1, "{n}");
        assert_eq!(s.checkins_in_period(o, "proqol5", "2026-11").await.unwrap().len(), 3, "{n}");
        assert_eq!(
            s.checkin_periods(o, "proqol5", 10).await.unwrap(),
            vec!["2026-11".to_owned(), "2026-10".into()],
            "{n}"
        );
        // A check-in without its owner's key is refused.
        let stranger = user(s, o, "x@example.org").await;
        let mut tx = s.begin().await.unwrap();
        assert!(matches!(tx.insert_checkin(&checkin(o, stranger, "2026-11")).await, Err(StoreError::NotFound)), "{n}");
    }
}

#[tokio::test]
async fn a_dump_carries_the_staff_tables_to_every_backend() {
    for source in all().await {
        populate(source.store.as_ref()).await;
        let mut sums = ChecksumSink::default();
        source.store.dump(&mut sums).await.unwrap();
        for table in
            ["staff_profiles", "staff_trainings", "staff_access_policies", "wellbeing_keys", "wellbeing_checkins"]
        {
            let rows = sums.tables.iter().find(|t| t.table.name == table).map(|t| t.rows);
            assert!(rows.is_some_and(|r| r > 0), "{}: {table} {rows:?}", source.name);
        }
        for target in all().await {
            let mut sink = LoadSink::new(target.store.begin_load().await.unwrap());
            source.store.dump(&mut sink).await.unwrap();
            sink.load.commit().await.unwrap();
            let mut loaded = ChecksumSink::default();
            target.store.dump(&mut loaded).await.unwrap();
            assert_eq!(loaded.tables, sums.tables, "{} -> {}", source.name, target.name);
        }
    }
}
