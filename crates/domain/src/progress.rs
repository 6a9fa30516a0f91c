//! Progress of an indicator against its targets [T3]: the actual of the current year to date, what
//! the year should reach (its own target, or a path towards the next one), the pro-rata schedule
//! to date (seasonal where past years exist), the forecast of the target year and the light.

use crate::forecast::{Forecast, Light, LightRule, Year, light, seasonal_shares, to_target_year, year_end};
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

/// Where an indicator stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The year assessed to date (the latest year with figures, not after the current one).
    pub year: i32,
    /// Actual of that year to date.
    pub actual: Option<i64>,
    /// Months of that year up to the last one with a figure.
    pub months: usize,
    /// What the year should reach, and how that was set.
    pub plan: Option<(i64, String)>,
    /// What it should have reached by now, pro rata.
    pub schedule: Option<(i64, String)>,
    /// The target year judged, and its target.
    pub target: Option<(i32, i64)>,
    /// Forecast of the target year.
    pub forecast: Option<Forecast>,
    /// Light of the forecast against the target.
    pub light: Option<Light>,
    /// Light of the actual against the schedule.
    pub schedule_light: Option<Light>,
}

impl Assessment {
    /// Off track: the forecast is not green or the year is well behind its schedule.
    pub fn off_track(&self) -> bool {
        matches!(self.light, Some(Light::Amber | Light::Red)) || self.schedule_light == Some(Light::Red)
    }
}

/// What year `y` should reach: its own target, else a geometric path from the last full year to
/// the next target, else the level of the last target year already past.
fn plan_of(kind: Kind, series: &Series, targets: &[(i32, i64)], y: i32) -> Option<(i64, String)> {
    if let Some((_, v)) = targets.iter().find(|(ty, _)| *ty == y) {
        return Some((*v, format!("{y}年目标")));
    }
    let next = targets.iter().filter(|(ty, _)| *ty > y).min_by_key(|(ty, _)| *ty);
    let last_year = series.get(&(y - 1)).filter(|m| m.iter().all(Option::is_some)).and_then(|m| year_value(kind, m));
    match (next, last_year) {
        (Some(&(ty, t)), Some(a)) if a > 0 && t > 0 => {
            let steps = f64::from(ty - y + 1);
            let v = (a as f64 * (t as f64 / a as f64).powf(1.0 / steps)).round() as i64;
            Some((v, format!("由{}年实际值按等比增长到{ty}年目标的路径", y - 1)))
        }
        (Some(&(ty, t)), _) => Some((t, format!("{ty}年目标（无上年完整数据，按目标值计）"))),
        (None, _) => targets
            .iter()
            .filter(|(ty, _)| *ty < y)
            .max_by_key(|(ty, _)| *ty)
            .map(|&(ty, t)| (t, format!("保持{ty}年目标水平"))),
    }
}

/// The pro-rata share of `plan` due after `months` months.
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

/// Assesses an indicator in `this_year` against its `targets` (year, value).
pub fn assess(
    series: &Series,
    kind: Kind,
    higher_is_better: bool,
    targets: &[(i32, i64)],
    this_year: i32,
    rule: LightRule,
) -> Assessment {
    let target = targets
        .iter()
        .filter(|(y, _)| *y >= this_year)
        .min_by_key(|(y, _)| *y)
        .or_else(|| targets.iter().max_by_key(|(y, _)| *y))
        .copied();
    let latest = series.range(..=this_year).next_back();
    let year = latest.map_or(this_year, |(y, _)| *y);
    let months = latest.and_then(|(_, m)| m.iter().rposition(Option::is_some)).map_or(0, |i| i + 1);
    let actual = latest.and_then(|(_, m)| year_value(kind, m));
    let plan = plan_of(kind, series, targets, year);
    let schedule = plan.as_ref().filter(|_| months > 0).map(|(p, _)| schedule_of(kind, series, year, months, *p));
    let forecast = target.and_then(|(ty, _)| forecast(series, kind, year, months, ty));
    let forecast_light = forecast.as_ref().zip(target).map(|(f, (_, t))| light(rule, f.value, t, higher_is_better));
    let schedule_light = actual.zip(schedule.as_ref()).map(|(a, (s, _))| light(rule, a, *s, higher_is_better));
    Assessment { year, actual, months, plan, schedule, target, forecast, light: forecast_light, schedule_light }
}

