//! A survivor's record: intake, the person page, editing (with reconciling a conflicting
//! save), safe contact and outreach, consents, and opening a case.

use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use amparo_app::AppError;
use amparo_app::records::{ConsentInput, ConsentView, DuplicateHint, PersonView};
use amparo_domain::records::{ConsentField, ConsentGivenAs};
use amparo_domain::{ConsentId, PersonId};

use crate::AppState;
use amparo_domain::forms::{FormKind, FormLayout};

use crate::pages::form_fields::{FieldInput, custom_facts};
use crate::pages::forms::field_label;
use crate::pages::person_form::{PersonForm, ScRow, Sections, fingerprint, interpreter_label, sc_rows};
use crate::pages::records::{
    Choice, Fields, caller, choices, date, date_time, fail, field_message, label, message, show_answer,
};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

type Pairs = Form<Vec<(String, String)>>;

fn person_id(id: &str) -> Result<PersonId, AppError> {
    PersonId::from_str(id).map_err(|_| AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Intake

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    l: Tr,
    page: PageCtx,
    /// The identity inputs asked at intake, in the organisation's order.
    inputs: Vec<FieldInput>,
    /// The story, when the organisation requires it at intake.
    narrative: Option<FieldInput>,
    safe_contact_label: String,
    channels: Vec<ScRow>,
    custom: Vec<FieldInput>,
    errors: FormErrors,
}

/// The person form as the organisation set it up.
async fn person_layout(state: &AppState, v: &Visitor) -> Result<FormLayout, Response> {
    let s = v.active()?;
    state.app.form_layout(&caller(s), FormKind::Person).await.map_err(|e| fail(state, v, &e))
}

fn render_intake(
    state: &AppState,
    v: &Visitor,
    layout: &FormLayout,
    form: PersonForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let l = v.tr();
    let page = v.page(state, l.t("records-intake-title"));
    let narrative = layout.field("narrative").filter(|f| f.required && !f.hidden).map(|f| FieldInput {
        value: form.narrative.clone(),
        ..FieldInput::new(f, l, "narrative", "textarea", &errors)
    });
    let t = IntakePage {
        inputs: form.intake_inputs(l, layout, &errors),
        narrative,
        safe_contact_label: layout.field("safe_contact").map(|f| field_label(f, l.0)).unwrap_or_default(),
        channels: sc_rows(l, &form.safe_contact),
        custom: form.custom_inputs(l, layout, &errors),
        errors,
        l,
        page,
    };
    v.finish(state, html(status, &t))
}

pub async fn intake_form(State(state): State<AppState>, v: Visitor) -> Response {
    let layout = match person_layout(&state, &v).await {
        Ok(layout) => layout,
        Err(r) => return r,
    };
    let form = PersonForm { primary_language: v.lang.code().to_owned(), ..PersonForm::default() };
    render_intake(&state, &v, &layout, form, FormErrors::default(), StatusCode::OK)
}

#[derive(Template)]
#[template(path = "intake_duplicates.html")]
struct DuplicatesPage {
    l: Tr,
    page: PageCtx,
    id: String,
    duplicates: Vec<DuplicateHint>,
}

pub async fn intake(State(state): State<AppState>, v: Visitor, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let layout = match person_layout(&state, &v).await {
        Ok(layout) => layout,
        Err(r) => return r,
    };
    let form = PersonForm::from_fields(&f);
    let result = match form.intake_fields(&layout) {
        Ok(fields) => state.app.create_person(&caller(s), fields).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(created) if created.possible_duplicates.is_empty() => {
            see_other(&format!("/persons/{}?done=created", created.id))
        }
        // Shown once, right after intake: the people already on file who may be the same
        // person (alias and case numbers only). Nothing of them goes into a URL.
        Ok(created) => {
            let page = v.page(&state, l.t("records-duplicates-title"));
            let t = DuplicatesPage { l, page, id: created.id.to_string(), duplicates: created.possible_duplicates };
            v.finish(&state, html(StatusCode::OK, &t))
        }
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_message(l, &e, &mut errs) {
                render_intake(&state, &v, &layout, form, errs, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The person page

struct CaseLink {
    id: String,
    number: String,
    status: String,
    restricted: bool,
}

struct ConsentLine {
    id: String,
    recipient: String,
    fields: String,
    purpose: String,
    expires_on: String,
    given_as: String,
    /// `valid`, `expired` or `revoked`.
    state: &'static str,
}

/// A shelter stay on the person page.
pub struct StayLine {
    house_id: String,
    house: String,
    checked_in: String,
    checked_out: String,
    reason: String,
}

/// The consent form as typed.
#[derive(Clone, Default)]
struct ConsentForm {
    /// A partner of the directory (its id), or blank for a recipient named in words.
    recipient_partner_id: String,
    recipient_name: String,
    fields: Vec<String>,
    purpose: String,
    expires_on: String,
    given_as: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    l: Tr,
    page: PageCtx,
    id: String,
    alias: String,
    /// Preferred and other languages, interpreter: (label, as shown), in the form's order.
    summary: Vec<(String, String)>,
    cases: Vec<CaseLink>,
    show_identity: bool,
    identity: Vec<(String, String)>,
    story_heading: String,
    narrative: Option<String>,
    /// "Removed by retention policy on DATE", or empty.
    narrative_removed: String,
    safe_contact_heading: String,
    /// The organisation's own fields: (label, as shown).
    custom: Vec<(String, String)>,
    show_custom: bool,
    show_safety: bool,
    needs_confirming: bool,
    confirmed_at: String,
    channels: Vec<ScRow>,
    write_safety: bool,
    show_consents: bool,
    write_consent: bool,
    consents: Vec<ConsentLine>,
    consent_form: ConsentForm,
    consent_fields: Vec<Choice>,
    given_as: Vec<Choice>,
    /// The partner directory, for naming the recipient of a consent.
    partners: Vec<Choice>,
    show_stays: bool,
    stays: Vec<StayLine>,
    open_case: bool,
    can_edit: bool,
    errors: FormErrors,
    notice: Option<String>,
    documents: crate::pages::documents::DocumentsSection,
    screenings: crate::pages::screenings::PersonSection,
    safety: crate::pages::safety_plans::SafetySection,
}

#[derive(Deserialize, Default)]
pub struct PersonQuery {
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<PersonQuery>,
) -> Response {
    let l = v.tr();
    // Only a fixed word travels in the URL, never a value.
    let notice = match q.done.as_str() {
        "created" => Some(l.t("records-notice-created")),
        "saved" => Some(l.t("notice-saved")),
        "outreach" => Some(l.t("records-notice-outreach")),
        "consent" => Some(l.t("records-notice-consent")),
        "revoked" => Some(l.t("records-notice-revoked")),
        "document" => Some(l.t("documents-notice-uploaded")),
        "document_deleted" => Some(l.t("documents-notice-deleted")),
        _ => None,
    };
    render_person(&state, &v, &id, ConsentForm::default(), FormErrors::default(), notice, StatusCode::OK).await
}

async fn render_person(
    state: &AppState,
    v: &Visitor,
    id: &str,
    consent_form: ConsentForm,
    errors: FormErrors,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = caller(s);
    let result = match person_id(id) {
        Ok(pid) => state.app.read_person(&c, pid).await,
        Err(e) => Err(e),
    };
    let view = match result {
        Ok(view) => view,
        Err(e) => return fail(state, v, &e),
    };
    let consents = if view.can.consent {
        match state.app.consents(&c, view.id).await {
            Ok(list) => list,
            Err(e) => return fail(state, v, &e),
        }
    } else {
        Vec::new()
    };
    let l = v.tr();
    let documents = match crate::pages::documents::person_section(state, l, &c, view.id).await {
        Ok(section) => section,
        Err(e) => return fail(state, v, &e),
    };
    let layout = match state.app.form_layout(&c, FormKind::Person).await {
        Ok(layout) => layout,
        Err(e) => return fail(state, v, &e),
    };
    let safety = if view.can.safety {
        match crate::pages::safety_plans::person_section(state, l, &c, view.id).await {
            Ok(section) => section,
            Err(e) => return fail(state, v, &e),
        }
    } else {
        Default::default()
    };
    // The directory names a consent's recipient; a role that may not read it types a name.
    let partners = if view.can.write_consent || !consents.is_empty() {
        state
            .app
            .partners(&c, None, &amparo_app::referrals::PartnerQuery::default())
            .await
            .map(|list| list.into_iter().map(|p| (p.id.to_string(), p.name)).collect::<Vec<_>>())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let stays = if view.can.stay {
        match state.app.stays_of_person(&c, view.id).await {
            Ok(list) => list
                .iter()
                .map(|st| StayLine {
                    house_id: st.house_id.to_string(),
                    house: st.house_name.clone().unwrap_or_default(),
                    checked_in: date(l, st.checked_in_at.date_naive()),
                    checked_out: st.checked_out_at.map(|t| date(l, t.date_naive())).unwrap_or_default(),
                    reason: st.checkout_reason.as_deref().map(|r| label(l, "shelter_checkout", r)).unwrap_or_default(),
                })
                .collect(),
            Err(e) => return fail(state, v, &e),
        }
    } else {
        Vec::new()
    };
    let mut t = person_page(state, v, l, &layout, &view, &consents, &partners, consent_form, errors, notice);
    t.show_stays = view.can.stay;
    t.stays = stays;
    t.documents = documents;
    t.screenings = crate::pages::screenings::person_section(state, l, &c, view.id).await;
    t.safety = safety;
    v.finish(state, html(status, &t))
}

#[allow(clippy::too_many_arguments)]
fn person_page(
    state: &AppState,
    v: &Visitor,
    l: Tr,
    layout: &FormLayout,
    view: &PersonView,
    consents: &[ConsentView],
    partners: &[(String, String)],
    consent_form: ConsentForm,
    errors: FormErrors,
    notice: Option<String>,
) -> PersonPage {
    let p = &view.fields;
    // A field the organisation hid is not shown, whatever is stored.
    let alias = if layout.is_visible("alias") { show_answer(l, &p.alias) } else { String::new() };
    let title = if alias.is_empty() { l.t("records-person-title") } else { alias.clone() };
    let page = v.page(state, title);
    let language = |code: &str| label(l, "language", code);
    let value_of = |code: &str| -> String {
        use amparo_domain::records::Answer;
        match code {
            "primary_language" => match &p.primary_language {
                Some(Answer::Value(c)) => language(c),
                other => show_answer(l, other),
            },
            "languages" => p.languages.iter().flatten().map(|c| language(c)).collect::<Vec<_>>().join(", "),
            "interpreter_needed" => match &p.interpreter_needed {
                Some(Answer::Value(b)) => interpreter_label(l, if *b { "yes" } else { "no" }),
                other => show_answer(l, other),
            },
            "gender" => match &p.gender {
                Some(Answer::Value(g)) => label(l, "gender", g),
                other => show_answer(l, other),
            },
            "citizenship" => p.citizenship.clone().unwrap_or_default().join(", "),
            "given_name" => show_answer(l, &p.given_name),
            "family_name" => show_answer(l, &p.family_name),
            "birth_date" => show_answer(l, &p.birth_date),
            "estimated_age" => show_answer(l, &p.estimated_age),
            "phone" => show_answer(l, &p.phone),
            "email" => show_answer(l, &p.email),
            "address" => show_answer(l, &p.address),
            "household_size" => show_answer(l, &p.household_size),
            "dependants" => show_answer(l, &p.dependants),
            _ => String::new(),
        }
    };
    // Languages first, for whoever picks up the phone; then who the person is.
    const SUMMARY: [&str; 3] = ["primary_language", "languages", "interpreter_needed"];
    let summary = layout
        .visible()
        .filter(|f| SUMMARY.contains(&f.code.as_str()))
        .map(|f| (field_label(f, l.0), value_of(&f.code)))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let mut identity = Vec::new();
    if view.can.identity {
        identity = layout
            .visible()
            .filter(|f| {
                !f.is_custom()
                    && f.section() == amparo_domain::Section::Identity
                    && !SUMMARY.contains(&f.code.as_str())
                    && f.code != "alias"
            })
            .map(|f| (field_label(f, l.0), value_of(&f.code)))
            .collect();
    }
    let narrative_field = layout.field("narrative");
    let story_heading =
        narrative_field.and_then(|f| f.label_override(l.0)).map_or_else(|| l.t("records-story"), str::to_owned);
    let safe_contact_heading = layout.field("safe_contact").map(|f| field_label(f, l.0)).unwrap_or_default();
    let custom = p.custom.as_ref().map(|c| custom_facts(l, layout, c)).unwrap_or_default();
    let today = state.app.now().date_naive();
    let consent_lines = consents
        .iter()
        .map(|c| ConsentLine {
            id: c.id.to_string(),
            recipient: match (&c.recipient_name, c.recipient_partner_id) {
                (Some(name), _) => name.clone(),
                (None, Some(partner)) => partners
                    .iter()
                    .find(|(id, _)| *id == partner.to_string())
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                (None, None) => String::new(),
            },
            fields: c.fields.iter().map(|f| label(l, "consent_field", f)).collect::<Vec<_>>().join(", "),
            purpose: c.purpose.clone(),
            expires_on: date(l, c.expires_on),
            given_as: label(l, "given_as", &c.given_as),
            state: if c.revoked_at.is_some() {
                "revoked"
            } else if c.valid && c.expires_on >= today {
                "valid"
            } else {
                "expired"
            },
        })
        .collect();
    let partner_choices = partners
        .iter()
        .map(|(id, name)| Choice {
            code: id.clone(),
            label: name.clone(),
            selected: *id == consent_form.recipient_partner_id,
        })
        .collect();
    let consent_fields = choices(l, "consent_field", ConsentField::ALL.iter().map(|f| f.code()), &consent_form.fields);
    let given_as = choices(
        l,
        "given_as",
        ConsentGivenAs::ALL.iter().map(|g| g.code()),
        std::slice::from_ref(&consent_form.given_as),
    );
    PersonPage {
        id: view.id.to_string(),
        alias,
        summary,
        cases: view
            .cases
            .iter()
            .map(|c| CaseLink {
                id: c.id.to_string(),
                number: c.number.clone(),
                status: label(l, "case_status", &c.status),
                restricted: c.restricted,
            })
            .collect(),
        show_identity: view.can.identity,
        identity,
        story_heading,
        narrative: if view.can.narrative && layout.is_visible("narrative") {
            Some(p.narrative.clone().unwrap_or_default())
        } else {
            None
        },
        narrative_removed: view
            .narrative_removed_on
            .map(|on| l.t1("retention-removed-on", "date", &on.format("%Y-%m-%d").to_string()))
            .unwrap_or_default(),
        safe_contact_heading,
        show_custom: layout.custom_fields().any(|f| !f.hidden),
        custom,
        show_safety: view.can.safety,
        needs_confirming: view.safe_contact_needs_confirming,
        confirmed_at: view.safe_contact_confirmed_at.map(|t| date_time(l, t)).unwrap_or_default(),
        channels: sc_rows(l, p.safe_contact.as_deref().unwrap_or_default()),
        write_safety: view.can.write_safety,
        show_consents: view.can.consent,
        write_consent: view.can.write_consent,
        consents: consent_lines,
        consent_form,
        consent_fields,
        partners: partner_choices,
        show_stays: false,
        stays: Vec::new(),
        given_as,
        open_case: view.can.open_case,
        can_edit: view.can.write_identity || view.can.write_narrative || view.can.write_safety,
        errors,
        notice,
        documents: Default::default(),
        screenings: Default::default(),
        safety: Default::default(),
        l,
        page,
    }
}

// ---------------------------------------------------------------------------------------------
// Editing, and reconciling with a save made meanwhile

/// One line of the reconcile table.
struct DiffRow {
    label: String,
    typed: String,
    stored: String,
    differs: bool,
}

#[derive(Template)]
#[template(path = "person_edit.html")]
struct EditPage {
    l: Tr,
    page: PageCtx,
    id: String,
    version: i64,
    sections: Sections,
    /// The identity section's inputs, in the organisation's order.
    identity: Vec<FieldInput>,
    /// The story's input, unless the organisation hid it.
    narrative: Option<FieldInput>,
    safe_contact_label: String,
    custom: Vec<FieldInput>,
    channels: Vec<ScRow>,
    safe_contact_was: String,
    safe_contact_confirmed: bool,
    /// Set when someone else saved first: both versions, side by side.
    conflict: Option<Vec<DiffRow>>,
    errors: FormErrors,
}

/// What the reader may both see and change.
fn sections_of(view: &PersonView) -> Sections {
    Sections {
        identity: view.can.identity && view.can.write_identity,
        narrative: view.can.narrative && view.can.write_narrative,
        safety: view.can.safety && view.can.write_safety,
        custom: view.can.open_case,
    }
}

struct EditState {
    form: PersonForm,
    version: i64,
    safe_contact_was: String,
    safe_contact_confirmed: bool,
    conflict: Option<Vec<DiffRow>>,
}

fn render_edit(
    state: &AppState,
    v: &Visitor,
    layout: &FormLayout,
    view: &PersonView,
    e: EditState,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let l = v.tr();
    let sections = sections_of(view);
    let title = l.t("records-edit-title");
    let page = v.page(state, title);
    let f = &e.form;
    let narrative = layout.field("narrative").filter(|n| !n.hidden).map(|n| FieldInput {
        value: f.narrative.clone(),
        hint: l.t("records-field-narrative-hint"),
        ..FieldInput::new(n, l, "narrative", "textarea", &errors)
    });
    let t = EditPage {
        id: view.id.to_string(),
        version: e.version,
        sections,
        identity: f.identity_inputs(l, layout, &errors),
        narrative,
        safe_contact_label: layout.field("safe_contact").map(|s| field_label(s, l.0)).unwrap_or_default(),
        custom: if sections.custom { f.custom_inputs(l, layout, &errors) } else { Vec::new() },
        channels: sc_rows(l, &f.safe_contact),
        safe_contact_was: e.safe_contact_was,
        safe_contact_confirmed: e.safe_contact_confirmed,
        conflict: e.conflict,
        errors,
        l,
        page,
    };
    v.finish(state, html(status, &t))
}

async fn read(state: &AppState, v: &Visitor, id: &str) -> Result<PersonView, Response> {
    let s = v.active()?;
    let result = match person_id(id) {
        Ok(pid) => state.app.read_person(&caller(s), pid).await,
        Err(e) => Err(e),
    };
    result.map_err(|e| fail(state, v, &e))
}

pub async fn edit_form(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let view = match read(&state, &v, &id).await {
        Ok(view) => view,
        Err(r) => return r,
    };
    let layout = match person_layout(&state, &v).await {
        Ok(layout) => layout,
        Err(r) => return r,
    };
    let form = PersonForm::from_view(&view);
    let e = EditState {
        safe_contact_was: fingerprint(&form.safe_contact),
        safe_contact_confirmed: false,
        version: view.version,
        conflict: None,
        form,
    };
    render_edit(&state, &v, &layout, &view, e, FormErrors::default(), StatusCode::OK)
}

pub async fn edit(State(state): State<AppState>, v: Visitor, Path(id): Path<String>, Form(pairs): Pairs) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let form = PersonForm::from_fields(&f);
    let version = f.get("version").trim().parse::<i64>().ok();
    let confirmed = f.has("safe_contact_confirmed");
    let was = f.get("safe_contact_was").to_owned();
    // Which sections this form carries is decided by what the reader may do now.
    let view = match state.app.read_person(&caller(s), pid).await {
        Ok(view) => view,
        Err(e) => return fail(&state, &v, &e),
    };
    let layout = match person_layout(&state, &v).await {
        Ok(layout) => layout,
        Err(r) => return r,
    };
    let mut sections = sections_of(&view);
    // Saving safe-contact answers marks them confirmed: only when they changed, or when the
    // person confirmed them again just now.
    sections.safety = sections.safety && (confirmed || fingerprint(&form.safe_contact) != was);
    let result = match form.to_fields(sections, &layout) {
        Ok(fields) => state.app.update_person(&caller(s), pid, version, fields).await,
        Err(e) => Err(e),
    };
    let again = |form: PersonForm, version: i64, conflict| EditState {
        form,
        version,
        safe_contact_was: was.clone(),
        safe_contact_confirmed: confirmed,
        conflict,
    };
    match result {
        Ok(_) => see_other(&format!("/persons/{pid}?done=saved")),
        Err(AppError::Conflict) => {
            // Someone saved first: show what they typed beside what is stored now, and let
            // them send theirs again against the current version.
            let all = sections_of(&view);
            let stored = PersonForm::from_view(&view);
            let typed = form.summary(l, all, &layout);
            let now = stored.summary(l, all, &layout);
            let rows = typed
                .into_iter()
                .zip(now)
                .map(|((label, typed), (_, stored))| DiffRow { differs: typed != stored, label, typed, stored })
                .collect();
            let e = again(form, view.version, Some(rows));
            render_edit(&state, &v, &layout, &view, e, FormErrors::default(), StatusCode::CONFLICT)
        }
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_message(l, &e, &mut errs) {
                let e = again(form, version.unwrap_or(view.version), None);
                render_edit(&state, &v, &layout, &view, e, errs, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Outreach, consents, opening a case

pub async fn outreach(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    match state.app.log_outreach(&caller(s), pid, f.get("channel")).await {
        Ok(_) => see_other(&format!("/persons/{pid}?done=outreach#safe-contact")),
        Err(AppError::Refused(code)) => message(
            &state,
            &v,
            StatusCode::CONFLICT,
            l.t("records-refused-title"),
            l.t(&format!("error-{code}")),
            Some((format!("/persons/{pid}#safe-contact"), l.t("records-back-to-person"))),
        ),
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn add_consent(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    let l = v.tr();
    let form = ConsentForm {
        recipient_partner_id: f.get("recipient_partner_id").to_owned(),
        recipient_name: f.get("recipient_name").to_owned(),
        fields: f.all("fields"),
        purpose: f.get("purpose").to_owned(),
        expires_on: f.get("expires_on").to_owned(),
        given_as: f.get("given_as").to_owned(),
    };
    let mut errs = FormErrors::default();
    // A partner of the directory, or a name in words: one of the two.
    let partner = form.recipient_partner_id.trim();
    let partner_id = if partner.is_empty() { Ok(None) } else { uuid::Uuid::parse_str(partner).map(Some) };
    let named = !form.recipient_name.trim().is_empty();
    let result = match (chrono::NaiveDate::parse_from_str(form.expires_on.trim(), "%Y-%m-%d"), partner_id) {
        (_, Ok(Some(_))) if named => {
            errs.push("recipient_partner_id", l.t("records-consent-recipient-one"));
            Err(AppError::Conflict)
        }
        (_, Err(_)) => {
            errs.push("recipient_partner_id", l.t("records-consent-recipient-one"));
            Err(AppError::Conflict)
        }
        (Ok(expires_on), Ok(partner_id)) => {
            let input = ConsentInput {
                recipient_partner_id: partner_id,
                recipient_name: partner_id.is_none().then(|| form.recipient_name.clone()),
                fields: form.fields.clone(),
                purpose: form.purpose.clone(),
                expires_on,
                given_as: form.given_as.clone(),
            };
            state.app.record_consent(&caller(s), pid, input).await.map(|_| ())
        }
        (Err(_), _) => {
            errs.push("expires_on", l.t("records-error-date"));
            Err(AppError::Conflict)
        }
    };
    match result {
        Ok(()) => see_other(&format!("/persons/{pid}?done=consent#consents")),
        Err(_) if !errs.is_empty() => {
            render_person(&state, &v, &id, form, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if field_message(l, &e, &mut errs) => {
            // The use case names the list `fields`; on the page its first box carries the id.
            render_person(&state, &v, &id, form, errs, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn revoke_consent(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, consent)): Path<(String, String)>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (Ok(pid), Ok(cid)) = (person_id(&id), ConsentId::from_str(&consent)) else {
        return fail(&state, &v, &AppError::NotFound);
    };
    match state.app.revoke_consent(&caller(s), pid, cid).await {
        // Revoking twice is harmless: the consent stays revoked.
        Ok(()) | Err(AppError::Conflict) => see_other(&format!("/persons/{pid}?done=revoked#consents")),
        Err(e) => fail(&state, &v, &e),
    }
}

pub async fn open_case(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Pairs,
) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(pid) = person_id(&id) else { return fail(&state, &v, &AppError::NotFound) };
    match state.app.open_case(&caller(s), pid, amparo_app::records::CaseFields::default()).await {
        Ok(case) => see_other(&format!("/cases/{}?done=opened", case.id)),
        Err(e) => fail(&state, &v, &e),
    }
}

/// Form input holds survivors' data and passwords: never printed.
impl std::fmt::Debug for ConsentForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConsentForm(<redacted>)")
    }
}
