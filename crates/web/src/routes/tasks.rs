//! Plan tasks [O2]: every measure of the plan with its lead and co-lead units, quotas counted from
//! the data, the progress its units report with evidence, and its light by the same 督办 rules as
//! problems (a task late in its period is red and shown to the general office and the leaders).

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::tasks::{Progress, Task, load, may_complete, may_report};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::supervision::Light;
use chainchief_store::safety;

#[derive(Template, WebTemplate)]
#[template(path = "tasks/list.html")]
struct ListPage {
    l: Layout,
    tasks: Vec<Task>,
    counts: [usize; 3],
}

/// `GET /tasks`: every task with its light; a unit's own tasks first.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let mut tasks = load(&state, p).await?;
    let offices = chainchief_app::tasks::my_offices(&state, p).await?;
    tasks.sort_by_key(|t| (!may_report(p, t, &offices), std::cmp::Reverse(t.state.light)));
    let mut counts = [0; 3];
    for t in &tasks {
        match t.state.light {
            Some(Light::Red) => counts[2] += 1,
            Some(Light::Yellow) => counts[1] += 1,
            _ => counts[0] += 1,
        }
    }
    let l = layout(&state, &user, "任务督办", "/tasks").await?.with_flash(f.msg.as_deref());
    Ok(ListPage { l, tasks, counts }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/show.html")]
struct ShowPage {
    l: Layout,
    t: Task,
    can_report: bool,
    can_complete: bool,
    my_units: Vec<(String, String)>,
    files: Vec<safety::Attachment>,
    today: String,
}

async fn task(state: &AppState, user: &CurrentUser, id: &str) -> Result<Task, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    Ok(chainchief_app::tasks::one(state, &user.principal, id).await?)
}

/// `GET /tasks/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let t = task(&state, &user, &id).await?;
    let p = &user.principal;
    let my_units = t.units.iter().filter(|u| p.acts_for_unit(&u.0)).map(|u| (u.0.clone(), u.1.clone())).collect();
    let files = chainchief_app::tasks::evidence(&state, p, &t).await?;
    let offices = chainchief_app::tasks::my_offices(&state, p).await?;
    let l = layout(&state, &user, &t.m.title, "/tasks")
        .await?
        .with_parents(&[("任务督办", "/tasks")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let (can_report, can_complete) = (may_report(p, &t, &offices), may_complete(p, &t, &offices));
    Ok(ShowPage { can_report, can_complete, l, t, my_units, files, today }.into_response())
}

/// `POST /tasks/{id}/reports` (multipart: body, reported_on, unit_id, done, optional file as evidence).
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let (fields, file, _slot) = super::safety::read_form(&mut form).await?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let progress = Progress {
        body: get("body"),
        on: chrono::NaiveDate::parse_from_str(&get("reported_on"), "%Y-%m-%d")
            .map_err(|_| AppError::field("reported_on", "日期应写成YYYY-MM-DD"))?,
        unit_id: get("unit_id"),
        done: !get("done").is_empty(),
        file,
    };
    chainchief_app::tasks::report(&state.ctx, &user.caller(), &id, progress).await?;
    Ok(Redirect::to(&format!("/tasks/{id}?msg=saved")).into_response())
}
