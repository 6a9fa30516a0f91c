//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character.
//!
//! Layout: position 1 registration authority, 2 organisation category, 3–8 administrative division (digits),
//! 9–17 organisation code, 18 check character. Positions 1, 2 and 9–17 are only checked against the alphabet;
//! the organisation code's own GB 11714 check character is not enforced.

use crate::error::FieldError;
use serde::Serialize;
use std::fmt;

/// The 31 characters a code may use, in check-value order (no I, O, S, V, Z).
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Number of characters in a code.
pub const LEN: usize = 18;

/// Weight of each of the first 17 characters: 3^(i−1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a text is not a unified social credit code; each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Nothing was entered.
    #[error("请填写统一社会信用代码")]
    Empty,
    /// Not 18 characters after normalisation.
    #[error("统一社会信用代码应为18位，现在是{found}位")]
    Length {
        /// Characters found after normalisation.
        found: usize,
    },
    /// A character outside the code alphabet.
    #[error("统一社会信用代码第{position}位“{ch}”不是有效字符（不使用I、O、S、V、Z）")]
    BadChar {
        /// 1-based position in the normalised code.
        position: usize,
        /// The offending character (after normalisation).
        ch: char,
    },
    /// Positions 3–8 are not six digits.
    #[error("统一社会信用代码第3至8位应为6位数字的行政区划码")]
    BadDivision,
    /// The 18th character does not match the computed check character.
    #[error("统一社会信用代码第18位校验码应为“{expected}”，请核对")]
    CheckChar {
        /// The check character the first 17 characters require.
        expected: char,
        /// The check character entered.
        found: char,
    },
}

impl From<CreditCodeError> for FieldError {
    fn from(e: CreditCodeError) -> FieldError {
        FieldError::new("credit_code", e.to_string())
    }
}

/// A well-formed unified social credit code, always stored as its 18 normalised characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CreditCode(String);

