//! Reports as documents [C6][X1]: monthly, quarterly, special and year-end reports as DOCX or PDF
//! in the layout of GB/T 9704-2012 — the stored text when the report exists, else drafted from the
//! data, with the tables and figures of the year-end reports filled in from the data of the day.

pub mod bundle;
pub mod dispatch;
pub mod innovation;
pub mod monthly;
pub mod quarterly;
pub mod schedule;
pub mod yearend;

use crate::{Context, Error, Result};
use chainchief_domain::clock::chinese_date;
use chainchief_domain::period::parse_year;
use chainchief_domain::report::ReportKind;
use chainchief_domain::roles::{Grant, Principal, Role};
use chainchief_render::docx::docx;
use chainchief_render::official::{Block, OfficialDoc, paragraphs};
use chainchief_store::dispatch::Report;
use chainchief_store::org::{self, Chain};
use std::path::PathBuf;
use yearend::chain_by_code;

/// The file a report is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word.
    Docx,
    /// PDF with its fonts embedded.
    Pdf,
}

impl Format {
    /// `docx` or `pdf`.
    pub fn parse(s: &str) -> Result<Format> {
        match s {
            "docx" => Ok(Format::Docx),
            "pdf" => Ok(Format::Pdf),
            _ => Err(Error::field("format", format!("格式“{s}”不支持，应为 docx 或 pdf"))),
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Pdf => "application/pdf",
        }
    }
}

/// Someone who reads the whole city (for drafting outside a request).
fn reader(city_id: &str) -> Principal {
    schedule::acting_as(city_id, vec![Grant::city(Role::CityLeader)])
}

/// The issue line of a report: 2026年第10期, 2026年第3季度, 2026年度, 2026年专报.
pub fn number(kind: &str, period: &str) -> String {
    match (kind, period.get(..4), period.get(5..)) {
        ("monthly", Some(y), Some(m)) => format!("{y}年第{}期", m.trim_start_matches('0')),
        ("quarterly", Some(y), Some(q)) => format!("{y}年第{}季度", q.trim_start_matches('Q')),
        ("analysis" | "investment", Some(y), _) => format!("{y}年度"),
        ("bundle", Some(y), _) => format!("{y}年版"),
        (_, Some(y), _) => format!("{y}年专报"),
        _ => "专报".into(),
    }
}

async fn issuer(ctx: &Context, city_id: &str, chain: Option<&Chain>) -> Result<String> {
    match chain {
        Some(c) => Ok(c.office_name.clone().unwrap_or_else(|| format!("{}办公室", c.name))),
        None => Ok(crate::general_office(ctx, city_id).await?.0),
    }
}

fn year_of(period: &str) -> Result<i32> {
    parse_year(period).map_err(|e| Error::field("year", e))
}

/// The year-end draft of `kind` for `chain` and the year `period`.
pub async fn year_end_draft(
    ctx: &Context,
    city_id: &str,
    kind: ReportKind,
    chain: &Chain,
    period: &str,
) -> Result<yearend::Draft> {
    let year = year_of(period)?;
    match kind {
        ReportKind::Analysis => yearend::analysis(ctx, city_id, chain, year).await,
        _ => yearend::investment(ctx, city_id, chain, year).await,
    }
}

/// A stored report as a document, issued by its chain's office (or the general office).
pub async fn stored_document(ctx: &Context, city_id: &str, r: &Report) -> Result<OfficialDoc> {
    let pool = ctx.store.pool();
    let chain = match &r.chain_id {
        Some(c) => Some(org::chain(pool, city_id, c).await?),
        None => None,
    };
    let blocks = match (&chain, r.kind.is_year_end()) {
        (Some(c), true) => year_end_draft(ctx, city_id, r.kind, c, &r.period).await?.blocks(&r.body),
        _ => paragraphs(&r.body),
    };
    let issuer = issuer(ctx, city_id, chain.as_ref()).await?;
    Ok(OfficialDoc {
        issuer: issuer.clone(),
        number: number(r.kind.code(), &r.period),
        title: r.title.clone(),
        recipient: String::new(),
        blocks,
        signer: issuer,
        date: chinese_date(r.submitted_at.unwrap_or(r.updated_at)),
    })
}

