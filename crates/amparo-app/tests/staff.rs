//! People of the organisation, the tenure-and-training gate and private ProQOL check-ins,
//! on both backends, with the application's clock moved by the test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Duration, NaiveDate};

use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::staff::wellbeing::CheckInInput;
use amparo_app::staff::{PolicyView, ProfileInput, TrainingInput};
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::staff::{Background, LanguageSkill, Period};
use amparo_domain::{Actor, Clearance, Denied, OrgId, Role};
use support::{api, org, staff, worlds};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A user of `org` and the actor the application makes of them, through an API token: the
/// clearance is computed by the application, as on every request.
async fn volunteer(app: &amparo_app::Amparo, org: OrgId, tag: &str) -> (Actor, String) {
    let v = staff(app, org, Role::Volunteer, tag).await;
    let email = format!("{tag}@{}.org", org.to_string().get(..8).unwrap());
    let token = app.create_api_token(&Caller::Operator, &email, "t").await.unwrap().secret;
    (v, token)
}

fn text(s: &str) -> Option<amparo_domain::records::Answer<String>> {
    Some(amparo_domain::records::Answer::Value(s.to_owned()))
}

fn trainings_done(on: NaiveDate) -> Vec<TrainingInput> {
    ["confidentiality", "trauma_informed_care"]
        .iter()
        .map(|c| TrainingInput { course: (*c).into(), completed_on: on, expires_on: None })
        .collect()
}

#[tokio::test]
async fn volunteer_in_first_six_months_reaches_no_record_and_does_after_date_and_trainings() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Refugio").await;
        let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let (v, token) = volunteer(&w.app, o, "vol").await;
        let p = w
            .app
            .create_person(&api(cm), PersonFields { alias: text("Mariposa"), ..PersonFields::default() })
            .await
            .unwrap();
        let c = w
            .app
            .open_case(&api(cm), p.id, CaseFields { team: Some(vec![cm.user, v.user]), ..CaseFields::default() })
            .await
            .unwrap();
        // Started today (2026-11-02), trainings done this week.
        let today = d(2026, 11, 2);
        let profile = w.app.staff_profile(&api(sup), v.user).await.unwrap();
        w.app
            .save_staff_profile(
                &api(sup),
                v.user,
                ProfileInput { start_date: Some(today), version: profile.version, ..ProfileInput::default() },
            )
            .await
            .unwrap();
        for t in trainings_done(today) {
            w.app.record_training(&api(sup), v.user, t).await.unwrap();
        }
        let now = w.app.authenticate_token(&token).await.unwrap();
        assert_eq!(now.clearance, Clearance::NotYet, "{name}");
        for refused in
            [w.app.read_case(&api(now), c.id).await.map(|_| ()), w.app.read_person(&api(now), p.id).await.map(|_| ())]
        {
            assert!(matches!(refused, Err(AppError::Forbidden(Denied::NotYetCleared))), "{name}: {refused:?}");
        }
        // The person and their coordinator see the day access opens.
        let own = w.app.staff_profile(&api(now), v.user).await.unwrap();
        assert_eq!(own.access.opens_on, Some(d(2027, 5, 2)), "{name}");
        assert!(own.access.missing_courses.is_empty(), "{name}");
        let seen_by_sup = w.app.staff_profile(&api(sup), v.user).await.unwrap();
        assert_eq!(seen_by_sup.access.opens_on, Some(d(2027, 5, 2)), "{name}");

        // The day before: still not.
        w.clock.advance(Duration::days(180));
        let day_before = w.app.authenticate_token(&token).await.unwrap();
        assert!(matches!(w.app.read_case(&api(day_before), c.id).await, Err(AppError::Forbidden(_))), "{name}");
        // On the day: what the role allows, on the cases of their team.
        w.clock.advance(Duration::days(1));
        let cleared = w.app.authenticate_token(&token).await.unwrap();
        assert_eq!(cleared.clearance, Clearance::Cleared, "{name}");
        assert_eq!(w.app.read_case(&api(cleared), c.id).await.unwrap().id, c.id, "{name}");
        assert!(w.app.read_person(&api(cleared), p.id).await.is_ok(), "{name}");
        // Never more than the role: no new records.
        assert!(
            matches!(
                w.app.create_person(&api(cleared), PersonFields { alias: text("x"), ..PersonFields::default() }).await,
                Err(AppError::Forbidden(Denied::RoleLacksPermission))
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn time_served_is_not_enough_without_the_trainings_and_an_expired_one_closes_again() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Refugio").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let (v, token) = volunteer(&w.app, o, "vol").await;
        w.app
            .save_staff_profile(
                &api(sup),
                v.user,
                ProfileInput { start_date: Some(d(2025, 1, 6)), ..ProfileInput::default() },
            )
            .await
            .unwrap();
        w.app
            .record_training(
                &api(sup),
                v.user,
                TrainingInput { course: "confidentiality".into(), completed_on: d(2025, 2, 1), expires_on: None },
            )
            .await
            .unwrap();
        let a = w.app.authenticate_token(&token).await.unwrap();
        assert_eq!(a.clearance, Clearance::NotYet, "{name}");
        let p = w.app.staff_profile(&api(a), v.user).await.unwrap();
        assert_eq!(p.access.missing_courses, vec!["trauma_informed_care".to_owned()], "{name}");
        w.app
            .record_training(
                &api(sup),
                v.user,
                TrainingInput {
                    course: "trauma_informed_care".into(),
                    completed_on: d(2025, 2, 1),
                    expires_on: Some(d(2026, 12, 1)),
                },
            )
            .await
            .unwrap();
        assert_eq!(w.app.authenticate_token(&token).await.unwrap().clearance, Clearance::Cleared, "{name}");
        w.clock.advance(Duration::days(29));
        assert_eq!(w.app.authenticate_token(&token).await.unwrap().clearance, Clearance::NotYet, "{name}: expired");
    }
}

