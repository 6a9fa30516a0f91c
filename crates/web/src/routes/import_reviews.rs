//! Imported rows held for review [E4]: the keepers of an enterprise see the rows others imported
//! for it, with the fields each would change, and accept or reject them.

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::import_reviews::{self as uc, Held};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/reviews.html")]
struct ReviewsPage {
    l: Layout,
    held: Vec<Held>,
}

/// `GET /enterprises/reviews`: the held rows the user may decide.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let held = uc::waiting(&state.ctx, &user.principal).await?;
    let l = layout(&state, &user, "待审核的导入", "/enterprises")
        .await?
        .with_parents(&[("企业库", "/enterprises")])
        .with_flash(f.msg.as_deref());
    Ok(ReviewsPage { l, held }.into_response())
}

/// A decision on a held row.
#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
    version: i64,
}

/// `POST /enterprises/reviews/{id}`: accept (apply) or reject a held row.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> PageResult {
    let accept = f.decision == "accept";
    uc::decide(&state.ctx, &user.caller(), &id, f.version, accept, &f.reason).await?;
    let msg = if accept { "accepted" } else { "rejected" };
    Ok(Redirect::to(&format!("/enterprises/reviews?msg={msg}")).into_response())
}
