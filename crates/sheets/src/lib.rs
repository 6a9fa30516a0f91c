//! Spreadsheet import and export for ChainChief: bytes in, bytes out.
//!
//! Reading accepts `.xlsx` (first worksheet) and `.csv` (UTF-8, with or without BOM, or GB18030)
//! and returns a [`Table`] of display text. Hostile files are refused before they cost memory:
//! the file size, the zip's declared uncompressed sizes, the number of rows and the number of
//! cells are all bounded, and calamine runs under `catch_unwind`.
//!
//! Writing produces `.xlsx` and `.csv` exports that are formula-injection safe: a text cell that
//! starts with `=`, `+`, `-`, `@`, TAB, CR or LF is written as text with a leading `'`, and XLSX
//! exports never contain formula cells.
//!
//! Merged cells: calamine reports a merged range's value only in its top-left cell; the reader
//! copies that value into every other cell of the range (clamped to the area that holds data),
//! so a value merged down a column appears on every row it spans.

mod csv_read;
mod table;
mod text;
mod write;
mod xlsx_read;

pub use csv_read::decode as decode_text;
pub use table::{HEADER_SEARCH_ROWS, IGNORED_COLUMNS};
pub use write::{CellOut, SheetOut, template_xlsx, write_csv, write_xlsx};

/// Largest accepted input file, checked before any parsing.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Largest accepted sum of the declared uncompressed sizes of an xlsx's zip entries.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 200 * 1024 * 1024;
/// Largest accepted number of non-empty data rows (the header row not counted).
pub const MAX_ROWS: usize = 200_000;
/// Largest accepted number of cells held in memory for one table (after padding rows to the header):
/// 200,000 rows of 15 columns, a few hundred MB at most whatever the file holds.
pub const MAX_CELLS: usize = 3_000_000;

/// A cell as read: text exactly as shown (numbers formatted without exponent and without trailing ".0", dates from Excel serials as YYYY-MM-DD), or empty.
pub type Cell = String;

/// A table read from a file: the header row and the non-empty data rows below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells, trimmed; trailing empty header cells are dropped, ignored columns are blank.
    pub headers: Vec<String>,
    /// Non-empty data rows in file order.
    pub rows: Vec<Row>,
    /// 1-based row number of the header in the file.
    pub header_row: usize,
    /// Names of the columns left aside (序号, 备注 …), in file order.
    pub ignored_columns: Vec<String>,
    /// Row numbers of the note rows skipped under the header (注：…, 填表人 …, 合计).
    pub note_rows: Vec<usize>,
}

impl Table {
    /// What the reader left aside, in one Chinese sentence for the import result, if anything.
    pub fn notice(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.header_row > 1 {
            parts.push(format!(
                "表头在第{}行，其上{}行（标题、填报单位等）未导入",
                self.header_row,
                self.header_row - 1
            ));
        }
        if !self.ignored_columns.is_empty() {
            parts.push(format!("已忽略列：{}", self.ignored_columns.join("、")));
        }
        if !self.note_rows.is_empty() {
            let rows: Vec<String> = self.note_rows.iter().map(ToString::to_string).collect();
            parts.push(format!("已跳过说明行：第{}行", rows.join("、")));
        }
        (!parts.is_empty()).then(|| parts.join("；"))
    }
}

/// One non-empty data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number in the file as a person sees it (the first row of the file is row 1).
    pub number: usize,
    /// Cells, at least as many as headers (padded with ""); longer rows keep their extra cells.
    pub cells: Vec<Cell>,
}

/// Why a spreadsheet could not be read or written; `Display` is a Chinese message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// The file exceeds [`MAX_FILE_BYTES`].
    #[error("文件超过20MB（实际 {:.1}MB），请拆分后导入", mib(*.bytes as u64))]
    TooLarge {
        /// Size of the refused file in bytes.
        bytes: usize,
    },
    /// The file is not a spreadsheet we can read.
    #[error("文件不是有效的 Excel（.xlsx）文件：{0}")]
    NotASpreadsheet(String),
    /// The xlsx declares more uncompressed data than allowed.
    #[error("文件解压后过大（声明 {:.1}MB），疑似压缩炸弹，已拒绝；请删除无关内容或拆分后导入", mib(*.declared))]
    ZipBomb {
        /// Declared uncompressed size in bytes.
        declared: u64,
    },
    /// A CSV file that is neither UTF-8 nor GB18030.
    #[error("CSV 文件编码无法识别，请另存为 UTF-8 或 GB18030")]
    Encoding,
    /// A header row but no data rows.
    #[error("文件没有数据行：表头下面至少要有一行数据")]
    Empty,
    /// More than [`MAX_ROWS`] data rows.
    #[error("文件有 {rows} 行数据，超过上限 200000 行，请拆分后导入")]
    TooManyRows {
        /// Number of non-empty data rows found.
        rows: usize,
    },
    /// More than [`MAX_CELLS`] cells.
    #[error("表格单元格过多（超过 {cells} 个），请删除多余的列或拆分后导入")]
    TooManyCells {
        /// The limit that was exceeded.
        cells: usize,
    },
    /// No non-empty row at all, so no header.
    #[error("文件是空的：找不到表头行，第一行非空行应为表头")]
    NoHeader,
    /// Two header cells with the same name.
    #[error("表头“{0}”重复，请保证每一列的表头唯一后重新导入")]
    DuplicateHeader(String),
    /// The file is a zip/CSV but its content is damaged (a calamine error or panic).
    #[error("文件内容损坏，无法读取（{0}），请用 Excel 打开后另存为 .xlsx 再导入")]
    Broken(String),
    /// Producing an export failed (for example a text longer than Excel allows in one cell).
    #[error("生成表格文件失败：{0}")]
    Write(String),
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Reads the first worksheet of an `.xlsx` or a `.csv` (chosen by `file_name`'s extension) into a
/// [`Table`] whose header is the first non-empty row.
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<Table, SheetError> {
    read_import(bytes, file_name, &[])
}

/// Reads a sheet to import whose template has the columns `known`: the header is the first row
/// naming one of them (title and 填报单位 rows above it are left aside), 序号/备注-like columns
/// are ignored and note rows under the data skipped; [`Table::notice`] says which.
pub fn read_import(bytes: &[u8], file_name: &str, known: &[&str]) -> Result<Table, SheetError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SheetError::TooLarge { bytes: bytes.len() });
    }
    let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.trim().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "xlsx" => xlsx_read::read(bytes, known),
        "csv" => csv_read::read(bytes, known),
        "xls" | "et" => Err(SheetError::NotASpreadsheet("旧版 .xls 文件请用 Excel 另存为 .xlsx 后导入".into())),
        _ => Err(SheetError::NotASpreadsheet("只支持 .xlsx 和 .csv 文件".into())),
    }
}
