//! The policy library [F5]: policies with their conditions, and enterprises' applications for
//! the funds a policy grants.

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store, Val, Versioned, money, text, unique_as, update_versioned};
use chainchief_domain::eligibility::{Condition, Criterion, Op, PolicyLevel};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A policy as the library shows it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Policy {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Document number (文号).
    pub doc_number: String,
    /// Level of the issuer.
    #[sqlx(try_from = "String")]
    pub level: PolicyLevel,
    /// Issuing body.
    pub issuer: String,
    /// Tags, joined by 、.
    pub tags: String,
    /// First day in force.
    pub valid_from: String,
    /// Last day in force (none: until withdrawn).
    pub valid_to: Option<String>,
    /// What it gives, in short.
    pub summary: String,
    /// Version.
    pub version: i64,
}

impl Policy {
    /// Whether it is in force on `day` (YYYY-MM-DD).
    pub fn in_force(&self, day: &str) -> bool {
        self.valid_from.as_str() <= day && self.valid_to.as_deref().is_none_or(|to| day <= to)
    }
}

const POLICY_COLUMNS: &str =
    "id, title, doc_number, level, issuer, tags, valid_from, valid_to, summary, version FROM policies";

/// The city's policies, newest in force first.
pub async fn policies(pool: &AnyPool, city_id: &str) -> Result<Vec<Policy>> {
    let sql = format!("SELECT {POLICY_COLUMNS} WHERE city_id = $1 ORDER BY valid_from DESC, title");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One policy of the city.
pub async fn policy(pool: &AnyPool, city_id: &str, id: &str) -> Result<Policy> {
    crate::one_in_city(pool, format!("SELECT {POLICY_COLUMNS} WHERE city_id = $1 AND id = $2"), city_id, id).await
}

#[derive(FromRow)]
struct ConditionRow {
    policy_id: String,
    #[sqlx(try_from = "String")]
    criterion: Criterion,
    #[sqlx(try_from = "String")]
    op: Op,
    value: String,
}

/// The conditions of every policy of the city: (policy id, condition), in order.
pub async fn conditions(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, Condition)>> {
    let rows: Vec<ConditionRow> = sqlx::query_as(
        "SELECT c.policy_id, c.criterion, c.op, c.value FROM policy_conditions c JOIN policies p ON p.id = c.policy_id \
         WHERE p.city_id = $1 ORDER BY c.policy_id, c.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.policy_id, Condition { criterion: r.criterion, op: r.op, value: r.value }))
        .collect())
}

/// What is written for a policy.
#[derive(Debug, Clone)]
pub struct PolicyFields {
    /// Title.
    pub title: String,
    /// 文号.
    pub doc_number: String,
    /// Level.
    pub level: PolicyLevel,
    /// Issuer.
    pub issuer: String,
    /// Tags.
    pub tags: String,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_to: Option<String>,
    /// Summary.
    pub summary: String,
    /// Conditions, in order.
    pub conditions: Vec<Condition>,
}

impl PolicyFields {
    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("title", text(&self.title)),
            ("doc_number", text(&self.doc_number)),
            ("level", text(self.level.code())),
            ("issuer", text(&self.issuer)),
            ("tags", text(&self.tags)),
            ("valid_from", text(&self.valid_from)),
            ("valid_to", Val::Text(self.valid_to.clone())),
            ("summary", text(&self.summary)),
        ]
    }
}

async fn write_conditions(tx: &mut crate::Tx, policy_id: &str, conditions: &[Condition]) -> Result<()> {
    sqlx::query("DELETE FROM policy_conditions WHERE policy_id = $1").bind(policy_id).execute(&mut **tx).await?;
    for (i, c) in conditions.iter().enumerate() {
        let sets = vec![
            ("id", text(&new_id())),
            ("policy_id", text(policy_id)),
            ("position", Val::Int(i64::try_from(i).unwrap_or(0))),
            ("criterion", text(c.criterion.code())),
            ("op", text(c.op.code())),
            ("value", text(&c.value)),
        ];
        crate::insert(tx, "policy_conditions", sets).await?;
    }
    Ok(())
}

