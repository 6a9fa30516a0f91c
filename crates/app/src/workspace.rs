//! The enterprise's workspace [E5] (我的企业): what an enterprise user has to do and can ask for —
//! its to-do list (figures due, answers to rate), its factor requests and their state, the lead banks of its chains and its
//! financing, the policies it qualifies for, its supply needs and the needs it was matched to,
//! and its tier path with the gaps to the next tier.

use crate::factors::{Row, rows};
use crate::reporting::Reminder;
use crate::{Caller, Context, Result};
use chainchief_domain::eligibility::Eligibility;
use chainchief_domain::reserve::{Standing, Target};
use chainchief_store::enterprises::{self, Enterprise};
use chainchief_store::factors::{self as store, ChainBank};
use chainchief_store::policies::Policy;
use chainchief_store::supply::Need;

/// An enterprise user's workspace.
pub struct Workspace {
    /// The enterprise.
    pub enterprise: Enterprise,
    /// What waits for it: figures due, answers to rate, problems to confirm, late first.
    pub due: Vec<Reminder>,
    /// Its requests, newest first.
    pub requests: Vec<Row>,
    /// The lead banks of its chains.
    pub banks: Vec<ChainBank>,
    /// Its own supply needs.
    pub needs: Vec<Need>,
    /// Other enterprises' needs it was proposed for as a supplier.
    pub matched: Vec<Need>,
    /// Its tier path: each goal, `None` where held.
    pub path: Vec<(Target, Option<Standing>)>,
    /// Policies in force it qualifies or may qualify for, best first.
    pub policies: Vec<(Policy, Eligibility)>,
    /// (id, name) of the campaigns it may raise a request under.
    pub campaigns: Vec<(String, String)>,
}

impl Workspace {
    /// The next goal on the path: the first it neither holds nor already meets every criterion of.
    pub fn next_goal(&self) -> Option<(&Target, &Standing)> {
        self.path.iter().find_map(|(g, s)| s.as_ref().filter(|s| s.met < g.criteria.len()).map(|s| (g, s)))
    }

    /// Requests waiting for its rating.
    pub fn to_rate(&self) -> usize {
        self.requests.iter().filter(|r| crate::factors::is_waiting_rating(&r.r)).count()
    }
}

/// The workspace of the caller's enterprise; `None` for a caller who acts for no enterprise.
pub async fn mine(ctx: &Context, c: &Caller<'_>) -> Result<Option<Workspace>> {
    let p = c.principal;
    let Some(own) = p.own_enterprise() else { return Ok(None) };
    let pool = ctx.store.pool();
    let enterprise = enterprises::get(pool, &p.city_id, own).await?;
    let chains = enterprises::chains_of(pool, own).await?;
    let board = crate::supply::board(ctx, c).await?;
    let (needs, matched): (Vec<Need>, Vec<Need>) = board
        .needs
        .into_iter()
        .filter(|(n, open)| n.enterprise_id == own || *open)
        .map(|(n, _)| n)
        .partition(|n| n.enterprise_id == own);
    Ok(Some(Workspace {
        due: crate::todo::list(ctx, p).await?,
        requests: rows(ctx, p).await?.into_iter().filter(|r| r.r.enterprise_id.as_deref() == Some(own)).collect(),
        banks: store::chain_banks(pool, &p.city_id)
            .await?
            .into_iter()
            .filter(|b| chains.contains(&b.chain_id))
            .collect(),
        needs,
        matched,
        path: crate::reserve::path_of(ctx, p, own).await?,
        policies: crate::policies::for_enterprise(ctx, p, own).await?,
        campaigns: store::campaigns(pool, &p.city_id).await?.into_iter().map(|c| (c.id, c.name)).collect(),
        enterprise,
    }))
}
