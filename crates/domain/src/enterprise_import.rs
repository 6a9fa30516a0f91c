//! Importing enterprises from a sheet [E4]: the columns, and checking every row against the city's
//! parks, chains and nodes. Errors name the row, the column and the reason in Chinese; a file with
//! any error is refused whole.

use crate::credit_code::CreditCode;
use crate::maps_file::Tier;
use crate::money::{Money, MoneyError, MoneyUnit};
use std::collections::{HashMap, HashSet};

/// The columns of the template: (header, rule shown in the template's 说明 sheet).
pub const COLUMNS: [(&str, &str); 13] = [
    ("统一社会信用代码", "18位，按 GB 32100-2015 校验；小写字母会转为大写"),
    ("企业名称", "必填，工商登记的全称，最多100字"),
    ("简称", "可选，最多40字"),
    ("园区", "可选，园区名称或简称，须为本市已有园区"),
    ("产业链", "可选，产业链名称或简称；填写环节时必填"),
    ("环节", "可选，所在产业链中已有的环节名称"),
    ("规模", "可选，填“规上”或“规下”"),
    ("企业类型", "可选，填“内资”或“外资”"),
    ("是否上市", "可选，填“是”或“否”"),
    ("营业收入（亿元）", "可选，只填数字，最多4位小数，不带单位"),
    ("从业人员（人）", "可选，非负整数"),
    ("主要产品", "可选，多个用顿号分隔"),
    ("梯队", "可选，多个用顿号分隔，如：链主/龙头、高新技术企业、规上企业"),
];

/// A node a row may name: (chain id, chain name, chain short name, node id, node name).
pub type NodeRef = (String, String, String, String, String);

/// What the rows are checked against.
#[derive(Debug, Default)]
pub struct Lookups {
    /// (park id, name, short name).
    pub parks: Vec<(String, String, String)>,
    /// (chain id, name, short name).
    pub chains: Vec<(String, String, String)>,
    /// Nodes.
    pub nodes: Vec<NodeRef>,
}

/// One checked row, ready to store.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportRow {
    /// Row number in the file.
    pub row: usize,
    /// Credit code, if given.
    pub credit_code: Option<String>,
    /// Registered name.
    pub name: String,
    /// Short name; empty when not given (a new enterprise then takes its name, a known one keeps its own).
    pub short_name: String,
    /// Park id.
    pub park_id: Option<String>,
    /// Chain id.
    pub chain_id: Option<String>,
    /// Node id.
    pub node_id: Option<String>,
    /// `above`/`below`/empty.
    pub scale: String,
    /// `domestic`/`foreign`/empty.
    pub ownership: String,
    /// Listed, if said.
    pub listed: Option<bool>,
    /// Revenue.
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// Products joined by 、.
    pub products: String,
    /// Tiers held.
    pub tiers: Vec<Tier>,
}

/// A problem with one cell (or the whole file when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number (0 for the file).
    pub row: usize,
    /// Column header.
    pub column: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row == 0 {
            write!(f, "{}：{}", self.column, self.reason)
        } else {
            write!(f, "第{}行 {}：{}", self.row, self.column, self.reason)
        }
    }
}

fn find<'a>(list: &'a [(String, String, String)], text: &str) -> Option<&'a (String, String, String)> {
    list.iter().find(|(_, name, short)| name == text || (!short.is_empty() && short == text))
}

