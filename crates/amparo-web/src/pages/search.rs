//! Finding a person. The query travels in the body of a POST, never in a URL, and is never
//! logged; without JavaScript the type-ahead is this plain form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use amparo_app::records::{SearchHit, SearchResults};

use crate::AppState;
use crate::pages::records::{Fields, caller, fail, field_message};
use crate::session::Visitor;
use crate::view::{FormErrors, PageCtx, Tr, html};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Tr,
    page: PageCtx,
    q: String,
    hits: Option<Vec<SearchHit>>,
    hit_count: i64,
    more: bool,
    errors: FormErrors,
}

fn render(
    state: &AppState,
    v: &Visitor,
    q: String,
    found: Option<SearchResults>,
    errors: FormErrors,
    status: StatusCode,
) -> Response {
    let more = found.as_ref().is_some_and(|f| f.more);
    let hits = found.map(|f| f.items);
    let l = v.tr();
    let page = v.page(state, l.t("records-search-title"));
    v.finish(
        state,
        html(
            status,
            &SearchPage {
                l,
                page,
                q,
                hit_count: hits.as_ref().map_or(0, |h| i64::try_from(h.len()).unwrap_or(i64::MAX)),
                hits,
                more,
                errors,
            },
        ),
    )
}

pub async fn form(State(state): State<AppState>, v: Visitor) -> Response {
    if let Err(r) = v.active() {
        return r;
    }
    render(&state, &v, String::new(), None, FormErrors::default(), StatusCode::OK)
}

pub async fn search(State(state): State<AppState>, v: Visitor, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(pairs);
    let s = match v.signed_in_form(&state, f.csrf()) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let q = f.get("q").to_owned();
    match state.app.search_persons(&caller(s), &q).await {
        Ok(found) => render(&state, &v, q, Some(found), FormErrors::default(), StatusCode::OK),
        Err(e) => {
            let mut errors = FormErrors::default();
            if field_message(v.tr(), &e, &mut errors) {
                render(&state, &v, q, None, errors, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                fail(&state, &v, &e)
            }
        }
    }
}
