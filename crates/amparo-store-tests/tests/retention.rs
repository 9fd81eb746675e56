//! The retention part of the storage conformance suite, on every backend from `all()`: rules
//! replaced as a whole, what is due (closed long enough, every case of the person closed, a
//! reopened case holding back), field purges that leave coded columns alone, markers that go
//! with the person, and runs newest first.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::retention::RetentionRule;
use amparo_domain::{CaseId, EntryId, OrgId, PersonId, UserId};
use amparo_store::{
    CaseEntryRow, ErasureRow, RetentionDue, RetentionPurgeRow, RetentionRuleRow, RetentionRunRow, Store,
};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};
use chrono::NaiveDate;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

async fn set_narrative(s: &dyn Store, p: PersonId) {
    let mut row = s.person(p).await.expect("read").expect("person");
    row.narrative = Some(vec![9, 9, 9]);
    let mut tx = s.begin().await.expect("begin");
    tx.update_person(&row).await.expect("update");
    tx.commit().await.expect("commit");
}

async fn close(s: &dyn Store, c: CaseId, on: NaiveDate, status: &str) {
    let mut row = s.case(c).await.expect("read").expect("case");
    row.status = status.to_owned();
    row.closure_reason = Some("goals_met".into());
    row.closed_on = Some(on);
    let mut tx = s.begin().await.expect("begin");
    tx.update_case(&row).await.expect("update");
    tx.commit().await.expect("commit");
}

async fn note(s: &dyn Store, org: OrgId, c: CaseId, p: PersonId, by: UserId) -> EntryId {
    let t = now();
    let row = CaseEntryRow {
        id: EntryId::new(),
        org,
        case: c,
        person: p,
        kind: "note".into(),
        code: Some("contact".into()),
        status: None,
        on_date: day(2026, 3, 2),
        due_on: None,
        minutes: None,
        staff: None,
        coded: "{}".into(),
        sealed: Some(vec![7, 7]),
        restricted: None,
        version: 1,
        created_by: Some(by),
        created_at: t,
        updated_at: t,
    };
    let mut tx = s.begin().await.expect("begin");
    tx.insert_case_entry(&row).await.expect("entry");
    tx.commit().await.expect("commit");
    row.id
}

fn due(org: OrgId, rule: RetentionRule, cutoff: NaiveDate) -> RetentionDue {
    RetentionDue { org, rule, closed_on_or_before: cutoff, limit: 100 }
}

