//! Staff accounts: added, re-roled and disabled by an administrator of the same organisation
//! (or the operator at the command line). An administrator never sets a user's password:
//! the initial one must be changed at first sign-in (ASVS v5.0.0-6.4.6).

use secrecy::{ExposeSecret, SecretString};

use amparo_domain::{Action, Actor, DisplayName, Email, Language, OrgId, Resource, Role, UserId, authorize};
use amparo_store::{AuditOutcome, UserRow};

use crate::{Amparo, AppError, AppResult, Caller};

/// What is needed to add a user.
#[derive(Clone)]
pub struct NewUser {
    pub org: OrgId,
    pub email: String,
    pub name: Option<String>,
    pub role: Role,
    pub language: Language,
    pub initial_password: SecretString,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser").field("org", &self.org).field("role", &self.role).finish_non_exhaustive()
    }
}

/// A user as shown to an administrator or to the user themself.
#[derive(Clone, PartialEq, Eq)]
pub struct UserView {
    pub id: UserId,
    pub org: OrgId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    pub disabled: bool,
    pub mfa_enrolled: bool,
    pub must_change_password: bool,
}

impl std::fmt::Debug for UserView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserView").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> Self {
        Self {
            id: u.id,
            org: u.org,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role,
            language: u.language,
            disabled: u.disabled,
            mfa_enrolled: u.mfa_enrolled,
            must_change_password: u.must_change_password,
        }
    }
}

impl Amparo {
    /// May the caller manage users of `org`? Denials are audited.
    async fn may_manage_users(&self, caller: &Caller, org: OrgId, action: &str) -> AppResult<()> {
        match caller {
            Caller::Operator => Ok(()),
            Caller::User { actor, .. } => match authorize(actor, Action::ManageUsers, Resource::Organisation(org)) {
                Ok(()) => Ok(()),
                Err(reason) => Err(self.denied(caller, action, reason).await),
            },
        }
    }

    /// Builds a new user row (hashing the password) without storing it.
    /// `org_name` is given when the organisation is being created in the same transaction.
    pub(crate) async fn user_row(&self, new: NewUser, must_change: bool, org_name: Option<&str>) -> AppResult<UserRow> {
        let email = Email::parse(&new.email).map_err(|e| AppError::invalid("email", e))?;
        let name = match new.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => DisplayName::parse(n).map_err(|e| AppError::invalid("name", e))?,
            None => DisplayName::parse(email.local_part()).map_err(|e| AppError::invalid("name", e))?,
        };
        let now = self.now();
        let mut row = UserRow {
            id: UserId::new(),
            org: new.org,
            email: email.as_str().to_owned(),
            name: name.as_str().to_owned(),
            role: new.role,
            language: new.language,
            password_hash: String::new(),
            must_change_password: must_change,
            mfa_secret: None,
            mfa_enrolled: false,
            mfa_last_step: None,
            disabled: false,
            failed_logins: 0,
            first_failed_at: None,
            locked_until: None,
            lock_count: 0,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let org_name = match org_name {
            Some(n) => n.to_owned(),
            None => self.inner.store.organisation(row.org).await?.ok_or(AppError::NotFound)?.name,
        };
        self.check_password_policy(&row, &org_name, new.initial_password.expose_secret())?;
        row.password_hash = self.inner.passwords.hash(new.initial_password).await?;
        Ok(row)
    }

    /// Adds a user who must choose their own password at first sign-in.
    pub async fn add_user(&self, caller: &Caller, new: NewUser) -> AppResult<UserView> {
        self.may_manage_users(caller, new.org, "user.add").await?;
        let row = self.user_row(new, true, None).await?;
        let mut tx = self.inner.store.begin().await?;
        tx.insert_user(&row).await?;
        let mut d = self.draft(caller, "user.add", AuditOutcome::Ok);
        d.org = Some(row.org);
        d.target_kind = Some("user".into());
        d.target_id = Some(*row.id.as_uuid());
        d.detail = Some(format!("role.{}", row.role.code()));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(UserView::from(&row))
    }

    /// The users of the caller's organisation.
    pub async fn list_users(&self, caller: &Caller, org: OrgId) -> AppResult<Vec<UserView>> {
        self.may_manage_users(caller, org, "user.list").await?;
        Ok(self.inner.store.users_in_org(org).await?.iter().map(UserView::from).collect())
    }

    /// Looks up a user that the caller may manage; users of other organisations are "not found".
    pub async fn find_user(&self, caller: &Caller, email: &str) -> AppResult<UserView> {
        let email = Email::parse(email).map_err(|e| AppError::invalid("email", e))?;
        let row = self.inner.store.user_by_email(email.as_str()).await?.ok_or(AppError::NotFound)?;
        self.may_manage_users(caller, row.org, "user.read").await?;
        Ok(UserView::from(&row))
    }

