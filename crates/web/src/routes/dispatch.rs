//! Dispatch 调度 [O3]: each chain office's monthly report, drafted from the data (targets against
//! actuals, the map's gaps, projects moved, events held, problems opened and closed, tasks due),
//! edited, submitted to its 链长 and to the 总链办, who acknowledge it; lateness shown.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::reports::Format;
use chainchief_app::reports::monthly::{draft_monthly, due};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::report::{ReportKind, ReportStatus};
use chainchief_domain::roles::{Principal, Role};
use chainchief_render::official::{Block, Level, level, paragraphs};
use chainchief_store::dispatch::{self, Change, NewReport, Report};
use chainchief_store::org::{self};
use serde::Deserialize;

fn may_read(p: &Principal, chain_id: Option<&str>) -> bool {
    p.reads_whole_city()
        || chain_id.is_some_and(|c| p.can_read_chain(c) && p.has_any(&[Role::ChainChief, Role::ChainOffice]))
}

/// A report with its due date and lateness.
pub struct Row {
    /// The report.
    pub r: Report,
    /// Due date.
    pub due: String,
    /// Submitted after its due date, or not yet and past it.
    pub late: bool,
}

fn row(state: &AppState, r: Report) -> Row {
    let d = due(state, &r.period);
    let submitted = r.submitted_at.map(chainchief_domain::clock::beijing_day);
    let late = match (d, submitted) {
        (Some(d), Some(s)) => s > d,
        (Some(d), None) => state.clock.today() > d,
        _ => false,
    };
    Row { due: d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(), late, r }
}

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
    let p = &user.principal;
    let pool = state.store.pool();
    let chains = org::chains(pool, &p.city_id).await?;
    let rows = dispatch::list(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|r| may_read(p, r.chain_id.as_deref()))
        .map(|r| row(&state, r))
        .collect();
    let writable = chains
        .iter()
        .filter(|c| p.can_write_chain(&c.id) && c.office_unit_id.is_some())
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let l = layout(&state, &user, "月报与调度", "/dispatch").await?.with_flash(f.msg.as_deref());
    let page = ListPage {
        l,
        rows,
        due_day: state.config.report_due_day,
        chains: writable,
        period: state.clock.last_month().to_string(),
        can_quarterly: p.has(Role::GeneralOffice),
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
    let p = &user.principal;
    if !is_valid_id(&f.chain_id) {
        return Err(AppError::NotFound.into());
    }
    let chain = org::chain(state.store.pool(), &p.city_id, &f.chain_id).await?;
    require(&state, &user, p.can_write_chain(&chain.id), "POST /dispatch").await?;
    let period = chainchief_app::month_to_date(&f.period, state.clock)?;
    let id = draft_monthly(&state, p, &user.actor(), &chain, &period).await?;
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

/// Who writes a report and who acknowledges it first: a chain's office and chief for a monthly
/// report; the general office and a city leader for the quarterly one.
fn roles(p: &Principal, r: &Report) -> (bool, bool) {
    let chain = r.chain_id.as_deref().unwrap_or_default();
    if r.kind == ReportKind::Quarterly {
        (p.has(Role::GeneralOffice), p.has(Role::CityLeader))
    } else {
        (
            p.can_write_chain(chain),
            p.grants.iter().any(|g| g.role == Role::ChainChief && g.chain_id.as_deref() == Some(chain)),
        )
    }
}

async fn visible(state: &AppState, user: &CurrentUser, id: &str) -> Result<Report, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let r = dispatch::get(state.store.pool(), &user.principal.city_id, id).await?;
    require(state, user, may_read(&user.principal, r.chain_id.as_deref()), &format!("GET /dispatch/{id}")).await?;
    Ok(r)
}

/// `GET /dispatch/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let r = visible(&state, &user, &id).await?;
    let p = &user.principal;
    let (writes, chief) = roles(p, &r);
    let submitted = r.status == ReportStatus::Submitted;
    let (preview, inserts) = match (&r.chain_id, r.kind.is_year_end()) {
        (Some(c), true) => {
            let chain = org::chain(state.store.pool(), &p.city_id, c).await?;
            let d = chainchief_app::reports::year_end_draft(&state, &p.city_id, r.kind, &chain, &r.period).await?;
            (d.blocks(&r.body), d.inserts.keys().cloned().collect())
        }
        _ => (paragraphs(&r.body), Vec::new()),
    };
    let page = ShowPage {
        number: chainchief_app::reports::number(r.kind.code(), &r.period),
        preview: preview.into_iter().filter_map(part).collect(),
        inserts,
        can_edit: writes && !submitted,
        can_submit: writes && !submitted,
        can_chief_ack: submitted && r.chief_ack_at.is_none() && chief,
        can_office_ack: submitted
            && r.office_ack_at.is_none()
            && p.has(Role::GeneralOffice)
            && r.kind != ReportKind::Quarterly,
        l: layout(&state, &user, &r.title, "/dispatch")
            .await?
            .with_parents(&[("月报与调度", "/dispatch")])
            .with_flash(f.msg.as_deref()),
        r: row(&state, r),
    };
    Ok(page.into_response())
}

