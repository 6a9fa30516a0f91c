//! The spreadsheet templates a city's users download, each with an example row drawn from the
//! city's own plan (its parks, chains, nodes, units and indicators), never another city's names.

use crate::{Context, Error, Result};
use chainchief_domain::org::Scope;
use chainchief_store::{maps, org};

/// What a city's example rows may name.
struct Names {
    park: String,
    chain: String,
    node: String,
    unit: String,
}

async fn names(ctx: &Context, city_id: &str) -> Result<Names> {
    let pool = ctx.store.pool();
    let called = |short: String, name: String| if short.is_empty() { name } else { short };
    let park =
        org::parks(pool, city_id).await?.into_iter().next().map(|p| called(p.short_name, p.name)).unwrap_or_default();
    let chain = org::chains(pool, city_id).await?.into_iter().next();
    let node = match &chain {
        Some(c) => maps::nodes_of_city(pool, city_id).await?.into_iter().find(|n| n.1 == c.id).map(|n| n.2),
        None => None,
    };
    let unit = org::units(pool, city_id)
        .await?
        .into_iter()
        .find(|u| u.kind == chainchief_domain::org::UnitKind::Department)
        .map(|u| called(u.short_name, u.name))
        .unwrap_or_default();
    Ok(Names { park, chain: chain.map(|c| c.name).unwrap_or_default(), node: node.unwrap_or_default(), unit })
}

fn xlsx(columns: &[(&str, &str)], example: &[&str]) -> Result<Vec<u8>> {
    chainchief_sheets::template_xlsx(columns, example).map_err(|e| Error::Internal(e.to_string()))
}

/// The enterprise library's template with an example enterprise of the city's first chain.
pub async fn enterprises(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let n = names(ctx, city_id).await?;
    let example = [
        "",
        "示范企业有限公司",
        "示范企业",
        &n.park,
        &n.chain,
        &n.node,
        "规上",
        "内资",
        "否",
        "3.5",
        "120",
        "主要产品",
        "高新技术企业",
    ];
    xlsx(&chainchief_domain::enterprise_import::COLUMNS, &example)
}

/// The target library's template with an example target for the city's first chain and node.
pub async fn targets(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let n = names(ctx, city_id).await?;
    let example = ["示范集团股份有限公司", "中国500强、上市公司", "主要产品", &n.chain, &n.node, &n.unit, ""];
    xlsx(&chainchief_domain::targets_import::COLUMNS, &example)
}

/// The innovation carriers' template with an example platform of the city's first chain and node,
/// hosted by a body outside the library.
pub async fn carriers(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let n = names(ctx, city_id).await?;
    let example = [
        "示范新材料工程技术研究中心",
        "工程技术研究中心",
        "省级",
        "2024",
        &n.chain,
        &n.node,
        "示范大学",
        "",
        "共性技术研发",
    ];
    xlsx(&crate::innovation_sheets::COLUMNS, &example)
}

/// The key technologies' template with an example for the city's first chain and node, not yet
/// taken on.
pub async fn technologies(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let n = names(ctx, city_id).await?;
    let example = ["示范关键技术攻关", "关键核心技术", &n.chain, &n.node, "", "示范大学", "", "集中发榜", "", "", ""];
    xlsx(&crate::technology_sheets::COLUMNS, &example)
}

/// The standards and patents' template with an example patent of the city's first local
/// enterprise.
pub async fn achievements(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let first = chainchief_store::enterprises::first_name(ctx.store.pool(), city_id).await?.unwrap_or_default();
    let example = [first.as_str(), "发明专利", "一种示范方法", "ZL-DEMO-0001", "2025", "5"];
    xlsx(&crate::technology_sheets::RESULT_COLUMNS, &example)
}

/// The monthly figures' template with an example figure that imports as downloaded: last month's
/// value of one of the city's chain indicators, else of an enterprise indicator for the city's
/// first enterprise.
pub async fn figures(ctx: &Context, city_id: &str) -> Result<Vec<u8>> {
    let (inds, _) = crate::indicators::definitions(ctx, city_id).await?;
    let entered = |scope: Scope| inds.iter().find(|i| i.scope == scope && i.is_reported());
    let (ind, enterprise) = match entered(Scope::Chain) {
        Some(i) => (Some(i), String::new()),
        None => {
            let first = chainchief_store::enterprises::first_name(ctx.store.pool(), city_id).await?;
            (entered(Scope::Enterprise), first.unwrap_or_else(|| "示范企业有限公司".into()))
        }
    };
    let (code, name, unit) = ind.map(|i| (i.code.as_str(), i.name.as_str(), i.unit.as_str())).unwrap_or_default();
    let month = ctx.clock.last_month().to_string();
    let example = [code, name, enterprise.as_str(), month.as_str(), "1250.5", unit];
    xlsx(&chainchief_domain::values_import::COLUMNS, &example)
}
