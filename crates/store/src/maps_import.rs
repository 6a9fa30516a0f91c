//! Seeding chain maps and the enterprise library from a maps file: adds what is missing, never
//! overwrites what the offices changed in the app.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError, Tx};
use chainchief_domain::ids::new_id;
use chainchief_domain::maps_file::MapsFile;
use chainchief_domain::money::{Money, MoneyUnit};
use std::collections::HashMap;

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
    let now = actor.at;
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
                let revenue = e.revenue.as_ref().and_then(|r| Money::parse(&r.0, MoneyUnit::Yi).ok());
                sqlx::query(
                    "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, park_id, version, updated_at, \
                     updated_by, is_local, scale, ownership, listed, categories, revenue_fen, employees, products, \
                     founded_year) VALUES ($1,$2,$3,$4,NULL,1,$5,1,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
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
                .bind(revenue)
                .bind(e.employees.map(i64::from))
                .bind(e.products.join("、"))
                .bind(e.founded.map(i64::from))
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
                "INSERT INTO enterprise_relations (id, city_id, supplier_id, customer_id, product, value_fen, version, \
                 updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8)",
            )
            .bind(new_id())
            .bind(city_id)
            .bind(s)
            .bind(c)
            .bind(&r.product)
            .bind(r.value.as_ref().and_then(|v| Money::parse(&v.0, MoneyUnit::Wan).ok()))
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
