//! Pure types and rules of ChainChief. No I/O lives here.

pub mod audit;
pub mod chain_map;
pub mod credit_code;
pub mod error;
pub mod ids;
pub mod org;
pub mod password;
pub mod plan;
pub mod quantity;
pub mod roles;
pub mod text;
