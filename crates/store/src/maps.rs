//! Chain maps in the database: nodes, edges, enterprises placed on nodes, relations, tiers,
//! rubrics and rating overrides.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError};
use chainchief_domain::chain_map::NodeRating;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::Money;
use serde::Serialize;
use sqlx::{AnyPool, FromRow};

/// A node row.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Node {
    /// Id.
    pub id: String,
    /// Chain.
    pub chain_id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Stage code.
    pub stage: String,
    /// Segment node.
    pub parent_id: Option<String>,
    /// 1 for key nodes.
    pub key_node: i64,
    /// Products, joined by 、.
    pub products: String,
    /// GB/T 4754-2017 classes, joined by 、.
    pub industry_codes: String,
    /// Order.
    pub position: i64,
    /// Row version.
    pub version: i64,
}

/// An edge row.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Edge {
    /// Id.
    pub id: String,
    /// Supplying node.
    pub from_id: String,
    /// Receiving node.
    pub to_id: String,
}

/// An enterprise placed on a node, with the figures ratings use.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Placement {
    /// Node.
    pub node_id: String,
    /// Enterprise.
    pub enterprise_id: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// 1 if local.
    pub is_local: i64,
    /// `above` / `below`.
    pub scale: String,
    /// Yearly revenue.
    #[sqlx(rename = "revenue_fen")]
    pub revenue: Option<Money>,
}

/// A relation between enterprises of the city.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Relation {
    /// Supplier.
    pub supplier_id: String,
    /// Customer.
    pub customer_id: String,
    /// Product.
    pub product: String,
    /// Yearly value.
    #[sqlx(rename = "value_fen")]
    pub value: Option<Money>,
    /// 1 if the supplier is local.
    pub supplier_local: i64,
    /// 1 if the customer is local.
    pub customer_local: i64,
}

/// A manual rating of a node, with its reason.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Override {
    /// Node.
    pub node_id: String,
    /// The rating.
    #[sqlx(try_from = "String")]
    pub rating: NodeRating,
    /// Why.
    pub reason: String,
    /// By whom.
    pub updated_by: String,
}

/// A tier an enterprise holds.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct HeldTier {
    /// The enterprise.
    pub enterprise_id: String,
    /// The tier.
    #[sqlx(try_from = "String")]
    pub tier: Tier,
}

/// Everything needed to draw and rate one chain's map.
#[derive(Debug, Clone, Serialize)]
pub struct ChainMapData {
    /// Nodes in order.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
    /// Enterprises on the nodes.
    pub placements: Vec<Placement>,
    /// (enterprise id, tier code) of the placed enterprises.
    pub tiers: Vec<HeldTier>,
    /// Relations among the city's enterprises.
    pub relations: Vec<Relation>,
    /// The chain's rubric as JSON, if tuned.
    pub rubric_json: Option<String>,
    /// Manual ratings.
    pub overrides: Vec<Override>,
}

/// One node of a chain.
pub async fn node(pool: &AnyPool, chain_id: &str, node_id: &str) -> Result<Node> {
    sqlx::query_as(
        "SELECT id, chain_id, code, name, stage, parent_id, key_node, products, industry_codes, position, version \
         FROM chain_nodes WHERE chain_id = $1 AND id = $2",
    )
    .bind(chain_id)
    .bind(node_id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound)
}

