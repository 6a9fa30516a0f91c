//! `chainchief import maps` and `chainchief map`: seed chain maps from a file, render a chain's map.

use crate::commands::Db;
use anyhow::{Context, bail};
use chainchief_domain::maps_file;
use chainchief_render::{MapKind, dot, layout, svg};
use chainchief_store::audit::Actor;
use chainchief_store::{Store, maps, maps_import, org, snapshots};
use std::path::Path;
use std::process::ExitCode;

/// Imports a maps file into a city: what is missing is added, nothing is overwritten.
pub async fn import_text(
    store: &Store,
    city_id: &str,
    text: &str,
    label: &str,
) -> anyhow::Result<maps_import::MapsImport> {
    let chains = org::chains(store.pool(), city_id).await?;
    let parks = org::parks(store.pool(), city_id).await?;
    let chain_codes: Vec<&str> = chains.iter().map(|c| c.code.as_str()).collect();
    let park_codes: Vec<&str> = parks.iter().map(|p| p.code.as_str()).collect();
    let file = maps_file::parse(text, &chain_codes, &park_codes).map_err(|errors| {
        for e in &errors {
            eprintln!("{label}：{e}");
        }
        anyhow::anyhow!("产业链图谱文件 {label} 有 {} 处错误，未导入任何内容", errors.len())
    })?;
    Ok(maps_import::import(store, &Actor::cli(store.clock().now_millis()), city_id, &file).await?)
}

/// `chainchief import maps FILE --city CODE`.
pub async fn import(db: &Db, city: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}（须为 UTF-8 文本）", file.display()))?;
    let store = db.open().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let done = import_text(&store, &city_id, &text, &file.display().to_string()).await?;
    println!(
        "已导入：新增环节 {}、连线 {}、企业 {}、企业所在环节 {}、配套关系 {}（已有的记录保持不变）",
        done.nodes, done.edges, done.enterprises, done.placements, done.relations
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `chainchief map CHAIN --kind … --format svg|json|dot -o FILE`.
pub async fn render(
    db: &Db,
    chain: &str,
    year: Option<i32>,
    kind: &str,
    format: &str,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let kind = match kind {
        "panorama" => MapKind::Panorama,
        "status" => MapKind::Status,
        other => bail!("--kind 应为 panorama 或 status，而不是“{other}”"),
    };
    let this_year = db.clock.year();
    if let Some(y) = year
        && y != this_year
    {
        bail!("{y}年的图谱需从年度快照生成，该功能尚未提供；请不带 --year 生成当前图谱");
    }
    let store = db.existing().await?;
    let chains = all_chains(&store).await?;
    let c = find_chain(&chains, chain)?;
    let data = maps::load(store.pool(), &c.id).await?;
    let (graph, _) = chainchief_app::maps::build(&c.name, &data);
    let placed = layout(&graph);
    let text = match format {
        "svg" => svg(&graph, &placed, kind, &|_| None),
        "dot" => dot(&graph),
        "json" => {
            let nodes: Vec<serde_json::Value> = placed
                .nodes
                .iter()
                .map(|p| {
                    let n = graph.nodes.iter().find(|n| n.id == p.id);
                    serde_json::json!({
                        "id": p.id, "name": n.map(|n| n.name.clone()), "stage": n.map(|n| n.stage.code()),
                        "rating": n.and_then(|n| n.rating).map(|r| r.code()),
                        "x": p.x, "y": p.y, "width": p.width, "height": p.height,
                    })
                })
                .collect();
            let edges: Vec<serde_json::Value> = placed
                .edges
                .iter()
                .map(|e| serde_json::json!({"from": e.from, "to": e.to, "points": e.points}))
                .collect();
            serde_json::to_string_pretty(
                &serde_json::json!({"chain": c.name, "title": graph.title, "nodes": nodes, "edges": edges, "crossings": placed.crossings}),
            )?
        }
        other => bail!("--format 应为 svg、json 或 dot，而不是“{other}”"),
    };
    std::fs::write(output, text).with_context(|| format!("无法写入 {}", output.display()))?;
    println!("已生成 {}：{} 个环节，{} 条连线", output.display(), graph.nodes.len(), graph.edges.len());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn all_chains(store: &Store) -> anyhow::Result<Vec<org::Chain>> {
    let mut all = Vec::new();
    for c in org::cities(store.pool()).await? {
        all.extend(org::chains(store.pool(), &c.id).await?);
    }
    Ok(all)
}

fn find_chain<'a>(chains: &'a [org::Chain], chain: &str) -> anyhow::Result<&'a org::Chain> {
    let found: Vec<&org::Chain> = chains.iter().filter(|c| c.id == chain || c.name == chain).collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => bail!("没有 id 或名称为“{chain}”的产业链"),
        _ => bail!("有多条产业链名为“{chain}”，请改用 id"),
    }
}

/// `chainchief snapshot --year Y [--chain CHAIN]`.
pub async fn snapshot(db: &Db, year: i32, chain: Option<&str>) -> anyhow::Result<ExitCode> {
    if !chainchief_domain::period::YEARS.contains(&year) {
        bail!("--year 应为2000至2100之间的年份");
    }
    let store = db.existing().await?;
    let chains = all_chains(&store).await?;
    let targets: Vec<&org::Chain> = match chain {
        Some(c) => vec![find_chain(&chains, c)?],
        None => chains.iter().filter(|c| c.office_unit_id.is_some()).collect(),
    };
    let mut failed = 0;
    for c in targets {
        let data = maps::load(store.pool(), &c.id).await?;
        let json = serde_json::to_string(&chainchief_app::maps::freeze(&c.name, &data))?;
        match snapshots::create_snapshot(&store, &Actor::cli(store.clock().now_millis()), &c.id, year, &json).await {
            Ok(()) => println!("已冻结 {} 的{year}年快照：{} 个环节", c.name, data.nodes.len()),
            Err(e) => {
                eprintln!("{}：{e}", c.name);
                failed += 1;
            }
        }
    }
    store.close().await;
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
