//! The organisation of the city [O1]: the org chart, the plan's targets and measures,
//! and the loaded view of chains that the chain pages share.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use chainchief_domain::org::{ChainLevel, FiveOne, PostKind, TargetKind, UnitKind};
use chainchief_domain::quantity::format_scaled;
use chainchief_domain::roles::Principal;
use chainchief_store::org::{self as store, Chain, FiveOneStatus, Park, Post, Unit};
use std::collections::HashMap;

/// Everything about a city's organisation, loaded once per request.
pub struct CityOrg {
    chains: Vec<Chain>,
    five_ones: Vec<FiveOneStatus>,
    chain_parks: Vec<(String, String)>,
    parks: Vec<Park>,
    units: Vec<Unit>,
    posts: Vec<Post>,
}

/// A post as pages show it.
#[derive(Clone, serde::Serialize)]
pub struct PostView {
    /// Id.
    pub id: String,
    /// Row version.
    pub version: i64,
    /// Post name (政委, 链条办主任 …).
    pub label: &'static str,
    /// Holder as the plan says.
    pub title: String,
    /// Names of the people.
    pub holders: String,
    /// Number of people.
    pub head_count: i64,
    /// Full-time.
    pub full_time: bool,
    /// Chain name, for posts of a chain.
    pub chain: Option<String>,
}

/// One "five ones" item as pages show it.
#[derive(Clone)]
pub struct FiveOneView {
    /// Item code.
    pub item: &'static str,
    /// Item name.
    pub label: &'static str,
    /// In place.
    pub present: bool,
    /// Evidence.
    pub evidence: String,
    /// Row version.
    pub version: i64,
    /// Last change.
    pub updated: String,
    /// Last change by.
    pub updated_by: String,
}

/// A chain with what its pages show.
#[derive(Clone)]
pub struct ChainView {
    /// The chain.
    pub chain: Chain,
    /// Level in words.
    pub level_label: &'static str,
    /// Park names.
    pub parks: Vec<String>,
    /// The "five ones".
    pub five_ones: Vec<FiveOneView>,
    /// How many of the five are in place.
    pub five_done: usize,
    /// Posts of the chain.
    pub posts: Vec<PostView>,
    /// The viewer may open the chain's page.
    pub readable: bool,
    /// Last change, formatted.
    pub updated: String,
}

impl ChainView {
    /// Whether the city runs this chain itself (it has a chain office), so the "five ones" apply.
    pub fn runs_five_ones(&self) -> bool {
        self.chain.office_unit_id.is_some()
    }

    /// Status light of the "five ones": (colour class, words).
    pub fn five_light(&self) -> (&'static str, String) {
        match self.five_done {
            5 => ("green", "齐备 5/5".to_string()),
            0 => ("red", "未建立 0/5".to_string()),
            n => ("amber", format!("部分建立 {n}/5")),
        }
    }
}

impl CityOrg {
    /// Loads the organisation of a city.
    pub async fn load(state: &AppState, city_id: &str) -> Result<CityOrg, AppError> {
        let pool = state.store.pool();
        Ok(CityOrg {
            chains: store::chains(pool, city_id).await?,
            five_ones: store::five_ones(pool, city_id).await?,
            chain_parks: store::chain_parks(pool, city_id).await?,
            parks: store::parks(pool, city_id).await?,
            units: store::units(pool, city_id).await?,
            posts: store::posts(pool, city_id).await?,
        })
    }

    fn unit_name(&self, id: &Option<String>) -> Option<String> {
        let id = id.as_ref()?;
        self.units
            .iter()
            .find(|u| &u.id == id)
            .map(|u| if u.short_name.is_empty() { u.name.clone() } else { u.short_name.clone() })
    }

    fn post_view(&self, p: &Post) -> PostView {
        PostView {
            id: p.id.clone(),
            version: p.version,
            label: p.kind.label(),
            title: p.title.clone(),
            holders: p.holders.clone(),
            head_count: p.head_count,
            full_time: p.full_time == 1,
            chain: p.chain_id.as_ref().and_then(|c| self.chains.iter().find(|x| &x.id == c)).map(|c| c.name.clone()),
        }
    }

    fn posts_of(&self, kinds: &[PostKind], chain_id: Option<&str>) -> Vec<PostView> {
        self.posts
            .iter()
            .filter(|p| kinds.contains(&p.kind))
            .filter(|p| chain_id.is_none() || p.chain_id.as_deref() == chain_id)
            .map(|p| self.post_view(p))
            .collect()
    }

