//! Progress of an indicator against its targets [T3]: the actual of the current year to date, what
//! the year should reach (its own target, or a path towards the next one), the pro-rata schedule
//! to date (seasonal where past years exist), the forecast of the target year and the light.

use crate::forecast::{
    Forecast, Light, LightRule, Year, attainment, light_of, seasonal_shares, to_target_year, year_end,
};
use std::collections::BTreeMap;

/// Monthly values by year.
pub type Series = BTreeMap<i32, Year>;

/// Splits `YYYY-MM` into year and month index 0–11.
pub fn month_of(period: &str) -> Option<(i32, usize)> {
    let y = period.get(..4)?.parse::<i32>().ok()?;
    let m = period.get(5..7)?.parse::<usize>().ok()?;
    (period.len() == 7 && (1..=12).contains(&m)).then_some((y, m - 1))
}

/// Groups monthly values (`YYYY-MM`, value) by year; values of the same month add up.
pub fn by_year<'a>(months: impl IntoIterator<Item = (&'a str, i64)>) -> Series {
    let mut years = Series::new();
    for (period, v) in months {
        if let Some((y, m)) = month_of(period) {
            let slot = &mut years.entry(y).or_insert([None; 12])[m];
            *slot = Some(slot.unwrap_or(0).saturating_add(v));
        }
    }
    years
}

/// How an indicator's months make its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The year is the sum of its months (output, revenue).
    Cumulative,
    /// The year is its latest value (counts, rates).
    Level,
}

/// The year's value of monthly figures: their sum, or the latest one.
pub fn year_value(kind: Kind, y: &Year) -> Option<i64> {
    match kind {
        Kind::Cumulative => y.iter().any(Option::is_some).then(|| y.iter().flatten().sum()),
        Kind::Level => y.iter().flatten().last().copied(),
    }
}

/// The period an assessment is as of: a year and the last month counted (1–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// The year judged.
    pub year: i32,
    /// The last month of that year whose figures count.
    pub month: usize,
}

impl AsOf {
    /// The end of year `year`.
    pub fn year_end(year: i32) -> Self {
        AsOf { year, month: 12 }
    }
}

/// What an indicator is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Goal<'a> {
    /// How its months make its year.
    pub kind: Kind,
    /// Whether more is better.
    pub higher_is_better: bool,
    /// The plan's targets (year, value).
    pub targets: &'a [(i32, i64)],
    /// The plan's baseline (year, value), if any.
    pub baseline: Option<(i32, i64)>,
}

/// Where an indicator stands as of a period: the one account every view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The year assessed (the period's year).
    pub year: i32,
    /// Actual as of the period: the year's sum to date, or the latest level.
    pub actual: Option<i64>,
    /// When the actual was measured (year, last month): for a level, possibly an earlier year.
    pub actual_at: Option<(i32, usize)>,
    /// Months of the year the schedule counts: up to the last one with a figure (a level
    /// measured in an earlier year counts up to the period).
    pub months: usize,
    /// What the year should reach, and how that was set.
    pub plan: Option<(i64, String)>,
    /// What it should have reached by now, and how that was set.
    pub schedule: Option<(i64, String)>,
    /// The plan's target judged (the next target year, else the last), and its value.
    pub target: Option<(i32, i64)>,
    /// Forecast of the target year.
    pub forecast: Option<Forecast>,
    /// The actual against the schedule, in basis points (direction-aware): the one ratio shown.
    pub attainment: Option<i64>,
    /// The light of that attainment.
    pub light: Option<Light>,
}

impl Assessment {
    /// Off track: amber or red.
    pub fn off_track(&self) -> bool {
        matches!(self.light, Some(Light::Amber | Light::Red))
    }
}

/// A value on the way from `from` to `to`: geometric when both are positive, else linear.
fn on_path((fy, fv): (i32, i64), (ty, tv): (i32, i64), y: i32) -> i64 {
    let share = f64::from(y - fy) / f64::from(ty - fy);
    if fv > 0 && tv > 0 {
        (fv as f64 * (tv as f64 / fv as f64).powf(share)).round() as i64
    } else {
        (fv as f64 + (tv - fv) as f64 * share).round() as i64
    }
}