#[tokio::test]
async fn nobody_opens_their_own_gate_and_the_policy_is_the_organisations() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Refugio").await;
        let (v, token) = volunteer(&w.app, o, "vol").await;
        let a = w.app.authenticate_token(&token).await.unwrap();
        // Describing oneself: yes. Setting one's own start date or trainings: no.
        let mine = ProfileInput {
            languages: vec![LanguageSkill::parse("es", "C2").unwrap(), LanguageSkill::parse("en", "B1").unwrap()],
            backgrounds: vec![Background::Psychology],
            availability: "martes y jueves por la tarde".into(),
            ..ProfileInput::default()
        };
        let saved = w.app.save_staff_profile(&api(a), v.user, mine.clone()).await.unwrap();
        assert_eq!(saved.availability, "martes y jueves por la tarde", "{name}");
        assert_eq!(saved.languages.len(), 2, "{name}");
        let early = ProfileInput { start_date: Some(d(2020, 1, 1)), version: saved.version, ..mine.clone() };
        assert!(
            matches!(w.app.save_staff_profile(&api(a), v.user, early).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        // A coordinator sets it; the person saving their languages without it keeps it.
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let set = ProfileInput { start_date: Some(d(2026, 10, 1)), version: saved.version, ..mine.clone() };
        let saved = w.app.save_staff_profile(&api(sup), v.user, set).await.unwrap();
        let again = ProfileInput { start_date: None, version: saved.version, ..mine.clone() };
        let saved = w.app.save_staff_profile(&api(a), v.user, again).await.unwrap();
        assert_eq!(saved.start_date, Some(d(2026, 10, 1)), "{name}");
        // Availability is sealed at rest.
        if let Some(path) = w.t.sqlite_path() {
            for file in [path.clone(), path.with_extension("sqlite3-wal")] {
                let bytes = std::fs::read(&file).unwrap_or_default();
                assert!(!bytes.windows(6).any(|x| x == b"martes"), "{name}: availability in clear in {file:?}");
            }
        }
        for t in trainings_done(d(2026, 1, 1)) {
            assert!(matches!(w.app.record_training(&api(a), v.user, t).await, Err(AppError::Forbidden(_))), "{name}");
        }
        // A colleague who is not a coordinator does not see the profile.
        let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
        assert!(matches!(w.app.staff_profile(&api(cm), v.user).await, Err(AppError::Forbidden(_))), "{name}");
        // Another organisation's administrator: not found.
        let other = org(&w.app, "Otra").await;
        let outsider = staff(&w.app, other, Role::Supervisor, "sup").await;
        assert!(matches!(w.app.staff_profile(&api(outsider), v.user).await, Err(AppError::NotFound)), "{name}");
        // Stale version: conflict.
        let stale = ProfileInput { version: 0, ..mine };
        assert!(matches!(w.app.save_staff_profile(&api(a), v.user, stale).await, Err(AppError::Conflict)), "{name}");
        // Bad values come back with codes.
        let bad = w
            .app
            .record_training(
                &api(staff(&w.app, o, Role::Supervisor, "sup2").await),
                v.user,
                TrainingInput { course: "first aid!".into(), completed_on: d(2026, 1, 1), expires_on: None },
            )
            .await
            .unwrap_err();
        assert_eq!(bad.code(), "staff_invalid_course", "{name}");

        // The organisation may drop the policy for volunteers (administrators only).
        let admin = staff(&w.app, o, Role::Administrator, "adm").await;
        let policy = w.app.access_policy(&api(admin)).await.unwrap();
        assert_eq!((policy.months, policy.version), (6, 0), "{name}");
        assert!(
            matches!(
                w.app.set_access_policy(&api(cm), PolicyView { roles: vec![], ..policy.clone() }).await,
                Err(AppError::Forbidden(_))
            ),
            "{name}"
        );
        w.app.set_access_policy(&api(admin), PolicyView { roles: vec![], ..policy }).await.unwrap();
        assert_eq!(w.app.authenticate_token(&token).await.unwrap().clearance, Clearance::Cleared, "{name}");
    }
}

