//! Placements: the organisation's sites and teams, their current needs, the matcher's
//! proposals with their reasons, and placements that a coordinator proposes, confirms and
//! ends. Coordinators (administrators, supervisors: `Action::ManagePlacements`) do all of it;
//! a person sees their own placements and says when in the week they can serve
//! (`ReadStaffProfile`/`WriteStaffProfile` on themselves).
//!
//! Codes, dates and code names stay in clear (the matcher and the lists need them); a need's
//! free notes are sealed with its site's own data key, wrapped by the organisation's key.
//! At sites with direct survivor contact the tenure-and-training gate is held here, in the
//! use case, whatever the door: no placement there starts before the day it clears a person.
//!
//! Creating sites and needs, proposing, confirming and ending placements, the matching page
//! and reading other people's placements are audited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use amparo_crypto::DataKey;
use amparo_domain::placements::{
    self, Candidate, Held, NeedId, NeedSpec, PlacementId, PlacementProblem, PlacementStatus, Reason, SiteId, SiteKind,
    Slot,
};
use amparo_domain::staff::{Background, LanguageSkill};
use amparo_domain::{Action, Actor, Denied, DomainError, Resource, Role, UserId, authorize};
use amparo_store::{
    AuditDraft, AuditOutcome, NeedRow, PlacementQuery, PlacementRow, SiteRow, StoreError, UserRow,
    WeeklyAvailabilityRow,
};

use crate::records::{open_json, seal_json};
use crate::{Amparo, AppError, AppResult, Caller};

const SITES: &str = "placement_sites";
const NEEDS: &str = "placement_needs";
/// Placements listed at most.
pub const LIST_LIMIT: i64 = 2_000;

fn invalid(field: &'static str, e: impl Into<DomainError>) -> AppError {
    AppError::invalid(field, e.into())
}

fn integrity(what: &str) -> AppError {
    AppError::Integrity(what.into())
}

fn json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|_| integrity("encode"))
}

/// A site as a form or the API sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteInput {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub programme: Option<String>,
    pub region: String,
}

/// A need as a form or the API sends it. Dates `YYYY-MM-DD`.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    #[serde(default)]
    pub languages: Vec<LanguageSkill>,
    #[serde(default)]
    pub backgrounds: Vec<Background>,
    #[serde(default)]
    pub slots: Vec<Slot>,
    pub people: i64,
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: Option<String>,
    /// Free notes (sealed). Blank: none.
    #[serde(default)]
    pub notes: Option<String>,
}

impl std::fmt::Debug for NeedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NeedInput").field("people", &self.people).finish_non_exhaustive()
    }
}

/// A placement to propose or confirm. Without `starts_on`: the need's start (or the site's
/// first day the gate clears the person).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
    pub site: SiteId,
    #[serde(default)]
    pub need: Option<NeedId>,
    pub user: UserId,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// Which placements to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementFilter {
    #[serde(default)]
    pub site: Option<SiteId>,
    #[serde(default)]
    pub user: Option<UserId>,
    #[serde(default)]
    pub include_ended: bool,
}

/// A need as shown, with how many people are still to find.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NeedView {
    pub id: NeedId,
    pub site: SiteId,
    pub languages: Vec<LanguageSkill>,
    pub backgrounds: Vec<Background>,
    pub slots: Vec<Slot>,
    pub people: i64,
    /// Confirmed placements on this need, not ended.
    pub confirmed: i64,
    /// Proposed, not yet confirmed.
    pub proposed: i64,
    /// Still to find: people minus confirmed.
    pub open: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl std::fmt::Debug for NeedView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NeedView").field("id", &self.id).field("open", &self.open).finish_non_exhaustive()
    }
}

/// A placement as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlacementView {
    pub id: PlacementId,
    pub site: SiteId,
    pub site_name: String,
    pub site_kind: SiteKind,
    pub need: Option<NeedId>,
    pub user: UserId,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: PlacementStatus,
    pub confirmed_by: Option<UserId>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// A site with its needs and the people placed there now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteView {
    pub id: SiteId,
    pub kind: SiteKind,
    pub name: String,
    pub programme: Option<String>,
    pub region: String,
    /// Sites with direct survivor contact: the tenure-and-training gate applies.
    pub direct_contact: bool,
    pub needs: Vec<NeedView>,
    /// Proposed and confirmed placements (not ended).
    pub placements: Vec<PlacementView>,
}

