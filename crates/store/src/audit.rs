//! The audit log: appended in the same transaction as the change it records, verified by the CLI.

use crate::tables::Col;
use crate::{Result, Tx};
use chainchief_domain::anchor::{Anchor, AnchorBreak};
use chainchief_domain::audit::{AuditRecord, ChainBreak, verify_next};
use chainchief_domain::ids::new_id;
use sqlx::AnyPool;
use sqlx::Row as _;

/// Who is acting and when, as the audit log records it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// User id (none for the command line or an anonymous visitor).
    pub user_id: Option<String>,
    /// Login name, or `cli` for the command line.
    pub name: String,
    /// City the action belongs to.
    pub city_id: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// When the action happens, in epoch milliseconds from the one clock.
    pub at: i64,
}

impl Actor {
    /// The command line acting on behalf of the operator at `at`.
    pub fn cli(at: i64) -> Actor {
        Actor::system("cli", None, at)
    }

    /// The system itself (a drafter, a loader) acting under `name` in `city_id` at `at`.
    pub fn system(name: &str, city_id: Option<&str>, at: i64) -> Actor {
        Actor { user_id: None, name: name.into(), city_id: city_id.map(str::to_string), ip: None, at }
    }
}

/// One event to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// What happened, e.g. `chain.update`.
    pub action: &'a str,
    /// Kind of record.
    pub entity: &'a str,
    /// Id of the record.
    pub entity_id: Option<&'a str>,
    /// The record before.
    pub before: Option<serde_json::Value>,
    /// The record after.
    pub after: Option<serde_json::Value>,
}

/// The chain's head now (sequence number and hash), to anchor outside the database.
pub async fn head(pool: &AnyPool) -> Result<(i64, String)> {
    Ok(sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?)
}

/// Appends one record to the chain inside the caller's transaction.
pub async fn append(tx: &mut Tx, actor: &Actor, event: Event<'_>) -> Result<()> {
    // Taking the head row's write lock serialises appends, across instances too.
    sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").execute(&mut **tx).await?;
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut **tx).await?;
    let mut rec = AuditRecord {
        seq,
        id: new_id(),
        city_id: actor.city_id.clone(),
        at: actor.at,
        actor_id: actor.user_id.clone(),
        actor_name: actor.name.clone(),
        action: event.action.to_string(),
        entity: event.entity.to_string(),
        entity_id: event.entity_id.map(str::to_string),
        before: event.before.map(|v| v.to_string()),
        after: event.after.map(|v| v.to_string()),
        ip: actor.ip.clone(),
        prev_hash,
        hash: String::new(),
    };
    rec.hash = rec.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, id, city_id, at, actor_id, actor_name, action, entity, entity_id, \
         before_json, after_json, ip, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
    )
    .bind(rec.seq)
    .bind(&rec.id)
    .bind(&rec.city_id)
    .bind(rec.at)
    .bind(&rec.actor_id)
    .bind(&rec.actor_name)
    .bind(&rec.action)
    .bind(&rec.entity)
    .bind(&rec.entity_id)
    .bind(&rec.before)
    .bind(&rec.after)
    .bind(&rec.ip)
    .bind(&rec.prev_hash)
    .bind(&rec.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&rec.hash).execute(&mut **tx).await?;
    Ok(())
}

/// What an audited action does to its record, and so which images its audit row carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new record: the after image only.
    Create,
    /// A changed record: before and after.
    Update,
    /// A record set whether or not it existed: after, and before when it existed.
    Upsert,
    /// A record set or cleared: before or after, or both.
    Set,
    /// A removed record: the before image only.
    Delete,
    /// Not one record (a login, a refusal, a whole file imported): a summary if any.
    Other,
}

