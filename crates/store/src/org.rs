//! The organisation of a city: its plan header, parks, units, chains with their
//! "five ones", posts, indicators and measures. Reads are city-scoped; writes are versioned.

use crate::audit::{Actor, Event, append};
use crate::{Result, Store, StoreError, Val, Versioned, text, update_versioned};
use chainchief_domain::org::{Aggregation, ChainLevel, Direction, Frequency, PostKind, Scope, TargetKind, UnitKind};
use serde::Serialize;
use sqlx::{AnyPool, FromRow};

/// A city and the header of its plan.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct City {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Province.
    pub province: String,
    /// Prefecture.
    pub prefecture: String,
    /// Plan title.
    pub plan_title: String,
    /// Plan issuer.
    pub plan_issuer: String,
    /// Plan issue date.
    pub plan_issued: String,
    /// Plan document number.
    pub plan_doc_number: String,
    /// First year of the plan.
    pub start_year: i64,
    /// Target year.
    pub target_year: i64,
    /// A forecast at or above this % of the target is green.
    pub green_from: i64,
    /// At or above this % amber, below red.
    pub amber_from: i64,
    /// The regions of the 区域分布图, as JSON (see `chainchief_domain::regions`).
    pub regions: String,
}

/// A chain as lists and pages show it.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Chain {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Where it sits: a city's leading chain, a provincial cluster or a prefecture's chain.
    #[sqlx(try_from = "String")]
    pub level: ChainLevel,
    /// Parent chain id.
    pub parent_id: Option<String>,
    /// Parent chain name.
    pub parent_name: Option<String>,
    /// Chief post as the plan names it.
    pub chief_title: String,
    /// The person who is chief.
    pub chief_name: String,
    /// Chain office unit id.
    pub office_unit_id: Option<String>,
    /// Chain office name.
    pub office_name: Option<String>,
    /// What the plan says about the chain (from the plan file).
    pub plan_text: String,
    /// The office's own notes on the chain (edited in the app).
    pub description: String,
    /// Order in the plan.
    pub position: i64,
    /// Row version.
    pub version: i64,
    /// Last change time.
    pub updated_at: i64,
    /// Last change by.
    pub updated_by: String,
}

/// One of a chain's "five ones" and whether it is in place.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct FiveOneStatus {
    /// Id.
    pub id: String,
    /// Chain id.
    pub chain_id: String,
    /// Item code (see `FiveOne`).
    pub item: String,
    /// 1 when in place.
    pub present: i64,
    /// Evidence (document, decision, link).
    pub evidence: String,
    /// Row version.
    pub version: i64,
    /// Last change time.
    pub updated_at: i64,
    /// Last change by.
    pub updated_by: String,
}

/// A park.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Park {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Enclosing park.
    pub parent_id: Option<String>,
    /// Description.
    pub description: String,
}

/// A unit.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Unit {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Kind.
    #[sqlx(try_from = "String")]
    pub kind: UnitKind,
    /// Hosting unit.
    pub host_id: Option<String>,
}

/// A post of the organisation.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Post {
    /// Id.
    pub id: String,
    /// Kind.
    #[sqlx(try_from = "String")]
    pub kind: PostKind,
    /// Title as the plan says.
    pub title: String,
    /// Unit.
    pub unit_id: Option<String>,
    /// Chain.
    pub chain_id: Option<String>,
    /// Number of people.
    pub head_count: i64,
    /// Full-time (1) or not (0).
    pub full_time: i64,
    /// Names of the people holding the post.
    pub holders: String,
    /// Row version.
    pub version: i64,
}

/// A measure (task) of the plan.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Measure {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Section heading.
    pub section: String,
    /// Title.
    pub title: String,
    /// Full text.
    pub body: String,
    /// How often it is reported.
    #[sqlx(try_from = "String")]
    pub frequency: Frequency,
    /// Deadline of a one-off measure, YYYY-MM-DD.
    pub deadline: Option<String>,
    /// Reports counted as its progress (`report:monthly`, `report:quarterly`), or empty.
    pub progress_from: String,
}

/// A responsible unit of a measure.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct MeasureUnit {
    /// Measure id.
    pub measure_id: String,
    /// Unit id.
    pub unit_id: String,
    /// `lead` or `co`.
    pub role: String,
}

