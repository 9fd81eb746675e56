//! Retention on every backend, with a moved clock: narratives and note text purged on
//! schedule while coded fields and counts stay; the whole person erased later through the
//! crypto-shredding path and its ledger; one audit entry per purge; runs idempotent; who may
//! configure, preview and run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::Duration;

use amparo_app::casework::NoteInput;
use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::retention::PolicyInput;
use amparo_app::{AppConfig, AppError, Caller, Channel};
use amparo_domain::retention::RetentionRule;
use amparo_domain::{Actor, CaseId, EntryId, PersonId, Role};

use support::{api, org, staff, worlds};

const STORY: &str = "Me ofrecieron trabajo en Monterrey y me quitaron los papeles";
const NOTE: &str = "Llamó desde el teléfono de su prima; prefiere mensajes por la tarde";

fn policy(narrative: &str, notes: &str, erase: &str) -> PolicyInput {
    let mut p = PolicyInput::default();
    p.months.insert("person.narrative".into(), narrative.into());
    p.months.insert("case.notes".into(), notes.into());
    p.months.insert("person.erase".into(), erase.into());
    p
}

/// A person with a narrative, one case with a note; the case is closed when `close`.
async fn survivor(w: &support::World, cm: Actor, alias: &str, close: bool) -> (PersonId, CaseId, EntryId) {
    let f = PersonFields {
        alias: Some(amparo_domain::records::Answer::Value(alias.into())),
        narrative: Some(STORY.into()),
        ..PersonFields::default()
    };
    let p = w.app.create_person(&api(cm), f).await.unwrap();
    let fields = CaseFields {
        exploitation_types: Some(vec!["ForcedLabour".into()]),
        countries: Some(vec!["MX".into()]),
        ..CaseFields::default()
    };
    let c = w.app.open_case(&api(cm), p.id, fields).await.unwrap();
    let note = NoteInput { kind: "contact".into(), text: NOTE.into(), ..NoteInput::default() };
    let n = w.app.add_note(&api(cm), c.id, note).await.unwrap();
    if close {
        let close = CaseFields {
            status: Some("Closed".into()),
            closure_reason: Some("goals_met".into()),
            ..CaseFields::default()
        };
        w.app.update_case(&api(cm), c.id, Some(c.version), close).await.unwrap();
    }
    (p.id, c.id, n.id)
}

fn count(preview: &amparo_app::retention::RetentionPreview, rule: RetentionRule) -> usize {
    preview.rules.iter().find(|r| r.rule == rule).map(|r| r.count).unwrap_or(0)
}

