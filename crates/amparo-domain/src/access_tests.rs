//! The role × action table. Every cell is written out: a change of policy is a change here.

use super::*;

const ORG: Action = Action::ManageOrganisation;

fn all_actions() -> Vec<Action> {
    let mut a = vec![
        Action::ManageUsers,
        ORG,
        Action::ManageOperations,
        Action::ReadAuditLog,
        Action::CreateRecord,
        Action::BreakGlass,
        Action::HandleSignals,
        Action::ViewReports,
        Action::ExportData,
        Action::ImportRecords,
        Action::ExportRecords,
        Action::RequestErasure,
        Action::DecideErasure,
        Action::ManageCaseTeam,
        Action::Refer,
        Action::HandleReferrals,
        Action::ViewPartners,
        Action::CheckInWellbeing,
        Action::ViewWellbeingAggregates,
        Action::ManageShelters,
        Action::ViewShelters,
        Action::ViewShelterAddress,
        Action::HandleStays,
        Action::KeepHouseLog,
        Action::RecordEvents,
        Action::ViewEvents,
        Action::ManageRetention,
        Action::ViewRetention,
        Action::ManagePlacements,
        Action::PublishRelease,
    ];
    for s in Section::ALL {
        a.push(Action::ReadRecord(s));
        a.push(Action::WriteRecord(s));
    }
    a
}

/// What each role may do on a record of its own organisation where it is on the team.
/// Letters: A=administer users/org/ops/audit, R/W = read/write section, C=create record,
/// G=break glass, H=handle signals, V=view reports, X=export.
fn expected(role: Role, action: Action) -> bool {
    use Action::*;
    use Section::*;
    // Outreach and training events: organisation data. Every role reads the list; those who
    // run prevention work (and administrators) record them; clinicians, shelter staff and
    // analysts only read.
    match (role, action) {
        (_, ViewEvents) => return true,
        (
            Role::Administrator | Role::Supervisor | Role::CaseManager | Role::Hotline | Role::Volunteer,
            RecordEvents,
        ) => {
            return true;
        }
        (_, RecordEvents) => return false,
        // Retention: administrators configure and run it; supervisors see the counts.
        (Role::Administrator, ManageRetention | ViewRetention) | (Role::Supervisor, ViewRetention) => return true,
        (_, ManageRetention | ViewRetention) => return false,
        // Placements: the coordinators who read every profile already.
        (Role::Administrator | Role::Supervisor, ManagePlacements) => return true,
        (_, ManagePlacements) => return false,
        _ => {}
    }
    // Differentially private releases spend the organisation's yearly privacy budget:
    // administrators only.
    if action == PublishRelease {
        return role == Role::Administrator;
    }
    let section_rw = |read: &[Section], write: &[Section]| match action {
        ReadRecord(s) => read.contains(&s),
        WriteRecord(s) => write.contains(&s),
        _ => false,
    };
    // Everyone may check in on themselves; only coordinators see the aggregates.
    if action == CheckInWellbeing {
        return true;
    }
    if action == ViewWellbeingAggregates {
        return matches!(role, Role::Administrator | Role::Supervisor);
    }
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
                | ManageShelters
                | ViewShelters
                | ViewShelterAddress
        ),
        Role::Supervisor => {
            matches!(
                action,
                ReadAuditLog
                    | ImportRecords
                    | ExportData
                    | CreateRecord
                    | BreakGlass
                    | HandleSignals
                    | ViewReports
                    | DecideErasure
                    | ManageCaseTeam
                    | Refer
                    | HandleReferrals
                    | ViewPartners
                    | ManageShelters
                    | ViewShelters
                    | ViewShelterAddress
                    | HandleStays
                    | KeepHouseLog
            ) || section_rw(&Section::ALL, &Section::ALL)
        }
        // Case managers place people and see availability; where a house is stays with
        // the house's staff and supervisors.
        Role::CaseManager => {
            matches!(
                action,
                CreateRecord
                    | BreakGlass
                    | ViewReports
                    | ManageCaseTeam
                    | Refer
                    | HandleReferrals
                    | ViewPartners
                    | ViewShelters
                    | HandleStays
            ) || section_rw(&Section::ALL, &Section::ALL)
        }
        Role::Hotline => {
            matches!(action, HandleSignals | CreateRecord | BreakGlass | ViewPartners)
                || section_rw(&[Summary, Identity, Safety, Consent], &[Summary, Identity, Safety, Consent])
        }
        Role::Clinician => action == BreakGlass || section_rw(&[Summary, Screening], &[Screening]),
        // Never the narrative, the legal file, screenings or identity.
        Role::ShelterStaff => {
            matches!(action, BreakGlass | ViewShelters | ViewShelterAddress | HandleStays | KeepHouseLog)
                || section_rw(&[Summary, Stay, Safety], &[Stay, Safety])
        }
        Role::Volunteer => section_rw(&[Summary, Services], &[Services]),
        Role::Analyst => matches!(action, ViewReports | ExportData),
    }
}

