//! Supply-demand docking [S1]: which local suppliers' capabilities answer an OEM's need, ranked
//! by a stated score with its reasons in Chinese; deterministic (ties by name).

/// What a need asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    /// Part or product, e.g. 结构件.
    pub part: String,
    /// Process, e.g. 焊接, or empty.
    pub process: String,
}

/// A supplier's stated capability.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capability {
    /// Capability id.
    pub id: String,
    /// Supplier enterprise id.
    pub supplier_id: String,
    /// Supplier name.
    pub supplier: String,
    /// Part or product it makes.
    pub part: String,
    /// Process it masters, or empty.
    pub process: String,
    /// It already supplies this OEM.
    pub already_supplies: bool,
    /// It sits on a node of the OEM's chain.
    pub on_chain: bool,
}

/// A proposed match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Capability id.
    pub capability_id: String,
    /// Supplier id.
    pub supplier_id: String,
    /// Supplier name.
    pub supplier: String,
    /// Score.
    pub score: i64,
    /// Why, in Chinese.
    pub reasons: Vec<String>,
}

/// Points of the score: the same part 50, a related part (one name contains the other) 30, the
/// same process 30, on the OEM's chain 10, already a supplier of the OEM 10.
pub const RULE: &str =
    "同一零部件50分，相近零部件（名称互相包含）30分，同一工艺30分，在该主机企业所在产业链上10分，已是其供应商10分";

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn related(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    a.chars().count() >= 2 && b.chars().count() >= 2 && (a.contains(&b) || b.contains(&a))
}

/// The capabilities that answer `need` (the part or the process must match), best first.
pub fn matches(need: &Need, capabilities: &[Capability]) -> Vec<Match> {
    let mut out: Vec<Match> = capabilities
        .iter()
        .filter_map(|c| {
            let mut score = 0;
            let mut reasons = Vec::new();
            if norm(&c.part) == norm(&need.part) && !need.part.trim().is_empty() {
                score += 50;
                reasons.push(format!("生产所需零部件“{}” +50", need.part.trim()));
            } else if related(&c.part, &need.part) {
                score += 30;
                reasons.push(format!("产品“{}”与所需“{}”相近 +30", c.part.trim(), need.part.trim()));
            }
            if !need.process.trim().is_empty() && norm(&c.process) == norm(&need.process) {
                score += 30;
                reasons.push(format!("掌握所需工艺“{}” +30", need.process.trim()));
            }
            if score == 0 {
                return None;
            }
            if c.on_chain {
                score += 10;
                reasons.push("在该主机企业所在产业链上 +10".to_string());
            }
            if c.already_supplies {
                score += 10;
                reasons.push("已是该主机企业的供应商 +10".to_string());
            }
            Some(Match {
                capability_id: c.id.clone(),
                supplier_id: c.supplier_id.clone(),
                supplier: c.supplier.clone(),
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.supplier.cmp(&b.supplier))
            .then_with(|| a.capability_id.cmp(&b.capability_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(id: &str, supplier: &str, part: &str, process: &str, on_chain: bool, supplies: bool) -> Capability {
        Capability {
            id: id.into(),
            supplier_id: format!("e-{id}"),
            supplier: supplier.into(),
            part: part.into(),
            process: process.into(),
            already_supplies: supplies,
            on_chain,
        }
    }

    #[test]
    fn ranks_by_part_process_chain_and_ties_with_reasons() {
        let need = Need { part: "结构件".into(), process: "焊接".into() };
        let caps = [
            cap("1", "乙钣金", "钣金结构件", "焊接", true, false),
            cap("2", "甲结构件", "结构件", "焊接", true, true),
            cap("3", "丙紧固件", "紧固件", "冷镦", true, false),
            cap("4", "丁焊接", "支架", "焊接", false, false),
        ];
        let m = matches(&need, &caps);
        let order: Vec<(&str, i64)> = m.iter().map(|x| (x.supplier.as_str(), x.score)).collect();
        assert_eq!(order, vec![("甲结构件", 100), ("乙钣金", 70), ("丁焊接", 30)]);
        assert!(m[0].reasons.iter().any(|r| r.contains("已是该主机企业的供应商")));
        assert!(m[1].reasons[0].contains("相近"));
    }

    #[test]
    fn one_character_names_do_not_match_by_containment() {
        let need = Need { part: "铸件".into(), process: String::new() };
        assert!(matches(&need, &[cap("1", "甲", "件", "", true, false)]).is_empty());
        let same =
            matches(&need, &[cap("1", "乙", "铸件", "", false, false), cap("2", "甲", "铸件", "", false, false)]);
        let names: Vec<&str> = same.iter().map(|m| m.supplier.as_str()).collect();
        assert_eq!(names, vec!["乙", "甲"], "equal scores by name (乙 U+4E59 before 甲 U+7532)");
    }
}
