//! The indicators of a city with where each stands [T3]: monthly values (own, rolled up or by
//! formula), targets, and the assessment of the current year — shared by the API, the cockpits
//! and the indicator pages.

use crate::{Context, Result};
use chainchief_domain::counting::Counting;
use chainchief_domain::forecast::{Light, LightRule};
use chainchief_domain::org::TargetKind;
use chainchief_domain::progress::{AsOf, Assessment, Goal, Kind, Series, assess, by_year};
use chainchief_domain::quantity::format_scaled;
use chainchief_store::org::{self as org_store, Indicator, Target};
use chainchief_store::rollup::{self, Monthly};
use std::sync::Arc;

/// An indicator with its figures and assessment.
pub struct Row {
    /// The definition.
    pub ind: Indicator,
    /// Targets (year, value × 10⁴).
    pub targets: Vec<(i32, i64)>,
    /// Baseline, if any.
    pub baseline: Option<(i32, i64)>,
    /// Monthly values.
    pub monthly: Arc<Monthly>,
    /// The same by year.
    pub series: Series,
    /// Where it stands.
    pub a: Assessment,
}

impl Row {
    /// How the indicator's months make its year.
    pub fn kind(&self) -> Kind {
        kind_of(&self.ind)
    }

    /// The actual against the schedule to date, as a fraction (the ratio the light is given by).
    pub fn attainment(&self) -> Option<f64> {
        self.a.attainment.map(|bp| bp as f64 / 10_000.0)
    }

    /// The same as a percentage to one decimal, e.g. "98.2%".
    pub fn attainment_text(&self) -> String {
        self.a.attainment.map_or_else(|| "—".into(), chainchief_domain::forecast::percent)
    }

    /// Status words: 正常 / 预警 / 滞后 / 无数据.
    pub fn status(&self) -> &'static str {
        self.a.light.map_or("无数据", Light::label)
    }

    /// CSS class of the status.
    pub fn status_class(&self) -> &'static str {
        light_class(self.a.light)
    }

    /// How the figures come about, in words: names, never the plan's codes (`all`: the city's indicators).
    pub fn origin(&self, all: &[Indicator]) -> String {
        if let Some(c) = &self.ind.counts.0 {
            format!("按{}计数", c.describe())
        } else if !self.ind.formula.trim().is_empty() {
            let mut text = self.ind.formula.clone();
            let mut vars = chainchief_domain::formula::parse(&self.ind.formula)
                .map(|e| chainchief_domain::formula::variables(&e))
                .unwrap_or_default();
            // Longer codes first, so that a code inside another is not replaced within it.
            vars.sort_by_key(|v| std::cmp::Reverse(v.len()));
            for var in vars {
                text = text.replace(&var, &term_name(&var, all));
            }
            format!("按公式计算：{text}")
        } else if !self.ind.rolls_up_from.is_empty() {
            format!("由企业指标{}汇总", term_name(&self.ind.rolls_up_from, all))
        } else {
            "直接填报".into()
        }
    }

    /// A value with the unit, to at most two decimals (figures stay exact in the entries).
    pub fn show(&self, v: i64) -> String {
        format!("{}{}", rounded(v), self.ind.unit)
    }
}

/// A formula's term in words: the indicator's name, or what the measure is, in quotes.
pub fn term_name(code: &str, all: &[Indicator]) -> String {
    let named = all.iter().find(|i| i.code == code).map(|i| i.name.clone());
    let meant = || {
        let measure = chainchief_domain::formula::MEASURES.iter().find(|(m, _)| *m == code);
        measure.and_then(|(_, meaning)| meaning.split('，').next()).map(str::to_string)
    };
    format!("“{}”", named.or_else(meant).unwrap_or_else(|| code.to_string()))
}

/// A scaled value to at most two decimals, rounded half away from zero.
pub fn rounded(v: i64) -> String {
    let r = (v.abs() + 50) / 100 * 100;
    format_scaled(if v < 0 { -r } else { r })
}

/// CSS class of a light.
pub fn light_class(l: Option<Light>) -> &'static str {
    match l {
        Some(Light::Green) => "green",
        Some(Light::Amber) => "amber",
        Some(Light::Red) => "red",
        None => "none",
    }
}

/// Cumulative for summed indicators, level for the rest.
pub fn kind_of(ind: &Indicator) -> Kind {
    if ind.aggregation == chainchief_domain::org::Aggregation::Sum { Kind::Cumulative } else { Kind::Level }
}

/// The city's indicators (all of them, for roll-ups) and their targets.
pub async fn definitions(ctx: &Context, city_id: &str) -> Result<(Vec<Indicator>, Vec<Target>)> {
    Ok(org_store::indicators(ctx.store.pool(), city_id).await?)
}

