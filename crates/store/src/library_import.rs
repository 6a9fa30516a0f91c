//! Importing enterprise rows into the library, and the rows held for their keepers: a row that
//! matches an enterprise the importer may not change is stored as a proposal, which someone who
//! may change that enterprise accepts (applied as the import would have) or rejects with a reason.

use crate::audit::{Actor, Event};
use crate::{Result, Tx};
use chainchief_domain::enterprise_import::ImportRow;
use chainchief_domain::money::Money;
use serde::Serialize;
use sqlx::{AnyPool, FromRow};
use std::collections::{HashMap, HashSet};

/// What an enterprise import did (or, for review, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub rows: usize,
    /// Enterprises created.
    pub created: usize,
    /// Enterprises changed.
    pub updated: usize,
    /// Rows that matched an enterprise and changed nothing.
    pub unchanged: usize,
    /// Places on nodes and tiers added.
    pub links_added: usize,
    /// Rows matched only by normalised name: (row, name in file, name in library) — need review.
    pub name_matches: Vec<(usize, String, String)>,
    /// Nothing was stored because name matches wait for review.
    pub held_for_review: bool,
    /// Rows matching an enterprise the importer may not change, held for its keepers:
    /// (row, name in the library).
    pub held_for_keepers: Vec<(usize, String)>,
}

/// The fields an import may change on a matched enterprise, as its audit record shows them.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow)]
pub struct Kept {
    /// Short name.
    pub short_name: String,
    /// Credit code.
    pub credit_code: Option<String>,
    /// Park id.
    pub park_id: Option<String>,
    /// `above` / `below` / empty.
    pub scale: String,
    /// `domestic` / `foreign`.
    pub ownership: String,
    /// 1 when listed.
    pub listed: i64,
    /// Revenue.
    pub revenue_fen: Option<Money>,
    /// Employees.
    pub employees: Option<i64>,
    /// Products joined by 、.
    pub products: String,
}

impl Kept {
    /// These fields after a row is applied: what the row leaves empty stays.
    pub fn with(&self, r: &ImportRow) -> Kept {
        let keep = |new: &str, old: &str| if new.is_empty() { old.to_string() } else { new.to_string() };
        Kept {
            short_name: keep(&r.short_name, &self.short_name),
            credit_code: r.credit_code.clone().or(self.credit_code.clone()),
            park_id: r.park_id.clone().or(self.park_id.clone()),
            scale: keep(&r.scale, &self.scale),
            ownership: keep(&r.ownership, &self.ownership),
            listed: r.listed.map(i64::from).unwrap_or(self.listed),
            revenue_fen: r.revenue.or(self.revenue_fen),
            employees: r.employees.or(self.employees),
            products: keep(&r.products, &self.products),
        }
    }
}

#[derive(FromRow)]
struct Existing {
    id: String,
    name: String,
    #[sqlx(flatten)]
    kept: Kept,
}

const EXISTING: &str = "SELECT id, name, short_name, credit_code, park_id, scale, ownership, listed, revenue_fen, \
                        employees, products FROM enterprises";

