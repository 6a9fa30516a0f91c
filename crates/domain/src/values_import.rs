//! Importing monthly indicator figures from a sheet (e.g. the statistics bureau's monthly sheet): the
//! columns, and checking every row against the indicators and the enterprise library. Errors name the
//! row, the column and the reason in Chinese; a file with any error is refused whole.

use crate::credit_code::CreditCode;
use crate::enterprise_import::RowError;
use crate::names::normalize;
use crate::org::Scope;
use crate::quantity::{QuantityError, Unit, parse_scaled};
use std::collections::{HashMap, HashSet};

/// The columns of the template: (header, rule shown in the template's 说明 sheet).
pub const COLUMNS: [(&str, &str); 6] = [
    ("指标代码", "必填，系统中指标的代码（区分大小写）；由公式计算的指标不能导入"),
    ("指标名称", "可选，仅供阅读，导入时以指标代码为准"),
    ("企业", "企业指标必填：统一社会信用代码或企业名称/简称；产业链、园区、全市指标留空"),
    ("月份", "YYYY-MM，如 2026-10；不能是未来月份"),
    ("数值", "只填数字，最多4位小数，不带单位"),
    ("单位", "必须与指标的单位一致（系统不自动换算）"),
];

const CODE: &str = "指标代码";
const ENTERPRISE: &str = "企业";
const MONTH: &str = "月份";
const VALUE: &str = "数值";
const UNIT: &str = "单位";
const REQUIRED: [&str; 4] = [CODE, MONTH, VALUE, UNIT];
const NOT_A_NUMBER: &str = "应为数字（最多4位小数，不带单位）";

/// An indicator rows may name.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRef {
    /// Indicator id.
    pub id: String,
    /// Code written in the sheet (case-sensitive).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Unit symbol, e.g. 万吨.
    pub unit: String,
    /// Whose figure it is.
    pub scope: Scope,
    /// The chain the indicator belongs to, if any.
    pub chain_id: Option<String>,
    /// Whether negative figures are allowed.
    pub allow_negative: bool,
    /// Computed (by formula or counted in the library), hence never imported.
    pub derived: bool,
}

/// An enterprise rows may name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EnterpriseRef {
    /// Enterprise id.
    pub id: String,
    /// Unified social credit code, if known.
    pub credit_code: Option<String>,
    /// Registered name.
    pub name: String,
    /// Short name (may be empty).
    pub short_name: String,
    /// Chains the enterprise is on.
    pub chain_ids: Vec<String>,
}

/// What the rows are checked against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lookups {
    /// Indicators rows may name.
    pub indicators: Vec<IndicatorRef>,
    /// Enterprises rows may name.
    pub enterprises: Vec<EnterpriseRef>,
    /// The latest month allowed, `YYYY-MM`.
    pub current_month: String,
}

/// One checked row, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// Row number in the file (the header is row 1).
    pub row: usize,
    /// Indicator id.
    pub indicator_id: String,
    /// Enterprise id; empty for non-enterprise indicators.
    pub enterprise_id: String,
    /// Month, normalised `YYYY-MM`.
    pub period: String,
    /// Value times 10,000.
    pub value_scaled: i64,
    /// The indicator's unit symbol.
    pub unit: String,
}

