//! Assessment of chain offices [O4]: the scheme applied to each leading chain's office — items
//! scored from the data where they can be, by the general office with evidence where they cannot —
//! totals and ranking.

use crate::{Caller, Context, Error, Result, allow, published};
use chainchief_domain::assessment::{Scheme, rank, ratio_score};
use chainchief_domain::org::ChainLevel;
use chainchief_domain::roles::Principal;
use chainchief_domain::roles::Role;
use chainchief_domain::supervision::Light;
use chainchief_store::assessment;
use chainchief_store::published::{self as frozen, ASSESSMENT};
use serde::{Deserialize, Serialize};

/// The shipped scheme.
pub const SCHEME: &str = include_str!("../../../plans/assessment-scheme.toml");

/// A chain office's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// Chain id.
    pub chain_id: String,
    /// Chain name.
    pub chain: String,
    /// Per item: (score ×100, how it was reached).
    pub items: Vec<(Option<i64>, String)>,
    /// Total ×100.
    pub total: i64,
    /// Rank.
    pub rank: usize,
}

/// Points with two decimals.
pub fn points(v: &i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

/// The last day of a round: 30 June for `2026-H1`, 31 December for `2026`.
pub fn round_end(round: &str) -> Result<chrono::NaiveDate> {
    let bad = || Error::field("round", "考核轮次应写成 2026（年终）或 2026-H1（年中）");
    let (year, half) = match round.split_once('-') {
        Some((y, "H1")) => (y, true),
        Some(_) => return Err(bad()),
        None => (round, false),
    };
    let y: i32 = year.parse().map_err(|_| bad())?;
    chrono::NaiveDate::from_ymd_opt(y, if half { 6 } else { 12 }, if half { 30 } else { 31 }).ok_or_else(bad)
}

/// Scores every leading chain's office for `round` (`2026` or `2026-H1`) by the scheme, ranked.
pub async fn score_assessment(ctx: &Context, p: &Principal, scheme: &Scheme, round: &str) -> Result<Vec<Outcome>> {
    let end = round_end(round)?.min(ctx.clock.today());
    let pool = ctx.store.pool();
    let chains: Vec<_> = chainchief_store::org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|c| c.level == ChainLevel::CityLeading)
        .collect();
    let as_of = crate::indicators::as_of(chainchief_domain::period::Month::of(end));
    let rows =
        crate::indicators::rows(ctx, &p.city_id, as_of, |i| i.scope != chainchief_domain::org::Scope::Enterprise)
            .await?;
    let problems = chainchief_store::problems::list(pool, &p.city_id).await?;
    let tasks = crate::tasks::load(ctx, p).await?;
    let manual = assessment::scores(pool, &p.city_id, round).await?;
    let office_tasks: Vec<_> = tasks.iter().filter(|t| t.carried_by_chain_offices()).collect();
    let mut out = Vec::new();
    for c in &chains {
        let mut items = Vec::new();
        let mut total = 0;
        for item in &scheme.items {
            let (score, how) = match item.rule.as_str() {
                "indicator_attainment" => {
                    let att: Vec<f64> = rows
                        .iter()
                        .filter(|r| r.ind.chain_id.as_deref() == Some(c.id.as_str()))
                        .filter_map(|r| r.attainment())
                        .collect();
                    let num = att.iter().map(|a| (a.min(1.0) * 10_000.0).round() as i64).sum();
                    (
                        Some(ratio_score(item.weight, num, att.len() as i64 * 10_000)),
                        format!("{}项指标平均完成度", att.len()),
                    )
                }
                "problems_on_time" => {
                    let due: Vec<_> = problems
                        .iter()
                        .filter(|x| x.chain_id.as_deref() == Some(c.id.as_str()))
                        .filter(|x| {
                            x.deadline
                                .as_deref()
                                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                                .is_some_and(|d| d <= end)
                        })
                        .collect();
                    let done = due.iter().filter(|x| x.status.is_closed()).count();
                    (
                        Some(ratio_score(item.weight, done as i64, due.len() as i64)),
                        format!("到期{}个，已办结{}个", due.len(), done),
                    )
                }
                "tasks_on_time" => {
                    let fine = office_tasks.iter().filter(|t| t.state.light != Some(Light::Red)).count();
                    (
                        Some(ratio_score(item.weight, fine as i64, office_tasks.len() as i64)),
                        format!("{}项任务中{}项未逾期", office_tasks.len(), fine),
                    )
                }
                _ => match manual.iter().find(|m| m.0 == c.id && m.1 == item.code) {
                    Some(m) => (Some(m.2), format!("{}（{}评）", m.3, m.4)),
                    None => (None, "待评".to_string()),
                },
            };
            total += score.unwrap_or(0);
            items.push((score, how));
        }
        out.push(Outcome { chain_id: c.id.clone(), chain: c.name.clone(), items, total, rank: 0 });
    }
    let ranks = rank(&out.iter().map(|r| (r.chain_id.clone(), r.total)).collect::<Vec<_>>());
    for r in &mut out {
        r.rank = ranks.iter().find(|x| x.0 == r.chain_id).map_or(0, |x| x.2);
    }
    out.sort_by_key(|r| r.rank);
    Ok(out)
}