    /// Every chain of the city with its parks, five ones and posts.
    pub fn chain_views(&self, viewer: &Principal) -> Vec<ChainView> {
        self.chains
            .iter()
            .map(|c| {
                let five_ones: Vec<FiveOneView> = FiveOne::ALL
                    .iter()
                    .filter_map(|item| {
                        let f = self.five_ones.iter().find(|f| f.chain_id == c.id && f.item == item.code())?;
                        Some(FiveOneView {
                            item: item.code(),
                            label: item.label(),
                            present: f.present == 1,
                            evidence: f.evidence.clone(),
                            version: f.version,
                            updated: super::pages::when(&f.updated_at),
                            updated_by: f.updated_by.clone(),
                        })
                    })
                    .collect();
                let parks = self
                    .chain_parks
                    .iter()
                    .filter(|(cid, _)| cid == &c.id)
                    .filter_map(|(_, pid)| self.parks.iter().find(|p| &p.id == pid))
                    .map(|p| if p.short_name.is_empty() { p.name.clone() } else { p.short_name.clone() })
                    .collect();
                ChainView {
                    level_label: c.level.label(),
                    five_done: five_ones.iter().filter(|f| f.present).count(),
                    five_ones,
                    parks,
                    posts: self.posts_of(PostKind::ALL, Some(&c.id)),
                    readable: viewer.can_read_chain(&c.id),
                    updated: super::pages::when(&c.updated_at),
                    chain: c.clone(),
                }
            })
            .collect()
    }
}

/// A chain of the user's city with its view; refused (403, audited) unless the user may read it,
/// or with `write`, change it.
pub async fn checked_chain(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    what: &str,
    write: bool,
) -> Result<ChainView, AppError> {
    if !chainchief_domain::ids::is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let org = CityOrg::load(state, &user.principal.city_id).await?;
    let view = org.chain_views(&user.principal).into_iter().find(|v| v.chain.id == id).ok_or(AppError::NotFound)?;
    let allowed = if write { user.principal.can_write_chain(id) } else { user.principal.can_read_chain(id) };
    crate::auth::require(state, user, allowed, what).await?;
    Ok(view)
}

