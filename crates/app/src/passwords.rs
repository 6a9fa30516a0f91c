//! Passwords hashed with Argon2id; only the hash is stored. Hashing runs on a few threads of its
//! own — one per core — so that however many logins come at once, no more Argon2 memories
//! (19 MiB each) are ever held, nor kept by the allocator of many threads.

use crate::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, LazyLock, Mutex};

/// Hashes a password with Argon2id and a fresh salt.
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hash: {e}")))
}

/// Whether `password` matches the stored `hash` (false for a malformed hash).
pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, fed through one queue.
static HASHERS: LazyLock<Mutex<Sender<Job>>> = LazyLock::new(|| {
    let (jobs, queue) = channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
        let queue = Arc::clone(&queue);
        let _ = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || {
            loop {
                let job = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => break,
                }
            }
        });
    }
    Mutex::new(jobs)
});

/// [`verify`] on the hashing threads, awaited without holding a request thread.
pub async fn verify_off_thread(password: String, hash: String) -> Result<bool> {
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(verify(&password, &hash));
    });
    HASHERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .send(job)
        .map_err(|e| Error::Internal(format!("password check: {e}")))?;
    answer.await.map_err(|e| Error::Internal(format!("password check: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("Test-Pass-2026").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("Test-Pass-2026", &h));
        assert!(!super::verify("test-pass-2026", &h));
        assert!(!super::verify("Test-Pass-2026", "not a hash"));
    }

    #[tokio::test]
    async fn checks_run_on_the_hashing_threads() {
        let h = super::hash("Test-Pass-2026").expect("hash");
        let checks: Vec<_> = (0..4)
            .map(|i| super::verify_off_thread(if i % 2 == 0 { "Test-Pass-2026" } else { "x" }.into(), h.clone()))
            .collect();
        let mut answers = Vec::new();
        for c in checks {
            answers.push(c.await.expect("check"));
        }
        assert_eq!(answers, vec![true, false, true, false]);
    }
}