/// Who sees the assessment: the whole city's readers, chain chiefs and chain offices.
pub fn may_see(p: &Principal) -> bool {
    p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice])
}

/// The shipped scheme, parsed.
pub fn scheme() -> Result<Scheme> {
    chainchief_domain::assessment::parse(SCHEME).map_err(Error::Internal)
}

/// A round's results for a reader: the published ones with who published them, or today's scores.
pub async fn results(ctx: &Context, c: &Caller<'_>, round: &str) -> Result<(Vec<Outcome>, Option<String>)> {
    let p = c.principal;
    allow(ctx, c, may_see(p), "GET /assessment").await?;
    round_end(round)?;
    match published(ctx, ASSESSMENT, &p.city_id, round).await? {
        Some((results, by)) => Ok((results, Some(by))),
        None => Ok((score_assessment(ctx, p, &scheme()?, round).await?, None)),
    }
}

/// The general office scores a manual item of a chain office (points ×100) with its evidence,
/// while the round is not published.
pub async fn score_item(
    ctx: &Context,
    c: &Caller<'_>,
    round: &str,
    chain_id: &str,
    item: &str,
    score: i64,
    evidence: &str,
) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /assessment/scores").await?;
    round_end(round)?;
    if published::<Vec<Outcome>>(ctx, ASSESSMENT, &p.city_id, round).await?.is_some() {
        return Err(Error::field("round", "该轮考核结果已发布，不能再评分"));
    }
    let scheme = scheme()?;
    let item = scheme
        .items
        .iter()
        .find(|i| i.code == item && i.rule == "manual")
        .ok_or_else(|| Error::field("item", "该项不是人工评分项"))?;
    chainchief_store::org::chain(ctx.store.pool(), &p.city_id, chain_id)
        .await
        .map_err(|_| Error::field("chain_id", "没有这条产业链"))?;
    chainchief_domain::assessment::check_manual(item, score, evidence)
        .map_err(|e| Error::field(if evidence.trim().is_empty() { "evidence" } else { "score" }, e))?;
    let s = assessment::Score { round, chain_id, item: &item.code, score, evidence: evidence.trim() };
    Ok(assessment::set_score(&ctx.store, &c.actor, &p.city_id, &s).await?)
}

/// Freezes a round's results (the general office); every manual item must be scored first.
pub async fn publish(ctx: &Context, c: &Caller<'_>, round: &str) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /assessment/publish").await?;
    let results = score_assessment(ctx, p, &scheme()?, round).await?;
    if results.iter().any(|r| r.items.iter().any(|(s, _)| s.is_none())) {
        return Err(Error::field("round", "还有人工评分项未评，不能发布"));
    }
    let json = serde_json::to_string(&results).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(frozen::publish(&ctx.store, &c.actor, ASSESSMENT, &p.city_id, round, &json).await?)
}
