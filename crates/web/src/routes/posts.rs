//! Who holds each post: the general office keeps every post, a chain office those of its chain.

use super::pages::PageResult;
use crate::AppState;
use crate::auth::CurrentUser;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

/// The holders form.
#[derive(Deserialize)]
pub struct HoldersForm {
    holders: String,
    version: i64,
}

/// `POST /posts/{id}/holders`.
pub async fn update_holders(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<HoldersForm>,
) -> PageResult {
    let post = chainchief_app::chains::set_post_holders(&state.ctx, &user.caller(), &id, &f.holders, f.version).await?;
    let back = match &post.chain_id {
        Some(chain) => format!("/chains/{chain}?msg=saved"),
        None => "/org?msg=saved".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}
