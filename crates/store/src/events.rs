//! Events of investment promotion [I4] (外出专题招商, 集中签约, 集中开工, 供需对接会) with their
//! projects, and what the plan's quotas count: events of a kind, or enterprises reaching a tier.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store};
use chainchief_domain::ids::new_id;
use chainchief_domain::project::EventKind;
use sqlx::{AnyPool, FromRow};

/// An event.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct PromotionEvent {
    /// Id.
    pub id: String,
    /// Kind.
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    /// Title.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Who took part.
    pub participants: String,
    /// Recorded by.
    pub updated_by: String,
}

/// A new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// City.
    pub city_id: String,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// Place.
    pub place: String,
    /// Who took part.
    pub participants: String,
    /// Projects signed, started or presented at it.
    pub project_ids: Vec<String>,
}

/// Records an event with its projects.
pub async fn create(store: &Store, actor: &Actor, e: &NewEvent) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    sqlx::query(
        "INSERT INTO events (id, city_id, kind, title, held_on, place, participants, version, updated_at, updated_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8,$9)",
    )
    .bind(&id)
    .bind(&e.city_id)
    .bind(&e.kind)
    .bind(&e.title)
    .bind(&e.held_on)
    .bind(&e.place)
    .bind(&e.participants)
    .bind(actor.at)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    for p in &e.project_ids {
        sqlx::query("INSERT INTO event_projects (event_id, project_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(p)
            .execute(&mut *tx)
            .await?;
    }
    let after = serde_json::json!({"kind": e.kind, "title": e.title, "held_on": e.held_on, "projects": e.project_ids});
    append(
        &mut tx,
        actor,
        Event { action: "event.create", entity: "event", entity_id: Some(&id), before: None, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The city's events of a year, newest first.
pub async fn of_year(pool: &AnyPool, city_id: &str, year: i32) -> Result<Vec<PromotionEvent>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, title, held_on, place, participants, updated_by FROM events \
         WHERE city_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on DESC",
    )
    .bind(city_id)
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_all(pool)
    .await?)
}

/// (event id, project id, project name) of the city's event links.
pub async fn links(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT ep.event_id, p.id, p.name FROM event_projects ep JOIN projects p ON p.id = ep.project_id \
         WHERE p.city_id = $1 ORDER BY p.name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// How many of what a quota `counts` (`event:KIND` or `tier:A|B`) happened in `year`; None for
/// a kind of count not kept in the data.
pub async fn count(pool: &AnyPool, city_id: &str, counts: &str, year: i32) -> Result<Option<i64>> {
    count_until(pool, city_id, counts, year, &format!("{year}-12-31")).await
}

/// The same count from the start of `year` up to and including the day `to` (`YYYY-MM-DD`).
pub async fn count_until(pool: &AnyPool, city_id: &str, counts: &str, year: i32, to: &str) -> Result<Option<i64>> {
    let from = format!("{year}-01-01");
    if let Some(kind) = counts.strip_prefix("event:") {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM events WHERE city_id = $1 AND kind = $2 AND held_on >= $3 AND held_on <= $4",
        )
        .bind(city_id)
        .bind(kind)
        .bind(&from)
        .bind(to)
        .fetch_one(pool)
        .await?;
        return Ok(Some(n));
    }
    if let Some(tiers) = counts.strip_prefix("tier:") {
        let mut total = 0;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT DISTINCT t.enterprise_id, t.tier FROM enterprise_tiers t JOIN enterprises e ON e.id = t.enterprise_id \
             WHERE e.city_id = $1 AND t.since >= $2 AND t.since <= $3",
        )
        .bind(city_id)
        .bind(&from)
        .bind(format!("{to}~"))
        .fetch_all(pool)
        .await?;
        let wanted: Vec<&str> = tiers.split('|').collect();
        let mut seen = std::collections::HashSet::new();
        for (e, t) in rows {
            if wanted.contains(&t.as_str()) && seen.insert(e) {
                total += 1;
            }
        }
        return Ok(Some(total));
    }
    Ok(None)
}
