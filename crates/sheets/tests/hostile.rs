//! Hostile and damaged input: size limits, non-spreadsheets, zip bombs, formula injection, fuzzing.

mod common;

use std::io::{Cursor, Read};

use chainchief_sheets::{CellOut, MAX_UNCOMPRESSED_BYTES, SheetError, SheetOut, read_table, write_xlsx};
use common::{Rng, entry_text, unzip, xlsx_with, zeros_bomb, zip_of};
use rust_xlsxwriter::{ExcelDateTime, Format};
use zip::CompressionMethod;

const INJECTIONS: [&str; 7] = ["=1+2", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\t=1", "\r=1", "\n=1"];

#[test]
fn xlsx_export_writes_formula_starts_as_quoted_text_and_no_formula_cells() {
    let sheet = SheetOut {
        name: "注入".into(),
        headers: vec!["=HEADER()".into(), "值".into()],
        rows: INJECTIONS.iter().map(|s| vec![CellOut::Text((*s).into()), CellOut::Int(1)]).collect(),
    };
    let bytes = write_xlsx(&[sheet]).unwrap();
    for (name, data) in unzip(&bytes) {
        let xml = String::from_utf8_lossy(&data);
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "{name} has a formula element");
    }
    let shared = entry_text(&bytes, "xl/sharedStrings.xml");
    assert!(shared.contains("'=1+2") || shared.contains("&apos;=1+2"), "{shared}");
    let table = read_table(&bytes, "注入.xlsx").unwrap();
    assert_eq!(table.headers[0], "'=HEADER()");
    let first: Vec<&str> = table.rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(first, vec!["'=1+2", "'+cmd|' /C calc'!A0", "'-2", "'@SUM(A1)", "'\t=1", "'\r=1", "'\n=1"]);
}

#[test]
fn oversized_file_is_refused_before_parsing() {
    let blob = vec![0u8; 50 * 1024 * 1024];
    let err = read_table(&blob, "big.xlsx").unwrap_err();
    assert_eq!(err, SheetError::TooLarge { bytes: blob.len() });
    assert!(err.to_string().starts_with("文件超过20MB"), "{err}");
    assert!(matches!(read_table(&blob, "big.csv"), Err(SheetError::TooLarge { .. })));
}

#[test]
fn random_bytes_and_unsupported_names_are_not_spreadsheets() {
    let mut rng = Rng(0x5EED);
    let noise: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
    let err = read_table(&noise, "企业.xlsx").unwrap_err();
    assert!(matches!(err, SheetError::NotASpreadsheet(_)), "{err:?}");
    assert!(err.to_string().starts_with("文件不是有效的 Excel（.xlsx）文件："), "{err}");
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend_from_slice(&noise);
    assert!(matches!(read_table(&fake_zip, "a.xlsx"), Err(SheetError::NotASpreadsheet(_) | SheetError::Broken(_))));
    let valid = xlsx_with(|ws| {
        ws.write_string(0, 0, "a").unwrap();
    });
    for name in ["表.xls", "表.pdf", "表", "表.xlsx.exe"] {
        assert!(matches!(read_table(&valid, name), Err(SheetError::NotASpreadsheet(_))), "{name}");
    }
    assert_eq!(
        read_table(&valid, "x.doc").unwrap_err().to_string(),
        "文件不是有效的 Excel（.xlsx）文件：只支持 .xlsx 和 .csv 文件"
    );
}

#[test]
fn zip_without_workbook_is_refused_without_panic() {
    let text = zip_of(&[("readme.txt".into(), "不是表格".as_bytes().to_vec())], CompressionMethod::Deflated);
    assert!(matches!(read_table(&text, "a.xlsx"), Err(SheetError::NotASpreadsheet(_))));
    let parts = zip_of(
        &[("[Content_Types].xml".into(), b"<Types/>".to_vec()), ("xl/other.xml".into(), b"<x/>".to_vec())],
        CompressionMethod::Deflated,
    );
    let err = read_table(&parts, "a.xlsx").unwrap_err();
    assert!(matches!(err, SheetError::NotASpreadsheet(_) | SheetError::Broken(_)), "{err:?}");
}

#[test]
fn zip_bomb_is_refused_from_its_declared_size() {
    let bomb = zeros_bomb(212);
    assert!(bomb.len() < 400 * 1024, "compressed to {} bytes", bomb.len());
    // The archive is genuine: its entry inflates to zeros (only the first MiB is checked here).
    let mut archive = zip::ZipArchive::new(Cursor::new(&bomb[..])).unwrap();
    let mut head = Vec::new();
    archive.by_index(1).unwrap().take(1 << 20).read_to_end(&mut head).unwrap();
    assert!(head.len() == 1 << 20 && head.iter().all(|b| *b == 0));
    let err = read_table(&bomb, "bomb.xlsx").unwrap_err();
    assert_eq!(err, SheetError::ZipBomb { declared: 212 * 1024 * 1024 });
    assert!(err.to_string().contains("疑似压缩炸弹"), "{err}");
}

#[test]
fn many_entries_are_refused_by_their_total_declared_size() {
    let entries: Vec<(String, Vec<u8>)> =
        (0..30).map(|i| (format!("xl/media/part{i}.bin"), b"small".to_vec())).collect();
    let mut bytes = zip_of(&entries, CompressionMethod::Stored);
    // Declare 9 MiB for each part (below the per-entry rule) so that only the total exceeds the limit.
    for (name, _) in &entries {
        patch_declared_size(&mut bytes, name, 9 * 1024 * 1024);
    }
    match read_table(&bytes, "parts.xlsx") {
        Err(SheetError::ZipBomb { declared }) => assert!(declared > MAX_UNCOMPRESSED_BYTES),
        other => panic!("expected ZipBomb, got {other:?}"),
    }
}

