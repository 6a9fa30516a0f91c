//! The lead bank of each chain [F2] (一链一行): the bank, its partners, credit policy, dedicated
//! credit line and desks in parks, kept by the general office or the chain's office; how much of
//! the line the chain's granted financing requests have used; and a bank's tally of the requests
//! it answered; guarantee companies and the risk-compensation fund with the loans they cover. A
//! lead bank reads its own chain only.

use crate::factors::{Row, Tally, rows};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::factor::FactorKind;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_domain::org::ChainLevel;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::factors::{self as store, ChainBank, ChainBankFields};
use chainchief_store::guarantees::{self, Case, Guarantor, GuarantorFields, NewCase};
use chainchief_store::{enterprises, org};
use chrono::NaiveDate;

/// A chain with its lead bank (if set), the line used and the financing requests' tally.
pub struct BankLine {
    /// Chain id.
    pub chain_id: String,
    /// Chain name.
    pub chain_name: String,
    /// The lead bank, once set.
    pub bank: Option<ChainBank>,
    /// Granted within the line's period.
    pub used: Money,
    /// The chain's financing requests.
    pub tally: Tally,
    /// Granted in all.
    pub granted: Money,
    /// Whether the caller may set the bank.
    pub can_edit: bool,
}

impl BankLine {
    /// The line used, in percent words ("—" without a line).
    pub fn used_share(&self) -> String {
        match &self.bank {
            Some(b) if b.credit_line > Money::ZERO => format!("{:.1}%", self.used.share_of(b.credit_line) * 100.0),
            _ => "—".into(),
        }
    }
}

/// Whether `p` keeps a chain's lead bank: the general office or the chain's office.
pub fn may_keep(p: &Principal, chain_id: &str) -> bool {
    p.can_write_chain(chain_id)
}

/// The amount granted to financing requests within a line's period.
fn used(bank: &ChainBank, financing: &[&Row]) -> Money {
    Money::total(
        financing
            .iter()
            .filter(|r| {
                r.r.granted_on.as_deref().is_some_and(|d| bank.starts_on.as_str() <= d && d <= bank.ends_on.as_str())
            })
            .filter_map(|r| r.r.granted_money()),
    )
}

/// The city's own leading chains `p` reads (not the higher-level chains they feed), with their
/// lead banks and financing, in chain order.
pub async fn lines(ctx: &Context, p: &Principal) -> Result<Vec<BankLine>> {
    let pool = ctx.store.pool();
    let banks = store::chain_banks(pool, &p.city_id).await?;
    let financing: Vec<Row> = rows(ctx, p).await?.into_iter().filter(|r| r.r.kind == FactorKind::Financing).collect();
    let mut out = Vec::new();
    let own = org::chains(pool, &p.city_id).await?.into_iter().filter(|c| c.level == ChainLevel::CityLeading);
    for ch in own.filter(|c| p.can_read_chain(&c.id)) {
        let of_chain: Vec<&Row> =
            financing.iter().filter(|r| r.r.chain_id.as_deref() == Some(ch.id.as_str())).collect();
        let bank = banks.iter().find(|b| b.chain_id == ch.id).cloned();
        let mut tally = Tally::default();
        for r in &of_chain {
            tally.add(r);
        }
        out.push(BankLine {
            used: bank.as_ref().map_or(Money::ZERO, |b| used(b, &of_chain)),
            granted: Money::total(of_chain.iter().filter_map(|r| r.r.granted_money())),
            can_edit: may_keep(p, &ch.id),
            chain_id: ch.id,
            chain_name: ch.name,
            bank,
            tally,
        });
    }
    Ok(out)
}

/// A lead bank as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct BankInput {
    /// Chain id.
    pub chain_id: String,
    /// Bank.
    pub bank: String,
    /// Partner banks.
    #[serde(default)]
    pub partners: String,
    /// Its lead and contact.
    #[serde(default)]
    pub contact: String,
    /// Credit policy.
    #[serde(default)]
    pub credit_policy: String,
    /// Credit line in 万元.
    pub credit_line: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Desks in parks.
    #[serde(default)]
    pub desks: String,
}

fn day(field: &'static str, label: &str, text: &str) -> Result<String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| Error::field(field, format!("{label}应为日期，如 2026-01-01")))
}

