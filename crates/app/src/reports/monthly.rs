//! The chain office's monthly report [O3], drafted from the data: targets against actuals, the
//! map's gaps, projects moved, events held, problems opened and closed, tasks due.

use crate::{Context, Result};
use chainchief_domain::chain_map::NodeRating;
use chainchief_domain::period::Month;
use chainchief_domain::report::ReportKind;
use chainchief_domain::roles::Principal;
use chainchief_domain::supervision::Light;
use chainchief_store::audit::Actor;
use chainchief_store::dispatch::{self, NewReport};
use chainchief_store::org::Chain;
use chainchief_store::{events, maps, problems, projects};
use chrono::NaiveDate;

/// The day a monthly report of `period` (`YYYY-MM`) is due (`web.report_due_day` of the next month;
/// a quarter's report, the same day of the month after the quarter).
pub fn due(ctx: &Context, period: &str) -> Option<NaiveDate> {
    let day = ctx.settings.report_due_day.clamp(1, 28);
    match period.split_once("-Q") {
        Some((y, q)) => {
            let last = q.parse::<u32>().ok().map(|q| format!("{y}-{:02}", q * 3))?;
            Month::parse(&last).ok().map(|m| m.due_on(day))
        }
        None => Month::parse(period).ok().map(|m| m.due_on(day)),
    }
}

/// Drafts `chain`'s monthly report of `period` from the data; returns its id.
pub async fn draft_monthly(ctx: &Context, p: &Principal, actor: &Actor, chain: &Chain, period: &str) -> Result<String> {
    let body = compose(ctx, p, chain, period).await?;
    let (y, m) = (&period[..4], period[5..].trim_start_matches('0'));
    let title = format!("{}{y}年{m}月工作月报", chain.name);
    let new = NewReport {
        city_id: &p.city_id,
        kind: ReportKind::Monthly,
        chain_id: Some(&chain.id),
        period,
        title: &title,
        body: &body,
    };
    Ok(dispatch::draft(&ctx.store, actor, &new).await?)
}

fn in_month(ms: i64, period: &str) -> bool {
    chainchief_domain::period::Month::of(chainchief_domain::clock::beijing_day(ms)).to_string() == period
}

/// The report drafted from the data of `chain` for `period`.
pub async fn compose(ctx: &Context, p: &Principal, chain: &Chain, period: &str) -> Result<String> {
    let pool = ctx.store.pool();
    let month = Month::parse(period).map_err(|e| crate::Error::field("period", e))?;
    // Everything is as of the period's last day (or today, for the month under way).
    let end_day = month.last_day().min(ctx.clock.today());
    let end = chainchief_domain::clock::beijing_midnight(end_day.succ_opt().unwrap_or(end_day));
    let mut out = vec![
        format!("本报告数据截至{}。", end_day.format("%Y年%-m月%-d日")),
        String::new(),
        "一、目标指标完成情况".to_string(),
    ];
    let rows = crate::indicators::rows(ctx, &p.city_id, crate::indicators::as_of(month), |i| {
        i.scope != chainchief_domain::org::Scope::Enterprise && i.chain_id.as_deref() == Some(chain.id.as_str())
    })
    .await?;
    for r in &rows {
        out.push(crate::cockpit::sentence(r));
    }
    if rows.is_empty() {
        out.push("本链没有规划目标指标。".into());
    }
    out.push(String::new());
    out.push("二、产业链图谱（按起草时的图谱）".into());
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
        // A project opened after the period is not in it; its stage is the one it had at the end.
        if history.first().is_some_and(|m| m.moved_at >= end) {
            continue;
        }
        let stage = history.iter().rfind(|m| m.moved_at < end).map_or(pr.stage, |m| m.to_stage);
        let this_month: Vec<String> =
            history.iter().filter(|m| in_month(m.moved_at, period)).map(|m| m.to_stage.label().to_string()).collect();
        if !this_month.is_empty() {
            moved += 1;
        }
        let note = if this_month.is_empty() {
            String::new()
        } else {
            format!("，本月推进至“{}”", this_month.join("”“"))
        };
        out.push(format!("{}：月末阶段“{}”{note}。", pr.name, stage.label()));
    }
    out.push(format!("本月共{moved}个项目推进阶段。"));
    out.push(String::new());
    out.push("四、招商活动".into());
    let year: i32 = period[..4].parse().unwrap_or_default();
    let held: Vec<String> = events::of_year(pool, &p.city_id, year)
        .await?
        .into_iter()
        .filter(|e| e.held_on.starts_with(period))
        .map(|e| format!("{} {}（{}）", e.held_on, e.title, e.kind.label()))
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
    let open = mine.iter().filter(|x| x.open_at(end)).count();
    out.push(format!("本月新提出问题{raised}个；月末未办结{open}个。"));
    out.push(String::new());
    out.push("六、重点任务（按起草时的进展）".into());
    let tasks = crate::tasks::load(ctx, p).await?;
    let due: Vec<String> = tasks
        .iter()
        .filter(|t| t.carried_by_chain_offices())
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
