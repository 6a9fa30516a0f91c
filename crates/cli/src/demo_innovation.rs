//! The demo's innovation resources (示范数据): carriers with members and activities, key
//! technologies with the stages they reached, standards and patents with their rewards, and the
//! yearly facts the reserve criteria look at; dates are counted back from the day of the first start.

use anyhow::Context;
use chainchief_domain::innovation::{
    Band, CarrierKind, Level, MemberRole, MemberType, ResultKind, TechCategory, TechStage,
};
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_store::audit::Actor;
use chainchief_store::innovation::{self, CarrierFields, NewMember};
use chainchief_store::technologies::{self, NewAchievement, TechnologyFields};
use chainchief_store::{Store, enterprises, maps, org};
use chrono::Days;
use serde::Deserialize;

/// A demo carrier.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierSpec {
    kind: String,
    name: String,
    level: String,
    since_year: Option<i32>,
    chain: Option<String>,
    node: Option<String>,
    host: Option<String>,
    #[serde(default)]
    host_name: String,
    #[serde(default)]
    approval: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    members: Vec<MemberSpec>,
    #[serde(default)]
    activities: Vec<ActivitySpec>,
    #[serde(default)]
    evaluations: Vec<EvaluationSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationSpec {
    year: i64,
    band: String,
    score: Option<i64>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberSpec {
    enterprise: Option<String>,
    name: Option<String>,
    #[serde(rename = "type", default = "enterprise_type")]
    member_type: String,
    role: String,
}

fn enterprise_type() -> String {
    MemberType::Enterprise.code().into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivitySpec {
    title: String,
    enterprise: Option<String>,
    days_ago: u64,
}

/// A demo key technology.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TechnologySpec {
    name: String,
    chain: String,
    node: Option<String>,
    category: String,
    owner: Option<String>,
    #[serde(default)]
    partners: String,
    consortium: Option<String>,
    target_year: Option<i32>,
    #[serde(default)]
    goal: String,
    stages: Vec<StageSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageSpec {
    stage: String,
    days_ago: u64,
    note: String,
}

/// A demo standard or patent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementSpec {
    enterprise: String,
    kind: String,
    title: String,
    number: String,
    years_ago: i32,
    reward: Option<String>,
}

/// Last year's R&D spend (万元), main-business revenue (亿元) and debt ratio (%) of a demo enterprise.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSpec {
    enterprise: String,
    rd: String,
    main_business: String,
    debt_ratio: String,
}

fn code<T>(what: &str, raw: &str, from: impl Fn(&str) -> Option<T>) -> anyhow::Result<T> {
    from(raw).with_context(|| format!("演示数据：没有{what}“{raw}”"))
}

async fn enterprise(store: &Store, city_id: &str, name: &str) -> anyhow::Result<String> {
    enterprises::id_by_name(store.pool(), city_id, name).await?.with_context(|| format!("演示数据：没有企业“{name}”"))
}

/// The chain of `code` and, when named, its node of `node` code.
async fn place(
    store: &Store,
    city_id: &str,
    chain: Option<&str>,
    node: Option<&str>,
) -> anyhow::Result<(Option<String>, Option<String>)> {
    let Some(chain) = chain else { return Ok((None, None)) };
    let chain_id = org::id_by_code(store.pool(), "chains", city_id, chain).await?;
    let node_id = match node {
        Some(n) => {
            let map = maps::load(store.pool(), &chain_id).await?;
            Some(map.nodes.iter().find(|x| x.code == n).with_context(|| format!("演示数据：没有环节“{n}”"))?.id.clone())
        }
        None => None,
    };
    Ok((Some(chain_id), node_id))
}

