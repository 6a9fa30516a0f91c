//! Time-based one-time passwords (TOTP, RFC 6238 over HOTP, RFC 4226): the second factor of an
//! account, 6 digits from HMAC-SHA1 over 30-second steps, with its secret written in base32.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;

/// Digits of a code.
pub const DIGITS: u32 = 6;

/// The HOTP value of `secret` at `counter` with `digits` digits (RFC 4226 §5.3).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else { return 0 };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    binary % 10_u32.pow(digits)
}

/// The time step of a moment in epoch milliseconds.
pub fn step_of(now_millis: i64) -> i64 {
    now_millis.div_euclid(1000).div_euclid(STEP_SECONDS)
}

/// Checks a typed code against the secret at `now_millis`, allowing one step of clock drift
/// either way; a step at or before `last_step` (a code already used) is refused. Returns the
/// step the code belongs to.
pub fn verify(secret: &[u8], code: &str, now_millis: i64, last_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = code.parse().ok()?;
    let now = step_of(now_millis);
    [now - 1, now, now + 1]
        .into_iter()
        .filter(|s| *s > last_step && *s >= 0)
        .find(|s| hotp(secret, *s as u64, DIGITS) == typed)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648, no padding), as authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(ALPHABET[((buffer >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 (case, spaces and padding ignored); `None` on any other character.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=' && *c != '-') {
        let v = ALPHABET.iter().position(|a| char::from(*a) == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The `otpauth://` address an authenticator app reads, naming the issuer and the account.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (8 digits, the 20-byte ASCII key "12345678901234567890").
    #[test]
    fn rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59_i64, 94_287_082_u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(hotp(key, (t / STEP_SECONDS) as u64, 8), want, "T={t}");
        }
    }

    /// RFC 4226 Appendix D: HOTP values for counters 0–9.
    #[test]
    fn rfc_4226_test_vectors() {
        let want = [755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871, 520_489];
        for (counter, w) in want.iter().enumerate() {
            assert_eq!(hotp(b"12345678901234567890", counter as u64, 6), *w, "counter {counter}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_a_step_of_drift() {
        let key = b"12345678901234567890";
        let now = 1_111_111_111_000;
        let code = format!("{:06}", hotp(key, step_of(now) as u64, DIGITS));
        let step = verify(key, &code, now, 0).expect("accepted");
        assert_eq!(verify(key, &code, now, step), None, "used once");
        assert_eq!(verify(key, &code, now + 30_000, 0), Some(step), "a step late");
        assert_eq!(verify(key, &code, now + 90_000, 0), None, "three steps late");
        assert_eq!(verify(key, "12345", now, 0), None);
        assert_eq!(verify(key, "12a456", now, 0), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("mzxw 6ytb oi==").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(from_base32("M1"), None);
        let bytes: Vec<u8> = (0..20).collect();
        assert_eq!(from_base32(&base32(&bytes)), Some(bytes));
    }
}
