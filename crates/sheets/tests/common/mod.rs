//! Helpers that build test spreadsheets and archives in memory.
#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::{Workbook, Worksheet};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// An xlsx whose first worksheet is filled by `fill`.
pub fn xlsx_with(fill: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut workbook = Workbook::new();
    fill(workbook.add_worksheet());
    workbook.save_to_buffer().expect("test fixture")
}

/// The entries of a zip archive, in order, with their contents.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("test fixture");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("test fixture");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("test fixture");
            (entry.name().expect("test fixture").to_string(), data)
        })
        .collect()
}

/// The text of one entry of a zip archive.
pub fn entry_text(bytes: &[u8], name: &str) -> String {
    let (_, data) = unzip(bytes).into_iter().find(|(n, _)| n == name).expect("test fixture");
    String::from_utf8(data).expect("test fixture")
}

/// A zip archive holding `entries`, compressed with `method`.
pub fn zip_of(entries: &[(String, Vec<u8>)], method: CompressionMethod) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, data) in entries {
        writer.start_file(name.as_str(), options).expect("test fixture");
        writer.write_all(data).expect("test fixture");
    }
    writer.finish().expect("test fixture").into_inner()
}

/// A small deterministic pseudo-random generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A pseudo-random number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// An xlsx-looking zip whose `xl/sharedStrings.xml` is `mib` MiB of zeros, deflated to about 1/1000.
///
/// The deflate stream is one 4 MiB segment of zeros, compressed once with a full flush (so it is
/// byte-aligned and self-contained) and repeated, then closed by a final empty block; that keeps
/// the test fast while the archive is exactly what a compressor would have produced.
pub fn zeros_bomb(mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    const SEGMENT: usize = 4 << 20;
    assert_eq!(mib % 4, 0);
    let zeros = vec![0u8; SEGMENT];
    let mut compressor = Compress::new(Compression::best(), false);
    let mut segment = Vec::with_capacity(1 << 20);
    compressor.compress_vec(&zeros, &mut segment, FlushCompress::Full).expect("test fixture");
    assert_eq!(compressor.total_in(), SEGMENT as u64, "one call compresses the whole segment");
    let mut tail = Vec::with_capacity(64);
    compressor.compress_vec(&[], &mut tail, FlushCompress::Finish).expect("test fixture");
    let mut segment_crc = Crc::new();
    segment_crc.update(&zeros);
    let mut crc = Crc::new();
    let mut data = Vec::new();
    for _ in 0..mib / 4 {
        data.extend_from_slice(&segment);
        crc.combine(&segment_crc);
    }
    data.extend_from_slice(&tail);
    let mut types_crc = Crc::new();
    types_crc.update(b"<Types/>");
    raw_zip(&[
        RawEntry { name: "[Content_Types].xml", method: 0, crc: types_crc.sum(), size: 8, data: b"<Types/>".to_vec() },
        RawEntry { name: "xl/sharedStrings.xml", method: 8, crc: crc.sum(), size: (mib as u32) << 20, data },
    ])
}

/// One entry of a hand-assembled zip archive.
pub struct RawEntry<'a> {
    pub name: &'a str,
    /// 0 stored, 8 deflated.
    pub method: u16,
    pub crc: u32,
    /// Uncompressed size.
    pub size: u32,
    /// The entry's data as stored in the archive.
    pub data: Vec<u8>,
}

/// Assembles a zip archive (local headers, central directory, end record) from raw entries.
pub fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
    fn header(out: &mut Vec<u8>, entry: &RawEntry<'_>) {
        for v in [20u16, 0, entry.method, 0, 0x21] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [entry.crc, entry.data.len() as u32, entry.size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for entry in entries {
        offsets.push(out.len() as u32);
        out.extend_from_slice(b"PK\x03\x04");
        header(&mut out, entry);
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(&entry.data);
    }
    let directory = out.len() as u32;
    for (entry, offset) in entries.iter().zip(offsets) {
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&20u16.to_le_bytes());
        header(&mut out, entry);
        for v in [0u16, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(entry.name.as_bytes());
    }
    let directory_size = out.len() as u32 - directory;
    out.extend_from_slice(b"PK\x05\x06");
    for v in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
