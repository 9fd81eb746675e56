//! Case work on every backend: entries (timeline order, version checks), derived tasks
//! (upsert keeping done ones done), task lists by organisation or team member with restricted
//! cases hidden, completing tasks, last contact, and the dashboard's counts.

use super::*;

use amparo_domain::{EntryId, TaskId};
use amparo_store::{CaseEntryRow, DashboardQuery, EntryQuery, TaskQuery, TaskRow};

fn entry(case: &CaseRow, kind: &str, code: &str, on: NaiveDate) -> CaseEntryRow {
    let t = now();
    CaseEntryRow {
        id: EntryId::new(),
        org: case.org,
        case: case.id,
        person: case.person,
        kind: kind.to_owned(),
        code: Some(code.to_owned()),
        status: None,
        on_date: on,
        due_on: None,
        minutes: None,
        staff: None,
        coded: "{}".to_owned(),
        sealed: Some(vec![1, 2, 3]),
        restricted: None,
        version: 1,
        created_by: None,
        created_at: t,
        updated_at: t,
    }
}

fn derived(case: &CaseRow, source: Uuid, kind: &str, due_on: NaiveDate) -> TaskRow {
    TaskRow {
        id: TaskId::new(),
        org: case.org,
        person: case.person,
        case: Some(case.id),
        kind: kind.to_owned(),
        source: Some(source),
        due_on,
        assigned_to: None,
        title: None,
        done_at: None,
        done_by: None,
        version: 1,
        created_at: now(),
    }
}

async fn add_entry(s: &dyn Store, e: &CaseEntryRow) {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_case_entry(e).await.expect("insert entry");
    tx.commit().await.expect("commit");
}

async fn replace(s: &dyn Store, source: Uuid, tasks: &[TaskRow]) {
    let mut tx = s.begin().await.expect("begin");
    tx.replace_derived_tasks(source, tasks).await.expect("replace tasks");
    tx.commit().await.expect("commit");
}

async fn a_case(s: &dyn Store, org: OrgId, number: &str, team: Vec<UserId>) -> CaseRow {
    let p = bare_person(org);
    add_person(s, &p).await;
    let c = case_row(org, p.id, number, day(2026, 1, 5), team);
    add_case(s, &c).await;
    c
}

fn kinds_of(rows: &[amparo_store::TaskListRow]) -> Vec<(String, NaiveDate)> {
    rows.iter().map(|r| (r.task.kind.clone(), r.task.due_on)).collect()
}

#[tokio::test]
async fn entries_keep_timeline_order_filter_by_kind_and_update_optimistically() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let (_, outsiders) = org_with_users(s, "other", 1).await;
        let case = a_case(s, org.id, "2026-000001", vec![staff[0]]).await;
        let mut goal = entry(&case, "goal", "housing", day(2026, 3, 1));
        goal.status = Some("open".into());
        goal.due_on = Some(day(2026, 9, 1));
        goal.staff = Some(staff[0]);
        goal.coded = r#"{"chosen_by_survivor":true}"#.into();
        goal.created_by = Some(staff[0]);
        let mut service = entry(&case, "service", "legal_aid", day(2026, 2, 1));
        service.minutes = Some(90);
        let mut relief = entry(&case, "legal_relief", "t_visa", day(2026, 4, 1));
        relief.restricted = Some(vec![9; 40]);
        relief.sealed = None;
        for e in [&goal, &service, &relief] {
            add_entry(s, e).await;
        }
        assert_eq!(s.case_entry(goal.id).await.expect("read"), Some(goal.clone()), "{}: round trip", t.name);
        let all: Vec<EntryId> = s.case_entries(case.id, &[]).await.expect("list").iter().map(|e| e.id).collect();
        assert_eq!(all, vec![service.id, goal.id, relief.id], "{}: date order", t.name);
        let only = s.case_entries(case.id, &["goal".into(), "legal_relief".into()]).await.expect("list");
        assert_eq!(only.iter().map(|e| e.id).collect::<Vec<_>>(), vec![goal.id, relief.id], "{}", t.name);
        assert!(s.case_entries(CaseId::new(), &[]).await.expect("list").is_empty(), "{}", t.name);

        // An entry must name its case's person and organisation; staff of the organisation.
        let mut stray = entry(&case, "note", "general", day(2026, 1, 1));
        stray.person = PersonId::new();
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.insert_case_entry(&stray).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);
        let mut foreign_staff = entry(&case, "service", "housing", day(2026, 1, 1));
        foreign_staff.staff = Some(outsiders[0]);
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.insert_case_entry(&foreign_staff).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);

        // Update: the version must still be the stored one.
        let mut changed = goal.clone();
        changed.status = Some("achieved".into());
        changed.on_date = day(2026, 5, 1);
        changed.sealed = Some(vec![7; 10]);
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_case_entry(&changed).await.expect("update");
        tx.commit().await.expect("commit");
        assert_eq!(saved.version, 2, "{}", t.name);
        assert_eq!(saved.status.as_deref(), Some("achieved"), "{}", t.name);
        assert_eq!(saved.created_at, goal.created_at, "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.update_case_entry(&changed).await, Err(StoreError::Conflict)), "{}: stale", t.name);
        let missing = CaseEntryRow { id: EntryId::new(), ..changed.clone() };
        assert!(matches!(tx.update_case_entry(&missing).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);
        let order: Vec<EntryId> = s.case_entries(case.id, &[]).await.expect("list").iter().map(|e| e.id).collect();
        assert_eq!(order, vec![service.id, relief.id, goal.id], "{}: moved to its new day", t.name);
    }
}

