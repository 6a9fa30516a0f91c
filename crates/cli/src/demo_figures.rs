//! Demo monthly figures for the demo city, generated once from the `[figures]` section of the
//! demo file: each targeted roll-up reaches the stated share of its target in the target year,
//! growing by a fixed rate a year, with seasonality and a little noise, split over the reporting
//! enterprises whose maps match its keywords. Every figure is marked as demo data.

use anyhow::Context;
use chainchief_domain::money::MoneyUnit;
use chainchief_domain::progress::month_of;
use chainchief_domain::quantity::{Quantity, SCALE, Unit, parse_scaled, scaled_to_number};
use chainchief_store::audit::Actor;
use chainchief_store::figures::{self, ImportedFigure, Origin};
use chainchief_store::org::{self, Indicator};
use chainchief_store::{Store, enterprises, library, reporting};
use serde::Deserialize;
use std::collections::HashMap;

/// The `[figures]` section of the demo file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoFigures {
    /// First month generated, `YYYY-MM`.
    from: String,
    /// Yearly growth, e.g. 0.12.
    growth: f64,
    /// Share of each month in a year, January first (sums to 1).
    seasonality: [f64; 12],
    /// Enterprises that leave the last month unreported (by short name), to show reminders.
    #[serde(default)]
    late: Vec<String>,
    /// Roll-ups with the share of the target reached in the target year.
    #[serde(default)]
    attainment: Vec<Attainment>,
    /// Figures given as they are.
    #[serde(default)]
    fixed: Vec<Fixed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Attainment {
    indicator: String,
    ratio: f64,
    #[serde(default)]
    keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixed {
    indicator: String,
    #[serde(default)]
    enterprise: String,
    period: String,
    value: String,
}

/// A deterministic number in 0..1 from text.
fn noise(key: &str) -> f64 {
    let mut h = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    // Mix so that keys differing only at the end still land far apart.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn months(from: &str, to: &str) -> Vec<String> {
    let (Some((y0, m0)), Some((y1, m1))) = (month_of(from), month_of(to)) else { return vec![] };
    let (start, end) = (y0 * 12 + m0 as i32, y1 * 12 + m1 as i32);
    (start..=end).map(|k| format!("{}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1)).collect()
}

/// A value in `from` units as scaled `to` units (both of one dimension).
fn scaled_in(value: f64, from: &str, to: &str) -> i64 {
    let one = Quantity { scaled: SCALE, unit: Unit::parse(from).unwrap_or(Unit::Ton) };
    let factor = Unit::parse(to).and_then(|t| one.convert_rounded(t).ok()).map_or(1.0, |q| scaled_to_number(q.scaled));
    (value * factor * SCALE as f64).round() as i64
}

/// Generates and stores the demo figures up to `last_month` (once: existing figures are kept).
pub async fn load(store: &Store, city_id: &str, spec: &DemoFigures, last_month: &str) -> anyhow::Result<usize> {
    let pool = store.pool();
    let (inds, targets) = org::indicators(pool, city_id).await?;
    let by_code: HashMap<&str, &Indicator> = inds.iter().map(|i| (i.code.as_str(), i)).collect();
    let reporters = reporting::reporters(pool, city_id, last_month).await?;
    let mut rows: Vec<ImportedFigure> = Vec::new();
    let periods = months(&spec.from, last_month);
    let this = store.clock().year();
    // (enterprise indicator, enterprise) → (yearly value in the indicator's unit, the year it is for).
    let mut assigned: HashMap<(String, String), (f64, i32)> = HashMap::new();
    for a in &spec.attainment {
        let agg = by_code.get(a.indicator.as_str()).with_context(|| format!("演示数据：没有指标“{}”", a.indicator))?;
        let src = by_code
            .get(agg.rolls_up_from.as_str())
            .with_context(|| format!("演示数据：“{}”不是汇总指标", a.indicator))?;
        let Some(t) = targets
            .iter()
            .filter(|t| t.indicator_id == agg.id && t.kind == chainchief_domain::org::TargetKind::Target)
            .min_by_key(|t| t.year)
        else {
            continue;
        };
        let scope: Vec<String> =
            chainchief_store::rollup::scope_enterprises(pool, city_id, agg).await?.into_iter().map(|e| e.0).collect();
        let mut chosen = Vec::new();
        for r in reporters.iter().filter(|r| scope.contains(&r.id)) {
            let places = library::places(pool, &r.id).await?;
            let e = enterprises::get(pool, city_id, &r.id).await?;
            let text = format!("{} {}", places.iter().map(|p| p.3.as_str()).collect::<Vec<_>>().join(" "), e.products);
            if a.keywords.is_empty() || a.keywords.iter().any(|k| text.contains(k.as_str())) {
                chosen.push(r.id.clone());
            }
        }
        let weights: Vec<f64> = chosen.iter().map(|id| 1.0 + 4.0 * noise(id)).collect();
        let sum: f64 = weights.iter().sum();
        let year_total = scaled_to_number(t.value_scaled) * a.ratio;
        for (id, w) in chosen.iter().zip(weights) {
            let share = scaled_to_number(scaled_in(year_total * w / sum, &agg.unit, &src.unit));
            assigned.insert((src.id.clone(), id.clone()), (share, t.year as i32));
        }
    }
    for r in &reporters {
        let e = enterprises::get(pool, city_id, &r.id).await?;
        let owed = inds.iter().filter(|i| {
            i.scope == chainchief_domain::org::Scope::Enterprise
                && i.aggregation == chainchief_domain::org::Aggregation::Sum
                && i.formula.is_empty()
        });
        for ind in owed.filter(|i| i.chain_id.as_ref().is_none_or(|c| r.chains.contains(c))) {
            let (yearly, year) = match assigned.get(&(ind.id.clone(), r.id.clone())) {
                Some(v) => *v,
                None if ind.chain_id.is_none()
                    && Unit::parse(&ind.unit).is_some_and(|u| u.symbol().ends_with('元')) =>
                {
                    let wan = e.revenue.map_or(0.0, |m| m.number_in(MoneyUnit::Wan)) * (0.9 + 0.2 * noise(&ind.code));
                    (scaled_to_number(scaled_in(wan, "万元", &ind.unit)), this)
                }
                None => continue,
            };
            for p in &periods {
                if p == last_month && spec.late.contains(&e.short_name) {
                    continue;
                }
                let Some((y, m)) = month_of(p) else { continue };
                let year_value = yearly * (1.0 + spec.growth).powi(y - year);
                let v = year_value * spec.seasonality[m] * (0.95 + 0.1 * noise(&format!("{}{}{p}", ind.id, r.id)));
                rows.push(ImportedFigure {
                    indicator_id: ind.id.clone(),
                    enterprise_key: r.id.clone(),
                    period: p.clone(),
                    value_scaled: (v * 10.0).round() as i64 * 1_000,
                    unit: ind.unit.clone(),
                });
            }
        }
    }
    let names = enterprises::identities(pool, city_id).await?;
    for f in &spec.fixed {
        let ind = by_code.get(f.indicator.as_str()).with_context(|| format!("演示数据：没有指标“{}”", f.indicator))?;
        let key = if f.enterprise.is_empty() {
            String::new()
        } else {
            names
                .iter()
                .find(|n| n.3 == f.enterprise || n.2 == f.enterprise)
                .map(|n| n.0.clone())
                .with_context(|| format!("演示数据：没有企业“{}”", f.enterprise))?
        };
        rows.push(ImportedFigure {
            indicator_id: ind.id.clone(),
            enterprise_key: key,
            period: f.period.clone(),
            value_scaled: parse_scaled(&f.value).map_err(|e| anyhow::anyhow!("演示数据：{e}"))?,
            unit: ind.unit.clone(),
        });
    }
    let actor = Actor { city_id: Some(city_id.to_string()), ..Actor::cli(store.clock().now_millis()) };
    let origin = Origin { source: "demo", file: "plans/miluo-2022.demo.toml", correct: false };
    let summary = figures::import(store, &actor, &rows, origin).await?;
    Ok(summary.created)
}
