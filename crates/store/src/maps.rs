//! Chain maps in the database: nodes, edges, enterprises placed on nodes, relations, tiers,
//! rubrics and rating overrides; the seed import of a maps file.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError, Tx};
use chainchief_domain::ids::{new_id, now_millis};
use chainchief_domain::maps_file::MapsFile;
use chainchief_domain::quantity::parse_scaled;
use serde::Serialize;
use sqlx::{AnyPool, FromRow};
use std::collections::HashMap;

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
    /// Yearly revenue in 万元.
    pub revenue_wan: Option<i64>,
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
    /// Yearly value in 万元.
    pub value_wan: Option<i64>,
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
    /// Rating code.
    pub rating: String,
    /// Why.
    pub reason: String,
    /// By whom.
    pub updated_by: String,
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
    pub tiers: Vec<(String, String)>,
    /// Relations among the city's enterprises.
    pub relations: Vec<Relation>,
    /// The chain's rubric as JSON, if tuned.
    pub rubric_json: Option<String>,
    /// Manual ratings.
    pub overrides: Vec<Override>,
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
        "SELECT en.node_id, e.id AS enterprise_id, e.name, e.short_name, e.is_local, e.scale, e.revenue_wan \
         FROM enterprise_nodes en JOIN enterprises e ON e.id = en.enterprise_id JOIN chain_nodes n ON n.id = en.node_id \
         WHERE n.chain_id = $1 ORDER BY e.revenue_wan DESC, e.name",
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
        "SELECT r.supplier_id, r.customer_id, r.product, r.value_wan, s.is_local AS supplier_local, c.is_local AS customer_local \
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

/// What a maps import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapsImport {
    /// Nodes added.
    pub nodes: usize,
    /// Edges added.
    pub edges: usize,
    /// Enterprises added.
    pub enterprises: usize,
    /// Placements added.
    pub placements: usize,
    /// Relations added.
    pub relations: usize,
}

async fn id_of(tx: &mut Tx, sql: &'static str, a: &str, b: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(sql).bind(a).bind(b).fetch_optional(&mut **tx).await?;
    Ok(row.map(|r| r.0))
}

