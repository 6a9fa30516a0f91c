//! Innovation carriers [N1][N3][N4]: the list by family with filters and Excel, a carrier's page
//! with its members, activities and history, and the forms that change them.

use super::library_io::xlsx;
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::innovation::{
    self as uc, CarrierFilter, CarrierInput, CarrierList, CarrierView, Choices, EvaluationInput, MemberInput,
};
use chainchief_domain::innovation::{CarrierKind, Family, Level};
use chainchief_store::innovation::{Activity, Carrier, Evaluation, Member};
use serde::Deserialize;

/// The list's query.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    family: Option<String>,
    chain: Option<String>,
    level: Option<String>,
    q: Option<String>,
    format: Option<String>,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/list.html")]
struct ListPage {
    l: Layout,
    family: Family,
    rows: Vec<Carrier>,
    chains: Vec<(String, String)>,
    chain: String,
    level: String,
    q: String,
    choices: Choices,
    kinds: Vec<CarrierKind>,
    export: String,
}

fn family_of(code: Option<&str>) -> Family {
    code.and_then(Family::from_code).unwrap_or(Family::Platform)
}

/// `GET /innovation`: one family's carriers, filtered; `format=xlsx` downloads them.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> PageResult {
    let family = family_of(q.family.as_deref());
    let filter = CarrierFilter {
        family: Some(family),
        chain_id: q.chain.clone().filter(|c| !c.is_empty()),
        level: q.level.as_deref().and_then(Level::from_code),
        q: q.q.clone().unwrap_or_default(),
    };
    let CarrierList { rows, chains, choices } = uc::list(&state.ctx, &user.caller(), &filter).await?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "innovation_carrier", None).await?;
        let bytes =
            chainchief_sheets::write_xlsx(&[uc::sheet(&rows)]).map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(xlsx(bytes, &format!("{}.xlsx", family.label())));
    }
    let l = layout(&state, &user, family.label(), "/innovation").await?.with_flash(q.msg.as_deref());
    let export = format!(
        "/innovation?{}",
        serde_urlencoded::to_string([
            ("family", family.code()),
            ("chain", filter.chain_id.as_deref().unwrap_or("")),
            ("level", filter.level.map_or("", Level::code)),
            ("q", filter.q.as_str()),
            ("format", "xlsx"),
        ])
        .unwrap_or_default()
    );
    Ok(ListPage {
        l,
        family,
        rows,
        chains,
        chain: filter.chain_id.unwrap_or_default(),
        level: filter.level.map_or(String::new(), |l| l.code().to_string()),
        q: filter.q,
        choices,
        kinds: CarrierKind::of(family),
        export,
    }
    .into_response())
}

/// `POST /innovation`: records a carrier in a chain the caller keeps.
pub async fn create(State(state): State<AppState>, user: CurrentUser, Form(f): Form<CarrierInput>) -> PageResult {
    let id = uc::create(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "innovation/carrier.html")]
struct CarrierPage {
    l: Layout,
    c: Carrier,
    members: Vec<Member>,
    activities: Vec<Activity>,
    history: Vec<(i64, String, String)>,
    can_edit: bool,
    choices: Choices,
    kinds: Vec<CarrierKind>,
    today: String,
    openable: std::collections::HashSet<String>,
    evaluations: Vec<Evaluation>,
    warning: Option<String>,
}

/// `GET /innovation/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let CarrierView { carrier, members, activities, history, can_edit, choices, openable, evaluations, warning } =
        uc::get(&state.ctx, &user.caller(), &id).await?;
    let family = carrier.kind.family();
    let l = layout(&state, &user, &carrier.name, "/innovation")
        .await?
        .with_parents(&[(family.label(), &format!("/innovation?family={}", family.code()))])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    Ok(CarrierPage {
        l,
        kinds: CarrierKind::of(family),
        c: carrier,
        members,
        activities,
        history,
        can_edit,
        choices,
        today,
        openable,
        evaluations,
        warning,
    }
    .into_response())
}

/// `POST /innovation/{id}`: saves the carrier read at `version`.
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Edited<CarrierInput>>,
) -> PageResult {
    uc::update(&state.ctx, &user.caller(), &id, &f.input, f.version()?).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=saved")).into_response())
}

/// `POST /innovation/{id}/members`.
pub async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<MemberInput>,
) -> PageResult {
    uc::add_member(&state.ctx, &user.caller(), &id, &f).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=saved#members")).into_response())
}

/// `POST /innovation/{id}/members/{member}/delete`.
pub async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, member)): Path<(String, String)>,
) -> PageResult {
    uc::remove_member(&state.ctx, &user.caller(), &id, &member).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=saved#members")).into_response())
}

/// An activity.
#[derive(Deserialize)]
pub struct ActivityForm {
    held_on: String,
    title: String,
    #[serde(default)]
    enterprise_id: String,
}

/// `POST /innovation/{id}/activities`.
pub async fn add_activity(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ActivityForm>,
) -> PageResult {
    uc::add_activity(&state.ctx, &user.caller(), &id, &f.held_on, &f.title, &f.enterprise_id).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=saved#activities")).into_response())
}

/// `POST /innovation/{id}/evaluations`.
pub async fn add_evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<EvaluationInput>,
) -> PageResult {
    uc::add_evaluation(&state.ctx, &user.caller(), &id, &f).await?;
    Ok(Redirect::to(&format!("/innovation/{id}?msg=saved#evaluations")).into_response())
}

impl CarrierPage {
    /// Whether the caller may open the page of enterprise `id`.
    fn opens(&self, id: &str) -> bool {
        self.openable.contains(id)
    }

    /// The year as the edit form shows it.
    fn year_now(&self) -> String {
        self.c.since_year.map(|y| y.to_string()).unwrap_or_default()
    }

    /// The host typed by name (none when it is an enterprise of the library).
    fn host_name_now(&self) -> &str {
        if self.c.host_enterprise_id.is_some() { "" } else { &self.c.host_name }
    }
}
