//! Reporting periods: a month (`2026-10`), a quarter (`2026-Q3`) or a year (`2026`), parsed once
//! and refused with a Chinese message naming the form expected.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// The years any period may be in, everywhere (forms, imports, exports).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month of a day.
    pub fn of(day: NaiveDate) -> Month {
        Month { year: day.year(), month: day.month() }
    }

    /// The month `month` (1–12) of `year`, if both are plausible.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Reads `YYYY-MM` (surrounding spaces allowed).
    pub fn parse(text: &str) -> Result<Month, String> {
        let bad = || "月份应写成YYYY-MM，例如 2026-10".to_string();
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Month::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1–12.
    pub fn number(self) -> u32 {
        self.month
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// The month before.
    pub fn previous(self) -> Month {
        match self.month {
            1 => Month { year: self.year - 1, month: 12 },
            m => Month { year: self.year, month: m - 1 },
        }
    }

    /// The month after.
    pub fn next(self) -> Month {
        match self.month {
            12 => Month { year: self.year + 1, month: 1 },
            m => Month { year: self.year, month: m + 1 },
        }
    }

    /// Day `day` (clamped to 1–28) of the following month: when a month's figure or report is due.
    pub fn due_on(self, day: u32) -> NaiveDate {
        let next = self.next();
        NaiveDate::from_ymd_opt(next.year, next.month, day.clamp(1, 28)).unwrap_or(NaiveDate::MIN)
    }

    /// `2026年10月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u32,
}

impl Quarter {
    /// The quarter a month falls in.
    pub fn of(month: Month) -> Quarter {
        Quarter { year: month.year, quarter: (month.month - 1) / 3 + 1 }
    }

    /// Reads `YYYY-Qn`.
    pub fn parse(text: &str) -> Result<Quarter, String> {
        let bad = || "季度应写成 2026-Q3".to_string();
        let (y, q) = text.trim().split_once("-Q").ok_or_else(bad)?;
        let (year, quarter): (i32, u32) = (y.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?);
        if y.len() != 4 || !YEARS.contains(&year) || !(1..=4).contains(&quarter) {
            return Err(bad());
        }
        Ok(Quarter { year, quarter })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The quarter number, 1–4.
    pub fn number(self) -> u32 {
        self.quarter
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let first = (self.quarter - 1) * 3 + 1;
        [0, 1, 2].map(|k| Month { year: self.year, month: first + k })
    }

    /// The quarter before.
    pub fn previous(self) -> Quarter {
        match self.quarter {
            1 => Quarter { year: self.year - 1, quarter: 4 },
            q => Quarter { year: self.year, quarter: q - 1 },
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

/// Reads a year typed as `2026`.
pub fn parse_year(text: &str) -> Result<i32, String> {
    let t = text.trim();
    t.parse::<i32>()
        .ok()
        .filter(|y| t.len() == 4 && YEARS.contains(y))
        .ok_or_else(|| format!("年度应为年份，如 2026（收到“{t}”）"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_step_and_fall_due() {
        let m = Month::parse(" 2026-12 ").expect("month");
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(Month::parse("2027-01").expect("month").previous(), m);
        assert_eq!(m.due_on(5), NaiveDate::from_ymd_opt(2027, 1, 5).expect("date"));
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"));
        assert_eq!(m.label(), "2026年12月");
        for bad in ["2026-13", "2026/10", "26-10", "2026-1", "", "abcd-ef"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quarters_parse_and_hold_their_months() {
        let q = Quarter::parse("2026-Q4").expect("quarter");
        assert_eq!(q.months().map(|m| m.to_string()), ["2026-10", "2026-11", "2026-12"]);
        assert_eq!(Quarter::of(Month::parse("2027-01").expect("month")).previous(), q);
        assert_eq!(Quarter::parse("2026-Q1").expect("quarter").previous().to_string(), "2025-Q4");
        for bad in ["2026-Q5", "2026Q1", "2026-Q0", "x-Q1"] {
            assert!(Quarter::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_year("2026"), Ok(2026));
        assert!(parse_year("2026-10").expect_err("refused").contains("2026-10"));
    }
}
