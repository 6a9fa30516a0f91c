//! Edge routing: polylines from a port on the source box's side, horizontally out of its column,
//! straight across each channel, horizontally through every column the edge passes (at its
//! virtual node's height), and into a port on the target box's side.
//!
//! Left-to-right edges leave the source's right side and enter the target's left side. Edges
//! that run right to left (a downstream node supplying an upstream one, or an edge reversed to
//! break a cycle inside a stage) leave the source's left side and enter the target's right side.
//! Edges inside one column (self-loops) loop out to the right of the column and back.

use chainchief_domain::chain_map::MapGraph;

use crate::RoutedEdge;
use crate::coords::Geometry;
use crate::layout::{KeptEdge, Layered};
use crate::text::BoxText;

/// How far a loop inside a column reaches into the channel to its right.
const LOOP_REACH: f64 = 12.0;

/// Which side of a box a port is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// A request for a port: which box side, the height of what the edge heads to (for ordering),
/// and whose port it is (chain index, 0 for the first end and 1 for the second).
struct PortRequest {
    node: usize,
    side: Side,
    toward: f64,
    chain: usize,
    end: usize,
}

/// Routes every kept edge; the result is in the order of `edges`.
pub(crate) fn route(
    graph: &MapGraph,
    l: &Layered,
    edges: &[KeptEdge],
    texts: &[BoxText],
    g: &Geometry,
) -> Vec<RoutedEdge> {
    let node_of = |v: usize| l.items[v].node.unwrap_or(0);
    let mut requests = Vec::new();
    for (c, chain) in l.chains.iter().enumerate() {
        let first = node_of(chain.items[0]);
        if let Some(target) = chain.same_layer_target {
            let t = node_of(target);
            let below = g.box_y[first] + texts[first].height + 1.0;
            let (to_first, to_target) =
                if first == t { (below, below) } else { (g.center[target], g.center[chain.items[0]]) };
            requests.push(PortRequest { node: first, side: Side::Right, toward: to_first, chain: c, end: 0 });
            requests.push(PortRequest { node: t, side: Side::Right, toward: to_target, chain: c, end: 1 });
        } else {
            let n = chain.items.len();
            let last = node_of(chain.items[n - 1]);
            let (after_first, before_last) = (chain.items[1], chain.items[n - 2]);
            requests.push(PortRequest {
                node: first,
                side: Side::Right,
                toward: g.center[after_first],
                chain: c,
                end: 0,
            });
            requests.push(PortRequest {
                node: last,
                side: Side::Left,
                toward: g.center[before_last],
                chain: c,
                end: 1,
            });
        }
    }
    let ports = assign_ports(requests, texts, g);
    l.chains
        .iter()
        .enumerate()
        .map(|(c, chain)| {
            let e = edges[c];
            let (p0, p1) = (ports[c][0], ports[c][1]);
            let first = node_of(chain.items[0]);
            let mut points = Vec::new();
            if chain.same_layer_target.is_some() {
                let layer = l.items[chain.items[0]].layer;
                let reach = g.col_right[layer] + LOOP_REACH;
                let t = e.to;
                points.push((g.box_x[first] + texts[first].width, p0));
                points.push((reach, p0));
                points.push((reach, p1));
                points.push((g.box_x[t] + texts[t].width, p1));
            } else {
                let n = chain.items.len();
                let last = node_of(chain.items[n - 1]);
                let (lo, hi) = (l.items[chain.items[0]].layer, l.items[chain.items[n - 1]].layer);
                points.push((g.box_x[first] + texts[first].width, p0));
                points.push((g.col_right[lo], p0));
                for &v in &chain.items[1..n - 1] {
                    let layer = l.items[v].layer;
                    points.push((g.col_left[layer], g.center[v]));
                    points.push((g.col_right[layer], g.center[v]));
                }
                points.push((g.col_left[hi], p1));
                points.push((g.box_x[last], p1));
                if chain.reversed {
                    points.reverse();
                }
            }
            RoutedEdge {
                from: graph.nodes[e.from].id.clone(),
                to: graph.nodes[e.to].id.clone(),
                points: simplify(points),
            }
        })
        .collect()
}

/// Spreads the ports of each box side evenly over the side, ordered by the height of what each
/// edge heads to so that edges leaving one side do not cross each other. Returns the port
/// heights per chain, first end then second end.
fn assign_ports(mut requests: Vec<PortRequest>, texts: &[BoxText], g: &Geometry) -> Vec<[f64; 2]> {
    let chains = requests.iter().map(|r| r.chain + 1).max().unwrap_or(0);
    let mut ports = vec![[0.0; 2]; chains];
    requests.sort_by(|a, b| {
        (a.node, a.side == Side::Right)
            .cmp(&(b.node, b.side == Side::Right))
            .then(a.toward.total_cmp(&b.toward))
            .then(a.chain.cmp(&b.chain))
            .then(a.end.cmp(&b.end))
    });
    let mut start = 0;
    while start < requests.len() {
        let key = (requests[start].node, requests[start].side);
        let end = requests[start..].iter().position(|r| (r.node, r.side) != key).map_or(requests.len(), |p| start + p);
        let count = (end - start) as f64;
        let (top, height) = (g.box_y[key.0], texts[key.0].height);
        for (k, r) in requests[start..end].iter().enumerate() {
            ports[r.chain][r.end] = top + height * (k as f64 + 1.0) / (count + 1.0);
        }
        start = end;
    }
    ports
}

/// Drops repeated points and middle points of straight horizontal or vertical runs.
fn simplify(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = (a.1 == b.1 && b.1 == p.1) || (a.0 == b.0 && b.0 == p.0);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_drops_duplicates_and_straight_middles() {
        let pts = vec![(0.0, 1.0), (5.0, 1.0), (5.0, 1.0), (9.0, 1.0), (12.0, 4.0), (12.0, 4.0)];
        assert_eq!(simplify(pts), vec![(0.0, 1.0), (9.0, 1.0), (12.0, 4.0)]);
    }
}
