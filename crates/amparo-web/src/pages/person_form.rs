//! The person's fields as a form holds them (strings, as typed), to and from the use cases'
//! `PersonFields`. Intake and edit share it, and so does the page that reconciles an edit
//! with what someone else saved meanwhile.

use amparo_app::AppError;
use amparo_app::records::{PersonFields, PersonView, SafeContact};
use amparo_domain::DomainError;
use amparo_domain::records::vocab::Gender;
use amparo_domain::records::{Answer, ContactChannel, DeclineCode};

use amparo_domain::Section;
use amparo_domain::forms::{FormField, FormLayout};

use crate::pages::form_fields::{FieldInput, custom_input, custom_inputs, custom_shown};
use crate::pages::forms::field_label;
use crate::pages::records::{Choice, Fields, LANGUAGES, choices, declines, label, number_answer, text_answer};
use crate::view::{FormErrors, Tr};

/// The optional answers that are typed in, with their input type and label.
pub const ANSWERS: [(&str, &str, &str); 10] = [
    ("given_name", "text", "records-field-given_name"),
    ("family_name", "text", "records-field-family_name"),
    ("alias", "text", "records-field-alias"),
    ("birth_date", "date", "records-field-birth_date"),
    ("estimated_age", "number", "records-field-estimated_age"),
    ("phone", "tel", "records-field-phone"),
    ("email", "email", "records-field-email"),
    ("address", "textarea", "records-field-address"),
    ("household_size", "number", "records-field-household_size"),
    ("dependants", "number", "records-field-dependants"),
];

/// The person's fields as typed.
#[derive(Clone, Default, PartialEq)]
pub struct PersonForm {
    /// Per answer in `ANSWERS`: (value, decline code).
    pub answers: Vec<(String, String)>,
    pub gender: String,
    pub citizenship: String,
    pub primary_language: String,
    pub primary_language_other: String,
    pub languages: String,
    pub interpreter: String,
    pub narrative: String,
    pub safe_contact: Vec<SafeContact>,
    /// The organisation's own fields: code → text typed.
    pub custom: Vec<(String, String)>,
}

impl PersonForm {
    pub fn answer(&self, name: &str) -> (String, String) {
        ANSWERS.iter().position(|(n, _, _)| *n == name).and_then(|i| self.answers.get(i)).cloned().unwrap_or_default()
    }

