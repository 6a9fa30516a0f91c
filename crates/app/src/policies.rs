//! The policy library [F5] (惠企政策库): policies of every level with their conditions as data;
//! which enterprises qualify for each policy (政策找企业) and which policies an enterprise
//! qualifies for (企业找政策), an unknown fact counting as "may qualify"; enterprises' applications
//! for the funds a policy grants, decided by the general office. Every business user reads the
//! library; the general office keeps it.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::eligibility::{self as rules, Condition, Criterion, Eligibility, PolicyLevel, Profile, Verdict};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::policies::{self as store, Application, Policy, PolicyFields};
use chainchief_store::{enterprises, library, org};
use chrono::NaiveDate;

/// Conditions a policy form offers.
pub const MAX_CONDITIONS: usize = 5;

/// Whether `p` keeps the library: the general office.
pub fn may_keep(p: &Principal) -> bool {
    p.has(Role::GeneralOffice)
}

/// A local enterprise the caller reads, with what the conditions look at.
pub struct Profiled {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its facts.
    pub profile: Profile,
}

/// The local enterprises the caller reads, each with its profile.
async fn profiled(ctx: &Context, p: &Principal) -> Result<Vec<Profiled>> {
    let pool = ctx.store.pool();
    let (list, tiers) = library::candidates(pool, &p.city_id, &crate::enterprises::scope_of(p)).await?;
    let members = enterprises::memberships(pool, &p.city_id).await?;
    Ok(list
        .into_iter()
        .map(|e| Profiled {
            profile: Profile {
                tiers: tiers.iter().filter(|t| t.enterprise_id == e.id).map(|t| t.tier).collect(),
                chains: members.get(&e.id).cloned().unwrap_or_default(),
                park: e.park_id,
                scale: e.scale,
                revenue: e.revenue,
                employees: e.employees,
            },
            id: e.id,
            name: e.name,
        })
        .collect())
}

/// Names of the chains and parks the conditions may name: (id, name).
pub struct Places {
    /// Chains.
    pub chains: Vec<(String, String)>,
    /// Parks.
    pub parks: Vec<(String, String)>,
}

impl Places {
    /// A condition in words, e.g. "培育梯度为国家级专精特新“小巨人”".
    pub fn words(&self, c: &Condition) -> String {
        let named = |list: &[(String, String)]| {
            list.iter().find(|(id, _)| *id == c.value).map_or_else(|| "（已删除）".to_string(), |(_, n)| n.clone())
        };
        let value = match c.criterion {
            Criterion::Tier => {
                chainchief_domain::maps_file::Tier::from_code(&c.value).map_or("", |t| t.label()).to_string()
            }
            Criterion::Scale => chainchief_domain::org::scale_label(&c.value).to_string(),
            Criterion::Chain => named(&self.chains),
            Criterion::Park => named(&self.parks),
            Criterion::Revenue => format!("{}亿元", c.value),
            Criterion::Employees => format!("{}人", c.value),
        };
        format!("{}{}{value}", c.criterion.label().split('（').next().unwrap_or(""), c.op.label())
    }
}

/// The city's chains and parks by name.
async fn places(ctx: &Context, city_id: &str) -> Result<Places> {
    let pool = ctx.store.pool();
    Ok(Places {
        chains: org::chains(pool, city_id).await?.into_iter().map(|c| (c.id, c.name)).collect(),
        parks: org::parks(pool, city_id).await?.into_iter().map(|x| (x.id, x.name)).collect(),
    })
}

/// A policy with its conditions and the enterprises the caller reads that qualify.
pub struct Entry {
    /// The policy.
    pub policy: Policy,
    /// Its conditions in order.
    pub conditions: Vec<Condition>,
    /// Enterprises qualifying (every condition met).
    pub qualifying: Vec<(String, String)>,
    /// Enterprises that may qualify (facts missing).
    pub maybe: Vec<(String, String)>,
}

