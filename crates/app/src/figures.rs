//! Entering a month's figures [T2][E5]: an enterprise user for its own enterprise, a chain office
//! for the enterprises on its chain and for its chain's own indicators, the general office for the
//! city's. One check serves the page and the API: month, unit (never converted), number, sign,
//! magnitude against the history.

use crate::{Caller, Context, Error, Result, allow, month_to_date};
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::org::{Aggregation, Scope};
use chainchief_domain::quantity::{format_scaled, parse_scaled};
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::StoreError;
use chainchief_store::enterprises as ent_store;
use chainchief_store::figures::{self, NewFigure};
use chainchief_store::org::Indicator;
use chainchief_store::rollup::{self, Entry};

/// Whether an indicator is entered by hand for enterprises (`Some(true)`), by an office
/// (`Some(false)`), or not at all (derived or rolled up: `None`).
pub fn entered_for_enterprises(ind: &Indicator) -> Option<bool> {
    ind.is_reported().then_some(ind.scope == Scope::Enterprise)
}

/// Whether `p` enters an office's own figure of `ind`: its chain's office, the committee of its
/// park for a park's indicators, or the general office for the city's.
pub fn may_enter_office_figure(p: &Principal, ind: &Indicator) -> bool {
    match &ind.chain_id {
        Some(c) => p.can_write_chain(c),
        None => p.has(Role::GeneralOffice) || ind.park_id.as_ref().is_some_and(|k| p.parks.contains(k)),
    }
}

/// Checks that the caller may enter `ind` for `enterprise_key` (empty for an office's own figure);
/// refuses derived and rolled-up indicators and enterprises not on the indicator's chain.
pub async fn may_enter(ctx: &Context, c: &Caller<'_>, ind: &Indicator, enterprise_key: &str) -> Result<()> {
    if !ind.formula.trim().is_empty() {
        return Err(Error::field("indicator", format!("“{}”由公式计算得出，不能填报", ind.name)));
    }
    if ind.counts.0.is_some() {
        return Err(Error::field("indicator", format!("“{}”由企业库计数得出，不能填报", ind.name)));
    }
    if !ind.rolls_up_from.is_empty() {
        return Err(Error::field(
            "indicator",
            format!("“{}”由企业指标“{}”汇总而来，请填报企业数据", ind.name, ind.rolls_up_from),
        ));
    }
    let what = format!("enter figure {} {}", ind.code, enterprise_key);
    if ind.scope != Scope::Enterprise {
        if !enterprise_key.is_empty() {
            return Err(Error::field("enterprise", "该指标不按企业填报，不要选择企业"));
        }
        return allow(ctx, c, may_enter_office_figure(c.principal, ind), &what).await;
    }
    if !is_valid_id(enterprise_key) {
        return Err(Error::field("enterprise", "企业指标须选择企业"));
    }
    let pool = ctx.store.pool();
    let e = ent_store::get(pool, &c.principal.city_id, enterprise_key)
        .await
        .map_err(|_| Error::field("enterprise", "企业库中没有该企业"))?;
    let chains = ent_store::chains_of(pool, &e.id).await?;
    allow(ctx, c, c.principal.can_write_enterprise(&e.id, &chains), &what).await?;
    if let Some(chain) = &ind.chain_id
        && !chains.contains(chain)
    {
        return Err(Error::field("enterprise", format!("企业“{}”不在该指标所属的产业链上", e.name)));
    }
    Ok(())
}

/// A figure as typed.
pub struct Typed<'a> {
    /// Month, already checked.
    pub period: &'a str,
    /// The number as typed.
    pub value: &'a str,
    /// Unit as typed.
    pub unit: &'a str,
    /// The version read, for a correction.
    pub version: Option<i64>,
    /// Confirms a value far out of line.
    pub confirm: bool,
}

/// Checks a typed figure of `ind` for `enterprise_key`; the field errors name `value`/`unit`.
pub async fn check(ctx: &Context, ind: &Indicator, enterprise_key: &str, t: &Typed<'_>) -> Result<NewFigure> {
    if t.unit.trim() != ind.unit {
        return Err(Error::field(
            "unit",
            format!("单位应为“{}”（本指标的单位）；系统不自动换算，请换算后再填", ind.unit),
        ));
    }
    let value = parse_scaled(t.value).map_err(|e| Error::field("value", e.to_string()))?;
    if value < 0 && ind.aggregation == Aggregation::Sum {
        return Err(Error::field("value", "数值不能为负数"));
    }
    let own = rollup::entries_of(ctx.store.pool(), &ind.id, enterprise_key).await?;
    let mut earlier: Vec<i64> =
        own.iter().filter(|e| e.period != t.period && e.value_scaled > 0).map(|e| e.value_scaled).collect();
    if !t.confirm && !earlier.is_empty() && value > 0 {
        earlier.sort_unstable();
        let median = earlier[earlier.len() / 2];
        if value >= median.saturating_mul(1000) || value.saturating_mul(1000) <= median {
            return Err(Error::field(
                "value",
                format!(
                    "与以往数据相差上千倍（以往约为{}{}），请核对单位（如吨与万吨）；确认无误请勾选“确认数值无误”后再保存",
                    format_scaled(median),
                    ind.unit
                ),
            ));
        }
    }
    Ok(NewFigure {
        indicator_id: ind.id.clone(),
        enterprise_key: enterprise_key.to_string(),
        period: t.period.to_string(),
        value_scaled: value,
        unit: ind.unit.clone(),
        source: "entered".into(),
        source_file: String::new(),
        version: t.version,
    })
}

