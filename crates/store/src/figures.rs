//! Monthly figures of indicators [T2]: each value with its provenance (who, when, how, which
//! file); a correction names the version it read and keeps the old value in the history.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError};
use chainchief_domain::ids::{new_id, now_millis};
use sqlx::{AnyPool, FromRow};

/// A figure to record.
#[derive(Debug, Clone)]
pub struct NewFigure {
    /// Indicator.
    pub indicator_id: String,
    /// Enterprise id for enterprise figures, empty for chain/park/city figures.
    pub enterprise_key: String,
    /// Month, `YYYY-MM`.
    pub period: String,
    /// Value times 10⁴, in `unit`.
    pub value_scaled: i64,
    /// Unit symbol (the indicator's own; never converted).
    pub unit: String,
    /// `entered` or `imported`.
    pub source: String,
    /// The imported file's name.
    pub source_file: String,
    /// For a correction: the version read.
    pub version: Option<i64>,
}

/// A stored figure.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Figure {
    /// Id.
    pub id: String,
    /// Enterprise key.
    pub enterprise_key: String,
    /// Month.
    pub period: String,
    /// Value times 10⁴.
    pub value_scaled: i64,
    /// Unit.
    pub unit: String,
    /// How it came in.
    pub source: String,
    /// File, when imported.
    pub source_file: String,
    /// Row version.
    pub version: i64,
    /// When.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

/// Records a new figure, or corrects one (with the version read); the old value goes to the history.
pub async fn record(store: &Store, actor: &Actor, f: &NewFigure) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let existing: Option<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT id, value_scaled, version, source FROM indicator_values WHERE indicator_id = $1 AND enterprise_key = $2 AND period = $3",
    )
    .bind(&f.indicator_id)
    .bind(&f.enterprise_key)
    .bind(&f.period)
    .fetch_optional(&mut *tx)
    .await?;
    let now = now_millis();
    let id = match (&existing, f.version) {
        (None, _) => {
            let id = new_id();
            sqlx::query(
                "INSERT INTO indicator_values (id, indicator_id, enterprise_key, period, value_scaled, unit, source, source_file, \
                 version, updated_at, updated_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1,$9,$10)",
            )
            .bind(&id)
            .bind(&f.indicator_id)
            .bind(&f.enterprise_key)
            .bind(&f.period)
            .bind(f.value_scaled)
            .bind(&f.unit)
            .bind(&f.source)
            .bind(&f.source_file)
            .bind(now)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
            id
        }
        (Some((id, old, _, old_source)), Some(version)) => {
            sqlx::query(
                "INSERT INTO indicator_value_history (id, value_id, value_scaled, source, changed_at, changed_by) \
                 VALUES ($1,$2,$3,$4,$5,$6)",
            )
            .bind(new_id())
            .bind(id)
            .bind(old)
            .bind(old_source)
            .bind(now)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await?;
            let sets = vec![
                ("value_scaled", crate::Val::Int(f.value_scaled)),
                ("source", crate::text(&f.source)),
                ("source_file", crate::text(&f.source_file)),
            ];
            crate::update_versioned(
                &mut tx,
                actor,
                crate::Versioned { table: "indicator_values", id, city_id: None, version, sets },
            )
            .await?;
            id.clone()
        }
        (Some((id, _, _, _)), None) => {
            let by: (String, i64) = sqlx::query_as("SELECT updated_by, updated_at FROM indicator_values WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            return Err(StoreError::Conflict { by: by.0, at: chainchief_domain::ids::format_millis(by.1) });
        }
    };
    let after = serde_json::json!({"indicator_id": f.indicator_id, "enterprise": f.enterprise_key, "period": f.period,
        "value_scaled": f.value_scaled, "unit": f.unit, "source": f.source, "file": f.source_file});
    let before = existing.map(|e| serde_json::json!({"value_scaled": e.1, "version": e.2}));
    append(
        &mut tx,
        actor,
        Event { action: "figure.record", entity: "indicator_value", entity_id: Some(&id), before, after: Some(after) },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Every figure of an indicator, by month.
pub async fn of_indicator(pool: &AnyPool, indicator_id: &str) -> Result<Vec<Figure>> {
    Ok(sqlx::query_as(
        "SELECT id, enterprise_key, period, value_scaled, unit, source, source_file, version, updated_at, updated_by \
         FROM indicator_values WHERE indicator_id = $1 ORDER BY period, enterprise_key",
    )
    .bind(indicator_id)
    .fetch_all(pool)
    .await?)
}
