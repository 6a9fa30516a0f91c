//! Enterprise import and export [E4], shared by the pages and the command line: a sheet in,
//! checked rows, one all-or-nothing transaction; the library out as .xlsx.

use chainchief_domain::enterprise_import::{COLUMNS, Lookups, RowError, check_rows};
use chainchief_domain::money::MoneyUnit;
use chainchief_domain::roles::{Principal, Role};
use chainchief_sheets::{CellOut, SheetOut, Table, read_import, write_xlsx};
use chainchief_store::audit::Actor;
use chainchief_store::library::{self, Filter, Scope};
use chainchief_store::library_import::{self, ImportReport};
use chainchief_store::{Store, maps, org};

/// Why an import stored nothing.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file itself is unusable (too large, not a spreadsheet, a zip bomb …).
    File(String),
    /// Rows with errors: every one, with row, column and reason.
    Rows(Vec<RowError>),
    /// Storage failed.
    Store(chainchief_store::StoreError),
}

impl std::fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportFailure::File(m) => f.write_str(m),
            ImportFailure::Rows(e) => write!(f, "有 {} 处错误，未导入任何内容", e.len()),
            ImportFailure::Store(e) => write!(f, "{e}"),
        }
    }
}

/// What an import stored, and what the reader left aside (title rows, 序号/备注 columns, note rows).
#[derive(Debug)]
pub struct Imported<T> {
    /// The store's account of the rows imported.
    pub report: T,
    /// One Chinese sentence naming the rows and columns not imported, if any.
    pub notice: Option<String>,
}

/// Reads an uploaded sheet whose template has `columns` (the header may sit under a title row).
pub(crate) fn read_sheet(bytes: &[u8], file_name: &str, columns: &[(&str, &str)]) -> Result<Table, ImportFailure> {
    let known: Vec<&str> = columns.iter().map(|c| c.0).collect();
    read_import(bytes, file_name, &known).map_err(|e| ImportFailure::File(e.to_string()))
}

/// The parks, chains and nodes of a city that rows may name.
pub async fn lookups(store: &Store, city_id: &str) -> Result<Lookups, chainchief_store::StoreError> {
    let pool = store.pool();
    let chains = org::chains(pool, city_id).await?;
    let mut nodes = Vec::new();
    for c in &chains {
        for n in maps::load(pool, &c.id).await?.nodes {
            nodes.push((c.id.clone(), c.name.clone(), c.short_name.clone(), n.id, n.name));
        }
    }
    Ok(Lookups {
        parks: org::parks(pool, city_id).await?.into_iter().map(|p| (p.id, p.name, p.short_name)).collect(),
        chains: chains.into_iter().map(|c| (c.id, c.name, c.short_name)).collect(),
        nodes,
    })
}

/// Reads, checks and imports an enterprise sheet. With a `principal` (a page user) who is not the
/// general office, every row must name one of the user's own chains, and a row matching an
/// enterprise the user may not change is held for its keepers (see [`crate::import_reviews`]).
pub async fn import_enterprises(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    bytes: &[u8],
    file_name: &str,
    accept_name_matches: bool,
    principal: Option<&Principal>,
) -> Result<Imported<ImportReport>, ImportFailure> {
    let table = read_sheet(bytes, file_name, &COLUMNS)?;
    let l = lookups(store, city_id).await.map_err(ImportFailure::Store)?;
    let notice = table.notice();
    let rows: Vec<(usize, Vec<String>)> = table.rows.into_iter().map(|r| (r.number, r.cells)).collect();
    let checked = check_rows(&table.headers, &rows, &l).map_err(ImportFailure::Rows)?;
    if let Some(p) = principal.filter(|p| !p.has(Role::GeneralOffice)) {
        let refused: Vec<RowError> = checked
            .iter()
            .filter(|r| !r.chain_id.as_deref().is_some_and(|c| p.can_write_chain(c)))
            .map(|r| RowError {
                row: r.row,
                column: "产业链".into(),
                reason: "链条办只能导入本链的企业，请填写本链".into(),
            })
            .collect();
        if !refused.is_empty() {
            return Err(ImportFailure::Rows(refused));
        }
    }
    // Who is not the general office changes only the enterprises it keeps: a row naming another's
    // is held for that enterprise's keepers, never applied.
    let may_change = match principal.filter(|p| !p.has(Role::GeneralOffice)) {
        Some(p) => {
            let members = chainchief_store::enterprises::memberships(store.pool(), city_id)
                .await
                .map_err(ImportFailure::Store)?;
            Some(
                members
                    .into_iter()
                    .filter(|(id, chains)| p.can_write_enterprise(id, chains))
                    .map(|(id, _)| id)
                    .collect(),
            )
        }
        None => None,
    };
    let report =
        library_import::import(store, actor, city_id, &checked, accept_name_matches, may_change.as_ref(), file_name)
            .await
            .map_err(ImportFailure::Store)?;
    Ok(Imported { report, notice })
}

/// The library (within `scope`, filtered) as an .xlsx workbook in the template's columns.
pub async fn export_enterprises(
    store: &Store,
    city_id: &str,
    scope: &Scope,
    filter: &Filter,
) -> Result<Vec<u8>, String> {
    let (_, items) =
        library::list(store.pool(), city_id, scope, filter, 0, 1_000_000).await.map_err(|e| e.to_string())?;
    let mut rows = Vec::with_capacity(items.len());
    for e in items {
        let places = library::places(store.pool(), &e.id).await.map_err(|x| x.to_string())?;
        let tiers = library::tiers(store.pool(), &e.id).await.map_err(|x| x.to_string())?;
        let text = |s: String| if s.is_empty() { CellOut::Empty } else { CellOut::Text(s) };
        rows.push(vec![
            text(e.credit_code.clone().unwrap_or_default()),
            CellOut::Text(e.name.clone()),
            text(e.short_name.clone()),
            text(e.park.clone().unwrap_or_default()),
            text(places.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join("、")),
            text(places.iter().map(|p| p.3.clone()).collect::<Vec<_>>().join("、")),
            text(chainchief_domain::org::Scale::from_code(&e.scale).map(|s| s.label().to_string()).unwrap_or_default()),
            CellOut::Empty,
            CellOut::Empty,
            match e.revenue {
                Some(m) => CellOut::Number(m.number_in(MoneyUnit::Yi)),
                None => CellOut::Empty,
            },
            CellOut::Empty,
            CellOut::Empty,
            text(tiers.iter().map(|t| t.label()).collect::<Vec<_>>().join("、")),
        ]);
    }
    let headers: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    write_xlsx(&[SheetOut { name: "企业库".into(), headers, rows }]).map_err(|e| e.to_string())
}

/// Who imports and exports the enterprise library by sheet: the general office and the chain offices.
pub fn may_import(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice])
}
