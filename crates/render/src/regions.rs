//! The 区域分布图: a city's parks and towns as the rectangles its plan lays out on a 100 × 100
//! grid, each with its enterprises and projects, as a standalone SVG (no map tiles).

use crate::svg::{FONT_FAMILY, INK, INK_SOFT, KEY_TAG};
use crate::text::ellipsis;
use crate::xml::{escape, num};
use std::fmt::Write;

/// A region as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionBox {
    /// Name.
    pub name: String,
    /// x, y, width, height on the 100 × 100 grid.
    pub area: [u32; 4],
    /// Names of the enterprises in it, most important first.
    pub enterprises: Vec<String>,
    /// Projects in it.
    pub projects: usize,
}

/// Pixels per grid unit.
const UNIT: f64 = 9.0;
/// Room above the grid for the title.
const TOP: f64 = 40.0;
/// Margin around the grid.
const MARGIN: f64 = 16.0;
/// Height of one small line.
const LINE: f64 = 16.0;

/// Fill of a region holding `n` enterprises when the fullest holds `most`: paler when emptier.
fn fill(n: usize, most: usize) -> String {
    let t = if most == 0 { 0.0 } else { n as f64 / most as f64 };
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    format!("#{:02X}{:02X}{:02X}", mix(246.0, 200.0), mix(248.0, 220.0), mix(251.0, 244.0))
}

/// The map of `regions` titled `title`; larger regions are drawn first so that the ones inside
/// them stay visible.
pub fn regions_svg(title: &str, regions: &[RegionBox]) -> String {
    let side = 100.0 * UNIT;
    let (w, h) = (side + 2.0 * MARGIN, TOP + side + MARGIN + 24.0);
    let mut out = String::new();
    let most = regions.iter().map(|r| r.enterprises.len()).max().unwrap_or(0);
    let mut order: Vec<&RegionBox> = regions.iter().collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.area[2] * r.area[3]));
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}" font-size="12" fill="{INK}" role="img" aria-label="{}">"#,
        num(w),
        num(h),
        num(w),
        num(h),
        escape(FONT_FAMILY),
        escape(title)
    );
    let _ =
        writeln!(out, r#"<text x="{}" y="26" font-size="16" font-weight="bold">{}</text>"#, num(MARGIN), escape(title));
    for r in order {
        let [x, y, rw, rh] = r.area.map(f64::from);
        let (px, py, pw, ph) = (MARGIN + x * UNIT, TOP + y * UNIT, rw * UNIT, rh * UNIT);
        let _ = writeln!(
            out,
            r#"<g><title>{}：企业{}家，项目{}个</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" stroke="{KEY_TAG}" stroke-width="1.2"/>"#,
            escape(&r.name),
            r.enterprises.len(),
            r.projects,
            num(px),
            num(py),
            num(pw),
            num(ph),
            fill(r.enterprises.len(), most)
        );
        let chars = ((pw - 16.0) / 12.0).floor().max(2.0) as usize;
        let name = ellipsis(&r.name, chars);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-size="14" font-weight="bold">{}</text>"#,
            num(px + 8.0),
            num(py + 20.0),
            escape(&name)
        );
        let count = format!("企业{}家 · 项目{}个", r.enterprises.len(), r.projects);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" fill="{INK_SOFT}">{}</text>"#,
            num(px + 8.0),
            num(py + 38.0),
            escape(&ellipsis(&count, chars))
        );
        // Enterprise names as room allows, above any region drawn inside this one.
        let room = ((ph.min(26.0 * UNIT) - 50.0) / LINE).floor().max(0.0) as usize;
        let shown: Vec<&String> = r.enterprises.iter().take(room.min(6)).collect();
        for (i, e) in shown.iter().enumerate() {
            let last = i + 1 == shown.len() && r.enterprises.len() > shown.len();
            let line = if last { format!("等{}家", r.enterprises.len()) } else { ellipsis(e, chars) };
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" fill="{INK_SOFT}">{}</text>"#,
                num(px + 8.0),
                num(py + 56.0 + i as f64 * LINE),
                escape(&line)
            );
        }
        let _ = writeln!(out, "</g>");
    }
    let legend = "色块越深，本区域企业越多；区域位置为示意，按规划文件布置";
    let _ =
        writeln!(out, r#"<text x="{}" y="{}" fill="{INK_SOFT}">{}</text>"#, num(MARGIN), num(h - 10.0), escape(legend));
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_drawn_largest_first_with_their_counts_and_names() {
        let outer = RegionBox {
            name: "高新区".into(),
            area: [0, 0, 60, 100],
            enterprises: vec!["甲".into(), "乙".into()],
            projects: 1,
        };
        let inner =
            RegionBox {
                name: "PCB产业园".into(), area: [5, 40, 30, 30], enterprises: vec!["丙".into()], projects: 0
            };
        let svg = regions_svg("区域分布图", &[inner, outer]);
        assert!(svg.find("高新区").expect("outer") < svg.find("PCB产业园").expect("inner"), "outer first");
        assert!(svg.contains("企业2家 · 项目1个") && svg.contains("丙"), "{svg}");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}
