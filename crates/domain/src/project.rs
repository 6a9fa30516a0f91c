//! Investment projects (招商项目、重大项目) [I3, P1, P2, I4]: stages and the facts each stage
//! needs, monthly investment status, milestones, the monthly ranking (龙虎榜) score and
//! yearly quotas. Pure rules, no I/O. Money is in 万元 scaled ×10⁴ (see [`crate::quantity`]).

use crate::error::FieldError;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An enum with a stored code and a Chinese label (same shape as the one in [`crate::org`],
/// whose macro is private to that module).
use crate::org::coded_enum;

coded_enum! {
    /// What kind of investment event it was; each kind counts toward the plan's quota of it.
    EventKind {
        /// 外出专题招商
        InvestmentTrip = ("investment_trip", "外出专题招商"),
        /// 集中签约
        Signing = ("signing", "集中签约"),
        /// 集中开工
        Groundbreaking = ("groundbreaking", "集中开工"),
        /// 供需对接会
        Matchmaking = ("matchmaking", "供需对接会"),
    }
}

coded_enum! {
    /// Where an investment target (招商目标企业) stands.
    TargetStatus {
        /// 未接触
        New = ("new", "未接触"),
        /// 已接触
        Contacted = ("contacted", "已接触"),
        /// 洽谈中
        Negotiating = ("negotiating", "洽谈中"),
        /// 已签约
        Signed = ("signed", "已签约"),
        /// 已放弃
        GivenUp = ("given_up", "已放弃"),
    }
}

impl Default for TargetStatus {
    /// A target just added has not been contacted.
    fn default() -> Self {
        TargetStatus::New
    }
}

coded_enum! {
    /// Where a project stands; `ALL` is in the order a project moves through.
    Stage {
        /// 线索
        Lead = ("lead", "线索"),
        /// 洽谈
        Negotiating = ("negotiating", "洽谈"),
        /// 签约
        Signed = ("signed", "签约"),
        /// 供地/审批
        Approval = ("approval", "供地/审批"),
        /// 在建
        Construction = ("construction", "在建"),
        /// 投产
        Production = ("production", "投产"),
    }
}

coded_enum! {
    /// What kind of project it is.
    Kind {
        /// 新签约
        NewSigned = ("new_signed", "新签约"),
        /// 在建
        UnderConstruction = ("under_construction", "在建"),
        /// 续建
        Continued = ("continued", "续建"),
        /// 转型升级
        Upgrade = ("upgrade", "转型升级"),
        /// 扩产扩能
        Expansion = ("expansion", "扩产扩能"),
    }
}

coded_enum! {
    /// How the project was brought in.
    Method {
        /// 以商招商
        ViaBusiness = ("via_business", "以商招商"),
        /// 市场化招商
        Market = ("market", "市场化"),
        /// 配套式招商
        Supporting = ("supporting", "配套式"),
    }
}

coded_enum! {
    /// Monthly investment status against plan [P1].
    ProgressStatus {
        /// 正常
        Normal = ("normal", "正常"),
        /// 超前
        Ahead = ("ahead", "超前"),
        /// 滞后
        Behind = ("behind", "滞后"),
    }
}

coded_enum! {
    /// State of one milestone (节点).
    MilestoneState {
        /// 未到期: not done, planned date is today or later.
        Pending = ("pending", "未到期"),
        /// 按期完成: done on or before the planned date.
        OnTime = ("on_time", "按期完成"),
        /// 逾期完成: done after the planned date.
        LateDone = ("late_done", "逾期完成"),
        /// 已逾期: not done and the planned date has passed.
        Overdue = ("overdue", "已逾期"),
    }
}

impl Stage {
    /// Position in [`Stage::ALL`] (线索 = 0 … 投产 = 5).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The following stage, `None` after 投产.
    pub fn next(self) -> Option<Stage> {
        Self::ALL.get(self.index() + 1).copied()
    }

    /// The preceding stage, `None` before 线索.
    pub fn prev(self) -> Option<Stage> {
        self.index().checked_sub(1).and_then(|i| Self::ALL.get(i).copied())
    }
}

/// A project planned at this much or more is a major project (重大项目): 10亿元.
pub const MAJOR_FROM: Money = Money::from_fen(10 * 100_000_000 * 100);

/// What a project has recorded; the stage rules look only at these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Planned investment.
    pub planned: Option<Money>,
    /// Signed amount.
    pub signed_amount: Option<Money>,
    /// 签约日期.
    pub signed_on: Option<NaiveDate>,
    /// 供地/审批日期.
    pub land_or_approval_on: Option<NaiveDate>,
    /// 开工日期.
    pub started_on: Option<NaiveDate>,
    /// 投产日期.
    pub producing_on: Option<NaiveDate>,
    /// The chain node the project belongs to (not required by any stage rule).
    pub node_id: Option<String>,
}

