//! Year-end reports of a chain [C6]: the analysis report 产业链分析报告 and the investment report
//! 招商报告, drafted from the data as text with tables and figures. The stored text carries a line
//! "【插入：表1 …】" where a table or figure goes, so the office can edit the words and move or drop
//! the inserts, and every export fills them from the data of the day.

use crate::indicators::{self, Row};
use crate::{Context, Error, Result};
use crate::{cockpit, recommend};
use chainchief_domain::chain_map::{NodeRating, gaps};
use chainchief_domain::money::{Money, MoneyUnit, cell};
use chainchief_domain::org::Scale;
use chainchief_domain::progress::AsOf;
use chainchief_domain::project::EventKind;
use chainchief_render::MapKind;
use chainchief_render::official::{Block, paragraphs};
use chainchief_store::org::Chain;
use chainchief_store::{events, investment, maps, org, problems, projects};
use std::collections::BTreeMap;

/// A drafted report: its title, its text with insert lines, and the inserts by their captions.
pub struct Draft {
    /// Title.
    pub title: String,
    /// Editable text; a line "【插入：caption】" places the insert of that caption.
    pub text: String,
    /// Tables and figures by caption.
    pub inserts: BTreeMap<String, Block>,
}

const INSERT: (&str, &str) = ("【插入：", "】");

/// The line that places an insert.
fn insert_line(caption: &str) -> String {
    format!("{}{caption}{}", INSERT.0, INSERT.1)
}

impl Draft {
    fn new(title: String) -> Draft {
        Draft { title, text: String::new(), inserts: BTreeMap::new() }
    }

    fn line(&mut self, s: impl AsRef<str>) {
        self.text.push_str(s.as_ref());
        self.text.push('\n');
    }

    fn insert(&mut self, b: Block) {
        let caption = match &b {
            Block::Table { caption, .. } | Block::Figure { caption, .. } => caption.clone(),
            _ => return,
        };
        self.line(insert_line(&caption));
        self.inserts.insert(caption, b);
    }

    /// `text` (the draft's own or an edited one) as blocks, each insert line replaced by its table
    /// or figure; an insert that no longer exists is left as a line saying so.
    pub fn blocks(&self, text: &str) -> Vec<Block> {
        let mut out = Vec::new();
        for b in paragraphs(text) {
            let Block::Text(line) = &b else { continue };
            match line.strip_prefix(INSERT.0).and_then(|l| l.strip_suffix(INSERT.1)) {
                Some(caption) => match self.inserts.get(caption) {
                    Some(found) => out.push(found.clone()),
                    None => out.push(Block::Text(format!("（{caption}：无此图表）"))),
                },
                None => out.push(b),
            }
        }
        out
    }
}

/// The chain's indicators judged for `year`.
async fn indicator_rows(ctx: &Context, city_id: &str, chain: &Chain, year: i32) -> Result<Vec<Row>> {
    indicators::rows(ctx, city_id, AsOf::year_end(year), |i| {
        i.scope != chainchief_domain::org::Scope::Enterprise && i.chain_id.as_deref() == Some(chain.id.as_str())
    })
    .await
}

/// Targets against actuals: the table and the progress chart.
async fn targets_part(d: &mut Draft, ctx: &Context, city_id: &str, chain: &Chain, year: i32) -> Result<()> {
    let rows = indicator_rows(ctx, city_id, chain, year).await?;
    if rows.is_empty() {
        d.line("本链没有规划目标指标。");
        return Ok(());
    }
    let lines: Vec<cockpit::Line> = rows.iter().map(|r| cockpit::line(r, chain.short_name.clone())).collect();
    let on_track = lines.iter().filter(|l| l.status == "正常").count();
    d.line(format!(
        "本链共{}项目标指标，{}年{}项正常，{}项需关注。",
        lines.len(),
        year,
        on_track,
        lines.len() - on_track
    ));
    for l in lines.iter().filter(|l| l.warning.is_some()) {
        d.line(format!("{}：{}。", l.name, l.warning.clone().unwrap_or_default()));
    }
    d.insert(Block::Table {
        caption: format!("表1 {year}年目标指标完成情况"),
        header: ["指标", "本年计划", "实际", "进度计划", "完成进度", "状态"].map(String::from).to_vec(),
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    l.name.clone(),
                    l.plan.clone(),
                    format!("{} {}", l.period, l.actual),
                    l.schedule.clone(),
                    l.attainment.clone(),
                    l.status.into(),
                ]
            })
            .collect(),
    });
    let refs: Vec<&Row> = rows.iter().collect();
    d.insert(Block::Figure {
        caption: format!("图2 {year}年目标进度"),
        svg: cockpit::progress_chart(&format!("{}目标进度", chain.name), &refs),
        png: None,
    });
    Ok(())
}

