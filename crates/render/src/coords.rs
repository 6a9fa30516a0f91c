//! Coordinate assignment: columns left to right sized by their widest box, vertical positions by
//! median alignment to the neighbouring layers followed by an order-keeping compaction that
//! holds boxes at least [`BOX_GAP`] apart.

use chainchief_domain::chain_map::{MapGraph, Stage};

use crate::StageBand;
use crate::layout::Layered;
use crate::text::{BoxText, text_width};

/// Outer margin of the drawing.
pub(crate) const MARGIN: f64 = 24.0;
/// Font size of the map title.
pub(crate) const TITLE_FONT: f64 = 20.0;
/// Baseline of the map title.
pub(crate) const TITLE_BASELINE: f64 = MARGIN + TITLE_FONT;
/// Top of the stage bands.
pub(crate) const BAND_TOP: f64 = 64.0;
/// Font size of the stage headers.
pub(crate) const HEADER_FONT: f64 = 16.0;
/// Baseline of the stage headers.
pub(crate) const HEADER_BASELINE: f64 = BAND_TOP + 26.0;
/// Top of the first box.
pub(crate) const CONTENT_TOP: f64 = BAND_TOP + 44.0;
/// Padding between a band's edge and its columns.
pub(crate) const BAND_PAD: f64 = 16.0;
/// Smallest vertical gap between two boxes, or a box and a passing edge, in one column.
pub(crate) const BOX_GAP: f64 = 16.0;
/// Smallest vertical gap between two edges passing through a column.
const EDGE_GAP: f64 = 10.0;
/// Horizontal room between two columns of one stage.
const CHANNEL: f64 = 64.0;
/// Horizontal room between the last column of a stage and the first of the next.
const STAGE_GAP: f64 = CHANNEL + 2.0 * BAND_PAD + 24.0;
/// Width of a column that only edges pass through.
const EDGE_COLUMN: f64 = 24.0;
/// Width of the column of a stage without nodes.
const EMPTY_COLUMN: f64 = 120.0;
/// Median-alignment rounds (each a downward and an upward pass).
const ALIGN_ROUNDS: usize = 6;

/// Positions of everything the router and the SVG need.
#[derive(Debug, Clone)]
pub(crate) struct Geometry {
    /// Left edge of each graph node's box.
    pub box_x: Vec<f64>,
    /// Top edge of each graph node's box.
    pub box_y: Vec<f64>,
    /// Vertical centre of every item (boxes and virtual nodes).
    pub center: Vec<f64>,
    /// Left edge of each layer's column.
    pub col_left: Vec<f64>,
    /// Right edge of each layer's column.
    pub col_right: Vec<f64>,
    /// Stage bands, upstream first.
    pub bands: Vec<StageBand>,
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
}

/// Assigns box and virtual-node coordinates.
pub(crate) fn place(graph: &MapGraph, l: &Layered, texts: &[BoxText]) -> Geometry {
    let size = |v: usize| match l.items[v].node {
        Some(i) => (texts[i].width, texts[i].height),
        None => (0.0, 0.0),
    };
    let layer_count = l.layers.len();
    let mut col_left = vec![0.0; layer_count];
    let mut col_right = vec![0.0; layer_count];
    let mut x = MARGIN + BAND_PAD;
    for i in 0..layer_count {
        let width = if l.layers[i].is_empty() {
            EMPTY_COLUMN
        } else {
            l.layers[i].iter().map(|&v| size(v).0).fold(EDGE_COLUMN, f64::max)
        };
        col_left[i] = x;
        col_right[i] = x + width;
        let segments: usize = l.layers[i].iter().map(|&v| l.down[v].len()).sum();
        let density = (segments as f64 / 4.0).min(64.0);
        let stage_ends = l.stage_layers.iter().any(|&(_, end)| end == i + 1);
        x = (col_right[i] + density + if stage_ends { STAGE_GAP } else { CHANNEL }).round();
    }
    let bands: Vec<StageBand> = Stage::ALL
        .iter()
        .map(|&stage| {
            let (first, end) = l.stage_layers[stage.index()];
            let left = col_left[first] - BAND_PAD;
            let right = col_right[end.saturating_sub(1).max(first)] + BAND_PAD;
            StageBand { stage, x: left, width: right - left }
        })
        .collect();
    let heights: Vec<f64> = (0..l.items.len()).map(|v| size(v).1).collect();
    let mut center = vertical(l, &heights);
    let top = (0..l.items.len()).map(|v| center[v] - heights[v] / 2.0).fold(f64::INFINITY, f64::min);
    let shift = if top.is_finite() { CONTENT_TOP - top } else { 0.0 };
    let mut bottom = CONTENT_TOP + 40.0;
    // Whole pixels for crisp lines; rounding never eats into the gaps.
    for layer in &l.layers {
        let mut previous: Option<usize> = None;
        for &v in layer {
            let mut top = (center[v] + shift - heights[v] / 2.0).round();
            if let Some(p) = previous {
                top = top.max(center[p] + heights[p] / 2.0 + gap(l, p, v));
            }
            center[v] = top + heights[v] / 2.0;
            bottom = bottom.max(top + heights[v]);
            previous = Some(v);
        }
    }
    let mut box_x = vec![0.0; graph.nodes.len()];
    let mut box_y = vec![0.0; graph.nodes.len()];
    for (v, item) in l.items.iter().enumerate() {
        if let Some(i) = item.node {
            let layer = item.layer;
            box_x[i] = col_left[layer] + ((col_right[layer] - col_left[layer] - texts[i].width) / 2.0).floor();
            box_y[i] = center[v] - texts[i].height / 2.0;
        }
    }
    let content_right = bands.last().map_or(MARGIN, |b| b.x + b.width);
    let title = text_width(&graph.title, TITLE_FONT, true);
    let width = (content_right + MARGIN).max(title + 2.0 * MARGIN).ceil();
    let height = (bottom + BAND_PAD + MARGIN).ceil();
    Geometry { box_x, box_y, center, col_left, col_right, bands, width, height }
}

