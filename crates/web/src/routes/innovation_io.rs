//! The innovation lists through sheets: for the carriers and for the key technologies, the
//! template, the upload (every row checked as the form checks it, all or nothing) and, on the list
//! pages, the export in the same columns.

use super::library_io::{Uploaded, take_upload, xlsx};
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use chainchief_app::innovation_sheets::{self, Counts};
use chainchief_app::sheet_templates;
use chainchief_app::technology_sheets;
use chainchief_domain::enterprise_import::RowError;

/// Which list a page imports.
#[derive(Clone, Copy)]
enum List {
    Carriers,
    Technologies,
    Results,
}

impl List {
    fn title(self) -> &'static str {
        match self {
            List::Carriers => "导入创新载体",
            List::Technologies => "导入关键核心技术攻关清单",
            List::Results => "导入标准与发明专利",
        }
    }

    fn lead(self) -> &'static str {
        match self {
            List::Carriers => {
                "每行一个创新平台、联合体、协会或公共服务平台，列与导出的清单相同。与已有载体同名的行更新该载体；成员、活动和评价在载体页面上逐个登记。"
            }
            List::Technologies => {
                "每行一项关键核心技术攻关，列与导出的清单相同。与已有项目同名的行更新该项目，攻关阶段只能前进或不变，新到达的阶段按导入当天记录。"
            }
            List::Results => {
                "每行一项标准或发明专利及其奖励，列与导出的清单相同。已登记且内容相同的行不变，编号已登记而内容不同的行不导入。"
            }
        }
    }

    fn path(self) -> &'static str {
        match self {
            List::Carriers => "/innovation",
            List::Technologies => "/innovation/technologies",
            List::Results => "/innovation/results",
        }
    }

    fn columns(self) -> Vec<(&'static str, &'static str)> {
        match self {
            List::Carriers => innovation_sheets::COLUMNS.to_vec(),
            List::Technologies => technology_sheets::COLUMNS.to_vec(),
            List::Results => technology_sheets::RESULT_COLUMNS.to_vec(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/import.html")]
struct ImportPage {
    l: Layout,
    title: &'static str,
    lead: &'static str,
    path: &'static str,
    columns: Vec<(&'static str, &'static str)>,
    file_error: Option<String>,
    errors: Vec<RowError>,
    report: Option<Counts>,
    notice: Option<String>,
}

async fn render(state: &AppState, user: &CurrentUser, list: List, up: Uploaded<Counts>) -> PageResult {
    let l = layout(state, user, list.title(), "/innovation").await?.with_parents(&[("创新资源", list.path())]);
    let status = up.status();
    let (report, notice) = up.imported.map_or((None, None), |i| (Some(i.report), i.notice));
    let page = ImportPage {
        l,
        title: list.title(),
        lead: list.lead(),
        path: list.path(),
        columns: list.columns(),
        file_error: up.file_error,
        errors: up.errors,
        report,
        notice,
    };
    Ok((status, page).into_response())
}

/// The import page of `list`, for one who may import it.
async fn show(state: &AppState, user: &CurrentUser, list: List) -> PageResult {
    let what = format!("GET {}/import", list.path());
    innovation_sheets::may_import(&state.ctx, &user.caller(), &what).await?;
    render(state, user, list, Uploaded::none()).await
}

/// Imports the uploaded sheet into `list` and shows what came of it.
async fn take(state: &AppState, user: &CurrentUser, form: &mut Multipart, list: List) -> PageResult {
    let caller = user.caller();
    let what = format!("POST {}/import", list.path());
    innovation_sheets::may_import(&state.ctx, &caller, &what).await?;
    let (ctx, caller) = (&state.ctx, &caller);
    let up = take_upload(form, |name, bytes| async move {
        Ok(match list {
            List::Carriers => innovation_sheets::import_carriers(ctx, caller, &bytes, &name).await?,
            List::Technologies => technology_sheets::import_technologies(ctx, caller, &bytes, &name).await?,
            List::Results => technology_sheets::import_achievements(ctx, caller, &bytes, &name).await?,
        })
    })
    .await?;
    render(state, user, list, up).await
}

/// The template of `list`, with an example row of the caller's city.
async fn template_of(state: &AppState, user: &CurrentUser, list: List) -> Result<axum::response::Response, AppError> {
    let what = format!("GET {}/template.xlsx", list.path());
    innovation_sheets::may_import(&state.ctx, &user.caller(), &what).await?;
    let (ctx, city) = (&state.ctx, &user.principal.city_id);
    let (bytes, file) = match list {
        List::Carriers => (sheet_templates::carriers(ctx, city).await?, "innovation-template.xlsx"),
        List::Technologies => (sheet_templates::technologies(ctx, city).await?, "technologies-template.xlsx"),
        List::Results => (sheet_templates::achievements(ctx, city).await?, "results-template.xlsx"),
    };
    Ok(xlsx(bytes, file))
}

/// `GET /innovation/import`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    show(&state, &user, List::Carriers).await
}

/// `POST /innovation/import` (multipart: `file`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    take(&state, &user, &mut form, List::Carriers).await
}

/// `GET /innovation/template.xlsx`.
pub async fn template(State(state): State<AppState>, user: CurrentUser) -> Result<axum::response::Response, AppError> {
    template_of(&state, &user, List::Carriers).await
}

/// `GET /innovation/technologies/import`.
pub async fn technologies_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    show(&state, &user, List::Technologies).await
}

/// `POST /innovation/technologies/import` (multipart: `file`).
pub async fn technologies_upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    take(&state, &user, &mut form, List::Technologies).await
}

/// `GET /innovation/technologies/template.xlsx`.
pub async fn technologies_template(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<axum::response::Response, AppError> {
    template_of(&state, &user, List::Technologies).await
}

/// `GET /innovation/results/import`.
pub async fn results_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    show(&state, &user, List::Results).await
}

/// `POST /innovation/results/import` (multipart: `file`).
pub async fn results_upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    take(&state, &user, &mut form, List::Results).await
}

/// `GET /innovation/results/template.xlsx`.
pub async fn results_template(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<axum::response::Response, AppError> {
    template_of(&state, &user, List::Results).await
}
