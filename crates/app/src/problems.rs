//! Problems and 督办 [P4]: a project or an enterprise raises a problem; the general office or the
//! chain office assigns it to a lead unit (and co-lead units) with a deadline; the units post
//! progress; the lead unit resolves it; the raiser confirms or reopens it. Yellow three days before
//! the deadline, red when late, then escalated to the chain chief. A unit sees only what is
//! assigned to it.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::{Light, ProblemStatus, closed_light, escalated, light};
use chainchief_domain::text::required;
use chainchief_store::problems::{self, Change, NewProblem, Note, Problem};
use chainchief_store::projects::{self, Project};
use chainchief_store::{enterprises, org, safety};
use chrono::NaiveDate;

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

    /// Whether `unit` leads the problem's handling.
    pub fn is_lead(&self, unit: &str) -> bool {
        self.units.iter().any(|u| u.0 == unit && u.2 == "lead")
    }

    /// Whether `unit` helps handle the problem.
    pub fn is_co(&self, unit: &str) -> bool {
        self.units.iter().any(|u| u.0 == unit && u.2 == "co")
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
            let closed_on = r.p.resolved_at.map(chainchief_domain::clock::beijing_day).unwrap_or(today);
            r.light = Some(if r.closed() { closed_light(d, closed_on) } else { light(d, false, today) });
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

/// Whether `p` works on a problem: one of its units, or whoever may assign it.
pub fn may_work(p: &Principal, r: &Row) -> bool {
    r.units.iter().any(|u| p.acts_for_unit(&u.0)) || may_assign(p, r)
}

/// Whether `p` confirms (or reopens) a resolved problem: whoever raised it.
pub fn may_confirm(p: &Principal, r: &Row) -> bool {
    r.p.raised_by == p.username
}

/// Whether `p` may raise a problem on a project: the general office, the project's chain office,
/// its lead unit (the city's leaders read, and give instructions, but do not file problems).
pub fn may_raise_on(p: &Principal, project: &Project) -> bool {
    p.can_write_chain(&project.chain_id) || project.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
}

/// The projects `p` may raise a problem on (id, name).
pub async fn raisable_projects(ctx: &Context, p: &Principal) -> Result<Vec<(String, String)>> {
    Ok(projects::list(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|x| may_raise_on(p, x))
        .map(|x| (x.id, x.name))
        .collect())
}

/// Raises a problem on a project, or (for an enterprise user without a project) on the own
/// enterprise; returns its id.
pub async fn raise(
    ctx: &Context,
    c: &Caller<'_>,
    title: &str,
    detail: &str,
    project_id: Option<&str>,
) -> Result<String> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let title = required("title", "问题", title, 100)?;
    let detail = required("detail", "具体情况", detail, 2000)?;
    let own = p.own_enterprise().map(String::from);
    let (chain_id, project_id, enterprise_id) = match project_id {
        Some(id) => {
            if !is_valid_id(id) {
                return Err(Error::field("project_id", "项目无效"));
            }
            let pr =
                projects::get(pool, &p.city_id, id).await.map_err(|_| Error::field("project_id", "没有这个项目"))?;
            allow(ctx, c, may_raise_on(p, &pr), "POST /problems").await?;
            (Some(pr.chain_id), Some(pr.id), None)
        }
        None => match own {
            Some(e) => (enterprises::chains_of(pool, &e).await?.into_iter().next(), None, Some(e)),
            None => return Err(Error::field("project_id", "请选择问题所属的项目")),
        },
    };
    let new = NewProblem { city_id: p.city_id.clone(), title, detail, chain_id, project_id, enterprise_id };
    Ok(problems::raise(&ctx.store, &c.actor, &new).await?)
}

/// A problem the caller may see; `what` names the request for the audit log.
pub async fn visible(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Row> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let (row, visible) = one(ctx, c.principal, id).await?;
    allow(ctx, c, visible, what).await?;
    Ok(row)
}

/// A problem with everything its page shows and what the caller may do with it.
pub struct Detail {
    /// The problem.
    pub row: Row,
    /// Its record of assignments, progress and decisions.
    pub notes: Vec<Note>,
    /// Files attached to it.
    pub files: Vec<safety::Attachment>,
    /// May assign it.
    pub can_assign: bool,
    /// May report progress or resolve it.
    pub can_work: bool,
    /// May confirm or reopen it.
    pub can_confirm: bool,
}

