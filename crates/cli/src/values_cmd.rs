//! `chainchief import values` and `chainchief export values`: monthly figures through sheets.

use crate::commands::Db;
use anyhow::Context;
use chainchief_app::figure_sheets::{export_values, import_values};
use chainchief_store::audit::Actor;
use chainchief_store::org;
use std::path::Path;
use std::process::ExitCode;

/// Imports a sheet of monthly figures; all or nothing, every error printed by row and column.
pub async fn import(db: &Db, city: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let store = db.open().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let actor = Actor { city_id: Some(city_id.clone()), ..Actor::cli(store.clock().now_millis()) };
    let result = import_values(&store, &actor, &city_id, &bytes, &name, None).await;
    store.close().await;
    match result {
        Ok(i) => {
            crate::library_cmd::notice(&i.notice);
            let s = i.report;
            println!("已导入：新增 {} 个数值，改正 {} 个，无变化 {} 个", s.created, s.updated, s.unchanged);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(crate::library_cmd::refused(file, &e)),
    }
}

/// Writes a year's figures as .xlsx (the import template's columns and a sheet of provenance).
pub async fn export(db: &Db, city: &str, year: i32, output: &Path) -> anyhow::Result<ExitCode> {
    let store = db.existing().await?;
    let city_id =
        org::city_id_by_code(store.pool(), city).await.with_context(|| format!("没有代码为“{city}”的城市"))?;
    let bytes = export_values(&store, &city_id, year, |_| true).await.map_err(anyhow::Error::msg)?;
    std::fs::write(output, bytes).with_context(|| format!("无法写入 {}", output.display()))?;
    println!("已导出{year}年月度数据到 {}", output.display());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