fn proqol(answers: Vec<i64>) -> CheckInInput {
    CheckInInput { instrument: "proqol5".into(), answers }
}

#[tokio::test]
async fn a_checkin_is_scored_kept_for_its_owner_and_audited_without_scores() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Refugio").await;
        let (v, _) = volunteer(&w.app, o, "vol").await;
        // Item n answered ((n − 1) mod 5) + 1: CS 28, burnout 28 (reverse-scored), STS 32.
        let r = w.app.wellbeing_check_in(&api(v), proqol((0..30).map(|i| i % 5 + 1).collect())).await.unwrap();
        assert_eq!(r.subscales["compassion_satisfaction"], 28, "{name}");
        assert_eq!(r.subscales["burnout"], 28, "{name}");
        assert_eq!(r.subscales["secondary_traumatic_stress"], 32, "{name}");
        assert_eq!(r.bands["burnout"], "moderate", "{name}");
        w.clock.advance(Duration::minutes(5));
        let all_ones = w.app.wellbeing_check_in(&api(v), proqol(vec![1; 30])).await.unwrap();
        assert_eq!(
            (all_ones.subscales["burnout"], all_ones.bands["compassion_satisfaction"].as_str()),
            (30, "low"),
            "{name}"
        );
        let mine = w.app.my_checkins(&api(v)).await.unwrap();
        assert_eq!(mine.len(), 2, "{name}");
        assert_eq!(mine[1].subscales, r.subscales, "{name}: the sealed result reads back");
        // Nobody else reads them: the supervisor's own history is their own (empty).
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        assert!(w.app.my_checkins(&api(sup)).await.unwrap().is_empty(), "{name}");
        assert!(matches!(w.app.my_checkin(&api(sup), r.id).await, Err(AppError::NotFound)), "{name}");
        // Bad answers: codes, nothing stored.
        assert_eq!(
            w.app.wellbeing_check_in(&api(v), proqol(vec![3; 29])).await.unwrap_err().code(),
            "screening_answer_count"
        );
        let mut six = vec![3; 30];
        six[4] = 6;
        let e = w.app.wellbeing_check_in(&api(v), proqol(six)).await.unwrap_err();
        assert_eq!(
            e.invalid_field().map(|(f, p)| (f.to_owned(), p.code())),
            Some(("answers.5".into(), "screening_answer_out_of_range"))
        );
        let e = w
            .app
            .wellbeing_check_in(&api(v), CheckInInput { instrument: "phq9".into(), answers: vec![0; 9] })
            .await
            .unwrap_err();
        assert_eq!(e.code(), "screening_unknown_instrument", "{name}: survivor screenings are not check-ins");
        assert_eq!(w.app.my_checkins(&api(v)).await.unwrap().len(), 2, "{name}");
        // The audit log says it happened, not what it scored.
        let admin = staff(&w.app, o, Role::Administrator, "adm").await;
        let entries = w.app.recent_audit(&api(admin)).await.unwrap();
        let checkins: Vec<_> = entries.iter().filter(|e| e.action == "wellbeing.checkin").collect();
        assert_eq!(checkins.len(), 2, "{name}");
        for e in checkins {
            assert_eq!(e.detail.as_deref(), Some("proqol5"), "{name}");
            assert_eq!(e.actor, Some(v.user), "{name}");
        }
        // At rest: the sealed column holds no readable result.
        if let Some(path) = w.t.sqlite_path() {
            let bytes = std::fs::read(&path).unwrap();
            let wal = std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default();
            for hay in [&bytes, &wal] {
                assert!(!hay.windows(9).any(|x| x == b"subscales"), "{name}: plaintext at rest");
            }
        }
    }
}

