//! Investment promotion [I1][I4]: the target library 招商重点企业库 (external enterprises the city
//! courts, the nodes each could fill, its status and the timeline of contacts) and the events held
//! with the plan's yearly quotas of them. Who reads and records it is decided here.

use crate::projects::{may_read, may_write};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::{EventKind, TargetStatus, quota_state};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::events::{self, NewEvent, PromotionEvent};
use chainchief_store::investment::{self, Contact, NewTarget, Target};
use chainchief_store::{enterprises, org, projects};
use chrono::{Datelike, NaiveDate};

/// A target with the names of the nodes it could fill.
pub struct TargetRow {
    /// The target.
    pub t: Target,
    /// Names of the nodes it could fill.
    pub nodes: Vec<String>,
}

/// The target library: every target, and the external enterprises not yet in it (id, name).
pub async fn targets(ctx: &Context, c: &Caller<'_>, what: &str) -> Result<(Vec<TargetRow>, Vec<(String, String)>)> {
    let p = c.principal;
    allow(ctx, c, may_read(p), what).await?;
    let pool = ctx.store.pool();
    let targets = investment::targets(pool, &p.city_id).await?;
    let nodes = investment::target_nodes(pool, &p.city_id).await?;
    let taken: Vec<&str> = targets.iter().map(|t| t.enterprise_id.as_str()).collect();
    let candidates = enterprises::externals(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _)| !taken.contains(&id.as_str()))
        .collect();
    let rows = targets
        .into_iter()
        .map(|t| TargetRow { nodes: nodes.iter().filter(|n| n.0 == t.id).map(|n| n.2.clone()).collect(), t })
        .collect();
    Ok((rows, candidates))
}

/// Adds an external enterprise of the library to the targets; returns the target's id.
pub async fn add_target(ctx: &Context, c: &Caller<'_>, enterprise_id: &str, note: &str) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, may_write(p), "POST /investment/targets").await?;
    if !is_valid_id(enterprise_id) {
        return Err(Error::field("enterprise_id", "请选择企业"));
    }
    enterprises::get(ctx.store.pool(), &p.city_id, enterprise_id)
        .await
        .map_err(|_| Error::field("enterprise_id", "企业库中没有该企业"))?;
    let new = NewTarget {
        city_id: p.city_id.clone(),
        enterprise_id: enterprise_id.to_string(),
        node_ids: vec![],
        owner_unit_id: None,
        note: optional("note", "备注", note, 500)?,
    };
    Ok(investment::add_target(&ctx.store, &c.actor, &new).await?)
}

/// A target with everything its page shows.
pub struct TargetDetail {
    /// The target.
    pub t: Target,
    /// (node id, node name, chain id) of the nodes it could fill.
    pub nodes: Vec<(String, String, String)>,
    /// Its contacts, newest first.
    pub contacts: Vec<Contact>,
    /// Its ties to the chain: local enterprises it deals with, OEMs it supplies.
    pub ties: Vec<String>,
    /// Whether the caller may change it.
    pub can_change: bool,
}

/// Who may change a target (its status, contacts): the general office, the unit that owns it,
/// the office of a chain whose node it would fill.
pub fn may_change_target(p: &Principal, t: &Target, chains: &[String]) -> bool {
    p.has(Role::GeneralOffice)
        || t.owner_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
        || chains.iter().any(|c| p.can_write_chain(c))
}

