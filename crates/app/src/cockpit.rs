//! What the cockpit 驾驶舱 [T4] and the reports show of an indicator: who may see it, its line in
//! the targets table, and its charts (progress against the schedule, the monthly trend).

use crate::indicators::Row;
use chainchief_domain::forecast::Light;
use chainchief_domain::progress::Kind;
use chainchief_domain::roles::{Principal, Role};
use chainchief_render::charts::{self, Progress, Series, Status, Trend};
use chainchief_store::org::Indicator;

/// Whether the user may see an indicator and its entries: a park's indicators its committee; a
/// chain's indicators those who read the chain; other enterprise figures the whole-city readers;
/// park and city indicators also the chain chiefs and offices.
pub fn may_view(p: &Principal, ind: &Indicator) -> bool {
    if ind.park_id.as_ref().is_some_and(|park| p.reads_park(park)) {
        return true;
    }
    match &ind.chain_id {
        Some(c) if ind.scope != chainchief_domain::org::Scope::City => p.can_read_chain(c),
        _ if ind.scope == chainchief_domain::org::Scope::Enterprise => p.reads_whole_city(),
        _ => p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]),
    }
}

/// The status of a light for charts.
pub fn chart_status(l: Option<Light>) -> Status {
    match l {
        Some(Light::Green) => Status::Green,
        Some(Light::Amber) => Status::Amber,
        Some(Light::Red) => Status::Red,
        None => Status::NoData,
    }
}

/// A scaled value as a chart number.
pub fn num(v: i64) -> f64 {
    chainchief_domain::quantity::scaled_to_number(v)
}

/// One line of the targets table: everything as of one period, from one assessment.
#[derive(Clone)]
pub struct Line {
    /// Indicator id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Chain or park or 全市.
    pub scope: String,
    /// The period, e.g. "2026年1–10月" or "截至2026年10月".
    pub period: String,
    /// The plan's target judged, e.g. "2027年 100万吨".
    pub target: String,
    /// What the period's year should reach, e.g. "2026年 92万吨".
    pub plan: String,
    /// How that plan was set.
    pub plan_method: String,
    /// Actual of the period, e.g. "83.2万吨".
    pub actual: String,
    /// Schedule to date.
    pub schedule: String,
    /// How the schedule was set.
    pub schedule_method: String,
    /// The actual against the schedule, e.g. "98.2%".
    pub attainment: String,
    /// Forecast with interval.
    pub forecast: String,
    /// Forecast method.
    pub method: String,
    /// 正常 / 预警 / 滞后 / 无数据.
    pub status: &'static str,
    /// CSS class.
    pub class: &'static str,
    /// Why it is on the warning list.
    pub warning: Option<String>,
}

/// The period of an assessment's actual in words: "2026年1–10月" for sums, "截至2026年10月" for levels.
pub fn period(r: &Row) -> String {
    match (r.a.actual_at, r.kind()) {
        (None, _) => format!("{}年", r.a.year),
        (Some((y, 1)), Kind::Cumulative) => format!("{y}年1月"),
        (Some((y, m)), Kind::Cumulative) => format!("{y}年1–{m}月"),
        (Some((y, m)), Kind::Level) => format!("截至{y}年{m}月"),
    }
}

