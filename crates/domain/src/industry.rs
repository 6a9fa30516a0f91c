//! The GB/T 4754-2017 classes (国民经济行业分类小类) that chain nodes may name, as data.

use serde::Deserialize;

/// One 4-digit class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    /// Four digits.
    pub code: String,
    /// Name in the standard.
    pub name: String,
    /// Two-digit division.
    pub division: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    classes: Vec<Class>,
}

/// The GB/T 4754-2017 classes shipped with the product (plans/gbt4754-2017-classes.toml).
pub fn shipped() -> &'static [Class] {
    static CLASSES: std::sync::OnceLock<Vec<Class>> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| parse(include_str!("../../../plans/gbt4754-2017-classes.toml")).unwrap_or_default())
}

/// The classes of a classes file (see plans/gbt4754-2017-classes.toml).
pub fn parse(src: &str) -> Result<Vec<Class>, String> {
    let f: File = toml::from_str(src).map_err(|e| format!("行业分类文件有误：{}", e.message()))?;
    Ok(f.classes)
}

/// Checks codes typed for a node: each must be a class of the list; returns them in order.
pub fn check_codes(text: &str, classes: &[Class]) -> Result<Vec<String>, String> {
    let codes = crate::chain_map::parse_industry_codes(text)?;
    match codes.iter().find(|c| !classes.iter().any(|k| &k.code == *c)) {
        Some(bad) => Err(format!("行业代码“{bad}”不是 GB/T 4754-2017 中收录的小类，请核对")),
        None => Ok(codes),
    }
}

/// "3211 铜冶炼" for a code, or the code alone when unknown.
pub fn describe(code: &str, classes: &[Class]) -> String {
    match classes.iter().find(|k| k.code == code) {
        Some(k) => format!("{} {}", k.code, k.name),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_classes_check_codes() {
        let classes = parse(include_str!("../../../plans/gbt4754-2017-classes.toml")).expect("valid file");
        assert_eq!(classes.len(), 1381, "every class of every division");
        assert_eq!(classes.iter().map(|c| c.division.as_str()).collect::<std::collections::BTreeSet<_>>().len(), 97);
        assert_eq!(check_codes("1019、2231", &classes), Ok(vec!["1019".to_string(), "2231".to_string()]));
        assert!(classes.iter().all(|c| c.code.len() == 4 && c.code.starts_with(&c.division)));
        assert_eq!(check_codes("3211、3982", &classes), Ok(vec!["3211".to_string(), "3982".to_string()]));
        assert!(check_codes("3211、9999", &classes).unwrap_err().contains("9999"));
        assert_eq!(describe("3211", &classes), "3211 铜冶炼");
    }
}
