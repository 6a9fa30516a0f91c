//! Supply-demand docking 供需对接 [S1]: OEMs post what they need, local suppliers what they can
//! make; proposed matches come with their reasons; a deal becomes a supplier → customer relation of
//! the library and so raises the local supporting rate. The office of an enterprise's chain (and the
//! general office) posts for it and records its deals; an enterprise posts for itself.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::docking::{self, Match};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::Money;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::supply::{self, Capability, Deal, Need};
use chainchief_store::{enterprises, maps};
use chrono::NaiveDate;

/// Whether the caller docks for an enterprise on `chains` and records its deals: the general
/// office, or the office of one of its chains.
pub fn docks_for(p: &Principal, chains: &[String]) -> bool {
    p.has(Role::GeneralOffice) || chains.iter().any(|c| p.can_write_chain(c))
}

/// Who may post for an enterprise on `chains`: the office that docks for it, or the enterprise itself.
pub fn may_post(p: &Principal, enterprise_id: &str, chains: &[String]) -> bool {
    docks_for(p, chains) || p.own_enterprise() == Some(enterprise_id)
}

/// Who may open a need (its proposed suppliers and deals): the whole city's readers, those who
/// may post for its enterprise, the chiefs of its chains, a proposed supplier.
pub fn may_see_need(p: &Principal, need: &Need, oem_chains: &[String], suppliers: &[String]) -> bool {
    p.reads_whole_city()
        || may_post(p, &need.enterprise_id, oem_chains)
        || oem_chains.iter().any(|c| p.holds_on_chain(&[Role::ChainChief], c))
        || p.own_enterprise().is_some_and(|e| suppliers.iter().any(|s| s == e))
}

/// The docking board: every need and capability of the city, and whom the caller may post for.
pub struct Board {
    /// Needs, newest first, each with whether the caller may open it.
    pub needs: Vec<(Need, bool)>,
    /// Capabilities.
    pub capabilities: Vec<Capability>,
    /// Enterprises the caller may post a need for (id, name).
    pub oems: Vec<(String, String)>,
    /// Enterprises the caller may post a capability for: local ones (id, name).
    pub suppliers: Vec<(String, String)>,
}

/// The docking board as the caller sees it.
pub async fn board(ctx: &Context, c: &Caller<'_>) -> Result<Board> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let all = maps::enterprises_of_city(pool, &p.city_id).await?;
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let choose = |local_only: bool| -> Vec<(String, String)> {
        all.iter()
            .filter(|(id, _, local)| may_post(p, id, members.get(id).unwrap_or(&none)) && (!local_only || *local == 1))
            .map(|(id, name, _)| (id.clone(), name.clone()))
            .collect()
    };
    let mut needs = Vec::new();
    for need in supply::needs(pool, &p.city_id).await? {
        let chains = members.get(&need.enterprise_id).unwrap_or(&none);
        let suppliers: Vec<String> = match p.own_enterprise() {
            Some(_) => proposals(ctx, p, &need).await?.into_iter().map(|m| m.supplier_id).collect(),
            None => Vec::new(),
        };
        let open = may_see_need(p, &need, chains, &suppliers);
        needs.push((need, open));
    }
    Ok(Board {
        needs,
        capabilities: supply::capabilities(pool, &p.city_id).await?,
        oems: choose(false),
        suppliers: choose(true),
    })
}

/// What is posted: a need of an OEM or a capability of a supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posting {
    /// 需求.
    Need,
    /// 供给能力.
    Capability,
}

