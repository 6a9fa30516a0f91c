//! Password policy (等保 2.0 三级): at least 10 characters of 3 of the 4 classes, not containing
//! the login name, not a common password (a list shipped with the program) dressed up.

use crate::error::FieldError;

/// Minimum length of a password in characters.
pub const MIN_LEN: usize = 10;

/// How many earlier passwords a new one may not repeat.
pub const HISTORY: usize = 5;

/// Passwords and stems too common to allow, one per line, `#` lines are comments.
const COMMON: &str = include_str!("../data/common_passwords.txt");

/// Checks a new password for the account `username`.
pub fn check(password: &str, username: &str) -> Result<(), FieldError> {
    let refuse = |m: String| Err(FieldError::new("password", m));
    let n = password.chars().count();
    if n < MIN_LEN {
        return refuse(format!("密码至少{MIN_LEN}位，现在只有{n}位"));
    }
    if n > 128 {
        return refuse("密码最多128位".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return refuse("密码须包含小写字母、大写字母、数字、符号中的至少三类".into());
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    if name.chars().count() >= 3 && lower.contains(&name) {
        return refuse("密码不能包含用户名".into());
    }
    if is_common(&lower) {
        return refuse("密码过于常见（如 Password@123、Admin123!），请换一个不易猜到的密码".into());
    }
    Ok(())
}

/// Whether a lower-cased password is a common one, or a common stem with digits and symbols
/// around it or letters swapped for look-alikes.
fn is_common(lower: &str) -> bool {
    let listed = |s: &str| s.chars().count() >= 3 && common().contains(&s);
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let letters: String = unswap(lower).chars().filter(|c| c.is_alphabetic()).collect();
    listed(lower) || listed(&unswap(lower)) || listed(&unswap(core)) || listed(&letters)
}

/// Undoes the usual look-alike swaps (p@ssw0rd → password).
fn unswap(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            other => other,
        })
        .collect()
}

fn common() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        for (pw, ok) in [
            ("short1A#x", false),
            ("alllowercaseletters", false),
            ("lower12345678", false),
            ("Lower-Case-77", true),
            ("lower12#xyz", true),
            ("LOWER#$%abc", true),
            ("链长通链长通链长通链长通", false),
            ("链长通链长通链长1a", true),
            ("Password@2026", false),
            ("P@ssw0rd2026!", false),
            ("Admin@12345", false),
            ("Qwerty!23456", false),
            ("1qaz@WSX3edc", false),
            ("Woaini1314!!", false),
            ("Test-Pass-2026", true),
        ] {
            assert_eq!(check(pw, "someone").is_ok(), ok, "{pw}");
        }
    }

    #[test]
    fn a_password_may_not_contain_the_login_name() {
        assert!(check("Xk9#zhangsan-1", "zhangsan").is_err());
        assert!(check("Xk9#ZhangSan-1", "zhangsan").is_err());
        assert!(check("Xk9#lisi-and-1", "zhangsan").is_ok());
    }

    #[test]
    fn every_listed_word_is_refused_however_dressed() {
        for word in common().iter().filter(|w| w.chars().all(|c| c.is_ascii_lowercase())) {
            let dressed = format!("{}{}@2026", word[..1].to_uppercase(), &word[1..]);
            let dressed = if dressed.chars().count() < MIN_LEN { format!("{dressed}#12345") } else { dressed };
            assert!(check(&dressed, "someone").is_err(), "{dressed}");
        }
    }
}
