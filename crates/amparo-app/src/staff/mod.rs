//! The people of the organisation: profiles (languages with CEFR level, background,
//! availability), start dates and trainings, and the tenure-and-training policy that
//! decides, at every request, whether a person may reach survivor data yet.
//!
//! A person reads their own profile and describes themselves (languages, background,
//! availability); coordinators (administrators, supervisors) read every profile of their
//! organisation and set what opens the gate (start date, trainings, the policy), never for
//! themselves. Availability is free text: sealed under the installation's field key, bound
//! to this table, column and user. Profile reads by coordinators and every change are audited.

pub mod wellbeing;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_crypto::FieldAad;
use amparo_domain::staff::{
    AccessPolicy, Assessment, Availability, Background, LanguageSkill, StaffProblem, Training, check_languages,
};
use amparo_domain::{Action, Actor, DomainError, OrgId, Resource, Role, UserId, authorize};
use amparo_store::{AccessPolicyRow, AuditOutcome, StaffProfileRow, StoreError, TrainingRow, UserRow};

use crate::{Amparo, AppError, AppResult, Caller};

const PROFILES: &str = "staff_profiles";

/// A training as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainingView {
    pub id: Uuid,
    pub course: String,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// Completed and not expired today.
    pub valid: bool,
}

/// A profile as its owner or a coordinator sees it.
#[derive(Clone, Serialize)]
pub struct StaffProfileView {
    pub user_id: UserId,
    pub name: String,
    pub role: Role,
    pub start_date: Option<NaiveDate>,
    pub languages: Vec<LanguageSkill>,
    pub backgrounds: Vec<Background>,
    pub availability: String,
    pub trainings: Vec<TrainingView>,
    /// What the access policy says today: whether it applies, the day access opens,
    /// trainings still missing.
    pub access: Assessment,
    /// 0 before the first save; send it back with a change.
    pub version: i64,
}

impl std::fmt::Debug for StaffProfileView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffProfileView").field("user_id", &self.user_id).finish_non_exhaustive()
    }
}

/// What a person (or a coordinator for them) says about themselves.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[serde(default)]
    pub languages: Vec<LanguageSkill>,
    #[serde(default)]
    pub backgrounds: Vec<Background>,
    #[serde(default)]
    pub availability: String,
    /// The day the person started. Changing it needs a coordinator: a person never sets
    /// their own (it opens the access gate). Left out by someone who may not change it: kept.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// The version read (0 when there was no profile yet).
    #[serde(default)]
    pub version: i64,
}

impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput").field("version", &self.version).finish_non_exhaustive()
    }
}

/// A training to record.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    pub course: String,
    pub completed_on: NaiveDate,
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
}

/// The access policy as shown and edited.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PolicyView {
    pub months: u32,
    pub required_courses: Vec<String>,
    pub roles: Vec<Role>,
    /// 0 while the default is in force.
    #[serde(default)]
    pub version: i64,
}

fn json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|_| AppError::Integrity("encode".into()))
}

fn availability_aad(user: &UserId) -> FieldAad<'_> {
    FieldAad { table: PROFILES, column: "availability", row: user.as_bytes() }
}

fn staff_problem(field: &'static str, e: DomainError) -> AppError {
    AppError::invalid(field, e)
}

impl Amparo {
    /// The organisation's policy: the stored one, or the default.
    pub(crate) async fn access_policy_of(&self, org: OrgId) -> AppResult<(AccessPolicy, i64)> {
        match self.inner.store.access_policy(org).await? {
            None => Ok((AccessPolicy::default(), 0)),
            Some(row) => {
                let integrity = || AppError::Integrity("staff_access_policies".into());
                let courses: Vec<String> = serde_json::from_str(&row.required_courses).map_err(|_| integrity())?;
                let roles: Vec<Role> = serde_json::from_str(&row.roles).map_err(|_| integrity())?;
                let months = u32::try_from(row.months).map_err(|_| integrity())?;
                Ok((AccessPolicy { months, required_courses: courses, roles }, row.version))
            }
        }
    }

