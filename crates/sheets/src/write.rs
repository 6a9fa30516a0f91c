//! Exports: XLSX workbooks, CSV files and import templates, all formula-injection safe.

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};

use crate::SheetError;
use crate::text::{display_width, format_number, guard};

/// Excel's limits for one worksheet and one cell.
const EXCEL_ROWS: usize = 1_048_576;
const EXCEL_COLUMNS: usize = 16_384;
const EXCEL_CELL_CHARS: usize = 32_767;
/// Integers beyond Excel's 15 significant digits are written as text so that no digit is lost.
const EXACT_INT: i64 = 999_999_999_999_999;
/// Column widths in character units.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Name of the data sheet in an import template.
const TEMPLATE_SHEET: &str = "导入数据";
/// Name of the sheet that explains a template's columns.
const RULES_SHEET: &str = "说明";

/// One worksheet to export.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetOut {
    /// Sheet name; characters Excel forbids are replaced and it is cut to 31 characters.
    pub name: String,
    /// Header row.
    pub headers: Vec<String>,
    /// Data rows below the header.
    pub rows: Vec<Vec<CellOut>>,
}

/// One exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum CellOut {
    /// Text, written as a string cell (guarded against formula injection).
    Text(String),
    /// A number; NaN and infinities are written as empty cells.
    Number(f64),
    /// An integer; beyond 15 digits it is written as text to keep every digit.
    Int(i64),
    /// No value.
    Empty,
}

impl CellOut {
    fn shown(&self) -> String {
        match self {
            CellOut::Text(s) => guard(s).into_owned(),
            CellOut::Number(n) => format_number(*n),
            CellOut::Int(i) => i.to_string(),
            CellOut::Empty => String::new(),
        }
    }
}

/// Writes an .xlsx workbook: bold header row, frozen header, column widths from content (CJK counted double), no formulas ever: a Text starting with = + - @, TAB, CR or LF is written as text prefixed with '.
pub fn write_xlsx(sheets: &[SheetOut]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let mut names = Vec::new();
    for (index, sheet) in sheets.iter().enumerate() {
        let name = unique_sheet_name(&sheet.name, index, &mut names);
        add_sheet(&mut workbook, &name, &sheet.headers, &sheet.rows)?;
    }
    workbook.save_to_buffer().map_err(write_error)
}

/// Writes CSV (UTF-8 with BOM so Excel opens Chinese correctly), with the same formula-injection guard.
pub fn write_csv(sheet: &SheetOut) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = sheet.headers.iter().map(|h| guard(h).into_owned()).collect();
    push_csv_line(&mut out, &header);
    for row in &sheet.rows {
        let cells: Vec<String> = row.iter().map(CellOut::shown).collect();
        push_csv_line(&mut out, &cells);
    }
    out.into_bytes()
}

/// An import template: one sheet with the headers and, optionally, one example row and a second sheet "说明" listing each column with its rule.
pub fn template_xlsx(headers: &[(&str, &str)], example: &[&str]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let names: Vec<String> = headers.iter().map(|(name, _)| (*name).to_string()).collect();
    let example_row: Vec<CellOut> =
        example.iter().take(headers.len()).map(|value| CellOut::Text((*value).to_string())).collect();
    let rows = if example_row.is_empty() { Vec::new() } else { vec![example_row] };
    let sheet = add_sheet(&mut workbook, TEMPLATE_SHEET, &names, &rows)?;
    // Text columns keep what a person types (leading zeros, 18-digit codes) exactly as typed.
    let text = Format::new().set_num_format("@");
    for column in 0..names.len() {
        sheet.set_column_format(to_col(column)?, &text).map_err(write_error)?;
    }
    let rules_headers = vec!["列名".to_string(), "填写规则".to_string()];
    let rules: Vec<Vec<CellOut>> = headers
        .iter()
        .map(|(name, rule)| vec![CellOut::Text((*name).to_string()), CellOut::Text((*rule).to_string())])
        .collect();
    let rules_sheet = add_sheet(&mut workbook, RULES_SHEET, &rules_headers, &rules)?;
    rules_sheet.set_column_format(1, &Format::new().set_text_wrap()).map_err(write_error)?;
    workbook.save_to_buffer().map_err(write_error)
}