/// What year `y` should reach: its own target; else the path from the latest known point before
/// it (a full year's actual, an earlier target or the baseline) to the next target; else the
/// level of the last target year already past.
fn plan_of(kind: Kind, series: &Series, goal: &Goal, y: i32) -> Option<(i64, String)> {
    if let Some((_, v)) = goal.targets.iter().find(|(ty, _)| *ty == y) {
        return Some((*v, format!("{y}年目标")));
    }
    let next = goal.targets.iter().filter(|(ty, _)| *ty > y).min_by_key(|(ty, _)| *ty).copied();
    let Some((ty, t)) = next else {
        return goal
            .targets
            .iter()
            .filter(|(ty, _)| *ty < y)
            .max_by_key(|(ty, _)| *ty)
            .map(|&(ty, t)| (t, format!("保持{ty}年目标水平")));
    };
    let full_year = series
        .range(..y)
        .rfind(|(_, m)| m.iter().all(Option::is_some))
        .and_then(|(fy, m)| Some((*fy, year_value(kind, m)?, "实际值")));
    let earlier_target =
        goal.targets.iter().filter(|(ty, _)| *ty < y).max_by_key(|(ty, _)| *ty).map(|&(a, b)| (a, b, "目标"));
    let baseline = goal.baseline.filter(|(by, _)| *by < y).map(|(a, b)| (a, b, "基期值"));
    // The latest point wins; at the same year an actual beats a target, a target the baseline.
    let from =
        [full_year, earlier_target, baseline].into_iter().flatten().fold(None, |best: Option<(i32, i64, &str)>, p| {
            match best {
                Some(b) if b.0 >= p.0 => Some(b),
                _ => Some(p),
            }
        });
    match from {
        Some((fy, fv, what)) => {
            let v = on_path((fy, fv), (ty, t), y);
            let how = if fv > 0 && t > 0 { "等比" } else { "等差" };
            Some((v, format!("由{fy}年{what}按{how}增长到{ty}年目标的路径")))
        }
        None => Some((t, format!("{ty}年目标（无基期和上年数据，按目标值计）"))),
    }
}

/// The share of `plan` due after `months` months.
fn schedule_of(kind: Kind, series: &Series, year: i32, months: usize, plan: i64) -> (i64, String) {
    match kind {
        Kind::Cumulative => {
            let past: Vec<Year> = series.range(..year).map(|(_, m)| *m).collect();
            let shares = seasonal_shares(&past, months);
            if shares.is_empty() {
                (plan * months as i64 / 12, format!("全年计划的{months}/12（均匀进度）"))
            } else {
                let avg = shares.iter().sum::<i64>() / shares.len() as i64;
                (
                    plan * avg / 1000,
                    format!("全年计划的{}.{}%（{}个往年同期的平均进度）", avg / 10, avg % 10, shares.len()),
                )
            }
        }
        Kind::Level => {
            let start = series.get(&(year - 1)).and_then(|m| year_value(kind, m));
            match start {
                Some(s) => (s + (plan - s) * months as i64 / 12, format!("由上年末值向全年计划线性推进{months}/12")),
                None => (plan, "全年计划值".into()),
            }
        }
    }
}

/// The schedule after each month 1–12 of `year` towards `plan`, by the same rule as [`assess`].
pub fn schedule_path(kind: Kind, series: &Series, year: i32, plan: i64) -> Vec<i64> {
    (1..=12).map(|m| schedule_of(kind, series, year, m, plan).0).collect()
}

/// The figures known as of `as_of`: earlier years whole, the period's year up to its month.
fn known_by(series: &Series, as_of: AsOf) -> Series {
    let mut known: Series = series.range(..=as_of.year).map(|(y, m)| (*y, *m)).collect();
    if let Some(year) = known.get_mut(&as_of.year) {
        for slot in year.iter_mut().skip(as_of.month.min(12)) {
            *slot = None;
        }
    }
    known.retain(|_, m| m.iter().any(Option::is_some));
    known
}

/// Assesses an indicator as of a period against its goal: the one function behind every view's
/// period, plan, schedule, attainment and light.
pub fn assess(series: &Series, goal: &Goal, as_of: AsOf, rule: LightRule) -> Assessment {
    let series = known_by(series, as_of);
    let kind = goal.kind;
    let year = as_of.year;
    let target = goal
        .targets
        .iter()
        .filter(|(y, _)| *y >= year)
        .min_by_key(|(y, _)| *y)
        .or_else(|| goal.targets.iter().max_by_key(|(y, _)| *y))
        .copied();
    let last_month = |m: &Year| m.iter().rposition(Option::is_some).map(|i| i + 1);
    let (actual, actual_at) = match kind {
        Kind::Cumulative => match series.get(&year) {
            Some(m) => (year_value(kind, m), last_month(m).map(|n| (year, n))),
            None => (None, None),
        },
        Kind::Level => match series.iter().next_back() {
            Some((y, m)) => (year_value(kind, m), last_month(m).map(|n| (*y, n))),
            None => (None, None),
        },
    };
    let months = match actual_at {
        Some((y, n)) if y == year => n,
        Some(_) => as_of.month,
        None => 0,
    };
    let plan = plan_of(kind, &series, goal, year);
    let schedule = plan.as_ref().filter(|_| months > 0).map(|(p, _)| schedule_of(kind, &series, year, months, *p));
    let forecast = target.and_then(|(ty, _)| forecast(&series, kind, year, months, ty, actual.zip(actual_at)));
    let attainment = actual.zip(schedule.as_ref()).map(|(a, (s, _))| attainment(a, *s, goal.higher_is_better));
    let light = attainment.map(|bp| light_of(rule, bp));
    Assessment { year, actual, actual_at, months, plan, schedule, target, forecast, attainment, light }
}

