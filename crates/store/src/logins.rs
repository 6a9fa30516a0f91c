//! Failed logins, counted per account and client address before the password is checked: five
//! wrong guesses from one address lock the account for that address only, so nobody can lock
//! another person out from afar; when several addresses have been locked out on one account
//! within the lock time (a guessing spread over many machines), the account itself locks until it
//! times out or the system admin unlocks it.

use crate::{Result, Store};
use sqlx::AnyPool;

/// A login attempt counted before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted: the address's unsettled attempts on the account, this one included.
    Counted(i64),
    /// Refused unchecked: the account (or the account for this address) is locked, or as many
    /// attempts as allowed are under way.
    Refused,
}

/// The limits of failed logins.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failed attempts from one address before the account locks for it.
    pub failures: i64,
    /// How long a lock lasts, in milliseconds.
    pub lock_ms: i64,
    /// Addresses locked out on one account at once before the account itself locks.
    pub addresses: i64,
}

/// Counts an attempt on an account from `ip`, in one statement after the row exists: refused when
/// the account or the address's pair is locked, or `failures` attempts are under way from it.
pub async fn begin(store: &Store, user_id: &str, ip: &str, limits: Limits) -> Result<Attempt> {
    let now = store.clock().now_millis();
    let mut tx = store.begin_write().await?;
    let (account_lock,): (i64,) =
        sqlx::query_as("SELECT locked_until FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
    if account_lock > now {
        tx.commit().await?;
        return Ok(Attempt::Refused);
    }
    sqlx::query(
        "INSERT INTO login_failures (user_id, ip, failures, locked_until) VALUES ($1, $2, 0, 0) \
         ON CONFLICT (user_id, ip) DO NOTHING",
    )
    .bind(user_id)
    .bind(ip)
    .execute(&mut *tx)
    .await?;
    let counted = sqlx::query(
        "UPDATE login_failures SET failures = failures + 1 \
         WHERE user_id = $1 AND ip = $2 AND locked_until <= $3 AND failures < $4",
    )
    .bind(user_id)
    .bind(ip)
    .bind(now)
    .bind(limits.failures)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let attempt = if counted == 1 {
        let (n,): (i64,) = sqlx::query_as("SELECT failures FROM login_failures WHERE user_id = $1 AND ip = $2")
            .bind(user_id)
            .bind(ip)
            .fetch_one(&mut *tx)
            .await?;
        Attempt::Counted(n)
    } else {
        Attempt::Refused
    };
    tx.commit().await?;
    Ok(attempt)
}

/// How a settled attempt left the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Signed in, or a failure below the limit.
    Open,
    /// The account is now locked for this address.
    LockedForAddress,
    /// The account is now locked for everyone.
    LockedAccount,
}

/// Settles a counted attempt: a right one clears the address's count; a wrong one that reaches
/// the limit locks the account for the address, and for everyone when enough addresses are locked.
pub async fn settle(store: &Store, user_id: &str, ip: &str, right: bool, limits: Limits) -> Result<Settled> {
    let now = store.clock().now_millis();
    let mut tx = store.begin_write().await?;
    let settled = if right {
        sqlx::query("DELETE FROM login_failures WHERE user_id = $1 AND ip = $2")
            .bind(user_id)
            .bind(ip)
            .execute(&mut *tx)
            .await?;
        Settled::Open
    } else {
        let locked = sqlx::query(
            "UPDATE login_failures SET failures = 0, locked_until = $1 WHERE user_id = $2 AND ip = $3 AND failures >= $4",
        )
        .bind(now + limits.lock_ms)
        .bind(user_id)
        .bind(ip)
        .bind(limits.failures)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let (spread,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE user_id = $1 AND locked_until > $2")
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
        if locked && spread >= limits.addresses {
            sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
                .bind(now + limits.lock_ms)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            Settled::LockedAccount
        } else if locked {
            Settled::LockedForAddress
        } else {
            Settled::Open
        }
    };
    tx.commit().await?;
    Ok(settled)
}

/// The accounts of a city locked now, for everyone or for some address.
pub async fn locked(pool: &AnyPool, city_id: &str, now: i64) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM users WHERE city_id = $1 AND locked_until > $2 UNION \
         SELECT f.user_id FROM login_failures f JOIN users u ON u.id = f.user_id WHERE u.city_id = $1 AND f.locked_until > $2",
    )
    .bind(city_id)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
