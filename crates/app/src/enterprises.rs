//! An enterprise's profile [E1][E3]: who may see and keep it, and the rules of its registered facts,
//! tiers, supply relations and yearly figures. Its own users, its chains' offices and the general
//! office edit it; a credit code that fails the checksum needs an audited reason.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::credit_code::CreditCode;
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_domain::org::Scale;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text;
use chainchief_store::enterprises::{self as store, Enterprise, Profile, YearFacts};
use chainchief_store::{library, org};
use chrono::NaiveDate;

/// Who sees an enterprise: the whole city's readers, its own users, the offices of its chains and
/// the committee of its park.
pub fn may_read(p: &Principal, id: &str, chains: &[String], park: Option<&str>) -> bool {
    p.reads_whole_city()
        || p.grants.iter().any(|g| g.role == Role::Enterprise && g.enterprise_id.as_deref() == Some(id))
        || chains.iter().any(|c| p.can_read_chain(c))
        || park.is_some_and(|park| p.reads_park(park))
}

/// Who keeps an enterprise's profile: its own users, its chains' offices and the general office.
pub fn may_write(p: &Principal, id: &str, chains: &[String]) -> bool {
    p.can_write_enterprise(id, chains)
}

/// Who records what others vouch for about an enterprise — its tiers (认定 by a government
/// department) and its supply relations with other enterprises: the general office and the offices
/// of its chains, never the enterprise itself.
pub fn may_certify(p: &Principal, chains: &[String]) -> bool {
    p.has(Role::GeneralOffice) || chains.iter().any(|c| p.can_write_chain(c))
}

/// Whether the caller may record the tiers and relations of enterprise `id`.
pub async fn certifiable(ctx: &Context, p: &Principal, id: &str) -> Result<bool> {
    let (_, chains) = load(ctx, p, id).await?;
    Ok(may_certify(p, &chains))
}

/// An enterprise whose tiers and relations the caller may record; `what` names the request.
async fn certified_by_caller(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Enterprise> {
    let (e, chains) = load(ctx, c.principal, id).await?;
    allow(ctx, c, may_certify(c.principal, &chains), what).await?;
    Ok(e)
}

/// An enterprise of the caller's city with the chains it is placed on.
pub(crate) async fn load(ctx: &Context, p: &Principal, id: &str) -> Result<(Enterprise, Vec<String>)> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let e = store::get(ctx.store.pool(), &p.city_id, id).await?;
    let chains = store::chains_of(ctx.store.pool(), id).await?;
    Ok((e, chains))
}

