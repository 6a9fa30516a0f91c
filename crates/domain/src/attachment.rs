//! Attachments (photos and PDFs of projects, problems and safety checkpoints): the type is read
//! from the content, must agree with the file name, and the size is bounded.

/// Largest attachment accepted, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The kinds accepted: (extensions, content type, signature).
const KINDS: [(&[&str], &str, &[u8]); 3] = [
    (&["pdf"], "application/pdf", b"%PDF-"),
    (&["png"], "image/png", b"\x89PNG\r\n\x1a\n"),
    (&["jpg", "jpeg"], "image/jpeg", b"\xff\xd8\xff"),
];

/// The content type of an upload named `name`, or why it is refused (in Chinese).
pub fn check(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("文件为空".into());
    }
    if bytes.len() > MAX_BYTES {
        return Err(format!("文件超过{}MB", MAX_BYTES / 1024 / 1024));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let claimed = KINDS.iter().find(|(exts, _, _)| exts.contains(&ext.as_str()));
    let Some((_, content_type, magic)) = claimed else {
        return Err("只能上传 PDF、PNG 或 JPG 文件".into());
    };
    if !bytes.starts_with(magic) {
        return Err(format!("文件名是 .{ext}，但内容不是 {ext} 文件"));
    }
    Ok(content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_must_be_what_the_name_says() {
        assert_eq!(check("验收.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(check("现场.JPG", b"\xff\xd8\xff\xe0 ..."), Ok("image/jpeg"));
        assert!(check("假的.pdf", b"MZ\x90\x00 not a pdf").is_err_and(|e| e.contains("内容不是 pdf")));
        assert!(check("脚本.exe", b"MZ").is_err_and(|e| e.contains("只能上传")));
        assert!(check("空.pdf", b"").is_err());
        let big = vec![b'%'; MAX_BYTES + 1];
        assert!(check("大.pdf", &big).is_err_and(|e| e.contains("10MB")));
    }
}
