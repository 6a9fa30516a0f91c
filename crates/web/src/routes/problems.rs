//! Problems and 督办 [P4]: a project or an enterprise raises a problem; the general office or the
//! chain office assigns it to a lead unit (and co-lead units) with a deadline; the units post
//! progress; the lead unit resolves it; the raiser confirms or reopens it. Yellow three days before
//! the deadline, red when late, then escalated to the chain chief. A unit sees only what is
//! assigned to it.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::problems::{Row, may_assign, rows};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::Role;
use chainchief_domain::supervision::ProblemStatus;
use chainchief_domain::text::required;
use chainchief_store::problems::{self, Change, NewProblem, Note};
use chainchief_store::{enterprises, org, projects};
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
    let rows = rows(&state, p).await?;
    let projects = projects::list(state.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|x| {
            p.reads_whole_city()
                || p.can_write_chain(&x.chain_id)
                || x.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
        })
        .map(|x| (x.id, x.name))
        .collect();
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
    let p = &user.principal;
    let pool = state.store.pool();
    let title = required("title", "问题", &f.title, 100).map_err(|e| AppError::Invalid(vec![e]))?;
    let detail = required("detail", "具体情况", &f.detail, 2000).map_err(|e| AppError::Invalid(vec![e]))?;
    let own = p.grants.iter().find(|g| g.role == Role::Enterprise).and_then(|g| g.enterprise_id.clone());
    let (chain_id, project_id, enterprise_id) = if !f.project_id.trim().is_empty() {
        if !is_valid_id(f.project_id.trim()) {
            return Err(AppError::field("project_id", "项目无效").into());
        }
        let pr = projects::get(pool, &p.city_id, f.project_id.trim())
            .await
            .map_err(|_| AppError::field("project_id", "没有这个项目"))?;
        let allowed = p.reads_whole_city()
            || p.can_write_chain(&pr.chain_id)
            || pr.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u));
        require(&state, &user, allowed, "POST /problems").await?;
        (Some(pr.chain_id), Some(pr.id), None)
    } else if let Some(e) = own {
        let chains = enterprises::chains_of(pool, &e).await?;
        (chains.into_iter().next(), None, Some(e))
    } else {
        return Err(AppError::field("project_id", "请选择问题所属的项目").into());
    };
    let new = NewProblem { city_id: p.city_id.clone(), title, detail, chain_id, project_id, enterprise_id };
    let id = problems::raise(&state.store, &user.actor(), &new).await?;
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
}

/// A problem the user may see (refused and audited otherwise).
pub async fn visible(state: &AppState, user: &CurrentUser, id: &str) -> Result<Row, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let (row, visible) = chainchief_app::problems::one(state, &user.principal, id).await?;
    require(state, user, visible, &format!("problem {id}")).await?;
    Ok(row)
}

/// `GET /problems/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let r = visible(&state, &user, &id).await?;
    let p = &user.principal;
    let units = org::units(state.store.pool(), &p.city_id).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let notes = problems::notes(state.store.pool(), &id).await?;
    let l = layout(&state, &user, &r.p.title, "/problems")
        .await?
        .with_parents(&[("问题督办", "/problems")])
        .with_flash(f.msg.as_deref());
    let page = ShowPage {
        can_assign: may_assign(p, &r),
        can_work: r.units.iter().any(|u| p.acts_for_unit(&u.0)) || may_assign(p, &r),
        can_confirm: r.p.raised_by == p.username,
        files: chainchief_store::safety::attachments(state.store.pool(), &p.city_id, "problem", &id).await?,
        l,
        r,
        notes,
        units,
    };
    Ok(page.into_response())
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
    let r = visible(&state, &user, &id).await?;
    let p = &user.principal;
    let what = format!("POST /problems/{id} {}", f.action);
    let note = |label: &str| required("note", label, &f.note, 2000).map_err(|e| AppError::Invalid(vec![e]));
    let change = match f.action.as_str() {
        "assign" => {
            require(&state, &user, may_assign(p, &r), &what).await?;
            let units = org::units(state.store.pool(), &p.city_id).await?;
            if !units.iter().any(|u| u.id == f.lead) {
                return Err(AppError::field("lead", "请选择牵头单位").into());
            }
            let deadline = chrono::NaiveDate::parse_from_str(&f.deadline, "%Y-%m-%d")
                .map_err(|_| AppError::field("deadline", "办结时限应写成YYYY-MM-DD"))?;
            if deadline < state.clock.today() {
                return Err(AppError::field("deadline", "办结时限不能早于今天").into());
            }
            let mut assigned = vec![(f.lead.clone(), "lead".to_string())];
            for c in f.co.iter().filter(|c| **c != f.lead) {
                if !units.iter().any(|u| u.id == *c) {
                    return Err(AppError::field("co", "配合单位无效").into());
                }
                assigned.push((c.clone(), "co".into()));
            }
            let names: Vec<String> = assigned
                .iter()
                .filter_map(|(id, _)| units.iter().find(|u| u.id == *id).map(|u| u.name.clone()))
                .collect();
            Change {
                status: ProblemStatus::Assigned,
                deadline: Some(deadline.format("%Y-%m-%d").to_string()),
                units: Some(assigned),
                resolution: None,
                note_kind: "assigned".into(),
                note: format!("交办{}，限{}前办结。{}", names.join("、"), deadline.format("%Y-%m-%d"), f.note),
                version: f.version,
            }
        }
        "progress" | "resolve" => {
            let works = r.units.iter().any(|u| p.acts_for_unit(&u.0)) || may_assign(p, &r);
            require(&state, &user, works, &what).await?;
            if r.p.status != ProblemStatus::Assigned {
                return Err(AppError::field("action", "只有办理中的问题可以报送进展或办结").into());
            }
            let resolve = f.action == "resolve";
            let text = note(if resolve { "办结情况" } else { "进展" })?;
            Change {
                status: if resolve { ProblemStatus::Resolved } else { ProblemStatus::Assigned },
                deadline: None,
                units: None,
                resolution: resolve.then(|| text.clone()),
                note_kind: if resolve { "resolved" } else { "progress" }.into(),
                note: text,
                version: f.version,
            }
        }
        "confirm" | "reopen" => {
            require(&state, &user, r.p.raised_by == p.username, &what).await?;
            if r.p.status != ProblemStatus::Resolved {
                return Err(AppError::field("action", "问题办结后才能确认或退回").into());
            }
            let confirm = f.action == "confirm";
            Change {
                status: if confirm { ProblemStatus::Confirmed } else { ProblemStatus::Assigned },
                deadline: None,
                units: None,
                resolution: None,
                note_kind: if confirm { "confirmed" } else { "reopened" }.into(),
                note: if confirm { format!("确认已解决。{}", f.note) } else { note("退回理由")? },
                version: f.version,
            }
        }
        _ => return Err(AppError::field("action", "未知操作").into()),
    };
    problems::change(&state.store, &user.actor(), &p.city_id, &id, &change).await?;
    Ok(Redirect::to(&format!("/problems/{id}?msg=saved")).into_response())
}

/// A note in words.
pub fn note_text(n: &Note) -> String {
    let kind = match n.kind.as_str() {
        "assigned" => "交办",
        "progress" => "进展",
        "resolved" => "办结",
        "confirmed" => "确认",
        "reopened" => "退回",
        _ => "记录",
    };
    format!("{} {} {kind}：{}", when(&n.created_at), n.created_by, n.body)
}
