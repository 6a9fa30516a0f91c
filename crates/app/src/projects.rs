//! Projects [I3][P1][P2]: opened from an investment target, moved 线索 → 洽谈 → 签约 → 供地/审批 →
//! 在建 → 投产 by the stage rules, their monthly investment and milestones recorded. Who may read and
//! change them is decided here, once.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::Money;
use chainchief_domain::period::Month;
use chainchief_domain::project::{
    Facts, Kind, MAJOR_FROM, Method, ProgressStatus, Stage, check_milestone, check_move, progress_status,
};
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::projects::{self, Move, NewProject, Project, Props, StageMove};
use chainchief_store::{investment, org, safety, tracking};
use chrono::NaiveDate;

/// Who reads investment work (targets, projects, events): the whole city's readers, chiefs, chain
/// offices and responsible units.
pub fn may_read(p: &Principal) -> bool {
    p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice, Role::ResponsibleUnit])
}

/// Who records investment work: the general office, chain offices and responsible units.
pub fn may_write(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice, Role::ResponsibleUnit])
}

/// Who opens a project on a chain for a target: the general office, the chain's office, the unit
/// that owns the target.
pub fn may_open(p: &Principal, chain_id: &str, target_owner: Option<&str>) -> bool {
    p.can_write_chain(chain_id) || target_owner.is_some_and(|u| p.acts_for_unit(u))
}

/// Who reads a project: the whole city's readers, its chain's chief and office, its lead unit.
pub fn may_read_project(p: &Principal, project: &Project) -> bool {
    p.reads_whole_city()
        || p.holds_on_chain(&[Role::ChainChief, Role::ChainOffice], &project.chain_id)
        || project.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
}

/// The city's projects the caller may read.
pub async fn readable(ctx: &Context, p: &Principal) -> Result<Vec<Project>> {
    let all = projects::list(ctx.store.pool(), &p.city_id).await?;
    Ok(all.into_iter().filter(|x| may_read_project(p, x)).collect())
}

/// Who may change a project: the general office, its chain's office, its lead unit.
pub fn may_change(p: &Principal, project: &Project) -> bool {
    p.has(Role::GeneralOffice)
        || p.can_write_chain(&project.chain_id)
        || project.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
}

/// The projects the caller may read.
pub async fn list(ctx: &Context, c: &Caller<'_>) -> Result<Vec<Project>> {
    allow(ctx, c, may_read(c.principal), "GET /projects").await?;
    readable(ctx, c.principal).await
}

/// A project opened from a target.
pub struct Opening {
    /// The investment target (企业) it comes from.
    pub target_id: String,
    /// Project name.
    pub name: String,
    /// The chain node it fills.
    pub node_id: String,
    /// Planned investment, if known.
    pub planned: Option<Money>,
}

/// Opens a project at 线索 for a target's node; a plan of [`MAJOR_FROM`] or more makes it major.
pub async fn open(ctx: &Context, c: &Caller<'_>, o: Opening) -> Result<String> {
    let p = c.principal;
    if !is_valid_id(&o.target_id) || !is_valid_id(&o.node_id) {
        return Err(Error::field("node_id", "请选择目标企业和环节"));
    }
    let pool = ctx.store.pool();
    let target = investment::target(pool, &p.city_id, &o.target_id).await?;
    let chain_id = investment::node_chain(pool, &p.city_id, &o.node_id)
        .await
        .map_err(|_| Error::field("node_id", "没有这个环节"))?;
    allow(ctx, c, may_open(p, &chain_id, target.owner_unit_id.as_deref()), "POST /projects").await?;
    let city = org::city(pool, &p.city_id).await?;
    let new = NewProject {
        city_id: p.city_id.clone(),
        company_name: format!("{}（{}）", target.name.split('（').next().unwrap_or(&target.name), city.name),
        name: o.name,
        target_id: Some(target.id),
        chain_id,
        node_id: Some(o.node_id),
        park_id: None,
        lead_unit_id: target.owner_unit_id,
        kind: Kind::NewSigned.code().into(),
        method: Method::ViaBusiness.code().into(),
        major: o.planned.is_some_and(|v| v >= MAJOR_FROM),
        planned: o.planned,
    };
    Ok(projects::create(&ctx.store, &c.actor, &new).await?)
}

