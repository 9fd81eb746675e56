//! Placements: where the organisation's staff and volunteers serve. Sites and teams (the
//! prevention team, the transitional living home, basic care in the refuge, administration,
//! community events such as a block party) say what they need now: languages at a minimum
//! CEFR level, backgrounds wanted, how many people, when. The matcher proposes people for a
//! need from their profiles, with its reasons as codes, and a coordinator confirms.
//!
//! "Volunteers are placed according to personal background, experience level and the
//! ministry sites' current needs", and are "not always able to work directly with
//! trafficking victims during the first 6 months" (the users' own words, shared/domain/
//! background): sites with direct survivor contact only take people the tenure-and-training
//! gate clears, from the day it clears them.
//!
//! Organisation data, not a survivor's: names of sites are code names, places are region
//! codes; the free notes of a need are sealed by the application.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::records::code_enum;
use crate::staff::{Assessment, Background, CefrLevel, LanguageSkill};
use crate::{Clearance, DomainError, UserId};

crate::ids::id_type!(
    /// A site or team where people are placed.
    SiteId
);
crate::ids::id_type!(
    /// One need of a site: what it is short of, and when.
    NeedId
);
crate::ids::id_type!(
    /// A person placed (or proposed) at a site.
    PlacementId
);

/// Longest site name (a code name, not an address).
pub const MAX_SITE_NAME_CHARS: usize = 80;
/// Longest notes on a need.
pub const MAX_NEED_NOTES_CHARS: usize = 1_000;
/// Most people one need asks for.
pub const MAX_NEED_PEOPLE: i64 = 50;
/// Most languages or backgrounds one need lists.
pub const MAX_NEED_CODES: usize = 8;

code_enum!(
    /// What kind of site or team.
    SiteKind {
        PreventionTeam => "prevention_team",
        TransitionalHome => "transitional_home",
        RefugeCare => "refuge_care",
        Administration => "administration",
        CommunityEvents => "community_events",
    }
);

impl SiteKind {
    /// Sites where the work is with survivors directly: the tenure-and-training gate applies.
    pub const fn direct_contact(self) -> bool {
        matches!(self, SiteKind::TransitionalHome | SiteKind::RefugeCare)
    }
}

code_enum!(
    /// When in the week someone can serve, or a need wants people.
    Slot {
        WeekdayMornings => "weekday_mornings",
        WeekdayAfternoons => "weekday_afternoons",
        WeekdayEvenings => "weekday_evenings",
        Weekends => "weekends",
    }
);

code_enum!(
    /// Where a placement stands.
    PlacementStatus {
        Proposed => "proposed",
        Confirmed => "confirmed",
        Ended => "ended",
    }
);

/// What is wrong with a site, need or placement. Codes are i18n keys (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacementProblem {
    NameRequired,
    NameTooLong,
    /// Another site of the organisation has this name.
    NameTaken,
    /// A programme code that is not letters, digits, `-` or `_` (1 to 40).
    ProgrammeInvalid,
    /// Not a whole number from 1 to [`MAX_NEED_PEOPLE`].
    PeopleInvalid,
    DateInvalid,
    PeriodReversed,
    NotesTooLong,
    TooManyCodes,
    /// The person is already placed (or proposed) at this site.
    AlreadyPlaced,
    /// Only a proposed placement can be confirmed; an ended one cannot end again.
    WrongStatus,
    /// A site with direct survivor contact, and the gate does not clear the person (no start
    /// date, or a required training missing).
    NotCleared,
    /// A site with direct survivor contact, and the placement would start before the day
    /// the gate clears the person.
    StartsBeforeClearance,
    /// The need belongs to another site.
    NeedOfOtherSite,
}

impl PlacementProblem {
    pub const fn code(self) -> &'static str {
        match self {
            PlacementProblem::NameRequired => "placement_name_required",
            PlacementProblem::NameTooLong => "placement_name_too_long",
            PlacementProblem::NameTaken => "placement_name_taken",
            PlacementProblem::ProgrammeInvalid => "placement_programme_invalid",
            PlacementProblem::PeopleInvalid => "placement_people_invalid",
            PlacementProblem::DateInvalid => "placement_date_invalid",
            PlacementProblem::PeriodReversed => "placement_period_reversed",
            PlacementProblem::NotesTooLong => "placement_notes_too_long",
            PlacementProblem::TooManyCodes => "placement_too_many_codes",
            PlacementProblem::AlreadyPlaced => "placement_already_placed",
            PlacementProblem::WrongStatus => "placement_wrong_status",
            PlacementProblem::NotCleared => "placement_not_cleared",
            PlacementProblem::StartsBeforeClearance => "placement_starts_before_clearance",
            PlacementProblem::NeedOfOtherSite => "placement_need_of_other_site",
        }
    }
}

