//! Dispatch 调度 [O3]: each chain office's monthly report, special reports and year-end reports,
//! drafted from the data, edited, submitted to its 链长 and to the 总链办, who acknowledge them;
//! the quarterly report goes from the general office to the city leaders. Who reads, writes and
//! acknowledges which report is decided here.

use super::monthly::{draft_monthly, due};
use super::{Format, render, stored_document, year_end_draft};
use crate::{Caller, Context, Error, Result, allow, month_to_date};
use chainchief_domain::clock::{beijing_day, format_millis};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::period::parse_year;
use chainchief_domain::report::{Change as LineChange, ReportKind, ReportStatus, line_diff};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::required;
use chainchief_render::official::{Block, paragraphs};
use chainchief_store::dispatch::{self, Change, NewReport, Report};
use chainchief_store::org;

/// Who reads a report: the whole city's readers; a chain's chief and office their chain's.
pub fn may_read(p: &Principal, chain_id: Option<&str>) -> bool {
    p.reads_whole_city()
        || chain_id.is_some_and(|c| p.can_read_chain(c) && p.has_any(&[Role::ChainChief, Role::ChainOffice]))
}

/// What the caller may do with a report.
pub struct Rights {
    /// Edit and submit it (while not submitted).
    pub can_write: bool,
    /// Acknowledge it as its chief (a city leader for the quarterly report).
    pub can_chief_ack: bool,
    /// Acknowledge it as the general office.
    pub can_office_ack: bool,
}

/// Whether `p` writes a report, and whether `p` acknowledges it first: a chain's office and chief
/// for a chain's report, the general office and a city leader for the quarterly one.
fn roles(p: &Principal, r: &Report) -> (bool, bool) {
    let chain = r.chain_id.as_deref().unwrap_or_default();
    if r.kind == ReportKind::Quarterly {
        (p.has(Role::GeneralOffice), p.has(Role::CityLeader))
    } else {
        (
            p.can_write_chain(chain),
            p.grants.iter().any(|g| g.role == Role::ChainChief && g.chain_id.as_deref() == Some(chain)),
        )
    }
}

/// Whether `p` acknowledges reports as the general office (not the quarterly one, which it writes).
fn office_acks(p: &Principal, r: &Report) -> bool {
    p.has(Role::GeneralOffice) && r.kind != ReportKind::Quarterly
}

/// What `p` may do with a report now.
pub fn rights(p: &Principal, r: &Report) -> Rights {
    let (writes, chief) = roles(p, r);
    let submitted = r.status == ReportStatus::Submitted;
    Rights {
        can_write: writes && !submitted,
        can_chief_ack: chief && submitted && r.chief_ack_at.is_none(),
        can_office_ack: office_acks(p, r) && submitted && r.office_ack_at.is_none(),
    }
}

/// A report with its due date and lateness.
pub struct Row {
    /// The report.
    pub r: Report,
    /// Due date (`YYYY-MM-DD`), empty for reports without one.
    pub due: String,
    /// Submitted after its due date, or not yet and past it.
    pub late: bool,
}

/// A report with its due date and whether it is late, as of today.
pub fn row(ctx: &Context, r: Report) -> Row {
    let d = due(ctx, &r.period);
    let late = match (d, r.submitted_at.map(beijing_day)) {
        (Some(d), Some(s)) => s > d,
        (Some(d), None) => ctx.clock.today() > d,
        _ => false,
    };
    Row { due: d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(), late, r }
}

/// The reports `p` may read, with their due dates.
pub async fn readable(ctx: &Context, p: &Principal) -> Result<Vec<Row>> {
    Ok(dispatch::list(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|r| may_read(p, r.chain_id.as_deref()))
        .map(|r| row(ctx, r))
        .collect())
}

/// The reports the caller may read, and the chains (id, name) the caller drafts for.
pub async fn list(ctx: &Context, c: &Caller<'_>) -> Result<(Vec<Row>, Vec<(String, String)>)> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let rows = readable(ctx, p).await?;
    let writable = org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|ch| p.can_write_chain(&ch.id) && ch.office_unit_id.is_some())
        .map(|ch| (ch.id, ch.name))
        .collect();
    Ok((rows, writable))
}

/// Drafts a chain's monthly report for a month that has begun; returns its id.
pub async fn draft(ctx: &Context, c: &Caller<'_>, chain_id: &str, period: &str) -> Result<String> {
    let chain = crate::chains::writable(ctx, c, chain_id, "POST /dispatch").await?;
    let period = month_to_date(period, ctx.clock)?;
    draft_monthly(ctx, c.principal, &c.actor, &chain, &period).await
}

