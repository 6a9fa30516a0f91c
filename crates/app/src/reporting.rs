//! The reporting calendar [T2] and reminders: for a month, which enterprises owe which figures, by
//! which day, who has reported, who is late; and what each user is reminded of (figures not
//! reported, monthly reports not submitted) on the home page and in the pushed reminders.

use crate::{Context, Result};
use chainchief_domain::period::Month;
use chainchief_domain::report::ReportStatus;
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::dispatch;
use chainchief_store::org::{self, Indicator};
use chainchief_store::reporting::{self, Reporter};

/// The day a month's figure is due: `due_day` of the following month.
pub fn due_date(period: &str, due_day: i64) -> Option<chrono::NaiveDate> {
    Month::parse(period).ok().map(|m| m.due_on(u32::try_from(due_day).unwrap_or(1)))
}

/// Enterprise indicators entered by hand (not rolled up, not computed).
fn reported_indicators(all: &[Indicator]) -> Vec<&Indicator> {
    all.iter().filter(|i| i.scope == chainchief_domain::org::Scope::Enterprise && i.formula.trim().is_empty()).collect()
}

/// The indicators an enterprise owes for the month: those of no chain, and those of its chains
/// it reported in the year before.
fn owed<'a>(inds: &[&'a Indicator], r: &Reporter) -> Vec<&'a Indicator> {
    inds.iter()
        .filter(|i| match &i.chain_id {
            None => true,
            Some(c) => r.chains.contains(c) && (r.recent.contains(&i.id) || r.reported.contains(&i.id)),
        })
        .copied()
        .collect()
}

/// One enterprise's state for the month.
pub struct Status {
    /// Enterprise id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Figures it owes.
    pub owed: usize,
    /// Figures it has reported.
    pub done: usize,
    /// The indicators still missing.
    pub missing: Vec<String>,
    /// 已报齐 / 逾期未报 / 未报 / 部分已报.
    pub label: &'static str,
    /// green / red / amber.
    pub class: &'static str,
}

/// Whether `p` oversees an enterprise on `chains`.
fn oversees(p: &Principal, chains: &[String]) -> bool {
    p.has(Role::GeneralOffice) || chains.iter().any(|c| p.can_write_chain(c))
}

fn state_of(r: &Reporter, owed: &[&Indicator], period: &str, today: chrono::NaiveDate) -> Status {
    let missing: Vec<&Indicator> = owed.iter().filter(|i| !r.reported.contains(&i.id)).copied().collect();
    let overdue = missing.iter().any(|i| due_date(period, i.due_day).is_some_and(|d| today > d));
    let done = owed.len() - missing.len();
    let (label, class) = match (missing.is_empty(), done, overdue) {
        (true, _, _) => ("已报齐", "green"),
        (false, _, true) => ("逾期未报", "red"),
        (false, 0, false) => ("未报", "amber"),
        (false, _, false) => ("部分已报", "amber"),
    };
    let missing = missing.iter().map(|i| i.name.clone()).collect();
    Status { id: r.id.clone(), name: r.name.clone(), owed: owed.len(), done, missing, label, class }
}

/// The enterprises `p` oversees (or its own) with what each owes for `period`, and the day due.
pub async fn month_status(
    ctx: &Context,
    p: &Principal,
    period: &str,
) -> Result<(Vec<Status>, Option<chrono::NaiveDate>)> {
    let (all, _) = crate::indicators::definitions(ctx, &p.city_id).await?;
    let inds = reported_indicators(&all);
    let due = inds.iter().map(|i| i.due_day).min().and_then(|d| due_date(period, d));
    let reporters = reporting::reporters(ctx.store.pool(), &p.city_id, period).await?;
    let own: Vec<&str> =
        p.grants.iter().filter(|g| g.role == Role::Enterprise).filter_map(|g| g.enterprise_id.as_deref()).collect();
    let rows = reporters
        .iter()
        .filter(|r| oversees(p, &r.chains) || own.contains(&r.id.as_str()))
        .map(|r| state_of(r, &owed(&inds, r), period, ctx.clock.today()))
        .filter(|s| s.owed > 0)
        .collect();
    Ok((rows, due))
}

/// A reminder on the home page.
pub struct Reminder {
    /// What is waiting, in two words (待报送, 待签收, 待交办 …).
    pub what: &'static str,
    /// What is due.
    pub text: String,
    /// Where to act.
    pub href: String,
    /// Already late.
    pub late: bool,
}

/// The reminders of last month's figures for the user: its own enterprise's missing figures, or
/// for an office the enterprises that have not reported.
pub async fn reminders(ctx: &Context, p: &Principal) -> Result<Vec<Reminder>> {
    let period = ctx.clock.last_month().to_string();
    let (rows, due) = month_status(ctx, p, &period).await?;
    let due_text = due.map(|d| d.format("%m月%d日").to_string()).unwrap_or_default();
    let open: Vec<&Status> = rows.iter().filter(|s| s.class != "green").collect();
    let late = open.iter().any(|s| s.class == "red");
    let mut out = Vec::new();
    if p.has_any(&[Role::GeneralOffice, Role::ChainOffice]) {
        if !open.is_empty() {
            out.push(Reminder {
                what: "待报送",
                text: format!("{}家企业尚未报齐{period}月数据（截止{due_text}）", open.len()),
                href: format!("/figures/status?period={period}"),
                late,
            });
        }
    } else {
        for s in open {
            out.push(Reminder {
                what: "待报送",
                text: format!("{}：{period}月数据尚缺{}（截止{due_text}）", s.name, s.missing.join("、")),
                href: format!("/figures?period={period}&enterprise={}", s.id),
                late: s.class == "red",
            });
        }
    }
    Ok(out)
}

/// Reminders of last month's reports a chain office has not submitted.
pub async fn report_reminders(ctx: &Context, p: &Principal) -> Result<Vec<Reminder>> {
    if !p.has(Role::ChainOffice) {
        return Ok(vec![]);
    }
    let pool = ctx.store.pool();
    let period = ctx.clock.last_month().to_string();
    let reports = dispatch::list(pool, &p.city_id).await?;
    let mut out = Vec::new();
    for c in org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|c| p.can_write_chain(&c.id) && c.office_unit_id.is_some())
    {
        let mine = reports.iter().find(|r| r.chain_id.as_deref() == Some(c.id.as_str()) && r.period == period);
        if mine.is_some_and(|r| r.status == ReportStatus::Submitted) {
            continue;
        }
        let d = crate::reports::monthly::due(ctx, &period);
        out.push(Reminder {
            what: "待提交",
            text: format!(
                "{}{period}月工作月报尚未提交（{}日前）",
                c.name,
                d.map(|d| d.format("%m月%d").to_string()).unwrap_or_default()
            ),
            href: mine.map_or_else(|| "/dispatch".to_string(), |r| format!("/dispatch/{}", r.id)),
            late: d.is_some_and(|d| ctx.clock.today() > d),
        });
    }
    Ok(out)
}
