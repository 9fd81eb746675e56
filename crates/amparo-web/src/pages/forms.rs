//! Settings → Forms: an administrator hides, requires, reorders and relabels the fields of
//! the person, case, assessment and service forms, and adds the organisation's own fields;
//! and, on the organisation page, chooses the word for the people it serves. Every save is
//! a new version; a save made against an older one comes back as a visible conflict.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::forms::FormConfigView;
use amparo_domain::forms::FormField;
use amparo_domain::forms::{
    CustomChoice, CustomKind, CustomSpec, Essential, FieldSetting, FormConfig, FormKind, FormProblem, Labels,
    PeopleWord, choice_code,
};
use amparo_domain::{DomainError, Language};

use crate::AppState;
use crate::pages::records::{Fields, caller, date_time, fail};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

type Pairs = Form<Vec<(String, String)>>;

/// A field's label in `lang`: the organisation's own, else Amparo's.
pub fn field_label(f: &FormField, lang: Language) -> String {
    match (f.label_override(lang), f.spec) {
        (Some(l), _) => l.to_owned(),
        (None, Some(spec)) => amparo_i18n::t(lang, spec.label_key),
        (None, None) => f.code.clone(),
    }
}

/// The name of a form in the reader's language.
pub fn form_name(l: Tr, form: FormKind) -> String {
    l.t(&format!("forms-name-{}", form.code()))
}

fn kind_label(l: Tr, kind: CustomKind) -> String {
    l.t(&format!("forms-kind-{}", kind.code()))
}

// ---------------------------------------------------------------------------------------------
// The list of forms

struct FormLink {
    code: &'static str,
    name: String,
    version: i64,
}

#[derive(Template)]
#[template(path = "admin_forms.html")]
struct FormsPage {
    l: Tr,
    page: PageCtx,
    forms: Vec<FormLink>,
}

pub async fn list(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = state.app.may_change_forms(&caller(s), "form_config.open").await {
        return fail(&state, &v, &e);
    }
    let l = v.tr();
    let mut forms = Vec::new();
    for form in FormKind::ALL {
        match state.app.form_config(&caller(s), form).await {
            Ok(view) => forms.push(FormLink { code: form.code(), name: form_name(l, form), version: view.version }),
            Err(e) => return fail(&state, &v, &e),
        }
    }
    let page = v.page(&state, l.t("forms-title"));
    v.finish(&state, html(StatusCode::OK, &FormsPage { l, page, forms }))
}

// ---------------------------------------------------------------------------------------------
// One form's editor

/// One field's row of the editor, as shown or as typed.
#[derive(Clone, Default)]
struct FieldRow {
    code: String,
    /// The field's name for this reader: Amparo's label, or a custom field's own.
    name: String,
    custom: Option<CustomKind>,
    kind_label: String,
    /// Always shown and required as it comes (relabel and move only).
    essential: bool,
    /// One of the two ways of finding a person again (`given_name`, `alias`).
    name_or_alias: bool,
    hidden: bool,
    required: bool,
    label_en: String,
    label_es: String,
    order: String,
    /// Choice fields: one choice per line, `code = English | Spanish`.
    choices: String,
    remove: bool,
}

/// The "add a field" inputs.
#[derive(Clone, Default)]
struct NewField {
    kind: String,
    label_en: String,
    label_es: String,
    required: bool,
    choices: String,
}

struct Version {
    version: i64,
    when: String,
    who: String,
}