/// Every audited action and what it does; a test keeps this list equal to the actions written.
pub const ACTIONS: &[(&str, Change)] = &[
    ("enterprise.create", Change::Create),
    ("enterprise.import_held", Change::Create),
    ("relation.create", Change::Create),
    ("node.create", Change::Create),
    ("edge.create", Change::Create),
    ("problem.raise", Change::Create),
    ("event.create", Change::Create),
    ("meeting.record", Change::Create),
    ("task.report", Change::Create),
    ("user.create", Change::Create),
    ("user.grant", Change::Create),
    ("dispatch.draft", Change::Create),
    ("attachment.add", Change::Create),
    ("checkpoint.record", Change::Create),
    ("project.create", Change::Create),
    ("milestone.add", Change::Create),
    ("target.add", Change::Create),
    ("target.contact", Change::Create),
    ("supply.need", Change::Create),
    ("supply.capability", Change::Create),
    ("supply.deal", Change::Create),
    ("map.snapshot", Change::Create),
    ("board.publish", Change::Create),
    ("assessment.publish", Change::Create),
    ("enterprise.tier_add", Change::Create),
    ("node.enterprise_add", Change::Create),
    ("carrier.create", Change::Create),
    ("carrier.member_add", Change::Create),
    ("carrier.activity", Change::Create),
    ("carrier.evaluate", Change::Create),
    ("technology.create", Change::Create),
    ("achievement.add", Change::Create),
    ("cultivation.mark", Change::Create),
    ("cultivation.note", Change::Create),
    ("factor.raise", Change::Create),
    ("campaign.create", Change::Create),
    ("campaign.action", Change::Create),
    ("bank.create", Change::Create),
    ("policy.create", Change::Create),
    ("policy.apply", Change::Create),
    ("fund.create", Change::Create),
    ("fund.allocate", Change::Create),
    ("partnership.create", Change::Create),
    ("guarantor.create", Change::Create),
    ("guarantee.create", Change::Create),
    ("liaison.log", Change::Create),
    ("comment.add", Change::Create),
    ("problem.change", Change::Update),
    ("project.stage", Change::Update),
    ("project.update", Change::Update),
    ("enterprise.update", Change::Update),
    ("enterprise.import_accept", Change::Update),
    ("enterprise.import_reject", Change::Update),
    ("enterprise.update.code_override", Change::Update),
    ("enterprise.diagnosis", Change::Update),
    ("node.update", Change::Update),
    ("chain.update", Change::Update),
    ("chain.five_one.update", Change::Update),
    ("post.update", Change::Update),
    ("action_item.done", Change::Update),
    ("user.disable", Change::Update),
    ("user.enable", Change::Update),
    ("user.reset_password", Change::Update),
    ("password.change", Change::Update),
    ("second_factor.enrol", Change::Other),
    ("second_factor.remove", Change::Other),
    ("session.expire", Change::Other),
    ("data.export", Change::Other),
    ("file.download", Change::Other),
    ("dispatch.edit", Change::Update),
    ("dispatch.redraft", Change::Update),
    ("user.unit", Change::Update),
    ("user.unlock", Change::Update),
    ("dispatch.submit", Change::Update),
    ("dispatch.chief_ack", Change::Update),
    ("dispatch.office_ack", Change::Update),
    ("milestone.complete", Change::Update),
    ("target.update", Change::Update),
    ("carrier.update", Change::Update),
    ("technology.update", Change::Update),
    ("cultivation.update", Change::Update),
    ("factor.assign", Change::Update),
    ("factor.answer", Change::Update),
    ("factor.rate", Change::Update),
    ("campaign.update", Change::Update),
    ("bank.update", Change::Update),
    ("policy.update", Change::Update),
    ("policy.decide", Change::Update),
    ("fund.update", Change::Update),
    ("fund.disburse", Change::Update),
    ("guarantee.update", Change::Update),
    ("talent.intake", Change::Upsert),
    ("talent.aim", Change::Upsert),
    ("factor.route", Change::Upsert),
    ("enterprise.year", Change::Upsert),
    ("figure.record", Change::Upsert),
    ("project.investment", Change::Upsert),
    ("assessment.score", Change::Upsert),
    ("rubric.update", Change::Upsert),
    ("node.rating_override", Change::Set),
    ("relation.delete", Change::Delete),
    ("node.delete", Change::Delete),
    ("edge.delete", Change::Delete),
    ("user.revoke", Change::Delete),
    ("enterprise.tier_remove", Change::Delete),
    ("node.enterprise_remove", Change::Delete),
    ("carrier.member_remove", Change::Delete),
    ("login.success", Change::Other),
    ("login.failure", Change::Other),
    ("session.logout", Change::Other),
    ("password.failure", Change::Other),
    ("access.denied", Change::Other),
    ("plan.import", Change::Other),
    ("maps.import", Change::Other),
    ("enterprise.import", Change::Other),
    ("figure.import", Change::Other),
    ("target.import", Change::Other),
];

/// The audit rows whose images do not fit their action (or whose action is not listed), in words.
pub async fn incomplete(pool: &AnyPool) -> Result<Vec<String>> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT seq, action, before_json, after_json FROM audit_log ORDER BY seq")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(seq, action, before, after)| {
            let (b, a) = (before.is_some(), after.is_some());
            let fits = match ACTIONS.iter().find(|(name, _)| *name == action).map(|x| x.1) {
                None => return Some(format!("#{seq} {action}: not a listed action")),
                Some(Change::Create) => a && !b,
                Some(Change::Update) => a && b,
                Some(Change::Upsert) => a,
                Some(Change::Set) => a || b,
                Some(Change::Delete) => b && !a,
                Some(Change::Other) => true,
            };
            (!fits).then(|| format!("#{seq} {action}: before {b}, after {a}"))
        })
        .collect())
}

