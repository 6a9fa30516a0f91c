//! Events and quotas [I4]: 外出专题招商, 集中签约, 集中开工 and 供需对接会 with their projects,
//! and the plan's yearly quotas counted from the data: done, required, and whether the year is
//! behind schedule.

use super::pages::{FlashQuery, PageResult, layout};
use super::targets::may_write;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Form, Json};
use chainchief_app::investment::{self as uc, EventInput, Quota};
use chainchief_domain::project::EventKind;
use chainchief_store::events::PromotionEvent;
use serde::Deserialize;

/// A quota of the plan in a year.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct QuotaJson {
    /// Quota code in the plan.
    code: String,
    /// What is counted.
    name: String,
    /// Unit (次, 家 …).
    unit: String,
    /// Required in the year.
    required: i64,
    /// Done so far (null when the data does not count it).
    done: Option<i64>,
    /// Pro rata by today.
    expected: u32,
    /// Behind the pro-rata schedule.
    behind: bool,
}

fn quota_json(q: Quota) -> QuotaJson {
    QuotaJson {
        code: q.code,
        name: q.name,
        unit: q.unit,
        required: q.required,
        done: q.done,
        expected: q.expected,
        behind: q.behind,
    }
}

/// The year asked for.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Year, e.g. 2026 (default: this year).
    #[param(minimum = 2000, maximum = 2100)]
    year: Option<i32>,
}

/// `GET /api/v1/quotas?year=Y`: the plan's quotas with done and required.
#[utoipa::path(get, path = "/api/v1/quotas", tag = "investment", params(YearQuery),
    responses((status = 200, body = Vec<QuotaJson>), (status = 401), (status = 403)))]
pub async fn api_quotas(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::error::ApiQuery(q): crate::error::ApiQuery<YearQuery>,
) -> Result<Json<Vec<QuotaJson>>, AppError> {
    let year = uc::year_or_this(&state.ctx, q.year)?;
    let quotas = uc::quotas(&state.ctx, &user.caller(), year, "GET /api/v1/quotas").await?;
    Ok(Json(quotas.into_iter().map(quota_json).collect()))
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/events.html")]
struct EventsPage {
    l: Layout,
    year: i32,
    quotas: Vec<QuotaJson>,
    events: Vec<(PromotionEvent, Vec<String>)>,
    projects: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    can_write: bool,
    today: String,
}

/// `GET /investment/events?year=Y`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let c = user.caller();
    let year = uc::year_or_this(&state.ctx, q.year)?;
    let events = uc::events_of_year(&state.ctx, &c, year).await?;
    let quotas =
        uc::quotas(&state.ctx, &c, year, "GET /investment/events").await?.into_iter().map(quota_json).collect();
    let projects = chainchief_app::projects::list(&state.ctx, &c).await?.into_iter().map(|x| (x.id, x.name)).collect();
    let l = layout(&state, &user, "活动与任务量", "/investment/events").await?.with_flash(f.msg.as_deref());
    let page = EventsPage {
        l,
        year,
        quotas,
        events,
        projects,
        kinds: EventKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        can_write: may_write(&user.principal),
        today: state.clock.today().format("%Y-%m-%d").to_string(),
    };
    Ok(page.into_response())
}

/// `POST /investment/events`: records an event with its projects.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let event = EventInput {
        kind: EventKind::from_code(&get("kind")).ok_or_else(|| AppError::field("kind", "请选择活动类型"))?,
        held_on: chrono::NaiveDate::parse_from_str(&get("held_on"), "%Y-%m-%d")
            .map_err(|_| AppError::field("held_on", "日期应写成YYYY-MM-DD"))?,
        title: get("title"),
        place: get("place"),
        participants: get("participants"),
        project_ids: form.iter().filter(|(k, _)| k == "project").map(|(_, v)| v.clone()).collect(),
    };
    let year = uc::record_event(&state.ctx, &user.caller(), event).await?;
    Ok(Redirect::to(&format!("/investment/events?year={year}&msg=created")).into_response())
}
