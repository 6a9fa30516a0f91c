//! `chainchief import enterprises` and `chainchief export enterprises`.

use crate::commands::Db;
use anyhow::Context;
use chainchief_app::enterprise_sheets::{ImportFailure, export_enterprises, import_enterprises};
use chainchief_store::audit::Actor;
use chainchief_store::library::{Filter, Scope};
use chainchief_store::org;
use std::path::Path;
use std::process::ExitCode;

/// Imports a sheet; exits non-zero when the file is refused or held for review.
pub async fn import(db: &Db, city: &str, file: &Path, accept_name_matches: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let store = db.open().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let result = import_enterprises(
        &store,
        &Actor::cli(store.clock().now_millis()),
        &city_id,
        &bytes,
        &name,
        accept_name_matches,
        None,
    )
    .await;
    store.close().await;
    match result {
        Ok(i) if i.report.held_for_review => {
            let r = i.report;
            eprintln!(
                "以下行与企业库中的企业名称不一致（只按名称匹配到，或信用代码相同而名称不同），请核对后加 --accept-name-matches 重新导入（库中名称不会被改动）："
            );
            for (row, in_file, in_library) in &r.name_matches {
                eprintln!("  第{row}行 “{in_file}” → 企业库中的“{in_library}”");
            }
            eprintln!("未导入任何内容");
            Ok(ExitCode::from(3))
        }
        Ok(i) => {
            notice(&i.notice);
            let r = i.report;
            println!(
                "已导入 {} 行：新增 {} 家，更新 {} 家，无变化 {} 家，新增环节归属/梯队 {} 条",
                r.rows, r.created, r.updated, r.unchanged, r.links_added
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(refused(file, &e)),
    }
}

/// Prints why an import stored nothing (every row error, or the reason) and returns failure.
pub fn refused(file: &Path, failure: &ImportFailure) -> ExitCode {
    match failure {
        ImportFailure::Rows(errors) => {
            for e in errors {
                eprintln!("{e}");
            }
            eprintln!("{} 有 {} 处错误，未导入任何内容", file.display(), errors.len());
        }
        other => eprintln!("{}：{other}，未导入任何内容", file.display()),
    }
    ExitCode::FAILURE
}

/// Writes the city's library as .xlsx.
pub async fn export(db: &Db, city: &str, output: &Path) -> anyhow::Result<ExitCode> {
    let store = db.existing().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let bytes =
        export_enterprises(&store, &city_id, &Scope::City, &Filter::default()).await.map_err(anyhow::Error::msg)?;
    std::fs::write(output, bytes).with_context(|| format!("无法写入 {}", output.display()))?;
    println!("已导出到 {}", output.display());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Prints what the reader left aside (title rows, 序号/备注 columns, note rows), if anything.
pub fn notice(notice: &Option<String>) {
    if let Some(n) = notice {
        println!("{n}");
    }
}
