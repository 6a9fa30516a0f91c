//! Official documents as PDF in the layout of GB/T 9704-2012, typeset by typst with the Chinese
//! fonts found on this machine at run time (never downloaded), and SVG figures as PNG for DOCX.

mod raster;
mod world;

pub use raster::{bands, png};

use chainchief_render::official::{Block, Level, OfficialDoc, aspect, level, part_caption, placement};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The document as the data the typst layout reads.
fn data(d: &OfficialDoc) -> Value {
    let mut blocks: Vec<Value> = Vec::with_capacity(d.blocks.len());
    for b in &d.blocks {
        let block = match b {
            Block::Text(line) => {
                let kind = match level(line.trim()) {
                    Level::Heading1 => "h1",
                    Level::Heading2 => "h2",
                    Level::Body => "p",
                };
                json!({ "kind": kind, "text": line.trim() })
            }
            Block::Table { caption, header, rows } => {
                // Every row as wide as the header, so the table never shifts a cell.
                let rows: Vec<Vec<&str>> = rows
                    .iter()
                    .map(|r| (0..header.len()).map(|i| r.get(i).map_or("", String::as_str)).collect())
                    .collect();
                let longest: Vec<usize> = (0..header.len())
                    .map(|i| {
                        rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0)
                    })
                    .collect();
                let widths = column_widths(&longest, TEXT_WIDTH_PT);
                json!({ "kind": "table", "caption": caption, "header": header, "rows": rows, "widths": widths })
            }
            Block::Figure { caption, svg, .. } => {
                let mut p = placement(svg, 0.0);
                let a = aspect(svg).unwrap_or(0.75);
                // The text just before a landscape figure goes on its page when the figure still
                // takes as many parts there, so the portrait page before holds no lone heading.
                let mut lead = Vec::new();
                if p.landscape {
                    let texts =
                        blocks.iter().rev().take_while(|b| b["kind"] != "figure" && b["kind"] != "table").count();
                    let from = blocks.len() - texts.min(3);
                    let reserved: f64 =
                        blocks[from..].iter().map(|b| text_height(b["text"].as_str().unwrap_or(""))).sum();
                    let with_lead = placement(svg, reserved);
                    if (with_lead.rows, with_lead.cols) == (p.rows, p.cols) {
                        lead = blocks.split_off(from);
                        p = with_lead;
                    }
                }
                let n = p.cols * p.rows;
                let captions: Vec<String> = (0..n).map(|i| part_caption(caption, i, n)).collect();
                json!({
                    "kind": "figure", "captions": captions, "svg": svg, "aspect": a, "lead": lead,
                    "landscape": p.landscape, "width": p.width, "part_width": p.part_width, "cols": p.cols, "rows": p.rows,
                })
            }
            Block::PageBreak => json!({ "kind": "pagebreak" }),
        };
        blocks.push(block);
    }
    json!({
        "issuer": d.issuer, "number": d.number, "title": title_parts(&d.title), "recipient": d.recipient,
        "blocks": blocks, "signer": d.signer, "date": d.date,
    })
}

/// The height (pt) a line of text takes on a landscape figure page: 3号 characters, 47 to a line,
/// 29 pt a line.
fn text_height(text: &str) -> f64 {
    (text.chars().count().max(1) as f64 / 47.0).ceil() * 29.0
}

/// The text width of a portrait page, in pt (156 mm).
const TEXT_WIDTH_PT: f64 = 442.2;
/// A table cell's text size (pt) and its left and right inset together (pt).
const CELL_PT: f64 = 12.0;
const CELL_INSET_PT: f64 = 8.0;

/// Column widths in pt for columns whose longest texts have `longest` characters: every column
/// at least as wide as three characters (or its text, if shorter) and the first — the name the
/// row is about — as its text up to twelve characters when the page has room; the rest of
/// `total` shared by the longest texts (counted up to 24 characters), so no column shrinks to one
/// character. Columns too many for the page share it by those least widths.
fn column_widths(longest: &[usize], total: f64) -> Vec<f64> {
    let least_with = |first: usize| -> Vec<f64> {
        let cap = |i: usize| if i == 0 { first } else { 3 };
        longest.iter().enumerate().map(|(i, n)| (*n).clamp(1, cap(i)) as f64 * CELL_PT + CELL_INSET_PT).collect()
    };
    let mut least = least_with(12);
    if least.iter().sum::<f64>() > total {
        least = least_with(3);
    }
    let sum: f64 = least.iter().sum();
    if sum > total {
        return least.iter().map(|l| l * total / sum).collect();
    }
    let spare = total - sum;
    let wants: Vec<f64> = longest.iter().map(|n| (*n).min(24).saturating_sub(3) as f64).collect();
    let want: f64 = wants.iter().sum();
    least
        .iter()
        .zip(&wants)
        .map(|(l, w)| if want > 0.0 { l + spare * w / want } else { l + spare / least.len() as f64 })
        .collect()
}

/// A title as runs the layout may break between: a bracketed part （…） and the last four
/// characters each stay on one line, so no line holds a lone 报 or half of “（2026年版）”.
fn title_parts(title: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = title;
    while let Some(open) = rest.find('（') {
        let close = rest[open..].find('）').map_or(rest.len(), |c| open + c + '）'.len_utf8());
        tail_parts(&rest[..open], &mut out);
        out.push(json!({ "text": &rest[open..close], "keep": true }));
        rest = &rest[close..];
    }
    tail_parts(rest, &mut out);
    out
}

