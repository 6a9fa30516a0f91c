//! Plan-text extraction on a page [O2]: the general office uploads a plan's text and gets the
//! drafted measures, units and quotas in the plan-file format, and the parts that were not read.

use super::library_io::{read_upload, upload_slot};
use super::pages::{PageResult, layout};
use crate::AppState;
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use chainchief_domain::extract::{Extraction, extract, to_toml};
use chainchief_domain::roles::Role;

#[derive(Template, WebTemplate)]
#[template(path = "org/extract.html")]
struct ExtractPage {
    l: Layout,
    file_error: Option<String>,
    result: Option<(Extraction, String)>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    file_error: Option<String>,
    result: Option<(Extraction, String)>,
) -> PageResult {
    let l = layout(state, user, "从方案文本起草举措", "/plan").await?.with_parents(&[("目标与举措", "/plan")]);
    let status =
        if file_error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, ExtractPage { l, file_error, result }).into_response())
}

/// `GET /plan/extract`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    require(&state, &user, user.principal.has(Role::GeneralOffice), "GET /plan/extract").await?;
    render(&state, &user, None, None).await
}

/// Largest plan text accepted (a city's or a province's plan is well under 1 MB of text).
pub const MAX_PLAN_TEXT_UPLOAD: usize = 2 * 1024 * 1024;

/// `POST /plan/extract` (multipart: `file`, UTF-8 or GB18030 text), one of the uploads read at a time.
pub async fn upload(State(state): State<AppState>, user: CurrentUser, mut form: Multipart) -> PageResult {
    require(&state, &user, user.principal.has(Role::GeneralOffice), "POST /plan/extract").await?;
    let _slot = upload_slot().await?;
    let file = match read_upload(&mut form).await {
        Ok((file, _)) => file,
        Err(e) => return render(&state, &user, Some(format!("上传失败：{e}（方案文本不能超过2MB）")), None).await,
    };
    let Some((_, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return render(&state, &user, Some("请选择方案的文本文件（.txt）".into()), None).await;
    };
    let Ok(text) = chainchief_sheets::decode_text(&bytes) else {
        return render(
            &state,
            &user,
            Some("文件不是 UTF-8 或 GB18030 编码的文本，请另存为文本文件后上传".into()),
            None,
        )
        .await;
    };
    let x = extract(&text);
    let draft = to_toml(&x);
    render(&state, &user, None, Some((x, draft))).await
}
