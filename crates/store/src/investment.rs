//! Investment promotion [I1][I2]: the target library (external enterprises the city courts, the
//! nodes each could fill, its contacts, owner and status) and what the recommendation needs.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Versioned, text, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::project::TargetStatus;
use sqlx::{AnyPool, FromRow};

/// A target as lists show it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Target {
    /// Id.
    pub id: String,
    /// The enterprise.
    pub enterprise_id: String,
    /// Its name.
    pub name: String,
    /// Category labels joined by 、.
    pub categories: String,
    /// Products joined by 、.
    pub products: String,
    /// Owner unit.
    pub owner_unit_id: Option<String>,
    /// Owner unit's name.
    pub owner_name: Option<String>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: TargetStatus,
    /// Notes.
    pub note: String,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const TARGET_COLUMNS: &str = "t.id, t.enterprise_id, e.name, e.categories, e.products, t.owner_unit_id, u.name AS owner_name, \
    t.status, t.note, t.version, t.updated_at, t.updated_by FROM investment_targets t JOIN enterprises e ON e.id = t.enterprise_id \
    LEFT JOIN units u ON u.id = t.owner_unit_id";

/// The city's targets, by name.
pub async fn targets(pool: &AnyPool, city_id: &str) -> Result<Vec<Target>> {
    let sql = format!("SELECT {TARGET_COLUMNS} WHERE t.city_id = $1 ORDER BY e.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One target of the city.
pub async fn target(pool: &AnyPool, city_id: &str, id: &str) -> Result<Target> {
    crate::one_in_city(pool, format!("SELECT {TARGET_COLUMNS} WHERE t.city_id = $1 AND t.id = $2"), city_id, id).await
}

/// (target id, node id, node name, chain id) of every node a city's targets could fill.
pub async fn target_nodes(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT tn.target_id, n.id, n.name, n.chain_id FROM target_nodes tn JOIN chain_nodes n ON n.id = tn.node_id \
         JOIN investment_targets t ON t.id = tn.target_id WHERE t.city_id = $1 ORDER BY n.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// (node id, node name, chain id) of the nodes one target could fill.
pub async fn nodes_of_target(pool: &AnyPool, target_id: &str) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.name, n.chain_id FROM target_nodes tn JOIN chain_nodes n ON n.id = tn.node_id \
         WHERE tn.target_id = $1 ORDER BY n.position",
    )
    .bind(target_id)
    .fetch_all(pool)
    .await?)
}

/// A contact with a target.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Contact {
    /// Date, YYYY-MM-DD.
    pub contact_on: String,
    /// 拜访, 来访, 电话, 会谈 …
    pub kind: String,
    /// What was said and agreed.
    pub summary: String,
    /// Recorded by.
    pub created_by: String,
    /// Recorded at.
    pub created_at: i64,
}

/// A target's contacts, newest first.
pub async fn contacts(pool: &AnyPool, target_id: &str) -> Result<Vec<Contact>> {
    Ok(sqlx::query_as(
        "SELECT contact_on, kind, summary, created_by, created_at FROM target_contacts WHERE target_id = $1 \
         ORDER BY contact_on DESC, created_at DESC",
    )
    .bind(target_id)
    .fetch_all(pool)
    .await?)
}

/// A new target: an enterprise already in the library, the nodes it could fill, its owner.
#[derive(Debug, Clone)]
pub struct NewTarget {
    /// City.
    pub city_id: String,
    /// Enterprise.
    pub enterprise_id: String,
    /// Nodes it could fill.
    pub node_ids: Vec<String>,
    /// Owner unit.
    pub owner_unit_id: Option<String>,
    /// Notes.
    pub note: String,
}

