//! The reserve library (后备库) [E3]: for each cultivation goal (a tier at a level), its criteria as
//! data — revenue, employees, R&D spend and share, invention patents, main-business share, debt
//! ratio, scale and tiers held — and, for a candidate, each criterion met, missed by how much, or
//! not known (an unknown is not a miss). Candidates rank by criteria met, then by how far they
//! fall short, then by how little is unknown.

use crate::maps_file::Tier;
use crate::money::{Money, MoneyUnit};
use crate::quantity::{format_scaled, parse_scaled};
use serde::Deserialize;

/// All cultivation goals with their criteria.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// Goals.
    pub targets: Vec<Target>,
}

/// A cultivation goal: a tier at a level and what a candidate needs for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Tier code aimed at.
    pub tier: String,
    /// 省级 or 国家级 (or 市级), as the programme that grants it.
    pub level: String,
    /// Its name.
    pub label: String,
    /// The rule the criteria come from (document and year).
    #[serde(default)]
    pub basis: String,
    /// Criteria.
    pub criteria: Vec<Criterion>,
}

/// One criterion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// What it looks at: see [`Measure`].
    pub field: String,
    /// Threshold or required value.
    pub value: String,
    /// Words shown.
    pub label: String,
}

/// What a criterion measures and how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// `revenue_yi`: last year's revenue at least, in 亿元.
    Revenue,
    /// `employees`: employees at least.
    Employees,
    /// `rd_spend_wan`: R&D spend at least, in 万元.
    RdSpend,
    /// `rd_share`: R&D spend over revenue at least, in %.
    RdShare,
    /// `main_share`: main-business revenue over revenue at least, in %.
    MainShare,
    /// `debt_ratio`: debt over assets at most, in %.
    DebtRatio,
    /// `patents`: invention patents granted at least.
    Patents,
    /// `years`: years since founding at least (年限, counted from the founding year).
    Years,
    /// `scale`: above the designated size.
    Scale,
    /// `tier`: holds a tier.
    Tier,
}

impl Measure {
    fn of(field: &str) -> Option<Measure> {
        Some(match field {
            "revenue_yi" => Measure::Revenue,
            "employees" => Measure::Employees,
            "rd_spend_wan" => Measure::RdSpend,
            "rd_share" => Measure::RdShare,
            "main_share" => Measure::MainShare,
            "debt_ratio" => Measure::DebtRatio,
            "patents" => Measure::Patents,
            "years" => Measure::Years,
            "scale" => Measure::Scale,
            "tier" => Measure::Tier,
            _ => return None,
        })
    }
}

/// The facts of a candidate that criteria look at (last closed year where yearly).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Revenue.
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// R&D spend.
    pub rd_spend: Option<Money>,
    /// Main-business revenue.
    pub main_business: Option<Money>,
    /// Debt ratio in %, scaled by 10⁴.
    pub debt_ratio: Option<i64>,
    /// Invention patents granted (as recorded in the innovation results).
    pub patents: i64,
    /// Years since the founding year, when it is recorded.
    pub years: Option<i64>,
    /// `above` / `below` / empty.
    pub scale: String,
    /// Tiers held.
    pub tiers: Vec<Tier>,
}

/// How a candidate stands on one criterion.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Met.
    Met,
    /// Missed: what is missing in words, and the shortfall as a share of the threshold (0–1].
    Missed(String, f64),
    /// The fact is not recorded: what to record.
    Unknown(String),
}

/// Reads and checks a criteria file.
pub fn parse(src: &str) -> Result<Criteria, String> {
    let c: Criteria = toml::from_str(src).map_err(|e| format!("后备库条件文件有误：{}", e.message()))?;
    for t in &c.targets {
        if !["national", "provincial", "city"].contains(&t.level.as_str()) {
            return Err(format!("“{}”的级别“{}”无法识别（应为 national、provincial 或 city）", t.label, t.level));
        }
        for k in &t.criteria {
            let ok = match Measure::of(&k.field) {
                Some(Measure::Revenue) => Money::parse(&k.value, MoneyUnit::Yi).is_ok(),
                Some(Measure::RdSpend) => Money::parse(&k.value, MoneyUnit::Wan).is_ok(),
                Some(Measure::Employees | Measure::Patents | Measure::Years) => k.value.parse::<i64>().is_ok(),
                Some(Measure::RdShare | Measure::MainShare | Measure::DebtRatio) => parse_scaled(&k.value).is_ok(),
                Some(Measure::Scale) => !k.value.is_empty(),
                Some(Measure::Tier) => Tier::from_code(&k.value).is_some(),
                None => false,
            };
            if !ok {
                return Err(format!("“{}”的条件“{}”无法识别（{} = {}）", t.label, k.label, k.field, k.value));
            }
        }
    }
    Ok(c)
}

