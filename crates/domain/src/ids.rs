//! Application-generated identifiers (UUIDv7, time-ordered, portable across databases).

/// A fresh time-ordered identifier as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Whether `s` looks like an identifier we issued (guards path parameters before a query).
pub fn is_valid_id(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// Milliseconds since the Unix epoch, the stored form of every timestamp.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The current year in China Standard Time.
pub fn current_year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(8)).year()
}

/// Formats stored epoch milliseconds as `YYYY-MM-DD HH:MM` in China Standard Time.
pub fn format_millis(ms: i64) -> String {
    let tz = chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        None => String::from("-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_ordered() {
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert!(is_valid_id(&a));
        assert!(!is_valid_id("../etc/passwd"));
    }

    #[test]
    fn formats_in_china_time() {
        assert_eq!(format_millis(0), "1970-01-01 08:00");
    }
}
