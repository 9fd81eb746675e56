//! Which record links the layout shows. The layout's context is built by code other pages
//! share, so the record rights of the signed-in person ride along the request in a task-local
//! slot, decided once per page request by `authorize`; the use cases decide again on every
//! action, so a link shown or hidden here grants nothing.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use amparo_app::{AppError, SessionStage};
use amparo_domain::{Action, Actor, RecordScope, Resource, Section, authorize};

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::view::PageCtx;

/// What the signed-in person's role lets them reach among survivor records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordRights {
    /// Caseload and search: the role reads records of its own teams (or more).
    pub read: bool,
    /// Intake: the role opens new records.
    pub intake: bool,
    /// Break-glass: the role may ask for emergency access to a case.
    pub break_glass: bool,
}

impl RecordRights {
    pub fn of(actor: &Actor) -> Self {
        // A record the actor is on the team of: what the role can do with its own work.
        let own = RecordScope { org: actor.org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
        let may = |a| authorize(actor, a, Resource::Record(&own)).is_ok();
        Self {
            read: may(Action::ReadRecord(Section::Summary)),
            intake: may(Action::CreateRecord),
            break_glass: may(Action::BreakGlass),
        }
    }
}

tokio::task_local! {
    static RIGHTS: RecordRights;
}

/// Works out the record rights of the session behind the cookie for page requests.
pub async fn record_rights(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let page = !(path.starts_with("/api/") || path.starts_with("/static/") || path == "/healthz" || path == "/metrics");
    let mut rights = RecordRights::default();
    if page && let Some(token) = cookies::read(req.headers(), Cookie::Session, state.transport) {
        match state.app.session(&token).await {
            Ok(s) if s.stage == SessionStage::Active => rights = RecordRights::of(&s.actor),
            // The page's own extractor reports any failure; the links just stay hidden.
            Ok(_) | Err(AppError::Unauthenticated) => {}
            Err(e) => tracing::debug!(code = e.code(), "record rights not known"),
        }
    }
    RIGHTS.scope(rights, next.run(req)).await
}

fn current() -> RecordRights {
    RIGHTS.try_with(|r| *r).unwrap_or_default()
}

impl PageCtx {
    /// Show the caseload and search links.
    pub fn records_nav(&self) -> bool {
        self.signed_in && current().read
    }
    /// Show the intake link.
    pub fn intake_nav(&self) -> bool {
        self.signed_in && current().intake
    }
}
