//! Supply-demand docking [S1]: OEM needs, local capabilities, and deals; a deal becomes (or adds
//! to) the supplier → customer relation of the library, so the local supporting rate follows.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A need.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Need {
    /// Id.
    pub id: String,
    /// The OEM.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Part or product.
    pub part: String,
    /// Process.
    pub process: String,
    /// Yearly volume, as written.
    pub annual_volume: String,
    /// Yearly value, 万元 (whole).
    #[sqlx(rename = "annual_value_fen")]
    pub annual_value: Option<Money>,
    /// open or closed.
    pub status: String,
    /// Posted by.
    pub created_by: String,
}

const NEED_COLUMNS: &str = "n.id, n.enterprise_id, e.name AS enterprise_name, n.part, n.process, n.annual_volume, \
    n.annual_value_fen, n.status, n.created_by FROM supply_needs n JOIN enterprises e ON e.id = n.enterprise_id";

/// The city's needs, newest first.
pub async fn needs(pool: &AnyPool, city_id: &str) -> Result<Vec<Need>> {
    let sql = format!("SELECT {NEED_COLUMNS} WHERE n.city_id = $1 ORDER BY n.created_at DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One need of the city.
pub async fn need(pool: &AnyPool, city_id: &str, id: &str) -> Result<Need> {
    crate::one_in_city(pool, format!("SELECT {NEED_COLUMNS} WHERE n.city_id = $1 AND n.id = $2"), city_id, id).await
}

/// A capability.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Capability {
    /// Id.
    pub id: String,
    /// The supplier.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Part or product.
    pub part: String,
    /// Process.
    pub process: String,
    /// Notes.
    pub note: String,
}

/// The city's capabilities, by supplier.
pub async fn capabilities(pool: &AnyPool, city_id: &str) -> Result<Vec<Capability>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.enterprise_id, e.name AS enterprise_name, c.part, c.process, c.note FROM supply_capabilities c \
         JOIN enterprises e ON e.id = c.enterprise_id WHERE c.city_id = $1 ORDER BY e.name, c.part",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Posts a need (`kind` = `need`) or a capability (`capability`).
#[allow(clippy::too_many_arguments)]
pub async fn post(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    kind: &str,
    enterprise_id: &str,
    part: &str,
    process: &str,
    extra: &str,
    value: Option<Money>,
) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let now = actor.at;
    if kind == "need" {
        sqlx::query(
            "INSERT INTO supply_needs (id, city_id, enterprise_id, part, process, annual_volume, annual_value_fen, status, \
             created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$9)",
        )
        .bind(&id)
        .bind(city_id)
        .bind(enterprise_id)
        .bind(part)
        .bind(process)
        .bind(extra)
        .bind(value)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO supply_capabilities (id, city_id, enterprise_id, part, process, note, created_at, created_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&id)
        .bind(city_id)
        .bind(enterprise_id)
        .bind(part)
        .bind(process)
        .bind(extra)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({"enterprise": enterprise_id, "part": part, "process": process});
    let action = if kind == "need" { "supply.need" } else { "supply.capability" };
    append(&mut tx, actor, Event { action, entity: "supply", entity_id: Some(&id), before: None, after: Some(after) })
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// A deal recorded for a need.
#[derive(Debug, Clone, FromRow)]
pub struct Deal {
    /// The supplier's name.
    pub supplier: String,
    /// Yearly value.
    #[sqlx(rename = "value_fen")]
    pub value: Money,
    /// 成交日期.
    pub signed_on: String,
    /// Who recorded it.
    pub created_by: String,
}

/// The deals of one need, newest first.
pub async fn deals_of(pool: &AnyPool, need_id: &str) -> Result<Vec<Deal>> {
    Ok(sqlx::query_as(
        "SELECT e.name AS supplier, d.value_fen, d.signed_on, d.created_by FROM supply_deals d \
         JOIN enterprises e ON e.id = d.supplier_id WHERE d.need_id = $1 ORDER BY d.signed_on DESC",
    )
    .bind(need_id)
    .fetch_all(pool)
    .await?)
}

/// Records a deal: the supplier → OEM relation for the part is created or its yearly value raised.
pub async fn record_deal(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    need: &Need,
    supplier_id: &str,
    value: Money,
    on: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    sqlx::query(
        "INSERT INTO supply_deals (id, need_id, supplier_id, value_fen, signed_on, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7)",
    )
    .bind(new_id())
    .bind(&need.id)
    .bind(supplier_id)
    .bind(value)
    .bind(on)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let raised = sqlx::query(
        "UPDATE enterprise_relations SET value_fen = COALESCE(value_fen, 0) + $4, version = version + 1, updated_at = $5, \
         updated_by = $6 WHERE supplier_id = $1 AND customer_id = $2 AND product = $3",
    )
    .bind(supplier_id)
    .bind(&need.enterprise_id)
    .bind(&need.part)
    .bind(value)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    if raised.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO enterprise_relations (id, city_id, supplier_id, customer_id, product, value_fen, version, updated_at, \
             updated_by) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8)",
        )
        .bind(new_id())
        .bind(city_id)
        .bind(supplier_id)
        .bind(&need.enterprise_id)
        .bind(&need.part)
        .bind(value)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({"need": need.id, "supplier": supplier_id, "value_fen": value, "on": on});
    append(
        &mut tx,
        actor,
        Event { action: "supply.deal", entity: "supply", entity_id: Some(&need.id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (supplier, customer) pairs of the city's relations.
pub async fn pairs(pool: &AnyPool, city_id: &str) -> Result<std::collections::HashSet<(String, String)>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT supplier_id, customer_id FROM enterprise_relations WHERE city_id = $1")
            .bind(city_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}
