//! Monthly figures through sheets on the pages [T2]: the template, the upload (every row checked,
//! all or nothing, re-import changes nothing) and a year's export with provenance.

use super::library_io::{MAX_UPLOAD, Uploaded, take_upload, xlsx};
use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::response::IntoResponse;
use chainchief_app::figure_sheets::{export_values, import_values};
use chainchief_domain::enterprise_import::RowError;
use chainchief_domain::values_import::COLUMNS;
use chainchief_store::figures::ImportSummary;
use serde::Deserialize;

/// Largest upload accepted (the same as for enterprises).
pub const MAX_VALUES_UPLOAD: usize = MAX_UPLOAD;

#[derive(Template, WebTemplate)]
#[template(path = "figures/import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    summary: Option<ImportSummary>,
    notice: Option<String>,
    year: i32,
}

fn may_import(user: &CurrentUser) -> bool {
    chainchief_app::figure_sheets::may_import(&user.principal)
}

async fn render(state: &AppState, user: &CurrentUser, up: Uploaded<ImportSummary>) -> PageResult {
    let l = layout(state, user, "导入导出月度数据", "/figures/import").await?;
    let status = up.status();
    let (summary, notice) = up.imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let page = ImportPage {
        l,
        columns: COLUMNS.to_vec(),
        file_error: up.file_error,
        errors: up.errors,
        summary,
        notice,
        year: state.clock.year(),
    };
    Ok((status, page).into_response())
}

/// `GET /figures/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    require(&state, &user, may_import(&user), "GET /figures/import").await?;
    render(&state, &user, Uploaded::none()).await
}

/// `POST /figures/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    require(&state, &user, may_import(&user), "POST /figures/import").await?;
    let (store, actor, p) = (&state.store, &user.actor(), &user.principal);
    let up = take_upload(&mut form, |name: String, bytes: Vec<u8>| async move {
        Ok(import_values(store, actor, &p.city_id, &bytes, &name, Some(p)).await)
    })
    .await?;
    render(&state, &user, up).await
}

/// `GET /figures/template.xlsx`.
pub async fn template(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    let bytes = chainchief_app::sheet_templates::figures(&state.ctx, &user.principal.city_id).await?;
    Ok(xlsx(bytes, "values-template.xlsx"))
}

/// Year of the export.
#[derive(Deserialize)]
pub struct ExportQuery {
    year: Option<i32>,
}

/// `GET /figures/export.xlsx?year=Y`: the figures the user oversees.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ExportQuery>,
) -> Result<axum::response::Response, AppError> {
    require(&state, &user, may_import(&user), "GET /figures/export.xlsx").await?;
    let year = q.year.unwrap_or_else(|| state.clock.year());
    if !chainchief_domain::period::YEARS.contains(&year) {
        return Err(AppError::field("year", "年份应在2000到2100之间"));
    }
    let p = &user.principal;
    let bytes =
        export_values(&state.store, &p.city_id, year, |i| chainchief_app::figures::may_enter_office_figure(p, i))
            .await
            .map_err(AppError::Internal)?;
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "figures", None).await?;
    Ok(xlsx(bytes, &format!("values-{year}.xlsx")))
}
