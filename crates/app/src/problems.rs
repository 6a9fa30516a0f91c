//! Problems and 督办 [P4]: who sees which problem, who assigns it, and each one's light and
//! escalation to the chain chief.

use crate::{Context, Result};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::{Light, escalated, light};
use chainchief_store::problems::{self, Problem};

/// A problem with its units and where it stands.
pub struct Row {
    /// The problem.
    pub p: Problem,
    /// (unit id, unit name, role).
    pub units: Vec<(String, String, String)>,
    /// The light, once it has a deadline.
    pub light: Option<Light>,
    /// Late and open: escalated to the chain chief.
    pub escalated: bool,
}

impl Row {
    /// Resolved or confirmed.
    pub fn closed(&self) -> bool {
        self.p.status.is_closed()
    }

    /// Lead unit's name.
    pub fn lead(&self) -> String {
        self.units.iter().find(|u| u.2 == "lead").map(|u| u.1.clone()).unwrap_or_default()
    }
}

/// Whether `p` may see a problem: the leaders and the general office all; chain chiefs and
/// offices their chains'; units those assigned to them; enterprises and others what they raised.
pub fn may_see(p: &Principal, r: &Row) -> bool {
    p.reads_whole_city()
        || r.p.raised_by == p.username
        || r.p
            .chain_id
            .as_deref()
            .is_some_and(|c| p.can_read_chain(c) && p.has_any(&[Role::ChainChief, Role::ChainOffice]))
        || r.units.iter().any(|u| p.acts_for_unit(&u.0))
        || r.p.enterprise_id.as_deref().is_some_and(|e| {
            p.grants.iter().any(|g| g.role == Role::Enterprise && g.enterprise_id.as_deref() == Some(e))
        })
}

/// Whether `p` may assign a problem (and set its deadline).
pub fn may_assign(p: &Principal, r: &Row) -> bool {
    p.has(Role::GeneralOffice) || r.p.chain_id.as_deref().is_some_and(|c| p.can_write_chain(c))
}

impl Row {
    /// A problem with its units, lit as of `today`.
    fn lit(p: Problem, units: Vec<(String, String, String)>, today: chrono::NaiveDate) -> Row {
        let mut r = Row { p, units, light: None, escalated: false };
        if let Some(d) = r.p.deadline.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
            r.light = Some(light(d, r.closed(), today));
            r.escalated = escalated(d, r.closed(), today);
        }
        r
    }
}

/// The problems `p` may see, with their lights.
pub async fn rows(ctx: &Context, p: &Principal) -> Result<Vec<Row>> {
    let pool = ctx.store.pool();
    let all = problems::assignments(pool, &p.city_id).await?;
    let today = ctx.clock.today();
    Ok(problems::list(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|pr| {
            let units = all.iter().filter(|a| a.0 == pr.id).map(|a| (a.1.clone(), a.2.clone(), a.3.clone())).collect();
            Row::lit(pr, units, today)
        })
        .filter(|r| may_see(p, r))
        .collect())
}

/// One problem of the city with its light, and whether `p` may see it (not found when it is not
/// the city's).
pub async fn one(ctx: &Context, p: &Principal, id: &str) -> Result<(Row, bool)> {
    let pool = ctx.store.pool();
    let pr = problems::get(pool, &p.city_id, id).await?;
    let units = problems::assignments_of(pool, id).await?;
    let row = Row::lit(pr, units, ctx.clock.today());
    let visible = may_see(p, &row);
    Ok((row, visible))
}

/// The problems escalated to a chain chief (for the home page).
pub async fn escalated_for(ctx: &Context, p: &Principal) -> Result<Vec<Row>> {
    if !p.has(Role::ChainChief) && !p.reads_whole_city() {
        return Ok(vec![]);
    }
    Ok(rows(ctx, p).await?.into_iter().filter(|r| r.escalated).collect())
}
