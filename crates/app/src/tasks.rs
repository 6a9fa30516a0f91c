//! Plan tasks [O2]: every measure of the plan with its units, quotas counted from the data, the
//! progress its units report, and its light by the same 督办 rules as problems.

use crate::{Context, Result};
use chainchief_domain::org::UnitKind;
use chainchief_domain::project::quota_state;
use chainchief_domain::report::ReportKind;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::Light;
use chainchief_domain::tasks::{self as task_rules, Facts, TaskState};
use chainchief_store::org::{self, Measure};
use chainchief_store::tasks::{self, Update};
use chainchief_store::{dispatch, events};

/// A task with where it stands.
pub struct Task {
    /// The measure.
    pub m: Measure,
    /// (unit id, name, role, kind).
    pub units: Vec<(String, String, String, UnitKind)>,
    /// Quotas: (name, done, required, unit).
    pub quotas: Vec<(String, Option<i64>, i64, String)>,
    /// Its reports, newest first.
    pub updates: Vec<Update>,
    /// Where it stands now.
    pub state: TaskState,
    /// How submitted reports feed its progress, when they do.
    pub fed_by: String,
}

impl Task {
    /// Whether a chain office (or a group of units such as 各链条办) carries it.
    pub fn carried_by_chain_offices(&self) -> bool {
        self.units.iter().any(|u| matches!(u.3, UnitKind::ChainOffice | UnitKind::Group))
    }

    /// Names of the units in a role.
    pub fn names(&self, role: &str) -> String {
        self.units.iter().filter(|u| u.2 == role).map(|u| u.1.as_str()).collect::<Vec<_>>().join("、")
    }

    /// The light's CSS class and words.
    pub fn light(&self) -> (&'static str, &'static str) {
        self.state.light.map_or(("none", "—"), |l| (l.class(), l.label()))
    }
}

/// Whether `p` may report on a task: the general office; a unit it names; a chain office when a
/// chain office (or a group of units) carries it.
pub fn may_report(p: &Principal, t: &Task) -> bool {
    p.has(Role::GeneralOffice)
        || t.units.iter().any(|u| p.acts_for_unit(&u.0))
        || (p.has(Role::ChainOffice) && t.carried_by_chain_offices())
}

/// Every task of the city with where it stands.
pub async fn load(ctx: &Context, p: &Principal) -> Result<Vec<Task>> {
    load_where(ctx, p, |_| true).await
}

/// One task of the city with where it stands.
pub async fn one(ctx: &Context, p: &Principal, id: &str) -> Result<Task> {
    load_where(ctx, p, |m| m.id == id).await?.pop().ok_or(crate::Error::NotFound)
}

/// The tasks of the measures `keep` selects, with where each stands.
async fn load_where(ctx: &Context, p: &Principal, keep: impl Fn(&Measure) -> bool) -> Result<Vec<Task>> {
    let pool = ctx.store.pool();
    let (measures, links, quotas) = org::measures(pool, &p.city_id).await?;
    let units = org::units(pool, &p.city_id).await?;
    let updates = tasks::updates(pool, &p.city_id).await?;
    let members = org::unit_members(pool, &p.city_id).await?;
    let fed = FedBy::load(ctx, &p.city_id).await?;
    let today = ctx.clock.today();
    let year = ctx.clock.year();
    let mut out = Vec::new();
    for m in measures.into_iter().filter(|m| keep(m)) {
        let mut qs = Vec::new();
        let (mut met, mut behind) = (true, false);
        for q in quotas.iter().filter(|q| q.measure_id == m.id) {
            let done = events::count(pool, &p.city_id, &q.counts, year).await?;
            let s = quota_state(q.min_count as u32, done.unwrap_or(0) as u32, year, today);
            met &= done.is_some_and(|d| d >= q.min_count);
            behind |= done.is_some() && s.behind;
            qs.push((q.name.clone(), done, q.min_count, q.unit.clone()));
        }
        let mine: Vec<Update> = updates.iter().filter(|u| u.measure_id == m.id).cloned().collect();
        let day = |u: &Update| chrono::NaiveDate::parse_from_str(&u.reported_on, "%Y-%m-%d").ok();
        // A task led by a group (各链办) is reported when every member has reported: the earliest of
        // the members' latest reports; otherwise the latest report of anyone.
        let group_members: Vec<&str> = links
            .iter()
            .filter(|l| l.measure_id == m.id && l.role == "lead")
            .flat_map(|l| members.iter().filter(move |(g, _)| *g == l.unit_id).map(|(_, member)| member.as_str()))
            .filter_map(|id| units.iter().find(|u| u.id == id).map(|u| u.name.as_str()))
            .collect();
        let own = if group_members.is_empty() {
            mine.first().and_then(day)
        } else {
            let each: Vec<Option<chrono::NaiveDate>> = group_members
                .iter()
                .map(|name| mine.iter().filter(|u| u.unit_name.as_deref() == Some(*name)).filter_map(day).max())
                .collect();
            if each.contains(&None) { None } else { each.into_iter().min().flatten() }
        };
        let (reported, fed_by) = fed.of(&m.progress_from);
        let last = own.max(reported);
        let facts = Facts {
            deadline: m.deadline.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            last_report: last,
            done: mine.iter().any(|u| u.done == 1),
            has_quotas: !qs.is_empty(),
            quotas_met: !qs.is_empty() && met,
            quotas_behind: behind,
        };
        let st = task_rules::state(m.frequency, facts, today);
        let us = links
            .iter()
            .filter(|l| l.measure_id == m.id)
            .filter_map(|l| {
                units.iter().find(|u| u.id == l.unit_id).map(|u| (u.id.clone(), u.name.clone(), l.role.clone(), u.kind))
            })
            .collect();
        out.push(Task { m, units: us, quotas: qs, updates: mine, state: st, fed_by });
    }
    Ok(out)
}