/// Adds what the file has and the database lacks; never changes what is there (edits made in the app are kept).
pub async fn import(store: &Store, actor: &Actor, city_id: &str, file: &MapsFile) -> Result<MapsImport> {
    let mut tx = store.begin_write().await?;
    let now = now_millis();
    let who = actor.name.as_str();
    let mut done = MapsImport::default();
    let mut node_ids: HashMap<(String, String), String> = HashMap::new();
    for m in &file.maps {
        let chain_id = id_of(&mut tx, "SELECT id FROM chains WHERE city_id = $1 AND code = $2", city_id, &m.chain)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("没有代码为“{}”的产业链", m.chain)))?;
        for (i, n) in m.nodes.iter().enumerate() {
            let found =
                id_of(&mut tx, "SELECT id FROM chain_nodes WHERE chain_id = $1 AND code = $2", &chain_id, &n.code)
                    .await?;
            let id = match found {
                Some(id) => id,
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO chain_nodes (id, chain_id, code, name, stage, parent_id, key_node, products, industry_codes, \
                         position, version, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,NULL,$6,$7,$8,$9,1,$10,$11)",
                    )
                    .bind(&id)
                    .bind(&chain_id)
                    .bind(&n.code)
                    .bind(&n.name)
                    .bind(n.stage.code())
                    .bind(i64::from(n.key))
                    .bind(n.products.join("、"))
                    .bind(n.industry_codes.join("、"))
                    .bind(i as i64)
                    .bind(now)
                    .bind(who)
                    .execute(&mut *tx)
                    .await?;
                    done.nodes += 1;
                    id
                }
            };
            node_ids.insert((m.chain.clone(), n.code.clone()), id);
        }
        for n in &m.nodes {
            if let Some(p) = &n.parent {
                sqlx::query("UPDATE chain_nodes SET parent_id = $1 WHERE id = $2 AND parent_id IS NULL")
                    .bind(&node_ids[&(m.chain.clone(), p.clone())])
                    .bind(&node_ids[&(m.chain.clone(), n.code.clone())])
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for e in &m.edges {
            let (from, to) =
                (&node_ids[&(m.chain.clone(), e.from.clone())], &node_ids[&(m.chain.clone(), e.to.clone())]);
            if id_of(&mut tx, "SELECT id FROM chain_edges WHERE from_id = $1 AND to_id = $2", from, to).await?.is_none()
            {
                sqlx::query(
                    "INSERT INTO chain_edges (id, chain_id, from_id, to_id, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)",
                )
                .bind(new_id())
                .bind(&chain_id)
                .bind(from)
                .bind(to)
                .bind(now)
                .bind(who)
                .execute(&mut *tx)
                .await?;
                done.edges += 1;
            }
        }
    }
    let mut by_short: HashMap<&str, String> = HashMap::new();
    for e in &file.enterprises {
        let id = match id_of(&mut tx, "SELECT id FROM enterprises WHERE city_id = $1 AND name = $2", city_id, &e.name)
            .await?
        {
            Some(id) => id,
            None => {
                let id = new_id();
                let park = match &e.park {
                    Some(p) => {
                        id_of(&mut tx, "SELECT id FROM parks WHERE city_id = $1 AND code = $2", city_id, p).await?
                    }
                    None => None,
                };
                // 亿元 with four decimals is exactly a whole number of 万元.
                let revenue_wan = e.revenue.as_ref().and_then(|r| parse_scaled(&r.0).ok());
                sqlx::query(
                    "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, park_id, version, updated_at, \
                     updated_by, is_local, scale, ownership, listed, categories, revenue_wan, employees, products) \
                     VALUES ($1,$2,$3,$4,NULL,1,$5,1,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
                )
                .bind(&id)
                .bind(city_id)
                .bind(&e.name)
                .bind(&e.short)
                .bind(park)
                .bind(now)
                .bind(who)
                .bind(i64::from(e.local))
                .bind(&e.scale)
                .bind(&e.ownership)
                .bind(i64::from(e.listed))
                .bind(e.categories.join("、"))
                .bind(revenue_wan)
                .bind(e.employees.map(i64::from))
                .bind(e.products.join("、"))
                .execute(&mut *tx)
                .await?;
                for t in &e.tiers {
                    sqlx::query(
                        "INSERT INTO enterprise_tiers (id, enterprise_id, tier, since, updated_at, updated_by) \
                         VALUES ($1,$2,$3,NULL,$4,$5)",
                    )
                    .bind(new_id())
                    .bind(&id)
                    .bind(t)
                    .bind(now)
                    .bind(who)
                    .execute(&mut *tx)
                    .await?;
                }
                done.enterprises += 1;
                id
            }
        };
        for p in &e.placements {
            let node = &node_ids[&(p.chain.clone(), p.node.clone())];
            let exists: Option<(String,)> =
                sqlx::query_as("SELECT node_id FROM enterprise_nodes WHERE enterprise_id = $1 AND node_id = $2")
                    .bind(&id)
                    .bind(node)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                sqlx::query("INSERT INTO enterprise_nodes (enterprise_id, node_id, updated_at, updated_by) VALUES ($1,$2,$3,$4)")
                    .bind(&id)
                    .bind(node)
                    .bind(now)
                    .bind(who)
                    .execute(&mut *tx)
                    .await?;
                done.placements += 1;
            }
        }
        by_short.insert(e.short.as_str(), id);
    }
    for r in &file.relations {
        let (s, c) = (&by_short[r.supplier.as_str()], &by_short[r.customer.as_str()]);
        let exists: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM enterprise_relations WHERE supplier_id = $1 AND customer_id = $2 AND product = $3",
        )
        .bind(s)
        .bind(c)
        .bind(&r.product)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            sqlx::query(
                "INSERT INTO enterprise_relations (id, city_id, supplier_id, customer_id, product, value_wan, version, \
                 updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8)",
            )
            .bind(new_id())
            .bind(city_id)
            .bind(s)
            .bind(c)
            .bind(&r.product)
            .bind(r.value.as_ref().and_then(|v| parse_scaled(&v.0).ok()).map(|x| x / 10_000))
            .bind(now)
            .bind(who)
            .execute(&mut *tx)
            .await?;
            done.relations += 1;
        }
    }
    if done == MapsImport::default() {
        // Nothing new: no change, so no audit record either.
        tx.rollback().await?;
        return Ok(done);
    }
    let summary = serde_json::json!({"nodes": done.nodes, "edges": done.edges, "enterprises": done.enterprises,
        "placements": done.placements, "relations": done.relations});
    let actor = Actor { city_id: Some(city_id.to_string()), ..actor.clone() };
    append(
        &mut tx,
        &actor,
        Event { action: "maps.import", entity: "city", entity_id: Some(city_id), before: None, after: Some(summary) },
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// Sets (or with `None` clears) the manual rating of a node; audited with before and after.
pub async fn set_override(
    store: &Store,
    actor: &Actor,
    node_id: &str,
    rating: Option<&str>,
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
        .bind(r)
        .bind(reason)
        .bind(now_millis())
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let event = Event {
        action: "node.rating_override",
        entity: "chain_node",
        entity_id: Some(node_id),
        before: before.map(|(r, why)| serde_json::json!({"rating": r, "reason": why})),
        after: rating.map(|r| serde_json::json!({"rating": r, "reason": reason})),
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
            .bind(now_millis())
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

/// (id, name, is_local) of the city's enterprises, by name.
pub async fn enterprises_of_city(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as("SELECT id, name, is_local FROM enterprises WHERE city_id = $1 ORDER BY is_local DESC, name")
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}

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
    .bind(now_millis())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as(&format!("本产业链已有名为“{}”的环节", e.name)))?;
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
    crate::update_versioned(&mut tx, actor, change).await.map_err(|err| match err {
        StoreError::Db(d) => crate::unique_as(&format!("本产业链已有名为“{}”的环节", e.name))(d),
        other => other,
    })?;
    append(
        &mut tx,
        actor,
        Event {
            action: "node.update",
            entity: "chain_node",
            entity_id: Some(node_id),
            before: None,
            after: Some(node_json(e)),
        },
    )
    .await?;
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
    .bind(now_millis())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("这两个环节之间已有连线"))?;
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

/// Freezes a chain's map for a year; a year already frozen is refused (snapshots never change).
pub async fn create_snapshot(
    store: &Store,
    actor: &Actor,
    chain_id: &str,
    year: i32,
    content_json: &str,
) -> Result<()> {
    let id = new_id();
    let mut tx = store.begin_write().await?;
    sqlx::query("INSERT INTO map_snapshots (id, chain_id, year, content_json, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(&id)
        .bind(chain_id)
        .bind(i64::from(year))
        .bind(content_json)
        .bind(now_millis())
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(crate::unique_as(&format!("{year}年的快照已经存在，快照一经冻结不能修改")))?;
    let after = Some(serde_json::json!({"chain_id": chain_id, "year": year}));
    append(
        &mut tx,
        actor,
        Event { action: "map.snapshot", entity: "map_snapshot", entity_id: Some(&id), before: None, after },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (year, created at, created by) of a chain's snapshots, newest first.
pub async fn snapshots(pool: &AnyPool, chain_id: &str) -> Result<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as("SELECT year, created_at, created_by FROM map_snapshots WHERE chain_id = $1 ORDER BY year DESC")
        .bind(chain_id)
        .fetch_all(pool)
        .await?)
}

/// The frozen content of a chain's snapshot of a year.
pub async fn snapshot(pool: &AnyPool, chain_id: &str, year: i32) -> Result<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT content_json FROM map_snapshots WHERE chain_id = $1 AND year = $2")
            .bind(chain_id)
            .bind(i64::from(year))
            .fetch_optional(pool)
            .await?;
    row.map(|r| r.0).ok_or(StoreError::NotFound)
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
                .bind(now_millis())
                .bind(&actor.name)
                .execute(&mut *tx)
                .await?;
        }
        (Some((_, v, _, _)), Some(read)) if *v == read => {
            sqlx::query(
                "UPDATE rating_rubrics SET rubric_json = $1, version = version + 1, updated_at = $2, updated_by = $3 WHERE chain_id = $4",
            )
            .bind(json)
            .bind(now_millis())
            .bind(&actor.name)
            .bind(chain_id)
            .execute(&mut *tx)
            .await?;
        }
        (Some((_, _, by, at)), _) => {
            return Err(StoreError::Conflict { by: by.clone(), at: chainchief_domain::ids::format_millis(*at) });
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
