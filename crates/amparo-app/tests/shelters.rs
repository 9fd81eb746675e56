//! Shelter beds on every backend: houses set up by administrators and supervisors, check-in
//! by the person's case team (a taken bed is `bed_occupied`, even when many race for it),
//! check-out with a reason, the rules given in the resident's language, the waiting list and
//! the house log; shelter staff see stays and house information and never the narrative or
//! the legal file; the address is shown only to roles allowed and, with the log, never
//! reaches the disk in clear; every read and write of stays and the log is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "safety_support/mod.rs"]
mod support;

use amparo_app::casework::NoteInput;
use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::shelters::{CheckIn, CheckOut, NewBed, NewHouse, NewLogEntry, NewRules, NewWaitlistEntry};
use amparo_app::{Amparo, AppError};
use amparo_domain::records::{Answer, EntryKind};
use amparo_domain::shelters::{BedId, HouseId, ShelterProblem};
use amparo_domain::{Actor, CaseId, DomainError, PersonId, Role};

use support::{api, org, staff, worlds};

const ADDRESS: &str = "Calle Canarioxyz 123, Ciudad Juárez";

async fn person_with_case(app: &Amparo, by: Actor, team: &[Actor], language: &str) -> (PersonId, CaseId) {
    let f = PersonFields {
        alias: Some(Answer::Value("Lupita".into())),
        primary_language: Some(Answer::Value(language.into())),
        ..PersonFields::default()
    };
    let p = app.create_person(&api(by), f).await.unwrap();
    let mut members: Vec<_> = team.iter().map(|a| a.user).collect();
    members.push(by.user);
    let c = app.open_case(&api(by), p.id, CaseFields { team: Some(members), ..CaseFields::default() }).await.unwrap();
    (p.id, c.id)
}

async fn house_with_beds(app: &Amparo, by: Actor, beds: usize) -> (HouseId, Vec<BedId>) {
    let h = app
        .create_house(
            &api(by),
            NewHouse {
                name: "Casa Azul".into(),
                kind: "refuge".into(),
                eligibility: vec!["women".into(), "families".into()],
                address: Some(ADDRESS.into()),
            },
        )
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..beds {
        ids.push(app.add_bed(&api(by), h, NewBed { room: "1".into(), label: format!("{i}") }).await.unwrap());
    }
    (h, ids)
}

fn refused(r: Result<impl Sized, AppError>, code: &str) -> bool {
    matches!(r, Err(AppError::Refused(c)) if c == code)
}

#[tokio::test]
async fn only_administrators_and_supervisors_set_up_houses() {
    for w in worlds().await {
        let o = org(&w.app, "Norte").await;
        let name = w.t.name;
        for role in [Role::CaseManager, Role::ShelterStaff, Role::Hotline, Role::Clinician, Role::Volunteer] {
            let a = staff(&w.app, o, role, &format!("{role}")).await;
            let r = w
                .app
                .create_house(
                    &api(a),
                    NewHouse {
                        name: "X".into(),
                        kind: "refuge".into(),
                        eligibility: vec!["any".into()],
                        address: None,
                    },
                )
                .await;
            assert!(matches!(r, Err(AppError::Forbidden(_))), "{name} {role}");
        }
        let admin = staff(&w.app, o, Role::Administrator, "admin2").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let (h, _) = house_with_beds(&w.app, admin, 1).await;
        w.app.add_bed(&api(sup), h, NewBed { room: "2".into(), label: "A".into() }).await.unwrap();
        // The same label in the same room is refused, kindly.
        let r = w.app.add_bed(&api(sup), h, NewBed { room: "2".into(), label: "A".into() }).await;
        assert!(
            matches!(
                r,
                Err(AppError::Invalid { field: "label", problem: DomainError::Shelter(ShelterProblem::LabelTaken) })
            ),
            "{name}"
        );
        // Bad input is named by field.
        let r = w
            .app
            .create_house(
                &api(admin),
                NewHouse { name: " ".into(), kind: "refuge".into(), eligibility: vec!["any".into()], address: None },
            )
            .await;
        assert!(matches!(r, Err(AppError::Invalid { field: "name", .. })), "{name}");
        let r = w
            .app
            .create_house(
                &api(admin),
                NewHouse { name: "Y".into(), kind: "refuge".into(), eligibility: vec![], address: None },
            )
            .await;
        assert!(matches!(r, Err(AppError::Invalid { field: "eligibility", .. })), "{name}");
        // Another organisation's house is not found.
        let other = org(&w.app, "Sur").await;
        let their_admin = staff(&w.app, other, Role::Administrator, "theirs").await;
        let r = w.app.house(&api(their_admin), h).await;
        assert!(matches!(r, Err(AppError::NotFound)), "{name}");
    }
}