/// An enterprise the caller may see, with its chains; `what` names the request for the audit log.
pub async fn readable(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<(Enterprise, Vec<String>)> {
    let (e, chains) = load(ctx, c.principal, id).await?;
    allow(ctx, c, may_read(c.principal, id, &chains, e.park_id.as_deref()), what).await?;
    Ok((e, chains))
}

/// Which of the city's enterprises `ids` the principal may open (by the same rule as [`may_read`]).
pub async fn openable<'a>(
    ctx: &Context,
    p: &Principal,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<std::collections::HashSet<String>> {
    let ids: Vec<&str> = ids.into_iter().collect();
    if p.reads_whole_city() {
        return Ok(ids.into_iter().map(str::to_string).collect());
    }
    let chains = store::memberships(ctx.store.pool(), &p.city_id).await?;
    let parks =
        if p.parks.is_empty() { Default::default() } else { store::parks_of(ctx.store.pool(), &p.city_id).await? };
    let none = Vec::new();
    let readable = |id: &str| may_read(p, id, chains.get(id).unwrap_or(&none), parks.get(id).map(String::as_str));
    Ok(ids.into_iter().filter(|id| readable(id)).map(str::to_string).collect())
}

/// A place of an enterprise on a chain's node, and whether the viewer may open that chain.
pub struct Place {
    /// Chain id and name.
    pub chain: (String, String),
    /// Node id and name.
    pub node: (String, String),
    /// The viewer reads the chain (its map and node pages).
    pub open: bool,
}

/// A supply relation as the enterprise's page shows it, and whether the viewer may open the other party.
pub struct Partner {
    /// The relation.
    pub link: library::Link,
    /// The viewer may open the other enterprise.
    pub open: bool,
}

/// An enterprise's page: its record, places, partners, tiers and history, and what the viewer may do.
pub struct Overview {
    /// The enterprise.
    pub e: Enterprise,
    /// Where it sits on the chains.
    pub places: Vec<Place>,
    /// Who supplies it.
    pub suppliers: Vec<Partner>,
    /// Whom it supplies.
    pub customers: Vec<Partner>,
    /// Its tiers in words.
    pub tiers: Vec<String>,
    /// Its changes (when, who, what).
    pub history: Vec<(i64, String, String)>,
    /// The viewer keeps its profile.
    pub can_edit: bool,
    /// The viewer records its tiers and relations.
    pub can_certify: bool,
    /// The city's other enterprises a relation may name (id, name, local), for those who record them.
    pub others: Vec<(String, String, i64)>,
}

/// The page of an enterprise the caller may see; links only where the caller may follow them.
pub async fn overview(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Overview> {
    let (e, chains) = readable(ctx, c, id, &format!("GET /enterprises/{id}")).await?;
    let p = c.principal;
    let pool = ctx.store.pool();
    let places = library::places(pool, id)
        .await?
        .into_iter()
        .map(|(cid, cname, nid, nname)| Place { open: p.can_read_chain(&cid), chain: (cid, cname), node: (nid, nname) })
        .collect();
    let (suppliers, customers) = library::relations(pool, id).await?;
    let open = openable(ctx, p, suppliers.iter().chain(&customers).map(|l| l.other_id.as_str())).await?;
    let partners = |links: Vec<library::Link>| {
        links.into_iter().map(|link| Partner { open: open.contains(&link.other_id), link }).collect()
    };
    let can_edit = may_write(p, id, &chains);
    let can_certify = may_certify(p, &chains);
    let others = if can_certify {
        chainchief_store::maps::enterprises_of_city(pool, &p.city_id).await?.into_iter().filter(|o| o.0 != id).collect()
    } else {
        Vec::new()
    };
    Ok(Overview {
        places,
        suppliers: partners(suppliers),
        customers: partners(customers),
        tiers: library::tiers(pool, id).await?.iter().map(|t| t.label().to_string()).collect(),
        history: library::history(pool, id).await?,
        can_edit,
        can_certify,
        others,
        e,
    })
}

/// An enterprise the caller may keep; `what` names the request for the audit log.
pub async fn writable(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Enterprise> {
    let (e, chains) = load(ctx, c.principal, id).await?;
    allow(ctx, c, may_write(c.principal, id, &chains), what).await?;
    Ok(e)
}

/// The profile as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileInput {
    /// 企业名称.
    pub name: String,
    /// 简称.
    pub short_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// Why a code that fails the checksum is accepted.
    pub override_reason: String,
    /// Park id, or empty.
    pub park_id: String,
    /// `above`, `below` or empty.
    pub scale: String,
    /// `domestic` or `foreign`.
    pub ownership: String,
    /// Present when listed.
    pub listed: Option<String>,
    /// Revenue in 亿元.
    pub revenue: String,
    /// 从业人员.
    pub employees: String,
    /// 主要产品.
    pub products: String,
    /// 联系人.
    pub contacts: String,
    /// 所在乡镇.
    #[serde(default)]
    pub town: String,
    /// 技术与工艺特点.
    #[serde(default)]
    pub technologies: String,
    /// 成立年份.
    #[serde(default)]
    pub founded_year: String,
    /// The version read.
    pub version: i64,
}

impl ProfileInput {
    /// The stored profile as the form shows it.
    pub fn of(e: Enterprise) -> ProfileInput {
        ProfileInput {
            name: e.name,
            short_name: e.short_name,
            credit_code: e.credit_code.unwrap_or_default(),
            override_reason: e.code_override_reason,
            park_id: e.park_id.unwrap_or_default(),
            scale: e.scale,
            ownership: e.ownership,
            listed: (e.listed == 1).then(|| "1".to_string()),
            revenue: e.revenue.map(|m| m.format_exact_in(MoneyUnit::Yi)).unwrap_or_default(),
            employees: e.employees.map(|n| n.to_string()).unwrap_or_default(),
            products: e.products,
            contacts: e.contacts,
            town: e.town,
            technologies: e.technologies,
            founded_year: e.founded_year.map(|y| y.to_string()).unwrap_or_default(),
            version: e.version,
        }
    }
}

/// A count of people typed in a form: empty is `None`.
pub fn people(field: &'static str, label: &str, typed: &str) -> std::result::Result<Option<i64>, FieldError> {
    match typed.trim() {
        "" => Ok(None),
        v => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| FieldError::new(field, format!("{label}应为非负整数"))),
    }
}

/// Checks a typed profile, every problem with its field.
fn validate(f: &ProfileInput, this_year: i32) -> std::result::Result<Profile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut take = |r: std::result::Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
    let name = take(text::required("name", "企业名称", &f.name, 100));
    let short = take(text::required("short_name", "简称", &f.short_name, 40));
    let reason = take(text::optional("override_reason", "特批理由", &f.override_reason, 300)).unwrap_or_default();
    let products = take(text::optional("products", "主要产品", &f.products, 300));
    let contacts = take(text::optional("contacts", "联系人", &f.contacts, 300));
    let town = take(text::optional("town", "所在乡镇", &f.town, 40)).unwrap_or_default();
    let technologies = take(text::optional("technologies", "技术与工艺特点", &f.technologies, 500)).unwrap_or_default();
    let (code, override_reason) = match f.credit_code.trim() {
        "" => (None, String::new()),
        raw => match CreditCode::parse(raw) {
            Ok(c) => (Some(c.as_str().to_string()), String::new()),
            Err(e) if reason.is_empty() => {
                errors.push(FieldError::new("credit_code", e.to_string()));
                (None, String::new())
            }
            Err(_) => match CreditCode::parse_legacy(raw) {
                Ok(c) => (Some(c.as_str().to_string()), reason.clone()),
                Err(e) => {
                    errors.push(FieldError::new("credit_code", format!("{e}（只有校验码不符的早期试点代码可以特批）")));
                    (None, String::new())
                }
            },
        },
    };
    if !f.scale.is_empty() && Scale::from_code(&f.scale).is_none() {
        errors.push(FieldError::new("scale", "请选择规上或规下"));
    }
    if !["domestic", "foreign"].contains(&f.ownership.as_str()) {
        errors.push(FieldError::new("ownership", "请选择内资或外资"));
    }
    let revenue = money::optional_field("revenue", "营业收入", &f.revenue, MoneyUnit::Yi)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let employees = people("employees", "从业人员", &f.employees).map_err(|e| errors.push(e)).ok().flatten();
    let founded_year =
        chainchief_domain::innovation::parse_year_upto("founded_year", "成立年份", &f.founded_year, this_year)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
            .map(i64::from);
    match (name, short, products, contacts) {
        (Some(name), Some(short_name), Some(products), Some(contacts)) if errors.is_empty() => Ok(Profile {
            town,
            technologies,
            name,
            short_name,
            credit_code: code,
            code_override_reason: override_reason,
            park_id: Some(f.park_id.clone()).filter(|p| !p.is_empty()),
            scale: f.scale.clone(),
            ownership: f.ownership.clone(),
            listed: f.listed.is_some(),
            revenue,
            employees,
            products,
            contacts,
            founded_year,
        }),
        _ => Err(errors),
    }
}

