//! Layout, SVG and DOT output of chain maps, checked for geometry and content.

use chainchief_domain::chain_map::{MapEdge, MapGraph, MapNode, NodeRating, Stage};
use chainchief_render::{MapKind, MapLayout, PlacedNode, count_crossings, dot, layout, svg, synthetic};

fn node(id: &str, name: &str, stage: Stage) -> MapNode {
    MapNode {
        id: id.to_string(),
        name: name.to_string(),
        stage,
        key: false,
        local_enterprises: 3,
        key_enterprises: Vec::new(),
        rating: None,
        rating_note: String::new(),
        marks: Vec::new(),
    }
}

fn edge(from: &str, to: &str) -> MapEdge {
    MapEdge { from: from.to_string(), to: to.to_string() }
}

/// The copper chain of the demo city, with awkward names, a cycle and a recycling edge.
fn copper() -> MapGraph {
    let mut nodes = vec![
        node("ore", "铜精矿", Stage::Upstream),
        node("scrap", "废杂铜回收 & 拆解", Stage::Upstream),
        node("smelt", "粗铜冶炼", Stage::Upstream),
        node("cathode", "电解/阴极铜", Stage::Midstream),
        node("rod", "铜杆<低氧>", Stage::Midstream),
        node("foil", "锂电铜箔 \"6μm\"", Stage::Midstream),
        node("wire", "电线电缆及特种导体精深加工配套", Stage::Downstream),
        node("pcb", "PCB 覆铜板", Stage::Downstream),
        node("ev", "新能源汽车'三电'", Stage::Downstream),
    ];
    let ratings = [
        NodeRating::Advantage,
        NodeRating::Weak,
        NodeRating::Potential,
        NodeRating::Advantage,
        NodeRating::Blank,
        NodeRating::Potential,
        NodeRating::Weak,
        NodeRating::Blank,
        NodeRating::Advantage,
    ];
    for (n, r) in nodes.iter_mut().zip(ratings) {
        n.rating = Some(r);
        n.rating_note = format!("{}：企业 {} 家，产值 <12.5> 亿元", n.name, n.local_enterprises);
    }
    nodes[3].key = true;
    nodes[3].local_enterprises = 12;
    nodes[3].key_enterprises = vec![
        "江西铜业股份有限公司贵溪冶炼厂".to_string(),
        "金龙铜管".to_string(),
        "湘江 & 洞庭铜材".to_string(),
        "第四家不显示".to_string(),
    ];
    nodes[6].key = true;
    let edges = vec![
        edge("ore", "smelt"),
        edge("scrap", "smelt"),
        edge("smelt", "cathode"),
        edge("cathode", "rod"),
        edge("cathode", "foil"),
        edge("rod", "wire"),
        edge("foil", "pcb"),
        edge("foil", "ev"),
        edge("rod", "cathode"),
        edge("wire", "scrap"),
        edge("ore", "ev"),
        edge("ev", "ev"),
        edge("ore", "smelt"),
        edge("ore", "nowhere"),
    ];
    MapGraph { title: "铜基新材料产业链 <2025>".to_string(), nodes, edges }
}

fn overlaps(a: &PlacedNode, b: &PlacedNode) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

fn assert_no_overlap(l: &MapLayout) {
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            assert!(!overlaps(a, b), "{} overlaps {}", a.id, b.id);
        }
        assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.width <= l.width && a.y + a.height <= l.height, "{}", a.id);
    }
}

/// Boxes in one column are at least 16px apart.
fn assert_column_gaps(l: &MapLayout) {
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            let same_column = a.x < b.x + b.width && b.x < a.x + a.width;
            if same_column {
                let gap = if a.y < b.y { b.y - (a.y + a.height) } else { a.y - (b.y + b.height) };
                assert!(gap >= 16.0 - 1e-6, "{} and {} are {gap}px apart", a.id, b.id);
            }
        }
    }
}

