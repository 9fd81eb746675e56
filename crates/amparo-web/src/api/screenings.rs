//! `/api/v1` screenings: the instruments (items and options in either language, licence and
//! attribution), running one with a person, and a person's screenings with their trends.
//! The use cases decide access and audit, as for the pages.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use amparo_app::screenings::{ScreeningInput, ScreeningView, catalogue, trends};
use amparo_app::{AppError, Caller};
use amparo_domain::records::{ScreeningId, ScreeningProblem};
use amparo_domain::{Actor, DomainError, Language, PersonId};
use amparo_instruments::{AnswerOption, Instrument};

use super::{ApiJson, ApiPath, ApiQuery, caller, invalid_field, reply};
use crate::AppState;
use crate::errors;

pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/instruments", get(instruments))
        .route("/instruments/{id}", get(instrument))
        .route("/persons/{id}/screenings", get(list).post(run))
        .route("/screenings/{id}", get(read))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// The language asked for, else the token user's.
async fn language(state: &AppState, actor: &Actor, lang: Option<&str>) -> Result<Language, Response> {
    match lang {
        Some(l) => l.parse::<Language>().map_err(|_| invalid_field("lang")),
        None => Ok(state.app.me(actor).await.map(|u| u.language).unwrap_or(Language::En)),
    }
}

fn options(list: &[AnswerOption], lang: Language) -> Value {
    Value::Array(list.iter().map(|o| json!({ "value": o.value, "label": o.label.get(lang) })).collect())
}

fn summary(i: &Instrument, lang: Language) -> Value {
    json!({
        "id": i.id,
        "version": i.version,
        "name": i.name.get(lang),
        "title": i.title.get(lang),
        "items": i.items.len(),
        "language": lang.code(),
    })
}

fn described(i: &Instrument, lang: Language) -> Value {
    let text = |t: &amparo_instruments::Text| t.get(lang).to_owned();
    let items: Vec<Value> = i
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            json!({
                "number": n + 1,
                "text": item.text.get(lang),
                "reverse": item.reverse,
                "options": options(i.options_of(n), lang),
                "group": i.groups.iter().find(|g| g.items.contains(&(n + 1))).map(|g| g.code.clone()),
            })
        })
        .collect();
    json!({
        "id": i.id,
        "version": i.version,
        "language": lang.code(),
        "name": text(&i.name),
        "title": text(&i.title),
        "time_frame": text(&i.time_frame),
        "instructions": i.instructions.as_ref().map(text),
        "notice": text(&i.notice),
        "licence": text(&i.licence),
        "attribution": text(&i.attribution),
        "options": options(&i.options, lang),
        "items": items,
        "groups": i.groups.iter().map(|g| json!({ "code": g.code, "label": text(&g.label), "items": g.items })).collect::<Vec<_>>(),
        "bands": i.bands.iter().map(|b| json!({ "code": b.code, "min": b.min, "max": b.max, "label": text(&b.label) })).collect::<Vec<_>>(),
        "cutoffs": i.cutoffs.iter().map(|c| json!({ "code": c.code, "min_total": c.min_total, "label": text(&c.label) })).collect::<Vec<_>>(),
        "rules": i.rules.iter().map(|r| json!({ "code": r.code, "item_min": r.item_min, "require": r.require, "label": text(&r.label) })).collect::<Vec<_>>(),
        "flags": i.flags.iter().map(|f| json!({ "code": f.code, "critical": f.critical, "label": text(&f.label), "next_steps": text(&f.next_steps) })).collect::<Vec<_>>(),
        "extra": i.extra.as_ref().map(|x| json!({ "code": x.code, "text": text(&x.text), "options": options(&x.options, lang) })),
    })
}

/// The screening as the API shows it: the coded result, with each cut-off and rule outcome
/// also as a member of its own (`probable_ptsd`, `provisional_ptsd`) and the group sums as
/// `clusters` where the instrument has groups.
pub(super) fn screening_json(v: &ScreeningView) -> Value {
    let mut m: Map<String, Value> = match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    m.insert("band".into(), json!(v.band));
    if v.clusters.is_empty() {
        m.remove("clusters");
    }
    m.insert("alert_task_id".into(), json!(v.alert_task));
    m.remove("alert_task");
    for (code, met) in &v.outcomes {
        m.entry(code.clone()).or_insert(json!(met));
    }
    Value::Object(m)
}

