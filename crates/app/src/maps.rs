//! Turning a chain's stored map into the graph the renderer draws: node figures, ratings by the
//! chain's rubric (or a manual rating with its reason), key enterprises, and the gap lists; and
//! the chain office's changes to a node: its manual rating and the enterprises placed on it.

use crate::{Caller, Context, Error, Result};
use chainchief_domain::chain_map::{MapEdge, MapGraph, MapNode, NodeRating, Stage};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::Money;
use chainchief_domain::org::Scale;
use chainchief_domain::period::parse_year;
use chainchief_domain::rating::{NodeFigures, Rubric, rate};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::snapshot::FrozenMap;
use chainchief_domain::text;
use chainchief_render::{MapKind, layout as place, svg};
use chainchief_store::maps::ChainMapData;
use chainchief_store::maps::{self, Node};
use chainchief_store::{enterprises, snapshots};
use std::collections::HashSet;

/// How a node's rating came about, for the node list beside the map.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NodeRow {
    /// Node id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Stage in words.
    pub stage: &'static str,
    /// Key node.
    pub key: bool,
    /// The rating shown.
    pub rating: NodeRating,
    /// Computed score.
    pub score: u32,
    /// The computed rating, when a manual one replaces it.
    pub computed: Option<NodeRating>,
    /// Inputs and rule in words (and the override's reason).
    pub note: String,
    /// Local enterprises on the node.
    pub local: Vec<String>,
    /// Enterprises outside the city on the node.
    pub external: Vec<String>,
}

/// The tier codes of an enterprise on the chain.
fn tiers(data: &ChainMapData, id: &str) -> Vec<Tier> {
    data.tiers.iter().filter(|t| t.enterprise_id == id).map(|t| t.tier).collect()
}

/// The chain's rubric: its own if tuned, else the default.
pub fn rubric_of(data: &ChainMapData) -> Rubric {
    data.rubric_json.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
}

/// Rates every node and builds the map graph with its node rows.
pub fn build(title: &str, data: &ChainMapData) -> (MapGraph, Vec<NodeRow>) {
    let rubric = rubric_of(data);
    let mut nodes = Vec::new();
    let mut rows = Vec::new();
    for n in &data.nodes {
        let here: Vec<_> = data.placements.iter().filter(|p| p.node_id == n.id).collect();
        let local: Vec<_> = here.iter().filter(|p| p.is_local == 1).collect();
        let local_ids: HashSet<&str> = local.iter().map(|p| p.enterprise_id.as_str()).collect();
        let tiers_of = |id: &str| tiers(data, id);
        let figures = NodeFigures {
            enterprises: local.len() as u32,
            above_scale: local
                .iter()
                .filter(|p| p.scale == Scale::Above.code() || tiers_of(&p.enterprise_id).contains(&Tier::AboveScale))
                .count() as u32,
            revenue: Money::total(local.iter().filter_map(|p| p.revenue)),
            innovative: local.iter().filter(|p| tiers_of(&p.enterprise_id).iter().any(|t| t.is_innovative())).count()
                as u32,
            local_relations: data
                .relations
                .iter()
                .filter(|r| r.supplier_local == 1 && r.customer_local == 1)
                .filter(|r| local_ids.contains(r.supplier_id.as_str()) || local_ids.contains(r.customer_id.as_str()))
                .count() as u32,
        };
        let rated = rate(&rubric, &figures);
        let manual = data.overrides.iter().find(|o| o.node_id == n.id).map(|o| (o.rating, o));
        let (rating, computed, note) = match manual {
            Some((r, o)) => (
                r,
                Some(rated.rating),
                format!("人工认定为{}（{}：{}）；系统计算：{}", r.label(), o.updated_by, o.reason, rated.note),
            ),
            None => (rated.rating, None, rated.note.clone()),
        };
        let is_leader = |id: &str| tiers_of(id).iter().any(|t| t.is_leading());
        let mut key_names: Vec<String> =
            local.iter().filter(|p| is_leader(&p.enterprise_id)).map(|p| p.short_name.clone()).collect();
        key_names.extend(local.iter().filter(|p| !is_leader(&p.enterprise_id)).map(|p| p.short_name.clone()));
        key_names.truncate(3);
        let external: Vec<String> = here.iter().filter(|p| p.is_local == 0).map(|p| p.short_name.clone()).collect();
        if key_names.is_empty() {
            key_names = external.iter().take(2).map(|s| format!("{s}（外地）")).collect();
        }
        let stage = Stage::from_code(&n.stage).unwrap_or(Stage::Midstream);
        nodes.push(MapNode {
            id: n.id.clone(),
            name: n.name.clone(),
            stage,
            key: n.key_node == 1,
            local_enterprises: figures.enterprises,
            key_enterprises: key_names,
            rating: Some(rating),
            rating_note: note.clone(),
            marks: Vec::new(),
        });
        rows.push(NodeRow {
            id: n.id.clone(),
            name: n.name.clone(),
            stage: stage.label(),
            key: n.key_node == 1,
            rating,
            score: rated.score,
            computed,
            note,
            local: local.iter().map(|p| p.short_name.clone()).collect(),
            external,
        });
    }
    let edges = data.edges.iter().map(|e| MapEdge { from: e.from_id.clone(), to: e.to_id.clone() }).collect();
    (MapGraph { title: title.to_string(), nodes, edges }, rows)
}

