//! The innovation carriers through sheets: the template, the upload (every row checked as the
//! form checks it, all or nothing) and, on the list page, the export in the same columns.

use super::library_io::{Uploaded, take_upload, xlsx};
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use chainchief_app::innovation_sheets::{self as uc, COLUMNS, CarrierReport};
use chainchief_domain::enterprise_import::RowError;

#[derive(Template, WebTemplate)]
#[template(path = "innovation/import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<CarrierReport>,
    notice: Option<String>,
}

async fn render(state: &AppState, user: &CurrentUser, up: Uploaded<CarrierReport>) -> PageResult {
    let l = layout(state, user, "导入创新载体", "/innovation").await?.with_parents(&[("创新资源", "/innovation")]);
    let status = up.status();
    let (report, notice) = up.imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let page =
        ImportPage { l, columns: COLUMNS.to_vec(), file_error: up.file_error, errors: up.errors, report, notice };
    Ok((status, page).into_response())
}

/// `GET /innovation/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    uc::may_import(&state.ctx, &user.caller(), "GET /innovation/import").await?;
    render(&state, &user, Uploaded::none()).await
}

/// `POST /innovation/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    let caller = user.caller();
    uc::may_import(&state.ctx, &caller, "POST /innovation/import").await?;
    let ctx = &state.ctx;
    let caller = &caller;
    let up =
        take_upload(&mut form, |name, bytes| async move { Ok(uc::import_carriers(ctx, caller, &bytes, &name).await?) })
            .await?;
    render(&state, &user, up).await
}

/// `GET /innovation/template.xlsx`.
pub async fn template(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    uc::may_import(&state.ctx, &user.caller(), "GET /innovation/template.xlsx").await?;
    let bytes = chainchief_app::sheet_templates::carriers(&state.ctx, &user.principal.city_id).await?;
    Ok(xlsx(bytes, "innovation-template.xlsx"))
}