/// Checks the header row: 指标代码, 月份, 数值, 单位 are required, 企业 and 指标名称 optional, unknown headers refused (name them).
pub fn check_headers(headers: &[String]) -> Result<(), Vec<RowError>> {
    let trimmed: Vec<&str> = headers.iter().map(|h| h.trim()).collect();
    let mut errors = Vec::new();
    let mut file_error = |column: &str, reason: &str| {
        errors.push(RowError { row: 0, column: column.into(), reason: reason.into() });
    };
    for required in REQUIRED {
        if !trimmed.contains(&required) {
            file_error(required, "缺少这一列，请使用导入模板");
        }
    }
    let mut seen = HashSet::new();
    let mut repeated = HashSet::new();
    for h in trimmed.into_iter().filter(|h| !h.is_empty()) {
        if !COLUMNS.iter().any(|(c, _)| *c == h) {
            file_error(h, "不是模板中的列，请删除或改用模板的列名");
        } else if !seen.insert(h) && repeated.insert(h) {
            file_error(h, "这一列出现了不止一次，请只保留一列");
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Checks every row; returns the rows or every error found.
pub fn check_rows(
    headers: &[String],
    rows: &[(usize, Vec<String>)],
    lookups: &Lookups,
) -> Result<Vec<ValueRow>, Vec<RowError>> {
    check_headers(headers)?;
    let col: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h.trim(), i)).collect();
    let indicators: HashMap<&str, &IndicatorRef> = lookups.indicators.iter().map(|i| (i.code.trim(), i)).collect();
    let directory = Directory::new(&lookups.enterprises);
    let current = parse_month(&lookups.current_month).unwrap_or_else(|_| lookups.current_month.trim().to_string());
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    let has_column = col.contains_key(ENTERPRISE);
    for (row, cells) in rows {
        let row = *row;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| col.get(name).and_then(|i| cells.get(*i)).map(|s| s.trim()).unwrap_or("");
        let mut errs = Vec::new();
        let indicator = keep(&mut errs, row, CODE, indicator_cell(get(CODE), &indicators));
        let named = enterprise_cell(get(ENTERPRISE), indicator, &directory, has_column);
        let enterprise_id = keep(&mut errs, row, ENTERPRISE, named).flatten();
        let period = keep(&mut errs, row, MONTH, month_cell(get(MONTH), &current));
        let value = keep(&mut errs, row, VALUE, value_cell(get(VALUE), indicator));
        keep(&mut errs, row, UNIT, unit_cell(get(UNIT), indicator));
        if let (Some(ind), Some(ent), Some(p)) = (indicator, &enterprise_id, &period) {
            let key = (ind.id.clone(), ent.clone(), p.clone());
            if let Some(first) = seen.get(&key) {
                let reason = format!("与第{first}行重复（同一指标、企业、月份）");
                errs.push(RowError { row, column: CODE.into(), reason });
            } else {
                seen.insert(key, row);
            }
        }

        match (indicator, enterprise_id, period, value) {
            (Some(ind), Some(enterprise_id), Some(period), Some(value_scaled)) if errs.is_empty() => {
                out.push(ValueRow {
                    row,
                    indicator_id: ind.id.clone(),
                    enterprise_id,
                    period,
                    value_scaled,
                    unit: ind.unit.trim().to_string(),
                });
            }
            _ => errors.append(&mut errs),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| (e.row, col.get(e.column.as_str()).copied().unwrap_or(usize::MAX)));
        Err(errors)
    }
}

/// The value of a checked cell, or `None` after recording why it was refused.
fn keep<T>(errors: &mut Vec<RowError>, row: usize, column: &str, result: Result<T, String>) -> Option<T> {
    result.map_err(|reason| errors.push(RowError { row, column: column.into(), reason })).ok()
}

/// The indicator a code cell names.
fn indicator_cell<'a>(code: &str, indicators: &HashMap<&str, &'a IndicatorRef>) -> Result<&'a IndicatorRef, String> {
    match indicators.get(code) {
        _ if code.is_empty() => Err("请填写指标代码".into()),
        Some(ind) if ind.derived => Err(format!("该指标（{}）由公式计算或由企业库计数得出，不能导入", ind.name)),
        Some(ind) => Ok(*ind),
        None => {
            let hint = indicators
                .keys()
                .find(|k| k.to_lowercase() == code.to_lowercase())
                .map(|k| format!("（代码区分大小写，是否应为“{k}”？）"))
                .unwrap_or_default();
            Err(format!("没有代码为“{code}”的指标{hint}"))
        }
    }
}

/// The enterprise id an enterprise cell gives (empty for non-enterprise indicators); `None` when the
/// indicator is unknown, in which case a named enterprise is still checked.
fn enterprise_cell(
    named: &str,
    indicator: Option<&IndicatorRef>,
    directory: &Directory,
    has_column: bool,
) -> Result<Option<String>, String> {
    let Some(ind) = indicator else {
        return if named.is_empty() { Ok(None) } else { directory.find(named).map(|_| None) };
    };
    if ind.scope != Scope::Enterprise {
        let level = match ind.scope {
            Scope::Chain => "产业链",
            Scope::Park => "园区",
            _ => "全市",
        };
        return if named.is_empty() {
            Ok(Some(String::new()))
        } else {
            Err(format!("{level}指标不按企业填报，请留空"))
        };
    }
    if named.is_empty() {
        let missing = if has_column { "" } else { "（文件中没有“企业”列）" };
        return Err(format!("企业指标须填写企业（统一社会信用代码或企业名称）{missing}"));
    }
    let e = directory.find(named)?;
    match &ind.chain_id {
        Some(chain) if !e.chain_ids.contains(chain) => Err(format!("企业“{}”不在该指标所属产业链上", e.name)),
        _ => Ok(Some(e.id.clone())),
    }
}

/// The normalised month of a month cell, not later than `current`.
fn month_cell(text: &str, current: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("请填写月份，格式为YYYY-MM，如 2026-10".into());
    }
    let period = parse_month(text)?;
    if period.as_str() > current {
        return Err(format!("“{text}”：不能导入未来月份的数据（最晚为{current}）"));
    }
    Ok(period)
}

/// The scaled figure of a value cell, refusing negatives unless the indicator allows them.
fn value_cell(text: &str, indicator: Option<&IndicatorRef>) -> Result<i64, String> {
    if text.is_empty() {
        return Err("请填写数值".into());
    }
    let v = parse_value(text)?;
    if v < 0 && indicator.is_some_and(|i| !i.allow_negative) {
        return Err(format!("“{text}”：数值不能为负数"));
    }
    Ok(v)
}

