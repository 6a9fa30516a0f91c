//! Editing a chain's structure [C2]: nodes by stage (add, rename, move, nest, key flag, products,
//! GB/T 4754-2017 classes, delete) and supply edges (add, remove), with the chain's rules checked.
//! Only the chain's office (and the general office) edits it.

use crate::{Caller, Context, Error, Result};
use chainchief_domain::chain_map::{Stage, closes_cycle};
use chainchief_domain::error::FieldError;
use chainchief_domain::industry::{check_codes, shipped};
use chainchief_domain::text;
use chainchief_store::maps::{self, ChainMapData};
use chainchief_store::structure::{self as edit, NodeEdit};

/// A node as typed in the form.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NodeInput {
    /// 环节名称.
    pub name: String,
    /// Stage code.
    pub stage: String,
    /// The segment node it belongs to, if any.
    pub parent_id: Option<String>,
    /// Present for a key node.
    pub key: Option<String>,
    /// 主要产品.
    pub products: String,
    /// GB/T 4754-2017 classes.
    pub industry_codes: String,
    /// The version read, for a change.
    pub version: Option<i64>,
}

/// The map of a chain of the caller's city the caller may edit; `what` names the request.
async fn editable(ctx: &Context, c: &Caller<'_>, chain_id: &str, what: &str) -> Result<ChainMapData> {
    crate::chains::writable(ctx, c, chain_id, what).await?;
    Ok(maps::load(ctx.store.pool(), chain_id).await?)
}

/// Checks a typed node against the chain (`this` is the node being changed), every problem with its field.
fn validate(f: &NodeInput, data: &ChainMapData, this: Option<&str>) -> Result<NodeEdit> {
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
    let codes =
        check_codes(&f.industry_codes, shipped()).map_err(|m| errors.push(FieldError::new("industry_codes", m))).ok();
    match (name, stage, products, codes) {
        (Some(name), Some(stage), Some(products), Some(codes)) if errors.is_empty() => Ok(NodeEdit {
            name,
            stage: stage.code().to_string(),
            parent_id: parent,
            key: f.key.is_some(),
            products,
            industry_codes: codes.join("、"),
        }),
        _ => Err(Error::Invalid(errors)),
    }
}

/// Adds a node to a chain.
pub async fn create_node(ctx: &Context, c: &Caller<'_>, chain_id: &str, f: &NodeInput) -> Result<()> {
    let data = editable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/nodes")).await?;
    let node = validate(f, &data, None)?;
    edit::create_node(&ctx.store, &c.actor, chain_id, &node).await?;
    Ok(())
}

/// Changes a node of a chain, read at the form's version.
pub async fn update_node(ctx: &Context, c: &Caller<'_>, chain_id: &str, node_id: &str, f: &NodeInput) -> Result<()> {
    let data = editable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/nodes/{node_id}/edit")).await?;
    if !data.nodes.iter().any(|n| n.id == node_id) {
        return Err(Error::NotFound);
    }
    let node = validate(f, &data, Some(node_id))?;
    let version = f.version.ok_or_else(|| Error::field("version", "版本号缺失，请刷新页面后再改"))?;
    Ok(edit::update_node(&ctx.store, &c.actor, node_id, &node, version).await?)
}

/// Deletes a node of a chain.
pub async fn delete_node(ctx: &Context, c: &Caller<'_>, chain_id: &str, node_id: &str) -> Result<()> {
    let data = editable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/nodes/{node_id}/delete")).await?;
    if !data.nodes.iter().any(|n| n.id == node_id) {
        return Err(Error::NotFound);
    }
    Ok(edit::delete_node(&ctx.store, &c.actor, node_id).await?)
}

/// Adds a supply edge between two nodes of the chain; one that closes a cycle needs `confirm_cycle`.
pub async fn add_edge(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    from: &str,
    to: &str,
    confirm_cycle: bool,
) -> Result<()> {
    let data = editable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/edges")).await?;
    let in_chain = |n: &str| data.nodes.iter().any(|x| x.id == n);
    if !in_chain(from) || !in_chain(to) {
        return Err(Error::field("to", "连线的两端都须是本产业链的环节，不能连到其他产业链"));
    }
    if from == to {
        return Err(Error::field("to", "环节不能连向自己"));
    }
    let pairs: Vec<(String, String)> = data.edges.iter().map(|e| (e.from_id.clone(), e.to_id.clone())).collect();
    if closes_cycle(&pairs, from, to) && !confirm_cycle {
        return Err(Error::field(
            "confirm_cycle",
            "这条连线会与已有连线形成循环（如回收再利用）。如确需保留，请勾选“确认形成循环”后再添加",
        ));
    }
    Ok(edit::add_edge(&ctx.store, &c.actor, chain_id, from, to).await?)
}

/// Removes a supply edge of the chain.
pub async fn remove_edge(ctx: &Context, c: &Caller<'_>, chain_id: &str, edge_id: &str) -> Result<()> {
    editable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/edges/{edge_id}/delete")).await?;
    Ok(edit::remove_edge(&ctx.store, &c.actor, chain_id, edge_id).await?)
}
