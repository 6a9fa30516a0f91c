//! All routes of the application, each added with its access policy.

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod assessment;
pub(crate) mod audit;
pub(crate) mod board;
pub(crate) mod bundle;
pub(crate) mod chains;
pub(crate) mod cockpit;
pub(crate) mod dispatch;
pub(crate) mod enterprise_edit;
pub(crate) mod enterprises;
pub(crate) mod events;
pub(crate) mod extract;
pub(crate) mod figures;
pub(crate) mod figures_io;
pub(crate) mod finance;
pub(crate) mod home;
pub(crate) mod import_reviews;
pub(crate) mod indicator_page;
pub(crate) mod indicators;
pub(crate) mod innovation;
pub(crate) mod innovation_io;
pub(crate) mod liaison;
pub(crate) mod library_io;
pub(crate) mod maps;
pub(crate) mod meetings;
pub(crate) mod org;
pub mod pages;
pub(crate) mod parks;
pub(crate) mod policies;
pub(crate) mod pools;
pub(crate) mod posts;
pub(crate) mod problems;
pub(crate) mod projects;
pub(crate) mod pushes;
pub(crate) mod quarterly;
pub(crate) mod reporting;
pub(crate) mod requests;
pub(crate) mod reserve;
pub(crate) mod rubric;
pub(crate) mod safety;
pub(crate) mod search;
pub(crate) mod session;
pub(crate) mod structure;
pub(crate) mod supply;
pub(crate) mod targets;
pub(crate) mod targets_io;
pub(crate) mod tasks;
pub(crate) mod technologies;
pub(crate) mod versions;
pub(crate) mod workspace;

use crate::policy::{Access, RouteInfo, Routes};
use crate::{AppState, assets, auth, metrics, openapi, security};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use chainchief_domain::roles::Role::{AuditAdmin, SecurityAdmin, SystemAdmin};

/// An edit form: a record's fields and the version the editor read.
#[derive(serde::Deserialize)]
pub(crate) struct Edited<T> {
    #[serde(flatten)]
    pub input: T,
    version: String,
}

impl<T> Edited<T> {
    /// The version read (a form sends it as text, since its fields are flattened).
    pub fn version(&self) -> Result<i64, crate::AppError> {
        version_of(&self.version)
    }
}

/// The version a form read, as it sends it.
pub(crate) fn version_of(text: &str) -> Result<i64, crate::AppError> {
    text.trim().parse().map_err(|_| crate::AppError::field("version", "版本号无效，请刷新页面后再保存"))
}

