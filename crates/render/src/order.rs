//! Crossing minimisation: the order of items inside each layer. Two deterministic start orders
//! (depth-first and breadth-first from the nodes in input order) are each improved by alternate
//! down/up median sweeps with barycenter tie-breaks and adjacent-exchange (transpose) passes;
//! the ordering with the fewest crossings found is kept.

use std::collections::VecDeque;

use crate::layout::Layered;

/// Sweep iterations at least (one iteration = a down and an up sweep).
const MIN_ITERATIONS: usize = 8;
/// Sweep iterations at most.
const MAX_ITERATIONS: usize = 24;
/// Iterations without improvement after which a run stops (once past the minimum).
const PATIENCE: usize = 4;
/// Transpose rounds at most per call.
const TRANSPOSE_ROUNDS: usize = 16;

/// Reorders `l.layers` to reduce edge crossings; returns the crossings between adjacent layers
/// of the ordering kept.
pub(crate) fn minimise(l: &mut Layered) -> usize {
    let starts = [depth_first(l), breadth_first(l)];
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    for start in starts {
        l.layers = start;
        let found = improve(l);
        if best.as_ref().is_none_or(|(c, _)| found < *c) {
            best = Some((found, l.layers.clone()));
        }
        if found == 0 {
            break;
        }
    }
    match best {
        Some((c, layers)) => {
            l.layers = layers;
            c
        }
        None => 0,
    }
}

/// Runs the sweeps from the current order; leaves the best order found in `l.layers`.
fn improve(l: &mut Layered) -> usize {
    let mut pos = positions(l);
    transpose(l, &mut pos);
    let mut best = total_crossings(l, &pos);
    let mut best_layers = l.layers.clone();
    let mut stale = 0;
    for iteration in 0..MAX_ITERATIONS {
        if best == 0 || (iteration >= MIN_ITERATIONS && stale >= PATIENCE) {
            break;
        }
        let mut improved = false;
        for downward in [true, false] {
            sweep(l, &mut pos, downward);
            transpose(l, &mut pos);
            let c = total_crossings(l, &pos);
            if c < best {
                best = c;
                best_layers.clone_from(&l.layers);
                improved = true;
            }
        }
        stale = if improved { 0 } else { stale + 1 };
    }
    l.layers = best_layers;
    best
}

