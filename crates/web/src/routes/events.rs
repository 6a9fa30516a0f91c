//! Events and quotas [I4]: 外出专题招商, 集中签约, 集中开工 and 供需对接会 with their projects,
//! and the plan's yearly quotas counted from the data: done, required, and whether the year is
//! behind schedule.

use super::pages::{FlashQuery, PageResult, layout};
use super::targets::{may_read, may_write};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::{Form, Json};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::quota_state;
use chainchief_domain::text::{optional, required};
use chainchief_store::events::{self, NewEvent, PromotionEvent};
use chainchief_store::{org, projects};
use serde::Deserialize;

use chainchief_domain::project::EventKind;

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

async fn quotas(state: &AppState, city_id: &str, year: i32) -> Result<Vec<QuotaJson>, AppError> {
    let pool = state.store.pool();
    let (_, _, quotas) = org::measures(pool, city_id).await?;
    let today = state.clock.today();
    let mut out = Vec::new();
    for q in quotas {
        let done = events::count(pool, city_id, &q.counts, year).await?;
        let s = quota_state(q.min_count as u32, done.unwrap_or(0) as u32, year, today);
        out.push(QuotaJson {
            code: q.code,
            name: q.name,
            unit: q.unit,
            required: q.min_count,
            done,
            expected: s.expected,
            behind: done.is_some() && s.behind,
        });
    }
    Ok(out)
}

/// The year asked for.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Year, e.g. 2026 (default: this year).
    year: Option<i32>,
}

fn year_of(q: &YearQuery, this_year: i32) -> Result<i32, AppError> {
    let y = q.year.unwrap_or(this_year);
    if (2000..=2100).contains(&y) { Ok(y) } else { Err(AppError::field("year", "年份应在2000到2100之间")) }
}

/// `GET /api/v1/quotas?year=Y`: the plan's quotas with done and required.
#[utoipa::path(get, path = "/api/v1/quotas", tag = "investment", params(YearQuery),
    responses((status = 200, body = Vec<QuotaJson>), (status = 401), (status = 403)))]
pub async fn api_quotas(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<Vec<QuotaJson>>, AppError> {
    require(&state, &user, may_read(&user.principal), "GET /api/v1/quotas").await?;
    Ok(Json(quotas(&state, &user.principal.city_id, year_of(&q, state.clock.year())?).await?))
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
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /investment/events").await?;
    let year = year_of(&q, state.clock.year())?;
    let pool = state.store.pool();
    let links = events::links(pool, &p.city_id).await?;
    let events = events::of_year(pool, &p.city_id, year)
        .await?
        .into_iter()
        .map(|e| {
            let names = links.iter().filter(|l| l.0 == e.id).map(|l| l.2.clone()).collect();
            (e, names)
        })
        .collect();
    let projects = projects::list(pool, &p.city_id).await?.into_iter().map(|x| (x.id, x.name)).collect();
    let l = layout(&state, &user, "活动与任务量", "/investment/events").await?.with_flash(f.msg.as_deref());
    let page = EventsPage {
        l,
        year,
        quotas: quotas(&state, &p.city_id, year).await?,
        events,
        projects,
        kinds: EventKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        can_write: may_write(p),
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
    let p = &user.principal;
    require(&state, &user, may_write(p), "POST /investment/events").await?;
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let kind = get("kind");
    if EventKind::from_code(&kind).is_none() {
        return Err(AppError::field("kind", "请选择活动类型").into());
    }
    let held = chrono::NaiveDate::parse_from_str(&get("held_on"), "%Y-%m-%d")
        .map_err(|_| AppError::field("held_on", "日期应写成YYYY-MM-DD"))?;
    if held > state.clock.today() {
        return Err(AppError::field("held_on", "只能登记已举办的活动（日期不能晚于今天）").into());
    }
    let title = required("title", "活动名称", &get("title"), 100).map_err(|e| AppError::Invalid(vec![e]))?;
    let place = optional("place", "地点", &get("place"), 100).map_err(|e| AppError::Invalid(vec![e]))?;
    let participants =
        optional("participants", "参加人员", &get("participants"), 500).map_err(|e| AppError::Invalid(vec![e]))?;
    let mut project_ids = Vec::new();
    for (k, v) in form.iter().filter(|(k, _)| k == "project") {
        if !is_valid_id(v) {
            return Err(AppError::field(k, "项目无效").into());
        }
        projects::get(state.store.pool(), &p.city_id, v)
            .await
            .map_err(|_| AppError::field("project", "没有这个项目"))?;
        project_ids.push(v.clone());
    }
    let new = NewEvent {
        city_id: p.city_id.clone(),
        kind,
        title,
        held_on: held.format("%Y-%m-%d").to_string(),
        place,
        participants,
        project_ids,
    };
    events::create(&state.store, &user.actor(), &new).await?;
    Ok(Redirect::to(&format!("/investment/events?year={}&msg=created", chrono::Datelike::year(&held))).into_response())
}
