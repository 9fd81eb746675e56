//! Configurable forms: reading a form's configuration (anyone of the organisation: forms
//! need it to be drawn), changing it (the administrator; versioned and audited), its
//! history, and the organisation's word for the people it serves.

mod custom;

use chrono::{DateTime, Utc};
use serde::Serialize;

use amparo_domain::forms::{FormConfig, FormError, FormKind, FormLayout, PeopleWord};
use amparo_domain::{Action, Actor, DomainError, OrgId, Resource, UserId, authorize};
use amparo_store::{AuditOutcome, FormConfigRow, OrganisationSettingsRow};

use crate::{Amparo, AppError, AppResult, Caller};

pub(crate) use custom::{CustomTarget, case_stored, missing_required, person_given, person_stored};

/// Versions of a form's history shown at most.
pub const HISTORY_LIMIT: i64 = 100;

/// A form as configured now.
#[derive(Clone, Debug, Serialize)]
pub struct FormConfigView {
    pub form: FormKind,
    /// 0 while the form is as it comes (nobody changed it yet).
    pub version: i64,
    pub config: FormConfig,
    pub updated_by: Option<UserId>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The fields in order, with what is in force for each.
    #[serde(skip)]
    pub layout: FormLayout,
}

/// One version of a form's configuration.
#[derive(Clone, Debug, Serialize)]
pub struct FormConfigVersion {
    pub version: i64,
    pub config: FormConfig,
    pub updated_by: Option<UserId>,
    pub updated_at: DateTime<Utc>,
}

/// A configuration or custom value refused: the form comes back with the message next to
/// the field it names (custom values are named `custom.<code>`).
pub(crate) fn form_error(e: FormError, prefix: &str) -> AppError {
    let problem = DomainError::Form(e.problem);
    match e.field {
        Some(code) => AppError::InvalidField { field: format!("{prefix}{code}"), problem },
        None if prefix.is_empty() => AppError::invalid("fields", problem),
        None => AppError::invalid("custom", problem),
    }
}

fn parse(row: &FormConfigRow) -> AppResult<FormConfig> {
    serde_json::from_str(&row.config).map_err(|_| AppError::Integrity("form_configs.config".into()))
}

impl Amparo {
    /// The signed-in user acting for their organisation (forms are an organisation's).
    fn forms_actor(caller: &Caller) -> AppResult<Actor> {
        match caller {
            Caller::User { actor, .. } => Ok(*actor),
            // The command line names no organisation here.
            Caller::Operator => Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        }
    }

    /// Refuses (audited) what only the organisation's administrator may do.
    async fn require_manage_organisation(&self, caller: &Caller, code: &str) -> AppResult<Actor> {
        let actor = Self::forms_actor(caller)?;
        if let Err(reason) = authorize(&actor, Action::ManageOrganisation, Resource::Organisation(actor.org)) {
            return Err(self.denied(caller, code, reason).await);
        }
        Ok(actor)
    }

    /// Refuses (audited, as `code`) anyone but the organisation's administrator: for the
    /// pages that only administrators open (the form editor, the organisation's settings).
    pub async fn may_change_forms(&self, caller: &Caller, code: &str) -> AppResult<()> {
        self.require_manage_organisation(caller, code).await.map(|_| ())
    }

    /// A form of an organisation as configured now, for the use cases that check records
    /// against it.
    pub(crate) async fn layout_of(&self, org: OrgId, form: FormKind) -> AppResult<FormLayout> {
        Ok(match self.inner.store.form_config(org, form.code()).await? {
            Some(row) => parse(&row)?.resolve(form),
            None => FormLayout::default_of(form),
        })
    }

    /// A form as configured now: any signed-in user of the organisation may read it (every
    /// page that draws the form does).
    pub async fn form_config(&self, caller: &Caller, form: FormKind) -> AppResult<FormConfigView> {
        let actor = Self::forms_actor(caller)?;
        let row = self.inner.store.form_config(actor.org, form.code()).await?;
        let (version, config, updated_by, updated_at) = match &row {
            Some(r) => (r.version, parse(r)?, r.updated_by, Some(r.updated_at)),
            None => (0, FormConfig::default(), None, None),
        };
        Ok(FormConfigView { form, version, layout: config.resolve(form), config, updated_by, updated_at })
    }