/// A target the caller may change; `what` names the request for the audit log.
async fn changeable_target(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Target> {
    allow(ctx, c, may_write(c.principal), what).await?;
    let t = target(ctx, c, id).await?;
    let chains: Vec<String> =
        investment::nodes_of_target(ctx.store.pool(), id).await?.into_iter().map(|(_, _, chain)| chain).collect();
    allow(ctx, c, may_change_target(c.principal, &t, &chains), what).await?;
    Ok(t)
}

async fn target(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Target> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(investment::target(ctx.store.pool(), &c.principal.city_id, id).await?)
}

/// One target for a reader.
pub async fn target_detail(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<TargetDetail> {
    allow(ctx, c, may_read(c.principal), "GET /investment/targets/{id}").await?;
    let t = target(ctx, c, id).await?;
    let pool = ctx.store.pool();
    let nodes = investment::nodes_of_target(pool, id).await?;
    let chain = nodes.first().map(|n| n.2.clone()).unwrap_or_default();
    let (local, oems) = investment::ties(pool, &t.enterprise_id, &chain).await?;
    let ties = local
        .into_iter()
        .map(|n| format!("本地企业{n}"))
        .chain(oems.into_iter().map(|n| format!("主机企业{n}")))
        .collect();
    let chains: Vec<String> = nodes.iter().map(|n| n.2.clone()).collect();
    let can_change = may_write(c.principal) && may_change_target(c.principal, &t, &chains);
    Ok(TargetDetail { contacts: investment::contacts(pool, id).await?, t, nodes, ties, can_change })
}

/// Records a contact with a target on a day not to come (a first contact makes it 已接触).
pub async fn add_contact(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    on: NaiveDate,
    kind: &str,
    summary: &str,
) -> Result<()> {
    changeable_target(ctx, c, id, "POST /investment/targets/{id}/contacts").await?;
    if on > ctx.clock.today() {
        return Err(Error::field("contact_on", "对接日期不能晚于今天"));
    }
    let kind = required("kind", "方式", kind, 20)?;
    let summary = required("summary", "内容", summary, 1000)?;
    let on = on.format("%Y-%m-%d").to_string();
    Ok(investment::add_contact(&ctx.store, &c.actor, id, &on, &kind, &summary).await?)
}

/// Sets a target's status and notes, read at `version`.
pub async fn update_target(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    status: TargetStatus,
    note: &str,
    version: i64,
) -> Result<()> {
    changeable_target(ctx, c, id, "POST /investment/targets/{id}").await?;
    let note = optional("note", "备注", note, 500)?;
    Ok(investment::update_target(&ctx.store, &c.actor, id, &c.principal.city_id, status, &note, version).await?)
}

/// A quota of the plan in a year with what is done.
pub struct Quota {
    /// Quota code in the plan.
    pub code: String,
    /// What is counted.
    pub name: String,
    /// Unit (次, 家 …).
    pub unit: String,
    /// Required in the year.
    pub required: i64,
    /// Done so far (null when the data does not count it).
    pub done: Option<i64>,
    /// Pro rata by today.
    pub expected: u32,
    /// Behind the pro-rata schedule.
    pub behind: bool,
}

/// A year asked for, or this year; refused outside 2000–2100.
pub fn year_or_this(ctx: &Context, year: Option<i32>) -> Result<i32> {
    let y = year.unwrap_or_else(|| ctx.clock.year());
    if chainchief_domain::period::YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(Error::field("year", "年份应在2000到2100之间"))
    }
}

/// The plan's quotas in a year with done, expected by today and behind.
pub async fn quotas(ctx: &Context, c: &Caller<'_>, year: i32, what: &str) -> Result<Vec<Quota>> {
    let p = c.principal;
    allow(ctx, c, may_read(p), what).await?;
    let pool = ctx.store.pool();
    let (_, _, quotas) = org::measures(pool, &p.city_id).await?;
    let today = ctx.clock.today();
    let mut out = Vec::new();
    for q in quotas {
        let done = events::count(pool, &p.city_id, &q.counts, year).await?;
        let s = quota_state(q.min_count as u32, done.unwrap_or(0) as u32, year, today);
        out.push(Quota {
            code: q.code,
            name: q.name,
            unit: q.unit,
            required: q.min_count,
            done,
            expected: s.expected,
            behind: done.is_some() && s.behind,
        });
    }
    Ok(out)
}

/// The events held in a year, each with the names of its projects.
pub async fn events_of_year(ctx: &Context, c: &Caller<'_>, year: i32) -> Result<Vec<(PromotionEvent, Vec<String>)>> {
    let p = c.principal;
    allow(ctx, c, may_read(p), "GET /investment/events").await?;
    let pool = ctx.store.pool();
    let links = events::links(pool, &p.city_id).await?;
    Ok(events::of_year(pool, &p.city_id, year)
        .await?
        .into_iter()
        .map(|e| {
            let names = links.iter().filter(|l| l.0 == e.id).map(|l| l.2.clone()).collect();
            (e, names)
        })
        .collect())
}

/// An event as recorded.
pub struct EventInput {
    /// Its kind.
    pub kind: EventKind,
    /// 活动名称.
    pub title: String,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// 地点.
    pub place: String,
    /// 参加人员.
    pub participants: String,
    /// Projects signed or started at it.
    pub project_ids: Vec<String>,
}

/// Records an event already held with its projects; returns its year.
pub async fn record_event(ctx: &Context, c: &Caller<'_>, e: EventInput) -> Result<i32> {
    let p = c.principal;
    allow(ctx, c, may_write(p), "POST /investment/events").await?;
    if e.held_on > ctx.clock.today() {
        return Err(Error::field("held_on", "只能登记已举办的活动（日期不能晚于今天）"));
    }
    let title = required("title", "活动名称", &e.title, 100)?;
    let place = optional("place", "地点", &e.place, 100)?;
    let participants = optional("participants", "参加人员", &e.participants, 500)?;
    for id in &e.project_ids {
        if !is_valid_id(id) {
            return Err(Error::field("project", "项目无效"));
        }
        let project = projects::get(ctx.store.pool(), &p.city_id, id)
            .await
            .map_err(|_| Error::field("project", "没有这个项目"))?;
        // An event claims the projects signed at it: only projects the caller may change.
        allow(ctx, c, crate::projects::may_change(p, &project), "POST /investment/events").await?;
    }
    let new = NewEvent {
        city_id: p.city_id.clone(),
        kind: e.kind.code().to_string(),
        title,
        held_on: e.held_on.format("%Y-%m-%d").to_string(),
        place,
        participants,
        project_ids: e.project_ids,
    };
    events::create(&ctx.store, &c.actor, &new).await?;
    Ok(e.held_on.year())
}