/// The status map with its ratings and the gap lists; returns the map data for later parts.
async fn map_part(d: &mut Draft, ctx: &Context, chain: &Chain) -> Result<maps::ChainMapData> {
    let data = maps::load(ctx.store.pool(), &chain.id).await?;
    let (svg, rows, graph) =
        crate::maps::render_svg(&chain.id, &format!("{}现状图", chain.name), &data, MapKind::Status);
    let count = |r: NodeRating| rows.iter().filter(|n| n.rating == r).count();
    d.line(format!(
        "本链共{}个环节：优势{}个、潜力{}个、薄弱{}个、空白{}个。",
        rows.len(),
        count(NodeRating::Advantage),
        count(NodeRating::Potential),
        count(NodeRating::Weak),
        count(NodeRating::Blank)
    ));
    let g = gaps(&graph);
    let names = |ids: Vec<&String>| -> String {
        let n: Vec<&str> =
            ids.iter().filter_map(|id| rows.iter().find(|r| &&r.id == id)).map(|r| r.name.as_str()).collect();
        if n.is_empty() { "无".into() } else { n.join("、") }
    };
    d.line(format!("补链环节：{}。", names(g.fill.iter().collect())));
    d.line(format!("延链环节：{}。", names(g.extend.iter().map(|(n, _)| n).collect())));
    d.line(format!("强链环节：{}。", names(g.strengthen.iter().collect())));
    d.insert(Block::Figure { caption: "图1 产业链现状图".into(), svg, png: None });
    Ok(data)
}

/// Key enterprises: leaders and backbone first, then by revenue.
fn enterprises_part(d: &mut Draft, data: &maps::ChainMapData) {
    let mut seen = std::collections::HashSet::new();
    let mut local: Vec<&maps::Placement> =
        data.placements.iter().filter(|p| p.is_local == 1 && seen.insert(p.enterprise_id.as_str())).collect();
    let tiers = |id: &str| -> Vec<&str> {
        data.tiers.iter().filter(|t| t.enterprise_id == id).map(|t| t.tier.label()).collect()
    };
    let leading =
        |p: &maps::Placement| data.tiers.iter().any(|t| t.enterprise_id == p.enterprise_id && t.tier.is_leading());
    local.sort_by_key(|p| (!leading(p), std::cmp::Reverse(p.revenue.unwrap_or(Money::ZERO))));
    let above = local.iter().filter(|p| p.scale == Scale::Above.code()).count();
    let revenue = Money::total(local.iter().filter_map(|p| p.revenue));
    d.line(format!(
        "本链在库本地企业{}家，其中规上企业{}家，营业收入合计{}亿元。",
        local.len(),
        above,
        revenue.format_in(MoneyUnit::Yi)
    ));
    let node =
        |p: &maps::Placement| data.nodes.iter().find(|n| n.id == p.node_id).map(|n| n.name.clone()).unwrap_or_default();
    d.insert(Block::Table {
        caption: "表2 重点企业".into(),
        header: ["企业", "环节", "梯队", "规模", "营业收入（万元）"].map(String::from).to_vec(),
        rows: local
            .iter()
            .take(30)
            .map(|p| {
                vec![
                    p.name.clone(),
                    node(p),
                    tiers(&p.enterprise_id).join("、"),
                    chainchief_domain::org::scale_label(&p.scale).into(),
                    cell(p.revenue, MoneyUnit::Wan),
                ]
            })
            .collect(),
    });
}

