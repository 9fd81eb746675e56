//! Write transactions (READ COMMITTED); the audit head row is the chain's lock.

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{Postgres, Transaction};

use amparo_domain::{ApiTokenId, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditHead, AuditLinker, AuditRecord, OrganisationRow, SessionRow, SetupTokenRow,
    StoreError, StoreResult, UserRow, WriteTx,
};

use crate::error::{bad_value, map_err};
use crate::{micros, user_from_row};

pub(crate) struct PostgresTx {
    tx: Transaction<'static, Postgres>,
}

impl PostgresTx {
    pub(crate) fn new(tx: Transaction<'static, Postgres>) -> Self {
        PostgresTx { tx }
    }
}

#[async_trait]
impl WriteTx for PostgresTx {
    async fn insert_organisation(&mut self, row: &OrganisationRow) -> StoreResult<()> {
        sqlx::query("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(row.id.as_uuid())
            .bind(&row.name)
            .bind(micros(row.created_at))
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn insert_user(&mut self, row: &UserRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO users (id, org_id, email, name, role, language, password_hash, must_change_password,
                                mfa_secret, mfa_enrolled, mfa_last_step, disabled, failed_logins,
                                first_failed_at, locked_until, lock_count, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(row.id.as_uuid())
        .bind(row.org.as_uuid())
        .bind(&row.email)
        .bind(&row.name)
        .bind(row.role.code())
        .bind(row.language.code())
        .bind(&row.password_hash)
        .bind(row.must_change_password)
        .bind(row.mfa_secret.as_deref())
        .bind(row.mfa_enrolled)
        .bind(row.mfa_last_step)
        .bind(row.disabled)
        .bind(row.failed_logins)
        .bind(row.first_failed_at.map(micros))
        .bind(row.locked_until.map(micros))
        .bind(row.lock_count)
        .bind(row.version)
        .bind(micros(row.created_at))
        .bind(micros(row.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn user_for_update(&mut self, id: UserId) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query(select_users!("WHERE id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn update_user(&mut self, row: &UserRow) -> StoreResult<UserRow> {
        // The organisation and creation time of a user never change.
        let updated_at = Utc::now().trunc_subsecs(6);
        let stored = sqlx::query(concat!(
            "UPDATE users
             SET email = $1, name = $2, role = $3, language = $4, password_hash = $5,
                 must_change_password = $6, mfa_secret = $7, mfa_enrolled = $8, mfa_last_step = $9,
                 disabled = $10, failed_logins = $11, first_failed_at = $12, locked_until = $13,
                 lock_count = $14, version = version + 1, updated_at = $15
             WHERE id = $16 AND version = $17
             RETURNING ",
            user_columns!()
        ))
        .bind(&row.email)
        .bind(&row.name)
        .bind(row.role.code())
        .bind(row.language.code())
        .bind(&row.password_hash)
        .bind(row.must_change_password)
        .bind(row.mfa_secret.as_deref())
        .bind(row.mfa_enrolled)
        .bind(row.mfa_last_step)
        .bind(row.disabled)
        .bind(row.failed_logins)
        .bind(row.first_failed_at.map(micros))
        .bind(row.locked_until.map(micros))
        .bind(row.lock_count)
        .bind(updated_at)
        .bind(row.id.as_uuid())
        .bind(row.version)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(map_err)?;
        match stored {
            Some(stored) => user_from_row(&stored),
            None if self.user_for_update(row.id).await?.is_some() => Err(StoreError::Conflict),
            None => Err(StoreError::NotFound),
        }
    }

    async fn insert_session(&mut self, row: &SessionRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&row.id_hash)
        .bind(row.user.as_uuid())
        .bind(row.stage.code())
        .bind(micros(row.created_at))
        .bind(micros(row.last_seen_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_session(&mut self, row: &SessionRow) -> StoreResult<()> {
        let done = sqlx::query("UPDATE sessions SET stage = $1, last_seen_at = $2 WHERE id_hash = $3")
            .bind(row.stage.code())
            .bind(micros(row.last_seen_at))
            .bind(&row.id_hash)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_session(&mut self, id_hash: &[u8]) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_sessions_of_user(&mut self, user: UserId) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn delete_sessions_before(
        &mut self,
        last_seen_before: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(micros(last_seen_before))
            .bind(micros(created_before))
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn insert_api_token(&mut self, row: &ApiTokenRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.as_uuid())
        .bind(row.user.as_uuid())
        .bind(&row.name)
        .bind(&row.token_hash)
        .bind(micros(row.created_at))
        .bind(row.last_used_at.map(micros))
        .bind(row.revoked_at.map(micros))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(micros(at))
            .bind(id.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn touch_api_token(&mut self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(micros(at))
            .bind(id.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn insert_setup_token(&mut self, row: &SetupTokenRow) -> StoreResult<()> {
        sqlx::query("INSERT INTO setup_tokens (token_hash, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4)")
            .bind(&row.token_hash)
            .bind(micros(row.created_at))
            .bind(micros(row.expires_at))
            .bind(row.used_at.map(micros))
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn use_setup_token(&mut self, token_hash: &[u8], at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(micros(at))
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn append_audit(&mut self, drafts: &[AuditDraft], linker: &dyn AuditLinker) -> StoreResult<AuditHead> {
        // The head row is the chain's lock: a concurrent appender waits here until this
        // transaction ends, then reads the head this one left.
        let (mut seq, mut hash): (i64, Vec<u8>) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(map_err)?
                .ok_or_else(|| bad_value("audit_head"))?;
        for draft in drafts {
            seq += 1;
            let next = linker.link(&hash, &AuditRecord::canonical_bytes(seq, draft));
            sqlx::query(
                "INSERT INTO audit_events (seq, at, org_id, actor_id, channel, action, target_kind, target_id,
                                           outcome, detail, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(seq)
            .bind(micros(draft.at))
            .bind(draft.org.as_ref().map(|o| *o.as_uuid()))
            .bind(draft.actor.as_ref().map(|a| *a.as_uuid()))
            .bind(&draft.channel)
            .bind(&draft.action)
            .bind(draft.target_kind.as_deref())
            .bind(draft.target_id)
            .bind(draft.outcome.code())
            .bind(draft.detail.as_deref())
            .bind(&hash)
            .bind(&next)
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
            hash = next;
        }
        if !drafts.is_empty() {
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&hash)
                .execute(&mut *self.tx)
                .await
                .map_err(map_err)?;
        }
        Ok(AuditHead { seq, hash })
    }

    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(map_err)
    }
}
