//! API tokens: named, stored only as a keyed hash, revocable, audited. A token acts as its
//! user and obeys exactly the same access rules.

use chrono::Duration;

use amparo_crypto::random_token;
use amparo_domain::{Action, Actor, ApiTokenId, Email, Resource, authorize};
use amparo_store::{ApiTokenRow, AuditOutcome};

use crate::{Amparo, AppError, AppResult, Caller};

const TOKEN_PURPOSE: &str = "api_token";
/// Prefix that makes a leaked token easy to recognise in a secret scanner.
const TOKEN_PREFIX: &str = "amparo_";

/// A token as created: the secret is shown once.
#[derive(Clone)]
pub struct CreatedToken {
    pub id: ApiTokenId,
    pub secret: String,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Amparo {
    fn token_hash(&self, token: &str) -> Vec<u8> {
        self.inner.keys.tokens().hash(TOKEN_PURPOSE, token).to_vec()
    }

    /// Creates a token for the user with this email. The caller must manage that user's
    /// organisation (or be the operator).
    pub async fn create_api_token(&self, caller: &Caller, email: &str, name: &str) -> AppResult<CreatedToken> {
        let email = Email::parse(email).map_err(|e| AppError::invalid("email", e))?;
        let name = amparo_domain::DisplayName::parse(name).map_err(|e| AppError::invalid("name", e))?;
        let user = self.inner.store.user_by_email(email.as_str()).await?.ok_or(AppError::NotFound)?;
        // A token acts as its user: only the operator, or the user themself, may make one
        // (an administrator minting a supervisor's token would read what they may not).
        if let Caller::User { actor, .. } = caller
            && actor.user != user.id
        {
            let reason = match authorize(actor, Action::ManageUsers, Resource::Organisation(user.org)) {
                Err(amparo_domain::Denied::OtherOrganisation) => amparo_domain::Denied::OtherOrganisation,
                _ => amparo_domain::Denied::RoleLacksPermission,
            };
            return Err(self.denied(caller, "token.create", reason).await);
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let row = ApiTokenRow {
            id: ApiTokenId::new(),
            user: user.id,
            name: name.as_str().to_owned(),
            token_hash: self.token_hash(&secret),
            created_at: self.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_api_token(&row).await?;
        let mut d = self.draft(caller, "token.create", AuditOutcome::Ok);
        d.org = Some(user.org);
        d.target_kind = Some("api_token".into());
        d.target_id = Some(*row.id.as_uuid());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(CreatedToken { id: row.id, secret })
    }

    /// Revokes a token by the secret itself or by its id.
    pub async fn revoke_api_token(&self, caller: &Caller, token_or_id: &str) -> AppResult<()> {
        let row = match token_or_id.parse::<ApiTokenId>() {
            Ok(id) => self.inner.store.api_token(id).await?,
            Err(_) => self.inner.store.api_token_by_hash(&self.token_hash(token_or_id.trim())).await?,
        }
        .ok_or(AppError::NotFound)?;
        let owner = self.inner.store.user(row.user).await?.ok_or(AppError::NotFound)?;
        // Users may revoke their own tokens; others' need the right to manage users.
        if let Caller::User { actor, .. } = caller
            && actor.user != owner.id
            && let Err(reason) = authorize(actor, Action::ManageUsers, Resource::Organisation(owner.org))
        {
            return Err(self.denied(caller, "token.revoke", reason).await);
        }
        let mut tx = self.inner.store.begin().await?;
        if !tx.revoke_api_token(row.id, self.now()).await? {
            return Err(AppError::NotFound);
        }
        let mut d = self.draft(caller, "token.revoke", AuditOutcome::Ok);
        d.org = Some(owner.org);
        d.target_kind = Some("api_token".into());
        d.target_id = Some(*row.id.as_uuid());
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// The actor behind a bearer token, if it is valid and its user is enabled.
    pub async fn authenticate_token(&self, token: &str) -> AppResult<Actor> {
        let row = self
            .inner
            .store
            .api_token_by_hash(&self.token_hash(token.trim()))
            .await?
            .filter(|t| t.revoked_at.is_none())
            .ok_or(AppError::Unauthenticated)?;
        let user = self.inner.store.user(row.user).await?.filter(|u| !u.disabled).ok_or(AppError::Unauthenticated)?;
        let now = self.now();
        if row.last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
            let mut tx = self.inner.store.begin().await?;
            tx.touch_api_token(row.id, now).await?;
            tx.commit().await?;
        }
        self.actor_of(&user).await
    }
}
