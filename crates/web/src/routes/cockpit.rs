//! The cockpit 驾驶舱 [T4]: for the city and for each chain, every target with actual to date,
//! the pro-rata schedule, the forecast with its method and the light; charts drawn on the server
//! (progress per target, chain comparison, monthly trends); every figure links to its drill-down.

use super::org::{ChainView, checked_chain};
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use chainchief_app::cockpit::{Line, chart_status, line, may_view, progress_chart, trend_chart};
use chainchief_app::indicators::{self as board, Row};
use chainchief_domain::forecast::Light;
use chainchief_domain::org::Scope;
use chainchief_domain::period::Month;
use chainchief_domain::roles::Role;
use chainchief_render::charts::{self, Bar};
use chainchief_store::org::{self as org_store, Indicator};

#[derive(Template, WebTemplate)]
#[template(path = "cockpit/page.html")]
struct CockpitPage {
    l: Layout,
    chain: Option<ChainView>,
    tab: &'static str,
    counts: [usize; 4],
    rule: String,
    progress: String,
    comparison: String,
    trends: Vec<(String, String)>,
    lines: Vec<Line>,
    warnings: Vec<Line>,
    /// The cultivation goals counted in the enterprise library (city cockpit only).
    goals: Vec<Line>,
    /// Whether the caller may open the reserve library.
    can_see_reserve: bool,
    can_see_status: bool,
    /// The period shown, `YYYY-MM`, and in words.
    period: (String, String),
}

/// `?period=YYYY-MM`: the month the cockpit is as of (default: last month).
#[derive(serde::Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

/// The month asked for, if it is a month not after this one; else the month normally reported now.
fn month_of(state: &AppState, q: &PeriodQuery) -> Month {
    q.period
        .as_deref()
        .and_then(|p| Month::parse(p).ok())
        .filter(|m| *m <= state.clock.this_month())
        .unwrap_or_else(|| state.clock.last_month())
}

fn period(m: Month) -> (String, String) {
    (m.to_string(), format!("{}年{}月", m.year(), m.number()))
}

fn counts(rows: &[&Row]) -> [usize; 4] {
    let mut c = [0; 4];
    for r in rows {
        c[match r.a.light {
            Some(Light::Green) => 0,
            Some(Light::Amber) => 1,
            Some(Light::Red) => 2,
            None => 3,
        }] += 1;
    }
    c
}

async fn rule_text(state: &AppState, city_id: &str, m: Month) -> Result<String, AppError> {
    let city = org_store::city(state.store.pool(), city_id).await?;
    Ok(format!(
        "数据截至{}年{}月。完成进度为本年实际与进度计划之比：≥{}% 正常，{}%–{}% 预警，<{}% 滞后；本年计划取当年目标，没有当年目标时按基期或上年实际到下一目标年的增长路径推算。",
        m.year(),
        m.number(),
        city.green_from,
        city.amber_from,
        city.green_from,
        city.amber_from
    ))
}

/// Targets shown in cockpits: not the enterprise inputs.
fn shown(ind: &Indicator) -> bool {
    ind.scope != chainchief_domain::org::Scope::Enterprise
}

/// The lines of the cultivation goals counted in the enterprise library.
fn counted(rows: &[Row], lines: &[Line]) -> Vec<Line> {
    rows.iter().zip(lines).filter(|(r, _)| r.ind.counts.0.is_some()).map(|(_, l)| l.clone()).collect()
}

/// `GET /cockpit`: the city cockpit.
pub async fn city_page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<PeriodQuery>) -> PageResult {
    let p = &user.principal;
    let m = month_of(&state, &q);
    let rows = board::rows(&state, &p.city_id, board::as_of(m), |i| shown(i) && may_view(p, i)).await?;
    let org = super::org::CityOrg::load(&state, &p.city_id).await?;
    let chains: Vec<ChainView> = org.chain_views(p).into_iter().filter(|v| p.can_read_chain(&v.chain.id)).collect();
    let name_of = |r: &Row| match (&r.ind.chain_id, r.ind.scope) {
        (Some(c), Scope::Chain) => chains.iter().find(|v| v.chain.id == *c).map(|v| v.chain.short_name.clone()),
        (_, Scope::Park) => Some("园区".to_string()),
        _ => Some("全市".to_string()),
    };
    let mut bars = Vec::new();
    for v in &chains {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.ind.chain_id.as_deref() == Some(v.chain.id.as_str())).collect();
        let att: Vec<f64> = mine.iter().filter_map(|r| r.attainment()).collect();
        if att.is_empty() {
            continue;
        }
        let worst = mine.iter().filter_map(|r| r.a.light).max_by_key(|l| *l as u8);
        bars.push(Bar {
            label: v.chain.short_name.clone(),
            value: att.iter().sum::<f64>() / att.len() as f64 * 100.0,
            status: chart_status(worst),
            href: Some(format!("/chains/{}/cockpit", v.chain.id)),
        });
    }
    let all: Vec<&Row> = rows.iter().collect();
    let lines: Vec<Line> = rows.iter().map(|r| line(r, name_of(r).unwrap_or_default())).collect();
    let goals = counted(&rows, &lines);
    let page = CockpitPage {
        l: layout(&state, &user, "驾驶舱", "/cockpit").await?,
        chain: None,
        tab: "cockpit",
        goals,
        can_see_reserve: p.is_business_user(),
        can_see_status: user.principal.has_any(&[Role::GeneralOffice, Role::ChainOffice]),
        counts: counts(&all),
        rule: rule_text(&state, &p.city_id, m).await?,
        progress: progress_chart("各项目标完成进度（实际 ÷ 进度计划）", &all),
        comparison: charts::comparison("各产业链目标平均完成进度（实际 ÷ 进度计划）", "%", &bars),
        period: period(m),
        trends: vec![],
        warnings: lines.iter().filter(|l| l.warning.is_some()).cloned().collect(),
        lines,
    };
    Ok(page.into_response())
}

/// `GET /chains/{id}/cockpit`: one chain's cockpit.
pub async fn chain_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let view = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/cockpit"), false).await?;
    let p = &user.principal;
    let m = month_of(&state, &q);
    let keep = |i: &Indicator| shown(i) && i.chain_id.as_deref() == Some(id.as_str());
    let rows = board::rows(&state, &p.city_id, board::as_of(m), keep).await?;
    let all: Vec<&Row> = rows.iter().collect();
    let lines: Vec<Line> = rows.iter().map(|r| line(r, view.chain.short_name.clone())).collect();
    let trends = rows.iter().map(|r| (r.ind.id.clone(), trend_chart(r))).collect();
    let l = layout(&state, &user, &format!("{} · 驾驶舱", view.chain.name), "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (&view.chain.name, &format!("/chains/{id}"))]);
    let page = CockpitPage {
        l,
        counts: counts(&all),
        rule: rule_text(&state, &p.city_id, m).await?,
        progress: progress_chart("本链目标完成进度（实际 ÷ 进度计划）", &all),
        period: period(m),
        comparison: String::new(),
        trends,
        warnings: lines.iter().filter(|l| l.warning.is_some()).cloned().collect(),
        goals: counted(&rows, &lines),
        can_see_reserve: p.is_business_user(),
        lines,
        chain: Some(view),
        tab: "cockpit",
        can_see_status: user.principal.has_any(&[Role::GeneralOffice, Role::ChainOffice]),
    };
    Ok(page.into_response())
}
