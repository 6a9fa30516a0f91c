//! The SVG document of a chain map. Styling is done with presentation attributes only (no
//! `<style>`, no `style=`, no script), so the map works inline under a strict CSP and prints as
//! drawn.

use std::fmt::{self, Write};

use chainchief_domain::chain_map::{MapGraph, MapNode, NodeRating};

use crate::coords::{BAND_TOP, HEADER_BASELINE, HEADER_FONT, MARGIN, TITLE_BASELINE, TITLE_FONT};
use crate::layout::node_index;
use crate::text::{BADGE_ROOM, NAME_FONT, NAME_LINE, PAD_X, PAD_Y, SMALL_FONT, SMALL_LINE, name_lines, text_width};
use crate::xml::{escape, num};
use crate::{MapLayout, PlacedNode};

/// Which map to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// 产业链全景图: neutral boxes.
    Panorama,
    /// 产业链现状图: boxes coloured by rating.
    Status,
}

impl MapKind {
    /// Chinese name of the map.
    pub fn label(self) -> &'static str {
        match self {
            MapKind::Panorama => "产业链全景图",
            MapKind::Status => "产业链现状图",
        }
    }
}

/// Font stack of every text in the map.
/// The id of a chain map's `<title>`: it marks an SVG as a map (printed with legible node text).
pub(crate) const MAP_TITLE_ID: &str = "cc-map-title";
pub(crate) const FONT_FAMILY: &str = "\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif";
/// Height added below the layout for the legend.
const LEGEND_HEIGHT: f64 = 24.0;
/// Main text colour.
pub(crate) const INK: &str = "#1F2933";
/// Secondary text colour (counts, enterprises).
pub(crate) const INK_SOFT: &str = "#374151";
/// Page background.
pub(crate) const PAPER: &str = "#FFFFFF";
/// Stage band background.
pub(crate) const BAND: &str = "#F1F4F8";
/// Edge colour.
const EDGE: &str = "#5B6470";
/// Background of the "关键" tag (its text is white).
pub(crate) const KEY_TAG: &str = "#1F4E8C";

/// Colours of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BoxStyle {
    /// Fill.
    pub fill: &'static str,
    /// Outline.
    pub stroke: &'static str,
    /// Colour of the rating word.
    pub word: &'static str,
    /// Dashed outline.
    pub dashed: bool,
}

/// The neutral box of the panorama map (and of unrated nodes).
pub(crate) const NEUTRAL: BoxStyle = BoxStyle { fill: "#FFFFFF", stroke: "#52606D", word: INK_SOFT, dashed: false };

/// Box colours of a rating: 优势 green, 潜力 blue, 薄弱 amber, 空白 grey with a dashed outline.
pub(crate) fn rating_style(rating: NodeRating) -> BoxStyle {
    match rating {
        NodeRating::Advantage => BoxStyle { fill: "#E3F4E8", stroke: "#1E7B34", word: "#135C25", dashed: false },
        NodeRating::Potential => BoxStyle { fill: "#E3EEFB", stroke: "#1A5FB4", word: "#0B4A8F", dashed: false },
        NodeRating::Weak => BoxStyle { fill: "#FFF1D6", stroke: "#B26A00", word: "#774700", dashed: false },
        NodeRating::Blank => BoxStyle { fill: "#F1F3F5", stroke: "#6B7280", word: "#4B5563", dashed: true },
    }
}

/// Renders a laid-out map as a standalone SVG 1.1 document; `href` gives the link of a node id.
pub fn svg(graph: &MapGraph, layout: &MapLayout, kind: MapKind, href: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(1024 + layout.nodes.len() * 900 + layout.edges.len() * 120);
    if write_svg(&mut out, graph, layout, kind, href).is_err() {
        out.clear();
    }
    out
}

