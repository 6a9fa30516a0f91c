//! Official documents as DOCX in the layout of GB/T 9704-2012 (党政机关公文格式): A4, margins
//! 37 mm top and 28 mm on the binding side, the issuing body in red over a red rule, the document
//! number, the title in 2号小标宋, the body in 3号仿宋 with 黑体/楷体 headings, signature and date,
//! and page numbers "— N —" in the footer. Fonts are named, not embedded: the reader's system
//! provides them (Noto CJK fonts serve when the official ones are absent).

use crate::official::{Block, Level, MAX_ASPECT, OfficialDoc, Png, level};
use crate::xml::escape;
use std::io::Write;

/// Millimetres in twentieths of a point.
fn twips(mm: f64) -> i64 {
    (mm * 1440.0 / 25.4).round() as i64
}

fn run(text: &str, font: &str, half_points: u32, bold: bool, color: Option<&str>) -> String {
    let b = if bold { "<w:b/>" } else { "" };
    let c = color.map(|c| format!("<w:color w:val=\"{c}\"/>")).unwrap_or_default();
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\"/>{b}{c}<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    )
}

fn para(jc: &str, indent: bool, runs: &str, extra: &str) -> String {
    let ind = if indent { "<w:ind w:firstLine=\"640\"/>" } else { "" };
    format!(
        "<w:p><w:pPr><w:jc w:val=\"{jc}\"/><w:spacing w:line=\"560\" w:lineRule=\"exact\"/>{ind}{extra}</w:pPr>{runs}</w:p>"
    )
}

const FANGSONG: &str = "仿宋_GB2312";

/// The width of the text block: A4 less 28 mm binding and 26 mm outer margin, in EMU.
const TEXT_WIDTH_EMU: u64 = 156 * 36_000;

fn text_para(line: &str) -> String {
    let font = match level(line) {
        Level::Heading1 => "黑体",
        Level::Heading2 => "楷体_GB2312",
        Level::Body => FANGSONG,
    };
    para("both", true, &run(line, font, 32, false, None), "")
}

fn caption(text: &str) -> String {
    para("center", false, &run(text, "黑体", 28, false, None), "")
}

fn cell(text: &str, header: bool) -> String {
    let font = if header { "黑体" } else { FANGSONG };
    format!(
        "<w:tc><w:p><w:pPr><w:spacing w:line=\"360\" w:lineRule=\"auto\"/></w:pPr>{}</w:p></w:tc>",
        run(text, font, 24, false, None)
    )
}

fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    let row = |cells: &[String], header: bool| {
        let head = if header { "<w:trPr><w:tblHeader/></w:trPr>" } else { "" };
        format!("<w:tr>{head}{}</w:tr>", cells.iter().map(|c| cell(c, header)).collect::<String>())
    };
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>{}{}</w:tbl>",
        row(header, true),
        rows.iter().map(|r| row(r, false)).collect::<String>()
    )
}

/// An inline picture scaled to the text width, referring to the image part `rIdImg{n}`.
fn picture(n: usize, png: &Png) -> String {
    let (w, h) = (u64::from(png.width.max(1)), u64::from(png.height.max(1)));
    // As wide as the text, or less when that would make it taller than MAX_ASPECT allows.
    let cy = (TEXT_WIDTH_EMU * h / w).min((TEXT_WIDTH_EMU as f64 * MAX_ASPECT) as u64);
    let cx = cy * w / h;
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"图{n}\"/>\
         <a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"image{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"rIdImg{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

/// The paragraphs of the body, and the images they refer to, numbered from 1.
fn body(blocks: &[Block]) -> (Vec<String>, Vec<&Png>) {
    let mut ps = Vec::new();
    let mut images = Vec::new();
    for b in blocks {
        match b {
            Block::Text(line) => ps.push(text_para(line.trim())),
            Block::Table { caption: c, header, rows } => {
                ps.push(caption(c));
                ps.push(table(header, rows));
            }
            Block::Figure { caption: c, png, .. } => {
                if let Some(png) = png {
                    images.push(png);
                    ps.push(picture(images.len(), png));
                }
                ps.push(caption(c));
            }
            Block::PageBreak => ps.push("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>".into()),
        }
    }
    (ps, images)
}

/// The main part of the document, and the images it refers to.
fn document(d: &OfficialDoc) -> (String, Vec<&Png>) {
    let mut ps = Vec::new();
    if !d.issuer.is_empty() {
        ps.push(para("center", false, &run(&d.issuer, "方正小标宋简体", 52, false, Some("FF0000")), ""));
    }
    if !d.number.is_empty() {
        ps.push(para("center", false, &run(&d.number, FANGSONG, 32, false, None), ""));
    }
    // The red rule under the header.
    ps.push(para(
        "center",
        false,
        "",
        "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"1\" w:color=\"FF0000\"/></w:pBdr>",
    ));
    ps.push(para("center", false, "", ""));
    ps.push(para("center", false, &run(&d.title, "方正小标宋简体", 44, false, None), ""));
    ps.push(para("center", false, "", ""));
    if !d.recipient.is_empty() {
        ps.push(para("left", false, &run(&format!("{}：", d.recipient), FANGSONG, 32, false, None), ""));
    }
    let (body, images) = body(&d.blocks);
    ps.extend(body);
    ps.push(para("center", false, "", ""));
    if !d.signer.is_empty() {
        ps.push(para("right", false, &run(&d.signer, FANGSONG, 32, false, None), "<w:ind w:right=\"1280\"/>"));
    }
    if !d.date.is_empty() {
        ps.push(para("right", false, &run(&d.date, FANGSONG, 32, false, None), "<w:ind w:right=\"1280\"/>"));
    }
    let sect = format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"{}\" w:gutter=\"0\"/>\
         <w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr>",
        twips(37.0),
        twips(26.0),
        twips(35.0),
        twips(28.0),
        twips(28.0)
    );
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><w:body>{}{sect}</w:body></w:document>",
        ps.join("")
    );
    (xml, images)
}

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

