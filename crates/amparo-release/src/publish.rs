//! A release for an organisation, end to end: the budget is checked before anything is
//! computed, the persons come from the app's HTCDS projection (`htcds_persons`, audited
//! there), the noise is added here, and the ledger entry and audit entry are written by the
//! app in one transaction that checks the budget again.

use amparo_app::htcds::HtcdsPerson;
use amparo_app::releases::ReleaseSpent;
use amparo_app::{Amparo, AppError, Caller};
use amparo_domain::OrgId;
use amparo_store::ReleaseLedgerRow;

use crate::codebook::{Respondent, SourcePerson};
use crate::{Budget, Release, ReleaseError, make_release};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Release(#[from] ReleaseError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl PublishError {
    /// A stable code that is also the i18n key's suffix.
    pub fn code(&self) -> &'static str {
        match self {
            PublishError::Release(e) => e.code(),
            PublishError::App(e) => e.code(),
        }
    }
}

/// A person of the projection, generalised to the codebook.
pub fn respondent(p: &HtcdsPerson) -> Respondent {
    Respondent::from_source(&SourcePerson {
        gender: p.gender.as_deref(),
        age: p.age_at_registration,
        citizenship: p.citizenship.as_deref(),
        country_of_exploitation: p.country_of_exploitation.as_deref(),
        exploitation: &p.exploitation,
    })
}

/// Makes, records and returns a release of `org`'s data spending `budget`.
pub async fn publish(
    app: &Amparo,
    caller: &Caller,
    org: OrgId,
    budget: Budget,
) -> Result<(Release, ReleaseLedgerRow), PublishError> {
    // Refuse an over-budget release before reading or computing anything.
    app.check_release(caller, org, budget.epsilon).await?;
    let persons = app.htcds_persons(caller, org).await?;
    let rows: Vec<Respondent> = persons.iter().map(respondent).collect();
    drop(persons);
    let now = app.now();
    // Sampling and post-processing take a moment of CPU: off the async runtime.
    let release = tokio::task::spawn_blocking(move || make_release(&rows, budget, now))
        .await
        .map_err(|_| ReleaseError::Noise("the release task stopped".to_owned()))??;
    let spent = ReleaseSpent {
        epsilon: release.epsilon,
        delta: release.delta,
        rho: release.rho,
        noise_scale: release.noise_scale,
        tables: i64::try_from(release.tables.len()).unwrap_or(i64::MAX),
        created_at: release.created_at,
        document: release.to_json(),
    };
    let entry = app.record_release(caller, org, spent).await?;
    Ok((release, entry))
}
