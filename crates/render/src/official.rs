//! The official document (公文) as a view: what the DOCX and PDF writers lay out in the format of
//! GB/T 9704-2012.

/// A document to render.
#[derive(Debug, Clone, Default)]
pub struct OfficialDoc {
    /// 发文机关标志, e.g. 汨罗市产业链链长制工作办公室.
    pub issuer: String,
    /// 发文字号 or issue line, e.g. 2026年第10期.
    pub number: String,
    /// Title.
    pub title: String,
    /// 主送机关, or empty.
    pub recipient: String,
    /// The body, in order.
    pub blocks: Vec<Block>,
    /// Signature (落款).
    pub signer: String,
    /// Date, e.g. 2026年11月26日.
    pub date: String,
}

/// One part of the body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph; a short line starting 一、… is a first-level heading, （一）… a second-level one.
    Text(String),
    /// A table with a caption, a header row and body rows.
    Table { caption: String, header: Vec<String>, rows: Vec<Vec<String>> },
    /// A map or chart: the SVG, and a PNG of it for writers that cannot embed SVG.
    Figure { caption: String, svg: String, png: Option<Png> },
    /// The next block starts on a new page.
    PageBreak,
}

/// A raster image with its size in pixels.
#[derive(Debug, Clone)]
pub struct Png {
    /// The PNG file.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// The level of a text line: a first-level heading (一、), a second-level one (（一）) or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 一、… in 黑体.
    Heading1,
    /// （一）… in 楷体.
    Heading2,
    /// Body text in 仿宋.
    Body,
}

const FIRST: [&str; 10] = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"];

/// The level of a line by its numbering, as GB/T 9704 numbers the levels of a text.
pub fn level(line: &str) -> Level {
    let short = line.chars().count() < 40;
    if short && FIRST.iter().any(|m| line.starts_with(m)) {
        Level::Heading1
    } else if short && line.starts_with('（') && line.chars().nth(2) == Some('）') {
        Level::Heading2
    } else {
        Level::Body
    }
}

/// The height of a figure over its width, from the `viewBox` of the SVG's root element.
pub fn aspect(svg: &str) -> Option<f64> {
    size(svg).map(|(w, h)| h / w)
}

/// The size of a figure in its own units, from the `viewBox` of the SVG's root element.
fn size(svg: &str) -> Option<(f64, f64)> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let start = root.find("viewBox=\"")? + "viewBox=\"".len();
    let values: Vec<f64> =
        root[start..].split('"').next()?.split([' ', ',']).filter_map(|v| v.trim().parse().ok()).collect();
    match values.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((*w, *h)),
        _ => None,
    }
}

/// Text width and the height a figure may take, in pt, of a portrait GB/T 9704 page (156 × 200 mm).
const PORTRAIT: (f64, f64) = (442.2, 566.9);
/// The same of a landscape page of a figure, whose margins are 15 mm (20 mm at the page number):
/// 267 × 167 mm, the 175 mm of the page less a caption.
const LANDSCAPE: (f64, f64) = (756.9, 473.4);
/// The smallest text a printed chain map may have, in pt.
pub const MAP_TEXT_PT: f64 = 8.0;

/// How a figure is printed on A4: on a portrait or a landscape page, how wide it is drawn (pt),
/// and the grid of page-sized parts (columns × rows) it is cut into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// On a landscape page of its own.
    pub landscape: bool,
    /// Width the whole figure is drawn at, in pt.
    pub width: f64,
    /// Width of one part's window (the page's text width, or the figure's when it fits), in pt.
    pub part_width: f64,
    /// Parts side by side.
    pub cols: usize,
    /// Parts one above the other.
    pub rows: usize,
}

/// Where a figure goes: a chart at the text width of a portrait page; a chain map as large as
/// fits its page but never so small that its node text falls under [`MAP_TEXT_PT`] — on a
/// portrait page when that fits, else on a landscape page, cut into page-wide columns when even
/// that is too narrow; any figure taller than its page in page-high rows. `reserved` pt of the
/// page are kept for text above the figure.
pub fn placement(svg: &str, reserved: f64) -> Placement {
    let (w, h) = size(svg).unwrap_or((4.0, 3.0));
    let map = svg.contains(crate::svg::MAP_TITLE_ID);
    // A map's smallest text is its node details.
    let least = if map { w * MAP_TEXT_PT / crate::text::SMALL_FONT } else { 0.0 };
    let (landscape, (page_w, page_h)) = if least <= PORTRAIT.0 { (false, PORTRAIT) } else { (true, LANDSCAPE) };
    let room = (page_h - reserved).max(1.0);
    // A map as large as fits (at most its natural 0.75 pt a unit); a chart spans the text width.
    let fit = if map { (w * 0.75).min(page_w).min(room * w / h) } else { page_w };
    let width = fit.max(least);
    let cols = (width / page_w - 1e-9).ceil().max(1.0) as usize;
    let rows = (width * h / w / room - 1e-9).ceil().max(1.0) as usize;
    Placement { landscape, width, part_width: if cols > 1 { page_w } else { width }, cols, rows }
}

