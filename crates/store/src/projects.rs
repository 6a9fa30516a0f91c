//! Projects [I3][P1]: from lead to production, every stage move kept with who made it and why;
//! a project in production places its company on its node, so the status map counts it.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Val, Versioned, text, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use chainchief_domain::project::{Kind, Method, Stage};
use sqlx::{AnyPool, FromRow};

/// A project as stored.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Project {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The local company that will run it.
    pub company_name: String,
    /// The target it came from.
    pub target_id: Option<String>,
    /// Chain.
    pub chain_id: String,
    /// Chain name.
    pub chain_name: String,
    /// Node it fills.
    pub node_id: Option<String>,
    /// Node name.
    pub node_name: Option<String>,
    /// Park.
    pub park_id: Option<String>,
    /// Lead unit.
    pub lead_unit_id: Option<String>,
    /// Lead unit's name.
    pub lead_name: Option<String>,
    /// Kind code.
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    /// Method code.
    #[sqlx(try_from = "String")]
    pub method: Method,
    /// Stage code.
    #[sqlx(try_from = "String")]
    pub stage: Stage,
    /// Major project (重大项目).
    pub major: i64,
    /// Planned investment, 万元 × 10⁴.
    #[sqlx(rename = "planned_fen")]
    pub planned: Option<Money>,
    /// Signed amount, 万元 × 10⁴.
    #[sqlx(rename = "signed_fen")]
    pub signed_amount: Option<Money>,
    /// Signing date.
    pub signed_on: Option<String>,
    /// Land or approval date.
    pub approval_on: Option<String>,
    /// Construction start.
    pub started_on: Option<String>,
    /// Production start.
    pub producing_on: Option<String>,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const PROJECT_COLUMNS: &str = "p.id, p.name, p.company_name, p.target_id, p.chain_id, c.name AS chain_name, p.node_id, \
    n.name AS node_name, p.park_id, p.lead_unit_id, u.name AS lead_name, p.kind, p.method, p.stage, p.major, p.planned_fen, \
    p.signed_fen, p.signed_on, p.approval_on, p.started_on, p.producing_on, p.version, p.updated_at, p.updated_by \
    FROM projects p JOIN chains c ON c.id = p.chain_id LEFT JOIN chain_nodes n ON n.id = p.node_id \
    LEFT JOIN units u ON u.id = p.lead_unit_id";

