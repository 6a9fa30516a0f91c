//! The fund pool [F3] (资金池) and the talent pool [F4] (人才池). Funds: the general office (or
//! the unit that manages a fund) sets up a fund's yearly budget and allocates it to enterprises
//! and projects with a purpose and a decision document, never beyond the budget, and records the
//! disbursements; the leaders and the general office read them. Talent: each enterprise records
//! its yearly intake (its own users, the general office, the offices of its chains), the general
//! office sets the city's yearly aim, and school–enterprise cooperation and 产教融合 bases are kept
//! by the offices; every business user reads the talent pool.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::enterprises;
use chainchief_store::pools::{
    self as store, Allocation, Fund, FundFields, Intake, NewAllocation, Partnership, PartnershipFields, Talent,
};
use chrono::NaiveDate;

/// Whether `p` opens the fund pool: the leaders and the general office read every fund, a
/// responsible unit the funds it manages.
pub fn may_read_funds(p: &Principal) -> bool {
    p.reads_whole_city() || p.has(Role::ResponsibleUnit)
}

/// Whether `p` keeps a fund: the general office, or the unit that manages it.
pub fn may_keep_fund(p: &Principal, fund: Option<&Fund>) -> bool {
    p.has(Role::GeneralOffice) || fund.and_then(|f| f.unit_id.as_deref()).is_some_and(|u| p.holds_unit(u))
}

/// The funds the caller reads with their allocations.
pub async fn funds(ctx: &Context, c: &Caller<'_>) -> Result<Vec<(Fund, Vec<Allocation>)>> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let all = store::funds(pool, &p.city_id).await?;
    allow(ctx, c, may_read_funds(p), "GET /funds").await?;
    let allocations = store::allocations(pool, &p.city_id).await?;
    Ok(all
        .into_iter()
        .filter(|f| p.reads_whole_city() || may_keep_fund(p, Some(f)))
        .map(|f| {
            let mine = allocations.iter().filter(|a| a.fund_id == f.id).cloned().collect();
            (f, mine)
        })
        .collect())
}

fn day(field: &'static str, label: &str, text: &str) -> Result<String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| Error::field(field, format!("{label}应为日期，如 2026-12-01")))
}

fn wan(field: &'static str, label: &str, text: &str) -> Result<Money> {
    Money::parse(text, MoneyUnit::Wan).map_err(|e| Error::field(field, e.for_field(&format!("{label}（万元）"))))
}

/// A fund as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FundInput {
    /// Name.
    pub name: String,
    /// `guidance` or `work`.
    pub kind: String,
    /// Year.
    pub year: String,
    /// Budget in 万元.
    pub budget: String,
    /// Managing unit id, or empty.
    #[serde(default)]
    pub unit_id: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Sets up a fund's year (the general office); returns its id.
pub async fn create_fund(ctx: &Context, c: &Caller<'_>, i: &FundInput) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, may_keep_fund(p, None), "POST /funds").await?;
    let kind = match i.kind.trim() {
        "guidance" => "guidance",
        "work" => "work",
        _ => return Err(Error::field("kind", "请选择资金类别")),
    };
    let this = ctx.clock.year();
    let year = match i.year.trim().trim_end_matches('年').parse::<i32>() {
        Ok(y) if (this - 5..=this + 5).contains(&y) => y,
        _ => return Err(Error::field("year", format!("预算年度应为{}至{}年", this - 5, this + 5))),
    };
    let unit_id = match i.unit_id.trim() {
        "" => None,
        u if crate::factors::routable_units(ctx, p).await?.iter().any(|(id, _)| id == u) => Some(u.to_string()),
        _ => return Err(Error::field("unit_id", "管理单位无效")),
    };
    let f = FundFields {
        name: required("name", "资金名称", &i.name, 60)?,
        kind,
        year,
        budget: wan("budget", "年度预算", &i.budget)?,
        unit_id,
        note: optional("note", "说明", &i.note, 500)?,
    };
    Ok(store::create_fund(&ctx.store, &c.actor, &p.city_id, &f).await?)
}

async fn fund_of(ctx: &Context, p: &Principal, id: &str) -> Result<Fund> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(store::fund(ctx.store.pool(), &p.city_id, id).await?)
}

/// Changes a fund's budget and note read at `version`.
pub async fn update_fund(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    budget: &str,
    note: &str,
    version: i64,
) -> Result<()> {
    let p = c.principal;
    let f = fund_of(ctx, p, id).await?;
    allow(ctx, c, may_keep_fund(p, Some(&f)), "POST /funds/{id}").await?;
    let budget = wan("budget", "年度预算", budget)?;
    let note = optional("note", "说明", note, 500)?;
    Ok(store::update_fund(&ctx.store, &c.actor, &p.city_id, id, budget, &note, version).await?)
}

/// An allocation as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AllocationInput {
    /// Enterprise id, or empty.
    #[serde(default)]
    pub enterprise_id: String,
    /// Project id, or empty.
    #[serde(default)]
    pub project_id: String,
    /// Purpose.
    pub purpose: String,
    /// Decision document.
    pub decision: String,
    /// Amount in 万元.
    pub amount: String,
    /// Day decided.
    pub decided_on: String,
}

