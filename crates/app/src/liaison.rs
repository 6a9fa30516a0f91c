//! The chain's liaisons to higher-level chains and its experts (智囊团, 科技特派员) [O1]: accounts
//! that record their 对接 work on the chain and comment on the chain's items they are attached to
//! (factor requests, problems). Whoever reads the chain reads the records; the liaison, the
//! chain's office and the general office write them.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::liaison::{self as store, Comment, Log};
use chainchief_store::org;
use chrono::NaiveDate;

/// Whether `p` records 对接 work or comments on a chain's items: its liaisons and experts, its
/// office and chief, the general office.
pub fn may_speak_for(p: &Principal, chain_id: &str) -> bool {
    p.can_write_chain(chain_id) || p.holds_on_chain(&[Role::Liaison, Role::ChainChief], chain_id)
}

/// A chain's 对接 records and whether the caller may add one.
pub struct Logs {
    /// Chain id.
    pub chain_id: String,
    /// Chain name.
    pub chain_name: String,
    /// Records, latest first.
    pub logs: Vec<Log>,
    /// May add one.
    pub can_add: bool,
}

async fn chain(ctx: &Context, c: &Caller<'_>, chain_id: &str, what: &str) -> Result<org::Chain> {
    let p = c.principal;
    if !is_valid_id(chain_id) {
        return Err(Error::NotFound);
    }
    let ch = org::chain(ctx.store.pool(), &p.city_id, chain_id).await?;
    allow(ctx, c, p.can_read_chain(chain_id), what).await?;
    Ok(ch)
}

/// The 对接 records of a chain the caller reads.
pub async fn logs(ctx: &Context, c: &Caller<'_>, chain_id: &str) -> Result<Logs> {
    let ch = chain(ctx, c, chain_id, "GET /chains/{id}/liaison").await?;
    Ok(Logs {
        logs: store::logs(ctx.store.pool(), chain_id).await?,
        can_add: may_speak_for(c.principal, chain_id),
        chain_id: ch.id,
        chain_name: ch.name,
    })
}

/// A 对接 record as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LogInput {
    /// Day done.
    pub done_on: String,
    /// With whom.
    pub counterpart: String,
    /// What was done.
    pub content: String,
    /// What came of it.
    #[serde(default)]
    pub result: String,
}

/// Records 对接 work on a chain.
pub async fn add_log(ctx: &Context, c: &Caller<'_>, chain_id: &str, i: &LogInput) -> Result<()> {
    let p = c.principal;
    chain(ctx, c, chain_id, "POST /chains/{id}/liaison").await?;
    allow(ctx, c, may_speak_for(p, chain_id), "POST /chains/{id}/liaison").await?;
    let done = NaiveDate::parse_from_str(i.done_on.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field("done_on", "日期应为日期，如 2026-12-01"))?;
    if done > ctx.clock.today() {
        return Err(Error::field("done_on", "日期不能晚于今天"));
    }
    let log = Log {
        done_on: done.format("%Y-%m-%d").to_string(),
        counterpart: required("counterpart", "对接对象", &i.counterpart, 60)?,
        content: required("content", "对接内容", &i.content, 1000)?,
        result: optional("result", "成效", &i.result, 1000)?,
        created_by: c.actor.name.clone(),
    };
    Ok(store::add_log(&ctx.store, &c.actor, &p.city_id, chain_id, &log).await?)
}

/// The comments on an item and whether the caller may add one: `chain_id` is the item's chain
/// (the caller has been let see the item).
pub async fn comments(
    ctx: &Context,
    p: &Principal,
    item_id: &str,
    chain_id: Option<&str>,
) -> Result<(Vec<Comment>, bool)> {
    let may = chain_id.is_some_and(|ch| may_speak_for(p, ch));
    Ok((store::comments(ctx.store.pool(), item_id).await?, may))
}

/// Adds a comment on an item of `entity` kind on `chain_id`, which the caller has been let see.
pub async fn comment(
    ctx: &Context,
    c: &Caller<'_>,
    entity: &'static str,
    item_id: &str,
    chain_id: Option<&str>,
    body: &str,
) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, chain_id.is_some_and(|ch| may_speak_for(p, ch)), "POST comment").await?;
    let body = required("body", "意见", body, 1000)?;
    Ok(store::add_comment(&ctx.store, &c.actor, &p.city_id, entity, item_id, &body).await?)
}