/// Saves a profile typed in the form if nobody changed it since it was read.
pub async fn save_profile(ctx: &Context, c: &Caller<'_>, id: &str, f: &ProfileInput) -> Result<()> {
    writable(ctx, c, id, &format!("POST /enterprises/{id}/edit")).await?;
    let profile = validate(f, ctx.clock.year()).map_err(Error::Invalid)?;
    if let Some(park) = &profile.park_id {
        org::park(ctx.store.pool(), &c.principal.city_id, park)
            .await
            .map_err(|_| Error::field("park_id", "请选择本市的园区"))?;
    }
    Ok(store::update_profile(&ctx.store, &c.actor, &c.principal.city_id, id, &profile, f.version).await?)
}

/// Changes an enterprise's short name (the JSON API's one writable field).
pub async fn rename_short(ctx: &Context, c: &Caller<'_>, id: &str, short_name: &str, version: i64) -> Result<()> {
    writable(ctx, c, id, &format!("PATCH /api/v1/enterprises/{id}")).await?;
    let short = text::required("short_name", "企业简称", short_name, 40)?;
    Ok(store::update_short_name(&ctx.store, &c.actor, &c.principal.city_id, id, &short, version).await?)
}

/// Grants a tier from a day (or, with `remove`, takes it away).
pub async fn set_tier(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    tier: Tier,
    since: Option<NaiveDate>,
    remove: bool,
) -> Result<()> {
    certified_by_caller(ctx, c, id, &format!("POST /enterprises/{id}/tiers")).await?;
    if since.is_some_and(|d| d > ctx.clock.today()) {
        return Err(Error::field("since", "认定日期不能晚于今天"));
    }
    let since = since.map(|d| d.format("%Y-%m-%d").to_string());
    Ok(store::set_tier(&ctx.store, &c.actor, id, tier, since.as_deref(), remove).await?)
}

