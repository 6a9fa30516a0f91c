//! Monthly figures of indicators [T2]: each value with its provenance (who, when, how, which
//! file); a correction names the version it read and keeps the old value in the history.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError};
use chainchief_domain::ids::new_id;
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

/// Records a new figure, or corrects one (with the version read); the old value goes to the history.
pub async fn record(store: &Store, actor: &Actor, f: &NewFigure) -> Result<String> {
    let ids = record_all(store, actor, std::slice::from_ref(f)).await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// Records several figures in one transaction: all of them, or none (e.g. on a conflict).
pub async fn record_all(store: &Store, actor: &Actor, figures: &[NewFigure]) -> Result<Vec<String>> {
    let mut tx = store.begin_write().await?;
    let mut ids = Vec::new();
    for f in figures {
        ids.push(record_in(&mut tx, actor, f).await?);
    }
    let mut touched: Vec<&str> = figures.iter().map(|f| f.indicator_id.as_str()).collect();
    touched.sort_unstable();
    touched.dedup();
    bump_revisions(&mut tx, &touched).await?;
    tx.commit().await?;
    Ok(ids)
}

async fn record_in(tx: &mut crate::Tx, actor: &Actor, f: &NewFigure) -> Result<String> {
    let existing: Option<Old> = sqlx::query_as(
        "SELECT id, value_scaled, version, source, source_file, updated_by, updated_at FROM indicator_values \
         WHERE indicator_id = $1 AND enterprise_key = $2 AND period = $3",
    )
    .bind(&f.indicator_id)
    .bind(&f.enterprise_key)
    .bind(&f.period)
    .fetch_optional(&mut **tx)
    .await?;
    let now = actor.at;
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
            .execute(&mut **tx)
            .await
            .map_err(crate::raced(now))?;
            id
        }
        (Some(old), Some(version)) => {
            keep_history(tx, old, now, &actor.name).await?;
            let id = &old.0;
            let sets = vec![
                ("value_scaled", crate::Val::Int(f.value_scaled)),
                ("source", crate::text(&f.source)),
                ("source_file", crate::text(&f.source_file)),
            ];
            crate::update_versioned(
                tx,
                actor,
                crate::Versioned { table: "indicator_values", id, city_id: None, version, sets },
            )
            .await?;
            id.clone()
        }
        (Some(Old(id, ..)), None) => {
            let by: (String, i64) = sqlx::query_as("SELECT updated_by, updated_at FROM indicator_values WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
            return Err(StoreError::Conflict { by: by.0, at: chainchief_domain::clock::format_millis(by.1) });
        }
    };
    let after = serde_json::json!({"indicator_id": f.indicator_id, "enterprise": f.enterprise_key, "period": f.period,
        "value_scaled": f.value_scaled, "unit": f.unit, "source": f.source, "file": f.source_file});
    let before = existing.map(|e| serde_json::json!({"value_scaled": e.1, "version": e.2}));
    append(
        tx,
        actor,
        Event { action: "figure.record", entity: "indicator_value", entity_id: Some(&id), before, after: Some(after) },
    )
    .await?;
    Ok(id)
}

/// A stored value as read before a change: id, value, version, source, file, by, at.
#[derive(FromRow)]
struct Old(String, i64, i64, String, String, String, i64);

/// A stored value with its key, as an import reads it.
#[derive(FromRow)]
struct Stored {
    enterprise_key: String,
    period: String,
    id: String,
    value_scaled: i64,
    version: i64,
    source: String,
    source_file: String,
    updated_by: String,
    updated_at: i64,
}

/// Moves the value read into the history, with who entered it and when.
async fn keep_history(tx: &mut crate::Tx, old: &Old, now: i64, by: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO indicator_value_history (id, value_id, value_scaled, source, changed_at, changed_by, entered_by, \
         entered_at, source_file) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
    )
    .bind(new_id())
    .bind(&old.0)
    .bind(old.1)
    .bind(&old.3)
    .bind(now)
    .bind(by)
    .bind(&old.5)
    .bind(old.6)
    .bind(&old.4)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Advances the revisions of the indicators written, which cached roll-ups are checked against.
