//! Problems and 督办 [P4]: raised by a project or an enterprise; assigned by the general office or
//! the chain office to a lead unit and co-lead units with a deadline; progress notes by the units;
//! resolution by the lead unit; confirmation (or reopening) by whoever raised it.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Val, Versioned, text, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::supervision::ProblemStatus;
use sqlx::{AnyPool, FromRow};

/// A problem as stored.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Problem {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What is wrong.
    pub detail: String,
    /// Chain concerned.
    pub chain_id: Option<String>,
    /// Project concerned.
    pub project_id: Option<String>,
    /// Project name.
    pub project_name: Option<String>,
    /// Enterprise concerned.
    pub enterprise_id: Option<String>,
    /// Enterprise name.
    pub enterprise_name: Option<String>,
    /// Who raised it (username).
    pub raised_by: String,
    /// When.
    pub raised_at: i64,
    /// Deadline, YYYY-MM-DD, once assigned.
    pub deadline: Option<String>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: ProblemStatus,
    /// How it was resolved.
    pub resolution: String,
    /// When it was last resolved (epoch ms), if it was.
    pub resolved_at: Option<i64>,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

impl Problem {
    /// Whether the problem was raised and not yet resolved at `at` (epoch ms).
    pub fn open_at(&self, at: i64) -> bool {
        self.raised_at < at
            && match self.resolved_at {
                Some(resolved) => resolved >= at,
                None => !self.status.is_closed(),
            }
    }
}

const COLUMNS: &str = "p.id, p.title, p.detail, p.chain_id, p.project_id, j.name AS project_name, p.enterprise_id, \
    e.name AS enterprise_name, p.raised_by, p.raised_at, p.deadline, p.status, p.resolution, \
    (SELECT MAX(n.created_at) FROM problem_notes n WHERE n.problem_id = p.id AND n.kind = 'resolved') AS resolved_at, \
    p.version, p.updated_at, p.updated_by FROM problems p LEFT JOIN projects j ON j.id = p.project_id LEFT JOIN enterprises e ON e.id = p.enterprise_id";

/// The city's problems, newest first.
pub async fn list(pool: &AnyPool, city_id: &str) -> Result<Vec<Problem>> {
    let sql = format!("SELECT {COLUMNS} WHERE p.city_id = $1 ORDER BY p.raised_at DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One problem of the city.
pub async fn get(pool: &AnyPool, city_id: &str, id: &str) -> Result<Problem> {
    crate::one_in_city(pool, format!("SELECT {COLUMNS} WHERE p.city_id = $1 AND p.id = $2"), city_id, id).await
}

/// (problem id, unit id, unit name, role `lead`/`co`) of the city's assignments.
pub async fn assignments(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT pu.problem_id, u.id, u.name, pu.role FROM problem_units pu JOIN units u ON u.id = pu.unit_id \
         JOIN problems p ON p.id = pu.problem_id WHERE p.city_id = $1 ORDER BY pu.role DESC, u.name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// (unit id, unit name, role `lead`/`co`) of one problem's assignments.
pub async fn assignments_of(pool: &AnyPool, problem_id: &str) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, pu.role FROM problem_units pu JOIN units u ON u.id = pu.unit_id \
         WHERE pu.problem_id = $1 ORDER BY pu.role DESC, u.name",
    )
    .bind(problem_id)
    .fetch_all(pool)
    .await?)
}

/// A note on a problem.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Note {
    /// progress, resolved, confirmed, reopened, assigned.
    pub kind: String,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: i64,
    /// By whom.
    pub created_by: String,
}

/// A problem's notes, oldest first.
pub async fn notes(pool: &AnyPool, id: &str) -> Result<Vec<Note>> {
    Ok(sqlx::query_as(
        "SELECT kind, body, created_at, created_by FROM problem_notes WHERE problem_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?)
}

/// A new problem.
#[derive(Debug, Clone)]
pub struct NewProblem {
    /// City.
    pub city_id: String,
    /// Title.
    pub title: String,
    /// What is wrong.
    pub detail: String,
    /// Chain.
    pub chain_id: Option<String>,
    /// Project.
    pub project_id: Option<String>,
    /// Enterprise.
    pub enterprise_id: Option<String>,
}

/// Records a raised problem.
pub async fn raise(store: &Store, actor: &Actor, p: &NewProblem) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let now = actor.at;
    let vals = vec![
        text(&id),
        text(&p.city_id),
        text(&p.title),
        text(&p.detail),
        Val::Text(p.chain_id.clone()),
        Val::Text(p.project_id.clone()),
        Val::Text(p.enterprise_id.clone()),
        text(&actor.name),
        Val::Int(now),
    ];
    crate::bind_all(
        sqlx::query(
            "INSERT INTO problems (id, city_id, title, detail, chain_id, project_id, enterprise_id, raised_by, raised_at, \
             deadline, status, resolution, version, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,NULL,'raised','',1,$9,$8)",
        ),
        vals,
    )
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"title": p.title, "project": p.project_id, "enterprise": p.enterprise_id});
    append(
        &mut tx,
        actor,
        Event { action: "problem.raise", entity: "problem", entity_id: Some(&id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A change of a problem: its new status, fields and the note that says why.
#[derive(Debug, Clone)]
pub struct Change {
    /// New status.
    pub status: ProblemStatus,
    /// New deadline (assignment only).
    pub deadline: Option<String>,
    /// Lead and co-lead units (assignment only): (unit id, role).
    pub units: Option<Vec<(String, String)>>,
    /// Resolution text (resolution only).
    pub resolution: Option<String>,
    /// Note kind.
    pub note_kind: String,
    /// Note text.
    pub note: String,
    /// The version read.
    pub version: i64,
}

/// Applies a change with the version read, and keeps its note.
pub async fn change(store: &Store, actor: &Actor, city_id: &str, id: &str, c: &Change) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let mut sets = vec![("status", text(c.status.code()))];
    if let Some(d) = &c.deadline {
        sets.push(("deadline", text(d)));
    }
    if let Some(r) = &c.resolution {
        sets.push(("resolution", text(r)));
    }
    let before = update_versioned(
        &mut tx,
        actor,
        Versioned { table: "problems", id, city_id: Some(city_id), version: c.version, sets },
    )
    .await?;
    if let Some(units) = &c.units {
        sqlx::query("DELETE FROM problem_units WHERE problem_id = $1").bind(id).execute(&mut *tx).await?;
        for (u, role) in units {
            sqlx::query("INSERT INTO problem_units (problem_id, unit_id, role) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(u)
                .bind(role)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query(
        "INSERT INTO problem_notes (id, problem_id, kind, body, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(new_id())
    .bind(id)
    .bind(&c.note_kind)
    .bind(&c.note)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"units": c.units, "note": c.note});
    let event = Event { action: "problem.change", entity: "problem", entity_id: Some(id), before, after: Some(after) };
    append_changed(&mut tx, actor, "problems", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
