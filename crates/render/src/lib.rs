//! Chain maps of ChainChief: a layered layout of a chain's nodes by stage, rendered as a
//! standalone SVG document (panorama or status map) or as Graphviz DOT for comparison.
//!
//! Everything here is pure: view structs in, strings out.

pub mod charts;
mod coords;
mod crossings;
mod dot;
mod layout;
mod order;
mod regions;
mod route;
mod svg;
mod synthetic;
mod text;
mod xml;

use chainchief_domain::chain_map::Stage;

pub mod docx;
pub mod official;
pub use crossings::count_crossings;
pub use dot::dot;
pub use layout::layout;
pub use regions::{RegionBox, regions_svg};
pub use svg::{MapKind, svg};
pub use synthetic::synthetic;

/// A laid-out chain map: boxes, routed edges and stage bands in SVG user units (px).
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    /// Width of the drawing, margins included.
    pub width: f64,
    /// Height of the drawing, margins included (the SVG legend is added below it).
    pub height: f64,
    /// One box per graph node, in the graph's node order.
    pub nodes: Vec<PlacedNode>,
    /// One polyline per drawn edge, in the graph's edge order (unknown ids and duplicates dropped).
    pub edges: Vec<RoutedEdge>,
    /// Geometric crossings between edges that share no endpoint, as [`count_crossings`] counts them.
    pub crossings: usize,
    /// The horizontal extent of each stage's column band, upstream first.
    pub stages: Vec<StageBand>,
}

/// A node's box and the text lines it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Node id.
    pub id: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Box width.
    pub width: f64,
    /// Box height.
    pub height: f64,
    /// Text lines: the wrapped name, "本地企业 N 家", then up to three key enterprises.
    pub lines: Vec<String>,
}

/// An edge drawn as a polyline from the source box's border to the target box's border.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutedEdge {
    /// Supplying node id.
    pub from: String,
    /// Receiving node id.
    pub to: String,
    /// Polyline points, first on the source box, last on the target box.
    pub points: Vec<(f64, f64)>,
}

/// The horizontal extent of one stage column (its light background band).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageBand {
    /// The stage.
    pub stage: Stage,
    /// Left edge of the band.
    pub x: f64,
    /// Width of the band.
    pub width: f64,
}
