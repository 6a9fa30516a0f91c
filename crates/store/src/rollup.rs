//! What an indicator's monthly figures are [T1][T2]: its own figures, the enterprise figures that
//! roll up into it (over the enterprises on its chain, in its park or in the city, converted
//! exactly into its unit), or its formula over other indicators and measures of the enterprise
//! library; and the entries behind each month, for drill-down.

use crate::Result;
use crate::org::Indicator;
use chainchief_domain::formula::{self, FormulaError};
use chainchief_domain::money::Money;
use chainchief_domain::quantity::{Quantity, Unit};
use sqlx::{AnyPool, FromRow};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// Monthly values (`YYYY-MM` → value × 10⁴ in the indicator's unit).
pub type Monthly = BTreeMap<String, i64>;

/// The enterprises of a scope, as SQL selecting their ids with one parameter (or none for the city).
pub(crate) fn scope_sql(ind: &Indicator) -> (&'static str, Option<&str>) {
    match (ind.scope, &ind.chain_id, &ind.park_id) {
        (chainchief_domain::org::Scope::Park, _, Some(park)) => {
            ("SELECT id FROM enterprises WHERE park_id = $2", Some(park.as_str()))
        }
        (_, Some(chain), _) if ind.scope != chainchief_domain::org::Scope::City => (
            "SELECT enterprise_id FROM enterprise_chains WHERE chain_id = $2 UNION \
             SELECT en.enterprise_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id WHERE n.chain_id = $2",
            Some(chain.as_str()),
        ),
        _ => ("SELECT id FROM enterprises WHERE city_id = $2", None),
    }
}

/// The enterprises an indicator counts (id, name): on its chain, in its park, or in the city.
pub async fn scope_enterprises(pool: &AnyPool, city_id: &str, ind: &Indicator) -> Result<Vec<(String, String)>> {
    let (sub, arg) = scope_sql(ind);
    let sql = format!("SELECT id, name FROM enterprises WHERE city_id = $1 AND id IN ({sub}) ORDER BY name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(arg.unwrap_or(city_id)).fetch_all(pool).await?)
}

fn convert(value: i64, from: &str, to: &str) -> i64 {
    match (Unit::parse(from), Unit::parse(to)) {
        (Some(f), Some(t)) if f != t => {
            Quantity { scaled: value, unit: f }.convert_rounded(t).map_or(value, |q| q.scaled)
        }
        _ => value,
    }
}

/// Monthly sums converted so that every year-to-date total is the exact total converted once:
/// each month is the converted running total less the converted total of the month before, so a
/// year's months never add up rounding (万元 summed over enterprises, then shown in 亿元).
fn convert_sums(months: Monthly, from: &str, to: &str) -> Monthly {
    let mut out = Monthly::new();
    let (mut year, mut run, mut shown) = (String::new(), 0i64, 0i64);
    for (period, v) in months {
        if !period.starts_with(&year) || year.is_empty() {
            year = period.get(..4).unwrap_or_default().to_string();
            (run, shown) = (0, 0);
        }
        run = run.saturating_add(v);
        let total = convert(run, from, to);
        out.insert(period, total - shown);
        shown = total;
    }
    out
}

/// The value of a formula's measure of the enterprise library for an indicator's scope, in 万元 × 10⁴.
pub async fn measure(pool: &AnyPool, city_id: &str, ind: &Indicator, name: &str) -> Result<Option<i64>> {
    // local_procurement: what the scope's OEMs buy locally; supply_to_oems: what the scope's local
    // enterprises sell to OEMs.
    let side = match name {
        "local_procurement" => "r.customer_id",
        "supply_to_oems" => "r.supplier_id",
        _ => return Ok(None),
    };
    let (sub, arg) = scope_sql(ind);
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(r.value_fen), 0) AS BIGINT) FROM enterprise_relations r JOIN enterprises s ON s.id = r.supplier_id \
         JOIN enterprises c ON c.id = r.customer_id WHERE r.city_id = $1 AND s.is_local = 1 AND c.is_local = 0 \
         AND {side} IN ({sub})"
    );
    let (v,): (i64,) =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(arg.unwrap_or(city_id)).fetch_one(pool).await?;
    Ok(Money::from_fen(v).to_quantity(Unit::TenThousandYuan).map(|q| q.scaled))
}

