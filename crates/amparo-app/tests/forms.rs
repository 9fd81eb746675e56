//! Configurable forms on every backend: only administrators change them, every change is a
//! version and an audit entry, hidden fields keep their values, required fields are asked
//! for, and custom values round-trip sealed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use secrecy::SecretString;

use amparo_app::records::{CaseFields, PersonFields, SafeContact};
use amparo_app::{Amparo, AppConfig, AppError, Caller, Channel, Deps, ManualClock, NewInstallation, NewUser};
use amparo_crypto::{KeyRing, MasterKey, PasswordParams};
use amparo_domain::DomainError;
use amparo_domain::forms::{
    CustomChoice, CustomInput, CustomKind, CustomSpec, CustomValue, FieldSetting, FormConfig, FormKind, FormProblem,
    Labels, PeopleWord,
};
use amparo_domain::records::{Answer, ContactChannel, DeclineCode};
use amparo_domain::{Actor, CaseId, Language, OrgId, PersonId, Role};
use amparo_store::AuditOutcome;
use amparo_store_tests::TestStore;

const PASSWORD: &str = "una contraseña larga de prueba";

struct World {
    app: Amparo,
    _keys: tempfile::TempDir,
    t: TestStore,
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for t in amparo_store_tests::all().await {
        let keys = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().unwrap()));
        let app = Amparo::new(Deps {
            store: Arc::clone(&t.store),
            keys: Arc::new(KeyRing::new(&MasterKey::generate())),
            key_dir: keys.path().to_owned(),
            config: AppConfig::default(),
            clock: clock.clone(),
            password_params: PasswordParams::insecure_for_tests(),
        });
        out.push(World { app, _keys: keys, t });
    }
    out
}

fn api(actor: Actor) -> Caller {
    Caller::User { actor, channel: Channel::Api }
}

async fn org(app: &Amparo, name: &str) -> OrgId {
    let (org, _) = app
        .add_organisation(NewInstallation {
            org_name: name.into(),
            admin_email: format!("admin@{}.org", name.to_lowercase().replace(' ', "")),
            admin_name: None,
            admin_password: pw(PASSWORD),
            language: Language::Es,
        })
        .await
        .unwrap();
    org
}

async fn staff(app: &Amparo, org: OrgId, role: Role, tag: &str) -> Actor {
    let u = app
        .add_user(
            &Caller::Operator,
            NewUser {
                org,
                email: format!("{tag}@{}.org", org.to_string().get(..8).unwrap()),
                name: None,
                role,
                language: Language::Es,
                initial_password: pw(PASSWORD),
            },
        )
        .await
        .unwrap();
    Actor { user: u.id, org, role, clearance: new_user_clearance(role) }
}

fn text(s: &str) -> Option<Answer<String>> {
    Some(Answer::Value(s.to_owned()))
}

fn person(given: &str, family: &str, alias: &str) -> PersonFields {
    PersonFields { given_name: text(given), family_name: text(family), alias: text(alias), ..PersonFields::default() }
}

async fn person_with_case(app: &Amparo, by: Actor, fields: PersonFields) -> (PersonId, CaseId) {
    let p = app.create_person(&api(by), fields).await.unwrap();
    let c = app.open_case(&api(by), p.id, CaseFields::default()).await.unwrap();
    (p.id, c.id)
}

fn setting(code: &str) -> FieldSetting {
    FieldSetting { code: code.to_owned(), ..FieldSetting::default() }
}

fn hide(code: &str) -> FieldSetting {
    FieldSetting { hidden: true, ..setting(code) }
}

fn require(code: &str) -> FieldSetting {
    FieldSetting { required: Some(true), ..setting(code) }
}

fn custom(en: &str, es: &str, kind: CustomKind) -> FieldSetting {
    FieldSetting {
        label: Labels::new(en, es),
        custom: Some(CustomSpec { kind, choices: Vec::new() }),
        ..FieldSetting::default()
    }
}