/// One month of a project's investment with the running totals and their status.
pub struct MonthLine {
    /// The month.
    pub period: String,
    /// Planned that month.
    pub planned: Option<Money>,
    /// Completed that month.
    pub actual: Option<Money>,
    /// Planned so far.
    pub planned_to_date: Money,
    /// Completed so far.
    pub actual_to_date: Money,
    /// Completed against planned so far, by the city's rule.
    pub status: ProgressStatus,
}

/// A project with everything its page shows.
pub struct Detail {
    /// The project.
    pub project: Project,
    /// Its stage moves.
    pub history: Vec<StageMove>,
    /// Its months of investment.
    pub months: Vec<MonthLine>,
    /// Its milestones.
    pub milestones: Vec<tracking::Milestone>,
    /// Files attached to it.
    pub files: Vec<safety::Attachment>,
    /// Whether the caller may change it.
    pub can_change: bool,
}

/// A project for a reader, with its history, months, milestones and files.
pub async fn detail(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Detail> {
    allow(ctx, c, may_read(c.principal), "GET /projects/{id}").await?;
    let project = get(ctx, c.principal, id).await?;
    allow(ctx, c, may_read_project(c.principal, &project), "GET /projects/{id}").await?;
    let pool = ctx.store.pool();
    let (_, rule) = crate::board::rules()?;
    let (mut planned_to_date, mut actual_to_date) = (Money::ZERO, Money::ZERO);
    let months = tracking::months_of(pool, id)
        .await?
        .into_iter()
        .map(|m| {
            planned_to_date = Money::total([planned_to_date, m.planned.unwrap_or_default()]);
            actual_to_date = Money::total([actual_to_date, m.actual.unwrap_or_default()]);
            MonthLine {
                period: m.period,
                planned: m.planned,
                actual: m.actual,
                planned_to_date,
                actual_to_date,
                status: progress_status(planned_to_date, actual_to_date, rule),
            }
        })
        .collect();
    Ok(Detail {
        can_change: may_change(c.principal, &project),
        history: projects::history(pool, id).await?,
        months,
        milestones: tracking::milestones_of(pool, id).await?,
        files: safety::attachments(pool, &c.principal.city_id, "project", id).await?,
        project,
    })
}

async fn get(ctx: &Context, p: &Principal, id: &str) -> Result<Project> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(projects::get(ctx.store.pool(), &p.city_id, id).await?)
}

