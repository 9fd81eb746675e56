//! Signing in: password (Argon2id), then TOTP, then a session stored in the database.
//! Unknown accounts are answered exactly like wrong passwords, at the same cost.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use secrecy::{ExposeSecret, SecretString};

use amparo_crypto::{FieldAad, TotpSecret, random_token};
use amparo_domain::{Actor, Email};
use amparo_store::{AuditOutcome, SessionRow, SessionStage, UserRow};

use crate::{Amparo, AppError, AppResult, Caller, Channel};

const SESSION_PURPOSE: &str = "session";
/// Sessions are written back only when last seen this long ago: an idle timeout measured to
/// the minute is as good, and it saves a durable write per request.
const TOUCH_EVERY_SECS: i64 = 30;

/// What the browser must do after a password was accepted. The token is the new session's
/// cookie value (a new id at every step: no session fixation).
#[derive(Clone)]
pub struct LoginOutcome {
    pub session_token: String,
    pub stage: SessionStage,
}

impl std::fmt::Debug for LoginOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginOutcome").field("stage", &self.stage).finish_non_exhaustive()
    }
}

/// A request's view of its session.
#[derive(Clone)]
pub struct SessionContext {
    pub actor: Actor,
    pub stage: SessionStage,
    pub email: String,
    pub name: String,
    pub language: amparo_domain::Language,
    pub must_change_password: bool,
    /// The value CSRF tokens of this session are bound to.
    pub csrf_binding: String,
    pub(crate) id_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionContext").field("actor", &self.actor).field("stage", &self.stage).finish_non_exhaustive()
    }
}

impl SessionContext {
    pub fn caller(&self) -> Caller {
        Caller::User { actor: self.actor, channel: Channel::Web }
    }
}

/// What the enrolment page shows: a QR code and the secret for manual entry.
#[derive(Clone)]
pub struct MfaEnrolment {
    pub qr_svg: String,
    pub secret_base32: String,
}

impl std::fmt::Debug for MfaEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaEnrolment(<redacted>)")
    }
}

fn mfa_aad(user: &UserRow) -> (String, [u8; 16]) {
    ("users".to_owned(), *user.id.as_bytes())
}

impl Amparo {
    fn session_hash(&self, token: &str) -> Vec<u8> {
        self.inner.keys.tokens().hash(SESSION_PURPOSE, token).to_vec()
    }

    fn mfa_required(&self, user: &UserRow) -> bool {
        !self.inner.config.mfa_exempt_roles.contains(&user.role)
    }

    /// The stage a user reaches once the password (and, where needed, MFA) is behind them.
    fn stage_after_password(&self, user: &UserRow) -> SessionStage {
        if self.mfa_required(user) {
            if user.mfa_enrolled { SessionStage::MfaChallenge } else { SessionStage::MfaEnrolment }
        } else {
            Self::stage_after_mfa(user)
        }
    }

    fn stage_after_mfa(user: &UserRow) -> SessionStage {
        if user.must_change_password { SessionStage::PasswordChange } else { SessionStage::Active }
    }

    /// Checks an email and password. Throttled per account (a lock after more than
    /// `max_failed_logins` failures in the window, doubling with each further lock) and per
    /// address. Every attempt is audited.
    pub async fn login(&self, email: &str, password: SecretString, ip: IpAddr) -> AppResult<LoginOutcome> {
        let now = self.now();
        let mut draft = self.anonymous_draft(Channel::Web, "login", AuditOutcome::Failed);

        if let Err(wait) = self.inner.ip_limit.attempt(ip, now) {
            draft.detail = Some("ip_throttled".into());
            self.inner.auditor.record(vec![draft]).await?;
            return Err(AppError::TooManyAttempts { retry_after_secs: wait });
        }

        let user = match Email::parse(email) {
            Ok(e) => self.inner.store.user_by_email(e.as_str()).await?,
            Err(_) => None,
        };
        let Some(user) = user.filter(|u| !u.disabled) else {
            // Same cost and same answer as a wrong password: no account enumeration.
            self.inner.passwords.verify_dummy(password).await?;
            draft.detail = Some("unknown_or_disabled_account".into());
            self.inner.auditor.record(vec![draft]).await?;
            return Err(AppError::WrongCredentials);
        };
        draft.org = Some(user.org);
        draft.actor = Some(user.id);
        draft.target_kind = Some("user".into());
        draft.target_id = Some(*user.id.as_uuid());

        if let Some(until) = user.locked_until.filter(|u| *u > now) {
            draft.detail = Some("account_locked".into());
            self.inner.auditor.record(vec![draft]).await?;
            return Err(AppError::TooManyAttempts { retry_after_secs: secs_until(until, now) });
        }

        let ok = self.inner.passwords.verify(password.clone(), user.password_hash.clone()).await?;
        if !ok {
            return Err(self.count_failure(user.id, draft, "wrong_password").await);
        }

        let mut tx = self.inner.store.begin().await?;
        let mut fresh = tx.user_for_update(user.id).await?.ok_or(AppError::WrongCredentials)?;
        // Guesses sent in parallel may have locked the account while this one was hashing:
        // a lock holds even against the right password.
        if let Some(until) = fresh.locked_until.filter(|u| *u > now) {
            drop(tx);
            draft.detail = Some("account_locked".into());
            self.inner.auditor.record(vec![draft]).await?;
            return Err(AppError::TooManyAttempts { retry_after_secs: secs_until(until, now) });
        }
        fresh.failed_logins = 0;
        fresh.first_failed_at = None;
        fresh.locked_until = None;
        fresh.lock_count = 0;
        if self.inner.passwords.needs_rehash(&fresh.password_hash) {
            fresh.password_hash = self.inner.passwords.hash(password).await?;
        }
        let fresh = tx.update_user(&fresh).await?;
        let stage = self.stage_after_password(&fresh);
        let token = random_token();
        tx.insert_session(&SessionRow {
            id_hash: self.session_hash(&token),
            user: fresh.id,
            stage,
            created_at: now,
            last_seen_at: now,
        })
        .await?;
        draft.outcome = AuditOutcome::Ok;
        draft.action = "login.password".into();
        self.inner.auditor.commit_with(tx, &[draft]).await?;
        Ok(LoginOutcome { session_token: token, stage })
    }

