//! Innovation carriers [N1][N3][N4]: platforms, consortia and alliances, associations and public
//! service platforms, each with its members (a consortium's leader and up- and downstream members)
//! and its activities (an association's events, the enterprises a service platform served).

use crate::audit::{Actor, Event, append, append_changed};
use crate::{ImportRow, Result, Store, Val, Versioned, text, unique_as, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::innovation::{Band, CarrierKind, Level, MemberRole, MemberType};
use sqlx::{AnyPool, FromRow};

/// A carrier as lists and its page show it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Carrier {
    /// Id.
    pub id: String,
    /// What it is.
    #[sqlx(try_from = "String")]
    pub kind: CarrierKind,
    /// Name.
    pub name: String,
    /// Recognised at.
    #[sqlx(try_from = "String")]
    pub level: Level,
    /// Year recognised or founded.
    pub since_year: Option<i64>,
    /// Its chain (none: serves the whole city).
    pub chain_id: Option<String>,
    /// The chain's name.
    pub chain_name: Option<String>,
    /// The node it works on.
    pub node_id: Option<String>,
    /// The node's name.
    pub node_name: Option<String>,
    /// The host enterprise of the library.
    pub host_enterprise_id: Option<String>,
    /// The host's name (an enterprise, a university, a bureau).
    pub host_name: String,
    /// 认定部门及文号.
    pub approval: String,
    /// The task of a consortium, the services of a platform, the field of an association.
    pub purpose: String,
    /// Members.
    pub members: i64,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const CARRIER_COLUMNS: &str = "c.id, c.kind, c.name, c.level, c.since_year, c.chain_id, ch.name AS chain_name, c.node_id, \
    n.name AS node_name, c.host_enterprise_id, COALESCE(e.name, c.host_name) AS host_name, c.approval, c.purpose, \
    (SELECT COUNT(*) FROM carrier_members m WHERE m.carrier_id = c.id) AS members, c.version, c.updated_at, c.updated_by \
    FROM innovation_carriers c LEFT JOIN chains ch ON ch.id = c.chain_id LEFT JOIN chain_nodes n ON n.id = c.node_id \
    LEFT JOIN enterprises e ON e.id = c.host_enterprise_id";

/// The city's carriers, by kind and name.
pub async fn carriers(pool: &AnyPool, city_id: &str) -> Result<Vec<Carrier>> {
    let sql = format!("SELECT {CARRIER_COLUMNS} WHERE c.city_id = $1 ORDER BY c.kind, c.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One carrier of the city.
pub async fn carrier(pool: &AnyPool, city_id: &str, id: &str) -> Result<Carrier> {
    crate::one_in_city(pool, format!("SELECT {CARRIER_COLUMNS} WHERE c.city_id = $1 AND c.id = $2"), city_id, id).await
}

/// What is written for a carrier.
#[derive(Debug, Clone)]
pub struct CarrierFields {
    /// Kind.
    pub kind: CarrierKind,
    /// Name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Year.
    pub since_year: Option<i32>,
    /// Chain.
    pub chain_id: Option<String>,
    /// Node of that chain.
    pub node_id: Option<String>,
    /// Host enterprise of the library.
    pub host_enterprise_id: Option<String>,
    /// Host named when not an enterprise of the library.
    pub host_name: String,
    /// 认定部门及文号.
    pub approval: String,
    /// Task, services or field.
    pub purpose: String,
}

impl CarrierFields {
    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("kind", text(self.kind.code())),
            ("name", text(&self.name)),
            ("level", text(self.level.code())),
            ("since_year", Val::OptInt(self.since_year.map(i64::from))),
            ("chain_id", Val::Text(self.chain_id.clone())),
            ("node_id", Val::Text(self.node_id.clone())),
            ("host_enterprise_id", Val::Text(self.host_enterprise_id.clone())),
            ("host_name", text(&self.host_name)),
            ("approval", text(&self.approval)),
            ("purpose", text(&self.purpose)),
        ]
    }
}

fn duplicate_name(name: &str) -> String {
    format!("已有同名的创新载体“{name}”，请打开它修改")
}

/// Inserts a new carrier within `tx`; returns its id.
async fn insert_carrier(tx: &mut crate::Tx, actor: &Actor, city_id: &str, f: &CarrierFields) -> Result<String> {
    let id = new_id();
    let mut sets = f.sets();
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = duplicate_name(&f.name);
    crate::insert(tx, "innovation_carriers", sets).await.map_err(unique_as("name", &message))?;
    let event = Event {
        action: "carrier.create",
        entity: "innovation_carrier",
        entity_id: Some(&id),
        before: None,
        after: None,
    };
    append_changed(tx, actor, "innovation_carriers", &[("id", &id)], event).await?;
    Ok(id)
}

/// Changes a carrier read at `version` within `tx`.
async fn change_carrier(
    tx: &mut crate::Tx,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &CarrierFields,
    version: i64,
) -> Result<()> {
    let message = duplicate_name(&f.name);
    let change = Versioned { table: "innovation_carriers", id, city_id: Some(city_id), version, sets: f.sets() };
    let before = update_versioned(tx, actor, change).await.map_err(crate::clash_as("name", &message))?;
    let event =
        Event { action: "carrier.update", entity: "innovation_carrier", entity_id: Some(id), before, after: None };
    append_changed(tx, actor, "innovation_carriers", &[("id", id)], event).await?;
    Ok(())
}

/// Records a new carrier of the city; a name the city already has is refused.
pub async fn create_carrier(store: &Store, actor: &Actor, city_id: &str, f: &CarrierFields) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = insert_carrier(&mut tx, actor, city_id, f).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a carrier read at `version`.
pub async fn update_carrier(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &CarrierFields,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    change_carrier(&mut tx, actor, city_id, id, f, version).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores an imported list in one transaction, each record audited; all rows or none.
pub async fn import_carriers(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    rows: &[ImportRow<CarrierFields>],
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    for r in rows {
        match r {
            ImportRow::New(f) => {
                insert_carrier(&mut tx, actor, city_id, f).await?;
            }
            ImportRow::Change { id, version, fields } => {
                change_carrier(&mut tx, actor, city_id, id, fields, *version).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A member of a carrier.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Member {
    /// Id.
    pub id: String,
    /// The carrier.
    pub carrier_id: String,
    /// The enterprise of the library, when it is one.
    pub enterprise_id: Option<String>,
    /// Name.
    pub name: String,
    /// What it is.
    #[sqlx(try_from = "String")]
    pub member_type: MemberType,
    /// Its place.
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
}

const MEMBER_COLUMNS: &str =
    "m.id, m.carrier_id, m.enterprise_id, m.name, m.member_type, m.role FROM carrier_members m";

/// The members of one carrier: the leader, upstream, downstream, research, other members; by name within.
pub async fn members(pool: &AnyPool, carrier_id: &str) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} WHERE m.carrier_id = $1 ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'upstream' THEN 1 WHEN 'downstream' THEN 2 \
         WHEN 'research' THEN 3 ELSE 4 END, m.name"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(carrier_id).fetch_all(pool).await?)
}

/// Every member of the city's carriers.
pub async fn members_in_city(pool: &AnyPool, city_id: &str) -> Result<Vec<Member>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} JOIN innovation_carriers c ON c.id = m.carrier_id WHERE c.city_id = $1 ORDER BY m.name"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// A member to add.
#[derive(Debug, Clone)]
pub struct NewMember {
    /// The enterprise of the library, when it is one.
    pub enterprise_id: Option<String>,
    /// Name (the enterprise's name when it is one).
    pub name: String,
    /// What it is.
    pub member_type: MemberType,
    /// Its place.
    pub role: MemberRole,
}

/// Adds a member; one already there is refused by name.
pub async fn add_member(store: &Store, actor: &Actor, carrier_id: &str, m: &NewMember) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let sets = vec![
        ("id", text(&id)),
        ("carrier_id", text(carrier_id)),
        ("enterprise_id", Val::Text(m.enterprise_id.clone())),
        ("name", text(&m.name)),
        ("member_type", text(m.member_type.code())),
        ("role", text(m.role.code())),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    let message = format!("“{}”已是该载体的成员", m.name);
    crate::insert(&mut tx, "carrier_members", sets).await.map_err(unique_as("member", &message))?;
    let after = serde_json::json!({"member": m.name, "type": m.member_type.code(), "role": m.role.code()});
    let event = Event {
        action: "carrier.member_add",
        entity: "innovation_carrier",
        entity_id: Some(carrier_id),
        before: None,
        after: Some(after),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member of a carrier; a member not there is not found.
pub async fn remove_member(store: &Store, actor: &Actor, carrier_id: &str, member_id: &str) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let name: Option<(String,)> = sqlx::query_as("SELECT name FROM carrier_members WHERE id = $1 AND carrier_id = $2")
        .bind(member_id)
        .bind(carrier_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((name,)) = name else { return Err(crate::StoreError::NotFound) };
    sqlx::query("DELETE FROM carrier_members WHERE id = $1").bind(member_id).execute(&mut *tx).await?;
    let event = Event {
        action: "carrier.member_remove",
        entity: "innovation_carrier",
        entity_id: Some(carrier_id),
        before: Some(serde_json::json!({"member": name})),
        after: None,
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// An activity of a carrier: an association's event, a service rendered to an enterprise.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Activity {
    /// Date, YYYY-MM-DD.
    pub held_on: String,
    /// What it was.
    pub title: String,
    /// The enterprise served.
    pub enterprise_id: Option<String>,
    /// Its name.
    pub enterprise_name: Option<String>,
    /// Recorded by.
    pub created_by: String,
}

/// The activities of a carrier, newest first.
pub async fn activities(pool: &AnyPool, carrier_id: &str) -> Result<Vec<Activity>> {
    Ok(sqlx::query_as(
        "SELECT a.held_on, a.title, a.enterprise_id, e.name AS enterprise_name, a.created_by FROM carrier_activities a \
         LEFT JOIN enterprises e ON e.id = a.enterprise_id WHERE a.carrier_id = $1 ORDER BY a.held_on DESC, a.created_at DESC",
    )
    .bind(carrier_id)
    .fetch_all(pool)
    .await?)
}

/// Records an activity of a carrier.
pub async fn add_activity(
    store: &Store,
    actor: &Actor,
    carrier_id: &str,
    held_on: &str,
    title: &str,
    enterprise_id: Option<&str>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("id", text(&new_id())),
        ("carrier_id", text(carrier_id)),
        ("held_on", text(held_on)),
        ("title", text(title)),
        ("enterprise_id", Val::Text(enterprise_id.map(String::from))),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(&mut tx, "carrier_activities", sets).await?;
    let after = serde_json::json!({"held_on": held_on, "title": title, "enterprise": enterprise_id});
    let event = Event {
        action: "carrier.activity",
        entity: "innovation_carrier",
        entity_id: Some(carrier_id),
        before: None,
        after: Some(after),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// A carrier's evaluation of one year.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Evaluation {
    /// The carrier.
    pub carrier_id: String,
    /// The year evaluated.
    pub year: i64,
    /// Its band.
    #[sqlx(try_from = "String")]
    pub band: Band,
    /// The score, when given.
    pub score: Option<i64>,
    /// The note (hard floors failed, the action taken).
    pub note: String,
    /// Who recorded it.
    pub created_by: String,
}

/// The evaluations of the city's carriers, newest year first.
pub async fn evaluations(pool: &AnyPool, city_id: &str) -> Result<Vec<Evaluation>> {
    Ok(sqlx::query_as(
        "SELECT v.carrier_id, v.year, v.band, v.score, v.note, v.created_by FROM carrier_evaluations v \
         JOIN innovation_carriers c ON c.id = v.carrier_id WHERE c.city_id = $1 ORDER BY v.year DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Records a carrier's evaluation of a year; a second one of the same year is refused.
pub async fn add_evaluation(store: &Store, actor: &Actor, e: &Evaluation) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![
        ("id", text(&new_id())),
        ("carrier_id", text(&e.carrier_id)),
        ("year", Val::Int(e.year)),
        ("band", text(e.band.code())),
        ("score", Val::OptInt(e.score)),
        ("note", text(&e.note)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    let message = format!("该载体{}年已有评价结果", e.year);
    crate::insert(&mut tx, "carrier_evaluations", sets).await.map_err(unique_as("year", &message))?;
    let after = serde_json::json!({"year": e.year, "band": e.band.label(), "score": e.score, "note": e.note});
    let event = Event {
        action: "carrier.evaluate",
        entity: "innovation_carrier",
        entity_id: Some(&e.carrier_id),
        before: None,
        after: Some(after),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}