async fn bump_revisions(tx: &mut crate::Tx, indicator_ids: &[&str]) -> Result<()> {
    for id in indicator_ids {
        sqlx::query(
            "INSERT INTO indicator_revisions (indicator_id, revision) VALUES ($1, 1) \
             ON CONFLICT (indicator_id) DO UPDATE SET revision = indicator_revisions.revision + 1",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A figure from an imported file.
#[derive(Debug, Clone)]
pub struct ImportedFigure {
    /// Indicator.
    pub indicator_id: String,
    /// Enterprise id, or empty.
    pub enterprise_key: String,
    /// Month.
    pub period: String,
    /// Value times 10⁴.
    pub value_scaled: i64,
    /// Unit (the indicator's own).
    pub unit: String,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// New figures.
    pub created: usize,
    /// Figures whose value changed (the old value is in the history).
    pub updated: usize,
    /// Figures already stored with the same value.
    pub unchanged: usize,
}

/// Where imported figures come from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// `imported`, or `demo` for generated demo figures.
    pub source: &'a str,
    /// The file's name.
    pub file: &'a str,
    /// Whether a figure already stored with another value is corrected (else left alone).
    pub correct: bool,
}

/// Stores checked figures of one file in one transaction: new ones inserted, changed ones
/// corrected with history, equal ones left alone (re-importing a file changes nothing).
pub async fn import(
    store: &Store,
    actor: &Actor,
    rows: &[ImportedFigure],
    origin: Origin<'_>,
) -> Result<ImportSummary> {
    let file = origin.file;
    let mut tx = store.begin_write().await?;
    let mut existing: std::collections::HashMap<(String, String, String), Old> = std::collections::HashMap::new();
    let mut indicators: Vec<&str> = rows.iter().map(|r| r.indicator_id.as_str()).collect();
    indicators.sort_unstable();
    indicators.dedup();
    let first = rows.iter().map(|r| r.period.as_str()).min().unwrap_or_default();
    let last = rows.iter().map(|r| r.period.as_str()).max().unwrap_or_default();
    for ind in indicators.iter().copied() {
        let olds: Vec<Stored> = sqlx::query_as(
            "SELECT enterprise_key, period, id, value_scaled, version, source, source_file, updated_by, updated_at \
             FROM indicator_values WHERE indicator_id = $1 AND period >= $2 AND period <= $3",
        )
        .bind(ind)
        .bind(first)
        .bind(last)
        .fetch_all(&mut *tx)
        .await?;
        for o in olds {
            let old = Old(o.id, o.value_scaled, o.version, o.source, o.source_file, o.updated_by, o.updated_at);
            existing.insert((ind.to_string(), o.enterprise_key, o.period), old);
        }
    }
    let now = actor.at;
    let mut summary = ImportSummary::default();
    let mut fresh = Vec::new();
    for r in rows {
        match existing.get(&(r.indicator_id.clone(), r.enterprise_key.clone(), r.period.clone())) {
            None => fresh.push(r),
            Some(old) if old.1 == r.value_scaled || !origin.correct => summary.unchanged += 1,
            Some(old) => {
                keep_history(&mut tx, old, now, &actor.name).await?;
                sqlx::query(
                    "UPDATE indicator_values SET value_scaled = $1, source = $2, source_file = $3, \
                     version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6",
                )
                .bind(r.value_scaled)
                .bind(origin.source)
                .bind(file)
                .bind(now)
                .bind(&actor.name)
                .bind(&old.0)
                .execute(&mut *tx)
                .await?;
                summary.updated += 1;
            }
        }
    }
    summary.created = fresh.len();
    for chunk in fresh.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO indicator_values (id, indicator_id, enterprise_key, period, value_scaled, unit, source, \
             source_file, version, updated_at, updated_by) VALUES ",
        );
        let mut vals = Vec::new();
        for (i, r) in chunk.iter().enumerate() {
            let b = i * 10;
            sql += &format!(
                "{}(${},${},${},${},${},${},${},${},1,${},${})",
                if i == 0 { "" } else { "," },
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10
            );
            vals.extend([
                crate::text(&new_id()),
                crate::text(&r.indicator_id),
                crate::text(&r.enterprise_key),
                crate::text(&r.period),
                crate::Val::Int(r.value_scaled),
                crate::text(&r.unit),
                crate::text(origin.source),
                crate::text(file),
                crate::Val::Int(now),
                crate::text(&actor.name),
            ]);
        }
        crate::bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), vals)
            .execute(&mut *tx)
            .await
            .map_err(crate::raced(now))?;
    }
    if summary.created + summary.updated > 0 {
        bump_revisions(&mut tx, &indicators).await?;
        let after = serde_json::json!({"file": file, "source": origin.source, "created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged});
        append(
            &mut tx,
            actor,
            Event {
                action: "figure.import",
                entity: "indicator_value",
                entity_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(summary)
}

/// An earlier value of a figure, with who entered it and who replaced it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Change {
    /// The value then, times 10⁴.
    pub value_scaled: i64,
    /// How it came in.
    pub source: String,
    /// File, when imported.
    pub source_file: String,
    /// Who entered it.
    pub entered_by: String,
    /// When it was entered.
    pub entered_at: i64,
    /// Who replaced it.
    pub changed_by: String,
    /// When it was replaced.
    pub changed_at: i64,
}

/// The earlier values of a figure, newest first.
pub async fn history(pool: &AnyPool, value_id: &str) -> Result<Vec<Change>> {
    Ok(sqlx::query_as(
        "SELECT value_scaled, source, source_file, entered_by, entered_at, changed_by, changed_at \
         FROM indicator_value_history WHERE value_id = $1 ORDER BY changed_at DESC",
    )
    .bind(value_id)
    .fetch_all(pool)
    .await?)
}

/// The figures of an indicator in one year, by month and enterprise.
pub async fn of_year(pool: &AnyPool, indicator_id: &str, year: i32) -> Result<Vec<crate::rollup::Entry>> {
    let sql = format!(
        "SELECT {} WHERE v.indicator_id = $1 AND v.period >= $2 AND v.period <= $3 ORDER BY v.period, v.enterprise_key",
        crate::rollup::ENTRY_COLUMNS
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(indicator_id)
        .bind(format!("{year}-01"))
        .bind(format!("{year}-12"))
        .fetch_all(pool)
        .await?)
}
