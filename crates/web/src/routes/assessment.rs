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
use chainchief_app::assessment::{Outcome, SCHEME, points, round_end, score_assessment};
use chainchief_domain::assessment::{Scheme, check_manual, parse};
use chainchief_domain::clock::format_millis;
use chainchief_domain::quantity::parse_scaled;
use chainchief_domain::roles::{Principal, Role};
use chainchief_store::{assessment, published};
use serde::Deserialize;

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
            None => (score_assessment(&state, p, &scheme, &round).await?, None),
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
    let results = score_assessment(&state, p, &scheme, &f.round).await?;
    if results.iter().any(|r| r.items.iter().any(|(s, _)| s.is_none())) {
        return Err(AppError::field("round", "还有人工评分项未评，不能发布").into());
    }
    let json = serde_json::to_string(&results).map_err(|e| AppError::Internal(e.to_string()))?;
    published::publish(&state.store, &user.actor(), published::ASSESSMENT, &p.city_id, &f.round, &json).await?;
    Ok(Redirect::to(&format!("/assessment?round={}&msg=saved", f.round)).into_response())
}
