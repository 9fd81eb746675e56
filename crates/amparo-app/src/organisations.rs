//! Organisations hosted on an installation, and the installation's first run.

use secrecy::SecretString;

use amparo_crypto::random_token;
use amparo_domain::{Language, OrgId, OrganisationName, Role};
use amparo_store::{AuditOutcome, OrganisationRow, SetupTokenRow};

use crate::{Amparo, AppError, AppResult, Caller, NewUser, UserView};

/// An organisation and its first administrator.
#[derive(Clone)]
pub struct NewInstallation {
    pub org_name: String,
    pub admin_email: String,
    pub admin_name: Option<String>,
    pub admin_password: SecretString,
    pub language: Language,
}

impl std::fmt::Debug for NewInstallation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewInstallation(<redacted>)")
    }
}

const SETUP_PURPOSE: &str = "setup";

impl Amparo {
    /// Adds an organisation with its administrator, in one transaction. Only the operator
    /// (command line) or a first-run setup link may do this.
    pub(crate) async fn create_organisation(
        &self,
        caller: &Caller,
        new: NewInstallation,
        setup_token: Option<&str>,
    ) -> AppResult<(OrgId, UserView)> {
        let name = OrganisationName::parse(&new.org_name).map_err(|e| AppError::invalid("org", e))?;
        if self.inner.store.organisation_by_name(name.as_str()).await?.is_some() {
            return Err(AppError::Duplicate);
        }
        let now = self.now();
        let org = OrganisationRow { id: OrgId::new(), name: name.as_str().to_owned(), created_at: now };
        let admin = NewUser {
            org: org.id,
            email: new.admin_email,
            name: new.admin_name,
            role: Role::Administrator,
            language: new.language,
            initial_password: new.admin_password,
        };
        // The administrator chose this password themself: no forced change.
        let admin = self.user_row(admin, false, Some(name.as_str())).await?;
        let mut tx = self.inner.store.begin().await?;
        if let Some(token) = setup_token {
            let hash = self.inner.keys.tokens().hash(SETUP_PURPOSE, token);
            let valid = self.inner.store.setup_token(&hash).await?.is_some_and(|t| t.expires_at > now);
            if !valid || !tx.use_setup_token(&hash, now).await? {
                return Err(AppError::NotFound);
            }
        }
        tx.insert_organisation(&org).await?;
        tx.insert_user(&admin).await?;
        let mut d = self.draft(caller, "organisation.add", AuditOutcome::Ok);
        d.org = Some(org.id);
        d.target_kind = Some("organisation".into());
        d.target_id = Some(*org.id.as_uuid());
        let mut d2 = self.draft(caller, "user.add", AuditOutcome::Ok);
        d2.org = Some(org.id);
        d2.target_kind = Some("user".into());
        d2.target_id = Some(*admin.id.as_uuid());
        d2.detail = Some("role.administrator".into());
        self.inner.auditor.commit_with(tx, &[d, d2]).await?;
        Ok((org.id, UserView::from(&admin)))
    }

    /// `amparo init` and `amparo org add`: the operator adds an organisation.
    pub async fn add_organisation(&self, new: NewInstallation) -> AppResult<(OrgId, UserView)> {
        self.create_organisation(&Caller::Operator, new, None).await
    }

    /// First run without any organisation: a one-time link to create the first one.
    pub async fn create_setup_token(&self) -> AppResult<String> {
        let token = random_token();
        let now = self.now();
        let mut tx = self.inner.store.begin().await?;
        tx.insert_setup_token(&SetupTokenRow {
            token_hash: self.inner.keys.tokens().hash(SETUP_PURPOSE, &token).to_vec(),
            created_at: now,
            expires_at: now + self.inner.config.setup_token_ttl,
            used_at: None,
        })
        .await?;
        let d = self.draft(&Caller::Operator, "setup.token_created", AuditOutcome::Ok);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(token)
    }

    /// Is this setup link still good (unused, unexpired)?
    pub async fn setup_token_valid(&self, token: &str) -> AppResult<bool> {
        let hash = self.inner.keys.tokens().hash(SETUP_PURPOSE, token);
        let now = self.now();
        Ok(self.inner.store.setup_token(&hash).await?.is_some_and(|t| t.used_at.is_none() && t.expires_at > now))
    }

    /// Uses a setup link to create the first organisation and its administrator.
    pub async fn complete_setup(&self, token: &str, new: NewInstallation) -> AppResult<(OrgId, UserView)> {
        if !self.setup_token_valid(token).await? {
            return Err(AppError::NotFound);
        }
        self.create_organisation(&Caller::Operator, new, Some(token)).await
    }

    pub async fn organisations(&self) -> AppResult<Vec<OrganisationRow>> {
        Ok(self.inner.store.organisations().await?)
    }

    /// The organisation named on the command line, or the only one when there is one.
    pub async fn resolve_org(&self, name: Option<&str>) -> AppResult<OrganisationRow> {
        match name {
            Some(n) => self.inner.store.organisation_by_name(n.trim()).await?.ok_or(AppError::NotFound),
            None => {
                let mut all = self.inner.store.organisations().await?;
                if all.len() == 1 {
                    all.pop().ok_or(AppError::NotFound)
                } else {
                    Err(AppError::invalid("org", amparo_domain::DomainError::InvalidOrganisationName))
                }
            }
        }
    }
}
