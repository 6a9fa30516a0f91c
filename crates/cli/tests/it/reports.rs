//! Reports as documents: `chainchief report` writes a DOCX in the official layout that LibreOffice
//! opens, and a PDF of our own whose text pdftotext reads back; the year-end reports carry their
//! tables and figures. The page of a report offers the same.

use crate::harness::{TestApp, backends, cli, created_id, html, text};
use std::io::Read;
use std::process::Command;

pub(crate) fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip package");
    let mut s = String::new();
    zip.by_name("word/document.xml").expect("document part").read_to_string(&mut s).expect("read");
    s
}

/// The text of a PDF by pdftotext, with the spaces of its layout removed.
pub(crate) fn text_of_pdf(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext reads {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect()
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
    Some(text_of_pdf(&docx.with_extension("pdf")))
}

fn report(app: &TestApp, args: &[&str], out: &std::path::Path) -> std::process::Output {
    let mut all = vec!["report", "--city", "miluo"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().expect("path")]);
    cli(&app.db, &all)
}

#[tokio::test]
async fn the_report_command_writes_an_official_docx_that_libreoffice_opens() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        let out = dir.join("monthly.docx");
        let period = crate::harness::last_month();
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
        if let Some(text) = pdf_text(&out) {
            assert!(
                text.contains("工作月报") && text.contains("万吨"),
                "{b:?}: the PDF holds the title and a figure: {text}"
            );
        }
        let quarterly = dir.join("quarterly.pdf");
        let run = report(&app, &["--kind", "quarterly", "--period", "2026-Q1", "--format", "pdf"], &quarterly);
        assert!(run.status.success(), "{b:?}: {}", text(&run));
        let words = text_of_pdf(&quarterly);
        assert!(
            words.contains("2026年第1季度工作报告") && words.contains("万吨") && words.contains("—1—"),
            "{b:?}: {words}"
        );
        let html_format = report(&app, &["--kind", "quarterly", "--period", "2026-Q1", "--format", "html"], &quarterly);
        assert!(!html_format.status.success() && text(&html_format).contains("docx 或 pdf"), "{b:?}");
    }
}

#[tokio::test]
async fn year_end_reports_come_with_their_tables_and_figures_in_word_and_pdf() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        for (kind, title, table, own) in [
            (
                "analysis",
                "有色金属新材料产业链2026年度产业链分析报告",
                "表12026年目标指标完成情况",
                "表3创新平台与联合体",
            ),
            ("investment", "有色金属新材料产业链2026年度招商报告", "表3招商路线：环节与推荐目标企业", "一、招商活动"),
        ] {
            let pdf = dir.join(format!("{kind}.pdf"));
            let run =
                report(&app, &["--kind", kind, "--chain", "nonferrous", "--period", "2026", "--format", "pdf"], &pdf);
            assert!(run.status.success(), "{b:?}: {}", text(&run));
            let words = text_of_pdf(&pdf);
            for needle in [title, table, own, "图1产业链现状图", "电解/阴极铜", "2026年度"] {
                assert!(words.contains(needle), "{b:?} {kind}: {needle} missing in {words}");
            }
            let docx = dir.join(format!("{kind}.docx"));
            let run = report(&app, &["--kind", kind, "--chain", "nonferrous", "--period", "2026"], &docx);
            assert!(run.status.success(), "{b:?}: {}", text(&run));
            let bytes = std::fs::read(&docx).expect("docx");
            let xml = document_xml(&bytes);
            assert!(
                xml.contains("<w:tbl>") && xml.contains("r:embed=\"rIdImg1\""),
                "{b:?} {kind}: a table and the map"
            );
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            let mut png = Vec::new();
            zip.by_name("word/media/image1.png").expect("the map as PNG").read_to_end(&mut png).expect("read");
            assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{b:?}: a real picture");
            if let Some(words) = pdf_text(&docx) {
                assert!(words.contains(title) && words.contains("电解/阴极铜"), "{b:?} {kind}: {words}");
            }
        }
        let bad =
            report(&app, &["--kind", "analysis", "--chain", "nonferrous", "--period", "2026-01"], &dir.join("x.pdf"));
        assert!(!bad.status.success() && text(&bad).contains("应为年份"), "{b:?}: {}", text(&bad));
        assert!(!dir.join("x.pdf").exists(), "{b:?}: nothing written");
    }
}

