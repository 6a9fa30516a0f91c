//! Validation of free text entered by users: trimmed, bounded, never empty when required.

use crate::error::FieldError;

/// Checks a required text field: trims it and bounds its length in characters.
pub fn required(field: &'static str, label: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, format!("请填写{label}")));
    }
    bounded(field, label, v, max_chars)
}

/// Checks an optional text field: trims it and bounds its length in characters.
pub fn optional(field: &'static str, label: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    bounded(field, label, value.trim(), max_chars)
}

/// Checks a login name: 2–32 of a-z, 0-9, `.`, `_`, `-`.
pub fn username(name: &str) -> Result<String, FieldError> {
    let n = name.trim();
    let ok = (2..=32).contains(&n.len())
        && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(n.to_string())
    } else {
        Err(FieldError::new("username", "用户名须为2到32位小写字母、数字或 . _ -"))
    }
}

fn bounded(field: &'static str, label: &str, v: &str, max_chars: usize) -> Result<String, FieldError> {
    let n = v.chars().count();
    if n > max_chars {
        return Err(FieldError::new(field, format!("{label}最多{max_chars}个字，现在是{n}个字")));
    }
    if hidden_char(v).is_some() {
        return Err(FieldError::new(field, format!("{label}含有不可见的控制字符，请删除后再保存")));
    }
    Ok(v.to_string())
}

/// The first character a text must not hide: a control character other than a line break or a
/// tab (NUL among them), or a bidirectional embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069), which can make a name read as another.
pub fn hidden_char(text: &str) -> Option<char> {
    text.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || ('\u{202A}'..='\u{202E}').contains(c)
            || ('\u{2066}'..='\u{2069}').contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_found() {
        assert_eq!(hidden_char("甲\0乙"), Some('\0'));
        assert_eq!(hidden_char("admin\u{202E}nimda"), Some('\u{202E}'));
        assert_eq!(hidden_char("\u{2066}甲"), Some('\u{2066}'));
        assert_eq!(hidden_char("第一行\n第二行\t制表"), None);
        assert!(required("name", "名称", "示范\u{202E}企业", 40).is_err());
    }

    #[test]
    fn required_rejects_blank_and_long() {
        assert!(required("name", "名称", "  ", 10).is_err());
        assert!(required("name", "名称", "一二三四五六七八九十一", 10).is_err());
        assert_eq!(required("name", "名称", " 铜 ", 10).ok().as_deref(), Some("铜"));
        let e = required("name", "名称", "", 10).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("请填写名称"));
    }

    #[test]
    fn usernames() {
        for (name, ok) in [
            ("chain1", true),
            ("unit-gxq", true),
            ("zhang.san", true),
            ("Bad_Name", false),
            ("a", false),
            ("张三", false),
        ] {
            assert_eq!(username(name).is_ok(), ok, "{name}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(optional("d", "说明", "a\u{0}b", 10).is_err());
        assert!(optional("d", "说明", "第一行\n第二行", 10).is_ok());
    }
}
