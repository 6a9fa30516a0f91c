//! The target library through sheets [I1]: the upload (every row checked, all or nothing,
//! re-importing changes nothing) and the export, as for the enterprise library.

use crate::enterprise_sheets::{ImportFailure, Imported, read_sheet};
use crate::projects::{may_read, may_write};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::targets_import::{COLUMNS, Lookups, check};
use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
use chainchief_store::investment::{self, ImportReport};
use chainchief_store::{maps, org};

/// The chains, nodes and units of the city the rows may name.
async fn lookups(ctx: &Context, city_id: &str) -> Result<Lookups> {
    let pool = ctx.store.pool();
    let chains = org::chains(pool, city_id).await?;
    let nodes =
        maps::nodes_of_city(pool, city_id).await?.into_iter().map(|(id, chain, name, _)| (chain, id, name)).collect();
    Ok(Lookups {
        chains: chains.into_iter().map(|c| (c.id, c.name, c.short_name)).collect(),
        nodes,
        units: org::units(pool, city_id).await?.into_iter().map(|u| (u.id, u.name, u.short_name)).collect(),
    })
}

/// Checks that the caller may import targets; `what` names the request.
pub async fn may_import(ctx: &Context, c: &Caller<'_>, what: &str) -> Result<()> {
    allow(ctx, c, may_write(c.principal), what).await
}

/// Reads, checks and imports a target sheet, all rows or none.
pub async fn import_targets(
    ctx: &Context,
    c: &Caller<'_>,
    bytes: &[u8],
    file_name: &str,
) -> Result<std::result::Result<Imported<ImportReport>, ImportFailure>> {
    may_import(ctx, c, "POST /investment/targets/import").await?;
    let table = match read_sheet(bytes, file_name, &COLUMNS) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let notice = table.notice();
    let city = &c.principal.city_id;
    let rows: Vec<(usize, Vec<String>)> = table.rows.into_iter().map(|r| (r.number, r.cells)).collect();
    match check(&table.headers, &rows, &lookups(ctx, city).await?) {
        Err(errors) => Ok(Err(ImportFailure::Rows(errors))),
        Ok(checked) => {
            let report = investment::import_targets(&ctx.store, &c.actor, city, &checked).await?;
            Ok(Ok(Imported { report, notice }))
        }
    }
}

/// The target library as an .xlsx workbook: one row per target and chain, in the template's
/// columns and the status.
pub async fn export_targets(ctx: &Context, c: &Caller<'_>) -> Result<Vec<u8>> {
    let p = c.principal;
    allow(ctx, c, may_read(p), "GET /investment/targets/export.xlsx").await?;
    let pool = ctx.store.pool();
    let chains = org::chains(pool, &p.city_id).await?;
    let nodes = investment::target_nodes(pool, &p.city_id).await?;
    let mut rows = Vec::new();
    for t in investment::targets(pool, &p.city_id).await? {
        let mine: Vec<_> = nodes.iter().filter(|n| n.0 == t.id).collect();
        let mut chain_ids: Vec<&str> = mine.iter().map(|n| n.3.as_str()).collect();
        chain_ids.dedup();
        if chain_ids.is_empty() {
            chain_ids.push("");
        }
        for chain_id in chain_ids {
            let chain = chains.iter().find(|x| x.id == chain_id).map(|x| x.name.clone()).unwrap_or_default();
            let names: Vec<&str> = mine.iter().filter(|n| n.3 == chain_id).map(|n| n.2.as_str()).collect();
            let text = |s: String| if s.is_empty() { CellOut::Empty } else { CellOut::Text(s) };
            rows.push(vec![
                CellOut::Text(t.name.clone()),
                text(t.categories.clone()),
                text(t.products.clone()),
                text(chain),
                text(names.join("、")),
                text(t.owner_name.clone().unwrap_or_default()),
                text(t.note.clone()),
                CellOut::Text(t.status.label().into()),
            ]);
        }
    }
    let mut headers: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    headers.push("状态".into());
    write_xlsx(&[SheetOut { name: "招商目标库".into(), headers, rows }]).map_err(|e| Error::Internal(e.to_string()))
}