/// Writes a chain's 专报 on a good practice, submitted like a monthly report; returns its id.
pub async fn special(ctx: &Context, c: &Caller<'_>, chain_id: &str, title: &str, body: &str) -> Result<String> {
    let chain = crate::chains::writable(ctx, c, chain_id, "POST /dispatch/special").await?;
    let title = required("title", "标题", title, 100)?;
    let body = required("body", "正文", body, 20_000)?;
    let stamp = format_millis(ctx.clock.now_millis());
    let new = NewReport {
        city_id: &c.principal.city_id,
        kind: ReportKind::Special,
        chain_id: Some(&chain.id),
        period: &stamp,
        title: &format!("专报：{title}"),
        body: &body,
    };
    Ok(dispatch::draft(&ctx.store, &c.actor, &new).await?)
}

/// Drafts a chain's year-end analysis or investment report for a year; returns its id.
pub async fn year_end(ctx: &Context, c: &Caller<'_>, chain_id: &str, kind: &str, year: &str) -> Result<String> {
    let chain = crate::chains::writable(ctx, c, chain_id, "POST /dispatch/yearend").await?;
    let Some(kind) = ReportKind::from_code(kind).filter(|k| k.is_year_end()) else {
        return Err(Error::field("kind", "报告类型应为年度产业链分析报告或年度招商报告"));
    };
    let year = parse_year(year).map_err(|e| Error::field("year", e))?.to_string();
    let d = year_end_draft(ctx, &c.principal.city_id, kind, &chain, &year).await?;
    let new = NewReport {
        city_id: &c.principal.city_id,
        kind,
        chain_id: Some(&chain.id),
        period: &year,
        title: &d.title,
        body: &d.text,
    };
    Ok(dispatch::draft(&ctx.store, &c.actor, &new).await?)
}

/// A report the caller may read; `what` names the request for the audit log.
pub async fn visible(ctx: &Context, c: &Caller<'_>, id: &str, what: &str) -> Result<Report> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let r = dispatch::get(ctx.store.pool(), &c.principal.city_id, id).await?;
    allow(ctx, c, may_read(c.principal, r.chain_id.as_deref()), what).await?;
    Ok(r)
}

/// A report as its page shows it: the text with a year-end report's tables and figures in place,
/// and the captions of the inserts it may place.
pub async fn preview(ctx: &Context, c: &Caller<'_>, r: &Report) -> Result<(Vec<Block>, Vec<String>)> {
    match (&r.chain_id, r.kind.is_year_end()) {
        (Some(chain), true) => {
            let chain = org::chain(ctx.store.pool(), &c.principal.city_id, chain).await?;
            let d = year_end_draft(ctx, &c.principal.city_id, r.kind, &chain, &r.period).await?;
            Ok((d.blocks(&r.body), d.inserts.keys().cloned().collect()))
        }
        _ => Ok((paragraphs(&r.body), Vec::new())),
    }
}

/// A report drafted afresh from today's data, as the writer sees it before the text is replaced.
pub struct Redraft {
    /// The report as it stands.
    pub report: Report,
    /// The text the data gives now.
    pub body: String,
    /// From the current text to the new one, line by line.
    pub changes: Vec<(LineChange, String)>,
    /// The writer's own edits since the last draft (drafted text → current text); empty when none.
    pub own_edits: Vec<(LineChange, String)>,
}

impl Redraft {
    /// Whether the data gives the text the report has now.
    pub fn unchanged(&self) -> bool {
        self.changes.iter().all(|(c, _)| *c == LineChange::Same)
    }
}

/// The text a report of its kind and period gets from the data now.
async fn fresh_body(ctx: &Context, c: &Caller<'_>, r: &Report) -> Result<String> {
    let city = &c.principal.city_id;
    let chain = match &r.chain_id {
        Some(id) => Some(org::chain(ctx.store.pool(), city, id).await?),
        None => None,
    };
    match (r.kind, chain) {
        (ReportKind::Monthly, Some(chain)) => super::monthly::compose(ctx, c.principal, &chain, &r.period).await,
        (ReportKind::Quarterly, _) => {
            let (_, months) = super::quarterly::months_of(&r.period, ctx.clock)?;
            super::quarterly::compose(ctx, c.principal, &r.period, &months).await
        }
        (kind, Some(chain)) if kind.is_year_end() => Ok(year_end_draft(ctx, city, kind, &chain, &r.period).await?.text),
        _ => Err(Error::field("action", "专报由链条办撰写，没有可按数据重新起草的内容")),
    }
}

