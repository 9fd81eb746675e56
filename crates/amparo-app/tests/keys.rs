//! Key rotation on every backend: a rotation interrupted midway leaves every record readable,
//! a second run continues where the first stopped, the old KEK version is retired once no
//! row uses it, search and the audit chain keep working, and new data keys are wrapped under
//! the active version (also by an application started afterwards).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{TimeZone, Utc};

use amparo_app::events::EventInput;
use amparo_app::keys::{RotationOptions, versions_in_use};
use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::{Amparo, AppConfig, AppError, Caller, ChainVerdict, Deps, ManualClock};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::records::Answer;
use amparo_domain::{PersonId, Role};
use amparo_store::KekState;

use support::{api, org, staff};

fn person(given: &str, family: &str) -> PersonFields {
    PersonFields {
        given_name: Some(Answer::Value(given.to_owned())),
        family_name: Some(Answer::Value(family.to_owned())),
        ..PersonFields::default()
    }
}

fn event() -> EventInput {
    EventInput {
        kind: "prevention_talk".into(),
        held_on: "2026-10-15".into(),
        region: "MX-CHH".into(),
        setting: "school".into(),
        audiences: vec!["students".into()],
        attendance_total: Some(30),
        notes: Some("Notas de la plática".into()),
        ..EventInput::default()
    }
}

fn app_over(t: &amparo_store_tests::TestStore, ring: Arc<KeyRing>, keys: &tempfile::TempDir) -> Amparo {
    Amparo::new(Deps {
        store: Arc::clone(&t.store),
        keys: ring,
        key_dir: keys.path().to_owned(),
        config: AppConfig::default(),
        clock: Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap())),
        password_params: PasswordParams::insecure_for_tests(),
    })
}

fn only(versions: &BTreeMap<u32, u64>) -> Vec<u32> {
    versions.keys().copied().collect()
}

