//! The reserve library (后备库) [E3]: for a cultivation goal, the local enterprises that do not yet
//! hold it, each with the criteria (data) it meets or misses, closest first.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_app::reserve::{self as uc, Candidate};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/reserve.html")]
struct ReservePage {
    l: Layout,
    targets: Vec<(String, String)>,
    target: String,
    label: String,
    rows: Vec<Candidate>,
    total: usize,
}

/// Which goal, and `format=xlsx` for the export.
#[derive(Deserialize)]
pub struct ReserveQuery {
    target: Option<String>,
    format: Option<String>,
}

/// `GET /enterprises/reserve?target=TIER`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ReserveQuery>) -> PageResult {
    let (goal, rows) = uc::candidates(&state.ctx, &user.caller(), q.target.as_deref().unwrap_or("")).await?;
    let target = goal.tier.clone();
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "reserve", None).await?;
        use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
        let mut headers = vec!["企业".to_string(), "满足条件数".to_string()];
        headers.extend(goal.criteria.iter().map(|k| k.label.clone()));
        let data = rows
            .iter()
            .map(|r| {
                let mut cells = vec![CellOut::Text(r.name.clone()), CellOut::Int(r.met as i64)];
                cells.extend(r.checks.iter().map(|(_, ok)| CellOut::Text(if *ok { "满足" } else { "不满足" }.into())));
                cells
            })
            .collect();
        let bytes = write_xlsx(&[SheetOut { name: goal.label.clone(), headers, rows: data }])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(super::library_io::xlsx(bytes, "reserve.xlsx"));
    }
    let l = layout(&state, &user, "后备库", "/enterprises/reserve").await?.with_parents(&[("企业库", "/enterprises")]);
    let page = ReservePage {
        l,
        targets: uc::criteria()?.targets.iter().map(|t| (t.tier.clone(), t.label.clone())).collect(),
        label: goal.label.clone(),
        total: goal.criteria.len(),
        target,
        rows,
    };
    Ok(page.into_response())
}
