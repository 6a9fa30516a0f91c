//! 搜索 [X4]: one box over enterprises, chain links, projects, investment targets, plan tasks,
//! problems, innovation carriers and key technologies, each found by a part of its names or their
//! pinyin initials and listed only to those who may open it (the same scope as its own page).

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::roles::Principal;
use chainchief_domain::search::{MAX_QUERY, normalize, score};
use chainchief_store::library::{self, Filter};
use chainchief_store::{investment, maps, org};

/// Most results listed.
pub const MAX_HITS: usize = 100;

/// A record found.
pub struct Hit {
    /// 企业, 环节, 项目, 招商目标, 任务, 问题, a carrier's family or 关键核心技术.
    pub kind: &'static str,
    /// Its name.
    pub title: String,
    /// A line about it.
    pub detail: String,
    /// Its page.
    pub href: String,
    /// How well it matches (higher first).
    pub score: u32,
}

/// What the caller may open that the typed words match, best first (at most [`MAX_HITS`]), and
/// whether there were more.
pub async fn search(ctx: &Context, c: &Caller<'_>, typed: &str) -> Result<(Vec<Hit>, bool)> {
    allow(ctx, c, c.principal.is_business_user(), "GET /search").await?;
    if typed.chars().count() > MAX_QUERY {
        return Err(Error::field("q", format!("搜索词最多{MAX_QUERY}个字")));
    }
    let query = normalize(typed);
    let mut hits = if query.is_empty() { Vec::new() } else { hits(ctx, c.principal, &query).await? };
    let more = hits.len() > MAX_HITS;
    hits.truncate(MAX_HITS);
    Ok((hits, more))
}

/// Everything `p` may open that `query` (normalized) matches, best first.
async fn hits(ctx: &Context, p: &Principal, query: &str) -> Result<Vec<Hit>> {
    let pool = ctx.store.pool();
    let mut out = Vec::new();
    let mut add = |kind, names: &[&str], texts: &[&str], title: &str, detail: String, href: String| {
        let found = score(query, names).or_else(|| texts.iter().any(|t| normalize(t).contains(query)).then_some(30));
        if let Some(score) = found {
            out.push(Hit { kind, title: title.to_string(), detail, href, score });
        }
    };
    let every = Filter { sort: "name".into(), ..Filter::default() };
    let (_, enterprises) =
        library::list(pool, &p.city_id, &crate::enterprises::scope_of(p), &every, 0, i64::MAX).await?;
    for e in &enterprises {
        let code = e.credit_code.as_deref().unwrap_or_default();
        let place = if e.is_local == 1 { e.park.as_deref().unwrap_or("本地") } else { "外地" };
        let detail = format!("{place} · {}", chainchief_domain::org::scale_label(&e.scale));
        add("企业", &[&e.name, &e.short_name], &[code], &e.name, detail, format!("/enterprises/{}", e.id));
    }
    if crate::projects::may_read(p) {
        for x in crate::projects::readable(ctx, p).await? {
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
    for r in crate::problems::rows(ctx, p).await? {
        let detail = format!("牵头：{}", r.lead());
        add("问题", &[&r.p.title], &[&r.p.detail], &r.p.title, detail, format!("/problems/{}", r.p.id));
    }
    for x in crate::innovation::readable(ctx, p).await? {
        let detail = format!("{} · {} · {}", x.kind.label(), x.level.label(), x.host_name);
        let (kind, href) = (x.kind.family().label(), format!("/innovation/{}", x.id));
        add(kind, &[&x.name, &x.host_name], &[&x.purpose], &x.name, detail, href);
    }
    for t in crate::technologies::readable(ctx, p).await? {
        let detail = format!("{} · {} · {}", t.category.label(), t.chain_name, t.stage.label());
        let href = format!("/innovation/technologies/{}", t.id);
        add("关键核心技术", &[&t.name], &[&t.partners, &t.goal], &t.name, detail, href);
    }
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.title.cmp(&b.title)));
    Ok(out)
}
