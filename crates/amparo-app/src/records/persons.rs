//! Intake, reading, editing and finding a person.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use amparo_crypto::DataKey;
use amparo_domain::records::{Answer, SAFE_CONTACT_RECONFIRM_DAYS, age_band_of, age_on};
use amparo_domain::{Action, DomainError, OrgId, PersonId, Section};
use amparo_store::{AuditOutcome, CaseRow, PersonRow};

use amparo_domain::forms::{CustomValues, FormKind};

use super::model::{Identity, PersonFields, SafeContact, answer_code, code_answer};
use super::{Record, may, open_json, seal_json};
use crate::forms::{CustomTarget, missing_required, person_given, person_stored};
use crate::{Amparo, AppError, AppResult, Caller};

const NAME_FIELD: &str = "person.name";
const PHONE_FIELD: &str = "person.phone";
/// The last ten digits: the national number in Mexico and the US (both have ten), so a
/// number typed without its country code still finds the person.
const PHONE_NATIONAL_FIELD: &str = "person.phone.national";

fn national_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 10).then(|| digits[digits.len() - 10..].to_owned())
}
pub(crate) const CASE_NUMBER_FIELD: &str = "case.number";
/// Search results shown at most. Each person shown is decrypted and leaves an entry in their
/// "who saw my file": a list only as long as one can pick from keeps both the exposure and
/// the cost down, and [`SearchResults::more`] tells the reader to type a few more letters.
pub const SEARCH_LIMIT: usize = 10;
/// Asked of each index: one more than is shown tells whether there are more.
const LOOK_AT: i64 = SEARCH_LIMIT as i64 + 1;

/// A person as a reader may see them: only the sections the reader's role allows.
#[derive(Clone, Serialize)]
pub struct PersonView {
    pub id: PersonId,
    pub version: i64,
    #[serde(flatten)]
    pub fields: PersonFields,
    pub case_numbers: Vec<String>,
    pub safe_contact_confirmed_at: Option<DateTime<Utc>>,
    /// Safe-contact preferences are older than 90 days (or were never confirmed).
    pub safe_contact_needs_confirming: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The narrative was removed by the retention policy on this day (readers of it only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative_removed_on: Option<chrono::NaiveDate>,
    /// The safe-contact preferences were removed by the retention policy on this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safe_contact_removed_on: Option<chrono::NaiveDate>,
    /// What the reader may see and do here (for pages).
    #[serde(skip)]
    pub can: Can,
    #[serde(skip)]
    pub cases: Vec<CaseRow>,
}

impl std::fmt::Debug for PersonView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonView").field("id", &self.id).field("version", &self.version).finish_non_exhaustive()
    }
}

/// The sections a reader may see or change on this record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Can {
    pub identity: bool,
    pub narrative: bool,
    pub safety: bool,
    pub consent: bool,
    /// Shelter stays.
    pub stay: bool,
    pub write_identity: bool,
    pub write_narrative: bool,
    pub write_safety: bool,
    pub write_consent: bool,
    pub open_case: bool,
}

/// A possible duplicate shown at intake: alias and case numbers only.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DuplicateHint {
    pub id: PersonId,
    pub alias: Option<String>,
    pub case_numbers: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreatedPerson {
    pub id: PersonId,
    pub version: i64,
    pub possible_duplicates: Vec<DuplicateHint>,
}

/// A search result; names only for those allowed to read them.
#[derive(Clone, Serialize, PartialEq, Eq)]
pub struct SearchHit {
    pub id: PersonId,
    pub alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    pub case_numbers: Vec<String>,
}

/// What a search found: at most [`SEARCH_LIMIT`] people the reader may see, and whether the
/// index matched more than were looked at (narrow the query to see them).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    pub more: bool,
}

impl std::fmt::Debug for SearchHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchHit").field("id", &self.id).finish_non_exhaustive()
    }
}

fn value_of(a: &Option<Answer<String>>) -> Option<String> {
    a.as_ref().and_then(Answer::value).cloned()
}

