//! The one clock of the product: instants as epoch milliseconds and days in Beijing time
//! (Asia/Shanghai, UTC+8 all year). Nothing else reads the system time.

use crate::period::{Month, Quarter};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// Milliseconds in eight hours: Beijing time is UTC+8 and has no daylight saving time.
const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// The machine's clock moved by a fixed number of milliseconds (a rehearsal started at a chosen
    /// instant, which then runs on).
    Shifted(i64),
    /// A clock that stands still at an instant (tests of rules at a given moment).
    Fixed(i64),
}

impl Clock {
    /// A clock that starts at `start` (RFC 3339, e.g. `2026-12-31T17:00:00Z`) and runs on from
    /// there; an empty text is the system clock.
    pub fn starting_at(start: &str) -> Result<Clock, String> {
        let start = start.trim();
        if start.is_empty() {
            return Ok(Clock::System);
        }
        let at = DateTime::parse_from_rfc3339(start)
            .map_err(|_| format!("时钟起点“{start}”应写成 RFC 3339 时刻，如 2026-12-31T17:00:00Z"))?;
        Ok(Clock::Shifted(at.timestamp_millis() - system_millis()))
    }

    /// A clock standing still at `ms` epoch milliseconds.
    pub fn fixed(ms: i64) -> Clock {
        Clock::Fixed(ms)
    }

    /// Now, in milliseconds since the Unix epoch (the stored form of every timestamp).
    pub fn now_millis(self) -> i64 {
        match self {
            Clock::System => system_millis(),
            Clock::Shifted(offset) => system_millis() + offset,
            Clock::Fixed(at) => at,
        }
    }

    /// Today in Beijing.
    pub fn today(self) -> NaiveDate {
        beijing_day(self.now_millis())
    }

    /// This year in Beijing.
    pub fn year(self) -> i32 {
        self.today().year()
    }

    /// This month in Beijing.
    pub fn this_month(self) -> Month {
        Month::of(self.today())
    }

    /// The month before this one (the month normally reported now).
    pub fn last_month(self) -> Month {
        self.this_month().previous()
    }

    /// The quarter before this one (the quarter normally reported now).
    pub fn last_quarter(self) -> Quarter {
        Quarter::of(self.this_month()).previous()
    }
}

/// The only reading of the machine's clock.
fn system_millis() -> i64 {
    Utc::now().timestamp_millis()
}

/// The Beijing day of an instant given in epoch milliseconds.
pub fn beijing_day(ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms + BEIJING_OFFSET_MS).map_or(NaiveDate::MIN, |t| t.date_naive())
}

/// The instant a Beijing day begins, in epoch milliseconds.
pub fn beijing_midnight(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis()) - BEIJING_OFFSET_MS
}

/// Formats epoch milliseconds as `YYYY-MM-DD HH:MM` in Beijing time.
pub fn format_millis(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms + BEIJING_OFFSET_MS) {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => String::from("-"),
    }
}

/// Formats epoch milliseconds as a Chinese date, `2026年12月1日`, in Beijing time.
pub fn chinese_date(ms: i64) -> String {
    let d = beijing_day(ms);
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-31T16:30:00Z, which is 2027-01-01 00:30 in Beijing.
    const NEW_YEAR_NIGHT: i64 = 1_798_734_600_000;

    #[test]
    fn beijing_midnight_is_already_the_next_day() {
        let c = Clock::fixed(NEW_YEAR_NIGHT);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"));
        assert_eq!(c.year(), 2027);
        assert_eq!(c.this_month().to_string(), "2027-01");
        assert_eq!(c.last_month().to_string(), "2026-12");
        assert_eq!(c.last_quarter().to_string(), "2026-Q4");
        assert_eq!(format_millis(NEW_YEAR_NIGHT), "2027-01-01 00:30");
        assert_eq!(chinese_date(NEW_YEAR_NIGHT), "2027年1月1日");
        assert_eq!(beijing_midnight(c.today()), NEW_YEAR_NIGHT - 30 * 60_000);
        // Eight hours earlier it is still the last afternoon of 2026 in Beijing.
        assert_eq!(Clock::fixed(NEW_YEAR_NIGHT - 8 * 3_600_000).year(), 2026);
    }

    #[test]
    fn a_started_clock_runs_from_its_start() {
        let c = Clock::starting_at("2026-12-31T16:30:00Z").expect("clock");
        let drift = c.now_millis() - NEW_YEAR_NIGHT;
        assert!((0..60_000).contains(&drift), "{drift}");
        assert_eq!(c.today().year(), 2027);
        assert_eq!(Clock::starting_at(" ").expect("system"), Clock::System);
        assert!(Clock::starting_at("明天").expect_err("refused").contains("RFC 3339"));
    }

    #[test]
    fn formats_in_china_time() {
        assert_eq!(format_millis(0), "1970-01-01 08:00");
    }
}
