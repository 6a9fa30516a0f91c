//! Eligibility of enterprises for policies [F5] (政策找企业, 企业找政策): a policy's conditions
//! as data — tier held, chain, park, size, last year's revenue, employees — each met, missed or
//! not known from the enterprise library; an unknown fact never counts as a failure.

use crate::error::FieldError;
use crate::maps_file::Tier;
use crate::money::{Money, MoneyUnit};
use crate::org::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The level of the body that issued a policy.
    PolicyLevel {
        /// 国家级
        National = ("national", "国家级"),
        /// 省级
        Provincial = ("provincial", "省级"),
        /// 市级（地市）
        Prefecture = ("prefecture", "市级"),
        /// 县级（县市区）
        County = ("county", "县级"),
    }
}

coded_enum! {
    /// What a condition looks at.
    Criterion {
        /// 培育梯度（持有的称号）
        Tier = ("tier", "培育梯度"),
        /// 所在产业链
        Chain = ("chain", "所在产业链"),
        /// 所在园区
        Park = ("park", "所在园区"),
        /// 规模（规上/规下）
        Scale = ("scale", "规模"),
        /// 上年营业收入（亿元）
        Revenue = ("revenue", "营业收入（亿元）"),
        /// 从业人员（人）
        Employees = ("employees", "从业人员（人）"),
    }
}

coded_enum! {
    /// How a condition compares.
    Op {
        /// 为
        Is = ("is", "为"),
        /// 不为
        IsNot = ("is_not", "不为"),
        /// 不低于
        AtLeast = ("at_least", "不低于"),
        /// 不高于
        AtMost = ("at_most", "不高于"),
    }
}

/// One condition of a policy: e.g. 培育梯度 为 national_little_giant, 营业收入 不低于 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// What it looks at.
    pub criterion: Criterion,
    /// How it compares.
    pub op: Op,
    /// The value: a tier or scale code, a chain or park id, or a number.
    pub value: String,
}

impl Criterion {
    /// Whether it compares numbers (else it names a thing).
    pub fn is_number(self) -> bool {
        matches!(self, Criterion::Revenue | Criterion::Employees)
    }
}

/// Reads a condition typed in the policy form; `field` names the form row. Chains and parks are
/// checked against the city by the caller.
pub fn condition(field: &str, criterion: &str, op: &str, value: &str) -> Result<Condition, FieldError> {
    let criterion = Criterion::from_code(criterion.trim()).ok_or_else(|| FieldError::new(field, "请选择条件"))?;
    let op = Op::from_code(op.trim()).ok_or_else(|| FieldError::new(field, "请选择比较方式"))?;
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(FieldError::new(field, format!("请填写“{}”的条件值", criterion.label())));
    }
    if criterion.is_number() != matches!(op, Op::AtLeast | Op::AtMost) {
        let allowed = if criterion.is_number() { "不低于或不高于" } else { "为或不为" };
        return Err(FieldError::new(field, format!("“{}”只能用“{allowed}”比较", criterion.label())));
    }
    let ok = match criterion {
        Criterion::Tier => Tier::from_code(&value).is_some(),
        Criterion::Scale => crate::org::Scale::from_code(&value).is_some(),
        Criterion::Revenue => Money::parse(&value, MoneyUnit::Yi).is_ok(),
        Criterion::Employees => value.parse::<i64>().is_ok_and(|n| n >= 0),
        Criterion::Chain | Criterion::Park => crate::ids::is_valid_id(&value),
    };
    if !ok {
        return Err(FieldError::new(field, format!("“{}”的条件值“{value}”无效", criterion.label())));
    }
    Ok(Condition { criterion, op, value })
}

/// What the conditions look at of one enterprise.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// Tiers held.
    pub tiers: Vec<Tier>,
    /// Chains it is on (ids).
    pub chains: Vec<String>,
    /// Its park (id).
    pub park: Option<String>,
    /// `above` / `below` / empty when not known.
    pub scale: String,
    /// Last year's revenue.
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
}

/// How an enterprise stands on one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Met.
    Met,
    /// Missed.
    Missed,
    /// The fact is not recorded.
    Unknown,
}

