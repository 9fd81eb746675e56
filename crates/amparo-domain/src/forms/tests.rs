#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::{Language, Section};

fn setting(code: &str) -> FieldSetting {
    FieldSetting { code: code.to_owned(), ..FieldSetting::default() }
}

fn hidden(code: &str) -> FieldSetting {
    FieldSetting { hidden: true, ..setting(code) }
}

fn custom(label_en: &str, label_es: &str, kind: CustomKind) -> FieldSetting {
    FieldSetting {
        label: Labels::new(label_en, label_es),
        custom: Some(CustomSpec { kind, choices: Vec::new() }),
        ..FieldSetting::default()
    }
}

fn choice(code: &str, en: &str, es: &str) -> CustomChoice {
    CustomChoice { code: code.to_owned(), label: Labels::new(en, es) }
}

fn config(fields: Vec<FieldSetting>) -> FormConfig {
    FormConfig { fields, retired: Vec::new() }
}

fn problem(r: Result<FormConfig, FormError>) -> FormProblem {
    match r {
        Err(e) => e.problem,
        Ok(_) => panic!("expected a problem"),
    }
}

// --- the catalogue

#[test]
fn every_form_has_unique_codes_and_labels_named_for_the_locales() {
    for form in FormKind::ALL {
        let codes: Vec<_> = form.fields().iter().map(|f| f.code).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len(), "{form}");
        assert!(codes.iter().all(|c| !c.starts_with(CUSTOM_PREFIX)), "{form}");
        assert_eq!(FormKind::from_code(form.code()), Ok(form));
    }
    assert!(FormKind::from_code("victim").is_err());
}

#[test]
fn essential_fields_are_the_ones_the_work_cannot_do_without() {
    let essential = |form: FormKind| -> Vec<&str> {
        form.fields().iter().filter(|f| f.essential == Essential::Always).map(|f| f.code).collect()
    };
    assert_eq!(essential(FormKind::Person), ["primary_language", "safe_contact"]);
    assert_eq!(essential(FormKind::Case), ["status"]);
    assert_eq!(essential(FormKind::Service), ["category", "date"]);
    assert_eq!(essential(FormKind::Assessment), ["date", "ratings"]);
    let names: Vec<_> =
        FormKind::Person.fields().iter().filter(|f| f.essential == Essential::NameOrAlias).map(|f| f.code).collect();
    assert_eq!(names, ["alias", "given_name"]);
    assert!(FormKind::Case.field("status").is_some_and(|f| f.required_by_default));
    assert_eq!(FormKind::Person.field("narrative").map(|f| f.section), Some(Section::Narrative));
}

#[test]
fn the_defaults_are_minimal_nothing_hidden_nothing_required_but_the_essentials() {
    for form in FormKind::ALL {
        let layout = FormLayout::default_of(form);
        assert_eq!(layout.fields.len(), form.fields().len());
        assert!(layout.fields.iter().all(|f| !f.hidden));
        for f in &layout.fields {
            assert_eq!(f.required, f.spec.is_some_and(|s| s.required_by_default), "{form} {}", f.code);
        }
    }
    let intake: Vec<_> = FormKind::Person.fields().iter().filter(|f| f.at_intake).map(|f| f.code).collect();
    assert_eq!(intake, ["alias", "given_name", "family_name", "primary_language", "safe_contact"]);
}

// --- configuration

#[test]
fn a_field_can_be_hidden_relabelled_required_and_moved() {
    let c = config(vec![
        FieldSetting { label: Labels::new("Surname", "Apellidos"), ..setting("family_name") },
        hidden("birth_date"),
        FieldSetting { required: Some(true), ..setting("phone") },
    ])
    .settle(FormKind::Person, None)
    .unwrap();
    let layout = c.resolve(FormKind::Person);
    assert_eq!(layout.fields[0].code, "family_name", "moved first");
    assert_eq!(layout.fields[0].label_override(Language::Es), Some("Apellidos"));
    assert_eq!(layout.fields[0].label_override(Language::En), Some("Surname"));
    assert!(!layout.is_visible("birth_date"));
    assert!(layout.is_required("phone"));
    assert!(!layout.is_required("email"));
    // Fields left out keep their defaults, after the ones listed, in their default order.
    assert_eq!(layout.fields[3].code, "alias");
    assert_eq!(layout.fields.len(), FormKind::Person.fields().len());
}

