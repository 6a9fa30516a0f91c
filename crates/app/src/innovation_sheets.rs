//! The innovation carriers through sheets [N1][N3][N4]: the list a 科技局 or chain office keeps in
//! Excel is uploaded in the columns of the export; every row is checked as the form checks it
//! (kind, level, year, chain, node, host), a row naming a carrier the city has changes it, a row
//! the importer may not keep is refused with the reason, and any error refuses the whole file.

use crate::enterprise_sheets::{ImportFailure, Imported, read_sheet};
use crate::innovation::{CarrierInput, fields, may_keep};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::enterprise_import::RowError;
use chainchief_domain::error::FieldError;
use chainchief_domain::innovation::{CarrierKind, Level};
use chainchief_domain::roles::Role;
use chainchief_sheets::{Row, Table};
use chainchief_store::innovation::{self as store, Carrier, CarrierFields};
use chainchief_store::{ImportRow, maps, org};
use std::collections::HashSet;

/// The columns: (header, rule shown to users); the export adds 成员数, which an import ignores.
pub const COLUMNS: [(&str, &str); 9] = [
    ("名称", "必填，最多60字；与已有载体同名的，按本行更新该载体"),
    (
        "类型",
        "必填：重点实验室、工程技术研究中心、工程研究中心、企业技术中心、新型研发机构、科技企业孵化器、众创空间、创新联合体、产业技术创新联盟、行业协会（商会）、计量服务平台、认证服务平台、检验检测平台、工业设计中心、信息工程服务平台、供需对接平台",
    ),
    ("级别", "必填：国家级、省级、市级、县级、未认定"),
    ("认定（成立）年份", "可选，四位年份，不晚于今年"),
    ("产业链", "可选，产业链名称或简称；不填或填“全市”为服务全市"),
    ("环节", "可选，须为该产业链已有的环节"),
    ("依托单位", "必填：企业库中的企业全称或简称，或高校、院所等其他单位的名称"),
    ("认定部门及文号", "可选，最多100字"),
    ("任务或服务内容", "可选，最多500字"),
];

/// The column a form field is read from.
fn column_of(field: &str) -> &'static str {
    match field {
        "name" => "名称",
        "kind" => "类型",
        "level" => "级别",
        "since_year" => "认定（成立）年份",
        "chain_id" => "产业链",
        "node_id" => "环节",
        "approval" => "认定部门及文号",
        "purpose" => "任务或服务内容",
        _ => "依托单位",
    }
}

/// The code of the (code, label) pair `text` names, or `text` itself for the form's check to refuse.
pub(crate) fn code_of(text: &str, mut pairs: impl Iterator<Item = (&'static str, &'static str)>) -> String {
    pairs.find(|(code, label)| *label == text || *code == text).map_or_else(|| text.to_string(), |(c, _)| c.into())
}

/// What the rows of an innovation list may name, read once per import: the city's chains, their
/// nodes and the library's enterprises.
pub(crate) struct Names {
    chains: Vec<org::Chain>,
    nodes: Vec<(String, String, String, String)>,
    enterprises: Vec<(String, Option<String>, String, String)>,
}

impl Names {
    /// Reads the names of the city.
    pub(crate) async fn load(ctx: &Context, city_id: &str) -> Result<Names> {
        let pool = ctx.store.pool();
        Ok(Names {
            chains: org::chains(pool, city_id).await?,
            nodes: maps::nodes_of_city(pool, city_id).await?,
            enterprises: chainchief_store::enterprises::identities(pool, city_id).await?,
        })
    }

    /// A chain by its name or short name.
    pub(crate) fn chain(&self, text: &str) -> Option<&org::Chain> {
        self.chains.iter().find(|x| !text.is_empty() && (x.name == text || x.short_name == text))
    }