fn on_side(p: (f64, f64), n: &PlacedNode) -> bool {
    let eps = 1e-6;
    let on_left_or_right = ((p.0 - n.x).abs() < eps || (p.0 - n.x - n.width).abs() < eps)
        && p.1 >= n.y - eps
        && p.1 <= n.y + n.height + eps;
    let on_top_or_bottom = ((p.1 - n.y).abs() < eps || (p.1 - n.y - n.height).abs() < eps)
        && p.0 >= n.x - eps
        && p.0 <= n.x + n.width + eps;
    on_left_or_right || on_top_or_bottom
}

fn placed<'a>(l: &'a MapLayout, id: &str) -> &'a PlacedNode {
    l.nodes.iter().find(|n| n.id == id).expect("every node is placed")
}

fn assert_edges_touch_boxes(l: &MapLayout) {
    for e in &l.edges {
        assert!(e.points.len() >= 2, "{}->{}", e.from, e.to);
        let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
        assert!(on_side(first, placed(l, &e.from)), "{}->{} starts off its box at {first:?}", e.from, e.to);
        assert!(on_side(last, placed(l, &e.to)), "{}->{} ends off its box at {last:?}", e.from, e.to);
    }
}

/// Whether segment `a b` enters the interior of box `n` (Liang–Barsky clipping against the box
/// shrunk by half a pixel, so running along or ending on the border does not count).
fn cuts_box(a: (f64, f64), b: (f64, f64), n: &PlacedNode) -> bool {
    let (x0, y0, x1, y1) = (n.x + 0.5, n.y + 0.5, n.x + n.width - 0.5, n.y + n.height - 0.5);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [(-dx, a.0 - x0), (dx, x1 - a.0), (-dy, a.1 - y0), (dy, y1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    t0 < t1
}

fn assert_edges_avoid_boxes(l: &MapLayout) {
    for e in &l.edges {
        for w in e.points.windows(2) {
            for n in &l.nodes {
                assert!(!cuts_box(w[0], w[1], n), "{}->{} runs through {} at {:?}", e.from, e.to, n.id, w);
            }
        }
    }
}

/// Distinct nodes joined inside a stage sit in different sub-columns.
fn assert_in_stage_edges_change_column(g: &MapGraph, l: &MapLayout) {
    let stage = |id: &str| g.nodes.iter().find(|n| n.id == id).map(|n| n.stage);
    for e in &l.edges {
        if e.from != e.to && stage(&e.from) == stage(&e.to) {
            let (a, b) = (placed(l, &e.from), placed(l, &e.to));
            assert!(a.x + a.width < b.x || b.x + b.width < a.x, "{}->{} share a column", e.from, e.to);
        }
    }
}

fn assert_stage_order(g: &MapGraph, l: &MapLayout) {
    for a in &g.nodes {
        for b in &g.nodes {
            if a.stage.index() < b.stage.index() {
                let (pa, pb) = (placed(l, &a.id), placed(l, &b.id));
                assert!(pa.x + pa.width < pb.x, "{} ({:?}) not left of {} ({:?})", a.id, a.stage, b.id, b.stage);
            }
        }
    }
}

#[test]
fn layout_is_deterministic() {
    let g = synthetic(120, 240, 5);
    assert_eq!(layout(&g), layout(&g));
    let c = copper();
    assert_eq!(layout(&c), layout(&c.clone()));
}

#[test]
fn hand_made_chain_has_no_overlaps_and_edges_touch_their_boxes() {
    let g = copper();
    let l = layout(&g);
    assert_eq!(l.nodes.len(), g.nodes.len());
    // Duplicate and dangling edges are dropped; the self-loop and the recycling edge are drawn.
    assert_eq!(l.edges.len(), 12);
    assert!(l.edges.iter().any(|e| e.from == "ev" && e.to == "ev"));
    assert_no_overlap(&l);
    assert_column_gaps(&l);
    assert_edges_touch_boxes(&l);
    assert_stage_order(&g, &l);
    assert_edges_avoid_boxes(&l);
    assert_in_stage_edges_change_column(&g, &l);
    assert_eq!(l.crossings, count_crossings(&l));
}

#[test]
fn edges_leave_right_sides_and_enter_left_sides_when_running_right() {
    let g = copper();
    let l = layout(&g);
    let e = l.edges.iter().find(|e| e.from == "smelt" && e.to == "cathode").expect("smelt -> cathode is drawn");
    let (s, t) = (placed(&l, "smelt"), placed(&l, "cathode"));
    assert_eq!(e.points[0].0, s.x + s.width);
    assert_eq!(e.points[e.points.len() - 1].0, t.x);
    // The recycling edge runs right to left: out of the left side, into the right side.
    let back = l.edges.iter().find(|e| e.from == "wire" && e.to == "scrap").expect("wire -> scrap is drawn");
    let (w, sc) = (placed(&l, "wire"), placed(&l, "scrap"));
    assert_eq!(back.points[0].0, w.x);
    assert_eq!(back.points[back.points.len() - 1].0, sc.x + sc.width);
}

#[test]
fn edges_inside_a_stage_split_it_into_sub_columns() {
    let g = copper();
    let l = layout(&g);
    let (ore, smelt) = (placed(&l, "ore"), placed(&l, "smelt"));
    assert!(ore.x + ore.width < smelt.x, "ore supplies smelt inside 上游: smelt sits in a later sub-column");
    let (cathode, rod, foil) = (placed(&l, "cathode"), placed(&l, "rod"), placed(&l, "foil"));
    assert!(cathode.x + cathode.width < rod.x && cathode.x + cathode.width < foil.x);
}

#[test]
fn box_text_holds_name_count_and_three_enterprises() {
    let l = layout(&copper());
    let cathode = placed(&l, "cathode");
    assert_eq!(
        cathode.lines,
        vec!["电解/阴极铜", "本地企业 12 家", "江西铜业股份有限公司…", "金龙铜管", "湘江 & 洞庭铜材"]
    );
    let wire = placed(&l, "wire");
    assert_eq!(wire.lines[..2], ["电线电缆及特种导体精", "深加工配套"]);
    assert!(wire.height > placed(&l, "pcb").height);
}

#[test]
fn crossings_on_a_crossed_chain_reach_the_optimum_of_zero() {
    // Input order crosses every pair; a planar drawing exists.
    let g = MapGraph {
        title: "交叉测试".to_string(),
        nodes: vec![
            node("a", "甲", Stage::Upstream),
            node("b", "乙", Stage::Upstream),
            node("c", "丙", Stage::Upstream),
            node("d", "丁", Stage::Midstream),
            node("e", "戊", Stage::Midstream),
            node("f", "己", Stage::Midstream),
            node("g", "庚", Stage::Downstream),
            node("h", "辛", Stage::Downstream),
            node("i", "壬", Stage::Downstream),
        ],
        edges: vec![
            edge("a", "f"),
            edge("b", "e"),
            edge("c", "d"),
            edge("d", "g"),
            edge("e", "i"),
            edge("f", "h"),
            edge("a", "h"),
            edge("c", "g"),
        ],
    };
    let l = layout(&g);
    assert_eq!(l.crossings, 0);
    assert_eq!(count_crossings(&l), 0);
    assert_no_overlap(&l);
}

#[test]
fn crossing_count_sees_a_forced_crossing() {
    // K(3,3)-like bipartite between two stages has unavoidable crossings.
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for i in 0..3 {
        nodes.push(node(&format!("u{i}"), &format!("上{i}"), Stage::Upstream));
        nodes.push(node(&format!("m{i}"), &format!("中{i}"), Stage::Midstream));
    }
    for i in 0..3 {
        for j in 0..3 {
            edges.push(edge(&format!("u{i}"), &format!("m{j}")));
        }
    }
    let l = layout(&MapGraph { title: "完全二分".to_string(), nodes, edges });
    // K(3,3) drawn in two layers needs exactly 9 crossings.
    assert_eq!(l.crossings, 9);
}

#[test]
fn large_synthetic_chain_lays_out_cleanly() {
    let g = synthetic(300, 600, 1);
    assert_eq!(g.nodes.len(), 300);
    assert_eq!(g.edges.len(), 600);
    let l = layout(&g);
    assert_no_overlap(&l);
    assert_column_gaps(&l);
    assert_edges_touch_boxes(&l);
    assert_stage_order(&g, &l);
    assert_edges_avoid_boxes(&l);
    assert_in_stage_edges_change_column(&g, &l);
    assert_eq!(l.edges.len(), 600);
}

#[test]
fn random_graphs_with_cycles_and_loops_keep_every_invariant() {
    for seed in 0..30u64 {
        let nodes = (seed as usize * 7) % 37;
        let mut g = synthetic(nodes, nodes * 2, seed);
        // Dense in-stage cycles, self-loops and back edges on top of the synthetic chain.
        for i in 0..nodes {
            let j = (i * 5 + seed as usize) % nodes;
            g.edges.push(edge(&format!("n{i}"), &format!("n{j}")));
            if i % 7 == 0 {
                g.edges.push(edge(&format!("n{j}"), &format!("n{i}")));
            }
        }
        let l = layout(&g);
        assert_eq!(l, layout(&g), "seed {seed}");
        assert_no_overlap(&l);
        assert_column_gaps(&l);
        assert_edges_touch_boxes(&l);
        assert_edges_avoid_boxes(&l);
        assert_stage_order(&g, &l);
        assert_in_stage_edges_change_column(&g, &l);
        let doc = svg(&g, &l, MapKind::Status, &|id| Some(format!("/n/{id}")));
        roxmltree::Document::parse(&doc).expect("well-formed XML");
    }
}

#[test]
fn synthetic_is_deterministic_and_varies_with_the_seed() {
    assert_eq!(synthetic(50, 90, 9), synthetic(50, 90, 9));
    assert_ne!(synthetic(50, 90, 9), synthetic(50, 90, 10));
    let g = synthetic(90, 200, 4);
    for s in Stage::ALL {
        assert!(g.nodes.iter().filter(|n| n.stage == s).count() >= 20);
    }
    let stage = |id: &str| g.nodes.iter().find(|n| n.id == id).expect("edge ends exist").stage.index();
    let right = g.edges.iter().filter(|e| stage(&e.from) < stage(&e.to)).count();
    let inside = g.edges.iter().filter(|e| stage(&e.from) == stage(&e.to)).count();
    assert!(right * 10 > g.edges.len() * 7, "{right} of {}", g.edges.len());
    assert!(inside > 0);
    assert!(synthetic(0, 10, 1).edges.is_empty());
    assert!(synthetic(1, 10, 1).edges.is_empty());
}

#[test]
fn empty_and_single_node_maps_render() {
    for g in [
        MapGraph { title: String::new(), nodes: Vec::new(), edges: Vec::new() },
        MapGraph { title: "单点".to_string(), nodes: vec![node("x", "铜", Stage::Midstream)], edges: Vec::new() },
    ] {
        let l = layout(&g);
        assert_eq!(l.stages.len(), 3);
        assert!(l.width > 0.0 && l.height > 0.0);
        let doc = svg(&g, &l, MapKind::Status, &|_| None);
        roxmltree::Document::parse(&doc).expect("well-formed XML");
        for s in Stage::ALL {
            assert!(doc.contains(s.label()));
        }
    }
}

#[test]
fn dot_lists_every_node_and_edge_with_escaped_labels() {
    let g = copper();
    let d = dot(&g);
    assert!(d.starts_with("digraph "));
    assert!(d.contains("rankdir=LR"));
    for s in ["cluster_upstream", "cluster_midstream", "cluster_downstream"] {
        assert!(d.contains(&format!("subgraph {s} {{")), "{s}");
    }
    for n in &g.nodes {
        assert!(d.contains(&format!("\"{}\" [label=", n.id)), "{}", n.id);
    }
    assert!(d.contains(r#"锂电铜箔 \"6μm\"\n本地企业 3 家"#));
    assert!(d.contains("\"smelt\" -> \"cathode\";"));
    assert!(!d.contains("nowhere"));
    assert_eq!(d.matches(" -> ").count(), 12);
    assert_eq!(d.matches('{').count(), d.matches('}').count());
}
