//! Importing and exporting the enterprise library through the pages [E4].

use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::response::IntoResponse;
use chainchief_app::enterprise_sheets::{ImportFailure, Imported, export_enterprises, import_enterprises};
use chainchief_domain::enterprise_import::{COLUMNS, RowError};
use chainchief_store::library::Scope;
use chainchief_store::library_import::ImportReport;

/// What a sheet upload came to, for its page: the file refused, rows refused, or imported.
pub(crate) struct Uploaded<R> {
    /// Why the file itself was refused.
    pub file_error: Option<String>,
    /// Every row refused, with its column and reason.
    pub errors: Vec<RowError>,
    /// What was imported.
    pub imported: Option<Imported<R>>,
}

impl<R> Uploaded<R> {
    /// 422 when anything was refused, else 200.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.file_error.is_some() || !self.errors.is_empty() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        }
    }

    /// Nothing uploaded yet: the empty page.
    pub fn none() -> Uploaded<R> {
        Uploaded { file_error: None, errors: vec![], imported: None }
    }

    fn file(message: String) -> Uploaded<R> {
        Uploaded { file_error: Some(message), ..Uploaded::none() }
    }
}

/// Takes an upload slot, reads the uploaded file and hands its name and bytes to `import`; an
/// empty or unreadable upload, a file refused and rows refused become what the page shows.
pub(crate) async fn take_upload<R, F, Fut>(form: &mut Multipart, import: F) -> Result<Uploaded<R>, AppError>
where
    F: FnOnce(String, Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<Result<Imported<R>, ImportFailure>, AppError>>,
{
    let _slot = upload_slot().await?;
    let file = match read_upload(form).await {
        Ok((file, _)) => file,
        Err(e) => return Ok(Uploaded::file(format!("上传失败：{e}（文件不能超过20MB）"))),
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return Ok(Uploaded::file("请选择要导入的 .xlsx 或 .csv 文件".into()));
    };
    Ok(match import(name, bytes).await? {
        Ok(imported) => Uploaded { imported: Some(imported), ..Uploaded::none() },
        Err(ImportFailure::Rows(errors)) => Uploaded { errors, ..Uploaded::none() },
        Err(ImportFailure::File(m)) => Uploaded::file(m),
        Err(ImportFailure::Store(e)) => return Err(e.into()),
    })
}

/// Largest upload accepted.
pub const MAX_UPLOAD: usize = chainchief_sheets::MAX_FILE_BYTES + 64 * 1024;

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<ImportReport>,
    notice: Option<String>,
}

fn may_import(user: &CurrentUser) -> bool {
    chainchief_app::enterprise_sheets::may_import(&user.principal)
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    file_error: Option<String>,
    errors: Vec<RowError>,
    imported: Option<Imported<ImportReport>>,
) -> PageResult {
    let l = layout(state, user, "导入企业", "/enterprises").await?.with_parents(&[("企业库", "/enterprises")]);
    let (report, notice) = imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let failed = file_error.is_some() || !errors.is_empty() || report.as_ref().is_some_and(|r| r.held_for_review);
    let status = if failed { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, ImportPage { l, columns: COLUMNS.to_vec(), file_error, errors, report, notice }).into_response())
}

/// `GET /enterprises/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    require(&state, &user, may_import(&user), "GET /enterprises/import").await?;
    render(&state, &user, None, vec![], None).await
}

/// `GET /enterprises/template.xlsx`.
pub async fn template(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    let bytes = chainchief_app::sheet_templates::enterprises(&state.ctx, &user.principal.city_id).await?;
    Ok(xlsx(bytes, "enterprise-template.xlsx"))
}

/// An .xlsx download.
pub fn xlsx(bytes: Vec<u8>, name: &str) -> axum::response::Response {
    super::pages::download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
}

/// At most two uploads (sheets, plan texts, attachments) are read at once per instance: a large
/// one takes much memory.
pub(crate) static IMPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A held upload slot.
pub(crate) type UploadSlot = tokio::sync::SemaphorePermit<'static>;

/// Waits for an upload slot.
pub(crate) async fn upload_slot() -> Result<UploadSlot, AppError> {
    IMPORTS.acquire().await.map_err(|e| AppError::Internal(e.to_string()))
}

/// `POST /enterprises/import` (multipart: `file`, optional `accept_name_matches`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    require(&state, &user, may_import(&user), "POST /enterprises/import").await?;
    let _slot = upload_slot().await?;
    let (file, accept) = match read_upload(&mut form).await {
        Ok(parts) => parts,
        Err(e) => return render(&state, &user, Some(format!("上传失败：{e}（文件不能超过20MB）")), vec![], None).await,
    };
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return render(&state, &user, Some("请选择要导入的 .xlsx 或 .csv 文件".into()), vec![], None).await;
    };
    let p = &user.principal;
    match import_enterprises(&state.store, &user.actor(), &p.city_id, &bytes, &name, accept, Some(p)).await {
        Ok(report) => render(&state, &user, None, vec![], Some(report)).await,
        Err(ImportFailure::File(m)) => render(&state, &user, Some(m), vec![], None).await,
        Err(ImportFailure::Rows(errors)) => render(&state, &user, None, errors, None).await,
        Err(ImportFailure::Store(e)) => Err(e.into()),
    }
}

/// The uploaded file (name, bytes) and whether name matches are accepted.
pub(crate) async fn read_upload(form: &mut Multipart) -> Result<(Option<(String, Vec<u8>)>, bool), String> {
    let mut file = None;
    let mut accept = false;
    while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                file = Some((name, field.bytes().await.map_err(|e| e.body_text())?.to_vec()));
            }
            Some("accept_name_matches") => accept = true,
            _ => {}
        }
    }
    Ok((file, accept))
}

/// `GET /enterprises/export.xlsx` with the list's filters, within the viewer's scope.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<super::enterprises::ListQuery>,
) -> Result<axum::response::Response, AppError> {
    let scope: Scope = super::enterprises::scope_of(&user.principal);
    let bytes = export_enterprises(&state.store, &user.principal.city_id, &scope, &q.filter())
        .await
        .map_err(AppError::Internal)?;
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "enterprises", None).await?;
    Ok(xlsx(bytes, "enterprises.xlsx"))
}
