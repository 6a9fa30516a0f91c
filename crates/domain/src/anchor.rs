//! Anchors of the audit chain outside the database: the chain's head (its last sequence number
//! and hash) signed with HMAC-SM3 under a key kept in a file, so that whoever can write the
//! database but not read the key cannot recompute the chain, cut its tail, or pass off an altered
//! backup. Anchors are appended to a file as the chain grows; a backup carries one in its digest.

use sm3::{Digest, Sm3};

/// SM3's block size in bytes, for HMAC.
const BLOCK: usize = 64;

/// HMAC-SM3 (RFC 2104 over GB/T 32905) of `message` under `key`, as hex.
pub fn hmac_sm3(key: &[u8], message: &[u8]) -> String {
    let mut k = [0_u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sm3::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sm3::new().chain_update(pad(0x36)).chain_update(message).finalize();
    hex::encode(Sm3::new().chain_update(pad(0x5c)).chain_update(inner).finalize())
}

/// The chain's head at one moment, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Sequence number of the last record.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// HMAC-SM3 of `seq:hash` under the audit key.
    pub mac: String,
}

impl Anchor {
    /// The head `seq`/`hash` signed with `key`.
    pub fn sign(key: &[u8], seq: i64, hash: &str) -> Anchor {
        Anchor { seq, hash: hash.to_string(), mac: hmac_sm3(key, format!("{seq}:{hash}").as_bytes()) }
    }

    /// Whether the signature is the key's.
    pub fn is_signed_by(&self, key: &[u8]) -> bool {
        Anchor::sign(key, self.seq, &self.hash).mac == self.mac
    }

    /// One line of an anchor file: `seq hash mac`.
    pub fn line(&self) -> String {
        format!("{} {} {}", self.seq, self.hash, self.mac)
    }

    /// Reads a line written by [`Anchor::line`].
    pub fn parse(line: &str) -> Option<Anchor> {
        let mut parts = line.split_whitespace();
        let seq = parts.next()?.parse().ok()?;
        let hash = parts.next()?.to_string();
        let mac = parts.next()?.to_string();
        parts.next().is_none().then_some(Anchor { seq, hash, mac })
    }
}

/// Why anchors refuse a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    /// A line of the anchor file is not one the key signed.
    #[error("审计锚点文件第{line}行不是本系统密钥签发的（锚点文件被改动，或密钥不对）")]
    Forged {
        /// Line number, from 1.
        line: usize,
    },
    /// The chain is shorter than an anchor says it was: its tail was cut.
    #[error("审计日志曾有第{seq}条记录（锚点为证），现在只到第{head}条：末尾记录被删除")]
    Cut {
        /// Anchored sequence number.
        seq: i64,
        /// The chain's head now.
        head: i64,
    },
    /// The chain's record at an anchored sequence number has another hash: it was rewritten.
    #[error("第{seq}条审计记录与锚点记下的哈希不符：审计日志被改写后重算")]
    Rewritten {
        /// Anchored sequence number.
        seq: i64,
    },
}

/// Reads an anchor file's lines, each checked against the key.
pub fn read_file(text: &str, key: &[u8]) -> Result<Vec<Anchor>, AnchorBreak> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Anchor::parse(l).filter(|a| a.is_signed_by(key)).ok_or(AnchorBreak::Forged { line: i + 1 }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked against `openssl dgst -sm3 -hmac`.
    #[test]
    fn hmac_sm3_matches_openssl() {
        assert_eq!(
            hmac_sm3(b"Jefe", b"what do ya want for nothing?"),
            "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"
        );
        assert_eq!(hmac_sm3(b"key", b"abc"), "28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393");
    }

    #[test]
    fn an_anchor_line_round_trips_and_refuses_another_key() {
        let a = Anchor::sign(b"k1", 42, "ab12");
        assert_eq!(Anchor::parse(&a.line()), Some(a.clone()));
        assert!(a.is_signed_by(b"k1"));
        assert!(!a.is_signed_by(b"k2"));
        let forged = format!("{}\n43 cd34 {}\n", a.line(), a.mac);
        assert_eq!(read_file(&forged, b"k1"), Err(AnchorBreak::Forged { line: 2 }));
    }
}