/// Posts a need or a capability for an enterprise; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn post(
    ctx: &Context,
    c: &Caller<'_>,
    kind: Posting,
    enterprise_id: &str,
    part: &str,
    process: &str,
    extra: &str,
    value: Option<Money>,
) -> Result<String> {
    let p = c.principal;
    if !is_valid_id(enterprise_id) {
        return Err(Error::field("enterprise_id", "请选择企业"));
    }
    enterprises::get(ctx.store.pool(), &p.city_id, enterprise_id)
        .await
        .map_err(|_| Error::field("enterprise_id", "企业库中没有该企业"))?;
    let chains = enterprises::chains_of(ctx.store.pool(), enterprise_id).await?;
    allow(ctx, c, may_post(p, enterprise_id, &chains), "POST /supply").await?;
    let part = required("part", "零部件/产品", part, 60)?;
    let process = optional("process", "工艺", process, 60)?;
    let extra = optional("extra", "说明", extra, 200)?;
    let kind = match kind {
        Posting::Need => "need",
        Posting::Capability => "capability",
    };
    Ok(supply::post(&ctx.store, &c.actor, &p.city_id, kind, enterprise_id, &part, &process, &extra, value).await?)
}

/// A need with its proposed suppliers and its deals.
pub struct NeedView {
    /// The need.
    pub need: Need,
    /// Proposed local suppliers, best first, each with its reasons.
    pub matches: Vec<Match>,
    /// Deals recorded.
    pub deals: Vec<Deal>,
    /// Whether the caller may record a deal.
    pub can_deal: bool,
}

async fn need_of(ctx: &Context, p: &Principal, id: &str) -> Result<Need> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(supply::need(ctx.store.pool(), &p.city_id, id).await?)
}

/// The proposed suppliers of a need.
async fn proposals(ctx: &Context, p: &Principal, need: &Need) -> Result<Vec<Match>> {
    let pool = ctx.store.pool();
    let pairs = supply::pairs(pool, &p.city_id).await?;
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let oem_chains = members.get(&need.enterprise_id).unwrap_or(&none);
    let caps: Vec<docking::Capability> = supply::capabilities(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|c| docking::Capability {
            already_supplies: pairs.contains(&(c.enterprise_id.clone(), need.enterprise_id.clone())),
            on_chain: members.get(&c.enterprise_id).unwrap_or(&none).iter().any(|x| oem_chains.contains(x)),
            id: c.id,
            supplier_id: c.enterprise_id,
            supplier: c.enterprise_name,
            part: c.part,
            process: c.process,
        })
        .collect();
    Ok(docking::matches(&docking::Need { part: need.part.clone(), process: need.process.clone() }, &caps))
}

/// A need of the caller's city with its proposals and deals, for one who may open it.
pub async fn need(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<NeedView> {
    let p = c.principal;
    let need = need_of(ctx, p, id).await?;
    let chains = enterprises::chains_of(ctx.store.pool(), &need.enterprise_id).await?;
    let matches = proposals(ctx, p, &need).await?;
    let suppliers: Vec<String> = matches.iter().map(|m| m.supplier_id.clone()).collect();
    allow(ctx, c, may_see_need(p, &need, &chains, &suppliers), "GET /supply/needs/{id}").await?;
    Ok(NeedView {
        matches,
        deals: supply::deals_of(ctx.store.pool(), &need.id).await?,
        can_deal: docks_for(p, &chains),
        need,
    })
}

/// Records a deal between a proposed supplier and the OEM of a need, on a day not to come.
pub async fn record_deal(
    ctx: &Context,
    c: &Caller<'_>,
    need_id: &str,
    supplier_id: &str,
    value: Money,
    on: NaiveDate,
) -> Result<()> {
    let p = c.principal;
    let need = need_of(ctx, p, need_id).await?;
    let chains = enterprises::chains_of(ctx.store.pool(), &need.enterprise_id).await?;
    allow(ctx, c, docks_for(p, &chains), "POST /supply/needs/{id}/deals").await?;
    if !proposals(ctx, p, &need).await?.iter().any(|m| m.supplier_id == supplier_id) {
        return Err(Error::field("supplier_id", "请选择推荐的本地供应商"));
    }
    if value <= Money::ZERO {
        return Err(Error::field("value", "请填写大于0的年供货额（万元）"));
    }
    if on > ctx.clock.today() {
        return Err(Error::field("signed_on", "成交日期不能晚于今天"));
    }
    let on = on.format("%Y-%m-%d").to_string();
    Ok(supply::record_deal(&ctx.store, &c.actor, &p.city_id, &need, supplier_id, value, &on).await?)
}