/// Imports checked rows into the city, all or nothing: matched by credit code, then by normalised
/// name (held for review unless `accept_name_matches`, as is a code match whose name differs from
/// the library's); a row matching an enterprise outside `may_change` (when given) is not applied
/// but held for that enterprise's keepers; only changed fields are written, so the same file twice
/// changes nothing; each enterprise created or changed is audited with its before and after, and
/// the import as a whole.
pub async fn import(
    store: &crate::Store,
    actor: &Actor,
    city_id: &str,
    rows: &[ImportRow],
    accept_name_matches: bool,
    may_change: Option<&HashSet<String>>,
    file_name: &str,
) -> Result<ImportReport> {
    use chainchief_domain::names::normalize;
    let mut tx = store.begin_write().await?;
    let existing: Vec<Existing> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{EXISTING} WHERE city_id = $1")))
        .bind(city_id)
        .fetch_all(&mut *tx)
        .await?;
    let by_code: HashMap<&str, usize> =
        existing.iter().enumerate().filter_map(|(i, e)| e.kept.credit_code.as_deref().map(|c| (c, i))).collect();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in existing.iter().enumerate() {
        by_name.entry(normalize(&e.name)).or_default().push(i);
    }
    let mut report = ImportReport { rows: rows.len(), ..ImportReport::default() };
    let mut plan: Vec<(Option<&Existing>, &ImportRow)> = Vec::new();
    let mut held: Vec<(&Existing, &ImportRow)> = Vec::new();
    for r in rows {
        let hit = match r.credit_code.as_deref().and_then(|c| by_code.get(c).copied()) {
            Some(i) => Some((i, existing[i].name != r.name)),
            None => match by_name.get(&normalize(&r.name)).map(Vec::as_slice) {
                Some([i]) if existing[*i].kept.credit_code.is_none() || r.credit_code.is_none() => {
                    Some((*i, existing[*i].name != r.name || r.credit_code.is_some()))
                }
                _ => None,
            },
        };
        if let Some((i, _)) = hit
            && may_change.is_some_and(|ids| !ids.contains(&existing[i].id))
        {
            report.held_for_keepers.push((r.row, existing[i].name.clone()));
            held.push((&existing[i], r));
            continue;
        }
        if let Some((i, true)) = hit {
            report.name_matches.push((r.row, r.name.clone(), existing[i].name.clone()));
        }
        plan.push((hit.map(|(i, _)| &existing[i]), r));
    }
    if !report.name_matches.is_empty() && !accept_name_matches {
        report.held_for_review = true;
        tx.rollback().await?;
        return Ok(report);
    }
    for (hit, r) in plan {
        apply(&mut tx, actor, city_id, hit, r, &mut report).await?;
    }
    for (e, r) in &held {
        propose(&mut tx, actor, city_id, e, r, file_name).await?;
    }
    if report.created + report.updated + report.links_added + held.len() == 0 {
        tx.rollback().await?;
        return Ok(report);
    }
    let summary = serde_json::json!({"rows": report.rows, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "links_added": report.links_added, "name_matches": report.name_matches.len(),
        "held_for_keepers": held.len()});
    let actor = Actor { city_id: Some(city_id.to_string()), ..actor.clone() };
    let event = Event {
        action: "enterprise.import",
        entity: "city",
        entity_id: Some(city_id),
        before: None,
        after: Some(summary),
    };
    crate::audit::append(&mut tx, &actor, event).await?;
    tx.commit().await?;
    Ok(report)
}