/// The days the reports that may feed a task's progress were last submitted in full.
struct FedBy {
    /// The day by which every chain office had submitted its latest monthly report (none while one
    /// has never submitted).
    monthly: Option<chrono::NaiveDate>,
    /// The day the latest quarterly report was submitted.
    quarterly: Option<chrono::NaiveDate>,
}

impl FedBy {
    async fn load(ctx: &Context, city_id: &str) -> Result<FedBy> {
        let pool = ctx.store.pool();
        let reports = dispatch::list(pool, city_id).await?;
        let latest = |kind: ReportKind, chain: Option<&str>| {
            reports
                .iter()
                .filter(|r| r.kind == kind && r.chain_id.as_deref() == chain)
                .filter_map(|r| r.submitted_at.map(chainchief_domain::clock::beijing_day))
                .max()
        };
        let offices: Vec<_> =
            org::chains(pool, city_id).await?.into_iter().filter(|c| c.office_unit_id.is_some()).collect();
        let each: Vec<Option<chrono::NaiveDate>> =
            offices.iter().map(|c| latest(ReportKind::Monthly, Some(&c.id))).collect();
        let monthly = if each.is_empty() || each.contains(&None) { None } else { each.into_iter().min().flatten() };
        Ok(FedBy { monthly, quarterly: latest(ReportKind::Quarterly, None) })
    }

    /// The day `progress_from` last fed a task, and the words saying so.
    fn of(&self, progress_from: &str) -> (Option<chrono::NaiveDate>, String) {
        let (day, what, done) = match progress_from {
            "report:monthly" => (self.monthly, "各链条办提交工作月报即计为进展", "各链条办均已提交"),
            "report:quarterly" => (self.quarterly, "季度报告提交即计为进展", "提交"),
            _ => return (None, String::new()),
        };
        let last = day.map_or("尚未提交".to_string(), |d| format!("最近一次{done}于{d}"));
        (day, format!("{what}（{last}）"))
    }
}

/// The red tasks, escalated to the chain chiefs, the city leaders and the general office.
pub async fn escalated_for(ctx: &Context, p: &Principal) -> Result<Vec<Task>> {
    if !p.has(Role::ChainChief) && !p.reads_whole_city() {
        return Ok(vec![]);
    }
    Ok(load(ctx, p).await?.into_iter().filter(|t| t.state.light == Some(Light::Red)).collect())
}

/// A progress report on a task: the words, the day, the unit it is sent for, whether the task is
/// done, and an optional file as evidence.
pub struct Progress {
    /// 进展.
    pub body: String,
    /// The day reported.
    pub on: chrono::NaiveDate,
    /// The caller's unit it is sent for (empty for the caller's office as a whole).
    pub unit_id: String,
    /// The task is done.
    pub done: bool,
    /// Evidence.
    pub file: Option<crate::safety::Upload>,
}

/// The office unit of the caller's chain, for a chain office that reports without naming a unit.
async fn own_office(ctx: &Context, p: &Principal) -> Result<Option<String>> {
    if !p.has(Role::ChainOffice) {
        return Ok(None);
    }
    for chain in p.chains() {
        if let Ok(c) = org::chain(ctx.store.pool(), &p.city_id, chain).await
            && c.office_unit_id.is_some()
        {
            return Ok(c.office_unit_id);
        }
    }
    Ok(None)
}

/// Reports progress on a task for one of the caller's units on it (a chain office for its own
/// office unit), with its evidence.
pub async fn report(ctx: &Context, c: &crate::Caller<'_>, id: &str, r: Progress) -> Result<()> {
    let p = c.principal;
    let t = one(ctx, p, id).await?;
    crate::allow(ctx, c, may_report(p, &t), &format!("POST /tasks/{id}/reports")).await?;
    let body = chainchief_domain::text::required("body", "进展", &r.body, 2000)?;
    if r.on > ctx.clock.today() {
        return Err(crate::Error::field("reported_on", "报送日期不能晚于今天"));
    }
    let unit = match r.unit_id.trim() {
        "" => own_office(ctx, p).await?,
        u if t.units.iter().any(|x| x.0 == u && p.acts_for_unit(&x.0)) => Some(u.to_string()),
        _ => return Err(crate::Error::field("unit_id", "只能以本单位的名义报送")),
    };
    if r.file.as_ref().is_some_and(|f| !f.name.is_empty()) {
        crate::safety::check_upload(&r.file)?;
    }
    let on = r.on.format("%Y-%m-%d").to_string();
    tasks::report(&ctx.store, &c.actor, id, unit.as_deref(), &body, r.done, &on).await?;
    if r.file.as_ref().is_some_and(|f| !f.name.is_empty()) {
        crate::safety::attach(ctx, c, crate::safety::Owner::Task(id), &r.file).await?;
    }
    Ok(())
}
