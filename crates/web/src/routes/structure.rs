//! Editing a chain's structure [C2]: nodes by stage (add, rename, move, nest, key flag, products,
//! GB/T 4754-2017 classes, delete) and supply edges (add, remove), with the chain's rules checked.

use super::org::{ChainView, checked_chain};
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::structure::{self as uc, NodeInput};
use chainchief_domain::chain_map::Stage;
use chainchief_domain::error::FieldError;
use chainchief_domain::industry::describe;
use chainchief_store::maps::{self, ChainMapData};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "chains/structure.html")]
struct StructurePage {
    l: Layout,
    v: ChainView,
    tab: &'static str,
    data: ChainMapData,
    stages: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    can_edit: bool,
}

impl StructurePage {
    fn node_name(&self, id: &str) -> String {
        self.data.nodes.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
    }

    fn codes_named(&self, codes: &str) -> String {
        codes
            .split('、')
            .filter(|c| !c.is_empty())
            .map(|c| describe(c, chainchief_domain::industry::shipped()))
            .collect::<Vec<_>>()
            .join("、")
    }

    fn stage_label(&self, code: &str) -> &'static str {
        Stage::from_code(code).map(|s| s.label()).unwrap_or("")
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    v: ChainView,
    errors: Vec<FieldError>,
    msg: Option<&str>,
) -> PageResult {
    let data = maps::load(state.store.pool(), &v.chain.id).await?;
    let href = format!("/chains/{}", v.chain.id);
    let l = layout(state, user, "链条结构", "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (v.chain.name.as_str(), href.as_str())])
        .with_flash(msg);
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let can_edit = user.principal.can_write_chain(&v.chain.id);
    let stages = Stage::ALL.iter().map(|s| (s.code(), s.label())).collect();
    Ok((status, StructurePage { l, v, tab: "structure", data, stages, errors, can_edit }).into_response())
}

/// `GET /chains/{id}/structure`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<FlashQuery>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/structure"), false).await?;
    render(&state, &user, v, vec![], q.msg.as_deref()).await
}

/// After a change: back to the structure, or the page again with what was wrong.
async fn after(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    outcome: chainchief_app::Result<()>,
    msg: &str,
) -> PageResult {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/chains/{id}/structure?msg={msg}")).into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => {
            let v = checked_chain(state, user, id, &format!("GET /chains/{id}/structure"), false).await?;
            render(state, user, v, errors, None).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /chains/{id}/nodes`: adds a node.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<NodeInput>,
) -> PageResult {
    let outcome = uc::create_node(&state.ctx, &user.caller(), &id, &f).await;
    after(&state, &user, &id, outcome, "created").await
}

/// `POST /chains/{id}/nodes/{node}/edit`.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node)): Path<(String, String)>,
    Form(f): Form<NodeInput>,
) -> PageResult {
    let outcome = uc::update_node(&state.ctx, &user.caller(), &id, &node, &f).await;
    after(&state, &user, &id, outcome, "saved").await
}

/// `POST /chains/{id}/nodes/{node}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node)): Path<(String, String)>,
) -> PageResult {
    uc::delete_node(&state.ctx, &user.caller(), &id, &node).await?;
    Ok(Redirect::to(&format!("/chains/{id}/structure?msg=saved")).into_response())
}

/// The edge form.
#[derive(Deserialize)]
pub struct EdgeForm {
    from: String,
    to: String,
    confirm_cycle: Option<String>,
}

/// `POST /chains/{id}/edges`: adds a supply edge; one that closes a cycle needs the office's confirmation.
pub async fn add_edge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<EdgeForm>,
) -> PageResult {
    let confirm = f.confirm_cycle.is_some();
    let outcome = uc::add_edge(&state.ctx, &user.caller(), &id, &f.from, &f.to, confirm).await;
    after(&state, &user, &id, outcome, "saved").await
}

/// `POST /chains/{id}/edges/{edge}/delete`.
pub async fn remove_edge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, edge)): Path<(String, String)>,
) -> PageResult {
    uc::remove_edge(&state.ctx, &user.caller(), &id, &edge).await?;
    Ok(Redirect::to(&format!("/chains/{id}/structure?msg=saved")).into_response())
}