impl From<PlacementProblem> for DomainError {
    fn from(p: PlacementProblem) -> Self {
        DomainError::Placement(p)
    }
}

/// A site's name: a code name ("Casa Norte", "Equipo de prevención"), required.
pub fn site_name(raw: &str) -> Result<String, PlacementProblem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(PlacementProblem::NameRequired);
    }
    if t.chars().count() > MAX_SITE_NAME_CHARS || t.chars().any(char::is_control) {
        return Err(PlacementProblem::NameTooLong);
    }
    Ok(t.to_owned())
}

/// An optional programme code (`PREV-CDMX`): blank is none.
pub fn programme(raw: &str) -> Result<Option<String>, PlacementProblem> {
    let t = raw.trim().to_ascii_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    let ok = t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(Some(t)) } else { Err(PlacementProblem::ProgrammeInvalid) }
}

/// A date as forms and the API send it (`YYYY-MM-DD`).
pub fn date(text: &str) -> Result<NaiveDate, PlacementProblem> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| PlacementProblem::DateInvalid)
}

/// An optional date: blank is none.
pub fn opt_date(text: &str) -> Result<Option<NaiveDate>, PlacementProblem> {
    if text.trim().is_empty() { Ok(None) } else { date(text).map(Some) }
}

/// A period from `starts_on` to `ends_on` (included; None: open-ended).
pub fn period(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> Result<(), PlacementProblem> {
    if ends_on.is_some_and(|e| e < starts_on) { Err(PlacementProblem::PeriodReversed) } else { Ok(()) }
}

/// How many people a need asks for.
pub fn people(n: i64) -> Result<i64, PlacementProblem> {
    if (1..=MAX_NEED_PEOPLE).contains(&n) { Ok(n) } else { Err(PlacementProblem::PeopleInvalid) }
}

/// Optional notes: blank is none.
pub fn notes(text: &str) -> Result<Option<String>, PlacementProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_NEED_NOTES_CHARS {
        return Err(PlacementProblem::NotesTooLong);
    }
    Ok(Some(t.to_owned()))
}

/// A need's languages: each valid and once, at most [`MAX_NEED_CODES`].
pub fn need_languages(list: Vec<LanguageSkill>) -> Result<Vec<LanguageSkill>, DomainError> {
    if list.len() > MAX_NEED_CODES {
        return Err(PlacementProblem::TooManyCodes.into());
    }
    crate::staff::check_languages(&list)?;
    Ok(list)
}

/// Codes given once each, in order, at most [`MAX_NEED_CODES`].
pub fn distinct<T: PartialEq + Copy>(list: &[T]) -> Result<Vec<T>, PlacementProblem> {
    let mut out: Vec<T> = Vec::new();
    for c in list {
        if !out.contains(c) {
            out.push(*c);
        }
    }
    if out.len() > MAX_NEED_CODES { Err(PlacementProblem::TooManyCodes) } else { Ok(out) }
}

/// Whether two periods (both ends included; None: open) share a day.
pub fn overlaps(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>)) -> bool {
    a.1.is_none_or(|a_end| b.0 <= a_end) && b.1.is_none_or(|b_end| a.0 <= b_end)
}

/// The tenure-and-training gate for a placement at a site of `kind` starting `starts_on`:
/// a site with direct survivor contact takes a person the gate holds back only from the day
/// it clears them, and only if that day is known (start date set, trainings complete).
pub fn check_gate(kind: SiteKind, access: &Assessment, starts_on: NaiveDate) -> Result<(), PlacementProblem> {
    if !kind.direct_contact() || access.clearance == Clearance::Cleared {
        return Ok(());
    }
    match access.opens_on {
        Some(_) if !access.missing_courses.is_empty() => Err(PlacementProblem::NotCleared),
        None => Err(PlacementProblem::NotCleared),
        Some(opens) if starts_on < opens => Err(PlacementProblem::StartsBeforeClearance),
        Some(_) => Ok(()),
    }
}

