//! Assessment of chain offices [O4]: the scheme of `plans/assessment-scheme.toml` applied to each
//! leading chain's office — items scored from the data where they can be, by the general office
//! with evidence where they cannot — totals, ranking, publication (frozen) and export.

use super::library_io::xlsx;
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::assessment::{Scheme, check_manual, parse, rank, ratio_score};
use chainchief_domain::clock::format_millis;
use chainchief_domain::org::ChainLevel;
use chainchief_domain::quantity::parse_scaled;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::Light;
use chainchief_store::{assessment, published};
use serde::{Deserialize, Serialize};

/// The shipped scheme.
const SCHEME: &str = include_str!("../../../../plans/assessment-scheme.toml");

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

fn round_end(round: &str) -> Result<chrono::NaiveDate, AppError> {
    let bad = || AppError::field("round", "考核轮次应写成 2026（年终）或 2026-H1（年中）");
    let (year, half) = match round.split_once('-') {
        Some((y, "H1")) => (y, true),
        Some(_) => return Err(bad()),
        None => (round, false),
    };
    let y: i32 = year.parse().map_err(|_| bad())?;
    chrono::NaiveDate::from_ymd_opt(y, if half { 6 } else { 12 }, if half { 30 } else { 31 }).ok_or_else(bad)
}

async fn compute(state: &AppState, p: &Principal, scheme: &Scheme, round: &str) -> Result<Vec<Outcome>, AppError> {
    let end = round_end(round)?.min(state.clock.today());
    let pool = state.store.pool();
    let chains: Vec<_> = chainchief_store::org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|c| c.level == ChainLevel::CityLeading.code())
        .collect();
    let rows = chainchief_app::indicators::rows(state, &p.city_id, |i| i.scope != "enterprise").await?;
    let problems = chainchief_store::problems::list(pool, &p.city_id).await?;
    let tasks = chainchief_app::tasks::load(state, p).await?;
    let manual = assessment::scores(pool, &p.city_id, round).await?;
    let office_tasks: Vec<_> =
        tasks.iter().filter(|t| t.units.iter().any(|u| u.3 == "chain_office" || u.3 == "group")).collect();
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
                    let done =
                        due.iter().filter(|x| chainchief_domain::supervision::problem_is_closed(&x.status)).count();
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

#[derive(Template, WebTemplate)]
#[template(path = "org/assessment.html")]
struct AssessmentPage {
    l: Layout,
    round: String,
    scheme: Scheme,
    results: Vec<Outcome>,
    published: Option<String>,
    can_score: bool,
}

/// The round asked for.
#[derive(Deserialize)]
pub struct RoundQuery {
    round: Option<String>,
    format: Option<String>,
}

fn may_see(p: &Principal) -> bool {
    p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice])
}

/// `GET /assessment?round=2026-H1[&format=xlsx]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<RoundQuery>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let p = &user.principal;
    require(&state, &user, may_see(p), "GET /assessment").await?;
    let round = q.round.filter(|r| !r.is_empty()).unwrap_or_else(|| state.clock.year().to_string());
    round_end(&round)?;
    let scheme = parse(SCHEME).map_err(AppError::Internal)?;
    let (results, published) =
        match published::get(state.store.pool(), published::ASSESSMENT, &p.city_id, &round).await? {
            Some((json, at, by)) => (
                serde_json::from_str(&json).map_err(|e| AppError::Internal(e.to_string()))?,
                Some(format!("{by} 于 {} 发布", format_millis(at))),
            ),
            None => (compute(&state, p, &scheme, &round).await?, None),
        };
    if q.format.as_deref() == Some("xlsx") {
        use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
        let mut headers = vec!["名次".to_string(), "链条办".to_string()];
        headers.extend(scheme.items.iter().map(|i| format!("{}（{}分）", i.name, i.weight)));
        headers.push("总分".into());
        let rows = results
            .iter()
            .map(|r| {
                let mut row = vec![CellOut::Int(r.rank as i64), CellOut::Text(r.chain.clone())];
                row.extend(
                    r.items
                        .iter()
                        .map(|(s, _)| s.map_or(CellOut::Text("待评".into()), |v| CellOut::Text(points(&v)))),
                );
                row.push(CellOut::Text(points(&r.total)));
                row
            })
            .collect();
        let bytes = write_xlsx(&[SheetOut { name: format!("{round}考核"), headers, rows }])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(xlsx(bytes, &format!("assessment-{round}.xlsx")));
    }
    let l = layout(&state, &user, "链条办考核", "/assessment").await?.with_flash(f.msg.as_deref());
    Ok(AssessmentPage { l, round, scheme, results, published, can_score: p.has(Role::GeneralOffice) }.into_response())
}

/// A hand-entered score.
#[derive(Deserialize)]
pub struct ScoreForm {
    round: String,
    chain_id: String,
    item: String,
    score: String,
    #[serde(default)]
    evidence: String,
}

/// `POST /assessment/scores`: the general office scores a manual item with its evidence.
pub async fn score(State(state): State<AppState>, user: CurrentUser, Form(f): Form<ScoreForm>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.has(Role::GeneralOffice), "POST /assessment/scores").await?;
    round_end(&f.round)?;
    if published::get(state.store.pool(), published::ASSESSMENT, &p.city_id, &f.round).await?.is_some() {
        return Err(AppError::field("round", "该轮考核结果已发布，不能再评分").into());
    }
    let scheme = parse(SCHEME).map_err(AppError::Internal)?;
    let item = scheme
        .items
        .iter()
        .find(|i| i.code == f.item && i.rule == "manual")
        .ok_or_else(|| AppError::field("item", "该项不是人工评分项"))?;
    chainchief_store::org::chain(state.store.pool(), &p.city_id, &f.chain_id)
        .await
        .map_err(|_| AppError::field("chain_id", "没有这条产业链"))?;
    let score = parse_scaled(&f.score).map_err(|e| AppError::field("score", e.to_string()))? / 100;
    check_manual(item, score, &f.evidence)
        .map_err(|e| AppError::field(if f.evidence.trim().is_empty() { "evidence" } else { "score" }, e))?;
    let s = assessment::Score {
        round: &f.round,
        chain_id: &f.chain_id,
        item: &item.code,
        score,
        evidence: f.evidence.trim(),
    };
    assessment::set_score(&state.store, &user.actor(), &p.city_id, &s).await?;
    Ok(Redirect::to(&format!("/assessment?round={}&msg=saved", f.round)).into_response())
}

/// The round to publish.
#[derive(Deserialize)]
pub struct PublishForm {
    round: String,
}

/// `POST /assessment/publish`: freezes a round; every manual item must be scored first.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, Form(f): Form<PublishForm>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.has(Role::GeneralOffice), "POST /assessment/publish").await?;
    let scheme = parse(SCHEME).map_err(AppError::Internal)?;
    let results = compute(&state, p, &scheme, &f.round).await?;
    if results.iter().any(|r| r.items.iter().any(|(s, _)| s.is_none())) {
        return Err(AppError::field("round", "还有人工评分项未评，不能发布").into());
    }
    let json = serde_json::to_string(&results).map_err(|e| AppError::Internal(e.to_string()))?;
    published::publish(&state.store, &user.actor(), published::ASSESSMENT, &p.city_id, &f.round, &json).await?;
    Ok(Redirect::to(&format!("/assessment?round={}&msg=saved", f.round)).into_response())
}
