//! Chain maps [C2]–[C4]: the graph of a chain's nodes (环节) by stage, the rating of each node
//! from its enterprises by a rubric that is data, and the gap lists 补链/延链/强链.

use crate::org::coded_enum;
use serde::{Deserialize, Serialize};

/// Where a node sits along the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 上游
    Upstream,
    /// 中游
    Midstream,
    /// 下游
    Downstream,
}

impl Stage {
    /// All stages, left to right.
    pub const ALL: [Stage; 3] = [Stage::Upstream, Stage::Midstream, Stage::Downstream];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Upstream => "上游",
            Stage::Midstream => "中游",
            Stage::Downstream => "下游",
        }
    }

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Upstream => "upstream",
            Stage::Midstream => "midstream",
            Stage::Downstream => "downstream",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Column index, 0 for upstream.
    pub fn index(self) -> usize {
        match self {
            Stage::Upstream => 0,
            Stage::Midstream => 1,
            Stage::Downstream => 2,
        }
    }
}

coded_enum! {
    /// The status-map rating of a node [C4], best first.
    NodeRating {
        /// 优势
        Advantage = ("advantage", "优势"),
        /// 潜力
        Potential = ("potential", "潜力"),
        /// 薄弱
        Weak = ("weak", "薄弱"),
        /// 空白
        Blank = ("blank", "空白"),
    }
}

/// A node as a map shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapNode {
    /// Id.
    pub id: String,
    /// Name, e.g. 电解/阴极铜.
    pub name: String,
    /// Stage column.
    pub stage: Stage,
    /// Key node (关键环节).
    pub key: bool,
    /// Local enterprises on the node.
    pub local_enterprises: u32,
    /// Names of key enterprises shown in the box (at most a few).
    pub key_enterprises: Vec<String>,
    /// Rating, on the status map.
    pub rating: Option<NodeRating>,
    /// The figures that produced the rating, shown on hover.
    pub rating_note: String,
    /// Lines a layer adds to the box (a consortium and its members on the node), in the layer's colour.
    pub marks: Vec<String>,
}

/// A supply edge: `from` supplies `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapEdge {
    /// Supplying node id.
    pub from: String,
    /// Receiving node id.
    pub to: String,
}

/// A chain's graph as the map renderer takes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapGraph {
    /// Chain name (the map's title).
    pub title: String,
    /// Nodes.
    pub nodes: Vec<MapNode>,
    /// Edges.
    pub edges: Vec<MapEdge>,
}

/// Which way a 延链 gap extends the local chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Extend {
    /// 向上游延伸
    Upstream,
    /// 向下游延伸
    Downstream,
    /// Not connected to any local link.
    Apart,
}

impl Extend {
    /// Chinese words.
    pub fn label(self) -> &'static str {
        match self {
            Extend::Upstream => "向上游延伸",
            Extend::Downstream => "向下游延伸",
            Extend::Apart => "新增环节",
        }
    }
}

/// The plan's three gap lists for a chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Gaps {
    /// 补链: blank nodes between local links (a missing middle link).
    pub fill: Vec<String>,
    /// 延链: blank nodes beyond today's local chain, with the direction.
    pub extend: Vec<(String, Extend)>,
    /// 强链: weak nodes to strengthen.
    pub strengthen: Vec<String>,
}

/// Sorts the rated nodes of a graph into the gap lists (input order kept within each list).
pub fn gaps(graph: &MapGraph) -> Gaps {
    use std::collections::{HashMap, HashSet};
    let idx: HashMap<&str, usize> = graph.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let mut out_edges = vec![Vec::new(); graph.nodes.len()];
    let mut in_edges = vec![Vec::new(); graph.nodes.len()];
    for e in &graph.edges {
        if let (Some(&a), Some(&b)) = (idx.get(e.from.as_str()), idx.get(e.to.as_str())) {
            out_edges[a].push(b);
            in_edges[b].push(a);
        }
    }
    let occupied: Vec<bool> = graph.nodes.iter().map(|n| n.local_enterprises > 0).collect();
    let reaches_occupied = |start: usize, next: &Vec<Vec<usize>>| {
        let mut seen = HashSet::from([start]);
        let mut stack = next[start].clone();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if occupied[n] {
                return true;
            }
            stack.extend(next[n].iter().copied());
        }
        false
    };
    let mut g = Gaps::default();
    for (i, n) in graph.nodes.iter().enumerate() {
        match n.rating {
            Some(NodeRating::Blank) => {
                let before = reaches_occupied(i, &in_edges);
                let after = reaches_occupied(i, &out_edges);
                match (before, after) {
                    (true, true) => g.fill.push(n.id.clone()),
                    (false, true) => g.extend.push((n.id.clone(), Extend::Upstream)),
                    (true, false) => g.extend.push((n.id.clone(), Extend::Downstream)),
                    (false, false) => g.extend.push((n.id.clone(), Extend::Apart)),
                }
            }
            Some(NodeRating::Weak) => g.strengthen.push(n.id.clone()),
            _ => {}
        }
    }
    g
}

