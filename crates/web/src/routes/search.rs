//! 搜索 [X4]: the search page; what is found and for whom is decided in `chainchief_app::search`.

use super::pages::{PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_app::search::{Hit, search};
use serde::Deserialize;

/// The query.
#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    hits: Vec<Hit>,
    more: bool,
}

/// `GET /search?q=…`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(s): Query<SearchQuery>) -> PageResult {
    let (hits, more) = search(&state.ctx, &user.caller(), &s.q).await?;
    let l = layout(&state, &user, "搜索", "/search").await?;
    Ok(SearchPage { l, q: s.q.trim().to_string(), hits, more }.into_response())
}
