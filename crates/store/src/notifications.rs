//! The outbox of reminders pushed to a webhook or sent by e-mail [X2]: each reminder once a day
//! per channel, its delivery attempts and last error; a lease makes one instance of several do
//! the work.

use crate::Result;
use chainchief_domain::ids::new_id;
use sqlx::{AnyPool, FromRow};

/// A reminder to deliver.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Notification {
    /// Id.
    pub id: String,
    /// City.
    pub city_id: String,
    /// Text.
    pub body: String,
    /// Link (path).
    pub href: String,
    /// When it was gathered.
    pub created_at: i64,
    /// Delivery attempts.
    pub attempts: i64,
    /// When delivered.
    pub delivered_at: Option<i64>,
    /// The last failure.
    pub last_error: String,
    /// When the next attempt is due.
    pub next_attempt_at: i64,
    /// `webhook` or `mail`.
    pub channel: String,
}

/// A SELECT of every column of [`Notification`] followed by `$rest`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, city_id, body, href, created_at, attempts, delivered_at, last_error, next_attempt_at, channel \
             FROM notifications ",
            $rest
        )
    };
}

/// Most attempts before a reminder is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// Queues a reminder for `channel` unless one with the same key exists; returns whether it was
/// queued.
pub async fn enqueue(
    pool: &AnyPool,
    now: i64,
    city_id: &str,
    channel: &str,
    key: &str,
    body: &str,
    href: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO notifications (id, city_id, dedupe_key, body, href, created_at, attempts, delivered_at, last_error, next_attempt_at, channel) \
         SELECT $1, $2, $3, $4, $5, $6, 0, NULL, '', $6, $7 WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE dedupe_key = $3)",
    )
    .bind(new_id())
    .bind(city_id)
    .bind(key)
    .bind(body)
    .bind(href)
    .bind(now)
    .bind(channel)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Reminders of `channel` due for (another) delivery attempt.
pub async fn due(pool: &AnyPool, channel: &str, now: i64) -> Result<Vec<Notification>> {
    Ok(sqlx::query_as(select!(
        "WHERE channel = $3 AND delivered_at IS NULL AND next_attempt_at <= $1 AND attempts < $2 ORDER BY created_at LIMIT 50"
    ))
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .bind(channel)
    .fetch_all(pool)
    .await?)
}

/// The city's latest reminders, newest first.
pub async fn recent(pool: &AnyPool, city_id: &str) -> Result<Vec<Notification>> {
    Ok(sqlx::query_as(select!("WHERE city_id = $1 ORDER BY created_at DESC LIMIT 200"))
        .bind(city_id)
        .fetch_all(pool)
        .await?)
}

/// Records an attempt: delivered (an earlier failure stays on record), or failed with its error and the time of the next attempt
/// (`base_ms`, doubling with every failure).
pub async fn attempted(pool: &AnyPool, now: i64, id: &str, error: Option<&str>, base_ms: i64) -> Result<()> {
    match error {
        None => {
            sqlx::query("UPDATE notifications SET attempts = attempts + 1, delivered_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(pool)
                .await?;
        }
        Some(e) => {
            let (attempts,): (i64,) =
                sqlx::query_as("SELECT attempts FROM notifications WHERE id = $1").bind(id).fetch_one(pool).await?;
            let wait = base_ms.saturating_mul(1_i64 << attempts.clamp(0, 10));
            sqlx::query(
                "UPDATE notifications SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(e)
            .bind(now + wait)
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

/// Takes (or keeps) the named lease for `ttl_ms` when it is free, expired or already `holder`'s.
pub async fn lease(pool: &AnyPool, now: i64, name: &str, holder: &str, ttl_ms: i64) -> Result<bool> {
    let taken = sqlx::query(
        "UPDATE leases SET holder = $2, expires_at = $3 WHERE name = $1 AND (holder = $2 OR expires_at < $4)",
    )
    .bind(name)
    .bind(holder)
    .bind(now + ttl_ms)
    .bind(now)
    .execute(pool)
    .await?;
    if taken.rows_affected() > 0 {
        return Ok(true);
    }
    let inserted = sqlx::query("INSERT INTO leases (name, holder, expires_at) SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM leases WHERE name = $1)")
        .bind(name)
        .bind(holder)
        .bind(now + ttl_ms)
        .execute(pool)
        .await?;
    Ok(inserted.rows_affected() > 0)
}
