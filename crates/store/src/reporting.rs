//! Who reports monthly figures and who has [T2]: the local above-scale (规上) enterprises on the
//! city's chains report the enterprise indicators of no chain every month, and those of their
//! chains that they reported in the twelve months before (a product an enterprise makes).

use crate::Result;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashSet};

/// An enterprise expected to report, with its chains and what it reported for the month.
#[derive(Debug, Clone)]
pub struct Reporter {
    /// Enterprise id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Chains it is on.
    pub chains: Vec<String>,
    /// Indicators it has a figure for in the month.
    pub reported: HashSet<String>,
    /// Indicators it reported in the twelve months before.
    pub recent: HashSet<String>,
}

/// The expected reporters of a city for `period` (`YYYY-MM`), by name.
pub async fn reporters(pool: &AnyPool, city_id: &str, period: &str) -> Result<Vec<Reporter>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.name, m.chain_id FROM enterprises e JOIN (\
           SELECT enterprise_id, chain_id FROM enterprise_chains UNION \
           SELECT en.enterprise_id, n.chain_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id\
         ) m ON m.enterprise_id = e.id \
         WHERE e.city_id = $1 AND e.is_local = 1 AND e.scale = 'above' ORDER BY e.name, m.chain_id",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    let mut by_id: BTreeMap<String, Reporter> = BTreeMap::new();
    for (id, name, chain) in rows {
        let r = by_id.entry(id.clone()).or_insert_with(|| Reporter {
            id,
            name,
            chains: vec![],
            reported: HashSet::new(),
            recent: HashSet::new(),
        });
        r.chains.push(chain);
    }
    let year_before = chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_sub_months(chrono::Months::new(12)))
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default();
    let done: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT DISTINCT v.enterprise_key, v.indicator_id, CASE WHEN v.period = $2 THEN 'now' ELSE 'before' END \
         FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id \
         WHERE i.city_id = $1 AND i.scope = 'enterprise' AND v.period <= $2 AND v.period >= $3",
    )
    .bind(city_id)
    .bind(period)
    .bind(&year_before)
    .fetch_all(pool)
    .await?;
    for (e, ind, when) in done {
        if let Some(r) = by_id.get_mut(&e) {
            if when == "now" {
                r.reported.insert(ind)
            } else {
                r.recent.insert(ind)
            };
        }
    }
    let mut out: Vec<Reporter> = by_id.into_values().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
