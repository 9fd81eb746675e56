//! The catalogue is read from `locales/` at test time, so files added by anyone are checked
//! without touching this crate.

#![allow(clippy::unwrap_used, reason = "a test may panic on a broken locales/ tree")]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use amparo_domain::password::PasswordProblem;
use amparo_domain::password::{MAX_CHARS as PASSWORD_MAX, MIN_CHARS as PASSWORD_MIN};
use amparo_domain::{DisplayName, DomainError, OrganisationName, Role};

use super::*;

/// One message as written in a file.
struct Message {
    file: PathBuf,
    /// The message's lines: the `id =` line and its indented continuation.
    body: String,
}

fn locales_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales")
}

fn ftl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let hidden = path.file_name().unwrap().to_string_lossy().starts_with('.');
        if path.is_dir() {
            files.extend(ftl_files(&path));
        } else if path.extension().is_some_and(|e| e == "ftl") && !hidden {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every message of `lang` on disk, with duplicates (same id twice) kept.
fn messages_on_disk(lang: Language) -> Vec<(String, Message)> {
    let mut messages = Vec::new();
    for file in ftl_files(&locales_dir().join(lang.code())) {
        let source = fs::read_to_string(&file).unwrap();
        let mut current: Option<(String, String)> = None;
        for line in source.lines() {
            let id = message_ids(line).next();
            let starts_entry = !line.is_empty() && !line.starts_with(' ');
            if starts_entry && let Some((id, body)) = current.take() {
                messages.push((id, Message { file: file.clone(), body }));
            }
            match (id, current.as_mut()) {
                // The body is what follows `=`: ids may carry a standard's codes
                // (`…VictimOfTrafficking`), which are not interface wording.
                (Some(id), _) => {
                    current = Some((id.to_owned(), line.split_once('=').map_or("", |(_, v)| v).to_owned()))
                }
                (None, Some((_, body))) => {
                    body.push('\n');
                    body.push_str(line);
                }
                (None, None) => {}
            }
        }
        if let Some((id, body)) = current {
            messages.push((id, Message { file: file.clone(), body }));
        }
    }
    messages
}

fn catalogue(lang: Language) -> BTreeMap<String, Message> {
    messages_on_disk(lang).into_iter().collect()
}

/// `$variables` a message uses.
fn variables(body: &str) -> BTreeSet<String> {
    body.split('$')
        .skip(1)
        .map(|rest| {
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect::<String>()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

#[test]
fn every_message_exists_in_both_languages() {
    let es: BTreeSet<String> = catalogue(Language::Es).into_keys().collect();
    let en: BTreeSet<String> = catalogue(Language::En).into_keys().collect();
    assert!(!en.is_empty() && !es.is_empty(), "no messages found under {}", locales_dir().display());
    let missing_in_es: Vec<_> = en.difference(&es).collect();
    let missing_in_en: Vec<_> = es.difference(&en).collect();
    assert!(
        missing_in_es.is_empty() && missing_in_en.is_empty(),
        "messages missing in locales/es: {missing_in_es:?}\nmessages missing in locales/en: {missing_in_en:?}"
    );
}

#[test]
fn no_message_is_defined_twice_in_one_language() {
    // Fluent refuses a bundle with duplicate ids, and the loader would panic at start-up.
    for lang in Language::ALL {
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for (id, message) in messages_on_disk(lang) {
            if let Some(first) = seen.insert(id.clone(), message.file.clone()) {
                duplicates.push(format!("{id} ({} and {})", first.display(), message.file.display()));
            }
        }
        assert!(duplicates.is_empty(), "{lang}: defined twice: {duplicates:#?}");
    }
}

#[test]
fn keys_lists_every_message_on_disk() {
    for lang in Language::ALL {
        let on_disk: BTreeSet<String> = catalogue(lang).into_keys().collect();
        assert_eq!(keys(lang), on_disk, "{lang}: the embedded catalogue is stale");
    }
}

#[test]
fn every_message_formats_without_errors_in_both_languages() {
    let mut failures = Vec::new();
    for lang in Language::ALL {
        for (id, message) in catalogue(lang) {
            // Numbers and strings both, so that selectors and plain placeables are exercised.
            for as_number in [true, false] {
                let args: HashMap<String, FluentValue> = variables(&message.body)
                    .into_iter()
                    .map(|v| {
                        let value = if as_number { FluentValue::from(2) } else { FluentValue::from("x") };
                        (v, value)
                    })
                    .collect();
                match LOCALES.lookup_single_language(&langid(lang), &id, Some(&args)) {
                    Ok(text) if text.trim().is_empty() => failures.push(format!("{lang} {id}: empty")),
                    Ok(_) => {}
                    Err(e) => failures.push(format!("{lang} {id}: {e:?}")),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn both_languages_use_the_same_variables() {
    let es = catalogue(Language::Es);
    let mismatches: Vec<String> = catalogue(Language::En)
        .into_iter()
        .filter_map(|(id, en)| {
            let es = es.get(&id)?;
            let (en_vars, es_vars) = (variables(&en.body), variables(&es.body));
            (en_vars != es_vars).then(|| format!("{id}: en {en_vars:?}, es {es_vars:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn no_victim_wording_in_the_interface() {
    for lang in Language::ALL {
        for (id, message) in catalogue(lang) {
            let text = message.body.to_lowercase();
            assert!(
                !text.contains("víctima") && !text.contains("victim"),
                "{lang} {id}: say “survivor”/“sobreviviente” or “client”/“persona usuaria”"
            );
        }
    }
}

#[test]
fn shell_messages_exist() {
    let required = [
        "app-name",
        "nav-home",
        "nav-settings",
        "nav-users",
        "nav-audit",
        "nav-logout",
        "nav-login",
        "skip-to-content",
        "language-switch-label",
        "language-es",
        "language-en",
        "footer-text",
        "page-home-title",
        "home-welcome",
        "error-not-found-title",
        "error-not-found-body",
        "error-forbidden-title",
        "error-forbidden-body",
        "error-internal-title",
        "error-internal-body",
        "error-csrf-title",
        "error-csrf-body",
        "error-too-many-requests-title",
        "error-too-many-requests-body",
        "form-save",
        "form-cancel",
        "form-required",
        "form-errors-summary",
        "field-email",
        "field-name",
        "field-role",
        "field-language",
        "field-password",
        "quick-exit",
        "quick-exit-hint",
    ];
    for lang in Language::ALL {
        let keys = keys(lang);
        let missing: Vec<_> = required.iter().filter(|k| !keys.contains(**k)).collect();
        assert!(missing.is_empty(), "{lang}: missing {missing:?}");
    }
}

#[test]
fn every_role_and_domain_error_has_a_message() {
    let problems = [
        PasswordProblem::TooShort,
        PasswordProblem::TooLong,
        PasswordProblem::Common,
        PasswordProblem::Predictable,
        PasswordProblem::ContainsContext,
    ];
    let errors = [
        DomainError::UnknownRole,
        DomainError::UnknownLanguage,
        DomainError::InvalidEmail,
        DomainError::InvalidName,
        DomainError::InvalidOrganisationName,
    ]
    .into_iter()
    .chain(problems.map(DomainError::Password));
    let wanted: Vec<String> = Role::ALL
        .iter()
        .map(|r| format!("role-{}", r.code()))
        .chain(errors.map(|e| format!("error-{}", e.code())))
        .collect();
    for lang in Language::ALL {
        let keys = keys(lang);
        let missing: Vec<_> = wanted.iter().filter(|k| !keys.contains(*k)).collect();
        assert!(missing.is_empty(), "{lang}: missing {missing:?}");
    }
}

#[test]
fn limits_in_messages_match_the_domain() {
    let cases = [
        ("error-password_too_short", PASSWORD_MIN),
        ("field-password-hint", PASSWORD_MIN),
        ("error-password_too_long", PASSWORD_MAX),
        ("error-invalid_name", DisplayName::MAX_CHARS),
        ("error-invalid_organisation_name", OrganisationName::MAX_CHARS),
    ];
    for lang in Language::ALL {
        for (key, limit) in cases {
            let text = t(lang, key);
            assert!(text.contains(&limit.to_string()), "{lang} {key} should say {limit}: {text}");
        }
    }
}

#[test]
fn t_speaks_each_language() {
    assert_eq!(t(Language::En, "nav-logout"), "Sign out");
    assert_eq!(t(Language::Es, "nav-logout"), "Cerrar sesión");
    assert_eq!(t(Language::Es, "field-password"), "Contraseña");
    assert_eq!(t(Language::Es, "quick-exit"), "Salida rápida");
}

#[test]
fn t_args_substitutes_without_isolation_marks() {
    let name = [("name", Arg::from("Ana <b>"))];
    assert_eq!(t_args(Language::En, "home-welcome", &name), "Welcome, Ana <b>.");
    assert_eq!(t_args(Language::Es, "home-welcome", &name), "Le damos la bienvenida, Ana <b>.");
    let one = [("minutes", Arg::Num(1))];
    let fifteen = [("minutes", Arg::Num(15))];
    assert_eq!(
        t_args(Language::En, "error-too-many-requests-body", &one),
        "For security, please wait 1 minute and try again."
    );
    assert_eq!(
        t_args(Language::En, "error-too-many-requests-body", &fifteen),
        "For security, please wait 15 minutes and try again."
    );
    assert_eq!(
        t_args(Language::Es, "error-too-many-requests-body", &fifteen),
        "Por seguridad, espere 15 minutos e intente de nuevo."
    );
    assert_eq!(
        t_args(Language::Es, "error-too-many-requests-body", &one),
        "Por seguridad, espere 1 minuto e intente de nuevo."
    );
}

#[test]
fn a_missing_key_gives_the_key_back() {
    assert_eq!(t(Language::Es, "no-such-message"), "no-such-message");
    assert_eq!(t_args(Language::En, "no-such-message", &[("n", Arg::Num(1))]), "no-such-message");
}

#[test]
fn language_codes_are_valid_identifiers() {
    for lang in Language::ALL {
        assert_eq!(lang.code().parse::<LanguageIdentifier>().ok(), Some(langid(lang)));
        assert_eq!(langid(lang).to_string(), lang.code());
    }
}

#[test]
fn message_ids_skip_terms_comments_and_continuations() {
    let source = "# c = 1\n-brand = X\nhello-world = Hi\n    .attr = y\nerror-unknown_role = R\n  indented = no\n";
    assert_eq!(message_ids(source).collect::<Vec<_>>(), ["hello-world", "error-unknown_role"]);
}

/// What each word for the people served looks like in a message, per language (the Spanish
/// for "client" is "cliente", or "clientes").
fn people_stem(lang: Language, word: amparo_domain::forms::PeopleWord) -> &'static str {
    use amparo_domain::forms::PeopleWord::*;
    match (lang, word) {
        (Language::En, Survivor) => "survivor",
        (Language::En, Client) => "client",
        (Language::En, Participant) => "participant",
        (Language::Es, Survivor) => "sobreviviente",
        (Language::Es, Client) => "cliente",
        (Language::Es, Participant) => "participante",
    }
}

#[test]
fn every_message_that_names_the_people_served_has_each_word_in_both_languages() {
    use amparo_domain::forms::PeopleWord;
    let mut failures = Vec::new();
    let mut found = 0;
    for lang in Language::ALL {
        for (id, message) in catalogue(lang) {
            if !variables(&message.body).contains(PEOPLE_ARG) {
                continue;
            }
            found += 1;
            for variant in ["[client]", "[participant]", "*[survivor]"] {
                if !message.body.contains(variant) {
                    failures.push(format!("{lang} {id}: no {variant} variant"));
                }
            }
            for word in PeopleWord::ALL {
                let text = t_args(lang, &id, &[(PEOPLE_ARG, Arg::from(word.code()))]).to_lowercase();
                if !text.contains(people_stem(lang, word)) {
                    failures.push(format!("{lang} {id} for {word}: “{text}” does not say it"));
                }
                for other in PeopleWord::ALL.into_iter().filter(|o| *o != word) {
                    if text.contains(people_stem(lang, other)) {
                        failures.push(format!("{lang} {id} for {word}: “{text}” says {other}"));
                    }
                }
            }
        }
    }
    assert!(found > 0, "no message takes ${PEOPLE_ARG}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn navigation_and_headings_use_the_organisations_word() {
    let named = [
        "nav-intake",
        "records-home-intake",
        "records-home-search",
        "records-intake-title",
        "records-person-title",
        "records-search-title",
        "records-log-target-person",
        "forms-name-person",
    ];
    for lang in Language::ALL {
        let all = catalogue(lang);
        for id in named {
            let uses = all.get(id).is_some_and(|m| variables(&m.body).contains(PEOPLE_ARG));
            assert!(uses, "{lang} {id} should choose its words by ${PEOPLE_ARG}");
        }
    }
}

#[test]
fn every_form_field_kind_word_and_problem_has_a_message() {
    use amparo_domain::forms::{CustomKind, FormKind, FormProblem, PeopleWord};
    let mut wanted: Vec<String> = Vec::new();
    for form in FormKind::ALL {
        wanted.push(format!("forms-name-{}", form.code()));
        wanted.extend(form.fields().iter().map(|f| f.label_key.to_owned()));
    }
    wanted.extend(CustomKind::ALL.iter().map(|k| format!("forms-kind-{}", k.code())));
    wanted.extend(PeopleWord::ALL.iter().map(|w| format!("people-word-{}", w.code())));
    wanted.extend(FormProblem::ALL.iter().map(|p| format!("error-{}", p.code())));
    for lang in Language::ALL {
        let keys = keys(lang);
        let missing: Vec<_> = wanted.iter().filter(|k| !keys.contains(*k)).collect();
        assert!(missing.is_empty(), "{lang}: missing {missing:?}");
    }
}

#[test]
fn limits_in_form_messages_match_the_domain() {
    use amparo_domain::forms::{MAX_CHOICES, MAX_CUSTOM_FIELDS, MAX_CUSTOM_TEXT_CHARS, MAX_LABEL_CHARS};
    let cases = [
        ("error-form_label_invalid", MAX_LABEL_CHARS.to_string()),
        ("error-form_too_many_custom_fields", MAX_CUSTOM_FIELDS.to_string()),
        ("error-form_too_many_choices", MAX_CHOICES.to_string()),
        ("error-text_invalid", "2,000".to_owned()),
    ];
    assert_eq!(MAX_CUSTOM_TEXT_CHARS, 2000);
    for lang in Language::ALL {
        for (key, limit) in &cases {
            let text = t(lang, key);
            assert!(text.contains(limit.as_str()), "{lang} {key} should say {limit}: {text}");
        }
    }
}
