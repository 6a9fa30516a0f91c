//! Backup and restore. A backup is always an SQLite file: `VACUUM INTO` on SQLite, a copy
//! from one repeatable-read snapshot on PostgreSQL. Restore copies every row into an empty
//! database of either engine and proves the copy by row counts and content hashes.

use crate::{Backend, Result, Store, StoreError};
use sm3_hash::Hasher;
use sqlx::{AnyPool, Row};

/// The type of a stored column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// Text (nullable or not).
    Text,
    /// 64-bit integer (nullable or not).
    Int,
}

use Col::{Int, Text};

/// Every table with its columns, parents before children; the first column orders the rows.
pub const TABLES: &[(&str, &[(&str, Col)])] = &[
    ("schema_migrations", &[("version", Int), ("name", Text), ("applied_at", Int)]),
    (
        "cities",
        &[
            ("id", Text),
            ("code", Text),
            ("name", Text),
            ("province", Text),
            ("prefecture", Text),
            ("plan_title", Text),
            ("plan_issuer", Text),
            ("plan_issued", Text),
            ("plan_doc_number", Text),
            ("start_year", Int),
            ("target_year", Int),
            ("plan_hash", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "parks",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("name", Text),
            ("short_name", Text),
            ("parent_id", Text),
            ("description", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "units",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("name", Text),
            ("short_name", Text),
            ("kind", Text),
            ("park_id", Text),
            ("host_id", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    ("unit_members", &[("group_id", Text), ("member_id", Text), ("position", Int)]),
    (
        "chains",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("name", Text),
            ("short_name", Text),
            ("level", Text),
            ("parent_id", Text),
            ("chief_title", Text),
            ("chief_name", Text),
            ("office_unit_id", Text),
            ("plan_text", Text),
            ("description", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    ("chain_parks", &[("chain_id", Text), ("park_id", Text), ("position", Int)]),
    (
        "chain_five_ones",
        &[
            ("id", Text),
            ("chain_id", Text),
            ("item", Text),
            ("present", Int),
            ("evidence", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "posts",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("kind", Text),
            ("title", Text),
            ("unit_id", Text),
            ("chain_id", Text),
            ("head_count", Int),
            ("full_time", Int),
            ("holders", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "indicators",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("name", Text),
            ("unit", Text),
            ("scope", Text),
            ("chain_id", Text),
            ("park_id", Text),
            ("aggregation", Text),
            ("direction", Text),
            ("source", Text),
            ("formula", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "indicator_targets",
        &[("id", Text), ("indicator_id", Text), ("kind", Text), ("year", Int), ("value_scaled", Int), ("unit", Text)],
    ),
    (
        "measures",
        &[
            ("id", Text),
            ("city_id", Text),
            ("code", Text),
            ("section", Text),
            ("title", Text),
            ("body", Text),
            ("frequency", Text),
            ("deadline", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    ("measure_units", &[("measure_id", Text), ("unit_id", Text), ("role", Text), ("position", Int)]),
    (
        "quotas",
        &[
            ("id", Text),
            ("city_id", Text),
            ("measure_id", Text),
            ("code", Text),
            ("name", Text),
            ("min_count", Int),
            ("unit", Text),
            ("counts", Text),
            ("position", Int),
        ],
    ),
    (
        "enterprises",
        &[
            ("id", Text),
            ("city_id", Text),
            ("name", Text),
            ("short_name", Text),
            ("credit_code", Text),
            ("is_demo", Int),
            ("park_id", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
            ("is_local", Int),
            ("scale", Text),
            ("ownership", Text),
            ("listed", Int),
            ("categories", Text),
            ("revenue_wan", Int),
            ("employees", Int),
            ("products", Text),
            ("contacts", Text),
            ("code_override_reason", Text),
        ],
    ),
    ("enterprise_chains", &[("enterprise_id", Text), ("chain_id", Text)]),
    (
        "chain_nodes",
        &[
            ("id", Text),
            ("chain_id", Text),
            ("code", Text),
            ("name", Text),
            ("stage", Text),
            ("parent_id", Text),
            ("key_node", Int),
            ("products", Text),
            ("industry_codes", Text),
            ("position", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "chain_edges",
        &[
            ("id", Text),
            ("chain_id", Text),
            ("from_id", Text),
            ("to_id", Text),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    ("enterprise_nodes", &[("enterprise_id", Text), ("node_id", Text), ("updated_at", Int), ("updated_by", Text)]),
    (
        "enterprise_relations",
        &[
            ("id", Text),
            ("city_id", Text),
            ("supplier_id", Text),
            ("customer_id", Text),
            ("product", Text),
            ("value_wan", Int),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "enterprise_tiers",
        &[
            ("id", Text),
            ("enterprise_id", Text),
            ("tier", Text),
            ("since", Text),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "rating_rubrics",
        &[("chain_id", Text), ("rubric_json", Text), ("version", Int), ("updated_at", Int), ("updated_by", Text)],
    ),
    (
        "node_rating_overrides",
        &[
            ("node_id", Text),
            ("rating", Text),
            ("reason", Text),
            ("version", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "map_snapshots",
        &[
            ("id", Text),
            ("chain_id", Text),
            ("year", Int),
            ("content_json", Text),
            ("created_at", Int),
            ("created_by", Text),
        ],
    ),
    (
        "users",
        &[
            ("id", Text),
            ("city_id", Text),
            ("username", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("unit_id", Text),
            ("disabled", Int),
            ("failed_logins", Int),
            ("locked_until", Int),
            ("password_changed_at", Int),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("updated_by", Text),
        ],
    ),
    (
        "user_roles",
        &[
            ("id", Text),
            ("user_id", Text),
            ("role", Text),
            ("chain_id", Text),
            ("unit_id", Text),
            ("enterprise_id", Text),
        ],
    ),
    (
        "sessions",
        &[
            ("id", Text),
            ("user_id", Text),
            ("csrf_token", Text),
            ("created_at", Int),
            ("last_seen_at", Int),
            ("ip", Text),
        ],
    ),
    (
        "audit_log",
        &[
            ("seq", Int),
            ("id", Text),
            ("city_id", Text),
            ("at", Int),
            ("actor_id", Text),
            ("actor_name", Text),
            ("action", Text),
            ("entity", Text),
            ("entity_id", Text),
            ("before_json", Text),
            ("after_json", Text),
            ("ip", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
    ("audit_head", &[("id", Int), ("seq", Int), ("hash", Text)]),
    ("leases", &[("name", Text), ("holder", Text), ("expires_at", Int)]),
];

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
