//! The privacy-budget ledger: one row per differentially private release an organisation
//! made. Only parameters, never data: what was spent (ε, δ, and the ρ and noise scale behind
//! them), how many tables, when, by whom.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use amparo_domain::{OrgId, UserId};

#[derive(Clone, PartialEq)]
pub struct ReleaseLedgerRow {
    pub id: Uuid,
    pub org: OrgId,
    pub created_at: DateTime<Utc>,
    pub epsilon: f64,
    pub delta: f64,
    pub rho: f64,
    pub noise_scale: f64,
    /// How many count tables the release held.
    pub tables: i64,
    /// None: the operator at the command line, acting as no one.
    pub made_by: Option<UserId>,
    /// The published JSON file: noisy, post-processed counts only (already public), kept so
    /// that it can be downloaded again without spending more budget.
    pub document: String,
}

impl std::fmt::Debug for ReleaseLedgerRow {
    // The document is long; the parameters say what matters.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReleaseLedgerRow")
            .field("id", &self.id)
            .field("org", &self.org)
            .field("created_at", &self.created_at)
            .field("epsilon", &self.epsilon)
            .field("delta", &self.delta)
            .field("tables", &self.tables)
            .finish_non_exhaustive()
    }
}