fn write_svg(
    out: &mut String,
    graph: &MapGraph,
    layout: &MapLayout,
    kind: MapKind,
    href: &dyn Fn(&str) -> Option<String>,
) -> fmt::Result {
    let legend = legend_items(graph, kind);
    let legend_width = legend.iter().map(|i| i.width()).sum::<f64>() + text_width(&legend_caption(kind), 13.0, true);
    let width = layout.width.max((legend_width + 2.0 * MARGIN).ceil());
    let height = layout.height + LEGEND_HEIGHT;
    let (w, h) = (num(width), num(height));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{}" font-size="12" fill="{INK}" role="img" aria-labelledby="{MAP_TITLE_ID}">"#,
        escape(FONT_FAMILY)
    )?;
    writeln!(out, r#"<title id="{MAP_TITLE_ID}">{} · {}</title>"#, escape(&graph.title), kind.label())?;
    writeln!(
        out,
        r#"<defs><marker id="cc-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker></defs>"#
    )?;
    writeln!(out, r#"<rect x="0" y="0" width="{w}" height="{h}" fill="{PAPER}"/>"#)?;
    writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="bold">{}</text>"#,
        num(MARGIN),
        num(TITLE_BASELINE),
        num(TITLE_FONT),
        escape(&graph.title)
    )?;
    let band_height = layout.height - MARGIN - BAND_TOP;
    for band in &layout.stages {
        writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{BAND}"/>"#,
            num(band.x),
            num(BAND_TOP),
            num(band.width),
            num(band_height)
        )?;
        writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" text-anchor="middle">{}</text>"#,
            num(band.x + band.width / 2.0),
            num(HEADER_BASELINE),
            num(HEADER_FONT),
            band.stage.label()
        )?;
    }
    writeln!(out, r#"<g fill="none" stroke="{EDGE}" stroke-width="1.3" marker-end="url(#cc-arrow)">"#)?;
    for e in &layout.edges {
        let points: Vec<String> = e.points.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
        writeln!(out, r#"<polyline points="{}"/>"#, points.join(" "))?;
    }
    writeln!(out, "</g>")?;
    let index = node_index(graph);
    for (i, placed) in layout.nodes.iter().enumerate() {
        // Boxes are in graph order; look the node up by id only if the two disagree.
        let same = graph.nodes.get(i).filter(|n| n.id == placed.id);
        if let Some(n) = same.or_else(|| index.get(placed.id.as_str()).map(|&k| &graph.nodes[k])) {
            node(out, n, placed, kind, href)?;
        }
    }
    write_legend(out, &legend, kind, layout.height - MARGIN + 14.0)?;
    writeln!(out, "</svg>")
}

/// One node: optional link, hover title, box, name, tag, count, rating word and enterprises.
fn node(
    out: &mut String,
    n: &MapNode,
    p: &PlacedNode,
    kind: MapKind,
    href: &dyn Fn(&str) -> Option<String>,
) -> fmt::Result {
    let style = match (kind, n.rating) {
        (MapKind::Status, Some(r)) => rating_style(r),
        _ => NEUTRAL,
    };
    let link = href(&n.id);
    if let Some(url) = &link {
        let url = escape(url);
        writeln!(out, r#"<a xlink:href="{url}" href="{url}">"#)?;
    }
    writeln!(out, r#"<g>"#)?;
    writeln!(out, "<title>{}</title>", escape(&hover(n, kind)))?;
    let dash = if style.dashed { r#" stroke-dasharray="6 4""# } else { "" };
    writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" stroke="{}" stroke-width="{}"{dash}/>"#,
        num(p.x),
        num(p.y),
        num(p.width),
        num(p.height),
        style.fill,
        style.stroke,
        if n.key { "3" } else { "1.3" }
    )?;
    let names = name_lines(&n.name).len().min(p.lines.len());
    let left = num(p.x + PAD_X);
    let right = p.x + p.width - PAD_X;
    for (k, line) in p.lines[..names].iter().enumerate() {
        let y = p.y + PAD_Y + 15.0 + k as f64 * NAME_LINE;
        writeln!(
            out,
            r#"<text x="{left}" y="{}" font-size="{}" font-weight="bold">{}</text>"#,
            num(y),
            num(NAME_FONT),
            escape(line)
        )?;
    }
    let small_top = p.y + PAD_Y + names as f64 * NAME_LINE;
    let small = p.lines.len() - names;
    let first_mark = small - n.marks.len().min(crate::text::MAX_MARKS).min(small.saturating_sub(1));
    for (k, line) in p.lines[names..].iter().enumerate() {
        let y = num(small_top + 13.0 + k as f64 * SMALL_LINE);
        let colour = if k >= first_mark { KEY_TAG } else { INK_SOFT };
        writeln!(out, r#"<text x="{left}" y="{y}" fill="{colour}">{}</text>"#, escape(line))?;
        if k == 0
            && kind == MapKind::Status
            && let Some(r) = n.rating
        {
            writeln!(
                out,
                r#"<text x="{}" y="{y}" font-weight="bold" text-anchor="end" fill="{}">{}</text>"#,
                num(right),
                style.word,
                r.label()
            )?;
        }
    }
    if n.key {
        // Drawn last so that every text above sits directly on the box fill.
        key_tag(out, right, p.y + PAD_Y + 1.0)?;
    }
    writeln!(out, "</g>")?;
    if link.is_some() {
        writeln!(out, "</a>")?;
    }
    Ok(())
}

/// The "关键" tag, right-aligned at `right`, top at `top`.
fn key_tag(out: &mut String, right: f64, top: f64) -> fmt::Result {
    let w = BADGE_ROOM - 8.0;
    writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="18" rx="3" fill="{KEY_TAG}"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{PAPER}">关键</text>"#,
        num(right - w),
        num(top),
        num(w),
        num(right - w / 2.0),
        num(top + 13.5),
        num(SMALL_FONT)
    )
}

/// Hover text of a node: on the status map the rating and its inputs.
fn hover(n: &MapNode, kind: MapKind) -> String {
    let mut s = n.name.clone();
    if n.key {
        s.push_str("（关键环节）");
    }
    match kind {
        MapKind::Status => {
            s.push('：');
            s.push_str(n.rating.map_or("未评级", NodeRating::label));
            let note = n.rating_note.trim();
            if !note.is_empty() {
                s.push('。');
                s.push_str(note);
            }
        }
        MapKind::Panorama => {
            s.push('：');
            s.push_str(&crate::text::count_line(n.local_enterprises));
            let names: Vec<&str> = n.key_enterprises.iter().map(|e| e.trim()).filter(|e| !e.is_empty()).collect();
            if !names.is_empty() {
                s.push_str("。重点企业：");
                s.push_str(&names.join("、"));
            }
        }
    }
    if !n.marks.is_empty() {
        s.push('。');
        s.push_str(&n.marks.join("；"));
    }
    s
}

/// An entry of the legend.
#[derive(Debug, Clone)]
enum LegendItem {
    /// A box swatch in a style, with a word; `key` draws the thick border and tag.
    Swatch { style: BoxStyle, key: bool, word: String },
    /// The edge arrow with its meaning.
    Arrow(String),
    /// A layer's mark line with its meaning.
    Mark(String),
}

impl LegendItem {
    /// Horizontal room taken.
    fn width(&self) -> f64 {
        match self {
            LegendItem::Swatch { key, word, .. } => {
                (if *key { 44.0 } else { 28.0 }) + 6.0 + text_width(word, SMALL_FONT, false) + 20.0
            }
            LegendItem::Arrow(word) => 36.0 + 6.0 + text_width(word, SMALL_FONT, false) + 20.0,
            LegendItem::Mark(word) => text_width(word, SMALL_FONT, false) + 20.0,
        }
    }
}

/// Caption in front of the legend.
fn legend_caption(kind: MapKind) -> String {
    format!("图例（{}）", kind.label())
}

/// Legend entries: the four ratings (and 未评级 when present) on the status map; node kinds on
/// the panorama; the key-node border and the edge meaning on both.
fn legend_items(graph: &MapGraph, kind: MapKind) -> Vec<LegendItem> {
    let mut items = Vec::new();
    match kind {
        MapKind::Status => {
            for &r in NodeRating::ALL {
                items.push(LegendItem::Swatch { style: rating_style(r), key: false, word: r.label().to_string() });
            }
            if graph.nodes.iter().any(|n| n.rating.is_none()) {
                items.push(LegendItem::Swatch { style: NEUTRAL, key: false, word: "未评级".to_string() });
            }
        }
        MapKind::Panorama => {
            items.push(LegendItem::Swatch { style: NEUTRAL, key: false, word: "一般环节".to_string() });
        }
    }
    items.push(LegendItem::Swatch { style: NEUTRAL, key: true, word: "关键环节".to_string() });
    items.push(LegendItem::Arrow("供给关系（供方 → 需方）".to_string()));
    if graph.nodes.iter().any(|n| !n.marks.is_empty()) {
        items.push(LegendItem::Mark("◆ 创新联合体（平台）及本环节成员".to_string()));
    }
    items
}

/// Draws the legend row with its top at `top`.
fn write_legend(out: &mut String, items: &[LegendItem], kind: MapKind, top: f64) -> fmt::Result {
    let caption = legend_caption(kind);
    let baseline = top + 14.0;
    writeln!(out, r#"<g font-size="{}">"#, num(SMALL_FONT))?;
    writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold">{caption}</text>"#,
        num(MARGIN),
        num(baseline)
    )?;
    let mut x = MARGIN + text_width(&caption, 13.0, true) + 8.0;
    for item in items {
        match item {
            LegendItem::Swatch { style, key, word } => {
                let w = if *key { 44.0 } else { 28.0 };
                let dash = if style.dashed { r#" stroke-dasharray="6 4""# } else { "" };
                writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="18" rx="4" fill="{}" stroke="{}" stroke-width="{}"{dash}/>"#,
                    num(x),
                    num(top),
                    num(w),
                    style.fill,
                    style.stroke,
                    if *key { "3" } else { "1.3" }
                )?;
                if *key {
                    writeln!(
                        out,
                        r#"<text x="{}" y="{}" text-anchor="middle" fill="{KEY_TAG}" font-weight="bold">关键</text>"#,
                        num(x + w / 2.0),
                        num(baseline)
                    )?;
                }
                writeln!(out, r#"<text x="{}" y="{}">{}</text>"#, num(x + w + 6.0), num(baseline), escape(word))?;
            }
            LegendItem::Arrow(word) => {
                let y = num(top + 9.0);
                writeln!(
                    out,
                    r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{EDGE}" stroke-width="1.3" marker-end="url(#cc-arrow)"/>"#,
                    num(x),
                    num(x + 36.0)
                )?;
                writeln!(out, r#"<text x="{}" y="{}">{}</text>"#, num(x + 42.0), num(baseline), escape(word))?;
            }
            LegendItem::Mark(word) => {
                writeln!(
                    out,
                    r#"<text x="{}" y="{}" fill="{KEY_TAG}">{}</text>"#,
                    num(x),
                    num(baseline),
                    escape(word)
                )?;
            }
        }
        x += item.width();
    }
    writeln!(out, "</g>")
}