/// An action on a report.
#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    body: String,
    version: i64,
}

/// `POST /dispatch/{id}`: save the text, submit, or acknowledge.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let r = visible(&state, &user, &id).await?;
    let p = &user.principal;
    let (writes, chief) = roles(p, &r);
    let what = format!("POST /dispatch/{id} {}", f.action);
    let submitted = r.status == ReportStatus::Submitted;
    let change = match f.action.as_str() {
        "save" | "submit" => {
            require(&state, &user, writes, &what).await?;
            if submitted {
                return Err(AppError::field("action", "该报告已提交，不能再修改或重复提交").into());
            }
            if f.action == "save" {
                let body = f.body.trim();
                if body.is_empty() || body.chars().count() > 20_000 {
                    return Err(AppError::field("body", "正文不能为空，最多20000字").into());
                }
                Change::Edit(body)
            } else {
                Change::Submit
            }
        }
        "chief_ack" => {
            require(&state, &user, chief, &what).await?;
            if !submitted || r.chief_ack_at.is_some() {
                return Err(AppError::field("action", "报告提交后才能签收，且只签收一次").into());
            }
            Change::ChiefAck
        }
        "office_ack" => {
            require(&state, &user, p.has(Role::GeneralOffice) && r.kind != ReportKind::Quarterly, &what).await?;
            if !submitted || r.office_ack_at.is_some() {
                return Err(AppError::field("action", "报告提交后才能签收，且只签收一次").into());
            }
            Change::OfficeAck
        }
        _ => return Err(AppError::field("action", "未知操作").into()),
    };
    dispatch::change(&state.store, &user.actor(), &p.city_id, &id, change, f.version).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=saved")).into_response())
}

/// Who acknowledged, in words.
pub fn acks(r: &Report) -> String {
    let one = |who: &Option<String>, at: &Option<i64>, role: &str| match (who, at) {
        (Some(w), Some(a)) => format!("{role}已签收（{w}，{}）", when(a)),
        _ => format!("{role}未签收"),
    };
    if r.kind == ReportKind::Quarterly {
        return one(&r.chief_ack_by, &r.chief_ack_at, "市领导");
    }
    format!("{}；{}", one(&r.chief_ack_by, &r.chief_ack_at, "链长"), one(&r.office_ack_by, &r.office_ack_at, "总链办"))
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
    let p = &user.principal;
    if !is_valid_id(&f.chain_id) {
        return Err(AppError::NotFound.into());
    }
    let chain = org::chain(state.store.pool(), &p.city_id, &f.chain_id).await?;
    require(&state, &user, p.can_write_chain(&chain.id), "POST /dispatch/special").await?;
    let invalid = |e| AppError::Invalid(vec![e]);
    let title = chainchief_domain::text::required("title", "标题", &f.title, 100).map_err(invalid)?;
    let body = chainchief_domain::text::required("body", "正文", &f.body, 20_000).map_err(invalid)?;
    let stamp = chainchief_domain::clock::format_millis(state.clock.now_millis());
    let new = NewReport {
        city_id: &p.city_id,
        kind: ReportKind::Special,
        chain_id: Some(&chain.id),
        period: &stamp,
        title: &format!("专报：{title}"),
        body: &body,
    };
    let id = dispatch::draft(&state.store, &user.actor(), &new).await?;
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
    let p = &user.principal;
    if !is_valid_id(&f.chain_id) {
        return Err(AppError::NotFound.into());
    }
    let chain = org::chain(state.store.pool(), &p.city_id, &f.chain_id).await?;
    require(&state, &user, p.can_write_chain(&chain.id), "POST /dispatch/yearend").await?;
    let Some(kind) = ReportKind::from_code(&f.kind).filter(|k| k.is_year_end()) else {
        return Err(AppError::field("kind", "报告类型应为年度产业链分析报告或年度招商报告").into());
    };
    let year = f.year.trim();
    let d = chainchief_app::reports::year_end_draft(&state, &p.city_id, kind, &chain, year).await?;
    let new = dispatch::NewReport {
        city_id: &p.city_id,
        kind,
        chain_id: Some(&chain.id),
        period: year,
        title: &d.title,
        body: &d.text,
    };
    let id = dispatch::draft(&state.store, &user.actor(), &new).await?;
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
    let r = visible(&state, &user, &id).await?;
    let doc = chainchief_app::reports::stored_document(&state, &user.principal.city_id, &r).await?;
    let bytes = chainchief_app::reports::render(&state, doc, format).await?;
    let name = format!("attachment; filename*=UTF-8''{}.{}", r.period.replace([' ', ':'], "-"), format.ext());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, format.mime().to_string()),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}
