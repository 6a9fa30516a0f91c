//! The audit log for the audit admin: browse and filter; nothing here can change it.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_domain::audit::AuditRecord;
use chainchief_store::audit::{self, Filter};
use serde::Deserialize;

const PAGE: i64 = 50;

/// Filters of the audit page and API.
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Login name contains.
    actor: Option<String>,
    /// Action starts with (e.g. `login`, `chain.update`).
    action: Option<String>,
    /// From date, YYYY-MM-DD.
    from: Option<String>,
    /// To date (inclusive), YYYY-MM-DD.
    to: Option<String>,
    /// Page number from 1.
    page: Option<i64>,
}

fn day_start(s: &Option<String>, field: &str, label: &str) -> Result<Option<i64>, AppError> {
    let Some(s) = s.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| AppError::field(field, format!("{label}应写成YYYY-MM-DD，例如 2026-01-31")))?;
    Ok(Some(chainchief_domain::clock::beijing_midnight(d)))
}

fn filter_of(user: &CurrentUser, q: &AuditQuery) -> Result<Filter, AppError> {
    let nonempty = |s: &Option<String>| s.as_ref().map(|x| x.trim().to_string()).filter(|x| !x.is_empty());
    Ok(Filter {
        city_id: Some(user.principal.city_id.clone()),
        actor: nonempty(&q.actor),
        action: nonempty(&q.action),
        from: day_start(&q.from, "from", "开始日期")?,
        until: day_start(&q.to, "to", "结束日期")?.map(|t| t + 86_400_000),
    })
}

/// A record as the page shows it.
struct Row {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    entity: String,
    ip: String,
    before: String,
    after: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct AuditPage {
    l: Layout,
    q: AuditQuery,
    rows: Vec<Row>,
    total: i64,
    page: i64,
    pages: i64,
    error: Option<String>,
    prev_link: String,
    next_link: String,
}

fn link(q: &AuditQuery, page: i64) -> String {
    let enc = |s: &Option<String>| crate::policy::urlencode(s.as_deref().unwrap_or(""));
    format!(
        "/audit?actor={}&action={}&from={}&to={}&page={page}",
        enc(&q.actor),
        enc(&q.action),
        enc(&q.from),
        enc(&q.to)
    )
}

/// `GET /audit`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AuditQuery>) -> PageResult {
    let page = q.page.unwrap_or(1).max(1);
    let (filter, error) = match filter_of(&user, &q) {
        Ok(f) => (f, None),
        Err(e) => (Filter { city_id: Some(user.principal.city_id.clone()), ..Filter::default() }, Some(e.message())),
    };
    let (total, recs) = audit::list(state.store.pool(), &filter, (page - 1) * PAGE, PAGE).await?;
    let rows = recs
        .into_iter()
        .map(|r| Row {
            seq: r.seq,
            at: super::pages::when(&r.at),
            actor: r.actor_name,
            action: r.action,
            entity: format!("{} {}", r.entity, r.entity_id.unwrap_or_default()),
            ip: r.ip.unwrap_or_default(),
            before: r.before.unwrap_or_default(),
            after: r.after.unwrap_or_default(),
        })
        .collect();
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    let l = layout(&state, &user, "审计日志", "/audit").await?;
    Ok(AuditPage {
        l,
        prev_link: link(&q, page - 1),
        next_link: link(&q, page + 1),
        q,
        rows,
        total,
        page,
        pages,
        error,
    }
    .into_response())
}

/// One audit record in the API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AuditJson {
    /// Position in the chain.
    seq: i64,
    /// When (epoch ms).
    at: i64,
    /// Login name.
    actor: String,
    /// Action.
    action: String,
    /// Entity kind.
    entity: String,
    /// Entity id.
    entity_id: Option<String>,
    /// JSON before.
    before: Option<String>,
    /// JSON after.
    after: Option<String>,
    /// SM3 hash of the record.
    hash: String,
}

/// A page of audit records.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AuditList {
    /// Matching records.
    total: i64,
    /// This page, newest first.
    items: Vec<AuditJson>,
}

fn to_json(r: AuditRecord) -> AuditJson {
    AuditJson {
        seq: r.seq,
        at: r.at,
        actor: r.actor_name,
        action: r.action,
        entity: r.entity,
        entity_id: r.entity_id,
        before: r.before,
        after: r.after,
        hash: r.hash,
    }
}

/// `GET /api/v1/audit`: the audit admin's view of the log.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 401), (status = 403)))]
pub async fn api_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditList>, AppError> {
    let page = q.page.unwrap_or(1).max(1);
    let (total, recs) = audit::list(state.store.pool(), &filter_of(&user, &q)?, (page - 1) * PAGE, PAGE).await?;
    Ok(Json(AuditList { total, items: recs.into_iter().map(to_json).collect() }))
}
