//! Who may do what. One function, [`authorize`], answers for every use case, whatever the
//! door (page, API, CLI). It checks the organisation first, then the role's permission for
//! the action, then the role's scope over the record (own team, organisation, restricted).

use std::fmt;

use crate::{OrgId, Role, UserId};

/// The one doing something: a signed-in user, an API token acting as its user, or the
/// operator at the command line acting as a named user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub org: OrgId,
    pub role: Role,
    /// Whether the organisation's tenure-and-training policy lets this person near survivor
    /// data yet. Computed at request time from the person's profile, the policy and the
    /// clock (see [`crate::staff::AccessPolicy::clearance`]); the decision stays here.
    pub clearance: Clearance,
}

/// The outcome of the organisation's tenure-and-training policy for one person today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    /// The policy does not hold the person back (time served and trainings complete, or the
    /// policy does not apply to the role).
    Cleared,
    /// Still in the first months, or a required training is missing or expired: no survivor
    /// record, signal or referral whatever the role would allow.
    NotYet,
}

/// A part of a survivor's record. Roles see only the sections their work needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// Alias, case number, status, coded fields: what any role with access to the record sees.
    Summary,
    /// Names, birth date, contact details, addresses.
    Identity,
    /// The story, notes and free text.
    Narrative,
    /// Screening results (indicator screen, PHQ-9, GAD-7, PCL-5).
    Screening,
    /// Safety plans, safe-contact rules, crisis log.
    Safety,
    /// Immigration relief and legal process, with receipt and A-numbers.
    Legal,
    /// Service plans, services delivered, appointments, milestones.
    Services,
    /// Shelter stays and beds.
    Stay,
    /// Consent records.
    Consent,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Summary,
        Section::Identity,
        Section::Narrative,
        Section::Screening,
        Section::Safety,
        Section::Legal,
        Section::Services,
        Section::Stay,
        Section::Consent,
    ];
}

/// Everything a use case may ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Add, disable, re-role users; reset their MFA; manage their API tokens.
    ManageUsers,
    /// Organisation settings, forms, partner directory.
    ManageOrganisation,
    /// Keys, backups, retention.
    ManageOperations,
    /// Read the audit log (break-glass review, "who saw my file").
    ReadAuditLog,
    /// Open a new survivor record or case.
    CreateRecord,
    /// Read one section of a survivor's record.
    ReadRecord(Section),
    /// Change one section of a survivor's record.
    WriteRecord(Section),
    /// Emergency access to a record outside one's scope, with a reason; audited.
    BreakGlass,
    /// Log and triage hotline signals and tips.
    HandleSignals,
    /// Aggregate dashboards and reports.
    ViewReports,
    /// Privacy-preserving exports (suppressed aggregates, k-anonymous records): data and
    /// grants staff, and the coordinators who answer for what leaves the organisation.
    /// Nobody sees a record through it, only what has been generalised or made noisy.
    ExportData,
    /// Bring many people in at once from a spreadsheet (`amparo import`, the import page).
    /// Each row becomes a person through intake; no record is read, so no record scope.
    ImportRecords,
    /// Take the organisation's whole record set out, decrypted (`amparo export records`):
    /// the organisation owns its data, and the one who answers for it takes it out.
    ExportRecords,
    /// Ask for a person's erasure (the first of two people).
    RequestErasure,
    /// Approve or decline an erasure someone else asked for (the second of two people).
    DecideErasure,
    /// Change who works on a case (its team, its assignee) or restrict it.
    ManageCaseTeam,
    /// Refer a person on one's caseload to a partner (what is shared is gated by consent).
    Refer,
    /// See and answer the organisation's referrals: the inbox (accept, decline) and the
    /// outgoing list (withdraw, complete, download packets).
    HandleReferrals,
    /// Read the partner directory (no survivor data in it).
    ViewPartners,
    /// Answer a private self-care check-in (ProQOL) for oneself. The results are the
    /// person's alone: no action lets anyone else read them.
    CheckInWellbeing,
    /// See the organisation's well-being aggregates (never below five respondents).
    ViewWellbeingAggregates,
    /// Read a staff member's or volunteer's profile (languages, background, trainings,
    /// availability, start date, when access opens): their own, or as a coordinator.
    ReadStaffProfile,
    /// Change the parts of a profile a person describes about themselves (languages,
    /// background, availability): their own, or as a coordinator.
    WriteStaffProfile,
    /// What gates access and so cannot be self-declared: start date, training records, the
    /// organisation's access policy. Coordinators only, never on oneself.
    ManageStaff,
    /// Set up refuges and transitional homes: houses, beds, house rules.
    ManageShelters,
    /// See the houses, their beds, occupancy and rules (no resident named).
    ViewShelters,
    /// See where a house is: its address is restricted data (a shelter's location
    /// identifies everyone in it).
    ViewShelterAddress,
    /// Work a house: see who is in which bed (alias or case number only), check people
    /// out, keep the waiting list, read the house log. Checking a person *in* also needs
    /// `WriteRecord(Stay)` on that person's record.
    HandleStays,
    /// Write the daily house log.
    KeepHouseLog,
    /// Record and correct the organisation's outreach and training events (prevention talks,
    /// workshops, trainings). Organisation data, not a survivor's: prevention teams are often
    /// volunteers, so they may record them too.
    RecordEvents,
    /// Read the organisation's list of outreach and training events: every role.
    ViewEvents,
    /// Set the organisation's retention policy, see what the next run would purge with the
    /// case numbers, and run it now. Administrators: the ones who answer for keys and backups.
    ManageRetention,
    /// See the retention policy, the counts the next run would purge and the last runs (no
    /// case number): supervisors, who must know what their teams' closed cases will lose.
    ViewRetention,
    /// Sites and teams, their needs, the matching page and placements: coordinators
    /// (administrators and supervisors), who read everyone's profile already. A person sees
    /// their own placements through `ReadStaffProfile` on themselves.
    ManagePlacements,
    /// Publish a differentially private release (noisy count tables for open publication)
    /// and read the organisation's privacy-budget ledger. Administrators only: a release
    /// spends a yearly budget that cannot be given back, and the one who answers for the
    /// organisation's data decides when to spend it.
    PublishRelease,
}

