//! The enterprise library [E1][E2]: the list within the viewer's scope, each enterprise's page
//! (its places on the maps, relations both ways, tiers, history) and its record in the API.

use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use chainchief_app::enterprises as uc;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_store::enterprises as store;
use chainchief_store::library;
use chainchief_store::org as org_store;
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
    let (e, chains) = uc::readable(&state.ctx, &user.caller(), &id, &format!("GET /api/v1/enterprises/{id}")).await?;
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
    uc::rename_short(&state.ctx, &user.caller(), &id, &p.short_name, p.version).await?;
    let (e, chains) = uc::readable(&state.ctx, &user.caller(), &id, &format!("GET /api/v1/enterprises/{id}")).await?;
    Ok(Json(to_json(e, chains)))
}

pub use chainchief_app::enterprises::scope_of;

/// Filters of the list page and API.
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
pub struct ListQuery {
    /// Chain id.
    chain: Option<String>,
    /// Node id.
    node: Option<String>,
    /// Tier code.
    tier: Option<String>,
    /// Park id.
    park: Option<String>,
    /// `above` or `below`.
    scale: Option<String>,
    /// `local` or `external`.
    local: Option<String>,
    /// Name contains.
    q: Option<String>,
    /// `name` (default) or `revenue`.
    sort: Option<String>,
    /// Page from 1.
    #[param(minimum = 1, maximum = 1_000_000)]
    page: Option<i64>,
    /// Rows per page (at most 200).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<i64>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|x| x.trim().to_string()).filter(|x| !x.is_empty())
}

impl ListQuery {
    /// The store filter of the query.
    pub fn filter(&self) -> library::Filter {
        library::Filter {
            chain_id: nonempty(&self.chain),
            node_id: nonempty(&self.node),
            tier: nonempty(&self.tier),
            park_id: nonempty(&self.park),
            scale: nonempty(&self.scale),
            local: match self.local.as_deref() {
                Some("local") => Some(true),
                Some("external") => Some(false),
                _ => None,
            },
            q: nonempty(&self.q),
            sort: self.sort.clone().unwrap_or_default(),
        }
    }

    fn paging(&self) -> (i64, i64, i64) {
        let per = self.per_page.unwrap_or(50).clamp(1, 200);
        let page = super::pages::page_number(self.page);
        (page, per, (page - 1) * per)
    }

    fn link(&self, page: i64) -> String {
        let enc = |s: &Option<String>| crate::policy::urlencode(s.as_deref().unwrap_or(""));
        format!(
            "/enterprises?chain={}&node={}&tier={}&park={}&scale={}&local={}&q={}&sort={}&page={page}",
            enc(&self.chain),
            enc(&self.node),
            enc(&self.tier),
            enc(&self.park),
            enc(&self.scale),
            enc(&self.local),
            enc(&self.q),
            enc(&self.sort)
        )
    }
}

/// A page of enterprises.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EnterpriseList {
    /// Matching enterprises.
    total: i64,
    /// This page.
    #[schema(value_type = Vec<Object>)]
    items: Vec<library::Item>,
}

/// `GET /api/v1/enterprises`: the library within the caller's scope, filtered and paged.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises", params(ListQuery),
    responses((status = 200, body = EnterpriseList), (status = 401)))]
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::error::ApiQuery(q): crate::error::ApiQuery<ListQuery>,
) -> Result<Json<EnterpriseList>, AppError> {
    // A program asking for rows outside the documented range is told so, not given another page.
    if q.per_page.is_some_and(|n| !(1..=200).contains(&n)) {
        return Err(AppError::field("per_page", "每页行数应在1到200之间"));
    }
    if q.page.is_some_and(|n| !(1..=1_000_000).contains(&n)) {
        return Err(AppError::field("page", "页码应在1到1000000之间"));
    }
    let (_, per, offset) = q.paging();
    let (total, items) = library::list(
        state.store.pool(),
        &user.principal.city_id,
        &scope_of(&user.principal),
        &q.filter(),
        offset,
        per,
    )
    .await?;
    Ok(Json(EnterpriseList { total, items }))
}

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    items: Vec<library::Item>,
    total: i64,
    page: i64,
    pages: i64,
    chains: Vec<(String, String)>,
    nodes: Vec<(String, String)>,
    parks: Vec<(String, String)>,
    tiers: &'static [Tier],
    prev_link: String,
    next_link: String,
    can_import: bool,
    /// Imported rows waiting for this user's review.
    reviews: usize,
}

impl ListPage {
    fn selected(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }
}

/// An amount in a table cell or fact headed 亿元.
pub fn yi(amount: &Option<Money>) -> String {
    money::cell(*amount, MoneyUnit::Yi)
}

/// `GET /enterprises`.
pub async fn list_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> super::pages::PageResult {
    let (page, per, offset) = q.paging();
    let city = &user.principal.city_id;
    let (total, items) =
        library::list(state.store.pool(), city, &scope_of(&user.principal), &q.filter(), offset, per).await?;
    let chains = org_store::chains(state.store.pool(), city)
        .await?
        .into_iter()
        .filter(|c| c.office_unit_id.is_some() && user.principal.can_read_chain(&c.id))
        .map(|c| (c.id, c.name))
        .collect();
    let parks = org_store::parks(state.store.pool(), city).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let nodes = match nonempty(&q.chain) {
        Some(c) if user.principal.can_read_chain(&c) => chainchief_store::maps::load(state.store.pool(), &c)
            .await?
            .nodes
            .into_iter()
            .map(|n| (n.id, n.name))
            .collect(),
        _ => Vec::new(),
    };
    let pages = ((total + per - 1) / per).max(1);
    let l = super::pages::layout(&state, &user, "企业库", "/enterprises").await?;
    let page = ListPage {
        l,
        prev_link: q.link(page - 1),
        next_link: q.link(page + 1),
        q,
        items,
        total,
        page,
        pages,
        chains,
        nodes,
        parks,
        tiers: Tier::ALL,
        can_import: chainchief_app::enterprise_sheets::may_import(&user.principal),
        reviews: chainchief_app::import_reviews::waiting(&state.ctx, &user.principal).await?.len(),
    };
    Ok(axum::response::IntoResponse::into_response(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/show.html")]
struct ShowPage {
    l: Layout,
    o: uc::Overview,
}

/// `GET /enterprises/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> super::pages::PageResult {
    let o = uc::overview(&state.ctx, &user.caller(), &id).await?;
    let l = super::pages::layout(&state, &user, &o.e.name, "/enterprises")
        .await?
        .with_parents(&[("企业库", "/enterprises")]);
    Ok(axum::response::IntoResponse::into_response(ShowPage { l, o }))
}
