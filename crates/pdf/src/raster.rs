//! SVG maps and charts as PNG, with the fonts of this machine, for documents that cannot embed SVG.

use chainchief_render::official::{Png, parts};
use resvg::tiny_skia::{self, IntRect, Pixmap};
use resvg::usvg::{self, Options, fontdb};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The widest image made, in pixels: about 160 dpi at 156 mm (the text width) on paper.
const MAX_WIDTH: f32 = 1000.0;

/// The families the maps and charts ask for, and the fallbacks that cover Chinese.
const FAMILIES: [&str; 6] =
    ["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "SimHei"];

static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();

/// The fonts the figures use, read into memory once: a font file is otherwise opened again for
/// every piece of text.
fn database(dirs: &[PathBuf]) -> Arc<fontdb::Database> {
    DATABASE
        .get_or_init(|| {
            let mut found = fontdb::Database::new();
            found.load_system_fonts();
            for dir in dirs {
                found.load_fonts_dir(dir);
            }
            let mut db = fontdb::Database::new();
            let mut read = HashSet::new();
            for face in found.faces() {
                let fontdb::Source::File(path) = &face.source else { continue };
                let wanted = face.families.iter().any(|(name, _)| FAMILIES.contains(&name.as_str()))
                    || dirs.iter().any(|d| path.starts_with(d));
                if wanted
                    && read.insert(path.clone())
                    && let Ok(bytes) = std::fs::read(path)
                {
                    db.load_font_data(bytes);
                }
            }
            if let Some(family) = FAMILIES.iter().find(|f| db.faces().any(|x| x.families.iter().any(|(n, _)| n == *f)))
            {
                db.set_sans_serif_family(*family);
            }
            Arc::new(db)
        })
        .clone()
}

/// The SVG drawn on white at most 1,000 pixels wide and at most twice its own size.
fn draw(svg: &str, font_dirs: &[PathBuf]) -> Result<Pixmap, String> {
    let options = Options { fontdb: database(font_dirs), ..Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("图形无法读取：{e}"))?;
    let size = tree.size();
    let scale = (MAX_WIDTH / size.width()).min(2.0);
    let (width, height) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = Pixmap::new(width.max(1), height.max(1)).ok_or("图形尺寸无效")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// The pixmap as an RGB PNG (it is opaque), compressed for speed: a large map is mostly white.
fn encode(p: &Pixmap) -> Result<Png, String> {
    let rgb: Vec<u8> = p.data().chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]).collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, p.width(), p.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(Png { bytes, width: p.width(), height: p.height() })
}

/// The SVG as one PNG.
pub fn png(svg: &str, font_dirs: &[PathBuf]) -> Result<Png, String> {
    encode(&draw(svg, font_dirs)?)
}

/// The SVG as PNGs of the page-high parts it is printed in (one for most figures).
pub fn bands(svg: &str, font_dirs: &[PathBuf]) -> Result<Vec<Png>, String> {
    let full = draw(svg, font_dirs)?;
    let n = parts(f64::from(full.height()) / f64::from(full.width())) as u32;
    if n == 1 {
        return Ok(vec![encode(&full)?]);
    }
    let band = full.height().div_ceil(n);
    (0..n)
        .map(|i| {
            let top = i * band;
            let rect =
                IntRect::from_xywh(0, top as i32, full.width(), band.min(full.height() - top)).ok_or("图形尺寸无效")?;
            encode(&full.clone_rect(rect).ok_or("图形尺寸无效")?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_png_of_its_shape() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect x="0" y="0" width="300" height="100" fill="#123456"/><text x="10" y="50">铜</text></svg>"##;
        let p = png(svg, &[]).expect("png");
        assert_eq!((p.width, p.height), (600, 200), "twice its size");
        assert_eq!(&p.bytes[1..4], b"PNG");
        assert!(png("<svg", &[]).is_err(), "broken SVG is refused");
    }

    #[test]
    fn a_tall_svg_is_cut_into_page_high_parts() {
        let tall = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="4000"><rect width="600" height="4000"/></svg>"##;
        let parts = bands(tall, &[]).expect("bands");
        assert_eq!(parts.len(), 6, "1000 × 6667 pixels in parts no taller than a page");
        assert!(parts.iter().all(|p| p.width == 1000 && p.height <= 1283));
        assert_eq!(parts.iter().map(|p| p.height).sum::<u32>(), 6667, "nothing lost at the cuts");
    }
}
