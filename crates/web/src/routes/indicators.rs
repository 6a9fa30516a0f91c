//! Indicators in the API [T1][T2][T3]: each with its targets, actual to date, forecast (method
//! stated) and status light; and recording a month's figure with its provenance.

use crate::auth::{CurrentUser, require};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use chainchief_domain::forecast::{Forecast, LightRule, Year, light, to_target_year, year_end};
use chainchief_domain::ids::{current_year, is_valid_id};
use chainchief_domain::quantity::{format_scaled, parse_scaled};
use chainchief_domain::roles::Role;
use chainchief_store::figures::{self, NewFigure};
use chainchief_store::org::{self as org_store, Indicator, Target};
use serde::Deserialize;
use std::collections::BTreeMap;

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
    /// Months of the current year with figures.
    months_reported: usize,
    /// Forecast of the nearest target year.
    forecast: Option<ForecastJson>,
    /// 正常 / 预警 / 滞后, or 无数据.
    status: String,
}

fn monthly(figs: &[figures::Figure]) -> BTreeMap<i32, Year> {
    let mut years: BTreeMap<i32, Year> = BTreeMap::new();
    for f in figs {
        let (Some(y), Some(m)) = (
            f.period.get(..4).and_then(|y| y.parse::<i32>().ok()),
            f.period.get(5..7).and_then(|m| m.parse::<usize>().ok()),
        ) else {
            continue;
        };
        if (1..=12).contains(&m) {
            let slot = &mut years.entry(y).or_insert([None; 12])[m - 1];
            *slot = Some(slot.unwrap_or(0) + f.value_scaled);
        }
    }
    years
}

fn progress(
    ind: &Indicator,
    targets: &[&Target],
    figs: &[figures::Figure],
) -> (Option<YearValue>, usize, Option<Forecast>, Option<i64>) {
    let this = current_year();
    let years = monthly(figs);
    let sum = ind.aggregation == "sum";
    let total = |y: &Year| if sum { y.iter().flatten().sum() } else { y.iter().flatten().last().copied().unwrap_or(0) };
    // The nearest target year not yet past, else the last one.
    let target_year = targets
        .iter()
        .map(|t| t.year)
        .filter(|y| *y >= i64::from(this))
        .min()
        .or_else(|| targets.iter().map(|t| t.year).max());
    let Some((&year, current)) = years.range(..=this).next_back() else { return (None, 0, None, target_year) };
    let months = current.iter().rposition(Option::is_some).map(|i| i + 1).unwrap_or(0);
    let actual = total(current);
    let forecast = match target_year {
        // A past target year is judged on what that year actually reached.
        Some(ty) if ty < i64::from(this) => years.get(&(ty as i32)).map(|y| {
            let v = total(y);
            Forecast { value: v, low: v, high: v, method: format!("{ty}年已结束，取该年实际值") }
        }),
        Some(ty) => {
            let past: Vec<Year> = years.range(..year).map(|(_, v)| *v).collect();
            let f = if sum {
                year_end(current, months, &past)
            } else {
                Some(Forecast { value: actual, low: actual, high: actual, method: "取本年最新值".into() })
            };
            let history: Vec<i64> = years.range(..year).map(|(_, v)| total(v)).collect();
            f.map(|f| if sum { to_target_year(&f, year, ty as i32, &history) } else { f })
        }
        None => None,
    };
    (Some(YearValue { year: i64::from(year), value: format_scaled(actual) }), months, forecast, target_year)
}