fn custom_fields() -> Vec<FieldSetting> {
    let mut source = custom("Referral source", "Quién la refirió", CustomKind::Choice);
    if let Some(spec) = source.custom.as_mut() {
        spec.choices = vec![
            CustomChoice { code: "church".into(), label: Labels::new("Church", "Iglesia") },
            CustomChoice { code: "hotline".into(), label: Labels::new("Hotline", "Línea de ayuda") },
        ];
    }
    vec![
        custom("Notes for the team", "Notas para el equipo", CustomKind::Text),
        custom("Children", "Hijas e hijos", CustomKind::Number),
        custom("Arrived on", "Llegó el", CustomKind::Date),
        source,
    ]
}

fn values(pairs: &[(&str, serde_json::Value)]) -> CustomInput {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Some(serde_json::from_value::<CustomValue>(v.clone()).unwrap())))
        .collect()
}

fn shown(input: &Option<CustomInput>, code: &str) -> Option<String> {
    input.as_ref().and_then(|m| m.get(code)).and_then(|v| v.as_ref()).map(CustomValue::as_text)
}

async fn configure(app: &Amparo, admin: Actor, form: FormKind, fields: Vec<FieldSetting>) -> i64 {
    let now = app.form_config(&api(admin), form).await.unwrap();
    let config = FormConfig { fields, retired: Vec::new() };
    app.save_form_config(&api(admin), form, now.version, config).await.unwrap().version
}

async fn admin_of(app: &Amparo, org: OrgId) -> Actor {
    staff(app, org, Role::Administrator, "formsadmin").await
}

fn invalid_field(e: &AppError) -> Option<(String, DomainError)> {
    e.invalid_field().map(|(f, p)| (f.to_owned(), p))
}

#[tokio::test]
async fn only_an_administrator_changes_a_form_and_each_change_is_a_version_and_audited() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;

        // Anyone of the organisation reads the form (pages need it); it starts as it comes.
        let start = w.app.form_config(&api(cm), FormKind::Person).await.unwrap();
        assert_eq!(start.version, 0, "{name}");
        assert!(start.layout.is_visible("family_name"), "{name}");

        for who in [cm, supervisor] {
            let refused = w.app.save_form_config(&api(who), FormKind::Person, 0, FormConfig::default()).await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}: {refused:?}");
            let history = w.app.form_config_history(&api(who), FormKind::Person).await;
            assert!(matches!(history, Err(AppError::Forbidden(_))), "{name}");
        }

        let v1 = configure(&w.app, admin, FormKind::Person, vec![hide("family_name")]).await;
        let v2 = configure(&w.app, admin, FormKind::Person, vec![hide("family_name"), require("birth_date")]).await;
        assert_eq!((v1, v2), (1, 2), "{name}");
        let now = w.app.form_config(&api(cm), FormKind::Person).await.unwrap();
        assert_eq!(now.version, 2, "{name}");
        assert!(!now.layout.is_visible("family_name") && now.layout.is_required("birth_date"), "{name}");
        assert_eq!(now.updated_by, Some(admin.user), "{name}");
        // Each form has its own versions.
        assert_eq!(w.app.form_config(&api(cm), FormKind::Case).await.unwrap().version, 0, "{name}");

        let history = w.app.form_config_history(&api(admin), FormKind::Person).await.unwrap();
        assert_eq!(history.iter().map(|h| h.version).collect::<Vec<_>>(), [2, 1], "{name}");
        assert_eq!(history[1].config.fields, vec![hide("family_name")], "{name}: the old version kept as it was");

        let events = w.t.store.audit_events_of_org(a, 200).await.unwrap();
        let saved: Vec<_> = events
            .iter()
            .filter(|e| e.draft.action == "form_config.update" && e.draft.outcome == AuditOutcome::Ok)
            .map(|e| (e.draft.actor, e.draft.detail.clone()))
            .collect();
        assert_eq!(
            saved,
            [(Some(admin.user), Some("person.v2".into())), (Some(admin.user), Some("person.v1".into()))],
            "{name}"
        );
        let refusals = events
            .iter()
            .filter(|e| e.draft.action == "form_config.update" && e.draft.outcome == AuditOutcome::Denied)
            .count();
        assert_eq!(refusals, 2, "{name}");
    }
}

