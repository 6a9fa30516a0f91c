//! Factor requests [F1]: the list with the summaries per unit and per kind, the raise form, a
//! request's page with its routing, answer and rating, and the routing rules.

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::factors::{self as uc, AnswerInput, Detail, RaiseChoices, RequestInput, Row, Tally};
use chainchief_domain::factor::{FactorKind, RequestStatus};
use chainchief_domain::roles::Role;
use chainchief_store::factors::Route;
use serde::Deserialize;

/// The list's query.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    kind: Option<String>,
    status: Option<String>,
    msg: Option<String>,
}

/// A summary table: the requests grouped one way.
struct Summary {
    heading: &'static str,
    column: &'static str,
    groups: Vec<(String, Tally)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    kind: String,
    status: String,
    summaries: Vec<Summary>,
    all: Tally,
    show_summary: bool,
    choices: RaiseChoices,
}

/// `GET /requests`: the requests the caller sees, filtered, with summaries and the raise form.
pub async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> PageResult {
    let p = &user.principal;
    let all_rows = uc::rows(&state.ctx, p).await?;
    let (by_unit, all) = uc::tally_by(&all_rows, |r| r.r.unit_name.clone().unwrap_or_else(|| "待分派".into()));
    let (by_kind, _) = uc::tally_by(&all_rows, |r| r.r.kind.label().to_string());
    let kind = q.kind.as_deref().and_then(FactorKind::from_code);
    let status = q.status.as_deref().and_then(RequestStatus::from_code);
    let rows = all_rows
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.r.kind == k))
        .filter(|r| status.is_none_or(|s| r.r.status == s))
        .collect();
    let l = layout(&state, &user, "要素保障诉求", "/requests").await?.with_flash(q.msg.as_deref());
    Ok(ListPage {
        l,
        rows,
        kind: kind.map_or("", FactorKind::code).to_string(),
        status: status.map_or("", RequestStatus::code).to_string(),
        summaries: vec![
            Summary { heading: "按承办单位", column: "承办单位", groups: by_unit },
            Summary { heading: "按诉求类型", column: "类型", groups: by_kind },
        ],
        all,
        show_summary: p.own_enterprise().is_none(),
        choices: uc::raise_choices(&state.ctx, p).await?,
    }
    .into_response())
}

/// `POST /requests`: raises a request; an enterprise user returns to its workspace.
pub async fn raise(State(state): State<AppState>, user: CurrentUser, Form(f): Form<RequestInput>) -> PageResult {
    let id = uc::raise(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/requests/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/show.html")]
struct ShowPage {
    l: Layout,
    d: Detail,
}

/// `GET /requests/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let d = uc::detail(&state.ctx, &user.caller(), &id).await?;
    let back = if user.principal.own_enterprise().is_some() {
        ("我的企业", "/my")
    } else {
        ("要素保障诉求", "/requests")
    };
    let l =
        layout(&state, &user, &d.row.r.title, "/requests").await?.with_parents(&[back]).with_flash(f.msg.as_deref());
    Ok(ShowPage { l, d }.into_response())
}

/// The assign form.
#[derive(Deserialize)]
pub struct AssignForm {
    unit_id: String,
    deadline: String,
    version: String,
}

/// `POST /requests/{id}/assign`: routes a request to a unit with a deadline.
pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> PageResult {
    uc::assign(&state.ctx, &user.caller(), &id, &f.unit_id, &f.deadline, super::version_of(&f.version)?).await?;
    Ok(Redirect::to(&format!("/requests/{id}?msg=saved")).into_response())
}

/// `POST /requests/{id}/answer`: the unit or the lead bank answers.
pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Edited<AnswerInput>>,
) -> PageResult {
    uc::answer(&state.ctx, &user.caller(), &id, &f.input, f.version()?).await?;
    Ok(Redirect::to(&format!("/requests/{id}?msg=saved")).into_response())
}

/// The rating form.
#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
    version: String,
}

/// `POST /requests/{id}/rate`: the requester rates the answer.
pub async fn rate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<RateForm>,
) -> PageResult {
    uc::rate(&state.ctx, &user.caller(), &id, &f.rating, &f.comment, super::version_of(&f.version)?).await?;
    Ok(Redirect::to(&format!("/requests/{id}?msg=saved")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/routes.html")]
struct RoutesPage {
    l: Layout,
    routes: Vec<(FactorKind, Option<Route>)>,
    units: Vec<(String, String)>,
    can_edit: bool,
    default_days: i64,
    year_source: Option<String>,
}

/// `GET /requests/routes`: which unit answers each kind, within how many working days.
pub async fn routes(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let l = layout(&state, &user, "诉求分派规则", "/requests")
        .await?
        .with_parents(&[("要素保障诉求", "/requests")])
        .with_flash(f.msg.as_deref());
    let year = state.clock.year();
    Ok(RoutesPage {
        l,
        routes: uc::routes(&state.ctx, p).await?,
        units: uc::routable_units(&state.ctx, p).await?,
        can_edit: p.has(Role::GeneralOffice),
        default_days: uc::DEFAULT_WORKING_DAYS,
        year_source: chainchief_domain::workdays::Calendar::national().source_of(year).map(str::to_string),
    }
    .into_response())
}

/// The rule form of one kind.
#[derive(Deserialize)]
pub struct RouteForm {
    kind: String,
    #[serde(default)]
    unit_id: String,
    working_days: String,
    #[serde(default)]
    version: String,
}

/// `POST /requests/routes`: sets the rule of one kind.
pub async fn set_route(State(state): State<AppState>, user: CurrentUser, Form(f): Form<RouteForm>) -> PageResult {
    let v = match f.version.trim() {
        "" => None,
        v => Some(super::version_of(v)?),
    };
    uc::set_route(&state.ctx, &user.caller(), &f.kind, &f.unit_id, &f.working_days, v).await?;
    Ok(Redirect::to("/requests/routes?msg=saved").into_response())
}

/// The comment form.
#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

/// `POST /requests/{id}/comments`: the chain's offices, chief and liaisons comment.
pub async fn comment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> PageResult {
    uc::comment(&state.ctx, &user.caller(), &id, &f.body).await?;
    Ok(Redirect::to(&format!("/requests/{id}?msg=created")).into_response())
}
