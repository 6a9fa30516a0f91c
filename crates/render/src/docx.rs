//! Official documents as DOCX in the layout of GB/T 9704-2012 (党政机关公文格式): A4, margins
//! 37 mm top and 28 mm on the binding side, the issuing body in red over a red rule, the document
//! number, the title in 2号小标宋, the body in 3号仿宋 with 黑体/楷体 headings, signature and date,
//! and page numbers "— N —" in the footer. Fonts are named, not embedded: the reader's system
//! provides them (Noto CJK fonts serve when the official ones are absent).

use crate::xml::escape;
use std::io::Write;

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
    /// Body lines; lines starting 一、二、… are first-level headings, （一）… second-level.
    pub body: Vec<String>,
    /// Signature (落款).
    pub signer: String,
    /// Date, e.g. 2026年11月26日.
    pub date: String,
}

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

fn is_heading(line: &str, marks: &[&str]) -> bool {
    marks.iter().any(|m| line.contains(m)) && line.chars().count() < 40
}

/// The body XML of the document.
fn document(d: &OfficialDoc) -> String {
    const FANGSONG: &str = "仿宋_GB2312";
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
    let first = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"];
    for line in d.body.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let starts = |marks: &[&str]| marks.iter().any(|m| line.starts_with(m));
        let text = if starts(&first) && is_heading(line, &first) {
            run(line, "黑体", 32, false, None)
        } else if line.starts_with('（') && line.chars().nth(2) == Some('）') {
            run(line, "楷体_GB2312", 32, false, None)
        } else {
            run(line, FANGSONG, 32, false, None)
        };
        ps.push(para("both", true, &text, ""));
    }
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
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{}{sect}</w:body></w:document>",
        ps.join("")
    )
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
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
</Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

/// The document as the bytes of a .docx file.
pub fn docx(d: &OfficialDoc) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/document.xml", document(d)),
        ("word/footer1.xml", FOOTER.to_string()),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
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
            body: vec!["一、目标指标完成情况".into(), "高分子材料再生塑料年产量：119.9万吨 <script>".into()],
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
        for name in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"] {
            let mut s = String::new();
            zip.by_name(name).expect(name).read_to_string(&mut s).expect("read");
            roxmltree::Document::parse(&s).expect(name);
        }
    }
}