/// The library as the caller sees it: every policy with who qualifies, names for the conditions.
pub struct Library {
    /// Policies, newest first.
    pub entries: Vec<Entry>,
    /// Names of chains and parks.
    pub places: Places,
}

/// The whole library with, for each policy, the enterprises the caller reads that qualify.
pub async fn library(ctx: &Context, c: &Caller<'_>) -> Result<Library> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /policies").await?;
    let pool = ctx.store.pool();
    let conditions = store::conditions(pool, &p.city_id).await?;
    let firms = profiled(ctx, p).await?;
    let entries = store::policies(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|policy| {
            let conds: Vec<Condition> =
                conditions.iter().filter(|(id, _)| *id == policy.id).map(|(_, c)| c.clone()).collect();
            let mut e = Entry { policy, conditions: conds, qualifying: Vec::new(), maybe: Vec::new() };
            for f in &firms {
                match rules::eligibility(&e.conditions, &f.profile).0 {
                    Eligibility::Qualifies => e.qualifying.push((f.id.clone(), f.name.clone())),
                    Eligibility::MayQualify => e.maybe.push((f.id.clone(), f.name.clone())),
                    Eligibility::NotEligible => {}
                }
            }
            e
        })
        .collect();
    Ok(Library { entries, places: places(ctx, &p.city_id).await? })
}

/// A policy's page: the policy, who qualifies, its applications the caller may see.
pub struct PolicyView {
    /// The policy with who qualifies.
    pub entry: Entry,
    /// Names for the conditions.
    pub places: Places,
    /// Applications under it the caller may see.
    pub applications: Vec<Application>,
    /// May change it and decide applications.
    pub can_edit: bool,
    /// The caller's own enterprise, when it may apply, with how it stands.
    pub own: Option<(Eligibility, Vec<Verdict>)>,
}

/// Whether `p` sees an application: the general office and leaders, the enterprise itself, the
/// offices of the enterprise's chains.
fn may_see_application(p: &Principal, a: &Application, chains: &[String]) -> bool {
    p.reads_whole_city()
        || p.own_enterprise() == Some(a.enterprise_id.as_str())
        || chains.iter().any(|c| p.can_write_chain(c))
}

async fn visible_applications(ctx: &Context, p: &Principal) -> Result<Vec<Application>> {
    let pool = ctx.store.pool();
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    Ok(store::applications(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|a| may_see_application(p, a, members.get(&a.enterprise_id).unwrap_or(&none)))
        .collect())
}

/// One policy.
pub async fn get(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<PolicyView> {
    let p = c.principal;
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let mut lib = library(ctx, c).await?;
    let at = lib.entries.iter().position(|e| e.policy.id == id).ok_or(Error::NotFound)?;
    let entry = lib.entries.swap_remove(at);
    let own = match p.own_enterprise() {
        Some(e) => profiled(ctx, p)
            .await?
            .into_iter()
            .find(|f| f.id == e)
            .map(|f| rules::eligibility(&entry.conditions, &f.profile)),
        None => None,
    };
    Ok(PolicyView {
        applications: visible_applications(ctx, p).await?.into_iter().filter(|a| a.policy_id == id).collect(),
        can_edit: may_keep(p),
        own,
        places: lib.places,
        entry,
    })
}

/// The policies in force an enterprise qualifies or may qualify for, best first, with the verdicts.
pub async fn for_enterprise(ctx: &Context, p: &Principal, enterprise_id: &str) -> Result<Vec<(Policy, Eligibility)>> {
    let pool = ctx.store.pool();
    let Some(firm) = profiled(ctx, p).await?.into_iter().find(|f| f.id == enterprise_id) else { return Ok(Vec::new()) };
    let conditions = store::conditions(pool, &p.city_id).await?;
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    let mut out: Vec<(Policy, Eligibility)> = store::policies(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|x| x.in_force(&today))
        .map(|x| {
            let conds: Vec<Condition> =
                conditions.iter().filter(|(id, _)| *id == x.id).map(|(_, c)| c.clone()).collect();
            let e = rules::eligibility(&conds, &firm.profile).0;
            (x, e)
        })
        .filter(|(_, e)| *e != Eligibility::NotEligible)
        .collect();
    out.sort_by_key(|(_, e)| *e);
    Ok(out)
}

/// A policy as typed, with up to [`MAX_CONDITIONS`] condition rows (`criterion_N`, `op_N`, and
/// `value_N` for a thing or `number_N` for a number).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PolicyInput {
    /// Title.
    pub title: String,
    /// 文号.
    #[serde(default)]
    pub doc_number: String,
    /// Level code.
    pub level: String,
    /// Issuer.
    pub issuer: String,
    /// Tags.
    #[serde(default)]
    pub tags: String,
    /// First day.
    pub valid_from: String,
    /// Last day, or empty.
    #[serde(default)]
    pub valid_to: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// The condition rows.
    #[serde(flatten)]
    pub rows: std::collections::HashMap<String, String>,
}