/// The writer's own edits: what changed from the drafted text to the current one (all of it
/// when the report keeps no drafted text).
fn own_edits(r: &Report) -> Vec<(LineChange, String)> {
    let drafted = r.drafted_body.as_deref().unwrap_or_default();
    line_diff(drafted, &r.body).into_iter().filter(|(c, _)| *c != LineChange::Same).collect()
}

/// What redrafting a report from the data would change; for its writer, until it is submitted.
pub async fn redraft(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Redraft> {
    let what = format!("GET /dispatch/{id}/redraft");
    let report = visible(ctx, c, id, &what).await?;
    allow(ctx, c, rights(c.principal, &report).can_write, &what).await?;
    let body = fresh_body(ctx, c, &report).await?;
    Ok(Redraft { changes: line_diff(&report.body, &body), own_edits: own_edits(&report), body, report })
}

/// A step on a report.
pub enum Action {
    /// Draft the text afresh from the data; the writer's own edits are replaced only when confirmed.
    Redraft {
        /// The writer saw the comparison and agreed to replace its own edits.
        replace_edits: bool,
    },
    /// Save the edited text.
    Save(String),
    /// Submit to the chief and the general office.
    Submit,
    /// Acknowledge as the chief (or the city leader).
    ChiefAck,
    /// Acknowledge as the general office.
    OfficeAck,
}

/// Takes a step on a report read at `version`.
pub async fn act(ctx: &Context, c: &Caller<'_>, id: &str, action: Action, version: i64) -> Result<()> {
    let what = format!("POST /dispatch/{id}");
    let r = visible(ctx, c, id, &what).await?;
    let (writes, chief) = roles(c.principal, &r);
    let submitted = r.status == ReportStatus::Submitted;
    let once = "报告提交后才能签收，且只签收一次";
    let change = match &action {
        Action::Save(_) | Action::Submit | Action::Redraft { .. } => {
            allow(ctx, c, writes, &what).await?;
            if submitted {
                return Err(Error::field("action", "该报告已提交，不能再修改、重新起草或重复提交"));
            }
            match &action {
                Action::Redraft { replace_edits } => {
                    if !own_edits(&r).is_empty() && !replace_edits {
                        return Err(Error::field(
                            "replace_edits",
                            "正文中有起草后修改过的内容，重新起草会替换它们；请在对比中核对后勾选“替换我的修改”",
                        ));
                    }
                    let body = fresh_body(ctx, c, &r).await?;
                    return Ok(dispatch::change(
                        &ctx.store,
                        &c.actor,
                        &c.principal.city_id,
                        id,
                        Change::Redraft(&body),
                        version,
                    )
                    .await?);
                }
                Action::Save(body) => {
                    let body = body.trim();
                    if body.is_empty() || body.chars().count() > 20_000 {
                        return Err(Error::field("body", "正文不能为空，最多20000字"));
                    }
                    Change::Edit(body)
                }
                _ => Change::Submit,
            }
        }
        Action::ChiefAck => {
            allow(ctx, c, chief, &what).await?;
            if !submitted || r.chief_ack_at.is_some() {
                return Err(Error::field("action", once));
            }
            Change::ChiefAck
        }
        Action::OfficeAck => {
            allow(ctx, c, office_acks(c.principal, &r), &what).await?;
            if !submitted || r.office_ack_at.is_some() {
                return Err(Error::field("action", once));
            }
            Change::OfficeAck
        }
    };
    Ok(dispatch::change(&ctx.store, &c.actor, &c.principal.city_id, id, change, version).await?)
}

/// A report the caller may read as a document: its bytes and its file name, which says the city,
/// the chain, the kind and the period (e.g. `岚山县_竹木精深加工产业链_工作月报_2026-11.docx`).
pub async fn document(ctx: &Context, c: &Caller<'_>, id: &str, format: Format) -> Result<(String, Vec<u8>)> {
    let r = visible(ctx, c, id, &format!("GET /dispatch/{id}/{}", format.ext())).await?;
    let doc = stored_document(ctx, &c.principal.city_id, &r).await?;
    let bytes = render(ctx, doc, format).await?;
    let pool = ctx.store.pool();
    let city = org::city(pool, &c.principal.city_id).await?.name;
    let chain = match &r.chain_id {
        Some(chain) => org::chain(pool, &c.principal.city_id, chain).await?.name,
        None => String::new(),
    };
    let period = r.period.replace([' ', ':'], "-");
    let parts = [city.as_str(), chain.as_str(), r.kind.label(), period.as_str()];
    let name =
        format!("{}.{}", parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("_"), format.ext());
    Ok((name, bytes))
}