/// `text` as a breakable run and its last four characters kept together.
fn tail_parts(text: &str, out: &mut Vec<Value>) {
    let chars: Vec<char> = text.chars().collect();
    let cut = chars.len().saturating_sub(4);
    let (head, tail): (String, String) = (chars[..cut].iter().collect(), chars[cut..].iter().collect());
    if !head.is_empty() {
        out.push(json!({ "text": head, "keep": false }));
    }
    if !tail.is_empty() {
        out.push(json!({ "text": tail, "keep": true }));
    }
}

/// The body fonts the layout asks for, in order (the `fangsong` list of report.typ).
fn body_fonts() -> Vec<&'static str> {
    let layout = include_str!("report.typ");
    let line = layout.lines().find(|l| l.starts_with("#let fangsong = (")).unwrap_or_default();
    line.split('"').skip(1).step_by(2).collect()
}

/// Which font the body text of a PDF is set in on this machine, in a sentence: 仿宋 when it is
/// installed, else the font standing in for it.
pub fn body_font(font_dirs: &[PathBuf]) -> Result<String, String> {
    let book = world::fonts(font_dirs)?.store.book();
    let wanted = body_fonts();
    let found = wanted.iter().find(|f| book.select_family(&f.to_lowercase()).next().is_some());
    Ok(match found {
        Some(f) if wanted.iter().position(|w| w == f) < Some(3) => format!("PDF 正文使用{f}"),
        Some(f) => format!("本机未安装仿宋字体，PDF 正文以 {f} 代替（安装仿宋_GB2312 并设置 font_dir 后即用仿宋）"),
        None => "本机没有可用的正文字体".to_string(),
    })
}

/// The document as the bytes of a PDF file, with its fonts embedded. `font_dirs` are searched
/// besides the system's fonts (the first call decides them for the life of the process).
pub fn pdf(d: &OfficialDoc, font_dirs: &[PathBuf]) -> Result<Vec<u8>, String> {
    let fonts = world::fonts(font_dirs)?;
    let data = serde_json::to_vec(&data(d)).map_err(|e| e.to_string())?;
    world::typeset(fonts, include_str!("report.typ"), data)
}

/// Fills in the PNG of every figure that has none, for writers that cannot embed SVG; a figure
/// taller than a page becomes page-high parts, drawn once and cut.
pub fn rasterize_figures(d: &mut OfficialDoc, font_dirs: &[PathBuf]) -> Result<(), String> {
    let mut out = Vec::with_capacity(d.blocks.len());
    for b in std::mem::take(&mut d.blocks) {
        match b {
            Block::Figure { caption, svg, png: None } => {
                let bands = raster::bands(&svg, font_dirs)?;
                let n = bands.len();
                for (i, band) in bands.into_iter().enumerate() {
                    out.push(Block::Figure {
                        caption: part_caption(&caption, i, n),
                        svg: String::new(),
                        png: Some(band),
                    });
                }
            }
            other => out.push(other),
        }
    }
    d.blocks = out;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_tables_and_figures_become_data() {
        let d = OfficialDoc {
            title: "月报".into(),
            blocks: vec![
                Block::Text("一、概况".into()),
                Block::Text("正文 #set text(red)".into()),
                Block::Table {
                    caption: "表1".into(),
                    header: vec!["甲".into(), "乙".into()],
                    rows: vec![vec!["1".into()]],
                },
            ],
            ..Default::default()
        };
        let v = data(&d);
        assert_eq!(v["blocks"][0]["kind"], "h1");
        assert_eq!(v["blocks"][1]["text"], "正文 #set text(red)", "text stays text");
        assert_eq!(v["blocks"][2]["rows"][0], json!(["1", ""]), "short rows are padded");
        assert_eq!(v["blocks"][2]["widths"], json!([221.1, 221.1]), "short columns share the width");
    }

    #[test]
    fn the_body_fonts_are_read_from_the_layout() {
        assert_eq!(body_fonts().first(), Some(&"FangSong_GB2312"));
        assert!(body_fonts().contains(&"Noto Serif CJK SC"));
    }

    #[test]
    fn columns_are_never_narrower_than_three_characters() {
        let w = column_widths(&[40, 30, 2, 8, 1, 24, 24, 24, 24], TEXT_WIDTH_PT);
        assert!((w.iter().sum::<f64>() - TEXT_WIDTH_PT).abs() < 0.01, "{w:?}");
        assert!(w[2] >= 2.0 * CELL_PT + CELL_INSET_PT && w[4] >= CELL_PT + CELL_INSET_PT, "{w:?}");
        assert!(w.iter().all(|x| *x >= CELL_PT + CELL_INSET_PT) && w[0] > w[3], "{w:?}");
    }

    #[test]
    fn a_title_breaks_neither_in_brackets_nor_before_its_last_characters() {
        let parts = title_parts("有色金属新材料产业链“五图五清单”（2026年版）");
        let text: Vec<(&str, bool)> =
            parts.iter().map(|p| (p["text"].as_str().unwrap_or(""), p["keep"] == true)).collect();
        assert_eq!(text, vec![("有色金属新材料产业链“五图", false), ("五清单”", true), ("（2026年版）", true)]);
        let parts = title_parts("汨罗市非金属新材料产业链2026年11月工作月报");
        assert_eq!(parts.last().map(|p| p["text"].clone()), Some(json!("工作月报")), "报 never alone");
    }
}
