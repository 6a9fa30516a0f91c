//! ChainChief storage on SQLite or PostgreSQL through one set of portable queries.
//! All SQL of the product lives in this crate.

pub mod assessment;
pub mod audit;
pub mod backup;
pub mod counted;
pub mod cultivation;
pub mod dispatch;
pub mod enterprises;
pub mod events;
pub mod factors;
pub mod figures;
pub mod guarantees;
pub mod innovation;
pub mod investment;
pub mod liaison;
pub mod library;
pub mod library_import;
pub mod logins;
pub mod maps;
pub mod maps_import;
pub mod meetings;
mod migrate;
pub mod notifications;
pub mod org;
pub mod parks;
pub mod plan_import;
pub mod policies;
pub mod pools;
pub mod problems;
pub mod projects;
pub mod published;
pub mod reporting;
pub mod rollup;
pub mod safety;
pub mod snapshots;
pub mod structure;
pub mod supply;
pub mod tables;
pub mod tasks;
pub mod technologies;
pub mod tracking;
pub mod users;

use chainchief_domain::clock::Clock;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

pub use migrate::MIGRATIONS;

/// A write transaction: every change and its audit record commit together.
pub type Tx = Transaction<'static, Any>;

/// Which database engine the URL named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL (or a compatible server).
    Postgres,
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record was changed by someone else since it was read.
    #[error("该记录已被他人修改（{by}，{at}），请刷新后再改")]
    Conflict {
        /// Who changed it last.
        by: String,
        /// When, formatted.
        at: String,
    },
    /// No such record (or not in the caller's city).
    #[error("记录不存在")]
    NotFound,
    /// A value that must be unique already belongs to another record.
    #[error("{message}")]
    Duplicate {
        /// The form field of the value.
        field: String,
        /// What clashed and with which record, in Chinese.
        message: String,
    },
    /// A value a rule of the data refuses (a budget passed), on a form field.
    #[error("{message}")]
    Refused {
        /// The form field of the value.
        field: String,
        /// What rule it breaks, in Chinese.
        message: String,
    },
    /// A rule of the data was broken.
    #[error("{0}")]
    Invalid(String),
    /// The URL names no supported database.
    #[error("不支持的数据库地址“{0}”：请使用 sqlite://路径 或 postgres://…")]
    UnsupportedUrl(String),
    /// Database failure.
    #[error("数据库错误：{0}")]
    Db(#[from] sqlx::Error),
}

/// Result of storage operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// The database handle shared by the whole application.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
}

impl Store {
    /// Opens the database named by `url`, creating an SQLite file if absent.
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let mut opts = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        opts = match backend {
            Backend::Sqlite => opts.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Backend::Postgres => opts.max_connections(16),
        };
        let pool = opts.connect(&url).await?;
        Ok(Store { pool, backend, clock: Clock::System })
    }

    /// The same database read with `clock` (a rehearsal or a test at a chosen instant).
    pub fn with_clock(self, clock: Clock) -> Store {
        Store { clock, ..self }
    }

    /// The clock this store stamps its own records with (migrations, logins, sessions).
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction, one at a time on both databases: `BEGIN IMMEDIATE` on SQLite;
    /// on PostgreSQL the audit head's row lock, which every write takes anyway to append its audit
    /// record, taken first, so that two writers never deadlock nor race between a check and an insert.
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
                tx
            }
        })
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize> {
        migrate::run(self).await
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Pool statistics: (open connections, idle connections).
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A value bound into SQL built from constant column names.
pub(crate) enum Val {
    /// Text or NULL.
    Text(Option<String>),
    /// An integer.
    Int(i64),
    /// An integer or NULL.
    OptInt(Option<i64>),
}

/// An amount of money or NULL, stored as its 分.
pub(crate) fn money(m: Option<chainchief_domain::money::Money>) -> Val {
    Val::OptInt(m.map(chainchief_domain::money::Money::fen))
}

/// Text value.
pub(crate) fn text(s: &str) -> Val {
    Val::Text(Some(s.to_string()))
}

/// Binds values in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    vals: Vec<Val>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
    for v in vals {
        q = match v {
            Val::Text(s) => q.bind(s),
            Val::Int(i) => q.bind(i),
            Val::OptInt(i) => q.bind(i),
        };
    }
    q
}

/// A change to one versioned record: applied only if the record still has `version`.
pub(crate) struct Versioned<'a> {
    /// Table (a constant of this crate).
    pub table: &'static str,
    /// Record id.
    pub id: &'a str,
    /// The caller's city, for tables that carry one (another city's record is not found).
    pub city_id: Option<&'a str>,
    /// The version the editor read.
    pub version: i64,
    /// Columns to set.
    pub sets: Vec<(&'static str, Val)>,
}

