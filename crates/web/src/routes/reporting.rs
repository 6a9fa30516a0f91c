//! The reporting calendar [T2]: for a month, which enterprises owe which figures, by which day,
//! who has reported, who is late; and the reminders shown on the home page.

use super::pages::{PageResult, layout};
use crate::AppState;
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_app::reporting::{Status, month_status};
use chainchief_domain::roles::Role;
use serde::Deserialize;

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

/// `GET /figures/status?period=YYYY-MM`: who has reported the month.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<StatusQuery>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.has_any(&[Role::GeneralOffice, Role::ChainOffice]), "GET /figures/status").await?;
    let period = match q.period.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => chainchief_app::month_to_date(s, state.clock)?,
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
