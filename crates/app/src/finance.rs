//! The lead bank of each chain [F2] (一链一行): the bank, its partners, credit policy, dedicated
//! credit line and desks in parks, kept by the general office or the chain's office; how much of
//! the line the chain's granted financing requests have used; and a bank's tally of the requests
//! it answered. A lead bank reads its own chain only.

use crate::factors::{Row, Tally, rows};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::factor::FactorKind;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_domain::org::ChainLevel;
use chainchief_domain::roles::Principal;
use chainchief_domain::text::{optional, required};
use chainchief_store::factors::{self as store, ChainBank, ChainBankFields};
use chainchief_store::org;
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