/// A yearly quota of a measure.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Quota {
    /// Id.
    pub id: String,
    /// Measure id.
    pub measure_id: String,
    /// Code.
    pub code: String,
    /// What is counted.
    pub name: String,
    /// Minimum per year.
    pub min_count: i64,
    /// Unit symbol.
    pub unit: String,
    /// Which data counts.
    pub counts: String,
}

/// An indicator.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Indicator {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit symbol.
    pub unit: String,
    /// Scope code.
    #[sqlx(try_from = "String")]
    pub scope: Scope,
    /// Chain.
    pub chain_id: Option<String>,
    /// Park.
    pub park_id: Option<String>,
    /// Aggregation code.
    #[sqlx(try_from = "String")]
    pub aggregation: Aggregation,
    /// Direction code.
    #[sqlx(try_from = "String")]
    pub direction: Direction,
    /// Source of figures.
    pub source: String,
    /// Formula of a derived indicator.
    pub formula: String,
    /// Code of the enterprise indicator that adds up into this one, or empty.
    pub rolls_up_from: String,
    /// Day of the following month a month's figure is due.
    pub due_day: i64,
    /// How a cultivation goal is counted in the enterprise library, if it is.
    #[sqlx(try_from = "String")]
    pub counts: chainchief_domain::counting::Counted,
}

impl Indicator {
    /// Whether its figures are reported (by hand or by sheet), not computed: no formula, no roll-up
    /// of enterprise figures, not counted in the enterprise library.
    pub fn is_reported(&self) -> bool {
        self.formula.trim().is_empty() && self.rolls_up_from.is_empty() && self.counts.0.is_none()
    }
}

/// A target or baseline value of an indicator.
#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Target {
    /// Indicator id.
    pub indicator_id: String,
    /// `target` or `baseline`.
    #[sqlx(try_from = "String")]
    pub kind: TargetKind,
    /// Year.
    pub year: i64,
    /// Value times 10,000.
    pub value_scaled: i64,
    /// Unit symbol.
    pub unit: String,
}

const CHAIN_COLUMNS: &str = "c.id, c.code, c.name, c.short_name, c.level, c.parent_id, p.name AS parent_name, \
    c.chief_title, c.chief_name, c.office_unit_id, u.name AS office_name, c.plan_text, c.description, c.position, c.version, \
    c.updated_at, c.updated_by FROM chains c LEFT JOIN chains p ON p.id = c.parent_id \
    LEFT JOIN units u ON u.id = c.office_unit_id";

/// All cities.
pub async fn cities(pool: &AnyPool) -> Result<Vec<City>> {
    Ok(sqlx::query_as(
        "SELECT id, code, name, province, prefecture, plan_title, plan_issuer, plan_issued, plan_doc_number, \
         start_year, target_year, green_from, amber_from, regions FROM cities ORDER BY name",
    )
    .fetch_all(pool)
    .await?)
}

/// One city.
pub async fn city(pool: &AnyPool, city_id: &str) -> Result<City> {
    cities(pool).await?.into_iter().find(|c| c.id == city_id).ok_or(StoreError::NotFound)
}