impl Action {
    /// Actions that reach survivor data (records, what callers said, referrals): the ones
    /// the tenure-and-training policy holds back.
    pub const fn touches_survivor_data(self) -> bool {
        matches!(
            self,
            Action::CreateRecord
                | Action::ReadRecord(_)
                | Action::WriteRecord(_)
                | Action::BreakGlass
                | Action::HandleSignals
                | Action::RequestErasure
                | Action::DecideErasure
                | Action::ManageCaseTeam
                | Action::Refer
                | Action::HandleReferrals
                | Action::ViewShelterAddress
                | Action::HandleStays
                | Action::KeepHouseLog
        )
    }
}

/// What an action is done to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource<'a> {
    /// The organisation itself (its users, settings, keys, reports).
    Organisation(OrgId),
    /// A survivor's record, with what decides who may see it.
    Record(&'a RecordScope),
    /// The organisation's hotline signals (calls, texts, web tips): not yet anyone's record,
    /// but what was said in them can identify a person, so only those who triage see them.
    Signals(OrgId),
    /// A staff member or volunteer of an organisation (their profile, trainings).
    StaffMember { org: OrgId, user: UserId },
}

/// Who a survivor's record belongs to and who works on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordScope {
    pub org: OrgId,
    /// The case team: the assigned case manager and everyone added to the case.
    pub team: Vec<UserId>,
    /// A restricted record is visible only to the users named here (not even supervisors).
    pub restricted_to: Option<Vec<UserId>>,
    /// Users holding an unexpired break-glass grant on this record.
    pub break_glass: Vec<UserId>,
}

/// Why access was refused. Said to the audit log; the person sees only "not found" or
/// "forbidden".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    OtherOrganisation,
    RoleLacksPermission,
    NotOnTeam,
    Restricted,
    /// The tenure-and-training policy does not let this person near survivor data yet.
    NotYetCleared,
}

impl Denied {
    pub const fn code(self) -> &'static str {
        match self {
            Denied::OtherOrganisation => "other_organisation",
            Denied::RoleLacksPermission => "role_lacks_permission",
            Denied::NotOnTeam => "not_on_team",
            Denied::Restricted => "restricted",
            Denied::NotYetCleared => "not_yet_cleared",
        }
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How far a role reaches over survivor records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    None,
    Team,
    Organisation,
}

/// The one access decision of Amparo.
pub fn authorize(actor: &Actor, action: Action, resource: Resource<'_>) -> Result<(), Denied> {
    let org = match resource {
        Resource::Organisation(org) | Resource::Signals(org) | Resource::StaffMember { org, .. } => org,
        Resource::Record(scope) => scope.org,
    };
    if org != actor.org {
        return Err(Denied::OtherOrganisation);
    }
    if let Resource::StaffMember { user, .. } = resource {
        return staff_member(actor, action, user);
    }
    if !role_permits(actor.role, action) {
        return Err(Denied::RoleLacksPermission);
    }
    // Before the role's reach: a volunteer in the first months reaches no survivor data,
    // not even on a team or with break-glass.
    if action.touches_survivor_data() && actor.clearance != Clearance::Cleared {
        return Err(Denied::NotYetCleared);
    }
    match resource {
        Resource::Organisation(_) => Ok(()),
        Resource::StaffMember { .. } => Err(Denied::RoleLacksPermission),
        // The queue answers to one action only: being allowed to change users or export
        // aggregates says nothing about reading what a caller told the hotline.
        Resource::Signals(_) if action == Action::HandleSignals => Ok(()),
        Resource::Signals(_) => Err(Denied::RoleLacksPermission),
        Resource::Record(scope) => {
            // Break-glass is for records outside one's reach; asking for it needs no scope.
            // An unexpired grant lets one *read* the record as far as the role's sections go,
            // never change it: emergency access must not become a way to take a case over.
            if action == Action::BreakGlass
                || (scope.break_glass.contains(&actor.user) && matches!(action, Action::ReadRecord(_)))
            {
                return Ok(());
            }
            if let Some(named) = &scope.restricted_to {
                return if named.contains(&actor.user) { Ok(()) } else { Err(Denied::Restricted) };
            }
            match record_reach(actor.role) {
                Reach::Organisation => Ok(()),
                Reach::Team if scope.team.contains(&actor.user) => Ok(()),
                // Opening a new record puts its author on the team: nothing to be on yet.
                Reach::Team if action == Action::CreateRecord => Ok(()),
                Reach::Team | Reach::None => Err(Denied::NotOnTeam),
            }
        }
    }
}