/// `GET /api/v1/indicators`: every indicator of the city with targets, actual, forecast and status.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<IndicatorJson>), (status = 401)))]
pub async fn api_list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<IndicatorJson>>, AppError> {
    let pool = state.store.pool();
    let (inds, targets) = org_store::indicators(pool, &user.principal.city_id).await?;
    let mut out = Vec::new();
    for ind in inds.iter().filter(|i| i.chain_id.as_deref().is_none_or(|c| user.principal.can_read_chain(c))) {
        let mine: Vec<&Target> = targets.iter().filter(|t| t.indicator_id == ind.id && t.kind == "target").collect();
        let figs = figures::of_indicator(pool, &ind.id).await?;
        let (actual, months, forecast, target_year) = progress(ind, &mine, &figs);
        let status = match (&forecast, target_year.and_then(|y| mine.iter().find(|t| t.year == y))) {
            (Some(f), Some(t)) => {
                light(LightRule::default(), f.value, t.value_scaled, ind.direction != "down").label().to_string()
            }
            _ => "无数据".to_string(),
        };
        out.push(IndicatorJson {
            id: ind.id.clone(),
            code: ind.code.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            scope: ind.scope.clone(),
            targets: mine.iter().map(|t| YearValue { year: t.year, value: format_scaled(t.value_scaled) }).collect(),
            actual,
            months_reported: months,
            forecast: forecast.zip(target_year).map(|(f, y)| ForecastJson {
                year: y,
                value: format_scaled(f.value),
                low: format_scaled(f.low),
                high: format_scaled(f.high),
                method: f.method,
            }),
            status,
        });
    }
    Ok(Json(out))
}

/// A month's figure.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureIn {
    /// Month, YYYY-MM.
    period: String,
    /// The number, without unit.
    value: String,
    /// Unit symbol; must be the indicator's own (nothing is converted).
    unit: String,
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
    if !is_valid_id(&id) {
        return Err(AppError::NotFound);
    }
    let (inds, _) = org_store::indicators(state.store.pool(), &user.principal.city_id).await?;
    let ind = inds.into_iter().find(|i| i.id == id).ok_or(AppError::NotFound)?;
    let allowed = match &ind.chain_id {
        Some(c) => user.principal.can_write_chain(c),
        None => user.principal.has(Role::GeneralOffice),
    };
    require(&state, &user, allowed, &format!("POST /api/v1/indicators/{id}/values")).await?;
    let date = chrono::NaiveDate::parse_from_str(&format!("{}-01", f.period.trim()), "%Y-%m-%d")
        .map_err(|_| AppError::field("period", "月份应写成YYYY-MM，例如 2026-10"))?;
    let now = chrono::Utc::now().date_naive();
    if date > now {
        return Err(AppError::field("period", "不能填报未来月份的数据"));
    }
    if f.unit.trim() != ind.unit {
        return Err(AppError::field(
            "unit",
            format!("单位应为“{}”（本指标的单位）；系统不自动换算，请换算后再填", ind.unit),
        ));
    }
    let value = parse_scaled(&f.value).map_err(|e| AppError::field("value", e.to_string()))?;
    if value < 0 && ind.aggregation == "sum" {
        return Err(AppError::field("value", "数值不能为负数"));
    }
    let figs = figures::of_indicator(state.store.pool(), &id).await?;
    let earlier: Vec<i64> =
        figs.iter().filter(|x| x.period != f.period && x.value_scaled > 0).map(|x| x.value_scaled).collect();
    if !f.confirm && !earlier.is_empty() && value > 0 {
        let mut sorted = earlier.clone();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2];
        if value >= median.saturating_mul(1000) || value.saturating_mul(1000) <= median {
            return Err(AppError::field(
                "value",
                format!(
                    "该数值与本指标以往的数据相差上千倍（以往约为{}{}），请核对单位（如吨与万吨）；确认无误请加 confirm 重新提交",
                    format_scaled(median),
                    ind.unit
                ),
            ));
        }
    }
    let new = NewFigure {
        indicator_id: id,
        enterprise_key: String::new(),
        period: date.format("%Y-%m").to_string(),
        value_scaled: value,
        unit: ind.unit,
        source: "entered".into(),
        source_file: String::new(),
        version: f.version,
    };
    let value_id = figures::record(&state.store, &user.actor(), &new).await?;
    Ok(Json(serde_json::json!({"id": value_id, "period": new.period, "value": format_scaled(value), "unit": new.unit})))
}
