//! Write transactions (READ COMMITTED); the audit head row is the chain's lock.

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{Postgres, Transaction};

use amparo_domain::{ApiTokenId, CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditHead, AuditLinker, AuditRecord, BreakGlassRow, CaseRow, CaseStatusRow, ConsentRow,
    ErasureRow, OrganisationRow, OutreachRow, PersonRow, SessionRow, SetupTokenRow, StoreError, StoreResult, UserRow,
    WriteTx,
};

use crate::error::{bad_value, map_err};
use crate::records::{case_from_row, distinct, list, person_from_row};
use crate::{micros, user_from_row};

/// Audit rows a single INSERT carries (PostgreSQL allows 65,535 bound values a statement; twelve columns a row).
const AUDIT_ROWS_PER_INSERT: usize = 1000;

pub(crate) struct PostgresTx {
    tx: Transaction<'static, Postgres>,
}

impl PostgresTx {
    pub(crate) fn new(tx: Transaction<'static, Postgres>) -> Self {
        PostgresTx { tx }
    }

    async fn person_for_update(&mut self, id: PersonId) -> StoreResult<Option<PersonRow>> {
        let row = sqlx::query(select_persons!("WHERE id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(person_from_row).transpose()
    }

    /// Inserts the team of a stored case, each member once, in the order given. The rows take
    /// the organisation of the stored case.
    async fn insert_team(&mut self, case: CaseId, team: &[UserId]) -> StoreResult<()> {
        for (position, user) in distinct(team).iter().enumerate() {
            sqlx::query(
                "INSERT INTO case_team (case_id, org_id, user_id, position)
                 SELECT id, org_id, $1, $2 FROM cases WHERE id = $3",
            )
            .bind(user.as_uuid())
            .bind(i32::try_from(position).map_err(|_| StoreError::Database("the team is too large".into()))?)
            .bind(case.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        }
        Ok(())
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
        // Row lock: concurrent sign-in failures are counted one after another, none lost.
        let row = sqlx::query(select_users!("WHERE id = $1 FOR UPDATE"))
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

    async fn insert_person(&mut self, row: &PersonRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO persons (id, org_id, created_by, wrapped_key, gender, birth_year, age_band, citizenship,
                                  primary_language, other_languages, interpreter_needed, household_size,
                                  dependants, safe_contact_confirmed_at, identity, safe_contact, narrative,
                                  version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        )
        .bind(row.id.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.created_by.map(|u| *u.as_uuid()))
        .bind(&row.wrapped_key)
        .bind(row.gender.as_deref())
        .bind(row.birth_year)
        .bind(row.age_band.as_deref())
        .bind(list(&row.citizenship)?)
        .bind(row.primary_language.as_deref())
        .bind(list(&row.other_languages)?)
        .bind(row.interpreter_needed.as_deref())
        .bind(row.household_size)
        .bind(row.dependants)
        .bind(row.safe_contact_confirmed_at.map(micros))
        .bind(&row.identity)
        .bind(row.safe_contact.as_deref())
        .bind(row.narrative.as_deref())
        .bind(row.version)
        .bind(micros(row.created_at))
        .bind(micros(row.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_person(&mut self, row: &PersonRow) -> StoreResult<PersonRow> {
        // The organisation, creator and creation time of a person never change.
        let updated_at = Utc::now().trunc_subsecs(6);
        let done = sqlx::query(
            "UPDATE persons
             SET wrapped_key = $1, gender = $2, birth_year = $3, age_band = $4, citizenship = $5, primary_language = $6,
                 other_languages = $7, interpreter_needed = $8, household_size = $9, dependants = $10,
                 safe_contact_confirmed_at = $11, identity = $12, safe_contact = $13, narrative = $14,
                 version = version + 1, updated_at = $15
             WHERE id = $16 AND version = $17",
        )
        .bind(&row.wrapped_key)
        .bind(row.gender.as_deref())
        .bind(row.birth_year)
        .bind(row.age_band.as_deref())
        .bind(list(&row.citizenship)?)
        .bind(row.primary_language.as_deref())
        .bind(list(&row.other_languages)?)
        .bind(row.interpreter_needed.as_deref())
        .bind(row.household_size)
        .bind(row.dependants)
        .bind(row.safe_contact_confirmed_at.map(micros))
        .bind(&row.identity)
        .bind(row.safe_contact.as_deref())
        .bind(row.narrative.as_deref())
        .bind(micros(updated_at))
        .bind(row.id.as_uuid())
        .bind(row.version)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        let stored = self.person_for_update(row.id).await?;
        match stored {
            Some(stored) if done.rows_affected() == 1 => Ok(stored),
            Some(_) => Err(StoreError::Conflict),
            None => Err(StoreError::NotFound),
        }
    }

    async fn set_search_tokens(&mut self, org: OrgId, person: PersonId, tokens: &[String]) -> StoreResult<()> {
        sqlx::query("DELETE FROM person_search_tokens WHERE person_id = $1")
            .bind(person.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        // One statement for all of a person's tokens (about twenty with type-ahead prefixes).
        let tokens: Vec<String> = distinct(tokens);
        if tokens.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO person_search_tokens (org_id, token, person_id) SELECT $1, t, $2 FROM UNNEST($3::text[]) AS t",
        )
        .bind(org.as_uuid())
        .bind(person.as_uuid())
        .bind(&tokens)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn next_case_seq(&mut self, org: OrgId, year: i32) -> StoreResult<i64> {
        // The upsert locks the counter row until this transaction ends: a concurrent writer
        // waits, then counts on from the number this one took.
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO case_counters (org_id, year, next) VALUES ($1, $2, 2)
             ON CONFLICT (org_id, year) DO UPDATE SET next = case_counters.next + 1
             RETURNING next - 1",
        )
        .bind(org.as_uuid())
        .bind(year)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(seq)
    }

    async fn insert_case_status(&mut self, row: &CaseStatusRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO case_status_changes
                 (case_id, org_id, seq, status, closure_reason, on_date, changed_by, changed_at)
             VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM case_status_changes WHERE case_id = $1),
                     $3, $4, $5, $6, $7)",
        )
        .bind(row.case.as_uuid())
        .bind(row.org.as_uuid())
        .bind(&row.status)
        .bind(row.closure_reason.as_deref())
        .bind(row.on_date)
        .bind(row.changed_by.map(|u| *u.as_uuid()))
        .bind(row.changed_at)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn insert_case(&mut self, row: &CaseRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO cases (id, org_id, person_id, number, status, closure_reason, trafficking_status,
                                status_decided_by, exploitation_types, means_of_control, recruitment, countries,
                                places, opened_on, closed_on, assigned_to, restricted, created_by, version,
                                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
        )
        .bind(row.id.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.person.as_uuid())
        .bind(&row.number)
        .bind(&row.status)
        .bind(row.closure_reason.as_deref())
        .bind(row.trafficking_status.as_deref())
        .bind(row.status_decided_by.as_deref())
        .bind(list(&row.exploitation_types)?)
        .bind(list(&row.means_of_control)?)
        .bind(row.recruitment.as_deref())
        .bind(list(&row.countries)?)
        .bind(list(&row.places)?)
        .bind(row.opened_on)
        .bind(row.closed_on)
        .bind(row.assigned_to.map(|u| *u.as_uuid()))
        .bind(row.restricted)
        .bind(row.created_by.map(|u| *u.as_uuid()))
        .bind(row.version)
        .bind(micros(row.created_at))
        .bind(micros(row.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        self.insert_team(row.id, &row.team).await
    }

    async fn case_for_update(&mut self, id: CaseId) -> StoreResult<Option<CaseRow>> {
        let row = sqlx::query(select_cases!("WHERE c.id = $1"))
            .bind(id.as_uuid())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_err)?;
        row.as_ref().map(case_from_row).transpose()
    }

    async fn update_case(&mut self, row: &CaseRow) -> StoreResult<CaseRow> {
        // The organisation, person, number, creator and creation time of a case never change.
        let updated_at = Utc::now().trunc_subsecs(6);
        let done = sqlx::query(
            "UPDATE cases
             SET status = $1, closure_reason = $2, trafficking_status = $3, status_decided_by = $4,
                 exploitation_types = $5, means_of_control = $6, recruitment = $7, countries = $8, places = $9,
                 opened_on = $10, closed_on = $11, assigned_to = $12, restricted = $13,
                 version = version + 1, updated_at = $14
             WHERE id = $15 AND version = $16",
        )
        .bind(&row.status)
        .bind(row.closure_reason.as_deref())
        .bind(row.trafficking_status.as_deref())
        .bind(row.status_decided_by.as_deref())
        .bind(list(&row.exploitation_types)?)
        .bind(list(&row.means_of_control)?)
        .bind(row.recruitment.as_deref())
        .bind(list(&row.countries)?)
        .bind(list(&row.places)?)
        .bind(row.opened_on)
        .bind(row.closed_on)
        .bind(row.assigned_to.map(|u| *u.as_uuid()))
        .bind(row.restricted)
        .bind(micros(updated_at))
        .bind(row.id.as_uuid())
        .bind(row.version)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return match self.case_for_update(row.id).await? {
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            };
        }
        sqlx::query("DELETE FROM case_team WHERE case_id = $1")
            .bind(row.id.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        self.insert_team(row.id, &row.team).await?;
        self.case_for_update(row.id).await?.ok_or(StoreError::NotFound)
    }

    async fn insert_break_glass(&mut self, row: &BreakGlassRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO break_glass (id, org_id, case_id, user_id, reason, granted_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id)
        .bind(row.org.as_uuid())
        .bind(row.case.as_uuid())
        .bind(row.user.as_uuid())
        .bind(&row.reason)
        .bind(micros(row.granted_at))
        .bind(micros(row.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn insert_consent(&mut self, row: &ConsentRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO consents (id, org_id, person_id, recipient_partner, recipient_name, fields, purpose,
                                   expires_on, given_as, given_at, recorded_by, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(row.id.as_uuid())
        .bind(row.org.as_uuid())
        .bind(row.person.as_uuid())
        .bind(row.recipient_partner)
        .bind(row.recipient_name.as_deref())
        .bind(list(&row.fields)?)
        .bind(&row.purpose)
        .bind(row.expires_on)
        .bind(&row.given_as)
        .bind(micros(row.given_at))
        .bind(row.recorded_by.map(|u| *u.as_uuid()))
        .bind(row.revoked_at.map(micros))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_consent(&mut self, id: ConsentId, at: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE consents SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(micros(at))
            .bind(id.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_outreach(&mut self, row: &OutreachRow) -> StoreResult<()> {
        sqlx::query("INSERT INTO outreach (id, org_id, person_id, channel, at, by_id) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(row.id)
            .bind(row.org.as_uuid())
            .bind(row.person.as_uuid())
            .bind(&row.channel)
            .bind(micros(row.at))
            .bind(row.by.map(|u| *u.as_uuid()))
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn erase_person(&mut self, erasure: &ErasureRow) -> StoreResult<bool> {
        // The foreign keys cascade: cases (and their teams and grants), consents, outreach and
        // search tokens go with the person row, and its wrapped key with it.
        let done = sqlx::query("DELETE FROM persons WHERE id = $1 AND org_id = $2")
            .bind(erasure.person.as_uuid())
            .bind(erasure.org.as_uuid())
            .execute(&mut *self.tx)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.insert_erasure(erasure).await?;
        Ok(true)
    }

    async fn insert_erasure_request(&mut self, row: &amparo_store::ErasureRequestRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO erasure_requests (id, org_id, person_id, requested_by, reason, requested_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id)
        .bind(row.org.as_uuid())
        .bind(row.person.as_uuid())
        .bind(row.requested_by.as_uuid())
        .bind(&row.reason)
        .bind(micros(row.requested_at))
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn decide_erasure_request(
        &mut self,
        id: uuid::Uuid,
        by: UserId,
        approved: bool,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE erasure_requests SET decided_by = $1, decided_at = $2, approved = $3
             WHERE id = $4 AND approved IS NULL",
        )
        .bind(by.as_uuid())
        .bind(micros(at))
        .bind(approved)
        .bind(id)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_erasure(&mut self, erasure: &ErasureRow) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO erasures (person_id, org_id, erased_at, erased_by, reason) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (person_id) DO NOTHING",
        )
        .bind(erasure.person.as_uuid())
        .bind(erasure.org.as_uuid())
        .bind(micros(erasure.erased_at))
        .bind(erasure.erased_by.map(|u| *u.as_uuid()))
        .bind(&erasure.reason)
        .execute(&mut *self.tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn insert_case_entry(&mut self, row: &amparo_store::CaseEntryRow) -> StoreResult<()> {
        crate::casework::insert_case_entry(&mut self.tx, row).await
    }

    async fn insert_case_entries(&mut self, rows: &[amparo_store::CaseEntryRow]) -> StoreResult<()> {
        crate::casework::insert_case_entries(&mut self.tx, rows).await
    }

    async fn update_case_entry(&mut self, row: &amparo_store::CaseEntryRow) -> StoreResult<amparo_store::CaseEntryRow> {
        crate::casework::update_case_entry(&mut self.tx, row).await
    }

    async fn replace_derived_tasks(&mut self, source: uuid::Uuid, tasks: &[amparo_store::TaskRow]) -> StoreResult<()> {
        crate::casework::replace_derived_tasks(&mut self.tx, source, tasks).await
    }

    async fn insert_task(&mut self, row: &amparo_store::TaskRow) -> StoreResult<()> {
        crate::casework::insert_task(&mut self.tx, row).await
    }

    async fn insert_tasks(&mut self, rows: &[amparo_store::TaskRow]) -> StoreResult<()> {
        crate::casework::insert_tasks(&mut self.tx, rows).await
    }

    async fn complete_task(
        &mut self,
        id: amparo_domain::TaskId,
        version: i64,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> StoreResult<amparo_store::TaskRow> {
        crate::casework::complete_task(&mut self.tx, id, version, by, at).await
    }

    async fn attach_person_tasks(&mut self, person: PersonId, case: CaseId) -> StoreResult<()> {
        crate::casework::attach_person_tasks(&mut self.tx, person, case).await
    }

    async fn record_contact(
        &mut self,
        person: PersonId,
        case: Option<CaseId>,
        on: chrono::NaiveDate,
    ) -> StoreResult<()> {
        crate::casework::record_contact(&mut self.tx, person, case, on).await
    }

    async fn insert_document(&mut self, row: &amparo_store::DocumentRow, content: &[u8]) -> StoreResult<()> {
        crate::documents::insert(&mut self.tx, row, content).await
    }

    async fn delete_document(&mut self, org: OrgId, id: amparo_domain::records::DocumentId) -> StoreResult<bool> {
        crate::documents::delete(&mut self.tx, org, id).await
    }

    async fn insert_form_config(&mut self, row: &amparo_store::FormConfigRow) -> StoreResult<()> {
        crate::forms::insert_config(&mut self.tx, row).await
    }

    async fn save_organisation_settings(&mut self, row: &amparo_store::OrganisationSettingsRow) -> StoreResult<()> {
        crate::forms::save_settings(&mut self.tx, row).await
    }

    async fn put_custom_values(&mut self, row: &amparo_store::CustomValuesRow) -> StoreResult<()> {
        crate::forms::put_custom_values(&mut self.tx, row).await
    }

    async fn insert_screening(&mut self, row: &amparo_store::ScreeningRow) -> StoreResult<()> {
        crate::screenings::insert(&mut self.tx, row).await
    }

    async fn save_staff_profile(&mut self, row: &amparo_store::StaffProfileRow) -> StoreResult<()> {
        crate::staff::save_profile(&mut self.tx, row).await
    }

    async fn insert_training(&mut self, row: &amparo_store::TrainingRow) -> StoreResult<()> {
        crate::staff::insert_training(&mut self.tx, row).await
    }

    async fn delete_training(&mut self, org: OrgId, user: UserId, id: uuid::Uuid) -> StoreResult<bool> {
        crate::staff::delete_training(&mut self.tx, org, user, id).await
    }

    async fn save_access_policy(&mut self, row: &amparo_store::AccessPolicyRow) -> StoreResult<()> {
        crate::staff::save_policy(&mut self.tx, row).await
    }

    async fn insert_wellbeing_key(&mut self, row: &amparo_store::WellbeingKeyRow) -> StoreResult<bool> {
        crate::staff::insert_key(&mut self.tx, row).await
    }

    async fn insert_checkin(&mut self, row: &amparo_store::CheckInRow) -> StoreResult<()> {
        crate::staff::insert_checkin(&mut self.tx, row).await
    }

    async fn insert_safety_plan(&mut self, row: &amparo_store::SafetyPlanRow) -> StoreResult<()> {
        crate::safety::insert_plan(&mut self.tx, row).await
    }

    async fn insert_crisis_contact(&mut self, row: &amparo_store::CrisisContactRow) -> StoreResult<()> {
        crate::safety::insert_crisis(&mut self.tx, row).await
    }

    async fn insert_signal(&mut self, row: &amparo_store::SignalRow) -> StoreResult<()> {
        crate::signals::insert(&mut self.tx, row).await
    }

    async fn update_signal(&mut self, row: &amparo_store::SignalRow) -> StoreResult<amparo_store::SignalRow> {
        let now = crate::micros(chrono::Utc::now());
        crate::signals::update(&mut self.tx, row, now).await
    }

    async fn insert_outreach_event(&mut self, row: &amparo_store::OutreachEventRow) -> StoreResult<()> {
        crate::events::insert(&mut self.tx, row).await
    }

    async fn update_outreach_event(
        &mut self,
        row: &amparo_store::OutreachEventRow,
    ) -> StoreResult<amparo_store::OutreachEventRow> {
        let now = crate::micros(chrono::Utc::now());
        crate::events::update(&mut self.tx, row, now).await
    }

    async fn replace_retention_rules(
        &mut self,
        org: OrgId,
        rules: &[amparo_store::RetentionRuleRow],
    ) -> StoreResult<()> {
        crate::retention::replace_rules(&mut self.tx, org, rules).await
    }

    async fn purge_retention_field(
        &mut self,
        org: OrgId,
        rule: amparo_domain::retention::RetentionRule,
        record: uuid::Uuid,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        crate::retention::purge_field(&mut self.tx, org, rule, record, at).await
    }

    async fn insert_retention_purge(&mut self, row: &amparo_store::RetentionPurgeRow) -> StoreResult<()> {
        crate::retention::insert_purge(&mut self.tx, row).await
    }

    async fn insert_retention_run(&mut self, row: &amparo_store::RetentionRunRow) -> StoreResult<()> {
        crate::retention::insert_run(&mut self.tx, row).await
    }

    async fn put_kek_version(&mut self, row: &amparo_store::KekVersionRow) -> StoreResult<()> {
        crate::keys::put_version(&mut self.tx, row).await
    }

    async fn rewrap_key(
        &mut self,
        table: amparo_store::WrappedKeyTable,
        id: uuid::Uuid,
        old: &[u8],
        new: &[u8],
    ) -> StoreResult<bool> {
        crate::keys::rewrap(&mut self.tx, table, id, old, new).await
    }

    async fn epsilon_spent(
        &mut self,
        org: amparo_domain::OrgId,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<f64> {
        crate::releases::spent(&mut self.tx, org, from, to).await
    }

    async fn insert_release(&mut self, row: &amparo_store::ReleaseLedgerRow) -> StoreResult<()> {
        crate::releases::insert(&mut self.tx, row).await
    }

    async fn insert_installation_identity(&mut self, row: &amparo_store::IdentityRow) -> StoreResult<bool> {
        crate::referrals::insert_identity(&mut self.tx, row).await
    }

    async fn insert_partner(&mut self, row: &amparo_store::PartnerRow) -> StoreResult<()> {
        crate::referrals::insert_partner(&mut self.tx, row).await
    }

    async fn insert_referral(&mut self, row: &amparo_store::ReferralRow) -> StoreResult<()> {
        crate::referrals::insert_referral(&mut self.tx, row).await
    }

    async fn update_referral(&mut self, row: &amparo_store::ReferralRow) -> StoreResult<amparo_store::ReferralRow> {
        crate::referrals::update_referral(&mut self.tx, row).await
    }

    async fn insert_house(&mut self, row: &amparo_store::HouseRow) -> StoreResult<()> {
        crate::shelters::insert_house(&mut self.tx, row).await
    }

    async fn insert_bed(&mut self, row: &amparo_store::BedRow) -> StoreResult<()> {
        crate::shelters::insert_bed(&mut self.tx, row).await
    }

    async fn insert_stay(&mut self, row: &amparo_store::StayRow) -> StoreResult<amparo_store::StayPlaced> {
        crate::shelters::insert_stay(&mut self.tx, row).await
    }

    async fn check_out(
        &mut self,
        org: OrgId,
        id: amparo_domain::shelters::StayId,
        by: Option<UserId>,
        at: DateTime<Utc>,
        reason: &str,
    ) -> StoreResult<bool> {
        crate::shelters::check_out(&mut self.tx, org, id, by, at, reason).await
    }

    async fn insert_waitlist(&mut self, row: &amparo_store::WaitlistRow) -> StoreResult<()> {
        crate::shelters::insert_waitlist(&mut self.tx, row).await
    }

    async fn close_waitlist(
        &mut self,
        org: OrgId,
        id: amparo_domain::shelters::WaitlistId,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        crate::shelters::close_waitlist(&mut self.tx, org, id, status, at).await
    }

    async fn place_waiting(
        &mut self,
        house: amparo_domain::shelters::HouseId,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        crate::shelters::place_waiting(&mut self.tx, house, person, at).await
    }

    async fn insert_house_rule(&mut self, row: &amparo_store::HouseRuleRow) -> StoreResult<()> {
        crate::shelters::insert_rule(&mut self.tx, row).await
    }

    async fn insert_house_log(&mut self, row: &amparo_store::HouseLogRow) -> StoreResult<()> {
        crate::shelters::insert_log(&mut self.tx, row).await
    }

    async fn insert_placement_site(&mut self, row: &amparo_store::SiteRow) -> StoreResult<()> {
        crate::placements::insert_site(&mut self.tx, row).await
    }

    async fn insert_placement_need(&mut self, row: &amparo_store::NeedRow) -> StoreResult<()> {
        crate::placements::insert_need(&mut self.tx, row).await
    }

    async fn insert_placement(&mut self, row: &amparo_store::PlacementRow) -> StoreResult<()> {
        crate::placements::insert_placement(&mut self.tx, row).await
    }

    async fn update_placement(&mut self, row: &amparo_store::PlacementRow) -> StoreResult<amparo_store::PlacementRow> {
        crate::placements::update_placement(&mut self.tx, row).await
    }

    async fn save_weekly_availability(&mut self, row: &amparo_store::WeeklyAvailabilityRow) -> StoreResult<()> {
        crate::placements::save_availability(&mut self.tx, row).await
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
        let mut linked = Vec::with_capacity(drafts.len());
        for draft in drafts {
            seq += 1;
            let next = linker.link(&hash, &AuditRecord::canonical_bytes(seq, draft));
            linked.push((seq, draft, std::mem::replace(&mut hash, next.clone()), next));
        }
        // One statement per chunk rather than per entry (a search records one per person shown).
        for chunk in linked.chunks(AUDIT_ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<sqlx::Postgres>::new(
                "INSERT INTO audit_events (seq, at, org_id, actor_id, channel, action, target_kind, target_id,
                                           outcome, detail, prev_hash, hash) ",
            );
            sql.push_values(chunk, |mut row, (seq, draft, prev, next)| {
                row.push_bind(*seq)
                    .push_bind(micros(draft.at))
                    .push_bind(draft.org.map(|o| *o.as_uuid()))
                    .push_bind(draft.actor.map(|a| *a.as_uuid()))
                    .push_bind(draft.channel.clone())
                    .push_bind(draft.action.clone())
                    .push_bind(draft.target_kind.clone())
                    .push_bind(draft.target_id)
                    .push_bind(draft.outcome.code())
                    .push_bind(draft.detail.clone())
                    .push_bind(prev.clone())
                    .push_bind(next.clone());
            });
            sql.build().execute(&mut *self.tx).await.map_err(map_err)?;
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
