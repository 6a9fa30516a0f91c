//! The audit chain's anchors outside the database: a key file (32 random bytes, readable by the
//! server's user only) and an anchor file to which the server appends the chain's head, signed
//! with the key, every minute it moved; a backup gets a digest file with the backup's hash and
//! head, signed the same way. `audit verify` and `restore` check the database against them.

use crate::config::Config;
use anyhow::{Context as _, bail};
use chainchief_domain::anchor::{self, Anchor, hmac_sm3};
use chainchief_domain::audit::content_hash;
use chainchief_store::Store;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The key and the anchor file of a deployment.
#[derive(Debug, Clone)]
pub struct Anchoring {
    key: Vec<u8>,
    file: PathBuf,
}

/// The SQLite file of a database URL, if it is one.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

impl Anchoring {
    /// The settings' key and anchor files (next to an SQLite database when not set); none for a
    /// server database without them set. The key is created on first use.
    pub fn of(cfg: &Config) -> anyhow::Result<Option<Anchoring>> {
        let beside = |suffix: &str| sqlite_path(&cfg.database_url).map(|p| with_suffix(&p, suffix));
        let pick = |set: &str, suffix: &str| if set.is_empty() { beside(suffix) } else { Some(PathBuf::from(set)) };
        let (Some(key_file), Some(file)) =
            (pick(&cfg.audit_key_file, ".audit-key"), pick(&cfg.audit_anchor_file, ".audit-anchor"))
        else {
            return Ok(None);
        };
        Ok(Some(Anchoring { key: key(&key_file)?, file }))
    }

    /// The anchors written so far, each checked against the key.
    pub fn read(&self) -> anyhow::Result<Vec<Anchor>> {
        let text = match std::fs::read_to_string(&self.file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("无法读取审计锚点文件 {}", self.file.display())),
        };
        Ok(anchor::read_file(&text, &self.key)?)
    }

    /// Appends the chain's head if it moved since the last anchor, and syncs the file.
    pub async fn anchor(&self, store: &Store) -> anyhow::Result<()> {
        let (seq, hash) = chainchief_store::audit::head(store.pool()).await?;
        if self.read()?.last().is_some_and(|a| a.seq == seq && a.hash == hash) {
            return Ok(());
        }
        let mut f = private(std::fs::OpenOptions::new().create(true).append(true))
            .open(&self.file)
            .with_context(|| format!("无法写入审计锚点文件 {}", self.file.display()))?;
        writeln!(f, "{}", Anchor::sign(&self.key, seq, &hash).line())?;
        f.sync_all()?;
        Ok(())
    }

    /// Writes the digest of a backup file beside it: its hash and its chain's head, signed.
    pub fn write_digest(&self, backup: &Path, head: (i64, &str)) -> anyhow::Result<PathBuf> {
        let digest = digest_path(backup);
        let text = self.digest_text(&content_hash(&std::fs::read(backup)?), head);
        let mut f = private(std::fs::OpenOptions::new().create_new(true).write(true)).open(&digest)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        Ok(digest)
    }

    /// Checks a backup against its digest; returns the head the restored chain must end at.
    pub fn check_digest(&self, backup: &Path) -> anyhow::Result<Anchor> {
        let digest = digest_path(backup);
        let text = std::fs::read_to_string(&digest)
            .with_context(|| format!("找不到备份的摘要文件 {}：无法证明备份未被改动，不予恢复", digest.display()))?;
        let hash = content_hash(&std::fs::read(backup)?);
        let head = text
            .lines()
            .find_map(|l| l.strip_prefix("audit-head "))
            .and_then(Anchor::parse)
            .context("摘要文件格式不对")?;
        if text != self.digest_text(&hash, (head.seq, &head.hash)) {
            bail!("备份文件与摘要 {} 不符（文件被改动，或摘要不是本系统密钥签发的），不予恢复", digest.display());
        }
        Ok(head)
    }

    fn digest_text(&self, file_hash: &str, (seq, hash): (i64, &str)) -> String {
        let head = Anchor::sign(&self.key, seq, hash);
        let mac = hmac_sm3(&self.key, format!("{file_hash}:{}", head.line()).as_bytes());
        format!("file-sm3 {file_hash}\naudit-head {}\nmac {mac}\n", head.line())
    }
}

/// The digest file of a backup.
pub fn digest_path(backup: &Path) -> PathBuf {
    with_suffix(backup, ".digest")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Open options that create a file readable and writable by its owner only.
fn private(o: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(o, 0o600);
    o
}

/// Reads the key file, or creates it with a fresh random key.
fn key(path: &Path) -> anyhow::Result<Vec<u8>> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let key = hex::decode(text.trim()).ok().filter(|k| k.len() >= 32);
            key.with_context(|| format!("审计密钥文件 {} 内容无效", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use rand::RngCore;
            let mut key = vec![0_u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut f = private(std::fs::OpenOptions::new().create_new(true).write(true))
                .open(path)
                .with_context(|| format!("无法创建审计密钥文件 {}", path.display()))?;
            f.write_all(hex::encode(&key).as_bytes())?;
            f.sync_all()?;
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("无法读取审计密钥文件 {}", path.display())),
    }
}
