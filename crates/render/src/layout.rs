//! The layered (Sugiyama-style) layout: stages are fixed column groups, edges inside a stage
//! split it into sub-layers, long edges get virtual nodes, and the order inside each layer is
//! chosen to reduce crossings before coordinates are assigned and edges are routed.

use std::collections::{HashMap, HashSet};

use chainchief_domain::chain_map::{MapGraph, Stage};

use crate::coords;
use crate::crossings::count_crossings;
use crate::order;
use crate::route;
use crate::text::{BoxText, box_text};
use crate::{MapLayout, PlacedNode};

/// One entry of a layer: a real node (`node` is its index in the graph) or a virtual node on a
/// long edge.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Layer (column) index.
    pub layer: usize,
    /// The graph node this item stands for, `None` for a virtual node.
    pub node: Option<usize>,
}

/// A drawn edge as a chain of items from its lower layer to its higher layer.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// Items from the lower layer to the higher one, real endpoints included; a single item
    /// for an edge whose ends share a layer (a self-loop).
    pub items: Vec<usize>,
    /// True when the edge runs from the higher layer to the lower one (drawn right to left).
    pub reversed: bool,
    /// For a same-layer edge: the receiving item (the source is `items[0]`).
    pub same_layer_target: Option<usize>,
}

/// The layered graph the ordering and coordinate phases work on.
#[derive(Debug, Clone)]
pub(crate) struct Layered {
    /// All items; the first `n` are the graph's nodes in order.
    pub items: Vec<Item>,
    /// Item ids per layer, in the current left-to-right (drawn top-to-bottom) order.
    pub layers: Vec<Vec<usize>>,
    /// Neighbours of each item in the previous layer.
    pub up: Vec<Vec<usize>>,
    /// Neighbours of each item in the next layer.
    pub down: Vec<Vec<usize>>,
    /// One chain per drawn edge, in edge order.
    pub chains: Vec<Chain>,
    /// First layer of each stage, and one past the last, indexed by `Stage::index()`.
    pub stage_layers: [(usize, usize); 3],
}

/// An edge kept for drawing, as node indices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeptEdge {
    /// Supplying node.
    pub from: usize,
    /// Receiving node.
    pub to: usize,
}

/// Lays out a chain map: stage columns left to right, crossings reduced, boxes sized from their
/// text, edges routed as polylines between box sides.
pub fn layout(graph: &MapGraph) -> MapLayout {
    let texts: Vec<BoxText> = graph.nodes.iter().map(box_text).collect();
    let edges = kept_edges(graph);
    let sub = sub_layers(graph, &edges);
    let mut layered = build(graph, &edges, &sub);
    order::minimise(&mut layered);
    let geometry = coords::place(graph, &layered, &texts);
    let routed = route::route(graph, &layered, &edges, &texts, &geometry);
    let nodes = graph
        .nodes
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (n, t))| PlacedNode {
            id: n.id.clone(),
            x: geometry.box_x[i],
            y: geometry.box_y[i],
            width: t.width,
            height: t.height,
            lines: t.lines,
        })
        .collect();
    let mut out = MapLayout {
        width: geometry.width,
        height: geometry.height,
        nodes,
        edges: routed,
        crossings: 0,
        stages: geometry.bands,
    };
    out.crossings = count_crossings(&out);
    out
}

/// Edges whose ids both resolve, without duplicates, in input order.
pub(crate) fn kept_edges(graph: &MapGraph) -> Vec<KeptEdge> {
    let index = node_index(graph);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for e in &graph.edges {
        if let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            && seen.insert((from, to))
        {
            out.push(KeptEdge { from, to });
        }
    }
    out
}

/// Node id → index of its first occurrence.
pub(crate) fn node_index(graph: &MapGraph) -> HashMap<&str, usize> {
    let mut index = HashMap::new();
    for (i, n) in graph.nodes.iter().enumerate() {
        index.entry(n.id.as_str()).or_insert(i);
    }
    index
}

