//! Plan tasks [O2]: progress reports on the plan's measures by their units, with evidence.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store};
use chainchief_domain::ids::new_id;
use sqlx::{AnyPool, FromRow};

/// A progress report.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Update {
    /// Id.
    pub id: String,
    /// The measure.
    pub measure_id: String,
    /// Unit reported for.
    pub unit_name: Option<String>,
    /// What was done.
    pub body: String,
    /// Completes a one-off task.
    pub done: i64,
    /// Date reported, YYYY-MM-DD.
    pub reported_on: String,
    /// By whom.
    pub created_by: String,
}

/// Every report on the city's measures, newest first.
pub async fn updates(pool: &AnyPool, city_id: &str) -> Result<Vec<Update>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.measure_id, u.name AS unit_name, t.body, t.done, t.reported_on, t.created_by FROM task_updates t \
         JOIN measures m ON m.id = t.measure_id LEFT JOIN units u ON u.id = t.unit_id WHERE m.city_id = $1 \
         ORDER BY t.reported_on DESC, t.created_at DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Records a progress report; returns its id (for evidence).
pub async fn report(
    store: &Store,
    actor: &Actor,
    measure_id: &str,
    unit_id: Option<&str>,
    body: &str,
    done: bool,
    on: &str,
) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO task_updates (id, measure_id, unit_id, body, done, reported_on, created_at, created_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(&id)
    .bind(measure_id)
    .bind(unit_id)
    .bind(body)
    .bind(i64::from(done))
    .bind(on)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let after = serde_json::json!({"measure": measure_id, "unit": unit_id, "done": done, "body": body});
    append(
        &mut tx,
        actor,
        Event {
            action: "task.report",
            entity: "measure",
            entity_id: Some(measure_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