/// Columns never copied into the audit log: secrets and file contents.
const UNAUDITED: [&str; 3] = ["password_hash", "csrf_token", "content_b64"];

/// The row of `table` where each `key` column has its value, as a JSON object of its columns
/// (secrets and file contents left out); none when there is no such row.
pub(crate) async fn image(tx: &mut Tx, table: &str, key: &[(&str, &str)]) -> Result<Option<serde_json::Value>> {
    let Some((_, cols)) = crate::tables::TABLES.iter().find(|(t, _)| *t == table) else {
        return Err(crate::StoreError::Invalid(format!("没有数据表 {table}")));
    };
    let cols: Vec<&(&str, Col)> = cols.iter().filter(|(c, _)| !UNAUDITED.contains(c)).collect();
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let filter: Vec<String> = key.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect();
    let sql = format!("SELECT {} FROM {table} WHERE {}", names.join(", "), filter.join(" AND "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, v) in key {
        q = q.bind(*v);
    }
    let Some(row) = q.fetch_optional(&mut **tx).await? else { return Ok(None) };
    let mut out = serde_json::Map::new();
    for (i, (name, ty)) in cols.iter().enumerate() {
        let v = match ty {
            Col::Text => row.try_get::<Option<String>, _>(i)?.map_or(serde_json::Value::Null, Into::into),
            Col::Int => row.try_get::<Option<i64>, _>(i)?.map_or(serde_json::Value::Null, Into::into),
        };
        out.insert((*name).to_string(), v);
    }
    Ok(Some(serde_json::Value::Object(out)))
}

/// Appends `event` for a change of the row `key` of `table`: the row as it is now becomes the
/// after image, the event's own `after` (what was asked: a note, a reason) kept in it as `detail`.
pub(crate) async fn append_changed(
    tx: &mut Tx,
    actor: &Actor,
    table: &str,
    key: &[(&str, &str)],
    mut event: Event<'_>,
) -> Result<()> {
    let detail = event.after.take();
    let mut after = image(tx, table, key).await?;
    if let (Some(serde_json::Value::Object(row)), Some(d)) = (after.as_mut(), detail) {
        row.insert("detail".into(), d);
    }
    event.after = after;
    append(tx, actor, event).await
}

/// The audit history of one record, newest first (at most 50): (when, who, action).
pub async fn history_of(pool: &AnyPool, id: &str) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as("SELECT at, actor_name, action FROM audit_log WHERE entity_id = $1 ORDER BY seq DESC LIMIT 50")
        .bind(id)
        .fetch_all(pool)
        .await?)
}