    async fn trainings_of(&self, user: UserId) -> AppResult<Vec<TrainingRow>> {
        Ok(self.inner.store.trainings_of(user).await?)
    }

    /// What the policy says about `user` today.
    pub(crate) async fn assess(&self, user: &UserRow, policy: &AccessPolicy) -> AppResult<Assessment> {
        let today = self.now().date_naive();
        if !policy.roles.contains(&user.role) {
            return Ok(policy.assess(user.role, None, &[], today));
        }
        let start = self.inner.store.staff_profile(user.id).await?.and_then(|p| p.start_date);
        let trainings: Vec<Training> = self
            .trainings_of(user.id)
            .await?
            .into_iter()
            .map(|t| Training { course: t.course, completed_on: t.completed_on, expires_on: t.expires_on })
            .collect();
        Ok(policy.assess(user.role, start, &trainings, today))
    }

    /// The actor a user acts as right now: their role, and the clearance the organisation's
    /// tenure-and-training policy gives them today (by the application's clock).
    /// The actor a user of the command line (`--as EMAIL`) acts as: their role, and the
    /// clearance the organisation's policy gives them today.
    pub async fn acting_as(&self, user: UserId) -> AppResult<Actor> {
        let row = self.inner.store.user(user).await?.ok_or(AppError::NotFound)?;
        self.actor_of(&row).await
    }

    pub(crate) async fn actor_of(&self, user: &UserRow) -> AppResult<Actor> {
        let (policy, _) = self.access_policy_of(user.org).await?;
        let access = self.assess(user, &policy).await?;
        Ok(Actor { user: user.id, org: user.org, role: user.role, clearance: access.clearance })
    }

    /// Checks `action` on `user`'s profile; a refusal is audited. Another organisation's
    /// person is "not found".
    async fn require_staff(&self, caller: &Caller, user: UserId, action: Action, code: &str) -> AppResult<UserRow> {
        let row = self.inner.store.user(user).await?.ok_or(AppError::NotFound)?;
        if let Caller::User { actor, .. } = caller
            && let Err(reason) = authorize(actor, action, Resource::StaffMember { org: row.org, user })
        {
            return Err(self.denied(caller, code, reason).await);
        }
        Ok(row)
    }

    fn staff_draft(&self, caller: &Caller, code: &str, user: &UserRow) -> amparo_store::AuditDraft {
        let mut d = self.draft(caller, code, AuditOutcome::Ok);
        d.org = Some(user.org);
        d.target_kind = Some("staff".into());
        d.target_id = Some(*user.id.as_uuid());
        d
    }

    async fn profile_view(&self, user: &UserRow) -> AppResult<StaffProfileView> {
        let (policy, _) = self.access_policy_of(user.org).await?;
        let access = self.assess(user, &policy).await?;
        let today = self.now().date_naive();
        let row = self.inner.store.staff_profile(user.id).await?;
        let integrity = || AppError::Integrity("staff_profiles".into());
        let (languages, backgrounds, availability, start_date, version) = match &row {
            None => (vec![], vec![], String::new(), None, 0),
            Some(r) => {
                let availability = match &r.availability {
                    None => String::new(),
                    Some(sealed) => {
                        let plain = self.inner.keys.open_secret(&availability_aad(&user.id), sealed)?;
                        String::from_utf8(plain.to_vec()).map_err(|_| integrity())?
                    }
                };
                (
                    serde_json::from_str(&r.languages).map_err(|_| integrity())?,
                    serde_json::from_str(&r.backgrounds).map_err(|_| integrity())?,
                    availability,
                    r.start_date,
                    r.version,
                )
            }
        };
        let trainings = self
            .trainings_of(user.id)
            .await?
            .into_iter()
            .map(|t| {
                let valid =
                    Training { course: t.course.clone(), completed_on: t.completed_on, expires_on: t.expires_on }
                        .valid_on(today);
                TrainingView {
                    id: t.id,
                    course: t.course,
                    completed_on: t.completed_on,
                    expires_on: t.expires_on,
                    valid,
                }
            })
            .collect();
        Ok(StaffProfileView {
            user_id: user.id,
            name: user.name.clone(),
            role: user.role,
            start_date,
            languages,
            backgrounds,
            availability,
            trainings,
            access,
            version,
        })
    }

