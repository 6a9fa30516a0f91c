//! Exact quantities: a scaled integer (four decimal places) with its unit beside it.
//! Conversion between units of one dimension goes only through [`Quantity::convert`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// Scale of stored values: 1 unit = 10,000 stored steps (four decimal places).
pub const SCALE: i64 = 10_000;

/// What a unit measures; only units of one dimension convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Mass (吨, 万吨).
    Mass,
    /// Money (元, 万元, 亿元).
    Money,
    /// A ratio in percent.
    Ratio,
    /// A count of things of the unit's own kind.
    Count,
}

/// A unit of measure used by indicators, targets and quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// 吨
    Ton,
    /// 万吨
    TenThousandTons,
    /// 元
    Yuan,
    /// 万元
    TenThousandYuan,
    /// 亿元
    HundredMillionYuan,
    /// %
    Percent,
    /// 家 (enterprises)
    Enterprises,
    /// 次 (times, events)
    Times,
    /// 个 (items)
    Items,
    /// 人 (people)
    People,
    /// 项 (projects, patents, standards)
    Entries,
}

impl Unit {
    /// Every unit, in the order forms offer them.
    pub const ALL: [Unit; 11] = [
        Unit::Ton,
        Unit::TenThousandTons,
        Unit::Yuan,
        Unit::TenThousandYuan,
        Unit::HundredMillionYuan,
        Unit::Percent,
        Unit::Enterprises,
        Unit::Times,
        Unit::Items,
        Unit::People,
        Unit::Entries,
    ];

    /// The unit's Chinese symbol as written in plans and forms.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Ton => "吨",
            Unit::TenThousandTons => "万吨",
            Unit::Yuan => "元",
            Unit::TenThousandYuan => "万元",
            Unit::HundredMillionYuan => "亿元",
            Unit::Percent => "%",
            Unit::Enterprises => "家",
            Unit::Times => "次",
            Unit::Items => "个",
            Unit::People => "人",
            Unit::Entries => "项",
        }
    }

    /// Parses a Chinese unit symbol (full-width ％ accepted).
    pub fn parse(s: &str) -> Option<Unit> {
        let s = s.trim();
        let s = if s == "％" { "%" } else { s };
        Unit::ALL.into_iter().find(|u| u.symbol() == s)
    }

    /// The dimension of the unit.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Ton | Unit::TenThousandTons => Dimension::Mass,
            Unit::Yuan | Unit::TenThousandYuan | Unit::HundredMillionYuan => Dimension::Money,
            Unit::Percent => Dimension::Ratio,
            _ => Dimension::Count,
        }
    }

    /// How many base units (吨, 元) one of this unit is.
    fn factor(self) -> i128 {
        match self {
            Unit::TenThousandTons | Unit::TenThousandYuan => 10_000,
            Unit::HundredMillionYuan => 100_000_000,
            _ => 1,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Why a quantity could not be read or converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// The text is not a decimal number.
    #[error("“{0}”不是数字，请只填写数字（单位另选）")]
    NotANumber(String),
    /// More than four decimal places.
    #[error("“{0}”小数位太多，最多保留4位小数")]
    TooPrecise(String),
    /// The number does not fit.
    #[error("“{0}”超出可保存的范围")]
    OutOfRange(String),
    /// Units of different dimensions.
    #[error("不能把{from}换算成{to}")]
    IncompatibleUnits {
        /// Unit converted from.
        from: Unit,
        /// Unit converted to.
        to: Unit,
    },
}

/// An exact amount in a unit; `scaled` holds the value times [`SCALE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// The value times 10,000.
    pub scaled: i64,
    /// The unit the value is expressed in.
    pub unit: Unit,
}

impl Quantity {
    /// Reads a decimal such as `150`, `0.5`, `-3.25` or `2,000` in the given unit.
    pub fn parse(text: &str, unit: Unit) -> Result<Quantity, QuantityError> {
        Ok(Quantity { scaled: parse_scaled(text)?, unit })
    }

    /// The same amount in another unit of the same dimension; refuses inexact results.
    pub fn convert(self, to: Unit) -> Result<Quantity, QuantityError> {
        if self.unit.dimension() != to.dimension() || (self.unit.dimension() == Dimension::Count && self.unit != to) {
            return Err(QuantityError::IncompatibleUnits { from: self.unit, to });
        }
        let base = i128::from(self.scaled) * self.unit.factor();
        if base % to.factor() != 0 {
            return Err(QuantityError::TooPrecise(self.to_string()));
        }
        let scaled = i64::try_from(base / to.factor()).map_err(|_| QuantityError::OutOfRange(self.to_string()))?;
        Ok(Quantity { scaled, unit: to })
    }