/// A problem for a caller who may see it.
pub async fn detail(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Detail> {
    let row = visible(ctx, c, id, &format!("problem {id}")).await?;
    let p = c.principal;
    let pool = ctx.store.pool();
    Ok(Detail {
        notes: problems::notes(pool, id).await?,
        files: safety::attachments(pool, &p.city_id, "problem", id).await?,
        can_assign: may_assign(p, &row),
        can_work: may_work(p, &row),
        can_confirm: may_confirm(p, &row),
        row,
    })
}

/// A step of the 督办 workflow.
pub enum Action {
    /// Assign to a lead unit and co-lead units with a deadline (the note is added to the record).
    Assign {
        /// Lead unit.
        lead: String,
        /// Co-lead units.
        co: Vec<String>,
        /// 办结时限.
        deadline: NaiveDate,
        /// Words added to the record.
        note: String,
    },
    /// Report progress.
    Progress(String),
    /// Resolve, saying how.
    Resolve(String),
    /// Confirm the resolution (the raiser).
    Confirm(String),
    /// Send it back, saying why (the raiser).
    Reopen(String),
}

/// Takes a step of the 督办 workflow on a problem read at `version`.
pub async fn act(ctx: &Context, c: &Caller<'_>, id: &str, action: Action, version: i64) -> Result<()> {
    let r = visible(ctx, c, id, &format!("problem {id}")).await?;
    let p = c.principal;
    let (allowed, needs, refusal) = match action {
        Action::Assign { .. } => (may_assign(p, &r), None, ""),
        Action::Progress(_) | Action::Resolve(_) => {
            (may_work(p, &r), Some(ProblemStatus::Assigned), "只有办理中的问题可以报送进展或办结")
        }
        Action::Confirm(_) | Action::Reopen(_) => {
            (may_confirm(p, &r), Some(ProblemStatus::Resolved), "问题办结后才能确认或退回")
        }
    };
    allow(ctx, c, allowed, &format!("POST /problems/{id}")).await?;
    if needs.is_some_and(|s| s != r.p.status) {
        return Err(Error::field("action", refusal));
    }
    let note = |label: &str, text: &str| required("note", label, text, 2000);
    let step = |status, note_kind: &str, note: String| Change {
        status,
        deadline: None,
        units: None,
        resolution: None,
        note_kind: note_kind.into(),
        note,
        version,
    };
    let change = match action {
        Action::Assign { lead, co, deadline, note } => {
            if deadline < ctx.clock.today() {
                return Err(Error::field("deadline", "办结时限不能早于今天"));
            }
            let mut names = vec![unit_name(ctx, p, &lead, "lead", "请选择牵头单位").await?];
            let mut assigned = vec![(lead.clone(), "lead".to_string())];
            for co in co.iter().filter(|u| **u != lead) {
                names.push(unit_name(ctx, p, co, "co", "配合单位无效").await?);
                assigned.push((co.clone(), "co".into()));
            }
            let day = deadline.format("%Y-%m-%d").to_string();
            let words = format!("交办{}，限{day}前办结。{note}", names.join("、"));
            Change { deadline: Some(day), units: Some(assigned), ..step(ProblemStatus::Assigned, "assigned", words) }
        }
        Action::Progress(text) => step(ProblemStatus::Assigned, "progress", note("进展", &text)?),
        Action::Resolve(text) => {
            let text = note("办结情况", &text)?;
            Change { resolution: Some(text.clone()), ..step(ProblemStatus::Resolved, "resolved", text) }
        }
        Action::Confirm(text) => step(ProblemStatus::Confirmed, "confirmed", format!("确认已解决。{text}")),
        Action::Reopen(text) => step(ProblemStatus::Assigned, "reopened", note("退回理由", &text)?),
    };
    Ok(problems::change(&ctx.store, &c.actor, &p.city_id, id, &change).await?)
}

/// The name of a unit of the caller's city, or a field error.
async fn unit_name(ctx: &Context, p: &Principal, unit: &str, field: &str, message: &str) -> Result<String> {
    if !is_valid_id(unit) {
        return Err(Error::field(field, message));
    }
    let u = org::unit(ctx.store.pool(), &p.city_id, unit).await.map_err(|_| Error::field(field, message))?;
    Ok(u.name)
}
