//! The target library 招商重点企业库 [I1]: external enterprises the city courts, the nodes each
//! could fill, who follows it up, its status and the timeline of contacts; a target becomes a
//! project from its page.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::text::{optional, required};
use chainchief_store::investment::{self, Contact, NewTarget, Target};
use serde::Deserialize;

/// Target statuses: (code, label).
pub const STATUSES: [(&str, &str); 5] = [
    ("new", "未接触"),
    ("contacted", "已接触"),
    ("negotiating", "洽谈中"),
    ("signed", "已签约"),
    ("given_up", "已放弃"),
];

/// The label of a status code.
pub fn status_label(code: &str) -> &'static str {
    STATUSES.iter().find(|(c, _)| *c == code).map_or("未知", |(_, l)| l)
}

pub use chainchief_app::projects::{may_read, may_write};

/// A target with the nodes it could fill.
pub struct TargetView {
    /// The target.
    pub t: Target,
    /// Names of the nodes it could fill.
    pub nodes: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/targets.html")]
struct TargetsPage {
    l: Layout,
    rows: Vec<TargetView>,
    candidates: Vec<(String, String)>,
    can_write: bool,
}

/// `GET /investment/targets`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /investment/targets").await?;
    let pool = state.store.pool();
    let targets = investment::targets(pool, &p.city_id).await?;
    let nodes = investment::target_nodes(pool, &p.city_id).await?;
    let taken: Vec<&str> = targets.iter().map(|t| t.enterprise_id.as_str()).collect();
    let candidates = chainchief_store::enterprises::externals(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _)| !taken.contains(&id.as_str()))
        .collect();
    let rows = targets
        .into_iter()
        .map(|t| TargetView { nodes: nodes.iter().filter(|n| n.0 == t.id).map(|n| n.2.clone()).collect(), t })
        .collect();
    let l = layout(&state, &user, "招商目标库", "/investment/targets").await?.with_flash(f.msg.as_deref());
    Ok(TargetsPage { l, rows, candidates, can_write: may_write(p) }.into_response())
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
    let p = &user.principal;
    require(&state, &user, may_write(p), "POST /investment/targets").await?;
    if !is_valid_id(&f.enterprise_id) {
        return Err(AppError::field("enterprise_id", "请选择企业").into());
    }
    chainchief_store::enterprises::get(state.store.pool(), &p.city_id, &f.enterprise_id)
        .await
        .map_err(|_| AppError::field("enterprise_id", "企业库中没有该企业"))?;
    let note = optional("note", "备注", &f.note, 500).map_err(|e| AppError::Invalid(vec![e]))?;
    let new = NewTarget {
        city_id: p.city_id.clone(),
        enterprise_id: f.enterprise_id,
        node_ids: vec![],
        owner_unit_id: None,
        note,
    };
    let id = investment::add_target(&state.store, &user.actor(), &new).await?;
    Ok(Redirect::to(&format!("/investment/targets/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/target.html")]
struct TargetPage {
    l: Layout,
    t: Target,
    nodes: Vec<(String, String, String)>,
    contacts: Vec<Contact>,
    ties: Vec<String>,
    statuses: Vec<(&'static str, &'static str)>,
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
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /investment/targets/{id}").await?;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let pool = state.store.pool();
    let t = investment::target(pool, &p.city_id, &id).await?;
    let nodes: Vec<(String, String, String)> = investment::target_nodes(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|n| n.0 == id)
        .map(|n| (n.1, n.2, n.3))
        .collect();
    let chain = nodes.first().map(|n| n.2.clone()).unwrap_or_default();
    let (local, oems) = investment::ties(pool, &t.enterprise_id, &chain).await?;
    let ties = local
        .into_iter()
        .map(|n| format!("本地企业{n}"))
        .chain(oems.into_iter().map(|n| format!("主机企业{n}")))
        .collect();
    let contacts = investment::contacts(pool, &id).await?;
    let l = layout(&state, &user, &t.name, "/investment/targets")
        .await?
        .with_parents(&[("招商目标库", "/investment/targets")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let page = TargetPage { l, t, nodes, contacts, ties, statuses: STATUSES.to_vec(), can_write: may_write(p), today };
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
    let p = &user.principal;
    require(&state, &user, may_write(p), "POST /investment/targets/{id}/contacts").await?;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    investment::target(state.store.pool(), &p.city_id, &id).await?;
    let on = chrono::NaiveDate::parse_from_str(f.contact_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("contact_on", "日期应写成YYYY-MM-DD"))?;
    if on > state.clock.today() {
        return Err(AppError::field("contact_on", "对接日期不能晚于今天").into());
    }
    let kind = required("kind", "方式", &f.kind, 20).map_err(|e| AppError::Invalid(vec![e]))?;
    let summary = required("summary", "内容", &f.summary, 1000).map_err(|e| AppError::Invalid(vec![e]))?;
    investment::add_contact(&state.store, &user.actor(), &id, &on.format("%Y-%m-%d").to_string(), &kind, &summary)
        .await?;
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
    let p = &user.principal;
    require(&state, &user, may_write(p), "POST /investment/targets/{id}").await?;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    if !STATUSES.iter().any(|(c, _)| *c == f.status) {
        return Err(AppError::field("status", "状态无效").into());
    }
    let note = optional("note", "备注", &f.note, 500).map_err(|e| AppError::Invalid(vec![e]))?;
    investment::update_target(&state.store, &user.actor(), &id, &p.city_id, &f.status, &note, f.version).await?;
    Ok(Redirect::to(&format!("/investment/targets/{id}?msg=saved")).into_response())
}

/// Contact date for templates.
pub fn recorded(c: &Contact) -> String {
    format!("{} 记录于 {}", c.created_by, when(&c.created_at))
}
