//! Official documents as PDF in the layout of GB/T 9704-2012, typeset by typst with the Chinese
//! fonts found on this machine at run time (never downloaded), and SVG figures as PNG for DOCX.

mod raster;
mod world;

pub use raster::{bands, png};

use chainchief_render::official::{Block, Level, OfficialDoc, aspect, level, part_caption, parts};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The document as the data the typst layout reads.
fn data(d: &OfficialDoc) -> Value {
    let blocks: Vec<Value> = d
        .blocks
        .iter()
        .map(|b| match b {
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
                // Columns share the width by their longest text, within 2 and 24 characters.
                let widths: Vec<usize> = (0..header.len())
                    .map(|i| {
                        let cells = rows.iter().map(|r| r[i].chars().count());
                        cells.chain([header[i].chars().count()]).max().unwrap_or(0).clamp(2, 24)
                    })
                    .collect();
                json!({ "kind": "table", "caption": caption, "header": header, "rows": rows, "widths": widths })
            }
            Block::Figure { caption, svg, .. } => {
                let a = aspect(svg).unwrap_or(0.75);
                let n = parts(a);
                let captions: Vec<String> = (0..n).map(|i| part_caption(caption, i, n)).collect();
                json!({ "kind": "figure", "captions": captions, "svg": svg, "aspect": a })
            }
            Block::PageBreak => json!({ "kind": "pagebreak" }),
        })
        .collect();
    json!({
        "issuer": d.issuer, "number": d.number, "title": d.title, "recipient": d.recipient,
        "blocks": blocks, "signer": d.signer, "date": d.date,
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
        assert_eq!(v["blocks"][2]["widths"], json!([2, 2]), "narrow columns get two characters");
    }
}