    /// A person's profile: their own, or any of the organisation's as a coordinator.
    pub async fn staff_profile(&self, caller: &Caller, user: UserId) -> AppResult<StaffProfileView> {
        let row = self.require_staff(caller, user, Action::ReadStaffProfile, "staff.profile.read").await?;
        let view = self.profile_view(&row).await?;
        // Reading someone else's profile is personal data: audited; one's own is not.
        if caller.user() != Some(user) {
            let d = self.staff_draft(caller, "staff.profile.read", &row);
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(view)
    }

    /// The organisation's people with their access status (coordinators only).
    pub async fn staff_list(&self, caller: &Caller) -> AppResult<Vec<StaffProfileView>> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        // Whoever may read a colleague's profile (the domain says: a coordinator) may list.
        let someone_else = Resource::StaffMember { org: actor.org, user: UserId::new() };
        if let Err(reason) = authorize(actor, Action::ReadStaffProfile, someone_else) {
            return Err(self.denied(caller, "staff.list", reason).await);
        }
        let users = self.inner.store.users_in_org(actor.org).await?;
        let mut out = Vec::new();
        for u in users.iter().filter(|u| !u.disabled) {
            out.push(self.profile_view(u).await?);
        }
        let mut d = self.draft(caller, "staff.list", AuditOutcome::Ok);
        d.org = Some(actor.org);
        self.inner.auditor.record(vec![d]).await?;
        Ok(out)
    }