    pub fn from_fields(f: &Fields) -> Self {
        Self {
            answers: ANSWERS
                .iter()
                .map(|(n, _, _)| (f.get(n).to_owned(), f.get(&format!("{n}_decline")).to_owned()))
                .collect(),
            gender: f.get("gender").to_owned(),
            citizenship: f.get("citizenship").to_owned(),
            primary_language: f.get("primary_language").to_owned(),
            primary_language_other: f.get("primary_language_other").to_owned(),
            languages: f.get("languages").to_owned(),
            interpreter: f.get("interpreter_needed").to_owned(),
            narrative: f.get("narrative").to_owned(),
            safe_contact: safe_contacts(f),
            custom: f
                .0
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("custom.").map(|code| (code.to_owned(), v.clone())))
                .collect(),
        }
    }

    pub fn from_view(v: &PersonView) -> Self {
        let p = &v.fields;
        let parts = |a: &Option<Answer<String>>| crate::pages::records::answer_parts(a);
        let nums = |a: &Option<Answer<i32>>| crate::pages::records::answer_parts(a);
        let (primary_language, primary_language_other) = match &p.primary_language {
            Some(Answer::Value(c)) if LANGUAGES.contains(&c.as_str()) => (c.clone(), String::new()),
            Some(Answer::Value(c)) => ("other".to_owned(), c.clone()),
            Some(Answer::Declined(d)) => (d.code().to_owned(), String::new()),
            None => (String::new(), String::new()),
        };
        Self {
            answers: vec![
                parts(&p.given_name),
                parts(&p.family_name),
                parts(&p.alias),
                parts(&p.birth_date),
                nums(&p.estimated_age),
                parts(&p.phone),
                parts(&p.email),
                parts(&p.address),
                nums(&p.household_size),
                nums(&p.dependants),
            ],
            gender: match &p.gender {
                Some(Answer::Value(g)) => g.clone(),
                Some(Answer::Declined(d)) => d.code().to_owned(),
                None => String::new(),
            },
            citizenship: p.citizenship.clone().unwrap_or_default().join(", "),
            primary_language,
            primary_language_other,
            languages: p.languages.clone().unwrap_or_default().join(", "),
            interpreter: match &p.interpreter_needed {
                Some(Answer::Value(true)) => "yes".to_owned(),
                Some(Answer::Value(false)) => "no".to_owned(),
                Some(Answer::Declined(d)) => d.code().to_owned(),
                None => String::new(),
            },
            narrative: p.narrative.clone().unwrap_or_default(),
            safe_contact: normalised(p.safe_contact.clone().unwrap_or_default()),
            custom: p.custom.as_ref().map(custom_shown).unwrap_or_default(),
        }
    }

    /// The fields to send, section by section: only what the reader may both see and change
    /// (a section they cannot see must never be overwritten from an empty form), and never a
    /// field the organisation hid (it is not on the form, and keeps its stored value).
    pub fn to_fields(&self, sections: Sections, layout: &FormLayout) -> Result<PersonFields, AppError> {
        let mut out = PersonFields::default();
        let f = self.as_fields();
        if sections.identity {
            out.given_name = text_answer(&f, "given_name", "given_name_decline")?;
            out.family_name = text_answer(&f, "family_name", "family_name_decline")?;
            out.alias = text_answer(&f, "alias", "alias_decline")?;
            out.birth_date = text_answer(&f, "birth_date", "birth_date_decline")?;
            out.estimated_age = number_answer(&f, "estimated_age", "estimated_age_decline")?;
            out.phone = text_answer(&f, "phone", "phone_decline")?;
            out.email = text_answer(&f, "email", "email_decline")?;
            out.address = text_answer(&f, "address", "address_decline")?;
            out.household_size = number_answer(&f, "household_size", "household_size_decline")?;
            out.dependants = number_answer(&f, "dependants", "dependants_decline")?;
            out.gender = code_answer(&self.gender, "gender")?;
            out.interpreter_needed = match self.interpreter.as_str() {
                "" => None,
                "yes" => Some(Answer::Value(true)),
                "no" => Some(Answer::Value(false)),
                other => Some(Answer::Declined(
                    DeclineCode::from_code(other)
                        .ok_or(AppError::invalid("interpreter_needed", DomainError::UnknownCode))?,
                )),
            };
            out.citizenship = Some(code_list(&self.citizenship));
            out.languages = Some(code_list(&self.languages));
            out.primary_language = self.language_answer()?;
        }
        if sections.narrative {
            out.narrative = Some(self.narrative.clone());
        }
        if sections.safety && !self.safe_contact.is_empty() {
            out.safe_contact = Some(self.safe_contact.clone());
        }
        if sections.custom && layout.custom_fields().any(|c| !c.hidden) {
            out.custom = Some(custom_input(&self.custom, layout));
        }
        for hidden in layout.fields.iter().filter(|f| f.hidden) {
            leave_out(&mut out, &hidden.code);
        }
        Ok(out)
    }

    /// Intake: the fields asked at intake (names, alias, language, safe contact), every field
    /// the organisation made required, and its own fields; none it hid.
    pub fn intake_fields(&self, layout: &FormLayout) -> Result<PersonFields, AppError> {
        let all = Sections { identity: true, narrative: true, safety: true, custom: true };
        let mut out = self.to_fields(all, layout)?;
        for f in layout.fields.iter().filter(|f| !f.is_custom() && !at_intake(f)) {
            leave_out(&mut out, &f.code);
        }
        if out.narrative.as_ref().is_some_and(|n| n.trim().is_empty()) {
            out.narrative = None;
        }
        Ok(out)
    }

    fn language_answer(&self) -> Result<Option<Answer<String>>, AppError> {
        if self.primary_language == "other" {
            let code = self.primary_language_other.trim();
            if code.is_empty() {
                return Err(AppError::invalid("primary_language_other", DomainError::UnknownCode));
            }
            return Ok(Some(Answer::Value(code.to_owned())));
        }
        code_answer(&self.primary_language, "primary_language")
    }

    fn as_fields(&self) -> Fields {
        let mut pairs = Vec::new();
        for ((n, _, _), (value, decline)) in ANSWERS.iter().zip(&self.answers) {
            pairs.push(((*n).to_owned(), value.clone()));
            pairs.push((format!("{n}_decline"), decline.clone()));
        }
        Fields(pairs)
    }

    /// What the reconcile page compares: (label, as shown) per field the reader handles and
    /// the organisation shows.
    pub fn summary(&self, l: Tr, sections: Sections, layout: &FormLayout) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let shown = |value: &str, decline: &str| {
            if decline.is_empty() { value.to_owned() } else { label(l, "decline", decline) }
        };
        for f in layout.visible() {
            let name = field_label(f, l.0);
            match (f.section(), f.code.as_str()) {
                _ if f.is_custom() => {
                    if sections.custom {
                        let v = self.custom.iter().find(|(k, _)| *k == f.code).map(|(_, v)| v.clone());
                        out.push((name, v.unwrap_or_default()));
                    }
                }
                (Section::Identity, _) if !sections.identity => {}
                (_, "gender") => {
                    let gender = if DeclineCode::from_code(&self.gender).is_some() {
                        label(l, "decline", &self.gender)
                    } else if self.gender.is_empty() {
                        String::new()
                    } else {
                        label(l, "gender", &self.gender)
                    };
                    out.push((name, gender));
                }
                (_, "citizenship") => out.push((name, self.citizenship.clone())),
                (_, "primary_language") => {
                    let lang = if self.primary_language == "other" {
                        self.primary_language_other.clone()
                    } else if DeclineCode::from_code(&self.primary_language).is_some() {
                        label(l, "decline", &self.primary_language)
                    } else {
                        self.primary_language.clone()
                    };
                    out.push((name, lang));
                }
                (_, "languages") => out.push((name, self.languages.clone())),
                (_, "interpreter_needed") => out.push((name, interpreter_label(l, &self.interpreter))),
                (_, "narrative") => {
                    if sections.narrative {
                        out.push((name, self.narrative.clone()));
                    }
                }
                (_, "safe_contact") => {
                    if sections.safety {
                        for r in sc_rows(l, &self.safe_contact) {
                            let mut said = Vec::new();
                            if r.safe {
                                said.push(l.t("records-sc-safe"));
                            }
                            if r.voicemail {
                                said.push(l.t("records-sc-voicemail"));
                            }
                            if r.agency {
                                said.push(l.t("records-sc-agency"));
                            }
                            for t in [&r.cover_story, &r.safe_times, &r.code_word, &r.who_may_answer] {
                                if !t.is_empty() {
                                    said.push(t.clone());
                                }
                            }
                            out.push((r.label, said.join(" · ")));
                        }
                    }
                }
                (_, code) => {
                    let (value, decline) = self.answer(code);
                    out.push((name, shown(&value, &decline)));
                }
            }
        }
        out
    }

    /// The identity section's inputs, in the organisation's order (hidden ones left out).
    pub fn identity_inputs(&self, l: Tr, layout: &FormLayout, errors: &FormErrors) -> Vec<FieldInput> {
        layout
            .visible()
            .filter(|f| !f.is_custom() && f.section() == Section::Identity)
            .map(|f| self.input(l, f, errors, true))
            .collect()
    }

    /// Intake's inputs of the identity section: the intake fields and the required ones.
    /// Only a required field offers the reasons for no answer (an optional one can be left).
    pub fn intake_inputs(&self, l: Tr, layout: &FormLayout, errors: &FormErrors) -> Vec<FieldInput> {
        layout
            .visible()
            .filter(|f| !f.is_custom() && f.section() == Section::Identity && at_intake(f))
            .map(|f| self.input(l, f, errors, f.required))
            .collect()
    }

    /// The organisation's own fields' inputs.
    pub fn custom_inputs(&self, l: Tr, layout: &FormLayout, errors: &FormErrors) -> Vec<FieldInput> {
        custom_inputs(l, layout, &self.custom, errors)
    }

    fn input(&self, l: Tr, f: &FormField, errors: &FormErrors, with_declines: bool) -> FieldInput {
        let decline_list = |selected: &str| if with_declines { declines(l, selected) } else { Vec::new() };
        let base = |kind| FieldInput::new(f, l, f.code.clone(), kind, errors);
        match f.code.as_str() {
            "gender" => FieldInput {
                choices: gender_choices(l, &self.gender),
                declines: declines(l, &self.gender),
                ..base("select")
            },
            "interpreter_needed" => FieldInput {
                choices: interpreter_choices(l, &self.interpreter),
                declines: declines(l, &self.interpreter),
                ..base("select")
            },
            "primary_language" => FieldInput {
                choices: language_choices(l, &self.primary_language),
                declines: declines(l, &self.primary_language),
                other_value: self.primary_language_other.clone(),
                other_error: errors.get("primary_language_other").cloned(),
                ..base("language")
            },
            "citizenship" => FieldInput {
                value: self.citizenship.clone(),
                hint: l.t("records-field-citizenship-hint"),
                ..base("codes")
            },
            "languages" => {
                FieldInput { value: self.languages.clone(), hint: l.t("records-field-languages-hint"), ..base("codes") }
            }
            code => {
                let kind = ANSWERS.iter().find(|(n, _, _)| *n == code).map_or("text", |(_, k, _)| *k);
                let (value, decline) = self.answer(code);
                FieldInput { value, declines: decline_list(&decline), ..base(kind) }
            }
        }
    }
}