/// Records an event in a transaction of its own (logins, denials).
pub async fn record(store: &crate::Store, actor: &Actor, event: Event<'_>) -> Result<()> {
    let mut tx = store.begin_write().await?;
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

type Row = (
    i64,
    String,
    Option<String>,
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

const COLUMNS: &str = "seq, id, city_id, at, actor_id, actor_name, action, entity, entity_id, before_json, \
                       after_json, ip, prev_hash, hash";

fn to_record(r: Row) -> AuditRecord {
    AuditRecord {
        seq: r.0,
        id: r.1,
        city_id: r.2,
        at: r.3,
        actor_id: r.4,
        actor_name: r.5,
        action: r.6,
        entity: r.7,
        entity_id: r.8,
        before: r.9,
        after: r.10,
        ip: r.11,
        prev_hash: r.12,
        hash: r.13,
    }
}

/// Outcome of verifying the whole chain.
#[derive(Debug)]
pub struct Verified {
    /// Records checked.
    pub records: i64,
    /// Anchors the chain was checked against.
    pub anchors: usize,
}

/// Why verification failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The chain is broken at a record.
    #[error(transparent)]
    Broken(#[from] ChainBreak),
    /// Records at the end were removed.
    #[error("审计日志末尾的记录被删除：应有{expected}条，只找到{found}条")]
    Truncated {
        /// Records the head says exist.
        expected: i64,
        /// Records found.
        found: i64,
    },
    /// The chain disagrees with its anchors outside the database.
    #[error(transparent)]
    Anchor(#[from] chainchief_domain::anchor::AnchorBreak),
    /// Records stand outside the chain's numbering (a forged row with sequence 0 or below, or
    /// more rows than the head counts).
    #[error("审计日志有{found}条记录、序号从{first}到{last}，链头记为{head}条：有记录在链外被插入")]
    Outside {
        /// Rows in the table.
        found: i64,
        /// Smallest sequence number.
        first: i64,
        /// Largest sequence number.
        last: i64,
        /// Records the head counts.
        head: i64,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] crate::StoreError),
}

/// Walks the whole chain in order, page by page, and checks every link and hash, that no row
/// stands outside the numbering, and that the chain holds every anchor signed outside the database.
pub async fn verify(pool: &AnyPool, anchors: &[Anchor]) -> std::result::Result<Verified, VerifyError> {
    let (found, first, last): (i64, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_log")
            .fetch_one(pool)
            .await
            .map_err(crate::StoreError::from)?;
    let (head, head_hash): (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await
        .map_err(crate::StoreError::from)?;
    let (first, last) = (first.unwrap_or(0), last.unwrap_or(0));
    if found > 0 && (first < 1 || last > head || found > head) {
        return Err(VerifyError::Outside { found, first, last, head });
    }
    let anchored: std::collections::HashMap<i64, &str> = anchors.iter().map(|a| (a.seq, a.hash.as_str())).collect();
    if let Some(a) = anchors.iter().max_by_key(|a| a.seq).filter(|a| a.seq > head) {
        return Err(AnchorBreak::Cut { seq: a.seq, head }.into());
    }
    let mut prev = (chainchief_domain::audit::GENESIS_HASH.to_string(), 0_i64);
    let mut count = 0_i64;
    loop {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 2000");
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(prev.1)
            .fetch_all(pool)
            .await
            .map_err(crate::StoreError::from)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let rec = to_record(row);
            verify_next((&prev.0, prev.1), &rec)?;
            if anchored.get(&rec.seq).is_some_and(|h| *h != rec.hash) {
                return Err(AnchorBreak::Rewritten { seq: rec.seq }.into());
            }
            count += 1;
            prev = (rec.hash, rec.seq);
        }
    }
    if head != prev.1 || head_hash != prev.0 {
        return Err(VerifyError::Truncated { expected: head, found: count });
    }
    Ok(Verified { records: count, anchors: anchors.len() })
}

/// Filters for browsing the log.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this city.
    pub city_id: Option<String>,
    /// Login name contains.
    pub actor: Option<String>,
    /// Action starts with.
    pub action: Option<String>,
    /// From this time (epoch ms, inclusive).
    pub from: Option<i64>,
    /// Until this time (epoch ms, exclusive).
    pub until: Option<i64>,
}

/// One page of the log, newest first, with the total matching.
pub async fn list(pool: &AnyPool, f: &Filter, offset: i64, limit: i64) -> Result<(i64, Vec<AuditRecord>)> {
    let mut cond = String::from("1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.city_id.is_some() {
        cond += &format!(" AND (city_id = {} OR city_id IS NULL)", next());
    }
    if f.actor.is_some() {
        cond += &format!(" AND actor_name LIKE {} ESCAPE '\\'", next());
    }
    if f.action.is_some() {
        cond += &format!(" AND action LIKE {} ESCAPE '\\'", next());
    }
    if f.from.is_some() {
        cond += &format!(" AND at >= {}", next());
    }
    if f.until.is_some() {
        cond += &format!(" AND at < {}", next());
    }
    let like = |s: &Option<String>, pre: &str, post: &str| s.as_ref().map(|v| format!("{pre}{}{post}", escape_like(v)));
    let actor = like(&f.actor, "%", "%");
    let action = like(&f.action, "", "%");
    macro_rules! bind_all {
        ($q:expr) => {{
            let mut q = $q;
            if let Some(v) = &f.city_id {
                q = q.bind(v);
            }
            if let Some(v) = &actor {
                q = q.bind(v);
            }
            if let Some(v) = &action {
                q = q.bind(v);
            }
            if let Some(v) = f.from {
                q = q.bind(v);
            }
            if let Some(v) = f.until {
                q = q.bind(v);
            }
            q
        }};
    }
    let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {cond}");
    let (total,): (i64,) = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(count_sql))).fetch_one(pool).await?;
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE {cond} ORDER BY seq DESC LIMIT {limit} OFFSET {offset}");
    let rows: Vec<Row> = bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql))).fetch_all(pool).await?;
    Ok((total, rows.into_iter().map(to_record).collect()))
}

/// Escapes LIKE wildcards in user text so that it matches literally (with `ESCAPE '\'`).
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
