//! Chain maps [C2]–[C4]: the graph of a chain's nodes (环节) by stage, the rating of each node
//! from its enterprises by a rubric that is data, and the gap lists 补链/延链/强链.

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

/// The status-map rating of a node [C4].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeRating {
    /// 优势
    Advantage,
    /// 潜力
    Potential,
    /// 薄弱
    Weak,
    /// 空白
    Blank,
}

impl NodeRating {
    /// All ratings, best first.
    pub const ALL: [NodeRating; 4] =
        [NodeRating::Advantage, NodeRating::Potential, NodeRating::Weak, NodeRating::Blank];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            NodeRating::Advantage => "优势",
            NodeRating::Potential => "潜力",
            NodeRating::Weak => "薄弱",
            NodeRating::Blank => "空白",
        }
    }

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            NodeRating::Advantage => "advantage",
            NodeRating::Potential => "potential",
            NodeRating::Weak => "weak",
            NodeRating::Blank => "blank",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<NodeRating> {
        NodeRating::ALL.into_iter().find(|x| x.code() == s)
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