#[tokio::test]
async fn a_stale_version_conflicts_and_a_bad_configuration_names_the_field() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let other_admin = staff(&w.app, a, Role::Administrator, "admin3").await;
        // Both read version 0; the first to save wins, the second is told.
        w.app
            .save_form_config(
                &api(admin),
                FormKind::Case,
                0,
                FormConfig { fields: vec![hide("places")], retired: vec![] },
            )
            .await
            .unwrap();
        let late = w
            .app
            .save_form_config(
                &api(other_admin),
                FormKind::Case,
                0,
                FormConfig { fields: vec![hide("countries")], retired: vec![] },
            )
            .await;
        assert!(matches!(late, Err(AppError::Conflict)), "{name}: {late:?}");
        let now = w.app.form_config(&api(admin), FormKind::Case).await.unwrap();
        assert!(!now.layout.is_visible("places") && now.layout.is_visible("countries"), "{name}");

        let essential = w
            .app
            .save_form_config(
                &api(admin),
                FormKind::Case,
                1,
                FormConfig { fields: vec![hide("status")], retired: vec![] },
            )
            .await
            .unwrap_err();
        assert_eq!(
            invalid_field(&essential),
            Some(("status".into(), DomainError::Form(FormProblem::EssentialHidden))),
            "{name}"
        );
        assert_eq!(w.app.form_config(&api(admin), FormKind::Case).await.unwrap().version, 1, "{name}: nothing saved");
    }
}

#[tokio::test]
async fn another_organisation_neither_reads_nor_changes_the_form() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let admin = admin_of(&w.app, a).await;
        let outsider_cm = staff(&w.app, b, Role::CaseManager, "cm").await;
        let outsider_admin = staff(&w.app, b, Role::Administrator, "admin").await;
        configure(&w.app, admin, FormKind::Person, vec![hide("family_name"), custom_fields()[0].clone()]).await;

        // The other organisation only ever reaches its own form, as it comes.
        for who in [outsider_cm, outsider_admin] {
            let theirs = w.app.form_config(&api(who), FormKind::Person).await.unwrap();
            assert_eq!(theirs.version, 0, "{name}");
            assert!(theirs.layout.is_visible("family_name"), "{name}");
            assert_eq!(theirs.layout.custom_fields().count(), 0, "{name}");
        }
        let refused = w.app.save_form_config(&api(outsider_cm), FormKind::Person, 0, FormConfig::default()).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}");
        // Their administrator saving "version 1" changes their own form, never Norte's.
        let stale = w.app.save_form_config(&api(outsider_admin), FormKind::Person, 1, FormConfig::default()).await;
        assert!(matches!(stale, Err(AppError::Conflict)), "{name}");
        let ours = w.app.form_config(&api(admin), FormKind::Person).await.unwrap();
        assert_eq!(ours.version, 1, "{name}");
        assert!(!ours.layout.is_visible("family_name"), "{name}");
    }
}

#[tokio::test]
async fn a_hidden_field_keeps_its_stored_value_through_an_update_that_omits_it() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let mut fields = person("Ana", "Pérez", "Anita");
        fields.phone = text("+52 55 1234 5678");
        let (p, c) = person_with_case(&w.app, cm, fields).await;
        w.app
            .update_case(
                &api(cm),
                c,
                Some(1),
                CaseFields { places: Some(vec!["MX-CHH".into()]), ..CaseFields::default() },
            )
            .await
            .unwrap();

        configure(&w.app, admin, FormKind::Person, vec![hide("family_name"), hide("phone")]).await;
        configure(&w.app, admin, FormKind::Case, vec![hide("places")]).await;

        // An edit that does not mention them (as the edit page, which no longer shows them).
        let view = w.app.read_person(&api(cm), p).await.unwrap();
        let edit = PersonFields { alias: text("Ani"), given_name: text("Ana"), ..PersonFields::default() };
        w.app.update_person(&api(cm), p, Some(view.version), edit).await.unwrap();
        let case = w.app.read_case(&api(cm), c).await.unwrap();
        w.app
            .update_case(
                &api(cm),
                c,
                Some(case.version),
                CaseFields { status: Some("FollowUp".into()), ..CaseFields::default() },
            )
            .await
            .unwrap();

        let view = w.app.read_person(&api(cm), p).await.unwrap();
        assert_eq!(view.fields.family_name, text("Pérez"), "{name}");
        assert_eq!(view.fields.phone, text("+52 55 1234 5678"), "{name}");
        assert_eq!(view.fields.alias, text("Ani"), "{name}");
        assert_eq!(w.app.read_case(&api(cm), c).await.unwrap().places, ["MX-CHH"], "{name}");
        // The phone still finds the person: hiding changes no index.
        let found = w.app.search_persons(&api(cm), "+52 55 1234 5678").await.unwrap();
        assert_eq!(found.items.iter().map(|h| h.id).collect::<Vec<_>>(), [p], "{name}");
    }
}