#[tokio::test]
async fn derived_tasks_are_replaced_keeping_done_ones_done_until_their_day_moves() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let case = a_case(s, org.id, "2026-000001", vec![staff[0]]).await;
        let source = Uuid::new_v4();
        let (d1, d2, d3, d4) = (day(2026, 6, 1), day(2026, 7, 1), day(2026, 8, 1), day(2026, 9, 1));
        replace(s, source, &[derived(&case, source, "rfe_response", d1), derived(&case, source, "follow_up", d2)])
            .await;
        let open = s.tasks_of_source(source).await.expect("tasks");
        assert_eq!(open.len(), 2, "{}", t.name);
        let rfe = open.iter().find(|x| x.kind == "rfe_response").expect("rfe").clone();
        let mut tx = s.begin().await.expect("begin");
        let done = tx.complete_task(rfe.id, rfe.version, Some(staff[0]), now()).await.expect("complete");
        tx.commit().await.expect("commit");
        assert!(done.done_at.is_some() && done.done_by == Some(staff[0]), "{}", t.name);
        assert_eq!(done.version, rfe.version + 1, "{}", t.name);

        // Recomputed with the same day for the done one: it stays done; follow-up dropped.
        replace(
            s,
            source,
            &[derived(&case, source, "rfe_response", d1), derived(&case, source, "appeal_deadline", d3)],
        )
        .await;
        let kept = s.task(rfe.id).await.expect("read").expect("still there");
        assert!(kept.done_at.is_some(), "{}: done stays done", t.name);
        assert_eq!(kept.id, rfe.id, "{}: upserted, not replaced", t.name);
        let open: Vec<String> = s.tasks_of_source(source).await.expect("tasks").into_iter().map(|x| x.kind).collect();
        assert_eq!(open, vec!["appeal_deadline".to_owned()], "{}", t.name);

        // A new due day opens it again.
        replace(s, source, &[derived(&case, source, "rfe_response", d4)]).await;
        let reopened = s.task(rfe.id).await.expect("read").expect("there");
        assert_eq!((reopened.done_at, reopened.due_on), (None, d4), "{}", t.name);
        assert!(reopened.version > kept.version, "{}", t.name);
        assert_eq!(s.tasks_of_source(source).await.expect("tasks").len(), 1, "{}", t.name);

        // Nothing asked for: the open ones go.
        replace(s, source, &[]).await;
        assert!(s.tasks_of_source(source).await.expect("tasks").is_empty(), "{}", t.name);

        // Completing: stale version or no such task.
        let manual = TaskRow {
            source: None,
            kind: "manual".into(),
            title: Some(vec![5; 30]),
            ..derived(&case, source, "x", d1)
        };
        let mut tx = s.begin().await.expect("begin");
        tx.insert_task(&manual).await.expect("insert");
        tx.commit().await.expect("commit");
        assert_eq!(s.task(manual.id).await.expect("read"), Some(manual.clone()), "{}: round trip", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.complete_task(manual.id, 7, None, now()).await, Err(StoreError::Conflict)), "{}", t.name);
        assert!(
            matches!(tx.complete_task(TaskId::new(), 1, None, now()).await, Err(StoreError::NotFound)),
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn due_tasks_for_the_organisation_or_a_member_hide_restricted_cases_from_others() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 3).await;
        let (other, _) = org_with_users(s, "other", 0).await;
        let (cm, named, supervisor) = (staff[0], staff[1], staff[2]);
        let mine = a_case(s, org.id, "2026-000001", vec![cm]).await;
        let theirs = a_case(s, org.id, "2026-000002", vec![named]).await;
        let mut hidden = case_row(org.id, theirs.person, "2026-000003", day(2026, 1, 1), vec![named]);
        hidden.restricted = true;
        add_case(s, &hidden).await;
        let elsewhere = a_case(s, other.id, "2026-000001", vec![]).await;
        let src = |_: u8| Uuid::new_v4();
        replace(s, Uuid::nil(), &[]).await;
        let (a, b, c, d, e) = (src(1), src(2), src(3), src(4), src(5));
        replace(s, a, &[derived(&mine, a, "follow_up", day(2026, 3, 10))]).await;
        replace(s, b, &[derived(&theirs, b, "goal_target", day(2026, 3, 1))]).await;
        replace(s, c, &[derived(&hidden, c, "rfe_response", day(2026, 3, 5))]).await;
        replace(s, e, &[derived(&elsewhere, e, "follow_up", day(2026, 3, 2))]).await;
        // A task of someone else's case assigned to the case manager.
        let mut assigned = derived(&theirs, d, "appointment", day(2026, 3, 20));
        assigned.assigned_to = Some(cm);
        replace(s, d, &[assigned]).await;
        // Later than the window, and done ones, are never listed.
        let late = Uuid::new_v4();
        replace(s, late, &[derived(&mine, late, "follow_up", day(2026, 12, 1))]).await;

        let q = |member: Option<UserId>, viewer: UserId| TaskQuery {
            org: org.id,
            due_before: day(2026, 4, 1),
            due_from: None,
            kinds: Vec::new(),
            member,
            viewer,
            limit: 100,
        };
        let org_wide = s.tasks_due(&q(None, supervisor)).await.expect("org");
        assert_eq!(
            kinds_of(&org_wide),
            vec![
                ("goal_target".into(), day(2026, 3, 1)),
                ("follow_up".into(), day(2026, 3, 10)),
                ("appointment".into(), day(2026, 3, 20)),
            ],
            "{}: soonest first, restricted and other organisations left out",
            t.name
        );
        assert_eq!(org_wide[0].case_number.as_deref(), Some("2026-000002"), "{}", t.name);
        assert_eq!(org_wide[0].case_team, vec![named], "{}", t.name);
        let named_sees = s.tasks_due(&q(None, named)).await.expect("org");
        assert_eq!(named_sees.len(), 4, "{}: a named member sees the restricted case's task", t.name);
        assert!(named_sees.iter().any(|r| r.case_restricted), "{}", t.name);

        let cm_sees = s.tasks_due(&q(Some(cm), cm)).await.expect("member");
        assert_eq!(
            kinds_of(&cm_sees),
            vec![("follow_up".into(), day(2026, 3, 10)), ("appointment".into(), day(2026, 3, 20))],
            "{}: own cases and tasks assigned to them",
            t.name
        );
        let named_team = s.tasks_due(&q(Some(named), named)).await.expect("member");
        assert_eq!(named_team.len(), 3, "{}", t.name);

        let narrow = TaskQuery {
            due_from: Some(day(2026, 3, 2)),
            kinds: vec!["follow_up".into(), "rfe_response".into()],
            ..q(None, named)
        };
        assert_eq!(
            kinds_of(&s.tasks_due(&narrow).await.expect("narrow")),
            vec![("rfe_response".into(), day(2026, 3, 5)), ("follow_up".into(), day(2026, 3, 10))],
            "{}",
            t.name
        );
        let member_narrow = TaskQuery { member: Some(named), ..narrow };
        assert_eq!(s.tasks_due(&member_narrow).await.expect("narrow").len(), 1, "{}", t.name);

        // Done tasks leave the list.
        let first = org_wide[0].task.clone();
        let mut tx = s.begin().await.expect("begin");
        tx.complete_task(first.id, first.version, None, now()).await.expect("complete");
        tx.commit().await.expect("commit");
        assert_eq!(s.tasks_due(&q(None, supervisor)).await.expect("org").len(), 2, "{}", t.name);
    }
}

