//! The chain's maps [C3][C4]: panorama and status map (server-rendered SVG, the same in the page
//! and in the export), the gap lists 补链/延链/强链, each node's page and its manual rating.

use super::org::{ChainView, checked_chain};
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use chainchief_app::maps::{Marks, NodeRow, build, render_layered};
use chainchief_domain::chain_map::{Extend, NodeRating, gaps};
use chainchief_render::MapKind;
use chainchief_store::maps;
use serde::Deserialize;

/// Which map to show, and `format=xlsx` for the node list.
#[derive(Deserialize)]
pub struct MapQuery {
    kind: Option<String>,
    format: Option<String>,
    /// `innovation` draws the consortia and platforms of the chain on their nodes.
    layer: Option<String>,
}

/// The marks of the layer asked for (none: no layer).
async fn layer_of(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    q: &MapQuery,
    data: &maps::ChainMapData,
) -> Result<Marks, AppError> {
    Ok(match q.layer.as_deref() {
        Some("innovation") => chainchief_app::innovation::map_layer(&state.ctx, &user.principal, id, data).await?,
        _ => Marks::new(),
    })
}

fn kind_of(q: &MapQuery) -> MapKind {
    match q.kind.as_deref() {
        Some("status") => MapKind::Status,
        _ => MapKind::Panorama,
    }
}

/// A gap with its node's name.
struct GapRow {
    node_id: String,
    name: String,
    note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "chains/map.html")]
struct MapPage {
    l: Layout,
    v: ChainView,
    status: bool,
    tab: &'static str,
    svg: String,
    rows: Vec<NodeRow>,
    fill: Vec<GapRow>,
    extend: Vec<GapRow>,
    strengthen: Vec<GapRow>,
    layered: bool,
}

/// `GET /chains/{id}/map?kind=panorama|status`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<MapQuery>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/map"), false).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    let kind = kind_of(&q);
    let marks = layer_of(&state, &user, &id, &q, &data).await?;
    let (svg, rows, graph) = render_layered(&id, &v.chain.name, &data, kind, &marks);
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "chain_map", None).await?;
        use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
        let headers =
            ["环节", "阶段", "关键环节", "评级", "得分", "依据", "本地企业", "外地企业"].map(String::from).to_vec();
        let data = rows
            .iter()
            .map(|r| {
                vec![
                    CellOut::Text(r.name.clone()),
                    CellOut::Text(r.stage.into()),
                    CellOut::Text(if r.key { "是" } else { "否" }.into()),
                    CellOut::Text(r.rating.label().into()),
                    CellOut::Int(i64::from(r.score)),
                    CellOut::Text(r.note.clone()),
                    CellOut::Text(r.local.join("、")),
                    CellOut::Text(r.external.join("、")),
                ]
            })
            .collect();
        let bytes = write_xlsx(&[SheetOut { name: v.chain.name.clone(), headers, rows: data }])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(super::library_io::xlsx(bytes, "chain-nodes.xlsx"));
    }
    let g = gaps(&graph);
    let row = |nid: &str, note: String| GapRow {
        node_id: nid.to_string(),
        name: rows.iter().find(|r| r.id == nid).map(|r| r.name.clone()).unwrap_or_default(),
        note,
    };
    let fill = g.fill.iter().map(|n| row(n, "本地缺少的中间环节".into())).collect();
    let extend = g.extend.iter().map(|(n, d): &(String, Extend)| row(n, d.label().into())).collect();
    let strengthen = g
        .strengthen
        .iter()
        .map(|n| row(n, rows.iter().find(|r| &r.id == n).map(|r| r.note.clone()).unwrap_or_default()))
        .collect();
    let title = if kind == MapKind::Status { "现状图" } else { "全景图" };
    let href = format!("/chains/{id}");
    let l = layout(&state, &user, title, "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (v.chain.name.as_str(), href.as_str())]);
    let tab = if kind == MapKind::Status { "status" } else { "panorama" };
    let layered = q.layer.as_deref() == Some("innovation");
    Ok(MapPage { l, v, status: kind == MapKind::Status, tab, svg, rows, fill, extend, strengthen, layered }
        .into_response())
}

