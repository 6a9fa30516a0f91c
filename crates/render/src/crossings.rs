//! Geometric crossing count of routed edges.

use std::collections::HashMap;

use crate::MapLayout;

/// Width of the vertical strips segments are bucketed into.
const STRIP: f64 = 64.0;

/// A segment with its edge, endpoints and bounding box.
#[derive(Clone, Copy)]
struct Segment {
    edge: usize,
    a: (f64, f64),
    b: (f64, f64),
    min: (f64, f64),
    max: (f64, f64),
}

/// Counts the points where segments of two edges that share no endpoint intersect.
pub fn count_crossings(layout: &MapLayout) -> usize {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut ends = Vec::with_capacity(layout.edges.len());
    for e in &layout.edges {
        let next = ids.len();
        let from = *ids.entry(e.from.as_str()).or_insert(next);
        let next = ids.len();
        let to = *ids.entry(e.to.as_str()).or_insert(next);
        ends.push((from, to));
    }
    let mut segments = Vec::new();
    for (k, e) in layout.edges.iter().enumerate() {
        for w in e.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let min = (a.0.min(b.0), a.1.min(b.1));
            let max = (a.0.max(b.0), a.1.max(b.1));
            segments.push(Segment { edge: k, a, b, min, max });
        }
    }
    if segments.is_empty() {
        return 0;
    }
    let left = segments.iter().map(|s| s.min.0).fold(f64::INFINITY, f64::min);
    let strip = |x: f64| ((x - left) / STRIP).floor().max(0.0) as usize;
    let strips = segments.iter().map(|s| strip(s.max.0)).max().unwrap_or(0) + 1;
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); strips];
    for (i, s) in segments.iter().enumerate() {
        for bucket in &mut buckets[strip(s.min.0)..=strip(s.max.0)] {
            bucket.push(i);
        }
    }
    let mut total = 0;
    for (k, bucket) in buckets.iter_mut().enumerate() {
        // Sorted by top so that the scan for partners stops at the first one below.
        bucket.sort_by(|&a, &b| segments[a].min.1.total_cmp(&segments[b].min.1));
        for (i, &si) in bucket.iter().enumerate() {
            let s = &segments[si];
            for &ti in &bucket[i + 1..] {
                let t = &segments[ti];
                if t.min.1 > s.max.1 {
                    break;
                }
                if s.edge == t.edge
                    || s.max.0 < t.min.0
                    || t.max.0 < s.min.0
                    // Count each pair once: in the strip where both first appear.
                    || strip(s.min.0.max(t.min.0)) != k
                {
                    continue;
                }
                let (ea, eb) = (ends[s.edge], ends[t.edge]);
                if ea.0 == eb.0 || ea.0 == eb.1 || ea.1 == eb.0 || ea.1 == eb.1 {
                    continue;
                }
                if intersects(s.a, s.b, t.a, t.b) {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Twice the signed area of the triangle `p q r`.
fn orient(p: (f64, f64), q: (f64, f64), r: (f64, f64)) -> f64 {
    (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
}

/// Whether `r`, known to be collinear with `p q`, lies within the segment's bounding box.
fn within(p: (f64, f64), q: (f64, f64), r: (f64, f64)) -> bool {
    r.0 >= p.0.min(q.0) && r.0 <= p.0.max(q.0) && r.1 >= p.1.min(q.1) && r.1 <= p.1.max(q.1)
}

/// Whether segments `a0 a1` and `b0 b1` meet. A touch at a segment's end point is counted only
/// at the segment's start, so a polyline passing through a vertex counts once, not twice.
fn intersects(a0: (f64, f64), a1: (f64, f64), b0: (f64, f64), b1: (f64, f64)) -> bool {
    let d1 = orient(b0, b1, a0);
    let d2 = orient(b0, b1, a1);
    let d3 = orient(a0, a1, b0);
    let d4 = orient(a0, a1, b1);
    if d1 != 0.0 && d2 != 0.0 && d3 != 0.0 && d4 != 0.0 {
        return (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0);
    }
    if d1 == 0.0 && d2 == 0.0 {
        // Collinear: count an overlap of positive length.
        let horizontal = (a1.0 - a0.0).abs() >= (a1.1 - a0.1).abs();
        let key = |p: (f64, f64)| if horizontal { p.0 } else { p.1 };
        let (lo_a, hi_a) = (key(a0).min(key(a1)), key(a0).max(key(a1)));
        let (lo_b, hi_b) = (key(b0).min(key(b1)), key(b0).max(key(b1)));
        return lo_a.max(lo_b) < hi_a.min(hi_b);
    }
    // One end touches the other segment: count it unless it is a segment's far end.
    (d1 == 0.0 && within(b0, b1, a0) && (d3 > 0.0) != (d4 > 0.0) && a0 != b1)
        || (d3 == 0.0 && within(a0, a1, b0) && (d1 > 0.0) != (d2 > 0.0) && b0 != a1)
        || (d1 == 0.0 && d3 == 0.0 && a0 == b0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoutedEdge;

    type Polyline<'a> = (&'a str, &'a str, Vec<(f64, f64)>);

    fn layout_of(edges: Vec<Polyline>) -> MapLayout {
        MapLayout {
            width: 100.0,
            height: 100.0,
            nodes: Vec::new(),
            edges: edges
                .into_iter()
                .map(|(f, t, points)| RoutedEdge { from: f.into(), to: t.into(), points })
                .collect(),
            crossings: 0,
            stages: Vec::new(),
        }
    }

    #[test]
    fn strip_bucketing_matches_checking_every_pair() {
        let l = crate::layout(&crate::synthetic(120, 240, 8));
        let mut brute = 0;
        for (i, a) in l.edges.iter().enumerate() {
            for b in &l.edges[i + 1..] {
                if a.from == b.from || a.from == b.to || a.to == b.from || a.to == b.to {
                    continue;
                }
                for s in a.points.windows(2) {
                    for t in b.points.windows(2) {
                        brute += usize::from(intersects(s[0], s[1], t[0], t[1]));
                    }
                }
            }
        }
        assert!(brute > 100, "{brute}");
        assert_eq!(count_crossings(&l), brute);
    }

    #[test]
    fn an_x_is_one_crossing_and_parallel_lines_none() {
        let x = layout_of(vec![("a", "b", vec![(0.0, 0.0), (10.0, 10.0)]), ("c", "d", vec![(0.0, 10.0), (10.0, 0.0)])]);
        assert_eq!(count_crossings(&x), 1);
        let par = layout_of(vec![("a", "b", vec![(0.0, 0.0), (10.0, 0.0)]), ("c", "d", vec![(0.0, 5.0), (10.0, 5.0)])]);
        assert_eq!(count_crossings(&par), 0);
    }

    #[test]
    fn edges_sharing_an_endpoint_are_not_counted() {
        let x = layout_of(vec![("a", "b", vec![(0.0, 0.0), (10.0, 10.0)]), ("a", "d", vec![(0.0, 10.0), (10.0, 0.0)])]);
        assert_eq!(count_crossings(&x), 0);
    }

    #[test]
    fn a_crossing_through_a_polyline_vertex_counts_once() {
        let x = layout_of(vec![
            ("a", "b", vec![(0.0, 0.0), (5.0, 5.0), (10.0, 10.0)]),
            ("c", "d", vec![(0.0, 10.0), (10.0, 0.0)]),
        ]);
        assert_eq!(count_crossings(&x), 1);
    }

    #[test]
    fn polylines_crossing_twice_count_twice_across_strips() {
        let x = layout_of(vec![
            ("a", "b", vec![(0.0, 0.0), (150.0, 20.0), (300.0, 0.0)]),
            ("c", "d", vec![(0.0, 10.0), (300.0, 10.0)]),
        ]);
        assert_eq!(count_crossings(&x), 2);
    }
}
