//! Recommending investment targets (招商目标) for a gap node of a chain map [I2]: a blank (空白) or
//! weak (薄弱) node gets the external targets ranked by a documented, deterministic score whose
//! weights are data (`plans/recommendation-weights.toml`), and every point comes with a Chinese reason.
//!
//! The score is the sum of these parts (a part worth 0 points is not shown, except the node fit):
//! - node fit: `node_listed` if the target is recorded as able to fill the node, otherwise
//!   `node_related` if a product matches (equal, or one containing the other, both at least two
//!   characters) or a GB/T 4754 four-digit class is shared; a target with no fit is left out;
//! - category: the points of its best category only (unknown labels count nothing);
//! - 以商招商: `tie_each` per distinct local customer or supplier, at most `ties_max` of them;
//! - 配套式招商: `follows_oem` once if it supplies an OEM the chain serves or that is on the chain;
//! - `given_up_penalty` subtracted if its status is `given_up`.
//!
//! Signed targets (`signed`) and targets scoring 0 or less are left out. Order: score (high first),
//! then name, then id, both by Unicode code point, so the same input always gives the same list.

use crate::project::TargetStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Weights of the score (plans/recommendation-weights.toml).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Points when the target is recorded as able to fill this very node.
    pub node_listed: i64,
    /// Points when the target makes one of the node's products or shares one of its GB/T 4754 industry classes (only if not node_listed).
    pub node_related: i64,
    /// Points by category label (全球行业领军, 世界500强, 中国500强, 中国民营500强, 上市公司, 外资企业); the best category counts, not the sum.
    pub categories: BTreeMap<String, i64>,
    /// Points per local enterprise that is a customer or supplier of the target (以商招商), up to `ties_max` of them.
    pub tie_each: i64,
    /// Most ties counted.
    pub ties_max: i64,
    /// Points when the target supplies an OEM (主机企业) that the chain serves or that is on the chain (配套式招商, following an OEM).
    pub follows_oem: i64,
    /// Points taken off when the target has been marked 放弃 (given up), written as a positive number.
    pub given_up_penalty: i64,
}

/// Highest points any single weight may give.
const MAX_POINTS: i64 = 100;
/// Highest `ties_max`.
const MAX_TIES: i64 = 10;

/// Parses the weights file; errors in Chinese naming the key.
pub fn parse_weights(text: &str) -> Result<Weights, String> {
    let w: Weights = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let points = [
        ("node_listed", w.node_listed),
        ("node_related", w.node_related),
        ("tie_each", w.tie_each),
        ("follows_oem", w.follows_oem),
        ("given_up_penalty", w.given_up_penalty),
    ];
    for (key, value) in points {
        in_range(key, value, MAX_POINTS)?;
    }
    in_range("ties_max", w.ties_max, MAX_TIES)?;
    if w.categories.is_empty() {
        return Err("推荐权重文件中 categories 至少应有一个企业类别".into());
    }
    for (label, value) in &w.categories {
        if label.trim().is_empty() || label.trim() != label {
            return Err(format!("推荐权重文件中 categories 的类别名“{label}”不能为空，也不能首尾带空格"));
        }
        in_range(&format!("categories.\"{label}\""), *value, MAX_POINTS)?;
    }
    Ok(w)
}

/// Checks that a value lies in 0..=max.
fn in_range(key: &str, value: i64, max: i64) -> Result<(), String> {
    if (0..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!("推荐权重文件中 {key} = {value} 超出范围（应为 0 至 {max} 的整数）"))
    }
}

/// Turns a TOML error into Chinese, naming the key where it can be found.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let msg = e.message().trim();
    if let Some(key) = between(msg, "unknown field `", "`") {
        return format!("推荐权重文件中有未知的键“{key}”（不允许多写或写错键名）");
    }
    if let Some(key) = between(msg, "missing field `", "`") {
        return format!("推荐权重文件缺少键“{key}”");
    }
    let at = e.span().and_then(|s| text.get(..s.start)).map(|before| {
        let line_no = before.matches('\n').count() + 1;
        let line = text.lines().nth(line_no - 1).unwrap_or_default();
        match line.split_once('=') {
            Some((key, _)) if !key.trim().is_empty() => format!("第{line_no}行（{}）", key.trim()),
            _ => format!("第{line_no}行"),
        }
    });
    let what = if msg.contains("expected i64") { "应为整数" } else { "格式有误" };
    format!("推荐权重文件{}{what}（{msg}）", at.unwrap_or_default())
}

/// The text between `start` and the next `end` in `s`, when `s` contains `start`.
fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The gap node being filled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// Id of the node.
    pub node_id: String,
    /// Name of the node, as shown in reasons.
    pub node_name: String,
    /// Products of the node.
    pub products: Vec<String>,
    /// GB/T 4754 class codes of the node.
    pub industry_codes: Vec<String>,
}

/// A candidate target with what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Id of the target.
    pub id: String,
    /// Name of the target, as shown in the list.
    pub name: String,
    /// Category labels (as in Weights.categories).
    pub categories: Vec<String>,
    /// Nodes (ids) it is recorded as able to fill.
    pub node_ids: Vec<String>,
    /// Its products.
    pub products: Vec<String>,
    /// Its GB/T 4754 class codes.
    pub industry_codes: Vec<String>,
    /// Names of local enterprises that buy from or sell to it.
    pub local_ties: Vec<String>,
    /// Names of OEMs it supplies that the chain serves / that are on the chain.
    pub oems_followed: Vec<String>,
    /// Where it stands.
    pub status: TargetStatus,
}

/// One part of a score with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Points of this part (negative for a penalty).
    pub points: i64,
    /// Why, as a Chinese sentence ending with the signed points.
    pub reason: String,
}

