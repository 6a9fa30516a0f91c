//! Yearly versions of a chain's map: frozen once, never changed.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError};
use chainchief_domain::ids::new_id;
use sqlx::AnyPool;

/// Freezes a chain's map for a year; a year already frozen is refused (snapshots never change).
pub async fn create_snapshot(
    store: &Store,
    actor: &Actor,
    chain_id: &str,
    year: i32,
    content_json: &str,
) -> Result<()> {
    let id = new_id();
    let mut tx = store.begin_write().await?;
    sqlx::query("INSERT INTO map_snapshots (id, chain_id, year, content_json, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(&id)
        .bind(chain_id)
        .bind(i64::from(year))
        .bind(content_json)
        .bind(actor.at)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(crate::unique_as("year", &format!("{year}年的快照已经存在，快照一经冻结不能修改")))?;
    let after = Some(serde_json::json!({"chain_id": chain_id, "year": year}));
    append(
        &mut tx,
        actor,
        Event { action: "map.snapshot", entity: "map_snapshot", entity_id: Some(&id), before: None, after },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (year, created at, created by) of a chain's snapshots, newest first.
pub async fn snapshots(pool: &AnyPool, chain_id: &str) -> Result<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as("SELECT year, created_at, created_by FROM map_snapshots WHERE chain_id = $1 ORDER BY year DESC")
        .bind(chain_id)
        .fetch_all(pool)
        .await?)
}

/// The frozen content of a chain's snapshot of a year.
pub async fn snapshot(pool: &AnyPool, chain_id: &str, year: i32) -> Result<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT content_json FROM map_snapshots WHERE chain_id = $1 AND year = $2")
            .bind(chain_id)
            .bind(i64::from(year))
            .fetch_optional(pool)
            .await?;
    row.map(|r| r.0).ok_or(StoreError::NotFound)
}
