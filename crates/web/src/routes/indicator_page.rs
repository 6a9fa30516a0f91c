//! One indicator [T1]–[T4]: definition, targets, where it stands, its monthly trend and this
//! year against the schedule, and the drill-down of any month to the enterprises and entries
//! that make it up, each with who entered it, when, how, and the values it replaced.

use super::figures::provenance;
use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use chainchief_app::cockpit::{Line, line, may_view, num, recent_months, trend_chart};
use chainchief_app::indicators::{self as board, Row};
use chainchief_domain::clock::format_millis;
use chainchief_domain::formula::{self, MEASURES};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::progress::{Kind, schedule_path};
use chainchief_domain::quantity::format_scaled;
use chainchief_render::charts::{self, Series, Trend};
use chainchief_store::{figures, rollup};
use serde::Deserialize;

/// An entry behind the month shown.
struct EntryView {
    enterprise: String,
    /// The enterprise's id when the viewer may open its page.
    enterprise_id: String,
    value: String,
    provenance: String,
    version: i64,
    history: Vec<String>,
}

/// A term of a formula with its value in the month shown.
struct TermView {
    name: String,
    href: Option<String>,
    value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cockpit/indicator.html")]
struct IndicatorPage {
    l: Layout,
    row: Line,
    unit: String,
    scope: String,
    source: String,
    origin: String,
    due_day: i64,
    targets: Vec<String>,
    trend: String,
    year_chart: String,
    months: Vec<(String, String)>,
    period: String,
    total: String,
    entries: Vec<EntryView>,
    entries_unit: String,
    terms: Vec<TermView>,
}

/// The month to drill into.
#[derive(Deserialize)]
pub struct IndicatorQuery {
    period: Option<String>,
}

/// This year to date, month by month, against the schedule built from past seasons.
fn year_chart(r: &Row) -> String {
    if r.kind() != Kind::Cumulative {
        return String::new();
    }
    let Some(current) = r.series.get(&r.a.year) else { return String::new() };
    let Some((plan, _)) = r.a.plan.as_ref() else { return String::new() };
    let mut run = 0;
    let actual: Vec<Option<f64>> = current
        .iter()
        .enumerate()
        .map(|(m, v)| {
            run += v.unwrap_or(0);
            (m < r.a.months).then_some(num(run))
        })
        .collect();
    let schedule: Vec<Option<f64>> =
        schedule_path(r.kind(), &r.series, r.a.year, *plan).into_iter().map(|v| Some(num(v))).collect();
    charts::trend(&Trend {
        title: format!("{}年累计与进度计划", r.a.year),
        unit: r.ind.unit.clone(),
        x_labels: (1..=12).map(|m| format!("{m}月")).collect(),
        series: vec![
            Series { label: "本年累计".into(), values: actual, dashed: false },
            Series { label: "进度计划".into(), values: schedule, dashed: true },
        ],
        target: Some((num(*plan), "全年计划".into())),
    })
}

async fn entries(
    state: &AppState,
    user: &CurrentUser,
    r: &Row,
    period: &str,
    people: &chainchief_app::accounts::People,
) -> Result<(Vec<EntryView>, String), AppError> {
    let city_id = &user.principal.city_id;
    if let Some(counting) = &r.ind.counts.0 {
        return Ok((counted(state, user, r, counting, period).await?, r.ind.unit.clone()));
    }
    let (all, _) = board::definitions(state, city_id).await?;
    let found = rollup::entries(state.store.pool(), city_id, &r.ind, &all, period).await?;
    let open =
        chainchief_app::enterprises::openable(state, &user.principal, found.iter().map(|e| e.enterprise_key.as_str()))
            .await?;
    let unit = found.first().map(|e| e.unit.clone()).unwrap_or_else(|| r.ind.unit.clone());
    // Enterprises the viewer may not open count in one line, without names, values or history.
    let (found, others): (Vec<_>, Vec<_>) =
        found.into_iter().partition(|e| e.enterprise_key.is_empty() || open.contains(&e.enterprise_key));
    let mut out = Vec::new();
    for e in found {
        let history = if e.version > 1 {
            figures::history(state.store.pool(), &e.id)
                .await?
                .into_iter()
                .map(|c| {
                    format!(
                        "原值 {}{}（{} 于 {} {}），{} 于 {} 改正",
                        format_scaled(c.value_scaled),
                        e.unit,
                        people.who(&c.entered_by),
                        format_millis(c.entered_at),
                        if c.source == "imported" { format!("导入 {}", c.source_file) } else { "填报".into() },
                        people.who(&c.changed_by),
                        format_millis(c.changed_at)
                    )
                })
                .collect()
        } else {
            vec![]
        };
        out.push(EntryView {
            enterprise: e.enterprise_name.clone().unwrap_or_else(|| "（本单位填报）".into()),
            enterprise_id: if open.contains(&e.enterprise_key) { e.enterprise_key.clone() } else { String::new() },
            value: format_scaled(e.value_scaled),
            provenance: provenance(&e, people),
            version: e.version,
            history,
        });
    }
    if !others.is_empty() {
        out.push(EntryView {
            enterprise: format!("其他企业（{}家，不属于您的产业链或园区）合计", others.len()),
            enterprise_id: String::new(),
            value: format_scaled(others.iter().map(|e| e.value_scaled).sum()),
            provenance: String::new(),
            version: 0,
            history: vec![],
        });
    }
    Ok((out, unit))
}

/// The enterprises a goal counted in the library counts in `period`, each with why; those the
/// viewer may not open in one line.
async fn counted(
    state: &AppState,
    user: &CurrentUser,
    r: &Row,
    counting: &chainchief_domain::counting::Counting,
    period: &str,
) -> Result<Vec<EntryView>, AppError> {
    let found =
        chainchief_store::counted::members(state.store.pool(), &user.principal.city_id, &r.ind, counting, period)
            .await?;
    let open =
        chainchief_app::enterprises::openable(state, &user.principal, found.iter().map(|e| e.id.as_str())).await?;
    let (found, others): (Vec<_>, Vec<_>) = found.into_iter().partition(|e| open.contains(&e.id));
    let view = |enterprise: String, enterprise_id: String, value: usize, provenance: String| EntryView {
        enterprise,
        enterprise_id,
        value: value.to_string(),
        provenance,
        version: 0,
        history: vec![],
    };
    let mut out: Vec<EntryView> = found.into_iter().map(|e| view(e.name, e.id, 1, e.why)).collect();
    if !others.is_empty() {
        let n = others.len();
        out.push(view(format!("其他企业（{n}家，不属于您的产业链或园区）合计"), String::new(), n, String::new()));
    }
    Ok(out)
}

async fn terms(state: &AppState, user: &CurrentUser, r: &Row, period: &str) -> Result<Vec<TermView>, AppError> {
    let city_id = &user.principal.city_id;
    let Ok(expr) = formula::parse(&r.ind.formula) else { return Ok(vec![]) };
    let others = board::rows(state, city_id, board::current(state), |_| true).await?;
    let mut out = Vec::new();
    for var in formula::variables(&expr) {
        if let Some(o) = others.iter().find(|o| o.ind.code == var) {
            let v = if o.kind() == Kind::Level {
                o.monthly.range(..=period.to_string()).next_back().map(|(_, v)| *v)
            } else {
                o.monthly.get(period).copied()
            };
            out.push(TermView {
                name: o.ind.name.clone(),
                href: may_view(&user.principal, &o.ind).then(|| format!("/indicators/{}?period={period}", o.ind.id)),
                value: v.map_or_else(|| "无数据".into(), |v| o.show(v)),
            });
        } else if let Some((_, meaning)) = MEASURES.iter().find(|(m, _)| *m == var) {
            let v = rollup::measure(state.store.pool(), city_id, &r.ind, &var).await?;
            out.push(TermView {
                name: (*meaning).to_string(),
                href: None,
                value: v.map_or_else(|| "无数据".into(), |v| format!("{}万元", format_scaled(v))),
            });
        }
    }
    Ok(out)
}

/// `GET /indicators/{id}?period=YYYY-MM`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<IndicatorQuery>,
) -> PageResult {
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let p = &user.principal;
    // The page is as of the month asked for (its entries, its assessment); else of last month.
    let asked = q
        .period
        .as_deref()
        .and_then(|s| chainchief_domain::period::Month::parse(s).ok())
        .filter(|m| *m <= state.clock.this_month());
    let month = asked.unwrap_or_else(|| state.clock.last_month());
    let mut rows = board::rows(&state, &p.city_id, board::as_of(month), |i| i.id == id).await?;
    let r = rows.pop().ok_or(AppError::NotFound)?;
    require(&state, &user, may_view(p, &r.ind), &format!("GET /indicators/{id}")).await?;
    let period = month.to_string();
    let l = layout(&state, &user, &r.ind.name, "/cockpit").await?.with_parents(&[("驾驶舱", "/cockpit")]);
    let derived = !r.ind.formula.trim().is_empty();
    let (entries, entries_unit) =
        if derived { (vec![], String::new()) } else { entries(&state, &user, &r, &period, &l.people).await? };
    let terms = if derived { terms(&state, &user, &r, &period).await? } else { vec![] };
    let (labels, _) = recent_months(&r, 24);
    let months = labels
        .into_iter()
        .rev()
        .map(|l| {
            let shown = r.monthly.get(&l).map_or_else(|| "—".into(), |v| format_scaled(*v));
            (l, shown)
        })
        .collect();
    let scope = r.ind.scope.label();
    let page = IndicatorPage {
        l,
        row: line(&r, scope.into()),
        unit: r.ind.unit.clone(),
        scope: scope.into(),
        source: r.ind.source.clone(),
        origin: r.origin(&board::definitions(&state, &p.city_id).await?.0),
        due_day: r.ind.due_day,
        targets: r
            .baseline
            .iter()
            .map(|(y, v)| format!("基期{y}年 {}", r.show(*v)))
            .chain(r.targets.iter().map(|(y, v)| format!("{y}年 {}", r.show(*v))))
            .collect(),
        trend: trend_chart(&r),
        year_chart: year_chart(&r),
        months,
        total: r.monthly.get(&period).map_or_else(|| "无数据".into(), |v| r.show(*v)),
        period,
        entries,
        entries_unit,
        terms,
    };
    Ok(page.into_response())
}