fn level_rank(l: CefrLevel) -> i32 {
    CefrLevel::ALL.iter().position(|x| *x == l).map_or(0, |p| i32::try_from(p).unwrap_or(0))
}

/// A need as the matcher reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedSpec {
    pub site: SiteId,
    pub kind: SiteKind,
    /// Each at least at this level.
    pub languages: Vec<LanguageSkill>,
    /// Wanted, not required: each one the person brings counts.
    pub backgrounds: Vec<Background>,
    /// When the site needs people; empty: any time.
    pub slots: Vec<Slot>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// A placement a person holds (proposed or confirmed, not ended).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub site: SiteId,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// A person as the matcher reads them: their profile and what the gate says today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub user: UserId,
    pub languages: Vec<LanguageSkill>,
    pub backgrounds: Vec<Background>,
    /// When they can serve; None: not recorded.
    pub slots: Option<Vec<Slot>>,
    pub access: Assessment,
    pub held: Vec<Held>,
}

/// Why a person is proposed (or not), as a code with its values. Rendered in the reader's
/// language (`placements-reason-<code>`); the API gives the codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Speaks the language at the level needed or above: "speaks Spanish C1 (needed B2)".
    LanguageMeets { language: String, level: CefrLevel, needed: CefrLevel },
    /// Does not speak it, or below the level (hard: not proposed).
    LanguageBelow { language: String, level: Option<CefrLevel>, needed: CefrLevel },
    /// A language the need does not ask for (a plus for the people a site meets).
    ExtraLanguage { language: String, level: CefrLevel },
    /// A background the need wants.
    BackgroundWanted { background: Background },
    /// Can serve when the site needs people.
    Available { slots: Vec<Slot> },
    /// Cannot serve when the site needs people (hard).
    NotAvailable,
    /// Has not said when they can serve: ask before confirming.
    AvailabilityUnknown,
    /// Already placed or proposed at this site, not ended (hard).
    AlreadyPlacedHere,
    /// Holds other placements in the period.
    PlacedElsewhere { count: usize },
    /// A site with direct survivor contact, and the gate clears the person.
    Cleared,
    /// A site with direct survivor contact: the gate clears the person on this day. After
    /// the need's end, not proposed.
    NotClearedUntil { date: NaiveDate },
    /// A site with direct survivor contact, and the gate does not clear the person: no start
    /// date, or a required training missing (hard).
    NotCleared,
}

impl Reason {
    pub const fn code(&self) -> &'static str {
        match self {
            Reason::LanguageMeets { .. } => "language_meets",
            Reason::LanguageBelow { .. } => "language_below",
            Reason::ExtraLanguage { .. } => "extra_language",
            Reason::BackgroundWanted { .. } => "background_wanted",
            Reason::Available { .. } => "available",
            Reason::NotAvailable => "not_available",
            Reason::AvailabilityUnknown => "availability_unknown",
            Reason::AlreadyPlacedHere => "already_placed_here",
            Reason::PlacedElsewhere { .. } => "placed_elsewhere",
            Reason::Cleared => "cleared",
            Reason::NotClearedUntil { .. } => "not_cleared_until",
            Reason::NotCleared => "not_cleared",
        }
    }
}

/// One person weighed against one need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub user: UserId,
    /// False when a hard constraint fails (the reasons say which).
    pub eligible: bool,
    /// Higher is a better fit; only comparable within one need.
    pub score: i32,
    /// The first day the person could start: the need's start, or the day the gate clears
    /// them at a site with direct survivor contact.
    pub starts_on: NaiveDate,
    pub reasons: Vec<Reason>,
}

// Weights: a language the need asks for dominates (the users' words: Spanish level decides
// where someone can serve), a wanted background next, the rest breaks ties.
const W_LANGUAGE: i32 = 10;
const W_LEVEL_ABOVE: i32 = 2;
const W_EXTRA_LANGUAGE: i32 = 2;
const MAX_EXTRA_LANGUAGES: usize = 3;
const W_BACKGROUND: i32 = 8;
const W_SLOT: i32 = 1;
const W_UNKNOWN_AVAILABILITY: i32 = -3;
const W_PLACED_ELSEWHERE: i32 = -4;
const W_NOT_YET_CLEARED: i32 = -6;

