//! Case work: needs assessments, goals, services, appointments, milestones, legal relief and
//! notes on a case; the tasks due from them; the case's timeline; the caseload dashboard; an
//! iCalendar export of appointments.
//!
//! Every use case: authorise the entry's section (the domain's `authorize`, through the
//! case's scope) → seal or open free text with the person's data key (AAD: table, column,
//! row) → store in one transaction, version-checked → audit (ids and codes, never text) →
//! recompute the tasks the entry's dates ask for, in the same transaction.

mod dashboard;
mod entries;
mod ical;
mod inputs;
mod tasks;
mod timeline;

pub use dashboard::{AppointmentSlot, Dashboard, StatusCount};
pub use entries::{EntryView, Saved};
pub use ical::CalendarText;
pub use inputs::{
    AppointmentInput, EntryDetail, GoalInput, GoalStep, LegalNumbers, LegalReliefInput, MilestoneInput,
    NeedsAssessmentInput, NoteInput, ServiceInput,
};
pub use tasks::{TaskBoard, TaskInput, TaskView};
pub use timeline::{TimelineItem, TimelineReferral, TimelineScreening};

pub(crate) use tasks::current_case;