#[tokio::test]
async fn a_field_made_required_is_asked_for_with_the_field_named() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let before = w.app.create_person(&api(cm), person("Ana", "Pérez", "Anita")).await.unwrap();
        configure(&w.app, admin, FormKind::Person, vec![require("birth_date")]).await;

        let missing = w.app.create_person(&api(cm), person("Luz", "Díaz", "Lu")).await.unwrap_err();
        assert_eq!(
            invalid_field(&missing),
            Some(("birth_date".into(), DomainError::Form(FormProblem::Required))),
            "{name}"
        );
        assert_eq!(missing.code(), "required", "{name}");
        // A reason for no answer is an answer: nobody is made to say what they do not want to.
        let mut declined = person("Luz", "Díaz", "Lu");
        declined.birth_date = Some(Answer::Declined(DeclineCode::PrefersNotToAnswer));
        w.app.create_person(&api(cm), declined).await.unwrap();
        let mut given = person("Sol", "Ruiz", "Sol");
        given.birth_date = text("1990-04-01");
        w.app.create_person(&api(cm), given).await.unwrap();

        // A record made before the rule is asked for it when its identity is edited…
        let edit = PersonFields { alias: text("Anita R."), ..PersonFields::default() };
        let refused = w.app.update_person(&api(cm), before.id, Some(before.version), edit).await.unwrap_err();
        assert_eq!(invalid_field(&refused).map(|f| f.0), Some("birth_date".into()), "{name}");
        // …but not when only another section changes.
        let sc = vec![SafeContact { channel: Some(ContactChannel::Phone), safe: true, ..SafeContact::default() }];
        let safety = PersonFields { safe_contact: Some(sc), ..PersonFields::default() };
        w.app.update_person(&api(cm), before.id, Some(before.version), safety).await.unwrap();

        // Required custom fields and case fields too.
        let mut arrived = custom("Arrived on", "Llegó el", CustomKind::Date);
        arrived.required = Some(true);
        configure(&w.app, admin, FormKind::Person, vec![arrived]).await;
        let missing = w.app.create_person(&api(cm), person("Eva", "Gil", "Eva")).await.unwrap_err();
        assert_eq!(invalid_field(&missing).map(|f| f.0), Some("custom.custom_arrived_on".into()), "{name}");
        let mut with = person("Eva", "Gil", "Eva");
        with.custom = Some(values(&[("custom_arrived_on", serde_json::json!("2025-12-01"))]));
        let eva = w.app.create_person(&api(cm), with).await.unwrap();

        let case = w.app.open_case(&api(cm), eva.id, CaseFields::default()).await.unwrap();
        configure(&w.app, admin, FormKind::Case, vec![require("recruitment")]).await;
        let refused = w
            .app
            .update_case(
                &api(cm),
                case.id,
                Some(case.version),
                CaseFields { status: Some("FollowUp".into()), ..CaseFields::default() },
            )
            .await
            .unwrap_err();
        assert_eq!(invalid_field(&refused).map(|f| f.0), Some("recruitment".into()), "{name}");
        let done = CaseFields { recruitment: Some("Other".into()), ..CaseFields::default() };
        w.app.update_case(&api(cm), case.id, Some(case.version), done).await.unwrap();
    }
}