/// Weighs one person against one need: hard constraints (language levels, availability,
/// not already placed at the site, the gate at sites with direct survivor contact) and soft
/// scores (wanted backgrounds, extra languages, other placements), every one with a reason.
pub fn weigh(need: &NeedSpec, c: &Candidate) -> Proposal {
    let mut reasons = Vec::new();
    let mut eligible = true;
    let mut score = 0;
    for wanted in &need.languages {
        let has = c.languages.iter().find(|l| l.language == wanted.language).map(|l| l.level);
        match has {
            Some(level) if level_rank(level) >= level_rank(wanted.level) => {
                score += W_LANGUAGE + W_LEVEL_ABOVE * (level_rank(level) - level_rank(wanted.level));
                reasons.push(Reason::LanguageMeets { language: wanted.language.clone(), level, needed: wanted.level });
            }
            level => {
                eligible = false;
                reasons.push(Reason::LanguageBelow { language: wanted.language.clone(), level, needed: wanted.level });
            }
        }
    }
    let extras = c.languages.iter().filter(|l| !need.languages.iter().any(|w| w.language == l.language));
    for l in extras.take(MAX_EXTRA_LANGUAGES) {
        score += W_EXTRA_LANGUAGE;
        reasons.push(Reason::ExtraLanguage { language: l.language.clone(), level: l.level });
    }
    for b in need.backgrounds.iter().filter(|b| c.backgrounds.contains(b)) {
        score += W_BACKGROUND;
        reasons.push(Reason::BackgroundWanted { background: *b });
    }
    if !need.slots.is_empty() {
        match &c.slots {
            None => {
                score += W_UNKNOWN_AVAILABILITY;
                reasons.push(Reason::AvailabilityUnknown);
            }
            Some(theirs) => {
                let common: Vec<Slot> = need.slots.iter().copied().filter(|s| theirs.contains(s)).collect();
                if common.is_empty() {
                    eligible = false;
                    reasons.push(Reason::NotAvailable);
                } else {
                    score += W_SLOT * i32::try_from(common.len()).unwrap_or(0);
                    reasons.push(Reason::Available { slots: common });
                }
            }
        }
    }
    // One placement not ended per person and site (the store holds to it too): end the
    // old one before placing someone there again.
    if c.held.iter().any(|h| h.site == need.site) {
        eligible = false;
        reasons.push(Reason::AlreadyPlacedHere);
    }
    let need_period = (need.starts_on, need.ends_on);
    let elsewhere =
        c.held.iter().filter(|h| h.site != need.site && overlaps((h.starts_on, h.ends_on), need_period)).count();
    if elsewhere > 0 {
        score += W_PLACED_ELSEWHERE * i32::try_from(elsewhere).unwrap_or(i32::MAX / 8);
        reasons.push(Reason::PlacedElsewhere { count: elsewhere });
    }
    let mut starts_on = need.starts_on;
    if need.kind.direct_contact() {
        match (c.access.clearance, c.access.opens_on) {
            (Clearance::Cleared, _) => reasons.push(Reason::Cleared),
            (Clearance::NotYet, Some(date)) if c.access.missing_courses.is_empty() => {
                if date > starts_on {
                    starts_on = date;
                }
                score += W_NOT_YET_CLEARED;
                if need.ends_on.is_some_and(|end| date > end) {
                    eligible = false;
                }
                reasons.push(Reason::NotClearedUntil { date });
            }
            (Clearance::NotYet, _) => {
                eligible = false;
                reasons.push(Reason::NotCleared);
            }
        }
    }
    Proposal { user: c.user, eligible, score, starts_on, reasons }
}

/// Everyone weighed against a need: the eligible first, best score first; ties by the
/// earliest start, then by user id (the same input always gives the same order).
pub fn propose(need: &NeedSpec, candidates: &[Candidate]) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = candidates.iter().map(|c| weigh(need, c)).collect();
    out.sort_by(|a, b| {
        b.eligible
            .cmp(&a.eligible)
            .then(b.score.cmp(&a.score))
            .then(a.starts_on.cmp(&b.starts_on))
            .then_with(|| a.user.cmp(&b.user))
    });
    out
}

/// How many of a need's people are still to find: asked for, minus confirmed placements.
pub fn still_open(people: i64, confirmed: i64) -> i64 {
    match people.cmp(&confirmed) {
        Ordering::Greater => people - confirmed,
        _ => 0,
    }
}

#[cfg(test)]
#[path = "placements_tests.rs"]
mod tests;