fn duplicate(title: &str) -> String {
    format!("政策库中已有“{title}”，请打开它修改")
}

/// The conditions as the audit record carries them.
fn conditions_json(conditions: &[Condition]) -> serde_json::Value {
    serde_json::json!({ "conditions": conditions })
}

/// Adds a policy with its conditions; returns its id.
pub async fn create_policy(store: &Store, actor: &Actor, city_id: &str, f: &PolicyFields) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = f.sets();
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = duplicate(&f.title);
    crate::insert(&mut tx, "policies", sets).await.map_err(unique_as("title", &message))?;
    write_conditions(&mut tx, &id, &f.conditions).await?;
    let after = Some(conditions_json(&f.conditions));
    let event = Event { action: "policy.create", entity: "policy", entity_id: Some(&id), before: None, after };
    append_changed(&mut tx, actor, "policies", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a policy read at `version`, its conditions replaced.
pub async fn update_policy(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &PolicyFields,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let message = duplicate(&f.title);
    let change = Versioned { table: "policies", id, city_id: Some(city_id), version, sets: f.sets() };
    let before = update_versioned(&mut tx, actor, change).await.map_err(crate::clash_as("title", &message))?;
    write_conditions(&mut tx, id, &f.conditions).await?;
    let after = Some(conditions_json(&f.conditions));
    let event = Event { action: "policy.update", entity: "policy", entity_id: Some(id), before, after };
    append_changed(&mut tx, actor, "policies", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// An application of an enterprise under a policy.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Application {
    /// Id.
    pub id: String,
    /// The policy.
    pub policy_id: String,
    /// Its title.
    pub policy_title: String,
    /// The enterprise.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Day applied.
    pub applied_on: String,
    /// Amount asked.
    #[sqlx(rename = "asked_fen")]
    pub asked: Option<Money>,
    /// What it applies for.
    pub note: String,
    /// `applied`, `approved` or `rejected`.
    pub status: String,
    /// Amount granted.
    #[sqlx(rename = "granted_fen")]
    pub granted: Option<Money>,
    /// Day decided.
    pub decided_on: Option<String>,
    /// Why rejected or cut.
    pub reason: String,
    /// Version.
    pub version: i64,
}

impl Application {
    /// The state in words.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "approved" => "已兑现",
            "rejected" => "未通过",
            _ => "已申报",
        }
    }
}

/// The city's applications, newest first.
pub async fn applications(pool: &AnyPool, city_id: &str) -> Result<Vec<Application>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.policy_id, p.title AS policy_title, a.enterprise_id, e.name AS enterprise_name, a.applied_on, \
         a.asked_fen, a.note, a.status, a.granted_fen, a.decided_on, a.reason, a.version FROM policy_applications a \
         JOIN policies p ON p.id = a.policy_id JOIN enterprises e ON e.id = a.enterprise_id \
         WHERE a.city_id = $1 ORDER BY a.applied_on DESC, a.created_at DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Records an application; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    policy_id: &str,
    enterprise_id: &str,
    applied_on: &str,
    asked: Option<Money>,
    note: &str,
) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("policy_id", text(policy_id)),
        ("enterprise_id", text(enterprise_id)),
        ("applied_on", text(applied_on)),
        ("asked_fen", money(asked)),
        ("note", text(note)),
        ("status", text("applied")),
        ("reason", text("")),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    crate::insert(&mut tx, "policy_applications", sets).await?;
    let event =
        Event { action: "policy.apply", entity: "policy_application", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "policy_applications", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Decides an application read at `version`.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    version: i64,
    approved: bool,
    granted: Option<Money>,
    decided_on: &str,
    reason: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("status", text(if approved { "approved" } else { "rejected" })),
        ("granted_fen", money(granted)),
        ("decided_on", text(decided_on)),
        ("reason", text(reason)),
    ];
    let change = Versioned { table: "policy_applications", id, city_id: Some(city_id), version, sets };
    let before = update_versioned(&mut tx, actor, change).await?;
    let event =
        Event { action: "policy.decide", entity: "policy_application", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "policy_applications", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