/// `part` over `whole` in %, scaled by 10⁴.
fn share(part: Money, whole: Money) -> Option<i64> {
    (whole.fen() > 0).then(|| (i128::from(part.fen()) * 1_000_000 / i128::from(whole.fen())) as i64)
}

/// A shortfall of `have` below `need` in words, with its share of `need`.
fn short(need: f64, have: f64, words: String) -> Check {
    if have >= need {
        Check::Met
    } else {
        Check::Missed(words, if need > 0.0 { ((need - have) / need).min(1.0) } else { 1.0 })
    }
}

/// How the facts stand on one criterion.
pub fn check(k: &Criterion, f: &Facts) -> Check {
    let unknown = |what: &str| Check::Unknown(format!("未填报{what}"));
    let money = |need: Money, have: Money, unit: MoneyUnit, what: &str| {
        let gap = Money::from_fen(need.fen() - have.fen()).format_exact_in(unit);
        short(need.fen() as f64, have.fen() as f64, format!("{what}还差{gap}{}", unit.symbol()))
    };
    let percent = |need: i64, have: i64, what: &str| {
        short(need as f64, have as f64, format!("{what}还差{}个百分点", format_scaled(need - have)))
    };
    match Measure::of(&k.field) {
        Some(Measure::Revenue) => match (Money::parse(&k.value, MoneyUnit::Yi), f.revenue) {
            (Ok(need), Some(have)) => money(need, have, MoneyUnit::Yi, "营业收入"),
            (Ok(_), None) => unknown("营业收入"),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::RdSpend) => match (Money::parse(&k.value, MoneyUnit::Wan), f.rd_spend) {
            (Ok(need), Some(have)) => money(need, have, MoneyUnit::Wan, "研发投入"),
            (Ok(_), None) => unknown("研发投入"),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::Employees) => match (k.value.parse::<i64>(), f.employees) {
            (Ok(need), Some(have)) => short(need as f64, have as f64, format!("从业人员还差{}人", need - have)),
            (Ok(_), None) => unknown("从业人员"),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::Patents) => match k.value.parse::<i64>() {
            Ok(need) => short(need as f64, f.patents as f64, format!("发明专利还差{}件", need - f.patents)),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::Years) => match (k.value.parse::<i64>(), f.years) {
            (Ok(need), Some(have)) => short(need as f64, have as f64, format!("年限还差{}年", need - have)),
            (Ok(_), None) => unknown("成立年份"),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::RdShare) => {
            match (parse_scaled(&k.value), f.rd_spend.zip(f.revenue).and_then(|(r, v)| share(r, v))) {
                (Ok(need), Some(have)) => percent(need, have, "研发投入占营业收入比重"),
                (Ok(_), None) => unknown("研发投入或营业收入"),
                _ => Check::Unknown(k.label.clone()),
            }
        }
        Some(Measure::MainShare) => {
            match (parse_scaled(&k.value), f.main_business.zip(f.revenue).and_then(|(m, v)| share(m, v))) {
                (Ok(need), Some(have)) => percent(need, have, "主营业务收入占比"),
                (Ok(_), None) => unknown("主营业务收入"),
                _ => Check::Unknown(k.label.clone()),
            }
        }
        Some(Measure::DebtRatio) => match (parse_scaled(&k.value), f.debt_ratio) {
            (Ok(most), Some(have)) if have <= most => Check::Met,
            (Ok(most), Some(have)) => Check::Missed(
                format!("资产负债率高出{}个百分点", format_scaled(have - most)),
                ((have - most) as f64 / most.max(1) as f64).min(1.0),
            ),
            (Ok(_), None) => unknown("资产负债率"),
            _ => Check::Unknown(k.label.clone()),
        },
        Some(Measure::Scale) => {
            if f.scale == k.value || (k.value == "above" && f.tiers.contains(&Tier::AboveScale)) {
                Check::Met
            } else if f.scale.is_empty() {
                unknown("企业规模")
            } else {
                Check::Missed("尚未纳入规模以上工业企业".into(), 1.0)
            }
        }
        Some(Measure::Tier) => match Tier::from_code(&k.value) {
            Some(t) if f.tiers.contains(&t) => Check::Met,
            Some(t) => Check::Missed(format!("尚未认定为{}", t.label()), 1.0),
            None => Check::Unknown(k.label.clone()),
        },
        None => Check::Unknown(k.label.clone()),
    }
}

