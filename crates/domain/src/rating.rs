//! Rating the nodes of a chain [C4]: a rubric (weights and thresholds, data per chain) turns the
//! figures of a node's local enterprises into 优势/潜力/薄弱/空白, and every rating keeps its inputs.
//! Also the three gap lists of the plan: 补链 (blank), 强链 (weak), 延链 (beyond today's chain).

use crate::chain_map::NodeRating;
use crate::money::{Money, MoneyUnit};
use serde::{Deserialize, Serialize};

/// Weights (summing to 100), reference values (the figure that earns a full share) and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rubric {
    /// Weight of the number of local enterprises.
    pub w_enterprises: u32,
    /// Weight of the number of above-scale (规上) enterprises.
    pub w_scale: u32,
    /// Weight of the revenue of local enterprises.
    pub w_revenue: u32,
    /// Weight of innovation (high-tech, 专精特新, champions).
    pub w_innovation: u32,
    /// Weight of local supply relations touching the node.
    pub w_relations: u32,
    /// Local enterprises for a full share.
    pub ref_enterprises: u32,
    /// Above-scale enterprises for a full share.
    pub ref_scale: u32,
    /// Revenue in 亿元 for a full share.
    pub ref_revenue_yi: u32,
    /// Innovative enterprises for a full share.
    pub ref_innovation: u32,
    /// Local relations for a full share.
    pub ref_relations: u32,
    /// Score from which a node is 优势.
    pub advantage_from: u32,
    /// Score from which a node is 潜力 (below it: 薄弱).
    pub potential_from: u32,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            w_enterprises: 25,
            w_scale: 20,
            w_revenue: 25,
            w_innovation: 15,
            w_relations: 15,
            ref_enterprises: 5,
            ref_scale: 3,
            ref_revenue_yi: 20,
            ref_innovation: 2,
            ref_relations: 3,
            advantage_from: 60,
            potential_from: 35,
        }
    }
}

impl Rubric {
    /// Checks the rubric: weights sum to 100, references positive, thresholds ordered.
    pub fn validate(&self) -> Result<(), String> {
        let sum = self.w_enterprises + self.w_scale + self.w_revenue + self.w_innovation + self.w_relations;
        if sum != 100 {
            return Err(format!("各项权重之和应为100，现在是{sum}"));
        }
        let refs = [self.ref_enterprises, self.ref_scale, self.ref_revenue_yi, self.ref_innovation, self.ref_relations];
        if refs.contains(&0) {
            return Err("满分参考值必须大于0".into());
        }
        if !(self.potential_from < self.advantage_from && self.advantage_from <= 100) {
            return Err("阈值应满足：潜力线 < 优势线 ≤ 100".into());
        }
        Ok(())
    }
}

/// The figures of one node, from its local enterprises.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NodeFigures {
    /// Local enterprises on the node.
    pub enterprises: u32,
    /// Of which above-scale.
    pub above_scale: u32,
    /// Their yearly revenue.
    pub revenue: Money,
    /// Of which high-tech, 专精特新 or champions.
    pub innovative: u32,
    /// Local supplier→customer relations touching the node.
    pub local_relations: u32,
}

/// A computed rating with its score and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rated {
    /// The rating.
    pub rating: NodeRating,
    /// Score out of 100 (0 for blank nodes).
    pub score: u32,
    /// The inputs in words, e.g. "本地企业3家（规上2家），营收12.5亿元 … 得分58".
    pub note: String,
}

fn share(weight: u32, value: f64, reference: u32) -> f64 {
    f64::from(weight) * (value / f64::from(reference)).min(1.0)
}

/// The weight earned by `revenue` against a reference of `reference_yi` 亿元.
fn revenue_share(weight: u32, revenue: Money, reference_yi: u32) -> f64 {
    let reference = Money::from_yi(i64::from(reference_yi)).unwrap_or(Money::ZERO);
    f64::from(weight) * revenue.share_of(reference).min(1.0)
}

/// Rates one node by the rubric; a node with no local enterprise is 空白.
pub fn rate(r: &Rubric, f: &NodeFigures) -> Rated {
    let inputs = format!(
        "本地企业{}家（规上{}家），营收{}亿元，创新型企业{}家，本地配套关系{}条",
        f.enterprises,
        f.above_scale,
        f.revenue.format_in(MoneyUnit::Yi),
        f.innovative,
        f.local_relations
    );
    if f.enterprises == 0 {
        return Rated {
            rating: NodeRating::Blank, score: 0, note: format!("{inputs}：本地无企业，为空白环节")
        };
    }
    let score = share(r.w_enterprises, f64::from(f.enterprises), r.ref_enterprises)
        + share(r.w_scale, f64::from(f.above_scale), r.ref_scale)
        + revenue_share(r.w_revenue, f.revenue, r.ref_revenue_yi)
        + share(r.w_innovation, f64::from(f.innovative), r.ref_innovation)
        + share(r.w_relations, f64::from(f.local_relations), r.ref_relations);
    let score = score.round() as u32;
    let rating = if score >= r.advantage_from {
        NodeRating::Advantage
    } else if score >= r.potential_from {
        NodeRating::Potential
    } else {
        NodeRating::Weak
    };
    let rule = format!("（优势≥{}，潜力≥{}）", r.advantage_from, r.potential_from);
    Rated { rating, score, note: format!("{inputs}：得分{score}{rule}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_without_local_enterprises() {
        let r = rate(&Rubric::default(), &NodeFigures::default());
        assert_eq!(r.rating, NodeRating::Blank);
        assert!(r.note.contains("空白"));
    }

    fn wan(n: i64) -> Money {
        Money::from_wan(n).expect("fits")
    }

    #[test]
    fn thresholds_decide_the_rating() {
        let rubric = Rubric::default();
        let strong =
            NodeFigures { enterprises: 6, above_scale: 4, revenue: wan(300_000), innovative: 2, local_relations: 3 };
        assert_eq!(rate(&rubric, &strong).rating, NodeRating::Advantage);
        assert_eq!(rate(&rubric, &strong).score, 100);
        let middling =
            NodeFigures { enterprises: 3, above_scale: 2, revenue: wan(60_000), innovative: 1, local_relations: 0 };
        let m = rate(&rubric, &middling);
        // 25*0.6 + 20*0.667 + 25*0.3 + 15*0.5 = 15 + 13.3 + 7.5 + 7.5 = 43.3
        assert_eq!((m.rating, m.score), (NodeRating::Potential, 43));
        let small =
            NodeFigures { enterprises: 1, above_scale: 0, revenue: wan(5_000), innovative: 0, local_relations: 0 };
        let s = rate(&rubric, &small);
        assert_eq!(s.rating, NodeRating::Weak);
        assert!(
            s.note.contains("本地企业1家") && s.note.contains("营收0.5亿元") && s.note.contains("得分"),
            "{}",
            s.note
        );
    }

    #[test]
    fn rubric_is_validated() {
        assert!(Rubric::default().validate().is_ok());
        let bad = Rubric { w_scale: 30, ..Rubric::default() };
        assert!(bad.validate().unwrap_err().contains("110"));
        let bad = Rubric { potential_from: 70, ..Rubric::default() };
        assert!(bad.validate().is_err());
    }
}