/// A person proposed for a need, with the matcher's reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProposalView {
    pub user: UserId,
    pub name: String,
    pub role: Role,
    pub score: i32,
    pub starts_on: NaiveDate,
    pub reasons: Vec<Reason>,
}

/// One need and the people proposed for it (the eligible, best first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NeedMatch {
    pub need: NeedView,
    pub proposals: Vec<ProposalView>,
}

/// When a person can serve in the week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyAvailability {
    pub slots: Vec<Slot>,
    /// 0 before the first save; send it back with a change.
    #[serde(default)]
    pub version: i64,
}

fn opt_date(field: &'static str, v: Option<&str>) -> AppResult<Option<NaiveDate>> {
    placements::opt_date(v.unwrap_or_default()).map_err(|e| invalid(field, e))
}

fn parse_site(row: &SiteRow) -> AppResult<SiteKind> {
    SiteKind::from_code(&row.kind).map_err(|_| integrity("placement_sites.kind"))
}

fn status_of(row: &PlacementRow) -> AppResult<PlacementStatus> {
    PlacementStatus::from_code(&row.status).map_err(|_| integrity("placements.status"))
}

impl Amparo {
    /// The actor, if a coordinator (refusals audited).
    async fn coordinator(&self, caller: &Caller, audit_action: &str) -> AppResult<Actor> {
        match caller {
            Caller::User { actor, .. } => {
                match authorize(actor, Action::ManagePlacements, Resource::Organisation(actor.org)) {
                    Ok(()) => Ok(*actor),
                    Err(reason) => Err(self.denied(caller, audit_action, reason).await),
                }
            }
            // Placements are decided by people, under their own name.
            Caller::Operator => Err(AppError::Forbidden(Denied::RoleLacksPermission)),
        }
    }

