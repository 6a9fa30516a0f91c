//! The enterprise library: filtered, sorted, paged lists within the viewer's scope, and one
//! enterprise's full record (places on the maps, relations both ways, tiers, history).

use crate::Result;
use crate::maps::HeldTier;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::Money;
use serde::Serialize;
use sqlx::{AnyPool, FromRow};

/// Filters of the enterprise list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only enterprises on this chain.
    pub chain_id: Option<String>,
    /// Only enterprises on this node.
    pub node_id: Option<String>,
    /// Only enterprises holding this tier.
    pub tier: Option<String>,
    /// Only enterprises in this park.
    pub park_id: Option<String>,
    /// `above` / `below`.
    pub scale: Option<String>,
    /// Local (true) or outside (false).
    pub local: Option<bool>,
    /// Name or short name contains.
    pub q: Option<String>,
    /// Sort: `name` or `revenue`.
    pub sort: String,
}

/// What the viewer may see: every enterprise of the city, those on some chains, or some ids.
#[derive(Debug, Clone)]
pub enum Scope {
    /// The whole city.
    City,
    /// Enterprises on these chains or in these parks, plus these enterprises.
    Some {
        /// Chains.
        chains: Vec<String>,
        /// Enterprises.
        enterprises: Vec<String>,
        /// Parks.
        parks: Vec<String>,
    },
}

/// A row of the list.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Item {
    /// Id.
    pub id: String,
    /// Registered name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Credit code.
    pub credit_code: Option<String>,
    /// 1 if local.
    pub is_local: i64,
    /// `above`/`below`.
    pub scale: String,
    /// Park name.
    pub park: Option<String>,
    /// Revenue (in the JSON API as integer 分, named so).
    #[sqlx(rename = "revenue_fen")]
    #[serde(rename = "revenue_fen")]
    pub revenue: Option<Money>,
    /// 1 for demo records.
    pub is_demo: i64,
}

/// Whether an enterprise is on a chain (placed on one of its nodes or named as its member).
const ON_CHAIN: &str = "(EXISTS (SELECT 1 FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id \
                        WHERE en.enterprise_id = e.id AND n.chain_id = ?) \
                        OR EXISTS (SELECT 1 FROM enterprise_chains ec WHERE ec.enterprise_id = e.id AND ec.chain_id = ?))";

/// The SQL condition on `e` (enterprises) of a scope, its values appended to `binds`.
fn scope_condition(scope: &Scope, binds: &mut Vec<String>) -> String {
    let Scope::Some { chains, enterprises, parks } = scope else { return "1 = 1".to_string() };
    let mut alts = Vec::new();
    let named = enterprises.iter().map(|e| ("e.id = ?", e)).chain(parks.iter().map(|p| ("e.park_id = ?", p)));
    for (sql, value) in chains.iter().map(|c| (ON_CHAIN, c)).chain(named) {
        binds.push(value.clone());
        alts.push(sql.replace('?', &format!("${}", binds.len())));
    }
    if alts.is_empty() { "1 = 0".to_string() } else { format!("({})", alts.join(" OR ")) }
}

/// One page of the list and the total matching.
pub async fn list(
    pool: &AnyPool,
    city_id: &str,
    scope: &Scope,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> Result<(i64, Vec<Item>)> {
    let mut cond = vec!["e.city_id = $1".to_string()];
    let mut binds: Vec<String> = vec![city_id.to_string()];
    cond.push(scope_condition(scope, &mut binds));
    let mut add = |sql: &str, value: String, cond: &mut Vec<String>| {
        binds.push(value);
        cond.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(c) = &f.chain_id {
        add(ON_CHAIN, c.clone(), &mut cond);
    }
    if let Some(n) = &f.node_id {
        add(
            "EXISTS (SELECT 1 FROM enterprise_nodes en WHERE en.enterprise_id = e.id AND en.node_id = ?)",
            n.clone(),
            &mut cond,
        );
    }
    if let Some(t) = &f.tier {
        add(
            "EXISTS (SELECT 1 FROM enterprise_tiers t WHERE t.enterprise_id = e.id AND t.tier = ?)",
            t.clone(),
            &mut cond,
        );
    }
    if let Some(p) = &f.park_id {
        add("e.park_id = ?", p.clone(), &mut cond);
    }
    if let Some(s) = &f.scale {
        add("e.scale = ?", s.clone(), &mut cond);
    }
    if let Some(q) = &f.q {
        let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        binds.push(like);
        let n = binds.len();
        cond.push(format!("(e.name LIKE ${n} ESCAPE '\\' OR e.short_name LIKE ${n} ESCAPE '\\')"));
    }
    if let Some(l) = f.local {
        cond.push(format!("e.is_local = {}", i64::from(l)));
    }
    let wh = cond.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM enterprises e WHERE {wh}");
    let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let (total,) = q.fetch_one(pool).await?;
    let order =
        if f.sort == "revenue" { "COALESCE(e.revenue_fen, -1) DESC, e.name" } else { "e.is_local DESC, e.name" };
    let sql = format!(
        "SELECT e.id, e.name, e.short_name, e.credit_code, e.is_local, e.scale, p.name AS park, e.revenue_fen, e.is_demo \
         FROM enterprises e LEFT JOIN parks p ON p.id = e.park_id WHERE {wh} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query_as::<_, Item>(sqlx::AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    Ok((total, q.fetch_all(pool).await?))
}

/// Where an enterprise sits on the maps: (chain id, chain name, node id, node name).
pub async fn places(pool: &AnyPool, enterprise_id: &str) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.name, n.id, n.name FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id \
         JOIN chains c ON c.id = n.chain_id WHERE en.enterprise_id = $1 ORDER BY c.position, n.position",
    )
    .bind(enterprise_id)
    .fetch_all(pool)
    .await?)
}

