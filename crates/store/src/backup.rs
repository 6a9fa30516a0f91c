//! Backup and restore. A backup is always an SQLite file: `VACUUM INTO` on SQLite, a copy
//! from one repeatable-read snapshot on PostgreSQL. Restore copies every row into an empty
//! database of either engine and proves the copy by row counts and content hashes.

use crate::{Backend, Result, Store, StoreError};
use sm3_hash::Hasher;
use sqlx::{AnyPool, Row};

use crate::tables::{Col, TABLES};

/// Row count and content hash of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    /// Table name.
    pub table: &'static str,
    /// Rows.
    pub rows: i64,
    /// SM3 over every row in key order.
    pub hash: String,
}

/// One value read generically.
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
}

fn select_sql(table: &str, cols: &[(&str, Col)]) -> String {
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let order: Vec<&str> = names.iter().take(3).copied().collect();
    format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), order.join(", "))
}

fn read_row(row: &sqlx::any::AnyRow, cols: &[(&str, Col)]) -> Result<Vec<Value>> {
    cols.iter()
        .enumerate()
        .map(|(i, (_, ty))| {
            Ok(match ty {
                Col::Text => Value::Text(row.try_get(i)?),
                Col::Int => Value::Int(row.try_get(i)?),
            })
        })
        .collect()
}

/// Counts and hashes every table.
pub async fn digest(pool: &AnyPool) -> Result<Vec<TableDigest>> {
    let mut out = Vec::new();
    for (table, cols) in TABLES {
        let rows = sqlx::query(sqlx::AssertSqlSafe(select_sql(table, cols))).fetch_all(pool).await?;
        let mut h = Hasher::new();
        for row in &rows {
            for v in read_row(row, cols)? {
                match v {
                    Value::Text(Some(s)) => h.field(b"t", s.as_bytes()),
                    Value::Int(Some(i)) => h.field(b"i", i.to_string().as_bytes()),
                    Value::Text(None) | Value::Int(None) => h.field(b"n", b""),
                }
            }
        }
        out.push(TableDigest { table, rows: rows.len() as i64, hash: h.finish() });
    }
    Ok(out)
}

/// Writes a consistent backup of `store` to the SQLite file `path` (which must not exist).
pub async fn backup(store: &Store, path: &std::path::Path) -> Result<Vec<TableDigest>> {
    if path.exists() {
        return Err(StoreError::Invalid(format!("备份文件 {} 已存在，请换一个文件名", path.display())));
    }
    match store.backend() {
        Backend::Sqlite => {
            let target = path.to_string_lossy().replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{target}'"))).execute(store.pool()).await?;
        }
        Backend::Postgres => {
            let file = Store::connect(&sqlite_url(path)).await?;
            file.migrate().await?;
            let mut snap = store.pool().begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
            copy_tables(&mut snap, &file).await?;
            snap.commit().await?;
            file.close().await;
        }
    }
    let file = Store::connect(&sqlite_url(path)).await?;
    let d = digest(file.pool()).await;
    file.close().await;
    d
}