/// Where a candidate stands on a goal: every criterion's check, and what ranks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// (criterion's words, its check) in the goal's order.
    pub checks: Vec<(String, Check)>,
    /// Criteria met.
    pub met: usize,
    /// Sum of the shortfalls of the criteria missed.
    pub distance: f64,
    /// Criteria whose facts are not recorded.
    pub unknown: usize,
}

/// How the facts stand on every criterion of `goal`.
pub fn standing(goal: &Target, f: &Facts) -> Standing {
    let checks: Vec<(String, Check)> = goal.criteria.iter().map(|k| (k.label.clone(), check(k, f))).collect();
    let met = checks.iter().filter(|(_, c)| *c == Check::Met).count();
    let distance = checks.iter().map(|(_, c)| if let Check::Missed(_, d) = c { *d } else { 0.0 }).sum();
    let unknown = checks.iter().filter(|(_, c)| matches!(c, Check::Unknown(_))).count();
    Standing { checks, met, distance, unknown }
}

/// The order of candidates: more criteria met, then a shorter distance, then fewer unknowns.
pub fn closer(a: &Standing, b: &Standing) -> std::cmp::Ordering {
    b.met.cmp(&a.met).then(a.distance.total_cmp(&b.distance)).then(a.unknown.cmp(&b.unknown))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Criteria {
        parse(include_str!("../../../plans/reserve-criteria.toml")).expect("shipped criteria are valid")
    }

    #[test]
    fn criteria_are_checked_with_the_gap_and_unknown_is_not_a_miss() {
        let c = shipped();
        let giant = c.targets.iter().find(|t| t.tier == "provincial_little_giant").expect("target");
        let f = Facts {
            revenue: Money::from_wan(15_000),
            employees: Some(80),
            rd_spend: Money::from_wan(300),
            scale: "above".into(),
            tiers: vec![Tier::HighTech],
            ..Facts::default()
        };
        let s = standing(giant, &f);
        let words: Vec<String> = s
            .checks
            .iter()
            .map(|(l, c)| match c {
                Check::Met => format!("✓{l}"),
                Check::Missed(w, _) => format!("✗{w}"),
                Check::Unknown(w) => format!("?{w}"),
            })
            .collect();
        assert!(words.contains(&"✗研发投入占营业收入比重还差1个百分点".to_string()), "{words:?}: 2% of 3%");
        assert!(words.iter().any(|w| w == "?未填报主营业务收入"), "{words:?}");
        assert!(s.unknown >= 1 && s.met >= 2, "{s:?}");
        assert!(parse("[[targets]]\ntier = \"x\"\nlevel = \"provincial\"\nlabel = \"x\"\n[[targets.criteria]]\nfield = \"height\"\nvalue = \"1\"\nlabel = \"高\"\n").is_err());
        assert!(c.targets.iter().any(|t| t.level == "national") && c.targets.iter().any(|t| t.level == "provincial"));
    }

    #[test]
    fn the_closest_candidate_ranks_first() {
        let goal = Target {
            tier: "x".into(),
            level: "provincial".into(),
            label: "x".into(),
            basis: String::new(),
            criteria: vec![
                Criterion { field: "revenue_yi".into(), value: "1".into(), label: "营收1亿".into() },
                Criterion { field: "patents".into(), value: "2".into(), label: "专利2件".into() },
            ],
        };
        let near = standing(&goal, &Facts { revenue: Money::from_wan(9_000), patents: 2, ..Facts::default() });
        let far = standing(&goal, &Facts { revenue: Money::from_wan(2_000), patents: 2, ..Facts::default() });
        let unknown = standing(&goal, &Facts { patents: 2, ..Facts::default() });
        let done = standing(&goal, &Facts { revenue: Money::from_wan(12_000), patents: 3, ..Facts::default() });
        let mut all = [far.clone(), unknown.clone(), near.clone(), done.clone()];
        all.sort_by(closer);
        assert_eq!(all, [done, unknown, near, far], "unknown is not a miss, so it ranks above a near miss");
        assert!(matches!(&all[2].checks[0].1, Check::Missed(w, _) if w == "营业收入还差0.1亿元"), "{:?}", all[2]);
    }
}
