//! The 对接 work of a chain's liaisons to higher-level chains and its experts (智囊团, 科技特派员),
//! and comments on the chain's items (requests, problems).

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store, Val, text};
use chainchief_domain::ids::new_id;
use sqlx::{AnyPool, FromRow};

/// One record of 对接 work.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Log {
    /// Day done.
    pub done_on: String,
    /// With whom (a higher-level chain's office, an enterprise, a university).
    pub counterpart: String,
    /// What was done.
    pub content: String,
    /// What came of it.
    pub result: String,
    /// Who recorded it.
    pub created_by: String,
}

/// The 对接 records of a chain, latest first.
pub async fn logs(pool: &AnyPool, chain_id: &str) -> Result<Vec<Log>> {
    Ok(sqlx::query_as(
        "SELECT done_on, counterpart, content, result, created_by FROM liaison_logs WHERE chain_id = $1 \
         ORDER BY done_on DESC, created_at DESC",
    )
    .bind(chain_id)
    .fetch_all(pool)
    .await?)
}

/// Records 对接 work on a chain.
pub async fn add_log(store: &Store, actor: &Actor, city_id: &str, chain_id: &str, log: &Log) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let sets = vec![
        ("id", text(&id)),
        ("city_id", text(city_id)),
        ("chain_id", text(chain_id)),
        ("done_on", text(&log.done_on)),
        ("counterpart", text(&log.counterpart)),
        ("content", text(&log.content)),
        ("result", text(&log.result)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(&mut tx, "liaison_logs", sets).await?;
    let event = Event { action: "liaison.log", entity: "chain", entity_id: Some(chain_id), before: None, after: None };
    append_changed(&mut tx, actor, "liaison_logs", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// A comment on an item.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Comment {
    /// Text.
    pub body: String,
    /// When.
    pub created_at: i64,
    /// By whom.
    pub created_by: String,
}

/// The comments on an item, oldest first.
pub async fn comments(pool: &AnyPool, entity_id: &str) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(
        "SELECT body, created_at, created_by FROM item_comments WHERE entity_id = $1 ORDER BY created_at",
    )
    .bind(entity_id)
    .fetch_all(pool)
    .await?)
}

/// Adds a comment on an item of kind `entity`.
pub async fn add_comment(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    entity: &'static str,
    entity_id: &str,
    body: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let sets = vec![
        ("id", text(&id)),
        ("city_id", text(city_id)),
        ("entity", text(entity)),
        ("entity_id", text(entity_id)),
        ("body", text(body)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(&mut tx, "item_comments", sets).await?;
    let event = Event { action: "comment.add", entity, entity_id: Some(entity_id), before: None, after: None };
    append_changed(&mut tx, actor, "item_comments", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}