/// The relationships of the main part: the footer and one per image.
fn doc_rels(images: usize) -> String {
    let image = |n: usize| {
        format!(
            "<Relationship Id=\"rIdImg{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{n}.png\"/>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>{}</Relationships>",
        (1..=images).map(image).collect::<String>()
    )
}

/// The document as the bytes of a .docx file.
pub fn docx(d: &OfficialDoc) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let (main, images) = document(d);
    let mut parts = vec![
        ("[Content_Types].xml".to_string(), CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels".into(), RELS.as_bytes().to_vec()),
        ("word/_rels/document.xml.rels".into(), doc_rels(images.len()).into_bytes()),
        ("word/document.xml".into(), main.into_bytes()),
        ("word/footer1.xml".into(), FOOTER.as_bytes().to_vec()),
    ];
    for (i, png) in images.iter().enumerate() {
        parts.push((format!("word/media/image{}.png", i + 1), png.bytes.clone()));
    }
    for (name, bytes) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> OfficialDoc {
        OfficialDoc {
            issuer: "汨罗市产业链链长制工作办公室".into(),
            number: "2026年第10期".into(),
            title: "非金属新材料产业链2026年10月工作月报".into(),
            recipient: String::new(),
            blocks: vec![
                Block::Text("一、目标指标完成情况".into()),
                Block::Text("高分子材料再生塑料年产量：119.9万吨 <script>".into()),
                Block::Table {
                    caption: "表1 目标完成情况".into(),
                    header: vec!["指标".into(), "完成".into()],
                    rows: vec![vec!["再生铝".into(), "119.9".into()]],
                },
                Block::Figure {
                    caption: "图1 产业链现状图".into(),
                    svg: String::new(),
                    png: Some(Png { bytes: vec![0x89, b'P', b'N', b'G'], width: 200, height: 100 }),
                },
            ],
            signer: "非金属新材料产业链办公室".into(),
            date: "2026年11月5日".into(),
        }
    }

    #[test]
    fn the_package_holds_valid_parts_in_the_official_layout() {
        let bytes = docx(&sample()).expect("docx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut doc = String::new();
        zip.by_name("word/document.xml").expect("document").read_to_string(&mut doc).expect("read");
        let tree = roxmltree::Document::parse(&doc).expect("well-formed XML");
        let margin = tree.descendants().find(|n| n.has_tag_name("pgMar")).expect("margins");
        let attr = |k: &str| margin.attributes().find(|a| a.name() == k).map(|a| a.value().to_string());
        assert_eq!(attr("top").as_deref(), Some("2098"), "37 mm");
        assert_eq!(attr("left").as_deref(), Some("1587"), "28 mm");
        assert!(doc.contains("非金属新材料产业链2026年10月工作月报") && doc.contains("119.9万吨 &lt;script&gt;"));
        assert!(doc.contains("FF0000"), "the issuer and rule in red");
        let mut footer = String::new();
        zip.by_name("word/footer1.xml").expect("footer").read_to_string(&mut footer).expect("read");
        assert!(footer.contains(" PAGE "), "page numbers");
        assert!(doc.contains("<w:tbl>") && doc.contains("表1 目标完成情况"), "the table and its caption");
        assert!(doc.contains("r:embed=\"rIdImg1\"") && doc.contains("cy=\"2808000\""), "the picture at half its width");
        assert!(zip.by_name("word/media/image1.png").is_ok(), "the image part");
        for name in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"] {
            let mut s = String::new();
            zip.by_name(name).expect(name).read_to_string(&mut s).expect("read");
            roxmltree::Document::parse(&s).expect(name);
        }
    }
}
