//! The shelter-beds part of the storage conformance suite, on every backend from `all()`.
//! Above all: no bed is ever booked twice, however many check-ins race for it.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use amparo_domain::shelters::{BedId, HouseId, HouseLogId, StayId, WaitlistId};
use amparo_domain::{CaseId, OrgId, PersonId, UserId};
use amparo_store::{
    BedRow, ErasureRow, HouseLogRow, HouseRow, HouseRuleRow, StayPlaced, StayRow, Store, StoreError, WaitlistRow,
};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};
use chrono::{Duration, NaiveDate};

fn house(org: OrgId, name: &str) -> HouseRow {
    HouseRow {
        id: HouseId::new(),
        org,
        name: name.to_owned(),
        kind: "refuge".to_owned(),
        eligibility: vec!["women".to_owned(), "families".to_owned()],
        wrapped_key: vec![1, 0, 2],
        address: Some(vec![0xde, 0xad, 0, 0xbe]),
        created_by: None,
        created_at: now(),
        version: 1,
    }
}

fn bed(h: &HouseRow, room: &str, label: &str) -> BedRow {
    BedRow {
        id: BedId::new(),
        house: h.id,
        org: h.org,
        room: room.to_owned(),
        label: label.to_owned(),
        created_at: now(),
    }
}

fn stay(b: &BedRow, person: PersonId, case: Option<CaseId>, by: Option<UserId>) -> StayRow {
    StayRow {
        id: StayId::new(),
        org: b.org,
        house: b.house,
        bed: b.id,
        person,
        case,
        checked_in_at: now(),
        checked_in_by: by,
        rules_language: Some("es".to_owned()),
        rules_version: Some(1),
        checked_out_at: None,
        checked_out_by: None,
        checkout_reason: None,
    }
}

async fn setup(s: &dyn Store, h: &HouseRow, beds: &[&BedRow]) {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_house(h).await.expect("house");
    for b in beds {
        tx.insert_bed(b).await.expect("bed");
    }
    tx.commit().await.expect("commit");
}

async fn check_in(s: &dyn Store, row: &StayRow) -> Result<StayPlaced, StoreError> {
    let mut tx = s.begin().await.expect("begin");
    let placed = tx.insert_stay(row).await?;
    tx.commit().await.expect("commit");
    Ok(placed)
}

#[tokio::test]
async fn concurrent_check_ins_to_one_bed_place_exactly_one_person() {
    const RACERS: usize = 24;
    for t in all().await {
        let s = &t.store;
        let o = org(&**s, "Refugio").await;
        let h = house(o, "Casa Azul");
        let b = bed(&h, "1", "A");
        setup(&**s, &h, &[&b]).await;
        let mut people = Vec::new();
        for _ in 0..RACERS {
            people.push(person(&**s, o).await);
        }
        let barrier = Arc::new(tokio::sync::Barrier::new(RACERS));
        let mut tasks = Vec::new();
        for p in people {
            let (s, barrier, row) = (Arc::clone(s), Arc::clone(&barrier), stay(&b, p, None, None));
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let mut tx = s.begin().await.expect("begin");
                let placed = tx.insert_stay(&row).await.expect("insert");
                // Hold the transaction open a moment, so the others really overlap it.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                tx.commit().await.expect("commit");
                placed
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("task"));
        }
        let placed = outcomes.iter().filter(|o| **o == StayPlaced::Placed).count();
        let occupied = outcomes.iter().filter(|o| **o == StayPlaced::BedOccupied).count();
        assert_eq!((placed, occupied), (1, RACERS - 1), "{}", t.name);
        let open = s.open_stays(o).await.expect("open");
        assert_eq!(open.len(), 1, "{}", t.name);
        assert_eq!(open[0].bed, b.id, "{}", t.name);
    }
}