/// The indicator whose enterprise figures make up `ind`: the one it rolls up from, or itself
/// for an enterprise indicator (its figures added up over its chain or the city).
fn source_of<'a>(ind: &'a Indicator, all: &'a [Indicator]) -> Option<&'a Indicator> {
    if ind.scope == chainchief_domain::org::Scope::Enterprise {
        return Some(ind);
    }
    all.iter().find(|i| !ind.rolls_up_from.is_empty() && i.code == ind.rolls_up_from)
}

/// Monthly values of `ind`; `all` holds the city's indicators (for roll-ups and formulas).
pub fn monthly<'a>(
    pool: &'a AnyPool,
    city_id: &'a str,
    ind: &'a Indicator,
    all: &'a [Indicator],
) -> Pin<Box<dyn Future<Output = Result<Monthly>> + Send + 'a>> {
    Box::pin(async move {
        if let Some(counting) = &ind.counts.0 {
            return crate::counted::monthly(pool, city_id, ind, counting).await;
        }
        if !ind.formula.trim().is_empty() {
            return derived(pool, city_id, ind, all).await;
        }
        let Some(src) = source_of(ind, all) else {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT period, value_scaled FROM indicator_values WHERE indicator_id = $1 AND enterprise_key = '' ORDER BY period",
            )
            .bind(&ind.id)
            .fetch_all(pool)
            .await?;
            return Ok(rows.into_iter().collect());
        };
        let (sub, arg) = scope_sql(ind);
        let mut out = Monthly::new();
        if src.aggregation == chainchief_domain::org::Aggregation::Latest {
            // Each enterprise counts with its latest value as of each month.
            let sql = format!(
                "SELECT enterprise_key, period, value_scaled FROM indicator_values WHERE indicator_id = $1 \
                 AND enterprise_key IN ({sub}) ORDER BY period"
            );
            let rows: Vec<(String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&src.id)
                .bind(arg.unwrap_or(city_id))
                .fetch_all(pool)
                .await?;
            let mut latest: HashMap<String, i64> = HashMap::new();
            for (e, period, v) in rows {
                latest.insert(e, v);
                out.insert(period, latest.values().sum());
            }
        } else {
            let sql = format!(
                "SELECT period, CAST(SUM(value_scaled) AS BIGINT) FROM indicator_values WHERE indicator_id = $1 \
                 AND enterprise_key IN ({sub}) GROUP BY period ORDER BY period"
            );
            let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&src.id)
                .bind(arg.unwrap_or(city_id))
                .fetch_all(pool)
                .await?;
            out.extend(rows);
            return Ok(convert_sums(out, &src.unit, &ind.unit));
        }
        for v in out.values_mut() {
            *v = convert(*v, &src.unit, &ind.unit);
        }
        Ok(out)
    })
}

/// A formula evaluated month by month; a month where a term has no value is left out.
async fn derived(pool: &AnyPool, city_id: &str, ind: &Indicator, all: &[Indicator]) -> Result<Monthly> {
    let Ok(expr) = formula::parse(&ind.formula) else { return Ok(Monthly::new()) };
    let mut constants = HashMap::new();
    let mut terms: Vec<(String, bool, Monthly)> = Vec::new();
    for var in formula::variables(&expr) {
        if let Some(other) = all.iter().find(|i| i.code == var) {
            let level = other.aggregation != chainchief_domain::org::Aggregation::Sum;
            terms.push((var, level, monthly(pool, city_id, other, all).await?));
        } else if let Some(v) = measure(pool, city_id, ind, &var).await? {
            constants.insert(var, v);
        }
    }
    let periods: BTreeSet<&String> = terms.iter().flat_map(|(_, _, m)| m.keys()).collect();
    let mut out = Monthly::new();
    for p in periods {
        let mut values = constants.clone();
        for (var, level, m) in &terms {
            let v = if *level { m.range(..=p.clone()).next_back().map(|(_, v)| *v) } else { m.get(p).copied() };
            if let Some(v) = v {
                values.insert(var.clone(), v);
            }
        }
        match formula::evaluate(&expr, &values) {
            Ok(v) => {
                out.insert(p.clone(), v);
            }
            Err(FormulaError::Missing(_) | FormulaError::DivisionByZero(_) | FormulaError::Overflow) => {}
            Err(FormulaError::Syntax { .. } | FormulaError::Cycle(..)) => break,
        }
    }
    Ok(out)
}

