//! Dispatch 调度 [O3]: each chain office's monthly report, drafted from the data (targets against
//! actuals, the map's gaps, projects moved, events held, problems opened and closed, tasks due),
//! edited, submitted to its 链长 and to the 总链办, who acknowledge it; lateness shown.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::{CurrentUser, require};
use crate::board;
use crate::layout::Layout;
use crate::reports::{Format, YEAR_END};
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::chain_map::NodeRating;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::Light;
use chainchief_render::official::{Block, Level, level, paragraphs};
use chainchief_store::audit::Actor;
use chainchief_store::dispatch::{self, Change, NewReport, Report};
use chainchief_store::org::{self, Chain};
use chainchief_store::{events, maps, problems, projects};
use chrono::NaiveDate;
use serde::Deserialize;

/// The day a monthly report of `period` (`YYYY-MM`) is due (`web.report_due_day` of the next month;
/// a quarter's report, the same day of the month after the quarter).
pub fn due(state: &AppState, period: &str) -> Option<NaiveDate> {
    let day = i64::from(state.config.report_due_day.clamp(1, 28));
    match period.split_once("-Q") {
        Some((y, q)) => {
            let last = q.parse::<u32>().ok().map(|q| format!("{y}-{:02}", q * 3))?;
            super::figures::due_date(&last, day)
        }
        None => super::figures::due_date(period, day),
    }
}

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
    let period = super::figures::parse_period(&f.period, state.clock)?;
    let id = draft_monthly(&state, p, &user.actor(), &chain, &period).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=created")).into_response())
}

/// Drafts `chain`'s monthly report of `period` from the data; returns its id.
pub(crate) async fn draft_monthly(
    state: &AppState,
    p: &Principal,
    actor: &Actor,
    chain: &Chain,
    period: &str,
) -> Result<String, AppError> {
    let body = compose(state, p, chain, period).await?;
    let (y, m) = (&period[..4], period[5..].trim_start_matches('0'));
    let title = format!("{}{y}年{m}月工作月报", chain.name);
    let new = NewReport {
        city_id: &p.city_id,
        kind: "monthly",
        chain_id: Some(&chain.id),
        period,
        title: &title,
        body: &body,
    };
    Ok(dispatch::draft(&state.store, actor, &new).await?)
}

fn in_month(ms: i64, period: &str) -> bool {
    chainchief_domain::period::Month::of(chainchief_domain::clock::beijing_day(ms)).to_string() == period
}