/// Loads a chain's map (the chain must be checked to be in the caller's city).
pub async fn load(pool: &AnyPool, chain_id: &str) -> Result<ChainMapData> {
    let nodes = sqlx::query_as(
        "SELECT id, chain_id, code, name, stage, parent_id, key_node, products, industry_codes, position, version \
         FROM chain_nodes WHERE chain_id = $1 ORDER BY position",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    let edges = sqlx::query_as("SELECT id, from_id, to_id FROM chain_edges WHERE chain_id = $1 ORDER BY id")
        .bind(chain_id)
        .fetch_all(pool)
        .await?;
    let placements = sqlx::query_as(
        "SELECT en.node_id, e.id AS enterprise_id, e.name, e.short_name, e.is_local, e.scale, e.revenue_fen \
         FROM enterprise_nodes en JOIN enterprises e ON e.id = en.enterprise_id JOIN chain_nodes n ON n.id = en.node_id \
         WHERE n.chain_id = $1 ORDER BY e.revenue_fen DESC, e.name",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    let tiers = sqlx::query_as(
        "SELECT DISTINCT t.enterprise_id, t.tier FROM enterprise_tiers t JOIN enterprise_nodes en ON en.enterprise_id = t.enterprise_id \
         JOIN chain_nodes n ON n.id = en.node_id WHERE n.chain_id = $1",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    let relations = sqlx::query_as(
        "SELECT r.supplier_id, r.customer_id, r.product, r.value_fen, s.is_local AS supplier_local, c.is_local AS customer_local \
         FROM enterprise_relations r JOIN enterprises s ON s.id = r.supplier_id JOIN enterprises c ON c.id = r.customer_id \
         WHERE r.city_id = (SELECT city_id FROM chains WHERE id = $1)",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    let rubric: Option<(String,)> = sqlx::query_as("SELECT rubric_json FROM rating_rubrics WHERE chain_id = $1")
        .bind(chain_id)
        .fetch_optional(pool)
        .await?;
    let overrides = sqlx::query_as(
        "SELECT o.node_id, o.rating, o.reason, o.updated_by FROM node_rating_overrides o JOIN chain_nodes n ON n.id = o.node_id \
         WHERE n.chain_id = $1",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    Ok(ChainMapData { nodes, edges, placements, tiers, relations, rubric_json: rubric.map(|r| r.0), overrides })
}

/// Sets (or with `None` clears) the manual rating of a node; audited with before and after.
pub async fn set_override(
    store: &Store,
    actor: &Actor,
    node_id: &str,
    rating: Option<NodeRating>,
    reason: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before: Option<(String, String)> =
        sqlx::query_as("SELECT rating, reason FROM node_rating_overrides WHERE node_id = $1")
            .bind(node_id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query("DELETE FROM node_rating_overrides WHERE node_id = $1").bind(node_id).execute(&mut *tx).await?;
    if let Some(r) = rating {
        sqlx::query(
            "INSERT INTO node_rating_overrides (node_id, rating, reason, version, updated_at, updated_by) VALUES ($1,$2,$3,1,$4,$5)",
        )
        .bind(node_id)
        .bind(r.code())
        .bind(reason)
        .bind(actor.at)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let event = Event {
        action: "node.rating_override",
        entity: "chain_node",
        entity_id: Some(node_id),
        before: before.map(|(r, why)| serde_json::json!({"rating": r, "reason": why})),
        after: rating.map(|r| serde_json::json!({"rating": r.code(), "reason": reason})),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Places an enterprise of the city on a node (or, with `remove`, takes it off); audited.
pub async fn set_placement(
    store: &Store,
    actor: &Actor,
    enterprise_id: &str,
    node_id: &str,
    remove: bool,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let exists: Option<(String,)> =
        sqlx::query_as("SELECT node_id FROM enterprise_nodes WHERE enterprise_id = $1 AND node_id = $2")
            .bind(enterprise_id)
            .bind(node_id)
            .fetch_optional(&mut *tx)
            .await?;
    match (exists.is_some(), remove) {
        (false, false) => {
            sqlx::query(
                "INSERT INTO enterprise_nodes (enterprise_id, node_id, updated_at, updated_by) VALUES ($1,$2,$3,$4)",
            )
            .bind(enterprise_id)
            .bind(node_id)
            .bind(actor.at)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
        }
        (true, true) => {
            sqlx::query("DELETE FROM enterprise_nodes WHERE enterprise_id = $1 AND node_id = $2")
                .bind(enterprise_id)
                .bind(node_id)
                .execute(&mut *tx)
                .await?;
        }
        (true, false) => return Err(StoreError::Invalid("该企业已在这个环节上".into())),
        (false, true) => return Err(StoreError::NotFound),
    }
    let link = serde_json::json!({"enterprise_id": enterprise_id, "node_id": node_id});
    let (action, before, after) =
        if remove { ("node.enterprise_remove", Some(link), None) } else { ("node.enterprise_add", None, Some(link)) };
    append(&mut tx, actor, Event { action, entity: "chain_node", entity_id: Some(node_id), before, after }).await?;
    tx.commit().await?;
    Ok(())
}

/// (id, chain id, name, products) of the nodes of every chain of the city.
pub async fn nodes_of_city(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.chain_id, n.name, n.products FROM chain_nodes n JOIN chains c ON c.id = n.chain_id \
         WHERE c.city_id = $1 ORDER BY n.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// (id, name, is_local) of the city's enterprises, by name.
pub async fn enterprises_of_city(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as("SELECT id, name, is_local FROM enterprises WHERE city_id = $1 ORDER BY is_local DESC, name")
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}

/// The chain's own rubric (JSON) and its version, if it was ever tuned.
pub async fn rubric(pool: &AnyPool, chain_id: &str) -> Result<Option<(String, i64)>> {
    Ok(sqlx::query_as("SELECT rubric_json, version FROM rating_rubrics WHERE chain_id = $1")
        .bind(chain_id)
        .fetch_optional(pool)
        .await?)
}

/// Saves the chain's rubric; `version` is the one read (None when the chain still used the default).
pub async fn save_rubric(store: &Store, actor: &Actor, chain_id: &str, json: &str, version: Option<i64>) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before: Option<(String, i64, String, i64)> =
        sqlx::query_as("SELECT rubric_json, version, updated_by, updated_at FROM rating_rubrics WHERE chain_id = $1")
            .bind(chain_id)
            .fetch_optional(&mut *tx)
            .await?;
    match (&before, version) {
        (None, None) => {
            sqlx::query("INSERT INTO rating_rubrics (chain_id, rubric_json, version, updated_at, updated_by) VALUES ($1,$2,1,$3,$4)")
                .bind(chain_id)
                .bind(json)
                .bind(actor.at)
                .bind(&actor.name)
                .execute(&mut *tx)
                .await?;
        }
        (Some((_, v, _, _)), Some(read)) if *v == read => {
            sqlx::query(
                "UPDATE rating_rubrics SET rubric_json = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE chain_id = $4",
            )
            .bind(json)
            .bind(actor.at)
            .bind(&actor.name)
            .bind(chain_id)
            .execute(&mut *tx)
            .await?;
        }
        (Some((_, _, by, at)), _) => {
            return Err(StoreError::Conflict { by: by.clone(), at: chainchief_domain::clock::format_millis(*at) });
        }
        (None, Some(_)) => return Err(StoreError::Conflict { by: "?".into(), at: "-".into() }),
    }
    let event = Event {
        action: "rubric.update",
        entity: "chain",
        entity_id: Some(chain_id),
        before: before.and_then(|b| serde_json::from_str(&b.0).ok()),
        after: serde_json::from_str(json).ok(),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}