fn forecast(series: &Series, kind: Kind, year: i32, months: usize, target_year: i32) -> Option<Forecast> {
    if target_year < year {
        let v = series.get(&target_year).and_then(|m| year_value(kind, m))?;
        return Some(Forecast {
            value: v, low: v, high: v, method: format!("{target_year}年已结束，取该年实际值")
        });
    }
    let current = series.get(&year)?;
    let history: Vec<i64> = series.range(..year).filter_map(|(_, m)| year_value(kind, m)).collect();
    let f = match kind {
        Kind::Cumulative => {
            let past: Vec<Year> = series.range(..year).map(|(_, m)| *m).collect();
            year_end(current, months, &past)?
        }
        Kind::Level => {
            let v = year_value(kind, current)?;
            Forecast { value: v, low: v, high: v, method: format!("取{year}年最新值") }
        }
    };
    Some(if kind == Kind::Cumulative { to_target_year(&f, year, target_year, &history) } else { f })
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

    #[test]
    fn a_past_target_year_is_judged_on_its_actual() {
        let rows = full_year(2025, 10);
        let s = by_year(rows.iter().map(|(p, v)| (p.as_str(), *v)));
        let a = assess(&s, Kind::Cumulative, true, &[(2025, 150)], 2026, LightRule::default());
        assert_eq!(a.target, Some((2025, 150)));
        assert_eq!(a.forecast.as_ref().map(|f| f.value), Some(120));
        assert_eq!(a.light, Some(Light::Red), "120 is 80% of 150");
        assert_eq!(a.actual, Some(120));
        assert!(a.off_track());
    }

    #[test]
    fn schedule_follows_past_seasons_and_plan_interpolates_to_the_target() {
        // 2025: 100 a month, first half 40% of the year (heavy second half).
        let mut rows: Vec<(String, i64)> =
            (1..=12).map(|m| (format!("2025-{m:02}"), if m <= 6 { 80 } else { 120 })).collect();
        rows.extend((1..=6).map(|m| (format!("2026-{m:02}"), 88)));
        let s = by_year(rows.iter().map(|(p, v)| (p.as_str(), *v)));
        let a = assess(&s, Kind::Cumulative, true, &[(2027, 1452)], 2026, LightRule::default());
        // 2025 made 1200; the path to 1452 in 2027 is 1200 × 1.1 = 1320 in 2026.
        assert_eq!(a.plan.as_ref().map(|p| p.0), Some(1320));
        // 40% of 1320 is due after six months.
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(528));
        assert_eq!(a.actual, Some(528));
        assert_eq!(a.schedule_light, Some(Light::Green));
        assert!(a.schedule.as_ref().is_some_and(|s| s.1.contains("往年同期")));
        let f = a.forecast.expect("forecast");
        assert_eq!(f.value, 1320, "528 / 40% = 1320; one past year gives no growth to carry to 2027");
        assert_eq!(a.light, Some(Light::Amber), "1320 is 90.9% of 1452");
    }

    #[test]
    fn without_history_the_schedule_is_even() {
        let s = series(&[("2026-01", 10), ("2026-02", 10), ("2026-03", 10)]);
        let a = assess(&s, Kind::Cumulative, true, &[(2026, 240)], 2026, LightRule::default());
        assert_eq!(a.schedule.as_ref().map(|s| s.0), Some(60));
        assert_eq!(a.schedule_light, Some(Light::Red), "30 of 60 is half the schedule");
        assert_eq!(a.forecast.map(|f| f.value), Some(120));
    }

    #[test]
    fn level_indicators_take_the_latest_value() {
        let s = series(&[("2025-12", 1), ("2026-03", 2), ("2026-06", 3)]);
        let a = assess(&s, Kind::Level, true, &[(2026, 2)], 2026, LightRule::default());
        assert_eq!(a.actual, Some(3));
        assert_eq!(a.light, Some(Light::Green));
        assert_eq!(a.schedule.map(|s| s.0), Some(1), "from 1 towards 2, halfway after six months");
    }

    #[test]
    fn no_figures_means_no_light() {
        let a = assess(&Series::new(), Kind::Cumulative, true, &[(2025, 100)], 2026, LightRule::default());
        assert_eq!((a.actual, a.light, a.months), (None, None, 0));
        assert!(!a.off_track());
    }
}
