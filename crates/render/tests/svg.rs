//! The SVG documents: well-formed, complete, escaped, legible and CSP-safe.

use chainchief_domain::chain_map::{MapEdge, MapGraph, MapNode, NodeRating, Stage};
use chainchief_render::{MapKind, layout, svg, synthetic};
use roxmltree::{Document, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn graph() -> MapGraph {
    let mk = |id: &str, name: &str, stage, rating, key| MapNode {
        id: id.to_string(),
        name: name.to_string(),
        stage,
        key,
        local_enterprises: 7,
        key_enterprises: vec!["岳阳<精密>&科技".to_string()],
        rating: Some(rating),
        rating_note: format!("{name} 的依据：产值 \"8\" 亿元 & 企业 7 家"),
        marks: Vec::new(),
    };
    MapGraph {
        title: "铜产业链 & \"测试\" <A>".to_string(),
        nodes: vec![
            mk("ore", "铜精矿 <进口>", Stage::Upstream, NodeRating::Advantage, false),
            mk("cathode", "阴极铜 & 铜杆", Stage::Midstream, NodeRating::Potential, true),
            mk("foil", "铜箔 'A'", Stage::Midstream, NodeRating::Weak, false),
            mk("pcb", "PCB \"HDI\"", Stage::Downstream, NodeRating::Blank, false),
        ],
        edges: vec![
            MapEdge { from: "ore".into(), to: "cathode".into() },
            MapEdge { from: "cathode".into(), to: "foil".into() },
            MapEdge { from: "foil".into(), to: "pcb".into() },
            MapEdge { from: "ore".into(), to: "pcb".into() },
        ],
    }
}

fn link(id: &str) -> Option<String> {
    (id != "pcb").then(|| format!("/chains/1/nodes/{id}?tab=a&view=b"))
}

fn render(kind: MapKind) -> String {
    let g = graph();
    svg(&g, &layout(&g), kind, &link)
}

fn texts<'a>(doc: &'a Document) -> Vec<&'a str> {
    doc.descendants().filter(|n| n.has_tag_name((SVG_NS, "text"))).filter_map(|n| n.text()).collect()
}

/// The `<g>` of a node: the one whose `<title>` starts with the node's name.
fn node_group<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Node<'a, 'i> {
    doc.descendants()
        .filter(|n| n.has_tag_name((SVG_NS, "title")))
        .find(|t| t.text().is_some_and(|s| s.starts_with(name)))
        .and_then(|t| t.parent())
        .expect("node group")
}

fn parse(raw: &str) -> Document<'_> {
    Document::parse(raw).expect("well-formed XML")
}

/// The box `<rect>` of a node.
fn box_rect<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Node<'a, 'i> {
    node_group(doc, name).children().find(|n| n.has_tag_name((SVG_NS, "rect"))).expect("box rect")
}

fn number(n: Node, attribute: &str) -> f64 {
    n.attribute(attribute).and_then(|v| v.parse().ok()).expect("numeric attribute")
}