#[tokio::test]
async fn an_interrupted_rotation_resumes_retires_the_old_key_and_loses_nothing() {
    for t in amparo_store_tests::all().await {
        let name = t.name;
        let keys = tempfile::tempdir().unwrap();
        let master = MasterKey::generate();
        let ring = Arc::new(KeyRing::new(&master));
        let app = app_over(&t, Arc::clone(&ring), &keys);
        let a = org(&app, "Norte").await;
        let b = org(&app, "Sur").await;
        let cm = staff(&app, a, Role::CaseManager, "cm").await;
        let cm_b = staff(&app, b, Role::CaseManager, "cmb").await;
        let mut people: Vec<(PersonId, String)> = Vec::new();
        for (i, given) in
            ["Xóchitl", "Brenda", "Valeria", "Yesenia", "Guadalupe", "Itzel", "Marisol"].iter().enumerate()
        {
            let family = format!("Peñaloza{i}");
            let p = app.create_person(&api(cm), person(given, &family)).await.unwrap();
            app.open_case(&api(cm), p.id, CaseFields::default()).await.unwrap();
            people.push((p.id, (*given).to_owned()));
        }
        let other = app.create_person(&api(cm_b), person("Rosa", "Lima")).await.unwrap().id;
        app.open_case(&api(cm_b), other, CaseFields::default()).await.unwrap();
        let talk = app.record_outreach_event(&api(cm), event()).await.unwrap().id;
        assert_eq!(only(&versions_in_use(&app, a).await.unwrap()), vec![1], "{name}");

        // Key management is the operator's, not a user's.
        let refused = app.rotate_keys(&api(cm), &RotationOptions::default()).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}");

        // 1. Interrupted after two batches of two rows (one organisation, for a fixed order).
        let opts = RotationOptions { org: Some(a), batch_size: 2, max_batches: Some(2), ..RotationOptions::default() };
        let first = app.rotate_keys(&Caller::Operator, &opts).await.unwrap();
        let fa = first.iter().find(|r| r.org == a).unwrap();
        assert_eq!((fa.from.clone(), fa.to, fa.resumed, fa.finished), (vec![1], 2, false, false), "{name}");
        assert_eq!(fa.rewrapped, 4, "{name}");
        assert_eq!(fa.remaining, 4, "{name}: 7 persons and 1 event, 4 done");
        let mid = versions_in_use(&app, a).await.unwrap();
        assert_eq!((mid.get(&1), mid.get(&2)), (Some(&4), Some(&4)), "{name}");
        // Midway every record reads, whichever key wraps it, and new keys use the new version.
        for (id, given) in &people {
            let v = app.read_person(&api(cm), *id).await.unwrap();
            assert_eq!(v.fields.given_name, Some(Answer::Value(given.clone())), "{name}");
        }
        let late = app.create_person(&api(cm), person("Nayeli", "Ortiz")).await.unwrap().id;
        app.open_case(&api(cm), late, CaseFields::default()).await.unwrap();
        assert_eq!(versions_in_use(&app, a).await.unwrap().get(&2), Some(&5), "{name}");
        let status = app.key_status(&Caller::Operator).await.unwrap();
        let sa = status.iter().find(|s| s.org == a).unwrap();
        assert_eq!((sa.active, sa.not_on_active), (2, 4), "{name}");
        let states: Vec<(i64, KekState)> = sa.versions.iter().map(|v| (v.version, v.state)).collect();
        assert_eq!(states, vec![(1, KekState::Retiring), (2, KekState::Active)], "{name}");

        // 2. Run again: it continues (no third version) and finishes.
        let second = app.rotate_keys(&Caller::Operator, &RotationOptions::default()).await.unwrap();
        let sa2 = second.iter().find(|r| r.org == a).unwrap();
        assert_eq!((sa2.to, sa2.resumed, sa2.finished, sa2.rewrapped, sa2.remaining), (2, true, true, 4, 0), "{name}");
        let sb2 = second.iter().find(|r| r.org == b).unwrap();
        assert!(sb2.finished && !sb2.resumed && sb2.to == 2, "{name}: the other organisation was rotated too");
        assert_eq!(only(&versions_in_use(&app, a).await.unwrap()), vec![2], "{name}: old version gone");
        assert_eq!(only(&versions_in_use(&app, b).await.unwrap()), vec![2], "{name}");
        let status = app.key_status(&Caller::Operator).await.unwrap();
        let sa = status.iter().find(|s| s.org == a).unwrap();
        let states: Vec<(i64, KekState)> = sa.versions.iter().map(|v| (v.version, v.state)).collect();
        assert_eq!(states, vec![(1, KekState::Retired), (2, KekState::Active)], "{name}");
        assert!(sa.versions[0].retired_at.is_some(), "{name}");
        assert_eq!(sa.not_on_active, 0, "{name}");

        // Everything still reads, search still finds (the blind-index key is not a KEK).
        for (id, given) in &people {
            let v = app.read_person(&api(cm), *id).await.unwrap();
            assert_eq!(v.fields.given_name, Some(Answer::Value(given.clone())), "{name}");
        }
        assert!(app.read_person(&api(cm), late).await.is_ok(), "{name}");
        assert!(app.read_person(&api(cm_b), other).await.is_ok(), "{name}");
        assert_eq!(app.outreach_event(&api(cm), talk).await.unwrap().notes.as_deref(), Some("Notas de la plática"));
        let hits = app.search_persons(&api(cm), "xochitl penaloza").await.unwrap().items;
        assert_eq!(hits.len(), 1, "{name}");
        assert_eq!(hits[0].id, people[0].0, "{name}");
        // The audit chain holds and names the rotation, with no row's id.
        assert!(matches!(app.verify_audit_chain().await.unwrap(), ChainVerdict::Intact { .. }), "{name}");
        let entries = t.store.audit_events_after(0, 10_000).await.unwrap();
        let rotation: Vec<(String, Option<String>)> = entries
            .iter()
            .filter(|e| e.draft.action.starts_with("keys.rotate") && e.draft.org == Some(a))
            .map(|e| (e.draft.action.clone(), e.draft.detail.clone()))
            .collect();
        assert_eq!(
            rotation,
            vec![
                ("keys.rotate.start".to_owned(), Some("from_1_to_2".to_owned())),
                ("keys.rotate.finish".to_owned(), Some("from_1_to_2_rewrapped_4".to_owned())),
            ],
            "{name}"
        );
        for e in entries.iter().filter(|e| e.draft.action.starts_with("keys.")) {
            assert_eq!(e.draft.target_id, e.draft.org.map(|o| *o.as_uuid()), "{name}");
        }

        // 3. A second rotation goes to version 3 and retires 2.
        let third = app.rotate_keys(&Caller::Operator, &RotationOptions::default()).await.unwrap();
        assert!(third.iter().all(|r| r.to == 3 && r.finished && !r.resumed), "{name}");
        assert_eq!(only(&versions_in_use(&app, a).await.unwrap()), vec![3], "{name}");

        // An application started afterwards (same master key) wraps new keys under version 3.
        let fresh_ring = Arc::new(KeyRing::new(&MasterKey::from_env_value(&hex_of(&master)).unwrap()));
        let fresh = app_over(&t, Arc::clone(&fresh_ring), &keys);
        fresh.load_key_versions().await.unwrap();
        assert_eq!((fresh_ring.kek_version(a), fresh_ring.kek_version(b)), (3, 3), "{name}");
        let newest = fresh.create_person(&api(cm), person("Citlali", "Ruiz")).await.unwrap().id;
        fresh.open_case(&api(cm), newest, CaseFields::default()).await.unwrap();
        assert_eq!(only(&versions_in_use(&fresh, a).await.unwrap()), vec![3], "{name}");
        assert!(app.read_person(&api(cm), newest).await.is_ok(), "{name}");
        assert!(matches!(fresh.verify_audit_chain().await.unwrap(), ChainVerdict::Intact { .. }), "{name}");
    }
}

/// The key file's base64 text, which `from_env_value` also reads.
fn hex_of(master: &MasterKey) -> String {
    master.file_text().trim().to_owned()
}
