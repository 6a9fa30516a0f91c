//! The reserve library (后备库) [E3]: for a cultivation goal, the local enterprises the caller may
//! see that do not yet hold it, each with the criteria (data) it meets or misses, closest first.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::reserve::{Criteria, Facts, Target, meets, parse};
use chainchief_store::library;

/// The shipped criteria (plans/reserve-criteria.toml).
const CRITERIA: &str = include_str!("../../../plans/reserve-criteria.toml");

/// The cultivation goals and their criteria.
pub fn criteria() -> Result<Criteria> {
    parse(CRITERIA).map_err(Error::Internal)
}

/// A candidate with each criterion met (true) or missed.
pub struct Candidate {
    /// Enterprise id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// (criterion, met) in the goal's order.
    pub checks: Vec<(String, bool)>,
    /// How many are met.
    pub met: usize,
}

/// The goal named by its tier code (the first goal when empty) and its candidates, closest first.
pub async fn candidates(ctx: &Context, c: &Caller<'_>, tier: &str) -> Result<(Target, Vec<Candidate>)> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /enterprises/reserve").await?;
    let criteria = criteria()?;
    let goal = match tier {
        "" => criteria.targets.first(),
        t => criteria.targets.iter().find(|g| g.tier == t),
    }
    .cloned()
    .ok_or_else(|| Error::field("target", "没有这个培育目标"))?;
    let scope = crate::enterprises::scope_of(p);
    let (list, tiers) = library::candidates(ctx.store.pool(), &p.city_id, &scope).await?;
    let mut rows: Vec<Candidate> = list
        .into_iter()
        .filter_map(|e| {
            let held: Vec<_> = tiers.iter().filter(|t| t.enterprise_id == e.id).map(|t| t.tier).collect();
            if held.iter().any(|t| t.code() == goal.tier) {
                return None;
            }
            let facts = Facts { revenue: e.revenue, employees: e.employees, scale: e.scale, tiers: held };
            let checks: Vec<(String, bool)> =
                goal.criteria.iter().map(|k| (k.label.clone(), meets(k, &facts))).collect();
            let met = checks.iter().filter(|x| x.1).count();
            Some(Candidate { id: e.id, name: e.name, checks, met })
        })
        .collect();
    rows.sort_by(|a, b| b.met.cmp(&a.met).then(a.name.cmp(&b.name)));
    Ok((goal, rows))
}