fn resource_for(action: Action, scope: &RecordScope) -> Resource<'_> {
    match action {
        Action::CreateRecord
        | Action::ReadRecord(_)
        | Action::WriteRecord(_)
        | Action::BreakGlass
        | Action::ManageCaseTeam
        | Action::Refer => Resource::Record(scope),
        _ => Resource::Organisation(scope.org),
    }
}

#[test]
fn every_role_times_every_action_on_own_team_record() {
    let org = OrgId::new();
    for role in Role::ALL {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        let scope = RecordScope { org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
        for action in all_actions() {
            let got = authorize(&actor, action, resource_for(action, &scope)).is_ok();
            assert_eq!(got, expected(role, action), "{role} {action:?}");
        }
    }
}

#[test]
fn nothing_crosses_organisations_for_any_role_or_action() {
    let (mine, theirs) = (OrgId::new(), OrgId::new());
    for role in Role::ALL {
        let actor = Actor { user: UserId::new(), org: mine, role, clearance: crate::Clearance::Cleared };
        // Even a record that names the actor on its team and in its restriction list.
        let scope = RecordScope {
            org: theirs,
            team: vec![actor.user],
            restricted_to: Some(vec![actor.user]),
            break_glass: vec![actor.user],
        };
        for action in all_actions() {
            assert_eq!(
                authorize(&actor, action, resource_for(action, &scope)),
                Err(Denied::OtherOrganisation),
                "{role} {action:?}"
            );
        }
    }
}

#[test]
fn team_roles_see_only_records_of_their_team() {
    let org = OrgId::new();
    let scope = RecordScope { org, team: vec![UserId::new()], restricted_to: None, break_glass: vec![] };
    for role in [Role::CaseManager, Role::Hotline, Role::Clinician, Role::ShelterStaff, Role::Volunteer] {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        assert_eq!(
            authorize(&actor, Action::ReadRecord(Section::Summary), Resource::Record(&scope)),
            Err(Denied::NotOnTeam),
            "{role}"
        );
    }
    let supervisor = Actor { user: UserId::new(), org, role: Role::Supervisor, clearance: crate::Clearance::Cleared };
    assert_eq!(authorize(&supervisor, Action::ReadRecord(Section::Narrative), Resource::Record(&scope)), Ok(()));
}

#[test]
fn restricted_records_only_for_named_members_even_supervisors() {
    let org = OrgId::new();
    let named = UserId::new();
    let supervisor = Actor { user: UserId::new(), org, role: Role::Supervisor, clearance: crate::Clearance::Cleared };
    let on_team = Actor { user: UserId::new(), org, role: Role::CaseManager, clearance: crate::Clearance::Cleared };
    let scope =
        RecordScope { org, team: vec![on_team.user, named], restricted_to: Some(vec![named]), break_glass: vec![] };
    let read = Action::ReadRecord(Section::Summary);
    assert_eq!(authorize(&supervisor, read, Resource::Record(&scope)), Err(Denied::Restricted));
    assert_eq!(authorize(&on_team, read, Resource::Record(&scope)), Err(Denied::Restricted));
    let member = Actor { user: named, org, role: Role::CaseManager, clearance: crate::Clearance::Cleared };
    assert_eq!(authorize(&member, read, Resource::Record(&scope)), Ok(()));
    // Being named does not widen a role: a named clinician still cannot read the narrative.
    let clinician = Actor { user: named, org, role: Role::Clinician, clearance: crate::Clearance::Cleared };
    assert_eq!(
        authorize(&clinician, Action::ReadRecord(Section::Narrative), Resource::Record(&scope)),
        Err(Denied::RoleLacksPermission)
    );
}

#[test]
fn administrator_reads_no_survivor_record() {
    let org = OrgId::new();
    let admin = Actor { user: UserId::new(), org, role: Role::Administrator, clearance: crate::Clearance::Cleared };
    let scope = RecordScope { org, team: vec![admin.user], restricted_to: None, break_glass: vec![] };
    for s in Section::ALL {
        assert!(authorize(&admin, Action::ReadRecord(s), Resource::Record(&scope)).is_err());
    }
}

#[test]
fn break_glass_opens_one_record_within_the_roles_sections() {
    let org = OrgId::new();
    let outsider = Actor { user: UserId::new(), org, role: Role::CaseManager, clearance: crate::Clearance::Cleared };
    let mut scope =
        RecordScope { org, team: vec![UserId::new()], restricted_to: Some(vec![UserId::new()]), break_glass: vec![] };
    let read = Action::ReadRecord(Section::Narrative);
    assert_eq!(authorize(&outsider, read, Resource::Record(&scope)), Err(Denied::Restricted));
    assert_eq!(authorize(&outsider, Action::BreakGlass, Resource::Record(&scope)), Ok(()));
    scope.break_glass.push(outsider.user);
    assert_eq!(authorize(&outsider, read, Resource::Record(&scope)), Ok(()));
    // Read only: a grant never lets one change the record, its team, or open cases from it.
    for action in [
        Action::WriteRecord(Section::Summary),
        Action::WriteRecord(Section::Narrative),
        Action::ManageCaseTeam,
        Action::CreateRecord,
    ] {
        assert_eq!(authorize(&outsider, action, Resource::Record(&scope)), Err(Denied::Restricted), "{action:?}");
    }
    // A grant never widens a role: a clinician with a grant still cannot read the narrative.
    let clinician = Actor { user: UserId::new(), org, role: Role::Clinician, clearance: crate::Clearance::Cleared };
    scope.break_glass.push(clinician.user);
    assert_eq!(authorize(&clinician, read, Resource::Record(&scope)), Err(Denied::RoleLacksPermission));
    // Volunteers, analysts and administrators cannot break the glass at all.
    for role in [Role::Volunteer, Role::Analyst, Role::Administrator] {
        let a = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        assert_eq!(authorize(&a, Action::BreakGlass, Resource::Record(&scope)), Err(Denied::RoleLacksPermission));
    }
}

/// Who works the hotline queue: each role written out. Administrators manage the
/// organisation but read no survivor data, and what a caller said is survivor data.
#[test]
fn signals_queue_is_for_hotline_workers_and_supervisors_only() {
    let table = [
        (Role::Administrator, false),
        (Role::Supervisor, true),
        (Role::CaseManager, false),
        (Role::Hotline, true),
        (Role::Clinician, false),
        (Role::ShelterStaff, false),
        (Role::Volunteer, false),
        (Role::Analyst, false),
    ];
    assert_eq!(table.len(), Role::ALL.len());
    let org = OrgId::new();
    for (role, allowed) in table {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        let got = authorize(&actor, Action::HandleSignals, Resource::Signals(org));
        assert_eq!(got.is_ok(), allowed, "{role}");
        if !allowed {
            assert_eq!(got, Err(Denied::RoleLacksPermission), "{role}");
        }
        // Never another organisation's queue.
        assert_eq!(
            authorize(&actor, Action::HandleSignals, Resource::Signals(OrgId::new())),
            Err(Denied::OtherOrganisation),
            "{role}"
        );
        // The queue answers to no other action, whatever the role may do elsewhere.
        for action in all_actions().into_iter().filter(|a| *a != Action::HandleSignals) {
            assert!(authorize(&actor, action, Resource::Signals(org)).is_err(), "{role} {action:?}");
        }
    }
}

#[test]
fn only_the_case_team_or_a_supervisor_may_refer() {
    let org = OrgId::new();
    let scope = RecordScope { org, team: vec![UserId::new()], restricted_to: None, break_glass: vec![] };
    let outsider = Actor { user: UserId::new(), org, role: Role::CaseManager, clearance: crate::Clearance::Cleared };
    assert_eq!(authorize(&outsider, Action::Refer, Resource::Record(&scope)), Err(Denied::NotOnTeam));
    // A break-glass grant opens a record for reading, never for sending it elsewhere.
    let glass = RecordScope { break_glass: vec![outsider.user], ..scope.clone() };
    assert_eq!(authorize(&outsider, Action::Refer, Resource::Record(&glass)), Err(Denied::NotOnTeam));
    let supervisor = Actor { user: UserId::new(), org, role: Role::Supervisor, clearance: crate::Clearance::Cleared };
    assert_eq!(authorize(&supervisor, Action::Refer, Resource::Record(&scope)), Ok(()));
    let hotline = Actor { user: scope.team[0], org, role: Role::Hotline, clearance: crate::Clearance::Cleared };
    assert_eq!(authorize(&hotline, Action::Refer, Resource::Record(&scope)), Err(Denied::RoleLacksPermission));
}

#[test]
fn volunteer_in_first_six_months_reaches_no_survivor_data_even_on_the_team() {
    let org = OrgId::new();
    for role in Role::ALL {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::NotYet };
        let scope = RecordScope { org, team: vec![actor.user], restricted_to: None, break_glass: vec![actor.user] };
        for action in all_actions() {
            let got = authorize(&actor, action, resource_for(action, &scope));
            if action.touches_survivor_data() {
                assert!(got.is_err(), "{role} {action:?}");
                if expected(role, action) {
                    assert_eq!(got, Err(Denied::NotYetCleared), "{role} {action:?}");
                }
            } else {
                // What is not survivor data is untouched by the gate.
                assert_eq!(got.is_ok(), expected(role, action), "{role} {action:?}");
            }
        }
        // Restricted to them by name: still not.
        let named = RecordScope { restricted_to: Some(vec![actor.user]), ..scope };
        assert!(authorize(&actor, Action::ReadRecord(Section::Summary), Resource::Record(&named)).is_err());
    }
}