struct KindOption {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin_form.html")]
struct FormPage {
    l: Tr,
    page: PageCtx,
    form: &'static str,
    form_name: String,
    version: i64,
    rows: Vec<FieldRow>,
    new: NewField,
    kinds: Vec<KindOption>,
    history: Vec<Version>,
    /// Set when someone else saved first: the version in force now.
    conflict: Option<i64>,
    notice: Option<String>,
    errors: FormErrors,
}

fn rows_of(l: Tr, view: &FormConfigView) -> Vec<FieldRow> {
    let stored = |code: &str| view.config.fields.iter().find(|f| f.code == code);
    view.layout
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let label = stored(&f.code).map(|s| s.label.clone()).unwrap_or_default();
            let choices = f
                .custom
                .as_ref()
                .map(|c| {
                    c.choices
                        .iter()
                        .map(|ch| {
                            format!(
                                "{} = {} | {}",
                                ch.code,
                                ch.label.en.as_deref().unwrap_or_default(),
                                ch.label.es.as_deref().unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            FieldRow {
                code: f.code.clone(),
                name: match f.spec {
                    Some(spec) => l.t(spec.label_key),
                    None => field_label(f, l.0),
                },
                custom: f.custom.as_ref().map(|c| c.kind),
                kind_label: f.custom.as_ref().map(|c| kind_label(l, c.kind)).unwrap_or_default(),
                essential: f.essential() == Essential::Always,
                name_or_alias: f.essential() == Essential::NameOrAlias,
                hidden: f.hidden,
                required: f.required,
                label_en: label.en.unwrap_or_default(),
                label_es: label.es.unwrap_or_default(),
                order: ((i + 1) * 10).to_string(),
                choices,
                remove: false,
            }
        })
        .collect()
}

/// The rows as typed, in the order the page listed them; names and kinds come from the
/// form as stored (they are not typed).
fn rows_typed(f: &Fields, shown: &[FieldRow]) -> Vec<FieldRow> {
    f.all("field")
        .iter()
        .filter_map(|code| shown.iter().find(|r| &r.code == code))
        .map(|r| FieldRow {
            hidden: !r.essential && f.has(&format!("hidden_{}", r.code)),
            required: if r.essential { r.required } else { f.has(&format!("required_{}", r.code)) },
            label_en: f.get(&format!("label_en_{}", r.code)).to_owned(),
            label_es: f.get(&format!("label_es_{}", r.code)).to_owned(),
            order: f.get(&format!("order_{}", r.code)).to_owned(),
            choices: f.get(&format!("choices_{}", r.code)).replace("\r\n", "\n"),
            remove: r.custom.is_some() && f.has(&format!("remove_{}", r.code)),
            ..r.clone()
        })
        .collect()
}

/// Reads `code = English | Spanish` lines (the code may be left out: it is made from the
/// English label). None when a line is not of that shape.
fn parse_choices(text: &str) -> Option<Vec<CustomChoice>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (code, labels) = match line.split_once('=') {
            Some((code, labels)) => (code.trim().to_owned(), labels),
            None => (String::new(), line),
        };
        let (en, es) = labels.split_once('|')?;
        let code = if code.is_empty() { choice_code(en.trim()) } else { code };
        out.push(CustomChoice { code, label: Labels::new(en.trim(), es.trim()) });
    }
    Some(out)
}

/// The configuration the typed rows describe, or the input errors found on the page itself.
fn config_of(l: Tr, rows: &[FieldRow], new: &NewField) -> Result<FormConfig, FormErrors> {
    let mut errors = FormErrors::default();
    let mut ordered: Vec<(i64, usize, FieldSetting)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let order = match r.order.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                errors.push(format!("order_{}", r.code), l.t("forms-error-order"));
                0
            }
        };
        if r.remove {
            continue;
        }
        let custom = match r.custom {
            None => None,
            Some(kind) => {
                let choices = if kind == CustomKind::Choice {
                    parse_choices(&r.choices).unwrap_or_else(|| {
                        errors.push(format!("choices_{}", r.code), l.t("forms-error-choices-line"));
                        Vec::new()
                    })
                } else {
                    Vec::new()
                };
                Some(CustomSpec { kind, choices })
            }
        };
        let setting = FieldSetting {
            code: r.code.clone(),
            hidden: r.hidden,
            // As it comes when not ticked; essential fields keep theirs.
            required: if r.essential { None } else { Some(r.required) },
            label: Labels { en: Some(r.label_en.clone()), es: Some(r.label_es.clone()) },
            custom,
        };
        ordered.push((order, i, setting));
    }
    ordered.sort_by_key(|(order, i, _)| (*order, *i));
    let mut fields: Vec<FieldSetting> = ordered.into_iter().map(|(_, _, s)| s).collect();
    if !new.label_en.trim().is_empty() || !new.label_es.trim().is_empty() {
        match CustomKind::from_code(&new.kind) {
            Ok(kind) => {
                let choices = if kind == CustomKind::Choice {
                    parse_choices(&new.choices).unwrap_or_else(|| {
                        errors.push("new_choices", l.t("forms-error-choices-line"));
                        Vec::new()
                    })
                } else {
                    Vec::new()
                };
                fields.push(FieldSetting {
                    code: String::new(),
                    hidden: false,
                    required: Some(new.required),
                    label: Labels { en: Some(new.label_en.clone()), es: Some(new.label_es.clone()) },
                    custom: Some(CustomSpec { kind, choices }),
                });
            }
            Err(_) => errors.push("new_kind", l.t("error-unknown_code")),
        }
    }
    if errors.is_empty() { Ok(FormConfig { fields, retired: Vec::new() }) } else { Err(errors) }
}

