//! The chain-maps seed file: nodes and supply edges per chain, enterprises with their places on
//! the map, tiers and supplier→customer relations. Validated whole before anything is stored.

use crate::chain_map::Stage;
use crate::money::{Money, MoneyUnit};
use crate::org::coded_enum;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapsFile {
    /// One map per chain.
    #[serde(default)]
    pub maps: Vec<ChainMapDef>,
    /// Enterprises, local and external.
    #[serde(default)]
    pub enterprises: Vec<EnterpriseDef>,
    /// Supplier→customer relations.
    #[serde(default)]
    pub relations: Vec<RelationDef>,
}

/// The map of one chain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainMapDef {
    /// Chain code of the plan.
    pub chain: String,
    /// Nodes.
    #[serde(default)]
    pub nodes: Vec<NodeDef>,
    /// Supply edges.
    #[serde(default)]
    pub edges: Vec<EdgeDef>,
}

/// A node (环节).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    /// Code, unique in the chain.
    pub code: String,
    /// Name, unique in the chain.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Segment node this node refines.
    #[serde(default)]
    pub parent: Option<String>,
    /// Key node.
    #[serde(default)]
    pub key: bool,
    /// Products.
    #[serde(default)]
    pub products: Vec<String>,
    /// GB/T 4754-2017 classes.
    #[serde(default)]
    pub industry_codes: Vec<String>,
}

/// A supply edge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeDef {
    /// Supplying node code.
    pub from: String,
    /// Receiving node code.
    pub to: String,
}

/// An enterprise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseDef {
    /// Registered name.
    pub name: String,
    /// Short name (relations refer to it).
    pub short: String,
    /// In the city (false: customer or target outside).
    #[serde(default = "yes")]
    pub local: bool,
    /// Park code.
    #[serde(default)]
    pub park: Option<String>,
    /// `above` (规上) or `below`.
    #[serde(default)]
    pub scale: String,
    /// `domestic` or `foreign`.
    #[serde(default = "domestic")]
    pub ownership: String,
    /// Listed company.
    #[serde(default)]
    pub listed: bool,
    /// Target categories (世界500强 …).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Yearly revenue in 亿元.
    #[serde(default)]
    pub revenue: Option<crate::plan::DecimalText>,
    /// Employees.
    #[serde(default)]
    pub employees: Option<u32>,
    /// 成立年份.
    #[serde(default)]
    pub founded: Option<u16>,
    /// Tier codes.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// Main products.
    #[serde(default)]
    pub products: Vec<String>,
    /// Nodes the enterprise sits on.
    #[serde(default)]
    pub placements: Vec<PlacementDef>,
}

fn yes() -> bool {
    true
}

fn domestic() -> String {
    "domestic".into()
}

/// A place on a map.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementDef {
    /// Chain code.
    pub chain: String,
    /// Node code.
    pub node: String,
}

/// A supplier→customer relation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDef {
    /// Supplier's short name.
    pub supplier: String,
    /// Customer's short name.
    pub customer: String,
    /// Product supplied.
    #[serde(default)]
    pub product: String,
    /// Yearly value in 万元.
    #[serde(default)]
    pub value: Option<crate::plan::DecimalText>,
}

coded_enum! {
    /// A cultivation tier (梯队) an enterprise can hold.
    Tier {
        /// 链主/龙头
        ChainLeader = ("chain_leader", "链主/龙头"),
        /// 骨干
        Backbone = ("backbone", "骨干"),
        /// 上市企业 (the date it listed)
        Listed = ("listed", "上市企业"),
        /// 上市后备企业
        ListingReserve = ("listing_reserve", "上市后备企业"),
        /// 国家级单项冠军
        NationalChampion = ("national_champion", "国家级单项冠军"),
        /// 省级单项冠军
        ProvincialChampion = ("provincial_champion", "省级单项冠军"),
        /// 国家级专精特新“小巨人”
        NationalLittleGiant = ("national_little_giant", "国家级专精特新“小巨人”"),
        /// 省级专精特新“小巨人”
        ProvincialLittleGiant = ("provincial_little_giant", "省级专精特新“小巨人”"),
        /// 专精特新中小企业
        SpecialisedSme = ("specialised_sme", "专精特新中小企业"),
        /// 创新型中小企业
        InnovativeSme = ("innovative_sme", "创新型中小企业"),
        /// 高新技术企业
        HighTech = ("high_tech", "高新技术企业"),
        /// 大型企业 (规升巨)
        Large = ("large", "大型企业"),
        /// 规上企业 (小升规)
        AboveScale = ("above_scale", "规上企业"),
        /// 小型企业 (微升小)
        Small = ("small", "小型企业"),
    }
}