/// Adds an enterprise to the target library (status 未接触).
pub async fn add_target(store: &Store, actor: &Actor, t: &NewTarget) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let now = actor.at;
    sqlx::query(
        "INSERT INTO investment_targets (id, city_id, enterprise_id, owner_unit_id, status, note, version, updated_at, \
         updated_by) VALUES ($1,$2,$3,$4,'new',$5,1,$6,$7)",
    )
    .bind(&id)
    .bind(&t.city_id)
    .bind(&t.enterprise_id)
    .bind(&t.owner_unit_id)
    .bind(&t.note)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("enterprise_id", "该企业已在招商目标库中"))?;
    for n in &t.node_ids {
        sqlx::query("INSERT INTO target_nodes (target_id, node_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(n)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({"enterprise_id": t.enterprise_id, "nodes": t.node_ids, "owner": t.owner_unit_id});
    append(
        &mut tx,
        actor,
        Event {
            action: "target.add",
            entity: "investment_target",
            entity_id: Some(&id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a target's status and notes (with the version read).
pub async fn update_target(
    store: &Store,
    actor: &Actor,
    id: &str,
    city_id: &str,
    status: TargetStatus,
    note: &str,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("status", text(status.code())), ("note", text(note))];
    let before = update_versioned(
        &mut tx,
        actor,
        Versioned { table: "investment_targets", id, city_id: Some(city_id), version, sets },
    )
    .await?;
    let event =
        Event { action: "target.update", entity: "investment_target", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "investment_targets", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a contact; a target not yet contacted becomes 已接触.
pub async fn add_contact(
    store: &Store,
    actor: &Actor,
    target_id: &str,
    on: &str,
    kind: &str,
    summary: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    sqlx::query(
        "INSERT INTO target_contacts (id, target_id, contact_on, kind, summary, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7)",
    )
    .bind(new_id())
    .bind(target_id)
    .bind(on)
    .bind(kind)
    .bind(summary)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE investment_targets SET status = 'contacted', version = version + 1, updated_at = $2, updated_by = $3 \
         WHERE id = $1 AND status = 'new'",
    )
    .bind(target_id)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"on": on, "kind": kind, "summary": summary});
    append(
        &mut tx,
        actor,
        Event {
            action: "target.contact",
            entity: "investment_target",
            entity_id: Some(target_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A target's ties to the city: local enterprises trading with it, and the OEMs of `chain_id` it supplies.
pub async fn ties(pool: &AnyPool, enterprise_id: &str, chain_id: &str) -> Result<(Vec<String>, Vec<String>)> {
    let local: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT o.short_name FROM enterprise_relations r JOIN enterprises o \
         ON o.id = CASE WHEN r.supplier_id = $1 THEN r.customer_id ELSE r.supplier_id END \
         WHERE (r.supplier_id = $1 OR r.customer_id = $1) AND o.is_local = 1 ORDER BY o.short_name",
    )
    .bind(enterprise_id)
    .fetch_all(pool)
    .await?;
    let oems: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT c.short_name FROM enterprise_relations r JOIN enterprises c ON c.id = r.customer_id \
         WHERE r.supplier_id = $1 AND c.is_local = 0 AND c.id IN (\
           SELECT en.enterprise_id FROM enterprise_nodes en JOIN chain_nodes n ON n.id = en.node_id WHERE n.chain_id = $2) \
         ORDER BY c.short_name",
    )
    .bind(enterprise_id)
    .bind(chain_id)
    .fetch_all(pool)
    .await?;
    Ok((local.into_iter().map(|r| r.0).collect(), oems.into_iter().map(|r| r.0).collect()))
}

/// The chain of a node of the city (another city's node is not found).
pub async fn node_chain(pool: &AnyPool, city_id: &str, node_id: &str) -> Result<String> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT n.chain_id FROM chain_nodes n JOIN chains c ON c.id = n.chain_id WHERE n.id = $1 AND c.city_id = $2",
    )
    .bind(node_id)
    .bind(city_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| r.0).ok_or(crate::StoreError::NotFound)
}

/// What a target import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// External enterprises added to the library.
    pub enterprises_created: usize,
    /// Targets added.
    pub targets_created: usize,
    /// Node links or owners added to existing targets.
    pub links_added: usize,
}

/// Imports checked target rows in one transaction; importing the same file again changes nothing.
pub async fn import_targets(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    rows: &[chainchief_domain::targets_import::TargetRow],
) -> Result<ImportReport> {
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    let mut report = ImportReport::default();
    for r in rows {
        let found: Option<(String,)> = sqlx::query_as("SELECT id FROM enterprises WHERE city_id = $1 AND name = $2")
            .bind(city_id)
            .bind(&r.name)
            .fetch_optional(&mut *tx)
            .await?;
        let enterprise = match found {
            Some((id,)) => id,
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, version, updated_at, updated_by, \
                     is_local, scale, ownership, listed, categories, products) \
                     VALUES ($1,$2,$3,$3,NULL,0,1,$4,$5,0,'',$6,$7,$8,$9)",
                )
                .bind(&id)
                .bind(city_id)
                .bind(&r.name)
                .bind(now)
                .bind(&actor.name)
                .bind(if r.categories.iter().any(|c| c == "外资企业") { "foreign" } else { "domestic" })
                .bind(i64::from(r.categories.iter().any(|c| c == "上市公司")))
                .bind(r.categories.join("、"))
                .bind(r.products.join("、"))
                .execute(&mut *tx)
                .await?;
                report.enterprises_created += 1;
                id
            }
        };
        let target: Option<(String,)> =
            sqlx::query_as("SELECT id FROM investment_targets WHERE city_id = $1 AND enterprise_id = $2")
                .bind(city_id)
                .bind(&enterprise)
                .fetch_optional(&mut *tx)
                .await?;
        let target = match target {
            Some((id,)) => {
                let owner = sqlx::query(
                    "UPDATE investment_targets SET owner_unit_id = $2, version = version + 1, updated_at = $3, updated_by = $4 \
                     WHERE id = $1 AND owner_unit_id IS NULL AND $2 IS NOT NULL",
                )
                .bind(&id)
                .bind(&r.owner_unit_id)
                .bind(now)
                .bind(&actor.name)
                .execute(&mut *tx)
                .await?;
                report.links_added += owner.rows_affected() as usize;
                id
            }
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO investment_targets (id, city_id, enterprise_id, owner_unit_id, status, note, version, updated_at, \
                     updated_by) VALUES ($1,$2,$3,$4,'new',$5,1,$6,$7)",
                )
                .bind(&id)
                .bind(city_id)
                .bind(&enterprise)
                .bind(&r.owner_unit_id)
                .bind(&r.note)
                .bind(now)
                .bind(&actor.name)
                .execute(&mut *tx)
                .await?;
                report.targets_created += 1;
                id
            }
        };
        for n in &r.node_ids {
            let added = sqlx::query(
                "INSERT INTO target_nodes (target_id, node_id) SELECT $1, $2 \
                 WHERE NOT EXISTS (SELECT 1 FROM target_nodes WHERE target_id = $1 AND node_id = $2)",
            )
            .bind(&target)
            .bind(n)
            .execute(&mut *tx)
            .await?;
            report.links_added += added.rows_affected() as usize;
        }
    }
    if report != ImportReport::default() {
        let after = serde_json::json!({"rows": rows.len(), "report": report});
        append(
            &mut tx,
            actor,
            Event {
                action: "target.import",
                entity: "investment_target",
                entity_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}
