//! Importing investment targets from a sheet [I1]: an external enterprise per row (matched by
//! name, created when new), its categories and products, the nodes it could fill and the unit
//! that follows it up. Errors name the row, the column and the reason; any error refuses the file.

use crate::enterprise_import::RowError;
use std::collections::HashSet;

/// The columns: (header, rule shown to users).
pub const COLUMNS: [(&str, &str); 7] = [
    ("企业名称", "必填，外地企业的全称；企业库中没有的会新建为外地企业"),
    ("类别", "可选，多个用顿号分隔：全球行业领军、世界500强、中国500强、中国民营500强、上市公司、外资企业"),
    ("主要产品", "可选，多个用顿号分隔"),
    ("产业链", "填写环节时必填，产业链名称或简称"),
    ("可填补环节", "可选，多个用顿号分隔，须为该产业链已有的环节"),
    ("跟进单位", "可选，单位名称或简称"),
    ("备注", "可选，最多500字"),
];

/// The categories a target may carry.
pub const CATEGORIES: [&str; 6] = ["全球行业领军", "世界500强", "中国500强", "中国民营500强", "上市公司", "外资企业"];

/// What rows are checked against.
#[derive(Debug, Default)]
pub struct Lookups {
    /// (chain id, name, short name).
    pub chains: Vec<(String, String, String)>,
    /// (chain id, node id, node name).
    pub nodes: Vec<(String, String, String)>,
    /// (unit id, name, short name).
    pub units: Vec<(String, String, String)>,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    /// Row number.
    pub row: usize,
    /// Enterprise name.
    pub name: String,
    /// Category labels.
    pub categories: Vec<String>,
    /// Products.
    pub products: Vec<String>,
    /// Node ids.
    pub node_ids: Vec<String>,
    /// Owner unit id.
    pub owner_unit_id: Option<String>,
    /// Notes.
    pub note: String,
}

fn list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn named<'a>(all: &'a [(String, String, String)], text: &str) -> Option<&'a (String, String, String)> {
    all.iter().find(|(_, a, b)| a == text || (!b.is_empty() && b == text))
}