fn day(field: &'static str, label: &str, text: &str) -> Result<String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| Error::field(field, format!("{label}应为日期，如 2026-01-01")))
}

async fn fields(ctx: &Context, p: &Principal, i: &PolicyInput) -> Result<PolicyFields> {
    let level = PolicyLevel::from_code(i.level.trim()).ok_or_else(|| Error::field("level", "请选择政策层级"))?;
    let valid_from = day("valid_from", "生效日期", &i.valid_from)?;
    let valid_to = match i.valid_to.trim() {
        "" => None,
        t => Some(day("valid_to", "失效日期", t)?),
    };
    if valid_to.as_deref().is_some_and(|t| t < valid_from.as_str()) {
        return Err(Error::field("valid_to", "失效日期不能早于生效日期"));
    }
    let places = places(ctx, &p.city_id).await?;
    let mut conditions = Vec::new();
    for n in 1..=MAX_CONDITIONS {
        let get = |k: &str| i.rows.get(&format!("{k}_{n}")).map(String::as_str).unwrap_or("").trim().to_string();
        let criterion = get("criterion");
        // A number is typed beside the list of things; whichever fits the criterion counts.
        let numeric = Criterion::from_code(&criterion).is_some_and(Criterion::is_number);
        let (op, value) = (get("op"), if numeric { get("number") } else { get("value") });
        if criterion.is_empty() && value.is_empty() {
            continue;
        }
        let field = format!("criterion_{n}");
        let c = rules::condition(&field, &criterion, &op, &value)?;
        let known = |list: &[(String, String)]| list.iter().any(|(id, _)| *id == c.value);
        let ok = match c.criterion {
            Criterion::Chain => known(&places.chains),
            Criterion::Park => known(&places.parks),
            _ => true,
        };
        if !ok {
            return Err(Error::field(&field, format!("第{n}个条件所选的{}不存在", c.criterion.label())));
        }
        conditions.push(c);
    }
    let tags: Vec<&str> = i.tags.split(['、', ',', '，', ' ']).map(str::trim).filter(|t| !t.is_empty()).collect();
    Ok(PolicyFields {
        title: required("title", "政策名称", &i.title, 100)?,
        doc_number: optional("doc_number", "文号", &i.doc_number, 60)?,
        level,
        issuer: required("issuer", "发布机关", &i.issuer, 60)?,
        tags: optional("tags", "标签", &tags.join("、"), 200)?,
        valid_from,
        valid_to,
        summary: optional("summary", "政策要点", &i.summary, 2000)?,
        conditions,
    })
}

/// Adds a policy (the general office); returns its id.
pub async fn create(ctx: &Context, c: &Caller<'_>, i: &PolicyInput) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, may_keep(p), "POST /policies").await?;
    let f = fields(ctx, p, i).await?;
    Ok(store::create_policy(&ctx.store, &c.actor, &p.city_id, &f).await?)
}

/// Changes a policy read at `version`.
pub async fn update(ctx: &Context, c: &Caller<'_>, id: &str, i: &PolicyInput, version: i64) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, may_keep(p), "POST /policies/{id}").await?;
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    store::policy(ctx.store.pool(), &p.city_id, id).await?;
    let f = fields(ctx, p, i).await?;
    Ok(store::update_policy(&ctx.store, &c.actor, &p.city_id, id, &f, version).await?)
}