/// Where on the page a refused configuration's message goes: next to the input at fault.
fn place_error(l: Tr, e: &AppError, rows: &[FieldRow], errors: &mut FormErrors) -> bool {
    let Some((field, DomainError::Form(problem))) = e.invalid_field() else { return false };
    let message = l.t(&format!("error-{}", problem.code()));
    let input = match problem {
        FormProblem::EssentialHidden | FormProblem::NameOrAliasHidden | FormProblem::HiddenAndRequired => "hidden",
        FormProblem::EssentialRequired => "required",
        FormProblem::ChoicesEmpty
        | FormProblem::ChoicesNotAllowed
        | FormProblem::TooManyChoices
        | FormProblem::CodeInvalid
        | FormProblem::CodeTaken => "choices",
        _ => "label_en",
    };
    if rows.iter().any(|r| r.code == field) {
        let input =
            if input == "choices" && rows.iter().any(|r| r.code == field && r.custom != Some(CustomKind::Choice)) {
                "label_en"
            } else {
                input
            };
        errors.push(format!("{input}_{field}"), message);
    } else if field == "fields" {
        errors.push("fields", message);
    } else {
        // A field being added (its code was made on saving).
        let input = if input == "choices" { "new_choices" } else { "new_label_en" };
        errors.push(input, message);
    }
    true
}

struct Render {
    rows: Vec<FieldRow>,
    new: NewField,
    version: i64,
    conflict: Option<i64>,
    notice: Option<String>,
    errors: FormErrors,
    status: StatusCode,
}

async fn render(state: &AppState, v: &Visitor, form: FormKind, r: Render) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(resp) => return resp,
    };
    let l = v.tr();
    let history = match state.app.form_config_history(&caller(s), form).await {
        Ok(h) => h,
        Err(e) => return fail(state, v, &e),
    };
    let staff = state.app.list_users(&caller(s), s.actor.org).await.unwrap_or_default();
    let history = history
        .into_iter()
        .map(|h| Version {
            version: h.version,
            when: date_time(l, h.updated_at),
            who: h
                .updated_by
                .and_then(|u| staff.iter().find(|x| x.id == u))
                .map(|u| u.email.clone())
                .unwrap_or_default(),
        })
        .collect();
    let kinds = CustomKind::ALL
        .iter()
        .map(|k| KindOption { code: k.code(), label: kind_label(l, *k), selected: r.new.kind == k.code() })
        .collect();
    let name = form_name(l, form);
    let t = FormPage {
        page: v.page(state, l.t1("forms-edit-title", "form", &name)),
        form: form.code(),
        form_name: name,
        version: r.version,
        rows: r.rows,
        new: r.new,
        kinds,
        history,
        conflict: r.conflict,
        notice: r.notice,
        errors: r.errors,
        l,
    };
    v.finish(state, html(r.status, &t))
}