/// The chain's projects as a table; returns how many were signed in `year`.
async fn projects_part(
    d: &mut Draft,
    ctx: &Context,
    city_id: &str,
    chain: &Chain,
    year: i32,
    caption: &str,
) -> Result<usize> {
    let list: Vec<projects::Project> =
        projects::list(ctx.store.pool(), city_id).await?.into_iter().filter(|p| p.chain_id == chain.id).collect();
    let signed: Vec<&projects::Project> =
        list.iter().filter(|p| p.signed_on.as_deref().is_some_and(|s| s.starts_with(&year.to_string()))).collect();
    let signed_sum = Money::total(signed.iter().filter_map(|p| p.signed_amount));
    d.line(format!(
        "本链在库项目{}个，{}年新签约{}个、签约额{}亿元。",
        list.len(),
        year,
        signed.len(),
        signed_sum.format_in(MoneyUnit::Yi)
    ));
    d.insert(Block::Table {
        caption: caption.into(),
        header: ["项目", "阶段", "方式", "环节", "签约额（万元）"].map(String::from).to_vec(),
        rows: list
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.stage.label().into(),
                    p.method.label().into(),
                    p.node_name.clone().unwrap_or_default(),
                    cell(p.signed_amount, MoneyUnit::Wan),
                ]
            })
            .collect(),
    });
    Ok(signed.len())
}

/// Open problems of the chain.
async fn problems_part(d: &mut Draft, ctx: &Context, city_id: &str, chain: &Chain) -> Result<()> {
    let mine: Vec<problems::Problem> = problems::list(ctx.store.pool(), city_id)
        .await?
        .into_iter()
        .filter(|p| p.chain_id.as_deref() == Some(chain.id.as_str()))
        .collect();
    let open: Vec<&problems::Problem> = mine.iter().filter(|p| !p.status.is_closed()).collect();
    d.line(format!("本链累计提出问题{}个，已办结{}个，未办结{}个。", mine.len(), mine.len() - open.len(), open.len()));
    for p in open.iter().take(10) {
        d.line(format!("{}（期限{}）。", p.title, p.deadline.clone().unwrap_or_else(|| "未定".into())));
    }
    Ok(())
}

/// The investment route: each blank or weak node with its three best-ranked targets and why.
pub async fn route_rows(ctx: &Context, city_id: &str, data: &maps::ChainMapData) -> Result<Vec<Vec<String>>> {
    let (_, rows) = crate::maps::build("", data);
    let mut out = Vec::new();
    for n in rows.iter().filter(|r| matches!(r.rating, NodeRating::Blank | NodeRating::Weak)) {
        let Some(node) = data.nodes.iter().find(|x| x.id == n.id) else { continue };
        for r in recommend::for_node(ctx, city_id, node).await?.into_iter().take(3) {
            let why: Vec<String> = r.parts.iter().map(|p| p.reason.clone()).collect();
            out.push(vec![n.name.clone(), n.rating.label().into(), r.name, r.score.to_string(), why.join("；")]);
        }
    }
    Ok(out)
}

/// The chain, by its code.
pub async fn chain_by_code(ctx: &Context, city_id: &str, code: &str) -> Result<Chain> {
    let pool = ctx.store.pool();
    let id = org::id_by_code(pool, "chains", city_id, code)
        .await
        .map_err(|_| Error::field("chain", format!("没有代码为“{code}”的产业链")))?;
    Ok(org::chain(pool, city_id, &id).await?)
}

