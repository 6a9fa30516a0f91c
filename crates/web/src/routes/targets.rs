//! The target library 招商重点企业库 [I1]: external enterprises the city courts, the nodes each
//! could fill, who follows it up, its status and the timeline of contacts; a target becomes a
//! project from its page.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::investment::{self as uc, TargetDetail, TargetRow};
use chainchief_domain::project::TargetStatus;
use chainchief_store::investment::{Contact, Target};
use serde::Deserialize;

pub use chainchief_app::projects::{may_read, may_write};

#[derive(Template, WebTemplate)]
#[template(path = "investment/targets.html")]
struct TargetsPage {
    l: Layout,
    rows: Vec<TargetRow>,
    candidates: Vec<(String, String)>,
    can_write: bool,
}

/// `GET /investment/targets`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let (rows, candidates) = uc::targets(&state.ctx, &user.caller(), "GET /investment/targets").await?;
    let l = layout(&state, &user, "招商目标库", "/investment/targets").await?.with_flash(f.msg.as_deref());
    Ok(TargetsPage { l, rows, candidates, can_write: may_write(&user.principal) }.into_response())
}

/// A new target.
#[derive(Deserialize)]
pub struct AddForm {
    enterprise_id: String,
    #[serde(default)]
    note: String,
}

/// `POST /investment/targets`: adds an external enterprise of the library to the targets.
pub async fn add(State(state): State<AppState>, user: CurrentUser, Form(f): Form<AddForm>) -> PageResult {
    let id = uc::add_target(&state.ctx, &user.caller(), &f.enterprise_id, &f.note).await?;
    Ok(Redirect::to(&format!("/investment/targets/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/target.html")]
struct TargetPage {
    l: Layout,
    t: Target,
    nodes: Vec<(String, String, String, bool)>,
    contacts: Vec<Contact>,
    ties: Vec<String>,
    statuses: &'static [TargetStatus],
    can_write: bool,
    today: String,
}

/// `GET /investment/targets/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let TargetDetail { t, nodes, contacts, ties, can_change } =
        uc::target_detail(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &t.name, "/investment/targets")
        .await?
        .with_parents(&[("招商目标库", "/investment/targets")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let can_write = can_change;
    let nodes = nodes
        .into_iter()
        .map(|(n, name, c)| {
            let readable = user.principal.can_read_chain(&c);
            (n, name, c, readable)
        })
        .collect();
    let page = TargetPage { l, t, nodes, contacts, ties, statuses: TargetStatus::ALL, can_write, today };
    Ok(page.into_response())
}

/// A contact.
#[derive(Deserialize)]
pub struct ContactForm {
    contact_on: String,
    kind: String,
    summary: String,
}

/// `POST /investment/targets/{id}/contacts`.
pub async fn add_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ContactForm>,
) -> PageResult {
    let on = chrono::NaiveDate::parse_from_str(f.contact_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("contact_on", "日期应写成YYYY-MM-DD"))?;
    uc::add_contact(&state.ctx, &user.caller(), &id, on, &f.kind, &f.summary).await?;
    Ok(Redirect::to(&format!("/investment/targets/{id}?msg=saved")).into_response())
}

/// Status and notes.
#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    #[serde(default)]
    note: String,
    version: i64,
}

/// `POST /investment/targets/{id}`: status and notes, with the version read.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let status = TargetStatus::from_code(&f.status).ok_or_else(|| AppError::field("status", "状态无效"))?;
    uc::update_target(&state.ctx, &user.caller(), &id, status, &f.note, f.version).await?;
    Ok(Redirect::to(&format!("/investment/targets/{id}?msg=saved")).into_response())
}

/// Contact date for templates.
pub fn recorded(c: &Contact, l: &crate::layout::Layout) -> String {
    format!("{} 记录于 {}", l.who(&c.created_by), when(&c.created_at))
}