/// A person's own profile is theirs to read and describe; what gates access (start date,
/// trainings) is set by a coordinator (administrator or supervisor), never by oneself.
fn staff_member(actor: &Actor, action: Action, user: UserId) -> Result<(), Denied> {
    let coordinator = matches!(actor.role, Role::Administrator | Role::Supervisor);
    let own = actor.user == user;
    match action {
        Action::ReadStaffProfile | Action::WriteStaffProfile if own || coordinator => Ok(()),
        Action::ManageStaff if coordinator && !own => Ok(()),
        _ => Err(Denied::RoleLacksPermission),
    }
}

fn record_reach(role: Role) -> Reach {
    match role {
        Role::Supervisor => Reach::Organisation,
        Role::CaseManager | Role::Hotline | Role::Clinician | Role::ShelterStaff | Role::Volunteer => Reach::Team,
        Role::Administrator | Role::Analyst => Reach::None,
    }
}

/// The role's permissions, before scope. Kept as one match so the whole policy reads at once.
fn role_permits(role: Role, action: Action) -> bool {
    use Action::*;
    use Section::*;
    match role {
        Role::Administrator => matches!(
            action,
            ManageUsers
                | ManageOrganisation
                | ManageOperations
                | ReadAuditLog
                | ViewReports
                | RequestErasure
                | ViewPartners
                | ImportRecords
                | ExportRecords
                | ExportData
                | CheckInWellbeing
                | ViewWellbeingAggregates
                | ManageShelters
                | ViewShelters
                | ViewShelterAddress
                | RecordEvents
                | ViewEvents
                | ManageRetention
                | ViewRetention
                | ManagePlacements
                | PublishRelease
        ),
        Role::Supervisor => matches!(
            action,
            ReadAuditLog
                | ImportRecords
                | ExportData
                | CreateRecord
                | ReadRecord(_)
                | WriteRecord(_)
                | BreakGlass
                | HandleSignals
                | ViewReports
                | DecideErasure
                | ManageCaseTeam
                | Refer
                | HandleReferrals
                | ViewPartners
                | CheckInWellbeing
                | ViewWellbeingAggregates
                | ManageShelters
                | ViewShelters
                | ViewShelterAddress
                | HandleStays
                | KeepHouseLog
                | RecordEvents
                | ViewEvents
                | ViewRetention
                | ManagePlacements
        ),
        Role::CaseManager => matches!(
            action,
            CreateRecord
                | ReadRecord(_)
                | WriteRecord(_)
                | BreakGlass
                | ViewReports
                | ManageCaseTeam
                | Refer
                | HandleReferrals
                | ViewPartners
                | CheckInWellbeing
                | ViewShelters
                | HandleStays
                | RecordEvents
                | ViewEvents
        ),
        Role::Hotline => matches!(
            action,
            CheckInWellbeing
                | HandleSignals
                | ViewPartners
                | RecordEvents
                | ViewEvents
                | CreateRecord
                | BreakGlass
                | ReadRecord(Summary | Identity | Safety | Consent)
                | WriteRecord(Summary | Identity | Safety | Consent)
        ),
        Role::Clinician => {
            matches!(
                action,
                CheckInWellbeing | ViewEvents | BreakGlass | ReadRecord(Summary | Screening) | WriteRecord(Screening)
            )
        }
        Role::ShelterStaff => matches!(
            action,
            CheckInWellbeing
                | ViewEvents
                | BreakGlass
                | ReadRecord(Summary | Stay | Safety)
                | WriteRecord(Stay | Safety)
                | ViewShelters
                | ViewShelterAddress
                | HandleStays
                | KeepHouseLog
        ),
        // Once the tenure-and-training policy clears them: the cases they are put on, the
        // summary and the services they help deliver. Never identity, narrative or legal.
        Role::Volunteer => matches!(
            action,
            CheckInWellbeing | RecordEvents | ViewEvents | ReadRecord(Summary | Services) | WriteRecord(Services)
        ),
        Role::Analyst => matches!(action, CheckInWellbeing | ViewReports | ExportData | ViewEvents),
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