#[tokio::test]
async fn rules_due_records_purges_and_runs() {
    for t in all().await {
        let s = t.store.as_ref();
        let name = t.name;
        let o = org(s, "Retención").await;
        let other = org(s, "Otra").await;
        let u = user(s, o, "gestora@example.org").await;

        // Rules: replaced as a whole, listed by code; off is no row.
        assert!(s.retention_rules(o).await.expect("rules").is_empty(), "{name}");
        let rule = |r: RetentionRule, m: i64| RetentionRuleRow {
            org: o,
            rule: r.code().into(),
            months: m,
            updated_by: Some(u),
            updated_at: now(),
        };
        let mut tx = s.begin().await.expect("begin");
        tx.replace_retention_rules(
            o,
            &[rule(RetentionRule::PersonNarrative, 24), rule(RetentionRule::ErasePerson, 84)],
        )
        .await
        .expect("replace");
        tx.commit().await.expect("commit");
        let mut tx = s.begin().await.expect("begin");
        tx.replace_retention_rules(o, &[rule(RetentionRule::PersonNarrative, 12), rule(RetentionRule::CaseNotes, 24)])
            .await
            .expect("replace");
        tx.commit().await.expect("commit");
        let got = s.retention_rules(o).await.expect("rules");
        assert_eq!(
            got.iter().map(|r| (r.rule.as_str(), r.months)).collect::<Vec<_>>(),
            vec![("case.notes", 24), ("person.narrative", 12)],
            "{name}"
        );
        assert_eq!(s.retention_orgs().await.expect("orgs"), vec![o], "{name}");
        // A nonsense period is refused by the schema too.
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.replace_retention_rules(o, &[rule(RetentionRule::CaseNotes, 0)]).await.is_err(), "{name}");
        drop(tx);

        // Closed on 2026-04-01 (one case); closed and reopened; two cases, one still open.
        let closed = person(s, o).await;
        let closed_case = case(s, o, closed, "2026-000001", u).await;
        set_narrative(s, closed).await;
        let n = note(s, o, closed_case, closed, u).await;
        close(s, closed_case, day(2026, 4, 1), "Closed").await;
        let reopened = person(s, o).await;
        let rc = case(s, o, reopened, "2026-000002", u).await;
        set_narrative(s, reopened).await;
        close(s, rc, day(2026, 4, 1), "Active").await;
        let half = person(s, o).await;
        let h1 = case(s, o, half, "2026-000003", u).await;
        case(s, o, half, "2026-000004", u).await;
        set_narrative(s, half).await;
        close(s, h1, day(2026, 4, 1), "ClosedReferred").await;
        // Elsewhere, closed long ago: never found for `o`.
        let theirs = person(s, other).await;
        let ou = user(s, other, "otra@example.org").await;
        let tc = case(s, other, theirs, "2026-000001", ou).await;
        set_narrative(s, theirs).await;
        close(s, tc, day(2020, 1, 1), "Closed").await;

        let found =
            s.retention_candidates(&due(o, RetentionRule::PersonNarrative, day(2026, 3, 31))).await.expect("due");
        assert!(found.is_empty(), "{name}: a day early");
        let found =
            s.retention_candidates(&due(o, RetentionRule::PersonNarrative, day(2026, 4, 1))).await.expect("due");
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!((found[0].person, found[0].record), (closed, *closed.as_uuid()), "{name}");
        assert_eq!(found[0].case_number, "2026-000001");
        let erase = s.retention_candidates(&due(o, RetentionRule::ErasePerson, day(2030, 1, 1))).await.expect("due");
        assert_eq!(erase.iter().map(|c| c.person).collect::<Vec<_>>(), vec![closed], "{name}");
        let notes = s.retention_candidates(&due(o, RetentionRule::CaseNotes, day(2030, 1, 1))).await.expect("due");
        assert_eq!(notes.iter().map(|c| (c.person, c.record)).collect::<Vec<_>>(), vec![(closed, *n.as_uuid())]);
        // Nothing held, nothing due: no safe-contact preferences were stored.
        let sc = s.retention_candidates(&due(o, RetentionRule::PersonSafeContact, day(2030, 1, 1))).await.expect("d");
        assert!(sc.is_empty(), "{name}");

        // Purge: the ciphertext goes, the version moves, coded columns stay; once only.
        let before = s.person(closed).await.expect("read").expect("person");
        let at = now();
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.purge_retention_field(o, RetentionRule::PersonNarrative, *closed.as_uuid(), at).await.expect("p"));
        assert!(tx.purge_retention_field(o, RetentionRule::CaseNotes, *n.as_uuid(), at).await.expect("purge"));
        // Not another organisation's, not the erasing rule.
        assert!(!tx.purge_retention_field(o, RetentionRule::PersonNarrative, *theirs.as_uuid(), at).await.expect("p"));
        assert!(!tx.purge_retention_field(o, RetentionRule::ErasePerson, *closed.as_uuid(), at).await.expect("p"));
        let marker = RetentionPurgeRow {
            org: o,
            person: closed,
            record: *closed.as_uuid(),
            rule: "person.narrative".into(),
            purged_at: at,
        };
        tx.insert_retention_purge(&marker).await.expect("marker");
        tx.commit().await.expect("commit");
        let after = s.person(closed).await.expect("read").expect("person");
        assert_eq!(after.narrative, None, "{name}");
        assert_eq!(after.version, before.version + 1);
        assert_eq!(after.identity, before.identity);
        assert!(s.person(theirs).await.expect("read").expect("p").narrative.is_some(), "{name}");
        let entry = s.case_entry(n).await.expect("read").expect("entry");
        assert_eq!((entry.sealed, entry.code.as_deref(), entry.updated_at), (None, Some("contact"), at), "{name}");
        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.purge_retention_field(o, RetentionRule::PersonNarrative, *closed.as_uuid(), at).await.expect("p"));
        drop(tx);
        assert!(
            s.retention_candidates(&due(o, RetentionRule::PersonNarrative, day(2030, 1, 1)))
                .await
                .expect("d")
                .is_empty()
        );
        assert_eq!(s.retention_purges_of_person(closed).await.expect("markers"), vec![marker], "{name}");

        // Runs, newest first.
        for (i, counts) in ["{\"person.narrative\":1}", "{}"].iter().enumerate() {
            let mut tx = s.begin().await.expect("begin");
            let run = RetentionRunRow {
                id: Uuid::new_v4(),
                org: o,
                ran_at: now() + chrono::Duration::seconds(i64::try_from(i).expect("i")),
                ran_by: (i == 0).then_some(u),
                channel: if i == 0 { "web" } else { "system" }.into(),
                counts: (*counts).into(),
            };
            tx.insert_retention_run(&run).await.expect("run");
            tx.commit().await.expect("commit");
        }
        let runs = s.retention_runs(o, 10).await.expect("runs");
        assert_eq!(runs.iter().map(|r| r.channel.as_str()).collect::<Vec<_>>(), vec!["system", "web"], "{name}");
        assert_eq!(runs[1].ran_by, Some(u));
        assert!(s.retention_runs(other, 10).await.expect("runs").is_empty());

        // The markers go with the person.
        let mut tx = s.begin().await.expect("begin");
        let erasure = ErasureRow { person: closed, org: o, erased_at: now(), erased_by: None, reason: vec![1] };
        assert!(tx.erase_person(&erasure).await.expect("erase"));
        tx.commit().await.expect("commit");
        assert!(s.retention_purges_of_person(closed).await.expect("markers").is_empty(), "{name}");
    }
}