/// The chain's map as it stands now, in the frozen form snapshots keep.
pub fn freeze(title: &str, data: &ChainMapData) -> chainchief_domain::snapshot::FrozenMap {
    let (_, rows) = build(title, data);
    chainchief_domain::snapshot::FrozenMap {
        nodes: rows
            .iter()
            .zip(&data.nodes)
            .map(|(r, n)| chainchief_domain::snapshot::FrozenNode {
                id: r.id.clone(),
                name: r.name.clone(),
                stage: n.stage.clone(),
                rating: r.rating,
                enterprises: r.local.clone(),
                key: r.key,
            })
            .collect(),
        edges: data.edges.iter().map(|e| (e.from_id.clone(), e.to_id.clone())).collect(),
    }
}

/// The SVG of a chain's map.
pub fn render_svg(
    chain_id: &str,
    title: &str,
    data: &ChainMapData,
    kind: MapKind,
) -> (String, Vec<NodeRow>, chainchief_domain::chain_map::MapGraph) {
    render_layered(chain_id, title, data, kind, &Marks::new())
}

/// Lines a layer adds to node boxes, by node id.
pub type Marks = std::collections::HashMap<String, Vec<String>>;

/// The SVG of a chain's map with a layer's marks on its nodes.
pub fn render_layered(
    chain_id: &str,
    title: &str,
    data: &ChainMapData,
    kind: MapKind,
    marks: &Marks,
) -> (String, Vec<NodeRow>, chainchief_domain::chain_map::MapGraph) {
    let (mut graph, rows) = build(title, data);
    for n in &mut graph.nodes {
        if let Some(m) = marks.get(&n.id) {
            n.marks.clone_from(m);
        }
    }
    let placed = place(&graph);
    let base = format!("/chains/{chain_id}/nodes/");
    let href = move |id: &str| Some(format!("{base}{id}"));
    (svg(&graph, &placed, kind, &href), rows, graph)
}

/// A node of a chain of the caller's city that the caller may change; `what` names the request.
async fn editable_node(ctx: &Context, c: &Caller<'_>, chain_id: &str, node_id: &str, what: &str) -> Result<Node> {
    crate::chains::writable(ctx, c, chain_id, what).await?;
    if !is_valid_id(node_id) {
        return Err(Error::NotFound);
    }
    Ok(maps::node(ctx.store.pool(), chain_id, node_id).await?)
}

