//! Assessment of chain offices [O4]: a scheme of items with weights summing to 100, each scored
//! by a rule over the data (a ratio times the weight) or by hand with evidence; totals and rank.

use serde::Deserialize;

/// The rules an item may use.
pub const RULES: [(&str, &str); 4] = [
    ("indicator_attainment", "目标指标平均完成度"),
    ("problems_on_time", "到期问题办结比例"),
    ("tasks_on_time", "任务未逾期比例"),
    ("manual", "按佐证人工评分"),
];

/// An item of the scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Weight (points).
    pub weight: i64,
    /// Rule code.
    pub rule: String,
}

/// A scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Items.
    pub items: Vec<Item>,
}

/// Reads a scheme; the weights must sum to 100 and every rule must be known.
pub fn parse(text: &str) -> Result<Scheme, String> {
    let s: Scheme = toml::from_str(text).map_err(|e| format!("考核方案有误：{}", e.message()))?;
    if s.items.is_empty() {
        return Err("考核方案没有考核项".into());
    }
    for i in &s.items {
        if !RULES.iter().any(|(r, _)| *r == i.rule) {
            return Err(format!("考核项“{}”的计分规则“{}”无法识别", i.name, i.rule));
        }
        if i.weight <= 0 {
            return Err(format!("考核项“{}”的权重应大于0", i.name));
        }
    }
    let sum: i64 = s.items.iter().map(|i| i.weight).sum();
    if sum != 100 {
        return Err(format!("考核项的权重之和须为100（现为{sum}）"));
    }
    Ok(s)
}

/// An item's score ×100 from a ratio given as (numerator, denominator): the ratio (capped at 1)
/// times the weight; nothing to judge (denominator 0) scores the full weight.
pub fn ratio_score(weight: i64, num: i64, den: i64) -> i64 {
    if den <= 0 {
        return weight * 100;
    }
    (num.clamp(0, den) * weight * 100) / den
}

/// Checks a hand-entered score ×100 against the item's weight; evidence is required.
pub fn check_manual(item: &Item, score: i64, evidence: &str) -> Result<(), String> {
    if evidence.trim().is_empty() {
        return Err(format!("“{}”须写明评分依据（佐证材料）", item.name));
    }
    if !(0..=item.weight * 100).contains(&score) {
        return Err(format!("“{}”的得分应在0到{}之间", item.name, item.weight));
    }
    Ok(())
}

/// Ranks totals (id, total ×100): highest first, ties share a rank.
pub fn rank(totals: &[(String, i64)]) -> Vec<(String, i64, usize)> {
    let mut sorted: Vec<(String, i64)> = totals.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(String, i64, usize)> = Vec::new();
    for (i, (id, t)) in sorted.into_iter().enumerate() {
        let rank = match out.last() {
            Some((_, prev, r)) if *prev == t => *r,
            _ => i + 1,
        };
        out.push((id, t, rank));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../plans/assessment-scheme.toml");

    #[test]
    fn the_shipped_scheme_sums_to_100_and_bad_ones_are_refused() {
        let s = parse(SHIPPED).expect("valid");
        assert_eq!(s.items.iter().map(|i| i.weight).sum::<i64>(), 100);
        let bad = SHIPPED.replace("weight = 40", "weight = 45");
        assert!(parse(&bad).is_err_and(|e| e.contains("105")));
        let rule = SHIPPED.replace("rule = \"manual\"", "rule = \"guess\"");
        assert!(parse(&rule).is_err_and(|e| e.contains("guess")));
    }

    #[test]
    fn scores_follow_the_rules() {
        assert_eq!(ratio_score(40, 3, 4), 3000, "75% of 40 points");
        assert_eq!(ratio_score(20, 5, 4), 2000, "capped at the weight");
        assert_eq!(ratio_score(20, 0, 0), 2000, "nothing due scores full");
        let item = Item { code: "p".into(), name: "工作创新".into(), weight: 20, rule: "manual".into() };
        assert!(check_manual(&item, 1500, "").is_err_and(|e| e.contains("佐证")));
        assert!(check_manual(&item, 2100, "专报一篇").is_err());
        assert!(check_manual(&item, 1500, "专报一篇").is_ok());
        let r = rank(&[("a".into(), 8000), ("b".into(), 9000), ("c".into(), 8000)]);
        assert_eq!(r, vec![("b".into(), 9000, 1), ("a".into(), 8000, 2), ("c".into(), 8000, 2)]);
    }
}