#[tokio::test]
async fn narratives_are_purged_on_schedule_and_counts_kept_then_the_person_is_erased() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Retencion").await;
        let admin = staff(&w.app, o, Role::Administrator, "admin2").await;
        let sup = staff(&w.app, o, Role::Supervisor, "supervisora").await;
        let cm = staff(&w.app, o, Role::CaseManager, "gestora").await;

        // Off until an administrator configures it.
        let before = w.app.retention_policy(&api(admin)).await.unwrap();
        assert!(before.is_off(), "{name}");
        w.app.set_retention_policy(&api(admin), &policy("24", "24", "84")).await.unwrap();

        let (closed, closed_case, closed_note) = survivor(&w, cm, "Lupita", true).await;
        let (open, _, open_note) = survivor(&w, cm, "Rosa", false).await;
        let closed_number = w.app.read_case(&api(cm), closed_case).await.unwrap().number;
        let cases_before = w.t.store.count_cases(o).await.unwrap();
        let coded_before = w.t.store.case(closed_case).await.unwrap().unwrap();

        // Nothing is due yet.
        let p = w.app.retention_preview(&api(admin)).await.unwrap();
        assert_eq!(count(&p, RetentionRule::PersonNarrative), 0, "{name}");
        let nothing = w.app.retention_run(&api(admin)).await.unwrap();
        assert_eq!(nothing.total(), 0, "{name}");

        // One day short of two years: still nothing.
        w.clock.advance(Duration::days(730));
        let p = w.app.retention_preview(&api(admin)).await.unwrap();
        assert_eq!(count(&p, RetentionRule::PersonNarrative), 0, "{name} one day early");

        // Two years on: the closed case's narrative and note text are due; the open one's not.
        w.clock.advance(Duration::days(2));
        let p = w.app.retention_preview(&api(admin)).await.unwrap();
        assert_eq!(count(&p, RetentionRule::PersonNarrative), 1, "{name}");
        assert_eq!(count(&p, RetentionRule::CaseNotes), 1, "{name}");
        assert_eq!(count(&p, RetentionRule::ErasePerson), 0, "{name}");
        let narrative = p.rules.iter().find(|r| r.rule == RetentionRule::PersonNarrative).unwrap();
        assert_eq!(narrative.case_numbers.as_deref(), Some(&[closed_number.clone()][..]), "{name}");
        // Supervisors see the counts, never the case numbers; case managers see nothing.
        let sp = w.app.retention_preview(&api(sup)).await.unwrap();
        assert_eq!(count(&sp, RetentionRule::PersonNarrative), 1);
        assert!(sp.rules.iter().all(|r| r.case_numbers.is_none()), "{name}");
        assert!(matches!(w.app.retention_preview(&api(cm)).await, Err(AppError::Forbidden(_))));
        assert!(matches!(w.app.retention_run(&api(sup)).await, Err(AppError::Forbidden(_))));

        let ran = w.app.retention_run(&api(admin)).await.unwrap();
        assert_eq!(ran.counts.get(&RetentionRule::PersonNarrative), Some(&1), "{name}");
        assert_eq!(ran.counts.get(&RetentionRule::CaseNotes), Some(&1), "{name}");
        let today = w.app.now().date_naive();

        // The narrative is gone at rest and says so on the record.
        let row = w.t.store.person(closed).await.unwrap().unwrap();
        assert!(row.narrative.is_none(), "{name}");
        let view = w.app.read_person(&api(cm), closed).await.unwrap();
        assert_eq!(view.fields.narrative, None);
        assert_eq!(view.narrative_removed_on, Some(today), "{name}");
        // The note keeps its kind and date; its text is gone.
        let note = w.app.case_entry(&api(cm), closed_note).await.unwrap();
        assert_eq!(note.text_removed_on, Some(today), "{name}");
        assert!(w.t.store.case_entry(closed_note).await.unwrap().unwrap().sealed.is_none());
        // Coded fields and counts unchanged.
        let coded_after = w.t.store.case(closed_case).await.unwrap().unwrap();
        assert_eq!(
            (&coded_after.status, &coded_after.closure_reason, &coded_after.exploitation_types, &coded_after.countries),
            (
                &coded_before.status,
                &coded_before.closure_reason,
                &coded_before.exploitation_types,
                &coded_before.countries
            ),
            "{name}"
        );
        assert_eq!(coded_after.closed_on, coded_before.closed_on);
        assert_eq!(w.t.store.count_cases(o).await.unwrap(), cases_before, "{name}");
        // The open case's person keeps everything.
        assert_eq!(w.app.read_person(&api(cm), open).await.unwrap().fields.narrative.as_deref(), Some(STORY));
        assert_eq!(w.app.case_entry(&api(cm), open_note).await.unwrap().text_removed_on, None);

        // One audit entry per purge: rule and record id, nothing else.
        let audit =
            w.t.store.audit_events_for_targets(o, &[*closed.as_uuid(), *closed_note.as_uuid()], 50).await.unwrap();
        let purges: Vec<_> = audit.iter().filter(|a| a.draft.action == "retention.purge").collect();
        assert_eq!(purges.len(), 2, "{name}");
        assert!(purges.iter().any(|a| a.draft.detail.as_deref() == Some("person.narrative")));
        assert!(purges.iter().any(|a| a.draft.detail.as_deref() == Some("case.notes")));

        // Idempotent: the next run finds nothing more.
        let again = w.app.retention_run(&api(admin)).await.unwrap();
        assert_eq!(again.total(), 0, "{name}");
        let runs = w.app.retention_runs(&api(sup), 10).await.unwrap();
        assert_eq!(runs.len(), 3, "{name}");
        // (Two ran at the same moment of the stopped clock: their order is not fixed.)
        let with_purge = runs.iter().filter(|r| r.counts.contains(&(RetentionRule::PersonNarrative, 1))).count();
        assert_eq!(with_purge, 1, "{name} {runs:?}");
        assert!(runs.iter().all(|r| r.channel == "api" && r.ran_by.is_some()), "{name}");

        // Seven years after closing: the whole person is erased by crypto-shredding.
        w.clock.advance(Duration::days(365 * 5 + 2));
        let p = w.app.retention_preview(&api(admin)).await.unwrap();
        assert_eq!(count(&p, RetentionRule::ErasePerson), 1, "{name}");
        let outs = w.app.retention_run_all(Channel::System).await.unwrap();
        let mine = outs.iter().find(|r| r.org == Some(o)).unwrap();
        assert_eq!(mine.counts.get(&RetentionRule::ErasePerson), Some(&1), "{name}");
        assert!(matches!(w.app.read_person(&api(cm), closed).await, Err(AppError::Gone)), "{name}");
        assert!(w.app.erasure_ledger().unwrap().contains(&closed), "{name}");
        assert!(w.t.store.erasure(closed).await.unwrap().is_some());
        assert_eq!(w.t.store.count_cases(o).await.unwrap(), cases_before - 1, "{name}");
        // The person whose case is still open stays whole.
        assert_eq!(w.app.read_person(&api(cm), open).await.unwrap().fields.narrative.as_deref(), Some(STORY));
        let audit = w.t.store.audit_events_for_targets(o, &[*closed.as_uuid()], 50).await.unwrap();
        let erased = audit.iter().find(|a| a.draft.action == "person.erase").expect("erase audited");
        assert_eq!(erased.draft.channel, "system");
        assert_eq!(erased.draft.detail.as_deref(), Some("retention.person.erase"));
    }
}