/// `GET /chains/{id}/map.svg?kind=…`: the same picture as a file.
pub async fn svg_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<MapQuery>,
) -> Result<axum::response::Response, AppError> {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/map.svg"), false).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    let marks = layer_of(&state, &user, &id, &q, &data).await?;
    let (svg, _, _) = render_layered(&id, &v.chain.name, &data, kind_of(&q), &marks);
    let name = if kind_of(&q) == MapKind::Status { "status" } else { "panorama" };
    let disposition = format!("attachment; filename=\"chain-{name}.svg\"");
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        svg,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "chains/node.html")]
struct NodePage {
    l: Layout,
    v: ChainView,
    node: maps::Node,
    row: NodeRow,
    can_edit: bool,
    ratings: Vec<(&'static str, &'static str)>,
    placed: Vec<(String, String)>,
    candidates: Vec<(String, String)>,
    codes_named: String,
    recommended: Vec<chainchief_domain::recommend::Ranked>,
}

/// `GET /chains/{id}/nodes/{node}`.
pub async fn node_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node_id)): Path<(String, String)>,
    Query(q): Query<FlashQuery>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/nodes/{node_id}"), false).await?;
    let data = maps::load(state.store.pool(), &id).await?;
    let node = data.nodes.iter().find(|n| n.id == node_id).cloned().ok_or(AppError::NotFound)?;
    let (_, rows) = build(&v.chain.name, &data);
    let row = rows.into_iter().find(|r| r.id == node_id).ok_or(AppError::NotFound)?;
    let href = format!("/chains/{id}/map?kind=status");
    let l = layout(&state, &user, &node.name, "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (v.chain.name.as_str(), href.as_str())])
        .with_flash(q.msg.as_deref());
    let can_edit = user.principal.can_write_chain(&id);
    let ratings = NodeRating::ALL.iter().map(|r| (r.code(), r.label())).collect();
    let here: Vec<&maps::Placement> = data.placements.iter().filter(|p| p.node_id == node_id).collect();
    let placed = here.iter().map(|p| (p.enterprise_id.clone(), p.name.clone())).collect();
    let candidates = chainchief_app::maps::placeable(&state.ctx, &user.principal, &id)
        .await?
        .into_iter()
        .filter(|(eid, _)| !here.iter().any(|p| &p.enterprise_id == eid))
        .collect();
    let codes_named = node
        .industry_codes
        .split('、')
        .filter(|c| !c.is_empty())
        .map(|c| chainchief_domain::industry::describe(c, chainchief_domain::industry::shipped()))
        .collect::<Vec<_>>()
        .join("、");
    let recommended = if super::targets::may_read(&user.principal) {
        chainchief_app::recommend::for_node(&state, &user.principal.city_id, &node).await?
    } else {
        vec![]
    };
    Ok(NodePage { l, v, node, row, can_edit, ratings, placed, candidates, codes_named, recommended }.into_response())
}

/// The manual-rating form.
#[derive(Deserialize)]
pub struct RatingForm {
    rating: String,
    reason: String,
}

/// `POST /chains/{id}/nodes/{node}/rating`: a manual rating needs a reason (empty rating clears it); audited.
pub async fn set_rating(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node_id)): Path<(String, String)>,
    Form(f): Form<RatingForm>,
) -> PageResult {
    let rating = match f.rating.as_str() {
        "" => None,
        code => Some(NodeRating::from_code(code).ok_or_else(|| AppError::field("rating", "请选择评级"))?),
    };
    chainchief_app::maps::rate_node(&state.ctx, &user.caller(), &id, &node_id, rating, &f.reason).await?;
    Ok(Redirect::to(&format!("/chains/{id}/nodes/{node_id}?msg=saved")).into_response())
}

/// The placement form.
#[derive(Deserialize)]
pub struct PlacementForm {
    enterprise_id: String,
    remove: Option<String>,
}

/// `POST /chains/{id}/nodes/{node}/enterprises`: puts an enterprise of the city on the node, or takes it off.
pub async fn set_placement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, node_id)): Path<(String, String)>,
    Form(f): Form<PlacementForm>,
) -> PageResult {
    let remove = f.remove.is_some();
    chainchief_app::maps::place_enterprise(&state.ctx, &user.caller(), &id, &node_id, &f.enterprise_id, remove).await?;
    Ok(Redirect::to(&format!("/chains/{id}/nodes/{node_id}?msg=saved")).into_response())
}