/// Checks a unit cell against the indicator's unit; no conversion is ever made.
fn unit_cell(text: &str, indicator: Option<&IndicatorRef>) -> Result<(), String> {
    let expected = indicator.map(|i| i.unit.trim());
    match expected {
        _ if text.is_empty() => {
            Err(format!("请填写单位{}", expected.map(|u| format!("（本指标的单位为“{u}”）")).unwrap_or_default()))
        }
        Some(u) if !same_unit(text, u) => Err(format!("单位应为“{u}”（本指标的单位），系统不自动换算，请换算后再导入")),
        _ => Ok(()),
    }
}

/// Normalises a month cell to `YYYY-MM`, or says in Chinese what is wrong.
fn parse_month(text: &str) -> Result<String, String> {
    let raw = text.trim();
    let bad = || format!("“{raw}”不是有效的月份，应为YYYY-MM，如 2026-10");
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = match compact.strip_suffix('月').and_then(|s| s.split_once('年')) {
        Some((y, m)) => vec![y, m],
        // A date-time from a spreadsheet keeps only its date part.
        None => raw.split([' ', 'T']).next().unwrap_or("").split(['-', '/']).collect(),
    };
    let digits = |s: &str, max: usize| !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    let (year, month) = match parts.as_slice() {
        [y, m] if y.len() == 4 && digits(y, 4) && digits(m, 2) => (*y, *m),
        [y, m, d] if y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            if !matches!(d.parse::<u32>(), Ok(1..=31)) {
                return Err(bad());
            }
            (*y, *m)
        }
        _ => return Err(bad()),
    };
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u32 = month.parse().map_err(|_| bad())?;
    let years = crate::period::YEARS;
    if !years.contains(&year) {
        return Err(format!("“{raw}”的年份应在{}至{}之间", years.start(), years.end()));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("“{raw}”的月应在1至12之间"));
    }
    Ok(format!("{year:04}-{month:02}"))
}

/// Reads a figure; thousands separators are allowed only where they group three digits.
fn parse_value(text: &str) -> Result<i64, String> {
    if text.contains([',', '，']) {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let groups: Vec<&str> = int.split([',', '，']).collect();
        let digits = |g: &&str| g.bytes().all(|b| b.is_ascii_digit());
        let grouped = !frac.contains([',', '，'])
            && groups.iter().all(digits)
            && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups.iter().skip(1).all(|g| g.len() == 3);
        if !grouped {
            return Err(format!("“{text}”{NOT_A_NUMBER}；千位分隔符“,”只能每三位一个"));
        }
    }
    parse_scaled(text).map_err(|e| match e {
        QuantityError::NotANumber(_) => format!("“{text}”{NOT_A_NUMBER}"),
        other => other.to_string(),
    })
}

/// Whether a unit cell names the indicator's unit (same symbol; full-width ％ counts as %).
fn same_unit(cell: &str, expected: &str) -> bool {
    let expected = expected.trim();
    cell == expected || Unit::parse(cell).is_some_and(|u| Unit::parse(expected) == Some(u))
}

/// The enterprise library indexed for matching a cell.
struct Directory<'a> {
    list: &'a [EnterpriseRef],
    by_code: HashMap<String, usize>,
    by_name: HashMap<&'a str, Vec<usize>>,
    by_normal: HashMap<String, Vec<usize>>,
}

impl<'a> Directory<'a> {
    fn new(list: &'a [EnterpriseRef]) -> Directory<'a> {
        let mut d = Directory { list, by_code: HashMap::new(), by_name: HashMap::new(), by_normal: HashMap::new() };
        for (i, e) in list.iter().enumerate() {
            if let Some(code) = e.credit_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                d.by_code.insert(code.to_uppercase(), i);
            }
            for (exact, normal) in
                [(e.name.trim(), normalize(&e.name)), (e.short_name.trim(), normalize(&e.short_name))]
            {
                for entry in [d.by_name.entry(exact).or_default(), d.by_normal.entry(normal).or_default()] {
                    if !entry.contains(&i) {
                        entry.push(i);
                    }
                }
            }
        }
        d.by_name.remove("");
        d.by_normal.remove("");
        d
    }

    /// The one enterprise a cell names: by credit code, exact name or short name, then normalised name.
    fn find(&self, text: &str) -> Result<&'a EnterpriseRef, String> {
        let upper = text.to_uppercase();
        let looks_like_code = upper.chars().count() == 18 && upper.chars().all(|c| c.is_ascii_alphanumeric());
        if looks_like_code && let Some(i) = self.by_code.get(&upper) {
            return Ok(&self.list[*i]);
        }
        let normal = normalize(text);
        let hits = [self.by_name.get(text), self.by_normal.get(&normal)];
        if let Some(hits) = hits.into_iter().flatten().next() {
            return match hits.as_slice() {
                [i] => Ok(&self.list[*i]),
                _ => Err(format!("“{text}”对应多家企业，请改填统一社会信用代码")),
            };
        }
        if looks_like_code {
            return Err(match CreditCode::parse(&upper) {
                Err(e) => e.to_string(),
                Ok(_) => format!("企业库中没有统一社会信用代码为“{upper}”的企业，请先在企业库中添加"),
            });
        }
        Err(format!("企业库中没有“{text}”，请填写统一社会信用代码或企业库中的名称/简称"))
    }
}

#[cfg(test)]
mod tests;
