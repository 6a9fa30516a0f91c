//! 三同时 and attachments [P3]: the three safety checkpoints of construction projects with their
//! evidence, the projects missing one, the safety design diagnosis of producing enterprises; and
//! photos and PDFs of projects and problems, checked by content and served only to those who
//! may see their owner.

use super::pages::{FlashQuery, PageResult, layout};
use super::targets::may_read;
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chainchief_app::projects::may_change;
use chainchief_domain::attachment;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::Stage;
use chainchief_domain::roles::Role;
use chainchief_store::projects::{self, Project};
use chainchief_store::safety::{self, Checkpoint, NewAttachment};
use serde::Deserialize;

/// Largest request accepted by the upload routes (the attachment limit plus the form).
pub const MAX_UPLOAD: usize = attachment::MAX_BYTES + 64 * 1024;

/// The three checkpoints: (code, label, the stage from which it is due).
pub const CHECKPOINTS: [(&str, &str, Stage); 3] = [
    ("design", "安全设施与主体工程同时设计", Stage::Approval),
    ("construction", "同时施工", Stage::Construction),
    ("acceptance", "同时投入生产和使用", Stage::Production),
];

/// A project with its checkpoints.
pub struct SafetyRow {
    /// The project.
    pub p: Project,
    /// Per checkpoint: (code, label, done, due).
    pub points: Vec<(&'static str, &'static str, Option<Checkpoint>, bool)>,
}

impl SafetyRow {
    /// Labels of the checkpoints due and not recorded.
    pub fn missing(&self) -> Vec<&'static str> {
        self.points.iter().filter(|x| x.3 && x.2.is_none()).map(|x| x.1).collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/safety.html")]
struct SafetyPage {
    l: Layout,
    rows: Vec<SafetyRow>,
    diagnoses: Vec<(String, String, Option<String>)>,
    can_diagnose: bool,
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
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /projects/safety").await?;
    let pool = state.store.pool();
    let done = safety::checkpoints(pool, &p.city_id).await?;
    let rows = projects::list(pool, &p.city_id)
        .await?
        .into_iter()
        .filter_map(|pr| {
            let stage = pr.stage;
            (stage.index() >= Stage::Approval.index()).then(|| {
                let points = CHECKPOINTS
                    .iter()
                    .map(|(code, label, from)| {
                        let rec = done.iter().find(|d| d.project_id == pr.id && d.checkpoint == *code).cloned();
                        (*code, *label, rec, stage.index() >= from.index())
                    })
                    .collect();
                SafetyRow { p: pr, points }
            })
        })
        .collect();
    let l = layout(&state, &user, "三同时与安全诊断", "/projects/safety").await?.with_flash(f.msg.as_deref());
    let page = SafetyPage {
        l,
        rows,
        diagnoses: safety::diagnoses(pool, &p.city_id).await?,
        can_diagnose: p.has_any(&[Role::GeneralOffice, Role::ChainOffice, Role::ResponsibleUnit]),
        today: state.clock.today().format("%Y-%m-%d").to_string(),
    };
    Ok(page.into_response())
}

/// The fields and the file of an upload form.
pub(crate) async fn read_form(
    form: &mut Multipart,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), AppError> {
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
            file = Some((file_name, field.bytes().await.map_err(too_big)?.to_vec()));
        } else {
            fields.push((name, field.text().await.map_err(too_big)?));
        }
    }
    Ok((fields, file))
}

fn checked_file(file: Option<(String, Vec<u8>)>) -> Result<(String, Vec<u8>, &'static str), AppError> {
    checked(file.filter(|(n, _)| !n.is_empty()).ok_or_else(|| AppError::field("file", "请选择要上传的文件"))?)
}

/// A named upload checked by content and size: (name, bytes, content type).
pub(crate) fn checked((name, bytes): (String, Vec<u8>)) -> Result<(String, Vec<u8>, &'static str), AppError> {
    let content_type = attachment::check(&name, &bytes).map_err(|e| AppError::field("file", e))?;
    Ok((name, bytes, content_type))
}

async fn changeable(state: &AppState, user: &CurrentUser, id: &str, what: &str) -> Result<Project, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let pr = projects::get(state.store.pool(), &user.principal.city_id, id).await?;
    require(state, user, may_change(&user.principal, &pr), what).await?;
    Ok(pr)
}