/// A unit in the org chart with its load of measures.
struct UnitView {
    name: String,
    kind: &'static str,
    leads: usize,
    co: usize,
    members: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/chart.html")]
struct ChartPage {
    l: Layout,
    leaders: Vec<PostView>,
    office_name: String,
    office_posts: Vec<PostView>,
    chains: Vec<ChainView>,
    liaisons: Vec<PostView>,
    units: Vec<UnitView>,
    can_edit_office: bool,
}

/// `GET /org`: who is who in the city's chain-chief system.
pub async fn chart_page(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<super::pages::FlashQuery>,
) -> PageResult {
    let city_id = &user.principal.city_id;
    let org = CityOrg::load(&state, city_id).await?;
    let (_, measure_units, _) = store::measures(state.store.pool(), city_id).await?;
    let members = store::unit_members(state.store.pool(), city_id).await?;
    let office = org.units.iter().find(|u| u.kind == UnitKind::GeneralOffice);
    let units = org
        .units
        .iter()
        .filter(|u| !matches!(u.kind, UnitKind::GeneralOffice | UnitKind::ChainOffice | UnitKind::Leadership))
        .map(|u| UnitView {
            name: if u.short_name.is_empty() { u.name.clone() } else { format!("{}（{}）", u.short_name, u.name) },
            kind: u.kind.label(),
            leads: measure_units.iter().filter(|m| m.unit_id == u.id && m.role == "lead").count(),
            co: measure_units.iter().filter(|m| m.unit_id == u.id && m.role == "co").count(),
            members: members
                .iter()
                .filter(|(g, _)| g == &u.id)
                .filter_map(|(_, m)| org.unit_name(&Some(m.clone())))
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect();
    let chains =
        org.chain_views(&user.principal).into_iter().filter(|c| c.chain.level == ChainLevel::CityLeading).collect();
    let page = ChartPage {
        l: layout(&state, &user, "组织架构", "/org").await?.with_flash(q.msg.as_deref()),
        can_edit_office: user.principal.has(chainchief_domain::roles::Role::GeneralOffice),
        leaders: org.posts_of(&[PostKind::PoliticalCommissar, PostKind::GeneralChief], None),
        office_name: office.map(|o| o.name.clone()).unwrap_or_default(),
        office_posts: org.posts_of(
            &[PostKind::GeneralOfficeDirector, PostKind::GeneralOfficeDeputy, PostKind::GeneralOfficeStaff],
            None,
        ),
        chains,
        liaisons: org.posts_of(&[PostKind::Liaison], None),
        units,
    };
    Ok(page.into_response())
}

/// A target row of the plan page.
struct TargetView {
    name: String,
    scope: String,
    unit: String,
    targets: String,
    source: String,
}

/// A measure row of the plan page.
struct MeasureView {
    code: String,
    section: String,
    title: String,
    body: String,
    frequency: &'static str,
    lead: String,
    co: String,
    quotas: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/plan.html")]
struct PlanPage {
    l: Layout,
    city: store::City,
    targets: Vec<TargetView>,
    measures: Vec<MeasureView>,
    can_extract: bool,
}

/// `GET /plan`: the plan's targets and measures with their responsible units and quotas.
pub async fn plan_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let pool = state.store.pool();
    let city_id = &user.principal.city_id;
    let org = CityOrg::load(&state, city_id).await?;
    let (inds, targets) = store::indicators(pool, city_id).await?;
    let (measures, mu, quotas) = store::measures(pool, city_id).await?;
    let chain_names: HashMap<&str, &str> = org.chains.iter().map(|c| (c.id.as_str(), c.name.as_str())).collect();
    let park_names: HashMap<&str, &str> = org.parks.iter().map(|p| (p.id.as_str(), p.name.as_str())).collect();
    let targets = inds
        .iter()
        .map(|i| {
            let scope = match (i.chain_id.as_deref(), i.park_id.as_deref()) {
                (Some(c), _) => chain_names.get(c).copied().unwrap_or("").to_string(),
                (_, Some(p)) => park_names.get(p).copied().unwrap_or("").to_string(),
                _ => i.scope.label().to_string(),
            };
            let ts: Vec<String> = targets
                .iter()
                .filter(|t| t.indicator_id == i.id && t.kind == TargetKind::Target)
                .map(|t| format!("{}年 {}{}", t.year, format_scaled(t.value_scaled), t.unit))
                .collect();
            TargetView {
                name: i.name.clone(),
                scope,
                unit: i.unit.clone(),
                targets: ts.join("；"),
                source: i.source.clone(),
            }
        })
        .collect();
    let names = |m: &str, role: &str| {
        mu.iter()
            .filter(|x| x.measure_id == m && x.role == role)
            .filter_map(|x| org.unit_name(&Some(x.unit_id.clone())))
            .collect::<Vec<_>>()
            .join("、")
    };
    let measures = measures
        .iter()
        .map(|m| MeasureView {
            code: m.code.clone(),
            section: m.section.clone(),
            title: m.title.clone(),
            body: m.body.clone(),
            frequency: m.frequency.label(),
            lead: names(&m.id, "lead"),
            co: names(&m.id, "co"),
            quotas: quotas
                .iter()
                .filter(|q| q.measure_id == m.id)
                .map(|q| format!("{}：每年不少于{}{}", q.name, q.min_count, q.unit))
                .collect(),
        })
        .collect();
    let city = store::city(pool, city_id).await?;
    let can_extract = user.principal.has(chainchief_domain::roles::Role::GeneralOffice);
    let page =
        PlanPage { l: layout(&state, &user, "目标与举措", "/plan").await?, city, targets, measures, can_extract };
    Ok(page.into_response())
}

/// The organisation in the JSON API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OrgJson {
    /// Posts with their holders.
    #[schema(value_type = Vec<Object>)]
    posts: Vec<PostView>,
    /// Units (name, kind).
    units: Vec<UnitJson>,
}

/// A unit in the JSON API.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UnitJson {
    /// Id.
    id: String,
    /// Code.
    code: String,
    /// Name.
    name: String,
    /// Kind code.
    kind: String,
}

/// `GET /api/v1/org`: posts and units of the user's city.
#[utoipa::path(get, path = "/api/v1/org", tag = "org", responses((status = 200, body = OrgJson), (status = 401)))]
pub async fn api_org(State(state): State<AppState>, user: CurrentUser) -> Result<Json<OrgJson>, AppError> {
    let org = CityOrg::load(&state, &user.principal.city_id).await?;
    Ok(Json(OrgJson {
        posts: org.posts.iter().map(|p| org.post_view(p)).collect(),
        units: org
            .units
            .iter()
            .map(|u| UnitJson {
                id: u.id.clone(),
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.code().to_string(),
            })
            .collect(),
    }))
}
