//! A chain's innovation resources as of a year's end, for the 五图五清单 and the year-end analysis:
//! the key technologies at the stage each had reached by then (the 技术路线图 and its list), and the
//! platforms, consortia, alliances, associations and service platforms recognised by then.

use crate::{Context, Result};
use chainchief_domain::chain_map::MapGraph;
use chainchief_domain::innovation::{Family, TechStage};
use chainchief_render::official::Block;
use chainchief_render::{MapKind, layout as place, svg};
use chainchief_store::innovation::{self, Carrier, Evaluation};
use chainchief_store::technologies::{self, Technology};

/// A key technology as of the year's end: the stage it had reached and its route to it.
pub struct TechAsOf {
    /// The technology.
    pub t: Technology,
    /// The stage reached by the year's end.
    pub stage: TechStage,
    /// Each stage reached by then, "YYYY-MM-DD 阶段".
    pub route: Vec<String>,
    /// Whether it moved to a new stage within the year.
    pub moved: bool,
}

/// A chain's innovation resources as of the end of `year`.
pub struct Resources {
    /// Its key technologies listed by then.
    pub techs: Vec<TechAsOf>,
    /// Its carriers recognised by then (or of no recorded year).
    pub carriers: Vec<Carrier>,
    /// The evaluations of those carriers up to the year, newest first.
    pub evaluations: Vec<Evaluation>,
}

/// Loads the resources of `chain_id` as of the end of `year`.
pub async fn as_of(ctx: &Context, city_id: &str, chain_id: &str, year: i32) -> Result<Resources> {
    let pool = ctx.store.pool();
    let end = format!("{year}-12-31");
    let start = format!("{year}-01-01");
    let stages = technologies::stages(pool, city_id).await?;
    let techs = technologies::technologies(pool, city_id)
        .await?
        .into_iter()
        .filter(|t| t.chain_id == chain_id)
        .filter_map(|t| {
            let mut reached: Vec<_> =
                stages.iter().filter(|s| s.technology_id == t.id && s.reached_on.as_str() <= end.as_str()).collect();
            let rank = |s: TechStage| TechStage::ALL.iter().position(|x| *x == s);
            reached.sort_by_key(|s| (s.reached_on.clone(), rank(s.stage)));
            let last = reached.last()?;
            Some(TechAsOf {
                stage: last.stage,
                moved: last.reached_on.as_str() >= start.as_str(),
                route: reached.iter().map(|s| format!("{} {}", s.reached_on, s.stage.label())).collect(),
                t,
            })
        })
        .collect();
    let carriers = innovation::carriers(pool, city_id)
        .await?
        .into_iter()
        .filter(|c| c.chain_id.as_deref() == Some(chain_id))
        .filter(|c| c.since_year.is_none_or(|y| y <= i64::from(year)))
        .collect();
    let evaluations =
        innovation::evaluations(pool, city_id).await?.into_iter().filter(|e| e.year <= i64::from(year)).collect();
    Ok(Resources { techs, carriers, evaluations })
}

impl Resources {
    /// One paragraph of counts, as of the end of `year`.
    pub fn summary(&self, year: i32) -> String {
        let of = |f: Family| self.carriers.iter().filter(|c| c.kind.family() == f).count();
        let released = self.techs.iter().filter(|t| t.stage == TechStage::Released).count();
        let moved = self.techs.iter().filter(|t| t.moved).count();
        format!(
            "截至{year}年底，本链有创新平台{}个、创新联合体和产业联盟{}个、协会{}个、公共服务平台{}个；关键核心技术攻关{}项，已发布成果{released}项，{year}年推进到新阶段{moved}项。",
            of(Family::Platform),
            of(Family::Consortium),
            of(Family::Association),
            of(Family::Service),
            self.techs.len(),
        )
    }

    /// The 技术路线图: the chain's map with each node's technologies and the stage each reached.
    pub fn roadmap(&self, chain_name: &str, graph: &MapGraph, caption: &str) -> Block {
        let mut map = graph.clone();
        map.title = format!("{chain_name}技术路线图");
        for n in &mut map.nodes {
            n.key_enterprises.clear();
            n.rating = None;
            n.marks = self
                .techs
                .iter()
                .filter(|t| t.t.node_id.as_deref() == Some(n.id.as_str()))
                .map(|t| format!("{}·{}", t.t.name, t.stage.label()))
                .collect();
        }
        let placed = place(&map);
        let none = |_: &str| None;
        Block::Figure { caption: caption.into(), svg: svg(&map, &placed, MapKind::Panorama, &none), png: None }
    }

    /// The list of key technologies with the route of each.
    pub fn technology_table(&self, caption: &str) -> Block {
        let rows = self
            .techs
            .iter()
            .map(|x| {
                let t = &x.t;
                let partners: Vec<&str> = [t.partners.as_str(), t.consortium_name.as_deref().unwrap_or("")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                vec![
                    t.name.clone(),
                    t.category.label().into(),
                    t.node_name.clone().unwrap_or_default(),
                    t.owner_name.clone().unwrap_or_else(|| "待揭榜".into()),
                    partners.join("；"),
                    x.route.join("→"),
                    t.target_year.map(|y| y.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        Block::Table {
            caption: caption.into(),
            header: ["技术", "类别", "环节", "揭榜企业", "合作单位与联合体", "攻关路线", "完成年份"]
                .map(String::from)
                .to_vec(),
            rows,
        }
    }

    /// The list of platforms, consortia, associations and service platforms.
    pub fn carrier_table(&self, caption: &str) -> Block {
        let rows = self
            .carriers
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.kind.label().into(),
                    c.level.label().into(),
                    c.since_year.map(|y| y.to_string()).unwrap_or_default(),
                    c.host_name.clone(),
                    c.node_name.clone().unwrap_or_default(),
                    c.members.to_string(),
                    self.evaluations
                        .iter()
                        .find(|e| e.carrier_id == c.id)
                        .map(|e| format!("{}年 {}", e.year, e.band.label()))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        Block::Table {
            caption: caption.into(),
            header: ["名称", "类型", "级别", "认定（成立）年份", "依托单位", "环节", "成员数"]
                .map(String::from)
                .to_vec(),
            rows,
        }
    }
}