/// Which neighbours a vertical pass aligns to.
#[derive(Clone, Copy)]
enum Toward {
    Previous,
    Next,
    Both,
}

/// Vertical centres: stacked columns, then alternate median alignment passes.
fn vertical(l: &Layered, heights: &[f64]) -> Vec<f64> {
    let mut center = vec![0.0; l.items.len()];
    for layer in &l.layers {
        let mut y = 0.0;
        for (k, &v) in layer.iter().enumerate() {
            if k > 0 {
                y += gap(l, layer[k - 1], v);
            }
            center[v] = y + heights[v] / 2.0;
            y += heights[v];
        }
    }
    let count = l.layers.len();
    for _ in 0..ALIGN_ROUNDS {
        for i in 1..count {
            align(l, heights, &mut center, i, Toward::Previous);
        }
        for i in (0..count.saturating_sub(1)).rev() {
            align(l, heights, &mut center, i, Toward::Next);
        }
    }
    for _ in 0..2 {
        for i in 0..count {
            align(l, heights, &mut center, i, Toward::Both);
        }
    }
    center
}

/// Smallest gap between two consecutive items of a column.
fn gap(l: &Layered, a: usize, b: usize) -> f64 {
    if l.items[a].node.is_none() && l.items[b].node.is_none() { EDGE_GAP } else { BOX_GAP }
}

/// Median of the centres of `items`, if any.
fn median_center(center: &[f64], items: &[usize]) -> Option<f64> {
    if items.is_empty() {
        return None;
    }
    let mut ys: Vec<f64> = items.iter().map(|&w| center[w]).collect();
    ys.sort_by(f64::total_cmp);
    let m = ys.len() / 2;
    Some(if ys.len() % 2 == 1 { ys[m] } else { (ys[m - 1] + ys[m]) / 2.0 })
}

/// Moves the items of layer `i` as close as the order and the gaps allow to the median of their
/// neighbours (least squares, solved by pool-adjacent-violators).
fn align(l: &Layered, heights: &[f64], center: &mut [f64], i: usize, toward: Toward) {
    let layer = &l.layers[i];
    if layer.is_empty() {
        return;
    }
    let mut desired = Vec::with_capacity(layer.len());
    let mut weight = Vec::with_capacity(layer.len());
    for &v in layer {
        let previous = median_center(center, &l.up[v]);
        let next = median_center(center, &l.down[v]);
        let target = match toward {
            Toward::Previous => previous,
            Toward::Next => next,
            Toward::Both => match (previous, next) {
                (Some(a), Some(b)) => Some((a + b) / 2.0),
                (a, b) => a.or(b),
            },
        };
        desired.push(target.unwrap_or(center[v]));
        // Edge bends cost more than box offsets: virtual nodes pull harder.
        weight.push(match (l.items[v].node, target) {
            (_, None) => 0.5,
            (None, Some(_)) => 2.0,
            (Some(_), Some(_)) => 1.0,
        });
    }
    let mut offset = vec![0.0; layer.len()];
    for k in 1..layer.len() {
        let (a, b) = (layer[k - 1], layer[k]);
        offset[k] = offset[k - 1] + heights[a] / 2.0 + gap(l, a, b) + heights[b] / 2.0;
    }
    let z: Vec<f64> = desired.iter().zip(&offset).map(|(d, o)| d - o).collect();
    let fitted = isotonic(&z, &weight);
    for (k, &v) in layer.iter().enumerate() {
        center[v] = fitted[k] + offset[k];
    }
}

/// Weighted least-squares non-decreasing fit of `z` (pool adjacent violators).
fn isotonic(z: &[f64], w: &[f64]) -> Vec<f64> {
    // Blocks of (weighted sum, weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(z.len());
    for (&zi, &wi) in z.iter().zip(w) {
        blocks.push((zi * wi, wi, 1));
        while blocks.len() >= 2 {
            let (s2, w2, n2) = blocks[blocks.len() - 1];
            let (s1, w1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push((s1 + s2, w1 + w2, n1 + n2));
        }
    }
    let mut out = Vec::with_capacity(z.len());
    for (s, w, n) in blocks {
        out.extend(std::iter::repeat_n(s / w, n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_fit_pools_violators_and_keeps_order() {
        assert_eq!(isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(isotonic(&[5.0, 1.0], &[3.0, 1.0]), vec![4.0, 4.0]);
        let fit = isotonic(&[9.0, 7.0, 5.0, 3.0], &[1.0; 4]);
        assert!(fit.windows(2).all(|p| p[0] <= p[1]));
    }
}