/// Sets a chain's lead bank: new, or a change to the one read at `version`.
pub async fn set(ctx: &Context, c: &Caller<'_>, i: &BankInput, version: Option<i64>) -> Result<()> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let chain_id = i.chain_id.trim();
    if !is_valid_id(chain_id) || !org::chains(pool, &p.city_id).await?.iter().any(|ch| ch.id == chain_id) {
        return Err(Error::field("chain_id", "请选择产业链"));
    }
    allow(ctx, c, may_keep(p, chain_id), "POST /finance/banks").await?;
    let starts_on = day("starts_on", "授信起始日", &i.starts_on)?;
    let ends_on = day("ends_on", "授信截止日", &i.ends_on)?;
    if ends_on < starts_on {
        return Err(Error::field("ends_on", "授信截止日不能早于起始日"));
    }
    let credit_line = Money::parse(&i.credit_line, MoneyUnit::Wan)
        .map_err(|e| Error::field("credit_line", e.for_field("专项授信额度")))?;
    let f = ChainBankFields {
        chain_id: chain_id.to_string(),
        bank: required("bank", "主办行", &i.bank, 60)?,
        partners: optional("partners", "参与行", &i.partners, 200)?,
        contact: optional("contact", "行级领导及联系人", &i.contact, 100)?,
        credit_policy: optional("credit_policy", "信贷政策", &i.credit_policy, 2000)?,
        credit_line,
        starts_on,
        ends_on,
        desks: optional("desks", "园区服务点", &i.desks, 500)?,
    };
    let was = store::chain_banks(pool, &p.city_id).await?.into_iter().find(|b| b.chain_id == chain_id);
    let was = match (&was, version) {
        (Some(b), Some(v)) => Some((b.id.as_str(), v)),
        (None, None) => None,
        (Some(_), None) => return Err(Error::field("chain_id", "该产业链已有主办行，请打开它修改")),
        (None, Some(_)) => return Err(Error::NotFound),
    };
    Ok(store::set_chain_bank(&ctx.store, &c.actor, &p.city_id, &f, was).await?)
}

/// Whether `p` sees a guarantee case of an enterprise on `chains`: the leaders and the general
/// office, the chains' offices, chiefs and lead banks, the enterprise itself.
fn may_see_case(p: &Principal, enterprise_id: &str, chains: &[String]) -> bool {
    p.reads_whole_city()
        || p.own_enterprise() == Some(enterprise_id)
        || chains.iter().any(|c| p.holds_on_chain(&[Role::ChainOffice, Role::ChainChief, Role::LeadBank], c))
}

/// Whether `p` records or closes a case of an enterprise on `chains`: the general office, the
/// chains' offices and lead banks.
fn may_keep_case(p: &Principal, chains: &[String]) -> bool {
    p.has(Role::GeneralOffice) || chains.iter().any(|c| p.holds_on_chain(&[Role::ChainOffice, Role::LeadBank], c))
}

/// A guarantor with the cases the caller sees.
pub struct GuarantorView {
    /// The guarantor.
    pub guarantor: Guarantor,
    /// Its cases the caller sees, each with whether the caller may close it.
    pub cases: Vec<(Case, bool)>,
    /// The amount of those in force.
    pub in_force: Money,
}

/// Guarantors with their cases the caller sees, and what the caller may record.
pub struct Guarantees {
    /// Guarantors, each with its cases the caller sees and the amount in force.
    pub guarantors: Vec<GuarantorView>,
    /// May add a guarantor.
    pub can_add: bool,
    /// (id, name) of the enterprises the caller may record a case for.
    pub enterprises: Vec<(String, String)>,
}

/// The guarantee companies and risk-compensation funds with the cases the caller sees.
pub async fn guarantees(ctx: &Context, p: &Principal) -> Result<Guarantees> {
    let pool = ctx.store.pool();
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let chains_of = |e: &str| members.get(e).unwrap_or(&none);
    let cases = guarantees::cases(pool, &p.city_id).await?;
    let guarantors = guarantees::guarantors(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|g| {
            let mine: Vec<(Case, bool)> = cases
                .iter()
                .filter(|c| c.guarantor_id == g.id && may_see_case(p, &c.enterprise_id, chains_of(&c.enterprise_id)))
                .map(|c| (c.clone(), c.status == "active" && may_keep_case(p, chains_of(&c.enterprise_id))))
                .collect();
            let in_force = Money::total(mine.iter().filter(|(c, _)| c.status == "active").map(|(c, _)| c.amount));
            GuarantorView { guarantor: g, cases: mine, in_force }
        })
        .collect();
    let enterprises = enterprises::names(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _)| may_keep_case(p, chains_of(id)))
        .collect();
    Ok(Guarantees { guarantors, can_add: p.has(Role::GeneralOffice), enterprises })
}

/// A guarantor as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GuarantorInput {
    /// Name.
    pub name: String,
    /// `guarantee` or `risk_fund`.
    pub kind: String,
    /// Capacity in 万元.
    pub capacity: String,
    /// Partner banks.
    #[serde(default)]
    pub partners: String,
    /// Contact.
    #[serde(default)]
    pub contact: String,
    /// Its rules in short.
    #[serde(default)]
    pub note: String,
}

