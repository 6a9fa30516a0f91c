//! Who holds each post: the general office keeps every post, a chain office those of its chain.

use super::pages::PageResult;
use crate::auth::{CurrentUser, require};
use crate::{AppError, AppState};
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::Role;
use chainchief_domain::text;
use chainchief_store::org as store;
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
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let city = &user.principal.city_id;
    let post = store::post(state.store.pool(), city, &id).await?;
    let allowed = match &post.chain_id {
        Some(chain) => user.principal.can_write_chain(chain),
        None => user.principal.has(Role::GeneralOffice),
    };
    require(&state, &user, allowed, &format!("POST /posts/{id}/holders")).await?;
    let holders = text::optional("holders", "在岗人员", &f.holders, 200)?;
    store::update_post_holders(&state.store, &user.actor(), city, &id, &holders, f.version).await?;
    let back = match &post.chain_id {
        Some(chain) => format!("/chains/{chain}?msg=saved"),
        None => "/org?msg=saved".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}
