//! 纾困增效 campaigns [F1] (e.g. 土地供应保障, 市场主体融资, 能源保供): a leader and a lead unit,
//! dates, a goal and results; the requests raised under it and the actions taken, each dated.
//! Every business user of the city reads them; the general office and the lead unit keep them.

use crate::factors::{Row, Tally, rows, tally_by};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::factors::{self as store, Campaign, CampaignAction, CampaignFields};
use chrono::NaiveDate;

/// Whether `p` keeps a campaign: the general office, or its lead unit.
pub fn may_keep(p: &Principal, c: Option<&Campaign>) -> bool {
    p.has(Role::GeneralOffice) || c.and_then(|c| c.unit_id.as_deref()).is_some_and(|u| p.acts_for_unit(u))
}

/// The city's campaigns with the tally of the requests under each that the caller sees.
pub async fn list(ctx: &Context, p: &Principal) -> Result<Vec<(Campaign, Tally)>> {
    let visible = rows(ctx, p).await?;
    let (tallies, _) = tally_by(&visible, |r| r.r.campaign_id.clone());
    Ok(store::campaigns(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .map(|c| {
            let t = tallies.iter().find(|(k, _)| k.as_deref() == Some(c.id.as_str())).map(|(_, t)| t.clone());
            (c, t.unwrap_or_default())
        })
        .collect())
}

/// A campaign's page: the campaign, its actions, the requests under it the caller sees.
pub struct CampaignView {
    /// The campaign.
    pub campaign: Campaign,
    /// Its actions, latest first.
    pub actions: Vec<CampaignAction>,
    /// Its requests.
    pub requests: Vec<Row>,
    /// Their tally.
    pub tally: Tally,
    /// May change it and record actions.
    pub can_edit: bool,
}

async fn campaign_of(ctx: &Context, p: &Principal, id: &str) -> Result<Campaign> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(store::campaign(ctx.store.pool(), &p.city_id, id).await?)
}

/// One campaign.
pub async fn get(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<CampaignView> {
    let p = c.principal;
    let campaign = campaign_of(ctx, p, id).await?;
    allow(ctx, c, p.is_business_user(), "GET /campaigns/{id}").await?;
    let requests: Vec<Row> =
        rows(ctx, p).await?.into_iter().filter(|r| r.r.campaign_id.as_deref() == Some(id)).collect();
    let tally = tally_by(&requests, |_| ()).1;
    Ok(CampaignView {
        actions: store::actions(ctx.store.pool(), id).await?,
        can_edit: may_keep(p, Some(&campaign)),
        campaign,
        requests,
        tally,
    })
}

/// A campaign as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CampaignInput {
    /// Name.
    pub name: String,
    /// Leader.
    pub leader: String,
    /// Lead unit id, or empty.
    #[serde(default)]
    pub unit_id: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Goal.
    #[serde(default)]
    pub goal: String,
    /// Results.
    #[serde(default)]
    pub results: String,
}

fn day(field: &'static str, label: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field(field, format!("{label}应为日期，如 2026-12-01")))
}

async fn fields(ctx: &Context, p: &Principal, i: &CampaignInput) -> Result<CampaignFields> {
    let starts = day("starts_on", "开始日期", &i.starts_on)?;
    let ends = day("ends_on", "结束日期", &i.ends_on)?;
    if ends < starts {
        return Err(Error::field("ends_on", "结束日期不能早于开始日期"));
    }
    let unit_id = match i.unit_id.trim() {
        "" => None,
        u if crate::factors::routable_units(ctx, p).await?.iter().any(|(id, _)| id == u) => Some(u.to_string()),
        _ => return Err(Error::field("unit_id", "牵头单位无效")),
    };
    Ok(CampaignFields {
        name: required("name", "行动名称", &i.name, 60)?,
        leader: required("leader", "牵头领导", &i.leader, 40)?,
        unit_id,
        starts_on: starts.format("%Y-%m-%d").to_string(),
        ends_on: ends.format("%Y-%m-%d").to_string(),
        goal: optional("goal", "行动目标", &i.goal, 1000)?,
        results: optional("results", "行动成效", &i.results, 2000)?,
    })
}

/// Starts a campaign (the general office); returns its id.
pub async fn create(ctx: &Context, c: &Caller<'_>, i: &CampaignInput) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, may_keep(p, None), "POST /campaigns").await?;
    let f = fields(ctx, p, i).await?;
    Ok(store::create_campaign(&ctx.store, &c.actor, &p.city_id, &f).await?)
}

/// Changes a campaign read at `version`.
pub async fn update(ctx: &Context, c: &Caller<'_>, id: &str, i: &CampaignInput, version: i64) -> Result<()> {
    let p = c.principal;
    let was = campaign_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, Some(&was)), "POST /campaigns/{id}").await?;
    let f = fields(ctx, p, i).await?;
    Ok(store::update_campaign(&ctx.store, &c.actor, &p.city_id, id, &f, version).await?)
}

/// An action as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActionInput {
    /// Day done.
    pub done_on: String,
    /// What was done.
    pub action: String,
    /// What came of it.
    #[serde(default)]
    pub result: String,
}

/// Records an action of a campaign.
pub async fn add_action(ctx: &Context, c: &Caller<'_>, id: &str, i: &ActionInput) -> Result<()> {
    let p = c.principal;
    let was = campaign_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, Some(&was)), "POST /campaigns/{id}/actions").await?;
    let done = day("done_on", "日期", &i.done_on)?;
    if done > ctx.clock.today() {
        return Err(Error::field("done_on", "日期不能晚于今天"));
    }
    let action = required("action", "开展的工作", &i.action, 500)?;
    let result = optional("result", "成效", &i.result, 1000)?;
    Ok(store::add_action(&ctx.store, &c.actor, id, &done.format("%Y-%m-%d").to_string(), &action, &result).await?)
}
