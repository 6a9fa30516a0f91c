//! The reserve library (后备库) [E3]: candidates for a cultivation goal and the criteria (data)
//! each one meets or misses.

use crate::maps_file::Tier;
use crate::money::{Money, MoneyUnit};
use serde::Deserialize;

/// All cultivation goals with their criteria.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Goals.
    pub targets: Vec<Target>,
}

/// A cultivation goal: a tier and what a candidate needs for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Tier code aimed at.
    pub tier: String,
    /// Its name.
    pub label: String,
    /// Criteria.
    pub criteria: Vec<Criterion>,
}

/// One criterion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// `revenue_yi`, `employees`, `scale` or `tier`.
    pub field: String,
    /// Threshold or required value.
    pub value: String,
    /// Words shown.
    pub label: String,
}

/// The facts of a candidate that criteria look at.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Revenue.
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// `above` / `below` / empty.
    pub scale: String,
    /// Tiers held.
    pub tiers: Vec<Tier>,
}

/// Reads and checks a criteria file.
pub fn parse(src: &str) -> Result<Criteria, String> {
    let c: Criteria = toml::from_str(src).map_err(|e| format!("后备库条件文件有误：{}", e.message()))?;
    for t in &c.targets {
        for k in &t.criteria {
            let ok = match k.field.as_str() {
                "revenue_yi" => Money::parse(&k.value, MoneyUnit::Yi).is_ok(),
                "employees" => k.value.parse::<i64>().is_ok(),
                "scale" => !k.value.is_empty(),
                "tier" => Tier::from_code(&k.value).is_some(),
                _ => false,
            };
            if !ok {
                return Err(format!("“{}”的条件“{}”无法识别（{} = {}）", t.label, k.label, k.field, k.value));
            }
        }
    }
    Ok(c)
}

/// Whether the facts meet one criterion.
pub fn meets(k: &Criterion, f: &Facts) -> bool {
    match k.field.as_str() {
        "revenue_yi" => Money::parse(&k.value, MoneyUnit::Yi).is_ok_and(|min| f.revenue.is_some_and(|r| r >= min)),
        "employees" => k.value.parse::<i64>().is_ok_and(|min| f.employees.is_some_and(|e| e >= min)),
        "scale" => f.scale == k.value || (k.value == "above" && f.tiers.contains(&Tier::AboveScale)),
        "tier" => f.tiers.iter().any(|t| t.code() == k.value),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_are_checked_and_evaluated() {
        let c = parse(include_str!("../../../plans/reserve-criteria.toml")).expect("shipped criteria are valid");
        let giant = c.targets.iter().find(|t| t.tier == "provincial_little_giant").expect("target");
        let f = Facts {
            revenue: Money::from_wan(15_000),
            employees: Some(80),
            scale: "above".into(),
            tiers: vec![Tier::HighTech],
        };
        let met: Vec<bool> = giant.criteria.iter().map(|k| meets(k, &f)).collect();
        assert_eq!(met, vec![true, true, false, true]);
        assert!(parse("[[targets]]\ntier = \"x\"\nlabel = \"x\"\n[[targets.criteria]]\nfield = \"height\"\nvalue = \"1\"\nlabel = \"高\"\n").is_err());
    }
}
