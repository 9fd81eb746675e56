//! The partner network's pages: the directory (search, a schematic map, adding a partner,
//! this installation's identity), the referral form on a person, the referrals lists (the
//! inbox with accept/decline; outgoing with withdraw/complete and packet download), and
//! packet upload. Every decision and audit is in the use cases.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use amparo_app::referrals::{AcceptInput, PartnerInput, PartnerQuery, PartnerView, ReferralInput, ReferralView};
use amparo_app::{AppError, Caller, Channel};
use amparo_domain::records::ConsentField;
use amparo_domain::records::casework::ServiceCategory;
use amparo_domain::referrals::{Population, ReferralDirection, ReferralId};
use amparo_domain::{Action, PersonId, Resource, authorize};

use crate::AppState;
use crate::errors;
use crate::pages::field_error;
use crate::session::Visitor;
use crate::upload::UploadForm;
use crate::view::{FormErrors, PageCtx, Tr, html, see_other};

fn web(v: &Visitor) -> Result<Caller, Response> {
    v.active().map(|s| Caller::User { actor: s.actor, channel: Channel::Web })
}

/// A code and its label, for selects and checkboxes.
struct Choice {
    code: String,
    label: String,
    checked: bool,
}

/// One point of the schematic map: a country or region with how many partners are there.
struct MapPoint {
    x: i32,
    y: i32,
    label: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    l: Tr,
    page: PageCtx,
    partners: Vec<PartnerView>,
    services: Vec<Choice>,
    populations: Vec<Choice>,
    query_service: String,
    query_language: String,
    query_place: String,
    points: Vec<MapPoint>,
    identity: String,
    fingerprint: String,
    may_add: bool,
    form: PartnerForm,
    errors: FormErrors,
}

/// Where a country's box sits on the schematic map (x, y, width, height): the United States
/// above Mexico, others to the side. Not geography: a picture of where partners are.
fn country_box(country: &str) -> (i32, i32, i32, i32) {
    match country {
        "US" => (20, 20, 360, 110),
        "MX" => (60, 150, 260, 110),
        _ => (400, 20, 140, 240),
    }
}

/// Spreads a country's regions over its box, in code order, with a count per place.
fn map_points(partners: &[PartnerView]) -> Vec<MapPoint> {
    let mut places: BTreeMap<(String, String), usize> = BTreeMap::new();
    for p in partners {
        let place = p.region.clone().unwrap_or_else(|| p.country.clone());
        let key = if matches!(p.country.as_str(), "US" | "MX") { p.country.clone() } else { "ZZ".into() };
        *places.entry((key, place)).or_default() += 1;
    }
    let mut by_country: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for ((c, place), n) in places {
        by_country.entry(c).or_default().push((place, n));
    }
    let mut out = Vec::new();
    for (country, list) in by_country {
        let (x, y, w, h) = country_box(&country);
        let cols = 4;
        for (i, (place, count)) in list.into_iter().enumerate() {
            let i = i32::try_from(i).unwrap_or(0);
            let (col, row) = (i % cols, i / cols);
            out.push(MapPoint {
                x: x + 20 + col * (w - 40) / cols.max(1),
                y: y + 30 + (row * 30) % (h - 40).max(1),
                label: place,
                count,
            });
        }
    }
    out
}

#[derive(Default)]
pub struct PartnerForm {
    name: String,
    country: String,
    region: String,
    services: Vec<String>,
    languages: String,
    populations: Vec<String>,
    contact: String,
    public_key: String,
    notes: String,
    csrf_token: String,
}

