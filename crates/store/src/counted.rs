//! Cultivation goals counted in the enterprise library [E3]: the monthly figures of an indicator
//! that counts enterprises (by yearly revenue, by tier held, by tier gained in the year), and the
//! enterprises that make each figure, for drill-down.

use crate::Result;
use crate::org::Indicator;
use crate::rollup::Monthly;
use chainchief_domain::counting::Counting;
use chainchief_domain::money::Money;
use chainchief_domain::quantity::SCALE;
use sqlx::AnyPool;
use std::collections::BTreeMap;

/// One enterprise counted, with why (its revenue of the year, or the tier and since when).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// Enterprise id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Why it counts, in words (营业收入 123.4亿元（2025年）, 国家级专精特新“小巨人” 2024-07-01 起).
    pub why: String,
}

/// A tier an enterprise holds: (enterprise id, name, tier code, since `YYYY-MM-DD` or none, when
/// it was recorded in ms).
type Held = (String, String, String, Option<String>, i64);

async fn tiers_held(pool: &AnyPool, city_id: &str, ind: &Indicator, tiers: &[&str]) -> Result<Vec<Held>> {
    let (sub, arg) = crate::rollup::scope_sql(ind);
    let list: Vec<String> = (0..tiers.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT e.id, e.name, t.tier, t.since, t.updated_at FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id \
         WHERE e.city_id = $1 AND e.id IN ({sub}) AND t.tier IN ({}) ORDER BY e.name",
        list.join(", ")
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(arg.unwrap_or(city_id));
    for t in tiers {
        q = q.bind(*t);
    }
    Ok(q.fetch_all(pool).await?)
}

/// The month a tier counts from: the month it was granted, or, when that date was not recorded,
/// the month it was entered in the library.
fn month_of(h: &Held) -> String {
    match h.3.as_deref().and_then(|d| d.get(..7)) {
        Some(m) => m.to_string(),
        None => chainchief_domain::clock::beijing_day(h.4).format("%Y-%m").to_string(),
    }
}

/// Each enterprise's earliest holding of one of the tiers: the month it counts from and the row.
fn first_held(held: Vec<Held>) -> BTreeMap<String, (String, Held)> {
    let mut first: BTreeMap<String, (String, Held)> = BTreeMap::new();
    for h in held {
        let month = month_of(&h);
        match first.get(&h.0) {
            Some((m, _)) if *m <= month => {}
            _ => {
                first.insert(h.0.clone(), (month, h));
            }
        }
    }
    first
}

/// Revenue of each enterprise of the scope by year: (id, name, year, revenue).
async fn revenues(pool: &AnyPool, city_id: &str, ind: &Indicator) -> Result<Vec<(String, String, i64, i64)>> {
    let (sub, arg) = crate::rollup::scope_sql(ind);
    let sql = format!(
        "SELECT e.id, e.name, y.year, y.revenue_fen FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id \
         WHERE e.city_id = $1 AND e.id IN ({sub}) AND y.revenue_fen IS NOT NULL ORDER BY y.year, e.name"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(arg.unwrap_or(city_id)).fetch_all(pool).await?)
}

fn codes(tiers: &[chainchief_domain::maps_file::Tier]) -> Vec<&'static str> {
    tiers.iter().map(|t| t.code()).collect()
}

/// The monthly figures (× 10⁴, in 家) of an indicator counted in the library: enterprises holding a
/// tier, each month one joins (from the month it was granted, or entered when that is not known);
/// enterprises whose revenue of a year reached the amount, in that
/// year's December; enterprises gaining a tier, in the month they gained it.
pub async fn monthly(pool: &AnyPool, city_id: &str, ind: &Indicator, counting: &Counting) -> Result<Monthly> {
    let mut out = Monthly::new();
    match counting {
        Counting::Holding(tiers) => {
            let first = first_held(tiers_held(pool, city_id, ind, &codes(tiers)).await?);
            let months: std::collections::BTreeSet<&String> = first.values().map(|f| &f.0).collect();
            for m in months {
                let n = first.values().filter(|f| f.0.as_str() <= m.as_str()).count() as i64;
                out.insert(m.clone(), n * SCALE);
            }
        }
        Counting::Gained(tiers) => {
            // A tier whose grant date is not recorded was not seen to be gained in any month.
            let dated = tiers_held(pool, city_id, ind, &codes(tiers)).await?.into_iter().filter(|h| h.3.is_some());
            for (m, _) in first_held(dated.collect()).into_values() {
                *out.entry(m).or_insert(0) += SCALE;
            }
        }
        Counting::RevenueAtLeast(amount) => {
            let mut years: BTreeMap<i64, i64> = BTreeMap::new();
            for (_, _, year, revenue) in revenues(pool, city_id, ind).await? {
                let n = years.entry(year).or_insert(0);
                if revenue >= amount.fen() {
                    *n += SCALE;
                }
            }
            out.extend(years.into_iter().map(|(y, n)| (format!("{y}-12"), n)));
        }
    }
    Ok(out)
}

/// The enterprises that make the figure of `period` (`YYYY-MM`): holding the tier by its end,
/// gained the tier within its year up to it, or whose revenue of the latest year closed by then
/// reached the amount.
pub async fn members(
    pool: &AnyPool,
    city_id: &str,
    ind: &Indicator,
    counting: &Counting,
    period: &str,
) -> Result<Vec<Counted>> {
    let year = period.get(..4).unwrap_or_default();
    let mut out = Vec::new();
    match counting {
        Counting::Holding(tiers) | Counting::Gained(tiers) => {
            let gained = matches!(counting, Counting::Gained(_));
            let held = tiers_held(pool, city_id, ind, &codes(tiers)).await?;
            let held = held.into_iter().filter(|h| !gained || h.3.is_some()).collect();
            for (month, (id, name, tier, since, _)) in first_held(held).into_values() {
                let counts = month.as_str() <= period && (!gained || month.starts_with(year));
                if !counts {
                    continue;
                }
                let label = chainchief_domain::maps_file::Tier::from_code(&tier).map(|t| t.label()).unwrap_or_default();
                let why = match since {
                    Some(d) => format!("{label}（{d} 认定）"),
                    None => format!("{label}（认定日期未录入，{month} 录入企业库）"),
                };
                out.push(Counted { id, name, why });
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Counting::RevenueAtLeast(amount) => {
            // The figure of a month is that of the latest year closed by then (its December).
            let rows = revenues(pool, city_id, ind).await?;
            let latest = rows.iter().map(|r| r.2).filter(|y| format!("{y}-12").as_str() <= period).max();
            for (id, name, y, revenue) in rows {
                if Some(y) == latest && revenue >= amount.fen() {
                    let why = format!("营业收入 {}（{y}年）", Money::from_fen(revenue).display());
                    out.push(Counted { id, name, why });
                }
            }
        }
    }
    Ok(out)
}
