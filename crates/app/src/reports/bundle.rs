//! The five maps and five lists 五图五清单 of a chain [C7], generated from the data for a year's
//! version: 产业链图, 技术路线图, 应用领域图, 区域分布图 and 招商路线图, and the lists of enterprises,
//! projects, clusters (the chain's parks), problems and policies (the library's, in force that year) — as one
//! document (DOCX or PDF) and as one workbook with a sheet per list.

use super::yearend::route_rows;
use crate::{Context, Result};
use chainchief_domain::chain_map::{NodeRating, Stage};
use chainchief_domain::innovation::TechStage;
use chainchief_domain::money::{Money, MoneyUnit, cell};
use chainchief_domain::org::Scale;
use chainchief_render::MapKind;
use chainchief_render::charts::{self, Bar, Status};
use chainchief_render::official::Block;
use chainchief_sheets::{CellOut, SheetOut};
use chainchief_store::library::{self, Filter, Scope};
use chainchief_store::org::{self, Chain};
use chainchief_store::{maps, problems, projects};

/// The bundle: the document's title and body, and the five lists.
pub struct Bundle {
    /// Title, e.g. 有色金属新材料产业链“五图五清单”（2026年版）.
    pub title: String,
    /// The five maps and the five lists, in order.
    pub blocks: Vec<Block>,
    /// The five lists as worksheets.
    pub sheets: Vec<SheetOut>,
}

/// A list: its name, header and rows, shown as a table and written as a sheet.
struct List {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl List {
    fn new(name: &'static str, header: &[&str], rows: Vec<Vec<String>>) -> List {
        List { name, header: header.iter().map(|h| h.to_string()).collect(), rows }
    }

