//! 搜索 [X4]: one box over enterprises, chain links, projects, investment targets, plan tasks and
//! problems, each found by a part of its names or their pinyin initials and listed only to those
//! who may open it (the same scope as its own page).

use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chainchief_domain::roles::Principal;
use chainchief_domain::search::{MAX_QUERY, normalize, score};
use chainchief_store::library::{self, Filter};
use chainchief_store::{investment, maps, org, projects};
use serde::Deserialize;

/// Most results listed.
const MAX_HITS: usize = 100;

/// A record found.
pub struct Hit {
    /// 企业, 环节, 项目, 招商目标, 任务 or 问题.
    pub kind: &'static str,
    /// Its name.
    pub title: String,
    /// A line about it.
    pub detail: String,
    /// Its page.
    pub href: String,
    score: u32,
}

/// The query.
#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    hits: Vec<Hit>,
    more: bool,
}

/// Everything `p` may open that `query` (normalized) matches, best first.
pub(crate) async fn hits(state: &AppState, p: &Principal, query: &str) -> Result<Vec<Hit>, AppError> {
    let pool = state.store.pool();
    let mut out = Vec::new();
    let mut add = |kind, names: &[&str], texts: &[&str], title: &str, detail: String, href: String| {
        let found = score(query, names).or_else(|| texts.iter().any(|t| normalize(t).contains(query)).then_some(30));
        if let Some(score) = found {
            out.push(Hit { kind, title: title.to_string(), detail, href, score });
        }
    };
    let every = Filter { sort: "name".into(), ..Filter::default() };
    let (_, enterprises) =
        library::list(pool, &p.city_id, &super::enterprises::scope_of(p), &every, 0, i64::MAX).await?;
    for e in &enterprises {
        let code = e.credit_code.as_deref().unwrap_or_default();
        let place = if e.is_local == 1 { e.park.as_deref().unwrap_or("本地") } else { "外地" };
        let detail = format!("{place} · {}", chainchief_domain::org::scale_label(&e.scale));
        add("企业", &[&e.name, &e.short_name], &[code], &e.name, detail, format!("/enterprises/{}", e.id));
    }
    if super::targets::may_read(p) {
        for x in projects::list(pool, &p.city_id).await? {
            let detail = format!("{} · {}", x.stage.label(), x.company_name);
            add("项目", &[&x.name, &x.company_name], &[], &x.name, detail, format!("/projects/{}", x.id));
        }
        for t in investment::targets(pool, &p.city_id).await? {
            let href = format!("/investment/targets/{}", t.id);
            add("招商目标", &[&t.name], &[&t.products, &t.categories], &t.name, t.products.clone(), href);
        }
    }
    let chains = org::chains(pool, &p.city_id).await?;
    for (id, chain_id, name, products) in maps::nodes_of_city(pool, &p.city_id).await? {
        let Some(chain) = chains.iter().find(|c| c.id == chain_id && p.can_read_chain(&c.id)) else { continue };
        let href = format!("/chains/{chain_id}/nodes/{id}");
        add("环节", &[&name], &[&products], &name, chain.name.clone(), href);
    }
    let (measures, _, _) = org::measures(pool, &p.city_id).await?;
    for m in &measures {
        let title = format!("{} {}", m.code, m.title);
        add("任务", &[&m.title, &m.code], &[&m.body], &title, m.section.clone(), format!("/tasks/{}", m.id));
    }
    for r in chainchief_app::problems::rows(state, p).await? {
        let detail = format!("牵头：{}", r.lead());
        add("问题", &[&r.p.title], &[&r.p.detail], &r.p.title, detail, format!("/problems/{}", r.p.id));
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.title.cmp(&b.title)));
    Ok(out)
}

/// `GET /search?q=…`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(s): Query<SearchQuery>) -> PageResult {
    let p = &user.principal;
    require(&state, &user, p.is_business_user(), "GET /search").await?;
    if s.q.chars().count() > MAX_QUERY {
        return Err(AppError::field("q", format!("搜索词最多{MAX_QUERY}个字")).into());
    }
    let query = normalize(&s.q);
    let mut hits = if query.is_empty() { Vec::new() } else { hits(&state, p, &query).await? };
    let more = hits.len() > MAX_HITS;
    hits.truncate(MAX_HITS);
    let l = layout(&state, &user, "搜索", "/search").await?;
    Ok(SearchPage { l, q: s.q.trim().to_string(), hits, more }.into_response())
}
