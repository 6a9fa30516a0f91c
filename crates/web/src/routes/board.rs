//! Major-project tracking [P1][P2]: each project's monthly investment planned and completed with
//! its 正常/超前/滞后 status by a stated rule, its milestones, and the monthly 龙虎榜 of major
//! projects by a documented score (the top three 龙榜, the bottom three 虎榜) — frozen when
//! published, exportable.

use super::library_io::xlsx;
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::board::{self, Entry, date, rules};
use chainchief_app::projects;
use chainchief_domain::money::{self, MoneyUnit};
use chainchief_domain::period::Month;
use chainchief_domain::project::{BoardWeights, MilestoneState, check_milestone, rule_text};
use chainchief_domain::roles::Role;
use chainchief_domain::text::required;
use chainchief_store::tracking;
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "investment/board.html")]
struct BoardPage {
    l: Layout,
    period: String,
    entries: Vec<Entry>,
    published: Option<String>,
    openable: std::collections::HashSet<String>,
    rule: String,
    weights: BoardWeights,
    can_publish: bool,
}

impl BoardPage {
    /// The top three are the leaders (龙榜), the bottom three the laggards (虎榜), without overlap.
    fn band(&self, rank: &usize) -> &'static str {
        let rank = *rank;
        let n = self.entries.len();
        if rank <= 3.min(n) {
            "leader"
        } else if rank + 3 > n {
            "laggard"
        } else {
            ""
        }
    }
}

/// The month shown.
#[derive(Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
    format: Option<String>,
}

/// `GET /projects/board?period=YYYY-MM[&format=xlsx]`: the published ranking, or today's draft.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PeriodQuery>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let p = &user.principal;
    let period = board::period_or_last(&state.ctx, q.period.as_deref())?;
    let board::Board { entries, published, openable } = board::view(&state.ctx, &user.caller(), &period).await?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "project_board", None).await?;
        use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
        let headers = [
            "名次",
            "项目",
            "产业链",
            "阶段",
            "本年计划投资（万元）",
            "本年完成投资（万元）",
            "进度",
            "节点按期/到期",
            "得分",
        ];
        let rows = entries
            .iter()
            .map(|e| {
                vec![
                    CellOut::Int(e.rank as i64),
                    CellOut::Text(e.name.clone()),
                    CellOut::Text(e.chain.clone()),
                    CellOut::Text(e.stage.clone()),
                    CellOut::Text(e.planned.clone()),
                    CellOut::Text(e.actual.clone()),
                    CellOut::Text(e.status.clone()),
                    CellOut::Text(e.milestones.clone()),
                    CellOut::Text(e.points()),
                ]
            })
            .collect();
        let sheet = SheetOut { name: format!("{period}龙虎榜"), headers: headers.map(String::from).to_vec(), rows };
        let bytes = write_xlsx(&[sheet]).map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(xlsx(bytes, &format!("board-{period}.xlsx")));
    }
    let (weights, rule) = rules()?;
    let l = layout(&state, &user, "重大项目龙虎榜", "/projects/board").await?.with_flash(f.msg.as_deref());
    let page = BoardPage {
        l,
        period,
        entries,
        published,
        openable,
        rule: rule_text(rule),
        weights,
        can_publish: p.has(Role::GeneralOffice),
    };
    Ok(page.into_response())
}

/// The month to publish.
#[derive(Deserialize)]
pub struct PublishForm {
    period: String,
}

/// `POST /projects/board`: the general office freezes a month's ranking.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, Form(f): Form<PublishForm>) -> PageResult {
    let period = board::period_or_last(&state.ctx, Some(&f.period))?;
    board::publish(&state.ctx, &user.caller(), &period).await?;
    Ok(Redirect::to(&format!("/projects/board?period={period}&msg=saved")).into_response())
}

/// `POST /projects/{id}/investment`: a month's planned and/or completed investment.
pub async fn set_investment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let month = Month::parse(&get("period")).map_err(|e| AppError::field("period", e))?;
    let amount = |key: &'static str, label: &str| money::optional_field(key, label, &get(key), MoneyUnit::Wan);
    let (planned, actual) = (amount("planned", "计划投资")?, amount("actual", "完成投资")?);
    projects::record_month(&state.ctx, &user.caller(), &id, month, planned, actual).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}

/// `POST /projects/{id}/milestones`: adds a milestone, or records its actual date.
pub async fn milestone(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let day = |key: &'static str, label: &str| {
        NaiveDate::parse_from_str(&get(key), "%Y-%m-%d")
            .map_err(|_| AppError::field(key, format!("{label}应写成YYYY-MM-DD")))
    };
    let milestone_id = get("milestone");
    if milestone_id.is_empty() {
        let name = required("name", "节点名称", &get("name"), 100)?;
        let planned = day("planned_on", "计划日期")?;
        projects::add_milestone(&state.ctx, &user.caller(), &id, &name, planned).await?;
    } else {
        let actual = day("actual_on", "实际完成日期")?;
        let version = get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?;
        projects::complete_milestone(&state.ctx, &user.caller(), &id, &milestone_id, actual, version).await?;
    }
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}

/// A milestone's state in words, as of today.
pub fn milestone_state(m: &tracking::Milestone, today: &chrono::NaiveDate) -> &'static str {
    let today = *today;
    let actual = m.actual_on.as_deref().and_then(date);
    date(&m.planned_on).and_then(|p| check_milestone(p, actual, today).ok()).map_or("—", MilestoneState::label)
}
