//! Plan tasks [O2]: where a measure of the plan stands in the current period — due date, light
//! and the reason — from its frequency, deadline, progress reports and the quotas it counts.

use crate::org::Frequency;
use crate::supervision::{Light, light};
use chrono::{Datelike, Days, Months, NaiveDate};

/// Days after a period's end within which its progress report is still on time.
pub const GRACE_DAYS: u64 = 5;

/// Where a task stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    /// The period it is judged for, e.g. "2026年11月", "2026年第4季度", "2026年".
    pub period: String,
    /// When the period's work is due.
    pub due: Option<NaiveDate>,
    /// Its light (none for ongoing tasks reported recently enough).
    pub light: Option<Light>,
    /// Why, in Chinese.
    pub reason: String,
}

/// What is known of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Deadline of a one-off task.
    pub deadline: Option<NaiveDate>,
    /// Date of the latest progress report.
    pub last_report: Option<NaiveDate>,
    /// Marked done (one-off tasks).
    pub done: bool,
    /// Has quotas counted from the data.
    pub has_quotas: bool,
    /// Every quota reached this year.
    pub quotas_met: bool,
    /// Some quota behind its pro-rata schedule.
    pub quotas_behind: bool,
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Judges a task of `frequency` as of `today`.
pub fn state(frequency: Frequency, f: Facts, today: NaiveDate) -> TaskState {
    let reported_since = |d: NaiveDate| f.last_report.is_some_and(|r| r >= d);
    match frequency {
        Frequency::Monthly | Frequency::Quarterly => {
            let months = if frequency == Frequency::Monthly { 1 } else { 3 };
            let start = first_of_month(today);
            let start = start.checked_sub_months(Months::new(start.month0() % months)).unwrap_or(start);
            let end = start.checked_add_months(Months::new(months)).and_then(|d| d.checked_sub_days(Days::new(1)));
            let previous = start.checked_sub_months(Months::new(months)).unwrap_or(start);
            let label = if months == 1 {
                format!("{}年{}月", start.year(), start.month())
            } else {
                format!("{}年第{}季度", start.year(), start.month0() / 3 + 1)
            };
            let late = !reported_since(previous) && today > start + Days::new(GRACE_DAYS);
            if late {
                return TaskState {
                    period: label,
                    due: end,
                    light: Some(Light::Red),
                    reason: "上一期未报送进展".into(),
                };
            }
            let l = end.map(|d| light(d, reported_since(start), today));
            let reason = if reported_since(start) { "本期已报送进展" } else { "本期尚未报送进展" };
            TaskState { period: label, due: end, light: l, reason: reason.into() }
        }
        Frequency::Yearly => {
            let due = NaiveDate::from_ymd_opt(today.year(), 12, 31);
            let closed = if f.has_quotas {
                f.quotas_met
            } else {
                reported_since(NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today))
            };
            let mut l = due.map(|d| light(d, closed, today));
            let reason = if f.has_quotas && f.quotas_behind && !closed {
                l = Some(Light::Yellow).max(l.filter(|x| *x == Light::Red));
                "任务量落后于序时进度"
            } else if closed {
                if f.has_quotas { "本年任务量已完成" } else { "本年已报送进展" }
            } else {
                "按年推进"
            };
            TaskState { period: format!("{}年", today.year()), due, light: l, reason: reason.into() }
        }
        Frequency::Once => match f.deadline {
            Some(d) => TaskState {
                period: "一次性".into(),
                due: Some(d),
                light: Some(light(d, f.done, today)),
                reason: if f.done { "已完成".into() } else { format!("限{d}前完成") },
            },
            None => TaskState {
                period: "一次性".into(),
                due: None,
                light: None,
                reason: if f.done { "已完成".into() } else { "未定时限".into() },
            },
        },
        Frequency::Ongoing => {
            let recent = today.checked_sub_days(Days::new(90)).is_some_and(reported_since);
            TaskState {
                period: "持续推进".into(),
                due: None,
                light: Some(if recent { Light::Green } else { Light::Yellow }),
                reason: if recent { "近90天有进展".into() } else { "超过90天未报送进展".into() },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn facts() -> Facts {
        Facts {
            deadline: None,
            last_report: None,
            done: false,
            has_quotas: false,
            quotas_met: false,
            quotas_behind: false,
        }
    }

    #[test]
    fn monthly_tasks_turn_red_when_last_month_was_not_reported() {
        let f = Facts { last_report: Some(d("2026-10-20")), ..facts() };
        let s = state(Frequency::Monthly, f, d("2026-11-04"));
        assert_eq!((s.light, s.period.as_str()), (Some(Light::Green), "2026年11月"), "within the grace days");
        assert_eq!(
            state(Frequency::Monthly, f, d("2026-11-28")).light,
            Some(Light::Yellow),
            "three days before the month ends"
        );
        let late = state(Frequency::Monthly, Facts { last_report: Some(d("2026-09-20")), ..facts() }, d("2026-11-10"));
        assert_eq!((late.light, late.reason.as_str()), (Some(Light::Red), "上一期未报送进展"));
        let done = state(Frequency::Monthly, Facts { last_report: Some(d("2026-11-02")), ..facts() }, d("2026-11-29"));
        assert_eq!(done.light, Some(Light::Green));
    }

    #[test]
    fn quarterly_periods_and_yearly_quotas() {
        let q = state(Frequency::Quarterly, Facts { last_report: Some(d("2026-08-01")), ..facts() }, d("2026-11-10"));
        assert_eq!((q.period.as_str(), q.light), ("2026年第4季度", Some(Light::Green)));
        let behind =
            state(Frequency::Yearly, Facts { has_quotas: true, quotas_behind: true, ..facts() }, d("2026-06-15"));
        assert_eq!((behind.light, behind.reason.as_str()), (Some(Light::Yellow), "任务量落后于序时进度"));
        let met = state(Frequency::Yearly, Facts { has_quotas: true, quotas_met: true, ..facts() }, d("2026-12-30"));
        assert_eq!(met.light, Some(Light::Green));
        let missed =
            state(Frequency::Yearly, Facts { has_quotas: true, quotas_behind: true, ..facts() }, d("2026-12-30"));
        assert_eq!(missed.light, Some(Light::Yellow), "yellow in the last days whatever the quota");
    }

    #[test]
    fn one_off_and_ongoing_tasks() {
        let once = Facts { deadline: Some(d("2026-06-30")), ..facts() };
        assert_eq!(state(Frequency::Once, once, d("2026-07-01")).light, Some(Light::Red));
        assert_eq!(state(Frequency::Once, Facts { done: true, ..once }, d("2026-07-01")).light, Some(Light::Green));
        assert_eq!(state(Frequency::Ongoing, facts(), d("2026-07-01")).light, Some(Light::Yellow));
        let recent = Facts { last_report: Some(d("2026-05-01")), ..facts() };
        assert_eq!(state(Frequency::Ongoing, recent, d("2026-07-01")).light, Some(Light::Green));
    }
}