/// A project the caller may change, or why not; `what` names the request for the audit log.
async fn changeable(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Project> {
    let project = get(ctx, c.principal, id).await?;
    allow(ctx, c, may_change(c.principal, &project), what).await?;
    Ok(project)
}

/// A fact as given with a change: `None` keeps the stored value, `Some(None)` clears it.
pub type Given<T> = Option<Option<T>>;

/// A move to another stage with the facts the new stage needs.
pub struct StageChange {
    /// The stage to move to.
    pub to: Stage,
    /// Why, required when moving back.
    pub reason: String,
    /// Planned investment.
    pub planned: Given<Money>,
    /// Signed amount.
    pub signed_amount: Given<Money>,
    /// 签约日期.
    pub signed_on: Given<NaiveDate>,
    /// 供地/审批日期.
    pub approval_on: Given<NaiveDate>,
    /// 开工日期.
    pub started_on: Given<NaiveDate>,
    /// 投产日期.
    pub producing_on: Given<NaiveDate>,
    /// The version read.
    pub version: i64,
}

/// Moves a project by the stage rules (no skipped facts, dates in order and not in the future, a
/// reason to go back); every problem is returned with its field.
pub async fn move_stage(ctx: &Context, c: &Caller<'_>, id: &str, s: StageChange) -> Result<()> {
    let p = changeable(ctx, c, id, "POST /projects/{id}/stage").await?;
    let stored = |d: &Option<String>| d.as_deref().and_then(crate::board::date);
    let facts = Facts {
        planned: s.planned.unwrap_or(p.planned),
        signed_amount: s.signed_amount.unwrap_or(p.signed_amount),
        signed_on: s.signed_on.unwrap_or_else(|| stored(&p.signed_on)),
        land_or_approval_on: s.approval_on.unwrap_or_else(|| stored(&p.approval_on)),
        started_on: s.started_on.unwrap_or_else(|| stored(&p.started_on)),
        producing_on: s.producing_on.unwrap_or_else(|| stored(&p.producing_on)),
        node_id: p.node_id.clone(),
    };
    let mut errors: Vec<FieldError> = check_move(p.stage, s.to, &facts, ctx.clock.today()).err().unwrap_or_default();
    if s.to.index() < p.stage.index() && s.reason.trim().is_empty() {
        errors.push(FieldError::new("reason", "退回上一阶段须写明原因"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let m = Move {
        from: p.stage.code().to_string(),
        to: s.to.code().to_string(),
        reason: s.reason.trim().to_string(),
        facts: projects::Facts {
            planned: facts.planned,
            signed_amount: facts.signed_amount,
            signed_on: day(facts.signed_on),
            approval_on: day(facts.land_or_approval_on),
            started_on: day(facts.started_on),
            producing_on: day(facts.producing_on),
        },
        version: s.version,
    };
    Ok(projects::move_stage(&ctx.store, &c.actor, &c.principal.city_id, id, &m).await?)
}

/// Changes a project's name, company, kind, method, park, lead unit and major flag.
pub async fn edit(ctx: &Context, c: &Caller<'_>, id: &str, props: Props, version: i64) -> Result<()> {
    changeable(ctx, c, id, "POST /projects/{id}/edit").await?;
    let pool = ctx.store.pool();
    let city = &c.principal.city_id;
    Kind::from_code(&props.kind).ok_or_else(|| Error::field("kind", "请选择项目类型"))?;
    Method::from_code(&props.method).ok_or_else(|| Error::field("method", "请选择招商方式"))?;
    if let Some(park) = &props.park_id {
        org::park(pool, city, park).await.map_err(|_| Error::field("park_id", "请选择本市的园区"))?;
    }
    if let Some(unit) = &props.lead_unit_id {
        org::unit(pool, city, unit).await.map_err(|_| Error::field("lead_unit_id", "请选择本市的单位"))?;
    }
    Ok(projects::update_props(&ctx.store, &c.actor, city, id, &props, version).await?)
}

/// Records a month's planned and/or completed investment; a month not yet begun takes only a plan.
pub async fn record_month(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    month: Month,
    planned: Option<Money>,
    actual: Option<Money>,
) -> Result<()> {
    let p = changeable(ctx, c, id, "POST /projects/{id}/investment").await?;
    if actual.is_some() && month > ctx.clock.this_month() {
        return Err(Error::field("actual", "未来月份只能填计划投资，不能填完成投资"));
    }
    if planned.is_none() && actual.is_none() {
        return Err(Error::field("planned", "请填写计划或完成投资"));
    }
    Ok(tracking::set_month(&ctx.store, &c.actor, &p.id, &month.to_string(), planned, actual).await?)
}

/// Adds a milestone with its planned date.
pub async fn add_milestone(ctx: &Context, c: &Caller<'_>, id: &str, name: &str, planned_on: NaiveDate) -> Result<()> {
    let p = changeable(ctx, c, id, "POST /projects/{id}/milestones").await?;
    let on = planned_on.format("%Y-%m-%d").to_string();
    Ok(tracking::add_milestone(&ctx.store, &c.actor, &p.id, name, &on).await?)
}

/// Records the day a milestone of the project was reached (not before planning, not in the future).
pub async fn complete_milestone(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    milestone_id: &str,
    actual_on: NaiveDate,
    version: i64,
) -> Result<()> {
    let p = changeable(ctx, c, id, "POST /projects/{id}/milestones").await?;
    let m = tracking::milestone(ctx.store.pool(), &p.id, milestone_id).await?;
    let planned = crate::board::date(&m.planned_on).ok_or_else(|| Error::Internal("bad planned date".into()))?;
    check_milestone(planned, Some(actual_on), ctx.clock.today())?;
    let on = actual_on.format("%Y-%m-%d").to_string();
    Ok(tracking::complete_milestone(&ctx.store, &c.actor, &m.id, &on, version).await?)
}
