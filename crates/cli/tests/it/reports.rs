//! Reports as documents: `chainchief report` writes a DOCX in the official layout that LibreOffice
//! opens; its PDF conversion holds the title and a figure. The page of a report offers the same.

use crate::harness::{TestApp, backends, cli, text};
use std::io::Read;
use std::process::Command;

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip package");
    let mut s = String::new();
    zip.by_name("word/document.xml").expect("document part").read_to_string(&mut s).expect("read");
    s
}

/// Converts with LibreOffice and extracts the text with pdftotext (required in CI).
fn pdf_text(docx: &std::path::Path) -> Option<String> {
    let have = Command::new("soffice").arg("--version").output().is_ok()
        && Command::new("pdftotext").arg("-v").output().is_ok();
    if !have {
        assert!(
            std::env::var("CHAINCHIEF_REQUIRE_BROWSER").is_err(),
            "libreoffice and poppler-utils are required in CI"
        );
        eprintln!("skipping the LibreOffice check: soffice or pdftotext is not installed");
        return None;
    }
    let dir = docx.parent().expect("dir");
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let out = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("soffice");
    assert!(out.status.success(), "LibreOffice opens the DOCX: {}", String::from_utf8_lossy(&out.stderr));
    let pdf = docx.with_extension("pdf");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    Some(String::from_utf8_lossy(&text.stdout).to_string())
}

#[tokio::test]
async fn the_report_command_writes_an_official_docx_that_libreoffice_opens() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        let out = dir.join("monthly.docx");
        let period = chainchief_web::last_month();
        let run = cli(
            &app.db,
            &[
                "report",
                "--city",
                "miluo",
                "--kind",
                "monthly",
                "--chain",
                "nonmetal",
                "--period",
                &period,
                "-o",
                out.to_str().expect("path"),
            ],
        );
        assert!(run.status.success(), "{b:?}: {}", text(&run));
        let xml = document_xml(&std::fs::read(&out).expect("docx"));
        assert!(
            xml.contains("工作月报") && xml.contains("高分子材料再生塑料年产量") && xml.contains("w:top=\"2098\""),
            "{b:?}"
        );
        let bad = cli(
            &app.db,
            &["report", "--city", "miluo", "--kind", "monthly", "--period", &period, "-o", out.to_str().expect("path")],
        );
        assert!(!bad.status.success() && text(&bad).contains("--chain"), "{b:?}");
        let pdf = cli(
            &app.db,
            &[
                "report",
                "--city",
                "miluo",
                "--kind",
                "quarterly",
                "--period",
                "2026-Q1",
                "--format",
                "pdf",
                "-o",
                out.to_str().expect("path"),
            ],
        );
        assert!(!pdf.status.success(), "{b:?}: PDF is refused plainly");
        if let Some(text) = pdf_text(&out) {
            assert!(
                text.contains("工作月报") && text.contains("万吨"),
                "{b:?}: the PDF holds the title and a figure: {text}"
            );
        }
    }
}