#[tokio::test]
async fn concurrent_check_ins_to_one_bed_give_it_to_one_person_and_the_rest_hear_bed_occupied() {
    for w in worlds().await {
        let o = org(&w.app, "Norte").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let (h, beds) = house_with_beds(&w.app, sup, 1).await;
        let mut people = Vec::new();
        for _ in 0..12 {
            people.push(person_with_case(&w.app, sup, &[], "es").await);
        }
        let mut tasks = Vec::new();
        for (p, c) in people {
            let app = w.app.clone();
            let bed = beds[0];
            tasks.push(tokio::spawn(async move {
                app.check_in(&api(sup), h, CheckIn { bed_id: bed, person_id: p, case_id: Some(c) }).await
            }));
        }
        let (mut placed, mut occupied) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => placed += 1,
                Err(AppError::Refused("bed_occupied")) => occupied += 1,
                Err(e) => panic!("{}: {e:?}", w.t.name),
            }
        }
        assert_eq!((placed, occupied), (1, 11), "{}", w.t.name);
        let list = w.app.shelters(&api(sup)).await.unwrap();
        assert_eq!((list[0].beds, list[0].occupied, list[0].free), (1, 1, 0), "{}", w.t.name);
    }
}

#[tokio::test]
async fn the_case_team_checks_people_in_with_the_rules_in_their_language_and_staff_check_them_out() {
    for w in worlds().await {
        let name = w.t.name;
        let o = org(&w.app, "Norte").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, o, Role::ShelterStaff, "casa").await;
        let outsider = staff(&w.app, o, Role::CaseManager, "otra").await;
        let (h, beds) = house_with_beds(&w.app, sup, 2).await;
        w.app
            .set_house_rules(&api(sup), h, NewRules { language: "es".into(), text: "Llegar antes de las 22:00".into() })
            .await
            .unwrap();
        w.app
            .set_house_rules(&api(sup), h, NewRules { language: "en".into(), text: "Back by 10 pm".into() })
            .await
            .unwrap();
        assert_eq!(
            w.app
                .set_house_rules(&api(sup), h, NewRules { language: "en".into(), text: "Back by 10:30 pm".into() })
                .await
                .unwrap(),
            2
        );
        let (english, english_case) = person_with_case(&w.app, cm, &[], "en").await;
        let (mixteca, _) = person_with_case(&w.app, cm, &[], "mix").await;

        // Shelter staff not on the case team cannot place the person; nor another case manager.
        let r = w.app.check_in(&api(shelter), h, CheckIn { bed_id: beds[0], person_id: english, case_id: None }).await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{name}");
        let r = w.app.check_in(&api(outsider), h, CheckIn { bed_id: beds[0], person_id: english, case_id: None }).await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{name}");

        // The waiting list: added by the case team, placed by the check-in.
        w.app
            .add_to_waitlist(
                &api(cm),
                h,
                NewWaitlistEntry {
                    person_id: english,
                    requested_on: None,
                    priority: Some("urgent".into()),
                    notes: Some("Canarioxyz needs a ground floor".into()),
                },
            )
            .await
            .unwrap();
        let withdrawn = w
            .app
            .add_to_waitlist(
                &api(cm),
                h,
                NewWaitlistEntry { person_id: mixteca, requested_on: None, priority: None, notes: None },
            )
            .await
            .unwrap();
        assert_eq!(w.app.house(&api(shelter), h).await.unwrap().waitlist.unwrap().len(), 2, "{name}");
        w.app.withdraw_from_waitlist(&api(shelter), withdrawn).await.unwrap();
        assert!(matches!(w.app.withdraw_from_waitlist(&api(shelter), withdrawn).await, Err(AppError::Conflict)));

        let stay = w
            .app
            .check_in(&api(cm), h, CheckIn { bed_id: beds[0], person_id: english, case_id: Some(english_case) })
            .await
            .unwrap();
        assert_eq!((stay.rules_language.as_deref(), stay.rules_version), (Some("en"), Some(2)), "{name}");
        // Someone whose language the house has no rules in gets the Spanish ones.
        let s2 =
            w.app.check_in(&api(cm), h, CheckIn { bed_id: beds[1], person_id: mixteca, case_id: None }).await.unwrap();
        assert_eq!(s2.rules_language.as_deref(), Some("es"), "{name}");
        // One bed per person.
        let r = w.app.check_out(&api(shelter), s2.id, CheckOut { reason: "transferred".into() }).await.unwrap();
        assert_eq!(r.checkout_reason.as_deref(), Some("transferred"));
        let r = w.app.check_in(&api(cm), h, CheckIn { bed_id: beds[1], person_id: english, case_id: None }).await;
        assert!(refused(r, "already_staying"), "{name}");

        // The house as shelter staff see it: who is where by alias and case number, the rules,
        // the address; the waiting list emptied by the check-in and the withdrawal.
        let view = w.app.house(&api(shelter), h).await.unwrap();
        assert_eq!(view.address.as_deref(), Some(ADDRESS), "{name}");
        let occupant = view.beds.iter().find_map(|b| b.occupant.clone()).unwrap();
        assert_eq!(occupant.alias.as_deref(), Some("Lupita"), "{name}");
        assert!(occupant.case_number.is_some(), "{name}");
        assert!(view.waitlist.unwrap().is_empty(), "{name}");
        assert_eq!(view.rules.len(), 2, "{name}");
        assert_eq!((view.summary.occupied, view.summary.free), (1, 1), "{name}");

        // Check-out: a reason is required and coded; twice is refused.
        let r = w.app.check_out(&api(shelter), stay.id, CheckOut { reason: "evicted".into() }).await;
        assert!(matches!(r, Err(AppError::Invalid { field: "reason", .. })), "{name}");
        w.app.check_out(&api(shelter), stay.id, CheckOut { reason: "moved_on".into() }).await.unwrap();
        let r = w.app.check_out(&api(shelter), stay.id, CheckOut { reason: "moved_on".into() }).await;
        assert!(refused(r, "stay_closed"), "{name}");
        assert_eq!(w.app.shelters(&api(cm)).await.unwrap()[0].free, 2, "{name}");

        // A case manager sees the house and its residents, but not where it is.
        let view = w.app.house(&api(cm), h).await.unwrap();
        assert_eq!(view.address, None, "{name}");
        // An administrator sees the house and its address, never who is in it.
        let admin = staff(&w.app, o, Role::Administrator, "admin2").await;
        let view = w.app.house(&api(admin), h).await.unwrap();
        assert!(view.address.is_some() && view.waitlist.is_none() && view.log.is_none(), "{name}");
        assert!(view.beds.iter().all(|b| b.occupant.is_none()), "{name}");
        // Hotline workers and clinicians do not see houses at all.
        let hotline = staff(&w.app, o, Role::Hotline, "linea").await;
        assert!(matches!(w.app.shelters(&api(hotline)).await, Err(AppError::Forbidden(_))), "{name}");
    }
}