#[test]
fn an_entry_larger_than_declared_is_not_inflated_past_its_declaration() {
    let valid = sample_xlsx();
    let mut entries = unzip(&valid);
    let sheet = entries.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
    let padding = format!("<!--{}-->", " ".repeat(4 * 1024 * 1024));
    sheet.1.splice(0..0, padding.into_bytes());
    let mut bytes = zip_of(&entries, CompressionMethod::Deflated);
    patch_declared_size(&mut bytes, "xl/worksheets/sheet1.xml", 1000);
    let err = read_table(&bytes, "lie.xlsx").unwrap_err();
    assert!(matches!(err, SheetError::Broken(_)), "{err:?}");
}

#[test]
fn an_impossible_shared_string_count_is_refused() {
    let mut entries = unzip(&sample_xlsx());
    let shared = entries.iter_mut().find(|(n, _)| n == "xl/sharedStrings.xml").unwrap();
    let text = String::from_utf8(shared.1.clone()).unwrap();
    let start = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
    let end = start + text[start..].find('"').unwrap();
    shared.1 = format!("{}900000000000{}", &text[..start], &text[end..]).into_bytes();
    let bytes = zip_of(&entries, CompressionMethod::Deflated);
    assert!(matches!(read_table(&bytes, "sst.xlsx"), Err(SheetError::Broken(_))));
}

#[test]
fn mutated_xlsx_files_never_panic() {
    let valid = sample_xlsx();
    assert!(read_table(&valid, "ok.xlsx").is_ok());
    let entries = unzip(&valid);
    let mut rng = Rng(0x00C0_FFEE_1234_5678);
    let (mut ok, mut refused) = (0, 0);
    for round in 0..200 {
        let mutated = match round % 4 {
            0 => flip_bytes(&valid, &mut rng),
            1 => valid[..rng.below(valid.len())].to_vec(),
            _ => {
                let mut inner = entries.clone();
                let pick = rng.below(inner.len());
                inner[pick].1 = if round % 4 == 2 {
                    mutate_xml(&inner[pick].1, &mut rng)
                } else {
                    splice(&inner[pick].1, &mut rng)
                };
                zip_of(&inner, CompressionMethod::Deflated)
            }
        };
        match read_table(&mutated, "fuzz.xlsx") {
            Ok(table) => {
                assert!(!table.headers.is_empty() && !table.rows.is_empty());
                ok += 1;
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                refused += 1;
            }
        }
    }
    assert_eq!(ok + refused, 200);
    assert!(refused > 0 && ok > 0, "mutations should break some files and spare others: {ok} read, {refused} refused");
}

/// A workbook with strings, numbers, a date, a boolean and a merged range.
fn sample_xlsx() -> Vec<u8> {
    xlsx_with(|ws| {
        for (col, h) in ["产业链", "企业名称", "产值", "日期", "链主"].iter().enumerate() {
            ws.write_string(0, col as u16, *h).expect("sample workbook");
        }
        ws.merge_range(1, 0, 2, 0, "新能源", &Format::new()).expect("sample workbook");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for row in 1..6u32 {
            ws.write_string(row, 1, format!("企业{row}")).expect("sample workbook");
            ws.write_number(row, 2, f64::from(row) * 1.5).expect("sample workbook");
            ws.write_datetime_with_format(
                row,
                3,
                ExcelDateTime::from_ymd(2024, 1, row as u8).expect("sample workbook"),
                &date,
            )
            .expect("sample workbook");
            ws.write_boolean(row, 4, row % 2 == 0).expect("sample workbook");
        }
    })
}

fn flip_bytes(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len());
        out[at] = rng.next() as u8;
    }
    out
}

fn mutate_xml(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    const TOKENS: &[&[u8]] = &[
        b"<",
        b">",
        b"\"",
        b"/",
        b"=",
        b"&",
        b"9999999999",
        b"XFD1048576",
        b"r=\"A",
        b"-1",
        b"</c>",
        b"<v>",
        b"t=\"s\"",
    ];
    let mut out = xml.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(out.len().max(1));
        let token = TOKENS[rng.below(TOKENS.len())];
        match rng.below(3) {
            0 => out.splice(at..at, token.iter().copied()).for_each(drop),
            1 => out.truncate(at.max(1)),
            _ => out.splice(at..(at + token.len()).min(out.len()), token.iter().copied()).for_each(drop),
        }
    }
    out
}

fn splice(xml: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = xml.to_vec();
    let from = rng.below(out.len().max(1));
    let len = rng.below(64).min(out.len() - from.min(out.len()));
    let piece = out[from..from + len].to_vec();
    let to = rng.below(out.len().max(1));
    out.splice(to..to, piece);
    out
}

/// Rewrites an entry's declared uncompressed size in its local header and central directory record.
fn patch_declared_size(bytes: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        let (name_len_at, name_at, size_at) = match &bytes[at..at + 4] {
            b"PK\x03\x04" => (at + 26, at + 30, at + 22),
            b"PK\x01\x02" => (at + 28, at + 46, at + 24),
            _ => continue,
        };
        let name_len = u16::from_le_bytes([bytes[name_len_at], bytes[name_len_at + 1]]) as usize;
        if bytes.get(name_at..name_at + name_len) == Some(name) {
            bytes[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory record");
}
