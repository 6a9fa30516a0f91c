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
use chainchief_domain::reserve::{Criteria, Facts, meets, parse};
use chainchief_store::library;
use serde::Deserialize;
use std::collections::HashSet;

/// The shipped criteria (plans/reserve-criteria.toml).
const CRITERIA: &str = include_str!("../../../../plans/reserve-criteria.toml");

/// A candidate with each criterion met (true) or missed.
struct Row {
    id: String,
    name: String,
    checks: Vec<(String, bool)>,
    met: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/reserve.html")]
struct ReservePage {
    l: Layout,
    targets: Vec<(String, String)>,
    target: String,
    label: String,
    rows: Vec<Row>,
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
    let criteria: Criteria = parse(CRITERIA).map_err(AppError::Internal)?;
    let target = q.target.unwrap_or_else(|| criteria.targets.first().map(|t| t.tier.clone()).unwrap_or_default());
    let goal = criteria
        .targets
        .iter()
        .find(|t| t.tier == target)
        .ok_or_else(|| AppError::field("target", "没有这个培育目标"))?;
    let scope = super::enterprises::scope_of(&user.principal);
    let (_, visible) =
        library::list(state.store.pool(), &user.principal.city_id, &scope, &library::Filter::default(), 0, 1_000_000)
            .await?;
    let visible: HashSet<String> = visible.into_iter().map(|i| i.id).collect();
    let (candidates, tiers) = library::candidates(state.store.pool(), &user.principal.city_id).await?;
    let mut rows: Vec<Row> = candidates
        .into_iter()
        .filter(|c| visible.contains(&c.id))
        .filter_map(|c| {
            let held: Vec<_> = tiers.iter().filter(|t| t.enterprise_id == c.id).map(|t| t.tier).collect();
            if held.iter().any(|t| t.code() == goal.tier) {
                return None;
            }
            let facts = Facts { revenue: c.revenue, employees: c.employees, scale: c.scale, tiers: held };
            let checks: Vec<(String, bool)> =
                goal.criteria.iter().map(|k| (k.label.clone(), meets(k, &facts))).collect();
            let met = checks.iter().filter(|x| x.1).count();
            Some(Row { id: c.id, name: c.name, checks, met })
        })
        .collect();
    rows.sort_by(|a, b| b.met.cmp(&a.met).then(a.name.cmp(&b.name)));
    if q.format.as_deref() == Some("xlsx") {
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
        targets: criteria.targets.iter().map(|t| (t.tier.clone(), t.label.clone())).collect(),
        label: goal.label.clone(),
        total: goal.criteria.len(),
        target,
        rows,
    };
    Ok(page.into_response())
}
