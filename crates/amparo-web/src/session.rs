//! Who is asking: the session behind the cookie (if any), the language to answer in, and the
//! value the forms' CSRF tokens are bound to.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;

use amparo_app::{AppError, SessionContext, SessionStage};
use amparo_domain::forms::PeopleWord;
use amparo_domain::{Action, Resource, authorize};
use amparo_i18n::Language;

use crate::AppState;
use crate::cookies::{self, Cookie};
use crate::errors;
use crate::view::{PageCtx, Tr, see_other};

#[derive(Clone, Debug)]
pub struct Visitor {
    pub session: Option<SessionContext>,
    pub lang: Language,
    /// The pre-session value CSRF tokens are bound to before sign-in.
    pub pre: String,
    /// Set when the pre-session cookie must be sent (first visit).
    pub new_pre: bool,
    pub path: String,
    /// The organisation's word for the people it serves (the default before sign-in).
    pub people: PeopleWord,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let t = state.transport;
        let session = match cookies::read(&parts.headers, Cookie::Session, t) {
            Some(token) => match state.app.session(&token).await {
                Ok(s) => Some(s),
                Err(AppError::Unauthenticated) => None,
                Err(e) => return Err(errors::page(language_of(state, &parts.headers, None), &e)),
            },
            None => None,
        };
        let lang = language_of(state, &parts.headers, session.as_ref());
        let people = match &session {
            Some(s) => state.app.people_word_of(s.actor.org).await.unwrap_or_default(),
            None => PeopleWord::default(),
        };
        let (pre, new_pre) = match cookies::read(&parts.headers, Cookie::PreSession, t) {
            Some(p) => (p, false),
            None => (amparo_app::random_token(), true),
        };
        Ok(Visitor { session, lang, pre, new_pre, path: parts.uri.path().to_owned(), people })
    }
}

/// The user's own setting, else the language chosen on the switcher, else the browser's.
pub fn language_of(state: &AppState, headers: &HeaderMap, session: Option<&SessionContext>) -> Language {
    if let Some(s) = session {
        return s.language;
    }
    if let Some(l) = cookies::read(headers, Cookie::Language, state.transport).and_then(|c| c.parse().ok()) {
        return l;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    amparo_i18n::negotiate(accept, state.app.config().default_language)
}

impl Visitor {
    pub fn tr(&self) -> Tr {
        Tr(self.lang, self.people)
    }

    /// The value this visitor's CSRF tokens are bound to.
    fn csrf_binding(&self) -> String {
        match &self.session {
            Some(s) => s.csrf_binding.clone(),
            None => format!("pre:{}", self.pre),
        }
    }

    pub fn csrf_token(&self, state: &AppState) -> String {
        state.app.csrf_token(&self.csrf_binding())
    }

    /// Refuses a form whose token is not this visitor's.
    pub fn check_csrf(&self, state: &AppState, presented: &str) -> Result<(), Response> {
        // Before sign-in the token is bound to the pre-session cookie, which must already exist.
        let bound = self.session.is_some() || !self.new_pre;
        if bound && state.app.csrf_token_valid(&self.csrf_binding(), presented) {
            Ok(())
        } else {
            Err(errors::csrf(state, self))
        }
    }

    pub fn page(&self, state: &AppState, title: String) -> PageCtx {
        let active = self.session.as_ref().filter(|s| s.stage == SessionStage::Active);
        let rights = active.map(|s| crate::pages::nav::RecordRights::of(&s.actor)).unwrap_or_default();
        let other = match self.lang {
            Language::Es => Language::En,
            Language::En => Language::Es,
        };
        PageCtx {
            lang: self.lang.code(),
            other_lang: other.code(),
            other_lang_name: amparo_i18n::t(other, &format!("language-{}", other.code())),
            title,
            csrf: self.csrf_token(state),
            signed_in: active.is_some(),
            // Which links to show; the use cases decide again on every request.
            is_admin: active.is_some_and(|s| allowed(s, Action::ManageUsers)),
            can_read_audit: active.is_some_and(|s| allowed(s, Action::ReadAuditLog)),
            erasure_nav: active
                .is_some_and(|s| allowed(s, Action::RequestErasure) || allowed(s, Action::DecideErasure)),
            records_nav: rights.read,
            intake_nav: rights.intake,
            dashboard_nav: rights.dashboard,
            signals_nav: active
                .is_some_and(|s| authorize(&s.actor, Action::HandleSignals, Resource::Signals(s.actor.org)).is_ok()),
            events_nav: active.is_some_and(|s| allowed(s, Action::ViewEvents)),
            import_nav: active.is_some_and(|s| allowed(s, Action::ImportRecords)),
            htcds_nav: active.is_some_and(|s| allowed(s, Action::ExportData)),
            staff_nav: active.is_some_and(|s| allowed(s, Action::ViewWellbeingAggregates)),
            shelters_nav: active.is_some_and(|s| allowed(s, Action::ViewShelters)),
            placements_nav: active.is_some_and(|s| allowed(s, Action::ManagePlacements)),
            user_name: active.map(|s| s.name.clone()).unwrap_or_default(),
            path: self.path.clone(),
        }
    }

    /// For a form sent by a signed-in person: the CSRF token checked, then the session.
    pub fn signed_in_form(&self, state: &AppState, csrf_token: &str) -> Result<&SessionContext, Response> {
        self.check_csrf(state, csrf_token)?;
        self.active()
    }

    /// The fully signed-in session, or where the person must go first.
    pub fn active(&self) -> Result<&SessionContext, Response> {
        match &self.session {
            None => Err(see_other("/login")),
            Some(s) => match s.stage {
                SessionStage::Active => Ok(s),
                SessionStage::MfaEnrolment | SessionStage::MfaChallenge => Err(see_other("/mfa")),
                SessionStage::PasswordChange => Err(see_other("/password")),
            },
        }
    }

    /// Adds the pre-session cookie to a response when this is the first visit.
    pub fn finish(&self, state: &AppState, mut r: Response) -> Response {
        if self.new_pre {
            r.headers_mut()
                .append(header::SET_COOKIE, cookies::set(Cookie::PreSession, &self.pre, state.transport, None));
        }
        r
    }
}

fn allowed(s: &SessionContext, action: Action) -> bool {
    authorize(&s.actor, action, Resource::Organisation(s.actor.org)).is_ok()
}
