//! The login gate: attempts are rate-limited per client address and per account name before any
//! password is hashed, and at most as many hashes run at once as the machine has cores, with a
//! short queue; whatever is over is answered 429 with Retry-After at once, so a flood of logins
//! costs neither memory nor the other requests' time.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How many attempts a client address or an account name may make in a burst, and how many
/// seconds one attempt takes to come back (`web.login_burst`, `web.login_refill_seconds`).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Attempts in a burst.
    pub burst: f64,
    /// Seconds for one attempt to come back.
    pub refill_seconds: f64,
}
/// Addresses and names remembered at most; the oldest are forgotten beyond.
const REMEMBERED: usize = 20_000;

/// A token bucket: how many attempts are left, as of when.
#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

/// Buckets by key, bounded.
#[derive(Default)]
struct Buckets(HashMap<String, Bucket>);

impl Buckets {
    /// Takes one attempt for `key` at `now_ms`; or the seconds until one is back.
    fn take(&mut self, key: &str, now_ms: i64, limit: Limit) -> Result<(), u64> {
        if self.0.len() >= REMEMBERED && !self.0.contains_key(key) {
            // Forget the buckets that are full again, else the oldest half.
            self.0.retain(|_, b| refilled(*b, now_ms, limit) < limit.burst);
            if self.0.len() >= REMEMBERED {
                let mut ages: Vec<i64> = self.0.values().map(|b| b.at_ms).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 2];
                self.0.retain(|_, b| b.at_ms > cut);
            }
        }
        let bucket = self.0.entry(key.to_string()).or_insert(Bucket { tokens: limit.burst, at_ms: now_ms });
        let tokens = refilled(*bucket, now_ms, limit);
        if tokens < 1.0 {
            return Err(((1.0 - tokens) * limit.refill_seconds).ceil().max(1.0) as u64);
        }
        *bucket = Bucket { tokens: tokens - 1.0, at_ms: now_ms };
        Ok(())
    }
}

fn refilled(b: Bucket, now_ms: i64, limit: Limit) -> f64 {
    (b.tokens + (now_ms - b.at_ms).max(0) as f64 / 1000.0 / limit.refill_seconds.max(0.001)).min(limit.burst)
}

/// The buckets of client addresses and of account names.
static ADDRESSES: LazyLock<Mutex<Buckets>> = LazyLock::new(Mutex::default);
static NAMES: LazyLock<Mutex<Buckets>> = LazyLock::new(Mutex::default);

/// Password hashes running at once: one per core.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));
/// Logins waiting for a hashing slot at most, beyond those hashing.
static WAITING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(4 * HASHING.available_permits().max(1)));

/// Lets an attempt from `address` on account `name` through, or says in how many seconds to retry.
/// Known and unknown names are counted alike.
pub fn admit(address: &str, name: &str, now_ms: i64, limit: Limit) -> Result<(), u64> {
    let lock = |m: &'static LazyLock<Mutex<Buckets>>| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    lock(&ADDRESSES).take(address, now_ms, limit)?;
    lock(&NAMES).take(&name.trim().to_lowercase(), now_ms, limit)
}

/// A slot to hash a password in, waited for in a short queue; none (retry in a second) when the
/// queue is full.
pub async fn hashing_slot() -> Result<SemaphorePermit<'static>, u64> {
    let _waiting = WAITING.try_acquire().map_err(|_| 1u64)?;
    HASHING.acquire().await.map_err(|_| 1u64)
}

#[cfg(test)]
mod tests {
    use super::{Buckets, Limit};

    const LIMIT: Limit = Limit { burst: 10.0, refill_seconds: 6.0 };

    #[test]
    fn a_burst_is_allowed_then_attempts_come_back_with_time() {
        let mut b = Buckets::default();
        for _ in 0..10 {
            assert_eq!(b.take("10.0.0.1", 0, LIMIT), Ok(()));
        }
        assert_eq!(b.take("10.0.0.1", 0, LIMIT), Err(6), "the eleventh waits for one to come back");
        assert_eq!(b.take("10.0.0.2", 0, LIMIT), Ok(()), "another address has its own");
        assert_eq!(b.take("10.0.0.1", 3_000, LIMIT), Err(3));
        assert_eq!(b.take("10.0.0.1", 6_000, LIMIT), Ok(()));
    }

    #[test]
    fn the_remembered_keys_stay_bounded() {
        let mut b = Buckets::default();
        for i in 0..(super::REMEMBERED + 10) {
            let _ = b.take(&format!("k{i}"), i as i64, LIMIT);
        }
        assert!(b.0.len() <= super::REMEMBERED, "{}", b.0.len());
    }
}