#[tokio::test]
async fn a_chain_office_edits_its_year_end_report_and_the_pdf_follows_the_edit() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let (c, csrf) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let chain = app.chain_id(&token, "非金属新材料产业链").await;
        let draft = |year: &'static str| {
            c.post(format!("{}/dispatch/yearend", app.base))
                .form(&[("chain_id", chain.as_str()), ("kind", "analysis"), ("year", year), ("_csrf", csrf.as_str())])
                .send()
        };
        assert_eq!(draft("20x6").await.expect("post").status(), 422, "{b:?}: a year is a year");
        let drafted = draft("2026").await.expect("post");
        assert_eq!(drafted.status(), 303, "{b:?}");
        let id = created_id(&drafted, "/dispatch/");
        let page = html(&app, &c, &format!("/dispatch/{id}")).await;
        assert!(
            page.contains("【插入：图1 产业链现状图】")
                && page.contains("<figcaption>图1 产业链现状图</figcaption>")
                && page.contains("<caption>表2 重点企业</caption>"),
            "{b:?}: the text with its inserts, and the preview with the map and tables"
        );
        let body = "一、产业链概况\n本链年度发展总体平稳，再生塑料产能持续释放。\n【插入：表2 重点企业】";
        let saved = c
            .post(format!("{}/dispatch/{id}", app.base))
            .form(&[("action", "save"), ("body", body), ("version", "1"), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("save");
        assert_eq!(saved.status(), 303, "{b:?}");
        let pdf = c.get(format!("{}/dispatch/{id}/pdf", app.base)).send().await.expect("pdf");
        assert_eq!(pdf.status(), 200, "{b:?}");
        assert_eq!(pdf.headers()["content-type"], "application/pdf", "{b:?}");
        let file = app.db.dir.path().join("edited.pdf");
        std::fs::write(&file, pdf.bytes().await.expect("bytes")).expect("write");
        let words = text_of_pdf(&file);
        assert!(words.contains("再生塑料产能持续释放") && words.contains("表2重点企业"), "{b:?}: {words}");
        assert!(!words.contains("图1产业链现状图"), "{b:?}: the removed map stays out");
        let (other, _) = app.web_login("chain2").await;
        let denied = other.get(format!("{}/dispatch/{id}/pdf", app.base)).send().await.expect("get");
        assert_eq!(denied.status(), 403, "{b:?}: another chain's office cannot read it");
    }
}

#[tokio::test]
async fn the_five_maps_and_five_lists_come_as_one_document_and_one_workbook() {
    for b in backends() {
        let app = TestApp::spawn(b).await;
        let dir = app.db.dir.path();
        let pdf = dir.join("bundle.pdf");
        let run =
            report(&app, &["--kind", "bundle", "--chain", "nonferrous", "--period", "2026", "--format", "pdf"], &pdf);
        assert!(run.status.success(), "{b:?}: {}", text(&run));
        let words = text_of_pdf(&pdf);
        for needle in [
            "有色金属新材料产业链“五图五清单”（2026年版）",
            "图1产业链图",
            "图2技术路线图",
            "图3应用领域图",
            "图4区域分布图",
            "图5招商路线图",
            "企业清单",
            "项目清单",
            "集群清单",
            "问题清单",
            "政策清单",
            "龙智新材料（示范企业）",
            "汨罗示范再生铝",
            "电解/阴极铜",
        ] {
            assert!(words.contains(needle), "{b:?}: {needle} missing in {words}");
        }
        assert!(words.contains("150000") && !words.contains("1500000000"), "{b:?}: 15亿元 planned is 150000 万元");
        let xlsx = dir.join("bundle.xlsx");
        let run =
            report(&app, &["--kind", "bundle", "--chain", "nonferrous", "--period", "2026", "--format", "xlsx"], &xlsx);
        assert!(run.status.success(), "{b:?}: {}", text(&run));
        let mut book = zip::ZipArchive::new(std::fs::File::open(&xlsx).expect("open")).expect("a workbook");
        let mut part = |name: &str| {
            let mut s = String::new();
            book.by_name(name).expect(name).read_to_string(&mut s).expect("read");
            s
        };
        let workbook = part("xl/workbook.xml");
        for list in ["企业清单", "项目清单", "集群清单", "问题清单", "政策清单"] {
            assert!(workbook.contains(&format!("name=\"{list}\"")), "{b:?}: sheet {list}");
        }
        assert!(part("xl/sharedStrings.xml").contains("展威（示范企业）"), "{b:?}: the chain's enterprises are listed");
        let (c, _) = app.web_login("chain1").await;
        let token = app.token("chain1").await;
        let chain = app.chain_id(&token, "非金属新材料产业链").await;
        let own = c.get(format!("{}/chains/{chain}/bundle?format=docx&year=2026", app.base)).send().await.expect("get");
        assert_eq!(own.status(), 200, "{b:?}");
        assert!(document_xml(&own.bytes().await.expect("bytes")).contains("五图五清单"), "{b:?}");
    }
}
