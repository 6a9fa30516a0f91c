//! Pure types and rules of ChainChief. No I/O lives here.

pub mod audit;
pub mod chain_map;
pub mod credit_code;
pub mod docking;
pub mod enterprise_import;
pub mod error;
pub mod forecast;
pub mod formula;
pub mod ids;
pub mod industry;
pub mod maps_file;
pub mod names;
pub mod org;
pub mod password;
pub mod plan;
pub mod progress;
pub mod project;
pub mod quantity;
pub mod rating;
pub mod recommend;
pub mod reserve;
pub mod roles;
pub mod snapshot;
pub mod supervision;
pub mod text;
pub mod values_import;
