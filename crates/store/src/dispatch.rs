//! Dispatch reports [O3]: drafted from the data, edited with version checks, submitted once, and
//! acknowledged by the chain chief and by the general office.

use crate::audit::{Actor, Event, append, append_changed};
use crate::{Result, Store, Val, Versioned, text, update_versioned};
use chainchief_domain::ids::new_id;
use chainchief_domain::report::{ReportKind, ReportStatus};
use sqlx::{AnyPool, FromRow};

/// A report.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Report {
    /// Id.
    pub id: String,
    /// monthly or quarterly.
    #[sqlx(try_from = "String")]
    pub kind: ReportKind,
    /// The chain (monthly reports).
    pub chain_id: Option<String>,
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    /// Title.
    pub title: String,
    /// Text, paragraphs separated by blank lines.
    pub body: String,
    /// The text as last drafted from the data (none for a report written by hand).
    pub drafted_body: Option<String>,
    /// draft, submitted.
    #[sqlx(try_from = "String")]
    pub status: ReportStatus,
    /// When submitted.
    pub submitted_at: Option<i64>,
    /// By whom.
    pub submitted_by: Option<String>,
    /// When the chain chief acknowledged it.
    pub chief_ack_at: Option<i64>,
    /// Who.
    pub chief_ack_by: Option<String>,
    /// When the general office acknowledged it.
    pub office_ack_at: Option<i64>,
    /// Who.
    pub office_ack_by: Option<String>,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

const COLUMNS: &str = "id, kind, chain_id, period, title, body, drafted_body, status, submitted_at, submitted_by, chief_ack_at, chief_ack_by, \
    office_ack_at, office_ack_by, version, updated_at, updated_by FROM dispatch_reports";

/// The city's reports, newest period first.
pub async fn list(pool: &AnyPool, city_id: &str) -> Result<Vec<Report>> {
    let sql = format!("SELECT {COLUMNS} WHERE city_id = $1 ORDER BY period DESC, title");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// The city's report of `kind` for `chain_id` (none: the city's own) and `period`, if drafted.
pub async fn find(
    pool: &AnyPool,
    city_id: &str,
    kind: ReportKind,
    chain_id: Option<&str>,
    period: &str,
) -> Result<Option<Report>> {
    let sql = format!(
        "SELECT {COLUMNS} WHERE city_id = $1 AND kind = $2 AND period = $3 AND \
         (chain_id = $4 OR (chain_id IS NULL AND $5 = 1))"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(city_id)
        .bind(kind.code())
        .bind(period)
        .bind(chain_id.unwrap_or_default())
        .bind(i64::from(chain_id.is_none()))
        .fetch_optional(pool)
        .await?)
}

/// One report of the city.
pub async fn get(pool: &AnyPool, city_id: &str, id: &str) -> Result<Report> {
    crate::one_in_city(pool, format!("SELECT {COLUMNS} WHERE city_id = $1 AND id = $2"), city_id, id).await
}

/// A report to draft.
#[derive(Debug, Clone, Copy)]
pub struct NewReport<'a> {
    /// City.
    pub city_id: &'a str,
    /// monthly or quarterly.
    pub kind: ReportKind,
    /// The chain (monthly reports).
    pub chain_id: Option<&'a str>,
    /// Period.
    pub period: &'a str,
    /// Title.
    pub title: &'a str,
    /// The drafted text.
    pub body: &'a str,
}

/// Creates the draft of a period (once: a second draft of the same chain and period is refused).
pub async fn draft(store: &Store, actor: &Actor, r: &NewReport<'_>) -> Result<String> {
    let (city_id, kind, chain_id, period, title, body) = (r.city_id, r.kind, r.chain_id, r.period, r.title, r.body);
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let vals = vec![
        text(&id),
        text(city_id),
        text(kind.code()),
        Val::Text(chain_id.map(str::to_string)),
        text(period),
        text(title),
        text(body),
        Val::Int(actor.at),
        text(&actor.name),
        Val::Text((kind != ReportKind::Special).then(|| body.to_string())),
    ];
    crate::bind_all(
        sqlx::query(
            "INSERT INTO dispatch_reports (id, city_id, kind, chain_id, period, title, body, status, version, updated_at, updated_by, drafted_body) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,'draft',1,$8,$9,$10)",
        ),
        vals,
    )
    .execute(&mut *tx)
    .await
    .map_err(crate::unique_as("period", &format!("{}的报告已经起草，请在列表中打开它", r.period)))?;
    let after = serde_json::json!({"kind": kind, "chain": chain_id, "period": period});
    append(
        &mut tx,
        actor,
        Event {
            action: "dispatch.draft",
            entity: "dispatch_report",
            entity_id: Some(&id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A change of a report: its text (drafts only), submission or an acknowledgement.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// New text.
    Edit(&'a str),
    /// Text drafted afresh from the data, replacing the text.
    Redraft(&'a str),
    /// Submitted (with the text as last read).
    Submit,
    /// Acknowledged by the chain chief.
    ChiefAck,
    /// Acknowledged by the general office.
    OfficeAck,
}

/// Applies a change with the version read.
pub async fn change(store: &Store, actor: &Actor, city_id: &str, id: &str, c: Change<'_>, version: i64) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let now = Val::Int(actor.at);
    let who = text(&actor.name);
    let (action, sets) = match c {
        Change::Edit(body) => ("dispatch.edit", vec![("body", text(body))]),
        Change::Redraft(body) => ("dispatch.redraft", vec![("body", text(body)), ("drafted_body", text(body))]),
        Change::Submit => {
            ("dispatch.submit", vec![("status", text("submitted")), ("submitted_at", now), ("submitted_by", who)])
        }
        Change::ChiefAck => ("dispatch.chief_ack", vec![("chief_ack_at", now), ("chief_ack_by", who)]),
        Change::OfficeAck => ("dispatch.office_ack", vec![("office_ack_at", now), ("office_ack_by", who)]),
    };
    let before = update_versioned(
        &mut tx,
        actor,
        Versioned { table: "dispatch_reports", id, city_id: Some(city_id), version, sets },
    )
    .await?;
    let event = Event { action, entity: "dispatch_report", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "dispatch_reports", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}
