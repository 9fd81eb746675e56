//! The privacy-budget ledger on every backend: the year's budget, refusals before anything is
//! computed and again inside the recording transaction, who may publish, and the audit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use amparo_app::releases::{OVER_BUDGET, ReleaseSpent};
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::Role;

use support::{api, org, staff, worlds};

fn spent(epsilon: f64, at: chrono::DateTime<chrono::Utc>) -> ReleaseSpent {
    ReleaseSpent {
        epsilon,
        delta: 1e-6,
        rho: 0.01,
        noise_scale: 40.0,
        tables: 63,
        created_at: at,
        document: format!(r#"{{"epsilon": {epsilon}, "tables": []}}"#),
    }
}

#[tokio::test]
async fn the_ledger_refuses_a_release_over_the_years_budget_and_audits_both() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let admin = staff(&w.app, o, Role::Administrator, "admin").await;
        let caller = api(admin);
        let now = w.app.now();

        let b = w.app.release_budget(&caller, o).await.unwrap();
        assert_eq!((b.total, b.spent, b.releases.len()), (10.0, 0.0, 0), "{}", w.t.name);

        w.app.check_release(&caller, o, 6.0).await.unwrap();
        let first = w.app.record_release(&caller, o, spent(6.0, now)).await.unwrap();
        assert_eq!(first.made_by, Some(admin.user));
        // 6 + 5 > 10: refused before anything is computed.
        assert!(matches!(w.app.check_release(&caller, o, 5.0).await, Err(AppError::Refused(OVER_BUDGET))));
        w.app.check_release(&caller, o, 4.0).await.unwrap();
        w.app.record_release(&caller, o, spent(4.0, now)).await.unwrap();
        // The recording transaction checks again (a release made meanwhile counts).
        assert!(matches!(w.app.record_release(&caller, o, spent(0.5, now)).await, Err(AppError::Refused(OVER_BUDGET))));
        let b = w.app.release_budget(&caller, o).await.unwrap();
        assert_eq!((b.spent, b.remaining(), b.releases.len()), (10.0, 0.0, 2), "{}", w.t.name);

        // The file can be downloaded again, by its organisation only.
        let again = w.app.release_made(&caller, o, first.id).await.unwrap();
        assert_eq!(again.document, first.document);

        let log = w.t.store.audit_events_after(0, i64::MAX).await.unwrap();
        let made: Vec<_> =
            log.iter().filter(|x| x.draft.action == "release.publish" && x.draft.outcome.code() == "ok").collect();
        assert_eq!(made.len(), 2, "{}", w.t.name);
        assert_eq!(made[0].draft.actor, Some(admin.user));
        assert_eq!(made[0].draft.detail.as_deref(), Some("epsilon=6;delta=0.000001;tables=63"));
        let refused = log
            .iter()
            .filter(|x| x.draft.action == "release.publish" && x.draft.detail.as_deref() == Some("over_budget"))
            .count();
        assert_eq!(refused, 2, "{}", w.t.name);
        assert_eq!(log.iter().filter(|x| x.draft.action == "release.download").count(), 1);
    }
}

#[tokio::test]
async fn only_administrators_publish_and_never_for_another_organisation() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Frontera").await;
        let other = org(&w.app, "Otra").await;
        let admin = staff(&w.app, o, Role::Administrator, "admin").await;
        let theirs = staff(&w.app, other, Role::Administrator, "suya").await;
        for role in [Role::Supervisor, Role::Analyst, Role::CaseManager] {
            let a = staff(&w.app, o, role, &format!("{role}")).await;
            assert!(matches!(w.app.check_release(&api(a), o, 1.0).await, Err(AppError::Forbidden(_))), "{role}");
            assert!(matches!(w.app.release_budget(&api(a), o).await, Err(AppError::Forbidden(_))), "{role}");
        }
        assert!(matches!(w.app.check_release(&api(theirs), o, 1.0).await, Err(AppError::NotFound)));
        let row = w.app.record_release(&api(admin), o, spent(1.0, w.app.now())).await.unwrap();
        assert!(matches!(w.app.release_made(&api(theirs), other, row.id).await, Err(AppError::NotFound)));
        // The operator at the command line may, and is recorded as no one.
        let by_operator = w.app.record_release(&Caller::Operator, o, spent(1.0, w.app.now())).await.unwrap();
        assert_eq!(by_operator.made_by, None, "{}", w.t.name);
    }
}

#[tokio::test]
async fn the_yearly_budget_is_configurable() {
    let config = AppConfig { release_epsilon_per_year: 2.0, ..AppConfig::default() };
    for w in worlds(config.clone()).await {
        let o = org(&w.app, "Frontera").await;
        let admin = staff(&w.app, o, Role::Administrator, "admin").await;
        assert!(matches!(w.app.check_release(&api(admin), o, 3.0).await, Err(AppError::Refused(OVER_BUDGET))));
        w.app.check_release(&api(admin), o, 2.0).await.unwrap();
        assert_eq!(w.app.release_budget(&api(admin), o).await.unwrap().total, 2.0);
    }
}
