//! The target library through sheets [I1]: the template, the upload (every row checked, all or
//! nothing, re-importing changes nothing) and the export, as for the enterprise library.

use super::library_io::{IMPORTS, read_upload, xlsx};
use super::pages::{PageResult, layout};
use super::targets::{may_read, may_write};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use chainchief_domain::enterprise_import::RowError;
use chainchief_domain::targets_import::{COLUMNS, Lookups, check};
use chainchief_sheets::{CellOut, SheetOut, read_table, write_xlsx};
use chainchief_store::investment::{self, ImportReport};
use chainchief_store::{maps, org};

#[derive(Template, WebTemplate)]
#[template(path = "investment/targets_import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<ImportReport>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<ImportReport>,
) -> PageResult {
    let l = layout(state, user, "导入招商目标", "/investment/targets")
        .await?
        .with_parents(&[("招商目标库", "/investment/targets")]);
    let status = if file_error.is_some() || !errors.is_empty() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, ImportPage { l, columns: COLUMNS.to_vec(), file_error, errors, report }).into_response())
}

/// `GET /investment/targets/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    require(&state, &user, may_write(&user.principal), "GET /investment/targets/import").await?;
    render(&state, &user, None, vec![], None).await
}

async fn lookups(state: &AppState, city_id: &str) -> Result<Lookups, AppError> {
    let pool = state.store.pool();
    let chains = org::chains(pool, city_id).await?;
    let mut nodes = Vec::new();
    for c in &chains {
        nodes.extend(maps::load(pool, &c.id).await?.nodes.into_iter().map(|n| (c.id.clone(), n.id, n.name)));
    }
    Ok(Lookups {
        chains: chains.into_iter().map(|c| (c.id, c.name, c.short_name)).collect(),
        nodes,
        units: org::units(pool, city_id).await?.into_iter().map(|u| (u.id, u.name, u.short_name)).collect(),
    })
}

/// `POST /investment/targets/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    require(&state, &user, may_write(&user.principal), "POST /investment/targets/import").await?;
    let _slot = IMPORTS.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?;
    let file = match read_upload(&mut form).await {
        Ok((file, _)) => file,
        Err(e) => return render(&state, &user, Some(format!("上传失败：{e}（文件不能超过20MB）")), vec![], None).await,
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return render(&state, &user, Some("请选择要导入的 .xlsx 或 .csv 文件".into()), vec![], None).await;
    };
    let table = match read_table(&bytes, &name) {
        Ok(t) => t,
        Err(e) => return render(&state, &user, Some(e.to_string()), vec![], None).await,
    };
    let city = &user.principal.city_id;
    let rows: Vec<(usize, Vec<String>)> = table.rows.into_iter().map(|r| (r.number, r.cells)).collect();
    match check(&table.headers, &rows, &lookups(&state, city).await?) {
        Err(errors) => render(&state, &user, None, errors, None).await,
        Ok(checked) => {
            let report = investment::import_targets(&state.store, &user.actor(), city, &checked).await?;
            render(&state, &user, None, vec![], Some(report)).await
        }
    }
}

/// `GET /investment/targets/template.xlsx`.
pub async fn template() -> Result<axum::response::Response, AppError> {
    let example = [
        "江西示范铜业集团股份有限公司",
        "中国500强、上市公司",
        "阴极铜、铜杆",
        "有色金属新材料产业链",
        "电解/阴极铜",
        "高新区管委会",
        "",
    ];
    let bytes = chainchief_sheets::template_xlsx(&COLUMNS, &example).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "targets-template.xlsx"))
}

/// `GET /investment/targets/export.xlsx`: one row per target and chain, in the template's columns (and status).
pub async fn export(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /investment/targets/export.xlsx").await?;
    let pool = state.store.pool();
    let chains = org::chains(pool, &p.city_id).await?;
    let nodes = investment::target_nodes(pool, &p.city_id).await?;
    let mut rows = Vec::new();
    for t in investment::targets(pool, &p.city_id).await? {
        let mine: Vec<_> = nodes.iter().filter(|n| n.0 == t.id).collect();
        let mut chain_ids: Vec<&str> = mine.iter().map(|n| n.3.as_str()).collect();
        chain_ids.dedup();
        if chain_ids.is_empty() {
            chain_ids.push("");
        }
        for c in chain_ids {
            let chain = chains.iter().find(|x| x.id == c).map(|x| x.name.clone()).unwrap_or_default();
            let names: Vec<&str> = mine.iter().filter(|n| n.3 == c).map(|n| n.2.as_str()).collect();
            let text = |s: String| if s.is_empty() { CellOut::Empty } else { CellOut::Text(s) };
            rows.push(vec![
                CellOut::Text(t.name.clone()),
                text(t.categories.clone()),
                text(t.products.clone()),
                text(chain),
                text(names.join("、")),
                text(t.owner_name.clone().unwrap_or_default()),
                text(t.note.clone()),
                CellOut::Text(t.status.label().into()),
            ]);
        }
    }
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    headers.push("状态".into());
    let bytes = write_xlsx(&[SheetOut { name: "招商目标库".into(), headers, rows }])
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx(bytes, "targets.xlsx"))
}
