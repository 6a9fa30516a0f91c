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
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let start = root.find("viewBox=\"")? + "viewBox=\"".len();
    let values: Vec<f64> =
        root[start..].split('"').next()?.split([' ', ',']).filter_map(|v| v.trim().parse().ok()).collect();
    match values.as_slice() {
        [_, _, w, h] if *w > 0.0 => Some(h / w),
        _ => None,
    }
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
