//! Cell text rules shared by readers and writers: trimming, number display, formula guard, width.

/// Trims ASCII and Unicode white space (including the full-width space U+3000 and NBSP).
pub(crate) fn trim_cell(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Formats a number as Excel shows it in a General cell, but never with an exponent:
/// integers without ".0", other values with at most 15 significant digits and 10 decimals.
pub(crate) fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value == 0.0 {
        return "0".into();
    }
    if value == value.trunc() {
        return format!("{value:.0}");
    }
    let magnitude = value.abs().log10().floor();
    let integer_digits = if magnitude >= 0.0 { magnitude as i32 + 1 } else { 0 };
    let decimals = (15 - integer_digits).clamp(0, 10) as usize;
    let mut s = format!("{value:.decimals$}");
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" { "0".into() } else { s }
}

/// Formats a calendar date as `YYYY-MM-DD`.
pub(crate) fn format_date(year: u16, month: u8, day: u8) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// Formats a time of day or a duration given in days as `H:MM:SS`.
pub(crate) fn format_time(days: f64) -> String {
    let total = (days * 86_400.0).round();
    if !total.is_finite() {
        return String::new();
    }
    let negative = total < 0.0;
    let total = total.abs() as u64;
    let sign = if negative { "-" } else { "" };
    format!("{sign}{:02}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// True when a spreadsheet program could take the text for a formula or a control sequence.
pub(crate) fn needs_guard(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n'))
}

/// Returns the text to write: unchanged, or prefixed with `'` when it could be taken for a formula.
pub(crate) fn guard(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(s) { format!("'{s}").into() } else { s.into() }
}

/// Display width of the longest line of `s`, counting East Asian wide characters as two.
pub(crate) fn display_width(s: &str) -> usize {
    s.lines().map(|line| line.chars().map(char_width).sum()).max().unwrap_or(0)
}

fn char_width(c: char) -> usize {
    let wide = matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_no_exponent_and_no_trailing_zero() {
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(-7.0), "-7");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(3.25), "3.25");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(1.5e-7), "0.00000015");
        assert_eq!(format_number(1e-12), "0");
        assert_eq!(format_number(-1e-12), "0");
        assert_eq!(format_number(123_456_789.123_456_79), "123456789.123457");
        assert_eq!(format_number(f64::NAN), "");
    }

    #[test]
    fn trim_removes_full_width_spaces() {
        assert_eq!(trim_cell("\u{3000} 链长 \u{3000}\t"), "链长");
        assert_eq!(trim_cell("\u{feff}名称"), "名称");
    }

    #[test]
    fn guard_prefixes_formula_starts_only() {
        for bad in ["=1+2", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(guard(bad), format!("'{bad}"));
        }
        for good in ["链长", "1-2", "a=b", "", "'already"] {
            assert_eq!(guard(good), good);
        }
    }

    #[test]
    fn width_counts_cjk_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("链长制"), 6);
        assert_eq!(display_width("新能源ab\nx"), 8);
        assert_eq!(display_width("（全角）"), 8);
    }

    #[test]
    fn times_are_hh_mm_ss() {
        assert_eq!(format_time(0.5), "12:00:00");
        assert_eq!(format_time(1.25), "30:00:00");
        assert_eq!(format_date(2024, 3, 9), "2024-03-09");
    }
}