/// The 422 of a refused answer: the stable code, the field, the 1-based item, and a message
/// naming it (never the answer given).
fn refused(e: &AppError, input: &ScreeningInput) -> Response {
    let Some((field, DomainError::Screening(p))) = e.invalid_field() else {
        return errors::json(e);
    };
    let instrument = catalogue().ok().and_then(|c| c.get(input.instrument.trim()));
    let item = field.strip_prefix("answers.").and_then(|n| n.parse::<usize>().ok());
    let message = match (p, instrument, item) {
        (ScreeningProblem::AnswerOutOfRange, Some(i), Some(n)) => {
            let (min, max) = i.range_of(n.saturating_sub(1));
            format!("The answer to item {n} is out of range: it must be one of the option values {min} to {max}.")
        }
        (ScreeningProblem::AnswerCount, Some(i), _) => format!(
            "{} has {} scored items: send one answer per item, in item order ({} sent).",
            i.name.en,
            i.items.len(),
            input.answers.len()
        ),
        (ScreeningProblem::ExtraOutOfRange, Some(i), _) => {
            let n = i.extra.as_ref().map_or(0, |x| x.options.len());
            format!("`{field}` must be one of its {n} option values (0 to {}).", n.saturating_sub(1))
        }
        (ScreeningProblem::UnknownInstrument, _, _) => "No instrument has this id.".to_owned(),
        _ => e.code().to_owned(),
    };
    let mut body = json!({ "error": e.code(), "field": field, "message": message });
    if let Some(n) = item {
        body["item"] = json!(n);
    }
    reply(errors::status_of(e), &body)
}

/// The instruments this installation offers.
#[utoipa::path(
    operation_id = "list_instruments",
    get,
    path = "/api/v1/instruments",
    tag = "screenings",
    security(("bearer" = [])),
    params(("lang" = Option<String>, Query, description = "`es` or `en` (default: the token user's language)")),
    responses(
        (status = 200, description = "`{\"items\": [{id, version, name, title, items, language}]}`; ids `phq9`, `gad7`, `pcl5`, `trafficking_indicators`", body = schema::Instruments),
        (status = 422, description = "Unknown `lang`", body = super::ApiError)
    )
)]
pub(super) async fn instruments(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> Response {
    let lang = match language(&state, &actor, q.lang.as_deref()).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    match catalogue() {
        Ok(c) => {
            reply(StatusCode::OK, &json!({ "items": c.all().iter().map(|i| summary(i, lang)).collect::<Vec<_>>() }))
        }
        Err(e) => errors::json(&e),
    }
}

/// One instrument: its items and answer options in the language asked for, time frame,
/// instructions, notice, licence, attribution, and scoring rules.
#[utoipa::path(
    operation_id = "read_instrument",
    get,
    path = "/api/v1/instruments/{id}",
    tag = "screenings",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "`phq9`, `gad7`, `pcl5` or `trafficking_indicators`"),
        ("lang" = Option<String>, Query, description = "`es` or `en` (default: the token user's language)")
    ),
    responses(
        (status = 200, description = "The instrument", body = schema::InstrumentDescription),
        (status = 404, description = "No such instrument", body = super::ApiError),
        (status = 422, description = "Unknown `lang`", body = super::ApiError)
    )
)]
pub(super) async fn instrument(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> Response {
    let lang = match language(&state, &actor, q.lang.as_deref()).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    match catalogue().and_then(|c| c.get(&id).ok_or(AppError::NotFound)) {
        Ok(i) => reply(StatusCode::OK, &described(i, lang)),
        Err(e) => errors::json(&e),
    }
}

/// Runs an instrument with a person. A critical answer (PHQ-9 item 9 above 0, a minor in
/// commercial sex on the indicator screen) raises an urgent `screening_alert` task for the
/// case team and the supervisors (only the supervisors before any case).
#[utoipa::path(
    operation_id = "run_screening",
    post,
    path = "/api/v1/persons/{id}/screenings",
    tag = "screenings",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    request_body = schema::ScreeningInput,
    responses(
        (status = 201, description = "Scored and kept (answers sealed)", body = schema::Screening),
        (status = 403, description = "The role may not run screens with this person", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError),
        (status = 422, description = "`screening_answer_count` (wrong number of answers), `screening_answer_out_of_range` (with `item`, 1-based, and a `message` naming it), `screening_extra_out_of_range` (`difficulty`), `screening_unknown_instrument`, an unknown `case_id`, or a body of the wrong shape (`invalid_body`)", body = schema::ScreeningRefusal)
    )
)]
pub(super) async fn run(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
    ApiJson(input): ApiJson<ScreeningInput>,
) -> Response {
    let echo =
        ScreeningInput { answers: input.answers.clone(), instrument: input.instrument.clone(), ..Default::default() };
    match state.app.run_screening(&caller(actor), id, input).await {
        Ok(v) => reply(StatusCode::CREATED, &screening_json(&ScreeningView { answers: None, difficulty: None, ..v })),
        Err(e @ AppError::Invalid { .. }) | Err(e @ AppError::InvalidField { .. }) => refused(&e, &echo),
        Err(e) => errors::json(&e),
    }
}