#[test]
fn a_cleared_volunteer_reads_summary_and_services_of_their_team_only() {
    let org = OrgId::new();
    let v = Actor { user: UserId::new(), org, role: Role::Volunteer, clearance: crate::Clearance::Cleared };
    let mine = RecordScope { org, team: vec![v.user], restricted_to: None, break_glass: vec![] };
    let other = RecordScope { org, team: vec![UserId::new()], restricted_to: None, break_glass: vec![] };
    let may = |a, s: &RecordScope| authorize(&v, a, Resource::Record(s));
    assert_eq!(may(Action::ReadRecord(Section::Summary), &mine), Ok(()));
    assert_eq!(may(Action::WriteRecord(Section::Services), &mine), Ok(()));
    assert_eq!(may(Action::ReadRecord(Section::Identity), &mine), Err(Denied::RoleLacksPermission));
    assert_eq!(may(Action::ReadRecord(Section::Narrative), &mine), Err(Denied::RoleLacksPermission));
    assert_eq!(may(Action::ReadRecord(Section::Summary), &other), Err(Denied::NotOnTeam));
    assert_eq!(may(Action::CreateRecord, &mine), Err(Denied::RoleLacksPermission));
}

#[test]
fn a_profile_is_its_owners_and_the_coordinators_and_gates_are_never_self_set() {
    let org = OrgId::new();
    let person = |role| Actor { user: UserId::new(), org, role, clearance: crate::Clearance::NotYet };
    let volunteer = person(Role::Volunteer);
    let own = Resource::StaffMember { org, user: volunteer.user };
    assert_eq!(authorize(&volunteer, Action::ReadStaffProfile, own), Ok(()));
    assert_eq!(authorize(&volunteer, Action::WriteStaffProfile, own), Ok(()));
    // Start date and trainings open the gate: nobody sets their own.
    assert_eq!(authorize(&volunteer, Action::ManageStaff, own), Err(Denied::RoleLacksPermission));
    let supervisor = person(Role::Supervisor);
    assert_eq!(authorize(&supervisor, Action::ManageStaff, own), Ok(()));
    assert_eq!(
        authorize(&supervisor, Action::ManageStaff, Resource::StaffMember { org, user: supervisor.user }),
        Err(Denied::RoleLacksPermission)
    );
    for role in [Role::CaseManager, Role::Volunteer, Role::Analyst, Role::Hotline] {
        let other = person(role);
        for a in [Action::ReadStaffProfile, Action::WriteStaffProfile, Action::ManageStaff] {
            assert_eq!(authorize(&other, a, own), Err(Denied::RoleLacksPermission), "{role} {a:?}");
        }
    }
    let admin = person(Role::Administrator);
    assert_eq!(authorize(&admin, Action::ReadStaffProfile, own), Ok(()));
    let elsewhere = Actor { org: OrgId::new(), ..admin };
    assert_eq!(authorize(&elsewhere, Action::ReadStaffProfile, own), Err(Denied::OtherOrganisation));
}