/// A relation seen from one enterprise: the other party, product, value (万元), other party local.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Link {
    /// Relation id.
    pub relation_id: String,
    /// The other enterprise.
    pub other_id: String,
    /// Its name.
    pub other_name: String,
    /// Product.
    pub product: String,
    /// Yearly value.
    #[sqlx(rename = "value_fen")]
    pub value: Option<Money>,
    /// 1 if the other party is local.
    pub other_local: i64,
}

/// (suppliers of the enterprise, customers of the enterprise).
pub async fn relations(pool: &AnyPool, enterprise_id: &str) -> Result<(Vec<Link>, Vec<Link>)> {
    let suppliers = sqlx::query_as(
        "SELECT r.id AS relation_id, s.id AS other_id, s.name AS other_name, r.product, r.value_fen, s.is_local AS other_local \
         FROM enterprise_relations r JOIN enterprises s ON s.id = r.supplier_id WHERE r.customer_id = $1 ORDER BY s.name",
    )
    .bind(enterprise_id)
    .fetch_all(pool)
    .await?;
    let customers = sqlx::query_as(
        "SELECT r.id AS relation_id, c.id AS other_id, c.name AS other_name, r.product, r.value_fen, c.is_local AS other_local \
         FROM enterprise_relations r JOIN enterprises c ON c.id = r.customer_id WHERE r.supplier_id = $1 ORDER BY c.name",
    )
    .bind(enterprise_id)
    .fetch_all(pool)
    .await?;
    Ok((suppliers, customers))
}

/// The tiers an enterprise holds.
pub async fn tiers(pool: &AnyPool, enterprise_id: &str) -> Result<Vec<Tier>> {
    let rows: Vec<HeldTier> =
        sqlx::query_as("SELECT enterprise_id, tier FROM enterprise_tiers WHERE enterprise_id = $1 ORDER BY tier")
            .bind(enterprise_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| r.tier).collect())
}

/// The audit history of an enterprise and its places: (when, who, action).
pub async fn history(pool: &AnyPool, enterprise_id: &str) -> Result<Vec<(i64, String, String)>> {
    let like = format!("%{enterprise_id}%");
    Ok(sqlx::query_as(
        "SELECT at, actor_name, action FROM audit_log WHERE entity_id = $1 OR (action LIKE 'node.enterprise_%' AND \
         (after_json LIKE $2 OR before_json LIKE $2)) ORDER BY seq DESC LIMIT 50",
    )
    .bind(enterprise_id)
    .bind(like)
    .fetch_all(pool)
    .await?)
}

/// A local enterprise with the facts reserve criteria look at.
#[derive(Debug, Clone, FromRow)]
pub struct Candidate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Revenue.
    #[sqlx(rename = "revenue_fen")]
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// `above` / `below` / empty.
    pub scale: String,
    /// 成立年份.
    pub founded_year: Option<i64>,
    /// Its park.
    pub park_id: Option<String>,
}

/// The city's local enterprises within `scope` and all the tiers they hold.
pub async fn candidates(pool: &AnyPool, city_id: &str, scope: &Scope) -> Result<(Vec<Candidate>, Vec<HeldTier>)> {
    let mut binds = vec![city_id.to_string()];
    let within = scope_condition(scope, &mut binds);
    let sql = format!(
        "SELECT e.id, e.name, e.revenue_fen, e.employees, e.scale, e.founded_year, e.park_id FROM enterprises e \
         WHERE e.city_id = $1 AND e.is_local = 1 AND {within} ORDER BY e.name"
    );
    let mut q = sqlx::query_as::<_, Candidate>(sqlx::AssertSqlSafe(sql));
    for b in &binds {
        q = q.bind(b.clone());
    }
    let list = q.fetch_all(pool).await?;
    let tiers = sqlx::query_as(
        "SELECT t.enterprise_id, t.tier FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id WHERE e.city_id = $1",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    Ok((list, tiers))
}
