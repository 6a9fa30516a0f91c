//! The monthly ranking of major projects, 龙虎榜 [P2]: investment planned against completed and
//! milestones kept, scored by the weights of `plans/board-weights.toml`.

use crate::{Caller, Context, Error, Result, allow, published};
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_domain::project::{
    BoardWeights, StatusRule, board_score, parse_board_weights, parse_status_rule, progress_status,
};
use chainchief_domain::roles::Role;
use chainchief_store::published::{self as frozen, BOARD};
use chainchief_store::{projects, tracking};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The shipped score weights and status rule.
const WEIGHTS: &str = include_str!("../../../plans/board-weights.toml");
const STATUS: &str = include_str!("../../../plans/project-status.toml");

/// The rules in force.
pub fn rules() -> Result<(BoardWeights, StatusRule)> {
    Ok((parse_board_weights(WEIGHTS).map_err(Error::Internal)?, parse_status_rule(STATUS).map_err(Error::Internal)?))
}

/// One project on the ranking.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Rank.
    pub rank: usize,
    /// Project id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Chain.
    pub chain: String,
    /// Stage label.
    pub stage: String,
    /// Planned investment of the year to the month, 万元.
    pub planned: String,
    /// Completed, 万元.
    pub actual: String,
    /// 正常 / 超前 / 滞后.
    pub status: String,
    /// Milestones due / on time.
    pub milestones: String,
    /// Score ×100.
    pub score: i64,
}

impl Entry {
    /// The score with two decimals.
    pub fn points(&self) -> String {
        format!("{}.{:02}", self.score / 100, self.score % 100)
    }
}

/// A stored `YYYY-MM-DD` date.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The ranking of the city's major projects for `period` (`YYYY-MM`), computed now.
pub async fn ranking(ctx: &Context, city_id: &str, period: &str) -> Result<Vec<Entry>> {
    let (weights, rule) = rules()?;
    let pool = ctx.store.pool();
    let year_start = format!("{}-01", &period[..4]);
    let months = tracking::months(pool, city_id, period).await?;
    let milestones = tracking::milestones(pool, city_id).await?;
    let end = date(&format!("{period}-01"))
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .map(|d| d.pred_opt().unwrap_or(d));
    let mut out: Vec<Entry> = Vec::new();
    for p in projects::list(pool, city_id).await?.into_iter().filter(|p| p.major == 1) {
        let mine = months.iter().filter(|m| m.project_id == p.id && m.period >= year_start);
        let mine: Vec<_> = mine.collect();
        let planned = Money::total(mine.iter().filter_map(|m| m.planned));
        let actual = Money::total(mine.iter().filter_map(|m| m.actual));
        let due: Vec<_> = milestones
            .iter()
            .filter(|m| m.project_id == p.id && date(&m.planned_on).zip(end).is_some_and(|(d, e)| d <= e))
            .collect();
        let on_time = due.iter().filter(|m| m.actual_on.as_deref().is_some_and(|a| a <= m.planned_on.as_str())).count();
        out.push(Entry {
            rank: 0,
            id: p.id.clone(),
            name: p.name.clone(),
            chain: p.chain_name.clone(),
            stage: p.stage.label().into(),
            planned: planned.format_in(MoneyUnit::Wan),
            actual: actual.format_in(MoneyUnit::Wan),
            status: progress_status(planned, actual, rule).label().into(),
            milestones: format!("{on_time}/{}", due.len()),
            score: board_score(planned, actual, due.len(), on_time, &weights),
        });
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    for (i, e) in out.iter_mut().enumerate() {
        e.rank = i + 1;
    }
    Ok(out)
}

/// The month a board is asked for (`YYYY-MM`, begun), or last month.
pub fn period_or_last(ctx: &Context, period: Option<&str>) -> Result<String> {
    match period.filter(|s| !s.is_empty()) {
        Some(s) => crate::month_to_date(s, ctx.clock),
        None => Ok(ctx.clock.last_month().to_string()),
    }
}

/// The 龙虎榜 of a month for a reader: the published one with who published it, or today's draft.
pub async fn view(ctx: &Context, c: &Caller<'_>, period: &str) -> Result<Board> {
    let p = c.principal;
    allow(ctx, c, crate::projects::may_read(p), "GET /projects/board").await?;
    let (entries, published) = match published(ctx, BOARD, &p.city_id, period).await? {
        Some((entries, by)) => (entries, Some(by)),
        None => (ranking(ctx, &p.city_id, period).await?, None),
    };
    let openable = crate::projects::readable(ctx, p).await?.into_iter().map(|x| x.id).collect();
    Ok(Board { entries, published, openable })
}

/// A month's 龙虎榜 as the caller sees it: the whole city's ranking (it is circulated), with links
/// only to the projects the caller may open.
pub struct Board {
    /// The ranked major projects.
    pub entries: Vec<Entry>,
    /// Who published it, when frozen.
    pub published: Option<String>,
    /// The projects of the ranking the caller may open.
    pub openable: std::collections::HashSet<String>,
}

/// Freezes a month's 龙虎榜 as computed now (the general office).
pub async fn publish(ctx: &Context, c: &Caller<'_>, period: &str) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /projects/board").await?;
    let entries = ranking(ctx, &p.city_id, period).await?;
    let json = serde_json::to_string(&entries).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(frozen::publish(&ctx.store, &c.actor, BOARD, &p.city_id, period, &json).await?)
}