/// Restores the backup file into `target`, which must hold no data yet; returns the verified digests.
pub async fn restore(target: &Store, path: &std::path::Path) -> Result<Vec<TableDigest>> {
    if !path.exists() {
        return Err(StoreError::Invalid(format!("找不到备份文件 {}", path.display())));
    }
    let mut source = Store::connect(&format!("{}?mode=ro", sqlite_url(path))).await?;
    let (from_version,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetch_one(source.pool()).await?;
    let known = crate::MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0);
    if from_version > known {
        return Err(StoreError::Invalid(format!(
            "备份的数据库结构版本（{from_version}）比本程序（{known}）新，请用新版程序恢复"
        )));
    }
    // An older backup is brought up to this version on a scratch copy, never in place.
    let _scratch = if from_version < known {
        source.close().await;
        let dir = tempfile_dir(path)?;
        let copy = dir.join("upgraded-backup.db");
        std::fs::copy(path, &copy).map_err(|e| StoreError::Invalid(format!("无法复制备份文件：{e}")))?;
        source = Store::connect(&sqlite_url(&copy)).await?;
        source.migrate().await?;
        Some(ScratchDir(dir))
    } else {
        None
    };
    target.migrate().await?;
    let (used,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cities) + (SELECT COUNT(*) FROM users) + \
                                          (SELECT COUNT(*) FROM audit_log)",
    )
    .fetch_one(target.pool())
    .await?;
    if used > 0 {
        return Err(StoreError::Invalid("目标数据库已有数据，只能恢复到空数据库".into()));
    }
    let mut tx = target.begin_write().await?;
    for table in ["audit_head", "schema_migrations"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
    }
    let mut src = source.pool().begin().await?;
    copy_rows(&mut src, &mut tx).await?;
    src.commit().await?;
    tx.commit().await?;
    let want = digest(source.pool()).await?;
    source.close().await;
    let got = digest(target.pool()).await?;
    if let Some((w, g)) = want.iter().zip(&got).find(|(w, g)| w != g) {
        return Err(StoreError::Invalid(format!(
            "恢复校验失败：表 {} 备份中有{}行，恢复后有{}行（或内容哈希不符）",
            w.table, w.rows, g.rows
        )));
    }
    Ok(got)
}

/// A directory removed when dropped.
struct ScratchDir(std::path::PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempfile_dir(near: &std::path::Path) -> Result<std::path::PathBuf> {
    let base = std::env::temp_dir();
    let name = format!("chainchief-restore-{}", chainchief_domain::ids::new_id());
    let dir = base.join(name);
    std::fs::create_dir_all(&dir)
        .map_err(|e| StoreError::Invalid(format!("无法为 {} 创建临时目录：{e}", near.display())))?;
    Ok(dir)
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn copy_tables(snap: &mut crate::Tx, file: &Store) -> Result<()> {
    let mut tx = file.begin_write().await?;
    for table in ["audit_head", "schema_migrations"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
    }
    copy_rows(snap, &mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Copies every row of every table from one open transaction into another.
async fn copy_rows(from: &mut crate::Tx, to: &mut crate::Tx) -> Result<()> {
    for (table, cols) in TABLES {
        let rows = sqlx::query(sqlx::AssertSqlSafe(select_sql(table, cols))).fetch_all(&mut **from).await?;
        let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), marks.join(", "));
        for row in &rows {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.clone()));
            for v in read_row(row, cols)? {
                q = match v {
                    Value::Text(s) => q.bind(s),
                    Value::Int(i) => q.bind(i),
                };
            }
            q.execute(&mut **to).await?;
        }
    }
    Ok(())
}

mod sm3_hash {
    use sm3::{Digest, Sm3};

    /// Length-prefixed field hashing, so that values cannot run into each other.
    pub struct Hasher(Sm3);

    impl Hasher {
        pub fn new() -> Self {
            Hasher(Sm3::new())
        }

        pub fn field(&mut self, tag: &[u8], bytes: &[u8]) {
            self.0.update(tag);
            self.0.update((bytes.len() as u64).to_be_bytes());
            self.0.update(bytes);
        }

        pub fn finish(self) -> String {
            hex_string(&self.0.finalize())
        }
    }

    fn hex_string(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table list that backups copy must name every table and column the migrations create.
    #[tokio::test]
    async fn table_list_matches_the_schema() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display())).await.expect("connect");
        store.migrate().await.expect("migrate");
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(store.pool())
        .await
        .expect("tables");
        let mut listed: Vec<&str> = TABLES.iter().map(|t| t.0).collect();
        listed.sort_unstable();
        let actual: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(actual, listed);
        for (table, cols) in TABLES {
            let sql = format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid");
            let real: Vec<(String, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(store.pool()).await.expect("columns");
            let real: Vec<(String, Col)> =
                real.into_iter().map(|(n, t)| (n, if t.contains("INT") { Col::Int } else { Col::Text })).collect();
            let want: Vec<(String, Col)> = cols.iter().map(|(n, c)| (n.to_string(), *c)).collect();
            assert_eq!(real, want, "columns of {table}");
        }
        store.close().await;
    }
}
