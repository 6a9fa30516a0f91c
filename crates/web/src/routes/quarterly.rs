//! The general office's quarterly report to the city leaders [O3], drafted from the four chains:
//! the city's targets, the chain offices' monthly reports of the quarter, quotas, problems and
//! tasks; then edited, submitted and acknowledged by a city leader like the monthly ones.

use super::pages::PageResult;
use crate::AppState;
use crate::auth::{CurrentUser, require};
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chainchief_app::reports::quarterly::draft_quarterly;
use chainchief_domain::roles::Role;
use serde::Deserialize;

/// The quarter to draft, `YYYY-Qn`.
#[derive(Deserialize)]
pub struct QuarterForm {
    quarter: String,
}

/// `POST /dispatch/quarterly`: the general office drafts a quarter's report.
pub async fn draft(State(state): State<AppState>, user: CurrentUser, Form(f): Form<QuarterForm>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.has(Role::GeneralOffice), "POST /dispatch/quarterly").await?;
    let id = draft_quarterly(&state, p, &user.actor(), &f.quarter).await?;
    Ok(Redirect::to(&format!("/dispatch/{id}?msg=created")).into_response())
}
