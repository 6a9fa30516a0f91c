//! `GET /chains/{id}/bundle`: a chain's 五图五清单 [C7] for a year as PDF, DOCX, or its five lists
//! as a workbook.

use super::org::checked_chain;
use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chainchief_app::reports::{Format, bundle_xlsx, render};
use chainchief_render::official::OfficialDoc;
use serde::Deserialize;

/// The year's version and the file wanted.
#[derive(Deserialize)]
pub struct BundleQuery {
    year: Option<i32>,
    format: Option<String>,
}

/// `GET /chains/{id}/bundle?year=Y&format=pdf|docx|xlsx`.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<BundleQuery>,
) -> Result<Response, AppError> {
    let v = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/bundle"), false).await?;
    let city_id = &user.principal.city_id;
    let year = q.year.unwrap_or_else(|| state.clock.year());
    let format = q.format.as_deref().unwrap_or("pdf");
    crate::auth::record_taken(&state, &user, chainchief_app::Taken::Download, "chain_bundle", Some(&id)).await?;
    let (bytes, mime, ext) = if format == "xlsx" {
        let bytes = bundle_xlsx(&state, city_id, &v.chain, &year.to_string()).await?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        let format = Format::parse(format)?;
        let b = chainchief_app::reports::bundle::bundle(&state, city_id, &v.chain, year).await?;
        let issuer = v.chain.office_name.clone().unwrap_or_else(|| v.chain.name.clone());
        let doc = OfficialDoc {
            issuer: issuer.clone(),
            number: format!("{year}年版"),
            title: b.title,
            recipient: String::new(),
            blocks: b.blocks,
            signer: issuer,
            date: format!("{year}年"),
        };
        (render(&state, doc, format).await?, format.mime(), format.ext())
    };
    let city = chainchief_store::org::city(state.store.pool(), city_id).await?.name;
    Ok(super::pages::download(bytes, mime, &format!("{city}_{}_五图五清单_{year}.{ext}", v.chain.name)))
}
