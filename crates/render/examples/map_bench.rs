//! Writes synthetic(300, 600) as DOT, prints our crossing count and the layout+svg time, and,
//! given Graphviz's `-Tplain` output of that DOT, counts Graphviz's crossings the same way.
//!
//! ```text
//! cargo run --release -p chainchief-render --example map_bench -- --dot map.dot [--svg ours.svg]
//! dot -Tplain map.dot > map.plain && dot -Tsvg map.dot > dot.svg
//! cargo run --release -p chainchief-render --example map_bench -- --dot map.dot --plain map.plain
//! ```

use std::time::{Duration, Instant};

use chainchief_render::{MapKind, MapLayout, RoutedEdge, count_crossings, dot, layout, svg, synthetic};

/// Timed runs of layout+svg; the median is printed.
const RUNS: usize = 21;
/// Straight pieces each Bézier segment of a Graphviz spline is sampled into.
const BEZIER_STEPS: usize = 16;

fn main() {
    if let Err(e) = run() {
        eprintln!("map_bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut dot_path, mut svg_path, mut plain_path) = ("map_bench.dot".to_string(), None, None);
    let (mut nodes, mut edges, mut seed) = (300usize, 600usize, 1u64);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--dot" => dot_path = value()?,
            "--svg" => svg_path = Some(value()?),
            "--plain" => plain_path = Some(value()?),
            "--nodes" => nodes = value()?.parse().map_err(|e| format!("--nodes: {e}"))?,
            "--edges" => edges = value()?.parse().map_err(|e| format!("--edges: {e}"))?,
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let graph = synthetic(nodes, edges, seed);
    std::fs::write(&dot_path, dot(&graph)).map_err(|e| format!("{dot_path}: {e}"))?;
    println!("synthetic({nodes}, {edges}, seed {seed}) written as DOT to {dot_path}");

    let href = |id: &str| Some(format!("/nodes/{id}"));
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let l = layout(&graph);
        let doc = svg(&graph, &l, MapKind::Status, &href);
        times.push(start.elapsed());
        last = Some((l, doc));
    }
    times.sort();
    let (ours, doc) = last.ok_or("no run")?;
    println!("ours: {} crossings, layout+svg median {:.2} ms over {RUNS} runs", ours.crossings, ms(times[RUNS / 2]));
    println!("ours: drawing {:.0} x {:.0} px, {} bytes of SVG", ours.width, ours.height, doc.len());
    if let Some(path) = svg_path {
        std::fs::write(&path, &doc).map_err(|e| format!("{path}: {e}"))?;
        println!("ours: SVG written to {path}");
    }
    if let Some(path) = plain_path {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let theirs = plain_layout(&text)?;
        println!("dot:  {} crossings ({} edges read from {path})", count_crossings(&theirs), theirs.edges.len());
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Reads the edges of Graphviz `-Tplain` output as polylines sampled from their B-splines.
fn plain_layout(text: &str) -> Result<MapLayout, String> {
    let mut edges = Vec::new();
    let (mut width, mut height) = (0.0, 0.0);
    for (number, line) in text.lines().enumerate() {
        let tokens = tokenize(line);
        let number = number + 1;
        let float = |i: usize| -> Result<f64, String> {
            tokens.get(i).and_then(|t| t.parse().ok()).ok_or(format!("line {number}: expected a number"))
        };
        match tokens.first().map(String::as_str) {
            Some("graph") => {
                width = float(2)?;
                height = float(3)?;
            }
            Some("edge") => {
                let n: usize = tokens.get(3).and_then(|t| t.parse().ok()).ok_or(format!("line {number}: count"))?;
                let mut control = Vec::with_capacity(n);
                for k in 0..n {
                    control.push((float(4 + 2 * k)?, float(5 + 2 * k)?));
                }
                edges.push(RoutedEdge {
                    from: tokens[1].clone(),
                    to: tokens[2].clone(),
                    points: sample_bezier(&control),
                });
            }
            _ => {}
        }
    }
    Ok(MapLayout { width, height, nodes: Vec::new(), edges, crossings: 0, stages: Vec::new() })
}

/// Splits a plain-format line into words; double-quoted words may hold spaces and `\"`.
fn tokenize(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => break,
                    c => word.push(c),
                }
            }
            out.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push(word);
        }
    }
    out
}

/// A piecewise cubic Bézier (1 + 3k control points) as a polyline.
fn sample_bezier(control: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    if let Some(&first) = control.first() {
        out.push(first);
    }
    for piece in control.windows(4).step_by(3) {
        let (p0, p1, p2, p3) = (piece[0], piece[1], piece[2], piece[3]);
        for s in 1..=BEZIER_STEPS {
            let t = s as f64 / BEZIER_STEPS as f64;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            out.push((a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0, a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1));
        }
    }
    out
}