/// Records a guarantee company or a risk-compensation fund (the general office).
pub async fn add_guarantor(ctx: &Context, c: &Caller<'_>, i: &GuarantorInput) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /finance/guarantors").await?;
    let kind = match i.kind.trim() {
        "guarantee" => "guarantee",
        "risk_fund" => "risk_fund",
        _ => return Err(Error::field("kind", "请选择担保公司或风险补偿资金池")),
    };
    let f = GuarantorFields {
        name: required("name", "名称", &i.name, 60)?,
        kind,
        capacity: Money::parse(&i.capacity, MoneyUnit::Wan)
            .map_err(|e| Error::field("capacity", e.for_field("规模（万元）")))?,
        partners: optional("partners", "合作银行", &i.partners, 200)?,
        contact: optional("contact", "联系人", &i.contact, 100)?,
        note: optional("note", "规则要点", &i.note, 1000)?,
    };
    Ok(guarantees::add_guarantor(&ctx.store, &c.actor, &p.city_id, &f).await?)
}

/// A case as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CaseInput {
    /// Guarantor id.
    pub guarantor_id: String,
    /// Enterprise id.
    pub enterprise_id: String,
    /// Lending bank.
    pub bank: String,
    /// Amount in 万元.
    pub amount: String,
    /// Day it began.
    pub started_on: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// Records a guaranteed loan (the general office, the chain's office or lead bank); returns its id.
pub async fn add_case(ctx: &Context, c: &Caller<'_>, i: &CaseInput) -> Result<String> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let e = i.enterprise_id.trim();
    if !is_valid_id(e) || enterprises::get(pool, &p.city_id, e).await.is_err() {
        return Err(Error::field("enterprise_id", "企业库中没有该企业"));
    }
    let chains = enterprises::chains_of(pool, e).await?;
    allow(ctx, c, may_keep_case(p, &chains), "POST /finance/guarantees").await?;
    if !guarantees::guarantors(pool, &p.city_id).await?.iter().any(|g| g.id == i.guarantor_id.trim()) {
        return Err(Error::field("guarantor_id", "请选择担保机构"));
    }
    let started_on = day("started_on", "起始日", &i.started_on)?;
    if started_on > ctx.clock.today().format("%Y-%m-%d").to_string() {
        return Err(Error::field("started_on", "起始日不能晚于今天"));
    }
    let amount =
        Money::parse(&i.amount, MoneyUnit::Wan).map_err(|e| Error::field("amount", e.for_field("担保金额（万元）")))?;
    if amount == Money::ZERO {
        return Err(Error::field("amount", "担保金额应大于0"));
    }
    let new = NewCase {
        guarantor_id: i.guarantor_id.trim().to_string(),
        enterprise_id: e.to_string(),
        request_id: None,
        bank: required("bank", "贷款银行", &i.bank, 60)?,
        amount,
        started_on,
        note: optional("note", "说明", &i.note, 500)?,
    };
    Ok(guarantees::add_case(&ctx.store, &c.actor, &p.city_id, &new).await?)
}

/// Closes a case read at `version`: released (解保), or compensated with the amount paid, never
/// above the amount guaranteed.
pub async fn close_case(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    outcome: &str,
    paid: &str,
    version: i64,
) -> Result<()> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let case = guarantees::cases(pool, &p.city_id).await?.into_iter().find(|x| x.id == id).ok_or(Error::NotFound)?;
    let chains = enterprises::chains_of(pool, &case.enterprise_id).await?;
    allow(ctx, c, may_keep_case(p, &chains), "POST /finance/guarantees/{id}").await?;
    if case.status != "active" {
        return Err(Error::field("outcome", "该笔担保已结束"));
    }
    let (status, paid) = match outcome.trim() {
        "released" => ("released", Money::ZERO),
        "compensated" => {
            let paid = Money::parse(paid, MoneyUnit::Wan)
                .map_err(|e| Error::field("paid", e.for_field("代偿金额（万元）")))?;
            if paid == Money::ZERO || paid > case.amount {
                return Err(Error::field("paid", format!("代偿金额应大于0且不超过担保金额{}", case.amount.display())));
            }
            ("compensated", paid)
        }
        _ => return Err(Error::field("outcome", "请选择解保或代偿")),
    };
    let today = ctx.clock.today().format("%Y-%m-%d").to_string();
    Ok(guarantees::close_case(&ctx.store, &c.actor, &p.city_id, id, status, paid, &today, version).await?)
}