/// Outreach and training events, each role written out: (records them, reads the list).
/// Not survivor data, so volunteers (prevention teams) and administrators record them too.
#[test]
fn outreach_events_are_recorded_by_prevention_roles_and_read_by_all() {
    let table = [
        (Role::Administrator, true, true),
        (Role::Supervisor, true, true),
        (Role::CaseManager, true, true),
        (Role::Hotline, true, true),
        (Role::Clinician, false, true),
        (Role::ShelterStaff, false, true),
        (Role::Volunteer, true, true),
        (Role::Analyst, false, true),
    ];
    assert_eq!(table.len(), Role::ALL.len());
    let org = OrgId::new();
    for (role, record, view) in table {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        let got = authorize(&actor, Action::RecordEvents, Resource::Organisation(org));
        assert_eq!(got.is_ok(), record, "{role} record");
        if !record {
            assert_eq!(got, Err(Denied::RoleLacksPermission), "{role}");
        }
        assert_eq!(authorize(&actor, Action::ViewEvents, Resource::Organisation(org)).is_ok(), view, "{role} view");
        for action in [Action::RecordEvents, Action::ViewEvents] {
            assert_eq!(
                authorize(&actor, action, Resource::Organisation(OrgId::new())),
                Err(Denied::OtherOrganisation),
                "{role} {action:?}"
            );
            // Not the hotline queue, and not a survivor's record.
            assert!(authorize(&actor, action, Resource::Signals(org)).is_err(), "{role} {action:?}");
        }
    }
}

