//! Recommended targets for a node [I2]: the target library ranked by the documented score of
//! `plans/recommendation-weights.toml`, each with its reasons.

use crate::{Context, Error, Result};
use chainchief_domain::recommend::{Candidate, Gap, Ranked, Weights, parse_weights, rank};
use chainchief_store::{enterprises, investment, maps};

/// The shipped weights of the score.
const WEIGHTS: &str = include_str!("../../../plans/recommendation-weights.toml");

/// The weights in force.
pub fn weights() -> Result<Weights> {
    parse_weights(WEIGHTS).map_err(Error::Internal)
}

fn list(text: &str) -> Vec<String> {
    text.split(['、', ',', '，']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The city's targets ranked for `node` of its chain.
pub async fn for_node(ctx: &Context, city_id: &str, node: &maps::Node) -> Result<Vec<Ranked>> {
    let pool = ctx.store.pool();
    let nodes = investment::target_nodes(pool, city_id).await?;
    let mut candidates = Vec::new();
    for t in investment::targets(pool, city_id).await? {
        let (local_ties, oems_followed) = investment::ties(pool, &t.enterprise_id, &node.chain_id).await?;
        let e = enterprises::get(pool, city_id, &t.enterprise_id).await?;
        candidates.push(Candidate {
            node_ids: nodes.iter().filter(|n| n.0 == t.id).map(|n| n.1.clone()).collect(),
            categories: list(&t.categories),
            products: list(&e.products),
            industry_codes: vec![],
            local_ties,
            oems_followed,
            status: t.status,
            id: t.id,
            name: t.name,
        });
    }
    let gap = Gap {
        node_id: node.id.clone(),
        node_name: node.name.clone(),
        products: list(&node.products),
        industry_codes: list(&node.industry_codes),
    };
    Ok(rank(&gap, &candidates, &weights()?))
}
