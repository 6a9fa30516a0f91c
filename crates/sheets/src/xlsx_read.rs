//! XLSX reading: zip bounds first, then calamine's streaming cell reader under `catch_unwind`.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError};

use crate::table::TableBuilder;
use crate::text::{format_date, format_number, format_time, trim_cell};
use crate::{MAX_CELLS, MAX_ROWS, MAX_UNCOMPRESSED_BYTES, SheetError, Table};

/// A single entry larger than this is refused when it also compresses better than [`MAX_RATIO`].
const MAX_DENSE_ENTRY_BYTES: u64 = 10 * 1024 * 1024;
/// Largest accepted compression ratio of an entry above [`MAX_DENSE_ENTRY_BYTES`].
const MAX_RATIO: u64 = 200;
/// Rows and columns outside Excel's grid only occur in damaged or hostile files.
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;

/// Non-empty cells by absolute (0-based) row, then column.
type Sparse = BTreeMap<u32, BTreeMap<u32, String>>;

/// Reads the first worksheet of an xlsx file.
pub(crate) fn read(bytes: &[u8], known: &[&str]) -> Result<Table, SheetError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        let why = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "这是旧版 .xls 或加密的文件，请在 Excel 中取消密码并另存为 .xlsx"
        } else {
            "文件内容不是 .xlsx 格式（可能只是改了扩展名）"
        };
        return Err(SheetError::NotASpreadsheet(why.into()));
    }
    contain_panic(|| read_guarded(bytes, known))
}

/// Runs a parser so that a panic inside it becomes [`SheetError::Broken`] instead of unwinding.
fn contain_panic<T>(parse: impl FnOnce() -> Result<T, SheetError>) -> Result<T, SheetError> {
    catch_unwind(AssertUnwindSafe(parse)).unwrap_or_else(|_| Err(SheetError::Broken("读取时发生内部错误".into())))
}

fn read_guarded(bytes: &[u8], known: &[&str]) -> Result<Table, SheetError> {
    check_zip(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(open_error)?;
    let sheet = workbook
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .ok_or_else(|| SheetError::NotASpreadsheet("工作簿中没有工作表".into()))?;
    let cells = match collect_cells(&mut workbook, &sheet)? {
        Collected::Cells(cells) => cells,
        Collected::TooManyRows(rows) => return Err(SheetError::TooManyRows { rows }),
    };
    let merges = workbook.merge_cells_by_sheet_name(&sheet).map_err(broken)?;
    let cells = fill_merged(cells, &merges)?;
    let mut builder = TableBuilder::new(known);
    for (row, by_column) in cells {
        let width = by_column.keys().next_back().map_or(0, |last| *last as usize + 1);
        let mut values = vec![String::new(); width];
        for (column, value) in by_column {
            values[column as usize] = value;
        }
        builder.push(row as usize + 1, values)?;
    }
    builder.finish()
}

/// Refuses archives whose declared uncompressed size is too large, before anything is inflated.
///
/// The zip crate stops inflating an entry at its declared size, so these declarations bound
/// what calamine can later decompress.
fn check_zip(bytes: &[u8]) -> Result<(), SheetError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| SheetError::NotASpreadsheet(format!("压缩包无法打开（{e}）")))?;
    let mut declared: u64 = 0;
    let mut has_content_types = false;
    let mut shared_strings = Vec::new();
    for index in 0..archive.len() {
        let entry =
            archive.by_index_data(index).map_err(|e| SheetError::NotASpreadsheet(format!("压缩包损坏（{e}）")))?;
        let size = entry.size();
        declared = declared.saturating_add(size);
        if size > MAX_DENSE_ENTRY_BYTES && size / entry.compressed_size().max(1) > MAX_RATIO {
            return Err(SheetError::ZipBomb { declared: size });
        }
        let name = entry.name().map(|n| n.replace('\\', "/").to_ascii_lowercase()).unwrap_or_default();
        has_content_types |= name == "[content_types].xml";
        if name.ends_with("sharedstrings.xml") {
            shared_strings.push((index, size));
        }
    }
    if declared > MAX_UNCOMPRESSED_BYTES {
        return Err(SheetError::ZipBomb { declared });
    }
    if !has_content_types {
        return Err(SheetError::NotASpreadsheet("压缩包中没有 Excel 工作簿".into()));
    }
    for (index, size) in shared_strings {
        let entry = archive.by_index(index).map_err(|e| SheetError::Broken(e.to_string()))?;
        check_shared_string_count(entry, size)?;
    }
    Ok(())
}