#[tokio::test]
async fn last_contact_only_moves_forward_and_person_tasks_join_a_new_case() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let case = a_case(s, org.id, "2026-000001", vec![staff[0]]).await;
        assert_eq!(s.last_contact(case.id).await.expect("read"), None, "{}", t.name);
        for (on, expected) in
            [(day(2026, 3, 1), day(2026, 3, 1)), (day(2026, 2, 1), day(2026, 3, 1)), (day(2026, 4, 2), day(2026, 4, 2))]
        {
            let mut tx = s.begin().await.expect("begin");
            tx.record_contact(case.person, Some(case.id), on).await.expect("contact");
            tx.commit().await.expect("commit");
            assert_eq!(s.last_contact(case.id).await.expect("read"), Some(expected), "{}", t.name);
        }
        // On every case of the person.
        let second = case_row(org.id, case.person, "2026-000002", day(2026, 1, 1), vec![staff[0]]);
        add_case(s, &second).await;
        let mut tx = s.begin().await.expect("begin");
        tx.record_contact(case.person, None, day(2026, 5, 1)).await.expect("contact");
        tx.commit().await.expect("commit");
        assert_eq!(s.last_contact(second.id).await.expect("read"), Some(day(2026, 5, 1)), "{}", t.name);
        assert_eq!(s.last_contact(case.id).await.expect("read"), Some(day(2026, 5, 1)), "{}", t.name);

        // A person's own task (no case) joins the case opened for them.
        let source = Uuid::new_v4();
        let loose = TaskRow { case: None, ..derived(&case, source, "consent_expiry", day(2026, 6, 1)) };
        replace(s, source, std::slice::from_ref(&loose)).await;
        let mut tx = s.begin().await.expect("begin");
        tx.attach_person_tasks(case.person, second.id).await.expect("attach");
        tx.commit().await.expect("commit");
        assert_eq!(s.task(loose.id).await.expect("read").expect("task").case, Some(second.id), "{}", t.name);
    }
}