/// The report of `kind` (all but quarterly need `chain_code`) for `period`: the stored one, or a
/// draft from the data when none was written.
pub async fn document(
    ctx: &Context,
    city_id: &str,
    kind: &str,
    chain_code: Option<&str>,
    period: &str,
) -> Result<OfficialDoc> {
    let pool = ctx.store.pool();
    let chain = match chain_code {
        Some(code) => Some(chain_by_code(ctx, city_id, code).await?),
        None => None,
    };
    if let Some(stored) = ReportKind::from_code(kind) {
        let chain_id = chain.as_ref().map(|c| c.id.as_str());
        if let Some(r) = chainchief_store::dispatch::find(pool, city_id, stored, chain_id, period).await? {
            return stored_document(ctx, city_id, &r).await;
        }
    }
    let p = reader(city_id);
    let (title, blocks): (String, Vec<Block>) = match (kind, &chain) {
        ("monthly", Some(c)) => {
            let period = crate::month_to_date(period, ctx.clock)?;
            let body = monthly::compose(ctx, &p, c, &period).await?;
            (
                format!("{}{}年{}月工作月报", c.name, &period[..4], period[5..].trim_start_matches('0')),
                paragraphs(&body),
            )
        }
        ("quarterly", _) => {
            let (year, months) = quarterly::months_of(period, ctx.clock)?;
            let city = org::city(pool, city_id).await?;
            let body = quarterly::compose(ctx, &p, period, &months).await?;
            (format!("{}产业链链长制{year}年第{}季度工作报告", city.name, &period[6..]), paragraphs(&body))
        }
        ("analysis" | "investment", Some(c)) => {
            let kind = if kind == "analysis" { ReportKind::Analysis } else { ReportKind::Investment };
            let d = year_end_draft(ctx, city_id, kind, c, period).await?;
            let blocks = d.blocks(&d.text);
            (d.title, blocks)
        }
        ("bundle", Some(c)) => {
            let b = bundle::bundle(ctx, city_id, c, year_of(period)?).await?;
            (b.title, b.blocks)
        }
        ("monthly" | "analysis" | "investment" | "bundle", None) => {
            return Err(Error::field("chain", "此类报告须指定产业链（--chain）"));
        }
        _ => return Err(Error::field("kind", "报告类型应为 monthly、quarterly、analysis、investment 或 bundle")),
    };
    let issuer = issuer(ctx, city_id, chain.as_ref()).await?;
    Ok(OfficialDoc {
        issuer: issuer.clone(),
        number: number(kind, period),
        title,
        recipient: String::new(),
        blocks,
        signer: issuer,
        date: chinese_date(ctx.clock.now_millis()),
    })
}

/// The five lists of a chain's 五图五清单 for the year `period` as one workbook.
pub async fn bundle_xlsx(ctx: &Context, city_id: &str, chain: &Chain, period: &str) -> Result<Vec<u8>> {
    let b = bundle::bundle(ctx, city_id, chain, year_of(period)?).await?;
    chainchief_sheets::write_xlsx(&b.sheets).map_err(|e| Error::Internal(e.to_string()))
}

fn font_dirs(ctx: &Context) -> Vec<PathBuf> {
    Some(ctx.settings.font_dir.trim()).filter(|d| !d.is_empty()).map(PathBuf::from).into_iter().collect()
}

/// Which font PDF body text is set in here, in a sentence (仿宋, or what stands in for it).
pub async fn body_font(ctx: &Context) -> Result<String> {
    let dirs = font_dirs(ctx);
    tokio::task::spawn_blocking(move || chainchief_pdf::body_font(&dirs))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(Error::Internal)
}

/// The document as a file of `format`, laid out off the request threads.
pub async fn render(ctx: &Context, doc: OfficialDoc, format: Format) -> Result<Vec<u8>> {
    let dirs = font_dirs(ctx);
    tokio::task::spawn_blocking(move || {
        let mut doc = doc;
        match format {
            Format::Docx => {
                chainchief_pdf::rasterize_figures(&mut doc, &dirs)?;
                docx(&doc)
            }
            Format::Pdf => chainchief_pdf::pdf(&doc, &dirs),
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(Error::Internal)
}
