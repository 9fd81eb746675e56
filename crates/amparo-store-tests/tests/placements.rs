//! The placements part of the storage conformance suite, on every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::placements::{NeedId, PlacementId, SiteId};
use amparo_domain::{OrgId, UserId};
use amparo_store::{NeedRow, PlacementQuery, PlacementRow, SiteRow, StoreError, WeeklyAvailabilityRow};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{now, org, user};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn site(org: OrgId, by: UserId, name: &str) -> SiteRow {
    SiteRow {
        id: SiteId::new(),
        org,
        kind: "transitional_home".into(),
        name: name.into(),
        programme: Some("HOME-CDMX".into()),
        region: "MX-CMX".into(),
        wrapped_key: vec![9, 0, 9],
        created_by: by,
        created_at: now(),
    }
}

fn need(site: &SiteRow, by: UserId, starts_on: NaiveDate) -> NeedRow {
    NeedRow {
        id: NeedId::new(),
        org: site.org,
        site: site.id,
        languages: r#"[{"language":"es","level":"B2"}]"#.into(),
        backgrounds: r#"["psychology"]"#.into(),
        slots: r#"["weekday_mornings"]"#.into(),
        people: 2,
        starts_on,
        ends_on: Some(day(2027, 6, 30)),
        notes: Some(vec![0xde, 0, 0xad]),
        created_by: by,
        created_at: now(),
    }
}

fn placement(site: &SiteRow, need: Option<NeedId>, person: UserId, by: UserId, starts_on: NaiveDate) -> PlacementRow {
    let at = now();
    PlacementRow {
        id: PlacementId::new(),
        org: site.org,
        site: site.id,
        need,
        user: person,
        starts_on,
        ends_on: None,
        status: "proposed".into(),
        created_by: by,
        created_at: at,
        confirmed_by: None,
        confirmed_at: None,
        ended_by: None,
        ended_at: None,
        version: 1,
        updated_at: at,
    }
}

macro_rules! write_one {
    ($s:expr, $method:ident, $row:expr) => {{
        let mut tx = $s.begin().await.expect("begin");
        match tx.$method($row).await {
            Ok(()) => {
                tx.commit().await.expect("commit");
                Ok(())
            }
            Err(e) => Err::<(), StoreError>(e),
        }
    }};
}

fn query(org: OrgId) -> PlacementQuery {
    PlacementQuery { org, site: None, user: None, include_ended: false, limit: 100 }
}

