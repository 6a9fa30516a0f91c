//! Major-project tracking [P1][P2]: fixed-asset investment planned and completed per month,
//! milestones, and the monthly 龙虎榜 (ranking) frozen when published.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Val, Versioned, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A month of a project's investment.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Month {
    /// Project.
    pub project_id: String,
    /// `YYYY-MM`.
    pub period: String,
    /// Planned.
    #[sqlx(rename = "planned_fen")]
    pub planned: Option<Money>,
    /// Completed.
    #[sqlx(rename = "actual_fen")]
    pub actual: Option<Money>,
}

/// Every month of the city's projects up to `period`, by project and month.
pub async fn months(pool: &AnyPool, city_id: &str, upto: &str) -> Result<Vec<Month>> {
    Ok(sqlx::query_as(
        "SELECT m.project_id, m.period, m.planned_fen, m.actual_fen FROM project_investments m \
         JOIN projects p ON p.id = m.project_id WHERE p.city_id = $1 AND m.period <= $2 ORDER BY m.project_id, m.period",
    )
    .bind(city_id)
    .bind(upto)
    .fetch_all(pool)
    .await?)
}

/// Every month of one project, in order.
pub async fn months_of(pool: &AnyPool, project_id: &str) -> Result<Vec<Month>> {
    Ok(sqlx::query_as(
        "SELECT project_id, period, planned_fen, actual_fen FROM project_investments WHERE project_id = $1 ORDER BY period",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?)
}

/// Sets a month's planned and/or completed investment of a project (None leaves it as it is).
pub async fn set_month(
    store: &Store,
    actor: &Actor,
    project_id: &str,
    period: &str,
    planned: Option<Money>,
    actual: Option<Money>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    let key = [("project_id", project_id), ("period", period)];
    let before = crate::audit::image(&mut tx, "project_investments", &key).await?;
    let done = sqlx::query(
        "UPDATE project_investments SET planned_fen = COALESCE($3, planned_fen), actual_fen = COALESCE($4, actual_fen), \
         updated_at = $5, updated_by = $6 WHERE project_id = $1 AND period = $2",
    )
    .bind(project_id)
    .bind(period)
    .bind(planned)
    .bind(actual)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO project_investments (project_id, period, planned_fen, actual_fen, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(project_id)
        .bind(period)
        .bind(planned)
        .bind(actual)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let event =
        Event { action: "project.investment", entity: "project", entity_id: Some(project_id), before, after: None };
    append_changed(&mut tx, actor, "project_investments", &key, event).await?;
    tx.commit().await?;
    Ok(())
}

/// A milestone.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Milestone {
    /// Id.
    pub id: String,
    /// Project.
    pub project_id: String,
    /// What.
    pub name: String,
    /// Planned date.
    pub planned_on: String,
    /// Actual date.
    pub actual_on: Option<String>,
    /// Version.
    pub version: i64,
}

/// The milestones of the city's projects, by planned date.
pub async fn milestones(pool: &AnyPool, city_id: &str) -> Result<Vec<Milestone>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.project_id, m.name, m.planned_on, m.actual_on, m.version FROM project_milestones m \
         JOIN projects p ON p.id = m.project_id WHERE p.city_id = $1 ORDER BY m.planned_on, m.name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// The milestones of one project, by planned date.
pub async fn milestones_of(pool: &AnyPool, project_id: &str) -> Result<Vec<Milestone>> {
    Ok(sqlx::query_as(
        "SELECT id, project_id, name, planned_on, actual_on, version FROM project_milestones WHERE project_id = $1          ORDER BY planned_on, name",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?)
}

/// One milestone of a project.
pub async fn milestone(pool: &AnyPool, project_id: &str, id: &str) -> Result<Milestone> {
    sqlx::query_as(
        "SELECT id, project_id, name, planned_on, actual_on, version FROM project_milestones WHERE project_id = $1 AND id = $2",
    )
    .bind(project_id)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(crate::StoreError::NotFound)
}

/// Adds a milestone.
pub async fn add_milestone(store: &Store, actor: &Actor, project_id: &str, name: &str, planned_on: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO project_milestones (id, project_id, name, planned_on, actual_on, version, updated_at, updated_by) \
         VALUES ($1,$2,$3,$4,NULL,1,$5,$6)",
    )
    .bind(&id)
    .bind(project_id)
    .bind(name)
    .bind(planned_on)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"project": project_id, "name": name, "planned_on": planned_on});
    append(
        &mut tx,
        actor,
        Event { action: "milestone.add", entity: "milestone", entity_id: Some(&id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a milestone's actual date (with the version read).
pub async fn complete_milestone(store: &Store, actor: &Actor, id: &str, actual_on: &str, version: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("actual_on", Val::Text(Some(actual_on.to_string())))];
    let before =
        update_versioned(&mut tx, actor, Versioned { table: "project_milestones", id, city_id: None, version, sets })
            .await?;
    let event = Event { action: "milestone.complete", entity: "milestone", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "project_milestones", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