#[tokio::test]
async fn supervisors_see_nothing_below_five_respondents_and_means_from_five() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Refugio").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let mut people = Vec::new();
        for i in 0..5 {
            people.push(staff(&w.app, o, Role::CaseManager, &format!("cm{i}")).await);
        }
        // Four people answer (one of them twice: still four respondents).
        for (i, p) in people.iter().take(4).enumerate() {
            w.app.wellbeing_check_in(&api(*p), proqol(vec![(i % 5 + 1) as i64; 30])).await.unwrap();
        }
        w.clock.advance(Duration::minutes(5));
        w.app.wellbeing_check_in(&api(people[0]), proqol(vec![3; 30])).await.unwrap();
        let four = w.app.wellbeing_aggregate(&api(sup), "proqol5", None).await.unwrap();
        assert_eq!(four.respondents, None, "{name}");
        assert!(four.subscales.is_empty() && four.periods.is_empty(), "{name}: not even the month is shown");
        // Only coordinators ask at all.
        assert!(
            matches!(w.app.wellbeing_aggregate(&api(people[1]), "proqol5", None).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        // The fifth: means over each one's latest (3, 2, 3, 4, 5 for everyone → CS and STS 34).
        w.app.wellbeing_check_in(&api(people[4]), proqol(vec![5; 30])).await.unwrap();
        let five = w.app.wellbeing_aggregate(&api(sup), "proqol5", None).await.unwrap();
        assert_eq!(five.respondents, Some(5), "{name}");
        let cs = five.subscales.iter().find(|s| s.code == "compassion_satisfaction").unwrap();
        assert_eq!((cs.mean, cs.band.as_deref()), (34.0, Some("moderate")), "{name}");
        let bo = five.subscales.iter().find(|s| s.code == "burnout").unwrap();
        assert_eq!(bo.mean, 30.0, "{name}: all-equal answers give burnout 30 whatever the value");
        assert_eq!(five.periods, vec!["2026-11".to_owned()], "{name}");
        // Another month, nobody: nothing.
        let dec =
            w.app.wellbeing_aggregate(&api(sup), "proqol5", Some(Period::parse("2026-12").unwrap())).await.unwrap();
        assert_eq!(dec.respondents, None, "{name}");
    }
}
