//! Problems and 督办 [P4]: a project or an enterprise raises a problem; the general office or the
//! chain office assigns it to a lead unit (and co-lead units) with a deadline; the units post
//! progress; the lead unit resolves it; the raiser confirms or reopens it. Yellow three days before
//! the deadline, red when late, then escalated to the chain chief. A unit sees only what is
//! assigned to it.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::problems::{self as uc, Action, Detail, Row};
use chainchief_domain::error::FieldError;
use chainchief_domain::supervision::ProblemStatus;
use chainchief_store::org;
use chainchief_store::problems::Note;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "problems/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    projects: Vec<(String, String)>,
}

/// `GET /problems`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let rows = uc::rows(&state, p).await?;
    let projects = uc::raisable_projects(&state, p).await?;
    let l = layout(&state, &user, "问题督办", "/problems").await?.with_flash(f.msg.as_deref());
    Ok(ListPage { l, rows, projects }.into_response())
}

/// A raised problem.
#[derive(Deserialize)]
pub struct RaiseForm {
    title: String,
    detail: String,
    #[serde(default)]
    project_id: String,
}

/// `POST /problems`: an enterprise raises a problem of its own; an office or unit one of a project.
pub async fn raise(State(state): State<AppState>, user: CurrentUser, Form(f): Form<RaiseForm>) -> PageResult {
    let project = Some(f.project_id.trim()).filter(|x| !x.is_empty());
    let id = uc::raise(&state.ctx, &user.caller(), &f.title, &f.detail, project).await?;
    Ok(Redirect::to(&format!("/problems/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "problems/show.html")]
struct ShowPage {
    l: Layout,
    r: Row,
    notes: Vec<Note>,
    units: Vec<(String, String)>,
    can_assign: bool,
    can_work: bool,
    can_confirm: bool,
    files: Vec<chainchief_store::safety::Attachment>,
    kept: Kept,
}

/// What the user typed in a refused action, shown again with why.
#[derive(Default)]
pub struct Kept {
    /// The note typed.
    pub note: String,
    /// The deadline typed.
    pub deadline: String,
    /// Why it was refused, by field.
    pub errors: Vec<FieldError>,
    /// Someone else acted on the problem meanwhile.
    pub conflict: bool,
}

/// `GET /problems/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    show(&state, &user, &id, f.msg.as_deref(), Kept::default()).await
}

/// The problem page; a refused action comes back with what was typed and why.
async fn show(state: &AppState, user: &CurrentUser, id: &str, msg: Option<&str>, kept: Kept) -> PageResult {
    let Detail { row: r, notes, files, can_assign, can_work, can_confirm } =
        uc::detail(&state.ctx, &user.caller(), id).await?;
    let units =
        org::units(state.store.pool(), &user.principal.city_id).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let l =
        layout(state, user, &r.p.title, "/problems").await?.with_parents(&[("问题督办", "/problems")]).with_flash(msg);
    let status = match (kept.conflict, kept.errors.is_empty()) {
        (true, _) => axum::http::StatusCode::CONFLICT,
        (false, false) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        (false, true) => axum::http::StatusCode::OK,
    };
    let page = ShowPage { can_assign, can_work, can_confirm, files, l, r, notes, units, kept };
    Ok((status, page).into_response())
}

/// An action on a problem.
#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    co: Vec<String>,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    note: String,
    version: i64,
}

/// `POST /problems/{id}`: assign, progress, resolve, confirm or reopen.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let f = ActionForm {
        action: get("action"),
        lead: get("lead"),
        co: form.iter().filter(|(k, v)| k == "co" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
        deadline: get("deadline"),
        note: get("note"),
        version: get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?,
    };
    let kept = |errors: Vec<FieldError>, conflict: bool| Kept {
        note: f.note.clone(),
        deadline: f.deadline.clone(),
        errors,
        conflict,
    };
    let action = match f.action.as_str() {
        "assign" => {
            let Ok(deadline) = chrono::NaiveDate::parse_from_str(&f.deadline, "%Y-%m-%d") else {
                let why = vec![FieldError::new("deadline", "办结时限应写成YYYY-MM-DD，例如 2026-12-31")];
                return show(&state, &user, &id, None, kept(why, false)).await;
            };
            Action::Assign { deadline, lead: f.lead.clone(), co: f.co.clone(), note: f.note.clone() }
        }
        "progress" => Action::Progress(f.note.clone()),
        "resolve" => Action::Resolve(f.note.clone()),
        "confirm" => Action::Confirm(f.note.clone()),
        "reopen" => Action::Reopen(f.note.clone()),
        _ => return Err(AppError::field("action", "未知操作").into()),
    };
    match uc::act(&state.ctx, &user.caller(), &id, action, f.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/problems/{id}?msg=saved")).into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => show(&state, &user, &id, None, kept(errors, false)).await,
        Err(chainchief_app::Error::Conflict(why)) => {
            show(&state, &user, &id, None, kept(vec![FieldError::new("note", why)], true)).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// A note in words.
pub fn note_text(n: &Note, l: &Layout) -> String {
    let kind = match n.kind.as_str() {
        "assigned" => "交办",
        "progress" => "进展",
        "resolved" => "办结",
        "confirmed" => "确认",
        "reopened" => "退回",
        _ => "记录",
    };
    format!("{} {} {kind}：{}", when(&n.created_at), l.who(&n.created_by), n.body)
}
