//! Results frozen when published (the monthly 龙虎榜, an assessment round): stored once as JSON
//! with who published them and when; never changed afterwards.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store};
use chainchief_domain::ids::new_id;
use sqlx::AnyPool;

/// What is published: its table and the column naming the period.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Table.
    pub table: &'static str,
    /// Column of the period (`period`, `round`).
    pub key: &'static str,
    /// The message when it was published already.
    pub again: &'static str,
    /// The audit action.
    pub action: &'static str,
}

/// The monthly 龙虎榜.
pub const BOARD: Kind = Kind {
    table: "board_publications",
    key: "period",
    again: "该月龙虎榜已发布，发布后不再改变",
    action: "board.publish",
};

/// An assessment round.
pub const ASSESSMENT: Kind = Kind {
    table: "assessment_publications",
    key: "round",
    again: "该轮考核结果已发布，发布后不再改变",
    action: "assessment.publish",
};

/// The published content of a period: (JSON, when, by whom).
pub async fn get(pool: &AnyPool, kind: Kind, city_id: &str, period: &str) -> Result<Option<(String, i64, String)>> {
    let sql = format!(
        "SELECT content_json, published_at, published_by FROM {} WHERE city_id = $1 AND {} = $2",
        kind.table, kind.key
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(period).fetch_optional(pool).await?)
}

/// Publishes a period's content once.
pub async fn publish(
    store: &Store,
    actor: &Actor,
    kind: Kind,
    city_id: &str,
    period: &str,
    content_json: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sql = format!(
        "INSERT INTO {} (id, city_id, {}, content_json, published_at, published_by) VALUES ($1,$2,$3,$4,$5,$6)",
        kind.table, kind.key
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(new_id())
        .bind(city_id)
        .bind(period)
        .bind(content_json)
        .bind(actor.at)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .map_err(crate::unique_as("period", kind.again))?;
    let after = serde_json::json!({ kind.key: period });
    append(
        &mut tx,
        actor,
        Event { action: kind.action, entity: "publication", entity_id: None, before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
