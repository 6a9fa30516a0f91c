//! Meetings and their action items [O3].

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Versioned, text, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::supervision::{ActionStatus, MeetingKind};
use sqlx::{AnyPool, FromRow};

/// A meeting.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Meeting {
    /// Id.
    pub id: String,
    /// 专题会议 or 现场办公会.
    #[sqlx(try_from = "String")]
    pub kind: MeetingKind,
    /// Title.
    pub title: String,
    /// Date.
    pub held_on: String,
    /// Who chaired it.
    pub chair: String,
    /// Who attended.
    pub attendees: String,
    /// Minutes.
    pub minutes: String,
    /// Recorded by.
    pub created_by: String,
}

/// An action item.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Item {
    /// Id.
    pub id: String,
    /// Meeting.
    pub meeting_id: String,
    /// What is to be done.
    pub body: String,
    /// Unit.
    pub unit_id: String,
    /// Unit name.
    pub unit_name: String,
    /// Deadline.
    pub deadline: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: ActionStatus,
    /// How it was done.
    pub done_note: String,
    /// Version.
    pub version: i64,
    /// Last change by.
    pub updated_by: String,
}

/// The city's meetings, newest first.
pub async fn list(pool: &AnyPool, city_id: &str) -> Result<Vec<Meeting>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, title, held_on, chair, attendees, minutes, created_by FROM meetings WHERE city_id = $1 ORDER BY held_on DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

const ITEM_COLUMNS: &str = "a.id, a.meeting_id, a.body, a.unit_id, u.name AS unit_name, a.deadline, a.status, \
    a.done_note, a.version, a.updated_by FROM action_items a JOIN meetings m ON m.id = a.meeting_id \
    JOIN units u ON u.id = a.unit_id";

/// The city's action items, by deadline.
pub async fn items(pool: &AnyPool, city_id: &str) -> Result<Vec<Item>> {
    let sql = format!("SELECT {ITEM_COLUMNS} WHERE m.city_id = $1 ORDER BY a.deadline, a.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One action item of the city.
pub async fn item(pool: &AnyPool, city_id: &str, id: &str) -> Result<Item> {
    crate::one_in_city(pool, format!("SELECT {ITEM_COLUMNS} WHERE m.city_id = $1 AND a.id = $2"), city_id, id).await
}

/// A meeting with its decisions as action items: (text, unit id, deadline).
pub struct NewMeeting<'a> {
    /// City.
    pub city_id: &'a str,
    /// 专题会议 or 现场办公会.
    pub kind: MeetingKind,
    /// Title.
    pub title: &'a str,
    /// Date.
    pub held_on: &'a str,
    /// Chair.
    pub chair: &'a str,
    /// Attendees.
    pub attendees: &'a str,
    /// Minutes.
    pub minutes: &'a str,
    /// Decisions.
    pub items: Vec<(String, String, String)>,
}

/// Records a meeting and its action items in one transaction.
pub async fn record(store: &Store, actor: &Actor, m: &NewMeeting<'_>) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let now = actor.at;
    sqlx::query(
        "INSERT INTO meetings (id, city_id, kind, title, held_on, chair, attendees, minutes, created_at, created_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
    )
    .bind(&id)
    .bind(m.city_id)
    .bind(m.kind.code())
    .bind(m.title)
    .bind(m.held_on)
    .bind(m.chair)
    .bind(m.attendees)
    .bind(m.minutes)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    for (body, unit, deadline) in &m.items {
        sqlx::query(
            "INSERT INTO action_items (id, meeting_id, body, unit_id, deadline, status, done_note, version, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5,'open','',1,$6,$7)",
        )
        .bind(new_id())
        .bind(&id)
        .bind(body)
        .bind(unit)
        .bind(deadline)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({"title": m.title, "held_on": m.held_on, "items": m.items.len()});
    append(
        &mut tx,
        actor,
        Event { action: "meeting.record", entity: "meeting", entity_id: Some(&id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks an action item done with how (with the version read).
pub async fn complete(store: &Store, actor: &Actor, id: &str, note: &str, version: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("status", text(ActionStatus::Done.code())), ("done_note", text(note))];
    let before =
        update_versioned(&mut tx, actor, Versioned { table: "action_items", id, city_id: None, version, sets }).await?;
    let event = Event { action: "action_item.done", entity: "action_item", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "action_items", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
