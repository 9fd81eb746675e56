//! Which record links the layout shows, decided by `authorize`; the use cases decide again on
//! every action, so a link shown or hidden here grants nothing.

use amparo_domain::{Action, Actor, RecordScope, Resource, Section, authorize};

/// What the signed-in person's role lets them reach among survivor records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordRights {
    /// Caseload and search: the role reads records of its own teams (or more).
    pub read: bool,
    /// Intake: the role opens new records.
    pub intake: bool,
    /// Break-glass: the role may ask for emergency access to a case.
    pub break_glass: bool,
    /// The caseload dashboard: the role reads records and sees reports.
    pub dashboard: bool,
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
            dashboard: may(Action::ReadRecord(Section::Summary))
                && authorize(actor, Action::ViewReports, Resource::Organisation(actor.org)).is_ok(),
        }
    }
}
