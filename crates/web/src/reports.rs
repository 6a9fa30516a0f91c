//! Reports as documents [C6][X1]: a monthly, quarterly or special report as a DOCX in the layout of
//! GB/T 9704-2012 — the stored text when the report exists, else drafted from the data.

use crate::routes::{dispatch, quarterly};
use crate::{AppError, AppState};
use chainchief_domain::ids::format_millis;
use chainchief_domain::roles::{Grant, Principal, Role};
use chainchief_render::docx::{OfficialDoc, docx};
use chainchief_store::dispatch::Report;
use chainchief_store::org;

/// Someone who reads the whole city (for drafting outside a request).
fn reader(city_id: &str) -> Principal {
    Principal {
        user_id: "system".into(),
        username: "system".into(),
        display_name: "系统".into(),
        city_id: city_id.into(),
        grants: vec![Grant::city(Role::CityLeader)],
    }
}

/// The issue line of a report: 2026年第10期, 2026年第3季度, 专报.
fn number(kind: &str, period: &str) -> String {
    match (kind, period.get(..4), period.get(5..)) {
        ("monthly", Some(y), Some(m)) => format!("{y}年第{}期", m.trim_start_matches('0')),
        ("quarterly", Some(y), Some(q)) => format!("{y}年第{}季度", q.trim_start_matches('Q')),
        _ => "专报".into(),
    }
}

/// A stored report as a document, issued by its chain's office (or the general office).
pub async fn stored_docx(state: &AppState, city_id: &str, r: &Report) -> Result<Vec<u8>, AppError> {
    let pool = state.store.pool();
    let issuer = match &r.chain_id {
        Some(c) => org::chain(pool, city_id, c).await?.office_name.unwrap_or_default(),
        None => general_office(state, city_id).await?,
    };
    let date = r.submitted_at.unwrap_or(r.updated_at);
    let doc = OfficialDoc {
        issuer: issuer.clone(),
        number: number(&r.kind, &r.period),
        title: r.title.clone(),
        recipient: String::new(),
        body: r.body.lines().map(str::to_string).collect(),
        signer: issuer,
        date: chinese_date(&format_millis(date)),
    };
    docx(&doc).map_err(AppError::Internal)
}

async fn general_office(state: &AppState, city_id: &str) -> Result<String, AppError> {
    let units = org::units(state.store.pool(), city_id).await?;
    Ok(units.into_iter().find(|u| u.kind == "general_office").map(|u| u.name).unwrap_or_else(|| "总链办".into()))
}

fn chinese_date(stamp: &str) -> String {
    let d = stamp.get(..10).unwrap_or_default();
    match (d.get(..4), d.get(5..7), d.get(8..10)) {
        (Some(y), Some(m), Some(day)) => {
            format!("{y}年{}月{}日", m.trim_start_matches('0'), day.trim_start_matches('0'))
        }
        _ => stamp.to_string(),
    }
}

/// The report of `kind` (monthly needs `chain_code`) for `period` as a DOCX: the stored one, or a
/// draft from the data when none was written.
pub async fn report_docx(
    state: &AppState,
    city_id: &str,
    kind: &str,
    chain_code: Option<&str>,
    period: &str,
) -> Result<Vec<u8>, AppError> {
    let pool = state.store.pool();
    let chain = match chain_code {
        Some(code) => {
            let id = org::id_by_code(pool, "chains", city_id, code)
                .await
                .map_err(|_| AppError::field("chain", format!("没有代码为“{code}”的产业链")))?;
            Some(org::chain(pool, city_id, &id).await?)
        }
        None => None,
    };
    let stored = chainchief_store::dispatch::list(pool, city_id)
        .await?
        .into_iter()
        .find(|r| r.kind == kind && r.period == period && r.chain_id == chain.as_ref().map(|c| c.id.clone()));
    if let Some(r) = stored {
        return stored_docx(state, city_id, &r).await;
    }
    let p = reader(city_id);
    let (title, body) = match (kind, &chain) {
        ("monthly", Some(c)) => {
            let period = crate::routes::figures::parse_period(period)?;
            let body = dispatch::compose(state, &p, c, &period).await?;
            (format!("{}{}年{}月工作月报", c.name, &period[..4], period[5..].trim_start_matches('0')), body)
        }
        ("quarterly", _) => {
            let (year, months) = quarterly::months_of(period)?;
            let city = org::city(pool, city_id).await?;
            let body = quarterly::compose(state, &p, period, &months).await?;
            (format!("{}产业链链长制{year}年第{}季度工作报告", city.name, &period[6..]), body)
        }
        ("monthly", None) => return Err(AppError::field("chain", "月报须指定产业链（--chain）")),
        _ => return Err(AppError::field("kind", "报告类型应为 monthly 或 quarterly")),
    };
    let issuer = match &chain {
        Some(c) => c.office_name.clone().unwrap_or_default(),
        None => general_office(state, city_id).await?,
    };
    let doc = OfficialDoc {
        issuer: issuer.clone(),
        number: number(kind, period),
        title,
        recipient: String::new(),
        body: body.lines().map(str::to_string).collect(),
        signer: issuer,
        date: chinese_date(&format_millis(chainchief_domain::ids::now_millis())),
    };
    docx(&doc).map_err(AppError::Internal)
}