/// Checks the header row and every data row.
pub fn check(headers: &[String], rows: &[(usize, Vec<String>)], l: &Lookups) -> Result<Vec<TargetRow>, Vec<RowError>> {
    let col = |h: &str| headers.iter().position(|x| x.trim() == h);
    let mut errors = Vec::new();
    for h in headers.iter().map(|h| h.trim()).filter(|h| !h.is_empty()) {
        // 状态 comes with an export and is kept by the library, not by the sheet.
        if h != "状态" && !COLUMNS.iter().any(|(c, _)| *c == h) {
            errors.push(RowError {
                row: 0, column: h.to_string(), reason: "不认识这一列，请使用导入模板".into()
            });
        }
    }
    if col("企业名称").is_none() {
        errors.push(RowError {
            row: 0, column: "企业名称".into(), reason: "缺少这一列，请使用导入模板".into()
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (row, cells) in rows {
        let cell = |h: &str| col(h).and_then(|i| cells.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
        let err = |column: &str, reason: String| RowError { row: *row, column: column.into(), reason };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let name = cell("企业名称");
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(err("企业名称", "必填，最多100字".into()));
            continue;
        }
        if !seen.insert((name.clone(), cell("产业链"))) {
            errors.push(err("企业名称", format!("“{name}”在同一产业链下出现了不止一次")));
        }
        let categories = list(&cell("类别"));
        for c in categories.iter().filter(|c| !CATEGORIES.contains(&c.as_str())) {
            errors.push(err("类别", format!("“{c}”不是可用的类别（{}）", CATEGORIES.join("、"))));
        }
        let nodes = list(&cell("可填补环节"));
        let chain = cell("产业链");
        let mut node_ids = Vec::new();
        if !nodes.is_empty() {
            match named(&l.chains, &chain) {
                None if chain.is_empty() => errors.push(err("产业链", "填写了环节时须填写产业链".into())),
                None => errors.push(err("产业链", format!("没有名为“{chain}”的产业链"))),
                Some((chain_id, chain_name, _)) => {
                    for n in &nodes {
                        match l.nodes.iter().find(|(c, _, name)| c == chain_id && name == n) {
                            Some((_, id, _)) => node_ids.push(id.clone()),
                            None => errors.push(err("可填补环节", format!("{chain_name}中没有环节“{n}”"))),
                        }
                    }
                }
            }
        }
        let owner = cell("跟进单位");
        let owner_unit_id = match owner.as_str() {
            "" => None,
            o => match named(&l.units, o) {
                Some((id, _, _)) => Some(id.clone()),
                None => {
                    errors.push(err("跟进单位", format!("没有名为“{o}”的单位")));
                    None
                }
            },
        };
        let note = cell("备注");
        if note.chars().count() > 500 {
            errors.push(err("备注", "最多500字".into()));
        }
        out.push(TargetRow {
            row: *row,
            name,
            categories,
            products: list(&cell("主要产品")),
            node_ids,
            owner_unit_id,
            note,
        });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookups() -> Lookups {
        Lookups {
            chains: vec![("c1".into(), "有色金属新材料产业链".into(), "有色金属".into())],
            nodes: vec![
                ("c1".into(), "n1".into(), "电解/阴极铜".into()),
                ("c1".into(), "n2".into(), "铜杆/铜线".into()),
            ],
            units: vec![("u1".into(), "汨罗高新技术产业开发区管理委员会".into(), "高新区管委会".into())],
        }
    }

    fn headers() -> Vec<String> {
        COLUMNS.iter().map(|c| c.0.to_string()).collect()
    }

    fn row(n: usize, cells: [&str; 7]) -> (usize, Vec<String>) {
        (n, cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn good_rows_resolve_nodes_and_units() {
        let rows = [row(
            2,
            ["示范铜业", "中国500强、上市公司", "阴极铜", "有色金属", "电解/阴极铜、铜杆/铜线", "高新区管委会", ""],
        )];
        let got = check(&headers(), &rows, &lookups()).expect("valid");
        assert_eq!(got[0].node_ids, vec!["n1", "n2"]);
        assert_eq!(got[0].owner_unit_id.as_deref(), Some("u1"));
        assert_eq!(got[0].categories, vec!["中国500强", "上市公司"]);
    }

    #[test]
    fn every_error_is_named_and_nothing_passes() {
        let rows = [
            row(2, ["甲", "财富500强", "", "有色金属", "电解铜", "不存在的局", ""]),
            row(3, ["乙", "", "", "", "电解/阴极铜", "", ""]),
            row(4, ["甲", "", "", "有色金属", "", "", ""]),
        ];
        let errs = check(&headers(), &rows, &lookups()).expect_err("refused");
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text.iter().any(|e| e.starts_with("第2行 类别") && e.contains("财富500强")), "{text:?}");
        assert!(text.iter().any(|e| e.starts_with("第2行 可填补环节") && e.contains("电解铜")), "{text:?}");
        assert!(text.iter().any(|e| e.starts_with("第2行 跟进单位")), "{text:?}");
        assert!(text.iter().any(|e| e.starts_with("第3行 产业链")), "{text:?}");
        assert!(text.iter().any(|e| e.starts_with("第4行 企业名称") && e.contains("不止一次")), "{text:?}");
        let two_chains = [row(2, ["丙", "", "", "", "", "", ""]), row(3, ["丙", "", "", "有色金属", "", "", ""])];
        assert!(check(&headers(), &two_chains, &lookups()).is_ok(), "one row per chain is allowed");
        let bad_header = check(&["公司".to_string()], &[], &lookups()).expect_err("header");
        assert_eq!(bad_header.len(), 2, "unknown column and missing 企业名称");
    }
}
