//! Monthly figures in and out of sheets [T2], shared by the pages and the command line: a sheet
//! in, every row checked, one all-or-nothing transaction (re-importing changes nothing); a
//! year's figures out as .xlsx in the import template's columns plus a sheet of provenance.

use crate::enterprise_sheets::{ImportFailure, Imported, read_sheet};
use chainchief_domain::clock::format_millis;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::values_import::{COLUMNS, EnterpriseRef, IndicatorRef, Lookups, check_rows};
use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
use chainchief_store::audit::Actor;
use chainchief_store::figures::{self, ImportSummary, ImportedFigure, Origin};
use chainchief_store::{Store, StoreError, org};
use std::collections::HashMap;

/// The indicators and enterprises of a city that rows may name; `current_month` is the latest allowed.
pub async fn lookups(store: &Store, city_id: &str, current_month: &str) -> Result<Lookups, StoreError> {
    let pool = store.pool();
    let (inds, _) = org::indicators(pool, city_id).await?;
    let indicators = inds
        .into_iter()
        .filter(|i| i.rolls_up_from.is_empty())
        .map(|i| IndicatorRef {
            derived: !i.is_reported(),
            allow_negative: i.aggregation != chainchief_domain::org::Aggregation::Sum,
            id: i.id,
            code: i.code,
            name: i.name,
            unit: i.unit,
            scope: i.scope,
            chain_id: i.chain_id,
        })
        .collect();
    let rows = chainchief_store::enterprises::identities(pool, city_id).await?;
    let mut enterprises = Vec::with_capacity(rows.len());
    let memberships = chainchief_store::enterprises::memberships(pool, city_id).await?;
    for (id, credit_code, name, short_name) in rows {
        let chain_ids = memberships.get(&id).cloned().unwrap_or_default();
        enterprises.push(EnterpriseRef { id, credit_code, name, short_name, chain_ids });
    }
    Ok(Lookups { indicators, enterprises, current_month: current_month.to_string() })
}

/// Reads, checks and imports a sheet of monthly figures. With a `principal` (a page user), every
/// row must be one the user may enter: a chain office only its chains' figures and enterprises.
pub async fn import_values(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    bytes: &[u8],
    file_name: &str,
    principal: Option<&Principal>,
) -> Result<Imported<ImportSummary>, ImportFailure> {
    let table = read_sheet(bytes, file_name, &COLUMNS)?;
    let month = chainchief_domain::clock::beijing_day(actor.at).format("%Y-%m").to_string();
    let l = lookups(store, city_id, &month).await.map_err(ImportFailure::Store)?;
    let rows: Vec<(usize, Vec<String>)> = table.rows.iter().map(|r| (r.number, r.cells.clone())).collect();
    let checked = check_rows(&table.headers, &rows, &l).map_err(ImportFailure::Rows)?;
    if checked.is_empty() {
        return Err(ImportFailure::File("文件中没有数据行".into()));
    }
    if let Some(p) = principal.filter(|p| !p.has(Role::GeneralOffice)) {
        let by_id: HashMap<&str, &IndicatorRef> = l.indicators.iter().map(|i| (i.id.as_str(), i)).collect();
        let chains_of: HashMap<&str, &Vec<String>> =
            l.enterprises.iter().map(|e| (e.id.as_str(), &e.chain_ids)).collect();
        let errors: Vec<_> = checked
            .iter()
            .filter(|r| {
                let ind = by_id.get(r.indicator_id.as_str());
                let allowed = match (ind.and_then(|i| i.chain_id.as_ref()), r.enterprise_id.is_empty()) {
                    (Some(c), _) => p.can_write_chain(c),
                    (None, false) => chains_of
                        .get(r.enterprise_id.as_str())
                        .is_some_and(|cs| cs.iter().any(|c| p.can_write_chain(c))),
                    (None, true) => false,
                };
                !allowed
            })
            .map(|r| chainchief_domain::enterprise_import::RowError {
                row: r.row,
                column: "指标代码".into(),
                reason: "链条办只能导入本链的指标和本链企业的数据".into(),
            })
            .collect();
        if !errors.is_empty() {
            return Err(ImportFailure::Rows(errors));
        }
    }
    let figs: Vec<ImportedFigure> = checked
        .into_iter()
        .map(|r| ImportedFigure {
            indicator_id: r.indicator_id,
            enterprise_key: r.enterprise_id,
            period: r.period,
            value_scaled: r.value_scaled,
            unit: r.unit,
        })
        .collect();
    let origin = Origin { source: "imported", file: file_name, correct: true };
    let report = figures::import(store, actor, &figs, origin).await.map_err(ImportFailure::Store)?;
    Ok(Imported { report, notice: table.notice() })
}

/// A year's figures (those `keep` allows) as .xlsx: the import template's columns, then a sheet
/// with who entered each figure, when and how.
pub async fn export_values(
    store: &Store,
    city_id: &str,
    year: i32,
    keep: impl Fn(&org::Indicator) -> bool,
) -> Result<Vec<u8>, String> {
    let pool = store.pool();
    let (inds, _) = org::indicators(pool, city_id).await.map_err(|e| e.to_string())?;
    let names: HashMap<String, (String, Option<String>)> = chainchief_store::enterprises::identities(pool, city_id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(id, c, n, _)| (id, (n, c)))
        .collect();
    let (mut data, mut sources) = (Vec::new(), Vec::new());
    for ind in inds.iter().filter(|i| keep(i) && i.is_reported()) {
        for f in figures::of_year(pool, &ind.id, year).await.map_err(|e| e.to_string())? {
            let (name, code) = names.get(&f.enterprise_key).cloned().unwrap_or_default();
            let who = code.unwrap_or(name.clone());
            data.push(vec![
                CellOut::Text(ind.code.clone()),
                CellOut::Text(ind.name.clone()),
                if who.is_empty() { CellOut::Empty } else { CellOut::Text(who) },
                CellOut::Text(f.period.clone()),
                CellOut::Number(chainchief_domain::quantity::scaled_to_number(f.value_scaled)),
                CellOut::Text(f.unit.clone()),
            ]);
            sources.push(vec![
                CellOut::Text(ind.code.clone()),
                CellOut::Text(name),
                CellOut::Text(f.period),
                CellOut::Text(f.updated_by),
                CellOut::Text(format_millis(f.updated_at)),
                CellOut::Text(match f.source.as_str() {
                    "imported" => "导入".into(),
                    "demo" => "演示数据".into(),
                    _ => "页面填报".into(),
                }),
                CellOut::Text(f.source_file),
                CellOut::Int(f.version),
            ]);
        }
    }
    let headers = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    let source_headers =
        ["指标代码", "企业", "月份", "填报人", "时间", "方式", "文件", "版本"].map(String::from).to_vec();
    write_xlsx(&[
        SheetOut { name: format!("{year}年月度数据"), headers, rows: data },
        SheetOut { name: "来源".into(), headers: source_headers, rows: sources },
    ])
    .map_err(|e| e.to_string())
}

/// Who imports and exports figures by sheet: the general office and the chain offices.
pub fn may_import(p: &chainchief_domain::roles::Principal) -> bool {
    p.has_any(&[chainchief_domain::roles::Role::GeneralOffice, chainchief_domain::roles::Role::ChainOffice])
}