/// The table line of an indicator.
pub fn line(r: &Row, scope: String) -> Line {
    let a = &r.a;
    let period = period(r);
    let warning = a.off_track().then(|| {
        let (Some(v), Some((s, _))) = (a.actual, &a.schedule) else { return String::new() };
        let mut why = format!("{period}实际{}，为进度计划{}的{}", r.show(v), r.show(*s), r.attainment_text());
        if let (Some(f), Some((y, t))) = (&a.forecast, a.target) {
            why.push_str(&format!("；{y}年{}{}，目标{}", outlook(y, a.year), r.show(f.value), r.show(t)));
        }
        why
    });
    Line {
        id: r.ind.id.clone(),
        name: r.ind.name.clone(),
        scope,
        target: a.target.map_or_else(|| "未设".into(), |(y, t)| format!("{y}年 {}", r.show(t))),
        plan: a.plan.as_ref().map_or_else(|| "未设".into(), |(p, _)| format!("{}年 {}", a.year, r.show(*p))),
        plan_method: a.plan.as_ref().map(|(_, m)| m.clone()).unwrap_or_default(),
        actual: a.actual.map_or_else(|| "无数据".to_string(), |v| r.show(v)),
        period,
        schedule: a.schedule.as_ref().map_or_else(|| "—".into(), |(s, _)| r.show(*s)),
        schedule_method: a.schedule.as_ref().map(|(_, m)| m.clone()).unwrap_or_default(),
        attainment: r.attainment_text(),
        forecast: a.forecast.as_ref().map_or_else(
            || "—".into(),
            |f| {
                let (low, high) = (crate::indicators::rounded(f.low), crate::indicators::rounded(f.high));
                // A range that is one number says nothing more than the value itself.
                if low == high { r.show(f.value) } else { format!("{}（{low}–{high}）", r.show(f.value)) }
            },
        ),
        method: a.forecast.as_ref().map(|f| f.method.clone()).unwrap_or_default(),
        status: r.status(),
        class: r.status_class(),
        warning,
    }
}

/// One indicator as a report's sentence, everything as of the assessment's period.
pub fn sentence(r: &Row) -> String {
    let l = line(r, String::new());
    if r.a.actual.is_none() {
        let plan = r.a.plan.as_ref().map_or_else(|| "未设".to_string(), |(p, _)| r.show(*p));
        return format!("{}：{}无数据（{}年计划{plan}）。", r.ind.name, l.period, r.a.year);
    }
    format!(
        "{}：{}完成{}，进度计划{}，完成进度{}（{}）；规划目标{}，预计{}。",
        r.ind.name, l.period, l.actual, l.schedule, l.attainment, l.status, l.target, l.forecast
    )
}

/// 实际 for a year that is over, 预计 for one still to come.
fn outlook(year: i32, assessed: i32) -> &'static str {
    if year < assessed { "实际" } else { "预计" }
}

/// Progress bars: each indicator with a plan for the year, its actual against its schedule to
/// date (100% = on schedule), coloured by the same light and labelled with the same percentage as
/// the tables. Indicators without a plan (tracked only) stay in the tables.
pub fn progress_chart(title: &str, rows: &[&Row]) -> String {
    let bars: Vec<Progress> = rows
        .iter()
        .filter(|r| r.a.plan.is_some())
        .map(|r| Progress {
            label: r.ind.name.clone(),
            actual: r.attainment().unwrap_or(0.0),
            schedule: None,
            status: chart_status(r.a.light),
            href: Some(format!("/indicators/{}", r.ind.id)),
            note: r.a.actual.map_or_else(|| "无数据".into(), |v| format!("{} {}", period(r), r.show(v))),
        })
        .collect();
    charts::progress(title, &bars)
}

/// The last `n` months up to the latest with a figure, as labels and values.
pub fn recent_months(r: &Row, n: usize) -> (Vec<String>, Vec<Option<f64>>) {
    let Some(last) = r.monthly.keys().next_back() else { return (vec![], vec![]) };
    let Ok(end) = chrono::NaiveDate::parse_from_str(&format!("{last}-01"), "%Y-%m-%d") else { return (vec![], vec![]) };
    let labels: Vec<String> = (0..n)
        .rev()
        .filter_map(|k| end.checked_sub_months(chrono::Months::new(k as u32)))
        .map(|d| d.format("%Y-%m").to_string())
        .collect();
    let values = labels.iter().map(|p| r.monthly.get(p).map(|v| num(*v))).collect();
    (labels, values)
}

/// The monthly trend of an indicator over five years with its target as a monthly line.
pub fn trend_chart(r: &Row) -> String {
    let (x_labels, values) = recent_months(r, 60);
    let target = r.a.target.map(|(y, t)| match r.kind() {
        Kind::Cumulative => (num(t) / 12.0, format!("{y}年目标月均")),
        Kind::Level => (num(t), format!("{y}年目标")),
    });
    charts::trend(&Trend {
        title: format!("{}（月度）", r.ind.name),
        unit: r.ind.unit.clone(),
        x_labels,
        series: vec![Series { label: "月度值".into(), values, dashed: false }],
        target,
    })
}
