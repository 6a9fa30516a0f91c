//! The reserve library (后备库) [E3]: for a cultivation goal (a tier at a level), the local
//! enterprises the caller may see that do not yet hold it, each with every criterion met, missed by
//! how much, or not known, closest first; and the candidates an office is actively cultivating
//! (重点培育), with the one responsible, the next step and follow-up notes.

use crate::enterprises::{may_certify, may_read};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::reserve::{Criteria, Facts, Standing, Target, closer, parse, standing};
use chainchief_domain::roles::Principal;
use chainchief_domain::text::{optional, required};
use chainchief_store::cultivation::{self as store, Mark, Note};
use chainchief_store::{enterprises, library};
use chrono::NaiveDate;

/// The shipped criteria (plans/reserve-criteria.toml).
const CRITERIA: &str = include_str!("../../../plans/reserve-criteria.toml");

/// The cultivation goals and their criteria.
pub fn criteria() -> Result<Criteria> {
    parse(CRITERIA).map_err(Error::Internal)
}

/// The goal of a tier code (the first goal when empty).
fn goal_of(tier: &str) -> Result<Target> {
    let criteria = criteria()?;
    match tier {
        "" => criteria.targets.first(),
        t => criteria.targets.iter().find(|g| g.tier == t),
    }
    .cloned()
    .ok_or_else(|| Error::field("target", "没有这个培育目标"))
}

/// A candidate with where it stands on the goal.
pub struct Candidate {
    /// Enterprise id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Each criterion met, missed or unknown, and the ranking figures.
    pub standing: Standing,
    /// The office's mark, when it is cultivating it towards this goal.
    pub mark: Option<Mark>,
    /// Whether the caller may mark it (the general office, an office of its chains).
    pub can_mark: bool,
}

/// The facts the criteria look at for every local enterprise of the city in `scope`: the profile,
/// the latest closed year's figures and the invention patents recorded.
async fn facts(ctx: &Context, city_id: &str, scope: &library::Scope) -> Result<Vec<(String, String, Facts)>> {
    let pool = ctx.store.pool();
    let (list, tiers) = library::candidates(pool, city_id, scope).await?;
    let years = store::latest_years(pool, city_id, i64::from(ctx.clock.year()) - 1).await?;
    let patents = store::patents(pool, city_id).await?;
    let this_year = ctx.clock.year();
    Ok(list
        .into_iter()
        .map(|e| {
            let year = years.get(&e.id).cloned().unwrap_or_default();
            let f = Facts {
                revenue: e.revenue,
                employees: e.employees,
                rd_spend: year.rd,
                main_business: year.main_business,
                debt_ratio: year.debt_ratio,
                patents: patents.get(&e.id).copied().unwrap_or(0),
                years: e.founded_year.map(|y| i64::from(this_year) - y),
                scale: e.scale,
                tiers: tiers.iter().filter(|t| t.enterprise_id == e.id).map(|t| t.tier).collect(),
            };
            (e.id, e.name, f)
        })
        .collect())
}

/// The goal named by its tier code and its candidates, closest first; `marked_only` keeps those
/// the offices are cultivating.
pub async fn candidates(
    ctx: &Context,
    c: &Caller<'_>,
    tier: &str,
    marked_only: bool,
) -> Result<(Target, Vec<Candidate>)> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /enterprises/reserve").await?;
    let goal = goal_of(tier)?;
    let pool = ctx.store.pool();
    let scope = crate::enterprises::scope_of(p);
    let marks = store::marks(pool, &p.city_id).await?;
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let mut rows: Vec<Candidate> = facts(ctx, &p.city_id, &scope)
        .await?
        .into_iter()
        .filter(|(_, _, f)| !f.tiers.iter().any(|t| t.code() == goal.tier))
        .map(|(id, name, f)| Candidate {
            standing: standing(&goal, &f),
            mark: marks.iter().find(|m| m.enterprise_id == id && m.tier == goal.tier).cloned(),
            can_mark: may_certify(p, members.get(&id).unwrap_or(&none)),
            id,
            name,
        })
        .filter(|x| !marked_only || x.mark.is_some())
        .collect();
    rows.sort_by(|a, b| closer(&a.standing, &b.standing).then(a.name.cmp(&b.name)));
    Ok((goal, rows))
}

