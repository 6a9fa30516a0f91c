//! Guarantee companies and the risk-compensation fund [F2] with their cases: a loan guaranteed
//! (在保), released when repaid (解保), or compensated (代偿/补偿) with the amount paid.

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store, Val, Versioned, text, unique_as, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A guarantee company or a risk-compensation fund.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Guarantor {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `guarantee` (融资担保公司) or `risk_fund` (风险补偿资金池).
    pub kind: String,
    /// Guarantee capacity or the fund's size.
    #[sqlx(rename = "capacity_fen")]
    pub capacity: Money,
    /// Partner banks.
    pub partners: String,
    /// Contact.
    pub contact: String,
    /// Its rules in short (shares of risk, caps).
    pub note: String,
    /// Version.
    pub version: i64,
}

impl Guarantor {
    /// The kind in words.
    pub fn kind_label(&self) -> &'static str {
        if self.kind == "risk_fund" { "风险补偿资金池" } else { "融资担保公司" }
    }
}

/// The city's guarantors.
pub async fn guarantors(pool: &AnyPool, city_id: &str) -> Result<Vec<Guarantor>> {
    Ok(sqlx::query_as(
        "SELECT id, name, kind, capacity_fen, partners, contact, note, version FROM guarantors WHERE city_id = $1 ORDER BY kind, name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// What is written for a guarantor.
#[derive(Debug, Clone)]
pub struct GuarantorFields {
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: &'static str,
    /// Capacity.
    pub capacity: Money,
    /// Partner banks.
    pub partners: String,
    /// Contact.
    pub contact: String,
    /// Note.
    pub note: String,
}

/// Records a guarantor.
pub async fn add_guarantor(store: &Store, actor: &Actor, city_id: &str, f: &GuarantorFields) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("name", text(&f.name)),
        ("kind", text(f.kind)),
        ("capacity_fen", Val::Int(f.capacity.fen())),
        ("partners", text(&f.partners)),
        ("contact", text(&f.contact)),
        ("note", text(&f.note)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = format!("已有“{}”，请勿重复录入", f.name);
    crate::insert(&mut tx, "guarantors", sets).await.map_err(unique_as("name", &message))?;
    let event =
        Event { action: "guarantor.create", entity: "guarantor", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "guarantors", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// A case of a guarantor.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Case {
    /// Id.
    pub id: String,
    /// The guarantor.
    pub guarantor_id: String,
    /// The enterprise whose loan it covers.
    pub enterprise_id: String,
    /// Its name.
    pub enterprise_name: String,
    /// The financing request it came from.
    pub request_id: Option<String>,
    /// The lending bank.
    pub bank: String,
    /// Amount guaranteed.
    #[sqlx(rename = "amount_fen")]
    pub amount: Money,
    /// Day it began.
    pub started_on: String,
    /// `active` (在保), `released` (解保) or `compensated` (已代偿/补偿).
    pub status: String,
    /// Compensation paid.
    #[sqlx(rename = "paid_fen")]
    pub paid: Money,
    /// Day closed.
    pub closed_on: Option<String>,
    /// Note.
    pub note: String,
    /// Version.
    pub version: i64,
}

impl Case {
    /// The status in words.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "released" => "已解保",
            "compensated" => "已代偿",
            _ => "在保",
        }
    }
}

/// The city's cases, newest first.
pub async fn cases(pool: &AnyPool, city_id: &str) -> Result<Vec<Case>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.guarantor_id, c.enterprise_id, e.name AS enterprise_name, c.request_id, c.bank, c.amount_fen, \
         c.started_on, c.status, c.paid_fen, c.closed_on, c.note, c.version FROM guarantee_cases c \
         JOIN enterprises e ON e.id = c.enterprise_id WHERE c.city_id = $1 ORDER BY c.started_on DESC, c.created_at DESC",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// A new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Guarantor.
    pub guarantor_id: String,
    /// Enterprise.
    pub enterprise_id: String,
    /// Financing request.
    pub request_id: Option<String>,
    /// Bank.
    pub bank: String,
    /// Amount.
    pub amount: Money,
    /// Day it began.
    pub started_on: String,
    /// Note.
    pub note: String,
}

/// Records a case in force; returns its id.
pub async fn add_case(store: &Store, actor: &Actor, city_id: &str, c: &NewCase) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = vec![
        ("guarantor_id", text(&c.guarantor_id)),
        ("enterprise_id", text(&c.enterprise_id)),
        ("request_id", Val::Text(c.request_id.clone())),
        ("bank", text(&c.bank)),
        ("amount_fen", Val::Int(c.amount.fen())),
        ("started_on", text(&c.started_on)),
        ("status", text("active")),
        ("paid_fen", Val::Int(0)),
        ("note", text(&c.note)),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    crate::insert(&mut tx, "guarantee_cases", sets).await?;
    let event =
        Event { action: "guarantee.create", entity: "guarantee_case", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "guarantee_cases", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Closes a case read at `version`: released, or compensated with the amount paid.
#[allow(clippy::too_many_arguments)]
pub async fn close_case(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    status: &'static str,
    paid: Money,
    on: &str,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let sets = vec![("status", text(status)), ("paid_fen", Val::Int(paid.fen())), ("closed_on", text(on))];
    let change = Versioned { table: "guarantee_cases", id, city_id: Some(city_id), version, sets };
    let before = update_versioned(&mut tx, actor, change).await?;
    let event =
        Event { action: "guarantee.update", entity: "guarantee_case", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "guarantee_cases", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