#[test]
fn essential_fields_cannot_be_hidden_or_made_optional() {
    assert_eq!(
        problem(config(vec![hidden("primary_language")]).settle(FormKind::Person, None)),
        FormProblem::EssentialHidden
    );
    assert_eq!(
        problem(config(vec![hidden("safe_contact")]).settle(FormKind::Person, None)),
        FormProblem::EssentialHidden
    );
    assert_eq!(problem(config(vec![hidden("status")]).settle(FormKind::Case, None)), FormProblem::EssentialHidden);
    assert_eq!(problem(config(vec![hidden("category")]).settle(FormKind::Service, None)), FormProblem::EssentialHidden);
    let optional_status = FieldSetting { required: Some(false), ..setting("status") };
    assert_eq!(problem(config(vec![optional_status]).settle(FormKind::Case, None)), FormProblem::EssentialRequired);
    let required_language = FieldSetting { required: Some(true), ..setting("primary_language") };
    assert_eq!(problem(config(vec![required_language]).settle(FormKind::Person, None)), FormProblem::EssentialRequired);
    // …but they can be relabelled and moved.
    let relabelled = FieldSetting { label: Labels::new("Estado", "Situación del caso"), ..setting("status") };
    assert!(config(vec![setting("places"), relabelled]).settle(FormKind::Case, None).is_ok());
}

#[test]
fn a_name_or_an_alias_always_stays_on_the_person_form() {
    assert!(config(vec![hidden("given_name")]).settle(FormKind::Person, None).is_ok());
    assert!(config(vec![hidden("alias")]).settle(FormKind::Person, None).is_ok());
    assert_eq!(
        problem(config(vec![hidden("alias"), hidden("given_name")]).settle(FormKind::Person, None)),
        FormProblem::NameOrAliasHidden
    );
    // A stored configuration that somehow hides both still shows the alias.
    let c = config(vec![hidden("alias"), hidden("given_name")]);
    assert!(c.resolve(FormKind::Person).is_visible("alias"));
}

#[test]
fn a_stored_configuration_never_hides_an_essential_field() {
    let c = config(vec![hidden("safe_contact"), FieldSetting { required: Some(false), ..setting("status") }]);
    assert!(c.resolve(FormKind::Person).is_visible("safe_contact"));
    assert!(c.resolve(FormKind::Case).is_required("status"));
}

#[test]
fn unknown_duplicate_and_contradictory_settings_are_refused() {
    assert_eq!(problem(config(vec![setting("shoe_size")]).settle(FormKind::Person, None)), FormProblem::UnknownField);
    assert_eq!(
        problem(config(vec![setting("phone"), setting("phone")]).settle(FormKind::Person, None)),
        FormProblem::DuplicateField
    );
    let both = FieldSetting { hidden: true, required: Some(true), ..setting("phone") };
    assert_eq!(problem(config(vec![both]).settle(FormKind::Person, None)), FormProblem::HiddenAndRequired);
    // A case field is not a person field.
    assert_eq!(problem(config(vec![setting("status")]).settle(FormKind::Person, None)), FormProblem::UnknownField);
}

#[test]
fn labels_are_short_plain_text() {
    let long = "x".repeat(MAX_LABEL_CHARS + 1);
    let just = "é".repeat(MAX_LABEL_CHARS);
    let with = |en: &str| config(vec![FieldSetting { label: Labels::new(en, "Teléfono"), ..setting("phone") }]);
    assert_eq!(problem(with(&long).settle(FormKind::Person, None)), FormProblem::LabelInvalid);
    assert!(with(&just).settle(FormKind::Person, None).is_ok());
    assert_eq!(problem(with("<b>Phone</b>").settle(FormKind::Person, None)), FormProblem::LabelInvalid);
    assert_eq!(problem(with("Pho\u{7}ne").settle(FormKind::Person, None)), FormProblem::LabelInvalid);
    // Blank overrides are no overrides.
    let c = with("   ").settle(FormKind::Person, None).unwrap();
    let layout = c.resolve(FormKind::Person);
    assert_eq!(layout.field("phone").and_then(|f| f.label_override(Language::En)), None);
    assert_eq!(layout.field("phone").and_then(|f| f.label_override(Language::Es)), Some("Teléfono"));
}

