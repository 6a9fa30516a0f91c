//! The reporting calendar [T2]: for a month, which enterprises owe which figures, by which day,
//! who has reported, who is late; and the reminders shown on the home page.

use super::figures::{due_date, parse_period};
use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::org::Indicator;
use chainchief_store::reporting::{self, Reporter};
use serde::Deserialize;

/// Enterprise indicators entered by hand (not rolled up, not computed).
fn reported_indicators(all: &[Indicator]) -> Vec<&Indicator> {
    all.iter().filter(|i| i.scope == "enterprise" && i.formula.trim().is_empty()).collect()
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
struct Status {
    id: String,
    name: String,
    owed: usize,
    done: usize,
    missing: Vec<String>,
    label: &'static str,
    class: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "figures/status.html")]
struct StatusPage {
    l: Layout,
    period: String,
    due: String,
    overdue: bool,
    rows: Vec<Status>,
    complete: usize,
    late: usize,
}

/// Month shown.
#[derive(Deserialize)]
pub struct StatusQuery {
    period: Option<String>,
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

async fn month_status(
    state: &AppState,
    p: &Principal,
    period: &str,
) -> Result<(Vec<Status>, Option<chrono::NaiveDate>), AppError> {
    let (all, _) = chainchief_app::indicators::definitions(state, &p.city_id).await?;
    let inds = reported_indicators(&all);
    let due = inds.iter().map(|i| i.due_day).min().and_then(|d| due_date(period, d));
    let reporters = reporting::reporters(state.store.pool(), &p.city_id, period).await?;
    let own: Vec<&str> =
        p.grants.iter().filter(|g| g.role == Role::Enterprise).filter_map(|g| g.enterprise_id.as_deref()).collect();
    let rows = reporters
        .iter()
        .filter(|r| oversees(p, &r.chains) || own.contains(&r.id.as_str()))
        .map(|r| state_of(r, &owed(&inds, r), period, state.clock.today()))
        .filter(|s| s.owed > 0)
        .collect();
    Ok((rows, due))
}

/// `GET /figures/status?period=YYYY-MM`: who has reported the month.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<StatusQuery>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.has_any(&[Role::GeneralOffice, Role::ChainOffice]), "GET /figures/status").await?;
    let period = match q.period.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => parse_period(s, state.clock)?,
        None => state.clock.last_month().to_string(),
    };
    let (mut rows, due) = month_status(&state, p, &period).await?;
    rows.sort_by_key(|s| (s.class == "green", s.name.clone()));
    let page = StatusPage {
        l: layout(&state, &user, "报送情况", "/figures/status").await?,
        due: due.map(|d| d.format("%Y年%m月%d日").to_string()).unwrap_or_default(),
        overdue: due.is_some_and(|d| state.clock.today() > d),
        complete: rows.iter().filter(|s| s.class == "green").count(),
        late: rows.iter().filter(|s| s.class == "red").count(),
        period,
        rows,
    };
    Ok(page.into_response())
}

/// A reminder on the home page.
pub struct Reminder {
    /// What is due.
    pub text: String,
    /// Where to act.
    pub href: String,
    /// Already late.
    pub late: bool,
}

/// The reminders of last month's figures for the user: its own enterprise's missing figures, or
/// for an office the enterprises that have not reported.
pub async fn reminders(state: &AppState, p: &Principal) -> Result<Vec<Reminder>, AppError> {
    let period = state.clock.last_month().to_string();
    let (rows, due) = month_status(state, p, &period).await?;
    let due_text = due.map(|d| d.format("%m月%d日").to_string()).unwrap_or_default();
    let open: Vec<&Status> = rows.iter().filter(|s| s.class != "green").collect();
    let late = open.iter().any(|s| s.class == "red");
    let mut out = Vec::new();
    if p.has_any(&[Role::GeneralOffice, Role::ChainOffice]) {
        if !open.is_empty() {
            out.push(Reminder {
                text: format!("{}家企业尚未报齐{period}月数据（截止{due_text}）", open.len()),
                href: format!("/figures/status?period={period}"),
                late,
            });
        }
    } else {
        for s in open {
            out.push(Reminder {
                text: format!("{}：{period}月数据尚缺{}（截止{due_text}）", s.name, s.missing.join("、")),
                href: format!("/figures?period={period}&enterprise={}", s.id),
                late: s.class == "red",
            });
        }
    }
    Ok(out)
}