/// One indicator of the city by id.
async fn indicator(ctx: &Context, p: &Principal, id: &str) -> Result<Indicator> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let (inds, _) = crate::indicators::definitions(ctx, &p.city_id).await?;
    inds.into_iter().find(|i| i.id == id).ok_or(Error::NotFound)
}

/// Records (or corrects) one figure; returns the stored one and its id.
pub async fn record_one(
    ctx: &Context,
    c: &Caller<'_>,
    indicator_id: &str,
    enterprise_key: &str,
    period: &str,
    t: Typed<'_>,
) -> Result<(String, NewFigure)> {
    let ind = indicator(ctx, c.principal, indicator_id).await?;
    may_enter(ctx, c, &ind, enterprise_key).await?;
    let period = month_to_date(period, ctx.clock)?;
    let new = check(ctx, &ind, enterprise_key, &Typed { period: &period, ..t }).await?;
    let id = figures::record(&ctx.store, &c.actor, &new).await?;
    Ok((id, new))
}

/// A line typed on the entry form: the indicator, the number, the version read.
pub struct TypedLine {
    /// Indicator id.
    pub indicator_id: String,
    /// The number as typed.
    pub value: String,
    /// The version read, for a correction.
    pub version: Option<i64>,
}

/// What became of a block of lines saved together.
pub enum Saved {
    /// All saved.
    All,
    /// Nothing was typed.
    Nothing,
    /// Some lines failed their checks (indicator id, message); nothing was saved.
    Refused(Vec<(String, String)>),
    /// Somebody changed a figure since it was read; nothing was saved.
    Conflict(String),
}

/// Saves every typed line of one block for a month, all together or none; an enterprise
/// indicator's line is for `enterprise`.
pub async fn record_block(
    ctx: &Context,
    c: &Caller<'_>,
    period: &str,
    enterprise: &str,
    lines: &[TypedLine],
    confirm: bool,
) -> Result<Saved> {
    let period = month_to_date(period, ctx.clock)?;
    let (all, _) = crate::indicators::definitions(ctx, &c.principal.city_id).await?;
    let (mut refused, mut figs) = (Vec::new(), Vec::new());
    for line in lines.iter().filter(|l| !l.value.trim().is_empty()) {
        let ind = all.iter().find(|i| i.id == line.indicator_id).ok_or(Error::NotFound)?;
        let key = if ind.scope == Scope::Enterprise { enterprise } else { "" };
        may_enter(ctx, c, ind, key).await?;
        let t = Typed { period: &period, value: &line.value, unit: &ind.unit, version: line.version, confirm };
        match check(ctx, ind, key, &t).await {
            Ok(f) => figs.push(f),
            Err(Error::Invalid(fields)) => {
                refused.extend(fields.into_iter().map(|e: FieldError| (ind.id.clone(), e.message)))
            }
            Err(e) => return Err(e),
        }
    }
    if !refused.is_empty() {
        return Ok(Saved::Refused(refused));
    }
    if figs.is_empty() {
        return Ok(Saved::Nothing);
    }
    match figures::record_all(&ctx.store, &c.actor, &figs).await {
        Ok(_) => Ok(Saved::All),
        Err(StoreError::Conflict { by, at }) => Ok(Saved::Conflict(format!("{by}，{at}"))),
        Err(e) => Err(e.into()),
    }
}

/// The enterprises `p` may enter figures for (id, name).
pub async fn choices(ctx: &Context, p: &Principal) -> Result<Vec<(String, String)>> {
    let pool = ctx.store.pool();
    let all = ent_store::names(pool, &p.city_id).await?;
    if p.has(Role::GeneralOffice) {
        return Ok(all);
    }
    let own: Vec<&str> =
        p.grants.iter().filter(|g| g.role == Role::Enterprise).filter_map(|g| g.enterprise_id.as_deref()).collect();
    let chains = ent_store::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    Ok(all
        .into_iter()
        .filter(|(id, _)| own.contains(&id.as_str()) || p.can_write_enterprise(id, chains.get(id).unwrap_or(&none)))
        .collect())
}

/// What the form shows of one indicator: this month's entry, last month's and a year ago's.
pub struct Known {
    /// The indicator.
    pub indicator_id: String,
    /// This month's entry.
    pub current: Option<Entry>,
    /// Last month's value.
    pub previous: Option<i64>,
    /// The value a year before.
    pub last_year: Option<i64>,
}

/// What is known of each indicator for `enterprise_key` around `period` (`YYYY-MM`).
pub async fn known(ctx: &Context, inds: &[&Indicator], enterprise_key: &str, period: &str) -> Result<Vec<Known>> {
    let shift = |months: u32| {
        chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.checked_sub_months(chrono::Months::new(months)))
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default()
    };
    let (prev, year_ago) = (shift(1), shift(12));
    let mut out = Vec::new();
    for ind in inds {
        let own = rollup::entries_of(ctx.store.pool(), &ind.id, enterprise_key).await?;
        let at = |p: &str| own.iter().find(|e| e.period == p);
        out.push(Known {
            indicator_id: ind.id.clone(),
            previous: at(&prev).map(|e| e.value_scaled),
            last_year: at(&year_ago).map(|e| e.value_scaled),
            current: at(period).cloned(),
        });
    }
    Ok(out)
}