/// Asked at intake: the intake fields, and every field the organisation made required.
fn at_intake(f: &FormField) -> bool {
    f.required || f.spec.is_some_and(|s| s.at_intake)
}

/// Takes a field out of what is sent, so that its stored value stays as it is.
fn leave_out(out: &mut PersonFields, code: &str) {
    match code {
        "given_name" => out.given_name = None,
        "family_name" => out.family_name = None,
        "alias" => out.alias = None,
        "birth_date" => out.birth_date = None,
        "estimated_age" => out.estimated_age = None,
        "phone" => out.phone = None,
        "email" => out.email = None,
        "address" => out.address = None,
        "household_size" => out.household_size = None,
        "dependants" => out.dependants = None,
        "gender" => out.gender = None,
        "citizenship" => out.citizenship = None,
        "primary_language" => out.primary_language = None,
        "languages" => out.languages = None,
        "interpreter_needed" => out.interpreter_needed = None,
        "narrative" => out.narrative = None,
        "safe_contact" => out.safe_contact = None,
        _ => {}
    }
}

/// Which sections a form carries.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sections {
    pub identity: bool,
    pub narrative: bool,
    pub safety: bool,
    /// The organisation's own fields (part of the record's summary).
    pub custom: bool,
}

fn code_answer(value: &str, field: &'static str) -> Result<Option<Answer<String>>, AppError> {
    let _ = field;
    Ok(match value {
        "" => None,
        v => Some(match DeclineCode::from_code(v) {
            Some(d) => Answer::Declined(d),
            None => Answer::Value(v.to_owned()),
        }),
    })
}