#[tokio::test]
async fn custom_values_round_trip_sealed_on_persons_and_cases() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        configure(&w.app, admin, FormKind::Person, custom_fields()).await;
        configure(&w.app, admin, FormKind::Case, vec![custom("Court", "Juzgado", CustomKind::Text)]).await;

        let canary = "CANARY-custom-9f31 Ximena habla mixteco";
        let case_canary = "CANARY-case-77ab juzgado de Ciudad Juárez";
        let mut f = person("Ana", "Pérez", "Anita");
        f.custom = Some(values(&[
            ("custom_notes_for_the_team", serde_json::json!(canary)),
            ("custom_children", serde_json::json!("2")),
            ("custom_arrived_on", serde_json::json!("2025-11-03")),
            ("custom_referral_source", serde_json::json!("church")),
        ]));
        let p = w.app.create_person(&api(cm), f).await.unwrap();
        let view = w.app.read_person(&api(cm), p.id).await.unwrap();
        assert_eq!(shown(&view.fields.custom, "custom_notes_for_the_team").as_deref(), Some(canary), "{name}");
        assert_eq!(shown(&view.fields.custom, "custom_children").as_deref(), Some("2"), "{name}");
        assert!(
            matches!(
                view.fields.custom.as_ref().and_then(|m| m.get("custom_children")),
                Some(Some(CustomValue::Number(_)))
            ),
            "{name}: numbers stay numbers"
        );
        assert_eq!(shown(&view.fields.custom, "custom_referral_source").as_deref(), Some("church"), "{name}");
        // The API shape: `custom` beside the other fields.
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["custom"]["custom_children"], serde_json::json!(2), "{name}");
        // Whoever sees the record's summary sees them (the clinician is on no team here).
        assert!(w.app.read_person(&api(clinician), p.id).await.is_err(), "{name}");

        // Bad values are refused with the field named; unknown codes are refused unnamed.
        for (code, value, problem) in [
            ("custom_children", serde_json::json!("two"), FormProblem::NotANumber),
            ("custom_arrived_on", serde_json::json!("3/11/2025"), FormProblem::DateMalformed),
            ("custom_referral_source", serde_json::json!("police"), FormProblem::UnknownChoice),
        ] {
            let edit = PersonFields { custom: Some(values(&[(code, value)])), ..PersonFields::default() };
            let e = w.app.update_person(&api(cm), p.id, Some(view.version), edit).await.unwrap_err();
            assert_eq!(invalid_field(&e), Some((format!("custom.{code}"), DomainError::Form(problem))), "{name}");
        }
        let unknown = PersonFields {
            custom: Some(values(&[("custom_shoe_size", serde_json::json!("42"))])),
            ..PersonFields::default()
        };
        let e = w.app.update_person(&api(cm), p.id, Some(view.version), unknown).await.unwrap_err();
        assert_eq!(
            invalid_field(&e),
            Some(("custom".into(), DomainError::Form(FormProblem::UnknownCustomField))),
            "{name}"
        );

        // An update that mentions one value leaves the others; null clears.
        let mut change: CustomInput = values(&[("custom_children", serde_json::json!(3))]);
        change.insert("custom_referral_source".into(), None);
        let edit = PersonFields { custom: Some(change), ..PersonFields::default() };
        let after = w.app.update_person(&api(cm), p.id, Some(view.version), edit).await.unwrap();
        assert_eq!(shown(&after.fields.custom, "custom_children").as_deref(), Some("3"), "{name}");
        assert_eq!(shown(&after.fields.custom, "custom_referral_source"), None, "{name}");
        assert_eq!(shown(&after.fields.custom, "custom_notes_for_the_team").as_deref(), Some(canary), "{name}");

        // A case's own values, sealed with the same person's key.
        let fields = CaseFields {
            custom: Some(values(&[("custom_court", serde_json::json!(case_canary))])),
            ..CaseFields::default()
        };
        let case = w.app.open_case(&api(cm), p.id, fields).await.unwrap();
        let read = w.app.read_case(&api(cm), case.id).await.unwrap();
        assert_eq!(
            read.custom.get("custom_court").cloned().flatten().map(|v| v.as_text()).as_deref(),
            Some(case_canary),
            "{name}"
        );

        // A removed field's values are not shown any more, but are still stored.
        configure(&w.app, admin, FormKind::Person, custom_fields()[1..].to_vec()).await;
        let view = w.app.read_person(&api(cm), p.id).await.unwrap();
        assert_eq!(shown(&view.fields.custom, "custom_notes_for_the_team"), None, "{name}");
        assert_eq!(shown(&view.fields.custom, "custom_children").as_deref(), Some("3"), "{name}");

        // Nothing of it is on disk in clear.
        if let Some(dir) = w.t.sqlite_data_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let bytes = std::fs::read(entry.path()).unwrap();
                for c in [canary, case_canary, "Ximena", "Juárez"] {
                    if bytes.windows(c.len()).any(|win| win == c.as_bytes()) {
                        found.push(format!("{c} in {}", entry.file_name().to_string_lossy()));
                    }
                }
            }
            assert!(found.is_empty(), "plaintext on disk: {found:?}");
        }
    }
}

