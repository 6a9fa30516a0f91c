//! The chain registry [C1]: list, chain page with its "five ones", editing, and the JSON API.

use super::org::{ChainView, CityOrg, checked_chain};
use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chainchief_app::chains;
use chainchief_domain::error::FieldError;
use chainchief_domain::org::{ChainLevel, FiveOne};

use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "chains/list.html")]
struct ListPage {
    l: Layout,
    groups: Vec<(&'static str, Vec<ChainView>)>,
}

/// `GET /chains`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let org = CityOrg::load(&state, &user.principal.city_id).await?;
    let views = org.chain_views(&user.principal);
    let groups = ChainLevel::ALL
        .iter()
        .map(|lvl| (lvl.label(), views.iter().filter(|v| v.chain.level == *lvl).cloned().collect::<Vec<_>>()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let l = layout(&state, &user, "产业链", "/chains").await?;
    Ok(ListPage { l, groups }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "chains/show.html")]
struct ShowPage {
    l: Layout,
    v: ChainView,
    can_edit: bool,
}

/// `GET /chains/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<FlashQuery>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}"), false).await?;
    let can_edit = user.principal.can_write_chain(&id);
    let l = layout(&state, &user, &v.chain.name, "/chains")
        .await?
        .with_parents(&[("产业链", "/chains")])
        .with_flash(q.msg.as_deref());
    Ok(ShowPage { l, v, can_edit }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "chains/edit.html")]
struct EditPage {
    l: Layout,
    v: ChainView,
    chief_name: String,
    description: String,
    version: i64,
    errors: Vec<chainchief_domain::error::FieldError>,
    conflict: Option<String>,
}

impl EditPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
    }
}

/// `GET /chains/{id}/edit`.
pub async fn edit_page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/edit"), true).await?;
    let l = edit_layout(&state, &user, &v).await?;
    let page = EditPage {
        l,
        chief_name: v.chain.chief_name.clone(),
        description: v.chain.description.clone(),
        version: v.chain.version,
        v,
        errors: vec![],
        conflict: None,
    };
    Ok(page.into_response())
}

async fn edit_layout(state: &AppState, user: &CurrentUser, v: &ChainView) -> Result<Layout, AppError> {
    let href = format!("/chains/{}", v.chain.id);
    Ok(layout(state, user, "编辑产业链", "/chains")
        .await
        .map_err(|e| e.0)?
        .with_parents(&[("产业链", "/chains"), (v.chain.name.as_str(), href.as_str())]))
}

/// The chain edit form.
#[derive(Deserialize)]
pub struct EditForm {
    chief_name: String,
    description: String,
    version: String,
}

