//! ChainChief use cases: one function per user action or query. Each takes the [`Context`], the
//! principal and typed input; decides the policy by relationship; runs the transaction with its
//! audit record; and returns typed output or an [`Error`]. The web pages, the JSON API and the
//! command line all call these functions.

pub mod accounts;
pub mod assessment;
pub mod board;
pub mod campaigns;
pub mod chains;
pub mod cockpit;
pub mod enterprise_sheets;
pub mod enterprises;
mod error;
pub mod factors;
pub mod figure_sheets;
pub mod figures;
pub mod finance;
pub mod import_reviews;
pub mod indicators;
pub mod innovation;
pub mod innovation_sheets;
pub mod investment;
pub mod liaison;
pub mod maps;
pub mod meetings;
pub mod parks;
pub mod passwords;
pub mod policies;
pub mod pools;
pub mod problems;
pub mod projects;
pub mod recommend;
pub mod reporting;
pub mod reports;
pub mod reserve;
pub mod safety;
pub mod search;
pub mod sheet_templates;
pub mod sign_in;
pub mod structure;
pub mod supply;
pub mod target_sheets;
pub mod tasks;
pub mod technologies;
pub mod technology_sheets;
pub mod todo;
pub mod workspace;

use chainchief_domain::clock::Clock;
use chainchief_domain::period::Month;
use chainchief_domain::roles::Principal;
use chainchief_store::Store;
use chainchief_store::audit::{self, Actor, Event};
use std::sync::Arc;

pub use error::{Error, Result};

/// Settings the use cases read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Day of the following month by which a chain office's monthly report is due (1–28).
    pub report_due_day: u32,
    /// A directory of fonts searched besides the system's for PDF reports; empty: system fonts only.
    pub font_dir: String,
    /// Days a password may be used before it must be changed; 0: no expiry.
    pub password_max_age_days: i64,
    /// Business roles that, besides the three admin roles, sign in with a second factor.
    pub second_factor_roles: Vec<chainchief_domain::roles::Role>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            report_due_day: 5,
            font_dir: String::new(),
            password_max_age_days: 90,
            second_factor_roles: Vec::new(),
        }
    }
}

/// What every use case runs with: the database, the one clock, the settings and the cache of
/// indicator roll-ups.
#[derive(Clone)]
pub struct Context {
    /// The database.
    pub store: Store,
    /// The one clock: now and today in Beijing.
    pub clock: Clock,
    /// Settings.
    pub settings: Arc<Settings>,
    /// Monthly values of indicators, kept while the figures do not change.
    pub rollups: chainchief_store::rollup::Cache,
}

impl Context {
    /// A context over `store`, with the store's clock.
    pub fn new(store: Store, settings: Settings) -> Context {
        Context { clock: store.clock(), store, settings: Arc::new(settings), rollups: Default::default() }
    }
}

/// Who calls a use case: whose grants decide, and whom the audit log names.
pub struct Caller<'a> {
    /// The user and grants.
    pub principal: &'a Principal,
    /// The user as the audit log records them (with address and time).
    pub actor: Actor,
}

/// Refuses with [`Error::Forbidden`], recording the attempt in the audit log, unless `allowed`;
/// `what` names the request (e.g. `POST /projects/{id}/stage`).
pub async fn allow(ctx: &Context, caller: &Caller<'_>, allowed: bool, what: &str) -> Result<()> {
    if allowed {
        return Ok(());
    }
    let event = Event {
        action: "access.denied",
        entity: "route",
        entity_id: None,
        before: None,
        after: Some(serde_json::json!({"request": what})),
    };
    if let Err(e) = audit::record(&ctx.store, &caller.actor, event).await {
        tracing::error!(error = %e, "audit of denial");
    }
    Err(Error::Forbidden)
}

/// Data leaving the system, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// A list or table exported (a sheet), `data.export`.
    Export,
    /// A file downloaded (an attachment, a report, a bundle), `file.download`.
    Download,
}

/// Records in the audit log that the caller took data out: `what` names the list or the kind of
/// file, `id` the file's record.
pub async fn record_taken(
    ctx: &Context,
    caller: &Caller<'_>,
    taken: Taken,
    what: &str,
    id: Option<&str>,
) -> Result<()> {
    let action = match taken {
        Taken::Export => "data.export",
        Taken::Download => "file.download",
    };
    let event = Event { action, entity: what, entity_id: id, before: None, after: None };
    Ok(audit::record(&ctx.store, &caller.actor, event).await?)
}

/// A published (frozen) result of `kind` for `period`, with who published it and when in words;
/// `None` while it is not published.
pub(crate) async fn published<T: serde::de::DeserializeOwned>(
    ctx: &Context,
    kind: chainchief_store::published::Kind,
    city_id: &str,
    period: &str,
) -> Result<Option<(T, String)>> {
    match chainchief_store::published::get(ctx.store.pool(), kind, city_id, period).await? {
        Some((json, at, by)) => {
            let frozen = serde_json::from_str(&json).map_err(|e| Error::Internal(e.to_string()))?;
            Ok(Some((frozen, format!("{by} 于 {} 发布", chainchief_domain::clock::format_millis(at)))))
        }
        None => Ok(None),
    }
}

/// The city's general office (总链办) as its plan names it: its full name and the name it goes by
/// (市链办, 县链办 …); "总链办" for a plan that names none.
pub async fn general_office(ctx: &Context, city_id: &str) -> Result<(String, String)> {
    let units = chainchief_store::org::units(ctx.store.pool(), city_id).await?;
    Ok(units.into_iter().find(|u| u.kind == chainchief_domain::org::UnitKind::GeneralOffice).map_or_else(
        || ("总链办".to_string(), "总链办".to_string()),
        |u| {
            let short = if u.short_name.is_empty() { u.name.clone() } else { u.short_name };
            (u.name, short)
        },
    ))
}

/// A month typed as `YYYY-MM`, refused when it has not begun by `clock`'s today.
pub fn month_to_date(text: &str, clock: Clock) -> Result<String> {
    let month = Month::parse(text).map_err(|e| Error::field("period", e))?;
    if month > clock.this_month() {
        return Err(Error::field("period", "不能填报未来月份的数据"));
    }
    Ok(month.to_string())
}