#[tokio::test]
async fn custom_fields_are_written_with_the_summary_section() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        configure(&w.app, admin, FormKind::Person, vec![custom("Room", "Cuarto", CustomKind::Text)]).await;
        let (p, c) = person_with_case(&w.app, cm, person("Ana", "Pérez", "Anita")).await;
        let case = w.app.read_case(&api(cm), c).await.unwrap();
        let mut team = case.team.clone();
        team.push(shelter.user);
        w.app
            .update_case(&api(cm), c, Some(case.version), CaseFields { team: Some(team), ..CaseFields::default() })
            .await
            .unwrap();
        // Shelter staff read the summary (and so the custom values) but do not write it.
        let seen = w.app.read_person(&api(shelter), p).await.unwrap();
        assert!(seen.fields.custom.is_some(), "{name}");
        let edit = PersonFields {
            custom: Some(values(&[("custom_room", serde_json::json!("12"))])),
            ..PersonFields::default()
        };
        let refused = w.app.update_person(&api(shelter), p, Some(seen.version), edit).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}: {refused:?}");
    }
}

#[tokio::test]
async fn the_word_for_the_people_served_is_the_administrators_choice_and_audited() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        assert_eq!(w.app.people_word(&api(cm)).await.unwrap(), PeopleWord::Survivor, "{name}");
        let refused = w.app.set_people_word(&api(cm), PeopleWord::Client).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}");
        w.app.set_people_word(&api(admin), PeopleWord::Client).await.unwrap();
        w.app.set_people_word(&api(admin), PeopleWord::Participant).await.unwrap();
        assert_eq!(w.app.people_word(&api(cm)).await.unwrap(), PeopleWord::Participant, "{name}");
        assert_eq!(w.app.people_word_of(b).await.unwrap(), PeopleWord::Survivor, "{name}: another organisation's own");
        let details: Vec<_> =
            w.t.store
                .audit_events_of_org(a, 100)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.draft.action == "organisation.people_word")
                .map(|e| (e.draft.outcome, e.draft.detail))
                .collect();
        assert_eq!(
            details,
            [
                (AuditOutcome::Ok, Some("word.participant".into())),
                (AuditOutcome::Ok, Some("word.client".into())),
                (AuditOutcome::Denied, Some("role_lacks_permission".into())),
            ],
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_assessment_and_service_forms_require_hide_and_keep_custom_values_sealed() {
    use amparo_app::casework::{EntryDetail, NeedsAssessmentInput, ServiceInput};
    use amparo_domain::records::EntryKind;
    let canary = "CANARY-servicio-5c2e Fondo de la parroquia";
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let admin = admin_of(&w.app, a).await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let (_, c) = person_with_case(&w.app, cm, person("Ana", "Pérez", "Anita")).await;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();

        let mut minutes = require("minutes");
        minutes.label = Labels::new("Time spent (minutes)", "Tiempo dedicado (minutos)");
        let mut service_fields = vec![minutes, hide("notes")];
        service_fields.push(custom("Paid by", "Pagado por", CustomKind::Text));
        configure(&w.app, admin, FormKind::Service, service_fields).await;
        configure(&w.app, admin, FormKind::Assessment, vec![require("rating_housing"), hide("rating_transport")]).await;

        // Required built-in fields are asked for, named as the form names them.
        let service = ServiceInput { category: "housing".into(), date: day, ..ServiceInput::default() };
        let refused = w.app.add_service(&api(cm), c, service.clone()).await.unwrap_err();
        assert_eq!(
            invalid_field(&refused),
            Some(("minutes".into(), DomainError::Form(FormProblem::Required))),
            "{name}"
        );
        let ratings = |pairs: &[(&str, &str)]| pairs.iter().map(|(d, r)| ((*d).to_owned(), (*r).to_owned())).collect();
        let assessment =
            NeedsAssessmentInput { date: day, ratings: ratings(&[("safety", "stable")]), ..Default::default() };
        let refused = w.app.add_needs_assessment(&api(cm), c, assessment).await.unwrap_err();
        assert_eq!(invalid_field(&refused).map(|f| f.0), Some("rating_housing".into()), "{name}");

        // Custom values round-trip, sealed with the person's key; unknown ones are refused.
        let with = ServiceInput {
            minutes: Some(45),
            notes: Some("kept while hidden".into()),
            custom: Some(values(&[("custom_paid_by", serde_json::json!(canary))])),
            ..service.clone()
        };
        let saved = w.app.add_service(&api(cm), c, with).await.unwrap();
        let unknown = ServiceInput {
            minutes: Some(5),
            custom: Some(values(&[("custom_nope", serde_json::json!("x"))])),
            ..service
        };
        assert_eq!(w.app.add_service(&api(cm), c, unknown).await.unwrap_err().code(), "unknown_custom_field", "{name}");
        let fields = ratings(&[("safety", "stable"), ("housing", "vulnerable"), ("transport", "safe")]);
        let ok = NeedsAssessmentInput { date: day, ratings: fields, ..Default::default() };
        w.app.add_needs_assessment(&api(cm), c, ok).await.unwrap();

        let listed = w.app.case_entries(&api(cm), c, EntryKind::Service).await.unwrap();
        let EntryDetail::Service(got) = &listed[0].detail else { panic!("{name}: not a service") };
        assert_eq!(shown(&got.custom, "custom_paid_by").as_deref(), Some(canary), "{name}");
        // Hidden fields keep what was given (hiding is about forms and pages).
        assert_eq!(got.notes.as_deref(), Some("kept while hidden"), "{name}");
        let one = w.app.case_entry(&api(cm), saved.id).await.unwrap();
        let EntryDetail::Service(one) = one.detail else { panic!("{name}: not a service") };
        assert_eq!(shown(&one.custom, "custom_paid_by").as_deref(), Some(canary), "{name}");
        let assessed = w.app.case_entries(&api(cm), c, EntryKind::NeedAssessment).await.unwrap();
        let EntryDetail::NeedAssessment(got) = &assessed[0].detail else { panic!("{name}: not an assessment") };
        assert_eq!(got.ratings.get("transport").map(String::as_str), Some("safe"), "{name}");

        // An update that leaves the custom values out keeps them; `null` clears one.
        let change = ServiceInput { minutes: Some(50), version: Some(saved.version), ..one.clone() };
        let change = ServiceInput { custom: None, ..change };
        let saved = w.app.update_service(&api(cm), saved.id, change).await.unwrap();
        let again = w.app.case_entry(&api(cm), saved.id).await.unwrap();
        let EntryDetail::Service(again) = again.detail else { panic!("{name}: not a service") };
        assert_eq!(
            (again.minutes, shown(&again.custom, "custom_paid_by").as_deref()),
            (Some(50), Some(canary)),
            "{name}"
        );
        let clear = ServiceInput {
            version: Some(saved.version),
            custom: Some([("custom_paid_by".to_owned(), None)].into_iter().collect()),
            ..again
        };
        w.app.update_service(&api(cm), saved.id, clear).await.unwrap();
        let cleared = w.app.case_entry(&api(cm), saved.id).await.unwrap();
        let EntryDetail::Service(cleared) = cleared.detail else { panic!("{name}: not a service") };
        assert_eq!(cleared.custom, None, "{name}");

        // The value was never on disk in clear.
        let again = ServiceInput {
            category: "legal_aid".into(),
            date: day,
            minutes: Some(10),
            custom: Some(values(&[("custom_paid_by", serde_json::json!(canary))])),
            ..ServiceInput::default()
        };
        w.app.add_service(&api(cm), c, again).await.unwrap();
        if let Some(dir) = w.t.sqlite_data_dir() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let bytes = std::fs::read(entry.path()).unwrap();
                let named = entry.file_name().to_string_lossy().into_owned();
                assert!(!bytes.windows(canary.len()).any(|win| win == canary.as_bytes()), "{name}: clear in {named}");
            }
        }
    }
}

/// What the default tenure-and-training policy gives a user just added: volunteers are held
/// back (no start date, no trainings yet); other roles are not gated.
fn new_user_clearance(role: Role) -> amparo_domain::Clearance {
    if role == Role::Volunteer { amparo_domain::Clearance::NotYet } else { amparo_domain::Clearance::Cleared }
}