/// The year-end analysis report 产业链分析报告 of `chain` for `year`.
pub async fn analysis(ctx: &Context, city_id: &str, chain: &Chain, year: i32) -> Result<Draft> {
    let mut d = Draft::new(format!("{}{year}年度产业链分析报告", chain.name));
    d.line("一、产业链概况");
    let data = map_part(&mut d, ctx, chain).await?;
    d.line("二、目标指标完成情况");
    targets_part(&mut d, ctx, city_id, chain, year).await?;
    d.line("三、重点企业");
    enterprises_part(&mut d, &data);
    d.line("四、创新资源");
    let resources = super::innovation::as_of(ctx, city_id, &chain.id, year).await?;
    d.line(resources.summary(year));
    if !resources.carriers.is_empty() {
        d.insert(resources.carrier_table("表3 创新平台与联合体"));
    }
    if !resources.techs.is_empty() {
        d.insert(resources.technology_table("表4 关键核心技术攻关清单"));
    }
    d.line("五、重点项目");
    projects_part(&mut d, ctx, city_id, chain, year, "表5 项目清单").await?;
    d.line("六、问题督办");
    problems_part(&mut d, ctx, city_id, chain).await?;
    d.line(format!("七、{}年工作建议", year + 1));
    d.line("（一）补链招商：围绕空白环节开展精准招商。");
    d.line("（二）强链培育：支持薄弱环节企业扩产扩能、技术改造。");
    d.line("（三）请链条办补充其他工作建议。");
    Ok(d)
}

/// The year-end investment report 招商报告 of `chain` for `year`.
pub async fn investment(ctx: &Context, city_id: &str, chain: &Chain, year: i32) -> Result<Draft> {
    let pool = ctx.store.pool();
    let mut d = Draft::new(format!("{}{year}年度招商报告", chain.name));
    d.line("一、招商活动");
    let held: Vec<events::PromotionEvent> = events::of_year(pool, city_id, year).await?;
    let links = events::links(pool, city_id).await?;
    let chain_projects: Vec<projects::Project> =
        projects::list(pool, city_id).await?.into_iter().filter(|p| p.chain_id == chain.id).collect();
    let ours = |e: &events::PromotionEvent| {
        links.iter().any(|(ev, pr, _)| ev == &e.id && chain_projects.iter().any(|p| &p.id == pr))
    };
    for kind in EventKind::ALL {
        let all = held.iter().filter(|e| e.kind == *kind).count();
        let mine = held.iter().filter(|e| e.kind == *kind && ours(e)).count();
        d.line(format!("{}：全市{all}次，涉及本链项目{mine}次。", kind.label()));
    }
    d.insert(Block::Table {
        caption: format!("表1 {year}年招商活动"),
        header: ["日期", "活动", "类型"].map(String::from).to_vec(),
        rows: held
            .iter()
            .filter(|e| ours(e))
            .map(|e| vec![e.held_on.clone(), e.title.clone(), e.kind.label().into()])
            .collect(),
    });
    d.line("二、招商项目");
    projects_part(&mut d, ctx, city_id, chain, year, "表2 招商项目").await?;
    d.line("三、补链招商方向");
    let data = map_part(&mut d, ctx, chain).await?;
    let ranked_rows = route_rows(ctx, city_id, &data).await?;
    d.line(format!("空白、薄弱环节共推荐目标企业{}家次，见表3。", ranked_rows.len()));
    d.insert(Block::Table {
        caption: "表3 招商路线：环节与推荐目标企业".into(),
        header: ["环节", "评级", "目标企业", "得分", "理由"].map(String::from).to_vec(),
        rows: ranked_rows,
    });
    d.line("四、目标企业对接");
    let targets: Vec<investment::Target> = investment::targets(pool, city_id).await?;
    let mut contacted = 0;
    for t in &targets {
        if investment::contacts(pool, &t.id).await?.iter().any(|c| c.contact_on.starts_with(&year.to_string())) {
            contacted += 1;
        }
    }
    d.line(format!("目标企业库共{}家，{}年有对接记录的{}家。", targets.len(), year, contacted));
    d.line(format!("五、{}年招商计划", year + 1));
    d.line("（一）按表3逐一对接排名靠前的目标企业。");
    d.line("（二）请链条办补充招商计划。");
    Ok(d)
}