/// The city's chains in plan order.
pub async fn chains(pool: &AnyPool, city_id: &str) -> Result<Vec<Chain>> {
    let sql = format!("SELECT {CHAIN_COLUMNS} WHERE c.city_id = $1 ORDER BY c.position");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One chain of the city (another city's chain is not found).
pub async fn chain(pool: &AnyPool, city_id: &str, chain_id: &str) -> Result<Chain> {
    let sql = format!("SELECT {CHAIN_COLUMNS} WHERE c.city_id = $1 AND c.id = $2");
    let row = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(chain_id).fetch_optional(pool).await?;
    row.ok_or(StoreError::NotFound)
}

/// The "five ones" of every chain of the city.
pub async fn five_ones(pool: &AnyPool, city_id: &str) -> Result<Vec<FiveOneStatus>> {
    Ok(sqlx::query_as(
        "SELECT f.id, f.chain_id, f.item, f.present, f.evidence, f.version, f.updated_at, f.updated_by \
         FROM chain_five_ones f JOIN chains c ON c.id = f.chain_id WHERE c.city_id = $1 ORDER BY c.position, f.item",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// (chain id, park id) links of the city, in order.
pub async fn chain_parks(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT cp.chain_id, cp.park_id FROM chain_parks cp JOIN chains c ON c.id = cp.chain_id \
         WHERE c.city_id = $1 ORDER BY cp.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// The city's parks.
pub async fn parks(pool: &AnyPool, city_id: &str) -> Result<Vec<Park>> {
    Ok(sqlx::query_as(
        "SELECT id, code, name, short_name, parent_id, description FROM parks WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// One park of the city.
pub async fn park(pool: &AnyPool, city_id: &str, id: &str) -> Result<Park> {
    let select = "SELECT id, code, name, short_name, parent_id, description FROM parks WHERE city_id = $1 AND id = $2";
    crate::one_in_city(pool, select.to_string(), city_id, id).await
}

/// One unit of the city.
pub async fn unit(pool: &AnyPool, city_id: &str, id: &str) -> Result<Unit> {
    let select = "SELECT id, code, name, short_name, kind, host_id FROM units WHERE city_id = $1 AND id = $2";
    crate::one_in_city(pool, select.to_string(), city_id, id).await
}

/// The parks the park committees among `unit_ids` manage.
pub async fn parks_of_units(pool: &AnyPool, unit_ids: &[&str]) -> Result<Vec<String>> {
    let mut parks = Vec::new();
    for id in unit_ids {
        let park: Option<Option<String>> =
            sqlx::query_scalar("SELECT park_id FROM units WHERE id = $1").bind(*id).fetch_optional(pool).await?;
        parks.extend(park.flatten());
    }
    Ok(parks)
}

/// The city's units.
pub async fn units(pool: &AnyPool, city_id: &str) -> Result<Vec<Unit>> {
    Ok(sqlx::query_as(
        "SELECT id, code, name, short_name, kind, host_id FROM units WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// (group id, member id) of the city's unit groups.
pub async fn unit_members(pool: &AnyPool, city_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT m.group_id, m.member_id FROM unit_members m JOIN units u ON u.id = m.group_id \
         WHERE u.city_id = $1 ORDER BY m.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// The city's posts.
pub async fn posts(pool: &AnyPool, city_id: &str) -> Result<Vec<Post>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, title, unit_id, chain_id, head_count, full_time, holders, version FROM posts \
         WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// The city's measures with their units and quotas.
pub async fn measures(pool: &AnyPool, city_id: &str) -> Result<(Vec<Measure>, Vec<MeasureUnit>, Vec<Quota>)> {
    let measures = sqlx::query_as(
        "SELECT id, code, section, title, body, frequency, deadline, progress_from FROM measures WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    let units = sqlx::query_as(
        "SELECT mu.measure_id, mu.unit_id, mu.role FROM measure_units mu JOIN measures m ON m.id = mu.measure_id \
         WHERE m.city_id = $1 ORDER BY mu.position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    let quotas = sqlx::query_as(
        "SELECT id, measure_id, code, name, min_count, unit, counts FROM quotas WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    Ok((measures, units, quotas))
}

/// The city's indicators with their targets and baselines.
pub async fn indicators(pool: &AnyPool, city_id: &str) -> Result<(Vec<Indicator>, Vec<Target>)> {
    let inds = sqlx::query_as(
        "SELECT id, code, name, unit, scope, chain_id, park_id, aggregation, direction, source, formula, rolls_up_from, \
         due_day, counts FROM indicators WHERE city_id = $1 ORDER BY position",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    let targets = sqlx::query_as(
        "SELECT t.indicator_id, t.kind, t.year, t.value_scaled, t.unit FROM indicator_targets t \
         JOIN indicators i ON i.id = t.indicator_id WHERE i.city_id = $1 ORDER BY t.year",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?;
    Ok((inds, targets))
}

/// The editable fields of a chain.
#[derive(Debug, Clone)]
pub struct ChainEdit {
    /// The person who is chief.
    pub chief_name: String,
    /// Description.
    pub description: String,
    /// The version the editor read.
    pub version: i64,
}

/// Saves a chain's edits if nobody changed it since `edit.version`; audited.
pub async fn update_chain(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    chain_id: &str,
    edit: &ChainEdit,
) -> Result<Chain> {
    let before = chain(store.pool(), city_id, chain_id).await?;
    let mut tx = store.begin_write().await?;
    let sets = vec![("chief_name", text(&edit.chief_name)), ("description", text(&edit.description))];
    let change = Versioned { table: "chains", id: chain_id, city_id: Some(city_id), version: edit.version, sets };
    update_versioned(&mut tx, actor, change).await?;
    let after = serde_json::json!({"chief_name": edit.chief_name, "description": edit.description});
    let before_json = serde_json::json!({"chief_name": before.chief_name, "description": before.description});
    let event = Event {
        action: "chain.update",
        entity: "chain",
        entity_id: Some(chain_id),
        before: Some(before_json),
        after: Some(after),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    chain(store.pool(), city_id, chain_id).await
}

/// The new state of one "five ones" item.
#[derive(Debug, Clone)]
pub struct FiveOneEdit {
    /// Item code.
    pub item: String,
    /// In place or not.
    pub present: bool,
    /// Evidence.
    pub evidence: String,
    /// The version the editor read.
    pub version: i64,
}

/// Saves one "five ones" item of a chain if nobody changed it since it was read; audited.
pub async fn update_five_one(store: &Store, actor: &Actor, chain_id: &str, edit: &FiveOneEdit) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let before: Option<(String, i64, String)> =
        sqlx::query_as("SELECT id, present, evidence FROM chain_five_ones WHERE chain_id = $1 AND item = $2")
            .bind(chain_id)
            .bind(&edit.item)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, was_present, was_evidence)) = before else {
        return Err(StoreError::NotFound);
    };
    let sets = vec![("present", Val::Int(i64::from(edit.present))), ("evidence", text(&edit.evidence))];
    update_versioned(
        &mut tx,
        actor,
        Versioned { table: "chain_five_ones", id: &id, city_id: None, version: edit.version, sets },
    )
    .await?;
    let event = Event {
        action: "chain.five_one.update",
        entity: "chain_five_one",
        entity_id: Some(&id),
        before: Some(serde_json::json!({"item": edit.item, "present": was_present == 1, "evidence": was_evidence})),
        after: Some(serde_json::json!({"item": edit.item, "present": edit.present, "evidence": edit.evidence})),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

/// The id of the city with this code.
pub async fn city_id_by_code(pool: &AnyPool, code: &str) -> Result<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM cities WHERE code = $1").bind(code).fetch_optional(pool).await?;
    row.map(|r| r.0).ok_or(StoreError::NotFound)
}

/// The id of a chain, unit or park of the city by its code (`table` is one of chains, units, parks).
pub async fn id_by_code(pool: &AnyPool, table: &str, city_id: &str, code: &str) -> Result<String> {
    let table = match table {
        "chains" => "chains",
        "units" => "units",
        _ => "parks",
    };
    let sql = format!("SELECT id FROM {table} WHERE city_id = $1 AND code = $2");
    let row: Option<(String,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).bind(code).fetch_optional(pool).await?;
    row.map(|r| r.0).ok_or(StoreError::NotFound)
}

/// One post of the city.
pub async fn post(pool: &AnyPool, city_id: &str, post_id: &str) -> Result<Post> {
    let row = sqlx::query_as(
        "SELECT id, kind, title, unit_id, chain_id, head_count, full_time, holders, version FROM posts \
         WHERE city_id = $1 AND id = $2",
    )
    .bind(city_id)
    .bind(post_id)
    .fetch_optional(pool)
    .await?;
    row.ok_or(StoreError::NotFound)
}

/// Records who holds a post, if nobody changed it since `version`; audited.
pub async fn update_post_holders(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    post_id: &str,
    holders: &str,
    version: i64,
) -> Result<()> {
    let before = post(store.pool(), city_id, post_id).await?;
    let mut tx = store.begin_write().await?;
    let sets = vec![("holders", text(holders))];
    update_versioned(&mut tx, actor, Versioned { table: "posts", id: post_id, city_id: Some(city_id), version, sets })
        .await?;
    let event = Event {
        action: "post.update",
        entity: "post",
        entity_id: Some(post_id),
        before: Some(serde_json::json!({"holders": before.holders})),
        after: Some(serde_json::json!({"holders": holders})),
    };
    append(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(())
}