impl Tier {
    /// Counts as innovation in node ratings: champions, little giants, 专精特新, 创新型中小企业
    /// and high-tech.
    pub fn is_innovative(self) -> bool {
        matches!(
            self,
            Tier::NationalChampion
                | Tier::ProvincialChampion
                | Tier::NationalLittleGiant
                | Tier::ProvincialLittleGiant
                | Tier::SpecialisedSme
                | Tier::InnovativeSme
                | Tier::HighTech
        )
    }

    /// Leads the chain: 链主/龙头 or 骨干.
    pub fn is_leading(self) -> bool {
        matches!(self, Tier::ChainLeader | Tier::Backbone)
    }

    /// A tier named by its code or its Chinese name.
    pub fn from_code_or_label(text: &str) -> Option<Tier> {
        Tier::ALL.iter().copied().find(|t| t.code() == text || t.label() == text)
    }
}

/// The 1-based line of the first `needle` after `anchor` in `src`.
fn line_of(src: &str, anchor: &str, needle: &str) -> Option<usize> {
    let from = src.find(anchor)?;
    let at = from + src[from..].find(needle)?;
    Some(src[..at].matches('\n').count() + 1)
}

/// Reads and validates a maps file against the chain and park codes of the city.
pub fn parse(src: &str, chains: &[&str], parks: &[&str]) -> Result<MapsFile, Vec<String>> {
    let file: MapsFile = toml::from_str(src).map_err(|e| {
        let line = e.span().map(|s| src[..s.start].matches('\n').count() + 1).unwrap_or(1);
        vec![format!("第{line}行：格式错误：{}", e.message().trim())]
    })?;
    let mut errors = Vec::new();
    let mut nodes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for m in &file.maps {
        if !chains.contains(&m.chain.as_str()) {
            errors.push(format!("没有代码为“{}”的产业链", m.chain));
        }
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for n in &m.nodes {
            if !codes.insert(n.code.as_str()) {
                errors.push(format!("产业链“{}”的环节代码“{}”重复", m.chain, n.code));
            }
            if !names.insert(n.name.as_str()) {
                errors.push(format!("产业链“{}”的环节名称“{}”重复", m.chain, n.name));
            }
        }
        for n in &m.nodes {
            if let Some(p) = &n.parent
                && (!codes.contains(p.as_str()) || p == &n.code)
            {
                errors.push(format!("环节“{}”的上级环节“{p}”不在本产业链中", n.name));
            }
        }
        for e in &m.edges {
            for end in [&e.from, &e.to] {
                if !codes.contains(end.as_str()) {
                    errors.push(format!("产业链“{}”的连线端点“{end}”不是本链的环节（不能连到其他产业链）", m.chain));
                }
            }
            if e.from == e.to {
                errors.push(format!("环节“{}”不能连向自己", e.from));
            }
        }
        nodes.insert(m.chain.as_str(), codes);
    }
    let mut shorts = HashSet::new();
    for e in &file.enterprises {
        if !shorts.insert(e.short.as_str()) {
            errors.push(format!("企业简称“{}”重复", e.short));
        }
        if let Some(p) = &e.park
            && !parks.contains(&p.as_str())
        {
            errors.push(format!("企业“{}”的园区“{p}”不存在", e.name));
        }
        for t in &e.tiers {
            if Tier::from_code(t).is_none() {
                errors.push(format!("企业“{}”的梯队“{t}”无法识别", e.name));
            }
        }
        if let Some(r) = &e.revenue
            && let Err(err) = Money::parse(&r.0, MoneyUnit::Yi)
        {
            errors.push(format!("企业“{}”的营收（亿元）“{}”：{err}", e.name, r.0));
        }
        if let Some(y) = e.founded.filter(|y| !(1949..=2100).contains(y)) {
            errors.push(format!("企业“{}”的成立年份“{y}”应在1949至2100之间", e.name));
        }
        for p in &e.placements {
            if !nodes.get(p.chain.as_str()).is_some_and(|n| n.contains(p.node.as_str())) {
                errors.push(format!("企业“{}”所在环节“{}/{}”不存在", e.name, p.chain, p.node));
            }
        }
    }
    for r in &file.relations {
        for who in [&r.supplier, &r.customer] {
            if !shorts.contains(who.as_str()) {
                errors.push(format!("配套关系中的企业“{who}”不在企业列表中"));
            }
        }
        if let Some(v) = &r.value
            && let Err(e) = Money::parse(&v.0, MoneyUnit::Wan)
        {
            errors.push(format!("配套关系“{}→{}”的年交易额（万元）“{}”：{e}", r.supplier, r.customer, v.0));
        }
    }
    let classes = crate::industry::shipped();
    for n in file.maps.iter().flat_map(|m| m.nodes.iter()) {
        for c in n.industry_codes.iter().filter(|c| !classes.iter().any(|k| &k.code == *c)) {
            let line = line_of(src, &format!("name = \"{}\"", n.name), &format!("\"{c}\""));
            let at = line.map(|l| format!("第{l}行：")).unwrap_or_default();
            errors.push(format!("{at}环节“{}”的行业代码“{c}”不是 GB/T 4754-2017 中收录的小类", n.name));
        }
    }
    if errors.is_empty() { Ok(file) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[maps]]
chain = "cu"
  [[maps.nodes]]
  code = "scrap"
  name = "废杂铜回收"
  stage = "upstream"
  [[maps.nodes]]
  code = "cathode"
  name = "电解/阴极铜"
  stage = "midstream"
  key = true
  [[maps.edges]]
  from = "scrap"
  to = "cathode"

[[enterprises]]
name = "甲（示范企业）"
short = "甲"
park = "p1"
revenue = 1.5
tiers = ["above_scale"]
placements = [{ chain = "cu", node = "scrap" }]

[[relations]]
supplier = "甲"
customer = "甲"
value = 100
"#;

    #[test]
    fn valid_file_parses() {
        let f = parse(FILE, &["cu"], &["p1"]).expect("valid");
        assert_eq!(f.maps[0].nodes.len(), 2);
        assert!(f.enterprises[0].local);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let cross = FILE.replace("to = \"cathode\"", "to = \"other-chain-node\"");
        assert!(parse(&cross, &["cu"], &["p1"]).unwrap_err()[0].contains("不能连到其他产业链"));
        let dup = FILE.replace("name = \"电解/阴极铜\"", "name = \"废杂铜回收\"");
        assert!(parse(&dup, &["cu"], &["p1"]).unwrap_err()[0].contains("名称“废杂铜回收”重复"));
        let tier = FILE.replace("above_scale", "famous");
        assert!(parse(&tier, &["cu"], &["p1"]).unwrap_err()[0].contains("梯队“famous”"));
        assert!(parse(FILE, &["zn"], &["p1"]).is_err());
        let classes =
            FILE.replace("  key = true\n", "  key = true\n  industry_codes = [\"3211\", \"1019\", \"9998\"]\n");
        let errs = parse(&classes, &["cu"], &["p1"]).unwrap_err();
        assert_eq!(errs, vec!["第13行：环节“电解/阴极铜”的行业代码“9998”不是 GB/T 4754-2017 中收录的小类".to_string()]);
    }
}
