//! Demo major projects, events and a problem, loaded once from the demo file; their dates are
//! counted back from the day of the first start so the demo always looks current.

use anyhow::Context;
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_store::audit::Actor;
use chainchief_store::projects::{self, Facts, Move, NewProject};
use chainchief_store::{Store, events, org, problems, tracking};
use chrono::{Datelike, Days, NaiveDate};
use serde::Deserialize;

/// A demo project.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    name: String,
    chain: String,
    node: String,
    kind: String,
    method: String,
    lead: String,
    planned: String,
    stage: String,
    monthly_plan: String,
    actual_ratio: f64,
    /// The park it is built in, by code.
    #[serde(default)]
    park: Option<String>,
    #[serde(default)]
    milestones: Vec<MilestoneSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneSpec {
    name: String,
    days_ago: u64,
    #[serde(default)]
    late: u64,
    #[serde(default = "yes")]
    done: bool,
}

fn yes() -> bool {
    true
}

/// A demo event.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    kind: String,
    title: String,
    days_ago: u64,
    place: String,
    participants: String,
    #[serde(default)]
    projects: Vec<String>,
}

/// A demo problem.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemSpec {
    title: String,
    detail: String,
    enterprise: String,
    raised_by: String,
    lead: String,
    #[serde(default)]
    co: Vec<String>,
    deadline_days_ago: u64,
}

fn ago(today: NaiveDate, days: u64) -> String {
    (today - Days::new(days)).format("%Y-%m-%d").to_string()
}

/// Loads the demo's projects, events and problems.
pub async fn load(
    store: &Store,
    city_id: &str,
    p: &[ProjectSpec],
    e: &[EventSpec],
    q: &[ProblemSpec],
) -> anyhow::Result<()> {
    let pool = store.pool();
    let actor = Actor { city_id: Some(city_id.to_string()), ..Actor::cli(store.clock().now_millis()) };
    let today = store.clock().today();
    let mut ids = Vec::new();
    for s in p {
        let chain = org::id_by_code(pool, "chains", city_id, &s.chain).await?;
        let map = chainchief_store::maps::load(pool, &chain).await?;
        let node =
            map.nodes.iter().find(|n| n.code == s.node).with_context(|| format!("演示数据：没有环节“{}”", s.node))?;
        let planned = Money::parse(&s.planned, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?;
        let new = NewProject {
            city_id: city_id.to_string(),
            name: s.name.clone(),
            company_name: s.name.trim_end_matches("项目").to_string() + "有限公司",
            target_id: None,
            chain_id: chain,
            node_id: Some(node.id.clone()),
            park_id: match &s.park {
                Some(code) => Some(org::id_by_code(pool, "parks", city_id, code).await?),
                None => None,
            },
            lead_unit_id: Some(org::id_by_code(pool, "units", city_id, &s.lead).await?),
            kind: s.kind.clone(),
            method: s.method.clone(),
            major: true,
            planned: Some(planned),
        };
        let id = projects::create(store, &actor, &new).await?;
        let at = |stage: &str, days: u64| {
            (["signed", "approval", "construction"].contains(&stage)).then(|| ago(today, days))
        };
        let facts = Facts {
            planned: Some(planned),
            signed_amount: Some(planned),
            signed_on: at("signed", 300),
            approval_on: (s.stage != "signed").then(|| ago(today, 200)),
            started_on: (s.stage == "construction").then(|| ago(today, 120)),
            producing_on: None,
        };
        let m = Move { from: "lead".into(), to: s.stage.clone(), reason: String::new(), facts, version: 1 };
        projects::move_stage(store, &actor, city_id, &id, &m).await?;
        let monthly = Money::parse(&s.monthly_plan, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?;
        for month in 1..today.month() {
            let period = format!("{}-{month:02}", today.year());
            // Whole 万元, as offices report them.
            let actual =
                Money::from_wan((monthly.number_in(MoneyUnit::Wan) * s.actual_ratio) as i64).unwrap_or_default();
            tracking::set_month(store, &actor, &id, &period, Some(monthly), Some(actual)).await?;
        }
        for ms in &s.milestones {
            tracking::add_milestone(store, &actor, &id, &ms.name, &ago(today, ms.days_ago)).await?;
        }
        let all = tracking::milestones(pool, city_id).await?;
        for ms in s.milestones.iter().filter(|m| m.done) {
            if let Some(row) = all.iter().find(|x| x.project_id == id && x.name == ms.name) {
                let done = ago(today, ms.days_ago.saturating_sub(ms.late));
                tracking::complete_milestone(store, &actor, &row.id, &done, row.version).await?;
            }
        }
        ids.push((s.name.clone(), id));
    }
    for ev in e {
        let project_ids = ev
            .projects
            .iter()
            .filter_map(|n| ids.iter().find(|(name, _)| name == n).map(|(_, id)| id.clone()))
            .collect();
        let new = events::NewEvent {
            city_id: city_id.to_string(),
            kind: ev.kind.clone(),
            title: ev.title.clone(),
            held_on: ago(today, ev.days_ago),
            place: ev.place.clone(),
            participants: ev.participants.clone(),
            project_ids,
        };
        events::create(store, &actor, &new).await?;
    }
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    for pr in q {
        let enterprise =
            names.iter().find(|n| n.3 == pr.enterprise).map(|n| n.0.clone()).context("演示数据：问题所属企业")?;
        let chain = chainchief_store::enterprises::chains_of(pool, &enterprise).await?.into_iter().next();
        let raiser = Actor { name: pr.raised_by.clone(), ..actor.clone() };
        let new = problems::NewProblem {
            city_id: city_id.to_string(),
            title: pr.title.clone(),
            detail: pr.detail.clone(),
            chain_id: chain,
            project_id: None,
            enterprise_id: Some(enterprise),
        };
        let id = problems::raise(store, &raiser, &new).await?;
        let mut units = vec![(org::id_by_code(pool, "units", city_id, &pr.lead).await?, "lead".to_string())];
        for c in &pr.co {
            units.push((org::id_by_code(pool, "units", city_id, c).await?, "co".to_string()));
        }
        let change = problems::Change {
            status: chainchief_domain::supervision::ProblemStatus::Assigned,
            deadline: Some(ago(today, pr.deadline_days_ago)),
            units: Some(units),
            resolution: None,
            note_kind: "assigned".into(),
            note: "交办牵头和配合单位限期办结。".into(),
            version: 1,
        };
        problems::change(store, &actor, city_id, &id, &change).await?;
    }
    Ok(())
}

/// Records each local demo enterprise's revenue as last year's yearly facts, so that the goals the
/// plan counts in the library (enterprises over 10亿元 …) have a closed year to count.
pub async fn load_years(store: &Store, city_id: &str) -> anyhow::Result<()> {
    use chainchief_store::enterprises::{YearFacts, set_year};
    use chainchief_store::library::{self, Filter, Scope};
    let actor = Actor::cli(store.clock().now_millis());
    let year = i64::from(store.clock().year()) - 1;
    let (_, items) =
        library::list(store.pool(), city_id, &Scope::City, &Filter::default(), 0, i64::from(u32::MAX)).await?;
    for e in items.into_iter().filter(|e| e.is_demo == 1 && e.is_local == 1) {
        if let Some(revenue) = e.revenue {
            let facts = YearFacts { year, revenue: Some(revenue), ..YearFacts::default() };
            set_year(store, &actor, &e.id, &facts).await?;
        }
    }
    Ok(())
}
