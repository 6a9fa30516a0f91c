//! 三同时 and attachments [P3]: the three safety checkpoints of construction projects with their
//! evidence, the projects missing one, the safety design diagnosis of producing enterprises; and
//! photos and PDFs of projects and problems, checked by content and served only to those who
//! may see their owner.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chainchief_app::safety::{self as uc, Owner, SafetyRow, Upload};
use chainchief_domain::attachment;
use serde::Deserialize;

/// Largest request accepted by the upload routes (the attachment limit plus the form).
pub const MAX_UPLOAD: usize = attachment::MAX_BYTES + 64 * 1024;

#[derive(Template, WebTemplate)]
#[template(path = "investment/safety.html")]
struct SafetyPage {
    l: Layout,
    rows: Vec<SafetyRow>,
    diagnoses: Vec<chainchief_app::safety::Diagnosis>,
    today: String,
}

impl SafetyPage {
    /// How many projects miss a checkpoint that is due.
    fn missing_count(&self) -> usize {
        self.rows.iter().filter(|r| !r.missing().is_empty()).count()
    }
}

/// `GET /projects/safety`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let (rows, diagnoses) = uc::board(&state.ctx, &user.caller()).await?;
    let l = layout(&state, &user, "三同时与安全诊断", "/projects/safety").await?.with_flash(f.msg.as_deref());
    let page = SafetyPage { l, rows, diagnoses, today: state.clock.today().format("%Y-%m-%d").to_string() };
    Ok(page.into_response())
}

/// The fields and the file of an upload form, read in one of the few upload slots (held by the
/// caller until the file is stored, so that many uploads at once cannot hold much memory).
pub(crate) async fn read_form(
    form: &mut Multipart,
) -> Result<(Vec<(String, String)>, Option<Upload>, super::library_io::UploadSlot), AppError> {
    let slot = super::library_io::upload_slot().await?;
    let mut fields = Vec::new();
    let mut file = None;
    let too_big = |e: axum::extract::multipart::MultipartError| {
        AppError::field(
            "file",
            format!("上传失败：{}（附件不能超过{}MB）", e.body_text(), attachment::MAX_BYTES / 1024 / 1024),
        )
    };
    while let Some(field) = form.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            file = Some(Upload { name: file_name, bytes: field.bytes().await.map_err(too_big)?.to_vec() });
        } else {
            fields.push((name, field.text().await.map_err(too_big)?));
        }
    }
    Ok((fields, file, slot))
}

/// `POST /projects/{id}/checkpoints` (multipart: checkpoint, done_on, note, file).
pub async fn record_checkpoint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let (fields, file, _slot) = read_form(&mut form).await?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let on = chrono::NaiveDate::parse_from_str(&get("done_on"), "%Y-%m-%d")
        .map_err(|_| AppError::field("done_on", "日期应写成YYYY-MM-DD"))?;
    uc::record_checkpoint(&state.ctx, &user.caller(), &id, &get("checkpoint"), on, &get("note"), &file).await?;
    Ok(Redirect::to("/projects/safety?msg=saved").into_response())
}

/// `POST /projects/{id}/attachments` (multipart: file).
pub async fn attach_to_project(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let (_, file, _slot) = read_form(&mut form).await?;
    uc::attach(&state.ctx, &user.caller(), Owner::Project(&id), &file).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}

/// `POST /problems/{id}/attachments` (multipart: file): whoever may see the problem adds evidence.
pub async fn attach_to_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let (_, file, _slot) = read_form(&mut form).await?;
    uc::attach(&state.ctx, &user.caller(), Owner::Problem(&id), &file).await?;
    Ok(Redirect::to(&format!("/problems/{id}?msg=saved")).into_response())
}

/// `GET /attachments/{id}`: the file, to those who may see its owner.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (a, bytes) = uc::download(&state.ctx, &user.caller(), &id).await?;
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Download, "attachment", Some(&id)).await?;
    Ok(super::pages::download(bytes, &a.content_type, &a.name))
}

/// A diagnosis date.
#[derive(Deserialize)]
pub struct DiagnosisForm {
    on: String,
}

/// `POST /enterprises/{id}/diagnosis`: records a producing enterprise's safety design diagnosis.
pub async fn diagnosis(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DiagnosisForm>,
) -> PageResult {
    let on = chrono::NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("on", "日期应写成YYYY-MM-DD"))?;
    uc::diagnose(&state.ctx, &user.caller(), &id, on).await?;
    Ok(Redirect::to("/projects/safety?msg=saved").into_response())
}