/// A person's screenings that the token's user may read, oldest first, and the totals over
/// time per instrument.
#[utoipa::path(
    operation_id = "list_screenings",
    get,
    path = "/api/v1/persons/{id}/screenings",
    tag = "screenings",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "`items` (without answers) and `trends`", body = schema::Screenings),
        (status = 403, description = "The role may not read this person's screenings", body = super::ApiError),
        (status = 404, description = "No such person (or another organisation's)", body = super::ApiError),
        (status = 410, description = "The person was erased", body = super::ApiError)
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<PersonId>,
) -> Response {
    let who: Caller = caller(actor);
    match state.app.person_screenings(&who, id).await {
        Ok(list) => reply(
            StatusCode::OK,
            &json!({
                "items": list.items.iter().map(screening_json).collect::<Vec<_>>(),
                "trends": trends(&list.items),
            }),
        ),
        Err(e) => errors::json(&e),
    }
}

/// One screening with its answers (audited before they are opened).
#[utoipa::path(
    operation_id = "read_screening",
    get,
    path = "/api/v1/screenings/{id}",
    tag = "screenings",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The screening's id")),
    responses(
        (status = 200, description = "The result with `answers` (and `difficulty`)", body = schema::Screening),
        (status = 403, description = "The role may not read this person's screenings", body = super::ApiError),
        (status = 404, description = "No such screening (or another organisation's)", body = super::ApiError)
    )
)]
pub(super) async fn read(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiPath(id): ApiPath<ScreeningId>,
) -> Response {
    match state.app.screening(&caller(actor), id).await {
        Ok(v) => reply(StatusCode::OK, &screening_json(&v)),
        Err(e) => errors::json(&e),
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(instruments, instrument, run, list, read),
    components(schemas(
        schema::Instruments,
        schema::InstrumentSummary,
        schema::InstrumentDescription,
        schema::ScreeningInput,
        schema::Screening,
        schema::Screenings,
        schema::ScreeningRefusal,
        schema::TrendSeries,
        schema::TrendPoint
    )),
    tags((name = "screenings", description = "Validated instruments (PHQ-9, GAD-7, PCL-5) and the trafficking indicator screen: items in both languages, scoring, results and trends. Answers are sealed; every read is audited."))
)]
pub(super) struct ScreeningsDoc;

/// The shapes the OpenAPI document describes.
#[allow(dead_code)]
pub(super) mod schema {
    use std::collections::BTreeMap;

    use chrono::{DateTime, NaiveDate, Utc};
    use utoipa::ToSchema;
    use uuid::Uuid;

    #[derive(ToSchema)]
    pub struct InstrumentSummary {
        /// `phq9`, `gad7`, `pcl5`, `trafficking_indicators`.
        id: String,
        version: String,
        name: String,
        title: String,
        /// Number of scored items (answers to send).
        items: usize,
        language: String,
    }

    #[derive(ToSchema)]
    pub struct Instruments {
        items: Vec<InstrumentSummary>,
    }

    /// An answer option.
    #[derive(ToSchema)]
    pub struct AnswerOption {
        value: u32,
        label: String,
    }

    /// A scored item, numbered from 1.
    #[derive(ToSchema)]
    pub struct InstrumentItem {
        number: usize,
        text: String,
        reverse: bool,
        options: Vec<AnswerOption>,
        /// The group (cluster, section) it belongs to.
        group: Option<String>,
    }

