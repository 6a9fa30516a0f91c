//! Password policy (等保 2.0 三级 defaults): length and character classes.

use crate::error::FieldError;

/// Minimum length of a password in characters.
pub const MIN_LEN: usize = 8;

/// Checks a new password: at least 8 characters from at least 3 of the 4 classes.
pub fn check_strength(password: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(FieldError::new("password", format!("密码至少{MIN_LEN}位，现在只有{n}位")));
    }
    if n > 128 {
        return Err(FieldError::new("password", "密码最多128位"));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err(FieldError::new("password", "密码须包含小写字母、大写字母、数字、符号中的至少三类"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        for (pw, ok) in [
            ("short1A", false),
            ("alllowercase", false),
            ("lower123", false),
            ("Lower123", true),
            ("lower12#", true),
            ("LOWER#$%a", true),
            ("链长通链长通链长通", false),
            ("链长通链长通1a", true),
        ] {
            assert_eq!(check_strength(pw).is_ok(), ok, "{pw}");
        }
    }
}
