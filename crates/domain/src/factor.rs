//! Factor requests (要素保障诉求) [F1]: what an enterprise or a project asks for (land, financing,
//! energy, talent, approvals, 纾困 relief), how much, and how it is answered — granted, partly
//! granted, refused or referred — with the requester's rating. Pure rules, no I/O.

use crate::error::FieldError;
use crate::money::{Money, MoneyUnit};
use crate::org::coded_enum;
use crate::quantity::{format_scaled, parse_scaled};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a request asks for; each kind is routed to its unit and has its own deadline.
    FactorKind {
        /// 用地
        Land = ("land", "用地保障"),
        /// 融资
        Financing = ("financing", "融资需求"),
        /// 用能（水电气）
        Energy = ("energy", "用能保障"),
        /// 人才用工
        Talent = ("talent", "人才用工"),
        /// 审批手续
        Approval = ("approval", "审批手续"),
        /// 纾困
        Relief = ("relief", "纾困解难"),
        /// 其他
        Other = ("other", "其他诉求"),
    }
}

/// How the amount of a kind of request is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Money, stored in 分 and typed in 万元.
    Money,
    /// A quantity in the unit named, stored ×10⁴.
    Quantity(&'static str),
    /// No amount (an approval, advice).
    None,
}

impl FactorKind {
    /// How its amount is measured.
    pub fn measure(self) -> Measure {
        match self {
            FactorKind::Land => Measure::Quantity("亩"),
            FactorKind::Financing | FactorKind::Relief => Measure::Money,
            FactorKind::Energy => Measure::Quantity("万千瓦时"),
            FactorKind::Talent => Measure::Quantity("人"),
            FactorKind::Approval | FactorKind::Other => Measure::None,
        }
    }

    /// The unit a form shows beside the amount ("" when there is no amount).
    pub fn unit(self) -> &'static str {
        match self.measure() {
            Measure::Money => MoneyUnit::Wan.symbol(),
            Measure::Quantity(u) => u,
            Measure::None => "",
        }
    }

    /// Reads an amount typed for this kind: empty is none; a kind without an amount takes none.
    pub fn parse_amount(self, field: &str, label: &str, text: &str) -> Result<Option<i64>, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value = match self.measure() {
            Measure::None => {
                return Err(FieldError::new(field, format!("{}不填{label}", self.label())));
            }
            Measure::Money => {
                Money::parse(text, MoneyUnit::Wan).map_err(|e| FieldError::new(field, e.for_field(label)))?.fen()
            }
            Measure::Quantity(unit) => match parse_scaled(text) {
                Ok(v) if v >= 0 => v,
                Ok(_) => return Err(FieldError::new(field, format!("{label}不能为负数"))),
                Err(_) => {
                    return Err(FieldError::new(field, format!("{label}应为数字（单位：{unit}，最多四位小数）")));
                }
            },
        };
        if value == 0 {
            return Err(FieldError::new(field, format!("{label}应大于0")));
        }
        Ok(Some(value))
    }

    /// An amount of this kind with its unit, e.g. "50亩", "300万元".
    pub fn format_amount(self, amount: i64) -> String {
        match self.measure() {
            Measure::Money => {
                format!("{}{}", Money::from_fen(amount).format_in(MoneyUnit::Wan), MoneyUnit::Wan.symbol())
            }
            Measure::Quantity(unit) => format!("{}{unit}", format_scaled(amount)),
            Measure::None => String::new(),
        }
    }
}

coded_enum! {
    /// How a request was answered.
    Outcome {
        /// 已解决（全部满足）
        Granted = ("granted", "已满足"),
        /// 部分满足
        Partly = ("partly", "部分满足"),
        /// 未能满足（须说明理由）
        Refused = ("refused", "未能满足"),
        /// 转办（交上级或其他渠道，须说明去向）
        Referred = ("referred", "已转办"),
    }
}

coded_enum! {
    /// The requester's rating of the answer.
    Satisfaction {
        /// 满意
        Satisfied = ("satisfied", "满意"),
        /// 基本满意
        Basic = ("basic", "基本满意"),
        /// 不满意
        Unsatisfied = ("unsatisfied", "不满意"),
    }
}

impl Satisfaction {
    /// Counted as satisfied in the 满意率 (满意 and 基本满意).
    pub fn counts_satisfied(self) -> bool {
        !matches!(self, Satisfaction::Unsatisfied)
    }
}

