//! The home page: what the signed-in user has to do and see first.

use super::org::{ChainView, CityOrg};
use super::pages::{PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::org::ChainLevel;
use chainchief_domain::roles::Role;
use chainchief_store::org as store;

/// A task a responsible unit carries, with its role in it.
struct AssignedTask {
    t: chainchief_app::tasks::Task,
    role: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    city: store::City,
    chains: Vec<ChainView>,
    indicator_count: usize,
    measure_count: usize,
    assigned: Vec<AssignedTask>,
    is_unit: bool,
    reminders: Vec<chainchief_app::reporting::Reminder>,
    escalated: Vec<chainchief_app::problems::Row>,
    red_tasks: Vec<chainchief_app::tasks::Task>,
}

/// `GET /`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let p = &user.principal;
    if !p.is_business_user() {
        let target = if p.has(Role::AuditAdmin) { "/audit" } else { "/admin/users" };
        return Ok(Redirect::to(target).into_response());
    }
    // An enterprise's users start from their own enterprise's workspace.
    if p.own_enterprise().is_some() {
        return Ok(Redirect::to("/my").into_response());
    }
    let pool = state.store.pool();
    let city = store::city(pool, &p.city_id).await?;
    let org = CityOrg::load(&state, &p.city_id).await?;
    let chains = org
        .chain_views(p)
        .into_iter()
        .filter(|c| c.chain.level == ChainLevel::CityLeading)
        .filter(|c| p.reads_whole_city() || c.readable || p.has_any(&[Role::ResponsibleUnit, Role::Enterprise]))
        .collect();
    let (indicators, _) = store::indicators(pool, &p.city_id).await?;
    let (measures, _, _) = store::measures(pool, &p.city_id).await?;
    let my_units: Vec<&str> =
        p.grants.iter().filter(|g| g.role == Role::ResponsibleUnit).filter_map(|g| g.unit_id.as_deref()).collect();
    let tasks = if my_units.is_empty() { Vec::new() } else { chainchief_app::tasks::load(&state, p).await? };
    let mut assigned: Vec<AssignedTask> = tasks
        .into_iter()
        .filter_map(|t| {
            let lead = t.units.iter().any(|u| u.2 == "lead" && my_units.contains(&u.0.as_str()));
            let co = t.units.iter().any(|u| my_units.contains(&u.0.as_str()));
            (lead || co).then_some(AssignedTask { t, role: if lead { "牵头" } else { "配合" } })
        })
        .collect();
    assigned.sort_by_key(|a| std::cmp::Reverse(a.t.state.light));
    let page = HomePage {
        l: layout(&state, &user, "首页", "/").await?,
        city,
        chains,
        indicator_count: indicators.iter().filter(|i| i.scope != chainchief_domain::org::Scope::Enterprise).count(),
        measure_count: measures.len(),
        assigned,
        is_unit: !my_units.is_empty(),
        reminders: chainchief_app::todo::list(&state, p).await?,
        escalated: chainchief_app::problems::escalated_for(&state, p).await?,
        red_tasks: chainchief_app::tasks::escalated_for(&state, p).await?,
    };
    Ok(page.into_response())
}