#[tokio::test]
async fn concurrent_check_ins_of_one_person_to_many_beds_give_them_one_bed() {
    const BEDS: usize = 8;
    for t in all().await {
        let s = &t.store;
        let o = org(&**s, "Refugio").await;
        let h = house(o, "Casa Verde");
        let beds: Vec<BedRow> = (0..BEDS).map(|i| bed(&h, "2", &format!("B{i}"))).collect();
        setup(&**s, &h, &beds.iter().collect::<Vec<_>>()).await;
        let p = person(&**s, o).await;
        let mut tasks = Vec::new();
        for b in &beds {
            let (s, row) = (Arc::clone(s), stay(b, p, None, None));
            tasks.push(tokio::spawn(async move {
                let mut tx = s.begin().await.expect("begin");
                let placed = tx.insert_stay(&row).await.expect("insert");
                tx.commit().await.expect("commit");
                placed
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("task"));
        }
        assert_eq!(outcomes.iter().filter(|o| **o == StayPlaced::Placed).count(), 1, "{}", t.name);
        assert_eq!(outcomes.iter().filter(|o| **o == StayPlaced::PersonAlreadyStaying).count(), BEDS - 1, "{}", t.name);
    }
}

#[tokio::test]
async fn check_out_frees_the_bed_and_history_is_kept() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Refugio").await;
        let staff = user(s, o, "casa@example.org").await;
        let h = house(o, "Casa Roja");
        let b = bed(&h, "1", "A");
        setup(s, &h, &[&b]).await;
        let (ana, luz) = (person(s, o).await, person(s, o).await);
        let c = case(s, o, ana, "2026-0001", staff).await;
        let first = stay(&b, ana, Some(c), Some(staff));
        assert_eq!(check_in(s, &first).await.expect("in"), StayPlaced::Placed, "{}", t.name);
        assert_eq!(check_in(s, &stay(&b, luz, None, None)).await.expect("in"), StayPlaced::BedOccupied, "{}", t.name);
        assert_eq!(s.stay(first.id).await.expect("read"), Some(first.clone()), "{}", t.name);

        let at = now() + Duration::hours(30);
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.check_out(o, first.id, Some(staff), at, "moved_on").await.expect("out"), "{}", t.name);
        // Twice is refused: the stay is closed.
        assert!(!tx.check_out(o, first.id, Some(staff), at, "moved_on").await.expect("out"), "{}", t.name);
        tx.commit().await.expect("commit");
        // Another organisation cannot close it (it is not theirs).
        let other = org(s, "Otra").await;
        let second = stay(&b, luz, None, None);
        assert_eq!(check_in(s, &second).await.expect("in"), StayPlaced::Placed, "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.check_out(other, second.id, None, at, "other").await.expect("out"), "{}", t.name);
        tx.commit().await.expect("commit");

        let ended = s.stay(first.id).await.expect("read").expect("there");
        assert_eq!(ended.checked_out_at, Some(at), "{}", t.name);
        assert_eq!(ended.checkout_reason.as_deref(), Some("moved_on"), "{}", t.name);
        assert_eq!(s.stays_of_person(ana).await.expect("stays").len(), 1, "{}", t.name);
        assert_eq!(s.open_stays(o).await.expect("open").iter().map(|r| r.id).collect::<Vec<_>>(), vec![second.id]);

        // A case of someone else is refused; a bed of another house is refused.
        let mut wrong = stay(&b, ana, Some(c), None);
        wrong.bed = b.id;
        wrong.person = luz;
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.insert_stay(&wrong).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);
        let h2 = house(o, "Casa Blanca");
        let free = bed(&h, "1", "B");
        setup(s, &h2, &[&free]).await;
        let mut misplaced = stay(&free, ana, None, None);
        misplaced.house = h2.id;
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.insert_stay(&misplaced).await, Err(StoreError::NotFound)), "{}", t.name);
    }
}