/// One stored figure behind a month, with its provenance.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Entry {
    /// Figure id.
    pub id: String,
    /// The indicator it was entered under.
    pub indicator_id: String,
    /// Enterprise id, or empty for an office's own figure.
    pub enterprise_key: String,
    /// Enterprise name, or empty.
    pub enterprise_name: Option<String>,
    /// Month.
    pub period: String,
    /// Value × 10⁴ in `unit`.
    pub value_scaled: i64,
    /// Unit entered.
    pub unit: String,
    /// entered, imported or demo.
    pub source: String,
    /// File, when imported.
    pub source_file: String,
    /// Version.
    pub version: i64,
    /// When.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

/// The columns of an [`Entry`], from `indicator_values v` joined to its enterprise.
pub(crate) const ENTRY_COLUMNS: &str = "v.id, v.indicator_id, v.enterprise_key, e.name AS enterprise_name, v.period, v.value_scaled, \
    v.unit, v.source, v.source_file, v.version, v.updated_at, v.updated_by FROM indicator_values v \
    LEFT JOIN enterprises e ON e.id = v.enterprise_key";

/// The entries that make up `ind` in `period` (for a latest-value roll-up: each enterprise's
/// latest entry up to that month), largest first.
pub async fn entries(
    pool: &AnyPool,
    city_id: &str,
    ind: &Indicator,
    all: &[Indicator],
    period: &str,
) -> Result<Vec<Entry>> {
    let mut rows: Vec<Entry> = match source_of(ind, all) {
        None => {
            let sql =
                format!("SELECT {ENTRY_COLUMNS} WHERE v.indicator_id = $1 AND v.enterprise_key = '' AND v.period = $2");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&ind.id).bind(period).fetch_all(pool).await?
        }
        Some(src) => {
            let (sub, arg) = scope_sql(ind);
            let cmp = if src.aggregation == chainchief_domain::org::Aggregation::Latest { "<=" } else { "=" };
            let sql = format!(
                "SELECT {ENTRY_COLUMNS} WHERE v.indicator_id = $1 AND v.enterprise_key IN ({sub}) AND v.period {cmp} $3 \
                 ORDER BY v.period"
            );
            let all_rows: Vec<Entry> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&src.id)
                .bind(arg.unwrap_or(city_id))
                .bind(period)
                .fetch_all(pool)
                .await?;
            let mut latest: BTreeMap<String, Entry> = BTreeMap::new();
            for e in all_rows {
                latest.insert(e.enterprise_key.clone(), e);
            }
            latest.into_values().collect()
        }
    };
    rows.sort_by(|a, b| b.value_scaled.cmp(&a.value_scaled).then_with(|| a.enterprise_key.cmp(&b.enterprise_key)));
    Ok(rows)
}

/// Every entry of one enterprise under one indicator, newest month first.
pub async fn entries_of(pool: &AnyPool, indicator_id: &str, enterprise_id: &str) -> Result<Vec<Entry>> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} WHERE v.indicator_id = $1 AND v.enterprise_key = $2 ORDER BY v.period DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(indicator_id).bind(enterprise_id).fetch_all(pool).await?)
}

/// What monthly values depend on: the revision of each indicator's figures, and a fingerprint of
/// what all of them depend on (placements, enterprises, relations, indicator definitions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    /// Row counts and latest change times of the shared inputs.
    shared: Vec<i64>,
    /// Revision of each indicator's figures.
    revisions: HashMap<String, i64>,
}

