//! The HTTP face of Amparo: server-rendered pages for people, `/api/v1` JSON for machines.
//! Handlers parse, call a use case, and render; access is decided in the domain, never here.

// A handler's early exit is a ready `Response` (a redirect, an error page): boxing it would
// only add noise to every page.
#![allow(clippy::result_large_err)]

mod api;
mod cookies;
mod errors;
pub mod locked;
mod metrics;
mod pages;
mod security;
mod session;
mod upload;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use amparo_app::Amparo;

pub use metrics::Metrics;

/// How the server is reached: decides cookie names and flags and HSTS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Plain HTTP on loopback (development, a laptop): no `Secure` cookies possible.
    PlainLoopback,
    /// TLS: `__Host-` cookies with `Secure`, and HSTS.
    Tls,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub app: Amparo,
    pub transport: Transport,
    pub metrics: Arc<Metrics>,
    /// Spreadsheets uploaded for import, waiting for their mapping (in memory only).
    pub imports: Arc<pages::import::HeldImports>,
}

impl AppState {
    pub fn new(app: Amparo, transport: Transport) -> Self {
        Self { app, transport, metrics: Arc::new(Metrics::default()), imports: Arc::default() }
    }
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home::show))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/mfa", get(pages::mfa::show).post(pages::mfa::submit))
        .route("/password", get(pages::settings::password_page).post(pages::settings::change_password))
        .route("/language", post(pages::settings::switch_language))
        .route("/settings", get(pages::settings::show))
        .route("/settings/mfa-reset", post(pages::settings::reset_mfa))
        .route("/admin/users", get(pages::admin::list).post(pages::admin::add))
        .route("/admin/users/{id}/disable", post(pages::admin::disable))
        .route("/admin/users/{id}/enable", post(pages::admin::enable))
        .route("/admin/users/{id}/role", post(pages::admin::change_role))
        .route("/admin/users/{id}/reset-mfa", post(pages::admin::reset_mfa))
        .route("/admin/organisation", get(pages::forms::organisation))
        .route("/admin/organisation/people-word", post(pages::forms::set_people_word))
        .route("/admin/forms", get(pages::forms::list))
        .route("/admin/forms/{form}", get(pages::forms::show).post(pages::forms::save))
        .route("/audit", get(pages::audit::show))
        .route("/erasures", get(pages::erasures::show).post(pages::erasures::request))
        .route("/erasures/{id}/decide", post(pages::erasures::decide))
        .route("/admin/retention", get(pages::retention::show).post(pages::retention::save))
        .route("/admin/retention/run", post(pages::retention::run))
        .route("/cases", get(pages::cases::caseload))
        .route("/cases/{id}", get(pages::cases::show).post(pages::cases::update))
        .route("/cases/{id}/break-glass", post(pages::cases::break_glass))
        .route("/cases/{id}/timeline", get(pages::casework::timeline))
        .route("/cases/{id}/{kind}/new", get(pages::entry_forms::new_form))
        .route("/cases/{id}/{kind}", post(pages::entry_forms::create))
        .route("/entries/{id}/edit", get(pages::entry_forms::edit_form).post(pages::entry_forms::edit))
        .route("/entries/{id}/reveal", post(pages::casework::reveal))
        .route("/cases/{id}/tasks", post(pages::tasks::add))
        .route("/tasks", get(pages::tasks::list))
        .route("/tasks/{id}/complete", post(pages::tasks::complete))
        .route("/dashboard", get(pages::dashboard::show))
        .route("/releases", get(pages::releases::show).post(pages::releases::create))
        .route("/releases/{id}/file", get(pages::releases::download))
        .route("/events", get(pages::events::list).post(pages::events::create))
        .route("/events/new", get(pages::events::new_form))
        .route("/events/{id}", get(pages::events::show).post(pages::events::update))
        .route("/signals", get(pages::signals::queue).post(pages::signals::create))
        .route("/signals/new", get(pages::signals::new_form))
        .route("/signals/{id}", get(pages::signals::show))
        .route("/signals/{id}/triage", post(pages::signals::triage))
        .route("/signals/{id}/open-case", post(pages::signals::open_case))
        .route("/signals/{id}/link", post(pages::signals::link))
        .route("/placements", get(pages::placements::list).post(pages::placements::create_site))
        .route("/placements/{id}", get(pages::placements::show))
        .route("/placements/{id}/needs", post(pages::placements::add_need))
        .route("/placements/{id}/confirm", post(pages::placements::confirm_proposal))
        .route("/placements/{id}/placement/{placement}/{what}", post(pages::placements::change))
        .route("/staff/{id}/placements", get(pages::placements::person))
        .route("/staff/{id}/placements/availability", post(pages::placements::save_availability))
        .route("/shelters", get(pages::shelters::list).post(pages::shelters::create))
        .route("/shelters/{id}", get(pages::shelters::show))
        .route("/shelters/{id}/stays", post(pages::shelters::check_in))
        .route("/shelters/{id}/waitlist", post(pages::shelters::add_to_waitlist))
        .route("/shelters/{id}/log", post(pages::shelters::write_log))
        .route("/shelters/{id}/rules", post(pages::shelters::set_rules))
        .route("/shelters/{id}/beds", post(pages::shelters::add_bed))
        .route("/stays/{id}/checkout", post(pages::shelters::check_out))
        .route("/waitlist/{id}/withdraw", post(pages::shelters::withdraw))
        .route("/appointments.ics", get(pages::dashboard::calendar))
        .route("/intake", get(pages::persons::intake_form).post(pages::persons::intake))
        .route("/persons/{id}", get(pages::persons::show))
        .route("/persons/{id}/edit", get(pages::persons::edit_form).post(pages::persons::edit))
        .route("/persons/{id}/outreach", post(pages::persons::outreach))
        .route("/persons/{id}/consents", post(pages::persons::add_consent))
        .route("/persons/{id}/consents/{consent}/revoke", post(pages::persons::revoke_consent))
        .route("/persons/{id}/cases", post(pages::persons::open_case))
        .route("/persons/{id}/access-log", get(pages::access_log::show))
        .route("/persons/{id}/safety-plan", get(pages::safety_plans::show).post(pages::safety_plans::save))
        .route("/persons/{id}/safety-plan/edit", get(pages::safety_plans::edit_form))
        .route("/persons/{id}/safety-plan/history", get(pages::safety_plans::history))
        .route("/persons/{id}/safety-plan/versions/{version}", get(pages::safety_plans::show_version))
        .route("/persons/{id}/safety-plan/print", get(pages::safety_plans::print_page))
        .route("/persons/{id}/safety-plan/pdf", get(pages::safety_plans::pdf))
        .route("/persons/{id}/crisis-log", get(pages::safety_plans::crisis_page).post(pages::safety_plans::crisis_log))
        .route(
            "/persons/{id}/documents",
            get(pages::documents::upload_form)
                .post(pages::documents::upload)
                .layer(DefaultBodyLimit::max(upload::body_limit(state.app.config().max_document_bytes))),
        )
        .route("/persons/{id}/screenings", get(pages::screenings::list).post(pages::screenings::create))
        .route("/persons/{id}/screenings/new/{instrument}", get(pages::screenings::new_form))
        .route("/screenings/{id}", get(pages::screenings::show))
        .route("/screenings/{id}/follow-up", post(pages::screenings::follow_up))
        .route(
            "/import",
            get(pages::import::show)
                .post(pages::import::upload)
                .layer(DefaultBodyLimit::max(upload::body_limit(pages::import::MAX_IMPORT_BYTES))),
        )
        .route("/export/htcds", get(pages::htcds::show).post(pages::htcds::preview))
        .route("/export/htcds/download", post(pages::htcds::download))
        .route("/import/{token}", get(pages::import::mapping_form))
        .route("/import/{token}/preview", post(pages::import::preview))
        .route("/import/{token}/confirm", post(pages::import::confirm))
        .route("/documents/{id}", get(pages::documents::download))
        .route("/documents/{id}/delete", get(pages::documents::delete_form).post(pages::documents::delete))
        .route("/partners", get(pages::referrals::partners).post(pages::referrals::add_partner))
        .route("/persons/{id}/refer", get(pages::referrals::refer_form_page).post(pages::referrals::refer))
        .route("/referrals", get(pages::referrals::list))
        .route(
            "/referrals/packets",
            post(pages::referrals::upload_packet)
                .layer(DefaultBodyLimit::max(upload::body_limit(amparo_app::referrals::MAX_PACKET_BYTES))),
        )
        .route("/referrals/{id}/packet", get(pages::referrals::download_packet))
        .route("/referrals/{id}/{action}", post(pages::referrals::answer))
        .route("/me/wellbeing", get(pages::staff::wellbeing).post(pages::staff::check_in))
        .route("/me/wellbeing/{id}", get(pages::staff::result))
        .route("/wellbeing/aggregate", get(pages::staff::aggregate))
        .route("/staff", get(pages::staff::list))
        .route("/staff/policy", post(pages::staff::save_policy))
        .route("/staff/{id}", get(pages::staff::profile))
        .route("/staff/{id}/profile", post(pages::staff::save_profile))
        .route("/staff/{id}/trainings", post(pages::staff::add_training))
        .route("/staff/{id}/trainings/{training}/delete", post(pages::staff::remove_training))
        .route("/search", get(pages::search::form).post(pages::search::search))
        .route("/setup", get(pages::setup::show).post(pages::setup::submit))
        .route("/static/amparo.css", get(pages::static_files::stylesheet))
        .route("/static/quick-exit.js", get(pages::tips::quick_exit_script))
        .route("/tip", get(pages::tips::form).post(pages::tips::submit))
        .route("/tip/thanks", get(pages::tips::thanks))
        .route("/tip/{page}", get(pages::tips::form_for).post(pages::tips::submit_for))
        .route("/resources", get(pages::tips::resources))
        .route("/healthz", get(pages::health::healthz))
        .route("/metrics", get(pages::health::metrics))
        .route("/api/openapi.json", get(api::openapi));

    Router::new()
        .merge(pages)
        .nest("/api/v1", api::router(state.clone()))
        .fallback(pages::not_found)
        // Which record links the layout shows (decided by `authorize`, per request).
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .with_state(state)
}
