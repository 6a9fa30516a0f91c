//! Dispatch 调度 [O3]: each chain office's monthly report, drafted from the data (targets against
//! actuals, the map's gaps, projects moved, events held, problems opened and closed, tasks due),
//! edited, submitted to its 链长 and to the 总链办, who acknowledge it; lateness shown.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::reports::Format;
use chainchief_app::reports::dispatch::{self as uc, Action, Rights, Row};
use chainchief_domain::report::{Change as LineChange, ReportKind};
use chainchief_domain::roles::Role;
use chainchief_render::official::{Block, Level, level};
use chainchief_store::dispatch::Report;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    due_day: u32,
    chains: Vec<(String, String)>,
    period: String,
    can_quarterly: bool,
    quarter: String,
    year: i32,
}

/// `GET /dispatch`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let (rows, writable) = uc::list(&state.ctx, &user.caller()).await?;
    let l = layout(&state, &user, "月报与调度", "/dispatch").await?.with_flash(f.msg.as_deref());
    let page = ListPage {
        l,
        rows,
        due_day: state.config.report_due_day,
        chains: writable,
        period: state.clock.last_month().to_string(),
        can_quarterly: user.principal.has(Role::GeneralOffice),
        quarter: state.clock.last_quarter().to_string(),
        year: state.clock.year(),
    };
    Ok(page.into_response())
}

/// The chain and month to draft.
#[derive(Deserialize)]
pub struct DraftForm {
    chain_id: String,
    period: String,
}

/// `POST /dispatch`: drafts a chain's monthly report from the data.
pub async fn draft(State(state): State<AppState>, user: CurrentUser, Form(f): Form<DraftForm>) -> PageResult {
    let id = uc::draft(&state.ctx, &user.caller(), &f.chain_id, &f.period).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/show.html")]
struct ShowPage {
    l: Layout,
    r: Row,
    can_edit: bool,
    can_submit: bool,
    can_chief_ack: bool,
    can_office_ack: bool,
    /// Its issue line, e.g. 2026年第10期.
    number: String,
    /// The report as the documents show it (a year-end report with its tables and figures).
    preview: Vec<Part>,
    /// Captions of the tables and figures a year-end report may place.
    inserts: Vec<String>,
    /// The writer's unsaved text after someone else saved first, with why.
    conflict: Option<(String, String)>,
    /// Which font the PDF's body text is set in here.
    body_font: String,
}

/// A part of a report as the page shows it.
pub struct Part {
    /// p, h1, h2, table or figure.
    pub kind: &'static str,
    /// Text or caption.
    pub text: String,
    /// Table header.
    pub header: Vec<String>,
    /// Table rows.
    pub rows: Vec<Vec<String>>,
    /// Figure.
    pub svg: String,
}

fn part(b: Block) -> Option<Part> {
    let empty = |kind, text| Part { kind, text, header: vec![], rows: vec![], svg: String::new() };
    Some(match b {
        Block::Text(t) => match level(&t) {
            Level::Heading1 => empty("h1", t),
            Level::Heading2 => empty("h2", t),
            Level::Body => empty("p", t),
        },
        Block::Table { caption, header, rows } => Part { header, rows, ..empty("table", caption) },
        Block::Figure { caption, svg, .. } => Part { svg, ..empty("figure", caption) },
        Block::PageBreak => return None,
    })
}

/// `GET /dispatch/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    show(&state, &user, &id, f.msg.as_deref(), None).await
}

/// The report page; with `conflict` (the writer's unsaved text and why), the editor keeps that
/// text and the text saved meanwhile is shown beside it.
async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    msg: Option<&str>,
    conflict: Option<(String, String)>,
) -> PageResult {
    let c = user.caller();
    let r = uc::visible(&state.ctx, &c, id, &format!("GET /dispatch/{id}")).await?;
    let (preview, inserts) = uc::preview(&state.ctx, &c, &r).await?;
    let Rights { can_write, can_chief_ack, can_office_ack } = uc::rights(&user.principal, &r);
    let page = ShowPage {
        number: chainchief_app::reports::number(r.kind.code(), &r.period),
        preview: preview.into_iter().filter_map(part).collect(),
        inserts,
        conflict,
        body_font: chainchief_app::reports::body_font(&state.ctx).await?,
        can_edit: can_write,
        can_submit: can_write,
        can_chief_ack,
        can_office_ack,
        l: layout(state, user, &r.title, "/dispatch")
            .await?
            .with_parents(&[("月报与调度", "/dispatch")])
            .with_flash(msg),
        r: uc::row(&state.ctx, r),
    };
    let status = if page.conflict.is_some() { axum::http::StatusCode::CONFLICT } else { axum::http::StatusCode::OK };
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/redraft.html")]
struct RedraftPage {
    l: Layout,
    d: uc::Redraft,
    error: Option<String>,
}

/// A diff line's CSS class and sign.
pub fn mark(c: &LineChange) -> (&'static str, &'static str) {
    match c {
        LineChange::Same => ("same", " "),
        LineChange::Removed => ("removed", "−"),
        LineChange::Added => ("added", "+"),
    }
}

async fn redraft_page(state: &AppState, user: &CurrentUser, id: &str, error: Option<String>) -> PageResult {
    let d = uc::redraft(&state.ctx, &user.caller(), id).await?;
    let l = layout(state, user, "按最新数据重新起草", "/dispatch")
        .await?
        .with_parents(&[("月报与调度", "/dispatch"), (&d.report.title, &format!("/dispatch/{id}"))]);
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, RedraftPage { l, d, error }).into_response())
}

