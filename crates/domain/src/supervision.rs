//! 督办 [P4]: the light of an item with a deadline (green; yellow from three days before the
//! deadline; red when late), and escalation to the chain chief once an item is late and still
//! open. The same rule serves problems and, later, plan tasks; `today` is passed in.

use crate::org::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What kind of meeting it was.
    MeetingKind {
        /// 专题会议
        Topical = ("topical", "专题会议"),
        /// 现场办公会
        Onsite = ("onsite", "现场办公会"),
    }
}

coded_enum! {
    /// Where a meeting's decision (议定事项) stands.
    ActionStatus {
        /// 落实中
        Open = ("open", "落实中"),
        /// 已落实
        Done = ("done", "已落实"),
    }
}

coded_enum! {
    /// Where a problem stands in its 督办 workflow.
    ProblemStatus {
        /// Raised, waiting for the office to assign it.
        Raised = ("raised", "待交办"),
        /// Assigned to its units, being handled.
        Assigned = ("assigned", "办理中"),
        /// Resolved by its lead unit, waiting for the raiser's confirmation.
        Resolved = ("resolved", "已办结"),
        /// Confirmed by whoever raised it.
        Confirmed = ("confirmed", "已确认"),
    }
}

impl ProblemStatus {
    /// Whether the problem needs no more handling (resolved or confirmed): the one rule.
    pub fn is_closed(self) -> bool {
        matches!(self, ProblemStatus::Resolved | ProblemStatus::Confirmed)
    }
}

/// Days before the deadline the light turns yellow.
pub const YELLOW_DAYS: i64 = 3;

/// Where an item stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Light {
    /// Closed in time, or more than three days to go.
    Green,
    /// Closed, but after its deadline.
    ClosedLate,
    /// Three days or fewer to the deadline.
    Yellow,
    /// Past the deadline and still open.
    Red,
}

impl Light {
    /// Words beside the colour.
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "正常",
            Light::ClosedLate => "逾期办结",
            Light::Yellow => "临期",
            Light::Red => "逾期",
        }
    }

    /// CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::ClosedLate => "amber",
            Light::Yellow => "amber",
            Light::Red => "red",
        }
    }
}

/// The light of an item due on `deadline` as of `today`; a closed item is green.
pub fn light(deadline: NaiveDate, closed: bool, today: NaiveDate) -> Light {
    if closed {
        return Light::Green;
    }
    let left = (deadline - today).num_days();
    if left < 0 {
        Light::Red
    } else if left <= YELLOW_DAYS {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// The light of an item due on `deadline` that was closed on `closed_on`: late if after the deadline.
pub fn closed_light(deadline: NaiveDate, closed_on: NaiveDate) -> Light {
    if closed_on > deadline { Light::ClosedLate } else { Light::Green }
}

/// Whether an open item is escalated to the chain chief: the day after its deadline onwards.
pub fn escalated(deadline: NaiveDate, closed: bool, today: NaiveDate) -> bool {
    light(deadline, closed, today) == Light::Red
}

/// Days late (0 when not late).
pub fn days_late(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (today - deadline).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_closed_after_its_deadline_is_closed_late() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 10).expect("date");
        let on = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
        assert_eq!(closed_light(due, on(10)), Light::Green);
        assert_eq!(closed_light(due, on(15)), Light::ClosedLate);
        assert_eq!(Light::ClosedLate.label(), "逾期办结");
    }

    #[test]
    fn problem_statuses_decode_once_and_refuse_unknown_codes() {
        assert_eq!(ProblemStatus::try_from("resolved".to_string()), Ok(ProblemStatus::Resolved));
        assert!(ProblemStatus::Resolved.is_closed() && ProblemStatus::Confirmed.is_closed());
        assert!(!ProblemStatus::Raised.is_closed() && !ProblemStatus::Assigned.is_closed());
        let e = ProblemStatus::try_from("closed".to_string()).expect_err("unknown");
        assert_eq!(e.to_string(), "未知的ProblemStatus代码“closed”");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn lights_change_three_days_before_and_after_the_deadline() {
        let deadline = d("2026-06-10");
        assert_eq!(light(deadline, false, d("2026-06-06")), Light::Green, "four days to go");
        assert_eq!(light(deadline, false, d("2026-06-07")), Light::Yellow, "three days to go");
        assert_eq!(light(deadline, false, d("2026-06-10")), Light::Yellow, "due today");
        assert_eq!(light(deadline, false, d("2026-06-11")), Light::Red, "a day late");
        assert_eq!(light(deadline, true, d("2026-07-01")), Light::Green, "closed items are not late");
    }

    #[test]
    fn escalation_starts_the_day_after_the_deadline() {
        let deadline = d("2026-06-10");
        assert!(!escalated(deadline, false, d("2026-06-10")));
        assert!(escalated(deadline, false, d("2026-06-11")));
        assert!(!escalated(deadline, true, d("2026-06-20")));
        assert_eq!(days_late(deadline, d("2026-06-15")), 5);
        assert_eq!(days_late(deadline, d("2026-06-01")), 0);
    }
}