/// calamine reserves memory for the `uniqueCount` that the shared-strings table declares, and a
/// failed allocation aborts the process; so a count that its entry's size cannot hold is refused.
fn check_shared_string_count(entry: impl std::io::Read, size: u64) -> Result<(), SheetError> {
    // The shortest string item is `<si/>`.
    let most = size / 5 + 16;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "sst" =>
            {
                let too_many = declared_counts(e.attributes_raw()).any(|n| n.is_none_or(|n| n > most));
                if too_many {
                    return Err(SheetError::Broken("共享字符串表声明的数量与内容不符".into()));
                }
                return Ok(());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// Every `uniqueCount="N"` in a tag's raw attributes: `Some(N)`, or `None` for digits beyond u64.
fn declared_counts(raw: &str) -> impl Iterator<Item = Option<u64>> + '_ {
    raw.match_indices("uniqueCount").filter_map(|(at, key)| {
        let rest = raw[at + key.len()..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &rest[1..rest[1..].find(quote)? + 1];
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(value.parse::<u64>().ok())
    })
}

enum Collected {
    Cells(Sparse),
    TooManyRows(usize),
}

/// Streams the sheet's cells, keeping only non-empty ones and bounding rows, columns and count.
fn collect_cells(workbook: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Result<Collected, SheetError> {
    let mut reader = workbook.worksheet_cells_reader(sheet).map_err(broken)?;
    let mut cells = Sparse::new();
    let mut stored = 0usize;
    // Once there are more rows than allowed, only row indices are kept, to report how many.
    let mut counting: Option<std::collections::BTreeSet<u32>> = None;
    while let Some(cell) = reader.next_cell().map_err(broken)? {
        let (row, column) = cell.get_position();
        if row >= EXCEL_ROWS || column >= EXCEL_COLUMNS {
            return Err(SheetError::Broken(format!(
                "单元格位置超出 Excel 范围（第{}行第{}列）",
                row as u64 + 1,
                column + 1
            )));
        }
        let text = display(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if let Some(rows) = counting.as_mut() {
            rows.insert(row);
            continue;
        }
        let by_column = cells.entry(row).or_default();
        if by_column.insert(column, text).is_none() {
            stored += 1;
        }
        if stored > MAX_CELLS {
            return Err(SheetError::TooManyCells { cells: MAX_CELLS });
        }
        if cells.len() > MAX_ROWS + 1 {
            counting = Some(cells.keys().copied().collect());
            cells.clear();
        }
    }
    Ok(match counting {
        Some(rows) => Collected::TooManyRows(rows.len().saturating_sub(1)),
        None => Collected::Cells(cells),
    })
}

/// Copies each merged range's top-left value into the range, clamped to the area holding data.
fn fill_merged(mut cells: Sparse, merges: &[calamine::Dimensions]) -> Result<Sparse, SheetError> {
    let (Some(&last_row), Some(last_column)) =
        (cells.keys().next_back(), cells.values().filter_map(|c| c.keys().next_back()).max().copied())
    else {
        return Ok(cells);
    };
    let mut stored: usize = cells.values().map(BTreeMap::len).sum();
    // Overlapping ranges could revisit the same cells again and again; the visits are bounded too.
    let mut visited = 0usize;
    for merge in merges {
        let (top, left) = merge.start;
        let Some(value) = cells.get(&top).and_then(|c| c.get(&left)).cloned() else { continue };
        let bottom = merge.end.0.min(last_row);
        let right = merge.end.1.min(last_column);
        for row in top..=bottom {
            for column in left..=right {
                visited += 1;
                if visited > 2 * MAX_CELLS {
                    return Err(SheetError::TooManyCells { cells: MAX_CELLS });
                }
                if (row, column) == (top, left) {
                    continue;
                }
                let by_column = cells.entry(row).or_default();
                if let std::collections::btree_map::Entry::Vacant(slot) = by_column.entry(column) {
                    slot.insert(value.clone());
                    stored += 1;
                    if stored > MAX_CELLS {
                        return Err(SheetError::TooManyCells { cells: MAX_CELLS });
                    }
                }
            }
        }
    }
    Ok(cells)
}

/// The text a person sees in a cell.
fn display(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => format_number(*f),
        DataRef::String(s) | DataRef::DurationIso(s) => trim_cell(s).to_string(),
        DataRef::SharedString(s) => trim_cell(s).to_string(),
        DataRef::DateTimeIso(s) => iso_date(trim_cell(s)),
        DataRef::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            if d.is_duration() || (0.0..1.0).contains(&serial) {
                format_time(serial)
            } else {
                let (year, month, day, ..) = d.to_ymd_hms_milli();
                format_date(year, month, day)
            }
        }
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Keeps the date part of an ISO 8601 date-time (`2024-03-09T10:00:00` → `2024-03-09`).
fn iso_date(s: &str) -> String {
    let b = s.as_bytes();
    let is_date = b.len() > 10
        && b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && b[10] == b'T';
    if is_date { s[..10].to_string() } else { s.to_string() }
}

fn open_error(e: XlsxError) -> SheetError {
    match e {
        XlsxError::Zip(e) => SheetError::NotASpreadsheet(format!("压缩包无法打开（{e}）")),
        XlsxError::Password => SheetError::NotASpreadsheet("文件有密码保护，请取消密码后导入".into()),
        other => broken(other),
    }
}

fn broken(e: XlsxError) -> SheetError {
    SheetError::Broken(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_counts_are_found_however_written() {
        let counts: Vec<_> =
            declared_counts(r#" count="3" uniqueCount = '12' x:uniqueCount="99999999999999999999999""#).collect();
        assert_eq!(counts, vec![Some(12), None]);
    }

    #[test]
    fn a_panicking_parser_becomes_broken() {
        let result: Result<(), SheetError> = contain_panic(|| panic!("malformed"));
        assert_eq!(result, Err(SheetError::Broken("读取时发生内部错误".into())));
        assert_eq!(contain_panic(|| Ok(7)), Ok(7));
    }

    #[test]
    fn iso_date_keeps_only_dates() {
        assert_eq!(iso_date("2024-03-09T10:00:00"), "2024-03-09");
        assert_eq!(iso_date("2024-03-09"), "2024-03-09");
        assert_eq!(iso_date("链长T制度说明文字"), "链长T制度说明文字");
    }

    #[test]
    fn merged_fill_is_clamped_to_data() {
        let mut cells = Sparse::new();
        cells.entry(0).or_default().insert(0, "链".to_string());
        cells.entry(2).or_default().insert(1, "x".to_string());
        let merges = [calamine::Dimensions::new((0, 0), (EXCEL_ROWS - 1, EXCEL_COLUMNS - 1))];
        let filled = fill_merged(cells, &merges).unwrap();
        assert_eq!(filled.len(), 3);
        assert_eq!(filled.values().map(BTreeMap::len).sum::<usize>(), 6);
        assert_eq!(filled[&2][&1], "x");
        assert_eq!(filled[&1][&1], "链");
    }
}