    async fn change_user(
        &self,
        caller: &Caller,
        user: UserId,
        action: &str,
        detail: Option<String>,
        change: impl FnOnce(&mut UserRow) -> AppResult<()>,
        end_sessions: bool,
    ) -> AppResult<UserView> {
        // Decide (and audit a refusal) before taking the write lock: the audit writer needs it.
        let current = self.inner.store.user(user).await?.ok_or(AppError::NotFound)?;
        self.may_manage_users(caller, current.org, action).await?;
        let mut tx = self.inner.store.begin().await?;
        let mut row = tx.user_for_update(user).await?.ok_or(AppError::NotFound)?;
        if let Caller::User { actor, .. } = caller {
            // An administrator cannot lock themself out of their own organisation by accident.
            if actor.user == row.id && action != "user.language" {
                return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
            }
        }
        change(&mut row)?;
        let row = tx.update_user(&row).await?;
        if end_sessions {
            tx.delete_sessions_of_user(row.id).await?;
        }
        let mut d = self.draft(caller, action, AuditOutcome::Ok);
        d.org = Some(row.org);
        d.target_kind = Some("user".into());
        d.target_id = Some(*row.id.as_uuid());
        d.detail = detail;
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(UserView::from(&row))
    }

    /// Disables a user: every session ends at once and tokens stop working.
    pub async fn disable_user(&self, caller: &Caller, user: UserId) -> AppResult<UserView> {
        self.change_user(
            caller,
            user,
            "user.disable",
            None,
            |u| {
                u.disabled = true;
                Ok(())
            },
            true,
        )
        .await
    }

    pub async fn enable_user(&self, caller: &Caller, user: UserId) -> AppResult<UserView> {
        self.change_user(
            caller,
            user,
            "user.enable",
            None,
            |u| {
                u.disabled = false;
                Ok(())
            },
            false,
        )
        .await
    }

    /// Changes a user's role; it takes effect on their next request.
    pub async fn change_role(&self, caller: &Caller, user: UserId, role: Role) -> AppResult<UserView> {
        self.change_user(
            caller,
            user,
            "user.role",
            Some(format!("role.{}", role.code())),
            |u| {
                u.role = role;
                Ok(())
            },
            false,
        )
        .await
    }

    /// Clears a user's MFA: every session ends and the next sign-in enrols anew.
    pub async fn reset_user_mfa(&self, caller: &Caller, user: UserId) -> AppResult<UserView> {
        self.change_user(
            caller,
            user,
            "user.mfa_reset",
            None,
            |u| {
                crate::auth::clear_mfa(u);
                Ok(())
            },
            true,
        )
        .await
    }

    /// Sets one's own interface language.
    pub async fn set_own_language(&self, actor: &Actor, caller: &Caller, language: Language) -> AppResult<()> {
        let mut tx = self.inner.store.begin().await?;
        let mut row = tx.user_for_update(actor.user).await?.ok_or(AppError::Unauthenticated)?;
        row.language = language;
        tx.update_user(&row).await?;
        let mut d = self.draft(caller, "user.language", AuditOutcome::Ok);
        d.detail = Some(format!("language.{}", language.code()));
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// The signed-in user's own account.
    pub async fn me(&self, actor: &Actor) -> AppResult<UserView> {
        let row = self.inner.store.user(actor.user).await?.ok_or(AppError::Unauthenticated)?;
        Ok(UserView::from(&row))
    }
}

/// Can someone of this role work on survivor records at all (on a case of their own team)?
fn works_on_records(actor: &Actor) -> bool {
    let own =
        amparo_domain::RecordScope { org: actor.org, team: vec![actor.user], restricted_to: None, break_glass: vec![] };
    authorize(actor, Action::ReadRecord(amparo_domain::Section::Summary), Resource::Record(&own)).is_ok()
}

impl Amparo {
    /// The colleagues who can be put on a case team: active staff of the caller's organisation
    /// whose role works on records. Only for those who work on records themselves.
    pub async fn colleagues(&self, caller: &Caller) -> AppResult<Vec<UserView>> {
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        if !works_on_records(actor) {
            return Err(self.denied(caller, "user.colleagues", amparo_domain::Denied::RoleLacksPermission).await);
        }
        let mut out = Vec::new();
        for u in self.inner.store.users_in_org(actor.org).await?.iter().filter(|u| !u.disabled) {
            // Someone the access policy still holds back cannot be put on a case either.
            if works_on_records(&self.actor_of(u).await?) {
                out.push(UserView::from(u));
            }
        }
        Ok(out)
    }
}
