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
    #[param(format = Date)]
    from: Option<String>,
    /// To date (inclusive), YYYY-MM-DD.
    #[param(format = Date)]
    to: Option<String>,
    /// Page number from 1.
    #[param(minimum = 1, maximum = 1_000_000)]
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
    /// What changed: (field, before, after), in words.
    changes: Vec<(String, String, String)>,
}

/// Words for the fields records carry most often; others keep their stored names.
const FIELDS: &[(&str, &str)] = &[
    ("name", "名称"),
    ("chief_name", "链长"),
    ("office_unit_id", "链条办"),
    ("level", "层级"),
    ("description", "说明"),
    ("products", "主要产品"),
    ("park_id", "园区"),
    ("node_id", "环节"),
    ("rating", "评级"),
    ("display_name", "姓名"),
    ("username", "用户名"),
    ("title", "标题"),
    ("body", "正文"),
    ("status", "状态"),
    ("stage", "阶段"),
    ("note", "说明"),
    ("deadline", "期限"),
    ("period", "期间"),
    ("value_scaled", "数值"),
    ("unit", "单位"),
    ("unit_id", "所属单位"),
    ("short_name", "简称"),
    ("credit_code", "统一社会信用代码"),
    ("revenue_fen", "营业收入（分）"),
    ("employees", "从业人员"),
    ("founded_year", "成立年份"),
    ("disabled", "停用"),
    ("role", "角色"),
    ("chain_id", "产业链"),
    ("enterprise_id", "企业"),
    ("submitted_at", "提交时间"),
    ("submitted_by", "提交人"),
    ("version", "版本"),
    ("updated_at", "修改时间"),
    ("updated_by", "修改人"),
];

/// A stored value in words: text as it is (long text shortened), nothing as （空）.
fn shown(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "（空）".into(),
        Some(serde_json::Value::String(s)) if s.chars().count() > 120 => {
            format!("{}…（共{}字）", s.chars().take(120).collect::<String>(), s.chars().count())
        }
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields a record's images differ in, field by field in words (all fields of a creation or
/// a deletion); an image that is not an object is shown whole.
fn changes(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| s.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
    let (b, a) = (parse(before), parse(after));
    let fields = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_object()).cloned().unwrap_or_default();
    let (bo, ao) = (fields(&b), fields(&a));
    if bo.is_empty() && ao.is_empty() {
        let whole = |v: &Option<serde_json::Value>| if v.is_some() { shown(v.as_ref()) } else { String::new() };
        return if b.is_none() && a.is_none() { vec![] } else { vec![("内容".into(), whole(&b), whole(&a))] };
    }
    let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| bo.get(*k) != ao.get(*k))
        .map(|k| {
            let label = FIELDS.iter().find(|(f, _)| f == k).map_or(k.as_str(), |(_, l)| l);
            (label.to_string(), shown(bo.get(k)), shown(ao.get(k)))
        })
        .collect()
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
    let page = super::pages::page_number(q.page);
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
            changes: changes(r.before.as_deref(), r.after.as_deref()),
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
    crate::error::ApiQuery(q): crate::error::ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, AppError> {
    let page = super::pages::page_number(q.page);
    let (total, recs) = audit::list(state.store.pool(), &filter_of(&user, &q)?, (page - 1) * PAGE, PAGE).await?;
    Ok(Json(AuditList { total, items: recs.into_iter().map(to_json).collect() }))
}

#[cfg(test)]
mod tests {
    use super::changes;

    #[test]
    fn a_record_shows_the_fields_that_changed_in_words() {
        let c = changes(
            Some(r#"{"status":"draft","version":1,"body":"甲"}"#),
            Some(r#"{"status":"submitted","version":2,"body":"甲"}"#),
        );
        assert_eq!(
            c,
            vec![
                ("状态".to_string(), "draft".to_string(), "submitted".to_string()),
                ("版本".to_string(), "1".to_string(), "2".to_string())
            ]
        );
        let created = changes(None, Some(r#"{"name":"竹材初加工"}"#));
        assert_eq!(created, vec![("名称".to_string(), "（空）".to_string(), "竹材初加工".to_string())]);
        assert!(changes(None, None).is_empty());
        assert_eq!(changes(Some("[1,2]"), None), vec![("内容".to_string(), "[1,2]".to_string(), String::new())]);
    }
}