#[tokio::test]
async fn waiting_list_rules_and_log_are_kept_per_house() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Refugio").await;
        let staff = user(s, o, "casa@example.org").await;
        let h = house(o, "Casa Sol");
        setup(s, &h, &[]).await;
        let (ana, luz) = (person(s, o).await, person(s, o).await);
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
        let wait = |p, priority: &str, on| WaitlistRow {
            id: WaitlistId::new(),
            org: o,
            house: h.id,
            person: p,
            requested_on: on,
            priority: priority.to_owned(),
            notes: Some(vec![7, 0, 7]),
            status: "waiting".to_owned(),
            added_by: Some(staff),
            added_at: now(),
            closed_at: None,
        };
        let (a, l) = (wait(ana, "normal", day(1)), wait(luz, "urgent", day(3)));
        let mut tx = s.begin().await.expect("begin");
        tx.insert_waitlist(&a).await.expect("wait");
        tx.insert_waitlist(&l).await.expect("wait");
        tx.commit().await.expect("commit");
        // Urgent first, then the oldest request.
        assert_eq!(s.waitlist(h.id).await.expect("list").iter().map(|w| w.id).collect::<Vec<_>>(), vec![l.id, a.id]);
        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.place_waiting(h.id, ana, now()).await.expect("place"), 1, "{}", t.name);
        assert!(tx.close_waitlist(o, l.id, "withdrawn", now()).await.expect("close"), "{}", t.name);
        assert!(!tx.close_waitlist(o, l.id, "withdrawn", now()).await.expect("close"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert!(s.waitlist(h.id).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.waitlist_entry(a.id).await.expect("one").map(|w| w.status), Some("placed".into()));

        let rule = |language: &str, version| HouseRuleRow {
            house: h.id,
            org: o,
            language: language.to_owned(),
            version,
            text: vec![version as u8, 0],
            written_by: Some(staff),
            written_at: now(),
        };
        let mut tx = s.begin().await.expect("begin");
        tx.insert_house_rule(&rule("es", 1)).await.expect("rule");
        tx.insert_house_rule(&rule("en", 1)).await.expect("rule");
        tx.insert_house_rule(&rule("es", 2)).await.expect("rule");
        assert!(matches!(tx.insert_house_rule(&rule("es", 2)).await, Err(StoreError::Conflict)), "{}", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        tx.insert_house_rule(&rule("es", 1)).await.expect("rule");
        tx.insert_house_rule(&rule("en", 1)).await.expect("rule");
        tx.insert_house_rule(&rule("es", 2)).await.expect("rule");
        tx.commit().await.expect("commit");
        let rules = s.house_rules(h.id).await.expect("rules");
        assert_eq!(
            rules.iter().map(|r| (r.language.as_str(), r.version)).collect::<Vec<_>>(),
            vec![("en", 1), ("es", 1), ("es", 2)],
            "{}",
            t.name
        );

        let entry = |d| HouseLogRow {
            id: HouseLogId::new(),
            house: h.id,
            org: o,
            on_date: day(d),
            text: vec![d as u8],
            written_by: Some(staff),
            written_at: now(),
        };
        let (e1, e2) = (entry(2), entry(5));
        let mut tx = s.begin().await.expect("begin");
        tx.insert_house_log(&e1).await.expect("log");
        tx.insert_house_log(&e2).await.expect("log");
        tx.commit().await.expect("commit");
        assert_eq!(s.house_log(h.id, 10).await.expect("log"), vec![e2.clone(), e1.clone()], "{}", t.name);
        assert_eq!(s.house_log(h.id, 1).await.expect("log"), vec![e2], "{}", t.name);
        assert_eq!(s.houses(o).await.expect("houses"), vec![h.clone()], "{}", t.name);
        assert_eq!(s.house(h.id).await.expect("house"), Some(h.clone()), "{}", t.name);
    }
}

#[tokio::test]
async fn erasing_a_person_takes_their_stays_and_waiting_list_places() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Refugio").await;
        let h = house(o, "Casa Luna");
        let b = bed(&h, "1", "A");
        setup(s, &h, &[&b]).await;
        let p = person(s, o).await;
        let st = stay(&b, p, None, None);
        check_in(s, &st).await.expect("in");
        let mut tx = s.begin().await.expect("begin");
        let w = WaitlistRow {
            id: WaitlistId::new(),
            org: o,
            house: h.id,
            person: p,
            requested_on: now().date_naive(),
            priority: "normal".into(),
            notes: None,
            status: "waiting".into(),
            added_by: None,
            added_at: now(),
            closed_at: None,
        };
        tx.insert_waitlist(&w).await.expect("wait");
        let erased = ErasureRow { person: p, org: o, erased_at: now(), erased_by: None, reason: vec![1] };
        assert!(tx.erase_person(&erased).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.stay(st.id).await.expect("stay"), None, "{}", t.name);
        assert_eq!(s.waitlist_entry(w.id).await.expect("wait"), None, "{}", t.name);
        assert!(s.open_stays(o).await.expect("open").is_empty(), "{}", t.name);
    }
}