#[test]
fn status_map_is_well_formed_svg_with_size_and_view_box() {
    let doc_text = render(MapKind::Status);
    let doc = parse(&doc_text);
    let root = doc.root_element();
    assert!(root.has_tag_name((SVG_NS, "svg")));
    assert_eq!(root.attribute("version"), Some("1.1"));
    let (w, h) = (number(root, "width"), number(root, "height"));
    assert_eq!(root.attribute("viewBox"), Some(format!("0 0 {w} {h}").as_str()));
    assert_eq!(root.attribute("font-family"), Some(r#""Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif"#));
    assert!(doc.descendants().any(|n| n.has_tag_name((SVG_NS, "marker"))));
}

#[test]
fn names_title_headers_and_enterprises_appear_escaped() {
    let raw = render(MapKind::Panorama);
    let doc = parse(&raw);
    let t = texts(&doc);
    for name in
        ["铜精矿 <进口>", "阴极铜 & 铜杆", "铜箔 'A'", "PCB \"HDI\"", "铜产业链 & \"测试\" <A>", "岳阳<精密>&科技"]
    {
        assert!(t.contains(&name), "{name} missing from {t:?}");
    }
    assert!(raw.contains("阴极铜 &amp; 铜杆"));
    assert!(raw.contains("铜箔 &apos;A&apos;"));
    assert!(raw.contains("PCB &quot;HDI&quot;"));
    assert!(raw.contains("铜精矿 &lt;进口&gt;"));
    for header in ["上游", "中游", "下游"] {
        assert!(t.contains(&header), "{header}");
    }
}

#[test]
fn status_map_colours_boxes_by_rating_and_dashes_blank() {
    let raw = render(MapKind::Status);
    let doc = parse(&raw);
    let rect = |name: &str| box_rect(&doc, name);
    let blank = rect("PCB");
    assert!(blank.attribute("stroke-dasharray").is_some(), "空白 box has a dashed outline");
    assert_eq!(blank.attribute("fill"), Some("#F1F3F5"));
    for name in ["铜精矿", "阴极铜", "铜箔"] {
        assert!(rect(name).attribute("stroke-dasharray").is_none(), "{name}");
    }
    assert_eq!(rect("铜精矿").attribute("fill"), Some("#E3F4E8"));
    assert_eq!(rect("阴极铜").attribute("fill"), Some("#E3EEFB"));
    assert_eq!(rect("铜箔").attribute("fill"), Some("#FFF1D6"));
    // Rating words sit inside the boxes; hover titles carry the rating note.
    let words: Vec<&str> = node_group(&doc, "铜箔").children().filter_map(|n| n.text()).collect();
    assert!(words.contains(&"薄弱"), "{words:?}");
    let title = node_group(&doc, "PCB").children().find(|n| n.has_tag_name((SVG_NS, "title"))).expect("hover title");
    assert!(title.text().unwrap_or_default().contains("空白。PCB \"HDI\" 的依据：产值 \"8\" 亿元 & 企业 7 家"));
    // Legend: the four ratings.
    let t = texts(&doc);
    for word in ["优势", "潜力", "薄弱", "空白", "关键环节"] {
        assert!(t.contains(&word), "legend word {word}");
    }
}

#[test]
fn panorama_boxes_are_neutral_with_a_key_legend() {
    let raw = render(MapKind::Panorama);
    let doc = parse(&raw);
    let fills: Vec<&str> = ["铜精矿", "阴极铜", "铜箔", "PCB"]
        .iter()
        .map(|name| box_rect(&doc, name).attribute("fill").expect("box fill"))
        .collect();
    assert!(fills.iter().all(|f| *f == fills[0]), "{fills:?}");
    assert!(!raw.contains("stroke-dasharray"));
    let t = texts(&doc);
    for word in ["一般环节", "关键环节", "供给关系（供方 → 需方）"] {
        assert!(t.contains(&word), "{word}");
    }
    assert!(!t.contains(&"薄弱"));
}

#[test]
fn key_nodes_have_a_thicker_border_and_a_tag() {
    let raw = render(MapKind::Panorama);
    let doc = parse(&raw);
    let width = |name: &str| -> f64 { number(box_rect(&doc, name), "stroke-width") };
    assert!(width("阴极铜") >= 2.0 * width("铜精矿"));
    let tags: Vec<&str> = node_group(&doc, "阴极铜").children().filter_map(|n| n.text()).collect();
    assert!(tags.contains(&"关键"));
    let plain: Vec<&str> = node_group(&doc, "铜精矿").children().filter_map(|n| n.text()).collect();
    assert!(!plain.contains(&"关键"));
}

#[test]
fn nodes_are_links_when_href_gives_one() {
    let raw = render(MapKind::Status);
    let doc = parse(&raw);
    let links: Vec<Node> = doc.descendants().filter(|n| n.has_tag_name((SVG_NS, "a"))).collect();
    assert_eq!(links.len(), 3);
    assert!(raw.contains(r#"href="/chains/1/nodes/cathode?tab=a&amp;view=b""#));
    let pcb = node_group(&doc, "PCB");
    assert!(pcb.parent().is_some_and(|p| !p.has_tag_name((SVG_NS, "a"))));
    for a in links {
        assert_eq!(a.attribute("href"), a.attribute(("http://www.w3.org/1999/xlink", "href")));
    }
}

#[test]
fn edges_are_drawn_under_nodes_with_arrowheads() {
    let raw = render(MapKind::Status);
    let first_polyline = raw.find("<polyline").expect("edges drawn");
    let first_box = raw.find("<title>铜精矿").expect("node drawn");
    assert!(first_polyline < first_box);
    assert_eq!(raw.matches("<polyline").count(), 4);
    assert!(raw.contains(r##"marker-end="url(#cc-arrow)""##));
}

#[test]
fn no_script_no_style_and_no_text_below_twelve_px() {
    for kind in [MapKind::Panorama, MapKind::Status] {
        let g = synthetic(40, 70, 2);
        let raw = svg(&g, &layout(&g), kind, &|id| Some(format!("/n/{id}")));
        let doc = parse(&raw);
        for n in doc.descendants().filter(|n| n.is_element()) {
            let tag = n.tag_name().name();
            assert!(tag != "script" && tag != "style" && tag != "foreignObject", "{tag}");
            assert!(n.attribute("style").is_none());
            assert!(n.attributes().all(|a| !a.name().starts_with("on")), "{tag} has an event handler");
            if let Some(size) = n.attribute("font-size") {
                assert!(number(n, "font-size") >= 12.0, "{tag} font-size {size}");
            }
        }
        for node in &g.nodes {
            assert!(texts(&doc).iter().any(|t| node.name.starts_with(t.trim_end_matches('…'))), "{}", node.name);
        }
    }
}

/// WCAG relative luminance of `#RRGGBB`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour") as f64 / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_text_has_at_least_4_5_to_1_contrast_on_what_it_sits_on() {
    // Each text's colour (own fill or inherited) against the rect drawn just before it in the same
    // group: the box under node text, the band under headers, the paper under the title.
    for kind in [MapKind::Panorama, MapKind::Status] {
        let raw = render(kind);
        let doc = parse(&raw);
        let root_fill = doc.root_element().attribute("fill").expect("root fill");
        let mut checked = 0;
        for text in doc.descendants().filter(|n| n.has_tag_name((SVG_NS, "text"))) {
            let colour = text.ancestors().find_map(|a| a.attribute("fill")).unwrap_or(root_fill);
            let under = text
                .prev_siblings()
                .find(|s| s.has_tag_name((SVG_NS, "rect")))
                .and_then(|r| r.attribute("fill"))
                .unwrap_or("#F1F4F8");
            let ratio = contrast(colour, under);
            assert!(ratio >= 4.5, "{:?} {colour} on {under}: {ratio:.2}", text.text());
            checked += 1;
        }
        assert!(checked > 20);
    }
}