/// `GET /dispatch/{id}/redraft`: what a redraft from today's data would change, and the writer's own edits it would replace.
pub async fn redraft(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    redraft_page(&state, &user, &id, None).await
}

/// An action on a report.
#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    replace_edits: Option<String>,
    version: i64,
}

/// `POST /dispatch/{id}`: save the text, submit, or acknowledge.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let action = match f.action.as_str() {
        "redraft" => Action::Redraft { replace_edits: f.replace_edits.is_some() },
        "save" => Action::Save(f.body),
        "submit" => Action::Submit,
        "chief_ack" => Action::ChiefAck,
        "office_ack" => Action::OfficeAck,
        _ => return Err(AppError::field("action", "未知操作").into()),
    };
    let redraft = matches!(action, Action::Redraft { .. });
    let typed = match &action {
        Action::Save(body) => Some(body.clone()),
        _ => None,
    };
    match uc::act(&state.ctx, &user.caller(), &id, action, f.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/dispatch/{id}?msg=saved")).into_response()),
        // A refused redraft shows the comparison again with the reason, not a dead end.
        Err(chainchief_app::Error::Invalid(errors)) if redraft => {
            let why: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            redraft_page(&state, &user, &id, Some(why.join("；"))).await
        }
        Err(chainchief_app::Error::Conflict(why)) if redraft => redraft_page(&state, &user, &id, Some(why)).await,
        // Someone saved first: the writer's text stays in the editor, the saved text beside it.
        Err(chainchief_app::Error::Conflict(why)) if typed.is_some() => {
            show(&state, &user, &id, None, typed.map(|t| (t, why))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Who acknowledged, in words, with the general office as the plan calls it.
pub fn acks(r: &Report, l: &Layout) -> String {
    let office = l.office.as_str();
    let one = |who: &Option<String>, at: &Option<i64>, role: &str| match (who, at) {
        (Some(w), Some(a)) => format!("{role}已签收（{}，{}）", l.who(w), when(a)),
        _ => format!("{role}未签收"),
    };
    if r.kind == ReportKind::Quarterly {
        return one(&r.chief_ack_by, &r.chief_ack_at, "市领导");
    }
    format!("{}；{}", one(&r.chief_ack_by, &r.chief_ack_at, "链长"), one(&r.office_ack_by, &r.office_ack_at, office))
}

/// A special report.
#[derive(Deserialize)]
pub struct SpecialForm {
    chain_id: String,
    title: String,
    body: String,
}

/// `POST /dispatch/special`: a chain office writes a 专报 on a good practice, submitted like a
/// monthly report to its chief and the general office (and usable as assessment evidence).
pub async fn special(State(state): State<AppState>, user: CurrentUser, Form(f): Form<SpecialForm>) -> PageResult {
    let id = uc::special(&state.ctx, &user.caller(), &f.chain_id, &f.title, &f.body).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=created")).into_response())
}

/// The chain, kind and year of a year-end report to draft.
#[derive(Deserialize)]
pub struct YearEndForm {
    chain_id: String,
    kind: String,
    year: String,
}

/// `POST /dispatch/yearend`: drafts a chain's year-end analysis or investment report from the data.
pub async fn year_end(State(state): State<AppState>, user: CurrentUser, Form(f): Form<YearEndForm>) -> PageResult {
    let id = uc::year_end(&state.ctx, &user.caller(), &f.chain_id, &f.kind, &f.year).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=created")).into_response())
}

/// `GET /dispatch/{id}/docx`: the report as a Word document in the official layout.
pub async fn docx(
    state: State<AppState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<axum::response::Response, AppError> {
    download(state, user, id, Format::Docx).await
}

/// `GET /dispatch/{id}/pdf`: the report as a PDF in the official layout.
pub async fn pdf(
    state: State<AppState>,
    user: CurrentUser,
    id: Path<String>,
) -> Result<axum::response::Response, AppError> {
    download(state, user, id, Format::Pdf).await
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    format: Format,
) -> Result<axum::response::Response, AppError> {
    let (name, bytes) = uc::document(&state.ctx, &user.caller(), &id, format).await?;
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Download, "dispatch_report", Some(&id)).await?;
    Ok(super::pages::download(bytes, format.mime(), &name))
}
