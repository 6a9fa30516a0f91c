//! Turns rows of trimmed cells into a [`Table`]: header detection, duplicate headers, padding, limits.
//!
//! Real sheets carry a title row, a 填报单位 row, 序号 and 备注 columns and notes under the data.
//! When the caller names the columns it knows, the header is the first row (among the first
//! [`HEADER_SEARCH_ROWS`] non-empty ones) that holds one of them; rows above it are left aside,
//! known extra columns are ignored and note rows are skipped, and the table says so.

use crate::{MAX_CELLS, MAX_ROWS, Row, SheetError, Table};

/// How many non-empty rows at the top of a sheet are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 10;
/// Columns people add to a template that carry nothing to import.
pub const IGNORED_COLUMNS: &[&str] = &["序号", "编号", "备注", "说明", "填报说明", "填表说明", "备注说明"];
/// How a note row under the data begins (its first non-empty cell).
const NOTE_STARTS: &[&str] =
    &["注：", "注:", "说明", "填报说明", "填表说明", "填表人", "填报人", "审核人", "制表人", "负责人", "合计", "总计"];

/// Collects rows in file order and enforces the table rules.
pub(crate) struct TableBuilder<'k> {
    known: &'k [&'k str],
    above: Vec<(usize, Vec<String>)>,
    headers: Option<Vec<String>>,
    header_row: usize,
    ignored_columns: Vec<String>,
    note_rows: Vec<usize>,
    rows: Vec<Row>,
    data_rows: usize,
    cells: usize,
    cell_limit: usize,
}

impl<'k> TableBuilder<'k> {
    /// A builder that looks for a header holding one of `known` (empty: the first non-empty row is the header).
    pub(crate) fn new(known: &'k [&'k str]) -> Self {
        Self {
            known,
            above: Vec::new(),
            headers: None,
            header_row: 0,
            ignored_columns: Vec::new(),
            note_rows: Vec::new(),
            rows: Vec::new(),
            data_rows: 0,
            cells: 0,
            cell_limit: MAX_CELLS,
        }
    }

    /// Adds one row of already trimmed cells; empty rows are skipped.
    pub(crate) fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), SheetError> {
        let used = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |last| last + 1);
        if used == 0 {
            return Ok(());
        }
        cells.truncate(used);
        if self.headers.is_none() {
            if self.known.is_empty() || cells.iter().any(|c| self.known.contains(&c.as_str())) {
                return self.set_header(number, cells);
            }
            self.above.push((number, cells));
            if self.above.len() >= HEADER_SEARCH_ROWS {
                self.first_row_is_header()?;
            }
            return Ok(());
        }
        self.push_data(number, cells)
    }

    /// No row named a known column: the first non-empty row is the header after all.
    fn first_row_is_header(&mut self) -> Result<(), SheetError> {
        let mut above = std::mem::take(&mut self.above).into_iter();
        if let Some((number, cells)) = above.next() {
            self.set_header(number, cells)?;
        }
        for (number, cells) in above {
            self.push_data(number, cells)?;
        }
        Ok(())
    }

    fn set_header(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), SheetError> {
        if !self.known.is_empty() {
            for cell in &mut cells {
                if IGNORED_COLUMNS.contains(&cell.as_str()) && !self.known.contains(&cell.as_str()) {
                    self.ignored_columns.push(std::mem::take(cell));
                }
            }
        }
        check_unique(&cells)?;
        self.cells = cells.len();
        self.headers = Some(cells);
        self.header_row = number;
        self.above.clear();
        Ok(())
    }

    fn push_data(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), SheetError> {
        let headers = self.headers.as_ref().map_or(0, Vec::len);
        if !self.known.is_empty() && is_note(&cells) {
            self.note_rows.push(number);
            return Ok(());
        }
        self.data_rows += 1;
        if self.data_rows > MAX_ROWS {
            return Ok(());
        }
        if cells.len() < headers {
            cells.resize(headers, String::new());
        }
        self.cells += cells.len();
        if self.cells > self.cell_limit {
            return Err(SheetError::TooManyCells { cells: self.cell_limit });
        }
        self.rows.push(Row { number, cells });
        Ok(())
    }

    /// Finishes the table, or says why it cannot be imported.
    pub(crate) fn finish(mut self) -> Result<Table, SheetError> {
        if self.headers.is_none() {
            self.first_row_is_header()?;
        }
        let headers = self.headers.ok_or(SheetError::NoHeader)?;
        if self.data_rows > MAX_ROWS {
            return Err(SheetError::TooManyRows { rows: self.data_rows });
        }
        if self.data_rows == 0 {
            return Err(SheetError::Empty);
        }
        Ok(Table {
            headers,
            rows: self.rows,
            header_row: self.header_row,
            ignored_columns: self.ignored_columns,
            note_rows: self.note_rows,
        })
    }
}

fn is_note(cells: &[String]) -> bool {
    cells.iter().find(|c| !c.is_empty()).is_some_and(|first| NOTE_STARTS.iter().any(|n| first.starts_with(n)))
}

