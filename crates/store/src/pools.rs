//! The fund pool [F3] (资金池) and the talent pool [F4] (人才池): funds with their yearly budget
//! and allocations, never beyond the budget; enterprises' yearly talent intake against the city's
//! aims; school–enterprise cooperation and 产教融合 bases.

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store, StoreError, Val, Versioned, money, text, unique_as, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A fund and its year's budget.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Fund {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `guidance` (引导扶持资金) or `work` (专项工作经费).
    pub kind: String,
    /// Budget year.
    pub year: i64,
    /// Budget.
    #[sqlx(rename = "budget_fen")]
    pub budget: Money,
    /// Allocated so far.
    #[sqlx(rename = "allocated_fen")]
    pub allocated: Money,
    /// The unit that manages it.
    pub unit_id: Option<String>,
    /// Its name.
    pub unit_name: Option<String>,
    /// Note.
    pub note: String,
    /// Version.
    pub version: i64,
}

impl Fund {
    /// What is left of the budget.
    pub fn remaining(&self) -> Money {
        self.budget.checked_sub(self.allocated).unwrap_or(Money::ZERO)
    }

    /// The kind in words.
    pub fn kind_label(&self) -> &'static str {
        if self.kind == "work" { "专项工作经费" } else { "产业发展引导扶持资金" }
    }
}

const FUND_COLUMNS: &str = "f.id, f.name, f.kind, f.year, f.budget_fen, f.allocated_fen, f.unit_id, u.name AS unit_name, \
    f.note, f.version FROM funds f LEFT JOIN units u ON u.id = f.unit_id";

