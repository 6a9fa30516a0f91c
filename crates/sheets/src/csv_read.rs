//! CSV reading: UTF-8 (BOM stripped) or GB18030, flexible rows, trimmed cells.

use std::borrow::Cow;

use crate::table::TableBuilder;
use crate::text::trim_cell;
use crate::{SheetError, Table};

/// Decodes and parses a CSV file.
pub(crate) fn read(bytes: &[u8], known: &[&str]) -> Result<Table, SheetError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut builder = TableBuilder::new(known);
    let mut record = csv::StringRecord::new();
    // A spreadsheet program shows one row per record and per blank line. The csv crate skips blank
    // lines and reports the position where it began reading (before those blank lines), so the
    // skipped line breaks are added and line breaks inside quoted fields are subtracted.
    let mut embedded_breaks: u64 = 0;
    let mut last_number = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(SheetError::Broken(format!("CSV 第{}行：{e}", last_number + 1))),
        }
        let (line, byte) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
        let blank = text.as_bytes().get(usize::try_from(byte).unwrap_or(usize::MAX)..).map_or(0, |rest| {
            rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).filter(|b| **b == b'\n').count() as u64
        });
        let line = line + blank;
        let seen = usize::try_from(line.saturating_sub(embedded_breaks)).unwrap_or(usize::MAX);
        let number = seen.max(last_number + 1);
        last_number = number;
        embedded_breaks += record.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
        builder.push(number, record.iter().map(|f| trim_cell(f).to_string()).collect())?;
    }
    builder.finish()
}

/// Text of a file in UTF-8 (with or without BOM) or GB18030.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).ok_or(SheetError::Encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_numbers_follow_what_a_person_sees() {
        let csv = "名称,说明\n\n甲,\"两\n行\"\n,\n乙,x\n";
        let t = read(csv.as_bytes(), &[]).unwrap();
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![3, 5]);
        assert_eq!(t.rows[0].cells, vec!["甲".to_string(), "两\n行".to_string()]);
    }

    #[test]
    fn invalid_gb18030_is_an_encoding_error() {
        assert_eq!(read(b"a,b\n\x80\xff,1\n", &[]), Err(SheetError::Encoding));
    }

    #[test]
    fn crlf_and_trimming() {
        let t = read("  名称\u{3000},数量 \r\n 甲 , 3 \r\n".as_bytes(), &[]).unwrap();
        assert_eq!(t.headers, vec!["名称".to_string(), "数量".to_string()]);
        assert_eq!(t.rows[0].cells, vec!["甲".to_string(), "3".to_string()]);
        assert_eq!(t.rows[0].number, 2);
    }
}