    /// Counts a failed password or MFA code; locks the account past the limit.
    pub(crate) async fn count_failure(
        &self,
        user: amparo_domain::UserId,
        draft: amparo_store::AuditDraft,
        why: &str,
    ) -> AppError {
        let now = self.now();
        let cfg = &self.inner.config;
        // Optimistic concurrency may refuse a write when failures arrive together: try again,
        // so that no failure goes uncounted.
        let mut result: AppResult<()> = Err(AppError::Conflict);
        for _ in 0..5 {
            result = self.count_failure_once(user, draft.clone(), why, now, cfg).await;
            if !matches!(result, Err(AppError::Conflict)) {
                break;
            }
        }
        match result {
            Ok(()) => AppError::WrongCredentials,
            Err(e) => e,
        }
    }

    async fn count_failure_once(
        &self,
        user: amparo_domain::UserId,
        mut draft: amparo_store::AuditDraft,
        why: &str,
        now: DateTime<Utc>,
        cfg: &crate::AppConfig,
    ) -> AppResult<()> {
        let mut tx = self.inner.store.begin().await?;
        let Some(mut u) = tx.user_for_update(user).await? else { return Ok(()) };
        let in_window = u.first_failed_at.is_some_and(|t| now - t < cfg.failure_window);
        if in_window {
            u.failed_logins += 1;
        } else {
            u.failed_logins = 1;
            u.first_failed_at = Some(now);
        }
        draft.detail = Some(why.to_owned());
        if u.failed_logins > cfg.max_failed_logins {
            let factor = 2i32.saturating_pow(u32::try_from(u.lock_count.clamp(0, 16)).unwrap_or(16));
            let lock = (cfg.first_lock * factor).min(cfg.max_lock);
            u.locked_until = Some(now + lock);
            u.lock_count += 1;
            u.failed_logins = 0;
            u.first_failed_at = None;
            draft.detail = Some(format!("{why}.account_locked"));
        }
        tx.update_user(&u).await?;
        self.inner.auditor.commit_with(tx, &[draft]).await
    }

    /// Refuses any check of a secret (password or code) while the account is locked.
    pub(crate) fn refuse_if_locked(&self, user: &UserRow) -> AppResult<()> {
        let now = self.now();
        match user.locked_until.filter(|u| *u > now) {
            Some(until) => Err(AppError::TooManyAttempts { retry_after_secs: secs_until(until, now) }),
            None => Ok(()),
        }
    }

