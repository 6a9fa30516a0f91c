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
    /// The units that report on it: those it names and the members of the groups it names.
    pub reporters: Vec<String>,
    /// The units that may report it done: its lead units and the members of a lead group.
    pub leads: Vec<String>,
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

/// Whether `p` may report on a task: the general office; a unit it names, or a member of a group
/// it names — a chain office for its own office unit (`offices`, from [`my_offices`]).
pub fn may_report(p: &Principal, t: &Task, offices: &[String]) -> bool {
    p.has(Role::GeneralOffice) || t.reporters.iter().any(|u| p.acts_for_unit(u) || offices.contains(u))
}

/// Whether `p` may report a task done: the general office, or one of its lead units.
pub fn may_complete(p: &Principal, t: &Task, offices: &[String]) -> bool {
    p.has(Role::GeneralOffice) || t.leads.iter().any(|u| p.acts_for_unit(u) || offices.contains(u))
}

/// Whether `p` may see a task's evidence: the whole city's readers, those who may report on it,
/// the chief of a chain whose office is on it (`chiefs_offices`, from [`offices_of`]).
pub fn may_see_evidence(p: &Principal, t: &Task, offices: &[String], chiefs_offices: &[String]) -> bool {
    p.reads_whole_city() || may_report(p, t, offices) || t.reporters.iter().any(|u| chiefs_offices.contains(u))
}

/// The office units of the chains whose office the caller is.
pub async fn my_offices(ctx: &Context, p: &Principal) -> Result<Vec<String>> {
    offices_of(ctx, p, Role::ChainOffice).await
}

/// The office units of the chains on which the caller holds `role`.
pub async fn offices_of(ctx: &Context, p: &Principal, role: Role) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for g in p.grants.iter().filter(|g| g.role == role) {
        let Some(chain) = g.chain_id.as_deref() else { continue };
        if let Ok(c) = org::chain(ctx.store.pool(), &p.city_id, chain).await {
            out.extend(c.office_unit_id);
        }
    }
    Ok(out)
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
        // The units a role of the task falls to: those named and the members of a group named.
        let falls_to = |role: Option<&str>| -> Vec<String> {
            let named = links.iter().filter(|l| l.measure_id == m.id && role.is_none_or(|r| l.role == r));
            named
                .flat_map(|l| {
                    let inside = members.iter().filter(|(g, _)| *g == l.unit_id).map(|(_, member)| member.clone());
                    std::iter::once(l.unit_id.clone()).chain(inside)
                })
                .collect()
        };
        let (reporters, leads) = (falls_to(None), falls_to(Some("lead")));
        out.push(Task { m, units: us, quotas: qs, updates: mine, state: st, fed_by, reporters, leads });
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

/// A task's evidence files, for one who may see them (else none).
pub async fn evidence(ctx: &Context, p: &Principal, t: &Task) -> Result<Vec<chainchief_store::safety::Attachment>> {
    let (offices, chiefs) = (my_offices(ctx, p).await?, offices_of(ctx, p, Role::ChainChief).await?);
    if !may_see_evidence(p, t, &offices, &chiefs) {
        return Ok(Vec::new());
    }
    Ok(chainchief_store::safety::attachments(ctx.store.pool(), &p.city_id, "task", &t.m.id).await?)
}

/// Reports progress on a task for one of the caller's units on it (a chain office for its own
/// office unit), with its evidence.
pub async fn report(ctx: &Context, c: &crate::Caller<'_>, id: &str, r: Progress) -> Result<()> {
    let p = c.principal;
    let t = one(ctx, p, id).await?;
    let offices = my_offices(ctx, p).await?;
    crate::allow(ctx, c, may_report(p, &t, &offices), &format!("POST /tasks/{id}/reports")).await?;
    let body = chainchief_domain::text::required("body", "进展", &r.body, 2000)?;
    if r.on > ctx.clock.today() {
        return Err(crate::Error::field("reported_on", "报送日期不能晚于今天"));
    }
    if r.done && !may_complete(p, &t, &offices) {
        return Err(crate::Error::field("done", "只有牵头单位（或总链办）可以报告任务完成"));
    }
    let unit = match r.unit_id.trim() {
        // A chain office reports as its own office unit on the task.
        "" => offices.into_iter().find(|o| t.reporters.contains(o)),
        u if t.reporters.iter().any(|x| x == u && p.acts_for_unit(x)) => Some(u.to_string()),
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
