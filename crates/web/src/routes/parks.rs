//! Parks [K1]: the list with the city's 区域分布图, and each park's page.

use super::pages::{PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chainchief_app::parks::{self as uc, ParkRow, ParkView};

#[derive(Template, WebTemplate)]
#[template(path = "org/parks.html")]
struct ListPage {
    l: Layout,
    rows: Vec<ParkRow>,
    map: Option<String>,
}

/// `GET /parks`.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let (rows, map) = uc::list(&state.ctx, &user.caller()).await?;
    let l = layout(&state, &user, "园区", "/parks").await?;
    Ok(ListPage { l, rows, map }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "org/park.html")]
struct ShowPage {
    l: Layout,
    v: ParkView,
}

/// `GET /parks/{id}`.
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    let v = uc::get(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &v.park.name, "/parks").await?.with_parents(&[("园区", "/parks")]);
    Ok(ShowPage { l, v }.into_response())
}

/// A target of an indicator in words, e.g. 2025年目标 2000亿元.
pub(crate) fn target_words(t: &chainchief_store::org::Target) -> String {
    format!("{}年{} {}{}", t.year, t.kind.label(), chainchief_domain::quantity::format_scaled(t.value_scaled), t.unit)
}
