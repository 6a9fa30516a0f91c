//! The tamper-evident audit chain: every record carries the SM3 hash of its content and of
//! the record before it, so an edit, deletion or reordering breaks the chain at that record.

use sm3::{Digest, Sm3};

/// SM3 of a file's content, as hex (identifies an imported plan file).
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// Hash of the (virtual) record before the first one.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record as stored; `hash` covers every other field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the chain, 1, 2, 3 … without gaps.
    pub seq: i64,
    /// Record id.
    pub id: String,
    /// The city the event belongs to (none for system-wide events).
    pub city_id: Option<String>,
    /// When, in epoch milliseconds.
    pub at: i64,
    /// Acting user id, if known.
    pub actor_id: Option<String>,
    /// Acting user's login name (or the name tried at a failed login).
    pub actor_name: String,
    /// What happened, e.g. `chain.update`, `login.failure`, `access.denied`.
    pub action: String,
    /// Kind of record touched, e.g. `chain`.
    pub entity: String,
    /// Id of the record touched.
    pub entity_id: Option<String>,
    /// JSON of the record before the change.
    pub before: Option<String>,
    /// JSON of the record after the change.
    pub after: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// Hash of the previous record.
    pub prev_hash: String,
    /// SM3 of this record's content and `prev_hash`.
    pub hash: String,
}

impl AuditRecord {
    /// Computes the hash this record must carry.
    pub fn compute_hash(&self) -> String {
        let mut h = Sm3::new();
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        for part in [
            self.seq.to_string(),
            self.id.clone(),
            opt(&self.city_id),
            self.at.to_string(),
            opt(&self.actor_id),
            self.actor_name.clone(),
            self.action.clone(),
            self.entity.clone(),
            opt(&self.entity_id),
            opt(&self.before),
            opt(&self.after),
            opt(&self.ip),
            self.prev_hash.clone(),
        ] {
            // Length-prefix each field so that moving bytes between fields changes the hash.
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Why the audit chain is broken, at the first bad record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// A record is missing (deleted) or records were reordered.
    #[error("第{expected}条审计记录缺失或顺序被改动（实际读到第{found}条，记录 {id}）")]
    Gap {
        /// Sequence number that should come next.
        expected: i64,
        /// Sequence number found.
        found: i64,
        /// Id of the record found.
        id: String,
    },
    /// The record does not link to the one before it.
    #[error("第{seq}条审计记录（{id}）与前一条记录的链接不符，记录被删除、插入或调换")]
    BadLink {
        /// Sequence number.
        seq: i64,
        /// Record id.
        id: String,
    },
    /// The record's content does not match its hash.
    #[error("第{seq}条审计记录（{id}）的内容被修改，哈希不符")]
    BadHash {
        /// Sequence number.
        seq: i64,
        /// Record id.
        id: String,
    },
}

/// Checks records in storage order; `prev` is the hash and seq of the last record already checked.
pub fn verify_next(prev: (&str, i64), rec: &AuditRecord) -> Result<(), ChainBreak> {
    let (prev_hash, prev_seq) = prev;
    if rec.seq != prev_seq + 1 {
        return Err(ChainBreak::Gap { expected: prev_seq + 1, found: rec.seq, id: rec.id.clone() });
    }
    if rec.prev_hash != prev_hash {
        return Err(ChainBreak::BadLink { seq: rec.seq, id: rec.id.clone() });
    }
    if rec.compute_hash() != rec.hash {
        return Err(ChainBreak::BadHash { seq: rec.seq, id: rec.id.clone() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut out: Vec<AuditRecord> = Vec::new();
        let mut prev = GENESIS_HASH.to_string();
        for seq in 1..=n {
            let mut r = AuditRecord {
                seq,
                id: format!("id{seq}"),
                city_id: Some("c".into()),
                at: 1000 + seq,
                actor_id: None,
                actor_name: "office".into(),
                action: "chain.update".into(),
                entity: "chain".into(),
                entity_id: Some("x".into()),
                before: Some("{}".into()),
                after: Some(format!("{{\"n\":{seq}}}")),
                ip: None,
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            r.hash = r.compute_hash();
            prev = r.hash.clone();
            out.push(r);
        }
        out
    }

    fn verify(recs: &[AuditRecord]) -> Result<(), ChainBreak> {
        let mut prev = (GENESIS_HASH.to_string(), 0);
        for r in recs {
            verify_next((&prev.0, prev.1), r)?;
            prev = (r.hash.clone(), r.seq);
        }
        Ok(())
    }

    #[test]
    fn sm3_known_answer() {
        let d = hex::encode(Sm3::digest(b"abc"));
        assert_eq!(d, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(()));
    }

    #[test]
    fn edit_delete_reorder_are_detected() {
        let mut edited = chain(5);
        edited[2].after = Some("{\"n\":99}".into());
        assert!(matches!(verify(&edited), Err(ChainBreak::BadHash { seq: 3, .. })));

        let mut deleted = chain(5);
        deleted.remove(1);
        assert!(matches!(verify(&deleted), Err(ChainBreak::Gap { expected: 2, found: 3, .. })));

        let mut swapped = chain(5);
        swapped.swap(1, 2);
        let (a, b) = (swapped[1].seq, swapped[2].seq);
        swapped[1].seq = b;
        swapped[2].seq = a;
        assert!(matches!(
            verify(&swapped),
            Err(ChainBreak::BadLink { seq: 2, .. }) | Err(ChainBreak::BadHash { seq: 2, .. })
        ));
    }
}