/// Adds a worksheet with a bold, frozen header row, the rows, and widths fitted to the content.
fn add_sheet<'a>(
    workbook: &'a mut Workbook,
    name: &str,
    headers: &[String],
    rows: &[Vec<CellOut>],
) -> Result<&'a mut Worksheet, SheetError> {
    if rows.len() >= EXCEL_ROWS {
        return Err(SheetError::Write(format!("工作表“{name}”超过 Excel 上限 {} 行数据，请分批导出", EXCEL_ROWS - 1)));
    }
    let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    if columns > EXCEL_COLUMNS {
        return Err(SheetError::Write(format!("工作表“{name}”超过 Excel 上限 {EXCEL_COLUMNS} 列")));
    }
    let header_format =
        Format::new().set_bold().set_background_color(Color::RGB(0x00E8_EEF7)).set_border_bottom(FormatBorder::Thin);
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).map_err(write_error)?;
    let mut widths = vec![0usize; columns];
    for (column, header) in headers.iter().enumerate() {
        let text = guard(header);
        check_length(&text, 1, column)?;
        widths[column] = display_width(&text);
        sheet.write_string_with_format(0, to_col(column)?, text, &header_format).map_err(write_error)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let row_number = to_row(index + 1)?;
        for (column, cell) in row.iter().enumerate() {
            let shown = cell.shown();
            widths[column] = widths[column].max(display_width(&shown));
            let col = to_col(column)?;
            match cell {
                CellOut::Number(n) if n.is_finite() => {
                    sheet.write_number(row_number, col, *n).map_err(write_error)?;
                }
                CellOut::Int(i) if (-EXACT_INT..=EXACT_INT).contains(i) => {
                    sheet.write_number(row_number, col, *i as f64).map_err(write_error)?;
                }
                CellOut::Number(_) | CellOut::Empty => {}
                CellOut::Text(_) | CellOut::Int(_) => {
                    check_length(&shown, index + 2, column)?;
                    sheet.write_string(row_number, col, shown).map_err(write_error)?;
                }
            }
        }
    }
    for (column, width) in widths.iter().enumerate() {
        let width = (width + 2).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(to_col(column)?, width as f64).map_err(write_error)?;
    }
    if !headers.is_empty() {
        sheet.set_freeze_panes(1, 0).map_err(write_error)?;
    }
    Ok(sheet)
}

fn check_length(text: &str, row: usize, column: usize) -> Result<(), SheetError> {
    if text.chars().count() > EXCEL_CELL_CHARS {
        return Err(SheetError::Write(format!(
            "第{row}行第{}列的文本超过 Excel 单元格上限 {EXCEL_CELL_CHARS} 字，请改用 CSV 导出",
            column + 1
        )));
    }
    Ok(())
}

fn to_row(index: usize) -> Result<u32, SheetError> {
    u32::try_from(index).map_err(|_| SheetError::Write("行数超出 Excel 范围".into()))
}

fn to_col(index: usize) -> Result<u16, SheetError> {
    u16::try_from(index).map_err(|_| SheetError::Write("列数超出 Excel 范围".into()))
}

/// A valid, unique (case-insensitively) Excel sheet name derived from `wanted`.
fn unique_sheet_name(wanted: &str, index: usize, taken: &mut Vec<String>) -> String {
    let cleaned: String =
        wanted.chars().map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c }).collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let mut base: String = cleaned.chars().take(31).collect();
    if base.is_empty() || base.eq_ignore_ascii_case("History") {
        base = format!("Sheet{}", index + 1);
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        let suffix = format!("({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>().trim_end_matches('\''));
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn push_csv_line(out: &mut String, cells: &[String]) {
    for (index, cell) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

fn write_error(e: rust_xlsxwriter::XlsxError) -> SheetError {
    SheetError::Write(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(unique_sheet_name("产业链/企业[2024]", 0, &mut taken), "产业链_企业_2024_");
        assert_eq!(unique_sheet_name("产业链/企业[2024]", 1, &mut taken), "产业链_企业_2024_(2)");
        assert_eq!(unique_sheet_name("  ", 2, &mut taken), "Sheet3");
        assert_eq!(unique_sheet_name("history", 3, &mut taken), "Sheet4");
        let long = "链".repeat(40);
        assert_eq!(unique_sheet_name(&long, 4, &mut taken).chars().count(), 31);
        assert_eq!(unique_sheet_name(&long, 5, &mut taken), format!("{}(2)", "链".repeat(28)));
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        let mut out = String::new();
        push_csv_line(&mut out, &["a".into(), "b,c".into(), "say \"hi\"".into(), "两\n行".into()]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"两\n行\"\r\n");
    }
}