    /// `action` (read or write a profile) on `user`: oneself, or a coordinator. Another
    /// organisation's person is "not found".
    async fn on_person(&self, caller: &Caller, user: UserId, action: Action, code: &str) -> AppResult<UserRow> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::Forbidden(Denied::RoleLacksPermission)) };
        let row = self.inner.store.user(user).await?.ok_or(AppError::NotFound)?;
        if let Err(reason) = authorize(actor, action, Resource::StaffMember { org: row.org, user }) {
            return Err(self.denied(caller, code, reason).await);
        }
        Ok(row)
    }

    async fn load_site(&self, actor: &Actor, id: SiteId) -> AppResult<SiteRow> {
        match self.inner.store.placement_site(id).await? {
            Some(row) if row.org == actor.org => Ok(row),
            _ => Err(AppError::NotFound),
        }
    }

    fn site_key(&self, row: &SiteRow) -> AppResult<DataKey> {
        Ok(self.inner.keys.org(row.org).unwrap_record_key(SITES, row.id.as_uuid().as_bytes(), &row.wrapped_key)?)
    }

    fn placement_draft(&self, caller: &Caller, action: &str, kind: &str, id: uuid::Uuid, actor: &Actor) -> AuditDraft {
        let mut d = self.record_draft(caller, action, AuditOutcome::Ok, kind, id);
        d.org = Some(actor.org);
        d
    }

    fn need_view(
        &self,
        row: &NeedRow,
        site: &SiteRow,
        counts: &[PlacementRow],
        open_notes: bool,
    ) -> AppResult<NeedView> {
        let bad = || integrity("placement_needs");
        let languages: Vec<LanguageSkill> = serde_json::from_str(&row.languages).map_err(|_| bad())?;
        let backgrounds: Vec<Background> = serde_json::from_str(&row.backgrounds).map_err(|_| bad())?;
        let slots: Vec<Slot> = serde_json::from_str(&row.slots).map_err(|_| bad())?;
        let mine = counts.iter().filter(|p| p.need == Some(row.id) && p.status != PlacementStatus::Ended.code());
        let (mut confirmed, mut proposed) = (0, 0);
        for p in mine {
            if p.status == PlacementStatus::Confirmed.code() {
                confirmed += 1;
            } else {
                proposed += 1;
            }
        }
        let notes = match (&row.notes, open_notes) {
            (Some(sealed), true) => {
                Some(open_json::<String>(&self.site_key(site)?, NEEDS, "notes", *row.id.as_uuid(), sealed)?)
            }
            _ => None,
        };
        Ok(NeedView {
            id: row.id,
            site: row.site,
            languages,
            backgrounds,
            slots,
            people: row.people,
            confirmed,
            proposed,
            open: placements::still_open(row.people, confirmed),
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            notes,
        })
    }

    fn placement_view(&self, row: &PlacementRow, sites: &[SiteRow], users: &[UserRow]) -> AppResult<PlacementView> {
        let site = sites.iter().find(|s| s.id == row.site).ok_or_else(|| integrity("placements.site"))?;
        Ok(PlacementView {
            id: row.id,
            site: row.site,
            site_name: site.name.clone(),
            site_kind: parse_site(site)?,
            need: row.need,
            user: row.user,
            name: users.iter().find(|u| u.id == row.user).map(|u| u.name.clone()).unwrap_or_default(),
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            status: status_of(row)?,
            confirmed_by: row.confirmed_by,
            confirmed_at: row.confirmed_at,
            version: row.version,
        })
    }

    async fn open_placements(&self, actor: &Actor) -> AppResult<Vec<PlacementRow>> {
        Ok(self
            .inner
            .store
            .placements(&PlacementQuery {
                org: actor.org,
                site: None,
                user: None,
                include_ended: false,
                limit: LIST_LIMIT,
            })
            .await?)
    }

    async fn site_views(&self, actor: &Actor, only: Option<SiteId>, open_notes: bool) -> AppResult<Vec<SiteView>> {
        let sites = self.inner.store.placement_sites(actor.org).await?;
        let needs = self.inner.store.placement_needs(actor.org).await?;
        let held = self.open_placements(actor).await?;
        let users = self.inner.store.users_in_org(actor.org).await?;
        let mut out = Vec::new();
        for site in sites.iter().filter(|s| only.is_none_or(|id| s.id == id)) {
            let kind = parse_site(site)?;
            let needs = needs
                .iter()
                .filter(|n| n.site == site.id)
                .map(|n| self.need_view(n, site, &held, open_notes))
                .collect::<AppResult<Vec<_>>>()?;
            let placements = held
                .iter()
                .filter(|p| p.site == site.id)
                .map(|p| self.placement_view(p, &sites, &users))
                .collect::<AppResult<Vec<_>>>()?;
            out.push(SiteView {
                id: site.id,
                kind,
                name: site.name.clone(),
                programme: site.programme.clone(),
                region: site.region.clone(),
                direct_contact: kind.direct_contact(),
                needs,
                placements,
            });
        }
        Ok(out)
    }

    /// The organisation's sites with their needs (how many still open) and who is placed
    /// there now. Coordinators; audited.
    pub async fn placement_sites(&self, caller: &Caller) -> AppResult<Vec<SiteView>> {
        let actor = self.coordinator(caller, "placement.sites").await?;
        let views = self.site_views(&actor, None, false).await?;
        let d = self.placement_draft(caller, "placement.sites", "organisation", *actor.org.as_uuid(), &actor);
        self.inner.auditor.record(vec![d]).await?;
        Ok(views)
    }

    /// One site, its needs' notes opened. Coordinators; audited.
    pub async fn placement_site(&self, caller: &Caller, id: SiteId) -> AppResult<SiteView> {
        let actor = self.coordinator(caller, "placement.site.read").await?;
        self.load_site(&actor, id).await?;
        let view = self.site_views(&actor, Some(id), true).await?.pop().ok_or(AppError::NotFound)?;
        let d = self.placement_draft(caller, "placement.site.read", "placement_site", *id.as_uuid(), &actor);
        self.inner.auditor.record(vec![d]).await?;
        Ok(view)
    }

    /// Records a site or team.
    pub async fn create_placement_site(&self, caller: &Caller, input: SiteInput) -> AppResult<SiteView> {
        let actor = self.coordinator(caller, "placement.site.create").await?;
        let kind = SiteKind::from_code(input.kind.trim()).map_err(|e| invalid("kind", e))?;
        let name = placements::site_name(&input.name).map_err(|e| invalid("name", e))?;
        let programme = placements::programme(input.programme.as_deref().unwrap_or_default())
            .map_err(|e| invalid("programme", e))?;
        let region = amparo_domain::events::region(&input.region).map_err(|e| invalid("region", e))?;
        let id = SiteId::new();
        let key = DataKey::generate();
        let row = SiteRow {
            id,
            org: actor.org,
            kind: kind.code().to_owned(),
            name,
            programme,
            region,
            wrapped_key: self.inner.keys.org(actor.org).wrap_record_key(SITES, id.as_uuid().as_bytes(), &key),
            created_by: actor.user,
            created_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        match tx.insert_placement_site(&row).await {
            Ok(()) => {}
            Err(StoreError::Duplicate) => return Err(invalid("name", PlacementProblem::NameTaken)),
            Err(e) => return Err(e.into()),
        }
        let mut d = self.placement_draft(caller, "placement.site.create", "placement_site", *id.as_uuid(), &actor);
        d.detail = Some(row.kind.clone());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(SiteView {
            id,
            kind,
            name: row.name,
            programme: row.programme,
            region: row.region,
            direct_contact: kind.direct_contact(),
            needs: vec![],
            placements: vec![],
        })
    }

    /// Adds a need to a site.
    pub async fn add_placement_need(&self, caller: &Caller, site: SiteId, input: NeedInput) -> AppResult<NeedView> {
        let actor = self.coordinator(caller, "placement.need.create").await?;
        let site = self.load_site(&actor, site).await?;
        let languages = placements::need_languages(input.languages).map_err(|e| invalid("languages", e))?;
        let backgrounds = placements::distinct(&input.backgrounds).map_err(|e| invalid("backgrounds", e))?;
        let slots = placements::distinct(&input.slots).map_err(|e| invalid("slots", e))?;
        let people = placements::people(input.people).map_err(|e| invalid("people", e))?;
        let starts_on = placements::date(&input.starts_on).map_err(|e| invalid("starts_on", e))?;
        let ends_on = opt_date("ends_on", input.ends_on.as_deref())?;
        placements::period(starts_on, ends_on).map_err(|e| invalid("ends_on", e))?;
        let notes = placements::notes(input.notes.as_deref().unwrap_or_default()).map_err(|e| invalid("notes", e))?;
        let id = NeedId::new();
        let sealed = match &notes {
            Some(n) => Some(seal_json(&self.site_key(&site)?, NEEDS, "notes", *id.as_uuid(), n)?),
            None => None,
        };
        let row = NeedRow {
            id,
            org: actor.org,
            site: site.id,
            languages: json(&languages)?,
            backgrounds: json(&backgrounds)?,
            slots: json(&slots)?,
            people,
            starts_on,
            ends_on,
            notes: sealed,
            created_by: actor.user,
            created_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        tx.insert_placement_need(&row).await?;
        let d = self.placement_draft(caller, "placement.need.create", "placement_site", *site.id.as_uuid(), &actor);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.need_view(&row, &site, &[], true)
    }

    /// Everyone of the organisation as the matcher reads them.
    async fn candidates(&self, actor: &Actor) -> AppResult<Vec<(UserRow, Candidate)>> {
        let users = self.inner.store.users_in_org(actor.org).await?;
        let profiles = self.inner.store.staff_profiles(actor.org).await?;
        let weekly = self.inner.store.weekly_availabilities(actor.org).await?;
        let held = self.open_placements(actor).await?;
        let (policy, _) = self.access_policy_of(actor.org).await?;
        let bad = || integrity("staff_profiles");
        let mut out = Vec::new();
        for u in users.into_iter().filter(|u| !u.disabled) {
            let (languages, backgrounds) = match profiles.iter().find(|p| p.user == u.id) {
                Some(p) => (
                    serde_json::from_str::<Vec<LanguageSkill>>(&p.languages).map_err(|_| bad())?,
                    serde_json::from_str::<Vec<Background>>(&p.backgrounds).map_err(|_| bad())?,
                ),
                None => (vec![], vec![]),
            };
            let slots = match weekly.iter().find(|w| w.user == u.id) {
                Some(w) => {
                    Some(serde_json::from_str::<Vec<Slot>>(&w.slots).map_err(|_| integrity("placement_availability"))?)
                }
                None => None,
            };
            let access = self.assess(&u, &policy).await?;
            let held = held
                .iter()
                .filter(|p| p.user == u.id)
                .map(|p| Held { site: p.site, starts_on: p.starts_on, ends_on: p.ends_on })
                .collect();
            let c = Candidate { user: u.id, languages, backgrounds, slots, access, held };
            out.push((u, c));
        }
        Ok(out)
    }

    /// The open needs of a site, each with the people proposed for it (eligible only, best
    /// first) and why. Coordinators; audited (it reads everyone's profile).
    pub async fn placement_matches(&self, caller: &Caller, site: SiteId) -> AppResult<Vec<NeedMatch>> {
        let actor = self.coordinator(caller, "placement.match").await?;
        let site_row = self.load_site(&actor, site).await?;
        let kind = parse_site(&site_row)?;
        let view = self.site_views(&actor, Some(site), false).await?.pop().ok_or(AppError::NotFound)?;
        let people = self.candidates(&actor).await?;
        let candidates: Vec<Candidate> = people.iter().map(|(_, c)| c.clone()).collect();
        let today = self.now().date_naive();
        let mut out = Vec::new();
        for need in view.needs {
            // Current needs only: not over, and someone still to find.
            if need.open == 0 || need.ends_on.is_some_and(|e| e < today) {
                continue;
            }
            let spec = NeedSpec {
                site,
                kind,
                languages: need.languages.clone(),
                backgrounds: need.backgrounds.clone(),
                slots: need.slots.clone(),
                starts_on: need.starts_on.max(today),
                ends_on: need.ends_on,
            };
            let proposals = placements::propose(&spec, &candidates)
                .into_iter()
                .filter(|p| p.eligible)
                .filter_map(|p| {
                    let (u, _) = people.iter().find(|(u, _)| u.id == p.user)?;
                    Some(ProposalView {
                        user: p.user,
                        name: u.name.clone(),
                        role: u.role,
                        score: p.score,
                        starts_on: p.starts_on,
                        reasons: p.reasons,
                    })
                })
                .collect();
            out.push(NeedMatch { need, proposals });
        }
        let d = self.placement_draft(caller, "placement.match", "placement_site", *site.as_uuid(), &actor);
        self.inner.auditor.record(vec![d]).await?;
        Ok(out)
    }

    /// Checks a placement to be: the site and need of the organisation (the need of that
    /// site), the person of the organisation and active, the dates, and the gate at sites
    /// with direct survivor contact.
    async fn checked_placement(
        &self,
        actor: &Actor,
        input: &PlacementInput,
        status: PlacementStatus,
    ) -> AppResult<(PlacementRow, SiteRow, UserRow)> {
        let site = self.load_site(actor, input.site).await?;
        let kind = parse_site(&site)?;
        let need = match input.need {
            Some(id) => match self.inner.store.placement_need(id).await? {
                Some(n) if n.org == actor.org && n.site == site.id => Some(n),
                Some(n) if n.org == actor.org => return Err(invalid("need", PlacementProblem::NeedOfOtherSite)),
                _ => return Err(AppError::NotFound),
            },
            None => None,
        };
        let person = match self.inner.store.user(input.user).await? {
            Some(u) if u.org == actor.org && !u.disabled => u,
            _ => return Err(AppError::NotFound),
        };
        let (policy, _) = self.access_policy_of(actor.org).await?;
        let access = self.assess(&person, &policy).await?;
        let default_start = match (&need, access.opens_on) {
            (Some(n), Some(o)) if kind.direct_contact() && access.clearance != amparo_domain::Clearance::Cleared => {
                n.starts_on.max(o)
            }
            (Some(n), _) => n.starts_on,
            (None, _) => self.now().date_naive(),
        };
        let starts_on = opt_date("starts_on", input.starts_on.as_deref())?.unwrap_or(default_start);
        let ends_on = match opt_date("ends_on", input.ends_on.as_deref())? {
            Some(e) => Some(e),
            None => need.as_ref().and_then(|n| n.ends_on),
        };
        placements::period(starts_on, ends_on).map_err(|e| invalid("ends_on", e))?;
        placements::check_gate(kind, &access, starts_on).map_err(|e| invalid("starts_on", e))?;
        let now = self.now();
        let confirmed = status == PlacementStatus::Confirmed;
        let row = PlacementRow {
            id: PlacementId::new(),
            org: actor.org,
            site: site.id,
            need: need.map(|n| n.id),
            user: person.id,
            starts_on,
            ends_on,
            status: status.code().to_owned(),
            created_by: actor.user,
            created_at: now,
            confirmed_by: confirmed.then_some(actor.user),
            confirmed_at: confirmed.then_some(now),
            ended_by: None,
            ended_at: None,
            version: 1,
            updated_at: now,
        };
        Ok((row, site, person))
    }

    async fn insert_checked(
        &self,
        caller: &Caller,
        actor: &Actor,
        input: &PlacementInput,
        status: PlacementStatus,
        audit_action: &str,
    ) -> AppResult<PlacementView> {
        let (row, site, person) = self.checked_placement(actor, input, status).await?;
        let mut tx = self.inner.store.begin().await?;
        match tx.insert_placement(&row).await {
            Ok(()) => {}
            Err(StoreError::Duplicate) => return Err(invalid("user", PlacementProblem::AlreadyPlaced)),
            Err(e) => return Err(e.into()),
        }
        let mut d = self.placement_draft(caller, audit_action, "placement", *row.id.as_uuid(), actor);
        d.detail = Some(format!("staff.{} site.{}", person.id, site.id));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        self.placement_view(&row, std::slice::from_ref(&site), std::slice::from_ref(&person))
    }

    /// Proposes a person for a site (to be confirmed later). Coordinators; audited.
    pub async fn propose_placement(&self, caller: &Caller, input: PlacementInput) -> AppResult<PlacementView> {
        let actor = self.coordinator(caller, "placement.propose").await?;
        self.insert_checked(caller, &actor, &input, PlacementStatus::Proposed, "placement.propose").await
    }

    /// Places a person at once, confirmed (the matching page's Confirm). Coordinators; audited.
    pub async fn confirm_new_placement(&self, caller: &Caller, input: PlacementInput) -> AppResult<PlacementView> {
        let actor = self.coordinator(caller, "placement.confirm").await?;
        self.insert_checked(caller, &actor, &input, PlacementStatus::Confirmed, "placement.confirm").await
    }

    async fn load_placement(&self, actor: &Actor, id: PlacementId) -> AppResult<PlacementRow> {
        match self.inner.store.placement(id).await? {
            Some(row) if row.org == actor.org => Ok(row),
            _ => Err(AppError::NotFound),
        }
    }

    async fn change_placement(
        &self,
        caller: &Caller,
        actor: &Actor,
        row: PlacementRow,
        next: PlacementRow,
        audit_action: &str,
    ) -> AppResult<PlacementView> {
        let mut tx = self.inner.store.begin().await?;
        let saved = match tx.update_placement(&next).await {
            Ok(saved) => saved,
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            Err(e) => return Err(e.into()),
        };
        let mut d = self.placement_draft(caller, audit_action, "placement", *row.id.as_uuid(), actor);
        d.detail = Some(format!("staff.{} site.{}", row.user, row.site));
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let sites = self.inner.store.placement_sites(actor.org).await?;
        let users = self.inner.store.users_in_org(actor.org).await?;
        self.placement_view(&saved, &sites, &users)
    }

    /// Confirms a proposed placement, with the version read. The gate is checked again:
    /// what the person's trainings say today counts, not what they said when proposed.
    pub async fn confirm_placement(
        &self,
        caller: &Caller,
        id: PlacementId,
        version: Option<i64>,
    ) -> AppResult<PlacementView> {
        let actor = self.coordinator(caller, "placement.confirm").await?;
        let row = self.load_placement(&actor, id).await?;
        if version != Some(row.version) {
            return Err(AppError::Conflict);
        }
        if status_of(&row)? != PlacementStatus::Proposed {
            return Err(invalid("status", PlacementProblem::WrongStatus));
        }
        let site = self.load_site(&actor, row.site).await?;
        let person = self.inner.store.user(row.user).await?.ok_or(AppError::NotFound)?;
        let (policy, _) = self.access_policy_of(actor.org).await?;
        let access = self.assess(&person, &policy).await?;
        placements::check_gate(parse_site(&site)?, &access, row.starts_on).map_err(|e| invalid("starts_on", e))?;
        let now = self.now();
        let next = PlacementRow {
            status: PlacementStatus::Confirmed.code().to_owned(),
            confirmed_by: Some(actor.user),
            confirmed_at: Some(now),
            updated_at: now,
            ..row.clone()
        };
        self.change_placement(caller, &actor, row, next, "placement.confirm").await
    }

    /// Ends a placement (proposed or confirmed), with the version read, on `ends_on`
    /// (default today; not before its start).
    pub async fn end_placement(
        &self,
        caller: &Caller,
        id: PlacementId,
        version: Option<i64>,
        ends_on: Option<String>,
    ) -> AppResult<PlacementView> {
        let actor = self.coordinator(caller, "placement.end").await?;
        let row = self.load_placement(&actor, id).await?;
        if version != Some(row.version) {
            return Err(AppError::Conflict);
        }
        if status_of(&row)? == PlacementStatus::Ended {
            return Err(invalid("status", PlacementProblem::WrongStatus));
        }
        let now = self.now();
        let ends_on = opt_date("ends_on", ends_on.as_deref())?.unwrap_or_else(|| now.date_naive()).max(row.starts_on);
        let next = PlacementRow {
            status: PlacementStatus::Ended.code().to_owned(),
            ends_on: Some(ends_on),
            ended_by: Some(actor.user),
            ended_at: Some(now),
            updated_at: now,
            ..row.clone()
        };
        self.change_placement(caller, &actor, row, next, "placement.end").await
    }

    /// Placements, by start date. One's own (any person); anyone's, a site's or all
    /// (coordinators, audited).
    pub async fn list_placements(&self, caller: &Caller, filter: &PlacementFilter) -> AppResult<Vec<PlacementView>> {
        let Caller::User { actor, .. } = caller else { return Err(AppError::Forbidden(Denied::RoleLacksPermission)) };
        let own = filter.user == Some(actor.user) && filter.site.is_none();
        if own {
            self.on_person(caller, actor.user, Action::ReadStaffProfile, "placement.list").await?;
        } else {
            self.coordinator(caller, "placement.list").await?;
        }
        let rows = self
            .inner
            .store
            .placements(&PlacementQuery {
                org: actor.org,
                site: filter.site,
                user: filter.user,
                include_ended: filter.include_ended,
                limit: LIST_LIMIT,
            })
            .await?;
        let sites = self.inner.store.placement_sites(actor.org).await?;
        let users = self.inner.store.users_in_org(actor.org).await?;
        let views = rows.iter().map(|r| self.placement_view(r, &sites, &users)).collect::<AppResult<Vec<_>>>()?;
        if !own {
            let target = filter.user.map_or(*actor.org.as_uuid(), |u| *u.as_uuid());
            let kind = if filter.user.is_some() { "staff" } else { "organisation" };
            let d = self.placement_draft(caller, "placement.list", kind, target, actor);
            self.inner.auditor.record(vec![d]).await?;
        }
        Ok(views)
    }

    /// When a person can serve in the week: their own, or as a coordinator.
    pub async fn weekly_availability(&self, caller: &Caller, user: UserId) -> AppResult<WeeklyAvailability> {
        self.on_person(caller, user, Action::ReadStaffProfile, "placement.availability.read").await?;
        match self.inner.store.weekly_availability(user).await? {
            None => Ok(WeeklyAvailability { slots: vec![], version: 0 }),
            Some(row) => Ok(WeeklyAvailability {
                slots: serde_json::from_str(&row.slots).map_err(|_| integrity("placement_availability"))?,
                version: row.version,
            }),
        }
    }

    /// Says when a person can serve (their own, or a coordinator for them), with the version
    /// read (0: first save). Audited.
    pub async fn save_weekly_availability(
        &self,
        caller: &Caller,
        user: UserId,
        input: WeeklyAvailability,
    ) -> AppResult<WeeklyAvailability> {
        let person = self.on_person(caller, user, Action::WriteStaffProfile, "placement.availability.update").await?;
        let slots = placements::distinct(&input.slots).map_err(|e| invalid("slots", e))?;
        let row = WeeklyAvailabilityRow {
            user,
            org: person.org,
            slots: json(&slots)?,
            version: input.version + 1,
            updated_at: self.now(),
        };
        let mut tx = self.inner.store.begin().await?;
        match tx.save_weekly_availability(&row).await {
            Ok(()) => {}
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            Err(e) => return Err(e.into()),
        }
        let mut d = self.draft(caller, "placement.availability.update", AuditOutcome::Ok);
        d.org = Some(person.org);
        d.target_kind = Some("staff".into());
        d.target_id = Some(*user.as_uuid());
        self.inner.auditor.commit_with(tx, &[d]).await?;
        Ok(WeeklyAvailability { slots, version: row.version })
    }
}
