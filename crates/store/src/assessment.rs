//! Assessment of chain offices [O4]: hand-entered scores with evidence, published rounds.

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store};
use sqlx::AnyPool;

/// (chain id, item code, score ×100, evidence, by) of a round's hand-entered scores.
pub async fn scores(pool: &AnyPool, city_id: &str, round: &str) -> Result<Vec<(String, String, i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT chain_id, item_code, score, evidence, updated_by FROM assessment_scores WHERE city_id = $1 AND round = $2",
    )
    .bind(city_id)
    .bind(round)
    .fetch_all(pool)
    .await?)
}

/// A hand-entered score.
#[derive(Debug, Clone)]
pub struct Score<'a> {
    /// Round, e.g. 2026 or 2026-H1.
    pub round: &'a str,
    /// The chain whose office is scored.
    pub chain_id: &'a str,
    /// Item code.
    pub item: &'a str,
    /// Score ×100.
    pub score: i64,
    /// Evidence.
    pub evidence: &'a str,
}

/// Sets a hand-entered score with its evidence (replacing an earlier one; audited).
pub async fn set_score(store: &Store, actor: &Actor, city_id: &str, s: &Score<'_>) -> Result<()> {
    let (round, chain_id, item, score, evidence) = (s.round, s.chain_id, s.item, s.score, s.evidence);
    let mut tx = store.begin_write().await?;
    let now = actor.at;
    let key = [("city_id", city_id), ("round", round), ("chain_id", chain_id), ("item_code", item)];
    let before = crate::audit::image(&mut tx, "assessment_scores", &key).await?;
    let done = sqlx::query(
        "UPDATE assessment_scores SET score = $5, evidence = $6, updated_at = $7, updated_by = $8 \
         WHERE city_id = $1 AND round = $2 AND chain_id = $3 AND item_code = $4",
    )
    .bind(city_id)
    .bind(round)
    .bind(chain_id)
    .bind(item)
    .bind(score)
    .bind(evidence)
    .bind(now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO assessment_scores (city_id, round, chain_id, item_code, score, evidence, updated_at, updated_by) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(city_id)
        .bind(round)
        .bind(chain_id)
        .bind(item)
        .bind(score)
        .bind(evidence)
        .bind(now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
    }
    let event =
        Event { action: "assessment.score", entity: "assessment", entity_id: Some(chain_id), before, after: None };
    append_changed(&mut tx, actor, "assessment_scores", &key, event).await?;
    tx.commit().await?;
    Ok(())
}