/// Retention, each role written out: (configures and runs it, sees the preview counts).
#[test]
fn retention_is_run_by_administrators_and_previewed_by_supervisors() {
    let table = [
        (Role::Administrator, true, true),
        (Role::Supervisor, false, true),
        (Role::CaseManager, false, false),
        (Role::Hotline, false, false),
        (Role::Clinician, false, false),
        (Role::ShelterStaff, false, false),
        (Role::Volunteer, false, false),
        (Role::Analyst, false, false),
    ];
    assert_eq!(table.len(), Role::ALL.len());
    let org = OrgId::new();
    for (role, manage, view) in table {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        let got = authorize(&actor, Action::ManageRetention, Resource::Organisation(org));
        assert_eq!(got.is_ok(), manage, "{role} manage");
        if !manage {
            assert_eq!(got, Err(Denied::RoleLacksPermission), "{role}");
        }
        assert_eq!(authorize(&actor, Action::ViewRetention, Resource::Organisation(org)).is_ok(), view, "{role} view");
        for action in [Action::ManageRetention, Action::ViewRetention] {
            assert_eq!(
                authorize(&actor, action, Resource::Organisation(OrgId::new())),
                Err(Denied::OtherOrganisation),
                "{role} {action:?}"
            );
        }
    }
}

/// Only administrators publish differentially private releases (and read the budget
/// ledger), and only for their own organisation.
#[test]
fn only_administrators_publish_releases_for_their_own_organisation() {
    let org = OrgId::new();
    for role in Role::ALL {
        let actor = Actor { user: UserId::new(), org, role, clearance: crate::Clearance::Cleared };
        let got = authorize(&actor, Action::PublishRelease, Resource::Organisation(org));
        if role == Role::Administrator {
            assert_eq!(got, Ok(()), "{role}");
        } else {
            assert_eq!(got, Err(Denied::RoleLacksPermission), "{role}");
        }
        assert_eq!(
            authorize(&actor, Action::PublishRelease, Resource::Organisation(OrgId::new())),
            Err(Denied::OtherOrganisation),
            "{role}"
        );
    }
}
