//! Parks [K1]: each park's chains, enterprises, projects and indicators (the park-scoped ones of
//! the plan: 五好园区 evaluation, digital transformation, energy, carbon … entered monthly with
//! provenance like every figure), and the 区域分布图 drawn from the regions the plan lays out.
//! Business users read parks; enterprises and projects are listed to those who may open them and
//! otherwise only counted.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::regions::read as read_regions;
use chainchief_render::{RegionBox, regions_svg};
use chainchief_store::org::{self, Chain, Indicator, Park, Target};
use chainchief_store::parks::{self as store, Placed};
use chainchief_store::projects::Project;

/// The 区域分布图 of the city's regions holding its local enterprises (of `chain` only, when
/// given) and its projects; none when the plan lays out no regions.
pub async fn regions_map(
    ctx: &Context,
    city_id: &str,
    chain: Option<&str>,
    projects: &[Project],
    title: &str,
) -> Result<Option<String>> {
    let pool = ctx.store.pool();
    let regions = read_regions(&org::city(pool, city_id).await?.regions);
    if regions.is_empty() {
        return Ok(None);
    }
    let members = chainchief_store::enterprises::memberships(pool, city_id).await?;
    let placed: Vec<Placed> = store::placed(pool, city_id)
        .await?
        .into_iter()
        .filter(|e| chain.is_none_or(|c| members.get(&e.id).is_some_and(|m| m.iter().any(|x| x == c))))
        .collect();
    let parks = org::parks(pool, city_id).await?;
    let code_of = |park_id: &Option<String>| {
        park_id.as_ref().and_then(|id| parks.iter().find(|p| p.id == *id)).map(|p| p.code.clone())
    };
    let boxes: Vec<RegionBox> = regions
        .iter()
        .map(|r| RegionBox {
            name: r.name.clone(),
            area: r.area,
            enterprises: placed
                .iter()
                .filter(|e| r.holds(e.park_code.as_deref(), &e.town))
                .map(|e| if e.short_name.is_empty() { e.name.clone() } else { e.short_name.clone() })
                .collect(),
            projects: projects.iter().filter(|p| r.holds(code_of(&p.park_id).as_deref(), "")).count(),
        })
        .collect();
    Ok(Some(regions_svg(title, &boxes)))
}

/// A park in the list.
pub struct ParkRow {
    /// The park.
    pub park: Park,
    /// Names of its chains.
    pub chains: Vec<String>,
    /// Its local enterprises.
    pub enterprises: usize,
    /// Its projects.
    pub projects: usize,
}

/// Every park of the city with its counts, and the city's 区域分布图.
pub async fn list(ctx: &Context, c: &Caller<'_>) -> Result<(Vec<ParkRow>, Option<String>)> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /parks").await?;
    let pool = ctx.store.pool();
    let chains = org::chains(pool, &p.city_id).await?;
    let links = org::chain_parks(pool, &p.city_id).await?;
    let placed = store::placed(pool, &p.city_id).await?;
    let projects = chainchief_store::projects::list(pool, &p.city_id).await?;
    let rows = org::parks(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|park| ParkRow {
            chains: links
                .iter()
                .filter(|(_, pk)| *pk == park.id)
                .filter_map(|(ch, _)| chains.iter().find(|x| x.id == *ch).map(|x| x.name.clone()))
                .collect(),
            enterprises: placed.iter().filter(|e| e.park_id.as_deref() == Some(park.id.as_str())).count(),
            projects: projects.iter().filter(|x| x.park_id.as_deref() == Some(park.id.as_str())).count(),
            park,
        })
        .collect();
    let map = regions_map(ctx, &p.city_id, None, &projects, "区域分布图").await?;
    Ok((rows, map))
}

/// A park with what lies in it.
pub struct ParkView {
    /// The park.
    pub park: Park,
    /// The park it lies in.
    pub parent: Option<Park>,
    /// The parks inside it.
    pub children: Vec<Park>,
    /// Its chains, each with whether the caller may open it.
    pub chains: Vec<(Chain, bool)>,
    /// Its local enterprises the caller may open, largest first.
    pub enterprises: Vec<Placed>,
    /// Its local enterprises the caller may not open (counted only).
    pub others: usize,
    /// Its projects the caller may read.
    pub projects: Vec<Project>,
    /// Its indicators (park-scoped) with their targets, each with whether the caller may open it.
    pub indicators: Vec<(Indicator, Vec<Target>, bool)>,
}

/// One park of the caller's city.
pub async fn get(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<ParkView> {
    let p = c.principal;
    allow(ctx, c, p.is_business_user(), "GET /parks/{id}").await?;
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let pool = ctx.store.pool();
    let park = org::park(pool, &p.city_id, id).await?;
    let all = org::parks(pool, &p.city_id).await?;
    let links = org::chain_parks(pool, &p.city_id).await?;
    let chains = org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|ch| links.iter().any(|(c, pk)| *c == ch.id && *pk == park.id))
        .map(|ch| {
            let open = p.can_read_chain(&ch.id);
            (ch, open)
        })
        .collect();
    let here: Vec<Placed> =
        store::placed(pool, &p.city_id).await?.into_iter().filter(|e| e.park_id.as_deref() == Some(id)).collect();
    let open = crate::enterprises::openable(ctx, p, here.iter().map(|e| e.id.as_str())).await?;
    let total = here.len();
    let enterprises: Vec<Placed> = here.into_iter().filter(|e| open.contains(&e.id)).collect();
    let (indicators, targets) = org::indicators(pool, &p.city_id).await?;
    Ok(ParkView {
        parent: park.parent_id.as_ref().and_then(|pid| all.iter().find(|x| x.id == *pid).cloned()),
        children: all.iter().filter(|x| x.parent_id.as_deref() == Some(id)).cloned().collect(),
        chains,
        others: total - enterprises.len(),
        enterprises,
        projects: crate::projects::readable(ctx, p)
            .await?
            .into_iter()
            .filter(|x| x.park_id.as_deref() == Some(id))
            .collect(),
        indicators: indicators
            .into_iter()
            .filter(|i| i.park_id.as_deref() == Some(id))
            .map(|i| {
                let t = targets.iter().filter(|t| t.indicator_id == i.id).cloned().collect();
                let open = crate::cockpit::may_view(p, &i);
                (i, t, open)
            })
            .collect(),
        park,
    })
}
