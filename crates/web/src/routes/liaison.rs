//! A chain's 对接 records by its liaisons and experts.

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::liaison::{self as uc, LogInput, Logs};

#[derive(Template, WebTemplate)]
#[template(path = "chains/liaison.html")]
struct LiaisonPage {
    l: Layout,
    v: Logs,
    today: String,
}

/// `GET /chains/{id}/liaison`: the chain's 对接 records.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let v = uc::logs(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &format!("{}对接记录", v.chain_name), "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (&v.chain_name, &format!("/chains/{id}"))])
        .with_flash(f.msg.as_deref());
    Ok(LiaisonPage { l, v, today: state.clock.today().format("%Y-%m-%d").to_string() }.into_response())
}

/// `POST /chains/{id}/liaison`: records 对接 work.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<LogInput>,
) -> PageResult {
    uc::add_log(&state.ctx, &user.caller(), &id, &f).await?;
    Ok(Redirect::to(&format!("/chains/{id}/liaison?msg=created")).into_response())
}
