//! SVG maps and charts as PNG, with the fonts of this machine, for documents that cannot embed SVG.

use chainchief_render::official::Png;
use resvg::usvg::{self, fontdb};
use resvg::{tiny_skia, usvg::Options};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The widest image made, in pixels: sharp at 156 mm (the text width) on paper.
const MAX_WIDTH: f32 = 1800.0;

static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();

fn database(dirs: &[PathBuf]) -> Arc<fontdb::Database> {
    DATABASE
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            for dir in dirs {
                db.load_fonts_dir(dir);
            }
            for family in ["Noto Sans CJK SC", "WenQuanYi Micro Hei"] {
                if db.faces().any(|f| f.families.iter().any(|(name, _)| name == family)) {
                    db.set_sans_serif_family(family);
                    break;
                }
            }
            Arc::new(db)
        })
        .clone()
}

/// The SVG drawn on white, at most 1,800 pixels wide and at most twice its own size.
pub fn png(svg: &str, font_dirs: &[PathBuf]) -> Result<Png, String> {
    let options = Options { fontdb: database(font_dirs), ..Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("图形无法读取：{e}"))?;
    let size = tree.size();
    let scale = (MAX_WIDTH / size.width()).min(2.0);
    let (width, height) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(width.max(1), height.max(1)).ok_or("图形尺寸无效")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok(Png { bytes, width: pixmap.width(), height: pixmap.height() })
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
}