    /// An instrument in one language.
    #[derive(ToSchema)]
    pub struct InstrumentDescription {
        id: String,
        version: String,
        language: String,
        name: String,
        title: String,
        time_frame: String,
        instructions: Option<String>,
        /// What the screen is and is not (shown with it).
        notice: String,
        licence: String,
        attribution: String,
        options: Vec<AnswerOption>,
        items: Vec<InstrumentItem>,
        /// `[{code, label, items}]`: PCL-5's clusters B–E, the indicator screen's domains.
        #[schema(value_type = Vec<Object>)]
        groups: Vec<serde_json::Value>,
        /// `[{code, min, max, label}]` of the total.
        #[schema(value_type = Vec<Object>)]
        bands: Vec<serde_json::Value>,
        /// `[{code, min_total, label}]` (the file's; the installation may move them).
        #[schema(value_type = Vec<Object>)]
        cutoffs: Vec<serde_json::Value>,
        /// `[{code, item_min, require, label}]`: per-group minimum counts of items at or above `item_min`.
        #[schema(value_type = Vec<Object>)]
        rules: Vec<serde_json::Value>,
        /// `[{code, critical, label, next_steps}]`.
        #[schema(value_type = Vec<Object>)]
        flags: Vec<serde_json::Value>,
        /// PHQ-9's unscored difficulty question: `{code, text, options}`.
        #[schema(value_type = Option<Object>)]
        extra: Option<serde_json::Value>,
    }

    /// Answers to score. Unknown members are refused.
    #[derive(ToSchema)]
    pub struct ScreeningInput {
        /// `phq9`, `gad7`, `pcl5` or `trafficking_indicators`.
        instrument: String,
        /// The option values, one per scored item, in item order (9 for PHQ-9, 7 for GAD-7,
        /// 20 for PCL-5).
        answers: Vec<i64>,
        /// PHQ-9's difficulty question (0–3), not scored.
        difficulty: Option<i64>,
        /// Taken for this case of the person's.
        case_id: Option<Uuid>,
    }

    /// A screening's result.
    #[derive(ToSchema)]
    pub struct Screening {
        id: Uuid,
        person_id: Uuid,
        case_id: Option<Uuid>,
        instrument: String,
        instrument_version: String,
        taken_on: NaiveDate,
        taken_at: DateTime<Utc>,
        taken_by: Option<Uuid>,
        total: u32,
        /// `minimal`, `mild`, `moderate`, `moderately_severe`, `severe` as the instrument has
        /// them; null where it has no bands (PCL-5, the indicator screen).
        band: Option<String>,
        /// e.g. `["suicide_risk"]`, `["indicators_present"]`.
        flags: Vec<String>,
        /// The flags that raised an alert.
        critical_flags: Vec<String>,
        /// Group sums where the instrument has groups: PCL-5 `{"B":…,"C":…,"D":…,"E":…}`.
        clusters: Option<BTreeMap<String, u32>>,
        /// PCL-5: total at or above the cut-off (33 by default).
        probable_ptsd: Option<bool>,
        /// PCL-5: items at 2 or more include ≥1 B, ≥1 C, ≥2 D and ≥2 E.
        provisional_ptsd: Option<bool>,
        /// Every cut-off and rule outcome by code.
        outcomes: BTreeMap<String, bool>,
        /// The cut-offs applied.
        cutoffs: BTreeMap<String, u32>,
        /// The `screening_alert` task raised, if any.
        alert_task_id: Option<Uuid>,
        /// Single reads only.
        answers: Option<Vec<i64>>,
        difficulty: Option<i64>,
    }

    #[derive(ToSchema)]
    pub struct TrendPoint {
        screening_id: Uuid,
        taken_on: NaiveDate,
        total: u32,
        band: Option<String>,
    }

    #[derive(ToSchema)]
    pub struct TrendSeries {
        instrument: String,
        points: Vec<TrendPoint>,
    }

    #[derive(ToSchema)]
    pub struct Screenings {
        items: Vec<Screening>,
        trends: Vec<TrendSeries>,
    }

    /// A refused set of answers.
    #[derive(ToSchema)]
    pub struct ScreeningRefusal {
        /// e.g. `screening_answer_out_of_range`.
        error: String,
        /// `answers.<n>`, `answers`, `difficulty`, `instrument` or `case_id`.
        field: String,
        /// The 1-based item at fault.
        item: Option<usize>,
        /// In words, naming the item.
        message: String,
    }
}