coded_enum! {
    /// Where a request stands.
    RequestStatus {
        /// 待分派: no routing rule named a unit; the general office assigns it.
        Unrouted = ("unrouted", "待分派"),
        /// 办理中
        Handling = ("handling", "办理中"),
        /// 已答复, waiting for the requester's rating
        Answered = ("answered", "待评价"),
        /// 已评价
        Rated = ("rated", "已评价"),
    }
}

impl RequestStatus {
    /// Answered (rated or not): the deadline no longer runs.
    pub fn is_answered(self) -> bool {
        matches!(self, RequestStatus::Answered | RequestStatus::Rated)
    }
}

/// The amount granted by an answer, checked against what was asked: a full grant gives what was
/// asked unless another amount is typed; a partial grant gives less than asked and more than
/// nothing; a refusal or a referral gives nothing and says why.
pub fn granted(
    outcome: Outcome,
    asked: Option<i64>,
    typed: Option<i64>,
    reason: &str,
) -> Result<Option<i64>, FieldError> {
    match outcome {
        Outcome::Granted => match (asked, typed) {
            (Some(a), Some(g)) if g > a => Err(FieldError::new("granted", "满足数额不能大于诉求数额")),
            (Some(a), Some(g)) if g < a => Err(FieldError::new("outcome", "满足数额小于诉求数额，请选择“部分满足”")),
            (a, g) => Ok(g.or(a)),
        },
        Outcome::Partly => match (asked, typed) {
            (_, None) => Err(FieldError::new("granted", "部分满足须填写满足数额")),
            (Some(a), Some(g)) if g >= a => Err(FieldError::new("granted", "部分满足的数额应小于诉求数额")),
            (_, g) => {
                if reason.trim().is_empty() {
                    Err(FieldError::new("reason", "部分满足须说明未满足部分的原因"))
                } else {
                    Ok(g)
                }
            }
        },
        Outcome::Refused | Outcome::Referred => {
            if typed.is_some() {
                Err(FieldError::new("granted", format!("“{}”不填满足数额", outcome.label())))
            } else if reason.trim().is_empty() {
                let what = if outcome == Outcome::Refused { "未能满足的理由" } else { "转办去向和理由" };
                Err(FieldError::new("reason", format!("请填写{what}")))
            } else {
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_each_kinds_unit() {
        assert_eq!(FactorKind::Financing.parse_amount("asked", "诉求数额", "300").expect("ok"), Some(300 * 1_000_000));
        assert_eq!(FactorKind::Financing.format_amount(300 * 1_000_000), "300万元");
        assert_eq!(FactorKind::Land.parse_amount("asked", "诉求数额", "52.5").expect("ok"), Some(525_000));
        assert_eq!(FactorKind::Land.format_amount(525_000), "52.5亩");
        assert!(FactorKind::Approval.parse_amount("asked", "诉求数额", "3").is_err());
        assert!(FactorKind::Talent.parse_amount("asked", "诉求数额", "0").is_err());
        assert!(FactorKind::Talent.parse_amount("asked", "诉求数额", "-3").is_err());
        assert_eq!(FactorKind::Approval.parse_amount("asked", "诉求数额", " ").expect("ok"), None);
    }

    #[test]
    fn a_grant_is_never_more_than_asked_and_a_partial_grant_is_less() {
        assert_eq!(granted(Outcome::Granted, Some(100), None, "").expect("ok"), Some(100));
        assert_eq!(granted(Outcome::Granted, Some(100), Some(120), "").expect_err("more").field, "granted");
        assert_eq!(granted(Outcome::Granted, Some(100), Some(60), "").expect_err("less").field, "outcome");
        assert_eq!(granted(Outcome::Partly, Some(100), Some(60), "额度所限").expect("ok"), Some(60));
        assert_eq!(granted(Outcome::Partly, Some(100), Some(100), "x").expect_err("all").field, "granted");
        assert_eq!(granted(Outcome::Partly, Some(100), Some(60), " ").expect_err("why").field, "reason");
        assert_eq!(granted(Outcome::Refused, Some(100), None, "").expect_err("why").field, "reason");
        assert_eq!(granted(Outcome::Refused, Some(100), Some(5), "x").expect_err("amount").field, "granted");
        assert_eq!(granted(Outcome::Referred, None, None, "转上级自然资源部门").expect("ok"), None);
    }
}