#[tokio::test]
async fn shelter_staff_on_the_team_see_stays_but_never_the_narrative_or_the_legal_file() {
    for w in worlds().await {
        let name = w.t.name;
        let o = org(&w.app, "Norte").await;
        let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
        let shelter = staff(&w.app, o, Role::ShelterStaff, "casa").await;
        let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
        let (p, c) = person_with_case(&w.app, cm, &[shelter], "es").await;
        w.app
            .add_note(
                &api(cm),
                c,
                NoteInput { kind: "general".into(), text: "Canarioxyz story".into(), ..NoteInput::default() },
            )
            .await
            .unwrap();
        let (h, beds) = house_with_beds(&w.app, sup, 1).await;
        // On the team, shelter staff may check the person in themselves.
        w.app.check_in(&api(shelter), h, CheckIn { bed_id: beds[0], person_id: p, case_id: Some(c) }).await.unwrap();
        let stays = w.app.stays_of_person(&api(shelter), p).await.unwrap();
        assert_eq!((stays.len(), stays[0].case_id), (1, Some(c)), "{name}");
        // A clinician on no team sees no stays.
        let clinician = staff(&w.app, o, Role::Clinician, "clin").await;
        assert!(matches!(w.app.stays_of_person(&api(clinician), p).await, Err(AppError::Forbidden(_))), "{name}");
        let person = w.app.read_person(&api(shelter), p).await.unwrap();
        assert!(person.fields.narrative.is_none() && !person.can.narrative, "{name}");
        assert!(
            matches!(w.app.case_entries(&api(shelter), c, EntryKind::Note).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        assert!(
            matches!(w.app.case_entries(&api(shelter), c, EntryKind::LegalRelief).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
        assert!(
            matches!(w.app.case_entries(&api(shelter), c, EntryKind::Service).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_log_and_address_never_reach_the_disk_and_stays_and_the_log_are_audited() {
    let w = worlds().await.into_iter().next().unwrap();
    assert_eq!(w.t.name, "sqlite");
    let o = org(&w.app, "Norte").await;
    let sup = staff(&w.app, o, Role::Supervisor, "sup").await;
    let shelter = staff(&w.app, o, Role::ShelterStaff, "casa").await;
    let cm = staff(&w.app, o, Role::CaseManager, "cm").await;
    let (h, beds) = house_with_beds(&w.app, sup, 1).await;
    let canaries = ["Canarioxyz 123", "Canarioxyz slept well", "Canarioxyz rules text", "Canarioxyz ground floor"];
    w.app.set_house_rules(&api(sup), h, NewRules { language: "es".into(), text: canaries[2].into() }).await.unwrap();
    let (p, c) = person_with_case(&w.app, cm, &[], "es").await;
    w.app
        .add_to_waitlist(
            &api(cm),
            h,
            NewWaitlistEntry { person_id: p, requested_on: None, priority: None, notes: Some(canaries[3].into()) },
        )
        .await
        .unwrap();
    let stay = w.app.check_in(&api(cm), h, CheckIn { bed_id: beds[0], person_id: p, case_id: Some(c) }).await.unwrap();
    w.app.write_house_log(&api(shelter), h, NewLogEntry { on_date: None, text: canaries[1].into() }).await.unwrap();
    // Case managers read the log but do not write it.
    let r = w.app.write_house_log(&api(cm), h, NewLogEntry { on_date: None, text: "x".into() }).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))));
    let view = w.app.house(&api(shelter), h).await.unwrap();
    assert_eq!(view.log.unwrap()[0].text, canaries[1]);
    w.app.check_out(&api(shelter), stay.id, CheckOut { reason: "moved_on".into() }).await.unwrap();

    let found = support::plaintext_on_disk(w.t.sqlite_data_dir().unwrap(), &canaries);
    assert!(found.is_empty(), "plaintext on disk: {found:?}");

    let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
    let about_person: Vec<&str> =
        log.iter().filter(|e| e.draft.target_id == Some(*p.as_uuid())).map(|e| e.draft.action.as_str()).collect();
    for wanted in ["waitlist.add", "stay.check_in", "stay.read", "stay.check_out"] {
        assert!(about_person.contains(&wanted), "{wanted} not audited: {about_person:?}");
    }
    let about_house: Vec<&str> =
        log.iter().filter(|e| e.draft.target_id == Some(*h.as_uuid())).map(|e| e.draft.action.as_str()).collect();
    for wanted in ["shelter.create", "shelter.rules.write", "shelter.log.write", "shelter.log.read", "shelter.read"] {
        assert!(about_house.contains(&wanted), "{wanted} not audited: {about_house:?}");
    }
    let leaked = support::canaries_in_audit(&log, &canaries);
    assert!(leaked.is_empty(), "text in the audit log: {leaked:?}");
}
