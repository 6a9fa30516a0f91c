//! Turns rows of trimmed cells into a [`Table`]: header detection, duplicate headers, padding, limits.

use crate::{MAX_CELLS, MAX_ROWS, Row, SheetError, Table};

/// Collects rows in file order and enforces the table rules.
pub(crate) struct TableBuilder {
    headers: Option<Vec<String>>,
    rows: Vec<Row>,
    data_rows: usize,
    cells: usize,
    cell_limit: usize,
}

impl Default for TableBuilder {
    fn default() -> Self {
        Self { headers: None, rows: Vec::new(), data_rows: 0, cells: 0, cell_limit: MAX_CELLS }
    }
}

impl TableBuilder {
    /// Adds one row of already trimmed cells; empty rows are skipped.
    pub(crate) fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), SheetError> {
        let used = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |last| last + 1);
        if used == 0 {
            return Ok(());
        }
        cells.truncate(used);
        let Some(headers) = &self.headers else {
            check_unique(&cells)?;
            self.cells = cells.len();
            self.headers = Some(cells);
            return Ok(());
        };
        self.data_rows += 1;
        if self.data_rows > MAX_ROWS {
            return Ok(());
        }
        if cells.len() < headers.len() {
            cells.resize(headers.len(), String::new());
        }
        self.cells += cells.len();
        if self.cells > self.cell_limit {
            return Err(SheetError::TooManyCells { cells: self.cell_limit });
        }
        self.rows.push(Row { number, cells });
        Ok(())
    }

    /// Finishes the table, or says why it cannot be imported.
    pub(crate) fn finish(self) -> Result<Table, SheetError> {
        let headers = self.headers.ok_or(SheetError::NoHeader)?;
        if self.data_rows > MAX_ROWS {
            return Err(SheetError::TooManyRows { rows: self.data_rows });
        }
        if self.data_rows == 0 {
            return Err(SheetError::Empty);
        }
        Ok(Table { headers, rows: self.rows })
    }
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
        let mut b = TableBuilder::default();
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
        let mut b = TableBuilder::default();
        assert!(b.push(1, row(&["a", "", "", "b"])).is_ok());
        let mut b = TableBuilder::default();
        assert_eq!(b.push(1, row(&["a", "b", "a"])), Err(SheetError::DuplicateHeader("a".into())));
    }

    #[test]
    fn nothing_is_no_header_and_header_only_is_empty() {
        assert_eq!(TableBuilder::default().finish(), Err(SheetError::NoHeader));
        let mut b = TableBuilder::default();
        b.push(1, row(&["a"])).unwrap();
        assert_eq!(b.finish(), Err(SheetError::Empty));
    }

    #[test]
    fn too_many_rows_are_counted_not_kept() {
        let mut b = TableBuilder::default();
        b.push(1, row(&["a"])).unwrap();
        for n in 0..MAX_ROWS + 3 {
            b.push(n + 2, row(&["1"])).unwrap();
        }
        assert_eq!(b.rows.len(), MAX_ROWS);
        assert_eq!(b.finish(), Err(SheetError::TooManyRows { rows: MAX_ROWS + 3 }));
    }

    #[test]
    fn cell_budget_is_enforced() {
        let mut b = TableBuilder { cell_limit: 50, ..TableBuilder::default() };
        b.push(1, (0..10).map(|i| format!("h{i}")).collect()).unwrap();
        for n in 0..4 {
            b.push(n + 2, row(&["x"])).unwrap();
        }
        assert_eq!(b.push(6, row(&["x"])), Err(SheetError::TooManyCells { cells: 50 }));
    }
}
