//! The safety part of the storage conformance suite (safety plan versions, the crisis log):
//! every check runs against every backend from `all()` (SQLite, and PostgreSQL when
//! `AMPARO_TEST_POSTGRES_URL` is set).

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::records::safety::{CrisisContactId, SafetyPlanId};
use amparo_domain::{OrgId, PersonId, UserId};
use amparo_store::{CrisisContactRow, ErasureRow, SafetyPlanRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{now, org, person, user};
use chrono::{DateTime, Duration, Utc};

fn plan(org: OrgId, person: PersonId, version: i64, by: Option<UserId>, at: DateTime<Utc>) -> SafetyPlanRow {
    SafetyPlanRow {
        id: SafetyPlanId::new(),
        org,
        person,
        version,
        language: if version % 2 == 0 { "en" } else { "es" }.to_owned(),
        show_agency_name: version % 2 == 0,
        // Ciphertext-like: zeros and every kind of byte.
        content: vec![0, 0xff, version as u8, 0x27, 0x22, 0],
        created_by: by,
        created_at: at,
    }
}

fn crisis(org: OrgId, person: PersonId, at: DateTime<Utc>, by: Option<UserId>) -> CrisisContactRow {
    CrisisContactRow {
        id: CrisisContactId::new(),
        org,
        person,
        occurred_at: at,
        content: vec![0xc1, 0, 0x5e],
        created_by: by,
        created_at: now(),
    }
}

async fn save_plan(s: &dyn Store, row: &SafetyPlanRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_safety_plan(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

async fn log_crisis(s: &dyn Store, row: &CrisisContactRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_crisis_contact(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

#[tokio::test]
async fn every_save_of_a_safety_plan_is_a_new_version_and_old_ones_stay_readable() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let ana = user(s, o, "ana@casa.org").await;
        let bea = user(s, o, "bea@casa.org").await;
        let p = person(s, o).await;
        let other = person(s, o).await;
        assert_eq!(s.safety_plan_latest(p).await.expect("latest"), None, "{}: no plan yet", t.name);

        let at = now();
        let v1 = plan(o, p, 1, Some(ana), at - Duration::hours(2));
        let v2 = plan(o, p, 2, Some(bea), at - Duration::hours(1));
        let v3 = plan(o, p, 3, None, at);
        let theirs = plan(o, other, 1, Some(ana), at);
        for row in [&v1, &v2, &v3, &theirs] {
            save_plan(s, row).await.expect("save");
        }
        assert_eq!(s.safety_plan_latest(p).await.expect("latest"), Some(v3.clone()), "{}", t.name);
        assert_eq!(s.safety_plan_version(p, 1).await.expect("v1"), Some(v1.clone()), "{}: kept as saved", t.name);
        assert_eq!(s.safety_plan_version(p, 2).await.expect("v2"), Some(v2.clone()), "{}", t.name);
        assert_eq!(s.safety_plan_version(p, 4).await.expect("v4"), None, "{}", t.name);
        assert_eq!(s.safety_plan_version(other, 2).await.expect("theirs"), None, "{}", t.name);
        assert_eq!(
            s.safety_plan_versions(p, 10).await.expect("versions"),
            vec![v3.clone(), v2.clone(), v1.clone()],
            "{}: newest first",
            t.name
        );
        assert_eq!(s.safety_plan_versions(p, 2).await.expect("versions"), vec![v3, v2], "{}: limited", t.name);
        assert_eq!(s.safety_plan_versions(other, 10).await.expect("versions"), vec![theirs], "{}", t.name);
        assert!(s.safety_plan_versions(PersonId::new(), 10).await.expect("versions").is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn a_plan_saved_on_a_stale_version_is_a_conflict_and_nothing_is_overwritten() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let p = person(s, o).await;
        let at = now();
        // The first plan is version 1, not any other.
        let err = save_plan(s, &plan(o, p, 2, None, at)).await.expect_err("gap");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        let first = plan(o, p, 1, None, at);
        save_plan(s, &first).await.expect("first");
        // Two people read version 1 and both save version 2: the second gets the conflict.
        save_plan(s, &plan(o, p, 2, None, at)).await.expect("second");
        let late = plan(o, p, 2, None, at);
        let err = save_plan(s, &late).await.expect_err("stale");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        let err = save_plan(s, &plan(o, p, 1, None, at)).await.expect_err("stale");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        assert_eq!(s.safety_plan_version(p, 1).await.expect("v1"), Some(first), "{}", t.name);
        assert_eq!(s.safety_plan_versions(p, 10).await.expect("versions").len(), 2, "{}", t.name);

        // Dropped without commit: not saved.
        let mut tx = s.begin().await.expect("begin");
        tx.insert_safety_plan(&plan(o, p, 3, None, at)).await.expect("insert");
        drop(tx);
        assert_eq!(s.safety_plan_latest(p).await.expect("latest").map(|r| r.version), Some(2), "{}", t.name);
    }
}

#[tokio::test]
async fn plans_and_crisis_contacts_hang_on_a_person_of_their_own_organisation() {
    for t in all().await {
        let s = &*t.store;
        let a = org(s, "A").await;
        let b = org(s, "B").await;
        let staff_b = user(s, b, "bea@b.org").await;
        let p = person(s, a).await;
        let at = now();
        for (what, row) in [
            ("no such person", plan(a, PersonId::new(), 1, None, at)),
            ("a person of another organisation", plan(b, p, 1, None, at)),
            ("an author of another organisation", plan(a, p, 1, Some(staff_b), at)),
        ] {
            let err = save_plan(s, &row).await.expect_err(what);
            assert!(matches!(err, StoreError::NotFound), "{}: {what}: {err:?}", t.name);
        }
        for (what, row) in [
            ("no such person", crisis(a, PersonId::new(), at, None)),
            ("a person of another organisation", crisis(b, p, at, None)),
            ("an author of another organisation", crisis(a, p, at, Some(staff_b))),
        ] {
            let err = log_crisis(s, &row).await.expect_err(what);
            assert!(matches!(err, StoreError::NotFound), "{}: {what}: {err:?}", t.name);
        }
        assert_eq!(s.safety_plan_latest(p).await.expect("latest"), None, "{}", t.name);
        assert!(s.crisis_contacts_of_person(p, 10).await.expect("log").is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn the_crisis_log_lists_the_most_recent_first() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let ana = user(s, o, "ana@casa.org").await;
        let p = person(s, o).await;
        let other = person(s, o).await;
        let at = now();
        // Logged out of order: a crisis of last night written down after this morning's.
        let morning = crisis(o, p, at - Duration::hours(1), Some(ana));
        let last_night = crisis(o, p, at - Duration::hours(10), None);
        let week_ago = crisis(o, p, at - Duration::days(7), Some(ana));
        let theirs = crisis(o, other, at, Some(ana));
        for row in [&morning, &week_ago, &last_night, &theirs] {
            log_crisis(s, row).await.expect("log");
        }
        assert_eq!(
            s.crisis_contacts_of_person(p, 10).await.expect("log"),
            vec![morning.clone(), last_night.clone(), week_ago],
            "{}",
            t.name
        );
        assert_eq!(s.crisis_contacts_of_person(p, 2).await.expect("log"), vec![morning, last_night], "{}", t.name);
        assert_eq!(s.crisis_contacts_of_person(other, 10).await.expect("log"), vec![theirs], "{}", t.name);
    }
}

#[tokio::test]
async fn erasing_a_person_takes_their_plans_and_crisis_log() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let staff = user(s, o, "ana@casa.org").await;
        let gone = person(s, o).await;
        let kept = person(s, o).await;
        let at = now();
        save_plan(s, &plan(o, gone, 1, Some(staff), at)).await.expect("plan");
        save_plan(s, &plan(o, gone, 2, Some(staff), at)).await.expect("plan");
        log_crisis(s, &crisis(o, gone, at, Some(staff))).await.expect("crisis");
        let kept_plan = plan(o, kept, 1, Some(staff), at);
        let kept_crisis = crisis(o, kept, at, Some(staff));
        save_plan(s, &kept_plan).await.expect("plan");
        log_crisis(s, &kept_crisis).await.expect("crisis");

        let erasure =
            ErasureRow { person: gone, org: o, erased_at: now(), erased_by: Some(staff), reason: vec![0xee; 8] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        s.purge_deleted().await.expect("purge");

        assert_eq!(s.safety_plan_latest(gone).await.expect("latest"), None, "{}", t.name);
        assert!(s.safety_plan_versions(gone, 10).await.expect("versions").is_empty(), "{}", t.name);
        assert!(s.crisis_contacts_of_person(gone, 10).await.expect("log").is_empty(), "{}", t.name);
        assert_eq!(s.safety_plan_latest(kept).await.expect("latest"), Some(kept_plan), "{}", t.name);
        assert_eq!(s.crisis_contacts_of_person(kept, 10).await.expect("log"), vec![kept_crisis], "{}", t.name);
    }
}

#[tokio::test]
async fn safety_rows_debug_names_no_content() {
    let p = plan(OrgId::new(), PersonId::new(), 1, None, now());
    let c = crisis(OrgId::new(), PersonId::new(), now(), None);
    let shown = format!("{p:?} {c:?}");
    assert!(!shown.contains("content") && !shown.contains('['), "{shown}");
}