/// The city's funds, latest year first.
pub async fn funds(pool: &AnyPool, city_id: &str) -> Result<Vec<Fund>> {
    let sql = format!("SELECT {FUND_COLUMNS} WHERE f.city_id = $1 ORDER BY f.year DESC, f.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One fund of the city.
pub async fn fund(pool: &AnyPool, city_id: &str, id: &str) -> Result<Fund> {
    crate::one_in_city(pool, format!("SELECT {FUND_COLUMNS} WHERE f.city_id = $1 AND f.id = $2"), city_id, id).await
}

/// What is written for a fund.
#[derive(Debug, Clone)]
pub struct FundFields {
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: &'static str,
    /// Year.
    pub year: i32,
    /// Budget.
    pub budget: Money,
    /// Managing unit.
    pub unit_id: Option<String>,
    /// Note.
    pub note: String,
}

/// Sets up a fund for a year; returns its id.
pub async fn create_fund(store: &Store, actor: &Actor, city_id: &str, f: &FundFields) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("name", text(&f.name)),
        ("kind", text(f.kind)),
        ("year", Val::Int(i64::from(f.year))),
        ("budget_fen", Val::Int(f.budget.fen())),
        ("allocated_fen", Val::Int(0)),
        ("unit_id", Val::Text(f.unit_id.clone())),
        ("note", text(&f.note)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = format!("{}年已有“{}”，请打开它修改", f.year, f.name);
    crate::insert(&mut tx, "funds", sets).await.map_err(unique_as("name", &message))?;
    let event = Event { action: "fund.create", entity: "fund", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "funds", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a fund's budget and note read at `version`; the budget never falls below what is allocated.
pub async fn update_fund(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    budget: Money,
    note: &str,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let (allocated,): (i64,) = sqlx::query_as("SELECT allocated_fen FROM funds WHERE id = $1 AND city_id = $2")
        .bind(id)
        .bind(city_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    if budget.fen() < allocated {
        let message = format!("预算不能少于已安排的{}", Money::from_fen(allocated).display());
        return Err(StoreError::Refused { field: "budget".into(), message });
    }
    let sets = vec![("budget_fen", Val::Int(budget.fen())), ("note", text(note))];
    let before =
        update_versioned(&mut tx, actor, Versioned { table: "funds", id, city_id: Some(city_id), version, sets })
            .await?;
    let event = Event { action: "fund.update", entity: "fund", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "funds", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// An allocation from a fund.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Allocation {
    /// Id.
    pub id: String,
    /// The fund.
    pub fund_id: String,
    /// The enterprise supported.
    pub enterprise_id: Option<String>,
    /// Its name.
    pub enterprise_name: Option<String>,
    /// The project supported.
    pub project_id: Option<String>,
    /// Its name.
    pub project_name: Option<String>,
    /// Purpose.
    pub purpose: String,
    /// The decision document (会议纪要、文号).
    pub decision: String,
    /// Amount.
    #[sqlx(rename = "amount_fen")]
    pub amount: Money,
    /// Day decided.
    pub decided_on: String,
    /// Paid out so far.
    #[sqlx(rename = "disbursed_fen")]
    pub disbursed: Money,
    /// Day last paid.
    pub disbursed_on: Option<String>,
    /// Version.
    pub version: i64,
}

/// The allocations of the city's funds, newest first.
pub async fn allocations(pool: &AnyPool, city_id: &str) -> Result<Vec<Allocation>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.fund_id, a.enterprise_id, e.name AS enterprise_name, a.project_id, p.name AS project_name, \
         a.purpose, a.decision, a.amount_fen, a.decided_on, a.disbursed_fen, a.disbursed_on, a.version \
         FROM fund_allocations a LEFT JOIN enterprises e ON e.id = a.enterprise_id LEFT JOIN projects p ON p.id = a.project_id \
         WHERE a.city_id = $1 ORDER BY a.decided_on DESC, a.created_at DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// A new allocation.
#[derive(Debug, Clone)]
pub struct NewAllocation {
    /// Fund.
    pub fund_id: String,
    /// Enterprise.
    pub enterprise_id: Option<String>,
    /// Project.
    pub project_id: Option<String>,
    /// Purpose.
    pub purpose: String,
    /// Decision document.
    pub decision: String,
    /// Amount.
    pub amount: Money,
    /// Day decided.
    pub decided_on: String,
}

/// Allocates from a fund: refused when it would pass the budget (checked and raised in one
/// statement, so two allocations at once cannot both pass it). Returns its id.
pub async fn allocate(store: &Store, actor: &Actor, city_id: &str, a: &NewAllocation) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let raised = sqlx::query(
        "UPDATE funds SET allocated_fen = allocated_fen + $1 WHERE id = $2 AND city_id = $3 AND allocated_fen + $1 <= budget_fen",
    )
    .bind(a.amount.fen())
    .bind(&a.fund_id)
    .bind(city_id)
    .execute(&mut *tx)
    .await?;
    if raised.rows_affected() == 0 {
        let left: Option<(i64, i64)> =
            sqlx::query_as("SELECT budget_fen, allocated_fen FROM funds WHERE id = $1 AND city_id = $2")
                .bind(&a.fund_id)
                .bind(city_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (budget, allocated) = left.ok_or(StoreError::NotFound)?;
        let message = format!("超出预算：本年预算剩余{}", Money::from_fen(budget - allocated).display());
        return Err(StoreError::Refused { field: "amount".into(), message });
    }
    let id = new_id();
    let mut sets = vec![
        ("fund_id", text(&a.fund_id)),
        ("enterprise_id", Val::Text(a.enterprise_id.clone())),
        ("project_id", Val::Text(a.project_id.clone())),
        ("purpose", text(&a.purpose)),
        ("decision", text(&a.decision)),
        ("amount_fen", Val::Int(a.amount.fen())),
        ("decided_on", text(&a.decided_on)),
        ("disbursed_fen", Val::Int(0)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    crate::insert(&mut tx, "fund_allocations", sets).await?;
    let event =
        Event { action: "fund.allocate", entity: "fund_allocation", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "fund_allocations", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records what has been paid out of an allocation read at `version` (in all, never above it).
pub async fn disburse(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    paid: Money,
    on: &str,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("disbursed_fen", money(Some(paid))), ("disbursed_on", text(on))];
    let change = Versioned { table: "fund_allocations", id, city_id: Some(city_id), version, sets };
    let before = update_versioned(&mut tx, actor, change).await?;
    let event = Event { action: "fund.disburse", entity: "fund_allocation", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "fund_allocations", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Talent counts: 高端人才, 技能人才, 高校毕业生.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct Talent {
    /// 高端人才.
    pub high_end: i64,
    /// 技能人才.
    pub skilled: i64,
    /// 高校毕业生.
    pub graduates: i64,
}

impl Talent {
    /// The three counts added.
    pub fn plus(self, o: Talent) -> Talent {
        Talent {
            high_end: self.high_end + o.high_end,
            skilled: self.skilled + o.skilled,
            graduates: self.graduates + o.graduates,
        }
    }

    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("high_end", Val::Int(self.high_end)),
            ("skilled", Val::Int(self.skilled)),
            ("graduates", Val::Int(self.graduates)),
        ]
    }
}

/// One enterprise's intake of a year.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Intake {
    /// Id.
    pub id: String,
    /// Enterprise.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// Year.
    pub year: i64,
    /// Counts.
    #[sqlx(flatten)]
    pub talent: Talent,
    /// Version.
    pub version: i64,
}

/// The city's intakes of `year`.
pub async fn intakes(pool: &AnyPool, city_id: &str, year: i32) -> Result<Vec<Intake>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.enterprise_id, e.name AS enterprise_name, t.year, t.high_end, t.skilled, t.graduates, t.version \
         FROM talent_intakes t JOIN enterprises e ON e.id = t.enterprise_id WHERE t.city_id = $1 AND t.year = $2 ORDER BY e.name",
    )
    .bind(city_id)
    .bind(i64::from(year))
    .fetch_all(pool)
    .await?)
}

/// Records an enterprise's intake of a year (new, or read at `version`).
pub async fn set_intake(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    enterprise_id: &str,
    year: i32,
    t: Talent,
    version: Option<i64>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT id FROM talent_intakes WHERE enterprise_id = $1 AND year = $2")
            .bind(enterprise_id)
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await?;
    let mut sets = t.sets();
    sets.extend([("enterprise_id", text(enterprise_id)), ("year", Val::Int(i64::from(year)))]);
    let (id, before) =
        crate::upsert_versioned(&mut tx, actor, "talent_intakes", city_id, existing.map(|e| e.0), version, sets)
            .await?;
    let event = Event { action: "talent.intake", entity: "talent_intake", entity_id: Some(&id), before, after: None };
    append_changed(&mut tx, actor, "talent_intakes", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// The city's aim of a year, with its version.
pub async fn aim(pool: &AnyPool, city_id: &str, year: i32) -> Result<Option<(Talent, i64)>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        t: Talent,
        version: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT high_end, skilled, graduates, version FROM talent_aims WHERE city_id = $1 AND year = $2",
    )
    .bind(city_id)
    .bind(i64::from(year))
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.t, r.version)))
}

/// Sets the city's aim of a year (new, or read at `version`).
pub async fn set_aim(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    year: i32,
    t: Talent,
    version: Option<i64>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM talent_aims WHERE city_id = $1 AND year = $2")
        .bind(city_id)
        .bind(i64::from(year))
        .fetch_optional(&mut *tx)
        .await?;
    let mut sets = t.sets();
    sets.push(("year", Val::Int(i64::from(year))));
    let (id, before) =
        crate::upsert_versioned(&mut tx, actor, "talent_aims", city_id, existing.map(|e| e.0), version, sets).await?;
    let event = Event { action: "talent.aim", entity: "talent_aim", entity_id: Some(&id), before, after: None };
    append_changed(&mut tx, actor, "talent_aims", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// A school–enterprise cooperation or an 产教融合 base.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Partnership {
    /// Id.
    pub id: String,
    /// `cooperation` (校企合作) or `base` (产教融合基地).
    pub kind: String,
    /// Name.
    pub name: String,
    /// The school or college.
    pub school: String,
    /// The enterprise.
    pub enterprise_id: Option<String>,
    /// Its name.
    pub enterprise_name: Option<String>,
    /// The chain.
    pub chain_id: Option<String>,
    /// Its name.
    pub chain_name: Option<String>,
    /// `planned`, `active` or `ended` (a base: `applying`, `recognised`).
    pub status: String,
    /// Since (YYYY-MM-DD).
    pub since: String,
    /// Note.
    pub note: String,
    /// Version.
    pub version: i64,
}

/// The city's partnerships.
pub async fn partnerships(pool: &AnyPool, city_id: &str) -> Result<Vec<Partnership>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.kind, s.name, s.school, s.enterprise_id, e.name AS enterprise_name, s.chain_id, c.name AS chain_name, \
         s.status, s.since, s.note, s.version FROM school_partnerships s LEFT JOIN enterprises e ON e.id = s.enterprise_id \
         LEFT JOIN chains c ON c.id = s.chain_id WHERE s.city_id = $1 ORDER BY s.kind, s.since DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// What is written for a partnership.
#[derive(Debug, Clone)]
pub struct PartnershipFields {
    /// Kind code.
    pub kind: &'static str,
    /// Name.
    pub name: String,
    /// School.
    pub school: String,
    /// Enterprise.
    pub enterprise_id: Option<String>,
    /// Chain.
    pub chain_id: Option<String>,
    /// Status code.
    pub status: &'static str,
    /// Since.
    pub since: String,
    /// Note.
    pub note: String,
}

/// Records a new partnership.
pub async fn add_partnership(store: &Store, actor: &Actor, city_id: &str, f: &PartnershipFields) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("kind", text(f.kind)),
        ("name", text(&f.name)),
        ("school", text(&f.school)),
        ("enterprise_id", Val::Text(f.enterprise_id.clone())),
        ("chain_id", Val::Text(f.chain_id.clone())),
        ("status", text(f.status)),
        ("since", text(&f.since)),
        ("note", text(&f.note)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = format!("已有名为“{}”的合作，请勿重复录入", f.name);
    crate::insert(&mut tx, "school_partnerships", sets).await.map_err(unique_as("name", &message))?;
    let event = Event {
        action: "partnership.create",
        entity: "school_partnership",
        entity_id: Some(&id),
        before: None,
        after: None,
    };
    append_changed(&mut tx, actor, "school_partnerships", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}