/// `POST /chains/{id}/edit`.
pub async fn edit_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> PageResult {
    let v = checked_chain(&state, &user, &id, &format!("POST /chains/{id}/edit"), false).await?;
    let again = |errors, conflict| async {
        let l = edit_layout(&state, &user, &v).await?;
        let page = EditPage {
            l,
            v: v.clone(),
            chief_name: f.chief_name.clone(),
            description: f.description.clone(),
            version: f.version.trim().parse().unwrap_or(v.chain.version),
            errors,
            conflict,
        };
        Ok::<Response, AppError>((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let Ok(version) = f.version.trim().parse::<i64>() else {
        return Ok(again(vec![FieldError::new("version", "版本号无效，请刷新页面后再改")], None).await?);
    };
    let what = format!("POST /chains/{id}/edit");
    match chains::edit(&state.ctx, &user.caller(), &id, &f.chief_name, &f.description, version, &what).await {
        Ok(_) => Ok(Redirect::to(&format!("/chains/{id}?msg=saved")).into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => Ok(again(errors, None).await?),
        Err(chainchief_app::Error::Conflict(message)) => {
            let mut res = again(vec![], Some(message)).await?;
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// One "five ones" item form.
#[derive(Deserialize)]
pub struct FiveOneForm {
    present: Option<String>,
    evidence: String,
    version: String,
}

/// `POST /chains/{id}/five-ones/{item}`.
pub async fn five_one_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
    Form(f): Form<FiveOneForm>,
) -> PageResult {
    let item = FiveOne::from_code(&item).ok_or(AppError::NotFound)?;
    let version =
        f.version.trim().parse::<i64>().map_err(|_| AppError::field("version", "版本号无效，请刷新页面后再改"))?;
    chains::record_five_one(&state.ctx, &user.caller(), &id, item, f.present.is_some(), &f.evidence, version).await?;
    Ok(Redirect::to(&format!("/chains/{id}?msg=saved#five-ones")).into_response())
}

/// A chain in the JSON API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ChainJson {
    /// Id.
    id: String,
    /// Code in the plan file.
    code: String,
    /// Name.
    name: String,
    /// Level code: city_leading, provincial_cluster, prefecture_chain.
    level: String,
    /// Parent chain id.
    parent_id: Option<String>,
    /// Chief post.
    chief_title: String,
    /// Chief's name.
    chief_name: String,
    /// Chain office.
    office: Option<String>,
    /// Parks.
    parks: Vec<String>,
    /// What the plan says about the chain.
    plan_text: String,
    /// The chain office's notes.
    description: String,
    /// "Five ones" in place, by item code.
    five_ones: Vec<FiveOneJson>,
    /// Row version for updates.
    version: i64,
}

/// One "five ones" item in the JSON API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FiveOneJson {
    /// Item code.
    item: String,
    /// In place.
    present: bool,
    /// Evidence.
    evidence: String,
}

fn to_json(v: &ChainView) -> ChainJson {
    ChainJson {
        id: v.chain.id.clone(),
        code: v.chain.code.clone(),
        name: v.chain.name.clone(),
        level: v.chain.level.code().to_string(),
        parent_id: v.chain.parent_id.clone(),
        chief_title: v.chain.chief_title.clone(),
        chief_name: v.chain.chief_name.clone(),
        office: v.chain.office_name.clone(),
        parks: v.parks.clone(),
        plan_text: v.chain.plan_text.clone(),
        description: v.chain.description.clone(),
        five_ones: v
            .five_ones
            .iter()
            .map(|f| FiveOneJson { item: f.item.to_string(), present: f.present, evidence: f.evidence.clone() })
            .collect(),
        version: v.chain.version,
    }
}

/// `GET /api/v1/chains`: the chains of the user's city.
#[utoipa::path(get, path = "/api/v1/chains", tag = "chains", responses((status = 200, body = Vec<ChainJson>), (status = 401)))]
pub async fn api_list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<ChainJson>>, AppError> {
    let org = CityOrg::load(&state, &user.principal.city_id).await?;
    Ok(Json(org.chain_views(&user.principal).iter().map(to_json).collect()))
}

/// `GET /api/v1/chains/{id}`.
#[utoipa::path(get, path = "/api/v1/chains/{id}", tag = "chains", params(("id" = String, Path)),
    responses((status = 200, body = ChainJson), (status = 403), (status = 404)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ChainJson>, AppError> {
    let v = checked_chain(&state, &user, &id, &format!("GET /api/v1/chains/{id}"), false).await?;
    Ok(Json(to_json(&v)))
}

/// Changes to a chain; `version` is the one read.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainPatch {
    /// Chief's name.
    chief_name: Option<String>,
    /// The chain office's notes.
    description: Option<String>,
    /// The version read.
    version: i64,
}

/// `PATCH /api/v1/chains/{id}`: a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/chains/{id}", tag = "chains", params(("id" = String, Path)), request_body = ChainPatch,
    responses((status = 200, body = ChainJson), (status = 403), (status = 404), (status = 409, description = "该记录已被他人修改"), (status = 422)))]
pub async fn api_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<ChainPatch>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ChainJson>, AppError> {
    let Json(p) = body.map_err(|e| AppError::BadRequest(format!("请求体无效：{}", e.body_text())))?;
    let what = format!("PATCH /api/v1/chains/{id}");
    let v = checked_chain(&state, &user, &id, &what, false).await?;
    let chief = p.chief_name.unwrap_or_else(|| v.chain.chief_name.clone());
    let desc = p.description.unwrap_or_else(|| v.chain.description.clone());
    chains::edit(&state.ctx, &user.caller(), &id, &chief, &desc, p.version, &what).await?;
    let v = checked_chain(&state, &user, &id, "GET", false).await?;
    Ok(Json(to_json(&v)))
}