/// Applies one row: creates the enterprise or writes its changed fields, then adds its places and tiers.
async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    city_id: &str,
    hit: Option<&Existing>,
    r: &ImportRow,
    report: &mut ImportReport,
) -> Result<()> {
    let now = actor.at;
    let id = match hit {
        None => {
            let id = chainchief_domain::ids::new_id();
            sqlx::query(
                "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, park_id, version, updated_at, \
                 updated_by, is_local, scale, ownership, listed, categories, revenue_fen, employees, products) \
                 VALUES ($1,$2,$3,$4,$5,0,$6,1,$7,$8,1,$9,$10,$11,'',$12,$13,$14)",
            )
            .bind(&id)
            .bind(city_id)
            .bind(&r.name)
            .bind(if r.short_name.is_empty() { &r.name } else { &r.short_name })
            .bind(&r.credit_code)
            .bind(&r.park_id)
            .bind(now)
            .bind(&actor.name)
            .bind(&r.scale)
            .bind(if r.ownership.is_empty() { "domestic" } else { r.ownership.as_str() })
            .bind(i64::from(r.listed.unwrap_or(false)))
            .bind(r.revenue)
            .bind(r.employees)
            .bind(&r.products)
            .execute(&mut **tx)
            .await
            .map_err(crate::unique_as("credit_code", &format!("第{}行：企业“{}”的统一社会信用代码已属于企业库中的另一家企业", r.row, r.name)))?;
            report.created += 1;
            let after = serde_json::json!({"name": r.name, "credit_code": r.credit_code, "row": r.row});
            let event = Event {
                action: "enterprise.create",
                entity: "enterprise",
                entity_id: Some(&id),
                before: None,
                after: Some(after),
            };
            crate::audit::append(tx, actor, event).await?;
            id
        }
        Some(e) => {
            let next = e.kept.with(r);
            if next == e.kept {
                report.unchanged += 1;
            } else {
                sqlx::query(
                    "UPDATE enterprises SET short_name = $1, credit_code = $2, park_id = $3, scale = $4, ownership = $5, \
                     listed = $6, revenue_fen = $7, employees = $8, products = $9, version = version + 1, updated_at = $10, \
                     updated_by = $11 WHERE id = $12",
                )
                .bind(&next.short_name)
                .bind(&next.credit_code)
                .bind(&next.park_id)
                .bind(&next.scale)
                .bind(&next.ownership)
                .bind(next.listed)
                .bind(next.revenue_fen)
                .bind(next.employees)
                .bind(&next.products)
                .bind(now)
                .bind(&actor.name)
                .bind(&e.id)
                .execute(&mut **tx)
                .await
                .map_err(crate::unique_as("credit_code", &format!("第{}行：企业“{}”的统一社会信用代码已属于企业库中的另一家企业", r.row, r.name)))?;
                report.updated += 1;
                let event = Event {
                    action: "enterprise.update",
                    entity: "enterprise",
                    entity_id: Some(&e.id),
                    before: serde_json::to_value(&e.kept).ok(),
                    after: serde_json::to_value(&next).ok(),
                };
                crate::audit::append(tx, actor, event).await?;
            }
            e.id.clone()
        }
    };
    if let (Some(chain), None) = (&r.chain_id, &r.node_id) {
        let done = sqlx::query(
            "INSERT INTO enterprise_chains (enterprise_id, chain_id) SELECT $1, $2 \
             WHERE NOT EXISTS (SELECT 1 FROM enterprise_chains WHERE enterprise_id = $1 AND chain_id = $2)",
        )
        .bind(&id)
        .bind(chain)
        .execute(&mut **tx)
        .await?;
        report.links_added += done.rows_affected() as usize;
    }
    if let Some(node) = &r.node_id {
        let done = sqlx::query(
            "INSERT INTO enterprise_nodes (enterprise_id, node_id, updated_at, updated_by) SELECT $1, $2, $3, $4 \
             WHERE NOT EXISTS (SELECT 1 FROM enterprise_nodes WHERE enterprise_id = $1 AND node_id = $2)",
        )
        .bind(&id)
        .bind(node)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut **tx)
        .await?;
        report.links_added += done.rows_affected() as usize;
    }
    for t in &r.tiers {
        let done = sqlx::query(
            "INSERT INTO enterprise_tiers (id, enterprise_id, tier, since, updated_at, updated_by) SELECT $1, $2, $3, NULL, $4, $5 \
             WHERE NOT EXISTS (SELECT 1 FROM enterprise_tiers WHERE enterprise_id = $2 AND tier = $3)",
        )
        .bind(chainchief_domain::ids::new_id())
        .bind(&id)
        .bind(t.code())
        .bind(now)
        .bind(&actor.name)
        .execute(&mut **tx)
        .await?;
        report.links_added += done.rows_affected() as usize;
    }
    Ok(())
}

/// Stores a row held for the keepers of the enterprise it matched.
async fn propose(
    tx: &mut Tx,
    actor: &Actor,
    city_id: &str,
    e: &Existing,
    r: &ImportRow,
    file_name: &str,
) -> Result<()> {
    let id = chainchief_domain::ids::new_id();
    let row = serde_json::to_string(r).map_err(|x| crate::StoreError::Invalid(x.to_string()))?;
    sqlx::query(
        "INSERT INTO import_proposals (id, city_id, enterprise_id, file_name, row_number, name_in_file, proposed_row, \
         status, reason, proposed_at, proposed_by, version, updated_at, updated_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,'pending','',$8,$9,1,$8,$9)",
    )
    .bind(&id)
    .bind(city_id)
    .bind(&e.id)
    .bind(file_name)
    .bind(r.row as i64)
    .bind(&r.name)
    .bind(&row)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut **tx)
    .await?;
    let after = serde_json::json!({"enterprise_id": e.id, "file": file_name, "row": r.row, "proposed": e.kept.with(r)});
    let event = Event {
        action: "enterprise.import_held",
        entity: "import_proposal",
        entity_id: Some(&id),
        before: None,
        after: Some(after),
    };
    crate::audit::append(tx, actor, event).await
}