fn form_of(code: &str) -> Result<FormKind, AppError> {
    FormKind::from_code(code).map_err(|_| AppError::NotFound)
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = match form_of(&code) {
        Ok(f) => f,
        Err(e) => return fail(&state, &v, &e),
    };
    if let Err(e) = state.app.may_change_forms(&caller(s), "form_config.open").await {
        return fail(&state, &v, &e);
    }
    let view = match state.app.form_config(&caller(s), form).await {
        Ok(view) => view,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let r = Render {
        rows: rows_of(l, &view),
        new: NewField { kind: CustomKind::Text.code().to_owned(), ..NewField::default() },
        version: view.version,
        conflict: None,
        notice: q.saved.map(|n| l.n("forms-notice-saved", "version", n)),
        errors: FormErrors::default(),
        status: StatusCode::OK,
    };
    render(&state, &v, form, r).await
}

pub async fn save(State(state): State<AppState>, v: Visitor, Path(code): Path<String>, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let form = match form_of(&code) {
        Ok(f) => f,
        Err(e) => return fail(&state, &v, &e),
    };
    let l = v.tr();
    let current = match state.app.form_config(&caller(s), form).await {
        Ok(view) => view,
        Err(e) => return fail(&state, &v, &e),
    };
    let shown = rows_of(l, &current);
    let rows = rows_typed(&f, &shown);
    let new = NewField {
        kind: f.get("new_kind").to_owned(),
        label_en: f.get("new_label_en").to_owned(),
        label_es: f.get("new_label_es").to_owned(),
        required: f.has("new_required"),
        choices: f.get("new_choices").replace("\r\n", "\n"),
    };
    let version = f.get("version").trim().parse::<i64>().unwrap_or(-1);
    let again = |rows, new, version, conflict, errors, status| Render {
        rows,
        new,
        version,
        conflict,
        notice: None,
        errors,
        status,
    };
    let config = match config_of(l, &rows, &new) {
        Ok(c) => c,
        Err(errors) => {
            let r = again(rows, new, version, None, errors, StatusCode::UNPROCESSABLE_ENTITY);
            return render(&state, &v, form, r).await;
        }
    };
    match state.app.save_form_config(&caller(s), form, version, config).await {
        Ok(saved) => see_other(&format!("/admin/forms/{}?saved={}", form.code(), saved.version)),
        // Someone saved first: what was typed stays on the page, against the version in force
        // now, so that it can be checked and sent again.
        Err(AppError::Conflict) => {
            let r =
                again(rows, new, current.version, Some(current.version), FormErrors::default(), StatusCode::CONFLICT);
            render(&state, &v, form, r).await
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            if place_error(l, &e, &rows, &mut errors) {
                let r = again(rows, new, version, None, errors, StatusCode::UNPROCESSABLE_ENTITY);
                render(&state, &v, form, r).await
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The organisation page: the word for the people served

struct WordOption {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin_organisation.html")]
struct OrganisationPage {
    l: Tr,
    page: PageCtx,
    words: Vec<WordOption>,
    forms: Vec<(&'static str, String)>,
    notice: Option<String>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

fn render_organisation(
    state: &AppState,
    v: &Visitor,
    word: PeopleWord,
    notice: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let l = v.tr();
    let words = PeopleWord::ALL
        .iter()
        .map(|w| WordOption { code: w.code(), label: l.t(&format!("people-word-{}", w.code())), selected: *w == word })
        .collect();
    let forms = FormKind::ALL.iter().map(|f| (f.code(), form_name(l, *f))).collect();
    let t = OrganisationPage { page: v.page(state, l.t("org-title")), words, forms, notice, errors, l };
    v.finish(state, html(status, &t))
}

pub async fn organisation(State(state): State<AppState>, v: Visitor, Query(q): Query<DoneQuery>) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = state.app.may_change_forms(&caller(s), "organisation.open").await {
        return fail(&state, &v, &e);
    }
    let l = v.tr();
    let notice = (q.done == "saved").then(|| l.t("notice-saved"));
    render_organisation(&state, &v, v.people, notice, FormErrors::default(), StatusCode::OK)
}

pub async fn set_people_word(State(state): State<AppState>, v: Visitor, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let Ok(word) = PeopleWord::from_code(f.get("people_word")) else {
        let mut errors = FormErrors::default();
        errors.push("people_word", l.t("error-unknown_code"));
        return render_organisation(&state, &v, v.people, None, errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match state.app.set_people_word(&caller(s), word).await {
        Ok(()) => see_other("/admin/organisation?done=saved"),
        Err(e) => fail(&state, &v, &e),
    }
}