#[tokio::test]
async fn sites_needs_and_placements_round_trip_within_one_organisation() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Placements").await;
        let elsewhere = org(s, "Otra").await;
        let coordinator = user(s, o, "coord@example.org").await;
        let volunteer = user(s, o, "vol@example.org").await;
        let stranger = user(s, elsewhere, "otra@example.org").await;

        let home = site(o, coordinator, "Casa Norte");
        let team = SiteRow { kind: "prevention_team".into(), programme: None, ..site(o, coordinator, "Brigada") };
        for r in [&home, &team] {
            let r = r.clone();
            write_one!(s, insert_placement_site, &r).expect("site");
        }
        // By name; another organisation sees none.
        let names: Vec<String> = s.placement_sites(o).await.expect("sites").into_iter().map(|r| r.name).collect();
        assert_eq!(names, vec!["Brigada".to_owned(), "Casa Norte".to_owned()], "{}", t.name);
        assert!(s.placement_sites(elsewhere).await.expect("sites").is_empty(), "{}", t.name);
        assert_eq!(s.placement_site(home.id).await.expect("site"), Some(home.clone()), "{}", t.name);
        // One name per organisation.
        let twin = site(o, coordinator, "Casa Norte");
        let got = write_one!(s, insert_placement_site, &twin);
        assert!(matches!(got, Err(StoreError::Duplicate)), "{}", t.name);
        // A site recorded by someone of another organisation: refused.
        let foreign = site(o, stranger, "Ajena");
        let got = write_one!(s, insert_placement_site, &foreign);
        assert!(matches!(got, Err(StoreError::NotFound)), "{}", t.name);

        let later = need(&home, coordinator, day(2027, 2, 1));
        let sooner = NeedRow { ends_on: None, notes: None, ..need(&home, coordinator, day(2027, 1, 1)) };
        for r in [&later, &sooner] {
            let r = r.clone();
            write_one!(s, insert_placement_need, &r).expect("need");
        }
        let needs = s.placement_needs(o).await.expect("needs");
        assert_eq!(needs.iter().map(|n| n.id).collect::<Vec<_>>(), vec![sooner.id, later.id], "{}", t.name);
        assert_eq!(s.placement_need(later.id).await.expect("need"), Some(later.clone()), "{}", t.name);
        // A need for a site of another organisation: refused.
        let theirs = NeedRow { org: elsewhere, ..need(&home, stranger, day(2027, 1, 1)) };
        let got = write_one!(s, insert_placement_need, &theirs);
        assert!(matches!(got, Err(StoreError::NotFound)), "{}", t.name);

        let p = placement(&home, Some(later.id), volunteer, coordinator, day(2027, 3, 1));
        let r = p.clone();
        write_one!(s, insert_placement, &r).expect("placement");
        assert_eq!(s.placement(p.id).await.expect("read"), Some(p.clone()), "{}", t.name);
        // The same person at the same site again, while the first is not ended: refused.
        let again = placement(&home, None, volunteer, coordinator, day(2027, 9, 1));
        let r = again.clone();
        let got = write_one!(s, insert_placement, &r);
        assert!(matches!(got, Err(StoreError::Duplicate)), "{}", t.name);
        // A need of another site: refused.
        let wrong_need = placement(&team, Some(later.id), volunteer, coordinator, day(2027, 3, 1));
        let got = write_one!(s, insert_placement, &wrong_need);
        assert!(matches!(got, Err(StoreError::NotFound)), "{}", t.name);
        // A person of another organisation: refused.
        let foreign = placement(&team, None, stranger, coordinator, day(2027, 3, 1));
        let got = write_one!(s, insert_placement, &foreign);
        assert!(matches!(got, Err(StoreError::NotFound)), "{}", t.name);

        // Confirm, version-checked.
        let at = now();
        let confirmed = PlacementRow {
            status: "confirmed".into(),
            confirmed_by: Some(coordinator),
            confirmed_at: Some(at),
            updated_at: at,
            ..p.clone()
        };
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_placement(&confirmed).await.expect("confirm");
        tx.commit().await.expect("commit");
        assert_eq!(saved, PlacementRow { version: 2, ..confirmed.clone() }, "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.update_placement(&confirmed).await, Err(StoreError::Conflict)), "{}", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        let ghost = PlacementRow { id: PlacementId::new(), ..saved.clone() };
        assert!(matches!(tx.update_placement(&ghost).await, Err(StoreError::NotFound)), "{}", t.name);
        let other_org = PlacementRow { org: elsewhere, ..saved.clone() };
        assert!(matches!(tx.update_placement(&other_org).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);

        let by_site = PlacementQuery { site: Some(home.id), ..query(o) };
        assert_eq!(s.placements(&by_site).await.expect("list"), vec![saved.clone()], "{}", t.name);
        let by_user = PlacementQuery { user: Some(volunteer), ..query(o) };
        assert_eq!(s.placements(&by_user).await.expect("list").len(), 1, "{}", t.name);
        assert!(s.placements(&query(elsewhere)).await.expect("list").is_empty(), "{}", t.name);

        // Ended: out of the default list, and the person may be placed there again.
        let ended = PlacementRow {
            status: "ended".into(),
            ends_on: Some(day(2027, 4, 30)),
            ended_by: Some(coordinator),
            ended_at: Some(at),
            ..saved.clone()
        };
        let mut tx = s.begin().await.expect("begin");
        let ended = tx.update_placement(&ended).await.expect("end");
        tx.commit().await.expect("commit");
        assert!(s.placements(&by_site).await.expect("list").is_empty(), "{}", t.name);
        let all_of_site = PlacementQuery { include_ended: true, ..by_site.clone() };
        assert_eq!(s.placements(&all_of_site).await.expect("list"), vec![ended], "{}", t.name);
        let r = again.clone();
        write_one!(s, insert_placement, &r).expect("placed again");
    }
}

#[tokio::test]
async fn weekly_availability_is_version_checked() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Disponibilidad").await;
        let volunteer = user(s, o, "vol@example.org").await;
        let first = WeeklyAvailabilityRow {
            user: volunteer,
            org: o,
            slots: r#"["weekends"]"#.into(),
            version: 1,
            updated_at: now(),
        };
        let r = first.clone();
        write_one!(s, save_weekly_availability, &r).expect("save");
        assert_eq!(s.weekly_availability(volunteer).await.expect("read"), Some(first.clone()), "{}", t.name);
        // A second "first" save (someone else was first): conflict.
        let r = first.clone();
        let got = write_one!(s, save_weekly_availability, &r);
        assert!(matches!(got, Err(StoreError::Conflict)), "{}", t.name);
        let second = WeeklyAvailabilityRow { slots: r#"["weekday_evenings"]"#.into(), version: 2, ..first.clone() };
        let r = second.clone();
        write_one!(s, save_weekly_availability, &r).expect("save");
        let r = second.clone();
        let got = write_one!(s, save_weekly_availability, &r);
        assert!(matches!(got, Err(StoreError::Conflict)), "{}", t.name);
        assert_eq!(s.weekly_availabilities(o).await.expect("list"), vec![second], "{}", t.name);
    }
}
