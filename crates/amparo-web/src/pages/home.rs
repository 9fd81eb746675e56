use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::AppState;
use crate::session::Visitor;
use crate::view::{PageCtx, Tr, html};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Tr,
    page: PageCtx,
    role_name: String,
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Response {
    let s = match v.active() {
        Ok(s) => s,
        Err(r) => return r,
    };
    let l = v.tr();
    let role_name = l.t(&format!("role-{}", s.actor.role.code()));
    let page = v.page(&state, l.t("page-home-title"));
    html(StatusCode::OK, &HomePage { l, page, role_name })
}