impl Amparo {
    /// Blind-index tokens of a person: name words (with type-ahead prefixes), phone, case numbers.
    pub(crate) fn person_tokens(&self, org: OrgId, identity: &Identity, case_numbers: &[String]) -> Vec<String> {
        let keys = self.inner.keys.org(org);
        let bi = keys.blind_index();
        let mut tokens = bi.name_tokens(NAME_FIELD, &identity.name_text());
        if let Some(p) = identity.phone.as_ref().and_then(Answer::value) {
            tokens.push(bi.phone_token(PHONE_FIELD, identity.phone_e164.as_deref().unwrap_or(p)));
            if let Some(national) = national_digits(p) {
                tokens.push(bi.exact_token(PHONE_NATIONAL_FIELD, &national));
            }
        }
        for n in case_numbers {
            tokens.push(bi.exact_token(CASE_NUMBER_FIELD, n));
        }
        let mut seen = HashSet::new();
        tokens.retain(|t| seen.insert(t.clone()));
        tokens
    }

    /// Writes the clear, coded columns from the fields given.
    fn apply_coded(&self, row: &mut PersonRow, f: &PersonFields, identity: &Identity) {
        let today = self.now().date_naive();
        if let Some(g) = &f.gender {
            row.gender = Some(answer_code(g, String::clone));
        }
        if let Some(c) = &f.citizenship {
            row.citizenship = c.clone();
        }
        if let Some(l) = &f.primary_language {
            row.primary_language = Some(answer_code(l, String::clone));
        }
        if let Some(l) = &f.languages {
            row.other_languages = l.clone();
        }
        if let Some(i) = &f.interpreter_needed {
            row.interpreter_needed = Some(answer_code(i, |b| if *b { "yes".into() } else { "no".into() }));
        }
        if let Some(h) = &f.household_size {
            row.household_size = h.value().copied();
        }
        if let Some(d) = &f.dependants {
            row.dependants = d.value().copied();
        }
        // Reports get the birth year and an age band, never the date.
        if let Some(b) = identity.birth_date() {
            row.birth_year = Some(b.year());
            row.age_band = Some(age_band_of(age_on(b, today)).code().to_owned());
        } else if let Some(age) = identity.estimated_age.as_ref().and_then(Answer::value) {
            row.birth_year = Some(today.year() - age);
            row.age_band = Some(age_band_of(*age).code().to_owned());
        } else if f.birth_date.is_some() || f.estimated_age.is_some() {
            row.birth_year = None;
            row.age_band = None;
        }
    }

    fn seal_person_parts(
        &self,
        key: &DataKey,
        row: &mut PersonRow,
        identity: &Identity,
        f: &PersonFields,
    ) -> AppResult<()> {
        let id = *row.id.as_uuid();
        row.identity = seal_json(key, "persons", "identity", id, identity)?;
        // The story may be added to or corrected, never wiped by an empty form: it can be
        // evidence (immigration relief), and a blank field is more often a slip than a wish.
        if let Some(n) = f.narrative.as_ref().filter(|n| !n.trim().is_empty()) {
            row.narrative = Some(seal_json(key, "persons", "narrative", id, n)?);
        }
        if let Some(sc) = &f.safe_contact {
            row.safe_contact = Some(seal_json(key, "persons", "safe_contact", id, sc)?);
            row.safe_contact_confirmed_at = Some(self.now());
        }
        Ok(())
    }

    /// The task of confirming safe-contact preferences again, 90 days after they were.
    pub(crate) fn safe_contact_tasks(
        &self,
        row: &PersonRow,
        case: Option<amparo_domain::CaseId>,
    ) -> Vec<amparo_store::TaskRow> {
        let due: Vec<_> = row
            .safe_contact_confirmed_at
            .map(|t| amparo_domain::records::deadlines::safe_contact_task(t.date_naive()))
            .into_iter()
            .collect();
        self.derived_rows(row.org, row.id, case, *row.id.as_uuid(), &due, None)
    }