/// `POST /projects/{id}/checkpoints` (multipart: checkpoint, done_on, note, file).
pub async fn record_checkpoint(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let pr = changeable(&state, &user, &id, "POST /projects/{id}/checkpoints").await?;
    let (fields, file) = read_form(&mut form).await?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let code = get("checkpoint");
    let (_, label, from) =
        CHECKPOINTS.iter().find(|c| c.0 == code).ok_or_else(|| AppError::field("checkpoint", "请选择“三同时”事项"))?;
    let stage = pr.stage;
    if stage.index() < from.index() {
        return Err(AppError::field("checkpoint", format!("项目到“{}”阶段才登记“{label}”", from.label())).into());
    }
    let on = chrono::NaiveDate::parse_from_str(&get("done_on"), "%Y-%m-%d")
        .map_err(|_| AppError::field("done_on", "日期应写成YYYY-MM-DD"))?;
    if on > state.clock.today() {
        return Err(AppError::field("done_on", "完成日期不能晚于今天").into());
    }
    let (name, bytes, content_type) = checked_file(file)?;
    let evidence = NewAttachment {
        city_id: &user.principal.city_id,
        owner_kind: "project",
        owner_id: &pr.id,
        name: &name,
        content_type,
        bytes: &bytes,
    };
    let note = get("note");
    safety::record_checkpoint(&state.store, &user.actor(), &evidence, &code, &on.format("%Y-%m-%d").to_string(), &note)
        .await?;
    Ok(Redirect::to("/projects/safety?msg=saved").into_response())
}

/// Stores the uploaded file of `form` as an attachment of `owner_kind` `owner_id`.
async fn attach(
    state: &AppState,
    user: &CurrentUser,
    owner_kind: &str,
    owner_id: &str,
    form: &mut Multipart,
) -> Result<(), AppError> {
    let (_, file) = read_form(form).await?;
    let (name, bytes, content_type) = checked_file(file)?;
    let a = NewAttachment {
        city_id: &user.principal.city_id,
        owner_kind,
        owner_id,
        name: &name,
        content_type,
        bytes: &bytes,
    };
    safety::attach(&state.store, &user.actor(), &a).await?;
    Ok(())
}

/// `POST /projects/{id}/attachments` (multipart: file).
pub async fn attach_to_project(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let pr = changeable(&state, &user, &id, "POST /projects/{id}/attachments").await?;
    attach(&state, &user, "project", &pr.id, &mut form).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}

/// `POST /problems/{id}/attachments` (multipart: file): whoever may see the problem adds evidence.
pub async fn attach_to_problem(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    chainchief_app::problems::visible(&state.ctx, &user.caller(), &id, &format!("POST /problems/{id}/attachments"))
        .await?;
    attach(&state, &user, "problem", &id, &mut form).await?;
    Ok(Redirect::to(&format!("/problems/{id}?msg=saved")).into_response())
}

/// `GET /attachments/{id}`: the file, to those who may see its owner.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !is_valid_id(&id) {
        return Err(AppError::NotFound);
    }
    let (a, bytes) = safety::content(state.store.pool(), &user.principal.city_id, &id).await?;
    match a.owner_kind.as_str() {
        "problem" => chainchief_app::problems::visible(
            &state.ctx,
            &user.caller(),
            &a.owner_id,
            &format!("GET /attachments/{id}"),
        )
        .await
        .map(|_| ())?,
        "task" => {}
        _ => require(&state, &user, may_read(&user.principal), &format!("GET /attachments/{id}")).await?,
    }
    let disposition = format!("attachment; filename*=UTF-8''{}", percent(&a.name));
    Ok(([(header::CONTENT_TYPE, a.content_type), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
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
    let p = &user.principal;
    require(
        &state,
        &user,
        p.has_any(&[Role::GeneralOffice, Role::ChainOffice, Role::ResponsibleUnit]),
        "POST /enterprises/{id}/diagnosis",
    )
    .await?;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let on = chrono::NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("on", "日期应写成YYYY-MM-DD"))?;
    if on > state.clock.today() {
        return Err(AppError::field("on", "诊断日期不能晚于今天").into());
    }
    safety::set_diagnosis(&state.store, &user.actor(), &p.city_id, &id, &on.format("%Y-%m-%d").to_string()).await?;
    Ok(Redirect::to("/projects/safety?msg=saved").into_response())
}