/// Allocates from a fund to an enterprise or a project, within the budget; returns its id.
pub async fn allocate(ctx: &Context, c: &Caller<'_>, fund_id: &str, i: &AllocationInput) -> Result<String> {
    let p = c.principal;
    let f = fund_of(ctx, p, fund_id).await?;
    allow(ctx, c, may_keep_fund(p, Some(&f)), "POST /funds/{id}/allocations").await?;
    let pool = ctx.store.pool();
    let (enterprise_id, project_id) = match (i.enterprise_id.trim(), i.project_id.trim()) {
        ("", "") => return Err(Error::field("enterprise_id", "请选择支持的企业或项目")),
        (e, "") => {
            if !is_valid_id(e) || enterprises::get(pool, &p.city_id, e).await.is_err() {
                return Err(Error::field("enterprise_id", "企业库中没有该企业"));
            }
            (Some(e.to_string()), None)
        }
        (_, pr) => {
            if !is_valid_id(pr) || chainchief_store::projects::get(pool, &p.city_id, pr).await.is_err() {
                return Err(Error::field("project_id", "没有这个项目"));
            }
            (None, Some(pr.to_string()))
        }
    };
    let decided_on = day("decided_on", "决策日期", &i.decided_on)?;
    if !decided_on.starts_with(&f.year.to_string()) {
        return Err(Error::field("decided_on", format!("决策日期应在预算年度{}年内", f.year)));
    }
    let a = NewAllocation {
        fund_id: fund_id.to_string(),
        enterprise_id,
        project_id,
        purpose: required("purpose", "用途", &i.purpose, 200)?,
        decision: required("decision", "决策依据", &i.decision, 100)?,
        amount: wan("amount", "安排金额", &i.amount)?,
        decided_on,
    };
    if a.amount == Money::ZERO {
        return Err(Error::field("amount", "安排金额应大于0"));
    }
    Ok(store::allocate(&ctx.store, &c.actor, &p.city_id, &a).await?)
}

/// Records the total paid out of an allocation read at `version`, never above the allocation.
pub async fn disburse(ctx: &Context, c: &Caller<'_>, id: &str, paid: &str, on: &str, version: i64) -> Result<()> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let a = store::allocations(pool, &p.city_id).await?.into_iter().find(|a| a.id == id).ok_or(Error::NotFound)?;
    let f = fund_of(ctx, p, &a.fund_id).await?;
    allow(ctx, c, may_keep_fund(p, Some(&f)), "POST /funds/allocations/{id}").await?;
    let paid = wan("paid", "累计拨付", paid)?;
    if paid > a.amount {
        return Err(Error::field("paid", format!("累计拨付不能超过安排的{}", a.amount.display())));
    }
    let on = day("disbursed_on", "拨付日期", on)?;
    if on > ctx.clock.today().format("%Y-%m-%d").to_string() {
        return Err(Error::field("disbursed_on", "拨付日期不能晚于今天"));
    }
    Ok(store::disburse(&ctx.store, &c.actor, &p.city_id, id, paid, &on, version).await?)
}

/// The talent pool of a year as the caller reads it.
pub struct TalentYear {
    /// Year.
    pub year: i32,
    /// The city's aim and its version.
    pub aim: Option<(Talent, i64)>,
    /// Every enterprise's intake.
    pub intakes: Vec<Intake>,
    /// Their sum.
    pub total: Talent,
    /// Cooperation and bases.
    pub partnerships: Vec<Partnership>,
    /// (id, name) of the enterprises the caller may record an intake for.
    pub enterprises: Vec<(String, String)>,
    /// May set the aim.
    pub can_aim: bool,
    /// May record cooperation and bases.
    pub can_partner: bool,
}

/// Whether `p` records cooperation and bases: the general office and the chain offices.
fn may_partner(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice])
}

/// The talent pool of `year`.
pub async fn talent(ctx: &Context, c: &Caller<'_>, year: i32) -> Result<TalentYear> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /talent").await?;
    let pool = ctx.store.pool();
    let intakes = store::intakes(pool, &p.city_id, year).await?;
    let total = intakes.iter().fold(Talent::default(), |t, i| t.plus(i.talent));
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let mine: Vec<(String, String)> = enterprises::names(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _)| p.can_write_enterprise(id, members.get(id).unwrap_or(&none)))
        .collect();
    Ok(TalentYear {
        year,
        aim: store::aim(pool, &p.city_id, year).await?,
        intakes,
        total,
        partnerships: store::partnerships(pool, &p.city_id).await?,
        enterprises: mine,
        can_aim: p.has(Role::GeneralOffice),
        can_partner: may_partner(p),
    })
}

fn count(field: &'static str, label: &str, text: &str) -> Result<i64> {
    match text.trim() {
        "" => Ok(0),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=100_000).contains(n))
            .ok_or_else(|| Error::field(field, format!("{label}应为0至100000的整数"))),
    }
}

