//! Money as a type: an exact integer count of 分 (fen, 0.01 元). No floats anywhere.
//!
//! Amounts are read from user text in a chosen unit (元, 万元, 亿元), added with checked
//! arithmetic, converted to and from [`Quantity`], stored as integer 分 in columns named `*_fen`,
//! and shown by rule in the unit that suits their size.

use crate::quantity::{Quantity, SCALE, Unit};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Number of 分 in one 元; [`Money`] stores 分.
pub const FEN_PER_YUAN: i64 = 100;

/// Number of 分 in one 万元.
const FEN_PER_WAN: i64 = 10_000 * FEN_PER_YUAN;

/// Number of 分 in one 亿元.
const FEN_PER_YI: i64 = 100_000_000 * FEN_PER_YUAN;

/// Decimals shown by [`Money::format_in`] and [`Money::display`].
const DISPLAY_DECIMALS: u32 = 2;

/// The unit a money amount is typed in or shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    /// 元
    Yuan,
    /// 万元
    Wan,
    /// 亿元
    Yi,
}

impl MoneyUnit {
    /// Every unit, smallest first.
    pub const ALL: [MoneyUnit; 3] = [MoneyUnit::Yuan, MoneyUnit::Wan, MoneyUnit::Yi];

    /// The unit's Chinese symbol, appended to amounts (元, 万元, 亿元).
    pub fn symbol(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }

    /// The bracketed suffix for a field label, as in “总投资（万元）”.
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "（元）",
            MoneyUnit::Wan => "（万元）",
            MoneyUnit::Yi => "（亿元）",
        }
    }

    /// How many 分 one of this unit is.
    pub fn fen_per_unit(self) -> i64 {
        match self {
            MoneyUnit::Yuan => FEN_PER_YUAN,
            MoneyUnit::Wan => FEN_PER_WAN,
            MoneyUnit::Yi => FEN_PER_YI,
        }
    }

    /// Decimals that still fit whole 分 in this unit (元 2, 万元 6, 亿元 10).
    pub fn decimals(self) -> u32 {
        match self {
            MoneyUnit::Yuan => 2,
            MoneyUnit::Wan => 6,
            MoneyUnit::Yi => 10,
        }
    }

    /// The matching [`Unit`] of the quantity module.
    pub fn quantity_unit(self) -> Unit {
        match self {
            MoneyUnit::Yuan => Unit::Yuan,
            MoneyUnit::Wan => Unit::TenThousandYuan,
            MoneyUnit::Yi => Unit::HundredMillionYuan,
        }
    }

    /// The money unit for a quantity [`Unit`]; `None` for units that are not money.
    pub fn from_quantity_unit(unit: Unit) -> Option<MoneyUnit> {
        MoneyUnit::ALL.into_iter().find(|u| u.quantity_unit() == unit)
    }
}

impl fmt::Display for MoneyUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Why a text is not an amount of money; each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing was entered.
    #[error("请填写金额")]
    Empty,
    /// The text is not a plain decimal number.
    #[error("请输入数字")]
    NotANumber,
    /// A minus sign was entered.
    #[error("金额不能为负数")]
    Negative,
    /// More decimals than whole 分 allow in the unit.
    #[error("金额以{}为单位时最多保留{}位小数", .unit.symbol(), .unit.decimals())]
    TooPrecise {
        /// The unit the amount was typed in.
        unit: MoneyUnit,
    },
    /// The amount does not fit.
    #[error("金额过大")]
    TooLarge,
}

impl MoneyError {
    /// The message prefixed with the field's label, e.g. “总投资：请输入数字”.
    pub fn for_field(self, label: &str) -> String {
        format!("{label}：{self}")
    }
}