/// A ranked candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// Position in the list, from 1 (equal scores get consecutive positions, ordered by name then id).
    pub rank: usize,
    /// Id of the target.
    pub id: String,
    /// Name of the target.
    pub name: String,
    /// Sum of the points of the parts.
    pub score: i64,
    /// The parts of the score, in the order of the rules.
    pub parts: Vec<Part>,
}

/// Ranks the candidates for a gap: highest score first, ties by name (then id); candidates scoring 0 or less, or with no node fit at all (neither listed nor related) are left out; signed targets are left out (already won).
pub fn rank(gap: &Gap, candidates: &[Candidate], w: &Weights) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates.iter().filter_map(|c| score(gap, c, w)).collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)).then_with(|| a.id.cmp(&b.id)));
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}

/// Scores one candidate; `None` when it is left out.
fn score(gap: &Gap, c: &Candidate, w: &Weights) -> Option<Ranked> {
    if c.status == TargetStatus::Signed {
        return None;
    }
    let node = gap.node_name.trim();
    let mut parts = Vec::new();
    if c.node_ids.iter().any(|n| n.trim() == gap.node_id.trim()) {
        parts.push(part(w.node_listed, format!("可填补本环节“{node}”（已登记）")));
    } else {
        parts.push(part(w.node_related, related(gap, c)?));
    }
    let mut push = |points: i64, sentence: String| {
        if points != 0 {
            parts.push(part(points, sentence));
        }
    };
    if let Some((points, sentence)) = category(c, w) {
        push(points, sentence);
    }
    let ties = distinct(&c.local_ties);
    if !ties.is_empty() {
        let counted = ties.len().min(usize::try_from(w.ties_max).unwrap_or(0));
        let points = w.tie_each.saturating_mul(i64::try_from(counted).unwrap_or(i64::MAX));
        let note = if counted < ties.len() { format!("，最多计{counted}家") } else { String::new() };
        push(points, format!("本地企业{}是其客户或供应商（以商招商{note}）", ties.join("、")));
    }
    let oems = distinct(&c.oems_followed);
    if !oems.is_empty() {
        push(w.follows_oem, format!("为本链主机企业{}配套（配套式招商）", oems.join("、")));
    }
    if c.status == TargetStatus::GivenUp {
        push(w.given_up_penalty.saturating_neg(), "已标记放弃".into());
    }
    let score = parts.iter().fold(0_i64, |sum, p| sum.saturating_add(p.points));
    (score > 0).then(|| Ranked { rank: 0, id: c.id.clone(), name: c.name.clone(), score, parts })
}

/// The reason a target not listed on the node still relates to it; `None` when it does not.
fn related(gap: &Gap, c: &Candidate) -> Option<String> {
    let ours: Vec<&str> = distinct(&gap.products).into_iter().filter(|p| p.chars().count() >= 2).collect();
    let mut same = Vec::new();
    let mut near_theirs = Vec::new();
    let mut near_ours = Vec::new();
    for theirs in distinct(&c.products).into_iter().filter(|p| p.chars().count() >= 2) {
        if ours.contains(&theirs) {
            same.push(theirs);
            continue;
        }
        let close: Vec<&str> = ours.iter().copied().filter(|o| o.contains(theirs) || theirs.contains(o)).collect();
        if !close.is_empty() {
            near_theirs.push(theirs);
            for o in close {
                if !near_ours.contains(&o) {
                    near_ours.push(o);
                }
            }
        }
    }
    let gap_codes = distinct(&gap.industry_codes);
    let codes: Vec<&str> = distinct(&c.industry_codes)
        .into_iter()
        .filter(|k| k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()) && gap_codes.contains(k))
        .collect();
    let mut clauses = Vec::new();
    if !same.is_empty() {
        clauses.push(format!("主要产品{}与本环节产品相同", quoted(&same)));
    }
    if !near_theirs.is_empty() {
        clauses.push(format!("产品{}与本环节产品{}相近", quoted(&near_theirs), quoted(&near_ours)));
    }
    if !codes.is_empty() {
        clauses.push(format!("同属国民经济行业小类{}", codes.join("、")));
    }
    if clauses.is_empty() {
        return None;
    }
    Some(format!("与本环节“{}”相关：{}", gap.node_name.trim(), clauses.join("；")))
}

/// Points and sentence of the best category of a target, naming the others that do not count.
fn category(c: &Candidate, w: &Weights) -> Option<(i64, String)> {
    let mut known: Vec<(&str, i64)> =
        distinct(&c.categories).into_iter().filter_map(|l| w.categories.get(l).map(|p| (l, *p))).collect();
    // Best points first, then by label, so the order the categories were recorded in does not matter.
    known.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let (&(best, points), others) = known.split_first()?;
    let sentence = if others.is_empty() {
        format!("属{best}")
    } else {
        let others: Vec<&str> = others.iter().map(|(l, _)| *l).collect();
        format!("属{best}（另属{}，只计最高一项）", others.join("、"))
    };
    Some((points, sentence))
}

/// The trimmed, non-empty values of a list, first occurrence kept.
fn distinct(items: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Items in Chinese quotes, joined by 、.
fn quoted(items: &[&str]) -> String {
    items.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join("、")
}

/// A part whose reason is the sentence followed by the signed points (−, not -, for a penalty).
fn part(points: i64, sentence: String) -> Part {
    let sign = if points < 0 { format!("−{}", points.unsigned_abs()) } else { format!("+{points}") };
    let space = if sentence.ends_with('）') { "" } else { " " };
    Part { points, reason: format!("{sentence}{space}{sign}") }
}

#[cfg(test)]
mod tests;
