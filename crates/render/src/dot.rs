//! The chain graph as Graphviz DOT, for rendering with `dot -Tsvg` and comparing layouts.

use std::fmt::{self, Write};

use chainchief_domain::chain_map::{MapGraph, Stage};

use crate::layout::kept_edges;
use crate::svg::FONT_FAMILY;
use crate::text::count_line;

/// Writes the graph as a DOT `digraph` laid out left to right with one cluster per stage;
/// edges are the ones the layout draws (unknown ids and duplicates dropped).
pub fn dot(graph: &MapGraph) -> String {
    let mut out = String::with_capacity(256 + graph.nodes.len() * 80 + graph.edges.len() * 24);
    if write_dot(&mut out, graph).is_err() {
        out.clear();
    }
    out
}

fn write_dot(out: &mut String, graph: &MapGraph) -> fmt::Result {
    let font = quote(FONT_FAMILY.split(',').next().unwrap_or("sans-serif").trim_matches('"'));
    writeln!(out, "digraph {} {{", quote(&graph.title))?;
    writeln!(out, "  graph [rankdir=LR, label={}, labelloc=t, fontname={font}, fontsize=20];", quote(&graph.title))?;
    writeln!(out, "  node [shape=box, style=\"rounded\", fontname={font}, fontsize=12];")?;
    writeln!(out, "  edge [color=\"#5B6470\"];")?;
    let mut seen = std::collections::HashSet::new();
    for stage in Stage::ALL {
        writeln!(out, "  subgraph cluster_{} {{", stage.code())?;
        writeln!(out, "    label={}; style=filled; color=\"#F1F4F8\";", quote(stage.label()))?;
        for n in graph.nodes.iter().filter(|n| n.stage == stage) {
            if !seen.insert(n.id.as_str()) {
                continue;
            }
            let mut label = n.name.clone();
            label.push('\n');
            label.push_str(&count_line(n.local_enterprises));
            let key = if n.key { ", penwidth=3" } else { "" };
            writeln!(out, "    {} [label={}{key}];", quote(&n.id), quote(&label))?;
        }
        writeln!(out, "  }}")?;
    }
    for e in kept_edges(graph) {
        writeln!(out, "  {} -> {};", quote(&graph.nodes[e.from].id), quote(&graph.nodes[e.to].id))?;
    }
    writeln!(out, "}}")
}

/// A DOT double-quoted string: backslash and quote escaped, line breaks as `\n`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape_backslashes_quotes_and_newlines() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\r\ny"), r#""x\ny""#);
        assert_eq!(quote("铜"), "\"铜\"");
    }
}