/// Reads the current [`Fingerprint`] (three small queries).
pub async fn fingerprint(pool: &AnyPool) -> Result<Fingerprint> {
    let row: (i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM enterprise_nodes), (SELECT COALESCE(MAX(updated_at), 0) FROM enterprise_nodes), \
         (SELECT COUNT(*) FROM enterprises), (SELECT COALESCE(MAX(updated_at), 0) FROM enterprises), \
         (SELECT COUNT(*) FROM enterprise_relations), (SELECT COALESCE(MAX(updated_at), 0) FROM enterprise_relations), \
         (SELECT COALESCE(MAX(updated_at), 0) FROM indicators), (SELECT COUNT(*) FROM enterprise_chains)",
    )
    .fetch_one(pool)
    .await?;
    // Goals counted in the library follow its tiers and yearly figures.
    let library: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM enterprise_tiers), (SELECT COALESCE(MAX(updated_at), 0) FROM enterprise_tiers), \
         (SELECT COUNT(*) FROM enterprise_years), (SELECT COALESCE(MAX(updated_at), 0) FROM enterprise_years)",
    )
    .fetch_one(pool)
    .await?;
    let revisions: Vec<(String, i64)> =
        sqlx::query_as("SELECT indicator_id, revision FROM indicator_revisions").fetch_all(pool).await?;
    Ok(Fingerprint {
        shared: vec![
            row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, library.0, library.1, library.2, library.3,
        ],
        revisions: revisions.into_iter().collect(),
    })
}

/// The indicators whose figures `ind`'s months are made of: itself, what it rolls up, and the
/// terms of its formula, with theirs.
fn inputs<'a>(ind: &'a Indicator, all: &'a [Indicator], out: &mut Vec<&'a str>) {
    if out.contains(&ind.id.as_str()) {
        return;
    }
    out.push(&ind.id);
    if let Some(src) = source_of(ind, all) {
        out.push(&src.id);
    }
    if let Ok(expr) = formula::parse(&ind.formula) {
        for var in formula::variables(&expr) {
            if let Some(other) = all.iter().find(|i| i.code == var) {
                inputs(other, all, out);
            }
        }
    }
}

/// Kept monthly values: the shared fingerprint they belong to, and by indicator id the revisions
/// of their inputs with the values.
type Kept = (Vec<i64>, HashMap<String, (Vec<i64>, Arc<Monthly>)>);

/// Monthly values kept between requests and recomputed only when an input changed (so several
/// instances on one database never serve a stale figure, and one enterprise's entry recomputes
/// only the indicators it feeds).
#[derive(Default, Clone)]
pub struct Cache {
    inner: Arc<Mutex<Kept>>,
}

impl Cache {
    /// Monthly values of `ind` as of `print`.
    pub async fn monthly(
        &self,
        pool: &AnyPool,
        city_id: &str,
        ind: &Indicator,
        all: &[Indicator],
        print: &Fingerprint,
    ) -> Result<Arc<Monthly>> {
        let mut ids = Vec::new();
        inputs(ind, all, &mut ids);
        let revs: Vec<i64> = ids.iter().map(|id| print.revisions.get(*id).copied().unwrap_or(0)).collect();
        {
            let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if guard.0 != print.shared {
                *guard = (print.shared.clone(), HashMap::new());
            }
            if let Some((kept, m)) = guard.1.get(&ind.id)
                && *kept == revs
            {
                return Ok(m.clone());
            }
        }
        let m = Arc::new(monthly(pool, city_id, ind, all).await?);
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if guard.0 == print.shared {
            guard.1.insert(ind.id.clone(), (revs, m.clone()));
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::{Monthly, convert_sums};

    #[test]
    fn a_year_to_date_in_another_unit_is_its_total_converted_once() {
        // Eleven months of 0.6万元: each rounded to 0.0001亿 (1万元) they would add up to 11万元;
        // the year's 6.6万元 converted once is 0.0007亿.
        let months: Monthly = (1..=11).map(|m| (format!("2026-{m:02}"), 6_000)).collect();
        let out = convert_sums(months, "万元", "亿元");
        assert_eq!(out.values().sum::<i64>(), 7);
        let next: Monthly = [("2026-12".to_string(), 6_000), ("2027-01".to_string(), 6_000)].into();
        assert_eq!(convert_sums(next, "万元", "亿元").get("2027-01"), Some(&1), "a year starts afresh");
    }
}