/// Codes typed as a list: `MX, GT` or `MX GT`.
fn code_list(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

pub fn interpreter_label(l: Tr, code: &str) -> String {
    match code {
        "" => String::new(),
        "yes" => l.t("records-yes"),
        "no" => l.t("records-no"),
        d => label(l, "decline", d),
    }
}

/// Safe-contact answers per channel; a channel with nothing said is left out.
pub fn safe_contacts(f: &Fields) -> Vec<SafeContact> {
    let text = |name: String| Some(f.get(&name).to_owned()).filter(|t| !t.trim().is_empty());
    let list = ContactChannel::ALL
        .iter()
        .map(|ch| {
            let p = format!("sc_{}_", ch.code());
            SafeContact {
                channel: Some(*ch),
                safe: f.has(&format!("{p}safe")),
                voicemail_ok: f.has(&format!("{p}voicemail")),
                may_name_agency: f.has(&format!("{p}agency")),
                cover_story: text(format!("{p}cover_story")),
                safe_times: text(format!("{p}safe_times")),
                code_word: text(format!("{p}code_word")),
                who_may_answer: text(format!("{p}who_may_answer")),
            }
        })
        .collect();
    normalised(list)
}

/// In channel order, without channels about which nothing was said.
fn normalised(list: Vec<SafeContact>) -> Vec<SafeContact> {
    let said = |s: &SafeContact| {
        s.safe
            || s.voicemail_ok
            || s.may_name_agency
            || [&s.cover_story, &s.safe_times, &s.code_word, &s.who_may_answer].iter().any(|t| t.is_some())
    };
    ContactChannel::ALL
        .iter()
        .filter_map(|ch| list.iter().find(|s| s.channel == Some(*ch)).filter(|s| said(s)).cloned())
        .collect()
}

/// A fingerprint of safe-contact answers, so that an edit that leaves them alone does not
/// count as the person confirming them again.
pub fn fingerprint(list: &[SafeContact]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    serde_json::to_string(list).unwrap_or_default().hash(&mut h);
    format!("{:016x}", h.finish())
}

/// One channel's row of the safe-contact form or table.
#[derive(Clone, Default)]
pub struct ScRow {
    pub code: &'static str,
    pub label: String,
    pub safe: bool,
    pub voicemail: bool,
    pub agency: bool,
    pub cover_story: String,
    pub safe_times: String,
    pub code_word: String,
    pub who_may_answer: String,
}

pub fn sc_rows(l: Tr, list: &[SafeContact]) -> Vec<ScRow> {
    ContactChannel::ALL
        .iter()
        .map(|ch| {
            let s = list.iter().find(|s| s.channel == Some(*ch));
            let t = |f: fn(&SafeContact) -> &Option<String>| s.and_then(|s| f(s).clone()).unwrap_or_default();
            ScRow {
                code: ch.code(),
                label: label(l, "channel", ch.code()),
                safe: s.is_some_and(|s| s.safe),
                voicemail: s.is_some_and(|s| s.voicemail_ok),
                agency: s.is_some_and(|s| s.may_name_agency),
                cover_story: t(|s| &s.cover_story),
                safe_times: t(|s| &s.safe_times),
                code_word: t(|s| &s.code_word),
                who_may_answer: t(|s| &s.who_may_answer),
            }
        })
        .collect()
}

/// The primary-language picker: the common languages, then "other", then decline codes.
pub fn language_choices(l: Tr, selected: &str) -> Vec<Choice> {
    let mut out = choices(l, "language", LANGUAGES, &[selected.to_owned()]);
    out.push(Choice { code: "other".into(), label: l.t("records-language-other"), selected: selected == "other" });
    out
}

pub fn gender_choices(l: Tr, selected: &str) -> Vec<Choice> {
    choices(l, "gender", Gender::ALL.iter().map(|g| g.code()), &[selected.to_owned()])
}

pub fn interpreter_choices(l: Tr, selected: &str) -> Vec<Choice> {
    ["yes", "no"]
        .iter()
        .map(|c| Choice { code: (*c).to_owned(), label: interpreter_label(l, c), selected: selected == *c })
        .collect()
}

/// Form input holds survivors' data and passwords: never printed.
impl std::fmt::Debug for PersonForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonForm(<redacted>)")
    }
}

/// Form input holds survivors' data and passwords: never printed.
impl std::fmt::Debug for ScRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScRow(<redacted>)")
    }
}
