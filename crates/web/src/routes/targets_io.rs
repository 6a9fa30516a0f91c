//! The target library through sheets [I1]: the template, the upload (every row checked, all or
//! nothing, re-importing changes nothing) and the export, as for the enterprise library.

use super::library_io::{read_upload, upload_slot, xlsx};
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use chainchief_app::enterprise_sheets::{ImportFailure, Imported};
use chainchief_app::target_sheets;
use chainchief_domain::enterprise_import::RowError;
use chainchief_domain::targets_import::COLUMNS;
use chainchief_store::investment::ImportReport;

#[derive(Template, WebTemplate)]
#[template(path = "investment/targets_import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<ImportReport>,
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    file_error: Option<String>,
    errors: Vec<RowError>,
    imported: Option<Imported<ImportReport>>,
) -> PageResult {
    let (report, notice) = imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let l = layout(state, user, "导入招商目标", "/investment/targets")
        .await?
        .with_parents(&[("招商目标库", "/investment/targets")]);
    let status = if file_error.is_some() || !errors.is_empty() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, ImportPage { l, columns: COLUMNS.to_vec(), file_error, errors, report, notice }).into_response())
}

/// `GET /investment/targets/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    target_sheets::may_import(&state.ctx, &user.caller(), "GET /investment/targets/import").await?;
    render(&state, &user, None, vec![], None).await
}

/// `POST /investment/targets/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    target_sheets::may_import(&state.ctx, &user.caller(), "POST /investment/targets/import").await?;
    let _slot = upload_slot().await?;
    let file = match read_upload(&mut form).await {
        Ok((file, _)) => file,
        Err(e) => return render(&state, &user, Some(format!("上传失败：{e}（文件不能超过20MB）")), vec![], None).await,
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return render(&state, &user, Some("请选择要导入的 .xlsx 或 .csv 文件".into()), vec![], None).await;
    };
    match target_sheets::import_targets(&state.ctx, &user.caller(), &bytes, &name).await? {
        Ok(report) => render(&state, &user, None, vec![], Some(report)).await,
        Err(ImportFailure::Rows(errors)) => render(&state, &user, None, errors, None).await,
        Err(ImportFailure::File(e)) => render(&state, &user, Some(e), vec![], None).await,
        Err(ImportFailure::Store(e)) => Err(AppError::from(e).into()),
    }
}

/// `GET /investment/targets/template.xlsx`.
pub async fn template(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    let bytes = chainchief_app::sheet_templates::targets(&state.ctx, &user.principal.city_id).await?;
    Ok(xlsx(bytes, "targets-template.xlsx"))
}

/// `GET /investment/targets/export.xlsx`: one row per target and chain, in the template's columns (and status).
pub async fn export(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    let bytes = target_sheets::export_targets(&state.ctx, &user.caller()).await?;
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "investment_targets", None).await?;
    Ok(xlsx(bytes, "targets.xlsx"))
}
