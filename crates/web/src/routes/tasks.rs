//! Plan tasks [O2]: every measure of the plan with its lead and co-lead units, quotas counted from
//! the data, the progress its units report with evidence, and its light by the same 督办 rules as
//! problems (a task late in its period is red and shown to the general office and the leaders).

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::quota_state;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::Light;
use chainchief_domain::tasks::{self as task_rules, Facts, TaskState};
use chainchief_domain::text::required;
use chainchief_store::org::{self, Measure};
use chainchief_store::tasks::{self, Update};
use chainchief_store::{dispatch, events, safety};

/// A task with where it stands.
pub struct Task {
    /// The measure.
    pub m: Measure,
    /// (unit id, name, role, kind).
    pub units: Vec<(String, String, String, String)>,
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
fn may_report(p: &Principal, t: &Task) -> bool {
    p.has(Role::GeneralOffice)
        || t.units.iter().any(|u| p.acts_for_unit(&u.0))
        || (p.has(Role::ChainOffice) && t.units.iter().any(|u| u.3 == "chain_office" || u.3 == "group"))
}

/// Every task of the city with where it stands.
pub(crate) async fn load(state: &AppState, p: &Principal) -> Result<Vec<Task>, AppError> {
    let pool = state.store.pool();
    let (measures, links, quotas) = org::measures(pool, &p.city_id).await?;
    let units = org::units(pool, &p.city_id).await?;
    let updates = tasks::updates(pool, &p.city_id).await?;
    let fed = FedBy::load(state, &p.city_id).await?;
    let today = state.clock.today();
    let year = state.clock.year();
    let mut out = Vec::new();
    for m in measures {
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
        let own = mine.first().and_then(|u| chrono::NaiveDate::parse_from_str(&u.reported_on, "%Y-%m-%d").ok());
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
        let st = task_rules::state(&m.frequency, facts, today);
        let us = links
            .iter()
            .filter(|l| l.measure_id == m.id)
            .filter_map(|l| {
                units
                    .iter()
                    .find(|u| u.id == l.unit_id)
                    .map(|u| (u.id.clone(), u.name.clone(), l.role.clone(), u.kind.clone()))
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
    async fn load(state: &AppState, city_id: &str) -> Result<FedBy, AppError> {
        let pool = state.store.pool();
        let reports = dispatch::list(pool, city_id).await?;
        let latest = |kind: &str, chain: Option<&str>| {
            reports
                .iter()
                .filter(|r| r.kind == kind && r.chain_id.as_deref() == chain)
                .filter_map(|r| r.submitted_at.map(chainchief_domain::clock::beijing_day))
                .max()
        };
        let offices: Vec<_> =
            org::chains(pool, city_id).await?.into_iter().filter(|c| c.office_unit_id.is_some()).collect();
        let each: Vec<Option<chrono::NaiveDate>> = offices.iter().map(|c| latest("monthly", Some(&c.id))).collect();
        let monthly = if each.is_empty() || each.contains(&None) { None } else { each.into_iter().min().flatten() };
        Ok(FedBy { monthly, quarterly: latest("quarterly", None) })
    }

    /// The day `progress_from` last fed a task, and the words saying so.
    fn of(&self, progress_from: &str) -> (Option<chrono::NaiveDate>, String) {
        let (day, what, done) = match progress_from {
            "report:monthly" => (self.monthly, "各链条办提交工作月报即计为进展", "各链条办均已提交"),
            "report:quarterly" => (self.quarterly, "总链办提交季度报告即计为进展", "提交"),
            _ => return (None, String::new()),
        };
        let last = day.map_or("尚未提交".to_string(), |d| format!("最近一次{done}于{d}"));
        (day, format!("{what}（{last}）"))
    }
}

/// The red tasks, escalated to the chain chiefs, the city leaders and the general office.
pub(crate) async fn escalated_for(state: &AppState, p: &Principal) -> Result<Vec<Task>, AppError> {
    if !p.has(Role::ChainChief) && !p.reads_whole_city() {
        return Ok(vec![]);
    }
    Ok(load(state, p).await?.into_iter().filter(|t| t.state.light == Some(Light::Red)).collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/list.html")]
struct ListPage {
    l: Layout,
    tasks: Vec<Task>,
    counts: [usize; 3],
}

/// `GET /tasks`: every task with its light; a unit's own tasks first.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let mut tasks = load(&state, p).await?;
    tasks.sort_by_key(|t| (!may_report(p, t), std::cmp::Reverse(t.state.light)));
    let mut counts = [0; 3];
    for t in &tasks {
        match t.state.light {
            Some(Light::Red) => counts[2] += 1,
            Some(Light::Yellow) => counts[1] += 1,
            _ => counts[0] += 1,
        }
    }
    let l = layout(&state, &user, "任务督办", "/tasks").await?.with_flash(f.msg.as_deref());
    Ok(ListPage { l, tasks, counts }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/show.html")]
struct ShowPage {
    l: Layout,
    t: Task,
    can_report: bool,
    my_units: Vec<(String, String)>,
    files: Vec<safety::Attachment>,
    today: String,
}

async fn task(state: &AppState, user: &CurrentUser, id: &str) -> Result<Task, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    load(state, &user.principal).await?.into_iter().find(|t| t.m.id == id).ok_or(AppError::NotFound)
}

/// `GET /tasks/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let t = task(&state, &user, &id).await?;
    let p = &user.principal;
    let my_units = t.units.iter().filter(|u| p.acts_for_unit(&u.0)).map(|u| (u.0.clone(), u.1.clone())).collect();
    let files = safety::attachments(state.store.pool(), &p.city_id, "task", &id).await?;
    let l = layout(&state, &user, &t.m.title, "/tasks")
        .await?
        .with_parents(&[("任务督办", "/tasks")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    Ok(ShowPage { can_report: may_report(p, &t), l, t, my_units, files, today }.into_response())
}

/// `POST /tasks/{id}/reports` (multipart: body, reported_on, unit_id, done, optional file as evidence).
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let t = task(&state, &user, &id).await?;
    let p = &user.principal;
    require(&state, &user, may_report(p, &t), &format!("POST /tasks/{id}/reports")).await?;
    let (fields, file) = super::safety::read_form(&mut form).await?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let body = required("body", "进展", &get("body"), 2000).map_err(|e| AppError::Invalid(vec![e]))?;
    let on = chrono::NaiveDate::parse_from_str(&get("reported_on"), "%Y-%m-%d")
        .map_err(|_| AppError::field("reported_on", "日期应写成YYYY-MM-DD"))?;
    if on > state.clock.today() {
        return Err(AppError::field("reported_on", "报送日期不能晚于今天").into());
    }
    let unit = get("unit_id");
    let unit = if unit.is_empty() {
        None
    } else if t.units.iter().any(|u| u.0 == unit && p.acts_for_unit(&u.0)) {
        Some(unit)
    } else {
        return Err(AppError::field("unit_id", "只能以本单位的名义报送").into());
    };
    let evidence = match file.filter(|(n, _)| !n.is_empty()) {
        Some(f) => Some(super::safety::checked(f)?),
        None => None,
    };
    tasks::report(
        &state.store,
        &user.actor(),
        &id,
        unit.as_deref(),
        &body,
        !get("done").is_empty(),
        &on.format("%Y-%m-%d").to_string(),
    )
    .await?;
    if let Some((name, bytes, content_type)) = evidence {
        let a = safety::NewAttachment {
            city_id: &p.city_id,
            owner_kind: "task",
            owner_id: &id,
            name: &name,
            content_type,
            bytes: &bytes,
        };
        safety::attach(&state.store, &user.actor(), &a).await?;
    }
    Ok(Redirect::to(&format!("/tasks/{id}?msg=saved")).into_response())
}