    fn sheet(&self) -> SheetOut {
        SheetOut {
            name: self.name.into(),
            headers: self.header.clone(),
            rows: self.rows.iter().map(|r| r.iter().map(|c| CellOut::Text(c.clone())).collect()).collect(),
        }
    }
}

fn figure(caption: String, svg: String) -> Block {
    Block::Figure { caption, svg, png: None }
}

fn bars(items: Vec<(String, f64)>) -> Vec<Bar> {
    items.into_iter().map(|(label, value)| Bar { label, value, status: Status::Green, href: None }).collect()
}

/// The bundle of `chain` for the version of `year`.
pub async fn bundle(ctx: &Context, city_id: &str, chain: &Chain, year: i32) -> Result<Bundle> {
    let pool = ctx.store.pool();
    let data = maps::load(pool, &chain.id).await?;
    let (graph, rows) = crate::maps::build(&chain.name, &data);
    let mut blocks = Vec::new();
    let text = |blocks: &mut Vec<Block>, s: String| blocks.push(Block::Text(s));

    text(&mut blocks, "一、产业链图".into());
    let (panorama, _, _) =
        crate::maps::render_svg(&chain.id, &format!("{}全景图", chain.name), &data, MapKind::Panorama);
    text(&mut blocks, format!("本链共{}个环节、{}条供应关系。", rows.len(), graph.edges.len()));
    blocks.push(figure("图1 产业链图".into(), panorama));

    text(&mut blocks, "二、技术路线图".into());
    let enterprises = library::list(
        pool,
        city_id,
        &Scope::City,
        &Filter { chain_id: Some(chain.id.clone()), sort: "revenue".into(), ..Filter::default() },
        0,
        i64::MAX / 2,
    )
    .await?
    .1;
    let resources = super::innovation::as_of(ctx, city_id, &chain.id, year).await?;
    let released = resources.techs.iter().filter(|t| t.stage == TechStage::Released).count();
    text(
        &mut blocks,
        format!(
            "本链关键核心技术攻关项目{}项，已发布成果{released}项；图中各环节标出攻关技术及其到{year}年底所处阶段（集中发榜—申请揭榜—单位推荐—揭榜遴选—任务实施—验收评估—发布成果）。",
            resources.techs.len()
        ),
    );
    blocks.push(resources.roadmap(&chain.name, &graph, "图2 技术路线图"));
    blocks.push(resources.technology_table("关键核心技术攻关清单"));
    text(&mut blocks, resources.summary(year));
    blocks.push(resources.carrier_table("创新平台与联合体"));

    text(&mut blocks, "三、应用领域图".into());
    let downstream: Vec<(String, f64)> = graph
        .nodes
        .iter()
        .filter(|n| n.stage == Stage::Downstream)
        .map(|n| (n.name.clone(), f64::from(n.local_enterprises)))
        .collect();
    text(&mut blocks, format!("下游应用领域{}个，图中为各领域本地企业数。", downstream.len()));
    blocks.push(figure("图3 应用领域图".into(), charts::comparison("应用领域本地企业数", "家", &bars(downstream))));

    text(&mut blocks, "四、区域分布图".into());
    let parks = org::parks(pool, city_id).await?;
    let chain_projects: Vec<projects::Project> =
        projects::list(pool, city_id).await?.into_iter().filter(|p| p.chain_id == chain.id).collect();
    let local: Vec<&library::Item> = enterprises.iter().filter(|e| e.is_local == 1).collect();
    let mut by_park: Vec<(String, f64)> = parks
        .iter()
        .map(|p| (p.name.clone(), local.iter().filter(|e| e.park.as_deref() == Some(p.name.as_str())).count() as f64))
        .filter(|(_, n)| *n > 0.0)
        .collect();
    let unplaced = local.iter().filter(|e| e.park.is_none()).count();
    if unplaced > 0 {
        by_park.push(("园区外".into(), unplaced as f64));
    }
    text(
        &mut blocks,
        format!("本链本地企业{}家分布在{}个园区，项目{}个。", local.len(), by_park.len(), chain_projects.len()),
    );
    // The regions the plan lays out, when it does; else the enterprises by park as bars.
    let title = format!("{}区域分布图", chain.name);
    let map = match crate::parks::regions_map(ctx, city_id, Some(&chain.id), &chain_projects, &title).await? {
        Some(svg) => svg,
        None => charts::comparison("各园区本链企业数", "家", &bars(by_park)),
    };
    blocks.push(figure("图4 区域分布图".into(), map));

    text(&mut blocks, "五、招商路线图".into());
    let (status, _, _) =
        crate::maps::render_svg(&chain.id, &format!("{}招商路线图", chain.name), &data, MapKind::Status);
    let gaps = rows.iter().filter(|r| matches!(r.rating, NodeRating::Blank | NodeRating::Weak)).count();
    text(&mut blocks, format!("空白、薄弱环节{gaps}个（图中虚线框为空白），对应目标企业见招商路线表。"));
    blocks.push(figure("图5 招商路线图".into(), status));
    blocks.push(Block::Table {
        caption: "招商路线表".into(),
        header: ["环节", "评级", "目标企业", "得分", "理由"].map(String::from).to_vec(),
        rows: route_rows(ctx, city_id, &data).await?,
    });

    let node_of = |enterprise: &str| -> String {
        let names: Vec<&str> = data
            .placements
            .iter()
            .filter(|p| p.enterprise_id == enterprise)
            .filter_map(|p| data.nodes.iter().find(|n| n.id == p.node_id).map(|n| n.name.as_str()))
            .collect();
        names.join("、")
    };
    let tiers = |id: &str| -> String {
        data.tiers.iter().filter(|t| t.enterprise_id == id).map(|t| t.tier.label()).collect::<Vec<_>>().join("、")
    };
    let lists = [
        List::new(
            "企业清单",
            &["企业", "环节", "园区", "本地", "规模", "梯队", "营业收入（万元）"],
            enterprises
                .iter()
                .map(|e| {
                    vec![
                        e.name.clone(),
                        node_of(&e.id),
                        e.park.clone().unwrap_or_default(),
                        if e.is_local == 1 { "是" } else { "否" }.into(),
                        chainchief_domain::org::scale_label(&e.scale).into(),
                        tiers(&e.id),
                        cell(e.revenue, MoneyUnit::Wan),
                    ]
                })
                .collect(),
        ),
        List::new(
            "项目清单",
            &["项目", "企业", "类型", "阶段", "环节", "计划投资（万元）", "签约额（万元）"],
            chain_projects
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.company_name.clone(),
                        p.kind.label().into(),
                        p.stage.label().into(),
                        p.node_name.clone().unwrap_or_default(),
                        cell(p.planned, MoneyUnit::Wan),
                        cell(p.signed_amount, MoneyUnit::Wan),
                    ]
                })
                .collect(),
        ),
        List::new(
            "集群清单",
            &["园区（集群）", "本链企业", "规上企业", "营业收入（万元）", "项目"],
            parks
                .iter()
                .map(|park| {
                    let here: Vec<&&library::Item> =
                        local.iter().filter(|e| e.park.as_deref() == Some(park.name.as_str())).collect();
                    vec![
                        park.name.clone(),
                        here.len().to_string(),
                        here.iter().filter(|e| e.scale == Scale::Above.code()).count().to_string(),
                        cell(Some(Money::total(here.iter().filter_map(|e| e.revenue))), MoneyUnit::Wan),
                        chain_projects
                            .iter()
                            .filter(|p| p.park_id.as_deref() == Some(park.id.as_str()))
                            .count()
                            .to_string(),
                    ]
                })
                .filter(|r| r[1] != "0" || r[4] != "0")
                .collect(),
        ),
        List::new(
            "问题清单",
            &["问题", "项目或企业", "提出", "期限", "状态"],
            problems::list(pool, city_id)
                .await?
                .into_iter()
                .filter(|p| p.chain_id.as_deref() == Some(chain.id.as_str()))
                .map(|p| {
                    vec![
                        p.title,
                        p.project_name.or(p.enterprise_name).unwrap_or_default(),
                        chainchief_domain::clock::format_millis(p.raised_at).chars().take(10).collect(),
                        p.deadline.unwrap_or_default(),
                        p.status.label().into(),
                    ]
                })
                .collect(),
        ),
        policies(ctx, city_id, &chain.id, year).await?,
    ];
    for (i, l) in lists.iter().enumerate() {
        text(&mut blocks, format!("{}、{}", ["六", "七", "八", "九", "十"][i], l.name));
        text(&mut blocks, format!("共{}条。", l.rows.len()));
        blocks.push(Block::Table { caption: l.name.into(), header: l.header.clone(), rows: l.rows.clone() });
    }
    // What the document holds, first: the maps are printed on pages of their own.
    let counts: Vec<String> = lists.iter().map(|l| format!("{}{}条", l.name, l.rows.len())).collect();
    let contents = [
        format!("本文件按{year}年版数据生成，汇总{}的“五图五清单”。", chain.name),
        "五图：产业链图、技术路线图、应用领域图、区域分布图、招商路线图；较宽的图谱单独横向成页，节点文字不小于8磅。"
            .into(),
        format!("五清单：{}。各清单另有Excel工作簿，可筛选和汇总。", counts.join("、")),
    ];
    for (i, line) in contents.into_iter().enumerate() {
        blocks.insert(i, Block::Text(line));
    }
    Ok(Bundle {
        title: format!("{}“五图五清单”（{year}年版）", chain.name),
        blocks,
        sheets: lists.iter().map(List::sheet).collect(),
    })
}

/// The policy list: the library's policies in force in the year that apply to the chain.
async fn policies(ctx: &Context, city_id: &str, chain_id: &str, year: i32) -> Result<List> {
    Ok(List::new(
        "政策清单",
        &["政策名称", "文号", "层级", "发布机关", "有效期", "适用条件"],
        crate::policies::of_chain(ctx, city_id, chain_id, year)
            .await?
            .into_iter()
            .map(|(p, conditions)| {
                let until = p.valid_to.clone().unwrap_or_else(|| "长期".into());
                vec![
                    p.title,
                    p.doc_number,
                    p.level.label().into(),
                    p.issuer,
                    format!("{}至{until}", p.valid_from),
                    conditions,
                ]
            })
            .collect(),
    ))
}
