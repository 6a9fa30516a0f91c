//! Indicators in the API [T1][T2][T3]: each with its targets, actual to date, forecast (method
//! stated) and status light; and recording a month's figure with its provenance.

use crate::auth::CurrentUser;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use chainchief_app::figures::{Typed, record_one};
use chainchief_app::indicators as board;
use chainchief_domain::quantity::format_scaled;
use serde::Deserialize;

/// A target or baseline value.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct YearValue {
    /// Year.
    year: i64,
    /// Value in the indicator's unit.
    value: String,
}

/// A forecast of a year.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ForecastJson {
    /// Year forecast.
    year: i64,
    /// Expected value.
    value: String,
    /// Lower end.
    low: String,
    /// Upper end.
    high: String,
    /// How it was computed.
    method: String,
}

/// An indicator with its progress.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorJson {
    /// Id.
    id: String,
    /// Code in the plan.
    code: String,
    /// Name.
    name: String,
    /// Unit symbol.
    unit: String,
    /// city, park, chain or enterprise.
    scope: String,
    /// Targets by year.
    targets: Vec<YearValue>,
    /// Actual of the current year to date (sum, or latest value), if any figure exists.
    actual: Option<YearValue>,
    /// Months of that year up to the last one with a figure.
    months_reported: usize,
    /// What that year should have reached by now (pro-rata schedule).
    schedule: Option<String>,
    /// Forecast of the nearest target year.
    forecast: Option<ForecastJson>,
    /// 正常 / 预警 / 滞后, or 无数据.
    status: String,
}

/// `GET /api/v1/indicators`: every indicator of the city with targets, actual, forecast and status.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorJson>), (status = 401)))]
pub async fn api_list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<IndicatorJson>>, AppError> {
    let p = &user.principal;
    let rows =
        board::rows(&state, &p.city_id, board::current(&state), |i| chainchief_app::cockpit::may_view(p, i)).await?;
    let out = rows
        .into_iter()
        .map(|r| IndicatorJson {
            id: r.ind.id.clone(),
            code: r.ind.code.clone(),
            name: r.ind.name.clone(),
            unit: r.ind.unit.clone(),
            scope: r.ind.scope.code().to_string(),
            targets: r
                .targets
                .iter()
                .map(|(y, v)| YearValue { year: i64::from(*y), value: format_scaled(*v) })
                .collect(),
            actual: r
                .a
                .actual
                .zip(r.a.actual_at)
                .map(|(v, (y, _))| YearValue { year: i64::from(y), value: format_scaled(v) }),
            months_reported: r.a.months,
            schedule: r.a.schedule.as_ref().map(|(v, _)| format_scaled(*v)),
            forecast: r.a.forecast.as_ref().zip(r.a.target).map(|(f, (y, _))| ForecastJson {
                year: i64::from(y),
                value: format_scaled(f.value),
                low: format_scaled(f.low),
                high: format_scaled(f.high),
                method: f.method.clone(),
            }),
            status: r.status().to_string(),
        })
        .collect();
    Ok(Json(out))
}

/// A month's figure.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureIn {
    /// Month, YYYY-MM.
    #[schema(pattern = r"^\d{4}-\d{2}$")]
    period: String,
    /// The number, without unit.
    value: String,
    /// Unit symbol; must be the indicator's own (nothing is converted).
    unit: String,
    /// Enterprise id, for enterprise indicators.
    #[serde(default)]
    enterprise: String,
    /// For a correction: the version read.
    version: Option<i64>,
    /// Confirms a value far out of line with earlier figures.
    #[serde(default)]
    confirm: bool,
}

/// `POST /api/v1/indicators/{id}/values`: records (or corrects) a month's figure.
#[utoipa::path(post, path = "/api/v1/indicators/{id}/values", tag = "indicators", params(("id" = String, Path)), request_body = FigureIn,
    responses((status = 200), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn api_record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<FigureIn>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(f) = body.map_err(|e| AppError::BadRequest(format!("请求体无效：{}", e.body_text())))?;
    let typed = Typed { period: "", value: &f.value, unit: &f.unit, version: f.version, confirm: f.confirm };
    let (value_id, new) = record_one(&state.ctx, &user.caller(), &id, f.enterprise.trim(), &f.period, typed).await?;
    Ok(Json(
        serde_json::json!({"id": value_id, "period": new.period, "value": format_scaled(new.value_scaled), "unit": new.unit}),
    ))
}