/// Checks a move of a project from `from` to `to` as of `today`.
///
/// * The same stage is refused ("项目已处于该阶段").
/// * Back exactly one stage is allowed (the caller asks for a reason); back further is refused.
/// * Forward, every skipped stage and the target stage must have its facts: 洽谈 计划投资;
///   签约 签约金额 (> 0) and 签约日期; 供地/审批 its date; 在建 开工日期; 投产 投产日期.
///   Recorded dates must also pass [`check_dates`].
///
/// Every problem found is returned, each naming its field.
pub fn check_move(from: Stage, to: Stage, facts: &Facts, today: NaiveDate) -> Result<(), Vec<FieldError>> {
    if from == to {
        return Err(vec![FieldError::new("stage", "项目已处于该阶段")]);
    }
    if to.index() < from.index() {
        if from.prev() == Some(to) {
            return Ok(());
        }
        let msg = match from.prev() {
            Some(p) => format!("只能退回上一阶段“{}”，不能跨阶段退回", p.label()),
            None => "不能跨阶段退回".to_string(),
        };
        return Err(vec![FieldError::new("stage", msg)]);
    }
    let mut errors = Vec::new();
    for stage in &Stage::ALL[from.index() + 1..=to.index()] {
        let intro = if *stage == to {
            format!("进入“{}”", stage.label())
        } else {
            format!("跳过“{}”进入“{}”", stage.label(), to.label())
        };
        stage_needs(*stage, facts, &intro, &mut errors);
    }
    errors.extend(check_dates(facts, today));
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Adds to `errors` what `stage` needs and `facts` lacks; `intro` starts each message.
fn stage_needs(stage: Stage, facts: &Facts, intro: &str, errors: &mut Vec<FieldError>) {
    let mut need_amount = |field: &str, what: &str, v: Option<Money>| match v {
        None => errors.push(FieldError::new(field, format!("{intro}须填写{what}"))),
        Some(x) if x <= Money::ZERO => errors.push(FieldError::new(field, format!("{intro}须填写大于0的{what}"))),
        Some(_) => {}
    };
    match stage {
        Stage::Lead => {}
        Stage::Negotiating => need_amount("planned_fen", "计划投资（万元）", facts.planned),
        Stage::Signed => need_amount("signed_fen", "签约金额（万元）", facts.signed_amount),
        _ => {}
    }
    let date = match stage {
        Stage::Signed => Some(("signed_on", "签约日期", facts.signed_on)),
        Stage::Approval => Some(("land_or_approval_on", "供地/审批日期", facts.land_or_approval_on)),
        Stage::Construction => Some(("started_on", "开工日期", facts.started_on)),
        Stage::Production => Some(("producing_on", "投产日期", facts.producing_on)),
        Stage::Lead | Stage::Negotiating => None,
    };
    if let Some((field, what, None)) = date {
        errors.push(FieldError::new(field, format!("{intro}须填写{what}")));
    }
}

/// Checks the recorded dates: none later than `today`, and in order
/// 签约 ≤ 供地/审批 ≤ 开工 ≤ 投产 wherever present (a missing date is skipped over).
pub fn check_dates(facts: &Facts, today: NaiveDate) -> Vec<FieldError> {
    let dates = [
        ("signed_on", "签约日期", facts.signed_on),
        ("land_or_approval_on", "供地/审批日期", facts.land_or_approval_on),
        ("started_on", "开工日期", facts.started_on),
        ("producing_on", "投产日期", facts.producing_on),
    ];
    let mut errors = Vec::new();
    let mut before: Option<(&str, NaiveDate)> = None;
    for (field, what, date) in dates {
        let Some(d) = date else { continue };
        if d > today {
            errors.push(FieldError::new(field, format!("{what}不能晚于今天")));
        }
        if let Some((prev_what, prev)) = before
            && d < prev
        {
            errors.push(FieldError::new(field, format!("{what}不能早于{prev_what}")));
        }
        before = Some((what, d));
    }
    errors
}

/// Where the monthly status boundaries lie, in percent of cumulative plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusRule {
    /// Below this percent of plan is 滞后.
    pub behind_below: i64,
    /// Above this percent of plan is 超前.
    pub ahead_above: i64,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule { behind_below: 90, ahead_above: 110 }
    }
}

/// Reads a status rule from TOML (`behind_below = 90`, `ahead_above = 110`; missing keys take the
/// defaults) and checks 0 ≤ behind_below ≤ ahead_above.
pub fn parse_status_rule(text: &str) -> Result<StatusRule, String> {
    let r: StatusRule = toml::from_str(text).map_err(|e| format!("投资状态规则有误：{}", e.message()))?;
    if r.behind_below < 0 || r.behind_below > r.ahead_above {
        return Err(format!(
            "投资状态规则有误：滞后线（{}%）须不小于0且不高于超前线（{}%）",
            r.behind_below, r.ahead_above
        ));
    }
    Ok(r)
}