/// Applies a versioned change inside `tx`: a stale version is a conflict naming who saved first.
/// Returns the record as it was before (its audit image).
pub(crate) async fn update_versioned(
    tx: &mut Tx,
    actor: &audit::Actor,
    change: Versioned<'_>,
) -> Result<Option<serde_json::Value>> {
    let before = audit::image(tx, change.table, &[("id", change.id)]).await?;
    let mut sql = format!("UPDATE {} SET ", change.table);
    let mut vals = Vec::new();
    for (i, (col, val)) in change.sets.into_iter().enumerate() {
        sql += &format!("{col} = ${}, ", i + 1);
        vals.push(val);
    }
    let n = vals.len();
    sql += &format!(
        "version = version + 1, updated_at = ${}, updated_by = ${} WHERE id = ${} AND version = ${}",
        n + 1,
        n + 2,
        n + 3,
        n + 4
    );
    vals.extend([Val::Int(actor.at), text(&actor.name), text(change.id), Val::Int(change.version)]);
    if let Some(city) = change.city_id {
        sql += &format!(" AND city_id = ${}", n + 5);
        vals.push(text(city));
    }
    let done = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), vals).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        return Err(conflict_or_missing(tx, change.table, change.id).await);
    }
    Ok(before)
}

/// Sets the record of a city found by its natural key (`existing`, if any): a change to the one
/// read at `version`, or a new one when none was read and none exists. Anything else — the record
/// appeared or went since it was read — is a conflict. Returns its id and its image before.
pub(crate) async fn upsert_versioned(
    tx: &mut Tx,
    actor: &audit::Actor,
    table: &'static str,
    city_id: &str,
    existing: Option<String>,
    version: Option<i64>,
    sets: Vec<(&'static str, Val)>,
) -> Result<(String, Option<serde_json::Value>)> {
    match (existing, version) {
        (Some(id), Some(version)) => {
            let before =
                update_versioned(tx, actor, Versioned { table, id: &id, city_id: Some(city_id), version, sets })
                    .await?;
            Ok((id, before))
        }
        (None, None) => {
            let id = chainchief_domain::ids::new_id();
            let mut row = sets;
            row.extend(versioned_row(&id, city_id, actor));
            insert(tx, table, row).await.map_err(raced(actor.at))?;
            Ok((id, None))
        }
        _ => Err(StoreError::Conflict {
            by: "另一位用户".into(),
            at: chainchief_domain::clock::format_millis(actor.at),
        }),
    }
}

/// The bookkeeping columns of a new versioned record of a city: id, city, version 1, created and updated.
pub(crate) fn versioned_row(id: &str, city_id: &str, actor: &audit::Actor) -> [(&'static str, Val); 7] {
    [
        ("id", text(id)),
        ("city_id", text(city_id)),
        ("version", Val::Int(1)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
        ("updated_at", Val::Int(actor.at)),
        ("updated_by", text(&actor.name)),
    ]
}

/// Turns a unique-key violation met while saving into a duplicate naming `field`; other errors pass.
pub(crate) fn clash_as<'a>(field: &'a str, message: &'a str) -> impl Fn(StoreError) -> StoreError + 'a {
    move |e| match e {
        StoreError::Db(d) => unique_as(field, message)(d),
        other => other,
    }
}

/// Inserts one row of `table` (a constant of this crate) from its columns and values.
pub(crate) async fn insert(tx: &mut Tx, table: &'static str, sets: Vec<(&'static str, Val)>) -> sqlx::Result<()> {
    let cols: Vec<&str> = sets.iter().map(|(c, _)| *c).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), marks.join(", "));
    let vals = sets.into_iter().map(|(_, v)| v).collect();
    bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), vals).execute(&mut **tx).await?;
    Ok(())
}

/// The one row that `select` finds (a query whose `$1` is the city and `$2` the record's id), or
/// not found.
pub(crate) async fn one_in_city<T>(pool: &AnyPool, select: String, city_id: &str, id: &str) -> Result<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    sqlx::query_as(sqlx::AssertSqlSafe(select))
        .bind(city_id)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Turns a unique-constraint violation into a Chinese message on the form field `field`.
pub(crate) fn unique_as<'a>(field: &'a str, message: &'a str) -> impl Fn(sqlx::Error) -> StoreError + 'a {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Duplicate { field: field.to_string(), message: message.to_string() }
        }
        _ => StoreError::Db(e),
    }
}

/// Turns the unique-key violation of a row written in the same moment by someone else (PostgreSQL
/// reports the race this way where SQLite serialises the writers) into a conflict, never a 500.
pub(crate) fn raced(at: i64) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict { by: "另一位用户".into(), at: chainchief_domain::clock::format_millis(at) }
        }
        _ => StoreError::Db(e),
    }
}

/// After an update that matched no row: either the record is gone or someone changed it first.
pub(crate) async fn conflict_or_missing(tx: &mut Tx, table: &str, id: &str) -> StoreError {
    let sql = format!("SELECT updated_by, updated_at FROM {table} WHERE id = $1");
    let row: std::result::Result<Option<(String, i64)>, _> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await;
    match row {
        Ok(Some((by, at))) => StoreError::Conflict { by, at: chainchief_domain::clock::format_millis(at) },
        Ok(None) => StoreError::NotFound,
        Err(e) => StoreError::Db(e),
    }
}

/// A row of an imported list: a new record, or a change to one read at a version.
#[derive(Debug, Clone)]
pub enum ImportRow<F> {
    /// A record the city does not have.
    New(F),
    /// A change to the record `id` read at `version`.
    Change {
        /// The record.
        id: String,
        /// The version read.
        version: i64,
        /// Its fields as imported.
        fields: F,
    },
}
