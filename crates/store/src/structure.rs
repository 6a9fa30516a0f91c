//! Editing a chain's structure: nodes and supply edges, each change audited.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, StoreError};
use chainchief_domain::ids::new_id;

/// A node as an office creates or edits it.
#[derive(Debug, Clone)]
pub struct NodeEdit {
    /// Name, unique in the chain.
    pub name: String,
    /// Stage code.
    pub stage: String,
    /// Segment node this one refines.
    pub parent_id: Option<String>,
    /// Key node.
    pub key: bool,
    /// Products, joined by 、.
    pub products: String,
    /// GB/T 4754-2017 classes, joined by 、.
    pub industry_codes: String,
}

fn node_json(e: &NodeEdit) -> serde_json::Value {
    serde_json::json!({"name": e.name, "stage": e.stage, "parent_id": e.parent_id, "key": e.key,
        "products": e.products, "industry_codes": e.industry_codes})
}

/// Adds a node to a chain; a name already used in the chain is refused.
pub async fn create_node(store: &Store, actor: &Actor, chain_id: &str, e: &NodeEdit) -> Result<String> {
    let id = new_id();
    let mut tx = store.begin_write().await?;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM chain_nodes WHERE chain_id = $1")
        .bind(chain_id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO chain_nodes (id, chain_id, code, name, stage, parent_id, key_node, products, industry_codes, position, \
         version, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1,$11,$12)",
    )
    .bind(&id)
    .bind(chain_id)
    .bind(format!("n-{}", &id[id.len() - 12..]))
    .bind(&e.name)
    .bind(&e.stage)
    .bind(&e.parent_id)
    .bind(i64::from(e.key))
    .bind(&e.products)
    .bind(&e.industry_codes)
    .bind(n)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("name", &format!("本产业链已有名为“{}”的环节", e.name)))?;
    append(
        &mut tx,
        actor,
        Event {
            action: "node.create",
            entity: "chain_node",
            entity_id: Some(&id),
            before: None,
            after: Some(node_json(e)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a node's edits if nobody changed it since `version`.
pub async fn update_node(store: &Store, actor: &Actor, node_id: &str, e: &NodeEdit, version: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("name", crate::text(&e.name)),
        ("stage", crate::text(&e.stage)),
        ("parent_id", crate::Val::Text(e.parent_id.clone())),
        ("key_node", crate::Val::Int(i64::from(e.key))),
        ("products", crate::text(&e.products)),
        ("industry_codes", crate::text(&e.industry_codes)),
    ];
    let change = crate::Versioned { table: "chain_nodes", id: node_id, city_id: None, version, sets };
    let before = crate::update_versioned(&mut tx, actor, change).await.map_err(|err| match err {
        StoreError::Db(d) => crate::unique_as("name", &format!("本产业链已有名为“{}”的环节", e.name))(d),
        other => other,
    })?;
    let event = Event { action: "node.update", entity: "chain_node", entity_id: Some(node_id), before, after: None };
    append_changed(&mut tx, actor, "chain_nodes", &[("id", node_id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a node with its edges and placements (the caller has confirmed).
pub async fn delete_node(store: &Store, actor: &Actor, node_id: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before: Option<(String,)> =
        sqlx::query_as("SELECT name FROM chain_nodes WHERE id = $1").bind(node_id).fetch_optional(&mut *tx).await?;
    let Some((name,)) = before else { return Err(StoreError::NotFound) };
    for sql in [
        "DELETE FROM chain_edges WHERE from_id = $1 OR to_id = $1",
        "DELETE FROM enterprise_nodes WHERE node_id = $1",
        "DELETE FROM node_rating_overrides WHERE node_id = $1",
        "UPDATE chain_nodes SET parent_id = NULL WHERE parent_id = $1",
        "DELETE FROM chain_nodes WHERE id = $1",
    ] {
        sqlx::query(sql).bind(node_id).execute(&mut *tx).await?;
    }
    let before = Some(serde_json::json!({"name": name}));
    append(
        &mut tx,
        actor,
        Event { action: "node.delete", entity: "chain_node", entity_id: Some(node_id), before, after: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a supply edge between two nodes of the chain (checks are the caller's).
pub async fn add_edge(store: &Store, actor: &Actor, chain_id: &str, from: &str, to: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "INSERT INTO chain_edges (id, chain_id, from_id, to_id, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(new_id())
    .bind(chain_id)
    .bind(from)
    .bind(to)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("to", "这两个环节之间已有连线"))?;
    let after = Some(serde_json::json!({"from": from, "to": to}));
    append(&mut tx, actor, Event { action: "edge.create", entity: "chain_edge", entity_id: None, before: None, after })
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a supply edge of the chain.
pub async fn remove_edge(store: &Store, actor: &Actor, chain_id: &str, edge_id: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT from_id, to_id FROM chain_edges WHERE id = $1 AND chain_id = $2")
            .bind(edge_id)
            .bind(chain_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((from, to)) = row else { return Err(StoreError::NotFound) };
    sqlx::query("DELETE FROM chain_edges WHERE id = $1").bind(edge_id).execute(&mut *tx).await?;
    let before = Some(serde_json::json!({"from": from, "to": to}));
    append(
        &mut tx,
        actor,
        Event { action: "edge.delete", entity: "chain_edge", entity_id: Some(edge_id), before, after: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