    /// The fields of a form in order, as the organisation set them up (for pages).
    pub async fn form_layout(&self, caller: &Caller, form: FormKind) -> AppResult<FormLayout> {
        let actor = Self::forms_actor(caller)?;
        self.layout_of(actor.org, form).await
    }

    /// Saves a new version of a form's configuration, if `expected_version` is still the
    /// one in force (else `Conflict`). Administrators only; audited with the form and the
    /// new version (never the labels: they are in the version itself).
    pub async fn save_form_config(
        &self,
        caller: &Caller,
        form: FormKind,
        expected_version: i64,
        config: FormConfig,
    ) -> AppResult<FormConfigView> {
        let code = "form_config.update";
        let actor = self.require_manage_organisation(caller, code).await?;
        let current = self.inner.store.form_config(actor.org, form.code()).await?;
        let (version, previous) = match &current {
            Some(row) => (row.version, Some(parse(row)?)),
            None => (0, None),
        };
        if expected_version != version {
            return Err(AppError::Conflict);
        }
        let config = config.settle(form, previous.as_ref()).map_err(|e| form_error(e, ""))?;
        let json = serde_json::to_string(&config).map_err(|_| AppError::Integrity("encode".into()))?;
        let row = FormConfigRow {
            org: actor.org,
            form: form.code().to_owned(),
            version: version + 1,
            config: json,
            updated_by: Some(actor.user),
            updated_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_form_config(&row).await?;
        let mut d = self.draft(caller, code, AuditOutcome::Ok);
        d.target_kind = Some("organisation".into());
        d.target_id = Some(*actor.org.as_uuid());
        d.detail = Some(format!("{}.v{}", form.code(), row.version));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(FormConfigView {
            form,
            version: row.version,
            layout: config.resolve(form),
            config,
            updated_by: row.updated_by,
            updated_at: Some(row.updated_at),
        })
    }

    /// Every version of a form's configuration, newest first (administrators).
    pub async fn form_config_history(&self, caller: &Caller, form: FormKind) -> AppResult<Vec<FormConfigVersion>> {
        let actor = self.require_manage_organisation(caller, "form_config.history").await?;
        let rows = self.inner.store.form_config_history(actor.org, form.code(), HISTORY_LIMIT).await?;
        rows.iter()
            .map(|r| {
                Ok(FormConfigVersion {
                    version: r.version,
                    config: parse(r)?,
                    updated_by: r.updated_by,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    /// The organisation's word for the people it serves (survivor unless changed).
    pub async fn people_word_of(&self, org: OrgId) -> AppResult<PeopleWord> {
        Ok(match self.inner.store.organisation_settings(org).await? {
            Some(s) => PeopleWord::from_code(&s.people_word).unwrap_or_default(),
            None => PeopleWord::default(),
        })
    }

    /// The caller's organisation's word for the people it serves.
    pub async fn people_word(&self, caller: &Caller) -> AppResult<PeopleWord> {
        let actor = Self::forms_actor(caller)?;
        self.people_word_of(actor.org).await
    }

    /// Changes the organisation's word for the people it serves (administrators; audited).
    pub async fn set_people_word(&self, caller: &Caller, word: PeopleWord) -> AppResult<()> {
        let code = "organisation.people_word";
        let actor = self.require_manage_organisation(caller, code).await?;
        let current = self.inner.store.organisation_settings(actor.org).await?;
        let row = OrganisationSettingsRow {
            org: actor.org,
            people_word: word.code().to_owned(),
            version: current.map_or(1, |c| c.version + 1),
            updated_by: Some(actor.user),
            updated_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.save_organisation_settings(&row).await?;
        let mut d = self.draft(caller, code, AuditOutcome::Ok);
        d.target_kind = Some("organisation".into());
        d.target_id = Some(*actor.org.as_uuid());
        d.detail = Some(format!("word.{}", word.code()));
        self.inner.auditor.commit_with(tx, &[d]).await
    }
}
