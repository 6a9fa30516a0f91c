//! A document with text, a table and a figure typeset to PDF; pdftotext reads it back.

use chainchief_pdf::{pdf, rasterize_figures};
use chainchief_render::official::{Block, OfficialDoc};
use std::process::Command;

fn sample() -> OfficialDoc {
    let chart = chainchief_render::charts::comparison(
        "各链营业收入",
        "亿元",
        &[chainchief_render::charts::Bar {
            label: "有色金属".into(),
            value: 82.5,
            status: chainchief_render::charts::Status::Green,
            href: None,
        }],
    );
    OfficialDoc {
        issuer: "汨罗市产业链链长制工作办公室".into(),
        number: "2026年度".into(),
        title: "有色金属产业链2026年度产业链分析报告".into(),
        recipient: String::new(),
        blocks: vec![
            Block::Text("一、产业链概况".into()),
            Block::Text("本链共12个环节，#set text(red) 不是排版指令。".into()),
            Block::Table {
                caption: "表1 目标指标完成情况".into(),
                header: vec!["指标".into(), "目标".into(), "实际".into()],
                rows: vec![vec!["再生铝年产量".into(), "100万吨".into(), "119.9万吨".into()]],
            },
            Block::Figure { caption: "图1 各链营业收入".into(), svg: chart, png: None },
        ],
        signer: "汨罗市产业链链长制工作办公室".into(),
        date: "2026年12月31日".into(),
    }
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext reads the file");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_pdf_holds_the_title_the_table_and_the_figure_in_chinese() {
    let bytes = pdf(&sample(), &[]).expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = text_of(&bytes);
    let flat: String = text.split_whitespace().collect();
    for needle in [
        "有色金属产业链2026年度产业链分析报告",
        "汨罗市产业链链长制工作办公室",
        "119.9万吨",
        "表1目标指标完成情况",
        "图1各链营业收入",
        "#settext(red)不是排版指令",
        "—1—",
    ] {
        assert!(flat.contains(needle), "{needle} missing in:\n{text}");
    }
}

#[test]
fn figures_get_a_png_for_word() {
    let mut d = sample();
    rasterize_figures(&mut d, &[]).expect("rasterize");
    let Some(Block::Figure { png: Some(p), .. }) = d.blocks.last() else { panic!("figure without png") };
    assert!(p.width > 100 && p.height > 10 && p.bytes.starts_with(b"\x89PNG"));
}
