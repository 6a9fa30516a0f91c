//! Yearly versions of a chain's map [C5]: freeze the map at the start of a year, compare any two.

use super::org::{ChainView, checked_chain};
use super::pages::{PageResult, layout, when};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::maps as uc;
use chainchief_domain::snapshot::{MapDiff, diff};
use chainchief_store::snapshots;
use serde::Deserialize;

/// Which two versions to compare: a year, or empty for the current map.
#[derive(Deserialize, Default)]
pub struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "chains/versions.html")]
struct VersionsPage {
    l: Layout,
    v: ChainView,
    tab: &'static str,
    list: Vec<(i64, String, String)>,
    from: String,
    to: String,
    diff: Option<MapDiff>,
    year: i32,
    can_edit: bool,
}

/// `GET /chains/{id}/versions?from=Y&to=Y`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/versions"), false).await?;
    let list: Vec<(i64, String, String)> = snapshots::snapshots(state.store.pool(), &id)
        .await?
        .into_iter()
        .map(|(y, at, by)| (y, when(&at), by))
        .collect();
    let from = q.from.clone().unwrap_or_else(|| list.first().map(|s| s.0.to_string()).unwrap_or_default());
    let to = q.to.clone().unwrap_or_default();
    let diff = if list.is_empty() {
        None
    } else {
        let c = user.caller();
        Some(diff(&uc::version(&state.ctx, &c, &id, &from).await?, &uc::version(&state.ctx, &c, &id, &to).await?))
    };
    let href = format!("/chains/{id}");
    let l = layout(&state, &user, "年度版本", "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (v.chain.name.as_str(), href.as_str())])
        .with_flash(q.msg.as_deref());
    let can_edit = user.principal.can_write_chain(&id);
    Ok(VersionsPage { l, v, tab: "versions", list, from, to, diff, year: state.clock.year(), can_edit }.into_response())
}

/// The snapshot form.
#[derive(Deserialize)]
pub struct SnapshotForm {
    year: String,
}

/// `POST /chains/{id}/snapshots`: freezes the current map as the given year's version.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<SnapshotForm>,
) -> PageResult {
    uc::freeze_year(&state.ctx, &user.caller(), &id, &f.year).await?;
    Ok(Redirect::to(&format!("/chains/{id}/versions?msg=created")).into_response())
}
