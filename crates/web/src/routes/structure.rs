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
use chainchief_domain::chain_map::{Stage, closes_cycle};
use chainchief_domain::error::FieldError;
use chainchief_domain::industry::{check_codes, describe};
use chainchief_domain::text;
use chainchief_store::maps::{self, ChainMapData};
use chainchief_store::structure::{self as edit, NodeEdit};
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

/// The node form.
#[derive(Deserialize)]
pub struct NodeForm {
    name: String,
    stage: String,
    parent_id: Option<String>,
    key: Option<String>,
    products: String,
    industry_codes: String,
    version: Option<i64>,
}

fn validate(f: &NodeForm, data: &ChainMapData, this: Option<&str>) -> Result<NodeEdit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text::required("name", "环节名称", &f.name, 40).map_err(|e| errors.push(e)).ok();
    let stage = Stage::from_code(&f.stage);
    if stage.is_none() {
        errors.push(FieldError::new("stage", "请选择上游、中游或下游"));
    }
    let parent = f.parent_id.clone().filter(|p| !p.is_empty());
    if let Some(p) = &parent
        && (Some(p.as_str()) == this || !data.nodes.iter().any(|n| &n.id == p))
    {
        errors.push(FieldError::new("parent_id", "上级环节须是本产业链的其他环节"));
    }
    let products = text::optional("products", "主要产品", &f.products, 200).map_err(|e| errors.push(e)).ok();
    let codes = check_codes(&f.industry_codes, chainchief_domain::industry::shipped())
        .map_err(|m| errors.push(FieldError::new("industry_codes", m)))
        .ok();
    match (name, stage, products, codes) {
        (Some(name), Some(stage), Some(products), Some(codes)) if errors.is_empty() => Ok(NodeEdit {
            name,
            stage: stage.code().to_string(),
            parent_id: parent,
            key: f.key.is_some(),
            products,
            industry_codes: codes.join("、"),
        }),
        _ => Err(errors),
    }
}

/// `POST /chains/{id}/nodes`: adds a node.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<NodeForm>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("POST /chains/{id}/nodes"), true).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    let edit = match validate(&f, &data, None) {
        Ok(e) => e,
        Err(errors) => return render(&state, &user, v, errors, None).await,
    };
    match edit::create_node(&state.store, &user.actor(), &id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/chains/{id}/structure?msg=created")).into_response()),
        Err(chainchief_store::StoreError::Duplicate { field, message }) => {
            render(&state, &user, v, vec![FieldError::new(&field, message)], None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /chains/{id}/nodes/{node}/edit`.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node)): Path<(String, String)>,
    Form(f): Form<NodeForm>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("POST /chains/{id}/nodes/{node}/edit"), true).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    if !data.nodes.iter().any(|n| n.id == node) {
        return Err(AppError::NotFound.into());
    }
    let edit = match validate(&f, &data, Some(&node)) {
        Ok(e) => e,
        Err(errors) => return render(&state, &user, v, errors, None).await,
    };
    let version = f.version.ok_or_else(|| AppError::field("version", "版本号缺失，请刷新页面后再改"))?;
    match edit::update_node(&state.store, &user.actor(), &node, &edit, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/chains/{id}/structure?msg=saved")).into_response()),
        Err(chainchief_store::StoreError::Duplicate { field, message }) => {
            render(&state, &user, v, vec![FieldError::new(&field, message)], None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /chains/{id}/nodes/{node}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node)): Path<(String, String)>,
) -> PageResult {
    checked_chain(&state, &user, &id, &format!("POST /chains/{id}/nodes/{node}/delete"), true).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    if !data.nodes.iter().any(|n| n.id == node) {
        return Err(AppError::NotFound.into());
    }
    edit::delete_node(&state.store, &user.actor(), &node).await?;
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
    let v = checked_chain(&state, &user, &id, &format!("POST /chains/{id}/edges"), true).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    let in_chain = |n: &str| data.nodes.iter().any(|x| x.id == n);
    let mut errors = Vec::new();
    if !in_chain(&f.from) || !in_chain(&f.to) {
        errors.push(FieldError::new("to", "连线的两端都须是本产业链的环节，不能连到其他产业链"));
    } else if f.from == f.to {
        errors.push(FieldError::new("to", "环节不能连向自己"));
    } else {
        let pairs: Vec<(String, String)> = data.edges.iter().map(|e| (e.from_id.clone(), e.to_id.clone())).collect();
        if closes_cycle(&pairs, &f.from, &f.to) && f.confirm_cycle.is_none() {
            errors.push(FieldError::new(
                "confirm_cycle",
                "这条连线会与已有连线形成循环（如回收再利用）。如确需保留，请勾选“确认形成循环”后再添加",
            ));
        }
    }
    if !errors.is_empty() {
        return render(&state, &user, v, errors, None).await;
    }
    match edit::add_edge(&state.store, &user.actor(), &id, &f.from, &f.to).await {
        Ok(()) => Ok(Redirect::to(&format!("/chains/{id}/structure?msg=saved")).into_response()),
        Err(chainchief_store::StoreError::Duplicate { field, message }) => {
            render(&state, &user, v, vec![FieldError::new(&field, message)], None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /chains/{id}/edges/{edge}/delete`.
pub async fn remove_edge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, edge)): Path<(String, String)>,
) -> PageResult {
    checked_chain(&state, &user, &id, &format!("POST /chains/{id}/edges/{edge}/delete"), true).await?;
    edit::remove_edge(&state.store, &user.actor(), &id, &edge).await?;
    Ok(Redirect::to(&format!("/chains/{id}/structure?msg=saved")).into_response())
}