/// Whether adding the edge `from → to` closes a cycle (a path already leads from `to` to `from`).
pub fn closes_cycle(edges: &[(String, String)], from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    let mut stack = vec![to];
    let mut seen = std::collections::HashSet::new();
    while let Some(n) = stack.pop() {
        if n == from {
            return true;
        }
        if seen.insert(n) {
            stack.extend(edges.iter().filter(|e| e.0 == n).map(|e| e.1.as_str()));
        }
    }
    false
}

/// Checks GB/T 4754-2017 class codes: four digits each, separated by 、 or commas.
pub fn parse_industry_codes(text: &str) -> Result<Vec<String>, String> {
    let codes: Vec<String> =
        text.split(['、', ',', '，', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    match codes.iter().find(|c| c.len() != 4 || !c.chars().all(|ch| ch.is_ascii_digit())) {
        Some(bad) => Err(format!("行业代码“{bad}”应为 GB/T 4754-2017 的4位小类代码，如 3211")),
        None => Ok(codes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        let e: Vec<(String, String)> =
            [("a", "b"), ("b", "c")].iter().map(|(x, y)| (x.to_string(), y.to_string())).collect();
        assert!(closes_cycle(&e, "c", "a"));
        assert!(!closes_cycle(&e, "a", "c"));
        assert!(closes_cycle(&e, "a", "a"));
    }

    #[test]
    fn industry_codes() {
        assert_eq!(parse_industry_codes("3211、3251"), Ok(vec!["3211".to_string(), "3251".to_string()]));
        assert!(parse_industry_codes("321").is_err());
        assert_eq!(parse_industry_codes(""), Ok(vec![]));
    }

    fn node(id: &str, local: u32, rating: NodeRating) -> MapNode {
        MapNode {
            id: id.into(),
            name: id.into(),
            stage: Stage::Midstream,
            key: false,
            local_enterprises: local,
            key_enterprises: vec![],
            rating: Some(rating),
            rating_note: String::new(),
            marks: Vec::new(),
        }
    }

    #[test]
    fn a_missing_middle_link_is_filled_and_ends_are_extended() {
        // 废杂铜 → 阴极铜(空白) → 铜杆 → 高端铜制品(空白); 铜矿(空白) → 废杂铜; 铜杆 also weak.
        let graph = MapGraph {
            title: "铜".into(),
            nodes: vec![
                node("ore", 0, NodeRating::Blank),
                node("scrap", 2, NodeRating::Potential),
                node("cathode", 0, NodeRating::Blank),
                node("rod", 1, NodeRating::Weak),
                node("high", 0, NodeRating::Blank),
                node("alone", 0, NodeRating::Blank),
            ],
            edges: [("ore", "scrap"), ("scrap", "cathode"), ("cathode", "rod"), ("rod", "high")]
                .iter()
                .map(|(a, b)| MapEdge { from: (*a).into(), to: (*b).into() })
                .collect(),
        };
        let g = gaps(&graph);
        assert_eq!(g.fill, vec!["cathode".to_string()]);
        assert_eq!(
            g.extend,
            vec![
                ("ore".to_string(), Extend::Upstream),
                ("high".to_string(), Extend::Downstream),
                ("alone".to_string(), Extend::Apart)
            ]
        );
        assert_eq!(g.strengthen, vec!["rod".to_string()]);
    }
}