/// The period the cockpit and the indicator pages are as of: the month normally reported now.
pub fn current(ctx: &Context) -> AsOf {
    as_of(ctx.clock.last_month())
}

/// The assessment period ending with `month`.
pub fn as_of(month: chainchief_domain::period::Month) -> AsOf {
    AsOf { year: month.year(), month: month.number() as usize }
}

/// A count from the library for every month of last year and this one up to `as_of`: where
/// counting found nobody it is zero, not "no data" — a month without gains counts 0, the holders of
/// a month are those of the month before (0 before the first), and a revenue count, known each
/// December, is 0 before the first year recorded.
fn with_zeros(monthly: &Monthly, counting: &Counting, as_of: AsOf) -> Monthly {
    let mut out = monthly.clone();
    let last = format!("{}-{:02}", as_of.year, as_of.month);
    for year in [as_of.year - 1, as_of.year] {
        for month in 1..=12 {
            let m = format!("{year}-{month:02}");
            if m > last {
                break;
            }
            let before = out.range(..=m.clone()).next_back().map(|(_, v)| *v);
            let fill = match counting {
                Counting::Gained(_) => (!out.contains_key(&m)).then_some(0),
                Counting::Holding(_) => (!out.contains_key(&m)).then(|| before.unwrap_or(0)),
                Counting::RevenueAtLeast(_) => before.is_none().then_some(0),
            };
            if let Some(v) = fill {
                out.insert(m, v);
            }
        }
    }
    out
}

/// Assessed rows, as of `as_of`, of the indicators `keep` selects, in plan order.
pub async fn rows(ctx: &Context, city_id: &str, as_of: AsOf, keep: impl Fn(&Indicator) -> bool) -> Result<Vec<Row>> {
    let pool = ctx.store.pool();
    let (all, targets) = definitions(ctx, city_id).await?;
    let city = org_store::city(pool, city_id).await?;
    let rule = LightRule { green_from: city.green_from, amber_from: city.amber_from };
    let print = rollup::fingerprint(pool).await?;
    let mut out = Vec::new();
    for ind in all.iter().filter(|i| keep(i)) {
        let mut monthly = ctx.rollups.monthly(pool, city_id, ind, &all, &print).await?;
        if let Some(c) = &ind.counts.0 {
            monthly = Arc::new(with_zeros(&monthly, c, as_of));
        }
        let mine = |kind: TargetKind| {
            targets
                .iter()
                .filter(move |t| t.indicator_id == ind.id && t.kind == kind)
                .map(|t| (t.year as i32, t.value_scaled))
        };
        let tg: Vec<(i32, i64)> = mine(TargetKind::Target).collect();
        let baseline = mine(TargetKind::Baseline).next();
        let series = by_year(monthly.iter().map(|(p, v)| (p.as_str(), *v)));
        let goal = Goal {
            kind: kind_of(ind),
            higher_is_better: ind.direction != chainchief_domain::org::Direction::Down,
            targets: &tg,
            baseline,
        };
        let a = assess(&series, &goal, as_of, rule);
        out.push(Row { ind: ind.clone(), targets: tg, baseline, monthly, series, a });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chainchief_domain::maps_file::Tier;

    #[test]
    fn a_count_that_found_nobody_is_zero_and_a_count_found_stays() {
        let as_of = AsOf { year: 2026, month: 3 };
        let gains = with_zeros(&Monthly::from([("2026-02".to_string(), 10_000)]), &Counting::Gained(vec![]), as_of);
        assert_eq!(gains.len(), 15, "every month of 2025 and 2026 to March: {gains:?}");
        assert_eq!((gains["2026-01"], gains["2026-02"], gains["2026-03"]), (0, 10_000, 0));
        let holders = Counting::Holding(vec![Tier::Listed]);
        let none = with_zeros(&Monthly::new(), &holders, as_of);
        assert!(none.len() == 15 && none.values().all(|v| *v == 0), "nobody held it in any month: {none:?}");
        let held = with_zeros(&Monthly::from([("2024-06".to_string(), 20_000)]), &holders, as_of);
        assert_eq!(held["2026-03"], 20_000, "holders since 2024 still hold it in March 2026");
        let revenue = Counting::RevenueAtLeast(chainchief_domain::money::Money::from_fen(1));
        let yearly = with_zeros(&Monthly::from([("2025-12".to_string(), 70_000)]), &revenue, as_of);
        assert_eq!(yearly.len(), 2, "a zero before the first December, none after it: {yearly:?}");
        assert_eq!((yearly["2025-01"], yearly["2025-12"]), (0, 70_000));
    }
}
