//! The HTCDS projection on every backend: one coded row per person with a case, at its
//! finest grain, nothing identifying; who may ask for it; one audit entry with counts only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use amparo_app::htcds::HtcdsPerson;
use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::Role;
use amparo_domain::records::{Answer, DeclineCode};
use chrono::NaiveDate;

use support::{api, org, staff, worlds};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn codes(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| (*s).to_owned()).collect())
}

#[tokio::test]
async fn one_coded_row_per_person_with_a_case_and_one_audit_entry() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let other = org(&w.app, "Otra").await;
        let manager = staff(&w.app, o, Role::CaseManager, "gestora").await;

        // Born 2000-06-15, first case opened 2018-06-14 (17), a second later (18 by then).
        let ana = w
            .app
            .create_person(
                &api(manager),
                PersonFields {
                    given_name: Some(Answer::Value("Ana Identificable".into())),
                    birth_date: Some(Answer::Value("2000-06-15".into())),
                    gender: Some(Answer::Value("Feminine".into())),
                    citizenship: codes(&["hn", "mx"]),
                    narrative: Some("Relato que nunca debe salir".into()),
                    ..PersonFields::default()
                },
            )
            .await
            .unwrap();
        let first = CaseFields {
            exploitation_types: codes(&["SexualExploitation"]),
            means_of_control: codes(&["DebtBondage", "FalsePromises"]),
            countries: codes(&["US", "MX"]),
            places: codes(&["MX-CHH"]),
            opened_on: Some(day("2018-06-14")),
            ..CaseFields::default()
        };
        let second = CaseFields {
            exploitation_types: codes(&["ForcedLabour", "SexualExploitation"]),
            means_of_control: codes(&["DebtBondage", "WithholdsDocuments"]),
            recruitment: Some("ThroughOnlineSocialNetworks".into()),
            countries: codes(&["CA"]),
            opened_on: Some(day("2020-03-01")),
            ..CaseFields::default()
        };
        // Opened out of order: the projection goes by the date opened.
        w.app.open_case(&api(manager), ana.id, second).await.unwrap();
        w.app.open_case(&api(manager), ana.id, first).await.unwrap();

        // An estimated age (40 in 2026, so born 1986) and a declined gender.
        let beto = w
            .app
            .create_person(
                &api(manager),
                PersonFields {
                    alias: Some(Answer::Value("Beto".into())),
                    estimated_age: Some(Answer::Value(40)),
                    gender: Some(Answer::Declined(DeclineCode::PrefersNotToAnswer)),
                    ..PersonFields::default()
                },
            )
            .await
            .unwrap();
        let labour = CaseFields {
            exploitation_types: codes(&["ForcedLabour"]),
            opened_on: Some(day("2024-01-10")),
            restricted: Some(true),
            ..CaseFields::default()
        };
        w.app.open_case(&api(manager), beto.id, labour).await.unwrap();

        // A person without a case is not in the export; nor is another organisation's.
        w.app
            .create_person(
                &api(manager),
                PersonFields { alias: Some(Answer::Value("Sin caso".into())), ..PersonFields::default() },
            )
            .await
            .unwrap();
        let stranger = staff(&w.app, other, Role::CaseManager, "ajena").await;
        let s = w
            .app
            .create_person(
                &api(stranger),
                PersonFields { alias: Some(Answer::Value("Ajena".into())), ..PersonFields::default() },
            )
            .await
            .unwrap();
        w.app.open_case(&api(stranger), s.id, CaseFields::default()).await.unwrap();

        let supervisor = staff(&w.app, o, Role::Supervisor, "supervisora").await;
        let mut rows = w.app.htcds_persons(&api(supervisor), o).await.expect("projection");
        rows.sort_by_key(|r| r.year_of_registration);
        assert_eq!(
            rows,
            vec![
                HtcdsPerson {
                    year_of_registration: Some(2018),
                    age_at_registration: Some(17),
                    gender: Some("Feminine".into()),
                    citizenship: Some("HN".into()),
                    country_of_exploitation: Some("US".into()),
                    exploitation: vec!["ForcedLabour".into(), "SexualExploitation".into()],
                    means_of_control: vec!["DebtBondage".into(), "FalsePromises".into(), "WithholdsDocuments".into()],
                    recruitment: Some("ThroughOnlineSocialNetworks".into()),
                },
                // The restricted case counts: statistics, not a record shown.
                HtcdsPerson {
                    year_of_registration: Some(2024),
                    age_at_registration: Some(38),
                    gender: None,
                    citizenship: None,
                    country_of_exploitation: None,
                    exploitation: vec!["ForcedLabour".into()],
                    means_of_control: vec![],
                    recruitment: None,
                },
            ],
            "{}",
            w.t.name
        );
        // Nothing identifying anywhere in the projection.
        let shown = format!("{rows:?}");
        for secret in ["Ana", "Identificable", "Relato", "Beto", "MX-CHH", "2000-06-15", "2018-06-14"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }

        // One audit entry with the count, no target.
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let entries: Vec<_> = log.iter().filter(|x| x.draft.action == "htcds.project").collect();
        assert_eq!(entries.len(), 1, "{}", w.t.name);
        assert_eq!(entries[0].draft.actor, Some(supervisor.user));
        assert_eq!(entries[0].draft.org, Some(o));
        assert_eq!(entries[0].draft.detail.as_deref(), Some("persons.2"));
        assert_eq!(entries[0].draft.target_id, None);

        // The operator gets the same; another organisation's caller gets "not found".
        assert_eq!(w.app.htcds_persons(&Caller::Operator, o).await.unwrap().len(), 2);
        assert_eq!(w.app.htcds_persons(&Caller::Operator, other).await.unwrap().len(), 1);
        assert!(matches!(w.app.htcds_persons(&api(stranger), o).await, Err(AppError::NotFound)));
    }
}

#[tokio::test]
async fn coordinators_and_analysts_may_project_others_are_refused_and_audited() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        for (role, may) in [
            (Role::Administrator, true),
            (Role::Supervisor, true),
            (Role::Analyst, true),
            (Role::CaseManager, false),
            (Role::Hotline, false),
            (Role::Clinician, false),
            (Role::ShelterStaff, false),
            (Role::Volunteer, false),
        ] {
            let who = staff(&w.app, o, role, role.code()).await;
            let got = w.app.htcds_persons(&api(who), o).await;
            assert_eq!(got.is_ok(), may, "{role} {}", w.t.name);
            if !may {
                assert!(matches!(got, Err(AppError::Forbidden(_))), "{role}");
            }
        }
        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let denied =
            log.iter().filter(|x| x.draft.action == "htcds.project" && x.draft.outcome.code() == "denied").count();
        assert_eq!(denied, 5, "{}", w.t.name);
    }
}