/// The report drafted from the data of `chain` for `period`.
pub(crate) async fn compose(state: &AppState, p: &Principal, chain: &Chain, period: &str) -> Result<String, AppError> {
    let pool = state.store.pool();
    let mut out = Vec::new();
    out.push("一、目标指标完成情况".to_string());
    let rows =
        board::rows(state, &p.city_id, |i| i.scope != "enterprise" && i.chain_id.as_deref() == Some(chain.id.as_str()))
            .await?;
    for r in &rows {
        let line = super::cockpit::line(r, chain.short_name.clone());
        out.push(format!(
            "{}：{}；进度计划{}；目标{}，预测{}（{}）。",
            r.ind.name, line.actual, line.schedule, line.target, line.forecast, line.status
        ));
    }
    if rows.is_empty() {
        out.push("本链没有规划目标指标。".into());
    }
    out.push(String::new());
    out.push("二、产业链图谱".into());
    let data = maps::load(pool, &chain.id).await?;
    let (_, nodes) = crate::maps::build(&chain.name, &data);
    let blank: Vec<&str> = nodes.iter().filter(|n| n.rating == NodeRating::Blank).map(|n| n.name.as_str()).collect();
    let weak = nodes.iter().filter(|n| n.rating == NodeRating::Weak).count();
    out.push(format!(
        "本链共{}个环节，其中空白{}个、薄弱{}个。空白环节：{}。",
        nodes.len(),
        blank.len(),
        weak,
        if blank.is_empty() { "无".into() } else { blank.join("、") }
    ));
    out.push(String::new());
    out.push("三、重点项目推进".into());
    let mut moved = 0;
    for pr in projects::list(pool, &p.city_id).await?.into_iter().filter(|x| x.chain_id == chain.id) {
        let history = projects::history(pool, &pr.id).await?;
        let this_month: Vec<String> = history
            .iter()
            .filter(|m| in_month(m.moved_at, period))
            .map(|m| super::projects::stage_label(&m.to_stage).to_string())
            .collect();
        if !this_month.is_empty() {
            moved += 1;
        }
        let note = if this_month.is_empty() {
            String::new()
        } else {
            format!("，本月推进至“{}”", this_month.join("”“"))
        };
        out.push(format!("{}：当前阶段“{}”{note}。", pr.name, super::projects::stage_label(&pr.stage)));
    }
    out.push(format!("本月共{moved}个项目推进阶段。"));
    out.push(String::new());
    out.push("四、招商活动".into());
    let year: i32 = period[..4].parse().unwrap_or_default();
    let held: Vec<String> = events::of_year(pool, &p.city_id, year)
        .await?
        .into_iter()
        .filter(|e| e.held_on.starts_with(period))
        .map(|e| format!("{} {}（{}）", e.held_on, e.title, super::events::kind_label(&e.kind)))
        .collect();
    out.push(if held.is_empty() { "本月未登记招商活动。".into() } else { held.join("；") + "。" });
    out.push(String::new());
    out.push("五、问题督办".into());
    let mine: Vec<_> = problems::list(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|x| x.chain_id.as_deref() == Some(chain.id.as_str()))
        .collect();
    let raised = mine.iter().filter(|x| in_month(x.raised_at, period)).count();
    let open = mine.iter().filter(|x| !matches!(x.status.as_str(), "resolved" | "confirmed")).count();
    out.push(format!("本月新提出问题{raised}个；目前未办结{open}个。"));
    out.push(String::new());
    out.push("六、重点任务".into());
    let tasks = super::tasks::load(state, p).await?;
    let due: Vec<String> = tasks
        .iter()
        .filter(|t| t.units.iter().any(|u| u.3 == "chain_office" || u.3 == "group"))
        .filter(|t| matches!(t.state.light, Some(Light::Red | Light::Yellow)))
        .map(|t| format!("{} {}（{}）", t.m.code, t.m.title, t.state.reason))
        .collect();
    out.push(if due.is_empty() {
        "链条办参与的任务均正常推进。".into()
    } else {
        format!("需关注：{}。", due.join("；"))
    });
    out.push(String::new());
    out.push("七、下月工作安排".into());
    out.push("（请链条办填写）".into());
    Ok(out.join("\n"))
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
    if r.kind == "quarterly" {
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
    let submitted = r.status == "submitted";
    let (preview, inserts) = match (&r.chain_id, YEAR_END.iter().any(|(k, _)| *k == r.kind)) {
        (Some(c), true) => {
            let chain = org::chain(state.store.pool(), &p.city_id, c).await?;
            let d = crate::reports::year_end_draft(&state, &p.city_id, &r.kind, &chain, &r.period).await?;
            (d.blocks(&r.body), d.inserts.keys().cloned().collect())
        }
        _ => (paragraphs(&r.body), Vec::new()),
    };
    let page = ShowPage {
        number: crate::reports::number(&r.kind, &r.period),
        preview: preview.into_iter().filter_map(part).collect(),
        inserts,
        can_edit: writes && !submitted,
        can_submit: writes && !submitted,
        can_chief_ack: submitted && r.chief_ack_at.is_none() && chief,
        can_office_ack: submitted && r.office_ack_at.is_none() && p.has(Role::GeneralOffice) && r.kind != "quarterly",
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
    let submitted = r.status == "submitted";
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
            require(&state, &user, p.has(Role::GeneralOffice) && r.kind != "quarterly", &what).await?;
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
    if r.kind == "quarterly" {
        return one(&r.chief_ack_by, &r.chief_ack_at, "市领导");
    }
    format!("{}；{}", one(&r.chief_ack_by, &r.chief_ack_at, "链长"), one(&r.office_ack_by, &r.office_ack_at, "总链办"))
}

/// Reminders of last month's reports a chain office has not submitted.
pub async fn reminders(state: &AppState, p: &Principal) -> Result<Vec<super::reporting::Reminder>, AppError> {
    if !p.has(Role::ChainOffice) {
        return Ok(vec![]);
    }
    let pool = state.store.pool();
    let period = state.clock.last_month().to_string();
    let reports = dispatch::list(pool, &p.city_id).await?;
    let mut out = Vec::new();
    for c in org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|c| p.can_write_chain(&c.id) && c.office_unit_id.is_some())
    {
        let mine = reports.iter().find(|r| r.chain_id.as_deref() == Some(c.id.as_str()) && r.period == period);
        if mine.is_some_and(|r| r.status == "submitted") {
            continue;
        }
        let d = due(state, &period);
        out.push(super::reporting::Reminder {
            text: format!(
                "{}{period}月工作月报尚未提交（{}日前）",
                c.name,
                d.map(|d| d.format("%m月%d").to_string()).unwrap_or_default()
            ),
            href: mine.map_or_else(|| "/dispatch".to_string(), |r| format!("/dispatch/{}", r.id)),
            late: d.is_some_and(|d| state.clock.today() > d),
        });
    }
    Ok(out)
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
        kind: "special",
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
    if !YEAR_END.iter().any(|(k, _)| *k == f.kind) {
        return Err(AppError::field("kind", "报告类型应为年度产业链分析报告或年度招商报告").into());
    }
    let year = f.year.trim();
    let d = crate::reports::year_end_draft(&state, &p.city_id, &f.kind, &chain, year).await?;
    let new = dispatch::NewReport {
        city_id: &p.city_id,
        kind: &f.kind,
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
    let doc = crate::reports::stored_document(&state, &user.principal.city_id, &r).await?;
    let bytes = crate::reports::render(&state, doc, format).await?;
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
