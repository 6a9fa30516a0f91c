//! Assessment of chain offices [O4]: the scheme of `plans/assessment-scheme.toml` applied to each
//! leading chain's office — items scored from the data where they can be, by the general office
//! with evidence where they cannot — totals, ranking, publication (frozen) and export.

use super::library_io::xlsx;
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::assessment::{self as uc, Outcome, points};
use chainchief_domain::assessment::Scheme;
use chainchief_domain::quantity::parse_scaled;
use chainchief_domain::roles::Role;
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

/// `GET /assessment?round=2026-H1[&format=xlsx]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<RoundQuery>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let p = &user.principal;
    let round = q.round.filter(|r| !r.is_empty()).unwrap_or_else(|| state.clock.year().to_string());
    let (results, published) = uc::results(&state.ctx, &user.caller(), &round).await?;
    let scheme = uc::scheme()?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "assessment", None).await?;
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
    let score = parse_scaled(&f.score).map_err(|e| AppError::field("score", e.to_string()))? / 100;
    uc::score_item(&state.ctx, &user.caller(), &f.round, &f.chain_id, &f.item, score, &f.evidence).await?;
    Ok(Redirect::to(&format!("/assessment?round={}&msg=saved", f.round)).into_response())
}

/// The round to publish.
#[derive(Deserialize)]
pub struct PublishForm {
    round: String,
}

/// `POST /assessment/publish`: freezes a round; every manual item must be scored first.
pub async fn publish(State(state): State<AppState>, user: CurrentUser, Form(f): Form<PublishForm>) -> PageResult {
    uc::publish(&state.ctx, &user.caller(), &f.round).await?;
    Ok(Redirect::to(&format!("/assessment?round={}&msg=saved", f.round)).into_response())
}