#[test]
fn custom_fields_get_stable_codes_from_their_label() {
    let c = config(vec![
        custom("Referred by", "Referida por", CustomKind::Text),
        custom("Referred by", "Quién la refirió", CustomKind::Text),
        custom("¿Año de llegada?", "¿Año de llegada?", CustomKind::Number),
    ])
    .settle(FormKind::Person, None)
    .unwrap();
    let codes: Vec<_> = c.fields.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["custom_referred_by", "custom_referred_by_2", "custom_ano_de_llegada"]);
    // Saving again keeps them.
    let again = c.clone().settle(FormKind::Person, Some(&c)).unwrap();
    assert_eq!(again.fields, c.fields);
}

#[test]
fn a_removed_custom_field_code_is_never_given_again() {
    let v1 =
        config(vec![custom("Referred by", "Referida por", CustomKind::Text)]).settle(FormKind::Person, None).unwrap();
    let v2 = config(vec![]).settle(FormKind::Person, Some(&v1)).unwrap();
    assert_eq!(v2.retired, ["custom_referred_by"]);
    let v3 = config(vec![custom("Referred by", "Referida por", CustomKind::Text)])
        .settle(FormKind::Person, Some(&v2))
        .unwrap();
    assert_eq!(v3.fields[0].code, "custom_referred_by_2");
    assert_eq!(v3.retired, ["custom_referred_by"], "retired codes are kept");
    let reuse = FieldSetting { code: "custom_referred_by".into(), ..custom("Again", "Otra vez", CustomKind::Text) };
    assert_eq!(problem(config(vec![reuse]).settle(FormKind::Person, Some(&v3))), FormProblem::CodeTaken);
}

#[test]
fn custom_fields_need_both_labels_a_good_code_and_a_fixed_kind() {
    let no_es = FieldSetting {
        label: Labels { en: Some("Referred by".into()), es: None },
        ..custom("x", "x", CustomKind::Text)
    };
    assert_eq!(problem(config(vec![no_es]).settle(FormKind::Person, None)), FormProblem::LabelMissing);
    let bad_code = FieldSetting { code: "custom_Bad Code".into(), ..custom("A", "B", CustomKind::Text) };
    assert_eq!(problem(config(vec![bad_code]).settle(FormKind::Person, None)), FormProblem::CodeInvalid);
    let no_prefix = FieldSetting { code: "referral".into(), ..custom("A", "B", CustomKind::Text) };
    assert_eq!(problem(config(vec![no_prefix]).settle(FormKind::Person, None)), FormProblem::CodeInvalid);
    let shadowing = FieldSetting { code: "phone".into(), ..custom("A", "B", CustomKind::Text) };
    assert_eq!(problem(config(vec![shadowing]).settle(FormKind::Person, None)), FormProblem::CodeTaken);
    let v1 = config(vec![custom("Children", "Hijos", CustomKind::Number)]).settle(FormKind::Case, None).unwrap();
    let mut changed = v1.clone();
    if let Some(c) = changed.fields[0].custom.as_mut() {
        c.kind = CustomKind::Text;
    }
    assert_eq!(problem(changed.settle(FormKind::Case, Some(&v1))), FormProblem::KindChanged);
}