/// Checks the header row: the two required columns must be there, unknown columns are refused.
pub fn check_headers(headers: &[String]) -> Result<(), Vec<RowError>> {
    let mut errors = Vec::new();
    for required in ["统一社会信用代码", "企业名称"] {
        if !headers.iter().any(|h| h == required) {
            errors.push(RowError {
                row: 0, column: required.into(), reason: "缺少这一列，请使用导入模板".into()
            });
        }
    }
    for h in headers {
        if !h.is_empty() && !COLUMNS.iter().any(|(c, _)| c == h) {
            errors.push(RowError {
                row: 0,
                column: h.clone(),
                reason: "不是模板中的列，请删除或改用模板的列名".into(),
            });
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Checks every row; returns the rows when there is no error at all, else every error.
pub fn check_rows(
    headers: &[String],
    rows: &[(usize, Vec<String>)],
    l: &Lookups,
) -> Result<Vec<ImportRow>, Vec<RowError>> {
    check_headers(headers)?;
    let col: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    for (row, cells) in rows {
        let get = |name: &str| col.get(name).and_then(|i| cells.get(*i)).map(|s| s.trim()).unwrap_or("");
        let mut err = |column: &str, reason: String| errors.push(RowError { row: *row, column: column.into(), reason });
        let code = match get("统一社会信用代码") {
            "" => None,
            text => match CreditCode::parse(text) {
                Ok(c) => {
                    if let Some(first) = seen_codes.insert(c.as_str().to_string(), *row) {
                        err("统一社会信用代码", format!("与第{first}行重复"));
                    }
                    Some(c.as_str().to_string())
                }
                Err(e) => {
                    err("统一社会信用代码", e.to_string());
                    None
                }
            },
        };
        let name = get("企业名称");
        if name.is_empty() {
            err("企业名称", "请填写企业名称".into());
        } else if name.chars().count() > 100 {
            err("企业名称", "最多100字".into());
        } else if code.is_none() && !seen_names.insert(name.to_string()) {
            err("企业名称", "同一文件中重复出现且没有信用代码".into());
        }
        let short = get("简称");
        if short.chars().count() > 40 {
            err("简称", "最多40字".into());
        }
        let park_id = match get("园区") {
            "" => None,
            p => match find(&l.parks, p) {
                Some(x) => Some(x.0.clone()),
                None => {
                    err("园区", format!("没有名为“{p}”的园区"));
                    None
                }
            },
        };
        let chain = match get("产业链") {
            "" => None,
            c => match find(&l.chains, c) {
                Some(x) => Some(x.0.clone()),
                None => {
                    err("产业链", format!("没有名为“{c}”的产业链"));
                    None
                }
            },
        };
        let node_id = match (get("环节"), &chain) {
            ("", _) => None,
            (n, None) => {
                if get("产业链").is_empty() {
                    err("产业链", format!("填写了环节“{n}”时须填写产业链"));
                }
                None
            }
            (n, Some(c)) => match l.nodes.iter().find(|x| &x.0 == c && x.4 == n) {
                Some(x) => Some(x.3.clone()),
                None => {
                    err("环节", format!("产业链“{}”中没有名为“{n}”的环节", get("产业链")));
                    None
                }
            },
        };
        let scale = match get("规模") {
            "" => "",
            "规上" | "规模以上" => "above",
            "规下" | "规模以下" => "below",
            other => {
                err("规模", format!("“{other}”应为“规上”或“规下”"));
                ""
            }
        };
        let ownership = match get("企业类型") {
            "" => "",
            "内资" => "domestic",
            "外资" | "外商投资" => "foreign",
            other => {
                err("企业类型", format!("“{other}”应为“内资”或“外资”"));
                ""
            }
        };
        let listed = match get("是否上市") {
            "" => None,
            "是" => Some(true),
            "否" => Some(false),
            other => {
                err("是否上市", format!("“{other}”应为“是”或“否”"));
                None
            }
        };
        let revenue = match get("营业收入（亿元）") {
            "" => None,
            v => match Money::parse(v, MoneyUnit::Yi) {
                Ok(m) => Some(m),
                Err(e) => {
                    let reason = match e {
                        MoneyError::NotANumber => format!("“{v}”不是数字，请只填写数字（本列单位为亿元）"),
                        MoneyError::Negative => format!("“{v}”不能为负数"),
                        other => other.to_string(),
                    };
                    err("营业收入（亿元）", reason);
                    None
                }
            },
        };
        let employees = match get("从业人员（人）") {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    err("从业人员（人）", format!("“{v}”应为非负整数"));
                    None
                }
            },
        };
        let mut tiers = Vec::new();
        for t in get("梯队").split(['、', ',', '，']).map(str::trim).filter(|t| !t.is_empty()) {
            match Tier::from_code_or_label(t) {
                Some(tier) => tiers.push(tier),
                None => err("梯队", format!("无法识别“{t}”")),
            }
        }
        out.push(ImportRow {
            row: *row,
            credit_code: code,
            name: name.to_string(),
            short_name: short.to_string(),
            park_id,
            chain_id: chain,
            node_id,
            scale: scale.into(),
            ownership: ownership.into(),
            listed,
            revenue,
            employees,
            products: get("主要产品").to_string(),
            tiers,
        });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookups() -> Lookups {
        Lookups {
            parks: vec![("p1".into(), "汨罗高新技术产业开发区".into(), "高新区".into())],
            chains: vec![("c1".into(), "有色金属新材料产业链".into(), "".into())],
            nodes: vec![("c1".into(), "有色金属新材料产业链".into(), "".into(), "n1".into(), "铜杆/铜线".into())],
        }
    }

    fn code() -> String {
        let prefix = "91430681MA4L1234";
        let first17 = format!("{prefix}5");
        format!("{first17}{}", crate::credit_code::check_char(&first17).expect("check"))
    }

    #[test]
    fn two_columns_are_enough_and_lower_case_is_normalised() {
        let headers = vec!["统一社会信用代码".to_string(), "企业名称".to_string()];
        let rows = vec![(2, vec![code().to_lowercase(), "示范铜业有限公司".into()])];
        let ok = check_rows(&headers, &rows, &lookups()).expect("valid");
        assert_eq!(ok[0].credit_code.as_deref(), Some(code().as_str()));
        assert_eq!(ok[0].short_name, "", "an empty short name keeps the stored one");
    }

    #[test]
    fn every_error_names_row_column_and_reason() {
        let headers: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
        let mut bad = vec![String::new(); COLUMNS.len()];
        bad[0] = code();
        bad[1] = "甲".into();
        bad[3] = "不存在园区".into();
        bad[5] = "铜杆/铜线".into();
        bad[9] = "3.5万吨".into();
        bad[10] = "-3".into();
        let mut dup = bad.clone();
        dup[1] = "乙".into();
        dup[3] = "高新区".into();
        dup[4] = "有色金属新材料产业链".into();
        dup[9] = "-1".into();
        dup[10] = "".into();
        let errs = check_rows(&headers, &[(2, bad), (3, dup)], &lookups()).expect_err("invalid");
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        for want in [
            "第2行 园区：没有名为“不存在园区”的园区",
            "第2行 产业链：填写了环节“铜杆/铜线”时须填写产业链",
            "第2行 从业人员（人）：“-3”应为非负整数",
            "第3行 统一社会信用代码：与第2行重复",
            "第3行 营业收入（亿元）：“-1”不能为负数",
        ] {
            assert!(text.iter().any(|t| t == want), "{want} in {text:?}");
        }
        assert!(text.iter().any(|t| t.starts_with("第2行 营业收入（亿元）：“3.5万吨”不是数字")), "{text:?}");
    }

    #[test]
    fn headers_are_checked() {
        let errs = check_headers(&["企业名称".into(), "备注".into()]).expect_err("bad");
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            vec!["统一社会信用代码：缺少这一列，请使用导入模板", "备注：不是模板中的列，请删除或改用模板的列名"]
        );
    }
}