fn check_unique(headers: &[String]) -> Result<(), SheetError> {
    let mut seen = std::collections::HashSet::new();
    for header in headers.iter().filter(|h| !h.is_empty()) {
        if !seen.insert(header.as_str()) {
            return Err(SheetError::DuplicateHeader(header.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_string()).collect()
    }

    #[test]
    fn first_non_empty_row_is_header_and_rows_are_padded() {
        let mut b = TableBuilder::new(&[]);
        b.push(1, row(&["", ""])).unwrap();
        b.push(2, row(&["名称", "", "地址", ""])).unwrap();
        b.push(3, row(&["甲"])).unwrap();
        b.push(4, row(&[])).unwrap();
        b.push(5, row(&["乙", "x", "y", "extra"])).unwrap();
        let t = b.finish().unwrap();
        assert_eq!(t.headers, row(&["名称", "", "地址"]));
        assert_eq!(t.rows[0], Row { number: 3, cells: row(&["甲", "", ""]) });
        assert_eq!(t.rows[1], Row { number: 5, cells: row(&["乙", "x", "y", "extra"]) });
    }

    #[test]
    fn blank_header_cells_are_not_duplicates_but_names_are() {
        let mut b = TableBuilder::new(&[]);
        assert!(b.push(1, row(&["a", "", "", "b"])).is_ok());
        let mut b = TableBuilder::new(&[]);
        assert_eq!(b.push(1, row(&["a", "b", "a"])), Err(SheetError::DuplicateHeader("a".into())));
    }

    #[test]
    fn header_is_found_below_a_title_and_extra_columns_and_notes_are_left_aside() {
        let known = ["企业名称", "产值"];
        let mut b = TableBuilder::new(&known);
        b.push(1, row(&["岚山县企业名录", "岚山县企业名录", "岚山县企业名录"])).unwrap();
        b.push(2, row(&["填报单位：县工信局", "", "填报日期：2026-11-30"])).unwrap();
        b.push(3, row(&["序号", "企业名称", "产值", "备注"])).unwrap();
        b.push(4, row(&["1", "甲", "3", "新增"])).unwrap();
        b.push(5, row(&["注：产值单位为万元"])).unwrap();
        let t = b.finish().unwrap();
        assert_eq!(t.headers, row(&["", "企业名称", "产值", ""]));
        assert_eq!(
            (t.header_row, t.ignored_columns.clone(), t.note_rows.clone()),
            (3, row(&["序号", "备注"]), vec![5])
        );
        assert_eq!(t.rows, vec![Row { number: 4, cells: row(&["1", "甲", "3", "新增"]) }]);
        assert_eq!(
            t.notice().as_deref(),
            Some("表头在第3行，其上2行（标题、填报单位等）未导入；已忽略列：序号、备注；已跳过说明行：第5行")
        );
    }

    #[test]
    fn without_a_known_column_the_first_row_is_the_header() {
        let known = ["企业名称"];
        let mut b = TableBuilder::new(&known);
        b.push(1, row(&["名称", "备注"])).unwrap();
        b.push(2, row(&["甲", "x"])).unwrap();
        let t = b.finish().unwrap();
        assert_eq!((t.headers, t.header_row), (row(&["名称", ""]), 1));
        assert_eq!(t.rows.len(), 1);
        let mut b = TableBuilder::new(&known);
        for n in 1..=HEADER_SEARCH_ROWS + 2 {
            b.push(n, row(&[&format!("行{n}")])).unwrap();
        }
        let t = b.finish().unwrap();
        assert_eq!((t.headers, t.rows.len()), (row(&["行1"]), HEADER_SEARCH_ROWS + 1));
    }

    #[test]
    fn nothing_is_no_header_and_header_only_is_empty() {
        assert_eq!(TableBuilder::new(&[]).finish(), Err(SheetError::NoHeader));
        let mut b = TableBuilder::new(&[]);
        b.push(1, row(&["a"])).unwrap();
        assert_eq!(b.finish(), Err(SheetError::Empty));
    }

    #[test]
    fn too_many_rows_are_counted_not_kept() {
        let mut b = TableBuilder::new(&[]);
        b.push(1, row(&["a"])).unwrap();
        for n in 0..MAX_ROWS + 3 {
            b.push(n + 2, row(&["1"])).unwrap();
        }
        assert_eq!(b.rows.len(), MAX_ROWS);
        assert_eq!(b.finish(), Err(SheetError::TooManyRows { rows: MAX_ROWS + 3 }));
    }

    #[test]
    fn cell_budget_is_enforced() {
        let mut b = TableBuilder { cell_limit: 50, ..TableBuilder::new(&[]) };
        b.push(1, (0..10).map(|i| format!("h{i}")).collect()).unwrap();
        for n in 0..4 {
            b.push(n + 2, row(&["x"])).unwrap();
        }
        assert_eq!(b.push(6, row(&["x"])), Err(SheetError::TooManyCells { cells: 50 }));
    }
}
