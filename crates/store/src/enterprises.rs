//! Enterprises of a city, as far as accounts and scopes need them.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError, unique_as};
use chainchief_domain::ids::new_id;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::Money;
use sqlx::AnyPool;

/// A new enterprise.
#[derive(Debug, Clone)]
pub struct NewEnterprise {
    /// City.
    pub city_id: String,
    /// Registered name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Unified social credit code, if known.
    pub credit_code: Option<String>,
    /// Demo data, not a real registration.
    pub is_demo: bool,
    /// Chains the enterprise is on.
    pub chain_ids: Vec<String>,
}

/// Refuses a credit code that already belongs to another enterprise of the city, naming it.
async fn code_is_free(tx: &mut crate::Tx, city_id: &str, code: Option<&str>, except_id: &str) -> Result<()> {
    let Some(code) = code.filter(|c| !c.is_empty()) else { return Ok(()) };
    let holder: Option<(String,)> =
        sqlx::query_as("SELECT name FROM enterprises WHERE city_id = $1 AND credit_code = $2 AND id <> $3")
            .bind(city_id)
            .bind(code)
            .bind(except_id)
            .fetch_optional(&mut **tx)
            .await?;
    match holder {
        Some((name,)) => Err(StoreError::Duplicate {
            field: "credit_code".into(),
            message: format!("统一社会信用代码 {code} 已属于 {name}"),
        }),
        None => Ok(()),
    }
}

