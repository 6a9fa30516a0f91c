//! Where the city's enterprises are: park and town of each, for park pages and the 区域分布图.

use crate::Result;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// An enterprise with its place.
#[derive(Debug, Clone, FromRow)]
pub struct Placed {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Park id.
    pub park_id: Option<String>,
    /// Park code.
    pub park_code: Option<String>,
    /// Town, as written in the library.
    pub town: String,
    /// 1 if local.
    pub is_local: i64,
    /// `above` / `below` / empty.
    pub scale: String,
    /// Revenue.
    #[sqlx(rename = "revenue_fen")]
    pub revenue: Option<Money>,
}

/// The city's local enterprises with their park and town, largest revenue first.
pub async fn placed(pool: &AnyPool, city_id: &str) -> Result<Vec<Placed>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.name, e.short_name, e.park_id, p.code AS park_code, e.town, e.is_local, e.scale, e.revenue_fen \
         FROM enterprises e LEFT JOIN parks p ON p.id = e.park_id WHERE e.city_id = $1 AND e.is_local = 1 \
         ORDER BY COALESCE(e.revenue_fen, 0) DESC, e.name",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}
