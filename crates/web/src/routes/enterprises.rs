//! An enterprise's own record: read by its users, the offices of its chains and the city's
//! leaders; changed by its users, its chains' offices and the general office.

use crate::auth::{CurrentUser, require};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text;
use chainchief_store::enterprises as store;
use serde::Deserialize;

/// An enterprise in the JSON API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EnterpriseJson {
    /// Id.
    id: String,
    /// Registered name.
    name: String,
    /// Short name.
    short_name: String,
    /// Unified social credit code.
    credit_code: Option<String>,
    /// A demo record, not a real registration.
    is_demo: bool,
    /// Chain ids.
    chains: Vec<String>,
    /// Row version for updates.
    version: i64,
}

fn may_read(p: &Principal, id: &str, chains: &[String]) -> bool {
    p.reads_whole_city()
        || p.grants.iter().any(|g| g.role == Role::Enterprise && g.enterprise_id.as_deref() == Some(id))
        || chains.iter().any(|c| p.can_read_chain(c))
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> Result<(store::Enterprise, Vec<String>), AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let e = store::get(state.store.pool(), &user.principal.city_id, id).await?;
    let chains = store::chains_of(state.store.pool(), id).await?;
    Ok((e, chains))
}

fn to_json(e: store::Enterprise, chains: Vec<String>) -> EnterpriseJson {
    EnterpriseJson {
        id: e.id,
        name: e.name,
        short_name: e.short_name,
        credit_code: e.credit_code,
        is_demo: e.is_demo == 1,
        chains,
        version: e.version,
    }
}

/// `GET /api/v1/enterprises/{id}`.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = String, Path)),
    responses((status = 200, body = EnterpriseJson), (status = 403), (status = 404)))]
pub async fn api_get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<EnterpriseJson>, AppError> {
    let (e, chains) = load(&state, &user, &id).await?;
    require(&state, &user, may_read(&user.principal, &id, &chains), &format!("GET /api/v1/enterprises/{id}")).await?;
    Ok(Json(to_json(e, chains)))
}

/// Changes to an enterprise; `version` is the one read.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterprisePatch {
    /// Short name.
    short_name: String,
    /// The version read.
    version: i64,
}

/// `PATCH /api/v1/enterprises/{id}`: a stale `version` gets 409.
#[utoipa::path(patch, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = String, Path)), request_body = EnterprisePatch,
    responses((status = 200, body = EnterpriseJson), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn api_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<EnterprisePatch>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<EnterpriseJson>, AppError> {
    let Json(p) = body.map_err(|e| AppError::BadRequest(format!("请求体无效：{}", e.body_text())))?;
    let (_, chains) = load(&state, &user, &id).await?;
    let allowed = user.principal.can_write_enterprise(&id, &chains);
    require(&state, &user, allowed, &format!("PATCH /api/v1/enterprises/{id}")).await?;
    let short = text::required("short_name", "企业简称", &p.short_name, 40)?;
    store::update_short_name(&state.store, &user.actor(), &user.principal.city_id, &id, &short, p.version).await?;
    let (e, chains) = load(&state, &user, &id).await?;
    Ok(Json(to_json(e, chains)))
}
