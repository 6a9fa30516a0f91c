//! Yearly versions of a chain map [C5]: a frozen copy of the nodes, their ratings and enterprises
//! and the edges, and the difference between any two versions.

use crate::chain_map::NodeRating;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// One node as frozen in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenNode {
    /// Node id (stable across renames).
    pub id: String,
    /// Name at the time.
    pub name: String,
    /// Stage code.
    pub stage: String,
    /// Rating at the time.
    pub rating: NodeRating,
    /// Local enterprises on the node.
    pub enterprises: Vec<String>,
    /// Key node.
    #[serde(default)]
    pub key: bool,
}

impl FrozenMap {
    /// The frozen map as a graph the renderer draws (ratings as they were).
    pub fn graph(&self, title: &str) -> crate::chain_map::MapGraph {
        use crate::chain_map::{MapEdge, MapGraph, MapNode, Stage};
        MapGraph {
            title: title.to_string(),
            nodes: self
                .nodes
                .iter()
                .map(|n| MapNode {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    stage: Stage::from_code(&n.stage).unwrap_or(Stage::Midstream),
                    key: n.key,
                    local_enterprises: n.enterprises.len() as u32,
                    key_enterprises: n.enterprises.iter().take(3).cloned().collect(),
                    rating: Some(n.rating),
                    rating_note: format!("快照中的评级：{}", n.rating.label()),
                    marks: Vec::new(),
                })
                .collect(),
            edges: self.edges.iter().map(|(a, b)| MapEdge { from: a.clone(), to: b.clone() }).collect(),
        }
    }
}

/// A frozen chain map.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrozenMap {
    /// Nodes.
    pub nodes: Vec<FrozenNode>,
    /// Edges as (from id, to id).
    pub edges: Vec<(String, String)>,
}

/// What changed between two versions of a map.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MapDiff {
    /// Nodes whose rating changed: (name, before, after).
    pub rating_changed: Vec<(String, NodeRating, NodeRating)>,
    /// Nodes that are new.
    pub nodes_added: Vec<String>,
    /// Nodes that are gone.
    pub nodes_removed: Vec<String>,
    /// Per node: enterprises gained.
    pub enterprises_added: Vec<(String, Vec<String>)>,
    /// Per node: enterprises lost.
    pub enterprises_removed: Vec<(String, Vec<String>)>,
    /// Edges that are new, by node names.
    pub edges_added: Vec<(String, String)>,
    /// Edges that are gone, by node names.
    pub edges_removed: Vec<(String, String)>,
}

impl MapDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == MapDiff::default()
    }
}

/// Compares an earlier map with a later one.
pub fn diff(before: &FrozenMap, after: &FrozenMap) -> MapDiff {
    let old: HashMap<&str, &FrozenNode> = before.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let new: HashMap<&str, &FrozenNode> = after.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let name = |id: &str| new.get(id).or(old.get(id)).map(|n| n.name.clone()).unwrap_or_default();
    let mut d = MapDiff::default();
    for n in &after.nodes {
        match old.get(n.id.as_str()) {
            None => d.nodes_added.push(n.name.clone()),
            Some(o) => {
                if o.rating != n.rating {
                    d.rating_changed.push((n.name.clone(), o.rating, n.rating));
                }
                let was: BTreeSet<&String> = o.enterprises.iter().collect();
                let is: BTreeSet<&String> = n.enterprises.iter().collect();
                let gained: Vec<String> = is.difference(&was).map(|s| (*s).clone()).collect();
                let lost: Vec<String> = was.difference(&is).map(|s| (*s).clone()).collect();
                if !gained.is_empty() {
                    d.enterprises_added.push((n.name.clone(), gained));
                }
                if !lost.is_empty() {
                    d.enterprises_removed.push((n.name.clone(), lost));
                }
            }
        }
    }
    d.nodes_removed =
        before.nodes.iter().filter(|n| !new.contains_key(n.id.as_str())).map(|n| n.name.clone()).collect();
    let was: BTreeSet<&(String, String)> = before.edges.iter().collect();
    let is: BTreeSet<&(String, String)> = after.edges.iter().collect();
    d.edges_added = is.difference(&was).map(|(a, b)| (name(a), name(b))).collect();
    d.edges_removed = was.difference(&is).map(|(a, b)| (name(a), name(b))).collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, rating: NodeRating, ents: &[&str]) -> FrozenNode {
        FrozenNode {
            id: id.into(),
            name: format!("环节{id}"),
            stage: "midstream".into(),
            rating,
            enterprises: ents.iter().map(|s| s.to_string()).collect(),
            key: false,
        }
    }

    #[test]
    fn diff_finds_ratings_enterprises_nodes_and_edges() {
        let before = FrozenMap {
            nodes: vec![
                node("a", NodeRating::Blank, &[]),
                node("b", NodeRating::Weak, &["甲"]),
                node("c", NodeRating::Weak, &[]),
            ],
            edges: vec![("a".into(), "b".into())],
        };
        let after = FrozenMap {
            nodes: vec![
                node("a", NodeRating::Weak, &["乙"]),
                node("b", NodeRating::Weak, &[]),
                node("d", NodeRating::Blank, &[]),
            ],
            edges: vec![("a".into(), "b".into()), ("b".into(), "d".into())],
        };
        let d = diff(&before, &after);
        assert_eq!(d.rating_changed, vec![("环节a".to_string(), NodeRating::Blank, NodeRating::Weak)]);
        assert_eq!(d.enterprises_added, vec![("环节a".to_string(), vec!["乙".to_string()])]);
        assert_eq!(d.enterprises_removed, vec![("环节b".to_string(), vec!["甲".to_string()])]);
        assert_eq!(d.nodes_added, vec!["环节d".to_string()]);
        assert_eq!(d.nodes_removed, vec!["环节c".to_string()]);
        assert_eq!(d.edges_added, vec![("环节b".to_string(), "环节d".to_string())]);
        assert!(d.edges_removed.is_empty());
        assert!(diff(&after, &after).is_empty());
    }
}