/// Status of cumulative actual investment against cumulative plan (same unit, any scale).
///
/// Below `behind_below`% of plan is 滞后, above `ahead_above`% is 超前, otherwise 正常
/// (the boundaries themselves are 正常). With no plan (≤ 0), any actual > 0 is 超前, else 正常.
pub fn progress_status(planned_cum: Money, actual_cum: Money, rule: StatusRule) -> ProgressStatus {
    let (planned_cum, actual_cum) = (planned_cum.fen(), actual_cum.fen());
    if planned_cum <= 0 {
        return if actual_cum > 0 { ProgressStatus::Ahead } else { ProgressStatus::Normal };
    }
    let actual = i128::from(actual_cum) * 100;
    let plan = i128::from(planned_cum);
    if actual < plan * i128::from(rule.behind_below) {
        ProgressStatus::Behind
    } else if actual > plan * i128::from(rule.ahead_above) {
        ProgressStatus::Ahead
    } else {
        ProgressStatus::Normal
    }
}

/// The rule in words, for the page that shows statuses.
pub fn rule_text(rule: StatusRule) -> String {
    format!("累计完成投资低于计划的{}%为滞后，高于{}%为超前，其余为正常", rule.behind_below, rule.ahead_above)
}

/// State of a milestone planned for `planned`, done on `actual` if done, as of `today`.
///
/// A completion date later than today is refused (field `actual_on`). A milestone planned for
/// today and not yet done is still 未到期.
pub fn check_milestone(
    planned: NaiveDate,
    actual: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<MilestoneState, FieldError> {
    Ok(match actual {
        Some(a) if a > today => return Err(FieldError::new("actual_on", "实际完成日期不能晚于今天")),
        Some(a) if a <= planned => MilestoneState::OnTime,
        Some(_) => MilestoneState::LateDone,
        None if planned < today => MilestoneState::Overdue,
        None => MilestoneState::Pending,
    })
}

/// Weights of the monthly ranking (龙虎榜) score, in points; they must sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoardWeights {
    /// Weight of investment completion.
    pub investment: i64,
    /// Weight of milestones done on time.
    pub milestones: i64,
}

impl Default for BoardWeights {
    fn default() -> Self {
        BoardWeights { investment: 70, milestones: 30 }
    }
}

/// Reads ranking weights from TOML (`investment = 70`, `milestones = 30`; missing keys take the
/// defaults). Refuses negative weights and weights not summing to 100.
pub fn parse_board_weights(text: &str) -> Result<BoardWeights, String> {
    let w: BoardWeights = toml::from_str(text).map_err(|e| format!("龙虎榜权重文件有误：{}", e.message()))?;
    if w.investment < 0 || w.milestones < 0 {
        return Err("龙虎榜权重不能为负数".to_string());
    }
    let sum = w.investment.saturating_add(w.milestones);
    if sum != 100 {
        return Err(format!("龙虎榜权重之和须为100（现为{sum}）"));
    }
    Ok(w)
}

/// Ranking score in points ×100 (two decimals as an integer: 8400 = 84.00 points).
///
/// ```text
/// score = min(actual_cum / planned_cum, 120%) × w.investment
///       + (milestones_on_time / milestones_due) × w.milestones
/// ```
///
/// Each part is rounded down to 0.01 point. Negative actual counts as 0; on-time milestones
/// beyond those due count as due. With no plan (≤ 0) the investment ratio is 120% if anything
/// was invested, else 100%. With no milestone due the milestone part is full. With the default
/// weights 70/30 the score runs from 0 to 114.00 points.
pub fn board_score(
    planned_cum: Money,
    actual_cum: Money,
    milestones_due: usize,
    milestones_on_time: usize,
    w: &BoardWeights,
) -> i64 {
    let (planned_cum, actual_cum) = (planned_cum.fen(), actual_cum.fen());
    let w_inv = i128::from(w.investment);
    let w_ms = i128::from(w.milestones);
    let actual = i128::from(actual_cum.max(0));
    let cap = 120 * w_inv;
    let investment = if planned_cum <= 0 {
        if actual > 0 { cap } else { 100 * w_inv }
    } else {
        (actual * w_inv * 100 / i128::from(planned_cum)).min(cap)
    };
    let milestones = if milestones_due == 0 {
        100 * w_ms
    } else {
        let due = milestones_due as i128;
        let on_time = (milestones_on_time.min(milestones_due)) as i128;
        on_time * w_ms * 100 / due
    };
    i64::try_from(investment + milestones).unwrap_or(i64::MAX)
}

/// Where a yearly quota (e.g. 招商 tasks) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaState {
    /// Done is below what should be done by now.
    pub behind: bool,
    /// What should be done by now: required × elapsed months / 12, rounded half up (a once-a-year
    /// quota is due from July on, so December with nothing done is behind).
    pub expected: u32,
    /// Still to do for the year (0 once met).
    pub remaining: u32,
}

/// State of a quota of `required` for `year` with `done` so far, as of `today`.
///
/// Elapsed months are the whole months of `year` before today's month (15 March → 2); a past
/// year counts 12 (behind if done < required), a future year 0 (never behind).
pub fn quota_state(required: u32, done: u32, year: i32, today: NaiveDate) -> QuotaState {
    let elapsed: u64 = match today.year().cmp(&year) {
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => u64::from(today.month0()),
    };
    let expected = u32::try_from((u64::from(required) * elapsed + 6) / 12).unwrap_or(required);
    QuotaState { behind: done < expected, expected, remaining: required.saturating_sub(done) }
}

#[cfg(test)]
mod tests;