    /// The session behind a cookie value, if it is still valid. Ends sessions that timed
    /// out, or whose user was disabled.
    pub async fn session(&self, token: &str) -> AppResult<SessionContext> {
        let now = self.now();
        let id_hash = self.session_hash(token);
        let row = self.inner.store.session(&id_hash).await?.ok_or(AppError::Unauthenticated)?;
        let user = self.inner.store.user(row.user).await?;
        let expired = now - row.last_seen_at >= self.inner.config.session_idle
            || now - row.created_at >= self.inner.config.session_absolute;
        let user = match user {
            Some(u) if !u.disabled && !expired => u,
            _ => {
                let mut tx = self.inner.store.begin().await?;
                tx.delete_session(&id_hash).await?;
                tx.commit().await?;
                return Err(AppError::Unauthenticated);
            }
        };
        if now - row.last_seen_at >= Duration::seconds(TOUCH_EVERY_SECS) {
            let mut tx = self.inner.store.begin().await?;
            tx.update_session(&SessionRow { last_seen_at: now, ..row.clone() }).await?;
            tx.commit().await?;
        }
        // The clearance is worked out afresh on every request: the day a volunteer's access
        // opens (or a training expires) takes effect without signing in again.
        let actor = self.actor_of(&user).await?;
        Ok(SessionContext {
            actor,
            stage: row.stage,
            email: user.email,
            name: user.name,
            language: user.language,
            must_change_password: user.must_change_password,
            csrf_binding: hex::encode(&id_hash),
            id_hash,
        })
    }

