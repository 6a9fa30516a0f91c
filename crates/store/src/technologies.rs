//! Key technologies [N2] (关键核心技术攻关清单) with the stages each reached, and innovation results
//! [N5]: standards set and invention patents granted, with the rewards paid for them.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{ImportRow, Result, Store, StoreError, Val, Versioned, money, text, unique_as, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::innovation::{ResultKind, TechCategory, TechStage};
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A key technology as lists and its page show it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Technology {
    /// Id.
    pub id: String,
    /// Its chain.
    pub chain_id: String,
    /// The chain's name.
    pub chain_name: String,
    /// The node it serves.
    pub node_id: Option<String>,
    /// The node's name.
    pub node_name: Option<String>,
    /// Name.
    pub name: String,
    /// What it is.
    #[sqlx(try_from = "String")]
    pub category: TechCategory,
    /// The enterprise that takes it on (揭榜单位).
    pub owner_enterprise_id: Option<String>,
    /// Its name.
    pub owner_name: Option<String>,
    /// Partners (universities, institutes), joined by 、.
    pub partners: String,
    /// The consortium that works on it.
    pub consortium_id: Option<String>,
    /// Its name.
    pub consortium_name: Option<String>,
    /// The stage reached.
    #[sqlx(try_from = "String")]
    pub stage: TechStage,
    /// Year it is to be done.
    pub target_year: Option<i64>,
    /// 具体指标要求.
    pub goal: String,
    /// Progress in words.
    pub progress: String,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const TECH_COLUMNS: &str = "t.id, t.chain_id, ch.name AS chain_name, t.node_id, n.name AS node_name, t.name, t.category, \
    t.owner_enterprise_id, e.name AS owner_name, t.partners, t.consortium_id, c.name AS consortium_name, t.stage, \
    t.target_year, t.goal, t.progress, t.version, t.updated_at, t.updated_by FROM key_technologies t \
    JOIN chains ch ON ch.id = t.chain_id LEFT JOIN chain_nodes n ON n.id = t.node_id \
    LEFT JOIN enterprises e ON e.id = t.owner_enterprise_id LEFT JOIN innovation_carriers c ON c.id = t.consortium_id";

/// The city's key technologies, by chain and name.
pub async fn technologies(pool: &AnyPool, city_id: &str) -> Result<Vec<Technology>> {
    let sql = format!("SELECT {TECH_COLUMNS} WHERE t.city_id = $1 ORDER BY ch.position, t.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One key technology of the city.
pub async fn technology(pool: &AnyPool, city_id: &str, id: &str) -> Result<Technology> {
    crate::one_in_city(pool, format!("SELECT {TECH_COLUMNS} WHERE t.city_id = $1 AND t.id = $2"), city_id, id).await
}

/// What is written for a key technology.
#[derive(Debug, Clone)]
pub struct TechnologyFields {
    /// Chain.
    pub chain_id: String,
    /// Node of that chain.
    pub node_id: Option<String>,
    /// Name.
    pub name: String,
    /// Category.
    pub category: TechCategory,
    /// The enterprise that takes it on.
    pub owner_enterprise_id: Option<String>,
    /// Partners, joined by 、.
    pub partners: String,
    /// Consortium.
    pub consortium_id: Option<String>,
    /// Stage.
    pub stage: TechStage,
    /// Target year.
    pub target_year: Option<i32>,
    /// 具体指标要求.
    pub goal: String,
    /// Progress.
    pub progress: String,
}

impl TechnologyFields {
    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("chain_id", text(&self.chain_id)),
            ("node_id", Val::Text(self.node_id.clone())),
            ("name", text(&self.name)),
            ("category", text(self.category.code())),
            ("owner_enterprise_id", Val::Text(self.owner_enterprise_id.clone())),
            ("partners", text(&self.partners)),
            ("consortium_id", Val::Text(self.consortium_id.clone())),
            ("stage", text(self.stage.code())),
            ("target_year", Val::OptInt(self.target_year.map(i64::from))),
            ("goal", text(&self.goal)),
            ("progress", text(&self.progress)),
        ]
    }
}

fn duplicate_name(name: &str) -> String {
    format!("攻关清单中已有“{name}”，请打开它修改")
}

async fn record_stage(
    tx: &mut crate::Tx,
    actor: &Actor,
    id: &str,
    stage: TechStage,
    on: &str,
    note: &str,
) -> Result<()> {
    let sets = vec![
        ("id", text(&new_id())),
        ("technology_id", text(id)),
        ("stage", text(stage.code())),
        ("reached_on", text(on)),
        ("note", text(note)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(tx, "technology_stages", sets).await?;
    Ok(())
}

/// Inserts a new key technology at its first stage, reached `on`, within `tx`.
async fn insert_technology(
    tx: &mut crate::Tx,
    actor: &Actor,
    city_id: &str,
    f: &TechnologyFields,
    on: &str,
) -> Result<String> {
    let id = new_id();
    let mut sets = f.sets();
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = duplicate_name(&f.name);
    crate::insert(tx, "key_technologies", sets).await.map_err(unique_as("name", &message))?;
    record_stage(tx, actor, &id, f.stage, on, &f.progress).await?;
    let event = Event {
        action: "technology.create",
        entity: "key_technology",
        entity_id: Some(&id),
        before: None,
        after: None,
    };
    append_changed(tx, actor, "key_technologies", &[("id", &id)], event).await?;
    Ok(id)
}

/// Changes a key technology read at `version` within `tx`; a new stage is recorded as reached `on`.
async fn change_technology(
    tx: &mut crate::Tx,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &TechnologyFields,
    version: i64,
    on: &str,
) -> Result<()> {
    let (was,): (String,) = sqlx::query_as("SELECT stage FROM key_technologies WHERE id = $1 AND city_id = $2")
        .bind(id)
        .bind(city_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let message = duplicate_name(&f.name);
    let change = Versioned { table: "key_technologies", id, city_id: Some(city_id), version, sets: f.sets() };
    let before = update_versioned(tx, actor, change).await.map_err(crate::clash_as("name", &message))?;
    if was != f.stage.code() {
        record_stage(tx, actor, id, f.stage, on, &f.progress).await?;
    }
    let event =
        Event { action: "technology.update", entity: "key_technology", entity_id: Some(id), before, after: None };
    append_changed(tx, actor, "key_technologies", &[("id", id)], event).await?;
    Ok(())
}

/// Lists a new key technology at its first stage, reached `on`.
pub async fn create_technology(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    f: &TechnologyFields,
    on: &str,
) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = insert_technology(&mut tx, actor, city_id, f, on).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a key technology read at `version`; a new stage is recorded as reached `on`.
pub async fn update_technology(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &TechnologyFields,
    version: i64,
    on: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    change_technology(&mut tx, actor, city_id, id, f, version, on).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores an imported list of key technologies in one transaction, new stages reached `on`, each
/// record audited; all rows or none.
pub async fn import_technologies(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    rows: &[ImportRow<TechnologyFields>],
    on: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    for r in rows {
        match r {
            ImportRow::New(f) => {
                insert_technology(&mut tx, actor, city_id, f, on).await?;
            }
            ImportRow::Change { id, version, fields } => {
                change_technology(&mut tx, actor, city_id, id, fields, *version, on).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A stage a key technology reached.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct StageReached {
    /// The technology.
    pub technology_id: String,
    /// The stage.
    #[sqlx(try_from = "String")]
    pub stage: TechStage,
    /// When, YYYY-MM-DD.
    pub reached_on: String,
    /// The progress written then.
    pub note: String,
    /// By whom.
    pub created_by: String,
}

/// The stages the city's key technologies reached, oldest first.
pub async fn stages(pool: &AnyPool, city_id: &str) -> Result<Vec<StageReached>> {
    Ok(sqlx::query_as(
        "SELECT s.technology_id, s.stage, s.reached_on, s.note, s.created_by FROM technology_stages s \
         JOIN key_technologies t ON t.id = s.technology_id WHERE t.city_id = $1 ORDER BY s.reached_on, s.created_at",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// An innovation result of an enterprise and its reward.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Achievement {
    /// Id.
    pub id: String,
    /// The enterprise.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Standard or patent.
    #[sqlx(try_from = "String")]
    pub kind: ResultKind,
    /// Title of the standard or the patent.
    pub title: String,
    /// Standard or patent number.
    pub number: String,
    /// Year issued or granted.
    pub granted_year: i64,
    /// Reward granted.
    #[sqlx(rename = "reward_fen")]
    pub reward: Option<Money>,
    /// Recorded by.
    pub created_by: String,
}

/// The city's results, newest first.
pub async fn achievements(pool: &AnyPool, city_id: &str) -> Result<Vec<Achievement>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.enterprise_id, e.name AS enterprise_name, r.kind, r.title, r.number, r.granted_year, r.reward_fen, \
         r.created_by FROM innovation_results r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.city_id = $1 \
         ORDER BY r.granted_year DESC, e.name, r.number",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// A result to record.
#[derive(Debug, Clone)]
pub struct NewAchievement {
    /// The enterprise.
    pub enterprise_id: String,
    /// Standard or patent.
    pub kind: ResultKind,
    /// Title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Year.
    pub granted_year: i32,
    /// Reward granted.
    pub reward: Option<Money>,
}

/// Inserts a result within `tx`; a number already recorded for its kind is refused.
async fn insert_achievement(tx: &mut crate::Tx, actor: &Actor, city_id: &str, r: &NewAchievement) -> Result<String> {
    let id = new_id();
    let sets = vec![
        ("id", text(&id)),
        ("city_id", text(city_id)),
        ("enterprise_id", text(&r.enterprise_id)),
        ("kind", text(r.kind.code())),
        ("title", text(&r.title)),
        ("number", text(&r.number)),
        ("granted_year", Val::Int(i64::from(r.granted_year))),
        ("reward_fen", money(r.reward)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    let message = format!("{}“{}”已登记过", r.kind.label(), r.number);
    crate::insert(tx, "innovation_results", sets).await.map_err(unique_as("number", &message))?;
    let after = serde_json::json!({"enterprise": r.enterprise_id, "kind": r.kind.code(), "number": r.number,
        "reward_fen": r.reward.map(Money::fen)});
    let event = Event {
        action: "achievement.add",
        entity: "innovation_result",
        entity_id: Some(&id),
        before: None,
        after: Some(after),
    };
    append(tx, actor, event).await?;
    Ok(id)
}

/// Records a result; a number already recorded for its kind is refused.
pub async fn add_achievement(store: &Store, actor: &Actor, city_id: &str, r: &NewAchievement) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = insert_achievement(&mut tx, actor, city_id, r).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records imported results in one transaction, each audited; all or none.
pub async fn import_achievements(store: &Store, actor: &Actor, city_id: &str, rows: &[NewAchievement]) -> Result<()> {
    let mut tx = store.begin_write().await?;
    for r in rows {
        insert_achievement(&mut tx, actor, city_id, r).await?;
    }
    tx.commit().await?;
    Ok(())
}