#[tokio::test]
async fn a_reopened_case_holds_its_person_back_and_bad_periods_are_refused() {
    for w in worlds(AppConfig::default()).await {
        let name = w.t.name;
        let o = org(&w.app, "Reabierta").await;
        let admin = staff(&w.app, o, Role::Administrator, "admin2").await;
        let cm = staff(&w.app, o, Role::CaseManager, "gestora").await;
        let sup = staff(&w.app, o, Role::Supervisor, "supervisora").await;

        let got = w.app.set_retention_policy(&api(admin), &policy("0", "24", "")).await;
        match got {
            Err(AppError::InvalidField { field, problem }) => {
                assert_eq!(field, "months.person.narrative");
                assert_eq!(problem.code(), "retention_months_invalid");
            }
            other => panic!("{name}: {other:?}"),
        }
        assert!(matches!(
            w.app.set_retention_policy(&api(sup), &policy("24", "", "")).await,
            Err(AppError::Forbidden(_))
        ));
        w.app.set_retention_policy(&api(admin), &policy("24", "", "")).await.unwrap();
        assert_eq!(w.app.retention_policy(&api(sup)).await.unwrap().months(RetentionRule::PersonNarrative), Some(24));

        let (p, c, _) = survivor(&w, cm, "Mari", true).await;
        // Reopened: the case keeps its old closing day, but it is open again.
        let case = w.app.read_case(&api(cm), c).await.unwrap();
        let reopen = CaseFields { status: Some("Active".into()), ..CaseFields::default() };
        w.app.update_case(&api(cm), c, Some(case.version), reopen).await.unwrap();
        w.clock.advance(Duration::days(800));
        assert_eq!(w.app.retention_run(&api(admin)).await.unwrap().total(), 0, "{name}");
        assert_eq!(w.app.read_person(&api(cm), p).await.unwrap().fields.narrative.as_deref(), Some(STORY));
        // Another organisation's policy does not reach this one.
        let other = org(&w.app, "Otra").await;
        let other_admin = staff(&w.app, other, Role::Administrator, "admin2").await;
        assert!(w.app.retention_policy(&api(other_admin)).await.unwrap().is_off());
        assert!(matches!(w.app.retention_preview(&Caller::Operator).await, Err(AppError::Forbidden(_))));
    }
}