fn forecast(
    series: &Series,
    kind: Kind,
    year: i32,
    months: usize,
    target_year: i32,
    latest: Option<(i64, (i32, usize))>,
) -> Option<Forecast> {
    if target_year < year {
        let v = series.get(&target_year).and_then(|m| year_value(kind, m))?;
        return Some(Forecast {
            value: v, low: v, high: v, method: format!("{target_year}年已结束，取该年实际值")
        });
    }
    if kind == Kind::Level {
        let (v, (y, m)) = latest?;
        return Some(Forecast { value: v, low: v, high: v, method: format!("取{y}年{m}月的最新值") });
    }
    let current = series.get(&year)?;
    let history: Vec<i64> = series.range(..year).filter_map(|(_, m)| year_value(kind, m)).collect();
    let past: Vec<Year> = series.range(..year).map(|(_, m)| *m).collect();
    Some(to_target_year(&year_end(current, months, &past)?, year, target_year, &history))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(rows: &[(&str, i64)]) -> Series {
        by_year(rows.iter().map(|(p, v)| (*p, *v)))
    }

    fn full_year(y: i32, monthly: i64) -> Vec<(String, i64)> {
        (1..=12).map(|m| (format!("{y}-{m:02}"), monthly)).collect()
    }

    #[test]
    fn periods_group_by_year_and_bad_ones_are_skipped() {
        let s = series(&[("2025-01", 5), ("2025-01", 7), ("2025-13", 1), ("2025-1", 1), ("2024-12", 3)]);
        assert_eq!(s[&2025][0], Some(12));
        assert_eq!(s[&2024][11], Some(3));
        assert_eq!(s.len(), 2);
    }

    fn up<'a>(kind: Kind, targets: &'a [(i32, i64)], baseline: Option<(i32, i64)>) -> Goal<'a> {
        Goal { kind, higher_is_better: true, targets, baseline }
    }

    fn at(year: i32, month: usize) -> AsOf {
        AsOf { year, month }
    }

    #[test]
    fn after_the_last_target_year_the_year_keeps_its_level() {
        let mut rows = full_year(2025, 10);
        rows.extend(full_year(2026, 12));
        let s = by_year(rows.iter().map(|(p, v)| (p.as_str(), *v)));
        let a = assess(&s, &up(Kind::Cumulative, &[(2025, 150)], None), at(2026, 10), LightRule::default());
        assert_eq!(a.target, Some((2025, 150)));
        assert_eq!(a.plan, Some((150, "保持2025年目标水平".into())));
        assert_eq!((a.year, a.months, a.actual), (2026, 10, Some(120)), "2026 up to October only");
        // One past year: 10 months made 83.3% of it; 124 due, 120 made.
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(124));
        assert_eq!(a.attainment, Some(9677));
        assert_eq!(a.light, Some(Light::Amber));
        assert_eq!(a.forecast.as_ref().map(|f| f.value), Some(120), "the 2025 target is judged on 2025's actual");
    }

    #[test]
    fn figures_after_the_period_do_not_count() {
        let s = series(&[("2026-08", 10), ("2026-09", 10), ("2026-10", 10), ("2026-11", 50)]);
        let a = assess(&s, &up(Kind::Cumulative, &[(2026, 120)], None), at(2026, 9), LightRule::default());
        assert_eq!((a.actual, a.months), (Some(20), 9));
        let none = assess(&s, &up(Kind::Cumulative, &[(2026, 120)], None), at(2025, 12), LightRule::default());
        assert_eq!((none.actual, none.light), (None, None), "no figures in 2025 means no light for 2025");
    }

    #[test]
    fn schedule_follows_past_seasons_and_plan_interpolates_to_the_target() {
        // 2025: 100 a month, first half 40% of the year (heavy second half).
        let mut rows: Vec<(String, i64)> =
            (1..=12).map(|m| (format!("2025-{m:02}"), if m <= 6 { 80 } else { 120 })).collect();
        rows.extend((1..=6).map(|m| (format!("2026-{m:02}"), 88)));
        let s = by_year(rows.iter().map(|(p, v)| (p.as_str(), *v)));
        let a = assess(&s, &up(Kind::Cumulative, &[(2027, 1452)], None), at(2026, 6), LightRule::default());
        // 2025 made 1200; the path to 1452 in 2027 is 1200 × 1.1 = 1320 in 2026.
        assert_eq!(a.plan.as_ref().map(|p| p.0), Some(1320));
        // 40% of 1320 is due after six months.
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(528));
        assert_eq!(a.actual, Some(528));
        assert_eq!((a.attainment, a.light), (Some(10_000), Some(Light::Green)));
        assert!(a.schedule.as_ref().is_some_and(|s| s.1.contains("往年同期")));
        let f = a.forecast.expect("forecast");
        assert_eq!(f.value, 1320, "528 / 40% = 1320; one past year gives no growth to carry to 2027");
    }

    #[test]
    fn without_a_full_year_the_plan_runs_from_the_baseline_to_the_target() {
        // Baseline 2021 = 100, target 2027 = 200: 2026 is 100 × 2^(5/6) ≈ 178, not the 2027 target.
        let s = series(&[("2026-01", 15), ("2026-02", 15)]);
        let targets = [(2027, 200)];
        let a = assess(&s, &up(Kind::Cumulative, &targets, Some((2021, 100))), at(2026, 2), LightRule::default());
        assert_eq!(a.plan, Some((178, "由2021年基期值按等比增长到2027年目标的路径".into())));
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(29), "2/12 of 178");
        assert_eq!(a.light, Some(Light::Green), "30 of 29");
        // An earlier target is a later point than the baseline.
        let targets = [(2025, 160), (2027, 200)];
        let a = assess(&s, &up(Kind::Cumulative, &targets, Some((2021, 100))), at(2026, 2), LightRule::default());
        assert_eq!(a.plan.map(|p| p.0), Some(179), "160 × (200/160)^(1/2)");
        let f = a.forecast.expect("forecast");
        assert!(f.method.contains("按本年水平持平推算到2027年"), "{}", f.method);
    }

    #[test]
    fn without_history_the_schedule_is_even() {
        let s = series(&[("2026-01", 10), ("2026-02", 10), ("2026-03", 10)]);
        let a = assess(&s, &up(Kind::Cumulative, &[(2026, 240)], None), at(2026, 3), LightRule::default());
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(60));
        assert_eq!(a.light, Some(Light::Red), "30 of 60 is half the schedule");
        assert_eq!(a.forecast.map(|f| f.value), Some(120));
    }

    #[test]
    fn level_indicators_take_the_latest_value() {
        let s = series(&[("2025-12", 1), ("2026-03", 2), ("2026-06", 3)]);
        let a = assess(&s, &up(Kind::Level, &[(2026, 2)], None), at(2026, 6), LightRule::default());
        assert_eq!(a.actual, Some(3));
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(1), "from 1 towards 2, halfway after six months");
        assert_eq!(a.light, Some(Light::Green));
    }

    #[test]
    fn a_level_measured_last_year_stands_until_a_new_one_comes() {
        let s = series(&[("2025-12", 9)]);
        let a = assess(&s, &up(Kind::Level, &[(2026, 15)], None), at(2026, 11), LightRule::default());
        assert_eq!((a.actual, a.actual_at, a.months), (Some(9), Some((2025, 12)), 11));
        // Schedule: from 9 towards 15 over eleven months is 14.5; 9 of it is red.
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(14));
        assert_eq!(a.light, Some(Light::Red));
        assert_eq!(a.forecast.map(|f| f.method), Some("取2025年12月的最新值".to_string()));
    }

    #[test]
    fn lower_is_better_turns_the_ratio_round() {
        let s = series(&[("2026-01", 120)]);
        let goal = Goal { kind: Kind::Level, higher_is_better: false, targets: &[(2026, 100)], baseline: None };
        let a = assess(&s, &goal, at(2026, 1), LightRule::default());
        assert_eq!((a.attainment, a.light), (Some(8333), Some(Light::Red)));
    }

    #[test]
    fn no_figures_means_no_light() {
        let a = assess(&Series::new(), &up(Kind::Cumulative, &[(2025, 100)], None), at(2026, 12), LightRule::default());
        assert_eq!((a.actual, a.light, a.months), (None, None, 0));
        assert!(!a.off_track());
    }
}