/// Which side the other enterprise of a relation is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// It supplies this enterprise.
    Supplier,
    /// It buys from this enterprise.
    Customer,
}

/// Records that `other` supplies (or buys from) enterprise `id`, with the product and yearly value.
pub async fn add_relation(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    side: Side,
    other: &str,
    product: &str,
    value: Option<Money>,
) -> Result<()> {
    certified_by_caller(ctx, c, id, &format!("POST /enterprises/{id}/relations")).await?;
    if other == id || !is_valid_id(other) {
        return Err(Error::field("other_id", "请选择另一家企业"));
    }
    store::get(ctx.store.pool(), &c.principal.city_id, other)
        .await
        .map_err(|_| Error::field("other_id", "请选择企业库中的企业"))?;
    let product = text::required("product", "产品", product, 100)?;
    let (supplier, customer) = match side {
        Side::Supplier => (other, id),
        Side::Customer => (id, other),
    };
    Ok(store::add_relation(&ctx.store, &c.actor, &c.principal.city_id, supplier, customer, &product, value).await?)
}

/// Removes a relation of enterprise `id`.
pub async fn remove_relation(ctx: &Context, c: &Caller<'_>, id: &str, relation_id: &str) -> Result<()> {
    certified_by_caller(ctx, c, id, &format!("POST /enterprises/{id}/relations")).await?;
    Ok(store::remove_relation(&ctx.store, &c.actor, id, relation_id).await?)
}

/// A percentage typed in a form (empty: not known), from 0 to 100 %, scaled by 10⁴.
pub fn percent(field: &'static str, label: &str, typed: &str) -> std::result::Result<Option<i64>, FieldError> {
    let typed = typed.trim().trim_end_matches(['%', '％']);
    if typed.is_empty() {
        return Ok(None);
    }
    match chainchief_domain::quantity::parse_scaled(typed) {
        Ok(v) if (0..=100 * 10_000).contains(&v) => Ok(Some(v)),
        _ => Err(FieldError::new(field, format!("{label}应为0到100之间的百分数"))),
    }
}

/// Records (or replaces) one year's facts of an enterprise the caller keeps; not for a year to
/// come, and main-business revenue no more than revenue.
pub async fn record_year(ctx: &Context, c: &Caller<'_>, id: &str, facts: &YearFacts) -> Result<()> {
    writable(ctx, c, id, &format!("POST /enterprises/{id}/years")).await?;
    if !(1990..=2100).contains(&facts.year) {
        return Err(Error::field("year", "年度应为4位数字"));
    }
    if facts.year > i64::from(ctx.clock.year()) {
        return Err(Error::field("year", "不能填报未来年度的数据"));
    }
    if let (Some(main), Some(all)) = (facts.main_business, facts.revenue)
        && main > all
    {
        return Err(Error::field("main_business", "主营业务收入不能大于营业收入"));
    }
    Ok(store::set_year(&ctx.store, &c.actor, id, facts).await?)
}

/// The library scope of a viewer.
pub fn scope_of(p: &Principal) -> chainchief_store::library::Scope {
    if p.reads_whole_city() {
        return chainchief_store::library::Scope::City;
    }
    chainchief_store::library::Scope::Some {
        chains: p.chains().iter().map(|c| c.to_string()).collect(),
        enterprises: p
            .grants
            .iter()
            .filter(|g| g.role == Role::Enterprise)
            .filter_map(|g| g.enterprise_id.clone())
            .collect(),
        parks: p.parks.clone(),
    }
}