/// Loads the demo's innovation resources.
pub async fn load(
    store: &Store,
    city_id: &str,
    carriers: &[CarrierSpec],
    techs: &[TechnologySpec],
    results: &[AchievementSpec],
    years: &[YearSpec],
) -> anyhow::Result<()> {
    let actor = Actor { city_id: Some(city_id.to_string()), ..Actor::cli(store.clock().now_millis()) };
    let today = store.clock().today();
    let ago = |days: u64| (today - Days::new(days)).format("%Y-%m-%d").to_string();
    let mut consortia = Vec::new();
    for s in carriers {
        let (chain_id, node_id) = place(store, city_id, s.chain.as_deref(), s.node.as_deref()).await?;
        let host_enterprise_id = match &s.host {
            Some(h) => Some(enterprise(store, city_id, h).await?),
            None => None,
        };
        let f = CarrierFields {
            kind: code("载体类型", &s.kind, CarrierKind::from_code)?,
            name: s.name.clone(),
            level: code("认定级别", &s.level, Level::from_code)?,
            since_year: s.since_year,
            chain_id,
            node_id,
            host_enterprise_id,
            host_name: s.host_name.clone(),
            approval: s.approval.clone(),
            purpose: s.purpose.clone(),
        };
        let id = innovation::create_carrier(store, &actor, city_id, &f).await?;
        for m in &s.members {
            let (enterprise_id, name) = match (&m.enterprise, &m.name) {
                (Some(e), _) => (Some(enterprise(store, city_id, e).await?), e.clone()),
                (None, Some(n)) => (None, n.clone()),
                (None, None) => anyhow::bail!("演示数据：“{}”的成员没有名称", s.name),
            };
            let member = NewMember {
                enterprise_id,
                name,
                member_type: code("成员类型", &m.member_type, MemberType::from_code)?,
                role: code("成员角色", &m.role, MemberRole::from_code)?,
            };
            innovation::add_member(store, &actor, &id, &member).await?;
        }
        for a in &s.activities {
            let served = match &a.enterprise {
                Some(e) => Some(enterprise(store, city_id, e).await?),
                None => None,
            };
            innovation::add_activity(store, &actor, &id, &ago(a.days_ago), &a.title, served.as_deref()).await?;
        }
        for e in &s.evaluations {
            let evaluation = innovation::Evaluation {
                carrier_id: id.clone(),
                year: e.year,
                band: code("评价结果", &e.band, Band::from_code)?,
                score: e.score,
                note: e.note.clone(),
                created_by: String::new(),
            };
            innovation::add_evaluation(store, &actor, &evaluation).await?;
        }
        consortia.push((s.name.clone(), id));
    }
    for s in techs {
        let (chain_id, node_id) = place(store, city_id, Some(&s.chain), s.node.as_deref()).await?;
        let owner_enterprise_id = match &s.owner {
            Some(o) => Some(enterprise(store, city_id, o).await?),
            None => None,
        };
        let consortium_id = match &s.consortium {
            Some(c) => Some(
                consortia.iter().find(|(n, _)| n == c).with_context(|| format!("演示数据：没有联合体“{c}”"))?.1.clone(),
            ),
            None => None,
        };
        let mut f = TechnologyFields {
            chain_id: chain_id.unwrap_or_default(),
            node_id,
            name: s.name.clone(),
            category: code("技术类别", &s.category, TechCategory::from_code)?,
            owner_enterprise_id,
            partners: s.partners.clone(),
            consortium_id,
            stage: TechStage::Published,
            target_year: s.target_year,
            goal: s.goal.clone(),
            progress: String::new(),
        };
        let mut id = None;
        for (version, st) in (0_i64..).zip(&s.stages) {
            f.stage = code("攻关阶段", &st.stage, TechStage::from_code)?;
            f.progress.clone_from(&st.note);
            let on = ago(st.days_ago);
            match &id {
                None => id = Some(technologies::create_technology(store, &actor, city_id, &f, &on).await?),
                Some(tid) => technologies::update_technology(store, &actor, city_id, tid, &f, version, &on).await?,
            }
        }
    }
    let year = store.clock().year();
    for r in results {
        let reward = match &r.reward {
            Some(x) => Some(Money::parse(x, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?),
            None => None,
        };
        let new = NewAchievement {
            enterprise_id: enterprise(store, city_id, &r.enterprise).await?,
            kind: code("成果类别", &r.kind, ResultKind::from_code)?,
            title: r.title.clone(),
            number: r.number.clone(),
            granted_year: year - r.years_ago,
            reward,
        };
        technologies::add_achievement(store, &actor, city_id, &new).await?;
    }
    let last = i64::from(year) - 1;
    let money = |x: &str, unit| Money::parse(x, unit).map_err(|e| anyhow::anyhow!("演示数据：{e}"));
    for y in years {
        let id = enterprise(store, city_id, &y.enterprise).await?;
        let mut facts = enterprises::years(store.pool(), &id)
            .await?
            .into_iter()
            .find(|f| f.year == last)
            .unwrap_or(enterprises::YearFacts { year: last, ..Default::default() });
        facts.rd = Some(money(&y.rd, MoneyUnit::Wan)?);
        facts.main_business = Some(money(&y.main_business, MoneyUnit::Yi)?);
        facts.debt_ratio = Some(
            chainchief_domain::quantity::parse_scaled(&y.debt_ratio).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?,
        );
        enterprises::set_year(store, &actor, &id, &facts).await?;
    }
    Ok(())
}