#[test]
fn choice_lists_are_non_empty_coded_and_labelled_in_both_languages() {
    let mut field = custom("Referral source", "Quién refirió", CustomKind::Choice);
    assert_eq!(problem(config(vec![field.clone()]).settle(FormKind::Person, None)), FormProblem::ChoicesEmpty);
    let spec = field.custom.as_mut().unwrap();
    spec.choices = vec![choice("church", "Church", "Iglesia"), choice("hotline", "Hotline", "Línea de ayuda")];
    assert!(config(vec![field.clone()]).settle(FormKind::Person, None).is_ok());
    let mut dup = field.clone();
    dup.custom.as_mut().unwrap().choices.push(choice("church", "Church again", "Iglesia otra vez"));
    assert_eq!(problem(config(vec![dup]).settle(FormKind::Person, None)), FormProblem::CodeTaken);
    let mut half = field.clone();
    half.custom
        .as_mut()
        .unwrap()
        .choices
        .push(CustomChoice { code: "school".into(), label: Labels { en: Some("School".into()), es: None } });
    assert_eq!(problem(config(vec![half]).settle(FormKind::Person, None)), FormProblem::LabelMissing);
    let mut many = field.clone();
    many.custom.as_mut().unwrap().choices = (0..=MAX_CHOICES).map(|i| choice(&format!("c{i}"), "A", "B")).collect();
    assert_eq!(problem(config(vec![many]).settle(FormKind::Person, None)), FormProblem::TooManyChoices);
    let mut text_with_choices = custom("Notes", "Notas", CustomKind::Text);
    text_with_choices.custom.as_mut().unwrap().choices = vec![choice("a", "A", "A")];
    assert_eq!(problem(config(vec![text_with_choices]).settle(FormKind::Person, None)), FormProblem::ChoicesNotAllowed);
    assert_eq!(choice_code("Línea de ayuda"), "linea_de_ayuda");
}

#[test]
fn there_is_a_limit_to_custom_fields() {
    let fields = (0..=MAX_CUSTOM_FIELDS)
        .map(|i| custom(&format!("Field {i}"), &format!("Campo {i}"), CustomKind::Text))
        .collect();
    assert_eq!(problem(config(fields).settle(FormKind::Person, None)), FormProblem::TooManyCustomFields);
    let fields = (0..MAX_CUSTOM_FIELDS)
        .map(|i| custom(&format!("Field {i}"), &format!("Campo {i}"), CustomKind::Text))
        .collect();
    assert!(config(fields).settle(FormKind::Person, None).is_ok());
}