impl CreditCode {
    /// Normalises and validates a code, including its check character.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let (code, expected) = parse_structure(input)?;
        match code.chars().last() {
            Some(found) if found != expected => Err(CreditCodeError::CheckChar { expected, found }),
            _ => Ok(CreditCode(code)),
        }
    }

    /// Like [`CreditCode::parse`] but tolerates a wrong check character (audited override for early pilot codes).
    pub fn parse_legacy(input: &str) -> Result<CreditCode, CreditCodeError> {
        parse_structure(input).map(|(code, _)| CreditCode(code))
    }

    /// The 18 normalised characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the 18th character is the computed check character (false only for legacy overrides).
    pub fn check_char_matches(&self) -> bool {
        let first17: String = self.0.chars().take(LEN - 1).collect();
        check_char(&first17) == self.0.chars().last()
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check character for 17 code-alphabet characters (already normalised); `None` for anything else.
pub fn check_char(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17.chars().map(alphabet_index).collect::<Option<_>>()?;
    (values.len() == LEN - 1).then(|| check_from_values(&values))
}

/// The check character for the alphabet values of the first 17 characters.
fn check_from_values(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let value = (31 - sum % 31) % 31;
    char::from(ALPHABET.as_bytes()[value as usize])
}

/// The value of `c` in the check computation, if it belongs to the alphabet.
fn alphabet_index(c: char) -> Option<u32> {
    ALPHABET.chars().position(|a| a == c).and_then(|i| u32::try_from(i).ok())
}

/// Trims, drops spaces and hyphens, folds full-width ASCII to half-width and lower case to upper case.
fn normalise(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Normalises and checks everything except the check character; returns the code and its expected check character.
fn parse_structure(input: &str) -> Result<(String, char), CreditCodeError> {
    let code = normalise(input);
    let found = code.chars().count();
    if found == 0 {
        return Err(CreditCodeError::Empty);
    }
    if found != LEN {
        return Err(CreditCodeError::Length { found });
    }
    let mut values = Vec::with_capacity(LEN);
    for (i, ch) in code.chars().enumerate() {
        values.push(alphabet_index(ch).ok_or(CreditCodeError::BadChar { position: i + 1, ch })?);
    }
    if !code[2..8].bytes().all(|b| b.is_ascii_digit()) {
        return Err(CreditCodeError::BadDivision);
    }
    Ok((code, check_from_values(&values[..LEN - 1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published codes whose check characters agree with the computation.
    const PUBLISHED: [&str; 5] =
        ["91350100M000100Y43", "911000001000013428", "914403001922038216", "91330100716105852F", "91440300708461136T"];

    fn complete(prefix: &str) -> String {
        format!("{prefix}{}", check_char(prefix).expect("valid prefix"))
    }

    fn wrong_last(code: &str) -> String {
        let last = code.chars().last().expect("non-empty");
        let other = ALPHABET.chars().find(|c| *c != last).expect("alphabet has 31 chars");
        format!("{}{other}", &code[..17])
    }

    #[test]
    fn weights_are_powers_of_three() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
        assert_eq!(ALPHABET.chars().count(), 31);
    }

    #[test]
    fn published_codes_are_valid() {
        for code in PUBLISHED {
            assert_eq!(check_char(&code[..17]), code.chars().last(), "{code}");
            assert_eq!(CreditCode::parse(code).map(|c| c.to_string()), Ok(code.to_string()));
        }
        assert_eq!(check_char("91350100M000100Y4"), Some('3'));
    }

    #[test]
    fn table_of_cases() {
        let a = complete("91430681MA4L1234X");
        let b = complete("12100000400012345");
        let c = complete("51110105MJ0012345");
        let y = complete("Y1440300MA5F0000Q");
        let a_lower = a.to_ascii_lowercase();
        let a_full: String = a.chars().map(|ch| char::from_u32(u32::from(ch) + 0xFEE0).expect("full width")).collect();
        let a_spaced = format!("  {} {}-{}\u{3000}", &a[..2], &a[2..8], &a[8..]);
        let a_wrong = wrong_last(&a);
        let expected_a = a.chars().last().expect("non-empty");
        let with_at = |pos: usize, ch: char| -> String {
            a.chars().enumerate().map(|(i, x)| if i + 1 == pos { ch } else { x }).collect()
        };
        let cases: Vec<(String, Result<&str, CreditCodeError>)> = vec![
            (a.clone(), Ok(a.as_str())),
            (b.clone(), Ok(b.as_str())),
            (c.clone(), Ok(c.as_str())),
            (y.clone(), Ok(y.as_str())),
            (a_lower, Ok(a.as_str())),
            (a_full, Ok(a.as_str())),
            (a_spaced, Ok(a.as_str())),
            (
                a_wrong.clone(),
                Err(CreditCodeError::CheckChar { expected: expected_a, found: a_wrong.chars().last().expect("x") }),
            ),
            (with_at(5, 'I'), Err(CreditCodeError::BadChar { position: 5, ch: 'I' })),
            (with_at(1, 'O'), Err(CreditCodeError::BadChar { position: 1, ch: 'O' })),
            (with_at(10, 'S'), Err(CreditCodeError::BadChar { position: 10, ch: 'S' })),
            (with_at(12, 'v'), Err(CreditCodeError::BadChar { position: 12, ch: 'V' })),
            (with_at(18, 'Z'), Err(CreditCodeError::BadChar { position: 18, ch: 'Z' })),
            (with_at(9, '中'), Err(CreditCodeError::BadChar { position: 9, ch: '中' })),
            (a[..17].to_string(), Err(CreditCodeError::Length { found: 17 })),
            (format!("{a}1"), Err(CreditCodeError::Length { found: 19 })),
            (with_at(4, 'A'), Err(CreditCodeError::BadDivision)),
            (with_at(8, 'M'), Err(CreditCodeError::BadDivision)),
            (String::new(), Err(CreditCodeError::Empty)),
            (" - ".to_string(), Err(CreditCodeError::Empty)),
        ];
        assert!(cases.len() >= 12);
        for (input, expected) in cases {
            let got = CreditCode::parse(&input);
            assert_eq!(got.as_ref().map(CreditCode::as_str), expected.as_ref().copied(), "{input:?}");
        }
    }

    #[test]
    fn messages_name_the_problem() {
        let a = complete("91430681MA4L1234X");
        let expected = a.chars().last().expect("non-empty");
        let err = CreditCode::parse(&wrong_last(&a)).expect_err("wrong check char");
        assert_eq!(err.to_string(), format!("统一社会信用代码第18位校验码应为“{expected}”，请核对"));
        let msg = |s: &str| CreditCode::parse(s).expect_err("invalid").to_string();
        assert_eq!(msg(&a[..17]), "统一社会信用代码应为18位，现在是17位");
        assert_eq!(msg("9143IIIIIIIIIIIIII"), "统一社会信用代码第5位“I”不是有效字符（不使用I、O、S、V、Z）");
        assert_eq!(msg("9143A681MA4L1234X0"), "统一社会信用代码第3至8位应为6位数字的行政区划码");
        assert_eq!(msg("   "), "请填写统一社会信用代码");
        let field = FieldError::from(CreditCodeError::Length { found: 19 });
        assert_eq!(field, FieldError::new("credit_code", "统一社会信用代码应为18位，现在是19位"));
    }

    #[test]
    fn check_char_refuses_bad_prefixes() {
        assert_eq!(check_char("91430681MA4L1234"), None);
        assert_eq!(check_char("91430681MA4L1234XX"), None);
        assert_eq!(check_char("91430681MA4L1234I"), None);
        assert_eq!(check_char("91430681ma4l1234x"), None);
        assert_eq!(check_char(""), None);
        assert!(check_char("91430681MA4L1234X").is_some());
    }

    #[test]
    fn legacy_accepts_only_a_wrong_check_char() {
        let a = complete("91430681MA4L1234X");
        let wrong = wrong_last(&a);
        assert!(CreditCode::parse(&wrong).is_err());
        let legacy = CreditCode::parse_legacy(&wrong.to_ascii_lowercase()).expect("legacy override");
        assert_eq!(legacy.as_str(), wrong);
        assert!(!legacy.check_char_matches());
        let good = CreditCode::parse_legacy(&a).expect("valid code");
        assert!(good.check_char_matches());
        assert_eq!(CreditCode::parse_legacy(&a[..17]), Err(CreditCodeError::Length { found: 17 }));
        assert_eq!(CreditCode::parse_legacy(&format!("{a}0")), Err(CreditCodeError::Length { found: 19 }));
        assert_eq!(
            CreditCode::parse_legacy(&format!("{}O", &a[..17])),
            Err(CreditCodeError::BadChar { position: 18, ch: 'O' })
        );
        assert_eq!(CreditCode::parse_legacy("9143A681MA4L1234X0"), Err(CreditCodeError::BadDivision));
        assert_eq!(CreditCode::parse_legacy(""), Err(CreditCodeError::Empty));
    }

    #[test]
    fn every_prefix_has_exactly_one_check_char() {
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| -> usize {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).expect("small")
        };
        for _ in 0..200 {
            let prefix: String = (0..17)
                .map(|i| if (2..8).contains(&i) { alphabet[next(10)] } else { alphabet[next(alphabet.len())] })
                .collect();
            let check = check_char(&prefix).expect("alphabet prefix");
            let code = format!("{prefix}{check}");
            assert_eq!(CreditCode::parse(&code).map(|c| c.to_string()), Ok(code.clone()));
            for other in alphabet.iter().copied().filter(|c| *c != check) {
                let bad = format!("{prefix}{other}");
                assert_eq!(
                    CreditCode::parse(&bad),
                    Err(CreditCodeError::CheckChar { expected: check, found: other }),
                    "{bad}"
                );
                assert!(CreditCode::parse_legacy(&bad).is_ok(), "{bad}");
            }
        }
    }
}