async fn partners_page(
    state: &AppState,
    v: &Visitor,
    q: PartnerQuery,
    form: PartnerForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let caller = match web(v) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let partners = match state.app.partners(&caller, None, &q).await {
        Ok(p) => p,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let identity = match state.app.installation_identity().await {
        Ok(i) => i,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let may_add = match &caller {
        Caller::User { actor, .. } => {
            authorize(actor, Action::ManageOrganisation, Resource::Organisation(actor.org)).is_ok()
        }
        Caller::Operator => false,
    };
    let services = ServiceCategory::ALL
        .iter()
        .map(|s| Choice {
            code: s.code().to_owned(),
            label: l.t(&format!("code-service_category-{}", s.code())),
            checked: form.services.iter().any(|x| x == s.code()),
        })
        .collect();
    let populations = Population::ALL
        .iter()
        .map(|p| Choice {
            code: p.code().to_owned(),
            label: l.t(&format!("referrals-population-{}", p.code())),
            checked: form.populations.iter().any(|x| x == p.code()),
        })
        .collect();
    let page = v.page(state, l.t("referrals-partners-title"));
    let r = html(
        status,
        &PartnersPage {
            points: map_points(&partners),
            partners,
            services,
            populations,
            query_service: q.service.unwrap_or_default(),
            query_language: q.language.unwrap_or_default(),
            query_place: q.place.unwrap_or_default(),
            identity: identity.to_string(),
            fingerprint: identity.fingerprint(),
            may_add,
            form,
            errors,
            l,
            page,
        },
    );
    v.finish(state, r)
}

/// The directory; filters travel in the query (codes only, nothing about a person).
pub async fn partners(State(state): State<AppState>, v: Visitor, Query(q): Query<PartnerQuery>) -> Response {
    partners_page(&state, &v, q, PartnerForm::default(), FormErrors::default(), StatusCode::OK).await
}

pub async fn add_partner(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = partner_form(pairs);
    let s = match v.signed_in_form(&state, &form.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let input = PartnerInput {
        name: form.name.clone(),
        country: form.country.clone(),
        region: Some(form.region.clone()),
        services: form.services.clone(),
        languages: form.languages.split([',', ' ']).map(str::to_owned).filter(|x| !x.is_empty()).collect(),
        populations: form.populations.clone(),
        contact: Some(form.contact.clone()),
        public_key: Some(form.public_key.clone()),
        organisation_id: None,
        notes: Some(form.notes.clone()),
    };
    match state.app.add_partner(&caller, None, input).await {
        Ok(_) => see_other("/partners"),
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_error(&v, &e, &mut errs) {
                partners_page(&state, &v, PartnerQuery::default(), form, errs, StatusCode::UNPROCESSABLE_ENTITY).await
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}

/// Repeated checkbox names (`services`, `populations`) as lists.
fn partner_form(pairs: Vec<(String, String)>) -> PartnerForm {
    let mut f = PartnerForm::default();
    for (k, val) in pairs {
        match k.as_str() {
            "name" => f.name = val,
            "country" => f.country = val,
            "region" => f.region = val,
            "services" => f.services.push(val),
            "languages" => f.languages = val,
            "populations" => f.populations.push(val),
            "contact" => f.contact = val,
            "public_key" => f.public_key = val,
            "notes" => f.notes = val,
            "csrf_token" => f.csrf_token = val,
            _ => {}
        }
    }
    f
}

// --- the referral form on a person

#[derive(Template)]
#[template(path = "refer.html")]
struct ReferPage {
    l: Tr,
    page: PageCtx,
    person: String,
    partners: Vec<Choice>,
    fields: Vec<Choice>,
    urgencies: Vec<Choice>,
    reason: String,
    errors: FormErrors,
}

#[derive(Default)]
struct ReferForm {
    partner_id: String,
    fields: Vec<String>,
    reason: String,
    urgency: String,
    csrf_token: String,
}

fn refer_form(pairs: Vec<(String, String)>) -> ReferForm {
    let mut f = ReferForm::default();
    for (k, val) in pairs {
        match k.as_str() {
            "partner_id" => f.partner_id = val,
            "fields" => f.fields.push(val),
            "reason" => f.reason = val,
            "urgency" => f.urgency = val,
            "csrf_token" => f.csrf_token = val,
            _ => {}
        }
    }
    f
}

async fn refer_page(
    state: &AppState,
    v: &Visitor,
    person: PersonId,
    f: ReferForm,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let caller = match web(v) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let partners = match state.app.partners(&caller, None, &PartnerQuery::default()).await {
        Ok(p) => p,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let page = v.page(state, l.t("referrals-refer-title"));
    let r = html(
        status,
        &ReferPage {
            person: person.to_string(),
            partners: partners
                .into_iter()
                .map(|p| Choice { checked: p.id.to_string() == f.partner_id, code: p.id.to_string(), label: p.name })
                .collect(),
            fields: ConsentField::ALL
                .iter()
                .map(|c| Choice {
                    code: c.code().to_owned(),
                    label: l.t(&format!("referrals-field-{}", c.code())),
                    checked: f.fields.iter().any(|x| x == c.code()),
                })
                .collect(),
            urgencies: ["routine", "urgent", "emergency"]
                .iter()
                .map(|u| Choice {
                    code: (*u).to_owned(),
                    label: l.t(&format!("referrals-urgency-{u}")),
                    checked: f.urgency == *u || (f.urgency.is_empty() && *u == "routine"),
                })
                .collect(),
            reason: f.reason,
            errors,
            l,
            page,
        },
    );
    v.finish(state, r)
}

pub async fn refer_form_page(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let Ok(person) = id.parse::<PersonId>() else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    refer_page(&state, &v, person, ReferForm::default(), FormErrors::default(), StatusCode::OK).await
}

pub async fn refer(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = refer_form(pairs);
    let s = match v.signed_in_form(&state, &f.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(person) = id.parse::<PersonId>() else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let mut errs = FormErrors::default();
    let Ok(partner_id) = f.partner_id.parse() else {
        errs.push("partner_id", v.tr().t("error-unknown_code"));
        return refer_page(&state, &v, person, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = ReferralInput {
        person_id: person,
        case_id: None,
        partner_id,
        fields: f.fields.clone(),
        reason: f.reason.clone(),
        urgency: Some(f.urgency.clone()),
        draft: false,
    };
    match state.app.create_referral(&caller, input).await {
        Ok(_) => see_other("/referrals?direction=outgoing"),
        Err(AppError::Refused("consent_required")) => {
            // Said next to the fields chosen: what is missing is a consent that covers them.
            errs.push("fields", v.tr().t("error-consent_required"));
            refer_page(&state, &v, person, f, errs, StatusCode::CONFLICT).await
        }
        Err(e) if field_error(&v, &e, &mut errs) => {
            refer_page(&state, &v, person, f, errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

// --- the lists, the answers, packets

struct Line {
    view: ReferralView,
    shared: Vec<(String, String)>,
    status: String,
    urgency: String,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    l: Tr,
    page: PageCtx,
    incoming: bool,
    lines: Vec<Line>,
    notice: Option<String>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn flat(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(flat).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(m) => m.values().map(flat).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · "),
        other => other.to_string(),
    }
}

async fn list_page(state: &AppState, v: &Visitor, q: ListQuery, errors: FormErrors, status: StatusCode) -> Response {
    let caller = match web(v) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let incoming = q.direction.as_deref() == Some("incoming");
    let direction = if incoming { ReferralDirection::Incoming } else { ReferralDirection::Outgoing };
    let list = match state.app.referrals(&caller, None, direction).await {
        Ok(list) => list,
        Err(e) => return errors::for_visitor(state, v, &e),
    };
    let l = v.tr();
    let lines = list
        .into_iter()
        .map(|view| Line {
            shared: view
                .shared
                .iter()
                .flat_map(|m| m.iter())
                .map(|(k, val)| (l.t(&format!("referrals-field-{k}")), flat(val)))
                .collect(),
            status: l.t(&format!("referrals-status-{}", view.status)),
            urgency: l.t(&format!("referrals-urgency-{}", view.urgency)),
            view,
        })
        .collect();
    let notice =
        q.done.as_deref().filter(|d| ["filed", "done"].contains(d)).map(|d| l.t(&format!("referrals-notice-{d}")));
    let title = if incoming { l.t("referrals-inbox-title") } else { l.t("referrals-outgoing-title") };
    let page = v.page(state, title);
    let r = html(status, &ReferralsPage { l, page, incoming, lines, notice, errors });
    v.finish(state, r)
}

pub async fn list(State(state): State<AppState>, v: Visitor, Query(q): Query<ListQuery>) -> Response {
    list_page(&state, &v, q, FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

/// Accept, decline, withdraw or complete.
pub async fn answer(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let s = match v.signed_in_form(&state, &f.csrf_token) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<ReferralId>() else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let (result, back) = match action.as_str() {
        "accept" => {
            (state.app.accept_referral(&caller, None, id, AcceptInput::default()).await.map(|_| ()), "incoming")
        }
        "decline" => (state.app.decline_referral(&caller, None, id, &f.reason).await, "incoming"),
        "withdraw" => (state.app.withdraw_referral(&caller, None, id, Some(&f.reason)).await, "outgoing"),
        "complete" => (state.app.complete_referral(&caller, None, id).await, "outgoing"),
        _ => return errors::for_visitor(&state, &v, &AppError::NotFound),
    };
    match result {
        Ok(()) => see_other(&format!("/referrals?direction={back}&done=done")),
        Err(e) => {
            let mut errs = FormErrors::default();
            if field_error(&v, &e, &mut errs) {
                let q = ListQuery { direction: Some(back.to_owned()), done: None };
                list_page(&state, &v, q, errs, StatusCode::UNPROCESSABLE_ENTITY).await
            } else {
                errors::for_visitor(&state, &v, &e)
            }
        }
    }
}

/// The packet of an outgoing referral, as a download (the consent is asked again).
pub async fn download_packet(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let caller = match web(&v) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(id) = id.parse::<ReferralId>() else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    match state.app.pack_referral(&caller, None, id, None).await {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
            // The id is random and says nothing about the person.
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"referral-{id}.packet\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(AppError::Refused(code)) => {
            let mut errs = FormErrors::default();
            errs.push("packet", v.tr().t(&format!("error-{code}")));
            list_page(&state, &v, ListQuery::default(), errs, StatusCode::CONFLICT).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}

/// A packet from a partner installation, uploaded into the inbox.
pub async fn upload_packet(
    State(state): State<AppState>,
    v: Visitor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else { return errors::for_visitor(&state, &v, &AppError::NotFound) };
    let Ok(form) = UploadForm::read(multipart).await else {
        return errors::for_visitor(&state, &v, &AppError::invalid("file", amparo_domain::DomainError::UnknownCode));
    };
    let s = match v.signed_in_form(&state, form.fields.get("csrf_token")) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let caller = Caller::User { actor: s.actor, channel: Channel::Web };
    let bytes = form.file.map(|f| f.bytes).unwrap_or_default();
    let incoming = || ListQuery { direction: Some("incoming".into()), done: None };
    match state.app.unpack_referral(&caller, None, &bytes).await {
        Ok(_) => see_other("/referrals?direction=incoming&done=filed"),
        Err(AppError::Refused(code)) => {
            let mut errs = FormErrors::default();
            errs.push("file", v.tr().t(&format!("error-{code}")));
            list_page(&state, &v, incoming(), errs, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Duplicate) => {
            let mut errs = FormErrors::default();
            errs.push("file", v.tr().t("error-packet_already_filed"));
            list_page(&state, &v, incoming(), errs, StatusCode::CONFLICT).await
        }
        Err(e) => errors::for_visitor(&state, &v, &e),
    }
}
