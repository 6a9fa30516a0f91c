//! The target library through sheets [I1]: the template, the upload (every row checked, all or
//! nothing, re-importing changes nothing) and the export, as for the enterprise library.

use super::library_io::{Uploaded, take_upload, xlsx};
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
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

async fn render(state: &AppState, user: &CurrentUser, up: Uploaded<ImportReport>) -> PageResult {
    let l = layout(state, user, "导入招商目标", "/investment/targets")
        .await?
        .with_parents(&[("招商目标库", "/investment/targets")]);
    let status = up.status();
    let (report, notice) = up.imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let page =
        ImportPage { l, columns: COLUMNS.to_vec(), file_error: up.file_error, errors: up.errors, report, notice };
    Ok((status, page).into_response())
}

/// `GET /investment/targets/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    target_sheets::may_import(&state.ctx, &user.caller(), "GET /investment/targets/import").await?;
    render(&state, &user, Uploaded::none()).await
}

/// `POST /investment/targets/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    let caller = user.caller();
    target_sheets::may_import(&state.ctx, &caller, "POST /investment/targets/import").await?;
    let ctx = &state.ctx;
    let caller = &caller;
    let up = take_upload(&mut form, |name, bytes| async move {
        Ok(target_sheets::import_targets(ctx, caller, &bytes, &name).await?)
    })
    .await?;
    render(&state, &user, up).await
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