#[tokio::test]
async fn the_dashboard_counts_cases_tasks_appointments_and_silence() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 3).await;
        let (cm, other_cm, supervisor) = (staff[0], staff[1], staff[2]);
        let today = day(2026, 11, 2);
        let a = a_case(s, org.id, "2026-000001", vec![cm]).await;
        let b = a_case(s, org.id, "2026-000002", vec![cm]).await;
        let mut closed = case_row(org.id, b.person, "2026-000003", day(2026, 1, 1), vec![cm]);
        closed.status = "Closed".into();
        add_case(s, &closed).await;
        let c = a_case(s, org.id, "2026-000004", vec![other_cm]).await;
        let mut secret = case_row(org.id, c.person, "2026-000005", day(2026, 1, 1), vec![other_cm]);
        secret.restricted = true;
        add_case(s, &secret).await;
        // Contact: a recently, b long ago, c never, closed and secret never.
        let mut tx = s.begin().await.expect("begin");
        tx.record_contact(a.person, Some(a.id), today - Duration::days(3)).await.expect("contact");
        tx.record_contact(b.person, Some(b.id), today - Duration::days(90)).await.expect("contact");
        tx.commit().await.expect("commit");
        // Tasks: overdue on a and c and secret; a legal deadline on b in 10 days; one too far.
        for (case, kind, due) in [
            (&a, "follow_up", today - Duration::days(1)),
            (&c, "goal_target", today - Duration::days(5)),
            (&secret, "follow_up", today - Duration::days(5)),
            (&b, "continued_presence_renewal", today + Duration::days(10)),
            (&b, "t_visa_expiry", today + Duration::days(40)),
            (&a, "follow_up", today + Duration::days(3)),
        ] {
            let src = Uuid::new_v4();
            replace(s, src, &[derived(case, src, kind, due)]).await;
        }
        // Appointments: scheduled on a in 2 days, on c in 5, cancelled on a, scheduled on a in 30.
        for (case, status, on) in [
            (&a, "scheduled", today + Duration::days(2)),
            (&c, "scheduled", today + Duration::days(5)),
            (&a, "cancelled", today + Duration::days(2)),
            (&a, "scheduled", today + Duration::days(30)),
            (&secret, "scheduled", today + Duration::days(1)),
        ] {
            let mut e = entry(case, "appointment", "accompaniment", on);
            e.status = Some(status.into());
            e.staff = (case.id == c.id).then_some(cm);
            add_entry(s, &e).await;
        }
        let q = |member: Option<UserId>, viewer: UserId| DashboardQuery {
            org: org.id,
            member,
            viewer,
            today,
            upcoming_until: today + Duration::days(14),
            no_contact_before: today - Duration::days(30),
            deadline_kinds: vec!["continued_presence_renewal".into(), "t_visa_expiry".into()],
            closed_statuses: vec!["Closed".into(), "ClosedReferred".into()],
        };
        let org_wide = s.dashboard(&q(None, supervisor)).await.expect("dashboard");
        assert_eq!(
            org_wide.cases_by_status,
            vec![("Closed".to_owned(), 1), ("open".to_owned(), 3)],
            "{}: restricted case not counted for one not named",
            t.name
        );
        assert_eq!(org_wide.overdue_tasks, 2, "{}", t.name);
        assert_eq!(org_wide.upcoming_deadlines, 1, "{}", t.name);
        assert_eq!(org_wide.upcoming_appointments, 2, "{}", t.name);
        assert_eq!(org_wide.without_recent_contact, 2, "{}: b (90 days) and c (never)", t.name);

        let own = s.dashboard(&q(Some(cm), cm)).await.expect("dashboard");
        assert_eq!(own.cases_by_status, vec![("Closed".to_owned(), 1), ("open".to_owned(), 2)], "{}", t.name);
        assert_eq!(own.overdue_tasks, 1, "{}", t.name);
        assert_eq!(own.upcoming_deadlines, 1, "{}", t.name);
        assert_eq!(own.upcoming_appointments, 1, "{}", t.name);
        assert_eq!(own.without_recent_contact, 1, "{}", t.name);

        let named = s.dashboard(&q(Some(other_cm), other_cm)).await.expect("dashboard");
        assert_eq!(named.cases_by_status, vec![("open".to_owned(), 2)], "{}: their restricted case counts", t.name);
        assert_eq!(named.overdue_tasks, 2, "{}", t.name);

        // Appointments across cases: the organisation's, or a member's (team or accompanying).
        let eq = |member: Option<UserId>, viewer: UserId| EntryQuery {
            org: org.id,
            kind: "appointment".into(),
            member,
            viewer,
            from: today,
            to: today + Duration::days(14),
            status: Some("scheduled".into()),
            limit: 50,
        };
        let all = s.entries_between(&eq(None, supervisor)).await.expect("entries");
        assert_eq!(
            all.iter().map(|r| r.entry.on_date).collect::<Vec<_>>(),
            vec![today + Duration::days(2), today + Duration::days(5)],
            "{}",
            t.name
        );
        let cms = s.entries_between(&eq(Some(cm), cm)).await.expect("entries");
        assert_eq!(cms.len(), 1, "{}: their cases' only (one who accompanies is on the team)", t.name);
        assert_eq!(cms[0].case_number, "2026-000001", "{}", t.name);
        let others = s.entries_between(&eq(Some(other_cm), other_cm)).await.expect("entries");
        assert_eq!(others.len(), 2, "{}: c's and the restricted one they are named on", t.name);
    }
}

