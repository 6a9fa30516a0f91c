//! Demo factor guarantees: routing rules, a chain's lead bank, 纾困 campaigns with their actions,
//! requests at every step (routed, answered by a unit or the lead bank, rated) and the policy
//! library with applications, dated back from the day of the first start.

use anyhow::Context;
use chainchief_domain::clock::beijing_midnight;
use chainchief_domain::eligibility::{self, PolicyLevel};
use chainchief_domain::factor::{FactorKind, Outcome, Satisfaction};
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_domain::workdays::Calendar;
use chainchief_store::audit::Actor;
use chainchief_store::factors::{self as store, Answer, CampaignFields, ChainBankFields, NewRequest};
use chainchief_store::guarantees::{self, GuarantorFields, NewCase};
use chainchief_store::liaison;
use chainchief_store::policies::{self, PolicyFields};
use chainchief_store::pools::{self, FundFields, NewAllocation, PartnershipFields, Talent};
use chainchief_store::{Store, org};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

/// The demo's factor guarantees.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    #[serde(default)]
    routes: Vec<RouteSpec>,
    #[serde(default)]
    banks: Vec<BankSpec>,
    #[serde(default)]
    campaigns: Vec<CampaignSpec>,
    #[serde(default)]
    requests: Vec<RequestSpec>,
    #[serde(default)]
    policies: Vec<PolicySpec>,
    #[serde(default)]
    funds: Vec<FundSpec>,
    #[serde(default)]
    talent: Option<TalentSpec>,
    #[serde(default)]
    guarantors: Vec<GuarantorSpec>,
    #[serde(default)]
    liaison: Vec<LiaisonSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuarantorSpec {
    name: String,
    kind: String,
    capacity: String,
    partners: String,
    contact: String,
    note: String,
    cases: Vec<CaseSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    enterprise: String,
    bank: String,
    amount: String,
    days_ago: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LiaisonSpec {
    chain: String,
    by: String,
    logs: Vec<LogSpec>,
    comments: Vec<CommentSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogSpec {
    days_ago: u64,
    counterpart: String,
    content: String,
    result: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentSpec {
    request: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FundSpec {
    name: String,
    kind: String,
    budget: String,
    unit: String,
    note: String,
    allocations: Vec<AllocationSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllocationSpec {
    enterprise: String,
    purpose: String,
    decision: String,
    amount: String,
    days_ago: u64,
    paid: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TalentSpec {
    aim: Talent,
    intakes: Vec<IntakeSpec>,
    partnerships: Vec<PartnershipSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeSpec {
    enterprise: String,
    high_end: i64,
    skilled: i64,
    graduates: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnershipSpec {
    kind: String,
    name: String,
    school: String,
    #[serde(default)]
    enterprise: Option<String>,
    chain: String,
    status: String,
    days_ago: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySpec {
    title: String,
    #[serde(default)]
    doc_number: String,
    level: String,
    issuer: String,
    tags: String,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    summary: String,
    conditions: Vec<ConditionSpec>,
    #[serde(default)]
    applications: Vec<ApplicationSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionSpec {
    criterion: String,
    op: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplicationSpec {
    enterprise: String,
    note: String,
    asked: String,
    days_ago: u64,
    #[serde(default)]
    granted: Option<String>,
    #[serde(default)]
    decided_days_ago: u64,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RouteSpec {
    kind: String,
    unit: String,
    days: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankSpec {
    chain: String,
    bank: String,
    partners: String,
    contact: String,
    policy: String,
    line: String,
    starts_days_ago: u64,
    ends_in_days: u64,
    desks: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignSpec {
    name: String,
    leader: String,
    unit: String,
    starts_days_ago: u64,
    ends_in_days: u64,
    goal: String,
    results: String,
    actions: Vec<ActionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionSpec {
    days_ago: u64,
    action: String,
    result: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestSpec {
    kind: String,
    enterprise: String,
    title: String,
    detail: String,
    #[serde(default)]
    asked: String,
    #[serde(default)]
    campaign: Option<String>,
    raised_by: String,
    days_ago: u64,
    #[serde(default)]
    answer: Option<AnswerSpec>,
    #[serde(default)]
    rating: Option<RatingSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerSpec {
    outcome: String,
    #[serde(default)]
    granted: String,
    reason: String,
    by: String,
    days_after: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatingSpec {
    rating: String,
    comment: String,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An actor named `name` at ten in the morning of `day`.
fn at(base: &Actor, name: &str, day: NaiveDate) -> Actor {
    Actor { name: name.to_string(), at: beijing_midnight(day) + 10 * 3_600_000, ..base.clone() }
}

/// Loads the demo's factor guarantees.
pub async fn load(store: &Store, city_id: &str, spec: &FactorSpec) -> anyhow::Result<()> {
    let pool = store.pool();
    let actor = Actor { city_id: Some(city_id.to_string()), ..Actor::cli(store.clock().now_millis()) };
    let today = store.clock().today();
    let kind_of = |code: &str| FactorKind::from_code(code).with_context(|| format!("演示数据：没有诉求类型“{code}”"));
    for r in &spec.routes {
        let unit = org::id_by_code(pool, "units", city_id, &r.unit).await?;
        store::set_route(store, &actor, city_id, kind_of(&r.kind)?, Some(&unit), r.days, None).await?;
    }
    for b in &spec.banks {
        let f = ChainBankFields {
            chain_id: org::id_by_code(pool, "chains", city_id, &b.chain).await?,
            bank: b.bank.clone(),
            partners: b.partners.clone(),
            contact: b.contact.clone(),
            credit_policy: b.policy.clone(),
            credit_line: Money::parse(&b.line, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?,
            starts_on: date(today - Days::new(b.starts_days_ago)),
            ends_on: date(today + Days::new(b.ends_in_days)),
            desks: b.desks.clone(),
        };
        store::set_chain_bank(store, &actor, city_id, &f, None).await?;
    }
    let mut campaigns = Vec::new();
    for c in &spec.campaigns {
        let f = CampaignFields {
            name: c.name.clone(),
            leader: c.leader.clone(),
            unit_id: Some(org::id_by_code(pool, "units", city_id, &c.unit).await?),
            starts_on: date(today - Days::new(c.starts_days_ago)),
            ends_on: date(today + Days::new(c.ends_in_days)),
            goal: c.goal.clone(),
            results: c.results.clone(),
        };
        let id = store::create_campaign(store, &actor, city_id, &f).await?;
        for a in &c.actions {
            store::add_action(store, &actor, &id, &date(today - Days::new(a.days_ago)), &a.action, &a.result).await?;
        }
        campaigns.push((c.name.clone(), id));
    }
    let routes = store::routes(pool, city_id).await?;
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    for r in &spec.requests {
        let kind = kind_of(&r.kind)?;
        let enterprise = enterprise_of(&names, &r.enterprise)?;
        let raised = today - Days::new(r.days_ago);
        let rule = routes.iter().find(|x| x.kind == kind);
        let amount = |text: &str, field: &str| {
            kind.parse_amount(field, field, text).map_err(|e| anyhow::anyhow!("演示数据：{}", e.message))
        };
        let new = NewRequest {
            kind,
            title: r.title.clone(),
            detail: r.detail.clone(),
            chain_id: chainchief_store::enterprises::chains_of(pool, &enterprise).await?.into_iter().next(),
            enterprise_id: Some(enterprise),
            project_id: None,
            campaign_id: match &r.campaign {
                Some(name) => Some(
                    campaigns.iter().find(|c| c.0 == *name).map(|c| c.1.clone()).context("演示数据：诉求的纾困行动")?,
                ),
                None => None,
            },
            unit_id: rule.and_then(|x| x.unit_id.clone()),
            asked: amount(&r.asked, "asked")?,
            raised_on: date(raised),
            deadline: rule.map(|x| {
                date(Calendar::national().add_working_days(raised, u32::try_from(x.working_days).unwrap_or(10)))
            }),
        };
        let id = store::create_request(store, &at(&actor, &r.raised_by, raised), city_id, &new).await?;
        let Some(a) = &r.answer else { continue };
        let day = raised + Days::new(a.days_after);
        let outcome = Outcome::from_code(&a.outcome).context("演示数据：办理结果")?;
        let answer = Answer {
            outcome,
            granted: amount(&a.granted, "granted")?,
            granted_on: Some(date(day)),
            reason: a.reason.clone(),
        };
        store::answer_request(store, &at(&actor, &a.by, day), city_id, &id, 1, &answer).await?;
        if let Some(s) = &r.rating {
            let rating = Satisfaction::from_code(&s.rating).context("演示数据：满意度")?;
            store::rate_request(
                store,
                &at(&actor, &r.raised_by, day + Days::new(1)),
                city_id,
                &id,
                2,
                rating,
                &s.comment,
            )
            .await?;
        }
    }
    load_policies(store, city_id, &spec.policies, &actor).await?;
    load_pools(store, city_id, spec, &actor).await?;
    load_guarantees_and_liaison(store, city_id, spec, &actor).await
}

/// Loads the demo's guarantors with their cases, and the liaisons' records and comments.
async fn load_guarantees_and_liaison(
    store: &Store,
    city_id: &str,
    spec: &FactorSpec,
    actor: &Actor,
) -> anyhow::Result<()> {
    let pool = store.pool();
    let today = store.clock().today();
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    let wan = |t: &str| Money::parse(t, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"));
    for g in &spec.guarantors {
        let f = GuarantorFields {
            name: g.name.clone(),
            kind: if g.kind == "risk_fund" { "risk_fund" } else { "guarantee" },
            capacity: wan(&g.capacity)?,
            partners: g.partners.clone(),
            contact: g.contact.clone(),
            note: g.note.clone(),
        };
        let id = guarantees::add_guarantor(store, actor, city_id, &f).await?;
        for c in &g.cases {
            let new = NewCase {
                guarantor_id: id.clone(),
                enterprise_id: enterprise_of(&names, &c.enterprise)?,
                request_id: None,
                bank: c.bank.clone(),
                amount: wan(&c.amount)?,
                started_on: date(today - Days::new(c.days_ago)),
                note: String::new(),
            };
            guarantees::add_case(store, actor, city_id, &new).await?;
        }
    }
    let requests = store::requests(pool, city_id).await?;
    for l in &spec.liaison {
        let chain = org::id_by_code(pool, "chains", city_id, &l.chain).await?;
        for g in &l.logs {
            let day = today - Days::new(g.days_ago);
            let log = liaison::Log {
                done_on: date(day),
                counterpart: g.counterpart.clone(),
                content: g.content.clone(),
                result: g.result.clone(),
                created_by: l.by.clone(),
            };
            liaison::add_log(store, &at(actor, &l.by, day), city_id, &chain, &log).await?;
        }
        for c in &l.comments {
            let r = requests.iter().find(|r| r.title == c.request).context("演示数据：意见所指的诉求")?;
            liaison::add_comment(store, &at(actor, &l.by, today), city_id, "factor_request", &r.id, &c.body).await?;
        }
    }
    Ok(())
}

/// The id of a demo enterprise named by its short name.
fn enterprise_of(names: &[(String, Option<String>, String, String)], short: &str) -> anyhow::Result<String> {
    names.iter().find(|n| n.3 == short).map(|n| n.0.clone()).with_context(|| format!("演示数据：没有企业“{short}”"))
}

/// Loads the demo's funds with their allocations, and the talent pool of this year.
async fn load_pools(store: &Store, city_id: &str, spec: &FactorSpec, actor: &Actor) -> anyhow::Result<()> {
    let pool = store.pool();
    let today = store.clock().today();
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    let wan = |t: &str| Money::parse(t, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"));
    let year = store.clock().year();
    for f in &spec.funds {
        let fields = FundFields {
            name: f.name.clone(),
            kind: if f.kind == "work" { "work" } else { "guidance" },
            year,
            budget: wan(&f.budget)?,
            unit_id: Some(org::id_by_code(pool, "units", city_id, &f.unit).await?),
            note: f.note.clone(),
        };
        let fund_id = pools::create_fund(store, actor, city_id, &fields).await?;
        for a in &f.allocations {
            // Decided within the budget year.
            let on = (today - Days::new(a.days_ago)).max(NaiveDate::from_ymd_opt(year, 1, 2).unwrap_or(today));
            let new = NewAllocation {
                fund_id: fund_id.clone(),
                enterprise_id: Some(enterprise_of(&names, &a.enterprise)?),
                project_id: None,
                purpose: a.purpose.clone(),
                decision: a.decision.clone(),
                amount: wan(&a.amount)?,
                decided_on: date(on),
            };
            let id = pools::allocate(store, actor, city_id, &new).await?;
            pools::disburse(store, actor, city_id, &id, wan(&a.paid)?, &date(on), 1).await?;
        }
    }
    let Some(t) = &spec.talent else { return Ok(()) };
    pools::set_aim(store, actor, city_id, year, t.aim, None).await?;
    for i in &t.intakes {
        let talent = Talent { high_end: i.high_end, skilled: i.skilled, graduates: i.graduates };
        pools::set_intake(store, actor, city_id, &enterprise_of(&names, &i.enterprise)?, year, talent, None).await?;
    }
    for s in &t.partnerships {
        let f = PartnershipFields {
            kind: if s.kind == "base" { "base" } else { "cooperation" },
            name: s.name.clone(),
            school: s.school.clone(),
            enterprise_id: match &s.enterprise {
                Some(e) => Some(enterprise_of(&names, e)?),
                None => None,
            },
            chain_id: Some(org::id_by_code(pool, "chains", city_id, &s.chain).await?),
            status: ["active", "planned", "ended", "applying", "recognised"]
                .into_iter()
                .find(|c| *c == s.status)
                .context("演示数据：合作状态")?,
            since: date(today - Days::new(s.days_ago)),
            note: String::new(),
        };
        pools::add_partnership(store, actor, city_id, &f).await?;
    }
    Ok(())
}

/// Loads the demo's policies with their conditions and applications.
async fn load_policies(store: &Store, city_id: &str, specs: &[PolicySpec], actor: &Actor) -> anyhow::Result<()> {
    let pool = store.pool();
    let today = store.clock().today();
    let names = chainchief_store::enterprises::identities(pool, city_id).await?;
    let wan = |t: &str| Money::parse(t, MoneyUnit::Wan).map_err(|e| anyhow::anyhow!("演示数据：{e}"));
    for p in specs {
        let mut conditions = Vec::new();
        for (i, c) in p.conditions.iter().enumerate() {
            let value = match c.criterion.as_str() {
                "chain" => org::id_by_code(pool, "chains", city_id, &c.value).await?,
                "park" => org::id_by_code(pool, "parks", city_id, &c.value).await?,
                _ => c.value.clone(),
            };
            let field = format!("criterion_{}", i + 1);
            conditions.push(
                eligibility::condition(&field, &c.criterion, &c.op, &value)
                    .map_err(|e| anyhow::anyhow!("演示数据：{}：{}", p.title, e.message))?,
            );
        }
        let f = PolicyFields {
            title: p.title.clone(),
            doc_number: p.doc_number.clone(),
            level: PolicyLevel::from_code(&p.level).context("演示数据：政策层级")?,
            issuer: p.issuer.clone(),
            tags: p.tags.clone(),
            valid_from: p.valid_from.clone(),
            valid_to: p.valid_to.clone(),
            summary: p.summary.clone(),
            conditions,
        };
        let id = policies::create_policy(store, actor, city_id, &f).await?;
        for a in &p.applications {
            let enterprise = enterprise_of(&names, &a.enterprise)?;
            let on = date(today - Days::new(a.days_ago));
            let app =
                policies::apply(store, actor, city_id, &id, &enterprise, &on, Some(wan(&a.asked)?), &a.note).await?;
            if let Some(g) = &a.granted {
                let day = date(today - Days::new(a.decided_days_ago));
                policies::decide(store, actor, city_id, &app, 1, true, Some(wan(g)?), &day, &a.reason).await?;
            }
        }
    }
    Ok(())
}