    /// The id of a node of `chain` by its name (empty for none), or why there is none.
    pub(crate) fn node(&self, chain: &org::Chain, text: &str) -> std::result::Result<String, String> {
        if text.is_empty() {
            return Ok(String::new());
        }
        let found = self.nodes.iter().find(|x| x.1 == chain.id && x.2 == text);
        found.map(|x| x.0.clone()).ok_or_else(|| format!("{}中没有环节“{text}”", chain.name))
    }

    /// An enterprise of the library by its full or short name: (id, full name).
    pub(crate) fn enterprise(&self, text: &str) -> Option<(&str, &str)> {
        let found = self.enterprises.iter().find(|e| !text.is_empty() && (e.2 == text || e.3 == text));
        found.map(|e| (e.0.as_str(), e.2.as_str()))
    }
}

/// An uploaded list read by its headers, its required columns present.
pub(crate) struct Sheet {
    table: Table,
}

impl Sheet {
    /// Reads an upload in `columns`; a file that cannot be read or lacks a `required` column fails
    /// as the import page shows it.
    pub(crate) fn read(
        bytes: &[u8],
        file_name: &str,
        columns: &[(&str, &str)],
        required: &[&str],
    ) -> std::result::Result<Sheet, ImportFailure> {
        let table = read_sheet(bytes, file_name, columns)?;
        let missing: Vec<RowError> = required
            .iter()
            .filter(|h| !table.headers.iter().any(|x| x.trim() == **h))
            .map(|h| RowError { row: 0, column: (*h).into(), reason: "缺少这一列，请使用导入模板".into() })
            .collect();
        if missing.is_empty() { Ok(Sheet { table }) } else { Err(ImportFailure::Rows(missing)) }
    }

    /// What the reader left aside, if anything.
    pub(crate) fn notice(&self) -> Option<String> {
        self.table.notice()
    }

    /// The data rows in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = SheetRow<'_>> {
        self.table.rows.iter().map(|row| SheetRow { headers: &self.table.headers, row })
    }
}

/// One data row of a [`Sheet`].
pub(crate) struct SheetRow<'a> {
    headers: &'a [String],
    row: &'a Row,
}

impl SheetRow<'_> {
    /// The trimmed cell under `header` (empty when the sheet has no such column).
    pub(crate) fn cell(&self, header: &str) -> String {
        let at = self.headers.iter().position(|x| x.trim() == header);
        at.and_then(|i| self.row.cells.get(i)).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    /// An error of this row in `column`.
    pub(crate) fn error(&self, column: &str, reason: impl Into<String>) -> RowError {
        RowError { row: self.row.number, column: column.into(), reason: reason.into() }
    }

    /// A form's field errors as errors of this row, each in the column `column_of` reads it from.
    pub(crate) fn invalid(
        &self,
        fields: Vec<FieldError>,
        column_of: fn(&str) -> &'static str,
    ) -> impl Iterator<Item = RowError> + '_ {
        fields.into_iter().map(move |e| self.error(column_of(&e.field), e.message))
    }
}

/// Who imports the innovation lists (carriers, key technologies, standards and patents): the
/// general office and the chain offices, each row within what they keep.
pub async fn may_import(ctx: &Context, c: &Caller<'_>, what: &str) -> Result<()> {
    allow(ctx, c, c.principal.has_any(&[Role::GeneralOffice, Role::ChainOffice]), what).await
}

/// What an import of a list did: records created, changed, and rows the same as the stored record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// New records.
    pub created: usize,
    /// Records changed.
    pub updated: usize,
    /// Rows the same as the stored record.
    pub unchanged: usize,
}

/// Whether `f` says the same as the stored carrier `c`.
fn same(c: &Carrier, f: &CarrierFields) -> bool {
    c.kind == f.kind
        && c.name == f.name
        && c.level == f.level
        && c.since_year == f.since_year.map(i64::from)
        && c.chain_id == f.chain_id
        && c.node_id == f.node_id
        && c.host_enterprise_id == f.host_enterprise_id
        && (f.host_enterprise_id.is_some() || c.host_name == f.host_name)
        && c.approval == f.approval
        && c.purpose == f.purpose
}