/// Rates a node by hand (or, with `None`, goes back to the computed rating); a rating needs the
/// reason it rests on (the data or a meeting's decision).
pub async fn rate_node(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    node_id: &str,
    rating: Option<NodeRating>,
    reason: &str,
) -> Result<()> {
    let what = format!("POST /chains/{chain_id}/nodes/{node_id}/rating");
    let node = editable_node(ctx, c, chain_id, node_id, &what).await?;
    let reason = text::optional("reason", "理由", reason, 500)?;
    if rating.is_some() && reason.is_empty() {
        return Err(Error::field("reason", "人工评级须填写理由（依据的数据或会议决定）"));
    }
    Ok(maps::set_override(&ctx.store, &c.actor, &node.id, rating, &reason).await?)
}

/// Who puts an enterprise on a chain's node: the general office; the chain's office when the
/// enterprise is on no other chain (a place makes the office one of the enterprise's keepers, so
/// bringing another chain's enterprise onto this one is the general office's to decide).
pub fn may_place(p: &Principal, chain_id: &str, enterprise_chains: &[String]) -> bool {
    p.has(Role::GeneralOffice) || (p.can_write_chain(chain_id) && enterprise_chains.iter().all(|c| c == chain_id))
}

/// The city's enterprises the caller may put on a node of `chain_id`: (id, name shown).
pub async fn placeable(ctx: &Context, p: &Principal, chain_id: &str) -> Result<Vec<(String, String)>> {
    let pool = ctx.store.pool();
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    Ok(maps::enterprises_of_city(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _, _)| may_place(p, chain_id, members.get(id).unwrap_or(&none)))
        .map(|(id, name, local)| (id, if local == 1 { name } else { format!("{name}（外地）") }))
        .collect())
}

/// Puts an enterprise of the city on a node (or, with `remove`, takes it off).
pub async fn place_enterprise(
    ctx: &Context,
    c: &Caller<'_>,
    chain_id: &str,
    node_id: &str,
    enterprise_id: &str,
    remove: bool,
) -> Result<()> {
    let what = format!("POST /chains/{chain_id}/nodes/{node_id}/enterprises");
    let node = editable_node(ctx, c, chain_id, node_id, &what).await?;
    let in_city = is_valid_id(enterprise_id)
        && enterprises::get(ctx.store.pool(), &c.principal.city_id, enterprise_id).await.is_ok();
    if !in_city {
        return Err(Error::field("enterprise_id", "请选择本市企业库中的企业"));
    }
    if !remove {
        let chains = enterprises::chains_of(ctx.store.pool(), enterprise_id).await?;
        crate::allow(ctx, c, may_place(c.principal, chain_id, &chains), &what).await?;
    }
    Ok(maps::set_placement(&ctx.store, &c.actor, enterprise_id, &node.id, remove).await?)
}

/// A chain's map as frozen for a year (`YYYY`), or as it is now when `year` is empty.
pub async fn version(ctx: &Context, c: &Caller<'_>, chain_id: &str, year: &str) -> Result<FrozenMap> {
    let chain = crate::chains::readable(ctx, c, chain_id, &format!("GET /chains/{chain_id}/versions")).await?;
    if year.is_empty() {
        return Ok(freeze(&chain.name, &maps::load(ctx.store.pool(), chain_id).await?));
    }
    let y = parse_year(year).map_err(|e| Error::field("from", e))?;
    let json = snapshots::snapshot(ctx.store.pool(), chain_id, y)
        .await
        .map_err(|_| Error::field("from", format!("{y}年没有快照")))?;
    serde_json::from_str(&json).map_err(|e| Error::Internal(format!("snapshot {y}: {e}")))
}

/// Freezes a chain's map as it is now as the version of a year (the chain's office).
pub async fn freeze_year(ctx: &Context, c: &Caller<'_>, chain_id: &str, year: &str) -> Result<()> {
    let chain = crate::chains::writable(ctx, c, chain_id, &format!("POST /chains/{chain_id}/snapshots")).await?;
    let y = parse_year(year).map_err(|e| Error::field("year", e))?;
    let data = maps::load(ctx.store.pool(), chain_id).await?;
    let json = serde_json::to_string(&freeze(&chain.name, &data)).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(snapshots::create_snapshot(&ctx.store, &c.actor, chain_id, y, &json).await?)
}
