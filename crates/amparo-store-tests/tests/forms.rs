//! The configurable-forms part of the storage conformance suite: every check runs against
//! every backend from `all()` (SQLite, and PostgreSQL when `AMPARO_TEST_POSTGRES_URL` is set).

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{CustomValuesRow, ErasureRow, FormConfigRow, OrganisationSettingsRow, Store, StoreError};
use amparo_store_tests::all;
use chrono::Duration;
use uuid::Uuid;

// --- helpers (the rows custom values hang on)

use amparo_store_tests::fixtures::{case, now, org, person, user};

fn config_row(org: OrgId, form: &str, version: i64, config: &str, by: Option<UserId>) -> FormConfigRow {
    FormConfigRow {
        org,
        form: form.to_owned(),
        version,
        config: config.to_owned(),
        updated_by: by,
        updated_at: now() + Duration::seconds(version),
    }
}

async fn save_config(s: &dyn Store, row: &FormConfigRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_form_config(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

fn values(form: &str, record: Uuid, org: OrgId, person: PersonId, case: Option<CaseId>, seed: u8) -> CustomValuesRow {
    CustomValuesRow {
        form: form.to_owned(),
        record,
        org,
        person,
        case,
        content: vec![seed, 0, 0xff, seed],
        updated_at: now(),
    }
}

async fn put(s: &dyn Store, row: &CustomValuesRow) -> Result<(), StoreError> {
    let mut tx = s.begin().await.expect("begin");
    tx.put_custom_values(row).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

// --- the tests

#[tokio::test]
async fn each_change_of_a_form_is_a_new_version_and_the_newest_is_in_force() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Forms").await;
        let admin = user(s, o, "admin@forms.example").await;
        assert_eq!(s.form_config(o, "person").await.expect("read"), None, "{}", t.name);
        assert!(s.form_config_history(o, "person", 10).await.expect("history").is_empty(), "{}", t.name);

        let v1 = config_row(o, "person", 1, r#"{"fields":[{"code":"family_name","hidden":true}]}"#, Some(admin));
        save_config(s, &v1).await.expect("v1");
        let v2 = config_row(o, "person", 2, r#"{"fields":[]}"#, Some(admin));
        save_config(s, &v2).await.expect("v2");
        // Another form counts its own versions.
        let case_v1 = config_row(o, "case", 1, r#"{"fields":[]}"#, None);
        save_config(s, &case_v1).await.expect("case v1");

        assert_eq!(s.form_config(o, "person").await.expect("read"), Some(v2.clone()), "{}", t.name);
        assert_eq!(s.form_config(o, "case").await.expect("read"), Some(case_v1), "{}", t.name);
        let history = s.form_config_history(o, "person", 10).await.expect("history");
        assert_eq!(history, vec![v2.clone(), v1.clone()], "{}: newest first, the old one unchanged", t.name);
        assert_eq!(s.form_config_history(o, "person", 1).await.expect("history"), vec![v2], "{}", t.name);
    }
}

#[tokio::test]
async fn a_stale_or_skipped_version_conflicts_and_changes_nothing() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Stale").await;
        save_config(s, &config_row(o, "case", 1, "{}", None)).await.expect("v1");
        // Two administrators read version 1; the second to save loses.
        save_config(s, &config_row(o, "case", 2, r#"{"first":true}"#, None)).await.expect("first");
        let second = save_config(s, &config_row(o, "case", 2, r#"{"second":true}"#, None)).await;
        assert!(matches!(second, Err(StoreError::Conflict)), "{}: {second:?}", t.name);
        let skipped = save_config(s, &config_row(o, "case", 5, "{}", None)).await;
        assert!(matches!(skipped, Err(StoreError::Conflict)), "{}: {skipped:?}", t.name);
        let first_ever_again = save_config(s, &config_row(o, "case", 1, "{}", None)).await;
        assert!(matches!(first_ever_again, Err(StoreError::Conflict)), "{}", t.name);
        let now_in_force = s.form_config(o, "case").await.expect("read").expect("some");
        assert_eq!((now_in_force.version, now_in_force.config.as_str()), (2, r#"{"first":true}"#), "{}", t.name);
    }
}

#[tokio::test]
async fn configurations_belong_to_their_organisation() {
    for t in all().await {
        let s = t.store.as_ref();
        let a = org(s, "A").await;
        let b = org(s, "B").await;
        let staff_of_b = user(s, b, "staff@b.example").await;
        save_config(s, &config_row(a, "person", 1, "{}", None)).await.expect("a");
        assert_eq!(s.form_config(b, "person").await.expect("read"), None, "{}", t.name);
        // B's first version is its own version 1.
        save_config(s, &config_row(b, "person", 1, "{}", Some(staff_of_b))).await.expect("b");
        // Nobody of B signs A's configuration.
        let crossed = save_config(s, &config_row(a, "person", 2, "{}", Some(staff_of_b))).await;
        assert!(matches!(crossed, Err(StoreError::NotFound)), "{}: {crossed:?}", t.name);
    }
}

#[tokio::test]
async fn organisation_settings_are_version_checked() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Settings").await;
        let admin = user(s, o, "admin@settings.example").await;
        assert_eq!(s.organisation_settings(o).await.expect("read"), None, "{}", t.name);
        let first = OrganisationSettingsRow {
            org: o,
            people_word: "client".into(),
            version: 1,
            updated_by: Some(admin),
            updated_at: now(),
        };
        let mut tx = s.begin().await.expect("begin");
        tx.save_organisation_settings(&first).await.expect("first");
        tx.commit().await.expect("commit");
        assert_eq!(s.organisation_settings(o).await.expect("read"), Some(first.clone()), "{}", t.name);

        let mut tx = s.begin().await.expect("begin");
        let again = tx.save_organisation_settings(&first).await;
        assert!(matches!(again, Err(StoreError::Conflict)), "{}: a second first save: {again:?}", t.name);
        drop(tx);

        let second = OrganisationSettingsRow { people_word: "participant".into(), version: 2, ..first.clone() };
        let mut tx = s.begin().await.expect("begin");
        tx.save_organisation_settings(&second).await.expect("second");
        tx.commit().await.expect("commit");
        let mut tx = s.begin().await.expect("begin");
        let stale = tx.save_organisation_settings(&OrganisationSettingsRow { version: 2, ..first }).await;
        assert!(matches!(stale, Err(StoreError::Conflict)), "{}: {stale:?}", t.name);
        drop(tx);
        assert_eq!(s.organisation_settings(o).await.expect("read"), Some(second), "{}", t.name);
    }
}

#[tokio::test]
async fn custom_values_are_one_sealed_document_per_record_replaced_whole() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Values").await;
        let staff = user(s, o, "cm@values.example").await;
        let p = person(s, o).await;
        let c = case(s, o, p, "2026-000001", staff).await;
        assert_eq!(s.custom_values("person", *p.as_uuid()).await.expect("read"), None, "{}", t.name);

        let on_person = values("person", *p.as_uuid(), o, p, None, 1);
        put(s, &on_person).await.expect("person values");
        let on_case = values("case", *c.as_uuid(), o, p, Some(c), 2);
        put(s, &on_case).await.expect("case values");
        assert_eq!(s.custom_values("person", *p.as_uuid()).await.expect("read"), Some(on_person.clone()), "{}", t.name);
        assert_eq!(s.custom_values("case", *c.as_uuid()).await.expect("read"), Some(on_case), "{}", t.name);
        // The same id under another form is another record.
        assert_eq!(s.custom_values("case", *p.as_uuid()).await.expect("read"), None, "{}", t.name);

        let replaced = CustomValuesRow { content: vec![9; 12], updated_at: now() + Duration::seconds(5), ..on_person };
        put(s, &replaced).await.expect("replace");
        assert_eq!(s.custom_values("person", *p.as_uuid()).await.expect("read"), Some(replaced), "{}", t.name);
    }
}

#[tokio::test]
async fn custom_values_cannot_point_across_people_or_organisations() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Here").await;
        let other = org(s, "There").await;
        let staff = user(s, o, "cm@here.example").await;
        let p = person(s, o).await;
        let q = person(s, o).await;
        let c = case(s, o, p, "2026-000001", staff).await;
        let r =
            |form: &str, record: Uuid, org: OrgId, person: PersonId, case| values(form, record, org, person, case, 3);
        // A person of another organisation; a case of another person; nobody at all.
        let refused = [
            r("person", *p.as_uuid(), other, p, None),
            r("case", *c.as_uuid(), o, q, Some(c)),
            r("person", Uuid::new_v4(), o, PersonId::new(), None),
        ];
        for row in &refused {
            let e = put(s, row).await;
            assert!(matches!(e, Err(StoreError::NotFound)), "{}: {row:?}: {e:?}", t.name);
        }
        // A record stored for one person is not taken over by another.
        put(s, &r("case", *c.as_uuid(), o, p, Some(c))).await.expect("p's case");
        let e = put(s, &r("case", *c.as_uuid(), o, q, None)).await;
        assert!(matches!(e, Err(StoreError::NotFound)), "{}: {e:?}", t.name);
        assert_eq!(s.custom_values("case", *c.as_uuid()).await.expect("read").map(|v| v.person), Some(p), "{}", t.name);
    }
}

#[tokio::test]
async fn custom_values_go_with_the_person_on_erasure() {
    for t in all().await {
        let s = t.store.as_ref();
        let o = org(s, "Erase").await;
        let staff = user(s, o, "cm@erase.example").await;
        let gone = person(s, o).await;
        let stays = person(s, o).await;
        let c = case(s, o, gone, "2026-000001", staff).await;
        put(s, &values("person", *gone.as_uuid(), o, gone, None, 4)).await.expect("person");
        put(s, &values("case", *c.as_uuid(), o, gone, Some(c), 5)).await.expect("case");
        put(s, &values("person", *stays.as_uuid(), o, stays, None, 6)).await.expect("other");

        let erasure = ErasureRow { person: gone, org: o, erased_at: now(), erased_by: Some(staff), reason: vec![7; 8] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        s.purge_deleted().await.expect("purge");

        assert_eq!(s.custom_values("person", *gone.as_uuid()).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.custom_values("case", *c.as_uuid()).await.expect("read"), None, "{}", t.name);
        assert!(s.custom_values("person", *stays.as_uuid()).await.expect("read").is_some(), "{}", t.name);
    }
}