/// Talent counts as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TalentInput {
    /// Year.
    pub year: String,
    /// 高端人才.
    #[serde(default)]
    pub high_end: String,
    /// 技能人才.
    #[serde(default)]
    pub skilled: String,
    /// 高校毕业生.
    #[serde(default)]
    pub graduates: String,
    /// Enterprise id (for an intake).
    #[serde(default)]
    pub enterprise_id: String,
    /// Version read, or empty for a new record.
    #[serde(default)]
    pub version: String,
}

impl TalentInput {
    fn read(&self, this: i32) -> Result<(i32, Talent, Option<i64>)> {
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (this - 5..=this + 5).contains(&y) => y,
            _ => return Err(Error::field("year", format!("年度应为{}至{}年", this - 5, this + 5))),
        };
        let t = Talent {
            high_end: count("high_end", "高端人才", &self.high_end)?,
            skilled: count("skilled", "技能人才", &self.skilled)?,
            graduates: count("graduates", "高校毕业生", &self.graduates)?,
        };
        let version = match self.version.trim() {
            "" => None,
            v => Some(v.parse().map_err(|_| Error::field("version", "版本号无效，请刷新页面后再保存"))?),
        };
        Ok((year, t, version))
    }
}

/// Records an enterprise's intake of a year (its own users, the general office, its chains' offices).
pub async fn set_intake(ctx: &Context, c: &Caller<'_>, i: &TalentInput) -> Result<()> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let e = p.own_enterprise().map(str::to_string).unwrap_or_else(|| i.enterprise_id.trim().to_string());
    if !is_valid_id(&e) || enterprises::get(pool, &p.city_id, &e).await.is_err() {
        return Err(Error::field("enterprise_id", "请选择企业"));
    }
    let chains = enterprises::chains_of(pool, &e).await?;
    allow(ctx, c, p.can_write_enterprise(&e, &chains), "POST /talent/intakes").await?;
    let (year, t, version) = i.read(ctx.clock.year())?;
    if year > ctx.clock.year() {
        return Err(Error::field("year", "不能填报未来年度的引才数"));
    }
    Ok(store::set_intake(&ctx.store, &c.actor, &p.city_id, &e, year, t, version).await?)
}

/// Sets the city's aim of a year (the general office).
pub async fn set_aim(ctx: &Context, c: &Caller<'_>, i: &TalentInput) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /talent/aims").await?;
    let (year, t, version) = i.read(ctx.clock.year())?;
    Ok(store::set_aim(&ctx.store, &c.actor, &p.city_id, year, t, version).await?)
}

/// A partnership as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PartnershipInput {
    /// `cooperation` or `base`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// School.
    pub school: String,
    /// Enterprise id, or empty.
    #[serde(default)]
    pub enterprise_id: String,
    /// Chain id, or empty.
    #[serde(default)]
    pub chain_id: String,
    /// Status code.
    pub status: String,
    /// Since.
    pub since: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// The statuses a kind of partnership takes: (code, label).
pub fn statuses(kind: &str) -> &'static [(&'static str, &'static str)] {
    if kind == "base" {
        &[("applying", "申报中"), ("recognised", "已认定"), ("ended", "已撤销")]
    } else {
        &[("planned", "洽谈中"), ("active", "合作中"), ("ended", "已结束")]
    }
}

/// Records a new cooperation or base (the general office, or a chain office for its chain).
pub async fn add_partnership(ctx: &Context, c: &Caller<'_>, i: &PartnershipInput) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, may_partner(p), "POST /talent/partnerships").await?;
    let pool = ctx.store.pool();
    let kind = match i.kind.trim() {
        "base" => "base",
        "cooperation" => "cooperation",
        _ => return Err(Error::field("kind", "请选择校企合作或产教融合基地")),
    };
    let status = statuses(kind)
        .iter()
        .find(|(c, _)| *c == i.status.trim())
        .map(|(c, _)| *c)
        .ok_or_else(|| Error::field("status", "请选择状态"))?;
    let enterprise_id = match i.enterprise_id.trim() {
        "" => None,
        e if is_valid_id(e) && enterprises::get(pool, &p.city_id, e).await.is_ok() => Some(e.to_string()),
        _ => return Err(Error::field("enterprise_id", "企业库中没有该企业")),
    };
    let chain_id = match i.chain_id.trim() {
        "" => None,
        ch if chainchief_store::org::chains(pool, &p.city_id).await?.iter().any(|x| x.id == ch) => Some(ch.to_string()),
        _ => return Err(Error::field("chain_id", "产业链无效")),
    };
    // A chain office records its own chain's cooperation only.
    let own_chain = chain_id.as_deref().is_some_and(|ch| p.can_write_chain(ch));
    allow(ctx, c, p.has(Role::GeneralOffice) || own_chain, "POST /talent/partnerships").await?;
    let f = PartnershipFields {
        kind,
        name: required("name", "名称", &i.name, 60)?,
        school: required("school", "合作院校", &i.school, 60)?,
        enterprise_id,
        chain_id,
        status,
        since: day("since", "开始日期", &i.since)?,
        note: optional("note", "说明", &i.note, 500)?,
    };
    Ok(store::add_partnership(&ctx.store, &c.actor, &p.city_id, &f).await?)
}