/// Backups and `migrate-store` carry every shelter table, byte for byte, between backends,
/// and the loaded database still refuses a second check-in to an occupied bed.
#[tokio::test]
async fn shelter_tables_travel_in_a_dump_to_every_backend() {
    use amparo_store::{ChecksumSink, LoadSink};
    for source in all().await {
        let s = &*source.store;
        let o = org(s, "Refugio").await;
        let staff = user(s, o, "casa@example.org").await;
        let h = house(o, "Casa Ñandú");
        let (b1, b2) = (bed(&h, "1", "A"), bed(&h, "1", "B"));
        setup(s, &h, &[&b1, &b2]).await;
        let (ana, luz) = (person(s, o).await, person(s, o).await);
        let open = stay(&b1, ana, None, Some(staff));
        check_in(s, &open).await.expect("in");
        let closed = stay(&b2, luz, None, Some(staff));
        check_in(s, &closed).await.expect("in");
        let mut tx = s.begin().await.expect("begin");
        tx.check_out(o, closed.id, Some(staff), now(), "rule_breach").await.expect("out");
        tx.insert_waitlist(&WaitlistRow {
            id: WaitlistId::new(),
            org: o,
            house: h.id,
            person: luz,
            requested_on: now().date_naive(),
            priority: "urgent".into(),
            notes: Some(vec![0, 1]),
            status: "waiting".into(),
            added_by: Some(staff),
            added_at: now(),
            closed_at: None,
        })
        .await
        .expect("wait");
        tx.insert_house_rule(&HouseRuleRow {
            house: h.id,
            org: o,
            language: "es".into(),
            version: 1,
            text: vec![9, 0],
            written_by: Some(staff),
            written_at: now(),
        })
        .await
        .expect("rule");
        tx.insert_house_log(&HouseLogRow {
            id: HouseLogId::new(),
            house: h.id,
            org: o,
            on_date: now().date_naive(),
            text: vec![3, 0],
            written_by: None,
            written_at: now(),
        })
        .await
        .expect("log");
        tx.commit().await.expect("commit");
        let mut sums = ChecksumSink::default();
        s.dump(&mut sums).await.expect("dump");
        for table in
            ["shelter_houses", "shelter_beds", "shelter_stays", "shelter_waitlist", "shelter_rules", "shelter_log"]
        {
            let rows = sums.tables.iter().find(|t| t.table.name == table).map(|t| t.rows);
            assert!(rows.is_some_and(|r| r > 0), "{table} not dumped from {}", source.name);
        }
        for target in all().await {
            let mut sink = LoadSink::new(target.store.begin_load().await.expect("load"));
            s.dump(&mut sink).await.expect("dump into load");
            sink.load.commit().await.expect("commit load");
            let mut loaded = ChecksumSink::default();
            target.store.dump(&mut loaded).await.expect("dump");
            assert_eq!(loaded.tables, sums.tables, "{} -> {}", source.name, target.name);
            let again = stay(&b1, luz, None, None);
            assert_eq!(
                check_in(&*target.store, &again).await.expect("in"),
                StayPlaced::BedOccupied,
                "{} -> {}",
                source.name,
                target.name
            );
        }
    }
}
