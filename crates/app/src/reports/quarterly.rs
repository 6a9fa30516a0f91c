//! The general office's quarterly report [O3], drafted from the data of the four chains for the
//! city leaders.

use crate::{Context, Error, Result};
use chainchief_domain::clock::Clock;
use chainchief_domain::period::Quarter;
use chainchief_domain::report::{ReportKind, ReportStatus};
use chainchief_domain::roles::Principal;
use chainchief_domain::supervision::Light;
use chainchief_store::audit::Actor;
use chainchief_store::dispatch::{self, NewReport};
use chainchief_store::{org, problems};

/// The year and months of a quarter typed as `YYYY-Qn`, refusing one that has not begun by `clock`'s today.
pub fn months_of(quarter: &str, clock: Clock) -> Result<(i32, Vec<String>)> {
    let q = Quarter::parse(quarter).map_err(|e| Error::field("quarter", e))?;
    if q.months()[0] > clock.this_month() {
        return Err(Error::field("quarter", "不能起草未来季度的报告"));
    }
    Ok((q.year(), q.months().iter().map(ToString::to_string).collect()))
}

/// The report drafted from the data of the city for `quarter`.
pub async fn compose(ctx: &Context, p: &Principal, quarter: &str, months: &[String]) -> Result<String> {
    let pool = ctx.store.pool();
    let q = Quarter::parse(quarter).map_err(|e| Error::field("quarter", e))?;
    // Everything is as of the quarter's last day (or today, for the quarter under way).
    let last = q.months()[2].last_day().min(ctx.clock.today());
    let end_day = last.format("%Y-%m-%d").to_string();
    let end = chainchief_domain::clock::beijing_midnight(last.succ_opt().unwrap_or(last));
    let mut out = vec![
        format!("本报告数据截至{}。", last.format("%Y年%-m月%-d日")),
        String::new(),
        "一、目标指标完成情况".to_string(),
    ];
    let as_of = crate::indicators::as_of(q.months()[2]);
    for r in crate::indicators::rows(ctx, &p.city_id, as_of, |i| i.scope != chainchief_domain::org::Scope::Enterprise)
        .await?
    {
        out.push(crate::cockpit::sentence(&r));
    }
    out.push(String::new());
    out.push("二、各产业链月报".into());
    let reports = dispatch::list(pool, &p.city_id).await?;
    for c in org::chains(pool, &p.city_id).await?.into_iter().filter(|c| c.office_unit_id.is_some()) {
        let mine: Vec<String> = months
            .iter()
            .map(|m| match reports.iter().find(|r| r.chain_id.as_deref() == Some(c.id.as_str()) && r.period == *m) {
                Some(r) if r.status == ReportStatus::Submitted => format!("{m}已报送"),
                Some(_) => format!("{m}未提交"),
                None => format!("{m}未起草"),
            })
            .collect();
        out.push(format!("{}：{}。", c.name, mine.join("，")));
    }
    out.push(String::new());
    out.push("三、年度任务量".into());
    let year: i32 = quarter[..4].parse().unwrap_or_default();
    let (_, _, quotas) = org::measures(pool, &p.city_id).await?;
    for q in quotas {
        let done = chainchief_store::events::count_until(pool, &p.city_id, &q.counts, year, &end_day).await?;
        out.push(format!("{}：{}/{}{}。", q.name, done.map_or("—".into(), |d| d.to_string()), q.min_count, q.unit));
    }
    out.push(String::new());
    out.push("四、问题与任务督办".into());
    let open = problems::list(pool, &p.city_id).await?.iter().filter(|x| x.open_at(end)).count();
    let red = crate::tasks::load(ctx, p).await?.into_iter().filter(|t| t.state.light == Some(Light::Red)).count();
    out.push(format!("季末未办结问题{open}个；逾期任务{red}项（按起草时的进展）。"));
    out.push(String::new());
    out.push("五、下季度工作安排".into());
    out.push(format!("（请{}填写）", crate::general_office(ctx, &p.city_id).await?.1));
    Ok(out.join("\n"))
}

/// Drafts the general office's report of `quarter` (`YYYY-Qn`) from the data; returns its id.
pub async fn draft_quarterly(ctx: &Context, p: &Principal, actor: &Actor, quarter: &str) -> Result<String> {
    let (year, months) = months_of(quarter, ctx.clock)?;
    let quarter = quarter.trim();
    let body = compose(ctx, p, quarter, &months).await?;
    let city = org::city(ctx.store.pool(), &p.city_id).await?;
    let title = format!("{}产业链链长制{year}年第{}季度工作报告", city.name, &quarter[6..]);
    let new = NewReport {
        city_id: &p.city_id,
        kind: ReportKind::Quarterly,
        chain_id: None,
        period: quarter,
        title: &title,
        body: &body,
    };
    Ok(dispatch::draft(&ctx.store, actor, &new).await?)
}