    /// Saves a profile. Languages, background and availability: the person or a
    /// coordinator. A start date that differs from the stored one: a coordinator, never the
    /// person (it opens the access gate).
    pub async fn save_staff_profile(
        &self,
        caller: &Caller,
        user: UserId,
        input: ProfileInput,
    ) -> AppResult<StaffProfileView> {
        let row = self.require_staff(caller, user, Action::WriteStaffProfile, "staff.profile.update").await?;
        check_languages(&input.languages).map_err(|e| staff_problem("languages", e))?;
        if input.backgrounds.len() > amparo_domain::staff::MAX_LIST {
            return Err(staff_problem("backgrounds", StaffProblem::TooMany.into()));
        }
        let availability = Availability::parse(&input.availability).map_err(|e| staff_problem("availability", e))?;
        let stored = self.inner.store.staff_profile(user).await?;
        let stored_start = stored.as_ref().and_then(|s| s.start_date);
        let mut start_date = input.start_date;
        if stored_start != start_date {
            let may_manage = match caller {
                Caller::User { actor, .. } => {
                    authorize(actor, Action::ManageStaff, Resource::StaffMember { org: row.org, user }).is_ok()
                }
                Caller::Operator => true,
            };
            if !may_manage && start_date.is_none() {
                // A person describing themselves leaves the start date out: it stays.
                start_date = stored_start;
            } else {
                self.require_staff(caller, user, Action::ManageStaff, "staff.start_date.update").await?;
            }
        }
        let mut backgrounds: Vec<Background> = Vec::new();
        for b in input.backgrounds {
            if !backgrounds.contains(&b) {
                backgrounds.push(b);
            }
        }
        let sealed = (!availability.as_str().is_empty())
            .then(|| self.inner.keys.seal_secret(&availability_aad(&user), availability.as_str().as_bytes()));
        let new = StaffProfileRow {
            user,
            org: row.org,
            start_date,
            languages: json(&input.languages)?,
            backgrounds: json(&backgrounds)?,
            availability: sealed,
            version: input.version + 1,
            updated_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        match tx.save_staff_profile(&new).await {
            Ok(()) => {}
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            Err(e) => return Err(e.into()),
        }
        let d = self.staff_draft(caller, "staff.profile.update", &row);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.profile_view(&row).await
    }

    /// Records a training (coordinators, for someone else).
    pub async fn record_training(
        &self,
        caller: &Caller,
        user: UserId,
        input: TrainingInput,
    ) -> AppResult<TrainingView> {
        let row = self.require_staff(caller, user, Action::ManageStaff, "staff.training.create").await?;
        let today = self.now().date_naive();
        let t = Training::new(&input.course, input.completed_on, input.expires_on, today).map_err(|e| {
            let field = match e {
                DomainError::Staff(StaffProblem::InvalidCourse) => "course",
                DomainError::Staff(StaffProblem::CompletedInFuture) => "completed_on",
                _ => "expires_on",
            };
            staff_problem(field, e)
        })?;
        let id = Uuid::new_v4();
        let new = TrainingRow {
            id,
            org: row.org,
            user,
            course: t.course.clone(),
            completed_on: t.completed_on,
            expires_on: t.expires_on,
            recorded_by: caller.user(),
            recorded_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_training(&new).await?;
        let mut d = self.staff_draft(caller, "staff.training.create", &row);
        d.detail = Some(format!("training.{id}"));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(TrainingView {
            id,
            valid: t.valid_on(today),
            course: t.course,
            completed_on: t.completed_on,
            expires_on: t.expires_on,
        })
    }

    /// Removes a training recorded by mistake (coordinators).
    pub async fn remove_training(&self, caller: &Caller, user: UserId, training: Uuid) -> AppResult<()> {
        let row = self.require_staff(caller, user, Action::ManageStaff, "staff.training.delete").await?;
        let mut tx = self.inner.store.begin().await?;
        if !tx.delete_training(row.org, user, training).await? {
            return Err(AppError::NotFound);
        }
        let mut d = self.staff_draft(caller, "staff.training.delete", &row);
        d.detail = Some(format!("training.{training}"));
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// The organisation's tenure-and-training policy (anyone of the organisation may read it:
    /// it is what they are held to).
    pub async fn access_policy(&self, caller: &Caller) -> AppResult<PolicyView> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        let (p, version) = self.access_policy_of(actor.org).await?;
        Ok(PolicyView { months: p.months, required_courses: p.required_courses, roles: p.roles, version })
    }

    /// Changes the policy (administrators: it is an organisation setting).
    pub async fn set_access_policy(&self, caller: &Caller, input: PolicyView) -> AppResult<PolicyView> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::NotFound) };
        if let Err(reason) = authorize(actor, Action::ManageOrganisation, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, "staff.policy.update", reason).await);
        }
        let p = AccessPolicy::new(input.months, input.required_courses, input.roles).map_err(|e| {
            let field = match e {
                DomainError::Staff(StaffProblem::PolicyMonths) => "months",
                _ => "required_courses",
            };
            staff_problem(field, e)
        })?;
        let row = AccessPolicyRow {
            org: actor.org,
            months: i32::try_from(p.months).map_err(|_| AppError::Integrity("months".into()))?,
            required_courses: json(&p.required_courses)?,
            roles: json(&p.roles)?,
            version: input.version + 1,
            updated_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        match tx.save_access_policy(&row).await {
            Ok(()) => {}
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            Err(e) => return Err(e.into()),
        }
        let mut d = self.draft(caller, "staff.policy.update", AuditOutcome::Ok);
        d.org = Some(actor.org);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(PolicyView { months: p.months, required_courses: p.required_courses, roles: p.roles, version: row.version })
    }
}