#[tokio::test]
async fn entries_and_tasks_insert_in_batches_all_or_nothing() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let case = a_case(s, org.id, "2026-000001", vec![staff[0]]).await;
        let good: Vec<CaseEntryRow> = (1..=3).map(|i| entry(&case, "service", "housing", day(2026, 2, i))).collect();
        let mut stray = entry(&case, "note", "general", day(2026, 1, 1));
        stray.person = PersonId::new();
        let mut tx = s.begin().await.expect("begin");
        let mixed: Vec<CaseEntryRow> = good.iter().cloned().chain([stray]).collect();
        assert!(matches!(tx.insert_case_entries(&mixed).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);
        assert!(s.case_entries(case.id, &[]).await.expect("list").is_empty(), "{}: nothing kept", t.name);

        let mut tx = s.begin().await.expect("begin");
        tx.insert_case_entries(&good).await.expect("batch");
        tx.insert_case_entries(&[]).await.expect("empty batch");
        let tasks: Vec<TaskRow> =
            good.iter().map(|e| derived(&case, *e.id.as_uuid(), "follow_up", e.on_date)).collect();
        tx.insert_tasks(&tasks).await.expect("tasks");
        tx.commit().await.expect("commit");
        assert_eq!(s.case_entries(case.id, &[]).await.expect("list"), good, "{}: as given, in order", t.name);
        assert_eq!(s.task(tasks[1].id).await.expect("read"), Some(tasks[1].clone()), "{}", t.name);
        let again = TaskRow { id: TaskId::new(), ..tasks[0].clone() };
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.insert_tasks(&[again]).await, Err(StoreError::Duplicate)), "{}", t.name);
    }
}