/// The tallest a figure may be on the page, as a multiple of the text width (200 mm of 156 mm).
pub const MAX_ASPECT: f64 = 200.0 / 156.0;

/// How many page-high parts a figure of `aspect` (height over width) is printed in at the text
/// width: one unless it is taller than a page allows, so a map of hundreds of nodes stays legible
/// across pages instead of shrinking to a strip.
pub fn parts(aspect: f64) -> usize {
    if aspect > MAX_ASPECT { (aspect / MAX_ASPECT).ceil() as usize } else { 1 }
}

/// The caption of part `i` (from 0) of `n`: the caption itself, or numbered “（2/3）”.
pub fn part_caption(caption: &str, i: usize, n: usize) -> String {
    if n > 1 { format!("{caption}（{}/{n}）", i + 1) } else { caption.to_string() }
}

/// Text as paragraphs, one per non-empty line.
pub fn paragraphs(text: &str) -> Vec<Block> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Block::Text(l.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(w: u32, h: u32) -> String {
        format!(
            r#"<svg viewBox="0 0 {w} {h}" aria-labelledby="{}"><title id="{}">图</title></svg>"#,
            crate::svg::MAP_TITLE_ID,
            crate::svg::MAP_TITLE_ID
        )
    }

    #[test]
    fn maps_keep_8pt_text_on_landscape_pages_and_charts_keep_the_text_width() {
        let chart = placement(r#"<svg viewBox="0 0 760 400">"#, 0.0);
        assert_eq!((chart.landscape, chart.width, chart.cols, chart.rows), (false, 442.2, 1, 1));
        let small = placement(&map(500, 300), 0.0);
        assert_eq!((small.landscape, small.width), (false, 375.0), "a small map at its natural size");
        let wide = placement(&map(961, 684), 0.0);
        assert!(wide.landscape && (wide.cols, wide.rows) == (1, 1), "{wide:?}");
        assert!(wide.width * 12.0 / 961.0 >= MAP_TEXT_PT, "node text of {:.1}pt", wide.width * 12.0 / 961.0);
        let very_wide = placement(&map(3000, 500), 0.0);
        assert_eq!((very_wide.landscape, very_wide.cols, very_wide.rows), (true, 3, 1));
        assert_eq!(very_wide.part_width, 756.9, "each column a page wide");
        let tall = placement(&map(600, 3000), 0.0);
        assert_eq!((tall.landscape, tall.cols), (false, 1));
        assert!(tall.rows >= 3 && tall.width * 12.0 / 600.0 >= MAP_TEXT_PT, "{tall:?}");
        assert!(placement(&map(961, 684), 200.0).width < wide.width, "text above takes room from the map");
    }

    #[test]
    fn numbering_sets_the_level() {
        assert_eq!(level("一、目标指标完成情况"), Level::Heading1);
        assert_eq!(level("（二）重点项目"), Level::Heading2);
        assert_eq!(level("再生铝年产量119.9万吨。"), Level::Body);
        let long = format!("一、{}", "很长的一句话".repeat(8));
        assert_eq!(level(&long), Level::Body, "a long line is a paragraph, not a heading");
        assert_eq!(paragraphs("甲\n\n 乙 \n").len(), 2);
    }

    #[test]
    fn a_tall_figure_is_printed_in_page_high_parts() {
        assert_eq!(parts(0.5), 1);
        assert_eq!(parts(MAX_ASPECT * 3.5), 4);
        assert_eq!(part_caption("图1 地图", 1, 4), "图1 地图（2/4）");
        assert_eq!(part_caption("图1 地图", 0, 1), "图1 地图");
    }

    #[test]
    fn the_aspect_comes_from_the_view_box() {
        assert_eq!(aspect(r#"<?xml?><svg xmlns="x" width="100%" viewBox="0 0 800 400"><g/></svg>"#), Some(0.5));
        assert_eq!(aspect(r#"<svg width="10"></svg>"#), None);
    }
}