/// Reads, checks and imports a carrier list, all rows or none.
pub async fn import_carriers(
    ctx: &Context,
    c: &Caller<'_>,
    bytes: &[u8],
    file_name: &str,
) -> Result<std::result::Result<Imported<Counts>, ImportFailure>> {
    may_import(ctx, c, "POST /innovation/import").await?;
    let p = c.principal;
    let mut known = COLUMNS.to_vec();
    known.push(("成员数", ""));
    let sheet = match Sheet::read(bytes, file_name, &known, &["名称", "类型", "级别"]) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let notice = sheet.notice();
    let names = Names::load(ctx, &p.city_id).await?;
    let stored = store::carriers(ctx.store.pool(), &p.city_id).await?;
    let mut errors = Vec::new();
    let (mut planned, mut report, mut seen) = (Vec::new(), Counts::default(), HashSet::new());
    for r in sheet.rows() {
        let name = r.cell("名称");
        if !name.is_empty() && !seen.insert(name.clone()) {
            errors.push(r.error("名称", format!("“{name}”出现了不止一次")));
            continue;
        }
        let chain_text = r.cell("产业链");
        let chain = match chain_text.as_str() {
            "" | "全市" => None,
            t => match names.chain(t) {
                Some(x) => Some(x),
                None => {
                    errors.push(r.error("产业链", format!("没有名为“{t}”的产业链")));
                    continue;
                }
            },
        };
        let node_text = r.cell("环节");
        let node_id = match (node_text.as_str(), chain) {
            ("", _) => String::new(),
            (n, Some(ch)) => match names.node(ch, n) {
                Ok(id) => id,
                Err(why) => {
                    errors.push(r.error("环节", why));
                    continue;
                }
            },
            (_, None) => {
                errors.push(r.error("环节", "填写了环节时须填写产业链"));
                continue;
            }
        };
        let host = r.cell("依托单位");
        let host_enterprise = names.enterprise(&host);
        let input = CarrierInput {
            kind: code_of(&r.cell("类型"), CarrierKind::ALL.iter().map(|k| (k.code(), k.label()))),
            name: name.clone(),
            level: code_of(&r.cell("级别"), Level::ALL.iter().map(|l| (l.code(), l.label()))),
            since_year: r.cell("认定（成立）年份"),
            chain_id: chain.map(|x| x.id.clone()).unwrap_or_default(),
            node_id,
            host_enterprise_id: host_enterprise.map(|e| e.0.to_string()).unwrap_or_default(),
            host_name: if host_enterprise.is_some() { String::new() } else { host },
            approval: r.cell("认定部门及文号"),
            purpose: r.cell("任务或服务内容"),
        };
        let f = match fields(ctx, p, &input).await {
            Ok(f) => f,
            Err(Error::Invalid(fields)) => {
                errors.extend(r.invalid(fields, column_of));
                continue;
            }
            Err(e) => return Err(e),
        };
        if !may_keep(p, f.chain_id.as_deref()) {
            errors
                .push(r.error("产业链", format!("您不能维护{}的创新载体", chain.map_or("全市", |x| x.name.as_str()))));
            continue;
        }
        match stored.iter().find(|s| s.name == f.name) {
            None => {
                report.created += 1;
                planned.push(ImportRow::New(f));
            }
            Some(s) if !may_keep(p, s.chain_id.as_deref()) => {
                let owner = s.chain_name.as_deref().unwrap_or("全市");
                errors.push(r.error("名称", format!("已有同名载体“{}”，属{owner}，您不能修改", s.name)));
            }
            Some(s) if same(s, &f) => report.unchanged += 1,
            Some(s) => {
                report.updated += 1;
                planned.push(ImportRow::Change { id: s.id.clone(), version: s.version, fields: f });
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(ImportFailure::Rows(errors)));
    }
    store::import_carriers(&ctx.store, &c.actor, &p.city_id, &planned).await?;
    Ok(Ok(Imported { report, notice }))
}
