//! The partner directory: who we refer to, what they offer, where, in which languages, and
//! how a referral reaches them (a packet to their installation, or their inbox here).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use amparo_crypto::PublicIdentity;
use amparo_domain::referrals::{Country, PartnerId, Population, ReferralProblem, parse_region, parse_services};
use amparo_domain::{Action, DomainError, OrgId};
use amparo_store::{AuditOutcome, PartnerRow};

use crate::{Amparo, AppError, AppResult, Caller};

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 2000;

/// A new directory entry, as the page and the API give it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    pub name: String,
    pub country: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub populations: Vec<String>,
    #[serde(default)]
    pub contact: Option<String>,
    /// Another installation's identity line (`amparo identity show`)…
    #[serde(default)]
    pub public_key: Option<String>,
    /// …or another organisation on this installation.
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A directory entry as shown.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PartnerView {
    pub id: PartnerId,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub services: Vec<String>,
    pub languages: Vec<String>,
    pub populations: Vec<String>,
    pub contact: String,
    pub public_key: Option<String>,
    /// The short fingerprint of `public_key`, to compare by phone.
    pub fingerprint: Option<String>,
    pub organisation_id: Option<OrgId>,
    pub notes: String,
}

impl From<PartnerRow> for PartnerView {
    fn from(r: PartnerRow) -> Self {
        let fingerprint =
            r.public_key.as_deref().and_then(|k| k.parse::<PublicIdentity>().ok()).map(|k| k.fingerprint());
        PartnerView {
            id: r.id,
            name: r.name,
            country: r.country,
            region: r.region,
            services: r.services,
            languages: r.languages,
            populations: r.populations,
            contact: r.contact,
            public_key: r.public_key,
            fingerprint,
            organisation_id: r.target_org,
            notes: r.notes,
        }
    }
}

/// A directory search: every given filter must match (empty filters match everything).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PartnerQuery {
    /// A service code.
    #[serde(default)]
    pub service: Option<String>,
    /// A language code.
    #[serde(default)]
    pub language: Option<String>,
    /// A country (`MX`) or region (`MX-CHH`) code.
    #[serde(default)]
    pub place: Option<String>,
}

impl PartnerQuery {
    fn matches(&self, p: &PartnerRow) -> bool {
        let norm = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
        let service = norm(&self.service).is_none_or(|s| p.services.contains(&s));
        let language = norm(&self.language).is_none_or(|l| p.languages.iter().any(|x| x.to_lowercase() == l));
        let place = norm(&self.place).is_none_or(|pl| {
            p.country.to_lowercase() == pl || p.region.as_deref().is_some_and(|r| r.to_lowercase() == pl)
        });
        service && language && place
    }
}

fn bad(field: &'static str, p: ReferralProblem) -> AppError {
    AppError::invalid(field, DomainError::Referral(p))
}

fn codes(list: &[String], field: &'static str, check: impl Fn(&str) -> bool) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in list.iter().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()) {
        if !check(&c) {
            return Err(AppError::invalid(field, DomainError::UnknownCode));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

fn short_text(s: Option<&str>, max: usize, field: &'static str) -> AppResult<String> {
    let s = s.map(str::trim).unwrap_or_default();
    if s.chars().count() > max {
        return Err(AppError::invalid(field, DomainError::InvalidName));
    }
    Ok(s.to_owned())
}

impl Amparo {
    /// Adds an entry to the organisation's partner directory (administrators).
    pub async fn add_partner(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        input: PartnerInput,
    ) -> AppResult<PartnerId> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::ManageOrganisation, "partner.create").await?;
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(AppError::invalid("name", DomainError::InvalidName));
        }
        let country = Country::parse(&input.country).map_err(|p| bad("country", p))?;
        let region =
            parse_region(country, input.region.as_deref().unwrap_or_default()).map_err(|p| bad("region", p))?;
        let services = parse_services(&input.services)
            .map_err(|e| AppError::invalid("services", e))?
            .iter()
            .map(|s| s.code().to_owned())
            .collect();
        // Language codes as ISO 639 (two or three letters): our vocabulary for people too.
        let languages = codes(&input.languages, "languages", |c| {
            (2..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase())
        })?;
        let populations = codes(&input.populations, "populations", |c| Population::from_code(c).is_ok())?;
        let key = input.public_key.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let public_key = match key {
            Some(k) => Some(
                k.parse::<PublicIdentity>()
                    .map_err(|_| bad("public_key", ReferralProblem::InvalidPublicKey))?
                    .to_string(),
            ),
            None => None,
        };
        let target_org = input.organisation_id.map(OrgId::from_uuid);
        if public_key.is_some() == target_org.is_some() {
            return Err(bad("public_key", ReferralProblem::RecipientRequired));
        }
        if let Some(t) = target_org
            && (t == org || self.inner.store.organisation(t).await?.is_none())
        {
            return Err(AppError::invalid("organisation_id", DomainError::UnknownCode));
        }
        let row = PartnerRow {
            id: PartnerId::new(),
            org,
            name: name.to_owned(),
            country: country.to_string(),
            region,
            services,
            languages,
            populations,
            contact: short_text(input.contact.as_deref(), MAX_TEXT, "contact")?,
            public_key,
            target_org,
            notes: short_text(input.notes.as_deref(), MAX_TEXT, "notes")?,
            created_at: self.now(),
            version: 1,
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_partner(&row).await?;
        let mut d = self.record_draft(caller, "partner.create", AuditOutcome::Ok, "partner", *row.id.as_uuid());
        d.org = Some(org);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(row.id)
    }

    /// The organisation's directory, filtered. Directories are tens or hundreds of entries:
    /// they are filtered here rather than by index.
    pub async fn partners(
        &self,
        caller: &Caller,
        operator_org: Option<OrgId>,
        query: &PartnerQuery,
    ) -> AppResult<Vec<PartnerView>> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::ViewPartners, "partner.list").await?;
        let rows = self.inner.store.partners(org).await?;
        Ok(rows.into_iter().filter(|p| query.matches(p)).map(PartnerView::from).collect())
    }

    /// One entry of the caller's organisation's directory.
    pub async fn partner(&self, caller: &Caller, operator_org: Option<OrgId>, id: PartnerId) -> AppResult<PartnerView> {
        let org = Self::org_of(caller, operator_org)?;
        self.require_org(caller, org, Action::ViewPartners, "partner.read").await?;
        let row = self.inner.store.partner(id).await?.filter(|p| p.org == org).ok_or(AppError::NotFound)?;
        Ok(row.into())
    }
}