/// How an enterprise stands on one condition.
pub fn check(c: &Condition, p: &Profile) -> Verdict {
    let is = |yes: bool| {
        let met = if c.op == Op::IsNot { !yes } else { yes };
        if met { Verdict::Met } else { Verdict::Missed }
    };
    let compare = |have: Option<i128>, want: Option<i128>| match (have, want) {
        (Some(h), Some(w)) => {
            let met = if c.op == Op::AtLeast { h >= w } else { h <= w };
            if met { Verdict::Met } else { Verdict::Missed }
        }
        _ => Verdict::Unknown,
    };
    match c.criterion {
        Criterion::Tier => is(p.tiers.iter().any(|t| t.code() == c.value)),
        Criterion::Chain => is(p.chains.contains(&c.value)),
        Criterion::Park => is(p.park.as_deref() == Some(c.value.as_str())),
        Criterion::Scale if p.scale.is_empty() => Verdict::Unknown,
        Criterion::Scale => is(p.scale == c.value),
        Criterion::Revenue => compare(
            p.revenue.map(|m| i128::from(m.fen())),
            Money::parse(&c.value, MoneyUnit::Yi).ok().map(|m| i128::from(m.fen())),
        ),
        Criterion::Employees => compare(p.employees.map(i128::from), c.value.parse::<i64>().ok().map(i128::from)),
    }
}

/// Whether an enterprise qualifies for a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Eligibility {
    /// Every condition met.
    Qualifies,
    /// None missed, but some facts are not recorded.
    MayQualify,
    /// A condition is missed.
    NotEligible,
}

impl Eligibility {
    /// The words shown.
    pub fn label(self) -> &'static str {
        match self {
            Eligibility::Qualifies => "符合",
            Eligibility::MayQualify => "可能符合（信息待完善）",
            Eligibility::NotEligible => "不符合",
        }
    }
}

/// How an enterprise stands on every condition, and overall.
pub fn eligibility(conditions: &[Condition], p: &Profile) -> (Eligibility, Vec<Verdict>) {
    let verdicts: Vec<Verdict> = conditions.iter().map(|c| check(c, p)).collect();
    let overall = if verdicts.contains(&Verdict::Missed) {
        Eligibility::NotEligible
    } else if verdicts.contains(&Verdict::Unknown) {
        Eligibility::MayQualify
    } else {
        Eligibility::Qualifies
    };
    (overall, verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn giant_over_two_yi() -> Vec<Condition> {
        vec![
            condition("rule_1", "tier", "is", "national_little_giant").expect("tier"),
            condition("rule_2", "revenue", "at_least", "2").expect("revenue"),
        ]
    }

    #[test]
    fn an_unknown_fact_is_may_qualify_never_a_failure() {
        let p = Profile { tiers: vec![Tier::NationalLittleGiant], ..Profile::default() };
        assert_eq!(eligibility(&giant_over_two_yi(), &p).0, Eligibility::MayQualify);
        let p = Profile { revenue: Money::from_yi(3), ..p };
        assert_eq!(eligibility(&giant_over_two_yi(), &p).0, Eligibility::Qualifies);
        let p = Profile { revenue: Money::from_wan(19_999), ..p };
        let (e, v) = eligibility(&giant_over_two_yi(), &p);
        assert_eq!((e, v), (Eligibility::NotEligible, vec![Verdict::Met, Verdict::Missed]));
    }

    #[test]
    fn is_not_and_at_most_compare_the_other_way() {
        let c = condition("rule_1", "tier", "is_not", "above_scale").expect("is not");
        assert_eq!(check(&c, &Profile { tiers: vec![Tier::AboveScale], ..Profile::default() }), Verdict::Missed);
        let c = condition("rule_1", "employees", "at_most", "300").expect("at most");
        assert_eq!(check(&c, &Profile { employees: Some(300), ..Profile::default() }), Verdict::Met);
        assert_eq!(check(&c, &Profile { employees: Some(301), ..Profile::default() }), Verdict::Missed);
    }

    #[test]
    fn a_condition_that_cannot_be_read_is_refused_naming_its_row() {
        assert_eq!(condition("rule_2", "tier", "at_least", "high_tech").expect_err("op").field, "rule_2");
        assert!(condition("rule_1", "revenue", "at_least", "两亿").is_err());
        assert!(condition("rule_1", "tier", "is", "gold").is_err());
        assert!(condition("rule_1", "scale", "is", "").is_err());
    }
}