#[test]
fn configurations_read_and_write_as_json() {
    let c = config(vec![hidden("family_name"), custom("Referred by", "Referida por", CustomKind::Text)])
        .settle(FormKind::Person, None)
        .unwrap();
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains(r#""code":"family_name","hidden":true"#), "{json}");
    let back: FormConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    assert!(serde_json::from_str::<FormConfig>(r#"{"fields":[],"colour":"red"}"#).is_err());
}

// --- values

fn layout_with_custom() -> FormLayout {
    let mut source = custom("Referral source", "Quién refirió", CustomKind::Choice);
    source.custom.as_mut().unwrap().choices =
        vec![choice("church", "Church", "Iglesia"), choice("hotline", "Hotline", "Línea")];
    let required = FieldSetting { required: Some(true), ..custom("Arrived", "Llegó", CustomKind::Date) };
    config(vec![
        custom("Notes", "Notas", CustomKind::Text),
        custom("Children", "Hijos", CustomKind::Number),
        required,
        source,
        FieldSetting { hidden: true, ..custom("Old", "Viejo", CustomKind::Text) },
    ])
    .settle(FormKind::Person, None)
    .unwrap()
    .resolve(FormKind::Person)
}

fn input(pairs: &[(&str, Option<serde_json::Value>)]) -> CustomInput {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone().map(|v| serde_json::from_value(v).unwrap()))).collect()
}

fn value_problem(layout: &FormLayout, pairs: &[(&str, Option<serde_json::Value>)]) -> (FormProblem, Option<String>) {
    match layout.check_custom(&input(pairs)) {
        Err(e) => (e.problem, e.field),
        Ok(_) => panic!("expected a problem"),
    }
}

#[test]
fn custom_values_are_checked_by_kind_with_stable_codes() {
    use serde_json::json;
    let l = layout_with_custom();
    let ok = l
        .check_custom(&input(&[
            ("custom_notes", Some(json!("Prefers mornings"))),
            ("custom_children", Some(json!("2"))),
            ("custom_arrived", Some(json!(" 2025-11-03 "))),
            ("custom_referral_source", Some(json!("church"))),
        ]))
        .unwrap();
    let shown: Vec<(String, String)> = ok.iter().map(|(k, v)| (k.clone(), v.as_ref().unwrap().as_text())).collect();
    assert!(shown.contains(&("custom_children".into(), "2".into())));
    assert!(shown.contains(&("custom_arrived".into(), "2025-11-03".into())));
    assert!(matches!(ok.iter().find(|(k, _)| k == "custom_children"), Some((_, Some(CustomValue::Number(_))))));
    assert_eq!(
        value_problem(&l, &[("custom_children", Some(json!("two")))]),
        (FormProblem::NotANumber, Some("custom_children".into()))
    );
    assert_eq!(value_problem(&l, &[("custom_children", Some(json!(1e300)))]).0, FormProblem::NotANumber);
    assert_eq!(value_problem(&l, &[("custom_arrived", Some(json!("03/11/2025")))]).0, FormProblem::DateMalformed);
    assert_eq!(value_problem(&l, &[("custom_arrived", Some(json!("2025-02-30")))]).0, FormProblem::DateMalformed);
    assert_eq!(value_problem(&l, &[("custom_referral_source", Some(json!("police")))]).0, FormProblem::UnknownChoice);
    assert_eq!(value_problem(&l, &[("custom_notes", Some(json!("a\u{0}b")))]).0, FormProblem::TextInvalid);
    assert_eq!(
        value_problem(&l, &[("custom_notes", Some(json!("x".repeat(MAX_CUSTOM_TEXT_CHARS + 1))))]).0,
        FormProblem::TextInvalid
    );
    // An unknown code is refused without being named back.
    assert_eq!(value_problem(&l, &[("custom_shoe_size", Some(json!("42")))]), (FormProblem::UnknownCustomField, None));
    assert_eq!(value_problem(&l, &[("phone", Some(json!("42")))]), (FormProblem::UnknownCustomField, None));
}

#[test]
fn a_required_custom_field_cannot_be_left_or_made_empty() {
    use serde_json::json;
    let l = layout_with_custom();
    assert_eq!(value_problem(&l, &[("custom_arrived", None)]), (FormProblem::Required, Some("custom_arrived".into())));
    assert_eq!(value_problem(&l, &[("custom_arrived", Some(json!("  ")))]).0, FormProblem::Required);
    let mut stored = CustomValues::new();
    assert_eq!(l.missing_required_custom(&stored), Some("custom_arrived"));
    apply_custom(&mut stored, l.check_custom(&input(&[("custom_arrived", Some(json!("2025-11-03")))])).unwrap());
    assert_eq!(l.missing_required_custom(&stored), None);
}

#[test]
fn values_not_mentioned_stay_and_null_clears() {
    use serde_json::json;
    let l = layout_with_custom();
    let mut stored = CustomValues::new();
    apply_custom(
        &mut stored,
        l.check_custom(&input(&[("custom_old", Some(json!("kept"))), ("custom_notes", Some(json!("a")))])).unwrap(),
    );
    apply_custom(&mut stored, l.check_custom(&input(&[("custom_notes", None)])).unwrap());
    assert_eq!(stored.get("custom_old").map(CustomValue::as_text), Some("kept".into()), "hidden field kept");
    assert!(!stored.contains_key("custom_notes"));
}

#[test]
fn built_in_required_fields_are_found_missing() {
    let c = config(vec![FieldSetting { required: Some(true), ..setting("birth_date") }])
        .settle(FormKind::Person, None)
        .unwrap();
    let l = c.resolve(FormKind::Person);
    assert_eq!(l.missing_required(|_| true, |code| code != "birth_date"), Some("birth_date"));
    assert_eq!(l.missing_required(|_| true, |_| true), None);
    assert_eq!(l.missing_required(|f| f.section() == Section::Narrative, |_| false), None);
}

// --- the word for the people served

#[test]
fn the_people_word_is_survivor_by_default_and_never_victim() {
    assert_eq!(PeopleWord::default(), PeopleWord::Survivor);
    for w in PeopleWord::ALL {
        assert_eq!(PeopleWord::from_code(w.code()), Ok(w));
    }
    assert!(PeopleWord::from_code("victim").is_err());
    assert!(PeopleWord::ALL.iter().all(|w| !w.code().contains("victim")));
}

#[test]
fn every_problem_has_a_distinct_code() {
    let mut codes: Vec<_> = FormProblem::ALL.iter().map(|p| p.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), FormProblem::ALL.len());
}
