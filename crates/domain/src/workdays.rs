//! Working days (工作日): Monday to Friday, less the national holidays and plus the weekend days
//! worked in their place (调休), as the State Council's yearly notice sets them. The notices are
//! data (`plans/holidays.toml`); a year without its notice counts Monday to Friday.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One year's holiday notice as the file writes it.
#[derive(Debug, Deserialize)]
struct YearFile {
    year: i32,
    source: String,
    off: Vec<[NaiveDate; 2]>,
    on: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
struct CalendarFile {
    years: Vec<YearFile>,
}

/// The working-day calendar: holidays off, weekend days worked, and the years whose notice it holds.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
    years: Vec<(i32, String)>,
}

impl Calendar {
    /// Reads a holiday file; a range that ends before it starts or a day outside its year is refused.
    pub fn parse(text: &str) -> Result<Calendar, String> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| format!("节假日安排文件有误：{e}"))?;
        let mut c = Calendar::default();
        for y in file.years {
            let in_year = |d: &NaiveDate| d.year() == y.year || (d.year() == y.year - 1 && d.month() == 12);
            for [from, to] in &y.off {
                if to < from || !in_year(from) || !in_year(to) {
                    return Err(format!("{}年放假日期段 {from} 至 {to} 不对", y.year));
                }
                let mut d = *from;
                while d <= *to {
                    c.off.insert(d);
                    d = d + Days::new(1);
                }
            }
            for d in &y.on {
                if !in_year(d) || !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(format!("{}年调休上班日 {d} 应为当年的周六或周日", y.year));
                }
                c.on.insert(*d);
            }
            c.years.push((y.year, y.source));
        }
        Ok(c)
    }

    /// The shipped calendar of national holidays.
    pub fn national() -> &'static Calendar {
        static SHIPPED: OnceLock<Calendar> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Calendar::parse(include_str!("../../../plans/holidays.toml")).expect("shipped holidays are valid")
        })
    }

    /// Whether `day` is a working day.
    pub fn is_workday(&self, day: NaiveDate) -> bool {
        if self.on.contains(&day) {
            return true;
        }
        !self.off.contains(&day) && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The day `n` working days after `from` (the day itself not counted): a deadline of `n` 工作日.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d + Days::new(1);
            if self.is_workday(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (negative when `to` is earlier).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut d = a;
        let mut n = 0;
        while d < b {
            d = d + Days::new(1);
            if self.is_workday(d) {
                n += 1;
            }
        }
        sign * n
    }

    /// The notice a year's holidays come from, if the calendar holds it.
    pub fn source_of(&self, year: i32) -> Option<&str> {
        self.years.iter().find(|(y, _)| *y == year).map(|(_, s)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn the_spring_festival_and_its_worked_saturdays_count_as_the_notice_says() {
        let c = Calendar::national();
        assert!(c.source_of(2026).is_some());
        // Friday 2026-02-13 + 1 working day: Saturday 14th is worked (调休).
        assert_eq!(c.add_working_days(day("2026-02-13"), 1), day("2026-02-14"));
        // From Saturday 14th, the next working day is Tuesday 24th (15th–23rd off).
        assert_eq!(c.add_working_days(day("2026-02-14"), 1), day("2026-02-24"));
        assert!(!c.is_workday(day("2026-10-05")));
        assert!(c.is_workday(day("2026-10-10")));
        assert_eq!(c.working_days_between(day("2026-09-30"), day("2026-10-09")), 2);
    }

    #[test]
    fn a_year_without_its_notice_counts_monday_to_friday() {
        let c = Calendar::national();
        assert!(c.source_of(2031).is_none());
        // Friday → next Friday is five working days.
        assert_eq!(c.add_working_days(day("2031-01-03"), 5), day("2031-01-10"));
        assert_eq!(c.working_days_between(day("2031-01-10"), day("2031-01-03")), -5);
    }

    #[test]
    fn a_range_that_runs_backwards_or_a_worked_weekday_is_refused() {
        let backwards = "[[years]]\nyear = 2026\nsource = \"x\"\noff = [[\"2026-02-23\", \"2026-02-15\"]]\non = []\n";
        assert!(Calendar::parse(backwards).is_err());
        let weekday = "[[years]]\nyear = 2026\nsource = \"x\"\noff = []\non = [\"2026-02-16\"]\n";
        assert!(Calendar::parse(weekday).is_err());
    }
}