/// Position of every item inside its layer.
fn positions(l: &Layered) -> Vec<usize> {
    let mut pos = vec![0; l.items.len()];
    for layer in &l.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Start order: items appended to their layers as a depth-first walk over the (undirected)
/// layered graph meets them, starting from the graph's nodes in input order.
fn depth_first(l: &Layered) -> Vec<Vec<usize>> {
    let mut layers = vec![Vec::new(); l.layers.len()];
    let mut seen = vec![false; l.items.len()];
    for root in roots(l) {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            layers[l.items[v].layer].push(v);
            for &w in l.down[v].iter().chain(&l.up[v]).rev() {
                if !seen[w] {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
    }
    layers
}

/// Start order: as [`depth_first`] but breadth-first.
fn breadth_first(l: &Layered) -> Vec<Vec<usize>> {
    let mut layers = vec![Vec::new(); l.layers.len()];
    let mut seen = vec![false; l.items.len()];
    for root in roots(l) {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut queue = VecDeque::from([root]);
        while let Some(v) = queue.pop_front() {
            layers[l.items[v].layer].push(v);
            for &w in l.down[v].iter().chain(&l.up[v]) {
                if !seen[w] {
                    seen[w] = true;
                    queue.push_back(w);
                }
            }
        }
    }
    layers
}

/// Walk roots: real nodes without predecessors first, then all items, each in input order.
fn roots(l: &Layered) -> impl Iterator<Item = usize> + '_ {
    let sources = (0..l.items.len()).filter(|&v| l.items[v].node.is_some() && l.up[v].is_empty());
    sources.chain(0..l.items.len())
}

/// One median sweep: each layer is sorted by the weighted median (then barycenter) of its
/// neighbours' positions in the layer just fixed; items without such neighbours keep their slot.
fn sweep(l: &mut Layered, pos: &mut [usize], downward: bool) {
    let count = l.layers.len();
    let order: Vec<usize> = if downward { (1..count).collect() } else { (0..count.saturating_sub(1)).rev().collect() };
    let mut around = Vec::new();
    for i in order {
        let layer = &l.layers[i];
        let mut keyed: Vec<(f64, f64, usize, usize)> = Vec::with_capacity(layer.len());
        let mut fixed = vec![false; layer.len()];
        for (slot, &v) in layer.iter().enumerate() {
            let neighbours = if downward { &l.up[v] } else { &l.down[v] };
            if neighbours.is_empty() {
                fixed[slot] = true;
                continue;
            }
            around.clear();
            around.extend(neighbours.iter().map(|&w| pos[w] as f64));
            around.sort_by(f64::total_cmp);
            let bary = around.iter().sum::<f64>() / around.len() as f64;
            keyed.push((median(&around), bary, slot, v));
        }
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut movable = keyed.into_iter().map(|k| k.3);
        let mut next = Vec::with_capacity(layer.len());
        for (slot, &v) in layer.iter().enumerate() {
            if fixed[slot] {
                next.push(v);
            } else if let Some(m) = movable.next() {
                next.push(m);
            }
        }
        for (p, &v) in next.iter().enumerate() {
            pos[v] = p;
        }
        l.layers[i] = next;
    }
}

/// Weighted median of sorted positions (Gansner et al.): for an even count the two middle
/// values are weighted toward the side where the neighbours are packed more tightly.
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    let m = n / 2;
    if n % 2 == 1 {
        sorted[m]
    } else if n == 2 {
        (sorted[0] + sorted[1]) / 2.0
    } else {
        let left = sorted[m - 1] - sorted[0];
        let right = sorted[n - 1] - sorted[m];
        if left + right == 0.0 {
            (sorted[m - 1] + sorted[m]) / 2.0
        } else {
            (sorted[m - 1] * right + sorted[m] * left) / (left + right)
        }
    }
}

/// Adjacent-exchange: swaps neighbouring items of a layer while that strictly reduces the
/// crossings with both adjacent layers.
fn transpose(l: &mut Layered, pos: &mut [usize]) {
    for _ in 0..TRANSPOSE_ROUNDS {
        let mut improved = false;
        for i in 0..l.layers.len() {
            for j in 0..l.layers[i].len().saturating_sub(1) {
                let (u, v) = (l.layers[i][j], l.layers[i][j + 1]);
                let (keep, swap) = pair_crossings(l, pos, u, v);
                if swap < keep {
                    l.layers[i].swap(j, j + 1);
                    pos[u] = j + 1;
                    pos[v] = j;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings among the edges of `u` and `v` with `u` before `v`, and with `v` before `u`.
fn pair_crossings(l: &Layered, pos: &[usize], u: usize, v: usize) -> (usize, usize) {
    let mut keep = 0;
    let mut swap = 0;
    for (nu, nv) in [(&l.up[u], &l.up[v]), (&l.down[u], &l.down[v])] {
        for &a in nu {
            for &b in nv {
                if pos[a] > pos[b] {
                    keep += 1;
                } else if pos[a] < pos[b] {
                    swap += 1;
                }
            }
        }
    }
    (keep, swap)
}

/// Crossings between all adjacent layer pairs (inversions counted with a Fenwick tree).
pub(crate) fn total_crossings(l: &Layered, pos: &[usize]) -> usize {
    let mut total = 0;
    let mut targets = Vec::new();
    let mut tree = Vec::new();
    for i in 0..l.layers.len().saturating_sub(1) {
        let width = l.layers[i + 1].len();
        tree.clear();
        tree.resize(width + 1, 0usize);
        let mut inserted = 0;
        for &u in &l.layers[i] {
            targets.clear();
            targets.extend(l.down[u].iter().map(|&w| pos[w]));
            targets.sort_unstable();
            for &p in &targets {
                // Earlier edges ending strictly below p cross this one.
                total += inserted - prefix(&tree, p + 1);
            }
            for &p in &targets {
                add(&mut tree, p + 1);
                inserted += 1;
            }
        }
    }
    total
}

/// Fenwick prefix sum over 1-based indices `1..=i`.
fn prefix(tree: &[usize], mut i: usize) -> usize {
    let mut s = 0;
    while i > 0 {
        s += tree[i];
        i &= i - 1;
    }
    s
}

/// Fenwick increment at 1-based index `i`.
fn add(tree: &mut [usize], mut i: usize) {
    while i < tree.len() {
        tree[i] += 1;
        i += i & i.wrapping_neg();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{build, kept_edges, sub_layers};
    use crate::synthetic;

    fn layered(nodes: usize, edges: usize, seed: u64) -> Layered {
        let g = synthetic(nodes, edges, seed);
        let e = kept_edges(&g);
        let s = sub_layers(&g, &e);
        build(&g, &e, &s)
    }

    fn brute_force(l: &Layered) -> usize {
        let pos = positions(l);
        let mut total = 0;
        for layer in &l.layers {
            let segs: Vec<(usize, usize)> =
                layer.iter().flat_map(|&u| l.down[u].iter().map(move |&w| (u, w))).collect();
            for (i, a) in segs.iter().enumerate() {
                for b in &segs[i + 1..] {
                    let (pa, pb) = (pos[a.0] as i64 - pos[b.0] as i64, pos[a.1] as i64 - pos[b.1] as i64);
                    if pa * pb < 0 {
                        total += 1;
                    }
                }
            }
        }
        total
    }

    #[test]
    fn fenwick_count_matches_brute_force() {
        let l = layered(60, 120, 7);
        assert_eq!(total_crossings(&l, &positions(&l)), brute_force(&l));
        assert!(brute_force(&l) > 0);
    }

    #[test]
    fn minimising_beats_the_input_order_and_reports_what_it_kept() {
        let mut l = layered(120, 240, 3);
        let before = total_crossings(&l, &positions(&l));
        let after = minimise(&mut l);
        assert_eq!(after, brute_force(&l));
        assert!(after * 2 < before, "{after} vs {before}");
    }

    #[test]
    fn ordering_keeps_every_item_exactly_once() {
        let mut l = layered(80, 160, 11);
        let mut before: Vec<Vec<usize>> = l.layers.clone();
        minimise(&mut l);
        let mut after = l.layers.clone();
        for layer in before.iter_mut().chain(after.iter_mut()) {
            layer.sort_unstable();
        }
        assert_eq!(before, after);
    }

    #[test]
    fn weighted_median_leans_toward_the_tighter_side() {
        assert_eq!(median(&[1.0, 2.0, 9.0]), 2.0);
        assert_eq!(median(&[1.0, 3.0]), 2.0);
        let m = median(&[0.0, 1.0, 2.0, 10.0]);
        assert!(m > 1.0 && m < 2.0 && m < 1.5, "{m}");
    }
}