/// An imported row waiting for (or decided by) a keeper of the enterprise it names.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Id.
    pub id: String,
    /// The enterprise it would change.
    pub enterprise_id: String,
    /// That enterprise's name in the library.
    pub enterprise_name: String,
    /// The file and row it came from.
    pub file_name: String,
    /// Row number in the file.
    pub row_number: i64,
    /// The name the row gave.
    pub name_in_file: String,
    /// The row as checked.
    pub row: ImportRow,
    /// The enterprise's fields now.
    pub current: Kept,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    /// Why it was rejected.
    pub reason: String,
    /// Who imported it, and when (ms).
    pub proposed_by: String,
    /// When it was imported (ms).
    pub proposed_at: i64,
    /// Version, for the decision.
    pub version: i64,
}

#[derive(FromRow)]
struct ProposalRow {
    id: String,
    enterprise_id: String,
    enterprise_name: String,
    file_name: String,
    row_number: i64,
    name_in_file: String,
    proposed_row: String,
    status: String,
    reason: String,
    proposed_by: String,
    proposed_at: i64,
    version: i64,
    #[sqlx(flatten)]
    current: Kept,
}

const PROPOSALS: &str = "SELECT p.id, p.enterprise_id, e.name AS enterprise_name, p.file_name, p.row_number, p.name_in_file, \
     p.proposed_row, p.status, p.reason, p.proposed_by, p.proposed_at, p.version, e.short_name, e.credit_code, e.park_id, \
     e.scale, e.ownership, e.listed, e.revenue_fen, e.employees, e.products \
     FROM import_proposals p JOIN enterprises e ON e.id = p.enterprise_id";

fn proposal(r: ProposalRow) -> Result<Proposal> {
    let row = serde_json::from_str(&r.proposed_row).map_err(|x| crate::StoreError::Invalid(x.to_string()))?;
    Ok(Proposal {
        id: r.id,
        enterprise_id: r.enterprise_id,
        enterprise_name: r.enterprise_name,
        file_name: r.file_name,
        row_number: r.row_number,
        name_in_file: r.name_in_file,
        row,
        current: r.current,
        status: r.status,
        reason: r.reason,
        proposed_by: r.proposed_by,
        proposed_at: r.proposed_at,
        version: r.version,
    })
}

/// The city's proposals waiting for a decision, oldest first.
pub async fn pending(pool: &AnyPool, city_id: &str) -> Result<Vec<Proposal>> {
    let sql = format!("{PROPOSALS} WHERE p.city_id = $1 AND p.status = 'pending' ORDER BY p.proposed_at, p.row_number");
    let rows: Vec<ProposalRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?;
    rows.into_iter().map(proposal).collect()
}

/// One proposal of the city.
pub async fn get(pool: &AnyPool, city_id: &str, id: &str) -> Result<Option<Proposal>> {
    let sql = format!("{PROPOSALS} WHERE p.city_id = $1 AND p.id = $2");
    let row: Option<ProposalRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(id).fetch_optional(pool).await?;
    row.map(proposal).transpose()
}

/// Accepts (applying the row to the enterprise as the import would have) or rejects a proposal
/// as read; both are audited. A proposal decided meanwhile is a conflict.
pub async fn decide(store: &crate::Store, actor: &Actor, p: &Proposal, accept: bool, reason: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let status = if accept { "accepted" } else { "rejected" };
    let change = crate::Versioned {
        table: "import_proposals",
        id: &p.id,
        version: p.version,
        city_id: actor.city_id.as_deref(),
        sets: vec![("status", crate::text(status)), ("reason", crate::text(reason))],
    };
    let before = crate::update_versioned(&mut tx, actor, change).await?;
    let action = if accept { "enterprise.import_accept" } else { "enterprise.import_reject" };
    let event = Event { action, entity: "import_proposal", entity_id: Some(&p.id), before, after: None };
    crate::audit::append_changed(&mut tx, actor, "import_proposals", &[("id", &p.id)], event).await?;
    if accept {
        let sql = format!("{EXISTING} WHERE id = $1");
        let e: Existing = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&p.enterprise_id).fetch_one(&mut *tx).await?;
        let city = actor.city_id.clone().unwrap_or_default();
        apply(&mut tx, actor, &city, Some(&e), &p.row, &mut ImportReport::default()).await?;
    }
    tx.commit().await?;
    Ok(())
}