/// An enterprise applies under a policy in force that it qualifies or may qualify for; returns the
/// application's id. Its own users apply for it.
pub async fn apply(ctx: &Context, c: &Caller<'_>, policy_id: &str, asked: &str, note: &str) -> Result<String> {
    let p = c.principal;
    let view = get(ctx, c, policy_id).await?;
    let Some(own) = p.own_enterprise() else {
        return Err(allow(ctx, c, false, "POST /policies/{id}/applications").await.err().unwrap_or(Error::Forbidden));
    };
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    if !view.entry.policy.in_force(&today) {
        return Err(Error::field("policy", "该政策不在有效期内，不能申报"));
    }
    if let Some((Eligibility::NotEligible, verdicts)) = &view.own {
        let missed: Vec<String> = view
            .entry
            .conditions
            .iter()
            .zip(verdicts)
            .filter(|(_, v)| **v == Verdict::Missed)
            .map(|(c, _)| view.places.words(c))
            .collect();
        return Err(Error::field("policy", format!("不符合申报条件：{}", missed.join("；"))));
    }
    let asked = money::optional_field("asked", "申请金额", asked, MoneyUnit::Wan)?;
    let note = required("note", "申报事项", note, 500)?;
    Ok(store::apply(&ctx.store, &c.actor, &p.city_id, policy_id, own, &today, asked, &note).await?)
}

/// The general office decides an application read at `version`: approved with the amount granted
/// (never above what was asked), or rejected with a reason.
pub async fn decide(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    approved: bool,
    granted: &str,
    reason: &str,
    version: i64,
) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, may_keep(p), "POST /policies/applications/{id}").await?;
    let a = store::applications(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Error::NotFound)?;
    let reason = optional("reason", "说明", reason, 500)?;
    let granted = money::optional_field("granted", "兑现金额", granted, MoneyUnit::Wan)?;
    if approved {
        match (granted, a.asked) {
            (None, _) => return Err(Error::field("granted", "请填写兑现金额")),
            (Some(g), Some(asked)) if g > asked => return Err(Error::field("granted", "兑现金额不能大于申请金额")),
            _ => {}
        }
    } else if reason.is_empty() {
        return Err(Error::field("reason", "未通过须说明理由"));
    }
    let granted = if approved { granted } else { None::<Money> };
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    Ok(store::decide(&ctx.store, &c.actor, &p.city_id, id, version, approved, granted, &today, &reason).await?)
}

/// The policies that apply to a chain in force in `year` (those naming no chain apply to all),
/// for the chain's 政策清单, with their conditions in words.
pub async fn of_chain(ctx: &Context, city_id: &str, chain_id: &str, year: i32) -> Result<Vec<(Policy, String)>> {
    let pool = ctx.store.pool();
    let conditions = store::conditions(pool, city_id).await?;
    let places = places(ctx, city_id).await?;
    let (first, last) = (format!("{year}-01-01"), format!("{year}-12-31"));
    Ok(store::policies(pool, city_id)
        .await?
        .into_iter()
        .filter(|x| x.valid_from <= last && x.valid_to.as_deref().is_none_or(|t| t >= first.as_str()))
        .filter_map(|x| {
            let conds: Vec<&Condition> = conditions.iter().filter(|(id, _)| *id == x.id).map(|(_, c)| c).collect();
            let chains: Vec<&Condition> = conds.iter().copied().filter(|c| c.criterion == Criterion::Chain).collect();
            let applies = chains.is_empty()
                || chains.iter().any(|c| (c.value == chain_id) == (c.op == chainchief_domain::eligibility::Op::Is));
            applies.then(|| {
                let words: Vec<String> = conds.iter().map(|c| places.words(c)).collect();
                (x, if words.is_empty() { "不限".to_string() } else { words.join("；") })
            })
        })
        .collect())
}
