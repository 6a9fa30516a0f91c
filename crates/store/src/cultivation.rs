//! What the reserve library ranks candidates by beyond the profile (the latest closed year's R&D
//! spend, main-business revenue and debt ratio; invention patents granted), and the candidates an
//! office is actively cultivating (培育) towards a goal, with the one responsible and follow-up notes.

use crate::audit::{Actor, Event, append, append_changed};
use crate::enterprises::YearFacts;
use crate::{Result, Store, Val, Versioned, text, unique_as, update_versioned};
use chainchief_domain::ids::new_id;
use sqlx::{AnyPool, FromRow};
use std::collections::HashMap;

/// Each enterprise's facts of its latest year up to `year`.
pub async fn latest_years(pool: &AnyPool, city_id: &str, year: i64) -> Result<HashMap<String, YearFacts>> {
    #[derive(FromRow)]
    struct Row {
        enterprise_id: String,
        #[sqlx(flatten)]
        facts: YearFacts,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT y.enterprise_id, y.year, y.revenue_fen, y.output_fen, y.tax_fen, y.employees, y.rd_fen, y.main_business_fen, \
         y.debt_ratio FROM enterprise_years y JOIN enterprises e ON e.id = y.enterprise_id WHERE e.city_id = $1 AND y.year <= $2 \
         ORDER BY y.year",
    )
    .bind(city_id)
    .bind(year)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.enterprise_id, r.facts)).collect())
}

/// The invention patents recorded for each enterprise of the city.
pub async fn patents(pool: &AnyPool, city_id: &str) -> Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT enterprise_id, COUNT(*) FROM innovation_results WHERE city_id = $1 AND kind = 'invention_patent' \
         GROUP BY enterprise_id",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// A candidate an office is cultivating towards a goal.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Mark {
    /// Id.
    pub id: String,
    /// The enterprise.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// The tier aimed at.
    pub tier: String,
    /// Who is responsible (a unit and a person, in words).
    pub owner: String,
    /// The next step agreed.
    pub next_step: String,
    /// Version.
    pub version: i64,
    /// Marked at.
    pub created_at: i64,
    /// By whom.
    pub created_by: String,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const MARK_COLUMNS: &str = "m.id, m.enterprise_id, e.name AS enterprise_name, m.tier, m.owner, m.next_step, m.version, \
    m.created_at, m.created_by, m.updated_at, m.updated_by FROM cultivation_marks m JOIN enterprises e ON e.id = m.enterprise_id";

/// The city's marks.
pub async fn marks(pool: &AnyPool, city_id: &str) -> Result<Vec<Mark>> {
    let sql = format!("SELECT {MARK_COLUMNS} WHERE m.city_id = $1 ORDER BY e.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One mark of the city.
pub async fn mark(pool: &AnyPool, city_id: &str, id: &str) -> Result<Mark> {
    crate::one_in_city(pool, format!("SELECT {MARK_COLUMNS} WHERE m.city_id = $1 AND m.id = $2"), city_id, id).await
}

/// Marks an enterprise as cultivated towards `tier`; marked twice is refused.
pub async fn create_mark(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    enterprise_id: &str,
    tier: &str,
    owner: &str,
    next_step: &str,
) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("enterprise_id", text(enterprise_id)),
        ("tier", text(tier)),
        ("owner", text(owner)),
        ("next_step", text(next_step)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    crate::insert(&mut tx, "cultivation_marks", sets)
        .await
        .map_err(unique_as("enterprise_id", "该企业已列为这一目标的重点培育对象"))?;
    let event = Event {
        action: "cultivation.mark",
        entity: "cultivation_mark",
        entity_id: Some(&id),
        before: None,
        after: None,
    };
    append_changed(&mut tx, actor, "cultivation_marks", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes the one responsible and the next step of a mark read at `version`.
pub async fn update_mark(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    owner: &str,
    next_step: &str,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("owner", text(owner)), ("next_step", text(next_step))];
    let change = Versioned { table: "cultivation_marks", id, city_id: Some(city_id), version, sets };
    let before = update_versioned(&mut tx, actor, change).await?;
    let event =
        Event { action: "cultivation.update", entity: "cultivation_mark", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "cultivation_marks", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// A follow-up note.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Note {
    /// Date, YYYY-MM-DD.
    pub noted_on: String,
    /// What was done or learnt.
    pub body: String,
    /// By whom.
    pub created_by: String,
}

/// The notes of a mark, newest first.
pub async fn notes(pool: &AnyPool, mark_id: &str) -> Result<Vec<Note>> {
    Ok(sqlx::query_as(
        "SELECT noted_on, body, created_by FROM cultivation_notes WHERE mark_id = $1 ORDER BY noted_on DESC, created_at DESC",
    )
    .bind(mark_id)
    .fetch_all(pool)
    .await?)
}

/// Adds a follow-up note to a mark.
pub async fn add_note(store: &Store, actor: &Actor, mark_id: &str, on: &str, body: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("id", text(&new_id())),
        ("mark_id", text(mark_id)),
        ("noted_on", text(on)),
        ("body", text(body)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(&mut tx, "cultivation_notes", sets).await?;
    let after = serde_json::json!({"on": on, "note": body});
    let event = Event {
        action: "cultivation.note",
        entity: "cultivation_mark",
        entity_id: Some(mark_id),
        before: None,
        after: Some(after),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}
