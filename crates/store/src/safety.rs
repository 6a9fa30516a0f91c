//! Attachments and 三同时 [P3]: files kept in the database (base64, with their SM3), the three
//! safety checkpoints of construction projects with their evidence, and the safety design
//! diagnosis of producing enterprises.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, StoreError};
use base64::Engine;
use chainchief_domain::audit::content_hash;
use chainchief_domain::ids::new_id;
use sqlx::{AnyPool, FromRow};

/// An attachment's description.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Attachment {
    /// Id.
    pub id: String,
    /// project, problem, checkpoint.
    pub owner_kind: String,
    /// The owner's id.
    pub owner_id: String,
    /// File name.
    pub name: String,
    /// Content type (checked from the content).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// By whom.
    pub created_by: String,
    /// When.
    pub created_at: i64,
}

/// A new attachment (already checked).
pub struct NewAttachment<'a> {
    /// City.
    pub city_id: &'a str,
    /// Owner kind.
    pub owner_kind: &'a str,
    /// Owner id.
    pub owner_id: &'a str,
    /// File name.
    pub name: &'a str,
    /// Content type.
    pub content_type: &'a str,
    /// Content.
    pub bytes: &'a [u8],
}

async fn insert(tx: &mut crate::Tx, actor: &Actor, a: &NewAttachment<'_>) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO attachments (id, city_id, owner_kind, owner_id, name, content_type, size, sm3, content_b64, created_at, \
         created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(&id)
    .bind(a.city_id)
    .bind(a.owner_kind)
    .bind(a.owner_id)
    .bind(a.name)
    .bind(a.content_type)
    .bind(a.bytes.len() as i64)
    .bind(content_hash(a.bytes))
    .bind(base64::engine::general_purpose::STANDARD.encode(a.bytes))
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut **tx)
    .await?;
    let after =
        serde_json::json!({"owner": a.owner_kind, "owner_id": a.owner_id, "name": a.name, "size": a.bytes.len()});
    append(
        tx,
        actor,
        Event {
            action: "attachment.add",
            entity: "attachment",
            entity_id: Some(&id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(id)
}

/// Stores an attachment of a project or a problem.
pub async fn attach(store: &Store, actor: &Actor, a: &NewAttachment<'_>) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = insert(&mut tx, actor, a).await?;
    tx.commit().await?;
    Ok(id)
}

/// The attachments of an owner, newest first.
pub async fn attachments(pool: &AnyPool, city_id: &str, owner_kind: &str, owner_id: &str) -> Result<Vec<Attachment>> {
    Ok(sqlx::query_as(
        "SELECT id, owner_kind, owner_id, name, content_type, size, created_by, created_at FROM attachments \
         WHERE city_id = $1 AND owner_kind = $2 AND owner_id = $3 ORDER BY created_at DESC",
    )
    .bind(city_id)
    .bind(owner_kind)
    .bind(owner_id)
    .fetch_all(pool)
    .await?)
}

/// An attachment with its content.
pub async fn content(pool: &AnyPool, city_id: &str, id: &str) -> Result<(Attachment, Vec<u8>)> {
    let a: Attachment = sqlx::query_as(
        "SELECT id, owner_kind, owner_id, name, content_type, size, created_by, created_at FROM attachments \
         WHERE city_id = $1 AND id = $2",
    )
    .bind(city_id)
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    let (b64,): (String,) =
        sqlx::query_as("SELECT content_b64 FROM attachments WHERE id = $1").bind(id).fetch_one(pool).await?;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok((a, bytes))
}

/// A checkpoint done.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Checkpoint {
    /// Project.
    pub project_id: String,
    /// design, construction, acceptance.
    pub checkpoint: String,
    /// Date done.
    pub done_on: String,
    /// Evidence.
    pub attachment_id: String,
    /// Notes.
    pub note: String,
    /// By whom.
    pub updated_by: String,
}

/// Every checkpoint done in the city's projects.
pub async fn checkpoints(pool: &AnyPool, city_id: &str) -> Result<Vec<Checkpoint>> {
    Ok(sqlx::query_as(
        "SELECT k.project_id, k.checkpoint, k.done_on, k.attachment_id, k.note, k.updated_by FROM project_checkpoints k \
         JOIN projects p ON p.id = k.project_id WHERE p.city_id = $1",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Records a checkpoint with its evidence, in one transaction (a checkpoint is recorded once).
pub async fn record_checkpoint(
    store: &Store,
    actor: &Actor,
    evidence: &NewAttachment<'_>,
    checkpoint: &str,
    done_on: &str,
    note: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let attachment = insert(&mut tx, actor, evidence).await?;
    sqlx::query(
        "INSERT INTO project_checkpoints (project_id, checkpoint, done_on, attachment_id, note, updated_at, updated_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7)",
    )
    .bind(evidence.owner_id)
    .bind(checkpoint)
    .bind(done_on)
    .bind(&attachment)
    .bind(note)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("checkpoint", "该项“三同时”已登记"))?;
    let after = serde_json::json!({"project": evidence.owner_id, "checkpoint": checkpoint, "done_on": done_on});
    append(
        &mut tx,
        actor,
        Event {
            action: "checkpoint.record",
            entity: "project",
            entity_id: Some(evidence.owner_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// (id, name, diagnosis date) of the city's producing enterprises (local, above scale).
pub async fn diagnoses(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT id, name, safety_diagnosis_on FROM enterprises WHERE city_id = $1 AND is_local = 1 AND scale = 'above' ORDER BY name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Records an enterprise's safety design diagnosis date.
pub async fn set_diagnosis(store: &Store, actor: &Actor, city_id: &str, enterprise_id: &str, on: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before = crate::audit::image(&mut tx, "enterprises", &[("id", enterprise_id)]).await?;
    let done = sqlx::query(
        "UPDATE enterprises SET safety_diagnosis_on = $3, version = version + 1, updated_at = $4, updated_by = $5 \
         WHERE city_id = $1 AND id = $2",
    )
    .bind(city_id)
    .bind(enterprise_id)
    .bind(on)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let event = Event {
        action: "enterprise.diagnosis",
        entity: "enterprise",
        entity_id: Some(enterprise_id),
        before,
        after: None,
    };
    append_changed(&mut tx, actor, "enterprises", &[("id", enterprise_id)], event).await?;
    tx.commit().await?;
    Ok(())
}