    /// Ends this session.
    pub async fn logout(&self, ctx: &SessionContext) -> AppResult<()> {
        let mut tx = self.inner.store.begin().await?;
        tx.delete_session(&ctx.id_hash).await?;
        let d = self.draft(&ctx.caller(), "logout", AuditOutcome::Ok);
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// Starts (or shows again) MFA enrolment for a session at that stage.
    pub async fn mfa_enrolment(&self, ctx: &SessionContext) -> AppResult<MfaEnrolment> {
        if ctx.stage != SessionStage::MfaEnrolment {
            return Err(AppError::StepPending);
        }
        let user = self.inner.store.user(ctx.actor.user).await?.ok_or(AppError::Unauthenticated)?;
        let secret = match &user.mfa_secret {
            Some(sealed) => self.open_mfa_secret(&user, sealed)?,
            None => {
                let secret = TotpSecret::generate();
                let mut tx = self.inner.store.begin().await?;
                let mut u = tx.user_for_update(user.id).await?.ok_or(AppError::Unauthenticated)?;
                u.mfa_secret = Some(self.seal_mfa_secret(&u, &secret));
                tx.update_user(&u).await?;
                tx.commit().await?;
                secret
            }
        };
        let uri = secret.otpauth_uri(&self.inner.config.totp_issuer, &user.email);
        Ok(MfaEnrolment { qr_svg: amparo_crypto::qr_svg(&uri, "QR")?, secret_base32: secret.base32() })
    }

    fn seal_mfa_secret(&self, user: &UserRow, secret: &TotpSecret) -> Vec<u8> {
        let (table, row) = mfa_aad(user);
        self.inner.keys.seal_secret(&FieldAad { table: &table, column: "mfa_secret", row: &row }, secret.as_bytes())
    }

    fn open_mfa_secret(&self, user: &UserRow, sealed: &[u8]) -> AppResult<TotpSecret> {
        let (table, row) = mfa_aad(user);
        let plain =
            self.inner.keys.open_secret(&FieldAad { table: &table, column: "mfa_secret", row: &row }, sealed)?;
        TotpSecret::from_bytes(plain.to_vec()).map_err(|_| AppError::Integrity("mfa_secret".into()))
    }

    /// Confirms enrolment (stage MfaEnrolment) or answers the challenge (stage MfaChallenge)
    /// with a TOTP code. A code is good once. On success the session is replaced by a new one.
    pub async fn submit_mfa_code(&self, ctx: &SessionContext, code: &str) -> AppResult<LoginOutcome> {
        let action = match ctx.stage {
            SessionStage::MfaEnrolment => "mfa.enrol",
            SessionStage::MfaChallenge => "login.mfa",
            _ => return Err(AppError::StepPending),
        };
        let now = self.now();
        let mut tx = self.inner.store.begin().await?;
        let mut u = tx.user_for_update(ctx.actor.user).await?.ok_or(AppError::Unauthenticated)?;
        // Wrong codes count as failed sign-ins: once the account locks, no code is tried.
        self.refuse_if_locked(&u)?;
        let sealed = u.mfa_secret.clone().ok_or(AppError::StepPending)?;
        let secret = self.open_mfa_secret(&u, &sealed)?;
        let mut draft = self.draft(&ctx.caller(), action, AuditOutcome::Failed);
        let step = match secret.verify(code, now.timestamp(), u.mfa_last_step) {
            Ok(step) => step,
            Err(_) => {
                drop(tx);
                return match self.count_failure(u.id, draft, "wrong_mfa_code").await {
                    AppError::WrongCredentials => Err(AppError::WrongMfaCode),
                    other => Err(other),
                };
            }
        };
        u.mfa_last_step = Some(step);
        let first_enrolment = !u.mfa_enrolled;
        u.mfa_enrolled = true;
        u.failed_logins = 0;
        u.first_failed_at = None;
        let u = tx.update_user(&u).await?;
        if first_enrolment {
            // A new second factor ends every other session of the user.
            tx.delete_sessions_of_user(u.id).await?;
        } else {
            tx.delete_session(&ctx.id_hash).await?;
        }
        let stage = Self::stage_after_mfa(&u);
        let token = random_token();
        tx.insert_session(&SessionRow {
            id_hash: self.session_hash(&token),
            user: u.id,
            stage,
            created_at: now,
            last_seen_at: now,
        })
        .await?;
        draft.outcome = AuditOutcome::Ok;
        self.inner.auditor.commit_with(tx, &[draft]).await?;
        Ok(LoginOutcome { session_token: token, stage })
    }

    /// Changes one's own password, confirmed with the current one. Ends every session of
    /// the user and returns a new one.
    pub async fn change_own_password(
        &self,
        ctx: &SessionContext,
        current: SecretString,
        new: SecretString,
    ) -> AppResult<LoginOutcome> {
        if !matches!(ctx.stage, SessionStage::Active | SessionStage::PasswordChange) {
            return Err(AppError::StepPending);
        }
        let user = self.inner.store.user(ctx.actor.user).await?.ok_or(AppError::Unauthenticated)?;
        self.refuse_if_locked(&user)?;
        let org_name = self.inner.store.organisation(user.org).await?.map(|o| o.name).unwrap_or_default();
        self.check_password_policy(&user, &org_name, new.expose_secret())?;
        if !self.inner.passwords.verify(current, user.password_hash.clone()).await? {
            let d = self.draft(&ctx.caller(), "password.change", AuditOutcome::Failed);
            return Err(match self.count_failure(user.id, d, "wrong_current_password").await {
                AppError::WrongCredentials => AppError::WrongCurrentPassword,
                other => other,
            });
        }
        let hash = self.inner.passwords.hash(new).await?;
        let now = self.now();
        let mut tx = self.inner.store.begin().await?;
        let mut u = tx.user_for_update(user.id).await?.ok_or(AppError::Unauthenticated)?;
        u.password_hash = hash;
        u.must_change_password = false;
        let u = tx.update_user(&u).await?;
        tx.delete_sessions_of_user(u.id).await?;
        let token = random_token();
        let stage = SessionStage::Active;
        tx.insert_session(&SessionRow {
            id_hash: self.session_hash(&token),
            user: u.id,
            stage,
            created_at: now,
            last_seen_at: now,
        })
        .await?;
        let d = self.draft(&ctx.caller(), "password.change", AuditOutcome::Ok);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(LoginOutcome { session_token: token, stage })
    }

    /// Resets one's own MFA, confirmed with the password: every session ends, and the next
    /// sign-in enrols a new authenticator.
    pub async fn reset_own_mfa(&self, ctx: &SessionContext, password: SecretString) -> AppResult<()> {
        if ctx.stage != SessionStage::Active {
            return Err(AppError::StepPending);
        }
        let user = self.inner.store.user(ctx.actor.user).await?.ok_or(AppError::Unauthenticated)?;
        self.refuse_if_locked(&user)?;
        if !self.inner.passwords.verify(password, user.password_hash.clone()).await? {
            let d = self.draft(&ctx.caller(), "mfa.reset", AuditOutcome::Failed);
            return Err(match self.count_failure(user.id, d, "wrong_current_password").await {
                AppError::WrongCredentials => AppError::WrongCurrentPassword,
                other => other,
            });
        }
        let mut tx = self.inner.store.begin().await?;
        let mut u = tx.user_for_update(user.id).await?.ok_or(AppError::Unauthenticated)?;
        clear_mfa(&mut u);
        tx.update_user(&u).await?;
        tx.delete_sessions_of_user(u.id).await?;
        let d = self.draft(&ctx.caller(), "mfa.reset", AuditOutcome::Ok);
        self.inner.auditor.commit_with(tx, &[d]).await
    }

    /// Checks a new password against the policy, with the user's own words as context.
    pub(crate) fn check_password_policy(&self, user: &UserRow, org: &str, password: &str) -> AppResult<()> {
        let local = user.email.split('@').next().unwrap_or_default().to_owned();
        let context = [local.as_str(), user.name.as_str(), org];
        amparo_domain::password::check(password, &context)
            .map_err(|p| AppError::invalid("password", amparo_domain::DomainError::Password(p)))
    }
}

pub(crate) fn clear_mfa(u: &mut UserRow) {
    u.mfa_secret = None;
    u.mfa_enrolled = false;
    u.mfa_last_step = None;
}

fn secs_until(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1)
}