/// Builds the router and the inventory of its routes.
pub fn build(state: AppState) -> (Router, Vec<RouteInfo>) {
    use Access::{Account, Business, Public, Roles, SignedIn};
    const USER_ADMINS: &[chainchief_domain::roles::Role] = &[SystemAdmin, SecurityAdmin];
    let (router, inventory) = Routes::new(state.clone())
        .add("GET", "/login", Public, get(session::login_page))
        .add("POST", "/login", Public, post(session::login_submit))
        .add("POST", "/logout", Account, post(session::logout))
        .add("POST", "/api/v1/session", Public, post(session::api_login))
        .add("DELETE", "/api/v1/session", Account, delete(session::api_logout))
        .add("GET", "/api/v1/me", Account, get(session::api_me))
        .add("GET", "/", SignedIn, get(home::page))
        .add("GET", "/account", Account, get(account::page))
        .add("POST", "/account/password", Account, post(account::change_password))
        .add("POST", "/account/second-factor", Account, post(account::enrol_second_factor))
        .add("POST", "/account/second-factor/remove", SignedIn, post(account::remove_second_factor))
        .add("GET", "/chains", Business, get(chains::list_page))
        .add("GET", "/chains/{id}", Business, get(chains::show_page))
        .add("GET", "/chains/{id}/edit", Business, get(chains::edit_page))
        .add("POST", "/chains/{id}/edit", Business, post(chains::edit_submit))
        .add("POST", "/chains/{id}/five-ones/{item}", Business, post(chains::five_one_submit))
        .add("GET", "/chains/{id}/map", Business, get(maps::page))
        .add("GET", "/chains/{id}/map.svg", Business, get(maps::svg_file))
        .add("GET", "/chains/{id}/bundle", Business, get(bundle::download))
        .add("GET", "/chains/{id}/nodes/{node}", Business, get(maps::node_page))
        .add("POST", "/chains/{id}/nodes/{node}/rating", Business, post(maps::set_rating))
        .add("POST", "/chains/{id}/nodes/{node}/enterprises", Business, post(maps::set_placement))
        .add("GET", "/chains/{id}/rubric", Business, get(rubric::page))
        .add("POST", "/chains/{id}/rubric", Business, post(rubric::save))
        .add("GET", "/chains/{id}/structure", Business, get(structure::page))
        .add("GET", "/chains/{id}/versions", Business, get(versions::page))
        .add("POST", "/chains/{id}/snapshots", Business, post(versions::create))
        .add("POST", "/chains/{id}/nodes", Business, post(structure::create))
        .add("POST", "/chains/{id}/nodes/{node}/edit", Business, post(structure::update))
        .add("POST", "/chains/{id}/nodes/{node}/delete", Business, post(structure::delete))
        .add("POST", "/chains/{id}/edges", Business, post(structure::add_edge))
        .add("POST", "/chains/{id}/edges/{edge}/delete", Business, post(structure::remove_edge))
        .add("GET", "/org", Business, get(org::chart_page))
        .add("GET", "/plan", Business, get(org::plan_page))
        .add("GET", "/plan/extract", Business, get(extract::page))
        .add(
            "POST",
            "/plan/extract",
            Business,
            post(extract::upload).layer(DefaultBodyLimit::max(extract::MAX_PLAN_TEXT_UPLOAD)),
        )
        .add("POST", "/posts/{id}/holders", Business, post(posts::update_holders))
        .add("GET", "/admin/users", Roles(USER_ADMINS), get(admin::users_page))
        .add("POST", "/admin/users", Roles(&[SystemAdmin]), post(admin::create_user))
        .add("POST", "/admin/users/{id}/disable", Roles(&[SystemAdmin]), post(admin::disable_user))
        .add("POST", "/admin/users/{id}/unit", Roles(&[SystemAdmin]), post(admin::set_unit))
        .add("POST", "/admin/users/{id}/unlock", Roles(&[SystemAdmin]), post(admin::unlock_user))
        .add("POST", "/admin/users/{id}/enable", Roles(&[SystemAdmin]), post(admin::enable_user))
        .add("POST", "/admin/users/{id}/password", Roles(&[SystemAdmin]), post(admin::reset_password))
        .add("POST", "/admin/users/{id}/roles", Roles(&[SecurityAdmin]), post(admin::grant_role))
        .add("POST", "/admin/roles/{id}/revoke", Roles(&[SecurityAdmin]), post(admin::revoke_role))
        .add("GET", "/audit", Roles(&[AuditAdmin]), get(audit::page))
        .add("GET", "/api/v1/audit", Roles(&[AuditAdmin]), get(audit::api_list))
        .add("GET", "/api/v1/chains", Business, get(chains::api_list))
        .add("GET", "/api/v1/chains/{id}", Business, get(chains::api_get))
        .add("PATCH", "/api/v1/chains/{id}", Business, patch(chains::api_update))
        .add("GET", "/api/v1/org", Business, get(org::api_org))
        .add("GET", "/api/v1/indicators", Business, get(indicators::api_list))
        .add("POST", "/api/v1/indicators/{id}/values", Business, post(indicators::api_record))
        .add("GET", "/figures", Business, get(figures::page))
        .add("POST", "/figures", Business, post(figures::submit))
        .add("GET", "/figures/status", Business, get(reporting::page))
        .add("GET", "/figures/import", Business, get(figures_io::page))
        .add(
            "POST",
            "/figures/import",
            Business,
            post(figures_io::upload).layer(DefaultBodyLimit::max(figures_io::MAX_VALUES_UPLOAD)),
        )
        .add("GET", "/figures/template.xlsx", Business, get(figures_io::template))
        .add("GET", "/figures/export.xlsx", Business, get(figures_io::export))
        .add("GET", "/investment/targets", Business, get(targets::list_page))
        .add("POST", "/investment/targets", Business, post(targets::add))
        .add("GET", "/investment/targets/import", Business, get(targets_io::page))
        .add(
            "POST",
            "/investment/targets/import",
            Business,
            post(targets_io::upload).layer(DefaultBodyLimit::max(library_io::MAX_UPLOAD)),
        )
        .add("GET", "/investment/targets/template.xlsx", Business, get(targets_io::template))
        .add("GET", "/investment/targets/export.xlsx", Business, get(targets_io::export))
        .add("GET", "/investment/targets/{id}", Business, get(targets::show_page))
        .add("POST", "/investment/targets/{id}", Business, post(targets::update))
        .add("POST", "/investment/targets/{id}/contacts", Business, post(targets::add_contact))
        .add("GET", "/projects", Business, get(projects::list_page))
        .add("POST", "/projects", Business, post(projects::create))
        .add("GET", "/projects/board", Business, get(board::page))
        .add("POST", "/projects/board", Business, post(board::publish))
        .add("GET", "/projects/safety", Business, get(safety::page))
        .add("GET", "/projects/{id}", Business, get(projects::show_page))
        .add(
            "POST",
            "/projects/{id}/checkpoints",
            Business,
            post(safety::record_checkpoint).layer(DefaultBodyLimit::max(safety::MAX_UPLOAD)),
        )
        .add(
            "POST",
            "/projects/{id}/attachments",
            Business,
            post(safety::attach_to_project).layer(DefaultBodyLimit::max(safety::MAX_UPLOAD)),
        )
        .add(
            "POST",
            "/problems/{id}/attachments",
            Business,
            post(safety::attach_to_problem).layer(DefaultBodyLimit::max(safety::MAX_UPLOAD)),
        )
        .add("GET", "/attachments/{id}", Business, get(safety::download))
        .add("POST", "/enterprises/{id}/diagnosis", Business, post(safety::diagnosis))
        .add("POST", "/projects/{id}/investment", Business, post(board::set_investment))
        .add("POST", "/projects/{id}/milestones", Business, post(board::milestone))
        .add("POST", "/projects/{id}/stage", Business, post(projects::move_stage))
        .add("POST", "/projects/{id}/edit", Business, post(projects::edit))
        .add("GET", "/investment/events", Business, get(events::page))
        .add("POST", "/investment/events", Business, post(events::create))
        .add("GET", "/api/v1/quotas", Business, get(events::api_quotas))
        .add("GET", "/assessment", Business, get(assessment::page))
        .add("POST", "/assessment/scores", Business, post(assessment::score))
        .add("POST", "/assessment/publish", Business, post(assessment::publish))
        .add("GET", "/dispatch", Business, get(dispatch::list_page))
        .add("POST", "/dispatch", Business, post(dispatch::draft))
        .add("POST", "/dispatch/quarterly", Business, post(quarterly::draft))
        .add("POST", "/dispatch/special", Business, post(dispatch::special))
        .add("GET", "/dispatch/{id}", Business, get(dispatch::show_page))
        .add("GET", "/dispatch/{id}/redraft", Business, get(dispatch::redraft))
        .add("GET", "/dispatch/{id}/docx", Business, get(dispatch::docx))
        .add("GET", "/dispatch/{id}/pdf", Business, get(dispatch::pdf))
        .add("POST", "/dispatch/yearend", Business, post(dispatch::year_end))
        .add("POST", "/dispatch/{id}", Business, post(dispatch::act))
        .add("GET", "/pushes", Business, get(pushes::page))
        .add("GET", "/meetings", Business, get(meetings::page))
        .add("POST", "/meetings", Business, post(meetings::record))
        .add("POST", "/meetings/items/{id}", Business, post(meetings::complete))
        .add("GET", "/search", Business, get(search::page))
        .add("GET", "/tasks", Business, get(tasks::list_page))
        .add("GET", "/tasks/{id}", Business, get(tasks::show_page))
        .add(
            "POST",
            "/tasks/{id}/reports",
            Business,
            post(tasks::report).layer(DefaultBodyLimit::max(safety::MAX_UPLOAD)),
        )
        .add("GET", "/problems", Business, get(problems::list_page))
        .add("POST", "/problems", Business, post(problems::raise))
        .add("GET", "/problems/{id}", Business, get(problems::show_page))
        .add("POST", "/problems/{id}", Business, post(problems::act))
        .add("GET", "/innovation", Business, get(innovation::page))
        .add("POST", "/innovation", Business, post(innovation::create))
        .add("GET", "/innovation/import", Business, get(innovation_io::page))
        .add("POST", "/innovation/import", Business, post(innovation_io::upload))
        .add("GET", "/innovation/template.xlsx", Business, get(innovation_io::template))
        .add("GET", "/innovation/technologies/import", Business, get(innovation_io::technologies_page))
        .add("POST", "/innovation/technologies/import", Business, post(innovation_io::technologies_upload))
        .add("GET", "/innovation/technologies/template.xlsx", Business, get(innovation_io::technologies_template))
        .add("GET", "/innovation/technologies", Business, get(technologies::page))
        .add("POST", "/innovation/technologies", Business, post(technologies::create))
        .add("GET", "/innovation/technologies/{id}", Business, get(technologies::show))
        .add("POST", "/innovation/technologies/{id}", Business, post(technologies::edit))
        .add("GET", "/innovation/results/import", Business, get(innovation_io::results_page))
        .add("POST", "/innovation/results/import", Business, post(innovation_io::results_upload))
        .add("GET", "/innovation/results/template.xlsx", Business, get(innovation_io::results_template))
        .add("GET", "/innovation/results", Business, get(technologies::results))
        .add("POST", "/innovation/results", Business, post(technologies::add_result))
        .add("GET", "/innovation/{id}", Business, get(innovation::show))
        .add("POST", "/innovation/{id}", Business, post(innovation::edit))
        .add("POST", "/innovation/{id}/members", Business, post(innovation::add_member))
        .add("POST", "/innovation/{id}/members/{member}/delete", Business, post(innovation::remove_member))
        .add("POST", "/innovation/{id}/activities", Business, post(innovation::add_activity))
        .add("POST", "/innovation/{id}/evaluations", Business, post(innovation::add_evaluation))
        .add("GET", "/my", Business, get(workspace::page))
        .add("GET", "/requests", Business, get(requests::list))
        .add("POST", "/requests", Business, post(requests::raise))
        .add("GET", "/requests/routes", Business, get(requests::routes))
        .add("POST", "/requests/routes", Business, post(requests::set_route))
        .add("GET", "/requests/{id}", Business, get(requests::show))
        .add("POST", "/requests/{id}/assign", Business, post(requests::assign))
        .add("POST", "/requests/{id}/answer", Business, post(requests::answer))
        .add("POST", "/requests/{id}/rate", Business, post(requests::rate))
        .add("POST", "/requests/{id}/comments", Business, post(requests::comment))
        .add("POST", "/finance/guarantors", Business, post(finance::add_guarantor))
        .add("POST", "/finance/guarantees", Business, post(finance::add_case))
        .add("POST", "/finance/guarantees/{id}", Business, post(finance::close_case))
        .add("GET", "/chains/{id}/liaison", Business, get(liaison::page))
        .add("POST", "/chains/{id}/liaison", Business, post(liaison::add))
        .add("GET", "/finance", Business, get(finance::banks))
        .add("POST", "/finance/banks", Business, post(finance::set_bank))
        .add("GET", "/campaigns", Business, get(finance::campaign_list))
        .add("POST", "/campaigns", Business, post(finance::create_campaign))
        .add("GET", "/campaigns/{id}", Business, get(finance::campaign))
        .add("POST", "/campaigns/{id}", Business, post(finance::edit_campaign))
        .add("POST", "/campaigns/{id}/actions", Business, post(finance::add_action))
        .add("GET", "/policies", Business, get(policies::list))
        .add("POST", "/policies", Business, post(policies::create))
        .add("GET", "/policies/{id}", Business, get(policies::show))
        .add("POST", "/policies/{id}", Business, post(policies::edit))
        .add("POST", "/policies/{id}/applications", Business, post(policies::apply))
        .add("POST", "/policies/applications/{id}", Business, post(policies::decide))
        .add("GET", "/funds", Business, get(pools::funds))
        .add("POST", "/funds", Business, post(pools::create_fund))
        .add("POST", "/funds/{id}", Business, post(pools::edit_fund))
        .add("POST", "/funds/{id}/allocations", Business, post(pools::allocate))
        .add("POST", "/funds/allocations/{id}", Business, post(pools::disburse))
        .add("GET", "/talent", Business, get(pools::talent))
        .add("POST", "/talent/intakes", Business, post(pools::set_intake))
        .add("POST", "/talent/aims", Business, post(pools::set_aim))
        .add("POST", "/talent/partnerships", Business, post(pools::add_partnership))
        .add("GET", "/parks", Business, get(parks::list))
        .add("GET", "/parks/{id}", Business, get(parks::show))
        .add("GET", "/supply", Business, get(supply::page))
        .add("POST", "/supply", Business, post(supply::post))
        .add("GET", "/supply/needs/{id}", Business, get(supply::need_page))
        .add("POST", "/supply/needs/{id}/deals", Business, post(supply::deal))
        .add("GET", "/cockpit", Business, get(cockpit::city_page))
        .add("GET", "/chains/{id}/cockpit", Business, get(cockpit::chain_page))
        .add("GET", "/indicators/{id}", Business, get(indicator_page::page))
        .add("GET", "/enterprises", Business, get(enterprises::list_page))
        .add("GET", "/enterprises/reserve", Business, get(reserve::page))
        .add("POST", "/enterprises/reserve/marks", Business, post(reserve::mark))
        .add("GET", "/enterprises/reserve/marks/{id}", Business, get(reserve::mark_page))
        .add("POST", "/enterprises/reserve/marks/{id}", Business, post(reserve::edit_mark))
        .add("POST", "/enterprises/reserve/marks/{id}/notes", Business, post(reserve::add_note))
        .add("GET", "/enterprises/import", Business, get(library_io::page))
        .add(
            "POST",
            "/enterprises/import",
            Business,
            post(library_io::upload).layer(DefaultBodyLimit::max(library_io::MAX_UPLOAD)),
        )
        .add("GET", "/enterprises/template.xlsx", Business, get(library_io::template))
        .add("GET", "/enterprises/export.xlsx", Business, get(library_io::export))
        .add("GET", "/enterprises/reviews", Business, get(import_reviews::page))
        .add("POST", "/enterprises/reviews/{id}", Business, post(import_reviews::decide))
        .add("GET", "/enterprises/{id}", Business, get(enterprises::show_page))
        .add("GET", "/enterprises/{id}/edit", Business, get(enterprise_edit::page))
        .add("POST", "/enterprises/{id}/edit", Business, post(enterprise_edit::submit))
        .add("POST", "/enterprises/{id}/tiers", Business, post(enterprise_edit::set_tier))
        .add("POST", "/enterprises/{id}/relations", Business, post(enterprise_edit::relation))
        .add("POST", "/enterprises/{id}/years", Business, post(enterprise_edit::set_year))
        .add("GET", "/api/v1/enterprises", Business, get(enterprises::api_list))
        .add("GET", "/api/v1/enterprises/{id}", Business, get(enterprises::api_get))
        .add("PATCH", "/api/v1/enterprises/{id}", Business, patch(enterprises::api_update))
        .add("GET", "/api/v1/openapi.json", Public, get(openapi::json))
        .add("GET", "/healthz", Public, get(health))
        .add("GET", "/metrics", Public, get(metrics::render))
        .add("GET", "/static/{*path}", Public, get(assets::serve))
        .finish();
    let router = router
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), security::csrf))
        .layer(from_fn_with_state(state.clone(), auth::resolve_session))
        .layer(from_fn_with_state(state.clone(), security::client_address))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .with_state(state);
    (router, inventory)
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.ping().await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}

async fn not_found(req: axum::extract::Request) -> axum::response::Response {
    if req.uri().path().starts_with("/api/") {
        return crate::AppError::NotFound.into_response();
    }
    pages::error_page(StatusCode::NOT_FOUND, "找不到该页面", "您要找的页面不存在，或已被移动。").into_response()
}