/// An exact amount of money in 分 (fen, 0.01 元; see [`FEN_PER_YUAN`]); serialised as that integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    /// No money.
    pub const ZERO: Money = Money(0);

    /// An amount of `fen` 分.
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// The amount in 分.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whole 元; `None` on overflow.
    pub fn from_yuan(yuan: i64) -> Option<Money> {
        yuan.checked_mul(FEN_PER_YUAN).map(Money)
    }

    /// Whole 万元; `None` on overflow.
    pub fn from_wan(wan: i64) -> Option<Money> {
        wan.checked_mul(FEN_PER_WAN).map(Money)
    }

    /// Whole 亿元; `None` on overflow.
    pub fn from_yi(yi: i64) -> Option<Money> {
        yi.checked_mul(FEN_PER_YI).map(Money)
    }

    /// This amount as a share of `whole` (0 when `whole` is zero), for scores and percentages only, never
    /// for an amount.
    pub fn share_of(self, whole: Money) -> f64 {
        if whole.0 == 0 { 0.0 } else { self.0 as f64 / whole.0 as f64 }
    }

    /// The amount of a 元/万元/亿元 quantity; `None` for other units, below-分 remainders (e.g. 0.001元) or overflow.
    pub fn from_quantity(quantity: &Quantity) -> Option<Money> {
        let unit = MoneyUnit::from_quantity_unit(quantity.unit)?;
        let fen = i128::from(quantity.scaled) * i128::from(unit.fen_per_unit());
        let scale = i128::from(SCALE);
        if fen % scale != 0 {
            return None;
        }
        i64::try_from(fen / scale).ok().map(Money)
    }

    /// The amount as a quantity in a money `unit` (4 decimals), rounded half away from zero where it does
    /// not fit: exact in 元, to the nearest 元 in 万元, to the nearest 万元 in 亿元; `None` for other units
    /// or overflow.
    pub fn to_quantity(self, unit: Unit) -> Option<Quantity> {
        let money_unit = MoneyUnit::from_quantity_unit(unit)?;
        let scaled = round_div(i128::from(self.0) * i128::from(SCALE), i128::from(money_unit.fen_per_unit()));
        i64::try_from(scaled).ok().map(|scaled| Quantity { scaled, unit })
    }

    /// The sum of two amounts; `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The difference of two amounts; `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// The sum of all amounts (zero when empty); `None` on overflow. Used instead of [`std::iter::Sum`].
    pub fn checked_sum<I: IntoIterator<Item = Money>>(amounts: I) -> Option<Money> {
        amounts.into_iter().try_fold(Money::ZERO, Money::checked_add)
    }

    /// The sum of all amounts (zero when empty), capped at the largest storable amount (about 9.2×10¹⁶元).
    pub fn total<I: IntoIterator<Item = Money>>(amounts: I) -> Money {
        amounts.into_iter().fold(Money::ZERO, |a, b| Money(a.0.saturating_add(b.0)))
    }

    /// The amount as a plain number in `unit`, for spreadsheet cells and chart points only (never summed again).
    pub fn number_in(self, unit: MoneyUnit) -> f64 {
        self.0 as f64 / unit.fen_per_unit() as f64
    }

    /// Reads a non-negative amount typed in `unit`: `1234`, `1,234.56`, full-width digits and
    /// punctuation, surrounding spaces; refuses decimals finer than 1 分 (trailing zeros are allowed).
    pub fn parse(text: &str, unit: MoneyUnit) -> Result<Money, MoneyError> {
        let folded: String = text.trim().chars().map(fold_full_width).collect();
        if folded.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, digits) = match folded.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, folded.as_str()),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        let int_digits: String = int_part.chars().filter(|c| *c != ',').collect();
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_digits.is_empty() && frac_part.is_empty() || !all_digits(&int_digits) || !all_digits(frac_part) {
            return Err(MoneyError::NotANumber);
        }
        if negative {
            return Err(MoneyError::Negative);
        }
        let frac_part = frac_part.trim_end_matches('0');
        let decimals = unit.decimals();
        let frac_len = u32::try_from(frac_part.len()).map_err(|_| MoneyError::TooPrecise { unit })?;
        if frac_len > decimals {
            return Err(MoneyError::TooPrecise { unit });
        }
        let int_digits = int_digits.trim_start_matches('0');
        if int_digits.len() > 20 {
            return Err(MoneyError::TooLarge);
        }
        let int: i128 = if int_digits.is_empty() { 0 } else { int_digits.parse().map_err(|_| MoneyError::TooLarge)? };
        let frac: i128 =
            if frac_part.is_empty() { 0 } else { frac_part.parse().map_err(|_| MoneyError::NotANumber)? };
        let fen = int * i128::from(unit.fen_per_unit()) + frac * 10i128.pow(decimals - frac_len);
        i64::try_from(fen).map(Money).map_err(|_| MoneyError::TooLarge)
    }

    /// The exact number in `unit` with every significant decimal and no trailing zeros (e.g. `123.456789`).
    pub fn format_exact_in(self, unit: MoneyUnit) -> String {
        format_decimal(i128::from(self.0), i128::from(unit.fen_per_unit()), unit.decimals())
    }

    /// The number in `unit`, rounded half away from zero to at most 2 decimals, trailing zeros trimmed,
    /// no thousands separators (1234567.89 元 in 万元 is `123.46`).
    pub fn format_in(self, unit: MoneyUnit) -> String {
        let step = i128::from(unit.fen_per_unit()) / 10i128.pow(DISPLAY_DECIMALS);
        let rounded = round_div(i128::from(self.0), step);
        format_decimal(rounded, 10i128.pow(DISPLAY_DECIMALS), DISPLAY_DECIMALS)
    }

    /// The unit [`Money::display`] uses: 元 below 1万元, 万元 below 1亿元 (after rounding), else 亿元.
    pub fn display_unit(self) -> MoneyUnit {
        let abs = i128::from(self.0).abs();
        if abs < i128::from(FEN_PER_WAN) {
            return MoneyUnit::Yuan;
        }
        let step = i128::from(FEN_PER_WAN) / 10i128.pow(DISPLAY_DECIMALS);
        let hundredths_of_wan = round_div(abs, step);
        if hundredths_of_wan < i128::from(FEN_PER_YI) / step { MoneyUnit::Wan } else { MoneyUnit::Yi }
    }

    /// The amount with its unit chosen by size, e.g. `9999.5元`, `123.46万元`, `12.35亿元`, `0元`.
    pub fn display(self) -> String {
        let unit = self.display_unit();
        format!("{}{}", self.format_in(unit), unit.symbol())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// A form field of money typed in `unit`: empty is `None`; a wrong entry names the field and its unit,
/// e.g. “计划投资（万元）：请输入数字”.
pub fn optional_field(
    field: &str,
    label: &str,
    text: &str,
    unit: MoneyUnit,
) -> Result<Option<Money>, crate::error::FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Money::parse(text, unit)
        .map(Some)
        .map_err(|e| crate::error::FieldError::new(field, e.for_field(&format!("{label}{}", unit.label()))))
}

/// A table cell whose header names `unit`: the amount in `unit` (see [`Money::format_in`]), or — when none.
pub fn cell(amount: Option<Money>, unit: MoneyUnit) -> String {
    amount.map_or_else(|| "—".into(), |m| m.format_in(unit))
}

/// The amount in `unit` followed by the unit (e.g. `12.5万元`), or — when none.
pub fn shown(amount: Option<Money>, unit: MoneyUnit) -> String {
    amount.map_or_else(|| "—".into(), |m| format!("{}{}", m.format_in(unit), unit.symbol()))
}

/// Folds full-width digits, period, comma and minus (U+FF01–U+FF5E) to ASCII.
fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// `n / d` rounded half away from zero (`d > 0`).
fn round_div(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// `n / per` as a decimal with up to `decimals` places (`per` = 10^decimals), trailing zeros trimmed.
fn format_decimal(n: i128, per: i128, decimals: u32) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    let per = per.unsigned_abs();
    let (int, frac) = (abs / per, abs % per);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let width = usize::try_from(decimals).unwrap_or(0);
    let frac = format!("{frac:0width$}");
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests;