/// Creates an enterprise on its chains; audited.
pub async fn create(store: &Store, actor: &Actor, e: &NewEnterprise) -> Result<String> {
    let id = new_id();
    let mut tx = store.begin_write().await?;
    code_is_free(&mut tx, &e.city_id, e.credit_code.as_deref(), &id).await?;
    sqlx::query(
        "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, version, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
    )
    .bind(&id)
    .bind(&e.city_id)
    .bind(&e.name)
    .bind(&e.short_name)
    .bind(&e.credit_code)
    .bind(i64::from(e.is_demo))
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(unique_as("credit_code", "该统一社会信用代码已属于企业库中的另一家企业"))?;
    for c in &e.chain_ids {
        sqlx::query("INSERT INTO enterprise_chains (enterprise_id, chain_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(c)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({"name": e.name, "short_name": e.short_name, "credit_code": e.credit_code, "chains": e.chain_ids});
    append(
        &mut tx,
        actor,
        Event {
            action: "enterprise.create",
            entity: "enterprise",
            entity_id: Some(&id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The enterprise of a city with this name, if any.
pub async fn id_by_name(pool: &AnyPool, city_id: &str, name: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM enterprises WHERE city_id = $1 AND name = $2")
        .bind(city_id)
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.0))
}

/// The chains an enterprise is on (named directly or through the nodes it sits on).
pub async fn chains_of(pool: &AnyPool, enterprise_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT chain_id FROM enterprise_chains WHERE enterprise_id = $1 UNION \
         SELECT n.chain_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id WHERE en.enterprise_id = $1",
    )
    .bind(enterprise_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// (id, name) of a city's enterprises, by name.
pub async fn names(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM enterprises WHERE city_id = $1 ORDER BY name")
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}

/// An enterprise as its profile shows it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Enterprise {
    /// Id.
    pub id: String,
    /// Registered name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Unified social credit code.
    pub credit_code: Option<String>,
    /// 1 for demo records.
    pub is_demo: i64,
    /// Park.
    pub park_id: Option<String>,
    /// 1 if in the city.
    pub is_local: i64,
    /// `above` / `below` / empty.
    pub scale: String,
    /// `domestic` / `foreign`.
    pub ownership: String,
    /// 1 if listed.
    pub listed: i64,
    /// Revenue.
    #[sqlx(rename = "revenue_fen")]
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// Main products.
    pub products: String,
    /// Contacts.
    pub contacts: String,
    /// Why a code that fails the checksum was accepted (empty if it passes).
    pub code_override_reason: String,
    /// Town (乡镇).
    pub town: String,
    /// Technologies and process features.
    pub technologies: String,
    /// 成立年份.
    pub founded_year: Option<i64>,
    /// Row version.
    pub version: i64,
    /// Last change time.
    pub updated_at: i64,
    /// Last change by.
    pub updated_by: String,
}

/// One enterprise of the city.
pub async fn get(pool: &AnyPool, city_id: &str, id: &str) -> Result<Enterprise> {
    let row = sqlx::query_as(
        "SELECT id, name, short_name, credit_code, is_demo, park_id, is_local, scale, ownership, listed, revenue_fen, \
         employees, products, contacts, code_override_reason, town, technologies, founded_year, version, updated_at, updated_by FROM enterprises \
         WHERE city_id = $1 AND id = $2",
    )
    .bind(city_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.ok_or(crate::StoreError::NotFound)
}

/// Changes an enterprise's short name if nobody changed it since `version`; audited.
pub async fn update_short_name(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    short_name: &str,
    version: i64,
) -> Result<()> {
    let before = get(store.pool(), city_id, id).await?;
    let mut tx = store.begin_write().await?;
    let sets = vec![("short_name", crate::text(short_name))];
    let change = crate::Versioned { table: "enterprises", id, city_id: Some(city_id), version, sets };
    crate::update_versioned(&mut tx, actor, change).await?;
    let event = Event {
        action: "enterprise.update",
        entity: "enterprise",
        entity_id: Some(id),
        before: Some(serde_json::json!({"short_name": before.short_name})),
        after: Some(serde_json::json!({"short_name": short_name})),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// The editable profile of an enterprise.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    /// Registered name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Credit code.
    pub credit_code: Option<String>,
    /// Reason for accepting a code that fails the checksum.
    pub code_override_reason: String,
    /// Park.
    pub park_id: Option<String>,
    /// `above` / `below` / empty.
    pub scale: String,
    /// `domestic` / `foreign`.
    pub ownership: String,
    /// Listed.
    pub listed: bool,
    /// Revenue.
    pub revenue: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// Main products.
    pub products: String,
    /// Contacts.
    pub contacts: String,
    /// Town.
    pub town: String,
    /// Technologies and process features.
    pub technologies: String,
    /// 成立年份.
    pub founded_year: Option<i64>,
}

/// Saves an enterprise's profile if nobody changed it since `version`; audited with before and after.
pub async fn update_profile(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    p: &Profile,
    version: i64,
) -> Result<()> {
    let before = get(store.pool(), city_id, id).await?;
    let mut tx = store.begin_write().await?;
    code_is_free(&mut tx, city_id, p.credit_code.as_deref(), id).await?;
    let sets = vec![
        ("name", crate::text(&p.name)),
        ("short_name", crate::text(&p.short_name)),
        ("credit_code", crate::Val::Text(p.credit_code.clone())),
        ("code_override_reason", crate::text(&p.code_override_reason)),
        ("park_id", crate::Val::Text(p.park_id.clone())),
        ("scale", crate::text(&p.scale)),
        ("ownership", crate::text(&p.ownership)),
        ("listed", crate::Val::Int(i64::from(p.listed))),
        ("revenue_fen", crate::money(p.revenue)),
        ("employees", crate::Val::OptInt(p.employees)),
        ("products", crate::text(&p.products)),
        ("contacts", crate::text(&p.contacts)),
        ("town", crate::text(&p.town)),
        ("technologies", crate::text(&p.technologies)),
        ("founded_year", crate::Val::OptInt(p.founded_year)),
    ];
    let change = crate::Versioned { table: "enterprises", id, city_id: Some(city_id), version, sets };
    crate::update_versioned(&mut tx, actor, change).await.map_err(|e| match e {
        crate::StoreError::Db(d) => {
            crate::unique_as("credit_code", "该统一社会信用代码已属于企业库中的另一家企业")(d)
        }
        other => other,
    })?;
    let action =
        if p.code_override_reason.is_empty() { "enterprise.update" } else { "enterprise.update.code_override" };
    let event = Event {
        action,
        entity: "enterprise",
        entity_id: Some(id),
        before: serde_json::to_value(&before).ok(),
        after: serde_json::to_value(p).ok(),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds (or with `remove`, takes away) a cultivation tier; audited.
pub async fn set_tier(
    store: &Store,
    actor: &Actor,
    id: &str,
    tier: Tier,
    since: Option<&str>,
    remove: bool,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    if remove {
        sqlx::query("DELETE FROM enterprise_tiers WHERE enterprise_id = $1 AND tier = $2")
            .bind(id)
            .bind(tier.code())
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO enterprise_tiers (id, enterprise_id, tier, since, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(new_id())
        .bind(id)
        .bind(tier.code())
        .bind(since)
        .bind(actor.at)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(unique_as("tier", "该企业已有这一梯队"))?;
        if tier == Tier::Listed {
            // The library's 是否上市 follows a listing recorded with its date.
            sqlx::query(
                "UPDATE enterprises SET listed = 1, version = version + 1, updated_at = $2, updated_by = $3 \
                 WHERE id = $1 AND listed = 0",
            )
            .bind(id)
            .bind(actor.at)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
        }
    }
    let link = serde_json::json!({"tier": tier.code(), "since": since});
    let (action, before, after) =
        if remove { ("enterprise.tier_remove", Some(link), None) } else { ("enterprise.tier_add", None, Some(link)) };
    append(&mut tx, actor, Event { action, entity: "enterprise", entity_id: Some(id), before, after }).await?;
    tx.commit().await?;
    Ok(())
}

/// Records that `supplier` supplies `customer` (both of the city), with product and yearly value; audited.
pub async fn add_relation(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    supplier: &str,
    customer: &str,
    product: &str,
    value: Option<Money>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "INSERT INTO enterprise_relations (id, city_id, supplier_id, customer_id, product, value_fen, version, updated_at, \
         updated_by) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8)",
    )
    .bind(new_id())
    .bind(city_id)
    .bind(supplier)
    .bind(customer)
    .bind(product)
    .bind(value)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(unique_as("product", "这两家企业之间已记录了该产品的配套关系"))?;
    let after =
        Some(serde_json::json!({"supplier": supplier, "customer": customer, "product": product, "value_fen": value}));
    append(
        &mut tx,
        actor,
        Event { action: "relation.create", entity: "enterprise", entity_id: Some(supplier), before: None, after },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a relation that involves `enterprise_id`; audited.
pub async fn remove_relation(store: &Store, actor: &Actor, enterprise_id: &str, relation_id: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT supplier_id, customer_id, product FROM enterprise_relations WHERE id = $1 AND (supplier_id = $2 OR customer_id = $2)",
    )
    .bind(relation_id)
    .bind(enterprise_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((s, c, p)) = row else { return Err(crate::StoreError::NotFound) };
    sqlx::query("DELETE FROM enterprise_relations WHERE id = $1").bind(relation_id).execute(&mut *tx).await?;
    let before = Some(serde_json::json!({"supplier": s, "customer": c, "product": p}));
    append(
        &mut tx,
        actor,
        Event { action: "relation.delete", entity: "enterprise", entity_id: Some(enterprise_id), before, after: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One year's facts of an enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct YearFacts {
    /// Year.
    pub year: i64,
    /// Revenue.
    #[sqlx(rename = "revenue_fen")]
    pub revenue: Option<Money>,
    /// Industrial output.
    #[sqlx(rename = "output_fen")]
    pub output: Option<Money>,
    /// Tax paid.
    #[sqlx(rename = "tax_fen")]
    pub tax: Option<Money>,
    /// Employees at year end.
    pub employees: Option<i64>,
    /// R&D spend.
    #[sqlx(rename = "rd_fen")]
    pub rd: Option<Money>,
    /// Main-business revenue.
    #[sqlx(rename = "main_business_fen")]
    pub main_business: Option<Money>,
    /// Debt over assets in %, scaled by 10⁴.
    pub debt_ratio: Option<i64>,
}

/// The enterprise's facts by year, newest first.
pub async fn years(pool: &AnyPool, id: &str) -> Result<Vec<YearFacts>> {
    Ok(sqlx::query_as(
        "SELECT year, revenue_fen, output_fen, tax_fen, employees, rd_fen, main_business_fen, debt_ratio FROM enterprise_years \
         WHERE enterprise_id = $1 ORDER BY year DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// Records (or replaces) one year's facts; the latest year's revenue and employees become the profile's; audited.
pub async fn set_year(store: &Store, actor: &Actor, id: &str, f: &YearFacts) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before: Option<YearFacts> = sqlx::query_as(
        "SELECT year, revenue_fen, output_fen, tax_fen, employees, rd_fen, main_business_fen, debt_ratio FROM enterprise_years \
         WHERE enterprise_id = $1 AND year = $2",
    )
    .bind(id)
    .bind(f.year)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM enterprise_years WHERE enterprise_id = $1 AND year = $2")
        .bind(id)
        .bind(f.year)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO enterprise_years (enterprise_id, year, revenue_fen, output_fen, tax_fen, employees, rd_fen, \
         main_business_fen, debt_ratio, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(id)
    .bind(f.year)
    .bind(f.revenue)
    .bind(f.output)
    .bind(f.tax)
    .bind(f.employees)
    .bind(f.rd)
    .bind(f.main_business)
    .bind(f.debt_ratio)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let (latest,): (i64,) = sqlx::query_as("SELECT MAX(year) FROM enterprise_years WHERE enterprise_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if latest == f.year {
        sqlx::query("UPDATE enterprises SET revenue_fen = COALESCE($1, revenue_fen), employees = COALESCE($2, employees) WHERE id = $3")
            .bind(f.revenue)
            .bind(f.employees)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let event = Event {
        action: "enterprise.year",
        entity: "enterprise",
        entity_id: Some(id),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(f).ok(),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// The park of each of a city's enterprises that has one (enterprise id → park id).
pub async fn parks_of(pool: &AnyPool, city_id: &str) -> Result<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, park_id FROM enterprises WHERE city_id = $1 AND park_id IS NOT NULL")
            .bind(city_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The chains of every enterprise of a city (enterprise id → chain ids).
pub async fn memberships(pool: &AnyPool, city_id: &str) -> Result<std::collections::HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT ec.enterprise_id, ec.chain_id FROM enterprise_chains ec JOIN chains c ON c.id = ec.chain_id WHERE c.city_id = $1 \
         UNION SELECT en.enterprise_id, n.chain_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id \
         JOIN chains c ON c.id = n.chain_id WHERE c.city_id = $1",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for (e, c) in rows {
        out.entry(e).or_default().push(c);
    }
    Ok(out)
}

/// (id, credit code, name, short name) of every enterprise of a city, for matching imported rows.
pub async fn identities(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, Option<String>, String, String)>> {
    Ok(sqlx::query_as("SELECT id, credit_code, name, short_name FROM enterprises WHERE city_id = $1 ORDER BY name")
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}

/// The name of a city's first local enterprise by name, if it has any.
pub async fn first_name(pool: &AnyPool, city_id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM enterprises WHERE city_id = $1 AND is_local = 1 ORDER BY name LIMIT 1")
        .bind(city_id)
        .fetch_optional(pool)
        .await?)
}

/// (id, name) of a city's enterprises outside it (possible investment targets), by name.
pub async fn externals(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM enterprises WHERE city_id = $1 AND is_local = 0 ORDER BY name")
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}