    /// Intake: only a name or an alias is required; everything else can come later.
    pub async fn create_person(&self, caller: &Caller, mut fields: PersonFields) -> AppResult<CreatedPerson> {
        let (org, by) = match caller {
            Caller::User { actor, .. } => {
                if let Err(reason) = amparo_domain::authorize(
                    actor,
                    Action::CreateRecord,
                    amparo_domain::Resource::Record(&amparo_domain::RecordScope {
                        org: actor.org,
                        team: vec![actor.user],
                        restricted_to: None,
                        break_glass: vec![],
                    }),
                ) {
                    return Err(self.denied(caller, "person.create", reason).await);
                }
                (actor.org, Some(actor.user))
            }
            Caller::Operator => return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission)),
        };
        self.create_person_in(caller, org, by, &mut fields).await
    }

    /// Intake on behalf of an organisation (the command line's demo data uses it too).
    pub(crate) async fn create_person_in(
        &self,
        caller: &Caller,
        org: OrgId,
        by: Option<amparo_domain::UserId>,
        fields: &mut PersonFields,
    ) -> AppResult<CreatedPerson> {
        let layout = self.layout_of(org, FormKind::Person).await?;
        let (row, identity) = self.build_person(org, by, fields)?;
        let id = row.id;
        // Intake asks for every field the organisation made required.
        missing_required(&layout, |_| true, |code| person_given(fields, code))?;
        let mut custom = CustomValues::new();
        Self::merge_custom(&layout, &mut custom, fields.custom.as_ref(), true)?;
        let custom = if custom.is_empty() {
            None
        } else {
            let target = CustomTarget { form: FormKind::Person, record: *id.as_uuid(), org, person: id, case: None };
            Some(self.custom_row(&self.person_key(&row)?, &target, &custom, row.created_at)?)
        };
        let tokens = self.person_tokens(org, &identity, &[]);
        let duplicates = self.possible_duplicates(caller, org, &identity).await?;
        let mut tx = self.inner.store.begin().await?;
        tx.insert_person(&row).await?;
        if let Some(custom) = &custom {
            tx.put_custom_values(custom).await?;
        }
        tx.set_search_tokens(org, id, &tokens).await?;
        tx.replace_derived_tasks(*id.as_uuid(), &self.safe_contact_tasks(&row, None)).await?;
        let mut d = self.record_draft(caller, "person.create", AuditOutcome::Ok, "person", *id.as_uuid());
        d.org = Some(org);
        let mut drafts = vec![d];
        // The possible duplicates shown at intake were seen too.
        drafts.extend(duplicates.iter().map(|h| {
            let mut e = self.record_draft(caller, "person.duplicate_hint", AuditOutcome::Ok, "person", *h.id.as_uuid());
            e.org = Some(org);
            e
        }));
        self.inner.auditor.commit_with(tx, &drafts).await?;
        Ok(CreatedPerson { id, version: row.version, possible_duplicates: duplicates })
    }

    /// Checks the fields and builds the new person's row: a fresh data key, wrapped by the
    /// organisation's key; identity, story and safe contact sealed with it.
    pub(crate) fn build_person(
        &self,
        org: OrgId,
        by: Option<amparo_domain::UserId>,
        fields: &mut PersonFields,
    ) -> AppResult<(PersonRow, Identity)> {
        fields.validate(self.now().date_naive())?;
        if !fields.has_name_or_alias() {
            return Err(AppError::invalid(
                "alias",
                DomainError::PersonField(amparo_domain::records::PersonFieldError::NameOrAliasRequired),
            ));
        }
        let id = PersonId::new();
        let key = DataKey::generate();
        let now = self.now();
        let mut identity = Identity::default();
        identity.apply(fields);
        let mut row = PersonRow {
            id,
            org,
            created_by: by,
            wrapped_key: self.inner.keys.org(org).wrap_data_key(id, &key),
            gender: None,
            birth_year: None,
            age_band: None,
            citizenship: Vec::new(),
            primary_language: None,
            other_languages: Vec::new(),
            interpreter_needed: None,
            household_size: None,
            dependants: None,
            safe_contact_confirmed_at: None,
            identity: Vec::new(),
            safe_contact: None,
            narrative: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.apply_coded(&mut row, fields, &identity);
        self.seal_person_parts(&key, &mut row, &identity, fields)?;
        Ok((row, identity))
    }

    /// People already on file whose name or phone matches: shown at intake, alias and case
    /// numbers only, and only those the caller may see.
    pub(crate) async fn possible_duplicates(
        &self,
        caller: &Caller,
        org: OrgId,
        identity: &Identity,
    ) -> AppResult<Vec<DuplicateHint>> {
        let ids = self.duplicate_ids(org, identity).await?;
        self.duplicate_hints(caller, ids).await
    }

    /// Everyone on file the blind index matches by full name (or alias) or phone, whoever
    /// may see them: an import counts them even for a caller who may not read them.
    pub(crate) async fn duplicate_ids(&self, org: OrgId, identity: &Identity) -> AppResult<Vec<PersonId>> {
        let bi_keys = self.inner.keys.org(org);
        let bi = bi_keys.blind_index();
        let mut ids: Vec<PersonId> = Vec::new();
        // The full name when there is one, else the alias: a duplicate shares all its words.
        let words = match (value_of(&identity.given_name), value_of(&identity.family_name)) {
            (Some(g), Some(f)) => format!("{g} {f}"),
            (Some(g), None) => g,
            _ => value_of(&identity.alias).unwrap_or_default(),
        };
        if !words.trim().is_empty() {
            let tokens = bi.name_query_tokens(NAME_FIELD, &words);
            ids.extend(self.inner.store.persons_with_tokens(org, &tokens, 10).await?);
        }
        if let Some(p) = identity.phone.as_ref().and_then(Answer::value) {
            let t = bi.phone_token(PHONE_FIELD, identity.phone_e164.as_deref().unwrap_or(p));
            ids.extend(self.inner.store.persons_with_tokens(org, &[t], 10).await?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Alias and case numbers of those `ids` the caller may see.
    pub(crate) async fn duplicate_hints(&self, caller: &Caller, ids: Vec<PersonId>) -> AppResult<Vec<DuplicateHint>> {
        let mut out = Vec::new();
        for id in ids {
            let record = self.load_record(id).await?;
            if may(&record, caller, Action::ReadRecord(Section::Summary)).is_err() {
                continue;
            }
            let key = self.person_key(&record.person)?;
            let ident: Identity = open_json(&key, "persons", "identity", *id.as_uuid(), &record.person.identity)?;
            out.push(DuplicateHint {
                id,
                alias: value_of(&ident.alias),
                case_numbers: record.visible_cases(caller).iter().map(|c| c.number.clone()).collect(),
            });
        }
        Ok(out)
    }

    fn can(record: &Record, caller: &Caller) -> Can {
        let ok = |a| may(record, caller, a).is_ok();
        Can {
            identity: ok(Action::ReadRecord(Section::Identity)),
            narrative: ok(Action::ReadRecord(Section::Narrative)),
            safety: ok(Action::ReadRecord(Section::Safety)),
            consent: ok(Action::ReadRecord(Section::Consent)),
            stay: ok(Action::ReadRecord(Section::Stay)),
            write_identity: ok(Action::WriteRecord(Section::Identity)),
            write_narrative: ok(Action::WriteRecord(Section::Narrative)),
            write_safety: ok(Action::WriteRecord(Section::Safety)),
            write_consent: ok(Action::WriteRecord(Section::Consent)),
            open_case: ok(Action::WriteRecord(Section::Summary)),
        }
    }

    /// Builds what a reader may see of a loaded record.
    pub(crate) fn person_view(&self, record: &Record, caller: &Caller) -> AppResult<PersonView> {
        let p = &record.person;
        let can = Self::can(record, caller);
        let key = self.person_key(p)?;
        let id = *p.id.as_uuid();
        let identity: Identity = open_json(&key, "persons", "identity", id, &p.identity)?;
        let mut fields = PersonFields {
            alias: identity.alias.clone(),
            gender: p.gender.as_deref().and_then(|g| code_answer(g, |s| Some(s.to_owned()))),
            citizenship: Some(p.citizenship.clone()),
            primary_language: p.primary_language.as_deref().and_then(|l| code_answer(l, |s| Some(s.to_owned()))),
            languages: Some(p.other_languages.clone()),
            interpreter_needed: p.interpreter_needed.as_deref().and_then(|i| code_answer(i, |s| Some(s == "yes"))),
            ..PersonFields::default()
        };
        if can.identity {
            fields.given_name = identity.given_name.clone();
            fields.family_name = identity.family_name.clone();
            fields.birth_date = identity.birth_date.clone();
            fields.estimated_age = identity.estimated_age.clone();
            fields.phone = identity.phone.clone();
            fields.email = identity.email.clone();
            fields.address = identity.address.clone();
            fields.household_size = identity.household_size.clone().or(p.household_size.map(Answer::Value));
            fields.dependants = identity.dependants.clone().or(p.dependants.map(Answer::Value));
        }
        if can.narrative {
            fields.narrative = match &p.narrative {
                Some(n) => Some(open_json(&key, "persons", "narrative", id, n)?),
                None => None,
            };
        }
        if can.safety {
            fields.safe_contact = match &p.safe_contact {
                Some(s) => Some(open_json::<Vec<SafeContact>>(&key, "persons", "safe_contact", id, s)?),
                None => None,
            };
        }
        let now = self.now();
        Ok(PersonView {
            id: p.id,
            version: p.version,
            fields,
            case_numbers: record.visible_cases(caller).iter().map(|c| c.number.clone()).collect(),
            safe_contact_confirmed_at: p.safe_contact_confirmed_at,
            safe_contact_needs_confirming: p
                .safe_contact_confirmed_at
                .is_none_or(|t| now - t > chrono::Duration::days(SAFE_CONTACT_RECONFIRM_DAYS)),
            created_at: p.created_at,
            updated_at: p.updated_at,
            narrative_removed_on: None,
            safe_contact_removed_on: None,
            can,
            cases: record.visible_cases(caller).into_iter().cloned().collect(),
        })
    }

    /// Reads a person (audited before anything is shown).
    pub async fn read_person(&self, caller: &Caller, id: PersonId) -> AppResult<PersonView> {
        let record = self.load_record(id).await?;
        self.require(caller, &record, Action::ReadRecord(Section::Summary), "person.read").await?;
        // Decrypting overlaps the durable audit write; nothing is shown unless both succeed.
        let (audited, view) =
            tokio::join!(self.audit_read(caller, "person.read", "person", *id.as_uuid(), record.person.org), async {
                self.person_view(&record, caller)
            });
        audited?;
        let mut view = view?;
        view.fields.custom = Some(self.custom_view(&record.person, FormKind::Person, *id.as_uuid()).await?);
        use amparo_domain::retention::RetentionRule;
        if view.can.narrative && record.person.narrative.is_none() {
            view.narrative_removed_on = self.purged_on(id, RetentionRule::PersonNarrative).await?;
        }
        if view.can.safety && record.person.safe_contact.is_none() {
            view.safe_contact_removed_on = self.purged_on(id, RetentionRule::PersonSafeContact).await?;
        }
        Ok(view)
    }

    /// Changes the fields given, if `version` is still the stored one (else `Conflict`).
    pub async fn update_person(
        &self,
        caller: &Caller,
        id: PersonId,
        version: Option<i64>,
        mut fields: PersonFields,
    ) -> AppResult<PersonView> {
        let record = self.load_record(id).await?;
        let touches_identity = fields.given_name.is_some()
            || fields.family_name.is_some()
            || fields.alias.is_some()
            || fields.birth_date.is_some()
            || fields.estimated_age.is_some()
            || fields.phone.is_some()
            || fields.email.is_some()
            || fields.address.is_some()
            || fields.household_size.is_some()
            || fields.dependants.is_some()
            || fields.gender.is_some()
            || fields.citizenship.is_some()
            || fields.primary_language.is_some()
            || fields.languages.is_some()
            || fields.interpreter_needed.is_some();
        if touches_identity {
            self.require(caller, &record, Action::WriteRecord(Section::Identity), "person.update").await?;
        }
        if fields.narrative.is_some() {
            self.require(caller, &record, Action::WriteRecord(Section::Narrative), "person.update").await?;
        }
        if fields.safe_contact.is_some() {
            self.require(caller, &record, Action::WriteRecord(Section::Safety), "person.update").await?;
        }
        // The organisation's own fields belong to the record's summary (see docs/forms.md).
        if fields.custom.is_some() {
            self.require(caller, &record, Action::WriteRecord(Section::Summary), "person.update").await?;
        }
        self.require(caller, &record, Action::ReadRecord(Section::Summary), "person.update").await?;
        // A missing version is as stale as a wrong one: nobody overwrites what they did not see.
        let Some(version) = version.filter(|v| *v == record.person.version) else {
            return Err(AppError::Conflict);
        };
        fields.validate(self.now().date_naive())?;
        let key = self.person_key(&record.person)?;
        let pid = *id.as_uuid();
        let mut identity: Identity = open_json(&key, "persons", "identity", pid, &record.person.identity)?;
        identity.apply(&fields);
        let still_named = [&identity.given_name, &identity.alias]
            .iter()
            .any(|a| matches!(a, Some(Answer::Value(v)) if !v.trim().is_empty()));
        if !still_named {
            return Err(AppError::invalid(
                "alias",
                DomainError::PersonField(amparo_domain::records::PersonFieldError::NameOrAliasRequired),
            ));
        }
        let mut row = record.person.clone();
        row.version = version;
        self.apply_coded(&mut row, &fields, &identity);
        self.seal_person_parts(&key, &mut row, &identity, &fields)?;
        // A section being written must be left with every field the organisation requires
        // in it (a record made before the rule is asked for them at its next edit).
        let layout = self.layout_of(row.org, FormKind::Person).await?;
        let written = |s: Section| match s {
            Section::Identity => touches_identity,
            Section::Narrative => fields.narrative.is_some(),
            Section::Safety => fields.safe_contact.is_some(),
            _ => false,
        };
        missing_required(&layout, written, |code| person_stored(&row, &identity, code))?;
        let custom = match &fields.custom {
            Some(given) => {
                let mut stored = self.open_custom(&key, FormKind::Person, pid).await?;
                Self::merge_custom(&layout, &mut stored, Some(given), true)?;
                let target = CustomTarget { form: FormKind::Person, record: pid, org: row.org, person: id, case: None };
                Some(self.custom_row(&key, &target, &stored, self.now())?)
            }
            None => None,
        };
        let numbers: Vec<String> = record.cases.iter().map(|c| c.number.clone()).collect();
        let tokens = self.person_tokens(row.org, &identity, &numbers);
        let mut tx = self.inner.store.begin().await?;
        let saved = tx.update_person(&row).await?;
        if let Some(custom) = &custom {
            tx.put_custom_values(custom).await?;
        }
        tx.set_search_tokens(row.org, id, &tokens).await?;
        if fields.safe_contact.is_some() {
            let tasks = self.safe_contact_tasks(&saved, crate::casework::current_case(&record.cases));
            tx.replace_derived_tasks(pid, &tasks).await?;
        }
        let mut d = self.record_draft(caller, "person.update", AuditOutcome::Ok, "person", pid);
        d.org = Some(row.org);
        self.inner.auditor.commit_with(tx, &[d]).await?;
        let record = Record { person: saved, cases: record.cases, grants: record.grants };
        let mut view = self.person_view(&record, caller)?;
        view.fields.custom = Some(self.custom_view(&record.person, FormKind::Person, pid).await?);
        Ok(view)
    }

    /// Finds people by name, alias, phone or case number, without any plaintext index.
    /// The query travels in a request body and is never logged.
    pub async fn search_persons(&self, caller: &Caller, query: &str) -> AppResult<SearchResults> {
        let q = query.trim();
        if q.chars().count() < 2 {
            return Err(AppError::invalid(
                "q",
                DomainError::PersonField(amparo_domain::records::PersonFieldError::QueryTooShort),
            ));
        }
        let Caller::User { actor, .. } = caller else {
            return Err(AppError::Forbidden(amparo_domain::Denied::RoleLacksPermission));
        };
        // A role that reads no record at all is refused outright (and the refusal audited),
        // rather than answered with an empty list.
        let own_team = amparo_domain::RecordScope {
            org: actor.org,
            team: vec![actor.user],
            restricted_to: None,
            break_glass: vec![],
        };
        if let Err(reason) = amparo_domain::authorize(
            actor,
            Action::ReadRecord(Section::Summary),
            amparo_domain::Resource::Record(&own_team),
        ) {
            return Err(self.denied(caller, "person.search", reason).await);
        }
        let org = actor.org;
        let keys = self.inner.keys.org(org);
        let bi = keys.blind_index();
        // Ask only the indexes the query can match: names when it has letters, a case number
        // when it is shaped like one, phone numbers when it has enough digits for one.
        let mut ids = Vec::new();
        if q.chars().any(char::is_alphabetic) {
            ids.extend(self.inner.store.persons_with_tokens(org, &bi.name_query_tokens(NAME_FIELD, q), LOOK_AT).await?);
        }
        if let Ok(number) = amparo_domain::records::CaseNumber::parse(q) {
            let t = bi.exact_token(CASE_NUMBER_FIELD, number.as_str());
            ids.extend(self.inner.store.persons_with_tokens(org, &[t], LOOK_AT).await?);
        } else if q.chars().filter(char::is_ascii_digit).count() >= 7 {
            let phone = bi.phone_token(
                PHONE_FIELD,
                &amparo_domain::records::normalise_e164(q).ok().flatten().unwrap_or_else(|| q.to_owned()),
            );
            let mut tokens = vec![phone];
            ids.extend(self.inner.store.persons_with_tokens(org, &tokens, LOOK_AT).await?);
            if let Some(national) = national_digits(q) {
                tokens = vec![bi.exact_token(PHONE_NATIONAL_FIELD, &national)];
                ids.extend(self.inner.store.persons_with_tokens(org, &tokens, LOOK_AT).await?);
            }
        }
        let mut seen = HashSet::new();
        ids.retain(|i| seen.insert(*i));
        let more = ids.len() > SEARCH_LIMIT;
        ids.truncate(SEARCH_LIMIT);
        let mut hits = Vec::new();
        for record in self.load_records(&ids).await? {
            let id = record.person.id;
            let record = if may(&record, caller, Action::ReadRecord(Section::Summary)).is_ok() {
                record
            } else {
                // Only a break-glass grant could still open it: look for one.
                match self.load_record(id).await {
                    Ok(r) if may(&r, caller, Action::ReadRecord(Section::Summary)).is_ok() => r,
                    Ok(_) | Err(AppError::NotFound | AppError::Gone) => continue,
                    Err(e) => return Err(e),
                }
            };
            let names = may(&record, caller, Action::ReadRecord(Section::Identity)).is_ok();
            let key = keys.unwrap_data_key(id, &record.person.wrapped_key)?;
            let ident: Identity = open_json(&key, "persons", "identity", *id.as_uuid(), &record.person.identity)?;
            hits.push(SearchHit {
                id,
                alias: value_of(&ident.alias),
                given_name: if names { value_of(&ident.given_name) } else { None },
                family_name: if names { value_of(&ident.family_name) } else { None },
                case_numbers: record.visible_cases(caller).iter().map(|c| c.number.clone()).collect(),
            });
        }
        // The search, and one entry per person it showed: "who saw my file" includes those who
        // saw a name in a list.
        let mut d = self.draft(caller, "person.search", AuditOutcome::Ok);
        d.detail = Some(format!("results.{}", hits.len()));
        if self.inner.config.audit_reads {
            let mut drafts = vec![d];
            drafts.extend(hits.iter().map(|h| {
                let mut e = self.record_draft(caller, "person.search_hit", AuditOutcome::Ok, "person", *h.id.as_uuid());
                e.org = Some(org);
                e
            }));
            self.inner.auditor.record(drafts).await?;
        }
        Ok(SearchResults { items: hits, more })
    }
}