/// The city's projects, newest change first.
pub async fn list(pool: &AnyPool, city_id: &str) -> Result<Vec<Project>> {
    let sql = format!("SELECT {PROJECT_COLUMNS} WHERE p.city_id = $1 ORDER BY p.updated_at DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One project of the city.
pub async fn get(pool: &AnyPool, city_id: &str, id: &str) -> Result<Project> {
    crate::one_in_city(pool, format!("SELECT {PROJECT_COLUMNS} WHERE p.city_id = $1 AND p.id = $2"), city_id, id).await
}

/// A new project (stage 线索).
#[derive(Debug, Clone)]
pub struct NewProject {
    /// City.
    pub city_id: String,
    /// Name.
    pub name: String,
    /// Local company name.
    pub company_name: String,
    /// Target it came from.
    pub target_id: Option<String>,
    /// Chain.
    pub chain_id: String,
    /// Node.
    pub node_id: Option<String>,
    /// Park.
    pub park_id: Option<String>,
    /// Lead unit.
    pub lead_unit_id: Option<String>,
    /// Kind code.
    pub kind: String,
    /// Method code.
    pub method: String,
    /// Major project.
    pub major: bool,
    /// Planned investment, 万元 × 10⁴.
    pub planned: Option<Money>,
}

/// Opens a project at 线索; a target it came from moves to 洽谈中.
pub async fn create(store: &Store, actor: &Actor, p: &NewProject) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let now = actor.at;
    let vals = vec![
        text(&id),
        text(&p.city_id),
        text(&p.name),
        text(&p.company_name),
        Val::Text(p.target_id.clone()),
        text(&p.chain_id),
        Val::Text(p.node_id.clone()),
        Val::Text(p.park_id.clone()),
        Val::Text(p.lead_unit_id.clone()),
        text(&p.kind),
        text(&p.method),
        Val::Int(i64::from(p.major)),
        crate::money(p.planned),
        Val::Int(now),
        text(&actor.name),
    ];
    crate::bind_all(
        sqlx::query(
            "INSERT INTO projects (id, city_id, name, company_name, target_id, chain_id, node_id, park_id, lead_unit_id, kind, \
             method, stage, major, planned_fen, version, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'lead',$12,$13,1,$14,$15)",
        ),
        vals,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(t) = &p.target_id {
        sqlx::query(
            "UPDATE investment_targets SET status = 'negotiating', version = version + 1, updated_at = $2, updated_by = $3 \
             WHERE id = $1 AND status IN ('new', 'contacted')",
        )
        .bind(t)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({"name": p.name, "chain": p.chain_id, "node": p.node_id, "target": p.target_id,
        "kind": p.kind, "method": p.method, "major": p.major, "planned_fen": p.planned});
    append(
        &mut tx,
        actor,
        Event { action: "project.create", entity: "project", entity_id: Some(&id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The recorded facts of a project.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Planned investment, 万元 × 10⁴.
    pub planned: Option<Money>,
    /// Signed amount, 万元 × 10⁴.
    pub signed_amount: Option<Money>,
    /// Signing date.
    pub signed_on: Option<String>,
    /// Land or approval date.
    pub approval_on: Option<String>,
    /// Construction start.
    pub started_on: Option<String>,
    /// Production start.
    pub producing_on: Option<String>,
}

/// A stage move with the facts it needs, checked by the caller.
#[derive(Debug, Clone)]
pub struct Move {
    /// Stage now (as read).
    pub from: String,
    /// Stage after.
    pub to: String,
    /// Why (required when moving back).
    pub reason: String,
    /// Facts after the move.
    pub facts: Facts,
    /// The version read.
    pub version: i64,
}

/// Moves a project (with the version read), keeps the move in its history; at 签约 its target
/// becomes 已签约; at 投产 its company is placed on its node as a local enterprise.
pub async fn move_stage(store: &Store, actor: &Actor, city_id: &str, id: &str, m: &Move) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let f = &m.facts;
    let sets = vec![
        ("stage", text(&m.to)),
        ("planned_fen", crate::money(f.planned)),
        ("signed_fen", crate::money(f.signed_amount)),
        ("signed_on", Val::Text(f.signed_on.clone())),
        ("approval_on", Val::Text(f.approval_on.clone())),
        ("started_on", Val::Text(f.started_on.clone())),
        ("producing_on", Val::Text(f.producing_on.clone())),
    ];
    let before = update_versioned(
        &mut tx,
        actor,
        Versioned { table: "projects", id, city_id: Some(city_id), version: m.version, sets },
    )
    .await?;
    let now = actor.at;
    sqlx::query(
        "INSERT INTO project_stages (id, project_id, from_stage, to_stage, reason, moved_at, moved_by) VALUES ($1,$2,$3,$4,$5,$6,$7)",
    )
    .bind(new_id())
    .bind(id)
    .bind(&m.from)
    .bind(&m.to)
    .bind(&m.reason)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let (target, node, company): (Option<String>, Option<String>, String) =
        sqlx::query_as("SELECT target_id, node_id, company_name FROM projects WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if m.to == "signed"
        && let Some(t) = &target
    {
        sqlx::query("UPDATE investment_targets SET status = 'signed', version = version + 1, updated_at = $2, updated_by = $3 WHERE id = $1")
            .bind(t)
            .bind(now)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
    }
    if m.to == "production"
        && let Some(node) = &node
    {
        place_company(&mut tx, actor, city_id, &company, node, now).await?;
    }
    let after = serde_json::json!({"from": m.from, "to": m.to, "reason": m.reason});
    let event = Event { action: "project.stage", entity: "project", entity_id: Some(id), before, after: Some(after) };
    append_changed(&mut tx, actor, "projects", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Places the project company on its node as a local enterprise (found by name, or created).
async fn place_company(
    tx: &mut crate::Tx,
    actor: &Actor,
    city_id: &str,
    company: &str,
    node: &str,
    now: i64,
) -> Result<()> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM enterprises WHERE city_id = $1 AND name = $2")
        .bind(city_id)
        .bind(company)
        .fetch_optional(&mut **tx)
        .await?;
    let enterprise = match found {
        Some((e,)) => e,
        None => {
            let e = new_id();
            sqlx::query(
                "INSERT INTO enterprises (id, city_id, name, short_name, credit_code, is_demo, version, updated_at, updated_by, \
                 is_local, scale, ownership, listed, categories, products) VALUES ($1,$2,$3,$3,NULL,0,1,$4,$5,1,'','domestic',0,'','')",
            )
            .bind(&e)
            .bind(city_id)
            .bind(company)
            .bind(now)
            .bind(&actor.name)
            .execute(&mut **tx)
            .await?;
            e
        }
    };
    sqlx::query(
        "INSERT INTO enterprise_nodes (enterprise_id, node_id, updated_at, updated_by) SELECT $1, $2, $3, $4 \
         WHERE NOT EXISTS (SELECT 1 FROM enterprise_nodes WHERE enterprise_id = $1 AND node_id = $2)",
    )
    .bind(&enterprise)
    .bind(node)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stage move in a project's history.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct StageMove {
    /// From.
    #[sqlx(try_from = "String")]
    pub from_stage: Stage,
    /// To.
    #[sqlx(try_from = "String")]
    pub to_stage: Stage,
    /// Why.
    pub reason: String,
    /// When.
    pub moved_at: i64,
    /// By whom.
    pub moved_by: String,
}

/// A project's stage moves, oldest first.
pub async fn history(pool: &AnyPool, id: &str) -> Result<Vec<StageMove>> {
    Ok(sqlx::query_as(
        "SELECT from_stage, to_stage, reason, moved_at, moved_by FROM project_stages WHERE project_id = $1 ORDER BY moved_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// A project's properties as an office edits them.
#[derive(Debug, Clone)]
pub struct Props {
    /// Name.
    pub name: String,
    /// Local company name.
    pub company_name: String,
    /// Kind code.
    pub kind: String,
    /// Method code.
    pub method: String,
    /// Park.
    pub park_id: Option<String>,
    /// Lead unit.
    pub lead_unit_id: Option<String>,
    /// Major project.
    pub major: bool,
}

/// Changes a project's properties (with the version read).
pub async fn update_props(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    p: &Props,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("name", text(&p.name)),
        ("company_name", text(&p.company_name)),
        ("kind", text(&p.kind)),
        ("method", text(&p.method)),
        ("park_id", Val::Text(p.park_id.clone())),
        ("lead_unit_id", Val::Text(p.lead_unit_id.clone())),
        ("major", Val::Int(i64::from(p.major))),
    ];
    let before =
        update_versioned(&mut tx, actor, Versioned { table: "projects", id, city_id: Some(city_id), version, sets })
            .await?;
    let event = Event { action: "project.update", entity: "project", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "projects", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