/// Sub-layer of every node inside its stage: longest-path layering over the edges that stay
/// inside the stage, after cycles are broken by reversing DFS back edges.
pub(crate) fn sub_layers(graph: &MapGraph, edges: &[KeptEdge]) -> Vec<usize> {
    let n = graph.nodes.len();
    let stage = |i: usize| graph.nodes[i].stage;
    let mut out_adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if e.from != e.to && stage(e.from) == stage(e.to) {
            out_adj[e.from].push(e.to);
        }
    }
    // Iterative DFS in input order; an edge to a node still on the stack is a back edge.
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut back: HashSet<(usize, usize)> = HashSet::new();
    for root in 0..n {
        if state[root] != NEW {
            continue;
        }
        state[root] = OPEN;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&w) = out_adj[v].get(next) {
                top.1 += 1;
                match state[w] {
                    NEW => {
                        state[w] = OPEN;
                        stack.push((w, 0));
                    }
                    OPEN => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = DONE;
                stack.pop();
            }
        }
    }
    // Longest path from the sources of the now acyclic in-stage graph (Kahn's order).
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (v, targets) in out_adj.iter().enumerate() {
        for &w in targets {
            let (a, b) = if back.contains(&(v, w)) { (w, v) } else { (v, w) };
            dag[a].push(b);
            indegree[b] += 1;
        }
    }
    let mut sub = vec![0usize; n];
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        for &w in &dag[v] {
            sub[w] = sub[w].max(sub[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    shorten(graph, edges, &dag, &mut sub);
    sub
}

/// Moves nodes to another sub-layer inside the range their in-stage edges allow when that
/// shortens their edges in total (fewer virtual nodes), e.g. a node without in-stage edges that
/// mostly supplies the next stage moves to its stage's last sub-layer. Deterministic greedy
/// passes in input order; longest-path positions are kept on ties.
fn shorten(graph: &MapGraph, edges: &[KeptEdge], dag: &[Vec<usize>], sub: &mut [usize]) {
    let n = graph.nodes.len();
    let stage = |i: usize| graph.nodes[i].stage.index();
    let mut depth = [1usize; 3];
    for v in 0..n {
        depth[stage(v)] = depth[stage(v)].max(sub[v] + 1);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, targets) in dag.iter().enumerate() {
        for &w in targets {
            preds[w].push(v);
        }
    }
    // Pull toward the stage's start (positive) or end (negative) from edges to other stages.
    let mut pull = vec![0i64; n];
    for e in edges {
        let (a, b) = (stage(e.from), stage(e.to));
        if a != b {
            pull[e.from] += if b < a { 1 } else { -1 };
            pull[e.to] += if a < b { 1 } else { -1 };
        }
    }
    for _ in 0..8 {
        let mut moved = false;
        for v in 0..n {
            let slope = pull[v] + preds[v].len() as i64 - dag[v].len() as i64;
            let lo = preds[v].iter().map(|&u| sub[u] + 1).max().unwrap_or(0);
            let hi = dag[v].iter().map(|&w| sub[w].saturating_sub(1)).min().unwrap_or(depth[stage(v)] - 1);
            let target = match slope.cmp(&0) {
                std::cmp::Ordering::Greater => lo,
                std::cmp::Ordering::Less => hi,
                std::cmp::Ordering::Equal => sub[v],
            };
            if target != sub[v] && lo <= hi {
                sub[v] = target;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Builds the layered graph: global layer = first layer of the node's stage + its sub-layer;
/// every edge spanning more than one layer gets a virtual node in each layer it passes.
pub(crate) fn build(graph: &MapGraph, edges: &[KeptEdge], sub: &[usize]) -> Layered {
    let n = graph.nodes.len();
    let mut depth = [1usize; 3];
    for (i, node) in graph.nodes.iter().enumerate() {
        let s = node.stage.index();
        depth[s] = depth[s].max(sub[i] + 1);
    }
    let mut stage_layers = [(0, 0); 3];
    let mut next = 0;
    for s in Stage::ALL {
        let i = s.index();
        stage_layers[i] = (next, next + depth[i]);
        next += depth[i];
    }
    let layer_count = next;
    let mut items: Vec<Item> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| Item { layer: stage_layers[node.stage.index()].0 + sub[i], node: Some(i) })
        .collect();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains = Vec::with_capacity(edges.len());
    for e in edges {
        let (lf, lt) = (items[e.from].layer, items[e.to].layer);
        if lf == lt {
            chains.push(Chain { items: vec![e.from], reversed: false, same_layer_target: Some(e.to) });
            continue;
        }
        let reversed = lf > lt;
        let (lo, hi) = if reversed { (e.to, e.from) } else { (e.from, e.to) };
        let (llo, lhi) = (items[lo].layer, items[hi].layer);
        let mut chain = vec![lo];
        for layer in llo + 1..lhi {
            items.push(Item { layer, node: None });
            up.push(Vec::new());
            down.push(Vec::new());
            chain.push(items.len() - 1);
        }
        chain.push(hi);
        for pair in chain.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
        chains.push(Chain { items: chain, reversed, same_layer_target: None });
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for (id, item) in items.iter().enumerate() {
        layers[item.layer].push(id);
    }
    Layered { items, layers, up, down, chains, stage_layers }
}