    /// The same amount in another unit of the same dimension, rounded half away from zero to
    /// 4 decimals (for totals shown in a larger unit, e.g. tonnes added up into 万吨).
    pub fn convert_rounded(self, to: Unit) -> Result<Quantity, QuantityError> {
        if self.unit.dimension() != to.dimension() || (self.unit.dimension() == Dimension::Count && self.unit != to) {
            return Err(QuantityError::IncompatibleUnits { from: self.unit, to });
        }
        let base = i128::from(self.scaled) * self.unit.factor();
        let (q, r) = (base / to.factor(), base % to.factor());
        let q = if 2 * r.abs() >= to.factor() { q + base.signum() } else { q };
        let scaled = i64::try_from(q).map_err(|_| QuantityError::OutOfRange(self.to_string()))?;
        Ok(Quantity { scaled, unit: to })
    }

    /// The number alone, without trailing zeros (e.g. `150`, `0.5`).
    pub fn number(&self) -> String {
        format_scaled(self.scaled)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", format_scaled(self.scaled), self.unit)
    }
}

/// Parses a decimal text into a value scaled by [`SCALE`].
pub fn parse_scaled(text: &str) -> Result<i64, QuantityError> {
    let raw = text.trim();
    let cleaned: String = raw.chars().filter(|c| *c != ',' && *c != '，').collect();
    let (neg, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if int_part.is_empty() && frac_part.is_empty() || !all_digits(int_part) || !all_digits(frac_part) {
        return Err(QuantityError::NotANumber(raw.to_string()));
    }
    if frac_part.len() > 4 {
        return Err(QuantityError::TooPrecise(raw.to_string()));
    }
    let overflow = || QuantityError::OutOfRange(raw.to_string());
    let int: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| overflow())? };
    let frac: i64 = format!("{frac_part:0<4}").parse().map_err(|_| overflow())?;
    let v = int.checked_mul(SCALE).and_then(|x| x.checked_add(frac)).ok_or_else(overflow)?;
    Ok(if neg { -v } else { v })
}

/// A scaled value as a plain number, for chart points and spreadsheet cells only (never summed again).
pub fn scaled_to_number(scaled: i64) -> f64 {
    scaled as f64 / SCALE as f64
}

/// Formats a scaled value as a plain decimal without trailing zeros.
pub fn format_scaled(scaled: i64) -> String {
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    let int = abs / SCALE.unsigned_abs();
    let frac = abs % SCALE.unsigned_abs();
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:04}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_round_into_larger_units() {
        let t = |text: &str| Quantity::parse(text, Unit::Ton).expect("number");
        assert_eq!(t("12345").convert_rounded(Unit::TenThousandTons).expect("same dimension").number(), "1.2345");
        assert_eq!(t("0.5").convert_rounded(Unit::TenThousandTons).expect("same dimension").number(), "0.0001");
        assert_eq!(t("-0.5").convert_rounded(Unit::TenThousandTons).expect("same dimension").number(), "-0.0001");
        assert_eq!(t("0.4").convert_rounded(Unit::TenThousandTons).expect("same dimension").number(), "0");
        assert!(t("1").convert_rounded(Unit::Yuan).is_err());
    }

    #[test]
    fn parses_and_formats_exactly() {
        for (text, scaled, back) in [
            ("150", 1_500_000, "150"),
            ("0.5", 5_000, "0.5"),
            ("-3.25", -32_500, "-3.25"),
            ("2,000", 20_000_000, "2000"),
            (".75", 7_500, "0.75"),
            ("0.0001", 1, "0.0001"),
        ] {
            assert_eq!(parse_scaled(text), Ok(scaled), "{text}");
            assert_eq!(format_scaled(scaled), back);
        }
    }

    #[test]
    fn refuses_bad_numbers() {
        for text in ["", "abc", "3.5万吨", "1.23456", "1e5", "--1", "."] {
            assert!(parse_scaled(text).is_err(), "{text}");
        }
        assert!(matches!(parse_scaled("99999999999999999"), Err(QuantityError::OutOfRange(_))));
    }

    #[test]
    fn converts_within_dimension_only() {
        let q = Quantity::parse("1.5", Unit::TenThousandTons).expect("parse");
        assert_eq!(q.convert(Unit::Ton).map(|x| x.to_string()), Ok("15000吨".to_string()));
        let y = Quantity::parse("2000", Unit::HundredMillionYuan).expect("parse");
        assert_eq!(y.convert(Unit::TenThousandYuan).map(|x| x.number()), Ok("20000000".to_string()));
        assert!(q.convert(Unit::Yuan).is_err());
        assert!(Quantity::parse("3", Unit::Times).expect("parse").convert(Unit::Enterprises).is_err());
        let tiny = Quantity::parse("0.0001", Unit::Ton).expect("parse");
        assert!(matches!(tiny.convert(Unit::TenThousandTons), Err(QuantityError::TooPrecise(_))));
    }

    #[test]
    fn unit_symbols_round_trip() {
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.symbol()), Some(u));
        }
        assert_eq!(Unit::parse("％"), Some(Unit::Percent));
        assert_eq!(Unit::parse("公斤"), None);
    }
}