/// Marks an enterprise the caller may certify as cultivated towards `tier`; returns the mark's id.
pub async fn mark(
    ctx: &Context,
    c: &Caller<'_>,
    enterprise_id: &str,
    tier: &str,
    owner: &str,
    next_step: &str,
) -> Result<String> {
    let p = c.principal;
    let (_, chains) = crate::enterprises::load(ctx, p, enterprise_id).await?;
    allow(ctx, c, may_certify(p, &chains), "POST /enterprises/reserve/marks").await?;
    if tier.trim().is_empty() {
        return Err(Error::field("tier", "请选择培育目标"));
    }
    let goal = goal_of(tier.trim())?;
    let owner = required("owner", "培育责任人", owner, 60)?;
    let next_step = optional("next_step", "下一步工作", next_step, 200)?;
    Ok(store::create_mark(&ctx.store, &c.actor, &p.city_id, enterprise_id, &goal.tier, &owner, &next_step).await?)
}

/// A mark with where its enterprise stands, its notes and history.
pub struct MarkView {
    /// The mark.
    pub mark: Mark,
    /// The goal.
    pub goal: Target,
    /// Where the enterprise stands on it today.
    pub standing: Option<Standing>,
    /// Follow-up notes, newest first.
    pub notes: Vec<Note>,
    /// (when, who, action) of its changes.
    pub history: Vec<(i64, String, String)>,
    /// Whether the caller may change it and add notes.
    pub can_edit: bool,
}

/// A mark of the city with its enterprise's chains, for one who may see the enterprise.
async fn mark_of(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<(Mark, Vec<String>)> {
    let p = c.principal;
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let mark = store::mark(ctx.store.pool(), &p.city_id, id).await?;
    let (e, chains) = crate::enterprises::load(ctx, p, &mark.enterprise_id).await?;
    allow(ctx, c, may_read(p, &e.id, &chains, e.park_id.as_deref()), what).await?;
    Ok((mark, chains))
}

/// One mark, for one who may see its enterprise.
pub async fn mark_view(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<MarkView> {
    let p = c.principal;
    let (mark, chains) = mark_of(ctx, c, id, "GET /enterprises/reserve/marks/{id}").await?;
    let goal = goal_of(&mark.tier)?;
    let all = facts(ctx, &p.city_id, &library::Scope::City).await?;
    let standing = all.iter().find(|(e, _, _)| *e == mark.enterprise_id).map(|(_, _, f)| standing(&goal, f));
    Ok(MarkView {
        notes: store::notes(ctx.store.pool(), &mark.id).await?,
        history: chainchief_store::audit::history_of(ctx.store.pool(), &mark.id).await?,
        can_edit: may_certify(p, &chains),
        standing,
        goal,
        mark,
    })
}

/// Changes who is responsible and the next step of a mark read at `version`.
pub async fn update_mark(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    owner: &str,
    next_step: &str,
    version: i64,
) -> Result<()> {
    let p = c.principal;
    let (mark, chains) = mark_of(ctx, c, id, "POST /enterprises/reserve/marks/{id}").await?;
    allow(ctx, c, may_certify(p, &chains), "POST /enterprises/reserve/marks/{id}").await?;
    let owner = required("owner", "培育责任人", owner, 60)?;
    let next_step = optional("next_step", "下一步工作", next_step, 200)?;
    Ok(store::update_mark(&ctx.store, &c.actor, &p.city_id, &mark.id, &owner, &next_step, version).await?)
}

/// Adds a follow-up note, on a day not to come, to a mark the caller may change.
pub async fn add_note(ctx: &Context, c: &Caller<'_>, id: &str, on: &str, body: &str) -> Result<()> {
    let p = c.principal;
    let (mark, chains) = mark_of(ctx, c, id, "POST /enterprises/reserve/marks/{id}/notes").await?;
    allow(ctx, c, may_certify(p, &chains), "POST /enterprises/reserve/marks/{id}/notes").await?;
    let day = NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field("noted_on", "日期应写成YYYY-MM-DD"))?;
    if day > ctx.clock.today() {
        return Err(Error::field("noted_on", "跟进日期不能晚于今天"));
    }
    let body = required("body", "跟进情况", body, 1000)?;
    Ok(store::add_note(&ctx.store, &c.actor, &mark.id, &day.format("%Y-%m-%d").to_string(), &body).await?)
}

/// The tier path of an enterprise the caller may read: every cultivation goal in order with
/// `None` where it holds the tier, else how it stands on the goal's criteria.
pub async fn path_of(ctx: &Context, p: &Principal, enterprise_id: &str) -> Result<Vec<(Target, Option<Standing>)>> {
    let scope = crate::enterprises::scope_of(p);
    let Some((_, _, f)) = facts(ctx, &p.city_id, &scope).await?.into_iter().find(|(id, _, _)| id == enterprise_id)
    else {
        return Ok(Vec::new());
    };
    Ok(criteria()?
        .targets
        .into_iter()
        .map(|g| {
            let held = f.tiers.iter().any(|t| t.code() == g.tier);
            let s = (!held).then(|| standing(&g, &f));
            (g, s)
        })
        .collect())
}
